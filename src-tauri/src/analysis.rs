//! The Analisis page's command. Thin: the store gathers, pelita-stats computes.

use pelita_analysis::{Analysis, AnalysisOverview, EffectFilter};
use pelita_core::reference::EmploymentStatus;
use pelita_core::training::Route;

use tauri::State;

use crate::{ApiError, AppState};

/// Descriptives and the effect of training for a year; `office_id` None = the actor's office
/// (the whole district for the HQ); `theme` and `route` narrow what counts as trained, `status`
/// whom (PNS, CPNS, PPPK).
#[tauri::command]
#[specta::specta]
pub fn analysis_overview(
    state: State<'_, AppState>,
    year: i32,
    office_id: Option<String>,
    theme: Option<String>,
    route: Option<Route>,
    status: Option<EmploymentStatus>,
) -> Result<AnalysisOverview, ApiError> {
    state.as_actor(|s, a| {
        s.analysis_overview(
            a,
            &EffectFilter {
                year,
                office_id,
                theme,
                route,
                status,
            },
        )
    })
}
