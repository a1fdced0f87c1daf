//! Encryption at rest, key slots, and encrypted backups, on real files.

use chrono::{Duration, Utc};
use pelita_core::auth::Role;
use pelita_store::{EmployeeQuery, NewUser, Store};

const PW: &str = "Lampu-Marelan-2026";
const OP_PW: &str = "Kata-Sandi-Kuat-9";

fn with_operator() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let (mut store, admin) = crate::common::create(dir.path(), "TERJUN", true, PW);
    let user = NewUser {
        username: "operator1".into(),
        full_name: "Operator Satu".into(),
        roles: vec![Role::Operator],
        office_code: None,
        employee_nip: None,
        password: OP_PW.into(),
    };
    store.add_user(&admin, &user).unwrap();
    (dir, store)
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack
        .windows(needle.len())
        .any(|w| w == needle.as_bytes())
}

/// Every file Pelita keeps for this database (main file, write-ahead log, key file).
fn files_on_disk(store: &Store) -> Vec<Vec<u8>> {
    let dir = store.path().parent().unwrap();
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| std::fs::read(e.unwrap().path()).unwrap_or_default())
        .collect()
}

#[test]
fn nothing_on_disk_is_readable_without_a_password() {
    let (_dir, mut store) = with_operator();
    let admin = store.login("admin", PW).unwrap();
    let someone = store
        .list_employees(&admin, &EmployeeQuery::default())
        .unwrap()
        .remove(0);
    let bytes = std::fs::read(store.path()).unwrap();
    assert_ne!(&bytes[..16], b"SQLite format 3\0");
    for file in files_on_disk(&store) {
        assert!(!contains(&file, &someone.nip), "a NIP in the clear");
        assert!(!contains(&file, &someone.name), "a name in the clear");
        assert!(!contains(&file, "Operator Satu"));
    }
    // The sqlite3 shell (installed by `make deps`) cannot read it either.
    let out = std::process::Command::new("sqlite3")
        .arg(store.path())
        .arg("SELECT count(*) FROM employee;")
        .output()
        .expect("the sqlite3 program is installed by `make deps`");
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("file is not a database"), "{err}");
}

#[test]
fn the_right_password_opens_it_and_still_does_after_a_change() {
    let (dir, store) = with_operator();
    let path = store.path().to_path_buf();
    drop(store);
    let err = Store::unlock(&path, "operator1", "Salah-Sekali-77")
        .err()
        .unwrap();
    assert_eq!(err.to_string(), "nama pengguna atau kata sandi salah");
    let (mut store, operator) = Store::unlock(&path, "operator1", OP_PW).unwrap();
    assert!(store.info().unwrap().employee_count > 40);

    let keys_before = std::fs::read_to_string(store.key_file_path()).unwrap();
    store
        .change_password(&operator, OP_PW, "Sandi-Baru-Sekali-2")
        .unwrap();
    let keys_after = std::fs::read_to_string(store.key_file_path()).unwrap();
    drop(store);
    // Only the operator's slot was rewrapped: the admin's is byte for byte the same.
    let admin_slot = |text: &str| {
        let v: serde_json::Value = serde_json::from_str(text).unwrap();
        v["slots"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["username"] == "admin")
            .unwrap()
            .clone()
    };
    assert_eq!(admin_slot(&keys_before), admin_slot(&keys_after));
    assert_ne!(keys_before, keys_after);

    assert!(Store::unlock(&path, "operator1", OP_PW).is_err());
    assert!(Store::unlock(&path, "operator1", "Sandi-Baru-Sekali-2").is_ok());
    assert!(Store::unlock(&path, "admin", PW).is_ok());
    drop(dir);
}

#[test]
fn a_disabled_account_can_no_longer_unwrap_the_key() {
    let (_dir, mut store) = with_operator();
    let admin = store.login("admin", PW).unwrap();
    store.disable_user(&admin, "operator1").unwrap();
    let keys = std::fs::read_to_string(store.key_file_path()).unwrap();
    assert!(!keys.contains("operator1"));
    let path = store.path().to_path_buf();
    drop(store);
    assert_eq!(
        Store::unlock(&path, "operator1", OP_PW)
            .err()
            .unwrap()
            .code(),
        pelita_store::ErrorCode::LoginFailed
    );
}

