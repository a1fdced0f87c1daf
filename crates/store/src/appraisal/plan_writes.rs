//! Writing Rencana SKP: a draft saved by the pegawai, their penilai or the office's operator; the
//! two signatures that agree it (the cascade checked against the penilai's plan); a revision of an
//! agreed plan that keeps its RHK.

use pelita_core::appraisal::plan::PlanInput;
use pelita_core::auth::Actor;
use pelita_core::ValidationError;

use crate::appraisal::period::PersonLine;
use crate::appraisal::plans::{
    agreed_is_fixed, atasan_rhk, current, get, insert, json, penilai_for, plan_id, record, Plan,
    PlanParty, PlanStatus,
};
use crate::kernel::audit::AuditAction;
use crate::kernel::clock::now;
use crate::register::employees::{self, EmployeeRow};
use crate::{Result, Store, StoreError};

/// Writes an agreed plan as generated data (the demo): the same rules and cascade check as a
/// signature, both people named as its signers, with its outbox mutation and audit entry.
pub(crate) fn insert_agreed(
    conn: &rusqlite::Connection,
    employee: &EmployeeRow,
    penilai: Option<&EmployeeRow>,
    input: &PlanInput,
    by: &str,
) -> Result<()> {
    input.validate()?;
    input.check_intervensi(
        atasan_rhk(conn, penilai.map(|p| p.id.as_str()), input.year, true)?
            .map(|r| r.into_iter().map(|a| a.id).collect::<Vec<_>>())
            .as_deref(),
        true,
    )?;
    let id = plan_id(&employee.id, input.year, None);
    let stamp = now();
    insert(
        conn,
        &id,
        &employee.office_id,
        &employee.id,
        penilai.map(|p| p.id.as_str()),
        input.year,
        &json(input)?,
        None,
        &stamp,
    )?;
    let signed = |e: &EmployeeRow| serde_json::to_string(&PersonLine::from(e)).unwrap_or_default();
    conn.execute(
        "UPDATE skp_plan SET status = 'Disepakati', pegawai_signed = ?2, penilai_signed = ?3,
             pegawai_signed_at = ?4, penilai_signed_at = CASE WHEN ?3 IS NULL THEN NULL ELSE ?4 END
         WHERE id = ?1",
        rusqlite::params![id, signed(employee), penilai.map(signed), stamp],
    )?;
    record(
        conn,
        &id,
        0,
        by,
        AuditAction::Create,
        "data contoh (disepakati)",
    )
}

/// Refuses a plan that leaves out an RHK the current plans of the pegawai's staff support: their
/// links would point at nothing (a revision keeps the RHK it revises, or adds to them).
fn keeps_supported_rhk(conn: &rusqlite::Connection, input: &PlanInput) -> Result<()> {
    let gone: Vec<String> =
        crate::appraisal::plans::supported_rhk(conn, &input.employee_id, input.year)?
            .into_iter()
            .filter(|(rhk, _)| !input.items.iter().any(|i| i.id == *rhk))
            .map(|(_, who)| who)
            .collect();
    if gone.is_empty() {
        return Ok(());
    }
    Err(ValidationError::single(
        "items",
        format!(
            "RHK yang dihapus didukung Rencana SKP {}; ubah dulu intervensi rencana mereka",
            gone.join(", ")
        ),
    )
    .into())
}

