//! `pelita-hub`: the district sync hub that runs at the Kantor Camat (DESIGN §5).
//!
//! - [`rules`]: who may write what, what each device pulls, how a change meets the hub's row.
//! - [`store`]: what the hub needs from its storage (the trait, its errors and rows).
//! - `sql`: that storage, written once for SQLite and PostgreSQL — enrolment, devices, pushes and
//!   pulls (`rows`), a transfer's move (`moves`), attachments' files (`blobs`), the status page's
//!   accounts and overview (`admin`), failed attempts per address (`throttle`).
//! - `db`: the two databases behind one small interface (`Sql`, `Backend`): one SQLite file
//!   with its writer and readers, or a PostgreSQL server shared by several hub processes.
//! - [`http`]: the routes, thin.
//! - [`page`]: the status page's HTML.
//! - [`bundle`]: USB bundles, applied like a push and answered like a pull.
//! - [`tls`]: serving over HTTPS.
//! - [`local`]: a hub on a background thread (tests, tools).
//!
//! Limits: the hub never opens an office's database (no `pelita-store`); it knows rows only as the
//! wire carries them, and decides with `pelita-core`'s rules, the same the laptops apply.

pub mod bundle;
mod db;
pub mod http;
pub mod local;
pub mod page;
pub mod rules;
mod secret;
mod sql;
pub mod store;
pub mod tls;

pub use db::sqlite::HubKey;
pub use sql::{Hub, PgHub, SqliteHub, MAX_CODE_HOURS};
pub use store::{HubError, HubStore};

/// Serves the hub on `listener` until `shutdown` completes.
pub async fn serve(
    listener: tokio::net::TcpListener,
    hub: http::Shared,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(
        listener,
        http::app(http::AppState::new(hub, false))
            .into_make_service_with_connect_info::<http::Peer>(),
    )
    .with_graceful_shutdown(shutdown)
    .await
}

/// Serves the hub over HTTPS on `listener` until `shutdown` completes.
pub async fn serve_tls(
    listener: tokio::net::TcpListener,
    config: tls::ServerConfig,
    hub: http::Shared,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(
        tls::TlsListener::new(listener, config)?,
        http::app(http::AppState::new(hub, true))
            .into_make_service_with_connect_info::<http::Peer>(),
    )
    .with_graceful_shutdown(shutdown)
    .await
}
