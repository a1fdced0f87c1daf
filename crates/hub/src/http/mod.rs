//! The hub's HTTP surface, thin: [`app`] puts the sync routes (`sync`), attachments' files
//! (`blobs`) and the status page (`status`) under one router with the limits every request shares; what they have in common —
//! the state, refusals, extractors — is in `wire`.

mod blobs;
mod status;
mod sync;
mod wire;

use std::time::Duration;

use axum::error_handling::HandleErrorLayer;
use axum::extract::DefaultBodyLimit;
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::Router;
use pelita_proto::MAX_BODY_BYTES;
use tower::ServiceBuilder;

pub use wire::{AppState, Peer, Refusal, Shared, Writes};

async fn overloaded(e: tower::BoxError) -> Refusal {
    if e.is::<tower::timeout::error::Elapsed>() {
        Refusal(
            StatusCode::REQUEST_TIMEOUT,
            "busy",
            "hub terlalu lama menjawab; coba lagi".into(),
        )
    } else {
        wire::busy()
    }
}

/// The hub's routes with their limits: body size, a timeout, writes let in a few at a time
/// (`wire::Writes`), and shedding load beyond what the hub can take. `state.secure` marks the status page's cookie TLS-only.
pub fn app(state: AppState) -> Router {
    Router::new()
        .route(
            "/v1/enroll",
            post(sync::enroll).layer(DefaultBodyLimit::max(pelita_proto::MAX_ENROLL_BYTES)),
        )
        .route("/v1/push", post(sync::push))
        .route("/v1/pull", post(sync::pull))
        .route(pelita_proto::BLOB_STATE_PATH, post(blobs::state))
        .route(
            "/v1/blob/{sha256}/{index}",
            get(blobs::get_chunk).put(blobs::put_chunk),
        )
        .merge(status::routes())
        .with_state(state)
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(
            ServiceBuilder::new()
                .layer(HandleErrorLayer::new(overloaded))
                .load_shed()
                .concurrency_limit(64)
                .timeout(Duration::from_secs(120)),
        )
}
