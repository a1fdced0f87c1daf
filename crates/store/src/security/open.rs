//! Creating, unlocking and describing the encrypted database.
//!
//! A laptop's database does not exist until its first administrator does: the database key is
//! wrapped with their password at the moment the file is made. Before anyone signs in, only the
//! key file can be read ([`Store::status`]); [`Store::unlock`] is the sign-in that opens the file.

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use pelita_core::auth::Actor;
use pelita_core::office::Office;
use serde::{Deserialize, Serialize};
use specta::Type;

use crate::kernel::db::DbKey;
use crate::security::keyring::{self, KeyFile, Keyring};
use crate::security::users::NewUser;
use crate::{kernel::db, Result, Store, StoreError};

/// The seed of the demo history (`init --demo`, "muat data contoh"): the same data everywhere.
const DEMO_SEED: u64 = 2026;

/// First-run setup: the office this laptop serves, the demo register or not, and the first
/// administrator, whose password is the first to unlock the database.
#[derive(Debug, Clone, Serialize, Deserialize, Type)]
pub struct Setup {
    pub office_code: String,
    pub load_demo: bool,
    pub username: String,
    pub full_name: String,
    pub password: String,
}

/// A laptop set up from the hub: the enrolment made with a one-time code (for `database_id`, drawn
/// by the laptop before it asked) decides the office; the database starts enrolled.
#[derive(Debug, Clone)]
pub struct HubEnrolment {
    pub hub_url: String,
    pub database_id: String,
    pub response: pelita_proto::EnrollResponse,
}

/// What can be known without a password: whether the laptop is set up, and for which office.
#[derive(Debug, Clone, Serialize, Type)]
pub struct StoreStatus {
    pub db_path: String,
    pub set_up: bool,
    pub office: Option<Office>,
    /// The database file exists but its key file does not: only a restore can help.
    pub key_file_missing: bool,
}

