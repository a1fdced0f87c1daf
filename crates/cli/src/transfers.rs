//! `pelita transfer …`: transfers (mutasi) between the district's offices — recorded by the
//! sending office, asked for by the receiving one, decided by the Kantor Camat.

use std::path::Path;

use anyhow::Context;
use pelita_core::auth::Actor;
use pelita_core::mutasi::{MutasiInput, MutasiStatus};
use pelita_store::{MutasiApproval, MutasiRow, Store};

use crate::accounts::sign_in;

#[derive(clap::Subcommand)]
pub enum TransferCommand {
    /// Mencatat mutasi: keluar dari kantor Anda, permintaan mutasi masuk ke kantor Anda, atau
    /// (Kantor Camat) mutasi yang langsung berlaku bila nomor SK ada dan TMT sudah tiba.
    Record {
        /// NIP pegawai.
        nip: String,
        /// Kode kantor tujuan.
        #[arg(long)]
        to: String,
        /// Kode kantor asal (hanya bila laptop ini belum memegang data pegawainya).
        #[arg(long)]
        from: Option<String>,
        /// Terhitung mulai tanggal (TTTT-BB-HH).
        #[arg(long)]
        tmt: String,
        /// Nomor SK mutasi.
        #[arg(long)]
        sk: Option<String>,
        /// Nama sebagaimana tertulis di SK (bila laptop ini belum memegang datanya).
        #[arg(long)]
        name: Option<String>,
        /// NIP atasan langsung di kantor tujuan.
        #[arg(long)]
        atasan: Option<String>,
        #[arg(long)]
        note: Option<String>,
    },
    /// Mutasi yang menyangkut kantor Anda (Kantor Camat: semua), yang menunggu lebih dulu.
    List {
        #[arg(long)]
        json: bool,
    },
    /// Menyetujui mutasi seorang pegawai yang menunggu (Admin Kecamatan, di laptop Kantor Camat).
    Approve {
        nip: String,
        #[arg(long)]
        sk: Option<String>,
        /// NIP atasan langsung di kantor tujuan (bawaan: yang diajukan, atau pimpinan kantor itu).
        #[arg(long)]
        atasan: Option<String>,
    },
    /// Menolak mutasi yang menunggu, dengan alasannya (Admin Kecamatan).
    Reject {
        nip: String,
        #[arg(long)]
        reason: String,
    },
    /// Membatalkan permintaan mutasi kantor Anda yang masih menunggu.
    Cancel { nip: String },
}

/// The office with this code among those the laptop knows (the hub's, once synced).
fn office(store: &Store, code: &str) -> anyhow::Result<String> {
    Ok(store
        .offices()?
        .into_iter()
        .find(|o| o.code.eq_ignore_ascii_case(code.trim()))
        .with_context(|| format!("kode kantor '{code}' tidak dikenal di laptop ini"))?
        .id)
}

/// The id of the employee with this NIP that `actor` sees.
fn employee(store: &mut Store, actor: &Actor, nip: &str) -> anyhow::Result<String> {
    let query = pelita_store::EmployeeQuery {
        search: nip.trim().to_string(),
        ..Default::default()
    };
    Ok(store
        .list_employees(actor, &query)?
        .into_iter()
        .find(|e| e.nip == nip.trim())
        .with_context(|| format!("pegawai dengan NIP {} tidak ada di daftar Anda", nip.trim()))?
        .id)
}

/// The transfer of this NIP still waiting for a decision.
fn waiting(store: &mut Store, actor: &Actor, nip: &str) -> anyhow::Result<MutasiRow> {
    store
        .mutasi_list(actor)?
        .into_iter()
        .find(|m| m.nip == nip.trim() && m.status == MutasiStatus::Diajukan)
        .with_context(|| {
            format!(
                "tidak ada mutasi NIP {} yang menunggu keputusan",
                nip.trim()
            )
        })
}

fn print(m: &MutasiRow) {
    println!(
        "{}  {:<30} {} → {}  TMT {}  {}{}",
        m.nip,
        m.employee_name,
        m.from_office_name,
        m.to_office_name,
        m.tmt,
        m.status.label(),
        if m.sk_number.is_empty() {
            String::new()
        } else {
            format!("  SK {}", m.sk_number)
        }
    );
}

pub fn transfer(path: &Path, who: Option<String>, command: TransferCommand) -> anyhow::Result<()> {
    let (mut store, actor) = sign_in(path, who)?;
    match command {
        TransferCommand::Record {
            nip,
            to,
            from,
            tmt,
            sk,
            name,
            atasan,
            note,
        } => {
            let input = MutasiInput {
                nip,
                employee_name: name.unwrap_or_default(),
                from_office_id: from.map(|c| office(&store, &c)).transpose()?,
                to_office_id: office(&store, &to)?,
                tmt,
                sk_number: sk.unwrap_or_default(),
                note: note.unwrap_or_default(),
                to_atasan_id: atasan
                    .map(|n| employee(&mut store, &actor, &n))
                    .transpose()?,
            };
            let m = store.record_mutasi(&actor, &input)?;
            print(&m);
        }
        TransferCommand::List { json } => {
            let rows = store.mutasi_list(&actor)?;
            if json {
                println!("{}", serde_json::to_string_pretty(&rows)?);
            } else {
                rows.iter().for_each(print);
                println!("{} mutasi", rows.len());
            }
        }
        TransferCommand::Approve { nip, sk, atasan } => {
            let m = waiting(&mut store, &actor, &nip)?;
            let approval = MutasiApproval {
                sk_number: sk.unwrap_or_default(),
                atasan_id: atasan
                    .map(|n| employee(&mut store, &actor, &n))
                    .transpose()?,
            };
            print(&store.approve_mutasi(&actor, &m.id, m.version, &approval)?);
        }
        TransferCommand::Reject { nip, reason } => {
            let m = waiting(&mut store, &actor, &nip)?;
            print(&store.reject_mutasi(&actor, &m.id, m.version, &reason)?);
        }
        TransferCommand::Cancel { nip } => {
            let m = waiting(&mut store, &actor, &nip)?;
            print(&store.cancel_mutasi(&actor, &m.id, m.version)?);
        }
    }
    Ok(())
}
