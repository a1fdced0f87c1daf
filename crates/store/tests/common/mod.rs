//! Helpers shared by the store's integration tests.
#![allow(dead_code)] // each test binary uses a different part

use pelita_core::employee::EmployeeInput;
use pelita_core::reference::{EmploymentStatus, JenisJabatan};

/// A valid new PNS employee for the office with id `office_id`.
pub fn new_employee(office_id: &str) -> EmployeeInput {
    EmployeeInput {
        nip: "199505052020121001".into(),
        gelar_depan: String::new(),
        name: "Pegawai Baru".into(),
        gelar_belakang: String::new(),
        birth_date: None,
        sex: None,
        status: EmploymentStatus::Pns,
        golongan: "II/c".into(),
        jabatan: "Pelaksana".into(),
        jenis_jabatan: JenisJabatan::Pelaksana,
        office_id: office_id.into(),
        atasan_id: None,
    }
}

/// Sets up a new encrypted database in `dir` with the first admin `admin` / `password`.
pub fn create(
    dir: &std::path::Path,
    office_code: &str,
    load_demo: bool,
    password: &str,
) -> (pelita_store::Store, pelita_core::auth::Actor) {
    pelita_store::Store::create(
        dir.join("office.sqlite"),
        &pelita_store::Setup {
            office_code: office_code.into(),
            load_demo,
            username: "admin".into(),
            full_name: "Admin Kecamatan".into(),
            password: password.into(),
        },
    )
    .unwrap()
}
