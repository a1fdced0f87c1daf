//! Sync with the hub (DESIGN §5): a round of push and pull (`run`), the conflicts a person
//! decides, the changes the hub refused, and sync by USB bundle when there is no link.

pub mod blobs;
pub(crate) mod conflicts;
pub(crate) mod offline;
pub(crate) mod refusals;
pub(crate) mod run;
