//! The demo's two years of history and the effect analysis on it: every quarter signed for
//! everyone with a penilai, some staff never trained, absence reasons recorded; the analysis
//! deterministic, scoped to what the actor may see, and silent (but for n) under ten.

use pelita_analysis::{Analysis, EffectFilter};
use pelita_core::appraisal::Period;
use pelita_core::auth::Role;
use pelita_core::office::office_id;
use pelita_store::{EmployeeQuery, NewUser, PeriodRef, Store, TrainingQuery};

const PW: &str = "Sandi-Analisis-Kuat-3";

fn demo(dir: &std::path::Path) -> (Store, pelita_core::auth::Actor) {
    crate::common::create(dir, "KEC-MARELAN", true, PW)
}

#[test]
fn the_demo_history_has_two_years_of_trainings_and_signed_quarters() {
    let dir = tempfile::tempdir().unwrap();
    let (mut store, admin) = demo(dir.path());
    let trainings = store
        .list_trainings(&admin, &TrainingQuery::default())
        .unwrap();
    assert_eq!(trainings.len(), 16);
    assert!(trainings
        .iter()
        .all(|t| t.status == pelita_core::training::TrainingStatus::Selesai));
    for year in [2024, 2025] {
        let summary = store.participation_summary(&admin, year, None).unwrap();
        assert!(summary.enrolled > 40 && summary.absent > 0, "{summary:?}");
        assert!(
            summary.reasons[0].reason == pelita_core::training::AbsenceReason::TugasKantor,
            "work load is why most miss a training: {:?}",
            summary.reasons
        );
        let jp = store.jp_report(&admin, year, None).unwrap();
        let none = jp.iter().filter(|l| l.jp == 0).count();
        assert!(
            none >= 5 && none < jp.len() / 2,
            "{none} of {} without JP",
            jp.len()
        );
    }
    let everyone = store
        .list_employees(&admin, &EmployeeQuery::default())
        .unwrap();
    let appraised: Vec<_> = everyone
        .iter()
        .filter(|e| e.active && e.atasan_id.is_some())
        .collect();
    assert!(appraised.len() > 30);
    let recap = store
        .appraisal_recap(
            &admin,
            &PeriodRef {
                year: 2025,
                period: Period::TriwulanIVAkhir,
                month: None,
            },
        )
        .unwrap();
    let finals: u32 = recap.iter().map(|r| r.finals).sum();
    let drafts: u32 = recap.iter().map(|r| r.drafts).sum();
    assert_eq!(drafts, 0);
    assert_eq!(
        finals as usize,
        appraised.len(),
        "everyone with a penilai, signed"
    );
    // The page reads the same appraisals the recap counts, in one query.
    let overview = store
        .analysis_overview(
            &admin,
            &EffectFilter {
                year: 2025,
                ..Default::default()
            },
        )
        .unwrap();
    let mut recap_counts = pelita_core::appraisal::distribution::PredicateCounts::default();
    for r in &recap {
        recap_counts.sangat_baik += r.counts.sangat_baik;
        recap_counts.baik += r.counts.baik;
        recap_counts.butuh_perbaikan += r.counts.butuh_perbaikan;
        recap_counts.kurang_misconduct += r.counts.kurang_misconduct;
        recap_counts.sangat_kurang += r.counts.sangat_kurang;
    }
    // The recap leaves each office's head out of its distribution (the Lurah's rating is their
    // kelurahan's result); the Analisis page counts everyone.
    let heads: Vec<String> = store
        .connection()
        .prepare(
            "SELECT a.predicate FROM appraisal a JOIN employee e ON e.id = a.employee_id
             WHERE e.jabatan = 'Lurah' AND a.year = 2025 AND a.period = 'Triwulan IV-Akhir'
               AND a.status = 'Final'",
        )
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(heads.len(), 5, "the five Lurahs");
    for p in heads {
        recap_counts.add(serde_json::from_value(serde_json::Value::String(p)).unwrap());
    }
    assert_eq!(overview.predicates[3].period, "Triwulan IV-Akhir");
    assert_eq!(overview.predicates[3].counts, recap_counts);
    let binned: u32 = overview.capaian.iter().map(|b| b.count).sum();
    assert_eq!(binned, 4 * finals, "every signed quarter has a capaian");
}

