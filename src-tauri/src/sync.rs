//! Sync in the desktop app: the Sinkronisasi page's commands, and the background runner that syncs
//! on an interval, on demand, and again with growing pauses while the link is down. The runner
//! holds the database only between requests, so people keep working while a slow request is on
//! the wire. A permanent error (revoked device, old app) stops retrying until someone acts.

use std::sync::Arc;

use pelita_store::{RejectedChange, Resolution, StoreError, SyncConflict, SyncRun, SyncStatus};
use pelita_sync::runner::{Attempt, Policy, Runner};
use tauri::{AppHandle, Manager, State};

use crate::{ApiError, AppState};

type Result<T> = std::result::Result<T, ApiError>;

/// The background runner (`pelita_sync::runner`), managed by Tauri.
pub struct Syncer(Arc<Runner>);

/// The database as a sync run (or a fetch) holds it: only between two requests.
pub(crate) struct Open<'a>(pub(crate) &'a AppState);

impl pelita_sync::Local for Open<'_> {
    fn with<T>(
        &mut self,
        f: impl FnOnce(&mut pelita_store::Store) -> std::result::Result<T, StoreError>,
    ) -> std::result::Result<T, StoreError> {
        self.0.with_open(f)
    }
}

/// Starts the runner; it lives as long as the app. Each attempt opens the database only for the
/// requests it makes.
pub fn start(app: &AppHandle) {
    let handle = app.clone();
    let runner = Runner::start(Policy::default(), move || {
        let state = handle.state::<AppState>();
        let enrolled = state.with_open(|s| s.sync_enrolment()).ok().flatten();
        match enrolled {
            None => Attempt::NotEnrolled,
            Some(_) => {
                Attempt::Ran(pelita_sync::run(&mut Open(&state), &Default::default()).map(drop))
            }
        }
    });
    app.manage(Syncer(runner));
}

/// What the Sinkronisasi page and the side bar show.
#[derive(Debug, Clone, serde::Serialize, specta::Type)]
pub struct SyncView {
    pub status: SyncStatus,
    /// A run is under way now.
    pub running: bool,
    /// Automatic retries stopped after a permanent error (see `status.last_error`).
    pub paused: bool,
}

#[tauri::command]
#[specta::specta]
pub fn sync_view(state: State<'_, AppState>, syncer: State<'_, Syncer>) -> Result<SyncView> {
    state.as_actor(|s, _| {
        Ok(SyncView {
            status: s.sync_status()?,
            running: syncer.0.running(),
            paused: syncer.0.paused(),
        })
    })
}

/// Enrols this laptop at the hub with a one-time code (the laptop's admin), then syncs.
#[tauri::command]
#[specta::specta]
pub fn sync_enroll(
    state: State<'_, AppState>,
    syncer: State<'_, Syncer>,
    hub_url: String,
    code: String,
) -> Result<()> {
    let name = pelita_sync::device_name();
    state.as_actor(|s, a| {
        pelita_sync::enroll(s, a, &hub_url, &code, &name)?;
        Ok(())
    })?;
    sync_now(syncer)
}

/// Asks the runner to sync now (the page shows the progress).
#[tauri::command]
#[specta::specta]
pub fn sync_now(syncer: State<'_, Syncer>) -> Result<()> {
    syncer.0.wake().map_err(ApiError::from)
}

#[tauri::command]
#[specta::specta]
pub fn sync_history(state: State<'_, AppState>) -> Result<Vec<SyncRun>> {
    state.as_actor(|s, _| s.sync_history(20))
}

#[tauri::command]
#[specta::specta]
pub fn sync_conflicts(state: State<'_, AppState>) -> Result<Vec<SyncConflict>> {
    state.as_actor(|s, a| s.sync_conflicts(a))
}

#[tauri::command]
#[specta::specta]
pub fn sync_rejections(state: State<'_, AppState>) -> Result<Vec<RejectedChange>> {
    state.as_actor(|s, a| s.sync_rejections(a))
}

/// Settles a conflict: keep this laptop's version, the hub's, or a field-by-field merge.
#[tauri::command]
#[specta::specta]
pub fn resolve_sync_conflict(
    state: State<'_, AppState>,
    mutation_id: String,
    resolution: Resolution,
) -> Result<()> {
    state.as_actor(|s, a| s.resolve_conflict(a, &mutation_id, &resolution))
}

/// "Buang perubahan ini": gives up a change the hub refused.
#[tauri::command]
#[specta::specta]
pub fn discard_sync_rejection(state: State<'_, AppState>, mutation_id: String) -> Result<()> {
    state.as_actor(|s, a| s.discard_rejected(a, &mutation_id))
}
