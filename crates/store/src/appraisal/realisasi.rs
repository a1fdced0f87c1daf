//! Realisasi of the Rencana SKP during the year (PermenPANRB 6/2022, pelaksanaan kinerja): for each
//! indicator of each RHK of the agreed plan and each appraisal period, what was achieved and how,
//! with its bukti dukung attached. Entered by the pegawai, their penilai or the office's operator
//! (as the plan is); the periodic appraisal starts from it (`plan_views::appraisal_from_plan`).
//! Once the period's appraisal is signed, what it rated stays as signed: the realisasi of that
//! period no longer changes, and takes no more evidence.

use std::collections::HashMap;

use pelita_core::appraisal::plan::Target;
use pelita_core::appraisal::Period;
use pelita_core::auth::Actor;
use pelita_core::{fact_id, FieldError, ValidationError};
use rusqlite::{Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use specta::Type;

use crate::appraisal::period::PeriodRef;
use crate::appraisal::plans::{agreed, get, Plan, PlanStatus};
use crate::kernel::attachments::{self, AttachedTo, Attachment, NewAttachment};
use crate::kernel::audit::AuditAction;
use crate::kernel::clock::{now, today};
use crate::register::employees::{self, EmployeeRow};
use crate::{Result, Store, StoreError};

/// Longest description of a realisasi kept.
pub const MAX_URAIAN_CHARS: usize = 2000;
/// Most files attached to one realisasi.
pub const MAX_EVIDENCE: usize = 10;

/// A realisasi as it is entered.
#[derive(Debug, Clone, Serialize, Deserialize, Type)]
pub struct RealisasiInput {
    pub plan_id: String,
    pub rhk_id: String,
    /// The indicator's place in the RHK's list.
    pub indicator: u32,
    pub period: Period,
    pub month: Option<u32>,
    /// In the indicator's unit; for a qualitative target, the share of it achieved, in percent
    /// (none: what was typed is not a number).
    pub realisasi: Option<f64>,
    /// What was done, for the penilai to read.
    pub uraian: String,
    /// The version seen (0: none entered yet).
    pub expected_version: i64,
}

/// A realisasi as kept, with its bukti dukung.
#[derive(Debug, Clone, Serialize, Type)]
pub struct Realisasi {
    pub id: String,
    pub version: i64,
    pub rhk_id: String,
    pub indicator: u32,
    /// The indicator as the plan named it when this was entered.
    pub indikator: String,
    pub period: Period,
    pub month: Option<u32>,
    pub realisasi: f64,
    pub uraian: String,
    pub entered_by: String,
    pub updated_at: String,
    pub evidence: Vec<Attachment>,
}

/// The one id of a realisasi on every laptop: whoever enters it first, the pegawai's laptop and
/// the operator's meet at the hub as one row.
fn realisasi_id(employee_id: &str, p: &PeriodRef, rhk_id: &str, indicator: u32) -> String {
    fact_id(
        "skp_realisasi",
        &[
            employee_id,
            &p.year.to_string(),
            &p.label(),
            rhk_id,
            &indicator.to_string(),
        ],
    )
}

fn read(conn: &Connection, r: &rusqlite::Row<'_>) -> rusqlite::Result<Realisasi> {
    let id: String = r.get(0)?;
    let period: String = r.get(4)?;
    let month: u32 = r.get(5)?;
    Ok(Realisasi {
        evidence: attachments::list(conn, AttachedTo::Realisasi(&id)).unwrap_or_default(),
        id,
        version: r.get(1)?,
        rhk_id: r.get(2)?,
        indicator: r.get(3)?,
        period: Period::parse(&period).unwrap_or(Period::Tahunan),
        month: (month > 0).then_some(month),
        realisasi: r.get(6)?,
        uraian: r.get(7)?,
        entered_by: r.get(8)?,
        updated_at: r.get(9)?,
        indikator: r.get(10)?,
    })
}

const COLUMNS: &str =
    "id, version, rhk_id, indicator, period, month, realisasi, uraian, entered_by,
    updated_at, indikator";

/// Every realisasi of a pegawai's year, by period then RHK.
pub(crate) fn of_year(conn: &Connection, employee_id: &str, year: i32) -> Result<Vec<Realisasi>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM skp_realisasi WHERE employee_id = ?1 AND year = ?2 AND deleted = 0
         ORDER BY period, month, rhk_id, indicator"
    ))?;
    let rows = stmt
        .query_map(rusqlite::params![employee_id, year], |r| read(conn, r))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// The realisasi of one period, by (RHK, indicator), with the indicator as it was named then.
pub(crate) fn of_period(
    conn: &Connection,
    employee_id: &str,
    p: &PeriodRef,
) -> Result<HashMap<(String, u32), (String, f64)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT rhk_id, indicator, indikator, realisasi FROM skp_realisasi
         WHERE employee_id = ?1 AND year = ?2 AND period = ?3 AND month = ?4 AND deleted = 0",
    )?;
    let rows = stmt
        .query_map(
            rusqlite::params![employee_id, p.year, p.period.label(), p.month_column()],
            |r| Ok(((r.get(0)?, r.get(1)?), (r.get(2)?, r.get(3)?))),
        )?
        .collect::<rusqlite::Result<HashMap<_, _>>>()?;
    Ok(rows)
}

