//! Sync bundles: the same exchange as a push and a pull, carried on a USB stick when there is no
//! link at all. A bundle is sealed for one enrolled device: XChaCha20-Poly1305 under a key derived
//! from the device token (the hub derives it from the token's hash, which is all it keeps), with
//! the plain header as associated data — so it is both private and signed by that device.
//!
//! File: `PELITA-BUNDLE\n`, the header's length (u32 LE), the header (JSON), the sealed body
//! (zstd JSON).

use chacha20poly1305::aead::{Aead, AeadCore, KeyInit, OsRng, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::{Ack, PullResponse, PushRequest, WireError};

const MAGIC: &[u8] = b"PELITA-BUNDLE\n";

/// Who a bundle is for, in the clear.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BundleHeader {
    pub protocol: u32,
    /// `to_hub` (a laptop's changes) or `from_hub` (the hub's answer).
    pub direction: String,
    pub device_id: String,
    pub database_id: String,
    /// For people reading the file name's story; decides nothing.
    pub created_at: String,
    pub nonce: String,
}

/// A laptop's changes, and where it stands.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ToHub {
    pub push: PushRequest,
    /// The laptop's pull cursor, so the answer carries what it lacks.
    pub cursor: i64,
    pub include_own: bool,
    /// The copy of the database that made the bundle (see [`crate::PullRequest::writer`]).
    #[serde(default)]
    pub writer: Option<String>,
}

/// The hub's answer: the acknowledgements of the bundle's changes and everything new since the
/// laptop's cursor.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FromHub {
    pub acks: Vec<Ack>,
    pub resolved_conflicts: Vec<String>,
    pub pull: PullResponse,
}

/// Hex SHA-256 of a device token: what the hub stores instead of the token.
pub fn token_hash(token: &str) -> String {
    hex(&Sha256::digest(token.as_bytes()))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn key(token_hash: &str) -> chacha20poly1305::Key {
    let mut h = Sha256::new();
    h.update(b"pelita-bundle-v1:");
    h.update(token_hash.as_bytes());
    h.finalize()
}

/// Seals `body` for the device whose token hashes to `token_hash`.
pub fn seal<T: Serialize>(mut header: BundleHeader, body: &T, token_hash: &str) -> Vec<u8> {
    let nonce = XChaCha20Poly1305::generate_nonce(&mut OsRng);
    header.nonce = hex(&nonce);
    let head = serde_json::to_vec(&header).expect("headers serialise");
    let sealed = XChaCha20Poly1305::new(&key(token_hash))
        .encrypt(
            &nonce,
            Payload {
                msg: &crate::encode(body),
                aad: &head,
            },
        )
        .expect("sealing into memory does not fail");
    let mut out = Vec::with_capacity(MAGIC.len() + 4 + head.len() + sealed.len());
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&(head.len() as u32).to_le_bytes());
    out.extend_from_slice(&head);
    out.extend_from_slice(&sealed);
    out
}

/// The header alone (to find the device whose key opens the rest).
pub fn header(bytes: &[u8]) -> Result<BundleHeader, WireError> {
    split(bytes).map(|(h, _, _)| h)
}

fn split(bytes: &[u8]) -> Result<(BundleHeader, &[u8], &[u8]), WireError> {
    let not = || WireError::Decode("bukan berkas bundel Pelita".into());
    let rest = bytes.strip_prefix(MAGIC).ok_or_else(not)?;
    let len = u32::from_le_bytes(
        rest.get(..4)
            .ok_or_else(not)?
            .try_into()
            .map_err(|_| not())?,
    );
    let head = rest.get(4..4 + len as usize).ok_or_else(not)?;
    let header: BundleHeader = serde_json::from_slice(head).map_err(|_| not())?;
    Ok((header, head, &rest[4 + len as usize..]))
}

/// Opens a bundle sealed for the device whose token hashes to `token_hash`; an altered or
/// foreign bundle is refused.
pub fn open<T: for<'de> Deserialize<'de>>(
    bytes: &[u8],
    token_hash: &str,
) -> Result<(BundleHeader, T), WireError> {
    let (header, head, sealed) = split(bytes)?;
    let nonce_bytes: Vec<u8> = (0..header.nonce.len() / 2)
        .filter_map(|i| u8::from_str_radix(header.nonce.get(2 * i..2 * i + 2)?, 16).ok())
        .collect();
    if nonce_bytes.len() != 24 {
        return Err(WireError::Decode("bundel rusak (nonce)".into()));
    }
    let plain = XChaCha20Poly1305::new(&key(token_hash))
        .decrypt(
            XNonce::from_slice(&nonce_bytes),
            Payload {
                msg: sealed,
                aad: head,
            },
        )
        .map_err(|_| {
            WireError::Decode(
                "bundel ini tidak dapat dibuka: berkasnya diubah, rusak, atau bukan untuk perangkat ini"
                    .into(),
            )
        })?;
    Ok((header, crate::decode(&plain)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header() -> BundleHeader {
        BundleHeader {
            protocol: crate::PROTOCOL_VERSION,
            direction: "to_hub".into(),
            device_id: "d".into(),
            database_id: "db".into(),
            created_at: String::new(),
            nonce: String::new(),
        }
    }

    #[test]
    fn a_bundle_opens_only_unchanged_and_only_with_its_device_key() {
        let body = ToHub {
            push: PushRequest {
                mutations: vec![],
                resolved_conflicts: vec!["m".into()],
            },
            cursor: 7,
            include_own: false,
            writer: Some("db.c".into()),
        };
        let key = token_hash("token");
        let bytes = seal(header(), &body, &key);
        let (h, back): (BundleHeader, ToHub) = open(&bytes, &key).unwrap();
        assert_eq!((h.device_id.as_str(), back), ("d", body));
        assert!(open::<ToHub>(&bytes, &token_hash("other")).is_err());
        let mut altered = bytes.clone();
        let last = altered.len() - 1;
        altered[last] ^= 1;
        assert!(open::<ToHub>(&altered, &key).is_err());
        // The header is signed too: pointing it at another database breaks the seal.
        let text = String::from_utf8_lossy(&bytes).replace("\"db\"", "\"xx\"");
        assert!(open::<ToHub>(text.as_bytes(), &key).is_err());
        assert!(super::header(b"PK\x03\x04").is_err());
    }
}
