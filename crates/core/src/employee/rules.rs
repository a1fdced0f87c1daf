//! The employee (Pegawai ASN) record and the rules every entry point applies to it.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use specta::Type;

use crate::nip::{self, NipKind, Sex};
use crate::reference::{canonical_golongan, EmploymentStatus, InactiveReason, JenisJabatan};
use crate::{FieldError, ValidationError};

/// What a person submits when adding or editing an employee.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
pub struct EmployeeInput {
    pub nip: String,
    pub gelar_depan: String,
    pub name: String,
    pub gelar_belakang: String,
    /// ISO `YYYY-MM-DD`; when empty it is taken from the NIP.
    pub birth_date: Option<String>,
    /// When empty it is taken from the NIP.
    pub sex: Option<Sex>,
    pub status: EmploymentStatus,
    pub golongan: String,
    pub jabatan: String,
    pub jenis_jabatan: JenisJabatan,
    pub office_id: String,
    pub atasan_id: Option<String>,
    /// A PPPK's work contract (perjanjian kerja), ISO `YYYY-MM-DD`: its JP are counted per
    /// contract year (PP 49/2018 Pasal 40). Empty for PNS and CPNS.
    #[serde(default)]
    pub contract_start: Option<String>,
    #[serde(default)]
    pub contract_end: Option<String>,
}

/// An input that passed every rule that needs no database: normalised and complete.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidEmployee {
    pub nip: String,
    pub gelar_depan: String,
    pub name: String,
    pub gelar_belakang: String,
    pub birth_date: NaiveDate,
    pub sex: Sex,
    pub status: EmploymentStatus,
    pub golongan: &'static str,
    pub jabatan: String,
    pub jenis_jabatan: JenisJabatan,
    pub office_id: String,
    pub atasan_id: Option<String>,
    /// A PPPK's contract, start and end.
    pub contract: Option<(NaiveDate, NaiveDate)>,
}

/// Field keys, shared by the UI (to place messages) and the importer (to name columns).
pub mod field {
    pub const NIP: &str = "nip";
    pub const GELAR_DEPAN: &str = "gelar_depan";
    pub const NAME: &str = "name";
    pub const GELAR_BELAKANG: &str = "gelar_belakang";
    pub const BIRTH_DATE: &str = "birth_date";
    pub const SEX: &str = "sex";
    pub const STATUS: &str = "status";
    pub const GOLONGAN: &str = "golongan";
    pub const JABATAN: &str = "jabatan";
    pub const JENIS_JABATAN: &str = "jenis_jabatan";
    pub const OFFICE: &str = "office_id";
    pub const ATASAN: &str = "atasan_id";
    pub const CONTRACT_START: &str = "contract_start";
    pub const CONTRACT_END: &str = "contract_end";
    pub const INACTIVE_REASON: &str = "inactive_reason";
}

const MAX_NAME: usize = 100;
const MAX_GELAR: usize = 60;
const MAX_JABATAN: usize = 150;

