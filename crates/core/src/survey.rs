//! The questionnaire study's instrument ("Studi Pengaruh"): constructs of Likert items answered
//! 1–5, the seed study's default instrument (X1 Pelatihan, X2 Pengembangan, Y Kinerja), and the
//! rules an instrument and an answer sheet must meet. An item's code is `<construct>_<n>`
//! (`X1_3`), the column name the statistics read.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use specta::Type;

use crate::{FieldError, ValidationError};

/// The dependent construct's code; every instrument has it.
pub const Y: &str = "Y";
pub const MAX_ITEMS_PER_CONSTRUCT: usize = 30;
pub const MAX_CONSTRUCTS: usize = 8;

/// The five points of the Likert scale: score, abbreviation, label.
pub const LIKERT: [(u8, &str, &str); 5] = [
    (1, "STS", "Sangat Tidak Setuju"),
    (2, "TS", "Tidak Setuju"),
    (3, "N", "Netral"),
    (4, "S", "Setuju"),
    (5, "SS", "Sangat Setuju"),
];

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
pub struct Construct {
    /// `X1`, `X2`, `Y`: capital letter first, then capitals or digits.
    pub code: String,
    pub name: String,
    /// The statements, in order; item n is `<code>_<n>`.
    pub items: Vec<String>,
}

/// What a person edits: the instrument without its bookkeeping.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
pub struct InstrumentDraft {
    pub title: String,
    pub description: String,
    /// Whether answer sheets may be recorded without naming the respondent.
    pub allow_anonymous: bool,
    pub constructs: Vec<Construct>,
}

/// Draf (being written) → Dibuka (answers are recorded; items fixed) ⇄ Ditutup (no more answers).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
pub enum InstrumentStatus {
    Draf,
    Dibuka,
    Ditutup,
}

impl InstrumentStatus {
    pub fn label(self) -> &'static str {
        match self {
            Self::Draf => "Draf",
            Self::Dibuka => "Dibuka",
            Self::Ditutup => "Ditutup",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        [Self::Draf, Self::Dibuka, Self::Ditutup]
            .into_iter()
            .find(|s| s.label() == text)
    }

    /// Whether the instrument may move from `self` to `to`. Once opened it never returns to Draf:
    /// answers may already sit on laptops that have not synced.
    pub fn may_become(self, to: Self) -> bool {
        matches!(
            (self, to),
            (Self::Draf, Self::Dibuka)
                | (Self::Dibuka, Self::Ditutup)
                | (Self::Ditutup, Self::Dibuka)
        )
    }
}

fn construct(code: &str, name: &str, items: &[&str]) -> Construct {
    Construct {
        code: code.into(),
        name: name.into(),
        items: items.iter().map(|s| (*s).to_string()).collect(),
    }
}

