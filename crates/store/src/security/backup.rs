//! Encrypted backups and restore.
//!
//! A backup file is `MAGIC`, the length of a JSON header, the header, then the database exported
//! by SQLCipher under the same key. The header names the database, its office and schema, the
//! key file's slots (so the backup opens on a new laptop with a password valid when it was made)
//! and the SHA-256 and length of the payload, so a truncated or altered file is refused before
//! anything is replaced. Restore checks the database id (a foreign backup is refused), verifies
//! the payload opens and passes SQLite's integrity check, raises the restore generation and
//! marks the database for a sync re-baseline, and moves the replaced file aside, never deleting it.

use std::path::{Path, PathBuf};

use pelita_core::auth::{Action, Actor};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use specta::Type;

use crate::kernel::audit::{self, AuditAction, AuditEvent};
use crate::kernel::db::DbKey;
use crate::security::keyring::{self, KeyFile, Keyring};
use crate::security::open::{keep_copy, put_in_place, refuse_existing, scratch_file, sibling};
use crate::{kernel::db, Result, Store, StoreError};

const MAGIC: &[u8; 16] = b"PELITA-CADANGAN1";
const FORMAT: u32 = 1;

#[derive(Debug, Clone, Serialize, Deserialize)]
struct Header {
    format: u32,
    database_id: String,
    office_code: String,
    schema_version: u32,
    restore_generation: u32,
    created_at: String,
    created_by: String,
    payload_len: u64,
    payload_sha256: String,
    keyring: Keyring,
}

/// What a backup or a restore did, for the person who asked.
#[derive(Debug, Clone, Serialize, Type)]
pub struct BackupReport {
    pub path: String,
    pub database_id: String,
    /// When the backup was made.
    pub created_at: String,
    pub bytes: u32,
    /// After a restore: the database's new restore generation.
    pub restore_generation: u32,
    /// After a restore: where the replaced database file was moved.
    pub replaced_file: Option<String>,
}

struct Backup {
    header: Header,
    payload: Vec<u8>,
}

fn bad(path: &Path, reason: impl Into<String>) -> StoreError {
    StoreError::Backup {
        path: path.display().to_string(),
        reason: reason.into(),
    }
}

/// Whether `a` and `b` name the same file (whether or not it exists yet).
fn same_file(a: &Path, b: &Path) -> bool {
    let resolve = |p: &Path| -> Option<PathBuf> {
        let dir = match p.parent().filter(|d| !d.as_os_str().is_empty()) {
            Some(d) => d.to_path_buf(),
            None => PathBuf::from("."),
        };
        Some(std::fs::canonicalize(dir).ok()?.join(p.file_name()?))
    };
    match (resolve(a), resolve(b)) {
        (Some(x), Some(y)) => x == y,
        _ => false,
    }
}

/// Reads and checks a backup file without opening its database.
fn read_backup(path: &Path) -> Result<Backup> {
    let bytes = std::fs::read(path).map_err(|e| StoreError::io(path, e))?;
    let not_ours = || bad(path, "ini bukan berkas cadangan Pelita");
    if bytes.len() < MAGIC.len() + 8 || &bytes[..MAGIC.len()] != MAGIC {
        return Err(not_ours());
    }
    let mut len = [0u8; 8];
    len.copy_from_slice(&bytes[MAGIC.len()..MAGIC.len() + 8]);
    let header_start = MAGIC.len() + 8;
    let header_end = usize::try_from(u64::from_be_bytes(len))
        .ok()
        .and_then(|l| header_start.checked_add(l))
        .filter(|end| *end <= bytes.len())
        .ok_or_else(|| {
            bad(
                path,
                "berkas terpotong atau rusak (kepala berkas tidak utuh)",
            )
        })?;
    let header: Header = serde_json::from_slice(&bytes[header_start..header_end])
        .map_err(|e| bad(path, format!("kepala berkas rusak ({e})")))?;
    if header.format != FORMAT {
        return Err(bad(
            path,
            format!(
                "format cadangan {} tidak dikenal; perbarui aplikasi Pelita",
                header.format
            ),
        ));
    }
    let payload = bytes[header_end..].to_vec();
    if payload.len() as u64 != header.payload_len
        || hex::encode(Sha256::digest(&payload)) != header.payload_sha256
    {
        return Err(bad(
            path,
            "berkas rusak atau terpotong (isi tidak cocok dengan checksum-nya)",
        ));
    }
    if header.keyring.database_id != header.database_id {
        return Err(bad(path, "kepala berkas tidak konsisten"));
    }
    Ok(Backup { header, payload })
}

