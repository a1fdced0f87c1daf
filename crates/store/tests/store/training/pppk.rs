//! PP 49/2018 Pasal 40: a PPPK's development is at most 24 JP per year of their work contract.
//! The JP report counts a PPPK's JP over the contract year that holds the report's day, not the
//! calendar year; a PPPK whose contract is not recorded is counted per calendar year, and said so.

use pelita_core::reference::EmploymentStatus;
use pelita_core::training::TrainingStatus;
use pelita_store::{EmployeeRow, JpLine};

use crate::common::training::{present, training, world, World};

fn complete(w: &mut World, day: &str, who: &EmployeeRow) {
    let admin = w.admin.clone();
    let t = w
        .store
        .create_training(&admin, &training(day, day, &[day], 30))
        .unwrap();
    w.store.enrol(&admin, &t.id, &who.id).unwrap();
    w.store
        .record_attendance(&admin, &t.session_ids[0], &[present(who)])
        .unwrap();
    let t = w.store.training(&admin, &t.id).unwrap();
    w.store
        .set_training_status(&admin, &t.id, t.version, TrainingStatus::Selesai)
        .unwrap();
}

fn line(w: &mut World, year: i32, e: &EmployeeRow) -> JpLine {
    let admin = w.admin.clone();
    w.store
        .jp_report(&admin, year, None)
        .unwrap()
        .into_iter()
        .find(|l| l.employee_id == e.id)
        .unwrap()
}

fn set_contract(w: &mut World, e: &EmployeeRow, start: Option<&str>, end: Option<&str>) {
    let admin = w.admin.clone();
    let mut input = e.to_input();
    input.contract_start = start.map(str::to_string);
    input.contract_end = end.map(str::to_string);
    w.store
        .update_employee(&admin, &e.id, e.version, &input)
        .unwrap();
}

#[test]
fn a_pppk_is_counted_per_contract_year() {
    let mut w = world();
    let admin = w.admin.clone();
    let pppk: Vec<EmployeeRow> = w
        .store
        .list_employees(&admin, &pelita_store::EmployeeQuery::default())
        .unwrap()
        .into_iter()
        .filter(|e| e.status == EmploymentStatus::Pppk)
        .collect();
    assert!(pppk.len() >= 2, "the demo register has PPPK");
    let (rina, sari) = (pppk[0].clone(), pppk[1].clone());
    set_contract(&mut w, &rina, Some("2025-07-01"), Some("2030-06-30"));
    set_contract(&mut w, &sari, None, None);
    // 12 JP each: one in March 2026 (contract year 2025/26), one in September (2026/27).
    complete(&mut w, "2026-03-10", &rina);
    complete(&mut w, "2026-09-10", &rina);
    complete(&mut w, "2026-09-17", &sari);

    // The 2026 report is taken at 31 December 2026: Rina's contract year 1 July 2026 – 30 June
    // 2027 holds September's 12 JP, not March's (the calendar year would say 24).
    let l = line(&mut w, 2026, &rina);
    assert_eq!(
        (l.jp, l.counted_from.as_str(), l.counted_to.as_str()),
        (12, "2026-07-01", "2027-06-30")
    );
    assert!(!l.contract_missing);
    let l = line(&mut w, 2025, &rina);
    assert_eq!((l.jp, l.counted_from.as_str()), (12, "2025-07-01"));
    // Sari's contract is not recorded: counted per calendar year, and the report says so.
    let l = line(&mut w, 2026, &sari);
    assert_eq!(
        (l.jp, l.counted_from.as_str(), l.contract_missing),
        (12, "2026-01-01", true)
    );
    // A PNS is counted per calendar year, as ever.
    let pns = w
        .terjun
        .iter()
        .find(|e| e.status == EmploymentStatus::Pns)
        .unwrap()
        .clone();
    let l = line(&mut w, 2026, &pns);
    assert_eq!(
        (
            l.counted_from.as_str(),
            l.counted_to.as_str(),
            l.contract_missing
        ),
        ("2026-01-01", "2026-12-31", false)
    );
}

#[test]
fn contract_dates_are_for_a_pppk_only_and_both_or_neither() {
    let mut w = world();
    let admin = w.admin.clone();
    let pns = w
        .terjun
        .iter()
        .find(|e| e.status == EmploymentStatus::Pns)
        .unwrap()
        .clone();
    let mut input = pns.to_input();
    input.contract_start = Some("2025-07-01".into());
    input.contract_end = Some("2030-06-30".into());
    let err = w
        .store
        .update_employee(&admin, &pns.id, pns.version, &input)
        .unwrap_err();
    assert!(err.to_string().contains("hanya diisi untuk PPPK"), "{err}");
    let pppk = w
        .terjun
        .iter()
        .find(|e| e.status == EmploymentStatus::Pppk)
        .unwrap()
        .clone();
    let mut input = pppk.to_input();
    input.contract_start = Some("2025-07-01".into());
    input.contract_end = Some("2025-06-30".into());
    let err = w
        .store
        .update_employee(&admin, &pppk.id, pppk.version, &input)
        .unwrap_err();
    assert!(err.to_string().contains("sesudah awalnya"), "{err}");
    input.contract_end = None;
    let err = w
        .store
        .update_employee(&admin, &pppk.id, pppk.version, &input)
        .unwrap_err();
    assert!(err.to_string().contains("isi juga akhir"), "{err}");
}
