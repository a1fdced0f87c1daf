//! Who owns a synced row, written once for the laptop's store, the hub and the rows a laptop
//! pulls (DESIGN §5, "Ownership"). Every row belongs to one office; that office's devices change
//! it, the Kantor Camat's devices change everything, and everyone else only reads what their scope
//! shows them.
//!
//! The owner is read from the row itself, never taken from what a sender claims about it: a field
//! of the payload for rows that name their office, the parent's owner for rows that hang off
//! another (an attendance mark belongs to the office of the employee it marks). Every other field
//! that names an office must agree with the owner, and a training's nested sessions must belong to
//! it, so no device can plant a row "of" another office inside a row of its own.

use serde_json::Value;

use crate::office::{office_id, HQ_CODE};

/// Rows of these kinds owned by the HQ are read by every office: the district staff that
/// employees' records point to (a Lurah's atasan is the Camat), the district's questionnaire
/// instruments, and the Kantor Camat's Rencana SKP (the Lurahs' RHK support the Camat's).
pub const SHARED_FROM_HQ: &[&str] = &["employee", "survey_instrument", "skp_plan"];

/// Rows of these kinds are read by every office, whoever owns them: the district's training
/// catalogue (the Kantor Camat's and each kelurahan's own), so that a colleague who moved office
/// brings a JP history whose trainings the receiving office can name.
pub const DISTRICT_WIDE: &[&str] = &["training"];

/// How a kind of row names its owner.
enum Rule {
    /// The payload's field holds the owner office's id.
    Field(&'static str),
    /// The owner is the owner of the row the field points to.
    Parent(&'static str, &'static str),
    /// A named L1 questionnaire belongs to the participant's office, an anonymous one to the
    /// training's owner (who collected it).
    Reaction,
}

fn rule(entity: &str) -> Option<Rule> {
    Some(match entity {
        "employee" | "training" | "participation" | "appraisal" | "org_result"
        | "survey_instrument" | "mutasi" | "skp_plan" | "skp_dialog" | "skp_realisasi"
        | "attachment" => Rule::Field("owner_office_id"),
        "survey_response" => Rule::Field("office_id"),
        "attendance" => Rule::Parent("employee_id", "employee"),
        "behaviour_followup" => Rule::Parent("participation_id", "participation"),
        "reaction" => Rule::Reaction,
        _ => return None,
    })
}

/// Rows other rows point to: (field, entity). A reference must name a row that exists where the
/// row is written (the hub checks them; a laptop's foreign keys do).
pub fn parents(entity: &str) -> &'static [(&'static str, &'static str)] {
    match entity {
        "employee" => &[("atasan_id", "employee")],
        "participation" => &[("training_id", "training"), ("employee_id", "employee")],
        "attendance" => &[("training_id", "training"), ("employee_id", "employee")],
        "reaction" => &[("training_id", "training"), ("employee_id", "employee")],
        "behaviour_followup" => &[
            ("participation_id", "participation"),
            ("supervisor_id", "employee"),
        ],
        "appraisal" => &[
            ("employee_id", "employee"),
            ("penilai_id", "employee"),
            ("amends_id", "appraisal"),
        ],
        "survey_response" => &[
            ("instrument_id", "survey_instrument"),
            ("employee_id", "employee"),
        ],
        "mutasi" => &[("employee_id", "employee")],
        "skp_plan" => &[
            ("employee_id", "employee"),
            ("penilai_id", "employee"),
            ("revises_id", "skp_plan"),
        ],
        "skp_dialog" => &[("employee_id", "employee"), ("plan_id", "skp_plan")],
        "skp_realisasi" => &[("employee_id", "employee"), ("plan_id", "skp_plan")],
        "attachment" => &[
            ("employee_id", "employee"),
            ("realisasi_id", "skp_realisasi"),
            ("participation_id", "participation"),
        ],
        _ => &[],
    }
}

fn text<'a>(row: &'a Value, field: &str) -> Option<&'a str> {
    row.get(field)
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
}

