//! What an approved transfer moves: the employee to the receiving office with an atasan there
//! (the change dated by the TMT in the atasan history), and their history with them — trainings
//! (participations), attendance, L1 questionnaires, L3 follow-ups and appraisals, signed ones
//! whole. Each moved row is written again with its next version, so the hub re-files it under the
//! receiving office (which then receives it) and the sending office keeps it, read-only, as the
//! office it left.

use chrono::NaiveDate;
use pelita_core::auth::Actor;
use pelita_core::employee::field;
use pelita_core::office::{office_id, HQ_CODE};
use pelita_core::ValidationError;
use rusqlite::{Connection, OptionalExtension};

use crate::audit::AuditAction;
use crate::employees::EmployeeRow;
use crate::outbox::now;
use crate::trainings::record_fact;
use crate::Result;

/// The kinds of rows that follow an employee, with how to find them: `(entity, rows of the
/// employee)`. Participations and appraisals name their office; the others take it from them.
const HISTORY: &[(&str, &str)] = &[
    (
        "participation",
        "SELECT id FROM participation WHERE employee_id = ?1",
    ),
    (
        "attendance",
        "SELECT id FROM attendance WHERE employee_id = ?1",
    ),
    ("reaction", "SELECT id FROM reaction WHERE employee_id = ?1"),
    (
        "behaviour_followup",
        "SELECT f.id FROM behaviour_followup f JOIN participation p ON p.id = f.participation_id
         WHERE p.employee_id = ?1",
    ),
    (
        "appraisal",
        "SELECT id FROM appraisal WHERE employee_id = ?1",
    ),
];

/// Moves `employee` to `to` from `tmt`, inside the caller's transaction.
pub(crate) fn move_employee(
    conn: &Connection,
    actor: &Actor,
    employee: &EmployeeRow,
    to: &str,
    atasan: Option<String>,
    tmt: NaiveDate,
) -> Result<()> {
    crate::employee_writes::heads_nobody(conn, employee, "sebelum mutasi disetujui")?;
    // The TMT dates the change in the atasan history, which never runs backwards: a transfer
    // dated before the last change recorded would leave that change to speak for the days after.
    let last: Option<String> = conn.query_row(
        "SELECT max(valid_from) FROM atasan_history WHERE employee_id = ?1",
        [&employee.id],
        |r| r.get(0),
    )?;
    if let Some(last) = last.filter(|l| *l > tmt.to_string()) {
        return Err(ValidationError::single(
            pelita_core::mutasi::field::TMT,
            format!(
                "TMT {tmt} lebih awal dari perubahan atasan terakhir {} ({last}); \
                 periksa TMT pada SK mutasi",
                employee.display_name
            ),
        )
        .into());
    }
    let atasan = match atasan {
        Some(a) => Some(checked_atasan(conn, &a, &employee.id, to)?),
        None => head_of(conn, to, &employee.id)?,
    };
    conn.execute(
        "UPDATE employee SET office_id = ?2, owner_office_id = ?2, atasan_id = ?3,
             version = version + 1, updated_at = ?4 WHERE id = ?1",
        rusqlite::params![employee.id, to, atasan, now()],
    )?;
    crate::penilai::note_atasan_from(conn, &employee.id, tmt)?;
    crate::employee_writes::record_change(
        conn,
        &employee.id,
        employee.version,
        &actor.username,
        AuditAction::Update,
    )?;
    let detail = format!("ikut mutasi ke {to}");
    for (entity, rows) in HISTORY {
        let ids = conn
            .prepare(rows)?
            .query_map([&employee.id], |r| r.get::<_, String>(0))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        for id in ids {
            let base: i64 = conn.query_row(
                &format!("SELECT version FROM \"{entity}\" WHERE id = ?1"),
                [&id],
                |r| r.get(0),
            )?;
            let owned = matches!(*entity, "participation" | "appraisal");
            let set_owner = if owned { ", owner_office_id = ?2" } else { "" };
            let sql =
                format!("UPDATE \"{entity}\" SET version = version + 1{set_owner} WHERE id = ?1");
            // A signed appraisal moves whole: only its owner and version change (the hub checks
            // the same, `core::appraisal::only_owner_moved`).
            crate::sync_rows::as_the_hub_has_it(conn, || {
                if owned {
                    conn.execute(&sql, [&id, &to.to_string()])?;
                } else {
                    conn.execute(&sql, [&id])?;
                }
                Ok(())
            })?;
            record_fact(
                conn,
                entity,
                &id,
                (base, base + 1),
                to,
                (&actor.username, AuditAction::Update, &detail),
            )?;
        }
    }
    Ok(())
}

/// The atasan a transfer names, if they may be one at `to`: active, of that office or the Kantor
/// Camat (a Lurah's atasan is the Camat), and not the employee.
fn checked_atasan(conn: &Connection, atasan: &str, employee: &str, to: &str) -> Result<String> {
    let found: Option<(String, bool)> = conn
        .query_row(
            "SELECT office_id, active FROM employee WHERE id = ?1 AND deleted = 0",
            [atasan],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let fits = matches!(&found, Some((office, true))
        if (office == to || *office == office_id(HQ_CODE)) && atasan != employee);
    if !fits {
        return Err(ValidationError::single(
            field::ATASAN,
            "atasan langsung yang dipilih harus pegawai aktif di kantor tujuan (atau Camat)",
        )
        .into());
    }
    Ok(atasan.to_string())
}

/// The head of `office` (its Lurah), the default atasan of whoever joins it; none when the
/// register does not say who it is.
fn head_of(conn: &Connection, office: &str, employee: &str) -> Result<Option<String>> {
    let heads = conn
        .prepare(
            "SELECT e.id FROM employee e
             WHERE e.office_id = ?1 AND e.id <> ?2 AND e.active = 1 AND e.deleted = 0
               AND EXISTS (SELECT 1 FROM employee r WHERE r.atasan_id = e.id AND r.active = 1
                           AND r.deleted = 0 AND r.office_id = e.office_id)
               AND NOT EXISTS (SELECT 1 FROM employee a WHERE a.id = e.atasan_id
                               AND a.office_id = e.office_id)",
        )?
        .query_map([office, employee], |r| r.get::<_, String>(0))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(match heads.as_slice() {
        [one] => Some(one.clone()),
        _ => None,
    })
}