#[test]
fn failures_while_closed_lock_the_account_and_are_logged_once() {
    let (_dir, store) = with_operator();
    let path = store.path().to_path_buf();
    drop(store);
    let t0 = Utc::now();
    for _ in 0..5 {
        let err = Store::unlock_at(&path, "operator1", "Salah-Sekali-77", t0)
            .err()
            .unwrap();
        assert_eq!(err.code().to_string(), "login_failed");
    }
    let locked = Store::unlock_at(&path, "operator1", OP_PW, t0 + Duration::seconds(5))
        .err()
        .unwrap();
    assert_eq!(locked.code().to_string(), "account_locked");
    let (store, _) =
        Store::unlock_at(&path, "operator1", OP_PW, t0 + Duration::seconds(31)).unwrap();
    let failed = |store: &Store| {
        store
            .audit_entries()
            .unwrap()
            .into_iter()
            .filter(|e| e.action == "failed_login" && e.actor == "operator1")
            .map(|e| e.detail)
            .collect::<Vec<_>>()
    };
    let mut expected = vec!["login_failed"; 5];
    expected.push("account_locked");
    assert_eq!(failed(&store), expected);
    assert_eq!(store.verify_audit().unwrap().first_broken, None);
    drop(store);
    let (store, _) = Store::unlock(&path, "admin", PW).unwrap();
    assert_eq!(failed(&store).len(), 6, "nothing is logged twice");
}

#[test]
fn backup_and_restore_bring_back_the_saved_state_and_mark_it() {
    let (dir, mut store) = with_operator();
    let admin = store.login("admin", PW).unwrap();
    let backup = dir.path().join("cadangan.pelita");
    let report = store.backup(&admin, &backup).unwrap();
    let before = store.info().unwrap();
    assert_eq!(report.database_id, before.database_id);

    let file = std::fs::read(&backup).unwrap();
    assert!(!contains(&file, "Operator Satu"));
    assert!(!contains(&file, "SQLite format 3"));

    store
        .create_employee(
            &admin,
            &crate::common::new_employee(&before.office.clone().unwrap().id),
        )
        .unwrap();
    assert_eq!(
        store.info().unwrap().employee_count,
        before.employee_count + 1
    );

    let restored = store.restore(&admin, &backup).unwrap();
    assert_eq!(restored.restore_generation, 1);
    let replaced = restored.replaced_file.expect("the old file is kept");
    assert!(std::path::Path::new(&replaced).exists());
    let after = store.info().unwrap();
    assert_eq!(after.employee_count, before.employee_count);
    assert_eq!(after.database_id, before.database_id);
    assert_eq!(after.restore_generation, 1);
    let rebaseline: String = store
        .connection()
        .query_row(
            "SELECT value FROM meta WHERE key = 'sync_rebaseline'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(rebaseline, "1");
    let last = store.audit_entries().unwrap().pop().unwrap();
    assert_eq!(
        (last.action.as_str(), last.actor.as_str()),
        ("restore", "admin")
    );
    assert_eq!(store.verify_audit().unwrap().first_broken, None);

    // A second restore raises the generation again; passwords are still today's.
    assert_eq!(
        store.restore(&admin, &backup).unwrap().restore_generation,
        2
    );
    let path = store.path().to_path_buf();
    drop(store);
    assert!(Store::unlock(&path, "operator1", OP_PW).is_ok());
}

#[test]
fn foreign_corrupt_and_strange_files_are_refused_and_change_nothing() {
    let (dir, mut store) = with_operator();
    let admin = store.login("admin", PW).unwrap();
    let good = dir.path().join("cadangan.pelita");
    store.backup(&admin, &good).unwrap();
    let count = store.info().unwrap().employee_count;

    let other_dir = tempfile::tempdir().unwrap();
    let (mut other, other_admin) = crate::common::create(other_dir.path(), "TERJUN", true, PW);
    let foreign = dir.path().join("lain.pelita");
    other.backup(&other_admin, &foreign).unwrap();

    let bytes = std::fs::read(&good).unwrap();
    let mut flipped = bytes.clone();
    let at = flipped.len() - 100;
    flipped[at] ^= 0x40;
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("rusak.pelita", flipped, "berkas rusak atau terpotong"),
        (
            "potong.pelita",
            bytes[..bytes.len() / 2].to_vec(),
            "berkas rusak atau terpotong",
        ),
        (
            "foto.jpg",
            b"\xff\xd8\xff\xe0 bukan cadangan".to_vec(),
            "bukan berkas cadangan Pelita",
        ),
        ("kosong.pelita", Vec::new(), "bukan berkas cadangan Pelita"),
    ];
    for (name, content, message) in cases {
        let path = dir.path().join(name);
        std::fs::write(&path, content).unwrap();
        let err = store.restore(&admin, &path).unwrap_err();
        assert_eq!(err.code().to_string(), "backup_invalid", "{name}");
        assert!(err.to_string().contains(message), "{name}: {err}");
        assert!(err.to_string().contains(name), "names the file: {err}");
    }
    let err = store.restore(&admin, &foreign).unwrap_err();
    assert!(err.to_string().contains("milik basis data lain"), "{err}");
    assert_eq!(store.info().unwrap().employee_count, count);
    assert_eq!(store.info().unwrap().restore_generation, 0);
}

