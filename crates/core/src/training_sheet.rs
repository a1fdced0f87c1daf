//! The training spreadsheets (`.xlsx`/`.csv`): the catalogue (one row per session; rows with the
//! same title, owner office and start date are one training), participants (one row per
//! enrolment) and attendance (one row per participant and session). A training is named in a
//! file the way an operator knows it: its title and start date, with the owner office's code when
//! two offices run trainings of the same name on the same day.
//!
//! Only the rules that need no database are checked here; the store resolves the names and runs
//! each record through the same rules as the app, all-or-nothing.

use crate::employee::parse_date;
use crate::import::{map_headers, Column, RowError};
use crate::nip;
use crate::training::{AbsenceReason, AttendanceStatus, Route, SessionInput, TrainingInput};

const fn col(header: &'static str, required: bool) -> Column {
    Column::new(header, required, header)
}

pub const TITLE: &str = "Judul Pelatihan";
pub const START: &str = "Tanggal Mulai";
pub const OWNER: &str = "Kode Kantor Pemilik";
pub const NIP: &str = "NIP";
pub const SESSION: &str = "Sesi Ke";

/// Catalogue columns, in the order Pelita writes them. The first twelve describe the training
/// (repeated on each of its rows), the last three one session.
pub const CATALOGUE_COLUMNS: [Column; 15] = [
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
    col("Tanggal Sesi", true),
    col("Jam Mulai", true),
    col("Jam Selesai", true),
];
const SESSION_CELLS: usize = 12;

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

pub fn headers(columns: &[Column]) -> Vec<String> {
    columns.iter().map(|c| c.header.to_string()).collect()
}

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

/// Reads every non-empty data row through `row_fn(row number, cell)`; header problems stop early.
fn each_row(
    table: &[Vec<String>],
    columns: &[Column],
    mut row_fn: impl FnMut(u32, &dyn Fn(usize) -> String),
) -> Result<(), Vec<RowError>> {
    let position = map_headers(table, columns)?;
    for (index, cells) in table.iter().enumerate().skip(1) {
        if cells.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let cell = |k: usize| -> String {
            position[k]
                .and_then(|i| cells.get(i))
                .map(|s| s.trim().to_string())
                .unwrap_or_default()
        };
        row_fn(index as u32 + 1, &cell);
    }
    Ok(())
}

fn training_ref(
    row: u32,
    cell: &dyn Fn(usize) -> String,
    errors: &mut Vec<RowError>,
) -> Option<TrainingRef> {
    let title = cell(0);
    if title.is_empty() {
        errors.push(RowError::new(row, TITLE, "judul pelatihan wajib diisi"));
    }
    let start = parse_date(&cell(1));
    if start.is_none() {
        errors.push(RowError::new(
            row,
            START,
            format!("tanggal mulai '{}' tidak valid (TTTT-BB-HH)", cell(1)),
        ));
    }
    let owner = cell(2).to_uppercase();
    (!title.is_empty()).then_some(())?;
    Some(TrainingRef {
        title,
        start_date: start?.format("%Y-%m-%d").to_string(),
        owner_code: (!owner.is_empty()).then_some(owner),
    })
}

fn nip_cell(row: u32, text: &str, errors: &mut Vec<RowError>) -> Option<String> {
    let n = nip::normalize(text);
    match nip::parse(&n) {
        Ok(_) => Some(n),
        Err(e) => {
            errors.push(RowError::new(row, NIP, e.to_string()));
            None
        }
    }
}

