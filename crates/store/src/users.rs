//! Local user accounts: argon2id password hashes, lockout with increasing delay after repeated
//! failures, and the [`Actor`] every permission check starts from. Accounts are not synced.

use argon2::password_hash::{
    rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString,
};
use argon2::Argon2;
use chrono::{DateTime, Duration, Utc};
use pelita_core::auth::{authorize, check_new_password, Action, Actor, Role};
use pelita_core::ValidationError;
use rusqlite::{Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use specta::Type;

use crate::audit::{self, AuditAction, AuditEvent};
use crate::outbox::now;
use crate::{Result, Store, StoreError};

/// Failures allowed before the account locks; each further failure doubles the lock.
pub const FREE_ATTEMPTS: u32 = 4;
/// An argon2id hash of a random password nobody knows, checked for unknown usernames.
fn dummy_hash() -> &'static str {
    static HASH: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    HASH.get_or_init(|| hash_password(&uuid::Uuid::new_v4().to_string()).unwrap_or_default())
}
const FIRST_LOCK_SECONDS: i64 = 30;
const MAX_LOCK_SECONDS: i64 = 3600;

#[derive(Debug, Clone, Serialize, Deserialize, Type)]
pub struct NewUser {
    pub username: String,
    pub full_name: String,
    pub roles: Vec<Role>,
    /// Defaults to the laptop's office.
    pub office_code: Option<String>,
    /// Links the account to an employee record (their own data, and Penilai if they have reports).
    pub employee_nip: Option<String>,
    pub password: String,
}

#[derive(Debug, Clone, Serialize, Type)]
pub struct UserRow {
    pub username: String,
    pub full_name: String,
    pub roles: Vec<Role>,
    pub office_id: String,
    pub employee_id: Option<String>,
    pub active: bool,
    pub locked_until: Option<String>,
}

fn hash_password(password: &str) -> Result<String> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| StoreError::Crypto(e.to_string()))
}

fn password_matches(password: &str, stored: &str) -> bool {
    PasswordHash::new(stored)
        .map(|h| {
            Argon2::default()
                .verify_password(password.as_bytes(), &h)
                .is_ok()
        })
        .unwrap_or(false)
}

fn parse_roles(text: &str) -> Vec<Role> {
    text.split(',').filter_map(Role::parse).collect()
}

fn lock_seconds(failures: u32) -> Option<i64> {
    (failures > FREE_ATTEMPTS).then(|| {
        let doublings = (failures - FREE_ATTEMPTS - 1).min(16);
        (FIRST_LOCK_SECONDS << doublings).min(MAX_LOCK_SECONDS)
    })
}

struct Account {
    id: String,
    username: String,
    full_name: String,
    roles: String,
    office_id: String,
    employee_id: Option<String>,
    password_hash: String,
    active: bool,
    failed_attempts: u32,
    locked_until: Option<String>,
}

fn account(conn: &Connection, username: &str) -> Result<Option<Account>> {
    Ok(conn
        .query_row(
            "SELECT id, username, full_name, roles, office_id, employee_id, password_hash, active,
                    failed_attempts, locked_until
             FROM user_account WHERE username = ?1",
            [username.trim()],
            |r| {
                Ok(Account {
                    id: r.get(0)?,
                    username: r.get(1)?,
                    full_name: r.get(2)?,
                    roles: r.get(3)?,
                    office_id: r.get(4)?,
                    employee_id: r.get(5)?,
                    password_hash: r.get(6)?,
                    active: r.get(7)?,
                    failed_attempts: r.get(8)?,
                    locked_until: r.get(9)?,
                })
            },
        )
        .optional()?)
}

/// The actor for an account: granted roles plus Penilai when their employee has active reports.
fn actor_of(conn: &Connection, a: &Account) -> Result<Actor> {
    let mut roles = parse_roles(&a.roles);
    if let Some(employee) = &a.employee_id {
        let reports: u32 = conn.query_row(
            "SELECT count(*) FROM employee WHERE atasan_id = ?1 AND active = 1 AND deleted = 0",
            [employee],
            |r| r.get(0),
        )?;
        if reports > 0 && !roles.contains(&Role::Penilai) {
            roles.push(Role::Penilai);
        }
    }
    roles.sort();
    Ok(Actor {
        user_id: a.id.clone(),
        username: a.username.clone(),
        full_name: a.full_name.clone(),
        roles,
        office_id: a.office_id.clone(),
        employee_id: a.employee_id.clone(),
    })
}

