//! The study questionnaire (kuesioner penelitian): its instrument and the answers entered from
//! paper sheets.

pub(crate) mod instrument;
