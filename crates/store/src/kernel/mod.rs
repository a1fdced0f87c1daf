//! The base every other folder stands on, importing nothing above it: the connection (PRAGMAs,
//! migrations, meta, the key a database opens with), the clock, the office list, a row as sync
//! carries it (`rows`), who may write what from this laptop (`scope`), the outbox, the audit log,
//! and `journal::record`, the one path by which a change of a synced row is written to both.
//! The atasan history lives here too because every write of an employee row, local or from the
//! hub, keeps it in step.

pub(crate) mod atasan;
pub mod attachments;
pub(crate) mod audit;
pub mod clock;
pub(crate) mod db;
pub(crate) mod journal;
pub(crate) mod offices;
pub(crate) mod outbox;
pub(crate) mod rows;
pub(crate) mod scope;
