//! Trainings: the catalogue, sessions, status and completion (which decides JP diakui from the
//! attendance). An office manages its own trainings; the Kantor Camat's trainings are the district
//! catalogue, which every office may enrol its own employees into. Enrolment is in `enrolment.rs`,
//! attendance in `attendance.rs`.

use pelita_core::auth::{Action, Actor};
use pelita_core::training::{completes, Route, TrainingInput, TrainingStatus};
use pelita_core::ValidationError;
use rusqlite::types::Value::{Integer, Text};
use rusqlite::Connection;
use serde::{Deserialize, Serialize};
use specta::Type;

use crate::kernel::audit::AuditAction;
use crate::kernel::clock::now;
use crate::kernel::journal::record_fact;
use crate::training::enrolment::{promote_waiting, record_participation};
use crate::training::rows::{get, refuse_closed, Training};
use crate::{Result, Store, StoreError};
use pelita_core::fact_id;

/// Filters for the training list; empty fields filter nothing.
#[derive(Debug, Clone, Default, Serialize, Deserialize, Type)]
pub struct TrainingQuery {
    pub year: Option<i32>,
    pub theme: Option<String>,
    pub route: Option<Route>,
    pub status: Option<TrainingStatus>,
    pub office_id: Option<String>,
}

/// The training's own columns, in the order INSERT and UPDATE both list them (title … completion
/// share, method, objectives), so the two can never disagree.
fn training_values(input: &TrainingInput) -> [rusqlite::types::Value; 14] {
    [
        Text(input.title.trim().into()),
        Text(input.theme.trim().into()),
        Text(input.route.label().into()),
        Text(format!("{:?}", input.route.form())),
        Text(input.organiser.trim().into()),
        Text(input.location.trim().into()),
        Text(input.start_date.trim().into()),
        Text(input.end_date.trim().into()),
        Integer(input.jp.into()),
        Integer(input.capacity.into()),
        Integer(input.certificate.into()),
        Integer(input.completion_share.into()),
        Text(input.method.label().into()),
        Text(
            serde_json::to_string(
                &pelita_core::training::application::check_objectives(&input.objectives)
                    .unwrap_or_default(),
            )
            .unwrap_or_else(|_| "[]".into()),
        ),
    ]
}

fn write_sessions(conn: &Connection, training_id: &str, input: &TrainingInput) -> Result<()> {
    conn.execute(
        "DELETE FROM training_session WHERE training_id = ?1",
        [training_id],
    )?;
    for (i, s) in input.sessions.iter().enumerate() {
        conn.execute(
            "INSERT INTO training_session (id, training_id, position, date, start_time, end_time)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            rusqlite::params![
                fact_id("session", &[training_id, &i.to_string()]),
                training_id,
                i as i64,
                s.date.trim(),
                s.start_time.trim(),
                s.end_time.trim()
            ],
        )?;
    }
    Ok(())
}

impl Store {
    /// The themes trainings may have (seeded, and those offices added).
    pub fn training_themes(&self) -> Result<Vec<String>> {
        Ok(self
            .conn
            .prepare("SELECT name FROM training_theme ORDER BY name")?
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?)
    }

