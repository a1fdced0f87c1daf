//! Trainings on a real database: the 20 JP rule across a year boundary, what counts nothing,
//! capacity and the waiting list, attendance recorded twice staying one row.

use pelita_analysis::Analysis;
use pelita_core::auth::Role;
use pelita_core::office::office_id;
use pelita_core::training::{AbsenceReason, AttendanceStatus, JpStanding, TrainingStatus};
use pelita_store::{AttendanceEntry, EmployeeQuery, EmployeeRow, NewUser, ParticipationState};

use crate::common::training::{present, training, world, World, PW};

fn jp_of(w: &mut World, year: i32, e: &EmployeeRow) -> u32 {
    let admin = w.admin.clone();
    w.store
        .jp_report(&admin, year, None)
        .unwrap()
        .into_iter()
        .find(|l| l.employee_id == e.id)
        .unwrap()
        .jp
}

#[test]
fn jp_counts_in_the_year_the_training_ends_and_only_when_completed() {
    let mut w = world();
    let admin = w.admin.clone();
    let (a, b) = (w.terjun[0].clone(), w.terjun[1].clone());
    let t = w
        .store
        .create_training(
            &admin,
            &training(
                "2026-12-28",
                "2027-01-03",
                &["2026-12-28", "2027-01-03"],
                30,
            ),
        )
        .unwrap();
    for e in [&a, &b] {
        w.store.enrol(&admin, &t.id, &e.id).unwrap();
    }
    // a attends both sessions; b only the first (partial: counts nothing at a 100% share).
    w.store
        .record_attendance(&admin, &t.session_ids[0], &[present(&a), present(&b)])
        .unwrap();
    let izin = AttendanceEntry {
        employee_id: b.id.clone(),
        status: AttendanceStatus::Izin,
        reason: Some(AbsenceReason::TugasKantor),
        note: "rapat di kantor camat".into(),
    };
    w.store
        .record_attendance(&admin, &t.session_ids[1], &[present(&a), izin])
        .unwrap();
    let summary = w.store.participation_summary(&admin, 2026, None).unwrap();
    assert_eq!((summary.enrolled, summary.hadir, summary.absent), (2, 3, 1));
    assert_eq!(summary.reasons.len(), 1);
    assert_eq!(
        (summary.reasons[0].reason, summary.reasons[0].count),
        (AbsenceReason::TugasKantor, 1)
    );
    w.store
        .set_training_status(&admin, &t.id, t.version, TrainingStatus::Selesai)
        .unwrap();
    assert_eq!(jp_of(&mut w, 2027, &a), 12);
    assert_eq!(jp_of(&mut w, 2026, &a), 0, "not in the year it began");
    let late = w
        .store
        .record_attendance(&admin, &t.session_ids[1], &[present(&b)])
        .unwrap_err();
    assert!(late.to_string().contains("sudah selesai"), "{late}");
    assert_eq!(jp_of(&mut w, 2027, &b), 0);
    let history = w.store.training_history(&admin, &a.id).unwrap();
    assert_eq!(history.lines.len(), 1);
    assert_eq!(
        (history.jp_by_year[0].year, history.jp_by_year[0].jp),
        (2027, 12)
    );
    assert!(w
        .store
        .training_history(&admin, &b.id)
        .unwrap()
        .jp_by_year
        .is_empty());
    assert_eq!(
        jp_of(&mut w, 2027, &b),
        0,
        "partial attendance counts nothing"
    );
    // A decision with a reason can recognise it after all; the certificate number goes with it.
    w.store
        .set_jp_diakui(&admin, &t.id, &b.id, 6, "tugas kantor, materi disusulkan")
        .unwrap();
    assert_eq!(jp_of(&mut w, 2027, &b), 6);
    w.store
        .set_jp_diakui(&admin, &t.id, &b.id, 0, "dibatalkan kembali")
        .unwrap();
    assert_eq!(jp_of(&mut w, 2027, &b), 0);
    let p = w
        .store
        .set_certificate_number(&admin, &t.id, &a.id, "800/123/2027")
        .unwrap();
    assert_eq!(p.certificate_number, "800/123/2027");
    let line = w
        .store
        .jp_report(&admin, 2027, None)
        .unwrap()
        .into_iter()
        .find(|l| l.employee_id == a.id)
        .unwrap();
    if line.status.is_pppk() {
        assert_eq!(line.standing, JpStanding::WithinCeiling);
    } else {
        assert_eq!(
            (line.standing, line.missing, line.below_target),
            (JpStanding::BelowTarget, 8, true)
        );
    }

    // JP diakui can be changed only with a reason, and then counts as changed.
    let err = w
        .store
        .set_jp_diakui(&admin, &t.id, &a.id, 20, " ")
        .unwrap_err();
    assert!(err.to_string().contains("alasan"), "{err}");
    w.store
        .set_jp_diakui(&admin, &t.id, &a.id, 20, "ditambah tugas praktik")
        .unwrap();
    assert_eq!(jp_of(&mut w, 2027, &a), 20);

    // A cancelled training counts nothing, whatever was recorded.
    let c = w
        .store
        .create_training(
            &admin,
            &training("2027-02-02", "2027-02-02", &["2027-02-02"], 30),
        )
        .unwrap();
    w.store.enrol(&admin, &c.id, &b.id).unwrap();
    w.store
        .record_attendance(&admin, &c.session_ids[0], &[present(&b)])
        .unwrap();
    let c = w.store.training(&admin, &c.id).unwrap();
    w.store
        .set_training_status(&admin, &c.id, c.version, TrainingStatus::Dibatalkan)
        .unwrap();
    assert_eq!(jp_of(&mut w, 2027, &b), 0);
    let err = w
        .store
        .set_training_status(&admin, &c.id, c.version + 1, TrainingStatus::Selesai)
        .unwrap_err();
    assert!(
        err.to_string()
            .contains("berstatus Dibatalkan tidak dapat diubah lagi"),
        "{err}"
    );
}

