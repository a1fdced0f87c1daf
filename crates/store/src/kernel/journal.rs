//! The one write path of a synced row: a change, once written to its table, is recorded here —
//! its outbox mutation (the row as it now stands, for the hub) and its audit entry (who, what,
//! under the row's owner) — together, in the change's own transaction. "Every write appends to the
//! outbox" lives in this one function (ARCHITECTURE, Invariants).

use rusqlite::Connection;

use crate::kernel::audit::{self, AuditAction, AuditEvent};
use crate::kernel::outbox;
use crate::Result;

/// A change just written to the row `id` of `entity`.
pub(crate) struct Change<'a> {
    pub entity: &'a str,
    pub id: &'a str,
    /// The version the change was made on (0: a new row).
    pub base_version: i64,
    /// The username of who made it.
    pub actor: &'a str,
    pub action: AuditAction,
    pub detail: &'a str,
}

/// Records `change`: the outbox mutation at the row's current version and the audit entry under
/// its owner (read from the row, as the hub reads it).
pub(crate) fn record(conn: &Connection, change: Change<'_>) -> Result<()> {
    let owner = outbox::append(conn, change.entity, change.id, change.base_version)?;
    audit::append(
        conn,
        &AuditEvent {
            actor: change.actor,
            office_id: &owner,
            action: change.action,
            entity: change.entity,
            record_id: change.id,
            detail: change.detail,
        },
    )
}

/// Records a change of a row (`journal::record`), as the training-side writes call it: made on
/// `base`, by `by`.
pub(crate) fn record_fact(
    conn: &Connection,
    entity: &str,
    id: &str,
    base: i64,
    (by, action, detail): (&str, AuditAction, &str),
) -> Result<()> {
    crate::kernel::journal::record(
        conn,
        crate::kernel::journal::Change {
            entity,
            id,
            base_version: base,
            actor: by,
            action,
            detail,
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn database() -> (tempfile::TempDir, Connection) {
        let dir = tempfile::tempdir().unwrap();
        let conn = crate::kernel::db::open_connection(
            &dir.path().join("a.sqlite"),
            &crate::kernel::db::new_db_key(),
        )
        .unwrap();
        (dir, conn)
    }

    fn count(conn: &Connection, table: &str) -> i64 {
        conn.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
            .unwrap()
    }

    #[test]
    fn a_change_appends_its_outbox_mutation_and_its_audit_entry_together() {
        let (_dir, conn) = database();
        let terjun = pelita_core::office::office_id("TERJUN");
        conn.execute(
            "INSERT INTO employee (id, nip, name, birth_date, sex, status, golongan, jabatan,
                 jenis_jabatan, office_id, owner_office_id, version, created_at, updated_at)
             VALUES ('e', '198503122010011002', 'Ahmad', '1985-03-12', 'L', 'PNS', 'III/a',
                 'Pelaksana', 'Pelaksana', ?1, ?1, 3, 't', 't')",
            [&terjun],
        )
        .unwrap();
        let (outbox, audit) = (count(&conn, "outbox"), count(&conn, "audit_log"));
        record(
            &conn,
            Change {
                entity: "employee",
                id: "e",
                base_version: 2,
                actor: "siti",
                action: AuditAction::Update,
                detail: "versi 3",
            },
        )
        .unwrap();
        assert_eq!(count(&conn, "outbox"), outbox + 1);
        assert_eq!(count(&conn, "audit_log"), audit + 1);
        let (base, version, owner, payload): (i64, i64, String, String) = conn
            .query_row(
                "SELECT base_version, version, owner_office_id, payload FROM outbox
                 ORDER BY seq DESC LIMIT 1",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )
            .unwrap();
        assert_eq!((base, version, owner.as_str()), (2, 3, terjun.as_str()));
        assert!(
            payload.contains("\"name\":\"Ahmad\""),
            "the whole row: {payload}"
        );
        let (actor, office, action): (String, String, String) = conn
            .query_row(
                "SELECT actor, office_id, action FROM audit_log ORDER BY seq DESC LIMIT 1",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .unwrap();
        assert_eq!(
            (actor.as_str(), office.as_str(), action.as_str()),
            ("siti", terjun.as_str(), "update")
        );

        // A row that is not there records nothing: neither half without the other.
        let missing = record(
            &conn,
            Change {
                entity: "employee",
                id: "nobody",
                base_version: 0,
                actor: "siti",
                action: AuditAction::Create,
                detail: "",
            },
        );
        assert!(missing.is_err());
        assert_eq!(count(&conn, "outbox"), outbox + 1);
        assert_eq!(count(&conn, "audit_log"), audit + 1);
    }
}
