//! Transfers (mutasi) between the district's offices: recording one (the sending office's mutasi
//! keluar, the receiving office's request for a colleague, the Kantor Camat's own record), the
//! Kantor Camat's decision, withdrawal, and who sees which (`core::mutasi` holds the rules that
//! need no database). Approving moves the employee with their history (`mutasi_move`).

use chrono::NaiveDate;
use pelita_core::auth::{Action, Actor};
use pelita_core::mutasi::{field, MutasiInput, MutasiStatus, ValidMutasi};
use pelita_core::office::{office_id, HQ_CODE};
use pelita_core::ValidationError;
use rusqlite::{Connection, OptionalExtension, Row};
use serde::{Deserialize, Serialize};
use specta::Type;

use crate::audit::AuditAction;
use crate::employees::{self, EmployeeRow};
use crate::outbox::now;
use crate::trainings::{fact_id, record_fact};
use crate::{Result, Store, StoreError};

/// A transfer as the app lists it.
#[derive(Debug, Clone, Serialize, Type)]
pub struct MutasiRow {
    pub id: String,
    pub employee_id: String,
    pub nip: String,
    pub employee_name: String,
    pub from_office_id: String,
    pub from_office_name: String,
    pub to_office_id: String,
    pub to_office_name: String,
    pub tmt: String,
    pub sk_number: String,
    pub note: String,
    pub to_atasan_id: Option<String>,
    pub status: MutasiStatus,
    pub requested_by: String,
    pub requested_at: String,
    pub decided_by: Option<String>,
    pub decided_at: Option<String>,
    pub decision_note: String,
    pub owner_office_id: String,
    pub version: i64,
    /// The employee's row is on this laptop (the Kantor Camat holds everyone; the sending office
    /// keeps the read-only history of whoever left it).
    pub employee_held: bool,
}

/// What the Kantor Camat adds when approving: the SK number (when the request had none) and the
/// atasan langsung at the receiving office (else the request's, else the head of that office).
#[derive(Debug, Clone, Default, Serialize, Deserialize, Type)]
pub struct MutasiApproval {
    #[serde(default)]
    pub sk_number: String,
    #[serde(default)]
    pub atasan_id: Option<String>,
}

const SELECT: &str = "SELECT m.id, m.employee_id, m.nip, m.employee_name, m.from_office_id,
        coalesce(f.name, m.from_office_id), m.to_office_id, coalesce(t.name, m.to_office_id),
        m.tmt, m.sk_number, m.note, m.to_atasan_id, m.status, m.requested_by, m.requested_at,
        m.decided_by, m.decided_at, m.decision_note, m.owner_office_id, m.version,
        EXISTS (SELECT 1 FROM employee e WHERE e.id = m.employee_id AND e.deleted = 0)
    FROM mutasi m
    LEFT JOIN office f ON f.id = m.from_office_id
    LEFT JOIN office t ON t.id = m.to_office_id";

fn from_row(r: &Row) -> rusqlite::Result<MutasiRow> {
    let status: String = r.get(12)?;
    Ok(MutasiRow {
        id: r.get(0)?,
        employee_id: r.get(1)?,
        nip: r.get(2)?,
        employee_name: r.get(3)?,
        from_office_id: r.get(4)?,
        from_office_name: r.get(5)?,
        to_office_id: r.get(6)?,
        to_office_name: r.get(7)?,
        tmt: r.get(8)?,
        sk_number: r.get(9)?,
        note: r.get(10)?,
        to_atasan_id: r.get(11)?,
        status: MutasiStatus::parse(&status).ok_or_else(|| {
            rusqlite::Error::FromSqlConversionFailure(
                12,
                rusqlite::types::Type::Text,
                "status".into(),
            )
        })?,
        requested_by: r.get(13)?,
        requested_at: r.get(14)?,
        decided_by: r.get(15)?,
        decided_at: r.get(16)?,
        decision_note: r.get(17)?,
        owner_office_id: r.get(18)?,
        version: r.get(19)?,
        employee_held: r.get(20)?,
    })
}

