//! The data-subject's right of access (UU 27/2022): every person can see and export their own
//! record. The export is written to the audit log like any other export of personal data.

use pelita_core::auth::{Action, Actor};
use serde::Serialize;
use specta::Type;

use crate::kernel::audit;
use crate::kernel::clock::now;
use crate::register::employees::get;
use crate::{EmployeeRow, Result, Store};

/// Everything Pelita holds about the signed-in person (more sections join as features land).
#[derive(Debug, Clone, Serialize, Type)]
pub struct OwnRecord {
    pub exported_at: String,
    pub username: String,
    pub full_name: String,
    pub roles: Vec<String>,
    pub employee: Option<EmployeeRow>,
}

impl Store {
    pub fn own_record(&mut self, actor: &Actor) -> Result<OwnRecord> {
        self.authorize(actor, Action::ViewOwnRecord, None)?;
        self.collect_own_record(actor)
    }

    /// The own record as pretty JSON, for saving to a file; logged as an export.
    pub fn export_own_record(&mut self, actor: &Actor) -> Result<String> {
        let json = self.own_record_json(actor)?;
        self.log_own_export(actor)?;
        Ok(json)
    }

    /// Writes [`Store::export_own_record`] to a file, and logs it once the file exists.
    pub fn export_own_record_file(&mut self, actor: &Actor, path: &std::path::Path) -> Result<()> {
        let json = self.own_record_json(actor)?;
        std::fs::write(path, json).map_err(|e| crate::StoreError::io(path, e))?;
        self.log_own_export(actor)
    }

    fn own_record_json(&mut self, actor: &Actor) -> Result<String> {
        self.authorize(actor, Action::ExportOwnRecord, None)?;
        let record = self.collect_own_record(actor)?;
        Ok(serde_json::to_string_pretty(&record).expect("plain data serialises"))
    }

    fn log_own_export(&self, actor: &Actor) -> Result<()> {
        let record_id = actor.employee_id.as_deref().unwrap_or(&actor.user_id);
        audit::record_export(&self.conn, actor, "own_record", record_id, "data diri")
    }

    fn collect_own_record(&self, actor: &Actor) -> Result<OwnRecord> {
        let employee = match &actor.employee_id {
            Some(id) => Some(get(&self.conn, id)?),
            None => None,
        };
        Ok(OwnRecord {
            exported_at: now(),
            username: actor.username.clone(),
            full_name: actor.full_name.clone(),
            roles: actor.roles.iter().map(|r| r.label().to_string()).collect(),
            employee,
        })
    }
}