impl Store {
    /// Writes an encrypted backup of the whole database to `dest` (replacing it atomically).
    pub fn backup(&mut self, actor: &Actor, dest: &Path) -> Result<BackupReport> {
        let home = self.home_office()?;
        self.authorize(actor, Action::BackupDatabase, Some(&home.id))?;
        let own_files = [
            self.path.clone(),
            sibling(&self.path, "-wal"),
            sibling(&self.path, "-shm"),
            self.keys.path().to_path_buf(),
        ];
        if own_files.iter().any(|f| same_file(f, dest)) {
            return Err(bad(
                dest,
                "cadangan tidak boleh menimpa berkas basis data atau berkas kuncinya sendiri; pilih nama lain",
            ));
        }
        let export = sibling(dest, ".ekspor");
        if export.exists() {
            std::fs::remove_file(&export).map_err(|e| StoreError::io(&export, e))?;
        }
        let result = self.export_to(&export);
        let payload =
            result.and_then(|()| std::fs::read(&export).map_err(|e| StoreError::io(&export, e)));
        let _ = std::fs::remove_file(&export);
        let payload = payload?;

        let info = self.info()?;
        let mut ring = self.keys.load()?;
        ring.pending.clear();
        ring.lockout.clear();
        let header = Header {
            format: FORMAT,
            database_id: info.database_id.clone(),
            office_code: home.code,
            schema_version: info.schema_version,
            restore_generation: info.restore_generation,
            created_at: crate::kernel::clock::now(),
            created_by: actor.username.clone(),
            payload_len: payload.len() as u64,
            payload_sha256: hex::encode(Sha256::digest(&payload)),
            keyring: ring,
        };
        let header_bytes = serde_json::to_vec(&header)
            .map_err(|e| bad(dest, format!("kepala berkas tidak dapat ditulis ({e})")))?;
        let mut file = Vec::with_capacity(MAGIC.len() + 8 + header_bytes.len() + payload.len());
        file.extend_from_slice(MAGIC);
        file.extend_from_slice(&(header_bytes.len() as u64).to_be_bytes());
        file.extend_from_slice(&header_bytes);
        file.extend_from_slice(&payload);
        keyring::write_atomically(dest, &file)?;

        audit::append(
            &self.conn,
            &AuditEvent {
                actor: &actor.username,
                office_id: &actor.office_id,
                action: AuditAction::Backup,
                entity: "database",
                record_id: &info.database_id,
                detail: &dest.display().to_string(),
            },
        )?;
        Ok(BackupReport {
            path: dest.display().to_string(),
            database_id: info.database_id,
            created_at: header.created_at,
            bytes: u32::try_from(file.len()).unwrap_or(u32::MAX),
            restore_generation: info.restore_generation,
            replaced_file: None,
        })
    }

    /// Copies the database, encrypted under the same key, into a new file at `path`.
    fn export_to(&self, path: &Path) -> Result<()> {
        let path_text = path.to_str().ok_or_else(|| StoreError::Io {
            path: path.display().to_string(),
            reason: "nama berkas tidak dapat dipakai".into(),
        })?;
        // Without a KEY clause SQLCipher encrypts the attached file with the main database's key.
        self.conn
            .execute("ATTACH DATABASE ?1 AS cadangan", [path_text])?;
        let exported = self
            .conn
            .query_row("SELECT sqlcipher_export('cadangan')", [], |_| Ok(()))
            .and_then(|()| {
                let version = db::schema_version(&self.conn).unwrap_or(0);
                self.conn
                    .execute_batch(&format!("PRAGMA cadangan.user_version = {version}"))
            });
        let detached = self.conn.execute("DETACH DATABASE cadangan", []);
        exported?;
        detached?;
        Ok(())
    }