#[test]
fn capacity_fills_then_people_wait_in_order() {
    let mut w = world();
    let admin = w.admin.clone();
    let t = w
        .store
        .create_training(
            &admin,
            &training("2026-11-10", "2026-11-10", &["2026-11-10"], 2),
        )
        .unwrap();
    let people: Vec<EmployeeRow> = w.terjun[..4].to_vec();
    let states: Vec<_> = people
        .iter()
        .map(|e| w.store.enrol(&admin, &t.id, &e.id).unwrap())
        .map(|p| (p.state, p.waiting_place))
        .collect();
    assert_eq!(
        states,
        [
            (ParticipationState::Terdaftar, None),
            (ParticipationState::Terdaftar, None),
            (ParticipationState::DaftarTunggu, Some(1)),
            (ParticipationState::DaftarTunggu, Some(2)),
        ]
    );
    let err = w.store.enrol(&admin, &t.id, &people[0].id).unwrap_err();
    assert!(err.to_string().contains("sudah terdaftar"), "{err}");
    // One withdraws: the first in the queue takes the place, the next moves up.
    w.store.withdraw(&admin, &t.id, &people[1].id).unwrap();
    let list = w.store.participants(&admin, &t.id).unwrap();
    let state_of = |e: &EmployeeRow| {
        list.iter()
            .find(|p| p.employee_id == e.id)
            .map(|p| (p.state, p.waiting_place))
    };
    assert_eq!(
        state_of(&people[2]),
        Some((ParticipationState::Terdaftar, None))
    );
    assert_eq!(
        state_of(&people[3]),
        Some((ParticipationState::DaftarTunggu, Some(1)))
    );
    assert_eq!(state_of(&people[1]), None);
    // Raising the capacity lets the rest in.
    let t = w.store.training(&admin, &t.id).unwrap();
    let mut bigger = t.input.clone();
    bigger.capacity = 5;
    let t = w
        .store
        .update_training(&admin, &t.id, t.version, &bigger)
        .unwrap();
    assert_eq!((t.enrolled, t.waiting), (3, 0));
}

