//! The content of attachments at the hub. A file is sent by an office whose device pushed an
//! attachment row naming it (a claim), in order, resumable after a cut, and checked whole against
//! its SHA-256. It is given only to a holder: the office that sent it and the offices its claims
//! named, an office that proved it has the same file by sending it again, an office a transfer
//! moved an attachment naming it to — and the Kantor Camat. Knowing a file's hash is not enough.

use pelita_core::attachment::{chunk_count, chunk_len, is_sha256, MAX_BYTES};
use pelita_proto::BlobState;
use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::db::{args, Backend, Sql};
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
fn known_size(tx: &dyn Sql, sha256: &str) -> Result<Option<u64>> {
    let held: Option<i64> = tx.opt(
        "SELECT size FROM blob WHERE sha256 = ?1",
        args![sha256],
        |mut r| r.get(0),
    )?;
    if let Some(size) = held {
        return Ok(Some(size as u64));
    }
    let d = tx.dialect();
    Ok(tx
        .value::<Option<i64>>(
            &format!(
                "SELECT max({}) FROM row WHERE entity = 'attachment' AND {} = ?1",
                d.json_int("payload", "size"),
                d.json("payload", "sha256")
            ),
            args![sha256],
        )?
        .map(|s| s as u64))
}

/// Why an attachment row cannot be taken: it gives its file another size than the hub knows it by.
pub(super) fn row_refused(tx: &dyn Sql, row: &Value) -> Result<Option<String>> {
    Ok(match known_size(tx, sha_of(row))? {
        Some(size) if size != size_of(row) => Some(format!(
            "lampiran menyebut berkas berukuran {} byte, padahal berkas itu {size} byte",
            size_of(row)
        )),
        _ => None,
    })
}

/// `device` pushed an attachment row naming a file, for the office `owner`: it may send the file.
pub(super) fn claim(tx: &dyn Sql, device: &Device, row: &Value, owner: &str) -> Result<()> {
    tx.execute(
        "INSERT INTO blob_claim (sha256, claimant, owner) VALUES (?1, ?2, ?3)
         ON CONFLICT DO NOTHING",
        args![sha_of(row), device.office_id, owner],
    )?;
    Ok(())
}

/// A transfer moved an attachment naming a file to `office`: it holds the file from now on.
pub(super) fn moved(tx: &dyn Sql, row: &Value, office: &str) -> Result<()> {
    tx.execute(
        "INSERT INTO blob_holder (sha256, office_id) VALUES (?1, ?2) ON CONFLICT DO NOTHING",
        args![sha_of(row), office],
    )?;
    Ok(())
}

fn may_send(tx: &dyn Sql, device: &Device, sha256: &str) -> Result<bool> {
    Ok(device.hq
        || tx.value(
            "SELECT EXISTS (SELECT 1 FROM blob_claim WHERE sha256 = ?1 AND claimant = ?2)",
            args![sha256, device.office_id],
        )?)
}

fn holds(tx: &dyn Sql, device: &Device, sha256: &str) -> Result<bool> {
    Ok(device.hq
        || tx.value(
            "SELECT EXISTS (SELECT 1 FROM blob_holder WHERE sha256 = ?1 AND office_id = ?2)",
            args![sha256, device.office_id],
        )?)
}

/// `device`'s office has sent the file whole: it holds it, and so do the offices its claims named.
fn sent(tx: &dyn Sql, device: &Device, sha256: &str) -> Result<()> {
    tx.execute(
        "INSERT INTO blob_holder (sha256, office_id)
         SELECT CAST(?1 AS TEXT), CAST(?2 AS TEXT)
         UNION SELECT sha256, owner FROM blob_claim WHERE sha256 = ?1 AND claimant = ?2
         ON CONFLICT DO NOTHING",
        args![sha256, device.office_id],
    )?;
    tx.execute(
        "DELETE FROM blob_proof WHERE sha256 = ?1 AND office_id = ?2",
        args![sha256, device.office_id],
    )?;
    Ok(())
}

