//! Roles and permissions: the one function, [`authorize`], that every entry point asks before it
//! acts. The UI may hide what a role cannot do, but only this decides.

use serde::{Deserialize, Serialize};
use specta::Type;

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, Type,
)]
pub enum Role {
    /// Records the data of its own office.
    Operator,
    /// Appraises direct reports. Never stored: derived from atasan langsung at login.
    Penilai,
    /// The district HQ: all offices, catalogue, devices, users. Only on the Kantor Camat's
    /// laptops; on a kelurahan laptop an account granted it acts as Admin Kantor.
    #[serde(rename = "Admin Kecamatan")]
    AdminKecamatan,
    /// An office's administrator: accounts, backups, enrolment, settings and all the data of its
    /// own office (the first account on a kelurahan laptop).
    #[serde(rename = "Admin Kantor")]
    AdminKantor,
    /// The head of an office (the Lurah; the Camat for the district): the register, dashboards
    /// and analysis of their scope, read-only. Never stored: derived from the register at login.
    Pimpinan,
    /// Sees only their own record.
    Pegawai,
}

impl Role {
    pub const ALL: [Role; 6] = [
        Role::Operator,
        Role::Penilai,
        Role::AdminKecamatan,
        Role::AdminKantor,
        Role::Pimpinan,
        Role::Pegawai,
    ];
    /// The roles an administrator may grant; Penilai and Pimpinan follow from the register, and
    /// Admin Kecamatan is granted only on the Kantor Camat's laptops ([`grantable_on`]).
    pub const GRANTABLE: [Role; 4] = [
        Role::Operator,
        Role::AdminKecamatan,
        Role::AdminKantor,
        Role::Pegawai,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Role::Operator => "Operator",
            Role::Penilai => "Penilai",
            Role::AdminKecamatan => "Admin Kecamatan",
            Role::AdminKantor => "Admin Kantor",
            Role::Pimpinan => "Pimpinan",
            Role::Pegawai => "Pegawai",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        let s = s.trim();
        Role::ALL.into_iter().find(|r| {
            r.label().eq_ignore_ascii_case(s)
                || (*r == Role::AdminKecamatan && s.eq_ignore_ascii_case("admin"))
        })
    }
}

/// Everything a person can ask Pelita to do, as far as permissions are concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Type)]
pub enum Action {
    ViewEmployees,
    EditEmployees,
    ExportEmployees,
    ViewOwnRecord,
    ExportOwnRecord,
    ManageUsers,
    ViewAudit,
    BackupDatabase,
    RestoreDatabase,
    /// Appraise one's direct reports (SKP). Who counts as a direct report is the store's check.
    AppraiseReports,
    /// Record the organisation's own result for a period (predikat kinerja organisasi).
    RecordOrgResult,
    /// Create, change, cancel and complete trainings; enrol; record attendance (office-bound).
    ManageTrainings,
    /// Enrol this laptop at the district hub with a one-time code.
    EnrollDevice,
    /// Choose between two versions of a row that two laptops changed (office-bound).
    ResolveSyncConflicts,
    /// Write questionnaire instruments and record their answer sheets (office-bound).
    ManageSurveys,
    /// The dashboards and the analysis of training and performance (office-bound; district-wide
    /// for the Kantor Camat's leaders and admins).
    ViewAnalysis,
    /// Approve or refuse a transfer (mutasi) between offices: the Kantor Camat's administrators.
    ApproveTransfers,
}

impl Action {
    pub const ALL: [Action; 17] = [
        Action::ViewEmployees,
        Action::EditEmployees,
        Action::ExportEmployees,
        Action::ViewOwnRecord,
        Action::ExportOwnRecord,
        Action::ManageUsers,
        Action::ViewAudit,
        Action::BackupDatabase,
        Action::RestoreDatabase,
        Action::AppraiseReports,
        Action::RecordOrgResult,
        Action::ManageTrainings,
        Action::EnrollDevice,
        Action::ResolveSyncConflicts,
        Action::ManageSurveys,
        Action::ViewAnalysis,
        Action::ApproveTransfers,
    ];

