//! Writing an appraisal row: its id (the same on every laptop for one appraisee, period and place
//! in the chain), its insert (a draft, an amendment, or one imported already signed) and the
//! outbox mutation and audit entry every write of it appends.

use pelita_core::appraisal::form::AppraisalInput;
use pelita_core::ValidationError;
use rusqlite::{Connection, OptionalExtension};

use crate::appraisal::period::{PeriodRef, PersonLine};
use crate::kernel::audit::AuditAction;
use crate::kernel::clock::now;
use crate::register::employees::{self, EmployeeRow};
use crate::Result;
use pelita_core::fact_id;

/// Records an appraisal's change: its outbox mutation and audit entry (`journal::record`).
pub(crate) fn record(
    conn: &Connection,
    id: &str,
    base_version: i64,
    by: &str,
    action: AuditAction,
    detail: &str,
) -> Result<()> {
    record_of("appraisal", conn, id, base_version, by, action, detail)
}

/// Records the change of a row of `entity` (an appraisal, a plan) by `by`.
pub(crate) fn record_of(
    entity: &str,
    conn: &Connection,
    id: &str,
    base_version: i64,
    by: &str,
    action: AuditAction,
    detail: &str,
) -> Result<()> {
    crate::kernel::journal::record(
        conn,
        crate::kernel::journal::Change {
            entity,
            id,
            base_version,
            actor: by,
            action,
            detail,
        },
    )
}

/// A new appraisal row: a draft, an amendment (`amends`), or one imported already signed.
pub(crate) struct NewAppraisal<'a> {
    pub employee: &'a EmployeeRow,
    pub penilai: &'a str,
    pub input: &'a AppraisalInput,
    pub amends: Option<&'a str>,
    /// Inserted Final, signed by this user (an import by the penilai).
    pub signed_by: Option<&'a str>,
}

/// The id of an appraisal: the same on every laptop for one appraisee, one period and one place
/// in the chain (the original, or the amendment of a given appraisal). Two laptops that both
/// start an employee's appraisal for a period write one row, so the hub meets them as a conflict
/// (or refuses the second once the first is Final) instead of keeping two signed documents.
pub(crate) fn appraisal_id(employee_id: &str, p: &PeriodRef, amends: Option<&str>) -> String {
    fact_id(
        "appraisal",
        &[
            employee_id,
            &p.year.to_string(),
            p.period.label(),
            &p.month_column().to_string(),
            amends.unwrap_or("asli"),
        ],
    )
}

/// Inserts an appraisal with its outbox mutation and audit entry; returns its id. A draft
/// discarded before under the same id comes back as the next version of that row.
pub(crate) fn insert_appraisal(
    conn: &Connection,
    n: &NewAppraisal<'_>,
    by: &str,
    detail: &str,
) -> Result<String> {
    let p = PeriodRef::from(n.input);
    let id = appraisal_id(&n.employee.id, &p, n.amends);
    let discarded: Option<i64> = conn
        .query_row(
            "SELECT version FROM appraisal WHERE id = ?1 AND deleted = 1",
            [&id],
            |r| r.get(0),
        )
        .optional()?;
    let stamp = now();
    // An appraisal belongs to the office the appraisee was in on the period's first day: a period
    // before a transfer is the office they left's, whose penilai appraises it there.
    let owner = crate::register::mutasi_rows::office_on(
        conn,
        &n.employee.id,
        &n.employee.office_id,
        p.start()?,
    )?;
    if n.signed_by.is_some() {
        crate::appraisal::org_result::check_leader_rating(conn, &owner, n.penilai, n.input)?;
    }
    let status = if n.signed_by.is_some() {
        "Final"
    } else {
        "Draft"
    };
    let signed = |e: &EmployeeRow| {
        n.signed_by
            .map(|_| serde_json::to_string(&PersonLine::from(e)).unwrap_or_default())
    };
    let penilai_signed = match n.signed_by {
        Some(_) => signed(&employees::get(conn, n.penilai)?),
        None => None,
    };
    let written = conn.execute(
        "INSERT INTO appraisal (id, owner_office_id, employee_id, penilai_id, year, period, month,
             document, predicate, status, amends_id, finalized_at, finalized_by, appraisee_signed,
             penilai_signed, version, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?15, ?16, ?17 + 1, ?14, ?14)
         ON CONFLICT (id) DO UPDATE SET owner_office_id = excluded.owner_office_id,
             penilai_id = excluded.penilai_id, document = excluded.document,
             predicate = excluded.predicate, status = excluded.status,
             finalized_at = excluded.finalized_at, finalized_by = excluded.finalized_by,
             appraisee_signed = excluded.appraisee_signed, penilai_signed = excluded.penilai_signed,
             version = excluded.version, deleted = 0, updated_at = excluded.updated_at
         WHERE appraisal.deleted = 1",
        rusqlite::params![
            id,
            owner,
            n.employee.id,
            n.penilai,
            p.year,
            p.period.label(),
            p.month_column(),
            document_json(n.input)?,
            n.input.predicate().map(|p| p.label()),
            status,
            n.amends,
            n.signed_by.map(|_| stamp.clone()),
            n.signed_by,
            stamp,
            signed(n.employee),
            penilai_signed,
            discarded.unwrap_or(0)
        ],
    )?;
    // The callers look for an appraisal of the period first; should one exist all the same (a
    // draft in that place), nothing was written and nothing may be recorded as if it had been.
    if written == 0 {
        return Err(ValidationError::single(
            "period",
            format!(
                "{} sudah memiliki penilaian untuk {}; buka penilaian itu",
                n.employee.display_name,
                p.label()
            ),
        )
        .into());
    }
    record(
        conn,
        &id,
        discarded.unwrap_or(0),
        by,
        AuditAction::Create,
        detail,
    )?;
    Ok(id)
}

pub(crate) fn document_json(doc: &AppraisalInput) -> Result<String> {
    serde_json::to_string(doc).map_err(|e| {
        ValidationError::single("document", format!("formulir tidak dapat disimpan ({e})")).into()
    })
}
