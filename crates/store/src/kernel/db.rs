//! Opening a connection: per-connection PRAGMAs, numbered migrations in one transaction, refusal of
//! databases written by a newer Pelita.

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, OptionalExtension};

use zeroize::Zeroizing;

use crate::{Result, StoreError};

/// The migrations, numbered from 1; `PRAGMA user_version` records how many have been applied.
/// A shipped migration is never edited: add a new file instead.
pub const MIGRATIONS: &[(&str, &str)] = &[
    (
        "0001_init.sql",
        include_str!("../../migrations/0001_init.sql"),
    ),
    (
        "0002_accounts_audit.sql",
        include_str!("../../migrations/0002_accounts_audit.sql"),
    ),
    (
        "0003_key_slots.sql",
        include_str!("../../migrations/0003_key_slots.sql"),
    ),
    (
        "0004_appraisals.sql",
        include_str!("../../migrations/0004_appraisals.sql"),
    ),
    (
        "0005_trainings.sql",
        include_str!("../../migrations/0005_trainings.sql"),
    ),
    (
        "0006_sync.sql",
        include_str!("../../migrations/0006_sync.sql"),
    ),
    (
        "0007_link_sizes.sql",
        include_str!("../../migrations/0007_link_sizes.sql"),
    ),
    (
        "0008_analysis_indexes.sql",
        include_str!("../../migrations/0008_analysis_indexes.sql"),
    ),
    (
        "0009_survey.sql",
        include_str!("../../migrations/0009_survey.sql"),
    ),
    (
        "0010_sync_trust.sql",
        include_str!("../../migrations/0010_sync_trust.sql"),
    ),
    (
        "0011_hub_row_override.sql",
        include_str!("../../migrations/0011_hub_row_override.sql"),
    ),
    (
        "0012_atasan_log.sql",
        include_str!("../../migrations/0012_atasan_log.sql"),
    ),
    (
        "0013_mutasi.sql",
        include_str!("../../migrations/0013_mutasi.sql"),
    ),
    (
        "0014_org_result_penetapan.sql",
        include_str!("../../migrations/0014_org_result_penetapan.sql"),
    ),
    (
        "0015_training_method.sql",
        include_str!("../../migrations/0015_training_method.sql"),
    ),
    (
        "0016_skp_plan.sql",
        include_str!("../../migrations/0016_skp_plan.sql"),
    ),
    (
        "0017_pppk_contract.sql",
        include_str!("../../migrations/0017_pppk_contract.sql"),
    ),
    (
        "0018_skp_dialog.sql",
        include_str!("../../migrations/0018_skp_dialog.sql"),
    ),
    (
        "0019_realisasi_attachment.sql",
        include_str!("../../migrations/0019_realisasi_attachment.sql"),
    ),
    (
        "0020_l3_objectives.sql",
        include_str!("../../migrations/0020_l3_objectives.sql"),
    ),
];

pub(crate) const META_DATABASE_ID: &str = "database_id";
pub(crate) const META_OFFICE_ID: &str = "office_id";
/// The last failed sign-in from the key file already written to the audit log.
pub(crate) const META_FLUSHED_FAILURES: &str = "keyring_flushed_seq";
/// How many times this database was restored from a backup; sync re-baselines when it changes.
pub(crate) const META_RESTORE_GENERATION: &str = "restore_generation";
/// Set by a restore: the next sync must fetch a fresh baseline instead of replaying the outbox.
pub(crate) const META_SYNC_REBASELINE: &str = "sync_rebaseline";
/// This physical copy of the database (random, drawn again by a restore or a re-enrolment): the
/// prefix of its mutation ids after the database id.
pub(crate) const META_COPY_ID: &str = "copy_id";
/// A demo database ("muat data contoh"): it holds every office's rows and never syncs.
pub(crate) const META_DEMO: &str = "demo";

/// A new random copy id (48 bits: two copies of one backup never draw the same).
pub(crate) fn new_copy_id(conn: &Connection) -> Result<()> {
    conn.execute(
        "INSERT INTO meta (key, value) VALUES (?1, lower(hex(randomblob(6))))
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        [META_COPY_ID],
    )?;
    Ok(())
}

/// Where the database lives unless `--db`/`PELITA_DB` says otherwise: the OS app-data folder, the
/// same one the desktop app uses (its identifier is `id.pelita.app`).
pub fn default_db_path() -> PathBuf {
    dirs::data_dir()
        .unwrap_or_else(|| PathBuf::from("."))
        .join("id.pelita.app")
        .join("pelita.sqlite")
}

