//! Trainings and their record: the catalogue and sessions (`trainings`, `rows`), enrolment and
//! the waiting list, attendance and JP, the L1 questionnaire and follow-ups (`evaluations`), and
//! the spreadsheet exchange of attendance and questionnaires.

pub(crate) mod attendance;
pub(crate) mod certificates;
pub(crate) mod enrolment;
pub(crate) mod evaluations;
pub(crate) mod exchange;
pub(crate) mod followups;
pub(crate) mod rows;
pub(crate) mod trainings;
