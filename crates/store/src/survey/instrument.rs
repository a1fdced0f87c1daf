//! The questionnaire study's records: instruments (written as a draft, then opened for answers,
//! closed, reopened) and the answer sheets recorded against them, named or anonymous. Both sync:
//! the HQ's instruments reach every office, each office's sheets reach the HQ.

use std::collections::BTreeMap;

use pelita_core::auth::{Action, Actor};
use pelita_core::survey::{
    change_refused, check_answers, check_instrument, Construct, InstrumentDraft, InstrumentStatus,
};
use pelita_core::ValidationError;
use rusqlite::{Connection, OptionalExtension};
use serde::Serialize;
use specta::Type;

use crate::kernel::audit::AuditAction;
use crate::kernel::clock::now;
use crate::kernel::journal::record_fact;
use crate::kernel::scope::office_scope;
use crate::{Result, Store, StoreError};
use pelita_core::fact_id;

#[derive(Debug, Clone, Serialize, Type)]
pub struct Instrument {
    pub id: String,
    pub owner_office_id: String,
    pub owner_office_name: String,
    pub title: String,
    pub description: String,
    pub allow_anonymous: bool,
    pub constructs: Vec<Construct>,
    pub status: InstrumentStatus,
    pub version: i64,
    /// Answer sheets on this laptop that the viewer may see.
    pub responses: u32,
    pub updated_at: String,
}

#[derive(Debug, Clone, Serialize, Type)]
pub struct ResponseRow {
    pub id: String,
    pub office_name: String,
    /// `None`: anonymous.
    pub employee_id: Option<String>,
    pub respondent: Option<String>,
    pub answers: BTreeMap<String, u8>,
    pub recorded_by: String,
    pub recorded_at: String,
    pub version: i64,
}

fn parse_constructs(text: &str) -> Vec<Construct> {
    serde_json::from_str(text).unwrap_or_default()
}

pub fn get_instrument(conn: &Connection, id: &str, scope: Option<&str>) -> Result<Instrument> {
    conn.query_row(
        "SELECT i.id, i.owner_office_id, o.name, i.title, i.description, i.allow_anonymous,
                i.constructs, i.status, i.version, i.updated_at,
                (SELECT count(*) FROM survey_response r WHERE r.instrument_id = i.id
                   AND r.deleted = 0 AND (?2 IS NULL OR r.office_id = ?2))
         FROM survey_instrument i JOIN office o ON o.id = i.owner_office_id
         WHERE i.id = ?1 AND i.deleted = 0",
        rusqlite::params![id, scope],
        |r| {
            let status: String = r.get(7)?;
            Ok(Instrument {
                id: r.get(0)?,
                owner_office_id: r.get(1)?,
                owner_office_name: r.get(2)?,
                title: r.get(3)?,
                description: r.get(4)?,
                allow_anonymous: r.get(5)?,
                constructs: parse_constructs(&r.get::<_, String>(6)?),
                status: InstrumentStatus::parse(&status).unwrap_or(InstrumentStatus::Draf),
                version: r.get(8)?,
                updated_at: r.get(9)?,
                responses: r.get(10)?,
            })
        },
    )
    .optional()?
    .ok_or_else(|| StoreError::NotFound("kuesioner".into()))
}

impl Store {
    /// A study row is changed on the laptops of the office that owns it, or at the Kantor Camat
    /// (the hub refuses anything else, and a local change it refuses would shadow the owner's
    /// next version). While the database is still being built (demo data) there is no office yet.
    fn writable_here(&self, owner: &str) -> Result<()> {
        let Some(home) =
            crate::kernel::db::meta_get(&self.conn, crate::kernel::db::META_OFFICE_ID)?
        else {
            return Ok(());
        };
        let hq = pelita_core::office::office_id(pelita_core::office::HQ_CODE);
        if home == hq || home == owner {
            return Ok(());
        }
        let name = crate::kernel::offices::get(&self.conn, owner)?.name;
        Err(ValidationError::single(
            "office",
            format!("data kuesioner ini milik {name}; hanya laptop kantor itu atau Kantor Camat yang dapat mengubahnya"),
        )
        .into())
    }

    /// The instruments on this laptop (the district's and the office's own), newest first.
    pub fn list_instruments(&mut self, actor: &Actor) -> Result<Vec<Instrument>> {
        self.authorize(actor, Action::ViewEmployees, None)?;
        let scope = office_scope(actor, Action::ViewEmployees, None);
        let ids: Vec<String> = self
            .conn
            .prepare(
                "SELECT id FROM survey_instrument WHERE deleted = 0 ORDER BY updated_at DESC, id",
            )?
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        ids.iter()
            .map(|id| get_instrument(&self.conn, id, scope.as_deref()))
            .collect()
    }

    pub fn instrument(&mut self, actor: &Actor, id: &str) -> Result<Instrument> {
        self.authorize(actor, Action::ViewEmployees, None)?;
        get_instrument(
            &self.conn,
            id,
            office_scope(actor, Action::ViewEmployees, None).as_deref(),
        )
    }

