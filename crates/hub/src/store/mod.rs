//! What the hub needs from its storage, as a trait ([`HubStore`]), with the errors and rows it
//! answers with; its implementation on SQLite and PostgreSQL is `crate::sql`.
//! Every push is one transaction: all of a batch's acknowledgements are stored with the rows they
//! describe, or none.

use chrono::{DateTime, Duration, Utc};
use pelita_proto::{
    Ack, EnrollRequest, EnrollResponse, Mutation, PullRequest, PullResponse, RawPayload,
};
use serde::Serialize;

use crate::rules::Device;
pub use overview::{active_first, ConflictRow, HubOverview, OfficeSummary, RejectedRow};

mod overview;

/// How long a status-page session lasts.
pub const SESSION_HOURS: i64 = 8;

#[derive(Debug, thiserror::Error)]
pub enum HubError {
    #[error("token perangkat tidak dikenal; daftarkan perangkat ini lagi dengan kode baru dari admin hub")]
    Unauthorized,
    #[error("perangkat ini sudah dicabut oleh admin hub; minta kode pendaftaran baru")]
    Revoked,
    #[error("perangkat ini didaftarkan untuk basis data lain; daftarkan basis data ini dengan kode baru")]
    WrongDatabase,
    /// A mutation id arrived again with other content: the database was copied (not restored
    /// through Pelita) and both copies number their changes alike.
    #[error("laptop ini memakai nomor perubahan yang sudah dipakai salinan lain basis data ini (berkas basis data disalin ke laptop lain?). Daftarkan ulang laptop ini dengan kode baru dari admin hub; perubahan yang belum terkirim tetap disimpan dan dikirim sesudahnya")]
    Cloned,
    #[error("kode pendaftaran tidak berlaku (salah, sudah dipakai, atau kedaluwarsa)")]
    BadCode,
    #[error("{0}")]
    Forbidden(String),
    #[error("{0}")]
    BadRequest(String),
    #[error("{0}")]
    NotFound(String),
    #[error("nama pengguna atau kata sandi salah")]
    LoginFailed,
    #[error("terlalu banyak percobaan gagal dari alamat ini; coba lagi dalam {minutes} menit")]
    Throttled { minutes: i64 },
    /// The database's own error (SQLite or PostgreSQL), logged and never sent to a device.
    #[error("kesalahan basis data hub: {0}")]
    Db(String),
}

pub type Result<T> = std::result::Result<T, HubError>;