impl Store {
    pub fn has_users(&self) -> Result<bool> {
        Ok(self
            .conn
            .query_row("SELECT count(*) > 0 FROM user_account", [], |r| r.get(0))?)
    }

    /// Creates the first account, an Admin Kecamatan. Refused once any account exists: there are
    /// no default passwords, and nobody else can make themselves admin.
    pub fn create_first_admin(
        &mut self,
        username: &str,
        full_name: &str,
        password: &str,
    ) -> Result<Actor> {
        let office = self.home_office()?;
        let user = NewUser {
            username: username.into(),
            full_name: full_name.into(),
            roles: vec![Role::AdminKecamatan],
            office_code: Some(office.code),
            employee_nip: None,
            password: password.into(),
        };
        // IMMEDIATE: the check and the insert hold the write lock together, so two programs (the app
        // and the CLI) cannot both create a "first" admin.
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let exists: bool =
            tx.query_row("SELECT count(*) > 0 FROM user_account", [], |r| r.get(0))?;
        if exists {
            return Err(StoreError::FirstAdminExists);
        }
        let id = insert_user(&tx, &user, username)?;
        tx.commit()?;
        let a = account(&self.conn, username)?
            .ok_or_else(|| StoreError::NotFound(format!("pengguna '{username}'")))?;
        debug_assert_eq!(a.id, id);
        actor_of(&self.conn, &a)
    }

    /// Signs in. Wrong username and wrong password give the same message; repeated failures lock
    /// the account with a doubling delay. Every attempt is written to the audit log.
    pub fn login(&mut self, username: &str, password: &str) -> Result<Actor> {
        self.login_at(username, password, Utc::now())
    }

    pub fn login_at(
        &mut self,
        username: &str,
        password: &str,
        now_at: DateTime<Utc>,
    ) -> Result<Actor> {
        let tx = self.conn.transaction()?;
        let office = crate::db::meta_get(&tx, crate::db::META_OFFICE_ID)?.unwrap_or_default();
        let found = account(&tx, username)?;
        let outcome = match &found {
            None => {
                // Spend the same time as a real check, so timing does not tell which names exist.
                password_matches(password, dummy_hash());
                Err(StoreError::LoginFailed)
            }
            Some(a) if !a.active => Err(StoreError::LoginFailed),
            Some(a) => {
                let locked = a
                    .locked_until
                    .as_deref()
                    .and_then(|t| DateTime::parse_from_rfc3339(t).ok())
                    .map(|t| t.with_timezone(&Utc))
                    .filter(|t| *t > now_at);
                if let Some(until) = locked {
                    Err(StoreError::AccountLocked {
                        minutes: ((until - now_at).num_seconds() + 59) / 60,
                    })
                } else if password_matches(password, &a.password_hash) {
                    tx.execute(
                        "UPDATE user_account SET failed_attempts = 0, locked_until = NULL WHERE id = ?1",
                        [&a.id],
                    )?;
                    actor_of(&tx, a)
                } else {
                    let failures = a.failed_attempts + 1;
                    let until = lock_seconds(failures)
                        .map(|s| (now_at + Duration::seconds(s)).to_rfc3339());
                    tx.execute(
                        "UPDATE user_account SET failed_attempts = ?2, locked_until = ?3 WHERE id = ?1",
                        rusqlite::params![a.id, failures, until],
                    )?;
                    Err(StoreError::LoginFailed)
                }
            }
        };
        let (action, detail) = match &outcome {
            Ok(_) => (AuditAction::Login, String::new()),
            Err(e) => (AuditAction::FailedLogin, e.code().to_string()),
        };
        audit::append(
            &tx,
            &AuditEvent {
                actor: username.trim(),
                office_id: found
                    .as_ref()
                    .map(|a| a.office_id.as_str())
                    .unwrap_or(&office),
                action,
                entity: "user",
                record_id: found.as_ref().map(|a| a.id.as_str()).unwrap_or(""),
                detail: &detail,
            },
        )?;
        tx.commit()?;
        outcome
    }

