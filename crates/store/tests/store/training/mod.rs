mod certificates;
mod pppk;
mod training_files;
mod trainings;
