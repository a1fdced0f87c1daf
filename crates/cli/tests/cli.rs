//! The `pelita` binary, run as a user would run it.

mod common;

use common::*;

#[test]
fn init_demo_list_json_export_and_reimport() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a.sqlite");
    let out = init(&a, &["--office", "TERJUN", "--demo"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("Kelurahan Terjun"));

    let out = as_admin(&a, &["employee", "list", "--json", "--all"]);
    assert!(out.status.success());
    let rows: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(rows.as_array().unwrap().len(), 46);
    assert!(rows[0]["nip"].as_str().unwrap().len() == 18);

    for ext in ["xlsx", "csv"] {
        let file = dir.path().join(format!("pegawai.{ext}"));
        let out = as_admin(&a, &["employee", "export", file.to_str().unwrap()]);
        assert!(out.status.success(), "{}", stderr(&out));
        let b = dir.path().join(format!("b-{ext}.sqlite"));
        assert!(init(&b, &["--office", "KEC-MARELAN"]).status.success());
        let out = as_admin(&b, &["employee", "import", file.to_str().unwrap()]);
        assert!(out.status.success(), "{}", stderr(&out));
        assert!(stdout(&out).contains("46 pegawai diimpor"));
        let again = dir.path().join(format!("again.{ext}"));
        assert!(
            as_admin(&b, &["employee", "export", again.to_str().unwrap()])
                .status
                .success()
        );
        if ext == "csv" {
            assert_eq!(
                std::fs::read(&file).unwrap(),
                std::fs::read(&again).unwrap()
            );
        }
    }
}

#[test]
fn bad_import_exits_non_zero_naming_file_row_and_column_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("a.sqlite");
    assert!(init(&db, &["--office", "PAYA-PASIR"]).status.success());
    let file = dir.path().join("baru.csv");
    std::fs::write(
        &file,
        "NIP,Nama,Status Kepegawaian,Golongan,Jabatan,Jenis Jabatan,Kode Kantor\n\
         198503122010011002,Ahmad,PNS,III/a,Staf,Pelaksana,PAYA-PASIR\n\
         198503122010011,Budi,PNS,III/a,Staf,Pelaksana,PAYA-PASIR\n",
    )
    .unwrap();
    let out = as_admin(&db, &["employee", "import", file.to_str().unwrap()]);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(
        err.contains("baru.csv, baris 3, kolom NIP: NIP harus terdiri dari 18 digit"),
        "{err}"
    );
    assert!(err.contains("tidak ada pegawai yang diimpor"), "{err}");
    let out = as_admin(&db, &["employee", "list", "--json"]);
    assert_eq!(stdout(&out).trim(), "[]");
    // Without an account nothing is shown at all.
    let out = pelita(&db, &["employee", "list"]);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("membutuhkan --user"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn unknown_office_and_format_are_explained() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("a.sqlite");
    let out = init(&db, &["--office", "NOWHERE"]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("kantor dengan kode 'NOWHERE' tidak ditemukan"));
    assert!(init(&db, &["--office", "TERJUN"]).status.success());
    let out = as_admin(
        &db,
        &[
            "employee",
            "export",
            dir.path().join("x.pdf").to_str().unwrap(),
        ],
    );
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("gunakan .xlsx atau .csv"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn first_admin_users_and_audit_verify_naming_the_altered_entry() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("a.sqlite");
    let out = command(&db)
        .args(["init", "--office", "TERJUN", "--admin", "camat"])
        .env("PELITA_PASSWORD", "Sandi-Admin-Kuat-1")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));

    let add = |name: &str, role: &str| {
        pelita_as(
            &db,
            "camat",
            "Sandi-Admin-Kuat-1",
            Some("Sandi-Operator-2"),
            &[
                "user",
                "add",
                name,
                "--name",
                "Operator Satu",
                "--role",
                role,
            ],
        )
    };
    let out = add("operator1", "Operator");
    assert!(out.status.success(), "{}", stderr(&out));
    let out = pelita_as(&db, "camat", "salah-sekali-99", None, &["user", "list"]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("nama pengguna atau kata sandi salah"));
    let out = pelita_as(
        &db,
        "operator1",
        "Sandi-Operator-2",
        Some("Sandi-Lain-Lagi-3"),
        &["user", "add", "x", "--name", "X", "--role", "Operator"],
    );
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("Anda tidak berhak mengelola akun pengguna"),
        "{}",
        stderr(&out)
    );

    let out = pelita_as(
        &db,
        "camat",
        "Sandi-Admin-Kuat-1",
        None,
        &["audit", "verify"],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("Log audit utuh"));

    // Alter one row with raw SQL through the decrypted connection, as someone holding a
    // password and the file could.
    let (store, _) = pelita_store::Store::unlock(&db, "camat", "Sandi-Admin-Kuat-1").unwrap();
    let conn = store.connection();
    conn.execute_batch("DROP TRIGGER audit_log_no_update")
        .unwrap();
    conn.execute(
        "UPDATE audit_log SET actor = 'orang-lain' WHERE seq = 3",
        [],
    )
    .unwrap();
    drop(store);
    let out = pelita_as(
        &db,
        "camat",
        "Sandi-Admin-Kuat-1",
        None,
        &["audit", "verify"],
    );
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("log audit rusak mulai entri 3: isi entri telah diubah"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn init_demo_prints_one_account_per_role_once() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("a.sqlite");
    let out = pelita(&db, &["init", "--office", "TERJUN", "--demo"]);
    let text = stdout(&out);
    for role in ["Admin Kecamatan", "Operator", "Penilai", "Pegawai"] {
        assert!(text.contains(role), "{text}");
    }
    assert!(text.contains("HANYA untuk mencoba"));
}

