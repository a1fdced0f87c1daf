//! Accounts, login lockout, permissions and the hash-chained audit log, on a real SQLite file.

use chrono::{Duration, Utc};
use pelita_core::auth::{Action, Actor, Role};
use pelita_store::Mode;
use pelita_store::{NewUser, Setup, Store, FREE_ATTEMPTS};

const ADMIN_PW: &str = "Lampu-Marelan-2026";

fn store_with_admin() -> (tempfile::TempDir, Store, Actor) {
    let dir = tempfile::tempdir().unwrap();
    let (store, admin) = crate::common::create(dir.path(), "TERJUN", true, ADMIN_PW);
    (dir, store, admin)
}

fn user(name: &str, roles: Vec<Role>, nip: Option<&str>) -> NewUser {
    NewUser {
        username: name.into(),
        full_name: format!("Pengguna {name}"),
        roles,
        office_code: Some("TERJUN".into()),
        employee_nip: nip.map(str::to_string),
        password: "Kata-Sandi-Kuat-9".into(),
    }
}

/// Adds an Operator account and signs in as it.
fn operator(store: &mut Store, admin: &Actor, name: &str) -> Actor {
    store
        .add_user(admin, &user(name, vec![Role::Operator], None))
        .unwrap();
    store.login(name, "Kata-Sandi-Kuat-9").unwrap()
}

#[test]
fn first_admin_only_once_and_no_default_passwords() {
    let (dir, store, admin) = store_with_admin();
    assert_eq!(admin.roles, vec![Role::AdminKecamatan]);
    let setup = |password: &str| Setup {
        office_code: "TERJUN".into(),
        load_demo: false,
        username: "admin2".into(),
        full_name: "X".into(),
        password: password.into(),
    };
    let err = Store::create(store.path(), &setup(ADMIN_PW)).err().unwrap();
    assert_eq!(err.code().to_string(), "already_set_up");
    drop(store);
    // A refused setup leaves nothing behind: no database, no key file.
    let fresh = dir.path().join("fresh").join("a.sqlite");
    let err = Store::create(&fresh, &setup("pendek")).err().unwrap();
    assert!(err.to_string().contains("minimal 10 karakter"), "{err}");
    assert!(!fresh.exists());
    assert!(!Store::status(&fresh).unwrap().set_up);
    let mut bad_demo = setup(ADMIN_PW);
    bad_demo.username = "x".into();
    let err = Store::create(&fresh, &bad_demo).err().unwrap();
    assert_eq!(err.code().to_string(), "validation");
    assert!(!fresh.exists());
    assert!(!Store::status(&fresh).unwrap().set_up);
}

#[test]
fn wrong_username_and_wrong_password_read_the_same() {
    let (_dir, mut store, _) = store_with_admin();
    let unknown = store.login("nobody", ADMIN_PW).unwrap_err().to_string();
    let wrong = store
        .login("admin", "salah-sekali-123")
        .unwrap_err()
        .to_string();
    assert_eq!(unknown, wrong);
    assert_eq!(unknown, "nama pengguna atau kata sandi salah");
    assert_eq!(store.login("ADMIN", ADMIN_PW).unwrap().username, "admin");
}

#[test]
fn repeated_failures_lock_the_account_with_growing_delay() {
    let (_dir, mut store, _) = store_with_admin();
    let t0 = Utc::now();
    for _ in 0..FREE_ATTEMPTS {
        assert_eq!(
            store
                .login_at("admin", "salah-sekali-123", t0)
                .unwrap_err()
                .code(),
            pelita_store::ErrorCode::LoginFailed
        );
    }
    // The fifth failure locks for 30 s; even the right password is refused meanwhile.
    assert_eq!(
        store
            .login_at("admin", "salah-sekali-123", t0)
            .unwrap_err()
            .code(),
        pelita_store::ErrorCode::LoginFailed
    );
    let locked = store
        .login_at("admin", ADMIN_PW, t0 + Duration::seconds(10))
        .unwrap_err();
    assert_eq!(locked.code().to_string(), "account_locked");
    assert!(
        locked.to_string().contains("coba lagi dalam 1 menit"),
        "{locked}"
    );
    // After the lock, another failure locks for twice as long.
    let t1 = t0 + Duration::seconds(31);
    assert_eq!(
        store
            .login_at("admin", "salah-sekali-123", t1)
            .unwrap_err()
            .code(),
        pelita_store::ErrorCode::LoginFailed
    );
    assert_eq!(
        store
            .login_at("admin", ADMIN_PW, t1 + Duration::seconds(59))
            .unwrap_err()
            .code(),
        pelita_store::ErrorCode::AccountLocked
    );
    // Once it expires the right password works and the counter starts again.
    assert!(store
        .login_at("admin", ADMIN_PW, t1 + Duration::seconds(61))
        .is_ok());
    assert_eq!(
        store
            .login_at("admin", "salah-sekali-123", t1 + Duration::seconds(62))
            .unwrap_err()
            .code(),
        pelita_store::ErrorCode::LoginFailed
    );
}

