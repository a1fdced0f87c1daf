//! Training imports and exports (`.xlsx`/`.csv`): the catalogue, participants and attendance.
//!
//! An import runs every record through the same store operation the app uses (creating a
//! training, enrolling, recording a checklist), so the same permissions, capacity and waiting
//! list, and attendance rules apply, inside one savepoint: any error in any row rolls the whole
//! file back. A preview runs the very same path and always rolls back.

use std::collections::BTreeMap;

use pelita_core::auth::Actor;
use pelita_core::columns::RowError;
use pelita_core::training::sheet::{
    self as sheet, catalogue_header, catalogue_rows, headers, SheetMark, TrainingRef,
    ATTENDANCE_COLUMNS, CATALOGUE_COLUMNS,
};
use pelita_core::training::TrainingStatus;
use pelita_core::ValidationError;
use pelita_sheet::Table;
use rusqlite::OptionalExtension;
use serde::{Deserialize, Serialize};
use specta::Type;

use crate::kernel::journal::Mode;
use crate::training::attendance::AttendanceEntry;
use crate::training::enrolment::ParticipationState;
use crate::{
    kernel::audit, kernel::offices, register::employees, Result, Store, StoreError, TrainingQuery,
};

/// What a training file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
pub enum TrainingSheetKind {
    /// Trainings with their sessions (one row per session).
    Catalogue,
    /// Enrolments (one row per participant).
    Participants,
    /// Attendance marks (one row per participant and session).
    Attendance,
}

/// The outcome of checking (and, unless previewing, importing) a training file.
#[derive(Debug, Clone, Serialize, Type)]
pub struct TrainingImportReport {
    pub kind: TrainingSheetKind,
    /// Records in the file: trainings, enrolments or attendance marks.
    pub records_in_file: u32,
    /// Records written (for a preview: that would be written); 0 whenever `errors` is not empty.
    pub imported: u32,
    /// Of the enrolments: those that went onto the waiting list (the training was full).
    pub waiting: u32,
    /// Attendance marks already recorded exactly so (left alone).
    pub unchanged: u32,
    pub errors: Vec<RowError>,
}

/// A store error of one record as a row error at `(row, column)`; a validation error of an
/// attendance checklist names its entry, which `entry_rows` turns back into the entry's row.
fn row_errors(
    e: StoreError,
    (row, column): (u32, &str),
    field_place: impl Fn(&str) -> (u32, String),
) -> Result<Vec<RowError>> {
    Ok(match e {
        StoreError::Validation(v) => v
            .errors
            .into_iter()
            .map(|f| {
                let (r, c) = field_place(&f.field);
                RowError::new(r, &c, f.message)
            })
            .collect(),
        StoreError::PermissionDenied(p) => vec![RowError::new(row, column, p.to_string())],
        StoreError::NotFound(what) => {
            vec![RowError::new(
                row,
                column,
                format!("{what} tidak ditemukan"),
            )]
        }
        other => return Err(other),
    })
}

fn find_training(
    conn: &rusqlite::Connection,
    r: &TrainingRef,
) -> std::result::Result<String, String> {
    let mut stmt = conn
        .prepare_cached(
            "SELECT t.id FROM training t JOIN office o ON o.id = t.owner_office_id
             WHERE t.deleted = 0 AND t.status != 'Dibatalkan' AND t.title = ?1 COLLATE NOCASE
               AND t.start_date = ?2 AND (?3 IS NULL OR o.code = ?3 COLLATE NOCASE)
               -- Without an office named: the laptop's own and the Kantor Camat's trainings (it
               -- holds every office's, to name a colleague's history, not to fill them in).
               AND (?3 IS NOT NULL OR ?4 = ?5 OR t.owner_office_id IN (?4, ?5))",
        )
        .map_err(|e| e.to_string())?;
    let ids: Vec<String> = stmt
        .query_map(
            rusqlite::params![
                r.title,
                r.start_date,
                r.owner_code,
                crate::kernel::scope::roles_office(conn).unwrap_or_default(),
                pelita_core::office::office_id(pelita_core::office::HQ_CODE)
            ],
            |row| row.get(0),
        )
        .and_then(|rows| rows.collect())
        .map_err(|e| e.to_string())?;
    match ids.as_slice() {
        [id] => Ok(id.clone()),
        [] => Err(format!(
            "tidak ada pelatihan '{}' yang mulai {}{}",
            r.title,
            r.start_date,
            r.owner_code
                .as_deref()
                .map(|c| format!(" milik {c}"))
                .unwrap_or_default()
        )),
        _ => Err(format!(
            "ada {} pelatihan '{}' yang mulai {}; isi kolom {} untuk memilih satu",
            ids.len(),
            r.title,
            r.start_date,
            sheet::OWNER
        )),
    }
}