/// Reads a catalogue file. Every problem is reported; the caller writes nothing if any exists.
pub fn parse_catalogue(table: &[Vec<String>]) -> (Vec<SheetTraining>, Vec<RowError>) {
    let mut out: Vec<SheetTraining> = Vec::new();
    let mut heads: Vec<Vec<String>> = Vec::new();
    let mut errors = Vec::new();
    let header_errors = each_row(table, &CATALOGUE_COLUMNS, |row, cell| {
        let mut err = |k: usize, m: String| {
            errors.push(RowError::new(row, CATALOGUE_COLUMNS[k].header, m));
        };
        let mut head: Vec<String> = (0..SESSION_CELLS).map(cell).collect();
        head[4] = head[4].to_uppercase();
        let (date_text, start_text, end_text) = (cell(12), cell(13), cell(14));
        let session_date = parse_date(&date_text).map(|d| d.format("%Y-%m-%d").to_string());
        if session_date.is_none() {
            err(
                12,
                format!("tanggal sesi '{date_text}' tidak valid (TTTT-BB-HH)"),
            );
        }
        let (start_time, end_time) = (parse_time(&start_text), parse_time(&end_text));
        if start_time.is_none() {
            err(13, format!("jam '{start_text}' tidak valid (JJ:MM)"));
        }
        if end_time.is_none() {
            err(14, format!("jam '{end_text}' tidak valid (JJ:MM)"));
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
                err(
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
        if route.is_none() {
            err(
                2,
                format!(
                    "jalur '{}' tidak dikenal; isi salah satu jalur Peraturan LAN 10/2018, mis. {}",
                    head[2],
                    Route::Teknis.label()
                ),
            );
        }
        if owner.is_empty() {
            err(4, "kode kantor pemilik wajib diisi".into());
        }
        let mut number = |k: usize, default: u32| -> u32 {
            if head[k].is_empty() && default > 0 {
                return default;
            }
            head[k].parse().unwrap_or_else(|_| {
                err(k, format!("'{}' bukan bilangan bulat", head[k]));
                0
            })
        };
        let (jp, capacity, share) = (number(8, 0), number(9, 0), number(11, 100));
        let certificate = yes_no(&head[10]).unwrap_or_else(|| {
            err(10, format!("sertifikat '{}': isi Ya atau Tidak", head[10]));
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
                s.date.clone(),
                s.start_time.clone(),
                s.end_time.clone(),
            ]
        })
        .collect()
}

pub fn parse_participants(table: &[Vec<String>]) -> (Vec<SheetParticipant>, Vec<RowError>) {
    let (mut out, mut errors) = (Vec::new(), Vec::new());
    let header_errors = each_row(table, &PARTICIPANT_COLUMNS, |row, cell| {
        let training = training_ref(row, cell, &mut errors);
        let nip = nip_cell(row, &cell(3), &mut errors);
        if let (Some(training), Some(nip)) = (training, nip) {
            if let Some(first) = out
                .iter()
                .find(|p: &&SheetParticipant| p.training == training && p.nip == nip)
            {
                errors.push(RowError::new(
                    row,
                    NIP,
                    format!("peserta ini sudah ada di baris {}", first.row),
                ));
                return;
            }
            out.push(SheetParticipant { row, training, nip });
        }
    });
    match header_errors {
        Ok(()) => (out, errors),
        Err(e) => (Vec::new(), e),
    }
}

pub fn parse_attendance(table: &[Vec<String>]) -> (Vec<SheetMark>, Vec<RowError>) {
    let (mut out, mut errors) = (Vec::new(), Vec::new());
    let header_errors = each_row(table, &ATTENDANCE_COLUMNS, |row, cell| {
        let training = training_ref(row, cell, &mut errors);
        let session = match cell(3).parse::<u32>() {
            Ok(n) if n > 0 => Some(n),
            _ => {
                errors.push(RowError::new(
                    row,
                    SESSION,
                    format!("sesi '{}' harus nomor sesi (1, 2, …)", cell(3)),
                ));
                None
            }
        };
        let nip = nip_cell(row, &cell(5), &mut errors);
        let status = AttendanceStatus::parse(&cell(7));
        if status.is_none() {
            errors.push(RowError::new(
                row,
                "Status",
                format!(
                    "status '{}' tidak dikenal; isi Hadir, Izin, Sakit atau Alpa",
                    cell(7)
                ),
            ));
        }
        let reason = match cell(8).as_str() {
            "" => None,
            text => {
                let r = parse_reason(text);
                if r.is_none() {
                    errors.push(RowError::new(
                        row,
                        "Alasan",
                        format!(
                            "alasan '{text}' tidak dikenal; isi salah satu: {}",
                            AbsenceReason::ALL
                                .iter()
                                .map(|r| r.label())
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                    ));
                }
                r
            }
        };
        let (Some(training), Some(session), Some(nip), Some(status)) =
            (training, session, nip, status)
        else {
            return;
        };
        if let Some(first) = out
            .iter()
            .find(|m: &&SheetMark| m.training == training && m.session == session && m.nip == nip)
        {
            errors.push(RowError::new(
                row,
                NIP,
                format!(
                    "kehadiran pegawai ini di sesi {session} sudah ada di baris {}",
                    first.row
                ),
            ));
            return;
        }
        out.push(SheetMark {
            row,
            training,
            session,
            nip,
            status,
            reason,
            note: cell(9),
        });
    });
    match header_errors {
        Ok(()) => (out, errors),
        Err(e) => (Vec::new(), e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::table;

    fn catalogue_header() -> Vec<String> {
        headers(&CATALOGUE_COLUMNS)
    }

    #[test]
    fn times_in_the_forms_people_type_and_excel_stores() {
        assert_eq!(parse_time("8:00").as_deref(), Some("08:00"));
        assert_eq!(parse_time("13.30").as_deref(), Some("13:30"));
        assert_eq!(parse_time("0.5").as_deref(), Some("12:00"));
        assert_eq!(parse_time("0.3333333333").as_deref(), Some("08:00"));
        assert_eq!(parse_time("25:00"), None);
        assert_eq!(parse_time("pagi"), None);
    }

    #[test]
    fn reasons_by_full_label_or_first_part() {
        assert_eq!(
            parse_reason("Tugas kantor"),
            Some(AbsenceReason::TugasKantor)
        );
        assert_eq!(
            parse_reason("tugas kantor / beban kerja"),
            Some(AbsenceReason::TugasKantor)
        );
        assert_eq!(parse_reason("beban"), None);
    }

    #[test]
    fn rows_of_one_training_form_one_training_and_an_export_reads_back() {
        let t = TrainingInput {
            title: "Bimtek SIAK".into(),
            theme: "Administrasi Kependudukan".into(),
            route: Route::BimbinganTeknis,
            organiser: "Disdukcapil".into(),
            owner_office_id: String::new(),
            location: "Aula".into(),
            start_date: "2027-12-28".into(),
            end_date: "2028-01-03".into(),
            sessions: vec![
                SessionInput {
                    date: "2027-12-28".into(),
                    start_time: "08:00".into(),
                    end_time: "12:00".into(),
                },
                SessionInput {
                    date: "2028-01-03".into(),
                    start_time: "08:00".into(),
                    end_time: "11:00".into(),
                },
            ],
            jp: 9,
            capacity: 30,
            certificate: true,
            completion_share: 100,
        };
        let mut rows = vec![catalogue_header()];
        rows.extend(catalogue_rows("KEL-RL", &t));
        let (parsed, errors) = parse_catalogue(&rows);
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(parsed.len(), 1);
        assert_eq!(parsed[0].owner_code, "KEL-RL");
        assert_eq!(parsed[0].input, t);
    }

    #[test]
    fn disagreeing_training_cells_and_bad_values_are_reported_by_row_and_column() {
        let h = catalogue_header();
        let h: Vec<&str> = h.iter().map(String::as_str).collect();
        let rows = table(&[
            &h,
            &[
                "Bimtek",
                "Pelayanan Publik",
                "Bimbingan Teknis",
                "",
                "kel-rl",
                "",
                "2027-03-01",
                "2027-03-02",
                "8",
                "20",
                "Ya",
                "",
                "2027-03-01",
                "08:00",
                "12:00",
            ],
            &[
                "Bimtek",
                "Pelayanan Publik",
                "Bimbingan Teknis",
                "",
                "KEL-RL",
                "",
                "2027-03-01",
                "2027-03-02",
                "8",
                "20",
                "Ya",
                "",
                "2027-03-05",
                "08:00",
                "12:00",
            ],
            &[
                "Rapat",
                "Pelayanan Publik",
                "Jalan-jalan",
                "",
                "KEL-RL",
                "",
                "2027-03-01",
                "2027-03-01",
                "x",
                "20",
                "mungkin",
                "",
                "2027-03-01",
                "pagi",
                "12:00",
            ],
            &[
                "Rapat",
                "Pelayanan Publik",
                "Jalan-jalan",
                "",
                "KEL-RL",
                "",
                "2027-03-01",
                "2027-03-01",
                "7",
                "20",
                "mungkin",
                "",
                "2027-03-01",
                "13:00",
                "15:00",
            ],
        ]);
        let (_, errors) = parse_catalogue(&rows);
        let at = |row: u32, column: &str| errors.iter().any(|e| e.row == row && e.column == column);
        assert!(at(5, "JP"), "{errors:?}");
        assert!(!at(5, "Jalur"), "a training's bad cell is reported once");
        assert!(at(4, "Jalur"));
        assert!(at(4, "JP"));
        assert!(at(4, "Sertifikat"));
        assert!(at(4, "Jam Mulai"));
        // The second session of "Bimtek" lies outside its dates: reported at its own row.
        assert!(at(3, "Tanggal Sesi"), "{errors:?}");
    }

    #[test]
    fn attendance_rows_need_a_known_status_and_reason_and_are_not_repeated() {
        let h = headers(&ATTENDANCE_COLUMNS);
        let h: Vec<&str> = h.iter().map(String::as_str).collect();
        let nip = "198503122010011002";
        let rows = table(&[
            &h,
            &[
                "Bimtek",
                "2027-03-01",
                "",
                "1",
                "",
                nip,
                "",
                "Izin",
                "tugas kantor",
                "",
            ],
            &[
                "Bimtek",
                "2027-03-01",
                "",
                "1",
                "",
                nip,
                "",
                "Hadir",
                "",
                "",
            ],
            &[
                "Bimtek",
                "2027-03-01",
                "",
                "0",
                "",
                nip,
                "",
                "Datang",
                "capek",
                "",
            ],
        ]);
        let (marks, errors) = parse_attendance(&rows);
        assert_eq!(marks.len(), 1);
        assert_eq!(marks[0].reason, Some(AbsenceReason::TugasKantor));
        let at = |row: u32, column: &str| errors.iter().any(|e| e.row == row && e.column == column);
        assert!(at(3, NIP));
        assert!(at(4, SESSION));
        assert!(at(4, "Status"));
        assert!(at(4, "Alasan"));
    }

    #[test]
    fn a_participant_named_twice_is_reported_once_at_the_second_row() {
        let h = headers(&PARTICIPANT_COLUMNS);
        let h: Vec<&str> = h.iter().map(String::as_str).collect();
        let nip = "198503122010011002";
        let rows = table(&[
            &h,
            &["Bimtek", "01-03-2027", "kel-rl", nip, ""],
            &["Bimtek", "2027-03-01", "KEL-RL", nip, ""],
            &["", "2027-13-01", "", "123", ""],
        ]);
        let (parts, errors) = parse_participants(&rows);
        assert_eq!(parts.len(), 1);
        assert_eq!(parts[0].training.owner_code.as_deref(), Some("KEL-RL"));
        assert_eq!(parts[0].training.start_date, "2027-03-01");
        let rows_with: Vec<(u32, &str)> =
            errors.iter().map(|e| (e.row, e.column.as_str())).collect();
        assert_eq!(rows_with, vec![(3, NIP), (4, TITLE), (4, START), (4, NIP)]);
    }
}
