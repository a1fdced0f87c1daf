//! The content of attachments at the hub: chunks received in order from the office whose
//! attachment row names the file, resumable after a cut, checked whole against the file's SHA-256
//! before anyone may fetch it; and given, chunk by chunk, to a device that reads such a row.

use pelita_core::attachment::{chunk_count, chunk_len, is_sha256, MAX_BYTES};
use pelita_proto::BlobState;
use rusqlite::{params, Connection, OptionalExtension};
use sha2::{Digest, Sha256};

use crate::rules::{in_scope, Device};
use crate::secret::now;
use crate::store::{HubError, Result};

/// The live attachment rows naming `sha256`: (owner, payload).
fn naming(conn: &Connection, sha256: &str) -> Result<Vec<(String, serde_json::Value)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT owner_office_id, payload FROM row
         WHERE entity = 'attachment' AND json_extract(payload, '$.sha256') = ?1
           AND coalesce(json_extract(payload, '$.deleted'), 0) = 0",
    )?;
    let rows = stmt
        .query_map([sha256], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
        })?
        .filter_map(|r| r.ok())
        .filter_map(|(owner, p)| Some((owner, serde_json::from_str(&p).ok()?)))
        .collect();
    Ok(rows)
}

/// The size the attachment rows give the file, when `device` may send it (its office owns one of
/// them, or it is the Kantor Camat's) or only fetch it (`for_upload` false: it reads one).
fn size_for(conn: &Connection, device: &Device, sha256: &str, for_upload: bool) -> Result<u64> {
    if !is_sha256(sha256) {
        return Err(HubError::BadRequest(format!(
            "'{sha256}' bukan sidik SHA-256 sebuah berkas"
        )));
    }
    let allowed = naming(conn, sha256)?.into_iter().find(|(owner, row)| {
        if for_upload {
            device.hq || *owner == device.office_id
        } else {
            in_scope(device, "attachment", owner, row)
        }
    });
    let Some((_, row)) = allowed else {
        return Err(HubError::Forbidden(if for_upload {
            "hub tidak memegang lampiran kantor ini yang menyebut berkas itu; kirim datanya lebih dulu".into()
        } else {
            "berkas itu bukan lampiran yang boleh dibaca kantor ini".into()
        }));
    };
    let size = row.get("size").and_then(|v| v.as_u64()).unwrap_or(0);
    if size == 0 || size > MAX_BYTES as u64 {
        return Err(HubError::BadRequest(format!(
            "ukuran lampiran {size} byte tidak diterima"
        )));
    }
    Ok(size)
}

fn state(conn: &Connection, sha256: &str, size: u64) -> Result<BlobState> {
    let found: Option<(u32, bool)> = conn
        .query_row(
            "SELECT (SELECT count(*) FROM blob_chunk c WHERE c.sha256 = b.sha256), complete
             FROM blob b WHERE sha256 = ?1",
            [sha256],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let (received, complete) = found.unwrap_or((0, false));
    Ok(BlobState {
        sha256: sha256.to_string(),
        size,
        received,
        complete,
    })
}

/// How much of `sha256` the hub holds, for a device that may send or fetch it.
pub(super) fn blob_state(conn: &Connection, device: &Device, sha256: &str) -> Result<BlobState> {
    let size =
        size_for(conn, device, sha256, true).or_else(|_| size_for(conn, device, sha256, false))?;
    state(conn, sha256, size)
}

/// Keeps chunk `idx` from a device that may send the file: the next one in order (one already
/// held is taken as a resend), of the length the size says. After the last, the whole file's hash
/// is checked; a mismatch throws the chunks away and is refused.
pub(super) fn put_chunk(
    conn: &mut Connection,
    device: &Device,
    sha256: &str,
    idx: u32,
    bytes: &[u8],
) -> Result<BlobState> {
    let size = size_for(conn, device, sha256, true)?;
    let held = state(conn, sha256, size)?;
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
    let tx = conn.transaction()?;
    tx.execute(
        "INSERT OR IGNORE INTO blob (sha256, size) VALUES (?1, ?2)",
        params![sha256, size as i64],
    )?;
    tx.execute(
        "INSERT INTO blob_chunk (sha256, idx, data) VALUES (?1, ?2, ?3)",
        params![sha256, idx, bytes],
    )?;
    if idx + 1 == chunk_count(size) {
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
    }
    tx.commit()?;
    state(conn, sha256, size)
}

/// Chunk `idx` of a file the hub holds whole, for a device that reads an attachment naming it.
pub(super) fn chunk(conn: &Connection, device: &Device, sha256: &str, idx: u32) -> Result<Vec<u8>> {
    let size = size_for(conn, device, sha256, false)?;
    if !state(conn, sha256, size)?.complete {
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
