//! A transfer (mutasi) between two kelurahan, through the real hub: Terjun records that Budi moves
//! to Paya Pasir from 1 July, Paya Pasir sees the request, the Kantor Camat approves it, and after
//! syncing:
//! - Paya Pasir holds Budi, owns him, and holds his history: the Terjun training he completed
//!   (with its JP), his attendance and L1 questionnaire, his signed Triwulan I appraisal;
//! - Terjun no longer lists or edits him but reads his history (the office he left);
//! - Terjun's Lurah appraises him up to Triwulan II, Paya Pasir's Lurah from Triwulan III (the
//!   atasan history is dated by the TMT on every laptop).
//!
//! And what an office may not do: record a transfer between two other offices, approve one, ask
//! for a colleague twice, or back-date a transfer before the last change in the register.

mod support;

use chrono::NaiveDate;
use pelita_core::appraisal::{Period, Rating};
use pelita_core::auth::Actor;
use pelita_core::mutasi::{MutasiInput, MutasiStatus};
use pelita_core::office::office_id;
use pelita_core::training::{
    AttendanceStatus, SessionInput, TrainingInput, TrainingStatus, REACTION_ITEMS,
};
use pelita_store::{AttendanceEntry, MutasiApproval, PeriodRef, StoreError};
use support::{appraisal_form, employee_input, Hub, Laptop, PW};

const ANI: &str = "197001012000011001"; // Lurah Terjun
const BUDI: &str = "198202022006011002";
const CITRA: &str = "198503032008012003"; // Lurah Paya Pasir
const DEDI: &str = "198704042010011004";

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

struct District {
    _dir: tempfile::TempDir,
    _hub: Hub,
    terjun: Laptop,
    paya: Laptop,
    hq: Laptop,
}

impl District {
    fn pin(&mut self, today: &str) {
        for l in [&mut self.terjun, &mut self.paya, &mut self.hq] {
            l.store.pin_today(day(today)).unwrap();
        }
    }

    fn sync_all(&mut self) {
        for _ in 0..2 {
            for l in [&mut self.terjun, &mut self.hq, &mut self.paya] {
                let report = l.sync();
                assert_eq!(report.rejected, 0, "{report:?}");
            }
        }
    }
}

fn register(l: &mut Laptop, nip: &str, name: &str, jabatan: &str, atasan: Option<&str>) -> String {
    let admin = l.admin.clone();
    let office = l.office_code.clone();
    let input = pelita_core::employee::EmployeeInput {
        nip: nip.into(),
        name: name.into(),
        jabatan: jabatan.into(),
        atasan_id: atasan.map(str::to_string),
        ..employee_input(&office)
    };
    l.store.create_employee(&admin, &input).unwrap().id
}

/// The person with `nip` signed in on `l` as `username` (their account made on first use).
fn person(l: &mut Laptop, username: &str, nip: &str) -> Actor {
    if let Ok(a) = l.store.login(username, PW) {
        return a;
    }
    let admin = l.admin.clone();
    let user = pelita_store::NewUser {
        username: username.into(),
        full_name: username.into(),
        roles: vec![pelita_core::auth::Role::Pegawai],
        office_code: None,
        employee_nip: Some(nip.into()),
        password: PW.into(),
    };
    l.store.add_user(&admin, &user).unwrap();
    l.store.login(username, PW).unwrap()
}

fn quarter(period: Period) -> PeriodRef {
    PeriodRef {
        year: 2026,
        period,
        month: None,
    }
}

/// Whom `who` appraises in `period`, by NIP.
fn roster(l: &mut Laptop, who: &Actor, period: Period) -> Vec<String> {
    let mut nips: Vec<String> = l
        .store
        .appraisal_roster(who, &quarter(period))
        .unwrap()
        .into_iter()
        .map(|line| line.employee.nip)
        .collect();
    nips.sort();
    nips
}

