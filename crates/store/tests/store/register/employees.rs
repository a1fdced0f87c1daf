//! The store against a real SQLite file: rules that need the database, the outbox, import/export.

use pelita_core::auth::Actor;
use pelita_core::employee::sheet::header_cells;
use pelita_core::employee::{Deactivation, EmployeeInput};
use pelita_core::office::office_id;
use pelita_core::reference::{EmploymentStatus, InactiveReason, JenisJabatan};
use pelita_store::Mode;
use pelita_store::{EmployeeQuery, EmployeeSort, Store};

fn store() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let (store, _) = crate::common::create(dir.path(), "TERJUN", false, PW);
    (dir, store)
}

/// The Kantor Camat's laptop: the one that registers the whole district (a kelurahan laptop
/// refuses other offices' staff).
fn hq_store() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let (store, _) = crate::common::create(dir.path(), "KEC-MARELAN", false, PW);
    (dir, store)
}

const PW: &str = "Sandi-Uji-Coba-1";

/// The first admin of `store` (Admin Kecamatan: every office), signed in again.
fn admin(store: &mut Store) -> Actor {
    store.login("admin", PW).unwrap()
}

fn input(nip: &str, name: &str) -> EmployeeInput {
    EmployeeInput {
        nip: nip.into(),
        gelar_depan: String::new(),
        name: name.into(),
        gelar_belakang: String::new(),
        birth_date: None,
        sex: None,
        status: EmploymentStatus::Pns,
        golongan: "III/a".into(),
        jabatan: "Pelaksana".into(),
        jenis_jabatan: JenisJabatan::Pelaksana,
        office_id: office_id("TERJUN"),
        atasan_id: None,
        contract_start: None,
        contract_end: None,
    }
}

fn outbox_count(store: &Store) -> usize {
    store.pending_outbox().unwrap().len()
}

#[test]
fn every_change_writes_its_outbox_row_in_the_same_transaction() {
    let (_dir, mut store) = store();
    let a = admin(&mut store);
    assert_eq!(outbox_count(&store), 0);
    let created = store
        .create_employee(&a, &input("198503122010011002", "Ahmad"))
        .unwrap();
    let outbox = store.pending_outbox().unwrap();
    assert_eq!(outbox.len(), 1);
    assert_eq!(outbox[0].row_id, created.id);
    assert_eq!((outbox[0].base_version, outbox[0].version), (0, 1));
    assert_eq!(outbox[0].owner_office_id, office_id("TERJUN"));
    let payload: serde_json::Value = serde_json::from_str(&outbox[0].payload).unwrap();
    assert_eq!(payload["nip"], "198503122010011002");

    let mut changed = input("198503122010011002", "Ahmad Fauzi");
    changed.golongan = "III/b".into();
    let updated = store.update_employee(&a, &created.id, 1, &changed).unwrap();
    assert_eq!(updated.version, 2);
    store
        .deactivate_employee(
            &a,
            &created.id,
            2,
            &Deactivation {
                reason: InactiveReason::Mutasi,
                note: "ke Medan Labuhan".into(),
            },
        )
        .unwrap();
    let outbox = store.pending_outbox().unwrap();
    assert_eq!(outbox.len(), 3);
    assert_eq!((outbox[2].base_version, outbox[2].version), (2, 3));
    let payload: serde_json::Value = serde_json::from_str(&outbox[2].payload).unwrap();
    assert_eq!(payload["inactive_reason"], "Mutasi");

    // A refused change writes neither the row nor an outbox entry.
    let err = store
        .create_employee(&a, &input("198503122010011002", "Duplikat"))
        .unwrap_err();
    assert_eq!(err.code().to_string(), "validation");
    assert_eq!(outbox_count(&store), 3);
}

