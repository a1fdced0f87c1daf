//! The transactional outbox: each local change appends one mutation in the same transaction.

use pelita_core::office::{office_id, HQ_CODE};
use pelita_core::ownership;
use pelita_core::ValidationError;
use rusqlite::Connection;
use serde::Serialize;
use specta::Type;

use crate::kernel::clock::now;
use crate::kernel::db;
use crate::Result;
use pelita_proto::EnrollResponse;

#[derive(Debug, Clone, Serialize, Type)]
pub struct OutboxEntry {
    pub seq: i64,
    pub mutation_id: String,
    pub entity: String,
    pub row_id: String,
    pub op: String,
    pub base_version: i64,
    pub version: i64,
    pub owner_office_id: String,
    pub payload: String,
}

/// The mutation-id prefix of this copy of the database: `<database id>.<copy id>`.
pub(crate) fn writer(conn: &Connection) -> Result<String> {
    Ok(conn.query_row(
        "SELECT coalesce((SELECT value FROM meta WHERE key = ?1), '') || '.' ||
                coalesce((SELECT value FROM meta WHERE key = ?2), '0')",
        [
            crate::kernel::db::META_DATABASE_ID,
            crate::kernel::db::META_COPY_ID,
        ],
        |r| r.get(0),
    )?)
}

/// The office that owns a row of this laptop, by the rule the hub applies
/// ([`pelita_core::ownership`]), its parents read from this laptop's tables.
pub(crate) fn owner_here(
    conn: &Connection,
    entity: &str,
    row: &serde_json::Value,
) -> Result<String> {
    let parent = |entity: &str, id: &str| crate::kernel::rows::payload(conn, entity, id).ok();
    ownership::owner_of(entity, row, &parent)
        .map_err(|reason| ValidationError::single("id", reason).into())
}

/// Refuses on this laptop what the hub would refuse from it: a row whose owner was `before` (none:
/// a new row) and becomes `after`, when this laptop's office may not write it. A demo database,
/// which holds the whole district and never syncs, writes everything.
pub(crate) fn writable_here(
    conn: &Connection,
    entity: &str,
    before: Option<&str>,
    after: &str,
) -> Result<()> {
    let home = crate::kernel::db::meta_get(conn, crate::kernel::db::META_OFFICE_ID)?;
    let demo = crate::kernel::db::meta_get(conn, crate::kernel::db::META_DEMO)?.is_some();
    let Some(home) = home.filter(|_| !demo) else {
        return Ok(());
    };
    let hq = home == office_id(HQ_CODE);
    if ownership::may_write(&home, hq, before, after) {
        return Ok(());
    }
    let theirs = before.filter(|b| *b != home).unwrap_or(after);
    let name =
        crate::kernel::offices::get(conn, theirs).map_or_else(|_| theirs.to_string(), |o| o.name);
    Err(ValidationError::single("office_id", ownership::refusal(entity, &name)).into())
}

