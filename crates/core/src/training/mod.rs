//! Trainings: the LAN routes and methods, JP and the 20 JP rule, attendance and completion
//! (`rules`, re-exported here), and the training spreadsheets (`sheet`).

mod rules;
pub mod sheet;

pub use rules::*;
