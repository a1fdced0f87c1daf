//! HTTPS for the hub (`serve --tls-cert F --tls-key F`): a listener that completes TLS
//! handshakes off the accept loop, so one slow or silent client cannot hold the door for the
//! others, and drops connections whose handshake fails or stalls.

use std::io;
use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use tokio::net::{TcpListener, TcpStream};
use tokio::sync::mpsc;
use tokio_rustls::rustls;
use tokio_rustls::rustls::pki_types::pem::PemObject;
use tokio_rustls::rustls::pki_types::{CertificateDer, PrivateKeyDer};
pub use tokio_rustls::rustls::ServerConfig;
use tokio_rustls::server::TlsStream;
use tokio_rustls::TlsAcceptor;

const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(15);

/// Reads a PEM certificate chain and its private key; the message says which file is wrong.
pub fn load_config(cert: &Path, key: &Path) -> anyhow::Result<ServerConfig> {
    let chain = CertificateDer::pem_file_iter(cert)
        .and_then(|certs| certs.collect::<Result<Vec<_>, _>>())
        .map_err(|e| {
            anyhow::anyhow!(
                "sertifikat {} tidak terbaca sebagai PEM: {e}",
                cert.display()
            )
        })?;
    if chain.is_empty() {
        anyhow::bail!("berkas {} tidak berisi sertifikat", cert.display());
    }
    let key = PrivateKeyDer::from_pem_file(key).map_err(|e| {
        anyhow::anyhow!(
            "kunci privat {} tidak terbaca sebagai PEM: {e}",
            key.display()
        )
    })?;
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut config = ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()?
        .with_no_client_auth()
        .with_single_cert(chain, key)
        .map_err(|e| anyhow::anyhow!("sertifikat dan kunci privat tidak cocok: {e}"))?;
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(config)
}

/// Accepts TCP connections and hands on those whose TLS handshake completed.
pub struct TlsListener {
    local: SocketAddr,
    ready: mpsc::Receiver<(TlsStream<TcpStream>, SocketAddr)>,
}

impl TlsListener {
    pub fn new(listener: TcpListener, config: ServerConfig) -> io::Result<TlsListener> {
        let local = listener.local_addr()?;
        let acceptor = TlsAcceptor::from(Arc::new(config));
        let (tx, ready) = mpsc::channel(64);
        tokio::spawn(async move {
            loop {
                let (tcp, peer) = match listener.accept().await {
                    Ok(c) => c,
                    Err(_) => {
                        // Out of file descriptors and the like: wait rather than spin.
                        tokio::time::sleep(Duration::from_millis(100)).await;
                        continue;
                    }
                };
                let (acceptor, sender) = (acceptor.clone(), tx.clone());
                tokio::spawn(async move {
                    if let Ok(Ok(tls)) =
                        tokio::time::timeout(HANDSHAKE_TIMEOUT, acceptor.accept(tcp)).await
                    {
                        let _ = sender.send((tls, peer)).await;
                    }
                });
                if tx.is_closed() {
                    break;
                }
            }
        });
        Ok(TlsListener { local, ready })
    }
}

impl axum::serve::Listener for TlsListener {
    type Io = TlsStream<TcpStream>;
    type Addr = SocketAddr;

    async fn accept(&mut self) -> (Self::Io, Self::Addr) {
        match self.ready.recv().await {
            Some(conn) => conn,
            // The accept task only ends when this listener is gone.
            None => std::future::pending().await,
        }
    }

    fn local_addr(&self) -> io::Result<SocketAddr> {
        Ok(self.local)
    }
}

/// Why the hub will not serve plain HTTP at `addr`: device tokens and personal data would cross
/// the network unencrypted. Loopback is fine (a reverse proxy in front, or tests); elsewhere only
/// with `--insecure-http`, said on purpose.
pub fn plain_http_refusal(addr: &std::net::SocketAddr, insecure: bool) -> Option<String> {
    (!addr.ip().is_loopback() && !insecure).then(|| {
        format!(
            "hub tidak melayani HTTP biasa di {addr}: token perangkat dan data pegawai akan lewat \
             tanpa enkripsi. Pakai --tls-cert dan --tls-key (HTTPS), dengarkan di 127.0.0.1 di \
             belakang proxy HTTPS, atau — hanya di jaringan yang terlindung — tambahkan --insecure-http"
        )
    })
}

#[cfg(test)]
mod plain_http_tests {
    use super::plain_http_refusal;

    #[test]
    fn plain_http_only_on_loopback_unless_said_on_purpose() {
        let at = |s: &str| s.parse::<std::net::SocketAddr>().unwrap();
        assert_eq!(plain_http_refusal(&at("127.0.0.1:8080"), false), None);
        assert_eq!(plain_http_refusal(&at("[::1]:8080"), false), None);
        let refused = plain_http_refusal(&at("0.0.0.0:8080"), false).unwrap();
        assert!(refused.contains("--insecure-http") && refused.contains("--tls-cert"));
        assert!(plain_http_refusal(&at("10.200.0.1:8080"), false).is_some());
        assert_eq!(plain_http_refusal(&at("10.200.0.1:8080"), true), None);
    }
}
