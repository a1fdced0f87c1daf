//! Two years (2024–2025) of the demo district's history, from a fixed seed: trainings of the
//! district catalogue with sessions, enrolments, attendance with absence reasons and completion,
//! and a signed SKP for every quarter of everyone with a penilai. Performance carries a modest,
//! noisy relationship with training (a completed training between April and September lifts
//! the latent performance of the quarters after it), and about a quarter of the staff never
//! take part — so the Analisis page has something real, and honest, to show.
//!
//! Trainings, enrolment and attendance go through the store's own operations. The appraisals are
//! inserted as signed by "sistem (data contoh)" (no penilai types a password for generated data),
//! through the same insert, validation and predicate matrix as an import by the penilai.

use chrono::NaiveDate;
use pelita_core::appraisal::{Aspect, CoreValue, Period, Rating};
use pelita_core::appraisal_form::{AppraisalInput, BehaviourRating, RhkItem, RhkJenis};
use pelita_core::auth::{Actor, Role};
use pelita_core::training::{
    AbsenceReason, AttendanceStatus, Route, SessionInput, TrainingInput, TrainingStatus,
    DEFAULT_THEMES, REACTION_ITEMS,
};

use crate::appraisals::{insert_appraisal, NewAppraisal};
use crate::dataset::Rng;
use crate::{AttendanceEntry, Result, Store};

pub const HISTORY_YEARS: [i32; 2] = [2024, 2025];
const BY: &str = "sistem (data contoh)";
/// How much a completed training lifts latent performance (in rating-threshold units).
const TRAINING_LIFT: f64 = 0.45;

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("a real date")
}

impl Rng {
    /// A standard normal draw (Box–Muller).
    pub(crate) fn normal(&mut self) -> f64 {
        let u1 = (self.next() >> 11) as f64 / (1u64 << 53) as f64;
        let u2 = (self.next() >> 11) as f64 / (1u64 << 53) as f64;
        (-2.0 * (u1.max(1e-12)).ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
    }

    pub(crate) fn chance(&mut self, p: f64) -> bool {
        (self.next() >> 11) as f64 / ((1u64 << 53) as f64) < p
    }
}

struct Staff {
    id: String,
    atasan: Option<String>,
    /// Stable personal level of performance.
    level: f64,
    /// How likely this person is to be sent to (and to attend) a training.
    propensity: f64,
}

fn rating(latent: f64) -> Rating {
    if latent > 0.75 {
        Rating::DiAtas
    } else if latent < -1.0 {
        Rating::DiBawah
    } else {
        Rating::Sesuai
    }
}

fn invited_ids(staff: &[Staff], invited: &[usize]) -> Vec<String> {
    invited.iter().map(|&i| staff[i].id.clone()).collect()
}

impl Store {
    /// L1 questionnaires (most participants; a quarter of them anonymous) and L2 pre/post tests
    /// for a completed training, through the same operations as an operator's entry.
    fn demo_evaluations(
        &mut self,
        system: &Actor,
        training_id: &str,
        invited: &[String],
        rng: &mut Rng,
    ) -> Result<()> {
        let quality = 3.7 + 0.35 * rng.normal();
        for employee in invited {
            let completed: bool = self.conn.query_row(
                "SELECT completed FROM participation WHERE training_id = ?1 AND employee_id = ?2",
                [training_id, employee],
                |r| r.get(0),
            )?;
            if !completed {
                continue;
            }
            if rng.chance(0.8) {
                let scores: Vec<u8> = REACTION_ITEMS
                    .iter()
                    .map(|_| (quality + 0.6 * rng.normal()).round().clamp(1.0, 5.0) as u8)
                    .collect();
                let named = (!rng.chance(0.25)).then_some(employee.as_str());
                self.record_reaction(system, training_id, named, &scores)?;
            }
            if rng.chance(0.9) {
                let pre = (55.0 + 12.0 * rng.normal()).round().clamp(0.0, 100.0);
                let post = (pre + 14.0 + 8.0 * rng.normal()).round().clamp(0.0, 100.0);
                self.set_test_scores(system, training_id, employee, Some(pre), Some(post))?;
            }
        }
        Ok(())
    }

