//! Everything the appraisal form offers, with the official labels.

use serde::Serialize;
use specta::Type;

use super::distribution::OrgResult;
use super::rules::{Aspect, CoreValue, Period, Rating};

/// Everything the appraisal form offers, with the official labels.
#[derive(Debug, Clone, Serialize, Type)]
pub struct AppraisalReference {
    pub periods: Vec<Period>,
    pub ratings: Vec<Rating>,
    pub aspects: Vec<Aspect>,
    pub values: Vec<CoreValueGuide>,
    pub org_results: Vec<OrgResult>,
}

#[derive(Debug, Clone, Serialize, Type)]
pub struct CoreValueGuide {
    pub value: CoreValue,
    pub guides: Vec<String>,
}

pub fn appraisal_reference() -> AppraisalReference {
    AppraisalReference {
        periods: Period::ALL.to_vec(),
        ratings: Rating::ALL.to_vec(),
        aspects: vec![
            Aspect::Kuantitas,
            Aspect::Kualitas,
            Aspect::Waktu,
            Aspect::Biaya,
        ],
        org_results: OrgResult::ALL.to_vec(),
        values: CoreValue::ALL
            .into_iter()
            .map(|value| CoreValueGuide {
                value,
                guides: value.guides().iter().map(|g| (*g).to_string()).collect(),
            })
            .collect(),
    }
}
