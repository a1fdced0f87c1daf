//! The sync protocol between an office's Pelita and the district hub (DESIGN §5).
//!
//! Every body is JSON compressed with zstd. Every request names the protocol version in
//! [`PROTOCOL_HEADER`]; a hub that speaks another version answers 426 with an Indonesian message.
//! Device clocks decide nothing: the hub orders changes by the sequence number it assigns.
//!
//! Limits: the wire's types, limits and encodings (and the sealing of USB bundles) only — no I/O,
//! no database, no rules about who may write what.

use serde::{Deserialize, Serialize};

pub mod bundle;
pub mod enrol_bundle;
mod wire;

/// Bumped on any change of the wire types' meaning or form (2: push batches carry mutation ids
/// as runs and leave out what the payload already says; 3: the questionnaire study's entities;
/// 4: a refusal carries the hub's row, a pull names the copy of the database that asks; 5: the
/// Rencana SKP and dialog kinerja entities and the organisation's result owned by the Kantor
/// Camat; 6: realisasi and attachments, whose content travels by the blob routes; 7: a training's
/// learning objectives and an L3 follow-up's baseline and objective ratings, which an older laptop
/// would drop when it rewrites the row).
pub const PROTOCOL_VERSION: u32 = 7;
pub const PROTOCOL_HEADER: &str = "x-pelita-protocol";
/// The local database UUID the device token is bound to.
pub const DATABASE_HEADER: &str = "x-pelita-database";
/// The Pelita version of the app that sends the request (shown on the hub's status page).
pub const APP_VERSION_HEADER: &str = "x-pelita-app-version";
/// Largest compressed request body the hub reads.
pub const MAX_BODY_BYTES: usize = 8 * 1024 * 1024;
/// Largest body after decompression (a zstd bomb is refused, not expanded).
pub const MAX_DECODED_BYTES: usize = 64 * 1024 * 1024;
/// Largest enrolment request, compressed and decompressed: a code, a name and an id fit in far less;
/// anyone may send one, so nothing bigger is read.
pub const MAX_ENROLL_BYTES: usize = 4 * 1024;

/// The kinds of rows that sync, in the order their parents come first.
pub const ENTITIES: &[&str] = &[
    "employee",
    "training",
    "participation",
    "attendance",
    "reaction",
    "behaviour_followup",
    "appraisal",
    "org_result",
    "skp_plan",
    "skp_dialog",
    "skp_realisasi",
    "attachment",
    "survey_instrument",
    "survey_response",
    "mutasi",
];

/// The content of attachments travels apart from rows, in chunks of
/// `pelita_core::attachment::CHUNK_BYTES` named by the file's SHA-256: `POST {BLOB_STATE_PATH}`
/// (a [`BlobQuery`], zstd JSON) says how much of a file the hub holds; `PUT` and `GET
/// /v1/blob/{sha256}/{index}` carry one chunk's raw bytes (already compressed files: PDF, JPEG,
/// PNG). The hub takes a file only from the office whose attachment row names it, and gives it only
/// to a device that reads such a row.
pub const BLOB_STATE_PATH: &str = "/v1/blob/state";

/// The path of chunk `index` of file `sha256`.
pub fn blob_chunk_path(sha256: &str, index: u32) -> String {
    format!("/v1/blob/{sha256}/{index}")
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BlobQuery {
    pub sha256: String,
}

/// How much of a file the hub holds: its first `received` chunks; `complete` once all of them are
/// there and the whole file's hash was checked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BlobState {
    pub sha256: String,
    pub size: u64,
    pub received: u32,
    pub complete: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnrollRequest {
    /// The one-time code the hub admin gave.
    pub code: String,
    /// A name for people to recognise the laptop by (hostname).
    pub device_name: String,
    pub database_id: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnrollResponse {
    pub device_id: String,
    /// Shown once; the hub keeps only its hash.
    pub token: String,
    pub office_id: String,
    pub office_code: String,
    /// The office's name, so a laptop set up from the hub needs nothing typed about its office.
    #[serde(default)]
    pub office_name: String,
}

/// An office the hub knows: every laptop learns the district's offices from the hub, so an office
/// added there reaches every laptop, and a laptop can be set up for it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OfficeInfo {
    pub id: String,
    pub code: String,
    pub name: String,
    /// The Kantor Camat (the district's HQ).
    pub hq: bool,
}

/// One local change, as the outbox recorded it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Mutation {
    /// Unique per change (UUIDv7); pushing it again is harmless.
    pub mutation_id: String,
    pub entity: String,
    pub row_id: String,
    /// The version the change was made on (0 = a new row).
    pub base_version: i64,
    pub version: i64,
    pub owner_office_id: String,
    /// The whole row.
    pub payload: serde_json::Value,
}

