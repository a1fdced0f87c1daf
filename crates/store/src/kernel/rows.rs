//! Rows as they travel between laptops and the hub: a synced table's whole row as one JSON object
//! (column name → value, a training with its sessions), produced for the outbox from the table
//! itself and applied back the same way, so the two can never disagree about what a row holds.
//! Entity names are table names.

use rusqlite::types::Value;
use rusqlite::{Connection, OptionalExtension};
use serde_json::Value as Json;

use crate::{Result, StoreError};

/// A row of `entity` that cannot be read as one, and why.
pub(crate) fn unreadable(entity: &str, reason: impl std::fmt::Display) -> StoreError {
    StoreError::RowUnreadable {
        entity: entity.to_string(),
        reason: reason.to_string(),
    }
}

fn known(entity: &str) -> Result<&'static str> {
    pelita_proto::ENTITIES
        .iter()
        .copied()
        .find(|e| *e == entity)
        .ok_or_else(|| StoreError::RowUnreadable {
            entity: entity.to_string(),
            reason: "jenis data ini tidak dikenal".into(),
        })
}

/// The columns of a synced table, in table order.
fn columns(conn: &Connection, table: &str) -> Result<Vec<String>> {
    let mut stmt =
        conn.prepare_cached(&format!("SELECT name FROM pragma_table_info('{table}')"))?;
    let cols = stmt
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<Vec<String>>>()?;
    Ok(cols)
}

fn json_object_sql(cols: &[String]) -> String {
    let pairs: Vec<String> = cols.iter().map(|c| format!("'{c}', \"{c}\"")).collect();
    format!("json_object({})", pairs.join(", "))
}

/// The whole row `id` of `entity`, as the outbox records it and the hub stores it.
pub(crate) fn payload(conn: &Connection, entity: &str, id: &str) -> Result<Json> {
    let table = known(entity)?;
    let cols = columns(conn, table)?;
    let text: String = conn.query_row(
        &format!(
            "SELECT {} FROM \"{table}\" WHERE id = ?1",
            json_object_sql(&cols)
        ),
        [id],
        |r| r.get(0),
    )?;
    let mut row: Json = serde_json::from_str(&text).map_err(|e| unreadable(entity, e))?;
    if table == "training" {
        let cols = columns(conn, "training_session")?;
        let sessions: String = conn.query_row(
            &format!(
                "SELECT coalesce(json_group_array(json(s)), '[]') FROM
                   (SELECT {} AS s FROM training_session WHERE training_id = ?1 ORDER BY position)",
                json_object_sql(&cols)
            ),
            [id],
            |r| r.get(0),
        )?;
        row["sessions"] = serde_json::from_str(&sessions).unwrap_or_default();
    }
    Ok(row)
}

fn to_sql(v: Option<&Json>) -> Value {
    match v {
        None | Some(Json::Null) => Value::Null,
        Some(Json::Bool(b)) => Value::Integer(i64::from(*b)),
        Some(Json::Number(n)) => match n.as_i64() {
            Some(i) => Value::Integer(i),
            None => Value::Real(n.as_f64().unwrap_or_default()),
        },
        Some(Json::String(s)) => Value::Text(s.clone()),
        Some(other) => Value::Text(other.to_string()),
    }
}

/// Writes the columns `row` carries: a column it does not name (a row written by an older Pelita,
/// before the column existed) takes its default when the row is new and keeps its value otherwise
/// — never NULL, which a `NOT NULL DEFAULT` column would refuse.
fn upsert(conn: &Connection, table: &str, row: &serde_json::Map<String, Json>) -> Result<()> {
    let cols: Vec<String> = columns(conn, table)?
        .into_iter()
        .filter(|c| row.contains_key(c))
        .collect();
    let names: Vec<String> = cols.iter().map(|c| format!("\"{c}\"")).collect();
    let marks: Vec<String> = (1..=cols.len()).map(|i| format!("?{i}")).collect();
    let updates: Vec<String> = cols
        .iter()
        .filter(|c| *c != "id")
        .map(|c| format!("\"{c}\" = excluded.\"{c}\""))
        .collect();
    conn.prepare_cached(&format!(
        "INSERT INTO \"{table}\" ({}) VALUES ({}) ON CONFLICT (id) DO UPDATE SET {}",
        names.join(", "),
        marks.join(", "),
        updates.join(", ")
    ))?
    .execute(rusqlite::params_from_iter(
        cols.iter().map(|c| to_sql(row.get(c))),
    ))?;
    Ok(())
}

/// Applies a row from the hub when it is newer than the laptop's; returns whether it did.
pub(crate) fn apply(conn: &Connection, entity: &str, version: i64, payload: &Json) -> Result<bool> {
    let table = known(entity)?;
    let row = payload
        .as_object()
        .ok_or_else(|| unreadable(entity, "bukan objek"))?;
    let id = row.get("id").and_then(Json::as_str).unwrap_or_default();
    let local: Option<i64> = conn
        .query_row(
            &format!("SELECT version FROM \"{table}\" WHERE id = ?1"),
            [id],
            |r| r.get(0),
        )
        .optional()?;
    match local {
        Some(v) if v > version => return Ok(false),
        // The same version with other content (this laptop's own row the hub refused, while
        // another laptop's reached it under the same id): the hub's is the row, never a silent
        // difference at an equal version number.
        Some(v) if v == version && &self::payload(conn, entity, id)? == payload => {
            return Ok(false)
        }
        _ => {}
    }
    write(conn, entity, payload)?;
    Ok(true)
}

