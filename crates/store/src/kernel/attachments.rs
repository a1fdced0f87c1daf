//! Attachments: a file hung on a row (the bukti dukung of a realisasi, the certificate of a
//! participation). The `attachment` row syncs like any other (its name, type, size and SHA-256);
//! the content is a local blob in chunks inside the encrypted database, uploaded after the rows and
//! fetched from the hub only when someone opens it (`crate::sync::blobs`). Who may read one is
//! decided here, alike for every kind: the pegawai it concerns, their atasan langsung, and whoever
//! may see the register of the office it belongs to. Adding one is the owning domain's decision
//! (a realisasi's writers, a training's managers); this module only keeps what they decided.

use pelita_core::attachment::{self, MediaType};
use pelita_core::auth::{Action, Actor, PermissionDenied};
use rusqlite::{Connection, OptionalExtension};
use serde::Serialize;
use sha2::{Digest, Sha256};
use specta::Type;

use crate::kernel::audit::AuditAction;
use crate::kernel::clock::now;
use crate::kernel::journal::{record, Change};
use crate::{Result, Store, StoreError};

/// The row a file is attached to.
#[derive(Debug, Clone, Copy)]
pub(crate) enum AttachedTo<'a> {
    Realisasi(&'a str),
    Participation(&'a str),
}

impl AttachedTo<'_> {
    fn column(&self) -> &'static str {
        match self {
            AttachedTo::Realisasi(_) => "realisasi_id",
            AttachedTo::Participation(_) => "participation_id",
        }
    }

    fn id(&self) -> &str {
        match self {
            AttachedTo::Realisasi(id) | AttachedTo::Participation(id) => id,
        }
    }
}

/// An attachment as people see it.
#[derive(Debug, Clone, Serialize, Type)]
pub struct Attachment {
    pub id: String,
    pub version: i64,
    pub file_name: String,
    pub media_type: MediaType,
    pub size: u32,
    pub sha256: String,
    /// The username of who attached it.
    pub added_by: String,
    pub created_at: String,
    /// Whether the content is on this laptop (else it is fetched from the hub before it opens).
    pub available: bool,
    /// Whether this laptop knows the hub holds the content whole (its own upload done, or fetched
    /// from it); a file another laptop added is only known to be there once fetched.
    pub at_hub: bool,
}

/// A new attachment, as a domain decided it may be added.
pub(crate) struct NewAttachment<'a> {
    pub owner_office_id: &'a str,
    pub employee_id: &'a str,
    pub to: AttachedTo<'a>,
    pub file_name: &'a str,
    pub bytes: &'a [u8],
    pub by: &'a str,
}

pub(crate) fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

const COLUMNS: &str = "a.id, a.version, a.file_name, a.media_type, a.size, a.sha256, a.added_by,
    a.created_at, coalesce(b.complete, 0), coalesce(b.at_hub, 0)";

fn from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Attachment> {
    let media: String = r.get(3)?;
    Ok(Attachment {
        id: r.get(0)?,
        version: r.get(1)?,
        file_name: r.get(2)?,
        media_type: MediaType::parse(&media).unwrap_or(MediaType::Pdf),
        size: r.get(4)?,
        sha256: r.get(5)?,
        added_by: r.get(6)?,
        created_at: r.get(7)?,
        available: r.get(8)?,
        at_hub: r.get(9)?,
    })
}

/// Keeps `bytes` as the blob `sha`, whole: a file added here, or one a fetch left unfinished.
fn put_blob(conn: &Connection, sha: &str, bytes: &[u8]) -> Result<()> {
    let complete: Option<bool> = conn
        .query_row("SELECT complete FROM blob WHERE sha256 = ?1", [sha], |r| {
            r.get(0)
        })
        .optional()?;
    if complete == Some(true) {
        return Ok(());
    }
    conn.execute("DELETE FROM blob_chunk WHERE sha256 = ?1", [sha])?;
    conn.execute(
        "INSERT INTO blob (sha256, size, complete, at_hub) VALUES (?1, ?2, 1, 0)
         ON CONFLICT (sha256) DO UPDATE SET complete = 1",
        rusqlite::params![sha, bytes.len() as i64],
    )?;
    let mut insert =
        conn.prepare_cached("INSERT INTO blob_chunk (sha256, idx, data) VALUES (?1, ?2, ?3)")?;
    for (i, chunk) in bytes.chunks(attachment::CHUNK_BYTES).enumerate() {
        insert.execute(rusqlite::params![sha, i as i64, chunk])?;
    }
    Ok(())
}

