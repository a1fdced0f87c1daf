//! The office-side store: one SQLite file per laptop holding offices, employees and the sync outbox.
//!
//! Every write goes through a transaction that also appends its mutation to the outbox (DESIGN §5),
//! so nothing can change without sync learning of it. Rows carry a client-generated UUIDv7 id, the
//! owner office, a version and a tombstone flag; synced rows are never deleted. Rules that need no
//! database come from `pelita-core`; this crate adds those that do (office codes, duplicate NIPs,
//! atasan references and cycles) and keeps imports all-or-nothing.

mod audit;
mod db;
mod demo_accounts;
mod employee_writes;
mod employees;
mod error;
mod exchange;
mod offices;
mod outbox;
mod own_record;
mod users;

pub use audit::{AuditAction, AuditEntry, AuditFilter, AuditVerification, BrokenEntry};
pub use db::{default_db_path, MIGRATIONS};
pub use demo_accounts::DemoAccount;
pub use employees::{EmployeeDetail, EmployeeQuery, EmployeeRow, EmployeeSort, ReportLine};
pub use error::StoreError;
pub use exchange::ImportReport;
pub use outbox::OutboxEntry;
pub use own_record::OwnRecord;
pub use users::{NewUser, UserRow, FREE_ATTEMPTS};

use std::path::{Path, PathBuf};

use pelita_core::office::Office;
use rusqlite::Connection;
use serde::Serialize;
use specta::Type;

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// An open office database.
pub struct Store {
    conn: Connection,
    path: PathBuf,
}

/// What the app shows about its own database (Pengaturan) and whether first-run setup is done.
#[derive(Debug, Clone, Serialize, Type)]
pub struct StoreInfo {
    pub db_path: String,
    pub database_id: String,
    pub schema_version: u32,
    /// The office this laptop belongs to; `None` until first-run setup.
    pub office: Option<Office>,
    pub employee_count: u32,
    pub pending_mutations: u32,
    /// False until the first admin is created: the app then asks for one.
    pub has_users: bool,
}

impl Store {
    /// Opens (creating if needed) the database at `path`, applying any pending migrations.
    pub fn open(path: impl AsRef<Path>) -> Result<Store> {
        let path = path.as_ref().to_path_buf();
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| StoreError::Io {
                path: dir.display().to_string(),
                reason: e.to_string(),
            })?;
        }
        let conn = db::open_connection(&path)?;
        Ok(Store { conn, path })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The raw connection, for tests that must tamper with the file the way an attacker would.
    pub fn connection(&self) -> &Connection {
        &self.conn
    }

    pub fn info(&self) -> Result<StoreInfo> {
        let database_id = db::meta_get(&self.conn, db::META_DATABASE_ID)?
            .ok_or_else(|| StoreError::NotFound("ID basis data (berkas mungkin rusak)".into()))?;
        let office = match db::meta_get(&self.conn, db::META_OFFICE_ID)? {
            Some(id) => Some(offices::get(&self.conn, &id)?),
            None => None,
        };
        let count = |sql: &str| -> Result<u32> { Ok(self.conn.query_row(sql, [], |r| r.get(0))?) };
        Ok(StoreInfo {
            db_path: self.path.display().to_string(),
            database_id,
            schema_version: db::schema_version(&self.conn)?,
            office,
            employee_count: count("SELECT count(*) FROM employee WHERE deleted = 0")?,
            pending_mutations: count("SELECT count(*) FROM outbox WHERE acked_at IS NULL")?,
            has_users: self.has_users()?,
        })
    }

    /// The office this laptop belongs to, or an error telling the user to finish setup.
    pub fn home_office(&self) -> Result<Office> {
        match db::meta_get(&self.conn, db::META_OFFICE_ID)? {
            Some(id) => offices::get(&self.conn, &id),
            None => Err(StoreError::NotSetUp),
        }
    }

    /// First-run setup: binds this database to an office and optionally loads the demo register.
    pub fn setup(&mut self, office_code: &str, load_demo: bool) -> Result<StoreInfo> {
        if db::meta_get(&self.conn, db::META_OFFICE_ID)?.is_some() {
            return Err(StoreError::AlreadySetUp);
        }
        let office = offices::by_code(&self.conn, office_code)?;
        // The demo goes in first: if it could not, the laptop stays unset rather than half set up.
        if load_demo {
            let mut table = vec![pelita_core::import::header_cells()];
            table.extend(
                pelita_core::demo::demo_employees()
                    .iter()
                    .map(|e| e.to_cells()),
            );
            let report = self.import_table(&table, true, "sistem (data contoh)", None)?;
            if let Some(e) = report.errors.first() {
                return Err(StoreError::NotFound(format!(
                    "data contoh yang benar (baris {}: {})",
                    e.row, e.message
                )));
            }
        }
        let tx = self.conn.transaction()?;
        db::meta_set(&tx, db::META_OFFICE_ID, &office.id)?;
        tx.commit()?;
        self.info()
    }

    pub fn offices(&self) -> Result<Vec<Office>> {
        offices::list(&self.conn)
    }

    /// Mutations not yet acknowledged by the hub, oldest first.
    pub fn pending_outbox(&self) -> Result<Vec<OutboxEntry>> {
        outbox::pending(&self.conn)
    }
}
