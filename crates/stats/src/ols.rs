//! Ordinary least squares with an intercept, solved by QR decomposition: coefficients with
//! standard errors, t and p; R², adjusted R², the F-test; and the variance inflation factor.

use nalgebra::{DMatrix, DVector};
use serde::Serialize;

use crate::describe::mean;
use crate::{need, Result, StatsError};

#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
pub struct Coefficient {
    /// `const` for the intercept, else the predictor's name.
    pub name: String,
    pub b: f64,
    pub se: f64,
    pub t: f64,
    pub p: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
pub struct Regression {
    pub n: usize,
    pub coefficients: Vec<Coefficient>,
    pub r2: f64,
    pub adj_r2: f64,
    pub f: f64,
    pub f_p: f64,
    pub df_model: f64,
    pub df_resid: f64,
    #[serde(skip)]
    pub residuals: Vec<f64>,
}

impl Regression {
    pub fn coefficient(&self, name: &str) -> Option<&Coefficient> {
        self.coefficients.iter().find(|c| c.name == name)
    }
}

/// Regresses `y` on the named predictor columns, with an intercept.
pub fn fit(y: &[f64], predictors: &[(&str, &[f64])]) -> Result<Regression> {
    let n = y.len();
    let k = predictors.len() + 1;
    if predictors.is_empty() {
        return Err(StatsError::TooFew { n: 0, need: 1 });
    }
    if let Some((name, _)) = predictors.iter().find(|(_, x)| x.len() != n) {
        return Err(StatsError::Length(format!("{name} dan variabel terikat")));
    }
    need(n, k + 1)?;
    let x = DMatrix::from_fn(
        n,
        k,
        |i, j| if j == 0 { 1.0 } else { predictors[j - 1].1[i] },
    );
    let yv = DVector::from_column_slice(y);
    let qr = x.clone().qr();
    let r = qr.r();
    // A predictor that adds nothing the others do not already say makes R singular.
    let scale = r.diagonal().iter().fold(0.0f64, |m, v| m.max(v.abs()));
    if let Some(j) = (0..k).find(|&j| r[(j, j)].abs() <= scale * 1e-10) {
        let name = if j == 0 {
            "konstanta"
        } else {
            predictors[j - 1].0
        };
        return Err(StatsError::Singular(name.into()));
    }
    let qty = qr.q().transpose() * &yv;
    let beta = r
        .solve_upper_triangular(&qty)
        .ok_or_else(|| StatsError::Singular("prediktor".into()))?;
    let r_inv = r
        .clone()
        .try_inverse()
        .ok_or_else(|| StatsError::Singular("prediktor".into()))?;
    let xtx_inv = &r_inv * r_inv.transpose();
    let residuals: Vec<f64> = (&yv - &x * &beta).iter().copied().collect();
    let ssr: f64 = residuals.iter().map(|e| e * e).sum();
    let my = mean(y);
    let sst: f64 = y.iter().map(|v| (v - my).powi(2)).sum();
    if sst == 0.0 {
        return Err(StatsError::Constant("variabel terikat".into()));
    }
    let df_resid = (n - k) as f64;
    let df_model = (k - 1) as f64;
    let sigma2 = ssr / df_resid;
    let coefficients = (0..k)
        .map(|j| {
            let se = (sigma2 * xtx_inv[(j, j)]).sqrt();
            let t = beta[j] / se;
            Coefficient {
                name: if j == 0 {
                    "const".into()
                } else {
                    predictors[j - 1].0.into()
                },
                b: beta[j],
                se,
                t,
                p: crate::t_two_sided(t, df_resid),
            }
        })
        .collect();
    let r2 = 1.0 - ssr / sst;
    let f = ((sst - ssr) / df_model) / sigma2;
    let f_p = {
        use statrs::distribution::{ContinuousCDF, FisherSnedecor};
        FisherSnedecor::new(df_model, df_resid)
            .expect("positive degrees of freedom")
            .sf(f)
    };
    Ok(Regression {
        n,
        coefficients,
        r2,
        adj_r2: 1.0 - (1.0 - r2) * (n as f64 - 1.0) / df_resid,
        f,
        f_p,
        df_model,
        df_resid,
        residuals,
    })
}

/// Variance inflation factor of each predictor: 1 / (1 − R²) of its regression on the others.
pub fn vif(predictors: &[(&str, &[f64])]) -> Result<Vec<(String, f64)>> {
    predictors
        .iter()
        .enumerate()
        .map(|(j, (name, x))| {
            let others: Vec<(&str, &[f64])> = predictors
                .iter()
                .enumerate()
                .filter(|(i, _)| *i != j)
                .map(|(_, p)| *p)
                .collect();
            let r2 = if others.is_empty() {
                0.0
            } else {
                fit(x, &others)?.r2
            };
            Ok((name.to_string(), 1.0 / (1.0 - r2)))
        })
        .collect()
}
