//! `pelita analyze effect`: the effect of training from the office's records.
//! `pelita analyze survey FILE | --instrument I`: the questionnaire study's tables from a file of
//! answers or from the answer sheets recorded in the app.

use std::path::{Path, PathBuf};

use anyhow::Context;
use clap::Subcommand;
use pelita_analysis::{Analysis, EffectFilter};
use pelita_core::reference::EmploymentStatus;
use pelita_core::training::Route;
use pelita_stats::effect::{EffectReport, Guarded};
use pelita_stats::survey::{Responses, DEFAULT_ALPHA_THRESHOLD};
use pelita_stats::survey_tables::regression_table;

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
        /// Hanya pelatihan jalur ini (mis. "Bimbingan Teknis").
        #[arg(long)]
        route: Option<String>,
        /// Hanya pegawai berstatus ini: PNS, CPNS atau PPPK.
        #[arg(long)]
        status: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Uji instrumen dan regresi studi kuesioner dari .csv/.xlsx: satu kolom per butir
    /// (<konstruk>_<nomor>, mis. X1_1 … X2_1 … Y_1 …), satu baris per responden, jawaban 1–5.
    Survey {
        /// Berkas jawaban (atau pakai --instrument).
        #[arg(required_unless_present = "instrument", conflicts_with = "instrument")]
        file: Option<PathBuf>,
        /// Jawaban yang dicatat di aplikasi untuk kuesioner ini (id atau judulnya persis).
        #[arg(long)]
        instrument: Option<String>,
        /// Dengan --instrument: hanya jawaban kantor ini (kode kantor).
        #[arg(long, requires = "instrument")]
        office: Option<String>,
        /// α Cronbach minimal agar konstruk dinyatakan reliabel.
        #[arg(long, default_value_t = DEFAULT_ALPHA_THRESHOLD)]
        alpha_threshold: f64,
        /// Keluarkan butir yang tidak valid dari uji reliabilitas, asumsi dan regresi.
        #[arg(long)]
        drop_invalid: bool,
        #[arg(long)]
        json: bool,
        /// Juga menulis semua tabel ke laporan .xlsx ini.
        #[arg(long)]
        xlsx: Option<PathBuf>,
    },
}

/// A route (jalur) as typed after `--route`, or what is wrong with it.
fn parse_route(text: &str) -> anyhow::Result<Route> {
    Route::parse(text).ok_or_else(|| {
        anyhow::anyhow!("jalur pelatihan '{text}' tidak dikenal (lihat Peraturan LAN 10/2018)")
    })
}

/// A status as typed after `--status`, or what is wrong with it.
fn parse_status(text: &str) -> anyhow::Result<EmploymentStatus> {
    EmploymentStatus::parse(text).ok_or_else(|| {
        anyhow::anyhow!("status kepegawaian '{text}' tidak dikenal; pilih PNS, CPNS atau PPPK")
    })
}

pub fn analyze(path: &Path, user: Option<String>, command: AnalyzeCommand) -> anyhow::Result<()> {
    match command {
        AnalyzeCommand::Effect {
            year,
            office,
            theme,
            route,
            status,
            json,
        } => {
            // A mistyped filter is named before anyone is asked for a password.
            let (route, status) = (
                route.as_deref().map(parse_route).transpose()?,
                status.as_deref().map(parse_status).transpose()?,
            );
            let (mut store, actor) = crate::accounts::sign_in(path, user)?;
            let filter = EffectFilter {
                year,
                office_id: office.as_deref().map(crate::office_id_of).transpose()?,
                theme,
                route,
                status,
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
            instrument,
            office,
            alpha_threshold,
            drop_invalid,
            json,
            xlsx,
        } => {
            let (name, table) = match (file, instrument) {
                (Some(file), _) => {
                    let name = file.display().to_string();
                    let bytes = pelita_sheet::file_bytes(&file)?;
                    let table = pelita_sheet::read(&name, &bytes).with_context(|| name.clone())?;
                    (name, table)
                }
                (None, Some(wanted)) => recorded_answers(path, user, &wanted, office)?,
                (None, None) => anyhow::bail!("sebutkan berkas jawaban atau --instrument"),
            };
            let responses = Responses::from_table(&name, &table).map_err(anyhow::Error::msg)?;
            let report = if drop_invalid {
                responses.analyze_valid_items(alpha_threshold)
            } else {
                responses.analyze(alpha_threshold)
            }
            .with_context(|| format!("{name}: analisis tidak dapat dihitung"))?;
            let tables = report.tables();
            if let Some(out) = &xlsx {
                let sections: Vec<(&str, &Vec<Vec<String>>)> =
                    tables.iter().map(|t| (t.title.as_str(), &t.rows)).collect();
                pelita_sheet::write_sections(out, &sections)
                    .with_context(|| format!("laporan {}", out.display()))?;
            }
            if json {
                println!("{}", serde_json::to_string_pretty(&report)?);
            } else {
                println!("Responden: {}", report.n);
                for table in &tables {
                    print_table(&table.title, &table.rows);
                }
                if let Some(out) = &xlsx {
                    println!("\nLaporan ditulis ke {}", out.display());
                }
            }
            Ok(())
        }
    }
}

/// The answer sheets recorded for an instrument (by id or exact title), as the table a file of
/// answers would hold, named after the instrument.
fn recorded_answers(
    path: &Path,
    user: Option<String>,
    wanted: &str,
    office: Option<String>,
) -> anyhow::Result<(String, Vec<Vec<String>>)> {
    let (mut store, actor) = crate::accounts::sign_in(path, user)?;
    let mut found: Vec<_> = store
        .list_instruments(&actor)?
        .into_iter()
        .filter(|i| i.id == wanted || i.title == wanted)
        .collect();
    if found.len() > 1 {
        let ids: Vec<String> = found
            .iter()
            .map(|i| format!("{} ({}, {})", i.id, i.owner_office_name, i.status.label()))
            .collect();
        anyhow::bail!(
            "ada {} kuesioner berjudul '{wanted}'; sebutkan id-nya: {}",
            found.len(),
            ids.join("; ")
        );
    }
    let instrument = found
        .pop()
        .with_context(|| format!("kuesioner '{wanted}' tidak ditemukan"))?;
    let office = office.as_deref().map(crate::office_id_of).transpose()?;
    let table = store.survey_answer_table(&actor, &instrument.id, office.as_deref())?;
    Ok((format!("kuesioner '{}'", instrument.title), table))
}

/// A titled table as aligned text.
fn print_table(title: &str, rows: &[Vec<String>]) {
    println!("\n{title}");
    let columns = rows.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> = (0..columns)
        .map(|c| {
            rows.iter()
                .filter_map(|r| r.get(c))
                .map(|v| v.chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    for row in rows {
        let cells: Vec<String> = row
            .iter()
            .enumerate()
            .map(|(c, v)| format!("{v:<width$}", width = widths[c]))
            .collect();
        println!("  {}", cells.join("  ").trim_end());
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
    for (title, g) in [
        (
            "Regresi skor predikat akhir tahun pada JP",
            &r.regression_simple,
        ),
        (
            "Regresi berganda dengan golongan, jenis jabatan, kantor",
            &r.regression_multiple,
        ),
    ] {
        if let Some(reg) = &g.result {
            let t = regression_table(title.into(), reg);
            print_table(&t.title, &t.rows);
        }
    }
    println!();
    for line in r.readings.iter().chain(&r.caveats) {
        println!("• {line}");
    }
}
