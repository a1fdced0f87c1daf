//! The pull's query finds an office's scope through indexes (`rows::pull_query`); these tests hold
//! it to `rules::in_scope` over every entity, owner and earlier owner, so an entity made readable
//! more widely in `pelita_core::ownership` cannot be left out of the query unnoticed.

use std::collections::BTreeSet;

use pelita_core::office::{office_id, HQ_CODE};
use pelita_proto::{PullRequest, ENTITIES};
use rusqlite::params;
use serde_json::json;

use super::SqliteHub;
use crate::rules::{in_scope, Device};

fn hub_with_every_kind_of_row(dir: &std::path::Path) -> (SqliteHub, [String; 3]) {
    let hub = SqliteHub::open(&dir.join("hub.sqlite")).unwrap();
    let (a, b, hq) = (office_id("TERJUN"), office_id("RENGAS"), office_id(HQ_CODE));
    let mut seq = 0;
    {
        let conn = hub.conn();
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
                        conn.execute(
                            "INSERT INTO row (entity, row_id, owner_office_id, version, payload, seq,
                                 prev_owner_office_id, device_id)
                             VALUES (?1, ?2, ?3, 1, ?4, ?5, ?6, ?7)",
                            params![entity, id, owner, payload.to_string(), seq, prev, writer],
                        )
                        .unwrap();
                    }
                }
            }
        }
    }
    (hub, [a, b, hq])
}

#[test]
fn a_pull_reads_exactly_what_the_rules_say_an_office_reads() {
    let dir = tempfile::tempdir().unwrap();
    let (hub, [a, b, hq]) = hub_with_every_kind_of_row(dir.path());
    let cases = [(&a, false), (&b, false), (&hq, true)];
    for ((office, is_hq), include_own) in cases.iter().flat_map(|c| [(*c, true), (*c, false)]) {
        let device = Device {
            id: "d".into(),
            office_id: office.clone(),
            hq: is_hq,
        };
        let expected: BTreeSet<(String, String)> = {
            let conn = hub.conn();
            let mut stmt = conn
                .prepare(
                    "SELECT entity, row_id, owner_office_id, payload, prev_owner_office_id FROM row
                     WHERE ?1 OR device_id IS NOT 'd'",
                )
                .unwrap();
            let rows = stmt
                .query_map([include_own], |r| {
                    Ok((
                        r.get::<_, String>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, String>(2)?,
                        r.get::<_, String>(3)?,
                        r.get::<_, Option<String>>(4)?,
                    ))
                })
                .unwrap();
            rows.map(Result::unwrap)
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
                .pull_rows(
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
