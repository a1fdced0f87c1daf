//! What the government asked of the records: the effect of training and development on ASN
//! performance (`effect`: who counts as trained, the appraisals before and after, the controls;
//! the statistics are `pelita-stats`'), the Analisis page's overview (`overview`), why
//! participation is low (`participation`), and the questionnaire study's results
//! (`survey_results`). Each is a method of [`Analysis`], implemented for the office's
//! [`Store`], so a caller writes `store.effect_analysis(actor, filter)` as before.
//!
//! Limits: reads only — nothing here writes a row; permissions are the store's `authorize` and
//! `core::auth::office_scope`, the same as every other view.

mod effect;
mod overview;
mod participation;
mod survey_results;

use std::path::Path;

use pelita_core::auth::Actor;
use pelita_stats::effect::{EffectReport, Person};
use pelita_store::{Result, Store};

pub use effect::EffectFilter;
pub use overview::{AnalysisOverview, CapaianBin, PredicateQuarter};
pub use participation::{ParticipationSlice, ParticipationSummary, ReasonCount};
pub use survey_results::{ResultOptions, ResultTable, SurveyResults};

/// The analyses of an office's records (see the crate's documentation).
pub trait Analysis {
    /// One line per active employee in scope, ready for [`pelita_stats::effect::analyze`].
    fn effect_people(&mut self, actor: &Actor, filter: &EffectFilter) -> Result<Vec<Person>>;
    /// The effect of training on performance for the filter (see `pelita_stats::effect`).
    fn effect_analysis(&mut self, actor: &Actor, filter: &EffectFilter) -> Result<EffectReport>;
    /// Everything the Analisis page shows, from one call.
    fn analysis_overview(
        &mut self,
        actor: &Actor,
        filter: &EffectFilter,
    ) -> Result<AnalysisOverview>;
    /// Attendance and absence reasons over the trainings that start in `year`, for the actor's
    /// office (an Admin Kecamatan: `office_id`, or the whole district). Cancelled trainings and
    /// withdrawn participants count nothing.
    fn participation_summary(
        &mut self,
        actor: &Actor,
        year: i32,
        office_id: Option<&str>,
    ) -> Result<ParticipationSummary>;
    /// Enrolment and attendance over the trainings starting in `year`, by the participant's
    /// office, by theme and by route — where participation is low, and in what.
    fn participation_breakdown(
        &mut self,
        actor: &Actor,
        year: i32,
    ) -> Result<Vec<ParticipationSlice>>;
    /// The sheets as the table `pelita analyze survey` reads (header: item codes).
    fn survey_answer_table(
        &mut self,
        actor: &Actor,
        instrument_id: &str,
        office_id: Option<&str>,
    ) -> Result<Vec<Vec<String>>>;
    /// The study's report from the sheets in scope.
    fn survey_results(
        &mut self,
        actor: &Actor,
        instrument_id: &str,
        options: &ResultOptions,
    ) -> Result<SurveyResults>;
    /// Writes every table of the results, one under another, to an `.xlsx` report.
    fn export_survey_results(
        &mut self,
        actor: &Actor,
        instrument_id: &str,
        options: &ResultOptions,
        path: &Path,
    ) -> Result<u32>;
}

impl Analysis for Store {
    fn effect_people(&mut self, actor: &Actor, filter: &EffectFilter) -> Result<Vec<Person>> {
        effect::effect_people(self, actor, filter)
    }

    fn effect_analysis(&mut self, actor: &Actor, filter: &EffectFilter) -> Result<EffectReport> {
        effect::effect_analysis(self, actor, filter)
    }

    fn analysis_overview(
        &mut self,
        actor: &Actor,
        filter: &EffectFilter,
    ) -> Result<AnalysisOverview> {
        overview::analysis_overview(self, actor, filter)
    }

    fn participation_summary(
        &mut self,
        actor: &Actor,
        year: i32,
        office_id: Option<&str>,
    ) -> Result<ParticipationSummary> {
        participation::participation_summary(self, actor, year, office_id)
    }

    fn participation_breakdown(
        &mut self,
        actor: &Actor,
        year: i32,
    ) -> Result<Vec<ParticipationSlice>> {
        participation::participation_breakdown(self, actor, year)
    }

    fn survey_answer_table(
        &mut self,
        actor: &Actor,
        instrument_id: &str,
        office_id: Option<&str>,
    ) -> Result<Vec<Vec<String>>> {
        survey_results::survey_answer_table(self, actor, instrument_id, office_id)
    }

    fn survey_results(
        &mut self,
        actor: &Actor,
        instrument_id: &str,
        options: &ResultOptions,
    ) -> Result<SurveyResults> {
        survey_results::survey_results(self, actor, instrument_id, options)
    }

    fn export_survey_results(
        &mut self,
        actor: &Actor,
        instrument_id: &str,
        options: &ResultOptions,
        path: &Path,
    ) -> Result<u32> {
        survey_results::export_survey_results(self, actor, instrument_id, options, path)
    }
}
