//! Performance appraisal (SKP) commands. Thin, like every command: the store decides.

use pelita_core::appraisal::distribution::OrgResult;
use pelita_core::appraisal::form::AppraisalInput;
use pelita_core::appraisal::{AppraisalReference, Predicate, Rating};
use pelita_store::Mode;
use pelita_store::{
    Appraisal, AppraisalImportReport, OfficeRecap, Penetapan, PeriodRef, RosterLine,
};
use tauri::State;

use crate::{ApiError, AppState};

type Result<T> = std::result::Result<T, ApiError>;

#[tauri::command]
#[specta::specta]
pub fn appraisal_reference() -> AppraisalReference {
    pelita_core::appraisal::appraisal_reference()
}

/// The predicate for two ratings, from the matrix in the core (the form shows it live).
#[tauri::command]
#[specta::specta]
pub fn appraisal_predicate(hasil_kerja: Rating, perilaku_kerja: Rating) -> Predicate {
    pelita_core::appraisal::predicate(hasil_kerja, perilaku_kerja)
}

#[tauri::command]
#[specta::specta]
pub fn current_period(state: State<'_, AppState>) -> Result<PeriodRef> {
    state.as_actor(|s, _| Ok(s.current_period()))
}

/// The direct reports the signed-in Penilai appraises for a period, with their appraisals.
#[tauri::command]
#[specta::specta]
pub fn appraisal_roster(state: State<'_, AppState>, period: PeriodRef) -> Result<Vec<RosterLine>> {
    state.as_actor(|s, a| s.appraisal_roster(a, &period))
}

#[tauri::command]
#[specta::specta]
pub fn appraisal(state: State<'_, AppState>, id: String) -> Result<Appraisal> {
    state.as_actor(|s, a| s.appraisal(a, &id))
}

#[tauri::command]
#[specta::specta]
pub fn save_appraisal(
    state: State<'_, AppState>,
    id: Option<String>,
    expected_version: i64,
    input: AppraisalInput,
) -> Result<Appraisal> {
    state.as_actor(|s, a| s.save_appraisal(a, id.as_deref(), expected_version, &input))
}

/// Signs a draft with the penilai's password; it is Final and immutable afterwards.
#[tauri::command]
#[specta::specta]
pub fn finalize_appraisal(
    state: State<'_, AppState>,
    id: String,
    expected_version: i64,
    password: String,
) -> Result<Appraisal> {
    state.as_actor(|s, a| s.finalize_appraisal(a, &id, expected_version, &password))
}

#[tauri::command]
#[specta::specta]
pub fn amend_appraisal(state: State<'_, AppState>, id: String) -> Result<Appraisal> {
    state.as_actor(|s, a| s.amend_appraisal(a, &id))
}

/// Per office: completion, predicate distribution, organisation result and its warnings.
#[tauri::command]
#[specta::specta]
pub fn appraisal_recap(state: State<'_, AppState>, period: PeriodRef) -> Result<Vec<OfficeRecap>> {
    state.as_actor(|s, a| s.appraisal_recap(a, &period))
}

#[tauri::command]
#[specta::specta]
pub fn set_org_result(
    state: State<'_, AppState>,
    office_id: String,
    period: PeriodRef,
    result: OrgResult,
    password: String,
) -> Result<()> {
    state.as_actor(|s, a| s.set_org_result(a, &office_id, &period, result, &password))
}

/// The Penetapan Predikat Kinerja of an office for a period, to print.
#[tauri::command]
#[specta::specta]
pub fn penetapan(
    state: State<'_, AppState>,
    office_id: String,
    period: PeriodRef,
) -> Result<Penetapan> {
    state.as_actor(|s, a| s.penetapan(a, &office_id, &period))
}

/// Checks an appraisal file (`Preview`: nothing is written) or imports it all-or-nothing (`Commit`).
#[tauri::command]
#[specta::specta]
pub fn import_appraisals(
    state: State<'_, AppState>,
    path: String,
    mode: Mode,
    password: Option<String>,
) -> Result<AppraisalImportReport> {
    state.as_actor(|s, a| {
        s.import_appraisal_path(a, std::path::Path::new(&path), mode, password.as_deref())
    })
}

#[tauri::command]
#[specta::specta]
pub fn export_appraisals(
    state: State<'_, AppState>,
    path: String,
    period: Option<PeriodRef>,
) -> Result<u32> {
    state.as_actor(|s, a| s.export_appraisal_file(a, std::path::Path::new(&path), period.as_ref()))
}

/// Throws away a draft (an unfinished amendment); a Final appraisal cannot be discarded.
#[tauri::command]
#[specta::specta]
pub fn discard_appraisal_draft(
    state: State<'_, AppState>,
    id: String,
    expected_version: i64,
) -> Result<()> {
    state.as_actor(|s, a| s.discard_appraisal_draft(a, &id, expected_version))
}
