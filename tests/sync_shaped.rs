//! The office-month dataset (the store's seeded generator: ≈60 ASN, 30 trainings, ≈2,000
//! attendance marks, SKP drafts) synced over an emulated mobile link — 64 kbit/s, 600 ms round
//! trips with jitter, connections cut at random byte offsets — retried until done: every change
//! arrives exactly once and the hub's rows equal the laptop's.

mod support;

use support::link::{Link, LinkSpec};
use support::{Hub, Laptop};

#[test]
fn the_office_month_crosses_a_slow_lossy_link_exactly_once() {
    let dir = tempfile::tempdir().unwrap();
    let hub = Hub::start(&dir.path().join("hub.sqlite")).unwrap();
    let link = Link::start(
        &hub.url,
        LinkSpec {
            bits_per_second: 64_000,
            latency: std::time::Duration::from_millis(280),
            jitter: std::time::Duration::from_millis(40),
            cut_between: Some((40_000, 160_000)),
            seed: 2026,
        },
    );
    let mut laptop = Laptop::new(dir.path(), "terjun", "TERJUN");
    let admin = laptop.admin.clone();
    let summary = laptop
        .store
        .generate_office_month(&admin, "TERJUN", 2026)
        .unwrap();
    assert_eq!((summary.employees, summary.trainings), (60, 30));
    assert!(summary.attendance >= 1500, "{summary:?}");
    assert_eq!(summary.appraisals, 59);
    let changes = laptop.store.pending_count().unwrap();
    let code = hub.code_for("TERJUN");
    pelita_sync::enroll(&mut laptop.store, &admin, &link.url, &code, "laptop").unwrap();
    let mut attempts = 0;
    loop {
        attempts += 1;
        match pelita_sync::run(&mut laptop.store, &Default::default()) {
            Ok(_) => break,
            Err(e) if !e.is_permanent() && attempts < 60 => {}
            Err(e) => panic!("after {attempts} attempts: {e}"),
        }
    }
    assert!(link.cuts() >= 1, "the link was never cut");
    assert_eq!(laptop.store.pending_count().unwrap(), 0);
    let admin_view = hub.admin();
    assert_eq!(admin_view.received_count().unwrap(), u64::from(changes));
    assert_eq!(admin_view.status().unwrap().rejected, 0);
    assert_eq!(
        laptop.store.sync_checksum().unwrap(),
        admin_view.checksum_for("TERJUN").unwrap()
    );
}