/// Adds a file to a row in one transaction: checked (`core::attachment::check`), kept as a blob,
/// and its row recorded for sync.
pub(crate) fn add(conn: &mut Connection, new: &NewAttachment<'_>) -> Result<Attachment> {
    let (name, media) = attachment::check(new.file_name, new.bytes)?;
    let sha = sha256_hex(new.bytes);
    let tx = conn.transaction()?;
    put_blob(&tx, &sha, new.bytes)?;
    let id = uuid::Uuid::now_v7().to_string();
    let stamp = now();
    tx.execute(
        &format!(
            "INSERT INTO attachment (id, owner_office_id, employee_id, {}, file_name, media_type,
                 size, sha256, added_by, version, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, 1, ?10, ?10)",
            new.to.column()
        ),
        rusqlite::params![
            id,
            new.owner_office_id,
            new.employee_id,
            new.to.id(),
            name,
            media.mime(),
            new.bytes.len() as i64,
            sha,
            new.by,
            stamp
        ],
    )?;
    record(
        &tx,
        Change {
            entity: "attachment",
            id: &id,
            base_version: 0,
            actor: new.by,
            action: AuditAction::Create,
            detail: &name,
        },
    )?;
    tx.commit()?;
    get(conn, &id)
}

/// The row attachment `id` hangs on, when it is a live one.
pub(crate) fn parent_of(conn: &Connection, id: &str) -> Result<(Option<String>, Option<String>)> {
    conn.query_row(
        "SELECT realisasi_id, participation_id FROM attachment WHERE id = ?1 AND deleted = 0",
        [id],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
    .optional()?
    .ok_or_else(|| StoreError::NotFound("lampiran".into()))
}

/// Takes attachment `id` off its row, as its domain decided `by` may (a tombstone, synced, made
/// on `expected_version`). The file leaves this laptop's database too once no live attachment
/// names it (backups made before keep it).
pub(crate) fn remove(
    conn: &mut Connection,
    id: &str,
    expected_version: i64,
    by: &str,
) -> Result<()> {
    let a = get(conn, id)?;
    if a.version != expected_version {
        return Err(StoreError::VersionConflict);
    }
    let tx = conn.transaction()?;
    tx.execute(
        "UPDATE attachment SET deleted = 1, version = version + 1, updated_at = ?2 WHERE id = ?1",
        rusqlite::params![id, now()],
    )?;
    record(
        &tx,
        Change {
            entity: "attachment",
            id,
            base_version: a.version,
            actor: by,
            action: AuditAction::Delete,
            detail: &a.file_name,
        },
    )?;
    forget_unnamed(&tx, &a.sha256)?;
    tx.commit()?;
    Ok(())
}

/// Drops blob `sha` from this laptop when no live attachment names it any more.
pub(crate) fn forget_unnamed(conn: &Connection, sha: &str) -> Result<()> {
    let named: bool = conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM attachment WHERE sha256 = ?1 AND deleted = 0)",
        [sha],
        |r| r.get(0),
    )?;
    if !named {
        conn.execute("DELETE FROM blob_chunk WHERE sha256 = ?1", [sha])?;
        conn.execute("DELETE FROM blob WHERE sha256 = ?1", [sha])?;
    }
    Ok(())
}

