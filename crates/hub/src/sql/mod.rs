//! The hub's storage, written once for both databases (`crate::db`): opening it, enrolment,
//! devices, status, and [`HubStore`] for [`Hub`]; applying pushes and answering pulls is in
//! `rows`, a transfer's move in `moves`, attachments' files in `blobs`, the status page's
//! accounts and overview in `admin`, failed attempts per address in `throttle`.

mod admin;
mod batch;
mod blobs;
mod moves;
#[cfg(test)]
mod pull_scope;
mod rows;
#[cfg(test)]
mod store_tests;
#[cfg(test)]
pub(crate) mod testing;
mod throttle;

use chrono::{DateTime, Duration, Utc};
use pelita_proto::{
    Ack, EnrollRequest, EnrollResponse, Mutation, PullRequest, PullResponse, RawPayload,
};

use crate::db::postgres::PgBackend;
use crate::db::sqlite::{HubKey, SqliteBackend};
use crate::db::{args, Backend, Row, Sql};
use crate::rules::Device;
use crate::secret::{hash, now, random_hex};
use crate::store::{DeviceRow, HubError, HubOverview, HubStatus, HubStore, OfficeRow, Result};

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

/// The hub's storage on a database `B`: [`SqliteHub`] or [`PgHub`].
pub struct Hub<B> {
    pub(crate) db: B,
}

/// The hub in one SQLite file.
pub type SqliteHub = Hub<SqliteBackend>;
/// The hub on a PostgreSQL server, which several hub processes may share.
pub type PgHub = Hub<PgBackend>;

/// The offices every new hub starts with (the kecamatan's kelurahan and its HQ).
fn seed(tx: &dyn Sql) -> Result<()> {
    for o in pelita_core::office::seed_offices() {
        tx.execute(
            "INSERT INTO office (id, code, name, hq) VALUES (?1, ?2, ?3, ?4)",
            args![o.id, o.code, o.name, o.code == pelita_core::office::HQ_CODE],
        )?;
    }
    Ok(())
}

impl SqliteHub {
    /// Opens (creating and seeding when new) the hub database at `path`.
    pub fn open(path: &std::path::Path) -> Result<Self> {
        Self::open_with(path, None)
    }

    /// Opens the hub database at `path`, encrypted under `key` (created encrypted when new).
    pub fn open_with(path: &std::path::Path, key: Option<HubKey>) -> Result<Self> {
        Ok(Hub {
            db: SqliteBackend::open(path, key, seed)?,
        })
    }

    /// Writes an encrypted copy of this unencrypted hub database to `to`.
    pub fn export_encrypted(&self, to: &std::path::Path, key: &HubKey) -> Result<()> {
        self.db.export_encrypted(to, key)
    }
}

impl PgHub {
    /// Connects to the hub database at a `postgres://` URL (creating and seeding its schema when
    /// new).
    pub fn connect(url: &str) -> Result<Self> {
        Ok(Hub {
            db: PgBackend::connect(url, seed)?,
        })
    }
}

fn office_row(mut r: Row) -> Result<OfficeRow> {
    Ok(OfficeRow {
        id: r.get(0)?,
        code: r.get(1)?,
        name: r.get(2)?,
        hq: r.get(3)?,
    })
}

fn office_by_code(tx: &dyn Sql, code: &str) -> Result<OfficeRow> {
    tx.opt(
        // Codes compare without case, ASCII only on either engine (`upper` of a C-collated column).
        "SELECT id, code, name, hq FROM office WHERE upper(code) = ?1",
        args![code.trim().to_ascii_uppercase()],
        office_row,
    )?
    .ok_or_else(|| {
        HubError::NotFound(format!(
            "kantor dengan kode '{}' tidak ada di hub",
            code.trim()
        ))
    })
}

fn office_name(tx: &dyn Sql, office_id: &str) -> String {
    tx.value("SELECT name FROM office WHERE id = ?1", args![office_id])
        .unwrap_or_else(|_| format!("kantor {office_id}"))
}

impl<B: Backend> Hub<B> {
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
        self.db.write(|tx| {
            let found: Option<(String, String, Option<String>, Option<String>)> = tx.opt(
                &format!(
                    "SELECT office_id, expires_at, used_at, psk FROM enroll_code WHERE {column} = ?1"
                ),
                args![value],
                |mut r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )?;
            let (office_id, psk) = match found {
                Some((office, expires, None, psk))
                    if DateTime::parse_from_rfc3339(&expires).is_ok_and(|e| e > Utc::now()) =>
                {
                    (office, psk)
                }
                _ => return Err(HubError::BadCode),
            };
            if let Some(expected) = expected_office.filter(|o| *o != office_id) {
                return Err(HubError::BadRequest(format!(
                    "kode ini untuk {}, sedangkan laptop ini dipasang untuk {}; kode tidak terpakai",
                    office_name(tx, &office_id),
                    office_name(tx, expected)
                )));
            }
            tx.execute(
                &format!("UPDATE enroll_code SET used_at = ?2 WHERE {column} = ?1"),
                args![value, now()],
            )?;
            let device_id = uuid::Uuid::now_v7().to_string();
            let token = random_hex();
            tx.execute(
                "INSERT INTO device (id, office_id, name, token_hash, database_id, enrolled_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                args![
                    device_id,
                    office_id,
                    device_name.trim(),
                    hash(&token),
                    database_id,
                    now()
                ],
            )?;
            let (office_code, office_name) = tx
                .opt(
                    "SELECT code, name FROM office WHERE id = ?1",
                    args![office_id],
                    |mut r| Ok((r.get(0)?, r.get(1)?)),
                )?
                .ok_or_else(|| HubError::NotFound(format!("kantor {office_id} tidak ada")))?;
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
        })
    }
}

