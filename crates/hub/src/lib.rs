//! `pelita-hub`: the district sync hub that runs at the Kantor Camat (DESIGN §5).
//!
//! - [`rules`]: who may write what, what each device pulls, how a change meets the hub's row.
//! - [`store`]: what the hub needs from its storage (the trait, its errors and rows).
//! - `sqlite`: that storage in one SQLite file — enrolment, devices, pushes and pulls (`rows`),
//!   a transfer's move (`moves`), the status page's accounts and overview (`admin`).
//! - [`http`]: the routes, thin.
//! - [`page`]: the status page's HTML.
//! - [`bundle`]: USB bundles, applied like a push and answered like a pull.
//! - [`tls`]: serving over HTTPS.
//! - [`local`]: a hub on a background thread (tests, tools).
//!
//! Limits: the hub never opens an office's database (no `pelita-store`); it knows rows only as the
//! wire carries them, and decides with `pelita-core`'s rules, the same the laptops apply.

pub mod bundle;
pub mod http;
pub mod local;
pub mod page;
pub mod rules;
mod secret;
mod sqlite;
pub mod store;
pub mod tls;

use std::sync::Arc;

pub use sqlite::SqliteHub;
pub use store::{HubError, HubStore};

/// Serves the hub on `listener` until `shutdown` completes.
pub async fn serve(
    listener: tokio::net::TcpListener,
    hub: impl HubStore,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let shared: http::Shared = Arc::new(hub);
    axum::serve(
        listener,
        http::app(http::AppState::new(shared, false))
            .into_make_service_with_connect_info::<http::Peer>(),
    )
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
    let shared: http::Shared = Arc::new(hub);
    axum::serve(
        tls::TlsListener::new(listener, config)?,
        http::app(http::AppState::new(shared, true))
            .into_make_service_with_connect_info::<http::Peer>(),
    )
    .with_graceful_shutdown(shutdown)
    .await
}
