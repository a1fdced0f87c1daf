//! What approving a transfer checks against the register (nobody left without their atasan, a
//! TMT not before the last change in the atasan history, an atasan who may be one at the
//! receiving office — or that office's head), and, on a Kantor Camat laptop that works without a
//! hub, the move itself: the employee to the receiving office, the atasan change dated by the TMT,
//! and their history written again under that office as `core::mutasi` says. With a hub, the hub
//! makes exactly that move in the push that approves the transfer (`pelita-hub`'s `moves`), and
//! every laptop receives it from there.

use chrono::NaiveDate;
use pelita_core::auth::Actor;
use pelita_core::employee::field;
use pelita_core::office::{office_id, HQ_CODE};
use pelita_core::ValidationError;
use rusqlite::{Connection, OptionalExtension};

use crate::kernel::audit::AuditAction;
use crate::kernel::clock::now;
use crate::kernel::journal::record_fact;
use crate::register::employees::EmployeeRow;
use crate::Result;

/// Checks that `employee` may move to `to` from `tmt`; returns their atasan there: `atasan` when
/// it may be one, else the head of that office (none when the register does not say who it is).
pub(crate) fn check_move(
    conn: &Connection,
    employee: &EmployeeRow,
    to: &str,
    atasan: Option<String>,
    tmt: NaiveDate,
) -> Result<Option<String>> {
    crate::register::employee_writes::heads_nobody(conn, employee, "sebelum mutasi disetujui")?;
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
                "TMT {} lebih awal dari perubahan atasan terakhir {} ({}); \
                 periksa TMT pada SK mutasi",
                pelita_core::tanggal(tmt),
                employee.display_name,
                pelita_core::tanggal_iso(&last)
            ),
        )
        .into());
    }
    match atasan {
        Some(a) => Ok(Some(checked_atasan(conn, &a, &employee.id, to)?)),
        None => head_of(conn, to, &employee.id),
    }
}

/// Moves `employee` to `to` from the transfer's TMT on this laptop, inside the caller's
/// transaction, as the hub would (a Kantor Camat laptop without a hub, or a demo).
pub(crate) fn move_employee(
    conn: &Connection,
    actor: &Actor,
    employee: &EmployeeRow,
    transfer: &serde_json::Value,
) -> Result<()> {
    let to = transfer["to_office_id"].as_str().unwrap_or_default();
    let tmt = transfer["tmt"].as_str().unwrap_or_default();
    let atasan = transfer["to_atasan_id"].as_str();
    let day = NaiveDate::parse_from_str(tmt, "%Y-%m-%d").map_err(|_| {
        ValidationError::single(pelita_core::mutasi::field::TMT, "TMT bukan tanggal")
    })?;
    conn.execute(
        "UPDATE employee SET office_id = ?2, owner_office_id = ?2, atasan_id = ?3,
             version = version + 1, updated_at = ?4 WHERE id = ?1",
        rusqlite::params![employee.id, to, atasan, now()],
    )?;
    crate::kernel::atasan::note_atasan_from(conn, &employee.id, day)?;
    crate::register::employee_writes::record_change(
        conn,
        &employee.id,
        employee.version,
        &actor.username,
        AuditAction::Update,
    )?;
    let detail = format!("ikut mutasi ke {to}");
    for entity in pelita_core::mutasi::HISTORY {
        for id in rows_about(conn, entity, &employee.id)? {
            let row = crate::kernel::rows::payload(conn, entity, &id)?;
            if !pelita_core::mutasi::follows_employee(entity, &row, tmt) {
                continue;
            }
            let base = row["version"].as_i64().unwrap_or(0);
            // Written as the hub writes it: a signed appraisal too (only its owner and version
            // change; the hub accepts nothing else of it, `core::appraisal::only_owner_moved`).
            crate::kernel::rows::write(
                conn,
                entity,
                &pelita_core::mutasi::refiled(&row, to, transfer),
            )?;
            record_fact(
                conn,
                entity,
                &id,
                base,
                (&actor.username, AuditAction::Update, &detail),
            )?;
        }
    }
    Ok(())
}

/// The ids of the rows of `entity` about `employee_id` (an L3 follow-up: through its enrolment).
fn rows_about(conn: &Connection, entity: &str, employee_id: &str) -> Result<Vec<String>> {
    let sql = if entity == "behaviour_followup" {
        "SELECT f.id FROM behaviour_followup f JOIN participation p ON p.id = f.participation_id
         WHERE p.employee_id = ?1"
    } else {
        &format!("SELECT id FROM \"{entity}\" WHERE employee_id = ?1")
    };
    let ids = conn
        .prepare(sql)?
        .query_map([employee_id], |r| r.get::<_, String>(0))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(ids)
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
    let heads = crate::register::employees::heads_of(conn, office)?;
    let heads: Vec<&String> = heads.iter().filter(|h| *h != employee).collect();
    Ok(match heads.as_slice() {
        [one] => Some((*one).clone()),
        _ => None,
    })
}
