//! The effect of training on performance, from an office's own records (DESIGN §6), with the
//! guardrails: n shown everywhere; no test statistic or p-value for a group under
//! [`MIN_N_FOR_TESTS`]; association worded as association; the supervisor's bias named.
//!
//! The design, fixed so that every figure reads the same way:
//! - *before* and *after* are an employee's appraisals of the first and the last quarter of the
//!   year (Triwulan I and Triwulan IV-Akhir); *trained* means a completed training (of the chosen
//!   theme) held between them, *untrained* no completed training at all that year;
//! - paired before/after over the trained: predicate score (1–5) and mean capaian;
//! - difference-in-differences: the trained's change minus the untrained's (Welch);
//! - regression of the year-end score on the year's JP, alone and with controls.

use serde::Serialize;

use crate::compare::{paired, welch, Paired, Welch};
use crate::ols::{fit, Regression};
use crate::{Result, MIN_N_FOR_TESTS};

/// One appraisal's measures.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Measure {
    /// Predicate coded 1 (Sangat Kurang) … 5 (Sangat Baik).
    pub score: f64,
    /// Mean realisasi/target over the work-result items, when any can be computed.
    pub capaian: Option<f64>,
}

/// One employee in the analysis.
#[derive(Debug, Clone, PartialEq)]
pub struct Person {
    pub before: Option<Measure>,
    pub after: Option<Measure>,
    /// Completed a training (of the chosen theme) between the two appraisals.
    pub trained: bool,
    /// Completed no training at all in the year.
    pub untrained: bool,
    /// JP diakui in the year (of the chosen theme).
    pub jp: f64,
    /// Categorical controls for the multiple regression: (factor, level), e.g.
    /// ("golongan", "III"), ("jenis_jabatan", "Pelaksana"), ("kantor", "TERJUN").
    pub controls: Vec<(String, String)>,
}

/// A result, or why there is none.
#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
pub struct Guarded<T> {
    pub n: usize,
    pub result: Option<T>,
    /// Why there are no test statistics (too few, no variation), in Indonesian.
    pub note: Option<String>,
}

