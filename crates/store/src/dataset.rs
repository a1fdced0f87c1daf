//! A month of one kelurahan office's work, generated from a seed through the store's own
//! operations — so every row is in the outbox exactly as real work would put it there: ≈60 ASN
//! with their atasan, 30 trainings with 1–3 sessions in October 2026, ≈1,000 enrolments, ≈2,000
//! attendance marks with absence reasons, the trainings completed, and an SKP draft for Triwulan
//! III for everyone with a penilai. For sync tests and `make bench-sync`.

use chrono::NaiveDate;
use pelita_core::appraisal::{Aspect, CoreValue, Period, Rating};
use pelita_core::appraisal_form::{AppraisalInput, BehaviourRating, RhkItem, RhkJenis};
use pelita_core::auth::Actor;
use pelita_core::employee::EmployeeInput;
use pelita_core::reference::{EmploymentStatus, JenisJabatan};
use pelita_core::training::{
    AbsenceReason, AttendanceStatus, Route, SessionInput, TrainingInput, TrainingStatus,
    DEFAULT_THEMES,
};
use serde::Serialize;
use specta::Type;

use crate::{AttendanceEntry, Result, Store, StoreError};

/// What was generated.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Type)]
pub struct DatasetSummary {
    pub employees: u32,
    pub trainings: u32,
    pub sessions: u32,
    pub enrolments: u32,
    pub attendance: u32,
    pub appraisals: u32,
}

/// SplitMix64: small, seedable, the same everywhere.
pub(crate) struct Rng(pub(crate) u64);

impl Rng {
    pub(crate) fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    pub(crate) fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

const FIRST: [&str; 12] = [
    "Ahmad", "Budi", "Citra", "Dewi", "Eko", "Fitri", "Gilang", "Hana", "Irfan", "Juli", "Kartika",
    "Lestari",
];
const LAST: [&str; 10] = [
    "Lubis", "Nasution", "Siregar", "Harahap", "Tambunan", "Sitepu", "Ginting", "Purba", "Saragih",
    "Damanik",
];

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("a real date")
}

