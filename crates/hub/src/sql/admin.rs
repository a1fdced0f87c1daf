//! The hub admin's accounts (for the status page) and the overview that page shows. Passwords
//! are argon2id hashes; failed sign-ins make the address they came from wait, as an office
//! account does ([`pelita_core::auth::lock_seconds`], `throttle`), never the account; a session
//! is a random cookie whose hash is kept for [`SESSION_HOURS`].

use super::throttle::{self, Kind};
use crate::db::{args, Backend, Sql};
use crate::secret::{hash, now, random_hex};
use crate::store::{
    ConflictRow, HubError, HubOverview, HubStatus, OfficeSummary, RejectedRow, Result,
    SESSION_HOURS,
};
use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use chrono::{DateTime, Duration, Utc};

/// The fields of a refused row a person recognises it by.
fn summary(payload: Option<String>) -> String {
    let row: serde_json::Value = payload
        .and_then(|p| serde_json::from_str(&p).ok())
        .unwrap_or_default();
    ["nip", "name", "title", "jabatan", "status"]
        .iter()
        .filter_map(|f| row.get(*f).and_then(|v| v.as_str()))
        .filter(|v| !v.is_empty())
        .collect::<Vec<_>>()
        .join(" · ")
}

const SHOWN_REJECTIONS: u32 = 50;

pub(crate) fn set_password<B: Backend>(db: &B, username: &str, password: &str) -> Result<()> {
    let username = username.trim();
    if username.is_empty() {
        return Err(HubError::BadRequest("nama pengguna admin kosong".into()));
    }
    pelita_core::auth::check_new_password(password, username).map_err(HubError::BadRequest)?;
    let hashed = Argon2::default()
        .hash_password(password.as_bytes(), &SaltString::generate(&mut OsRng))
        .map_err(|e| HubError::BadRequest(format!("kata sandi tidak dapat di-hash: {e}")))?
        .to_string();
    db.write(|tx| {
        // The name as first written is kept (names compare without case).
        let known: Option<String> = tx.opt(
            "SELECT username FROM hub_admin WHERE lower(username) = ?1",
            args![username.to_ascii_lowercase()],
            |mut r| r.get(0),
        )?;
        match &known {
            Some(name) => tx.execute(
                "UPDATE hub_admin SET password_hash = ?2, failures = 0, locked_until = NULL
                 WHERE username = ?1",
                args![name, hashed],
            )?,
            None => tx.execute(
                "INSERT INTO hub_admin (username, password_hash, created_at) VALUES (?1, ?2, ?3)",
                args![username, hashed, now()],
            )?,
        };
        // A new password ends every session opened with the old one; set at the hub's console,
        // it also lets every address try again.
        tx.execute(
            "DELETE FROM admin_session WHERE username = ?1",
            args![known.as_deref().unwrap_or(username)],
        )?;
        throttle::clear_all(tx, Kind::SignIn)
    })
}

/// An argon2id hash of a password no one knows: an unknown username is checked against it, so a
/// sign-in takes as long whether or not the name exists.
fn dummy_hash() -> &'static str {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DUMMY.get_or_init(|| {
        Argon2::default()
            .hash_password(random_hex().as_bytes(), &SaltString::generate(&mut OsRng))
            .map(|h| h.to_string())
            .unwrap_or_default()
    })
}

/// Checks the password and opens a session; returns the cookie value. Attempts are counted
/// against the address they come from (`throttle`), each before its password is checked — so
/// attempts sent at once count too — and forgotten when one succeeds. The password is checked
/// outside the writer, which pushes keep using meanwhile.
pub(crate) fn login<B: Backend>(
    db: &B,
    username: &str,
    password: &str,
    from: &str,
    at: DateTime<Utc>,
) -> Result<String> {
    let username = username.trim();
    db.write(|tx| {
        throttle::check(tx, Kind::SignIn, from, at)?;
        throttle::failed(tx, Kind::SignIn, from, at)
    })?;
    let found: Option<(String, String)> = db.read(|tx| {
        tx.opt(
            "SELECT username, password_hash FROM hub_admin WHERE lower(username) = ?1",
            args![username.to_ascii_lowercase()],
            |mut r| Ok((r.get(0)?, r.get(1)?)),
        )
    })?;
    let stored = found.as_ref().map_or(dummy_hash(), |(_, h)| h.as_str());
    let matches = PasswordHash::new(stored)
        .map(|h| {
            Argon2::default()
                .verify_password(password.as_bytes(), &h)
                .is_ok()
        })
        .unwrap_or(false);
    let Some((name, _)) = found.filter(|_| matches) else {
        tracing::warn!(address = from, "masuk halaman status gagal");
        return Err(HubError::LoginFailed);
    };
    let token = random_hex();
    db.write(|tx| {
        throttle::cleared(tx, Kind::SignIn, from)?;
        tx.execute(
            "DELETE FROM admin_session WHERE expires_at <= ?1",
            args![at.to_rfc3339()],
        )?;
        tx.execute(
            "INSERT INTO admin_session (token_hash, username, expires_at) VALUES (?1, ?2, ?3)",
            args![
                hash(&token),
                name,
                (at + Duration::hours(SESSION_HOURS)).to_rfc3339()
            ],
        )
    })?;
    Ok(token)
}

