//! Properties that must hold whatever the data: shifts and rescaling leave test statistics
//! alone, identical items are perfectly reliable, swapping groups flips the sign only.

use pelita_stats::compare::{paired, welch};
use pelita_stats::ols::fit;
use pelita_stats::survey::Responses;
use proptest::prelude::*;

fn sample(len: std::ops::Range<usize>) -> impl Strategy<Value = Vec<f64>> {
    prop::collection::vec(-50.0f64..50.0, len)
}

fn varied(x: &[f64]) -> bool {
    x.iter().any(|v| (v - x[0]).abs() > 1e-3)
}

fn answers_vary(x: &[u8]) -> bool {
    x.iter().any(|v| *v != x[0])
}

/// One construct of answers (X) and two Y items, each answered 1–5 independently by the same
/// respondents. Nothing in them may be constant, not even the Y total (`analyze` rightly refuses a
/// construct nobody answers differently); the filters hold while shrinking too.
fn questionnaire(
    respondents: std::ops::Range<usize>,
) -> impl Strategy<Value = (Vec<u8>, Vec<u8>, Vec<u8>)> {
    respondents
        .prop_flat_map(|n| {
            let item = || {
                prop::collection::vec(1u8..=5, n)
                    .prop_filter("an item must vary", |v| answers_vary(v))
            };
            (item(), item(), item())
        })
        .prop_filter("the Y total must vary", |(_, y1, y2)| {
            let total: Vec<u8> = y1.iter().zip(y2).map(|(a, b)| a + b).collect();
            answers_vary(&total)
        })
}

proptest! {
    #[test]
    fn shifting_both_groups_leaves_welch_t_unchanged(a in sample(3..30), b in sample(3..30), c in -100.0f64..100.0) {
        prop_assume!(varied(&a) || varied(&b));
        let before = welch(&a, &b).unwrap();
        let shift = |x: &[f64]| x.iter().map(|v| v + c).collect::<Vec<_>>();
        let after = welch(&shift(&a), &shift(&b)).unwrap();
        prop_assert!((before.t - after.t).abs() < 1e-6 * before.t.abs().max(1.0));
        prop_assert!((before.p - after.p).abs() < 1e-9);
        let swapped = welch(&b, &a).unwrap();
        prop_assert!((before.t + swapped.t).abs() < 1e-9 * before.t.abs().max(1.0));
    }

    #[test]
    fn paired_t_ignores_a_common_shift_and_scale(x in sample(3..40), d in sample(3..40), c in -10.0f64..10.0, k in 0.1f64..10.0) {
        let n = x.len().min(d.len());
        let (before, diff) = (&x[..n], &d[..n]);
        prop_assume!(varied(diff));
        let after: Vec<f64> = before.iter().zip(diff).map(|(b, d)| b + d).collect();
        let base = paired(before, &after).unwrap();
        let moved = |v: &[f64]| v.iter().map(|x| k * x + c).collect::<Vec<_>>();
        let other = paired(&moved(before), &moved(&after)).unwrap();
        prop_assert!((base.t - other.t).abs() < 1e-6 * base.t.abs().max(1.0));
        prop_assert!((base.dz - other.dz).abs() < 1e-6 * base.dz.abs().max(1.0));
        prop_assert!((base.wilcoxon.p - other.wilcoxon.p).abs() < 1e-9);
    }

    #[test]
    fn identical_items_have_an_alpha_of_one((x, y1, y2) in questionnaire(12..60)) {
        // X1's three items are the very same answers; Y's two are drawn on their own.
        let mut table = vec![vec!["X1_1".into(), "X1_2".into(), "X1_3".into(), "Y_1".into(), "Y_2".into()]];
        for ((a, b), c) in x.iter().zip(&y1).zip(&y2) {
            table.push(vec![a.to_string(), a.to_string(), a.to_string(), b.to_string(), c.to_string()]);
        }
        let responses = Responses::from_table("uji.csv", &table).unwrap();
        // Every item and construct total varies, so a refusal here is a bug, not a skip.
        let report = responses.analyze(0.6);
        prop_assert!(report.is_ok(), "varied answers were refused: {:?}", report.err());
        let report = report.unwrap();
        let alpha = |c: &str| report.reliability.iter().find(|r| r.construct == c).unwrap().alpha;
        prop_assert!((alpha("X1") - 1.0).abs() < 1e-9, "X1: {}", alpha("X1"));
        // And only such items: with two items α = 1 exactly when their difference is constant.
        let y_gap_fixed = y1.iter().zip(&y2).all(|(a, b)| i16::from(*a) - i16::from(*b) == i16::from(y1[0]) - i16::from(y2[0]));
        prop_assert_eq!((alpha("Y") - 1.0).abs() < 1e-9, y_gap_fixed, "Y: {}", alpha("Y"));
    }

    #[test]
    fn an_exact_line_is_fitted_exactly(x in sample(5..40), a in -5.0f64..5.0, b in 0.5f64..5.0) {
        prop_assume!(varied(&x));
        let noise: Vec<f64> = (0..x.len()).map(|i| if i % 2 == 0 { 0.001 } else { -0.001 }).collect();
        let y: Vec<f64> = x.iter().zip(&noise).map(|(x, e)| a + b * x + e).collect();
        let r = fit(&y, &[("x", &x)]).unwrap();
        prop_assert!((r.coefficients[1].b - b).abs() < 1e-3);
        prop_assert!(r.r2 > 0.999);
    }
}

