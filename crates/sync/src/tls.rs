//! Which hub certificates a laptop trusts: the public web roots, plus the certificate authority
//! in the PEM file `PELITA_HUB_CA` names (for a hub at the Kantor Camat with its own,
//! self-issued certificate).

use std::path::Path;
use std::sync::Arc;

use rustls::pki_types::pem::PemObject;
use rustls::pki_types::CertificateDer;
use rustls::{ClientConfig, RootCertStore};

use crate::SyncError;

pub const CA_ENV: &str = "PELITA_HUB_CA";

pub fn trusting(ca: &Path) -> Result<Arc<ClientConfig>, SyncError> {
    let fail = |why: String| SyncError::Certificate(format!("({}) {why}", ca.display()));
    let certs = CertificateDer::pem_file_iter(ca)
        .and_then(|certs| certs.collect::<Result<Vec<_>, _>>())
        .map_err(|e| fail(format!("tidak terbaca sebagai PEM: {e}")))?;
    if certs.is_empty() {
        return Err(fail("tidak berisi sertifikat".into()));
    }
    let mut roots = RootCertStore {
        roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
    };
    for cert in certs {
        roots
            .add(cert)
            .map_err(|e| fail(format!("tidak dapat dipercaya: {e}")))?;
    }
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| fail(e.to_string()))?
        .with_root_certificates(roots)
        .with_no_client_auth();
    Ok(Arc::new(config))
}

/// A transport failure: an untrusted hub certificate is for a person to fix (retrying cannot
/// help); anything else is the link.
pub(crate) fn explain(t: ureq::Transport) -> SyncError {
    let detail = t.to_string();
    if detail.contains("certificate") || detail.contains("Certificate") {
        SyncError::Certificate(format!(
            "tidak dipercaya laptop ini; minta berkas sertifikat CA hub dari admin dan sebutkan \
             di {CA_ENV}. Rincian teknis: {detail}"
        ))
    } else {
        SyncError::Network(detail)
    }
}
