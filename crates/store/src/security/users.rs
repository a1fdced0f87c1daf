//! Local user accounts and the [`Actor`] every permission check starts from. A password is
//! checked by unwrapping the user's slot in the key file (see `keyring`), which also keeps the
//! lockout; the account row holds who the user is. Accounts are not synced.

use chrono::{DateTime, Utc};
use pelita_core::auth::{authorize, check_new_password, Action, Actor, Role};
use pelita_core::ValidationError;
use rusqlite::{Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use specta::Type;

use crate::kernel::audit::{self, AuditAction, AuditEvent};
use crate::kernel::clock::now;
use crate::{Result, Store, StoreError};

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

fn parse_roles(text: &str) -> Vec<Role> {
    text.split(',').filter_map(Role::parse).collect()
}

struct Account {
    id: String,
    username: String,
    full_name: String,
    roles: String,
    office_id: String,
    employee_id: Option<String>,
    active: bool,
}

fn account(conn: &Connection, username: &str) -> Result<Option<Account>> {
    Ok(conn
        .query_row(
            "SELECT id, username, full_name, roles, office_id, employee_id, active
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
                    active: r.get(6)?,
                })
            },
        )
        .optional()?)
}

/// The actor for an account: granted roles as this laptop allows them (Admin Kecamatan only on the
/// Kantor Camat's laptops, Admin Kantor elsewhere), plus Penilai when their employee has reports
/// and Pimpinan when their employee heads the account's office.
fn actor_of(conn: &Connection, a: &Account) -> Result<Actor> {
    let laptop = crate::kernel::scope::roles_office(conn)?;
    let mut roles: Vec<Role> = parse_roles(&a.roles)
        .into_iter()
        .map(|r| match r {
            Role::AdminKecamatan | Role::AdminKantor => pelita_core::auth::admin_role_on(&laptop),
            r => r,
        })
        .collect();
    if let Some(employee) = &a.employee_id {
        // The head of the account's own office: a Lurah's account kept on a Kantor Camat laptop
        // (an account of the Kantor Camat) leads nothing there — above all not the district.
        let heads_here = crate::register::employees::get(conn, employee)
            .is_ok_and(|e| e.office_id == a.office_id);
        if heads_here
            && crate::register::employees::heads_an_office(conn, employee)?
            && !roles.contains(&Role::Pimpinan)
        {
            roles.push(Role::Pimpinan);
        }
        // Reports now, or ever: an atasan whose staff moved away still appraises the periods
        // in which they were the atasan.
        let reports: u32 = conn.query_row(
            "SELECT (SELECT count(*) FROM employee WHERE atasan_id = ?1 AND active = 1 AND deleted = 0)
                  + (SELECT count(*) FROM atasan_history WHERE atasan_id = ?1)",
            [employee],
            |r| r.get(0),
        )?;
        if reports > 0 && !roles.contains(&Role::Penilai) {
            roles.push(Role::Penilai);
        }
    }
    roles.sort();
    roles.dedup();
    Ok(Actor {
        user_id: a.id.clone(),
        username: a.username.clone(),
        full_name: a.full_name.clone(),
        roles,
        office_id: a.office_id.clone(),
        employee_id: a.employee_id.clone(),
    })
}

/// What is wrong with a new account's name and full name, before any database is asked.
pub(crate) fn account_fields(username: &str, full_name: &str) -> Vec<pelita_core::FieldError> {
    let mut errors = Vec::new();
    if username.trim().len() < 3
        || !username
            .trim()
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "._-".contains(c))
    {
        errors.push(pelita_core::FieldError::new(
            "username",
            "nama pengguna minimal 3 karakter: huruf, angka, titik, garis bawah atau tanda hubung",
        ));
    }
    if full_name.trim().is_empty() {
        errors.push(pelita_core::FieldError::new(
            "full_name",
            "nama lengkap wajib diisi",
        ));
    }
    errors
}

/// Changes `username`'s key slot, then commits the database transaction that goes with it; if the
/// commit fails, the previous slot is put back, so that the key file and the accounts never
/// disagree about who can open the database.
fn slot_then_commit(
    keys: &crate::security::keyring::KeyFile,
    username: &str,
    change: impl FnOnce(&mut crate::security::keyring::Keyring) -> Result<()>,
    commit: impl FnOnce() -> rusqlite::Result<()>,
) -> Result<()> {
    let previous = keys.update(|ring| {
        let previous = ring.slot(username).cloned();
        change(ring)?;
        Ok(previous)
    })?;
    if let Err(e) = commit() {
        let _ = keys.update(|ring| {
            ring.remove_slot(username);
            ring.slots.extend(previous);
            Ok(())
        });
        return Err(e.into());
    }
    Ok(())
}

/// The actor for an active account, if `username` names one.
pub(crate) fn active_actor(conn: &Connection, username: &str) -> Result<Option<Actor>> {
    match account(conn, username)? {
        Some(a) if a.active => Ok(Some(actor_of(conn, &a)?)),
        _ => Ok(None),
    }
}

