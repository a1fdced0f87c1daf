//! A kelurahan with no link at all is enrolled by files carried both ways, through the real
//! binaries: its laptop, set up for its office without a hub, writes a request with the one-time
//! code the hub admin gave (`pelita bundle enrol`); at the hub the request is imported like a
//! bundle and answered (`pelita-hub bundle import … --reply …`); the answer, imported on the
//! laptop, enrols it and brings its office's register. From then on it syncs by bundle. What an
//! office would get wrong is refused in words: a code for another office (left unspent), a
//! request carried twice, an answer taken to another laptop.

mod common;

use common::*;

fn run_as(db: &Path, user: &str, args: &[&str]) -> Output {
    pelita_as(db, user, ADMIN_PW, None, args)
}

fn ok(db: &Path, user: &str, args: &[&str]) -> String {
    let out = run_as(db, user, args);
    assert!(out.status.success(), "pelita {args:?}: {}", stderr(&out));
    stdout(&out)
}

fn nips(db: &Path, user: &str) -> Vec<String> {
    let list: serde_json::Value =
        serde_json::from_str(&ok(db, user, &["employee", "list", "--json"])).unwrap();
    let mut nips: Vec<String> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["nip"].as_str().unwrap().to_string())
        .collect();
    nips.sort();
    nips
}

fn offline_laptop(dir: &Path, name: &str, office: &str, admin: &str) -> PathBuf {
    let db = dir.join(format!("{name}.sqlite"));
    let out = command(&db)
        .args(["init", "--office", office, "--admin", admin])
        .env("PELITA_PASSWORD", ADMIN_PW)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    db
}

