//! Tokens and the clock as the hub stores them: random secrets from the OS, their SHA-256 hashes
//! (the hub keeps only hashes of device tokens, session cookies and enrolment codes), and the time
//! stamped on rows.

use chrono::Utc;
use sha2::{Digest, Sha256};

pub(crate) fn now() -> String {
    Utc::now().format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string()
}

pub(crate) fn hash(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}

/// 32 random bytes from the OS (through UUIDv4), hex.
pub(crate) fn random_hex() -> String {
    format!(
        "{}{}",
        uuid::Uuid::new_v4().simple(),
        uuid::Uuid::new_v4().simple()
    )
}
