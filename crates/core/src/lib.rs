//! Pelita's domain: the rules of DESIGN §4 as plain Rust, with no I/O.
//!
//! Everything here is pure — NIP decoding, the official reference lists, the rules of an employee
//! record, an appraisal, a training and a transfer (by domain: `employee/`, `appraisal/`,
//! `training/`, `mutasi`), how every sheet format reads its rows (`columns`), and the demo data —
//! so it compiles in seconds and the store, the CLI, the desktop app and the hub all apply exactly
//! the same rules. Limits: no I/O, no database, no clock (a caller passes "today").
//! Messages meant for people are in Indonesian; identifiers stay English except for domain words
//! without a good English equivalent (`nip`, `golongan`, `jabatan`, `atasan`).

pub mod appraisal;
pub mod attachment;
pub mod auth;
pub mod columns;
pub mod demo;
pub mod employee;
pub mod mutasi;
pub mod nip;
pub mod office;
pub mod ownership;
pub mod reference;
pub mod survey;
pub mod training;

use serde::Serialize;
use specta::Type;

/// The id of a fact two laptops (or a laptop and the hub) may name without meeting: UUIDv5 of its
/// kind and natural key (an employee: their NIP; an appraisal: employee, period and place in the
/// chain), the same everywhere.
pub fn fact_id(kind: &str, parts: &[&str]) -> String {
    let key = format!("pelita/{kind}/{}", parts.join("/"));
    uuid::Uuid::new_v5(&uuid::Uuid::NAMESPACE_OID, key.as_bytes()).to_string()
}

/// A date as Indonesian messages write it: `1 Juli 2026`.
pub fn tanggal(day: chrono::NaiveDate) -> String {
    use chrono::Datelike;
    const BULAN: [&str; 12] = [
        "Januari",
        "Februari",
        "Maret",
        "April",
        "Mei",
        "Juni",
        "Juli",
        "Agustus",
        "September",
        "Oktober",
        "November",
        "Desember",
    ];
    format!(
        "{} {} {}",
        day.day(),
        BULAN[day.month0() as usize],
        day.year()
    )
}

/// `tanggal` of an ISO date (`2026-07-01`), or the text as it is when it is not one.
pub fn tanggal_iso(iso: &str) -> String {
    chrono::NaiveDate::parse_from_str(iso, "%Y-%m-%d").map_or_else(|_| iso.to_string(), tanggal)
}

/// A rule broken by one field of a form or one cell of an import row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct FieldError {
    /// The field key (see [`employee::field`]).
    pub field: String,
    /// What is wrong, in Indonesian.
    pub message: String,
}

impl FieldError {
    pub fn new(field: &str, message: impl Into<String>) -> Self {
        Self {
            field: field.to_string(),
            message: message.into(),
        }
    }
}

/// One or more broken rules; nothing was saved.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", self.errors.iter().map(|e| e.message.as_str()).collect::<Vec<_>>().join("; "))]
pub struct ValidationError {
    pub errors: Vec<FieldError>,
}

impl ValidationError {
    pub fn single(field: &str, message: impl Into<String>) -> Self {
        Self {
            errors: vec![FieldError::new(field, message)],
        }
    }
}
