//! The laptop's side of sync, without the network: its enrolment, the outbox batches to push,
//! the hub's acknowledgements, the pulled rows committed together with the cursor, conflicts and
//! rejections kept for a person (settled in `sync_conflicts`), and the history of runs.
//! `pelita-sync` does the talking.

use pelita_core::auth::{Action, Actor};
use pelita_proto::{Ack, EnrollResponse, Mutation, Outcome, PullResponse};
use rusqlite::{params, OptionalExtension};
use serde::Serialize;
use specta::Type;

use crate::kernel::clock::now;
use crate::sync::refusals::{misfit, refused, set_aside};
use crate::{kernel::audit, kernel::db, kernel::rows, Result, Store, StoreError};

/// Where and as what this laptop syncs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyncEnrolment {
    pub hub_url: String,
    pub device_id: String,
    pub token: String,
    pub office_id: String,
    pub database_id: String,
    /// The last hub sequence committed here.
    pub cursor: i64,
    /// Push batch and pull page sizes that last worked on this laptop's link.
    pub push_bytes: Option<usize>,
    pub pull_bytes: Option<u32>,
    /// Restored from a backup: pull everything again, this laptop's own rows included.
    pub rebaseline: bool,
    /// The mutation-id prefix of this copy of the database (the hub does not send back its rows).
    pub writer: String,
}

/// What the Sinkronisasi page and `pelita sync status` show.
#[derive(Debug, Clone, Serialize, Type)]
pub struct SyncStatus {
    pub enrolled: bool,
    pub hub_url: Option<String>,
    pub device_id: Option<String>,
    /// Changes made here that the hub has not acknowledged yet.
    pub pending: u32,
    pub last_success_at: Option<String>,
    pub last_attempt_at: Option<String>,
    /// In Indonesian; cleared by the next successful run.
    pub last_error: Option<String>,
    pub open_conflicts: u32,
    pub rejected: u32,
    /// Attachment files added here that the hub does not hold yet (they go after the rows).
    pub files_waiting: u32,
}

/// What one run did, as recorded in the history.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Type)]
pub struct SyncReport {
    pub pushed: u32,
    pub pulled: u32,
    pub conflicts: u32,
    pub rejected: u32,
    pub bytes_sent: u64,
    pub bytes_received: u64,
    pub requests: u32,
    /// Attachment files the hub now holds whole.
    pub files_uploaded: u32,
}

/// One line of the sync history.
#[derive(Debug, Clone, Serialize, Type)]
pub struct SyncRun {
    pub started_at: String,
    pub finished_at: String,
    pub pushed: u32,
    pub pulled: u32,
    pub conflicts: u32,
    pub rejected: u32,
    pub bytes_sent: u32,
    pub bytes_received: u32,
    pub requests: u32,
    pub error: Option<String>,
}

/// What a broken constraint means, in words an operator can act on.
fn constraint_reason(e: &rusqlite::Error) -> String {
    let text = e.to_string();
    if text.contains("employee.nip") {
        "NIP ini sudah dipakai oleh data pegawai lain di laptop ini; periksa kedua data itu".into()
    } else if text.contains("UNIQUE") {
        format!("data yang sama sudah ada di laptop ini dengan id lain ({text})")
    } else if text.contains("Final") || text.contains("final") {
        "penilaian Final di laptop ini tidak dapat ditimpa".into()
    } else {
        format!("melanggar aturan data di laptop ini ({text})")
    }
}

fn is_constraint(e: &rusqlite::Error) -> bool {
    matches!(e, rusqlite::Error::SqliteFailure(f, _) if f.code == rusqlite::ErrorCode::ConstraintViolation)
}

/// The laptop's row as it stands: its version and whole payload.
pub(crate) fn local_row(
    conn: &rusqlite::Connection,
    entity: &str,
    row_id: &str,
) -> Result<(i64, String)> {
    let payload = rows::payload(conn, entity, row_id)?;
    let version = payload
        .get("version")
        .and_then(|v| v.as_i64())
        .unwrap_or_default();
    Ok((version, payload.to_string()))
}

