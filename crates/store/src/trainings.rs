//! Trainings: the catalogue, sessions, enrolment with a waiting list, completion and JP diakui.
//! An office manages its own trainings; the Kantor Camat's trainings are the district catalogue,
//! which every office may enrol its own employees into. Attendance is in `attendance.rs`.

use pelita_core::auth::{Action, Actor, Role};
use pelita_core::training::{completes, Route, TrainingInput, TrainingStatus};
use pelita_core::ValidationError;
use rusqlite::{Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use specta::Type;

use crate::audit::{self, AuditAction, AuditEvent};
use crate::outbox::{self, now, Mutation};
use crate::{employees, Result, Store, StoreError};

/// A training as lists and pages show it.
#[derive(Debug, Clone, Serialize, Type)]
pub struct Training {
    pub id: String,
    pub owner_office_id: String,
    pub input: TrainingInput,
    pub status: TrainingStatus,
    /// Session ids, in order (attendance is recorded against them).
    pub session_ids: Vec<String>,
    pub enrolled: u32,
    pub waiting: u32,
    pub version: i64,
}

/// One participant of a training.
#[derive(Debug, Clone, Serialize, Type)]
pub struct Participant {
    pub id: String,
    pub employee_id: String,
    pub nip: String,
    pub name: String,
    pub office_id: String,
    pub state: ParticipationState,
    /// Place on the waiting list (1 = next in), for those waiting.
    pub waiting_place: Option<u32>,
    pub completed: bool,
    pub jp_diakui: u32,
    pub jp_reason: String,
    pub certificate_number: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
pub enum ParticipationState {
    Terdaftar,
    #[serde(rename = "Daftar Tunggu")]
    DaftarTunggu,
    #[serde(rename = "Mengundurkan Diri")]
    MengundurkanDiri,
}

impl ParticipationState {
    fn label(self) -> &'static str {
        match self {
            Self::Terdaftar => "Terdaftar",
            Self::DaftarTunggu => "Daftar Tunggu",
            Self::MengundurkanDiri => "Mengundurkan Diri",
        }
    }

    fn parse(s: &str) -> Self {
        match s {
            "Terdaftar" => Self::Terdaftar,
            "Daftar Tunggu" => Self::DaftarTunggu,
            _ => Self::MengundurkanDiri,
        }
    }
}

/// Filters for the training list; empty fields filter nothing.
#[derive(Debug, Clone, Default, Serialize, Deserialize, Type)]
pub struct TrainingQuery {
    pub year: Option<i32>,
    pub theme: Option<String>,
    pub route: Option<Route>,
    pub status: Option<TrainingStatus>,
    pub office_id: Option<String>,
}

/// The deterministic id of a fact: the same (kind, parts) gives the same id on every laptop.
pub(crate) fn fact_id(kind: &str, parts: &[&str]) -> String {
    let key = format!("pelita/{kind}/{}", parts.join("/"));
    uuid::Uuid::new_v5(&uuid::Uuid::NAMESPACE_OID, key.as_bytes()).to_string()
}

/// Appends the outbox mutation and the audit entry for a change to a training-side row.
pub(crate) fn record_fact(
    conn: &Connection,
    entity: &str,
    id: &str,
    (base_version, version): (i64, i64),
    owner: &str,
    payload: serde_json::Value,
    (by, action, detail): (&str, AuditAction, &str),
) -> Result<()> {
    outbox::append(
        conn,
        Mutation {
            entity,
            row_id: id,
            base_version,
            version,
            owner_office_id: owner,
            payload,
        },
    )?;
    audit::append(
        conn,
        &AuditEvent {
            actor: by,
            office_id: owner,
            action,
            entity,
            record_id: id,
            detail,
        },
    )
}

const TRAINING_COLUMNS: &str = "id, owner_office_id, title, theme, route, organiser, location,
    start_date, end_date, jp, capacity, certificate, completion_share, status, version";

pub(crate) fn get(conn: &Connection, id: &str) -> Result<Training> {
    let mut t = conn
        .query_row(
            &format!("SELECT {TRAINING_COLUMNS} FROM training WHERE id = ?1 AND deleted = 0"),
            [id],
            |r| {
                let text = |i: usize| -> rusqlite::Result<String> { r.get(i) };
                Ok((
                    text(0)?,
                    text(1)?,
                    TrainingInput {
                        title: text(2)?,
                        theme: text(3)?,
                        route: Route::parse(&text(4)?).unwrap_or(Route::KlasikalLainnya),
                        organiser: text(5)?,
                        owner_office_id: text(1)?,
                        location: text(6)?,
                        start_date: text(7)?,
                        end_date: text(8)?,
                        sessions: Vec::new(),
                        jp: r.get(9)?,
                        capacity: r.get(10)?,
                        certificate: r.get(11)?,
                        completion_share: r.get(12)?,
                    },
                    TrainingStatus::parse(&text(13)?).unwrap_or(TrainingStatus::Direncanakan),
                    r.get::<_, i64>(14)?,
                ))
            },
        )
        .optional()?
        .map(|(id, owner, input, status, version)| Training {
            id,
            owner_office_id: owner,
            input,
            status,
            session_ids: Vec::new(),
            enrolled: 0,
            waiting: 0,
            version,
        })
        .ok_or_else(|| StoreError::NotFound("pelatihan".into()))?;
    let mut stmt = conn.prepare(
        "SELECT id, date, start_time, end_time FROM training_session WHERE training_id = ?1
         ORDER BY position",
    )?;
    for row in stmt.query_map([id], |r| {
        Ok((
            r.get::<_, String>(0)?,
            pelita_core::training::SessionInput {
                date: r.get(1)?,
                start_time: r.get(2)?,
                end_time: r.get(3)?,
            },
        ))
    })? {
        let (sid, session) = row?;
        t.session_ids.push(sid);
        t.input.sessions.push(session);
    }
    let count = |state: &str| -> Result<u32> {
        Ok(conn.query_row(
            "SELECT count(*) FROM participation WHERE training_id = ?1 AND state = ?2",
            [id, state],
            |r| r.get(0),
        )?)
    };
    t.enrolled = count("Terdaftar")?;
    t.waiting = count("Daftar Tunggu")?;
    Ok(t)
}

/// Refuses a change to a finished or cancelled training, saying what cannot be done.
fn refuse_closed(t: &Training, field: &str, what: &str) -> Result<()> {
    if matches!(
        t.status,
        TrainingStatus::Selesai | TrainingStatus::Dibatalkan
    ) {
        return Err(ValidationError::single(
            field,
            format!("pelatihan berstatus {} {what}", t.status.label()),
        )
        .into());
    }
    Ok(())
}

fn training_payload(t: &Training) -> serde_json::Value {
    serde_json::json!({
        "id": t.id, "owner_office_id": t.owner_office_id, "input": t.input,
        "status": t.status.label(), "session_ids": t.session_ids, "version": t.version,
    })
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
        crate::offices::get(&self.conn, &input.owner_office_id)?;
        let id = uuid::Uuid::now_v7().to_string();
        let tx = self.conn.transaction()?;
        tx.execute(
            "INSERT OR IGNORE INTO training_theme (name) VALUES (?1)",
            [input.theme.trim()],
        )?;
        let stamp = now();
        tx.execute(
            "INSERT INTO training (id, owner_office_id, title, theme, route, form, organiser, location,
                 start_date, end_date, jp, capacity, certificate, completion_share, status, version,
                 created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, 'Direncanakan', 1, ?15, ?15)",
            rusqlite::params![
                id,
                input.owner_office_id,
                input.title.trim(),
                input.theme.trim(),
                input.route.label(),
                format!("{:?}", input.route.form()),
                input.organiser.trim(),
                input.location.trim(),
                input.start_date.trim(),
                input.end_date.trim(),
                input.jp,
                input.capacity,
                input.certificate,
                input.completion_share,
                stamp
            ],
        )?;
        write_sessions(&tx, &id, input)?;
        let t = get(&tx, &id)?;
        record_fact(
            &tx,
            "training",
            &id,
            (0, 1),
            &t.owner_office_id,
            training_payload(&t),
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
            let visible = actor.has(Role::AdminKecamatan)
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
                 certificate = ?12, completion_share = ?13, version = version + 1, updated_at = ?14
             WHERE id = ?1",
            rusqlite::params![
                id,
                input.title.trim(),
                input.theme.trim(),
                input.route.label(),
                format!("{:?}", input.route.form()),
                input.organiser.trim(),
                input.location.trim(),
                input.start_date.trim(),
                input.end_date.trim(),
                input.jp,
                input.capacity,
                input.certificate,
                input.completion_share,
                now()
            ],
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
            (expected_version, t.version),
            &t.owner_office_id,
            training_payload(&t),
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
        let today = crate::appraisals::today(&self.conn).to_string();
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
            let participants: Vec<(String, String, i64)> = tx
                .prepare(
                    "SELECT id, employee_id, version FROM participation
                     WHERE training_id = ?1 AND state = 'Terdaftar'",
                )?
                .query_map([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
                .collect::<rusqlite::Result<_>>()?;
            for (pid, employee, version) in participants {
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
            (expected_version, t.version),
            &t.owner_office_id,
            training_payload(&t),
            (&actor.username, AuditAction::Update, status.label()),
        )?;
        tx.commit()?;
        Ok(t)
    }

    /// Enrols an employee: within capacity they are in, beyond it they wait. An office enrols
    /// its own employees (into its trainings or the district's); the HQ enrols anyone.
    pub fn enrol(
        &mut self,
        actor: &Actor,
        training_id: &str,
        employee_id: &str,
    ) -> Result<Participant> {
        let t = get(&self.conn, training_id)?;
        let employee = employees::get(&self.conn, employee_id)?;
        self.authorize(actor, Action::ManageTrainings, Some(&employee.office_id))?;
        let hq = pelita_core::office::office_id(pelita_core::office::HQ_CODE);
        if t.owner_office_id != employee.office_id && t.owner_office_id != hq {
            return Err(ValidationError::single(
                "employee_id",
                "pelatihan kantor lain hanya untuk pegawai kantor itu",
            )
            .into());
        }
        refuse_closed(&t, "training_id", "tidak menerima peserta")?;
        if !employee.active {
            return Err(ValidationError::single(
                "employee_id",
                format!("{} tidak aktif", employee.display_name),
            )
            .into());
        }
        let id = fact_id("participation", &[training_id, employee_id]);
        let tx = self.conn.transaction()?;
        // Those already waiting go first into any free place.
        promote_waiting(&tx, training_id, &actor.username)?;
        let t = get(&tx, training_id)?;
        let existing: Option<(String, i64)> = tx
            .query_row(
                "SELECT state, version FROM participation WHERE id = ?1",
                [&id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        let state = if t.enrolled < t.input.capacity {
            ParticipationState::Terdaftar
        } else {
            ParticipationState::DaftarTunggu
        };
        let seq: i64 = tx.query_row(
            "SELECT coalesce(max(enrolled_seq), 0) + 1 FROM participation WHERE training_id = ?1",
            [training_id],
            |r| r.get(0),
        )?;
        let base = match existing {
            Some((s, _))
                if ParticipationState::parse(&s) != ParticipationState::MengundurkanDiri =>
            {
                return Err(ValidationError::single(
                    "employee_id",
                    format!("{} sudah terdaftar ({s})", employee.display_name),
                )
                .into());
            }
            Some((_, version)) => {
                tx.execute(
                    "UPDATE participation SET state = ?2, enrolled_seq = ?3, version = version + 1,
                         updated_at = ?4 WHERE id = ?1",
                    rusqlite::params![id, state.label(), seq, now()],
                )?;
                version
            }
            None => {
                tx.execute(
                    "INSERT INTO participation (id, training_id, employee_id, owner_office_id, state,
                         enrolled_seq, version, updated_at)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, 1, ?7)",
                    rusqlite::params![id, training_id, employee_id, employee.office_id, state.label(), seq, now()],
                )?;
                0
            }
        };
        record_participation(&tx, &id, base, &actor.username, state.label())?;
        tx.commit()?;
        participant(&self.conn, &id)
    }

    /// Withdraws an enrolment; the first on the waiting list takes the place.
    pub fn withdraw(&mut self, actor: &Actor, training_id: &str, employee_id: &str) -> Result<()> {
        let employee = employees::get(&self.conn, employee_id)?;
        self.authorize(actor, Action::ManageTrainings, Some(&employee.office_id))?;
        refuse_closed(
            &get(&self.conn, training_id)?,
            "training_id",
            "tidak dapat diubah pesertanya",
        )?;
        let id = fact_id("participation", &[training_id, employee_id]);
        let (version, state): (i64, String) = self
            .conn
            .query_row(
                "SELECT version, state FROM participation WHERE id = ?1",
                [&id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?
            .ok_or_else(|| {
                StoreError::NotFound(format!("pendaftaran {}", employee.display_name))
            })?;
        let tx = self.conn.transaction()?;
        tx.execute(
            "UPDATE participation SET state = 'Mengundurkan Diri', version = version + 1, updated_at = ?2
             WHERE id = ?1",
            rusqlite::params![id, now()],
        )?;
        record_participation(&tx, &id, version, &actor.username, "mengundurkan diri")?;
        if state == "Terdaftar" {
            promote_waiting(&tx, training_id, &actor.username)?;
        }
        tx.commit()?;
        Ok(())
    }

    /// Everyone enrolled or waiting, enrolled first, then by place in the queue.
    pub fn participants(&mut self, actor: &Actor, training_id: &str) -> Result<Vec<Participant>> {
        self.authorize(actor, Action::ViewEmployees, None)?;
        let ids: Vec<String> = self
            .conn
            .prepare(
                "SELECT p.id FROM participation p JOIN employee e ON e.id = p.employee_id
                 WHERE p.training_id = ?1 AND p.state <> 'Mengundurkan Diri'
                 ORDER BY p.state = 'Daftar Tunggu', CASE WHEN p.state = 'Terdaftar' THEN e.name END, p.enrolled_seq",
            )?
            .query_map([training_id], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        let all: Vec<Participant> = ids
            .iter()
            .map(|id| participant(&self.conn, id))
            .collect::<Result<_>>()?;
        Ok(all
            .into_iter()
            .filter(|p| actor.has(Role::AdminKecamatan) || p.office_id == actor.office_id)
            .collect())
    }

    /// Sets JP diakui of a participant of a finished training, with the reason: a correction of
    /// what the attendance decided (more than 0 JP recognises the training as completed).
    pub fn set_jp_diakui(
        &mut self,
        actor: &Actor,
        training_id: &str,
        employee_id: &str,
        jp: u32,
        reason: &str,
    ) -> Result<Participant> {
        let employee = employees::get(&self.conn, employee_id)?;
        self.authorize(actor, Action::ManageTrainings, Some(&employee.office_id))?;
        let id = fact_id("participation", &[training_id, employee_id]);
        let p = participant(&self.conn, &id)?;
        if get(&self.conn, training_id)?.status != TrainingStatus::Selesai
            || p.state != ParticipationState::Terdaftar
        {
            return Err(ValidationError::single(
                "jp_diakui",
                "JP diakui diatur untuk peserta terdaftar setelah pelatihan selesai",
            )
            .into());
        }
        if reason.trim().is_empty() {
            return Err(ValidationError::single(
                "jp_reason",
                "sebutkan alasan perubahan JP diakui",
            )
            .into());
        }
        let version: i64 = self.conn.query_row(
            "SELECT version FROM participation WHERE id = ?1",
            [&id],
            |r| r.get(0),
        )?;
        let tx = self.conn.transaction()?;
        tx.execute(
            "UPDATE participation SET jp_diakui = ?2, jp_reason = ?3, completed = ?2 > 0,
                 version = version + 1, updated_at = ?4
             WHERE id = ?1",
            rusqlite::params![id, jp, reason.trim(), now()],
        )?;
        record_participation(
            &tx,
            &id,
            version,
            &actor.username,
            &format!("JP diakui {jp}"),
        )?;
        tx.commit()?;
        participant(&self.conn, &id)
    }

    /// Records the certificate number of a participant.
    pub fn set_certificate_number(
        &mut self,
        actor: &Actor,
        training_id: &str,
        employee_id: &str,
        number: &str,
    ) -> Result<Participant> {
        let employee = employees::get(&self.conn, employee_id)?;
        self.authorize(actor, Action::ManageTrainings, Some(&employee.office_id))?;
        let id = fact_id("participation", &[training_id, employee_id]);
        let version: i64 = self
            .conn
            .query_row(
                "SELECT version FROM participation WHERE id = ?1",
                [&id],
                |r| r.get(0),
            )
            .optional()?
            .ok_or_else(|| StoreError::NotFound("peserta".into()))?;
        let tx = self.conn.transaction()?;
        tx.execute(
            "UPDATE participation SET certificate_number = ?2, version = version + 1, updated_at = ?3
             WHERE id = ?1",
            rusqlite::params![id, number.trim(), now()],
        )?;
        record_participation(&tx, &id, version, &actor.username, "nomor sertifikat")?;
        tx.commit()?;
        participant(&self.conn, &id)
    }
}

fn participant(conn: &Connection, id: &str) -> Result<Participant> {
    let row = conn
        .query_row(
            "SELECT p.id, p.employee_id, e.nip, e.name, e.office_id, p.state, p.completed, p.jp_diakui,
                    p.jp_reason, p.certificate_number, p.training_id, p.enrolled_seq
             FROM participation p JOIN employee e ON e.id = p.employee_id WHERE p.id = ?1",
            [id],
            |r| {
                Ok((
                    Participant {
                        id: r.get(0)?,
                        employee_id: r.get(1)?,
                        nip: r.get(2)?,
                        name: r.get(3)?,
                        office_id: r.get(4)?,
                        state: ParticipationState::parse(&r.get::<_, String>(5)?),
                        waiting_place: None,
                        completed: r.get(6)?,
                        jp_diakui: r.get(7)?,
                        jp_reason: r.get(8)?,
                        certificate_number: r.get(9)?,
                    },
                    r.get::<_, String>(10)?,
                    r.get::<_, i64>(11)?,
                ))
            },
        )
        .optional()?
        .ok_or_else(|| StoreError::NotFound("peserta".into()))?;
    let (mut p, training, seq) = row;
    if p.state == ParticipationState::DaftarTunggu {
        let ahead: u32 = conn.query_row(
            "SELECT count(*) FROM participation WHERE training_id = ?1 AND state = 'Daftar Tunggu'
             AND enrolled_seq < ?2",
            rusqlite::params![training, seq],
            |r| r.get(0),
        )?;
        p.waiting_place = Some(ahead + 1);
    }
    Ok(p)
}

/// Appends the outbox mutation and audit entry for a participation's current state.
pub(crate) fn record_participation(
    conn: &Connection,
    id: &str,
    base: i64,
    by: &str,
    detail: &str,
) -> Result<()> {
    let (payload, version, owner): (String, i64, String) = conn.query_row(
        "SELECT json_object('id', id, 'training_id', training_id, 'employee_id', employee_id,
                 'state', state, 'enrolled_seq', enrolled_seq, 'completed', completed,
                 'jp_diakui', jp_diakui, 'jp_reason', jp_reason,
                 'certificate_number', certificate_number, 'pre_test', pre_test,
                 'post_test', post_test, 'version', version, 'updated_at', updated_at),
                version, owner_office_id
         FROM participation WHERE id = ?1",
        [id],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )?;
    record_fact(
        conn,
        "participation",
        id,
        (base, version),
        &owner,
        serde_json::from_str(&payload).unwrap_or(serde_json::Value::Null),
        (
            by,
            if base == 0 {
                AuditAction::Create
            } else {
                AuditAction::Update
            },
            detail,
        ),
    )
}

/// Moves people from the waiting list into free places, first come first served.
fn promote_waiting(conn: &Connection, training_id: &str, by: &str) -> Result<()> {
    let capacity: u32 = conn.query_row(
        "SELECT capacity FROM training WHERE id = ?1",
        [training_id],
        |r| r.get(0),
    )?;
    loop {
        let enrolled: u32 = conn.query_row(
            "SELECT count(*) FROM participation WHERE training_id = ?1 AND state = 'Terdaftar'",
            [training_id],
            |r| r.get(0),
        )?;
        if enrolled >= capacity {
            return Ok(());
        }
        let next: Option<(String, i64)> = conn
            .query_row(
                "SELECT id, version FROM participation WHERE training_id = ?1 AND state = 'Daftar Tunggu'
                 ORDER BY enrolled_seq LIMIT 1",
                [training_id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        let Some((id, version)) = next else {
            return Ok(());
        };
        conn.execute(
            "UPDATE participation SET state = 'Terdaftar', version = version + 1, updated_at = ?2 WHERE id = ?1",
            rusqlite::params![id, now()],
        )?;
        record_participation(conn, &id, version, by, "naik dari daftar tunggu")?;
    }
}
