mod appraisal_files;
mod appraisals;
