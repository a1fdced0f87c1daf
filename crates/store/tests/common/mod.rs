//! Helpers shared by the store's integration tests.

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
