//! The training rules: LAN routes and forms, completion, the JP year, the 20 JP standing of a PNS
//! (a CPNS on Latsar, a PPPK against a ceiling), the JP shares, and the form's checks.

use pelita_core::reference::EmploymentStatus;
use pelita_core::training::*;

#[test]
fn jp_shares_count_pns_only_per_office_and_overall() {
    use EmploymentStatus::*;
    let lines = [
        ("TERJUN", Pns, 20),
        ("TERJUN", Cpns, 8),
        ("TERJUN", Pppk, 0),
        ("RENGAS-PULAU", Pns, 0),
    ];
    let shares = jp_shares(lines);
    let of = |code: &str| shares.iter().find(|s| s.office_code == code).unwrap();
    // The CPNS (on Latsar) and the PPPK (a ceiling) are not counted.
    assert_eq!((of("").pns, of("").met, of("").missing_jp), (2, 1, 20));
    assert_eq!((of("TERJUN").pns, of("TERJUN").met), (1, 1));
    assert!((of("TERJUN").share_pct - 100.0).abs() < 1e-12);
    assert_eq!(of("RENGAS-PULAU").share_pct, 0.0);
    assert_eq!(shares.len(), 3);
    assert_eq!(
        jp_shares([("X", Pppk, 30)])[0].share_pct,
        0.0,
        "no PNS: no share"
    );
}

fn input() -> TrainingInput {
    TrainingInput {
        title: "Pelayanan Prima".into(),
        theme: "Pelayanan Publik".into(),
        route: Route::BimbinganTeknis,
        method: Method::implied_by(Route::BimbinganTeknis),
        organiser: "Kantor Camat Medan Marelan".into(),
        owner_office_id: "o".into(),
        location: "Aula Kantor Camat".into(),
        start_date: "2026-12-28".into(),
        end_date: "2027-01-03".into(),
        sessions: vec![
            SessionInput {
                date: "2026-12-28".into(),
                start_time: "08:00".into(),
                end_time: "12:30".into(),
            },
            SessionInput {
                date: "2027-01-03".into(),
                start_time: "08:00".into(),
                end_time: "12:30".into(),
            },
        ],
        jp: 12,
        capacity: 30,
        certificate: true,
        completion_share: 100,
        objectives: Vec::new(),
    }
}

#[test]
fn routes_belong_to_their_form_and_keep_the_official_labels() {
    // Peraturan LAN 10/2018: 12 klasikal and 13 nonklasikal routes; "Pelatihan Berbasis Proyek"
    // is not one of them.
    assert_eq!(Route::ALL.len(), 25);
    let klasikal = Route::ALL
        .iter()
        .filter(|r| r.form() == TrainingForm::Klasikal)
        .count();
    assert_eq!(klasikal, 12);
    assert_eq!(Route::parse(LEGACY_PROJECT_ROUTE), None);
    assert_eq!(Route::Coaching.form(), TrainingForm::Nonklasikal);
    assert_eq!(Route::KlasikalLainnya.form(), TrainingForm::Klasikal);
    assert_eq!(
        Route::parse("bimbingan teknis"),
        Some(Route::BimbinganTeknis)
    );
    assert_eq!(
        serde_json::to_value(Route::Detasering).unwrap(),
        serde_json::json!("Detasering (Secondment)")
    );
    assert_eq!(
        AbsenceReason::TugasKantor.label(),
        "tugas kantor / beban kerja"
    );
}

#[test]
fn a_training_counts_in_the_year_it_ends() {
    let t = input();
    assert_eq!(t.validate(), Ok(()));
    assert_eq!(jp_year(&t.end_date), Some(2027));
    assert_eq!(t.session_jp(), 12, "two sessions of 4.5 hours = 12 JP");
}

#[test]
fn malformed_trainings_say_which_field() {
    let mut t = input();
    t.end_date = "2026-12-01".into();
    t.sessions[1].end_time = "07:00".into();
    t.jp = 0;
    t.completion_share = 0;
    let fields: Vec<_> = t
        .validate()
        .unwrap_err()
        .errors
        .into_iter()
        .map(|e| e.field)
        .collect();
    assert_eq!(
        fields,
        // Both sessions now fall after the (wrong) end date.
        [
            "end_date",
            "sessions.0.date",
            "sessions.1.date",
            "sessions.1.end_time",
            "jp",
            "completion_share"
        ]
    );
}

