//! The employee spreadsheet format: its Indonesian column headers, reading rows into records with
//! row-and-column error reports, and writing records back so that an export re-imports unchanged.
//!
//! Only the rules that need no database are checked here; the store adds the rest (office codes,
//! duplicate NIPs, atasan references and cycles) before it writes anything.

use serde::Serialize;
use specta::Type;

use crate::columns::{read_rows, Column, Row, RowError};
use crate::employee::{field, parse_date, EmployeeInput};
use crate::nip::{self, NipKind, Sex};
use crate::reference::{pangkat, EmploymentStatus, InactiveReason, JenisJabatan};

/// The columns of an employee file, in the order Pelita writes them.
pub const COLUMNS: [Column; 18] = [
    Column::new("NIP", true, field::NIP),
    Column::new("Gelar Depan", false, field::GELAR_DEPAN),
    Column::new("Nama", true, field::NAME),
    Column::new("Gelar Belakang", false, field::GELAR_BELAKANG),
    Column::new("Tanggal Lahir", false, field::BIRTH_DATE),
    Column::new("Jenis Kelamin", false, field::SEX),
    Column::new("Status Kepegawaian", true, field::STATUS),
    Column::new("Golongan", true, field::GOLONGAN),
    Column::new("Pangkat", false, "pangkat"),
    Column::new("Jabatan", true, field::JABATAN),
    Column::new("Jenis Jabatan", true, field::JENIS_JABATAN),
    Column::new("Kode Kantor", true, field::OFFICE),
    Column::new("NIP Atasan Langsung", false, field::ATASAN),
    Column::new("Aktif", false, "active"),
    Column::new("Alasan Nonaktif", false, field::INACTIVE_REASON),
    Column::new("Keterangan", false, "note"),
    Column::new("Awal Perjanjian Kerja", false, field::CONTRACT_START),
    Column::new("Akhir Perjanjian Kerja", false, field::CONTRACT_END),
];

/// The header of the column that holds a field (for error reports).
pub fn header_of(field_key: &str) -> &'static str {
    COLUMNS
        .iter()
        .find(|c| c.field == field_key)
        .map(|c| c.header)
        .unwrap_or("NIP")
}

/// One employee as it stands in a file: references by natural key (office code, atasan NIP).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct EmployeeSheetRow {
    pub nip: String,
    pub gelar_depan: String,
    pub name: String,
    pub gelar_belakang: String,
    pub birth_date: Option<String>,
    pub sex: Option<Sex>,
    pub status: EmploymentStatus,
    pub golongan: String,
    pub jabatan: String,
    pub jenis_jabatan: JenisJabatan,
    pub office_code: String,
    pub atasan_nip: Option<String>,
    pub active: bool,
    pub inactive_reason: Option<InactiveReason>,
    pub note: String,
    /// A PPPK's work contract (ISO dates as written; checked with the record).
    pub contract_start: Option<String>,
    pub contract_end: Option<String>,
}

impl EmployeeSheetRow {
    /// The input to validate once the store has resolved the references to ids.
    pub fn to_input(&self, office_id: String, atasan_id: Option<String>) -> EmployeeInput {
        EmployeeInput {
            nip: self.nip.clone(),
            gelar_depan: self.gelar_depan.clone(),
            name: self.name.clone(),
            gelar_belakang: self.gelar_belakang.clone(),
            birth_date: self.birth_date.clone(),
            sex: self.sex,
            status: self.status,
            golongan: self.golongan.clone(),
            jabatan: self.jabatan.clone(),
            jenis_jabatan: self.jenis_jabatan,
            office_id,
            atasan_id,
            contract_start: self.contract_start.clone(),
            contract_end: self.contract_end.clone(),
        }
    }

    /// The cells of this row, in [`COLUMNS`] order.
    pub fn to_cells(&self) -> Vec<String> {
        vec![
            self.nip.clone(),
            self.gelar_depan.clone(),
            self.name.clone(),
            self.gelar_belakang.clone(),
            self.birth_date.clone().unwrap_or_default(),
            self.sex.map(|s| s.code().to_string()).unwrap_or_default(),
            self.status.label().into(),
            self.golongan.clone(),
            pangkat(&self.golongan).unwrap_or_default().into(),
            self.jabatan.clone(),
            self.jenis_jabatan.label().into(),
            self.office_code.clone(),
            self.atasan_nip.clone().unwrap_or_default(),
            if self.active { "Ya" } else { "Tidak" }.into(),
            self.inactive_reason
                .map(|r| r.label().to_string())
                .unwrap_or_default(),
            self.note.clone(),
            self.contract_start.clone().unwrap_or_default(),
            self.contract_end.clone().unwrap_or_default(),
        ]
    }
}

