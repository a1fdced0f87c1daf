//! Kirkpatrick L3 about what the training taught: its objectives, the atasan's baseline before it
//! ends, the follow-up three months after, and the change the Analisis page reports.

use pelita_core::appraisal::{CoreValue, Rating};
use pelita_core::training::TrainingStatus;
use pelita_store::{ErrorCode, FollowupKind, FollowupRating};

use crate::common::training::{lurah_and_report, present, training, world};

fn day(y: i32, m: u32, d: u32) -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

#[test]
fn the_atasan_rates_the_training_s_objectives_before_it_and_three_months_after() {
    let mut w = world();
    let admin = w.admin.clone();
    let (as_lurah, staff) = lurah_and_report(&mut w);
    w.store.pin_today(day(2026, 7, 20)).unwrap();
    let mut input = training("2026-08-03", "2026-08-03", &["2026-08-03"], 10);
    input.objectives = vec![
        "  Menjawab pengaduan warga dalam 3 hari kerja ".into(),
        "Memakai templat surat keterangan yang baru".into(),
        String::new(),
    ];
    let t = w.store.create_training(&admin, &input).unwrap();
    // Kept trimmed, the empty line dropped, and synced with the training.
    let objectives = w.store.training(&admin, &t.id).unwrap().input.objectives;
    assert_eq!(
        objectives,
        [
            "Menjawab pengaduan warga dalam 3 hari kerja",
            "Memakai templat surat keterangan yang baru"
        ]
    );
    let mut twice = input.clone();
    twice.objectives = vec!["A".into(), "a".into()];
    let err = w.store.create_training(&admin, &twice).unwrap_err();
    assert!(err.to_string().contains("dua kali"), "{err}");
    w.store.enrol(&admin, &t.id, &staff.id).unwrap();

    // Before the training: the baseline is due, one level per objective on the 1–5 scale.
    let due = w.store.followups_due(&as_lurah).unwrap();
    assert_eq!(due.len(), 1);
    assert_eq!(
        (due[0].objectives.len(), due[0].baseline.is_none()),
        (2, true)
    );
    let id = due[0].participation_id.clone();
    let field = |e: pelita_store::StoreError| match e {
        pelita_store::StoreError::Validation(v) => v.errors[0].field.clone(),
        other => panic!("{other}"),
    };
    assert_eq!(
        field(w.store.record_baseline(&as_lurah, &id, &[2]).unwrap_err()),
        "baseline"
    );
    assert_eq!(
        field(
            w.store
                .record_baseline(&as_lurah, &id, &[2, 6])
                .unwrap_err()
        ),
        "baseline.1"
    );
    let err = w.store.record_baseline(&admin, &id, &[2, 1]).unwrap_err();
    assert_eq!(err.code(), ErrorCode::PermissionDenied, "only the atasan");
    w.store.record_baseline(&as_lurah, &id, &[2, 1]).unwrap();
    assert!(w.store.followups_due(&as_lurah).unwrap().is_empty());
    // Rated, the objectives stay as they are.
    let current = w.store.training(&admin, &t.id).unwrap();
    let mut reworded = current.input.clone();
    reworded.objectives[0] = "Menjawab pengaduan dalam 2 hari".into();
    let err = w
        .store
        .update_training(&admin, &t.id, current.version, &reworded)
        .unwrap_err();
    assert_eq!(field(err), "objectives");

    // The training takes place; after its last day the baseline is closed.
    w.store.pin_today(day(2026, 8, 10)).unwrap();
    w.store
        .record_attendance(&admin, &t.session_ids[0], &[present(&staff)])
        .unwrap();
    let t = w.store.training(&admin, &t.id).unwrap();
    w.store
        .set_training_status(&admin, &t.id, t.version, TrainingStatus::Selesai)
        .unwrap();
    let err = w
        .store
        .record_baseline(&as_lurah, &id, &[3, 3])
        .unwrap_err();
    assert!(
        err.to_string().contains("sebelum pelatihan berakhir"),
        "{err}"
    );

    // Three months on: the follow-up is due, with the baseline beside it.
    w.store.pin_today(day(2026, 11, 30)).unwrap();
    let due = w.store.followups_due(&as_lurah).unwrap();
    assert_eq!(due.len(), 1);
    assert_eq!(due[0].kind, FollowupKind::Followup);
    let baseline: Vec<u8> = due[0]
        .baseline
        .as_ref()
        .unwrap()
        .iter()
        .map(|l| l.level)
        .collect();
    assert_eq!(baseline, [2, 1]);
    let values: Vec<FollowupRating> = CoreValue::ALL
        .into_iter()
        .map(|value| FollowupRating {
            value,
            rating: Rating::Sesuai,
        })
        .collect();
    let err = w
        .store
        .record_followup(&as_lurah, &id, &values, &[], "")
        .unwrap_err();
    assert_eq!(field(err), "applied");
    w.store
        .record_followup(
            &as_lurah,
            &id,
            &values,
            &[4, 3],
            "membalas pengaduan lewat WhatsApp",
        )
        .unwrap();
    assert!(w.store.followups_due(&as_lurah).unwrap().is_empty());

    // The Analisis page's L3 figure: (4 − 2 + 3 − 1) / 2 = 2 steps on the scale.
    let evaluations =
        pelita_store::read::evaluations_by_training(w.store.connection(), 2026, (None, None), None)
            .unwrap();
    let this = evaluations.iter().find(|e| e.training_id == t.id).unwrap();
    assert_eq!((this.applied, this.mean_application_change), (1, Some(2.0)));
}

