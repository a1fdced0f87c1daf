//! The organisation's own result for a period and the distribution of staff predicates it allows
//! (PermenPANRB 6/2022, pola distribusi predikat kinerja pegawai). Pelita warns when the staff
//! predicates of an office do not fit; it never blocks an appraisal.

use serde::{Deserialize, Serialize};
use specta::Type;

use crate::appraisal::{Predicate, Rating};

/// Predikat kinerja organisasi.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Type)]
pub enum OrgResult {
    Istimewa,
    Baik,
    #[serde(rename = "Butuh Perbaikan")]
    ButuhPerbaikan,
    Kurang,
    #[serde(rename = "Sangat Kurang")]
    SangatKurang,
}

impl OrgResult {
    pub const ALL: [OrgResult; 5] = [
        Self::Istimewa,
        Self::Baik,
        Self::ButuhPerbaikan,
        Self::Kurang,
        Self::SangatKurang,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Self::Istimewa => "Istimewa",
            Self::Baik => "Baik",
            Self::ButuhPerbaikan => "Butuh Perbaikan",
            Self::Kurang => "Kurang",
            Self::SangatKurang => "Sangat Kurang",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|v| v.label().eq_ignore_ascii_case(s.trim()))
    }

    /// The Hasil Kerja rating of the organisation's leader (the Lurah for a kelurahan): by
    /// PermenPANRB 6/2022 it is the organisation's result, Istimewa read as Di Atas Ekspektasi,
    /// Baik as Sesuai Ekspektasi, and Butuh Perbaikan, Kurang and Sangat Kurang as Di Bawah
    /// Ekspektasi.
    pub fn leader_rating(self) -> Rating {
        match self {
            Self::Istimewa => Rating::DiAtas,
            Self::Baik => Rating::Sesuai,
            Self::ButuhPerbaikan | Self::Kurang | Self::SangatKurang => Rating::DiBawah,
        }
    }
}

/// Why the unit leader's appraisal for `period` may not be signed with `hasil_kerja`, given the
/// organisation's result the leader one level up set (`None`: not set yet); `None` when it may.
pub fn leader_rating_refused(
    office_name: &str,
    period: &str,
    org: Option<OrgResult>,
    hasil_kerja: Option<Rating>,
) -> Option<String> {
    let Some(org) = org else {
        return Some(format!(
            "predikat kinerja organisasi {office_name} untuk {period} belum ditetapkan Camat; \
             rating Hasil Kerja pimpinan unit kerja mengikuti predikat itu, jadi tetapkan dulu \
             (menu Penilaian Kinerja → Rekap per kantor)"
        ));
    };
    let due = org.leader_rating();
    (hasil_kerja != Some(due)).then(|| {
        format!(
            "rating Hasil Kerja pimpinan unit kerja harus mengikuti predikat kinerja organisasi \
             {office_name} ({}): {}",
            org.label(),
            due.label()
        )
    })
}

/// How many staff of an office hold each predicate (the appraisals that count, Final only).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Type)]
pub struct PredicateCounts {
    pub sangat_baik: u32,
    pub baik: u32,
    pub butuh_perbaikan: u32,
    pub kurang_misconduct: u32,
    pub sangat_kurang: u32,
}

impl PredicateCounts {
    pub fn add(&mut self, p: Predicate) {
        *match p {
            Predicate::SangatBaik => &mut self.sangat_baik,
            Predicate::Baik => &mut self.baik,
            Predicate::ButuhPerbaikan => &mut self.butuh_perbaikan,
            Predicate::KurangMisconduct => &mut self.kurang_misconduct,
            Predicate::SangatKurang => &mut self.sangat_kurang,
        } += 1;
    }

    pub fn total(&self) -> u32 {
        self.sangat_baik
            + self.baik
            + self.butuh_perbaikan
            + self.kurang_misconduct
            + self.sangat_kurang
    }
}

