//! The content of attachments on the move, as the sync engine asks for it: what waits to be
//! uploaded (a file added here, once the hub holds its row), its chunks, and a fetch from the hub
//! kept chunk by chunk — each chunk committed as it arrives, so a cut resumes where it stopped —
//! and marked whole only once the hash of the whole file is the attachment's.

use pelita_core::attachment::{chunk_count, chunk_len};
use pelita_core::auth::Actor;
use rusqlite::OptionalExtension;

use crate::kernel::attachments::{sha256_hex, Attachment};
use crate::{Result, Store, StoreError};

/// A file this laptop holds whole that the hub does not have yet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BlobToUpload {
    pub sha256: String,
    pub size: u64,
}

/// Where a fetch of an attachment's content stands on this laptop.
#[derive(Debug, Clone)]
pub struct BlobFetch {
    pub attachment: Attachment,
    /// Chunks held so far, in order: the fetch goes on from here.
    pub held: u32,
    pub chunks: u32,
}

impl Store {
    /// Files to upload: whole here, not yet at the hub, and named by a live attachment row the
    /// hub has acknowledged (it allows an upload only for a row it holds).
    pub fn blobs_to_upload(&self) -> Result<Vec<BlobToUpload>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT b.sha256, b.size FROM blob b
             WHERE b.complete = 1 AND b.at_hub = 0
               AND EXISTS (SELECT 1 FROM attachment a WHERE a.sha256 = b.sha256 AND a.deleted = 0
                   AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.entity = 'attachment'
                       AND o.row_id = a.id AND o.acked_at IS NULL))
             ORDER BY b.size, b.sha256",
        )?;
        let rows = stmt
            .query_map([], |r| {
                Ok(BlobToUpload {
                    sha256: r.get(0)?,
                    size: r.get::<_, i64>(1)? as u64,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    /// Chunk `idx` of a file this laptop holds.
    pub fn blob_chunk(&self, sha256: &str, idx: u32) -> Result<Vec<u8>> {
        self.conn
            .query_row(
                "SELECT data FROM blob_chunk WHERE sha256 = ?1 AND idx = ?2",
                rusqlite::params![sha256, idx],
                |r| r.get(0),
            )
            .optional()?
            .ok_or_else(|| StoreError::NotFound(format!("potongan {idx} berkas {sha256}")))
    }

    /// The hub holds `sha256` whole.
    pub fn blob_at_hub(&mut self, sha256: &str) -> Result<()> {
        self.conn
            .execute("UPDATE blob SET at_hub = 1 WHERE sha256 = ?1", [sha256])?;
        Ok(())
    }

    /// Starts (or resumes) fetching attachment `id` for `actor`, who must be allowed to open it.
    pub fn attachment_fetch(&mut self, actor: &Actor, id: &str) -> Result<BlobFetch> {
        let attachment = self.attachment(actor, id)?;
        let size = u64::from(attachment.size);
        self.conn.execute(
            "INSERT OR IGNORE INTO blob (sha256, size, complete, at_hub) VALUES (?1, ?2, 0, 1)",
            rusqlite::params![attachment.sha256, size as i64],
        )?;
        let held: u32 = self.conn.query_row(
            "SELECT count(*) FROM blob_chunk WHERE sha256 = ?1",
            [&attachment.sha256],
            |r| r.get(0),
        )?;
        Ok(BlobFetch {
            held,
            chunks: chunk_count(size),
            attachment,
        })
    }

    /// Keeps chunk `idx` of a file being fetched (the next one in order, of the length the size
    /// says). After the last, the whole file's hash is checked: a match makes it whole, anything
    /// else throws the chunks away, so the next fetch starts again. Returns whether it is whole.
    pub fn keep_fetched_chunk(&mut self, sha256: &str, idx: u32, bytes: &[u8]) -> Result<bool> {
        let (size, held): (i64, u32) = self.conn.query_row(
            "SELECT size, (SELECT count(*) FROM blob_chunk c WHERE c.sha256 = b.sha256)
             FROM blob b WHERE sha256 = ?1",
            [sha256],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        let size = size as u64;
        let unexpected = |why: String| StoreError::SyncFailed {
            permanent: false,
            message: format!("hub mengirim potongan berkas yang tidak sesuai ({why}); diulang"),
        };
        if idx != held || chunk_len(size, idx) != Some(bytes.len()) {
            return Err(unexpected(format!(
                "potongan {idx} sepanjang {} byte, diharapkan potongan {held}",
                bytes.len()
            )));
        }
        let tx = self.conn.transaction()?;
        tx.execute(
            "INSERT INTO blob_chunk (sha256, idx, data) VALUES (?1, ?2, ?3)",
            rusqlite::params![sha256, idx, bytes],
        )?;
        let whole = idx + 1 == chunk_count(size);
        if whole {
            let mut all = Vec::with_capacity(size as usize);
            {
                let mut stmt = tx
                    .prepare_cached("SELECT data FROM blob_chunk WHERE sha256 = ?1 ORDER BY idx")?;
                for chunk in stmt.query_map([sha256], |r| r.get::<_, Vec<u8>>(0))? {
                    all.extend(chunk?);
                }
            }
            if sha256_hex(&all) != sha256 {
                tx.execute("DELETE FROM blob_chunk WHERE sha256 = ?1", [sha256])?;
                tx.commit()?;
                return Err(unexpected(
                    "isi berkas tidak cocok dengan sidik SHA-256-nya".into(),
                ));
            }
            tx.execute(
                "UPDATE blob SET complete = 1, at_hub = 1 WHERE sha256 = ?1",
                [sha256],
            )?;
        }
        tx.commit()?;
        Ok(whole)
    }

    /// How many files wait to be uploaded (the Sinkronisasi page).
    pub fn files_to_upload(&self) -> Result<u32> {
        Ok(self.conn.query_row(
            "SELECT count(*) FROM blob WHERE complete = 1 AND at_hub = 0
               AND EXISTS (SELECT 1 FROM attachment a WHERE a.sha256 = blob.sha256 AND a.deleted = 0)",
            [],
            |r| r.get(0),
        )?)
    }
}