/// Nobody is registered before they are appointed (#17's rule fixes): a NIP whose TMT has not
/// come on the laptop's "today" is mistyped, and refused at the NIP with nothing written.
#[test]
fn a_nip_whose_tmt_has_not_come_is_refused() {
    let (_dir, mut store) = store();
    let a = admin(&mut store);
    store
        .pin_today(chrono::NaiveDate::from_ymd_opt(2026, 12, 7).unwrap())
        .unwrap();
    let before = outbox_count(&store);
    let err = store
        .create_employee(&a, &input("199203012027011002", "Belum Diangkat"))
        .unwrap_err();
    assert_eq!(err.code().to_string(), "validation");
    assert!(
        err.to_string()
            .contains("TMT pada NIP (2027-01) belum tiba"),
        "{err}"
    );
    assert_eq!(outbox_count(&store), before);
    // The month it comes, they are registered.
    store
        .create_employee(&a, &input("199203012026121002", "Sudah Diangkat"))
        .unwrap();
}

#[test]
fn employee_ids_come_from_the_nip_and_the_database_has_its_own_uuid() {
    let (_dir, mut here) = store();
    let a = admin(&mut here);
    let e = here
        .create_employee(&a, &input("198503122010011002", "Ahmad"))
        .unwrap();
    // The same NIP registered on two laptops is one row (DESIGN §5: natural-key UUIDv5).
    assert_eq!(uuid::Uuid::parse_str(&e.id).unwrap().get_version_num(), 5);
    let (_other_dir, mut other) = store();
    let b = admin(&mut other);
    let again = other
        .create_employee(&b, &input("198503122010011002", "Ahmad"))
        .unwrap();
    assert_eq!(again.id, e.id);
    let info = here.info().unwrap();
    assert!(uuid::Uuid::parse_str(&info.database_id).is_ok());
    assert_eq!(info.office.unwrap().code, "TERJUN");
}

#[test]
fn duplicate_nip_is_refused_naming_the_holder() {
    let (_dir, mut store) = store();
    let a = admin(&mut store);
    store
        .create_employee(&a, &input("198503122010011002", "Ahmad Fauzi"))
        .unwrap();
    let err = store
        .create_employee(&a, &input("19850312 201001 1 002", "Orang Lain"))
        .unwrap_err();
    assert!(
        err.to_string()
            .contains("sudah terdaftar atas nama Ahmad Fauzi (Kelurahan Terjun)"),
        "{err}"
    );
    assert_eq!(
        store
            .list_employees(&a, &EmployeeQuery::default())
            .unwrap()
            .len(),
        1
    );
}

#[test]
fn atasan_chains_may_not_form_cycles() {
    let (_dir, mut store) = store();
    let a = admin(&mut store);
    let lurah = store
        .create_employee(&a, &input("197501012000031001", "Lurah"))
        .unwrap();
    let mut sekel = input("198001012005031002", "Sekel");
    sekel.atasan_id = Some(lurah.id.clone());
    let sekel = store.create_employee(&a, &sekel).unwrap();
    let mut staf = input("199001012015031003", "Staf");
    staf.atasan_id = Some(sekel.id.clone());
    let staf = store.create_employee(&a, &staf).unwrap();

    let mut lurah_input = input("197501012000031001", "Lurah");
    lurah_input.atasan_id = Some(staf.id.clone());
    let err = store
        .update_employee(&a, &lurah.id, 1, &lurah_input)
        .unwrap_err();
    assert!(err.to_string().contains("lingkaran"), "{err}");
    lurah_input.atasan_id = Some(lurah.id.clone());
    let err = store
        .update_employee(&a, &lurah.id, 1, &lurah_input)
        .unwrap_err();
    assert!(err.to_string().contains("dirinya sendiri"), "{err}");
    assert_eq!(
        store
            .employee_detail(&a, &lurah.id)
            .unwrap()
            .employee
            .atasan_id,
        None
    );
}

