//! `pelita-hub`: the district sync hub that runs at the Kantor Camat (DESIGN §5).
//!
//! - [`rules`]: who may write what, what each device pulls, how a change meets the hub's row.
//! - [`store`]: the storage trait and its SQLite implementation.
//! - [`http`]: the routes, thin.
//! - [`admin`]: the status page's accounts and overview.
//! - [`page`]: the status page's HTML.
//! - [`bundle`]: USB bundles, applied like a push and answered like a pull.
//! - `moves`: an approved transfer, done by the hub itself in the push that approves it.
//! - [`tls`]: serving over HTTPS.
//! - [`local`]: a hub on a background thread (tests, tools).

pub mod admin;
pub mod bundle;
pub mod http;
pub mod local;
mod moves;
pub mod page;
mod rows;
pub mod rules;
mod status_routes;
pub mod store;
pub mod tls;

use std::sync::{Arc, Mutex};

pub use store::{HubError, HubStore, SqliteHub};

/// Serves the hub on `listener` until `shutdown` completes.
pub async fn serve(
    listener: tokio::net::TcpListener,
    hub: impl HubStore,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let shared: http::Shared = Arc::new(Mutex::new(Box::new(hub)));
    axum::serve(listener, http::router(shared, false))
        .with_graceful_shutdown(shutdown)
        .await
}

/// Serves the hub over HTTPS on `listener` until `shutdown` completes.
pub async fn serve_tls(
    listener: tokio::net::TcpListener,
    config: tls::ServerConfig,
    hub: impl HubStore,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let shared: http::Shared = Arc::new(Mutex::new(Box::new(hub)));
    axum::serve(
        tls::TlsListener::new(listener, config)?,
        http::router(shared, true),
    )
    .with_graceful_shutdown(shutdown)
    .await
}