#[test]
fn password_change_and_admin_reset() {
    let (_dir, mut store, admin) = store_with_admin();
    let op = operator(&mut store, &admin, "operator1");
    assert!(store
        .change_password(&op, "bukan-yang-lama-1", "Sandi-Baru-Sekali-2")
        .is_err());
    store
        .change_password(&op, "Kata-Sandi-Kuat-9", "Sandi-Baru-Sekali-2")
        .unwrap();
    assert!(store.login("operator1", "Kata-Sandi-Kuat-9").is_err());
    assert!(store.login("operator1", "Sandi-Baru-Sekali-2").is_ok());
    store
        .reset_password(&admin, "operator1", "Direset-Admin-33")
        .unwrap();
    assert!(store.login("operator1", "Direset-Admin-33").is_ok());
    store.disable_user(&admin, "operator1").unwrap();
    assert_eq!(
        store
            .login("operator1", "Direset-Admin-33")
            .unwrap_err()
            .code(),
        pelita_store::ErrorCode::LoginFailed
    );
}

#[test]
fn only_admins_manage_users_and_refusals_are_audited() {
    let (_dir, mut store, admin) = store_with_admin();
    let op = operator(&mut store, &admin, "operator1");
    let err = store
        .add_user(&op, &user("operator2", vec![Role::Operator], None))
        .unwrap_err();
    assert_eq!(err.code().to_string(), "permission_denied");
    assert_eq!(err.to_string(), "Anda tidak berhak mengelola akun pengguna");
    let last = store.audit_entries().unwrap().pop().unwrap();
    assert_eq!(
        (last.actor.as_str(), last.action.as_str()),
        ("operator1", "permission_denied")
    );
    assert!(store.list_users(&op).is_err());
    assert_eq!(store.list_users(&admin).unwrap().len(), 2);
    // Penilai is derived from the register, never granted.
    let err = store
        .add_user(&admin, &user("x", vec![Role::Penilai], None))
        .unwrap_err();
    assert!(
        err.to_string()
            .contains("Penilai dan Pimpinan mengikuti data pegawai"),
        "{err}"
    );
}

#[test]
fn penilai_follows_atasan_langsung() {
    let (_dir, mut store, admin) = store_with_admin();
    let everyone = store.list_employees(&admin, &Default::default()).unwrap();
    let lurah = everyone
        .iter()
        .find(|e| e.jabatan == "Lurah" && e.office_code == "TERJUN")
        .unwrap();
    let staff = everyone
        .iter()
        .find(|e| e.jabatan == "Pelaksana" && e.office_code == "TERJUN")
        .unwrap();
    store
        .add_user(
            &admin,
            &user("lurah", vec![Role::Pegawai], Some(&lurah.nip)),
        )
        .unwrap();
    store
        .add_user(&admin, &user("staf", vec![Role::Pegawai], Some(&staff.nip)))
        .unwrap();
    // The Lurah heads the office: the leader's view comes with it, derived like Penilai.
    assert_eq!(
        store.login("lurah", "Kata-Sandi-Kuat-9").unwrap().roles,
        vec![Role::Penilai, Role::Pimpinan, Role::Pegawai]
    );
    assert_eq!(
        store.login("staf", "Kata-Sandi-Kuat-9").unwrap().roles,
        vec![Role::Pegawai]
    );
}

