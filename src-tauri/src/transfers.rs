//! The Mutasi page's commands: transfers between offices, recorded, asked for, decided. Thin: the
//! store decides.

use pelita_core::mutasi::MutasiInput;
use pelita_store::{EmployeeRow, MutasiApproval, MutasiRow};
use tauri::State;

use crate::{ApiError, AppState};

type Result<T> = std::result::Result<T, ApiError>;

#[tauri::command]
#[specta::specta]
pub fn mutasi_list(state: State<'_, AppState>) -> Result<Vec<MutasiRow>> {
    state.as_actor(|s, a| s.mutasi_list(a))
}

#[tauri::command]
#[specta::specta]
pub fn record_mutasi(state: State<'_, AppState>, input: MutasiInput) -> Result<MutasiRow> {
    state.as_actor(|s, a| s.record_mutasi(a, &input))
}

#[tauri::command]
#[specta::specta]
pub fn approve_mutasi(
    state: State<'_, AppState>,
    id: String,
    expected_version: i64,
    approval: MutasiApproval,
) -> Result<MutasiRow> {
    state.as_actor(|s, a| s.approve_mutasi(a, &id, expected_version, &approval))
}

#[tauri::command]
#[specta::specta]
pub fn reject_mutasi(
    state: State<'_, AppState>,
    id: String,
    expected_version: i64,
    reason: String,
) -> Result<MutasiRow> {
    state.as_actor(|s, a| s.reject_mutasi(a, &id, expected_version, &reason))
}

#[tauri::command]
#[specta::specta]
pub fn cancel_mutasi(
    state: State<'_, AppState>,
    id: String,
    expected_version: i64,
) -> Result<MutasiRow> {
    state.as_actor(|s, a| s.cancel_mutasi(a, &id, expected_version))
}

/// The register row of a NIP held here in another office: the form offers "ajukan mutasi masuk".
#[tauri::command]
#[specta::specta]
pub fn nip_elsewhere(state: State<'_, AppState>, nip: String) -> Result<Option<EmployeeRow>> {
    state.as_actor(|s, a| s.nip_elsewhere(a, &nip))
}
