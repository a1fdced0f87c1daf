//! Rencana SKP on the laptop: a pegawai's plan for a year, drafted by the pegawai, their penilai
//! or the office's operator, agreed when both people have signed it with their password; the
//! intervensi links checked against the penilai's own plan of the year; a signed plan changed only
//! by a revision that names it; and the *matriks peran hasil*: who in the office carries which part
//! of the leader's RHK. This file: the types, reading a plan and its chain of revisions, who may
//! do what with it, and the plan page's view; `plan_writes` saves, signs and revises;
//! `plan_views` reads across people (roster, matriks, the appraisal started from the plan).

use pelita_core::appraisal::plan::PlanInput;
use pelita_core::auth::{Action, Actor};
use pelita_core::fact_id;
use pelita_core::ValidationError;
use rusqlite::{Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use specta::Type;

use crate::appraisal::penilai::atasan_on;
use crate::appraisal::period::PersonLine;
use crate::kernel::audit::AuditAction;
use crate::kernel::clock::today;
use crate::register::employees::{self, EmployeeRow};
use crate::{Result, Store, StoreError};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
pub enum PlanStatus {
    Draft,
    Disepakati,
}

/// A plan as stored, with who it concerns and who signed it.
#[derive(Debug, Clone, Serialize, Type)]
pub struct Plan {
    pub id: String,
    pub employee_id: String,
    pub employee: PersonLine,
    pub penilai_id: Option<String>,
    pub penilai: Option<PersonLine>,
    pub year: i32,
    pub document: PlanInput,
    pub status: PlanStatus,
    /// The agreed plan this one revises.
    pub revises_id: Option<String>,
    /// The revision of this one, if any (then this one is history).
    pub revised_by: Option<String>,
    pub pegawai_signed: Option<PersonLine>,
    pub penilai_signed: Option<PersonLine>,
    pub pegawai_signed_at: Option<String>,
    pub penilai_signed_at: Option<String>,
    pub version: i64,
}

/// An RHK of the atasan's plan a pegawai's RHK may support.
#[derive(Debug, Clone, Serialize, Type)]
pub struct AtasanRhk {
    pub id: String,
    pub rhk: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
pub enum PlanParty {
    Pegawai,
    Penilai,
}

/// One line of the plan roster: a pegawai and where their plan of the year stands.
#[derive(Debug, Clone, Serialize, Type)]
pub struct PlanLine {
    pub employee: EmployeeRow,
    pub plan_id: Option<String>,
    pub status: Option<PlanStatus>,
    /// Signatures given so far on the plan that counts, and how many agree it (1 for the head of
    /// the chain, else 2).
    pub signatures: u32,
    pub signatures_needed: u32,
}

/// The matriks peran hasil of a leader's plan: per leader RHK, the staff RHK that support it.
#[derive(Debug, Clone, Serialize, Type)]
pub struct PeranHasil {
    pub leader: PersonLine,
    pub year: i32,
    pub rows: Vec<PeranRow>,
}

#[derive(Debug, Clone, Serialize, Type)]
pub struct PeranRow {
    pub rhk_id: String,
    pub rhk: String,
    pub carried_by: Vec<PeranCell>,
}

#[derive(Debug, Clone, Serialize, Type)]
pub struct PeranCell {
    pub employee: PersonLine,
    pub rhk: String,
    /// The indicators with their targets, as the plan prints them.
    pub indicators: Vec<String>,
    pub agreed: bool,
}

pub(crate) fn plan_id(employee_id: &str, year: i32, revises: Option<&str>) -> String {
    fact_id(
        "skp_plan",
        &[employee_id, &year.to_string(), revises.unwrap_or("asli")],
    )
}

const COLUMNS: &str =
    "p.id, p.employee_id, p.penilai_id, p.year, p.document, p.status, p.revises_id,
    (SELECT r.id FROM skp_plan r WHERE r.revises_id = p.id AND r.deleted = 0),
    p.pegawai_signed, p.penilai_signed, p.pegawai_signed_at, p.penilai_signed_at, p.version";

fn person(json: Option<String>) -> Option<PersonLine> {
    json.and_then(|j| serde_json::from_str(&j).ok())
}

pub(crate) fn get(conn: &Connection, id: &str) -> Result<Plan> {
    let mut plan = conn
        .query_row(
            &format!("SELECT {COLUMNS} FROM skp_plan p WHERE p.id = ?1 AND p.deleted = 0"),
            [id],
            |r| {
                let document: String = r.get(4)?;
                let document: PlanInput = serde_json::from_str(&document).map_err(|e| {
                    rusqlite::Error::FromSqlConversionFailure(
                        4,
                        rusqlite::types::Type::Text,
                        e.into(),
                    )
                })?;
                Ok(Plan {
                    id: r.get(0)?,
                    employee_id: r.get(1)?,
                    employee: PersonLine::default(),
                    penilai_id: r.get(2)?,
                    penilai: None,
                    year: r.get(3)?,
                    document,
                    status: if r.get::<_, String>(5)? == "Disepakati" {
                        PlanStatus::Disepakati
                    } else {
                        PlanStatus::Draft
                    },
                    revises_id: r.get(6)?,
                    revised_by: r.get(7)?,
                    pegawai_signed: person(r.get(8)?),
                    penilai_signed: person(r.get(9)?),
                    pegawai_signed_at: r.get(10)?,
                    penilai_signed_at: r.get(11)?,
                    version: r.get(12)?,
                })
            },
        )
        .optional()?
        .ok_or_else(|| StoreError::NotFound(format!("Rencana SKP {id}")))?;
    // Named as they were when they signed, else as the register shows them now.
    plan.employee = match &plan.pegawai_signed {
        Some(p) => p.clone(),
        None => PersonLine::from(&employees::get(conn, &plan.employee_id)?),
    };
    plan.penilai = match (&plan.penilai_signed, &plan.penilai_id) {
        (Some(p), _) => Some(p.clone()),
        (None, Some(id)) => Some(PersonLine::from(&employees::get(conn, id)?)),
        (None, None) => None,
    };
    Ok(plan)
}

/// The plans of a pegawai's year, the original first and each revision after the one it revises.
pub(crate) fn chain(conn: &Connection, employee_id: &str, year: i32) -> Result<Vec<Plan>> {
    let mut next: Option<String> = conn
        .query_row(
            "SELECT id FROM skp_plan WHERE employee_id = ?1 AND year = ?2 AND revises_id IS NULL
             AND deleted = 0",
            rusqlite::params![employee_id, year],
            |r| r.get(0),
        )
        .optional()?;
    let mut out: Vec<Plan> = Vec::new();
    while let Some(id) = next {
        // A chain that loops (a damaged row revising itself or an earlier plan) ends here.
        if out.iter().any(|p| p.id == id) {
            break;
        }
        let p = get(conn, &id)?;
        next = p.revised_by.clone();
        out.push(p);
    }
    Ok(out)
}

/// The plan of a pegawai's year that counts now: the last of the chain (a draft revision too —
/// its RHK ids are the agreed plan's, so the links of the staff's plans stay whole).
pub(crate) fn current(conn: &Connection, employee_id: &str, year: i32) -> Result<Option<Plan>> {
    Ok(chain(conn, employee_id, year)?.pop())
}

/// The last agreed plan of a pegawai's year: what the appraisals of the year rate.
pub(crate) fn agreed(conn: &Connection, employee_id: &str, year: i32) -> Result<Option<Plan>> {
    Ok(chain(conn, employee_id, year)?
        .into_iter()
        .rev()
        .find(|p| p.status == PlanStatus::Disepakati))
}

/// The penilai of a pegawai's plan for `year`: their atasan langsung today, or on the last day of
/// a past year, or the first day of a coming one.
pub(crate) fn penilai_for(
    conn: &Connection,
    employee_id: &str,
    year: i32,
) -> Result<Option<String>> {
    let day = today(conn);
    let first = chrono::NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or(day);
    let last = chrono::NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or(day);
    atasan_on(conn, employee_id, day.clamp(first, last))
}

/// The RHK of the penilai's plan of the year a pegawai's RHK may support (none: no penilai;
/// empty: no plan of theirs yet): those of their agreed plan, and — while a draft is written —
/// also those of their plan in the making. A signature checks against the agreed plan only.
pub(crate) fn atasan_rhk(
    conn: &Connection,
    penilai: Option<&str>,
    year: i32,
    agreed_only: bool,
) -> Result<Option<Vec<AtasanRhk>>> {
    let Some(penilai) = penilai else {
        return Ok(None);
    };
    let mut out: Vec<AtasanRhk> = Vec::new();
    let plans = [
        agreed(conn, penilai, year)?,
        if agreed_only {
            None
        } else {
            current(conn, penilai, year)?
        },
    ];
    for item in plans.into_iter().flatten().flat_map(|p| p.document.items) {
        if !out.iter().any(|a| a.id == item.id) {
            out.push(AtasanRhk {
                id: item.id,
                rhk: item.rhk,
            });
        }
    }
    Ok(Some(out))
}

/// The RHK ids of `employee_id`'s plan of `year` that their staff's current plans support, with
/// who: an RHK others build on is not taken out of a plan.
pub(crate) fn supported_rhk(
    conn: &Connection,
    employee_id: &str,
    year: i32,
) -> Result<Vec<(String, String)>> {
    let staff: Vec<String> = conn
        .prepare(
            "SELECT DISTINCT employee_id FROM skp_plan WHERE penilai_id = ?1 AND year = ?2
             AND deleted = 0",
        )?
        .query_map(rusqlite::params![employee_id, year], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let mut out = Vec::new();
    for s in staff {
        if let Some(plan) = current(conn, &s, year)? {
            for item in &plan.document.items {
                if let Some(link) = &item.intervensi {
                    out.push((link.clone(), plan.employee.name.clone()));
                }
            }
        }
    }
    Ok(out)
}

/// Records a plan's change: its outbox mutation and audit entry.
pub(crate) fn record(
    conn: &Connection,
    id: &str,
    base: i64,
    by: &str,
    action: AuditAction,
    detail: &str,
) -> Result<()> {
    crate::appraisal::rows::record_of("skp_plan", conn, id, base, by, action, detail)
}

pub(crate) fn agreed_is_fixed() -> StoreError {
    ValidationError::single(
        "status",
        "Rencana SKP yang sudah disepakati tidak dapat diubah; buat revisi untuk mengubahnya",
    )
    .into()
}

pub(crate) fn json(doc: &PlanInput) -> Result<String> {
    serde_json::to_string(doc).map_err(|e| {
        ValidationError::single("document", format!("rencana tidak dapat disimpan ({e})")).into()
    })
}

impl Store {
    /// Whether `actor` may write `employee`'s plan: the pegawai, their penilai, or the office's
    /// operators and admins (who type what the two agreed); `None` when they may only read it
    /// (the office's leaders), an error when not even that.
    pub(crate) fn plan_access(
        &mut self,
        actor: &Actor,
        employee: &EmployeeRow,
        penilai: Option<&str>,
    ) -> Result<(bool, Option<PlanParty>)> {
        let me = actor.employee_id.as_deref();
        if me == Some(employee.id.as_str()) {
            return Ok((true, Some(PlanParty::Pegawai)));
        }
        if me.is_some() && me == penilai {
            return Ok((true, Some(PlanParty::Penilai)));
        }
        if pelita_core::auth::authorize(actor, Action::EditEmployees, Some(&employee.office_id))
            .is_ok()
        {
            return Ok((true, None));
        }
        if pelita_core::auth::authorize(
            actor,
            Action::ViewAppraisalRecap,
            Some(&employee.office_id),
        )
        .is_err()
        {
            return Err(self.refuse(
                actor,
                pelita_core::auth::PermissionDenied::Role(
                    "membuka Rencana SKP pegawai ini (hanya pegawai itu, atasan langsungnya, \
                     operator kantornya, atau pimpinannya)",
                ),
                &employee.id,
                "WritePlan",
            ));
        }
        Ok((false, None))
    }

    /// The penilai of a plan: a draft's follows the register (the atasan langsung now, who may
    /// have changed since the draft was begun); an agreed plan's is who signed it.
    pub(crate) fn penilai_of(&self, plan: &Plan) -> Result<Option<String>> {
        match plan.status {
            PlanStatus::Disepakati => Ok(plan.penilai_id.clone()),
            PlanStatus::Draft => penilai_for(&self.conn, &plan.employee_id, plan.year),
        }
    }
}

#[allow(clippy::too_many_arguments)]
pub(crate) fn insert(
    conn: &Connection,
    id: &str,
    owner: &str,
    employee: &str,
    penilai: Option<&str>,
    year: i32,
    doc: &str,
    revises: Option<&str>,
    stamp: &str,
) -> Result<()> {
    conn.execute(
        "INSERT INTO skp_plan (id, owner_office_id, employee_id, penilai_id, year, document, status,
             revises_id, version, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'Draft', ?7, 1, ?8, ?8)",
        rusqlite::params![id, owner, employee, penilai, year, doc, revises, stamp],
    )?;
    Ok(())
}
