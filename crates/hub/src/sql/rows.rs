//! The rows that sync, as the hub keeps them: a push (one transaction; each mutation
//! recorded once; every change meets `rules`), a pull page for a device's scope, and the
//! checksum of what a device should hold.

use super::batch::{Rows, Seen};
use crate::db::{args, Dialect, Sql};
use crate::rules::{decide, in_scope, malformed, permitted, Decision, Device, Stored};
use crate::secret::now;
use crate::store::{HubError, Result};
use pelita_proto::{
    Ack, HubRow, Mutation, Outcome, PullRequest, PullResponse, RawPayload, RowChange,
};

/// What identifies a change's content: the same id with another digest is another change.
fn digest(m: &Mutation) -> String {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    for part in [
        m.entity.as_str(),
        m.row_id.as_str(),
        &m.base_version.to_string(),
        &m.version.to_string(),
        &m.payload.to_string(),
    ] {
        h.update((part.len() as u64).to_le_bytes());
        h.update(part.as_bytes());
    }
    hex::encode(&h.finalize()[..16])
}

/// The copy of a database a mutation came from: its id without the sequence number.
pub(crate) fn writer_of(mutation_id: &str) -> &str {
    mutation_id
        .rsplit_once('.')
        .map_or(mutation_id, |(prefix, _)| prefix)
}

/// The answer a mutation got the first time, told again (with the hub's row as it stands now),
/// or `None` for a mutation not seen before. The same id with other content is refused whole.
fn replay(
    tx: &dyn Sql,
    rows: &Rows,
    m: &Mutation,
    digest: &str,
    seen: Option<Seen>,
) -> Result<Option<Outcome>> {
    let Some((outcome, detail, first)) = seen else {
        return Ok(None);
    };
    if first.is_some_and(|first| first != digest) {
        return Err(HubError::Cloned);
    }
    Ok(Some(
        match (outcome.as_str(), rows.get(&m.entity, &m.row_id)?) {
            ("conflict", Some(s)) => Outcome::Conflict {
                hub_version: s.version,
                hub_payload: s.payload,
            },
            ("rejected", _) => Outcome::Rejected {
                reason: detail.unwrap_or_else(|| "perubahan ini ditolak hub".into()),
                hub_row: hub_row(tx, &m.entity, &m.row_id)?,
            },
            _ => Outcome::Duplicate,
        },
    ))
}

/// The row as the hub holds it, sent with a refusal for the laptop to take back.
fn hub_row(tx: &dyn Sql, entity: &str, row_id: &str) -> Result<Option<HubRow>> {
    tx.opt(
        "SELECT version, payload, prev_owner_office_id FROM row WHERE entity = ?1 AND row_id = ?2",
        args![entity, row_id],
        |mut r| {
            let payload: String = r.get(1)?;
            Ok(HubRow {
                version: r.get(0)?,
                payload: serde_json::from_str(&payload).unwrap_or_default(),
                previous_owner: r.get(2)?,
            })
        },
    )
}

/// A stored payload as it goes out; the hub stored it from parsed JSON, so it is JSON (`null`
/// should the text ever not be).
fn raw(payload: String) -> RawPayload {
    serde_json::value::RawValue::from_string(payload).unwrap_or_else(|_| {
        serde_json::value::RawValue::from_string("null".into()).expect("null is JSON")
    })
}

/// The payload `rules::in_scope` needs to decide on a row: parsed only for the kinds whose
/// readers the row names (`pelita_core::ownership::NAMED_READERS`); the rest are decided by
/// their kind and owner (`pull_scope` tests hold this to the rule).
fn parsed_for_scope(change: &RowChange<RawPayload>) -> serde_json::Value {
    if pelita_core::ownership::NAMED_READERS.contains(&change.entity.as_str()) {
        serde_json::from_str(change.payload.get()).unwrap_or_default()
    } else {
        serde_json::Value::Null
    }
}

