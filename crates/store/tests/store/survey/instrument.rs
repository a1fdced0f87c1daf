//! The questionnaire study in the office database: an instrument goes Draf → Dibuka ⇄ Ditutup,
//! its items are fixed once opened, answer sheets are whole or refused (nothing written), named
//! ones are one per respondent, anonymous ones only where allowed, an office records and sees
//! only its own, and the results are exactly the statistics of the same answers read from a CSV.

use std::collections::BTreeMap;

use pelita_analysis::{Analysis, ResultOptions};
use pelita_core::auth::Role;
use pelita_core::survey::{default_instrument, item_codes, InstrumentDraft, InstrumentStatus};
use pelita_stats::survey::Responses;
use pelita_store::{EmployeeQuery, EmployeeRow, NewUser, Store, StoreError};

const PW: &str = "Sandi-Studi-Kuat-5";

fn sheet(draft: &InstrumentDraft, value: u8) -> BTreeMap<String, u8> {
    item_codes(&draft.constructs)
        .into_iter()
        .map(|c| (c, value))
        .collect()
}

fn operator(
    store: &mut Store,
    admin: &pelita_core::auth::Actor,
    office: &str,
) -> pelita_core::auth::Actor {
    let name = format!("op-{}", office.to_lowercase());
    store
        .add_user(
            admin,
            &NewUser {
                username: name.clone(),
                full_name: name.clone(),
                roles: vec![Role::Operator],
                office_code: Some(office.into()),
                employee_nip: None,
                password: PW.into(),
            },
        )
        .unwrap();
    store.login(&name, PW).unwrap()
}

/// An employee of Terjun and one of Paya Pasir.
fn terjun_and_paya(
    store: &mut Store,
    admin: &pelita_core::auth::Actor,
) -> (EmployeeRow, EmployeeRow) {
    let everyone = store
        .list_employees(admin, &EmployeeQuery::default())
        .unwrap();
    let of = |code: &str| {
        everyone
            .iter()
            .find(|e| e.office_code == code)
            .unwrap()
            .clone()
    };
    (of("TERJUN"), of("PAYA-PASIR"))
}

fn fields(e: StoreError) -> Vec<String> {
    match e {
        StoreError::Validation(v) => v.errors.into_iter().map(|f| f.field).collect(),
        other => panic!("expected a validation error, got {other:?}"),
    }
}

#[test]
fn an_instrument_is_drafted_opened_closed_and_its_items_stay_fixed_once_opened() {
    let dir = tempfile::tempdir().unwrap();
    let (mut store, admin) = crate::common::create_register(dir.path(), "KEC-MARELAN", PW);
    let draft = default_instrument();
    let i = store.save_instrument(&admin, None, 0, &draft).unwrap();
    assert_eq!(
        (i.status, i.version, i.responses),
        (InstrumentStatus::Draf, 1, 0)
    );
    let mut sheets = sheet(&draft, 4);
    let refused = store.record_survey_response(&admin, &i.id, None, &sheets);
    assert_eq!(
        fields(refused.unwrap_err()),
        ["status"],
        "no answers to a draft"
    );

    // In Draf anything may change; a stale edit is refused.
    let mut longer = draft.clone();
    longer.constructs[0]
        .items
        .push("Pelatihan memakai contoh dari pekerjaan saya.".into());
    let i = store
        .save_instrument(&admin, Some(&i.id), 1, &longer)
        .unwrap();
    assert!(matches!(
        store.save_instrument(&admin, Some(&i.id), 1, &draft),
        Err(StoreError::VersionConflict)
    ));
    let i = store
        .set_instrument_status(&admin, &i.id, i.version, InstrumentStatus::Dibuka)
        .unwrap();
    // Opened: wording may change, items may not.
    let mut reworded = longer.clone();
    reworded.constructs[2].items[0] = "Mutu pekerjaan saya sesuai standar.".into();
    let i = store
        .save_instrument(&admin, Some(&i.id), i.version, &reworded)
        .unwrap();
    assert_eq!(
        i.constructs[2].items[0],
        "Mutu pekerjaan saya sesuai standar."
    );
    assert_eq!(
        fields(
            store
                .save_instrument(&admin, Some(&i.id), i.version, &draft)
                .unwrap_err()
        ),
        ["constructs"]
    );
    assert_eq!(
        fields(
            store
                .set_instrument_status(&admin, &i.id, i.version, InstrumentStatus::Draf)
                .unwrap_err()
        ),
        ["status"]
    );
    sheets = sheet(&longer, 4);
    store
        .record_survey_response(&admin, &i.id, None, &sheets)
        .unwrap();
    let i = store
        .set_instrument_status(&admin, &i.id, i.version, InstrumentStatus::Ditutup)
        .unwrap();
    assert_eq!(i.responses, 1);
    assert_eq!(
        fields(
            store
                .record_survey_response(&admin, &i.id, None, &sheets)
                .unwrap_err()
        ),
        ["status"],
        "a closed instrument takes no answers"
    );
    let entities: Vec<String> = store
        .pending_outbox()
        .unwrap()
        .into_iter()
        .map(|m| m.entity)
        .filter(|e| e.starts_with("survey"))
        .collect();
    assert_eq!(
        entities,
        [
            "survey_instrument",
            "survey_instrument",
            "survey_instrument",
            "survey_instrument",
            "survey_response",
            "survey_instrument"
        ],
        "every change, and only a change, is one mutation"
    );
}