fn get_realisasi(conn: &Connection, id: &str) -> Result<Option<(Realisasi, String, i32)>> {
    Ok(conn
        .query_row(
            &format!("SELECT {COLUMNS}, employee_id, year FROM skp_realisasi WHERE id = ?1 AND deleted = 0"),
            [id],
            |r| Ok((read(conn, r)?, r.get(11)?, r.get(12)?)),
        )
        .optional()?)
}

/// Refuses at `field`, saying `what` stays, when the period's appraisal of the pegawai is signed:
/// what it rated is closed.
fn closed_if_signed(
    conn: &Connection,
    employee_id: &str,
    p: &PeriodRef,
    (field, what): (&str, &str),
) -> Result<()> {
    if period_signed(conn, employee_id, p)? {
        return Err(ValidationError::single(
            field,
            format!("penilaian {} sudah ditandatangani; {what}", p.label()),
        )
        .into());
    }
    Ok(())
}

/// Whether the period's appraisal of the pegawai is signed (original or amendment).
fn period_signed(conn: &Connection, employee_id: &str, p: &PeriodRef) -> Result<bool> {
    Ok(conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM appraisal WHERE employee_id = ?1 AND year = ?2
             AND period = ?3 AND month = ?4 AND status = 'Final' AND deleted = 0)",
        rusqlite::params![employee_id, p.year, p.period.label(), p.month_column()],
        |r| r.get(0),
    )?)
}

impl Store {
    /// Who may write `plan`'s realisasi: whoever may write the plan (the pegawai, their penilai,
    /// the office's operator); the pegawai and the period come with it.
    fn realisasi_writer(&mut self, actor: &Actor, plan: &Plan) -> Result<EmployeeRow> {
        let employee = employees::get(&self.conn, &plan.employee_id)?;
        let penilai = self.penilai_of(plan)?;
        let (may_write, _) = self.plan_access(actor, &employee, penilai.as_deref())?;
        if !may_write {
            return Err(self.refuse(
                actor,
                pelita_core::auth::PermissionDenied::Role(
                    "mengisi realisasi Rencana SKP pegawai ini (hanya pegawai itu, atasan langsungnya, atau operator kantornya)",
                ),
                &employee.id,
                "WriteRealisasi",
            ));
        }
        Ok(employee)
    }