/// The rules of the distribution the organisation's result allows that `counts` breaks, as
/// Indonesian sentences. Empty when they fit (or when nothing is counted yet).
pub fn distribution_warnings(org: OrgResult, c: &PredicateCounts) -> Vec<String> {
    let total = c.total();
    if total == 0 {
        return Vec::new();
    }
    // Shares compared in whole numbers: n / total <= pct / 100  ⇔  100 n <= pct · total.
    let at_most = |n: u32, pct: u32| 100 * n <= pct * total;
    let at_least = |n: u32, pct: u32| 100 * n >= pct * total;
    let org_label = org.label();
    let mut out = Vec::new();
    let mut rule = |ok: bool, text: &str| {
        if !ok {
            out.push(format!("kinerja organisasi {org_label}: {text}"));
        }
    };
    match org {
        OrgResult::Istimewa => {
            rule(
                at_most(c.sangat_baik, 70),
                "paling banyak 70% pegawai berpredikat Sangat Baik",
            );
        }
        OrgResult::Baik => {
            rule(
                at_most(c.baik, 70),
                "paling banyak 70% pegawai berpredikat Baik",
            );
            rule(
                c.butuh_perbaikan + c.kurang_misconduct > 0,
                "harus ada pegawai berpredikat Butuh Perbaikan atau Kurang/Misconduct",
            );
        }
        OrgResult::ButuhPerbaikan => {
            rule(
                at_least(c.butuh_perbaikan, 60),
                "sedikitnya 60% pegawai berpredikat Butuh Perbaikan",
            );
            rule(
                at_most(c.sangat_baik, 10),
                "paling banyak 10% pegawai berpredikat Sangat Baik",
            );
        }
        OrgResult::Kurang => {
            rule(
                at_least(c.kurang_misconduct, 60),
                "sedikitnya 60% pegawai berpredikat Kurang/Misconduct",
            );
            rule(
                at_least(c.butuh_perbaikan, 10),
                "sedikitnya 10% pegawai berpredikat Butuh Perbaikan",
            );
            rule(
                at_most(c.sangat_baik, 10),
                "paling banyak 10% pegawai berpredikat Sangat Baik",
            );
        }
        OrgResult::SangatKurang => {
            rule(
                at_least(c.sangat_kurang, 60),
                "sedikitnya 60% pegawai berpredikat Sangat Kurang",
            );
            rule(
                at_least(c.kurang_misconduct + c.butuh_perbaikan, 10),
                "sedikitnya 10% pegawai berpredikat Kurang/Misconduct atau Butuh Perbaikan",
            );
            rule(
                c.sangat_baik == 0,
                "tidak boleh ada pegawai berpredikat Sangat Baik",
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn counts(sb: u32, b: u32, bp: u32, k: u32, sk: u32) -> PredicateCounts {
        PredicateCounts {
            sangat_baik: sb,
            baik: b,
            butuh_perbaikan: bp,
            kurang_misconduct: k,
            sangat_kurang: sk,
        }
    }

    #[test]
    fn the_leaders_hasil_kerja_is_the_organisations_result() {
        // PermenPANRB 6/2022: the rating of the unit leader's Hasil Kerja equals the
        // organisation's result set by the leader one level up.
        use OrgResult::*;
        let due: Vec<Rating> = OrgResult::ALL.iter().map(|o| o.leader_rating()).collect();
        assert_eq!(
            due,
            [
                Rating::DiAtas,
                Rating::Sesuai,
                Rating::DiBawah,
                Rating::DiBawah,
                Rating::DiBawah
            ]
        );
        let refused = |org, r| leader_rating_refused("Kelurahan Terjun", "Triwulan I 2026", org, r);
        assert_eq!(refused(Some(Baik), Some(Rating::Sesuai)), None);
        assert_eq!(refused(Some(Kurang), Some(Rating::DiBawah)), None);
        assert!(refused(Some(Baik), Some(Rating::DiAtas)).unwrap().contains(
            "mengikuti predikat kinerja organisasi Kelurahan Terjun (Baik): Sesuai Ekspektasi"
        ));
        assert!(refused(Some(Istimewa), None).is_some());
        assert!(refused(None, Some(Rating::Sesuai))
            .unwrap()
            .contains("Kelurahan Terjun untuk Triwulan I 2026 belum ditetapkan Camat"));
    }

    #[test]
    fn each_rule_warns_exactly_at_its_boundary() {
        use OrgResult::*;
        let n = |org, c: PredicateCounts| distribution_warnings(org, &c).len();
        // Istimewa: 7 of 10 Sangat Baik is allowed, 8 of 10 is not.
        assert_eq!(n(Istimewa, counts(7, 3, 0, 0, 0)), 0);
        assert_eq!(n(Istimewa, counts(8, 2, 0, 0, 0)), 1);
        // Baik: at most 70% Baik and at least one Butuh Perbaikan or Kurang.
        assert_eq!(n(Baik, counts(2, 7, 1, 0, 0)), 0);
        assert_eq!(n(Baik, counts(2, 8, 0, 0, 0)), 2);
        assert_eq!(n(Baik, counts(3, 7, 0, 0, 0)), 1);
        // Butuh Perbaikan: at least 60% BP, Sangat Baik at most 10%.
        assert_eq!(n(ButuhPerbaikan, counts(1, 3, 6, 0, 0)), 0);
        assert_eq!(n(ButuhPerbaikan, counts(2, 3, 5, 0, 0)), 2);
        // Kurang: at least 60% Kurang, at least 10% BP, Sangat Baik at most 10%.
        assert_eq!(n(Kurang, counts(1, 2, 1, 6, 0)), 0);
        assert_eq!(n(Kurang, counts(0, 4, 0, 6, 0)), 1);
        // Sangat Kurang: at least 60% SK, at least 10% Kurang or BP, no Sangat Baik.
        assert_eq!(n(SangatKurang, counts(0, 3, 1, 0, 6)), 0);
        assert_eq!(n(SangatKurang, counts(1, 3, 0, 0, 6)), 2);
        // Nothing counted yet: nothing to warn about.
        assert_eq!(n(Baik, PredicateCounts::default()), 0);
    }

    #[test]
    fn warnings_are_indonesian_and_name_the_organisation_result() {
        let w = distribution_warnings(OrgResult::Baik, &counts(0, 10, 0, 0, 0));
        assert_eq!(
            w,
            [
                "kinerja organisasi Baik: paling banyak 70% pegawai berpredikat Baik",
                "kinerja organisasi Baik: harus ada pegawai berpredikat Butuh Perbaikan atau Kurang/Misconduct"
            ]
        );
        for org in OrgResult::ALL {
            assert_eq!(OrgResult::parse(org.label()), Some(org));
        }
    }
}
