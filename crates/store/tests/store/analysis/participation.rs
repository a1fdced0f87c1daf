//! The participation figures (why is participation low?) on a real database: what they count and
//! what they leave out, the same in the summary and in the breakdown by office, theme, route and
//! method.

use pelita_analysis::Analysis;
use pelita_core::training::{AbsenceReason, AttendanceStatus, TrainingStatus};
use pelita_store::AttendanceEntry;

use crate::common::training::{present, training, world};

fn absent(
    e: &pelita_store::EmployeeRow,
    status: AttendanceStatus,
    reason: AbsenceReason,
) -> AttendanceEntry {
    AttendanceEntry {
        employee_id: e.id.clone(),
        status,
        reason: Some(reason),
        note: String::new(),
    }
}

#[test]
fn cancelled_trainings_and_withdrawn_participants_count_nothing() {
    let mut w = world();
    let admin = w.admin.clone();
    let (a, b, c, d) = (
        w.terjun[0].clone(),
        w.terjun[1].clone(),
        w.terjun[2].clone(),
        w.terjun[3].clone(),
    );
    let held = w
        .store
        .create_training(
            &admin,
            &training("2027-02-01", "2027-02-01", &["2027-02-01"], 30),
        )
        .unwrap();
    for e in [&a, &b, &c] {
        w.store.enrol(&admin, &held.id, &e.id).unwrap();
    }
    w.store
        .record_attendance(
            &admin,
            &held.session_ids[0],
            &[
                present(&a),
                absent(&b, AttendanceStatus::Izin, AbsenceReason::TugasKantor),
                absent(&c, AttendanceStatus::Sakit, AbsenceReason::Sakit),
            ],
        )
        .unwrap();
    // c withdraws: their enrolment and their mark leave the figures.
    w.store.withdraw(&admin, &held.id, &c.id).unwrap();

    let mut called_off = training("2027-03-01", "2027-03-01", &["2027-03-01"], 30);
    called_off.theme = "Kepemimpinan".into();
    let called_off = w.store.create_training(&admin, &called_off).unwrap();
    w.store.enrol(&admin, &called_off.id, &d.id).unwrap();
    w.store
        .record_attendance(
            &admin,
            &called_off.session_ids[0],
            &[absent(
                &d,
                AttendanceStatus::Alpa,
                AbsenceReason::JadwalBentrok,
            )],
        )
        .unwrap();
    let called_off = w.store.training(&admin, &called_off.id).unwrap();
    w.store
        .set_training_status(
            &admin,
            &called_off.id,
            called_off.version,
            TrainingStatus::Dibatalkan,
        )
        .unwrap();

    let summary = w.store.participation_summary(&admin, 2027, None).unwrap();
    assert_eq!((summary.enrolled, summary.hadir, summary.absent), (2, 1, 1));
    let reasons: Vec<_> = summary
        .reasons
        .iter()
        .map(|r| (r.reason, r.count))
        .collect();
    assert_eq!(reasons, vec![(AbsenceReason::TugasKantor, 1)]);
    assert_eq!(
        w.store
            .participation_summary(&admin, 2026, None)
            .unwrap()
            .enrolled,
        0,
        "another year"
    );

    let slices = w.store.participation_breakdown(&admin, 2027).unwrap();
    for by in ["kantor", "tema", "jalur", "metode"] {
        let of: Vec<_> = slices.iter().filter(|s| s.by == by).collect();
        assert_eq!(of.len(), 1, "{by}: only the training held, {slices:?}");
        assert_eq!(
            (of[0].enrolled, of[0].hadir, of[0].absent),
            (2, 1, 1),
            "{by}"
        );
        assert!((of[0].attendance_rate - 50.0).abs() < 1e-9);
    }
    assert_eq!(slices[0].key, "Kelurahan Terjun");
}

/// The study compares methods: a training's method is kept beside its route, read back as written,
/// and a row stored before methods were kept — with the route label earlier versions offered,
/// "Pelatihan Berbasis Proyek" — reads as Jalur nonklasikal lainnya, project-based, in the
/// training and in the breakdown by method.
#[test]
fn participation_is_broken_down_by_method_and_old_project_rows_read_as_project_based() {
    use pelita_core::training::{Method, Route};
    let mut w = world();
    let admin = w.admin.clone();
    let mut workshop = training("2027-02-01", "2027-02-01", &["2027-02-01"], 30);
    workshop.route = Route::Workshop;
    workshop.method = Method::Workshop;
    let workshop = w.store.create_training(&admin, &workshop).unwrap();
    let project = w
        .store
        .create_training(
            &admin,
            &training("2027-03-01", "2027-03-01", &["2027-03-01"], 30),
        )
        .unwrap();
    // As an earlier version stored it: the legacy route, no method.
    w.store
        .connection()
        .execute(
            "UPDATE training SET route = 'Pelatihan Berbasis Proyek', form = 'Nonklasikal',
                 method = NULL WHERE id = ?1",
            [&project.id],
        )
        .unwrap();
    let read = w.store.training(&admin, &project.id).unwrap();
    assert_eq!(
        (read.input.route, read.input.method),
        (Route::NonklasikalLainnya, Method::BerbasisProyek)
    );
    let read = w.store.training(&admin, &workshop.id).unwrap();
    assert_eq!(read.input.method, Method::Workshop);

    let (a, b) = (w.terjun[0].clone(), w.terjun[1].clone());
    for t in [&workshop, &project] {
        w.store.enrol(&admin, &t.id, &a.id).unwrap();
        w.store.enrol(&admin, &t.id, &b.id).unwrap();
    }
    w.store
        .record_attendance(
            &admin,
            &workshop.session_ids[0],
            &[present(&a), present(&b)],
        )
        .unwrap();
    w.store
        .record_attendance(
            &admin,
            &project.session_ids[0],
            &[
                present(&a),
                absent(&b, AttendanceStatus::Izin, AbsenceReason::TugasKantor),
            ],
        )
        .unwrap();
    let slices = w.store.participation_breakdown(&admin, 2027).unwrap();
    let by_method: Vec<(String, u32, u32)> = slices
        .iter()
        .filter(|s| s.by == "metode")
        .map(|s| (s.key.clone(), s.hadir, s.absent))
        .collect();
    assert_eq!(
        by_method,
        [
            ("Berbasis proyek".to_string(), 1, 1),
            ("Workshop/praktik".to_string(), 2, 0)
        ]
    );
}