#[test]
fn completion_needs_the_share_of_sessions() {
    assert!(completes(2, 2, 100));
    assert!(!completes(1, 2, 100));
    assert!(completes(1, 2, 50));
    assert!(!completes(0, 0, 100));
}

#[test]
fn jp_against_the_rule_for_each_status() {
    assert_eq!(
        jp_standing(EmploymentStatus::Pns, 19),
        JpStanding::BelowTarget
    );
    // PP 11/2017 Pasal 203 owes 20 JP to every PNS; a CPNS is on Latsar (Pasal 34), shown
    // apart whatever their JP.
    assert_eq!(
        jp_standing(EmploymentStatus::Pns, 20),
        JpStanding::TargetMet
    );
    assert_eq!(jp_standing(EmploymentStatus::Cpns, 0), JpStanding::Latsar);
    assert_eq!(jp_standing(EmploymentStatus::Cpns, 40), JpStanding::Latsar);
    assert_eq!(
        jp_standing(EmploymentStatus::Pppk, 24),
        JpStanding::WithinCeiling
    );
    assert_eq!(
        jp_standing(EmploymentStatus::Pppk, 25),
        JpStanding::AboveCeiling
    );
}

#[test]
fn normalised_gain_handles_a_perfect_pre_test() {
    assert_eq!(normalised_gain(60.0, 80.0), Some(0.5));
    assert_eq!(normalised_gain(100.0, 100.0), None);
    assert_eq!(normalised_gain(80.0, 70.0), Some(-0.5));
    assert_eq!(normalised_gain(-1.0, 70.0), None);
}

/// Project-based learning is a method beside the route. Rows stored before methods were kept read
/// with the method their route implies, and the legacy project route as the catch-all nonklasikal
/// route taught project-based — the same on every laptop, whenever it upgraded.
#[test]
fn a_method_sits_beside_the_route_and_old_rows_read_the_same_everywhere() {
    assert_eq!(
        stored_route(LEGACY_PROJECT_ROUTE, None),
        Some((Route::NonklasikalLainnya, Method::BerbasisProyek))
    );
    assert_eq!(Route::NonklasikalLainnya.form(), TrainingForm::Nonklasikal);
    assert_eq!(
        stored_route("E-learning", None),
        Some((Route::ELearning, Method::ELearning))
    );
    assert_eq!(
        stored_route("Workshop atau Lokakarya", None),
        Some((Route::Workshop, Method::Workshop))
    );
    assert_eq!(
        stored_route("Kursus", Some("Berbasis proyek")),
        Some((Route::Kursus, Method::BerbasisProyek))
    );
    assert_eq!(
        stored_route("Bimbingan Teknis", None),
        Some((Route::BimbinganTeknis, Method::TatapMuka))
    );
    assert_eq!(stored_route("Jalur buatan", None), None);
    assert_eq!(
        serde_json::to_value(Method::BerbasisProyek).unwrap(),
        serde_json::json!("Berbasis proyek")
    );
}

/// PP 49/2018 Pasal 40: a PPPK's development is at most 24 JP per year of the work contract — the
/// contract's own years, not calendar years, cut at its end.
#[test]
fn a_pppk_contract_year_runs_from_the_contract_start() {
    let d = |s: &str| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
    let start = d("2024-03-01");
    let end = Some(d("2029-02-28"));
    assert_eq!(
        contract_year(start, end, d("2026-02-28")),
        Some((d("2025-03-01"), d("2026-02-28")))
    );
    assert_eq!(
        contract_year(start, end, d("2026-03-01")),
        Some((d("2026-03-01"), d("2027-02-28")))
    );
    assert_eq!(
        contract_year(start, end, d("2024-03-01")),
        Some((d("2024-03-01"), d("2025-02-28")))
    );
    // Cut at the contract's end; nothing outside it.
    assert_eq!(
        contract_year(start, Some(d("2026-06-30")), d("2026-05-01")),
        Some((d("2026-03-01"), d("2026-06-30")))
    );
    assert_eq!(contract_year(start, end, d("2024-02-29")), None);
    assert_eq!(contract_year(start, end, d("2029-03-01")), None);
    // A contract starting on 29 February: its later years start on 28 February.
    assert_eq!(
        contract_year(d("2024-02-29"), None, d("2025-06-01")),
        Some((d("2025-02-28"), d("2026-02-27")))
    );
}