impl Store {
    /// Checks a training file and, in [`Mode::Commit`] when nothing is wrong, imports it all.
    pub fn import_trainings(
        &mut self,
        actor: &Actor,
        kind: TrainingSheetKind,
        table: &Table,
        mode: Mode,
    ) -> Result<TrainingImportReport> {
        let (mut report, _) = self.all_or_nothing(
            mode,
            |r: &TrainingImportReport| r.errors.is_empty(),
            |store| match kind {
                TrainingSheetKind::Catalogue => store.import_catalogue(actor, table),
                TrainingSheetKind::Participants => store.import_participants(actor, table),
                TrainingSheetKind::Attendance => store.import_attendance(actor, table),
            },
        )?;
        if !report.errors.is_empty() {
            report.imported = 0;
            report.waiting = 0;
        }
        report.errors.sort_by_key(|e| e.row);
        Ok(report)
    }

    /// [`import_trainings`](Self::import_trainings) for a file on disk.
    pub fn import_training_path(
        &mut self,
        actor: &Actor,
        kind: TrainingSheetKind,
        path: &std::path::Path,
        mode: Mode,
    ) -> Result<TrainingImportReport> {
        let bytes = pelita_sheet::file_bytes(path)?;
        let table = pelita_sheet::read(&path.to_string_lossy(), &bytes)?;
        self.import_trainings(actor, kind, &table, mode)
    }

    fn report(
        kind: TrainingSheetKind,
        records: usize,
        errors: Vec<RowError>,
    ) -> TrainingImportReport {
        TrainingImportReport {
            kind,
            records_in_file: records as u32,
            imported: 0,
            waiting: 0,
            unchanged: 0,
            errors,
        }
    }

    fn import_catalogue(&mut self, actor: &Actor, table: &Table) -> Result<TrainingImportReport> {
        let (parsed, errors) = sheet::parse_catalogue(table);
        let mut report = Self::report(TrainingSheetKind::Catalogue, parsed.len(), errors);
        for mut t in parsed {
            let owner_at = (t.row, sheet::OWNER);
            let office = match offices::by_code(&self.conn, &t.owner_code) {
                Ok(o) => o,
                Err(e) => {
                    report
                        .errors
                        .extend(row_errors(e, owner_at, |_| (t.row, sheet::OWNER.into()))?);
                    continue;
                }
            };
            t.input.owner_office_id = office.id;
            let existing = find_training(
                &self.conn,
                &TrainingRef {
                    title: t.input.title.clone(),
                    start_date: t.input.start_date.clone(),
                    owner_code: Some(t.owner_code.clone()),
                },
            );
            if existing.is_ok() {
                report.errors.push(RowError::new(
                    t.row,
                    sheet::TITLE,
                    format!(
                        "pelatihan '{}' milik {} yang mulai {} sudah ada",
                        t.input.title, t.owner_code, t.input.start_date
                    ),
                ));
                continue;
            }
            match self.create_training(actor, &t.input) {
                Ok(_) => report.imported += 1,
                Err(e) => report.errors.extend(row_errors(e, owner_at, |f| {
                    (t.row, catalogue_header(f).to_string())
                })?),
            }
        }
        Ok(report)
    }

    fn import_participants(
        &mut self,
        actor: &Actor,
        table: &Table,
    ) -> Result<TrainingImportReport> {
        let (parsed, errors) = sheet::parse_participants(table);
        let mut report = Self::report(TrainingSheetKind::Participants, parsed.len(), errors);
        for p in parsed {
            let training_id = match find_training(&self.conn, &p.training) {
                Ok(id) => id,
                Err(m) => {
                    report.errors.push(RowError::new(p.row, sheet::TITLE, m));
                    continue;
                }
            };
            let Some(employee) = employees::by_nip(&self.conn, &p.nip)? else {
                report.errors.push(RowError::new(
                    p.row,
                    sheet::NIP,
                    format!("tidak ada pegawai dengan NIP {}", p.nip),
                ));
                continue;
            };
            match self.enrol(actor, &training_id, &employee.id) {
                Ok(part) => {
                    report.imported += 1;
                    report.waiting += u32::from(part.state == ParticipationState::DaftarTunggu);
                }
                Err(e) => report
                    .errors
                    .extend(row_errors(e, (p.row, sheet::NIP), |_| {
                        (p.row, sheet::NIP.into())
                    })?),
            }
        }
        Ok(report)
    }

