//! The Tauri commands: state in, one store call, error mapped. Nothing else belongs here.

use pelita_core::employee::{Deactivation, EmployeeInput};
use pelita_core::nip::NipInfo;
use pelita_core::office::Office;
use pelita_core::reference::ReferenceData;
use pelita_store::Mode;
use pelita_store::{EmployeeDetail, EmployeeQuery, EmployeeRow, ImportReport, StoreInfo};
use tauri::State;

use crate::{ApiError, AppState};

type Result<T> = std::result::Result<T, ApiError>;

#[tauri::command]
#[specta::specta]
pub fn app_info(state: State<'_, AppState>) -> Result<StoreInfo> {
    state.as_actor(|s, _| s.info())
}

/// Public reference data: the first-run screen needs it before any database exists.
#[tauri::command]
#[specta::specta]
pub fn list_offices() -> Vec<Office> {
    pelita_core::office::seed_offices()
}

#[tauri::command]
#[specta::specta]
pub fn reference_data() -> ReferenceData {
    pelita_core::reference::reference_data()
}

#[tauri::command]
#[specta::specta]
pub fn check_nip(nip: String) -> Result<NipInfo> {
    Ok(pelita_core::nip::parse(&nip)?)
}

#[tauri::command]
#[specta::specta]
pub fn list_employees(
    state: State<'_, AppState>,
    query: EmployeeQuery,
) -> Result<Vec<EmployeeRow>> {
    state.as_actor(|s, a| s.list_employees(a, &query))
}

#[tauri::command]
#[specta::specta]
pub fn employee_detail(state: State<'_, AppState>, id: String) -> Result<EmployeeDetail> {
    state.as_actor(|s, a| s.employee_detail(a, &id))
}

#[tauri::command]
#[specta::specta]
pub fn create_employee(state: State<'_, AppState>, input: EmployeeInput) -> Result<EmployeeRow> {
    state.as_actor(|s, a| s.create_employee(a, &input))
}

#[tauri::command]
#[specta::specta]
pub fn update_employee(
    state: State<'_, AppState>,
    id: String,
    expected_version: i64,
    input: EmployeeInput,
) -> Result<EmployeeRow> {
    state.as_actor(|s, a| s.update_employee(a, &id, expected_version, &input))
}

#[tauri::command]
#[specta::specta]
pub fn deactivate_employee(
    state: State<'_, AppState>,
    id: String,
    expected_version: i64,
    change: Deactivation,
) -> Result<EmployeeRow> {
    state.as_actor(|s, a| s.deactivate_employee(a, &id, expected_version, &change))
}

#[tauri::command]
#[specta::specta]
pub fn reactivate_employee(
    state: State<'_, AppState>,
    id: String,
    expected_version: i64,
) -> Result<EmployeeRow> {
    state.as_actor(|s, a| s.reactivate_employee(a, &id, expected_version))
}

#[tauri::command]
#[specta::specta]
pub fn preview_employee_import(
    state: State<'_, AppState>,
    file_name: String,
    bytes: Vec<u8>,
) -> Result<ImportReport> {
    state.as_actor(|s, a| s.import_employee_file(a, &file_name, &bytes, Mode::Preview))
}

#[tauri::command]
#[specta::specta]
pub fn commit_employee_import(
    state: State<'_, AppState>,
    file_name: String,
    bytes: Vec<u8>,
) -> Result<ImportReport> {
    state.as_actor(|s, a| s.import_employee_file(a, &file_name, &bytes, Mode::Commit))
}

#[tauri::command]
#[specta::specta]
pub fn export_employees(state: State<'_, AppState>, path: String) -> Result<u32> {
    state.as_actor(|s, a| s.export_employee_file(a, std::path::Path::new(&path)))
}

#[tauri::command]
#[specta::specta]
pub fn export_employee_template(path: String) -> Result<()> {
    let table = vec![pelita_core::employee::sheet::header_cells()];
    pelita_sheet::write(std::path::Path::new(&path), &table)
        .map_err(|e| ApiError::from(pelita_store::StoreError::from(e)))
}
