//! The hub's storage in one SQLite file: opening and migrating it, enrolment, devices, status,
//! and [`HubStore`] for [`SqliteHub`]; applying pushes and answering pulls is in `rows`, a
//! transfer's move in `moves`, attachments' files in `blobs`, the status page's accounts and
//! overview in `admin`.

mod admin;
mod blobs;
mod moves;
#[cfg(test)]
mod pull_scope;
mod rows;
mod throttle;

use chrono::{DateTime, Duration, Utc};
use pelita_proto::{
    Ack, EnrollRequest, EnrollResponse, Mutation, PullRequest, PullResponse, RawPayload,
};
use std::sync::{Mutex, MutexGuard};

use rusqlite::{params, Connection, OptionalExtension, TransactionBehavior};

use crate::rules::Device;
use crate::secret::{hash, now, random_hex};
use crate::store::{DeviceRow, HubError, HubOverview, HubStatus, HubStore, OfficeRow, Result};

const MIGRATIONS: &[&str] = &[
    include_str!("../../migrations/0001_hub.sql"),
    include_str!("../../migrations/0002_row_writer.sql"),
    include_str!("../../migrations/0003_admin.sql"),
    include_str!("../../migrations/0004_outcomes.sql"),
    include_str!("../../migrations/0005_conflict_closed_by.sql"),
    include_str!("../../migrations/0006_trainings_district_wide.sql"),
    include_str!("../../migrations/0007_offline_codes.sql"),
    include_str!("../../migrations/0008_blobs.sql"),
    include_str!("../../migrations/0009_pull_indexes.sql"),
    include_str!("../../migrations/0010_throttle.sql"),
];

/// The longest an enrolment code may stay valid: a week (a laptop carried to the kecamatan, or a
/// request file on a stick, within it).
pub const MAX_CODE_HOURS: i64 = 7 * 24;

/// Whether a "last seen" time is worth writing again: kept to the minute, since a write (and its
/// disk flush) on every request would be most of what a busy hub does.
fn stale(at: Option<&str>) -> bool {
    at.and_then(|s| DateTime::parse_from_rfc3339(s).ok())
        .is_none_or(|s| Utc::now() - s.with_timezone(&Utc) > Duration::seconds(60))
}

/// An enrolment code people can read out over the phone: 16 characters in four groups, no 0/O
/// or 1/I — 80 random bits, so guessing one is hopeless within its lifetime.
fn random_code() -> String {
    crate::secret::random_code()
}

/// One writer connection (SQLite takes one write at a time; the lock queues them here, not in
/// SQLite's busy loop) and a few readers beside it: in WAL mode a pull, a file's chunk or the
/// status page reads a snapshot without waiting for the push being written.
pub struct SqliteHub {
    writer: Mutex<Connection>,
    readers: Mutex<Vec<Connection>>,
    path: std::path::PathBuf,
}

/// A reader connection, back to the pool when dropped.
pub(crate) struct Reader<'a> {
    conn: Option<Connection>,
    pool: &'a Mutex<Vec<Connection>>,
}

impl std::ops::Deref for Reader<'_> {
    type Target = Connection;
    fn deref(&self) -> &Connection {
        self.conn
            .as_ref()
            .expect("a reader holds its connection until dropped")
    }
}

impl std::ops::DerefMut for Reader<'_> {
    fn deref_mut(&mut self) -> &mut Connection {
        self.conn
            .as_mut()
            .expect("a reader holds its connection until dropped")
    }
}

impl Drop for Reader<'_> {
    fn drop(&mut self) {
        const KEPT: usize = 4;
        let mut pool = self.pool.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(conn) = self.conn.take().filter(|_| pool.len() < KEPT) {
            pool.push(conn);
        }
    }
}

fn configure(conn: &Connection) -> rusqlite::Result<()> {
    conn.pragma_update(None, "foreign_keys", "ON")?;
    conn.busy_timeout(std::time::Duration::from_secs(10))?;
    conn.set_prepared_statement_cache_capacity(64);
    Ok(())
}