/// On the wire a push batch is [`wire::PushBatch`]: the same mutations, without repeating what
/// compresses badly (see there).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(into = "wire::PushBatch", try_from = "wire::PushBatch")]
pub struct PushRequest {
    pub mutations: Vec<Mutation>,
    /// Conflicts (by the mutation id that met them) a person on this laptop has settled since
    /// the last push: the hub closes them too.
    #[serde(default)]
    pub resolved_conflicts: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum Outcome {
    Applied,
    /// Already received (the same mutation id, or the very same row content).
    Duplicate,
    /// Another device of the office changed the row since this change's base: the hub keeps its
    /// version and both are kept for a person to resolve.
    Conflict {
        hub_version: i64,
        hub_payload: serde_json::Value,
    },
    /// Refused for good, with the reason in Indonesian, and the row as the hub holds it (none
    /// when the hub has no such row): the laptop takes it back, so it never stays ahead of the hub.
    Rejected {
        reason: String,
        #[serde(default)]
        hub_row: Option<HubRow>,
    },
}

/// A row's version and whole payload at the hub.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HubRow {
    pub version: i64,
    pub payload: serde_json::Value,
    /// The office the row belonged to before it moved (that office keeps receiving it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub previous_owner: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Ack {
    pub mutation_id: String,
    #[serde(flatten)]
    pub outcome: Outcome,
}

/// The hub's answer to a push: one outcome per mutation, in the order they were sent (so the
/// answer does not repeat their ids).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PushResponse {
    pub outcomes: Vec<Outcome>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PullRequest {
    /// The last hub sequence this device has committed.
    pub cursor: i64,
    /// Roughly how many bytes of rows to send back (uncompressed).
    pub max_bytes: u32,
    /// Also the rows this device wrote itself (a restored database fetches everything).
    #[serde(default)]
    pub include_own: bool,
    /// The mutation-id prefix of this copy of the database: rows it wrote are not sent back, but
    /// rows another copy enrolled with the same token wrote are.
    #[serde(default)]
    pub writer: Option<String>,
}

/// A row as the hub holds it now. `P` is how the payload is held: parsed on a laptop, the
/// stored text on the hub ([`RawPayload`]), which sends it without parsing it again; both are
/// the same JSON on the wire.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RowChange<P = serde_json::Value> {
    pub seq: i64,
    pub entity: String,
    pub row_id: String,
    pub owner_office_id: String,
    /// The office the row belonged to before it moved (a transfer): that office still holds it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub previous_owner: Option<String>,
    pub version: i64,
    pub payload: P,
}

/// A row's payload as the hub stores it: JSON text, sent as it is.
pub type RawPayload = Box<serde_json::value::RawValue>;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PullResponse<P = serde_json::Value> {
    pub changes: Vec<RowChange<P>>,
    /// The cursor to commit with these rows.
    pub cursor: i64,
    /// More rows wait beyond this page.
    pub more: bool,
    /// The district's offices as the hub has them (a few dozen lines, sent with every page).
    #[serde(default)]
    pub offices: Vec<OfficeInfo>,
}

