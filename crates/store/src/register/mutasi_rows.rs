//! A transfer's row as the app reads it, and what other parts of the store ask of the transfers
//! a laptop holds: whether someone left an office (its read-only history of them), whether a NIP
//! is coming by a transfer (not a second registration), and which office someone was in on a day
//! (who owns an appraisal of a period before their move).

use chrono::NaiveDate;
use pelita_core::mutasi::MutasiStatus;
use pelita_core::ValidationError;
use rusqlite::{Connection, OptionalExtension, Row};
use serde::{Deserialize, Serialize};
use specta::Type;

use crate::{Result, StoreError};
use pelita_core::fact_id;

/// A transfer as the app lists it.
#[derive(Debug, Clone, Serialize, Type)]
pub struct MutasiRow {
    pub id: String,
    pub employee_id: String,
    pub nip: String,
    pub employee_name: String,
    pub from_office_id: String,
    pub from_office_name: String,
    pub to_office_id: String,
    pub to_office_name: String,
    pub tmt: String,
    pub sk_number: String,
    pub note: String,
    pub to_atasan_id: Option<String>,
    pub status: MutasiStatus,
    pub requested_by: String,
    pub requested_at: String,
    pub decided_by: Option<String>,
    pub decided_at: Option<String>,
    pub decision_note: String,
    pub owner_office_id: String,
    pub version: i64,
    /// The employee's row is on this laptop (the Kantor Camat holds everyone; the sending office
    /// keeps the read-only history of whoever left it).
    pub employee_held: bool,
}

/// What the Kantor Camat adds when approving: the SK number (when the request had none) and the
/// atasan langsung at the receiving office (else the request's, else the head of that office).
#[derive(Debug, Clone, Default, Serialize, Deserialize, Type)]
pub struct MutasiApproval {
    #[serde(default)]
    pub sk_number: String,
    #[serde(default)]
    pub atasan_id: Option<String>,
}

pub(crate) const SELECT: &str =
    "SELECT m.id, m.employee_id, m.nip, m.employee_name, m.from_office_id,
        coalesce(f.name, m.from_office_id), m.to_office_id, coalesce(t.name, m.to_office_id),
        m.tmt, m.sk_number, m.note, m.to_atasan_id, m.status, m.requested_by, m.requested_at,
        m.decided_by, m.decided_at, m.decision_note, m.owner_office_id, m.version,
        EXISTS (SELECT 1 FROM employee e WHERE e.id = m.employee_id AND e.deleted = 0)
    FROM mutasi m
    LEFT JOIN office f ON f.id = m.from_office_id
    LEFT JOIN office t ON t.id = m.to_office_id";

pub(crate) fn from_row(r: &Row) -> rusqlite::Result<MutasiRow> {
    let status: String = r.get(12)?;
    Ok(MutasiRow {
        id: r.get(0)?,
        employee_id: r.get(1)?,
        nip: r.get(2)?,
        employee_name: r.get(3)?,
        from_office_id: r.get(4)?,
        from_office_name: r.get(5)?,
        to_office_id: r.get(6)?,
        to_office_name: r.get(7)?,
        tmt: r.get(8)?,
        sk_number: r.get(9)?,
        note: r.get(10)?,
        to_atasan_id: r.get(11)?,
        status: MutasiStatus::parse(&status).ok_or_else(|| {
            rusqlite::Error::FromSqlConversionFailure(
                12,
                rusqlite::types::Type::Text,
                "status".into(),
            )
        })?,
        requested_by: r.get(13)?,
        requested_at: r.get(14)?,
        decided_by: r.get(15)?,
        decided_at: r.get(16)?,
        decision_note: r.get(17)?,
        owner_office_id: r.get(18)?,
        version: r.get(19)?,
        employee_held: r.get(20)?,
    })
}

pub(crate) fn get(conn: &Connection, id: &str) -> Result<MutasiRow> {
    conn.query_row(
        &format!("{SELECT} WHERE m.id = ?1 AND m.deleted = 0"),
        [id],
        from_row,
    )
    .optional()?
    .ok_or_else(|| StoreError::NotFound("mutasi".into()))
}

