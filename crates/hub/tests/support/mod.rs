//! What the hub's process-level tests share: a `pelita-hub` process, office staff to sync.
#![allow(dead_code)] // each test binary uses a different part

use std::path::Path;
use std::process::Child;

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

/// `pelita-hub serve` on the hub database kept at `db`, listening on `listen`
/// (`local::spawn`): the process and its URL.
pub fn serve(db: &Path, listen: &str) -> (Child, String) {
    pelita_hub::local::spawn(Path::new(env!("CARGO_BIN_EXE_pelita-hub")), db, listen)
}
