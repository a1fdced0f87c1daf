//! `core::auth` from outside: the role × action table, the Camat's and an office admin's reach,
//! refusals in Indonesian, the lockout and the password rules.

use pelita_core::auth::*;

const HOME: &str = "office-terjun";
const OTHER: &str = "office-paya-pasir";

fn actor(role: Role, employee: bool) -> Actor {
    Actor {
        user_id: "u".into(),
        username: "u".into(),
        full_name: "U".into(),
        roles: vec![role],
        office_id: HOME.into(),
        employee_id: employee.then(|| "e".into()),
    }
}

fn outcome(r: Result<(), PermissionDenied>) -> &'static str {
    match r {
        Ok(()) => "ok",
        Err(PermissionDenied::Role(_)) => "role",
        Err(PermissionDenied::OtherOffice(_)) => "office",
        Err(PermissionDenied::NoOwnRecord(_)) => "no-record",
        Err(PermissionDenied::NotDirectSupervisor { .. }) => "not-supervisor",
    }
}

#[test]
fn lock_grows_and_is_capped() {
    assert_eq!(lock_seconds(FREE_ATTEMPTS), None);
    assert_eq!(lock_seconds(FREE_ATTEMPTS + 1), Some(30));
    assert_eq!(lock_seconds(FREE_ATTEMPTS + 2), Some(60));
    assert_eq!(lock_seconds(FREE_ATTEMPTS + 3), Some(120));
    assert_eq!(lock_seconds(FREE_ATTEMPTS + 40), Some(MAX_LOCK_SECONDS));
}

