//! Mutasi: an employee's transfer from one office of the district to another (DESIGN §1). The
//! sending office records it (mutasi keluar), the receiving office asks for it (mutasi masuk), or
//! the Kantor Camat records it; only the Kantor Camat approves or refuses it, and from its TMT the
//! employee belongs to the receiving office with their whole history. A transfer is one synced
//! record with its own workflow, never a delete and a second registration.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use specta::Type;

use crate::{FieldError, ValidationError};

/// Where a transfer stands. Only `Diajukan` ever changes: the Kantor Camat approves or refuses
/// it, the office that asked may withdraw it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
pub enum MutasiStatus {
    Diajukan,
    Disetujui,
    Ditolak,
    Dibatalkan,
}

impl MutasiStatus {
    pub const ALL: [MutasiStatus; 4] = [
        MutasiStatus::Diajukan,
        MutasiStatus::Disetujui,
        MutasiStatus::Ditolak,
        MutasiStatus::Dibatalkan,
    ];

    pub fn label(self) -> &'static str {
        match self {
            MutasiStatus::Diajukan => "Diajukan",
            MutasiStatus::Disetujui => "Disetujui",
            MutasiStatus::Ditolak => "Ditolak",
            MutasiStatus::Dibatalkan => "Dibatalkan",
        }
    }

    pub fn parse(s: &str) -> Option<MutasiStatus> {
        Self::ALL.into_iter().find(|x| x.label() == s)
    }
}

/// Field keys of the transfer form, for messages that name the field.
pub mod field {
    pub const NIP: &str = "nip";
    pub const NAME: &str = "employee_name";
    pub const FROM: &str = "from_office_id";
    pub const TO: &str = "to_office_id";
    pub const TMT: &str = "tmt";
    pub const SK: &str = "sk_number";
    pub const NOTE: &str = "note";
    pub const ATASAN: &str = "to_atasan_id";
}

/// A transfer as a person records or asks for it.
#[derive(Debug, Clone, Default, Serialize, Deserialize, Type)]
pub struct MutasiInput {
    pub nip: String,
    /// The name as the SK writes it; needed only when this laptop does not hold the employee.
    #[serde(default)]
    pub employee_name: String,
    /// The office they leave; taken from the register when this laptop holds the employee.
    #[serde(default)]
    pub from_office_id: Option<String>,
    pub to_office_id: String,
    /// Terhitung mulai tanggal, `YYYY-MM-DD`.
    pub tmt: String,
    #[serde(default)]
    pub sk_number: String,
    #[serde(default)]
    pub note: String,
    /// The atasan langsung at the receiving office, when the request names one.
    #[serde(default)]
    pub to_atasan_id: Option<String>,
}

/// A transfer whose fields are each well formed (the store checks the rest against the register).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidMutasi {
    pub nip: String,
    pub employee_name: String,
    pub from_office_id: Option<String>,
    pub to_office_id: String,
    pub tmt: NaiveDate,
    pub sk_number: String,
    pub note: String,
    pub to_atasan_id: Option<String>,
}

const MAX_SK: usize = 100;
const MAX_NOTE: usize = 500;

fn some_text(s: &Option<String>) -> Option<String> {
    s.as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

/// A date as forms and files write it.
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").ok()
}