/// The seed study's instrument: the indicators of training (Mangkunegara), of development
/// (PP 17/2020's competence development) and of performance (quality, quantity, timeliness,
/// effectiveness, independence, commitment).
pub fn default_instrument() -> InstrumentDraft {
    InstrumentDraft {
        title: "Pengaruh Pelatihan dan Pengembangan terhadap Kinerja ASN".into(),
        description: "Kuesioner penelitian untuk ASN Kecamatan Medan Marelan. Pilih satu jawaban \
                      untuk setiap pernyataan: 1 Sangat Tidak Setuju sampai 5 Sangat Setuju."
            .into(),
        allow_anonymous: true,
        constructs: vec![
            construct(
                "X1",
                "Pelatihan",
                &[
                    "Narasumber pelatihan yang saya ikuti menguasai materinya.",
                    "Materi pelatihan sesuai dengan tugas dan jabatan saya.",
                    "Metode pelatihan membantu saya memahami materi.",
                    "Tujuan pelatihan dijelaskan dengan jelas sejak awal.",
                    "Peserta pelatihan dipilih sesuai kebutuhan unit kerja.",
                    "Waktu dan jumlah jam pelatihan memadai.",
                ],
            ),
            construct(
                "X2",
                "Pengembangan",
                &[
                    "Kantor memberi saya kesempatan mengembangkan kompetensi setiap tahun.",
                    "Pengembangan kompetensi yang saya ikuti sesuai dengan rencana karier saya.",
                    "Atasan mendorong saya menambah pengetahuan dan keterampilan.",
                    "Saya mendapat kesempatan belajar melalui penugasan, coaching atau mentoring.",
                    "Hasil pengembangan kompetensi diperhitungkan dalam penilaian dan promosi.",
                ],
            ),
            construct(
                "Y",
                "Kinerja",
                &[
                    "Saya menyelesaikan pekerjaan sesuai standar mutu yang ditetapkan.",
                    "Jumlah pekerjaan yang saya selesaikan sesuai dengan target.",
                    "Saya menyelesaikan pekerjaan tepat waktu.",
                    "Saya menggunakan sumber daya kantor secara efektif dan efisien.",
                    "Saya dapat bekerja mandiri tanpa banyak arahan.",
                    "Saya bertanggung jawab penuh atas tugas yang diberikan.",
                ],
            ),
        ],
    }
}

fn valid_code(code: &str) -> bool {
    let mut chars = code.chars();
    chars.next().is_some_and(|c| c.is_ascii_uppercase())
        && chars.all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
        && code.len() <= 8
}

/// Checks an instrument; every broken rule names its field (`constructs.1.items.0`).
pub fn check_instrument(d: &InstrumentDraft) -> Result<(), ValidationError> {
    let mut errors = Vec::new();
    let mut err = |field: String, message: String| errors.push(FieldError::new(&field, message));
    let title = d.title.trim();
    if title.is_empty() || title.chars().count() > 200 {
        err(
            "title".into(),
            "judul wajib diisi (paling banyak 200 huruf)".into(),
        );
    }
    if d.constructs.len() > MAX_CONSTRUCTS {
        err(
            "constructs".into(),
            format!("paling banyak {MAX_CONSTRUCTS} konstruk"),
        );
    }
    for (i, c) in d.constructs.iter().enumerate() {
        if !valid_code(&c.code) {
            err(
                format!("constructs.{i}.code"),
                format!(
                    "kode konstruk '{}' harus diawali huruf kapital lalu huruf kapital atau angka (misalnya X1), paling banyak 8 karakter",
                    c.code
                ),
            );
        } else if d.constructs[..i].iter().any(|o| o.code == c.code) {
            err(
                format!("constructs.{i}.code"),
                format!("kode konstruk {} dipakai dua kali", c.code),
            );
        }
        if c.name.trim().is_empty() {
            err(
                format!("constructs.{i}.name"),
                format!("nama konstruk {} wajib diisi", c.code),
            );
        }
        if c.items.len() < 2 || c.items.len() > MAX_ITEMS_PER_CONSTRUCT {
            err(
                format!("constructs.{i}.items"),
                format!(
                    "konstruk {} perlu 2–{MAX_ITEMS_PER_CONSTRUCT} butir (α Cronbach perlu paling sedikit 2)",
                    c.code
                ),
            );
        }
        for (j, item) in c.items.iter().enumerate() {
            let len = item.trim().chars().count();
            if len == 0 || len > 300 {
                err(
                    format!("constructs.{i}.items.{j}"),
                    format!(
                        "pernyataan {}_{} wajib diisi (paling banyak 300 huruf)",
                        c.code,
                        j + 1
                    ),
                );
            }
        }
    }
    if !d.constructs.iter().any(|c| c.code == Y) {
        err(
            "constructs".into(),
            "perlu konstruk Y (variabel terikat, misalnya Kinerja)".into(),
        );
    }
    if !d.constructs.iter().any(|c| c.code != Y) {
        err(
            "constructs".into(),
            "perlu paling sedikit satu konstruk X (variabel bebas)".into(),
        );
    }
    errors
        .is_empty()
        .then_some(())
        .ok_or(ValidationError { errors })
}

