//! Test support shared by the cross-crate tests: a real hub on 127.0.0.1 and office databases.
#![allow(dead_code)] // each test binary uses a different part

use std::path::Path;

use pelita_core::appraisal::form::{AppraisalInput, BehaviourRating, RhkItem, RhkJenis};
use pelita_core::appraisal::{Aspect, CoreValue, Period, Rating};
use pelita_core::auth::{Actor, Role};
use pelita_core::employee::EmployeeInput;
use pelita_core::reference::{EmploymentStatus, JenisJabatan};
use pelita_store::{Setup, Store};

pub mod link;
pub mod transfer;

pub const PW: &str = "Sandi-Uji-Sinkron-1";

pub use pelita_hub::local::LocalHub as Hub;

/// An office laptop: its own encrypted database, its first admin signed in.
pub struct Laptop {
    pub store: Store,
    pub admin: Actor,
    pub office_code: String,
}

impl Laptop {
    pub fn new(dir: &Path, name: &str, office_code: &str) -> Laptop {
        let (store, admin) = Store::create(
            dir.join(format!("{name}.sqlite")),
            &Setup {
                office_code: office_code.into(),
                load_demo: false,
                username: "admin".into(),
                full_name: "Admin Kecamatan".into(),
                password: PW.into(),
            },
        )
        .unwrap();
        Laptop {
            store,
            admin,
            office_code: office_code.into(),
        }
    }

    /// Enrols at the hub with a fresh code for its office.
    pub fn enrol(&mut self, hub: &Hub) {
        let url = hub.url.clone();
        self.enrol_through(hub, &url);
    }

    /// Enrols at the hub, reaching it at `url` (a `link::Link` in front of it) from now on.
    pub fn enrol_through(&mut self, hub: &Hub, url: &str) {
        let code = hub.code_for(&self.office_code);
        let admin = self.admin.clone();
        pelita_sync::enroll(&mut self.store, &admin, url, &code, &self.office_code).unwrap();
    }

    pub fn sync(&mut self) -> pelita_store::SyncReport {
        pelita_sync::run(&mut self.store, &pelita_sync::Options::default()).unwrap()
    }

    /// Adds a PNS of this laptop's office; `n` (1–9) makes the NIP distinct.
    pub fn add_employee(&mut self, n: u32, name: &str) -> pelita_store::EmployeeRow {
        let office = self.office_code.clone();
        self.add_employee_of(n, name, &office)
    }

    /// Adds a PNS of `office_code` (an HQ laptop may register anyone).
    pub fn add_employee_of(
        &mut self,
        n: u32,
        name: &str,
        office_code: &str,
    ) -> pelita_store::EmployeeRow {
        let admin = self.admin.clone();
        let input = EmployeeInput {
            nip: format!("19950505202012100{n}"),
            name: name.into(),
            ..employee_input(office_code)
        };
        self.store.create_employee(&admin, &input).unwrap()
    }

    /// Registers `count` more PNS of this laptop's office (distinct NIPs, numbered on).
    /// Changes an employee's jabatan on this laptop (the usual edit of the sync stories).
    pub fn set_jabatan(&mut self, employee_id: &str, jabatan: &str) {
        let admin = self.admin.clone();
        let row = self
            .store
            .employee_detail(&admin, employee_id)
            .unwrap()
            .employee;
        let mut input = row.to_input();
        input.jabatan = jabatan.into();
        self.store
            .update_employee(&admin, employee_id, row.version, &input)
            .unwrap();
    }

    pub fn add_staff(&mut self, count: u32) {
        let admin = self.admin.clone();
        let from = self
            .store
            .list_employees(&admin, &Default::default())
            .unwrap()
            .len() as u32;
        for i in from..from + count {
            let (year, month, day) = (1960 + i / 100, 1 + (i / 10) % 10, 1 + i % 10);
            let input = EmployeeInput {
                nip: format!("{year:04}{month:02}{day:02}202001100{}", 1 + i % 9),
                name: "Pegawai Kelurahan".into(),
                ..employee_input(&self.office_code)
            };
            self.store.create_employee(&admin, &input).unwrap();
        }
    }

    /// NIPs of every active employee this laptop holds (also of other offices, which its own
    /// admin does not list: the district's staff, someone who moved away).
    pub fn nips(&mut self) -> Vec<String> {
        let conn = self.store.connection();
        let mut stmt = conn
            .prepare("SELECT nip FROM employee WHERE deleted = 0 AND active = 1 ORDER BY nip")
            .unwrap();
        let nips = stmt.query_map([], |r| r.get(0)).unwrap();
        nips.collect::<rusqlite::Result<_>>().unwrap()
    }
}

