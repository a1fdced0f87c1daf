//! Enrolling a laptop with no link at all: a request file carried to the hub, and the hub's
//! answer carried back (DESIGN §1, offices without any connection).
//!
//! The one-time code is never written to the stick. Two secrets derive from it ([`code_secrets`]),
//! and the hub keeps both from when it issued the code: a *verifier* (argon2id, so guessing the
//! code from a request file is out of reach) that the request carries to name the code, and a
//! *pre-shared key* that never travels. The request also carries an X25519 public key the laptop
//! generated and keeps. The answer — the device token and the office's first pull — is sealed with
//! XChaCha20-Poly1305 under a key agreed from that public key, a one-off key of the hub's and the
//! pre-shared key: only the laptop that knows the code and kept the secret opens it, and nobody
//! who carried the files can forge an answer or swap in their own key and read the token.
//!
//! Files: `PELITA-DAFTAR\n` + the request (JSON); `PELITA-DAFTAR-JAWAB\n`, the header's length
//! (u32 LE), the header (JSON, associated data), the sealed answer (zstd JSON).

use chacha20poly1305::aead::rand_core::RngCore;
use chacha20poly1305::aead::{Aead, AeadCore, KeyInit, OsRng, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use x25519_dalek::{PublicKey, StaticSecret};

use crate::{EnrollResponse, PullResponse, WireError};

const REQUEST_MAGIC: &[u8] = b"PELITA-DAFTAR\n";
const ANSWER_MAGIC: &[u8] = b"PELITA-DAFTAR-JAWAB\n";

/// What a laptop asks the hub for, on a USB stick.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnrolRequest {
    pub protocol: u32,
    pub database_id: String,
    pub device_name: String,
    /// The office the laptop was set up for (a code for another office is refused unspent).
    pub office_id: String,
    /// The code's verifier ([`code_secrets`]).
    pub verifier: String,
    /// The laptop's X25519 public key, hex.
    pub public_key: String,
    pub created_at: String,
}

/// The hub's answer: the enrolment, and everything the office holds at the hub (its first pull).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EnrolAnswer {
    pub enrolment: EnrollResponse,
    pub pull: PullResponse,
}

/// The answer's plain header (associated data of the seal).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnswerHeader {
    pub protocol: u32,
    pub database_id: String,
    /// The hub's one-off public key, hex.
    pub hub_key: String,
    pub nonce: String,
}

fn normal(code: &str) -> String {
    code.trim().to_uppercase().replace([' ', '-'], "")
}

/// A one-time code as the hub keeps it for online enrolment: upper case, without spaces or
/// dashes, hashed.
pub fn code_hash(code: &str) -> String {
    hex(&Sha256::digest(normal(code).as_bytes()))
}

