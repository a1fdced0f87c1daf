//! A training as stored, read whole (with its sessions and head counts), and the refusal of a
//! change to a closed one: what the training-side writes share.

use pelita_core::training::{stored_route, Method, Route, TrainingInput, TrainingStatus};
use pelita_core::ValidationError;
use rusqlite::{Connection, OptionalExtension};
use serde::Serialize;
use specta::Type;

use crate::{Result, StoreError};

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

const TRAINING_COLUMNS: &str = "id, owner_office_id, title, theme, route, organiser, location,
    start_date, end_date, jp, capacity, certificate, completion_share, status, version, method,
    objectives";

pub(crate) fn get(conn: &Connection, id: &str) -> Result<Training> {
    let mut t = conn
        .query_row(
            &format!("SELECT {TRAINING_COLUMNS} FROM training WHERE id = ?1 AND deleted = 0"),
            [id],
            |r| {
                let text = |i: usize| -> rusqlite::Result<String> { r.get(i) };
                // A route label Pelita never wrote is read as the catch-all nonklasikal route.
                let (route, method) =
                    stored_route(&text(4)?, r.get::<_, Option<String>>(15)?.as_deref())
                        .unwrap_or((Route::NonklasikalLainnya, Method::TatapMuka));
                Ok((
                    text(0)?,
                    text(1)?,
                    TrainingInput {
                        title: text(2)?,
                        theme: text(3)?,
                        route,
                        method,
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
                        objectives: serde_json::from_str(&text(16)?).unwrap_or_default(),
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
pub(crate) fn refuse_closed(t: &Training, field: &str, what: &str) -> Result<()> {
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
