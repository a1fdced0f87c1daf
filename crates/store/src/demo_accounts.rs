//! Demo accounts for trying Pelita with the demo register. Demo only: the passwords are random,
//! printed once by `pelita init --demo`, and never stored in clear.

use pelita_core::auth::{Actor, Role};
use serde::Serialize;
use specta::Type;

use crate::users::NewUser;
use crate::{EmployeeQuery, Result, Store, StoreError};

#[derive(Debug, Clone, Serialize, Type)]
pub struct DemoAccount {
    pub username: String,
    pub role: String,
    pub password: String,
}

/// A random password that passes the password rules, for demo accounts only.
pub fn demo_password() -> String {
    let raw = uuid::Uuid::new_v4().simple().to_string();
    format!("Demo-{}-{}", &raw[..6], &raw[6..12])
}

impl Store {
    /// Next to the first administrator, creates `operator` (Operator of this office), `penilai`
    /// (the office head, a Penilai through their reports) and `pegawai` (one of their staff).
    /// Needs the demo register.
    pub fn create_demo_accounts(&mut self, admin: &Actor) -> Result<Vec<DemoAccount>> {
        let office = self.home_office()?;
        let staff = crate::employees::list(
            &self.conn,
            &EmployeeQuery {
                office_id: Some(office.id.clone()),
                active: Some(true),
                ..Default::default()
            },
        )?;
        let head = staff
            .iter()
            .find(|e| e.atasan_id.is_none() || e.jabatan == "Lurah")
            .ok_or_else(|| StoreError::NotFound("pimpinan kantor pada data contoh".into()))?;
        let report = staff
            .iter()
            .find(|e| e.atasan_id.as_deref() == Some(head.id.as_str()))
            .ok_or_else(|| StoreError::NotFound("bawahan pimpinan pada data contoh".into()))?;

        let mut out = Vec::new();
        let accounts = [
            (
                "operator",
                "Operator (contoh)",
                Role::Operator,
                None,
                Role::Operator,
            ),
            (
                "penilai",
                head.display_name.as_str(),
                Role::Pegawai,
                Some(head.nip.clone()),
                Role::Penilai,
            ),
            (
                "pegawai",
                report.display_name.as_str(),
                Role::Pegawai,
                Some(report.nip.clone()),
                Role::Pegawai,
            ),
        ];
        for (username, full_name, granted, nip, shown) in accounts {
            let password = demo_password();
            self.add_user(
                admin,
                &NewUser {
                    username: username.into(),
                    full_name: full_name.into(),
                    roles: vec![granted],
                    office_code: Some(office.code.clone()),
                    employee_nip: nip,
                    password: password.clone(),
                },
            )?;
            out.push(DemoAccount {
                username: username.into(),
                role: shown.label().into(),
                password,
            });
        }
        Ok(out)
    }
}
