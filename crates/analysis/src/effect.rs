//! The inputs of the effect analysis (`pelita_stats::effect`) from the office's own records:
//! each employee's signed appraisals of the first and last quarter, the trainings they completed,
//! their JP, and the controls. The design is the one `pelita_stats::effect` documents.

use std::collections::{HashMap, HashSet};

use pelita_core::appraisal::form::AppraisalInput;
use pelita_core::appraisal::{Period, Predicate};
use pelita_core::auth::{Action, Actor};
use pelita_core::reference::EmploymentStatus;
use pelita_core::training::Route;
use pelita_stats::effect::{analyze, EffectReport, Measure, Person};
use rusqlite::params;

use pelita_store::read::completed_jp;
use pelita_store::{Result, Store};

/// What the effect analysis looks at.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EffectFilter {
    pub year: i32,
    /// An office id; `None`: the actor's office, or the whole district for the HQ.
    pub office_id: Option<String>,
    /// Only trainings of this theme count as "trained" and towards JP.
    pub theme: Option<String>,
    /// Only trainings of this route (jalur) count, likewise.
    pub route: Option<Route>,
    /// Only employees of this status (PNS, CPNS, PPPK).
    pub status: Option<EmploymentStatus>,
}

impl EffectFilter {
    /// The route as the training table stores it.
    pub(crate) fn route_label(&self) -> Option<&'static str> {
        self.route.map(Route::label)
    }

    /// The status as the employee table stores it.
    pub(crate) fn status_label(&self) -> Option<&'static str> {
        self.status.map(EmploymentStatus::label)
    }
}

/// The analysis' group for a golongan: I–II, III, IV, or PPPK.
fn golongan_group(golongan: &str) -> &'static str {
    match golongan.split('/').next().unwrap_or("") {
        "I" | "II" if golongan.contains('/') => "I–II",
        "III" if golongan.contains('/') => "III",
        "IV" if golongan.contains('/') => "IV",
        _ => "PPPK",
    }
}

/// The predicate and measures of the appraisals that count in `year` (quarters and the year, not months), by
/// (employee, period label): the last Final of each amendment chain, as `current_for` decides,
/// read in one query rather than one per employee and period.
pub(crate) fn counting_measures(
    conn: &rusqlite::Connection,
    year: i32,
    office: Option<&str>,
    status: Option<&str>,
) -> Result<HashMap<(String, String), (Predicate, Measure)>> {
    struct Row {
        employee: String,
        period: String,
        signed: bool,
        predicate: Option<String>,
        document: String,
    }
    let mut stmt = conn.prepare(
        "SELECT a.id, a.amends_id, a.employee_id, a.period, a.status = 'Final', a.predicate,
             a.document
         FROM appraisal a JOIN employee e ON e.id = a.employee_id
         WHERE a.year = ?1 AND a.month = 0 AND a.deleted = 0 AND (?2 IS NULL OR e.office_id = ?2)
           AND (?3 IS NULL OR e.status = ?3)",
    )?;
    let mut roots = Vec::new();
    let mut rows: HashMap<String, Row> = HashMap::new();
    let mut next: HashMap<String, String> = HashMap::new();
    let found = stmt.query_map(params![year, office, status], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, Option<String>>(1)?,
            Row {
                employee: r.get(2)?,
                period: r.get(3)?,
                signed: r.get(4)?,
                predicate: r.get(5)?,
                document: r.get(6)?,
            },
        ))
    })?;
    for item in found {
        let (id, amends, row) = item?;
        match amends {
            Some(parent) => {
                next.insert(parent, id.clone());
            }
            None => roots.push(id.clone()),
        }
        rows.insert(id, row);
    }
    let mut out = HashMap::new();
    for root in roots {
        let (mut at, mut last_final) = (Some(root), None);
        while let Some(id) = at {
            if rows.get(&id).is_some_and(|r| r.signed) {
                last_final = Some(id.clone());
            }
            at = next.get(&id).cloned();
        }
        let Some(row) = last_final.and_then(|id| rows.remove(&id)) else {
            continue;
        };
        let Some(predicate) = row.predicate.as_deref().and_then(Predicate::parse) else {
            continue;
        };
        let capaian: Vec<f64> = serde_json::from_str::<AppraisalInput>(&row.document)
            .map(|doc| doc.items.iter().filter_map(|i| i.capaian()).collect())
            .unwrap_or_default();
        out.insert(
            (row.employee, row.period),
            (
                predicate,
                Measure {
                    score: f64::from(predicate.score()),
                    capaian: (!capaian.is_empty())
                        .then(|| capaian.iter().sum::<f64>() / capaian.len() as f64),
                },
            ),
        );
    }
    Ok(out)
}

