//! `pelita sync enroll|run|status|rejected|discard`.

use std::path::Path;

use crate::accounts::sign_in;

#[derive(clap::Subcommand)]
pub enum SyncCommand {
    /// Mendaftarkan laptop ini ke hub dengan kode sekali pakai dari admin hub (Admin Kecamatan).
    Enroll {
        /// Alamat hub, mis. http://10.0.0.2:8080
        #[arg(long)]
        hub: String,
        #[arg(long)]
        code: String,
        /// Nama laptop ini untuk admin hub (bawaan: nama komputer).
        #[arg(long)]
        name: Option<String>,
    },
    /// Sinkronisasi sekarang: kirim perubahan, lalu ambil perubahan dari hub.
    Run {
        #[arg(long)]
        json: bool,
        /// Largest push batch in KB (bawaan 512; kecilkan untuk jaringan yang sering putus).
        #[arg(long)]
        batch_kb: Option<usize>,
    },
    /// Keadaan sinkronisasi: menunggu dikirim, terakhir berhasil, galat terakhir, konflik.
    Status {
        #[arg(long)]
        json: bool,
    },
    /// Perubahan yang ditolak hub (dan baris hub yang tidak diterima laptop ini), dengan alasannya.
    Rejected {
        #[arg(long)]
        json: bool,
    },
    /// Membuang perubahan yang ditolak hub: laptop memakai versi hub (baris yang tidak ada di hub
    /// dihapus dari laptop ini).
    Discard {
        /// Id perubahan (kolom pertama `pelita sync rejected`).
        id: Option<String>,
        /// Semua perubahan yang ditolak.
        #[arg(long, conflicts_with = "id")]
        all: bool,
    },
}

#[derive(clap::Subcommand)]
pub enum BundleCommand {
    /// Menulis semua perubahan yang belum sampai ke hub ke sebuah berkas (terenkripsi, untuk
    /// dibawa dengan USB ke hub).
    Export { file: std::path::PathBuf },
    /// Menerapkan bundel jawaban dari hub (juga jawaban atas permintaan pendaftaran).
    Import { file: std::path::PathBuf },
    /// Laptop tanpa jaringan sama sekali: menulis permintaan pendaftaran dengan kode sekali pakai
    /// dari admin hub, untuk dibawa ke hub (`pelita-hub bundle import BERKAS --reply JAWABAN`);
    /// jawabannya diimpor dengan `pelita bundle import`.
    Enrol {
        /// Kode sekali pakai dari admin hub.
        #[arg(long)]
        code: String,
        /// Berkas permintaan yang ditulis.
        #[arg(long)]
        out: std::path::PathBuf,
        /// Nama laptop ini (bawaan: nama komputer).
        #[arg(long)]
        name: Option<String>,
    },
}

pub fn bundle(path: &Path, who: Option<String>, command: BundleCommand) -> anyhow::Result<()> {
    use anyhow::Context;
    let (mut store, actor) = sign_in(path, who)?;
    match command {
        BundleCommand::Enrol { code, out, name } => {
            let name = name.unwrap_or_else(pelita_sync::device_name);
            let bytes = pelita_sync::bundle::enrolment_request(&mut store, &actor, &code, &name)?;
            std::fs::write(&out, bytes)
                .with_context(|| format!("berkas {} tidak dapat ditulis", out.display()))?;
            println!(
                "permintaan pendaftaran ditulis ke {}; bawa ke hub: pelita-hub bundle import {} --reply JAWABAN, lalu di sini: pelita bundle import JAWABAN",
                out.display(),
                out.display()
            );
        }
        BundleCommand::Export { file } => {
            let (bytes, count) = pelita_sync::bundle::export(&store)?;
            std::fs::write(&file, bytes)
                .with_context(|| format!("berkas {} tidak dapat ditulis", file.display()))?;
            println!(
                "{count} perubahan ditulis ke {}; bawa ke hub: pelita-hub bundle import {} --reply JAWABAN",
                file.display(),
                file.display()
            );
        }
        BundleCommand::Import { file } => {
            let bytes = std::fs::read(&file)
                .with_context(|| format!("berkas {} tidak dapat dibaca", file.display()))?;
            let report = pelita_sync::bundle::import(&mut store, &actor, &bytes)?;
            println!(
                "{} perubahan dikonfirmasi hub, {} baris diterima, konflik {}, ditolak {}",
                report.pushed, report.pulled, report.conflicts, report.rejected
            );
        }
    }
    Ok(())
}

