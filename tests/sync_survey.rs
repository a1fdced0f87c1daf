//! The questionnaire study over real HTTP: the HQ's instrument reaches every office, each
//! office's answer sheets reach the HQ and no other office, closing at the HQ closes everywhere,
//! and every laptop ends with exactly the rows the hub says it should hold.

mod support;

use std::collections::BTreeMap;

use pelita_core::survey::{default_instrument, item_codes, InstrumentStatus};
use pelita_store::StoreError;
use support::district;

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
    let mut hub_admin = hub.admin();
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
