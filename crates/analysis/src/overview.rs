//! Everything the Analisis page shows for a year, in one call: JP against the 20 JP target per
//! office, participation and why people were absent, the predicate distribution per quarter,
//! the distribution of capaian, and the effect analysis.

use pelita_core::appraisal::distribution::PredicateCounts;
use pelita_core::appraisal::Period;
use pelita_core::auth::Actor;
use pelita_core::training::JpShare;
use pelita_stats::effect::EffectReport;
use serde::Serialize;
use specta::Type;

use crate::effect::counting_measures;
use crate::effect::EffectFilter;
use crate::participation::{ParticipationSlice, ParticipationSummary};
use pelita_store::TrainingEvaluation;
use pelita_store::{Result, Store};

#[derive(Debug, Clone, Serialize, Type)]
pub struct PredicateQuarter {
    /// The period's official label, e.g. "Triwulan I".
    pub period: String,
    pub counts: PredicateCounts,
}

/// Signed appraisals of the year by mean capaian (percent), in bins.
#[derive(Debug, Clone, Serialize, Type)]
pub struct CapaianBin {
    /// e.g. "90–99%"
    pub label: String,
    pub count: u32,
}

#[derive(Debug, Clone, Serialize, Type)]
pub struct AnalysisOverview {
    pub year: i32,
    pub jp_shares: Vec<JpShare>,
    pub participation: ParticipationSummary,
    pub breakdown: Vec<ParticipationSlice>,
    pub predicates: Vec<PredicateQuarter>,
    pub capaian: Vec<CapaianBin>,
    /// L1 means and L2 gains per training of the year (theme and route filters apply; L2 counts
    /// the participants in scope).
    pub evaluations: Vec<TrainingEvaluation>,
    pub effect: EffectReport,
}

const BINS: [(f64, &str); 6] = [
    (80.0, "< 80%"),
    (90.0, "80–89%"),
    (100.0, "90–99%"),
    (110.0, "100–109%"),
    (120.0, "110–119%"),
    (f64::INFINITY, "≥ 120%"),
];

pub(crate) fn analysis_overview(
    store: &mut Store,
    actor: &Actor,
    filter: &EffectFilter,
) -> Result<AnalysisOverview> {
    // The effect analysis checks the permission and the scope first.
    let effect = crate::effect::effect_analysis(store, actor, filter)?;
    let scope = pelita_core::auth::office_scope(
        actor,
        pelita_core::auth::Action::ViewAnalysis,
        filter.office_id.as_deref(),
    );
    let year = filter.year;
    let measures = counting_measures(
        store.connection(),
        year,
        scope.as_deref(),
        filter.status_label(),
    )?;
    let mut predicates = Vec::new();
    let mut bins = [0u32; BINS.len()];
    for period in [
        Period::TriwulanI,
        Period::TriwulanII,
        Period::TriwulanIII,
        Period::TriwulanIVAkhir,
    ] {
        let mut counts = PredicateCounts::default();
        for (predicate, m) in measures
            .iter()
            .filter(|((_, p), _)| p == period.label())
            .map(|(_, v)| v)
        {
            counts.add(*predicate);
            if let Some(c) = m.capaian {
                let pct = 100.0 * c;
                let bin = BINS.iter().position(|(upper, _)| pct < *upper).unwrap_or(0);
                bins[bin] += 1;
            }
        }
        predicates.push(PredicateQuarter {
            period: period.label().into(),
            counts,
        });
    }
    let evaluations = pelita_store::read::evaluations_by_training(
        store.connection(),
        year,
        (filter.theme.as_deref(), filter.route_label()),
        scope.as_deref(),
    )?;
    let jp_shares = store.jp_shares(actor, year)?;
    let (participation, breakdown) =
        crate::participation::participation_figures(store, actor, year, scope.as_deref())?;
    Ok(AnalysisOverview {
        year,
        jp_shares,
        participation,
        breakdown,
        predicates,
        capaian: BINS
            .iter()
            .zip(bins)
            .map(|((_, label), count)| CapaianBin {
                label: (*label).into(),
                count,
            })
            .collect(),
        evaluations,
        effect,
    })
}
