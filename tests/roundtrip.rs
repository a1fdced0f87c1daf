//! Cross-crate: the demo register exported by one office store re-imports into an empty database
//! with identical rows, in both file formats.

use pelita_store::Mode;
use pelita_store::{EmployeeQuery, EmployeeRow, Store};

/// An employee's content, without what a new database assigns afresh (ids, timestamps).
fn content(rows: Vec<EmployeeRow>) -> Vec<serde_json::Value> {
    rows.into_iter()
        .map(|r| {
            let mut v = serde_json::to_value(r).unwrap();
            for key in ["id", "atasan_id", "updated_at"] {
                v.as_object_mut().unwrap().remove(key);
            }
            v
        })
        .collect()
}

fn create(path: &std::path::Path, load_demo: bool) -> (Store, pelita_core::auth::Actor) {
    let setup = pelita_store::Setup {
        office_code: "KEC-MARELAN".into(),
        load_demo,
        username: "admin".into(),
        full_name: "Admin".into(),
        password: "Sandi-Uji-Coba-1".into(),
    };
    Store::create(path, &setup).unwrap()
}

#[test]
fn demo_export_reimports_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let (mut source, admin) = create(&dir.path().join("source.sqlite"), true);
    let everyone = EmployeeQuery {
        active: None,
        ..Default::default()
    };
    let original = source.list_employees(&admin, &everyone).unwrap();
    assert!(original.len() >= 40);

    for name in ["pegawai.xlsx", "pegawai.csv"] {
        let file = dir.path().join(name);
        source.export_employee_file(&admin, &file).unwrap();
        let (mut target, target_admin) = create(&dir.path().join(format!("{name}.sqlite")), false);
        let report = target
            .import_employee_file(
                &target_admin,
                name,
                &std::fs::read(&file).unwrap(),
                Mode::Commit,
            )
            .unwrap();
        assert_eq!(report.errors, vec![], "{name}");
        assert_eq!(report.imported as usize, original.len());
        let copy = target.list_employees(&target_admin, &everyone).unwrap();
        assert_eq!(content(copy), content(original.clone()), "{name}");
        assert_eq!(
            target.export_employees(&target_admin).unwrap(),
            source.export_employees(&admin).unwrap()
        );
    }
}
