//! Employee import and export. An import is all-or-nothing: every row is checked inside one
//! transaction, and any error rolls the whole file back. A preview runs the very same path and
//! always rolls back, so what the preview promises is what the import does.

use std::collections::{HashMap, HashSet};

use pelita_core::columns::RowError;
use pelita_core::employee::sheet::{
    header_cells, header_of, parse_table, EmployeeSheetRow, ParsedRow,
};
use pelita_core::employee::{field, Deactivation};
use pelita_sheet::Table;
use serde::Serialize;
use specta::Type;

use pelita_core::auth::{Action, Actor};

use crate::kernel::audit;
use crate::kernel::journal::Mode;
use crate::{register::employee_writes, Result, Store, StoreError};

/// The outcome of checking (and, unless previewing, importing) a file.
#[derive(Debug, Clone, Serialize, Type)]
pub struct ImportReport {
    /// Non-empty data rows in the file.
    pub rows_in_file: u32,
    /// Rows written: 0 whenever `errors` is not empty, and always 0 for a preview.
    pub imported: u32,
    pub errors: Vec<RowError>,
    /// The rows as they would be imported, for the preview table.
    pub rows: Vec<EmployeeSheetRow>,
}

impl Store {
    /// Checks a table and, in [`Mode::Commit`] when nothing is wrong, imports every row.
    pub fn import_employees(
        &mut self,
        actor: &Actor,
        table: &Table,
        mode: Mode,
    ) -> Result<ImportReport> {
        self.authorize(actor, Action::EditEmployees, None)?;
        let only_office = crate::kernel::scope::office_scope(actor, Action::EditEmployees, None);
        self.import_table(table, mode, &actor.username, only_office.as_deref())
    }

    /// The import itself; `only_office` refuses rows of other offices, `by` names who in the audit.
    pub(crate) fn import_table(
        &mut self,
        table: &Table,
        mode: Mode,
        by: &str,
        only_office: Option<&str>,
    ) -> Result<ImportReport> {
        let (parsed, mut errors) = parse_table(table);
        let rows_in_file = table
            .iter()
            .skip(1)
            .filter(|r| r.iter().any(|c| !c.trim().is_empty()))
            .count() as u32;

        let ((inserted, mut errors), kept) = self.all_or_nothing(
            mode,
            |(_, errors): &(u32, Vec<RowError>)| errors.is_empty(),
            |store| {
                let inserted = if errors.iter().all(|e| e.row != 1) {
                    insert_all(&store.conn, &parsed, &mut errors, by, only_office)?
                } else {
                    0
                };
                Ok((inserted, errors))
            },
        )?;
        errors.sort_by(|a, b| {
            a.row
                .cmp(&b.row)
                .then(column_index(&a.column).cmp(&column_index(&b.column)))
        });
        Ok(ImportReport {
            rows_in_file,
            imported: if kept { inserted } else { 0 },
            errors,
            rows: parsed.into_iter().map(|p| p.record).collect(),
        })
    }

    /// Reads a file's bytes (format from its name) and imports it as [`Store::import_employees`].
    pub fn import_employee_file(
        &mut self,
        actor: &Actor,
        name: &str,
        bytes: &[u8],
        mode: Mode,
    ) -> Result<ImportReport> {
        let table = pelita_sheet::read(name, bytes)?;
        self.import_employees(actor, &table, mode)
    }

    /// Every employee in the register, in the import format, ordered by office then NIP.
    /// Exporting personal data is always written to the audit log.
    pub fn export_employees(&mut self, actor: &Actor) -> Result<Table> {
        let (table, scope) = self.employee_export(actor)?;
        audit::record_export(&self.conn, actor, "employee", &scope, &exported(&table))?;
        Ok(table)
    }

