//! What a transfer (mutasi) may not do, and how it holds together at the hub: an office may not
//! record a transfer between two other offices, nor approve one (an Operator at the Kantor Camat
//! neither), a Lurah who still heads someone does not leave, an edit never changes an office, a
//! TMT is not dated before the register's last change; an approval the hub refuses (the request
//! was withdrawn meanwhile) moves nothing, one made from an older copy moves the hub's row; and a
//! Kantor Camat laptop without a hub moves the employee itself, which the hub takes later.

mod support;

use pelita_core::mutasi::{MutasiInput, MutasiStatus};
use pelita_core::office::office_id;
use support::transfer::*;
use support::{employee_input, Hub, Laptop, PW};

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
    // An Operator at the Kantor Camat records a transfer with its SK: it waits for the Admin
    // Kecamatan's decision (recording is not deciding).
    const EKA: &str = "199001012015031001";
    d.pin("2026-01-05");
    register(&mut d.hq, EKA, "Eka Tambunan", "Pelaksana", None);
    d.pin("2026-07-10");
    let operator = {
        let admin = d.hq.admin.clone();
        let user = pelita_store::NewUser {
            username: "op-camat".into(),
            full_name: "Operator Kantor Camat".into(),
            roles: vec![pelita_core::auth::Role::Operator],
            office_code: None,
            employee_nip: None,
            password: PW.into(),
        };
        d.hq.store.add_user(&admin, &user).unwrap();
        d.hq.store.login("op-camat", PW).unwrap()
    };
    let eka_out = MutasiInput {
        nip: EKA.into(),
        sk_number: "800/9/2026".into(),
        ..transfer_to_paya("2026-07-01")
    };
    let waiting = d.hq.store.record_mutasi(&operator, &eka_out).unwrap();
    assert_eq!(waiting.status, MutasiStatus::Diajukan);
    let e =
        d.hq.store
            .approve_mutasi(&operator, &waiting.id, waiting.version, &approval())
            .unwrap_err();
    assert_eq!(e.code().to_string(), "permission_denied");
    d.hq.store
        .cancel_mutasi(&operator, &waiting.id, waiting.version)
        .unwrap();
    // The Admin Kecamatan's own record with an SK is the decision: Budi moves at the next sync.
    let direct = MutasiInput {
        sk_number: "800/1/2026".into(),
        ..transfer_to_paya("2026-07-01")
    };
    let done = d.hq.store.record_mutasi(&hq_admin, &direct).unwrap();
    assert_eq!(done.status, MutasiStatus::Disetujui);
    d.sync_all();
    let paya_admin = d.paya.admin.clone();
    let listed = d
        .paya
        .store
        .list_employees(&paya_admin, &Default::default())
        .unwrap();
    assert!(listed.iter().any(|e| e.nip == BUDI));
}

