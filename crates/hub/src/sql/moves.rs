//! What the hub does itself when a transfer (mutasi) is approved: in the same transaction that
//! applies the approval — once every change of that push is in, so the push's own later changes
//! of the same rows meet them as their sender left them — it moves the employee to the receiving
//! office and re-files their history there (`core::mutasi` says how each row changes). So a
//! transfer is one event at the hub — it happens whole or not at all, whatever the laptops held
//! when the Kantor Camat approved it — and every laptop, the approving one too, receives the moved
//! rows as the hub wrote them. A row of that history that reaches the hub later from the office
//! they left (signed afterwards, sent after the move) follows them the same way.

use pelita_core::mutasi::{self, MutasiStatus};
use serde_json::Value;

use super::batch::Rows;
use crate::db::{args, Sql};
use crate::store::Result;

/// The writer of rows the hub writes itself: no device holds them yet, so every device pulls them.
const HUB_WRITER: &str = "hub";

fn status(row: Option<&Value>) -> Option<MutasiStatus> {
    row.and_then(|r| r.get("status"))
        .and_then(Value::as_str)
        .and_then(MutasiStatus::parse)
}

fn text<'a>(row: &'a Value, field: &str) -> &'a str {
    row.get(field).and_then(Value::as_str).unwrap_or_default()
}

/// What a push applied that moves rows: approvals, and rows of someone's history.
#[derive(Default)]
pub(crate) struct Pending {
    approvals: Vec<Value>,
    history: Vec<(String, String)>,
}

impl Pending {
    /// Notes that the hub applied `payload` of `entity` over `before` (its previous payload).
    pub(crate) fn note(&mut self, entity: &str, payload: &Value, before: Option<&Value>) {
        if approves(entity, payload, before) {
            self.approvals.push(payload.clone());
        } else if mutasi::HISTORY.contains(&entity) {
            self.history
                .push((entity.to_string(), text(payload, "id").to_string()));
        }
    }

    /// Moves what the push approved, then lets late rows of a history follow, in its transaction.
    pub(crate) fn run(self, tx: &dyn Sql, rows: &Rows) -> Result<()> {
        for t in &self.approvals {
            transfer(tx, rows, t)?;
        }
        for (entity, row_id) in &self.history {
            if let Some((_, row)) = payload(rows, entity, row_id)? {
                follow_late(tx, rows, entity, &row)?;
            }
        }
        Ok(())
    }
}

/// The office and payload the hub holds for a row (as this push left it: `batch::Rows`).
fn payload(rows: &Rows, entity: &str, row_id: &str) -> Result<Option<(String, Value)>> {
    Ok(rows
        .get(entity, row_id)?
        .map(|s| (s.owner_office_id, s.payload)))
}

/// Writes a row as the hub re-files it: next in sequence, under `owner`, the office it left kept.
fn write(
    tx: &dyn Sql,
    rows: &Rows,
    entity: &str,
    row_id: &str,
    owner: &str,
    row: &Value,
) -> Result<()> {
    rows.forget(entity, row_id);
    if entity == "attachment" {
        super::blobs::moved(tx, row, owner)?;
    }
    let seq: i64 = tx.value("SELECT coalesce(max(seq), 0) + 1 FROM row", &[])?;
    tx.execute(
        "UPDATE row SET prev_owner_office_id = CASE WHEN owner_office_id <> ?3
                 THEN owner_office_id ELSE prev_owner_office_id END,
             owner_office_id = ?3, version = ?4, payload = ?5, seq = ?6, device_id = NULL,
             writer = ?7
         WHERE entity = ?1 AND row_id = ?2",
        args![
            entity,
            row_id,
            owner,
            row.get("version").and_then(Value::as_i64).unwrap_or(0),
            row.to_string(),
            seq,
            HUB_WRITER
        ],
    )?;
    Ok(())
}

/// The ids of the rows of `entity` about `employee_id` (an L3 follow-up: through its enrolment).
fn rows_about(tx: &dyn Sql, entity: &str, employee_id: &str) -> Result<Vec<String>> {
    let d = tx.dialect();
    let sql = if entity == "behaviour_followup" {
        format!(
            "SELECT f.row_id FROM row f JOIN row p ON p.entity = 'participation'
                 AND p.row_id = {}
             WHERE f.entity = ?1 AND {} = ?2",
            d.json("f.payload", "participation_id"),
            d.json("p.payload", "employee_id")
        )
    } else {
        format!(
            "SELECT row_id FROM row WHERE entity = ?1 AND {} = ?2",
            d.json("payload", "employee_id")
        )
    };
    tx.map(&sql, args![entity, employee_id], |mut r| r.get(0))
}

