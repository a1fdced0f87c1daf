//! The sync routes: enrol, push, pull. Each is wiring only: the extractors check the protocol,
//! the device and the body; the store applies the rules (`crate::rules`).

use axum::extract::State;
use axum::response::Response;
use pelita_proto::{EnrollRequest, PullRequest, PushRequest, PushResponse};

use super::wire::{ok, with_store, Authenticated, Protocol, Refusal, Shared, Zstd};

pub(super) async fn enroll(
    _: Protocol,
    State(hub): State<Shared>,
    Zstd(req): Zstd<EnrollRequest>,
) -> Result<Response, Refusal> {
    let resp = with_store(&hub, move |s| s.enroll(&req)).await?;
    Ok(ok(&resp))
}

pub(super) async fn push(
    State(hub): State<Shared>,
    Authenticated(device): Authenticated,
    Zstd(req): Zstd<PushRequest>,
) -> Result<Response, Refusal> {
    let acks = with_store(&hub, move |s| {
        s.push(&device, &req.mutations, &req.resolved_conflicts)
    })
    .await?;
    Ok(ok(&PushResponse {
        outcomes: acks.into_iter().map(|a| a.outcome).collect(),
    }))
}

pub(super) async fn pull(
    State(hub): State<Shared>,
    Authenticated(device): Authenticated,
    Zstd(req): Zstd<PullRequest>,
) -> Result<Response, Refusal> {
    let page = with_store(&hub, move |s| s.pull(&device, &req)).await?;
    Ok(ok(&page))
}
