//! `pelita-hub`: serve the hub, and its admin commands (offices, device enrolment codes, status).

use std::path::PathBuf;

use anyhow::Context;
use clap::{Parser, Subcommand};
use pelita_hub::{HubStore, SqliteHub};

#[derive(Parser)]
#[command(
    name = "pelita-hub",
    version,
    about = "Hub sinkronisasi Pelita di Kantor Camat"
)]
struct Cli {
    /// Berkas basis data hub.
    #[arg(
        long,
        env = "PELITA_HUB_DB",
        global = true,
        default_value = "hub.sqlite"
    )]
    db: PathBuf,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Menjalankan hub.
    Serve {
        /// Alamat dan port.
        #[arg(long, default_value = "127.0.0.1:8080")]
        listen: String,
    },
    /// Kantor yang dikenal hub.
    Office {
        #[command(subcommand)]
        command: OfficeCommand,
    },
    /// Perangkat (laptop kantor).
    Device {
        #[command(subcommand)]
        command: DeviceCommand,
    },
    /// Bundel USB dari laptop tanpa jaringan.
    Bundle {
        #[command(subcommand)]
        command: BundleCommand,
    },
    /// Ringkasan: kantor, perangkat, sinkronisasi terakhir, konflik, penolakan.
    Status {
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
enum OfficeCommand {
    List,
    Add {
        #[arg(long)]
        code: String,
        #[arg(long)]
        name: String,
    },
}

#[derive(Subcommand)]
enum BundleCommand {
    /// Menerapkan bundel kiriman laptop (aman diulang) dan menulis bundel jawabannya.
    Import {
        file: PathBuf,
        /// Berkas jawaban untuk dibawa kembali ke laptop.
        #[arg(long)]
        reply: PathBuf,
    },
}

#[derive(Subcommand)]
enum DeviceCommand {
    /// Membuat kode pendaftaran sekali pakai untuk laptop sebuah kantor.
    Enroll {
        #[arg(long)]
        office: String,
        /// Masa berlaku kode, dalam jam.
        #[arg(long, default_value_t = 24)]
        hours: i64,
    },
    List {
        #[arg(long)]
        json: bool,
    },
    /// Mencabut token sebuah perangkat (laptop hilang, rusak, atau diganti).
    Revoke { id: String },
}

fn main() -> std::process::ExitCode {
    match run(Cli::parse()) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("galat: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}

fn run(cli: Cli) -> anyhow::Result<()> {
    let open =
        || SqliteHub::open(&cli.db).with_context(|| format!("basis data hub {}", cli.db.display()));
    match cli.command {
        Command::Serve { listen } => {
            let hub = open()?;
            let runtime = tokio::runtime::Runtime::new()?;
            runtime.block_on(async {
                let listener = tokio::net::TcpListener::bind(&listen)
                    .await
                    .with_context(|| format!("tidak dapat mendengarkan di {listen}"))?;
                eprintln!(
                    "hub Pelita mendengarkan di http://{}",
                    listener.local_addr()?
                );
                pelita_hub::serve(listener, hub, async {
                    let _ = tokio::signal::ctrl_c().await;
                })
                .await?;
                anyhow::Ok(())
            })?;
        }
        Command::Office { command } => {
            let mut hub = open()?;
            match command {
                OfficeCommand::List => {
                    for o in hub.offices()? {
                        println!(
                            "{:<18} {}{}",
                            o.code,
                            o.name,
                            if o.hq { "  (HQ)" } else { "" }
                        );
                    }
                }
                OfficeCommand::Add { code, name } => {
                    let o = hub.add_office(&code, &name)?;
                    println!("kantor {} ({}) ditambahkan", o.name, o.code);
                }
            }
        }
        Command::Device { command } => {
            let mut hub = open()?;
            match command {
                DeviceCommand::Enroll { office, hours } => {
                    let (code, expires) =
                        hub.issue_code(&office, chrono::Duration::hours(hours))?;
                    println!("{code}");
                    eprintln!(
                        "kode sekali pakai untuk {office}, berlaku sampai {}",
                        expires.format("%Y-%m-%d %H:%M UTC")
                    );
                }
                DeviceCommand::List { json } => {
                    let devices = hub.devices()?;
                    if json {
                        println!("{}", serde_json::to_string_pretty(&devices)?);
                    } else {
                        for d in devices {
                            println!(
                                "{}  {:<18} {:<20} terakhir {}{}",
                                d.id,
                                d.office_code,
                                d.name,
                                d.last_seen_at.as_deref().unwrap_or("-"),
                                if d.revoked_at.is_some() {
                                    "  (dicabut)"
                                } else {
                                    ""
                                }
                            );
                        }
                    }
                }
                DeviceCommand::Revoke { id } => {
                    hub.revoke(&id)?;
                    println!("perangkat {id} dicabut");
                }
            }
        }
        Command::Bundle {
            command: BundleCommand::Import { file, reply },
        } => {
            let bytes = std::fs::read(&file)
                .with_context(|| format!("berkas {} tidak dapat dibaca", file.display()))?;
            let mut hub = open()?;
            let (report, answer) = pelita_hub::bundle::import(&mut hub, &bytes)
                .with_context(|| format!("bundel {}", file.display()))?;
            std::fs::write(&reply, answer)
                .with_context(|| format!("berkas {} tidak dapat ditulis", reply.display()))?;
            println!(
                "{} perubahan dari perangkat {} ({} sudah diterima sebelumnya); jawaban dengan {} baris ditulis ke {}",
                report.mutations,
                report.device_id,
                report.duplicates,
                report.rows_out,
                reply.display()
            );
        }
        Command::Status { json } => {
            let status = open()?.status()?;
            if json {
                println!("{}", serde_json::to_string_pretty(&status)?);
            } else {
                println!(
                    "hub Pelita {} (protokol {})",
                    status.version, status.protocol
                );
                println!(
                    "{} kantor, {} perangkat, {} baris (urutan terakhir {})",
                    status.offices,
                    status.devices.len(),
                    status.rows,
                    status.last_seq
                );
                println!(
                    "{} konflik menunggu, {} perubahan ditolak",
                    status.pending_conflicts, status.rejected
                );
            }
        }
    }
    Ok(())
}
