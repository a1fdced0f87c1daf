//! `pelita jp` (JP per employee in a calendar year against the 20 JP rule) and `pelita training`.

use std::path::Path;

use anyhow::Context;

use crate::accounts::sign_in;

pub fn jp(
    path: &Path,
    who: Option<String>,
    year: i32,
    office: Option<String>,
    json: bool,
) -> anyhow::Result<()> {
    let (mut store, actor) = sign_in(path, who)?;
    let office_id = office.as_deref().map(crate::office_id_of).transpose()?;
    let lines = store.jp_report(&actor, year, office_id.as_deref())?;
    if json {
        println!("{}", serde_json::to_string_pretty(&lines)?);
        return Ok(());
    }
    for l in &lines {
        println!(
            "{}  {:<40} {:<18} {:>3} JP{}",
            l.nip,
            l.name,
            l.office_code,
            l.jp,
            if l.below_target {
                format!("  kurang {} JP", l.missing)
            } else {
                String::new()
            }
        );
    }
    let below = lines.iter().filter(|l| l.below_target).count();
    println!(
        "{} pegawai; {below} PNS/CPNS di bawah {} JP pada {year}",
        lines.len(),
        pelita_core::training::JP_TARGET_PNS
    );
    Ok(())
}

#[derive(clap::Subcommand)]
pub enum TrainingCommand {
    /// Daftar pelatihan (kantor Anda dan katalog kecamatan).
    List {
        /// Tahun (mulai atau selesai).
        #[arg(long)]
        year: Option<i32>,
        #[arg(long)]
        json: bool,
    },
    /// Mengekspor riwayat kursus untuk SIASN (.xlsx atau .csv): peserta yang menyelesaikan
    /// pelatihan yang berakhir pada tahun itu.
    Export {
        file: std::path::PathBuf,
        #[arg(long)]
        year: i32,
    },
}

pub fn training(path: &Path, who: Option<String>, command: TrainingCommand) -> anyhow::Result<()> {
    let (mut store, actor) = sign_in(path, who)?;
    match command {
        TrainingCommand::List { year, json } => {
            let query = pelita_store::TrainingQuery {
                year,
                ..Default::default()
            };
            let rows = store.list_trainings(&actor, &query)?;
            if json {
                println!("{}", serde_json::to_string_pretty(&rows)?);
                return Ok(());
            }
            for t in &rows {
                println!(
                    "{}  {} – {}  {:>3} JP  {:<12} {}/{}  {}",
                    t.id,
                    t.input.start_date,
                    t.input.end_date,
                    t.input.jp,
                    t.status.label(),
                    t.enrolled,
                    t.input.capacity,
                    t.input.title
                );
            }
            println!("{} pelatihan", rows.len());
        }
        TrainingCommand::Export { file, year } => {
            let n = store
                .siasn_export(&actor, year, &file)
                .with_context(|| format!("berkas {}", file.display()))?;
            println!("{n} riwayat kursus {year} diekspor ke {}", file.display());
        }
    }
    Ok(())
}
