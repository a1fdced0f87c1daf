//! `pelita training import|export` and `pelita attendance import|export`, run as an operator
//! would: a catalogue file, a participants file, then the exported attendance sheet filled in.

mod common;

use common::*;

fn write(path: &Path, rows: &[Vec<String>]) {
    pelita_sheet::write(path, &rows.to_vec()).unwrap();
}

fn cells(row: &[&str]) -> Vec<String> {
    row.iter().map(|c| c.to_string()).collect()
}

#[test]
fn a_training_its_participants_and_their_attendance_come_in_from_files() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("a.sqlite");
    assert!(init(&db, &["--office", "TERJUN", "--demo"])
        .status
        .success());

    let catalogue = dir.path().join("pelatihan.csv");
    let training = |date: &str, from: &str, to: &str| {
        cells(&[
            "Bimtek Pelayanan Prima",
            "Pelayanan Publik",
            "Bimbingan Teknis",
            "Kecamatan",
            "TERJUN",
            "Aula",
            "2026-03-02",
            "2026-03-03",
            "8",
            "2",
            "Ya",
            "100",
            "Berbasis proyek",
            date,
            from,
            to,
            "Menjawab pengaduan warga dalam 3 hari kerja; Memakai templat surat yang baru",
        ])
    };
    write(
        &catalogue,
        &[
            pelita_core::training::sheet::headers(&pelita_core::training::sheet::CATALOGUE_COLUMNS),
            training("2026-03-02", "08:00", "11:00"),
            training("2026-03-03", "8.00", "11.00"),
        ],
    );
    let file = catalogue.to_str().unwrap();
    let out = as_admin(&db, &["training", "import", file, "--dry-run"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("1 pelatihan akan diimpor"),
        "{}",
        stdout(&out)
    );
    let list = |db: &Path| -> Vec<serde_json::Value> {
        let list: serde_json::Value =
            serde_json::from_slice(&as_admin(db, &["training", "list", "--json"]).stdout).unwrap();
        list.as_array().unwrap().clone()
    };
    // The demo's own history (2024-2025) is there already.
    let demo = 16;
    assert_eq!(list(&db).len(), demo, "a dry run writes nothing");
    let out = as_admin(&db, &["training", "import", file]);
    assert!(out.status.success(), "{}", stderr(&out));
    let trainings = list(&db);
    assert_eq!(trainings.len(), demo + 1);
    let imported = trainings
        .iter()
        .find(|t| t["input"]["title"] == "Bimtek Pelayanan Prima")
        .unwrap();
    let id = imported["id"].as_str().unwrap().to_string();
    assert_eq!(imported["session_ids"].as_array().unwrap().len(), 2);
    // The learning objectives came from their column, one per ";".
    assert_eq!(
        imported["input"]["objectives"],
        serde_json::json!([
            "Menjawab pengaduan warga dalam 3 hari kerja",
            "Memakai templat surat yang baru"
        ])
    );

    // The same file again is refused, naming the row.
    let out = as_admin(&db, &["training", "import", file]);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("baris 2, kolom Judul Pelatihan: pelatihan 'Bimtek Pelayanan Prima' milik TERJUN yang mulai 2026-03-02 sudah ada"),
        "{}",
        stderr(&out)
    );

    let staff: serde_json::Value = serde_json::from_slice(
        &as_admin(&db, &["employee", "list", "--office", "TERJUN", "--json"]).stdout,
    )
    .unwrap();
    let nips: Vec<&str> = (0..3).map(|i| staff[i]["nip"].as_str().unwrap()).collect();
    let people = dir.path().join("peserta.xlsx");
    let mut rows = vec![cells(&["Judul Pelatihan", "Tanggal Mulai", "NIP"])];
    for nip in &nips {
        rows.push(cells(&["Bimtek Pelayanan Prima", "02-03-2026", nip]));
    }
    write(&people, &rows);
    let out = as_admin(
        &db,
        &[
            "training",
            "import",
            "--participants",
            people.to_str().unwrap(),
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("3 peserta diimpor")
            && stdout(&out).contains("1 masuk daftar tunggu"),
        "{}",
        stdout(&out)
    );

    let sheet = dir.path().join("kehadiran.xlsx");
    let out = as_admin(
        &db,
        &[
            "attendance",
            "export",
            sheet.to_str().unwrap(),
            "--training",
            &id,
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("4 baris kehadiran"),
        "two enrolled × two sessions"
    );
    let mut rows = pelita_sheet::read("kehadiran.xlsx", &std::fs::read(&sheet).unwrap()).unwrap();
    for row in rows.iter_mut().skip(1) {
        row[7] = "Hadir".into();
    }
    rows[2][7] = "Izin".into();
    write(&sheet, &rows);
    let out = as_admin(&db, &["attendance", "import", sheet.to_str().unwrap()]);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("baris 3, kolom Alasan") && stderr(&out).contains("pilih alasannya"),
        "{}",
        stderr(&out)
    );
    rows[2][8] = "tugas kantor".into();
    write(&sheet, &rows);
    let out = as_admin(&db, &["attendance", "import", sheet.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("4 kehadiran diimpor"),
        "{}",
        stdout(&out)
    );
    let out = as_admin(&db, &["attendance", "import", sheet.to_str().unwrap()]);
    assert!(
        stdout(&out).contains("0 kehadiran diimpor")
            && stdout(&out).contains("4 sudah tercatat sama"),
        "{}",
        stdout(&out)
    );

    let out = as_admin(&db, &["training", "export", "katalog.csv"]);
    assert!(!out.status.success(), "the SIASN export needs a year");
    let copy = dir.path().join("katalog.csv");
    let out = as_admin(
        &db,
        &["training", "export", copy.to_str().unwrap(), "--catalogue"],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    // The newest first: the imported training, then the demo's history.
    assert_eq!(
        pelita_sheet::read("katalog.csv", &std::fs::read(&copy).unwrap()).unwrap()[1..3],
        [
            training("2026-03-02", "08:00", "11:00"),
            training("2026-03-03", "08:00", "11:00")
        ]
    );
}

#[test]
fn jp_lists_every_employee_of_the_year_with_what_is_missing() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("a.sqlite");
    assert!(init(&db, &["--office", "TERJUN", "--demo"])
        .status
        .success());
    let out = as_admin(
        &db,
        &["jp", "--year", "2026", "--office", "TERJUN", "--json"],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let lines: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let lines = lines.as_array().unwrap();
    assert!(!lines.is_empty());
    for l in lines {
        assert_eq!(l["office_code"], "TERJUN");
        assert_eq!(l["jp"], 0, "nothing recorded yet");
        // The 20 JP are owed to a PNS; a CPNS is on Latsar, a PPPK has a ceiling.
        let pns = l["status"] == "PNS";
        assert_eq!(
            (
                l["below_target"] == pns,
                l["missing"] == if pns { 20 } else { 0 }
            ),
            (true, true)
        );
        assert!(l["status"] != "CPNS" || l["standing"] == "Latsar", "{l}");
        assert!(l["nip"].as_str().unwrap().len() == 18);
    }
    let out = as_admin(&db, &["jp", "--year", "2026", "--office", "NOWHERE"]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("kode kantor 'NOWHERE' tidak dikenal"));
}
