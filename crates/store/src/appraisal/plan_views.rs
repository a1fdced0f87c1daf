//! Reading Rencana SKP across people: the plans someone deals with, the matriks peran hasil of a
//! leader's plan, and the appraisal a penilai starts from the agreed plan.

use pelita_core::appraisal::form::{AppraisalInput, BehaviourRating};
use pelita_core::appraisal::CoreValue;
use pelita_core::auth::{Action, Actor};
use serde::Serialize;
use specta::Type;

use crate::appraisal::period::{PeriodRef, PersonLine};
use crate::appraisal::plan_dialog::notes;
use crate::appraisal::plans::{
    agreed, atasan_rhk, chain, current, penilai_for, AtasanRhk, PeranCell, PeranHasil, PeranRow,
    Plan, PlanLine, PlanParty, PlanStatus,
};
use crate::appraisal::realisasi;
use crate::register::employees::{self, EmployeeRow};
use crate::{Result, Store};

/// What the plan page shows for one pegawai and year: the plan that counts (none yet), the RHK
/// of the atasan's plan to choose an intervensi from (none: the pegawai heads the chain), and
/// what the signed-in person may do with it.
#[derive(Debug, Clone, Serialize, Type)]
pub struct PlanView {
    pub employee: EmployeeRow,
    pub year: i32,
    pub plan: Option<Plan>,
    /// Earlier agreed versions, oldest first.
    pub history: Vec<Plan>,
    pub penilai: Option<PersonLine>,
    pub atasan_rhk: Option<Vec<AtasanRhk>>,
    pub may_edit: bool,
    /// Whether the signed-in person may start a revision of the agreed plan.
    pub may_revise: bool,
    /// Whose signature the signed-in person gives, if any.
    pub signs_as: Option<PlanParty>,
    /// The dialog and bimbingan notes of the year, and whether the signed-in person (the plan's
    /// penilai) keeps them.
    pub dialogs: Vec<crate::appraisal::plan_dialog::DialogNote>,
    pub may_note: bool,
    /// The realisasi entered for the year, with their bukti dukung, and whether the signed-in
    /// person may enter them (the plan agreed; the pegawai, their penilai or the operator).
    pub realisasi: Vec<realisasi::Realisasi>,
    pub may_enter_realisasi: bool,
    /// The agreed plan the realisasi are entered against (during a revision: the one agreed).
    pub realisasi_plan: Option<Plan>,
}

impl Store {
    /// A pegawai's plan of a year, as the plan page shows it.
    pub fn skp_plan(&mut self, actor: &Actor, employee_id: &str, year: i32) -> Result<PlanView> {
        let employee = employees::get(&self.conn, employee_id)?;
        let mut plans = chain(&self.conn, employee_id, year)?;
        let plan = plans.pop();
        let penilai = match &plan {
            Some(p) => self.penilai_of(p)?,
            None => penilai_for(&self.conn, employee_id, year)?,
        };
        let (may_write, signs_as) = self.plan_access(actor, &employee, penilai.as_deref())?;
        plans.retain(|p| p.status == PlanStatus::Disepakati);
        let draft = plan.as_ref().is_none_or(|p| p.status == PlanStatus::Draft);
        let agreed_plan = agreed(&self.conn, employee_id, year)?;
        Ok(PlanView {
            atasan_rhk: atasan_rhk(&self.conn, penilai.as_deref(), year, false)?,
            penilai: match &penilai {
                Some(id) => Some(PersonLine::from(&employees::get(&self.conn, id)?)),
                None => None,
            },
            may_edit: may_write && draft,
            may_revise: may_write
                && plan
                    .as_ref()
                    .is_some_and(|p| p.status == PlanStatus::Disepakati && p.revised_by.is_none()),
            signs_as: signs_as.filter(|_| plan.is_some() && draft),
            dialogs: notes(&self.conn, employee_id, year)?,
            may_note: plan.is_some() && actor.employee_id.is_some() && actor.employee_id == penilai,
            realisasi: realisasi::of_year(&self.conn, employee_id, year)?,
            may_enter_realisasi: may_write && agreed_plan.is_some(),
            realisasi_plan: agreed_plan,
            history: plans,
            plan,
            employee,
            year,
        })
    }