/// The whole role × action × scope table, generated from `authorize` and compared with the
/// table the product asks for. Every cell is checked; adding an action or a role without
/// deciding its cells fails here.
#[test]
fn role_action_table() {
    let expected: &[(Role, Action, [&str; 2])] = &[
        // [own office, other office]
        (Role::Operator, Action::ViewEmployees, ["ok", "office"]),
        (Role::Operator, Action::EditEmployees, ["ok", "office"]),
        (Role::Operator, Action::ExportEmployees, ["ok", "office"]),
        (Role::Operator, Action::ViewOwnRecord, ["ok", "ok"]),
        (Role::Operator, Action::ExportOwnRecord, ["ok", "ok"]),
        (Role::Operator, Action::ManageUsers, ["role", "role"]),
        (Role::Operator, Action::ViewAudit, ["role", "role"]),
        (Role::Operator, Action::BackupDatabase, ["ok", "office"]),
        (Role::Operator, Action::RestoreDatabase, ["role", "role"]),
        (Role::Operator, Action::AppraiseReports, ["role", "role"]),
        (Role::Operator, Action::ViewAppraisalRecap, ["ok", "office"]),
        (Role::Operator, Action::SetOrgResult, ["role", "role"]),
        (Role::Operator, Action::ManageTrainings, ["ok", "office"]),
        (Role::Operator, Action::EnrollDevice, ["role", "role"]),
        (
            Role::Operator,
            Action::ResolveSyncConflicts,
            ["ok", "office"],
        ),
        (Role::Operator, Action::ManageSurveys, ["ok", "office"]),
        (Role::Operator, Action::ViewAnalysis, ["ok", "office"]),
        (Role::Operator, Action::ApproveTransfers, ["role", "role"]),
        (Role::Penilai, Action::ViewEmployees, ["ok", "office"]),
        (Role::Penilai, Action::EditEmployees, ["role", "role"]),
        (Role::Penilai, Action::ExportEmployees, ["role", "role"]),
        (Role::Penilai, Action::ViewOwnRecord, ["ok", "ok"]),
        (Role::Penilai, Action::ExportOwnRecord, ["ok", "ok"]),
        (Role::Penilai, Action::ManageUsers, ["role", "role"]),
        (Role::Penilai, Action::ViewAudit, ["role", "role"]),
        (Role::Penilai, Action::BackupDatabase, ["role", "role"]),
        (Role::Penilai, Action::RestoreDatabase, ["role", "role"]),
        (Role::Penilai, Action::AppraiseReports, ["ok", "ok"]),
        (Role::Penilai, Action::ViewAppraisalRecap, ["role", "role"]),
        (Role::Penilai, Action::SetOrgResult, ["role", "role"]),
        (Role::Penilai, Action::ManageTrainings, ["role", "role"]),
        (Role::Penilai, Action::EnrollDevice, ["role", "role"]),
        (
            Role::Penilai,
            Action::ResolveSyncConflicts,
            ["role", "role"],
        ),
        (Role::Penilai, Action::ManageSurveys, ["role", "role"]),
        (Role::Penilai, Action::ViewAnalysis, ["role", "role"]),
        (Role::Penilai, Action::ApproveTransfers, ["role", "role"]),
        (Role::AdminKecamatan, Action::ViewEmployees, ["ok", "ok"]),
        (Role::AdminKecamatan, Action::EditEmployees, ["ok", "ok"]),
        (Role::AdminKecamatan, Action::ExportEmployees, ["ok", "ok"]),
        (Role::AdminKecamatan, Action::ViewOwnRecord, ["ok", "ok"]),
        (Role::AdminKecamatan, Action::ExportOwnRecord, ["ok", "ok"]),
        (Role::AdminKecamatan, Action::ManageUsers, ["ok", "ok"]),
        (Role::AdminKecamatan, Action::ViewAudit, ["ok", "ok"]),
        (Role::AdminKecamatan, Action::BackupDatabase, ["ok", "ok"]),
        (Role::AdminKecamatan, Action::RestoreDatabase, ["ok", "ok"]),
        (Role::AdminKecamatan, Action::AppraiseReports, ["ok", "ok"]),
        (
            Role::AdminKecamatan,
            Action::ViewAppraisalRecap,
            ["ok", "ok"],
        ),
        (Role::AdminKecamatan, Action::SetOrgResult, ["role", "role"]),
        (Role::AdminKecamatan, Action::ManageTrainings, ["ok", "ok"]),
        (Role::AdminKecamatan, Action::EnrollDevice, ["ok", "ok"]),
        (
            Role::AdminKecamatan,
            Action::ResolveSyncConflicts,
            ["ok", "ok"],
        ),
        (Role::AdminKecamatan, Action::ManageSurveys, ["ok", "ok"]),
        (Role::AdminKecamatan, Action::ViewAnalysis, ["ok", "ok"]),
        (Role::AdminKecamatan, Action::ApproveTransfers, ["ok", "ok"]),
        (Role::AdminKantor, Action::ViewEmployees, ["ok", "office"]),
        (Role::AdminKantor, Action::EditEmployees, ["ok", "office"]),
        (Role::AdminKantor, Action::ExportEmployees, ["ok", "office"]),
        (Role::AdminKantor, Action::ViewOwnRecord, ["ok", "ok"]),
        (Role::AdminKantor, Action::ExportOwnRecord, ["ok", "ok"]),
        (Role::AdminKantor, Action::ManageUsers, ["ok", "office"]),
        (Role::AdminKantor, Action::ViewAudit, ["ok", "office"]),
        (Role::AdminKantor, Action::BackupDatabase, ["ok", "office"]),
        (Role::AdminKantor, Action::RestoreDatabase, ["ok", "office"]),
        (Role::AdminKantor, Action::AppraiseReports, ["role", "role"]),
        (
            Role::AdminKantor,
            Action::ViewAppraisalRecap,
            ["ok", "office"],
        ),
        (Role::AdminKantor, Action::SetOrgResult, ["role", "role"]),
        (Role::AdminKantor, Action::ManageTrainings, ["ok", "office"]),
        (Role::AdminKantor, Action::EnrollDevice, ["ok", "office"]),
        (
            Role::AdminKantor,
            Action::ResolveSyncConflicts,
            ["ok", "office"],
        ),
        (Role::AdminKantor, Action::ManageSurveys, ["ok", "office"]),
        (Role::AdminKantor, Action::ViewAnalysis, ["ok", "office"]),
        (
            Role::AdminKantor,
            Action::ApproveTransfers,
            ["role", "role"],
        ),
        (Role::Pimpinan, Action::ViewEmployees, ["ok", "office"]),
        (Role::Pimpinan, Action::EditEmployees, ["role", "role"]),
        (Role::Pimpinan, Action::ExportEmployees, ["role", "role"]),
        (Role::Pimpinan, Action::ViewOwnRecord, ["ok", "ok"]),
        (Role::Pimpinan, Action::ExportOwnRecord, ["ok", "ok"]),
        (Role::Pimpinan, Action::ManageUsers, ["role", "role"]),
        (Role::Pimpinan, Action::ViewAudit, ["role", "role"]),
        (Role::Pimpinan, Action::BackupDatabase, ["role", "role"]),
        (Role::Pimpinan, Action::RestoreDatabase, ["role", "role"]),
        (Role::Pimpinan, Action::AppraiseReports, ["role", "role"]),
        (Role::Pimpinan, Action::ViewAppraisalRecap, ["ok", "office"]),
        (Role::Pimpinan, Action::SetOrgResult, ["role", "role"]),
        (Role::Pimpinan, Action::ManageTrainings, ["role", "role"]),
        (Role::Pimpinan, Action::EnrollDevice, ["role", "role"]),
        (
            Role::Pimpinan,
            Action::ResolveSyncConflicts,
            ["role", "role"],
        ),
        (Role::Pimpinan, Action::ManageSurveys, ["role", "role"]),
        (Role::Pimpinan, Action::ViewAnalysis, ["ok", "office"]),
        (Role::Pimpinan, Action::ApproveTransfers, ["role", "role"]),
        (Role::Pegawai, Action::ViewEmployees, ["role", "role"]),
        (Role::Pegawai, Action::EditEmployees, ["role", "role"]),
        (Role::Pegawai, Action::ExportEmployees, ["role", "role"]),
        (Role::Pegawai, Action::ViewOwnRecord, ["ok", "ok"]),
        (Role::Pegawai, Action::ExportOwnRecord, ["ok", "ok"]),
        (Role::Pegawai, Action::ManageUsers, ["role", "role"]),
        (Role::Pegawai, Action::ViewAudit, ["role", "role"]),
        (Role::Pegawai, Action::BackupDatabase, ["role", "role"]),
        (Role::Pegawai, Action::RestoreDatabase, ["role", "role"]),
        (Role::Pegawai, Action::AppraiseReports, ["role", "role"]),
        (Role::Pegawai, Action::ViewAppraisalRecap, ["role", "role"]),
        (Role::Pegawai, Action::SetOrgResult, ["role", "role"]),
        (Role::Pegawai, Action::ManageTrainings, ["role", "role"]),
        (Role::Pegawai, Action::EnrollDevice, ["role", "role"]),
        (
            Role::Pegawai,
            Action::ResolveSyncConflicts,
            ["role", "role"],
        ),
        (Role::Pegawai, Action::ManageSurveys, ["role", "role"]),
        (Role::Pegawai, Action::ViewAnalysis, ["role", "role"]),
        (Role::Pegawai, Action::ApproveTransfers, ["role", "role"]),
    ];
    assert_eq!(expected.len(), Role::ALL.len() * Action::ALL.len());
    for role in Role::ALL {
        for action in Action::ALL {
            let want = expected
                .iter()
                .find(|(r, a, _)| *r == role && *a == action)
                .unwrap_or_else(|| panic!("no expectation for {role:?} × {action:?}"))
                .2;
            let a = actor(role, true);
            let got = [
                outcome(authorize(&a, action, Some(HOME))),
                outcome(authorize(&a, action, Some(OTHER))),
            ];
            assert_eq!(got, want, "{role:?} × {action:?}");
        }
    }
}

