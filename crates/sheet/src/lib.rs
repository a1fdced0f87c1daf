//! Spreadsheet files as tables of strings: `.csv` and `.xlsx` in, `.csv` and `.xlsx` out.
//!
//! This crate knows nothing of employees or trainings; the domain maps columns (see
//! `pelita_core::employee::sheet`). Every cell is read as text exactly as a person sees it, so a NIP stays
//! an 18-digit string and never turns into a float. Dates in `.xlsx` cells become `YYYY-MM-DD`.
//!
//! A spreadsheet is untrusted input: the reader reads cell by cell (never the whole rectangle a
//! far-away cell would span), within [`Limits`], and says where a file goes beyond them. A CSV
//! written here never carries a cell a spreadsheet program would run as a formula: text starting
//! with `=`, `+`, `-`, `@`, a tab or a carriage return gets a leading `'` (as OWASP advises), which
//! reading such a file takes off again.

use std::io::Cursor;
use std::path::Path;

use calamine::{Data, Reader, Xlsx};

/// A table: the first row holds the headers.
pub type Table = Vec<Vec<String>>;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Csv,
    Xlsx,
}

impl Format {
    /// The format a file name asks for, by its extension.
    pub fn from_name(name: &str) -> Result<Format, SheetError> {
        let lower = name.to_ascii_lowercase();
        if lower.ends_with(".csv") {
            Ok(Format::Csv)
        } else if lower.ends_with(".xlsx") {
            Ok(Format::Xlsx)
        } else {
            Err(SheetError::UnknownFormat(name.to_string()))
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum SheetError {
    #[error("format berkas '{0}' tidak didukung; gunakan .xlsx atau .csv")]
    UnknownFormat(String),
    #[error("berkas CSV tidak dapat dibaca pada baris {line}: {reason}")]
    Csv { line: u64, reason: String },
    #[error("berkas CSV harus berupa teks UTF-8 (simpan ulang sebagai 'CSV UTF-8')")]
    NotUtf8,
    #[error("berkas Excel tidak dapat dibaca: {0}")]
    Xlsx(String),
    #[error("berkas Excel tidak berisi lembar kerja")]
    NoSheet,
    #[error("berkas tidak dapat ditulis: {0}")]
    Write(String),
    #[error("berkas terlalu besar untuk dibaca: {0}")]
    TooBig(String),
    #[error("berkas {0} tidak dapat dibaca: {1}")]
    Read(String, String),
}

/// How much of a file the reader takes: far more than an office's register or a training's
/// attendance needs, little enough that a hostile file cannot exhaust an old laptop.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    pub bytes: usize,
    /// What an `.xlsx` says its parts unpack to, together.
    pub unpacked: u64,
    pub rows: usize,
    pub columns: usize,
    pub cells: usize,
}

pub const LIMITS: Limits = Limits {
    bytes: 32 * 1024 * 1024,
    unpacked: 256 * 1024 * 1024,
    rows: 100_000,
    columns: 200,
    cells: 2_000_000,
};

/// A column as spreadsheets name it: A, B, …, Z, AA, …, XFD.
fn column_name(mut c: usize) -> String {
    let mut name = String::new();
    loop {
        name.insert(0, (b'A' + (c % 26) as u8) as char);
        if c < 26 {
            return name;
        }
        c = c / 26 - 1;
    }
}

/// Where a cell is, past the limits: the first place a file goes beyond them.
fn check_place(row: usize, column: usize, limits: &Limits) -> Result<(), SheetError> {
    if row >= limits.rows {
        return Err(SheetError::TooBig(format!(
            "ada isi di baris {}; paling banyak {} baris",
            row + 1,
            limits.rows
        )));
    }
    if column >= limits.columns {
        return Err(SheetError::TooBig(format!(
            "ada isi di kolom {} baris {}; paling banyak {} kolom",
            column_name(column),
            row + 1,
            limits.columns
        )));
    }
    Ok(())
}

fn check_bytes(bytes: &[u8], limits: &Limits) -> Result<(), SheetError> {
    if bytes.len() > limits.bytes {
        return Err(SheetError::TooBig(format!(
            "{} MB; paling besar {} MB",
            bytes.len().div_ceil(1024 * 1024),
            limits.bytes / (1024 * 1024)
        )));
    }
    Ok(())
}

/// The characters that make a spreadsheet program read a text cell as a formula.
const FORMULA_START: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// A cell as a CSV carries it safely: text a spreadsheet would run as a formula gets a leading
/// `'`; a plain number (`-5`, `+3.5`) stays as it is.
pub fn neutralised(cell: &str) -> std::borrow::Cow<'_, str> {
    let risky = cell.starts_with(FORMULA_START) && cell.trim().parse::<f64>().is_err();
    if risky {
        format!("'{cell}").into()
    } else {
        cell.into()
    }
}

/// A cell as written before [`neutralised`].
fn restored(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if rest.starts_with(FORMULA_START) => rest,
        _ => cell,
    }
}

