//! `pelita analyze survey`: the full JSON for the 100-respondent questionnaire, every key the
//! README documents, numbers equal to the statsmodels reference; bad files named by row and column.

mod common;

use common::*;
use pelita_analysis::Analysis;

fn fixture(name: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../stats/tests/fixtures")
        .join(name)
}

#[test]
fn the_survey_of_100_respondents_prints_the_full_json() {
    let dir = tempfile::tempdir().unwrap();
    let out = pelita(
        &dir.path().join("tidak-dipakai.sqlite"),
        &[
            "analyze",
            "survey",
            fixture("survey-100.csv").to_str().unwrap(),
            "--json",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let reference: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(fixture("reference.json")).unwrap()).unwrap();
    let expected = &reference["survey"];
    let close = |a: &serde_json::Value, b: &serde_json::Value| {
        let (a, b) = (a.as_f64().unwrap(), b.as_f64().unwrap());
        assert!((a - b).abs() <= 1e-6 * b.abs().max(1.0), "{a} vs {b}");
    };
    assert_eq!(report["n"], 100);
    close(&report["r_critical"], &expected["r_critical"]);
    assert_eq!(report["alpha_threshold"], 0.6);
    let items = report["items"].as_array().unwrap();
    assert_eq!(items.len(), 20);
    for item in items {
        for key in ["item", "construct", "r", "p", "valid"] {
            assert!(item.get(key).is_some(), "items[].{key}");
        }
    }
    assert_eq!(items[7]["item"], "X1_8");
    assert_eq!(items[7]["valid"], false);
    for c in report["reliability"].as_array().unwrap() {
        let name = c["construct"].as_str().unwrap();
        close(&c["alpha"], &expected["alpha"][name]);
        assert_eq!(c["reliable"], true);
    }
    let regressions = [
        (&report["multiple"], &expected["multiple"]),
        (&report["simple"]["X1"], &expected["simple"]["X1"]),
        (&report["simple"]["X2"], &expected["simple"]["X2"]),
        (&report["glejser_regression"], &expected["glejser"]),
    ];
    for (ours, theirs) in regressions {
        for (j, c) in ours["coefficients"].as_array().unwrap().iter().enumerate() {
            assert_eq!(c["name"], theirs["names"][j]);
            for (key, reference_key) in [("b", "params"), ("se", "se"), ("t", "t"), ("p", "p")] {
                close(&c[key], &theirs[reference_key][j]);
            }
        }
        for key in ["r2", "adj_r2", "f", "f_p", "df_model", "df_resid"] {
            close(&ours[key], &theirs[key]);
        }
        assert!(
            ours.get("residuals").is_none(),
            "residuals stay out of the JSON"
        );
    }
    for c in report["collinearity"].as_array().unwrap() {
        close(
            &c["vif"],
            &expected["vif"][c["construct"].as_str().unwrap()],
        );
        assert!(c["tolerance"].is_f64() && c["ok"] == true);
    }
    let normality = &report["normality"];
    close(
        &normality["shapiro_wilk"]["w"],
        &expected["normality"]["shapiro_w"],
    );
    close(
        &normality["shapiro_wilk"]["p"],
        &expected["normality"]["shapiro_p"],
    );
    close(
        &normality["lilliefors"]["d"],
        &expected["normality"]["lilliefors_d"],
    );
    assert!(normality["lilliefors"]["p"].is_null(), "p > 0.10");
    assert_eq!(normality["normal_ks"], true);
    assert_eq!(normality["normal_sw"], true);
    for g in report["glejser"].as_array().unwrap() {
        for key in ["construct", "t", "p", "ok"] {
            assert!(g.get(key).is_some(), "glejser[].{key}");
        }
    }

    assert_eq!(report["dropped_items"], serde_json::json!([]));
    let dropped = pelita(
        &dir.path().join("tidak-dipakai.sqlite"),
        &[
            "analyze",
            "survey",
            fixture("survey-100.csv").to_str().unwrap(),
            "--drop-invalid",
            "--json",
        ],
    );
    assert!(dropped.status.success(), "{}", stderr(&dropped));
    let dropped: serde_json::Value = serde_json::from_slice(&dropped.stdout).unwrap();
    assert_eq!(dropped["dropped_items"], serde_json::json!(["X1_8"]));
    assert_eq!(
        dropped["items"], report["items"],
        "validity still shows every item"
    );
    assert_eq!(dropped["reliability"][0]["items"], 7);

    // Without --json: the thesis tables in Indonesian, and the same tables in an .xlsx report.
    let report_file = dir.path().join("laporan.xlsx");
    let out = pelita(
        &dir.path().join("tidak-dipakai.sqlite"),
        &[
            "analyze",
            "survey",
            fixture("survey-100.csv").to_str().unwrap(),
            "--xlsx",
            report_file.to_str().unwrap(),
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let sheet = pelita_sheet::read("laporan.xlsx", &std::fs::read(&report_file).unwrap()).unwrap();
    let cells: Vec<&str> = sheet.iter().flatten().map(String::as_str).collect();
    for expected in [
        "Uji validitas (n = 100, α = 0,05, df = 98)",
        "Uji reliabilitas",
        "Uji normalitas residual",
        "Uji multikolinearitas",
        "Regresi linear sederhana: Y = a + b·X2",
        "Tidak valid",
    ] {
        assert!(cells.contains(&expected), "{expected} not in the report");
    }
    let text = stdout(&out);
    for expected in [
        "Uji validitas (n = 100",
        "X1_8",
        "Tidak valid",
        "α Cronbach",
        "Uji multikolinearitas",
        "Glejser",
        "Regresi linear berganda: Y = a + b1·X1 + b2·X2",
    ] {
        assert!(text.contains(expected), "{expected} missing:\n{text}");
    }
}

#[test]
fn a_mistyped_filter_of_the_effect_analysis_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("tidak-dipakai.sqlite");
    for (filter, value, message) in [
        (
            "--status",
            "Honorer",
            "status kepegawaian 'Honorer' tidak dikenal",
        ),
        (
            "--route",
            "Diklat",
            "jalur pelatihan 'Diklat' tidak dikenal",
        ),
    ] {
        let out = pelita(&db, &["analyze", "effect", "--year", "2025", filter, value]);
        assert!(!out.status.success());
        assert!(stderr(&out).contains(message), "{}", stderr(&out));
    }
}

#[test]
fn a_bad_answer_is_named_by_file_row_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("kuesioner.csv");
    std::fs::write(&file, "X1_1;X1_2;Y_1;Y_2\n3;4;4;5\n2;6;3;3\n").unwrap();
    let out = pelita(
        &dir.path().join("x.sqlite"),
        &["analyze", "survey", file.to_str().unwrap(), "--json"],
    );
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(
        err.contains("kuesioner.csv, baris 3, kolom X1_2: jawaban '6' harus bilangan bulat 1–5"),
        "{err}"
    );
    assert!(out.stdout.is_empty());
}

#[test]
fn the_answers_recorded_in_the_app_give_the_same_report_as_their_file() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("demo.sqlite");
    assert!(init(&db, &["--office", "KEC-MARELAN", "--demo"])
        .status
        .success());
    let title = pelita_core::survey::default_instrument().title;
    let recorded = as_admin(
        &db,
        &["analyze", "survey", "--instrument", &title, "--json"],
    );
    assert!(recorded.status.success(), "{}", stderr(&recorded));
    let report: serde_json::Value = serde_json::from_slice(&recorded.stdout).unwrap();
    let n = report["n"].as_u64().unwrap();
    assert!((30..45).contains(&n), "the demo's sheets: {n}");
    assert_eq!(report["items"].as_array().unwrap().len(), 17);
    // The same sheets written to a file give the very same report.
    let (mut store, camat) = pelita_store::Store::unlock(&db, "camat", ADMIN_PW).unwrap();
    let id = store.list_instruments(&camat).unwrap()[0].id.clone();
    let table = store.survey_answer_table(&camat, &id, None).unwrap();
    drop(store);
    let file = dir.path().join("jawaban.csv");
    pelita_sheet::write(&file, &table).unwrap();
    let from_file = pelita(
        &dir.path().join("tidak-dipakai.sqlite"),
        &["analyze", "survey", file.to_str().unwrap(), "--json"],
    );
    assert!(from_file.status.success(), "{}", stderr(&from_file));
    assert_eq!(
        serde_json::from_slice::<serde_json::Value>(&from_file.stdout).unwrap(),
        report
    );

    // One kelurahan alone has fewer than ten sheets: said so, nothing printed.
    let terjun = as_admin(
        &db,
        &[
            "analyze",
            "survey",
            "--instrument",
            &title,
            "--office",
            "TERJUN",
            "--json",
        ],
    );
    assert!(!terjun.status.success());
    assert!(
        stderr(&terjun).contains("terlalu sedikit data"),
        "{}",
        stderr(&terjun)
    );
    let unknown = as_admin(&db, &["analyze", "survey", "--instrument", "Tidak ada"]);
    assert!(stderr(&unknown).contains("kuesioner 'Tidak ada' tidak ditemukan"));
}
