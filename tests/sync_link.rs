//! Sync over a bad link (the proxy in `support::link`): connections cut at random byte offsets
//! mid-batch. Each run that fails is retried; in the end every change arrives exactly once, and
//! what was sent again is at most the batch in flight at each cut.

mod support;

use support::link::{Link, LinkSpec};
use support::{Hub, Laptop};

#[test]
fn a_link_cut_mid_batch_resumes_and_resends_at_most_the_batch_in_flight() {
    let dir = tempfile::tempdir().unwrap();
    let hub = Hub::start(&dir.path().join("hub.sqlite")).unwrap();
    let link = Link::start(
        &hub.url,
        LinkSpec {
            cut_between: Some((2_000, 8_000)),
            seed: 7,
            ..LinkSpec::clean()
        },
    );
    let mut laptop = Laptop::new(dir.path(), "terjun", "TERJUN");
    let code = hub.code_for("TERJUN");
    let admin = laptop.admin.clone();
    pelita_sync::enroll(&mut laptop.store, &admin, &link.url, &code, "laptop").unwrap();
    let created = 400;
    laptop.add_staff(created);
    let batch_bytes = 12 * 1024;
    let options = pelita_sync::Options {
        batch_bytes,
        max_batch_bytes: batch_bytes,
        ..Default::default()
    };
    let per_batch = laptop.store.outbox_batch(batch_bytes).unwrap().len() as u64;
    let mut failures = 0;
    loop {
        match pelita_sync::run(&mut laptop.store, &options) {
            Ok(_) => break,
            Err(e) if !e.is_permanent() => failures += 1,
            Err(e) => panic!("{e}"),
        }
        assert!(failures < 500, "no progress over the cut link");
    }
    assert!(
        link.cuts() >= 3,
        "the link must have been cut: {}",
        link.cuts()
    );
    assert_eq!(laptop.store.sync_status().unwrap().pending, 0);
    let admin_view = hub.admin();
    let status = admin_view.status().unwrap();
    assert_eq!(admin_view.received_count().unwrap(), u64::from(created));
    assert_eq!(status.rows, u64::from(created));
    // A batch holds at most ~batch_bytes of payload: resending only the batch in flight at each
    // cut bounds the duplicates by cuts × (mutations in one batch).
    assert!(
        status.duplicates <= link.cuts() * per_batch,
        "{} duplicates after {} cuts (batch of {per_batch})",
        status.duplicates,
        link.cuts()
    );
    assert_eq!(
        laptop.store.sync_checksum().unwrap(),
        admin_view.checksum_for("TERJUN").unwrap()
    );
}