#[test]
fn a_kelurahan_without_any_link_is_enrolled_by_files_carried_both_ways() {
    let dir = tempfile::tempdir().unwrap();
    let hub = HubProcess::start(dir.path());
    // The Kantor Camat enters the district's register and syncs it to the hub.
    let camat = dir.path().join("camat.sqlite");
    let code = hub.code("KEC-MARELAN");
    let out = command(&camat)
        .args([
            "init", "--hub", &hub.url, "--code", &code, "--admin", "camat",
        ])
        .env("PELITA_PASSWORD", ADMIN_PW)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let register = dir.path().join("register.csv");
    std::fs::write(
        &register,
        "NIP,Nama,Status Kepegawaian,Golongan,Jabatan,Jenis Jabatan,Kode Kantor\n\
         198503032008012003,Citra Siregar,PNS,III/d,Lurah,Struktural,PAYA-PASIR\n\
         198704042010011004,Dedi Harahap,PNS,II/c,Pelaksana,Pelaksana,PAYA-PASIR\n\
         198001012005011001,Ani Lubis,PNS,III/d,Lurah,Struktural,TERJUN\n",
    )
    .unwrap();
    ok(
        &camat,
        "camat",
        &["employee", "import", register.to_str().unwrap()],
    );
    ok(&camat, "camat", &["sync", "run"]);

    // Paya Pasir's laptop, set up for its office with no hub at all.
    let paya = offline_laptop(dir.path(), "paya", "PAYA-PASIR", "rina");
    assert!(nips(&paya, "rina").is_empty());
    let request = dir.path().join("daftar-paya.pelita");
    let answer = dir.path().join("jawaban-paya.pelita");
    let hub_import = |file: &Path, reply: &Path| {
        hub_command(&hub.db)
            .args([
                "bundle",
                "import",
                file.to_str().unwrap(),
                "--reply",
                reply.to_str().unwrap(),
            ])
            .output()
            .unwrap()
    };

    // A code for another office is refused at the hub, and stays unspent.
    let terjun_code = hub.code("TERJUN");
    ok(
        &paya,
        "rina",
        &[
            "bundle",
            "enrol",
            "--code",
            &terjun_code,
            "--out",
            request.to_str().unwrap(),
        ],
    );
    let out = hub_import(&request, &answer);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("kode ini untuk Kelurahan Terjun")
            && stderr(&out).contains("tidak terpakai"),
        "{}",
        stderr(&out)
    );
    let terjun = offline_laptop(dir.path(), "terjun", "TERJUN", "siti");
    let terjun_request = dir.path().join("daftar-terjun.pelita");
    ok(
        &terjun,
        "siti",
        &[
            "bundle",
            "enrol",
            "--code",
            &terjun_code,
            "--out",
            terjun_request.to_str().unwrap(),
        ],
    );
    let terjun_answer = dir.path().join("jawaban-terjun.pelita");
    let out = hub_import(&terjun_request, &terjun_answer);
    assert!(
        out.status.success(),
        "the code still works for Terjun: {}",
        stderr(&out)
    );

    // The right code: the hub enrols Paya Pasir's laptop and answers with its register.
    let code = hub.code("PAYA-PASIR");
    ok(
        &paya,
        "rina",
        &[
            "bundle",
            "enrol",
            "--code",
            &code,
            "--out",
            request.to_str().unwrap(),
        ],
    );
    let text = std::fs::read(&request).unwrap();
    assert!(
        !String::from_utf8_lossy(&text).contains(&code),
        "the code itself never leaves the laptop"
    );
    let out = hub_import(&request, &answer);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("Kelurahan Paya Pasir"),
        "{}",
        stdout(&out)
    );
    // Carried twice: the code is spent.
    let again = dir.path().join("jawaban-lagi.pelita");
    let out = hub_import(&request, &again);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("kode pendaftaran tidak berlaku"),
        "{}",
        stderr(&out)
    );

    // Taken to the wrong laptop, the answer does not open.
    let out = run_as(
        &terjun,
        "siti",
        &["bundle", "import", answer.to_str().unwrap()],
    );
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("tidak dapat dibuka"),
        "{}",
        stderr(&out)
    );

    // On Paya Pasir's laptop: enrolled, with its office's staff.
    let out = ok(
        &paya,
        "rina",
        &["bundle", "import", answer.to_str().unwrap()],
    );
    assert!(out.contains("baris diterima"), "{out}");
    assert_eq!(
        nips(&paya, "rina"),
        ["198503032008012003", "198704042010011004"]
    );
    let status: serde_json::Value =
        serde_json::from_str(&ok(&paya, "rina", &["sync", "status", "--json"])).unwrap();
    assert_eq!(status["enrolled"], true);
    let out = run_as(&paya, "rina", &["sync", "run"]);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("lewat bundel USB"),
        "{}",
        stderr(&out)
    );
    let out = run_as(
        &paya,
        "rina",
        &["bundle", "import", answer.to_str().unwrap()],
    );
    assert!(
        !out.status.success(),
        "an answer imported twice is refused in words"
    );

    // From now on it syncs by bundle: a colleague registered there reaches the Kantor Camat.
    let staff = dir.path().join("staf.csv");
    std::fs::write(
        &staff,
        "NIP,Nama,Status Kepegawaian,Golongan,Jabatan,Jenis Jabatan,Kode Kantor\n\
         199005052012012005,Eka Tambunan,PNS,II/c,Pelaksana,Pelaksana,PAYA-PASIR\n",
    )
    .unwrap();
    ok(
        &paya,
        "rina",
        &["employee", "import", staff.to_str().unwrap()],
    );
    let out_bundle = dir.path().join("paya-ke-hub.pelita");
    let reply = dir.path().join("hub-ke-paya.pelita");
    ok(
        &paya,
        "rina",
        &["bundle", "export", out_bundle.to_str().unwrap()],
    );
    let out = hub_import(&out_bundle, &reply);
    assert!(out.status.success(), "{}", stderr(&out));
    let out = ok(
        &paya,
        "rina",
        &["bundle", "import", reply.to_str().unwrap()],
    );
    assert!(out.contains("1 perubahan dikonfirmasi"), "{out}");
    ok(&camat, "camat", &["sync", "run"]);
    let district: serde_json::Value = serde_json::from_str(&ok(
        &camat,
        "camat",
        &["employee", "list", "--json", "--office", "PAYA-PASIR"],
    ))
    .unwrap();
    assert!(district.to_string().contains("Eka Tambunan"), "{district}");
}
