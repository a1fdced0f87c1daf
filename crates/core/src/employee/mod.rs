//! The employee record: its rules (`rules`, re-exported here) and the register spreadsheet
//! (`sheet`: columns, reading rows with row-and-column errors, writing them back).

mod rules;
pub mod sheet;

pub use rules::*;
