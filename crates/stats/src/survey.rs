//! The questionnaire study as Indonesian theses report it: item validity (item–total Pearson r
//! against the r table at α = 0.05), Cronbach's α per construct, the classical assumption tests
//! (normality of residuals, multicollinearity, Glejser's heteroskedasticity test) and the
//! regressions of Y on the X constructs, multiple and simple. Construct scores are the sums of
//! their items.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::describe::{pearson, r_critical, variance};
use crate::normality::{lilliefors, shapiro_wilk, Lilliefors, ShapiroWilk};
use crate::ols::{fit, vif, Regression};
use crate::{need, Result, StatsError};

/// The dependent construct's name.
pub const Y: &str = "Y";
/// α above which a construct counts as reliable, unless the study sets another.
pub const DEFAULT_ALPHA_THRESHOLD: f64 = 0.60;
/// The significance level of every decision in the report.
pub const SIGNIFICANCE: f64 = 0.05;

/// Answers per item, one value per respondent, items named `<construct>_<n>`.
#[derive(Debug, Clone, PartialEq)]
pub struct Responses {
    pub items: Vec<(String, Vec<f64>)>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ItemValidity {
    pub item: String,
    pub construct: String,
    /// Pearson r of the item with its construct's total score.
    pub r: f64,
    pub p: f64,
    /// r above the r table value.
    pub valid: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Reliability {
    pub construct: String,
    pub items: usize,
    pub alpha: f64,
    pub reliable: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Collinearity {
    pub construct: String,
    pub tolerance: f64,
    pub vif: f64,
    /// Tolerance above 0.10 and VIF below 10.
    pub ok: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Normality {
    pub lilliefors: Lilliefors,
    pub shapiro_wilk: ShapiroWilk,
    /// Residuals look normal by Kolmogorov–Smirnov (p above 0.05).
    pub normal_ks: bool,
    pub normal_sw: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GlejserTerm {
    pub construct: String,
    pub t: f64,
    pub p: f64,
    /// No heteroskedasticity shown (p above 0.05).
    pub ok: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SurveyReport {
    pub n: usize,
    pub r_critical: f64,
    pub alpha_threshold: f64,
    pub items: Vec<ItemValidity>,
    pub reliability: Vec<Reliability>,
    /// Y on every X construct together.
    pub multiple: Regression,
    /// Y on each X construct alone.
    pub simple: BTreeMap<String, Regression>,
    pub collinearity: Vec<Collinearity>,
    pub normality: Normality,
    /// |residual| of the multiple regression on the X constructs.
    pub glejser: Vec<GlejserTerm>,
    pub glejser_regression: Regression,
    /// Items left out of everything after the validity test because they were not valid
    /// ([`Responses::analyze_valid_items`]); empty when every item was kept.
    pub dropped_items: Vec<String>,
}

fn construct_of(item: &str) -> Option<&str> {
    let (construct, number) = item.rsplit_once('_')?;
    (!construct.is_empty() && !number.is_empty() && number.bytes().all(|b| b.is_ascii_digit()))
        .then_some(construct)
}

impl Responses {
    /// Reads a table (first row: headers `<construct>_<n>`; one row per respondent; answers 1–5).
    /// Errors name the file, the row (spreadsheet numbering) and the column, in Indonesian.
    pub fn from_table(file: &str, table: &[Vec<String>]) -> std::result::Result<Self, String> {
        let Some((header, rows)) = table.split_first() else {
            return Err(format!("{file}: berkas kosong"));
        };
        let mut items: Vec<(String, Vec<f64>)> = Vec::new();
        for (col, name) in header.iter().enumerate() {
            let name = name.trim();
            if construct_of(name).is_none() {
                return Err(format!(
                    "{file}, baris 1, kolom {}: judul '{name}' harus berbentuk <konstruk>_<nomor>, misalnya X1_1 atau Y_3",
                    col + 1
                ));
            }
            if items.iter().any(|(n, _)| n == name) {
                return Err(format!(
                    "{file}, baris 1, kolom {}: butir '{name}' muncul dua kali",
                    col + 1
                ));
            }
            items.push((name.to_string(), Vec::with_capacity(rows.len())));
        }
        for (r, row) in rows.iter().enumerate() {
            if row.iter().all(|c| c.trim().is_empty()) {
                continue;
            }
            for (col, (name, values)) in items.iter_mut().enumerate() {
                let cell = row.get(col).map(|c| c.trim()).unwrap_or("");
                let value = match cell.parse::<u8>() {
                    Ok(v @ 1..=5) => f64::from(v),
                    _ => {
                        return Err(format!(
                            "{file}, baris {}, kolom {name}: jawaban '{cell}' harus bilangan bulat 1–5 (skala Likert)",
                            r + 2
                        ))
                    }
                };
                values.push(value);
            }
        }
        let responses = Responses { items };
        let constructs = responses.constructs();
        if !constructs.contains_key(Y) {
            return Err(format!(
                "{file}: tidak ada butir konstruk Y (kinerja), misalnya kolom Y_1"
            ));
        }
        if constructs.len() < 2 {
            return Err(format!(
                "{file}: perlu paling sedikit satu konstruk X selain Y"
            ));
        }
        if let Some((c, items)) = constructs.iter().find(|(_, items)| items.len() < 2) {
            return Err(format!(
                "{file}: konstruk {c} hanya punya {} butir; α Cronbach perlu paling sedikit 2",
                items.len()
            ));
        }
        Ok(responses)
    }

    /// Item indices per construct, constructs in name order.
    fn constructs(&self) -> BTreeMap<String, Vec<usize>> {
        let mut map: BTreeMap<String, Vec<usize>> = BTreeMap::new();
        for (i, (name, _)) in self.items.iter().enumerate() {
            if let Some(c) = construct_of(name) {
                map.entry(c.to_string()).or_default().push(i);
            }
        }
        map
    }

    pub fn respondents(&self) -> usize {
        self.items.first().map_or(0, |(_, v)| v.len())
    }

    /// The whole report; `alpha_threshold` is the α above which a construct is reliable.
    pub fn analyze(&self, alpha_threshold: f64) -> Result<SurveyReport> {
        let n = self.respondents();
        need(n, crate::MIN_N_FOR_TESTS)?;
        let r_crit = r_critical(n)?;
        let mut items = Vec::new();
        let mut reliability = Vec::new();
        let mut totals: BTreeMap<String, Vec<f64>> = BTreeMap::new();
        for (construct, indices) in self.constructs() {
            let total: Vec<f64> = (0..n)
                .map(|i| indices.iter().map(|&k| self.items[k].1[i]).sum())
                .collect();
            for &k in &indices {
                let (name, values) = &self.items[k];
                let (r, p) = pearson(values, &total, name, &format!("total {construct}"))?;
                items.push(ItemValidity {
                    item: name.clone(),
                    construct: construct.clone(),
                    r,
                    p,
                    valid: r > r_crit,
                });
            }
            let k = indices.len() as f64;
            let item_var: f64 = indices.iter().map(|&i| variance(&self.items[i].1)).sum();
            let total_var = variance(&total);
            if total_var == 0.0 {
                return Err(StatsError::Constant(format!("total {construct}")));
            }
            let alpha = k / (k - 1.0) * (1.0 - item_var / total_var);
            reliability.push(Reliability {
                construct: construct.clone(),
                items: indices.len(),
                alpha,
                reliable: alpha > alpha_threshold,
            });
            totals.insert(construct, total);
        }
        let y = totals.remove(Y).expect("checked when read");
        let xs: Vec<(&str, &[f64])> = totals
            .iter()
            .map(|(c, v)| (c.as_str(), v.as_slice()))
            .collect();
        let multiple = fit(&y, &xs)?;
        let simple = xs
            .iter()
            .map(|x| Ok((x.0.to_string(), fit(&y, std::slice::from_ref(x))?)))
            .collect::<Result<_>>()?;
        let collinearity = vif(&xs)?
            .into_iter()
            .map(|(construct, vif)| Collinearity {
                construct,
                tolerance: 1.0 / vif,
                vif,
                ok: vif < 10.0 && 1.0 / vif > 0.10,
            })
            .collect();
        let ks = lilliefors(&multiple.residuals)?;
        let sw = shapiro_wilk(&multiple.residuals)?;
        let normality = Normality {
            normal_ks: ks.p.is_none_or(|p| p > SIGNIFICANCE),
            normal_sw: sw.p > SIGNIFICANCE,
            lilliefors: ks,
            shapiro_wilk: sw,
        };
        let absolute: Vec<f64> = multiple.residuals.iter().map(|e| e.abs()).collect();
        let glejser_regression = fit(&absolute, &xs)?;
        let glejser = xs
            .iter()
            .map(|(c, _)| {
                let term = glejser_regression
                    .coefficient(c)
                    .expect("every predictor has a coefficient");
                GlejserTerm {
                    construct: c.to_string(),
                    t: term.t,
                    p: term.p,
                    ok: term.p > SIGNIFICANCE,
                }
            })
            .collect();
        Ok(SurveyReport {
            n,
            r_critical: r_crit,
            alpha_threshold,
            items,
            reliability,
            multiple,
            simple,
            collinearity,
            normality,
            glejser,
            glejser_regression,
            dropped_items: Vec::new(),
        })
    }

    /// The same answers without the named items.
    pub fn without(&self, items: &[String]) -> Responses {
        Responses {
            items: self
                .items
                .iter()
                .filter(|(name, _)| !items.contains(name))
                .cloned()
                .collect(),
        }
    }

    /// The report as theses do it when items fail the validity test: validity as measured on
    /// every item, then reliability, the assumption tests and the regressions on the valid items
    /// only. A construct needs two valid items left (Cronbach's α).
    pub fn analyze_valid_items(&self, alpha_threshold: f64) -> Result<SurveyReport> {
        let first = self.analyze(alpha_threshold)?;
        let invalid: Vec<String> = first
            .items
            .iter()
            .filter(|i| !i.valid)
            .map(|i| i.item.clone())
            .collect();
        if invalid.is_empty() {
            return Ok(first);
        }
        let kept = self.without(&invalid);
        if let Some((construct, left)) = kept
            .constructs()
            .into_iter()
            .chain(
                // A construct with no valid item at all is gone from `kept`.
                self.constructs()
                    .into_keys()
                    .filter(|c| !kept.constructs().contains_key(c))
                    .map(|c| (c, Vec::new())),
            )
            .find(|(_, items)| items.len() < 2)
        {
            return Err(StatsError::TooFewItems {
                construct,
                left: left.len(),
            });
        }
        let mut report = kept.analyze(alpha_threshold)?;
        report.items = first.items;
        report.dropped_items = invalid;
        Ok(report)
    }
}