impl Store {
    /// Generates [`DatasetSummary`]'s month for `office_code` from `seed` (an Admin Kecamatan or
    /// the office's operator). NIPs differ per office, so several offices can share one hub.
    pub fn generate_office_month(
        &mut self,
        actor: &Actor,
        office_code: &str,
        seed: u64,
    ) -> Result<DatasetSummary> {
        let office = crate::offices::by_code(&self.conn, office_code)?;
        let office_no = pelita_core::office::SEED
            .iter()
            .position(|(c, ..)| *c == office.code)
            .unwrap_or(9) as u32;
        let mut rng = Rng(seed);
        let mut summary = DatasetSummary::default();

        // The register, before the quarter it is appraised for.
        self.pin_today(day(2026, 6, 1))?;
        let mut ids: Vec<String> = Vec::new();
        for i in 0..60u32 {
            let (jabatan, jenis, golongan, atasan) = match i {
                0 => ("Lurah", JenisJabatan::Struktural, "III/d", None),
                1 => (
                    "Sekretaris Lurah",
                    JenisJabatan::Struktural,
                    "III/c",
                    Some(0),
                ),
                2..=5 => ("Kepala Seksi", JenisJabatan::Struktural, "III/b", Some(0)),
                _ => (
                    *rng.pick(&[
                        "Pengadministrasi Umum",
                        "Pengelola Layanan",
                        "Operator Komputer",
                    ]),
                    JenisJabatan::Pelaksana,
                    *rng.pick(&["II/a", "II/b", "II/c", "II/d", "III/a"]),
                    Some(1 + (i as usize % 5)),
                ),
            };
            let input = EmployeeInput {
                nip: format!(
                    "{:04}{:02}{:02}2020{:02}{}{:03}",
                    1966 + i % 30,
                    1 + (i / 30) % 12,
                    1 + i % 28,
                    1 + i % 12,
                    1 + i % 2,
                    1 + office_no
                ),
                gelar_depan: String::new(),
                name: format!("{} {}", rng.pick(&FIRST), rng.pick(&LAST)),
                gelar_belakang: String::new(),
                birth_date: None,
                sex: None,
                status: EmploymentStatus::Pns,
                golongan: golongan.into(),
                jabatan: jabatan.into(),
                jenis_jabatan: jenis,
                office_id: office.id.clone(),
                atasan_id: atasan.map(|a: usize| ids[a].clone()),
            };
            ids.push(self.create_employee(actor, &input)?.id);
            summary.employees += 1;
        }

        // October's trainings, attended and completed by the end of the month.
        self.pin_today(day(2026, 10, 31))?;
        for t in 0..30u32 {
            let start = 1 + (t * 27 / 30);
            let sessions = 1 + rng.below(3) as u32;
            let dates: Vec<String> = (0..sessions)
                .map(|k| day(2026, 10, start + k).to_string())
                .collect();
            let input = TrainingInput {
                title: format!("{} angkatan {}", rng.pick(DEFAULT_THEMES), 1 + t % 4),
                theme: (*rng.pick(DEFAULT_THEMES)).into(),
                route: *rng.pick(Route::ALL),
                organiser: office.name.clone(),
                owner_office_id: office.id.clone(),
                location: "Aula Kantor Lurah".into(),
                start_date: dates[0].clone(),
                end_date: dates[dates.len() - 1].clone(),
                sessions: dates
                    .iter()
                    .map(|d| SessionInput {
                        date: d.clone(),
                        start_time: "08:00".into(),
                        end_time: "12:00".into(),
                    })
                    .collect(),
                jp: 5 * sessions,
                capacity: 40,
                certificate: rng.below(2) == 0,
                completion_share: 100,
            };
            let training = self.create_training(actor, &input)?;
            summary.trainings += 1;
            summary.sessions += sessions;
            let mut people = ids.clone();
            for k in (1..people.len()).rev() {
                people.swap(k, rng.below(k + 1));
            }
            people.truncate(25 + rng.below(16));
            for p in &people {
                self.enrol(actor, &training.id, p)?;
                summary.enrolments += 1;
            }
            for session in &training.session_ids {
                let entries: Vec<AttendanceEntry> = people
                    .iter()
                    .map(|p| {
                        let (status, reason) = match rng.below(20) {
                            0..=16 => (AttendanceStatus::Hadir, None),
                            17 => (AttendanceStatus::Izin, Some(AbsenceReason::TugasKantor)),
                            18 => (AttendanceStatus::Sakit, Some(AbsenceReason::Sakit)),
                            _ => (AttendanceStatus::Alpa, Some(AbsenceReason::JadwalBentrok)),
                        };
                        AttendanceEntry {
                            employee_id: p.clone(),
                            status,
                            reason,
                            note: String::new(),
                        }
                    })
                    .collect();
                summary.attendance += self.record_attendance(actor, session, &entries)?;
            }
            let now = self.training(actor, &training.id)?;
            self.set_training_status(actor, &training.id, now.version, TrainingStatus::Selesai)?;
        }

        // Triwulan III drafts for everyone with a penilai (not the Lurah: the Camat appraises
        // the Lurah, at the Kantor Camat).
        let mut table = vec![pelita_core::appraisal_sheet::header_cells()];
        for (i, id) in ids.iter().enumerate().skip(1) {
            let e = crate::employees::get(&self.conn, id)?;
            let rating = |r: usize| {
                [
                    Rating::DiAtas,
                    Rating::Sesuai,
                    Rating::Sesuai,
                    Rating::DiBawah,
                ][r]
            };
            let input = AppraisalInput {
                employee_id: id.clone(),
                year: 2026,
                period: Period::TriwulanIII,
                month: None,
                items: (0..3)
                    .map(|k| RhkItem {
                        jenis: if k == 0 {
                            RhkJenis::Utama
                        } else {
                            RhkJenis::Tambahan
                        },
                        indikator: format!("Layanan administrasi tepat waktu, sasaran {}", k + 1),
                        aspek: [Aspect::Kuantitas, Aspect::Kualitas, Aspect::Waktu][k],
                        target: 100.0,
                        realisasi: Some(70.0 + rng.below(40) as f64),
                        satuan: "persen".into(),
                        umpan_balik: String::new(),
                    })
                    .collect(),
                behaviour: CoreValue::ALL
                    .into_iter()
                    .map(|value| BehaviourRating {
                        value,
                        rating: Some(rating(rng.below(4))),
                        ekspektasi: String::new(),
                        umpan_balik: String::new(),
                    })
                    .collect(),
                hasil_kerja: Some(rating(rng.below(4))),
                perilaku_kerja: Some(rating((i + rng.below(4)) % 4)),
            };
            table.extend(pelita_core::appraisal_sheet::appraisal_rows(
                &e.nip, false, &input,
            ));
        }
        let report = self.import_appraisals(actor, &table, true, None)?;
        if let Some(e) = report.errors.first() {
            return Err(StoreError::Sync(format!(
                "data contoh: penilaian baris {} kolom {}: {}",
                e.row, e.column, e.message
            )));
        }
        summary.appraisals = report.imported;
        self.unpin_today()?;
        Ok(summary)
    }
}