/// The bytes of a spreadsheet file, refused before reading when it is larger than [`LIMITS`]
/// allows.
pub fn file_bytes(path: &Path) -> Result<Vec<u8>, SheetError> {
    let name = path.display().to_string();
    let size = std::fs::metadata(path)
        .map_err(|e| SheetError::Read(name.clone(), e.to_string()))?
        .len();
    if size > LIMITS.bytes as u64 {
        return Err(SheetError::TooBig(format!(
            "{name}: {} MB; paling besar {} MB",
            size.div_ceil(1024 * 1024),
            LIMITS.bytes / (1024 * 1024)
        )));
    }
    std::fs::read(path).map_err(|e| SheetError::Read(name, e.to_string()))
}

/// Reads a file's bytes as a table, within [`LIMITS`]. `name` decides the format.
pub fn read(name: &str, bytes: &[u8]) -> Result<Table, SheetError> {
    read_within(name, bytes, &LIMITS)
}

/// Reads a file's bytes as a table within `limits`.
pub fn read_within(name: &str, bytes: &[u8], limits: &Limits) -> Result<Table, SheetError> {
    check_bytes(bytes, limits)?;
    match Format::from_name(name)? {
        Format::Csv => read_csv(bytes, limits),
        Format::Xlsx => read_xlsx(bytes, limits),
    }
}

/// Writes a table to `path` in the format its extension names.
pub fn write(path: &Path, table: &Table) -> Result<(), SheetError> {
    let bytes = to_bytes(&path.to_string_lossy(), table)?;
    std::fs::write(path, bytes).map_err(|e| SheetError::Write(e.to_string()))
}

/// Renders a table as the bytes of a file of the format `name` asks for.
pub fn to_bytes(name: &str, table: &Table) -> Result<Vec<u8>, SheetError> {
    match Format::from_name(name)? {
        Format::Csv => write_csv(table),
        Format::Xlsx => write_xlsx(table),
    }
}

fn read_csv(bytes: &[u8], limits: &Limits) -> Result<Table, SheetError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = std::str::from_utf8(bytes).map_err(|_| SheetError::NotUtf8)?;
    // Indonesian Excel writes CSV with ';' because ',' is the decimal separator.
    let first_line = text.lines().next().unwrap_or("");
    let delimiter = if first_line.matches(';').count() > first_line.matches(',').count() {
        b';'
    } else {
        b','
    };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let mut table = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| SheetError::Csv {
            line: e.position().map(|p| p.line()).unwrap_or(0),
            reason: e.to_string(),
        })?;
        let cells: Vec<&str> = record.iter().collect();
        if let Some(last) = cells.iter().rposition(|c| !c.is_empty()) {
            check_place(table.len(), last, limits)?;
        } else if table.len() >= limits.rows {
            check_place(table.len(), 0, limits)?;
        }
        table.push(cells.iter().map(|c| restored(c).to_string()).collect());
    }
    Ok(table)
}

/// What the parts of an `.xlsx` (a zip) say they unpack to, together, checked before anything is
/// unpacked: a small file that would unpack to gigabytes is refused.
fn check_unpacked(bytes: &[u8], limits: &Limits) -> Result<(), SheetError> {
    let mut zip =
        zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| SheetError::Xlsx(e.to_string()))?;
    let mut total = 0u64;
    for i in 0..zip.len() {
        let part = zip
            .by_index_raw(i)
            .map_err(|e| SheetError::Xlsx(e.to_string()))?;
        total = total.saturating_add(part.size());
    }
    if total > limits.unpacked {
        return Err(SheetError::TooBig(format!(
            "isinya terurai menjadi {} MB; paling besar {} MB",
            total.div_ceil(1024 * 1024),
            limits.unpacked / (1024 * 1024)
        )));
    }
    Ok(())
}