    /// Refuses (and records the refusal in the audit log) unless `actor` may do `action`.
    pub fn authorize(
        &mut self,
        actor: &Actor,
        action: Action,
        office_id: Option<&str>,
    ) -> Result<()> {
        match authorize(actor, action, office_id) {
            Ok(()) => Ok(()),
            Err(denied) => {
                audit::append(
                    &self.conn,
                    &AuditEvent {
                        actor: &actor.username,
                        office_id: &actor.office_id,
                        action: AuditAction::PermissionDenied,
                        entity: "permission",
                        record_id: office_id.unwrap_or(""),
                        detail: &format!("{action:?}"),
                    },
                )?;
                Err(StoreError::PermissionDenied(denied))
            }
        }
    }

    pub fn add_user(&mut self, actor: &Actor, user: &NewUser) -> Result<UserRow> {
        self.authorize(actor, Action::ManageUsers, None)?;
        let tx = self.conn.transaction()?;
        insert_user(&tx, user, &actor.username)?;
        tx.commit()?;
        self.user_row(&user.username)
    }

    pub fn list_users(&mut self, actor: &Actor) -> Result<Vec<UserRow>> {
        self.authorize(actor, Action::ManageUsers, None)?;
        let names: Vec<String> = self
            .conn
            .prepare("SELECT username FROM user_account ORDER BY username")?
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        names.iter().map(|n| self.user_row(n)).collect()
    }

    /// Changes the actor's own password after checking the current one.
    /// The current password is checked exactly like a login, so wrong guesses count towards the
    /// lockout and a disabled account cannot change anything.
    pub fn change_password(&mut self, actor: &Actor, current: &str, new: &str) -> Result<()> {
        self.login(&actor.username, current)?;
        self.set_password(&actor.username, new, &actor.username)
    }

    /// An administrator sets a new password for someone (and lifts any lock).
    pub fn reset_password(&mut self, actor: &Actor, username: &str, new: &str) -> Result<()> {
        self.authorize(actor, Action::ManageUsers, None)?;
        self.set_password(username, new, &actor.username)
    }

    pub fn disable_user(&mut self, actor: &Actor, username: &str) -> Result<()> {
        self.authorize(actor, Action::ManageUsers, None)?;
        if username.trim().eq_ignore_ascii_case(&actor.username) {
            return Err(ValidationError::single(
                "username",
                "Anda tidak dapat menonaktifkan akun Anda sendiri",
            )
            .into());
        }
        let a = account(&self.conn, username)?
            .ok_or_else(|| StoreError::NotFound(format!("pengguna '{}'", username.trim())))?;
        let tx = self.conn.transaction()?;
        tx.execute(
            "UPDATE user_account SET active = 0, updated_at = ?2 WHERE id = ?1",
            rusqlite::params![a.id, now()],
        )?;
        audit::append(
            &tx,
            &AuditEvent {
                actor: &actor.username,
                office_id: &a.office_id,
                action: AuditAction::Update,
                entity: "user",
                record_id: &a.id,
                detail: "nonaktif",
            },
        )?;
        tx.commit()?;
        Ok(())
    }

    fn set_password(&mut self, username: &str, new: &str, by: &str) -> Result<()> {
        let a = account(&self.conn, username)?
            .ok_or_else(|| StoreError::NotFound(format!("pengguna '{}'", username.trim())))?;
        check_new_password(new, &a.username).map_err(|m| ValidationError::single("password", m))?;
        let hash = hash_password(new)?;
        let tx = self.conn.transaction()?;
        tx.execute(
            "UPDATE user_account SET password_hash = ?2, failed_attempts = 0, locked_until = NULL, updated_at = ?3
             WHERE id = ?1",
            rusqlite::params![a.id, hash, now()],
        )?;
        audit::append(
            &tx,
            &AuditEvent {
                actor: by,
                office_id: &a.office_id,
                action: AuditAction::Update,
                entity: "user",
                record_id: &a.id,
                detail: "kata sandi",
            },
        )?;
        tx.commit()?;
        Ok(())
    }

