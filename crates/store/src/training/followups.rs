//! Kirkpatrick L3 (behaviour): does the pegawai apply at work what the training taught? The
//! atasan langsung rates, for each learning objective the training names, how often the pegawai
//! applies it — once before the training ends (the baseline) and again three to six months after
//! it (the follow-up, with the seven BerAKHLAK values as before). The change per objective is the
//! training's L3 result. A training without objectives keeps the follow-up on the values alone.

use pelita_core::auth::{Action, Actor};
use pelita_core::fact_id;
use pelita_core::training::application::{rate, ObjectiveLevel};
use pelita_core::ValidationError;
use rusqlite::OptionalExtension;
use serde::Serialize;
use specta::Type;

use crate::kernel::audit::AuditAction;
use crate::kernel::clock::now;
use crate::kernel::journal::record_fact;
use crate::{Result, Store, StoreError};

/// Which L3 rating is owed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Type)]
pub enum FollowupKind {
    /// Before the training ends: how often each objective is applied already.
    Baseline,
    /// Three to six months after: the objectives again and the BerAKHLAK values.
    Followup,
}

/// A participation whose L3 rating the signed-in atasan owes: the baseline (before the training
/// ends) or the follow-up (three months after; also when no baseline was given in time).
#[derive(Debug, Clone, Serialize, Type)]
pub struct FollowupDue {
    pub kind: FollowupKind,
    pub participation_id: String,
    pub employee_id: String,
    pub employee_name: String,
    pub training_title: String,
    pub end_date: String,
    /// Three months after the training ended.
    pub due_from: String,
    /// More than six months after: later than the 3–6 month window.
    pub overdue: bool,
    /// What the training set out to teach (rated one by one).
    pub objectives: Vec<String>,
    /// The baseline, once given.
    pub baseline: Option<Vec<ObjectiveLevel>>,
}

/// The supervisor's rating of one value after the training.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize, Serialize, Type)]
pub struct FollowupRating {
    pub value: pelita_core::appraisal::CoreValue,
    pub rating: pelita_core::appraisal::Rating,
}

fn months_after(date: &str, months: u32) -> Option<chrono::NaiveDate> {
    chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d")
        .ok()?
        .checked_add_months(chrono::Months::new(months))
}

/// A participation as L3 reads it.
struct Participation {
    employee_id: String,
    employee_name: String,
    title: String,
    end_date: String,
    /// Completed, and its training Selesai.
    completed: bool,
    /// Enrolled (not waiting or withdrawn) in a training not cancelled.
    open: bool,
    objectives: Vec<String>,
    /// The follow-up row: its version, the values rated (empty: a baseline alone), the baseline.
    row: Option<(i64, bool, Option<Vec<ObjectiveLevel>>)>,
}

const PARTICIPATION: &str = "SELECT p.id, e.id, e.name, t.title, t.start_date, t.end_date,
        p.completed AND t.status = 'Selesai', t.objectives, f.version, f.ratings <> '[]', f.baseline,
        p.state = 'Terdaftar' AND t.status <> 'Dibatalkan' AND t.deleted = 0
    FROM participation p JOIN employee e ON e.id = p.employee_id JOIN training t ON t.id = p.training_id
    LEFT JOIN behaviour_followup f ON f.participation_id = p.id";

fn read(r: &rusqlite::Row<'_>) -> rusqlite::Result<(String, Participation)> {
    let text = |i: usize| -> rusqlite::Result<String> { r.get(i) };
    let version: Option<i64> = r.get(8)?;
    Ok((
        text(0)?,
        Participation {
            employee_id: text(1)?,
            employee_name: text(2)?,
            title: text(3)?,
            end_date: text(5)?,
            completed: r.get(6)?,
            open: r.get(11)?,
            objectives: serde_json::from_str(&text(7)?).unwrap_or_default(),
            row: version
                .map(|v| -> rusqlite::Result<_> {
                    Ok((
                        v,
                        r.get::<_, Option<bool>>(9)?.unwrap_or(false),
                        r.get::<_, Option<String>>(10)?
                            .and_then(|s| serde_json::from_str(&s).ok()),
                    ))
                })
                .transpose()?,
        },
    ))
}