#[test]
fn attendance_recorded_twice_is_one_row_and_absences_need_a_reason() {
    let mut w = world();
    let admin = w.admin.clone();
    let t = w
        .store
        .create_training(
            &admin,
            &training("2026-11-10", "2026-11-10", &["2026-11-10"], 10),
        )
        .unwrap();
    let e = w.terjun[0].clone();
    w.store.enrol(&admin, &t.id, &e.id).unwrap();
    let session = &t.session_ids[0];
    let count = |w: &World| -> (i64, i64) {
        let c = w.store.connection();
        (
            c.query_row("SELECT count(*) FROM attendance", [], |r| r.get(0))
                .unwrap(),
            c.query_row(
                "SELECT count(*) FROM outbox WHERE entity = 'attendance'",
                [],
                |r| r.get(0),
            )
            .unwrap(),
        )
    };
    assert_eq!(
        w.store
            .record_attendance(&admin, session, &[present(&e)])
            .unwrap(),
        1
    );
    assert_eq!(
        w.store
            .record_attendance(&admin, session, &[present(&e)])
            .unwrap(),
        0
    );
    assert_eq!(
        count(&w),
        (1, 1),
        "the same fact twice: one row, one mutation"
    );
    let sick = AttendanceEntry {
        employee_id: e.id.clone(),
        status: AttendanceStatus::Sakit,
        reason: Some(AbsenceReason::Sakit),
        note: String::new(),
    };
    w.store
        .record_attendance(&admin, session, std::slice::from_ref(&sick))
        .unwrap();
    assert_eq!(
        count(&w),
        (1, 2),
        "a change is a new version of the same row"
    );
    let row = w
        .store
        .session_attendance(&admin, session)
        .unwrap()
        .remove(0);
    assert_eq!(row.status, Some(AttendanceStatus::Sakit));

    // Anything but Hadir needs a reason; Hadir takes none. Nothing of a bad list is written.
    let mut no_reason = sick.clone();
    no_reason.reason = None;
    let err = w
        .store
        .record_attendance(&admin, session, &[present(&e), no_reason])
        .unwrap_err();
    assert!(err.to_string().contains("pilih alasannya"), "{err}");
    let mut odd = present(&e);
    odd.reason = Some(AbsenceReason::Lainnya);
    assert!(w.store.record_attendance(&admin, session, &[odd]).is_err());
    assert_eq!(
        w.store.session_attendance(&admin, session).unwrap()[0].status,
        Some(AttendanceStatus::Sakit)
    );
    // Someone not enrolled cannot be marked.
    let stranger = w.terjun[5].clone();
    let err = w
        .store
        .record_attendance(&admin, session, &[present(&stranger)])
        .unwrap_err();
    assert!(err.to_string().contains("bukan peserta terdaftar"), "{err}");
}

