//! Training commands: catalogue, enrolment, attendance, completion, JP. Thin: the store decides.

use pelita_analysis::{Analysis, ParticipationSummary};
use pelita_core::training::{AttendanceStatus, TrainingInput, TrainingStatus};
use pelita_store::Mode;
use pelita_store::{
    AttendanceEntry, AttendanceRow, JpLine, Participant, Training, TrainingImportReport,
    TrainingQuery, TrainingSheetKind,
};
use tauri::State;

use crate::{ApiError, AppState};

type Result<T> = std::result::Result<T, ApiError>;

/// Everything the training forms offer: routes, methods, statuses, absence reasons, the themes in use.
#[derive(Debug, Clone, serde::Serialize, specta::Type)]
pub struct TrainingReference {
    pub routes: Vec<pelita_core::training::Route>,
    pub methods: Vec<pelita_core::training::Method>,
    /// The L1 questionnaire: (group, item) in the order scores are given.
    pub reaction_items: Vec<(pelita_core::training::ReactionGroup, String)>,
    pub statuses: Vec<TrainingStatus>,
    pub attendance: Vec<AttendanceStatus>,
    pub reasons: Vec<pelita_core::training::AbsenceReason>,
    pub themes: Vec<String>,
}

#[tauri::command]
#[specta::specta]
pub fn training_reference(state: State<'_, AppState>) -> Result<TrainingReference> {
    state.as_actor(|s, _| {
        Ok(TrainingReference {
            routes: pelita_core::training::Route::ALL.to_vec(),
            methods: pelita_core::training::Method::ALL.to_vec(),
            reaction_items: pelita_core::training::REACTION_ITEMS
                .iter()
                .map(|(g, i)| (*g, (*i).to_string()))
                .collect(),
            statuses: TrainingStatus::ALL.to_vec(),
            attendance: AttendanceStatus::ALL.to_vec(),
            reasons: pelita_core::training::AbsenceReason::ALL.to_vec(),
            themes: s.training_themes()?,
        })
    })
}

#[tauri::command]
#[specta::specta]
pub fn list_trainings(state: State<'_, AppState>, query: TrainingQuery) -> Result<Vec<Training>> {
    state.as_actor(|s, a| s.list_trainings(a, &query))
}

#[tauri::command]
#[specta::specta]
pub fn training(state: State<'_, AppState>, id: String) -> Result<Training> {
    state.as_actor(|s, a| s.training(a, &id))
}

#[tauri::command]
#[specta::specta]
pub fn create_training(state: State<'_, AppState>, input: TrainingInput) -> Result<Training> {
    state.as_actor(|s, a| s.create_training(a, &input))
}

#[tauri::command]
#[specta::specta]
pub fn update_training(
    state: State<'_, AppState>,
    id: String,
    expected_version: i64,
    input: TrainingInput,
) -> Result<Training> {
    state.as_actor(|s, a| s.update_training(a, &id, expected_version, &input))
}

#[tauri::command]
#[specta::specta]
pub fn set_training_status(
    state: State<'_, AppState>,
    id: String,
    expected_version: i64,
    status: TrainingStatus,
) -> Result<Training> {
    state.as_actor(|s, a| s.set_training_status(a, &id, expected_version, status))
}

#[tauri::command]
#[specta::specta]
pub fn participants(state: State<'_, AppState>, training_id: String) -> Result<Vec<Participant>> {
    state.as_actor(|s, a| s.participants(a, &training_id))
}

#[tauri::command]
#[specta::specta]
pub fn enrol(
    state: State<'_, AppState>,
    training_id: String,
    employee_id: String,
) -> Result<Participant> {
    state.as_actor(|s, a| s.enrol(a, &training_id, &employee_id))
}

#[tauri::command]
#[specta::specta]
pub fn withdraw(
    state: State<'_, AppState>,
    training_id: String,
    employee_id: String,
) -> Result<()> {
    state.as_actor(|s, a| s.withdraw(a, &training_id, &employee_id))
}

#[tauri::command]
#[specta::specta]
pub fn session_attendance(
    state: State<'_, AppState>,
    session_id: String,
) -> Result<Vec<AttendanceRow>> {
    state.as_actor(|s, a| s.session_attendance(a, &session_id))
}

/// Saves a session's checklist, all entries or none; returns how many changed.
#[tauri::command]
#[specta::specta]
pub fn record_attendance(
    state: State<'_, AppState>,
    session_id: String,
    entries: Vec<AttendanceEntry>,
) -> Result<u32> {
    state.as_actor(|s, a| s.record_attendance(a, &session_id, &entries))
}

#[tauri::command]
#[specta::specta]
pub fn jp_report(
    state: State<'_, AppState>,
    year: i32,
    office_id: Option<String>,
) -> Result<Vec<JpLine>> {
    state.as_actor(|s, a| s.jp_report(a, year, office_id.as_deref()))
}

/// The 20 JP share overall (first) and per office.
#[tauri::command]
#[specta::specta]
pub fn jp_shares(
    state: State<'_, AppState>,
    year: i32,
) -> Result<Vec<pelita_core::training::JpShare>> {
    state.as_actor(|s, a| s.jp_shares(a, year))
}