impl Store {
    fn participation_for_l3(&mut self, actor: &Actor, id: &str) -> Result<Participation> {
        let (_, p) = self
            .conn
            .query_row(&format!("{PARTICIPATION} WHERE p.id = ?1"), [id], read)
            .optional()?
            .ok_or_else(|| StoreError::NotFound("keikutsertaan pelatihan".into()))?;
        let employee = crate::register::employees::get(&self.conn, &p.employee_id)?;
        if employee.atasan_id.is_none() || employee.atasan_id != actor.employee_id {
            let denied = pelita_core::auth::PermissionDenied::NotDirectSupervisor {
                employee: employee.display_name.clone(),
                period: "tindak lanjut pelatihan".into(),
            };
            return Err(self.refuse(actor, denied, id, "RecordFollowup"));
        }
        Ok(p)
    }

    /// What the actor owes as the current atasan langsung: baselines for trainings with
    /// objectives that have not ended yet, and follow-ups from three months after a completed
    /// training — each until given.
    pub fn followups_due(&mut self, actor: &Actor) -> Result<Vec<FollowupDue>> {
        self.authorize(actor, Action::AppraiseReports, None)?;
        let Some(me) = actor.employee_id.clone() else {
            return Ok(Vec::new());
        };
        let today = crate::kernel::clock::today(&self.conn);
        let rows: Vec<(String, Participation)> = self
            .conn
            .prepare(&format!(
                "{PARTICIPATION} WHERE e.atasan_id = ?1 AND e.active = 1 AND e.deleted = 0
                   AND p.state = 'Terdaftar' AND t.deleted = 0 AND t.status <> 'Dibatalkan'
                 ORDER BY t.end_date, e.name"
            ))?
            .query_map([&me], read)?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows
            .into_iter()
            .filter_map(|(participation_id, p)| {
                let due = months_after(&p.end_date, 3)?;
                let late = months_after(&p.end_date, 6)?;
                let followed = p.row.as_ref().is_some_and(|(_, rated, _)| *rated);
                let baseline = p.row.as_ref().and_then(|(_, _, b)| b.clone());
                let end = chrono::NaiveDate::parse_from_str(&p.end_date, "%Y-%m-%d").ok()?;
                let baseline_due = !p.objectives.is_empty() && baseline.is_none() && today <= end;
                let followup_due = p.completed && !followed && due <= today;
                (baseline_due || followup_due).then(|| FollowupDue {
                    kind: if followup_due {
                        FollowupKind::Followup
                    } else {
                        FollowupKind::Baseline
                    },
                    participation_id,
                    employee_id: p.employee_id,
                    employee_name: p.employee_name,
                    training_title: p.title,
                    due_from: due.to_string(),
                    overdue: followup_due && today > late,
                    end_date: p.end_date,
                    objectives: p.objectives,
                    baseline,
                })
            })
            .collect())
    }

    /// The baseline of one participation: how often the pegawai applies each of the training's
    /// objectives before it (1–5), by their current atasan langsung, from enrolment until the
    /// training's last day.
    pub fn record_baseline(
        &mut self,
        actor: &Actor,
        participation_id: &str,
        levels: &[u8],
    ) -> Result<()> {
        self.authorize(actor, Action::AppraiseReports, None)?;
        let p = self.participation_for_l3(actor, participation_id)?;
        let today = crate::kernel::clock::today(&self.conn);
        if p.objectives.is_empty() || !p.open {
            return Err(ValidationError::single(
                "baseline",
                "penilaian awal hanya untuk peserta terdaftar pada pelatihan yang menyebut tujuan pelatihan",
            )
            .into());
        }
        if p.end_date.as_str() < today.to_string().as_str() {
            return Err(ValidationError::single(
                "baseline",
                format!(
                    "penilaian awal diisi sebelum pelatihan berakhir ({}); sesudahnya yang diisi tindak lanjutnya",
                    pelita_core::tanggal_iso(&p.end_date)
                ),
            )
            .into());
        }
        let baseline = rate(&p.objectives, levels, "baseline")?;
        self.write_followup(
            actor,
            participation_id,
            &p,
            FollowupWrite::Baseline(&baseline),
        )
    }

    /// Records (or corrects) the follow-up of one participation: the values and, for a training
    /// with objectives, how often the pegawai applies each now (1–5); only the employee's current
    /// atasan langsung, once it is due.
    pub fn record_followup(
        &mut self,
        actor: &Actor,
        participation_id: &str,
        ratings: &[FollowupRating],
        applied: &[u8],
        note: &str,
    ) -> Result<()> {
        self.authorize(actor, Action::AppraiseReports, None)?;
        let p = self.participation_for_l3(actor, participation_id)?;
        let today = crate::kernel::clock::today(&self.conn);
        if !p.completed || months_after(&p.end_date, 3).is_none_or(|d| d > today) {
            return Err(ValidationError::single(
                "participation_id",
                "tindak lanjut diisi sedikitnya tiga bulan setelah pelatihan selesai",
            )
            .into());
        }
        let mut values: Vec<_> = ratings.iter().map(|r| r.value).collect();
        values.sort_by_key(|v| *v as u8);
        values.dedup();
        if values.len() != ratings.len()
            || ratings.len() != pelita_core::appraisal::CoreValue::ALL.len()
        {
            return Err(ValidationError::single(
                "ratings",
                "beri satu rating untuk setiap nilai BerAKHLAK",
            )
            .into());
        }
        let applied = rate(&p.objectives, applied, "applied")?;
        self.write_followup(
            actor,
            participation_id,
            &p,
            FollowupWrite::Followup {
                ratings,
                applied: &applied,
                note: note.trim(),
            },
        )
    }

    fn write_followup(
        &mut self,
        actor: &Actor,
        participation_id: &str,
        p: &Participation,
        what: FollowupWrite<'_>,
    ) -> Result<()> {
        let id = fact_id("followup", &[participation_id]);
        let base = p.row.as_ref().map_or(0, |(v, ..)| *v);
        let tx = self.conn.transaction()?;
        match what {
            FollowupWrite::Baseline(baseline) => tx.execute(
                "INSERT INTO behaviour_followup (id, participation_id, supervisor_id, ratings, note,
                     recorded_by, version, recorded_at, baseline)
                 VALUES (?1, ?2, ?3, '[]', '', ?4, ?5, ?6, ?7)
                 ON CONFLICT (id) DO UPDATE SET baseline = excluded.baseline,
                     version = excluded.version, recorded_at = excluded.recorded_at",
                rusqlite::params![id, participation_id, actor.employee_id, actor.username,
                    base + 1, now(), serde_json::to_string(baseline).unwrap_or_default()],
            )?,
            FollowupWrite::Followup { ratings, applied, note } => tx.execute(
                "INSERT INTO behaviour_followup (id, participation_id, supervisor_id, ratings, note,
                     recorded_by, version, recorded_at, applied)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
                 ON CONFLICT (id) DO UPDATE SET ratings = excluded.ratings, note = excluded.note,
                     applied = excluded.applied, supervisor_id = excluded.supervisor_id,
                     recorded_by = excluded.recorded_by, version = excluded.version,
                     recorded_at = excluded.recorded_at",
                rusqlite::params![id, participation_id, actor.employee_id, serde_json::to_string(ratings).unwrap_or_default(), note,
                    actor.username, base + 1, now(), serde_json::to_string(applied).unwrap_or_default()],
            )?,
        };
        record_fact(
            &tx,
            "behaviour_followup",
            &id,
            base,
            (
                &actor.username,
                if base == 0 {
                    AuditAction::Create
                } else {
                    AuditAction::Update
                },
                match what {
                    FollowupWrite::Baseline(_) => "penilaian awal L3",
                    FollowupWrite::Followup { .. } => "tindak lanjut L3",
                },
            ),
        )?;
        tx.commit()?;
        Ok(())
    }
}

enum FollowupWrite<'a> {
    Baseline(&'a [ObjectiveLevel]),
    Followup {
        ratings: &'a [FollowupRating],
        applied: &'a [ObjectiveLevel],
        note: &'a str,
    },
}