/// The pull page's query. The HQ reads every row; an office only what may be in its scope — its
/// own rows, rows that left it, what the HQ shares, district-wide kinds, and the kinds whose
/// readers the row itself names. Each of those is one arm that walks an index in `seq` order
/// from the cursor and stops at the page's size, so a page costs what it returns, not what the
/// district holds (migration 0009); the page is the first rows of their union. `rules::in_scope`
/// still decides each row.
fn pull_query(dialect: Dialect, device: &Device) -> String {
    use pelita_core::ownership::{DISTRICT_WIDE, NAMED_READERS, SHARED_FROM_HQ};
    let columns = "seq, entity, row_id, owner_office_id, version, payload,
                CASE WHEN CAST(?5 AS TEXT) IS NULL
                  THEN device_id IS NOT DISTINCT FROM CAST(?3 AS TEXT)
                  ELSE writer IS NOT DISTINCT FROM CAST(?5 AS TEXT) END
                  AND NOT CAST(?4 AS BOOLEAN),
                prev_owner_office_id IS NOT DISTINCT FROM CAST(?6 AS TEXT), prev_owner_office_id";
    if device.hq {
        return format!("SELECT {columns} FROM row WHERE seq > ?1 ORDER BY seq LIMIT ?2");
    }
    let hq = pelita_core::office::office_id(pelita_core::office::HQ_CODE);
    let mut n = 0;
    let mut arm = |filter: String, index: &str| {
        n += 1;
        format!(
            "SELECT seq FROM (SELECT seq FROM row {}
               WHERE {filter} AND seq > ?1 ORDER BY seq LIMIT ?2) AS arm{n}",
            dialect.indexed_by(index)
        )
    };
    let mut arms = vec![
        arm("owner_office_id = ?6".into(), "row_owner_seq"),
        arm("prev_owner_office_id = ?6".into(), "row_prev_owner_seq"),
    ];
    arms.extend(SHARED_FROM_HQ.iter().map(|e| {
        arm(
            format!("entity = '{e}' AND owner_office_id = '{hq}'"),
            "row_entity_seq",
        )
    }));
    arms.extend(
        DISTRICT_WIDE
            .iter()
            .chain(NAMED_READERS)
            .map(|e| arm(format!("entity = '{e}'"), "row_entity_seq")),
    );
    format!(
        "SELECT {columns} FROM row WHERE seq IN ({}) ORDER BY seq LIMIT ?2",
        arms.join(" UNION ")
    )
}

fn outcome_label(o: &Outcome) -> &'static str {
    match o {
        Outcome::Applied => "applied",
        Outcome::Duplicate => "duplicate",
        Outcome::Conflict { .. } => "conflict",
        Outcome::Rejected { .. } => "rejected",
    }
}

/// The [`pelita_proto::RowDigest`] of what a device of `office_code` holds once up to date.
pub(super) fn checksum_for(tx: &dyn Sql, office_code: &str) -> Result<String> {
    let office = super::office_by_code(tx, office_code)?;
    let device = Device {
        id: String::new(),
        office_id: office.id,
        hq: office.hq,
    };
    let mut digest = pelita_proto::RowDigest::new();
    for entity in pelita_proto::ENTITIES {
        let rows = tx.map(
            "SELECT owner_office_id, payload,
                    prev_owner_office_id IS NOT DISTINCT FROM CAST(?2 AS TEXT)
             FROM row WHERE entity = ?1 ORDER BY row_id",
            args![entity, device.office_id],
            |mut r| Ok((r.get::<String>(0)?, r.get::<String>(1)?, r.get::<bool>(2)?)),
        )?;
        for (owner, payload, was_ours) in rows {
            let payload = serde_json::from_str(&payload).unwrap_or_default();
            if was_ours || in_scope(&device, entity, &owner, &payload) {
                digest.add(entity, &payload);
            }
        }
    }
    Ok(digest.hex())
}

