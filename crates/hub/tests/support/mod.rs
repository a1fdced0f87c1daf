//! What the hub's process-level tests share: a `pelita-hub` process, office staff to sync.
#![allow(dead_code)] // each test binary uses a different part

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};

use pelita_core::employee::EmployeeInput;
use pelita_core::reference::{EmploymentStatus, JenisJabatan};
use pelita_store::Store;

/// Adds `count` PNS to `office`, numbered from `from` (distinct NIPs for distinct numbers).
pub fn add_staff(
    store: &mut Store,
    admin: &pelita_core::auth::Actor,
    office: &str,
    from: u32,
    count: u32,
) {
    for i in from..from + count {
        // Born 1960-1999 (of age at a TMT in 2020), 4,000 dates, then the sequence number moves
        // on: distinct, valid NIPs however long a soak runs.
        let (year, month, day) = (1960 + (i / 100) % 40, 1 + (i / 10) % 10, 1 + i % 10);
        let seq = 1 + (i / 4000) % 999;
        let input = EmployeeInput {
            nip: format!("{year:04}{month:02}{day:02}2020011{seq:03}"),
            gelar_depan: String::new(),
            name: "Pegawai Terjun".into(),
            gelar_belakang: String::new(),
            birth_date: None,
            sex: None,
            status: EmploymentStatus::Pns,
            golongan: "II/c".into(),
            jabatan: "Pelaksana".into(),
            jenis_jabatan: JenisJabatan::Pelaksana,
            office_id: pelita_core::office::office_id(office),
            atasan_id: None,
            contract_start: None,
            contract_end: None,
        };
        store.create_employee(admin, &input).unwrap();
    }
}

/// `pelita-hub serve` on the hub database kept at `db` (`local::database_args`), listening on
/// `listen`; returns the process and its URL once it says it listens. Its standard error is
/// closed from then on, as when a hub's log pipe is gone: it goes on serving (the log lines it
/// writes are lost, not fatal).
pub fn serve(db: &Path, listen: &str) -> (Child, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_pelita-hub"))
        .args(pelita_hub::local::database_args(db))
        .args(["serve", "--listen", listen])
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stderr.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    assert!(line.contains("mendengarkan"), "{line}");
    let url = line.trim().rsplit(' ').next().unwrap().to_string();
    (child, url)
}