    /// What the action is, for refusal messages ("Anda tidak berhak {what}").
    pub fn describe(self) -> &'static str {
        match self {
            Action::ViewEmployees => "melihat daftar pegawai",
            Action::EditEmployees => "mengubah data pegawai",
            Action::ExportEmployees => "mengekspor data pegawai",
            Action::ViewOwnRecord => "melihat data diri",
            Action::ExportOwnRecord => "mengekspor data diri",
            Action::ManageUsers => "mengelola akun pengguna",
            Action::ViewAudit => "melihat log audit",
            Action::BackupDatabase => "membuat cadangan basis data",
            Action::RestoreDatabase => "memulihkan basis data dari cadangan",
            Action::AppraiseReports => "menilai kinerja pegawai (hanya atasan langsung)",
            Action::RecordOrgResult => "mencatat predikat kinerja organisasi",
            Action::ManageTrainings => "mengelola pelatihan dan kehadiran",
            Action::EnrollDevice => "mendaftarkan laptop ini ke hub kecamatan",
            Action::ResolveSyncConflicts => "menyelesaikan konflik sinkronisasi",
            Action::ManageSurveys => "mengelola kuesioner studi dan jawabannya",
            Action::ViewAnalysis => "melihat dasbor dan analisis",
            Action::ApproveTransfers => "menyetujui atau menolak mutasi pegawai",
        }
    }
}

/// The signed-in person, as the store established it at login.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct Actor {
    pub user_id: String,
    pub username: String,
    pub full_name: String,
    pub roles: Vec<Role>,
    /// The office the account belongs to.
    pub office_id: String,
    /// The employee record this account belongs to, if any.
    pub employee_id: Option<String>,
}

impl Actor {
    pub fn has(&self, role: Role) -> bool {
        self.roles.contains(&role)
    }
}

/// A refusal; `Display` is the Indonesian message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PermissionDenied {
    #[error("Anda tidak berhak {0}")]
    Role(&'static str),
    #[error("Anda hanya berhak {0} untuk kantor Anda sendiri")]
    OtherOffice(&'static str),
    #[error("Anda bukan atasan langsung {employee} pada periode {period}; hanya atasan langsung pada awal periode yang dapat menilainya")]
    NotDirectSupervisor { employee: String, period: String },
    #[error(
        "akun ini tidak terhubung dengan data pegawai, sehingga tidak ada data diri untuk {0}"
    )]
    NoOwnRecord(&'static str),
}

/// The roles an administrator may grant on a laptop of `laptop_office_id`: the laptop's one
/// admin role (Admin Kecamatan only on the Kantor Camat's), Operator and Pegawai.
pub fn grantable_on(laptop_office_id: &str) -> Vec<Role> {
    vec![
        Role::Operator,
        admin_role_on(laptop_office_id),
        Role::Pegawai,
    ]
}

/// The administrator role of a laptop of `laptop_office_id` (its first account's).
pub fn admin_role_on(laptop_office_id: &str) -> Role {
    if laptop_office_id == crate::office::office_id(crate::office::HQ_CODE) {
        Role::AdminKecamatan
    } else {
        Role::AdminKantor
    }
}

/// Whether `actor` sees the whole district where a view lets them choose the office: the Kantor
/// Camat's administrators and its head (the Camat).
pub fn district_wide(actor: &Actor) -> bool {
    actor.has(Role::AdminKecamatan)
        || (actor.has(Role::Pimpinan)
            && actor.office_id == crate::office::office_id(crate::office::HQ_CODE))
}

/// Whether `action` covers the whole district for `actor` where no office is named: everything for
/// the Admin Kecamatan; for the Camat (Pimpinan of the Kantor Camat) only reading the register and
/// the analysis — never an export, an import or a change.
pub fn district_scope(actor: &Actor, action: Action) -> bool {
    actor.has(Role::AdminKecamatan)
        || (district_wide(actor) && matches!(action, Action::ViewEmployees | Action::ViewAnalysis))
}

/// The actions `actor` may take on their own office's data: what the app offers them.
pub fn permitted(actor: &Actor) -> Vec<Action> {
    Action::ALL
        .into_iter()
        .filter(|a| authorize(actor, *a, Some(&actor.office_id)).is_ok())
        .collect()
}

