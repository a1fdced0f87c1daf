//! Attachments: the bukti dukung of a realisasi and the certificate of a training participation
//! (PermenPANRB 6/2022 asks for evidence of each RHK's realisasi). What a file may be — a PDF or a
//! photo, recognised by its content, never by its name — how large, and how it travels: in chunks
//! of [`CHUNK_BYTES`], so a transfer cut anywhere resumes at the chunk it lost, and is addressed by
//! the SHA-256 of its content, which names the same file alike on every laptop and the hub.

use serde::{Deserialize, Serialize};
use specta::Type;

use crate::ValidationError;

/// Largest file kept: a scanned page or a phone photo fits; a scanned book does not belong in a
/// laptop that syncs over a mobile link.
pub const MAX_BYTES: usize = 5 * 1024 * 1024;

/// A file travels in chunks of this size (the last one shorter): at 64 kbit/s one chunk is about
/// four seconds on the wire, so rows written meanwhile wait at most that long.
pub const CHUNK_BYTES: usize = 32 * 1024;

/// Longest file name kept (the name is for people; the content's hash identifies the file).
pub const MAX_NAME_CHARS: usize = 120;

/// What a file is, read from its first bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
pub enum MediaType {
    #[serde(rename = "application/pdf")]
    Pdf,
    #[serde(rename = "image/jpeg")]
    Jpeg,
    #[serde(rename = "image/png")]
    Png,
}

impl MediaType {
    pub fn mime(self) -> &'static str {
        match self {
            MediaType::Pdf => "application/pdf",
            MediaType::Jpeg => "image/jpeg",
            MediaType::Png => "image/png",
        }
    }

    pub fn parse(mime: &str) -> Option<Self> {
        [MediaType::Pdf, MediaType::Jpeg, MediaType::Png]
            .into_iter()
            .find(|m| m.mime() == mime)
    }

    /// The type `bytes` hold, from their signature; `None` for anything else.
    pub fn sniff(bytes: &[u8]) -> Option<Self> {
        if bytes.starts_with(b"%PDF-") {
            Some(MediaType::Pdf)
        } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
            Some(MediaType::Jpeg)
        } else if bytes.starts_with(&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A]) {
            Some(MediaType::Png)
        } else {
            None
        }
    }
}

/// How many chunks a file of `size` bytes travels in (an empty file is refused before).
pub fn chunk_count(size: u64) -> u32 {
    size.div_ceil(CHUNK_BYTES as u64) as u32
}

/// The length chunk `index` of a file of `size` bytes must have; `None` past its end.
pub fn chunk_len(size: u64, index: u32) -> Option<usize> {
    let start = u64::from(index) * CHUNK_BYTES as u64;
    (start < size).then(|| (size - start).min(CHUNK_BYTES as u64) as usize)
}

/// A file as it is kept: its name without any folder, cut to [`MAX_NAME_CHARS`] and with control
/// characters taken out, and its type from its content. A file that is empty, too large or neither
/// a PDF nor a JPEG/PNG photo is refused, saying which.
pub fn check(file_name: &str, bytes: &[u8]) -> Result<(String, MediaType), ValidationError> {
    let base = file_name
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or_default()
        .chars()
        .filter(|c| !c.is_control())
        .collect::<String>();
    let base = base.trim();
    let name = if base.is_empty() {
        "berkas".to_string()
    } else {
        base.chars().take(MAX_NAME_CHARS).collect()
    };
    if bytes.is_empty() {
        return Err(ValidationError::single(
            "file",
            format!("berkas '{name}' kosong"),
        ));
    }
    if bytes.len() > MAX_BYTES {
        return Err(ValidationError::single(
            "file",
            format!(
                "berkas '{name}' berukuran {:.1} MB; paling besar {} MB (pindai dengan resolusi lebih rendah atau pisahkan halamannya)",
                bytes.len() as f64 / (1024.0 * 1024.0),
                MAX_BYTES / (1024 * 1024)
            ),
        ));
    }
    let media = MediaType::sniff(bytes).ok_or_else(|| {
        ValidationError::single(
            "file",
            format!("berkas '{name}' bukan PDF, JPEG atau PNG (bukti dukung berupa dokumen PDF atau foto)"),
        )
    })?;
    Ok((name, media))
}

