//! The SQLite hub's data at rest: with a key (`--db-key-file`, `PELITA_HUB_DB_KEY`) the file is
//! SQLCipher-encrypted — the sqlite3 shell reads nothing, the names in it are nowhere in its bytes,
//! and the hub itself opens it only with that key; a hub that ran without a key is copied
//! encrypted (`pelita-hub db encrypt`).

use std::path::Path;
use std::process::{Command, Output};

const KEY: &str = "9f2c4e7a1b3d5f60718293a4b5c6d7e8f90123456789abcdef0123456789abcd";
const OTHER: &str = "0000000000000000000000000000000000000000000000000000000000000001";

fn hub(db: &Path, key: Option<&Path>, args: &[&str]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_pelita-hub"));
    cmd.arg("--db").arg(db);
    if let Some(key) = key {
        cmd.arg("--db-key-file").arg(key);
    }
    cmd.args(args)
        .env_remove("PELITA_HUB_DB")
        .env_remove("PELITA_HUB_DB_KEY")
        .env_remove("PELITA_HUB_DB_KEY_FILE")
        .env_remove("PELITA_HUB_DATABASE_URL")
        .output()
        .unwrap()
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn key_file(dir: &Path, name: &str, key: &str) -> std::path::PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, format!("{key}\n")).unwrap();
    path
}

/// Adds an office whose name the tests look for in the file's bytes.
fn add_office(db: &Path, key: Option<&Path>) {
    let out = hub(
        db,
        key,
        &[
            "office",
            "add",
            "--code",
            "BARU",
            "--name",
            "Kelurahan Rahasia",
        ],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
}

/// Whether the sqlite3 shell reads the hub's offices from `db`.
fn shell_reads(db: &Path) -> bool {
    Command::new("sqlite3")
        .arg(db)
        .arg("SELECT count(*) FROM office")
        .output()
        .expect("the sqlite3 shell (make deps installs it)")
        .status
        .success()
}

fn bytes_hold(db: &Path, needle: &[u8]) -> bool {
    ["", "-wal"].iter().any(|suffix| {
        std::fs::read(format!("{}{suffix}", db.display()))
            .is_ok_and(|b| b.windows(needle.len()).any(|w| w == needle))
    })
}

#[test]
fn a_hub_database_with_a_key_is_unreadable_without_it() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("hub.sqlite");
    let key = key_file(dir.path(), "hub.key", KEY);
    add_office(&db, Some(&key));

    assert!(!shell_reads(&db), "the sqlite3 shell must not read it");
    assert!(!bytes_hold(&db, b"Kelurahan Rahasia"));

    let out = hub(&db, None, &["office", "list"]);
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("terenkripsi"),
        "{}",
        text(&out.stderr)
    );

    let wrong = key_file(dir.path(), "other.key", OTHER);
    let out = hub(&db, Some(&wrong), &["office", "list"]);
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("kunci ini"),
        "{}",
        text(&out.stderr)
    );

    let short = key_file(dir.path(), "short.key", "rahasia");
    let out = hub(&db, Some(&short), &["office", "list"]);
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("64 digit"),
        "{}",
        text(&out.stderr)
    );

    let out = hub(&db, Some(&key), &["office", "list"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("Kelurahan Rahasia"));

    // A key variable set but blank (a secret lookup that failed) is refused, not taken as "no key".
    let out = Command::new(env!("CARGO_BIN_EXE_pelita-hub"))
        .arg("--db")
        .arg(dir.path().join("new.sqlite"))
        .args(["office", "list"])
        .env("PELITA_HUB_DB_KEY", " ")
        .env_remove("PELITA_HUB_DB_KEY_FILE")
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("64 digit"),
        "{}",
        text(&out.stderr)
    );
    assert!(!dir.path().join("new.sqlite").exists());
}

#[test]
fn a_hub_that_ran_without_a_key_is_copied_encrypted() {
    let dir = tempfile::tempdir().unwrap();
    let plain = dir.path().join("hub.sqlite");
    let encrypted = dir.path().join("hub-enc.sqlite");
    let key = key_file(dir.path(), "hub.key", KEY);
    add_office(&plain, None);
    assert!(shell_reads(&plain));

    let to = encrypted.to_str().unwrap();
    let out = hub(&plain, None, &["db", "encrypt", "--to", to]);
    assert!(!out.status.success(), "a copy needs a key");
    // A hub file that is not there is not copied (as an empty hub someone might then serve).
    let missing = dir.path().join("elsewhere.sqlite");
    let out = hub(&missing, Some(&key), &["db", "encrypt", "--to", to]);
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("tidak ada"),
        "{}",
        text(&out.stderr)
    );
    assert!(!missing.exists() && !encrypted.exists());
    let out = hub(&plain, Some(&key), &["db", "encrypt", "--to", to]);
    assert!(out.status.success(), "{}", text(&out.stderr));

    assert!(!shell_reads(&encrypted));
    assert!(!bytes_hold(&encrypted, b"Kelurahan Rahasia"));
    let out = hub(&encrypted, Some(&key), &["office", "list"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("Kelurahan Rahasia"));
    // The copy is the same hub: its schema is current (nothing migrated twice), it serves on.
    let out = hub(
        &encrypted,
        Some(&key),
        &["device", "enroll", "--office", "BARU"],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));

    let out = hub(&plain, Some(&key), &["db", "encrypt", "--to", to]);
    assert!(
        !out.status.success(),
        "an existing file is never overwritten"
    );
    assert!(
        text(&out.stderr).contains("sudah ada"),
        "{}",
        text(&out.stderr)
    );
}