impl MutasiInput {
    pub fn validate(&self) -> Result<ValidMutasi, ValidationError> {
        let mut errors = Vec::new();
        let nip = crate::nip::normalize(&self.nip);
        if let Err(e) = crate::nip::parse(&nip) {
            errors.push(FieldError::new(field::NIP, e.to_string()));
        }
        let to = self.to_office_id.trim().to_string();
        if to.is_empty() {
            errors.push(FieldError::new(field::TO, "pilih kantor tujuan mutasi"));
        }
        let from = some_text(&self.from_office_id);
        if from.as_deref() == Some(to.as_str()) {
            errors.push(FieldError::new(
                field::TO,
                "kantor tujuan sama dengan kantor asal",
            ));
        }
        let tmt = parse_date(&self.tmt);
        if tmt.is_none() {
            errors.push(FieldError::new(
                field::TMT,
                format!(
                    "TMT mutasi harus tanggal dengan format TTTT-BB-HH (yang diisi: '{}')",
                    self.tmt.trim()
                ),
            ));
        }
        if self.sk_number.trim().chars().count() > MAX_SK {
            errors.push(FieldError::new(
                field::SK,
                format!("nomor SK paling banyak {MAX_SK} karakter"),
            ));
        }
        if self.note.trim().chars().count() > MAX_NOTE {
            errors.push(FieldError::new(
                field::NOTE,
                format!("catatan paling banyak {MAX_NOTE} karakter"),
            ));
        }
        match (tmt, errors.is_empty()) {
            (Some(tmt), true) => Ok(ValidMutasi {
                nip,
                employee_name: self.employee_name.trim().to_string(),
                from_office_id: from,
                to_office_id: to,
                tmt,
                sk_number: self.sk_number.trim().to_string(),
                note: self.note.trim().to_string(),
                to_atasan_id: some_text(&self.to_atasan_id),
            }),
            _ => Err(ValidationError { errors }),
        }
    }
}

fn status_of(row: &Value) -> Option<MutasiStatus> {
    row.get("status")
        .and_then(Value::as_str)
        .and_then(MutasiStatus::parse)
}

/// Whether a transfer row may go from `before` (none: new) to `after` when written by a device of
/// the Kantor Camat (`hq`) or of an office; `None` when it may, else why not. The hub checks every
/// pushed row with it, the store every change it makes.
pub fn row_change_refused(before: Option<&Value>, after: &Value, hq: bool) -> Option<String> {
    let Some(next) = status_of(after) else {
        return Some("status mutasi tidak dikenal".into());
    };
    if let Some(prev) = before.and_then(status_of) {
        // A refused or withdrawn request may be asked again (the same employee, office and TMT
        // name the same record); an approved transfer is history.
        let asked_again = prev != MutasiStatus::Disetujui && next == MutasiStatus::Diajukan;
        if prev != MutasiStatus::Diajukan && !asked_again {
            return Some(format!(
                "mutasi ini sudah {}; keputusan tidak dapat diubah",
                prev.label().to_lowercase()
            ));
        }
    }
    let decided = matches!(next, MutasiStatus::Disetujui | MutasiStatus::Ditolak);
    if decided && !hq {
        return Some("hanya Kantor Camat yang menyetujui atau menolak mutasi".into());
    }
    let office = |f: &str| after.get(f).and_then(Value::as_str).unwrap_or_default();
    if office("from_office_id") == office("to_office_id") {
        return Some("kantor tujuan mutasi sama dengan kantor asal".into());
    }
    None
}

fn text<'a>(row: &'a Value, field: &str) -> &'a str {
    row.get(field).and_then(Value::as_str).unwrap_or_default()
}

/// Why the hub may not take `transfer` as approved, given the employee row it holds (`None`: it
/// holds none); `None` when it may. An employee already at the receiving office (moved by a
/// Kantor Camat laptop that worked without the hub) needs nothing more.
pub fn approval_refused(transfer: &Value, employee: Option<&Value>) -> Option<String> {
    let nip = text(transfer, "nip");
    if text(transfer, "employee_id") != crate::fact_id("employee", &[nip]) {
        return Some(format!(
            "NIP {nip} dan id pegawai pada mutasi ini tidak cocok"
        ));
    }
    let Some(employee) = employee else {
        return Some(format!("pegawai NIP {nip} tidak ada di hub"));
    };
    let office = text(employee, "office_id");
    if office == text(transfer, "to_office_id") {
        return None;
    }
    if office != text(transfer, "from_office_id") {
        return Some(format!(
            "{} sekarang tercatat di kantor lain, bukan di kantor asal mutasi ini",
            text(employee, "name")
        ));
    }
    if employee.get("active").and_then(Value::as_i64) != Some(1) {
        return Some(format!("{} tidak aktif", text(employee, "name")));
    }
    // The TMT dates a change in the atasan history, which never runs backwards.
    let tmt = text(transfer, "tmt");
    let last = atasan_log(employee)
        .iter()
        .filter_map(|e| {
            e.get("valid_from")
                .and_then(Value::as_str)
                .map(str::to_string)
        })
        .max();
    if let Some(last) = last.filter(|l| l.as_str() > tmt) {
        return Some(format!(
            "TMT {} lebih awal dari perubahan atasan terakhir {} ({}); periksa TMT pada SK mutasi",
            crate::tanggal_iso(tmt),
            text(employee, "name"),
            crate::tanggal_iso(&last)
        ));
    }
    None
}

