//! Per office and period: how far the appraisals are, the distribution of staff predicates, the
//! organisation's own result and the warnings the distribution rules give (never a block).

use pelita_core::appraisal::distribution::{distribution_warnings, OrgResult, PredicateCounts};
use pelita_core::appraisal::Rating;
use pelita_core::auth::{district_wide, Action, Actor};
use pelita_core::office::Office;
use rusqlite::Connection;
use serde::Serialize;
use specta::Type;

use crate::appraisal::appraisals::{current_for, AppraisalStatus, PeriodRef};
use crate::appraisal::org_result;
use crate::appraisal::period::PersonLine;
use crate::register::employees;
use crate::{Result, Store};

#[derive(Debug, Clone, Serialize, Type)]
pub struct OfficeRecap {
    pub office: Office,
    /// Active employees with an atasan langsung in the register (someone here can appraise them).
    pub to_appraise: u32,
    pub finals: u32,
    pub drafts: u32,
    /// Predicates of the Final appraisals that count, the office's head left out: the Lurah is
    /// appraised by the Camat, by the organisation's result, not within their kelurahan.
    pub counts: PredicateCounts,
    pub org_result: Option<OrgResult>,
    /// Whether the signed-in person sets this office's result (the Camat for a kelurahan).
    pub may_set_result: bool,
    pub warnings: Vec<String>,
}

/// The *Penetapan Predikat Kinerja* of an office for a period, as it prints: the organisation's
/// result, the distribution of its staff's predicates, and the leader who signed it.
#[derive(Debug, Clone, Serialize, Type)]
pub struct Penetapan {
    pub office: Office,
    pub period_label: String,
    pub result: Option<OrgResult>,
    /// The Hasil Kerja rating of the office's head that follows from the result.
    pub leader_rating: Option<Rating>,
    /// The office's head (the Lurah) as the register shows them now, when it names one.
    pub head: Option<PersonLine>,
    /// Who signed the result, as they were when they signed (none for the Kantor Camat's own,
    /// recorded from the Wali Kota's decision).
    pub signed_by: Option<PersonLine>,
    pub recorded_by: Option<String>,
    pub set_at: Option<String>,
    pub staff: u32,
    pub counts: PredicateCounts,
    pub warnings: Vec<String>,
}

/// Progress and the distribution of an office's staff predicates for a period.
struct Tally {
    to_appraise: u32,
    finals: u32,
    drafts: u32,
    counts: PredicateCounts,
    /// The unit leader of the period (appraised from another office: the Lurah by the Camat).
    head: Option<String>,
    /// Their Final Hasil Kerja rating, when signed.
    head_rating: Option<Rating>,
}

fn tally(conn: &Connection, office: &str, p: &PeriodRef) -> Result<Tally> {
    let ids: Vec<String> = conn
        .prepare(
            "SELECT id FROM employee WHERE office_id = ?1 AND active = 1 AND deleted = 0
             AND atasan_id IS NOT NULL",
        )?
        .query_map([office], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let mut t = Tally {
        to_appraise: ids.len() as u32,
        finals: 0,
        drafts: 0,
        counts: PredicateCounts::default(),
        head: None,
        head_rating: None,
    };
    for id in &ids {
        let Some(a) = current_for(conn, id, p)? else {
            continue;
        };
        if org_result::leads_unit(conn, office, &a.penilai_id, p)? {
            t.head = Some(id.clone());
            t.head_rating = (a.status == AppraisalStatus::Final)
                .then_some(a.document.hasil_kerja)
                .flatten();
        }
        match a.status {
            AppraisalStatus::Final => {
                t.finals += 1;
                match a.predicate {
                    Some(pred) if t.head.as_deref() != Some(id) => t.counts.add(pred),
                    _ => {}
                }
            }
            AppraisalStatus::Draft => t.drafts += 1,
        }
    }
    Ok(t)
}

/// The distribution warnings of a result, and one when the head's signed appraisal no longer
/// carries the rating it gives (the result changed after they signed).
fn warnings(org: Option<OrgResult>, t: &Tally) -> Vec<String> {
    let Some(org) = org else {
        return Vec::new();
    };
    let mut out = distribution_warnings(org, &t.counts);
    if let Some(given) = t.head_rating.filter(|r| *r != org.leader_rating()) {
        out.push(format!(
            "penilaian Final pimpinan unit kerja memuat rating Hasil Kerja {}, padahal predikat \
             organisasi {} memberi {}: koreksi penilaiannya dengan amandemen",
            given.label(),
            org.label(),
            org.leader_rating().label()
        ));
    }
    out
}

impl Store {
    /// The recap for every office the actor may see (their own; the district for the Kantor
    /// Camat's leaders and admins).
    pub fn appraisal_recap(&mut self, actor: &Actor, p: &PeriodRef) -> Result<Vec<OfficeRecap>> {
        self.authorize(actor, Action::ViewAppraisalRecap, Some(&actor.office_id))?;
        let offices: Vec<Office> = if district_wide(actor) {
            self.offices()?
        } else {
            vec![crate::kernel::offices::get(&self.conn, &actor.office_id)?]
        };
        p.start()?;
        let mut out = Vec::new();
        for office in offices {
            let t = tally(&self.conn, &office.id, p)?;
            let org = org_result::read(&self.conn, &office.id, p)?.map(|s| s.result);
            out.push(OfficeRecap {
                warnings: warnings(org, &t),
                may_set_result: pelita_core::auth::authorize(
                    actor,
                    Action::SetOrgResult,
                    Some(&office.id),
                )
                .is_ok(),
                to_appraise: t.to_appraise,
                finals: t.finals,
                drafts: t.drafts,
                counts: t.counts,
                org_result: org,
                office,
            });
        }
        Ok(out)
    }

    /// The Penetapan of `office_id` for a period, for whoever sees that office's recap.
    pub fn penetapan(
        &mut self,
        actor: &Actor,
        office_id: &str,
        p: &PeriodRef,
    ) -> Result<Penetapan> {
        self.authorize(actor, Action::ViewAppraisalRecap, Some(office_id))?;
        p.start()?;
        let office = crate::kernel::offices::get(&self.conn, office_id)?;
        let t = tally(&self.conn, &office.id, p)?;
        let set = org_result::read(&self.conn, &office.id, p)?;
        let org = set.as_ref().map(|s| s.result);
        // The leader appraised for the period, else the one the register shows now.
        let head = match (
            &t.head,
            employees::heads_of(&self.conn, &office.id)?.as_slice(),
        ) {
            (Some(id), _) | (None, [id]) => {
                Some(PersonLine::from(&employees::get(&self.conn, id)?))
            }
            _ => None,
        };
        Ok(Penetapan {
            period_label: p.label(),
            result: org,
            leader_rating: org.map(OrgResult::leader_rating),
            head,
            warnings: warnings(org, &t),
            staff: t.counts.total(),
            counts: t.counts,
            signed_by: set.as_ref().and_then(|s| s.leader.clone()),
            recorded_by: set.as_ref().map(|s| s.recorded_by.clone()),
            set_at: set.map(|s| s.set_at),
            office,
        })
    }
}
