//! Training evaluation (Kirkpatrick): L1 reaction questionnaires with means per item and group,
//! L2 pre/post tests with gain and normalised gain (L3 is `followups`).

use pelita_core::auth::{Action, Actor};
use pelita_core::training::application::{self, ObjectiveLevel};
use pelita_core::training::{check_reaction, normalised_gain, ReactionGroup, REACTION_ITEMS};
use pelita_core::ValidationError;
use rusqlite::OptionalExtension;
use serde::Serialize;
use specta::Type;

use crate::kernel::audit::AuditAction;
use crate::kernel::clock::now;
use crate::kernel::journal::record_fact;
use crate::training::enrolment::record_participation;
use crate::training::rows::get as get_training;
use crate::{Result, Store, StoreError};
use pelita_core::fact_id;

#[derive(Debug, Clone, Serialize, Type)]
pub struct ReactionSummary {
    pub responses: u32,
    pub items: Vec<ItemMean>,
    pub groups: Vec<GroupMean>,
}

#[derive(Debug, Clone, Serialize, Type)]
pub struct ItemMean {
    pub group: ReactionGroup,
    pub item: String,
    pub mean: Option<f64>,
}

#[derive(Debug, Clone, Serialize, Type)]
pub struct GroupMean {
    pub group: ReactionGroup,
    pub mean: Option<f64>,
}

#[derive(Debug, Clone, Serialize, Type)]
pub struct LearningRow {
    pub employee_id: String,
    pub name: String,
    pub pre: Option<f64>,
    pub post: Option<f64>,
    pub gain: Option<f64>,
    /// `None` without both scores, or when the pre-test was already 100.
    pub normalised_gain: Option<f64>,
}

#[derive(Debug, Clone, Serialize, Type)]
pub struct LearningSummary {
    pub rows: Vec<LearningRow>,
    pub mean_gain: Option<f64>,
    pub mean_normalised_gain: Option<f64>,
}

fn mean(values: &[f64]) -> Option<f64> {
    (!values.is_empty()).then(|| values.iter().sum::<f64>() / values.len() as f64)
}

fn enrolled(conn: &rusqlite::Connection, training_id: &str, employee_id: &str) -> Result<bool> {
    Ok(conn.query_row(
        "SELECT count(*) > 0 FROM participation WHERE training_id = ?1 AND employee_id = ?2
         AND state = 'Terdaftar'",
        [training_id, employee_id],
        |r| r.get(0),
    )?)
}

impl Store {
    /// Records one questionnaire: named (one per participant; recording again replaces it) or
    /// anonymous (never more questionnaires than participants).
    pub fn record_reaction(
        &mut self,
        actor: &Actor,
        training_id: &str,
        employee_id: Option<&str>,
        scores: &[u8],
    ) -> Result<()> {
        let t = get_training(&self.conn, training_id)?;
        // An office enters questionnaires of its own staff (also in district trainings).
        let office = match employee_id {
            Some(e) => crate::register::mutasi_rows::history_office(
                &self.conn,
                &crate::register::employees::get(&self.conn, e)?,
                training_id,
            )?,
            None => t.owner_office_id.clone(),
        };
        self.authorize(actor, Action::ManageTrainings, Some(&office))?;
        check_reaction(scores)?;
        if let Some(e) = employee_id {
            if !enrolled(&self.conn, training_id, e)? {
                return Err(ValidationError::single(
                    "employee_id",
                    "hanya peserta terdaftar yang mengisi kuesioner",
                )
                .into());
            }
        }
        let answered: u32 = self.conn.query_row(
            "SELECT count(*) FROM reaction WHERE training_id = ?1 AND (?2 IS NULL OR employee_id IS NOT ?2)",
            rusqlite::params![training_id, employee_id],
            |r| r.get(0),
        )?;
        if answered + 1 > t.enrolled {
            let why = if t.enrolled == 0 {
                "belum ada peserta terdaftar; kuesioner diisi oleh peserta".to_string()
            } else {
                format!(
                    "sudah ada {answered} kuesioner untuk {} peserta terdaftar",
                    t.enrolled
                )
            };
            return Err(ValidationError::single("scores", why).into());
        }
        let id = match employee_id {
            Some(e) => fact_id("reaction", &[training_id, e]),
            None => uuid::Uuid::now_v7().to_string(),
        };
        let json = serde_json::to_string(scores).unwrap_or_default();
        let tx = self.conn.transaction()?;
        let base: i64 = tx
            .query_row("SELECT version FROM reaction WHERE id = ?1", [&id], |r| {
                r.get(0)
            })
            .optional()?
            .unwrap_or(0);
        let existed = base > 0;
        tx.execute(
            "INSERT INTO reaction (id, training_id, employee_id, scores, recorded_by, recorded_at, version)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
             ON CONFLICT (id) DO UPDATE SET scores = excluded.scores, recorded_by = excluded.recorded_by,
                 recorded_at = excluded.recorded_at, version = excluded.version",
            rusqlite::params![id, training_id, employee_id, json, actor.username, now(), base + 1],
        )?;
        record_fact(
            &tx,
            "reaction",
            &id,
            base,
            (
                &actor.username,
                if existed {
                    AuditAction::Update
                } else {
                    AuditAction::Create
                },
                "kuesioner L1",
            ),
        )?;
        tx.commit()?;
        Ok(())
    }

