//! Transfers (mutasi) between the district's offices: recording one (the sending office's mutasi
//! keluar, the receiving office's request for a colleague, the Kantor Camat's own record), the
//! Kantor Camat's decision, withdrawal, and who sees which (`core::mutasi` holds the rules that
//! need no database). Approving is checked here against the register (`mutasi_move::check_move`);
//! the move itself is the hub's, in the push that carries the approval, so it happens whole or not
//! at all — only a laptop without a hub moves the employee itself (`mutasi_move::move_employee`).

use chrono::NaiveDate;
use pelita_core::auth::{Action, Actor};
use pelita_core::mutasi::{field, MutasiInput, MutasiStatus, ValidMutasi};
use pelita_core::office::{office_id, HQ_CODE};
use rusqlite::{Connection, OptionalExtension};

use crate::kernel::audit::AuditAction;
use crate::kernel::clock::now;
use crate::kernel::journal::record_fact;
use crate::register::employees::{self, EmployeeRow};
use crate::register::mutasi_rows::{from_row, get, invalid, office_name, open_for, SELECT};
use crate::{MutasiApproval, MutasiRow, Result, Store, StoreError};
use pelita_core::fact_id;

impl Store {
    /// Records a transfer: the sending office's (mutasi keluar), the receiving office's request
    /// for a colleague from another office (mutasi masuk), or the Kantor Camat's, which takes
    /// effect at once when its TMT has come and it names the SK. Anything else waits, as
    /// `Diajukan`, for the Kantor Camat's decision.
    pub fn record_mutasi(&mut self, actor: &Actor, input: &MutasiInput) -> Result<MutasiRow> {
        let home = crate::kernel::scope::roles_office(&self.conn)?;
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
        // The same request asked again (after a refusal) is the same record; another office's
        // request for the same move is its own.
        let id = fact_id(
            "mutasi",
            &[
                &employee_id,
                &valid.to_office_id,
                &valid.tmt.to_string(),
                &home,
            ],
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
        // The Kantor Camat's own record, with its SK and a TMT that has come, is its decision too
        // — when the person recording it may decide.
        let today = crate::kernel::clock::today(&tx);
        let decides = pelita_core::auth::authorize(actor, Action::ApproveTransfers, None).is_ok();
        if hq && decides && valid.tmt <= today && !valid.sk_number.is_empty() {
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
        crate::kernel::outbox::writable_here(
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
        let scope = crate::kernel::scope::office_scope(actor, Action::ViewEmployees, None);
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
        if crate::kernel::scope::roles_office(&self.conn)? != office_id(HQ_CODE) {
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
        if crate::kernel::offices::get(conn, office).is_err() {
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
                open.employee_name,
                open.to_office_name,
                pelita_core::tanggal_iso(&open.tmt)
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
    record_fact(conn, "mutasi", id, base, (&actor.username, action, detail))
}

/// Writes a decision (or a withdrawal) on a waiting transfer, with the SK number it was approved
/// under. The record stays its owner's; both offices it concerns read it.
fn set_status(
    conn: &Connection,
    id: &str,
    status: MutasiStatus,
    (actor, note): (&Actor, &str),
    approved: Option<(&str, Option<&str>)>,
) -> Result<()> {
    let base: i64 = conn.query_row("SELECT version FROM mutasi WHERE id = ?1", [id], |r| {
        r.get(0)
    })?;
    let decided = status != MutasiStatus::Dibatalkan;
    conn.execute(
        "UPDATE mutasi SET status = ?2, decided_by = CASE WHEN ?3 THEN ?4 END,
             decided_at = CASE WHEN ?3 THEN ?5 END, decision_note = ?6,
             sk_number = coalesce(?7, sk_number),
             to_atasan_id = CASE WHEN ?7 IS NULL THEN to_atasan_id ELSE ?8 END,
             version = version + 1, updated_at = ?5
         WHERE id = ?1",
        rusqlite::params![
            id,
            status.label(),
            decided,
            actor.full_name,
            now(),
            note,
            approved.map(|(sk, _)| sk),
            approved.and_then(|(_, atasan)| atasan),
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

fn enrolled(conn: &Connection) -> Result<bool> {
    Ok(conn.query_row(
        "SELECT count(*) > 0 FROM sync_state WHERE id = 1",
        [],
        |r| r.get(0),
    )?)
}

/// Approves a waiting transfer inside the caller's transaction (checked by the caller to be
/// waiting and decided on a Kantor Camat laptop).
fn approve(conn: &Connection, actor: &Actor, id: &str, approval: &MutasiApproval) -> Result<()> {
    let row = get(conn, id)?;
    if row.employee_id != fact_id("employee", &[&row.nip]) {
        return Err(invalid(
            field::NIP,
            format!("NIP {} dan id pegawai pada mutasi ini tidak cocok", row.nip),
        ));
    }
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
    if tmt > crate::kernel::clock::today(conn) {
        return Err(invalid(
            field::TMT,
            format!(
                "TMT {} belum tiba; mutasi disetujui pada atau sesudah TMT-nya",
                pelita_core::tanggal(tmt)
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
    if !employee.active {
        return Err(invalid(
            field::NIP,
            format!("{} tidak aktif", employee.display_name),
        ));
    }
    let chosen = approval
        .atasan_id
        .clone()
        .filter(|a| !a.is_empty())
        .or_else(|| row.to_atasan_id.clone());
    let atasan =
        crate::register::mutasi_move::check_move(conn, &employee, &row.to_office_id, chosen, tmt)?;
    // With a hub, the hub moves them when the approval reaches it; without one, this laptop does,
    // before the approval in its outbox (so the hub, when it comes, finds them moved already).
    if crate::kernel::db::meta_get(conn, crate::kernel::db::META_DEMO)?.is_some()
        || !enrolled(conn)?
    {
        let mut transfer = crate::kernel::rows::payload(conn, "mutasi", id)?;
        transfer["to_atasan_id"] = atasan.clone().into();
        crate::register::mutasi_move::move_employee(conn, actor, &employee, &transfer)?;
    }
    set_status(
        conn,
        id,
        MutasiStatus::Disetujui,
        (actor, ""),
        Some((&sk, atasan.as_deref())),
    )?;
    // Another office's request for the same person (Terjun's transfer out and Paya Pasir's
    // request in) is answered by this decision.
    let others: Vec<String> = conn
        .prepare(
            "SELECT id FROM mutasi WHERE employee_id = ?1 AND id <> ?2 AND status = 'Diajukan'
               AND deleted = 0",
        )?
        .query_map([&row.employee_id, id], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let note = format!(
        "diputuskan bersama mutasi yang disetujui ke {} (TMT {})",
        row.to_office_name,
        pelita_core::tanggal_iso(&row.tmt)
    );
    for other in others {
        set_status(conn, &other, MutasiStatus::Ditolak, (actor, &note), None)?;
    }
    Ok(())
}
