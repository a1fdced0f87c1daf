//! The files of attachments on the link: uploaded after the rows, chunk by chunk from where the
//! hub says it stopped, with any row written meanwhile pushed between two chunks (a file of
//! megabytes on 64 kbit/s takes minutes; a row never waits for it); and fetched only when someone
//! opens a file this laptop does not hold, each chunk kept as it arrives so a cut costs one chunk.

use pelita_core::auth::Actor;
use pelita_proto::{blob_chunk_path, BlobQuery, BlobState, BLOB_STATE_PATH};
use pelita_store::Attachment;

use crate::{Link, Local, Options, SyncError};

/// Whether the hub refused this file for good (its row refused, or not this office's to send):
/// the other files go on, this one waits for a person.
fn refused_for_good(e: &SyncError) -> bool {
    matches!(e, SyncError::Refused { permanent: true, status, .. } if *status != 401 && *status != 426)
}

/// Uploads every file waiting; `push_rows` sends the rows written since, before each chunk.
pub(crate) fn upload<L: Local>(
    store: &mut L,
    link: &mut Link,
    push_rows: &mut dyn FnMut(&mut L, &mut Link) -> Result<(), SyncError>,
) -> Result<(), SyncError> {
    let waiting = store.with(|s| s.blobs_to_upload())?;
    for blob in waiting {
        let query = BlobQuery {
            sha256: blob.sha256.clone(),
        };
        let mut state: BlobState = match link.post(BLOB_STATE_PATH, &query) {
            Ok(state) => state,
            Err(e) if refused_for_good(&e) => continue,
            Err(e) => return Err(e),
        };
        while !state.complete {
            if store.with(|s| s.pending_count())? > 0 {
                push_rows(store, link)?;
            }
            let index = state.received;
            let chunk = store.with(|s| s.blob_chunk(&blob.sha256, index))?;
            state = match link.put_raw::<BlobState>(&blob_chunk_path(&blob.sha256, index), &chunk) {
                Ok(next) if next.complete || next.received > index => next,
                Ok(_) => {
                    return Err(SyncError::Network(format!(
                        "hub tidak menyimpan potongan {index} berkas {}",
                        blob.sha256
                    )))
                }
                Err(e) if refused_for_good(&e) => break,
                Err(e) => return Err(e),
            };
        }
        if state.complete {
            store.with(|s| s.blob_at_hub(&blob.sha256))?;
            link.report.files_uploaded += 1;
        }
    }
    Ok(())
}

/// Fetches the file of attachment `id` from the hub for `actor` (who must be allowed to open it),
/// from the chunk a cut fetch stopped at; nothing to do when this laptop holds it already.
pub fn fetch_attachment(
    store: &mut impl Local,
    actor: &Actor,
    id: &str,
    options: &Options,
) -> Result<Attachment, SyncError> {
    let fetch = store.with(|s| s.attachment_fetch(actor, id))?;
    if fetch.attachment.available {
        return Ok(fetch.attachment);
    }
    let enrolment = store
        .with(|s| s.sync_enrolment())?
        .ok_or(SyncError::NotEnrolled)?;
    if enrolment.hub_url.trim().is_empty() {
        return Err(SyncError::NoLink);
    }
    let mut link = Link::new(
        &enrolment.hub_url,
        Some(enrolment.token.clone()),
        enrolment.database_id.clone(),
        options.timeout,
    )?;
    let sha = fetch.attachment.sha256.clone();
    for index in fetch.held..fetch.chunks {
        let bytes = link.get_raw(&blob_chunk_path(&sha, index))?;
        store.with(|s| s.keep_fetched_chunk(&sha, index, &bytes))?;
    }
    Ok(store.with(|s| s.attachment(actor, id))?)
}
