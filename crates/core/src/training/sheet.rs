//! The training spreadsheets (`.xlsx`/`.csv`): the catalogue (one row per session; rows with the
//! same title, owner office and start date are one training), participants (one row per
//! enrolment) and attendance (one row per participant and session). A training is named in a
//! file the way an operator knows it: its title and start date, with the owner office's code when
//! two offices run trainings of the same name on the same day.
//!
//! Only the rules that need no database are checked here; the store resolves the names and runs
//! each record through the same rules as the app, all-or-nothing.

use crate::columns::{read_rows, Column, Row, RowError};
use crate::employee::parse_date;
use crate::training::{
    AbsenceReason, AttendanceStatus, Method, Route, SessionInput, TrainingInput,
    LEGACY_PROJECT_ROUTE,
};

const fn col(header: &'static str, required: bool) -> Column {
    Column::new(header, required, header)
}

pub const TITLE: &str = "Judul Pelatihan";
pub const START: &str = "Tanggal Mulai";
pub const OWNER: &str = "Kode Kantor Pemilik";
pub const NIP: &str = "NIP";
pub const SESSION: &str = "Sesi Ke";
pub const METHOD: &str = "Metode";
/// The learning objectives, separated by ";" (optional; the training's first row).
pub const OBJECTIVES: &str = "Tujuan Pelatihan";

/// Catalogue columns, in the order Pelita writes them. The first thirteen describe the training
/// (repeated on each of its rows), the next three one session, the last the learning objectives.
pub const CATALOGUE_COLUMNS: [Column; 17] = [
    col(TITLE, true),
    col("Tema", true),
    col("Jalur", true),
    col("Penyelenggara", false),
    col(OWNER, true),
    col("Lokasi", false),
    col(START, true),
    col("Tanggal Selesai", true),
    col("JP", true),
    col("Kapasitas", true),
    col("Sertifikat", false),
    col("Syarat Kehadiran (%)", false),
    col(METHOD, false),
    col("Tanggal Sesi", true),
    col("Jam Mulai", true),
    col("Jam Selesai", true),
    col(OBJECTIVES, false),
];
const SESSION_CELLS: usize = 13;

pub const PARTICIPANT_COLUMNS: [Column; 5] = [
    col(TITLE, true),
    col(START, true),
    col(OWNER, false),
    col(NIP, true),
    // For the reader; the NIP decides.
    col("Nama", false),
];

pub const ATTENDANCE_COLUMNS: [Column; 10] = [
    col(TITLE, true),
    col(START, true),
    col(OWNER, false),
    col(SESSION, true),
    // For the reader; the session number decides.
    col("Tanggal Sesi", false),
    col(NIP, true),
    col("Nama", false),
    col("Status", true),
    col("Alasan", false),
    col("Catatan", false),
];

pub use crate::columns::headers;

/// How a file names a training.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct TrainingRef {
    pub title: String,
    /// ISO date.
    pub start_date: String,
    /// Upper-case office code, when given.
    pub owner_code: Option<String>,
}

/// A training as a catalogue file holds it (`input.owner_office_id` left empty for the store).
#[derive(Debug, Clone, PartialEq)]
pub struct SheetTraining {
    /// The spreadsheet row of its first line (header = row 1).
    pub row: u32,
    /// The row of each session, in order.
    pub session_rows: Vec<u32>,
    pub owner_code: String,
    pub input: TrainingInput,
}

