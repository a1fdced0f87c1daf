//! Participation figures: who enrolled in the trainings of a year and how they attended, as a
//! summary with the reasons for absence and broken down by office, theme, route and method — where
//! participation is low, and why.

use pelita_core::auth::{Action, Actor};
use pelita_core::training::AbsenceReason;
use serde::Serialize;
use specta::Type;

use pelita_store::{Result, Store};

/// How attendance went, for the participation view: sessions attended and missed, and why.
#[derive(Debug, Clone, Default, Serialize, Type)]
pub struct ParticipationSummary {
    pub enrolled: u32,
    pub hadir: u32,
    pub absent: u32,
    /// Absences by reason, most frequent first.
    pub reasons: Vec<ReasonCount>,
}

#[derive(Debug, Clone, Serialize, Type)]
pub struct ReasonCount {
    pub reason: AbsenceReason,
    pub count: u32,
}

/// Each distinct text once, referred to by number: half a million enrolments name a few dozen
/// offices, themes and routes and a few thousand trainings (`make bench-analysis`).
#[derive(Default)]
struct Names {
    index: std::collections::HashMap<String, u32>,
    names: Vec<String>,
}

impl Names {
    fn id(&mut self, text: &str) -> u32 {
        if let Some(&i) = self.index.get(text) {
            return i;
        }
        let i = self.names.len() as u32;
        self.names.push(text.to_string());
        self.index.insert(text.to_string(), i);
        i
    }

    fn name(&self, i: u32) -> &str {
        &self.names[i as usize]
    }
}

/// An enrolment the participation figures count, by where it belongs (numbers in `labels`).
struct Counted {
    office: u32,
    theme: u32,
    route: u32,
    method: u32,
}

/// The counted enrolments by (training, employee), both numbered in `ids`.
#[derive(Default)]
struct Enrolments {
    counted: std::collections::HashMap<(u32, u32), Counted>,
    ids: Names,
    labels: Names,
}

/// Which of an enrolment's groupings a breakdown is by.
type Grouping = fn(&Counted) -> u32;

/// A recorded attendance of a counted enrolment.
struct Mark {
    key: (u32, u32),
    hadir: bool,
    reason: Option<AbsenceReason>,
}

/// Column `i` as text, borrowed from the row.
fn text<'r>(r: &'r rusqlite::Row, i: usize) -> rusqlite::Result<&'r str> {
    r.get_ref(i)?.as_str().map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(i, rusqlite::types::Type::Text, Box::new(e))
    })
}

/// The enrolments participation figures count — still enrolled (not withdrawn, not waiting), in
/// trainings starting in `year` that were not cancelled, of office `scope` (None = all), which is
/// the participant's office when they enrolled — by (training, employee); and their attendance
/// marks (a withdrawn participant's marks drop out). Each table is read once, in order: SQLCipher
/// decrypts every page it reads, and a join walking an index at random took seconds at district
/// scale (`make bench-analysis`).
fn counted(
    conn: &rusqlite::Connection,
    year: i32,
    scope: Option<&str>,
) -> Result<(Enrolments, Vec<Mark>)> {
    let year = format!("{year:04}");
    let mut e = Enrolments::default();
    let mut stmt = conn.prepare_cached(
        "SELECT p.training_id, p.employee_id, o.name, t.theme, t.route, t.method
         FROM participation p CROSS JOIN training t ON t.id = p.training_id
         JOIN office o ON o.id = p.owner_office_id
         WHERE p.state = 'Terdaftar' AND t.deleted = 0 AND t.status <> 'Dibatalkan'
           AND substr(t.start_date, 1, 4) = ?1 AND (?2 IS NULL OR p.owner_office_id = ?2)",
    )?;
    let mut rows = stmt.query(rusqlite::params![year, scope])?;
    while let Some(r) = rows.next()? {
        let key = (e.ids.id(text(r, 0)?), e.ids.id(text(r, 1)?));
        // Rows from before methods were kept: the method their route implies.
        let method = pelita_core::training::stored_route(text(r, 4)?, r.get_ref(5)?.as_str().ok())
            .map_or("", |(_, m)| m.label());
        let counted = Counted {
            office: e.labels.id(text(r, 2)?),
            theme: e.labels.id(text(r, 3)?),
            route: e.labels.id(text(r, 4)?),
            method: e.labels.id(method),
        };
        e.counted.insert(key, counted);
    }
    let mut marks = Vec::new();
    let mut stmt = conn.prepare_cached(
        "SELECT a.training_id, a.employee_id, a.status = 'Hadir', a.reason FROM attendance a
         WHERE a.training_id IN (SELECT id FROM training WHERE deleted = 0
             AND status <> 'Dibatalkan' AND substr(start_date, 1, 4) = ?1)",
    )?;
    let mut rows = stmt.query(rusqlite::params![year])?;
    while let Some(r) = rows.next()? {
        let (Some(&training), Some(&employee)) =
            (e.ids.index.get(text(r, 0)?), e.ids.index.get(text(r, 1)?))
        else {
            continue; // no counted enrolment has it
        };
        let key = (training, employee);
        if e.counted.contains_key(&key) {
            let reason = r.get_ref(3)?.as_str_or_null().ok().flatten();
            marks.push(Mark {
                key,
                hadir: r.get(2)?,
                reason: reason.and_then(AbsenceReason::parse),
            });
        }
    }
    Ok((e, marks))
}