    /// Writes the register to a `.csv` or `.xlsx` file; returns how many employees were written.
    /// The export is logged once the file exists (a failed write exported nothing).
    pub fn export_employee_file(&mut self, actor: &Actor, path: &std::path::Path) -> Result<u32> {
        pelita_sheet::Format::from_name(&path.to_string_lossy())?;
        let (table, scope) = self.employee_export(actor)?;
        pelita_sheet::write(path, &table)?;
        audit::record_export(&self.conn, actor, "employee", &scope, &exported(&table))?;
        Ok(table.len() as u32 - 1)
    }

    /// The table an actor may export (own office, or all for the HQ), and its scope for the log.
    fn employee_export(&mut self, actor: &Actor) -> Result<(Table, String)> {
        self.authorize(actor, Action::ExportEmployees, None)?;
        let only_office = crate::kernel::scope::office_scope(actor, Action::ExportEmployees, None);
        let table = export_table(&self.conn, only_office.as_deref())?;
        Ok((table, only_office.unwrap_or_else(|| "semua kantor".into())))
    }
}

fn exported(table: &Table) -> String {
    format!("{} pegawai", table.len() - 1)
}

/// The employees of one office (or all), in the import format, ordered by office then NIP.
fn export_table(conn: &rusqlite::Connection, only_office: Option<&str>) -> Result<Table> {
    let mut stmt = conn.prepare(
        "SELECT e.nip, e.gelar_depan, e.name, e.gelar_belakang, e.birth_date, e.sex, e.status,
                    e.golongan, e.jabatan, e.jenis_jabatan, o.code, a.nip, e.active,
                    e.inactive_reason, e.inactive_note, e.contract_start, e.contract_end
             FROM employee e JOIN office o ON o.id = e.office_id
             LEFT JOIN employee a ON a.id = e.atasan_id
             WHERE e.deleted = 0 AND (?1 IS NULL OR e.office_id = ?1)
             ORDER BY o.kind = 'kelurahan', o.code, e.nip",
    )?;
    let mut table = vec![header_cells()];
    let rows = stmt.query_map([only_office], |r| {
        let get = |i: usize| -> rusqlite::Result<String> { r.get(i) };
        let reason: Option<String> = r.get(13)?;
        Ok(EmployeeSheetRow {
            nip: get(0)?,
            gelar_depan: get(1)?,
            name: get(2)?,
            gelar_belakang: get(3)?,
            birth_date: Some(get(4)?),
            sex: pelita_core::nip::Sex::parse(&get(5)?),
            status: pelita_core::reference::EmploymentStatus::parse(&get(6)?)
                .unwrap_or(pelita_core::reference::EmploymentStatus::Pns),
            golongan: get(7)?,
            jabatan: get(8)?,
            jenis_jabatan: pelita_core::reference::JenisJabatan::parse(&get(9)?)
                .unwrap_or(pelita_core::reference::JenisJabatan::Pelaksana),
            office_code: get(10)?,
            atasan_nip: r.get(11)?,
            active: r.get(12)?,
            inactive_reason: reason.and_then(|s| pelita_core::reference::InactiveReason::parse(&s)),
            note: get(14)?,
            contract_start: r.get(15)?,
            contract_end: r.get(16)?,
        })
    })?;
    for row in rows {
        table.push(row?.to_cells());
    }
    Ok(table)
}

fn column_index(header: &str) -> usize {
    pelita_core::employee::sheet::COLUMNS
        .iter()
        .position(|c| c.header == header)
        .unwrap_or(usize::MAX)
}

