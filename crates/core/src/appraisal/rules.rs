//! The performance appraisal (SKP) vocabulary of PermenPANRB 6/2022 (DESIGN §4): periods, the
//! three-level ratings, the predicate matrix, the BerAKHLAK values with their behaviour guides, and
//! capaian per work-result item. Labels are spelled exactly as in the regulation.

use serde::{Deserialize, Serialize};
use specta::Type;

/// An appraisal period within a year.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, Type,
)]
pub enum Period {
    Bulanan,
    #[serde(rename = "Triwulan I")]
    TriwulanI,
    #[serde(rename = "Triwulan II")]
    TriwulanII,
    #[serde(rename = "Triwulan III")]
    TriwulanIII,
    #[serde(rename = "Triwulan IV-Akhir")]
    TriwulanIVAkhir,
    Tahunan,
}

impl Period {
    pub const ALL: [Period; 6] = [
        Self::Bulanan,
        Self::TriwulanI,
        Self::TriwulanII,
        Self::TriwulanIII,
        Self::TriwulanIVAkhir,
        Self::Tahunan,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Self::Bulanan => "Bulanan",
            Self::TriwulanI => "Triwulan I",
            Self::TriwulanII => "Triwulan II",
            Self::TriwulanIII => "Triwulan III",
            Self::TriwulanIVAkhir => "Triwulan IV-Akhir",
            Self::Tahunan => "Tahunan",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|v| v.label().eq_ignore_ascii_case(s.trim()))
    }
}

/// The penilai's rating of Hasil Kerja or of Perilaku Kerja (and of each BerAKHLAK value).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Type)]
pub enum Rating {
    #[serde(rename = "Di Atas Ekspektasi")]
    DiAtas,
    #[serde(rename = "Sesuai Ekspektasi")]
    Sesuai,
    #[serde(rename = "Di Bawah Ekspektasi")]
    DiBawah,
}

impl Rating {
    pub const ALL: [Rating; 3] = [Self::DiAtas, Self::Sesuai, Self::DiBawah];

    pub fn label(self) -> &'static str {
        match self {
            Self::DiAtas => "Di Atas Ekspektasi",
            Self::Sesuai => "Sesuai Ekspektasi",
            Self::DiBawah => "Di Bawah Ekspektasi",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|v| v.label().eq_ignore_ascii_case(s.trim()))
    }
}

/// The appraisal's final predicate.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, Type,
)]
pub enum Predicate {
    #[serde(rename = "Sangat Kurang")]
    SangatKurang,
    #[serde(rename = "Kurang/Misconduct")]
    KurangMisconduct,
    #[serde(rename = "Butuh Perbaikan")]
    ButuhPerbaikan,
    Baik,
    #[serde(rename = "Sangat Baik")]
    SangatBaik,
}

impl Predicate {
    pub const ALL: [Predicate; 5] = [
        Predicate::SangatBaik,
        Predicate::Baik,
        Predicate::ButuhPerbaikan,
        Predicate::KurangMisconduct,
        Predicate::SangatKurang,
    ];

    /// The predicate a stored label names.
    pub fn parse(label: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.label() == label)
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::SangatKurang => "Sangat Kurang",
            Self::KurangMisconduct => "Kurang/Misconduct",
            Self::ButuhPerbaikan => "Butuh Perbaikan",
            Self::Baik => "Baik",
            Self::SangatBaik => "Sangat Baik",
        }
    }

    /// The code the analysis uses: Sangat Kurang 1 … Sangat Baik 5.
    pub fn score(self) -> u8 {
        match self {
            Self::SangatKurang => 1,
            Self::KurangMisconduct => 2,
            Self::ButuhPerbaikan => 3,
            Self::Baik => 4,
            Self::SangatBaik => 5,
        }
    }
}

/// The predicate matrix: Hasil Kerja (rows) × Perilaku Kerja (columns).
/// Whether a synced appraisal row (as laptops and the hub exchange it) is signed: a Final is
/// never replaced by anything but itself, at the hub and on a laptop alike.
pub fn is_signed_row(row: &serde_json::Value) -> bool {
    row.get("status").and_then(|s| s.as_str()) == Some("Final")
}

