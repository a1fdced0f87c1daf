//! Host package for Pelita's cross-crate end-to-end tests (see `tests/`). It has no code of its own.