#[test]
fn an_office_enrols_its_own_people_and_manages_its_own_trainings() {
    let mut w = world();
    let admin = w.admin.clone();
    let user = NewUser {
        username: "operator".into(),
        full_name: "Operator Terjun".into(),
        roles: vec![Role::Operator],
        office_code: None,
        employee_nip: None,
        password: PW.into(),
    };
    w.store.add_user(&admin, &user).unwrap();
    let op = w.store.login("operator", PW).unwrap();
    // A district training (owned by the Kantor Camat): the operator may enrol Terjun staff only.
    let mut district = training("2026-11-20", "2026-11-20", &["2026-11-20"], 10);
    district.owner_office_id = office_id("KEC-MARELAN");
    assert_eq!(
        w.store.create_training(&op, &district).unwrap_err().code(),
        pelita_store::ErrorCode::PermissionDenied
    );
    let d = w.store.create_training(&admin, &district).unwrap();
    w.store.enrol(&op, &d.id, &w.terjun[0].id).unwrap();
    let everyone = w
        .store
        .list_employees(&admin, &EmployeeQuery::default())
        .unwrap();
    let outsider = everyone
        .iter()
        .find(|e| e.office_code == "PAYA-PASIR")
        .unwrap();
    assert_eq!(
        w.store.enrol(&op, &d.id, &outsider.id).unwrap_err().code(),
        pelita_store::ErrorCode::PermissionDenied
    );
    // Its own training: created, listed with the district's, not visible to other offices.
    let own = w
        .store
        .create_training(
            &op,
            &training("2026-11-21", "2026-11-21", &["2026-11-21"], 10),
        )
        .unwrap();
    let listed: Vec<String> = w
        .store
        .list_trainings(&op, &Default::default())
        .unwrap()
        .into_iter()
        .map(|t| t.id)
        .collect();
    assert!(listed.contains(&own.id) && listed.contains(&d.id));
    // Another office's training is not for Terjun's staff, unless the HQ enrols them.
    let theirs = w
        .store
        .create_training(
            &admin,
            &pelita_core::training::TrainingInput {
                owner_office_id: office_id("PAYA-PASIR"),
                ..training("2026-11-22", "2026-11-22", &["2026-11-22"], 10)
            },
        )
        .unwrap();
    let err = w.store.enrol(&op, &theirs.id, &w.terjun[1].id).unwrap_err();
    assert!(err.to_string().contains("kantor lain"), "{err}");
    w.store.enrol(&admin, &theirs.id, &w.terjun[1].id).unwrap();
    w.store.enrol(&admin, &own.id, &outsider.id).unwrap();
    assert!(w
        .store
        .training_themes()
        .unwrap()
        .contains(&"Pelayanan Publik".to_string()));
}

#[test]
fn reactions_and_tests_give_means_and_a_perfect_pre_test_is_not_a_division_by_zero() {
    let mut w = world();
    let admin = w.admin.clone();
    let t = w
        .store
        .create_training(
            &admin,
            &training("2026-11-10", "2026-11-10", &["2026-11-10"], 10),
        )
        .unwrap();
    let (a, b) = (w.terjun[0].clone(), w.terjun[1].clone());
    for e in [&a, &b] {
        w.store.enrol(&admin, &t.id, &e.id).unwrap();
    }
    // L1: a named questionnaire (recorded twice: still one), then an anonymous one.
    let mut scores = [4u8; 15];
    w.store
        .record_reaction(&admin, &t.id, Some(&a.id), &scores)
        .unwrap();
    scores[0] = 5;
    w.store
        .record_reaction(&admin, &t.id, Some(&a.id), &scores)
        .unwrap();
    w.store
        .record_reaction(&admin, &t.id, None, &[2u8; 15])
        .unwrap();
    let err = w
        .store
        .record_reaction(&admin, &t.id, None, &[3u8; 15])
        .unwrap_err();
    assert!(err.to_string().contains("2 peserta terdaftar"), "{err}");
    let mut bad = [4u8; 15];
    bad[3] = 9;
    assert!(w
        .store
        .record_reaction(&admin, &t.id, Some(&b.id), &bad)
        .is_err());
    let summary = w.store.reaction_summary(&admin, &t.id).unwrap();
    assert_eq!(summary.responses, 2);
    assert_eq!(summary.items[0].mean, Some(3.5), "(5 + 2) / 2");
    assert_eq!(summary.items[1].mean, Some(3.0), "(4 + 2) / 2");
    // Penyaji: items 0–7 → (5 + 4·7 + 2·8) / 16.
    assert_eq!(summary.groups[0].mean, Some((5.0 + 28.0 + 16.0) / 16.0));

    // L2: 60 → 80 gains 20 (normalised 0.5); 100 → 100 has no normalised gain and stays out of the mean.
    w.store
        .set_test_scores(&admin, &t.id, &a.id, Some(60.0), Some(80.0))
        .unwrap();
    w.store
        .set_test_scores(&admin, &t.id, &b.id, Some(100.0), Some(100.0))
        .unwrap();
    let err = w
        .store
        .set_test_scores(&admin, &t.id, &b.id, Some(100.0), Some(120.0))
        .unwrap_err();
    assert!(err.to_string().contains("0–100"), "{err}");
    let learning = w.store.learning_summary(&admin, &t.id).unwrap();
    let row = |e: &EmployeeRow| {
        learning
            .rows
            .iter()
            .find(|r| r.employee_id == e.id)
            .unwrap()
            .clone()
    };
    assert_eq!(
        (row(&a).gain, row(&a).normalised_gain),
        (Some(20.0), Some(0.5))
    );
    assert_eq!((row(&b).gain, row(&b).normalised_gain), (Some(0.0), None));
    assert_eq!(learning.mean_gain, Some(10.0));
    assert_eq!(learning.mean_normalised_gain, Some(0.5));
}