pub fn sync(path: &Path, who: Option<String>, command: SyncCommand) -> anyhow::Result<()> {
    let (mut store, actor) = sign_in(path, who)?;
    match command {
        SyncCommand::Enroll { hub, code, name } => {
            let name = name.unwrap_or_else(pelita_sync::device_name);
            let e = pelita_sync::enroll(&mut store, &actor, &hub, &code, &name)?;
            println!(
                "laptop terdaftar di {hub} untuk {} (perangkat {})",
                e.office_code, e.device_id
            );
        }
        SyncCommand::Run { json, batch_kb } => {
            let mut options = pelita_sync::Options::default();
            if let Some(kb) = batch_kb {
                options.max_batch_bytes = kb.max(1) * 1024;
                options.batch_bytes = options.batch_bytes.min(options.max_batch_bytes);
                options.min_batch_bytes = options.min_batch_bytes.min(options.max_batch_bytes);
            }
            let report = pelita_sync::run(&mut store, &options)?;
            if json {
                println!("{}", serde_json::to_string_pretty(&report)?);
            } else {
                println!(
                    "dikirim {}, diterima {}, konflik {}, ditolak {}; {} byte terkirim, {} byte diterima, {} permintaan",
                    report.pushed,
                    report.pulled,
                    report.conflicts,
                    report.rejected,
                    report.bytes_sent,
                    report.bytes_received,
                    report.requests
                );
            }
        }
        SyncCommand::Status { json } => {
            let status = store.sync_status()?;
            if json {
                println!("{}", serde_json::to_string_pretty(&status)?);
            } else if !status.enrolled {
                println!("belum terdaftar di hub");
            } else {
                println!("hub: {}", status.hub_url.unwrap_or_default());
                println!("menunggu dikirim: {}", status.pending);
                println!(
                    "terakhir berhasil: {}",
                    status.last_success_at.as_deref().unwrap_or("belum pernah")
                );
                if let Some(e) = status.last_error {
                    println!("galat terakhir: {e}");
                }
                println!(
                    "konflik terbuka: {}, perubahan ditolak: {}",
                    status.open_conflicts, status.rejected
                );
            }
        }
        SyncCommand::Rejected { json } => {
            let rejected = store.sync_rejections(&actor)?;
            if json {
                println!("{}", serde_json::to_string_pretty(&rejected)?);
            } else if rejected.is_empty() {
                println!("tidak ada perubahan yang ditolak");
            } else {
                for r in rejected {
                    println!(
                        "{}\t{}\t{}\t{}",
                        r.mutation_id,
                        pelita_core::ownership::label(&r.entity),
                        r.row_id,
                        r.reason
                    );
                }
                println!("buang dengan: pelita sync discard ID (atau --all)");
            }
        }
        SyncCommand::Discard { id, all } => {
            let ids: Vec<String> = match (id, all) {
                (Some(id), _) => vec![id],
                (None, true) => store
                    .sync_rejections(&actor)?
                    .into_iter()
                    .map(|r| r.mutation_id)
                    .collect(),
                (None, false) => anyhow::bail!("sebutkan id perubahan, atau --all"),
            };
            for id in &ids {
                store.discard_rejected(&actor, id)?;
            }
            println!("{} perubahan ditolak dibuang", ids.len());
        }
    }
    Ok(())
}
