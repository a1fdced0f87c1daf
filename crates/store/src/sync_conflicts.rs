//! Conflicts and rejections on the laptop: a person settles a conflict (keep mine, keep the
//! hub's, or a row chosen field by field) and the settled row is the next version sent; the hub
//! hears which conflicts were settled; rejections stay listed with their reasons.

use pelita_core::auth::{Action, Actor};
use rusqlite::{params, OptionalExtension};
use serde::Serialize;
use specta::Type;

use crate::outbox::now;
use crate::sync::local_row;
use crate::{audit, sync_rows, Result, Store, StoreError};

/// How a person settles a conflict.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize, Serialize, Type)]
pub enum Resolution {
    KeepMine,
    KeepTheirs,
    /// The whole row, chosen field by field (JSON, as the conflict shows both versions).
    Merged(String),
}

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

/// Both versions of a row two laptops changed.
#[derive(Debug, Clone, Serialize, Type)]
pub struct SyncConflict {
    pub mutation_id: String,
    pub entity: String,
    pub row_id: String,
    pub local_version: i64,
    pub local_payload: String,
    pub hub_version: i64,
    pub hub_payload: String,
    pub detected_at: String,
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
    let Ok(now) = sync_rows::payload(tx, entity, row_id) else {
        return Ok(false);
    };
    if !created_here {
        return Ok(false);
    }
    let (local, hub, previous): (Option<String>, Option<String>, Option<String>) = tx.query_row(
        "SELECT local_payload, hub_payload, hub_previous_owner FROM sync_rejected
         WHERE mutation_id = ?1",
        [mutation_id],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )?;
    if hub.is_none() {
        // Still the refused row itself, not a version the hub has sent since.
        let local: serde_json::Value =
            serde_json::from_str(&local.unwrap_or_default()).unwrap_or_default();
        return Ok(local == now);
    }
    let home = crate::db::meta_get(tx, crate::db::META_OFFICE_ID)?.unwrap_or_default();
    if previous.as_deref() == Some(home.as_str()) {
        return Ok(false);
    }
    let hq = home == pelita_core::office::office_id(pelita_core::office::HQ_CODE);
    Ok(match crate::outbox::owner_here(tx, entity, &now) {
        Ok(owner) => !pelita_core::ownership::readable(&home, hq, entity, &owner),
        Err(_) => false,
    })
}

impl Store {
    /// Conflicts settled here that the hub has not heard of yet.
    pub fn unreported_resolutions(&self) -> Result<Vec<String>> {
        let mut stmt = self.conn.prepare(
            "SELECT mutation_id FROM sync_conflict WHERE resolved_at IS NOT NULL AND reported_at IS NULL",
        )?;
        let ids = stmt.query_map([], |r| r.get(0))?;
        Ok(ids.collect::<rusqlite::Result<_>>()?)
    }

    pub fn mark_resolutions_reported(&mut self, ids: &[String]) -> Result<()> {
        let tx = self.conn.transaction()?;
        let at = now();
        for id in ids {
            tx.execute(
                "UPDATE sync_conflict SET reported_at = ?2 WHERE mutation_id = ?1",
                params![id, at],
            )?;
        }
        tx.commit()?;
        Ok(())
    }