    /// Replaces this database with the backup at `file`. Only a backup of this same database is
    /// accepted. Sign in again afterwards: the accounts are those of the backup.
    pub fn restore(&mut self, actor: &Actor, file: &Path) -> Result<BackupReport> {
        self.authorize(actor, Action::RestoreDatabase, None)?;
        let backup = read_backup(file)?;
        let current = self.info()?;
        if backup.header.database_id != current.database_id {
            return Err(bad(
                file,
                format!(
                    "cadangan ini milik basis data lain (kantor {}, ID {}), bukan basis data laptop ini",
                    backup.header.office_code, backup.header.database_id
                ),
            ));
        }
        let generation = current
            .restore_generation
            .max(backup.header.restore_generation)
            + 1;
        let staged = stage(
            &self.path,
            file,
            &backup,
            &self.key,
            generation,
            &actor.username,
        )?;
        let restored = match restored_accounts(&staged, &self.key) {
            Ok(r) => r,
            Err(e) => {
                let _ = std::fs::remove_file(&staged);
                return Err(e);
            }
        };
        // From here until the key file is written no other program may change either file.
        let held = self.keys.lock()?;
        drop(std::mem::replace(
            &mut self.conn,
            rusqlite::Connection::open_in_memory()?,
        ));
        let swapped = (|| -> Result<Option<PathBuf>> {
            release_stale_log(&self.path, &self.key)?;
            let kept = keep_copy(&self.path, "sebelum-pulih")?;
            put_in_place(&staged, &self.path)?;
            Ok(kept)
        })();
        // Whatever happened, the file at the path is this database under this key.
        self.conn = db::open_connection(&self.path, &self.key)?;
        let replaced = match swapped {
            Ok(kept) => kept,
            Err(e) => {
                let _ = std::fs::remove_file(&staged);
                return Err(e);
            }
        };
        // Same database, same key: today's slots (today's passwords) stay for the accounts the
        // backup has active; one of them without a slot today gets its slot from the backup.
        let mut ring = self.keys.load()?;
        ring.slots.retain(|s| restored.active.contains(&s.username));
        for name in &restored.active {
            if !ring.slots.iter().any(|s| &s.username == name) {
                if let Some(slot) = backup
                    .header
                    .keyring
                    .slots
                    .iter()
                    .find(|s| &s.username == name)
                {
                    ring.slots.push(slot.clone());
                }
            }
        }
        ring.lockout
            .retain(|name, _| restored.active.contains(name));
        // Failed sign-ins not yet logged must stay above what the restored log already holds.
        ring.next_seq = ring.next_seq.max(restored.flushed + 1);
        for p in ring
            .pending
            .iter_mut()
            .filter(|p| p.seq <= restored.flushed)
        {
            p.seq = ring.next_seq;
            ring.next_seq += 1;
        }
        self.keys.write(&held, &ring)?;
        drop(held);
        Ok(BackupReport {
            path: file.display().to_string(),
            database_id: backup.header.database_id,
            created_at: backup.header.created_at,
            bytes: u32::try_from(backup.payload.len()).unwrap_or(u32::MAX),
            restore_generation: generation,
            replaced_file: replaced.map(|p| p.display().to_string()),
        })
    }

    /// Restores a backup on a laptop that has no database (a new or repaired machine). The
    /// password must be one that was valid when the backup was made, of an Admin Kecamatan.
    pub fn restore_new(
        path: impl AsRef<Path>,
        file: &Path,
        username: &str,
        password: &str,
    ) -> Result<(Store, Actor)> {
        let path = path.as_ref();
        let keys = KeyFile::beside(path);
        refuse_existing(path, &keys)?;
        let backup = read_backup(file)?;
        let mut ring = backup.header.keyring.clone();
        let key = ring.attempt(username, password, chrono::Utc::now())?;
        let generation = backup.header.restore_generation + 1;
        let staged = stage(path, file, &backup, &key, generation, username.trim())?;
        // The account must be allowed to restore according to the backup itself.
        let allowed = (|| -> Result<()> {
            let conn = db::open_connection(&staged, &key)?;
            let actor = crate::security::users::active_actor(&conn, username)?
                .ok_or(StoreError::LoginFailed)?;
            conn.close().map_err(|(_, e)| StoreError::from(e))?;
            Ok(pelita_core::auth::authorize(
                &actor,
                Action::RestoreDatabase,
                None,
            )?)
        })();
        if let Err(e) = allowed {
            let _ = std::fs::remove_file(&staged);
            return Err(e);
        }
        {
            let held = keys.lock()?;
            if let Err(e) = refuse_existing(path, &keys).and_then(|()| put_in_place(&staged, path))
            {
                let _ = std::fs::remove_file(&staged);
                return Err(e);
            }
            ring.lockout.clear();
            keys.write(&held, &ring)?;
        }
        Store::unlock(path, username, password)
    }
}

