//! Crash safety of the hub: the `pelita-hub` process killed with SIGKILL at random moments while
//! a laptop pushes, fifty times, restarted each time on the same port. Afterwards one clean run
//! brings the hub level with the laptop: nothing lost, nothing applied twice, equal checksums.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};

use pelita_core::employee::EmployeeInput;
use pelita_core::reference::{EmploymentStatus, JenisJabatan};
use pelita_hub::{HubStore, SqliteHub};
use pelita_store::{Setup, Store};

struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % n
    }
}

fn serve(db: &Path, port: u16) -> Child {
    let mut child = Command::new(env!("CARGO_BIN_EXE_pelita-hub"))
        .arg("--db")
        .arg(db)
        .args(["serve", "--listen", &format!("127.0.0.1:{port}")])
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stderr.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    assert!(line.contains("mendengarkan"), "{line}");
    child
}

fn add_staff(store: &mut Store, admin: &pelita_core::auth::Actor, from: u32, count: u32) {
    for i in from..from + count {
        // Born 1960-1999 (of age at a TMT in 2020), 4,000 dates, then the sequence number moves
        // on: distinct, valid NIPs however long a soak runs.
        let (year, month, day) = (1960 + (i / 100) % 40, 1 + (i / 10) % 10, 1 + i % 10);
        let seq = 1 + (i / 4000) % 999;
        let input = EmployeeInput {
            nip: format!("{year:04}{month:02}{day:02}2020011{seq:03}"),
            gelar_depan: String::new(),
            name: "Pegawai Terjun".into(),
            gelar_belakang: String::new(),
            birth_date: None,
            sex: None,
            status: EmploymentStatus::Pns,
            golongan: "II/c".into(),
            jabatan: "Pelaksana".into(),
            jenis_jabatan: JenisJabatan::Pelaksana,
            office_id: pelita_core::office::office_id("TERJUN"),
            atasan_id: None,
        };
        store.create_employee(admin, &input).unwrap();
    }
}

#[test]
fn hub_killed_fifty_times_during_pushes_loses_and_doubles_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let hub_db = dir.path().join("hub.sqlite");
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let (mut store, admin) = Store::create(
        dir.path().join("terjun.sqlite"),
        &Setup {
            office_code: "TERJUN".into(),
            load_demo: false,
            username: "admin".into(),
            full_name: "Admin Kecamatan".into(),
            password: "Sandi-Uji-Hub-Mati-1".into(),
        },
    )
    .unwrap();
    let code = SqliteHub::open(&hub_db)
        .unwrap()
        .issue_code("TERJUN", chrono::Duration::hours(1))
        .unwrap()
        .0;
    let mut hub = serve(&hub_db, port);
    let url = format!("http://127.0.0.1:{port}");
    pelita_sync::enroll(&mut store, &admin, &url, &code, "laptop").unwrap();
    let mut created = 300;
    add_staff(&mut store, &admin, 0, created);
    // Small batches: many pushes, so the kills land inside them.
    let options = pelita_sync::Options {
        batch_bytes: 16 * 1024,
        max_batch_bytes: 16 * 1024,
        ..Default::default()
    };
    let mut rng = Lcg(1_201);
    let mut cut_mid_push = 0;
    for _ in 0..soak_rounds() {
        // Something to push in every round.
        add_staff(&mut store, &admin, created, 40);
        created += 40;
        let options = options.clone();
        let syncing = std::thread::spawn(move || {
            let outcome = pelita_sync::run(&mut store, &options);
            (store, outcome.is_err())
        });
        std::thread::sleep(std::time::Duration::from_millis(rng.below(30)));
        let _ = hub.kill(); // SIGKILL
        let _ = hub.wait();
        let failed;
        (store, failed) = syncing.join().unwrap();
        if failed && store.sync_status().unwrap().pending > 0 {
            cut_mid_push += 1;
        }
        hub = serve(&hub_db, port);
    }
    // The kills must have hit pushes, not only idle moments.
    assert!(cut_mid_push >= 5, "only {cut_mid_push} kills cut a push");
    eprintln!(
        "hub killed {} times, {cut_mid_push} of them inside a push; {created} changes",
        soak_rounds()
    );
    let report = pelita_sync::run(&mut store, &options).unwrap();
    assert_eq!(store.sync_status().unwrap().pending, 0, "{report:?}");
    let _ = hub.kill();
    let _ = hub.wait();

    let mut admin_view = SqliteHub::open(&hub_db).unwrap();
    assert_eq!(admin_view.received_count().unwrap(), u64::from(created));
    assert_eq!(admin_view.status().unwrap().rows, u64::from(created));
    assert_eq!(
        store.sync_checksum().unwrap(),
        admin_view.checksum_for("TERJUN").unwrap()
    );
}

/// 50 in `make test`; `make soak-sync` sets `PELITA_SOAK_ROUNDS` for a longer run.
fn soak_rounds() -> u32 {
    std::env::var("PELITA_SOAK_ROUNDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(50)
}