#[test]
fn a_transfer_happens_whole_at_the_hub_or_not_at_all() {
    let (mut d, budi) = district();
    d.pin("2026-07-10");
    let admin = d.terjun.admin.clone();
    let asked = d
        .terjun
        .store
        .record_mutasi(&admin, &transfer_to_paya("2026-07-01"))
        .unwrap();
    d.sync_all();
    // Terjun withdraws it and syncs while the Kantor Camat, offline, approves it: the hub refuses
    // the approval and nothing of Budi moves.
    d.terjun
        .store
        .cancel_mutasi(&admin, &asked.id, asked.version)
        .unwrap();
    d.terjun.sync();
    let hq_admin = d.hq.admin.clone();
    let stale = d.hq.store.mutasi_list(&hq_admin).unwrap().remove(0);
    d.hq.store
        .approve_mutasi(&hq_admin, &stale.id, stale.version, &approval())
        .unwrap();
    let report = d.hq.sync();
    assert_eq!(report.rejected, 1, "{report:?}");
    let refused = d.hq.store.sync_rejections(&hq_admin).unwrap().remove(0);
    assert!(refused.reason.contains("dibatalkan"), "{}", refused.reason);
    d.hq.store
        .discard_rejected(&hq_admin, &refused.mutation_id)
        .unwrap();
    for l in [&mut d.terjun, &mut d.paya, &mut d.hq] {
        l.sync();
    }
    let hq_budi =
        d.hq.store
            .employee_detail(&hq_admin, &budi)
            .unwrap()
            .employee;
    assert_eq!(hq_budi.office_code, "TERJUN");
    let owners: Vec<String> =
        d.hq.store
            .connection()
            .prepare("SELECT DISTINCT owner_office_id FROM participation WHERE employee_id = ?1")
            .unwrap()
            .query_map([&budi], |r| r.get(0))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
    assert_eq!(owners, [office_id("TERJUN")]);
    let withdrawn = d.hq.store.mutasi_list(&hq_admin).unwrap().remove(0);
    assert_eq!(withdrawn.status, MutasiStatus::Dibatalkan);

    // Asked again; Terjun changes Budi's jabatan and syncs; the Kantor Camat approves from its
    // older copy: the hub moves the row it holds, Terjun's change included.
    let again = d
        .terjun
        .store
        .record_mutasi(&admin, &transfer_to_paya("2026-07-01"))
        .unwrap();
    assert_eq!(again.id, asked.id);
    d.sync_all();
    let row = d
        .terjun
        .store
        .employee_detail(&admin, &budi)
        .unwrap()
        .employee;
    let mut edit = row.to_input();
    edit.jabatan = "Kasi Pemerintahan".into();
    d.terjun
        .store
        .update_employee(&admin, &budi, row.version, &edit)
        .unwrap();
    d.terjun.sync();
    let waiting = d.hq.store.mutasi_list(&hq_admin).unwrap().remove(0);
    d.hq.store
        .approve_mutasi(&hq_admin, &waiting.id, waiting.version, &approval())
        .unwrap();
    d.sync_all();
    let paya_admin = d.paya.admin.clone();
    let moved = d
        .paya
        .store
        .employee_detail(&paya_admin, &budi)
        .unwrap()
        .employee;
    assert_eq!(
        (moved.office_code.as_str(), moved.jabatan.as_str()),
        ("PAYA-PASIR", "Kasi Pemerintahan")
    );
    for l in [&mut d.terjun, &mut d.paya, &mut d.hq] {
        let s = l.store.sync_status().unwrap();
        assert_eq!((s.pending, s.open_conflicts, s.rejected), (0, 0, 0));
    }
}

#[test]
fn a_kantor_camat_laptop_without_a_hub_moves_the_employee_itself_and_the_hub_takes_it_later() {
    let dir = tempfile::tempdir().unwrap();
    let mut hq = Laptop::new(dir.path(), "camat", "KEC-MARELAN");
    hq.store.pin_today(day("2026-01-05")).unwrap();
    let admin = hq.admin.clone();
    let ani = {
        let input = pelita_core::employee::EmployeeInput {
            nip: ANI.into(),
            name: "Ani Lubis".into(),
            jabatan: "Lurah".into(),
            ..employee_input("TERJUN")
        };
        hq.store.create_employee(&admin, &input).unwrap().id
    };
    let budi = {
        let input = pelita_core::employee::EmployeeInput {
            nip: BUDI.into(),
            name: "Budi Nasution".into(),
            atasan_id: Some(ani),
            ..employee_input("TERJUN")
        };
        hq.store.create_employee(&admin, &input).unwrap().id
    };
    let citra = {
        let input = pelita_core::employee::EmployeeInput {
            nip: CITRA.into(),
            name: "Citra Siregar".into(),
            jabatan: "Lurah".into(),
            ..employee_input("PAYA-PASIR")
        };
        hq.store.create_employee(&admin, &input).unwrap().id
    };
    let dedi = pelita_core::employee::EmployeeInput {
        nip: DEDI.into(),
        name: "Dedi Harahap".into(),
        atasan_id: Some(citra.clone()),
        ..employee_input("PAYA-PASIR")
    };
    hq.store.create_employee(&admin, &dedi).unwrap();
    hq.store.pin_today(day("2026-07-02")).unwrap();
    let direct = MutasiInput {
        sk_number: "800/1/2026".into(),
        ..transfer_to_paya("2026-07-01")
    };
    assert_eq!(
        hq.store.record_mutasi(&admin, &direct).unwrap().status,
        MutasiStatus::Disetujui
    );
    let moved = hq.store.employee_detail(&admin, &budi).unwrap().employee;
    assert_eq!(
        (moved.office_code.as_str(), moved.atasan_id.as_deref()),
        ("PAYA-PASIR", Some(citra.as_str())),
        "no hub to do it: the laptop moves him itself"
    );
    // Enrolled later, it sends what it did; the hub finds him moved already and takes it all.
    let hub = Hub::start(&dir.path().join("hub.sqlite")).unwrap();
    hq.enrol(&hub);
    let report = hq.sync();
    assert_eq!((report.rejected, report.conflicts), (0, 0), "{report:?}");
    let mut paya = Laptop::new(dir.path(), "paya", "PAYA-PASIR");
    paya.enrol(&hub);
    paya.sync();
    let paya_admin = paya.admin.clone();
    let row = paya
        .store
        .employee_detail(&paya_admin, &budi)
        .unwrap()
        .employee;
    assert_eq!(row.office_code, "PAYA-PASIR");
}

