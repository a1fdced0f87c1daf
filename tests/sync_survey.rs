//! The questionnaire study over real HTTP: the HQ's instrument reaches every office, each
//! office's answer sheets reach the HQ and no other office, closing at the HQ closes everywhere,
//! and every laptop ends with exactly the rows the hub says it should hold.

mod support;

use std::collections::BTreeMap;

use pelita_core::survey::{default_instrument, item_codes, InstrumentStatus};
use pelita_store::{Resolution, StoreError};
use support::{district, Hub, Laptop};

#[test]
fn the_hqs_instrument_reaches_the_offices_and_their_answers_reach_only_the_hq() {
    let dir = tempfile::tempdir().unwrap();
    let (hub, mut terjun, mut paya, mut hq) = district(dir.path());
    let draft = default_instrument();
    let hq_admin = hq.admin.clone();
    let i = hq
        .store
        .save_instrument(&hq_admin, None, 0, &draft)
        .unwrap();
    hq.store
        .set_instrument_status(&hq_admin, &i.id, 1, InstrumentStatus::Dibuka)
        .unwrap();
    hq.sync();
    let ani = terjun.add_employee(1, "Ani Terjun");
    let dedi = hq.add_employee(4, "Dedi Kantor Camat");
    hq.sync();
    terjun.sync();
    paya.sync();
    let answers = |v: u8| -> BTreeMap<String, u8> {
        item_codes(&draft.constructs)
            .into_iter()
            .map(|c| (c, v))
            .collect()
    };
    for (laptop, named) in [(&mut terjun, Some(ani.id.clone())), (&mut paya, None)] {
        let admin = laptop.admin.clone();
        let seen = laptop.store.list_instruments(&admin).unwrap();
        assert_eq!(seen.len(), 1, "the district's instrument arrived");
        assert_eq!(seen[0].status, InstrumentStatus::Dibuka);
        laptop
            .store
            .record_survey_response(&admin, &i.id, named.as_deref(), &answers(4))
            .unwrap();
        laptop
            .store
            .record_survey_response(&admin, &i.id, None, &answers(2))
            .unwrap();
        laptop.sync();
    }
    hq.sync();
    let at_hq = hq.store.survey_responses(&hq_admin, &i.id, None).unwrap();
    assert_eq!(at_hq.len(), 4, "the HQ holds every office's sheets");
    assert_eq!(
        at_hq
            .iter()
            .filter(|r| r.respondent.as_deref() == Some("Ani Terjun"))
            .count(),
        1
    );
    let terjun_admin = terjun.admin.clone();
    assert_eq!(
        terjun
            .store
            .survey_responses(&terjun_admin, &i.id, None)
            .unwrap()
            .len(),
        2,
        "an office holds its own sheets only"
    );

    // An office laptop changes neither the district's instrument nor the HQ's staff's sheets:
    // the hub would refuse them, and a refused local version would shadow the HQ's next one.
    let district = terjun.store.instrument(&terjun_admin, &i.id).unwrap();
    for refused in [
        terjun
            .store
            .set_instrument_status(
                &terjun_admin,
                &i.id,
                district.version,
                InstrumentStatus::Ditutup,
            )
            .map(drop),
        terjun
            .store
            .save_instrument(&terjun_admin, Some(&i.id), district.version, &draft)
            .map(drop),
        terjun
            .store
            .record_survey_response(&terjun_admin, &i.id, Some(&dedi.id), &answers(3))
            .map(drop),
    ] {
        // Refused by the role (the Admin Kantor acts for its own office only) or by the row's
        // owner, whichever the store meets first.
        match refused {
            Err(StoreError::Validation(v)) => assert_eq!(v.errors[0].field, "office"),
            Err(StoreError::PermissionDenied(_)) => {}
            other => panic!("expected a refusal, got {other:?}"),
        }
    }

    // Closed at the HQ, closed everywhere: the next sheet is refused on the laptop itself.
    let current = hq.store.instrument(&hq_admin, &i.id).unwrap();
    hq.store
        .set_instrument_status(&hq_admin, &i.id, current.version, InstrumentStatus::Ditutup)
        .unwrap();
    hq.sync();
    terjun.sync();
    paya.sync();
    assert!(matches!(
        terjun
            .store
            .record_survey_response(&terjun_admin, &i.id, None, &answers(3)),
        Err(StoreError::Validation(_))
    ));
    let hub_admin = hub.admin();
    for l in [&terjun, &paya, &hq] {
        assert_eq!(
            l.store.sync_checksum().unwrap(),
            hub_admin.checksum_for(&l.office_code).unwrap(),
            "{}",
            l.office_code
        );
        let s = l.store.sync_status().unwrap();
        assert_eq!((s.pending, s.open_conflicts, s.rejected), (0, 0, 0));
    }
}

#[test]
fn a_settled_conflict_cannot_reopen_the_items_of_an_opened_instrument() {
    let dir = tempfile::tempdir().unwrap();
    let hub = Hub::start(&dir.path().join("hub.sqlite")).unwrap();
    let mut first = Laptop::new(dir.path(), "hq-1", "KEC-MARELAN");
    let mut second = Laptop::new(dir.path(), "hq-2", "KEC-MARELAN");
    first.enrol(&hub);
    second.enrol(&hub);
    let draft = default_instrument();
    let admin = first.admin.clone();
    let i = first
        .store
        .save_instrument(&admin, None, 0, &draft)
        .unwrap();
    first.sync();
    second.sync();
    // The first laptop opens it; the second, not yet knowing, adds a statement to its draft.
    first
        .store
        .set_instrument_status(&admin, &i.id, 1, InstrumentStatus::Dibuka)
        .unwrap();
    first.sync();
    let mut longer = draft.clone();
    longer.constructs[0]
        .items
        .push("Butir yang terlambat.".into());
    let other = second.admin.clone();
    second
        .store
        .save_instrument(&other, Some(&i.id), 1, &longer)
        .unwrap();
    second.sync();
    let conflict = second.store.sync_conflicts(&other).unwrap().remove(0);
    assert_eq!(conflict.entity, "survey_instrument");
    for how in [
        Resolution::KeepMine,
        Resolution::Merged(conflict.local_payload.clone()),
    ] {
        match second
            .store
            .resolve_conflict(&other, &conflict.mutation_id, &how)
        {
            Err(StoreError::Validation(v)) => {
                assert!(v.errors[0].message.contains("Draf"), "{v}")
            }
            other => panic!("the opened instrument must stay fixed: {other:?}"),
        }
    }
    assert_eq!(
        second.store.sync_conflicts(&other).unwrap().len(),
        1,
        "still open"
    );
    second
        .store
        .resolve_conflict(&other, &conflict.mutation_id, &Resolution::KeepTheirs)
        .unwrap();
    let now = second.store.instrument(&other, &i.id).unwrap();
    assert_eq!(now.status, InstrumentStatus::Dibuka);
    assert_eq!(now.constructs, draft.constructs);
    second.sync();
    first.sync();
    assert_eq!(
        first.store.sync_checksum().unwrap(),
        second.store.sync_checksum().unwrap()
    );
}
