//! `pelita analyze survey FILE`: the questionnaire study's tables from a file of answers.

use std::path::{Path, PathBuf};

use anyhow::Context;
use clap::Subcommand;
use pelita_stats::effect::{EffectReport, Guarded};
use pelita_stats::ols::Regression;
use pelita_stats::survey::{Responses, SurveyReport, DEFAULT_ALPHA_THRESHOLD};
use pelita_store::EffectFilter;

#[derive(Subcommand)]
pub enum AnalyzeCommand {
    /// Pengaruh pelatihan terhadap kinerja dari data kantor: sebelum/sesudah (Triwulan I dan
    /// IV-Akhir), selisih-dari-selisih terlatih vs tidak, regresi skor predikat pada JP.
    Effect {
        #[arg(long)]
        year: i32,
        /// Kode kantor (bawaan: kantor Anda; Admin Kecamatan: seluruh kecamatan).
        #[arg(long)]
        office: Option<String>,
        /// Hanya pelatihan bertema ini.
        #[arg(long)]
        theme: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Uji instrumen dan regresi studi kuesioner dari .csv/.xlsx: satu kolom per butir
    /// (<konstruk>_<nomor>, mis. X1_1 … X2_1 … Y_1 …), satu baris per responden, jawaban 1–5.
    Survey {
        file: PathBuf,
        /// α Cronbach minimal agar konstruk dinyatakan reliabel.
        #[arg(long, default_value_t = DEFAULT_ALPHA_THRESHOLD)]
        alpha_threshold: f64,
        #[arg(long)]
        json: bool,
    },
}

pub fn analyze(path: &Path, user: Option<String>, command: AnalyzeCommand) -> anyhow::Result<()> {
    match command {
        AnalyzeCommand::Effect {
            year,
            office,
            theme,
            json,
        } => {
            let (mut store, actor) = crate::accounts::sign_in(path, user)?;
            let filter = EffectFilter {
                year,
                office_id: office.as_deref().map(crate::office_id_of).transpose()?,
                theme,
            };
            let report = store.effect_analysis(&actor, &filter)?;
            if json {
                println!("{}", serde_json::to_string_pretty(&report)?);
            } else {
                print_effect(&report);
            }
            Ok(())
        }
        AnalyzeCommand::Survey {
            file,
            alpha_threshold,
            json,
        } => {
            let name = file.display().to_string();
            let bytes = std::fs::read(&file)
                .with_context(|| format!("berkas {name} tidak dapat dibaca"))?;
            let table = pelita_sheet::read(&name, &bytes).with_context(|| name.clone())?;
            let responses = Responses::from_table(&name, &table).map_err(anyhow::Error::msg)?;
            let report = responses
                .analyze(alpha_threshold)
                .with_context(|| format!("{name}: analisis tidak dapat dihitung"))?;
            if json {
                println!("{}", serde_json::to_string_pretty(&report)?);
            } else {
                print_survey(&report);
            }
            Ok(())
        }
    }
}

fn print_guarded<T>(title: &str, g: &Guarded<T>, show: impl Fn(&T) -> String) {
    match (&g.result, &g.note) {
        (Some(r), _) => println!("{title} (n = {}): {}", g.n, show(r)),
        (None, Some(note)) => println!("{title}: {note}"),
        (None, None) => println!("{title} (n = {})", g.n),
    }
}

fn print_effect(r: &EffectReport) {
    println!(
        "Pegawai: {}; terlatih (April–September): {}; tanpa pelatihan tahun itu: {}\n",
        r.employees, r.trained, r.untrained
    );
    let paired = |p: &pelita_stats::compare::Paired| {
        format!(
            "selisih rata-rata {:.3} (IK 95% {:.3} s.d. {:.3}); t({}) = {:.3}, p = {:.4}; d_z = {:.3}; Wilcoxon W = {}, p = {:.4}",
            p.mean_diff, p.ci_low, p.ci_high, p.df, p.t, p.p, p.dz, p.wilcoxon.statistic, p.wilcoxon.p
        )
    };
    print_guarded("Sebelum/sesudah, skor predikat", &r.paired_score, paired);
    print_guarded("Sebelum/sesudah, capaian", &r.paired_capaian, paired);
    let did = |d: &pelita_stats::effect::DiffInDiff| {
        format!(
            "selisih perubahan {:.3} (IK 95% {:.3} s.d. {:.3}); Welch t({:.1}) = {:.3}, p = {:.4}",
            d.welch.diff, d.welch.ci_low, d.welch.ci_high, d.welch.df, d.welch.t, d.welch.p
        )
    };
    print_guarded("Selisih-dari-selisih, skor predikat", &r.did_score, did);
    print_guarded("Selisih-dari-selisih, capaian", &r.did_capaian, did);
    if let Some(reg) = &r.regression_simple.result {
        print_regression("Regresi skor predikat akhir tahun pada JP", reg);
    }
    if let Some(reg) = &r.regression_multiple.result {
        print_regression(
            "Regresi berganda dengan golongan, jenis jabatan, kantor",
            reg,
        );
    }
    println!();
    for line in r.readings.iter().chain(&r.caveats) {
        println!("• {line}");
    }
}

fn yes(ok: bool, yes: &'static str, no: &'static str) -> &'static str {
    if ok {
        yes
    } else {
        no
    }
}