    /// Means per item and per group over a training's questionnaires.
    pub fn reaction_summary(
        &mut self,
        actor: &Actor,
        training_id: &str,
    ) -> Result<ReactionSummary> {
        self.authorize(actor, Action::ViewEmployees, None)?;
        let all: Vec<Vec<u8>> = self
            .conn
            .prepare("SELECT scores FROM reaction WHERE training_id = ?1")?
            .query_map([training_id], |r| r.get::<_, String>(0))?
            .map(|s| Ok(serde_json::from_str::<Vec<u8>>(&s?).unwrap_or_default()))
            .collect::<rusqlite::Result<_>>()?;
        let column = |i: usize| -> Vec<f64> {
            all.iter()
                .filter_map(|s| s.get(i))
                .map(|v| f64::from(*v))
                .collect()
        };
        let items = REACTION_ITEMS
            .iter()
            .enumerate()
            .map(|(i, (group, item))| ItemMean {
                group: *group,
                item: (*item).to_string(),
                mean: mean(&column(i)),
            })
            .collect();
        let groups = ReactionGroup::ALL
            .iter()
            .map(|g| {
                let values: Vec<f64> = REACTION_ITEMS
                    .iter()
                    .enumerate()
                    .filter(|(_, (group, _))| group == g)
                    .flat_map(|(i, _)| column(i))
                    .collect();
                GroupMean {
                    group: *g,
                    mean: mean(&values),
                }
            })
            .collect();
        Ok(ReactionSummary {
            responses: all.len() as u32,
            items,
            groups,
        })
    }

    /// Records a participant's pre-test and post-test scores (0–100; empty = not taken).
    pub fn set_test_scores(
        &mut self,
        actor: &Actor,
        training_id: &str,
        employee_id: &str,
        pre: Option<f64>,
        post: Option<f64>,
    ) -> Result<()> {
        get_training(&self.conn, training_id)?;
        let employee = crate::register::employees::get(&self.conn, employee_id)?;
        self.authorize(actor, Action::ManageTrainings, Some(&employee.office_id))?;
        let mut errors = Vec::new();
        for (field, v) in [("pre_test", pre), ("post_test", post)] {
            if v.is_some_and(|v| !(0.0..=100.0).contains(&v)) {
                errors.push(pelita_core::FieldError::new(field, "nilai tes harus 0–100"));
            }
        }
        if !errors.is_empty() {
            return Err(ValidationError { errors }.into());
        }
        let id = fact_id("participation", &[training_id, employee_id]);
        let version: i64 = self
            .conn
            .query_row(
                "SELECT version FROM participation WHERE id = ?1 AND state = 'Terdaftar'",
                [&id],
                |r| r.get(0),
            )
            .optional()?
            .ok_or_else(|| StoreError::NotFound("peserta terdaftar".into()))?;
        let tx = self.conn.transaction()?;
        tx.execute(
            "UPDATE participation SET pre_test = ?2, post_test = ?3, version = version + 1, updated_at = ?4
             WHERE id = ?1",
            rusqlite::params![id, pre, post, now()],
        )?;
        record_participation(&tx, &id, version, &actor.username, "nilai pre/post test")?;
        tx.commit()?;
        Ok(())
    }