/// Inserts the parsed rows so that every atasan is written before their reports, whether the
/// atasan is in the same file or already in the register. Records errors; returns rows inserted.
fn insert_all(
    conn: &rusqlite::Connection,
    parsed: &[ParsedRow],
    errors: &mut Vec<RowError>,
    by: &str,
    only_office: Option<&str>,
) -> Result<u32> {
    let mut err = |row: u32, field_key: &str, message: String| {
        errors.push(RowError::new(row, header_of(field_key), message))
    };

    // Duplicates inside the file: the later row is the one in error.
    let mut first_row_of: HashMap<&str, u32> = HashMap::new();
    let mut candidates: Vec<&ParsedRow> = Vec::new();
    for p in parsed {
        match first_row_of.get(p.record.nip.as_str()) {
            Some(first) => err(
                p.row,
                field::NIP,
                format!(
                    "NIP {} sudah dipakai di baris {first} berkas ini",
                    p.record.nip
                ),
            ),
            None => {
                first_row_of.insert(&p.record.nip, p.row);
                candidates.push(p);
            }
        }
    }
    let in_file: HashSet<&str> = candidates.iter().map(|p| p.record.nip.as_str()).collect();

    let mut id_of_nip: HashMap<String, String> = HashMap::new();
    let mut waiting: Vec<&ParsedRow> = candidates;
    let mut inserted = 0;
    loop {
        let mut progressed = false;
        let mut still_waiting = Vec::new();
        for p in waiting {
            let r = &p.record;
            let atasan_id = match &r.atasan_nip {
                None => None,
                Some(nip) if id_of_nip.contains_key(nip) => id_of_nip.get(nip).cloned(),
                Some(nip) if in_file.contains(nip.as_str()) => {
                    // Its atasan is later in the file (or in a row with errors): wait for it.
                    still_waiting.push(p);
                    continue;
                }
                Some(nip) => {
                    match existing_id(conn, nip)? {
                        Some(id) => Some(id),
                        None => {
                            err(p.row, field::ATASAN, format!("NIP atasan {nip} tidak ada di berkas ini maupun di daftar pegawai"));
                            continue;
                        }
                    }
                }
            };
            progressed = true;
            let office_id = match crate::kernel::offices::by_code(conn, &r.office_code) {
                Ok(o) if only_office.is_some_and(|own| own != o.id) => {
                    err(
                        p.row,
                        field::OFFICE,
                        format!(
                            "Anda hanya berhak mengimpor pegawai kantor Anda sendiri, bukan '{}'",
                            r.office_code
                        ),
                    );
                    continue;
                }
                Ok(o) => o.id,
                Err(StoreError::NotFound(_)) => {
                    err(
                        p.row,
                        field::OFFICE,
                        format!("kode kantor '{}' tidak dikenal", r.office_code),
                    );
                    continue;
                }
                Err(e) => return Err(e),
            };
            let valid = match r.to_input(office_id, atasan_id).validate() {
                Ok(v) => v,
                Err(v) => {
                    for e in v.errors {
                        err(p.row, &e.field, e.message);
                    }
                    continue;
                }
            };
            let inactive = r.inactive_reason.map(|reason| Deactivation {
                reason,
                note: r.note.clone(),
            });
            match employee_writes::insert(conn, &valid, inactive.as_ref(), by) {
                Ok(id) => {
                    id_of_nip.insert(r.nip.clone(), id);
                    inserted += 1;
                }
                Err(StoreError::Validation(v)) => {
                    for e in v.errors {
                        err(p.row, &e.field, e.message);
                    }
                }
                Err(e) => return Err(e),
            }
        }
        waiting = still_waiting;
        if waiting.is_empty() || !progressed {
            break;
        }
    }
    // Whatever still waits points at an atasan that never got in: a cycle, or an atasan row in error.
    for p in waiting {
        let nip = p.record.atasan_nip.as_deref().unwrap_or_default();
        let atasan_row = first_row_of.get(nip).copied().unwrap_or(0);
        err(
            p.row,
            field::ATASAN,
            format!("atasan langsung (NIP {nip}, baris {atasan_row}) tidak dapat dimasukkan: periksa baris itu, atau rantai atasan membentuk lingkaran"),
        );
    }
    Ok(inserted)
}

fn existing_id(conn: &rusqlite::Connection, nip: &str) -> Result<Option<String>> {
    use rusqlite::OptionalExtension;
    Ok(conn
        .query_row(
            "SELECT id FROM employee WHERE nip = ?1 AND deleted = 0",
            [nip],
            |r| r.get(0),
        )
        .optional()?)
}