#[test]
fn bad_questionnaire_files_are_named_by_row_and_column() {
    let t = |rows: &[&[&str]]| -> Vec<Vec<String>> {
        rows.iter()
            .map(|r| r.iter().map(|c| c.to_string()).collect())
            .collect()
    };
    let err = Responses::from_table("s.csv", &t(&[&["X1_1", "Umur"], &["3", "4"]])).unwrap_err();
    assert!(
        err.contains("s.csv, baris 1, kolom 2") && err.contains("Umur"),
        "{err}"
    );
    let err = Responses::from_table(
        "s.csv",
        &t(&[
            &["X1_1", "X1_2", "Y_1", "Y_2"],
            &["3", "4", "2", "2"],
            &["3", "7", "2", "1"],
        ]),
    )
    .unwrap_err();
    assert!(
        err.contains("s.csv, baris 3, kolom X1_2") && err.contains("'7'"),
        "{err}"
    );
    let err = Responses::from_table("s.csv", &t(&[&["X1_1", "X1_2"], &["3", "4"]])).unwrap_err();
    assert!(err.contains("konstruk Y"), "{err}");
    let err = Responses::from_table("s.csv", &t(&[&["X1_1", "Y_1", "Y_2"], &["3", "4", "2"]]))
        .unwrap_err();
    assert!(err.contains("X1 hanya punya 1 butir"), "{err}");
}

fn fixture_survey() -> Responses {
    let text = include_str!("fixtures/survey-100.csv");
    let table: Vec<Vec<String>> = text
        .lines()
        .map(|l| l.split(',').map(str::to_string).collect())
        .collect();
    Responses::from_table("survey-100.csv", &table).unwrap()
}

#[test]
fn dropping_the_invalid_items_is_the_analysis_of_the_valid_ones() {
    let all = fixture_survey();
    let first = all.analyze(0.6).unwrap();
    let invalid: Vec<String> = first
        .items
        .iter()
        .filter(|i| !i.valid)
        .map(|i| i.item.clone())
        .collect();
    assert_eq!(invalid, ["X1_8"], "the fixture has one invalid item");
    let dropped = all.analyze_valid_items(0.6).unwrap();
    let mut expected = all.without(&invalid).analyze(0.6).unwrap();
    assert_eq!(expected.reliability[0].items, 7);
    // Validity as first measured, on every item; everything else on the valid ones.
    expected.items = first.items.clone();
    expected.dropped_items = invalid;
    assert_eq!(dropped, expected);
    assert_ne!(dropped.multiple, first.multiple);
    let titles: Vec<String> = dropped.tables().into_iter().map(|t| t.title).collect();
    assert!(titles
        .iter()
        .any(|t| t.contains("dikeluarkan") && t.contains("X1_8")));
    // Nothing invalid: the same report.
    let valid = all.without(&["X1_8".to_string()]);
    assert_eq!(
        valid.analyze_valid_items(0.6).unwrap(),
        valid.analyze(0.6).unwrap()
    );
}

#[test]
fn a_construct_left_with_one_valid_item_is_refused_by_name() {
    // X2: one item that varies and two that almost never do (invalid against the total).
    let n = 100;
    let cycle =
        |shift: usize| -> Vec<f64> { (0..n).map(|i| ((i + shift) % 5 + 1) as f64).collect() };
    let flat = |odd_row: usize| -> Vec<f64> {
        (0..n)
            .map(|i| if i == odd_row { 4.0 } else { 3.0 })
            .collect()
    };
    let responses = Responses {
        items: vec![
            ("X1_1".into(), cycle(0)),
            ("X1_2".into(), cycle(0)),
            ("X2_1".into(), cycle(1)),
            ("X2_2".into(), flat(2)),
            ("X2_3".into(), flat(7)),
            ("Y_1".into(), cycle(3)),
            ("Y_2".into(), cycle(4)),
        ],
    };
    let report = responses.analyze(0.6).unwrap();
    let invalid: Vec<&str> = report
        .items
        .iter()
        .filter(|i| !i.valid)
        .map(|i| i.item.as_str())
        .collect();
    assert_eq!(invalid, ["X2_2", "X2_3"]);
    let err = responses.analyze_valid_items(0.6).unwrap_err().to_string();
    assert!(err.contains("konstruk X2 tinggal 1 butir valid"), "{err}");
}