impl Store {
    /// Saves a draft plan: a new one (`id` empty) or a change of a draft at `expected_version`.
    /// A change drops the signatures given so far: they signed another text.
    pub fn save_plan(
        &mut self,
        actor: &Actor,
        id: Option<&str>,
        expected_version: i64,
        input: &PlanInput,
    ) -> Result<Plan> {
        let employee = employees::get(&self.conn, &input.employee_id)?;
        let existing = match id {
            Some(id) => Some(get(&self.conn, id)?),
            None => None,
        };
        // A draft's penilai follows the register: the atasan langsung now.
        let penilai = penilai_for(&self.conn, &employee.id, input.year)?;
        let (may_edit, _) = self.plan_access(actor, &employee, penilai.as_deref())?;
        if !may_edit {
            return Err(self.refuse_plan(actor, &employee));
        }
        input.validate()?;
        input.check_intervensi(
            atasan_rhk(&self.conn, penilai.as_deref(), input.year, false)?
                .map(|r| r.into_iter().map(|a| a.id).collect::<Vec<_>>())
                .as_deref(),
            false,
        )?;
        keeps_supported_rhk(&self.conn, input)?;
        let doc = json(input)?;
        // Saved again unchanged (and with the same penilai): nothing to write, no signature lost.
        if let Some(p) = existing
            .as_ref()
            .filter(|p| p.status == PlanStatus::Draft && p.version == expected_version)
        {
            if p.document == *input && p.penilai_id == penilai {
                return Ok(p.clone());
            }
        }
        let stamp = now();
        let tx = self.conn.transaction()?;
        let id = match existing {
            Some(p) => {
                if p.status == PlanStatus::Disepakati {
                    return Err(agreed_is_fixed());
                }
                if p.employee_id != input.employee_id || p.year != input.year {
                    return Err(ValidationError::single(
                        "employee_id",
                        "pegawai dan tahun rencana tidak dapat diubah",
                    )
                    .into());
                }
                let changed = tx.execute(
                    "UPDATE skp_plan SET document = ?2, penilai_id = ?5, pegawai_signed = NULL,
                         penilai_signed = NULL, pegawai_signed_at = NULL, penilai_signed_at = NULL,
                         version = version + 1, updated_at = ?3
                     WHERE id = ?1 AND status = 'Draft' AND version = ?4 AND deleted = 0",
                    rusqlite::params![p.id, doc, stamp, expected_version, penilai],
                )?;
                if changed != 1 {
                    return Err(StoreError::VersionConflict);
                }
                record(
                    &tx,
                    &p.id,
                    expected_version,
                    &actor.username,
                    AuditAction::Update,
                    "draf",
                )?;
                p.id
            }
            None => {
                if current(&tx, &employee.id, input.year)?.is_some() {
                    return Err(ValidationError::single(
                        "year",
                        format!(
                            "{} sudah mempunyai Rencana SKP {}; buka rencana itu",
                            employee.display_name, input.year
                        ),
                    )
                    .into());
                }
                let id = plan_id(&employee.id, input.year, None);
                let owner = employee.office_id.clone();
                insert(
                    &tx,
                    &id,
                    &owner,
                    &employee.id,
                    penilai.as_deref(),
                    input.year,
                    &doc,
                    None,
                    &stamp,
                )?;
                record(&tx, &id, 0, &actor.username, AuditAction::Create, "draf")?;
                id
            }
        };
        tx.commit()?;
        get(&self.conn, &id)
    }

