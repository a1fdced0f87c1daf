//! The `pelita` binary, run as a user would run it.

use std::path::Path;
use std::process::{Command, Output};

fn pelita(db: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_pelita"))
        .arg("--db")
        .arg(db)
        .args(args)
        .env_remove("PELITA_DB")
        .output()
        .expect("pelita runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn init_demo_list_json_export_and_reimport() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a.sqlite");
    let out = pelita(&a, &["init", "--office", "TERJUN", "--demo"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("Kelurahan Terjun"));

    let out = pelita(&a, &["employee", "list", "--json", "--all"]);
    assert!(out.status.success());
    let rows: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(rows.as_array().unwrap().len(), 46);
    assert!(rows[0]["nip"].as_str().unwrap().len() == 18);

    for ext in ["xlsx", "csv"] {
        let file = dir.path().join(format!("pegawai.{ext}"));
        let out = pelita(&a, &["employee", "export", file.to_str().unwrap()]);
        assert!(out.status.success(), "{}", stderr(&out));
        let b = dir.path().join(format!("b-{ext}.sqlite"));
        let out = pelita(&b, &["employee", "import", file.to_str().unwrap()]);
        assert!(out.status.success(), "{}", stderr(&out));
        assert!(stdout(&out).contains("46 pegawai diimpor"));
        let again = dir.path().join(format!("again.{ext}"));
        assert!(pelita(&b, &["employee", "export", again.to_str().unwrap()])
            .status
            .success());
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
    assert!(pelita(&db, &["init", "--office", "PAYA-PASIR"])
        .status
        .success());
    let file = dir.path().join("baru.csv");
    std::fs::write(
        &file,
        "NIP,Nama,Status Kepegawaian,Golongan,Jabatan,Jenis Jabatan,Kode Kantor\n\
         198503122010011002,Ahmad,PNS,III/a,Staf,Pelaksana,PAYA-PASIR\n\
         198503122010011,Budi,PNS,III/a,Staf,Pelaksana,PAYA-PASIR\n",
    )
    .unwrap();
    let out = pelita(&db, &["employee", "import", file.to_str().unwrap()]);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(
        err.contains("baru.csv, baris 3, kolom NIP: NIP harus terdiri dari 18 digit"),
        "{err}"
    );
    assert!(err.contains("tidak ada pegawai yang diimpor"), "{err}");
    let out = pelita(&db, &["employee", "list", "--json"]);
    assert_eq!(stdout(&out).trim(), "[]");
}

#[test]
fn unknown_office_and_format_are_explained() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("a.sqlite");
    let out = pelita(&db, &["init", "--office", "NOWHERE"]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("kantor dengan kode 'NOWHERE' tidak ditemukan"));
    let out = pelita(
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