fn summarize(enrolments: &Enrolments, marks: &[Mark]) -> ParticipationSummary {
    let mut summary = ParticipationSummary {
        enrolled: enrolments.counted.len() as u32,
        ..Default::default()
    };
    for mark in marks {
        if mark.hadir {
            summary.hadir += 1;
            continue;
        }
        summary.absent += 1;
        if let Some(reason) = mark.reason {
            match summary.reasons.iter_mut().find(|c| c.reason == reason) {
                Some(c) => c.count += 1,
                None => summary.reasons.push(ReasonCount { reason, count: 1 }),
            }
        }
    }
    summary.reasons.sort_by_key(|r| std::cmp::Reverse(r.count));
    summary
}

fn breakdown(enrolments: &Enrolments, marks: &[Mark]) -> Vec<ParticipationSlice> {
    let mut out = Vec::new();
    let picks: [(&str, Grouping); 4] = [
        ("kantor", |c| c.office),
        ("tema", |c| c.theme),
        ("jalur", |c| c.route),
        ("metode", |c| c.method),
    ];
    for (by, pick) in picks {
        // key → (enrolled, hadir, absent), in key order.
        let mut slices: std::collections::BTreeMap<&str, (u32, u32, u32)> = Default::default();
        let label = |c: &Counted| enrolments.labels.name(pick(c));
        for c in enrolments.counted.values() {
            slices.entry(label(c)).or_default().0 += 1;
        }
        for m in marks {
            let slice = slices
                .entry(label(&enrolments.counted[&m.key]))
                .or_default();
            if m.hadir {
                slice.1 += 1;
            } else {
                slice.2 += 1;
            }
        }
        for (key, (enrolled, hadir, absent)) in slices {
            let recorded = hadir + absent;
            out.push(ParticipationSlice {
                by: by.into(),
                key: key.into(),
                enrolled,
                hadir,
                absent,
                attendance_rate: if recorded == 0 {
                    0.0
                } else {
                    100.0 * f64::from(hadir) / f64::from(recorded)
                },
            });
        }
    }
    out
}

/// [`participation_summary`](Self::participation_summary) and the breakdown of the same
/// enrolments by office, theme, route and method, from one read of the tables (the Analisis page).
pub(crate) fn participation_figures(
    store: &mut Store,
    actor: &Actor,
    year: i32,
    office_id: Option<&str>,
) -> Result<(ParticipationSummary, Vec<ParticipationSlice>)> {
    let scope = pelita_core::auth::office_scope(actor, Action::ViewAnalysis, office_id);
    store.authorize(actor, Action::ViewAnalysis, scope.as_deref())?;
    let (enrolments, marks) = counted(store.connection(), year, scope.as_deref())?;
    Ok((
        summarize(&enrolments, &marks),
        breakdown(&enrolments, &marks),
    ))
}

/// Attendance and absence reasons over the trainings that start in `year`, for the actor's
/// office (an Admin Kecamatan: `office_id`, or the whole district). Cancelled trainings and
/// withdrawn participants count nothing.
pub(crate) fn participation_summary(
    store: &mut Store,
    actor: &Actor,
    year: i32,
    office_id: Option<&str>,
) -> Result<ParticipationSummary> {
    let scope = pelita_core::auth::office_scope(actor, Action::ViewAnalysis, office_id);
    store.authorize(actor, Action::ViewAnalysis, scope.as_deref())?;
    let (enrolments, marks) = counted(store.connection(), year, scope.as_deref())?;
    Ok(summarize(&enrolments, &marks))
}

/// Participation in one slice of trainings (by office, theme, route or method).
#[derive(Debug, Clone, Serialize, Type)]
pub struct ParticipationSlice {
    /// `kantor`, `tema`, `jalur` or `metode`.
    pub by: String,
    pub key: String,
    pub enrolled: u32,
    pub hadir: u32,
    pub absent: u32,
    /// Share of recorded attendances that were Hadir, in percent (0 without records).
    pub attendance_rate: f64,
}

/// Enrolment and attendance over the trainings starting in `year`, by the participant's
/// office, by theme and by route — where participation is low, and in what. Counts what
/// [`participation_summary`](Self::participation_summary) counts.
pub(crate) fn participation_breakdown(
    store: &mut Store,
    actor: &Actor,
    year: i32,
) -> Result<Vec<ParticipationSlice>> {
    let scope = pelita_core::auth::office_scope(actor, Action::ViewAnalysis, None);
    store.authorize(actor, Action::ViewAnalysis, scope.as_deref())?;
    let (enrolments, marks) = counted(store.connection(), year, scope.as_deref())?;
    Ok(breakdown(&enrolments, &marks))
}
