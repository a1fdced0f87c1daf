//! The period and the people an appraisal names: `PeriodRef` (a year, a period, a month) and
//! `PersonLine` (a person as the document prints them), shared by the appraisal's rows and writes.

use chrono::NaiveDate;
use pelita_core::appraisal::form::{period_label, period_start, AppraisalInput};
use pelita_core::appraisal::Period;
use pelita_core::ValidationError;
use serde::{Deserialize, Serialize};
use specta::Type;

use crate::{EmployeeRow, Result};

/// Which period: a year, a period and (for `Bulanan`) a month.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
pub struct PeriodRef {
    pub year: i32,
    pub period: Period,
    pub month: Option<u32>,
}

impl From<&AppraisalInput> for PeriodRef {
    fn from(doc: &AppraisalInput) -> Self {
        PeriodRef {
            year: doc.year,
            period: doc.period,
            month: doc.month,
        }
    }
}

impl PeriodRef {
    pub fn label(&self) -> String {
        period_label(self.year, self.period, self.month)
    }

    pub(crate) fn start(&self) -> Result<NaiveDate> {
        if self.period != Period::Bulanan && self.month.is_some() {
            return Err(ValidationError::single(
                "month",
                "bulan hanya diisi untuk periode Bulanan",
            )
            .into());
        }
        if !(2000..=2200).contains(&self.year) {
            return Err(ValidationError::single(
                "year",
                format!("tahun {} tidak valid", self.year),
            )
            .into());
        }
        period_start(self.year, self.period, self.month).ok_or_else(|| {
            ValidationError::single("month", "periode Bulanan membutuhkan bulan 1–12").into()
        })
    }

    pub(crate) fn month_column(&self) -> u32 {
        self.month.unwrap_or(0)
    }
}

/// A person as the appraisal document names them.
#[derive(Debug, Clone, Default, Serialize, Deserialize, Type)]
pub struct PersonLine {
    pub name: String,
    pub nip: String,
    /// "Penata Muda (III/a)", or the PPPK golongan.
    pub pangkat_golongan: String,
    pub jabatan: String,
    pub unit_kerja: String,
}

impl From<&EmployeeRow> for PersonLine {
    fn from(e: &EmployeeRow) -> Self {
        PersonLine {
            name: e.display_name.clone(),
            nip: e.nip.clone(),
            pangkat_golongan: match &e.pangkat {
                Some(p) => format!("{p} ({})", e.golongan),
                None => e.golongan.clone(),
            },
            jabatan: e.jabatan.clone(),
            unit_kerja: e.office_name.clone(),
        }
    }
}