#[test]
fn three_months_after_a_training_the_supervisor_is_asked_to_follow_up() {
    use pelita_core::appraisal::{CoreValue, Rating};
    use pelita_store::FollowupRating;
    let mut w = world();
    let admin = w.admin.clone();
    let (as_lurah, staff) = crate::common::training::lurah_and_report(&mut w);
    let t = w
        .store
        .create_training(
            &admin,
            &training("2026-08-03", "2026-08-03", &["2026-08-03"], 10),
        )
        .unwrap();
    w.store.enrol(&admin, &t.id, &staff.id).unwrap();
    w.store
        .record_attendance(&admin, &t.session_ids[0], &[present(&staff)])
        .unwrap();
    w.store
        .set_training_status(&admin, &t.id, t.version, TrainingStatus::Selesai)
        .unwrap();

    w.store
        .pin_today(chrono::NaiveDate::from_ymd_opt(2026, 10, 15).unwrap())
        .unwrap();
    assert!(
        w.store.followups_due(&as_lurah).unwrap().is_empty(),
        "not yet three months"
    );
    w.store
        .pin_today(chrono::NaiveDate::from_ymd_opt(2026, 11, 30).unwrap())
        .unwrap();
    let due = w.store.followups_due(&as_lurah).unwrap();
    assert_eq!(due.len(), 1);
    assert_eq!(
        (due[0].due_from.as_str(), due[0].overdue),
        ("2026-11-03", false)
    );

    let all: Vec<FollowupRating> = CoreValue::ALL
        .into_iter()
        .map(|value| FollowupRating {
            value,
            rating: Rating::DiAtas,
        })
        .collect();
    let err = w
        .store
        .record_followup(&admin, &due[0].participation_id, &all, &[], "")
        .unwrap_err();
    assert_eq!(
        err.code(),
        pelita_store::ErrorCode::PermissionDenied,
        "the admin is not the atasan"
    );
    let err = w
        .store
        .record_followup(&as_lurah, &due[0].participation_id, &all[..6], &[], "")
        .unwrap_err();
    assert!(err.to_string().contains("setiap nilai BerAKHLAK"), "{err}");
    w.store
        .record_followup(
            &as_lurah,
            &due[0].participation_id,
            &all,
            &[],
            "lebih ramah melayani warga",
        )
        .unwrap();
    assert!(w.store.followups_due(&as_lurah).unwrap().is_empty());
    // Recorded again: still one follow-up, a new version.
    w.store
        .record_followup(&as_lurah, &due[0].participation_id, &all, &[], "koreksi")
        .unwrap();
    let n: i64 = w
        .store
        .connection()
        .query_row("SELECT count(*) FROM behaviour_followup", [], |r| r.get(0))
        .unwrap();
    assert_eq!(n, 1);
}