#[test]
fn stale_edits_are_refused() {
    let (_dir, mut store) = store();
    let a = admin(&mut store);
    let e = store
        .create_employee(&a, &input("198503122010011002", "Ahmad"))
        .unwrap();
    store
        .update_employee(&a, &e.id, 1, &input("198503122010011002", "Ahmad F"))
        .unwrap();
    let err = store
        .update_employee(&a, &e.id, 1, &input("198503122010011002", "Ahmad X"))
        .unwrap_err();
    assert_eq!(err.code().to_string(), "version_conflict");
    assert_eq!(
        store.employee_detail(&a, &e.id).unwrap().employee.name,
        "Ahmad F"
    );
}

#[test]
fn an_atasan_with_active_reports_cannot_be_deactivated() {
    let (_dir, mut store) = store();
    let a = admin(&mut store);
    let lurah = store
        .create_employee(&a, &input("197501012000031001", "Lurah"))
        .unwrap();
    let mut staf = input("199001012015031003", "Staf");
    staf.atasan_id = Some(lurah.id.clone());
    store.create_employee(&a, &staf).unwrap();
    let change = Deactivation {
        reason: InactiveReason::Pensiun,
        note: String::new(),
    };
    let err = store
        .deactivate_employee(&a, &lurah.id, 1, &change)
        .unwrap_err();
    assert!(
        err.to_string()
            .contains("masih menjadi atasan langsung dari 1 pegawai aktif"),
        "{err}"
    );
}

#[test]
fn list_searches_filters_and_sorts() {
    let dir = tempfile::tempdir().unwrap();
    let (mut store, a) = crate::common::create(dir.path(), "KEC-MARELAN", true, PW);
    let all = store.list_employees(&a, &EmployeeQuery::default()).unwrap();
    assert!(all.len() >= 40);
    let names: Vec<_> = all.iter().map(|e| e.name.to_lowercase()).collect();
    assert!(names.windows(2).all(|w| w[0] <= w[1]), "sorted by name");

    let found = store
        .list_employees(
            &a,
            &EmployeeQuery {
                search: "nasution".into(),
                ..Default::default()
            },
        )
        .unwrap();
    assert!(
        !found.is_empty()
            && found
                .iter()
                .all(|e| e.name.to_lowercase().contains("nasution"))
    );
    let by_nip = store
        .list_employees(
            &a,
            &EmployeeQuery {
                search: all[3].nip[..12].to_string(),
                ..Default::default()
            },
        )
        .unwrap();
    assert!(by_nip.iter().any(|e| e.id == all[3].id));

    let terjun = store
        .list_employees(
            &a,
            &EmployeeQuery {
                office_id: Some(office_id("TERJUN")),
                ..Default::default()
            },
        )
        .unwrap();
    assert_eq!(terjun.len(), 8);
    let pppk = store
        .list_employees(
            &a,
            &EmployeeQuery {
                status: Some(EmploymentStatus::Pppk),
                ..Default::default()
            },
        )
        .unwrap();
    assert!(!pppk.is_empty() && pppk.iter().all(|e| e.status == EmploymentStatus::Pppk));
    let inactive = store
        .list_employees(
            &a,
            &EmployeeQuery {
                active: Some(false),
                ..Default::default()
            },
        )
        .unwrap();
    assert_eq!(inactive.len(), 1);

    let by_golongan = store
        .list_employees(
            &a,
            &EmployeeQuery {
                sort: EmployeeSort::Golongan,
                descending: true,
                ..Default::default()
            },
        )
        .unwrap();
    assert_eq!(
        by_golongan
            .iter()
            .find(|e| e.status != EmploymentStatus::Pppk)
            .unwrap()
            .golongan,
        "IV/b"
    );

    // The Camat has every Lurah as a direct report.
    let camat = all.iter().find(|e| e.jabatan == "Camat").unwrap();
    let detail = store.employee_detail(&a, &camat.id).unwrap();
    assert_eq!(
        detail
            .reports
            .iter()
            .filter(|r| r.jabatan == "Lurah")
            .count(),
        5
    );
}

