//! The wire form of a push batch. Per-change bookkeeping is what zstd compresses worst: each
//! mutation id's sequence number is new text, and a row id repeated before its payload costs a
//! second copy. So the ids travel as runs (`<prefix>.<first>` and how many follow), and the row
//! id and version are left out whenever the payload states them. The conversion is lossless
//! both ways; [`crate::PushRequest`] is what both sides work with.

use serde::{Deserialize, Serialize};

use crate::{Mutation, PushRequest};

#[derive(Serialize, Deserialize)]
pub struct PushBatch {
    ids: Vec<IdRun>,
    mutations: Vec<Change>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    resolved_conflicts: Vec<String>,
}

/// `count` consecutive ids `<prefix>.<first>`, `<prefix>.<first + 1>`, …; an id without a
/// numeric tail is a run of one with no `first`, the prefix being the whole id.
#[derive(Serialize, Deserialize)]
struct IdRun {
    prefix: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    first: Option<u64>,
    count: u32,
}

#[derive(Serialize, Deserialize)]
struct Change {
    entity: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    row_id: Option<String>,
    base_version: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    version: Option<i64>,
    owner_office_id: String,
    payload: serde_json::Value,
}

fn split_id(id: &str) -> (&str, Option<u64>) {
    match id.rsplit_once('.') {
        // Only a canonical number round-trips ("007" would come back as "7").
        Some((prefix, tail)) => match tail.parse::<u64>() {
            Ok(n) if n.to_string() == tail => (prefix, Some(n)),
            _ => (id, None),
        },
        None => (id, None),
    }
}

impl From<PushRequest> for PushBatch {
    fn from(req: PushRequest) -> Self {
        let mut ids: Vec<IdRun> = Vec::new();
        let mut mutations = Vec::with_capacity(req.mutations.len());
        for m in req.mutations {
            let (prefix, first) = split_id(&m.mutation_id);
            let extends = ids.last().is_some_and(|run| {
                run.prefix == prefix
                    && matches!((run.first, first), (Some(a), Some(b)) if a.checked_add(u64::from(run.count)) == Some(b))
            });
            match ids.last_mut() {
                Some(run) if extends => run.count += 1,
                _ => ids.push(IdRun {
                    prefix: prefix.to_string(),
                    first,
                    count: 1,
                }),
            }
            let said_id = m.payload.get("id").and_then(|v| v.as_str());
            let said_version = m.payload.get("version").and_then(|v| v.as_i64());
            mutations.push(Change {
                row_id: (said_id != Some(m.row_id.as_str())).then_some(m.row_id),
                version: (said_version != Some(m.version)).then_some(m.version),
                entity: m.entity,
                base_version: m.base_version,
                owner_office_id: m.owner_office_id,
                payload: m.payload,
            });
        }
        PushBatch {
            ids,
            mutations,
            resolved_conflicts: req.resolved_conflicts,
        }
    }
}

impl TryFrom<PushBatch> for PushRequest {
    type Error = String;

