//! Who appraises whom: a penilai sees exactly their direct reports, nobody else's.

use pelita_core::auth::{Actor, Role};
use pelita_core::employee::Deactivation;
use pelita_core::reference::InactiveReason;
use pelita_store::{EmployeeQuery, EmployeeRow, NewUser, Store};

mod common;

const PW: &str = "Lampu-Marelan-2026";

fn account(store: &mut Store, admin: &Actor, username: &str, nip: &str) -> Actor {
    let user = NewUser {
        username: username.into(),
        full_name: username.into(),
        roles: vec![Role::Pegawai],
        office_code: None,
        employee_nip: Some(nip.into()),
        password: PW.into(),
    };
    store.add_user(admin, &user).unwrap();
    store.login(username, PW).unwrap()
}

fn names(rows: &[EmployeeRow]) -> Vec<String> {
    rows.iter().map(|e| e.nip.clone()).collect()
}

#[test]
fn a_penilai_sees_exactly_their_direct_reports() {
    let dir = tempfile::tempdir().unwrap();
    let (mut store, admin) = common::create(dir.path(), "TERJUN", true, PW);
    let everyone = store
        .list_employees(&admin, &EmployeeQuery::default())
        .unwrap();
    let lurah = everyone
        .iter()
        .find(|e| e.office_code == "TERJUN" && e.jabatan == "Lurah")
        .unwrap();
    let camat = everyone.iter().find(|e| e.jabatan == "Camat").unwrap();
    let reports_of = |id: &str| {
        let mut v: Vec<String> = everyone
            .iter()
            .filter(|e| e.atasan_id.as_deref() == Some(id))
            .map(|e| e.nip.clone())
            .collect();
        v.sort();
        v
    };

    let as_lurah = account(&mut store, &admin, "lurah", &lurah.nip);
    let mut got = names(&store.appraisal_roster(&as_lurah).unwrap());
    got.sort();
    assert!(!got.is_empty());
    assert_eq!(got, reports_of(&lurah.id));

    // The Camat appraises the Lurah, but not the Lurah's staff.
    let as_camat = account(&mut store, &admin, "camat", &camat.nip);
    let camat_roster = names(&store.appraisal_roster(&as_camat).unwrap());
    assert!(camat_roster.contains(&lurah.nip));
    assert!(got.iter().all(|nip| !camat_roster.contains(nip)));

    // A staff member without reports is no penilai; an admin without an employee record
    // appraises nobody.
    let staff = everyone
        .iter()
        .find(|e| e.atasan_id.as_deref() == Some(lurah.id.as_str()) && reports_of(&e.id).is_empty())
        .unwrap();
    let as_staff = account(&mut store, &admin, "staf", &staff.nip);
    let err = store.appraisal_roster(&as_staff).unwrap_err();
    assert_eq!(
        err.to_string(),
        "Anda tidak berhak menilai kinerja pegawai (hanya atasan langsung)"
    );
    assert!(store.appraisal_roster(&admin).unwrap().is_empty());

    // A report who moves away (mutasi) leaves the roster.
    store
        .deactivate_employee(
            &admin,
            &staff.id,
            staff.version,
            &Deactivation {
                reason: InactiveReason::Mutasi,
                note: String::new(),
            },
        )
        .unwrap();
    let after = names(&store.appraisal_roster(&as_lurah).unwrap());
    assert!(!after.contains(&staff.nip));
    assert_eq!(after.len(), got.len() - 1);
}