    /// Signs a draft plan as the pegawai or as their penilai, with the password; the second
    /// signature (or the only one, for the head of the chain) agrees it. Signing checks the
    /// cascade: every RHK utama supports an RHK of the penilai's plan.
    pub fn sign_plan(
        &mut self,
        actor: &Actor,
        id: &str,
        expected_version: i64,
        password: &str,
    ) -> Result<Plan> {
        let plan = get(&self.conn, id)?;
        let employee = employees::get(&self.conn, &plan.employee_id)?;
        if plan.status == PlanStatus::Disepakati {
            return Err(agreed_is_fixed());
        }
        // The penilai is who the register names now; a change of atasan since the draft was
        // begun drops the earlier penilai's signature.
        let penilai = penilai_for(&self.conn, &employee.id, plan.year)?;
        let (_, party) = self.plan_access(actor, &employee, penilai.as_deref())?;
        let Some(party) = party else {
            return Err(self.refuse_plan(actor, &employee));
        };
        if plan.version != expected_version {
            return Err(StoreError::VersionConflict);
        }
        // Only the head of the chain — the Camat: heads the Kantor Camat, no atasan in Pelita —
        // signs alone; anyone else without an atasan waits until the register names one.
        let leads: bool = self.conn.query_row(
            "SELECT count(*) > 0 FROM employee WHERE atasan_id = ?1 AND active = 1 AND deleted = 0",
            [&employee.id],
            |r| r.get(0),
        )?;
        let heads_the_chain = leads
            && employee.office_id == pelita_core::office::office_id(pelita_core::office::HQ_CODE);
        if penilai.is_none() && !heads_the_chain {
            return Err(ValidationError::single(
                "penilai",
                format!(
                    "atasan langsung {} belum tercatat di data pegawai; isi atasan langsungnya \
                     dulu, karena Rencana SKP disepakati pegawai dengan atasan langsungnya",
                    employee.display_name
                ),
            )
            .into());
        }
        plan.document.validate()?;
        let atasan = atasan_rhk(&self.conn, penilai.as_deref(), plan.year, true)?;
        if atasan.as_ref().is_some_and(Vec::is_empty) {
            let name = match &penilai {
                Some(p) => employees::get(&self.conn, p)?.display_name,
                None => "atasan".into(),
            };
            return Err(ValidationError::single(
                "items",
                format!(
                    "Rencana SKP {name} tahun {} belum disepakati: RHK utama mengintervensi RHK \
                     atasan yang sudah disepakati, jadi rencana atasan disepakati lebih dulu",
                    plan.year
                ),
            )
            .into());
        }
        plan.document.check_intervensi(
            atasan
                .map(|r| r.into_iter().map(|a| a.id).collect::<Vec<_>>())
                .as_deref(),
            true,
        )?;
        self.check_password(&actor.username, password, chrono::Utc::now())?;
        let me = serde_json::to_string(&PersonLine::from(&employees::get(
            &self.conn,
            actor.employee_id.as_deref().unwrap_or_default(),
        )?))
        .unwrap_or_default();
        let (signed_col, at_col) = match party {
            PlanParty::Pegawai => ("pegawai_signed", "pegawai_signed_at"),
            PlanParty::Penilai => ("penilai_signed", "penilai_signed_at"),
        };
        let stamp = now();
        let tx = self.conn.transaction()?;
        // The penilai as the register names them (their earlier signature dropped if another).
        let changed = tx.execute(
            "UPDATE skp_plan SET
                 penilai_signed = CASE WHEN penilai_id IS ?2 THEN penilai_signed END,
                 penilai_signed_at = CASE WHEN penilai_id IS ?2 THEN penilai_signed_at END,
                 penilai_id = ?2, version = version + 1, updated_at = ?3
             WHERE id = ?1 AND status = 'Draft' AND version = ?4",
            rusqlite::params![id, penilai, stamp, expected_version],
        )?;
        if changed != 1 {
            return Err(StoreError::VersionConflict);
        }
        tx.execute(
            &format!("UPDATE skp_plan SET {signed_col} = ?2, {at_col} = ?3 WHERE id = ?1"),
            rusqlite::params![id, me, stamp],
        )?;
        // Agreed once everyone who signs it has: both, or the head of the chain alone.
        tx.execute(
            "UPDATE skp_plan SET status = 'Disepakati'
             WHERE id = ?1 AND pegawai_signed IS NOT NULL
               AND (penilai_id IS NULL OR penilai_signed IS NOT NULL)",
            [id],
        )?;
        let detail = match party {
            PlanParty::Pegawai => "ditandatangani pegawai",
            PlanParty::Penilai => "ditandatangani pejabat penilai",
        };
        record(
            &tx,
            id,
            expected_version,
            &actor.username,
            AuditAction::Update,
            detail,
        )?;
        tx.commit()?;
        get(&self.conn, id)
    }

    /// Starts a revision of an agreed plan: a new draft with its RHK (their ids kept) that names
    /// it; the agreed plan counts until the revision is agreed.
    pub fn revise_plan(&mut self, actor: &Actor, id: &str) -> Result<Plan> {
        let plan = get(&self.conn, id)?;
        let employee = employees::get(&self.conn, &plan.employee_id)?;
        let penilai = penilai_for(&self.conn, &employee.id, plan.year)?;
        let (may_edit, _) = self.plan_access(actor, &employee, penilai.as_deref())?;
        if !may_edit {
            return Err(self.refuse_plan(actor, &employee));
        }
        if plan.status != PlanStatus::Disepakati || plan.revised_by.is_some() {
            return Err(ValidationError::single(
                "status",
                "hanya Rencana SKP terakhir yang sudah disepakati yang dapat direvisi",
            )
            .into());
        }
        let new_id = plan_id(&employee.id, plan.year, Some(id));
        let stamp = now();
        let tx = self.conn.transaction()?;
        insert(
            &tx,
            &new_id,
            &employee.office_id,
            &employee.id,
            penilai.as_deref(),
            plan.year,
            &json(&plan.document)?,
            Some(id),
            &stamp,
        )?;
        record(
            &tx,
            &new_id,
            0,
            &actor.username,
            AuditAction::Create,
            "revisi",
        )?;
        tx.commit()?;
        get(&self.conn, &new_id)
    }

    fn refuse_plan(&mut self, actor: &Actor, employee: &EmployeeRow) -> StoreError {
        self.refuse(
            actor,
            pelita_core::auth::PermissionDenied::Role(
                "menyusun Rencana SKP pegawai ini (hanya pegawai itu, atasan langsungnya, atau operator kantornya)",
            ),
            &employee.id,
            "WritePlan",
        )
    }
}