pub(crate) fn get(conn: &Connection, id: &str) -> Result<MutasiRow> {
    conn.query_row(
        &format!("{SELECT} WHERE m.id = ?1 AND m.deleted = 0"),
        [id],
        from_row,
    )
    .optional()?
    .ok_or_else(|| StoreError::NotFound("mutasi".into()))
}

fn invalid(field: &str, message: impl Into<String>) -> StoreError {
    ValidationError::single(field, message).into()
}

fn office_name(conn: &Connection, id: &str) -> String {
    crate::offices::get(conn, id).map_or_else(|_| id.to_string(), |o| o.name)
}

/// The transfer of `employee_id` still waiting for a decision, if any.
fn open_for(conn: &Connection, employee_id: &str) -> Result<Option<MutasiRow>> {
    Ok(conn
        .query_row(
            &format!(
                "{SELECT} WHERE m.employee_id = ?1 AND m.status = 'Diajukan' AND m.deleted = 0"
            ),
            [employee_id],
            from_row,
        )
        .optional()?)
}

/// Whether `employee_id` left `office` by an approved transfer this laptop holds: the office keeps
/// their history, read-only.
pub(crate) fn moved_out_of(conn: &Connection, employee_id: &str, office: &str) -> Result<bool> {
    Ok(conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM mutasi m JOIN employee e ON e.id = m.employee_id
             WHERE m.employee_id = ?1 AND m.from_office_id = ?2 AND m.status = 'Disetujui'
               AND m.deleted = 0 AND e.office_id <> ?2)",
        [employee_id, office],
        |r| r.get(0),
    )?)
}

