//! Reading a spreadsheet as untrusted rows: the columns a format expects, where each stands in
//! the header row, and [`Row`], one data row with typed getters that record a problem at its row
//! and column instead of stopping. Every sheet format (employees, appraisals, the three training
//! files) reads through [`read_rows`], so all of them report problems the same way: every problem
//! at once, by spreadsheet row (the header is row 1) and column header.

use chrono::NaiveDate;
use serde::Serialize;
use specta::Type;

use crate::nip;

/// A column a format expects: its header, whether a file must have it, and the record field it
/// fills (for reporting a rule's error at the column the value came from).
#[derive(Debug, Clone, Copy)]
pub struct Column {
    pub header: &'static str,
    pub required: bool,
    pub field: &'static str,
}

impl Column {
    pub const fn new(header: &'static str, required: bool, field: &'static str) -> Self {
        Self {
            header,
            required,
            field,
        }
    }
}

/// A problem in an import file: where it is (spreadsheet row number, header row = 1) and what it is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct RowError {
    pub row: u32,
    pub column: String,
    pub message: String,
}

impl RowError {
    pub fn new(row: u32, column: &str, message: impl Into<String>) -> Self {
        Self {
            row,
            column: column.to_string(),
            message: message.into(),
        }
    }
}

/// The headers of `columns`, in order (the first row Pelita writes).
pub fn headers(columns: &[Column]) -> Vec<String> {
    columns.iter().map(|c| c.header.to_string()).collect()
}

/// Where each of `columns` stands in the table's header row (first row). Unknown, repeated and
/// missing required headers are reported against row 1.
pub fn map_headers(
    table: &[Vec<String>],
    columns: &[Column],
) -> Result<Vec<Option<usize>>, Vec<RowError>> {
    let Some(header) = table.first() else {
        return Err(vec![RowError::new(
            1,
            "",
            "berkas kosong: baris pertama harus berisi judul kolom",
        )]);
    };
    let mut errors = Vec::new();
    let mut position: Vec<Option<usize>> = vec![None; columns.len()];
    for (i, raw) in header.iter().enumerate() {
        let name = raw.trim();
        if name.is_empty() {
            continue;
        }
        match columns
            .iter()
            .position(|c| c.header.eq_ignore_ascii_case(name))
        {
            Some(k) if position[k].is_some() => errors.push(RowError::new(
                1,
                name,
                format!("kolom '{name}' muncul lebih dari sekali"),
            )),
            Some(k) => position[k] = Some(i),
            None => errors.push(RowError::new(
                1,
                name,
                format!(
                    "kolom '{name}' tidak dikenal; kolom yang dikenal: {}",
                    columns
                        .iter()
                        .map(|c| c.header)
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            )),
        }
    }
    for (k, col) in columns.iter().enumerate() {
        if col.required && position[k].is_none() {
            errors.push(RowError::new(
                1,
                col.header,
                format!("kolom wajib '{}' tidak ada", col.header),
            ));
        }
    }
    if errors.is_empty() {
        Ok(position)
    } else {
        Err(errors)
    }
}

/// One data row being read: its cells by column index (trimmed, empty when the file lacks an
/// optional column) and the problems found in it, recorded with its row number and column header.
pub struct Row<'a> {
    pub number: u32,
    cells: &'a [String],
    position: &'a [Option<usize>],
    columns: &'a [Column],
    errors: &'a mut Vec<RowError>,
    first_error: usize,
}

impl Row<'_> {
    /// The trimmed text of column `k` ("" when empty or absent).
    pub fn text(&self, k: usize) -> String {
        self.position[k]
            .and_then(|i| self.cells.get(i))
            .map(|s| s.trim().to_string())
            .unwrap_or_default()
    }

    /// Records a problem at column `k` of this row.
    pub fn error(&mut self, k: usize, message: impl Into<String>) {
        self.errors
            .push(RowError::new(self.number, self.columns[k].header, message));
    }

    /// Whether any problem has been recorded for this row.
    pub fn failed(&self) -> bool {
        self.errors.len() > self.first_error
    }

    /// Column `k` read by `parse`; when it cannot be, the problem `message(text)` is recorded.
    pub fn read<T>(
        &mut self,
        k: usize,
        parse: impl FnOnce(&str) -> Option<T>,
        message: impl FnOnce(&str) -> String,
    ) -> Option<T> {
        let text = self.text(k);
        let value = parse(&text);
        if value.is_none() {
            self.error(k, message(&text));
        }
        value
    }

    /// As [`Row::read`], but an empty cell is no value and no problem.
    pub fn optional<T>(
        &mut self,
        k: usize,
        parse: impl FnOnce(&str) -> Option<T>,
        message: impl FnOnce(&str) -> String,
    ) -> Option<T> {
        if self.text(k).is_empty() {
            return None;
        }
        self.read(k, parse, message)
    }

    /// A date in column `k` (`TTTT-BB-HH` or `HH/BB/TTTT`); `what` names it in the problem.
    pub fn date(&mut self, k: usize, what: &str) -> Option<NaiveDate> {
        self.read(k, crate::employee::parse_date, |t| {
            format!("{what} '{t}' tidak valid (TTTT-BB-HH)")
        })
    }

    /// A valid NIP in column `k`, normalised (spaces and dots taken out).
    pub fn nip(&mut self, k: usize) -> Option<String> {
        let n = nip::normalize(&self.text(k));
        match nip::parse(&n) {
            Ok(_) => Some(n),
            Err(e) => {
                self.error(k, e.to_string());
                None
            }
        }
    }
}

/// Reads every non-empty data row of `table` (first row = headers) through `each`, recording
/// its problems in `errors`. Header problems stop before any row is read and are returned.
pub fn read_rows(
    table: &[Vec<String>],
    columns: &[Column],
    errors: &mut Vec<RowError>,
    mut each: impl FnMut(&mut Row<'_>),
) -> Result<(), Vec<RowError>> {
    let position = map_headers(table, columns)?;
    for (index, cells) in table.iter().enumerate().skip(1) {
        if cells.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let first_error = errors.len();
        each(&mut Row {
            number: index as u32 + 1,
            cells,
            position: &position,
            columns,
            errors,
            first_error,
        });
    }
    Ok(())
}
