use pelita_core::FieldError;
use pelita_store::StoreError;
use serde::Serialize;
use specta::Type;

/// An error as the UI receives it: a stable `code` to branch on, an Indonesian `message` to show,
/// and per-field messages for forms.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct ApiError {
    pub code: String,
    pub message: String,
    pub fields: Vec<FieldError>,
}

impl ApiError {
    /// An error that is not about a form field.
    pub fn plain(code: &str, message: &str) -> Self {
        ApiError {
            code: code.into(),
            message: message.into(),
            fields: Vec::new(),
        }
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        let fields = match &e {
            StoreError::Validation(v) => v.errors.clone(),
            _ => Vec::new(),
        };
        ApiError {
            code: e.code().to_string(),
            message: e.to_string(),
            fields,
        }
    }
}

impl From<pelita_core::nip::NipError> for ApiError {
    fn from(e: pelita_core::nip::NipError) -> Self {
        ApiError {
            code: "validation".into(),
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
                "fields": [{"field": "nip", "message": "NIP salah"}]})
        );
        let e: ApiError = StoreError::VersionConflict.into();
        assert_eq!(e.code, "version_conflict");
        assert!(e.message.starts_with("data ini sudah diubah"));
        assert!(e.fields.is_empty());
    }
}
