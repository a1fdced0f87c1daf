//! A signed appraisal between two laptops of one office. Both laptops write one row for an
//! employee's period (its id follows from the employee and the period), so the hub meets the
//! second as a conflict or refuses it; it never keeps two signed documents for one period.
//! - Both sign, offline: the first to reach the hub counts; the second laptop is refused, holds
//!   the hub's signed version, and keeps its own in the refused list for the Lurah to see.
//! - One signs while the other's draft reached the hub first: a conflict, in which the signature
//!   is not thrown away for the draft (the store refuses "keep theirs"), and "keep mine" brings
//!   the signed version to the hub and from there to the other laptop.
//! - Every laptop knows the same penilai for every period (the atasan history travels with the
//!   employee row).

mod support;

use pelita_core::appraisal::{Period, Rating};
use pelita_core::auth::Actor;
use pelita_store::{AppraisalStatus, PeriodRef, Resolution};
use support::{appraisal_form, employee_input, lurah, Hub, Laptop, PW};

const LURAH: &str = "197001012000011001";
const BUDI: &str = "198202022006011002";

struct Office {
    _dir: tempfile::TempDir,
    hub: Hub,
    a: Laptop,
    b: Laptop,
    budi: String,
}

/// Two Terjun laptops holding the Lurah and Budi (whose atasan the Lurah is), synced.
fn office() -> Office {
    let dir = tempfile::tempdir().unwrap();
    let hub = Hub::start(&dir.path().join("hub.sqlite")).unwrap();
    let mut a = Laptop::new(dir.path(), "terjun-1", "TERJUN");
    let mut b = Laptop::new(dir.path(), "terjun-2", "TERJUN");
    a.enrol(&hub);
    b.enrol(&hub);
    let admin = a.admin.clone();
    let lurah_row = a
        .store
        .create_employee(
            &admin,
            &pelita_core::employee::EmployeeInput {
                nip: LURAH.into(),
                name: "Rahmat Lubis".into(),
                jabatan: "Lurah".into(),
                ..employee_input("TERJUN")
            },
        )
        .unwrap();
    let budi = a
        .store
        .create_employee(
            &admin,
            &pelita_core::employee::EmployeeInput {
                nip: BUDI.into(),
                name: "Budi Nasution".into(),
                atasan_id: Some(lurah_row.id),
                ..employee_input("TERJUN")
            },
        )
        .unwrap()
        .id;
    a.sync();
    b.sync();
    Office {
        _dir: dir,
        hub,
        a,
        b,
        budi,
    }
}

/// The Lurah drafts Budi's Triwulan I appraisal on `l` with `hasil`, and signs it when `sign`.
fn appraise(l: &mut Laptop, budi: &str, hasil: Rating, sign: bool) -> Actor {
    let me = lurah(l, LURAH).expect("the laptop holds the Lurah");
    let draft = l
        .store
        .save_appraisal(&me, None, 0, &appraisal_form(budi, hasil))
        .unwrap();
    if sign {
        l.store
            .finalize_appraisal(&me, &draft.id, draft.version, PW)
            .unwrap();
    }
    me
}

/// Budi's Triwulan I appraisal on `l`: its status and Hasil Kerja rating.
fn budis(l: &mut Laptop, me: &Actor) -> (AppraisalStatus, Option<Rating>) {
    let period = PeriodRef {
        year: 2026,
        period: Period::TriwulanI,
        month: None,
    };
    let line = l
        .store
        .appraisal_roster(me, &period)
        .unwrap()
        .into_iter()
        .find(|line| line.employee.nip == BUDI)
        .unwrap();
    let a = l
        .store
        .appraisal(me, &line.appraisal_id.expect("an appraisal"))
        .unwrap();
    (a.status, a.document.hasil_kerja)
}

#[test]
fn two_laptops_signing_one_appraisal_keep_the_first_and_show_the_second_as_refused() {
    let mut o = office();
    let me_a = appraise(&mut o.a, &o.budi, Rating::DiAtas, true);
    let me_b = appraise(&mut o.b, &o.budi, Rating::DiBawah, true);
    o.a.sync();
    let report = o.b.sync();
    assert_eq!(report.rejected, 1, "{report:?}");

    // Laptop B holds the signed version the hub has, not its own.
    assert_eq!(
        budis(&mut o.b, &me_b),
        (AppraisalStatus::Final, Some(Rating::DiAtas))
    );
    let admin = o.b.admin.clone();
    let refused = o.b.store.sync_rejections(&admin).unwrap();
    assert_eq!(refused.len(), 1);
    assert!(refused[0].reason.contains("sudah ditandatangani di hub"));
    assert!(refused[0]
        .local_payload
        .as_deref()
        .unwrap()
        .contains("Di Bawah Ekspektasi"));
    o.b.store
        .discard_rejected(&admin, &refused[0].mutation_id)
        .unwrap();
    o.b.sync();
    assert_eq!(
        budis(&mut o.a, &me_a),
        (AppraisalStatus::Final, Some(Rating::DiAtas))
    );
    let hub_sum = o.hub.admin().checksum_for("TERJUN").unwrap();
    assert_eq!(o.a.store.sync_checksum().unwrap(), hub_sum);
    assert_eq!(o.b.store.sync_checksum().unwrap(), hub_sum);
    assert_eq!(o.b.store.sync_status().unwrap().rejected, 0);
}

