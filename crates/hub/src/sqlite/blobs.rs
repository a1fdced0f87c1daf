//! The content of attachments at the hub. A file is sent by an office whose device pushed an
//! attachment row naming it (a claim), in order, resumable after a cut, and checked whole against
//! its SHA-256. It is given only to a holder: the office that sent it and the offices its claims
//! named, an office that proved it has the same file by sending it again, an office a transfer
//! moved an attachment naming it to — and the Kantor Camat. Knowing a file's hash is not enough.

use pelita_core::attachment::{chunk_count, chunk_len, is_sha256, MAX_BYTES};
use pelita_proto::BlobState;
use rusqlite::{params, Connection, OptionalExtension};
use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::rules::Device;
use crate::secret::now;
use crate::store::{HubError, Result};

fn sha_of(row: &Value) -> &str {
    row.get("sha256")
        .and_then(Value::as_str)
        .unwrap_or_default()
}

fn size_of(row: &Value) -> u64 {
    row.get("size").and_then(Value::as_u64).unwrap_or(0)
}

/// The size the hub knows `sha256` by: the file's, else the live attachment rows' (they agree).
fn known_size(conn: &Connection, sha256: &str) -> Result<Option<u64>> {
    let held: Option<i64> = conn
        .query_row("SELECT size FROM blob WHERE sha256 = ?1", [sha256], |r| {
            r.get(0)
        })
        .optional()?;
    if let Some(size) = held {
        return Ok(Some(size as u64));
    }
    Ok(conn
        .query_row(
            "SELECT max(json_extract(payload, '$.size')) FROM row
             WHERE entity = 'attachment' AND json_extract(payload, '$.sha256') = ?1",
            [sha256],
            |r| r.get::<_, Option<i64>>(0),
        )?
        .map(|s| s as u64))
}

/// Why an attachment row cannot be taken: it gives its file another size than the hub knows it by.
pub(super) fn row_refused(conn: &Connection, row: &Value) -> Result<Option<String>> {
    Ok(match known_size(conn, sha_of(row))? {
        Some(size) if size != size_of(row) => Some(format!(
            "lampiran menyebut berkas berukuran {} byte, padahal berkas itu {size} byte",
            size_of(row)
        )),
        _ => None,
    })
}

/// `device` pushed an attachment row naming a file, for the office `owner`: it may send the file.
pub(super) fn claim(conn: &Connection, device: &Device, row: &Value, owner: &str) -> Result<()> {
    conn.execute(
        "INSERT OR IGNORE INTO blob_claim (sha256, claimant, owner) VALUES (?1, ?2, ?3)",
        params![sha_of(row), device.office_id, owner],
    )?;
    Ok(())
}

/// A transfer moved an attachment naming a file to `office`: it holds the file from now on.
pub(super) fn moved(conn: &Connection, row: &Value, office: &str) -> Result<()> {
    conn.execute(
        "INSERT OR IGNORE INTO blob_holder (sha256, office_id) VALUES (?1, ?2)",
        params![sha_of(row), office],
    )?;
    Ok(())
}

fn may_send(conn: &Connection, device: &Device, sha256: &str) -> Result<bool> {
    Ok(device.hq
        || conn.query_row(
            "SELECT EXISTS (SELECT 1 FROM blob_claim WHERE sha256 = ?1 AND claimant = ?2)",
            params![sha256, device.office_id],
            |r| r.get(0),
        )?)
}

fn holds(conn: &Connection, device: &Device, sha256: &str) -> Result<bool> {
    Ok(device.hq
        || conn.query_row(
            "SELECT EXISTS (SELECT 1 FROM blob_holder WHERE sha256 = ?1 AND office_id = ?2)",
            params![sha256, device.office_id],
            |r| r.get(0),
        )?)
}

/// `device`'s office has sent the file whole: it holds it, and so do the offices its claims named.
fn sent(conn: &Connection, device: &Device, sha256: &str) -> Result<()> {
    conn.execute(
        "INSERT OR IGNORE INTO blob_holder (sha256, office_id)
         SELECT ?1, ?2 UNION SELECT sha256, owner FROM blob_claim WHERE sha256 = ?1 AND claimant = ?2",
        params![sha256, device.office_id],
    )?;
    conn.execute(
        "DELETE FROM blob_proof WHERE sha256 = ?1 AND office_id = ?2",
        params![sha256, device.office_id],
    )?;
    Ok(())
}

/// Whether the hub holds `sha256` whole.
fn complete(conn: &Connection, sha256: &str) -> Result<bool> {
    Ok(conn
        .query_row(
            "SELECT complete FROM blob WHERE sha256 = ?1",
            [sha256],
            |r| r.get(0),
        )
        .optional()?
        .unwrap_or(false))
}

fn checked(sha256: &str) -> Result<()> {
    if is_sha256(sha256) {
        Ok(())
    } else {
        Err(HubError::BadRequest(format!(
            "'{sha256}' bukan sidik SHA-256 sebuah berkas"
        )))
    }
}

fn size_for(conn: &Connection, sha256: &str) -> Result<u64> {
    match known_size(conn, sha256)? {
        Some(size) if size > 0 && size <= MAX_BYTES as u64 => Ok(size),
        other => Err(HubError::BadRequest(format!(
            "ukuran lampiran {} byte tidak diterima",
            other.unwrap_or(0)
        ))),
    }
}

