//! Sync as a district lives it, through the real `pelita` and `pelita-hub` binaries on 127.0.0.1:
//! the four ways sync used to fail (issue "sync you can trust"), each as an office would meet it.
//! 1. A change the hub refuses never stops an office's sync.
//! 2. A bundle imported twice still tells the laptop of its conflict.
//! 3. Two laptops restored from one backup each get their changes to the hub.
//! 4. A refused change leaves the laptop holding the hub's row, not ahead of it.
//!
//! And: a conflict a replaced laptop left open at the hub closes when the hub revokes that laptop.

mod common;

use std::path::PathBuf;

use common::*;

/// A laptop of `office`, set up and enrolled at `hub` through the binaries.
fn laptop(dir: &Path, name: &str, office: &str, hub: &HubProcess) -> PathBuf {
    let db = dir.join(format!("{name}.sqlite"));
    let out = init(&db, &["--office", office]);
    assert!(out.status.success(), "{}", stderr(&out));
    enrol(&db, hub, office);
    db
}

fn enrol(db: &Path, hub: &HubProcess, office: &str) {
    let code = hub.code(office);
    let out = ok(db, &["sync", "enroll", "--hub", &hub.url, "--code", &code]);
    assert!(out.contains(office), "{out}");
}

/// Runs `pelita` as the first admin and insists it succeeds.
fn ok(db: &Path, args: &[&str]) -> String {
    let out = as_admin(db, args);
    assert!(
        out.status.success(),
        "pelita {args:?}: {}{}",
        stdout(&out),
        stderr(&out)
    );
    stdout(&out)
}

fn json(db: &Path, args: &[&str]) -> serde_json::Value {
    serde_json::from_str(&ok(db, args)).unwrap()
}

fn sync(db: &Path) -> serde_json::Value {
    json(db, &["sync", "run", "--json"])
}

/// Imports one PNS of `office` (`nip`, `name`, `jabatan`) from a CSV as an operator would.
fn register(db: &Path, nip: &str, name: &str, office: &str) {
    let file = db.with_extension(format!("{nip}.csv"));
    std::fs::write(
        &file,
        format!(
            "NIP,Nama,Status Kepegawaian,Golongan,Jabatan,Jenis Jabatan,Kode Kantor\n\
             {nip},{name},PNS,II/c,Pelaksana,Pelaksana,{office}\n"
        ),
    )
    .unwrap();
    ok(db, &["employee", "import", file.to_str().unwrap()]);
}

/// Jabatan and office per NIP of every employee this laptop holds (inactive ones, and rows of
/// other offices its admin does not list, too), read from the database file itself.
fn register_of(db: &Path) -> std::collections::BTreeMap<String, (String, String)> {
    let (store, _) = pelita_store::Store::unlock(db, "camat", ADMIN_PW).unwrap();
    let mut stmt = store
        .connection()
        .prepare(
            "SELECT e.nip, e.jabatan, o.code FROM employee e JOIN office o ON o.id = e.office_id
             WHERE e.deleted = 0",
        )
        .unwrap();
    let rows = stmt
        .query_map([], |r| Ok((r.get(0)?, (r.get(1)?, r.get(2)?))))
        .unwrap();
    rows.collect::<rusqlite::Result<_>>().unwrap()
}

const ANI: &str = "198001012005011001";
const BUDI: &str = "198202022006011002";
const CITRA: &str = "198503032008012003";
const DEDI: &str = "198704042010011004";
const EKA: &str = "199005052012012005";

#[test]
fn a_transferred_colleague_registered_twice_is_refused_alone_and_the_office_keeps_syncing() {
    let dir = tempfile::tempdir().unwrap();
    let hub = HubProcess::start(dir.path());
    let terjun = laptop(dir.path(), "terjun", "TERJUN", &hub);
    let paya = laptop(dir.path(), "paya", "PAYA-PASIR", &hub);
    let camat = laptop(dir.path(), "camat", "KEC-MARELAN", &hub);

    register(&terjun, ANI, "Ani Lubis", "TERJUN");
    sync(&terjun);
    // Ani moved to Paya Pasir; its operator registers her (the same NIP, so the same employee)
    // and, in the same sitting, a new colleague.
    register(&paya, ANI, "Ani Lubis", "PAYA-PASIR");
    register(&paya, BUDI, "Budi Nasution", "PAYA-PASIR");
    let report = sync(&paya);
    assert_eq!(report["rejected"], 1, "{report}");

    let refused = json(&paya, &["sync", "rejected", "--json"]);
    let reason = refused[0]["reason"].as_str().unwrap();
    assert!(
        reason.contains("Kelurahan Terjun") && reason.contains("mutasi"),
        "{reason}"
    );
    // The laptop holds the hub's Ani again (Terjun's), not its own copy of her.
    assert_eq!(register_of(&paya)[ANI].1, "TERJUN");
    // Budi arrived; so does what Paya Pasir records next, and its sync stays healthy.
    register(&paya, CITRA, "Citra Siregar", "PAYA-PASIR");
    let report = sync(&paya);
    assert_eq!(report["pushed"], 1, "{report}");
    let status = json(&paya, &["sync", "status", "--json"]);
    assert_eq!(status["last_error"], serde_json::Value::Null, "{status}");
    assert_eq!(status["pending"], 0);
    sync(&camat);
    let district = register_of(&camat);
    assert_eq!(district[BUDI].1, "PAYA-PASIR");
    assert_eq!(district[CITRA].1, "PAYA-PASIR");
    assert_eq!(
        district[ANI].1, "TERJUN",
        "the refusal changed nothing at the hub"
    );

    // The operator discards the refused change: Terjun's Ani, never Paya Pasir's to hold, leaves
    // this laptop, which then holds exactly what the hub gives its office.
    assert!(ok(&paya, &["sync", "discard", "--all"]).contains("1 perubahan"));
    assert_eq!(json(&paya, &["sync", "status", "--json"])["rejected"], 0);
    assert!(!register_of(&paya).contains_key(ANI));
    assert_eq!(register_of(&paya).len(), 2);
}