    fn try_from(batch: PushBatch) -> Result<Self, String> {
        let claimed: u64 = batch.ids.iter().map(|run| u64::from(run.count)).sum();
        if claimed != batch.mutations.len() as u64 {
            return Err(format!(
                "{claimed} id perubahan untuk {} perubahan",
                batch.mutations.len()
            ));
        }
        let mut ids = Vec::with_capacity(batch.mutations.len());
        for run in &batch.ids {
            match run.first {
                None if run.count == 1 => ids.push(run.prefix.clone()),
                None => return Err("deretan id tanpa nomor awal berisi lebih dari satu".into()),
                Some(first) => {
                    for k in 0..u64::from(run.count) {
                        let n = first
                            .checked_add(k)
                            .ok_or("nomor id perubahan terlalu besar")?;
                        ids.push(format!("{}.{n}", run.prefix));
                    }
                }
            }
        }
        let mutations = ids
            .into_iter()
            .zip(batch.mutations)
            .map(|(mutation_id, c)| {
                let row_id = match c.row_id {
                    Some(id) => id,
                    None => c
                        .payload
                        .get("id")
                        .and_then(|v| v.as_str())
                        .ok_or_else(|| format!("perubahan {mutation_id} tanpa id baris"))?
                        .to_string(),
                };
                let version = match c.version {
                    Some(v) => v,
                    None => c
                        .payload
                        .get("version")
                        .and_then(|v| v.as_i64())
                        .ok_or_else(|| format!("perubahan {mutation_id} tanpa versi"))?,
                };
                Ok(Mutation {
                    mutation_id,
                    entity: c.entity,
                    row_id,
                    base_version: c.base_version,
                    version,
                    owner_office_id: c.owner_office_id,
                    payload: c.payload,
                })
            })
            .collect::<Result<_, String>>()?;
        Ok(PushRequest {
            mutations,
            resolved_conflicts: batch.resolved_conflicts,
        })
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;
    use serde_json::json;

    use crate::{decode, encode, Mutation, PushRequest};

    fn mutation(id: &str, row: &str, version: i64, payload: serde_json::Value) -> Mutation {
        Mutation {
            mutation_id: id.into(),
            entity: "employee".into(),
            row_id: row.into(),
            base_version: version - 1,
            version,
            owner_office_id: "o".into(),
            payload,
        }
    }

    #[test]
    fn consecutive_ids_travel_as_one_run_and_payload_facts_once() {
        let req = PushRequest {
            mutations: (7..12)
                .map(|n| {
                    let row = format!("r{n}");
                    mutation(
                        &format!("db.0.{n}"),
                        &row,
                        1,
                        json!({"id": row, "version": 1}),
                    )
                })
                .collect(),
            resolved_conflicts: vec![],
        };
        let text = serde_json::to_string(&req).unwrap();
        assert!(
            text.contains(r#""ids":[{"prefix":"db.0","first":7,"count":5}]"#),
            "{text}"
        );
        assert!(!text.contains("row_id") && !text.contains(r#""version":1,"owner"#));
        assert_eq!(serde_json::from_str::<PushRequest>(&text).unwrap(), req);
    }

    #[test]
    fn a_batch_whose_ids_do_not_match_its_changes_is_refused() {
        let lying = json!({"ids": [{"prefix": "db.0", "first": 1, "count": 3}],
            "mutations": [{"entity": "employee", "base_version": 0, "owner_office_id": "o",
                "payload": {"id": "r", "version": 1}}]});
        let err = serde_json::from_value::<PushRequest>(lying).unwrap_err();
        assert!(
            err.to_string().contains("3 id perubahan untuk 1 perubahan"),
            "{err}"
        );
        let no_id = json!({"ids": [{"prefix": "x", "count": 1}],
            "mutations": [{"entity": "employee", "base_version": 0, "owner_office_id": "o",
                "payload": {"version": 1}}]});
        assert!(serde_json::from_value::<PushRequest>(no_id).is_err());
    }

    proptest! {
        /// Any ids (gaps, other prefixes, no number, leading zeros), row ids that differ from
        /// the payload's and versions that do: what arrives is what was sent.
        #[test]
        fn every_batch_round_trips(
            items in prop::collection::vec(
                ("(db|x\\.y|)", prop_oneof![Just(None), (0u64..30).prop_map(Some)], "0?[0-9]?",
                 any::<bool>(), any::<bool>(), -2i64..4),
                0..40)
        ) {
            let mutations = items.iter().enumerate().map(|(k, (prefix, n, tail, same_row, same_version, v))| {
                let id = match n {
                    Some(n) => format!("{prefix}.{n}"),
                    None => format!("{prefix}{tail}"),
                };
                let row = format!("r{k}");
                let payload = json!({
                    "id": if *same_row { row.clone() } else { format!("other{k}") },
                    "version": if *same_version { *v } else { v + 1 },
                });
                mutation(&id, &row, *v, payload)
            }).collect();
            let req = PushRequest { mutations, resolved_conflicts: vec!["c".into()] };
            prop_assert_eq!(decode::<PushRequest>(&encode(&req)).unwrap(), req);
        }
    }
}
