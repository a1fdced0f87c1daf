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
