//! Crash safety of the laptop side: `pelita sync run` killed with SIGKILL at random moments,
//! fifty times, while the office keeps registering people. Afterwards one clean run brings the
//! hub level with the laptop: nothing lost, nothing counted twice, equal checksums.

mod common;

use common::*;
use pelita_hub::local::LocalHub;

/// A fixed-seed generator, so a failure replays the same kill times.
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % n
    }
}

#[test]
fn sync_killed_fifty_times_loses_and_doubles_nothing() {
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
    let add = |created: &mut u32, n: u32| {
        let file = staff_file(dir.path(), *created, n);
        let out = as_admin(&db, &["employee", "import", file.to_str().unwrap()]);
        assert!(out.status.success(), "{}", stderr(&out));
        *created += n;
    };
    let mut created = 0;
    // Enough to keep small batches going across many of the kills.
    add(&mut created, 2500);
    let mut rng = Lcg(20261201);
    let mut cut_mid_push = 0;
    for round in 0..soak_rounds() {
        if round % 10 == 9 {
            add(&mut created, 20);
        }
        let before = hub.admin().received_count().unwrap();
        let mut child = command(&db)
            .args(["--user", "camat", "sync", "run", "--batch-kb", "8"])
            .env("PELITA_PASSWORD", ADMIN_PW)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        // Unlocking the database takes a moment; the kill lands before, during or after the push.
        std::thread::sleep(std::time::Duration::from_millis(60 + rng.below(240)));
        let _ = child.kill(); // SIGKILL
        let _ = child.wait();
        let after = hub.admin().received_count().unwrap();
        if after > before && after < u64::from(created) {
            cut_mid_push += 1;
        }
    }
    assert!(cut_mid_push >= 5, "only {cut_mid_push} kills cut a push");
    eprintln!(
        "pelita sync run killed {} times, {cut_mid_push} of them inside a push; {created} changes",
        soak_rounds()
    );
    let out = as_admin(&db, &["sync", "run", "--json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let status: serde_json::Value =
        serde_json::from_slice(&as_admin(&db, &["sync", "status", "--json"]).stdout).unwrap();
    assert_eq!(status["pending"], 0);

    let mut admin = hub.admin();
    assert_eq!(
        admin.received_count().unwrap(),
        u64::from(created),
        "every change received exactly once"
    );
    let hub_status = pelita_hub::HubStore::status(&mut admin).unwrap();
    assert_eq!(hub_status.rows, u64::from(created));
    let (store, _) = pelita_store::Store::unlock(&db, "camat", ADMIN_PW).unwrap();
    assert_eq!(
        store.sync_checksum().unwrap(),
        admin.checksum_for("TERJUN").unwrap()
    );
}

/// 50 in `make test`; `make soak-sync` sets `PELITA_SOAK_ROUNDS` for a longer run.
fn soak_rounds() -> u32 {
    std::env::var("PELITA_SOAK_ROUNDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(50)
}
