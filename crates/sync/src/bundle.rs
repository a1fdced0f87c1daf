//! The laptop's side of USB bundles: everything unacknowledged sealed into a file for the hub,
//! and the hub's answer applied exactly like a push's acknowledgements and a pull.

use pelita_core::auth::Actor;
use pelita_proto::bundle::{self, BundleHeader, FromHub, ToHub};
use pelita_proto::enrol_bundle;
use pelita_proto::PushRequest;
use pelita_store::{Store, SyncReport};

use crate::SyncError;

fn enrolment(store: &Store) -> Result<pelita_store::SyncEnrolment, SyncError> {
    store.sync_enrolment()?.ok_or(SyncError::NotEnrolled)
}

fn refused(message: impl Into<String>) -> SyncError {
    SyncError::Refused {
        status: 0,
        code: "bundle".into(),
        message: message.into(),
        permanent: true,
    }
}

/// Seals every unacknowledged change (and settled conflicts) for the hub; returns how many
/// changes the bundle holds. Nothing is marked sent: the hub's answer bundle does that.
pub fn export(store: &Store) -> Result<(Vec<u8>, u32), SyncError> {
    let e = enrolment(store)?;
    let mutations = store.outbox_batch(usize::MAX)?;
    let count = mutations.len() as u32;
    let body = ToHub {
        push: PushRequest {
            mutations,
            resolved_conflicts: store.unreported_resolutions()?,
        },
        cursor: e.cursor,
        include_own: e.rebaseline,
        writer: Some(e.writer.clone()),
    };
    let header = BundleHeader {
        protocol: pelita_proto::PROTOCOL_VERSION,
        direction: "to_hub".into(),
        device_id: e.device_id.clone(),
        database_id: e.database_id.clone(),
        created_at: pelita_store::clock::utc_now().to_rfc3339(),
        nonce: String::new(),
    };
    Ok((
        bundle::seal(header, &body, &bundle::token_hash(&e.token)),
        count,
    ))
}

/// A request to be enrolled, for a laptop with no link at all: the one-time code (named by its
/// verifier; the code and its pre-shared key stay here), this database and office, and a new
/// public key whose secret this laptop keeps. The hub's answer, imported with [`import`], enrols
/// the laptop and brings its office's data.
pub fn enrolment_request(
    store: &mut Store,
    actor: &Actor,
    code: &str,
    device_name: &str,
) -> Result<Vec<u8>, SyncError> {
    let office = store.home_office()?;
    let (secret, public) = enrol_bundle::new_key();
    let (verifier, psk) = enrol_bundle::code_secrets(code);
    store.keep_enrolment_secret(actor, &format!("{secret}:{psk}"))?;
    Ok(enrol_bundle::write_request(&enrol_bundle::EnrolRequest {
        protocol: pelita_proto::PROTOCOL_VERSION,
        database_id: store.database_id()?,
        device_name: device_name.into(),
        office_id: office.id,
        verifier,
        public_key: public,
        created_at: pelita_store::clock::utc_now().to_rfc3339(),
    }))
}

/// Takes the hub's answer to this laptop's enrolment request: enrolled, with its office's data.
fn enrolment_answer(
    store: &mut Store,
    actor: &Actor,
    bytes: &[u8],
) -> Result<SyncReport, SyncError> {
    let secret = store.enrolment_secret()?.ok_or_else(|| {
        refused("laptop ini tidak sedang menunggu jawaban pendaftaran; buat permintaan dengan `pelita bundle enrol`")
    })?;
    let (secret, psk) = secret.split_once(':').unwrap_or((&secret, ""));
    let (header, answer) =
        enrol_bundle::open_answer(bytes, secret, psk).map_err(|x| refused(x.to_string()))?;
    if header.database_id != store.database_id()? {
        return Err(refused("jawaban pendaftaran ini untuk laptop lain"));
    }
    let pulled = store.take_bundle_enrolment(actor, &answer.enrolment, &answer.pull)?;
    Ok(SyncReport {
        pulled,
        bytes_received: bytes.len() as u64,
        ..Default::default()
    })
}

/// Applies the hub's answer bundle: acknowledgements first, then the rows and the cursor. An
/// answer to an enrolment request enrols the laptop and brings its office's data.
pub fn import(store: &mut Store, actor: &Actor, bytes: &[u8]) -> Result<SyncReport, SyncError> {
    if enrol_bundle::is_answer(bytes) {
        return enrolment_answer(store, actor, bytes);
    }
    let e = enrolment(store)?;
    let header = bundle::header(bytes).map_err(|x| refused(x.to_string()))?;
    if header.direction != "from_hub" {
        return Err(refused(
            "bundel ini kiriman laptop untuk hub; bawa ke hub lalu impor jawabannya di sini",
        ));
    }
    if header.device_id != e.device_id || header.database_id != e.database_id {
        return Err(refused("bundel jawaban ini untuk laptop lain"));
    }
    let (_, body): (BundleHeader, FromHub) =
        bundle::open(bytes, &bundle::token_hash(&e.token)).map_err(|x| refused(x.to_string()))?;
    store.mark_resolutions_reported(&body.resolved_conflicts)?;
    let (conflicts, rejected) = store.record_acks(&body.acks)?;
    let pulled = store.apply_pull(&body.pull)?;
    Ok(SyncReport {
        pushed: body.acks.len() as u32,
        pulled,
        conflicts,
        rejected,
        bytes_received: bytes.len() as u64,
        ..Default::default()
    })
}
