//! `pelita sync enroll|run|status` against a real hub on 127.0.0.1.

mod common;

use common::*;
use pelita_hub::local::LocalHub;

#[test]
fn enrol_run_and_status_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let hub = LocalHub::start(&dir.path().join("hub.sqlite")).unwrap();
    let db = dir.path().join("a.sqlite");
    assert!(init(&db, &["--office", "TERJUN"]).status.success());

    let out = as_admin(&db, &["sync", "status"]);
    assert!(stdout(&out).contains("belum terdaftar"), "{}", stdout(&out));
    let out = as_admin(&db, &["sync", "run"]);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("belum didaftarkan"),
        "{}",
        stderr(&out)
    );

    let out = as_admin(
        &db,
        &["sync", "enroll", "--hub", &hub.url, "--code", "SALAH-123"],
    );
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("kode pendaftaran tidak berlaku"),
        "{}",
        stderr(&out)
    );
    let code = hub.code_for("TERJUN");
    let out = as_admin(&db, &["sync", "enroll", "--hub", &hub.url, "--code", &code]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("untuk TERJUN"));

    let out = as_admin(&db, &["sync", "run", "--json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    for key in [
        "pushed",
        "pulled",
        "conflicts",
        "rejected",
        "bytes_sent",
        "bytes_received",
        "requests",
    ] {
        assert!(report[key].is_u64(), "{key} in {report}");
    }
    assert_eq!(report["requests"], 1, "nothing to push: one pull");

    let out = as_admin(&db, &["sync", "status", "--json"]);
    let status: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(status["enrolled"], true);
    assert_eq!(status["pending"], 0);
    assert!(status["last_success_at"].is_string());
}

#[test]
fn bundle_export_and_import_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let hub = LocalHub::start(&dir.path().join("hub.sqlite")).unwrap();
    let db = dir.path().join("a.sqlite");
    assert!(init(&db, &["--office", "TERJUN"]).status.success());
    let code = hub.code_for("TERJUN");
    assert!(
        as_admin(&db, &["sync", "enroll", "--hub", &hub.url, "--code", &code])
            .status
            .success()
    );
    let staff = dir.path().join("staf.csv");
    std::fs::write(
        &staff,
        "NIP,Nama,Status Kepegawaian,Golongan,Jabatan,Jenis Jabatan,Kode Kantor\n\
         198503122010011002,Ahmad,PNS,III/a,Staf,Pelaksana,TERJUN\n",
    )
    .unwrap();
    assert!(
        as_admin(&db, &["employee", "import", staff.to_str().unwrap()])
            .status
            .success()
    );

    let out_file = dir.path().join("ke-hub.bundle");
    let out = as_admin(&db, &["bundle", "export", out_file.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("1 perubahan ditulis"),
        "{}",
        stdout(&out)
    );
    // At the hub (as `pelita-hub bundle import FILE --reply ANSWER` does).
    let (report, answer) =
        pelita_hub::bundle::import(&*hub.admin(), &std::fs::read(&out_file).unwrap()).unwrap();
    assert_eq!(report.mutations, 1);
    let answer_file = dir.path().join("jawaban.bundle");
    std::fs::write(&answer_file, answer).unwrap();

    let out = as_admin(&db, &["bundle", "import", out_file.to_str().unwrap()]);
    assert!(!out.status.success(), "its own bundle is not an answer");
    assert!(stderr(&out).contains("kiriman laptop"), "{}", stderr(&out));
    let out = as_admin(&db, &["bundle", "import", answer_file.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("1 perubahan dikonfirmasi hub"),
        "{}",
        stdout(&out)
    );
    let status: serde_json::Value =
        serde_json::from_slice(&as_admin(&db, &["sync", "status", "--json"]).stdout).unwrap();
    assert_eq!(status["pending"], 0);
}