    fn import_attendance(&mut self, actor: &Actor, table: &Table) -> Result<TrainingImportReport> {
        let (parsed, errors) = sheet::parse_attendance(table);
        let mut report = Self::report(TrainingSheetKind::Attendance, parsed.len(), errors);
        // One checklist per session, in the file's order.
        let mut checklists: BTreeMap<String, Vec<(&SheetMark, AttendanceEntry)>> = BTreeMap::new();
        for m in &parsed {
            let training_id = match find_training(&self.conn, &m.training) {
                Ok(id) => id,
                Err(message) => {
                    report
                        .errors
                        .push(RowError::new(m.row, sheet::TITLE, message));
                    continue;
                }
            };
            let session_id: Option<String> = self
                .conn
                .query_row(
                    "SELECT id FROM training_session WHERE training_id = ?1 AND position = ?2",
                    rusqlite::params![training_id, m.session - 1],
                    |r| r.get(0),
                )
                .optional()?;
            let Some(session_id) = session_id else {
                report.errors.push(RowError::new(
                    m.row,
                    sheet::SESSION,
                    format!(
                        "pelatihan '{}' tidak punya sesi ke-{}",
                        m.training.title, m.session
                    ),
                ));
                continue;
            };
            let Some(employee) = employees::by_nip(&self.conn, &m.nip)? else {
                report.errors.push(RowError::new(
                    m.row,
                    sheet::NIP,
                    format!("tidak ada pegawai dengan NIP {}", m.nip),
                ));
                continue;
            };
            checklists.entry(session_id).or_default().push((
                m,
                AttendanceEntry {
                    employee_id: employee.id,
                    status: m.status,
                    reason: m.reason,
                    note: m.note.clone(),
                },
            ));
        }
        for (session_id, lines) in checklists {
            let entries: Vec<AttendanceEntry> = lines.iter().map(|(_, e)| e.clone()).collect();
            let first = lines[0].0.row;
            let entry_place = |field: &str| -> (u32, String) {
                let mut parts = field.split('.');
                let (Some("entries"), Some(i), Some(name)) =
                    (parts.next(), parts.next(), parts.next())
                else {
                    return (first, sheet::SESSION.into());
                };
                let row = i
                    .parse::<usize>()
                    .ok()
                    .and_then(|i| lines.get(i))
                    .map_or(first, |l| l.0.row);
                let column = if name == "reason" {
                    "Alasan"
                } else {
                    sheet::NIP
                };
                (row, column.into())
            };
            match self.record_attendance(actor, &session_id, &entries) {
                Ok(changed) => {
                    report.imported += changed;
                    report.unchanged += entries.len() as u32 - changed;
                }
                Err(e) => {
                    report
                        .errors
                        .extend(row_errors(e, (first, sheet::SESSION), entry_place)?)
                }
            }
        }
        Ok(report)
    }

    /// The trainings the actor sees (not cancelled ones) in the catalogue format, which imports
    /// back unchanged. The export is logged.
    pub fn export_training_catalogue(&mut self, actor: &Actor, q: &TrainingQuery) -> Result<Table> {
        let trainings = self.list_trainings(actor, q)?;
        let mut table = vec![headers(&CATALOGUE_COLUMNS)];
        let mut count = 0;
        for t in trainings
            .iter()
            .filter(|t| t.status != TrainingStatus::Dibatalkan)
        {
            let owner = offices::get(&self.conn, &t.owner_office_id)?;
            table.extend(catalogue_rows(&owner.code, &t.input));
            count += 1;
        }
        audit::record_export(
            &self.conn,
            actor,
            "training",
            "",
            &format!("{count} pelatihan"),
        )?;
        Ok(table)
    }

    /// The attendance sheet of one training: a row per enrolled participant the actor may see
    /// and session, with what is recorded so far. Filled in and imported, it records attendance.
    pub fn export_attendance_sheet(&mut self, actor: &Actor, training_id: &str) -> Result<Table> {
        let t = self.training(actor, training_id)?;
        let owner = offices::get(&self.conn, &t.owner_office_id)?;
        let mut table = vec![headers(&ATTENDANCE_COLUMNS)];
        for (i, (session_id, s)) in t.session_ids.iter().zip(&t.input.sessions).enumerate() {
            for row in self.session_attendance(actor, session_id)? {
                table.push(vec![
                    t.input.title.clone(),
                    t.input.start_date.clone(),
                    owner.code.clone(),
                    (i + 1).to_string(),
                    s.date.clone(),
                    row.nip,
                    row.name,
                    row.status
                        .map(|s| s.label().to_string())
                        .unwrap_or_default(),
                    row.reason
                        .map(|r| r.label().to_string())
                        .unwrap_or_default(),
                    row.note,
                ]);
            }
        }
        Ok(table)
    }

    /// Writes a training export (`kind` Catalogue or Attendance) to a `.csv` or `.xlsx` file;
    /// returns the number of data rows.
    pub fn export_training_file(
        &mut self,
        actor: &Actor,
        kind: TrainingSheetKind,
        training_id: Option<&str>,
        path: &std::path::Path,
    ) -> Result<u32> {
        let table = match (kind, training_id) {
            (TrainingSheetKind::Catalogue, _) => {
                let query = TrainingQuery::default();
                self.export_training_catalogue(actor, &query)?
            }
            (TrainingSheetKind::Attendance, Some(id)) => self.export_attendance_sheet(actor, id)?,
            _ => {
                return Err(ValidationError::single(
                    "training_id",
                    "pilih pelatihan yang lembar kehadirannya diekspor",
                )
                .into())
            }
        };
        pelita_sheet::write(path, &table)?;
        Ok(table.len() as u32 - 1)
    }
}
