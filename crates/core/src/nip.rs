//! NIP (Nomor Induk Pegawai): the 18-digit civil-servant number.
//!
//! Two layouts exist and are told apart by digits 13–14:
//! - PNS/CPNS: birth `YYYYMMDD` + TMT CPNS `YYYYMM` + sex digit + sequence `001–999`
//!   (digits 13–14 are the TMT month, `01–12`);
//! - PPPK: birth `YYYYMMDD` + TMT year `YYYY` + `2` + digit `1–9` + sex digit + sequence
//!   (digits 13–14 are `21–29`).

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use specta::Type;

/// Which of the two NIP layouts a number follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
pub enum NipKind {
    /// PNS and CPNS: the TMT CPNS year and month are encoded.
    Pns,
    /// PPPK: only the TMT year is encoded.
    Pppk,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Type)]
pub enum Sex {
    #[serde(rename = "L")]
    Male,
    #[serde(rename = "P")]
    Female,
}

impl Sex {
    /// The letter used on Indonesian forms: L (laki-laki) or P (perempuan).
    pub fn code(self) -> &'static str {
        match self {
            Sex::Male => "L",
            Sex::Female => "P",
        }
    }

    pub fn parse(s: &str) -> Option<Sex> {
        match s.trim().to_ascii_uppercase().as_str() {
            "L" | "LAKI-LAKI" | "LAKI LAKI" | "PRIA" => Some(Sex::Male),
            "P" | "PEREMPUAN" | "WANITA" => Some(Sex::Female),
            _ => None,
        }
    }
}

/// What a valid NIP says about its holder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct NipInfo {
    pub kind: NipKind,
    /// Birth date, ISO `YYYY-MM-DD`.
    pub birth_date: String,
    /// TMT year (PNS: with month, `YYYY-MM`; PPPK: `YYYY`).
    pub tmt: String,
    pub sex: Sex,
    pub sequence: u16,
}

impl NipInfo {
    pub fn birth(&self) -> NaiveDate {
        NaiveDate::parse_from_str(&self.birth_date, "%Y-%m-%d").expect("validated on parse")
    }

    /// The earliest day the TMT can be: the first of its month (PNS), of its year (PPPK).
    /// `None` only for a `NipInfo` not made by [`parse`].
    pub fn tmt_from(&self) -> Option<NaiveDate> {
        let (year, month) = match self.tmt.split_once('-') {
            Some((y, m)) => (y, m.parse().ok()?),
            None => (self.tmt.as_str(), 1),
        };
        NaiveDate::from_ymd_opt(year.parse().ok()?, month, 1)
    }

    /// Refuses a NIP whose TMT has not come yet on `today`: nobody is registered before they are
    /// appointed, so such a NIP is mistyped.
    pub fn check_tmt_has_come(&self, today: NaiveDate) -> Result<(), NipError> {
        if self.tmt_from().is_some_and(|tmt| tmt > today) {
            return Err(NipError::TmtInFuture {
                tmt: self.tmt.clone(),
            });
        }
        Ok(())
    }
}

/// Why a NIP is not valid. The `Display` text is the Indonesian message shown to users.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NipError {
    #[error("NIP harus terdiri dari 18 digit angka (yang diisi: {0} karakter)")]
    Length(usize),
    #[error("NIP hanya boleh berisi angka")]
    NotDigits,
    #[error("tanggal lahir pada NIP (digit 1–8: {0}) bukan tanggal yang benar")]
    BirthDate(String),
    #[error("TMT CPNS pada NIP (digit 9–14: {0}) bukan bulan yang benar")]
    TmtMonth(String),
    #[error("digit 13–14 NIP ({0}) bukan bulan TMT (01–12) maupun kode PPPK (21–29)")]
    Layout(String),
    #[error("tanggal lahir pada NIP ({birth}) harus sebelum TMT ({tmt})")]
    BirthAfterTmt { birth: String, tmt: String },
    #[error("digit ke-15 NIP (jenis kelamin) harus 1 (laki-laki) atau 2 (perempuan), bukan {0}")]
    SexDigit(char),
    #[error("nomor urut pada NIP (digit 16–18) harus 001–999, bukan 000")]
    Sequence,
    #[error("tahun lahir pada NIP ({0}) tidak masuk akal untuk pegawai ASN")]
    BirthYear(i32),
    #[error("TMT pada NIP ({tmt}) belum tiba; periksa NIP")]
    TmtInFuture { tmt: String },
    #[error("menurut NIP pegawai ini baru berusia {age} tahun saat TMT; usia minimal {min} tahun untuk {kind}")]
    TooYoung {
        age: i32,
        min: i32,
        kind: &'static str,
    },
}