#[test]
fn an_approval_answers_the_other_offices_request_and_a_stale_copy_never_moves_anyone_back() {
    let (mut d, budi) = district();
    d.pin("2026-07-10");
    // Terjun records Budi's transfer out; Paya Pasir asks for him too.
    let admin = d.terjun.admin.clone();
    d.terjun
        .store
        .record_mutasi(&admin, &transfer_to_paya("2026-07-01"))
        .unwrap();
    let paya_admin = d.paya.admin.clone();
    let request = MutasiInput {
        from_office_id: Some(office_id("TERJUN")),
        employee_name: "Budi Nasution".into(),
        ..transfer_to_paya("2026-07-01")
    };
    d.paya.store.record_mutasi(&paya_admin, &request).unwrap();
    d.sync_all();
    let hq_admin = d.hq.admin.clone();
    let both = d.hq.store.mutasi_list(&hq_admin).unwrap();
    assert_eq!(both.len(), 2);
    // The Kantor Camat approves Terjun's and, in the same push, corrects Budi's jabatan: the hub
    // takes the correction, then moves him with it; Paya Pasir's request is answered with it.
    let theirs = both
        .iter()
        .find(|m| m.owner_office_id == office_id("TERJUN"))
        .unwrap();
    d.hq.store
        .approve_mutasi(&hq_admin, &theirs.id, theirs.version, &approval())
        .unwrap();
    let row =
        d.hq.store
            .employee_detail(&hq_admin, &budi)
            .unwrap()
            .employee;
    let mut edit = row.to_input();
    edit.jabatan = "Kasi Pemerintahan".into();
    d.hq.store
        .update_employee(&hq_admin, &budi, row.version, &edit)
        .unwrap();
    // The push reaches the hub but its answer is lost (a bundle whose reply never came back):
    // this laptop still holds Budi at Terjun when it edits him again.
    let (to_hub, _) = pelita_sync::bundle::export(&d.hq.store).unwrap();
    let hub = d._hub.admin();
    pelita_hub::bundle::import(&*hub, &to_hub).unwrap();
    let row =
        d.hq.store
            .employee_detail(&hq_admin, &budi)
            .unwrap()
            .employee;
    assert_eq!(row.office_code, "TERJUN", "the answer never came back");
    let mut again = row.to_input();
    again.golongan = "II/d".into();
    d.hq.store
        .update_employee(&hq_admin, &budi, row.version, &again)
        .unwrap();
    let report = d.hq.sync();
    assert_eq!(report.conflicts, 1, "{report:?}");
    let c = d.hq.store.sync_conflicts(&hq_admin).unwrap().remove(0);
    d.hq.store
        .resolve_conflict(
            &hq_admin,
            &c.mutation_id,
            &pelita_store::Resolution::KeepMine,
        )
        .unwrap();
    d.sync_all();
    let moved = d
        .paya
        .store
        .employee_detail(&paya_admin, &budi)
        .unwrap()
        .employee;
    assert_eq!(
        (
            moved.office_code.as_str(),
            moved.jabatan.as_str(),
            moved.golongan.as_str()
        ),
        ("PAYA-PASIR", "Kasi Pemerintahan", "II/d"),
        "keeping its own version keeps the hub's move"
    );
    let answered = d.paya.store.mutasi_list(&paya_admin).unwrap();
    let statuses: Vec<MutasiStatus> = answered.iter().map(|m| m.status).collect();
    assert!(
        statuses.contains(&MutasiStatus::Disetujui) && statuses.contains(&MutasiStatus::Ditolak)
    );
    let ours = answered
        .iter()
        .find(|m| m.owner_office_id == office_id("PAYA-PASIR"))
        .unwrap();
    assert!(
        ours.decision_note.contains("diputuskan bersama"),
        "{}",
        ours.decision_note
    );
    for l in [&mut d.terjun, &mut d.paya, &mut d.hq] {
        let s = l.store.sync_status().unwrap();
        assert_eq!((s.pending, s.open_conflicts, s.rejected), (0, 0, 0));
    }
}

