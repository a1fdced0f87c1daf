//! `pelita appraisal …`: the signed-in Penilai's appraisals.

use std::path::Path;

use anyhow::Context;
use clap::Subcommand;
use pelita_core::appraisal::Period;
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
            let current = store.current_period();
            let period = match period {
                Some(p) => Period::parse(&p).with_context(|| {
                    format!("periode '{p}' tidak dikenal; pilih Bulanan, \"Triwulan I\" … \"Triwulan IV-Akhir\" atau Tahunan")
                })?,
                None => current.period,
            };
            let p = PeriodRef {
                year: year.unwrap_or(current.year),
                period,
                month,
            };
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
    }
}
