//! What the hub decides about a pushed change, whatever storage it runs on: who may write a row,
//! what each device pulls, and how a change meets the row the hub already holds.

use pelita_proto::{Mutation, ENTITIES, SHARED_FROM_HQ};

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

/// Whether `device` may write `m` onto `existing`: only rows its office owns, before and after.
pub fn may_write(device: &Device, m: &Mutation, existing: Option<&Stored>) -> bool {
    device.hq
        || (m.owner_office_id == device.office_id
            && existing.is_none_or(|s| s.owner_office_id == device.office_id))
}

/// Whether a device pulls rows of `entity` owned by `owner`.
pub fn in_scope(device: &Device, hq_office_id: &str, entity: &str, owner: &str) -> bool {
    device.hq
        || owner == device.office_id
        || (owner == hq_office_id && SHARED_FROM_HQ.contains(&entity))
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
    None
}

fn is_final(payload: &serde_json::Value) -> bool {
    payload.get("status").and_then(|s| s.as_str()) == Some("Final")
}

/// How a well-formed, permitted change meets the hub's row.
pub fn decide(existing: Option<&Stored>, m: &Mutation) -> Decision {
    let Some(s) = existing else {
        return Decision::Apply;
    };
    if s.payload == m.payload {
        return Decision::Same;
    }
    // A signed appraisal is never replaced by anything but itself.
    if m.entity == "appraisal" && is_final(&s.payload) {
        return Decision::Reject(
            "penilaian ini sudah Final di hub; perubahan tidak dapat menimpanya".into(),
        );
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
    fn an_office_writes_and_reads_its_own_rows_and_the_hq_everything() {
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
        let mine = m(0, json!({"id": "r"}));
        let mut theirs = mine.clone();
        theirs.owner_office_id = "B".into();
        assert!(may_write(&a, &mine, None));
        assert!(!may_write(&a, &theirs, None));
        let b_row = Stored {
            owner_office_id: "B".into(),
            version: 1,
            payload: json!({}),
        };
        assert!(
            !may_write(&a, &mine, Some(&b_row)),
            "claiming B's row as A's"
        );
        assert!(may_write(&hq, &theirs, Some(&b_row)));
        assert!(in_scope(&a, "HQ", "training", "HQ"));
        assert!(!in_scope(&a, "HQ", "appraisal", "HQ"));
        assert!(!in_scope(&a, "HQ", "employee", "B"));
        assert!(in_scope(&hq, "HQ", "appraisal", "B"));
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
    }
}
