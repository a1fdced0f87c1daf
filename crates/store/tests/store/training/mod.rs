mod certificates;
mod followups;
mod pppk;
mod training_files;
mod trainings;
