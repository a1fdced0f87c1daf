//! Comparing two measurements: the same people before and after (paired t-test, Cohen's d_z,
//! Wilcoxon signed-rank), or two groups (Welch's t-test — used for difference-in-differences on
//! change scores).

use serde::Serialize;

use crate::describe::{mean, sd, variance};
use crate::{need, Result, StatsError};

#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
pub struct Paired {
    pub n: usize,
    /// Mean of after − before.
    pub mean_diff: f64,
    pub sd_diff: f64,
    pub t: f64,
    pub df: f64,
    pub p: f64,
    pub ci_low: f64,
    pub ci_high: f64,
    /// Cohen's d_z: the mean difference in standard deviations of the differences.
    pub dz: f64,
    pub wilcoxon: Wilcoxon,
}

#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
pub struct Wilcoxon {
    /// The smaller of the positive and negative rank sums.
    pub statistic: f64,
    pub p: f64,
    /// Exact null distribution (n ≤ 50, no zero differences) or the normal approximation.
    pub exact: bool,
    /// Pairs with a difference (zeros are dropped, as Wilcoxon did).
    pub n_nonzero: usize,
}

/// Paired comparison of `after` against `before` (the same people, in the same order).
pub fn paired(before: &[f64], after: &[f64]) -> Result<Paired> {
    if before.len() != after.len() {
        return Err(StatsError::Length("sebelum dan sesudah".into()));
    }
    need(before.len(), 2)?;
    let d: Vec<f64> = after.iter().zip(before).map(|(a, b)| a - b).collect();
    let n = d.len();
    let (m, s) = (mean(&d), sd(&d));
    if s == 0.0 {
        return Err(StatsError::Constant("selisih sesudah − sebelum".into()));
    }
    let df = n as f64 - 1.0;
    let se = s / (n as f64).sqrt();
    let t = m / se;
    let half = crate::t_critical_95(df) * se;
    Ok(Paired {
        n,
        mean_diff: m,
        sd_diff: s,
        t,
        df,
        p: crate::t_two_sided(t, df),
        ci_low: m - half,
        ci_high: m + half,
        dz: m / s,
        wilcoxon: wilcoxon(&d)?,
    })
}

/// Average ranks (1-based) of `x`, and the sizes of its groups of ties.
fn ranks(x: &[f64]) -> (Vec<f64>, Vec<usize>) {
    let mut order: Vec<usize> = (0..x.len()).collect();
    order.sort_by(|&a, &b| x[a].total_cmp(&x[b]));
    let mut r = vec![0.0; x.len()];
    let mut ties = Vec::new();
    let mut i = 0;
    while i < order.len() {
        let mut j = i;
        while j + 1 < order.len() && x[order[j + 1]] == x[order[i]] {
            j += 1;
        }
        let average = (i + j) as f64 / 2.0 + 1.0;
        for &k in &order[i..=j] {
            r[k] = average;
        }
        ties.push(j - i + 1);
        i = j + 1;
    }
    (r, ties)
}

/// P(T⁺ = k) for k = 0 … n(n+1)/2 under the null hypothesis, with no ties.
fn signed_rank_pmf(n: usize) -> Vec<f64> {
    let max = n * (n + 1) / 2;
    let mut pmf = vec![0.0; max + 1];
    pmf[0] = 1.0;
    for k in 1..=n {
        let top = k * (k + 1) / 2;
        for s in (0..=top).rev() {
            let with = if s >= k { pmf[s - k] } else { 0.0 };
            pmf[s] = 0.5 * (pmf[s] + with);
        }
    }
    pmf
}

