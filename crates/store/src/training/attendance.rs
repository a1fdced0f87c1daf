//! Attendance per session and the JP each employee earned in a year (the 20 JP rule).
//!
//! The attendance of one employee in one session is one row whose id is derived from the two, so
//! recording it again — from the checklist, a file, another laptop — changes that row instead of
//! adding one; recording exactly what is already there changes nothing at all.

use chrono::{Datelike, NaiveDate};
use pelita_core::auth::{Action, Actor};
use pelita_core::reference::EmploymentStatus;
use pelita_core::training::{
    contract_year, jp_shares, jp_standing, AbsenceReason, AttendanceStatus, JpShare, JpStanding,
    TrainingStatus, JP_TARGET_PNS,
};
use pelita_core::{FieldError, ValidationError};
use rusqlite::OptionalExtension;
use serde::{Deserialize, Serialize};
use specta::Type;

use crate::kernel::audit::AuditAction;
use crate::kernel::clock::now;
use crate::kernel::journal::record_fact;
use crate::training::rows::get as get_training;
use crate::{register::employees, Result, Store, StoreError};
use pelita_core::fact_id;

/// One line of an attendance checklist.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
pub struct AttendanceEntry {
    pub employee_id: String,
    pub status: AttendanceStatus,
    /// Required for anything but `Hadir`.
    pub reason: Option<AbsenceReason>,
    pub note: String,
}

/// What the checklist of a session shows for one participant.
#[derive(Debug, Clone, Serialize, Type)]
pub struct AttendanceRow {
    pub employee_id: String,
    pub nip: String,
    pub name: String,
    pub status: Option<AttendanceStatus>,
    pub reason: Option<AbsenceReason>,
    pub note: String,
}

/// JP of one employee in one calendar year.
#[derive(Debug, Clone, Serialize, Type)]
pub struct JpLine {
    pub employee_id: String,
    pub nip: String,
    pub name: String,
    pub office_code: String,
    pub status: EmploymentStatus,
    pub jp: u32,
    /// The span the JP were counted over (ISO dates): the calendar year, or for a PPPK the year
    /// of their work contract that holds the report's day (PP 49/2018 Pasal 40).
    pub counted_from: String,
    pub counted_to: String,
    /// A PPPK whose contract dates are not recorded: counted per calendar year meanwhile.
    pub contract_missing: bool,
    pub standing: JpStanding,
    /// JP still missing to reach 20 (PNS below target), else 0.
    pub missing: u32,
    pub below_target: bool,
}

/// The training a session belongs to.
fn training_of_session(conn: &rusqlite::Connection, session_id: &str) -> Result<String> {
    conn.query_row(
        "SELECT training_id FROM training_session WHERE id = ?1",
        [session_id],
        |r| r.get(0),
    )
    .optional()?
    .ok_or_else(|| StoreError::NotFound("sesi pelatihan".into()))
}