fn guarded<T>(n: usize, compute: impl FnOnce() -> Result<T>) -> Guarded<T> {
    if n < MIN_N_FOR_TESTS {
        return Guarded {
            n,
            result: None,
            note: Some(format!(
                "n = {n}: kurang dari {MIN_N_FOR_TESTS}, jadi uji statistik dan nilai p tidak dihitung"
            )),
        };
    }
    match compute() {
        Ok(r) => Guarded {
            n,
            result: Some(r),
            note: None,
        },
        Err(e) => Guarded {
            n,
            result: None,
            note: Some(e.to_string()),
        },
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
pub struct DiffInDiff {
    /// Change of the trained minus change of the untrained, with Welch's t and CI.
    pub welch: Welch,
    pub n_trained: usize,
    pub n_untrained: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
pub struct EffectReport {
    pub employees: usize,
    pub trained: usize,
    pub untrained: usize,
    pub paired_score: Guarded<Paired>,
    pub paired_capaian: Guarded<Paired>,
    pub did_score: Guarded<DiffInDiff>,
    pub did_capaian: Guarded<DiffInDiff>,
    /// Year-end score on JP.
    pub regression_simple: Guarded<Regression>,
    /// Year-end score on JP with the controls (dummy-coded; the first level of each is the
    /// reference).
    pub regression_multiple: Guarded<Regression>,
    /// Control columns left out because the others already determine them (for example every
    /// Pelaksana in a golongan of their own).
    pub dropped_controls: Vec<String>,
    /// Plain-Indonesian readings of the figures, association worded as association.
    pub readings: Vec<String>,
    /// What every reader must keep in mind.
    pub caveats: Vec<String>,
}

fn pairs(people: &[&Person], pick: impl Fn(&Measure) -> Option<f64>) -> (Vec<f64>, Vec<f64>) {
    people
        .iter()
        .filter_map(|p| Some((pick(&p.before?)?, pick(&p.after?)?)))
        .unzip()
}

fn changes(people: &[&Person], pick: &dyn Fn(&Measure) -> Option<f64>) -> Vec<f64> {
    let (b, a) = pairs(people, pick);
    a.iter().zip(&b).map(|(a, b)| a - b).collect()
}

fn did(
    trained: &[&Person],
    untrained: &[&Person],
    pick: &dyn Fn(&Measure) -> Option<f64>,
) -> Guarded<DiffInDiff> {
    let (t, u) = (changes(trained, pick), changes(untrained, pick));
    guarded(t.len().min(u.len()), || {
        Ok(DiffInDiff {
            welch: welch(&t, &u)?,
            n_trained: t.len(),
            n_untrained: u.len(),
        })
    })
}

/// A p-value as a reader sees it, with its sign: "< 0,001" rather than "= 0,00".
fn p_text(p: f64) -> String {
    if p < 0.001 {
        "< 0,001".into()
    } else {
        format!("= {p:.3}").replace('.', ",")
    }
}

fn num(x: f64) -> String {
    format!("{x:.2}").replace('.', ",")
}

/// The dummy columns of the controls: one per level other than the first seen (sorted), and
/// none for a factor with a single level.
fn dummies(people: &[&Person]) -> Vec<(String, Vec<f64>)> {
    let mut factors: std::collections::BTreeMap<&str, std::collections::BTreeSet<&str>> =
        Default::default();
    for p in people {
        for (f, level) in &p.controls {
            factors
                .entry(f.as_str())
                .or_default()
                .insert(level.as_str());
        }
    }
    let mut columns = Vec::new();
    for (factor, levels) in factors {
        for level in levels.iter().skip(1) {
            let column: Vec<f64> = people
                .iter()
                .map(|p| {
                    let has = p.controls.iter().any(|(f, l)| f == factor && l == level);
                    if has {
                        1.0
                    } else {
                        0.0
                    }
                })
                .collect();
            // A level nobody or everybody in this subset has adds nothing.
            if column.contains(&1.0) && column.contains(&0.0) {
                columns.push((format!("{factor}={level}"), column));
            }
        }
    }
    columns
}

/// "…berhubungan dengan…" when the interval leaves out zero, else "…belum dapat dibedakan dari
/// nol": association, never cause.
fn verdict(low: f64, high: f64) -> &'static str {
    if low > 0.0 || high < 0.0 {
        "berhubungan dengan keikutsertaan pelatihan, tetapi tidak membuktikan bahwa pelatihan penyebabnya"
    } else {
        "belum dapat dibedakan dari nol"
    }
}

/// The plain-Indonesian readings: one per figure that has a test.
fn readings(
    paired_score: &Guarded<Paired>,
    paired_capaian: &Guarded<Paired>,
    did_score: &Guarded<DiffInDiff>,
    did_capaian: &Guarded<DiffInDiff>,
    regression: &Guarded<Regression>,
) -> Vec<String> {
    // (what, unit scale, unit name)
    let measures = [
        ("skor predikat", 1.0, ""),
        ("capaian", 100.0, " poin persen"),
    ];
    let mut out = Vec::new();
    for ((what, scale, unit), paired) in measures.iter().zip([paired_score, paired_capaian]) {
        if let Some(r) = &paired.result {
            out.push(format!(
                "{} pegawai yang mengikuti pelatihan berubah rata-rata {}{unit} dari Triwulan I ke Triwulan IV-Akhir (IK 95%: {} s.d. {}; n = {}; p {}); perubahan ini {}.",
                capitalised(what), num(scale * r.mean_diff), num(scale * r.ci_low), num(scale * r.ci_high), r.n, p_text(r.p), verdict(r.ci_low, r.ci_high)
            ));
        }
    }
    for ((what, scale, unit), did) in measures.iter().zip([did_score, did_capaian]) {
        if let Some(d) = &did.result {
            let w = &d.welch;
            out.push(format!(
                "Dibandingkan pegawai yang tidak mengikuti pelatihan (n = {}), perubahan {what} pegawai terlatih (n = {}) berbeda {}{unit} (IK 95%: {} s.d. {}; p {}); selisih ini {}.",
                d.n_untrained, d.n_trained, num(scale * w.diff), num(scale * w.ci_low), num(scale * w.ci_high), p_text(w.p), verdict(w.ci_low, w.ci_high)
            ));
        }
    }
    if let Some(r) = &regression.result {
        if let Some(b) = r.coefficient("jp") {
            let t = crate::t_critical_95(r.df_resid);
            out.push(format!(
                "Setiap tambahan 10 JP sejalan dengan skor predikat akhir tahun yang {} {} (n = {}; p {}; R² = {}); hubungan ini {}.",
                if b.b >= 0.0 { "lebih tinggi" } else { "lebih rendah" },
                num((10.0 * b.b).abs()), r.n, p_text(b.p), num(r.r2),
                verdict(b.b - t * b.se, b.b + t * b.se).replace("keikutsertaan pelatihan", "jumlah JP")
            ));
        }
    }
    out
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

pub fn analyze(people: &[Person]) -> EffectReport {
    let trained: Vec<&Person> = people.iter().filter(|p| p.trained).collect();
    let untrained: Vec<&Person> = people.iter().filter(|p| p.untrained).collect();
    let score = |m: &Measure| Some(m.score);
    let capaian = |m: &Measure| m.capaian;
    let paired_of = |pick: &dyn Fn(&Measure) -> Option<f64>| {
        let (b, a) = pairs(&trained, pick);
        guarded(b.len(), || paired(&b, &a))
    };
    let paired_score = paired_of(&score);
    let paired_capaian = paired_of(&capaian);
    let did_score = did(&trained, &untrained, &score);
    let did_capaian = did(&trained, &untrained, &capaian);

    let with_year_end: Vec<&Person> = people.iter().filter(|p| p.after.is_some()).collect();
    let y: Vec<f64> = with_year_end
        .iter()
        .map(|p| p.after.map_or(0.0, |m| m.score))
        .collect();
    let jp: Vec<f64> = with_year_end.iter().map(|p| p.jp).collect();
    let regression_simple = guarded(y.len(), || fit(&y, &[("jp", &jp)]));
    let controls = dummies(&with_year_end);
    // Like R's lm: a column the others already determine is left out, and said so.
    let mut kept: Vec<(&str, &[f64])> = vec![("jp", &jp)];
    let mut dropped_controls = Vec::new();
    if y.len() >= MIN_N_FOR_TESTS {
        for (name, column) in &controls {
            kept.push((name.as_str(), column.as_slice()));
            if let Err(crate::StatsError::Singular(_)) = fit(&y, &kept) {
                kept.pop();
                dropped_controls.push(name.clone());
            }
        }
    }
    let regression_multiple = guarded(y.len(), || fit(&y, &kept));

    let readings = readings(
        &paired_score,
        &paired_capaian,
        &did_score,
        &did_capaian,
        &regression_simple,
    );
    let caveats = vec![
        "Penilai yang mengusulkan pegawai ikut pelatihan biasanya juga yang menilai kinerjanya; penilaian sesudah pelatihan dapat dipengaruhi hal itu.".into(),
        "Selisih-dari-selisih mengandaikan tren sejajar: tanpa pelatihan, kedua kelompok akan berubah sama besar. Asumsi ini tidak dapat diuji dari dua periode saja.".into(),
        "Hubungan tidak sama dengan sebab-akibat: pegawai yang dikirim pelatihan bisa berbeda sejak awal.".into(),
    ];
    EffectReport {
        employees: people.len(),
        trained: trained.len(),
        untrained: untrained.len(),
        paired_score,
        paired_capaian,
        did_score,
        did_capaian,
        regression_simple,
        regression_multiple,
        dropped_controls,
        readings,
        caveats,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn person(trained: bool, before: f64, after: f64, jp: f64, level: &str) -> Person {
        Person {
            before: Some(Measure {
                score: before,
                capaian: Some(before / 4.0),
            }),
            after: Some(Measure {
                score: after,
                capaian: Some(after / 4.0),
            }),
            trained,
            untrained: !trained,
            jp,
            controls: vec![("golongan".into(), level.into())],
        }
    }

    #[test]
    fn under_ten_there_are_no_statistics_but_n_and_the_reason() {
        let few: Vec<Person> = (0..9)
            .map(|i| person(true, 3.0, 3.0 + (i % 3) as f64, 10.0 * i as f64, "III"))
            .collect();
        let r = analyze(&few);
        assert_eq!(r.paired_score.n, 9);
        assert!(r.paired_score.result.is_none());
        assert!(r
            .paired_score
            .note
            .as_deref()
            .unwrap()
            .contains("kurang dari 10"));
        assert!(r.did_score.result.is_none() && r.regression_simple.result.is_none());
        assert!(
            r.readings.is_empty(),
            "no reading without a test: {:?}",
            r.readings
        );
        assert!(r.caveats.iter().any(|c| c.contains("Penilai")));
    }

    #[test]
    fn readings_speak_of_association_and_collinear_controls_are_dropped() {
        let people: Vec<Person> = (0..30)
            .map(|i| {
                let trained = i % 2 == 0;
                let lift = if trained { 1.0 } else { 0.0 };
                // golongan follows training exactly: collinear with nothing but itself here,
                // while "IV" is the same column as "trained" and JP.
                person(
                    trained,
                    3.0 + (i % 3) as f64 * 0.5,
                    3.0 + (i % 3) as f64 * 0.5 + lift + (i % 5) as f64 * 0.1,
                    lift * 20.0,
                    if trained { "IV" } else { "III" },
                )
            })
            .collect();
        let r = analyze(&people);
        assert_eq!(r.dropped_controls, vec!["golongan=IV".to_string()]);
        assert!(r.regression_multiple.result.is_some());
        let text = r.readings.join(" ");
        assert!(text.contains("berhubungan dengan"), "{text}");
        assert!(
            !text.contains("menyebabkan") && !text.contains("terbukti"),
            "{text}"
        );
    }
}