fn read_xlsx(bytes: &[u8], limits: &Limits) -> Result<Table, SheetError> {
    check_unpacked(bytes, limits)?;
    let mut book: Xlsx<_> =
        Xlsx::new(Cursor::new(bytes)).map_err(|e| SheetError::Xlsx(e.to_string()))?;
    let sheet = book
        .sheet_names()
        .first()
        .cloned()
        .ok_or(SheetError::NoSheet)?;
    let mut cells = book
        .worksheet_cells_reader(&sheet)
        .map_err(|e| SheetError::Xlsx(e.to_string()))?;
    // Cell by cell: only cells with something in them take room, and the row numbers stay true
    // to the sheet (rows above the first are empty rows of the table).
    let mut table: Table = Vec::new();
    let mut count = 0usize;
    while let Some(cell) = cells
        .next_cell()
        .map_err(|e| SheetError::Xlsx(e.to_string()))?
    {
        let text = cell_text(&Data::from(cell.get_value().clone()));
        if text.is_empty() {
            continue;
        }
        let (r, c) = cell.get_position();
        let (r, c) = (r as usize, c as usize);
        check_place(r, c, limits)?;
        count += 1;
        if count > limits.cells {
            return Err(SheetError::TooBig(format!(
                "lebih dari {} sel berisi",
                limits.cells
            )));
        }
        if table.len() <= r {
            table.resize(r + 1, Vec::new());
        }
        let row = &mut table[r];
        if row.len() <= c {
            row.resize(c + 1, String::new());
        }
        row[c] = text;
    }
    // Every row as wide as the widest, as the sheet shows it — within the same bound.
    let width = table.iter().map(Vec::len).max().unwrap_or(0);
    if table.len().saturating_mul(width) > limits.cells {
        return Err(SheetError::TooBig(format!(
            "{} baris × {} kolom; paling banyak {} sel",
            table.len(),
            width,
            limits.cells
        )));
    }
    for row in &mut table {
        row.resize(width, String::new());
    }
    Ok(table)
}

fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Float(f) => f.to_string(),
        Data::Int(i) => i.to_string(),
        Data::Bool(b) => if *b { "Ya" } else { "Tidak" }.to_string(),
        // A time of day alone (a fraction of a day, e.g. a session's 08:00).
        Data::DateTime(d) if (0.0..1.0).contains(&d.as_f64()) => {
            let minutes = (d.as_f64() * 24.0 * 60.0).round() as u32;
            format!("{:02}:{:02}", minutes / 60, minutes % 60)
        }
        Data::DateTime(d) => match d.as_datetime() {
            Some(dt) => dt.format("%Y-%m-%d").to_string(),
            None => d.to_string(),
        },
        Data::DateTimeIso(s) => s.get(..10).unwrap_or(s).to_string(),
        Data::DurationIso(s) => s.clone(),
        Data::Error(e) => format!("#{e:?}"),
    }
}

fn write_csv(table: &Table) -> Result<Vec<u8>, SheetError> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    for row in table {
        writer
            .write_record(row.iter().map(|c| neutralised(c).into_owned()))
            .map_err(|e| SheetError::Write(e.to_string()))?;
    }
    writer
        .into_inner()
        .map_err(|e| SheetError::Write(e.to_string()))
}

fn write_xlsx(table: &Table) -> Result<Vec<u8>, SheetError> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    let bold = rust_xlsxwriter::Format::new().set_bold();
    // Every cell as text, so NIPs keep all 18 digits when opened in Excel.
    let text = rust_xlsxwriter::Format::new().set_num_format("@");
    let err = |e: rust_xlsxwriter::XlsxError| SheetError::Write(e.to_string());
    for (r, row) in table.iter().enumerate() {
        for (c, value) in row.iter().enumerate() {
            let format = if r == 0 { &bold } else { &text };
            sheet
                .write_string_with_format(r as u32, c as u16, value, format)
                .map_err(err)?;
        }
    }
    if let Some(header) = table.first() {
        for (c, h) in header.iter().enumerate() {
            let width = table
                .iter()
                .filter_map(|row| row.get(c))
                .map(|v| v.chars().count())
                .max()
                .unwrap_or(h.len())
                .clamp(8, 45);
            sheet
                .set_column_width(c as u16, width as f64 + 2.0)
                .map_err(err)?;
        }
    }
    book.save_to_buffer().map_err(err)
}

