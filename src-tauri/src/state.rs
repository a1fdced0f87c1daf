use std::path::{Path, PathBuf};
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

/// The database file, the open (decrypted) store while someone is signed in, and the session.
/// Signing out closes the store, so the key leaves memory with it; a locked screen keeps it.
pub struct AppState {
    path: PathBuf,
    store: Mutex<Option<Store>>,
    session: Mutex<Session>,
}

fn closed() -> ApiError {
    ApiError::plain(
        "not_signed_in",
        "Anda belum masuk; silakan masuk terlebih dahulu",
    )
}

impl AppState {
    pub fn new(path: &Path) -> AppState {
        AppState {
            path: path.to_path_buf(),
            store: Mutex::new(None),
            session: Mutex::new(Session::SignedOut),
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    fn store(&self) -> std::sync::MutexGuard<'_, Option<Store>> {
        self.store.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Runs `f` with the open store; store errors become [`ApiError`]s.
    pub fn with<T>(
        &self,
        f: impl FnOnce(&mut Store) -> Result<T, StoreError>,
    ) -> Result<T, ApiError> {
        match self.store().as_mut() {
            Some(store) => f(store).map_err(ApiError::from),
            None => Err(closed()),
        }
    }

    /// Opens the database (first run, sign-in, restore onto a new laptop) and starts a session.
    pub fn open(
        &self,
        f: impl FnOnce(&Path) -> Result<(Store, Actor), StoreError>,
    ) -> Result<Actor, ApiError> {
        let mut guard = self.store();
        let (store, actor) = f(&self.path)?;
        *guard = Some(store);
        self.set_session(Session::Active(actor.clone()));
        Ok(actor)
    }

    /// Signs out and closes the database.
    pub fn close(&self) {
        self.set_session(Session::SignedOut);
        *self.store() = None;
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
            Session::SignedOut => return Err(closed()),
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
