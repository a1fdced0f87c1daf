//! What the office asks of its data: the effect of training on performance (`effect`), the
//! overview charts, why participation is low, and the study's results. Reads only; to become its
//! own crate over the store and `pelita-stats` (issue #16).

pub(crate) mod effect;
pub(crate) mod overview;
pub(crate) mod participation;
pub(crate) mod survey_results;
