//! The Studi Pengaruh page's commands: instruments, answer sheets, results. Thin: the store
//! decides, pelita-stats computes.

use std::collections::BTreeMap;

use pelita_analysis::{Analysis, ResultOptions, SurveyResults};
use pelita_core::survey::{InstrumentDraft, InstrumentStatus};
use pelita_store::{Instrument, ResponseRow};
use tauri::State;

use crate::{ApiError, AppState};

type Result<T> = std::result::Result<T, ApiError>;

/// The seed study's instrument (X1 Pelatihan, X2 Pengembangan, Y Kinerja), to start from.
#[tauri::command]
#[specta::specta]
pub fn default_instrument() -> InstrumentDraft {
    pelita_core::survey::default_instrument()
}

#[tauri::command]
#[specta::specta]
pub fn list_instruments(state: State<'_, AppState>) -> Result<Vec<Instrument>> {
    state.as_actor(|s, a| s.list_instruments(a))
}

/// Creates (`id` None) or changes an instrument seen at `base_version`.
#[tauri::command]
#[specta::specta]
pub fn save_instrument(
    state: State<'_, AppState>,
    id: Option<String>,
    base_version: i64,
    draft: InstrumentDraft,
) -> Result<Instrument> {
    state.as_actor(|s, a| s.save_instrument(a, id.as_deref(), base_version, &draft))
}

#[tauri::command]
#[specta::specta]
pub fn set_instrument_status(
    state: State<'_, AppState>,
    id: String,
    base_version: i64,
    status: InstrumentStatus,
) -> Result<Instrument> {
    state.as_actor(|s, a| s.set_instrument_status(a, &id, base_version, status))
}

/// Records an answer sheet; `employee_id` None = anonymous. Returns the sheet's id.
#[tauri::command]
#[specta::specta]
pub fn record_survey_response(
    state: State<'_, AppState>,
    instrument_id: String,
    employee_id: Option<String>,
    answers: BTreeMap<String, u8>,
) -> Result<String> {
    state.as_actor(|s, a| {
        s.record_survey_response(a, &instrument_id, employee_id.as_deref(), &answers)
    })
}

#[tauri::command]
#[specta::specta]
pub fn delete_survey_response(
    state: State<'_, AppState>,
    response_id: String,
    base_version: i64,
) -> Result<()> {
    state.as_actor(|s, a| s.delete_survey_response(a, &response_id, base_version))
}

#[tauri::command]
#[specta::specta]
pub fn survey_responses(
    state: State<'_, AppState>,
    instrument_id: String,
    office_id: Option<String>,
) -> Result<Vec<ResponseRow>> {
    state.as_actor(|s, a| s.survey_responses(a, &instrument_id, office_id.as_deref()))
}

#[tauri::command]
#[specta::specta]
pub fn survey_results(
    state: State<'_, AppState>,
    instrument_id: String,
    options: ResultOptions,
) -> Result<SurveyResults> {
    state.as_actor(|s, a| s.survey_results(a, &instrument_id, &options))
}

/// Writes the results' tables to an `.xlsx` report at `path`; returns the sheets counted.
#[tauri::command]
#[specta::specta]
pub fn export_survey_results(
    state: State<'_, AppState>,
    instrument_id: String,
    options: ResultOptions,
    path: String,
) -> Result<u32> {
    state.as_actor(|s, a| {
        s.export_survey_results(a, &instrument_id, &options, std::path::Path::new(&path))
    })
}
