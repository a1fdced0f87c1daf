//! What one push reads, fetched for the whole batch at once: the rows its changes touch and what
//! the hub received of its mutation ids before, in one query each, then kept as the push writes.
//! A lookup per change would cost a round trip each on a PostgreSQL server a network hop away;
//! inside the write transaction nobody else writes, so what the push itself writes is all that
//! changes. **Whatever writes `row` inside a push must tell `Rows`**: the push's upsert (`put`)
//! and `moves::write` (`forget`) are the only such writes today; a key of the batch not found by
//! `fetch` is taken as absent, so a new writer that forgot would let a change apply without its
//! version check.

use std::cell::RefCell;
use std::collections::HashMap;

use pelita_proto::Mutation;

use crate::db::{args, Dialect, Sql};
use crate::rules::{Device, Stored};
use crate::store::Result;

/// A mutation as the hub received it before: outcome, detail, digest.
pub(super) type Seen = (String, Option<String>, Option<String>);

pub(super) struct Rows<'t> {
    tx: &'t dyn Sql,
    known: RefCell<HashMap<(String, String), Option<Stored>>>,
}

fn stored_from(payload: String, owner: String, version: i64) -> Stored {
    Stored {
        owner_office_id: owner,
        version,
        payload: serde_json::from_str(&payload).unwrap_or_default(),
    }
}

/// A JSON array parameter read as a table of texts (`values`) or of pairs (`pairs`).
fn values(d: Dialect) -> &'static str {
    match d {
        Dialect::Sqlite => "SELECT value FROM json_each(?1)",
        Dialect::Postgres => "SELECT jsonb_array_elements_text(CAST(?1 AS jsonb))",
    }
}

fn pairs(d: Dialect) -> &'static str {
    match d {
        Dialect::Sqlite => {
            "SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]') FROM json_each(?1)"
        }
        Dialect::Postgres => {
            "SELECT e ->> 0, e ->> 1 FROM jsonb_array_elements(CAST(?1 AS jsonb)) AS e"
        }
    }
}

impl<'t> Rows<'t> {
    /// The rows `mutations` change, as the hub holds them (absent ones known absent).
    pub(super) fn fetch(tx: &'t dyn Sql, mutations: &[Mutation]) -> Result<Self> {
        let mut known: HashMap<(String, String), Option<Stored>> = mutations
            .iter()
            .map(|m| ((m.entity.clone(), m.row_id.clone()), None))
            .collect();
        let keys: Vec<[&str; 2]> = known
            .keys()
            .map(|(e, r)| [e.as_str(), r.as_str()])
            .collect();
        let found = tx.map(
            &format!(
                "SELECT entity, row_id, owner_office_id, version, payload FROM row
                 WHERE (entity, row_id) IN ({})",
                pairs(tx.dialect())
            ),
            args![serde_json::to_string(&keys).unwrap_or_default()],
            |mut r| {
                let key = (r.get::<String>(0)?, r.get::<String>(1)?);
                Ok((key, stored_from(r.get(4)?, r.get(2)?, r.get(3)?)))
            },
        )?;
        for (key, s) in found {
            known.insert(key, Some(s));
        }
        Ok(Rows {
            tx,
            known: known.into(),
        })
    }

    /// The row as the hub holds it now (looked up once, then kept).
    pub(super) fn get(&self, entity: &str, row_id: &str) -> Result<Option<Stored>> {
        let key = (entity.to_string(), row_id.to_string());
        if let Some(s) = self.known.borrow().get(&key) {
            return Ok(s.clone());
        }
        let s = self.tx.opt(
            "SELECT owner_office_id, version, payload FROM row WHERE entity = ?1 AND row_id = ?2",
            args![entity, row_id],
            |mut r| Ok(stored_from(r.get(2)?, r.get(0)?, r.get(1)?)),
        )?;
        self.known.borrow_mut().insert(key, s.clone());
        Ok(s)
    }

    /// The push wrote this row.
    pub(super) fn put(&self, entity: &str, row_id: &str, s: Stored) {
        self.known
            .borrow_mut()
            .insert((entity.to_string(), row_id.to_string()), Some(s));
    }

    /// The hub wrote this row itself (a transfer's move): read it again when asked.
    pub(super) fn forget(&self, entity: &str, row_id: &str) {
        self.known
            .borrow_mut()
            .remove(&(entity.to_string(), row_id.to_string()));
    }
}

/// What the hub received before of the mutation ids in `mutations`.
pub(super) fn seen(tx: &dyn Sql, mutations: &[Mutation]) -> Result<HashMap<String, Seen>> {
    let ids: Vec<&str> = mutations.iter().map(|m| m.mutation_id.as_str()).collect();
    let found = tx.map(
        &format!(
            "SELECT mutation_id, outcome, detail, digest FROM received WHERE mutation_id IN ({})",
            values(tx.dialect())
        ),
        args![serde_json::to_string(&ids).unwrap_or_default()],
        |mut r| Ok((r.get(0)?, (r.get(1)?, r.get(2)?, r.get(3)?))),
    )?;
    Ok(found.into_iter().collect())
}

/// Records every mutation `device` sent in this push (id → outcome, detail, digest), at once.
pub(super) fn record(
    tx: &dyn Sql,
    device: &Device,
    at: &str,
    received: &HashMap<&str, Seen>,
) -> Result<()> {
    if received.is_empty() {
        return Ok(());
    }
    let entries: Vec<(&str, &str, Option<&str>, Option<&str>)> = received
        .iter()
        .map(|(id, (outcome, detail, digest))| {
            (*id, outcome.as_str(), detail.as_deref(), digest.as_deref())
        })
        .collect();
    let columns = match tx.dialect() {
        Dialect::Sqlite => {
            "SELECT json_extract(value, '$[0]'), CAST(?2 AS TEXT), json_extract(value, '$[1]'),
                    CAST(?3 AS TEXT),
                    json_extract(value, '$[2]'), json_extract(value, '$[3]')
             FROM json_each(?1)"
        }
        Dialect::Postgres => {
            "SELECT e ->> 0, CAST(?2 AS TEXT), e ->> 1, CAST(?3 AS TEXT), e ->> 2, e ->> 3
             FROM jsonb_array_elements(CAST(?1 AS jsonb)) AS e"
        }
    };
    tx.execute(
        &format!(
            "INSERT INTO received (mutation_id, device_id, outcome, received_at, detail, digest)
             {columns}"
        ),
        args![
            serde_json::to_string(&entries).unwrap_or_default(),
            device.id,
            at
        ],
    )?;
    Ok(())
}
