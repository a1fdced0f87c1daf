//! The employee register: create, edit, deactivate, list, detail.

use pelita_core::employee::{display_name, field, Deactivation, EmployeeInput, ValidEmployee};
use pelita_core::nip::Sex;
use pelita_core::reference::{
    pangkat, EmploymentStatus, InactiveReason, JenisJabatan, GOLONGAN_PNS, GOLONGAN_PPPK,
};
use pelita_core::ValidationError;
use rusqlite::{Connection, OptionalExtension, Row};
use serde::{Deserialize, Serialize};
use specta::Type;

use crate::outbox::{self, now, Mutation};
use crate::{Result, Store, StoreError};

/// An employee as the register shows it, references resolved to names.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct EmployeeRow {
    pub id: String,
    pub nip: String,
    pub gelar_depan: String,
    pub name: String,
    pub gelar_belakang: String,
    pub display_name: String,
    pub birth_date: String,
    pub sex: Sex,
    pub status: EmploymentStatus,
    pub golongan: String,
    pub pangkat: Option<String>,
    pub jabatan: String,
    pub jenis_jabatan: JenisJabatan,
    pub office_id: String,
    pub office_code: String,
    pub office_name: String,
    pub atasan_id: Option<String>,
    pub atasan_nip: Option<String>,
    pub atasan_name: Option<String>,
    pub active: bool,
    pub inactive_reason: Option<InactiveReason>,
    pub inactive_note: String,
    pub version: i64,
    pub updated_at: String,
}

/// The detail page: the record and who reports to this person.
#[derive(Debug, Clone, Serialize, Type)]
pub struct EmployeeDetail {
    pub employee: EmployeeRow,
    pub reports: Vec<ReportLine>,
}

#[derive(Debug, Clone, Serialize, Type)]
pub struct ReportLine {
    pub id: String,
    pub display_name: String,
    pub jabatan: String,
    pub active: bool,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, Type)]
pub enum EmployeeSort {
    #[default]
    Name,
    Nip,
    Golongan,
    Jabatan,
    Office,
}

/// Filters and order for the register list. Empty fields filter nothing.
#[derive(Debug, Clone, Default, Serialize, Deserialize, Type)]
pub struct EmployeeQuery {
    /// Part of a name or a NIP.
    pub search: String,
    pub office_id: Option<String>,
    pub status: Option<EmploymentStatus>,
    /// `Some(true)`: active only; `Some(false)`: inactive only; `None`: both.
    pub active: Option<bool>,
    pub sort: EmployeeSort,
    pub descending: bool,
}

const SELECT: &str =
    "SELECT e.id, e.nip, e.gelar_depan, e.name, e.gelar_belakang, e.birth_date, e.sex,
        e.status, e.golongan, e.jabatan, e.jenis_jabatan, e.office_id, o.code, o.name,
        e.atasan_id, a.nip, a.gelar_depan, a.name, a.gelar_belakang,
        e.active, e.inactive_reason, e.inactive_note, e.version, e.updated_at
    FROM employee e
    JOIN office o ON o.id = e.office_id
    LEFT JOIN employee a ON a.id = e.atasan_id";

fn from_row(r: &Row) -> rusqlite::Result<EmployeeRow> {
    let text = |i: usize| -> rusqlite::Result<String> { r.get(i) };
    let (gelar_depan, name, gelar_belakang) = (text(2)?, text(3)?, text(4)?);
    let golongan = text(8)?;
    let atasan_name = match r.get::<_, Option<String>>(17)? {
        Some(n) => Some(display_name(&text(16)?, &n, &text(18)?)),
        None => None,
    };
    let bad = |i: usize, what: &str| {
        rusqlite::Error::FromSqlConversionFailure(i, rusqlite::types::Type::Text, what.into())
    };
    Ok(EmployeeRow {
        id: text(0)?,
        nip: text(1)?,
        display_name: display_name(&gelar_depan, &name, &gelar_belakang),
        gelar_depan,
        name,
        gelar_belakang,
        birth_date: text(5)?,
        sex: Sex::parse(&text(6)?).ok_or_else(|| bad(6, "sex"))?,
        status: EmploymentStatus::parse(&text(7)?).ok_or_else(|| bad(7, "status"))?,
        pangkat: pangkat(&golongan).map(str::to_string),
        golongan,
        jabatan: text(9)?,
        jenis_jabatan: JenisJabatan::parse(&text(10)?).ok_or_else(|| bad(10, "jenis_jabatan"))?,
        office_id: text(11)?,
        office_code: text(12)?,
        office_name: text(13)?,
        atasan_id: r.get(14)?,
        atasan_nip: r.get(15)?,
        atasan_name,
        active: r.get(19)?,
        inactive_reason: r
            .get::<_, Option<String>>(20)?
            .and_then(|s| InactiveReason::parse(&s)),
        inactive_note: text(21)?,
        version: r.get(22)?,
        updated_at: text(23)?,
    })
}