#[test]
fn a_fifty_row_file_with_three_bad_nips_imports_nothing_and_names_those_rows() {
    let (_dir, mut store) = hq_store();
    let a = admin(&mut store);
    let mut table = vec![header_cells()];
    let demo = pelita_core::demo::demo_employees();
    for e in demo.iter().take(50) {
        table.push(e.to_cells());
    }
    let mut n = demo.len();
    while table.len() < 51 {
        let mut extra = demo[10].clone();
        extra.nip = format!("19900101201503{}{:03}", 1, 200 + n);
        extra.atasan_nip = None;
        extra.birth_date = None;
        extra.sex = None;
        table.push(extra.to_cells());
        n += 1;
    }
    assert_eq!(table.len(), 51);
    // Rows 7, 23 and 42 of the sheet get invalid NIPs (the header is row 1).
    table[6][0] = "198513012010011002".into(); // month 13
    table[22][0] = "19850312201001100".into(); // 17 digits
    table[41][0] = "198503122010013002".into(); // sex digit 3
    for row in [6usize, 22, 41] {
        // Nobody may point at the broken rows, or their reports would be reported too.
        let old = pelita_core::demo::demo_employees()
            .get(row - 1)
            .map(|e| e.nip.clone());
        for r in table.iter_mut().skip(1) {
            if Some(&r[12]) == old.as_ref() {
                r[12] = String::new();
            }
        }
    }
    let before = store.pending_outbox().unwrap().len();
    let report = store.import_employees(&a, &table, Mode::Commit).unwrap();
    assert_eq!(report.imported, 0);
    let rows: Vec<_> = report
        .errors
        .iter()
        .map(|e| (e.row, e.column.as_str()))
        .collect();
    assert_eq!(
        rows,
        vec![(7, "NIP"), (23, "NIP"), (42, "NIP")],
        "{:#?}",
        report.errors
    );
    assert_eq!(
        store
            .list_employees(&a, &EmployeeQuery::default())
            .unwrap()
            .len(),
        0
    );
    assert_eq!(store.pending_outbox().unwrap().len(), before);
}

#[test]
fn import_resolves_atasan_in_any_order_and_detects_cycles() {
    let (_dir, mut store) = store();
    let a = admin(&mut store);
    let header = vec![
        "NIP",
        "Nama",
        "Status Kepegawaian",
        "Golongan",
        "Jabatan",
        "Jenis Jabatan",
        "Kode Kantor",
        "NIP Atasan Langsung",
    ];
    fn row<'a>(nip: &'a str, atasan: &'a str) -> Vec<&'a str> {
        vec![
            nip,
            "Nama",
            "PNS",
            "III/a",
            "Staf",
            "Pelaksana",
            "TERJUN",
            atasan,
        ]
    }
    let to_table = |rows: Vec<Vec<&str>>| {
        rows.into_iter()
            .map(|r| r.into_iter().map(String::from).collect())
            .collect::<Vec<Vec<String>>>()
    };

    // The report comes before its atasan in the file.
    let table = to_table(vec![
        header.clone(),
        row("199001012015031003", "197501012000031001"),
        row("197501012000031001", ""),
    ]);
    let report = store.import_employees(&a, &table, Mode::Commit).unwrap();
    assert_eq!(report.errors, vec![]);
    assert_eq!(report.imported, 2);
    let staf = store
        .list_employees(
            &a,
            &EmployeeQuery {
                search: "199001012015031003".into(),
                ..Default::default()
            },
        )
        .unwrap();
    assert_eq!(staf[0].atasan_nip.as_deref(), Some("197501012000031001"));

    // Two rows naming each other: both are reported, nothing is written.
    let table = to_table(vec![
        header.clone(),
        row("198001012005031002", "198101012006031004"),
        row("198101012006031004", "198001012005031002"),
    ]);
    let report = store.import_employees(&a, &table, Mode::Commit).unwrap();
    assert_eq!(report.imported, 0);
    assert_eq!(
        report
            .errors
            .iter()
            .map(|e| (e.row, e.column.as_str()))
            .collect::<Vec<_>>(),
        vec![(2, "NIP Atasan Langsung"), (3, "NIP Atasan Langsung")]
    );

    // A NIP already in the register, and an unknown office.
    let mut other_office = row("198201012007031005", "");
    other_office[6] = "MEDAN-KOTA";
    let table = to_table(vec![header, row("197501012000031001", ""), other_office]);
    let report = store.import_employees(&a, &table, Mode::Commit).unwrap();
    assert_eq!(
        report
            .errors
            .iter()
            .map(|e| (e.row, e.column.as_str()))
            .collect::<Vec<_>>(),
        vec![(2, "NIP"), (3, "Kode Kantor")]
    );
    assert_eq!(
        store
            .list_employees(&a, &EmployeeQuery::default())
            .unwrap()
            .len(),
        2
    );
}