/// What a person is told about a kind of row.
pub fn label(entity: &str) -> &'static str {
    match entity {
        "employee" => "data pegawai",
        "training" => "pelatihan",
        "participation" => "pendaftaran peserta pelatihan",
        "attendance" => "daftar hadir",
        "reaction" => "kuesioner L1",
        "behaviour_followup" => "tindak lanjut perilaku (L3)",
        "appraisal" => "penilaian kinerja",
        "org_result" => "hasil kinerja organisasi",
        "skp_plan" => "Rencana SKP",
        "skp_dialog" => "catatan dialog kinerja",
        "skp_realisasi" => "realisasi Rencana SKP",
        "attachment" => "lampiran (bukti dukung atau sertifikat)",
        "survey_instrument" => "instrumen kuesioner",
        "survey_response" => "lembar jawaban kuesioner",
        "mutasi" => "mutasi pegawai",
        _ => "data",
    }
}

/// Whether `entity`'s owner comes from a parent row (an attendance mark, an L3 follow-up, an L1
/// questionnaire) rather than from a field of its own. Such a row's owner was checked against its
/// parent when it was written; a parent that moved office since does not make it another's.
pub fn derived(entity: &str) -> bool {
    matches!(rule(entity), Some(Rule::Parent(..) | Rule::Reaction))
}

/// The office that owns `row` of `entity`. `parent(entity, id)` finds a parent row where the
/// check runs (the laptop's tables, the hub's rows). An error names what is missing, in Indonesian.
pub fn owner_of(
    entity: &str,
    row: &Value,
    parent: &dyn Fn(&str, &str) -> Option<Value>,
) -> Result<String, String> {
    let missing = |what: &str| format!("{} tanpa {what}", label(entity));
    let via = |field: &str, parent_entity: &str| -> Result<String, String> {
        let id = text(row, field).ok_or_else(|| missing(field))?;
        let found = parent(parent_entity, id).ok_or_else(|| {
            format!(
                "{} menunjuk {} yang tidak ada ({id})",
                label(entity),
                label(parent_entity)
            )
        })?;
        owner_of(parent_entity, &found, parent)
    };
    match rule(entity).ok_or_else(|| format!("jenis data '{entity}' tidak dikenal"))? {
        Rule::Field(field) => text(row, field)
            .map(str::to_string)
            .ok_or_else(|| missing("kantor pemilik")),
        Rule::Parent(field, parent_entity) => via(field, parent_entity),
        Rule::Reaction => match text(row, "employee_id") {
            Some(_) => via("employee_id", "employee"),
            None => via("training_id", "training"),
        },
    }
}

/// Every other field of `row` that names an office or its parent agrees with `owner`; `None` when
/// they do, else what is wrong.
pub fn disagreement(entity: &str, row: &Value, owner: &str) -> Option<String> {
    let id = text(row, "id").unwrap_or_default();
    match entity {
        "employee" if text(row, "office_id") != Some(owner) => Some(
            "kantor pegawai (office_id) berbeda dengan kantor pemiliknya (owner_office_id)".into(),
        ),
        // The leader one level up sets an organisation's result (PermenPANRB 6/2022): the row is
        // the Kantor Camat's, whichever office it rates.
        "org_result" if owner != office_id(HQ_CODE).as_str() => Some(
            "predikat kinerja organisasi ditetapkan oleh pimpinan satu tingkat di atasnya \
             (Camat), di laptop Kantor Camat"
                .into(),
        ),
        // A transfer belongs to one of the two offices it concerns, or to the Kantor Camat.
        "mutasi"
            if owner != office_id(HQ_CODE).as_str()
                && !crate::mutasi::parties(row).contains(&owner) =>
        {
            Some("mutasi ini tidak menyangkut kantor pemiliknya".into())
        }
        "training" => row
            .get("sessions")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .any(|s| text(s, "training_id") != Some(id))
            .then(|| "sesi pelatihan ini milik pelatihan lain".into()),
        _ => None,
    }
}