/// The atasan gave no baseline before the training ended: three months on the follow-up is still
/// asked (a follow-up, not a baseline that can no longer be given), and it is recorded without one.
#[test]
fn a_missed_baseline_leaves_the_follow_up_to_be_given() {
    let mut w = world();
    let admin = w.admin.clone();
    let (as_lurah, staff) = lurah_and_report(&mut w);
    w.store.pin_today(day(2026, 7, 20)).unwrap();
    let mut input = training("2026-08-03", "2026-08-03", &["2026-08-03"], 10);
    input.objectives = vec!["Memakai templat surat keterangan yang baru".into()];
    let t = w.store.create_training(&admin, &input).unwrap();
    w.store.enrol(&admin, &t.id, &staff.id).unwrap();
    w.store.pin_today(day(2026, 8, 10)).unwrap();
    w.store
        .record_attendance(&admin, &t.session_ids[0], &[present(&staff)])
        .unwrap();
    let t = w.store.training(&admin, &t.id).unwrap();
    w.store
        .set_training_status(&admin, &t.id, t.version, TrainingStatus::Selesai)
        .unwrap();
    assert!(w.store.followups_due(&as_lurah).unwrap().is_empty());
    w.store.pin_today(day(2026, 11, 30)).unwrap();
    let due = w.store.followups_due(&as_lurah).unwrap();
    assert_eq!(due.len(), 1);
    assert_eq!(
        (due[0].kind, due[0].baseline.is_none()),
        (FollowupKind::Followup, true)
    );
    let values: Vec<FollowupRating> = CoreValue::ALL
        .into_iter()
        .map(|value| FollowupRating {
            value,
            rating: Rating::Sesuai,
        })
        .collect();
    w.store
        .record_followup(&as_lurah, &due[0].participation_id, &values, &[4], "")
        .unwrap();
    assert!(w.store.followups_due(&as_lurah).unwrap().is_empty());
    // No baseline, no change to report: the training has no L3 figure yet.
    let evaluations =
        pelita_store::read::evaluations_by_training(w.store.connection(), 2026, (None, None), None)
            .unwrap();
    let this = evaluations.iter().find(|e| e.training_id == t.id).unwrap();
    assert_eq!((this.applied, this.mean_application_change), (0, None));
}