fn device_row(mut r: Row) -> Result<DeviceRow> {
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
}

fn devices(tx: &dyn Sql) -> Result<Vec<DeviceRow>> {
    tx.map(
        "SELECT d.id, o.code, d.name, d.database_id, d.enrolled_at, d.revoked_at, d.last_seen_at,
                d.last_push_at, d.last_pull_at, d.app_version
         FROM device d JOIN office o ON o.id = d.office_id ORDER BY o.code, d.enrolled_at",
        &[],
        device_row,
    )
}

fn status(tx: &dyn Sql) -> Result<HubStatus> {
    let count = |sql: &str| -> Result<i64> { tx.value(sql, &[]) };
    Ok(HubStatus {
        protocol: pelita_proto::PROTOCOL_VERSION,
        version: env!("CARGO_PKG_VERSION").into(),
        offices: count("SELECT count(*) FROM office")? as u32,
        rows: count("SELECT count(*) FROM row")? as u64,
        last_seq: count("SELECT coalesce(max(seq), 0) FROM row")?,
        pending_conflicts: count(
            "SELECT count(*) FROM (SELECT DISTINCT entity, row_id FROM conflict
             WHERE resolved_at IS NULL) AS open",
        )? as u32,
        rejected: count("SELECT count(*) FROM rejected")? as u32,
        duplicates: count(
            "SELECT coalesce((SELECT CAST(value AS BIGINT) FROM meta WHERE key = 'duplicates'), 0)",
        )? as u64,
        devices: devices(tx)?,
    })
}

impl<B: Backend> HubStore for Hub<B> {
    fn offices(&self) -> Result<Vec<OfficeRow>> {
        self.db.read(|tx| {
            tx.map(
                "SELECT id, code, name, hq FROM office ORDER BY hq DESC, code",
                &[],
                office_row,
            )
        })
    }

    fn add_office(&self, code: &str, name: &str) -> Result<OfficeRow> {
        let code = code.trim().to_uppercase();
        if code.is_empty() || name.trim().is_empty() {
            return Err(HubError::BadRequest(
                "kode dan nama kantor wajib diisi".into(),
            ));
        }
        let id = pelita_core::office::office_id(&code);
        self.db.write(|tx| {
            let added = tx.execute(
                "INSERT INTO office (id, code, name, hq) VALUES (?1, ?2, ?3, 0)
                 ON CONFLICT DO NOTHING",
                args![id, code, name.trim()],
            )?;
            if added == 0 {
                return Err(HubError::BadRequest(format!("kantor {code} sudah ada")));
            }
            office_by_code(tx, &code)
        })
    }

    fn issue_code(&self, office_code: &str, ttl: Duration) -> Result<(String, DateTime<Utc>)> {
        if ttl < Duration::hours(1) || ttl > Duration::hours(MAX_CODE_HOURS) {
            return Err(HubError::BadRequest(format!(
                "masa berlaku kode pendaftaran 1 sampai {MAX_CODE_HOURS} jam (7 hari); kode yang berlaku lebih lama lebih lama pula dapat ditebak atau disalahgunakan"
            )));
        }
        let code = random_code();
        let expires = Utc::now() + ttl;
        let (verifier, psk) = pelita_proto::enrol_bundle::code_secrets(&code);
        self.db.write(|tx| {
            let office = office_by_code(tx, office_code)?;
            tx.execute(
                "INSERT INTO enroll_code (code_hash, office_id, expires_at, verifier, psk)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
                args![
                    pelita_proto::enrol_bundle::code_hash(&code),
                    office.id,
                    expires.to_rfc3339(),
                    verifier,
                    psk
                ],
            )
        })?;
        Ok((code, expires))
    }