pub(crate) fn invalid(field: &str, message: impl Into<String>) -> StoreError {
    ValidationError::single(field, message).into()
}

pub(crate) fn office_name(conn: &Connection, id: &str) -> String {
    crate::kernel::offices::get(conn, id).map_or_else(|_| id.to_string(), |o| o.name)
}

/// The transfer of `employee_id` still waiting for a decision, if any.
pub(crate) fn open_for(conn: &Connection, employee_id: &str) -> Result<Option<MutasiRow>> {
    Ok(conn
        .query_row(
            &format!(
                "{SELECT} WHERE m.employee_id = ?1 AND m.status = 'Diajukan' AND m.deleted = 0"
            ),
            [employee_id],
            from_row,
        )
        .optional()?)
}

/// Whether `employee_id` left `office` by an approved transfer this laptop holds: the office keeps
/// their history, read-only.
pub(crate) fn moved_out_of(conn: &Connection, employee_id: &str, office: &str) -> Result<bool> {
    Ok(conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM mutasi m JOIN employee e ON e.id = m.employee_id
             WHERE m.employee_id = ?1 AND m.from_office_id = ?2 AND m.status = 'Disetujui'
               AND m.deleted = 0 AND e.office_id <> ?2)",
        [employee_id, office],
        |r| r.get(0),
    )?)
}

/// Why `nip` may not be registered at `office` on this laptop: a transfer of that person to it
/// is waiting or approved, and their record comes with it (not a second registration).
pub(crate) fn registration_blocked(
    conn: &Connection,
    nip: &str,
    office: &str,
) -> Result<Option<String>> {
    let found: Option<(String, String)> = conn
        .query_row(
            "SELECT status, tmt FROM mutasi WHERE employee_id = ?1 AND to_office_id = ?2
               AND status IN ('Diajukan', 'Disetujui') AND deleted = 0
             ORDER BY status = 'Disetujui' DESC LIMIT 1",
            [&fact_id("employee", &[nip]), office],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    Ok(found.map(|(status, tmt)| {
        if status == "Disetujui" {
            format!(
                "mutasi pegawai NIP {nip} ke kantor ini (TMT {}) sudah disetujui; sinkronkan agar datanya datang",
                pelita_core::tanggal_iso(&tmt)
            )
        } else {
            format!(
                "NIP {nip} sudah diajukan mutasi masuk ke kantor ini (TMT {}); datanya datang bersama mutasi setelah Kantor Camat menyetujuinya",
                pelita_core::tanggal_iso(&tmt)
            )
        }
    }))
}

/// The office `employee_id` (now of `current`) belonged to on `day`: the office they left by the
/// first approved transfer dated after it, else where they are.
pub(crate) fn office_on(
    conn: &Connection,
    employee_id: &str,
    current: &str,
    day: NaiveDate,
) -> Result<String> {
    let left: Option<String> = conn
        .query_row(
            "SELECT from_office_id FROM mutasi WHERE employee_id = ?1 AND status = 'Disetujui'
               AND deleted = 0 AND tmt > ?2 ORDER BY tmt LIMIT 1",
            rusqlite::params![employee_id, day.to_string()],
            |r| r.get(0),
        )
        .optional()?;
    Ok(left.unwrap_or_else(|| current.to_string()))
}

/// The office whose right to manage trainings covers recording `employee`'s attendance or L1
/// questionnaire at `training_id`: this laptop's, for someone who left it after that training
/// began; else the employee's own.
pub(crate) fn history_office(
    conn: &Connection,
    employee: &crate::EmployeeRow,
    training_id: &str,
) -> Result<String> {
    let home = crate::kernel::scope::roles_office(conn)?;
    let row = serde_json::json!({"employee_id": employee.id, "training_id": training_id});
    if employee.office_id != home
        && crate::kernel::scope::left_office_writes(conn, "attendance", &row, &home)?
    {
        return Ok(home);
    }
    Ok(employee.office_id.clone())
}