/// The admin a session cookie belongs to, while it lasts.
pub(crate) fn session(tx: &dyn Sql, token: &str, at: DateTime<Utc>) -> Result<String> {
    tx.opt(
        "SELECT username FROM admin_session WHERE token_hash = ?1 AND expires_at > ?2",
        args![hash(token), at.to_rfc3339()],
        |mut r| r.get(0),
    )?
    .ok_or(HubError::Unauthorized)
}

pub(crate) fn logout(tx: &dyn Sql, token: &str) -> Result<()> {
    tx.execute(
        "DELETE FROM admin_session WHERE token_hash = ?1",
        args![hash(token)],
    )?;
    Ok(())
}

pub(crate) fn overview(tx: &dyn Sql, status: HubStatus) -> Result<HubOverview> {
    let d = tx.dialect();
    let offices = tx.map(
        &format!(
            "SELECT o.code, o.name, o.hq,
                (SELECT count(*) FROM device d WHERE d.office_id = o.id AND d.revoked_at IS NULL),
                (SELECT count(*) FROM row r WHERE r.owner_office_id = o.id),
                (SELECT max({}) FROM device d WHERE d.office_id = o.id),
                (SELECT count(*) FROM (SELECT DISTINCT c.entity, c.row_id FROM conflict c
                   JOIN device d ON d.id = c.device_id
                   WHERE d.office_id = o.id AND c.resolved_at IS NULL) AS open),
                (SELECT count(*) FROM rejected x JOIN device d ON d.id = x.device_id
                   WHERE d.office_id = o.id)
             FROM office o ORDER BY o.hq DESC, o.code",
            d.greatest(
                "coalesce(d.last_push_at, '')",
                "coalesce(d.last_pull_at, '')"
            )
        ),
        &[],
        |mut r| {
            let last: Option<String> = r.get(5)?;
            Ok(OfficeSummary {
                code: r.get(0)?,
                name: r.get(1)?,
                hq: r.get(2)?,
                devices: r.get(3)?,
                rows: r.get(4)?,
                last_sync_at: last.filter(|t| !t.is_empty()),
                pending_conflicts: r.get(6)?,
                rejected: r.get(7)?,
            })
        },
    )?;
    let conflicts = tx.map(
        &format!(
            "SELECT o.code, d.name, c.entity, c.row_id, min(c.at), min(c.mutation_id), d.id,
                    nullif({}, '')
             FROM conflict c JOIN device d ON d.id = c.device_id JOIN office o ON o.id = d.office_id
             WHERE c.resolved_at IS NULL
             GROUP BY c.entity, c.row_id, d.id, o.code, d.name, d.last_pull_at, d.last_push_at
             ORDER BY min(c.at)",
            d.greatest(
                "coalesce(d.last_pull_at, '')",
                "coalesce(d.last_push_at, '')"
            )
        ),
        &[],
        |mut r| {
            Ok(ConflictRow {
                office_code: r.get(0)?,
                device_name: r.get(1)?,
                entity: r.get(2)?,
                row_id: r.get(3)?,
                at: r.get(4)?,
                mutation_id: r.get(5)?,
                device_id: r.get(6)?,
                device_last_sync_at: r.get(7)?,
            })
        },
    )?;
    let rejected = tx.map(
        "SELECT o.code, d.name, x.entity, x.row_id, x.reason, x.at, x.payload
         FROM rejected x JOIN device d ON d.id = x.device_id JOIN office o ON o.id = d.office_id
         ORDER BY x.at DESC LIMIT ?1",
        args![SHOWN_REJECTIONS],
        |mut r| {
            Ok(RejectedRow {
                office_code: r.get(0)?,
                device_name: r.get(1)?,
                entity: r.get(2)?,
                row_id: r.get(3)?,
                reason: r.get(4)?,
                at: r.get(5)?,
                summary: summary(r.get(6)?),
            })
        },
    )?;
    Ok(HubOverview {
        status,
        offices,
        conflicts,
        rejected,
    })
}