#[test]
fn audit_verify_names_exactly_the_altered_entry() {
    let (_dir, mut store, admin) = store_with_admin();
    for name in ["op1", "op2", "op3"] {
        store
            .add_user(&admin, &user(name, vec![Role::Operator], None))
            .unwrap();
        store.login(name, "Kata-Sandi-Kuat-9").unwrap();
    }
    let intact = store.verify_audit().unwrap();
    assert_eq!(intact.first_broken, None);
    assert!(intact.entries >= 7);

    // The log refuses changes through SQL...
    let conn = store.connection();
    assert!(conn
        .execute("UPDATE audit_log SET actor = 'x' WHERE seq = 4", [])
        .is_err());
    assert!(conn
        .execute("DELETE FROM audit_log WHERE seq = 4", [])
        .is_err());
    // ...so an attacker drops the triggers first; verify still names the entry.
    conn.execute_batch("DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;")
        .unwrap();
    conn.execute(
        "UPDATE audit_log SET detail = 'Operator,Admin Kecamatan' WHERE seq = 4",
        [],
    )
    .unwrap();
    let broken = store.verify_audit().unwrap().first_broken.unwrap();
    assert_eq!(broken.seq, 4);
    assert_eq!(broken.reason, "isi entri telah diubah");
}

#[test]
fn audit_verify_detects_removed_and_reordered_entries() {
    let (_dir, mut store, admin) = store_with_admin();
    for name in ["op1", "op2", "op3"] {
        store
            .add_user(&admin, &user(name, vec![Role::Operator], None))
            .unwrap();
    }
    let conn = store.connection();
    conn.execute_batch("DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;")
        .unwrap();
    conn.execute("DELETE FROM audit_log WHERE seq = 2", [])
        .unwrap();
    assert_eq!(store.verify_audit().unwrap().first_broken.unwrap().seq, 3);

    // Renumber to hide the gap: the chain link still gives it away.
    conn.execute("UPDATE audit_log SET seq = seq - 1 WHERE seq > 2", [])
        .unwrap();
    let broken = store.verify_audit().unwrap().first_broken.unwrap();
    assert_eq!(broken.seq, 2);
    assert!(
        broken.reason.starts_with("tidak tersambung"),
        "{}",
        broken.reason
    );
}

#[test]
fn demo_accounts_cover_every_role_and_log_in() {
    let dir = tempfile::tempdir().unwrap();
    let (mut store, admin) = crate::common::create(dir.path(), "PAYA-PASIR", true, ADMIN_PW);
    let accounts = store.create_demo_accounts(&admin).unwrap();
    let roles: Vec<_> = accounts.iter().map(|a| a.role.as_str()).collect();
    assert_eq!(roles, vec!["Operator", "Penilai", "Pegawai"]);
    for a in &accounts {
        let actor = store.login(&a.username, &a.password).unwrap();
        assert!(
            actor.roles.iter().any(|r| r.label() == a.role),
            "{} is {}",
            a.username,
            a.role
        );
    }
    assert_eq!(
        store.create_demo_accounts(&admin).unwrap_err().code(),
        pelita_store::ErrorCode::Validation,
        "the demo names are taken"
    );
}

