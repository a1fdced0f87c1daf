//! `pelita jp` (JP per employee in a calendar year against the 20 JP rule), `pelita training` and
//! `pelita attendance`.

use std::path::{Path, PathBuf};

use anyhow::Context;
use pelita_store::Mode;
use pelita_store::TrainingSheetKind;

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
        "{} pegawai; {below} PNS di bawah {} JP pada {year} (CPNS mengikuti Latsar)",
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
    /// Mengimpor pelatihan (satu baris per sesi) atau, dengan --participants, peserta dari .xlsx
    /// atau .csv — semua baris atau tidak sama sekali.
    Import {
        file: PathBuf,
        /// Berkas berisi peserta (Judul Pelatihan, Tanggal Mulai, Kode Kantor Pemilik, NIP).
        #[arg(long)]
        participants: bool,
        /// Hanya periksa, jangan simpan.
        #[arg(long)]
        dry_run: bool,
    },
    /// Mengekspor riwayat kursus untuk SIASN (.xlsx atau .csv): peserta yang menyelesaikan
    /// pelatihan yang berakhir pada tahun itu. Dengan --catalogue: daftar pelatihan dalam format
    /// impor.
    Export {
        file: PathBuf,
        #[arg(long, required_unless_present = "catalogue")]
        year: Option<i32>,
        #[arg(long, conflicts_with = "year")]
        catalogue: bool,
    },
    /// Menyelesaikan pelatihan yang sudah berakhir: kelulusan dan JP diakui tiap peserta
    /// ditetapkan dari kehadirannya.
    Finish {
        /// ID pelatihan (lihat `pelita training list`).
        id: String,
    },
}

#[derive(clap::Subcommand)]
pub enum AttendanceCommand {
    /// Mengimpor kehadiran (satu baris per peserta dan sesi) dari .xlsx atau .csv — semua baris
    /// atau tidak sama sekali; kehadiran yang sudah tercatat sama tidak diubah.
    Import {
        file: PathBuf,
        /// Hanya periksa, jangan simpan.
        #[arg(long)]
        dry_run: bool,
    },
    /// Mengekspor lembar kehadiran sebuah pelatihan (peserta × sesi, dengan yang sudah tercatat),
    /// untuk diisi lalu diimpor.
    Export {
        file: PathBuf,
        /// ID pelatihan (lihat `pelita training list`).
        #[arg(long)]
        training: String,
    },
}

fn import(
    store: &mut pelita_store::Store,
    actor: &pelita_core::auth::Actor,
    kind: TrainingSheetKind,
    file: &Path,
    dry_run: bool,
) -> anyhow::Result<()> {
    let report = store
        .import_training_path(
            actor,
            kind,
            file,
            if dry_run { Mode::Preview } else { Mode::Commit },
        )
        .with_context(|| format!("berkas {}", file.display()))?;
    let what = match kind {
        TrainingSheetKind::Catalogue => "pelatihan",
        TrainingSheetKind::Participants => "peserta",
        TrainingSheetKind::Attendance => "kehadiran",
    };
    crate::refuse_on_row_errors(file, &report.errors, what)?;
    let verb = if dry_run { "akan diimpor" } else { "diimpor" };
    let mut line = format!("{} {what} {verb} dari {}", report.imported, file.display());
    if report.waiting > 0 {
        line += &format!(" ({} masuk daftar tunggu)", report.waiting);
    }
    if report.unchanged > 0 {
        line += &format!("; {} sudah tercatat sama", report.unchanged);
    }
    if dry_run {
        line += "; tidak ada yang disimpan (--dry-run)";
    }
    println!("{line}");
    Ok(())
}

pub fn attendance(
    path: &Path,
    who: Option<String>,
    command: AttendanceCommand,
) -> anyhow::Result<()> {
    let (mut store, actor) = sign_in(path, who)?;
    match command {
        AttendanceCommand::Import { file, dry_run } => import(
            &mut store,
            &actor,
            TrainingSheetKind::Attendance,
            &file,
            dry_run,
        ),
        AttendanceCommand::Export { file, training } => {
            let n = store
                .export_training_file(
                    &actor,
                    TrainingSheetKind::Attendance,
                    Some(&training),
                    &file,
                )
                .with_context(|| format!("berkas {}", file.display()))?;
            println!("{n} baris kehadiran diekspor ke {}", file.display());
            Ok(())
        }
    }
}

pub fn training(path: &Path, who: Option<String>, command: TrainingCommand) -> anyhow::Result<()> {
    let (mut store, actor) = sign_in(path, who)?;
    match command {
        TrainingCommand::Finish { id } => {
            let t = store.training(&actor, &id)?;
            let status = pelita_core::training::TrainingStatus::Selesai;
            let t = store.set_training_status(&actor, &id, t.version, status)?;
            println!("{}: {}", t.input.title, t.status.label());
        }
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
        TrainingCommand::Import {
            file,
            participants,
            dry_run,
        } => {
            let kind = if participants {
                TrainingSheetKind::Participants
            } else {
                TrainingSheetKind::Catalogue
            };
            import(&mut store, &actor, kind, &file, dry_run)?;
        }
        TrainingCommand::Export {
            file,
            catalogue: true,
            ..
        } => {
            let n = store
                .export_training_file(&actor, TrainingSheetKind::Catalogue, None, &file)
                .with_context(|| format!("berkas {}", file.display()))?;
            println!("{n} baris (satu per sesi) diekspor ke {}", file.display());
        }
        TrainingCommand::Export { file, year, .. } => {
            let year = year.context("--year wajib untuk ekspor SIASN")?;
            let done = store
                .siasn_export(&actor, year, &file)
                .with_context(|| format!("berkas {}", file.display()))?;
            println!(
                "{} riwayat kursus {year} diekspor ke {}",
                done.rows,
                file.display()
            );
            if done.leadership > 0 {
                println!(
                    "{} keikutsertaan pelatihan kepemimpinan tidak termasuk: SIASN mencatatnya di riwayat diklat struktural",
                    done.leadership
                );
            }
        }
    }
    Ok(())
}
