//! What a laptop and the register make of an account's roles: the office a laptop's roles are
//! judged by (`core::auth::admin_role_on`, `grantable_on`), and who heads an office (Pimpinan,
//! derived at sign-in like Penilai).

use rusqlite::Connection;

use crate::Result;

/// The office whose laptop this is, as roles see it: a demo database holds the whole district and
/// is tried out as the Kantor Camat's.
pub(crate) fn roles_office(conn: &Connection) -> Result<String> {
    if crate::db::meta_get(conn, crate::db::META_DEMO)?.is_some() {
        return Ok(pelita_core::office::office_id(pelita_core::office::HQ_CODE));
    }
    Ok(crate::db::meta_get(conn, crate::db::META_OFFICE_ID)?.unwrap_or_default())
}

/// Whether `employee_id` heads their office (the Lurah of a kelurahan, the Camat): active, with
/// active direct reports in their office, and no atasan in it.
pub(crate) fn heads_an_office(conn: &Connection, employee_id: &str) -> Result<bool> {
    Ok(conn.query_row(
        "SELECT count(*) > 0 FROM employee e
         WHERE e.id = ?1 AND e.active = 1 AND e.deleted = 0
           AND EXISTS (SELECT 1 FROM employee r WHERE r.atasan_id = e.id AND r.active = 1
                       AND r.deleted = 0 AND r.office_id = e.office_id)
           AND NOT EXISTS (SELECT 1 FROM employee a WHERE a.id = e.atasan_id
                           AND a.office_id = e.office_id)",
        [employee_id],
        |r| r.get(0),
    )?)
}
