//! Means, variances and correlation.

use crate::{need, Result, StatsError};

pub fn mean(x: &[f64]) -> f64 {
    x.iter().sum::<f64>() / x.len() as f64
}

/// Sample variance (n − 1).
pub fn variance(x: &[f64]) -> f64 {
    let m = mean(x);
    x.iter().map(|v| (v - m).powi(2)).sum::<f64>() / (x.len() as f64 - 1.0)
}

pub fn sd(x: &[f64]) -> f64 {
    variance(x).sqrt()
}

/// Pearson's r and its two-sided p-value (t with n − 2 degrees of freedom).
pub fn pearson(x: &[f64], y: &[f64], x_name: &str, y_name: &str) -> Result<(f64, f64)> {
    if x.len() != y.len() {
        return Err(StatsError::Length(format!("{x_name} dan {y_name}")));
    }
    need(x.len(), 3)?;
    let (mx, my) = (mean(x), mean(y));
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for (a, b) in x.iter().zip(y) {
        sxy += (a - mx) * (b - my);
        sxx += (a - mx).powi(2);
        syy += (b - my).powi(2);
    }
    for (s, name) in [(sxx, x_name), (syy, y_name)] {
        if s == 0.0 {
            return Err(StatsError::Constant(name.into()));
        }
    }
    let r = (sxy / (sxx * syy).sqrt()).clamp(-1.0, 1.0);
    let df = x.len() as f64 - 2.0;
    let p = if r.abs() >= 1.0 {
        0.0
    } else {
        crate::t_two_sided(r * (df / (1.0 - r * r)).sqrt(), df)
    };
    Ok((r, p))
}

/// The smallest |r| significant at α = 0.05 (two-sided) with n observations: the "r tabel" of
/// Indonesian theses.
pub fn r_critical(n: usize) -> Result<f64> {
    need(n, 3)?;
    let df = n as f64 - 2.0;
    let t = crate::t_critical_95(df);
    Ok(t / (df + t * t).sqrt())
}