/// Appends the mutation of a row just written (made on `base_version`); its payload is the whole
/// row as it now stands, at its version, its owner what the row itself says, checked against what
/// this laptop may write. Returns that owner. Called through `journal::record`, with the audit
/// entry, except when sync itself writes a settled conflict.
///
/// Its id is `<database id>.<copy id>.<outbox seq>`: unique across laptops, and never reused by a
/// restore or a second copy of a backup (each draws a new copy id), and cheap on the wire (only
/// the number changes from one to the next).
pub(crate) fn append(
    conn: &Connection,
    entity: &str,
    row_id: &str,
    base_version: i64,
) -> Result<String> {
    let payload = crate::kernel::rows::payload(conn, entity, row_id)?;
    let version = payload
        .get("version")
        .and_then(serde_json::Value::as_i64)
        .unwrap_or(base_version + 1);
    let owner = owner_here(conn, entity, &payload)?;
    if let Err(refused) = writable_here(conn, entity, None, &owner) {
        // The office someone left still finishes the record of their training (the hub agrees).
        let home = crate::kernel::scope::roles_office(conn)?;
        if !crate::kernel::scope::left_office_writes(conn, entity, &payload, &home)? {
            return Err(refused);
        }
    }
    let prefix = writer(conn)?;
    conn.execute(
        "INSERT INTO outbox (mutation_id, entity, row_id, op, base_version, version,
                             owner_office_id, payload, created_at)
         VALUES (?1, ?2, ?3, 'upsert', ?4, ?5, ?6, ?7, ?8)",
        rusqlite::params![
            uuid::Uuid::new_v4().to_string(),
            entity,
            row_id,
            base_version,
            version,
            owner,
            payload.to_string(),
            now()
        ],
    )?;
    conn.execute(
        "UPDATE outbox SET mutation_id = ?1 || '.' || seq WHERE seq = last_insert_rowid()",
        [prefix],
    )?;
    // A row in an open conflict changes only its local side: the change is not sent on top of
    // the hub's version; the person's resolution sends the row as it then stands.
    conn.execute(
        "UPDATE outbox SET acked_at = ?1, outcome = 'superseded'
         WHERE seq = last_insert_rowid() AND EXISTS (SELECT 1 FROM sync_conflict
           WHERE entity = outbox.entity AND row_id = outbox.row_id AND resolved_at IS NULL)",
        [now()],
    )?;
    Ok(owner)
}

/// Takes a row's unsent changes out of the queue (all of them, or all but `except`): a conflict
/// or a refusal now speaks for them, or a person gave them up.
pub(crate) fn supersede(
    conn: &Connection,
    entity: &str,
    row_id: &str,
    except: Option<&str>,
) -> Result<()> {
    conn.execute(
        "UPDATE outbox SET acked_at = ?3, outcome = 'superseded'
         WHERE entity = ?1 AND row_id = ?2 AND acked_at IS NULL AND mutation_id IS NOT ?4",
        rusqlite::params![entity, row_id, now(), except],
    )?;
    Ok(())
}

pub(crate) fn pending(conn: &Connection) -> Result<Vec<OutboxEntry>> {
    let mut stmt = conn.prepare(
        "SELECT seq, mutation_id, entity, row_id, op, base_version, version, owner_office_id, payload
         FROM outbox WHERE acked_at IS NULL ORDER BY seq",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(OutboxEntry {
            seq: r.get(0)?,
            mutation_id: r.get(1)?,
            entity: r.get(2)?,
            row_id: r.get(3)?,
            op: r.get(4)?,
            base_version: r.get(5)?,
            version: r.get(6)?,
            owner_office_id: r.get(7)?,
            payload: r.get(8)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Keeps an enrolment's token and device, from cursor 0.
pub(crate) fn record_enrolment(
    tx: &rusqlite::Transaction<'_>,
    hub_url: &str,
    e: &EnrollResponse,
) -> Result<()> {
    tx.execute(
        "INSERT INTO sync_state (id, hub_url, device_id, token, office_id, cursor)
         VALUES (1, ?1, ?2, ?3, ?4, 0)
         ON CONFLICT (id) DO UPDATE SET hub_url = excluded.hub_url, device_id = excluded.device_id,
             token = excluded.token, office_id = excluded.office_id, cursor = 0, last_error = NULL",
        rusqlite::params![
            hub_url.trim_end_matches('/'),
            e.device_id,
            e.token,
            e.office_id
        ],
    )?;
    // A new enrolment is a new copy (the answer to a hub that found this database's ids used by
    // another copy): changes not yet acknowledged are renumbered under the new prefix, and
    // everything is pulled again. A change that did arrive under its old id comes back as the
    // same content and is answered as a duplicate.
    db::new_copy_id(tx)?;
    let prefix = crate::kernel::outbox::writer(tx)?;
    tx.execute(
        "UPDATE outbox SET mutation_id = ?1 || '.' || seq WHERE acked_at IS NULL",
        [&prefix],
    )?;
    Ok(())
}