    /// Generates the history for the demo register already in this database.
    pub(crate) fn generate_demo_history(&mut self, seed: u64) -> Result<()> {
        let hq = pelita_core::office::office_id(pelita_core::office::HQ_CODE);
        let system = Actor {
            user_id: BY.into(),
            username: BY.into(),
            full_name: "Data contoh".into(),
            roles: vec![Role::AdminKecamatan],
            office_id: hq.clone(),
            employee_id: None,
        };
        // The database being built is not in place yet (see `Store::create`): a power cut loses
        // nothing that matters, so its hundreds of commits need not each wait for the disk.
        self.conn.pragma_update(None, "synchronous", "OFF")?;
        let mut rng = Rng(seed);
        let staff: Vec<Staff> = self
            .conn
            .prepare(
                "SELECT id, atasan_id FROM employee WHERE deleted = 0 AND active = 1 ORDER BY nip",
            )?
            .query_map([], |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, Option<String>>(1)?))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?
            .into_iter()
            .map(|(id, atasan)| Staff {
                id,
                atasan,
                level: 0.5 * rng.normal(),
                // A quarter never take part; the others more or less often.
                propensity: if rng.chance(0.25) {
                    0.0
                } else {
                    0.25 + 0.5 * rng.chance(0.5) as u8 as f64
                },
            })
            .collect();
        for year in HISTORY_YEARS {
            // When each person completed a training this year (day of year), if at all.
            let mut trained_on: Vec<Option<NaiveDate>> = vec![None; staff.len()];
            self.pin_today(day(year, 12, 31))?;
            for t in 0..8u32 {
                // Six between April and September, two in November.
                let (month, start_day) = if t < 6 {
                    (4 + t, 8 + t)
                } else {
                    (11, 3 + 10 * (t - 6))
                };
                let sessions = 1 + rng.below(3) as u32;
                let dates: Vec<String> = (0..sessions)
                    .map(|k| day(year, month, start_day + k).to_string())
                    .collect();
                let theme = DEFAULT_THEMES[(t as usize + year as usize) % DEFAULT_THEMES.len()];
                let input = TrainingInput {
                    title: format!("{theme} {year} angkatan {}", 1 + t % 3),
                    theme: theme.into(),
                    route: Route::ALL[(t as usize * 5 + year as usize) % Route::ALL.len()],
                    organiser: "Kantor Camat Medan Marelan".into(),
                    owner_office_id: hq.clone(),
                    location: "Aula Kantor Camat Medan Marelan".into(),
                    start_date: dates[0].clone(),
                    end_date: dates[dates.len() - 1].clone(),
                    sessions: dates
                        .iter()
                        .map(|d| SessionInput {
                            date: d.clone(),
                            start_time: "08:00".into(),
                            end_time: "15:00".into(),
                        })
                        .collect(),
                    jp: 8 * sessions,
                    capacity: 30,
                    certificate: true,
                    completion_share: 75,
                };
                let training = self.create_training(&system, &input)?;
                let invited: Vec<usize> = (0..staff.len())
                    .filter(|&i| rng.chance(staff[i].propensity * 0.6))
                    .collect();
                for &i in &invited {
                    self.enrol(&system, &training.id, &staff[i].id)?;
                }
                for session in &training.session_ids {
                    let entries: Vec<AttendanceEntry> = invited
                        .iter()
                        .map(|&i| {
                            let (status, reason) = match rng.below(40) {
                                0..=33 => (AttendanceStatus::Hadir, None),
                                34..=36 => {
                                    (AttendanceStatus::Izin, Some(AbsenceReason::TugasKantor))
                                }
                                37 => (AttendanceStatus::Izin, Some(AbsenceReason::JadwalBentrok)),
                                38 => (AttendanceStatus::Sakit, Some(AbsenceReason::Sakit)),
                                _ => (AttendanceStatus::Alpa, Some(AbsenceReason::LokasiJauh)),
                            };
                            AttendanceEntry {
                                employee_id: staff[i].id.clone(),
                                status,
                                reason,
                                note: String::new(),
                            }
                        })
                        .collect();
                    self.record_attendance(&system, session, &entries)?;
                }
                let now = self.training(&system, &training.id)?;
                self.set_training_status(
                    &system,
                    &training.id,
                    now.version,
                    TrainingStatus::Selesai,
                )?;
                let end = day(year, month, start_day + sessions - 1);
                for &i in &invited {
                    let completed: bool = self.conn.query_row(
                        "SELECT completed FROM participation WHERE training_id = ?1 AND employee_id = ?2",
                        [&training.id, &staff[i].id],
                        |r| r.get(0),
                    )?;
                    if completed && trained_on[i].is_none_or(|d| end < d) {
                        trained_on[i] = Some(end);
                    }
                }
                // Its own stream, so the evaluations leave the rest of the history as it was.
                let mut eval_rng = Rng(seed ^ (u64::from(t) << 32) ^ year as u64);
                self.demo_evaluations(
                    &system,
                    &training.id,
                    &invited_ids(&staff, &invited),
                    &mut eval_rng,
                )?;
            }

            // Every quarter, signed in the first weeks of the next.
            self.pin_today(day(year + 1, 1, 20))?;
            let quarters = [
                (Period::TriwulanI, day(year, 3, 31)),
                (Period::TriwulanII, day(year, 6, 30)),
                (Period::TriwulanIII, day(year, 9, 30)),
                (Period::TriwulanIVAkhir, day(year, 12, 31)),
            ];
            for (i, person) in staff.iter().enumerate() {
                let Some(penilai) = &person.atasan else {
                    continue;
                };
                let employee = crate::employees::get(&self.conn, &person.id)?;
                for (period, end) in quarters {
                    let lifted = trained_on[i].is_some_and(|d| d < end);
                    let latent = person.level + if lifted { TRAINING_LIFT } else { 0.0 };
                    let hasil = rating(latent + 0.6 * rng.normal());
                    let perilaku = rating(latent + 0.6 * rng.normal());
                    let input = AppraisalInput {
                        employee_id: person.id.clone(),
                        year,
                        period,
                        month: None,
                        items: (0..3)
                            .map(|k| RhkItem {
                                jenis: if k == 0 {
                                    RhkJenis::Utama
                                } else {
                                    RhkJenis::Tambahan
                                },
                                indikator: format!(
                                    "Layanan administrasi tepat waktu, sasaran {}",
                                    k + 1
                                ),
                                aspek: Aspect::Kuantitas,
                                target: 100.0,
                                realisasi: Some(
                                    (92.0 + 6.0 * latent + 5.0 * rng.normal())
                                        .clamp(40.0, 130.0)
                                        .round(),
                                ),
                                satuan: "persen".into(),
                                umpan_balik: String::new(),
                            })
                            .collect(),
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
                    };
                    input.validate_final(day(year + 1, 1, 20))?;
                    insert_appraisal(
                        &self.conn,
                        &NewAppraisal {
                            employee: &employee,
                            penilai,
                            input: &input,
                            amends: None,
                            signed_by: Some(BY),
                        },
                        BY,
                        "data contoh (ditandatangani)",
                    )?;
                }
            }
        }
        self.unpin_today()?;
        self.conn.pragma_update(None, "synchronous", "FULL")?;
        Ok(())
    }
}