/// Whether `text` is a SHA-256 as attachments name their content: 64 lowercase hex digits.
pub fn is_sha256(text: &str) -> bool {
    text.len() == 64 && text.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// Why a synced attachment row cannot be taken (`None`: it can): a row whose file is not one a
/// laptop could have attached (no SHA-256, no size or too large, another type), or a change that
/// would make an existing attachment name another file — a file is never replaced, another file is
/// another attachment. The hub checks it on every push.
pub fn row_refused(before: Option<&serde_json::Value>, row: &serde_json::Value) -> Option<String> {
    let text =
        |r: &serde_json::Value, f: &str| r.get(f).and_then(|v| v.as_str()).map(str::to_string);
    let sha = text(row, "sha256").unwrap_or_default();
    if !is_sha256(&sha) {
        return Some("lampiran tanpa sidik SHA-256 yang sah".into());
    }
    let size = row
        .get("size")
        .and_then(serde_json::Value::as_u64)
        .unwrap_or(0);
    if size == 0 || size > MAX_BYTES as u64 {
        return Some(format!("lampiran berukuran {size} byte tidak diterima"));
    }
    let name = text(row, "file_name").unwrap_or_default();
    if name.trim().is_empty()
        || name.chars().count() > MAX_NAME_CHARS
        || name
            .chars()
            .any(|c| c.is_control() || c == '/' || c == '\\')
    {
        return Some(
            "nama berkas lampiran tidak sah (kosong, terlalu panjang, atau memuat folder)".into(),
        );
    }
    if text(row, "media_type")
        .and_then(|m| MediaType::parse(&m))
        .is_none()
    {
        return Some("lampiran bukan PDF, JPEG atau PNG".into());
    }
    if let Some(before) = before {
        let same = |f: &str| before.get(f) == row.get(f);
        let fixed = [
            "sha256",
            "size",
            "media_type",
            "employee_id",
            "realisasi_id",
            "participation_id",
        ];
        if !fixed.iter().all(|f| same(f)) {
            return Some(
                "berkas sebuah lampiran tidak dapat diganti; hapus lampiran itu dan tambahkan yang baru"
                    .into(),
            );
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_is_known_by_its_content_not_its_name() {
        assert_eq!(
            check("C:\\Dokumen\\bukti.pdf", b"%PDF-1.4 ...").unwrap(),
            ("bukti.pdf".to_string(), MediaType::Pdf)
        );
        assert_eq!(
            check("foto.pdf", &[0xFF, 0xD8, 0xFF, 0xE0, 1]).unwrap().1,
            MediaType::Jpeg
        );
        let png = [0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 0];
        assert_eq!(check("x", &png).unwrap().1, MediaType::Png);
        let e = check("laporan.pdf", b"MZ\x90\0 not a pdf").unwrap_err();
        assert!(e.errors[0].message.contains("bukan PDF"), "{e:?}");
    }

    #[test]
    fn empty_and_oversized_files_are_refused_with_their_name() {
        assert!(check("a.pdf", b"").unwrap_err().errors[0]
            .message
            .contains("'a.pdf' kosong"));
        let mut big = b"%PDF-".to_vec();
        big.resize(MAX_BYTES + 1, b' ');
        let e = check("besar.pdf", &big).unwrap_err();
        assert!(e.errors[0].message.contains("paling besar 5 MB"), "{e:?}");
        big.truncate(MAX_BYTES);
        assert!(check("pas.pdf", &big).is_ok());
    }

    #[test]
    fn names_lose_folders_and_control_characters() {
        let (name, _) = check("../../etc/pa\u{0}ss\nwd.pdf", b"%PDF-").unwrap();
        assert_eq!(name, "passwd.pdf");
        let (name, _) = check("   ", b"%PDF-").unwrap();
        assert_eq!(name, "berkas");
        let long = "a".repeat(300);
        assert_eq!(
            check(&long, b"%PDF-").unwrap().0.chars().count(),
            MAX_NAME_CHARS
        );
    }

    #[test]
    fn chunks_cover_a_file_exactly() {
        let c = CHUNK_BYTES as u64;
        assert_eq!(chunk_count(1), 1);
        assert_eq!(chunk_count(c), 1);
        assert_eq!(chunk_count(c + 1), 2);
        assert_eq!(chunk_len(c + 1, 0), Some(CHUNK_BYTES));
        assert_eq!(chunk_len(c + 1, 1), Some(1));
        assert_eq!(chunk_len(c + 1, 2), None);
        assert_eq!(chunk_len(c, 1), None);
    }

    #[test]
    fn a_synced_row_names_a_valid_file_and_never_another_one() {
        let row = serde_json::json!({
            "sha256": "ab".repeat(32), "size": 10, "media_type": "application/pdf",
            "realisasi_id": "r1", "participation_id": null, "file_name": "a.pdf",
        });
        assert_eq!(row_refused(None, &row), None);
        let mut renamed = row.clone();
        renamed["file_name"] = "b.pdf".into();
        renamed["deleted"] = 1.into();
        assert_eq!(row_refused(Some(&row), &renamed), None);
        let mut other = row.clone();
        other["sha256"] = "cd".repeat(32).into();
        assert!(row_refused(Some(&row), &other)
            .unwrap()
            .contains("tidak dapat diganti"));
        let mut moved = row.clone();
        moved["realisasi_id"] = "r2".into();
        assert!(row_refused(Some(&row), &moved).is_some());
        let mut huge = row.clone();
        huge["size"] = (MAX_BYTES as u64 + 1).into();
        assert!(row_refused(None, &huge).is_some());
        let mut exe = row.clone();
        exe["media_type"] = "application/x-msdownload".into();
        assert!(row_refused(None, &exe).is_some());
        for name in ["../../.bashrc", "a\\b.pdf", "", "x\u{0}.pdf"] {
            let mut named = row.clone();
            named["file_name"] = name.into();
            assert!(row_refused(None, &named).is_some(), "{name}");
        }
        let mut retyped = row.clone();
        retyped["media_type"] = "image/png".into();
        assert!(row_refused(Some(&row), &retyped).is_some());
        let mut bad = row;
        bad["sha256"] = "x".into();
        assert!(row_refused(None, &bad).is_some());
    }

    #[test]
    fn hashes_are_lowercase_hex_of_sha256_length() {
        assert!(is_sha256(&"ab".repeat(32)));
        assert!(!is_sha256(&"AB".repeat(32)));
        assert!(!is_sha256("ab"));
        assert!(!is_sha256(&"g".repeat(64)));
    }
}
