use pelita_core::ValidationError;
use pelita_sheet::SheetError;

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
    #[error("berkas kunci basis data tidak dapat dipakai: {0}")]
    KeyFile(String),
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
    #[error("kesalahan kriptografi: {0}")]
    Crypto(String),
    #[error("sinkronisasi: {0}")]
    Sync(String),
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

    pub fn code(&self) -> &'static str {
        match self {
            Self::Validation(_) => "validation",
            Self::NotFound(_) => "not_found",
            Self::VersionConflict => "version_conflict",
            Self::SchemaTooNew { .. } => "schema_too_new",
            Self::Migration { .. } => "migration_failed",
            Self::NotSetUp => "not_set_up",
            Self::AlreadySetUp => "already_set_up",
            Self::FirstAdminExists => "first_admin_exists",
            Self::Sheet(_) => "file_format",
            Self::Io { .. } => "io",
            Self::PermissionDenied(_) => "permission_denied",
            Self::LoginFailed => "login_failed",
            Self::AccountLocked { .. } => "account_locked",
            Self::KeyFile(_) => "key_file",
            Self::KeyFileMissing(_) => "key_file_missing",
            Self::InUse(_) => "database_in_use",
            Self::Unreadable(_) => "database_unreadable",
            Self::Backup { .. } => "backup_invalid",
            Self::AccountDisabled => "account_disabled",
            Self::Crypto(_) => "crypto",
            Self::Sync(_) => "sync",
            Self::Database(_) => "database",
        }
    }
}