    fn enroll(&self, req: &EnrollRequest, from: &str) -> Result<EnrollResponse> {
        let at = Utc::now();
        self.db
            .read(|tx| throttle::check(tx, throttle::Kind::Enroll, from, at))?;
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
                self.db
                    .write(|tx| throttle::failed(tx, throttle::Kind::Enroll, from, at))?;
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
        let found: Option<Found> = self.db.read(|tx| {
            tx.opt(
                "SELECT d.id, d.office_id, d.revoked_at, d.database_id, o.hq, d.last_seen_at,
                        d.app_version
                 FROM device d JOIN office o ON o.id = d.office_id WHERE d.token_hash = ?1",
                args![hash(token)],
                |mut r| {
                    Ok((
                        r.get(0)?,
                        r.get(1)?,
                        r.get(2)?,
                        r.get(3)?,
                        r.get(4)?,
                        r.get(5)?,
                        r.get(6)?,
                    ))
                },
            )
        })?;
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
            self.db.write(|tx| {
                tx.execute(
                    "UPDATE device SET last_seen_at = ?2, app_version = coalesce(?3, app_version)
                     WHERE id = ?1",
                    args![id, now(), app_version],
                )
            })?;
        }
        Ok(Device { id, office_id, hq })
    }

    fn push(
        &self,
        device: &Device,
        mutations: &[Mutation],
        resolved: &[String],
    ) -> Result<Vec<Ack>> {
        self.db
            .write(|tx| rows::push(tx, device, mutations, resolved))
    }

    fn pull(&self, device: &Device, req: &PullRequest) -> Result<PullResponse<RawPayload>> {
        let (page, last_pull) = self.db.read(|tx| rows::pull(tx, device, req))?;
        // Read beside the writer; when it pulled is written (by the writer) to the minute.
        if stale(last_pull.as_deref()) {
            self.db.write(|tx| {
                tx.execute(
                    "UPDATE device SET last_pull_at = ?2 WHERE id = ?1",
                    args![device.id, now()],
                )
            })?;
        }
        Ok(page)
    }

    fn blob_state(&self, device: &Device, sha256: &str) -> Result<pelita_proto::BlobState> {
        self.db.read(|tx| blobs::blob_state(tx, device, sha256))
    }

    fn put_blob_chunk(
        &self,
        device: &Device,
        sha256: &str,
        index: u32,
        bytes: &[u8],
    ) -> Result<pelita_proto::BlobState> {
        blobs::put_chunk(&self.db, device, sha256, index, bytes)
    }

    fn blob_chunk(&self, device: &Device, sha256: &str, index: u32) -> Result<Vec<u8>> {
        self.db.read(|tx| blobs::chunk(tx, device, sha256, index))
    }

    fn bundle_device(&self, device_id: &str, database_id: &str) -> Result<(Device, String)> {
        let found: Option<(String, String, Option<String>, String, bool)> = self.db.read(|tx| {
            tx.opt(
                "SELECT d.office_id, d.token_hash, d.revoked_at, d.database_id, o.hq
                     FROM device d JOIN office o ON o.id = d.office_id WHERE d.id = ?1",
                args![device_id],
                |mut r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
            )
        })?;
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
        self.db.read(devices)
    }

    fn revoke(&self, device_id: &str) -> Result<u32> {
        self.db.write(|tx| {
            let at = now();
            let n = tx.execute(
                "UPDATE device SET revoked_at = ?2 WHERE id = ?1 AND revoked_at IS NULL",
                args![device_id, at],
            )?;
            if n == 0 {
                return Err(HubError::NotFound(format!(
                    "perangkat '{device_id}' tidak ada atau sudah dicabut"
                )));
            }
            let closed = tx.execute(
                "UPDATE conflict SET resolved_at = ?2, closed_by = 'revoked'
                 WHERE device_id = ?1 AND resolved_at IS NULL",
                args![device_id, at],
            )?;
            Ok(closed as u32)
        })
    }

    fn close_conflict(&self, mutation_id: &str) -> Result<u32> {
        let closed = self.db.write(|tx| {
            tx.execute(
                "UPDATE conflict SET resolved_at = ?2, closed_by = 'admin'
                 WHERE resolved_at IS NULL AND (device_id, entity, row_id) IN
                   (SELECT device_id, entity, row_id FROM conflict WHERE mutation_id = ?1)",
                args![mutation_id, now()],
            )
        })?;
        if closed == 0 {
            return Err(HubError::NotFound(format!(
                "tidak ada konflik terbuka dengan ID perubahan '{mutation_id}'"
            )));
        }
        Ok(closed as u32)
    }

    fn status(&self) -> Result<HubStatus> {
        self.db.read(status)
    }

    fn checksum_for(&self, office_code: &str) -> Result<String> {
        self.db.read(|tx| rows::checksum_for(tx, office_code))
    }

    fn received_count(&self) -> Result<u64> {
        self.db
            .read(|tx| tx.value("SELECT count(*) FROM received", &[]))
    }

    fn set_admin_password(&self, username: &str, password: &str) -> Result<()> {
        admin::set_password(&self.db, username, password)
    }

    fn admin_login(
        &self,
        username: &str,
        password: &str,
        from: &str,
        at: DateTime<Utc>,
    ) -> Result<String> {
        admin::login(&self.db, username, password, from, at)
    }

    fn admin_session(&self, token: &str, at: DateTime<Utc>) -> Result<String> {
        self.db.read(|tx| admin::session(tx, token, at))
    }

    fn admin_logout(&self, token: &str) -> Result<()> {
        self.db.write(|tx| admin::logout(tx, token))
    }

    fn overview(&self) -> Result<HubOverview> {
        self.db.read(|tx| admin::overview(tx, status(tx)?))
    }
}
