//! A kecamatan rolls Pelita out, through the real `pelita` and `pelita-hub` binaries: the hub runs
//! at the Kantor Camat; the Kantor Camat's laptop and two kelurahan laptops are set up from the
//! hub with one-time codes (`pelita init --hub --code`), each for the office its code names. The
//! register is entered once, at the Kantor Camat; nothing about staff is typed on the kelurahan
//! laptops, yet each holds its office's staff after its first sync, under an Admin Kantor who sees
//! exactly that office. An office added at the hub reaches every laptop, and a laptop is set up
//! for it.

mod common;

use common::*;

/// `pelita init --hub URL --code CODE --admin NAME` with `password`.
fn init_from_hub(db: &Path, hub: &HubProcess, office: &str, admin: &str, password: &str) -> Output {
    let code = hub.code(office);
    command(db)
        .args(["init", "--hub", &hub.url, "--code", &code, "--admin", admin])
        .env("PELITA_PASSWORD", password)
        .output()
        .expect("pelita runs")
}

fn run_as(db: &Path, user: &str, args: &[&str]) -> serde_json::Value {
    let out = pelita_as(db, user, ADMIN_PW, None, args);
    assert!(out.status.success(), "pelita {args:?}: {}", stderr(&out));
    serde_json::from_str(&stdout(&out)).unwrap_or(serde_json::Value::Null)
}

fn nips(list: &serde_json::Value) -> Vec<String> {
    let mut nips: Vec<String> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["nip"].as_str().unwrap().to_string())
        .collect();
    nips.sort();
    nips
}

const REGISTER: &str = "NIP,Nama,Status Kepegawaian,Golongan,Jabatan,Jenis Jabatan,Kode Kantor
197001012000011001,Rahmat Lubis,PNS,IV/b,Camat,Struktural,KEC-MARELAN
198001012005011001,Ani Lubis,PNS,III/d,Lurah,Struktural,TERJUN
198202022006011002,Budi Nasution,PNS,II/c,Pelaksana,Pelaksana,TERJUN
198503032008012003,Citra Siregar,PNS,III/d,Lurah,Struktural,PAYA-PASIR
198704042010011004,Dedi Harahap,PNS,II/c,Pelaksana,Pelaksana,PAYA-PASIR
";