#[test]
fn a_bundle_imported_twice_still_tells_the_laptop_of_its_conflict() {
    let dir = tempfile::tempdir().unwrap();
    let hub = HubProcess::start(dir.path());
    let online = laptop(dir.path(), "terjun-1", "TERJUN", &hub);
    let offline = laptop(dir.path(), "terjun-2", "TERJUN", &hub);
    register(&online, ANI, "Ani Lubis", "TERJUN");
    sync(&online);
    sync(&offline);

    ok(
        &online,
        &["employee", "edit", ANI, "--jabatan", "Kasi Pemerintahan"],
    );
    sync(&online);
    ok(
        &offline,
        &["employee", "edit", ANI, "--jabatan", "Sekretaris Lurah"],
    );
    let bundle = dir.path().join("terjun-2.pelita");
    ok(&offline, &["bundle", "export", bundle.to_str().unwrap()]);
    // The stick goes to the Kantor Camat twice; the first answer is lost on the way back.
    let (first, second) = (dir.path().join("jawaban-1"), dir.path().join("jawaban-2"));
    for reply in [&first, &second] {
        hub.run(&[
            "bundle",
            "import",
            bundle.to_str().unwrap(),
            "--reply",
            reply.to_str().unwrap(),
        ]);
    }
    assert_eq!(hub.status()["pending_conflicts"], 1);
    let out = ok(&offline, &["bundle", "import", second.to_str().unwrap()]);
    assert!(out.contains("konflik 1"), "{out}");
    let status = json(&offline, &["sync", "status", "--json"]);
    assert_eq!(status["open_conflicts"], 1, "{status}");
    // Both versions are there for a person; neither laptop silently holds the other's.
    assert_eq!(register_of(&offline)[ANI].0, "Sekretaris Lurah");
    assert_eq!(register_of(&online)[ANI].0, "Kasi Pemerintahan");
}

#[test]
fn two_laptops_restored_from_one_backup_each_get_their_changes_to_the_hub() {
    let dir = tempfile::tempdir().unwrap();
    let hub = HubProcess::start(dir.path());
    let old = laptop(dir.path(), "lama", "TERJUN", &hub);
    let camat = laptop(dir.path(), "camat", "KEC-MARELAN", &hub);
    register(&old, ANI, "Ani Lubis", "TERJUN");
    sync(&old);
    let backup = dir.path().join("terjun.cadangan");
    ok(&old, &["backup", backup.to_str().unwrap()]);

    // The old laptop breaks; its backup is restored on the replacement and, by mistake, on a
    // second PC in the office too. Both go on working and syncing.
    let restore = |name: &str| {
        let db = dir.path().join(format!("{name}.sqlite"));
        ok(&db, &["restore", backup.to_str().unwrap()]);
        db
    };
    let new = restore("pengganti");
    let second = restore("kedua");
    register(&new, BUDI, "Budi Nasution", "TERJUN");
    register(&second, CITRA, "Citra Siregar", "TERJUN");
    sync(&new);
    sync(&second);
    // The replacement is restored once more from the same backup (a failed disk), twice over.
    ok(&new, &["restore", backup.to_str().unwrap()]);
    register(&new, DEDI, "Dedi Harahap", "TERJUN");
    sync(&new);
    sync(&second);
    sync(&new);

    sync(&camat);
    let district = register_of(&camat);
    for nip in [ANI, BUDI, CITRA, DEDI] {
        assert!(district.contains_key(nip), "{nip} never reached the hub");
    }
    // The two copies see each other's changes (the hub tells copies apart, not only devices).
    assert_eq!(register_of(&new).len(), 4);
    assert_eq!(register_of(&second).len(), 4);
    assert_eq!(hub.status()["rejected"], 0);
    // A copy of the file itself (not a restore) numbering changes alike is told to re-enrol, and
    // loses nothing by it.
    let copied = dir.path().join("salinan.sqlite");
    std::fs::copy(&second, &copied).unwrap();
    std::fs::copy(
        second.with_extension("sqlite.keys"),
        copied.with_extension("sqlite.keys"),
    )
    .unwrap();
    register(&second, EKA, "Eka Tambunan", "TERJUN");
    sync(&second);
    let file = copied.with_extension("lain.csv");
    std::fs::write(
        &file,
        "NIP,Nama,Status Kepegawaian,Golongan,Jabatan,Jenis Jabatan,Kode Kantor\n\
         199106062014011006,Fajar Sitepu,PNS,II/c,Pelaksana,Pelaksana,TERJUN\n",
    )
    .unwrap();
    ok(&copied, &["employee", "import", file.to_str().unwrap()]);
    let out = as_admin(&copied, &["sync", "run"]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("Daftarkan ulang"), "{}", stderr(&out));
    enrol(&copied, &hub, "TERJUN");
    sync(&copied);
    sync(&camat);
    let district = register_of(&camat);
    assert!(district.contains_key(EKA) && district.contains_key("199106062014011006"));
}