impl Store {
    /// Records a transfer: the sending office's (mutasi keluar), the receiving office's request
    /// for a colleague from another office (mutasi masuk), or the Kantor Camat's, which takes
    /// effect at once when its TMT has come and it names the SK. Anything else waits, as
    /// `Diajukan`, for the Kantor Camat's decision.
    pub fn record_mutasi(&mut self, actor: &Actor, input: &MutasiInput) -> Result<MutasiRow> {
        let home = crate::roles::roles_office(&self.conn)?;
        let valid = input.validate()?;
        let employee_id = fact_id("employee", &[&valid.nip]);
        let held = employees::get(&self.conn, &employee_id).ok();
        // Whoever edits the register of either office the transfer concerns may record it.
        let leaving = held
            .as_ref()
            .map_or(valid.from_office_id.as_deref(), |e| Some(&e.office_id));
        let party = match leaving {
            Some(from)
                if pelita_core::auth::authorize(actor, Action::EditEmployees, Some(from))
                    .is_ok() =>
            {
                from
            }
            _ => valid.to_office_id.as_str(),
        }
        .to_string();
        self.authorize(actor, Action::EditEmployees, Some(&party))?;
        let hq = home == office_id(HQ_CODE);
        let from = check_request(&self.conn, &home, hq, &valid, held.as_ref())?;
        let name =
            match &held {
                Some(e) => e.display_name.clone(),
                None if valid.employee_name.is_empty() => return Err(invalid(
                    field::NAME,
                    "pegawai ini belum ada di laptop ini; tulis namanya sebagaimana tertulis di SK",
                )),
                None => valid.employee_name.clone(),
            };
        let id = fact_id(
            "mutasi",
            &[&employee_id, &valid.to_office_id, &valid.tmt.to_string()],
        );
        let tx = self.conn.transaction()?;
        let before: Option<(String, i64)> = tx
            .query_row(
                "SELECT status, version FROM mutasi WHERE id = ?1",
                [&id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        let base = match before {
            Some((status, _)) if status == "Disetujui" => {
                return Err(invalid(
                    field::TMT,
                    "mutasi ini (pegawai, kantor tujuan dan TMT yang sama) sudah disetujui",
                ))
            }
            Some((_, version)) => version,
            None => 0,
        };
        let stamp = now();
        tx.execute(
            "INSERT INTO mutasi (id, employee_id, nip, employee_name, from_office_id, to_office_id,
                 tmt, sk_number, note, to_atasan_id, status, requested_by, requested_at,
                 owner_office_id, version, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, 'Diajukan', ?11, ?12, ?13, ?14, ?12)
             ON CONFLICT (id) DO UPDATE SET employee_name = excluded.employee_name,
                 from_office_id = excluded.from_office_id, sk_number = excluded.sk_number,
                 note = excluded.note, to_atasan_id = excluded.to_atasan_id, status = 'Diajukan',
                 requested_by = excluded.requested_by, requested_at = excluded.requested_at,
                 decided_by = NULL, decided_at = NULL, decision_note = '',
                 owner_office_id = excluded.owner_office_id, version = excluded.version,
                 deleted = 0, updated_at = excluded.updated_at",
            rusqlite::params![
                id,
                employee_id,
                valid.nip,
                name,
                from,
                valid.to_office_id,
                valid.tmt.to_string(),
                valid.sk_number,
                valid.note,
                valid.to_atasan_id,
                actor.full_name,
                stamp,
                home,
                base + 1,
            ],
        )?;
        record(
            &tx,
            &id,
            base,
            actor,
            AuditAction::Create,
            "mutasi diajukan",
        )?;
        let today = crate::penilai::today(&tx);
        if hq && valid.tmt <= today && !valid.sk_number.is_empty() {
            approve(&tx, actor, &id, &MutasiApproval::default())?;
        }
        tx.commit()?;
        get(&self.conn, &id)
    }

    /// The Kantor Camat approves a transfer: from its TMT the employee belongs to the receiving
    /// office, with their trainings, attendance, questionnaires and appraisals, and an atasan
    /// there; the atasan history records the change on the TMT.
    pub fn approve_mutasi(
        &mut self,
        actor: &Actor,
        id: &str,
        expected_version: i64,
        approval: &MutasiApproval,
    ) -> Result<MutasiRow> {
        self.decide_here(actor, id, expected_version)?;
        let tx = self.conn.transaction()?;
        approve(&tx, actor, id, approval)?;
        tx.commit()?;
        get(&self.conn, id)
    }

    /// The Kantor Camat refuses a transfer, saying why.
    pub fn reject_mutasi(
        &mut self,
        actor: &Actor,
        id: &str,
        expected_version: i64,
        reason: &str,
    ) -> Result<MutasiRow> {
        self.decide_here(actor, id, expected_version)?;
        if reason.trim().is_empty() {
            return Err(invalid(
                "decision_note",
                "tulis alasan penolakan agar kantor yang mengajukan tahu apa yang kurang",
            ));
        }
        let tx = self.conn.transaction()?;
        set_status(&tx, id, MutasiStatus::Ditolak, (actor, reason.trim()), None)?;
        tx.commit()?;
        get(&self.conn, id)
    }

    /// The office that asked withdraws a transfer still waiting for a decision.
    pub fn cancel_mutasi(
        &mut self,
        actor: &Actor,
        id: &str,
        expected_version: i64,
    ) -> Result<MutasiRow> {
        let row = get(&self.conn, id)?;
        self.authorize(actor, Action::EditEmployees, Some(&row.owner_office_id))?;
        crate::outbox::writable_here(
            &self.conn,
            "mutasi",
            Some(&row.owner_office_id),
            &row.owner_office_id,
        )?;
        waiting(&row, expected_version)?;
        let tx = self.conn.transaction()?;
        set_status(&tx, id, MutasiStatus::Dibatalkan, (actor, ""), None)?;
        tx.commit()?;
        get(&self.conn, id)
    }

    /// The transfers `actor` may see: every one for the Kantor Camat's administrators, else those
    /// from or to their office. Waiting ones first, then the newest TMT.
    pub fn mutasi_list(&mut self, actor: &Actor) -> Result<Vec<MutasiRow>> {
        let scope = crate::users::office_scope(actor, Action::ViewEmployees, None);
        self.authorize(actor, Action::ViewEmployees, scope.as_deref())?;
        let mut stmt = self.conn.prepare(&format!(
            "{SELECT} WHERE m.deleted = 0
               AND (?1 IS NULL OR m.from_office_id = ?1 OR m.to_office_id = ?1)
             ORDER BY m.status <> 'Diajukan', m.tmt DESC, m.employee_name"
        ))?;
        let rows = stmt
            .query_map([scope], from_row)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    /// The register row of a NIP this laptop holds in another office than `actor`'s (not the
    /// Kantor Camat's own staff): registering it here would be refused, asking for a transfer is
    /// the way (the form offers "ajukan mutasi masuk").
    pub fn nip_elsewhere(&mut self, actor: &Actor, nip: &str) -> Result<Option<EmployeeRow>> {
        self.authorize(actor, Action::EditEmployees, Some(&actor.office_id))?;
        let nip = pelita_core::nip::normalize(nip);
        Ok(employees::by_nip(&self.conn, &nip)?.filter(|e| e.office_id != actor.office_id))
    }

    /// Deciding needs the Admin Kecamatan on a Kantor Camat laptop, and a transfer still waiting.
    fn decide_here(&mut self, actor: &Actor, id: &str, expected_version: i64) -> Result<()> {
        self.authorize(actor, Action::ApproveTransfers, None)?;
        if crate::roles::roles_office(&self.conn)? != office_id(HQ_CODE) {
            return Err(invalid(
                "status",
                "mutasi hanya diputuskan di laptop Kantor Camat",
            ));
        }
        waiting(&get(&self.conn, id)?, expected_version)
    }
}

fn waiting(row: &MutasiRow, expected_version: i64) -> Result<()> {
    if row.version != expected_version {
        return Err(StoreError::VersionConflict);
    }
    if row.status != MutasiStatus::Diajukan {
        return Err(invalid(
            "status",
            format!(
                "mutasi ini sudah {}; keputusan tidak dapat diubah",
                row.status.label().to_lowercase()
            ),
        ));
    }
    Ok(())
}

/// Checks a new transfer against the register and this laptop's office; returns the office the
/// employee leaves.
fn check_request(
    conn: &Connection,
    home: &str,
    hq: bool,
    valid: &ValidMutasi,
    held: Option<&EmployeeRow>,
) -> Result<String> {
    let from = match (held, &valid.from_office_id) {
        (Some(e), Some(f)) if *f != e.office_id => {
            return Err(invalid(
                field::FROM,
                format!(
                    "{} tercatat di {}, bukan di {}",
                    e.display_name,
                    e.office_name,
                    office_name(conn, f)
                ),
            ))
        }
        (Some(e), _) => e.office_id.clone(),
        (None, Some(f)) => f.clone(),
        (None, None) => {
            return Err(invalid(
                field::FROM,
                "pilih kantor asal pegawai ini (laptop ini belum memegang datanya)",
            ))
        }
    };
    for (f, office) in [(field::FROM, &from), (field::TO, &valid.to_office_id)] {
        if crate::offices::get(conn, office).is_err() {
            return Err(invalid(f, "kantor yang dipilih tidak dikenal"));
        }
    }
    if from == valid.to_office_id {
        return Err(invalid(
            field::TO,
            "pegawai ini sudah terdaftar di kantor tujuan",
        ));
    }
    if !hq && home != from && home != valid.to_office_id {
        return Err(invalid(
            field::TO,
            "kantor Anda hanya mencatat mutasi keluar dari kantor ini atau mengajukan mutasi masuk ke kantor ini",
        ));
    }
    if let Some(e) = held {
        if !e.active {
            return Err(invalid(
                field::NIP,
                format!(
                    "{} tidak aktif; hanya pegawai aktif yang dapat dimutasi",
                    e.display_name
                ),
            ));
        }
    } else if home == from {
        return Err(invalid(
            field::NIP,
            "NIP ini tidak ada di daftar pegawai kantor Anda",
        ));
    }
    if let Some(open) = open_for(conn, &fact_id("employee", &[&valid.nip]))? {
        return Err(invalid(
            field::NIP,
            format!(
                "sudah ada mutasi {} ke {} yang menunggu keputusan Kantor Camat (TMT {}); \
                 batalkan dulu bila ingin mengubahnya",
                open.employee_name, open.to_office_name, open.tmt
            ),
        ));
    }
    Ok(from)
}

/// Appends the transfer's outbox mutation and audit entry.
fn record(
    conn: &Connection,
    id: &str,
    base: i64,
    actor: &Actor,
    action: AuditAction,
    detail: &str,
) -> Result<()> {
    let (version, owner): (i64, String) = conn.query_row(
        "SELECT version, owner_office_id FROM mutasi WHERE id = ?1",
        [id],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    record_fact(
        conn,
        "mutasi",
        id,
        (base, version),
        &owner,
        (&actor.username, action, detail),
    )
}

/// Writes a decision (or a withdrawal) on a waiting transfer, with the SK number it was approved
/// under. The record stays its owner's; both offices it concerns read it.
fn set_status(
    conn: &Connection,
    id: &str,
    status: MutasiStatus,
    (actor, note): (&Actor, &str),
    sk_number: Option<&str>,
) -> Result<()> {
    let base: i64 = conn.query_row("SELECT version FROM mutasi WHERE id = ?1", [id], |r| {
        r.get(0)
    })?;
    let decided = status != MutasiStatus::Dibatalkan;
    conn.execute(
        "UPDATE mutasi SET status = ?2, decided_by = CASE WHEN ?3 THEN ?4 END,
             decided_at = CASE WHEN ?3 THEN ?5 END, decision_note = ?6,
             sk_number = coalesce(?7, sk_number), version = version + 1, updated_at = ?5
         WHERE id = ?1",
        rusqlite::params![
            id,
            status.label(),
            decided,
            actor.full_name,
            now(),
            note,
            sk_number,
        ],
    )?;
    record(
        conn,
        id,
        base,
        actor,
        AuditAction::Update,
        &format!("mutasi {}", status.label().to_lowercase()),
    )
}

/// Approves a waiting transfer inside the caller's transaction (checked by the caller to be
/// waiting and decided on a Kantor Camat laptop).
fn approve(conn: &Connection, actor: &Actor, id: &str, approval: &MutasiApproval) -> Result<()> {
    let row = get(conn, id)?;
    let sk = match approval.sk_number.trim() {
        "" => row.sk_number.clone(),
        given => given.to_string(),
    };
    if sk.is_empty() {
        return Err(invalid(
            field::SK,
            "isi nomor SK mutasi sebelum menyetujuinya",
        ));
    }
    let tmt = NaiveDate::parse_from_str(&row.tmt, "%Y-%m-%d")
        .map_err(|_| invalid(field::TMT, "TMT mutasi ini bukan tanggal"))?;
    if tmt > crate::penilai::today(conn) {
        return Err(invalid(
            field::TMT,
            format!(
                "TMT {} belum tiba; mutasi disetujui pada atau sesudah TMT-nya",
                row.tmt
            ),
        ));
    }
    let employee = employees::get(conn, &row.employee_id).map_err(|_| {
        invalid(
            field::NIP,
            format!(
                "data pegawai NIP {} belum ada di laptop ini; sinkronkan dulu",
                row.nip
            ),
        )
    })?;
    if employee.office_id != row.from_office_id {
        return Err(invalid(
            field::FROM,
            format!(
                "{} sekarang tercatat di {}, bukan di {}; mutasi ini tidak dapat disetujui",
                employee.display_name, employee.office_name, row.from_office_name
            ),
        ));
    }
    let atasan = approval
        .atasan_id
        .clone()
        .filter(|a| !a.is_empty())
        .or_else(|| row.to_atasan_id.clone());
    crate::mutasi_move::move_employee(conn, actor, &employee, &row.to_office_id, atasan, tmt)?;
    set_status(conn, id, MutasiStatus::Disetujui, (actor, ""), Some(&sk))
}
