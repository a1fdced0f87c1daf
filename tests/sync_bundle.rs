//! No link at all: a laptop's changes travel to the hub in a sealed bundle file and the hub's
//! answer comes back the same way. Importing a bundle twice changes nothing; an altered, foreign
//! or revoked bundle is refused with the reason; the result equals an online sync.

mod support;

use support::{Hub, Laptop};

#[test]
fn bundles_carry_changes_both_ways_exactly_once() {
    let dir = tempfile::tempdir().unwrap();
    let hub = Hub::start(&dir.path().join("hub.sqlite")).unwrap();
    let mut terjun = Laptop::new(dir.path(), "terjun", "TERJUN");
    let mut hq = Laptop::new(dir.path(), "hq", "KEC-MARELAN");
    terjun.enrol(&hub);
    hq.enrol(&hub);
    // The HQ's change waits at the hub for the offline office.
    hq.add_employee(4, "Dedi Kantor Camat");
    hq.sync();
    // Then the link is gone: Terjun works offline.
    terjun.add_employee(1, "Ani Terjun");
    terjun.add_employee(2, "Budi Terjun");

    let (to_hub, count) = pelita_sync::bundle::export(&terjun.store).unwrap();
    assert_eq!(count, 2);
    assert!(
        !to_hub.windows(10).any(|w| w == b"Ani Terjun".as_slice()),
        "the bundle is sealed, names are not readable"
    );
    let admin = hub.admin();
    let (report, answer) = pelita_hub::bundle::import(&*admin, &to_hub).unwrap();
    assert_eq!(
        (report.mutations, report.duplicates, report.rows_out),
        (2, 0, 1)
    );
    // The same bundle again (a second USB trip): nothing new.
    let (again, _) = pelita_hub::bundle::import(&*admin, &to_hub).unwrap();
    assert_eq!(again.duplicates, 2);
    assert_eq!(admin.received_count().unwrap(), 3);
    assert_eq!(admin.status().unwrap().rows, 3);

    // A bundle is refused when altered, or brought back to the wrong side.
    let mut altered = to_hub.clone();
    let n = altered.len();
    altered[n - 3] ^= 0x40;
    let err = pelita_hub::bundle::import(&*admin, &altered).unwrap_err();
    assert!(err.to_string().contains("tidak dapat dibuka"), "{err}");
    let wrong_way = pelita_hub::bundle::import(&*admin, &answer).unwrap_err();
    assert!(wrong_way.to_string().contains("jawaban hub"), "{wrong_way}");
    let err =
        pelita_sync::bundle::import(&mut terjun.store, &terjun.admin.clone(), &to_hub).unwrap_err();
    assert!(err.to_string().contains("kiriman laptop"), "{err}");
    let err = pelita_sync::bundle::import(&mut hq.store, &hq.admin.clone(), &answer).unwrap_err();
    assert!(err.to_string().contains("laptop lain"), "{err}");

    let back =
        pelita_sync::bundle::import(&mut terjun.store, &terjun.admin.clone(), &answer).unwrap();
    assert_eq!((back.pushed, back.pulled), (2, 1));
    assert_eq!(terjun.store.pending_count().unwrap(), 0);
    assert_eq!(
        terjun.nips(),
        vec![
            "199505052020121001".to_string(),
            "199505052020121002".into(),
            "199505052020121004".into()
        ]
    );
    assert_eq!(
        terjun.store.sync_checksum().unwrap(),
        admin.checksum_for("TERJUN").unwrap()
    );
    // Online again later: nothing left to send, nothing new to fetch.
    let online = terjun.sync();
    assert_eq!((online.pushed, online.pulled), (0, 0));

    // A revoked laptop's bundle is refused.
    let device = terjun.store.sync_enrolment().unwrap().unwrap().device_id;
    admin.revoke(&device).unwrap();
    terjun.add_employee(3, "Citra Terjun");
    let (late, _) = pelita_sync::bundle::export(&terjun.store).unwrap();
    let err = pelita_hub::bundle::import(&*admin, &late).unwrap_err();
    assert!(err.to_string().contains("dicabut"), "{err}");
}
