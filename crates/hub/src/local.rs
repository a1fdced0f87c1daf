//! A hub serving from a background thread on 127.0.0.1, stopped when dropped: for tests and
//! tools that need a real hub over real HTTP inside one process.

use std::path::{Path, PathBuf};

use crate::{HubStore, SqliteHub};

pub struct LocalHub {
    pub url: String,
    pub db: PathBuf,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl LocalHub {
    /// Opens (or creates) the hub database at `db` and serves it on a free loopback port.
    pub fn start(db: &Path) -> crate::store::Result<LocalHub> {
        let store = SqliteHub::open(db)?;
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
    pub fn admin(&self) -> SqliteHub {
        SqliteHub::open(&self.db).expect("the hub database opens")
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