#[test]
fn a_kecamatan_sets_its_laptops_up_from_the_hub_and_types_the_register_once() {
    let dir = tempfile::tempdir().unwrap();
    let hub = HubProcess::start(dir.path());

    // The Kantor Camat's laptop: its first account is the Admin Kecamatan.
    let camat = dir.path().join("camat.sqlite");
    let out = init_from_hub(&camat, &hub, "KEC-MARELAN", "camat", ADMIN_PW);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("(Admin Kecamatan)"),
        "{}",
        stdout(&out)
    );
    let register = dir.path().join("register.csv");
    std::fs::write(&register, REGISTER).unwrap();
    run_as(
        &camat,
        "camat",
        &["employee", "import", register.to_str().unwrap()],
    );
    run_as(&camat, "camat", &["sync", "run", "--json"]);

    // A name or a password the laptop would refuse is refused before the code is spent.
    let terjun = dir.path().join("terjun.sqlite");
    let code = hub.code("TERJUN");
    let refused = command(&terjun)
        .args(["init", "--hub", &hub.url, "--code", &code, "--admin", "x"])
        .env("PELITA_PASSWORD", ADMIN_PW)
        .output()
        .unwrap();
    assert!(!refused.status.success());
    assert!(
        stderr(&refused).contains("nama pengguna minimal 3 karakter"),
        "{}",
        stderr(&refused)
    );
    let refused = command(&terjun)
        .args([
            "init", "--hub", &hub.url, "--code", &code, "--admin", "siti",
        ])
        .env("PELITA_PASSWORD", "pendek")
        .output()
        .unwrap();
    assert!(!refused.status.success());
    assert!(
        stderr(&refused).contains("kata sandi minimal"),
        "{}",
        stderr(&refused)
    );
    assert!(!terjun.exists(), "nothing is left behind");
    let out = command(&terjun)
        .args([
            "init", "--hub", &hub.url, "--code", &code, "--admin", "siti",
        ])
        .env("PELITA_PASSWORD", ADMIN_PW)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "the code still works: {}",
        stderr(&out)
    );
    let text = stdout(&out);
    assert!(text.contains("Kelurahan Terjun (TERJUN)"), "{text}");
    assert!(text.contains("(Admin Kantor)"), "{text}");

    let paya = dir.path().join("paya.sqlite");
    let out = init_from_hub(&paya, &hub, "PAYA-PASIR", "rina", ADMIN_PW);
    assert!(out.status.success(), "{}", stderr(&out));

    // Each kelurahan laptop's admin sees its own office's staff, which nobody typed there.
    let own = run_as(&terjun, "siti", &["employee", "list", "--json"]);
    assert_eq!(
        nips(&own),
        ["198001012005011001", "198202022006011002"],
        "{own}"
    );
    let own = run_as(&paya, "rina", &["employee", "list", "--json"]);
    assert_eq!(
        nips(&own),
        ["198503032008012003", "198704042010011004"],
        "{own}"
    );
    let status = run_as(&terjun, "siti", &["sync", "status", "--json"]);
    assert_eq!(
        (status["enrolled"].as_bool(), status["pending"].as_u64()),
        (Some(true), Some(0))
    );

    // An office added at the hub reaches the laptops, and a laptop is set up for it.
    hub.run(&[
        "office",
        "add",
        "--code",
        "TANAH-ENAM-RATUS-2",
        "--name",
        "Kelurahan Baru",
    ]);
    run_as(&terjun, "siti", &["sync", "run", "--json"]);
    let offices = run_as(&terjun, "siti", &["office", "list", "--json"]);
    assert!(offices.to_string().contains("Kelurahan Baru"), "{offices}");
    let baru = dir.path().join("baru.sqlite");
    let out = init_from_hub(&baru, &hub, "TANAH-ENAM-RATUS-2", "lurah", ADMIN_PW);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("Kelurahan Baru"), "{}", stdout(&out));

    // What a kelurahan laptop records reaches the Kantor Camat.
    let file = dir.path().join("baru.csv");
    std::fs::write(
        &file,
        "NIP,Nama,Status Kepegawaian,Golongan,Jabatan,Jenis Jabatan,Kode Kantor\n\
         199005052012012005,Eka Tambunan,PNS,II/c,Pelaksana,Pelaksana,TERJUN\n",
    )
    .unwrap();
    run_as(
        &terjun,
        "siti",
        &["employee", "import", file.to_str().unwrap()],
    );
    run_as(&terjun, "siti", &["sync", "run", "--json"]);
    run_as(&camat, "camat", &["sync", "run", "--json"]);
    let district = run_as(
        &camat,
        "camat",
        &["employee", "list", "--json", "--office", "TERJUN"],
    );
    assert_eq!(nips(&district).len(), 3, "{district}");
}

/// The quarter `date` falls in, as `pelita appraisal list --period` names it, and its year.
fn quarter_of(date: chrono::NaiveDate) -> (String, &'static str) {
    use chrono::Datelike;
    const QUARTERS: [&str; 4] = [
        "Triwulan I",
        "Triwulan II",
        "Triwulan III",
        "Triwulan IV-Akhir",
    ];
    (
        date.year().to_string(),
        QUARTERS[(date.month0() / 3) as usize],
    )
}

/// The NIPs `user` appraises on `db` in `(year, period)`.
fn roster(db: &Path, user: &str, (year, period): &(String, &str)) -> Vec<String> {
    let list = run_as(
        db,
        user,
        &[
            "appraisal",
            "list",
            "--year",
            year,
            "--period",
            period,
            "--json",
        ],
    );
    let mut nips: Vec<String> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["employee"]["nip"].as_str().unwrap().to_string())
        .collect();
    nips.sort();
    nips
}