    fn user_row(&self, username: &str) -> Result<UserRow> {
        let a = account(&self.conn, username)?
            .ok_or_else(|| StoreError::NotFound(format!("pengguna '{}'", username.trim())))?;
        let actor = actor_of(&self.conn, &a)?;
        Ok(UserRow {
            username: a.username,
            full_name: a.full_name,
            roles: actor.roles,
            office_id: a.office_id,
            employee_id: a.employee_id,
            active: a.active,
            locked_until: a.locked_until,
        })
    }
}

fn insert_user(conn: &Connection, user: &NewUser, by: &str) -> Result<String> {
    let username = user.username.trim();
    let mut errors = Vec::new();
    if username.len() < 3
        || !username
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "._-".contains(c))
    {
        errors.push(pelita_core::FieldError::new(
            "username",
            "nama pengguna minimal 3 karakter: huruf, angka, titik, garis bawah atau tanda hubung",
        ));
    } else if account(conn, username)?.is_some() {
        errors.push(pelita_core::FieldError::new(
            "username",
            format!("nama pengguna '{username}' sudah dipakai"),
        ));
    }
    if user.full_name.trim().is_empty() {
        errors.push(pelita_core::FieldError::new(
            "full_name",
            "nama lengkap wajib diisi",
        ));
    }
    if user.roles.is_empty() || user.roles.iter().any(|r| !Role::GRANTABLE.contains(r)) {
        errors.push(pelita_core::FieldError::new(
            "roles",
            "pilih peran Operator, Admin Kecamatan atau Pegawai (Penilai mengikuti atasan langsung)",
        ));
    }
    if let Err(m) = check_new_password(&user.password, username) {
        errors.push(pelita_core::FieldError::new("password", m));
    }
    let office_id = match &user.office_code {
        Some(code) => Some(crate::offices::by_code(conn, code)?.id),
        None => crate::db::meta_get(conn, crate::db::META_OFFICE_ID)?,
    }
    .ok_or(StoreError::NotSetUp)?;
    let employee_id: Option<String> = match user
        .employee_nip
        .as_deref()
        .map(pelita_core::nip::normalize)
    {
        Some(nip) if !nip.is_empty() => {
            let id = conn
                .query_row(
                    "SELECT id FROM employee WHERE nip = ?1 AND deleted = 0",
                    [&nip],
                    |r| r.get(0),
                )
                .optional()?;
            if id.is_none() {
                errors.push(pelita_core::FieldError::new(
                    "employee_nip",
                    format!("tidak ada pegawai dengan NIP {nip}"),
                ));
            }
            id
        }
        _ => None,
    };
    if !errors.is_empty() {
        return Err(ValidationError { errors }.into());
    }
    let id = uuid::Uuid::now_v7().to_string();
    let roles = user
        .roles
        .iter()
        .map(|r| r.label())
        .collect::<Vec<_>>()
        .join(",");
    let stamp = now();
    conn.execute(
        "INSERT INTO user_account (id, username, full_name, roles, office_id, employee_id, password_hash,
             created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8)",
        rusqlite::params![id, username, user.full_name.trim(), roles, office_id, employee_id, hash_password(&user.password)?, stamp],
    )?;
    audit::append(
        conn,
        &AuditEvent {
            actor: by,
            office_id: &office_id,
            action: AuditAction::Create,
            entity: "user",
            record_id: &id,
            detail: &roles,
        },
    )?;
    Ok(id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lock_grows_and_is_capped() {
        assert_eq!(lock_seconds(FREE_ATTEMPTS), None);
        assert_eq!(lock_seconds(FREE_ATTEMPTS + 1), Some(30));
        assert_eq!(lock_seconds(FREE_ATTEMPTS + 2), Some(60));
        assert_eq!(lock_seconds(FREE_ATTEMPTS + 3), Some(120));
        assert_eq!(lock_seconds(FREE_ATTEMPTS + 40), Some(MAX_LOCK_SECONDS));
    }
}