#[derive(Debug, Clone, PartialEq)]
pub struct SheetParticipant {
    pub row: u32,
    pub training: TrainingRef,
    pub nip: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct SheetMark {
    pub row: u32,
    pub training: TrainingRef,
    /// 1-based, as the app numbers sessions.
    pub session: u32,
    pub nip: String,
    pub status: AttendanceStatus,
    pub reason: Option<AbsenceReason>,
    pub note: String,
}

/// `08:00`, `8.00`, or a spreadsheet time (a fraction of a day) → `HH:MM`.
pub fn parse_time(text: &str) -> Option<String> {
    let t = text.trim();
    if let Ok(day) = t.parse::<f64>() {
        if (0.0..1.0).contains(&day) {
            let minutes = (day * 24.0 * 60.0).round() as u32;
            return Some(format!("{:02}:{:02}", minutes / 60, minutes % 60));
        }
    }
    let (h, m) = t.split_once([':', '.'])?;
    let (h, m) = (h.parse::<u32>().ok()?, m.get(..2)?.parse::<u32>().ok()?);
    (h < 24 && m < 60).then(|| format!("{h:02}:{m:02}"))
}

/// A reason by its full label or by its first part (`tugas kantor` for `tugas kantor / beban kerja`).
pub fn parse_reason(text: &str) -> Option<AbsenceReason> {
    let t = text.trim();
    AbsenceReason::ALL.iter().copied().find(|r| {
        r.label().eq_ignore_ascii_case(t)
            || r.label()
                .split(" / ")
                .next()
                .is_some_and(|p| p.eq_ignore_ascii_case(t))
    })
}

fn yes_no(text: &str) -> Option<bool> {
    match text.trim().to_lowercase().as_str() {
        "" | "tidak" | "t" | "no" | "0" => Some(false),
        "ya" | "y" | "yes" | "1" => Some(true),
        _ => None,
    }
}

fn training_ref(r: &mut Row<'_>) -> Option<TrainingRef> {
    let title = r.text(0);
    if title.is_empty() {
        r.error(0, "judul pelatihan wajib diisi");
    }
    let start = r.date(1, "tanggal mulai");
    let owner = r.text(2).to_uppercase();
    (!title.is_empty()).then_some(())?;
    Some(TrainingRef {
        title,
        start_date: start?.format("%Y-%m-%d").to_string(),
        owner_code: (!owner.is_empty()).then_some(owner),
    })
}

/// Reads a catalogue file. Every problem is reported; the caller writes nothing if any exists.
pub fn parse_catalogue(table: &[Vec<String>]) -> (Vec<SheetTraining>, Vec<RowError>) {
    let mut out: Vec<SheetTraining> = Vec::new();
    let mut heads: Vec<Vec<String>> = Vec::new();
    let mut errors = Vec::new();
    let header_errors = read_rows(table, &CATALOGUE_COLUMNS, &mut errors, |r| {
        let row = r.number;
        let mut head: Vec<String> = (0..SESSION_CELLS).map(|k| r.text(k)).collect();
        head[4] = head[4].to_uppercase();
        let (date_text, start_text, end_text) = (r.text(13), r.text(14), r.text(15));
        let objectives = r.text(16);
        let session_date = parse_date(&date_text).map(|d| d.format("%Y-%m-%d").to_string());
        if session_date.is_none() {
            r.error(
                13,
                format!("tanggal sesi '{date_text}' tidak valid (TTTT-BB-HH)"),
            );
        }
        let (start_time, end_time) = (parse_time(&start_text), parse_time(&end_text));
        if start_time.is_none() {
            r.error(14, format!("jam '{start_text}' tidak valid (JJ:MM)"));
        }
        if end_time.is_none() {
            r.error(15, format!("jam '{end_text}' tidak valid (JJ:MM)"));
        }
        let session = SessionInput {
            date: session_date.unwrap_or(date_text),
            start_time: start_time.unwrap_or(start_text),
            end_time: end_time.unwrap_or(end_text),
        };
        let start = parse_date(&head[6]).map(|d| d.format("%Y-%m-%d").to_string());
        let owner = head[4].clone();
        let same = |t: &SheetTraining| {
            t.input.title.eq_ignore_ascii_case(&head[0])
                && t.owner_code == owner
                && Some(&t.input.start_date) == start.as_ref()
        };
        if let Some(k) = out.iter().position(same) {
            if let Some(c) = (1..SESSION_CELLS).find(|&c| head[c] != heads[k][c]) {
                r.error(
                    c,
                    format!(
                        "berbeda dengan baris {} untuk pelatihan yang sama ('{}' ≠ '{}')",
                        out[k].row, head[c], heads[k][c]
                    ),
                );
            }
            out[k].input.sessions.push(session);
            out[k].session_rows.push(row);
            return;
        }
        let route = Route::parse(&head[2]);
        if route.is_none() && head[2].eq_ignore_ascii_case(LEGACY_PROJECT_ROUTE) {
            r.error(
                2,
                format!(
                    "'{LEGACY_PROJECT_ROUTE}' bukan jalur Peraturan LAN 10/2018; isi jalurnya \
                     (mis. {}) dan metode '{}' di kolom {METHOD}",
                    Route::NonklasikalLainnya.label(),
                    Method::BerbasisProyek.label()
                ),
            );
        } else if route.is_none() {
            r.error(
                2,
                format!(
                    "jalur '{}' tidak dikenal; isi salah satu jalur Peraturan LAN 10/2018, mis. {}",
                    head[2],
                    Route::Teknis.label()
                ),
            );
        }
        let method = match (head[12].is_empty(), Method::parse(&head[12])) {
            (true, _) => route.map(Method::implied_by),
            (false, Some(m)) => Some(m),
            (false, None) => {
                let all: Vec<&str> = Method::ALL.iter().map(|m| m.label()).collect();
                r.error(
                    12,
                    format!(
                        "metode '{}' tidak dikenal; isi salah satu: {}",
                        head[12],
                        all.join(", ")
                    ),
                );
                None
            }
        };
        if owner.is_empty() {
            r.error(4, "kode kantor pemilik wajib diisi");
        }
        let mut number = |k: usize, default: u32| -> u32 {
            if head[k].is_empty() && default > 0 {
                return default;
            }
            head[k].parse().unwrap_or_else(|_| {
                r.error(k, format!("'{}' bukan bilangan bulat", head[k]));
                0
            })
        };
        let (jp, capacity, share) = (number(8, 0), number(9, 0), number(11, 100));
        let certificate = yes_no(&head[10]).unwrap_or_else(|| {
            r.error(10, format!("sertifikat '{}': isi Ya atau Tidak", head[10]));
            false
        });
        let date_or_text = |k: usize| {
            parse_date(&head[k])
                .map(|d| d.format("%Y-%m-%d").to_string())
                .unwrap_or_else(|| head[k].clone())
        };
        out.push(SheetTraining {
            row,
            session_rows: vec![row],
            owner_code: owner,
            input: TrainingInput {
                title: head[0].clone(),
                theme: head[1].clone(),
                route: route.unwrap_or(Route::Teknis),
                method: method.unwrap_or(Method::TatapMuka),
                organiser: head[3].clone(),
                owner_office_id: String::new(),
                location: head[5].clone(),
                start_date: date_or_text(6),
                end_date: date_or_text(7),
                sessions: vec![session],
                jp,
                capacity,
                certificate,
                completion_share: share,
                objectives: objectives
                    .split(';')
                    .map(|o| o.trim().to_string())
                    .filter(|o| !o.is_empty())
                    .collect(),
            },
        });
        heads.push(head);
    });
    if let Err(e) = header_errors {
        return (Vec::new(), e);
    }
    // The form's own rules, reported at the session's row or the training's first row, for the
    // trainings whose cells could all be read (a bad cell is reported once).
    let read_whole = |t: &SheetTraining| {
        !errors
            .iter()
            .any(|e| e.row == t.row || t.session_rows.contains(&e.row))
    };
    let whole: Vec<&SheetTraining> = out.iter().filter(|t| read_whole(t)).collect();
    for t in whole {
        if let Err(v) = t.input.validate() {
            errors.extend(v.errors.into_iter().map(|f| {
                let row = session_index(&f.field)
                    .and_then(|i| t.session_rows.get(i).copied())
                    .unwrap_or(t.row);
                RowError::new(row, catalogue_header(&f.field), f.message)
            }));
        }
    }
    (out, errors)
}

/// `sessions.3.date` → 3.
fn session_index(field: &str) -> Option<usize> {
    field
        .strip_prefix("sessions.")?
        .split('.')
        .next()?
        .parse()
        .ok()
}

/// The column a training field's error belongs to.
pub fn catalogue_header(field: &str) -> &'static str {
    use crate::training::field;
    match field {
        field::TITLE => TITLE,
        field::THEME => "Tema",
        field::START => START,
        field::END => "Tanggal Selesai",
        field::JP => "JP",
        field::CAPACITY => "Kapasitas",
        field::COMPLETION => "Syarat Kehadiran (%)",
        f if f.starts_with("objectives") => OBJECTIVES,
        f if f.ends_with("time") => "Jam Mulai",
        _ => "Tanggal Sesi",
    }
}

