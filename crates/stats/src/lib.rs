//! The statistics of the Analisis page and of the questionnaire study ("Studi Pengaruh"),
//! checked number by number against scipy and statsmodels (`scripts/stats_fixtures.py`).
//!
//! - [`describe`]: means, variances, Pearson's r.
//! - [`compare`]: paired t-test with Cohen's d_z, Wilcoxon signed-rank, Welch's t-test.
//! - [`ols`]: least squares with standard errors, t, p, R², adjusted R², F; VIF.
//! - [`normality`]: Shapiro–Wilk, Kolmogorov–Smirnov with the Lilliefors correction.
//! - [`survey_tables`]: those results as the tables a thesis prints.
//! - [`effect`]: the effect of training on performance from the office's records, guarded.
//! - [`survey`]: the thesis tables — item validity, Cronbach's α, the classical assumption
//!   tests and the regressions of Y on the X constructs.
//!
//! Distributions and linear algebra come from `statrs` and `nalgebra`; nothing here
//! re-implements a special function. Limits: numbers in, numbers and Indonesian readings out — no
//! I/O, no database, no knowledge of where the numbers came from.

pub mod compare;
pub mod describe;
pub mod effect;
pub mod normality;
pub mod ols;
pub mod survey;
pub mod survey_tables;

/// Below this many observations a group gets no test statistic or p-value (DESIGN §6): the
/// page says so instead.
pub const MIN_N_FOR_TESTS: usize = 10;

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum StatsError {
    #[error("terlalu sedikit data: {n} pengamatan, perlu paling sedikit {need}")]
    TooFew { n: usize, need: usize },
    #[error("{0} tidak bervariasi (semua nilainya sama), sehingga uji ini tidak dapat dihitung")]
    Constant(String),
    #[error("variabel {0} merupakan kombinasi linear variabel lain (multikolinearitas sempurna)")]
    Singular(String),
    #[error("panjang data tidak sama: {0}")]
    Length(String),
    #[error("konstruk {construct} tinggal {left} butir valid; α Cronbach perlu paling sedikit 2, jadi butir tidak valid tidak dapat dikeluarkan")]
    TooFewItems { construct: String, left: usize },
}

pub type Result<T> = std::result::Result<T, StatsError>;

fn need(n: usize, need: usize) -> Result<()> {
    if n < need {
        Err(StatsError::TooFew { n, need })
    } else {
        Ok(())
    }
}

/// Two-sided p-value of a t statistic with `df` degrees of freedom.
fn t_two_sided(t: f64, df: f64) -> f64 {
    use statrs::distribution::{ContinuousCDF, StudentsT};
    let dist = StudentsT::new(0.0, 1.0, df).expect("df > 0");
    (2.0 * dist.sf(t.abs())).min(1.0)
}

/// The t value that leaves 2.5 % in each tail.
fn t_critical_95(df: f64) -> f64 {
    use statrs::distribution::{ContinuousCDF, StudentsT};
    StudentsT::new(0.0, 1.0, df)
        .expect("df > 0")
        .inverse_cdf(0.975)
}

/// Upper tail of the standard normal.
fn normal_sf(z: f64) -> f64 {
    use statrs::distribution::{ContinuousCDF, Normal};
    Normal::standard().sf(z)
}
