//! Appraisal import and export (`.xlsx`/`.csv`). An import is all-or-nothing, checked inside one
//! transaction like the employee import. A row marked Final stays Final only when the importing
//! user is the appraisee's penilai for that period (their signed-in session is the signature);
//! an Admin Kecamatan (or an Admin Kantor, for its own office) importing for a penilai gets drafts
//! for the penilai to sign. Nothing in a file can change an appraisal that exists: an existing one
//! is reported, never overwritten.

use pelita_core::appraisal::form::period_start;
use pelita_core::appraisal::sheet::{appraisal_rows, header_cells, parse_appraisal_table};
use pelita_core::auth::{Action, Actor, PermissionDenied, Role};
use pelita_core::columns::RowError;
use pelita_sheet::Table;
use serde::Serialize;
use specta::Type;

use crate::appraisal::appraisals::{
    current_for, get_all_current, insert_appraisal, AppraisalStatus, NewAppraisal, PeriodRef,
};
use crate::appraisal::penilai::atasan_on;
use crate::kernel::clock::today;
use crate::kernel::journal::Mode;
use crate::{kernel::audit, register::employees, Result, Store, StoreError};

/// The outcome of checking (and, unless previewing, importing) an appraisal file.
#[derive(Debug, Clone, Serialize, Type)]
pub struct AppraisalImportReport {
    /// Appraisals in the file (rows with the same NIP and period are one appraisal).
    pub appraisals_in_file: u32,
    /// Appraisals written: 0 whenever `errors` is not empty, and always 0 for a preview.
    pub imported: u32,
    /// Imported (for a preview: would be imported) as Final, signed by the importing penilai.
    pub finals: u32,
    /// Marked Final in the file but imported (would be) as drafts: the importer is not their penilai.
    pub finals_as_drafts: u32,
    pub errors: Vec<RowError>,
}

impl Store {
    /// Checks a table and, in [`Mode::Commit`] when nothing is wrong, imports every appraisal.
    pub fn import_appraisals(
        &mut self,
        actor: &Actor,
        table: &Table,
        mode: Mode,
        password: Option<&str>,
    ) -> Result<AppraisalImportReport> {
        if mode == Mode::Commit {
            let preview = self.import_rows(actor, table, Mode::Preview)?;
            if preview.errors.is_empty() && preview.finals > 0 {
                // Importing Final appraisals signs them: the penilai gives their password, as in
                // the app (a wrong one counts towards the lockout).
                let Some(password) = password.filter(|p| !p.is_empty()) else {
                    return Err(pelita_core::ValidationError::single(
                        "password",
                        format!(
                            "{} penilaian Final akan ditandatangani: masukkan kata sandi Anda",
                            preview.finals
                        ),
                    )
                    .into());
                };
                self.check_password(&actor.username, password, chrono::Utc::now())?;
            }
        }
        self.import_rows(actor, table, mode)
    }