/// Writes titled tables one under another on one worksheet of an `.xlsx` report: the title in
/// bold, the table's header in bold, numbers as numbers (this is for figures, not NIPs).
pub fn write_sections(path: &Path, sections: &[(&str, &Table)]) -> Result<(), SheetError> {
    let name = path.to_string_lossy();
    if Format::from_name(&name)? != Format::Xlsx {
        return Err(SheetError::UnknownFormat(format!(
            "{name} (laporan hanya .xlsx)"
        )));
    }
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    let bold = rust_xlsxwriter::Format::new().set_bold();
    let err = |e: rust_xlsxwriter::XlsxError| SheetError::Write(e.to_string());
    let mut r = 0u32;
    let mut widths: Vec<usize> = Vec::new();
    for (title, table) in sections {
        sheet
            .write_string_with_format(r, 0, *title, &bold)
            .map_err(err)?;
        r += 1;
        for (i, row) in table.iter().enumerate() {
            for (c, value) in row.iter().enumerate() {
                if widths.len() <= c {
                    widths.resize(c + 1, 8);
                }
                widths[c] = widths[c].max(value.chars().count().min(45));
                match value.parse::<f64>() {
                    Ok(number) if i > 0 => sheet.write_number(r, c as u16, number),
                    _ if i == 0 => sheet.write_string_with_format(r, c as u16, value, &bold),
                    _ => sheet.write_string(r, c as u16, value),
                }
                .map_err(err)?;
            }
            r += 1;
        }
        r += 1;
    }
    for (c, w) in widths.iter().enumerate() {
        sheet
            .set_column_width(c as u16, *w as f64 + 2.0)
            .map_err(err)?;
    }
    let bytes = book.save_to_buffer().map_err(err)?;
    std::fs::write(path, bytes).map_err(|e| SheetError::Write(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Table {
        vec![
            vec!["NIP".into(), "Nama".into(), "Catatan".into()],
            vec![
                "198503122010011002".into(),
                "Ahmad, S.Sos.".into(),
                "baris \"dua\"".into(),
            ],
            vec!["199001152022212003".into(), "Rina".into(), String::new()],
        ]
    }

    #[test]
    fn excel_dates_and_times_of_day_read_as_iso_date_and_hh_mm() {
        let mut book = rust_xlsxwriter::Workbook::new();
        let sheet = book.add_worksheet();
        let time = rust_xlsxwriter::Format::new().set_num_format("hh:mm");
        let date = rust_xlsxwriter::Format::new().set_num_format("dd/mm/yyyy");
        let at = |s: &str| rust_xlsxwriter::ExcelDateTime::parse_from_str(s).unwrap();
        sheet.write_string(0, 0, "Tanggal").unwrap();
        sheet.write_string(0, 1, "Jam").unwrap();
        sheet
            .write_datetime_with_format(1, 0, at("2027-03-01"), &date)
            .unwrap();
        sheet
            .write_datetime_with_format(1, 1, at("08:30"), &time)
            .unwrap();
        let bytes = book.save_to_buffer().unwrap();
        let table = read("jadwal.xlsx", &bytes).unwrap();
        assert_eq!(
            table[1],
            vec!["2027-03-01".to_string(), "08:30".to_string()]
        );
    }

    #[test]
    fn a_far_away_cell_is_refused_by_where_it_is_not_read_as_a_whole_rectangle() {
        let far = |also_a1: bool| {
            let mut book = rust_xlsxwriter::Workbook::new();
            let sheet = book.add_worksheet();
            if also_a1 {
                sheet.write_string(0, 0, "NIP").unwrap();
            }
            sheet.write_string(1_048_575, 16_383, "x").unwrap();
            book.save_to_buffer().unwrap()
        };
        for bytes in [far(false), far(true)] {
            let err = read("pegawai.xlsx", &bytes).unwrap_err().to_string();
            assert!(
                err.contains("baris 1048576") && err.contains("terlalu besar"),
                "{err}"
            );
        }
        let mut book = rust_xlsxwriter::Workbook::new();
        let sheet = book.add_worksheet();
        sheet.write_string(0, 0, "NIP").unwrap();
        sheet.write_string(2, 250, "x").unwrap();
        let err = read("pegawai.xlsx", &book.save_to_buffer().unwrap())
            .unwrap_err()
            .to_string();
        assert!(err.contains("kolom IQ baris 3"), "{err}");
        // Within the limits, rows keep their numbers and the rows are as wide as the widest.
        let mut book = rust_xlsxwriter::Workbook::new();
        let sheet = book.add_worksheet();
        sheet.write_string(2, 2, "C3").unwrap();
        sheet.write_string(3, 0, "A4").unwrap();
        let table = read("a.xlsx", &book.save_to_buffer().unwrap()).unwrap();
        assert_eq!(
            table,
            vec![
                vec!["", "", ""],
                vec!["", "", ""],
                vec!["", "", "C3"],
                vec!["A4", "", ""]
            ]
        );
    }

    #[test]
    fn limits_on_bytes_unpacked_size_rows_and_cells_name_what_is_too_big() {
        let small = Limits {
            bytes: 1000,
            unpacked: 1 << 40,
            rows: 3,
            columns: 3,
            cells: 100,
        };
        let long = "a\nb\nc\nd\n".as_bytes();
        let err = read_within("a.csv", long, &small).unwrap_err().to_string();
        assert!(err.contains("baris 4"), "{err}");
        let wide = "a,b,c,d\n".as_bytes();
        let err = read_within("a.csv", wide, &small).unwrap_err().to_string();
        assert!(err.contains("kolom D baris 1"), "{err}");
        let big = vec![b'a'; 2000];
        assert!(read_within("a.csv", &big, &small)
            .unwrap_err()
            .to_string()
            .contains("MB"));
        let xlsx = to_bytes("a.xlsx", &sample()).unwrap();
        let tight = Limits {
            bytes: 1 << 30,
            unpacked: 1000,
            ..small
        };
        let err = read_within("a.xlsx", &xlsx, &tight)
            .unwrap_err()
            .to_string();
        assert!(err.contains("terurai"), "{err}");
        assert_eq!(column_name(0), "A");
        assert_eq!(column_name(25), "Z");
        assert_eq!(column_name(26), "AA");
        assert_eq!(column_name(16_383), "XFD");
    }

    #[test]
    fn a_csv_never_carries_a_formula_and_reads_back_as_it_was() {
        let risky = vec![vec![
            "=2+5".to_string(),
            "+62 812".into(),
            "-x".into(),
            "@SUM(A1)".into(),
            "\tTab".into(),
            "\rCR".into(),
            "-5".into(),
            "+3.5".into(),
            "Budi".into(),
        ]];
        let bytes = to_bytes("a.csv", &risky).unwrap();
        let text = String::from_utf8(bytes.clone()).unwrap();
        for cell in text.trim_end().split(',') {
            let cell = cell.trim_matches('"');
            let runs = cell.starts_with(FORMULA_START) && cell.parse::<f64>().is_err();
            assert!(!runs, "{cell:?} would run as a formula");
        }
        assert!(text.contains("'=2+5") && text.contains(",-5,"), "{text}");
        assert_eq!(read("a.csv", &bytes).unwrap(), risky);
    }

    #[test]
    fn csv_round_trips_quotes_and_commas() {
        let bytes = to_bytes("a.csv", &sample()).unwrap();
        assert_eq!(read("a.csv", &bytes).unwrap(), sample());
    }

    #[test]
    fn xlsx_round_trips_and_keeps_nips_as_text() {
        let bytes = to_bytes("a.xlsx", &sample()).unwrap();
        assert_eq!(read("A.XLSX", &bytes).unwrap(), sample());
    }

    #[test]
    fn semicolon_csv_with_bom_is_read() {
        let bytes = "\u{feff}NIP;Nama\n198503122010011002;Ahmad\n".as_bytes();
        assert_eq!(
            read("x.csv", bytes).unwrap(),
            vec![vec!["NIP", "Nama"], vec!["198503122010011002", "Ahmad"]]
        );
    }

    #[test]
    fn unknown_extension_and_bad_bytes_are_refused_in_indonesian() {
        assert_eq!(
            read("data.ods", b"").unwrap_err().to_string(),
            "format berkas 'data.ods' tidak didukung; gunakan .xlsx atau .csv"
        );
        assert!(matches!(
            read("x.csv", &[0xff, 0xfe, 0x00]),
            Err(SheetError::NotUtf8)
        ));
        assert!(matches!(
            read("x.xlsx", b"not a zip"),
            Err(SheetError::Xlsx(_))
        ));
    }
}