#[test]
fn a_signature_is_not_thrown_away_for_a_draft_in_a_conflict() {
    let mut o = office();
    let me_a = appraise(&mut o.a, &o.budi, Rating::Sesuai, false);
    let me_b = appraise(&mut o.b, &o.budi, Rating::DiAtas, true);
    o.a.sync();
    let report = o.b.sync();
    assert!(report.conflicts >= 1, "{report:?}");

    let admin = o.b.admin.clone();
    let conflicts = o.b.store.sync_conflicts(&admin).unwrap();
    let first = &conflicts[0].mutation_id;
    let e =
        o.b.store
            .resolve_conflict(&admin, first, &Resolution::KeepTheirs)
            .unwrap_err();
    assert!(e.to_string().contains("sudah ditandatangani"), "{e}");
    // Nor is a signed document merged field by field (the hub's ratings under this signature).
    let mut merged: serde_json::Value = serde_json::from_str(&conflicts[0].local_payload).unwrap();
    let hub_row: serde_json::Value = serde_json::from_str(&conflicts[0].hub_payload).unwrap();
    merged["document"] = hub_row["document"].clone();
    let e =
        o.b.store
            .resolve_conflict(&admin, first, &Resolution::Merged(merged.to_string()))
            .unwrap_err();
    assert!(e.to_string().contains("tidak dapat digabung"), "{e}");
    for c in o.b.store.sync_conflicts(&admin).unwrap() {
        o.b.store
            .resolve_conflict(&admin, &c.mutation_id, &Resolution::KeepMine)
            .unwrap();
    }
    o.b.sync();
    o.a.sync();
    for (l, me) in [(&mut o.a, &me_a), (&mut o.b, &me_b)] {
        assert_eq!(budis(l, me), (AppraisalStatus::Final, Some(Rating::DiAtas)));
        assert_eq!(l.store.sync_status().unwrap().open_conflicts, 0);
    }
    let hub_sum = o.hub.admin().checksum_for("TERJUN").unwrap();
    assert_eq!(o.a.store.sync_checksum().unwrap(), hub_sum);
    assert_eq!(o.b.store.sync_checksum().unwrap(), hub_sum);
}

/// The penilai of a period is the same on every laptop: the atasan history travels with the
/// employee row, dated by the laptop that changed it. Before, a laptop dated each change by the
/// day it applied it, and one that saw only the latest version knew only the latest atasan.
#[test]
fn every_laptop_knows_the_same_penilai_for_every_period() {
    let day = |m, d| chrono::NaiveDate::from_ymd_opt(2026, m, d).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let hub = Hub::start(&dir.path().join("hub.sqlite")).unwrap();
    let mut a = Laptop::new(dir.path(), "terjun-1", "TERJUN");
    a.enrol(&hub);
    let admin = a.admin.clone();
    // January: the register, Budi under the Lurah.
    a.store.pin_today(day(1, 5)).unwrap();
    let person =
        |nip: &str, name: &str, atasan: Option<String>| pelita_core::employee::EmployeeInput {
            nip: nip.into(),
            name: name.into(),
            atasan_id: atasan,
            ..employee_input("TERJUN")
        };
    let lurah_row = a
        .store
        .create_employee(&admin, &person(LURAH, "Rahmat Lubis", None))
        .unwrap();
    let sekretaris = a
        .store
        .create_employee(
            &admin,
            &person(
                "198503032008012003",
                "Citra Siregar",
                Some(lurah_row.id.clone()),
            ),
        )
        .unwrap();
    let budi = a
        .store
        .create_employee(
            &admin,
            &person(BUDI, "Budi Nasution", Some(lurah_row.id.clone())),
        )
        .unwrap();
    // May: Budi moves under the Sekretaris Lurah.
    a.store.pin_today(day(5, 10)).unwrap();
    let mut moved = budi.to_input();
    moved.atasan_id = Some(sekretaris.id.clone());
    a.store
        .update_employee(&admin, &budi.id, budi.version, &moved)
        .unwrap();
    a.store.unpin_today().unwrap();
    a.sync();

    // A second laptop joins in December and receives only each row's latest version.
    let mut b = Laptop::new(dir.path(), "terjun-2", "TERJUN");
    b.enrol(&hub);
    b.sync();
    let q1 = PeriodRef {
        year: 2026,
        period: Period::TriwulanI,
        month: None,
    };
    let q3 = PeriodRef {
        period: Period::TriwulanIII,
        ..q1
    };
    for l in [&mut a, &mut b] {
        let me = lurah(l, LURAH).unwrap();
        let reports = |l: &mut Laptop, p: &PeriodRef| -> Vec<String> {
            l.store
                .appraisal_roster(&me, p)
                .unwrap()
                .into_iter()
                .map(|line| line.employee.nip)
                .collect()
        };
        assert!(
            reports(l, &q1).contains(&BUDI.to_string()),
            "{}",
            l.office_code
        );
        assert!(
            !reports(l, &q3).contains(&BUDI.to_string()),
            "{}",
            l.office_code
        );
    }

    // An upgraded district: rows stored at the hub before the log existed carry none. A laptop set
    // up now derives a thin history from them (the current atasan, from today), and its next edit
    // of Budi carries that thin log; the laptops that knew more keep it.
    let db = rusqlite::Connection::open(&hub.db).unwrap();
    db.execute(
        "UPDATE row SET payload = json_remove(payload, '$.atasan_log') WHERE entity = 'employee'",
        [],
    )
    .unwrap();
    let mut c = Laptop::new(dir.path(), "terjun-3", "TERJUN");
    c.enrol(&hub);
    c.sync();
    c.set_jabatan(&budi.id, "Pengadministrasi Umum");
    c.sync();
    a.sync();
    let me = lurah(&mut a, LURAH).unwrap();
    let q1_reports: Vec<String> = a
        .store
        .appraisal_roster(&me, &q1)
        .unwrap()
        .into_iter()
        .map(|line| line.employee.nip)
        .collect();
    assert!(q1_reports.contains(&BUDI.to_string()), "{q1_reports:?}");
}
