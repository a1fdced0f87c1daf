//! The hub in one SQLite file: one writer connection (SQLite takes one write at a time; the lock
//! queues them here, not in SQLite's busy loop) and a few read-only connections beside it — in
//! WAL mode a pull, a file's chunk or the status page reads a snapshot without waiting for the
//! push being written.

use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

use rusqlite::types::{ToSqlOutput, ValueRef};
use rusqlite::{Connection, TransactionBehavior};

use super::{Backend, Dialect, Row, Sql, Value};
use crate::store::{HubError, Result};

const MIGRATIONS: &[&str] = &[
    include_str!("../../migrations/sqlite/0001_hub.sql"),
    include_str!("../../migrations/sqlite/0002_row_writer.sql"),
    include_str!("../../migrations/sqlite/0003_admin.sql"),
    include_str!("../../migrations/sqlite/0004_outcomes.sql"),
    include_str!("../../migrations/sqlite/0005_conflict_closed_by.sql"),
    include_str!("../../migrations/sqlite/0006_trainings_district_wide.sql"),
    include_str!("../../migrations/sqlite/0007_offline_codes.sql"),
    include_str!("../../migrations/sqlite/0008_blobs.sql"),
    include_str!("../../migrations/sqlite/0009_pull_indexes.sql"),
    include_str!("../../migrations/sqlite/0010_throttle.sql"),
];

impl From<rusqlite::Error> for HubError {
    fn from(e: rusqlite::Error) -> Self {
        HubError::Db(e.to_string())
    }
}

impl rusqlite::ToSql for Value {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(match self {
            Value::Null => ToSqlOutput::Borrowed(ValueRef::Null),
            Value::Int(i) => ToSqlOutput::Borrowed(ValueRef::Integer(*i)),
            Value::Bool(b) => ToSqlOutput::Borrowed(ValueRef::Integer(i64::from(*b))),
            Value::Text(s) => ToSqlOutput::Borrowed(ValueRef::Text(s.as_bytes())),
            Value::Blob(b) => ToSqlOutput::Borrowed(ValueRef::Blob(b)),
        })
    }
}

fn column(v: ValueRef<'_>) -> Value {
    match v {
        ValueRef::Null => Value::Null,
        ValueRef::Integer(i) => Value::Int(i),
        // The hub keeps no fractions; a real read back is shown, not lost.
        ValueRef::Real(f) => Value::Text(f.to_string()),
        ValueRef::Text(t) => Value::Text(String::from_utf8_lossy(t).into_owned()),
        ValueRef::Blob(b) => Value::Blob(b.to_vec()),
    }
}

impl Sql for Connection {
    fn dialect(&self) -> Dialect {
        Dialect::Sqlite
    }

    fn execute(&self, sql: &str, params: &[Value]) -> Result<usize> {
        Ok(self
            .prepare_cached(sql)?
            .execute(rusqlite::params_from_iter(params))?)
    }

    fn query(&self, sql: &str, params: &[Value]) -> Result<Vec<Row>> {
        let mut stmt = self.prepare_cached(sql)?;
        let width = stmt.column_count();
        let mut rows = stmt.query(rusqlite::params_from_iter(params))?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            out.push(Row((0..width)
                .map(|i| r.get_ref(i).map(column))
                .collect::<rusqlite::Result<_>>()?));
        }
        Ok(out)
    }
}

pub struct SqliteBackend {
    writer: Mutex<Connection>,
    readers: Mutex<Vec<Connection>>,
    path: PathBuf,
    key: Option<HubKey>,
}

/// The key a hub's SQLite file is encrypted with (SQLCipher: AES-256, each page authenticated):
/// 256 random bits, given as 64 hex digits in a file or the environment, never stored beside the
/// database.
#[derive(Clone)]
pub struct HubKey(zeroize::Zeroizing<String>);

impl HubKey {
    /// Reads a key written as 64 hex digits (`openssl rand -hex 32`); surrounding space ignored.
    pub fn parse(text: &str) -> Result<HubKey> {
        let hex = text.trim();
        if hex.len() != 64 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(HubError::BadRequest(
                "kunci basis data hub harus 64 digit heksadesimal (256 bit acak), misalnya dari `openssl rand -hex 32`".into(),
            ));
        }
        Ok(HubKey(zeroize::Zeroizing::new(hex.to_ascii_lowercase())))
    }

    /// The statement that keys a connection (a raw key: no derivation on every open).
    fn pragma(&self) -> zeroize::Zeroizing<String> {
        zeroize::Zeroizing::new(format!("PRAGMA key = \"x'{}'\";", self.0.as_str()))
    }

    /// The statement that attaches the file named by parameter 1 as `schema`, under this key.
    fn attach(&self, schema: &str) -> zeroize::Zeroizing<String> {
        zeroize::Zeroizing::new(format!(
            "ATTACH DATABASE ?1 AS {schema} KEY \"x'{}'\"",
            self.0.as_str()
        ))
    }
}

