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
        contract_start: None,
        contract_end: None,
    }
}

/// A new database holding the demo register only — not the demo's two years of history — for
/// tests that count trainings, JP or appraisals from nothing (and to keep them fast).
pub fn create_register(
    dir: &std::path::Path,
    office_code: &str,
    password: &str,
) -> (pelita_store::Store, pelita_core::auth::Actor) {
    let (mut store, admin) = create(dir, office_code, false, password);
    store.load_demo_register(&admin).unwrap();
    // A demo holds the whole district: its admin is the Kantor Camat's from now on.
    let admin = store.refresh_actor(&admin).unwrap();
    (store, admin)
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

/// A Terjun demo office whose register is known from early January 2026, "today" pinned to
/// 30 November 2026, for the appraisal tests.
pub mod appraisal {
    use chrono::NaiveDate;
    use pelita_core::appraisal::form::{AppraisalInput, BehaviourRating, RhkItem, RhkJenis};
    use pelita_core::appraisal::{Aspect, CoreValue, Period, Rating};
    use pelita_core::auth::{Actor, Role};
    use pelita_store::{EmployeeQuery, EmployeeRow, NewUser, PeriodRef, Store};

    pub const PW: &str = "Lampu-Marelan-2026";

    pub struct Office {
        _dir: tempfile::TempDir,
        pub store: Store,
        pub admin: Actor,
        pub everyone: Vec<EmployeeRow>,
    }

    impl Office {
        pub fn new() -> Office {
            let dir = tempfile::tempdir().unwrap();
            let (mut store, admin) = super::create(dir.path(), "TERJUN", false, PW);
            // The register (and so each atasan) is known from early January.
            store.pin_today(day(2026, 1, 5)).unwrap();
            store.load_demo_register(&admin).unwrap();
            let admin = store.refresh_actor(&admin).unwrap();
            store.pin_today(day(2026, 11, 30)).unwrap();
            let everyone = store
                .list_employees(&admin, &EmployeeQuery::default())
                .unwrap();
            Office {
                _dir: dir,
                store,
                admin,
                everyone,
            }
        }

        pub fn find(&self, f: impl Fn(&EmployeeRow) -> bool) -> EmployeeRow {
            self.everyone.iter().find(|e| f(e)).unwrap().clone()
        }

        pub fn lurah(&self) -> EmployeeRow {
            self.find(|e| e.office_code == "TERJUN" && e.jabatan == "Lurah")
        }

        pub fn reports_of(&self, id: &str) -> Vec<EmployeeRow> {
            self.everyone
                .iter()
                .filter(|e| e.atasan_id.as_deref() == Some(id))
                .cloned()
                .collect()
        }

        /// A plain Pegawai account for `e` at their office; Penilai (and Pimpinan) follow from the
        /// register.
        pub fn account(&mut self, username: &str, e: &EmployeeRow) -> Actor {
            let user = NewUser {
                username: username.into(),
                full_name: e.display_name.clone(),
                roles: vec![Role::Pegawai],
                office_code: Some(e.office_code.clone()),
                employee_nip: Some(e.nip.clone()),
                password: PW.into(),
            };
            self.store.add_user(&self.admin, &user).unwrap();
            self.store.login(username, PW).unwrap()
        }
    }

    pub fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    pub fn period(p: Period) -> PeriodRef {
        PeriodRef {
            year: 2026,
            period: p,
            month: None,
        }
    }

    pub fn form(
        employee: &EmployeeRow,
        p: Period,
        hasil: Rating,
        perilaku: Rating,
    ) -> AppraisalInput {
        AppraisalInput {
            employee_id: employee.id.clone(),
            year: 2026,
            period: p,
            month: None,
            items: vec![
                RhkItem {
                    jenis: RhkJenis::Utama,
                    indikator: "Persentase surat keterangan selesai dalam 1 hari".into(),
                    aspek: Aspect::Kuantitas,
                    target: 90.0,
                    realisasi: Some(95.0),
                    satuan: "persen".into(),
                    umpan_balik: "Pertahankan".into(),
                    uraian_target: None,
                },
                RhkItem {
                    jenis: RhkJenis::Tambahan,
                    indikator: "Waktu rata-rata layanan".into(),
                    aspek: Aspect::Waktu,
                    target: 60.0,
                    realisasi: Some(45.0),
                    satuan: "menit".into(),
                    umpan_balik: String::new(),
                    uraian_target: None,
                },
            ],
            behaviour: CoreValue::ALL
                .into_iter()
                .map(|value| BehaviourRating {
                    value,
                    rating: Some(perilaku),
                    ekspektasi: String::new(),
                    umpan_balik: String::new(),
                })
                .collect(),
            hasil_kerja: Some(hasil),
            perilaku_kerja: Some(perilaku),
        }
    }
}

/// A database with the demo data, today pinned after every training in the tests, and the
/// employees of Kelurahan Terjun.
pub mod training {
    use pelita_core::auth::Actor;
    use pelita_core::office::office_id;
    use pelita_core::training::{AttendanceStatus, Method, Route, SessionInput, TrainingInput};
    use pelita_store::{AttendanceEntry, EmployeeQuery, EmployeeRow, Store};

    pub const PW: &str = "Lampu-Marelan-2026";

    pub struct World {
        pub _dir: tempfile::TempDir,
        pub store: Store,
        pub admin: Actor,
        pub terjun: Vec<EmployeeRow>,
    }

    pub fn world() -> World {
        let dir = tempfile::tempdir().unwrap();
        let (mut store, admin) = super::create_register(dir.path(), "TERJUN", PW);
        // Late enough that every training in these tests has ended.
        store
            .pin_today(chrono::NaiveDate::from_ymd_opt(2027, 6, 30).unwrap())
            .unwrap();
        let terjun = store
            .list_employees(
                &admin,
                &EmployeeQuery {
                    office_id: Some(office_id("TERJUN")),
                    ..Default::default()
                },
            )
            .unwrap();
        World {
            _dir: dir,
            store,
            admin,
            terjun,
        }
    }

    /// Terjun's Lurah signed in (a Pegawai account "lurah": Penilai follows from the register)
    /// and a staff member who reports to them — the atasan and the pegawai of the L3 tests.
    pub fn lurah_and_report(w: &mut World) -> (Actor, EmployeeRow) {
        let lurah = w
            .terjun
            .iter()
            .find(|e| e.jabatan == "Lurah")
            .unwrap()
            .clone();
        let staff = w
            .terjun
            .iter()
            .find(|e| e.atasan_id.as_deref() == Some(lurah.id.as_str()))
            .unwrap()
            .clone();
        let admin = w.admin.clone();
        w.store
            .add_user(
                &admin,
                &pelita_store::NewUser {
                    username: "lurah".into(),
                    full_name: lurah.name.clone(),
                    roles: vec![pelita_core::auth::Role::Pegawai],
                    office_code: None,
                    employee_nip: Some(lurah.nip.clone()),
                    password: PW.into(),
                },
            )
            .unwrap();
        (w.store.login("lurah", PW).unwrap(), staff)
    }

    pub fn training(start: &str, end: &str, sessions: &[&str], capacity: u32) -> TrainingInput {
        TrainingInput {
            title: "Pelayanan Prima".into(),
            theme: "Pelayanan Publik".into(),
            route: Route::BimbinganTeknis,
            method: Method::implied_by(Route::BimbinganTeknis),
            organiser: "Kelurahan Terjun".into(),
            owner_office_id: office_id("TERJUN"),
            location: "Aula Kelurahan".into(),
            start_date: start.into(),
            end_date: end.into(),
            sessions: sessions
                .iter()
                .map(|d| SessionInput {
                    date: (*d).into(),
                    start_time: "08:00".into(),
                    end_time: "12:30".into(),
                })
                .collect(),
            jp: 12,
            capacity,
            certificate: true,
            completion_share: 100,
            objectives: Vec::new(),
        }
    }

    pub fn present(e: &EmployeeRow) -> AttendanceEntry {
        AttendanceEntry {
            employee_id: e.id.clone(),
            status: AttendanceStatus::Hadir,
            reason: None,
            note: String::new(),
        }
    }
}