#[test]
fn the_camat_reads_the_district_and_an_office_admin_never_leaves_its_office() {
    let hq = pelita_core::office::office_id(pelita_core::office::HQ_CODE);
    let camat = Actor {
        office_id: hq.clone(),
        roles: vec![Role::Penilai, Role::Pimpinan],
        ..actor(Role::Pimpinan, true)
    };
    for action in [Action::ViewEmployees, Action::ViewAnalysis] {
        assert_eq!(outcome(authorize(&camat, action, Some(OTHER))), "ok");
    }
    for action in [
        Action::EditEmployees,
        Action::ManageTrainings,
        Action::ManageUsers,
    ] {
        assert_eq!(outcome(authorize(&camat, action, Some(&hq))), "role");
    }
    assert!(district_wide(&camat));
    // The Camat's district reach is for reading only: an Operator at the Kantor Camat who is
    // also its head exports, imports and changes the Kantor Camat's data, not the district's.
    let camat_operator = Actor {
        roles: vec![Role::Operator, Role::Pimpinan],
        ..camat.clone()
    };
    for action in [Action::ViewEmployees, Action::ViewAnalysis] {
        assert!(district_scope(&camat_operator, action));
    }
    for action in [
        Action::ExportEmployees,
        Action::EditEmployees,
        Action::ManageSurveys,
    ] {
        assert!(!district_scope(&camat_operator, action), "{action:?}");
    }
    let lurah = actor(Role::Pimpinan, true);
    assert!(!district_wide(&lurah));
    assert_eq!(
        permitted(&lurah),
        [
            Action::ViewEmployees,
            Action::ViewOwnRecord,
            Action::ExportOwnRecord,
            Action::ViewAppraisalRecap,
            Action::ViewAnalysis
        ]
    );

    // The first account of a laptop, and what its admin may grant there.
    assert_eq!(admin_role_on(&hq), Role::AdminKecamatan);
    assert_eq!(admin_role_on(HOME), Role::AdminKantor);
    assert_eq!(
        grantable_on(&hq),
        [Role::Operator, Role::AdminKecamatan, Role::Pegawai]
    );
    assert_eq!(
        grantable_on(HOME),
        [Role::Operator, Role::AdminKantor, Role::Pegawai]
    );
    let admin = actor(Role::AdminKantor, false);
    assert!(!district_wide(&admin));
    assert_eq!(
        outcome(authorize(&admin, Action::EditEmployees, Some(OTHER))),
        "office"
    );
}

