//! The store on each database (`testing::each_hub`): what a push does with a row a database
//! could not keep, and a database a newer hub already migrated.

use pelita_core::office::office_id;
use pelita_proto::{Mutation, Outcome};
use serde_json::json;

use super::testing::{each_hub, TestHub};
use crate::db::args;
use crate::rules::Device;
use crate::store::HubError;

fn employee(n: u32, name: &str) -> Mutation {
    let id = format!("emp-{n}");
    Mutation {
        mutation_id: format!("laptop.{n}"),
        entity: "employee".into(),
        row_id: id.clone(),
        base_version: 0,
        version: 1,
        owner_office_id: office_id("TERJUN"),
        payload: json!({"id": id, "office_id": office_id("TERJUN"),
            "owner_office_id": office_id("TERJUN"), "name": name,
            "active": true, "deleted": false}),
    }
}

/// A TERJUN laptop's device.
fn laptop() -> Device {
    Device {
        id: "laptop".into(),
        office_id: office_id("TERJUN"),
        hq: false,
    }
}

#[test]
fn a_pasted_nul_refuses_its_row_and_the_rest_of_the_push_is_kept() {
    let dir = tempfile::tempdir().unwrap();
    each_hub(dir.path(), |hub| {
        let device = laptop();
        let pushed = [employee(1, "Budi\u{0}Santoso"), employee(2, "Siti")];
        let acks = hub.store().push(&device, &pushed, &[]).unwrap();
        match &acks[0].outcome {
            Outcome::Rejected { reason, .. } => assert!(reason.contains("NUL"), "{reason}"),
            other => panic!("{other:?}"),
        }
        assert!(matches!(acks[1].outcome, Outcome::Applied), "{:?}", acks[1]);
        assert_eq!(hub.store().received_count().unwrap(), 2);
        // Sent again (the answer was lost), each is answered as the first time.
        let again = hub.store().push(&device, &pushed, &[]).unwrap();
        assert!(matches!(again[0].outcome, Outcome::Rejected { .. }));
        assert!(matches!(again[1].outcome, Outcome::Duplicate));
        assert_eq!(hub.store().status().unwrap().duplicates, 2);
        // An id with a NUL is no change any database can record: the push is refused whole.
        let mut bad = employee(3, "Ani");
        bad.mutation_id = "laptop.3\0".into();
        let e = hub.store().push(&device, &[bad], &[]).unwrap_err();
        assert!(
            matches!(e, HubError::BadRequest(ref m) if m.contains("NUL")),
            "{e}"
        );
        assert_eq!(hub.store().status().unwrap().rows, 1);
    });
}

#[test]
fn a_change_sent_twice_in_one_push_is_taken_once() {
    let dir = tempfile::tempdir().unwrap();
    each_hub(dir.path(), |hub| {
        let device = laptop();
        let mut later = employee(1, "Budi Santoso");
        later.mutation_id = "laptop.2".into();
        later.base_version = 1;
        later.version = 2;
        let pushed = [employee(1, "Budi"), employee(1, "Budi"), later];
        let acks = hub.store().push(&device, &pushed, &[]).unwrap();
        let outcomes: Vec<_> = acks.iter().map(|a| &a.outcome).collect();
        assert!(
            matches!(
                outcomes[..],
                [Outcome::Applied, Outcome::Duplicate, Outcome::Applied]
            ),
            "{outcomes:?}"
        );
        assert_eq!(hub.store().received_count().unwrap(), 2);
        let status = hub.store().status().unwrap();
        assert_eq!((status.rows, status.duplicates, status.last_seq), (1, 1, 2));
    });
}

#[test]
fn an_older_hub_refuses_a_database_a_newer_one_migrated() {
    let dir = tempfile::tempdir().unwrap();
    each_hub(dir.path(), |hub| {
        let TestHub::Postgres(_) = hub else {
            // SQLite keeps its version in the file header (`user_version`), never lowered.
            return;
        };
        hub.write(|tx| tx.execute("UPDATE pelita_schema SET version = ?1", args![99]))
            .unwrap();
        let url = crate::local::test_postgres(&dir.path().join("hub.sqlite")).unwrap();
        let e = crate::PgHub::connect(&url)
            .err()
            .expect("a newer schema is refused");
        assert!(e.to_string().contains("lebih baru"), "{e}");
        hub.write(|tx| tx.value::<i64>("SELECT version FROM pelita_schema", &[]))
            .map(|v| assert_eq!(v, 99, "the version is never lowered"))
            .unwrap();
    });
}
