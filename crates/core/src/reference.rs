//! Official reference lists: employment status, golongan/pangkat, jenis jabatan, reasons for leaving
//! the active register, kelurahan positions. Labels are spelled exactly as in the regulations.

use serde::{Deserialize, Serialize};
use specta::Type;

/// Status kepegawaian.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Type)]
pub enum EmploymentStatus {
    #[serde(rename = "PNS")]
    Pns,
    #[serde(rename = "CPNS")]
    Cpns,
    #[serde(rename = "PPPK")]
    Pppk,
}

impl EmploymentStatus {
    pub const ALL: [EmploymentStatus; 3] = [Self::Pns, Self::Cpns, Self::Pppk];

    pub fn label(self) -> &'static str {
        match self {
            Self::Pns => "PNS",
            Self::Cpns => "CPNS",
            Self::Pppk => "PPPK",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|v| v.label().eq_ignore_ascii_case(s.trim()))
    }

    /// PNS and CPNS share the golongan I/a–IV/e and the PNS NIP layout.
    pub fn is_pppk(self) -> bool {
        self == Self::Pppk
    }
}

/// Jenis jabatan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Type)]
pub enum JenisJabatan {
    Struktural,
    Fungsional,
    Pelaksana,
}

impl JenisJabatan {
    pub const ALL: [JenisJabatan; 3] = [Self::Struktural, Self::Fungsional, Self::Pelaksana];

    pub fn label(self) -> &'static str {
        match self {
            Self::Struktural => "Struktural",
            Self::Fungsional => "Fungsional",
            Self::Pelaksana => "Pelaksana",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|v| v.label().eq_ignore_ascii_case(s.trim()))
    }
}

/// Why an employee left the active register of an office.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Type)]
pub enum InactiveReason {
    Mutasi,
    Pensiun,
    #[serde(rename = "Meninggal Dunia")]
    MeninggalDunia,
    Diberhentikan,
    #[serde(rename = "Cuti di Luar Tanggungan Negara")]
    Cltn,
    Lainnya,
}

impl InactiveReason {
    pub const ALL: [InactiveReason; 6] = [
        Self::Mutasi,
        Self::Pensiun,
        Self::MeninggalDunia,
        Self::Diberhentikan,
        Self::Cltn,
        Self::Lainnya,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Self::Mutasi => "Mutasi",
            Self::Pensiun => "Pensiun",
            Self::MeninggalDunia => "Meninggal Dunia",
            Self::Diberhentikan => "Diberhentikan",
            Self::Cltn => "Cuti di Luar Tanggungan Negara",
            Self::Lainnya => "Lainnya",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|v| v.label().eq_ignore_ascii_case(s.trim()))
    }
}

/// PNS golongan/ruang with the pangkat it carries.
pub const GOLONGAN_PNS: [(&str, &str); 17] = [
    ("I/a", "Juru Muda"),
    ("I/b", "Juru Muda Tingkat I"),
    ("I/c", "Juru"),
    ("I/d", "Juru Tingkat I"),
    ("II/a", "Pengatur Muda"),
    ("II/b", "Pengatur Muda Tingkat I"),
    ("II/c", "Pengatur"),
    ("II/d", "Pengatur Tingkat I"),
    ("III/a", "Penata Muda"),
    ("III/b", "Penata Muda Tingkat I"),
    ("III/c", "Penata"),
    ("III/d", "Penata Tingkat I"),
    ("IV/a", "Pembina"),
    ("IV/b", "Pembina Tingkat I"),
    ("IV/c", "Pembina Utama Muda"),
    ("IV/d", "Pembina Utama Madya"),
    ("IV/e", "Pembina Utama"),
];

/// PPPK golongan I–XVII (no pangkat).
pub const GOLONGAN_PPPK: [&str; 17] = [
    "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII", "XIV", "XV",
    "XVI", "XVII",
];

/// The golongan codes valid for a status, in order.
pub fn golongan_for(status: EmploymentStatus) -> Vec<&'static str> {
    if status.is_pppk() {
        GOLONGAN_PPPK.to_vec()
    } else {
        GOLONGAN_PNS.iter().map(|(g, _)| *g).collect()
    }
}

/// Canonical spelling of a golongan code for a status (`iii/a` → `III/a`), if it is one.
pub fn canonical_golongan(status: EmploymentStatus, raw: &str) -> Option<&'static str> {
    let wanted = raw.trim().replace(' ', "");
    golongan_for(status)
        .into_iter()
        .find(|g| g.eq_ignore_ascii_case(&wanted))
}

