//! The questionnaire study's results as the tables an Indonesian thesis prints (titles and
//! headers in Indonesian), shared by the terminal output and the `.xlsx` report.

use crate::ols::Regression;
use crate::survey::SurveyReport;

/// A titled table: header row first.
pub struct ReportTable {
    pub title: String,
    pub rows: Vec<Vec<String>>,
}

fn n4(x: f64) -> String {
    format!("{x:.4}")
}

fn yes(ok: bool, yes: &str, no: &str) -> String {
    if ok { yes } else { no }.to_string()
}

/// A regression as a coefficients table with R², adjusted R² and F under it.
pub fn regression_table(title: String, r: &Regression) -> ReportTable {
    let mut rows = vec![["Variabel", "B", "Std. Error", "t", "Sig."]
        .map(String::from)
        .to_vec()];
    for c in &r.coefficients {
        let name = if c.name == "const" {
            "(Konstanta)".to_string()
        } else {
            c.name.clone()
        };
        rows.push(vec![name, n4(c.b), n4(c.se), n4(c.t), n4(c.p)]);
    }
    rows.push(vec!["R²".into(), n4(r.r2)]);
    rows.push(vec!["R² disesuaikan".into(), n4(r.adj_r2)]);
    rows.push(vec![
        format!("F ({}, {})", r.df_model, r.df_resid),
        n4(r.f),
        "Sig.".into(),
        n4(r.f_p),
    ]);
    ReportTable { title, rows }
}

impl SurveyReport {
    /// Every table of the report, in the order a thesis presents them.
    pub fn tables(&self) -> Vec<ReportTable> {
        let mut out = Vec::new();
        let mut rows = vec![[
            "Butir",
            "Konstruk",
            "r hitung",
            "r tabel",
            "Sig.",
            "Keterangan",
        ]
        .map(String::from)
        .to_vec()];
        for i in &self.items {
            rows.push(vec![
                i.item.clone(),
                i.construct.clone(),
                n4(i.r),
                n4(self.r_critical),
                n4(i.p),
                yes(i.valid, "Valid", "Tidak valid"),
            ]);
        }
        out.push(ReportTable {
            title: format!(
                "Uji validitas (n = {}, α = 0,05, df = {})",
                self.n,
                self.n - 2
            ),
            rows,
        });
        let mut rows = vec![[
            "Konstruk",
            "Jumlah butir",
            "α Cronbach",
            "Batas",
            "Keterangan",
        ]
        .map(String::from)
        .to_vec()];
        for c in &self.reliability {
            rows.push(vec![
                c.construct.clone(),
                c.items.to_string(),
                n4(c.alpha),
                n4(self.alpha_threshold),
                yes(c.reliable, "Reliabel", "Tidak reliabel"),
            ]);
        }
        out.push(ReportTable {
            title: if self.dropped_items.is_empty() {
                "Uji reliabilitas".into()
            } else {
                format!(
                    "Uji reliabilitas (butir tidak valid dikeluarkan dari uji berikutnya: {})",
                    self.dropped_items.join(", ")
                )
            },
            rows,
        });
        let n = &self.normality;
        out.push(ReportTable {
            title: "Uji normalitas residual".into(),
            rows: vec![
                ["Uji", "Statistik", "Sig.", "Keterangan"]
                    .map(String::from)
                    .to_vec(),
                vec![
                    "Kolmogorov-Smirnov (Lilliefors)".into(),
                    n4(n.lilliefors.d),
                    n.lilliefors.p.map_or("> 0.10".into(), n4),
                    yes(
                        n.normal_ks,
                        "Berdistribusi normal",
                        "Tidak berdistribusi normal",
                    ),
                ],
                vec![
                    "Shapiro-Wilk".into(),
                    n4(n.shapiro_wilk.w),
                    n4(n.shapiro_wilk.p),
                    yes(
                        n.normal_sw,
                        "Berdistribusi normal",
                        "Tidak berdistribusi normal",
                    ),
                ],
            ],
        });
        let mut rows = vec![["Konstruk", "Tolerance", "VIF", "Keterangan"]
            .map(String::from)
            .to_vec()];
        for c in &self.collinearity {
            rows.push(vec![
                c.construct.clone(),
                n4(c.tolerance),
                n4(c.vif),
                yes(
                    c.ok,
                    "Tidak terjadi multikolinearitas",
                    "Terjadi multikolinearitas",
                ),
            ]);
        }
        out.push(ReportTable {
            title: "Uji multikolinearitas".into(),
            rows,
        });
        let mut rows = vec![["Konstruk", "t", "Sig.", "Keterangan"]
            .map(String::from)
            .to_vec()];
        for g in &self.glejser {
            rows.push(vec![
                g.construct.clone(),
                n4(g.t),
                n4(g.p),
                yes(
                    g.ok,
                    "Tidak terjadi heteroskedastisitas",
                    "Terjadi heteroskedastisitas",
                ),
            ]);
        }
        out.push(ReportTable {
            title: "Uji heteroskedastisitas (Glejser: |residual| terhadap X)".into(),
            rows,
        });
        let equation: Vec<String> = self
            .simple
            .keys()
            .enumerate()
            .map(|(i, x)| format!("b{}·{x}", i + 1))
            .collect();
        out.push(regression_table(
            format!("Regresi linear berganda: Y = a + {}", equation.join(" + ")),
            &self.multiple,
        ));
        for (x, r) in &self.simple {
            out.push(regression_table(
                format!("Regresi linear sederhana: Y = a + b·{x}"),
                r,
            ));
        }
        out
    }
}