/// Opens the encrypted database at `path` with `key`, checks the key fits, then migrates.
pub(crate) fn open_connection(path: &Path, key: &DbKey) -> Result<Connection> {
    let mut conn = Connection::open(path)?;
    apply_key(&conn, key)?;
    // SQLCipher only notices a wrong key (or a damaged file) on the first read.
    conn.query_row("SELECT count(*) FROM sqlite_master", [], |_| Ok(()))
        .map_err(|e| match e.sqlite_error_code() {
            Some(rusqlite::ErrorCode::NotADatabase) => {
                StoreError::Unreadable(path.display().to_string())
            }
            _ => e.into(),
        })?;
    configure(&conn)?;
    migrate(&mut conn, MIGRATIONS)?;
    Ok(conn)
}

/// Gives SQLCipher the raw 256-bit key (no passphrase derivation: the key is already random).
pub(crate) fn apply_key(conn: &Connection, key: &DbKey) -> Result<()> {
    let hex_key = Zeroizing::new(hex::encode(key.as_ref()));
    let pragma = Zeroizing::new(format!("PRAGMA key = \"x'{}'\";", hex_key.as_str()));
    conn.execute_batch(&pragma)?;
    Ok(())
}

fn configure(conn: &Connection) -> Result<()> {
    conn.busy_timeout(Duration::from_secs(5))?;
    conn.pragma_update(None, "journal_mode", "WAL")?;
    // FULL: a committed write survives a power cut, which matters more here than write speed.
    conn.pragma_update(None, "synchronous", "FULL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    // Every page read from disk is decrypted and authenticated (SQLCipher): a larger cache spares
    // the district-wide analysis most of that work (`make bench-analysis`). 32 MiB at most.
    conn.pragma_update(None, "cache_size", -32 * 1024)?;
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
    meta_set(conn, "created_at", &crate::kernel::clock::now())?;
    for office in pelita_core::office::seed_offices() {
        crate::kernel::offices::insert_seed(conn, &office)?;
    }
    for theme in pelita_core::training::DEFAULT_THEMES {
        conn.execute("INSERT INTO training_theme (name) VALUES (?1)", [theme])?;
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

/// The database key. Zeroed when dropped.
pub(crate) type DbKey = Zeroizing<[u8; 32]>;

pub(crate) fn new_db_key() -> DbKey {
    use chacha20poly1305::aead::rand_core::RngCore;
    let mut key = Zeroizing::new([0u8; 32]);
    chacha20poly1305::aead::OsRng.fill_bytes(key.as_mut());
    key
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key() -> DbKey {
        crate::kernel::db::new_db_key()
    }

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
        let conn = open_connection(&dir.path().join("a.sqlite"), &key()).unwrap();
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
        let key = key();
        let first = meta_get(&open_connection(&path, &key).unwrap(), META_DATABASE_ID).unwrap();
        let second = meta_get(&open_connection(&path, &key).unwrap(), META_DATABASE_ID).unwrap();
        assert!(first.is_some());
        assert_eq!(first, second);
    }

    #[test]
    fn newer_database_is_refused_with_a_clear_message() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.sqlite");
        let key = key();
        drop(open_connection(&path, &key).unwrap());
        let raw = Connection::open(&path).unwrap();
        apply_key(&raw, &key).unwrap();
        raw.pragma_update(None, "user_version", 99).unwrap();
        drop(raw);
        let err = open_connection(&path, &key).unwrap_err();
        assert_eq!(err.code().to_string(), "schema_too_new");
        assert!(
            err.to_string().contains("perbarui aplikasi Pelita"),
            "{err}"
        );
    }

    #[test]
    fn the_file_is_encrypted_and_a_wrong_key_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.sqlite");
        let key = key();
        drop(open_connection(&path, &key).unwrap());
        let head = std::fs::read(&path).unwrap();
        assert!(head.len() > 1024);
        assert_ne!(&head[..16], b"SQLite format 3\0");
        let err = open_connection(&path, &crate::kernel::db::new_db_key()).unwrap_err();
        assert_eq!(err.code().to_string(), "database_unreadable");
        let plain = Connection::open(&path).unwrap();
        assert!(plain
            .query_row("SELECT count(*) FROM sqlite_master", [], |r| r
                .get::<_, i64>(0))
            .is_err());
    }

    #[test]
    fn a_failing_migration_leaves_nothing_behind() {
        let mut conn = Connection::open_in_memory().unwrap();
        let broken = [
            MIGRATIONS[0],
            ("0002_broken.sql", "CREATE TABLE x (a); SELEC nonsense;"),
        ];
        let err = migrate(&mut conn, &broken).unwrap_err();
        assert_eq!(err.code().to_string(), "migration_failed");
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
