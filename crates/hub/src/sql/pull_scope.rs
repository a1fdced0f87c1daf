//! The pull's query finds an office's scope through indexes (`rows::pull_query`); these tests hold
//! it to `rules::in_scope` over every entity, owner and earlier owner, so an entity made readable
//! more widely in `pelita_core::ownership` cannot be left out of the query unnoticed.

use std::collections::BTreeSet;

use pelita_core::office::{office_id, HQ_CODE};
use pelita_proto::{PullRequest, ENTITIES};
use serde_json::json;

use super::testing::{each_hub, TestHub};
use crate::db::args;
use crate::rules::{in_scope, Device};

fn plant_every_kind_of_row(hub: &TestHub) -> [String; 3] {
    let (a, b, hq) = (office_id("TERJUN"), office_id("RENGAS"), office_id(HQ_CODE));
    let mut seq = 0_i64;
    hub.write(|tx| {
        for entity in ENTITIES {
            for owner in [&a, &b, &hq] {
                for prev in [None, Some(&a), Some(&b)] {
                    for named in [&a, &b] {
                        seq += 1;
                        let id = format!("{entity}-{seq}");
                        // Every field a row names an office by (a transfer's two, the office
                        // an organisation result rates, an employee's, a training's target).
                        let payload = json!({"id": id, "from_office_id": named,
                            "to_office_id": hq, "office_id": named, "owner_office_id": named,
                            "target_office_id": named, "employee_office_id": named});
                        // Some rows this device wrote itself.
                        let writer = (seq % 5 == 0).then_some("d");
                        tx.execute(
                            "INSERT INTO row (entity, row_id, owner_office_id, version, payload, seq,
                                 prev_owner_office_id, device_id)
                             VALUES (?1, ?2, ?3, 1, ?4, ?5, ?6, ?7)",
                            args![entity, id, owner, payload.to_string(), seq, prev, writer],
                        )?;
                    }
                }
            }
        }
        Ok(())
    })
    .unwrap();
    [a, b, hq]
}

#[test]
fn a_pull_reads_exactly_what_the_rules_say_an_office_reads() {
    let dir = tempfile::tempdir().unwrap();
    each_hub(dir.path(), reads_exactly_its_scope);
}

fn reads_exactly_its_scope(hub: &TestHub) {
    let [a, b, hq] = plant_every_kind_of_row(hub);
    let cases = [(&a, false), (&b, false), (&hq, true)];
    for ((office, is_hq), include_own) in cases.iter().flat_map(|c| [(*c, true), (*c, false)]) {
        let device = Device {
            id: "d".into(),
            office_id: office.clone(),
            hq: is_hq,
        };
        let expected: BTreeSet<(String, String)> = {
            let rows = hub
                .read(|tx| {
                    tx.map(
                        "SELECT entity, row_id, owner_office_id, payload, prev_owner_office_id
                         FROM row WHERE CAST(?1 AS BOOLEAN) OR device_id IS DISTINCT FROM 'd'",
                        args![include_own],
                        |mut r| {
                            Ok((
                                r.get::<String>(0)?,
                                r.get::<String>(1)?,
                                r.get::<String>(2)?,
                                r.get::<String>(3)?,
                                r.get::<Option<String>>(4)?,
                            ))
                        },
                    )
                })
                .unwrap();
            rows.into_iter()
                .filter(|(entity, _, owner, payload, prev)| {
                    prev.as_deref() == Some(office.as_str())
                        || in_scope(
                            &device,
                            entity,
                            owner,
                            &serde_json::from_str(payload).unwrap(),
                        )
                })
                .map(|(entity, id, ..)| (entity, id))
                .collect()
        };
        let mut pulled = BTreeSet::new();
        let mut cursor = 0;
        loop {
            let page = hub
                .store()
                .pull(
                    &device,
                    &PullRequest {
                        cursor,
                        max_bytes: 4096,
                        include_own,
                        writer: None,
                    },
                )
                .unwrap();
            pulled.extend(page.changes.into_iter().map(|c| (c.entity, c.row_id)));
            cursor = page.cursor;
            if !page.more {
                break;
            }
        }
        assert!(!expected.is_empty());
        assert_eq!(pulled, expected, "office {office}");
        // The HQ reads everything; an office less.
        let all = ENTITIES.len() * 3 * 3 * 2;
        if include_own {
            assert_eq!(expected.len() == all, is_hq, "office {office}");
        }
    }
}
