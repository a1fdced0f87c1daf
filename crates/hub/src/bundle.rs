//! Importing a laptop's bundle at the hub: opened with the device's key, applied exactly like a
//! push (idempotent), and answered with a bundle of the acknowledgements and everything the
//! laptop lacks.

use pelita_proto::bundle::{self, BundleHeader, FromHub, ToHub};
use pelita_proto::{PullRequest, PullResponse, RawPayload};

use crate::store::{HubError, HubStore};

/// What an import did, for the admin.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BundleImport {
    pub device_id: String,
    pub mutations: u32,
    pub duplicates: u32,
    pub rows_out: u32,
}

/// Applies the bundle `bytes` and returns the answer bundle for the same device.
pub fn import(hub: &dyn HubStore, bytes: &[u8]) -> Result<(BundleImport, Vec<u8>), HubError> {
    let header = bundle::header(bytes).map_err(|e| HubError::BadRequest(e.to_string()))?;
    if header.direction != "to_hub" {
        return Err(HubError::BadRequest(
            "bundel ini jawaban hub untuk laptop, bukan kiriman laptop".into(),
        ));
    }
    let (device, token_hash) = hub.bundle_device(&header.device_id, &header.database_id)?;
    let (_, body): (BundleHeader, ToHub) =
        bundle::open(bytes, &token_hash).map_err(|e| HubError::BadRequest(e.to_string()))?;
    let acks = hub.push(&device, &body.push.mutations, &body.push.resolved_conflicts)?;
    let pull = parsed(hub.pull(
        &device,
        &PullRequest {
            cursor: body.cursor,
            max_bytes: u32::MAX,
            include_own: body.include_own,
            writer: body.writer.clone(),
        },
    )?)?;
    let report = BundleImport {
        device_id: device.id.clone(),
        mutations: acks.len() as u32,
        duplicates: acks
            .iter()
            .filter(|a| a.outcome == pelita_proto::Outcome::Duplicate)
            .count() as u32,
        rows_out: pull.changes.len() as u32,
    };
    let answer = bundle::seal(
        BundleHeader {
            protocol: pelita_proto::PROTOCOL_VERSION,
            direction: "from_hub".into(),
            device_id: header.device_id,
            database_id: header.database_id,
            created_at: chrono::Utc::now().to_rfc3339(),
            nonce: String::new(),
        },
        &FromHub {
            acks,
            resolved_conflicts: body.push.resolved_conflicts,
            pull,
        },
        &token_hash,
    );
    Ok((report, answer))
}

/// Enrols the laptop of a request file carried on a USB stick, and answers with its token and
/// everything its office holds at the hub, sealed for that laptop alone. Returns the enrolment,
/// how many rows the answer carries, and the answer file.
pub fn enrol(
    hub: &dyn HubStore,
    bytes: &[u8],
) -> Result<(pelita_proto::EnrollResponse, u32, Vec<u8>), HubError> {
    use pelita_proto::enrol_bundle::{self, EnrolAnswer};
    let bad = |e: pelita_proto::WireError| HubError::BadRequest(e.to_string());
    let req = enrol_bundle::read_request(bytes).map_err(bad)?;
    let (enrolment, psk) = hub.enroll_offline(
        &req.verifier,
        &req.device_name,
        &req.database_id,
        &req.office_id,
    )?;
    let hq = hub
        .offices()?
        .iter()
        .any(|o| o.id == enrolment.office_id && o.hq);
    let device = crate::rules::Device {
        id: enrolment.device_id.clone(),
        office_id: enrolment.office_id.clone(),
        hq,
    };
    let pull = parsed(hub.pull(
        &device,
        &PullRequest {
            cursor: 0,
            max_bytes: u32::MAX,
            include_own: false,
            writer: None,
        },
    )?)?;
    let rows = pull.changes.len() as u32;
    let answer = EnrolAnswer {
        enrolment: enrolment.clone(),
        pull,
    };
    let sealed = enrol_bundle::seal_answer(&req, &psk, &answer).map_err(bad)?;
    Ok((enrolment, rows, sealed))
}

/// A pull page with its payloads parsed, as a bundle carries it: the same JSON, read again.
fn parsed(page: PullResponse<RawPayload>) -> Result<PullResponse, HubError> {
    serde_json::to_vec(&page)
        .and_then(|json| serde_json::from_slice(&json))
        .map_err(|e| HubError::BadRequest(format!("baris hub tidak dapat dikemas ke bundel: {e}")))
}
