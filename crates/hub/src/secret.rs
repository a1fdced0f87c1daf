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

/// The alphabet of enrolment codes: 32 letters and digits people do not confuse (no 0/O, 1/I).
const CODE_ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
/// Characters of an enrolment code: 16 × 5 bits = 80 bits.
pub const CODE_CHARS: usize = 16;

/// Random bytes from the OS CSPRNG (through UUIDv4, skipping the bytes that carry its version and
/// variant, so every byte is uniform).
fn random_bytes(n: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(n);
    while out.len() < n {
        let uuid = uuid::Uuid::new_v4().into_bytes();
        out.extend(
            uuid.iter()
                .enumerate()
                .filter(|(i, _)| *i != 6 && *i != 8)
                .map(|(_, b)| *b),
        );
    }
    out.truncate(n);
    out
}

/// A one-time enrolment code: [`CODE_CHARS`] characters of [`CODE_ALPHABET`] (each a uniform byte
/// modulo 32, which divides 256: no bias), in groups of four — `ABCD-EFGH-JKMN-PQRS`.
pub(crate) fn random_code() -> String {
    let chars: Vec<char> = random_bytes(CODE_CHARS)
        .into_iter()
        .map(|b| CODE_ALPHABET[usize::from(b) % CODE_ALPHABET.len()] as char)
        .collect();
    chars
        .chunks(4)
        .map(|c| c.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join("-")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_carry_80_bits_in_four_readable_groups() {
        let code = random_code();
        let groups: Vec<&str> = code.split('-').collect();
        assert_eq!(groups.len(), 4, "{code}");
        assert!(groups.iter().all(|g| g.len() == 4), "{code}");
        assert!(code
            .replace('-', "")
            .bytes()
            .all(|b| CODE_ALPHABET.contains(&b)));
        // 16 characters of a 32-letter alphabet: 80 bits.
        assert_eq!(
            CODE_CHARS as f64 * (CODE_ALPHABET.len() as f64).log2(),
            80.0
        );
        // Uniform: over many codes every character of the alphabet turns up at each place.
        let codes: Vec<String> = (0..2000).map(|_| random_code().replace('-', "")).collect();
        for place in [0, 7, 15] {
            let seen: std::collections::HashSet<u8> =
                codes.iter().map(|c| c.as_bytes()[place]).collect();
            assert_eq!(seen.len(), CODE_ALPHABET.len(), "place {place}");
        }
        assert_ne!(random_code(), random_code());
    }
}