/// Whether the hub holds `sha256` whole.
fn complete(tx: &dyn Sql, sha256: &str) -> Result<bool> {
    Ok(tx
        .opt(
            "SELECT complete FROM blob WHERE sha256 = ?1",
            args![sha256],
            |mut r| r.get(0),
        )?
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

fn size_for(tx: &dyn Sql, sha256: &str) -> Result<u64> {
    match known_size(tx, sha256)? {
        Some(size) if size > 0 && size <= MAX_BYTES as u64 => Ok(size),
        other => Err(HubError::BadRequest(format!(
            "ukuran lampiran {} byte tidak diterima",
            other.unwrap_or(0)
        ))),
    }
}

/// How much of `sha256` the hub holds, as `device` sees it: a holder sees the file; a claimant
/// that is not one yet sees how much of it it has sent (again).
pub(super) fn blob_state(tx: &dyn Sql, device: &Device, sha256: &str) -> Result<BlobState> {
    checked(sha256)?;
    let (send, hold) = (may_send(tx, device, sha256)?, holds(tx, device, sha256)?);
    if !send && !hold {
        return Err(HubError::Forbidden(
            "berkas itu bukan lampiran yang dikirim atau dipegang kantor ini".into(),
        ));
    }
    let size = size_for(tx, sha256)?;
    let (received, complete): (u32, bool) = tx
        .opt(
            "SELECT (SELECT count(*) FROM blob_chunk c WHERE c.sha256 = b.sha256), complete
             FROM blob b WHERE sha256 = ?1",
            args![sha256],
            |mut r| Ok((r.get(0)?, r.get(1)?)),
        )?
        .unwrap_or((0, false));
    if complete && !hold {
        let proved: u32 = tx
            .opt(
                "SELECT received FROM blob_proof WHERE sha256 = ?1 AND office_id = ?2",
                args![sha256, device.office_id],
                |mut r| r.get(0),
            )?
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
pub(super) fn put_chunk<B: Backend>(
    db: &B,
    device: &Device,
    sha256: &str,
    idx: u32,
    bytes: &[u8],
) -> Result<BlobState> {
    checked(sha256)?;
    // Checked and written in one write transaction, so no other request (nor another hub
    // process) changes what was checked before the chunk is kept. A refusal that keeps what it
    // wrote (a proof forgotten, a file to send again) is committed, then told.
    let kept = db.write(|tx| {
        if !may_send(tx, device, sha256)? {
            return Ok(Err(HubError::Forbidden(
                "hub tidak memegang lampiran kantor ini yang menyebut berkas itu; kirim datanya lebih dulu".into(),
            )));
        }
        let size = size_for(tx, sha256)?;
        let held = blob_state(tx, device, sha256)?;
        if held.complete || idx < held.received {
            return Ok(Ok(Some(held)));
        }
        if idx != held.received || chunk_len(size, idx) != Some(bytes.len()) {
            return Ok(Err(HubError::BadRequest(format!(
                "potongan {idx} ({} byte) tidak diharapkan; hub menunggu potongan {}",
                bytes.len(),
                held.received
            ))));
        }
        let last = idx + 1 == chunk_count(size);
        if complete(tx, sha256)? {
            let same: bool = tx.value(
                "SELECT EXISTS (SELECT 1 FROM blob_chunk WHERE sha256 = ?1 AND idx = ?2 AND data = ?3)",
                args![sha256, idx, bytes],
            )?;
            if !same {
                tx.execute(
                    "DELETE FROM blob_proof WHERE sha256 = ?1 AND office_id = ?2",
                    args![sha256, device.office_id],
                )?;
                return Ok(Err(HubError::BadRequest(format!(
                    "potongan {idx} berbeda dengan berkas yang dipegang hub"
                ))));
            }
            tx.execute(
                "INSERT INTO blob_proof (sha256, office_id, received) VALUES (?1, ?2, ?3)
                 ON CONFLICT (sha256, office_id) DO UPDATE SET received = excluded.received",
                args![sha256, device.office_id, idx + 1],
            )?;
            if last {
                sent(tx, device, sha256)?;
            }
            return Ok(Ok(None));
        }
        tx.execute(
            "INSERT INTO blob (sha256, size) VALUES (?1, ?2) ON CONFLICT DO NOTHING",
            args![sha256, size],
        )?;
        tx.execute(
            "INSERT INTO blob_chunk (sha256, idx, data) VALUES (?1, ?2, ?3)",
            args![sha256, idx, bytes],
        )?;
        if last {
            let mut hasher = Sha256::new();
            for chunk in tx.map(
                "SELECT data FROM blob_chunk WHERE sha256 = ?1 ORDER BY idx",
                args![sha256],
                |mut r| r.get::<Vec<u8>>(0),
            )? {
                hasher.update(chunk);
            }
            if hex::encode(hasher.finalize()) != sha256 {
                tx.execute("DELETE FROM blob_chunk WHERE sha256 = ?1", args![sha256])?;
                return Ok(Err(HubError::BadRequest(
                    "isi berkas tidak cocok dengan sidik SHA-256-nya; berkas dikirim ulang dari awal"
                        .into(),
                )));
            }
            tx.execute(
                "UPDATE blob SET complete = 1, completed_at = ?2 WHERE sha256 = ?1",
                args![sha256, now()],
            )?;
            sent(tx, device, sha256)?;
        }
        Ok(Ok(None))
    })?;
    match kept? {
        Some(held) => Ok(held),
        None => db.read(|tx| blob_state(tx, device, sha256)),
    }
}

/// Chunk `idx` of a file the hub holds whole, for a device of an office that holds it.
pub(super) fn chunk(tx: &dyn Sql, device: &Device, sha256: &str, idx: u32) -> Result<Vec<u8>> {
    checked(sha256)?;
    if !holds(tx, device, sha256)? {
        return Err(HubError::Forbidden(
            "berkas itu bukan lampiran yang dipegang kantor ini".into(),
        ));
    }
    if !complete(tx, sha256)? {
        return Err(HubError::NotFound(
            "berkas ini belum sampai di hub; laptop yang melampirkannya belum mengunggahnya".into(),
        ));
    }
    tx.opt(
        "SELECT data FROM blob_chunk WHERE sha256 = ?1 AND idx = ?2",
        args![sha256, idx],
        |mut r| r.get(0),
    )?
    .ok_or_else(|| HubError::BadRequest(format!("berkas itu tidak punya potongan {idx}")))
}