    /// Settles an open conflict. Keeping the hub's version takes it as it stands; keeping the
    /// laptop's (or a field-by-field merge, a whole row) makes it a new change on top of the hub's
    /// version, which the next sync sends. Either way nothing is lost: the conflict keeps both.
    pub fn resolve_conflict(
        &mut self,
        actor: &Actor,
        mutation_id: &str,
        how: &Resolution,
    ) -> Result<()> {
        let found: Option<(String, String, i64, String, String)> = self
            .conn
            .query_row(
                "SELECT c.entity, c.row_id, c.hub_version, c.hub_payload, o.owner_office_id
                 FROM sync_conflict c JOIN outbox o ON o.mutation_id = c.mutation_id
                 WHERE c.mutation_id = ?1 AND c.resolved_at IS NULL",
                [mutation_id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
            )
            .optional()?;
        let (entity, row_id, hub_version, hub_payload, owner) =
            found.ok_or_else(|| StoreError::NotFound("konflik yang belum diselesaikan".into()))?;
        self.authorize(actor, Action::ResolveSyncConflicts, Some(&owner))?;
        let parse = |text: &str| -> Result<serde_json::Value> {
            serde_json::from_str(text)
                .map_err(|e| StoreError::Sync(format!("isi baris tidak terbaca: {e}")))
        };
        let tx = self.conn.transaction()?;
        let label = match how {
            Resolution::KeepTheirs => "versi hub",
            Resolution::KeepMine => "versi laptop ini",
            Resolution::Merged(_) => "gabungan per kolom",
        };
        // Settled first: the change made below is then the row's next version, sent as usual.
        tx.execute(
            "UPDATE sync_conflict SET resolved_at = ?2, resolution = ?3 WHERE mutation_id = ?1",
            params![mutation_id, now(), label],
        )?;
        match how {
            Resolution::KeepTheirs => {
                sync_rows::write(&tx, &entity, &parse(&hub_payload)?)?;
            }
            Resolution::KeepMine | Resolution::Merged(_) => {
                let mut row = match how {
                    Resolution::Merged(text) => parse(text)?,
                    _ => sync_rows::payload(&tx, &entity, &row_id)?,
                };
                if row.get("id").and_then(|v| v.as_str()) != Some(row_id.as_str()) {
                    return Err(StoreError::Sync(
                        "gabungan harus untuk baris yang sama".into(),
                    ));
                }
                if entity == "survey_instrument" {
                    let hub_row = parse(&hub_payload)?;
                    if let Some(reason) = pelita_core::survey::row_change_refused(&hub_row, &row) {
                        return Err(
                            pelita_core::ValidationError::single("resolution", reason).into()
                        );
                    }
                }
                row["version"] = serde_json::json!(hub_version + 1);
                sync_rows::write(&tx, &entity, &row)?;
                crate::outbox::append(
                    &tx,
                    crate::outbox::Mutation {
                        entity: &entity,
                        row_id: &row_id,
                        base_version: hub_version,
                        version: hub_version + 1,
                    },
                )?;
            }
        }
        audit::append(
            &tx,
            &audit::AuditEvent {
                actor: &actor.username,
                office_id: &owner,
                action: audit::AuditAction::Update,
                entity: &entity,
                record_id: &row_id,
                detail: &format!("konflik sinkronisasi diselesaikan: {label}"),
            },
        )?;
        tx.commit()?;
        Ok(())
    }

    /// Open conflicts with both versions of each row: whole records, so only those who may
    /// settle them see them (an operator or the HQ, not a Pegawai or a Penilai).
    pub fn sync_conflicts(&mut self, actor: &Actor) -> Result<Vec<SyncConflict>> {
        self.authorize(actor, Action::ResolveSyncConflicts, None)?;
        let mut stmt = self.conn.prepare(
            "SELECT mutation_id, entity, row_id, local_version, local_payload, hub_version, hub_payload,
                    detected_at
             FROM sync_conflict WHERE resolved_at IS NULL ORDER BY detected_at",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(SyncConflict {
                mutation_id: r.get(0)?,
                entity: r.get(1)?,
                row_id: r.get(2)?,
                local_version: r.get(3)?,
                local_payload: r.get(4)?,
                hub_version: r.get(5)?,
                hub_payload: r.get(6)?,
                detected_at: r.get(7)?,
            })
        })?;
        let mut out: Vec<SyncConflict> = rows.collect::<rusqlite::Result<_>>()?;
        // The laptop's side as it stands now (it may have changed since the conflict was found).
        for c in &mut out {
            (c.local_version, c.local_payload) = local_row(&self.conn, &c.entity, &c.row_id)?;
        }
        Ok(out)
    }

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
    /// row; a row the hub never had is removed from this laptop (nothing else here may still
    /// point at it), with any change of it made since. The refusal stays in the history.
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
        let tx = self.conn.transaction()?;
        let at = now();
        if !mutation_id.starts_with("pull:")
            && leaves_nothing_here(&tx, mutation_id, &entity, &row_id)?
        {
            tx.execute(
                "UPDATE outbox SET acked_at = ?3, outcome = 'superseded'
                 WHERE entity = ?1 AND row_id = ?2 AND acked_at IS NULL",
                params![entity, row_id, at],
            )?;
            sync_rows::remove(&tx, &entity, &row_id).map_err(|e| match e {
                StoreError::Database(rusqlite::Error::SqliteFailure(f, _))
                    if f.code == rusqlite::ErrorCode::ConstraintViolation =>
                {
                    StoreError::Sync(
                        "data lain di laptop ini masih merujuk baris ini; buang dulu perubahan \
                         ditolak yang merujuknya (misalnya kehadiran atau pendaftaran pegawai itu)"
                            .into(),
                    )
                }
                other => other,
            })?;
        }
        tx.execute(
            "UPDATE sync_rejected SET settled_at = ?2, settled_by = ?3 WHERE mutation_id = ?1",
            params![mutation_id, at, actor.username],
        )?;
        let office = crate::db::meta_get(&tx, crate::db::META_OFFICE_ID)?.unwrap_or_default();
        audit::append(
            &tx,
            &audit::AuditEvent {
                actor: &actor.username,
                office_id: &office,
                action: audit::AuditAction::Update,
                entity: &entity,
                record_id: &row_id,
                detail: "perubahan yang ditolak hub dibuang",
            },
        )?;
        tx.commit()?;
        Ok(())
    }
}