fn print_regression(title: &str, r: &Regression) {
    println!("\n{title}");
    println!(
        "  {:<10} {:>10} {:>10} {:>9} {:>8}",
        "", "B", "Std. Error", "t", "Sig."
    );
    for c in &r.coefficients {
        let name = if c.name == "const" {
            "(Konstanta)"
        } else {
            &c.name
        };
        println!(
            "  {name:<10} {:>10.4} {:>10.4} {:>9.3} {:>8.4}",
            c.b, c.se, c.t, c.p
        );
    }
    println!(
        "  R² = {:.4}; R² disesuaikan = {:.4}; F({}, {}) = {:.3}; Sig. = {:.4}",
        r.r2, r.adj_r2, r.df_model, r.df_resid, r.f, r.f_p
    );
}

fn print_survey(r: &SurveyReport) {
    println!("Responden: {}", r.n);
    println!(
        "\nUji validitas (r tabel = {:.4}, α = 0.05, df = {})",
        r.r_critical,
        r.n - 2
    );
    println!(
        "  {:<8} {:>8} {:>8}  Keterangan",
        "Butir", "r hitung", "Sig."
    );
    for i in &r.items {
        println!(
            "  {:<8} {:>8.4} {:>8.4}  {}",
            i.item,
            i.r,
            i.p,
            yes(i.valid, "Valid", "Tidak valid")
        );
    }
    println!(
        "\nUji reliabilitas (reliabel bila α > {:.2})",
        r.alpha_threshold
    );
    for c in &r.reliability {
        println!(
            "  {:<4} {} butir  α Cronbach = {:.4}  {}",
            c.construct,
            c.items,
            c.alpha,
            yes(c.reliable, "Reliabel", "Tidak reliabel")
        );
    }
    let n = &r.normality;
    println!("\nUji normalitas residual");
    println!(
        "  Kolmogorov-Smirnov (Lilliefors): D = {:.4}; Sig. = {}  {}",
        n.lilliefors.d,
        n.lilliefors
            .p
            .map_or("> 0.10".to_string(), |p| format!("{p:.4}")),
        yes(
            n.normal_ks,
            "Berdistribusi normal",
            "Tidak berdistribusi normal"
        )
    );
    println!(
        "  Shapiro-Wilk: W = {:.4}; Sig. = {:.4}  {}",
        n.shapiro_wilk.w,
        n.shapiro_wilk.p,
        yes(
            n.normal_sw,
            "Berdistribusi normal",
            "Tidak berdistribusi normal"
        )
    );
    println!("\nUji multikolinearitas");
    for c in &r.collinearity {
        println!(
            "  {:<4} Tolerance = {:.4}; VIF = {:.4}  {}",
            c.construct,
            c.tolerance,
            c.vif,
            yes(
                c.ok,
                "Tidak terjadi multikolinearitas",
                "Terjadi multikolinearitas"
            )
        );
    }
    println!("\nUji heteroskedastisitas (Glejser: |residual| terhadap X)");
    for g in &r.glejser {
        println!(
            "  {:<4} t = {:.3}; Sig. = {:.4}  {}",
            g.construct,
            g.t,
            g.p,
            yes(
                g.ok,
                "Tidak terjadi heteroskedastisitas",
                "Terjadi heteroskedastisitas"
            )
        );
    }
    let xs: Vec<&str> = r.simple.keys().map(String::as_str).collect();
    print_regression(
        &format!(
            "Regresi linear berganda: Y = a + {}",
            xs.iter()
                .enumerate()
                .map(|(i, x)| format!("b{}·{x}", i + 1))
                .collect::<Vec<_>>()
                .join(" + ")
        ),
        &r.multiple,
    );
    for (x, reg) in &r.simple {
        print_regression(&format!("Regresi linear sederhana: Y = a + b·{x}"), reg);
    }
}