#[test]
fn the_hub_refuses_an_approval_dated_before_a_change_it_already_holds() {
    let (mut d, budi) = district();
    d.pin("2026-07-10");
    let admin = d.terjun.admin.clone();
    let asked = d
        .terjun
        .store
        .record_mutasi(&admin, &transfer_to_paya("2026-07-01"))
        .unwrap();
    d.sync_all();
    // Terjun gives Budi another atasan on 10 July and syncs; the Kantor Camat, not yet synced,
    // approves the transfer dated 1 July from its older copy: the hub refuses it.
    let sekretaris = register(
        &mut d.terjun,
        "199001012015031002",
        "Sari Lubis",
        "Sekretaris Lurah",
        None,
    );
    let row = d
        .terjun
        .store
        .employee_detail(&admin, &budi)
        .unwrap()
        .employee;
    let mut edit = row.to_input();
    edit.atasan_id = Some(sekretaris);
    d.terjun
        .store
        .update_employee(&admin, &budi, row.version, &edit)
        .unwrap();
    d.terjun.sync();
    let hq_admin = d.hq.admin.clone();
    d.hq.store
        .approve_mutasi(&hq_admin, &asked.id, asked.version, &approval())
        .unwrap();
    let report = d.hq.sync();
    assert_eq!(report.rejected, 1, "{report:?}");
    let refused = d.hq.store.sync_rejections(&hq_admin).unwrap().remove(0);
    assert!(
        refused
            .reason
            .contains("lebih awal dari perubahan atasan terakhir"),
        "{}",
        refused.reason
    );
    let row =
        d.hq.store
            .employee_detail(&hq_admin, &budi)
            .unwrap()
            .employee;
    assert_eq!(row.office_code, "TERJUN", "nothing moved");
}

#[test]
fn the_office_left_finishes_the_record_of_a_training_that_began_before_the_move() {
    use pelita_core::training::{AttendanceStatus, REACTION_ITEMS};
    use pelita_store::AttendanceEntry;
    let (mut d, budi) = district();
    d.pin("2026-06-20");
    let admin = d.terjun.admin.clone();
    let input = terjun_training("Bimtek Arsip", &["2026-06-29", "2026-07-03"]);
    let t = d.terjun.store.create_training(&admin, &input).unwrap();
    d.terjun.store.enrol(&admin, &t.id, &budi).unwrap();
    let present = || AttendanceEntry {
        employee_id: budi.clone(),
        status: AttendanceStatus::Hadir,
        reason: None,
        note: String::new(),
    };
    d.pin("2026-06-29");
    d.terjun
        .store
        .record_attendance(&admin, &t.session_ids[0], &[present()])
        .unwrap();
    d.terjun
        .store
        .record_mutasi(&admin, &transfer_to_paya("2026-07-01"))
        .unwrap();
    d.sync_all();
    d.pin("2026-07-02");
    let hq_admin = d.hq.admin.clone();
    let waiting = d.hq.store.mutasi_list(&hq_admin).unwrap().remove(0);
    d.hq.store
        .approve_mutasi(&hq_admin, &waiting.id, waiting.version, &approval())
        .unwrap();
    d.sync_all();

    // After the move, Terjun still records his second day and his L1 questionnaire of the
    // training it ran before it; both are Paya Pasir's rows, and both offices hold them.
    d.pin("2026-07-04");
    d.terjun
        .store
        .record_attendance(&admin, &t.session_ids[1], &[present()])
        .unwrap();
    let scores = vec![5; REACTION_ITEMS.len()];
    d.terjun
        .store
        .record_reaction(&admin, &t.id, Some(&budi), &scores)
        .unwrap();
    d.sync_all();
    let marks = |l: &Laptop| -> i64 {
        l.store
            .connection()
            .query_row(
                "SELECT count(*) FROM attendance WHERE employee_id = ?1 AND training_id = ?2
                 AND status = 'Hadir'",
                [&budi, &t.id],
                |r| r.get(0),
            )
            .unwrap()
    };
    assert_eq!((marks(&d.terjun), marks(&d.paya)), (2, 2));
    for (l, office) in [
        (&d.terjun, "TERJUN"),
        (&d.paya, "PAYA-PASIR"),
        (&d.hq, "KEC-MARELAN"),
    ] {
        let s = l.store.sync_status().unwrap();
        assert_eq!(
            (s.pending, s.open_conflicts, s.rejected),
            (0, 0, 0),
            "{office}"
        );
        assert_eq!(
            l.store.sync_checksum().unwrap(),
            d._hub.admin().checksum_for(office).unwrap(),
            "{office} holds what the hub says it holds"
        );
    }
    // A training of Terjun's after the move is not his any more: Terjun cannot enrol him.
    let later = terjun_training("Bimtek Pelayanan", &["2026-07-20"]);
    let t2 = d.terjun.store.create_training(&admin, &later).unwrap();
    assert!(d.terjun.store.enrol(&admin, &t2.id, &budi).is_err());
}
