//! Crash safety of the hub: the `pelita-hub` process killed with SIGKILL inside a laptop's push,
//! fifty times, restarted each time on the same port. A proxy between laptop and hub
//! (`tests/support/cut.rs`) stops the first or second push of each run at a point that cycles
//! round by round — part of the request body through, the whole request through (the hub is
//! handling it), the answer begun (the hub has committed), the answer's headers through — and the
//! hub is killed right then: every kill lands inside a push, checked round by round, whatever the
//! timing. Afterwards one clean run brings the hub level with the laptop: nothing lost, nothing
//! applied twice, equal checksums.

#[path = "../../../tests/support/cut.rs"]
mod cut;
mod support;

use std::os::unix::process::ExitStatusExt;
use std::path::Path;
use std::process::Child;
use std::time::Duration;

use cut::{Cut, CutProxy, Plan};
use pelita_hub::local::open;
use pelita_store::{Setup, Store};

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

fn serve(db: &Path, port: u16) -> Child {
    support::serve(db, &format!("127.0.0.1:{port}")).0
}

#[test]
fn hub_killed_fifty_times_inside_pushes_loses_and_doubles_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let hub_db = dir.path().join("hub.sqlite");
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let (mut store, admin) = Store::create(
        dir.path().join("terjun.sqlite"),
        &Setup {
            office_code: "TERJUN".into(),
            load_demo: false,
            username: "admin".into(),
            full_name: "Admin Kecamatan".into(),
            password: "Sandi-Uji-Hub-Mati-1".into(),
        },
    )
    .unwrap();
    let code = open(&hub_db)
        .unwrap()
        .issue_code("TERJUN", chrono::Duration::hours(1))
        .unwrap()
        .0;
    let mut hub = serve(&hub_db, port);
    let proxy = CutProxy::start(&format!("http://127.0.0.1:{port}"));
    pelita_sync::enroll(&mut store, &admin, &proxy.url, &code, "laptop").unwrap();
    let mut created = 300;
    support::add_staff(&mut store, &admin, "TERJUN", 0, created);
    // Small batches: several pushes in a run.
    let batch_bytes = 16 * 1024;
    let options = pelita_sync::Options {
        batch_bytes,
        max_batch_bytes: batch_bytes,
        ..Default::default()
    };
    let mut rng = Lcg(1_201);
    let mut lost_answers = 0;
    for round in 0..soak_rounds() {
        // Something new in every round, and always a second push to cut.
        support::add_staff(&mut store, &admin, "TERJUN", created, 40);
        created += 40;
        let per_push = store.outbox_batch(batch_bytes).unwrap().len() as u32;
        while store.sync_status().unwrap().pending <= per_push {
            support::add_staff(&mut store, &admin, "TERJUN", created, 40);
            created += 40;
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
        let options = options.clone();
        let syncing = std::thread::spawn(move || {
            let outcome = pelita_sync::run(&mut store, &options);
            (store, outcome)
        });
        let reached = loop {
            if let Some(reached) = proxy.wait(Duration::from_millis(20)) {
                break reached;
            }
            assert!(
                !syncing.is_finished(),
                "round {round}: the run ended before {plan:?} was reached"
            );
        };
        hub.kill().unwrap(); // SIGKILL
        let status = hub.wait().unwrap();
        proxy.release();
        assert_eq!(
            status.signal(),
            Some(9),
            "round {round}: killed at {reached:?}"
        );
        let outcome;
        (store, outcome) = syncing.join().unwrap();
        assert!(
            matches!(&outcome, Err(e) if !e.is_permanent()),
            "round {round}, {reached:?}: {outcome:?}"
        );
        let pending = store.sync_status().unwrap().pending;
        assert!(pending > 0, "round {round}");
        if plan.cut.after_the_answer() {
            // The hub committed the batch before it died, and the laptop never heard: the hub
            // holds changes the laptop still has pending.
            let received = open(&hub_db).unwrap().received_count().unwrap();
            assert!(
                received > u64::from(created - pending),
                "round {round}, {reached:?}: the hub had not committed, or its answer got through"
            );
            lost_answers += 1;
        }
        hub = serve(&hub_db, port);
    }
    let report = pelita_sync::run(&mut store, &options).unwrap();
    assert_eq!(store.sync_status().unwrap().pending, 0, "{report:?}");
    let _ = hub.kill();
    let _ = hub.wait();

    let admin_view = open(&hub_db).unwrap();
    assert_eq!(admin_view.received_count().unwrap(), u64::from(created));
    let status = admin_view.status().unwrap();
    assert_eq!(status.rows, u64::from(created));
    eprintln!(
        "hub killed {} times, every time inside a push ({lost_answers} after it had answered); \
         {created} changes, {} of them received again and recognised",
        soak_rounds(),
        status.duplicates
    );
    assert_eq!(
        store.sync_checksum().unwrap(),
        admin_view.checksum_for("TERJUN").unwrap()
    );
}

/// 50 in `make test`; `make soak-sync` sets `PELITA_SOAK_ROUNDS` for a longer run.
fn soak_rounds() -> u32 {
    std::env::var("PELITA_SOAK_ROUNDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(50)
}
