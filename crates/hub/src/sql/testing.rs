//! The hub's store tests run on every database the machine offers: SQLite always, PostgreSQL
//! when `make test` started a server (`local::TEST_POSTGRES_ENV`).

use std::path::Path;

use crate::db::{Backend, Sql};
use crate::store::{HubStore, Result};
use crate::{PgHub, SqliteHub};

pub(crate) enum TestHub {
    Sqlite(SqliteHub),
    Postgres(PgHub),
}

impl TestHub {
    pub(crate) fn store(&self) -> &dyn HubStore {
        match self {
            TestHub::Sqlite(h) => h,
            TestHub::Postgres(h) => h,
        }
    }

    /// Runs `f` in a write transaction of the hub's database (for rows a test plants).
    pub(crate) fn write<T>(&self, f: impl FnOnce(&dyn Sql) -> Result<T>) -> Result<T> {
        match self {
            TestHub::Sqlite(h) => h.db.write(f),
            TestHub::Postgres(h) => h.db.write(f),
        }
    }

    pub(crate) fn read<T>(&self, f: impl FnOnce(&dyn Sql) -> Result<T>) -> Result<T> {
        match self {
            TestHub::Sqlite(h) => h.db.read(f),
            TestHub::Postgres(h) => h.db.read(f),
        }
    }
}

/// Runs `test` on a new hub in each database: a file in `dir`, and a new database on the test
/// PostgreSQL server when there is one.
pub(crate) fn each_hub(dir: &Path, test: impl Fn(&TestHub)) {
    let file = dir.join("hub.sqlite");
    test(&TestHub::Sqlite(SqliteHub::open(&file).unwrap()));
    if let Some(url) = crate::local::test_postgres(&file) {
        test(&TestHub::Postgres(PgHub::connect(&url).unwrap()));
    }
}