    fn import_rows(
        &mut self,
        actor: &Actor,
        table: &Table,
        mode: Mode,
    ) -> Result<AppraisalImportReport> {
        // An office's admin enters its paper appraisals as drafts for their penilai to sign.
        if !actor.has(Role::AdminKantor) {
            self.authorize(actor, Action::AppraiseReports, None)?;
        }
        let (parsed, mut errors) = parse_appraisal_table(table);
        let mut report = AppraisalImportReport {
            appraisals_in_file: parsed.len() as u32,
            imported: 0,
            finals: 0,
            finals_as_drafts: 0,
            errors: Vec::new(),
        };
        let day = today(&self.conn);
        let (mut report, kept) = self.all_or_nothing(
            mode,
            |r: &AppraisalImportReport| r.errors.is_empty(),
            |store| {
                let tx = &store.conn;
        for mut a in parsed {
            let at =
                |(row, column): (u32, &str), message: String| RowError::new(row, column, message);
            let Some(employee) = employees::by_nip(tx, &a.nip)? else {
                errors.push(at(
                    (a.row, "NIP"),
                    format!("tidak ada pegawai dengan NIP {}", a.nip),
                ));
                continue;
            };
            a.input.employee_id = employee.id.clone();
            let p = PeriodRef::from(&a.input);
            if let Err(v) = a.input.validate_draft(day) {
                errors.extend(
                    v.errors
                        .into_iter()
                        .map(|f| at(a.locate(&f.field), f.message)),
                );
                continue;
            }
            let Some(start) = period_start(p.year, p.period, p.month) else {
                continue;
            };
            let Some(penilai) = atasan_on(tx, &employee.id, start)? else {
                errors.push(at(
                    (a.row, "NIP"),
                    format!(
                        "{} tidak mempunyai atasan langsung pada {}",
                        employee.display_name,
                        p.label()
                    ),
                ));
                continue;
            };
            let is_penilai = actor.employee_id.as_deref() == Some(penilai.as_str());
            let office_admin = actor.has(Role::AdminKecamatan)
                || (actor.has(Role::AdminKantor) && employee.office_id == actor.office_id);
            if !is_penilai && !office_admin {
                let denied = PermissionDenied::NotDirectSupervisor {
                    employee: employee.display_name.clone(),
                    period: p.label(),
                };
                errors.push(at((a.row, "NIP"), denied.to_string()));
                continue;
            }
            if let Some(existing) = current_for(tx, &employee.id, &p)? {
                let (name, label) = (&employee.display_name, p.label());
                errors.push(at(
                    (a.row, "Periode"),
                    match existing.status {
                        AppraisalStatus::Final => format!("{name} sudah mempunyai penilaian Final untuk {label}; koreksi dengan amandemen di aplikasi"),
                        AppraisalStatus::Draft => format!("{name} sudah mempunyai draf penilaian untuk {label}; ubah draf itu di aplikasi"),
                    },
                ));
                continue;
            }
            let sign = a.is_final && is_penilai;
            if sign {
                // A unit leader's rating follows their organisation's result: named at its cell.
                let owner = crate::register::mutasi_rows::office_on(
                    tx,
                    &employee.id,
                    &employee.office_id,
                    start,
                )?;
                let mut problems = match a.input.validate_final(day) {
                    Ok(()) => Vec::new(),
                    Err(v) => v.errors,
                };
                match crate::appraisal::org_result::check_leader_rating(
                    tx, &owner, &penilai, &a.input,
                ) {
                    Ok(()) => {}
                    Err(StoreError::Validation(v)) => problems.extend(v.errors),
                    Err(e) => return Err(e),
                }
                if !problems.is_empty() {
                    errors.extend(
                        problems
                            .into_iter()
                            .map(|f| at(a.locate(&f.field), f.message)),
                    );
                    continue;
                }
            }
            insert_appraisal(
                tx,
                &NewAppraisal {
                    employee: &employee,
                    penilai: &penilai,
                    input: &a.input,
                    amends: None,
                    signed_by: sign.then_some(actor.username.as_str()),
                },
                &actor.username,
                if sign {
                    "impor (final)"
                } else {
                    "impor (draf)"
                },
            )?;
            report.imported += 1;
            report.finals += u32::from(sign);
            report.finals_as_drafts += u32::from(a.is_final && !sign);
        }
        errors.sort_by_key(|e| e.row);
        report.errors = errors;
        Ok(report)
            },
        )?;
        if !report.errors.is_empty() {
            report.finals = 0;
            report.finals_as_drafts = 0;
        }
        if !kept {
            // A preview, or a file with errors: nothing was kept.
            report.imported = 0;
        }
        Ok(report)
    }

    pub fn import_appraisal_file(
        &mut self,
        actor: &Actor,
        name: &str,
        bytes: &[u8],
        mode: Mode,
        password: Option<&str>,
    ) -> Result<AppraisalImportReport> {
        let table = pelita_sheet::read(name, bytes)?;
        self.import_appraisals(actor, &table, mode, password)
    }

    /// [`import_appraisal_file`](Self::import_appraisal_file) for a file on disk.
    pub fn import_appraisal_path(
        &mut self,
        actor: &Actor,
        path: &std::path::Path,
        mode: Mode,
        password: Option<&str>,
    ) -> Result<AppraisalImportReport> {
        let bytes = pelita_sheet::file_bytes(path)?;
        self.import_appraisal_file(actor, &path.to_string_lossy(), &bytes, mode, password)
    }

    /// The appraisals that count (ends of amendment chains) the actor may export: their own as
    /// penilai, or all for an Admin Kecamatan; optionally one period. The export is logged.
    pub fn export_appraisals(
        &mut self,
        actor: &Actor,
        period: Option<&PeriodRef>,
    ) -> Result<Table> {
        let (table, count) = self.appraisal_export(actor, period)?;
        audit::record_export(
            &self.conn,
            actor,
            "appraisal",
            "",
            &format!("{count} penilaian"),
        )?;
        Ok(table)
    }

    /// Writes the export to a `.csv` or `.xlsx` file; returns how many appraisals were written.
    pub fn export_appraisal_file(
        &mut self,
        actor: &Actor,
        path: &std::path::Path,
        period: Option<&PeriodRef>,
    ) -> Result<u32> {
        pelita_sheet::Format::from_name(&path.to_string_lossy())?;
        let (table, count) = self.appraisal_export(actor, period)?;
        pelita_sheet::write(path, &table)?;
        audit::record_export(
            &self.conn,
            actor,
            "appraisal",
            "",
            &format!("{count} penilaian ke {}", path.display()),
        )?;
        Ok(count)
    }

    fn appraisal_export(
        &mut self,
        actor: &Actor,
        period: Option<&PeriodRef>,
    ) -> Result<(Table, u32)> {
        self.authorize(actor, Action::AppraiseReports, None)?;
        let mine = (!actor.has(Role::AdminKecamatan))
            .then(|| actor.employee_id.clone().unwrap_or_default());
        let mut table = vec![header_cells()];
        let all = get_all_current(&self.conn, mine.as_deref(), period)?;
        for a in &all {
            table.extend(appraisal_rows(
                &a.appraisee.nip,
                a.status == AppraisalStatus::Final,
                &a.document,
            ));
        }
        Ok((table, all.len() as u32))
    }
}
