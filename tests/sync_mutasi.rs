//! A transfer (mutasi) between two kelurahan, through the real hub: Terjun records that Budi moves
//! to Paya Pasir from 1 July, Paya Pasir sees the request, the Kantor Camat approves it, and after
//! syncing:
//! - Paya Pasir holds Budi, owns him, and holds his history: the Terjun training he completed
//!   (with its JP), his attendance and L1 questionnaire, his signed Triwulan I appraisal;
//! - Terjun no longer lists or edits him but reads his history (the office he left);
//! - Terjun's Lurah appraises him up to Triwulan II, Paya Pasir's Lurah from Triwulan III (the
//!   atasan history is dated by the TMT on every laptop).
//!
//! What a transfer may not do is `tests/sync_mutasi_rules.rs`.

mod support;

use pelita_core::appraisal::{Period, Rating};
use pelita_core::mutasi::{MutasiInput, MutasiStatus};
use pelita_core::office::office_id;
use support::transfer::*;
use support::{appraisal_form, employee_input, Laptop, PW};

#[test]
fn a_transfer_recorded_by_the_sending_office_and_approved_moves_the_employee_with_their_history() {
    let (mut d, budi) = district();
    d.pin("2026-06-20");
    let admin = d.terjun.admin.clone();
    let asked = d
        .terjun
        .store
        .record_mutasi(&admin, &transfer_to_paya("2026-07-01"))
        .unwrap();
    assert_eq!(asked.status, MutasiStatus::Diajukan);
    assert_eq!(asked.from_office_id, office_id("TERJUN"));
    // Recorded once: a second request for him waits for the first to be decided.
    let twice = d
        .terjun
        .store
        .record_mutasi(&admin, &transfer_to_paya("2026-08-01"))
        .unwrap_err();
    assert!(validation(twice).contains("menunggu keputusan Kantor Camat"));
    d.sync_all();

    // The receiving office sees the request; the Kantor Camat decides it, not before the TMT.
    let paya_admin = d.paya.admin.clone();
    let seen = d.paya.store.mutasi_list(&paya_admin).unwrap();
    assert_eq!(
        seen.iter()
            .map(|m| (m.nip.as_str(), m.status))
            .collect::<Vec<_>>(),
        [(BUDI, MutasiStatus::Diajukan)]
    );
    let hq_admin = d.hq.admin.clone();
    let early =
        d.hq.store
            .approve_mutasi(&hq_admin, &asked.id, asked.version, &approval())
            .unwrap_err();
    assert!(validation(early).contains("belum tiba"));
    let refused = d
        .terjun
        .store
        .approve_mutasi(&admin, &asked.id, asked.version, &approval())
        .unwrap_err();
    assert_eq!(refused.code().to_string(), "permission_denied", "{refused}");
    d.pin("2026-07-02");
    let approved =
        d.hq.store
            .approve_mutasi(&hq_admin, &asked.id, asked.version, &approval())
            .unwrap();
    assert_eq!(approved.status, MutasiStatus::Disetujui);
    assert_eq!(approved.sk_number, "800/1234/BKPSDM/2026");
    d.sync_all();

    // Paya Pasir: Budi is its own now, with Citra as his atasan and his whole history.
    let row = d
        .paya
        .store
        .employee_detail(&paya_admin, &budi)
        .unwrap()
        .employee;
    assert_eq!(
        (row.office_code.as_str(), row.atasan_nip.as_deref()),
        ("PAYA-PASIR", Some(CITRA))
    );
    let listed: Vec<String> = d
        .paya
        .store
        .list_employees(&paya_admin, &Default::default())
        .unwrap()
        .into_iter()
        .map(|e| e.nip)
        .collect();
    assert!(listed.contains(&BUDI.to_string()), "{listed:?}");
    let history = d.paya.store.training_history(&paya_admin, &budi).unwrap();
    assert_eq!(
        history
            .lines
            .iter()
            .map(|l| (l.title.as_str(), l.completed, l.jp_diakui))
            .collect::<Vec<_>>(),
        [("Bimtek Pelayanan Prima", true, 8)]
    );
    let jp = d.paya.store.jp_report(&paya_admin, 2026, None).unwrap();
    let budis = jp.iter().find(|l| l.nip == BUDI).unwrap();
    assert_eq!(
        budis.jp, 8,
        "the JP he earned at Terjun counts at Paya Pasir"
    );
    let held = |l: &Laptop, sql: &str| -> i64 {
        l.store
            .connection()
            .query_row(sql, [&budi], |r| r.get(0))
            .unwrap()
    };
    for l in [&d.paya, &d.terjun] {
        assert_eq!(
            held(l, "SELECT count(*) FROM attendance WHERE employee_id = ?1"),
            2
        );
        assert_eq!(
            held(l, "SELECT count(*) FROM reaction WHERE employee_id = ?1"),
            1
        );
        assert_eq!(
            held(
                l,
                "SELECT count(*) FROM appraisal WHERE employee_id = ?1 AND status = 'Final'"
            ),
            1
        );
        assert_eq!(
            held(l, "SELECT count(*) FROM participation WHERE employee_id = ?1 AND owner_office_id = (SELECT office_id FROM employee WHERE id = ?1)"),
            1
        );
    }
    // Who appraises him: Ani up to Triwulan II, Citra from Triwulan III — on every laptop that
    // holds them (each kelurahan laptop holds its own Lurah, the Kantor Camat's both).
    let budi_nip = BUDI.to_string();
    for (which, name, nip) in [
        ("terjun", "ani", ANI),
        ("hq", "ani", ANI),
        ("hq", "citra", CITRA),
        ("paya", "citra", CITRA),
    ] {
        let l = match which {
            "terjun" => &mut d.terjun,
            "paya" => &mut d.paya,
            _ => &mut d.hq,
        };
        let who = person(l, name, nip);
        let (before, after) = (
            roster(l, &who, Period::TriwulanII).contains(&budi_nip),
            roster(l, &who, Period::TriwulanIII).contains(&budi_nip),
        );
        let expected = if nip == ANI {
            (true, false)
        } else {
            (false, true)
        };
        assert_eq!((before, after), expected, "{name} on {}", l.office_code);
    }
    // Ani appraises him for Triwulan II on Terjun's laptop after the move (the period was hers);
    // Citra for Triwulan III on Paya Pasir's. Signed, both follow him to Paya Pasir.
    d.pin("2026-07-06");
    let ani = person(&mut d.terjun, "ani", ANI);
    let mut form = appraisal_form(&budi, Rating::DiAtas);
    form.period = Period::TriwulanII;
    let q2 = d.terjun.store.save_appraisal(&ani, None, 0, &form).unwrap();
    d.sync_all();
    d.terjun
        .store
        .finalize_appraisal(&ani, &q2.id, q2.version, PW)
        .unwrap();
    d.pin("2026-10-05");
    let citra = person(&mut d.paya, "citra", CITRA);
    let mut form = appraisal_form(&budi, Rating::Sesuai);
    form.period = Period::TriwulanIII;
    let q3 = d.paya.store.save_appraisal(&citra, None, 0, &form).unwrap();
    d.paya
        .store
        .finalize_appraisal(&citra, &q3.id, q3.version, PW)
        .unwrap();
    d.sync_all();
    let signed = |l: &Laptop| -> Vec<(String, String)> {
        let mut stmt = l
            .store
            .connection()
            .prepare(
                "SELECT a.period, o.code FROM appraisal a JOIN office o ON o.id = a.owner_office_id
                 WHERE a.employee_id = ?1 AND a.status = 'Final' ORDER BY a.period",
            )
            .unwrap();
        let rows = stmt
            .query_map([&budi], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap();
        rows.collect::<rusqlite::Result<_>>().unwrap()
    };
    let his = |p: &str| (p.to_string(), "PAYA-PASIR".to_string());
    assert_eq!(
        signed(&d.paya),
        [his("Triwulan I"), his("Triwulan II"), his("Triwulan III")]
    );
    assert_eq!(
        signed(&d.terjun),
        [his("Triwulan I"), his("Triwulan II")],
        "the office he left reads what he did there, not what he does since"
    );

    // Terjun: not on its register any more, not editable, but his history is readable there.
    let listed: Vec<String> = d
        .terjun
        .store
        .list_employees(&admin, &Default::default())
        .unwrap()
        .into_iter()
        .map(|e| e.nip)
        .collect();
    assert!(!listed.contains(&BUDI.to_string()), "{listed:?}");
    let detail = d.terjun.store.employee_detail(&admin, &budi).unwrap();
    assert_eq!(detail.employee.office_code, "PAYA-PASIR");
    assert_eq!(
        d.terjun
            .store
            .training_history(&admin, &budi)
            .unwrap()
            .lines
            .len(),
        1
    );
    let mut edit = detail.employee.to_input();
    edit.jabatan = "Kasi Pemerintahan".into();
    let refused = d
        .terjun
        .store
        .update_employee(&admin, &budi, detail.employee.version, &edit)
        .unwrap_err();
    assert!(
        refused.to_string().contains("hanya berhak") || refused.to_string().contains("milik"),
        "{refused}"
    );
    let moved = d.terjun.store.mutasi_list(&admin).unwrap();
    assert_eq!(moved[0].status, MutasiStatus::Disetujui);
    // A third office never sees it, and every laptop equals the hub.
    for l in [&mut d.terjun, &mut d.paya, &mut d.hq] {
        let report = l.sync();
        assert_eq!(
            (report.pushed, report.rejected, report.conflicts),
            (0, 0, 0)
        );
        assert!(l.store.pending_outbox().unwrap().is_empty());
    }
}

#[test]
fn the_receiving_office_asks_for_a_colleague_and_the_kantor_camat_decides() {
    let (mut d, budi) = district();
    d.pin("2026-07-10");
    let paya_admin = d.paya.admin.clone();
    // Paya Pasir does not hold Budi: it names where he comes from and how the SK writes his name.
    let mut request = MutasiInput {
        from_office_id: None,
        ..transfer_to_paya("2026-07-01")
    };
    let unnamed = d
        .paya
        .store
        .record_mutasi(&paya_admin, &request)
        .unwrap_err();
    assert!(validation(unnamed).contains("kantor asal"));
    request.from_office_id = Some(office_id("TERJUN"));
    let unnamed = d
        .paya
        .store
        .record_mutasi(&paya_admin, &request)
        .unwrap_err();
    assert!(validation(unnamed).contains("tulis namanya"));
    request.employee_name = "Budi Nasution".into();
    let asked = d.paya.store.record_mutasi(&paya_admin, &request).unwrap();
    assert_eq!(asked.owner_office_id, office_id("PAYA-PASIR"));
    // While it waits, Paya Pasir cannot register him a second time: his record comes with it.
    let again = pelita_core::employee::EmployeeInput {
        nip: BUDI.into(),
        name: "Budi Nasution".into(),
        ..employee_input("PAYA-PASIR")
    };
    let e = d
        .paya
        .store
        .create_employee(&paya_admin, &again)
        .unwrap_err();
    assert!(validation(e).contains("sudah diajukan mutasi masuk"));
    // Nor may it record a transfer between two other offices.
    let elsewhere = MutasiInput {
        nip: ANI.into(),
        employee_name: "Ani Lubis".into(),
        from_office_id: Some(office_id("TERJUN")),
        to_office_id: office_id("RENGAS-PULAU"),
        tmt: "2026-07-01".into(),
        ..Default::default()
    };
    let e = d
        .paya
        .store
        .record_mutasi(&paya_admin, &elsewhere)
        .unwrap_err();
    assert_eq!(e.code().to_string(), "permission_denied", "{e}");
    d.sync_all();

    // Terjun learns that Paya Pasir asked for Budi; the Kantor Camat refuses, then approves the
    // request asked again.
    let admin = d.terjun.admin.clone();
    assert_eq!(d.terjun.store.mutasi_list(&admin).unwrap().len(), 1);
    let hq_admin = d.hq.admin.clone();
    let waiting = d.hq.store.mutasi_list(&hq_admin).unwrap().remove(0);
    let no_reason =
        d.hq.store
            .reject_mutasi(&hq_admin, &waiting.id, waiting.version, " ")
            .unwrap_err();
    assert!(validation(no_reason).contains("alasan"));
    let refused =
        d.hq.store
            .reject_mutasi(&hq_admin, &waiting.id, waiting.version, "SK belum diterima")
            .unwrap();
    assert_eq!(refused.status, MutasiStatus::Ditolak);
    d.sync_all();
    let seen = d.paya.store.mutasi_list(&paya_admin).unwrap().remove(0);
    assert_eq!(
        (seen.status, seen.decision_note.as_str()),
        (MutasiStatus::Ditolak, "SK belum diterima")
    );
    let again = d.paya.store.record_mutasi(&paya_admin, &request).unwrap();
    assert_eq!(
        (again.id == asked.id, again.status),
        (true, MutasiStatus::Diajukan)
    );
    d.sync_all();
    let waiting = d.hq.store.mutasi_list(&hq_admin).unwrap().remove(0);
    d.hq.store
        .approve_mutasi(&hq_admin, &waiting.id, waiting.version, &approval())
        .unwrap();
    d.sync_all();
    let row = d
        .paya
        .store
        .employee_detail(&paya_admin, &budi)
        .unwrap()
        .employee;
    assert_eq!(row.office_code, "PAYA-PASIR");
    // A decision is final: nobody approves it twice.
    let decided = d.hq.store.mutasi_list(&hq_admin).unwrap().remove(0);
    let twice =
        d.hq.store
            .reject_mutasi(&hq_admin, &decided.id, decided.version, "salah")
            .unwrap_err();
    assert!(validation(twice).contains("sudah disetujui"));
}