#[test]
fn answer_sheets_are_whole_named_once_and_anonymous_only_where_allowed() {
    let dir = tempfile::tempdir().unwrap();
    let (mut store, admin) = crate::common::create_register(dir.path(), "KEC-MARELAN", PW);
    let mut draft = default_instrument();
    draft.allow_anonymous = false;
    let i = store.save_instrument(&admin, None, 0, &draft).unwrap();
    let i = store
        .set_instrument_status(&admin, &i.id, 1, InstrumentStatus::Dibuka)
        .unwrap();
    let (terjun, paya) = terjun_and_paya(&mut store, &admin);
    let before = store.pending_outbox().unwrap().len();

    let mut broken = sheet(&draft, 3);
    broken.insert("X1_2".into(), 0);
    broken.remove("Y_4");
    assert_eq!(
        fields(
            store
                .record_survey_response(&admin, &i.id, Some(&terjun.id), &broken)
                .unwrap_err()
        ),
        ["answers.X1_2", "answers.Y_4"]
    );
    assert_eq!(
        fields(
            store
                .record_survey_response(&admin, &i.id, None, &sheet(&draft, 3))
                .unwrap_err()
        ),
        ["employee_id"],
        "this instrument names its respondents"
    );
    assert_eq!(
        store.pending_outbox().unwrap().len(),
        before,
        "nothing written"
    );

    let first = store
        .record_survey_response(&admin, &i.id, Some(&terjun.id), &sheet(&draft, 3))
        .unwrap();
    let again = store
        .record_survey_response(&admin, &i.id, Some(&terjun.id), &sheet(&draft, 5))
        .unwrap();
    assert_eq!(first, again, "one named sheet per respondent");
    let rows = store.survey_responses(&admin, &i.id, None).unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!((rows[0].version, rows[0].answers["Y_6"]), (2, 5));
    assert_eq!(rows[0].respondent.as_deref(), Some(terjun.name.as_str()));

    // An operator records and sees only their own office.
    let op = operator(&mut store, &admin, "TERJUN");
    assert!(matches!(
        store.record_survey_response(&op, &i.id, Some(&paya.id), &sheet(&draft, 4)),
        Err(StoreError::PermissionDenied(_))
    ));
    store
        .record_survey_response(&admin, &i.id, Some(&paya.id), &sheet(&draft, 4))
        .unwrap();
    assert_eq!(store.survey_responses(&op, &i.id, None).unwrap().len(), 1);
    assert_eq!(
        store.survey_responses(&admin, &i.id, None).unwrap().len(),
        2
    );
    assert!(store
        .survey_responses(&op, &i.id, Some(&paya.office_id))
        .is_err());
    assert!(
        matches!(
            store.save_instrument(&op, Some(&i.id), i.version, &draft),
            Err(StoreError::PermissionDenied(_))
        ),
        "the district's instrument is the HQ's to change"
    );

    // A sheet recorded by mistake is withdrawn, and the withdrawal is a change that syncs.
    let row = &store.survey_responses(&op, &i.id, None).unwrap()[0];
    store
        .delete_survey_response(&op, &row.id, row.version)
        .unwrap();
    assert!(store.survey_responses(&op, &i.id, None).unwrap().is_empty());
    let last = store.pending_outbox().unwrap().pop().unwrap();
    assert_eq!(last.entity, "survey_response");
    assert!(last.payload.contains("\"deleted\":1"), "{}", last.payload);
}

