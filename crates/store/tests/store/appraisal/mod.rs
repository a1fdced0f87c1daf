mod appraisal_files;
mod appraisals;
mod org_result;
mod plans;
