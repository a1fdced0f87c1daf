//! A hub serving from a background thread on 127.0.0.1, stopped when dropped: for tests and
//! tools that need a real hub over real HTTP inside one process. Where `make test` started a
//! PostgreSQL server ([`TEST_POSTGRES_ENV`]), the same tests run a second time with the hub on it.

use std::path::{Path, PathBuf};

use crate::http::Shared;
use crate::{PgHub, SqliteHub};

/// Names a PostgreSQL server (a `postgres://…/postgres` URL) the tests may create databases on:
/// set, every [`LocalHub`] (and the store's own tests) keep the hub there instead of in a file.
pub const TEST_POSTGRES_ENV: &str = "PELITA_TEST_POSTGRES";

/// The URL of a database on the test PostgreSQL server for the hub a test keeps at `key` (a
/// file path naming it): created when new, the same one again for the same key — a hub that
/// restarts finds its database. `None` when no test server is named.
pub fn test_postgres(key: &Path) -> Option<String> {
    use sha2::{Digest, Sha256};
    let server = std::env::var(TEST_POSTGRES_ENV)
        .ok()
        .filter(|s| !s.is_empty())?;
    let name = format!(
        "pelita_{}",
        &hex::encode(Sha256::digest(key.to_string_lossy().as_bytes()))[..20]
    );
    let mut client = postgres::Client::connect(&server, postgres::NoTls)
        .unwrap_or_else(|e| panic!("{TEST_POSTGRES_ENV}={server}: {e}"));
    let exists = client
        .query_opt("SELECT 1 FROM pg_database WHERE datname = $1", &[&name])
        .expect("the test server lists its databases")
        .is_some();
    if !exists {
        client
            .batch_execute(&format!("CREATE DATABASE {name}"))
            .expect("the test server creates a database");
    }
    let (base, _) = server
        .rsplit_once('/')
        .expect("the test server's URL names a database");
    Some(format!("{base}/{name}"))
}

/// The arguments that point `pelita-hub` at the hub kept at `db`: `--db` that file, or
/// `--database-url` its database on the test PostgreSQL server.
pub fn database_args(db: &Path) -> Vec<std::ffi::OsString> {
    match test_postgres(db) {
        Some(url) => vec!["--database-url".into(), url.into()],
        None => vec!["--db".into(), db.into()],
    }
}

/// Starts `bin` (a `pelita-hub` binary) serving the hub kept at `db` (`database_args`) on
/// `listen`; returns the process and its URL once it says it listens. Its standard error is
/// closed from then on, as when a hub's log pipe is gone: it goes on serving (the lines it logs
/// are lost, not fatal). For tests and benches, which panic when it does not start.
pub fn spawn(bin: &Path, db: &Path, listen: &str) -> (std::process::Child, String) {
    use std::io::BufRead;
    let mut child = std::process::Command::new(bin)
        .args(database_args(db))
        .args(["serve", "--listen", listen])
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("{}: {e}", bin.display()));
    let mut line = String::new();
    if let Some(stderr) = child.stderr.take() {
        let _ = std::io::BufReader::new(stderr).read_line(&mut line);
    }
    assert!(
        line.contains("mendengarkan"),
        "the hub did not start: {line}"
    );
    let url = line
        .trim()
        .rsplit(' ')
        .next()
        .unwrap_or_default()
        .to_string();
    (child, url)
}

/// The hub kept at `db`: that SQLite file, or its database on the test PostgreSQL server.
pub fn open(db: &Path) -> crate::store::Result<Shared> {
    Ok(match test_postgres(db) {
        Some(url) => std::sync::Arc::new(PgHub::connect(&url)?),
        None => std::sync::Arc::new(SqliteHub::open(db)?),
    })
}

pub struct LocalHub {
    pub url: String,
    pub db: PathBuf,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl LocalHub {
    /// Opens (or creates) the hub database at `db` and serves it on a free loopback port.
    pub fn start(db: &Path) -> crate::store::Result<LocalHub> {
        let store = open(db)?;
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let (addr_tx, addr_rx) = std::sync::mpsc::channel();
        let thread = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
                .expect("a tokio runtime");
            runtime.block_on(async move {
                let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
                    .await
                    .expect("a loopback port");
                let _ = addr_tx.send(listener.local_addr().expect("a bound address"));
                let _ = crate::serve(listener, store, async {
                    let _ = stopped.await;
                })
                .await;
            });
        });
        let addr = addr_rx.recv().expect("the hub thread reports its address");
        Ok(LocalHub {
            url: format!("http://{addr}"),
            db: db.to_path_buf(),
            stop: Some(stop),
            thread: Some(thread),
        })
    }

    /// The hub's admin view, as `pelita-hub` commands open it beside the running server.
    pub fn admin(&self) -> Shared {
        open(&self.db).expect("the hub database opens")
    }

    /// Whether this hub keeps its data on the test PostgreSQL server (not in the file `db`).
    pub fn on_postgres(&self) -> bool {
        std::env::var(TEST_POSTGRES_ENV).is_ok_and(|s| !s.is_empty())
    }

    /// A fresh one-time enrolment code for `office_code`, valid for an hour.
    pub fn code_for(&self, office_code: &str) -> String {
        self.admin()
            .issue_code(office_code, chrono::Duration::hours(1))
            .expect("a code for a known office")
            .0
    }
}

impl Drop for LocalHub {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}
