//! `pelita user …`, `pelita audit …`, and signing in from the command line.

use std::path::Path;

use anyhow::{bail, Context};
use clap::Subcommand;
use pelita_core::auth::{Actor, Role};
use pelita_store::{NewUser, Store};

#[derive(Subcommand)]
pub enum UserCommand {
    /// Menambah akun.
    Add {
        username: String,
        /// Nama lengkap.
        #[arg(long)]
        name: String,
        /// Peran: Operator, "Admin Kantor", Pegawai, dan di laptop Kantor Camat "Admin Kecamatan"
        /// (boleh diulang).
        #[arg(long = "role", required = true)]
        roles: Vec<String>,
        /// Kode kantor (bawaan: kantor laptop ini).
        #[arg(long)]
        office: Option<String>,
        /// NIP pegawai pemilik akun.
        #[arg(long)]
        nip: Option<String>,
    },
    /// Daftar akun.
    List {
        #[arg(long)]
        json: bool,
    },
    /// Mengganti kata sandi sendiri, atau (admin) mengatur ulang kata sandi orang lain.
    Passwd { username: Option<String> },
    /// Menonaktifkan akun.
    Disable { username: String },
}

#[derive(Subcommand)]
pub enum MeCommand {
    /// Menampilkan data diri.
    Show {
        #[arg(long)]
        json: bool,
    },
    /// Mengekspor data diri ke berkas JSON (hak akses subjek data, UU 27/2022); tercatat di log audit.
    Export { file: std::path::PathBuf },
}

#[derive(Subcommand)]
pub enum AuditCommand {
    /// Menampilkan log audit, terbaru di atas.
    List {
        /// Sebagian nama pengguna.
        #[arg(long, default_value = "")]
        actor: String,
        /// login, failed_login, create, update, export, permission_denied, ...
        #[arg(long, default_value = "")]
        action: String,
        #[arg(long)]
        json: bool,
    },
    /// Memeriksa rantai hash log audit dan menyebut entri pertama yang rusak.
    Verify {
        #[arg(long)]
        json: bool,
    },
}

/// The password for a command: `PELITA_PASSWORD`, or asked on the terminal.
pub fn password(prompt: &str) -> anyhow::Result<String> {
    if let Ok(p) = std::env::var("PELITA_PASSWORD") {
        return Ok(p);
    }
    rpassword::prompt_password(format!("{prompt}: "))
        .context("kata sandi tidak dapat dibaca dari terminal")
}

/// A new password from `env_var`, or asked twice. (`PELITA_PASSWORD` is the signed-in user's own,
/// so a password for someone else comes from `PELITA_NEW_PASSWORD`.)
pub fn new_password_from(env_var: &str, prompt: &str) -> anyhow::Result<String> {
    if let Ok(p) = std::env::var(env_var) {
        return Ok(p);
    }
    let first = rpassword::prompt_password(format!("{prompt}: "))
        .context("kata sandi tidak dapat dibaca dari terminal")?;
    let again = rpassword::prompt_password("Ulangi kata sandi: ")
        .context("kata sandi tidak dapat dibaca dari terminal")?;
    if first != again {
        bail!("kedua kata sandi tidak sama");
    }
    Ok(first)
}

fn username(user: Option<String>) -> anyhow::Result<String> {
    user.context("perintah ini membutuhkan --user NAMA (atau PELITA_USER)")
}

/// Signs in as `--user` / `PELITA_USER`, which opens the encrypted database.
pub fn sign_in(path: &Path, user: Option<String>) -> anyhow::Result<(Store, Actor)> {
    let username = username(user)?;
    let pw = password(&format!("Kata sandi {username}"))?;
    Ok(Store::unlock(path, &username, &pw)?)
}

/// `pelita restore FILE`: into this laptop's database, or onto a laptop that has none.
pub fn restore(path: &Path, user: Option<String>, file: &Path) -> anyhow::Result<()> {
    let (info, replaced) = if Store::status(path)?.set_up {
        let (mut store, actor) = sign_in(path, user)?;
        let report = store.restore(&actor, file)?;
        (store.info()?, report.replaced_file)
    } else {
        let username = username(user)?;
        let pw = password(&format!("Kata sandi {username} (saat cadangan dibuat)"))?;
        let (store, _) = Store::restore_new(path, file, &username, &pw)?;
        (store.info()?, None)
    };
    println!(
        "Basis data {} dipulihkan dari {} (pemulihan ke-{}); sinkronisasi berikutnya memuat ulang data dari pusat",
        info.database_id,
        file.display(),
        info.restore_generation
    );
    if let Some(old) = replaced {
        println!("Berkas lama disimpan sebagai {old}");
    }
    Ok(())
}

