//! The SKP appraisal document as the penilai fills it in, and its rules: what a draft may hold and
//! what a document must hold before it can be finalised (signed).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use specta::Type;

use crate::appraisal::{capaian, predicate, Aspect, CoreValue, Period, Predicate, Rating};
use crate::{FieldError, ValidationError};

/// Jenis of a work-result item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Type)]
pub enum RhkJenis {
    Utama,
    Tambahan,
}

/// One work-result item (RHK) with its indicator.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
pub struct RhkItem {
    pub jenis: RhkJenis,
    pub indikator: String,
    pub aspek: Aspect,
    pub target: f64,
    /// Empty until the period's result is known.
    pub realisasi: Option<f64>,
    pub satuan: String,
    pub umpan_balik: String,
    /// A qualitative target of the plan, as agreed: then `target` is 100 and `realisasi` the
    /// share of it achieved, in percent. Absent for a quantitative one (and from documents written
    /// before plans were kept, which read as they were).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uraian_target: Option<String>,
}

impl RhkItem {
    /// realisasi / target, in the direction of the indicator (see [`capaian`]).
    pub fn capaian(&self) -> Option<f64> {
        capaian(self.aspek, self.target, self.realisasi?)
    }
}

/// The rating of one BerAKHLAK value, with the leader's specific expectation and feedback.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
pub struct BehaviourRating {
    pub value: CoreValue,
    pub rating: Option<Rating>,
    /// Ekspektasi khusus pimpinan.
    pub ekspektasi: String,
    pub umpan_balik: String,
}

/// An appraisal as entered: whose, which period, the items, the behaviour and both ratings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
pub struct AppraisalInput {
    pub employee_id: String,
    pub year: i32,
    pub period: Period,
    /// 1–12 for a `Bulanan` period, empty otherwise.
    pub month: Option<u32>,
    pub items: Vec<RhkItem>,
    pub behaviour: Vec<BehaviourRating>,
    pub hasil_kerja: Option<Rating>,
    pub perilaku_kerja: Option<Rating>,
}

/// Field keys used in validation errors (`items.2.target`, `behaviour.Akuntabel`, ...).
pub mod field {
    pub const YEAR: &str = "year";
    pub const MONTH: &str = "month";
    pub const ITEMS: &str = "items";
    pub const BEHAVIOUR: &str = "behaviour";
    pub const HASIL_KERJA: &str = "hasil_kerja";
    pub const PERILAKU_KERJA: &str = "perilaku_kerja";
}

/// The first day of a period: the atasan langsung on that day is the penilai for the period.
pub fn period_start(year: i32, period: Period, month: Option<u32>) -> Option<NaiveDate> {
    let m = match period {
        Period::Bulanan => month.filter(|m| (1..=12).contains(m))?,
        Period::TriwulanI | Period::Tahunan => 1,
        Period::TriwulanII => 4,
        Period::TriwulanIII => 7,
        Period::TriwulanIVAkhir => 10,
    };
    NaiveDate::from_ymd_opt(year, m, 1)
}

/// How a period reads in lists and messages: `Triwulan II 2026`, `Bulanan 3/2026`.
pub fn period_label(year: i32, period: Period, month: Option<u32>) -> String {
    match (period, month) {
        (Period::Bulanan, Some(m)) => format!("Bulanan {m}/{year}"),
        _ => format!("{} {year}", period.label()),
    }
}

impl AppraisalInput {
    /// The predicate once both ratings are chosen (shown live, stored with the appraisal).
    pub fn predicate(&self) -> Option<Predicate> {
        Some(predicate(self.hasil_kerja?, self.perilaku_kerja?))
    }

    /// Rules every saved draft obeys: a real period, well-formed items, each value at most once.
    pub fn validate_draft(&self, today: NaiveDate) -> Result<(), ValidationError> {
        let mut errors = Vec::new();
        self.check_shape(today, &mut errors);
        (errors.is_empty())
            .then_some(())
            .ok_or(ValidationError { errors })
    }

    /// Everything a draft obeys, plus what signing needs: at least one `Utama` item, every
    /// realisasi, all seven values rated, both ratings chosen.
    pub fn validate_final(&self, today: NaiveDate) -> Result<(), ValidationError> {
        let mut errors = Vec::new();
        self.check_shape(today, &mut errors);
        let mut push = |f: &str, m: &str| errors.push(FieldError::new(f, m));
        if !self.items.iter().any(|i| i.jenis == RhkJenis::Utama) {
            push(
                field::ITEMS,
                "isi sedikitnya satu Rencana Hasil Kerja utama",
            );
        }
        for (i, item) in self.items.iter().enumerate() {
            if item.realisasi.is_none() {
                push(
                    &format!("items.{i}.realisasi"),
                    "realisasi wajib diisi sebelum final",
                );
            }
        }
        for value in CoreValue::ALL {
            let rated = self
                .behaviour
                .iter()
                .any(|b| b.value == value && b.rating.is_some());
            if !rated {
                push(
                    &format!("{}.{}", field::BEHAVIOUR, value.label()),
                    &format!("nilai perilaku {} wajib dipilih", value.label()),
                );
            }
        }
        if self.hasil_kerja.is_none() {
            push(field::HASIL_KERJA, "pilih rating Hasil Kerja");
        }
        if self.perilaku_kerja.is_none() {
            push(field::PERILAKU_KERJA, "pilih rating Perilaku Kerja");
        }
        (errors.is_empty())
            .then_some(())
            .ok_or(ValidationError { errors })
    }

