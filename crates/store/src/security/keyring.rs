//! The key file beside the encrypted database (`pelita.sqlite.keys`).
//!
//! The database is encrypted with one random 256-bit key. That key is stored once per user,
//! wrapped (XChaCha20-Poly1305) with a key derived from the user's password by argon2id; the
//! associated data binds each slot to its database and username, so a slot cannot be renamed to
//! another account. Unwrapping a slot is how a password is checked: there is no other copy of it.
//!
//! Because a failed login cannot open the database, the lockout counters and the failed attempts
//! that still have to reach the audit log live here too, in the clear: they hold no personal data,
//! and someone who can edit this file could as well copy it and guess offline, which the argon2id
//! cost is there to slow down.

use std::collections::BTreeMap;
use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

use argon2::{Algorithm, Argon2, Params, Version};
use chacha20poly1305::aead::{Aead, AeadCore, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use crate::error::KeyFileProblem;
use crate::kernel::db::DbKey;
use crate::{Result, StoreError};

/// A key file problem found before its path is known.
fn key_file(problem: KeyFileProblem) -> StoreError {
    StoreError::KeyFile {
        path: None,
        problem,
    }
}

const FORMAT: u32 = 1;
use pelita_core::auth::lock_seconds;
pub use pelita_core::auth::FREE_ATTEMPTS;
/// argon2id cost for new slots (OWASP's 19 MiB, 2 passes); stored per slot so it can be raised.
const KDF_MEMORY_KIB: u32 = 19 * 1024;
const KDF_PASSES: u32 = 2;

/// One user's copy of the database key.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Slot {
    pub username: String,
    pub memory_kib: u32,
    pub passes: u32,
    pub salt: String,
    pub nonce: String,
    pub wrapped: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub(crate) struct Lockout {
    pub failures: u32,
    pub locked_until: Option<String>,
}

/// A failed attempt made while the database was closed, waiting to be written to the audit log.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct PendingFailure {
    pub seq: u64,
    pub at: String,
    pub username: String,
    pub detail: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Keyring {
    pub format: u32,
    pub database_id: String,
    /// Shown on the sign-in screen before the database is open.
    pub office_code: String,
    pub slots: Vec<Slot>,
    #[serde(default)]
    pub lockout: BTreeMap<String, Lockout>,
    #[serde(default)]
    pub pending: Vec<PendingFailure>,
    #[serde(default)]
    pub next_seq: u64,
}

fn slot_name(username: &str) -> String {
    username.trim().to_lowercase()
}

fn kek(password: &str, salt: &[u8], memory_kib: u32, passes: u32) -> Result<Zeroizing<[u8; 32]>> {
    let params = Params::new(memory_kib, passes, 1, Some(32)).map_err(|e| StoreError::Crypto {
        step: "kunci tidak dapat diturunkan dari kata sandi",
        reason: e.to_string(),
    })?;
    let mut out = Zeroizing::new([0u8; 32]);
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
        .hash_password_into(password.as_bytes(), salt, out.as_mut())
        .map_err(|e| StoreError::Crypto {
            step: "kunci tidak dapat diturunkan dari kata sandi",
            reason: e.to_string(),
        })?;
    Ok(out)
}

fn associated(database_id: &str, username: &str) -> Vec<u8> {
    format!("pelita-slot-v1\0{database_id}\0{}", slot_name(username)).into_bytes()
}

fn unhex(field: &'static str, text: &str) -> Result<Vec<u8>> {
    hex::decode(text).map_err(|_| key_file(KeyFileProblem::NotHex(field)))
}

impl Keyring {
    pub fn new(database_id: &str, office_code: &str) -> Keyring {
        Keyring {
            format: FORMAT,
            database_id: database_id.into(),
            office_code: office_code.into(),
            slots: Vec::new(),
            lockout: BTreeMap::new(),
            pending: Vec::new(),
            next_seq: 1,
        }
    }

    pub fn parse(bytes: &[u8]) -> Result<Keyring> {
        let ring: Keyring = serde_json::from_slice(bytes)
            .map_err(|e| key_file(KeyFileProblem::Unreadable(e.to_string())))?;
        if ring.format != FORMAT {
            return Err(key_file(KeyFileProblem::UnknownFormat(ring.format)));
        }
        Ok(ring)
    }

    pub fn slot(&self, username: &str) -> Option<&Slot> {
        let name = slot_name(username);
        self.slots.iter().find(|s| s.username == name)
    }

    /// Wraps `key` for `username` under `password`, replacing any earlier slot of theirs.
    pub fn set_slot(&mut self, username: &str, password: &str, key: &DbKey) -> Result<()> {
        use chacha20poly1305::aead::{rand_core::RngCore, OsRng};
        let mut salt = [0u8; 16];
        OsRng.fill_bytes(&mut salt);
        let nonce = XChaCha20Poly1305::generate_nonce(&mut OsRng);
        let kek = kek(password, &salt, KDF_MEMORY_KIB, KDF_PASSES)?;
        let wrapped = XChaCha20Poly1305::new(kek.as_ref().into())
            .encrypt(
                &nonce,
                Payload {
                    msg: key.as_ref(),
                    aad: &associated(&self.database_id, username),
                },
            )
            .map_err(|e| StoreError::Crypto {
                step: "kunci basis data tidak dapat dibungkus",
                reason: e.to_string(),
            })?;
        self.remove_slot(username);
        self.slots.push(Slot {
            username: slot_name(username),
            memory_kib: KDF_MEMORY_KIB,
            passes: KDF_PASSES,
            salt: hex::encode(salt),
            nonce: hex::encode(nonce),
            wrapped: hex::encode(wrapped),
        });
        Ok(())
    }

    pub fn remove_slot(&mut self, username: &str) {
        let name = slot_name(username);
        self.slots.retain(|s| s.username != name);
        self.lockout.remove(&name);
    }

    /// The database key if `password` opens `username`'s slot. Unknown names cost the same time.
    fn unwrap(&self, username: &str, password: &str) -> Result<Option<DbKey>> {
        let Some(slot) = self.slot(username) else {
            kek(password, b"pelita-no-such-user", KDF_MEMORY_KIB, KDF_PASSES)?;
            return Ok(None);
        };
        let kek = kek(
            password,
            &unhex("salt", &slot.salt)?,
            slot.memory_kib,
            slot.passes,
        )?;
        let nonce = unhex("nonce", &slot.nonce)?;
        if nonce.len() != 24 {
            return Err(key_file(KeyFileProblem::NonceLength));
        }
        let opened = XChaCha20Poly1305::new(kek.as_ref().into()).decrypt(
            XNonce::from_slice(&nonce),
            Payload {
                msg: &unhex("wrapped", &slot.wrapped)?,
                aad: &associated(&self.database_id, username),
            },
        );
        match opened {
            Ok(bytes) => {
                let bytes = Zeroizing::new(bytes);
                let mut key = Zeroizing::new([0u8; 32]);
                if bytes.len() != 32 {
                    return Err(key_file(KeyFileProblem::KeyLength));
                }
                key.copy_from_slice(&bytes);
                Ok(Some(key))
            }
            Err(_) => Ok(None),
        }
    }

    /// Checks a password against the lockout and the slot, and records the outcome: a failure
    /// counts towards the lock and is queued for the audit log; a success clears the count.
    pub fn attempt(&mut self, username: &str, password: &str, now: DateTime<Utc>) -> Result<DbKey> {
        let name = slot_name(username);
        let entry = self.lockout.get(&name).cloned().unwrap_or_default();
        let locked = entry
            .locked_until
            .as_deref()
            .and_then(|t| DateTime::parse_from_rfc3339(t).ok())
            .map(|t| t.with_timezone(&Utc))
            .filter(|t| *t > now);
        let outcome = match locked {
            Some(until) => Err(StoreError::AccountLocked {
                minutes: ((until - now).num_seconds() + 59) / 60,
            }),
            None => self
                .unwrap(username, password)?
                .ok_or(StoreError::LoginFailed),
        };
        match &outcome {
            Ok(_) => {
                self.lockout.remove(&name);
            }
            Err(e) => {
                if self.slot(username).is_some() && locked.is_none() {
                    let failures = entry.failures + 1;
                    self.lockout.insert(
                        name.clone(),
                        Lockout {
                            failures,
                            locked_until: lock_seconds(failures)
                                .map(|s| (now + Duration::seconds(s)).to_rfc3339()),
                        },
                    );
                }
                self.pending.push(PendingFailure {
                    seq: self.next_seq,
                    at: now.to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
                    username: name,
                    detail: e.code().to_string(),
                });
                self.next_seq += 1;
            }
        }
        outcome
    }

    pub fn locked_until(&self, username: &str) -> Option<String> {
        self.lockout
            .get(&slot_name(username))
            .and_then(|l| l.locked_until.clone())
    }
}

/// The key file of the database at `db_path`, and the lock that serialises its updates between
/// the app and the CLI.
#[derive(Debug, Clone)]
pub(crate) struct KeyFile {
    path: PathBuf,
}

impl KeyFile {
    pub fn beside(db_path: &Path) -> KeyFile {
        let mut name = db_path.as_os_str().to_owned();
        name.push(".keys");
        KeyFile {
            path: PathBuf::from(name),
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn exists(&self) -> bool {
        self.path.exists()
    }

    pub fn load(&self) -> Result<Keyring> {
        match std::fs::read(&self.path) {
            Ok(bytes) => Keyring::parse(&bytes).map_err(|e| match e {
                StoreError::KeyFile {
                    path: None,
                    problem,
                } => StoreError::KeyFile {
                    path: Some(self.path.display().to_string()),
                    problem,
                },
                other => other,
            }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Err(StoreError::NotSetUp),
            Err(e) => Err(StoreError::io(&self.path, e)),
        }
    }

    /// Reads, changes and writes the key file under the lock; the write replaces the file
    /// atomically, so a crash leaves the old or the new version, never half of one.
    pub fn update<T>(&self, f: impl FnOnce(&mut Keyring) -> Result<T>) -> Result<T> {
        let held = self.lock()?;
        let mut ring = self.load()?;
        let out = f(&mut ring)?;
        self.write(&held, &ring)?;
        Ok(out)
    }

    /// Like [`update`](Self::update) but keeps what `f` changed even when it returns an error
    /// (a failed login must still be counted).
    pub fn record<T>(&self, f: impl FnOnce(&mut Keyring) -> Result<T>) -> Result<T> {
        let held = self.lock()?;
        let mut ring = self.load()?;
        let out = f(&mut ring);
        self.write(&held, &ring)?;
        out
    }

    /// The exclusive lock on the key file, held by whoever changes it — and, while a database
    /// is created or restored, for the whole swap of the database file and its key file.
    pub fn lock(&self) -> Result<KeyLock> {
        let mut name = self.path.as_os_str().to_owned();
        name.push(".lock");
        let path = PathBuf::from(name);
        let file = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(|e| StoreError::io(&path, e))?;
        file.lock().map_err(|e| StoreError::io(&path, e))?;
        Ok(KeyLock { _file: file })
    }

    /// Writes the key file; only with the lock held.
    pub fn write(&self, _held: &KeyLock, ring: &Keyring) -> Result<()> {
        let bytes = serde_json::to_vec_pretty(ring).map_err(|e| StoreError::KeyFile {
            path: Some(self.path.display().to_string()),
            problem: KeyFileProblem::Write(e.to_string()),
        })?;
        write_atomically(&self.path, &bytes)
    }
}

/// Proof that the key file's lock is held; released when dropped.
pub(crate) struct KeyLock {
    _file: File,
}

/// Writes `bytes` to a temporary file beside `path`, syncs it, then renames it over `path`.
pub(crate) fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    let mut name = path.as_os_str().to_owned();
    name.push(".tmp");
    let tmp = PathBuf::from(name);
    let mut file = File::create(&tmp).map_err(|e| StoreError::io(&tmp, e))?;
    file.write_all(bytes).map_err(|e| StoreError::io(&tmp, e))?;
    file.sync_all().map_err(|e| StoreError::io(&tmp, e))?;
    drop(file);
    std::fs::rename(&tmp, path).map_err(|e| StoreError::io(path, e))?;
    sync_parent(path);
    Ok(())
}

/// Makes a rename durable on Unix; elsewhere (and if it fails) the rename itself has to do.
pub(crate) fn sync_parent(path: &Path) {
    #[cfg(unix)]
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        if let Ok(d) = File::open(dir) {
            let _ = d.sync_all();
        }
    }
    #[cfg(not(unix))]
    let _ = path;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ring_with(user: &str, password: &str) -> (Keyring, DbKey) {
        let key = crate::kernel::db::new_db_key();
        let mut ring = Keyring::new("db-1", "TERJUN");
        ring.set_slot(user, password, &key).unwrap();
        (ring, key)
    }

    #[test]
    fn the_right_password_unwraps_the_key_and_nothing_else_does() {
        let (mut ring, key) = ring_with("Operator1", "Kata-Sandi-Kuat-9");
        let now = Utc::now();
        let got = ring.attempt("operator1", "Kata-Sandi-Kuat-9", now).unwrap();
        assert_eq!(*got, *key);
        assert_eq!(
            ring.attempt("operator1", "Kata-Sandi-Kuat-8", now)
                .unwrap_err()
                .code(),
            crate::ErrorCode::LoginFailed
        );
        assert_eq!(
            ring.attempt("nobody", "Kata-Sandi-Kuat-9", now)
                .unwrap_err()
                .code(),
            crate::ErrorCode::LoginFailed
        );
        assert_eq!(
            ring.pending.len(),
            2,
            "both failures wait for the audit log"
        );
        assert_eq!(ring.pending[1].seq, ring.pending[0].seq + 1);
    }

    #[test]
    fn a_slot_moved_to_another_name_or_database_does_not_open() {
        let (ring, _) = ring_with("pegawai1", "Kata-Sandi-Kuat-9");
        let mut renamed = ring.clone();
        renamed.slots[0].username = "admin".into();
        assert!(renamed
            .unwrap("admin", "Kata-Sandi-Kuat-9")
            .unwrap()
            .is_none());
        let mut moved = ring.clone();
        moved.database_id = "db-2".into();
        assert!(moved
            .unwrap("pegawai1", "Kata-Sandi-Kuat-9")
            .unwrap()
            .is_none());
        assert!(ring
            .unwrap("pegawai1", "Kata-Sandi-Kuat-9")
            .unwrap()
            .is_some());
    }

    #[test]
    fn no_slot_holds_the_key_in_the_clear() {
        let (ring, key) = ring_with("admin1", "Kata-Sandi-Kuat-9");
        let text = serde_json::to_string(&ring).unwrap();
        assert!(!text.contains(&hex::encode(key.as_ref())));
    }

    #[test]
    fn a_damaged_key_file_is_named_not_panicked_on() {
        let err = Keyring::parse(b"{ not json").unwrap_err();
        assert_eq!(err.code().to_string(), "key_file");
        assert!(err.to_string().contains("berkas kunci"), "{err}");
    }
}