/// One line per active employee in scope, ready for [`pelita_stats::effect::analyze`].
pub(crate) fn effect_people(
    store: &mut Store,
    actor: &Actor,
    filter: &EffectFilter,
) -> Result<Vec<Person>> {
    let scope =
        pelita_core::auth::office_scope(actor, Action::ViewAnalysis, filter.office_id.as_deref());
    store.authorize(actor, Action::ViewAnalysis, scope.as_deref())?;
    let year = format!("{:04}", filter.year);
    let (between_from, between_to) = (format!("{year}-04-01"), format!("{year}-09-30"));
    // The year's completions in one pass each, then the employees (a subquery per employee
    // took seconds at district scale: `make bench-analysis`).
    let any = completed_jp(store.connection(), filter.year, None, None)?;
    let of_theme = completed_jp(
        store.connection(),
        filter.year,
        filter.theme.as_deref(),
        filter.route_label(),
    )?;
    let trained: HashSet<String> = store
        .connection()
        .prepare(
            "SELECT p.employee_id
             FROM participation p CROSS JOIN training t ON t.id = p.training_id
             WHERE p.completed = 1 AND p.state = 'Terdaftar' AND t.status = 'Selesai'
               AND t.deleted = 0 AND t.start_date >= ?1 AND t.end_date <= ?2
               AND (?3 IS NULL OR t.theme = ?3) AND (?4 IS NULL OR t.route = ?4)",
        )?
        .query_map(
            params![between_from, between_to, filter.theme, filter.route_label()],
            |r| r.get(0),
        )?
        .collect::<rusqlite::Result<_>>()?;
    let rows: Vec<(String, String, String, String)> = store
        .connection()
        .prepare(
            "SELECT e.id, e.golongan, e.jenis_jabatan, o.code
             FROM employee e JOIN office o ON o.id = e.office_id
             WHERE e.deleted = 0 AND e.active = 1 AND (?1 IS NULL OR e.office_id = ?1)
               AND (?2 IS NULL OR e.status = ?2)
             ORDER BY o.code, e.nip",
        )?
        .query_map(params![scope, filter.status_label()], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
        })?
        .collect::<rusqlite::Result<_>>()?;
    let mut measures = counting_measures(
        store.connection(),
        filter.year,
        scope.as_deref(),
        filter.status_label(),
    )?;
    let (first, last) = (Period::TriwulanI.label(), Period::TriwulanIVAkhir.label());
    let mut people = Vec::with_capacity(rows.len());
    for (id, golongan, jenis, office) in rows {
        people.push(Person {
            before: measures
                .remove(&(id.clone(), first.to_string()))
                .map(|m| m.1),
            after: measures
                .remove(&(id.clone(), last.to_string()))
                .map(|m| m.1),
            trained: trained.contains(&id),
            untrained: !any.contains_key(&id),
            jp: f64::from(of_theme.get(&id).copied().unwrap_or(0)),
            controls: vec![
                ("golongan".into(), golongan_group(&golongan).into()),
                ("jenis_jabatan".into(), jenis),
                ("kantor".into(), office),
            ],
        });
    }
    Ok(people)
}

/// The effect of training on performance for the filter (see `pelita_stats::effect`).
pub(crate) fn effect_analysis(
    store: &mut Store,
    actor: &Actor,
    filter: &EffectFilter,
) -> Result<EffectReport> {
    Ok(analyze(&effect_people(store, actor, filter)?))
}

#[cfg(test)]
mod tests {
    use super::golongan_group;

    #[test]
    fn golongan_groups() {
        assert_eq!(golongan_group("II/c"), "I–II");
        assert_eq!(golongan_group("I/a"), "I–II");
        assert_eq!(golongan_group("III/d"), "III");
        assert_eq!(golongan_group("IV/a"), "IV");
        assert_eq!(golongan_group("IX"), "PPPK");
        assert_eq!(golongan_group("I"), "PPPK");
    }
}