/// Whether `after` is `before` moved to another office and nothing else (a transfer carries the
/// appraisee's signed appraisals to the receiving office): every field but the owner, the version
/// and the time of the write is the same.
pub fn only_owner_moved(before: &serde_json::Value, after: &serde_json::Value) -> bool {
    const MOVING: [&str; 3] = ["owner_office_id", "version", "updated_at"];
    let (Some(b), Some(a)) = (before.as_object(), after.as_object()) else {
        return false;
    };
    let rest = |m: &serde_json::Map<String, serde_json::Value>| {
        m.iter()
            .filter(|(k, _)| !MOVING.contains(&k.as_str()))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect::<std::collections::BTreeMap<_, _>>()
    };
    rest(b) == rest(a)
}

pub fn predicate(hasil_kerja: Rating, perilaku_kerja: Rating) -> Predicate {
    use Predicate::*;
    use Rating::*;
    match (hasil_kerja, perilaku_kerja) {
        (_, DiBawah) if hasil_kerja != DiBawah => KurangMisconduct,
        (DiBawah, DiBawah) => SangatKurang,
        (DiBawah, _) => ButuhPerbaikan,
        (DiAtas, DiAtas) => SangatBaik,
        (DiAtas | Sesuai, _) => Baik,
    }
}

/// One of the seven BerAKHLAK core values rated in Perilaku Kerja.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Type)]
pub enum CoreValue {
    #[serde(rename = "Berorientasi Pelayanan")]
    BerorientasiPelayanan,
    Akuntabel,
    Kompeten,
    Harmonis,
    Loyal,
    Adaptif,
    Kolaboratif,
}

impl CoreValue {
    pub const ALL: [CoreValue; 7] = [
        Self::BerorientasiPelayanan,
        Self::Akuntabel,
        Self::Kompeten,
        Self::Harmonis,
        Self::Loyal,
        Self::Adaptif,
        Self::Kolaboratif,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Self::BerorientasiPelayanan => "Berorientasi Pelayanan",
            Self::Akuntabel => "Akuntabel",
            Self::Kompeten => "Kompeten",
            Self::Harmonis => "Harmonis",
            Self::Loyal => "Loyal",
            Self::Adaptif => "Adaptif",
            Self::Kolaboratif => "Kolaboratif",
        }
    }

    /// The three behaviour guides (panduan perilaku), UU 20/2023 Pasal 4(2) / SE MenPANRB 20/2021.
    pub fn guides(self) -> [&'static str; 3] {
        match self {
            Self::BerorientasiPelayanan => [
                "memahami dan memenuhi kebutuhan masyarakat",
                "ramah, cekatan, solutif, dan dapat diandalkan",
                "melakukan perbaikan tiada henti",
            ],
            Self::Akuntabel => [
                "melaksanakan tugas dengan jujur, bertanggung jawab, cermat, disiplin, dan berintegritas tinggi",
                "menggunakan kekayaan dan barang milik negara secara bertanggung jawab, efektif, dan efisien",
                "tidak menyalahgunakan kewenangan jabatan",
            ],
            Self::Kompeten => [
                "meningkatkan kompetensi diri untuk menjawab tantangan yang selalu berubah",
                "membantu orang lain belajar",
                "melaksanakan tugas dengan kualitas terbaik",
            ],
            Self::Harmonis => [
                "menghargai setiap orang apapun latar belakangnya",
                "suka menolong orang lain",
                "membangun lingkungan kerja yang kondusif",
            ],
            Self::Loyal => [
                "memegang teguh ideologi Pancasila, UUD 1945, setia kepada NKRI dan pemerintahan yang sah",
                "menjaga nama baik sesama ASN, pimpinan, instansi, dan negara",
                "menjaga rahasia jabatan dan negara",
            ],
            Self::Adaptif => [
                "cepat menyesuaikan diri menghadapi perubahan",
                "terus berinovasi dan mengembangkan kreativitas",
                "bertindak proaktif",
            ],
            Self::Kolaboratif => [
                "memberi kesempatan kepada berbagai pihak untuk berkontribusi",
                "terbuka dalam bekerja sama untuk menghasilkan nilai tambah",
                "menggerakkan pemanfaatan berbagai sumber daya untuk tujuan bersama",
            ],
        }
    }
}