    /// L2 per participant and on average. A pre-test of 100 has no normalised gain and is left
    /// out of its mean (there was nothing left to learn, not zero learning).
    pub fn learning_summary(
        &mut self,
        actor: &Actor,
        training_id: &str,
    ) -> Result<LearningSummary> {
        self.authorize(actor, Action::ViewEmployees, None)?;
        // Scores are personal: an office sees its own staff's (the HQ everyone's).
        let scope = crate::kernel::scope::office_scope(actor, Action::ViewEmployees, None);
        let rows: Vec<LearningRow> = self
            .conn
            .prepare(
                "SELECT e.id, e.name, p.pre_test, p.post_test FROM participation p
                 JOIN employee e ON e.id = p.employee_id
                 WHERE p.training_id = ?1 AND p.state = 'Terdaftar'
                   AND (?2 IS NULL OR e.office_id = ?2)
                 ORDER BY e.name",
            )?
            .query_map(rusqlite::params![training_id, scope], |r| {
                let (pre, post): (Option<f64>, Option<f64>) = (r.get(2)?, r.get(3)?);
                Ok(LearningRow {
                    employee_id: r.get(0)?,
                    name: r.get(1)?,
                    pre,
                    post,
                    gain: pre.zip(post).map(|(a, b)| b - a),
                    normalised_gain: pre.zip(post).and_then(|(a, b)| normalised_gain(a, b)),
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        let gains: Vec<f64> = rows.iter().filter_map(|r| r.gain).collect();
        let normalised: Vec<f64> = rows.iter().filter_map(|r| r.normalised_gain).collect();
        Ok(LearningSummary {
            mean_gain: mean(&gains),
            mean_normalised_gain: mean(&normalised),
            rows,
        })
    }
}

/// One training's L1, L2 and L3 figures, for the Analisis page.
#[derive(Debug, Clone, Serialize, Type)]
pub struct TrainingEvaluation {
    pub training_id: String,
    pub title: String,
    /// L1 questionnaires (all of the training's: they rate the training, and anonymous ones
    /// belong to no office).
    pub reactions: u32,
    /// Mean over every item of every questionnaire (1–5).
    pub reaction_mean: Option<f64>,
    /// Participants in scope with both tests.
    pub tested: u32,
    pub mean_gain: Option<f64>,
    /// Mean normalised gain over those whose pre-test was under 100.
    pub mean_normalised_gain: Option<f64>,
    /// L3: participants in scope whose atasan rated the training's objectives before and after.
    pub applied: u32,
    /// Mean change of how often they apply an objective (1–5 scale), after minus before.
    pub mean_application_change: Option<f64>,
}

/// L1 and L2 per training starting in `year` (not cancelled; optionally of one theme and
/// route) in which someone of `scope` (None = any office) took part, each table read once.
/// A participation counts for the office it was recorded for, as in the participation figures.
pub fn by_training(
    conn: &rusqlite::Connection,
    year: i32,
    (theme, route): (Option<&str>, Option<&str>),
    scope: Option<&str>,
) -> Result<Vec<TrainingEvaluation>> {
    use std::collections::BTreeMap;
    let year = format!("{year:04}");
    let in_year = "t.deleted = 0 AND t.status <> 'Dibatalkan' AND substr(t.start_date, 1, 4) = ?1
                   AND (?2 IS NULL OR t.theme = ?2) AND (?3 IS NULL OR t.route = ?3)";
    // Per training: (title, start, reaction item sum, item count, questionnaires, gains, ngains).
    type Acc = (String, String, f64, u32, u32, Vec<f64>, Vec<f64>);
    let mut acc: BTreeMap<String, Acc> = BTreeMap::new();
    let mut stmt = conn.prepare(&format!(
        "SELECT t.id, t.title, t.start_date, p.pre_test, p.post_test
         FROM participation p CROSS JOIN training t ON t.id = p.training_id
         WHERE p.state = 'Terdaftar' AND (?4 IS NULL OR p.owner_office_id = ?4) AND {in_year}"
    ))?;
    let mut rows = stmt.query(rusqlite::params![year, theme, route, scope])?;
    while let Some(r) = rows.next()? {
        let entry = acc.entry(r.get(0)?).or_default();
        if entry.0.is_empty() {
            (entry.0, entry.1) = (r.get(1)?, r.get(2)?);
        }
        let (pre, post): (Option<f64>, Option<f64>) = (r.get(3)?, r.get(4)?);
        if let Some((a, b)) = pre.zip(post) {
            entry.5.push(b - a);
            entry.6.extend(normalised_gain(a, b));
        }
    }
    let mut stmt = conn.prepare(&format!(
        "SELECT r.training_id, r.scores FROM reaction r CROSS JOIN training t ON t.id = r.training_id
         WHERE {in_year}"
    ))?;
    let mut rows = stmt.query(rusqlite::params![year, theme, route])?;
    while let Some(r) = rows.next()? {
        let Some(entry) = acc.get_mut(&r.get::<_, String>(0)?) else {
            continue; // nobody in scope took part
        };
        let scores: Vec<u8> = serde_json::from_str(&r.get::<_, String>(1)?).unwrap_or_default();
        entry.2 += scores.iter().map(|s| f64::from(*s)).sum::<f64>();
        entry.3 += scores.len() as u32;
        entry.4 += 1;
    }
    // L3: the change per participant from the baseline to the follow-up.
    let mut applied: BTreeMap<String, Vec<f64>> = BTreeMap::new();
    let mut stmt = conn.prepare(&format!(
        "SELECT t.id, f.baseline, f.applied FROM behaviour_followup f
         CROSS JOIN participation p ON p.id = f.participation_id
         CROSS JOIN training t ON t.id = p.training_id
         WHERE f.baseline IS NOT NULL AND f.applied IS NOT NULL AND p.state = 'Terdaftar'
           AND (?4 IS NULL OR p.owner_office_id = ?4) AND {in_year}"
    ))?;
    let mut rows = stmt.query(rusqlite::params![year, theme, route, scope])?;
    while let Some(r) = rows.next()? {
        let levels = |i: usize| -> rusqlite::Result<Vec<ObjectiveLevel>> {
            Ok(serde_json::from_str(&r.get::<_, String>(i)?).unwrap_or_default())
        };
        if let Some(change) = application::change(&levels(1)?, &levels(2)?) {
            applied.entry(r.get(0)?).or_default().push(change);
        }
    }
    let mut out: Vec<(String, TrainingEvaluation)> = acc
        .into_iter()
        .map(
            |(id, (title, start, sum, items, reactions, gains, ngains))| {
                let changes = applied.remove(&id).unwrap_or_default();
                let evaluation = TrainingEvaluation {
                    training_id: id,
                    title,
                    reactions,
                    reaction_mean: (items > 0).then(|| sum / f64::from(items)),
                    tested: gains.len() as u32,
                    mean_gain: mean(&gains),
                    mean_normalised_gain: mean(&ngains),
                    applied: changes.len() as u32,
                    mean_application_change: mean(&changes),
                };
                (start, evaluation)
            },
        )
        .collect();
    out.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.title.cmp(&b.1.title)));
    Ok(out.into_iter().map(|(_, e)| e).collect())
}