/// The done-means of a transfer, through the binaries: a hub, the Kantor Camat's laptop and two
/// kelurahan laptops set up from the hub (no employee typed on them). Budi completes a Terjun
/// training; Terjun records his transfer to Paya Pasir; the Kantor Camat approves it; after
/// syncing Budi and his JP are on Paya Pasir's laptop, Terjun keeps the record of his leaving
/// and no longer edits him, and Paya Pasir's Lurah appraises him from the next period.
#[test]
fn a_transfer_between_two_kelurahan_set_up_from_the_hub_moves_budi_and_his_jp() {
    const BUDI: &str = "198202022006011002";
    let dir = tempfile::tempdir().unwrap();
    let hub = HubProcess::start(dir.path());
    let camat = dir.path().join("camat.sqlite");
    assert!(
        init_from_hub(&camat, &hub, "KEC-MARELAN", "camat", ADMIN_PW)
            .status
            .success()
    );
    let register = dir.path().join("register.csv");
    std::fs::write(
        &register,
        REGISTER
            .replace("Kode Kantor\n", "Kode Kantor,NIP Atasan Langsung\n")
            .replace(",KEC-MARELAN\n", ",KEC-MARELAN,\n")
            .replace(
                ",Lurah,Struktural,TERJUN\n",
                ",Lurah,Struktural,TERJUN,197001012000011001\n",
            )
            .replace(
                ",Lurah,Struktural,PAYA-PASIR\n",
                ",Lurah,Struktural,PAYA-PASIR,197001012000011001\n",
            )
            .replace(
                ",Pelaksana,Pelaksana,TERJUN\n",
                ",Pelaksana,Pelaksana,TERJUN,198001012005011001\n",
            )
            .replace(
                ",Pelaksana,Pelaksana,PAYA-PASIR\n",
                ",Pelaksana,Pelaksana,PAYA-PASIR,198503032008012003\n",
            ),
    )
    .unwrap();
    run_as(
        &camat,
        "camat",
        &["employee", "import", register.to_str().unwrap()],
    );
    run_as(&camat, "camat", &["sync", "run", "--json"]);
    let terjun = dir.path().join("terjun.sqlite");
    let paya = dir.path().join("paya.sqlite");
    assert!(init_from_hub(&terjun, &hub, "TERJUN", "siti", ADMIN_PW)
        .status
        .success());
    assert!(init_from_hub(&paya, &hub, "PAYA-PASIR", "rina", ADMIN_PW)
        .status
        .success());
    let add_lurah = |db: &Path, admin: &str, user: &str, nip: &str| {
        let out = command(db)
            .args([
                "--user", admin, "user", "add", user, "--name", user, "--role", "Pegawai", "--nip",
                nip,
            ])
            .env("PELITA_PASSWORD", ADMIN_PW)
            .env("PELITA_NEW_PASSWORD", ADMIN_PW)
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", stderr(&out));
    };
    add_lurah(&terjun, "siti", "ani", "198001012005011001");
    add_lurah(&paya, "rina", "citra", "198503032008012003");

    // Budi completes a training of Terjun's today (4 JP).
    let today = chrono::Local::now().date_naive();
    let day = today.to_string();
    let catalogue = dir.path().join("pelatihan.csv");
    std::fs::write(
        &catalogue,
        format!(
            "{}\nBimtek Pelayanan Prima,Pelayanan Publik,Bimbingan Teknis,Kelurahan Terjun,TERJUN,Aula,{day},{day},4,10,Tidak,100,,{day},08:00,11:00\n",
            pelita_core::training::sheet::headers(&pelita_core::training::sheet::CATALOGUE_COLUMNS).join(",")
        ),
    )
    .unwrap();
    run_as(
        &terjun,
        "siti",
        &["training", "import", catalogue.to_str().unwrap()],
    );
    let people = dir.path().join("peserta.csv");
    std::fs::write(
        &people,
        format!("Judul Pelatihan,Tanggal Mulai,NIP\nBimtek Pelayanan Prima,{day},{BUDI}\n"),
    )
    .unwrap();
    run_as(
        &terjun,
        "siti",
        &[
            "training",
            "import",
            "--participants",
            people.to_str().unwrap(),
        ],
    );
    let trainings = run_as(&terjun, "siti", &["training", "list", "--json"]);
    let id = trainings[0]["id"].as_str().unwrap().to_string();
    let sheet = dir.path().join("kehadiran.csv");
    run_as(
        &terjun,
        "siti",
        &[
            "attendance",
            "export",
            sheet.to_str().unwrap(),
            "--training",
            &id,
        ],
    );
    let mut rows = pelita_sheet::read("kehadiran.csv", &std::fs::read(&sheet).unwrap()).unwrap();
    rows[1][7] = "Hadir".into();
    pelita_sheet::write(&sheet, &rows).unwrap();
    run_as(
        &terjun,
        "siti",
        &["attendance", "import", sheet.to_str().unwrap()],
    );
    run_as(&terjun, "siti", &["training", "finish", &id]);
    let jp_of = |db: &Path, user: &str| -> Option<u64> {
        let year = today.format("%Y").to_string();
        run_as(db, user, &["jp", "--year", &year, "--json"])
            .as_array()
            .unwrap()
            .iter()
            .find(|l| l["nip"] == BUDI)
            .map(|l| l["jp"].as_u64().unwrap())
    };
    assert_eq!(jp_of(&terjun, "siti"), Some(4));

    // Terjun records the transfer; Paya Pasir sees it waiting; the Kantor Camat approves it.
    run_as(
        &terjun,
        "siti",
        &[
            "transfer",
            "record",
            BUDI,
            "--to",
            "PAYA-PASIR",
            "--tmt",
            &day,
        ],
    );
    for (db, user) in [(&terjun, "siti"), (&paya, "rina"), (&camat, "camat")] {
        run_as(db, user, &["sync", "run", "--json"]);
    }
    let seen = run_as(&paya, "rina", &["transfer", "list", "--json"]);
    assert_eq!(seen[0]["status"], "Diajukan", "{seen}");
    let out = pelita_as(
        &paya,
        "rina",
        ADMIN_PW,
        None,
        &["transfer", "approve", BUDI, "--sk", "800/1"],
    );
    assert!(!out.status.success(), "only the Kantor Camat decides");
    run_as(
        &camat,
        "camat",
        &["transfer", "approve", BUDI, "--sk", "800/1234/2026"],
    );
    for (db, user) in [(&camat, "camat"), (&paya, "rina"), (&terjun, "siti")] {
        run_as(db, user, &["sync", "run", "--json"]);
    }

    // Paya Pasir holds Budi and his JP; Terjun keeps the record of his leaving, not him.
    let own = run_as(&paya, "rina", &["employee", "list", "--json"]);
    assert!(nips(&own).contains(&BUDI.to_string()), "{own}");
    assert_eq!(jp_of(&paya, "rina"), Some(4), "his JP came with him");
    let own = run_as(&terjun, "siti", &["employee", "list", "--json"]);
    assert!(!nips(&own).contains(&BUDI.to_string()), "{own}");
    assert_eq!(jp_of(&terjun, "siti"), None);
    let left = run_as(&terjun, "siti", &["transfer", "list", "--json"]);
    assert_eq!(
        (left[0]["status"].as_str(), left[0]["sk_number"].as_str()),
        (Some("Disetujui"), Some("800/1234/2026"))
    );
    let out = pelita_as(
        &terjun,
        "siti",
        ADMIN_PW,
        None,
        &["employee", "edit", BUDI, "--jabatan", "Kasi"],
    );
    assert!(!out.status.success());

    // Who appraises him: Ani for this period (he was hers on its first day), Citra from the next.
    let this = quarter_of(today);
    let next = quarter_of(
        (1..=100)
            .map(|d| today + chrono::Days::new(d))
            .find(|d| quarter_of(*d) != this)
            .unwrap(),
    );
    let budi = vec![BUDI.to_string()];
    assert_eq!(roster(&terjun, "ani", &this), budi);
    assert_eq!(roster(&terjun, "ani", &next), Vec::<String>::new());
    assert_eq!(
        roster(&paya, "citra", &next),
        [BUDI, "198704042010011004"],
        "Budi joins Dedi"
    );
    assert_eq!(
        roster(&paya, "citra", &this),
        vec!["198704042010011004".to_string()],
        "Dedi only: Budi was not hers on this period's first day"
    );
}