/// Decides whether `actor` may do `action` on data owned by `office_id` (`None`: not office-bound).
pub fn authorize(
    actor: &Actor,
    action: Action,
    office_id: Option<&str>,
) -> Result<(), PermissionDenied> {
    let what = action.describe();
    if actor.has(Role::AdminKecamatan) {
        return Ok(());
    }
    let office_bound = |allowed: bool| -> Result<(), PermissionDenied> {
        if !allowed {
            return Err(PermissionDenied::Role(what));
        }
        match office_id {
            Some(o) if o != actor.office_id => Err(PermissionDenied::OtherOffice(what)),
            _ => Ok(()),
        }
    };
    let admin = actor.has(Role::AdminKantor);
    // A leader reads their scope: their office, or the district for the Camat.
    let leader_reads = |allowed: bool| -> Result<(), PermissionDenied> {
        if actor.has(Role::Pimpinan) && district_wide(actor) {
            return Ok(());
        }
        office_bound(allowed || actor.has(Role::Pimpinan))
    };
    match action {
        Action::ViewEmployees => {
            leader_reads(admin || actor.has(Role::Operator) || actor.has(Role::Penilai))
        }
        Action::ViewAnalysis => leader_reads(admin || actor.has(Role::Operator)),
        Action::EditEmployees | Action::ExportEmployees => {
            office_bound(admin || actor.has(Role::Operator))
        }
        Action::ViewOwnRecord | Action::ExportOwnRecord => {
            if actor.employee_id.is_some() {
                Ok(())
            } else {
                Err(PermissionDenied::NoOwnRecord(what))
            }
        }
        // A backup holds every office record on this laptop, encrypted with the database key.
        Action::BackupDatabase
        | Action::RecordOrgResult
        | Action::ManageTrainings
        | Action::ResolveSyncConflicts
        | Action::ManageSurveys => office_bound(admin || actor.has(Role::Operator)),
        // Not office-bound: the Camat appraises the Lurah of every kelurahan.
        Action::AppraiseReports => {
            if actor.has(Role::Penilai) {
                Ok(())
            } else {
                Err(PermissionDenied::Role(what))
            }
        }
        // The laptop's own administration: its accounts, audit log, restore and enrolment.
        Action::ManageUsers
        | Action::ViewAudit
        | Action::RestoreDatabase
        | Action::EnrollDevice => office_bound(admin),
        // Only the Admin Kecamatan (returned above) decides a transfer.
        Action::ApproveTransfers => Err(PermissionDenied::Role(what)),
    }
}

/// Failed sign-ins allowed before an account locks; each further failure doubles the lock.
/// The same for office accounts and the hub's admin page.
pub const FREE_ATTEMPTS: u32 = 4;
const FIRST_LOCK_SECONDS: i64 = 30;
pub const MAX_LOCK_SECONDS: i64 = 3600;

/// How long an account stays locked after its `failures`-th failed sign-in in a row.
pub fn lock_seconds(failures: u32) -> Option<i64> {
    (failures > FREE_ATTEMPTS).then(|| {
        let doublings = (failures - FREE_ATTEMPTS - 1).min(16);
        (FIRST_LOCK_SECONDS << doublings).min(MAX_LOCK_SECONDS)
    })
}

/// The smallest password Pelita accepts.
pub const MIN_PASSWORD_CHARS: usize = 10;

/// Checks a new password; the message says what to change.
pub fn check_new_password(password: &str, username: &str) -> Result<(), String> {
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(format!("kata sandi minimal {MIN_PASSWORD_CHARS} karakter"));
    }
    if password.to_lowercase().contains(&username.to_lowercase()) {
        return Err("kata sandi tidak boleh memuat nama pengguna".into());
    }
    if password.chars().all(|c| c.is_ascii_digit()) {
        return Err("kata sandi tidak boleh hanya berisi angka".into());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

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

    /// The whole role × action × scope table, generated from `authorize` and compared with the
    /// table the product asks for. Every cell is checked; adding an action or a role without
    /// deciding its cells fails here.
    #[test]
    fn lock_grows_and_is_capped() {
        assert_eq!(lock_seconds(FREE_ATTEMPTS), None);
        assert_eq!(lock_seconds(FREE_ATTEMPTS + 1), Some(30));
        assert_eq!(lock_seconds(FREE_ATTEMPTS + 2), Some(60));
        assert_eq!(lock_seconds(FREE_ATTEMPTS + 3), Some(120));
        assert_eq!(lock_seconds(FREE_ATTEMPTS + 40), Some(MAX_LOCK_SECONDS));
    }

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
            (Role::Operator, Action::RecordOrgResult, ["ok", "office"]),
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
            (Role::Penilai, Action::RecordOrgResult, ["role", "role"]),
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
            (Role::AdminKecamatan, Action::RecordOrgResult, ["ok", "ok"]),
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
            (Role::AdminKantor, Action::RecordOrgResult, ["ok", "office"]),
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
            (Role::Pimpinan, Action::RecordOrgResult, ["role", "role"]),
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
            (Role::Pegawai, Action::RecordOrgResult, ["role", "role"]),
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
        let hq = crate::office::office_id(crate::office::HQ_CODE);
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
}