/// The header row Pelita writes.
pub fn header_cells() -> Vec<String> {
    COLUMNS.iter().map(|c| c.header.to_string()).collect()
}

/// A data row that passed the checks that need no database.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedRow {
    /// Spreadsheet row number (the header is row 1).
    pub row: u32,
    pub record: EmployeeSheetRow,
}

/// Reads a whole table (first row = headers). Every problem is reported; rows with problems are
/// left out of the returned records, so a caller that writes must write nothing if any error exists.
pub fn parse_table(table: &[Vec<String>]) -> (Vec<ParsedRow>, Vec<RowError>) {
    let mut errors = Vec::new();
    let mut parsed = Vec::new();
    let read = read_rows(table, &COLUMNS, &mut errors, |r| {
        if let Some(record) = parse_row(r) {
            parsed.push(ParsedRow {
                row: r.number,
                record,
            });
        }
    });
    match read {
        Ok(()) => (parsed, errors),
        Err(header) => (Vec::new(), header),
    }
}

fn parse_row(r: &mut Row<'_>) -> Option<EmployeeSheetRow> {
    let nip_text = nip::normalize(&r.text(0));
    let status_text = r.text(6);
    let status = EmploymentStatus::parse(&status_text);
    if status.is_none() {
        r.error(
            6,
            if status_text.is_empty() {
                "status kepegawaian wajib diisi (PNS, CPNS, atau PPPK)".to_string()
            } else {
                format!("status '{status_text}' tidak dikenal; isi PNS, CPNS, atau PPPK")
            },
        );
    }
    let jenis_text = r.text(10);
    let jenis = JenisJabatan::parse(&jenis_text);
    if jenis.is_none() {
        r.error(
            10,
            format!("jenis jabatan '{jenis_text}' tidak dikenal; isi Struktural, Fungsional, atau Pelaksana"),
        );
    }
    let sex_text = r.text(5);
    let sex = if sex_text.is_empty() {
        None
    } else {
        let sex = Sex::parse(&sex_text);
        if sex.is_none() {
            r.error(
                5,
                format!("jenis kelamin '{sex_text}' tidak dikenal; isi L atau P"),
            );
        }
        sex
    };
    let active = match r.text(13).to_ascii_lowercase().as_str() {
        "" | "ya" | "aktif" => true,
        "tidak" | "nonaktif" => false,
        other => {
            r.error(
                13,
                format!("isi kolom Aktif dengan Ya atau Tidak, bukan '{other}'"),
            );
            true
        }
    };
    let reason_text = r.text(14);
    let inactive_reason = if reason_text.is_empty() {
        if !active {
            r.error(
                14,
                "pegawai nonaktif harus diberi alasan (Mutasi, Pensiun, ...)",
            );
        }
        None
    } else if active {
        r.error(
            14,
            "alasan nonaktif hanya diisi untuk pegawai yang tidak aktif",
        );
        None
    } else {
        let reason = InactiveReason::parse(&reason_text);
        if reason.is_none() {
            r.error(
                14,
                format!(
                    "alasan '{reason_text}' tidak dikenal; pilih salah satu: {}",
                    InactiveReason::ALL.map(|r| r.label()).join(", ")
                ),
            );
        }
        reason
    };
    let office_code = r.text(11).to_ascii_uppercase();
    if office_code.is_empty() {
        r.error(11, "kode kantor wajib diisi");
    }
    let atasan_nip = Some(nip::normalize(&r.text(12))).filter(|s| !s.is_empty());
    if atasan_nip.as_deref() == Some(nip_text.as_str()) {
        r.error(
            12,
            "pegawai tidak boleh menjadi atasan langsung dirinya sendiri",
        );
    }

    // When the status is unknown, still check the rest against the layout the NIP itself shows,
    // but leave the golongan alone: it cannot be judged without a status.
    let status_known = status.is_some();
    let effective_status = status.unwrap_or_else(|| match nip::parse(&nip_text) {
        Ok(info) if info.kind == NipKind::Pppk => EmploymentStatus::Pppk,
        _ => EmploymentStatus::Pns,
    });
    let record = EmployeeSheetRow {
        nip: nip_text,
        gelar_depan: r.text(1),
        name: r.text(2),
        gelar_belakang: r.text(3),
        birth_date: Some(r.text(4)).filter(|s| !s.is_empty()).map(|s| {
            parse_date(&s)
                .map(|d| d.format("%Y-%m-%d").to_string())
                .unwrap_or_else(|| s.to_string())
        }),
        sex,
        status: effective_status,
        golongan: r.text(7),
        jabatan: r.text(9),
        jenis_jabatan: jenis.unwrap_or(JenisJabatan::Pelaksana),
        office_code,
        atasan_nip,
        active,
        inactive_reason,
        note: r.text(15),
        contract_start: contract_date(r, 16),
        contract_end: contract_date(r, 17),
    };

    // The rules shared with the form; the office is checked by the store, so pass a stand-in id.
    let validated = record.to_input("-".into(), None).validate();
    match &validated {
        Err(v) => {
            for e in &v.errors {
                if e.field == field::GOLONGAN && !status_known {
                    continue;
                }
                let k = COLUMNS.iter().position(|c| c.field == e.field).unwrap_or(0);
                r.error(k, e.message.clone());
            }
        }
        Ok(valid) => {
            let golongan = valid.golongan;
            let pangkat_text = r.text(8);
            if !pangkat_text.is_empty() && pangkat_text != "-" {
                match pangkat(golongan) {
                    Some(p) if crate::reference::same_pangkat(p, &pangkat_text) => {}
                    Some(p) => r.error(
                        8,
                        format!("pangkat '{pangkat_text}' tidak sesuai dengan golongan {golongan} ({p})"),
                    ),
                    None => r.error(8, format!("PPPK tidak memiliki pangkat; kosongkan kolom ini (tertulis '{pangkat_text}')")),
                }
            }
        }
    }

    if r.failed() {
        return None;
    }
    let valid = validated.ok()?;
    Some(EmployeeSheetRow {
        golongan: valid.golongan.to_string(),
        ..record
    })
}