    /// Enters (or corrects) the realisasi of one indicator of an agreed plan for a period that has
    /// begun and whose appraisal is not signed yet.
    pub fn save_realisasi(&mut self, actor: &Actor, input: &RealisasiInput) -> Result<Realisasi> {
        let plan = get(&self.conn, &input.plan_id)?;
        let employee = self.realisasi_writer(actor, &plan)?;
        let p = PeriodRef {
            year: plan.year,
            period: input.period,
            month: input.month,
        };
        let mut problems = Vec::new();
        let mut push = |f: &str, m: String| problems.push(FieldError::new(f, m));
        // The plan that counts: the last agreed one of the year (a revision agreed since
        // replaces the plan a page may still show).
        let counts = agreed(&self.conn, &employee.id, plan.year)?;
        if plan.status != PlanStatus::Disepakati || counts.map(|c| c.id) != Some(plan.id.clone()) {
            push(
                "plan_id",
                "realisasi diisi atas Rencana SKP yang disepakati dan berlaku sekarang; muat ulang halaman"
                    .into(),
            );
        }
        let indicator = plan
            .document
            .items
            .iter()
            .find(|r| r.id == input.rhk_id)
            .and_then(|r| r.indicators.get(input.indicator as usize));
        let value = input.realisasi.filter(|v| v.is_finite());
        match (indicator.map(|i| &i.target), value) {
            (None, _) => push(
                "rhk_id",
                "RHK atau indikator itu tidak ada pada Rencana SKP ini".into(),
            ),
            (_, None) => push("realisasi", "isi realisasi berupa angka".into()),
            (Some(Target::Kualitatif { .. }), Some(v)) if !(0.0..=100.0).contains(&v) => push(
                "realisasi",
                "target kualitatif: realisasi diisi sebagai persen yang tercapai, 0–100".into(),
            ),
            (_, Some(v)) if v < 0.0 => {
                push("realisasi", "realisasi berupa angka 0 atau lebih".into())
            }
            _ => {}
        }
        let uraian = input.uraian.trim();
        if uraian.chars().count() > MAX_URAIAN_CHARS {
            push(
                "uraian",
                format!("uraian paling panjang {MAX_URAIAN_CHARS} karakter"),
            );
        }
        match p.start() {
            Err(StoreError::Validation(e)) => problems.extend(e.errors),
            Err(e) => return Err(e),
            Ok(start) if start > today(&self.conn) => problems.push(FieldError::new(
                "period",
                format!("periode {} belum dimulai", p.label()),
            )),
            Ok(_) => {}
        }
        if !problems.is_empty() {
            return Err(ValidationError { errors: problems }.into());
        }
        closed_if_signed(
            &self.conn,
            &employee.id,
            &p,
            ("period", "realisasinya tetap seperti yang dinilai"),
        )?;
        let id = realisasi_id(&employee.id, &p, &input.rhk_id, input.indicator);
        let existing = get_realisasi(&self.conn, &id)?.map(|(r, ..)| r);
        let value = value.unwrap_or_default();
        let indikator = indicator.map(|i| i.indikator.trim()).unwrap_or_default();
        // The same again (a second click, a form saved twice): nothing to write.
        if let Some(r) = existing
            .as_ref()
            .filter(|r| r.realisasi == value && r.uraian == uraian && r.indikator == indikator)
        {
            return Ok(r.clone());
        }
        let base = existing.as_ref().map_or(0, |r| r.version);
        if base != input.expected_version {
            return Err(StoreError::VersionConflict);
        }
        let stamp = now();
        let tx = self.conn.transaction()?;
        tx.execute(
            "INSERT INTO skp_realisasi (id, owner_office_id, employee_id, plan_id, rhk_id, indicator,
                 year, period, month, realisasi, uraian, entered_by, version, deleted, created_at,
                 updated_at, indikator)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13 + 1, 0, ?14, ?14, ?15)
             ON CONFLICT (id) DO UPDATE SET plan_id = excluded.plan_id,
                 indikator = excluded.indikator,
                 realisasi = excluded.realisasi, uraian = excluded.uraian,
                 entered_by = excluded.entered_by, version = excluded.version, deleted = 0,
                 updated_at = excluded.updated_at",
            rusqlite::params![
                id,
                employee.office_id,
                employee.id,
                plan.id,
                input.rhk_id,
                input.indicator,
                p.year,
                p.period.label(),
                p.month_column(),
                value,
                uraian,
                actor.username,
                base,
                stamp,
                indikator
            ],
        )?;
        crate::appraisal::rows::record_of(
            "skp_realisasi",
            &tx,
            &id,
            base,
            &actor.username,
            if base == 0 {
                AuditAction::Create
            } else {
                AuditAction::Update
            },
            &p.label(),
        )?;
        tx.commit()?;
        get_realisasi(&self.conn, &id)?
            .map(|(r, ..)| r)
            .ok_or_else(|| StoreError::NotFound("realisasi".into()))
    }

    /// Attaches a bukti dukung (PDF or photo) to a realisasi, while its period's appraisal is not
    /// signed: whoever may enter the realisasi.
    pub fn attach_evidence(
        &mut self,
        actor: &Actor,
        realisasi_id: &str,
        file_name: &str,
        bytes: &[u8],
    ) -> Result<Attachment> {
        let (realisasi, employee_id, year) = get_realisasi(&self.conn, realisasi_id)?
            .ok_or_else(|| StoreError::NotFound("realisasi".into()))?;
        let plan = get(&self.conn, &self.plan_of(realisasi_id)?)?;
        let employee = self.realisasi_writer(actor, &plan)?;
        let p = PeriodRef {
            year,
            period: realisasi.period,
            month: realisasi.month,
        };
        closed_if_signed(
            &self.conn,
            &employee_id,
            &p,
            ("file", "bukti dukungnya tidak ditambah lagi"),
        )?;
        if realisasi.evidence.len() >= MAX_EVIDENCE {
            return Err(ValidationError::single(
                "file",
                format!("satu realisasi paling banyak {MAX_EVIDENCE} bukti dukung"),
            )
            .into());
        }
        attachments::add(
            &mut self.conn,
            &NewAttachment {
                owner_office_id: &employee.office_id,
                employee_id: &employee.id,
                to: AttachedTo::Realisasi(realisasi_id),
                file_name,
                bytes,
                by: &actor.username,
            },
        )
    }

    /// Takes a bukti dukung off its realisasi: whoever may enter the realisasi, while its period's
    /// appraisal is not signed (the evidence of a signed appraisal stays).
    pub fn remove_evidence(
        &mut self,
        actor: &Actor,
        attachment_id: &str,
        expected_version: i64,
    ) -> Result<()> {
        let realisasi_id = attachments::parent_of(&self.conn, attachment_id)?
            .0
            .ok_or_else(|| StoreError::NotFound("bukti dukung".into()))?;
        let (realisasi, employee_id, year) = get_realisasi(&self.conn, &realisasi_id)?
            .ok_or_else(|| StoreError::NotFound("realisasi".into()))?;
        let plan = get(&self.conn, &self.plan_of(&realisasi_id)?)?;
        self.realisasi_writer(actor, &plan)?;
        let p = PeriodRef {
            year,
            period: realisasi.period,
            month: realisasi.month,
        };
        closed_if_signed(
            &self.conn,
            &employee_id,
            &p,
            ("file", "bukti dukungnya tetap disimpan"),
        )?;
        attachments::remove(
            &mut self.conn,
            attachment_id,
            expected_version,
            &actor.username,
        )
    }

    fn plan_of(&self, realisasi_id: &str) -> Result<String> {
        Ok(self.conn.query_row(
            "SELECT plan_id FROM skp_realisasi WHERE id = ?1",
            [realisasi_id],
            |r| r.get(0),
        )?)
    }
}