/// Every item's code, construct by construct: `X1_1 … X1_6, X2_1 …, Y_1 …`.
pub fn item_codes(constructs: &[Construct]) -> Vec<String> {
    constructs
        .iter()
        .flat_map(|c| (1..=c.items.len()).map(move |n| format!("{}_{n}", c.code)))
        .collect()
}

/// Whether two instruments ask the same items (codes in the same order); wording may differ.
pub fn same_items(a: &[Construct], b: &[Construct]) -> bool {
    item_codes(a) == item_codes(b)
}

/// Why an instrument stored as (`old_status`, `old`) may not become (`new_status`, `new`), if it
/// may not: once opened it never returns to Draf and keeps its items (answer sheets may already
/// sit on laptops that have not synced). Wording may always change.
pub fn change_refused(
    (old_status, old): (InstrumentStatus, &[Construct]),
    (new_status, new): (InstrumentStatus, &[Construct]),
) -> Option<&'static str> {
    if old_status == InstrumentStatus::Draf {
        None
    } else if new_status == InstrumentStatus::Draf {
        Some("kuesioner yang sudah dibuka tidak dapat kembali menjadi Draf")
    } else if !same_items(old, new) {
        Some("kuesioner ini sudah dibuka untuk pengisian: butir dan konstruk tidak dapat ditambah, dihapus atau diberi kode lain; hanya kata-katanya yang dapat diperbaiki")
    } else {
        None
    }
}

/// [`change_refused`] for two versions of an instrument's synced row (`status`, and
/// `constructs` as JSON text): the rule the hub applies to a push and a laptop to a sync
/// conflict settled by hand, so no path around the editor can unfix an opened instrument.
pub fn row_change_refused(old: &serde_json::Value, new: &serde_json::Value) -> Option<String> {
    let read = |row: &serde_json::Value| -> Option<(InstrumentStatus, Vec<Construct>)> {
        let status = InstrumentStatus::parse(row.get("status")?.as_str()?)?;
        let constructs = serde_json::from_str(row.get("constructs")?.as_str()?).ok()?;
        Some((status, constructs))
    };
    let Some((old_status, old_items)) = read(old) else {
        return None; // nothing readable to protect
    };
    let Some((new_status, new_items)) = read(new) else {
        return Some("isi kuesioner tidak terbaca (status atau konstruk)".into());
    };
    change_refused((old_status, &old_items), (new_status, &new_items)).map(str::to_string)
}

