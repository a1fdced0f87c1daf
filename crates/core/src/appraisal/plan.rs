//! Rencana SKP (perencanaan kinerja, PermenPANRB 6/2022): the plan a pegawai and their penilai
//! agree at the start of the year. Each Rencana Hasil Kerja (RHK) carries its indicators — with a
//! quantitative or a qualitative target — and, for a pegawai with an atasan, the atasan's RHK it
//! supports (its *intervensi*): the Lurah's RHK cascade from the Camat's, their staff's from the
//! Lurah's. The periodic appraisal later rates what was agreed here.

use serde::{Deserialize, Serialize};
use specta::Type;

use crate::appraisal::form::{RhkItem, RhkJenis};
use crate::appraisal::Aspect;
use crate::{FieldError, ValidationError};

/// Most RHK a plan holds: a plan is a handful of results, not a task list.
pub const MAX_RHK: usize = 15;
/// Most indicators one RHK holds.
pub const MAX_INDICATORS: usize = 5;

/// What an indicator aims at: a number with its unit, or — where the regulation allows, as for a
/// quality or a service standard — a described target.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
#[serde(tag = "jenis")]
pub enum Target {
    Kuantitatif { nilai: f64, satuan: String },
    Kualitatif { uraian: String },
}

impl Target {
    /// The target as the plan prints it: "90 persen", or the description.
    pub fn text(&self) -> String {
        match self {
            Target::Kuantitatif { nilai, satuan } => format!("{nilai} {satuan}").trim().to_string(),
            Target::Kualitatif { uraian } => uraian.trim().to_string(),
        }
    }
}

/// One indicator of an RHK (indikator kinerja individu) and its target.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
pub struct PlanIndicator {
    pub indikator: String,
    pub aspek: Aspect,
    pub target: Target,
}

/// One Rencana Hasil Kerja.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
pub struct PlanRhk {
    /// Stable within the plan and kept by its revisions, so that the RHK of staff that support it,
    /// its realisasi and the appraisals made from it keep pointing at it.
    pub id: String,
    pub jenis: RhkJenis,
    pub rhk: String,
    /// The id of the atasan's RHK this one supports (intervensi), from the atasan's plan of the
    /// same year; empty for the head of the chain (the Camat's RHK come from the Perjanjian
    /// Kinerja) and allowed empty for an RHK Tambahan.
    pub intervensi: Option<String>,
    pub indicators: Vec<PlanIndicator>,
}

/// A plan as entered: whose, which year, the RHK.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
pub struct PlanInput {
    pub employee_id: String,
    pub year: i32,
    pub items: Vec<PlanRhk>,
}

/// Field keys of a plan's errors: `items`, `items.2.rhk`, `items.2.indicators.0.target`, …
pub mod field {
    pub const YEAR: &str = "year";
    pub const ITEMS: &str = "items";
}

fn item_field(i: usize, rest: &str) -> String {
    format!("{}.{i}.{rest}", field::ITEMS)
}

impl PlanInput {
    /// Every rule that needs nothing but the plan, all problems at once: a draft obeys them too.
    pub fn validate(&self) -> Result<(), ValidationError> {
        let mut errors = Vec::new();
        let mut push = |f: String, m: &str| errors.push(FieldError::new(&f, m));
        if !(2020..=2100).contains(&self.year) {
            push(field::YEAR.into(), "tahun rencana tidak wajar");
        }
        if self.items.is_empty() {
            push(
                field::ITEMS.into(),
                "isi sedikitnya satu Rencana Hasil Kerja",
            );
        }
        if self.items.len() > MAX_RHK {
            push(
                field::ITEMS.into(),
                &format!("paling banyak {MAX_RHK} Rencana Hasil Kerja"),
            );
        }
        if !self.items.is_empty() && !self.items.iter().any(|i| i.jenis == RhkJenis::Utama) {
            push(
                field::ITEMS.into(),
                "isi sedikitnya satu Rencana Hasil Kerja utama",
            );
        }
        for (i, item) in self.items.iter().enumerate() {
            if item.id.trim().is_empty() {
                push(item_field(i, "id"), "RHK tanpa id");
            } else if self.items[..i].iter().any(|o| o.id == item.id) {
                push(item_field(i, "id"), "id RHK ini dipakai dua kali");
            }
            if item.rhk.trim().is_empty() {
                push(
                    item_field(i, "rhk"),
                    "rumusan Rencana Hasil Kerja wajib diisi",
                );
            }
            if item.indicators.is_empty() {
                push(
                    item_field(i, "indicators"),
                    "isi sedikitnya satu indikator kinerja",
                );
            }
            if item.indicators.len() > MAX_INDICATORS {
                push(
                    item_field(i, "indicators"),
                    &format!("paling banyak {MAX_INDICATORS} indikator per RHK"),
                );
            }
            for (k, ind) in item.indicators.iter().enumerate() {
                let at = |rest: &str| item_field(i, &format!("indicators.{k}.{rest}"));
                if ind.indikator.trim().is_empty() {
                    push(at("indikator"), "indikator wajib diisi");
                }
                match &ind.target {
                    Target::Kuantitatif { nilai, satuan } => {
                        if !(nilai.is_finite() && *nilai > 0.0) {
                            push(
                                at("target"),
                                "target kuantitatif harus bilangan lebih dari 0",
                            );
                        }
                        if satuan.trim().is_empty() {
                            push(at("satuan"), "satuan target wajib diisi");
                        }
                    }
                    Target::Kualitatif { uraian } => {
                        if uraian.trim().is_empty() {
                            push(at("target"), "uraikan target kualitatifnya");
                        }
                    }
                }
            }
        }
        (errors.is_empty())
            .then_some(())
            .ok_or(ValidationError { errors })
    }

