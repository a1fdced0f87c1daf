use std::path::Path;
use std::sync::Mutex;

use pelita_store::Store;

use crate::ApiError;

/// The open database, or why it could not be opened (shown to the user on every call).
pub struct AppState {
    store: Mutex<Result<Store, ApiError>>,
}

impl AppState {
    pub fn open(path: &Path) -> AppState {
        AppState {
            store: Mutex::new(Store::open(path).map_err(ApiError::from)),
        }
    }

    /// Runs `f` with the store; store errors become [`ApiError`]s.
    pub fn with<T>(
        &self,
        f: impl FnOnce(&mut Store) -> Result<T, pelita_store::StoreError>,
    ) -> Result<T, ApiError> {
        let mut guard = self
            .store
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        match guard.as_mut() {
            Ok(store) => f(store).map_err(ApiError::from),
            Err(e) => Err(e.clone()),
        }
    }
}
