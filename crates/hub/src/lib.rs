//! `pelita-hub`: the district sync hub that runs at the Kantor Camat (DESIGN §5).
//!
//! - [`rules`]: who may write what, what each device pulls, how a change meets the hub's row.
//! - [`store`]: the storage trait and its SQLite implementation.
//! - [`http`]: the routes, thin.
//! - [`bundle`]: USB bundles, applied like a push and answered like a pull.
//! - [`local`]: a hub on a background thread (tests, tools).

pub mod bundle;
pub mod http;
pub mod local;
pub mod rules;
pub mod store;

use std::sync::{Arc, Mutex};

pub use store::{HubError, HubStore, SqliteHub};

/// Serves the hub on `listener` until `shutdown` completes.
pub async fn serve(
    listener: tokio::net::TcpListener,
    hub: impl HubStore,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let shared: http::Shared = Arc::new(Mutex::new(Box::new(hub)));
    axum::serve(listener, http::router(shared))
        .with_graceful_shutdown(shutdown)
        .await
}
