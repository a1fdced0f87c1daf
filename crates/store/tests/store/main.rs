//! The store's tests, one binary, in folders that follow `src/`.

mod common;

mod analysis;
mod appraisal;
mod register;
mod security;
mod survey;
mod training;
