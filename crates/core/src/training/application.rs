//! Kirkpatrick level 3 (behaviour): whether the pegawai applies at work what **that training**
//! taught. A training names its learning objectives (what a participant should be able to do
//! afterwards); before it ends the atasan langsung rates how often the pegawai already does each
//! (the baseline), and three to six months after, rates it again. The change per objective is the
//! training's L3 result — beside the seven BerAKHLAK values the follow-up still asks.

use serde::{Deserialize, Serialize};
use specta::Type;

use crate::{FieldError, ValidationError};

/// Most objectives a training names (a handful a supervisor can observe).
pub const MAX_OBJECTIVES: usize = 6;
/// Longest objective kept.
pub const MAX_OBJECTIVE_CHARS: usize = 200;

/// How often the pegawai applies at work what an objective names, as their atasan sees it.
pub const LEVELS: [(u8, &str); 5] = [
    (1, "Belum menerapkan"),
    (2, "Jarang menerapkan"),
    (3, "Kadang-kadang menerapkan"),
    (4, "Sering menerapkan"),
    (5, "Selalu menerapkan"),
];

/// The objectives of a training as kept: trimmed, none empty, none twice, within the limits.
pub fn check_objectives(objectives: &[String]) -> Result<Vec<String>, ValidationError> {
    let mut errors = Vec::new();
    let mut kept: Vec<String> = Vec::new();
    for (i, o) in objectives.iter().enumerate() {
        let o = o.trim();
        let field = format!("objectives.{i}");
        if o.is_empty() {
            continue;
        }
        if o.contains(';') {
            errors.push(FieldError::new(
                &field,
                "satu tujuan tanpa tanda ';' (di berkas katalog, ';' memisahkan tujuan)",
            ));
        } else if o.chars().count() > MAX_OBJECTIVE_CHARS {
            errors.push(FieldError::new(
                &field,
                format!("tujuan pelatihan paling panjang {MAX_OBJECTIVE_CHARS} karakter"),
            ));
        } else if kept.iter().any(|k| k.eq_ignore_ascii_case(o)) {
            errors.push(FieldError::new(
                &field,
                format!("tujuan '{o}' tertulis dua kali"),
            ));
        } else {
            kept.push(o.to_string());
        }
    }
    if kept.len() > MAX_OBJECTIVES {
        errors.push(FieldError::new(
            "objectives",
            format!("paling banyak {MAX_OBJECTIVES} tujuan pelatihan (yang dapat diamati atasan di tempat kerja)"),
        ));
    }
    if errors.is_empty() {
        Ok(kept)
    } else {
        Err(ValidationError { errors })
    }
}

/// One objective rated.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
pub struct ObjectiveLevel {
    pub objective: String,
    /// 1 (belum) … 5 (selalu), see [`LEVELS`].
    pub level: u8,
}

/// `levels` for `objectives`, one each, in their order, every one 1–5; else why not, at
/// `field.i`.
pub fn rate(
    objectives: &[String],
    levels: &[u8],
    field: &str,
) -> Result<Vec<ObjectiveLevel>, ValidationError> {
    if levels.len() != objectives.len() {
        return Err(ValidationError::single(
            field,
            format!(
                "beri satu penilaian untuk setiap tujuan pelatihan ({} tujuan, {} penilaian)",
                objectives.len(),
                levels.len()
            ),
        ));
    }
    let errors: Vec<FieldError> = levels
        .iter()
        .enumerate()
        .filter(|(_, l)| !(1..=5).contains(*l))
        .map(|(i, l)| {
            FieldError::new(
                &format!("{field}.{i}"),
                format!("penilaian {l} di luar skala 1–5"),
            )
        })
        .collect();
    if !errors.is_empty() {
        return Err(ValidationError { errors });
    }
    Ok(objectives
        .iter()
        .zip(levels)
        .map(|(objective, level)| ObjectiveLevel {
            objective: objective.clone(),
            level: *level,
        })
        .collect())
}

/// The mean change from the baseline to the follow-up over the objectives rated both times (the
/// same text); `None` when none was.
pub fn change(baseline: &[ObjectiveLevel], after: &[ObjectiveLevel]) -> Option<f64> {
    let diffs: Vec<f64> = after
        .iter()
        .filter_map(|a| {
            baseline
                .iter()
                .find(|b| b.objective == a.objective)
                .map(|b| f64::from(a.level) - f64::from(b.level))
        })
        .collect();
    (!diffs.is_empty()).then(|| diffs.iter().sum::<f64>() / diffs.len() as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn o(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn objectives_are_trimmed_unique_and_few() {
        assert_eq!(
            check_objectives(&o(&["  Menyusun SOP layanan ", "", "Melayani pengaduan"])).unwrap(),
            o(&["Menyusun SOP layanan", "Melayani pengaduan"])
        );
        let e = check_objectives(&o(&["A", "a"])).unwrap_err();
        assert_eq!(e.errors[0].field, "objectives.1");
        let seven: Vec<String> = (0..7).map(|i| format!("Tujuan {i}")).collect();
        assert_eq!(
            check_objectives(&seven).unwrap_err().errors[0].field,
            "objectives"
        );
        assert!(check_objectives(&o(&["Menyusun SOP; melayani"])).is_err());
        let long = "x".repeat(MAX_OBJECTIVE_CHARS + 1);
        assert!(check_objectives(&[long]).is_err());
    }

    #[test]
    fn every_objective_gets_one_level_on_the_scale() {
        let objectives = o(&["Menyusun SOP", "Melayani pengaduan"]);
        let rated = rate(&objectives, &[2, 4], "baseline").unwrap();
        assert_eq!(
            rated[1],
            ObjectiveLevel {
                objective: "Melayani pengaduan".into(),
                level: 4
            }
        );
        assert_eq!(
            rate(&objectives, &[2], "baseline").unwrap_err().errors[0].field,
            "baseline"
        );
        assert_eq!(
            rate(&objectives, &[2, 6], "applied").unwrap_err().errors[0].field,
            "applied.1"
        );
        assert_eq!(
            rate(&objectives, &[0, 3], "applied").unwrap_err().errors[0].field,
            "applied.0"
        );
    }

    #[test]
    fn the_change_is_the_mean_over_objectives_rated_both_times() {
        let before = rate(&o(&["A", "B", "C"]), &[2, 3, 1], "b").unwrap();
        let after = rate(&o(&["A", "B", "D"]), &[4, 4, 5], "a").unwrap();
        // A: +2, B: +1; D was not in the baseline, C not in the follow-up.
        assert_eq!(change(&before, &after), Some(1.5));
        assert_eq!(change(&before, &[]), None);
    }
}
