//! The audit log: append-only and hash-chained. Each entry carries the SHA-256 of the previous
//! entry and a SHA-256 over its own content and that link, so altering, removing or reordering any
//! entry breaks the chain from that entry on.

use rusqlite::Connection;
use serde::Serialize;
use sha2::{Digest, Sha256};
use specta::Type;

use crate::kernel::clock::now;
use crate::{Result, Store};

const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// What happened, in the words the log uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuditAction {
    Create,
    Update,
    Delete,
    Login,
    FailedLogin,
    PermissionDenied,
    Export,
    Backup,
    Restore,
}

impl AuditAction {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Create => "create",
            Self::Update => "update",
            Self::Delete => "delete",
            Self::Login => "login",
            Self::FailedLogin => "failed_login",
            Self::PermissionDenied => "permission_denied",
            Self::Export => "export",
            Self::Backup => "backup",
            Self::Restore => "restore",
        }
    }
}

/// One entry to append.
pub struct AuditEvent<'a> {
    pub actor: &'a str,
    pub office_id: &'a str,
    pub action: AuditAction,
    pub entity: &'a str,
    pub record_id: &'a str,
    pub detail: &'a str,
}

#[derive(Debug, Clone, Serialize, Type)]
pub struct AuditEntry {
    pub seq: u32,
    pub at: String,
    pub actor: String,
    pub office_id: String,
    pub action: String,
    pub entity: String,
    pub record_id: String,
    pub detail: String,
    pub prev_hash: String,
    pub hash: String,
}

/// The outcome of checking the chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct AuditVerification {
    pub entries: u32,
    /// The first entry that does not fit the chain, and why; `None` when the log is intact.
    pub first_broken: Option<BrokenEntry>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct BrokenEntry {
    pub seq: u32,
    pub reason: String,
}

fn content_hash(prev_hash: &str, seq: u32, e: &AuditEntryFields<'_>) -> String {
    let mut h = Sha256::new();
    for part in [
        prev_hash,
        &seq.to_string(),
        e.at,
        e.actor,
        e.office_id,
        e.action,
        e.entity,
        e.record_id,
        e.detail,
    ] {
        // Length-prefixed, so that moving text between fields changes the hash.
        h.update((part.len() as u64).to_be_bytes());
        h.update(part.as_bytes());
    }
    hex::encode(h.finalize())
}

struct AuditEntryFields<'a> {
    at: &'a str,
    actor: &'a str,
    office_id: &'a str,
    action: &'a str,
    entity: &'a str,
    record_id: &'a str,
    detail: &'a str,
}

/// Appends an entry; call it inside the transaction of the change it records.
pub(crate) fn append(conn: &Connection, e: &AuditEvent<'_>) -> Result<()> {
    append_at(conn, &now(), e)
}

