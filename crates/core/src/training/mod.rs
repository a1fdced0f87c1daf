//! Trainings: the LAN routes and methods, JP and the 20 JP rule, attendance and completion
//! (`rules`, re-exported here), the learning objectives and their L3 follow-up (`application`),
//! and the training spreadsheets (`sheet`).

pub mod application;
mod rules;
pub mod sheet;

pub use rules::*;
