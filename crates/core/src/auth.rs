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
    /// The office's appraisal recap: progress and the distribution of staff predicates.
    ViewAppraisalRecap,
    /// Set an organisation's result for a period (predikat kinerja organisasi): the leader one
    /// level up — the Camat for a kelurahan; for the Kantor Camat, the Admin Kecamatan records the
    /// Wali Kota's decision. Never the organisation's own staff.
    SetOrgResult,
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
    pub const ALL: [Action; 18] = [
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
        Action::ViewAppraisalRecap,
        Action::SetOrgResult,
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
            Action::ViewAppraisalRecap => "melihat rekap penilaian kinerja kantor",
            Action::SetOrgResult => {
                "menetapkan predikat kinerja organisasi (hanya pimpinan satu tingkat di atasnya: \
                 Camat untuk kelurahan)"
            }
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

/// The office a view covers for `actor` doing `action`: the one asked for, else the whole
/// district (`None`) where [`district_scope`] allows it, and their own office for everyone else.
/// `authorize` then refuses an office they may not see.
pub fn office_scope(actor: &Actor, action: Action, office_id: Option<&str>) -> Option<String> {
    match office_id.filter(|o| !o.is_empty()) {
        Some(o) => Some(o.to_string()),
        None if district_scope(actor, action) => None,
        None => Some(actor.office_id.clone()),
    }
}

/// The actions `actor` may take on their own office's data: what the app offers them.
pub fn permitted(actor: &Actor) -> Vec<Action> {
    Action::ALL
        .into_iter()
        .filter(|a| {
            // Setting a result is never about one's own office: offered to whoever sets any.
            let office = (*a != Action::SetOrgResult).then_some(actor.office_id.as_str());
            authorize(actor, *a, office).is_ok()
        })
        .collect()
}

/// Whether `actor` sets the result of `office_id` (`None`: of some office): the Camat (Pimpinan of
/// the Kantor Camat) for every kelurahan; the Admin Kecamatan only the Kantor Camat's own, from
/// the Wali Kota's decision.
fn sets_org_result(actor: &Actor, office_id: Option<&str>) -> bool {
    let hq = crate::office::office_id(crate::office::HQ_CODE);
    let camat = actor.has(Role::Pimpinan) && actor.office_id == hq;
    match office_id {
        None => camat || actor.has(Role::AdminKecamatan),
        Some(o) if o == hq => actor.has(Role::AdminKecamatan),
        Some(_) => camat,
    }
}

/// Decides whether `actor` may do `action` on data owned by `office_id` (`None`: not office-bound).
pub fn authorize(
    actor: &Actor,
    action: Action,
    office_id: Option<&str>,
) -> Result<(), PermissionDenied> {
    let what = action.describe();
    // Not even the Admin Kecamatan sets a kelurahan's result: the Camat does.
    let set_result = || {
        if sets_org_result(actor, office_id) {
            Ok(())
        } else {
            Err(PermissionDenied::Role(what))
        }
    };
    if action == Action::SetOrgResult {
        return set_result();
    }
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
        Action::ViewAnalysis | Action::ViewAppraisalRecap => {
            leader_reads(admin || actor.has(Role::Operator))
        }
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
        Action::SetOrgResult => set_result(),
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