fn atasan_log(employee: &Value) -> Vec<Value> {
    employee
        .get("atasan_log")
        .and_then(Value::as_str)
        .and_then(|s| serde_json::from_str(s).ok())
        .unwrap_or_default()
}

/// The employee row as an approved transfer leaves it: of the receiving office, with the atasan
/// the Kantor Camat chose there, that change dated by the TMT in the atasan history it carries,
/// at its next version.
pub fn moved_employee(employee: &Value, transfer: &Value) -> Value {
    let mut row = employee.clone();
    let to = text(transfer, "to_office_id");
    let atasan = transfer.get("to_atasan_id").cloned().unwrap_or(Value::Null);
    let mut log = atasan_log(employee);
    let entry = serde_json::json!({"atasan_id": atasan, "valid_from": text(transfer, "tmt")});
    if !log.contains(&entry) {
        log.push(entry);
    }
    row["office_id"] = to.into();
    row["owner_office_id"] = to.into();
    row["atasan_id"] = atasan;
    row["atasan_log"] = serde_json::to_string(&log).unwrap_or_default().into();
    next_version(&mut row, transfer);
    row
}

fn next_version(row: &mut Value, transfer: &Value) {
    let version = row.get("version").and_then(Value::as_i64).unwrap_or(0);
    row["version"] = (version + 1).into();
    // Only a row that keeps the time of its last change gets one (an L1 questionnaire has none).
    if let Some(at) = transfer.get("decided_at").filter(|v| v.is_string()) {
        if row.get("updated_at").is_some() {
            row["updated_at"] = at.clone();
        }
    }
}

/// The kinds of rows about an employee that follow them to the office they moved to, with the
/// field that names the employee (an L3 follow-up names them through its participation).
pub const HISTORY: &[&str] = &[
    "participation",
    "attendance",
    "reaction",
    "behaviour_followup",
    "appraisal",
    "skp_plan",
    "skp_dialog",
    "skp_realisasi",
    "attachment",
];

/// Whether `row` of `entity` follows its employee who moved on `tmt`: all of their history — their
/// Rencana SKP too, agreed or in draft (a draft's penilai then follows the register: the new
/// atasan) — except an appraisal still in draft for a period that began before the move, which the
/// penilai of the office they left finishes there (signed, it follows them too).
pub fn follows_employee(entity: &str, row: &Value, tmt: &str) -> bool {
    if entity != "appraisal" || crate::appraisal::is_signed_row(row) {
        return true;
    }
    let start = crate::appraisal::Period::parse(text(row, "period")).and_then(|p| {
        let year = row.get("year").and_then(Value::as_i64).unwrap_or(0) as i32;
        let month = row.get("month").and_then(Value::as_u64).map(|m| m as u32);
        crate::appraisal::form::period_start(year, p, month.filter(|m| *m > 0))
    });
    start.is_some_and(|s| s.to_string().as_str() >= tmt)
}

/// `row` re-filed under `office` by the hub for a transfer: its owner field (where it has one),
/// its next version.
pub fn refiled(row: &Value, office: &str, transfer: &Value) -> Value {
    let mut row = row.clone();
    if row.get("owner_office_id").is_some() {
        row["owner_office_id"] = office.into();
    }
    next_version(&mut row, transfer);
    row
}

