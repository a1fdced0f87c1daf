//! Whose rows a laptop and an account reach: the office a laptop's roles are judged by, the office
//! a district-wide view covers, and the office an employee left still finishing a training record.

use rusqlite::Connection;

use crate::Result;

/// The office whose laptop this is, as roles see it: a demo database holds the whole district and
/// is tried out as the Kantor Camat's.
pub(crate) fn roles_office(conn: &Connection) -> Result<String> {
    if crate::kernel::db::meta_get(conn, crate::kernel::db::META_DEMO)?.is_some() {
        return Ok(pelita_core::office::office_id(pelita_core::office::HQ_CODE));
    }
    Ok(crate::kernel::db::meta_get(conn, crate::kernel::db::META_OFFICE_ID)?.unwrap_or_default())
}

pub(crate) use pelita_core::auth::office_scope;

/// Whether this laptop's office (`home`) may write `row` of `entity` as the office its employee
/// left, finishing the record of a training that began before the move
/// (`core::mutasi::left_office_may_write`, by the approved transfers this laptop holds).
pub(crate) fn left_office_writes(
    conn: &Connection,
    entity: &str,
    row: &serde_json::Value,
    home: &str,
) -> Result<bool> {
    let field = |f: &str| row.get(f).and_then(|v| v.as_str()).unwrap_or_default();
    let Ok(training) = crate::kernel::rows::payload(conn, "training", field("training_id")) else {
        return Ok(false);
    };
    let ids: Vec<String> = conn
        .prepare_cached(
            "SELECT id FROM mutasi WHERE employee_id = ?1 AND from_office_id = ?2
               AND status = 'Disetujui' AND deleted = 0",
        )?
        .query_map([field("employee_id"), home], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    for id in ids {
        let transfer = crate::kernel::rows::payload(conn, "mutasi", &id)?;
        if pelita_core::mutasi::left_office_may_write(entity, home, &training, &transfer) {
            return Ok(true);
        }
    }
    Ok(false)
}
