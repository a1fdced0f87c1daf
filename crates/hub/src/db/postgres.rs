//! The hub on PostgreSQL: several `pelita-hub` processes on one database serve the same district.
//! Nothing one process needs lives in another: the row sequence, every mutation's idempotency
//! record and the throttles are rows; writes take a transaction-scoped advisory lock, so they run
//! one at a time across every process (as SQLite's single writer does) and the sequence a pull's
//! cursor follows commits in order — no row can appear behind a cursor that already passed it.
//! Reads run beside them in read-only `REPEATABLE READ` snapshots. Each process keeps a bounded
//! pool of connections, each with its prepared statements.

use std::collections::HashMap;
use std::error::Error;
use std::sync::{Condvar, Mutex};
use std::time::{Duration, Instant};

use bytes::BytesMut;
use postgres::types::{to_sql_checked, IsNull, ToSql, Type};
use postgres::{Client, IsolationLevel, NoTls, Statement, Transaction};

use super::{Backend, Dialect, Row, Sql, Value};
use crate::store::{HubError, Result};

const MIGRATIONS: &[&str] = &[include_str!("../../migrations/postgres/0001_hub.sql")];

/// The advisory lock every write holds (any number; the same in every hub process).
const WRITE_LOCK: i64 = 0x5045_4c49_5441; // "PELITA"

/// Connections one hub process keeps open at most (PostgreSQL allows 100 by default; two hub
/// processes and an admin's console fit well within).
pub const MAX_CONNECTIONS: usize = 16;

impl From<postgres::Error> for HubError {
    fn from(e: postgres::Error) -> Self {
        // The server's own message (with its detail) says more than the client's summary.
        match e.as_db_error() {
            Some(db) => HubError::Db(format!(
                "{}{}",
                db.message(),
                db.detail().map(|d| format!(" ({d})")).unwrap_or_default()
            )),
            None => HubError::Db(e.to_string()),
        }
    }
}

impl ToSql for Value {
    fn to_sql(
        &self,
        ty: &Type,
        out: &mut BytesMut,
    ) -> std::result::Result<IsNull, Box<dyn Error + Sync + Send>> {
        match self {
            Value::Null => Ok(IsNull::Yes),
            Value::Int(i) => int(*i, ty, out),
            Value::Bool(b) if *ty == Type::BOOL => b.to_sql(ty, out),
            Value::Bool(b) => int(i64::from(*b), ty, out),
            // jsonb's binary form is a version byte, then the text.
            Value::Text(s) if *ty == Type::JSONB => {
                out.extend_from_slice(&[1]);
                out.extend_from_slice(s.as_bytes());
                Ok(IsNull::No)
            }
            Value::Text(s) => s.as_str().to_sql(ty, out),
            Value::Blob(b) => b.as_slice().to_sql(ty, out),
        }
    }

    fn accepts(_: &Type) -> bool {
        true
    }

    to_sql_checked!();
}

/// An integer as the column's type wants it (the schema's integers are `bigint`; a few
/// expressions are `integer` or `boolean`).
fn int(
    i: i64,
    ty: &Type,
    out: &mut BytesMut,
) -> std::result::Result<IsNull, Box<dyn Error + Sync + Send>> {
    match *ty {
        Type::INT2 => i16::try_from(i)?.to_sql(ty, out),
        Type::INT4 => i32::try_from(i)?.to_sql(ty, out),
        Type::BOOL => (i != 0).to_sql(ty, out),
        _ => i.to_sql(ty, out),
    }
}

fn column(row: &postgres::Row, i: usize) -> Result<Value> {
    let ty = row.columns()[i].type_();
    let value = match *ty {
        Type::BOOL => row.try_get::<_, Option<bool>>(i)?.map(Value::Bool),
        Type::INT2 => row
            .try_get::<_, Option<i16>>(i)?
            .map(|v| Value::Int(v.into())),
        Type::INT4 => row
            .try_get::<_, Option<i32>>(i)?
            .map(|v| Value::Int(v.into())),
        Type::INT8 => row.try_get::<_, Option<i64>>(i)?.map(Value::Int),
        Type::BYTEA => row.try_get::<_, Option<Vec<u8>>>(i)?.map(Value::Blob),
        _ => row.try_get::<_, Option<String>>(i)?.map(Value::Text),
    };
    Ok(value.unwrap_or(Value::Null))
}

/// `?N` parameters as PostgreSQL numbers them (`$N`).
fn renumbered(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len());
    let mut chars = sql.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '?' && chars.peek().is_some_and(char::is_ascii_digit) {
            out.push('$');
        } else {
            out.push(c);
        }
    }
    out
}

/// One pooled connection with the statements it prepared.
struct Conn {
    client: Client,
    statements: HashMap<String, Statement>,
}