    /// Creates an instrument (`id` = `None`, as a Draf of the actor's office) or changes one seen
    /// at `base_version`. Once opened, its items are fixed: only their wording may change.
    pub fn save_instrument(
        &mut self,
        actor: &Actor,
        id: Option<&str>,
        base_version: i64,
        draft: &InstrumentDraft,
    ) -> Result<Instrument> {
        let existing = id
            .map(|id| get_instrument(&self.conn, id, None))
            .transpose()?;
        let owner = existing
            .as_ref()
            .map_or(actor.office_id.clone(), |i| i.owner_office_id.clone());
        self.authorize(actor, Action::ManageSurveys, Some(&owner))?;
        self.writable_here(&owner)?;
        check_instrument(draft)?;
        if existing.as_ref().map_or(0, |i| i.version) != base_version {
            return Err(StoreError::VersionConflict);
        }
        if let Some(old) = &existing {
            let before = (old.status, old.constructs.as_slice());
            if let Some(reason) = change_refused(before, (old.status, &draft.constructs)) {
                return Err(ValidationError::single("constructs", reason).into());
            }
        }
        let id = id.map_or_else(|| uuid::Uuid::now_v7().to_string(), str::to_string);
        let status = existing
            .as_ref()
            .map_or(InstrumentStatus::Draf, |i| i.status);
        let constructs = serde_json::to_string(&draft.constructs).unwrap_or_default();
        let tx = self.conn.transaction()?;
        tx.execute(
            "INSERT INTO survey_instrument (id, owner_office_id, title, description, allow_anonymous,
                 constructs, status, updated_by, updated_at, version)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)
             ON CONFLICT (id) DO UPDATE SET title = excluded.title,
                 description = excluded.description, allow_anonymous = excluded.allow_anonymous,
                 constructs = excluded.constructs, updated_by = excluded.updated_by,
                 updated_at = excluded.updated_at, version = excluded.version",
            rusqlite::params![
                id,
                owner,
                draft.title.trim(),
                draft.description.trim(),
                draft.allow_anonymous,
                constructs,
                status.label(),
                actor.username,
                now(),
                base_version + 1
            ],
        )?;
        let action = if existing.is_some() {
            AuditAction::Update
        } else {
            AuditAction::Create
        };
        record_fact(
            &tx,
            "survey_instrument",
            &id,
            base_version,
            (&actor.username, action, draft.title.trim()),
        )?;
        tx.commit()?;
        self.instrument(actor, &id)
    }

    /// Opens an instrument for answers, closes it, or reopens it.
    pub fn set_instrument_status(
        &mut self,
        actor: &Actor,
        id: &str,
        base_version: i64,
        status: InstrumentStatus,
    ) -> Result<Instrument> {
        let old = get_instrument(&self.conn, id, None)?;
        self.authorize(actor, Action::ManageSurveys, Some(&old.owner_office_id))?;
        self.writable_here(&old.owner_office_id)?;
        if old.version != base_version {
            return Err(StoreError::VersionConflict);
        }
        if !old.status.may_become(status) {
            return Err(ValidationError::single(
                "status",
                format!(
                    "kuesioner berstatus {} tidak dapat menjadi {}",
                    old.status.label(),
                    status.label()
                ),
            )
            .into());
        }
        let tx = self.conn.transaction()?;
        tx.execute(
            "UPDATE survey_instrument SET status = ?2, updated_by = ?3, updated_at = ?4, version = ?5
             WHERE id = ?1",
            rusqlite::params![id, status.label(), actor.username, now(), base_version + 1],
        )?;
        record_fact(
            &tx,
            "survey_instrument",
            id,
            base_version,
            (&actor.username, AuditAction::Update, status.label()),
        )?;
        tx.commit()?;
        self.instrument(actor, id)
    }

    /// Records one answer sheet of an opened instrument: named (one per respondent; recording
    /// again replaces it) or, where the instrument allows it, anonymous. Returns its id.
    pub fn record_survey_response(
        &mut self,
        actor: &Actor,
        instrument_id: &str,
        employee_id: Option<&str>,
        answers: &BTreeMap<String, u8>,
    ) -> Result<String> {
        let instrument = get_instrument(&self.conn, instrument_id, None)?;
        let id = match employee_id {
            Some(e) => fact_id("survey_response", &[instrument_id, e]),
            None => uuid::Uuid::now_v7().to_string(),
        };
        let stored: Option<(String, i64)> = self
            .conn
            .query_row(
                "SELECT office_id, version FROM survey_response WHERE id = ?1",
                [&id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        // A sheet belongs to the respondent's office when it was first recorded (it stays
        // there if the respondent moves); an anonymous one to the recording office.
        let office = match (&stored, employee_id) {
            (Some((office, _)), _) => office.clone(),
            (None, Some(e)) => crate::register::employees::get(&self.conn, e)?.office_id,
            (None, None) => actor.office_id.clone(),
        };
        self.authorize(actor, Action::ManageSurveys, Some(&office))?;
        self.writable_here(&office)?;
        let hq = pelita_core::office::office_id(pelita_core::office::HQ_CODE);
        if instrument.owner_office_id != hq && instrument.owner_office_id != office {
            return Err(ValidationError::single(
                "employee_id",
                format!(
                    "kuesioner '{}' milik {}; hanya pegawai kantor itu yang dapat menjawabnya",
                    instrument.title, instrument.owner_office_name
                ),
            )
            .into());
        }
        if instrument.status != InstrumentStatus::Dibuka {
            return Err(ValidationError::single(
                "status",
                format!(
                    "kuesioner '{}' berstatus {}; jawaban hanya dicatat selama kuesioner dibuka",
                    instrument.title,
                    instrument.status.label()
                ),
            )
            .into());
        }
        if employee_id.is_none() && !instrument.allow_anonymous {
            return Err(ValidationError::single(
                "employee_id",
                "kuesioner ini tidak menerima jawaban anonim; pilih responden",
            )
            .into());
        }
        check_answers(&instrument.constructs, answers)?;
        let json = serde_json::to_string(answers).unwrap_or_default();
        let base = stored.map_or(0, |(_, v)| v);
        let tx = self.conn.transaction()?;
        tx.execute(
            "INSERT INTO survey_response (id, instrument_id, office_id, employee_id, answers,
                 recorded_by, recorded_at, version, deleted)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 0)
             ON CONFLICT (id) DO UPDATE SET answers = excluded.answers,
                 recorded_by = excluded.recorded_by, recorded_at = excluded.recorded_at,
                 version = excluded.version, deleted = 0",
            rusqlite::params![
                id,
                instrument_id,
                office,
                employee_id,
                json,
                actor.username,
                now(),
                base + 1
            ],
        )?;
        let action = if base > 0 {
            AuditAction::Update
        } else {
            AuditAction::Create
        };
        record_fact(
            &tx,
            "survey_response",
            &id,
            base,
            (&actor.username, action, "jawaban kuesioner studi"),
        )?;
        tx.commit()?;
        Ok(id)
    }

    /// Withdraws an answer sheet recorded by mistake (a tombstone, so the withdrawal syncs).
    pub fn delete_survey_response(
        &mut self,
        actor: &Actor,
        response_id: &str,
        base_version: i64,
    ) -> Result<()> {
        let (office, version): (String, i64) = self
            .conn
            .query_row(
                "SELECT office_id, version FROM survey_response WHERE id = ?1 AND deleted = 0",
                [response_id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?
            .ok_or_else(|| StoreError::NotFound("jawaban kuesioner".into()))?;
        self.authorize(actor, Action::ManageSurveys, Some(&office))?;
        self.writable_here(&office)?;
        if version != base_version {
            return Err(StoreError::VersionConflict);
        }
        let tx = self.conn.transaction()?;
        tx.execute(
            "UPDATE survey_response SET deleted = 1, version = ?2, recorded_by = ?3,
                 recorded_at = ?4 WHERE id = ?1",
            rusqlite::params![response_id, version + 1, actor.username, now()],
        )?;
        record_fact(
            &tx,
            "survey_response",
            response_id,
            version,
            (
                &actor.username,
                AuditAction::Delete,
                "jawaban kuesioner studi",
            ),
        )?;
        tx.commit()?;
        Ok(())
    }

    /// The answer sheets of an instrument that `actor` records (an office its own), newest first.
    pub fn survey_responses(
        &mut self,
        actor: &Actor,
        instrument_id: &str,
        office_id: Option<&str>,
    ) -> Result<Vec<ResponseRow>> {
        let scope = office_scope(actor, Action::ManageSurveys, office_id);
        // Named answers are personal (and some are about the respondent's supervisor): only
        // those who record sheets list them; everyone else sees the aggregate results.
        self.authorize(actor, Action::ManageSurveys, scope.as_deref())?;
        get_instrument(&self.conn, instrument_id, None)?;
        let rows = self
            .conn
            .prepare(
                "SELECT r.id, o.name, r.employee_id, e.name, r.answers, r.recorded_by,
                        r.recorded_at, r.version
                 FROM survey_response r JOIN office o ON o.id = r.office_id
                 LEFT JOIN employee e ON e.id = r.employee_id
                 WHERE r.instrument_id = ?1 AND r.deleted = 0 AND (?2 IS NULL OR r.office_id = ?2)
                 ORDER BY r.recorded_at DESC, r.id",
            )?
            .query_map(rusqlite::params![instrument_id, scope], |r| {
                Ok(ResponseRow {
                    id: r.get(0)?,
                    office_name: r.get(1)?,
                    employee_id: r.get(2)?,
                    respondent: r.get(3)?,
                    answers: serde_json::from_str(&r.get::<_, String>(4)?).unwrap_or_default(),
                    recorded_by: r.get(5)?,
                    recorded_at: r.get(6)?,
                    version: r.get(7)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }
}
