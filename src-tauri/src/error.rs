use pelita_core::FieldError;
use pelita_store::{ErrorCode, StoreError};
use serde::Serialize;
use specta::Type;

/// An error as the UI receives it: a stable `code` to branch on (a union in TypeScript), an
/// Indonesian `message` to show, per-field messages for forms, and whether trying again later can
/// help by itself (a sync that failed on the link) or someone must act first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct ApiError {
    pub code: ErrorCode,
    pub message: String,
    pub fields: Vec<FieldError>,
    pub retryable: bool,
}

impl ApiError {
    /// An error that is not about a form field.
    pub fn plain(code: ErrorCode, message: &str) -> Self {
        ApiError {
            code,
            message: message.into(),
            fields: Vec::new(),
            retryable: false,
        }
    }
}

impl From<pelita_sync::runner::Stopped> for ApiError {
    fn from(e: pelita_sync::runner::Stopped) -> Self {
        ApiError::plain(ErrorCode::SyncStopped, &e.to_string())
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        let fields = match &e {
            StoreError::Validation(v) => v.errors.clone(),
            _ => Vec::new(),
        };
        ApiError {
            code: e.code(),
            retryable: e.retryable(),
            message: e.to_string(),
            fields,
        }
    }
}

impl From<pelita_core::nip::NipError> for ApiError {
    fn from(e: pelita_core::nip::NipError) -> Self {
        ApiError {
            code: ErrorCode::Validation,
            retryable: false,
            message: e.to_string(),
            fields: vec![FieldError::new(
                pelita_core::employee::field::NIP,
                e.to_string(),
            )],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use pelita_core::ValidationError;

    #[test]
    fn payloads_keep_their_shape() {
        let e: ApiError =
            StoreError::Validation(ValidationError::single("nip", "NIP salah")).into();
        assert_eq!(
            serde_json::to_value(&e).unwrap(),
            serde_json::json!({"code": "validation", "message": "NIP salah",
                "fields": [{"field": "nip", "message": "NIP salah"}], "retryable": false})
        );
        let e: ApiError = StoreError::VersionConflict.into();
        assert_eq!(e.code, ErrorCode::VersionConflict);
        assert_eq!(serde_json::to_value(e.code).unwrap(), "version_conflict");
        assert!(e.message.starts_with("data ini sudah diubah"));
        assert!(e.fields.is_empty());
    }

    #[test]
    fn a_sync_error_keeps_whether_retrying_can_help() {
        let link = pelita_sync::SyncError::Network("putus".into());
        let e: ApiError = StoreError::from(link).into();
        assert_eq!((e.code, e.retryable), (ErrorCode::Sync, true));
        let refused = pelita_sync::SyncError::NotEnrolled;
        let e: ApiError = StoreError::from(refused).into();
        assert_eq!((e.code, e.retryable), (ErrorCode::Sync, false));
        assert!(e.message.contains("belum didaftarkan"), "{}", e.message);
    }
}
