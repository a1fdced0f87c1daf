//! What the hub decides about a pushed change, whatever storage it runs on: who may write a row,
//! what each device pulls, and how a change meets the row the hub already holds.

use pelita_core::ownership;
use pelita_proto::{Mutation, ENTITIES};

/// An enrolled device, as authenticated for one request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Device {
    pub id: String,
    pub office_id: String,
    /// A device of the Kantor Camat: it writes and reads every office's rows (the district view).
    pub hq: bool,
}

/// The row the hub holds.
#[derive(Debug, Clone, PartialEq)]
pub struct Stored {
    pub owner_office_id: String,
    pub version: i64,
    pub payload: serde_json::Value,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Decision {
    Apply,
    /// The hub already holds exactly this row (e.g. the same attendance recorded on two laptops).
    Same,
    /// Another change got there first: keep the hub's row, keep this one beside it.
    Conflict,
    Reject(String),
}

/// The office that owns `m`'s row, read from the row itself (never from what the device claims),
/// when `device` may write it; otherwise why not, in Indonesian. `parent` finds a row the hub holds,
/// `office_name` names an office for the message.
pub fn permitted(
    device: &Device,
    m: &Mutation,
    existing: Option<&Stored>,
    parent: &dyn Fn(&str, &str) -> Option<serde_json::Value>,
    office_name: &dyn Fn(&str) -> String,
    approved: &dyn Fn(&str) -> Vec<serde_json::Value>,
) -> Result<String, String> {
    let owner = ownership::owner_of(&m.entity, &m.payload, parent)?;
    if let Some(reason) = ownership::disagreement(&m.entity, &m.payload, &owner) {
        return Err(reason);
    }
    for (field, entity) in ownership::parents(&m.entity) {
        let id = m.payload.get(*field).and_then(|v| v.as_str());
        if let Some(id) = id.filter(|id| !id.is_empty() && *id != m.row_id) {
            if parent(entity, id).is_none() {
                return Err(format!(
                    "{} menunjuk {} yang belum ada di hub ({id}); kirim data itu lebih dulu",
                    ownership::label(&m.entity),
                    ownership::label(entity)
                ));
            }
        }
    }
    if m.entity == "attachment" {
        if let Some(reason) =
            pelita_core::attachment::row_refused(existing.map(|s| &s.payload), &m.payload)
        {
            return Err(reason);
        }
        // A file is attached to a record of the same pegawai.
        let of = |field: &str| m.payload.get(field).and_then(|v| v.as_str());
        let parent_row = match (of("realisasi_id"), of("participation_id")) {
            (Some(id), None) => parent("skp_realisasi", id),
            (None, Some(id)) => parent("participation", id),
            _ => None,
        };
        let same_person = parent_row
            .as_ref()
            .and_then(|p| p.get("employee_id"))
            .and_then(|v| v.as_str())
            == of("employee_id");
        if !same_person {
            return Err("lampiran menyebut pegawai lain daripada data yang dilampirinya".into());
        }
    }
    let before = existing.map(|s| s.owner_office_id.as_str());
    if ownership::may_write(&device.office_id, device.hq, before, &owner) {
        if m.entity == "mutasi" {
            let hub_row = existing.map(|s| &s.payload);
            if let Some(reason) =
                pelita_core::mutasi::row_change_refused(hub_row, &m.payload, device.hq)
            {
                return Err(reason);
            }
            // Approving moves the employee at the hub (`moves`): only from where they are.
            let status = |row: Option<&serde_json::Value>| {
                row.and_then(|r| r.get("status")).and_then(|s| s.as_str()) == Some("Disetujui")
            };
            if status(Some(&m.payload)) && !status(hub_row) {
                let employee = m
                    .payload
                    .get("employee_id")
                    .and_then(|v| v.as_str())
                    .and_then(|id| parent("employee", id));
                if let Some(reason) =
                    pelita_core::mutasi::approval_refused(&m.payload, employee.as_ref())
                {
                    return Err(reason);
                }
            }
        }
        return Ok(owner);
    }
    if left_office_writes(device, m, parent, approved) {
        return Ok(owner);
    }
    // Name the office the row belongs to (or would be taken from).
    let theirs = before.filter(|b| *b != device.office_id).unwrap_or(&owner);
    Err(ownership::refusal(&m.entity, &office_name(theirs)))
}

/// Whether `device`'s office is one an employee left by an approved transfer, finishing the
/// record of a training that began before the move (`core::mutasi::left_office_may_write`).
fn left_office_writes(
    device: &Device,
    m: &Mutation,
    parent: &dyn Fn(&str, &str) -> Option<serde_json::Value>,
    approved: &dyn Fn(&str) -> Vec<serde_json::Value>,
) -> bool {
    let field = |f: &str| {
        m.payload
            .get(f)
            .and_then(|v| v.as_str())
            .unwrap_or_default()
    };
    let Some(training) = parent("training", field("training_id")) else {
        return false;
    };
    approved(field("employee_id")).iter().any(|t| {
        pelita_core::mutasi::left_office_may_write(&m.entity, &device.office_id, &training, t)
    })
}

/// Whether a device pulls `row` of `entity` owned by `owner`.
pub fn in_scope(device: &Device, entity: &str, owner: &str, row: &serde_json::Value) -> bool {
    ownership::readable(&device.office_id, device.hq, entity, owner, row)
}

/// Checks a change's shape; `None` when it is well formed.
pub fn malformed(m: &Mutation) -> Option<String> {
    if !ENTITIES.contains(&m.entity.as_str()) {
        return Some(format!("jenis data '{}' tidak dikenal", m.entity));
    }
    if m.row_id.is_empty() || m.mutation_id.is_empty() {
        return Some("perubahan tanpa id".into());
    }
    if m.version <= m.base_version || m.base_version < 0 {
        return Some(format!(
            "versi {} tidak sesudah versi dasar {}",
            m.version, m.base_version
        ));
    }
    if m.payload.get("id").and_then(|v| v.as_str()) != Some(m.row_id.as_str()) {
        return Some("isi baris tidak cocok dengan id-nya".into());
    }
    // PostgreSQL keeps no NUL in text or JSON, SQLite would: a hub on either takes the same rows.
    if has_nul(&m.payload) {
        return Some(
            "isi baris memuat karakter NUL (\\u0000, biasanya terbawa saat menempel teks dari PDF); hapus karakter itu lalu simpan ulang"
                .into(),
        );
    }
    None
}

fn has_nul(v: &serde_json::Value) -> bool {
    match v {
        serde_json::Value::String(s) => s.contains('\0'),
        serde_json::Value::Array(items) => items.iter().any(has_nul),
        serde_json::Value::Object(map) => map.iter().any(|(k, v)| k.contains('\0') || has_nul(v)),
        _ => false,
    }
}

/// Why a whole push is refused before any of it is looked at: an id no database can keep.
pub fn unkeepable(mutations: &[Mutation]) -> Option<String> {
    mutations
        .iter()
        .flat_map(|m| [&m.mutation_id, &m.row_id, &m.entity])
        .any(|id| id.contains('\0'))
        .then(|| "kiriman memuat id perubahan yang berisi karakter NUL; kiriman ditolak".into())
}

/// How a well-formed, permitted change meets the hub's row.
pub fn decide(existing: Option<&Stored>, m: &Mutation) -> Decision {
    let Some(s) = existing else {
        return Decision::Apply;
    };
    if s.payload == m.payload {
        return Decision::Same;
    }
    // A signed document (a Final appraisal, an agreed plan) is never replaced by anything but
    // itself, moved whole to the office its pegawai transferred to (only the Kantor Camat's
    // devices move a row between offices).
    if pelita_core::ownership::is_signed(&m.entity, &s.payload)
        && !(pelita_core::appraisal::only_owner_moved(&s.payload, &m.payload)
            && s.version == m.base_version)
    {
        return Decision::Reject(format!(
            "{} ini sudah ditandatangani di hub; perubahan tidak dapat menimpanya",
            ownership::label(&m.entity)
        ));
    }
    if s.version != m.base_version {
        // Made without seeing the hub's row: both are kept for a person to choose (and the
        // laptop holds a settled conflict to the same rules as below).
        return Decision::Conflict;
    }
    // An opened questionnaire keeps its items and never returns to Draf, whoever pushes.
    if m.entity == "survey_instrument" {
        if let Some(reason) = pelita_core::survey::row_change_refused(&s.payload, &m.payload) {
            return Decision::Reject(reason);
        }
    }
    Decision::Apply
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn m(base: i64, payload: serde_json::Value) -> Mutation {
        Mutation {
            mutation_id: "m".into(),
            entity: "appraisal".into(),
            row_id: "r".into(),
            base_version: base,
            version: base + 1,
            owner_office_id: "A".into(),
            payload,
        }
    }

    fn stored(version: i64, payload: serde_json::Value) -> Stored {
        Stored {
            owner_office_id: "A".into(),
            version,
            payload,
        }
    }

    #[test]
    fn an_opened_instrument_pushed_back_to_draft_or_with_other_items_is_refused() {
        let items = |n: usize| {
            let items: Vec<String> = (0..n).map(|i| format!("butir {i}")).collect();
            serde_json::to_string(&json!([{"code": "X1", "name": "P", "items": items},
                                          {"code": "Y", "name": "K", "items": ["a", "b"]}]))
            .unwrap()
        };
        let open = json!({"id": "r", "status": "Dibuka", "constructs": items(3)});
        let change = |payload| Mutation {
            entity: "survey_instrument".into(),
            ..m(1, payload)
        };
        let hub = stored(1, open.clone());
        let draft = json!({"id": "r", "status": "Draf", "constructs": items(3)});
        let stale = Mutation {
            entity: "survey_instrument".into(),
            ..m(0, draft.clone())
        };
        assert_eq!(
            decide(Some(&hub), &stale),
            Decision::Conflict,
            "unseen: a person chooses"
        );
        let more = json!({"id": "r", "status": "Dibuka", "constructs": items(4)});
        let closed = json!({"id": "r", "status": "Ditutup", "constructs": items(3)});
        assert!(matches!(
            decide(Some(&hub), &change(draft)),
            Decision::Reject(_)
        ));
        assert!(matches!(
            decide(Some(&hub), &change(more)),
            Decision::Reject(_)
        ));
        assert_eq!(decide(Some(&hub), &change(closed)), Decision::Apply);
    }

    #[test]
    fn a_change_on_the_current_version_applies_and_on_an_older_one_conflicts() {
        let draft = json!({"id": "r", "status": "Draf", "n": 1});
        let newer = json!({"id": "r", "status": "Draf", "n": 2});
        assert_eq!(decide(None, &m(0, draft.clone())), Decision::Apply);
        assert_eq!(
            decide(Some(&stored(1, draft.clone())), &m(1, newer.clone())),
            Decision::Apply
        );
        assert_eq!(
            decide(Some(&stored(2, newer.clone())), &m(1, draft.clone())),
            Decision::Conflict
        );
        assert_eq!(
            decide(Some(&stored(2, newer.clone())), &m(1, newer)),
            Decision::Same
        );
    }

    #[test]
    fn a_final_appraisal_is_never_overwritten_by_a_draft() {
        let fin = json!({"id": "r", "status": "Final"});
        let draft = json!({"id": "r", "status": "Draf"});
        assert!(matches!(
            decide(Some(&stored(2, fin)), &m(2, draft)),
            Decision::Reject(_)
        ));
    }

    #[test]
    fn an_agreed_plan_is_never_overwritten_but_a_draft_one_is_changed() {
        let plan = |base, payload| Mutation {
            entity: "skp_plan".into(),
            ..m(base, payload)
        };
        let agreed = json!({"id": "r", "status": "Disepakati", "document": "a"});
        let draft = json!({"id": "r", "status": "Draft", "document": "b"});
        let Decision::Reject(why) = decide(Some(&stored(3, agreed)), &plan(3, draft.clone()))
        else {
            panic!("an agreed plan was overwritten");
        };
        assert!(
            why.contains("Rencana SKP ini sudah ditandatangani"),
            "{why}"
        );
        let older = json!({"id": "r", "status": "Draft", "document": "a"});
        assert_eq!(
            decide(Some(&stored(3, older)), &plan(3, draft)),
            Decision::Apply
        );
    }

    #[test]
    fn a_final_appraisal_moves_whole_with_its_appraisee_and_nothing_else_changes() {
        let fin = json!({"id": "r", "status": "Final", "owner_office_id": "A", "version": 2,
                         "updated_at": "t1", "predicate": "Baik"});
        let moved = json!({"id": "r", "status": "Final", "owner_office_id": "B", "version": 3,
                           "updated_at": "t2", "predicate": "Baik"});
        assert_eq!(
            decide(Some(&stored(2, fin.clone())), &m(2, moved.clone())),
            Decision::Apply
        );
        let rewritten = json!({"id": "r", "status": "Final", "owner_office_id": "B", "version": 3,
                               "updated_at": "t2", "predicate": "Sangat Baik"});
        assert!(matches!(
            decide(Some(&stored(2, fin.clone())), &m(2, rewritten)),
            Decision::Reject(_)
        ));
        assert!(
            matches!(
                decide(Some(&stored(3, fin)), &m(2, moved)),
                Decision::Reject(_)
            ),
            "a move made without seeing the hub's row is not a move"
        );
    }

    #[test]
    fn an_office_asks_for_a_transfer_and_only_the_kantor_camat_decides_it() {
        let (a, hq) = (
            Device {
                id: "d".into(),
                office_id: "A".into(),
                hq: false,
            },
            Device {
                id: "h".into(),
                office_id: "HQ".into(),
                hq: true,
            },
        );
        let nip = "198503152010011003";
        let e = pelita_core::fact_id("employee", &[nip]);
        let employee = json!({"id": e, "owner_office_id": "B", "office_id": "B", "active": 1});
        let parent =
            |entity: &str, id: &str| (entity == "employee" && id == e).then(|| employee.clone());
        let name = |o: &str| format!("kantor {o}");
        let transfer = |status: &str| Mutation {
            entity: "mutasi".into(),
            ..m(
                0,
                json!({"id": "r", "owner_office_id": "A", "employee_id": e, "nip": nip,
                       "status": status, "from_office_id": "B", "to_office_id": "A"}),
            )
        };
        assert_eq!(
            permitted(&a, &transfer("Diajukan"), None, &parent, &name, &|_| {
                Vec::new()
            }),
            Ok("A".into())
        );
        let forged = permitted(&a, &transfer("Disetujui"), None, &parent, &name, &|_| {
            Vec::new()
        })
        .unwrap_err();
        assert!(forged.contains("Kantor Camat"), "{forged}");
        let asked = Stored {
            owner_office_id: "A".into(),
            version: 1,
            payload: transfer("Diajukan").payload,
        };
        assert!(permitted(
            &hq,
            &transfer("Disetujui"),
            Some(&asked),
            &parent,
            &name,
            &|_| Vec::new()
        )
        .is_ok());
        let approved = Stored {
            payload: transfer("Disetujui").payload,
            ..asked.clone()
        };
        assert!(permitted(
            &hq,
            &transfer("Ditolak"),
            Some(&approved),
            &parent,
            &name,
            &|_| Vec::new()
        )
        .is_err());
        // An approval from where the employee no longer is moves nothing: refused.
        let moved_on = json!({"id": e, "owner_office_id": "C", "office_id": "C", "active": 1});
        let elsewhere =
            |entity: &str, id: &str| (entity == "employee" && id == e).then(|| moved_on.clone());
        assert!(permitted(
            &hq,
            &transfer("Disetujui"),
            Some(&asked),
            &elsewhere,
            &name,
            &|_| Vec::new()
        )
        .is_err());
        let nobody = Mutation {
            payload: json!({"id": "r", "owner_office_id": "A", "employee_id": "x", "status": "Diajukan",
                            "from_office_id": "B", "to_office_id": "A"}),
            ..transfer("Diajukan")
        };
        assert!(
            permitted(&a, &nobody, None, &parent, &name, &|_| Vec::new())
                .unwrap_err()
                .contains("belum ada di hub"),
            "a transfer of a NIP the district does not know"
        );
    }

    #[test]
    fn an_office_writes_its_own_rows_named_by_the_row_itself() {
        let a = Device {
            id: "d".into(),
            office_id: "A".into(),
            hq: false,
        };
        let hq = Device {
            id: "h".into(),
            office_id: "HQ".into(),
            hq: true,
        };
        let none = |_: &str, _: &str| None;
        let name = |o: &str| format!("kantor {o}");
        let employee = |office: &str| Mutation {
            entity: "employee".into(),
            ..m(
                0,
                json!({"id": "r", "owner_office_id": office, "office_id": office}),
            )
        };
        assert_eq!(
            permitted(&a, &employee("A"), None, &none, &name, &|_| Vec::new()),
            Ok("A".into())
        );
        let refused =
            permitted(&a, &employee("B"), None, &none, &name, &|_| Vec::new()).unwrap_err();
        assert!(
            refused.contains("kantor B") && refused.contains("mutasi"),
            "{refused}"
        );
        // The envelope claims A, the row says B: the row wins.
        let mut claimed = employee("B");
        claimed.owner_office_id = "A".into();
        assert!(permitted(&a, &claimed, None, &none, &name, &|_| Vec::new()).is_err());
        let b_row = Stored {
            owner_office_id: "B".into(),
            version: 1,
            payload: json!({}),
        };
        assert!(
            permitted(&a, &employee("A"), Some(&b_row), &none, &name, &|_| {
                Vec::new()
            })
            .unwrap_err()
            .contains("kantor B"),
            "claiming B's row as A's"
        );
        assert!(
            permitted(&hq, &employee("B"), Some(&b_row), &none, &name, &|_| {
                Vec::new()
            })
            .is_ok()
        );
        let planted = Mutation {
            entity: "employee".into(),
            ..m(
                0,
                json!({"id": "r", "owner_office_id": "A", "office_id": "B"}),
            )
        };
        assert!(permitted(&a, &planted, None, &none, &name, &|_| Vec::new()).is_err());
        let orphan = Mutation {
            entity: "participation".into(),
            ..m(
                0,
                json!({"id": "r", "owner_office_id": "A", "training_id": "t", "employee_id": "e"}),
            )
        };
        assert!(permitted(&a, &orphan, None, &none, &name, &|_| Vec::new())
            .unwrap_err()
            .contains("belum ada di hub"));
        assert!(in_scope(&hq, "appraisal", "B", &serde_json::json!({})));
        assert!(!in_scope(&a, "employee", "B", &serde_json::json!({})));
    }

    #[test]
    fn every_kind_that_syncs_has_an_owner_rule() {
        for entity in ENTITIES {
            let found = ownership::owner_of(entity, &json!({"id": "r"}), &|_, _| None);
            assert!(
                !found.as_ref().is_err_and(|e| e.contains("tidak dikenal")),
                "{entity}: {found:?}"
            );
            assert_ne!(ownership::label(entity), "data", "{entity}");
        }
    }

    #[test]
    fn malformed_changes_are_named() {
        let mut bad = m(0, json!({"id": "other"}));
        assert!(malformed(&bad).unwrap().contains("tidak cocok"));
        bad.payload = json!({"id": "r"});
        bad.entity = "user_account".into();
        assert!(malformed(&bad).unwrap().contains("tidak dikenal"));
        bad.entity = "employee".into();
        bad.version = 0;
        assert!(malformed(&bad).is_some());
        // A NUL pasted into a field is named, so a hub on PostgreSQL refuses the row, not the push.
        let pasted = m(0, json!({"id": "r", "name": "Budi\u{0}Santoso"}));
        assert!(malformed(&pasted).unwrap().contains("NUL"), "{pasted:?}");
        assert!(malformed(&m(0, json!({"id": "r", "name": "Budi \\u0000 ketik"}))).is_none());
        let mut id = m(0, json!({"id": "r"}));
        assert!(unkeepable(std::slice::from_ref(&id)).is_none());
        id.mutation_id = "d.1\0".into();
        assert!(unkeepable(&[id]).unwrap().contains("NUL"));
    }
}
