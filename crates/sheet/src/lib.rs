//! Spreadsheet files as tables of strings: `.csv` and `.xlsx` in, `.csv` and `.xlsx` out.
//!
//! This crate knows nothing of employees or trainings; the domain maps columns (see
//! `pelita_core::import`). Every cell is read as text exactly as a person sees it, so a NIP stays
//! an 18-digit string and never turns into a float. Dates in `.xlsx` cells become `YYYY-MM-DD`.

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
}

/// Reads a file's bytes as a table. `name` decides the format.
pub fn read(name: &str, bytes: &[u8]) -> Result<Table, SheetError> {
    match Format::from_name(name)? {
        Format::Csv => read_csv(bytes),
        Format::Xlsx => read_xlsx(bytes),
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

fn read_csv(bytes: &[u8]) -> Result<Table, SheetError> {
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
        table.push(record.iter().map(str::to_string).collect());
    }
    Ok(table)
}

fn read_xlsx(bytes: &[u8]) -> Result<Table, SheetError> {
    let mut book: Xlsx<_> =
        Xlsx::new(Cursor::new(bytes)).map_err(|e| SheetError::Xlsx(e.to_string()))?;
    let range = book
        .worksheet_range_at(0)
        .ok_or(SheetError::NoSheet)?
        .map_err(|e| SheetError::Xlsx(e.to_string()))?;
    // Keep row numbers true to the sheet: pad the rows above the used range.
    let (top, left) = range.start().unwrap_or((0, 0));
    let mut table: Table = vec![Vec::new(); top as usize];
    for row in range.rows() {
        let mut cells = vec![String::new(); left as usize];
        cells.extend(row.iter().map(cell_text));
        table.push(cells);
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
            .write_record(row)
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