/// The two secrets of a code for enrolling by files: its verifier (argon2id, hex) and its
/// pre-shared key (hex).
pub fn code_secrets(code: &str) -> (String, String) {
    let code = normal(code);
    let mut verifier = [0u8; 32];
    argon2::Argon2::default()
        .hash_password_into(code.as_bytes(), b"pelita-daftar-v1-verifier", &mut verifier)
        .expect("argon2 with fixed lengths does not fail");
    let mut h = Sha256::new();
    h.update(b"pelita-daftar-v1-psk:");
    h.update(code.as_bytes());
    (hex(&verifier), hex(&h.finalize()))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex<const N: usize>(text: &str) -> Option<[u8; N]> {
    let bytes: Vec<u8> = (0..text.len() / 2)
        .map(|i| u8::from_str_radix(text.get(2 * i..2 * i + 2)?, 16).ok())
        .collect::<Option<_>>()?;
    bytes.try_into().ok()
}

fn bad(what: &str) -> WireError {
    WireError::Decode(what.into())
}

/// A new key pair for a request: the secret (hex, for the laptop to keep) and the public key (hex).
pub fn new_key() -> (String, String) {
    let mut secret = [0u8; 32];
    OsRng.fill_bytes(&mut secret);
    let public = PublicKey::from(&StaticSecret::from(secret));
    (hex(&secret), hex(public.as_bytes()))
}

/// Whether `bytes` is a request file (so the hub's bundle import can tell it from a sync bundle).
pub fn is_request(bytes: &[u8]) -> bool {
    bytes.starts_with(REQUEST_MAGIC)
}

/// Whether `bytes` is an answer file.
pub fn is_answer(bytes: &[u8]) -> bool {
    bytes.starts_with(ANSWER_MAGIC)
}

pub fn write_request(req: &EnrolRequest) -> Vec<u8> {
    let mut out = REQUEST_MAGIC.to_vec();
    out.extend(serde_json::to_vec(req).expect("requests serialise"));
    out
}

pub fn read_request(bytes: &[u8]) -> Result<EnrolRequest, WireError> {
    let body = bytes
        .strip_prefix(REQUEST_MAGIC)
        .ok_or_else(|| bad("bukan berkas permintaan pendaftaran Pelita"))?;
    let req: EnrolRequest =
        serde_json::from_slice(body).map_err(|_| bad("berkas permintaan pendaftaran rusak"))?;
    if unhex::<32>(&req.public_key).is_none() {
        return Err(bad("berkas permintaan pendaftaran rusak (kunci)"));
    }
    Ok(req)
}

fn key(shared: &[u8; 32], psk: &str, hub: &PublicKey, laptop: &PublicKey) -> chacha20poly1305::Key {
    let mut h = Sha256::new();
    h.update(b"pelita-daftar-v1:");
    h.update(shared);
    h.update(psk.as_bytes());
    h.update(hub.as_bytes());
    h.update(laptop.as_bytes());
    h.finalize()
}

/// Seals `answer` for the laptop that made `req`, with the pre-shared key of its code.
pub fn seal_answer(
    req: &EnrolRequest,
    psk: &str,
    answer: &EnrolAnswer,
) -> Result<Vec<u8>, WireError> {
    let laptop = PublicKey::from(
        unhex::<32>(&req.public_key).ok_or_else(|| bad("kunci laptop pada permintaan rusak"))?,
    );
    let mut secret = [0u8; 32];
    OsRng.fill_bytes(&mut secret);
    let ours = StaticSecret::from(secret);
    let hub = PublicKey::from(&ours);
    let shared = ours.diffie_hellman(&laptop);
    if !shared.was_contributory() {
        return Err(bad("kunci laptop pada permintaan tidak sah"));
    }
    let nonce = XChaCha20Poly1305::generate_nonce(&mut OsRng);
    let header = AnswerHeader {
        protocol: crate::PROTOCOL_VERSION,
        database_id: req.database_id.clone(),
        hub_key: hex(hub.as_bytes()),
        nonce: hex(&nonce),
    };
    let head = serde_json::to_vec(&header).expect("headers serialise");
    let sealed = XChaCha20Poly1305::new(&key(shared.as_bytes(), psk, &hub, &laptop))
        .encrypt(
            &nonce,
            Payload {
                msg: &crate::encode(answer),
                aad: &head,
            },
        )
        .map_err(|_| bad("jawaban tidak dapat disegel"))?;
    let mut out = ANSWER_MAGIC.to_vec();
    out.extend_from_slice(&(head.len() as u32).to_le_bytes());
    out.extend_from_slice(&head);
    out.extend_from_slice(&sealed);
    Ok(out)
}

/// Opens an answer with the laptop's kept secret and its code's pre-shared key (hex); an altered
/// or forged answer, or one for another laptop, is refused.
pub fn open_answer(
    bytes: &[u8],
    secret: &str,
    psk: &str,
) -> Result<(AnswerHeader, EnrolAnswer), WireError> {
    let not = || bad("bukan berkas jawaban pendaftaran Pelita");
    let rest = bytes.strip_prefix(ANSWER_MAGIC).ok_or_else(not)?;
    let len = u32::from_le_bytes(
        rest.get(..4)
            .ok_or_else(not)?
            .try_into()
            .map_err(|_| not())?,
    );
    let head = rest.get(4..4 + len as usize).ok_or_else(not)?;
    let header: AnswerHeader = serde_json::from_slice(head).map_err(|_| not())?;
    let sealed = &rest[4 + len as usize..];
    let ours = StaticSecret::from(
        unhex::<32>(secret).ok_or_else(|| bad("kunci pendaftaran laptop ini rusak"))?,
    );
    let hub = PublicKey::from(unhex::<32>(&header.hub_key).ok_or_else(not)?);
    let nonce: [u8; 24] = unhex(&header.nonce).ok_or_else(not)?;
    let shared = ours.diffie_hellman(&hub);
    if !shared.was_contributory() {
        return Err(not());
    }
    let plain = XChaCha20Poly1305::new(&key(shared.as_bytes(), psk, &hub, &PublicKey::from(&ours)))
        .decrypt(
            XNonce::from_slice(&nonce),
            Payload {
                msg: sealed,
                aad: head,
            },
        )
        .map_err(|_| {
            bad("jawaban pendaftaran ini tidak dapat dibuka: berkasnya diubah, rusak, atau untuk permintaan laptop lain")
        })?;
    Ok((header, crate::decode(&plain)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(public_key: String) -> EnrolRequest {
        EnrolRequest {
            protocol: crate::PROTOCOL_VERSION,
            database_id: "db".into(),
            device_name: "laptop".into(),
            office_id: "T".into(),
            verifier: code_secrets("k7q2-mx4p").0,
            public_key,
            created_at: String::new(),
        }
    }

    fn answer() -> EnrolAnswer {
        EnrolAnswer {
            enrolment: EnrollResponse {
                device_id: "d".into(),
                token: "rahasia".into(),
                office_id: "T".into(),
                office_code: "TERJUN".into(),
                office_name: "Kelurahan Terjun".into(),
            },
            pull: PullResponse {
                changes: Vec::new(),
                cursor: 7,
                more: false,
                offices: Vec::new(),
            },
        }
    }

    #[test]
    fn only_the_laptop_that_asked_opens_the_answer_and_nothing_in_it_can_be_changed() {
        assert_eq!(code_hash("K7Q2 MX4P"), code_hash("k7q2-mx4p"));
        assert_eq!(code_secrets("K7Q2 MX4P"), code_secrets("k7q2-mx4p"));
        let (verifier, psk) = code_secrets("k7q2-mx4p");
        assert_ne!(verifier, code_hash("k7q2-mx4p"));
        let (secret, public) = new_key();
        let req = request(public);
        let written = write_request(&req);
        assert_eq!(read_request(&written).unwrap(), req);
        assert!(
            !String::from_utf8_lossy(&written).contains(&psk),
            "the pre-shared key never travels"
        );
        let sealed = seal_answer(&req, &psk, &answer()).unwrap();
        assert!(is_answer(&sealed) && !is_request(&sealed));
        let (header, opened) = open_answer(&sealed, &secret, &psk).unwrap();
        assert_eq!((header.database_id.as_str(), opened), ("db", answer()));
        let (other, _) = new_key();
        assert!(
            open_answer(&sealed, &other, &psk).is_err(),
            "another laptop's key"
        );
        let mut altered = sealed.clone();
        let last = altered.len() - 1;
        altered[last] ^= 1;
        assert!(open_answer(&altered, &secret, &psk).is_err());
        // Whoever carried the request knows its public key, not the code: an answer sealed
        // without the code's pre-shared key does not open.
        let (_, guessed) = code_secrets("ZZZZ-ZZZZ");
        let forged = seal_answer(&req, &guessed, &answer()).unwrap();
        assert!(open_answer(&forged, &secret, &psk).is_err());
        let token = b"rahasia";
        assert!(
            !sealed.windows(token.len()).any(|w| w == token),
            "the token never travels in the clear"
        );
    }
}
