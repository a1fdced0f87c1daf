//! The organisation's result for a period (predikat kinerja organisasi, PermenPANRB 6/2022): set
//! and signed by the leader one level up — the Camat for a kelurahan — on a Kantor Camat laptop,
//! so the row is the Kantor Camat's and reaches the kelurahan it rates. The unit leader's (the
//! Lurah's) Hasil Kerja rating follows it: their appraisal is signed only with the rating the
//! result gives.

use pelita_core::appraisal::distribution::{leader_rating_refused, OrgResult};
use pelita_core::appraisal::form::{field, AppraisalInput};
use pelita_core::auth::{Action, Actor};
use pelita_core::office::{office_id, HQ_CODE};
use pelita_core::ValidationError;
use rusqlite::{Connection, OptionalExtension};

use crate::appraisal::period::{PeriodRef, PersonLine};
use crate::kernel::audit::AuditAction;
use crate::kernel::clock::now;
use crate::register::employees;
use crate::{Result, Store};

/// The id of an office's result for a period: the same on every laptop, so that sync sees two
/// recordings of it as one row.
pub(crate) fn org_result_id(office_id: &str, p: &PeriodRef) -> String {
    let key = format!("org_result/{office_id}/{}", p.label());
    uuid::Uuid::new_v5(&uuid::Uuid::NAMESPACE_OID, key.as_bytes()).to_string()
}

/// An organisation's result as set: by whom (the leader as they were when they signed; none for
/// the Kantor Camat's own, recorded from the Wali Kota's decision) and when.
pub(crate) struct SetResult {
    pub result: OrgResult,
    pub leader: Option<PersonLine>,
    pub recorded_by: String,
    pub set_at: String,
}

/// The result set for `office_id` — only a Kantor Camat row counts: one an office recorded for
/// itself before the Camat set results is not a result (earlier versions let an operator do it).
pub(crate) fn read(conn: &Connection, office_id: &str, p: &PeriodRef) -> Result<Option<SetResult>> {
    let row: Option<(String, Option<String>, String, String)> = conn
        .query_row(
            "SELECT result, leader_signed, updated_by, updated_at FROM org_result
             WHERE id = ?1 AND deleted = 0 AND owner_office_id = ?2",
            [org_result_id(office_id, p), self::office_id(HQ_CODE)],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .optional()?;
    Ok(row.and_then(|(result, leader, by, at)| {
        Some(SetResult {
            result: OrgResult::parse(&result)?,
            leader: leader.and_then(|j| serde_json::from_str(&j).ok()),
            recorded_by: by,
            set_at: at,
        })
    }))
}

/// Whether the appraisal of a period owned by `office`, by `penilai_id`, is a unit leader's: the
/// penilai was in another office on the period's first day — the Camat appraising a Lurah. Judged
/// by the period, not by today's register: a Lurah moved or retired since is still judged as the
/// Lurah they were, and one promoted since as the staff member they were.
pub(crate) fn leads_unit(
    conn: &Connection,
    office: &str,
    penilai_id: &str,
    p: &PeriodRef,
) -> Result<bool> {
    let penilai = employees::get(conn, penilai_id)?;
    let then =
        crate::register::mutasi_rows::office_on(conn, penilai_id, &penilai.office_id, p.start()?)?;
    Ok(then != office)
}

/// Refuses to sign a unit leader's (the Lurah's) appraisal with another Hasil Kerja rating than
/// the one their organisation's result gives, or before that result is set. `office` is the
/// office the appraisal belongs to (where the appraisee was on the period's first day).
pub(crate) fn check_leader_rating(
    conn: &Connection,
    office: &str,
    penilai_id: &str,
    doc: &AppraisalInput,
) -> Result<()> {
    let p = PeriodRef::from(doc);
    if !leads_unit(conn, office, penilai_id, &p)? {
        return Ok(());
    }
    let set = read(conn, office, &p)?;
    let office_name = crate::kernel::offices::get(conn, office)?.name;
    match leader_rating_refused(
        &office_name,
        &p.label(),
        set.map(|s| s.result),
        doc.hasil_kerja,
    ) {
        Some(reason) => Err(ValidationError::single(field::HASIL_KERJA, reason).into()),
        None => Ok(()),
    }
}

/// Writes an office's result for a period as the Kantor Camat's row, with its outbox mutation and
/// audit entry (the caller has checked who sets it).
pub(crate) fn write(
    conn: &Connection,
    office: &str,
    p: &PeriodRef,
    result: OrgResult,
    by: &str,
    leader: Option<&PersonLine>,
) -> Result<()> {
    let id = org_result_id(office, p);
    let base: i64 = conn
        .query_row("SELECT version FROM org_result WHERE id = ?1", [&id], |r| {
            r.get(0)
        })
        .optional()?
        .unwrap_or(0);
    conn.execute(
        "INSERT INTO org_result (id, office_id, year, period, month, result, owner_office_id,
             version, updated_by, updated_at, leader_signed)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 1, ?8, ?9, ?10)
         ON CONFLICT (id) DO UPDATE SET result = excluded.result, version = version + 1,
             owner_office_id = excluded.owner_office_id, updated_by = excluded.updated_by,
             updated_at = excluded.updated_at, leader_signed = excluded.leader_signed,
             deleted = 0",
        rusqlite::params![
            id,
            office,
            p.year,
            p.period.label(),
            p.month_column(),
            result.label(),
            office_id(HQ_CODE),
            by,
            now(),
            leader.map(|l| serde_json::to_string(l).unwrap_or_default()),
        ],
    )?;
    crate::kernel::journal::record(
        conn,
        crate::kernel::journal::Change {
            entity: "org_result",
            id: &id,
            base_version: base,
            actor: by,
            action: if base == 0 {
                AuditAction::Create
            } else {
                AuditAction::Update
            },
            detail: &format!("{} {} (ditandatangani)", p.label(), result.label()),
        },
    )
}

impl Store {
    /// Sets (or changes) an office's result for a period. It is a signature: the leader gives
    /// their password again, and the row keeps who they were.
    pub fn set_org_result(
        &mut self,
        actor: &Actor,
        office_id: &str,
        p: &PeriodRef,
        result: OrgResult,
        password: &str,
    ) -> Result<()> {
        self.authorize(actor, Action::SetOrgResult, Some(office_id))?;
        p.start()?;
        let office = crate::kernel::offices::get(&self.conn, office_id)?;
        self.check_password(&actor.username, password, chrono::Utc::now())?;
        let leader = match &actor.employee_id {
            Some(e) if office.id != self::office_id(HQ_CODE) => {
                Some(PersonLine::from(&employees::get(&self.conn, e)?))
            }
            _ => None,
        };
        let tx = self.conn.transaction()?;
        write(&tx, &office.id, p, result, &actor.username, leader.as_ref())?;
        tx.commit()?;
        Ok(())
    }
}