    pub fn create_training(&mut self, actor: &Actor, input: &TrainingInput) -> Result<Training> {
        self.authorize(actor, Action::ManageTrainings, Some(&input.owner_office_id))?;
        input.validate()?;
        crate::kernel::offices::get(&self.conn, &input.owner_office_id)?;
        let id = uuid::Uuid::now_v7().to_string();
        let tx = self.conn.savepoint()?;
        tx.execute(
            "INSERT OR IGNORE INTO training_theme (name) VALUES (?1)",
            [input.theme.trim()],
        )?;
        let stamp = now();
        tx.execute(
            "INSERT INTO training (id, owner_office_id, title, theme, route, form, organiser, location,
                 start_date, end_date, jp, capacity, certificate, completion_share, method, objectives,
                 status, version, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16,
                 'Direncanakan', 1, ?17, ?17)",
            rusqlite::params_from_iter(
                [Text(id.clone()), Text(input.owner_office_id.clone())]
                    .into_iter()
                    .chain(training_values(input))
                    .chain([Text(stamp)]),
            ),
        )?;
        write_sessions(&tx, &id, input)?;
        let t = get(&tx, &id)?;
        record_fact(
            &tx,
            "training",
            &id,
            0,
            (&actor.username, AuditAction::Create, &t.input.title),
        )?;
        tx.commit()?;
        Ok(t)
    }

    /// A training of the actor's office or of the district catalogue (the HQ sees all).
    pub fn training(&mut self, actor: &Actor, id: &str) -> Result<Training> {
        let t = get(&self.conn, id)?;
        let hq = pelita_core::office::office_id(pelita_core::office::HQ_CODE);
        let office = if t.owner_office_id == hq {
            actor.office_id.clone()
        } else {
            t.owner_office_id.clone()
        };
        self.authorize(actor, Action::ViewEmployees, Some(&office))?;
        Ok(t)
    }

    /// Trainings matching the filters, newest first. Offices see their own and the district's.
    pub fn list_trainings(&mut self, actor: &Actor, q: &TrainingQuery) -> Result<Vec<Training>> {
        self.authorize(actor, Action::ViewEmployees, None)?;
        let hq = pelita_core::office::office_id(pelita_core::office::HQ_CODE);
        let ids: Vec<String> = self
            .conn
            .prepare("SELECT id FROM training WHERE deleted = 0 ORDER BY start_date DESC, title")?
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        let mut out = Vec::new();
        for id in ids {
            let t = get(&self.conn, &id)?;
            let visible = pelita_core::auth::district_wide(actor)
                || t.owner_office_id == actor.office_id
                || t.owner_office_id == hq;
            let year_ok = q.year.is_none_or(|y| {
                pelita_core::training::jp_year(&t.input.end_date) == Some(y)
                    || t.input.start_date.starts_with(&y.to_string())
            });
            if visible
                && year_ok
                && q.theme
                    .as_deref()
                    .is_none_or(|th| th.is_empty() || th.eq_ignore_ascii_case(&t.input.theme))
                && q.route.is_none_or(|r| r == t.input.route)
                && q.status.is_none_or(|s| s == t.status)
                && q.office_id
                    .as_deref()
                    .is_none_or(|o| o.is_empty() || o == t.owner_office_id)
            {
                out.push(t);
            }
        }
        Ok(out)
    }

    /// Changes a planned or running training (not a finished or cancelled one).
    pub fn update_training(
        &mut self,
        actor: &Actor,
        id: &str,
        expected_version: i64,
        input: &TrainingInput,
    ) -> Result<Training> {
        let current = get(&self.conn, id)?;
        self.authorize(
            actor,
            Action::ManageTrainings,
            Some(&current.owner_office_id),
        )?;
        if input.owner_office_id != current.owner_office_id {
            return Err(ValidationError::single(
                "owner_office_id",
                "pemilik pelatihan tidak dapat dipindahkan",
            )
            .into());
        }
        refuse_closed(&current, "status", "tidak dapat diubah")?;
        if current.version != expected_version {
            return Err(StoreError::VersionConflict);
        }
        input.validate()?;
        // The baselines already given rate these objectives: they stay as they are (L3 compares
        // the same objective before and after).
        let objectives = pelita_core::training::application::check_objectives(&input.objectives)?;
        if objectives != current.input.objectives {
            let rated: bool = self.conn.query_row(
                "SELECT EXISTS (SELECT 1 FROM behaviour_followup f JOIN participation p
                     ON p.id = f.participation_id WHERE p.training_id = ?1 AND f.baseline IS NOT NULL)",
                [id],
                |r| r.get(0),
            )?;
            if rated {
                return Err(ValidationError::single(
                    "objectives",
                    "tujuan pelatihan sudah dinilai pada penilaian awal peserta; tujuannya tidak diubah lagi",
                )
                .into());
            }
        }
        if input.capacity < current.enrolled {
            return Err(ValidationError::single(
                "capacity",
                format!(
                    "sudah {} peserta terdaftar; kapasitas tidak dapat lebih kecil",
                    current.enrolled
                ),
            )
            .into());
        }
        let recorded: u32 = self.conn.query_row(
            "SELECT count(*) FROM attendance WHERE training_id = ?1",
            [id],
            |r| r.get(0),
        )?;
        // Attendance is recorded against a session's place in the list: once recorded, the
        // sessions stay as they are (a changed date would carry the attendance with it).
        if recorded > 0 && input.sessions != current.input.sessions {
            return Err(ValidationError::single(
                "sessions",
                "kehadiran sudah dicatat: sesi tidak dapat diubah lagi",
            )
            .into());
        }
        let tx = self.conn.transaction()?;
        tx.execute(
            "INSERT OR IGNORE INTO training_theme (name) VALUES (?1)",
            [input.theme.trim()],
        )?;
        tx.execute(
            "UPDATE training SET title = ?2, theme = ?3, route = ?4, form = ?5, organiser = ?6,
                 location = ?7, start_date = ?8, end_date = ?9, jp = ?10, capacity = ?11,
                 certificate = ?12, completion_share = ?13, method = ?14, objectives = ?15,
                 version = version + 1, updated_at = ?16
             WHERE id = ?1",
            rusqlite::params_from_iter(
                std::iter::once(Text(id.to_string()))
                    .chain(training_values(input))
                    .chain([Text(now())]),
            ),
        )?;
        // Same count of sessions: positions (and so session ids and their attendance) stay.
        for (i, s) in input.sessions.iter().enumerate() {
            tx.execute(
                "INSERT INTO training_session (id, training_id, position, date, start_time, end_time)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                 ON CONFLICT (training_id, position) DO UPDATE SET date = excluded.date,
                     start_time = excluded.start_time, end_time = excluded.end_time",
                rusqlite::params![fact_id("session", &[id, &i.to_string()]), id, i as i64, s.date.trim(), s.start_time.trim(), s.end_time.trim()],
            )?;
        }
        tx.execute(
            "DELETE FROM training_session WHERE training_id = ?1 AND position >= ?2",
            rusqlite::params![id, input.sessions.len() as i64],
        )?;
        promote_waiting(&tx, id, &actor.username)?;
        let t = get(&tx, id)?;
        record_fact(
            &tx,
            "training",
            id,
            expected_version,
            (&actor.username, AuditAction::Update, &t.input.title),
        )?;
        tx.commit()?;
        Ok(t)
    }

    /// Sets the status of a training: `Berlangsung`, `Dibatalkan`, or `Selesai` — which
    /// decides completion and JP diakui for every enrolled participant from their attendance.
    pub fn set_training_status(
        &mut self,
        actor: &Actor,
        id: &str,
        expected_version: i64,
        status: TrainingStatus,
    ) -> Result<Training> {
        let current = get(&self.conn, id)?;
        self.authorize(
            actor,
            Action::ManageTrainings,
            Some(&current.owner_office_id),
        )?;
        if current.version != expected_version {
            return Err(StoreError::VersionConflict);
        }
        refuse_closed(&current, "status", "tidak dapat diubah lagi")?;
        let today = crate::kernel::clock::today(&self.conn).to_string();
        if status == TrainingStatus::Selesai && current.input.end_date.as_str() > today.as_str() {
            return Err(ValidationError::single(
                "status",
                "pelatihan belum berakhir; selesaikan setelah tanggal selesai",
            )
            .into());
        }
        let tx = self.conn.transaction()?;
        tx.execute(
            "UPDATE training SET status = ?2, version = version + 1, updated_at = ?3 WHERE id = ?1",
            rusqlite::params![id, status.label(), now()],
        )?;
        if status == TrainingStatus::Selesai {
            let sessions = current.session_ids.len() as u32;
            let participants: Vec<(String, String, i64, String)> = tx
                .prepare(
                    "SELECT id, employee_id, version, owner_office_id FROM participation
                     WHERE training_id = ?1 AND state = 'Terdaftar'",
                )?
                .query_map([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
                .collect::<rusqlite::Result<_>>()?;
            for (pid, employee, version, owner) in participants {
                // A participant who moved to another office since enrolling is that office's now:
                // this laptop finishes the training for everyone else (the Kantor Camat, which
                // writes every office's rows, sets their JP diakui).
                if crate::kernel::outbox::writable_here(&tx, "participation", Some(&owner), &owner)
                    .is_err()
                {
                    continue;
                }
                let attended: u32 = tx.query_row(
                    "SELECT count(*) FROM attendance WHERE training_id = ?1 AND employee_id = ?2
                     AND status = 'Hadir'",
                    [id, &employee],
                    |r| r.get(0),
                )?;
                let done = completes(attended, sessions, current.input.completion_share);
                let jp = if done { current.input.jp } else { 0 };
                tx.execute(
                    "UPDATE participation SET completed = ?2, jp_diakui = ?3, version = version + 1,
                         updated_at = ?4 WHERE id = ?1",
                    rusqlite::params![pid, done, jp, now()],
                )?;
                record_participation(&tx, &pid, version, &actor.username, "selesai")?;
            }
        }
        let t = get(&tx, id)?;
        record_fact(
            &tx,
            "training",
            id,
            expected_version,
            (&actor.username, AuditAction::Update, status.label()),
        )?;
        tx.commit()?;
        Ok(t)
    }
}
