mod training_files;
mod trainings;
