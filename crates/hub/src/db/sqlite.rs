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
    pub fn open(path: &Path, seed: impl FnOnce(&dyn Sql) -> Result<()>) -> Result<Self> {
        let mut conn = Connection::open(path)?;
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
        })
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
