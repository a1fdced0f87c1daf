//! Conflicts and rejections on the laptop: a person settles a conflict (keep mine, keep the
//! hub's, or a row chosen field by field) and the settled row is the next version sent; the hub
//! hears which conflicts were settled; rejections stay listed with their reasons.

use pelita_core::auth::{Action, Actor};
use pelita_core::ownership::{carries_signature, is_signed};
use rusqlite::{params, OptionalExtension};
use serde::Serialize;
use specta::Type;

use crate::kernel::clock::now;
use crate::sync::run::local_row;
use crate::{kernel::audit, kernel::rows, Result, Store, StoreError};

/// How a person settles a conflict.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize, Serialize, Type)]
pub enum Resolution {
    KeepMine,
    KeepTheirs,
    /// The whole row, chosen field by field (JSON, as the conflict shows both versions).
    Merged(String),
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
        // The row written is the hub's (or built on it): its references, such as an atasan of
        // another office in the atasan history, may name rows this laptop never receives.
        self.without_foreign_keys(|s| s.resolve(actor, mutation_id, how))
    }

    fn resolve(&mut self, actor: &Actor, mutation_id: &str, how: &Resolution) -> Result<()> {
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
            serde_json::from_str(text).map_err(|e| crate::kernel::rows::unreadable(&entity, e))
        };
        let tx = self.conn.transaction()?;
        let label = match how {
            Resolution::KeepTheirs => "versi hub",
            Resolution::KeepMine => "versi laptop ini",
            Resolution::Merged(_) => "gabungan per kolom",
        };
        let detail = format!("konflik sinkronisasi diselesaikan: {label}");
        // Settled first: the change made below is then the row's next version, sent as usual.
        tx.execute(
            "UPDATE sync_conflict SET resolved_at = ?2, resolution = ?3 WHERE mutation_id = ?1",
            params![mutation_id, now(), label],
        )?;
        match how {
            Resolution::KeepTheirs => {
                let hub_row = parse(&hub_payload)?;
                let mine = rows::payload(&tx, &entity, &row_id).ok();
                if mine.is_some_and(|m| is_signed(&entity, &m)) && !is_signed(&entity, &hub_row) {
                    return Err(pelita_core::ValidationError::single(
                        "resolution",
                        format!(
                            "{} ini sudah ditandatangani di laptop ini; tanda tangan tidak \
                             dibuang demi draf di hub. Pilih \"Pakai versi saya\" agar versi yang \
                             ditandatangani sampai ke hub",
                            pelita_core::ownership::label(&entity)
                        ),
                    )
                    .into());
                }
                rows::write(&tx, &entity, &hub_row)?;
                // The hub's row, taken: nothing to send, only who settled it.
                audit::append(
                    &tx,
                    &audit::AuditEvent {
                        actor: &actor.username,
                        office_id: &owner,
                        action: audit::AuditAction::Update,
                        entity: &entity,
                        record_id: &row_id,
                        detail: &detail,
                    },
                )?;
            }
            Resolution::KeepMine | Resolution::Merged(_) => {
                let mut row = match how {
                    Resolution::Merged(text) => {
                        // A signed document (or a plan one of its people signed) is taken whole
                        // or not at all: a merge could put a signature under another text.
                        if carries_signature(&entity, &rows::payload(&tx, &entity, &row_id)?)
                            || carries_signature(&entity, &parse(&hub_payload)?)
                        {
                            return Err(pelita_core::ValidationError::single(
                                "resolution",
                                "dokumen yang sudah ditandatangani tidak dapat digabung per \
                                 kolom; pilih versi laptop ini atau versi hub",
                            )
                            .into());
                        }
                        parse(text)?
                    }
                    _ => rows::payload(&tx, &entity, &row_id)?,
                };
                if row.get("id").and_then(|v| v.as_str()) != Some(row_id.as_str()) {
                    return Err(pelita_core::ValidationError::single(
                        "resolution",
                        "gabungan harus untuk baris yang sama",
                    )
                    .into());
                }
                if entity == "employee" {
                    // Only a transfer moves someone, and the hub made it: whatever this laptop
                    // keeps of its own version, the office, the atasan there and their history
                    // are the hub's.
                    let hub_row = parse(&hub_payload)?;
                    if hub_row.get("office_id") != row.get("office_id") {
                        for f in ["office_id", "owner_office_id", "atasan_id", "atasan_log"] {
                            row[f] = hub_row.get(f).cloned().unwrap_or_default();
                        }
                    }
                }
                if entity == "mutasi" {
                    // Settled as the hub would take it: only the Kantor Camat decides, a decision stays.
                    let hub_row = parse(&hub_payload)?;
                    let hq = crate::kernel::scope::roles_office(&tx)?
                        == pelita_core::office::office_id(pelita_core::office::HQ_CODE);
                    if let Some(reason) =
                        pelita_core::mutasi::row_change_refused(Some(&hub_row), &row, hq)
                    {
                        return Err(
                            pelita_core::ValidationError::single("resolution", reason).into()
                        );
                    }
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
                rows::write(&tx, &entity, &row)?;
                // This laptop's version, or the merge, is the row's next version: sent as usual.
                crate::kernel::journal::record(
                    &tx,
                    crate::kernel::journal::Change {
                        entity: &entity,
                        id: &row_id,
                        base_version: hub_version,
                        actor: &actor.username,
                        action: audit::AuditAction::Update,
                        detail: &detail,
                    },
                )?;
            }
        }
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
}