/// Appends an entry for something that happened at `at` (a failed sign-in queued in the key file
/// while the database was closed).
pub(crate) fn append_at(conn: &Connection, at: &str, e: &AuditEvent<'_>) -> Result<()> {
    let (last_seq, prev_hash): (u32, String) = conn.query_row(
        "SELECT coalesce(max(seq), 0), coalesce((SELECT hash FROM audit_log ORDER BY seq DESC LIMIT 1), ?1)
         FROM audit_log",
        [GENESIS],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    let seq = last_seq + 1;
    let fields = AuditEntryFields {
        at,
        actor: e.actor,
        office_id: e.office_id,
        action: e.action.as_str(),
        entity: e.entity,
        record_id: e.record_id,
        detail: e.detail,
    };
    let hash = content_hash(&prev_hash, seq, &fields);
    conn.execute(
        "INSERT INTO audit_log (seq, at, actor, office_id, action, entity, record_id, detail, prev_hash, hash)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        rusqlite::params![seq, at, e.actor, e.office_id, fields.action, e.entity, e.record_id, e.detail, prev_hash, hash],
    )?;
    Ok(())
}

/// Records that `actor` exported personal data (every such export is logged).
pub(crate) fn record_export(
    conn: &Connection,
    actor: &pelita_core::auth::Actor,
    entity: &str,
    record_id: &str,
    detail: &str,
) -> Result<()> {
    append(
        conn,
        &AuditEvent {
            actor: &actor.username,
            office_id: &actor.office_id,
            action: AuditAction::Export,
            entity,
            record_id,
            detail,
        },
    )
}

fn entries(conn: &Connection) -> Result<Vec<AuditEntry>> {
    let mut stmt = conn.prepare(
        "SELECT seq, at, actor, office_id, action, entity, record_id, detail, prev_hash, hash
         FROM audit_log ORDER BY seq",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(AuditEntry {
            seq: r.get(0)?,
            at: r.get(1)?,
            actor: r.get(2)?,
            office_id: r.get(3)?,
            action: r.get(4)?,
            entity: r.get(5)?,
            record_id: r.get(6)?,
            detail: r.get(7)?,
            prev_hash: r.get(8)?,
            hash: r.get(9)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Walks the chain from the first entry and names the first one that does not fit.
pub fn verify_entries(entries: &[AuditEntry]) -> AuditVerification {
    let mut expected_prev = GENESIS.to_string();
    for (i, e) in entries.iter().enumerate() {
        let expected_seq = i as u32 + 1;
        let reason = if e.seq != expected_seq {
            Some(format!(
                "nomor urut {} seharusnya {expected_seq}: ada entri yang dihapus atau disisipkan",
                e.seq
            ))
        } else if e.prev_hash != expected_prev {
            Some("tidak tersambung dengan entri sebelumnya: ada entri yang dihapus, disisipkan atau ditukar".to_string())
        } else {
            let fields = AuditEntryFields {
                at: &e.at,
                actor: &e.actor,
                office_id: &e.office_id,
                action: &e.action,
                entity: &e.entity,
                record_id: &e.record_id,
                detail: &e.detail,
            };
            (content_hash(&e.prev_hash, e.seq, &fields) != e.hash)
                .then(|| "isi entri telah diubah".to_string())
        };
        if let Some(reason) = reason {
            return AuditVerification {
                entries: entries.len() as u32,
                first_broken: Some(BrokenEntry { seq: e.seq, reason }),
            };
        }
        expected_prev = e.hash.clone();
    }
    AuditVerification {
        entries: entries.len() as u32,
        first_broken: None,
    }
}

/// Filters for browsing the log; empty fields filter nothing.
#[derive(Debug, Clone, Default, serde::Deserialize, Serialize, Type)]
pub struct AuditFilter {
    /// Part of a username.
    pub actor: String,
    /// One action (`login`, `export`, ...), or empty for all.
    pub action: String,
    /// ISO instants in UTC, inclusive (the UI turns local dates into the instants they span).
    pub from: Option<String>,
    pub to: Option<String>,
}

impl Store {
    /// Every entry, oldest first, without a permission check (tests and verification).
    pub fn audit_entries(&self) -> Result<Vec<AuditEntry>> {
        entries(&self.conn)
    }

    /// The log as an administrator browses it, newest first (at most 2,000 entries).
    pub fn browse_audit(
        &mut self,
        actor: &pelita_core::auth::Actor,
        f: &AuditFilter,
    ) -> Result<Vec<AuditEntry>> {
        self.authorize(actor, pelita_core::auth::Action::ViewAudit, None)?;
        let needle = f.actor.trim().to_lowercase();
        let mut rows: Vec<AuditEntry> = entries(&self.conn)?
            .into_iter()
            .filter(|e| needle.is_empty() || e.actor.to_lowercase().contains(&needle))
            .filter(|e| f.action.is_empty() || e.action == f.action)
            .filter(|e| f.from.as_deref().is_none_or(|d| e.at.as_str() >= d))
            .filter(|e| {
                f.to.as_deref()
                    .is_none_or(|d| &e.at[..10.min(e.at.len())] <= d)
            })
            .collect();
        rows.reverse();
        rows.truncate(2000);
        Ok(rows)
    }

    /// Checks the chain; only administrators may.
    pub fn verify_audit_as(
        &mut self,
        actor: &pelita_core::auth::Actor,
    ) -> Result<AuditVerification> {
        self.authorize(actor, pelita_core::auth::Action::ViewAudit, None)?;
        self.verify_audit()
    }

    pub fn verify_audit(&self) -> Result<AuditVerification> {
        Ok(verify_entries(&entries(&self.conn)?))
    }
}