/// A transaction on a pooled connection. A statement that failed aborts a PostgreSQL transaction
/// (SQLite's goes on): one is remembered, so a caller that went past it cannot commit — a
/// `COMMIT` there would roll back without an error, and acknowledge what was never stored.
struct Tx<'a> {
    tx: std::cell::RefCell<Transaction<'a>>,
    statements: std::cell::RefCell<&'a mut HashMap<String, Statement>>,
    failed: std::cell::Cell<bool>,
}

impl<'a> Tx<'a> {
    fn new(tx: Transaction<'a>, statements: &'a mut HashMap<String, Statement>) -> Self {
        Tx {
            tx: tx.into(),
            statements: statements.into(),
            failed: false.into(),
        }
    }

    /// Commits, unless a statement failed.
    fn commit(self) -> Result<()> {
        if self.failed.get() {
            return Err(HubError::Db(
                "sebuah pernyataan gagal di dalam transaksi; transaksi dibatalkan".into(),
            ));
        }
        Ok(self.tx.into_inner().commit()?)
    }

    fn noted<T>(&self, r: std::result::Result<T, postgres::Error>) -> Result<T> {
        if r.is_err() {
            self.failed.set(true);
        }
        Ok(r?)
    }

    fn statement(&self, sql: &str) -> Result<Statement> {
        if let Some(s) = self.statements.borrow().get(sql) {
            return Ok(s.clone());
        }
        let prepared = self.noted(self.tx.borrow_mut().prepare(&renumbered(sql)))?;
        self.statements
            .borrow_mut()
            .insert(sql.to_string(), prepared.clone());
        Ok(prepared)
    }
}

fn bound(params: &[Value]) -> Vec<&(dyn ToSql + Sync)> {
    params.iter().map(|p| p as &(dyn ToSql + Sync)).collect()
}

impl Sql for Tx<'_> {
    fn dialect(&self) -> Dialect {
        Dialect::Postgres
    }

    fn execute(&self, sql: &str, params: &[Value]) -> Result<usize> {
        let stmt = self.statement(sql)?;
        let changed = self.noted(self.tx.borrow_mut().execute(&stmt, &bound(params)))?;
        Ok(changed as usize)
    }

    fn query(&self, sql: &str, params: &[Value]) -> Result<Vec<Row>> {
        let stmt = self.statement(sql)?;
        let rows = self.noted(self.tx.borrow_mut().query(&stmt, &bound(params)))?;
        rows.iter()
            .map(|r| {
                Ok(Row((0..r.len())
                    .map(|i| column(r, i))
                    .collect::<Result<_>>()?))
            })
            .collect()
    }
}

pub struct PgBackend {
    config: postgres::Config,
    idle: Mutex<Pool>,
    freed: Condvar,
}

#[derive(Default)]
struct Pool {
    idle: Vec<Conn>,
    open: usize,
}

impl PgBackend {
    /// Connects to the hub database at `url` (`postgres://user:password@host:port/database`),
    /// creating and migrating its schema when new; `seed` runs in the transaction that creates it.
    /// Several processes may start at once: migrations run under the write lock.
    pub fn connect(url: &str, seed: impl FnOnce(&dyn Sql) -> Result<()>) -> Result<Self> {
        let mut config: postgres::Config = url.parse().map_err(|e: postgres::Error| {
            HubError::BadRequest(format!("alamat basis data PostgreSQL tidak sah: {e}"))
        })?;
        // A server that stopped answering is noticed, not waited on for hours.
        config
            .connect_timeout(Duration::from_secs(10))
            .keepalives(true)
            .keepalives_idle(Duration::from_secs(60));
        let backend = PgBackend {
            config,
            idle: Mutex::default(),
            freed: Condvar::new(),
        };
        let mut lease = backend.take()?;
        let Conn { client, statements } = lease.conn();
        let migrated = (|| {
            let mut tx = client.transaction()?;
            tx.execute("SELECT pg_advisory_xact_lock($1)", &[&WRITE_LOCK])?;
            tx.batch_execute("CREATE TABLE IF NOT EXISTS pelita_schema (version BIGINT NOT NULL)")?;
            let version = tx
                .query_opt("SELECT version FROM pelita_schema", &[])?
                .map_or(0, |r| r.get::<_, i64>(0)) as usize;
            // Never lowered: an older pelita-hub started on a newer database refuses to serve it.
            if version > MIGRATIONS.len() {
                return Err(HubError::BadRequest(format!(
                    "basis data hub ini sudah dipakai pelita-hub yang lebih baru (skema {version}, versi ini mengenal {}); perbarui pelita-hub",
                    MIGRATIONS.len()
                )));
            }
            for sql in MIGRATIONS.iter().skip(version) {
                tx.batch_execute(sql)?;
            }
            let tx = Tx::new(tx, statements);
            if version == 0 {
                tx.execute("INSERT INTO pelita_schema (version) VALUES (0)", &[])?;
                seed(&tx)?;
            }
            if version < MIGRATIONS.len() {
                tx.execute(
                    "UPDATE pelita_schema SET version = ?1",
                    super::args![MIGRATIONS.len()],
                )?;
            }
            tx.commit()
        })();
        drop(lease);
        migrated?;
        Ok(backend)
    }

