//! Enrolment in a training: capacity and the waiting list, withdrawal, the participant list, JP
//! diakui and certificate numbers. A participation's id derives from (training, employee), so one
//! employee is one row in a training however often they are enrolled or withdrawn.

use pelita_core::auth::{Action, Actor, Role};
use pelita_core::training::TrainingStatus;
use pelita_core::ValidationError;
use rusqlite::{Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use specta::Type;

use crate::kernel::audit::AuditAction;
use crate::kernel::clock::now;
use crate::kernel::journal::record_fact;
use crate::training::rows::{get, refuse_closed};
use crate::{register::employees, Result, Store, StoreError};
use pelita_core::fact_id;

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
    /// The certificate's scan or photo (PDF/JPEG/PNG), synced like bukti dukung.
    pub certificate_files: Vec<crate::kernel::attachments::Attachment>,
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

impl Store {
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
        // An office enrols its own staff into its own or the district's trainings; the HQ
        // enrols anyone into any training (a kelurahan's training opened to its neighbours).
        if t.owner_office_id != employee.office_id
            && t.owner_office_id != hq
            && !actor.has(Role::AdminKecamatan)
        {
            return Err(ValidationError::single(
                "employee_id",
                "pelatihan kantor lain hanya untuk pegawai kantor itu; Admin Kecamatan dapat mendaftarkan pegawai antarkantor",
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
        let tx = self.conn.savepoint()?;
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
            .filter(|p| pelita_core::auth::district_wide(actor) || p.office_id == actor.office_id)
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
                        certificate_files: Vec::new(),
                    },
                    r.get::<_, String>(10)?,
                    r.get::<_, i64>(11)?,
                ))
            },
        )
        .optional()?
        .ok_or_else(|| StoreError::NotFound("peserta".into()))?;
    let (mut p, training, seq) = row;
    p.certificate_files = crate::kernel::attachments::list(
        conn,
        crate::kernel::attachments::AttachedTo::Participation(&p.id),
    )?;
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
    record_fact(
        conn,
        "participation",
        id,
        base,
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
pub(crate) fn promote_waiting(conn: &Connection, training_id: &str, by: &str) -> Result<()> {
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