/// Checks an answer sheet: every item answered 1–5, nothing that is not an item.
pub fn check_answers(
    constructs: &[Construct],
    answers: &BTreeMap<String, u8>,
) -> Result<(), ValidationError> {
    let codes = item_codes(constructs);
    let mut errors = Vec::new();
    for code in &codes {
        match answers.get(code) {
            None => errors.push(FieldError::new(
                &format!("answers.{code}"),
                format!("butir {code} belum dijawab"),
            )),
            Some(v) if !(1..=5).contains(v) => errors.push(FieldError::new(
                &format!("answers.{code}"),
                format!("jawaban butir {code} harus 1–5, bukan {v}"),
            )),
            Some(_) => {}
        }
    }
    for code in answers.keys().filter(|k| !codes.contains(k)) {
        errors.push(FieldError::new(
            &format!("answers.{code}"),
            format!("butir {code} tidak ada dalam instrumen ini"),
        ));
    }
    errors
        .is_empty()
        .then_some(())
        .ok_or(ValidationError { errors })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(e: ValidationError) -> Vec<String> {
        e.errors.into_iter().map(|f| f.field).collect()
    }

    #[test]
    fn the_default_instrument_is_valid_and_names_its_items_as_the_statistics_read_them() {
        let d = default_instrument();
        check_instrument(&d).unwrap();
        let codes = item_codes(&d.constructs);
        assert_eq!(codes.len(), 17);
        assert_eq!(codes[0], "X1_1");
        assert_eq!(codes[6], "X2_1");
        assert_eq!(codes[16], "Y_6");
    }

    #[test]
    fn a_broken_instrument_names_every_field() {
        let mut d = default_instrument();
        d.title = " ".into();
        d.constructs[1].code = "X1".into();
        d.constructs[0].items.truncate(1);
        d.constructs[2].items[3] = String::new();
        let f = fields(check_instrument(&d).unwrap_err());
        assert_eq!(
            f,
            [
                "title",
                "constructs.0.items",
                "constructs.1.code",
                "constructs.2.items.3"
            ]
        );
        let mut no_y = default_instrument();
        no_y.constructs.pop();
        assert_eq!(fields(check_instrument(&no_y).unwrap_err()), ["constructs"]);
        let mut lower = default_instrument();
        lower.constructs[0].code = "x1".into();
        assert_eq!(
            fields(check_instrument(&lower).unwrap_err()),
            ["constructs.0.code"]
        );
    }

    #[test]
    fn an_answer_sheet_answers_every_item_once_within_the_scale() {
        let d = default_instrument();
        let mut answers: BTreeMap<String, u8> = item_codes(&d.constructs)
            .into_iter()
            .map(|c| (c, 4))
            .collect();
        check_answers(&d.constructs, &answers).unwrap();
        answers.insert("X1_2".into(), 6);
        answers.remove("Y_6");
        answers.insert("Z_1".into(), 3);
        assert_eq!(
            fields(check_answers(&d.constructs, &answers).unwrap_err()),
            ["answers.X1_2", "answers.Y_6", "answers.Z_1"]
        );
    }

    #[test]
    fn an_opened_instrument_never_returns_to_draft() {
        use InstrumentStatus::*;
        assert!(Draf.may_become(Dibuka));
        assert!(Dibuka.may_become(Ditutup));
        assert!(Ditutup.may_become(Dibuka));
        assert!(!Dibuka.may_become(Draf));
        assert!(!Ditutup.may_become(Draf));
        assert!(!Draf.may_become(Ditutup));
        assert_eq!(InstrumentStatus::parse("Dibuka"), Some(Dibuka));
    }

    #[test]
    fn a_synced_row_of_an_opened_instrument_keeps_its_items_and_status() {
        use serde_json::json;
        let d = default_instrument();
        let row = |status: &str, constructs: &[Construct]| json!({"status": status, "constructs": serde_json::to_string(constructs).unwrap()});
        let mut more = d.constructs.clone();
        more[0].items.push("Butir baru.".into());
        let mut reworded = d.constructs.clone();
        reworded[1].items[0] = "Kata lain.".into();
        let open = row("Dibuka", &d.constructs);
        assert!(row_change_refused(&open, &row("Draf", &d.constructs)).is_some());
        assert!(row_change_refused(&open, &row("Dibuka", &more)).is_some());
        assert!(row_change_refused(&open, &row("Ditutup", &more)).is_some());
        assert!(row_change_refused(&open, &row("Ditutup", &reworded)).is_none());
        assert!(row_change_refused(&row("Draf", &d.constructs), &row("Draf", &more)).is_none());
        assert!(row_change_refused(&open, &json!({"status": "Dibuka"})).is_some());
    }

    #[test]
    fn rewording_keeps_the_items_and_adding_one_does_not() {
        let a = default_instrument();
        let mut b = a.clone();
        b.constructs[0].items[0] = "Narasumber menguasai materi.".into();
        assert!(same_items(&a.constructs, &b.constructs));
        b.constructs[0].items.push("Butir baru.".into());
        assert!(!same_items(&a.constructs, &b.constructs));
    }
}