#[test]
fn a_new_laptop_restores_with_an_admin_password_only() {
    let (dir, mut store) = with_operator();
    let admin = store.login("admin", PW).unwrap();
    let backup = dir.path().join("cadangan.pelita");
    store.backup(&admin, &backup).unwrap();
    let id = store.info().unwrap().database_id;

    let new_laptop = dir.path().join("baru").join("pelita.sqlite");
    std::fs::create_dir_all(new_laptop.parent().unwrap()).unwrap();
    let err = Store::restore_new(&new_laptop, &backup, "operator1", OP_PW)
        .err()
        .unwrap();
    assert_eq!(err.code().to_string(), "permission_denied");
    assert!(!new_laptop.exists());
    assert!(!Store::status(&new_laptop).unwrap().set_up);
    let err = Store::restore_new(&new_laptop, &backup, "admin", "Salah-Sekali-77")
        .err()
        .unwrap();
    assert_eq!(err.code().to_string(), "login_failed");

    let (restored, actor) = Store::restore_new(&new_laptop, &backup, "admin", PW).unwrap();
    assert_eq!(actor.username, "admin");
    let info = restored.info().unwrap();
    assert_eq!((info.database_id, info.restore_generation), (id, 1));
    assert!(Store::status(&new_laptop).unwrap().set_up);
    drop(restored);
    assert!(Store::unlock(&new_laptop, "operator1", OP_PW).is_ok());
    assert_eq!(
        Store::restore_new(&new_laptop, &backup, "admin", PW)
            .err()
            .unwrap()
            .code(),
        pelita_store::ErrorCode::AlreadySetUp
    );
}

#[test]
fn a_database_without_its_key_file_is_never_replaced_silently() {
    let (dir, store) = with_operator();
    let path = store.path().to_path_buf();
    let keys = store.key_file_path().to_path_buf();
    drop(store);
    std::fs::rename(&keys, dir.path().join("kunci-hilang")).unwrap();
    let before = std::fs::read(&path).unwrap();
    let status = Store::status(&path).unwrap();
    assert!(!status.set_up && status.key_file_missing);
    let setup = pelita_store::Setup {
        office_code: "TERJUN".into(),
        load_demo: false,
        username: "admin".into(),
        full_name: "Admin".into(),
        password: PW.into(),
    };
    let err = Store::create(&path, &setup).err().unwrap();
    assert_eq!(err.code().to_string(), "key_file_missing");
    assert!(err.to_string().contains("pulihkan dari cadangan"), "{err}");
    assert_eq!(
        std::fs::read(&path).unwrap(),
        before,
        "the file is untouched"
    );
}

#[test]
fn restore_waits_for_other_programs_and_keeps_every_replaced_file() {
    let (dir, mut store) = with_operator();
    let admin = store.login("admin", PW).unwrap();
    let backup = dir.path().join("cadangan.pelita");
    store.backup(&admin, &backup).unwrap();
    // The backup may not overwrite the database or its key file.
    let own = store.path().to_path_buf();
    let err = store.backup(&admin, &own).unwrap_err();
    assert!(err.to_string().contains("tidak boleh menimpa"), "{err}");
    let keys = store.key_file_path().to_path_buf();
    let err = store.backup(&admin, &keys).unwrap_err();
    assert_eq!(err.code().to_string(), "backup_invalid");

    // Another program (here a second connection) has the database open: refused, nothing lost.
    let (other, _) = Store::unlock(&own, "operator1", OP_PW).unwrap();
    let err = store.restore(&admin, &backup).unwrap_err();
    assert_eq!(err.code().to_string(), "database_in_use");
    assert!(store.info().unwrap().employee_count > 40);
    drop(other);

    // Two restores in the same second keep two copies of what they replaced.
    let first = store
        .restore(&admin, &backup)
        .unwrap()
        .replaced_file
        .unwrap();
    let second = store
        .restore(&admin, &backup)
        .unwrap()
        .replaced_file
        .unwrap();
    assert_ne!(first, second);
    assert!(std::path::Path::new(&first).exists() && std::path::Path::new(&second).exists());
}

#[test]
fn an_account_disabled_after_the_backup_comes_back_with_its_backup_password() {
    let (dir, mut store) = with_operator();
    let admin = store.login("admin", PW).unwrap();
    let backup = dir.path().join("cadangan.pelita");
    store.backup(&admin, &backup).unwrap();
    store.disable_user(&admin, "operator1").unwrap();
    store.restore(&admin, &backup).unwrap();
    let path = store.path().to_path_buf();
    drop(store);
    // The backup has operator1 active; without today's slot, the backup's slot is used.
    assert!(Store::unlock(&path, "operator1", OP_PW).is_ok());
    assert!(Store::unlock(&path, "admin", PW).is_ok());
}