impl SqliteHub {
    /// Opens (creating and seeding when new) the hub database at `path`.
    pub fn open(path: &std::path::Path) -> Result<Self> {
        let mut conn = Connection::open(path)?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "FULL")?;
        configure(&conn)?;
        let version: usize = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        for (i, sql) in MIGRATIONS.iter().enumerate().skip(version) {
            tx.execute_batch(sql)?;
            tx.pragma_update(None, "user_version", i + 1)?;
        }
        if version == 0 {
            for o in pelita_core::office::seed_offices() {
                tx.execute(
                    "INSERT INTO office (id, code, name, hq) VALUES (?1, ?2, ?3, ?4)",
                    params![o.id, o.code, o.name, o.code == pelita_core::office::HQ_CODE],
                )?;
            }
        }
        tx.commit()?;
        Ok(Self {
            writer: Mutex::new(conn),
            readers: Mutex::default(),
            path: path.to_path_buf(),
        })
    }

    /// The writer connection, waiting for the write before it.
    pub(crate) fn conn(&self) -> MutexGuard<'_, Connection> {
        self.writer.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// A connection for reading only, beside the writer.
    pub(crate) fn reader(&self) -> Result<Reader<'_>> {
        let kept = self.readers.lock().unwrap_or_else(|p| p.into_inner()).pop();
        let conn = match kept {
            Some(conn) => conn,
            None => {
                let conn = Connection::open_with_flags(
                    &self.path,
                    rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY
                        | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX,
                )?;
                configure(&conn)?;
                conn
            }
        };
        Ok(Reader {
            conn: Some(conn),
            pool: &self.readers,
        })
    }

    pub(crate) fn office_by_code(&self, code: &str) -> Result<OfficeRow> {
        self.reader()?
            .query_row(
                "SELECT id, code, name, hq FROM office WHERE code = ?1",
                [code.trim()],
                |r| {
                    Ok(OfficeRow {
                        id: r.get(0)?,
                        code: r.get(1)?,
                        name: r.get(2)?,
                        hq: r.get(3)?,
                    })
                },
            )
            .optional()?
            .ok_or_else(|| {
                HubError::NotFound(format!(
                    "kantor dengan kode '{}' tidak ada di hub",
                    code.trim()
                ))
            })
    }
}