/// Writes the backup's database beside `db_path`, checks it opens with `key` and is intact,
/// and marks it restored. Returns the staged file's path.
fn stage(
    db_path: &Path,
    file: &Path,
    backup: &Backup,
    key: &DbKey,
    generation: u32,
    by: &str,
) -> Result<PathBuf> {
    let staged = scratch_file(db_path, ".pulih")?;
    keyring::write_atomically(&staged, &backup.payload)?;
    let checked = (|| -> Result<()> {
        let conn = db::open_connection(&staged, key).map_err(|e| match e {
            StoreError::Unreadable(_) => bad(
                file,
                "isi cadangan tidak dapat dibuka dengan kunci basis data ini",
            ),
            other => other,
        })?;
        let check: String = conn.query_row("PRAGMA integrity_check", [], |r| r.get(0))?;
        if check != "ok" {
            return Err(bad(file, format!("pemeriksaan keutuhan gagal: {check}")));
        }
        let inner = db::meta_get(&conn, db::META_DATABASE_ID)?;
        if inner.as_deref() != Some(backup.header.database_id.as_str()) {
            return Err(bad(file, "isi cadangan tidak cocok dengan kepalanya"));
        }
        let tx = conn.unchecked_transaction()?;
        db::meta_set(&tx, db::META_RESTORE_GENERATION, &generation.to_string())?;
        db::meta_set(&tx, db::META_SYNC_REBASELINE, "1")?;
        // Every restore is a new copy: a second laptop restored from the same backup must not
        // number its changes like the first.
        db::new_copy_id(&tx)?;
        db::meta_set(&tx, "restored_at", &crate::kernel::clock::now())?;
        let office = db::meta_get(&tx, db::META_OFFICE_ID)?.unwrap_or_default();
        audit::append(
            &tx,
            &AuditEvent {
                actor: by,
                office_id: &office,
                action: AuditAction::Restore,
                entity: "database",
                record_id: &backup.header.database_id,
                detail: &format!(
                    "dari {} (dibuat {}), generasi {generation}",
                    file.display(),
                    backup.header.created_at
                ),
            },
        )?;
        tx.commit()?;
        conn.close().map_err(|(_, e)| StoreError::from(e))?;
        Ok(())
    })();
    if let Err(e) = checked {
        let _ = std::fs::remove_file(&staged);
        return Err(match e {
            StoreError::Database(d) => bad(file, format!("isi cadangan rusak ({d})")),
            other => other,
        });
    }
    Ok(staged)
}

/// What a staged (restored) database holds of the accounts and of the key file's failures.
struct Restored {
    /// Lower-case usernames of the active accounts.
    active: Vec<String>,
    /// The last failed sign-in from the key file its audit log holds.
    flushed: u64,
}

fn restored_accounts(staged: &Path, key: &DbKey) -> Result<Restored> {
    let conn = db::open_connection(staged, key)?;
    let active = conn
        .prepare("SELECT lower(username) FROM user_account WHERE active = 1")?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let flushed = db::meta_get(&conn, db::META_FLUSHED_FAILURES)?
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    conn.close().map_err(|(_, e)| StoreError::from(e))?;
    Ok(Restored { active, flushed })
}

/// A log or index left beside the database by a crash is folded back in by one open and close;
/// if they are still there afterwards, another program has the database open.
fn release_stale_log(path: &Path, key: &DbKey) -> Result<()> {
    let leftovers = || sibling(path, "-wal").exists() || sibling(path, "-shm").exists();
    if leftovers() {
        let conn = db::open_connection(path, key)?;
        drop(conn);
    }
    if leftovers() {
        return Err(StoreError::InUse(path.display().to_string()));
    }
    Ok(())
}
