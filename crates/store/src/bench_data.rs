//! HQ-scale data for `make bench-analysis` only: 50,000 employees, trainings with sessions,
//! 500,000 attendance marks and 20,000 signed appraisals, written straight into the tables in one
//! transaction (no outbox, no audit: nothing here is ever synced or shown as real work). The shapes
//! are the real ones, so the analysis reads them exactly as it reads real rows.

use pelita_core::appraisal::{Aspect, CoreValue, Period, Rating};
use pelita_core::appraisal_form::{AppraisalInput, BehaviourRating, RhkItem, RhkJenis};
use rusqlite::params;

use crate::dataset::Rng;
use crate::{Result, Store};

/// How much was generated.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct BenchCounts {
    pub employees: u32,
    pub trainings: u32,
    pub participations: u32,
    pub attendance: u32,
    pub appraisals: u32,
}

const STAMP: &str = "2025-12-31T00:00:00.000Z";

impl Store {
    /// Fills this (empty) database with `employees` staff over the seed offices, trainings whose
    /// sessions carry `marks` attendance marks in `year`, and `appraisals` signed appraisals
    /// (Triwulan I and IV-Akhir of `year`, one pair per employee from the first on).
    #[doc(hidden)]
    pub fn bench_fill(
        &mut self,
        seed: u64,
        year: i32,
        employees: u32,
        marks: u32,
        appraisals: u32,
    ) -> Result<BenchCounts> {
        let mut rng = Rng(seed);
        let offices: Vec<String> = pelita_core::office::seed_offices()
            .into_iter()
            .map(|o| o.id)
            .collect();
        let mut counts = BenchCounts::default();
        let tx = self.conn.transaction()?;
        let mut ids: Vec<(String, String)> = Vec::with_capacity(employees as usize);
        {
            let mut insert = tx.prepare(
                "INSERT INTO employee (id, nip, name, birth_date, sex, status, golongan, jabatan,
                     jenis_jabatan, office_id, atasan_id, owner_office_id, created_at, updated_at)
                 VALUES (?1, ?2, ?3, '1980-01-01', ?4, 'PNS', ?5, 'Pelaksana', ?6, ?7, ?8, ?7, ?9, ?9)",
            )?;
            for i in 0..employees {
                let office = &offices[i as usize % offices.len()];
                let id = format!("bench-e{i}");
                // The first of each office heads it; the others report to them.
                let atasan = (i as usize >= offices.len())
                    .then(|| format!("bench-e{}", i as usize % offices.len()));
                insert.execute(params![
                    id,
                    format!("1980010120050{:05}", i),
                    format!("Pegawai {i}"),
                    if i % 2 == 0 { "L" } else { "P" },
                    ["II/c", "III/a", "III/c", "IV/a"][rng.below(4)],
                    ["Pelaksana", "Fungsional", "Struktural"][rng.below(3)],
                    office,
                    atasan,
                    STAMP
                ])?;
                ids.push((id, office.clone()));
            }
            counts.employees = employees;
        }
        {
            let mut training = tx.prepare(
                "INSERT INTO training (id, owner_office_id, title, theme, route, form, organiser,
                     location, start_date, end_date, jp, capacity, certificate, completion_share,
                     status, version, created_at, updated_at)
                 VALUES (?1, ?2, ?3, ?4, 'Bimbingan Teknis', 'Klasikal', 'Kantor Camat', 'Aula',
                     ?5, ?5, ?6, 500, 1, 100, 'Selesai', 1, ?7, ?7)",
            )?;
            let mut session = tx.prepare(
                "INSERT INTO training_session (id, training_id, position, date, start_time, end_time)
                 VALUES (?1, ?2, ?3, ?4, '08:00', '12:00')",
            )?;
            let mut participation = tx.prepare(
                "INSERT OR IGNORE INTO participation (id, training_id, employee_id, owner_office_id,
                     state, enrolled_seq, completed, jp_diakui, version, updated_at)
                 VALUES (?1, ?2, ?3, ?4, 'Terdaftar', ?5, ?6, ?7, 1, ?8)",
            )?;
            let mut mark = tx.prepare(
                "INSERT OR IGNORE INTO attendance (id, session_id, training_id, employee_id, status,
                     reason, recorded_by, version, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'bench', 1, ?7)",
            )?;
            let per_training = 250u32;
            let mut t = 0u32;
            while counts.attendance < marks {
                let id = format!("bench-t{t}");
                let month = 1 + t % 12;
                let date = format!("{year:04}-{month:02}-{:02}", 1 + t % 28);
                let jp = 8 * (1 + t % 3);
                training.execute(params![
                    id,
                    offices[0],
                    format!("Pelatihan {t}"),
                    pelita_core::training::DEFAULT_THEMES
                        [t as usize % pelita_core::training::DEFAULT_THEMES.len()],
                    date,
                    jp,
                    STAMP
                ])?;
                let sid = format!("bench-s{t}");
                session.execute(params![sid, id, 0, date])?;
                counts.trainings += 1;
                for k in 0..per_training {
                    let (employee, office) = &ids[rng.below(ids.len())];
                    let present = rng.below(10) < 8;
                    let added = participation.execute(params![
                        format!("bench-p{t}-{k}"),
                        id,
                        employee,
                        office,
                        k,
                        present,
                        if present { jp } else { 0 },
                        STAMP
                    ])?;
                    if added == 0 {
                        continue;
                    }
                    counts.participations += 1;
                    let (status, reason) = if present {
                        ("Hadir", None)
                    } else {
                        ("Izin", Some("tugas kantor / beban kerja"))
                    };
                    mark.execute(params![
                        format!("bench-a{t}-{k}"),
                        sid,
                        id,
                        employee,
                        status,
                        reason,
                        STAMP
                    ])?;
                    counts.attendance += 1;
                    if counts.attendance >= marks {
                        break;
                    }
                }
                t += 1;
            }
        }
        {
            let mut insert = tx.prepare(
                "INSERT INTO appraisal (id, owner_office_id, employee_id, penilai_id, year, period,
                     month, document, predicate, status, finalized_at, finalized_by, version,
                     created_at, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, 0, ?7, ?8, 'Final', ?9, 'bench', 1, ?9, ?9)",
            )?;
            let ratings = [
                Rating::DiAtas,
                Rating::Sesuai,
                Rating::Sesuai,
                Rating::DiBawah,
            ];
            let mut n = 0u32;
            'people: for (i, (employee, office)) in ids.iter().enumerate().skip(offices.len()) {
                let penilai = format!("bench-e{}", i % offices.len());
                for period in [Period::TriwulanI, Period::TriwulanIVAkhir] {
                    if n >= appraisals {
                        break 'people;
                    }
                    let rating = ratings[rng.below(4)];
                    let input = AppraisalInput {
                        employee_id: employee.clone(),
                        year,
                        period,
                        month: None,
                        items: vec![RhkItem {
                            jenis: RhkJenis::Utama,
                            indikator: "Layanan tepat waktu".into(),
                            aspek: Aspect::Kuantitas,
                            target: 100.0,
                            realisasi: Some(70.0 + rng.below(50) as f64),
                            satuan: "persen".into(),
                            umpan_balik: String::new(),
                        }],
                        behaviour: CoreValue::ALL
                            .into_iter()
                            .map(|value| BehaviourRating {
                                value,
                                rating: Some(rating),
                                ekspektasi: String::new(),
                                umpan_balik: String::new(),
                            })
                            .collect(),
                        hasil_kerja: Some(ratings[rng.below(4)]),
                        perilaku_kerja: Some(rating),
                    };
                    insert.execute(params![
                        format!("bench-r{n}"),
                        office,
                        employee,
                        penilai,
                        year,
                        period.label(),
                        serde_json::to_string(&input)
                            .map_err(|e| crate::StoreError::Sync(e.to_string()))?,
                        input.predicate().map(|p| p.label()),
                        STAMP
                    ])?;
                    n += 1;
                }
            }
            counts.appraisals = n;
        }
        tx.commit()?;
        // As after any large import: statistics for the query planner.
        self.conn.execute_batch("ANALYZE")?;
        Ok(counts)
    }

    /// The default study instrument, opened, with `sheets` anonymous answer sheets over the seed
    /// offices (answers that share a factor, so every test has something to compute). Returns
    /// the instrument's id.
    #[doc(hidden)]
    pub fn bench_survey(
        &mut self,
        actor: &pelita_core::auth::Actor,
        seed: u64,
        sheets: u32,
    ) -> Result<String> {
        let draft = pelita_core::survey::default_instrument();
        let instrument = self.save_instrument(actor, None, 0, &draft)?;
        self.set_instrument_status(
            actor,
            &instrument.id,
            1,
            pelita_core::survey::InstrumentStatus::Dibuka,
        )?;
        let offices: Vec<String> = pelita_core::office::seed_offices()
            .into_iter()
            .map(|o| o.id)
            .collect();
        let mut rng = Rng(seed);
        let tx = self.conn.transaction()?;
        {
            let mut insert = tx.prepare(
                "INSERT INTO survey_response (id, instrument_id, office_id, employee_id, answers,
                     recorded_by, recorded_at, version)
                 VALUES (?1, ?2, ?3, NULL, ?4, 'bench', ?5, 1)",
            )?;
            for n in 0..sheets {
                let factor = rng.below(3) as i64 - 1;
                let answers: std::collections::BTreeMap<String, u8> =
                    pelita_core::survey::item_codes(&draft.constructs)
                        .into_iter()
                        .map(|code| (code, (3 + factor + rng.below(3) as i64 - 1) as u8))
                        .collect();
                insert.execute(params![
                    format!("bench-s{n}"),
                    instrument.id,
                    offices[n as usize % offices.len()],
                    serde_json::to_string(&answers)
                        .map_err(|e| crate::StoreError::Sync(e.to_string()))?,
                    STAMP
                ])?;
            }
        }
        tx.commit()?;
        Ok(instrument.id)
    }
}