#[test]
fn the_effect_analysis_is_deterministic_scoped_and_guarded() {
    let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let (mut one, admin_one) = demo(a.path());
    let (mut two, admin_two) = demo(b.path());
    let year = |y| EffectFilter {
        year: y,
        ..Default::default()
    };
    let first = one.effect_analysis(&admin_one, &year(2025)).unwrap();
    let again = two.effect_analysis(&admin_two, &year(2025)).unwrap();
    assert_eq!(
        serde_json::to_value(&first).unwrap(),
        serde_json::to_value(&again).unwrap(),
        "the same seed, the same history, the same figures"
    );
    assert!(first.trained >= 10 && first.untrained >= 10, "{first:?}");
    assert!(first.trained + first.untrained <= first.employees);
    let paired = first
        .paired_score
        .result
        .as_ref()
        .expect("n ≥ 10 at the HQ");
    assert!(paired.n <= first.trained);
    assert!(first.regression_multiple.result.is_some());
    assert!(first.readings.iter().all(|r| !r.contains("menyebabkan")));
    assert!(first.caveats.iter().any(|c| c.contains("tren sejajar")));

    // A theme narrows who counts as trained and whose JP counts.
    let theme = one
        .effect_people(
            &admin_one,
            &EffectFilter {
                year: 2025,
                theme: Some("Teknologi Informasi".into()),
                ..Default::default()
            },
        )
        .unwrap();
    let all = one.effect_people(&admin_one, &year(2025)).unwrap();
    assert_eq!(theme.len(), all.len());
    assert!(theme.iter().filter(|p| p.trained).count() < first.trained);
    assert!(theme.iter().zip(&all).all(|(t, a)| t.jp <= a.jp));
    assert!(theme.iter().zip(&all).any(|(t, a)| t.jp < a.jp));

    // A route narrows the trained and their JP; a status narrows the people.
    let route = one
        .effect_people(
            &admin_one,
            &EffectFilter {
                year: 2025,
                route: Some(pelita_core::training::Route::Teknis),
                ..Default::default()
            },
        )
        .unwrap();
    assert!(route.iter().filter(|p| p.trained).count() < first.trained);
    assert!(route.iter().zip(&all).all(|(r, a)| r.jp <= a.jp));
    let pppk = one
        .effect_people(
            &admin_one,
            &EffectFilter {
                year: 2025,
                status: Some(pelita_core::reference::EmploymentStatus::Pppk),
                ..Default::default()
            },
        )
        .unwrap();
    assert!(!pppk.is_empty() && pppk.len() < all.len());
    assert!(pppk.iter().all(|p| p.controls[0].1 == "PPPK"));

    // One kelurahan alone is too small for tests: n and the reason, no statistics.
    let terjun = one
        .effect_analysis(
            &admin_one,
            &EffectFilter {
                year: 2025,
                office_id: Some(office_id("TERJUN")),
                ..Default::default()
            },
        )
        .unwrap();
    assert!(terjun.employees < 10);
    assert!(terjun.paired_score.result.is_none());
    assert!(terjun
        .paired_score
        .note
        .as_deref()
        .unwrap()
        .contains("kurang dari 10"));

    // An operator of Terjun sees Terjun, not Paya Pasir.
    one.add_user(
        &admin_one,
        &NewUser {
            username: "operator".into(),
            full_name: "Operator Terjun".into(),
            roles: vec![Role::Operator],
            office_code: Some("TERJUN".into()),
            employee_nip: None,
            password: PW.into(),
        },
    )
    .unwrap();
    let operator = one.login("operator", PW).unwrap();
    let own = one.effect_analysis(&operator, &year(2025)).unwrap();
    assert_eq!(own.employees, terjun.employees);
    assert!(one
        .effect_analysis(
            &operator,
            &EffectFilter {
                year: 2025,
                office_id: Some(office_id("PAYA-PASIR")),
                ..Default::default()
            },
        )
        .is_err());
}

#[test]
fn l1_means_and_l2_gains_per_training_agree_with_each_trainings_own_page() {
    let year = |y| EffectFilter {
        year: y,
        ..Default::default()
    };
    let dir = tempfile::tempdir().unwrap();
    let (mut store, admin) = demo(dir.path());
    let overview = store.analysis_overview(&admin, &year(2025)).unwrap();
    assert_eq!(overview.evaluations.len(), 8, "the year's trainings");
    for e in &overview.evaluations {
        assert!(e.reactions > 0 && e.tested > 0, "{e:?}");
        let l1 = store.reaction_summary(&admin, &e.training_id).unwrap();
        assert_eq!(l1.responses, e.reactions);
        let item_means: Vec<f64> = l1.items.iter().map(|i| i.mean.unwrap()).collect();
        let overall = item_means.iter().sum::<f64>() / item_means.len() as f64;
        assert!((e.reaction_mean.unwrap() - overall).abs() < 1e-9, "{e:?}");
        let l2 = store.learning_summary(&admin, &e.training_id).unwrap();
        assert_eq!(
            e.tested as usize,
            l2.rows.iter().filter(|r| r.gain.is_some()).count()
        );
        assert!((e.mean_gain.unwrap() - l2.mean_gain.unwrap()).abs() < 1e-9);
        assert!((e.mean_normalised_gain.unwrap() - l2.mean_normalised_gain.unwrap()).abs() < 1e-9);
    }
    // One kelurahan: only trainings its staff took, L2 over its staff only.
    let terjun = EffectFilter {
        office_id: Some(office_id("TERJUN")),
        ..year(2025)
    };
    let own = store.analysis_overview(&admin, &terjun).unwrap();
    assert!(!own.evaluations.is_empty() && own.evaluations.len() <= 8);
    for e in &own.evaluations {
        let all = overview
            .evaluations
            .iter()
            .find(|d| d.training_id == e.training_id)
            .unwrap();
        assert!(e.tested <= all.tested && e.tested < 10, "{e:?}");
        assert_eq!(e.reactions, all.reactions);
    }
    // A theme narrows the list to that theme's trainings.
    let theme = overview.evaluations[0]
        .title
        .split(" 2025")
        .next()
        .unwrap()
        .to_string();
    let themed = EffectFilter {
        theme: Some(theme.clone()),
        ..year(2025)
    };
    let narrowed = store.analysis_overview(&admin, &themed).unwrap();
    assert!(!narrowed.evaluations.is_empty());
    assert!(narrowed
        .evaluations
        .iter()
        .all(|e| e.title.starts_with(&theme)));
    assert!(narrowed.evaluations.len() < overview.evaluations.len());
}