#[test]
fn an_offices_own_instrument_is_answered_by_its_own_staff_only() {
    let dir = tempfile::tempdir().unwrap();
    let (mut store, admin) = crate::common::create_register(dir.path(), "KEC-MARELAN", PW);
    let op = operator(&mut store, &admin, "TERJUN");
    let draft = default_instrument();
    assert!(
        matches!(
            store.save_instrument(&op, None, 3, &draft),
            Err(StoreError::VersionConflict)
        ),
        "a new instrument starts from version 0"
    );
    let own = store.save_instrument(&op, None, 0, &draft).unwrap();
    assert_eq!(own.owner_office_name, "Kelurahan Terjun");
    store
        .set_instrument_status(&op, &own.id, 1, InstrumentStatus::Dibuka)
        .unwrap();
    let (terjun, paya) = terjun_and_paya(&mut store, &admin);
    // Paya Pasir's laptops never receive Terjun's instrument: a sheet there would point nowhere.
    assert_eq!(
        fields(
            store
                .record_survey_response(&admin, &own.id, Some(&paya.id), &sheet(&draft, 4))
                .unwrap_err()
        ),
        ["employee_id"]
    );
    store
        .record_survey_response(&admin, &own.id, Some(&terjun.id), &sheet(&draft, 4))
        .unwrap();
    assert_eq!(store.instrument(&op, &own.id).unwrap().responses, 1);
}