    /// The cascade, checked against the RHK of the atasan's plan of the same year (`None`: the
    /// pegawai heads the chain — no atasan in Pelita — so their RHK support nobody's). Every RHK
    /// Utama of a pegawai with an atasan supports one of the atasan's RHK; an RHK Tambahan may; a
    /// link names an RHK the atasan's plan holds. Checked when a plan is signed, and when a draft
    /// is saved for the links it already names.
    pub fn check_intervensi(
        &self,
        atasan_rhk: Option<&[String]>,
        signing: bool,
    ) -> Result<(), ValidationError> {
        let mut errors = Vec::new();
        for (i, item) in self.items.iter().enumerate() {
            let link = item.intervensi.as_deref().filter(|l| !l.trim().is_empty());
            match (atasan_rhk, link) {
                (None, Some(_)) => errors.push(FieldError::new(
                    &item_field(i, "intervensi"),
                    "pegawai ini tidak mempunyai atasan langsung di Pelita; RHK-nya tidak \
                     mengintervensi RHK siapa pun",
                )),
                (Some(ids), Some(l)) if !ids.iter().any(|id| id == l) => {
                    errors.push(FieldError::new(
                        &item_field(i, "intervensi"),
                        "RHK atasan yang dipilih tidak ada pada Rencana SKP atasan tahun ini",
                    ))
                }
                (Some(_), None) if signing && item.jenis == RhkJenis::Utama => {
                    errors.push(FieldError::new(
                        &item_field(i, "intervensi"),
                        "RHK utama harus mengintervensi salah satu RHK atasan langsung",
                    ))
                }
                _ => {}
            }
        }
        (errors.is_empty())
            .then_some(())
            .ok_or(ValidationError { errors })
    }
}