#[tauri::command]
#[specta::specta]
pub fn participation_summary(
    state: State<'_, AppState>,
    year: i32,
    office_id: Option<String>,
) -> Result<ParticipationSummary> {
    state.as_actor(|s, a| s.participation_summary(a, year, office_id.as_deref()))
}

/// An employee's trainings and JP per year (their page; their own record for a Pegawai).
#[tauri::command]
#[specta::specta]
pub fn training_history(
    state: State<'_, AppState>,
    employee_id: String,
) -> Result<pelita_store::TrainingHistory> {
    state.as_actor(|s, a| s.training_history(a, &employee_id))
}

#[tauri::command]
#[specta::specta]
pub fn record_reaction(
    state: State<'_, AppState>,
    training_id: String,
    employee_id: Option<String>,
    scores: Vec<u8>,
) -> Result<()> {
    state.as_actor(|s, a| s.record_reaction(a, &training_id, employee_id.as_deref(), &scores))
}

#[tauri::command]
#[specta::specta]
pub fn reaction_summary(
    state: State<'_, AppState>,
    training_id: String,
) -> Result<pelita_store::ReactionSummary> {
    state.as_actor(|s, a| s.reaction_summary(a, &training_id))
}

#[tauri::command]
#[specta::specta]
pub fn set_test_scores(
    state: State<'_, AppState>,
    training_id: String,
    employee_id: String,
    pre: Option<f64>,
    post: Option<f64>,
) -> Result<()> {
    state.as_actor(|s, a| s.set_test_scores(a, &training_id, &employee_id, pre, post))
}

#[tauri::command]
#[specta::specta]
pub fn learning_summary(
    state: State<'_, AppState>,
    training_id: String,
) -> Result<pelita_store::LearningSummary> {
    state.as_actor(|s, a| s.learning_summary(a, &training_id))
}

#[tauri::command]
#[specta::specta]
pub fn followups_due(state: State<'_, AppState>) -> Result<Vec<pelita_store::FollowupDue>> {
    state.as_actor(|s, a| s.followups_due(a))
}

#[tauri::command]
#[specta::specta]
pub fn record_followup(
    state: State<'_, AppState>,
    participation_id: String,
    ratings: Vec<pelita_store::FollowupRating>,
    applied: Vec<u8>,
    note: String,
) -> Result<()> {
    state.as_actor(|s, a| s.record_followup(a, &participation_id, &ratings, &applied, &note))
}

/// The L3 baseline: how often the pegawai applies each of the training's objectives before it.
#[tauri::command]
#[specta::specta]
pub fn record_baseline(
    state: State<'_, AppState>,
    participation_id: String,
    levels: Vec<u8>,
) -> Result<()> {
    state.as_actor(|s, a| s.record_baseline(a, &participation_id, &levels))
}

/// Enrolment and attendance by office, theme and route for a year.
#[tauri::command]
#[specta::specta]
pub fn participation_breakdown(
    state: State<'_, AppState>,
    year: i32,
) -> Result<Vec<pelita_analysis::ParticipationSlice>> {
    state.as_actor(|s, a| s.participation_breakdown(a, year))
}

/// JP diakui of a participant after the training, with the reason for the change.
#[tauri::command]
#[specta::specta]
pub fn set_jp_diakui(
    state: State<'_, AppState>,
    training_id: String,
    employee_id: String,
    jp: u32,
    reason: String,
) -> Result<Participant> {
    state.as_actor(|s, a| s.set_jp_diakui(a, &training_id, &employee_id, jp, &reason))
}

#[tauri::command]
#[specta::specta]
pub fn set_certificate_number(
    state: State<'_, AppState>,
    training_id: String,
    employee_id: String,
    number: String,
) -> Result<Participant> {
    state.as_actor(|s, a| s.set_certificate_number(a, &training_id, &employee_id, &number))
}

/// Checks a training file (`Preview`: nothing is written) or imports it all-or-nothing (`Commit`).
#[tauri::command]
#[specta::specta]
pub fn import_training_file(
    state: State<'_, AppState>,
    path: String,
    kind: TrainingSheetKind,
    mode: Mode,
) -> Result<TrainingImportReport> {
    state.as_actor(|s, a| s.import_training_path(a, kind, std::path::Path::new(&path), mode))
}

/// Writes the catalogue, or one training's attendance sheet, to `.xlsx`/`.csv`; returns the rows.
#[tauri::command]
#[specta::specta]
pub fn export_training_file(
    state: State<'_, AppState>,
    path: String,
    kind: TrainingSheetKind,
    training_id: Option<String>,
) -> Result<u32> {
    state.as_actor(|s, a| {
        s.export_training_file(a, kind, training_id.as_deref(), std::path::Path::new(&path))
    })
}

/// The SIASN riwayat kursus of a year, as `.xlsx`/`.csv`.
#[tauri::command]
#[specta::specta]
pub fn export_siasn(
    state: State<'_, AppState>,
    path: String,
    year: i32,
) -> Result<pelita_store::SiasnExport> {
    state.as_actor(|s, a| s.siasn_export(a, year, std::path::Path::new(&path)))
}