/// The body of every refusal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorBody {
    /// Stable, for programs: `protocol`, `unauthorized`, `revoked`, `forbidden`, `bad_request`,
    /// `too_large`, `wrong_database`, `cloned`, `busy`, `internal`.
    pub code: String,
    /// For people, in Indonesian.
    pub message: String,
}

#[derive(Debug, thiserror::Error)]
pub enum WireError {
    #[error("isi pesan tidak dapat diurai: {0}")]
    Decode(String),
    #[error("isi pesan melebihi {0} byte")]
    TooLarge(usize),
}

/// A digest of a set of rows, the same on a laptop and at the hub when they hold the same rows:
/// feed rows entity by entity in [`ENTITIES`] order, each entity's rows by id.
pub struct RowDigest(sha2::Sha256);

impl RowDigest {
    pub fn new() -> Self {
        Self(sha2::Sha256::default())
    }

    pub fn add(&mut self, entity: &str, payload: &serde_json::Value) {
        use sha2::Digest;
        let text = payload.to_string();
        for part in [entity.as_bytes(), text.as_bytes()] {
            self.0.update((part.len() as u64).to_le_bytes());
            self.0.update(part);
        }
    }

    pub fn hex(self) -> String {
        use sha2::Digest;
        self.0
            .finalize()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    }
}

impl Default for RowDigest {
    fn default() -> Self {
        Self::new()
    }
}

/// The zstd level of every body: the link, not the CPU, is what is scarce.
pub const ZSTD_LEVEL: i32 = 9;

/// JSON, zstd-compressed.
pub fn encode<T: Serialize>(value: &T) -> Vec<u8> {
    let json = serde_json::to_vec(value).expect("wire types always serialise");
    zstd::bulk::compress(&json, ZSTD_LEVEL).expect("compressing into memory does not fail")
}

/// The reverse of [`encode`], refusing anything that expands beyond [`MAX_DECODED_BYTES`].
pub fn decode<T: for<'de> Deserialize<'de>>(bytes: &[u8]) -> Result<T, WireError> {
    decode_within(bytes, MAX_DECODED_BYTES)
}

/// [`decode`], decompressing at most `max` bytes: a small request (an enrolment) is refused
/// before a few KB can inflate into megabytes.
pub fn decode_within<T: for<'de> Deserialize<'de>>(
    bytes: &[u8],
    max: usize,
) -> Result<T, WireError> {
    use std::io::Read;
    let mut decoder =
        zstd::stream::read::Decoder::new(bytes).map_err(|e| WireError::Decode(e.to_string()))?;
    let mut json = Vec::new();
    (&mut decoder)
        .take(max as u64 + 1)
        .read_to_end(&mut json)
        .map_err(|e| WireError::Decode(e.to_string()))?;
    if json.len() > max {
        return Err(WireError::TooLarge(max));
    }
    serde_json::from_slice(&json).map_err(|e| WireError::Decode(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outcomes_round_trip() {
        let acks = PushResponse {
            outcomes: vec![
                Outcome::Applied,
                Outcome::Conflict {
                    hub_version: 3,
                    hub_payload: serde_json::json!({"id": "r"}),
                },
                Outcome::Rejected {
                    reason: "bukan milik kantor ini".into(),
                    hub_row: Some(HubRow {
                        version: 2,
                        payload: serde_json::json!({"id": "r"}),
                        previous_owner: Some("B".into()),
                    }),
                },
            ],
        };
        let back: PushResponse = decode(&encode(&acks)).unwrap();
        assert_eq!(back, acks);
    }

    #[test]
    fn garbage_and_bombs_are_refused_not_expanded() {
        assert!(matches!(
            decode::<PullRequest>(b"not zstd at all"),
            Err(WireError::Decode(_))
        ));
        let bomb = zstd::bulk::compress(&vec![b' '; MAX_DECODED_BYTES + 10], 19).unwrap();
        assert!(bomb.len() < 100_000);
        assert!(matches!(
            decode::<PullRequest>(&bomb),
            Err(WireError::TooLarge(_))
        ));
    }
}
