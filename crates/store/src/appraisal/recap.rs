//! Per office and period: how far the appraisals are, the distribution of staff predicates, the
//! organisation's own result and the warnings the distribution rules give (never a block).

use pelita_core::appraisal::distribution::{distribution_warnings, OrgResult, PredicateCounts};
use pelita_core::auth::{Action, Actor, Role};
use pelita_core::office::Office;
use rusqlite::OptionalExtension;
use serde::Serialize;
use specta::Type;

use crate::appraisal::appraisals::{current_for, AppraisalStatus, PeriodRef};
use crate::kernel::audit::AuditAction;
use crate::kernel::clock::now;
use crate::{Result, Store};

#[derive(Debug, Clone, Serialize, Type)]
pub struct OfficeRecap {
    pub office: Office,
    /// Active employees with an atasan langsung in the register (someone here can appraise them).
    pub to_appraise: u32,
    pub finals: u32,
    pub drafts: u32,
    /// Predicates of the Final appraisals that count.
    pub counts: PredicateCounts,
    pub org_result: Option<OrgResult>,
    pub warnings: Vec<String>,
}

/// The id of an office's result for a period: the same on every laptop, so that sync sees two
/// recordings of it as one row.
fn org_result_id(office_id: &str, p: &PeriodRef) -> String {
    let key = format!("org_result/{office_id}/{}", p.label());
    uuid::Uuid::new_v5(&uuid::Uuid::NAMESPACE_OID, key.as_bytes()).to_string()
}

impl Store {
    /// The recap for every office the actor may see (their own; all for an Admin Kecamatan).
    pub fn appraisal_recap(&mut self, actor: &Actor, p: &PeriodRef) -> Result<Vec<OfficeRecap>> {
        let offices: Vec<Office> = if actor.has(Role::AdminKecamatan) {
            self.offices()?
        } else {
            vec![crate::kernel::offices::get(&self.conn, &actor.office_id)?]
        };
        // Per-office predicate counts are for those who run the office (Operator, Admin).
        self.authorize(actor, Action::RecordOrgResult, Some(&actor.office_id))?;
        p.start()?;
        let mut out = Vec::new();
        for office in offices {
            let ids: Vec<String> = self
                .conn
                .prepare(
                    "SELECT id FROM employee WHERE office_id = ?1 AND active = 1 AND deleted = 0
                     AND atasan_id IS NOT NULL",
                )?
                .query_map([&office.id], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            let mut counts = PredicateCounts::default();
            let (mut finals, mut drafts) = (0, 0);
            for id in &ids {
                match current_for(&self.conn, id, p)? {
                    Some(a) if a.status == AppraisalStatus::Final => {
                        finals += 1;
                        if let Some(pred) = a.predicate {
                            counts.add(pred);
                        }
                    }
                    Some(_) => drafts += 1,
                    None => {}
                }
            }
            let org_result: Option<OrgResult> = self
                .conn
                .query_row(
                    "SELECT result FROM org_result WHERE id = ?1 AND deleted = 0",
                    [org_result_id(&office.id, p)],
                    |r| r.get::<_, String>(0),
                )
                .optional()?
                .and_then(|r| OrgResult::parse(&r));
            out.push(OfficeRecap {
                warnings: org_result
                    .map(|org| distribution_warnings(org, &counts))
                    .unwrap_or_default(),
                to_appraise: ids.len() as u32,
                finals,
                drafts,
                counts,
                org_result,
                office,
            });
        }
        Ok(out)
    }

    /// Records (or changes) an office's own result for a period.
    pub fn set_org_result(
        &mut self,
        actor: &Actor,
        office_id: &str,
        p: &PeriodRef,
        result: OrgResult,
    ) -> Result<()> {
        self.authorize(actor, Action::RecordOrgResult, Some(office_id))?;
        p.start()?;
        let office = crate::kernel::offices::get(&self.conn, office_id)?;
        let id = org_result_id(&office.id, p);
        let tx = self.conn.transaction()?;
        let base: i64 = tx
            .query_row("SELECT version FROM org_result WHERE id = ?1", [&id], |r| {
                r.get(0)
            })
            .optional()?
            .unwrap_or(0);
        tx.execute(
            "INSERT INTO org_result (id, office_id, year, period, month, result, owner_office_id,
                 version, updated_by, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?2, 1, ?7, ?8)
             ON CONFLICT (id) DO UPDATE SET result = excluded.result, version = version + 1,
                 updated_by = excluded.updated_by, updated_at = excluded.updated_at, deleted = 0",
            rusqlite::params![
                id,
                office.id,
                p.year,
                p.period.label(),
                p.month.unwrap_or(0),
                result.label(),
                actor.username,
                now()
            ],
        )?;
        crate::kernel::journal::record(
            &tx,
            crate::kernel::journal::Change {
                entity: "org_result",
                id: &id,
                base_version: base,
                actor: &actor.username,
                action: if base == 0 {
                    AuditAction::Create
                } else {
                    AuditAction::Update
                },
                detail: &format!("{} {}", p.label(), result.label()),
            },
        )?;
        tx.commit()?;
        Ok(())
    }
}