impl Store {
    /// The signed-in user as the database knows them now: roles follow the register (Penilai
    /// comes and goes with direct reports); a disabled or removed account is refused.
    pub fn refresh_actor(&self, actor: &Actor) -> Result<Actor> {
        match active_actor(&self.conn, &actor.username)? {
            Some(now) if now.user_id == actor.user_id => Ok(now),
            _ => Err(StoreError::AccountDisabled),
        }
    }

    pub fn has_users(&self) -> Result<bool> {
        Ok(self
            .conn
            .query_row("SELECT count(*) > 0 FROM user_account", [], |r| r.get(0))?)
    }

    /// Signs in on the open database (switching user, unlocking the screen, confirming a
    /// password change). Wrong username and wrong password give the same message; repeated
    /// failures lock the account with a doubling delay. Every attempt is written to the audit log.
    pub fn login(&mut self, username: &str, password: &str) -> Result<Actor> {
        self.login_at(username, password, Utc::now())
    }

    pub fn login_at(
        &mut self,
        username: &str,
        password: &str,
        now_at: DateTime<Utc>,
    ) -> Result<Actor> {
        self.check_password(username, password, now_at)?;
        self.finish_login(username)
    }

    /// Checks `username`'s password against their key slot, exactly like a sign-in (a failure
    /// counts towards the lockout and is logged) but without starting a session: a signature.
    pub(crate) fn check_password(
        &mut self,
        username: &str,
        password: &str,
        now_at: DateTime<Utc>,
    ) -> Result<()> {
        let outcome = self
            .keys
            .record(|ring| ring.attempt(username, password, now_at));
        self.flush_failed_logins()?;
        outcome.map(drop)
    }

    /// After the password opened the user's slot: writes the failed attempts queued in the key
    /// file to the audit log, checks the account is still active and records the sign-in.
    pub(crate) fn finish_login(&mut self, username: &str) -> Result<Actor> {
        self.flush_failed_logins()?;
        let tx = self.conn.transaction()?;
        let found = account(&tx, username)?.filter(|a| a.active);
        let office = crate::kernel::db::meta_get(&tx, crate::kernel::db::META_OFFICE_ID)?
            .unwrap_or_default();
        let outcome = match &found {
            Some(a) => actor_of(&tx, a),
            None => Err(StoreError::LoginFailed),
        };
        let (action, detail) = match &outcome {
            Ok(_) => (AuditAction::Login, String::new()),
            Err(e) => (AuditAction::FailedLogin, e.code().to_string()),
        };
        audit::append(
            &tx,
            &AuditEvent {
                actor: username.trim(),
                office_id: found.as_ref().map_or(office.as_str(), |a| &a.office_id),
                action,
                entity: "user",
                record_id: found.as_ref().map_or("", |a| &a.id),
                detail: &detail,
            },
        )?;
        tx.commit()?;
        outcome
    }

