use pelita_core::ValidationError;
use pelita_sheet::SheetError;
use serde::{Deserialize, Serialize};
use specta::Type;

/// Everything the store can refuse. `Display` is the Indonesian message for people; [`code`]
/// is the stable identifier the UI and scripts branch on.
///
/// [`code`]: StoreError::code
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error(transparent)]
    Validation(#[from] ValidationError),
    #[error("{0} tidak ditemukan")]
    NotFound(String),
    #[error("data ini sudah diubah di tempat lain sejak Anda membukanya; muat ulang lalu ulangi perubahan")]
    VersionConflict,
    #[error("basis data ini dibuat oleh Pelita versi yang lebih baru (skema {found}, versi ini mengenal sampai {supported}); perbarui aplikasi Pelita")]
    SchemaTooNew { found: u32, supported: u32 },
    #[error("pembaruan skema basis data gagal pada {migration}: {reason}; tidak ada yang diubah")]
    Migration { migration: String, reason: String },
    #[error("laptop ini belum dipasang untuk sebuah kantor; selesaikan pengaturan awal")]
    NotSetUp,
    #[error("laptop ini sudah dipasang untuk sebuah kantor")]
    AlreadySetUp,
    #[error("admin pertama sudah ada; akun baru dibuat oleh Admin Kecamatan")]
    FirstAdminExists,
    #[error(transparent)]
    Sheet(#[from] SheetError),
    #[error("berkas atau folder '{path}' tidak dapat dipakai: {reason}")]
    Io { path: String, reason: String },
    #[error(transparent)]
    PermissionDenied(#[from] pelita_core::auth::PermissionDenied),
    #[error("nama pengguna atau kata sandi salah")]
    LoginFailed,
    #[error("akun ini dikunci sementara karena terlalu banyak percobaan masuk yang gagal; coba lagi dalam {minutes} menit atau minta admin mengatur ulang kata sandi")]
    AccountLocked { minutes: i64 },
    #[error("berkas kunci basis data tidak dapat dipakai: {}{problem}", .path.as_ref().map(|p| format!("{p} — ")).unwrap_or_default())]
    KeyFile {
        /// The key file, once known (parsing bytes does not know it).
        path: Option<String>,
        problem: KeyFileProblem,
    },
    #[error("berkas basis data '{0}' ada, tetapi berkas kuncinya ('{0}.keys') tidak ada, sehingga tidak dapat dibuka; pulihkan dari cadangan, atau pindahkan berkas itu bila memang ingin memulai dari awal")]
    KeyFileMissing(String),
    #[error("basis data '{0}' sedang dibuka oleh program lain (aplikasi Pelita atau perintah pelita); tutup program itu lalu ulangi")]
    InUse(String),
    #[error("berkas basis data '{0}' tidak dapat dibuka: kuncinya tidak cocok atau berkasnya rusak; pulihkan dari cadangan")]
    Unreadable(String),
    #[error("berkas cadangan '{path}' tidak dapat dipulihkan: {reason}")]
    Backup { path: String, reason: String },
    #[error("akun ini telah dinonaktifkan; silakan masuk dengan akun lain")]
    AccountDisabled,
    #[error("kesalahan kriptografi: {step} ({reason})")]
    Crypto { step: &'static str, reason: String },
    /// A row (from the hub, a bundle or this laptop's outbox) that cannot be read as its entity.
    #[error("baris {entity} tidak terbaca: {reason}")]
    RowUnreadable { entity: String, reason: String },
    #[error("basis data ini berisi data contoh dan tidak dapat didaftarkan ke hub; buat basis data baru tanpa data contoh untuk kantor ini")]
    DemoNotEnrollable,
    /// An attachment whose content has not reached this laptop yet: it is fetched from the hub
    /// first (sync), then opened.
    #[error("berkas '{0}' belum ada di laptop ini; unduh dulu dari hub (butuh jaringan), lalu buka lagi")]
    NotFetched(String),
    #[error("kode pendaftaran ini untuk kantor {office_code}, sedangkan laptop ini dipasang untuk kantor lain")]
    EnrolmentForAnotherOffice { office_code: String },
    #[error("laptop ini sudah terdaftar ke hub; {next}")]
    AlreadyEnrolled { next: &'static str },
    #[error("hub mengirim kantor yang tidak dikenal ('{0}')")]
    UnknownHubOffice(String),
    #[error("tidak ada yang masuk; sinkronisasi menunggu")]
    NotOpen,
    /// A sync run that failed on the link or was refused by the hub; `permanent` when retrying
    /// cannot help until someone acts (re-enrol, update the app).
    #[error("{message}")]
    SyncFailed { message: String, permanent: bool },
    /// Generated data that does not pass the rules it is generated for (a generator's bug).
    #[error("data contoh tidak sah: {0}")]
    Fixture(String),
    #[error("kesalahan basis data: {0}")]
    Database(#[from] rusqlite::Error),
}

impl StoreError {
    /// A file or folder that could not be used, named in the message.
    pub(crate) fn io(path: &std::path::Path, e: std::io::Error) -> StoreError {
        use std::io::ErrorKind::*;
        let reason = match e.kind() {
            NotFound => "tidak ditemukan".to_string(),
            PermissionDenied | ReadOnlyFilesystem => "tidak ada izin menulis atau membaca".into(),
            AlreadyExists => "sudah ada".into(),
            StorageFull => "ruang penyimpanan penuh".into(),
            _ => format!("kesalahan sistem berkas ({e})"),
        };
        StoreError::Io {
            path: path.display().to_string(),
            reason,
        }
    }

    /// The stable code the UI and scripts branch on.
    pub fn code(&self) -> ErrorCode {
        use ErrorCode as C;
        match self {
            Self::Validation(_) => C::Validation,
            Self::NotFound(_) => C::NotFound,
            Self::VersionConflict => C::VersionConflict,
            Self::SchemaTooNew { .. } => C::SchemaTooNew,
            Self::Migration { .. } => C::MigrationFailed,
            Self::NotSetUp => C::NotSetUp,
            Self::AlreadySetUp => C::AlreadySetUp,
            Self::FirstAdminExists => C::FirstAdminExists,
            Self::Sheet(_) => C::FileFormat,
            Self::Io { .. } => C::Io,
            Self::PermissionDenied(_) => C::PermissionDenied,
            Self::LoginFailed => C::LoginFailed,
            Self::AccountLocked { .. } => C::AccountLocked,
            Self::KeyFile { .. } => C::KeyFile,
            Self::KeyFileMissing(_) => C::KeyFileMissing,
            Self::InUse(_) => C::DatabaseInUse,
            Self::Unreadable(_) => C::DatabaseUnreadable,
            Self::Backup { .. } => C::BackupInvalid,
            Self::AccountDisabled => C::AccountDisabled,
            Self::Crypto { .. } => C::Crypto,
            Self::RowUnreadable { .. } => C::RowUnreadable,
            Self::DemoNotEnrollable => C::DemoNotEnrollable,
            Self::NotFetched(_) => C::NotFetched,
            Self::EnrolmentForAnotherOffice { .. } => C::EnrolmentForAnotherOffice,
            Self::AlreadyEnrolled { .. } => C::AlreadyEnrolled,
            Self::UnknownHubOffice(_) => C::UnknownHubOffice,
            Self::NotOpen => C::NotSignedIn,
            Self::SyncFailed { .. } => C::Sync,
            Self::Fixture(_) => C::Fixture,
            Self::Database(_) => C::Database,
        }
    }

    /// Whether trying the same again later can help without anyone acting: a sync that failed on
    /// the link (the background runner retries it).
    pub fn retryable(&self) -> bool {
        matches!(
            self,
            Self::SyncFailed {
                permanent: false,
                ..
            }
        )
    }
}

/// What is wrong with a key file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeyFileProblem {
    #[error("isinya tidak terbaca ({0})")]
    Unreadable(String),
    #[error("format {0} tidak dikenal; perbarui aplikasi Pelita")]
    UnknownFormat(u32),
    #[error("nilai '{0}' bukan heksadesimal")]
    NotHex(&'static str),
    #[error("panjang nonce salah")]
    NonceLength,
    #[error("panjang kunci salah")]
    KeyLength,
    #[error("kantor {0} tidak dikenal")]
    UnknownOffice(String),
    #[error("tidak dapat ditulis ({0})")]
    Write(String),
}

/// Every error code Pelita answers with: the store's ([`StoreError::code`]) and the desktop
/// shell's own. Exported to TypeScript as a union, so the UI cannot branch on a code that does
/// not exist; the serialised names are stable (scripts and the UI depend on them).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    Validation,
    NotFound,
    VersionConflict,
    SchemaTooNew,
    MigrationFailed,
    NotSetUp,
    AlreadySetUp,
    FirstAdminExists,
    FileFormat,
    Io,
    PermissionDenied,
    LoginFailed,
    AccountLocked,
    KeyFile,
    KeyFileMissing,
    DatabaseInUse,
    DatabaseUnreadable,
    BackupInvalid,
    AccountDisabled,
    Crypto,
    RowUnreadable,
    DemoNotEnrollable,
    /// An attachment not on this laptop yet: fetch it from the hub first.
    NotFetched,
    EnrolmentForAnotherOffice,
    AlreadyEnrolled,
    UnknownHubOffice,
    /// Nobody is signed in (the desktop shell, or a sync waiting for someone).
    NotSignedIn,
    /// The screen is locked: the password unlocks it (the desktop shell).
    SessionLocked,
    /// Unlocking a screen that is not locked (the desktop shell).
    NotLocked,
    Sync,
    /// The background sync runner has stopped (the desktop shell).
    SyncStopped,
    Fixture,
    Database,
}

/// The serialised name (`version_conflict`), as the audit log and scripts write it.
impl std::fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match serde_json::to_value(self) {
            Ok(serde_json::Value::String(name)) => f.write_str(&name),
            _ => write!(f, "{self:?}"),
        }
    }
}