/// Every register operation goes through the same permission check, whoever calls it.
#[test]
fn register_operations_obey_roles_and_offices() {
    use pelita_store::EmployeeQuery;

    let (_dir, mut store, admin) = store_with_admin();
    let op = operator(&mut store, &admin, "operator1"); // Operator of Kelurahan Terjun
    let everyone = store
        .list_employees(&admin, &EmployeeQuery::default())
        .unwrap();
    let staff = everyone
        .iter()
        .find(|e| e.jabatan == "Pelaksana" && e.office_code == "TERJUN")
        .unwrap();
    store
        .add_user(&admin, &user("staf", vec![Role::Pegawai], Some(&staff.nip)))
        .unwrap();
    let pegawai = store.login("staf", "Kata-Sandi-Kuat-9").unwrap();

    // The Operator sees their own office only, even when asking for all.
    let seen = store
        .list_employees(&op, &EmployeeQuery::default())
        .unwrap();
    assert!(!seen.is_empty() && seen.iter().all(|e| e.office_code == "TERJUN"));
    let paya = pelita_core::office::office_id("PAYA-PASIR");
    let err = store
        .list_employees(
            &op,
            &EmployeeQuery {
                office_id: Some(paya.clone()),
                ..Default::default()
            },
        )
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "Anda hanya berhak melihat daftar pegawai untuk kantor Anda sendiri"
    );

    let new = crate::common::new_employee;
    assert_eq!(
        store.create_employee(&op, &new(&paya)).unwrap_err().code(),
        pelita_store::ErrorCode::PermissionDenied
    );
    assert_eq!(
        store
            .create_employee(&pegawai, &new(&op.office_id))
            .unwrap_err()
            .code(),
        pelita_store::ErrorCode::PermissionDenied
    );
    let created = store.create_employee(&op, &new(&op.office_id)).unwrap();
    // Nobody moves someone to another office by editing them: a transfer (mutasi) does it.
    let err = store
        .update_employee(&op, &created.id, 1, &new(&paya))
        .unwrap_err();
    assert!(err.to_string().contains("melalui mutasi"), "{err}");

    // A Pegawai sees only their own record.
    assert!(store
        .list_employees(&pegawai, &EmployeeQuery::default())
        .is_err());
    assert_eq!(
        store
            .employee_detail(&pegawai, &staff.id)
            .unwrap()
            .employee
            .nip,
        staff.nip
    );
    assert!(store.employee_detail(&pegawai, &created.id).is_err());

    // Exports are limited to the Operator's office and always logged.
    let table = store.export_employees(&op).unwrap();
    assert!(table[1..].iter().all(|row| row[11] == "TERJUN"));
    let last = store.audit_entries().unwrap().pop().unwrap();
    assert_eq!(
        (last.actor.as_str(), last.action.as_str()),
        ("operator1", "export")
    );
    assert!(store.export_employees(&pegawai).is_err());

    // An Operator's import may not carry rows of other offices.
    let mut file = vec![pelita_core::employee::sheet::header_cells()];
    let mut row = pelita_core::demo::demo_employees()[7].clone(); // a Labuhan Deli employee
    row.atasan_nip = None;
    row.nip = "199001012015031099".into();
    row.birth_date = None;
    row.sex = None;
    file.push(row.to_cells());
    let report = store.import_employees(&op, &file, Mode::Commit).unwrap();
    assert_eq!(report.imported, 0);
    assert_eq!(report.errors[0].column, "Kode Kantor");
    assert!(report.errors[0]
        .message
        .starts_with("Anda hanya berhak mengimpor"));

    // Every change is audited with who did it.
    let creates: Vec<_> = store
        .audit_entries()
        .unwrap()
        .into_iter()
        .filter(|e| e.entity == "employee" && e.action == "create" && e.actor == "operator1")
        .collect();
    assert_eq!(creates.len(), 1);
}

#[test]
fn everyone_can_export_their_own_record_and_it_is_logged() {
    let (_dir, mut store, admin) = store_with_admin();
    let everyone = store.list_employees(&admin, &Default::default()).unwrap();
    let staff = everyone
        .iter()
        .find(|e| e.jabatan == "Pelaksana" && e.office_code == "TERJUN")
        .unwrap();
    store
        .add_user(&admin, &user("staf", vec![Role::Pegawai], Some(&staff.nip)))
        .unwrap();
    let pegawai = store.login("staf", "Kata-Sandi-Kuat-9").unwrap();

    let json: serde_json::Value =
        serde_json::from_str(&store.export_own_record(&pegawai).unwrap()).unwrap();
    assert_eq!(json["employee"]["nip"], staff.nip.as_str());
    assert_eq!(json["username"], "staf");
    let last = store.audit_entries().unwrap().pop().unwrap();
    assert_eq!(
        (
            last.actor.as_str(),
            last.action.as_str(),
            last.entity.as_str()
        ),
        ("staf", "export", "own_record")
    );

    // An account not linked to an employee has no personal record to export.
    let op = operator(&mut store, &admin, "operator1");
    let err = store.export_own_record(&op).unwrap_err();
    assert!(
        err.to_string()
            .starts_with("akun ini tidak terhubung dengan data pegawai"),
        "{err}"
    );
}

#[test]
fn only_admins_browse_the_audit_log_with_filters() {
    use pelita_store::AuditFilter;
    let (_dir, mut store, admin) = store_with_admin();
    let op = operator(&mut store, &admin, "operator1");
    assert_eq!(
        store
            .browse_audit(&op, &AuditFilter::default())
            .unwrap_err()
            .code(),
        pelita_store::ErrorCode::PermissionDenied
    );
    assert!(store.verify_audit_as(&op).is_err());
    let logins = store
        .browse_audit(
            &admin,
            &AuditFilter {
                action: "login".into(),
                ..Default::default()
            },
        )
        .unwrap();
    assert!(!logins.is_empty() && logins.iter().all(|e| e.action == "login"));
    let by_op = store
        .browse_audit(
            &admin,
            &AuditFilter {
                actor: "OPERATOR".into(),
                ..Default::default()
            },
        )
        .unwrap();
    assert!(!by_op.is_empty() && by_op.iter().all(|e| e.actor == "operator1"));
    let all = store.browse_audit(&admin, &AuditFilter::default()).unwrap();
    assert!(all.windows(2).all(|w| w[0].seq > w[1].seq), "newest first");
    let future = store
        .browse_audit(
            &admin,
            &AuditFilter {
                from: Some("2999-01-01".into()),
                ..Default::default()
            },
        )
        .unwrap();
    assert!(future.is_empty());
}

