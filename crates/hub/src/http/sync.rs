//! The sync routes: enrol, push, pull. Each is wiring only: the extractors check the protocol,
//! the device and the body (after reading it whole); the store applies the rules (`crate::rules`).

use axum::extract::{ConnectInfo, State};
use axum::response::Response;
use pelita_proto::{EnrollRequest, PullRequest, PushRequest, PushResponse};

use super::wire::{ok, with_store, Checked, FromDevice, Peer, Refusal, Shared, Writes};

pub(super) async fn enroll(
    State(hub): State<Shared>,
    ConnectInfo(peer): ConnectInfo<Peer>,
    Checked(req): Checked<EnrollRequest>,
) -> Result<Response, Refusal> {
    let resp = with_store(&hub, move |s| s.enroll(&req, &peer.address())).await?;
    Ok(ok(&resp))
}

pub(super) async fn push(
    State(hub): State<Shared>,
    State(writes): State<Writes>,
    FromDevice(device, req): FromDevice<PushRequest>,
) -> Result<Response, Refusal> {
    let _place = writes.admit().await?;
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
    FromDevice(device, req): FromDevice<PullRequest>,
) -> Result<Response, Refusal> {
    let page = with_store(&hub, move |s| s.pull(&device, &req)).await?;
    Ok(ok(&page))
}