#[test]
fn a_change_refused_on_a_moved_employee_leaves_the_laptop_holding_the_hubs_row() {
    let dir = tempfile::tempdir().unwrap();
    let hub = HubProcess::start(dir.path());
    let terjun = laptop(dir.path(), "terjun", "TERJUN", &hub);
    let camat = laptop(dir.path(), "camat", "KEC-MARELAN", &hub);
    register(&terjun, ANI, "Ani Lubis", "TERJUN");
    sync(&terjun);
    sync(&camat);
    // The Kantor Camat records Ani's transfer to Paya Pasir (with its SK: in effect at once);
    // Terjun, not yet synced, edits her.
    let today = chrono::Local::now().date_naive().to_string();
    ok(
        &camat,
        &[
            "transfer",
            "record",
            ANI,
            "--to",
            "PAYA-PASIR",
            "--tmt",
            &today,
            "--sk",
            "800/7/2026",
        ],
    );
    sync(&camat);
    ok(
        &terjun,
        &["employee", "edit", ANI, "--jabatan", "Kasi Pemerintahan"],
    );
    let report = sync(&terjun);
    assert_eq!(report["rejected"], 1, "{report}");
    // Terjun holds the hub's version now (the same version number as its own refused edit had:
    // before, the laptop kept its own and skipped the hub's on every pull).
    assert_eq!(
        register_of(&terjun)[ANI],
        ("Pelaksana".into(), "PAYA-PASIR".into())
    );
    let refused = json(&terjun, &["sync", "rejected", "--json"]);
    assert!(refused[0]["local_payload"]
        .as_str()
        .unwrap()
        .contains("Kasi Pemerintahan"));
    // Terjun's register no longer offers her to edit (its Admin Kantor sees its own office).
    let out = as_admin(&terjun, &["employee", "edit", ANI, "--jabatan", "Lurah"]);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("tidak ada di daftar kantor Anda"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_conflict_left_open_by_a_replaced_laptop_is_closed_when_the_hub_revokes_it() {
    let dir = tempfile::tempdir().unwrap();
    let hub = HubProcess::start(dir.path());
    let broken = laptop(dir.path(), "terjun-1", "TERJUN", &hub);
    let other = laptop(dir.path(), "terjun-2", "TERJUN", &hub);
    register(&other, ANI, "Ani Lubis", "TERJUN");
    sync(&other);
    sync(&broken);
    ok(
        &other,
        &["employee", "edit", ANI, "--jabatan", "Kasi Pemerintahan"],
    );
    sync(&other);
    ok(
        &broken,
        &["employee", "edit", ANI, "--jabatan", "Sekretaris Lurah"],
    );
    assert_eq!(sync(&broken)["conflicts"], 1);
    assert_eq!(hub.status()["pending_conflicts"], 1);
    let broken_device = json(&broken, &["sync", "status", "--json"])["device_id"]
        .as_str()
        .unwrap()
        .to_string();

    // The laptop breaks before anyone settles the conflict; its replacement is set up from the
    // other Terjun laptop's backup, so nobody will ever settle it on that device.
    let backup = dir.path().join("terjun-2.cadangan");
    ok(&other, &["backup", backup.to_str().unwrap()]);
    let replacement = dir.path().join("pengganti.sqlite");
    ok(&replacement, &["restore", backup.to_str().unwrap()]);
    sync(&replacement);
    sync(&other);
    assert_eq!(
        hub.status()["pending_conflicts"],
        1,
        "still open, and shown"
    );

    // The HQ admin revokes the broken laptop, as one does for a lost or replaced machine.
    let out = hub.run(&["device", "revoke", &broken_device]);
    assert!(out.contains("1 konflik"), "{out}");
    assert_eq!(hub.status()["pending_conflicts"], 0);
    assert_eq!(register_of(&replacement)[ANI].0, "Kasi Pemerintahan");
    assert_eq!(register_of(&other)[ANI].0, "Kasi Pemerintahan");
    // Should the broken laptop come back to life, it is told it was revoked.
    let out = as_admin(&broken, &["sync", "run"]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("dicabut"), "{}", stderr(&out));
}
