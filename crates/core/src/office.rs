//! Offices: the five kelurahan of Kecamatan Medan Marelan and the Kantor Camat (the district HQ).

use serde::{Deserialize, Serialize};
use specta::Type;
use uuid::Uuid;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "lowercase")]
pub enum OfficeKind {
    Kelurahan,
    Kecamatan,
}

impl OfficeKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Kelurahan => "kelurahan",
            Self::Kecamatan => "kecamatan",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "kelurahan" => Some(Self::Kelurahan),
            "kecamatan" => Some(Self::Kecamatan),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
pub struct Office {
    pub id: String,
    pub code: String,
    pub name: String,
    pub kind: OfficeKind,
    pub parent_id: Option<String>,
}

/// Namespace for ids derived from natural keys, so every device derives the same id for the same
/// office without talking to the others.
pub const ID_NAMESPACE: Uuid = Uuid::from_u128(0x7a1c_5e0b_2f4d_4c83_9d1e_6b0a_a1f2_c3d4);

pub const HQ_CODE: &str = "KEC-MARELAN";

/// The seeded offices: (code, name, kind). The kecamatan comes first: it is every kelurahan's parent.
pub const SEED: [(&str, &str, OfficeKind); 6] = [
    (HQ_CODE, "Kantor Camat Medan Marelan", OfficeKind::Kecamatan),
    (
        "LABUHAN-DELI",
        "Kelurahan Labuhan Deli",
        OfficeKind::Kelurahan,
    ),
    ("PAYA-PASIR", "Kelurahan Paya Pasir", OfficeKind::Kelurahan),
    (
        "RENGAS-PULAU",
        "Kelurahan Rengas Pulau",
        OfficeKind::Kelurahan,
    ),
    (
        "TANAH-ENAM-RATUS",
        "Kelurahan Tanah Enam Ratus",
        OfficeKind::Kelurahan,
    ),
    ("TERJUN", "Kelurahan Terjun", OfficeKind::Kelurahan),
];

/// The id of an office, derived from its code (UUIDv5).
pub fn office_id(code: &str) -> String {
    Uuid::new_v5(&ID_NAMESPACE, format!("office:{code}").as_bytes()).to_string()
}

/// The seeded offices as records.
pub fn seed_offices() -> Vec<Office> {
    let hq = office_id(HQ_CODE);
    SEED.iter()
        .map(|(code, name, kind)| Office {
            id: office_id(code),
            code: (*code).into(),
            name: (*name).into(),
            kind: *kind,
            parent_id: (*kind == OfficeKind::Kelurahan).then(|| hq.clone()),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn office_ids_are_stable_and_distinct() {
        let offices = seed_offices();
        assert_eq!(offices.len(), 6);
        assert_eq!(office_id("TERJUN"), office_id("TERJUN"));
        let mut ids: Vec<_> = offices.iter().map(|o| o.id.clone()).collect();
        ids.dedup();
        assert_eq!(ids.len(), 6);
        assert!(offices[1..]
            .iter()
            .all(|o| o.parent_id.as_deref() == Some(offices[0].id.as_str())));
    }
}