/// A contract date as written (a date a spreadsheet stores as a number, or typed as DD-MM-YYYY,
/// becomes ISO; what is not a date is kept for the record's rules to name).
fn contract_date(r: &mut Row<'_>, k: usize) -> Option<String> {
    Some(r.text(k)).filter(|s| !s.is_empty()).map(|s| {
        parse_date(&s)
            .map(|d| d.format("%Y-%m-%d").to_string())
            .unwrap_or(s)
    })
}

/// A table from string literals, for tests of the file formats.
#[cfg(test)]
pub(crate) fn table(rows: &[&[&str]]) -> Vec<Vec<String>> {
    rows.iter()
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &[&str] = &[
        "NIP",
        "Nama",
        "Status Kepegawaian",
        "Golongan",
        "Jabatan",
        "Jenis Jabatan",
        "Kode Kantor",
    ];

    #[test]
    fn a_good_row_becomes_a_record() {
        let (rows, errors) = parse_table(&table(&[
            HEADER,
            &[
                "19850312 201001 1 002",
                "Ahmad Fauzi",
                "pns",
                "iii/b",
                "Kasi Pemerintahan",
                "struktural",
                "terjun",
            ],
        ]));
        assert_eq!(errors, vec![]);
        assert_eq!(rows.len(), 1);
        let r = &rows[0];
        assert_eq!(r.row, 2);
        assert_eq!(r.record.nip, "198503122010011002");
        assert_eq!(r.record.golongan, "III/b");
        assert_eq!(r.record.office_code, "TERJUN");
        assert!(r.record.active);
    }

    #[test]
    fn errors_name_the_row_and_the_column() {
        let (rows, errors) = parse_table(&table(&[
            HEADER,
            &[
                "198503122010011002",
                "Ahmad Fauzi",
                "PNS",
                "III/b",
                "Kasi",
                "Struktural",
                "TERJUN",
            ],
            &[
                "198502302010011002",
                "Budi",
                "PNS",
                "III/a",
                "Staf",
                "Pelaksana",
                "TERJUN",
            ],
            &["", "", "", "", "", "", ""],
            &[
                "198503122010011003",
                "Citra",
                "Honorer",
                "III/a",
                "Staf",
                "Pelaksana",
                "TERJUN",
            ],
        ]));
        assert_eq!(rows.len(), 1);
        assert_eq!(
            errors,
            vec![
                RowError::new(
                    3,
                    "NIP",
                    "tanggal lahir pada NIP (digit 1–8: 19850230) bukan tanggal yang benar"
                ),
                RowError::new(
                    5,
                    "Status Kepegawaian",
                    "status 'Honorer' tidak dikenal; isi PNS, CPNS, atau PPPK"
                ),
            ]
        );
    }

    #[test]
    fn missing_and_unknown_columns_are_reported_on_the_header_row() {
        let (_, errors) = parse_table(&table(&[&["NIP", "Nama Lengkap"]]));
        let columns: Vec<_> = errors.iter().map(|e| (e.row, e.column.as_str())).collect();
        assert!(columns.contains(&(1, "Nama Lengkap")));
        assert!(columns.contains(&(1, "Nama")));
        assert!(columns.contains(&(1, "Kode Kantor")));
        assert!(errors.iter().all(|e| e.row == 1));
    }

    #[test]
    fn inactive_rows_need_a_known_reason() {
        let mut header = HEADER.to_vec();
        header.extend(["Aktif", "Alasan Nonaktif"]);
        let (rows, errors) = parse_table(&table(&[
            &header,
            &[
                "198503122010011002",
                "A",
                "PNS",
                "III/b",
                "Kasi",
                "Struktural",
                "TERJUN",
                "Tidak",
                "Pensiun",
            ],
            &[
                "198503122010011003",
                "B",
                "PNS",
                "III/b",
                "Kasi",
                "Struktural",
                "TERJUN",
                "Tidak",
                "",
            ],
            &[
                "198503122010011004",
                "C",
                "PNS",
                "III/b",
                "Kasi",
                "Struktural",
                "TERJUN",
                "Ya",
                "Mutasi",
            ],
        ]));
        assert_eq!(rows.len(), 1);
        assert_eq!(
            rows[0].record.inactive_reason,
            Some(InactiveReason::Pensiun)
        );
        assert_eq!(
            errors
                .iter()
                .map(|e| (e.row, e.column.as_str()))
                .collect::<Vec<_>>(),
            vec![(3, "Alasan Nonaktif"), (4, "Alasan Nonaktif")]
        );
    }

    #[test]
    fn pangkat_must_match_golongan_when_given() {
        let mut header = HEADER.to_vec();
        header.push("Pangkat");
        let (_, errors) = parse_table(&table(&[
            &header,
            &[
                "198503122010011002",
                "A",
                "PNS",
                "III/b",
                "Kasi",
                "Struktural",
                "TERJUN",
                "Penata",
            ],
        ]));
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].column, "Pangkat");
        // As registers abbreviate it: "Tk. I" for "Tingkat I".
        let (rows, errors) = parse_table(&table(&[
            &header,
            &[
                "198503122010011002",
                "A",
                "PNS",
                "III/b",
                "Kasi",
                "Struktural",
                "TERJUN",
                "Penata Muda Tk. I",
            ],
        ]));
        assert_eq!((rows.len(), errors.len()), (1, 0), "{errors:?}");
    }

    #[test]
    fn written_cells_parse_back_to_the_same_record() {
        let record = EmployeeSheetRow {
            nip: "199001152022212003".into(),
            gelar_depan: String::new(),
            name: "Rina Sari".into(),
            gelar_belakang: "A.Md.".into(),
            birth_date: Some("1990-01-15".into()),
            sex: Some(Sex::Female),
            status: EmploymentStatus::Pppk,
            golongan: "VII".into(),
            jabatan: "Pengadministrasi Umum".into(),
            jenis_jabatan: JenisJabatan::Pelaksana,
            office_code: "PAYA-PASIR".into(),
            atasan_nip: Some("198503122010011002".into()),
            active: false,
            inactive_reason: Some(InactiveReason::Mutasi),
            note: "pindah ke Medan Labuhan".into(),
            contract_start: Some("2022-03-01".into()),
            contract_end: Some("2027-02-28".into()),
        };
        let (rows, errors) = parse_table(&[header_cells(), record.to_cells()]);
        assert_eq!(errors, vec![]);
        assert_eq!(rows[0].record, record);
    }
}
