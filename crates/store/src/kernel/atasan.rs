//! The atasan history every employee row carries (DESIGN §4.3): kept in step with each write of
//! an employee row, local or from the hub, dated with the local day and never before the
//! previous entry. The penilai of a period is read from it (`appraisal::penilai`).

use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension};

use crate::kernel::clock::today;
use crate::Result;

/// Appends to the atasan history when `employee_id`'s atasan differs from the last one recorded,
/// dated today on this laptop, and writes the history into the row (`atasan_log`), which the
/// change then carries to the hub (called with every local employee change, in its transaction).
pub(crate) fn note_atasan(conn: &Connection, employee_id: &str) -> Result<()> {
    note_atasan_from(conn, employee_id, today(conn))
}

/// As [`note_atasan`], the change dated `day` (a transfer's TMT) instead of today.
pub(crate) fn note_atasan_from(conn: &Connection, employee_id: &str, day: NaiveDate) -> Result<()> {
    derive_atasan(conn, employee_id, day)?;
    conn.execute(
        "UPDATE employee SET atasan_log = (
             SELECT json_group_array(json_object('atasan_id', h.atasan_id, 'valid_from', h.valid_from))
             FROM (SELECT atasan_id, valid_from FROM atasan_history
                   WHERE employee_id = ?1 ORDER BY seq) h)
         WHERE id = ?1",
        [employee_id],
    )?;
    Ok(())
}

/// Takes the atasan history of a row that came from the hub: every entry it carries, as the laptop
/// that changed it dated it, joins this laptop's (a union, so a laptop that knew only part of the
/// history — one set up after the changes, from rows that carried none — never wipes what others
/// know); a row without one (from an older laptop) has it derived as before.
pub(crate) fn take_atasan_log(conn: &Connection, employee_id: &str) -> Result<()> {
    let log: Option<String> = conn.query_row(
        "SELECT atasan_log FROM employee WHERE id = ?1",
        [employee_id],
        |r| r.get(0),
    )?;
    let Some(log) = log else {
        return derive_atasan(conn, employee_id, today(conn));
    };
    conn.execute(
        "INSERT INTO atasan_history (employee_id, atasan_id, valid_from)
         SELECT ?1, json_extract(e.value, '$.atasan_id'), json_extract(e.value, '$.valid_from')
         FROM json_each(?2) e
         WHERE NOT EXISTS (SELECT 1 FROM atasan_history h WHERE h.employee_id = ?1
                           AND h.atasan_id IS json_extract(e.value, '$.atasan_id')
                           AND h.valid_from = json_extract(e.value, '$.valid_from'))
         ORDER BY e.key",
        rusqlite::params![employee_id, log],
    )?;
    Ok(())
}

fn derive_atasan(conn: &Connection, employee_id: &str, day: NaiveDate) -> Result<()> {
    let current: Option<String> = conn.query_row(
        "SELECT atasan_id FROM employee WHERE id = ?1",
        [employee_id],
        |r| r.get(0),
    )?;
    let last: Option<Option<String>> = conn
        .query_row(
            "SELECT atasan_id FROM atasan_history WHERE employee_id = ?1
             ORDER BY valid_from DESC, seq DESC LIMIT 1",
            [employee_id],
            |r| r.get(0),
        )
        .optional()?;
    if last.as_ref() != Some(&current) {
        // Never dated before the previous change: a clock set back must not reorder history.
        let previous: Option<String> = conn.query_row(
            "SELECT max(valid_from) FROM atasan_history WHERE employee_id = ?1",
            [employee_id],
            |r| r.get(0),
        )?;
        let day = day.to_string();
        let valid_from = previous.filter(|p| *p > day).unwrap_or(day);
        conn.execute(
            "INSERT INTO atasan_history (employee_id, atasan_id, valid_from) VALUES (?1, ?2, ?3)",
            rusqlite::params![employee_id, current, valid_from],
        )?;
    }
    Ok(())
}
