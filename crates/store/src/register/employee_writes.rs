//! Changing the register: every write authorizes the actor, checks the rules that need the
//! database, and appends its outbox mutation and audit entry in the same transaction.

use pelita_core::auth::{Action, Actor};
use pelita_core::employee::{field, Deactivation, EmployeeInput, ValidEmployee};
use pelita_core::ValidationError;
use rusqlite::types::Value::{self, Integer, Null, Text};
use rusqlite::{Connection, OptionalExtension};

use crate::kernel::audit::AuditAction;
use crate::kernel::clock::now;
use crate::kernel::outbox;
use crate::register::employees::get;
use crate::{EmployeeRow, Result, Store, StoreError};

impl Store {
    /// Editing needs the right for the employee's current office, which an edit never changes.
    fn authorize_edit(&mut self, actor: &Actor, id: &str, new_office: Option<&str>) -> Result<()> {
        let current = get(&self.conn, id)?;
        self.authorize(actor, Action::EditEmployees, Some(&current.office_id))?;
        // An employee changes office only by a transfer, which carries their history with them.
        if new_office.is_some_and(|o| o != current.office_id) {
            return Err(ValidationError::single(
                field::OFFICE,
                "kantor pegawai hanya berubah melalui mutasi: catat mutasinya (menu Mutasi), \
                 Kantor Camat yang menyetujuinya",
            )
            .into());
        }
        // The laptop's office, not only the role, bounds what it changes (the hub would refuse).
        outbox::writable_here(
            &self.conn,
            "employee",
            Some(&current.office_id),
            &current.office_id,
        )
    }

    /// Adds an employee to the register.
    pub fn create_employee(&mut self, actor: &Actor, input: &EmployeeInput) -> Result<EmployeeRow> {
        self.authorize(actor, Action::EditEmployees, Some(input.office_id.trim()))?;
        let valid = input.validate()?;
        let tx = self.conn.transaction()?;
        let id = insert(&tx, &valid, None, &actor.username)?;
        tx.commit()?;
        get(&self.conn, &id)
    }

    /// Changes an employee. `expected_version` is the version the user was looking at: if someone
    /// else changed the record since, nothing is written.
    pub fn update_employee(
        &mut self,
        actor: &Actor,
        id: &str,
        expected_version: i64,
        input: &EmployeeInput,
    ) -> Result<EmployeeRow> {
        self.authorize_edit(actor, id, Some(input.office_id.trim()))?;
        let valid = input.validate()?;
        let tx = self.conn.transaction()?;
        let current = get(&tx, id)?;
        if current.version != expected_version {
            return Err(StoreError::VersionConflict);
        }
        check_references(&tx, &valid, Some(id), current.active)?;
        tx.execute(
            "UPDATE employee SET nip = ?2, gelar_depan = ?3, name = ?4, gelar_belakang = ?5,
                 birth_date = ?6, sex = ?7, status = ?8, golongan = ?9, jabatan = ?10,
                 jenis_jabatan = ?11, office_id = ?12, atasan_id = ?13, contract_start = ?14,
                 contract_end = ?15, owner_office_id = ?12, version = version + 1, updated_at = ?16
             WHERE id = ?1",
            rusqlite::params_from_iter(
                std::iter::once(Text(id.to_string()))
                    .chain(field_values(&valid))
                    .chain([Text(now())]),
            ),
        )?;
        record_change(
            &tx,
            id,
            expected_version,
            &actor.username,
            AuditAction::Update,
        )?;
        tx.commit()?;
        get(&self.conn, id)
    }

    /// Takes an employee off the active register (mutasi, pensiun, ...). The record stays.
    pub fn deactivate_employee(
        &mut self,
        actor: &Actor,
        id: &str,
        expected_version: i64,
        change: &Deactivation,
    ) -> Result<EmployeeRow> {
        self.authorize_edit(actor, id, None)?;
        let tx = self.conn.transaction()?;
        let current = get(&tx, id)?;
        if current.version != expected_version {
            return Err(StoreError::VersionConflict);
        }
        if !current.active {
            return Err(ValidationError::single(
                field::INACTIVE_REASON,
                "pegawai ini sudah tidak aktif",
            )
            .into());
        }
        heads_nobody(&tx, &current, "terlebih dahulu")?;
        tx.execute(
            "UPDATE employee SET active = 0, inactive_reason = ?2, inactive_note = ?3,
                 version = version + 1, updated_at = ?4 WHERE id = ?1",
            rusqlite::params![id, change.reason.label(), change.note.trim(), now()],
        )?;
        record_change(
            &tx,
            id,
            expected_version,
            &actor.username,
            AuditAction::Update,
        )?;
        tx.commit()?;
        get(&self.conn, id)
    }

