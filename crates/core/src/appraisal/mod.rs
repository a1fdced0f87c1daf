//! SKP appraisals (PermenPANRB 6/2022): the rules of a document — capaian, ratings, the
//! predicate matrix, BerAKHLAK (`rules`, re-exported here), the form as entered (`form`), the
//! organisation's result and the distribution of predicates it allows, and the spreadsheet format.

pub mod distribution;
pub mod form;
pub mod plan;
mod reference;
mod rules;
pub mod sheet;

pub use reference::*;
pub use rules::*;
