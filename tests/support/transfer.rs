//! The district of the transfer tests: Terjun (Lurah Ani, Budi), Paya Pasir (Lurah Citra, Dedi)
//! and the Kantor Camat behind one hub, "today" pinned on every laptop.
#![allow(dead_code)] // each test binary uses a different part

use chrono::NaiveDate;
use pelita_core::appraisal::{Period, Rating};
use pelita_core::auth::Actor;
use pelita_core::mutasi::MutasiInput;
use pelita_core::office::office_id;
use pelita_core::training::{
    AttendanceStatus, Method, SessionInput, TrainingInput, TrainingStatus, REACTION_ITEMS,
};
use pelita_store::{AttendanceEntry, MutasiApproval, PeriodRef, StoreError};

use super::{appraisal_form, employee_input, Hub, Laptop, PW};

pub const ANI: &str = "197001012000011001"; // Lurah Terjun
pub const BUDI: &str = "198202022006011002";
pub const CITRA: &str = "198503032008012003"; // Lurah Paya Pasir
pub const DEDI: &str = "198704042010011004";

pub fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

pub struct District {
    pub _dir: tempfile::TempDir,
    pub _hub: Hub,
    pub terjun: Laptop,
    pub paya: Laptop,
    pub hq: Laptop,
}

impl District {
    pub fn pin(&mut self, today: &str) {
        for l in [&mut self.terjun, &mut self.paya, &mut self.hq] {
            l.store.pin_today(day(today)).unwrap();
        }
    }

    pub fn sync_all(&mut self) {
        for _ in 0..2 {
            for l in [&mut self.terjun, &mut self.hq, &mut self.paya] {
                let report = l.sync();
                assert_eq!(report.rejected, 0, "{report:?}");
            }
        }
    }
}

pub fn register(
    l: &mut Laptop,
    nip: &str,
    name: &str,
    jabatan: &str,
    atasan: Option<&str>,
) -> String {
    let admin = l.admin.clone();
    let office = l.office_code.clone();
    let input = pelita_core::employee::EmployeeInput {
        nip: nip.into(),
        name: name.into(),
        jabatan: jabatan.into(),
        atasan_id: atasan.map(str::to_string),
        ..employee_input(&office)
    };
    l.store.create_employee(&admin, &input).unwrap().id
}

/// The person with `nip` signed in on `l` as `username` (their account made on first use).
pub fn person(l: &mut Laptop, username: &str, nip: &str) -> Actor {
    if let Ok(a) = l.store.login(username, PW) {
        return a;
    }
    let admin = l.admin.clone();
    let user = pelita_store::NewUser {
        username: username.into(),
        full_name: username.into(),
        roles: vec![pelita_core::auth::Role::Pegawai],
        office_code: None,
        employee_nip: Some(nip.into()),
        password: PW.into(),
    };
    l.store.add_user(&admin, &user).unwrap();
    l.store.login(username, PW).unwrap()
}

pub fn quarter(period: Period) -> PeriodRef {
    PeriodRef {
        year: 2026,
        period,
        month: None,
    }
}

/// Whom `who` appraises in `period`, by NIP.
pub fn roster(l: &mut Laptop, who: &Actor, period: Period) -> Vec<String> {
    let mut nips: Vec<String> = l
        .store
        .appraisal_roster(who, &quarter(period))
        .unwrap()
        .into_iter()
        .map(|line| line.employee.nip)
        .collect();
    nips.sort();
    nips
}

/// A district in January 2026: Terjun (Lurah Ani, Budi), Paya Pasir (Lurah Citra, Dedi), synced;
/// in March Budi completes Terjun's own two-day training (8 JP) and answers its L1 questionnaire,
/// and in April Ani signs his Triwulan I appraisal.
pub fn district() -> (District, String) {
    let dir = tempfile::tempdir().unwrap();
    let (hub, terjun, paya, hq) = super::district(dir.path());
    let mut d = District {
        _dir: dir,
        _hub: hub,
        terjun,
        paya,
        hq,
    };
    d.pin("2026-01-05");
    let ani = register(&mut d.terjun, ANI, "Ani Lubis", "Lurah", None);
    let budi = register(
        &mut d.terjun,
        BUDI,
        "Budi Nasution",
        "Pelaksana",
        Some(&ani),
    );
    let citra = register(&mut d.paya, CITRA, "Citra Siregar", "Lurah", None);
    register(&mut d.paya, DEDI, "Dedi Harahap", "Pelaksana", Some(&citra));
    d.sync_all();

    d.pin("2026-03-10");
    let l = &mut d.terjun;
    let admin = l.admin.clone();
    let input = terjun_training("Bimtek Pelayanan Prima", &["2026-03-02", "2026-03-03"]);
    let t = l.store.create_training(&admin, &input).unwrap();
    l.store.enrol(&admin, &t.id, &budi).unwrap();
    for session in &t.session_ids {
        let present = AttendanceEntry {
            employee_id: budi.clone(),
            status: AttendanceStatus::Hadir,
            reason: None,
            note: String::new(),
        };
        l.store
            .record_attendance(&admin, session, &[present])
            .unwrap();
    }
    let t = l.store.training(&admin, &t.id).unwrap();
    l.store
        .set_training_status(&admin, &t.id, t.version, TrainingStatus::Selesai)
        .unwrap();
    let scores = vec![4; REACTION_ITEMS.len()];
    l.store
        .record_reaction(&admin, &t.id, Some(&budi), &scores)
        .unwrap();
    d.pin("2026-04-06");
    let lurah = person(&mut d.terjun, "ani", ANI);
    let draft = d
        .terjun
        .store
        .save_appraisal(&lurah, None, 0, &appraisal_form(&budi, Rating::DiAtas))
        .unwrap();
    d.terjun
        .store
        .finalize_appraisal(&lurah, &draft.id, draft.version, PW)
        .unwrap();
    d.sync_all();
    (d, budi)
}

/// A training of Terjun's (8 JP), one morning session on each of `days`.
pub fn terjun_training(title: &str, days: &[&str]) -> TrainingInput {
    TrainingInput {
        title: title.into(),
        theme: "Pelayanan Publik".into(),
        route: pelita_core::training::Route::BimbinganTeknis,
        method: Method::TatapMuka,
        organiser: "Kelurahan Terjun".into(),
        owner_office_id: office_id("TERJUN"),
        location: "Aula Kelurahan".into(),
        start_date: days[0].into(),
        end_date: days[days.len() - 1].into(),
        sessions: days
            .iter()
            .map(|d| SessionInput {
                date: (*d).into(),
                start_time: "08:00".into(),
                end_time: "12:00".into(),
            })
            .collect(),
        jp: 8,
        capacity: 10,
        certificate: false,
        completion_share: 100,
        objectives: Vec::new(),
    }
}

pub fn transfer_to_paya(tmt: &str) -> MutasiInput {
    MutasiInput {
        nip: BUDI.into(),
        to_office_id: office_id("PAYA-PASIR"),
        tmt: tmt.into(),
        note: "SK Wali Kota menyusul".into(),
        ..Default::default()
    }
}

pub fn approval() -> MutasiApproval {
    MutasiApproval {
        sk_number: "800/1234/BKPSDM/2026".into(),
        atasan_id: None,
    }
}

pub fn validation(e: StoreError) -> String {
    match e {
        StoreError::Validation(v) => v.to_string(),
        other => panic!("expected a refusal in words, got {other:?}"),
    }
}
