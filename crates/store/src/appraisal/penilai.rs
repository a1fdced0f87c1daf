//! Who appraises whom, and when: the atasan history every employee change appends to (dated
//! with the local day, never before the previous entry), the atasan langsung on a day, the
//! penilai check of a period (the atasan on its first day), the roster of a penilai, and "today"
//! (which a test may pin for its own connection).

use chrono::NaiveDate;
use pelita_core::appraisal::Period;
use pelita_core::auth::{Action, Actor, PermissionDenied};
use rusqlite::{Connection, OptionalExtension};

use crate::appraisal::appraisals::{current_for, PeriodRef, RosterLine};
use crate::kernel::clock::today;
use crate::register::employees::{self, EmployeeRow, SELECT};
use crate::{Result, Store};

/// The atasan langsung of `employee_id` on `day`: the last change on or before it, or, for days
/// before the register knew the employee, the first atasan it recorded.
pub(crate) fn atasan_on(
    conn: &Connection,
    employee_id: &str,
    day: NaiveDate,
) -> Result<Option<String>> {
    let on_day: Option<Option<String>> = conn
        .query_row(
            "SELECT atasan_id FROM atasan_history WHERE employee_id = ?1 AND valid_from <= ?2
             ORDER BY valid_from DESC, seq DESC LIMIT 1",
            rusqlite::params![employee_id, day.to_string()],
            |r| r.get(0),
        )
        .optional()?;
    if let Some(found) = on_day {
        return Ok(found);
    }
    Ok(conn
        .query_row(
            "SELECT atasan_id FROM atasan_history WHERE employee_id = ?1 ORDER BY seq LIMIT 1",
            [employee_id],
            |r| r.get(0),
        )
        .optional()?
        .flatten())
}

impl Store {
    /// Pins "today" for this connection only (tests of periods and supervisor changes).
    #[doc(hidden)]
    pub fn pin_today(&mut self, day: NaiveDate) -> Result<()> {
        self.conn.execute_batch(&format!(
            "CREATE TEMP TABLE IF NOT EXISTS pinned_clock (today TEXT NOT NULL);
             DELETE FROM temp.pinned_clock;
             INSERT INTO temp.pinned_clock VALUES ('{day}');"
        ))?;
        Ok(())
    }

    /// Back to the real clock after [`pin_today`](Self::pin_today).
    pub fn unpin_today(&mut self) -> Result<()> {
        self.conn
            .execute_batch("DROP TABLE IF EXISTS temp.pinned_clock")?;
        Ok(())
    }

    /// The period that contains today, as the appraisal pages open on it (the quarter).
    pub fn current_period(&self) -> PeriodRef {
        use chrono::Datelike;
        let d = today(&self.conn);
        let period = match d.month() {
            1..=3 => Period::TriwulanI,
            4..=6 => Period::TriwulanII,
            7..=9 => Period::TriwulanIII,
            _ => Period::TriwulanIVAkhir,
        };
        PeriodRef {
            year: d.year(),
            period,
            month: None,
        }
    }

    /// Refuses unless `actor` is the appraisee's atasan langsung on the first day of the period.
    pub(crate) fn check_penilai(
        &mut self,
        actor: &Actor,
        employee: &EmployeeRow,
        p: &PeriodRef,
    ) -> Result<String> {
        self.authorize(actor, Action::AppraiseReports, None)?;
        let start = p.start()?;
        let penilai = atasan_on(&self.conn, &employee.id, start)?;
        match (&actor.employee_id, penilai) {
            (Some(me), Some(penilai)) if *me == penilai => Ok(penilai),
            _ => Err(self.refuse(
                actor,
                PermissionDenied::NotDirectSupervisor {
                    employee: employee.display_name.clone(),
                    period: p.label(),
                },
                &employee.id,
                "AppraiseReports",
            )),
        }
    }

    /// The employees `actor` appraises for a period, by name, with the appraisal that counts.
    /// Someone who has left since (pensiun, mutasi) stays on the list when an appraisal of theirs
    /// for the period exists, so that it can be finished.
    pub fn appraisal_roster(&mut self, actor: &Actor, p: &PeriodRef) -> Result<Vec<RosterLine>> {
        self.authorize(actor, Action::AppraiseReports, None)?;
        let start = p.start()?;
        let Some(me) = actor.employee_id.as_deref() else {
            return Ok(Vec::new());
        };
        let candidates: Vec<EmployeeRow> = self
            .conn
            .prepare(&format!(
                "{SELECT} WHERE e.deleted = 0 AND e.id IN
                   (SELECT employee_id FROM atasan_history WHERE atasan_id = ?1)
                 ORDER BY e.name, e.nip"
            ))?
            .query_map([me], employees::from_row)?
            .collect::<rusqlite::Result<_>>()?;
        let mut lines = Vec::new();
        for employee in candidates {
            if atasan_on(&self.conn, &employee.id, start)?.as_deref() != Some(me) {
                continue;
            }
            let current = current_for(&self.conn, &employee.id, p)?;
            if !employee.active && current.is_none() {
                continue;
            }
            lines.push(RosterLine {
                appraisal_id: current.as_ref().map(|a| a.id.clone()),
                status: current.as_ref().map(|a| a.status),
                predicate: current.as_ref().and_then(|a| a.predicate),
                employee,
            });
        }
        Ok(lines)
    }
}