    /// A connection of the pool, waiting (at most half a minute) while all are in use.
    fn take(&self) -> Result<Lease<'_>> {
        let deadline = Instant::now() + Duration::from_secs(30);
        let mut pool = self.idle.lock().unwrap_or_else(|p| p.into_inner());
        loop {
            if let Some(conn) = pool.idle.pop() {
                return Ok(self.lease(conn));
            }
            if pool.open < MAX_CONNECTIONS {
                pool.open += 1;
                drop(pool);
                return match self.open() {
                    Ok(conn) => Ok(self.lease(conn)),
                    Err(e) => {
                        self.closed();
                        Err(e)
                    }
                };
            }
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return Err(HubError::Db(format!(
                    "semua {MAX_CONNECTIONS} sambungan ke PostgreSQL sedang dipakai"
                )));
            }
            pool = self
                .freed
                .wait_timeout(pool, left)
                .unwrap_or_else(|p| p.into_inner())
                .0;
        }
    }

    fn open(&self) -> Result<Conn> {
        let mut client = self
            .config
            .connect(NoTls)
            .map_err(|e| HubError::Db(format!("tidak dapat tersambung ke PostgreSQL: {e}")))?;
        // A write waits at most this long for the lock (the laptop sends again later); a hub
        // process stuck inside a transaction loses it, and with it the lock, after two minutes.
        client.batch_execute(
            "SET lock_timeout = '30s'; SET idle_in_transaction_session_timeout = '120s'",
        )?;
        Ok(Conn {
            client,
            statements: HashMap::new(),
        })
    }

    fn lease(&self, conn: Conn) -> Lease<'_> {
        Lease {
            backend: self,
            conn: Some(conn),
        }
    }

    fn give_back(&self, conn: Conn) {
        if conn.client.is_closed() {
            return self.closed();
        }
        let mut pool = self.idle.lock().unwrap_or_else(|p| p.into_inner());
        pool.idle.push(conn);
        self.freed.notify_one();
    }

    fn closed(&self) {
        let mut pool = self.idle.lock().unwrap_or_else(|p| p.into_inner());
        pool.open -= 1;
        self.freed.notify_one();
    }

    fn run<T>(&self, write: bool, f: impl FnOnce(&dyn Sql) -> Result<T>) -> Result<T> {
        let mut lease = self.take()?;
        let Conn { client, statements } = lease.conn();
        (|| {
            let tx = if write {
                let mut tx = client.transaction()?;
                tx.execute("SELECT pg_advisory_xact_lock($1)", &[&WRITE_LOCK])?;
                tx
            } else {
                client
                    .build_transaction()
                    .isolation_level(IsolationLevel::RepeatableRead)
                    .read_only(true)
                    .start()?
            };
            let tx = Tx::new(tx, statements);
            let out = f(&tx)?;
            tx.commit()?;
            Ok(out)
        })()
    }
}

/// A connection taken from the pool: given back when dropped, or — dropped by a panic, in a
/// state no one knows — closed, its place in the pool freed.
struct Lease<'a> {
    backend: &'a PgBackend,
    conn: Option<Conn>,
}

impl Lease<'_> {
    fn conn(&mut self) -> &mut Conn {
        self.conn
            .as_mut()
            .expect("a lease holds its connection until dropped")
    }
}

impl Drop for Lease<'_> {
    fn drop(&mut self) {
        let Some(conn) = self.conn.take() else {
            return;
        };
        if std::thread::panicking() {
            drop(conn);
            self.backend.closed();
        } else {
            self.backend.give_back(conn);
        }
    }
}

impl Drop for PgBackend {
    /// Closes the pooled connections on a thread of their own: the synchronous client closes
    /// with a `block_on`, which must not run on a thread that drives the server's runtime (where
    /// the last handle to the hub is dropped when the server stops).
    fn drop(&mut self) {
        let idle = std::mem::take(&mut self.idle.get_mut().unwrap_or_else(|p| p.into_inner()).idle);
        if !idle.is_empty() {
            let _ = std::thread::spawn(move || drop(idle)).join();
        }
    }
}

impl Backend for PgBackend {
    fn write<T>(&self, f: impl FnOnce(&dyn Sql) -> Result<T>) -> Result<T> {
        self.run(true, f)
    }

    fn read<T>(&self, f: impl FnOnce(&dyn Sql) -> Result<T>) -> Result<T> {
        self.run(false, f)
    }
}
