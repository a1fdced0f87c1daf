//! Every number against scipy 1.14 / statsmodels 0.14 (`scripts/stats_fixtures.py`, pinned in
//! `scripts/requirements-stats.txt`; `make stats-fixtures` regenerates `fixtures/`), to a relative
//! 1e-6.

use pelita_stats::compare::{paired, welch};
use pelita_stats::normality::{lilliefors, shapiro_wilk};
use pelita_stats::ols::{fit, Regression};
use pelita_stats::survey::{Responses, DEFAULT_ALPHA_THRESHOLD};
use serde_json::Value;

/// Relative, so a p-value of 3e-28 is held to as many digits as a t of 3.2: an absolute 1e-6 let
/// every value below 1e-6 (thirty p-values in the fixtures) pass whatever we computed.
const REL_TOL: f64 = 1e-6;
/// Absolute only this close to zero, where a relative error means nothing (today one reference
/// value, a Wilcoxon statistic of exactly 0). It sits far below the smallest p-value in the
/// fixtures (6e-36): a floor of even 1e-12 would let a p computed as 2·(1 − cdf), which is 0 there,
/// pass against 28 of them.
const ABS_FLOOR: f64 = 1e-300;

fn reference() -> Value {
    serde_json::from_str(include_str!("fixtures/reference.json")).unwrap()
}

fn floats(v: &Value) -> Vec<f64> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_f64().unwrap())
        .collect()
}

#[track_caller]
fn close(what: &str, ours: f64, theirs: &Value) {
    let theirs = theirs
        .as_f64()
        .unwrap_or_else(|| panic!("{what}: {theirs}"));
    let diff = (ours - theirs).abs();
    assert!(
        diff <= REL_TOL * ours.abs().max(theirs.abs()) || diff <= ABS_FLOOR,
        "{what}: ours {ours:e}, reference {theirs:e}, relative error {:e}",
        diff / theirs.abs()
    );
}