#[test]
fn refusals_are_indonesian_and_name_the_action() {
    let err = authorize(
        &actor(Role::Pegawai, true),
        Action::EditEmployees,
        Some(HOME),
    )
    .unwrap_err();
    assert_eq!(err.to_string(), "Anda tidak berhak mengubah data pegawai");
    let err = authorize(
        &actor(Role::Operator, true),
        Action::ExportEmployees,
        Some(OTHER),
    )
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "Anda hanya berhak mengekspor data pegawai untuk kantor Anda sendiri"
    );
    let err = authorize(&actor(Role::Pegawai, false), Action::ViewOwnRecord, None).unwrap_err();
    assert!(err.to_string().starts_with("akun ini tidak terhubung"));
}

#[test]
fn password_rules() {
    assert!(check_new_password("pendek", "budi").is_err());
    assert!(check_new_password("1234567890", "budi").is_err());
    assert!(check_new_password("budi-rahasia-1", "budi").is_err());
    assert!(check_new_password("Lampu-Marelan-7", "budi").is_ok());
}

#[test]
fn roles_parse_from_their_labels() {
    assert_eq!(Role::parse("admin kecamatan"), Some(Role::AdminKecamatan));
    assert_eq!(Role::parse("Admin"), Some(Role::AdminKecamatan));
    assert_eq!(Role::parse("operator"), Some(Role::Operator));
    assert_eq!(Role::parse("Admin Kantor"), Some(Role::AdminKantor));
    assert_eq!(Role::parse("camat"), None);
}

/// PermenPANRB 6/2022: the organisation's result is set by the leader one level up — the Camat
/// for a kelurahan — never by the kelurahan's own staff, its Lurah or an administrator; the
/// Kantor Camat's own comes from the Wali Kota, recorded by the Admin Kecamatan.
#[test]
fn only_the_leader_one_level_up_sets_an_organisations_result() {
    let hq = pelita_core::office::office_id(pelita_core::office::HQ_CODE);
    let camat = Actor {
        office_id: hq.clone(),
        roles: vec![Role::Penilai, Role::Pimpinan],
        ..actor(Role::Pimpinan, true)
    };
    let admin_kecamatan = Actor {
        office_id: hq.clone(),
        ..actor(Role::AdminKecamatan, false)
    };
    let lurah = actor(Role::Pimpinan, true);
    let set = |a: &Actor, office: &str| outcome(authorize(a, Action::SetOrgResult, Some(office)));
    assert_eq!([set(&camat, HOME), set(&camat, OTHER)], ["ok", "ok"]);
    assert_eq!(set(&camat, &hq), "role");
    assert_eq!(
        [set(&admin_kecamatan, HOME), set(&admin_kecamatan, &hq)],
        ["role", "ok"]
    );
    assert_eq!(set(&lurah, HOME), "role");
    assert!(permitted(&camat).contains(&Action::SetOrgResult));
    assert!(permitted(&admin_kecamatan).contains(&Action::SetOrgResult));
    assert!(!permitted(&lurah).contains(&Action::SetOrgResult));
}