impl Store {
    /// Records a session's checklist: every entry or none. Entries already recorded the same way
    /// are left alone; changed ones become a new version of the same row.
    pub fn record_attendance(
        &mut self,
        actor: &Actor,
        session_id: &str,
        entries: &[AttendanceEntry],
    ) -> Result<u32> {
        let training_id = training_of_session(&self.conn, session_id)?;
        let training = get_training(&self.conn, &training_id)?;
        match training.status {
            TrainingStatus::Dibatalkan => {
                return Err(ValidationError::single("session_id", "pelatihan ini dibatalkan").into())
            }
            // Completion and JP were decided from the attendance; a correction goes through JP
            // diakui (with its reason), not by rewriting the attendance afterwards.
            TrainingStatus::Selesai => {
                return Err(ValidationError::single(
                    "session_id",
                    "pelatihan sudah selesai; kehadiran tidak dapat diubah lagi (ubah JP diakui bila perlu)",
                )
                .into())
            }
            _ => {}
        }
        let mut errors = Vec::new();
        let mut offices = Vec::new();
        for (i, e) in entries.iter().enumerate() {
            let key = |name: &str| format!("entries.{i}.{name}");
            let employee = employees::get(&self.conn, &e.employee_id)?;
            let enrolled: bool = self.conn.query_row(
                "SELECT count(*) > 0 FROM participation WHERE training_id = ?1 AND employee_id = ?2
                 AND state = 'Terdaftar'",
                [&training_id, &e.employee_id],
                |r| r.get(0),
            )?;
            if !enrolled {
                errors.push(FieldError::new(
                    &key("employee_id"),
                    format!(
                        "{} bukan peserta terdaftar pelatihan ini",
                        employee.display_name
                    ),
                ));
            }
            match (e.status, e.reason) {
                (AttendanceStatus::Hadir, Some(_)) => errors.push(FieldError::new(
                    &key("reason"),
                    format!("{} hadir: alasan tidak diisi", employee.display_name),
                )),
                (AttendanceStatus::Hadir, None) => {}
                (s, None) => errors.push(FieldError::new(
                    &key("reason"),
                    format!("{} {}: pilih alasannya", employee.display_name, s.label()),
                )),
                _ => {}
            }
            offices.push(crate::register::mutasi_rows::history_office(
                &self.conn,
                &employee,
                &training_id,
            )?);
        }
        offices.sort();
        offices.dedup();
        for office in &offices {
            self.authorize(actor, Action::ManageTrainings, Some(office))?;
        }
        if !errors.is_empty() {
            return Err(ValidationError { errors }.into());
        }
        let tx = self.conn.savepoint()?;
        let mut changed = 0;
        for e in entries {
            let id = fact_id("attendance", &[session_id, &e.employee_id]);
            let reason = e.reason.map(|r| r.label());
            let existing: Option<(String, Option<String>, String, i64)> = tx
                .query_row(
                    "SELECT status, reason, note, version FROM attendance WHERE id = ?1",
                    [&id],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
                )
                .optional()?;
            let base = match &existing {
                Some((s, r, n, _))
                    if s == e.status.label() && r.as_deref() == reason && n == e.note.trim() =>
                {
                    continue
                }
                Some((.., v)) => *v,
                None => 0,
            };
            tx.execute(
                "INSERT INTO attendance (id, session_id, training_id, employee_id, status, reason, note,
                     recorded_by, version, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)
                 ON CONFLICT (id) DO UPDATE SET status = excluded.status, reason = excluded.reason,
                     note = excluded.note, recorded_by = excluded.recorded_by,
                     version = excluded.version, updated_at = excluded.updated_at",
                rusqlite::params![id, session_id, training_id, e.employee_id, e.status.label(), reason,
                    e.note.trim(), actor.username, base + 1, now()],
            )?;
            record_fact(
                &tx,
                "attendance",
                &id,
                base,
                (
                    &actor.username,
                    if base == 0 {
                        AuditAction::Create
                    } else {
                        AuditAction::Update
                    },
                    e.status.label(),
                ),
            )?;
            changed += 1;
        }
        tx.commit()?;
        Ok(changed)
    }

    /// The checklist of a session: every enrolled participant the actor may see, by name.
    pub fn session_attendance(
        &mut self,
        actor: &Actor,
        session_id: &str,
    ) -> Result<Vec<AttendanceRow>> {
        self.authorize(actor, Action::ViewEmployees, None)?;
        let training_id = training_of_session(&self.conn, session_id)?;
        let mut stmt = self.conn.prepare(
            "SELECT e.id, e.nip, e.name, e.office_id, a.status, a.reason, coalesce(a.note, '')
             FROM participation p JOIN employee e ON e.id = p.employee_id
             LEFT JOIN attendance a ON a.session_id = ?2 AND a.employee_id = e.id
             WHERE p.training_id = ?1 AND p.state = 'Terdaftar' ORDER BY e.name, e.nip",
        )?;
        let rows = stmt.query_map([&training_id, &session_id.to_string()], |r| {
            Ok((
                r.get::<_, String>(3)?,
                AttendanceRow {
                    employee_id: r.get(0)?,
                    nip: r.get(1)?,
                    name: r.get(2)?,
                    status: r
                        .get::<_, Option<String>>(4)?
                        .and_then(|s| AttendanceStatus::parse(&s)),
                    reason: r
                        .get::<_, Option<String>>(5)?
                        .and_then(|s| AbsenceReason::parse(&s)),
                    note: r.get(6)?,
                },
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (office, line) = row?;
            if pelita_core::auth::district_wide(actor) || office == actor.office_id {
                out.push(line);
            }
        }
        Ok(out)
    }

    /// The share of PNS with at least 20 JP in `year`: first over everything the actor
    /// sees (the district, for the HQ), then per office.
    pub fn jp_shares(&mut self, actor: &Actor, year: i32) -> Result<Vec<JpShare>> {
        let lines = self.jp_report(actor, year, None)?;
        Ok(jp_shares(
            lines
                .iter()
                .map(|l| (l.office_code.as_str(), l.status, l.jp)),
        ))
    }

    /// JP per active employee in a calendar year: JP diakui of completed participations in
    /// trainings that finished (`Selesai`) and end that year. Non-HQ actors see their office.
    pub fn jp_report(
        &mut self,
        actor: &Actor,
        year: i32,
        office_id: Option<&str>,
    ) -> Result<Vec<JpLine>> {
        let scope = crate::kernel::scope::office_scope(actor, Action::ViewEmployees, office_id);
        self.authorize(actor, Action::ViewEmployees, scope.as_deref())?;
        // The year's completions in one pass, then the employees: a subquery per employee took
        // seconds at district scale (`make bench-analysis`).
        let jp_of = completed_jp(&self.conn, year, None, None)?;
        let mut stmt = self.conn.prepare(
            "SELECT e.id, e.nip, e.name, o.code, e.status, e.contract_start, e.contract_end
             FROM employee e JOIN office o ON o.id = e.office_id
             WHERE e.deleted = 0 AND e.active = 1 AND (?1 IS NULL OR e.office_id = ?1)
             ORDER BY o.code, e.name, e.nip",
        )?;
        let rows = stmt
            .query_map(rusqlite::params![scope], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, String>(4)?,
                    r.get::<_, Option<String>>(5)?,
                    r.get::<_, Option<String>>(6)?,
                ))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        // The day a PPPK's contract year is taken at: today in the current year, else the year's
        // last day.
        let today = crate::kernel::clock::today(&self.conn);
        let calendar = (
            NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or(today),
            NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or(today),
        );
        let on = if today.year() == year {
            today
        } else {
            calendar.1
        };
        let day = |s: &Option<String>| {
            s.as_deref()
                .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
        };
        let mut out = Vec::new();
        for (employee_id, nip, name, office_code, status, start, end) in rows {
            let status = EmploymentStatus::parse(&status).unwrap_or(EmploymentStatus::Pns);
            let pppk = status == EmploymentStatus::Pppk;
            let contract = day(&start).and_then(|s| contract_year(s, day(&end), on));
            let (from, to) = contract.filter(|_| pppk).unwrap_or(calendar);
            let jp = if pppk && contract.is_some() {
                completed_jp_between(&self.conn, &employee_id, from, to)?
            } else {
                jp_of.get(&employee_id).copied().unwrap_or(0)
            };
            let standing = jp_standing(status, jp);
            let below_target = standing == JpStanding::BelowTarget;
            out.push(JpLine {
                employee_id,
                nip,
                name,
                office_code,
                status,
                jp,
                counted_from: from.to_string(),
                counted_to: to.to_string(),
                contract_missing: pppk && start.is_none(),
                standing,
                missing: if below_target { JP_TARGET_PNS - jp } else { 0 },
                below_target,
            });
        }
        Ok(out)
    }
}

/// JP diakui of one employee's completed participations in trainings that finished (`Selesai`)
/// and end between `from` and `to` (a PPPK's contract year).
fn completed_jp_between(
    conn: &rusqlite::Connection,
    employee_id: &str,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<u32> {
    Ok(conn.query_row(
        "SELECT coalesce(sum(p.jp_diakui), 0)
         FROM participation p JOIN training t ON t.id = p.training_id
         WHERE p.employee_id = ?1 AND p.completed = 1 AND p.state = 'Terdaftar'
           AND t.status = 'Selesai' AND t.deleted = 0 AND t.end_date BETWEEN ?2 AND ?3",
        rusqlite::params![employee_id, from.to_string(), to.to_string()],
        |r| r.get(0),
    )?)
}

/// JP diakui per employee over the completed participations in trainings that finished
/// (`Selesai`) and end in `year` — of `theme` and `route` when given. Everyone who completed one
/// is a key, even with 0 JP.
pub fn completed_jp(
    conn: &rusqlite::Connection,
    year: i32,
    theme: Option<&str>,
    route: Option<&str>,
) -> Result<std::collections::HashMap<String, u32>> {
    // Participations read in table order (CROSS JOIN keeps them the outer loop): walking them in
    // employee order through an index reads — and decrypts — pages at random.
    let mut stmt = conn.prepare_cached(
        "SELECT p.employee_id, p.jp_diakui
         FROM participation p CROSS JOIN training t ON t.id = p.training_id
         WHERE p.completed = 1 AND p.state = 'Terdaftar' AND t.status = 'Selesai'
           AND t.deleted = 0 AND substr(t.end_date, 1, 4) = ?1 AND (?2 IS NULL OR t.theme = ?2)
           AND (?3 IS NULL OR t.route = ?3)",
    )?;
    let mut jp: std::collections::HashMap<String, u32> = std::collections::HashMap::new();
    let mut rows = stmt.query(rusqlite::params![format!("{year:04}"), theme, route])?;
    while let Some(r) = rows.next()? {
        *jp.entry(r.get(0)?).or_default() += r.get::<_, u32>(1)?;
    }
    Ok(jp)
}

/// One training in an employee's history.
#[derive(Debug, Clone, Serialize, Type)]
pub struct TrainingHistoryLine {
    pub training_id: String,
    pub title: String,
    pub route: String,
    pub start_date: String,
    pub end_date: String,
    pub training_status: String,
    pub state: String,
    pub completed: bool,
    pub jp_diakui: u32,
    pub certificate_number: String,
}

/// JP counted in one calendar year.
#[derive(Debug, Clone, Serialize, Type)]
pub struct JpYear {
    pub year: i32,
    pub jp: u32,
}

#[derive(Debug, Clone, Serialize, Type)]
pub struct TrainingHistory {
    pub lines: Vec<TrainingHistoryLine>,
    pub jp_by_year: Vec<JpYear>,
}

impl Store {
    /// An employee's trainings, newest first, and the JP counted per year — for their page. The
    /// employee themself may read it (their own record), as may whoever may see the register.
    pub fn training_history(
        &mut self,
        actor: &Actor,
        employee_id: &str,
    ) -> Result<TrainingHistory> {
        let employee = employees::get(&self.conn, employee_id)?;
        self.authorize_view_of(actor, &employee)?;
        let lines: Vec<TrainingHistoryLine> = self
            .conn
            .prepare(
                "SELECT t.id, t.title, t.route, t.start_date, t.end_date, t.status, p.state, p.completed,
                        p.jp_diakui, p.certificate_number
                 FROM participation p JOIN training t ON t.id = p.training_id
                 WHERE p.employee_id = ?1 AND t.deleted = 0 AND p.state <> 'Mengundurkan Diri'
                 ORDER BY t.end_date DESC, t.title",
            )?
            .query_map([employee_id], |r| {
                Ok(TrainingHistoryLine {
                    training_id: r.get(0)?,
                    title: r.get(1)?,
                    route: r.get(2)?,
                    start_date: r.get(3)?,
                    end_date: r.get(4)?,
                    training_status: r.get(5)?,
                    state: r.get(6)?,
                    completed: r.get(7)?,
                    jp_diakui: r.get(8)?,
                    certificate_number: r.get(9)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        let mut jp_by_year: Vec<JpYear> = Vec::new();
        for l in lines
            .iter()
            .filter(|l| l.completed && l.training_status == "Selesai" && l.state == "Terdaftar")
        {
            let Some(year) = pelita_core::training::jp_year(&l.end_date) else {
                continue;
            };
            match jp_by_year.iter_mut().find(|y| y.year == year) {
                Some(y) => y.jp += l.jp_diakui,
                None => jp_by_year.push(JpYear {
                    year,
                    jp: l.jp_diakui,
                }),
            }
        }
        jp_by_year.sort_by_key(|y| std::cmp::Reverse(y.year));
        Ok(TrainingHistory { lines, jp_by_year })
    }
}

/// The columns of the SIASN *riwayat kursus* export, one row per completed participation: the
/// jenis diklat by SIASN's own reference (its id and name, `core::training::siasn`), not the LAN
/// route label.
pub const SIASN_COLUMNS: [&str; 11] = [
    "NIP",
    "Nama",
    "ID Jenis Diklat",
    "Jenis Diklat",
    "Nama Kursus",
    "Institusi Penyelenggara",
    "Jumlah Jam",
    "Nomor Sertifikat",
    "Tanggal Mulai",
    "Tanggal Selesai",
    "Tahun",
];

/// What a SIASN export wrote.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Type)]
pub struct SiasnExport {
    /// Riwayat kursus rows written.
    pub rows: u32,
    /// Completed leadership trainings left out: SIASN keeps them in riwayat diklat struktural.
    pub leadership: u32,
}

impl Store {
    /// Completed participations whose training ends in `year`, mapped one-to-one to SIASN
    /// riwayat kursus, the jenis diklat by SIASN's reference; leadership training is left out (it
    /// is riwayat diklat struktural) and counted. Personal data: exporting is logged.
    pub fn siasn_export(
        &mut self,
        actor: &Actor,
        year: i32,
        path: &std::path::Path,
    ) -> Result<SiasnExport> {
        pelita_sheet::Format::from_name(&path.to_string_lossy())?;
        let scope = crate::kernel::scope::office_scope(actor, Action::ExportEmployees, None);
        self.authorize(actor, Action::ExportEmployees, scope.as_deref())?;
        let mut table = vec![SIASN_COLUMNS
            .iter()
            .map(|c| c.to_string())
            .collect::<Vec<_>>()];
        let mut stmt = self.conn.prepare(
            "SELECT e.nip, e.name, t.route, t.title, t.organiser, p.jp_diakui, p.certificate_number,
                    t.start_date, t.end_date
             FROM participation p JOIN training t ON t.id = p.training_id JOIN employee e ON e.id = p.employee_id
             WHERE p.completed = 1 AND p.state = 'Terdaftar' AND t.status = 'Selesai' AND t.deleted = 0
               AND substr(t.end_date, 1, 4) = ?1 AND (?2 IS NULL OR e.office_id = ?2)
             ORDER BY e.name, t.end_date",
        )?;
        let mut leadership = 0;
        let rows = stmt.query_map(rusqlite::params![format!("{year:04}"), scope], |r| {
            let text = |i: usize| -> rusqlite::Result<String> { r.get(i) };
            // A label Pelita never wrote reads as the catch-all route, as the catalogue reads it.
            let route = pelita_core::training::stored_route(&text(2)?, None)
                .map_or(pelita_core::training::Route::NonklasikalLainnya, |(r, _)| r);
            let jenis = pelita_core::training::siasn::jenis_diklat(route);
            let Some(jenis) = jenis else {
                return Ok(None);
            };
            Ok(Some(vec![
                text(0)?,
                text(1)?,
                jenis.id.to_string(),
                jenis.nama.to_string(),
                text(3)?,
                text(4)?,
                r.get::<_, u32>(5)?.to_string(),
                text(6)?,
                text(7)?,
                text(8)?,
                year.to_string(),
            ]))
        })?;
        for row in rows {
            match row? {
                Some(row) => table.push(row),
                None => leadership += 1,
            }
        }
        drop(stmt);
        pelita_sheet::write(path, &table)?;
        let n = table.len() as u32 - 1;
        crate::kernel::audit::record_export(
            &self.conn,
            actor,
            "riwayat_kursus",
            scope.as_deref().unwrap_or(""),
            &format!(
                "{n} baris SIASN {year} ke {} ({leadership} keikutsertaan pelatihan kepemimpinan tidak termasuk)",
                path.display()
            ),
        )?;
        Ok(SiasnExport {
            rows: n,
            leadership,
        })
    }
}
