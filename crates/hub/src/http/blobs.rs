//! The routes of attachments' files: how much of one the hub holds, a chunk sent, a chunk
//! fetched. Wiring only: the store decides who may send or fetch what (`sql::blobs`).

use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use pelita_proto::BlobQuery;

use super::wire::{ok, with_store, FromDevice, RawFromDevice, Refusal, Shared, Writes};

pub(super) async fn state(
    State(hub): State<Shared>,
    FromDevice(device, req): FromDevice<BlobQuery>,
) -> Result<Response, Refusal> {
    let state = with_store(&hub, move |s| s.blob_state(&device, &req.sha256)).await?;
    Ok(ok(&state))
}

pub(super) async fn put_chunk(
    State(hub): State<Shared>,
    State(writes): State<Writes>,
    Path((sha256, index)): Path<(String, u32)>,
    RawFromDevice(device, bytes): RawFromDevice,
) -> Result<Response, Refusal> {
    let _place = writes.admit().await?;
    let state = with_store(&hub, move |s| {
        s.put_blob_chunk(&device, &sha256, index, &bytes)
    })
    .await?;
    Ok(ok(&state))
}

pub(super) async fn get_chunk(
    State(hub): State<Shared>,
    Path((sha256, index)): Path<(String, u32)>,
    RawFromDevice(device, _): RawFromDevice,
) -> Result<Response, Refusal> {
    let bytes = with_store(&hub, move |s| s.blob_chunk(&device, &sha256, index)).await?;
    Ok(([(header::CONTENT_TYPE, "application/octet-stream")], bytes).into_response())
}