#[derive(Debug, Clone, Serialize)]
pub struct OfficeRow {
    pub id: String,
    pub code: String,
    pub name: String,
    pub hq: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct DeviceRow {
    pub id: String,
    pub office_code: String,
    pub name: String,
    pub database_id: String,
    pub enrolled_at: String,
    pub revoked_at: Option<String>,
    pub last_seen_at: Option<String>,
    pub last_push_at: Option<String>,
    pub last_pull_at: Option<String>,
    /// The Pelita version the device last reported.
    pub app_version: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct HubStatus {
    pub protocol: u32,
    pub version: String,
    pub offices: u32,
    pub devices: Vec<DeviceRow>,
    pub rows: u64,
    pub last_seq: i64,
    pub pending_conflicts: u32,
    pub rejected: u32,
    /// Mutations received again after they were already stored (resends after a lost answer).
    pub duplicates: u64,
}

/// What the hub needs from its storage. Shared by every request at once (`&self`): an
/// implementation serialises its writes itself and lets reads run beside them.
pub trait HubStore: Send + Sync + 'static {
    fn offices(&self) -> Result<Vec<OfficeRow>>;
    fn add_office(&self, code: &str, name: &str) -> Result<OfficeRow>;
    /// A one-time code for a new device of `office_code`, valid for `ttl`.
    fn issue_code(&self, office_code: &str, ttl: Duration) -> Result<(String, DateTime<Utc>)>;
    /// Enrols a device with a one-time code sent from network address `from`; an address that
    /// sent too many wrong codes waits first (`Throttled`).
    fn enroll(&self, req: &EnrollRequest, from: &str) -> Result<EnrollResponse>;
    /// Enrols by a request carried on a USB stick, the code named by its verifier; `office_id`
    /// must be the code's office, checked before the code is spent. Returns the enrolment and the
    /// code's pre-shared key, to seal the answer with.
    fn enroll_offline(
        &self,
        verifier: &str,
        device_name: &str,
        database_id: &str,
        office_id: &str,
    ) -> Result<(EnrollResponse, String)>;
    /// The device a token belongs to; records when it was seen and the app version it reports.
    fn authenticate(
        &self,
        token: &str,
        database_id: &str,
        app_version: Option<&str>,
    ) -> Result<Device>;
    /// Applies a batch: every mutation acknowledged, or an error and nothing stored.
    /// `resolved` names conflicts the device's people settled: the hub closes them.
    fn push(
        &self,
        device: &Device,
        mutations: &[Mutation],
        resolved: &[String],
    ) -> Result<Vec<Ack>>;
    /// A page of the rows a device reads, their payloads as stored.
    fn pull(&self, device: &Device, req: &PullRequest) -> Result<PullResponse<RawPayload>>;
    /// How much of an attachment's file the hub holds, for a device that may send or fetch it.
    fn blob_state(&self, device: &Device, sha256: &str) -> Result<pelita_proto::BlobState>;
    /// Keeps the next chunk of a file from a device whose office's attachment row names it; the
    /// last one completes the file once its hash checks.
    fn put_blob_chunk(
        &self,
        device: &Device,
        sha256: &str,
        index: u32,
        bytes: &[u8],
    ) -> Result<pelita_proto::BlobState>;
    /// A chunk of a complete file, for a device that reads an attachment naming it.
    fn blob_chunk(&self, device: &Device, sha256: &str, index: u32) -> Result<Vec<u8>>;
    /// The device a bundle names, with its token hash (the bundle key's source); refused when
    /// unknown, revoked, or enrolled for another database.
    fn bundle_device(&self, device_id: &str, database_id: &str) -> Result<(Device, String)>;
    fn devices(&self) -> Result<Vec<DeviceRow>>;
    /// Revokes a device (a replaced or lost laptop): its token stops working, and the conflicts
    /// it met and never settled are closed, since no laptop can settle them any more. Returns how
    /// many conflicts were closed.
    fn revoke(&self, device_id: &str) -> Result<u32>;
    /// Closes an open conflict by hand (with every open one of the same device on that row): for
    /// a laptop copy that is gone while its device still syncs. Returns how many were closed.
    fn close_conflict(&self, mutation_id: &str) -> Result<u32>;
    fn status(&self) -> Result<HubStatus>;
    /// The [`pelita_proto::RowDigest`] of what a device of `office_code` holds once up to date.
    fn checksum_for(&self, office_code: &str) -> Result<String>;
    /// How many distinct mutations the hub has received (each once, however often sent).
    fn received_count(&self) -> Result<u64>;
    /// Creates the status page's admin account, or sets its password (ending its sessions).
    fn set_admin_password(&self, username: &str, password: &str) -> Result<()>;
    /// Opens a status-page session for a sign-in from network address `from`; returns its cookie
    /// value. An address that failed too often waits (`Throttled`); the account never locks.
    fn admin_login(
        &self,
        username: &str,
        password: &str,
        from: &str,
        at: DateTime<Utc>,
    ) -> Result<String>;
    /// The admin a session belongs to (Unauthorized when unknown or expired).
    fn admin_session(&self, token: &str, at: DateTime<Utc>) -> Result<String>;
    fn admin_logout(&self, token: &str) -> Result<()>;
    /// The status page: offices, devices, conflicts, refusals.
    fn overview(&self) -> Result<HubOverview>;
}