/// The earliest plausible birth year of a serving or recently retired ASN.
const MIN_BIRTH_YEAR: i32 = 1930;
/// The youngest one may be at TMT, in whole years: 18 to become a CPNS (PP 11/2017 Pasal 23
/// ayat (1) huruf a), 20 to be appointed PPPK (PP 49/2018 Pasal 16 huruf a).
const MIN_AGE_PNS: i32 = 18;
const MIN_AGE_PPPK: i32 = 20;

/// Whole years from `birth` to `day`.
fn age_on(birth: NaiveDate, day: NaiveDate) -> i32 {
    let mut age = day.year() - birth.year();
    if (day.month(), day.day()) < (birth.month(), birth.day()) {
        age -= 1;
    }
    age
}

/// Parses and checks a NIP. Spaces are tolerated (NIPs are often printed in groups) but nothing else.
pub fn parse(raw: &str) -> Result<NipInfo, NipError> {
    let nip = normalize(raw);
    if nip.chars().count() != 18 {
        return Err(NipError::Length(nip.chars().count()));
    }
    if !nip.bytes().all(|b| b.is_ascii_digit()) {
        return Err(NipError::NotDigits);
    }
    let num = |from: usize, to: usize| -> u32 { nip[from..to].parse().expect("digits") };

    let birth = NaiveDate::from_ymd_opt(num(0, 4) as i32, num(4, 6), num(6, 8))
        .ok_or_else(|| NipError::BirthDate(nip[0..8].to_string()))?;
    if birth.year() < MIN_BIRTH_YEAR {
        return Err(NipError::BirthYear(birth.year()));
    }
    let marker = num(12, 14);
    let (kind, tmt_first_day, tmt_text) = match marker {
        1..=12 => {
            let first = NaiveDate::from_ymd_opt(num(8, 12) as i32, marker, 1)
                .ok_or_else(|| NipError::TmtMonth(nip[8..14].to_string()))?;
            (NipKind::Pns, first, format!("{}-{:02}", num(8, 12), marker))
        }
        21..=29 => {
            let first = NaiveDate::from_ymd_opt(num(8, 12) as i32, 1, 1)
                .ok_or_else(|| NipError::TmtMonth(nip[8..12].to_string()))?;
            (NipKind::Pppk, first, format!("{}", num(8, 12)))
        }
        0 => return Err(NipError::TmtMonth(nip[8..14].to_string())),
        _ => return Err(NipError::Layout(nip[12..14].to_string())),
    };
    // A PPPK TMT is only a year: the holder must be born before that year begins.
    let born_before = match kind {
        NipKind::Pns => birth < tmt_first_day,
        NipKind::Pppk => birth.year() < tmt_first_day.year(),
    };
    if !born_before {
        return Err(NipError::BirthAfterTmt {
            birth: birth.format("%Y-%m-%d").to_string(),
            tmt: tmt_text,
        });
    }
    // Nobody becomes CPNS below 18 or PPPK below 20: a NIP that says so is mistyped. A PPPK NIP
    // carries only the TMT year, so the age is counted on its last day: nobody is refused who
    // could have been old enough.
    let (age_at_tmt, min, kind_label) = match kind {
        NipKind::Pns => (age_on(birth, tmt_first_day), MIN_AGE_PNS, "PNS/CPNS"),
        NipKind::Pppk => {
            let last_day = tmt_first_day.with_month(12).and_then(|d| d.with_day(31));
            (
                age_on(birth, last_day.unwrap_or(tmt_first_day)),
                MIN_AGE_PPPK,
                "PPPK",
            )
        }
    };
    if age_at_tmt < min {
        return Err(NipError::TooYoung {
            age: age_at_tmt,
            min,
            kind: kind_label,
        });
    }
    let sex = match nip.as_bytes()[14] {
        b'1' => Sex::Male,
        b'2' => Sex::Female,
        other => return Err(NipError::SexDigit(other as char)),
    };
    let sequence = num(15, 18) as u16;
    if sequence == 0 {
        return Err(NipError::Sequence);
    }
    Ok(NipInfo {
        kind,
        birth_date: birth.format("%Y-%m-%d").to_string(),
        tmt: tmt_text,
        sex,
        sequence,
    })
}