    /// Moves the failed sign-ins queued in the key file into the audit log. The last one moved is
    /// recorded in the same transaction, so a crash between the two files never logs one twice.
    fn flush_failed_logins(&mut self) -> Result<()> {
        let pending = self.keys.load()?.pending;
        if pending.is_empty() {
            return Ok(());
        }
        // IMMEDIATE: the app and the CLI may flush at once; the second then sees the first's mark.
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let done: u64 = crate::kernel::db::meta_get(&tx, crate::kernel::db::META_FLUSHED_FAILURES)?
            .and_then(|v| v.parse().ok())
            .unwrap_or(0);
        let home = crate::kernel::db::meta_get(&tx, crate::kernel::db::META_OFFICE_ID)?
            .unwrap_or_default();
        let mut last = done;
        for p in pending.iter().filter(|p| p.seq > done) {
            let found = account(&tx, &p.username)?;
            audit::append_at(
                &tx,
                &p.at,
                &AuditEvent {
                    actor: &p.username,
                    office_id: found.as_ref().map_or(home.as_str(), |a| &a.office_id),
                    action: AuditAction::FailedLogin,
                    entity: "user",
                    record_id: found.as_ref().map_or("", |a| &a.id),
                    detail: &p.detail,
                },
            )?;
            last = last.max(p.seq);
        }
        crate::kernel::db::meta_set(
            &tx,
            crate::kernel::db::META_FLUSHED_FAILURES,
            &last.to_string(),
        )?;
        tx.commit()?;
        self.keys.update(|ring| {
            ring.pending.retain(|p| p.seq > last);
            Ok(())
        })
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
            Err(denied) => Err(self.refuse(
                actor,
                denied,
                office_id.unwrap_or(""),
                &format!("{action:?}"),
            )),
        }
    }

    /// Records a refusal in the audit log and returns it as the error to give back.
    pub(crate) fn refuse(
        &mut self,
        actor: &Actor,
        denied: pelita_core::auth::PermissionDenied,
        record_id: &str,
        detail: &str,
    ) -> StoreError {
        let logged = audit::append(
            &self.conn,
            &AuditEvent {
                actor: &actor.username,
                office_id: &actor.office_id,
                action: AuditAction::PermissionDenied,
                entity: "permission",
                record_id,
                detail,
            },
        );
        match logged {
            Ok(()) => StoreError::PermissionDenied(denied),
            Err(e) => e,
        }
    }

    pub fn add_user(&mut self, actor: &Actor, user: &NewUser) -> Result<UserRow> {
        self.authorize(actor, Action::ManageUsers, None)?;
        let tx = self.conn.transaction()?;
        insert_user(&tx, user, &actor.username)?;
        slot_then_commit(
            &self.keys,
            &user.username,
            |ring| ring.set_slot(&user.username, &user.password, &self.key),
            || tx.commit(),
        )?;
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
        // Without a slot the account can no longer unwrap the database key.
        slot_then_commit(
            &self.keys,
            &a.username,
            |ring| {
                ring.remove_slot(&a.username);
                Ok(())
            },
            || tx.commit(),
        )
    }

    fn set_password(&mut self, username: &str, new: &str, by: &str) -> Result<()> {
        let a = account(&self.conn, username)?
            .ok_or_else(|| StoreError::NotFound(format!("pengguna '{}'", username.trim())))?;
        if !a.active {
            return Err(ValidationError::single(
                "username",
                format!(
                    "akun '{}' nonaktif; kata sandinya tidak dapat diubah",
                    a.username
                ),
            )
            .into());
        }
        check_new_password(new, &a.username).map_err(|m| ValidationError::single("password", m))?;
        let tx = self.conn.transaction()?;
        tx.execute(
            "UPDATE user_account SET updated_at = ?2 WHERE id = ?1",
            rusqlite::params![a.id, now()],
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
        // Only this user's slot is rewrapped (which also lifts any lock on it).
        slot_then_commit(
            &self.keys,
            &a.username,
            |ring| ring.set_slot(&a.username, new, &self.key),
            || tx.commit(),
        )
    }

    fn user_row(&self, username: &str) -> Result<UserRow> {
        let a = account(&self.conn, username)?
            .ok_or_else(|| StoreError::NotFound(format!("pengguna '{}'", username.trim())))?;
        let actor = actor_of(&self.conn, &a)?;
        let locked_until = self.keys.load()?.locked_until(&a.username);
        Ok(UserRow {
            username: a.username,
            full_name: a.full_name,
            roles: actor.roles,
            office_id: a.office_id,
            employee_id: a.employee_id,
            active: a.active,
            locked_until,
        })
    }
}

/// Adds the account row (and its audit entry); the caller writes the key slot.
pub(crate) fn insert_user(conn: &Connection, user: &NewUser, by: &str) -> Result<String> {
    let username = user.username.trim();
    let mut errors = account_fields(username, &user.full_name);
    if errors.is_empty() && account(conn, username)?.is_some() {
        errors.push(pelita_core::FieldError::new(
            "username",
            format!("nama pengguna '{username}' sudah dipakai"),
        ));
    }
    let laptop =
        crate::kernel::db::meta_get(conn, crate::kernel::db::META_OFFICE_ID)?.unwrap_or_default();
    let grantable = pelita_core::auth::grantable_on(&crate::kernel::scope::roles_office(conn)?);
    if user.roles.is_empty() || user.roles.iter().any(|r| !grantable.contains(r)) {
        let names: Vec<&str> = grantable.iter().map(|r| r.label()).collect();
        let mut message = format!(
            "pilih peran {} (Penilai dan Pimpinan mengikuti data pegawai)",
            names.join(", ")
        );
        if user.roles.contains(&Role::AdminKecamatan) && !grantable.contains(&Role::AdminKecamatan)
        {
            message = format!(
                "Admin Kecamatan hanya ada di laptop Kantor Camat; di laptop ini {message}"
            );
        }
        errors.push(pelita_core::FieldError::new("roles", message));
    }
    if let Err(m) = check_new_password(&user.password, username) {
        errors.push(pelita_core::FieldError::new("password", m));
    }
    let office_id = match &user.office_code {
        Some(code) => Some(crate::kernel::offices::by_code(conn, code)?.id),
        None => Some(laptop.clone()).filter(|o| !o.is_empty()),
    }
    .ok_or(StoreError::NotSetUp)?;
    // An account is of this laptop's office (the Kantor Camat's laptops hold everyone's).
    if office_id != laptop
        && pelita_core::auth::admin_role_on(&crate::kernel::scope::roles_office(conn)?)
            != Role::AdminKecamatan
    {
        errors.push(pelita_core::FieldError::new(
            "office_code",
            "akun di laptop ini hanya untuk kantor laptop ini",
        ));
    }
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
        "INSERT INTO user_account (id, username, full_name, roles, office_id, employee_id,
             created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)",
        rusqlite::params![
            id,
            username,
            user.full_name.trim(),
            roles,
            office_id,
            employee_id,
            stamp
        ],
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