/// One push, in one transaction: every change checked, applied, kept as a conflict or refused,
/// each recorded once by its mutation id with its outcome, which a resend (a push again after a
/// cut link, a bundle imported twice) is answered with again.
pub(super) fn push(
    tx: &dyn Sql,
    device: &Device,
    mutations: &[Mutation],
    resolved: &[String],
) -> Result<Vec<Ack>> {
    if let Some(reason) = crate::rules::unkeepable(mutations) {
        return Err(HubError::BadRequest(reason));
    }
    let at = now();
    for id in resolved {
        tx.execute(
            "UPDATE conflict SET resolved_at = ?3, closed_by = 'device'
             WHERE device_id = ?2 AND resolved_at IS NULL AND (entity, row_id) IN
               (SELECT entity, row_id FROM conflict WHERE mutation_id = ?1)",
            args![id, device.id, at],
        )?;
    }
    let mut acks = Vec::with_capacity(mutations.len());
    // What an approved transfer moves is moved once the whole push is in (`moves`).
    let mut moves = super::moves::Pending::default();
    // Versions count changes, they do not name them: once a row conflicted, the device's later
    // changes of it build on its own version, not the hub's, whatever their numbers say.
    let mut diverged: std::collections::HashSet<(&str, &str)> = Default::default();
    // What the batch reads, fetched at once (`batch`); the sequence counted on from the hub's last.
    let rows = Rows::fetch(tx, mutations)?;
    let before = super::batch::seen(tx, mutations)?;
    // What this push received, recorded at its end in one statement (`batch::record`).
    let mut received_now: std::collections::HashMap<&str, Seen> = Default::default();
    let mut duplicates = 0;
    let mut next_seq: Option<i64> = None;
    for m in mutations {
        let digest = digest(m);
        // The same id twice in one batch: the second meets what the first left.
        let seen = match received_now.get(m.mutation_id.as_str()) {
            Some(now) => Some(now.clone()),
            None => before.get(&m.mutation_id).cloned(),
        };
        if let Some(outcome) = replay(tx, &rows, m, &digest, seen)? {
            duplicates += 1;
            acks.push(Ack {
                mutation_id: m.mutation_id.clone(),
                outcome,
            });
            continue;
        }
        let existing = rows.get(&m.entity, &m.row_id)?;
        let checked = match malformed(m) {
            Some(reason) => Err(reason),
            None => permitted(
                device,
                m,
                existing.as_ref(),
                &|entity, id| rows.get(entity, id).ok().flatten().map(|s| s.payload),
                &|office| super::office_name(tx, office),
                &|employee| super::moves::approved_transfers(tx, employee),
            ),
        };
        // An approval also needs the employee to head nobody at the hub.
        let checked = match checked {
            Ok(owner)
                if super::moves::approves(
                    &m.entity,
                    &m.payload,
                    existing.as_ref().map(|s| &s.payload),
                ) =>
            {
                match super::moves::approval_blocked(tx, &m.payload)? {
                    Some(reason) => Err(reason),
                    None => Ok(owner),
                }
            }
            // An attachment names its file by the size the hub knows it by.
            Ok(owner) if m.entity == "attachment" => {
                match super::blobs::row_refused(tx, &m.payload)? {
                    Some(reason) => Err(reason),
                    None => Ok(owner),
                }
            }
            other => other,
        };
        let outcome = match checked {
            Err(reason) => Outcome::Rejected {
                reason,
                hub_row: hub_row(tx, &m.entity, &m.row_id)?,
            },
            Ok(owner) => {
                let decision = match decide(existing.as_ref(), m) {
                    Decision::Apply
                        if diverged.contains(&(m.entity.as_str(), m.row_id.as_str())) =>
                    {
                        Decision::Conflict
                    }
                    d => d,
                };
                if decision == Decision::Conflict {
                    diverged.insert((m.entity.as_str(), m.row_id.as_str()));
                }
                match decision {
                    Decision::Apply => {
                        let seq = match next_seq {
                            Some(seq) => seq,
                            None => tx.value("SELECT coalesce(max(seq), 0) + 1 FROM row", &[])?,
                        };
                        next_seq = Some(seq + 1);
                        tx.execute(
                            "INSERT INTO row (entity, row_id, owner_office_id, version, payload, seq, device_id, writer,
                                 prev_owner_office_id)
                             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
                             ON CONFLICT (entity, row_id) DO UPDATE SET
                               prev_owner_office_id = CASE WHEN row.owner_office_id <> excluded.owner_office_id
                                   THEN row.owner_office_id
                                   ELSE coalesce(excluded.prev_owner_office_id, row.prev_owner_office_id) END,
                               owner_office_id = excluded.owner_office_id, version = excluded.version,
                               payload = excluded.payload, seq = excluded.seq,
                               device_id = excluded.device_id, writer = excluded.writer",
                            args![m.entity, m.row_id, owner, m.version, m.payload.to_string(), seq,
                                device.id, writer_of(&m.mutation_id),
                                // Written by the office someone left (their training's record):
                                // that office holds it too.
                                (!device.hq && owner != device.office_id).then_some(&device.office_id)],
                        )?;
                        if m.entity == "attachment" {
                            super::blobs::claim(tx, device, &m.payload, &owner)?;
                        }
                        moves.note(&m.entity, &m.payload, existing.as_ref().map(|s| &s.payload));
                        rows.put(
                            &m.entity,
                            &m.row_id,
                            Stored {
                                owner_office_id: owner,
                                version: m.version,
                                payload: m.payload.clone(),
                            },
                        );
                        Outcome::Applied
                    }
                    Decision::Same => Outcome::Duplicate,
                    Decision::Conflict => {
                        let s = existing.expect("a conflict needs a stored row");
                        tx.execute(
                            "INSERT INTO conflict (mutation_id, device_id, entity, row_id, base_version,
                                 incoming_payload, hub_version, hub_payload, at)
                             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                            args![m.mutation_id, device.id, m.entity, m.row_id, m.base_version,
                                m.payload.to_string(), s.version, s.payload.to_string(), at],
                        )?;
                        Outcome::Conflict {
                            hub_version: s.version,
                            hub_payload: s.payload,
                        }
                    }
                    Decision::Reject(reason) => Outcome::Rejected {
                        reason,
                        hub_row: hub_row(tx, &m.entity, &m.row_id)?,
                    },
                }
            }
        };
        let detail = match &outcome {
            Outcome::Rejected { reason, .. } => {
                tx.execute(
                    "INSERT INTO rejected (mutation_id, device_id, entity, row_id, reason, at, payload)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                    args![m.mutation_id, device.id, m.entity, m.row_id, reason, at,
                        m.payload.to_string()],
                )?;
                Some(reason.as_str())
            }
            _ => None,
        };
        received_now.insert(
            m.mutation_id.as_str(),
            (
                outcome_label(&outcome).to_string(),
                detail.map(str::to_string),
                Some(digest),
            ),
        );
        acks.push(Ack {
            mutation_id: m.mutation_id.clone(),
            outcome,
        });
    }
    super::batch::record(tx, device, &at, &received_now)?;
    if duplicates > 0 {
        tx.execute(
            "INSERT INTO meta (key, value) VALUES ('duplicates', ?1)
             ON CONFLICT (key) DO UPDATE
               SET value = CAST(CAST(meta.value AS BIGINT) + ?2 AS TEXT)",
            args![duplicates.to_string(), duplicates],
        )?;
    }
    moves.run(tx, &rows)?;
    tx.execute(
        "UPDATE device SET last_push_at = ?2 WHERE id = ?1",
        args![device.id, at],
    )?;
    Ok(acks)
}