fn same_regression(what: &str, ours: &Regression, theirs: &Value) {
    let names: Vec<&str> = theirs["names"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert_eq!(ours.coefficients.len(), names.len(), "{what}");
    for (j, c) in ours.coefficients.iter().enumerate() {
        assert_eq!(c.name, names[j], "{what}");
        close(&format!("{what} {} b", c.name), c.b, &theirs["params"][j]);
        close(&format!("{what} {} se", c.name), c.se, &theirs["se"][j]);
        close(&format!("{what} {} t", c.name), c.t, &theirs["t"][j]);
        close(&format!("{what} {} p", c.name), c.p, &theirs["p"][j]);
    }
    close(&format!("{what} R²"), ours.r2, &theirs["r2"]);
    close(&format!("{what} adj R²"), ours.adj_r2, &theirs["adj_r2"]);
    close(&format!("{what} F"), ours.f, &theirs["f"]);
    close(&format!("{what} p(F)"), ours.f_p, &theirs["f_p"]);
    close(
        &format!("{what} df model"),
        ours.df_model,
        &theirs["df_model"],
    );
    close(
        &format!("{what} df resid"),
        ours.df_resid,
        &theirs["df_resid"],
    );
    for (i, e) in ours.residuals.iter().enumerate() {
        close(&format!("{what} residual {i}"), *e, &theirs["residuals"][i]);
    }
}

#[test]
fn paired_t_tests_wilcoxon_and_effect_sizes_match_scipy() {
    for case in reference()["paired"].as_array().unwrap() {
        let name = case["name"].as_str().unwrap();
        let r = paired(&floats(&case["before"]), &floats(&case["after"])).unwrap();
        for (what, ours) in [
            ("mean_diff", r.mean_diff),
            ("sd_diff", r.sd_diff),
            ("t", r.t),
            ("df", r.df),
            ("p", r.p),
            ("ci_low", r.ci_low),
            ("ci_high", r.ci_high),
            ("dz", r.dz),
            ("wilcoxon_statistic", r.wilcoxon.statistic),
            ("wilcoxon_p", r.wilcoxon.p),
        ] {
            close(&format!("{name}: {what}"), ours, &case[what]);
        }
        assert_eq!(
            r.wilcoxon.exact,
            case["wilcoxon_exact"].as_bool().unwrap(),
            "{name}"
        );
    }
}

#[test]
fn welch_tests_match_scipy() {
    for case in reference()["welch"].as_array().unwrap() {
        let name = case["name"].as_str().unwrap();
        let r = welch(&floats(&case["a"]), &floats(&case["b"])).unwrap();
        for (what, ours) in [
            ("diff", r.diff),
            ("t", r.t),
            ("df", r.df),
            ("p", r.p),
            ("ci_low", r.ci_low),
            ("ci_high", r.ci_high),
        ] {
            close(&format!("{name}: {what}"), ours, &case[what]);
        }
    }
}

#[test]
fn least_squares_match_statsmodels() {
    for case in reference()["ols"].as_array().unwrap() {
        let name = case["name"].as_str().unwrap();
        let names: Vec<String> = case["names"].as_array().unwrap()[1..]
            .iter()
            .map(|v| v.as_str().unwrap().to_string())
            .collect();
        let columns: Vec<Vec<f64>> = case["x"].as_array().unwrap().iter().map(floats).collect();
        let predictors: Vec<(&str, &[f64])> = names
            .iter()
            .zip(&columns)
            .map(|(n, c)| (n.as_str(), c.as_slice()))
            .collect();
        let r = fit(&floats(&case["y"]), &predictors).unwrap();
        same_regression(name, &r, case);
    }
}

#[test]
fn normality_tests_match_scipy_and_statsmodels() {
    for case in reference()["normality"].as_array().unwrap() {
        let name = case["name"].as_str().unwrap();
        let x = floats(&case["x"]);
        let sw = shapiro_wilk(&x).unwrap();
        close(&format!("{name}: W"), sw.w, &case["shapiro_w"]);
        close(&format!("{name}: p(W)"), sw.p, &case["shapiro_p"]);
        if let Some(d) = case.get("lilliefors_d") {
            let ks = lilliefors(&x).unwrap();
            close(&format!("{name}: D"), ks.d, d);
            match (&case["lilliefors_p"], ks.p) {
                (Value::Null, None) => {}
                (theirs, Some(ours)) => close(&format!("{name}: p(D)"), ours, theirs),
                (theirs, ours) => panic!("{name}: p(D) ours {ours:?}, reference {theirs}"),
            }
        }
    }
}

#[test]
fn the_questionnaire_study_matches_scipy_and_statsmodels() {
    let reference = reference();
    let expected = &reference["survey"];
    let table: Vec<Vec<String>> = include_str!("fixtures/survey-100.csv")
        .lines()
        .map(|l| l.split(',').map(str::to_string).collect())
        .collect();
    let report = Responses::from_table("survey-100.csv", &table)
        .unwrap()
        .analyze(DEFAULT_ALPHA_THRESHOLD)
        .unwrap();
    assert_eq!(report.n, 100);
    close("r table", report.r_critical, &expected["r_critical"]);
    let items = expected["items"].as_array().unwrap();
    assert_eq!(report.items.len(), items.len());
    for theirs in items {
        let name = theirs["item"].as_str().unwrap();
        let ours = report.items.iter().find(|i| i.item == name).unwrap();
        close(&format!("{name} r"), ours.r, &theirs["r"]);
        close(&format!("{name} p"), ours.p, &theirs["p"]);
        assert_eq!(ours.valid, ours.r > report.r_critical);
    }
    assert!(
        !report
            .items
            .iter()
            .find(|i| i.item == "X1_8")
            .unwrap()
            .valid,
        "the item made of noise is tidak valid"
    );
    for r in &report.reliability {
        close(
            &format!("alpha {}", r.construct),
            r.alpha,
            &expected["alpha"][&r.construct],
        );
        assert!(r.reliable);
    }
    same_regression("Y ~ X1 + X2", &report.multiple, &expected["multiple"]);
    for (x, r) in &report.simple {
        same_regression(&format!("Y ~ {x}"), r, &expected["simple"][x]);
    }
    for c in &report.collinearity {
        close(
            &format!("VIF {}", c.construct),
            c.vif,
            &expected["vif"][&c.construct],
        );
        close(
            &format!("tolerance {}", c.construct),
            c.tolerance * c.vif,
            &Value::from(1.0),
        );
    }
    let normal = &expected["normality"];
    close(
        "residuals W",
        report.normality.shapiro_wilk.w,
        &normal["shapiro_w"],
    );
    close(
        "residuals p(W)",
        report.normality.shapiro_wilk.p,
        &normal["shapiro_p"],
    );
    close(
        "residuals D",
        report.normality.lilliefors.d,
        &normal["lilliefors_d"],
    );
    assert_eq!(
        report.normality.lilliefors.p.is_none(),
        normal["lilliefors_p"].is_null()
    );
    same_regression("Glejser", &report.glejser_regression, &expected["glejser"]);
}

fn measure(v: &Value) -> Option<pelita_stats::effect::Measure> {
    (!v.is_null()).then(|| pelita_stats::effect::Measure {
        score: v["score"].as_f64().unwrap(),
        capaian: v["capaian"].as_f64(),
    })
}

#[test]
fn the_effect_analysis_matches_scipy_and_statsmodels() {
    use pelita_stats::effect::{analyze, Person};
    let reference = reference();
    let expected = &reference["effect"];
    let people: Vec<Person> = expected["people"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| Person {
            before: measure(&p["before"]),
            after: measure(&p["after"]),
            trained: p["trained"].as_bool().unwrap(),
            untrained: p["untrained"].as_bool().unwrap(),
            jp: p["jp"].as_f64().unwrap(),
            controls: p["controls"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| (c[0].as_str().unwrap().into(), c[1].as_str().unwrap().into()))
                .collect(),
        })
        .collect();
    let report = analyze(&people);
    for (what, ours) in [
        ("paired_score", &report.paired_score),
        ("paired_capaian", &report.paired_capaian),
    ] {
        let ours = ours.result.as_ref().unwrap();
        let theirs = &expected[what];
        close(&format!("{what} t"), ours.t, &theirs["t"]);
        close(&format!("{what} p"), ours.p, &theirs["p"]);
        close(&format!("{what} ci_low"), ours.ci_low, &theirs["ci_low"]);
        close(&format!("{what} ci_high"), ours.ci_high, &theirs["ci_high"]);
        close(&format!("{what} dz"), ours.dz, &theirs["dz"]);
        close(
            &format!("{what} W"),
            ours.wilcoxon.statistic,
            &theirs["wilcoxon_statistic"],
        );
        close(
            &format!("{what} p(W)"),
            ours.wilcoxon.p,
            &theirs["wilcoxon_p"],
        );
    }
    for (what, ours) in [
        ("did_score", &report.did_score),
        ("did_capaian", &report.did_capaian),
    ] {
        let ours = &ours.result.as_ref().unwrap().welch;
        let theirs = &expected[what];
        for (key, value) in [
            ("diff", ours.diff),
            ("t", ours.t),
            ("df", ours.df),
            ("p", ours.p),
            ("ci_low", ours.ci_low),
            ("ci_high", ours.ci_high),
        ] {
            close(&format!("{what} {key}"), value, &theirs[key]);
        }
    }
    same_regression(
        "score ~ JP",
        report.regression_simple.result.as_ref().unwrap(),
        &expected["regression_simple"],
    );
    same_regression(
        "score ~ JP + controls",
        report.regression_multiple.result.as_ref().unwrap(),
        &expected["regression_multiple"],
    );
    assert!(report.dropped_controls.is_empty());
}
