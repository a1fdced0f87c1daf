//! Opening a connection: per-connection PRAGMAs, numbered migrations in one transaction, refusal of
//! databases written by a newer Pelita.

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, OptionalExtension};

use crate::{Result, StoreError};

/// The migrations, numbered from 1; `PRAGMA user_version` records how many have been applied.
/// A shipped migration is never edited: add a new file instead.
pub const MIGRATIONS: &[(&str, &str)] = &[
    ("0001_init.sql", include_str!("../migrations/0001_init.sql")),
    (
        "0002_accounts_audit.sql",
        include_str!("../migrations/0002_accounts_audit.sql"),
    ),
];

pub(crate) const META_DATABASE_ID: &str = "database_id";
pub(crate) const META_OFFICE_ID: &str = "office_id";

/// Where the database lives unless `--db`/`PELITA_DB` says otherwise: the OS app-data folder, the
/// same one the desktop app uses (its identifier is `id.pelita.app`).
pub fn default_db_path() -> PathBuf {
    dirs::data_dir()
        .unwrap_or_else(|| PathBuf::from("."))
        .join("id.pelita.app")
        .join("pelita.sqlite")
}

pub(crate) fn open_connection(path: &Path) -> Result<Connection> {
    let mut conn = Connection::open(path)?;
    configure(&conn)?;
    migrate(&mut conn, MIGRATIONS)?;
    Ok(conn)
}

fn configure(conn: &Connection) -> Result<()> {
    conn.busy_timeout(Duration::from_secs(5))?;
    conn.pragma_update(None, "journal_mode", "WAL")?;
    // FULL: a committed write survives a power cut, which matters more here than write speed.
    conn.pragma_update(None, "synchronous", "FULL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    Ok(())
}

pub(crate) fn schema_version(conn: &Connection) -> Result<u32> {
    Ok(conn.pragma_query_value(None, "user_version", |r| r.get(0))?)
}

/// Applies the migrations not yet applied, all in one transaction, then seeds what every database
/// needs (its UUID, the offices). Refuses a database from a newer version.
pub(crate) fn migrate(conn: &mut Connection, migrations: &[(&str, &str)]) -> Result<()> {
    let current = schema_version(conn)?;
    let supported = migrations.len() as u32;
    if current > supported {
        return Err(StoreError::SchemaTooNew {
            found: current,
            supported,
        });
    }
    let tx = conn.transaction()?;
    for (name, sql) in &migrations[current as usize..] {
        tx.execute_batch(sql).map_err(|e| StoreError::Migration {
            migration: (*name).to_string(),
            reason: e.to_string(),
        })?;
    }
    tx.pragma_update(None, "user_version", supported)?;
    if current == 0 {
        seed(&tx)?;
    }
    tx.commit()?;
    Ok(())
}

fn seed(conn: &Connection) -> Result<()> {
    meta_set(conn, META_DATABASE_ID, &uuid::Uuid::new_v4().to_string())?;
    meta_set(conn, "created_at", &crate::outbox::now())?;
    for office in pelita_core::office::seed_offices() {
        crate::offices::insert_seed(conn, &office)?;
    }
    Ok(())
}

pub(crate) fn meta_get(conn: &Connection, key: &str) -> Result<Option<String>> {
    Ok(conn
        .query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))
        .optional()?)
}

pub(crate) fn meta_set(conn: &Connection, key: &str, value: &str) -> Result<()> {
    conn.execute(
        "INSERT INTO meta (key, value) VALUES (?1, ?2)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        [key, value],
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrations_are_numbered_in_order_without_gaps() {
        for (i, (name, sql)) in MIGRATIONS.iter().enumerate() {
            let prefix = format!("{:04}_", i + 1);
            assert!(
                name.starts_with(&prefix),
                "{name} should start with {prefix}"
            );
            assert!(name.ends_with(".sql"));
            assert!(!sql.trim().is_empty());
        }
        let on_disk = std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/migrations"))
            .unwrap()
            .count();
        assert_eq!(on_disk, MIGRATIONS.len(), "every migration file is listed");
    }

    #[test]
    fn fresh_database_gets_every_migration_and_pragmas() {
        let dir = tempfile::tempdir().unwrap();
        let conn = open_connection(&dir.path().join("a.sqlite")).unwrap();
        assert_eq!(schema_version(&conn).unwrap(), MIGRATIONS.len() as u32);
        let mode: String = conn
            .pragma_query_value(None, "journal_mode", |r| r.get(0))
            .unwrap();
        assert_eq!(mode, "wal");
        let fk: i64 = conn
            .pragma_query_value(None, "foreign_keys", |r| r.get(0))
            .unwrap();
        assert_eq!(fk, 1);
        let sync: i64 = conn
            .pragma_query_value(None, "synchronous", |r| r.get(0))
            .unwrap();
        assert_eq!(sync, 2, "synchronous=FULL");
        let check: String = conn
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))
            .unwrap();
        assert_eq!(check, "ok");
    }

    #[test]
    fn reopening_keeps_the_database_id() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.sqlite");
        let first = meta_get(&open_connection(&path).unwrap(), META_DATABASE_ID).unwrap();
        let second = meta_get(&open_connection(&path).unwrap(), META_DATABASE_ID).unwrap();
        assert!(first.is_some());
        assert_eq!(first, second);
    }

    #[test]
    fn newer_database_is_refused_with_a_clear_message() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.sqlite");
        drop(open_connection(&path).unwrap());
        let raw = Connection::open(&path).unwrap();
        raw.pragma_update(None, "user_version", 99).unwrap();
        drop(raw);
        let err = open_connection(&path).unwrap_err();
        assert_eq!(err.code(), "schema_too_new");
        assert!(
            err.to_string().contains("perbarui aplikasi Pelita"),
            "{err}"
        );
    }

    #[test]
    fn a_failing_migration_leaves_nothing_behind() {
        let mut conn = Connection::open_in_memory().unwrap();
        let broken = [
            MIGRATIONS[0],
            ("0002_broken.sql", "CREATE TABLE x (a); SELEC nonsense;"),
        ];
        let err = migrate(&mut conn, &broken).unwrap_err();
        assert_eq!(err.code(), "migration_failed");
        assert!(err.to_string().contains("0002_broken.sql"));
        assert_eq!(schema_version(&conn).unwrap(), 0);
        let tables: i64 = conn
            .query_row(
                "SELECT count(*) FROM sqlite_master WHERE type = 'table'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(tables, 0, "the first migration was rolled back too");
    }
}
