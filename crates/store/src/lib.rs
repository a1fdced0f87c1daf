//! The office-side store: one SQLite file per laptop holding offices, employees and the sync outbox,
//! encrypted with SQLCipher under a random key that each user's password unwraps (see `keyring`).
//!
//! Every write goes through a transaction that also appends its mutation to the outbox (DESIGN §5),
//! so nothing can change without sync learning of it. Rows carry a client-generated UUIDv7 id, the
//! owner office, a version and a tombstone flag; synced rows are never deleted. Rules that need no
//! database come from `pelita-core`; this crate adds those that do (office codes, duplicate NIPs,
//! atasan references and cycles) and keeps imports all-or-nothing.

mod analysis;
mod analysis_overview;
mod appraisal_exchange;
mod appraisal_recap;
mod appraisal_rows;
mod appraisals;
mod attendance;
mod audit;
mod backup;
mod bench_data;
pub mod clock;
mod dataset;
mod db;
mod demo_accounts;
mod demo_history;
mod demo_survey;
mod employee_writes;
mod employees;
mod enrolment;
mod error;
mod evaluations;
mod exchange;
mod journal;
mod keyring;
mod mutasi;
mod mutasi_move;
mod mutasi_rows;
mod offices;
mod open;
mod outbox;
mod own_record;
mod participation;
mod penilai;
mod roles;
mod survey;
mod survey_results;
mod sync;
mod sync_conflicts;
mod sync_offline;
mod sync_refusals;
mod sync_rows;
mod training_exchange;
mod trainings;
mod users;

pub use analysis::EffectFilter;
pub use analysis_overview::{AnalysisOverview, CapaianBin, PredicateQuarter};
pub use appraisal_exchange::AppraisalImportReport;
pub use appraisal_recap::OfficeRecap;
pub use appraisals::{Appraisal, AppraisalStatus, PeriodRef, PersonLine, RosterLine};
pub use attendance::{
    AttendanceEntry, AttendanceRow, JpLine, JpYear, TrainingHistory, TrainingHistoryLine,
    SIASN_COLUMNS,
};
pub use audit::{AuditAction, AuditEntry, AuditFilter, AuditVerification, BrokenEntry};
pub use backup::BackupReport;
pub use bench_data::BenchCounts;
pub use dataset::DatasetSummary;
pub use db::{default_db_path, MIGRATIONS};
pub use demo_accounts::{demo_password, DemoAccount};
pub use employees::{EmployeeDetail, EmployeeQuery, EmployeeRow, EmployeeSort, ReportLine};
pub use enrolment::{Participant, ParticipationState};
pub use error::StoreError;
pub use evaluations::{
    FollowupDue, FollowupRating, GroupMean, ItemMean, LearningRow, LearningSummary,
    ReactionSummary, TrainingEvaluation,
};
pub use exchange::ImportReport;
pub use keyring::FREE_ATTEMPTS;
pub use mutasi_rows::{MutasiApproval, MutasiRow};
pub use open::{HubEnrolment, Setup, StoreStatus};
pub use outbox::OutboxEntry;
pub use own_record::OwnRecord;
pub use participation::{ParticipationSlice, ParticipationSummary, ReasonCount};
pub use survey::{Instrument, ResponseRow};
pub use survey_results::{ResultOptions, ResultTable, SurveyResults};
pub use sync::{SyncEnrolment, SyncReport, SyncRun, SyncStatus};
pub use sync_conflicts::{Resolution, SyncConflict};
pub use sync_refusals::RejectedChange;
pub use training_exchange::{TrainingImportReport, TrainingSheetKind};
pub use trainings::{Training, TrainingQuery};
pub use users::{NewUser, UserRow};

use std::path::{Path, PathBuf};

use pelita_core::office::Office;
use rusqlite::Connection;
use serde::Serialize;
use specta::Type;

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// An open (decrypted) office database.
pub struct Store {
    conn: Connection,
    path: PathBuf,
    /// The database key, kept while the store is open to wrap it for new or changed passwords.
    key: keyring::DbKey,
    keys: keyring::KeyFile,
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
    pub key_file_path: String,
    /// How many times this database has been restored from a backup.
    pub restore_generation: u32,
}

impl Store {
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The key file beside the database.
    pub fn key_file_path(&self) -> &Path {
        self.keys.path()
    }

    /// The raw (decrypted) connection, for tests that must tamper with the data the way an
    /// attacker holding a password would.
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
            key_file_path: self.keys.path().display().to_string(),
            restore_generation: db::meta_get(&self.conn, db::META_RESTORE_GENERATION)?
                .and_then(|v| v.parse().ok())
                .unwrap_or(0),
        })
    }

    /// The office this laptop belongs to, or an error telling the user to finish setup.
    pub fn home_office(&self) -> Result<Office> {
        match db::meta_get(&self.conn, db::META_OFFICE_ID)? {
            Some(id) => offices::get(&self.conn, &id),
            None => Err(StoreError::NotSetUp),
        }
    }

    pub fn offices(&self) -> Result<Vec<Office>> {
        offices::list(&self.conn)
    }

    /// Mutations not yet acknowledged by the hub, oldest first.
    pub fn pending_outbox(&self) -> Result<Vec<OutboxEntry>> {
        outbox::pending(&self.conn)
    }
}