/// Whether the office someone left may still write `row` of `entity` — an attendance mark or a
/// named L1 questionnaire of a training that began before the move (`training`), the move being
/// the approved `transfer` from that office: the office that ran their training finishes its
/// record, and the row is the receiving office's (it follows them).
pub fn left_office_may_write(
    entity: &str,
    office: &str,
    training: &Value,
    transfer: &Value,
) -> bool {
    matches!(entity, "attendance" | "reaction")
        && status_of(transfer) == Some(MutasiStatus::Disetujui)
        && text(transfer, "from_office_id") == office
        && !text(training, "start_date").is_empty()
        && text(training, "start_date") < text(transfer, "tmt")
}

/// The offices a transfer concerns besides its owner: both read it.
pub fn parties(row: &Value) -> [&str; 2] {
    let office = |f: &str| row.get(f).and_then(Value::as_str).unwrap_or_default();
    [office("from_office_id"), office("to_office_id")]
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn input() -> MutasiInput {
        MutasiInput {
            nip: "198503152010011003".into(),
            from_office_id: Some("T".into()),
            to_office_id: "P".into(),
            tmt: "2026-07-01".into(),
            ..Default::default()
        }
    }

    #[test]
    fn a_transfer_names_a_real_nip_two_different_offices_and_a_date() {
        assert!(input().validate().is_ok());
        let bad = MutasiInput {
            nip: "1985".into(),
            to_office_id: "T".into(),
            tmt: "1 Juli 2026".into(),
            sk_number: "x".repeat(101),
            ..input()
        };
        let fields: Vec<String> = bad
            .validate()
            .unwrap_err()
            .errors
            .into_iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(fields, [field::NIP, field::TO, field::TMT, field::SK]);
    }

    #[test]
    fn an_approval_moves_the_employee_and_their_history_but_not_a_drafted_earlier_period() {
        let nip = "198503152010011003";
        let transfer = json!({"employee_id": crate::fact_id("employee", &[nip]), "nip": nip,
            "from_office_id": "T", "to_office_id": "P", "tmt": "2026-07-01", "to_atasan_id": "citra",
            "decided_at": "2026-07-02T08:00:00Z"});
        let budi = json!({"id": "b", "name": "Budi", "office_id": "T", "owner_office_id": "T",
            "atasan_id": "ani", "active": 1, "version": 3,
            "atasan_log": "[{\"atasan_id\":\"ani\",\"valid_from\":\"2026-01-05\"}]"});
        assert_eq!(approval_refused(&transfer, Some(&budi)), None);
        assert!(approval_refused(&transfer, None).is_some());
        let elsewhere = json!({"name": "Budi", "office_id": "L", "active": 1});
        assert!(approval_refused(&transfer, Some(&elsewhere)).is_some());
        let changed_since = json!({"name": "Budi", "office_id": "T", "active": 1,
            "atasan_log": "[{\"atasan_id\":\"x\",\"valid_from\":\"2026-07-10\"}]"});
        assert!(approval_refused(&transfer, Some(&changed_since))
            .unwrap()
            .contains("lebih awal"));
        let forged = json!({"employee_id": "someone-else", "nip": nip});
        assert!(approval_refused(&forged, Some(&budi))
            .unwrap()
            .contains("tidak cocok"));

        let moved = moved_employee(&budi, &transfer);
        assert_eq!(
            (
                &moved["office_id"],
                &moved["owner_office_id"],
                &moved["atasan_id"],
                &moved["version"]
            ),
            (&json!("P"), &json!("P"), &json!("citra"), &json!(4))
        );
        let log: Vec<Value> = serde_json::from_str(moved["atasan_log"].as_str().unwrap()).unwrap();
        assert_eq!(
            log[1],
            json!({"atasan_id": "citra", "valid_from": "2026-07-01"})
        );
        assert_eq!(
            approval_refused(&transfer, Some(&moved)),
            None,
            "already moved"
        );

        let draft =
            |period: &str| json!({"status": "Draft", "year": 2026, "period": period, "month": 0});
        assert!(!follows_employee(
            "appraisal",
            &draft("Triwulan II"),
            "2026-07-01"
        ));
        assert!(follows_employee(
            "appraisal",
            &draft("Triwulan III"),
            "2026-07-01"
        ));
        let signed = json!({"status": "Final", "year": 2026, "period": "Triwulan I", "month": 0});
        assert!(follows_employee("appraisal", &signed, "2026-07-01"));
        assert!(follows_employee("attendance", &json!({}), "2026-07-01"));
        let approved = json!({"status": "Disetujui", "from_office_id": "T", "tmt": "2026-07-01"});
        let june = json!({"start_date": "2026-06-29"});
        let july = json!({"start_date": "2026-07-06"});
        assert!(left_office_may_write("attendance", "T", &june, &approved));
        assert!(left_office_may_write("reaction", "T", &june, &approved));
        assert!(
            !left_office_may_write("attendance", "T", &july, &approved),
            "after the move"
        );
        assert!(
            !left_office_may_write("attendance", "L", &june, &approved),
            "another office"
        );
        assert!(!left_office_may_write(
            "participation",
            "T",
            &june,
            &approved
        ));
        let waiting = json!({"status": "Diajukan", "from_office_id": "T", "tmt": "2026-07-01"});
        assert!(!left_office_may_write("attendance", "T", &june, &waiting));
        let p = refiled(
            &json!({"owner_office_id": "T", "version": 2}),
            "P",
            &transfer,
        );
        assert_eq!(
            (&p["owner_office_id"], &p["version"]),
            (&json!("P"), &json!(3))
        );
        let a = refiled(&json!({"version": 1}), "P", &transfer);
        assert!(a.get("owner_office_id").is_none());
        assert!(
            a.get("updated_at").is_none(),
            "no column the row does not have"
        );
    }

    #[test]
    fn dates_in_messages_read_as_people_write_them() {
        let day = chrono::NaiveDate::from_ymd_opt(2026, 7, 1).unwrap();
        assert_eq!(crate::tanggal(day), "1 Juli 2026");
        assert_eq!(crate::tanggal_iso("2026-12-31"), "31 Desember 2026");
        assert_eq!(crate::tanggal_iso("kemarin"), "kemarin");
    }

    #[test]
    fn only_the_kantor_camat_decides_and_a_decision_is_final() {
        let row =
            |status: &str| json!({"status": status, "from_office_id": "T", "to_office_id": "P"});
        assert_eq!(row_change_refused(None, &row("Diajukan"), false), None);
        assert!(row_change_refused(None, &row("Disetujui"), false).is_some());
        assert!(row_change_refused(Some(&row("Diajukan")), &row("Ditolak"), false).is_some());
        assert_eq!(
            row_change_refused(Some(&row("Diajukan")), &row("Disetujui"), true),
            None
        );
        assert_eq!(
            row_change_refused(Some(&row("Diajukan")), &row("Dibatalkan"), false),
            None
        );
        for decided in ["Disetujui", "Ditolak", "Dibatalkan"] {
            assert!(
                row_change_refused(Some(&row(decided)), &row("Disetujui"), true).is_some(),
                "{decided} is final, for the Kantor Camat too"
            );
        }
        assert!(row_change_refused(Some(&row("Disetujui")), &row("Diajukan"), true).is_some());
        assert_eq!(
            row_change_refused(Some(&row("Ditolak")), &row("Diajukan"), false),
            None,
            "asked again after a refusal"
        );
        assert!(row_change_refused(None, &row("Selesai"), true).is_some());
        let same = json!({"status": "Diajukan", "from_office_id": "T", "to_office_id": "T"});
        assert!(row_change_refused(None, &same, true).is_some());
    }
}