pub(crate) fn get(conn: &Connection, id: &str) -> Result<Attachment> {
    conn.query_row(
        &format!(
            "SELECT {COLUMNS} FROM attachment a LEFT JOIN blob b ON b.sha256 = a.sha256
             WHERE a.id = ?1 AND a.deleted = 0"
        ),
        [id],
        from_row,
    )
    .optional()?
    .ok_or_else(|| StoreError::NotFound("lampiran".into()))
}

/// The files attached to a row, oldest first.
pub(crate) fn list(conn: &Connection, to: AttachedTo<'_>) -> Result<Vec<Attachment>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM attachment a LEFT JOIN blob b ON b.sha256 = a.sha256
         WHERE a.{} = ?1 AND a.deleted = 0 ORDER BY a.created_at, a.id",
        to.column()
    ))?;
    let rows = stmt
        .query_map([to.id()], from_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// The whole content of blob `sha`, when this laptop holds it whole.
fn content(conn: &Connection, sha: &str) -> Result<Option<Vec<u8>>> {
    let complete: Option<bool> = conn
        .query_row("SELECT complete FROM blob WHERE sha256 = ?1", [sha], |r| {
            r.get(0)
        })
        .optional()?;
    if complete != Some(true) {
        return Ok(None);
    }
    let mut stmt =
        conn.prepare_cached("SELECT data FROM blob_chunk WHERE sha256 = ?1 ORDER BY idx")?;
    let mut out = Vec::new();
    for chunk in stmt.query_map([sha], |r| r.get::<_, Vec<u8>>(0))? {
        out.extend(chunk?);
    }
    Ok(Some(out))
}

impl Store {
    /// The attachment `id` when `actor` may read it: the pegawai it concerns, their atasan
    /// langsung, or whoever may see the register of its office.
    pub fn attachment(&mut self, actor: &Actor, id: &str) -> Result<Attachment> {
        let (employee, atasan, office): (String, Option<String>, String) = self
            .conn
            .query_row(
                "SELECT a.employee_id, e.atasan_id, a.owner_office_id
                 FROM attachment a JOIN employee e ON e.id = a.employee_id
                 WHERE a.id = ?1 AND a.deleted = 0",
                [id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()?
            .ok_or_else(|| StoreError::NotFound("lampiran".into()))?;
        let me = actor.employee_id.as_deref();
        let allowed = me == Some(employee.as_str())
            || (me.is_some() && me == atasan.as_deref())
            || pelita_core::auth::authorize(actor, Action::ViewEmployees, Some(&office)).is_ok();
        if !allowed {
            return Err(self.refuse(
                actor,
                PermissionDenied::Role(
                    "membuka lampiran ini (hanya pegawai itu, atasan langsungnya, atau yang melihat data kantornya)",
                ),
                id,
                "OpenAttachment",
            ));
        }
        get(&self.conn, id)
    }

    /// The content of attachment `id`, checked against its hash; `NotFetched` while it is only
    /// on the hub (fetch it first: `pelita_sync::fetch_attachment`).
    pub fn open_attachment(&mut self, actor: &Actor, id: &str) -> Result<(Attachment, Vec<u8>)> {
        let a = self.attachment(actor, id)?;
        let bytes = content(&self.conn, &a.sha256)?
            .filter(|b| sha256_hex(b) == a.sha256)
            .ok_or_else(|| StoreError::NotFetched(a.file_name.clone()))?;
        Ok((a, bytes))
    }

    /// Writes the file of attachment `id` to `path` (a PDF to open in the laptop's reader), out of
    /// the encrypted database: the copy is the person's to keep safe, so it is written to the audit
    /// log, once the file exists.
    pub fn export_attachment(
        &mut self,
        actor: &Actor,
        id: &str,
        path: &std::path::Path,
    ) -> Result<()> {
        let (a, bytes) = self.open_attachment(actor, id)?;
        std::fs::write(path, &bytes).map_err(|e| StoreError::io(path, e))?;
        crate::kernel::audit::record_export(&self.conn, actor, "attachment", id, &a.file_name)
    }
}