impl Store {
    /// This laptop's enrolment, if any.
    pub fn sync_enrolment(&self) -> Result<Option<SyncEnrolment>> {
        let database_id = db::meta_get(&self.conn, db::META_DATABASE_ID)?.unwrap_or_default();
        let rebaseline =
            db::meta_get(&self.conn, db::META_SYNC_REBASELINE)?.as_deref() == Some("1");
        let writer = crate::kernel::outbox::writer(&self.conn)?;
        Ok(self
            .conn
            .query_row(
                "SELECT hub_url, device_id, token, office_id, cursor, push_bytes, pull_bytes
                 FROM sync_state WHERE id = 1",
                [],
                |r| {
                    Ok(SyncEnrolment {
                        hub_url: r.get(0)?,
                        device_id: r.get(1)?,
                        token: r.get(2)?,
                        office_id: r.get(3)?,
                        database_id: database_id.clone(),
                        // A restored database fetches everything again (what it pushes again
                        // is recognised by mutation id); it never trusts its old cursor.
                        cursor: if rebaseline { 0 } else { r.get(4)? },
                        push_bytes: r.get::<_, Option<i64>>(5)?.map(|v| v as usize),
                        pull_bytes: r.get::<_, Option<i64>>(6)?.map(|v| v as u32),
                        rebaseline,
                        writer: writer.clone(),
                    })
                },
            )
            .optional()?)
    }

    /// The id the hub binds this laptop's token to.
    pub fn database_id(&self) -> Result<String> {
        Ok(db::meta_get(&self.conn, db::META_DATABASE_ID)?.unwrap_or_default())
    }

    /// Keeps the hub's answer to an enrolment. Only an Admin Kecamatan enrols a laptop, and only
    /// for the office it was set up for (a code for another office is refused).
    pub fn save_enrolment(
        &mut self,
        actor: &Actor,
        hub_url: &str,
        e: &EnrollResponse,
    ) -> Result<()> {
        self.authorize(actor, Action::EnrollDevice, None)?;
        if self.is_demo()? {
            return Err(StoreError::DemoNotEnrollable);
        }
        let office = db::meta_get(&self.conn, db::META_OFFICE_ID)?.unwrap_or_default();
        if e.office_id != office {
            return Err(StoreError::EnrolmentForAnotherOffice {
                office_code: e.office_code.clone(),
            });
        }
        let tx = self.conn.transaction()?;
        crate::kernel::outbox::record_enrolment(&tx, hub_url, e)?;
        audit::append(
            &tx,
            &audit::AuditEvent {
                actor: &actor.username,
                office_id: &office,
                action: audit::AuditAction::Update,
                entity: "sync",
                record_id: &e.device_id,
                detail: &format!("laptop didaftarkan ke hub {hub_url}"),
            },
        )?;
        tx.commit()?;
        Ok(())
    }

