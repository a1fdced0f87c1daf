//! Performance appraisal (SKP): who a penilai appraises. A penilai appraises exactly their direct
//! reports — the active employees whose atasan langsung is the penilai's own employee record —
//! whatever their roles otherwise allow (an Admin Kecamatan is no one's penilai by being admin).

use pelita_core::auth::{Action, Actor};

use crate::employees::{from_row, EmployeeRow, SELECT};
use crate::{Result, Store};

impl Store {
    /// The employees `actor` appraises, by name. Empty for an account without an employee record.
    pub fn appraisal_roster(&mut self, actor: &Actor) -> Result<Vec<EmployeeRow>> {
        self.authorize(actor, Action::AppraiseReports, None)?;
        let Some(me) = actor.employee_id.as_deref() else {
            return Ok(Vec::new());
        };
        let mut stmt = self.conn.prepare(&format!(
            "{SELECT} WHERE e.deleted = 0 AND e.active = 1 AND e.atasan_id = ?1 ORDER BY e.name, e.nip"
        ))?;
        let rows = stmt.query_map([me], from_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}