impl PlanInput {
    /// The work-result items a periodic appraisal of this plan starts from: one per indicator,
    /// named by its RHK, with the agreed target; a qualitative target becomes 100 "persen" with
    /// its description kept (the realisasi is the share of it achieved). The realisasi and the
    /// feedback are the penilai's to fill.
    pub fn appraisal_items(&self) -> Vec<RhkItem> {
        self.items
            .iter()
            .flat_map(|rhk| {
                rhk.indicators.iter().map(move |ind| {
                    // A described target is rated as the share of it achieved: more is better,
                    // whatever aspect it was written under.
                    let (target, satuan, uraian, aspek) = match &ind.target {
                        Target::Kuantitatif { nilai, satuan } => {
                            (*nilai, satuan.clone(), None, ind.aspek)
                        }
                        Target::Kualitatif { uraian } => (
                            100.0,
                            "persen".to_string(),
                            Some(uraian.clone()),
                            Aspect::Kualitas,
                        ),
                    };
                    RhkItem {
                        jenis: rhk.jenis,
                        indikator: format!("{} — {}", rhk.rhk.trim(), ind.indikator.trim()),
                        aspek,
                        target,
                        realisasi: None,
                        satuan,
                        umpan_balik: String::new(),
                        uraian_target: uraian,
                    }
                })
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rhk(id: &str, jenis: RhkJenis, intervensi: Option<&str>, target: Target) -> PlanRhk {
        PlanRhk {
            id: id.into(),
            jenis,
            rhk: "Meningkatnya kualitas layanan administrasi kelurahan".into(),
            intervensi: intervensi.map(str::to_string),
            indicators: vec![PlanIndicator {
                indikator: "Persentase surat keterangan selesai dalam 1 hari".into(),
                aspek: Aspect::Kuantitas,
                target,
            }],
        }
    }

    fn plan(items: Vec<PlanRhk>) -> PlanInput {
        PlanInput {
            employee_id: "e".into(),
            year: 2026,
            items,
        }
    }

    fn fields(r: Result<(), ValidationError>) -> Vec<String> {
        r.err()
            .map(|v| v.errors.into_iter().map(|e| e.field).collect())
            .unwrap_or_default()
    }

    fn number(n: f64) -> Target {
        Target::Kuantitatif {
            nilai: n,
            satuan: "persen".into(),
        }
    }

    #[test]
    fn a_target_may_be_a_number_or_a_description_but_never_empty() {
        // PermenPANRB 6/2022 lets an indicator be qualitative: no number is required of it.
        let qualitative = Target::Kualitatif {
            uraian: "Layanan sesuai standar pelayanan tanpa pengaduan".into(),
        };
        let ok = plan(vec![
            rhk("a", RhkJenis::Utama, None, number(90.0)),
            rhk("b", RhkJenis::Tambahan, None, qualitative),
        ]);
        assert_eq!(ok.validate(), Ok(()));
        assert_eq!(ok.items[0].indicators[0].target.text(), "90 persen");
        let bad = plan(vec![
            rhk("a", RhkJenis::Utama, None, number(0.0)),
            rhk(
                "b",
                RhkJenis::Tambahan,
                None,
                Target::Kualitatif { uraian: " ".into() },
            ),
            rhk("b", RhkJenis::Tambahan, None, number(f64::NAN)),
        ]);
        assert_eq!(
            fields(bad.validate()),
            [
                "items.0.indicators.0.target",
                "items.1.indicators.0.target",
                "items.2.id",
                "items.2.indicators.0.target"
            ]
        );
    }

    #[test]
    fn a_plan_needs_an_rhk_utama_each_with_an_indicator() {
        assert_eq!(fields(plan(vec![]).validate()), ["items"]);
        let only_extra = plan(vec![rhk("a", RhkJenis::Tambahan, None, number(1.0))]);
        assert_eq!(fields(only_extra.validate()), ["items"]);
        let mut empty = rhk("a", RhkJenis::Utama, None, number(1.0));
        empty.indicators.clear();
        empty.rhk = String::new();
        assert_eq!(
            fields(plan(vec![empty]).validate()),
            ["items.0.rhk", "items.0.indicators"]
        );
    }

    #[test]
    fn the_appraisal_starts_from_each_agreed_indicator() {
        let p = plan(vec![
            rhk("a", RhkJenis::Utama, None, number(90.0)),
            rhk(
                "b",
                RhkJenis::Tambahan,
                None,
                Target::Kualitatif {
                    uraian: "Tanpa pengaduan".into(),
                },
            ),
        ]);
        let items = p.appraisal_items();
        assert_eq!(items.len(), 2);
        assert_eq!(
            (items[0].jenis, items[0].target, items[0].satuan.as_str()),
            (RhkJenis::Utama, 90.0, "persen")
        );
        assert!(items[0]
            .indikator
            .starts_with("Meningkatnya kualitas layanan"));
        assert_eq!(items[0].realisasi, None);
        assert_eq!(
            (items[1].target, items[1].uraian_target.as_deref()),
            (100.0, Some("Tanpa pengaduan"))
        );
        // Rated as the share achieved: more is better, even if written under Waktu.
        let mut late = p.clone();
        late.items[1].indicators[0].aspek = Aspect::Waktu;
        let item = &late.appraisal_items()[1];
        assert_eq!(item.aspek, Aspect::Kualitas);
        let mut rated = item.clone();
        rated.realisasi = Some(80.0);
        assert_eq!(rated.capaian(), Some(0.8));
    }

    #[test]
    fn every_rhk_utama_supports_an_rhk_of_the_atasans_plan() {
        let atasan = ["camat-1".to_string(), "camat-2".to_string()];
        let lurah = plan(vec![
            rhk("l1", RhkJenis::Utama, Some("camat-1"), number(90.0)),
            rhk("l2", RhkJenis::Tambahan, None, number(2.0)),
        ]);
        assert_eq!(lurah.check_intervensi(Some(&atasan), true), Ok(()));
        // An RHK utama without a link may be saved as a draft, not signed.
        let unlinked = plan(vec![rhk("l1", RhkJenis::Utama, None, number(90.0))]);
        assert_eq!(unlinked.check_intervensi(Some(&atasan), false), Ok(()));
        assert_eq!(
            fields(unlinked.check_intervensi(Some(&atasan), true)),
            ["items.0.intervensi"]
        );
        // A link to an RHK the atasan's plan does not hold is refused, draft or not.
        let stray = plan(vec![rhk("l1", RhkJenis::Utama, Some("x"), number(90.0))]);
        assert_eq!(
            fields(stray.check_intervensi(Some(&atasan), false)),
            ["items.0.intervensi"]
        );
        // The head of the chain supports nobody's RHK.
        let camat = plan(vec![rhk("c1", RhkJenis::Utama, None, number(95.0))]);
        assert_eq!(camat.check_intervensi(None, true), Ok(()));
        assert_eq!(
            fields(stray.check_intervensi(None, false)),
            ["items.0.intervensi"]
        );
    }
}