/// `path` with `suffix` appended to its file name.
pub(crate) fn sibling(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

/// `path` with `suffix`, cleared of any leftovers (and their WAL files) from an interrupted run.
pub(crate) fn scratch_file(path: &Path, suffix: &str) -> Result<PathBuf> {
    let scratch = sibling(path, suffix);
    for stale in [
        scratch.clone(),
        sibling(&scratch, "-wal"),
        sibling(&scratch, "-shm"),
    ] {
        if stale.exists() {
            std::fs::remove_file(&stale).map_err(|e| StoreError::io(&stale, e))?;
        }
    }
    Ok(scratch)
}

/// Keeps a copy of `path` (and of its write-ahead log, as `<copy>-wal`) under a new name that no
/// earlier copy has, without touching the original: a hard link where the file system allows,
/// a synced copy otherwise. Returns the copy's path, or `None` when there is no file.
pub(crate) fn keep_copy(path: &Path, why: &str) -> Result<Option<PathBuf>> {
    if !path.exists() {
        return Ok(None);
    }
    let stamp = Utc::now().format("%Y%m%d-%H%M%S");
    let mut copy = sibling(path, &format!(".{why}-{stamp}"));
    let mut n = 1;
    while copy.exists() || sibling(&copy, "-wal").exists() {
        n += 1;
        copy = sibling(path, &format!(".{why}-{stamp}-{n}"));
    }
    for (from, to) in [
        (path.to_path_buf(), copy.clone()),
        (sibling(path, "-wal"), sibling(&copy, "-wal")),
    ] {
        if !from.exists() {
            continue;
        }
        if std::fs::hard_link(&from, &to).is_err() {
            std::fs::copy(&from, &to).map_err(|e| StoreError::io(&to, e))?;
            if let Ok(f) = std::fs::File::open(&to) {
                let _ = f.sync_all();
            }
        }
    }
    keyring::sync_parent(path);
    Ok(Some(copy))
}

/// Puts the finished database `staged` at `path` in one atomic rename, after the old file (if
/// any) was kept with [`keep_copy`]. Refused while the old file has a log or index beside it
/// (another program has it open): a log must never meet another database. The caller holds the
/// key file's lock and has closed its own connection.
pub(crate) fn put_in_place(staged: &Path, path: &Path) -> Result<()> {
    if sibling(path, "-wal").exists() || sibling(path, "-shm").exists() {
        return Err(StoreError::InUse(path.display().to_string()));
    }
    std::fs::rename(staged, path).map_err(|e| StoreError::io(path, e))?;
    keyring::sync_parent(path);
    Ok(())
}

/// Refuses to set up (or restore onto) a laptop that has a database: with its key file it is set
/// up; without, it is a database nobody can open, which must not be silently replaced.
pub(crate) fn refuse_existing(path: &Path, keys: &KeyFile) -> Result<()> {
    if keys.exists() {
        return Err(StoreError::AlreadySetUp);
    }
    if path.exists() {
        return Err(StoreError::KeyFileMissing(path.display().to_string()));
    }
    Ok(())
}

impl Store {
    /// Opens the existing file at `path` with `key`.
    pub(crate) fn open_with_key(path: &Path, key: DbKey) -> Result<Store> {
        if !path.exists() {
            return Err(StoreError::Io {
                path: path.display().to_string(),
                reason: "berkas basis data tidak ada; pulihkan dari cadangan".into(),
            });
        }
        Store::connect(path, key)
    }

    /// Opens (or creates) the file at `path` with `key` and brings its schema up to date.
    fn connect(path: &Path, key: DbKey) -> Result<Store> {
        let conn = db::open_connection(path, &key)?;
        Ok(Store {
            conn,
            path: path.to_path_buf(),
            key,
            keys: KeyFile::beside(path),
        })
    }

    /// What the sign-in screen may show before anyone has signed in.
    pub fn status(path: impl AsRef<Path>) -> Result<StoreStatus> {
        let path = path.as_ref();
        let keys = KeyFile::beside(path);
        let office = match keys.load() {
            Ok(ring) => Some(
                pelita_core::office::seed_offices()
                    .into_iter()
                    .find(|o| o.code == ring.office_code)
                    .ok_or_else(|| StoreError::KeyFile {
                        path: Some(keys.path().display().to_string()),
                        problem: crate::error::KeyFileProblem::UnknownOffice(
                            ring.office_code.clone(),
                        ),
                    })?,
            ),
            Err(StoreError::NotSetUp) => None,
            Err(e) => return Err(e),
        };
        Ok(StoreStatus {
            db_path: path.display().to_string(),
            set_up: office.is_some(),
            key_file_missing: office.is_none() && path.exists(),
            office,
        })
    }

    /// First-run setup. Builds the whole database under a temporary name and only then puts it
    /// and its key file in place, so a failure (a bad password, a power cut) leaves no
    /// half-made laptop behind.
    pub fn create(path: impl AsRef<Path>, setup: &Setup) -> Result<(Store, Actor)> {
        let office = pelita_core::office::seed_offices()
            .into_iter()
            .find(|o| o.code == setup.office_code.trim())
            .ok_or_else(|| {
                StoreError::NotFound(format!("kantor dengan kode '{}'", setup.office_code.trim()))
            })?;
        Store::create_for(path.as_ref(), &office, setup, None)
    }

    /// First run from the hub ("Sambungkan ke hub kecamatan"): the office and the enrolment come
    /// from the hub, the first admin from `setup` (its office code is not used). The first sync
    /// then brings the office's register and the district's trainings.
    pub fn create_enrolled(
        path: impl AsRef<Path>,
        setup: &Setup,
        hub: &HubEnrolment,
    ) -> Result<(Store, Actor)> {
        let office = crate::kernel::offices::from_hub(&pelita_proto::OfficeInfo {
            id: hub.response.office_id.clone(),
            code: hub.response.office_code.clone(),
            name: hub.response.office_name.clone(),
            hq: hub.response.office_code == pelita_core::office::HQ_CODE,
        });
        if office.id != pelita_core::office::office_id(&office.code) || office.name.is_empty() {
            return Err(StoreError::UnknownHubOffice(office.code));
        }
        let setup = Setup {
            load_demo: false,
            ..setup.clone()
        };
        Store::create_for(path.as_ref(), &office, &setup, Some(hub))
    }

    /// Checks what a first run can check before anything is made or a code is used: the path is
    /// free and the first admin's name, full name and password are acceptable.
    pub fn check_setup(path: impl AsRef<Path>, setup: &Setup) -> Result<()> {
        let path = path.as_ref();
        refuse_existing(path, &KeyFile::beside(path))?;
        let mut errors = crate::security::users::account_fields(&setup.username, &setup.full_name);
        if let Err(m) = pelita_core::auth::check_new_password(&setup.password, &setup.username) {
            errors.push(pelita_core::FieldError::new("password", m));
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(pelita_core::ValidationError { errors }.into())
        }
    }

    fn create_for(
        path: &Path,
        office: &Office,
        setup: &Setup,
        hub: Option<&HubEnrolment>,
    ) -> Result<(Store, Actor)> {
        let keys = KeyFile::beside(path);
        Store::check_setup(path, setup)?;
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| StoreError::io(dir, e))?;
        }

        let building = scratch_file(path, ".setup")?;
        let key = crate::kernel::db::new_db_key();
        let ring = {
            let mut store = Store::connect(&building, key.clone())?;
            let built = store.build(office, setup, hub);
            let database_id = db::meta_get(&store.conn, db::META_DATABASE_ID)?;
            let Store { conn, .. } = store;
            conn.close().map_err(|(_, e)| StoreError::from(e))?;
            if let Err(e) = built {
                let _ = std::fs::remove_file(&building);
                return Err(e);
            }
            let mut ring = Keyring::new(&database_id.unwrap_or_default(), &office.code);
            ring.set_slot(&setup.username, &setup.password, &key)?;
            ring
        };
        {
            let held = keys.lock()?;
            if let Err(e) = refuse_existing(path, &keys) {
                let _ = std::fs::remove_file(&building);
                return Err(e);
            }
            put_in_place(&building, path)?;
            keys.write(&held, &ring)?;
        }
        let mut store = Store::open_with_key(path, key)?;
        let actor = store.finish_login(&setup.username)?;
        Ok((store, actor))
    }

    /// Loads the demo register (the whole district's staff) and marks the database a demo: it then
    /// holds every office's rows and never enrols at a hub. For trying Pelita out, and for tests
    /// that need the district's register without its history.
    pub fn load_demo_register(&mut self, actor: &Actor) -> Result<()> {
        self.authorize(actor, pelita_core::auth::Action::ManageUsers, None)?;
        self.import_demo_register()
    }

    fn import_demo_register(&mut self) -> Result<()> {
        db::meta_set(&self.conn, db::META_DEMO, "1")?;
        let mut table = vec![pelita_core::employee::sheet::header_cells()];
        table.extend(
            pelita_core::demo::demo_employees()
                .iter()
                .map(|e| e.to_cells()),
        );
        let report =
            self.import_table(&table, crate::Mode::Commit, "sistem (data contoh)", None)?;
        match report.errors.first() {
            Some(e) => Err(StoreError::NotFound(format!(
                "data contoh yang benar (baris {}: {})",
                e.row, e.message
            ))),
            None => Ok(()),
        }
    }

    /// Whether this is a demo database (see [`Store::load_demo_register`]).
    pub fn is_demo(&self) -> Result<bool> {
        Ok(db::meta_get(&self.conn, db::META_DEMO)?.is_some())
    }

    /// Binds the new database to its office, loads the demo register if asked, adds the admin.
    fn build(&mut self, office: &Office, setup: &Setup, hub: Option<&HubEnrolment>) -> Result<()> {
        if setup.load_demo {
            self.import_demo_register()?;
            self.generate_demo_history(DEMO_SEED)?;
            self.generate_demo_plans()?;
            self.generate_demo_survey(DEMO_SEED)?;
        }
        let tx = self.conn.transaction()?;
        crate::kernel::offices::insert_seed(&tx, office)?;
        db::meta_set(&tx, db::META_OFFICE_ID, &office.id)?;
        if let Some(hub) = hub {
            // The token is bound to the id the laptop enrolled with.
            db::meta_set(&tx, db::META_DATABASE_ID, &hub.database_id)?;
            crate::kernel::outbox::record_enrolment(&tx, &hub.hub_url, &hub.response)?;
        }
        crate::security::users::insert_user(
            &tx,
            &NewUser {
                username: setup.username.clone(),
                full_name: setup.full_name.clone(),
                roles: vec![pelita_core::auth::admin_role_on(
                    &crate::kernel::scope::roles_office(&tx)?,
                )],
                office_code: Some(office.code.clone()),
                employee_nip: None,
                password: setup.password.clone(),
            },
            setup.username.trim(),
        )?;
        if let Some(hub) = hub {
            crate::kernel::audit::append(
                &tx,
                &crate::kernel::audit::AuditEvent {
                    actor: setup.username.trim(),
                    office_id: &office.id,
                    action: crate::kernel::audit::AuditAction::Update,
                    entity: "sync",
                    record_id: &hub.response.device_id,
                    detail: &format!("laptop dipasang dari hub {}", hub.hub_url),
                },
            )?;
        }
        tx.commit()?;
        Ok(())
    }

    /// Signs in and opens the database: the password must unwrap the user's key slot. Failures
    /// count towards the account's lockout and reach the audit log at the next sign-in.
    pub fn unlock(
        path: impl AsRef<Path>,
        username: &str,
        password: &str,
    ) -> Result<(Store, Actor)> {
        Store::unlock_at(path, username, password, Utc::now())
    }

    pub fn unlock_at(
        path: impl AsRef<Path>,
        username: &str,
        password: &str,
        now: DateTime<Utc>,
    ) -> Result<(Store, Actor)> {
        let path = path.as_ref();
        let keys = KeyFile::beside(path);
        let key = keys.record(|ring| ring.attempt(username, password, now))?;
        let mut store = Store::open_with_key(path, key)?;
        let actor = store.finish_login(username)?;
        Ok((store, actor))
    }
}
