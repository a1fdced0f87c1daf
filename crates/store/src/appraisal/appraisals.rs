//! Performance appraisal (SKP). A period is appraised by the appraisee's atasan langsung on the
//! period's first day (from `atasan_history`), whatever their roles otherwise allow: an Admin
//! Kecamatan is no one's penilai by being admin, and the penilai's own atasan is not a penilai of
//! their staff. A Final appraisal is immutable (store check and SQL trigger); a correction is an
//! amendment, a new appraisal naming the one it corrects, which stays visible.

use pelita_core::appraisal::form::{period_label, AppraisalInput};
use pelita_core::appraisal::{Period, Predicate};
use pelita_core::auth::{Actor, PermissionDenied, Role};
use pelita_core::ValidationError;
use rusqlite::{Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use specta::Type;

pub use crate::appraisal::period::{PeriodRef, PersonLine};
use crate::appraisal::rows::{document_json, record};
pub(crate) use crate::appraisal::rows::{insert_appraisal, NewAppraisal};
use crate::kernel::audit::AuditAction;
use crate::kernel::clock::now;
use crate::kernel::clock::today;
use crate::register::employees::{self, EmployeeRow};
use crate::{Result, Store, StoreError};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
pub enum AppraisalStatus {
    Draft,
    Final,
}

/// An appraisal as stored.
#[derive(Debug, Clone, Serialize, Type)]
pub struct Appraisal {
    pub id: String,
    pub employee_id: String,
    pub penilai_id: String,
    pub appraisee: PersonLine,
    pub penilai: PersonLine,
    pub period_label: String,
    pub document: AppraisalInput,
    /// Capaian per RHK item (realisasi / target in the indicator's direction), as a fraction.
    pub capaian: Vec<Option<f64>>,
    pub predicate: Option<Predicate>,
    pub status: AppraisalStatus,
    /// The Final appraisal this one corrects.
    pub amends_id: Option<String>,
    /// The amendment that corrects this one, if any (then this one no longer counts).
    pub amended_by: Option<String>,
    pub finalized_at: Option<String>,
    pub finalized_by: Option<String>,
    pub version: i64,
    pub updated_at: String,
}

/// One appraisee on a penilai's list for a period, with the appraisal that counts, if any.
#[derive(Debug, Clone, Serialize, Type)]
pub struct RosterLine {
    pub employee: EmployeeRow,
    pub appraisal_id: Option<String>,
    pub status: Option<AppraisalStatus>,
    pub predicate: Option<Predicate>,
}

const APPRAISAL_COLUMNS: &str = "a.id, a.employee_id, a.penilai_id, a.year, a.period, a.month,
    a.document, a.predicate, a.status, a.amends_id,
    (SELECT b.id FROM appraisal b WHERE b.amends_id = a.id AND b.deleted = 0),
    a.finalized_at, a.finalized_by, a.version, a.updated_at, a.appraisee_signed, a.penilai_signed";

fn appraisal_from_row(r: &rusqlite::Row) -> rusqlite::Result<Appraisal> {
    let text = |i: usize| -> rusqlite::Result<String> { r.get(i) };
    let conversion = |i: usize, e: String| {
        rusqlite::Error::FromSqlConversionFailure(i, rusqlite::types::Type::Text, e.into())
    };
    let period = Period::parse(&text(4)?).ok_or_else(|| conversion(4, "periode".into()))?;
    let month: u32 = r.get(5)?;
    let document: AppraisalInput =
        serde_json::from_str(&text(6)?).map_err(|e| conversion(6, e.to_string()))?;
    let predicate: Option<String> = r.get(7)?;
    Ok(Appraisal {
        id: text(0)?,
        employee_id: text(1)?,
        penilai_id: text(2)?,
        appraisee: PersonLine::default(),
        penilai: PersonLine::default(),
        period_label: period_label(r.get(3)?, period, (month > 0).then_some(month)),
        capaian: document.items.iter().map(|i| i.capaian()).collect(),
        document,
        predicate: predicate
            .and_then(|p| serde_json::from_value(serde_json::Value::String(p)).ok()),
        status: if text(8)? == "Final" {
            AppraisalStatus::Final
        } else {
            AppraisalStatus::Draft
        },
        amends_id: r.get(9)?,
        amended_by: r.get(10)?,
        finalized_at: r.get(11)?,
        finalized_by: r.get(12)?,
        version: r.get(13)?,
        updated_at: text(14)?,
    })
}

fn get(conn: &Connection, id: &str) -> Result<Appraisal> {
    let mut a = conn
        .query_row(
            &format!(
                "SELECT {APPRAISAL_COLUMNS} FROM appraisal a WHERE a.id = ?1 AND a.deleted = 0"
            ),
            [id],
            appraisal_from_row,
        )
        .optional()?
        .ok_or_else(|| StoreError::NotFound(format!("penilaian {id}")))?;
    // A signed appraisal names the people as they were when it was signed.
    let (appraisee, penilai): (Option<String>, Option<String>) = conn.query_row(
        "SELECT appraisee_signed, penilai_signed FROM appraisal WHERE id = ?1",
        [id],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    a.appraisee = match appraisee.and_then(|j| serde_json::from_str(&j).ok()) {
        Some(p) => p,
        None => (&employees::get(conn, &a.employee_id)?).into(),
    };
    a.penilai = match penilai.and_then(|j| serde_json::from_str(&j).ok()) {
        Some(p) => p,
        None => (&employees::get(conn, &a.penilai_id)?).into(),
    };
    Ok(a)
}

/// Every appraisal that counts (not amended by another), optionally only those of one penilai
/// (an employee id) and one period, by period and appraisee.
pub(crate) fn get_all_current(
    conn: &Connection,
    penilai: Option<&str>,
    period: Option<&PeriodRef>,
) -> Result<Vec<Appraisal>> {
    let mut sql = String::from(
        "SELECT a.id FROM appraisal a JOIN employee e ON e.id = a.employee_id
         WHERE a.deleted = 0 AND NOT EXISTS (SELECT 1 FROM appraisal b WHERE b.amends_id = a.id)",
    );
    let mut params: Vec<rusqlite::types::Value> = Vec::new();
    if let Some(p) = penilai {
        params.push(p.to_string().into());
        sql.push_str(&format!(" AND a.penilai_id = ?{}", params.len()));
    }
    if let Some(p) = period {
        params.push(i64::from(p.year).into());
        sql.push_str(&format!(" AND a.year = ?{}", params.len()));
        params.push(p.period.label().to_string().into());
        sql.push_str(&format!(" AND a.period = ?{}", params.len()));
        params.push(i64::from(p.month_column()).into());
        sql.push_str(&format!(" AND a.month = ?{}", params.len()));
    }
    sql.push_str(" ORDER BY a.year, a.period, a.month, e.nip");
    let ids: Vec<String> = conn
        .prepare(&sql)?
        .query_map(rusqlite::params_from_iter(params), |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    ids.iter().map(|id| get(conn, id)).collect()
}

/// The appraisal that counts for the employee and period: the end of the amendment chain.
pub(crate) fn current_for(
    conn: &Connection,
    employee_id: &str,
    p: &PeriodRef,
) -> Result<Option<Appraisal>> {
    let mut id: Option<String> = conn
        .query_row(
            "SELECT id FROM appraisal WHERE employee_id = ?1 AND year = ?2 AND period = ?3
             AND month = ?4 AND amends_id IS NULL AND deleted = 0",
            rusqlite::params![employee_id, p.year, p.period.label(), p.month_column()],
            |r| r.get(0),
        )
        .optional()?;
    // The last Final of the chain counts; a draft amendment does not replace what was signed.
    let mut last = None;
    let mut last_final = None;
    while let Some(next) = id {
        let a = get(conn, &next)?;
        id = a.amended_by.clone();
        if a.status == AppraisalStatus::Final {
            last_final = Some(a.clone());
        }
        last = Some(a);
    }
    Ok(last_final.or(last))
}

fn final_is_immutable() -> StoreError {
    ValidationError::single(
        "status",
        "penilaian berstatus Final tidak dapat diubah; buat amandemen untuk mengoreksinya",
    )
    .into()
}

impl Store {
    /// One appraisal, for its penilai, its appraisee, or an Admin Kecamatan.
    pub fn appraisal(&mut self, actor: &Actor, id: &str) -> Result<Appraisal> {
        let a = get(&self.conn, id)?;
        let mine = actor.employee_id.as_deref();
        if actor.has(Role::AdminKecamatan)
            || mine == Some(&a.penilai_id)
            || mine == Some(&a.employee_id)
        {
            return Ok(a);
        }
        let denied = PermissionDenied::Role("melihat penilaian kinerja ini (hanya penilai, pegawai yang dinilai, atau Admin Kecamatan)");
        Err(self.refuse(actor, denied, id, "ViewAppraisal"))
    }

    /// Saves a draft: a new one when `id` is `None`, otherwise the draft `id` at `expected_version`.
    pub fn save_appraisal(
        &mut self,
        actor: &Actor,
        id: Option<&str>,
        expected_version: i64,
        input: &AppraisalInput,
    ) -> Result<Appraisal> {
        let employee = employees::get(&self.conn, &input.employee_id)?;
        let p = PeriodRef::from(input);
        let penilai = self.check_penilai(actor, &employee, &p)?;
        input.validate_draft(today(&self.conn))?;
        let document = document_json(input)?;
        let predicate = input.predicate().map(|p| p.label());
        let tx = self.conn.transaction()?;
        let id = match id {
            None => {
                if current_for(&tx, &employee.id, &p)?.is_some() {
                    return Err(ValidationError::single(
                        "period",
                        format!(
                            "{} sudah memiliki penilaian untuk {}; buka penilaian itu",
                            employee.display_name,
                            p.label()
                        ),
                    )
                    .into());
                }
                insert_appraisal(
                    &tx,
                    &NewAppraisal {
                        employee: &employee,
                        penilai: &penilai,
                        input,
                        amends: None,
                        signed_by: None,
                    },
                    &actor.username,
                    "draft",
                )?
            }
            Some(id) => {
                let current = get(&tx, id)?;
                if current.status == AppraisalStatus::Final {
                    return Err(final_is_immutable());
                }
                if current.employee_id != employee.id || current.period_label != p.label() {
                    return Err(ValidationError::single(
                        "period",
                        "pegawai dan periode sebuah penilaian tidak dapat diganti; buat penilaian baru",
                    )
                    .into());
                }
                if current.version != expected_version {
                    return Err(StoreError::VersionConflict);
                }
                tx.execute(
                    "UPDATE appraisal SET document = ?2, predicate = ?3, version = version + 1, updated_at = ?4
                     WHERE id = ?1",
                    rusqlite::params![id, document, predicate, now()],
                )?;
                record(
                    &tx,
                    id,
                    expected_version,
                    &actor.username,
                    AuditAction::Update,
                    "draft",
                )?;
                id.to_string()
            }
        };
        tx.commit()?;
        get(&self.conn, &id)
    }

    /// Signs a draft: the penilai gives their password again; the appraisal becomes Final.
    pub fn finalize_appraisal(
        &mut self,
        actor: &Actor,
        id: &str,
        expected_version: i64,
        password: &str,
    ) -> Result<Appraisal> {
        let current = get(&self.conn, id)?;
        if current.status == AppraisalStatus::Final {
            return Err(final_is_immutable());
        }
        let employee = employees::get(&self.conn, &current.employee_id)?;
        let doc = &current.document;
        let p = PeriodRef::from(doc);
        self.check_penilai(actor, &employee, &p)?;
        if current.version != expected_version {
            return Err(StoreError::VersionConflict);
        }
        doc.validate_final(today(&self.conn))?;
        let office: String = self.conn.query_row(
            "SELECT owner_office_id FROM appraisal WHERE id = ?1",
            [id],
            |r| r.get(0),
        )?;
        crate::appraisal::org_result::check_leader_rating(
            &self.conn,
            &office,
            &current.penilai_id,
            doc,
        )?;
        self.check_password(&actor.username, password, chrono::Utc::now())?;
        let signed = |p: &PersonLine| serde_json::to_string(p).unwrap_or_default();
        let tx = self.conn.transaction()?;
        let changed = tx.execute(
            "UPDATE appraisal SET status = 'Final', finalized_at = ?2, finalized_by = ?3,
                 appraisee_signed = ?5, penilai_signed = ?6, version = version + 1, updated_at = ?2
             WHERE id = ?1 AND status = 'Draft' AND version = ?4",
            rusqlite::params![
                id,
                now(),
                actor.username,
                expected_version,
                signed(&PersonLine::from(&employee)),
                signed(&PersonLine::from(&employees::get(
                    &tx,
                    &current.penilai_id
                )?))
            ],
        )?;
        if changed != 1 {
            // Changed (or signed) by another program between the check and the signature.
            return Err(StoreError::VersionConflict);
        }
        record(
            &tx,
            id,
            expected_version,
            &actor.username,
            AuditAction::Update,
            "final (ditandatangani)",
        )?;
        tx.commit()?;
        get(&self.conn, id)
    }

    /// Starts a correction of a Final appraisal: a new draft with its content that names it.
    pub fn amend_appraisal(&mut self, actor: &Actor, id: &str) -> Result<Appraisal> {
        let original = get(&self.conn, id)?;
        let employee = employees::get(&self.conn, &original.employee_id)?;
        let doc = original.document.clone();
        let p = PeriodRef::from(&doc);
        let penilai = self.check_penilai(actor, &employee, &p)?;
        if original.status != AppraisalStatus::Final {
            return Err(ValidationError::single(
                "status",
                "hanya penilaian Final yang diamandemen; draf dapat langsung diubah",
            )
            .into());
        }
        if let Some(next) = &original.amended_by {
            return Err(ValidationError::single(
                "status",
                format!("penilaian ini sudah diamandemen ({next}); ubah amandemen itu"),
            )
            .into());
        }
        let tx = self.conn.transaction()?;
        let new_id = insert_appraisal(
            &tx,
            &NewAppraisal {
                employee: &employee,
                penilai: &penilai,
                input: &doc,
                amends: Some(id),
                signed_by: None,
            },
            &actor.username,
            &format!("amandemen atas {id}"),
        )?;
        tx.commit()?;
        get(&self.conn, &new_id)
    }

    /// Throws away a draft (an unfinished amendment, or a draft started by mistake); the signed
    /// appraisal it would have corrected stays as it was. Final appraisals cannot be discarded.
    pub fn discard_appraisal_draft(
        &mut self,
        actor: &Actor,
        id: &str,
        expected_version: i64,
    ) -> Result<()> {
        let current = get(&self.conn, id)?;
        let employee = employees::get(&self.conn, &current.employee_id)?;
        self.check_penilai(actor, &employee, &PeriodRef::from(&current.document))?;
        if current.status == AppraisalStatus::Final {
            return Err(final_is_immutable());
        }
        if current.version != expected_version {
            return Err(StoreError::VersionConflict);
        }
        let tx = self.conn.transaction()?;
        tx.execute(
            "UPDATE appraisal SET deleted = 1, version = version + 1, updated_at = ?2
             WHERE id = ?1 AND status = 'Draft' AND deleted = 0",
            rusqlite::params![id, now()],
        )?;
        record(
            &tx,
            id,
            expected_version,
            &actor.username,
            AuditAction::Delete,
            "draf dibuang",
        )?;
        tx.commit()?;
        Ok(())
    }
}
