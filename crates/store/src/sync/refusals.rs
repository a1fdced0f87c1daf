//! Changes the hub refused, on the laptop: kept for a person with what the laptop held and what
//! the hub holds (the laptop takes the hub's row back at once, so it is never ahead of the hub),
//! rows pulled from the hub that do not belong here, and "buang perubahan ini".

use pelita_core::auth::{Action, Actor};
use pelita_proto::{HubRow, RowChange};
use rusqlite::{params, OptionalExtension};
use serde::Serialize;
use specta::Type;

use crate::kernel::clock::now;
use crate::kernel::outbox::supersede;
use crate::{kernel::audit, kernel::rows, Result, Store, StoreError};

/// A change the hub refused, with its reason: what this laptop held (JSON) and what the hub
/// holds, which the laptop has taken back (none: the hub has no such row).
#[derive(Debug, Clone, Serialize, Type)]
pub struct RejectedChange {
    pub mutation_id: String,
    pub entity: String,
    pub row_id: String,
    pub reason: String,
    pub at: String,
    pub local_payload: Option<String>,
    pub hub_payload: Option<String>,
}

/// Keeps a refused change for a person (what this laptop held, what the hub holds) and takes the
/// hub's row back at once, so the laptop is never left ahead of the hub: the later changes of the
/// row were made on the refused one and leave the queue with it (the row as it stood is kept).
pub(crate) fn refused(
    tx: &rusqlite::Transaction<'_>,
    mutation_id: &str,
    entity: &str,
    row_id: &str,
    reason: &str,
    hub_row: Option<&HubRow>,
) -> Result<()> {
    let local = rows::payload(tx, entity, row_id).ok();
    tx.execute(
        "INSERT OR IGNORE INTO sync_rejected (mutation_id, entity, row_id, reason, at,
             local_payload, hub_version, hub_payload, hub_previous_owner)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        params![
            mutation_id,
            entity,
            row_id,
            reason,
            now(),
            local.map(|p| p.to_string()),
            hub_row.map(|h| h.version),
            hub_row.map(|h| h.payload.to_string()),
            hub_row.and_then(|h| h.previous_owner.clone())
        ],
    )?;
    supersede(tx, entity, row_id, Some(mutation_id))?;
    if let Some(h) = hub_row {
        rows::write(tx, entity, &h.payload)?;
    }
    Ok(())
}

/// Sets a pulled row aside with the reason this laptop cannot take it (logged, never applied).
pub(crate) fn set_aside(tx: &rusqlite::Transaction<'_>, c: &RowChange, reason: &str) -> Result<()> {
    tx.execute(
        "INSERT OR REPLACE INTO sync_rejected (mutation_id, entity, row_id, reason, at,
             hub_version, hub_payload)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![
            format!("pull:{}", c.seq),
            c.entity,
            c.row_id,
            reason,
            now(),
            c.version,
            c.payload.to_string()
        ],
    )?;
    Ok(())
}

/// Why a row pulled from the hub does not belong on this laptop (`None`: it does). The hub checks
/// the same rule; this is the laptop not taking a hub's (or a planted row's) word for it.
pub(crate) fn misfit(conn: &rusqlite::Connection, home: &str, c: &RowChange) -> Option<String> {
    use pelita_core::ownership;
    let owner = match crate::kernel::outbox::owner_here(conn, &c.entity, &c.payload) {
        Ok(owner) => owner,
        // A parent that has not arrived yet: the hub's word for the owner, checked below.
        Err(_) => c.owner_office_id.clone(),
    };
    // A row naming its owner itself must agree with the hub; one owned through its parent (an L1
    // questionnaire of someone who has since moved office) keeps the owner the hub checked when
    // it was written.
    if owner != c.owner_office_id && !ownership::derived(&c.entity) {
        return Some(format!(
            "pemilik yang dinyatakan hub ({}) berbeda dengan isi baris ({owner})",
            c.owner_office_id
        ));
    }
    let owner = c.owner_office_id.clone();
    if let Some(reason) = ownership::disagreement(&c.entity, &c.payload, &owner) {
        return Some(reason);
    }
    let hq = home == pelita_core::office::office_id(pelita_core::office::HQ_CODE);
    // A row that moved from this laptop's office to another (a transfer) is brought up to date:
    // the office keeps its read-only history as it now stands.
    let was_ours = c.previous_owner.as_deref() == Some(home);
    (!home.is_empty() && !ownership::readable(home, hq, &c.entity, &owner, &c.payload) && !was_ours)
        .then(|| "baris ini di luar cakupan kantor laptop ini".into())
}