#[test]
fn a_pegawai_exports_their_own_record_and_the_admin_sees_it_in_the_log() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("a.sqlite");
    assert!(init(&db, &["--office", "TERJUN", "--demo"])
        .status
        .success());
    let out = as_admin(&db, &["employee", "list", "--json", "--office", "TERJUN"]);
    let staff: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let nip = staff
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["jabatan"] == "Pelaksana")
        .unwrap()["nip"]
        .as_str()
        .unwrap()
        .to_string();
    let out = pelita_as(
        &db,
        "camat",
        ADMIN_PW,
        Some("Sandi-Pegawai-Ok-4"),
        &[
            "user", "add", "staf", "--name", "Staf", "--role", "Pegawai", "--nip", &nip,
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));

    let file = dir.path().join("data-saya.json");
    let out = pelita_as(
        &db,
        "staf",
        "Sandi-Pegawai-Ok-4",
        None,
        &["me", "export", file.to_str().unwrap()],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    assert_eq!(json["employee"]["nip"], nip.as_str());
    // A Pegawai cannot read the register, nor the log.
    assert!(!pelita_as(
        &db,
        "staf",
        "Sandi-Pegawai-Ok-4",
        None,
        &["employee", "list"]
    )
    .status
    .success());
    assert!(
        !pelita_as(&db, "staf", "Sandi-Pegawai-Ok-4", None, &["audit", "list"])
            .status
            .success()
    );

    let out = as_admin(
        &db,
        &[
            "audit", "list", "--actor", "staf", "--action", "export", "--json",
        ],
    );
    let rows: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(rows.as_array().unwrap().len(), 1);
    assert_eq!(rows[0]["entity"], "own_record");
}

#[test]
fn init_without_an_admin_is_refused_with_the_reason() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("a.sqlite");
    let out = pelita(&db, &["init", "--office", "TERJUN"]);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("--admin NAMA wajib"),
        "{}",
        stderr(&out)
    );
    assert!(!db.exists());
}