/// A district in January 2026: Terjun (Lurah Ani, Budi), Paya Pasir (Lurah Citra, Dedi), synced;
/// in March Budi completes Terjun's own two-day training (8 JP) and answers its L1 questionnaire,
/// and in April Ani signs his Triwulan I appraisal.
fn district() -> (District, String) {
    let dir = tempfile::tempdir().unwrap();
    let (hub, terjun, paya, hq) = support::district(dir.path());
    let mut d = District {
        _dir: dir,
        _hub: hub,
        terjun,
        paya,
        hq,
    };
    d.pin("2026-01-05");
    let ani = register(&mut d.terjun, ANI, "Ani Lubis", "Lurah", None);
    let budi = register(
        &mut d.terjun,
        BUDI,
        "Budi Nasution",
        "Pelaksana",
        Some(&ani),
    );
    let citra = register(&mut d.paya, CITRA, "Citra Siregar", "Lurah", None);
    register(&mut d.paya, DEDI, "Dedi Harahap", "Pelaksana", Some(&citra));
    d.sync_all();

    d.pin("2026-03-10");
    let l = &mut d.terjun;
    let admin = l.admin.clone();
    let input = TrainingInput {
        title: "Bimtek Pelayanan Prima".into(),
        theme: "Pelayanan Publik".into(),
        route: pelita_core::training::Route::BimbinganTeknis,
        organiser: "Kelurahan Terjun".into(),
        owner_office_id: office_id("TERJUN"),
        location: "Aula Kelurahan".into(),
        start_date: "2026-03-02".into(),
        end_date: "2026-03-03".into(),
        sessions: ["2026-03-02", "2026-03-03"]
            .iter()
            .map(|d| SessionInput {
                date: (*d).into(),
                start_time: "08:00".into(),
                end_time: "12:00".into(),
            })
            .collect(),
        jp: 8,
        capacity: 10,
        certificate: false,
        completion_share: 100,
    };
    let t = l.store.create_training(&admin, &input).unwrap();
    l.store.enrol(&admin, &t.id, &budi).unwrap();
    for session in &t.session_ids {
        let present = AttendanceEntry {
            employee_id: budi.clone(),
            status: AttendanceStatus::Hadir,
            reason: None,
            note: String::new(),
        };
        l.store
            .record_attendance(&admin, session, &[present])
            .unwrap();
    }
    let t = l.store.training(&admin, &t.id).unwrap();
    l.store
        .set_training_status(&admin, &t.id, t.version, TrainingStatus::Selesai)
        .unwrap();
    let scores = vec![4; REACTION_ITEMS.len()];
    l.store
        .record_reaction(&admin, &t.id, Some(&budi), &scores)
        .unwrap();
    d.pin("2026-04-06");
    let lurah = person(&mut d.terjun, "ani", ANI);
    let draft = d
        .terjun
        .store
        .save_appraisal(&lurah, None, 0, &appraisal_form(&budi, Rating::DiAtas))
        .unwrap();
    d.terjun
        .store
        .finalize_appraisal(&lurah, &draft.id, draft.version, PW)
        .unwrap();
    d.sync_all();
    (d, budi)
}

fn transfer_to_paya(tmt: &str) -> MutasiInput {
    MutasiInput {
        nip: BUDI.into(),
        to_office_id: office_id("PAYA-PASIR"),
        tmt: tmt.into(),
        note: "SK Wali Kota menyusul".into(),
        ..Default::default()
    }
}

fn approval() -> MutasiApproval {
    MutasiApproval {
        sk_number: "800/1234/BKPSDM/2026".into(),
        atasan_id: None,
    }
}

fn validation(e: StoreError) -> String {
    match e {
        StoreError::Validation(v) => v.to_string(),
        other => panic!("expected a refusal in words, got {other:?}"),
    }
}

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
    assert_eq!(refused.code(), "permission_denied", "{refused}");
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
    // Citra appraises him for Triwulan III on Paya Pasir's laptop, and it reaches the hub.
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
    assert_eq!(e.code(), "permission_denied", "{e}");
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

#[test]
fn what_a_transfer_may_not_do() {
    let (mut d, _budi) = district();
    d.pin("2026-07-10");
    let admin = d.terjun.admin.clone();
    // Ani heads Terjun: Budi needs another atasan before she can leave.
    let lurah_leaves = MutasiInput {
        nip: ANI.into(),
        ..transfer_to_paya("2026-07-01")
    };
    let asked = d.terjun.store.record_mutasi(&admin, &lurah_leaves).unwrap();
    d.sync_all();
    let hq_admin = d.hq.admin.clone();
    let e =
        d.hq.store
            .approve_mutasi(&hq_admin, &asked.id, asked.version, &approval())
            .unwrap_err();
    assert!(validation(e).contains("masih menjadi atasan langsung"));
    // Editing an employee's office is not a transfer.
    let hq_budi =
        d.hq.store
            .list_employees(&hq_admin, &Default::default())
            .unwrap()
            .into_iter()
            .find(|e| e.nip == BUDI)
            .unwrap();
    let mut moved = hq_budi.to_input();
    moved.office_id = office_id("PAYA-PASIR");
    let e =
        d.hq.store
            .update_employee(&hq_admin, &hq_budi.id, hq_budi.version, &moved)
            .unwrap_err();
    assert!(validation(e).contains("melalui mutasi"));
    // A TMT before the last change the register knows is refused (Budi's atasan since January).
    let early = MutasiInput {
        sk_number: "800/1/2026".into(),
        ..transfer_to_paya("2025-12-01")
    };
    let e = d.hq.store.record_mutasi(&hq_admin, &early).unwrap_err();
    assert!(validation(e).contains("lebih awal dari perubahan atasan terakhir"));
    // The Kantor Camat's own record with an SK takes effect at once.
    let direct = MutasiInput {
        sk_number: "800/1/2026".into(),
        ..transfer_to_paya("2026-07-01")
    };
    let done = d.hq.store.record_mutasi(&hq_admin, &direct).unwrap();
    assert_eq!(done.status, MutasiStatus::Disetujui);
}
