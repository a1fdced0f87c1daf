//! Signing in and out, first admin, screen lock. Thin, like every command: the store decides.

use pelita_core::auth::{Action, Actor, Role};
use pelita_store::{
    AuditEntry, AuditFilter, AuditVerification, BackupReport, NewUser, Setup, Store, StoreStatus,
    UserRow,
};
use tauri::State;

use crate::state::Session;
use crate::{ApiError, AppState};

type Result<T> = std::result::Result<T, ApiError>;

/// What the UI shows about the session.
#[derive(Debug, Clone, serde::Serialize, specta::Type)]
pub struct SessionInfo {
    /// The signed-in user, also while the screen is locked.
    pub actor: Option<Actor>,
    pub locked: bool,
    /// What the user may do in their own office (`core::auth::permitted`): the app offers these.
    pub permissions: Vec<Action>,
    /// Whether views let them choose any office of the district (`core::auth::district_wide`).
    pub district_wide: bool,
    /// The roles an administrator may grant on this laptop.
    pub grantable: Vec<Role>,
}

impl From<Session> for SessionInfo {
    fn from(s: Session) -> Self {
        let (actor, locked) = match s {
            Session::SignedOut => (None, false),
            Session::Active(a) => (Some(a), false),
            Session::Locked(a) => (Some(a), true),
        };
        SessionInfo {
            permissions: actor
                .as_ref()
                .map(pelita_core::auth::permitted)
                .unwrap_or_default(),
            district_wide: actor.as_ref().is_some_and(pelita_core::auth::district_wide),
            grantable: actor
                .as_ref()
                .map(|a| pelita_core::auth::grantable_on(&a.office_id))
                .unwrap_or_default(),
            actor,
            locked,
        }
    }
}

#[tauri::command]
#[specta::specta]
pub fn session_info(state: State<'_, AppState>) -> SessionInfo {
    state.session().into()
}

/// Whether this laptop is set up, and for which office: all that is known before sign-in.
#[tauri::command]
#[specta::specta]
pub fn store_status(state: State<'_, AppState>) -> Result<StoreStatus> {
    Ok(Store::status(state.path())?)
}

/// First run: creates the encrypted database with its office and first administrator.
#[tauri::command]
#[specta::specta]
pub fn create_database(state: State<'_, AppState>, setup: Setup) -> Result<Actor> {
    state.open(|path| Store::create(path, &setup))
}

/// First run from the hub ("Sambungkan ke hub kecamatan"): enrols with the one-time code, creates
/// the database for the office the code names with `setup`'s first admin, and syncs once, so the
/// office's register and the district's trainings are there (a failed first sync is retried by
/// the background runner like any other).
#[tauri::command]
#[specta::specta]
pub fn set_up_from_hub(
    state: State<'_, AppState>,
    hub_url: String,
    code: String,
    setup: Setup,
) -> Result<Actor> {
    state.open(|path| {
        let device = pelita_sync::device_name();
        let (store, actor, _first) =
            pelita_sync::set_up_from_hub(path, &hub_url, &code, &device, &setup)?;
        Ok((store, actor))
    })
}

/// Signs in, which opens (decrypts) the database.
#[tauri::command]
#[specta::specta]
pub fn login(state: State<'_, AppState>, username: String, password: String) -> Result<Actor> {
    state.open(|path| Store::unlock(path, &username, &password))
}

/// Signs out and closes the database.
#[tauri::command]
#[specta::specta]
pub fn logout(state: State<'_, AppState>) {
    state.close();
}

/// Locks the screen after idle time: nothing can be read or changed until the password is given.
#[tauri::command]
#[specta::specta]
pub fn lock_session(state: State<'_, AppState>) {
    state.lock();
}

/// Unlocks with the locked user's password (failures count towards the account lockout).
#[tauri::command]
#[specta::specta]
pub fn unlock_session(state: State<'_, AppState>, password: String) -> Result<Actor> {
    state.unlock(&password)
}

#[tauri::command]
#[specta::specta]
pub fn change_password(
    state: State<'_, AppState>,
    current: String,
    new_password: String,
) -> Result<()> {
    state.as_actor(|s, actor| s.change_password(actor, &current, &new_password))
}

#[tauri::command]
#[specta::specta]
pub fn export_own_record(state: State<'_, AppState>, path: String) -> Result<()> {
    state.as_actor(|s, actor| s.export_own_record_file(actor, std::path::Path::new(&path)))
}

#[tauri::command]
#[specta::specta]
pub fn audit_log(state: State<'_, AppState>, filter: AuditFilter) -> Result<Vec<AuditEntry>> {
    state.as_actor(|s, actor| s.browse_audit(actor, &filter))
}

#[tauri::command]
#[specta::specta]
pub fn verify_audit(state: State<'_, AppState>) -> Result<AuditVerification> {
    state.as_actor(|s, actor| s.verify_audit_as(actor))
}

#[tauri::command]
#[specta::specta]
pub fn list_users(state: State<'_, AppState>) -> Result<Vec<UserRow>> {
    state.as_actor(|s, actor| s.list_users(actor))
}

#[tauri::command]
#[specta::specta]
pub fn add_user(state: State<'_, AppState>, user: NewUser) -> Result<UserRow> {
    state.as_actor(|s, actor| s.add_user(actor, &user))
}

#[tauri::command]
#[specta::specta]
pub fn reset_password(
    state: State<'_, AppState>,
    username: String,
    new_password: String,
) -> Result<()> {
    state.as_actor(|s, actor| s.reset_password(actor, &username, &new_password))
}

#[tauri::command]
#[specta::specta]
pub fn backup_database(state: State<'_, AppState>, path: String) -> Result<BackupReport> {
    state.as_actor(|s, actor| s.backup(actor, std::path::Path::new(&path)))
}

/// Replaces the database with a backup of it, then signs out: the accounts are the backup's.
#[tauri::command]
#[specta::specta]
pub fn restore_database(state: State<'_, AppState>, path: String) -> Result<BackupReport> {
    let report = state.as_actor(|s, actor| s.restore(actor, std::path::Path::new(&path)))?;
    state.close();
    Ok(report)
}

/// Restores a backup on a laptop without a database, with an Admin Kecamatan password valid
/// when the backup was made.
#[tauri::command]
#[specta::specta]
pub fn restore_new_database(
    state: State<'_, AppState>,
    path: String,
    username: String,
    password: String,
) -> Result<Actor> {
    state.open(|db| Store::restore_new(db, std::path::Path::new(&path), &username, &password))
}

#[tauri::command]
#[specta::specta]
pub fn disable_user(state: State<'_, AppState>, username: String) -> Result<()> {
    state.as_actor(|s, actor| s.disable_user(actor, &username))
}
