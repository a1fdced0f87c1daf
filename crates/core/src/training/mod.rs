//! Trainings: the LAN routes and methods, JP and the 20 JP rule, attendance and completion
//! (`rules`, re-exported here), the learning objectives and their L3 follow-up (`application`),
//! the training spreadsheets (`sheet`), and SIASN's jenis diklat the LAN routes report as (`siasn`).

pub mod application;
mod rules;
pub mod sheet;
pub mod siasn;

pub use rules::*;
