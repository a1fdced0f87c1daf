//! Crash safety of the laptop side: `pelita sync run` killed with SIGKILL inside a push, fifty
//! times, while the office keeps registering people. A proxy between laptop and hub
//! (`tests/support/cut.rs`) stops the first or second push of each run at a point that cycles
//! round by round — part of the request body through, the whole request through, the hub's answer
//! held back (the hub has applied a batch the laptop never hears of), only the answer's headers
//! through — and the process is killed right then: every kill lands inside a push, checked round
//! by round, whatever the timing. Afterwards one clean run brings the hub level with the laptop:
//! nothing lost, nothing counted twice, equal checksums.

mod common;
#[path = "../../../tests/support/cut.rs"]
mod cut;

use std::os::unix::process::ExitStatusExt;
use std::time::Duration;

use common::*;
use cut::{Cut, CutProxy, Plan};
use pelita_hub::local::LocalHub;

/// A fixed-seed generator, so a failure replays the same cuts.
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
fn sync_killed_fifty_times_inside_a_push_loses_and_doubles_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let hub = LocalHub::start(&dir.path().join("hub.sqlite")).unwrap();
    let proxy = CutProxy::start(&hub.url);
    let db = dir.path().join("a.sqlite");
    assert!(init(&db, &["--office", "TERJUN"]).status.success());
    let code = hub.code_for("TERJUN");
    assert!(as_admin(
        &db,
        &["sync", "enroll", "--hub", &proxy.url, "--code", &code]
    )
    .status
    .success());
    let add = |created: &mut u32, n: u32| {
        let file = staff_file(dir.path(), *created, n);
        let out = as_admin(&db, &["employee", "import", file.to_str().unwrap()]);
        assert!(out.status.success(), "{}", stderr(&out));
        *created += n;
    };
    let mut created = 0;
    add(&mut created, 2500);
    // The most changes one push carries (`--batch-kb 8`).
    let per_push = {
        let (store, _) = pelita_store::Store::unlock(&db, "camat", ADMIN_PW).unwrap();
        store.outbox_batch(8 * 1024).unwrap().len() as u64
    };
    let mut rng = Lcg(20261201);
    let mut lost_answers = 0;
    for round in 0..soak_rounds() {
        if round % 10 == 9 {
            add(&mut created, 20);
        }
        // A second push to cut in every run: what the hub has not received is still pending.
        while u64::from(created) - hub.admin().received_count().unwrap() <= 2 * per_push {
            add(&mut created, 200);
        }
        let plan = Plan {
            push: 1 + rng.below(2) as u32,
            cut: match round % 4 {
                0 => Cut::InBody {
                    permille: rng.below(1000),
                },
                1 => Cut::Delivered,
                2 => Cut::Answered,
                _ => Cut::AnswerHead,
            },
        };
        proxy.arm(plan);
        let mut child = command(&db)
            .args(["--user", "camat", "sync", "run", "--batch-kb", "8"])
            .env("PELITA_PASSWORD", ADMIN_PW)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        let reached = loop {
            if let Some(reached) = proxy.wait(Duration::from_millis(20)) {
                break reached;
            }
            if let Some(status) = child.try_wait().unwrap() {
                panic!("round {round}: the run ended ({status}) before {plan:?} was reached");
            }
        };
        // The laptop is inside the push: waiting for (the rest of) the answer, or still sending.
        child.kill().unwrap(); // SIGKILL
        let status = child.wait().unwrap();
        proxy.release();
        assert_eq!(
            status.signal(),
            Some(9),
            "round {round}: killed at {reached:?}"
        );
        if plan.cut.after_the_answer() {
            // The hub applied the batch and the laptop never heard: it holds changes the laptop
            // still has pending.
            let (store, _) = pelita_store::Store::unlock(&db, "camat", ADMIN_PW).unwrap();
            let acked = u64::from(created) - u64::from(store.sync_status().unwrap().pending);
            let received = hub.admin().received_count().unwrap();
            assert!(
                received > acked,
                "round {round}, {reached:?}: the hub had not answered, or its answer got through"
            );
            lost_answers += 1;
        }
    }
    let out = as_admin(&db, &["sync", "run", "--json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let status: serde_json::Value =
        serde_json::from_slice(&as_admin(&db, &["sync", "status", "--json"]).stdout).unwrap();
    assert_eq!(status["pending"], 0);

    let admin = hub.admin();
    assert_eq!(
        admin.received_count().unwrap(),
        u64::from(created),
        "every change received exactly once"
    );
    let hub_status = pelita_hub::HubStore::status(&*admin).unwrap();
    assert_eq!(hub_status.rows, u64::from(created));
    eprintln!(
        "pelita sync run killed {} times, every time inside a push ({lost_answers} after the hub \
         had answered); {created} changes, {} of them received again and recognised",
        soak_rounds(),
        hub_status.duplicates
    );
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