    /// Puts an inactive employee back on the active register.
    pub fn reactivate_employee(
        &mut self,
        actor: &Actor,
        id: &str,
        expected_version: i64,
    ) -> Result<EmployeeRow> {
        self.authorize_edit(actor, id, None)?;
        let tx = self.conn.transaction()?;
        let current = get(&tx, id)?;
        if current.version != expected_version {
            return Err(StoreError::VersionConflict);
        }
        if let Some(atasan) = &current.atasan_id {
            let atasan_active: Option<bool> = tx
                .query_row(
                    "SELECT active FROM employee WHERE id = ?1 AND deleted = 0",
                    [atasan],
                    |r| r.get(0),
                )
                .optional()?;
            if atasan_active != Some(true) {
                return Err(ValidationError::single(
                    field::ATASAN,
                    "atasan langsung pegawai ini sudah tidak aktif; ubah atasannya terlebih dahulu",
                )
                .into());
            }
        }
        tx.execute(
            "UPDATE employee SET active = 1, inactive_reason = NULL, inactive_note = '',
                 version = version + 1, updated_at = ?2 WHERE id = ?1",
            rusqlite::params![id, now()],
        )?;
        record_change(
            &tx,
            id,
            expected_version,
            &actor.username,
            AuditAction::Update,
        )?;
        tx.commit()?;
        get(&self.conn, id)
    }
}

/// Refuses to take `employee` away from their reports (leaving the register, or the office):
/// whoever they are atasan of needs another one first, `before` saying before what.
pub(crate) fn heads_nobody(conn: &Connection, employee: &EmployeeRow, before: &str) -> Result<()> {
    let reports: u32 = conn.query_row(
        "SELECT count(*) FROM employee WHERE atasan_id = ?1 AND active = 1 AND deleted = 0",
        [&employee.id],
        |r| r.get(0),
    )?;
    if reports == 0 {
        return Ok(());
    }
    Err(ValidationError::single(
        field::ATASAN,
        format!(
            "{} masih menjadi atasan langsung dari {reports} pegawai aktif; tetapkan atasan baru bagi mereka {before}",
            employee.display_name
        ),
    )
    .into())
}

/// The validated fields in column order: `?2` … `?15` in both the INSERT and the UPDATE.
fn field_values(valid: &ValidEmployee) -> [Value; 14] {
    [
        Text(valid.nip.clone()),
        Text(valid.gelar_depan.clone()),
        Text(valid.name.clone()),
        Text(valid.gelar_belakang.clone()),
        Text(valid.birth_date.format("%Y-%m-%d").to_string()),
        Text(valid.sex.code().into()),
        Text(valid.status.label().into()),
        Text(valid.golongan.into()),
        Text(valid.jabatan.clone()),
        Text(valid.jenis_jabatan.label().into()),
        Text(valid.office_id.clone()),
        valid.atasan_id.clone().map_or(Null, Text),
        valid
            .contract
            .map_or(Null, |(s, _)| Text(s.format("%Y-%m-%d").to_string())),
        valid
            .contract
            .map_or(Null, |(_, e)| Text(e.format("%Y-%m-%d").to_string())),
    ]
}

/// Inserts a validated employee and its outbox mutation. `inactive` carries the state of an
/// imported inactive record. Returns the new id (UUIDv5 of the NIP).
pub(crate) fn insert(
    conn: &Connection,
    valid: &ValidEmployee,
    inactive: Option<&Deactivation>,
    by: &str,
) -> Result<String> {
    check_references(conn, valid, None, inactive.is_none())?;
    // The NIP names the person: two laptops registering the same new colleague make one row.
    let id = pelita_core::fact_id("employee", &[&valid.nip]);
    let stamp = now();
    conn.execute(
        "INSERT INTO employee (id, nip, gelar_depan, name, gelar_belakang, birth_date, sex, status,
             golongan, jabatan, jenis_jabatan, office_id, atasan_id, contract_start, contract_end,
             active, inactive_reason, inactive_note, owner_office_id, version, created_at,
             updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18,
             ?12, 1, ?19, ?19)",
        rusqlite::params_from_iter(
            std::iter::once(Text(id.clone()))
                .chain(field_values(valid))
                .chain([
                    Integer(inactive.is_none().into()),
                    inactive.map_or(Null, |d| Text(d.reason.label().into())),
                    Text(inactive.map(|d| d.note.trim()).unwrap_or("").into()),
                    Text(stamp),
                ]),
        ),
    )?;
    record_change(conn, &id, 0, by, AuditAction::Create)?;
    Ok(id)
}