impl EmployeeInput {
    /// Applies every rule of DESIGN §4 that needs no database. All problems are reported at once.
    pub fn validate(&self) -> Result<ValidEmployee, ValidationError> {
        let mut errors = Vec::new();
        let mut push = |field: &str, message: String| errors.push(FieldError::new(field, message));

        let nip_text = nip::normalize(&self.nip);
        let nip_info = match nip::parse(&nip_text) {
            Ok(info) => Some(info),
            Err(e) => {
                push(field::NIP, e.to_string());
                None
            }
        };

        if let Some(info) = &nip_info {
            let wanted = if self.status.is_pppk() {
                NipKind::Pppk
            } else {
                NipKind::Pns
            };
            if info.kind != wanted {
                let msg = match wanted {
                    NipKind::Pppk => {
                        "status PPPK membutuhkan NIP PPPK (digit 13–14 antara 21 dan 29)"
                    }
                    NipKind::Pns => "NIP ini berformat PPPK, tidak cocok dengan status PNS/CPNS",
                };
                push(field::NIP, msg.into());
            }
        }

        let birth_date = match (blank_to_none(self.birth_date.as_deref()), &nip_info) {
            (Some(text), info) => match parse_date(text) {
                Some(date) => {
                    if let Some(info) = info {
                        if info.birth() != date {
                            push(
                                field::BIRTH_DATE,
                                format!(
                                    "tanggal lahir {} tidak sama dengan tanggal lahir pada NIP ({})",
                                    date.format("%Y-%m-%d"),
                                    info.birth_date
                                ),
                            );
                        }
                    }
                    Some(date)
                }
                None => {
                    push(
                        field::BIRTH_DATE,
                        format!("tanggal lahir '{text}' tidak dikenali; tulis sebagai TTTT-BB-HH, misalnya 1985-03-12"),
                    );
                    None
                }
            },
            (None, Some(info)) => Some(info.birth()),
            (None, None) => None,
        };

        let sex = match (self.sex, &nip_info) {
            (Some(sex), Some(info)) if sex != info.sex => {
                push(
                    field::SEX,
                    format!(
                        "jenis kelamin {} tidak sama dengan digit ke-15 NIP ({})",
                        sex.code(),
                        info.sex.code()
                    ),
                );
                Some(sex)
            }
            (Some(sex), _) => Some(sex),
            (None, Some(info)) => Some(info.sex),
            (None, None) => None,
        };

        let name = collapse_spaces(&self.name);
        if name.is_empty() {
            push(field::NAME, "nama wajib diisi".into());
        } else if name.chars().count() > MAX_NAME {
            push(
                field::NAME,
                format!("nama terlalu panjang (maksimal {MAX_NAME} karakter)"),
            );
        } else if name.chars().any(|c| c.is_ascii_digit()) {
            push(field::NAME, "nama tidak boleh berisi angka".into());
        }
        let gelar_depan = collapse_spaces(&self.gelar_depan);
        let gelar_belakang = collapse_spaces(&self.gelar_belakang);
        for (key, value) in [
            (field::GELAR_DEPAN, &gelar_depan),
            (field::GELAR_BELAKANG, &gelar_belakang),
        ] {
            if value.chars().count() > MAX_GELAR {
                push(
                    key,
                    format!("gelar terlalu panjang (maksimal {MAX_GELAR} karakter)"),
                );
            }
        }

        let golongan = canonical_golongan(self.status, &self.golongan);
        if golongan.is_none() {
            let msg = if self.golongan.trim().is_empty() {
                "golongan wajib diisi".to_string()
            } else if self.status.is_pppk() {
                format!(
                    "golongan '{}' tidak ada untuk PPPK (pilih I sampai XVII)",
                    self.golongan.trim()
                )
            } else {
                format!(
                    "golongan '{}' tidak ada untuk {} (pilih I/a sampai IV/e)",
                    self.golongan.trim(),
                    self.status.label()
                )
            };
            push(field::GOLONGAN, msg);
        }

        let jabatan = collapse_spaces(&self.jabatan);
        if jabatan.is_empty() {
            push(field::JABATAN, "jabatan wajib diisi".into());
        } else if jabatan.chars().count() > MAX_JABATAN {
            push(
                field::JABATAN,
                format!("jabatan terlalu panjang (maksimal {MAX_JABATAN} karakter)"),
            );
        }

        if self.office_id.trim().is_empty() {
            push(field::OFFICE, "kantor wajib dipilih".into());
        }
        let atasan_id = blank_to_none(self.atasan_id.as_deref()).map(str::to_string);
        let contract = self.contract(&mut errors);

        if !errors.is_empty() {
            return Err(ValidationError { errors });
        }
        Ok(ValidEmployee {
            nip: nip_text,
            gelar_depan,
            name,
            gelar_belakang,
            birth_date: birth_date.expect("no errors means a birth date"),
            sex: sex.expect("no errors means a sex"),
            status: self.status,
            golongan: golongan.expect("no errors means a golongan"),
            jabatan,
            jenis_jabatan: self.jenis_jabatan,
            office_id: self.office_id.trim().to_string(),
            atasan_id,
            contract,
        })
    }

    /// A PPPK's contract dates: both or neither, the end after the start, none for PNS/CPNS.
    fn contract(&self, errors: &mut Vec<FieldError>) -> Option<(NaiveDate, NaiveDate)> {
        let read = |f: &str, v: Option<&str>, errors: &mut Vec<FieldError>| {
            let text = blank_to_none(v)?;
            let day = NaiveDate::parse_from_str(text, "%Y-%m-%d").ok();
            if day.is_none() {
                errors.push(FieldError::new(
                    f,
                    format!("tanggal '{text}' tidak valid (TTTT-BB-HH)"),
                ));
            }
            day
        };
        let start = read(
            field::CONTRACT_START,
            self.contract_start.as_deref(),
            errors,
        );
        let end = read(field::CONTRACT_END, self.contract_end.as_deref(), errors);
        let given = blank_to_none(self.contract_start.as_deref()).is_some()
            || blank_to_none(self.contract_end.as_deref()).is_some();
        if given && self.status != EmploymentStatus::Pppk {
            errors.push(FieldError::new(
                field::CONTRACT_START,
                "tanggal perjanjian kerja hanya diisi untuk PPPK",
            ));
            return None;
        }
        match (start, end) {
            (Some(s), Some(e)) if e <= s => {
                errors.push(FieldError::new(
                    field::CONTRACT_END,
                    "akhir perjanjian kerja harus sesudah awalnya",
                ));
                None
            }
            (Some(s), Some(e)) => Some((s, e)),
            (Some(_), None) if blank_to_none(self.contract_end.as_deref()).is_none() => {
                errors.push(FieldError::new(
                    field::CONTRACT_END,
                    "isi juga akhir perjanjian kerja",
                ));
                None
            }
            (None, Some(_)) if blank_to_none(self.contract_start.as_deref()).is_none() => {
                errors.push(FieldError::new(
                    field::CONTRACT_START,
                    "isi juga awal perjanjian kerja",
                ));
                None
            }
            _ => None,
        }
    }
}