/// Order of golongan for sorting: PNS I/a … IV/e, then PPPK I … XVII.
fn golongan_rank(g: &str) -> usize {
    GOLONGAN_PNS
        .iter()
        .position(|(code, _)| *code == g)
        .or_else(|| GOLONGAN_PPPK.iter().position(|c| *c == g).map(|p| 100 + p))
        .unwrap_or(usize::MAX)
}

impl Store {
    pub fn list_employees(&self, q: &EmployeeQuery) -> Result<Vec<EmployeeRow>> {
        let mut sql = format!("{SELECT} WHERE e.deleted = 0");
        let mut params: Vec<Box<dyn rusqlite::ToSql>> = Vec::new();
        let search = q.search.trim();
        if !search.is_empty() {
            let digits: String = search.chars().filter(|c| !c.is_whitespace()).collect();
            params.push(Box::new(format!("%{search}%")));
            params.push(Box::new(format!("%{digits}%")));
            sql.push_str(&format!(
                " AND (e.name LIKE ?{} OR e.nip LIKE ?{})",
                params.len() - 1,
                params.len()
            ));
        }
        if let Some(office) = q.office_id.as_deref().filter(|s| !s.is_empty()) {
            params.push(Box::new(office.to_string()));
            sql.push_str(&format!(" AND e.office_id = ?{}", params.len()));
        }
        if let Some(status) = q.status {
            params.push(Box::new(status.label()));
            sql.push_str(&format!(" AND e.status = ?{}", params.len()));
        }
        if let Some(active) = q.active {
            params.push(Box::new(active));
            sql.push_str(&format!(" AND e.active = ?{}", params.len()));
        }
        let mut stmt = self.conn.prepare(&sql)?;
        let mut rows = stmt
            .query_map(rusqlite::params_from_iter(params.iter()), from_row)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let folded = |s: &str| s.to_lowercase();
        rows.sort_by(|a, b| {
            let by_name = folded(&a.name).cmp(&folded(&b.name));
            let primary = match q.sort {
                EmployeeSort::Name => by_name,
                EmployeeSort::Nip => a.nip.cmp(&b.nip),
                EmployeeSort::Golongan => {
                    golongan_rank(&a.golongan).cmp(&golongan_rank(&b.golongan))
                }
                EmployeeSort::Jabatan => folded(&a.jabatan).cmp(&folded(&b.jabatan)),
                EmployeeSort::Office => a.office_name.cmp(&b.office_name),
            };
            let primary = if q.descending {
                primary.reverse()
            } else {
                primary
            };
            primary.then(by_name).then(a.nip.cmp(&b.nip))
        });
        Ok(rows)
    }

    pub fn employee(&self, id: &str) -> Result<EmployeeRow> {
        get(&self.conn, id)
    }