pub fn user(path: &Path, who: Option<String>, command: UserCommand) -> anyhow::Result<()> {
    let (mut store, actor) = sign_in(path, who)?;
    match command {
        UserCommand::Add {
            username,
            name,
            roles,
            office,
            nip,
        } => {
            let roles = roles
                .iter()
                .map(|r| Role::parse(r).with_context(|| format!("peran '{r}' tidak dikenal; pilih Operator, \"Admin Kantor\", \"Admin Kecamatan\" atau Pegawai")))
                .collect::<anyhow::Result<Vec<_>>>()?;
            let password = new_password_from(
                "PELITA_NEW_PASSWORD",
                &format!("Kata sandi untuk {username}"),
            )?;
            let row = store.add_user(
                &actor,
                &NewUser {
                    username,
                    full_name: name,
                    roles,
                    office_code: office,
                    employee_nip: nip,
                    password,
                },
            )?;
            println!(
                "Akun {} dibuat ({})",
                row.username,
                row.roles
                    .iter()
                    .map(|r| r.label())
                    .collect::<Vec<_>>()
                    .join(", ")
            );
        }
        UserCommand::List { json } => {
            let users = store.list_users(&actor)?;
            if json {
                println!("{}", serde_json::to_string_pretty(&users)?);
            } else {
                for u in users {
                    let roles = u
                        .roles
                        .iter()
                        .map(|r| r.label())
                        .collect::<Vec<_>>()
                        .join(", ");
                    println!(
                        "{:<16} {:<32} {:<30} {}",
                        u.username,
                        u.full_name,
                        roles,
                        if u.active { "aktif" } else { "nonaktif" }
                    );
                }
            }
        }
        UserCommand::Passwd { username } => match username {
            Some(name) if !name.eq_ignore_ascii_case(&actor.username) => {
                let new = new_password_from(
                    "PELITA_NEW_PASSWORD",
                    &format!("Kata sandi baru untuk {name}"),
                )?;
                store.reset_password(&actor, &name, &new)?;
                println!("Kata sandi {name} telah diatur ulang");
            }
            _ => {
                let current = password("Kata sandi lama")?;
                let new = std::env::var("PELITA_NEW_PASSWORD")
                    .or_else(|_| rpassword::prompt_password("Kata sandi baru: "))
                    .context("kata sandi baru tidak dapat dibaca")?;
                store.change_password(&actor, &current, &new)?;
                println!("Kata sandi telah diganti");
            }
        },
        UserCommand::Disable { username } => {
            store.disable_user(&actor, &username)?;
            println!("Akun {username} dinonaktifkan");
        }
    }
    Ok(())
}

pub fn audit(path: &Path, who: Option<String>, command: AuditCommand) -> anyhow::Result<()> {
    let (mut store, actor) = sign_in(path, who)?;
    match command {
        AuditCommand::List {
            actor: who,
            action,
            json,
        } => {
            let filter = pelita_store::AuditFilter {
                actor: who,
                action,
                ..Default::default()
            };
            let rows = store.browse_audit(&actor, &filter)?;
            if json {
                println!("{}", serde_json::to_string_pretty(&rows)?);
            } else {
                for e in rows {
                    println!(
                        "{:>6}  {}  {:<16} {:<18} {:<10} {}",
                        e.seq, e.at, e.actor, e.action, e.entity, e.detail
                    );
                }
            }
            Ok(())
        }
        AuditCommand::Verify { json } => {
            let result = store.verify_audit_as(&actor)?;
            if json {
                println!("{}", serde_json::to_string_pretty(&result)?);
            }
            match result.first_broken {
                None => {
                    if !json {
                        println!(
                            "Log audit utuh: {} entri, rantai hash benar",
                            result.entries
                        );
                    }
                    Ok(())
                }
                Some(b) => bail!("log audit rusak mulai entri {}: {}", b.seq, b.reason),
            }
        }
    }
}

pub fn me(path: &Path, who: Option<String>, command: MeCommand) -> anyhow::Result<()> {
    let (mut store, actor) = sign_in(path, who)?;
    match command {
        MeCommand::Show { json } => {
            let record = store.own_record(&actor)?;
            if json {
                println!("{}", serde_json::to_string_pretty(&record)?);
            } else {
                println!(
                    "{} ({}) — {}",
                    record.full_name,
                    record.username,
                    record.roles.join(", ")
                );
                if let Some(e) = record.employee {
                    println!(
                        "NIP {}  {}  {} {}  {}",
                        e.nip,
                        e.display_name,
                        e.status.label(),
                        e.golongan,
                        e.jabatan
                    );
                    println!("{}", e.office_name);
                }
            }
        }
        MeCommand::Export { file } => {
            store.export_own_record_file(&actor, &file)?;
            println!("Data diri disimpan ke {}", file.display());
        }
    }
    Ok(())
}