/// The catalogue rows of one training, one per session (an export re-imports unchanged).
pub fn catalogue_rows(owner_code: &str, t: &TrainingInput) -> Vec<Vec<String>> {
    t.sessions
        .iter()
        .map(|s| {
            vec![
                t.title.clone(),
                t.theme.clone(),
                t.route.label().to_string(),
                t.organiser.clone(),
                owner_code.to_string(),
                t.location.clone(),
                t.start_date.clone(),
                t.end_date.clone(),
                t.jp.to_string(),
                t.capacity.to_string(),
                if t.certificate { "Ya" } else { "Tidak" }.to_string(),
                t.completion_share.to_string(),
                t.method.label().to_string(),
                s.date.clone(),
                s.start_time.clone(),
                s.end_time.clone(),
                t.objectives.join("; "),
            ]
        })
        .collect()
}

pub fn parse_participants(table: &[Vec<String>]) -> (Vec<SheetParticipant>, Vec<RowError>) {
    let (mut out, mut errors) = (Vec::new(), Vec::new());
    let header_errors = read_rows(table, &PARTICIPANT_COLUMNS, &mut errors, |r| {
        let training = training_ref(r);
        let nip = r.nip(3);
        if let (Some(training), Some(nip)) = (training, nip) {
            if let Some(first) = out
                .iter()
                .find(|p: &&SheetParticipant| p.training == training && p.nip == nip)
            {
                r.error(3, format!("peserta ini sudah ada di baris {}", first.row));
                return;
            }
            out.push(SheetParticipant {
                row: r.number,
                training,
                nip,
            });
        }
    });
    match header_errors {
        Ok(()) => (out, errors),
        Err(e) => (Vec::new(), e),
    }
}

