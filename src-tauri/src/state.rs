use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

use pelita_core::auth::Actor;
use pelita_store::{ErrorCode, Store, StoreError};

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

/// The open (decrypted) store while someone is signed in, and the session. One lock guards both,
/// so a command never runs against a store its session does not belong to.
#[derive(Default)]
struct Inner {
    store: Option<Store>,
    session: Session,
}

/// The database file and what is open of it. Signing out closes the store, so the key leaves
/// memory with it; a locked screen keeps it.
pub struct AppState {
    path: PathBuf,
    inner: Mutex<Inner>,
}

fn not_signed_in() -> ApiError {
    ApiError::plain(
        ErrorCode::NotSignedIn,
        "Anda belum masuk; silakan masuk terlebih dahulu",
    )
}

impl AppState {
    pub fn new(path: &Path) -> AppState {
        AppState {
            path: path.to_path_buf(),
            inner: Mutex::new(Inner::default()),
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    fn inner(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Runs `f` with the open store, whoever is signed in (unlocking the screen).
    pub fn with<T>(
        &self,
        f: impl FnOnce(&mut Store) -> Result<T, StoreError>,
    ) -> Result<T, ApiError> {
        match self.inner().store.as_mut() {
            Some(store) => f(store).map_err(ApiError::from),
            None => Err(not_signed_in()),
        }
    }

    /// Runs `f` with the open store for background work (sync), whatever the screen shows.
    pub fn with_open<T>(
        &self,
        f: impl FnOnce(&mut Store) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        match self.inner().store.as_mut() {
            Some(store) => f(store),
            None => Err(StoreError::NotOpen),
        }
    }

    /// Opens the database (first run, sign-in, restore onto a new laptop) and starts a session,
    /// closing whatever was open before.
    pub fn open(
        &self,
        f: impl FnOnce(&Path) -> Result<(Store, Actor), StoreError>,
    ) -> Result<Actor, ApiError> {
        let mut inner = self.inner();
        *inner = Inner::default();
        let (store, actor) = f(&self.path)?;
        *inner = Inner {
            store: Some(store),
            session: Session::Active(actor.clone()),
        };
        Ok(actor)
    }

    /// Signs out and closes the database.
    pub fn close(&self) {
        *self.inner() = Inner::default();
    }

    /// Runs `f` as the signed-in user, as the store knows them now (roles follow the register; a
    /// disabled account is signed out). Refused when nobody is signed in or the screen is locked.
    pub fn as_actor<T>(
        &self,
        f: impl FnOnce(&mut Store, &Actor) -> Result<T, StoreError>,
    ) -> Result<T, ApiError> {
        let mut inner = self.inner();
        let Inner { store, session } = &mut *inner;
        let (Some(store), Session::Active(actor)) = (store.as_mut(), &*session) else {
            return Err(match session {
                Session::Locked(_) => ApiError::plain(
                    ErrorCode::SessionLocked,
                    "layar terkunci; masukkan kata sandi untuk melanjutkan",
                ),
                _ => not_signed_in(),
            });
        };
        let actor = match store.refresh_actor(actor) {
            Ok(actor) => actor,
            Err(e) => {
                *inner = Inner::default();
                return Err(e.into());
            }
        };
        *session = Session::Active(actor.clone());
        f(store, &actor).map_err(ApiError::from)
    }

    pub fn session(&self) -> Session {
        self.inner().session.clone()
    }

    /// Locks an active session (the store stays open).
    pub fn lock(&self) {
        let mut inner = self.inner();
        if let Session::Active(actor) = &inner.session {
            inner.session = Session::Locked(actor.clone());
        }
    }

    /// Unlocks a locked session with its user's password (failures count towards the lockout).
    pub fn unlock(&self, password: &str) -> Result<Actor, ApiError> {
        let mut inner = self.inner();
        let Inner { store, session } = &mut *inner;
        let (Some(store), Session::Locked(locked)) = (store.as_mut(), &*session) else {
            return Err(ApiError::plain(
                ErrorCode::NotLocked,
                "layar tidak sedang terkunci",
            ));
        };
        let actor = store.login(&locked.username, password)?;
        *session = Session::Active(actor.clone());
        Ok(actor)
    }
}
