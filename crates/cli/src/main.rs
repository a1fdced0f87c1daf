//! `pelita`: the command-line face of the same store and rules the desktop app uses.
//!
//! Read commands take `--json`; errors go to stderr in Indonesian and exit non-zero.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{bail, Context};
use clap::{Parser, Subcommand};
use pelita_core::auth::Actor;
use pelita_core::reference::EmploymentStatus;
use pelita_store::Mode;
use pelita_store::{EmployeeQuery, Store};

mod accounts;
mod analyze;
mod appraisals;
mod sync;
mod trainings;
mod transfers;

#[derive(Parser)]
#[command(
    name = "pelita",
    version,
    about = "Pelita — pencatatan pelatihan dan kinerja ASN"
)]
struct Cli {
    /// Berkas basis data (bawaan: folder data aplikasi).
    #[arg(long, env = "PELITA_DB", global = true)]
    db: Option<PathBuf>,
    /// Nama pengguna untuk perintah yang membutuhkan hak akses (kata sandi dari PELITA_PASSWORD
    /// atau ditanyakan).
    #[arg(long, env = "PELITA_USER", global = true)]
    user: Option<String>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Membuat basis data terenkripsi untuk sebuah kantor, bersama admin pertamanya.
    Init {
        /// Kode kantor laptop ini (lihat `pelita office list`); tidak dipakai dengan --hub.
        #[arg(long, required_unless_present = "hub", conflicts_with = "hub")]
        office: Option<String>,
        /// Memasang laptop dari hub kecamatan: kantor, data pegawai kantor dan pelatihan datang
        /// dari hub (dengan --code, kode sekali pakai dari admin hub).
        #[arg(long, requires = "code", conflicts_with = "demo")]
        hub: Option<String>,
        /// Kode pendaftaran sekali pakai untuk --hub.
        #[arg(long, requires = "hub")]
        code: Option<String>,
        /// Memuat data contoh Kecamatan Medan Marelan dan satu akun contoh per peran.
        #[arg(long)]
        demo: bool,
        /// Nama pengguna admin pertama (kata sandi dari PELITA_PASSWORD atau ditanyakan). Wajib,
        /// kecuali dengan --demo (admin contoh `admin` dengan kata sandi acak).
        #[arg(long)]
        admin: Option<String>,
    },
    /// Membuat berkas cadangan terenkripsi dari seluruh basis data.
    Backup { file: PathBuf },
    /// Memulihkan basis data dari berkas cadangan (khusus admin laptop). Di laptop tanpa basis
    /// data, kata sandi yang berlaku saat cadangan dibuat.
    Restore { file: PathBuf },
    /// Akun pengguna (khusus admin laptop: Admin Kantor, di Kantor Camat Admin Kecamatan).
    User {
        #[command(subcommand)]
        command: accounts::UserCommand,
    },
    /// Data diri pengguna yang masuk.
    Me {
        #[command(subcommand)]
        command: accounts::MeCommand,
    },
    /// Log audit.
    Audit {
        #[command(subcommand)]
        command: accounts::AuditCommand,
    },
    /// Penilaian kinerja (SKP) pegawai yang Anda nilai.
    Appraisal {
        #[command(subcommand)]
        command: appraisals::AppraisalCommand,
    },
    /// Pelatihan: daftar, impor pelatihan dan peserta, ekspor katalog dan riwayat kursus SIASN.
    Training {
        #[command(subcommand)]
        command: trainings::TrainingCommand,
    },
    /// Bundel USB: sinkronisasi tanpa jaringan.
    Bundle {
        #[command(subcommand)]
        command: sync::BundleCommand,
    },
    /// Sinkronisasi dengan hub kecamatan.
    Sync {
        #[command(subcommand)]
        command: sync::SyncCommand,
    },
    /// Kehadiran pelatihan: impor dari berkas, ekspor lembar kehadiran.
    Attendance {
        #[command(subcommand)]
        command: trainings::AttendanceCommand,
    },
    /// JP pengembangan kompetensi per pegawai dalam setahun (aturan 20 JP).
    Jp {
        #[arg(long)]
        year: i32,
        /// Kode kantor (bawaan: kantor Anda; Admin Kecamatan: semua).
        #[arg(long)]
        office: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Analisis: pengaruh pelatihan terhadap kinerja; studi kuesioner (uji instrumen, asumsi
    /// klasik, regresi).
    Analyze {
        #[command(subcommand)]
        command: analyze::AnalyzeCommand,
    },
    /// Daftar kantor.
    Office {
        #[command(subcommand)]
        command: OfficeCommand,
    },
    /// Mutasi pegawai antarkantor: catat, ajukan, setujui atau tolak (Kantor Camat), batalkan.
    Transfer {
        #[command(subcommand)]
        command: transfers::TransferCommand,
    },
    /// Daftar pegawai: lihat, impor, ekspor.
    Employee {
        #[command(subcommand)]
        command: EmployeeCommand,
    },
}

#[derive(Subcommand)]
enum OfficeCommand {
    /// Kantor yang dikenal laptop ini (dengan --user; tanpa basis data: daftar bawaan).
    List {
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
enum EmployeeCommand {
    /// Menampilkan pegawai.
    List {
        #[arg(long)]
        json: bool,
        /// Cari nama atau NIP.
        #[arg(long, default_value = "")]
        search: String,
        /// Kode kantor.
        #[arg(long)]
        office: Option<String>,
        /// PNS, CPNS atau PPPK.
        #[arg(long)]
        status: Option<String>,
        /// Sertakan pegawai yang tidak aktif.
        #[arg(long)]
        all: bool,
    },
    /// Mengimpor pegawai dari .xlsx atau .csv (semua baris atau tidak sama sekali).
    Import {
        file: PathBuf,
        /// Hanya periksa, jangan simpan.
        #[arg(long)]
        dry_run: bool,
    },
    /// Mengekspor semua pegawai ke .xlsx atau .csv.
    Export { file: PathBuf },
    /// Mengubah data seorang pegawai (yang tidak disebut tetap).
    Edit {
        /// NIP pegawai.
        nip: String,
        #[arg(long)]
        jabatan: Option<String>,
        #[arg(long)]
        golongan: Option<String>,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("galat: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn run(cli: Cli) -> anyhow::Result<()> {
    let path = cli.db.unwrap_or_else(pelita_store::default_db_path);
    match cli.command {
        Command::Init {
            office,
            hub,
            code,
            demo,
            admin,
        } => match (office, hub, code) {
            (_, Some(hub), Some(code)) => init_from_hub(&path, &hub, &code, admin),
            (Some(office), ..) => init(&path, &office, demo, admin),
            _ => bail!("sebutkan --office KODE, atau --hub ALAMAT dengan --code KODE"),
        },
        Command::User { command } => accounts::user(&path, cli.user, command),
        Command::Audit { command } => accounts::audit(&path, cli.user, command),
        Command::Me { command } => accounts::me(&path, cli.user, command),
        Command::Backup { file } => {
            let (mut store, actor) = accounts::sign_in(&path, cli.user)?;
            let report = store.backup(&actor, &file)?;
            println!(
                "Cadangan terenkripsi disimpan ke {} ({} KB)",
                report.path,
                report.bytes.div_ceil(1024)
            );
            Ok(())
        }
        Command::Restore { file } => accounts::restore(&path, cli.user, &file),
        Command::Appraisal { command } => appraisals::appraisal(&path, cli.user, command),
        Command::Jp { year, office, json } => trainings::jp(&path, cli.user, year, office, json),
        Command::Training { command } => trainings::training(&path, cli.user, command),
        Command::Sync { command } => sync::sync(&path, cli.user, command),
        Command::Analyze { command } => analyze::analyze(&path, cli.user, command),
        Command::Bundle { command } => sync::bundle(&path, cli.user, command),
        Command::Attendance { command } => trainings::attendance(&path, cli.user, command),
        Command::Transfer { command } => transfers::transfer(&path, cli.user, command),
        Command::Office {
            command: OfficeCommand::List { json },
        } => {
            // Before any database exists, the district's offices as Pelita ships them (to choose one
            // for `init`); signed in on a laptop, the offices it knows (the hub's, once synced).
            let offices = match cli.user {
                Some(user) if Store::status(&path)?.set_up => {
                    accounts::sign_in(&path, Some(user))?.0.offices()?
                }
                _ => pelita_core::office::seed_offices(),
            };
            if json {
                println!("{}", serde_json::to_string_pretty(&offices)?);
            } else {
                for o in offices {
                    println!("{:<18} {}", o.code, o.name);
                }
            }
            Ok(())
        }
        Command::Employee { command } => {
            let (mut store, actor) = accounts::sign_in(&path, cli.user)?;
            employee(&mut store, &actor, command)
        }
    }
}

/// `pelita init --hub URL --code CODE --admin NAME`: the laptop set up from the hub.
fn init_from_hub(path: &Path, hub: &str, code: &str, admin: Option<String>) -> anyhow::Result<()> {
    let Some(username) = admin else {
        bail!("--admin NAMA wajib: basis data dienkripsi dan admin pertama adalah yang pertama dapat membukanya");
    };
    let password = accounts::new_password_from(
        "PELITA_PASSWORD",
        &format!("Kata sandi untuk admin '{username}'"),
    )?;
    let setup = pelita_store::Setup {
        office_code: String::new(),
        load_demo: false,
        full_name: username.clone(),
        username: username.clone(),
        password,
    };
    let device = pelita_sync::device_name();
    let (store, admin, first) = pelita_sync::set_up_from_hub(path, hub, code, &device, &setup)?;
    let info = store.info()?;
    println!("Basis data (terenkripsi): {}", info.db_path);
    println!("Berkas kunci: {}", info.key_file_path);
    if let Some(o) = &info.office {
        println!("Kantor: {} ({}), terdaftar di hub {hub}", o.name, o.code);
    }
    let roles: Vec<&str> = admin.roles.iter().map(|r| r.label()).collect();
    println!("Admin pertama: {username} ({})", roles.join(", "));
    match first {
        Ok(report) => println!(
            "Sinkronisasi pertama: {} baris diterima dari hub; pegawai di laptop ini: {}",
            report.pulled,
            store.info()?.employee_count
        ),
        Err(e) => println!(
            "Sinkronisasi pertama belum selesai ({e}); jalankan `pelita sync run` saat jaringan ada"
        ),
    }
    Ok(())
}

fn init(path: &Path, office: &str, demo: bool, admin: Option<String>) -> anyhow::Result<()> {
    let (username, password, demo_admin) = match admin {
        Some(name) => {
            let password = accounts::new_password_from(
                "PELITA_PASSWORD",
                &format!("Kata sandi untuk admin '{name}'"),
            )?;
            (name, password, false)
        }
        None if demo => ("admin".to_string(), pelita_store::demo_password(), true),
        None => bail!(
            "--admin NAMA wajib: basis data dienkripsi dan admin pertama adalah yang pertama dapat membukanya"
        ),
    };
    let setup = pelita_store::Setup {
        office_code: office.to_string(),
        load_demo: demo,
        username: username.clone(),
        full_name: format!("Admin {office}"),
        password: password.clone(),
    };
    let (mut store, admin) = Store::create(path, &setup)?;
    let info = store.info()?;
    println!("Basis data (terenkripsi): {}", info.db_path);
    println!("Berkas kunci: {}", info.key_file_path);
    println!("ID basis data: {}", info.database_id);
    if let Some(o) = &info.office {
        println!("Kantor: {} ({})", o.name, o.code);
    }
    println!("Pegawai: {}", info.employee_count);
    let roles: Vec<&str> = admin.roles.iter().map(|r| r.label()).collect();
    println!("Admin pertama: {username} ({})", roles.join(", "));
    if demo {
        println!();
        println!("Akun contoh — HANYA untuk mencoba; kata sandi ditampilkan sekali ini saja:");
        let shown = if demo_admin {
            password
        } else {
            "(kata sandi yang Anda berikan)".into()
        };
        println!("  {:<10} {:<16} {}", username, roles.join(", "), shown);
        for a in store.create_demo_accounts(&admin)? {
            println!("  {:<10} {:<16} {}", a.username, a.role, a.password);
        }
    }
    Ok(())
}

fn employee(store: &mut Store, actor: &Actor, command: EmployeeCommand) -> anyhow::Result<()> {
    match command {
        EmployeeCommand::List {
            json,
            search,
            office,
            status,
            all,
        } => {
            let office_id = office.as_deref().map(office_id_of).transpose()?;
            let status = match status {
                Some(s) => Some(EmploymentStatus::parse(&s).with_context(|| {
                    format!("status '{s}' tidak dikenal; isi PNS, CPNS, atau PPPK")
                })?),
                None => None,
            };
            let query = EmployeeQuery {
                search,
                office_id,
                status,
                active: if all { None } else { Some(true) },
                ..Default::default()
            };
            let rows = store.list_employees(actor, &query)?;
            if json {
                println!("{}", serde_json::to_string_pretty(&rows)?);
            } else {
                for e in &rows {
                    println!(
                        "{}  {:<40} {:<6} {:<6} {:<45} {}{}",
                        e.nip,
                        e.display_name,
                        e.status.label(),
                        e.golongan,
                        e.jabatan,
                        e.office_code,
                        if e.active { "" } else { "  (nonaktif)" }
                    );
                }
                println!("{} pegawai", rows.len());
            }
            Ok(())
        }
        EmployeeCommand::Import { file, dry_run } => import(store, actor, &file, dry_run),
        EmployeeCommand::Edit {
            nip,
            jabatan,
            golongan,
        } => {
            let query = EmployeeQuery {
                search: nip.trim().to_string(),
                ..Default::default()
            };
            let row = store
                .list_employees(actor, &query)?
                .into_iter()
                .find(|e| e.nip == nip.trim())
                .with_context(|| {
                    format!(
                        "pegawai dengan NIP {} tidak ada di daftar kantor Anda",
                        nip.trim()
                    )
                })?;
            let mut input = row.to_input();
            if let Some(j) = jabatan {
                input.jabatan = j;
            }
            if let Some(g) = golongan {
                input.golongan = g;
            }
            let saved = store.update_employee(actor, &row.id, row.version, &input)?;
            println!("{} disimpan (versi {})", saved.display_name, saved.version);
            Ok(())
        }
        EmployeeCommand::Export { file } => {
            let n = store
                .export_employee_file(actor, &file)
                .with_context(|| format!("berkas {}", file.display()))?;
            println!("{n} pegawai diekspor ke {}", file.display());
            Ok(())
        }
    }
}

/// The id of the office with this code (any case), or an Indonesian error naming the code.
pub(crate) fn office_id_of(code: &str) -> anyhow::Result<String> {
    Ok(pelita_core::office::seed_offices()
        .into_iter()
        .find(|o| o.code.eq_ignore_ascii_case(code))
        .with_context(|| format!("kode kantor '{code}' tidak dikenal"))?
        .id)
}

/// Prints each problem of an import as "file, baris N, kolom C: message" and fails, or passes.
pub(crate) fn refuse_on_row_errors(
    file: &Path,
    errors: &[pelita_core::columns::RowError],
    what: &str,
) -> anyhow::Result<()> {
    if errors.is_empty() {
        return Ok(());
    }
    for e in errors {
        eprintln!(
            "{}, baris {}, kolom {}: {}",
            file.display(),
            e.row,
            e.column,
            e.message
        );
    }
    bail!(
        "{} kesalahan pada {}; tidak ada {what} yang diimpor",
        errors.len(),
        file.display()
    )
}

fn import(store: &mut Store, actor: &Actor, file: &Path, dry_run: bool) -> anyhow::Result<()> {
    let bytes = pelita_sheet::file_bytes(file)?;
    let name = file.to_string_lossy();
    let report = store
        .import_employee_file(
            actor,
            &name,
            &bytes,
            if dry_run { Mode::Preview } else { Mode::Commit },
        )
        .with_context(|| format!("berkas {}", file.display()))?;
    refuse_on_row_errors(file, &report.errors, "pegawai")?;
    if dry_run {
        println!(
            "{} baris diperiksa, semuanya benar; tidak ada yang disimpan (--dry-run)",
            report.rows_in_file
        );
    } else {
        println!(
            "{} pegawai diimpor dari {}",
            report.imported,
            file.display()
        );
    }
    Ok(())
}