    /// The oldest unacknowledged changes, up to about `max_bytes` of payload (at least one).
    pub fn outbox_batch(&self, max_bytes: usize) -> Result<Vec<Mutation>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT mutation_id, entity, row_id, base_version, version, owner_office_id, payload
             FROM outbox WHERE acked_at IS NULL ORDER BY seq LIMIT 5000",
        )?;
        let mut rows = stmt.query([])?;
        let (mut out, mut bytes) = (Vec::new(), 0usize);
        while let Some(r) = rows.next()? {
            let payload: String = r.get(6)?;
            if !out.is_empty() && bytes + payload.len() > max_bytes {
                break;
            }
            bytes += payload.len() + 120;
            out.push(Mutation {
                mutation_id: r.get(0)?,
                entity: r.get(1)?,
                row_id: r.get(2)?,
                base_version: r.get(3)?,
                version: r.get(4)?,
                owner_office_id: r.get(5)?,
                payload: serde_json::from_str(&payload)
                    .map_err(|e| crate::kernel::rows::unreadable("outbox", e))?,
            });
        }
        Ok(out)
    }

    /// Remembers the sizes the link supports, for the next run.
    pub fn save_link_sizes(&mut self, push_bytes: usize, pull_bytes: u32) -> Result<()> {
        self.conn.execute(
            "UPDATE sync_state SET push_bytes = ?1, pull_bytes = ?2 WHERE id = 1",
            params![push_bytes as i64, pull_bytes],
        )?;
        Ok(())
    }

    /// Every payload the outbox holds, sent or not (for measuring what sync carries).
    pub fn outbox_payloads(&self) -> Result<Vec<String>> {
        let mut stmt = self
            .conn
            .prepare("SELECT payload FROM outbox ORDER BY seq")?;
        let rows = stmt.query_map([], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    pub fn pending_count(&self) -> Result<u32> {
        Ok(self.conn.query_row(
            "SELECT count(*) FROM outbox WHERE acked_at IS NULL",
            [],
            |r| r.get(0),
        )?)
    }

    /// Records the hub's answers in one transaction: every acknowledged change leaves the queue;
    /// a conflict keeps both versions, a rejection its reason. Returns (conflicts, rejected).
    pub fn record_acks(&mut self, acks: &[Ack]) -> Result<(u32, u32)> {
        // A refused change takes the hub's row back, whose references may point at rows this
        // laptop does not hold (as with pulled rows, see `apply_pull`).
        self.without_foreign_keys(|s| s.record_acks_tx(acks))
    }

    /// Runs `f` with SQLite's reference checks off: a laptop holds the rows the hub gives its
    /// office, whose references may point at rows of other offices it never receives (a Lurah's
    /// atasan at the Kantor Camat), so rows that come from the hub are written as the hub has them.
    pub(crate) fn without_foreign_keys<T>(
        &mut self,
        f: impl FnOnce(&mut Store) -> Result<T>,
    ) -> Result<T> {
        self.conn.pragma_update(None, "foreign_keys", "OFF")?;
        let done = f(self);
        self.conn.pragma_update(None, "foreign_keys", "ON")?;
        done
    }

    fn record_acks_tx(&mut self, acks: &[Ack]) -> Result<(u32, u32)> {
        let tx = self.conn.transaction()?;
        let at = now();
        let (mut conflicts, mut rejected) = (0, 0);
        for ack in acks {
            let row: Option<(String, String)> = tx
                .query_row(
                    "SELECT entity, row_id FROM outbox WHERE mutation_id = ?1 AND acked_at IS NULL",
                    [&ack.mutation_id],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .optional()?;
            let Some((entity, row_id)) = row else {
                continue; // acknowledged before (a resent batch)
            };
            let label = match &ack.outcome {
                Outcome::Applied => "applied",
                Outcome::Duplicate => "duplicate",
                Outcome::Conflict {
                    hub_version,
                    hub_payload,
                } => {
                    // One open conflict per row: it holds the laptop's row as it stands now.
                    let open: bool = tx.query_row(
                        "SELECT EXISTS (SELECT 1 FROM sync_conflict WHERE entity = ?1 AND row_id = ?2
                             AND resolved_at IS NULL)",
                        [&entity, &row_id],
                        |r| r.get(0),
                    )?;
                    if !open {
                        conflicts += 1;
                        let (local_version, local_payload) = local_row(&tx, &entity, &row_id)?;
                        tx.execute(
                            "INSERT INTO sync_conflict (mutation_id, entity, row_id, local_version,
                                 local_payload, hub_version, hub_payload, detected_at)
                             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                            params![
                                ack.mutation_id,
                                entity,
                                row_id,
                                local_version,
                                local_payload,
                                hub_version,
                                hub_payload.to_string(),
                                at
                            ],
                        )?;
                    }
                    // Later changes of the row were made on the laptop's own version: the conflict
                    // now speaks for them, they are not sent on their own.
                    crate::kernel::outbox::supersede(
                        &tx,
                        &entity,
                        &row_id,
                        Some(&ack.mutation_id),
                    )?;
                    "conflict"
                }
                Outcome::Rejected { reason, hub_row } => {
                    rejected += 1;
                    refused(
                        &tx,
                        &ack.mutation_id,
                        &entity,
                        &row_id,
                        reason,
                        hub_row.as_ref(),
                    )?;
                    "rejected"
                }
            };
            tx.execute(
                "UPDATE outbox SET acked_at = ?2, outcome = ?3 WHERE mutation_id = ?1",
                params![ack.mutation_id, at, label],
            )?;
        }
        tx.commit()?;
        Ok((conflicts, rejected))
    }

    /// Commits a page of the hub's rows together with the new cursor: both or neither. A row with
    /// an open conflict or an unpushed change here keeps the laptop's version for now. Returns
    /// how many rows changed here.
    pub fn apply_pull(&mut self, page: &PullResponse) -> Result<u32> {
        // The hub sends each row's latest version at the place of its latest change, so a parent
        // changed after its child arrives after it: references are checked by the app, not here.
        self.without_foreign_keys(|s| s.apply_page(page))
    }

    fn apply_page(&mut self, page: &PullResponse) -> Result<u32> {
        let home = db::meta_get(&self.conn, db::META_OFFICE_ID)?.unwrap_or_default();
        let mut tx = self.conn.transaction()?;
        // Offices first: a row pulled below may name an office added at the hub.
        crate::kernel::offices::take_from_hub(&tx, &page.offices)?;
        let mut applied = 0;
        for c in &page.changes {
            if let Some(reason) = misfit(&tx, &home, c) {
                set_aside(
                    &tx,
                    c,
                    &format!("baris dari hub tidak diterima laptop ini: {reason}"),
                )?;
                continue;
            }
            let held: bool = tx.query_row(
                "SELECT EXISTS (SELECT 1 FROM sync_conflict WHERE entity = ?1 AND row_id = ?2 AND resolved_at IS NULL)
                     OR EXISTS (SELECT 1 FROM outbox WHERE entity = ?1 AND row_id = ?2 AND acked_at IS NULL)",
                [&c.entity, &c.row_id],
                |r| r.get(0),
            )?;
            if held {
                // Keep the hub's side of an open conflict current, for "keep theirs".
                tx.execute(
                    "UPDATE sync_conflict SET hub_version = ?3, hub_payload = ?4
                     WHERE entity = ?1 AND row_id = ?2 AND resolved_at IS NULL AND hub_version < ?3",
                    params![c.entity, c.row_id, c.version, c.payload.to_string()],
                )?;
                continue;
            }
            let sp = tx.savepoint()?;
            match rows::apply(&sp, &c.entity, c.version, &c.payload) {
                Ok(changed) => {
                    sp.commit()?;
                    applied += u32::from(changed);
                }
                // A row this laptop cannot take (it breaks a rule here, e.g. a NIP already
                // used by another record) is set aside with the reason instead of stopping sync.
                Err(StoreError::Database(e)) if is_constraint(&e) => {
                    drop(sp);
                    set_aside(
                        &tx,
                        c,
                        &format!(
                            "baris dari hub tidak dapat disimpan di laptop ini: {}",
                            constraint_reason(&e)
                        ),
                    )?;
                }
                Err(e) => return Err(e),
            }
        }
        tx.execute(
            "UPDATE sync_state SET cursor = ?1 WHERE id = 1",
            [page.cursor],
        )?;
        if !page.more {
            tx.execute(
                "DELETE FROM meta WHERE key = ?1",
                [db::META_SYNC_REBASELINE],
            )?;
        }
        tx.commit()?;
        Ok(applied)
    }

    /// Notes a finished run (and clears or sets the last error) in the history.
    pub fn record_sync_run(
        &mut self,
        started_at: &str,
        report: &SyncReport,
        error: Option<&str>,
    ) -> Result<()> {
        let at = now();
        let tx = self.conn.transaction()?;
        tx.execute(
            "INSERT INTO sync_run (started_at, finished_at, pushed, pulled, conflicts, rejected,
                 bytes_sent, bytes_received, requests, error)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            params![
                started_at,
                at,
                report.pushed,
                report.pulled,
                report.conflicts,
                report.rejected,
                report.bytes_sent as i64,
                report.bytes_received as i64,
                report.requests,
                error
            ],
        )?;
        match error {
            None => tx.execute(
                "UPDATE sync_state SET last_success_at = ?1, last_attempt_at = ?1, last_error = NULL WHERE id = 1",
                [&at],
            )?,
            Some(e) => tx.execute(
                "UPDATE sync_state SET last_attempt_at = ?1, last_error = ?2 WHERE id = 1",
                [&at, e],
            )?,
        };
        tx.commit()?;
        Ok(())
    }

    pub fn sync_status(&self) -> Result<SyncStatus> {
        let count = |sql: &str| -> Result<u32> { Ok(self.conn.query_row(sql, [], |r| r.get(0))?) };
        let mut status = SyncStatus {
            enrolled: false,
            hub_url: None,
            device_id: None,
            pending: self.pending_count()?,
            last_success_at: None,
            last_attempt_at: None,
            last_error: None,
            open_conflicts: count("SELECT count(*) FROM sync_conflict WHERE resolved_at IS NULL")?,
            rejected: count("SELECT count(*) FROM sync_rejected WHERE settled_at IS NULL")?,
            files_waiting: self.files_to_upload()?,
        };
        self.conn
            .query_row(
                "SELECT hub_url, device_id, last_success_at, last_attempt_at, last_error
                 FROM sync_state WHERE id = 1",
                [],
                |r| {
                    status.enrolled = true;
                    status.hub_url = r.get(0)?;
                    status.device_id = r.get(1)?;
                    status.last_success_at = r.get(2)?;
                    status.last_attempt_at = r.get(3)?;
                    status.last_error = r.get(4)?;
                    Ok(())
                },
            )
            .optional()?;
        Ok(status)
    }

    /// The latest runs, newest first.
    pub fn sync_history(&self, limit: u32) -> Result<Vec<SyncRun>> {
        let mut stmt = self.conn.prepare(
            "SELECT started_at, finished_at, pushed, pulled, conflicts, rejected, bytes_sent,
                    bytes_received, requests, error
             FROM sync_run ORDER BY id DESC LIMIT ?1",
        )?;
        let rows = stmt.query_map([limit], |r| {
            Ok(SyncRun {
                started_at: r.get(0)?,
                finished_at: r.get(1)?,
                pushed: r.get(2)?,
                pulled: r.get(3)?,
                conflicts: r.get(4)?,
                rejected: r.get(5)?,
                bytes_sent: r.get(6)?,
                bytes_received: r.get(7)?,
                requests: r.get(8)?,
                error: r.get(9)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The [`pelita_proto::RowDigest`] of every synced row here, to compare with another laptop
    /// or with the hub's view of this office.
    pub fn sync_checksum(&self) -> Result<String> {
        let mut digest = pelita_proto::RowDigest::new();
        for entity in pelita_proto::ENTITIES {
            let ids: Vec<String> = self
                .conn
                .prepare(&format!("SELECT id FROM \"{entity}\" ORDER BY id"))?
                .query_map([], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            for id in ids {
                digest.add(entity, &rows::payload(&self.conn, entity, &id)?);
            }
        }
        Ok(digest.hex())
    }
}