/// Whether discarding a refused change removes its row from this laptop: the laptop made the row
/// itself (it never held the hub's), and the row it holds now is still its own refused one (the
/// hub has none) or one the hub does not give this office. A row the laptop held before, or that
/// moved away from this office, stays as the hub has it (the office's read-only history).
fn leaves_nothing_here(
    tx: &rusqlite::Transaction<'_>,
    mutation_id: &str,
    entity: &str,
    row_id: &str,
) -> Result<bool> {
    let created_here: bool = tx
        .query_row(
            "SELECT base_version = 0 FROM outbox WHERE mutation_id = ?1",
            [mutation_id],
            |r| r.get(0),
        )
        .optional()?
        .unwrap_or(false);
    let Ok(now) = rows::payload(tx, entity, row_id) else {
        return Ok(false);
    };
    if !created_here {
        return Ok(false);
    }
    let (local, hub, previous, hub_version): (
        Option<String>,
        Option<String>,
        Option<String>,
        Option<i64>,
    ) = tx.query_row(
        "SELECT local_payload, hub_payload, hub_previous_owner, hub_version FROM sync_rejected
         WHERE mutation_id = ?1",
        [mutation_id],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
    )?;
    // A version the hub sent after the refusal is one the hub gives this office (its own row, or
    // one that moved away from it): it stays.
    let version_now = now.get("version").and_then(|v| v.as_i64()).unwrap_or(0);
    if hub_version.is_some_and(|v| version_now > v) {
        return Ok(false);
    }
    if hub.is_none() {
        // Still the refused row itself, not a version the hub has sent since.
        let local: serde_json::Value =
            serde_json::from_str(&local.unwrap_or_default()).unwrap_or_default();
        return Ok(local == now);
    }
    let home =
        crate::kernel::db::meta_get(tx, crate::kernel::db::META_OFFICE_ID)?.unwrap_or_default();
    if previous.as_deref() == Some(home.as_str()) {
        return Ok(false);
    }
    let hq = home == pelita_core::office::office_id(pelita_core::office::HQ_CODE);
    Ok(match crate::kernel::outbox::owner_here(tx, entity, &now) {
        Ok(owner) => !pelita_core::ownership::readable(&home, hq, entity, &owner, &now),
        Err(_) => false,
    })
}

impl Store {
    /// Changes the hub refused (and pulled rows this laptop would not take) that no one has dealt
    /// with yet, newest first, each with what the laptop held and what the hub holds.
    pub fn sync_rejections(&mut self, actor: &Actor) -> Result<Vec<RejectedChange>> {
        self.authorize(actor, Action::ResolveSyncConflicts, None)?;
        let mut stmt = self.conn.prepare(
            "SELECT mutation_id, entity, row_id, reason, at, local_payload, hub_payload
             FROM sync_rejected WHERE settled_at IS NULL ORDER BY at DESC, mutation_id",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(RejectedChange {
                mutation_id: r.get(0)?,
                entity: r.get(1)?,
                row_id: r.get(2)?,
                reason: r.get(3)?,
                at: r.get(4)?,
                local_payload: r.get(5)?,
                hub_payload: r.get(6)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// "Buang perubahan ini": the refused change is given up. The laptop already holds the hub's
    /// row; a row the hub does not give this office is removed from this laptop, with any change
    /// of it made since, so the laptop holds what the hub holds for it. Rows here that still name
    /// it (a colleague's atasan, an attendance mark refused in turn) keep the reference, as rows
    /// pulled from the hub do. The refusal stays in the history.
    pub fn discard_rejected(&mut self, actor: &Actor, mutation_id: &str) -> Result<()> {
        self.authorize(actor, Action::ResolveSyncConflicts, None)?;
        let found: Option<(String, String)> = self
            .conn
            .query_row(
                "SELECT entity, row_id FROM sync_rejected
                 WHERE mutation_id = ?1 AND settled_at IS NULL",
                [mutation_id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        let (entity, row_id) = found
            .ok_or_else(|| StoreError::NotFound("perubahan ditolak yang belum ditangani".into()))?;
        self.without_foreign_keys(|s| s.discard_tx(actor, mutation_id, &entity, &row_id))
    }

    fn discard_tx(
        &mut self,
        actor: &Actor,
        mutation_id: &str,
        entity: &str,
        row_id: &str,
    ) -> Result<()> {
        let tx = self.conn.transaction()?;
        let at = now();
        if !mutation_id.starts_with("pull:")
            && leaves_nothing_here(&tx, mutation_id, entity, row_id)?
        {
            supersede(&tx, entity, row_id, None)?;
            rows::remove(&tx, entity, row_id)?;
        }
        tx.execute(
            "UPDATE sync_rejected SET settled_at = ?2, settled_by = ?3 WHERE mutation_id = ?1",
            params![mutation_id, at, actor.username],
        )?;
        let office = crate::kernel::db::meta_get(&tx, crate::kernel::db::META_OFFICE_ID)?
            .unwrap_or_default();
        audit::append(
            &tx,
            &audit::AuditEvent {
                actor: &actor.username,
                office_id: &office,
                action: audit::AuditAction::Update,
                entity,
                record_id: row_id,
                detail: "perubahan yang ditolak hub dibuang",
            },
        )?;
        tx.commit()?;
        Ok(())
    }
}