/// The pangkat of a PNS golongan; PPPK have none.
pub fn pangkat(golongan: &str) -> Option<&'static str> {
    GOLONGAN_PNS
        .iter()
        .find(|(g, _)| *g == golongan)
        .map(|(_, p)| *p)
}

/// Whether `typed` names the pangkat `official` as people write it: case and spacing aside, with
/// "Tk. I", "Tk I" or "Tkt. I" for "Tingkat I" ("Penata Muda Tk. I" is the Penata Muda Tingkat I).
pub fn same_pangkat(official: &str, typed: &str) -> bool {
    fn plain(text: &str) -> String {
        let words: Vec<String> = text
            .split(|c: char| c.is_whitespace() || c == '.')
            .filter(|w| !w.is_empty())
            .map(|w| match w.to_lowercase().as_str() {
                "tk" | "tkt" => "tingkat".to_string(),
                other => other.to_string(),
            })
            .collect();
        words.join(" ")
    }
    plain(official) == plain(typed)
}

/// Default kelurahan positions (configurable later, per DESIGN §4).
pub const KELURAHAN_POSITIONS: [&str; 7] = [
    "Lurah",
    "Sekretaris Lurah",
    "Kasi Pemerintahan",
    "Kasi Ketenteraman dan Ketertiban Umum",
    "Kasi Pembangunan / Pemberdayaan Masyarakat",
    "Kasi Kesejahteraan Sosial",
    "Pelaksana",
];

/// Everything the UI needs to offer the official choices, in one payload.
#[derive(Debug, Clone, Serialize, Type)]
pub struct ReferenceData {
    pub statuses: Vec<EmploymentStatus>,
    pub golongan_pns: Vec<GolonganOption>,
    pub golongan_pppk: Vec<String>,
    pub jenis_jabatan: Vec<JenisJabatan>,
    pub inactive_reasons: Vec<InactiveReason>,
    pub positions: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Type)]
pub struct GolonganOption {
    pub code: String,
    pub pangkat: String,
}

pub fn reference_data() -> ReferenceData {
    ReferenceData {
        statuses: EmploymentStatus::ALL.to_vec(),
        golongan_pns: GOLONGAN_PNS
            .iter()
            .map(|(code, pangkat)| GolonganOption {
                code: (*code).into(),
                pangkat: (*pangkat).into(),
            })
            .collect(),
        golongan_pppk: GOLONGAN_PPPK.iter().map(|g| (*g).into()).collect(),
        jenis_jabatan: JenisJabatan::ALL.to_vec(),
        inactive_reasons: InactiveReason::ALL.to_vec(),
        positions: KELURAHAN_POSITIONS.iter().map(|p| (*p).into()).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn golongan_is_canonicalised_per_status() {
        assert_eq!(
            canonical_golongan(EmploymentStatus::Pns, "iii/a"),
            Some("III/a")
        );
        assert_eq!(
            canonical_golongan(EmploymentStatus::Pns, "III / b"),
            Some("III/b")
        );
        assert_eq!(canonical_golongan(EmploymentStatus::Pns, "IX"), None);
        assert_eq!(canonical_golongan(EmploymentStatus::Pppk, "ix"), Some("IX"));
        assert_eq!(canonical_golongan(EmploymentStatus::Pppk, "III/a"), None);
        assert_eq!(canonical_golongan(EmploymentStatus::Pns, "IV/f"), None);
    }

    #[test]
    fn pangkat_is_recognised_as_people_abbreviate_it() {
        assert!(same_pangkat("Penata Muda Tingkat I", "Penata Muda Tk. I"));
        assert!(same_pangkat("Penata Muda Tingkat I", "penata muda tk I"));
        assert!(same_pangkat("Penata Muda Tingkat I", "Penata Muda Tkt. I"));
        assert!(same_pangkat("Pembina Utama Muda", "Pembina  Utama Muda"));
        assert!(!same_pangkat("Penata Muda Tingkat I", "Penata Muda"));
        assert!(!same_pangkat("Penata Tingkat I", "Penata Muda Tk. I"));
    }

    #[test]
    fn pangkat_follows_golongan() {
        assert_eq!(pangkat("III/a"), Some("Penata Muda"));
        assert_eq!(pangkat("IV/e"), Some("Pembina Utama"));
        assert_eq!(pangkat("I/b"), Some("Juru Muda Tingkat I"));
        assert_eq!(pangkat("IX"), None);
    }
}