#[test]
fn the_results_are_the_statistics_of_the_same_answers_read_from_a_csv() {
    let csv = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../stats/tests/fixtures/survey-100.csv"
    ))
    .unwrap();
    let table = pelita_sheet::read("survey-100.csv", &csv).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let (mut store, admin) = crate::common::create_register(dir.path(), "KEC-MARELAN", PW);
    // The fixture asks 8 items on training, 6 on development, 6 on performance.
    let mut draft = default_instrument();
    draft.constructs[0]
        .items
        .extend(["Butir tujuh.".into(), "Butir delapan.".into()]);
    draft.constructs[1].items.push("Butir enam.".into());
    let i = store.save_instrument(&admin, None, 0, &draft).unwrap();
    store
        .set_instrument_status(&admin, &i.id, 1, InstrumentStatus::Dibuka)
        .unwrap();

    let header = &table[0];
    for (k, row) in table[1..].iter().enumerate() {
        let answers = header
            .iter()
            .zip(row)
            .map(|(h, v)| (h.clone(), v.parse().unwrap()))
            .collect();
        store
            .record_survey_response(&admin, &i.id, None, &answers)
            .unwrap();
        if k == 8 {
            let few = store
                .survey_results(&admin, &i.id, &ResultOptions::default())
                .unwrap();
            assert_eq!(few.n, 9);
            let why = few.unavailable.unwrap();
            assert!(
                why.contains("terlalu sedikit") && why.contains('9'),
                "{why}"
            );
            assert_eq!(few.tables.len(), 1, "only the answer distribution under 10");
        }
    }
    let results = store
        .survey_results(&admin, &i.id, &ResultOptions::default())
        .unwrap();
    assert_eq!(results.n, 100);
    assert!(results.unavailable.is_none());
    let expected = Responses::from_table("survey-100.csv", &table)
        .unwrap()
        .analyze(0.6)
        .unwrap()
        .tables();
    assert_eq!(results.tables.len(), expected.len() + 1);
    for (got, want) in results.tables[1..].iter().zip(&expected) {
        assert_eq!(got.title, want.title);
        assert_eq!(got.rows, want.rows);
    }
    // Leaving the invalid items out (X1_8 in this file) is the statistics' own way of it.
    let drop = ResultOptions {
        drop_invalid: true,
        ..ResultOptions::default()
    };
    let dropped = store.survey_results(&admin, &i.id, &drop).unwrap();
    let expected_dropped = Responses::from_table("survey-100.csv", &table)
        .unwrap()
        .analyze_valid_items(0.6)
        .unwrap()
        .tables();
    assert!(expected_dropped[1].title.contains("X1_8"));
    for (got, want) in dropped.tables[1..].iter().zip(&expected_dropped) {
        assert_eq!((&got.title, &got.rows), (&want.title, &want.rows));
    }
    // The distribution counts every answer of every sheet.
    let dist = &results.tables[0];
    for row in &dist.rows[1..] {
        let counted: u32 = row[2..7].iter().map(|c| c.parse::<u32>().unwrap()).sum();
        assert_eq!(counted, 100, "{row:?}");
    }
    assert_eq!(
        store.survey_answer_table(&admin, &i.id, None).unwrap(),
        table,
        "the sheets read back as the very table they came from"
    );

    let out = dir.path().join("studi.xlsx");
    assert_eq!(
        store
            .export_survey_results(&admin, &i.id, &ResultOptions::default(), &out)
            .unwrap(),
        100
    );
    let written = pelita_sheet::read("studi.xlsx", &std::fs::read(&out).unwrap()).unwrap();
    let text: Vec<String> = written.into_iter().flatten().collect();
    assert!(text.iter().any(|c| c.starts_with("Uji validitas")));
    assert!(text.iter().any(|c| c
        == "Distribusi jawaban responden (n = 100; 1 = Sangat Tidak Setuju, 5 = Sangat Setuju)"));
}

#[test]
fn the_demo_holds_an_opened_study_with_answers_from_most_staff() {
    let dir = tempfile::tempdir().unwrap();
    let (mut store, admin) = crate::common::create(dir.path(), "KEC-MARELAN", true, PW);
    let instruments = store.list_instruments(&admin).unwrap();
    assert_eq!(instruments.len(), 1);
    let i = &instruments[0];
    assert_eq!(
        (i.status, i.title.as_str()),
        (
            InstrumentStatus::Dibuka,
            default_instrument().title.as_str()
        )
    );
    let sheets = store.survey_responses(&admin, &i.id, None).unwrap();
    let anonymous = sheets.iter().filter(|s| s.employee_id.is_none()).count();
    assert!(sheets.len() >= 30 && sheets.len() < 45, "{}", sheets.len());
    assert!(anonymous > 0 && anonymous < sheets.len() / 3, "{anonymous}");
    let results = store
        .survey_results(&admin, &i.id, &ResultOptions::default())
        .unwrap();
    assert!(results.unavailable.is_none(), "{:?}", results.unavailable);
    if std::env::var_os("PELITA_PRINT").is_some() {
        for t in &results.tables {
            println!("{}", t.title);
            for r in &t.rows {
                println!("  {}", r.join(" | "));
            }
        }
    }
    let reliability = results
        .tables
        .iter()
        .find(|t| t.title.starts_with("Uji reliabilitas"))
        .expect("a reliability table");
    assert!(
        reliability.rows[1..]
            .iter()
            .all(|r| r.last().unwrap() == "Reliabel"),
        "{:?}",
        reliability.rows
    );
}