#[test]
fn encrypted_file_password_change_backup_and_restore() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("a.sqlite");
    assert!(init(&db, &["--office", "TERJUN", "--demo"])
        .status
        .success());
    let head = std::fs::read(&db).unwrap();
    assert_ne!(&head[..16], b"SQLite format 3\0");

    let backup = dir.path().join("cadangan.pelita");
    let out = as_admin(&db, &["backup", backup.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("Cadangan terenkripsi disimpan"));

    // After a password change the CLI opens the database with the new password only.
    let new_pw = "Sandi-Admin-Baru-2";
    let out = pelita_as(&db, "camat", ADMIN_PW, Some(new_pw), &["user", "passwd"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(!as_admin(&db, &["user", "list"]).status.success());
    let list = |db: &Path, pw: &str| {
        let out = pelita_as(db, "camat", pw, None, &["user", "list"]);
        assert!(out.status.success(), "{}", stderr(&out));
        stdout(&out)
    };
    let out = pelita_as(
        &db,
        "camat",
        new_pw,
        Some("Sandi-Operator-2"),
        &[
            "user",
            "add",
            "belakangan",
            "--name",
            "B",
            "--role",
            "Operator",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(list(&db, new_pw).contains("belakangan"));

    let out = pelita_as(
        &db,
        "camat",
        new_pw,
        None,
        &["restore", backup.to_str().unwrap()],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("pemulihan ke-1"), "{}", stdout(&out));
    let users = list(&db, new_pw);
    assert!(
        !users.contains("belakangan"),
        "the account added after the backup is gone"
    );

    // A laptop without a database restores with the password valid when the backup was made.
    let fresh = dir.path().join("baru.sqlite");
    let out = pelita_as(
        &fresh,
        "camat",
        ADMIN_PW,
        None,
        &["restore", backup.to_str().unwrap()],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(list(&fresh, ADMIN_PW).contains("operator"));

    let junk = dir.path().join("bukan.pelita");
    std::fs::write(&junk, b"bukan cadangan").unwrap();
    let out = pelita_as(
        &db,
        "camat",
        new_pw,
        None,
        &["restore", junk.to_str().unwrap()],
    );
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("bukan berkas cadangan Pelita"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_penilai_lists_their_direct_reports_for_a_period() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("a.sqlite");
    assert!(init(&db, &["--office", "TERJUN", "--demo"])
        .status
        .success());
    let out = as_admin(&db, &["employee", "list", "--json", "--office", "TERJUN"]);
    let staff: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let staff = staff.as_array().unwrap();
    let lurah = staff.iter().find(|e| e["jabatan"] == "Lurah").unwrap();
    let mut reports: Vec<&str> = staff
        .iter()
        .filter(|e| e["atasan_id"] == lurah["id"])
        .map(|e| e["nip"].as_str().unwrap())
        .collect();
    reports.sort();
    let pw = "Sandi-Kepala-Terjun-7";
    let nip = lurah["nip"].as_str().unwrap();
    let out = pelita_as(
        &db,
        "camat",
        ADMIN_PW,
        Some(pw),
        &[
            "user", "add", "lurah", "--name", "Lurah", "--role", "Pegawai", "--nip", nip,
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));

    let out = pelita_as(&db, "lurah", pw, None, &["appraisal", "list", "--json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let lines: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let mut listed: Vec<&str> = lines
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["employee"]["nip"].as_str().unwrap())
        .collect();
    listed.sort();
    assert_eq!(listed, reports);

    let out = pelita_as(
        &db,
        "lurah",
        pw,
        None,
        &[
            "appraisal",
            "list",
            "--year",
            "2026",
            "--period",
            "Triwulan V",
        ],
    );
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("periode 'Triwulan V' tidak dikenal"),
        "{}",
        stderr(&out)
    );
    let out = as_admin(
        &db,
        &["appraisal", "list", "--period", "Bulanan", "--month", "13"],
    );
    assert!(!out.status.success());
    assert!(stderr(&out).contains("bulan 1–12"), "{}", stderr(&out));
}

#[test]
fn appraisals_export_and_import_and_a_final_one_cannot_be_changed_by_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("a.sqlite");
    assert!(init(&db, &["--office", "TERJUN", "--demo"])
        .status
        .success());
    let pw = "Sandi-Kepala-Terjun-7";
    // The Lurah signs one appraisal through the store (the app's path); the CLI moves files.
    let (mut store, admin) = pelita_store::Store::unlock(&db, "camat", ADMIN_PW).unwrap();
    let everyone = store
        .list_employees(&admin, &pelita_store::EmployeeQuery::default())
        .unwrap();
    let lurah = everyone
        .iter()
        .find(|e| e.office_code == "TERJUN" && e.jabatan == "Lurah")
        .unwrap();
    let staff = everyone
        .iter()
        .find(|e| e.atasan_id.as_deref() == Some(lurah.id.as_str()))
        .unwrap();
    store
        .add_user(
            &admin,
            &pelita_store::NewUser {
                username: "lurah".into(),
                full_name: "Lurah".into(),
                roles: vec![pelita_core::auth::Role::Pegawai],
                office_code: None,
                employee_nip: Some(lurah.nip.clone()),
                password: pw.into(),
            },
        )
        .unwrap();
    let as_lurah = store.login("lurah", pw).unwrap();
    let period = store.current_period();
    let input = pelita_core::appraisal::form::AppraisalInput {
        employee_id: staff.id.clone(),
        year: period.year,
        period: period.period,
        month: None,
        items: vec![pelita_core::appraisal::form::RhkItem {
            jenis: pelita_core::appraisal::form::RhkJenis::Utama,
            indikator: "Laporan kegiatan".into(),
            aspek: pelita_core::appraisal::Aspect::Kuantitas,
            target: 3.0,
            realisasi: Some(3.0),
            satuan: "laporan".into(),
            umpan_balik: String::new(),
            uraian_target: None,
        }],
        behaviour: pelita_core::appraisal::CoreValue::ALL
            .into_iter()
            .map(|value| pelita_core::appraisal::form::BehaviourRating {
                value,
                rating: Some(pelita_core::appraisal::Rating::Sesuai),
                ekspektasi: String::new(),
                umpan_balik: String::new(),
            })
            .collect(),
        hasil_kerja: Some(pelita_core::appraisal::Rating::Sesuai),
        perilaku_kerja: Some(pelita_core::appraisal::Rating::Sesuai),
    };
    let draft = store.save_appraisal(&as_lurah, None, 0, &input).unwrap();
    store
        .finalize_appraisal(&as_lurah, &draft.id, draft.version, pw)
        .unwrap();
    drop(store);

    let file = dir.path().join("penilaian.csv");
    let out = pelita_as(
        &db,
        "lurah",
        pw,
        None,
        &["appraisal", "export", file.to_str().unwrap()],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("1 penilaian diekspor"));

    // The same file into the same database: the Final appraisal is not touched.
    let mut text = std::fs::read_to_string(&file).unwrap();
    text = text.replace("Sesuai Ekspektasi", "Di Atas Ekspektasi");
    std::fs::write(&file, text).unwrap();
    let out = pelita_as(
        &db,
        "lurah",
        pw,
        None,
        &["appraisal", "import", file.to_str().unwrap()],
    );
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("baris 2, kolom Periode")
            && stderr(&out).contains("sudah mempunyai penilaian Final"),
        "{}",
        stderr(&out)
    );
    let out = pelita_as(&db, "lurah", pw, None, &["appraisal", "list", "--json"]);
    let lines: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let signed = lines
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["employee"]["id"] == staff.id.as_str())
        .unwrap();
    assert_eq!(signed["predicate"], "Baik", "still the signed predicate");
}

#[test]
fn training_list_and_the_siasn_export_need_a_signed_in_user_and_write_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("a.sqlite");
    assert!(init(&db, &["--office", "TERJUN", "--demo"])
        .status
        .success());
    let out = as_admin(&db, &["training", "list", "--json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    // The demo's history: the district catalogue of 2024 and 2025, all held.
    let list: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let list = list.as_array().unwrap();
    assert_eq!(list.len(), 16);
    assert!(list.iter().all(|t| t["status"] == "Selesai"));
    let file = dir.path().join("siasn.xlsx");
    let out = as_admin(
        &db,
        &[
            "training",
            "export",
            file.to_str().unwrap(),
            "--year",
            "2026",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("0 riwayat kursus 2026 diekspor"));
    assert!(file.exists());
    let out = pelita(&db, &["training", "list"]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("--user NAMA"), "{}", stderr(&out));
}