    fn check_shape(&self, today: NaiveDate, errors: &mut Vec<FieldError>) {
        let mut push = |f: &str, m: String| errors.push(FieldError::new(f, m));
        // SKP under PermenPANRB 6/2022 starts with 2022; nothing is appraised before it began.
        if self.year < 2022 {
            push(
                field::YEAR,
                "tahun penilaian paling awal 2022 (PermenPANRB 6/2022)".into(),
            );
        }
        match (self.period, self.month) {
            (Period::Bulanan, Some(m)) if (1..=12).contains(&m) => {}
            (Period::Bulanan, _) => push(
                field::MONTH,
                "periode Bulanan membutuhkan bulan 1–12".into(),
            ),
            (_, Some(_)) => push(
                field::MONTH,
                "bulan hanya diisi untuk periode Bulanan".into(),
            ),
            _ => {}
        }
        if let Some(start) = period_start(self.year, self.period, self.month) {
            if start > today {
                push(
                    field::YEAR,
                    format!(
                        "periode {} belum dimulai",
                        period_label(self.year, self.period, self.month)
                    ),
                );
            }
        }
        for (i, item) in self.items.iter().enumerate() {
            let key = |name: &str| format!("items.{i}.{name}");
            if item.indikator.trim().is_empty() {
                push(
                    &key("indikator"),
                    format!("indikator RHK ke-{} wajib diisi", i + 1),
                );
            }
            if item.satuan.trim().is_empty() {
                push(
                    &key("satuan"),
                    format!("satuan RHK ke-{} wajib diisi", i + 1),
                );
            }
            if !(item.target.is_finite() && item.target > 0.0) {
                push(
                    &key("target"),
                    format!("target RHK ke-{} harus lebih dari 0", i + 1),
                );
            }
            if item.realisasi.is_some_and(|r| !(r.is_finite() && r >= 0.0)) {
                push(
                    &key("realisasi"),
                    format!("realisasi RHK ke-{} tidak boleh negatif", i + 1),
                );
            }
        }
        for value in CoreValue::ALL {
            if self.behaviour.iter().filter(|b| b.value == value).count() > 1 {
                push(
                    &format!("{}.{}", field::BEHAVIOUR, value.label()),
                    format!("nilai {} tercantum lebih dari sekali", value.label()),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 30).unwrap()
    }

    pub(crate) fn complete() -> AppraisalInput {
        AppraisalInput {
            employee_id: "e".into(),
            year: 2026,
            period: Period::TriwulanIII,
            month: None,
            items: vec![RhkItem {
                jenis: RhkJenis::Utama,
                indikator: "Surat keterangan selesai dalam 1 hari".into(),
                aspek: Aspect::Kuantitas,
                target: 100.0,
                realisasi: Some(110.0),
                satuan: "surat".into(),
                umpan_balik: String::new(),
                uraian_target: None,
            }],
            behaviour: CoreValue::ALL
                .into_iter()
                .map(|value| BehaviourRating {
                    value,
                    rating: Some(Rating::Sesuai),
                    ekspektasi: String::new(),
                    umpan_balik: String::new(),
                })
                .collect(),
            hasil_kerja: Some(Rating::DiAtas),
            perilaku_kerja: Some(Rating::Sesuai),
        }
    }

    fn fields(e: ValidationError) -> Vec<String> {
        e.errors.into_iter().map(|f| f.field).collect()
    }

    #[test]
    fn a_complete_document_is_final_and_has_its_predicate() {
        let a = complete();
        assert_eq!(a.validate_final(today()), Ok(()));
        assert_eq!(a.predicate(), Some(Predicate::Baik));
        assert_eq!(a.items[0].capaian(), Some(1.1));
    }

    #[test]
    fn a_draft_may_be_incomplete_but_not_malformed() {
        let mut a = complete();
        a.items[0].realisasi = None;
        a.behaviour.truncate(3);
        a.hasil_kerja = None;
        assert_eq!(a.validate_draft(today()), Ok(()));
        assert_eq!(a.predicate(), None);
        let missing = fields(a.validate_final(today()).unwrap_err());
        assert!(missing.contains(&"items.0.realisasi".to_string()));
        assert!(missing.contains(&"behaviour.Harmonis".to_string()));
        assert!(missing.contains(&"hasil_kerja".to_string()));
        assert!(!missing.contains(&"behaviour.Akuntabel".to_string()));

        let mut bad = complete();
        bad.items[0].target = 0.0;
        bad.items[0].indikator = " ".into();
        bad.period = Period::Bulanan;
        bad.behaviour.push(bad.behaviour[0].clone());
        assert_eq!(
            fields(bad.validate_draft(today()).unwrap_err()),
            [
                "month",
                "items.0.indikator",
                "items.0.target",
                "behaviour.Berorientasi Pelayanan"
            ]
        );
    }

    #[test]
    fn periods_start_where_the_regulation_says_and_not_in_the_future() {
        let d = |y, m| NaiveDate::from_ymd_opt(y, m, 1);
        assert_eq!(period_start(2026, Period::TriwulanII, None), d(2026, 4));
        assert_eq!(
            period_start(2026, Period::TriwulanIVAkhir, None),
            d(2026, 10)
        );
        assert_eq!(period_start(2026, Period::Bulanan, Some(7)), d(2026, 7));
        assert_eq!(period_start(2026, Period::Bulanan, Some(13)), None);
        let mut next_year = complete();
        next_year.year = 2027;
        next_year.period = Period::TriwulanI;
        assert_eq!(
            fields(next_year.validate_draft(today()).unwrap_err()),
            ["year"]
        );
        assert_eq!(
            period_label(2026, Period::Bulanan, Some(3)),
            "Bulanan 3/2026"
        );
    }
}
