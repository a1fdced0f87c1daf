//! The office-side store: one SQLite file per laptop, encrypted with SQLCipher under a random key
//! that each user's password unwraps (`security::keyring`), holding the register, appraisals,
//! trainings, the study and the sync outbox. Every write of a synced row goes through
//! `kernel::journal::record`, which appends its outbox mutation and audit entry in the same
//! transaction (DESIGN §5); file imports go through `Store::all_or_nothing`. Rules that need no
//! database come from `pelita-core`; this crate adds those that do (office codes, duplicate NIPs,
//! atasan references and cycles, who may write which row from this laptop).
//!
//! Layers (checked by `scripts/check_structure.py`): `kernel` imports nothing above it; `register`
//! only `kernel`; the domains (`security`, `appraisal`, `training`, `survey`, `sync`) import those
//! two and never each other; `fixtures` sits on top. What is asked of the records (the effect of
//! training, participation, the study's results) is the `pelita-analysis` crate, over this one.
//!
//! Limits: no network (the `pelita-sync` crate talks to the hub), no Tauri, no UI text beyond the
//! Indonesian messages of its errors.

mod appraisal;
mod error;
mod fixtures;
mod kernel;
mod register;
mod security;
mod survey;
mod sync;
mod training;

pub use kernel::clock;

/// What the analyses (`pelita-analysis`) read beside the tables themselves
/// ([`Store::connection`]): the same queries the store's own views use, so both count alike.
pub mod read {
    pub use crate::survey::instrument::get_instrument;
    pub use crate::training::attendance::completed_jp;
    pub use crate::training::evaluations::by_training as evaluations_by_training;
}
pub use kernel::journal::Mode;

pub use appraisal::appraisals::{Appraisal, AppraisalStatus, PeriodRef, PersonLine, RosterLine};
pub use appraisal::exchange::AppraisalImportReport;
pub use appraisal::plan_dialog::{DialogInput, DialogKind, DialogNote};
pub use appraisal::plan_views::PlanView;
pub use appraisal::plans::{
    AtasanRhk, PeranCell, PeranHasil, PeranRow, Plan, PlanLine, PlanParty, PlanStatus,
};
pub use appraisal::realisasi::{Realisasi, RealisasiInput};
pub use appraisal::recap::{OfficeRecap, Penetapan};
pub use error::{ErrorCode, KeyFileProblem, StoreError};
pub use fixtures::accounts::{demo_password, DemoAccount};
#[cfg(feature = "fixtures")]
pub use fixtures::bench::BenchCounts;
#[cfg(feature = "fixtures")]
pub use fixtures::dataset::DatasetSummary;
pub use kernel::attachments::Attachment;
pub use kernel::audit::{AuditAction, AuditEntry, AuditFilter, AuditVerification, BrokenEntry};
pub use kernel::db::{default_db_path, MIGRATIONS};
pub use kernel::outbox::OutboxEntry;
pub use register::employees::{
    EmployeeDetail, EmployeeQuery, EmployeeRow, EmployeeSort, ReportLine,
};
pub use register::exchange::ImportReport;
pub use register::mutasi_rows::{MutasiApproval, MutasiRow};
pub use register::own_record::OwnRecord;
pub use security::backup::BackupReport;
pub use security::keyring::FREE_ATTEMPTS;
pub use security::open::{HubEnrolment, Setup, StoreStatus};
pub use security::users::{NewUser, UserRow};
pub use survey::instrument::{Instrument, ResponseRow};
pub use sync::blobs::{BlobFetch, BlobToUpload};
pub use sync::conflicts::{Resolution, SyncConflict};
pub use sync::refusals::RejectedChange;
pub use sync::run::{SyncEnrolment, SyncReport, SyncRun, SyncStatus};
pub use training::attendance::SiasnExport;
pub use training::attendance::{
    AttendanceEntry, AttendanceRow, JpLine, JpYear, TrainingHistory, TrainingHistoryLine,
    SIASN_COLUMNS,
};
pub use training::enrolment::{Participant, ParticipationState};
pub use training::evaluations::{
    GroupMean, ItemMean, LearningRow, LearningSummary, ReactionSummary, TrainingEvaluation,
};
pub use training::exchange::{TrainingImportReport, TrainingSheetKind};
pub use training::followups::{FollowupDue, FollowupKind, FollowupRating};
pub use training::rows::Training;
pub use training::trainings::TrainingQuery;

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
    key: kernel::db::DbKey,
    keys: security::keyring::KeyFile,
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

    /// The raw (decrypted) connection: for `pelita-analysis`'s read-only queries (it writes
    /// nothing: every write goes through `kernel::journal`), and for tests that must tamper with
    /// the data the way an attacker holding a password would.
    pub fn connection(&self) -> &Connection {
        &self.conn
    }

    pub fn info(&self) -> Result<StoreInfo> {
        let database_id = kernel::db::meta_get(&self.conn, kernel::db::META_DATABASE_ID)?
            .ok_or_else(|| StoreError::NotFound("ID basis data (berkas mungkin rusak)".into()))?;
        let office = match kernel::db::meta_get(&self.conn, kernel::db::META_OFFICE_ID)? {
            Some(id) => Some(kernel::offices::get(&self.conn, &id)?),
            None => None,
        };
        let count = |sql: &str| -> Result<u32> { Ok(self.conn.query_row(sql, [], |r| r.get(0))?) };
        Ok(StoreInfo {
            db_path: self.path.display().to_string(),
            database_id,
            schema_version: kernel::db::schema_version(&self.conn)?,
            office,
            employee_count: count("SELECT count(*) FROM employee WHERE deleted = 0")?,
            pending_mutations: count("SELECT count(*) FROM outbox WHERE acked_at IS NULL")?,
            key_file_path: self.keys.path().display().to_string(),
            restore_generation: kernel::db::meta_get(
                &self.conn,
                kernel::db::META_RESTORE_GENERATION,
            )?
            .and_then(|v| v.parse().ok())
            .unwrap_or(0),
        })
    }

    /// The office this laptop belongs to, or an error telling the user to finish setup.
    pub fn home_office(&self) -> Result<Office> {
        match kernel::db::meta_get(&self.conn, kernel::db::META_OFFICE_ID)? {
            Some(id) => kernel::offices::get(&self.conn, &id),
            None => Err(StoreError::NotSetUp),
        }
    }

    pub fn offices(&self) -> Result<Vec<Office>> {
        kernel::offices::list(&self.conn)
    }

    /// Mutations not yet acknowledged by the hub, oldest first.
    pub fn pending_outbox(&self) -> Result<Vec<OutboxEntry>> {
        kernel::outbox::pending(&self.conn)
    }
}
