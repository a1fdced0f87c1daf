//! The employee register as people see it: list and detail, each checked against the actor.

use pelita_core::auth::{Action, Actor};
use pelita_core::employee::display_name;
use pelita_core::nip::Sex;
use pelita_core::reference::{
    pangkat, EmploymentStatus, InactiveReason, JenisJabatan, GOLONGAN_PNS, GOLONGAN_PPPK,
};
use rusqlite::{Connection, OptionalExtension, Row};
use serde::{Deserialize, Serialize};
use specta::Type;

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
    /// A PPPK's work contract, ISO dates.
    pub contract_start: Option<String>,
    pub contract_end: Option<String>,
}

/// The detail page: the record and who reports to this person.
impl EmployeeRow {
    /// The record as a form holds it, to change some fields and save it back.
    pub fn to_input(&self) -> pelita_core::employee::EmployeeInput {
        pelita_core::employee::EmployeeInput {
            nip: self.nip.clone(),
            gelar_depan: self.gelar_depan.clone(),
            name: self.name.clone(),
            gelar_belakang: self.gelar_belakang.clone(),
            birth_date: Some(self.birth_date.clone()),
            sex: Some(self.sex),
            status: self.status,
            golongan: self.golongan.clone(),
            jabatan: self.jabatan.clone(),
            jenis_jabatan: self.jenis_jabatan,
            office_id: self.office_id.clone(),
            atasan_id: self.atasan_id.clone(),
            contract_start: self.contract_start.clone(),
            contract_end: self.contract_end.clone(),
        }
    }
}

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

pub(crate) const SELECT: &str =
    "SELECT e.id, e.nip, e.gelar_depan, e.name, e.gelar_belakang, e.birth_date, e.sex,
        e.status, e.golongan, e.jabatan, e.jenis_jabatan, e.office_id, o.code, o.name,
        e.atasan_id, a.nip, a.gelar_depan, a.name, a.gelar_belakang,
        e.active, e.inactive_reason, e.inactive_note, e.version, e.updated_at,
        e.contract_start, e.contract_end
    FROM employee e
    JOIN office o ON o.id = e.office_id
    LEFT JOIN employee a ON a.id = e.atasan_id";

pub(crate) fn from_row(r: &Row) -> rusqlite::Result<EmployeeRow> {
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
        contract_start: r.get(24)?,
        contract_end: r.get(25)?,
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
    /// The register as `actor` may see it: an office's own staff, or everyone for the HQ.
    pub fn list_employees(&mut self, actor: &Actor, q: &EmployeeQuery) -> Result<Vec<EmployeeRow>> {
        let mut q = q.clone();
        q.office_id = crate::kernel::scope::office_scope(
            actor,
            Action::ViewEmployees,
            q.office_id.as_deref(),
        );
        self.authorize(actor, Action::ViewEmployees, q.office_id.as_deref())?;
        list(&self.conn, &q)
    }

    /// One employee and their direct reports: anyone may see their own record.
    pub fn employee_detail(&mut self, actor: &Actor, id: &str) -> Result<EmployeeDetail> {
        let employee = get(&self.conn, id)?;
        self.authorize_view_of(actor, &employee)?;
        detail(&self.conn, employee)
    }

    /// Reading one employee's record: one's own, the staff of one's office (the district's for
    /// the Kantor Camat), or someone who left one's office by a transfer (their history stays
    /// readable there, never writable).
    pub(crate) fn authorize_view_of(
        &mut self,
        actor: &Actor,
        employee: &EmployeeRow,
    ) -> Result<()> {
        if actor.employee_id.as_deref() == Some(employee.id.as_str()) {
            return self.authorize(actor, Action::ViewOwnRecord, None);
        }
        let office = if crate::register::mutasi_rows::moved_out_of(
            &self.conn,
            &employee.id,
            &actor.office_id,
        )? {
            &actor.office_id
        } else {
            &employee.office_id
        };
        self.authorize(actor, Action::ViewEmployees, Some(office))
    }
}

/// Every employee matching `q`, without a permission check (callers check first).
pub(crate) fn list(conn: &Connection, q: &EmployeeQuery) -> Result<Vec<EmployeeRow>> {
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
    let mut stmt = conn.prepare(&sql)?;
    let mut rows = stmt
        .query_map(rusqlite::params_from_iter(params.iter()), from_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let folded = |s: &str| s.to_lowercase();
    rows.sort_by(|a, b| {
        let by_name = folded(&a.name).cmp(&folded(&b.name));
        let primary = match q.sort {
            EmployeeSort::Name => by_name,
            EmployeeSort::Nip => a.nip.cmp(&b.nip),
            EmployeeSort::Golongan => golongan_rank(&a.golongan).cmp(&golongan_rank(&b.golongan)),
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

fn detail(conn: &Connection, employee: EmployeeRow) -> Result<EmployeeDetail> {
    let mut stmt = conn.prepare(
        "SELECT id, gelar_depan, name, gelar_belakang, jabatan, active FROM employee
         WHERE atasan_id = ?1 AND deleted = 0 ORDER BY active DESC, name",
    )?;
    let reports = stmt
        .query_map([&employee.id], |r| {
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

pub(crate) fn get(conn: &Connection, id: &str) -> Result<EmployeeRow> {
    conn.query_row(
        &format!("{SELECT} WHERE e.id = ?1 AND e.deleted = 0"),
        [id],
        from_row,
    )
    .optional()?
    .ok_or_else(|| StoreError::NotFound("pegawai".into()))
}

/// The (not deleted) employee with this NIP, if any.
pub(crate) fn by_nip(conn: &Connection, nip: &str) -> Result<Option<EmployeeRow>> {
    Ok(conn
        .query_row(
            &format!("{SELECT} WHERE e.nip = ?1 AND e.deleted = 0"),
            [nip],
            from_row,
        )
        .optional()?)
}

/// Who heads an office (`e`): an active employee with active direct reports in their office and
/// no atasan in it — the Lurah of a kelurahan, the Camat of the Kantor Camat.
const HEADS_THEIR_OFFICE: &str = "e.active = 1 AND e.deleted = 0
    AND EXISTS (SELECT 1 FROM employee r WHERE r.atasan_id = e.id AND r.active = 1
                AND r.deleted = 0 AND r.office_id = e.office_id)
    AND NOT EXISTS (SELECT 1 FROM employee a WHERE a.id = e.atasan_id AND a.office_id = e.office_id)";

/// Whether `employee_id` heads their office.
pub(crate) fn heads_an_office(conn: &Connection, employee_id: &str) -> Result<bool> {
    Ok(conn.query_row(
        &format!("SELECT count(*) > 0 FROM employee e WHERE e.id = ?1 AND {HEADS_THEIR_OFFICE}"),
        [employee_id],
        |r| r.get(0),
    )?)
}

/// Everyone the register shows heading `office` (one, when the register is in order).
pub(crate) fn heads_of(conn: &Connection, office: &str) -> Result<Vec<String>> {
    let ids = conn
        .prepare(&format!(
            "SELECT e.id FROM employee e WHERE e.office_id = ?1 AND {HEADS_THEIR_OFFICE}"
        ))?
        .query_map([office], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(ids)
}
