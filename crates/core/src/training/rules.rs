//! Training (pengembangan kompetensi) vocabulary and rules (DESIGN §4): forms and routes per
//! Peraturan LAN 10/2018, statuses, attendance and absence reasons, the training form's rules,
//! completion, the 20 JP rule (PP 11/2017 as amended by PP 17/2020, Pasal 203) and L2 gain.

use chrono::{Datelike, NaiveDate, NaiveTime};
use serde::{Deserialize, Serialize};
use specta::Type;

use crate::reference::EmploymentStatus;
use crate::{FieldError, ValidationError};

/// Minutes in one JP (jam pelajaran).
pub const JP_MINUTES: u32 = 45;
/// Every PNS is owed at least this many JP per calendar year.
pub const JP_TARGET_PNS: u32 = 20;
/// PPPK: at most this many JP per contract year (a ceiling, not a target).
pub const JP_CEILING_PPPK: u32 = 24;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Type)]
pub enum TrainingForm {
    Klasikal,
    Nonklasikal,
}

macro_rules! labelled {
    ($(#[$doc:meta])* $name:ident { $($variant:ident => $label:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Type)]
        pub enum $name {
            $(#[serde(rename = $label)] $variant),+
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn label(self) -> &'static str {
                match self {
                    $($name::$variant => $label),+
                }
            }

            pub fn parse(s: &str) -> Option<Self> {
                Self::ALL
                    .iter()
                    .copied()
                    .find(|v| v.label().eq_ignore_ascii_case(s.trim()))
            }
        }
    };
}

labelled! {
    /// Jalur pengembangan kompetensi, exactly as Peraturan LAN 10/2018 lists them.
    Route {
        StrukturalKepemimpinan => "Pelatihan Struktural Kepemimpinan",
        Manajerial => "Pelatihan Manajerial",
        Teknis => "Pelatihan Teknis",
        Fungsional => "Pelatihan Fungsional",
        SosialKultural => "Pelatihan Sosial Kultural",
        Seminar => "Seminar/Konferensi/Sarasehan",
        Workshop => "Workshop atau Lokakarya",
        Kursus => "Kursus",
        Penataran => "Penataran",
        BimbinganTeknis => "Bimbingan Teknis",
        Sosialisasi => "Sosialisasi",
        KlasikalLainnya => "Jalur klasikal lainnya",
        Coaching => "Coaching",
        Mentoring => "Mentoring",
        ELearning => "E-learning",
        JarakJauh => "Pelatihan Jarak Jauh",
        Detasering => "Detasering (Secondment)",
        AlamTerbuka => "Pembelajaran Alam Terbuka (Outbond)",
        PatokBanding => "Patok Banding (Benchmarking)",
        PertukaranPns => "Pertukaran PNS dengan pegawai swasta/BUMN/BUMD",
        BelajarMandiri => "Belajar Mandiri (Self Development)",
        KomunitasBelajar => "Komunitas Belajar (Community of Practices)",
        BimbinganTempatKerja => "Bimbingan di tempat kerja",
        Magang => "Magang/praktik kerja",
        NonklasikalLainnya => "Jalur nonklasikal lainnya",
    }
}

labelled! {
    /// Metode pelatihan: how a training teaches, beside its route (jalur). The study compares
    /// methods — workshop, seminar, e-learning, project-based learning — which are not routes of
    /// Peraturan LAN 10/2018.
    Method {
        TatapMuka => "Tatap muka (ceramah dan diskusi)",
        Workshop => "Workshop/praktik",
        Seminar => "Seminar",
        ELearning => "E-learning",
        BerbasisProyek => "Berbasis proyek",
        Campuran => "Campuran (blended)",
    }
}

/// A route label an earlier Pelita offered, which Peraturan LAN 10/2018 does not list: a training
/// stored with it is read as [`Route::NonklasikalLainnya`] taught [`Method::BerbasisProyek`].
pub const LEGACY_PROJECT_ROUTE: &str = "Pelatihan Berbasis Proyek";

impl Method {
    /// The method a training recorded before methods were kept is read as, from its route.
    pub fn implied_by(route: Route) -> Method {
        match route {
            Route::Workshop => Method::Workshop,
            Route::Seminar => Method::Seminar,
            Route::ELearning | Route::JarakJauh => Method::ELearning,
            _ => Method::TatapMuka,
        }
    }
}

/// A training's route and method as a row stores them: `method` is empty on rows written before
/// methods were kept (then implied by the route), and the legacy project route is read as
/// "Jalur nonklasikal lainnya", project-based. `None` for a route label Pelita never wrote.
pub fn stored_route(route: &str, method: Option<&str>) -> Option<(Route, Method)> {
    let (route, implied) = match Route::parse(route) {
        Some(r) => (r, Method::implied_by(r)),
        None if route.trim().eq_ignore_ascii_case(LEGACY_PROJECT_ROUTE) => {
            (Route::NonklasikalLainnya, Method::BerbasisProyek)
        }
        None => return None,
    };
    Some((route, method.and_then(Method::parse).unwrap_or(implied)))
}

impl Route {
    pub fn form(self) -> TrainingForm {
        if (self as u8) <= Route::KlasikalLainnya as u8 {
            TrainingForm::Klasikal
        } else {
            TrainingForm::Nonklasikal
        }
    }
}

labelled! {
    TrainingStatus {
        Direncanakan => "Direncanakan",
        Berlangsung => "Berlangsung",
        Selesai => "Selesai",
        Dibatalkan => "Dibatalkan",
    }
}

labelled! {
    AttendanceStatus {
        Hadir => "Hadir",
        Izin => "Izin",
        Sakit => "Sakit",
        Alpa => "Alpa",
    }
}

labelled! {
    /// Why someone was not there: how an office learns why participation is low.
    AbsenceReason {
        TugasKantor => "tugas kantor / beban kerja",
        JadwalBentrok => "jadwal bentrok",
        Sakit => "sakit",
        KeperluanPribadi => "keperluan pribadi",
        LokasiJauh => "lokasi jauh",
        MateriTidakRelevan => "materi tidak relevan",
        Lainnya => "lainnya",
    }
}

/// The themes a new database starts with; offices may add their own.
pub const DEFAULT_THEMES: &[&str] = &[
    "Manajemen Publik",
    "Pelayanan Publik",
    "Teknologi Informasi",
    "Administrasi Kependudukan",
    "Keuangan dan Aset",
    "Kepemimpinan",
    "Pemberdayaan Masyarakat",
    "Ketenteraman dan Ketertiban",
];

/// One session of a training: a date and a time span.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
pub struct SessionInput {
    /// ISO `YYYY-MM-DD`.
    pub date: String,
    /// `HH:MM`.
    pub start_time: String,
    pub end_time: String,
}

/// A training as entered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
pub struct TrainingInput {
    pub title: String,
    pub theme: String,
    pub route: Route,
    /// How it teaches (the study compares methods).
    pub method: Method,
    pub organiser: String,
    /// The office whose training it is; the Kantor Camat's trainings form the district catalogue.
    pub owner_office_id: String,
    pub location: String,
    pub start_date: String,
    pub end_date: String,
    pub sessions: Vec<SessionInput>,
    pub jp: u32,
    pub capacity: u32,
    pub certificate: bool,
    /// Share of sessions (1–100 %) a participant must attend to complete it.
    pub completion_share: u32,
    /// What a participant should be able to do at work afterwards (Kirkpatrick L3 asks about
    /// these); none for a training written before they were kept.
    #[serde(default)]
    pub objectives: Vec<String>,
}

pub mod field {
    pub const TITLE: &str = "title";
    pub const THEME: &str = "theme";
    pub const START: &str = "start_date";
    pub const END: &str = "end_date";
    pub const SESSIONS: &str = "sessions";
    pub const JP: &str = "jp";
    pub const CAPACITY: &str = "capacity";
    pub const COMPLETION: &str = "completion_share";
}

fn date(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").ok()
}

fn time(s: &str) -> Option<NaiveTime> {
    NaiveTime::parse_from_str(s.trim(), "%H:%M").ok()
}

impl TrainingInput {
    /// Every rule that needs no database, all problems at once.
    pub fn validate(&self) -> Result<(), ValidationError> {
        let mut errors = Vec::new();
        let mut push = |f: &str, m: String| errors.push(FieldError::new(f, m));
        if self.title.trim().is_empty() {
            push(field::TITLE, "judul pelatihan wajib diisi".into());
        }
        if self.theme.trim().is_empty() {
            push(field::THEME, "tema wajib dipilih".into());
        }
        let (start, end) = (date(&self.start_date), date(&self.end_date));
        if start.is_none() {
            push(
                field::START,
                format!(
                    "tanggal mulai '{}' tidak valid (TTTT-BB-HH)",
                    self.start_date
                ),
            );
        }
        if end.is_none() {
            push(
                field::END,
                format!(
                    "tanggal selesai '{}' tidak valid (TTTT-BB-HH)",
                    self.end_date
                ),
            );
        }
        if let (Some(s), Some(e)) = (start, end) {
            if e < s {
                push(field::END, "tanggal selesai sebelum tanggal mulai".into());
            }
        }
        if self.sessions.is_empty() {
            push(field::SESSIONS, "isi sedikitnya satu sesi".into());
        }
        for (i, s) in self.sessions.iter().enumerate() {
            let n = i + 1;
            match date(&s.date) {
                None => push(
                    &format!("sessions.{i}.date"),
                    format!("tanggal sesi ke-{n} tidak valid"),
                ),
                Some(d) if start.is_some_and(|st| d < st) || end.is_some_and(|en| d > en) => push(
                    &format!("sessions.{i}.date"),
                    format!("sesi ke-{n} di luar tanggal pelatihan"),
                ),
                _ => {}
            }
            match (time(&s.start_time), time(&s.end_time)) {
                (Some(a), Some(b)) if b > a => {}
                (Some(_), Some(_)) => push(
                    &format!("sessions.{i}.end_time"),
                    format!("jam selesai sesi ke-{n} harus setelah jam mulai"),
                ),
                _ => push(
                    &format!("sessions.{i}.start_time"),
                    format!("jam sesi ke-{n} tidak valid (JJ:MM)"),
                ),
            }
        }
        if self.jp == 0 {
            push(field::JP, "JP harus lebih dari 0 (1 JP = 45 menit)".into());
        }
        if self.capacity == 0 {
            push(
                field::CAPACITY,
                "kapasitas harus sedikitnya 1 peserta".into(),
            );
        }
        if !(1..=100).contains(&self.completion_share) {
            push(field::COMPLETION, "syarat kehadiran harus 1–100%".into());
        }
        if let Err(e) = crate::training::application::check_objectives(&self.objectives) {
            errors.extend(e.errors);
        }
        (errors.is_empty())
            .then_some(())
            .ok_or(ValidationError { errors })
    }

    /// JP the sessions add up to (45 minutes each), to compare with the JP entered.
    pub fn session_jp(&self) -> u32 {
        let minutes: i64 = self
            .sessions
            .iter()
            .filter_map(|s| Some((time(&s.end_time)? - time(&s.start_time)?).num_minutes()))
            .sum();
        (minutes.max(0) as u32) / JP_MINUTES
    }
}

/// The calendar year a training's JP count in: the year it ends.
pub fn jp_year(end_date: &str) -> Option<i32> {
    date(end_date).map(|d| d.year())
}

/// Whether attending `attended` of `sessions` sessions completes a training that asks for
/// `share_pct` percent. A training without sessions completes nobody.
pub fn completes(attended: u32, sessions: u32, share_pct: u32) -> bool {
    sessions > 0 && 100 * attended >= share_pct * sessions
}

/// How an employee's JP of a year stand against the rule for their status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Type)]
pub enum JpStanding {
    /// PNS with at least 20 JP.
    TargetMet,
    /// PNS below 20 JP.
    BelowTarget,
    /// CPNS: in their probation year they follow Latsar (pelatihan dasar, PP 11/2017 Pasal 34), not
    /// the 20 JP of Pasal 203 — shown apart, never flagged.
    Latsar,
    /// PPPK at or under the 24 JP ceiling.
    WithinCeiling,
    /// PPPK above the 24 JP ceiling.
    AboveCeiling,
}

pub fn jp_standing(status: EmploymentStatus, jp: u32) -> JpStanding {
    match status {
        EmploymentStatus::Pppk if jp > JP_CEILING_PPPK => JpStanding::AboveCeiling,
        EmploymentStatus::Pppk => JpStanding::WithinCeiling,
        EmploymentStatus::Cpns => JpStanding::Latsar,
        EmploymentStatus::Pns if jp >= JP_TARGET_PNS => JpStanding::TargetMet,
        EmploymentStatus::Pns => JpStanding::BelowTarget,
    }
}

/// The span a PPPK's JP are counted over (PP 49/2018 Pasal 40: at most 24 JP per year *of the
/// work contract*): the contract year — from the contract's start, year by year — that holds
/// `on`, cut at the contract's end. `None` when `on` is outside the contract.
pub fn contract_year(
    start: NaiveDate,
    end: Option<NaiveDate>,
    on: NaiveDate,
) -> Option<(NaiveDate, NaiveDate)> {
    if on < start || end.is_some_and(|e| on > e) {
        return None;
    }
    let anniversary = |k: i32| {
        // 29 February starts its later contract years on 28 February.
        NaiveDate::from_ymd_opt(start.year() + k, start.month(), start.day())
            .or_else(|| NaiveDate::from_ymd_opt(start.year() + k, start.month(), start.day() - 1))
    };
    let mut k = on.year() - start.year();
    while k > 0 && anniversary(k).is_none_or(|a| a > on) {
        k -= 1;
    }
    let from = anniversary(k)?;
    let to = anniversary(k + 1)?.pred_opt()?;
    Some((from, end.map_or(to, |e| e.min(to))))
}

/// How many PNS of a group reached 20 JP in a year (CPNS follow Latsar and PPPK have a ceiling:
/// neither is counted).
#[derive(Debug, Clone, PartialEq, Serialize, Type)]
pub struct JpShare {
    /// An office code, or empty for the whole set (the district, for the HQ).
    pub office_code: String,
    /// PNS (CPNS on Latsar and PPPK with a ceiling, not a target, are not counted here).
    pub pns: u32,
    pub met: u32,
    /// `met / pns` in percent; 0 for a group without PNS.
    pub share_pct: f64,
    /// JP still missing over those below 20.
    pub missing_jp: u32,
}

/// The 20 JP share per office and, first, over all of `(office code, status, JP)`.
pub fn jp_shares<'a>(
    lines: impl IntoIterator<Item = (&'a str, EmploymentStatus, u32)>,
) -> Vec<JpShare> {
    let mut by_office: std::collections::BTreeMap<&str, (u32, u32, u32)> = Default::default();
    for (office, status, jp) in lines {
        if status != EmploymentStatus::Pns {
            continue;
        }
        let e = by_office.entry(office).or_default();
        e.0 += 1;
        e.1 += u32::from(jp >= JP_TARGET_PNS);
        e.2 += JP_TARGET_PNS.saturating_sub(jp);
    }
    let total = by_office
        .values()
        .fold((0, 0, 0), |t, v| (t.0 + v.0, t.1 + v.1, t.2 + v.2));
    let share = |code: &str, (pns, met, missing): (u32, u32, u32)| JpShare {
        office_code: code.to_string(),
        pns,
        met,
        share_pct: if pns == 0 {
            0.0
        } else {
            100.0 * f64::from(met) / f64::from(pns)
        },
        missing_jp: missing,
    };
    std::iter::once(share("", total))
        .chain(by_office.into_iter().map(|(code, v)| share(code, v)))
        .collect()
}

/// L2 normalised gain (post − pre) / (100 − pre). `None` when pre is 100: there was nothing
/// left to gain, which is not a number to average.
pub fn normalised_gain(pre: f64, post: f64) -> Option<f64> {
    (pre < 100.0 && (0.0..=100.0).contains(&pre) && (0.0..=100.0).contains(&post))
        .then(|| (post - pre) / (100.0 - pre))
}

labelled! {
    /// The groups of the L1 reaction questionnaire.
    ReactionGroup {
        Penyaji => "Penyaji",
        Materi => "Materi",
        Penyelenggaraan => "Penyelenggaraan",
    }
}

/// The items of the L1 reaction questionnaire (DESIGN §4), each in its group.
pub const REACTION_ITEMS: &[(ReactionGroup, &str)] = &[
    (ReactionGroup::Penyaji, "penguasaan materi"),
    (ReactionGroup::Penyaji, "sistematika"),
    (ReactionGroup::Penyaji, "metode"),
    (ReactionGroup::Penyaji, "waktu"),
    (ReactionGroup::Penyaji, "alat bantu"),
    (ReactionGroup::Penyaji, "bahasa"),
    (ReactionGroup::Penyaji, "motivasi"),
    (ReactionGroup::Penyaji, "tanya jawab"),
    (ReactionGroup::Materi, "jelas"),
    (ReactionGroup::Materi, "menambah pengetahuan"),
    (ReactionGroup::Materi, "manfaat"),
    (ReactionGroup::Materi, "sesuai tujuan"),
    (ReactionGroup::Penyelenggaraan, "pengelolaan"),
    (ReactionGroup::Penyelenggaraan, "jadwal"),
    (ReactionGroup::Penyelenggaraan, "fasilitas"),
];

/// The Likert scale of the questionnaire, 1 to 5.
pub const LIKERT: [&str; 5] = [
    "Sangat Tidak Baik",
    "Tidak Baik",
    "Cukup",
    "Baik",
    "Sangat Baik",
];

/// Checks one filled-in questionnaire: every item answered once, 1–5. `scores` follows
/// [`REACTION_ITEMS`] in order.
pub fn check_reaction(scores: &[u8]) -> Result<(), ValidationError> {
    let mut errors = Vec::new();
    if scores.len() != REACTION_ITEMS.len() {
        errors.push(FieldError::new(
            "scores",
            format!("isi semua {} butir kuesioner", REACTION_ITEMS.len()),
        ));
    }
    for (i, s) in scores.iter().enumerate() {
        if !(1..=5).contains(s) {
            let item = REACTION_ITEMS.get(i).map_or("?", |(_, item)| item);
            errors.push(FieldError::new(
                &format!("scores.{i}"),
                format!("nilai butir '{item}' harus 1–5"),
            ));
        }
    }
    errors
        .is_empty()
        .then_some(())
        .ok_or(ValidationError { errors })
}

#[cfg(test)]
mod reaction_tests {
    use super::*;

    #[test]
    fn the_questionnaire_has_every_item_and_checks_the_scale() {
        assert_eq!(REACTION_ITEMS.len(), 15);
        assert_eq!(
            REACTION_ITEMS
                .iter()
                .filter(|(g, _)| *g == ReactionGroup::Materi)
                .count(),
            4
        );
        assert_eq!(check_reaction(&[4; 15]), Ok(()));
        let err = check_reaction(&[4, 0, 6, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4]).unwrap_err();
        let fields: Vec<_> = err.errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["scores.1", "scores.2"]);
        assert!(err.errors[0].message.contains("sistematika"));
        assert!(check_reaction(&[4; 14]).is_err());
    }
}