    /// The pegawai whose plans `actor` deals with for `year`: their own, their direct reports',
    /// and — for an office's operators and admins — everyone active in their office.
    pub fn plan_roster(&mut self, actor: &Actor, year: i32) -> Result<Vec<PlanLine>> {
        let office_wide =
            pelita_core::auth::authorize(actor, Action::EditEmployees, Some(&actor.office_id))
                .is_ok();
        if !office_wide && actor.employee_id.is_none() {
            self.authorize(actor, Action::ViewOwnRecord, None)?;
        }
        let me = actor.employee_id.clone().unwrap_or_default();
        let ids: Vec<String> = self
            .conn
            .prepare(
                "SELECT id FROM employee WHERE deleted = 0 AND active = 1
                   AND (id = ?1 OR atasan_id = ?1 OR (?2 AND office_id = ?3))
                 ORDER BY (id <> ?1), name",
            )?
            .query_map(rusqlite::params![me, office_wide, actor.office_id], |r| {
                r.get(0)
            })?
            .collect::<rusqlite::Result<_>>()?;
        let mut out = Vec::new();
        for id in ids {
            let plan = current(&self.conn, &id, year)?;
            let penilai = match &plan {
                Some(p) => self.penilai_of(p)?,
                None => crate::appraisal::plans::penilai_for(&self.conn, &id, year)?,
            };
            out.push(PlanLine {
                signatures_needed: if penilai.is_some() { 2 } else { 1 },
                employee: employees::get(&self.conn, &id)?,
                signatures: plan.as_ref().map_or(0, |p| {
                    u32::from(p.pegawai_signed.is_some()) + u32::from(p.penilai_signed.is_some())
                }),
                status: plan.as_ref().map(|p| p.status),
                plan_id: plan.map(|p| p.id),
            });
        }
        Ok(out)
    }

    /// The matriks peran hasil of `leader_id`'s plan of `year`: per RHK of theirs, the RHK of the
    /// staff whose plans support it (their current plans; agreed or not, as marked).
    pub fn peran_hasil(&mut self, actor: &Actor, leader_id: &str, year: i32) -> Result<PeranHasil> {
        let leader = employees::get(&self.conn, leader_id)?;
        let plan = current(&self.conn, leader_id, year)?;
        let penilai = plan.as_ref().and_then(|p| p.penilai_id.clone());
        self.plan_access(actor, &leader, penilai.as_deref())?;
        let staff: Vec<String> = self
            .conn
            .prepare("SELECT DISTINCT employee_id FROM skp_plan WHERE penilai_id = ?1 AND year = ?2 AND deleted = 0")?
            .query_map(rusqlite::params![leader_id, year], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        let staff_plans: Vec<Plan> = staff
            .iter()
            .filter_map(|e| current(&self.conn, e, year).transpose())
            .collect::<Result<_>>()?;
        let rows = plan
            .map(|p| p.document.items)
            .unwrap_or_default()
            .into_iter()
            .map(|item| PeranRow {
                carried_by: staff_plans
                    .iter()
                    .flat_map(|sp| {
                        sp.document
                            .items
                            .iter()
                            .filter(|i| i.intervensi.as_deref() == Some(item.id.as_str()))
                            .map(|i| PeranCell {
                                employee: sp.employee.clone(),
                                rhk: i.rhk.clone(),
                                indicators: i
                                    .indicators
                                    .iter()
                                    .map(|k| format!("{}: {}", k.indikator, k.target.text()))
                                    .collect(),
                                agreed: sp.status == PlanStatus::Disepakati,
                            })
                    })
                    .collect(),
                rhk_id: item.id,
                rhk: item.rhk,
            })
            .collect();
        Ok(PeranHasil {
            leader: PersonLine::from(&leader),
            year,
            rows,
        })
    }

    /// A new appraisal of `employee_id` for period `p`, as its penilai starts it: the items of the
    /// plan agreed for the year (none agreed: no item yet), the seven values to rate.
    pub fn appraisal_from_plan(
        &mut self,
        actor: &Actor,
        employee_id: &str,
        p: &PeriodRef,
    ) -> Result<AppraisalInput> {
        let employee = employees::get(&self.conn, employee_id)?;
        self.check_penilai(actor, &employee, p)?;
        Ok(AppraisalInput {
            employee_id: employee.id.clone(),
            year: p.year,
            period: p.period,
            month: p.month,
            items: match agreed(&self.conn, &employee.id, p.year)? {
                Some(plan) => {
                    let done = realisasi::of_period(&self.conn, &employee.id, p)?;
                    // The items come in the plan's order, RHK by RHK, indicator by indicator.
                    // A realisasi fills the indicator it was entered for: the same place, the same
                    // name (a revision that put another indicator there starts it empty).
                    let keys = plan.document.items.iter().flat_map(|rhk| {
                        rhk.indicators.iter().enumerate().map(|(i, ind)| {
                            ((rhk.id.clone(), i as u32), ind.indikator.trim().to_string())
                        })
                    });
                    keys.zip(plan.document.appraisal_items())
                        .map(|((key, name), mut item)| {
                            item.realisasi =
                                done.get(&key).filter(|(n, _)| *n == name).map(|(_, v)| *v);
                            item
                        })
                        .collect()
                }
                None => Vec::new(),
            },
            behaviour: CoreValue::ALL
                .into_iter()
                .map(|value| BehaviourRating {
                    value,
                    rating: None,
                    ekspektasi: String::new(),
                    umpan_balik: String::new(),
                })
                .collect(),
            hasil_kerja: None,
            perilaku_kerja: None,
        })
    }
}
