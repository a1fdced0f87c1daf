use std::path::Path;
use std::sync::Mutex;

use pelita_core::auth::Actor;
use pelita_store::{Store, StoreError};

use crate::ApiError;

/// Who is at the keyboard. A locked session remembers the user so that only their password
/// unlocks it, while the page (and what was typed) stays as it was.
#[derive(Debug, Clone, Default)]
pub enum Session {
    #[default]
    SignedOut,
    Active(Actor),
    Locked(Actor),
}

/// The open database (or why it could not be opened) and the session.
pub struct AppState {
    store: Mutex<Result<Store, ApiError>>,
    session: Mutex<Session>,
}

impl AppState {
    pub fn open(path: &Path) -> AppState {
        AppState {
            store: Mutex::new(Store::open(path).map_err(ApiError::from)),
            session: Mutex::new(Session::SignedOut),
        }
    }

    /// Runs `f` with the store; store errors become [`ApiError`]s.
    pub fn with<T>(
        &self,
        f: impl FnOnce(&mut Store) -> Result<T, StoreError>,
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

    /// Runs `f` as the signed-in user; refused when nobody is signed in or the session is locked.
    pub fn as_actor<T>(
        &self,
        f: impl FnOnce(&mut Store, &Actor) -> Result<T, StoreError>,
    ) -> Result<T, ApiError> {
        let actor = match self.session() {
            Session::Active(actor) => actor,
            Session::Locked(_) => {
                return Err(ApiError::plain(
                    "session_locked",
                    "layar terkunci; masukkan kata sandi untuk melanjutkan",
                ))
            }
            Session::SignedOut => {
                return Err(ApiError::plain(
                    "not_signed_in",
                    "Anda belum masuk; silakan masuk terlebih dahulu",
                ))
            }
        };
        self.with(|store| f(store, &actor))
    }

    pub fn session(&self) -> Session {
        self.session
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    pub fn set_session(&self, session: Session) {
        *self.session.lock().unwrap_or_else(|p| p.into_inner()) = session;
    }
}