/// Whether `row` of `entity` is a signed document — a Final appraisal, an agreed Rencana SKP —
/// which nothing but itself replaces, at the hub and on a laptop alike.
pub fn is_signed(entity: &str, row: &Value) -> bool {
    let status = row.get("status").and_then(Value::as_str);
    match entity {
        "appraisal" => status == Some("Final"),
        "skp_plan" => status == Some("Disepakati"),
        _ => false,
    }
}

/// Whether `row` carries any signature: a signed document, or a Rencana SKP draft one of its two
/// people already signed. Such a row is taken whole, never merged column by column (a merge
/// could put a signature under a text nobody signed).
pub fn carries_signature(entity: &str, row: &Value) -> bool {
    is_signed(entity, row)
        || (entity == "skp_plan"
            && ["pegawai_signed", "penilai_signed"]
                .iter()
                .any(|f| text(row, f).is_some()))
}

/// Whether a device of `office` (`hq`: the Kantor Camat's) may write a row whose owner was
/// `before` (none: a new row) and becomes `after`.
pub fn may_write(office: &str, hq: bool, before: Option<&str>, after: &str) -> bool {
    hq || (after == office && before.is_none_or(|b| b == office))
}

/// The kinds whose readers the row itself names (the offices a transfer is between, the office
/// an organisation result rates): the only ones [`readable`] decides by the row's content.
pub const NAMED_READERS: &[&str] = &["mutasi", "org_result"];

/// Whether a device of `office` reads `row` of `entity` owned by `owner`: its own office's rows,
/// what the Kantor Camat shares, the district's trainings, every transfer from or to it, and the
/// result the Camat set for it.
pub fn readable(office: &str, hq: bool, entity: &str, owner: &str, row: &Value) -> bool {
    hq || owner == office
        || (owner == office_id(HQ_CODE) && SHARED_FROM_HQ.contains(&entity))
        || DISTRICT_WIDE.contains(&entity)
        || (entity == "mutasi" && crate::mutasi::parties(row).contains(&office))
        || (entity == "org_result" && text(row, "office_id") == Some(office))
}