/// Runs `f` as sync writing the hub's truth: the guard that keeps a signed appraisal immutable
/// (migration 0011) steps aside for it. The marker lives only inside the caller's transaction.
/// The one other caller is a transfer, moving a signed appraisal whole to the receiving office.
pub(crate) fn as_the_hub_has_it<T>(conn: &Connection, f: impl FnOnce() -> Result<T>) -> Result<T> {
    conn.execute(
        "INSERT OR IGNORE INTO meta (key, value) VALUES ('hub_row_override', '1')",
        [],
    )?;
    let done = f();
    conn.execute("DELETE FROM meta WHERE key = 'hub_row_override'", [])?;
    done
}

/// Writes a whole row (with a training's sessions) as given, whatever the laptop held (a signed
/// appraisal too: only sync writes it, with the hub's row or the next version of its own).
pub(crate) fn write(conn: &Connection, entity: &str, payload: &Json) -> Result<()> {
    as_the_hub_has_it(conn, || write_row(conn, entity, payload))
}

fn write_row(conn: &Connection, entity: &str, payload: &Json) -> Result<()> {
    let table = known(entity)?;
    let row = payload
        .as_object()
        .ok_or_else(|| unreadable(entity, "bukan objek"))?;
    let id = row.get("id").and_then(Json::as_str).unwrap_or_default();
    upsert(conn, table, row)?;
    match table {
        "training" => {
            if let Some(theme) = row.get("theme").and_then(Json::as_str) {
                conn.execute(
                    "INSERT OR IGNORE INTO training_theme (name) VALUES (?1)",
                    [theme],
                )?;
            }
            let sessions = row
                .get("sessions")
                .and_then(Json::as_array)
                .cloned()
                .unwrap_or_default();
            for s in sessions.iter().filter_map(Json::as_object) {
                upsert(conn, "training_session", s)?;
            }
        }
        "employee" => crate::kernel::atasan::take_atasan_log(conn, id)?,
        _ => {}
    }
    Ok(())
}

/// Removes a row this laptop made that the hub never accepted (a training with its sessions).
/// Rows that reached the hub are never removed: they change by tombstone.
pub(crate) fn remove(conn: &Connection, entity: &str, id: &str) -> Result<()> {
    as_the_hub_has_it(conn, || remove_row(conn, entity, id))
}

fn remove_row(conn: &Connection, entity: &str, id: &str) -> Result<()> {
    let table = known(entity)?;
    match table {
        "training" => {
            conn.execute("DELETE FROM training_session WHERE training_id = ?1", [id])?;
        }
        // The atasan history this laptop derived from the row goes with it.
        "employee" => {
            conn.execute("DELETE FROM atasan_history WHERE employee_id = ?1", [id])?;
        }
        _ => {}
    }
    conn.execute(&format!("DELETE FROM \"{table}\" WHERE id = ?1"), [id])?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_row_without_a_newer_column_keeps_its_default_or_its_value() {
        let dir = tempfile::tempdir().unwrap();
        let conn = crate::kernel::db::open_connection(
            &dir.path().join("a.sqlite"),
            &crate::kernel::db::new_db_key(),
        )
        .unwrap();
        conn.execute_batch(
            "CREATE TABLE t (id TEXT PRIMARY KEY, a TEXT, objectives TEXT NOT NULL DEFAULT '[]')",
        )
        .unwrap();
        let row = |v: Json| v.as_object().unwrap().clone();
        // A row from before the column: inserted with the default, not refused for NULL.
        upsert(&conn, "t", &row(serde_json::json!({"id": "x", "a": "1"}))).unwrap();
        let read = |conn: &Connection| -> (String, String) {
            conn.query_row("SELECT a, objectives FROM t WHERE id = 'x'", [], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .unwrap()
        };
        assert_eq!(read(&conn), ("1".into(), "[]".into()));
        upsert(
            &conn,
            "t",
            &row(serde_json::json!({"id": "x", "a": "2", "objectives": "[\"A\"]"})),
        )
        .unwrap();
        // Written again by an older laptop: the column it does not know keeps its value.
        upsert(&conn, "t", &row(serde_json::json!({"id": "x", "a": "3"}))).unwrap();
        assert_eq!(read(&conn), ("3".into(), "[\"A\"]".into()));
    }

    #[test]
    fn values_cross_into_sqlite_types() {
        assert_eq!(to_sql(None), Value::Null);
        assert_eq!(to_sql(Some(&serde_json::json!(3))), Value::Integer(3));
        assert_eq!(to_sql(Some(&serde_json::json!(72.5))), Value::Real(72.5));
        assert_eq!(
            to_sql(Some(&serde_json::json!("a"))),
            Value::Text("a".into())
        );
        assert_eq!(
            to_sql(Some(&serde_json::json!([1, 2]))),
            Value::Text("[1,2]".into())
        );
    }
}
