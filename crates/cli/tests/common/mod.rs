//! Running the `pelita` binary as a user would, for the CLI tests.
#![allow(dead_code)] // each test binary uses a different part

use std::io::{BufRead, BufReader};
pub use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};
pub use std::process::{Command, Output};

/// `pelita --db DB`, with nothing inherited from the environment that could change its behaviour.
pub fn command(db: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_pelita"));
    cmd.arg("--db").arg(db);
    for var in [
        "PELITA_DB",
        "PELITA_USER",
        "PELITA_PASSWORD",
        "PELITA_NEW_PASSWORD",
    ] {
        cmd.env_remove(var);
    }
    cmd
}

pub fn pelita(db: &Path, args: &[&str]) -> Output {
    command(db).args(args).output().expect("pelita runs")
}

pub const ADMIN_PW: &str = "Sandi-Admin-Kuat-1";

/// `pelita init` with a first admin `camat`.
pub fn init(db: &Path, args: &[&str]) -> Output {
    command(db)
        .arg("init")
        .args(args)
        .args(["--admin", "camat"])
        .env("PELITA_PASSWORD", ADMIN_PW)
        .output()
        .expect("pelita runs")
}

/// A command signed in as the first admin.
pub fn as_admin(db: &Path, args: &[&str]) -> Output {
    pelita_as(db, "camat", ADMIN_PW, None, args)
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

pub fn pelita_as(
    db: &Path,
    user: &str,
    password: &str,
    new_password: Option<&str>,
    args: &[&str],
) -> Output {
    let mut cmd = command(db);
    cmd.args(["--user", user])
        .args(args)
        .env("PELITA_PASSWORD", password);
    if let Some(p) = new_password {
        cmd.env("PELITA_NEW_PASSWORD", p);
    }
    cmd.output().expect("pelita runs")
}

const FIRST: [&str; 10] = [
    "Ani", "Budi", "Citra", "Dedi", "Eka", "Fajar", "Gita", "Hadi", "Indah", "Joko",
];
const LAST: [&str; 10] = [
    "Lubis", "Nasution", "Siregar", "Harahap", "Tambunan", "Sitepu", "Ginting", "Purba", "Saragih",
    "Damanik",
];

/// `count` new Terjun employees from number `from` on, as an import file.
pub fn staff_file(dir: &Path, from: u32, count: u32) -> std::path::PathBuf {
    let mut csv =
        String::from("NIP,Nama,Status Kepegawaian,Golongan,Jabatan,Jenis Jabatan,Kode Kantor\n");
    for i in from..from + count {
        // Born 1960-1999 (of age at a TMT in 2020), 4,000 dates, then the sequence number moves
        // on: distinct, valid NIPs however long a soak runs.
        let (year, month, day) = (1960 + (i / 100) % 40, 1 + (i / 10) % 10, 1 + i % 10);
        let seq = 1 + (i / 4000) % 999;
        csv += &format!(
            "{year:04}{month:02}{day:02}2020011{seq:03},{} {},PNS,II/c,Pelaksana,Pelaksana,TERJUN\n",
            FIRST[(i % 10) as usize],
            LAST[((i / 10) % 10) as usize]
        );
    }
    let path = dir.join(format!("staf-{from}.csv"));
    std::fs::write(&path, csv).unwrap();
    path
}

/// A `pelita-hub` process serving `db` on a free port, stopped when dropped.
pub struct HubProcess {
    child: Child,
    pub db: PathBuf,
    pub url: String,
}

impl HubProcess {
    pub fn start(dir: &Path) -> HubProcess {
        let db = dir.join("hub.sqlite");
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let mut child = hub_command(&db)
            .args(["serve", "--listen", &format!("127.0.0.1:{port}")])
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut line = String::new();
        BufReader::new(child.stderr.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        assert!(line.contains("mendengarkan"), "{line}");
        HubProcess {
            child,
            db,
            url: format!("http://127.0.0.1:{port}"),
        }
    }

    pub fn run(&self, args: &[&str]) -> String {
        let out = hub_command(&self.db).args(args).output().unwrap();
        assert!(
            out.status.success(),
            "pelita-hub {args:?}: {}",
            stderr(&out)
        );
        stdout(&out)
    }

    pub fn code(&self, office: &str) -> String {
        self.run(&["device", "enroll", "--office", office])
            .trim()
            .to_string()
    }

    pub fn status(&self) -> serde_json::Value {
        serde_json::from_str(&self.run(&["status", "--json"])).unwrap()
    }
}

impl Drop for HubProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn hub_command(db: &Path) -> Command {
    let bin = Path::new(env!("CARGO_BIN_EXE_pelita")).with_file_name("pelita-hub");
    let mut cmd = Command::new(bin);
    cmd.arg("--db").arg(db);
    cmd
}
