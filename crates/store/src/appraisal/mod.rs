//! SKP appraisals (PermenPANRB 6/2022): the document and its period (`period`), reading and
//! writing rows, the appraisal workflow (`appraisals`), who appraises whom (`penilai`), the
//! office recap and the organisation's result the Camat sets (`org_result`), the Rencana SKP and
//! its realisasi with bukti dukung (`plans`, `plan_writes`, `plan_views`, `plan_dialog`,
//! `realisasi`), and the spreadsheet exchange.

pub(crate) mod appraisals;
pub(crate) mod exchange;
pub(crate) mod org_result;
pub(crate) mod penilai;
pub(crate) mod period;
pub(crate) mod plan_dialog;
pub(crate) mod plan_views;
pub(crate) mod plan_writes;
pub(crate) mod plans;
pub(crate) mod realisasi;
pub(crate) mod recap;
pub(crate) mod rows;
