mod appraisal_files;
mod appraisals;
mod org_result;
mod plan_dialog;
mod plans;
mod realisasi;