/// Applies the key, if any, and checks the file can be read with it: a file that is not a
/// database under this key is named so; any other failure (a lock, the disk) is the database's.
fn unlock(conn: &Connection, key: Option<&HubKey>) -> Result<()> {
    conn.busy_timeout(std::time::Duration::from_secs(10))?;
    if let Some(key) = key {
        conn.execute_batch(&key.pragma())
            .map_err(|_| HubError::Db("kunci basis data hub tidak dapat dipasang".into()))?;
    }
    match conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get::<_, i64>(0)) {
        Ok(_) => Ok(()),
        Err(rusqlite::Error::SqliteFailure(e, _)) if e.code == rusqlite::ErrorCode::NotADatabase => {
            Err(HubError::BadRequest(match key {
                Some(_) => "basis data hub tidak dapat dibuka dengan kunci ini: kuncinya salah, atau berkas ini tidak terenkripsi".into(),
                None => "basis data hub tidak dapat dibaca: berkas ini terenkripsi (berikan kuncinya dengan --db-key-file atau PELITA_HUB_DB_KEY) atau bukan basis data hub".into(),
            }))
        }
        Err(e) => Err(e.into()),
    }
}

fn configure(conn: &Connection) -> rusqlite::Result<()> {
    conn.pragma_update(None, "foreign_keys", "ON")?;
    conn.busy_timeout(std::time::Duration::from_secs(10))?;
    conn.set_prepared_statement_cache_capacity(128);
    Ok(())
}

impl SqliteBackend {
    /// Opens (creating and migrating when new) the hub database at `path`; `seed` runs in the
    /// transaction that creates it.
    pub fn open(
        path: &Path,
        key: Option<HubKey>,
        seed: impl FnOnce(&dyn Sql) -> Result<()>,
    ) -> Result<Self> {
        let mut conn = Connection::open(path)?;
        unlock(&conn, key.as_ref())?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "FULL")?;
        configure(&conn)?;
        // Read inside the write transaction: two processes starting on a new file migrate it once.
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let version: usize = tx.pragma_query_value(None, "user_version", |r| r.get(0))?;
        for (i, sql) in MIGRATIONS.iter().enumerate().skip(version) {
            tx.execute_batch(sql)?;
            tx.pragma_update(None, "user_version", i + 1)?;
        }
        if version == 0 {
            seed(&*tx)?;
        }
        tx.commit()?;
        Ok(Self {
            writer: Mutex::new(conn),
            readers: Mutex::default(),
            path: path.to_path_buf(),
            key,
        })
    }

    /// Writes an encrypted copy of this (unencrypted) database to `to`, under `key`: how a hub
    /// that ran without a key gets one. The copy is a new file; the original is left as it was.
    pub fn export_encrypted(&self, to: &Path, key: &HubKey) -> Result<()> {
        if self.key.is_some() {
            return Err(HubError::BadRequest(
                "basis data hub ini sudah terenkripsi".into(),
            ));
        }
        if to.exists() {
            return Err(HubError::BadRequest(format!(
                "{} sudah ada; pilih berkas baru",
                to.display()
            )));
        }
        let conn = self.writer();
        let version: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
        conn.execute(&key.attach("encrypted"), [to.to_string_lossy()])?;
        let copied = (|| -> Result<()> {
            conn.query_row("SELECT sqlcipher_export('encrypted')", [], |_| Ok(()))?;
            conn.pragma_update(Some("encrypted"), "user_version", version)?;
            Ok(())
        })();
        let detached = conn.execute_batch("DETACH DATABASE encrypted");
        if copied.is_err() || detached.is_err() {
            // A copy half written is no copy: nothing is left to be served by mistake.
            for suffix in ["", "-journal", "-wal", "-shm"] {
                let _ = std::fs::remove_file(format!("{}{suffix}", to.display()));
            }
        }
        copied?;
        Ok(detached?)
    }

    fn writer(&self) -> MutexGuard<'_, Connection> {
        self.writer.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn reader(&self) -> Result<Connection> {
        let kept = self.readers.lock().unwrap_or_else(|p| p.into_inner()).pop();
        if let Some(conn) = kept {
            return Ok(conn);
        }
        let conn = Connection::open_with_flags(
            &self.path,
            rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        unlock(&conn, self.key.as_ref())?;
        configure(&conn)?;
        Ok(conn)
    }

    fn give_back(&self, conn: Connection) {
        const KEPT: usize = 4;
        let mut pool = self.readers.lock().unwrap_or_else(|p| p.into_inner());
        if pool.len() < KEPT {
            pool.push(conn);
        }
    }
}

impl Backend for SqliteBackend {
    fn write<T>(&self, f: impl FnOnce(&dyn Sql) -> Result<T>) -> Result<T> {
        let mut conn = self.writer();
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let out = f(&*tx)?;
        tx.commit()?;
        Ok(out)
    }

    fn read<T>(&self, f: impl FnOnce(&dyn Sql) -> Result<T>) -> Result<T> {
        let mut conn = self.reader()?;
        let out = {
            let tx = conn.transaction()?;
            let out = f(&*tx)?;
            tx.commit()?;
            out
        };
        self.give_back(conn);
        Ok(out)
    }
}