/// The name as written on letters: `Dr. Siti Aminah, S.Sos., M.Si.`
pub fn display_name(gelar_depan: &str, name: &str, gelar_belakang: &str) -> String {
    let mut out = String::new();
    if !gelar_depan.is_empty() {
        out.push_str(gelar_depan);
        out.push(' ');
    }
    out.push_str(name);
    if !gelar_belakang.is_empty() {
        out.push_str(", ");
        out.push_str(gelar_belakang);
    }
    out
}

/// Leaving the active register: why, and an optional note.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
pub struct Deactivation {
    pub reason: InactiveReason,
    pub note: String,
}

/// Accepts `YYYY-MM-DD` (what Pelita writes) and `DD-MM-YYYY` / `DD/MM/YYYY` (what people type).
pub fn parse_date(text: &str) -> Option<NaiveDate> {
    let text = text.trim();
    ["%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y"]
        .iter()
        .find_map(|f| NaiveDate::parse_from_str(text, f).ok())
}

fn blank_to_none(s: Option<&str>) -> Option<&str> {
    s.map(str::trim).filter(|s| !s.is_empty())
}

fn collapse_spaces(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(crate) fn input() -> EmployeeInput {
        EmployeeInput {
            nip: "198503122010011002".into(),
            gelar_depan: String::new(),
            name: "  Ahmad   Fauzi ".into(),
            gelar_belakang: "S.Sos.".into(),
            birth_date: None,
            sex: None,
            status: EmploymentStatus::Pns,
            golongan: "iii/b".into(),
            jabatan: "Kasi Pemerintahan".into(),
            jenis_jabatan: JenisJabatan::Struktural,
            office_id: "office-1".into(),
            atasan_id: Some("  ".into()),
            contract_start: None,
            contract_end: None,
        }
    }

    fn fields(err: ValidationError) -> Vec<String> {
        err.errors.into_iter().map(|e| e.field).collect()
    }

    #[test]
    fn valid_input_is_normalised_and_completed_from_the_nip() {
        let v = input().validate().unwrap();
        assert_eq!(v.name, "Ahmad Fauzi");
        assert_eq!(v.golongan, "III/b");
        assert_eq!(v.birth_date, NaiveDate::from_ymd_opt(1985, 3, 12).unwrap());
        assert_eq!(v.sex, Sex::Male);
        assert_eq!(v.atasan_id, None);
    }

    #[test]
    fn stated_birth_date_must_match_the_nip() {
        let mut i = input();
        i.birth_date = Some("1985-03-13".into());
        assert_eq!(fields(i.validate().unwrap_err()), vec![field::BIRTH_DATE]);
        i.birth_date = Some("12/03/1985".into());
        assert!(i.validate().is_ok());
    }

    #[test]
    fn stated_sex_must_match_the_nip() {
        let mut i = input();
        i.sex = Some(Sex::Female);
        let err = i.validate().unwrap_err();
        assert_eq!(fields(err.clone()), vec![field::SEX]);
        assert!(err.errors[0].message.contains("digit ke-15"));
    }

    #[test]
    fn status_must_fit_the_nip_layout() {
        let mut i = input();
        i.status = EmploymentStatus::Pppk;
        i.golongan = "IX".into();
        assert_eq!(fields(i.validate().unwrap_err()), vec![field::NIP]);
        i.nip = "199001152022212003".into();
        i.sex = None;
        assert!(i.validate().is_ok());
    }

    #[test]
    fn golongan_must_belong_to_the_status() {
        let mut i = input();
        i.golongan = "IX".into();
        assert_eq!(fields(i.validate().unwrap_err()), vec![field::GOLONGAN]);
        i.golongan = String::new();
        let err = i.validate().unwrap_err();
        assert_eq!(err.errors[0].message, "golongan wajib diisi");
    }

    #[test]
    fn all_problems_are_reported_together() {
        let mut i = input();
        i.nip = "12345".into();
        i.name = " ".into();
        i.jabatan = String::new();
        i.office_id = String::new();
        assert_eq!(
            fields(i.validate().unwrap_err()),
            vec![field::NIP, field::NAME, field::JABATAN, field::OFFICE]
        );
    }

    #[test]
    fn display_name_places_the_gelar() {
        assert_eq!(
            display_name("Dr.", "Siti Aminah", "S.Sos., M.Si."),
            "Dr. Siti Aminah, S.Sos., M.Si."
        );
        assert_eq!(display_name("", "Budi", ""), "Budi");
    }
}
