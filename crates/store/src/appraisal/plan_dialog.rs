//! Dialog kinerja and bimbingan kinerja (PermenPANRB 6/2022: pelaksanaan, pemantauan dan
//! pembinaan kinerja): dated notes the penilai keeps of their talks with the pegawai during the
//! year, about one RHK of the plan or in general. Only the plan's penilai writes them; whoever
//! may open the plan reads them.

use pelita_core::ValidationError;
use serde::{Deserialize, Serialize};
use specta::Type;

use crate::appraisal::period::PersonLine;
use crate::appraisal::plans::{chain, get, PlanStatus};
use crate::kernel::audit::AuditAction;
use crate::kernel::clock::{now, today};
use crate::register::employees;
use crate::{Result, Store};

/// Longest note kept.
pub const MAX_NOTE_CHARS: usize = 2000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
pub enum DialogKind {
    #[serde(rename = "Dialog kinerja")]
    Dialog,
    #[serde(rename = "Bimbingan kinerja")]
    Bimbingan,
}

impl DialogKind {
    pub fn label(self) -> &'static str {
        match self {
            DialogKind::Dialog => "Dialog kinerja",
            DialogKind::Bimbingan => "Bimbingan kinerja",
        }
    }
}

/// A note as the penilai writes it.
#[derive(Debug, Clone, Serialize, Deserialize, Type)]
pub struct DialogInput {
    pub plan_id: String,
    /// The plan's RHK the talk was about; empty for a general one.
    pub rhk_id: Option<String>,
    pub kind: DialogKind,
    /// ISO `YYYY-MM-DD`.
    pub held_on: String,
    pub note: String,
}

/// A note as kept.
#[derive(Debug, Clone, Serialize, Type)]
pub struct DialogNote {
    pub id: String,
    pub rhk_id: Option<String>,
    pub kind: DialogKind,
    pub held_on: String,
    pub note: String,
    /// The penilai who held it, as they were.
    pub penilai: PersonLine,
}

/// The notes of a pegawai's year, oldest first (of every version of the plan).
pub(crate) fn notes(
    conn: &rusqlite::Connection,
    employee_id: &str,
    year: i32,
) -> Result<Vec<DialogNote>> {
    let ids: Vec<String> = chain(conn, employee_id, year)?
        .into_iter()
        .map(|p| p.id)
        .collect();
    let mut out = Vec::new();
    let mut stmt = conn.prepare_cached(
        "SELECT id, rhk_id, kind, held_on, note, penilai FROM skp_dialog
         WHERE plan_id = ?1 AND deleted = 0 ORDER BY held_on, created_at",
    )?;
    for plan in ids {
        let rows = stmt.query_map([&plan], |r| {
            let kind: String = r.get(2)?;
            let penilai: String = r.get(5)?;
            Ok(DialogNote {
                id: r.get(0)?,
                rhk_id: r.get(1)?,
                kind: if kind == DialogKind::Bimbingan.label() {
                    DialogKind::Bimbingan
                } else {
                    DialogKind::Dialog
                },
                held_on: r.get(3)?,
                note: r.get(4)?,
                penilai: serde_json::from_str(&penilai).unwrap_or_default(),
            })
        })?;
        out.extend(rows.collect::<rusqlite::Result<Vec<_>>>()?);
    }
    out.sort_by(|a, b| a.held_on.cmp(&b.held_on));
    Ok(out)
}

impl Store {
    /// Records a note of a talk with the pegawai: only the plan's penilai, about an agreed plan
    /// (its RHK), held during the plan's year and not in the future.
    pub fn record_dialog(
        &mut self,
        actor: &pelita_core::auth::Actor,
        input: &DialogInput,
    ) -> Result<DialogNote> {
        let plan = get(&self.conn, &input.plan_id)?;
        let employee = employees::get(&self.conn, &plan.employee_id)?;
        let penilai = self.penilai_of(&plan)?;
        if actor.employee_id.is_none() || actor.employee_id != penilai {
            return Err(self.refuse(
                actor,
                pelita_core::auth::PermissionDenied::Role(
                    "mencatat dialog kinerja pegawai ini (hanya pejabat penilainya)",
                ),
                &employee.id,
                "RecordDialog",
            ));
        }
        let mut problems = Vec::new();
        let mut push = |f: &str, m: String| problems.push(pelita_core::FieldError::new(f, m));
        if plan.status != PlanStatus::Disepakati && plan.revises_id.is_none() {
            push(
                "plan_id",
                "dialog kinerja dicatat atas Rencana SKP yang sudah disepakati".into(),
            );
        }
        match chrono::NaiveDate::parse_from_str(input.held_on.trim(), "%Y-%m-%d") {
            Err(_) => push(
                "held_on",
                format!("tanggal '{}' tidak valid (TTTT-BB-HH)", input.held_on),
            ),
            Ok(d) if d > today(&self.conn) => push("held_on", "tanggal dialog belum tiba".into()),
            Ok(d) if chrono::Datelike::year(&d) != plan.year => push(
                "held_on",
                format!(
                    "dialog atas Rencana SKP {} diadakan pada tahun itu",
                    plan.year
                ),
            ),
            Ok(_) => {}
        }
        let note = input.note.trim();
        if note.is_empty() {
            push("note", "tulis isi dialog atau bimbingannya".into());
        } else if note.chars().count() > MAX_NOTE_CHARS {
            push(
                "note",
                format!("catatan paling panjang {MAX_NOTE_CHARS} karakter"),
            );
        }
        if let Some(rhk) = input.rhk_id.as_deref().filter(|r| !r.is_empty()) {
            if !plan.document.items.iter().any(|i| i.id == rhk) {
                push(
                    "rhk_id",
                    "RHK yang dipilih tidak ada pada Rencana SKP ini".into(),
                );
            }
        }
        if !problems.is_empty() {
            return Err(ValidationError { errors: problems }.into());
        }
        let me = PersonLine::from(&employees::get(
            &self.conn,
            actor.employee_id.as_deref().unwrap_or_default(),
        )?);
        let id = uuid::Uuid::now_v7().to_string();
        let stamp = now();
        let tx = self.conn.transaction()?;
        tx.execute(
            "INSERT INTO skp_dialog (id, owner_office_id, employee_id, plan_id, rhk_id, kind, held_on,
                 note, penilai, version, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, 1, ?10, ?10)",
            rusqlite::params![
                id,
                employee.office_id,
                employee.id,
                plan.id,
                input.rhk_id.as_deref().filter(|r| !r.is_empty()),
                input.kind.label(),
                input.held_on.trim(),
                note,
                serde_json::to_string(&me).unwrap_or_default(),
                stamp
            ],
        )?;
        crate::appraisal::rows::record_of(
            "skp_dialog",
            &tx,
            &id,
            0,
            &actor.username,
            AuditAction::Create,
            input.kind.label(),
        )?;
        tx.commit()?;
        Ok(DialogNote {
            id,
            rhk_id: input.rhk_id.clone().filter(|r| !r.is_empty()),
            kind: input.kind,
            held_on: input.held_on.trim().to_string(),
            note: note.to_string(),
            penilai: me,
        })
    }
}
