//! `pelita-hub`: serve the hub, and its admin commands (offices, device enrolment codes, status).

use std::path::PathBuf;

use anyhow::Context;
use clap::{Parser, Subcommand};
use pelita_hub::http::Shared;
use pelita_hub::{HubKey, PgHub, SqliteHub};

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
    /// Basis data hub di PostgreSQL (postgres://pengguna:sandi@host:port/basisdata), sebagai
    /// ganti berkas --db: beberapa proses hub dapat melayani satu basis data.
    #[arg(long, env = "PELITA_HUB_DATABASE_URL", global = true)]
    database_url: Option<String>,
    /// Berkas berisi kunci enkripsi basis data hub SQLite (64 digit heksadesimal, misalnya dari
    /// `openssl rand -hex 32`); disimpan terpisah dari basis datanya. Atau PELITA_HUB_DB_KEY.
    #[arg(long, env = "PELITA_HUB_DB_KEY_FILE", global = true)]
    db_key_file: Option<PathBuf>,
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
        /// Sertifikat TLS (PEM, rantai lengkap) untuk melayani HTTPS.
        #[arg(long, requires = "tls_key")]
        tls_cert: Option<PathBuf>,
        /// Kunci privat TLS (PEM).
        #[arg(long, requires = "tls_cert")]
        tls_key: Option<PathBuf>,
        /// Melayani HTTP biasa (tanpa TLS) di alamat selain loopback: token perangkat dan data
        /// pegawai lewat tanpa enkripsi. Hanya untuk jaringan yang sudah terlindung sendiri.
        #[arg(long)]
        insecure_http: bool,
    },
    /// Akun admin untuk halaman status hub (/status).
    Admin {
        #[command(subcommand)]
        command: AdminCommand,
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
    /// Konflik yang menunggu diselesaikan di laptop kantor.
    Conflict {
        #[command(subcommand)]
        command: ConflictCommand,
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
    /// Basis data hub SQLite.
    Db {
        #[command(subcommand)]
        command: DbCommand,
    },
}

#[derive(Subcommand)]
enum DbCommand {
    /// Menulis salinan terenkripsi dari basis data hub yang belum terenkripsi (--db), dengan
    /// kunci dari --db-key-file atau PELITA_HUB_DB_KEY. Hentikan hub lebih dulu; sesudahnya
    /// jalankan hub pada salinan itu dengan kuncinya, lalu hapus berkas lama dengan aman.
    Encrypt {
        /// Berkas baru untuk salinan terenkripsi.
        #[arg(long)]
        to: PathBuf,
    },
}

#[derive(Subcommand)]
enum AdminCommand {
    /// Membuat akun admin atau mengganti kata sandinya (dibaca dari stdin, satu baris).
    SetPassword {
        #[arg(long)]
        user: String,
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
enum ConflictCommand {
    List {
        #[arg(long)]
        json: bool,
    },
    /// Menutup konflik yang tidak akan diselesaikan lagi (salinan laptop yang sudah tidak ada).
    /// Laptop yang diganti atau hilang: cabut perangkatnya saja, konfliknya ikut ditutup.
    Close { mutation_id: String },
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
    // What the hub does goes to standard error (the journal under systemd); `RUST_LOG` says how
    // much (by default the hub's own warnings and what it serves).
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "pelita_hub=info,tower_http=warn".into()),
        )
        .with_writer(std::io::stderr)
        .with_ansi(false)
        // A hub whose standard error is gone (a closed pipe) goes on serving: the subscriber
        // would otherwise report the failed write with `eprintln!`, which panics there.
        .log_internal_errors(false)
        .init();
    match run(Cli::parse()) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("galat: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}

/// The SQLite hub's key: from `--db-key-file`, or `PELITA_HUB_DB_KEY` itself.
fn db_key(file: Option<&std::path::Path>) -> anyhow::Result<Option<HubKey>> {
    let text = match file {
        Some(path) => std::fs::read_to_string(path)
            .with_context(|| format!("berkas kunci basis data hub {}", path.display()))?,
        // Set but blank (a secret lookup that failed) is a mistake, not "no encryption".
        None => match std::env::var("PELITA_HUB_DB_KEY") {
            Ok(text) => text,
            Err(_) => return Ok(None),
        },
    };
    Ok(Some(HubKey::parse(&text)?))
}

fn run(cli: Cli) -> anyhow::Result<()> {
    let key = db_key(cli.db_key_file.as_deref())?;
    if key.is_some() && cli.database_url.is_some() {
        anyhow::bail!(
            "kunci basis data hanya untuk hub SQLite (--db); enkripsi data PostgreSQL ada di disk servernya"
        );
    }
    if let Command::Db {
        command: DbCommand::Encrypt { to },
    } = &cli.command
    {
        let key =
            key.context("kunci baru wajib diberikan: --db-key-file atau PELITA_HUB_DB_KEY")?;
        if cli.database_url.is_some() || !cli.db.is_file() {
            anyhow::bail!(
                "basis data hub {} tidak ada; sebutkan berkas hub yang akan disalin dengan --db",
                cli.db.display()
            );
        }
        SqliteHub::open(&cli.db)
            .with_context(|| format!("basis data hub {}", cli.db.display()))?
            .export_encrypted(to, &key)?;
        eprintln!(
            "salinan terenkripsi ditulis ke {}; jalankan hub dengan --db {} dan kuncinya",
            to.display(),
            to.display()
        );
        return Ok(());
    }
    let open = || -> anyhow::Result<Shared> {
        Ok(match &cli.database_url {
            Some(url) => {
                std::sync::Arc::new(PgHub::connect(url).context("basis data hub di PostgreSQL")?)
            }
            None => std::sync::Arc::new(
                SqliteHub::open_with(&cli.db, key.clone())
                    .with_context(|| format!("basis data hub {}", cli.db.display()))?,
            ),
        })
    };
    match cli.command {
        Command::Serve {
            listen,
            tls_cert,
            tls_key,
            insecure_http,
        } => {
            let hub = open()?;
            let tls = match (tls_cert, tls_key) {
                (Some(cert), Some(key)) => Some(pelita_hub::tls::load_config(&cert, &key)?),
                _ => None,
            };
            let runtime = tokio::runtime::Runtime::new()?;
            runtime.block_on(async {
                let listener = tokio::net::TcpListener::bind(&listen)
                    .await
                    .with_context(|| format!("tidak dapat mendengarkan di {listen}"))?;
                let shutdown = async {
                    let _ = tokio::signal::ctrl_c().await;
                };
                let addr = listener.local_addr()?;
                if tls.is_none() {
                    if let Some(refusal) = pelita_hub::tls::plain_http_refusal(&addr, insecure_http)
                    {
                        anyhow::bail!(refusal);
                    }
                }
                match tls {
                    Some(config) => {
                        eprintln!("hub Pelita mendengarkan di https://{addr}");
                        pelita_hub::serve_tls(listener, config, hub, shutdown).await?;
                    }
                    None => {
                        eprintln!("hub Pelita mendengarkan di http://{addr}");
                        pelita_hub::serve(listener, hub, shutdown).await?;
                    }
                }
                anyhow::Ok(())
            })?;
        }
        Command::Admin {
            command: AdminCommand::SetPassword { user },
        } => {
            let mut password = String::new();
            std::io::stdin()
                .read_line(&mut password)
                .context("kata sandi tidak dapat dibaca dari stdin")?;
            let password = password.trim_end_matches(['\r', '\n']);
            open()?.set_admin_password(&user, password)?;
            println!("kata sandi admin {user} disimpan; masuk di /status");
        }
        Command::Office { command } => {
            let hub = open()?;
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
            let hub = open()?;
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
                    let closed = hub.revoke(&id)?;
                    println!("perangkat {id} dicabut");
                    if closed > 0 {
                        println!(
                            "{closed} konflik yang belum diselesaikan perangkat ini ditutup; \
                             laptop lain kantornya memegang data hub"
                        );
                    }
                }
            }
        }
        Command::Bundle {
            command: BundleCommand::Import { file, reply },
        } => {
            let bytes = std::fs::read(&file)
                .with_context(|| format!("berkas {} tidak dapat dibaca", file.display()))?;
            let hub = open()?;
            // A laptop with no link at all asks to be enrolled the same way.
            if pelita_proto::enrol_bundle::is_request(&bytes) {
                let (e, rows, answer) = pelita_hub::bundle::enrol(&*hub, &bytes)
                    .with_context(|| format!("permintaan {}", file.display()))?;
                std::fs::write(&reply, answer)
                    .with_context(|| format!("berkas {} tidak dapat ditulis", reply.display()))?;
                println!(
                    "laptop didaftarkan untuk {} ({}) sebagai perangkat {}; jawaban dengan {} baris ditulis ke {}",
                    e.office_name,
                    e.office_code,
                    e.device_id,
                    rows,
                    reply.display()
                );
                return Ok(());
            }
            let (report, answer) = pelita_hub::bundle::import(&*hub, &bytes)
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
        Command::Conflict { command } => {
            let hub = open()?;
            match command {
                ConflictCommand::List { json } => {
                    let conflicts = hub.overview()?.conflicts;
                    if json {
                        println!("{}", serde_json::to_string_pretty(&conflicts)?);
                    }
                    for c in conflicts.iter().filter(|_| !json) {
                        println!(
                            "{}  {:<18} {:<20} {} {}  sejak {}",
                            c.mutation_id, c.office_code, c.device_name, c.entity, c.row_id, c.at
                        );
                    }
                }
                ConflictCommand::Close { mutation_id } => {
                    let closed = hub.close_conflict(&mutation_id)?;
                    println!("{closed} konflik ditutup");
                }
            }
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
        // Done above, before the database is opened as the hub's.
        Command::Db { .. } => {}
    }
    Ok(())
}