/// How much of `sha256` the hub holds, as `device` sees it: a holder sees the file; a claimant
/// that is not one yet sees how much of it it has sent (again).
pub(super) fn blob_state(conn: &Connection, device: &Device, sha256: &str) -> Result<BlobState> {
    checked(sha256)?;
    let (send, hold) = (
        may_send(conn, device, sha256)?,
        holds(conn, device, sha256)?,
    );
    if !send && !hold {
        return Err(HubError::Forbidden(
            "berkas itu bukan lampiran yang dikirim atau dipegang kantor ini".into(),
        ));
    }
    let size = size_for(conn, sha256)?;
    let (received, complete): (u32, bool) = conn
        .query_row(
            "SELECT (SELECT count(*) FROM blob_chunk c WHERE c.sha256 = b.sha256), complete
             FROM blob b WHERE sha256 = ?1",
            [sha256],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?
        .unwrap_or((0, false));
    if complete && !hold {
        let proved: u32 = conn
            .query_row(
                "SELECT received FROM blob_proof WHERE sha256 = ?1 AND office_id = ?2",
                params![sha256, device.office_id],
                |r| r.get(0),
            )
            .optional()?
            .unwrap_or(0);
        return Ok(BlobState {
            sha256: sha256.into(),
            size,
            received: proved,
            complete: false,
        });
    }
    Ok(BlobState {
        sha256: sha256.into(),
        size,
        received,
        complete,
    })
}

/// Keeps chunk `idx` from a device that may send the file: the next one in order (one already
/// held is taken as a resend), of the length the size says. After the last, the whole file's hash
/// is checked; a mismatch throws the chunks away and is refused. A file the hub holds whole is
/// compared chunk by chunk instead: all equal, the sender's office holds it too.
pub(super) fn put_chunk(
    conn: &mut Connection,
    device: &Device,
    sha256: &str,
    idx: u32,
    bytes: &[u8],
) -> Result<BlobState> {
    checked(sha256)?;
    if !may_send(conn, device, sha256)? {
        return Err(HubError::Forbidden(
            "hub tidak memegang lampiran kantor ini yang menyebut berkas itu; kirim datanya lebih dulu".into(),
        ));
    }
    let size = size_for(conn, sha256)?;
    let held = blob_state(conn, device, sha256)?;
    if held.complete || idx < held.received {
        return Ok(held);
    }
    if idx != held.received || chunk_len(size, idx) != Some(bytes.len()) {
        return Err(HubError::BadRequest(format!(
            "potongan {idx} ({} byte) tidak diharapkan; hub menunggu potongan {}",
            bytes.len(),
            held.received
        )));
    }
    let last = idx + 1 == chunk_count(size);
    let tx = conn.transaction()?;
    let whole = complete(&tx, sha256)?;
    if whole {
        // Sent again: proof that this office has the file the hub holds.
        let same: bool = tx.query_row(
            "SELECT EXISTS (SELECT 1 FROM blob_chunk WHERE sha256 = ?1 AND idx = ?2 AND data = ?3)",
            params![sha256, idx, bytes],
            |r| r.get(0),
        )?;
        if !same {
            tx.execute(
                "DELETE FROM blob_proof WHERE sha256 = ?1 AND office_id = ?2",
                params![sha256, device.office_id],
            )?;
            tx.commit()?;
            return Err(HubError::BadRequest(format!(
                "potongan {idx} berbeda dengan berkas yang dipegang hub"
            )));
        }
        tx.execute(
            "INSERT INTO blob_proof (sha256, office_id, received) VALUES (?1, ?2, ?3)
             ON CONFLICT (sha256, office_id) DO UPDATE SET received = excluded.received",
            params![sha256, device.office_id, idx + 1],
        )?;
        if last {
            sent(&tx, device, sha256)?;
        }
        tx.commit()?;
        return blob_state(conn, device, sha256);
    }
    tx.execute(
        "INSERT OR IGNORE INTO blob (sha256, size) VALUES (?1, ?2)",
        params![sha256, size as i64],
    )?;
    tx.execute(
        "INSERT INTO blob_chunk (sha256, idx, data) VALUES (?1, ?2, ?3)",
        params![sha256, idx, bytes],
    )?;
    if last {
        let mut hasher = Sha256::new();
        {
            let mut stmt =
                tx.prepare_cached("SELECT data FROM blob_chunk WHERE sha256 = ?1 ORDER BY idx")?;
            for chunk in stmt.query_map([sha256], |r| r.get::<_, Vec<u8>>(0))? {
                hasher.update(chunk?);
            }
        }
        if hex::encode(hasher.finalize()) != sha256 {
            tx.execute("DELETE FROM blob_chunk WHERE sha256 = ?1", [sha256])?;
            tx.commit()?;
            return Err(HubError::BadRequest(
                "isi berkas tidak cocok dengan sidik SHA-256-nya; berkas dikirim ulang dari awal"
                    .into(),
            ));
        }
        tx.execute(
            "UPDATE blob SET complete = 1, completed_at = ?2 WHERE sha256 = ?1",
            params![sha256, now()],
        )?;
        sent(&tx, device, sha256)?;
    }
    tx.commit()?;
    blob_state(conn, device, sha256)
}

/// Chunk `idx` of a file the hub holds whole, for a device of an office that holds it.
pub(super) fn chunk(conn: &Connection, device: &Device, sha256: &str, idx: u32) -> Result<Vec<u8>> {
    checked(sha256)?;
    if !holds(conn, device, sha256)? {
        return Err(HubError::Forbidden(
            "berkas itu bukan lampiran yang dipegang kantor ini".into(),
        ));
    }
    if !complete(conn, sha256)? {
        return Err(HubError::NotFound(
            "berkas ini belum sampai di hub; laptop yang melampirkannya belum mengunggahnya".into(),
        ));
    }
    conn.query_row(
        "SELECT data FROM blob_chunk WHERE sha256 = ?1 AND idx = ?2",
        params![sha256, idx],
        |r| r.get(0),
    )
    .optional()?
    .ok_or_else(|| HubError::BadRequest(format!("berkas itu tidak punya potongan {idx}")))
}