    pub fn employee_detail(&self, id: &str) -> Result<EmployeeDetail> {
        let employee = get(&self.conn, id)?;
        let mut stmt = self.conn.prepare(
            "SELECT id, gelar_depan, name, gelar_belakang, jabatan, active FROM employee
             WHERE atasan_id = ?1 AND deleted = 0 ORDER BY active DESC, name",
        )?;
        let reports = stmt
            .query_map([id], |r| {
                Ok(ReportLine {
                    id: r.get(0)?,
                    display_name: display_name(
                        &r.get::<_, String>(1)?,
                        &r.get::<_, String>(2)?,
                        &r.get::<_, String>(3)?,
                    ),
                    jabatan: r.get(4)?,
                    active: r.get(5)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(EmployeeDetail { employee, reports })
    }

    /// Adds an employee to the register.
    pub fn create_employee(&mut self, input: &EmployeeInput) -> Result<EmployeeRow> {
        let valid = input.validate()?;
        let tx = self.conn.transaction()?;
        let id = insert(&tx, &valid, None)?;
        tx.commit()?;
        self.employee(&id)
    }

    /// Changes an employee. `expected_version` is the version the user was looking at: if someone
    /// else changed the record since, nothing is written.
    pub fn update_employee(
        &mut self,
        id: &str,
        expected_version: i64,
        input: &EmployeeInput,
    ) -> Result<EmployeeRow> {
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
                 jenis_jabatan = ?11, office_id = ?12, atasan_id = ?13, owner_office_id = ?12,
                 version = version + 1, updated_at = ?14
             WHERE id = ?1",
            rusqlite::params![
                id,
                valid.nip,
                valid.gelar_depan,
                valid.name,
                valid.gelar_belakang,
                valid.birth_date.format("%Y-%m-%d").to_string(),
                valid.sex.code(),
                valid.status.label(),
                valid.golongan,
                valid.jabatan,
                valid.jenis_jabatan.label(),
                valid.office_id,
                valid.atasan_id,
                now()
            ],
        )?;
        record_change(&tx, id, expected_version)?;
        tx.commit()?;
        self.employee(id)
    }

    /// Takes an employee off the active register (mutasi, pensiun, ...). The record stays.
    pub fn deactivate_employee(
        &mut self,
        id: &str,
        expected_version: i64,
        change: &Deactivation,
    ) -> Result<EmployeeRow> {
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
        let reports: u32 = tx.query_row(
            "SELECT count(*) FROM employee WHERE atasan_id = ?1 AND active = 1 AND deleted = 0",
            [id],
            |r| r.get(0),
        )?;
        if reports > 0 {
            return Err(ValidationError::single(
                field::ATASAN,
                format!(
                    "{} masih menjadi atasan langsung dari {reports} pegawai aktif; tetapkan atasan baru bagi mereka terlebih dahulu",
                    current.display_name
                ),
            )
            .into());
        }
        tx.execute(
            "UPDATE employee SET active = 0, inactive_reason = ?2, inactive_note = ?3,
                 version = version + 1, updated_at = ?4 WHERE id = ?1",
            rusqlite::params![id, change.reason.label(), change.note.trim(), now()],
        )?;
        record_change(&tx, id, expected_version)?;
        tx.commit()?;
        self.employee(id)
    }

    /// Puts an inactive employee back on the active register.
    pub fn reactivate_employee(&mut self, id: &str, expected_version: i64) -> Result<EmployeeRow> {
        let tx = self.conn.transaction()?;
        let current = get(&tx, id)?;
        if current.version != expected_version {
            return Err(StoreError::VersionConflict);
        }
        if let Some(atasan) = &current.atasan_id {
            let atasan_active: bool =
                tx.query_row("SELECT active FROM employee WHERE id = ?1", [atasan], |r| {
                    r.get(0)
                })?;
            if !atasan_active {
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
        record_change(&tx, id, expected_version)?;
        tx.commit()?;
        self.employee(id)
    }
}

pub(crate) fn get(conn: &Connection, id: &str) -> Result<EmployeeRow> {
    conn.query_row(
        &format!("{SELECT} WHERE e.id = ?1 AND e.deleted = 0"),
        [id],
        from_row,
    )
    .optional()?
    .ok_or_else(|| StoreError::NotFound("pegawai".into()))
}

/// Inserts a validated employee and its outbox mutation. `inactive` carries the state of an
/// imported inactive record. Returns the new id (UUIDv7).
pub(crate) fn insert(
    conn: &Connection,
    valid: &ValidEmployee,
    inactive: Option<&Deactivation>,
) -> Result<String> {
    check_references(conn, valid, None, inactive.is_none())?;
    let id = uuid::Uuid::now_v7().to_string();
    let stamp = now();
    conn.execute(
        "INSERT INTO employee (id, nip, gelar_depan, name, gelar_belakang, birth_date, sex, status,
             golongan, jabatan, jenis_jabatan, office_id, atasan_id, active, inactive_reason,
             inactive_note, owner_office_id, version, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?12, 1, ?17, ?17)",
        rusqlite::params![
            id,
            valid.nip,
            valid.gelar_depan,
            valid.name,
            valid.gelar_belakang,
            valid.birth_date.format("%Y-%m-%d").to_string(),
            valid.sex.code(),
            valid.status.label(),
            valid.golongan,
            valid.jabatan,
            valid.jenis_jabatan.label(),
            valid.office_id,
            valid.atasan_id,
            inactive.is_none(),
            inactive.map(|d| d.reason.label()),
            inactive.map(|d| d.note.trim()).unwrap_or(""),
            stamp
        ],
    )?;
    record_change(conn, &id, 0)?;
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
    let holder: Option<(String, String, String)> = conn
        .query_row(
            "SELECT e.id, e.name, o.name FROM employee e JOIN office o ON o.id = e.office_id
             WHERE e.nip = ?1 AND e.deleted = 0",
            [&valid.nip],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?;
    if let Some((holder_id, name, office_name)) = holder {
        if Some(holder_id.as_str()) != self_id {
            errors.push(pelita_core::FieldError::new(
                field::NIP,
                format!(
                    "NIP {} sudah terdaftar atas nama {name} ({office_name})",
                    valid.nip
                ),
            ));
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

/// Appends the outbox mutation for the employee's current state.
fn record_change(conn: &Connection, id: &str, base_version: i64) -> Result<()> {
    let row: (serde_json::Value, i64, String) = conn.query_row(
        "SELECT json_object('id', id, 'nip', nip, 'gelar_depan', gelar_depan, 'name', name,
                 'gelar_belakang', gelar_belakang, 'birth_date', birth_date, 'sex', sex,
                 'status', status, 'golongan', golongan, 'jabatan', jabatan,
                 'jenis_jabatan', jenis_jabatan, 'office_id', office_id, 'atasan_id', atasan_id,
                 'active', active, 'inactive_reason', inactive_reason, 'inactive_note', inactive_note,
                 'version', version, 'deleted', deleted, 'updated_at', updated_at),
                version, owner_office_id
         FROM employee WHERE id = ?1",
        [id],
        |r| {
            let json: String = r.get(0)?;
            Ok((serde_json::from_str(&json).unwrap_or(serde_json::Value::Null), r.get(1)?, r.get(2)?))
        },
    )?;
    outbox::append(
        conn,
        Mutation {
            entity: "employee",
            row_id: id,
            base_version,
            version: row.1,
            owner_office_id: &row.2,
            payload: row.0,
        },
    )
}