/// A page of what `device` reads from its cursor on, in one snapshot, and when it last pulled.
pub(super) fn pull(
    tx: &dyn Sql,
    device: &Device,
    req: &PullRequest,
) -> Result<(PullResponse<RawPayload>, Option<String>)> {
    const PAGE: i64 = 2000;
    let last: i64 = tx.value("SELECT coalesce(max(seq), 0) FROM row", &[])?;
    let mut changes = Vec::new();
    let mut bytes = 0usize;
    let mut cursor = req.cursor;
    let mut more = false;
    let query = pull_query(tx.dialect(), device);
    'pages: loop {
        let page = tx.map(
            &query,
            args![
                cursor,
                PAGE,
                device.id,
                req.include_own,
                req.writer,
                device.office_id
            ],
            |mut r| {
                let payload: String = r.get(5)?;
                Ok((
                    RowChange {
                        seq: r.get(0)?,
                        entity: r.get(1)?,
                        row_id: r.get(2)?,
                        owner_office_id: r.get(3)?,
                        previous_owner: r.get(8)?,
                        version: r.get(4)?,
                        payload: raw(payload),
                    },
                    r.get::<bool>(6)?,
                    r.get::<bool>(7)?,
                ))
            },
        )?;
        if page.is_empty() {
            cursor = cursor.max(last);
            break;
        }
        for (change, its_own, was_ours) in page {
            if bytes >= req.max_bytes as usize && !changes.is_empty() {
                more = true;
                break 'pages;
            }
            cursor = change.seq;
            // What this device wrote itself it holds already (unless restored).
            // A row that moved to another office still reaches the office it left.
            let wanted = was_ours
                || in_scope(
                    device,
                    &change.entity,
                    &change.owner_office_id,
                    &parsed_for_scope(&change),
                );
            if its_own || !wanted {
                continue;
            }
            bytes += change.payload.get().len() + 100;
            changes.push(change);
        }
    }
    let last_pull: Option<String> = tx
        .opt(
            "SELECT last_pull_at FROM device WHERE id = ?1",
            args![device.id],
            |mut r| r.get(0),
        )?
        .flatten();
    let offices = tx.map(
        "SELECT id, code, name, hq FROM office ORDER BY code",
        &[],
        |mut r| {
            Ok(pelita_proto::OfficeInfo {
                id: r.get(0)?,
                code: r.get(1)?,
                name: r.get(2)?,
                hq: r.get(3)?,
            })
        },
    )?;
    Ok((
        PullResponse {
            changes,
            cursor,
            more,
            offices,
        },
        last_pull,
    ))
}
