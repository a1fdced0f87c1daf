//! `pelita appraisal …`: the signed-in Penilai's appraisals.

use std::path::{Path, PathBuf};

use anyhow::Context;
use clap::Subcommand;
use pelita_core::appraisal::Period;
use pelita_store::Mode;
use pelita_store::{AppraisalStatus, PeriodRef};

use crate::accounts::sign_in;

#[derive(Subcommand)]
pub enum AppraisalCommand {
    /// Pegawai yang Anda nilai pada sebuah periode, dengan status dan predikatnya.
    List {
        /// Tahun (bawaan: tahun ini).
        #[arg(long)]
        year: Option<i32>,
        /// Bulanan, "Triwulan I", "Triwulan II", "Triwulan III", "Triwulan IV-Akhir", Tahunan
        /// (bawaan: triwulan berjalan).
        #[arg(long)]
        period: Option<String>,
        /// Bulan 1–12 untuk periode Bulanan.
        #[arg(long)]
        month: Option<u32>,
        #[arg(long)]
        json: bool,
    },
    /// Mengimpor penilaian dari .xlsx atau .csv (semua atau tidak sama sekali). Baris Final tetap
    /// Final hanya bila Anda penilainya; selain itu menjadi draf.
    Import {
        file: PathBuf,
        /// Hanya periksa, jangan simpan.
        #[arg(long)]
        dry_run: bool,
    },
    /// Mengekspor penilaian yang Anda buat (Admin Kecamatan: semua) ke .xlsx atau .csv.
    Export {
        file: PathBuf,
        #[arg(long)]
        year: Option<i32>,
        #[arg(long)]
        period: Option<String>,
        #[arg(long)]
        month: Option<u32>,
    },
}

pub fn appraisal(
    path: &Path,
    who: Option<String>,
    command: AppraisalCommand,
) -> anyhow::Result<()> {
    let (mut store, actor) = sign_in(path, who)?;
    match command {
        AppraisalCommand::List {
            year,
            period,
            month,
            json,
        } => {
            let p = period_ref(&store, year, period, month)?.unwrap_or(store.current_period());
            let lines = store.appraisal_roster(&actor, &p)?;
            if json {
                println!("{}", serde_json::to_string_pretty(&lines)?);
                return Ok(());
            }
            println!(
                "Penilaian Kinerja {} — penilai: {}",
                p.label(),
                actor.full_name
            );
            for l in &lines {
                let status = match l.status {
                    None => "Belum dinilai",
                    Some(AppraisalStatus::Draft) => "Draf",
                    Some(AppraisalStatus::Final) => "Final",
                };
                println!(
                    "{}  {:<40} {:<14} {}",
                    l.employee.nip,
                    l.employee.display_name,
                    status,
                    l.predicate.map(|p| p.label()).unwrap_or("")
                );
            }
            println!("{} pegawai", lines.len());
            Ok(())
        }
        AppraisalCommand::Import { file, dry_run } => {
            let bytes = pelita_sheet::file_bytes(&file)?;
            // Rows marked Final are signed by the import: the password is the signature.
            let signature = if dry_run {
                None
            } else {
                Some(crate::accounts::password(
                    "Kata sandi untuk menandatangani penilaian Final",
                )?)
            };
            let report = store
                .import_appraisal_file(
                    &actor,
                    &file.to_string_lossy(),
                    &bytes,
                    if dry_run { Mode::Preview } else { Mode::Commit },
                    signature.as_deref(),
                )
                .with_context(|| format!("berkas {}", file.display()))?;
            crate::refuse_on_row_errors(&file, &report.errors, "penilaian")?;
            let verb = if dry_run {
                "akan diimpor (--dry-run, tidak ada yang disimpan)"
            } else {
                "diimpor"
            };
            println!(
                "{} penilaian {verb}: {} final, {} draf{}",
                report.appraisals_in_file,
                report.finals,
                report.appraisals_in_file - report.finals,
                if report.finals_as_drafts > 0 {
                    format!(
                        " ({} bertanda Final menjadi draf karena Anda bukan penilainya)",
                        report.finals_as_drafts
                    )
                } else {
                    String::new()
                }
            );
            Ok(())
        }
        AppraisalCommand::Export {
            file,
            year,
            period,
            month,
        } => {
            let p = period_ref(&store, year, period, month)?;
            let n = store
                .export_appraisal_file(&actor, &file, p.as_ref())
                .with_context(|| format!("berkas {}", file.display()))?;
            println!("{n} penilaian diekspor ke {}", file.display());
            Ok(())
        }
    }
}

/// The period named by the options, or `None` when none is given (`--year` alone: this period
/// of that year).
fn period_ref(
    store: &pelita_store::Store,
    year: Option<i32>,
    period: Option<String>,
    month: Option<u32>,
) -> anyhow::Result<Option<PeriodRef>> {
    if year.is_none() && period.is_none() && month.is_none() {
        return Ok(None);
    }
    let current = store.current_period();
    let period = match period {
        Some(p) => Period::parse(&p).with_context(|| {
            format!("periode '{p}' tidak dikenal; pilih Bulanan, \"Triwulan I\" … \"Triwulan IV-Akhir\" atau Tahunan")
        })?,
        None => current.period,
    };
    Ok(Some(PeriodRef {
        year: year.unwrap_or(current.year),
        period,
        month,
    }))
}
