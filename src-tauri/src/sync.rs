//! Sync in the desktop app: the Sinkronisasi page's commands, and the background runner that syncs
//! on an interval, on demand, and again with growing pauses while the link is down. The runner
//! holds the database only between requests, so people keep working while a slow request is on
//! the wire. A permanent error (revoked device, old app) stops retrying until someone acts.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{channel, RecvTimeoutError, Sender};
use std::sync::Mutex;
use std::time::Duration;

use pelita_store::{RejectedChange, Resolution, StoreError, SyncConflict, SyncRun, SyncStatus};
use tauri::{AppHandle, Manager, State};

use crate::{ApiError, AppState};

type Result<T> = std::result::Result<T, ApiError>;

/// Between successful runs.
const INTERVAL: Duration = Duration::from_secs(5 * 60);
/// After a failure: 30 s, 1 min, 2 min … up to 30 min, each ±25 %.
const FIRST_RETRY: Duration = Duration::from_secs(30);
const LONGEST_RETRY: Duration = Duration::from_secs(30 * 60);

/// The pause before the next attempt after `failures` failures in a row.
pub fn backoff(failures: u32, jitter: f64) -> Duration {
    if failures == 0 {
        return INTERVAL;
    }
    let base = FIRST_RETRY.saturating_mul(1 << failures.min(10).saturating_sub(1));
    base.min(LONGEST_RETRY)
        .mul_f64(0.75 + 0.5 * jitter.clamp(0.0, 1.0))
}

/// The background runner's handle, managed by Tauri.
pub struct Syncer {
    wake: Mutex<Sender<()>>,
    running: AtomicBool,
    /// Set by a permanent error: no automatic retries until someone syncs by hand.
    paused: AtomicBool,
}

struct Open<'a>(&'a AppState);

impl pelita_sync::Local for Open<'_> {
    fn with<T>(
        &mut self,
        f: impl FnOnce(&mut pelita_store::Store) -> std::result::Result<T, StoreError>,
    ) -> std::result::Result<T, StoreError> {
        self.0.with_open(f)
    }
}

fn jitter() -> f64 {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    f64::from(nanos % 1000) / 1000.0
}

/// Starts the runner; it lives as long as the app.
pub fn start(app: &AppHandle) {
    let (tx, rx) = channel::<()>();
    app.manage(Syncer {
        wake: Mutex::new(tx),
        running: AtomicBool::new(false),
        paused: AtomicBool::new(false),
    });
    let app = app.clone();
    std::thread::spawn(move || {
        let mut failures = 0u32;
        loop {
            let syncer = app.state::<Syncer>();
            let wait = if syncer.paused.load(Ordering::Relaxed) {
                Duration::from_secs(24 * 3600)
            } else {
                backoff(failures, jitter())
            };
            match rx.recv_timeout(wait) {
                Ok(()) => syncer.paused.store(false, Ordering::Relaxed),
                Err(RecvTimeoutError::Timeout) => {}
                Err(RecvTimeoutError::Disconnected) => return,
            }
            let state = app.state::<AppState>();
            let enrolled = state
                .with_open(|s| s.sync_enrolment())
                .ok()
                .flatten()
                .is_some();
            if !enrolled {
                failures = 0;
                continue;
            }
            syncer.running.store(true, Ordering::Relaxed);
            let outcome = pelita_sync::run(&mut Open(&state), &Default::default());
            syncer.running.store(false, Ordering::Relaxed);
            match outcome {
                Ok(_) => failures = 0,
                Err(e) if e.is_permanent() => {
                    failures = 0;
                    syncer.paused.store(true, Ordering::Relaxed);
                }
                Err(_) => failures = failures.saturating_add(1),
            }
        }
    });
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
            running: syncer.running.load(Ordering::Relaxed),
            paused: syncer.paused.load(Ordering::Relaxed),
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
    let tx = syncer.wake.lock().unwrap_or_else(|p| p.into_inner());
    tx.send(()).map_err(|_| {
        ApiError::plain(
            "sync",
            "sinkronisasi latar belakang berhenti; buka ulang aplikasi",
        )
    })
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_back_off_to_half_an_hour_with_jitter() {
        assert_eq!(backoff(0, 0.5), INTERVAL);
        assert_eq!(backoff(1, 0.5), Duration::from_secs(30));
        assert_eq!(backoff(2, 0.5), Duration::from_secs(60));
        assert_eq!(backoff(20, 0.5), LONGEST_RETRY);
        assert_eq!(backoff(1, 0.0), Duration::from_millis(22_500));
        assert_eq!(backoff(1, 1.0), Duration::from_millis(37_500));
    }
}