/// Why a device of `office` may not write this row, in words an operator can act on.
pub fn refusal(entity: &str, owner_name: &str) -> String {
    let what = label(entity);
    if entity == "employee" {
        format!(
            "{what} ini milik {owner_name}; hanya laptop kantor itu atau Kantor Camat yang dapat mengubahnya. \
             Jika pegawai ini pindah ke kantor Anda, ajukan mutasi ke kecamatan"
        )
    } else {
        format!(
            "{what} ini milik {owner_name}; hanya laptop kantor itu atau Kantor Camat yang dapat mengubahnya. \
             Jika perlu diubah, ajukan ke kecamatan"
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn rows(entity: &str, id: &str) -> Option<Value> {
        match (entity, id) {
            ("employee", "e-terjun") => {
                Some(json!({"id": id, "owner_office_id": "T", "office_id": "T"}))
            }
            ("training", "t-hq") => Some(json!({"id": id, "owner_office_id": office_id(HQ_CODE)})),
            ("participation", "p") => Some(json!({"id": id, "owner_office_id": "T"})),
            _ => None,
        }
    }

    #[test]
    fn a_mark_belongs_to_the_office_of_the_employee_it_marks() {
        let mark = json!({"id": "a", "employee_id": "e-terjun", "training_id": "t-hq"});
        assert_eq!(owner_of("attendance", &mark, &rows).unwrap(), "T");
        let follow = json!({"id": "f", "participation_id": "p"});
        assert_eq!(owner_of("behaviour_followup", &follow, &rows).unwrap(), "T");
    }

    #[test]
    fn a_named_questionnaire_in_a_district_training_belongs_to_the_participants_office() {
        let named = json!({"id": "r", "employee_id": "e-terjun", "training_id": "t-hq"});
        assert_eq!(owner_of("reaction", &named, &rows).unwrap(), "T");
        let anonymous = json!({"id": "r", "employee_id": null, "training_id": "t-hq"});
        assert_eq!(
            owner_of("reaction", &anonymous, &rows).unwrap(),
            office_id(HQ_CODE)
        );
    }

    #[test]
    fn a_missing_parent_or_owner_is_named() {
        let orphan = json!({"id": "a", "employee_id": "nobody"});
        assert!(owner_of("attendance", &orphan, &rows)
            .unwrap_err()
            .contains("tidak ada (nobody)"));
        assert!(owner_of("training", &json!({"id": "t"}), &rows)
            .unwrap_err()
            .contains("kantor pemilik"));
        assert!(owner_of("user_account", &json!({}), &rows).is_err());
    }

    #[test]
    fn office_fields_and_nested_sessions_must_agree_with_the_owner() {
        let planted = json!({"id": "e", "owner_office_id": "T", "office_id": "P"});
        assert!(disagreement("employee", &planted, "T").is_some());
        let fine = json!({"id": "e", "owner_office_id": "T", "office_id": "T"});
        assert!(disagreement("employee", &fine, "T").is_none());
        let foreign_session = json!({"id": "t", "sessions": [{"id": "s1", "training_id": "t"}, {"id": "s2", "training_id": "x"}]});
        assert!(disagreement("training", &foreign_session, "T").is_some());
        let hq = office_id(HQ_CODE);
        let by_camat = json!({"id": "o", "office_id": "T", "owner_office_id": hq});
        assert!(disagreement("org_result", &by_camat, &hq).is_none());
        assert!(disagreement("org_result", &by_camat, "P").is_some());
        // A kelurahan never rates itself, not even its own row.
        let own = json!({"id": "o", "office_id": "T", "owner_office_id": "T"});
        assert!(disagreement("org_result", &own, "T").is_some());
        // Every office reads the Kantor Camat's plans (the Lurahs' RHK support the Camat's), and
        // a kelurahan's plans stay its own.
        let camat_plan = json!({"id": "p", "owner_office_id": hq, "status": "Disepakati"});
        assert!(readable("T", false, "skp_plan", &hq, &camat_plan));
        assert!(is_signed("skp_plan", &camat_plan));
        assert!(!readable("P", false, "skp_plan", "T", &json!({"id": "q"})));
        assert!(!is_signed("skp_plan", &json!({"status": "Draft"})));
        assert!(is_signed("appraisal", &json!({"status": "Final"})));
        let half = json!({"status": "Draft", "pegawai_signed": "{}", "penilai_signed": null});
        assert!(carries_signature("skp_plan", &half) && !is_signed("skp_plan", &half));
        assert!(!carries_signature("skp_plan", &json!({"status": "Draft"})));
        // Terjun reads the result the Camat set for it, and nobody else's.
        assert!(readable("T", false, "org_result", &hq, &by_camat));
        assert!(!readable("P", false, "org_result", &hq, &by_camat));
    }

    #[test]
    fn an_office_writes_only_its_own_rows_and_the_hq_everything() {
        assert!(may_write("T", false, None, "T"));
        assert!(may_write("T", false, Some("T"), "T"));
        assert!(
            !may_write("T", false, None, "P"),
            "a new row of another office"
        );
        assert!(
            !may_write("T", false, Some("P"), "T"),
            "taking another's row"
        );
        assert!(may_write("HQ", true, Some("P"), "T"));
        let hq = office_id(HQ_CODE);
        let row = json!({});
        assert!(readable("T", false, "training", &hq, &row));
        assert!(
            readable("T", false, "training", "P", &row),
            "the district's catalogue"
        );
        assert!(!readable("T", false, "appraisal", &hq, &row));
        assert!(!readable("T", false, "employee", "P", &row));
        assert!(readable(&hq, true, "appraisal", "P", &row));
        let transfer = json!({"from_office_id": "T", "to_office_id": "P"});
        assert!(
            readable("T", false, "mutasi", "P", &transfer),
            "the office they leave"
        );
        assert!(
            !readable("L", false, "mutasi", "P", &transfer),
            "an office it does not concern"
        );
        assert!(disagreement("mutasi", &transfer, "T").is_none());
        assert!(disagreement("mutasi", &transfer, &hq).is_none());
        assert!(disagreement("mutasi", &transfer, "L").is_some());
    }
}
