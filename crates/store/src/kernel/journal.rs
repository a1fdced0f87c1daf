//! The one write path of a synced row: a change, once written to its table, is recorded here —
//! its outbox mutation (the row as it now stands, for the hub) and its audit entry (who, what,
//! under the row's owner) — together, in the change's own transaction. "Every write appends to the
//! outbox" lives in this one function (ARCHITECTURE, Invariants). A write that checks a whole file
//! first runs through [`Store::all_or_nothing`]: everything is kept, or nothing.

use rusqlite::Connection;
use serde::{Deserialize, Serialize};
use specta::Type;

use crate::kernel::audit::{self, AuditAction, AuditEvent};
use crate::kernel::outbox;
use crate::{Result, Store};

/// Whether a file's import is only tried, to show what it would do (`Preview`), or kept (`Commit`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
pub enum Mode {
    Preview,
    Commit,
}

impl Store {
    /// Runs `f` inside a savepoint and keeps what it wrote only in [`Mode::Commit`] and when
    /// `clean` finds nothing wrong in its answer; a preview, an answer with problems, an error and
    /// a panic all leave the database as it was, and the connection usable. Returns `f`'s answer
    /// and whether it was kept; when undoing fails too, `f`'s own error is the one returned.
    pub(crate) fn all_or_nothing<T>(
        &mut self,
        mode: Mode,
        clean: impl FnOnce(&T) -> bool,
        f: impl FnOnce(&mut Store) -> Result<T>,
    ) -> Result<(T, bool)> {
        // Outermost, the savepoint is the transaction: releasing it commits.
        let outermost = self.conn.is_autocommit();
        self.conn.execute_batch("SAVEPOINT all_or_nothing")?;
        let out = match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| f(self))) {
            Ok(out) => out,
            Err(panic) => {
                undo(&self.conn, outermost);
                std::panic::resume_unwind(panic);
            }
        };
        let kept = mode == Mode::Commit && matches!(&out, Ok(v) if clean(v));
        if kept {
            if let Err(e) = self.conn.execute_batch("RELEASE all_or_nothing") {
                undo(&self.conn, outermost);
                return Err(e.into());
            }
        } else {
            undo(&self.conn, outermost);
        }
        Ok((out?, kept))
    }
}

/// Takes back everything since `SAVEPOINT all_or_nothing`, whatever state a failure left: SQLite
/// may already have rolled the transaction back (then the savepoint is gone), or a commit may
/// have failed with the transaction still open.
fn undo(conn: &Connection, outermost: bool) {
    let _ = conn.execute_batch("ROLLBACK TO all_or_nothing; RELEASE all_or_nothing");
    if outermost && !conn.is_autocommit() {
        let _ = conn.execute_batch("ROLLBACK");
    }
}

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

    fn store() -> (tempfile::TempDir, Store) {
        let dir = tempfile::tempdir().unwrap();
        let setup = crate::Setup {
            office_code: "TERJUN".into(),
            load_demo: false,
            username: "admin".into(),
            full_name: "Admin Terjun".into(),
            password: "Rahasia-Kantor-9".into(),
        };
        let (store, _) = Store::create(dir.path().join("a.sqlite"), &setup).unwrap();
        (dir, store)
    }

    fn write_theme(store: &mut Store, name: &str) -> Result<usize> {
        Ok(store
            .conn
            .execute("INSERT INTO training_theme (name) VALUES (?1)", [name])?)
    }

    #[test]
    fn all_or_nothing_keeps_a_clean_commit_and_nothing_else() {
        let (_dir, mut store) = store();
        let themes = |s: &Store| count(&s.conn, "training_theme");
        let before = themes(&store);
        // A preview writes, answers, and leaves nothing.
        let (n, kept) = store
            .all_or_nothing(Mode::Preview, |_| true, |s| write_theme(s, "Pratinjau"))
            .unwrap();
        assert_eq!((n, kept, themes(&store)), (1, false, before));
        // A commit whose answer has problems leaves nothing.
        let (_, kept) = store
            .all_or_nothing(Mode::Commit, |_| false, |s| write_theme(s, "Bermasalah"))
            .unwrap();
        assert_eq!((kept, themes(&store)), (false, before));
        // An error leaves nothing, not even what was written before it.
        let err = store.all_or_nothing(
            Mode::Commit,
            |_: &()| true,
            |s| {
                write_theme(s, "Sebelum galat")?;
                write_theme(s, "Sebelum galat").map(drop)
            },
        );
        assert!(err.is_err());
        assert_eq!(themes(&store), before);
        // A clean commit keeps everything.
        let (_, kept) = store
            .all_or_nothing(
                Mode::Commit,
                |_| true,
                |s| {
                    write_theme(s, "Satu")?;
                    write_theme(s, "Dua")
                },
            )
            .unwrap();
        assert_eq!((kept, themes(&store)), (true, before + 2));
    }

    #[test]
    fn a_panic_inside_all_or_nothing_leaves_nothing_and_the_connection_usable() {
        let (_dir, mut store) = store();
        let before = count(&store.conn, "training_theme");
        let panicked = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            let _ = store.all_or_nothing(
                Mode::Commit,
                |_: &()| true,
                |s| {
                    write_theme(s, "Sebelum panik").unwrap();
                    panic!("sebuah bug");
                },
            );
        }));
        assert!(panicked.is_err());
        assert!(store.conn.is_autocommit(), "no transaction left open");
        assert_eq!(count(&store.conn, "training_theme"), before);
        // The next write commits as usual.
        let (_, kept) = store
            .all_or_nothing(Mode::Commit, |_| true, |s| write_theme(s, "Sesudahnya"))
            .unwrap();
        assert!(kept);
        assert_eq!(count(&store.conn, "training_theme"), before + 1);
    }
}
