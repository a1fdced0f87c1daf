//! Normality tests: Shapiro–Wilk (Royston's 1995 algorithm, as scipy computes it) and the
//! Kolmogorov–Smirnov test with the mean and standard deviation estimated from the data
//! (Lilliefors), with the Dallal–Wilkinson p-value.

use serde::Serialize;
use statrs::distribution::{ContinuousCDF, Normal};

use crate::describe::{mean, sd};
use crate::{need, Result, StatsError};

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ShapiroWilk {
    pub n: usize,
    pub w: f64,
    pub p: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Lilliefors {
    pub n: usize,
    /// The largest distance between the data's and the fitted normal distribution function.
    pub d: f64,
    /// Below 0.10 (Dallal–Wilkinson); `None` means p > 0.10 — the data do not depart from
    /// normality at any usual level (SPSS prints the bound as "0.200*").
    pub p: Option<f64>,
}

/// Horner evaluation of c[0] + c[1]·x + c[2]·x² + …
fn poly(c: &[f64], x: f64) -> f64 {
    c.iter().rev().fold(0.0, |acc, v| acc * x + v)
}

/// Shapiro–Wilk W and its p-value, for 3 ≤ n ≤ 5000.
pub fn shapiro_wilk(data: &[f64]) -> Result<ShapiroWilk> {
    let n = data.len();
    need(n, 3)?;
    let mut x = data.to_vec();
    x.sort_by(f64::total_cmp);
    if x[n - 1] - x[0] == 0.0 {
        return Err(StatsError::Constant("data".into()));
    }
    let normal = Normal::standard();
    let nf = n as f64;
    // Coefficients a_i for the lower half (positive; the upper half mirrors them).
    let half = n / 2;
    let mut a = vec![0.0; half];
    if n == 3 {
        a[0] = 0.5f64.sqrt();
    } else {
        let m: Vec<f64> = (1..=half)
            .map(|i| normal.inverse_cdf((i as f64 - 0.375) / (nf + 0.25)))
            .collect();
        let summ2 = 2.0 * m.iter().map(|v| v * v).sum::<f64>();
        let ssumm2 = summ2.sqrt();
        let rsn = 1.0 / nf.sqrt();
        let c1 = [0.0, 0.221157, -0.147981, -2.07119, 4.434685, -2.706056];
        let c2 = [0.0, 0.042981, -0.293762, -1.752461, 5.682633, -3.582633];
        let a1 = poly(&c1, rsn) - m[0] / ssumm2;
        let (first, fac) = if n > 5 {
            let a2 = -m[1] / ssumm2 + poly(&c2, rsn);
            a[1] = a2;
            let fac = ((summ2 - 2.0 * m[0] * m[0] - 2.0 * m[1] * m[1])
                / (1.0 - 2.0 * a1 * a1 - 2.0 * a2 * a2))
                .sqrt();
            (2, fac)
        } else {
            (
                1,
                ((summ2 - 2.0 * m[0] * m[0]) / (1.0 - 2.0 * a1 * a1)).sqrt(),
            )
        };
        a[0] = a1;
        for i in first..half {
            a[i] = -m[i] / fac;
        }
    }
    let numerator: f64 = (0..half).map(|i| a[i] * (x[n - 1 - i] - x[i])).sum();
    let mx = mean(&x);
    let ss: f64 = x.iter().map(|v| (v - mx).powi(2)).sum();
    let w = (numerator * numerator / ss).min(1.0);

    let p = if n == 3 {
        let pi6 = 6.0 / std::f64::consts::PI;
        let stqr = (0.75f64).sqrt().asin();
        (pi6 * (w.sqrt().asin() - stqr)).max(0.0)
    } else {
        let w1 = (1.0 - w).ln();
        let (y, m, s) = if n <= 11 {
            let gamma = poly(&[-2.273, 0.459], nf);
            if w1 >= gamma {
                return Ok(ShapiroWilk { n, w, p: 1e-99 });
            }
            let y = -(gamma - w1).ln();
            let m = poly(&[0.544, -0.39978, 0.025054, -6.714e-4], nf);
            let s = poly(&[1.3822, -0.77857, 0.062767, -0.0020322], nf).exp();
            (y, m, s)
        } else {
            let ln = nf.ln();
            let m = poly(&[-1.5861, -0.31082, -0.083751, 0.0038915], ln);
            let s = poly(&[-0.4803, -0.082676, 0.0030302], ln).exp();
            (w1, m, s)
        };
        normal.sf((y - m) / s)
    };
    Ok(ShapiroWilk { n, w, p })
}

/// Lilliefors' test of normality (n ≥ 4).
pub fn lilliefors(data: &[f64]) -> Result<Lilliefors> {
    let n = data.len();
    need(n, 4)?;
    let (m, s) = (mean(data), sd(data));
    if s == 0.0 {
        return Err(StatsError::Constant("data".into()));
    }
    let normal = Normal::standard();
    let mut z: Vec<f64> = data.iter().map(|v| (v - m) / s).collect();
    z.sort_by(f64::total_cmp);
    let nf = n as f64;
    let d = z
        .iter()
        .enumerate()
        .map(|(i, v)| {
            let f = normal.cdf(*v);
            ((i as f64 + 1.0) / nf - f).max(f - i as f64 / nf)
        })
        .fold(0.0, f64::max);
    // Dallal & Wilkinson (1986), valid below 0.10; beyond 100 observations D is rescaled.
    let (dd, nn) = if n > 100 {
        (d * (nf / 100.0).powf(0.49), 100.0)
    } else {
        (d, nf)
    };
    let p = (-7.01256 * dd * dd * (nn + 2.78019) + 2.99587 * dd * (nn + 2.78019).sqrt() - 0.122119
        + 0.974598 / nn.sqrt()
        + 1.67997 / nn)
        .exp();
    Ok(Lilliefors {
        n,
        d,
        p: (p < 0.1).then_some(p),
    })
}
