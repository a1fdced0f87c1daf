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