pub fn parse_attendance(table: &[Vec<String>]) -> (Vec<SheetMark>, Vec<RowError>) {
    let (mut out, mut errors) = (Vec::new(), Vec::new());
    let header_errors = read_rows(table, &ATTENDANCE_COLUMNS, &mut errors, |r| {
        let training = training_ref(r);
        let session = r.read(
            3,
            |t| t.parse::<u32>().ok().filter(|n| *n > 0),
            |t| format!("sesi '{t}' harus nomor sesi (1, 2, …)"),
        );
        let nip = r.nip(5);
        let status = r.read(7, AttendanceStatus::parse, |t| {
            format!("status '{t}' tidak dikenal; isi Hadir, Izin, Sakit atau Alpa")
        });
        let reason = r.optional(8, parse_reason, |t| {
            format!(
                "alasan '{t}' tidak dikenal; isi salah satu: {}",
                AbsenceReason::ALL
                    .iter()
                    .map(|r| r.label())
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        });
        let (Some(training), Some(session), Some(nip), Some(status)) =
            (training, session, nip, status)
        else {
            return;
        };
        if let Some(first) = out
            .iter()
            .find(|m: &&SheetMark| m.training == training && m.session == session && m.nip == nip)
        {
            r.error(
                5,
                format!(
                    "kehadiran pegawai ini di sesi {session} sudah ada di baris {}",
                    first.row
                ),
            );
            return;
        }
        out.push(SheetMark {
            row: r.number,
            training,
            session,
            nip,
            status,
            reason,
            note: r.text(9),
        });
    });
    match header_errors {
        Ok(()) => (out, errors),
        Err(e) => (Vec::new(), e),
    }
}
