//! Two `pelita-hub` processes on one database serve one district: laptops of two offices push and
//! pull through either process at once, round after round. Nothing either process needs lives in
//! the other (the sequence, what was received, the throttles are rows), so every change is taken
//! exactly once and every laptop ends holding what the hub holds for its office. With
//! `PELITA_TEST_POSTGRES` (`make test` runs it so) the database is PostgreSQL — the deployment
//! that serves a city from several processes; without, both processes share one SQLite file.

mod support;

use std::path::Path;
use std::process::Child;

use pelita_hub::local::open;
use pelita_store::{Setup, Store};

const PW: &str = "Sandi-Uji-Dua-Hub-1";

/// A hub process, killed when dropped (also when the test fails: left running, it would hold the
/// test's output open).
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A hub process on the database kept at `db`, on a free port; returns it with its URL.
fn serve(db: &Path) -> (Running, String) {
    let (child, url) = support::serve(db, "127.0.0.1:0");
    assert!(url.starts_with("http://127.0.0.1:"), "{url}");
    (Running(child), url)
}

#[test]
fn two_hub_processes_on_one_database_take_every_change_once() {
    const ROUNDS: u32 = 6;
    const PER_ROUND: u32 = 15;
    let dir = tempfile::tempdir().unwrap();
    let hub_db = dir.path().join("hub.sqlite");
    let hubs = [serve(&hub_db), serve(&hub_db)];
    let admin_view = open(&hub_db).unwrap();
    // Two laptops of each office, each office's two on different processes.
    let plan = [
        ("TERJUN", 0),
        ("TERJUN", 1),
        ("PAYA-PASIR", 0),
        ("PAYA-PASIR", 1),
    ];
    let mut laptops: Vec<_> = plan
        .iter()
        .enumerate()
        .map(|(i, (office, hub))| {
            let (mut store, admin) = Store::create(
                dir.path().join(format!("laptop-{i}.sqlite")),
                &Setup {
                    office_code: (*office).into(),
                    load_demo: false,
                    username: "admin".into(),
                    full_name: "Admin Kelurahan".into(),
                    password: PW.into(),
                },
            )
            .unwrap();
            let code = admin_view
                .issue_code(office, chrono::Duration::hours(1))
                .unwrap()
                .0;
            pelita_sync::enroll(&mut store, &admin, &hubs[*hub].1, &code, "laptop").unwrap();
            (store, admin, *office)
        })
        .collect();

    // Every laptop enters staff and syncs, round after round, all at once.
    std::thread::scope(|s| {
        for (i, (store, admin, office)) in laptops.iter_mut().enumerate() {
            s.spawn(move || {
                for round in 0..ROUNDS {
                    let from = (i as u32 * ROUNDS + round) * PER_ROUND;
                    support::add_staff(store, admin, office, from, PER_ROUND);
                    pelita_sync::run(store, &pelita_sync::Options::default()).unwrap();
                }
            });
        }
    });
    // Then each syncs once more, in turn: what the others sent last reaches everyone.
    for (store, ..) in &mut laptops {
        pelita_sync::run(store, &pelita_sync::Options::default()).unwrap();
    }

    let created = u64::from(ROUNDS * PER_ROUND) * plan.len() as u64;
    assert_eq!(admin_view.received_count().unwrap(), created);
    let status = admin_view.status().unwrap();
    assert_eq!(status.rows, created);
    assert_eq!(status.duplicates, 0);
    for (store, _, office) in &laptops {
        assert_eq!(store.sync_status().unwrap().pending, 0);
        assert_eq!(
            store.sync_checksum().unwrap(),
            admin_view.checksum_for(office).unwrap(),
            "{office}"
        );
    }
}
