//! Rencana SKP commands. Thin, like every command: the store decides.

use pelita_core::appraisal::plan::PlanInput;
use pelita_store::{PeranHasil, Plan, PlanLine, PlanView};
use tauri::State;

use crate::{ApiError, AppState};

type Result<T> = std::result::Result<T, ApiError>;

/// The pegawai whose plans the signed-in person deals with for a year.
#[tauri::command]
#[specta::specta]
pub fn plan_roster(state: State<'_, AppState>, year: i32) -> Result<Vec<PlanLine>> {
    state.as_actor(|s, a| s.plan_roster(a, year))
}

#[tauri::command]
#[specta::specta]
pub fn skp_plan(state: State<'_, AppState>, employee_id: String, year: i32) -> Result<PlanView> {
    state.as_actor(|s, a| s.skp_plan(a, &employee_id, year))
}

#[tauri::command]
#[specta::specta]
pub fn save_plan(
    state: State<'_, AppState>,
    id: Option<String>,
    expected_version: i64,
    input: PlanInput,
) -> Result<Plan> {
    state.as_actor(|s, a| s.save_plan(a, id.as_deref(), expected_version, &input))
}

/// Signs a draft plan as the pegawai or their penilai (password again).
#[tauri::command]
#[specta::specta]
pub fn sign_plan(
    state: State<'_, AppState>,
    id: String,
    expected_version: i64,
    password: String,
) -> Result<Plan> {
    state.as_actor(|s, a| s.sign_plan(a, &id, expected_version, &password))
}

#[tauri::command]
#[specta::specta]
pub fn revise_plan(state: State<'_, AppState>, id: String) -> Result<Plan> {
    state.as_actor(|s, a| s.revise_plan(a, &id))
}

/// The matriks peran hasil of a leader's plan.
#[tauri::command]
#[specta::specta]
pub fn peran_hasil(
    state: State<'_, AppState>,
    employee_id: String,
    year: i32,
) -> Result<PeranHasil> {
    state.as_actor(|s, a| s.peran_hasil(a, &employee_id, year))
}

/// A new appraisal as its penilai starts it: the items of the plan agreed for the year.
#[tauri::command]
#[specta::specta]
pub fn appraisal_from_plan(
    state: State<'_, AppState>,
    employee_id: String,
    period: pelita_store::PeriodRef,
) -> Result<pelita_core::appraisal::form::AppraisalInput> {
    state.as_actor(|s, a| s.appraisal_from_plan(a, &employee_id, &period))
}

/// Records a dialog kinerja or bimbingan kinerja note (the plan's penilai).
#[tauri::command]
#[specta::specta]
pub fn record_dialog(
    state: State<'_, AppState>,
    input: pelita_store::DialogInput,
) -> Result<pelita_store::DialogNote> {
    state.as_actor(|s, a| s.record_dialog(a, &input))
}