/// Wilcoxon signed-rank test of differences `d` against zero (two-sided; zeros dropped; exact
/// when n ≤ 50 without zeros, else the normal approximation with the tie correction and no
/// continuity correction — scipy's defaults).
pub fn wilcoxon(d: &[f64]) -> Result<Wilcoxon> {
    let nonzero: Vec<f64> = d.iter().copied().filter(|v| *v != 0.0).collect();
    let count = nonzero.len();
    if count == 0 {
        return Err(StatsError::Constant("selisih (semuanya nol)".into()));
    }
    let (r, ties) = ranks(&nonzero.iter().map(|v| v.abs()).collect::<Vec<_>>());
    let r_plus: f64 = nonzero
        .iter()
        .zip(&r)
        .filter(|(v, _)| **v > 0.0)
        .map(|(_, r)| r)
        .sum();
    let total = (count * (count + 1)) as f64 / 2.0;
    let statistic = r_plus.min(total - r_plus);
    let exact = d.len() <= 50 && count == d.len();
    let p = if exact {
        let pmf = signed_rank_pmf(count);
        // A tied statistic can fall between integers: round towards the conservative side.
        let at_least = pmf[(r_plus.floor() as usize).min(pmf.len())..]
            .iter()
            .sum::<f64>();
        let at_most = pmf[..=(r_plus.ceil() as usize).min(pmf.len() - 1)]
            .iter()
            .sum::<f64>();
        (2.0 * at_least.min(at_most)).clamp(0.0, 1.0)
    } else {
        let n = count as f64;
        let tie_sum: f64 = ties.iter().map(|&t| (t * t * t - t) as f64).sum();
        let var = (n * (n + 1.0) * (2.0 * n + 1.0) - tie_sum / 2.0) / 24.0;
        if var <= 0.0 {
            return Err(StatsError::Constant("selisih".into()));
        }
        let z = (r_plus - n * (n + 1.0) / 4.0) / var.sqrt();
        (2.0 * crate::normal_sf(z.abs())).min(1.0)
    };
    Ok(Wilcoxon {
        statistic,
        p,
        exact,
        n_nonzero: count,
    })
}

#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
pub struct Welch {
    pub n_a: usize,
    pub n_b: usize,
    pub mean_a: f64,
    pub mean_b: f64,
    /// mean(a) − mean(b)
    pub diff: f64,
    pub t: f64,
    pub df: f64,
    pub p: f64,
    pub ci_low: f64,
    pub ci_high: f64,
}

/// Welch's t-test of mean(a) − mean(b) without assuming equal variances.
pub fn welch(a: &[f64], b: &[f64]) -> Result<Welch> {
    need(a.len().min(b.len()), 2)?;
    let (va, vb) = (variance(a) / a.len() as f64, variance(b) / b.len() as f64);
    if va + vb == 0.0 {
        return Err(StatsError::Constant("kedua kelompok".into()));
    }
    let diff = mean(a) - mean(b);
    let se = (va + vb).sqrt();
    let df =
        (va + vb).powi(2) / (va * va / (a.len() as f64 - 1.0) + vb * vb / (b.len() as f64 - 1.0));
    let t = diff / se;
    let half = crate::t_critical_95(df) * se;
    Ok(Welch {
        n_a: a.len(),
        n_b: b.len(),
        mean_a: mean(a),
        mean_b: mean(b),
        diff,
        t,
        df,
        p: crate::t_two_sided(t, df),
        ci_low: diff - half,
        ci_high: diff + half,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_exact_distribution_sums_to_one_and_is_symmetric() {
        for n in [1, 5, 12, 50] {
            let pmf = signed_rank_pmf(n);
            assert!((pmf.iter().sum::<f64>() - 1.0).abs() < 1e-12);
            let last = pmf.len() - 1;
            assert!((0..=last).all(|k| (pmf[k] - pmf[last - k]).abs() < 1e-15));
        }
    }

    #[test]
    fn ties_share_their_average_rank() {
        let (r, ties) = ranks(&[3.0, 1.0, 3.0, 2.0]);
        assert_eq!(r, vec![3.5, 1.0, 3.5, 2.0]);
        assert_eq!(ties, vec![1, 1, 2]);
    }
}