/// The rules that need the database: the office exists, the NIP is not taken, the atasan exists,
/// is active when the employee is, and is not the employee or one of their (indirect) reports.
fn check_references(
    conn: &Connection,
    valid: &ValidEmployee,
    self_id: Option<&str>,
    active: bool,
) -> Result<()> {
    let mut errors = Vec::new();
    let office: Option<String> = conn
        .query_row(
            "SELECT name FROM office WHERE id = ?1 AND deleted = 0",
            [&valid.office_id],
            |r| r.get(0),
        )
        .optional()?;
    if office.is_none() {
        errors.push(pelita_core::FieldError::new(
            field::OFFICE,
            "kantor yang dipilih tidak dikenal",
        ));
    }
    let holder: Option<(String, String, String, String)> = conn
        .query_row(
            "SELECT e.id, e.name, o.name, e.office_id FROM employee e
             JOIN office o ON o.id = e.office_id WHERE e.nip = ?1 AND e.deleted = 0",
            [&valid.nip],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .optional()?;
    if let Some((holder_id, name, office_name, office)) = holder {
        if Some(holder_id.as_str()) != self_id {
            // Someone of another office is not registered again: they come by a transfer.
            let transfer = if office != valid.office_id {
                "; bila pegawai ini pindah ke kantor Anda, ajukan mutasi masuk (menu Mutasi)"
            } else {
                ""
            };
            errors.push(pelita_core::FieldError::new(
                field::NIP,
                format!(
                    "NIP {} sudah terdaftar atas nama {name} ({office_name}){transfer}",
                    valid.nip
                ),
            ));
        }
    }
    if self_id.is_none() {
        if let Some(message) =
            crate::register::mutasi_rows::registration_blocked(conn, &valid.nip, &valid.office_id)?
        {
            errors.push(pelita_core::FieldError::new(field::NIP, message));
        }
        // Nobody is registered before their TMT: such a NIP is mistyped.
        let today = crate::kernel::clock::today(conn);
        if let Err(e) =
            pelita_core::nip::parse(&valid.nip).and_then(|n| n.check_tmt_has_come(today))
        {
            errors.push(pelita_core::FieldError::new(field::NIP, e.to_string()));
        }
    }
    if let Some(atasan) = &valid.atasan_id {
        if let Some(message) = atasan_problem(conn, atasan, self_id, active)? {
            errors.push(pelita_core::FieldError::new(field::ATASAN, message));
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(ValidationError { errors }.into())
    }
}

fn atasan_problem(
    conn: &Connection,
    atasan_id: &str,
    self_id: Option<&str>,
    employee_active: bool,
) -> Result<Option<String>> {
    if Some(atasan_id) == self_id {
        return Ok(Some(
            "pegawai tidak boleh menjadi atasan langsung dirinya sendiri".into(),
        ));
    }
    let atasan: Option<(String, bool)> = conn
        .query_row(
            "SELECT name, active FROM employee WHERE id = ?1 AND deleted = 0",
            [atasan_id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let Some((atasan_name, atasan_active)) = atasan else {
        return Ok(Some(
            "atasan langsung yang dipilih tidak ada dalam daftar pegawai".into(),
        ));
    };
    if employee_active && !atasan_active {
        return Ok(Some(format!(
            "{atasan_name} sudah tidak aktif dan tidak dapat menjadi atasan langsung"
        )));
    }
    // Walk up from the proposed atasan; meeting the employee means a cycle.
    if let Some(me) = self_id {
        let mut cursor = Some(atasan_id.to_string());
        let mut steps = 0;
        while let Some(current) = cursor {
            if current == me {
                return Ok(Some(format!(
                    "{atasan_name} adalah bawahan (langsung atau tidak langsung) dari pegawai ini; atasan langsung tidak boleh membentuk lingkaran"
                )));
            }
            steps += 1;
            if steps > 10_000 {
                break;
            }
            cursor = conn
                .query_row(
                    "SELECT atasan_id FROM employee WHERE id = ?1",
                    [&current],
                    |r| r.get(0),
                )
                .optional()?
                .flatten();
        }
    }
    Ok(None)
}

/// Records an employee's change (`journal::record`), after noting a change of atasan.
pub(crate) fn record_change(
    conn: &Connection,
    id: &str,
    base_version: i64,
    by: &str,
    action: AuditAction,
) -> Result<()> {
    crate::kernel::atasan::note_atasan(conn, id)?;
    let version: i64 = conn.query_row("SELECT version FROM employee WHERE id = ?1", [id], |r| {
        r.get(0)
    })?;
    crate::kernel::journal::record(
        conn,
        crate::kernel::journal::Change {
            entity: "employee",
            id,
            base_version,
            actor: by,
            action,
            detail: &format!("versi {version}"),
        },
    )
}