#[test]
fn guessing_through_password_change_counts_towards_the_lockout() {
    let (_dir, mut store, admin) = store_with_admin();
    let op = operator(&mut store, &admin, "operator1");
    for i in 0..5 {
        let err = store
            .change_password(&op, &format!("tebakan-{i}-salah"), "Sandi-Baru-Sekali-2")
            .unwrap_err();
        assert_eq!(err.code().to_string(), "login_failed");
    }
    let err = store.login("operator1", "Kata-Sandi-Kuat-9").unwrap_err();
    assert_eq!(err.code().to_string(), "account_locked");
    // A disabled account cannot change its password either.
    store
        .reset_password(&admin, "operator1", "Direset-Admin-33")
        .unwrap();
    store.disable_user(&admin, "operator1").unwrap();
    let err = store
        .change_password(&op, "Direset-Admin-33", "Sandi-Baru-Sekali-2")
        .unwrap_err();
    assert_eq!(err.code().to_string(), "login_failed");
}

#[test]
fn a_session_follows_the_account_as_it_is_now() {
    let (_dir, mut store, admin) = store_with_admin();
    let op = operator(&mut store, &admin, "operator1");
    assert_eq!(store.refresh_actor(&op).unwrap(), op);
    store.disable_user(&admin, "operator1").unwrap();
    let err = store.refresh_actor(&op).unwrap_err();
    assert_eq!(err.code().to_string(), "account_disabled");
    assert_eq!(
        err.to_string(),
        "akun ini telah dinonaktifkan; silakan masuk dengan akun lain"
    );
}

#[test]
fn a_kelurahan_laptop_has_an_admin_kantor_and_admin_kecamatan_only_at_the_kantor_camat() {
    let dir = tempfile::tempdir().unwrap();
    let setup = |office: &str| Setup {
        office_code: office.into(),
        load_demo: false,
        username: "admin".into(),
        full_name: "Admin".into(),
        password: "Kata-Sandi-Kuat-9".into(),
    };
    let (mut terjun, admin) =
        Store::create(dir.path().join("terjun.sqlite"), &setup("TERJUN")).unwrap();
    assert_eq!(admin.roles, vec![Role::AdminKantor]);
    // Admin Kecamatan cannot be granted here, nor an account made for another office.
    let err = terjun
        .add_user(&admin, &user("camat", vec![Role::AdminKecamatan], None))
        .unwrap_err();
    assert!(
        err.to_string()
            .contains("Admin Kecamatan hanya ada di laptop Kantor Camat"),
        "{err}"
    );
    let mut elsewhere = user("paya", vec![Role::Operator], None);
    elsewhere.office_code = Some("PAYA-PASIR".into());
    let err = terjun.add_user(&admin, &elsewhere).unwrap_err();
    assert!(
        err.to_string().contains("hanya untuk kantor laptop ini"),
        "{err}"
    );
    // An account an earlier version made "Admin Kecamatan" here acts as the Admin Kantor.
    terjun
        .connection()
        .execute(
            "UPDATE user_account SET roles = 'Admin Kecamatan' WHERE username = 'admin'",
            [],
        )
        .unwrap();
    let again = terjun.login("admin", "Kata-Sandi-Kuat-9").unwrap();
    assert_eq!(again.roles, vec![Role::AdminKantor]);
    let paya = pelita_core::office::office_id("PAYA-PASIR");
    assert!(pelita_core::auth::authorize(&again, Action::EditEmployees, Some(&paya)).is_err());

    let (_, hq_admin) =
        Store::create(dir.path().join("camat.sqlite"), &setup("KEC-MARELAN")).unwrap();
    assert_eq!(hq_admin.roles, vec![Role::AdminKecamatan]);
}