/// A hub and three enrolled laptops: Terjun, Paya Pasir and the Kantor Camat (HQ).
pub fn district(dir: &Path) -> (Hub, Laptop, Laptop, Laptop) {
    let hub = Hub::start(&dir.join("hub.sqlite")).unwrap();
    let mut terjun = Laptop::new(dir, "terjun", "TERJUN");
    let mut paya = Laptop::new(dir, "paya", "PAYA-PASIR");
    let mut hq = Laptop::new(dir, "hq", "KEC-MARELAN");
    for l in [&mut terjun, &mut paya, &mut hq] {
        l.enrol(&hub);
    }
    (hub, terjun, paya, hq)
}

/// A valid PNS of `office_code` (NIP and name to be set).
pub fn employee_input(office_code: &str) -> EmployeeInput {
    EmployeeInput {
        nip: String::new(),
        gelar_depan: String::new(),
        name: String::new(),
        gelar_belakang: String::new(),
        birth_date: None,
        sex: None,
        status: EmploymentStatus::Pns,
        golongan: "II/c".into(),
        jabatan: "Pelaksana".into(),
        jenis_jabatan: JenisJabatan::Pelaksana,
        office_id: pelita_core::office::office_id(office_code),
        atasan_id: None,
        contract_start: None,
        contract_end: None,
    }
}

/// The Lurah's Triwulan I appraisal of `employee_id`.
pub fn appraisal_form(employee_id: &str, hasil: Rating) -> AppraisalInput {
    AppraisalInput {
        employee_id: employee_id.into(),
        year: 2026,
        period: Period::TriwulanI,
        month: None,
        items: vec![RhkItem {
            jenis: RhkJenis::Utama,
            indikator: "Persentase surat keterangan selesai dalam 1 hari".into(),
            aspek: Aspect::Kuantitas,
            target: 90.0,
            realisasi: Some(92.0),
            satuan: "persen".into(),
            umpan_balik: String::new(),
            uraian_target: None,
        }],
        behaviour: CoreValue::ALL
            .into_iter()
            .map(|value| BehaviourRating {
                value,
                rating: Some(Rating::Sesuai),
                ekspektasi: String::new(),
                umpan_balik: String::new(),
            })
            .collect(),
        hasil_kerja: Some(hasil),
        perilaku_kerja: Some(Rating::Sesuai),
    }
}

/// The Lurah (the employee with NIP `nip`) signed in on laptop `l` as "lurah", their account made
/// on first use; None while the laptop does not hold them.
pub fn lurah(l: &mut Laptop, nip: &str) -> Option<Actor> {
    if let Ok(actor) = l.store.login("lurah", PW) {
        return Some(actor);
    }
    let admin = l.admin.clone();
    let user = pelita_store::NewUser {
        username: "lurah".into(),
        full_name: "Lurah".into(),
        roles: vec![Role::Pegawai],
        office_code: None,
        employee_nip: Some(nip.into()),
        password: PW.into(),
    };
    l.store.add_user(&admin, &user).ok()?;
    l.store.login("lurah", PW).ok()
}

/// A raw protocol request, as a misbehaving client could send it.
pub fn raw(hub: &Hub, path: &str, token: &str, database: &str, body: Vec<u8>) -> (u16, Vec<u8>) {
    let request = ureq::post(&format!("{}{path}", hub.url))
        .set(
            pelita_proto::PROTOCOL_HEADER,
            &pelita_proto::PROTOCOL_VERSION.to_string(),
        )
        .set(pelita_proto::DATABASE_HEADER, database)
        .set("authorization", &format!("Bearer {token}"));
    let response = match request.send_bytes(&body) {
        Ok(r) => r,
        Err(ureq::Error::Status(_, r)) => r,
        Err(e) => panic!("{e}"),
    };
    let status = response.status();
    let mut bytes = Vec::new();
    std::io::Read::read_to_end(&mut response.into_reader(), &mut bytes).unwrap();
    (status, bytes)
}

pub fn token_of(l: &Laptop) -> (String, String) {
    let e = l.store.sync_enrolment().unwrap().unwrap();
    (e.token, e.database_id)
}