/// The NIP as stored: digits only, spaces removed.
pub fn normalize(raw: &str) -> String {
    raw.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Builds a PNS NIP from its parts (used by the demo data and tests).
pub fn compose_pns(birth: NaiveDate, tmt_year: i32, tmt_month: u32, sex: Sex, seq: u16) -> String {
    format!(
        "{}{:04}{:02}{}{:03}",
        birth.format("%Y%m%d"),
        tmt_year,
        tmt_month,
        sex_digit(sex),
        seq
    )
}

/// Builds a PPPK NIP from its parts; `code` is the digit 1–9 after the `2` marker.
pub fn compose_pppk(birth: NaiveDate, tmt_year: i32, code: u8, sex: Sex, seq: u16) -> String {
    format!(
        "{}{:04}2{}{}{:03}",
        birth.format("%Y%m%d"),
        tmt_year,
        code,
        sex_digit(sex),
        seq
    )
}

fn sex_digit(sex: Sex) -> char {
    match sex {
        Sex::Male => '1',
        Sex::Female => '2',
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn valid_pns_nip_is_decoded() {
        let info = parse("198503122010011002").unwrap();
        assert_eq!(info.kind, NipKind::Pns);
        assert_eq!(info.birth_date, "1985-03-12");
        assert_eq!(info.tmt, "2010-01");
        assert_eq!(info.sex, Sex::Male);
        assert_eq!(info.sequence, 2);
    }

    #[test]
    fn spaces_between_groups_are_tolerated() {
        assert_eq!(parse("19850312 201001 1 002").unwrap().sequence, 2);
    }

    #[test]
    fn valid_pppk_nip_is_decoded() {
        let info = parse("199001152022212003").unwrap();
        assert_eq!(info.kind, NipKind::Pppk);
        assert_eq!(info.birth_date, "1990-01-15");
        assert_eq!(info.tmt, "2022");
        assert_eq!(info.sex, Sex::Female);
        assert_eq!(info.sequence, 3);
    }

    #[test]
    fn wrong_length_is_refused() {
        assert_eq!(parse("19850312201001100"), Err(NipError::Length(17)));
        assert_eq!(parse("1985031220100110021"), Err(NipError::Length(19)));
        assert_eq!(parse(""), Err(NipError::Length(0)));
    }

    #[test]
    fn letters_are_refused() {
        assert_eq!(parse("19850312201001100A"), Err(NipError::NotDigits));
    }

    #[test]
    fn impossible_birth_dates_are_refused() {
        // 30 February, month 13, and 29 February in a non-leap year.
        assert!(matches!(
            parse("198502302010011002"),
            Err(NipError::BirthDate(_))
        ));
        assert!(matches!(
            parse("198513012010011002"),
            Err(NipError::BirthDate(_))
        ));
        assert!(matches!(
            parse("198302292010011002"),
            Err(NipError::BirthDate(_))
        ));
        // 29 February in a leap year is real.
        assert!(parse("198402292010011002").is_ok());
    }

    #[test]
    fn impossible_tmt_is_refused() {
        assert!(matches!(
            parse("198503122010001002"),
            Err(NipError::TmtMonth(_))
        ));
        assert!(matches!(
            parse("198503122010131002"),
            Err(NipError::Layout(_))
        ));
        assert!(matches!(
            parse("198503122010301002"),
            Err(NipError::Layout(_))
        ));
        // PPPK marker 2 must be followed by 1–9.
        assert!(matches!(
            parse("199001152022202003"),
            Err(NipError::Layout(_))
        ));
    }

    #[test]
    fn birth_on_or_after_tmt_is_refused() {
        assert!(matches!(
            parse("201005012010051002"),
            Err(NipError::BirthAfterTmt { .. })
        ));
        assert!(matches!(
            parse("201106012010011002"),
            Err(NipError::BirthAfterTmt { .. })
        ));
        // PPPK: born in the TMT year itself is not before it.
        assert!(matches!(
            parse("202203012022212003"),
            Err(NipError::BirthAfterTmt { .. })
        ));
    }

    #[test]
    fn implausible_years_are_refused() {
        assert_eq!(parse("000001012010011002"), Err(NipError::BirthYear(0)));
        assert_eq!(parse("192501012010011002"), Err(NipError::BirthYear(1925)));
        assert_eq!(
            parse("200001012010011002"),
            Err(NipError::TooYoung {
                age: 10,
                min: 18,
                kind: "PNS/CPNS"
            })
        );
    }

    /// PP 11/2017 Pasal 23 ayat (1) huruf a: a CPNS applicant is at least 18; PP 49/2018 Pasal 16
    /// huruf a: a PPPK applicant at least 20. Counted in whole years at TMT.
    #[test]
    fn the_youngest_at_tmt_is_18_for_a_cpns_and_20_for_a_pppk() {
        // Born 1 March 1992, TMT CPNS 1 March 2010: exactly 18.
        assert!(parse("199203012010031002").is_ok());
        // Born 2 March 1992, TMT CPNS 1 March 2010: a day short of 18, in whole years 17.
        assert_eq!(
            parse("199203022010031002"),
            Err(NipError::TooYoung {
                age: 17,
                min: 18,
                kind: "PNS/CPNS"
            })
        );
        // PPPK TMT 2022, only the year known: born 31 December 2002 is 20 on its last day.
        assert!(parse("200212312022211001").is_ok());
        // Born in 2003, 19 at most in 2022.
        assert_eq!(
            parse("200301012022211001"),
            Err(NipError::TooYoung {
                age: 19,
                min: 20,
                kind: "PPPK"
            })
        );
        // 19 is old enough for a CPNS, not for a PPPK.
        assert!(parse("199101012010011002").is_ok());
        assert!(NipError::TooYoung {
            age: 19,
            min: 20,
            kind: "PPPK"
        }
        .to_string()
        .contains("usia minimal 20 tahun untuk PPPK"));
    }

    #[test]
    fn a_tmt_that_has_not_come_is_refused() {
        let today = NaiveDate::from_ymd_opt(2026, 12, 7).unwrap();
        let pns = parse("199203012026121002").unwrap();
        assert_eq!(pns.check_tmt_has_come(today), Ok(()), "TMT 1 December 2026");
        let next_month = parse("199203012027011002").unwrap();
        assert_eq!(
            next_month.check_tmt_has_come(today),
            Err(NipError::TmtInFuture {
                tmt: "2027-01".into()
            })
        );
        let pppk = parse("199203012027211001").unwrap();
        assert!(pppk.check_tmt_has_come(today).is_err());
        assert!(parse("199203012026211001")
            .unwrap()
            .check_tmt_has_come(today)
            .is_ok());
    }

    #[test]
    fn sex_digit_must_be_one_or_two() {
        assert_eq!(parse("198503122010013002"), Err(NipError::SexDigit('3')));
        assert_eq!(parse("198503122010010002"), Err(NipError::SexDigit('0')));
        assert_eq!(parse("199001152022213003"), Err(NipError::SexDigit('3')));
    }

    #[test]
    fn sequence_zero_is_refused() {
        assert_eq!(parse("198503122010011000"), Err(NipError::Sequence));
    }

    #[test]
    fn composed_nips_parse_back() {
        let birth = NaiveDate::from_ymd_opt(1979, 8, 17).unwrap();
        let pns = compose_pns(birth, 2003, 3, Sex::Female, 41);
        assert_eq!(pns, "197908172003032041");
        assert_eq!(parse(&pns).unwrap().kind, NipKind::Pns);
        let pppk = compose_pppk(birth, 2023, 1, Sex::Male, 7);
        assert_eq!(pppk, "197908172023211007");
        assert_eq!(parse(&pppk).unwrap().kind, NipKind::Pppk);
    }

    #[test]
    fn messages_are_indonesian() {
        assert_eq!(
            NipError::Length(17).to_string(),
            "NIP harus terdiri dari 18 digit angka (yang diisi: 17 karakter)"
        );
    }
}