#[test]
fn preview_checks_everything_and_writes_nothing() {
    let (_dir, mut store) = hq_store();
    let a = admin(&mut store);
    let mut table = vec![header_cells()];
    table.extend(
        pelita_core::demo::demo_employees()
            .iter()
            .map(|e| e.to_cells()),
    );
    let report = store.import_employees(&a, &table, Mode::Preview).unwrap();
    assert_eq!(report.errors, vec![]);
    assert_eq!(report.imported, 0);
    assert_eq!(report.rows.len(), table.len() - 1);
    assert_eq!(
        store
            .list_employees(&a, &EmployeeQuery::default())
            .unwrap()
            .len(),
        0
    );
    assert_eq!(store.pending_outbox().unwrap().len(), 0);
}

#[test]
fn setup_twice_and_unknown_offices_are_refused() {
    let (dir, store) = store();
    let setup = |office: &str| pelita_store::Setup {
        office_code: office.into(),
        load_demo: false,
        username: "admin".into(),
        full_name: "Admin".into(),
        password: PW.into(),
    };
    assert_eq!(
        Store::create(store.path(), &setup("TERJUN"))
            .err()
            .unwrap()
            .code(),
        pelita_store::ErrorCode::AlreadySetUp
    );
    let fresh = dir.path().join("b.sqlite");
    assert_eq!(
        Store::unlock(&fresh, "admin", PW).err().unwrap().code(),
        pelita_store::ErrorCode::NotSetUp
    );
    let err = Store::create(&fresh, &setup("MEDAN-KOTA")).err().unwrap();
    assert_eq!(
        err.to_string(),
        "kantor dengan kode 'MEDAN-KOTA' tidak ditemukan"
    );
    assert!(!fresh.exists());
}

#[test]
fn an_exported_register_never_carries_a_formula_and_imports_back_unchanged() {
    let (dir, mut s) = store();
    let a = admin(&mut s);
    let mut risky = input("198503122010011002", "Ahmad Fauzi");
    risky.jabatan = "=2+5".into();
    s.create_employee(&a, &risky).unwrap();
    let file = dir.path().join("pegawai.csv");
    s.export_employee_file(&a, &file).unwrap();
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(text.contains("'=2+5"), "{text}");
    assert!(
        !text.contains(",=2+5"),
        "a spreadsheet would run it: {text}"
    );
    let table = pelita_sheet::read("pegawai.csv", text.as_bytes()).unwrap();
    assert!(table.iter().any(|row| row.iter().any(|c| c == "=2+5")));
    // Into another laptop's register, the jabatan arrives as it was typed.
    let (_other_dir, mut other) = store();
    let b = admin(&mut other);
    let report = other
        .import_employee_file(&b, "pegawai.csv", text.as_bytes(), Mode::Commit)
        .unwrap();
    assert!(report.errors.is_empty(), "{:?}", report.errors);
    let rows = other.list_employees(&b, &Default::default()).unwrap();
    assert_eq!(rows[0].jabatan, "=2+5");
}