/// The aspect an RHK indicator measures. For `Waktu` and `Biaya` less is better.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Type)]
pub enum Aspect {
    Kuantitas,
    Kualitas,
    Waktu,
    Biaya,
}

impl Aspect {
    pub fn less_is_better(self) -> bool {
        matches!(self, Self::Waktu | Self::Biaya)
    }
}

/// Capaian of one RHK item as a fraction (1.0 = target met exactly): realisasi / target, or
/// target / realisasi where less is better. `None` when it cannot be computed (a zero divisor).
pub fn capaian(aspect: Aspect, target: f64, realisasi: f64) -> Option<f64> {
    let (num, den) = if aspect.less_is_better() {
        (target, realisasi)
    } else {
        (realisasi, target)
    };
    (den > 0.0 && num >= 0.0 && num.is_finite() && den.is_finite()).then(|| num / den)
}

#[cfg(test)]
mod tests {
    use super::*;
    use Predicate::*;
    use Rating::*;

    #[test]
    fn every_cell_of_the_predicate_matrix() {
        // Rows: Hasil Kerja; columns: Perilaku Kerja Di Bawah, Sesuai, Di Atas (DESIGN §4).
        let table = [
            (DiAtas, [KurangMisconduct, Baik, SangatBaik]),
            (Sesuai, [KurangMisconduct, Baik, Baik]),
            (DiBawah, [SangatKurang, ButuhPerbaikan, ButuhPerbaikan]),
        ];
        for (hasil, row) in table {
            for (perilaku, want) in [DiBawah, Sesuai, DiAtas].into_iter().zip(row) {
                assert_eq!(predicate(hasil, perilaku), want, "{hasil:?} × {perilaku:?}");
            }
        }
    }

    #[test]
    fn labels_and_scores_are_the_official_ones() {
        let labels: Vec<_> = [
            SangatBaik,
            Baik,
            ButuhPerbaikan,
            KurangMisconduct,
            SangatKurang,
        ]
        .iter()
        .map(|p| (p.label(), p.score()))
        .collect();
        assert_eq!(
            labels,
            [
                ("Sangat Baik", 5),
                ("Baik", 4),
                ("Butuh Perbaikan", 3),
                ("Kurang/Misconduct", 2),
                ("Sangat Kurang", 1)
            ]
        );
        for p in Period::ALL {
            assert_eq!(Period::parse(p.label()), Some(p));
            assert_eq!(
                serde_json::to_value(p).unwrap(),
                serde_json::json!(p.label())
            );
        }
        for r in Rating::ALL {
            assert_eq!(Rating::parse(r.label()), Some(r));
            assert_eq!(
                serde_json::to_value(r).unwrap(),
                serde_json::json!(r.label())
            );
        }
        assert_eq!(CoreValue::ALL.len(), 7);
        assert!(CoreValue::ALL.iter().all(|v| v.guides().len() == 3));
    }

    #[test]
    fn capaian_follows_the_direction_of_the_indicator() {
        assert_eq!(capaian(Aspect::Kuantitas, 20.0, 25.0), Some(1.25));
        assert_eq!(capaian(Aspect::Kualitas, 100.0, 90.0), Some(0.9));
        // Done in 8 days against a target of 10: better than planned.
        assert_eq!(capaian(Aspect::Waktu, 10.0, 8.0), Some(1.25));
        // Spent 120 against a budget of 100: worse.
        assert_eq!(capaian(Aspect::Biaya, 100.0, 125.0), Some(0.8));
        assert_eq!(capaian(Aspect::Kuantitas, 0.0, 5.0), None);
        assert_eq!(capaian(Aspect::Waktu, 10.0, 0.0), None);
    }
}