/// Why the hub may not take an approval of `t` now, beyond what the rows themselves say
/// (`core::mutasi::approval_refused`): the employee is still someone's atasan at the hub.
pub(crate) fn approval_blocked(tx: &dyn Sql, t: &Value) -> Result<Option<String>> {
    let d = tx.dialect();
    let reports: i64 = tx.value(
        &format!(
            "SELECT count(*) FROM row WHERE entity = 'employee' AND {} = ?1 AND {} AND {}",
            d.json("payload", "atasan_id"),
            d.json_flag("payload", "active", true),
            d.json_flag("payload", "deleted", false)
        ),
        args![text(t, "employee_id")],
    )?;
    Ok((reports > 0).then(|| {
        format!(
            "{} masih menjadi atasan langsung dari {reports} pegawai aktif; tetapkan atasan baru bagi mereka sebelum mutasi disetujui",
            text(t, "employee_name")
        )
    }))
}

/// The approved transfers of `employee_id` the hub holds.
pub(crate) fn approved_transfers(tx: &dyn Sql, employee_id: &str) -> Vec<Value> {
    let d = tx.dialect();
    let found: Vec<String> = tx
        .map(
            &format!(
                "SELECT payload FROM row WHERE entity = 'mutasi' AND {} = ?1 AND {} = 'Disetujui'",
                d.json("payload", "employee_id"),
                d.json("payload", "status")
            ),
            args![employee_id],
            |mut r| r.get(0),
        )
        .unwrap_or_default();
    found
        .iter()
        .filter_map(|p| serde_json::from_str(p).ok())
        .collect()
}

/// Whether applying `payload` over `before` approves a transfer.
pub(crate) fn approves(entity: &str, payload: &Value, before: Option<&Value>) -> bool {
    entity == "mutasi"
        && status(Some(payload)) == Some(MutasiStatus::Disetujui)
        && status(before) != Some(MutasiStatus::Disetujui)
}

/// Moves the employee of an approved transfer and re-files their history.
fn transfer(tx: &dyn Sql, rows: &Rows, t: &Value) -> Result<()> {
    let employee_id = text(t, "employee_id");
    let to = text(t, "to_office_id");
    let Some((_, employee)) = payload(rows, "employee", employee_id)? else {
        return Ok(());
    };
    // Moved already, by a Kantor Camat laptop that approved it without the hub.
    if text(&employee, "office_id") == to {
        return Ok(());
    }
    write(
        tx,
        rows,
        "employee",
        employee_id,
        to,
        &mutasi::moved_employee(&employee, t),
    )?;
    for entity in mutasi::HISTORY {
        for row_id in rows_about(tx, entity, employee_id)? {
            let Some((owner, row)) = payload(rows, entity, &row_id)? else {
                continue;
            };
            if owner != to && mutasi::follows_employee(entity, &row, text(t, "tmt")) {
                write(tx, rows, entity, &row_id, to, &mutasi::refiled(&row, to, t))?;
            }
        }
    }
    Ok(())
}

/// A row of someone's history that arrives from the office they left by an approved transfer (an
/// appraisal signed there afterwards, an enrolment sent after the move) follows them.
fn follow_late(tx: &dyn Sql, rows: &Rows, entity: &str, row: &Value) -> Result<()> {
    let row_id = text(row, "id");
    let employee_id = match entity {
        "behaviour_followup" => {
            match payload(rows, "participation", text(row, "participation_id"))? {
                Some((_, p)) => text(&p, "employee_id").to_string(),
                None => return Ok(()),
            }
        }
        _ => text(row, "employee_id").to_string(),
    };
    let (Some((owner, _)), Some((_, employee))) = (
        payload(rows, entity, row_id)?,
        payload(rows, "employee", &employee_id)?,
    ) else {
        return Ok(());
    };
    let office = text(&employee, "office_id");
    if owner == office {
        return Ok(());
    }
    let d = tx.dialect();
    let field = |f| d.json("payload", f);
    let moved: Option<String> = tx
        .opt(
            &format!(
                "SELECT payload FROM row WHERE entity = 'mutasi' AND {} = ?1
                   AND {} = 'Disetujui' AND {} = ?2 AND {} = ?3
                 ORDER BY {} DESC LIMIT 1",
                field("employee_id"),
                field("status"),
                field("from_office_id"),
                field("to_office_id"),
                field("tmt")
            ),
            args![employee_id, owner, office],
            |mut r| r.get(0),
        )
        .ok()
        .flatten();
    let Some(t) = moved.and_then(|p| serde_json::from_str::<Value>(&p).ok()) else {
        return Ok(());
    };
    if mutasi::follows_employee(entity, row, text(&t, "tmt")) {
        write(
            tx,
            rows,
            entity,
            row_id,
            office,
            &mutasi::refiled(row, office, &t),
        )?;
    }
    Ok(())
}