impl SqliteHub {
    /// Spends the unused, unexpired code found by `(column, value)` (its hash online, its
    /// verifier from a request file) on a new device; `expected_office`, when given, must be the
    /// code's office, checked before the code is spent. Returns the code's pre-shared key too.
    fn enroll_with(
        &self,
        (column, value): (&str, &str),
        device_name: &str,
        database_id: &str,
        expected_office: Option<&str>,
    ) -> Result<(EnrollResponse, Option<String>)> {
        if database_id.trim().is_empty() {
            return Err(HubError::BadRequest("id basis data wajib dikirim".into()));
        }
        let mut conn = self.conn();
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let found: Option<(String, String, Option<String>, Option<String>)> = tx
            .query_row(
                &format!(
                    "SELECT office_id, expires_at, used_at, psk FROM enroll_code WHERE {column} = ?1"
                ),
                [value],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )
            .optional()?;
        let (office_id, psk) = match found {
            Some((office, expires, None, psk))
                if DateTime::parse_from_rfc3339(&expires).is_ok_and(|e| e > Utc::now()) =>
            {
                (office, psk)
            }
            _ => return Err(HubError::BadCode),
        };
        if let Some(expected) = expected_office.filter(|o| *o != office_id) {
            let name = |id: &str| {
                tx.query_row("SELECT name FROM office WHERE id = ?1", [id], |r| {
                    r.get::<_, String>(0)
                })
                .unwrap_or_else(|_| id.to_string())
            };
            return Err(HubError::BadRequest(format!(
                "kode ini untuk {}, sedangkan laptop ini dipasang untuk {}; kode tidak terpakai",
                name(&office_id),
                name(expected)
            )));
        }
        tx.execute(
            &format!("UPDATE enroll_code SET used_at = ?2 WHERE {column} = ?1"),
            params![value, now()],
        )?;
        let device_id = uuid::Uuid::now_v7().to_string();
        let token = random_hex();
        tx.execute(
            "INSERT INTO device (id, office_id, name, token_hash, database_id, enrolled_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![
                device_id,
                office_id,
                device_name.trim(),
                hash(&token),
                database_id,
                now()
            ],
        )?;
        let (office_code, office_name): (String, String) = tx.query_row(
            "SELECT code, name FROM office WHERE id = ?1",
            [&office_id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        tx.commit()?;
        Ok((
            EnrollResponse {
                device_id,
                token,
                office_id,
                office_code,
                office_name,
            },
            psk,
        ))
    }
}

impl HubStore for SqliteHub {
    fn offices(&self) -> Result<Vec<OfficeRow>> {
        let conn = self.reader()?;
        let mut stmt =
            conn.prepare("SELECT id, code, name, hq FROM office ORDER BY hq DESC, code")?;
        let rows = stmt.query_map([], |r| {
            Ok(OfficeRow {
                id: r.get(0)?,
                code: r.get(1)?,
                name: r.get(2)?,
                hq: r.get(3)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn add_office(&self, code: &str, name: &str) -> Result<OfficeRow> {
        let code = code.trim().to_uppercase();
        if code.is_empty() || name.trim().is_empty() {
            return Err(HubError::BadRequest(
                "kode dan nama kantor wajib diisi".into(),
            ));
        }
        let id = pelita_core::office::office_id(&code);
        let added = self.conn().execute(
            "INSERT OR IGNORE INTO office (id, code, name, hq) VALUES (?1, ?2, ?3, 0)",
            params![id, code, name.trim()],
        )?;
        if added == 0 {
            return Err(HubError::BadRequest(format!("kantor {code} sudah ada")));
        }
        self.office_by_code(&code)
    }

    fn issue_code(&self, office_code: &str, ttl: Duration) -> Result<(String, DateTime<Utc>)> {
        if ttl < Duration::hours(1) || ttl > Duration::hours(MAX_CODE_HOURS) {
            return Err(HubError::BadRequest(format!(
                "masa berlaku kode pendaftaran 1 sampai {MAX_CODE_HOURS} jam (7 hari); kode yang berlaku lebih lama lebih lama pula dapat ditebak atau disalahgunakan"
            )));
        }
        let office = self.office_by_code(office_code)?;
        let code = random_code();
        let expires = Utc::now() + ttl;
        let (verifier, psk) = pelita_proto::enrol_bundle::code_secrets(&code);
        self.conn().execute(
            "INSERT INTO enroll_code (code_hash, office_id, expires_at, verifier, psk)
             VALUES (?1, ?2, ?3, ?4, ?5)",
            params![
                pelita_proto::enrol_bundle::code_hash(&code),
                office.id,
                expires.to_rfc3339(),
                verifier,
                psk
            ],
        )?;
        Ok((code, expires))
    }

    fn enroll(&self, req: &EnrollRequest, from: &str) -> Result<EnrollResponse> {
        let at = Utc::now();
        throttle::check(&self.conn(), throttle::Kind::Enroll, from, at)?;
        let hash = pelita_proto::enrol_bundle::code_hash(&req.code);
        let key = ("code_hash", hash.as_str());
        match self.enroll_with(key, &req.device_name, &req.database_id, None) {
            Ok((enrolled, _)) => {
                tracing::info!(address = from, device = %enrolled.device_id,
                    office = %enrolled.office_code, "perangkat terdaftar");
                Ok(enrolled)
            }
            Err(HubError::BadCode) => {
                tracing::warn!(address = from, "kode pendaftaran salah");
                throttle::failed(&self.conn(), throttle::Kind::Enroll, from, at)?;
                Err(HubError::BadCode)
            }
            Err(e) => Err(e),
        }
    }

    fn enroll_offline(
        &self,
        verifier: &str,
        device_name: &str,
        database_id: &str,
        office_id: &str,
    ) -> Result<(EnrollResponse, String)> {
        let (e, psk) = self.enroll_with(
            ("verifier", verifier),
            device_name,
            database_id,
            Some(office_id),
        )?;
        Ok((e, psk.ok_or(HubError::BadCode)?))
    }
    fn authenticate(
        &self,
        token: &str,
        database_id: &str,
        app_version: Option<&str>,
    ) -> Result<Device> {
        type Found = (
            String,
            String,
            Option<String>,
            String,
            bool,
            Option<String>,
            Option<String>,
        );
        let found: Option<Found> = self
            .reader()?
            .prepare_cached(
                "SELECT d.id, d.office_id, d.revoked_at, d.database_id, o.hq, d.last_seen_at,
                        d.app_version
                 FROM device d JOIN office o ON o.id = d.office_id WHERE d.token_hash = ?1",
            )?
            .query_row([hash(token)], |r| {
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                    r.get(6)?,
                ))
            })
            .optional()?;
        let Some((id, office_id, revoked, bound_to, hq, seen, version)) = found else {
            return Err(HubError::Unauthorized);
        };
        if revoked.is_some() {
            return Err(HubError::Revoked);
        }
        if bound_to != database_id {
            return Err(HubError::WrongDatabase);
        }
        if stale(seen.as_deref()) || app_version.is_some_and(|v| version.as_deref() != Some(v)) {
            self.conn().execute(
                "UPDATE device SET last_seen_at = ?2, app_version = coalesce(?3, app_version)
                 WHERE id = ?1",
                params![id, now(), app_version],
            )?;
        }
        Ok(Device { id, office_id, hq })
    }

    fn push(
        &self,
        device: &Device,
        mutations: &[Mutation],
        resolved: &[String],
    ) -> Result<Vec<Ack>> {
        self.push_rows(device, mutations, resolved)
    }

    fn pull(&self, device: &Device, req: &PullRequest) -> Result<PullResponse<RawPayload>> {
        self.pull_rows(device, req)
    }

    fn blob_state(&self, device: &Device, sha256: &str) -> Result<pelita_proto::BlobState> {
        blobs::blob_state(&*self.reader()?, device, sha256)
    }

    fn put_blob_chunk(
        &self,
        device: &Device,
        sha256: &str,
        index: u32,
        bytes: &[u8],
    ) -> Result<pelita_proto::BlobState> {
        blobs::put_chunk(&mut self.conn(), device, sha256, index, bytes)
    }

    fn blob_chunk(&self, device: &Device, sha256: &str, index: u32) -> Result<Vec<u8>> {
        blobs::chunk(&*self.reader()?, device, sha256, index)
    }

    fn bundle_device(&self, device_id: &str, database_id: &str) -> Result<(Device, String)> {
        let found: Option<(String, String, Option<String>, String, bool)> = self
            .conn()
            .query_row(
                "SELECT d.office_id, d.token_hash, d.revoked_at, d.database_id, o.hq
                 FROM device d JOIN office o ON o.id = d.office_id WHERE d.id = ?1",
                [device_id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
            )
            .optional()?;
        let Some((office_id, token_hash, revoked, bound_to, hq)) = found else {
            return Err(HubError::Unauthorized);
        };
        if revoked.is_some() {
            return Err(HubError::Revoked);
        }
        if bound_to != database_id {
            return Err(HubError::WrongDatabase);
        }
        Ok((
            Device {
                id: device_id.to_string(),
                office_id,
                hq,
            },
            token_hash,
        ))
    }

    fn devices(&self) -> Result<Vec<DeviceRow>> {
        let conn = self.reader()?;
        let mut stmt = conn.prepare(
            "SELECT d.id, o.code, d.name, d.database_id, d.enrolled_at, d.revoked_at, d.last_seen_at,
                    d.last_push_at, d.last_pull_at, d.app_version
             FROM device d JOIN office o ON o.id = d.office_id ORDER BY o.code, d.enrolled_at",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(DeviceRow {
                id: r.get(0)?,
                office_code: r.get(1)?,
                name: r.get(2)?,
                database_id: r.get(3)?,
                enrolled_at: r.get(4)?,
                revoked_at: r.get(5)?,
                last_seen_at: r.get(6)?,
                last_push_at: r.get(7)?,
                last_pull_at: r.get(8)?,
                app_version: r.get(9)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn revoke(&self, device_id: &str) -> Result<u32> {
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        let at = now();
        let n = tx.execute(
            "UPDATE device SET revoked_at = ?2 WHERE id = ?1 AND revoked_at IS NULL",
            params![device_id, at],
        )?;
        if n == 0 {
            return Err(HubError::NotFound(format!(
                "perangkat '{device_id}' tidak ada atau sudah dicabut"
            )));
        }
        let closed = tx.execute(
            "UPDATE conflict SET resolved_at = ?2, closed_by = 'revoked'
             WHERE device_id = ?1 AND resolved_at IS NULL",
            params![device_id, at],
        )?;
        tx.commit()?;
        Ok(closed as u32)
    }

    fn close_conflict(&self, mutation_id: &str) -> Result<u32> {
        let closed = self.conn().execute(
            "UPDATE conflict SET resolved_at = ?2, closed_by = 'admin'
             WHERE resolved_at IS NULL AND (device_id, entity, row_id) IN
               (SELECT device_id, entity, row_id FROM conflict WHERE mutation_id = ?1)",
            params![mutation_id, now()],
        )?;
        if closed == 0 {
            return Err(HubError::NotFound(format!(
                "tidak ada konflik terbuka dengan ID perubahan '{mutation_id}'"
            )));
        }
        Ok(closed as u32)
    }

    fn status(&self) -> Result<HubStatus> {
        let conn = self.reader()?;
        let count = |sql: &str| -> Result<i64> { Ok(conn.query_row(sql, [], |r| r.get(0))?) };
        Ok(HubStatus {
            protocol: pelita_proto::PROTOCOL_VERSION,
            version: env!("CARGO_PKG_VERSION").into(),
            offices: count("SELECT count(*) FROM office")? as u32,
            rows: count("SELECT count(*) FROM row")? as u64,
            last_seq: count("SELECT coalesce(max(seq), 0) FROM row")?,
            pending_conflicts: count(
                "SELECT count(*) FROM (SELECT DISTINCT entity, row_id FROM conflict
                 WHERE resolved_at IS NULL)",
            )? as u32,
            rejected: count("SELECT count(*) FROM rejected")? as u32,
            duplicates: count(
                "SELECT coalesce((SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'duplicates'), 0)",
            )? as u64,
            devices: self.devices()?,
        })
    }

    fn set_admin_password(&self, username: &str, password: &str) -> Result<()> {
        admin::set_password(&self.conn(), username, password)
    }

    fn admin_login(
        &self,
        username: &str,
        password: &str,
        from: &str,
        at: DateTime<Utc>,
    ) -> Result<String> {
        admin::login(self, username, password, from, at)
    }

    fn admin_session(&self, token: &str, at: DateTime<Utc>) -> Result<String> {
        admin::session(&self.conn(), token, at)
    }

    fn admin_logout(&self, token: &str) -> Result<()> {
        admin::logout(&self.conn(), token)
    }

    fn overview(&self) -> Result<HubOverview> {
        let status = self.status()?;
        admin::overview(&*self.reader()?, status)
    }
}
