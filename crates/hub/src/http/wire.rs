//! What every route shares: the store ([`Shared`]), called off the async threads
//! ([`with_store`]); a refusal as the wire carries it ([`Refusal`]: status, stable code,
//! Indonesian message); and the extractors a sync request passes through — [`Checked`] (the
//! protocol, a zstd JSON body) and [`FromDevice`] (the same, and the device its bearer token and
//! database header name). Both read the request whole before refusing anything.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{FromRef, FromRequest, Request};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use pelita_proto::{
    encode, ErrorBody, APP_VERSION_HEADER, DATABASE_HEADER, MAX_DECODED_BYTES, PROTOCOL_HEADER,
    PROTOCOL_VERSION,
};

use crate::rules::Device;
use crate::store::{HubError, HubStore};

/// The store every request shares; it orders its own writes.
pub type Shared = Arc<dyn HubStore>;

/// What the routes hold: the store, whether cookies must only travel over TLS, and the writes
/// admitted at once.
#[derive(Clone)]
pub struct AppState {
    pub hub: Shared,
    pub secure: bool,
    pub writes: Writes,
}

impl AppState {
    pub fn new(hub: Shared, secure: bool) -> Self {
        Self {
            hub,
            secure,
            writes: Writes::default(),
        }
    }
}

/// How many writes (pushes, file chunks) go to the store at once: one being written while the
/// next waits its turn. A write asks for its place only once its request is read whole, its
/// device known and its body decoded — a slow upload or a stranger holds none — and one that
/// finds no place within [`WRITE_WAIT`] is answered busy, with when to come back
/// ([`RETRY_AFTER_SECONDS`]; the laptop sends it again then).
#[derive(Clone)]
pub struct Writes(Arc<tokio::sync::Semaphore>);

const WRITES_AT_ONCE: usize = 2;
const WRITE_WAIT: std::time::Duration = std::time::Duration::from_millis(500);
/// What a busy answer tells a laptop to wait, in seconds.
pub(crate) const RETRY_AFTER_SECONDS: u32 = 2;

impl Default for Writes {
    fn default() -> Self {
        Writes(Arc::new(tokio::sync::Semaphore::new(WRITES_AT_ONCE)))
    }
}

impl FromRef<AppState> for Writes {
    fn from_ref(state: &AppState) -> Writes {
        state.writes.clone()
    }
}

impl Writes {
    /// A place for one write, held until dropped; busy when none is free within [`WRITE_WAIT`].
    pub(crate) async fn admit(&self) -> Result<tokio::sync::OwnedSemaphorePermit, Refusal> {
        match tokio::time::timeout(WRITE_WAIT, self.0.clone().acquire_owned()).await {
            Ok(Ok(place)) => Ok(place),
            _ => Err(busy()),
        }
    }
}

pub(crate) fn busy() -> Refusal {
    Refusal(
        StatusCode::SERVICE_UNAVAILABLE,
        "busy",
        "hub sedang sibuk; coba lagi sebentar lagi".into(),
    )
}

impl FromRef<AppState> for Shared {
    fn from_ref(state: &AppState) -> Shared {
        state.hub.clone()
    }
}

/// The network address a request came from: the peer of its connection, plain or TLS (the hub
/// is reached directly, not through a proxy). Failed enrolments and sign-ins are counted by it.
#[derive(Debug, Clone, Copy)]
pub struct Peer(pub std::net::IpAddr);

impl Peer {
    pub(crate) fn address(&self) -> String {
        self.0.to_string()
    }
}

impl
    axum::extract::connect_info::Connected<axum::serve::IncomingStream<'_, tokio::net::TcpListener>>
    for Peer
{
    fn connect_info(stream: axum::serve::IncomingStream<'_, tokio::net::TcpListener>) -> Self {
        Peer(stream.remote_addr().ip())
    }
}

impl
    axum::extract::connect_info::Connected<axum::serve::IncomingStream<'_, crate::tls::TlsListener>>
    for Peer
{
    fn connect_info(stream: axum::serve::IncomingStream<'_, crate::tls::TlsListener>) -> Self {
        Peer(stream.remote_addr().ip())
    }
}

/// A refusal: status code, stable code, Indonesian message.
pub struct Refusal(
    pub(crate) StatusCode,
    pub(crate) &'static str,
    pub(crate) String,
);

impl Refusal {
    pub fn is_unauthorized(&self) -> bool {
        self.0 == StatusCode::UNAUTHORIZED
    }
}

impl IntoResponse for Refusal {
    fn into_response(self) -> Response {
        let body = encode(&ErrorBody {
            code: self.1.into(),
            message: self.2,
        });
        let mut response =
            (self.0, [(header::CONTENT_TYPE, "application/zstd")], body).into_response();
        if self.0 == StatusCode::SERVICE_UNAVAILABLE {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, RETRY_AFTER_SECONDS.into());
        }
        response
    }
}

impl From<HubError> for Refusal {
    fn from(e: HubError) -> Self {
        let (status, code) = match &e {
            HubError::Unauthorized | HubError::BadCode | HubError::LoginFailed => {
                (StatusCode::UNAUTHORIZED, "unauthorized")
            }
            HubError::Revoked => (StatusCode::UNAUTHORIZED, "revoked"),
            HubError::Throttled { .. } => (StatusCode::TOO_MANY_REQUESTS, "throttled"),
            HubError::WrongDatabase => (StatusCode::CONFLICT, "wrong_database"),
            HubError::Cloned => (StatusCode::CONFLICT, "cloned"),
            HubError::Forbidden(_) => (StatusCode::FORBIDDEN, "forbidden"),
            HubError::BadRequest(_) | HubError::NotFound(_) => {
                (StatusCode::BAD_REQUEST, "bad_request")
            }
            HubError::Db(_) => return internal(&e),
        };
        if matches!(e, HubError::BadCode) {
            tracing::warn!("kode pendaftaran ditolak");
        }
        Refusal(status, code, e.to_string())
    }
}

/// An error inside the hub: logged whole for its admin, told to the laptop only as such (what
/// went wrong inside says nothing a laptop can act on, and may say what it should not see).
pub(crate) fn internal(e: &dyn std::fmt::Display) -> Refusal {
    tracing::error!("kesalahan internal: {e}");
    Refusal(
        StatusCode::INTERNAL_SERVER_ERROR,
        "internal",
        "terjadi kesalahan di dalam hub; coba lagi nanti. Admin hub dapat melihat rinciannya di log hub".into(),
    )
}

pub(crate) fn ok<T: serde::Serialize>(value: &T) -> Response {
    ([(header::CONTENT_TYPE, "application/zstd")], encode(value)).into_response()
}

/// The protocol check every request passes first.
pub(crate) fn check_protocol(headers: &HeaderMap) -> Result<(), Refusal> {
    let sent = headers
        .get(PROTOCOL_HEADER)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u32>().ok());
    match sent {
        Some(PROTOCOL_VERSION) => Ok(()),
        other => Err(Refusal(
            StatusCode::UPGRADE_REQUIRED,
            "protocol",
            format!(
                "versi protokol sinkronisasi tidak cocok (aplikasi: {}, hub: {PROTOCOL_VERSION}); perbarui aplikasi Pelita atau hub agar sama",
                other.map_or("tidak ada".to_string(), |v| v.to_string())
            ),
        )),
    }
}

/// Runs `f` on the store off the async threads.
pub(crate) async fn with_store<T: Send + 'static>(
    hub: &Shared,
    f: impl FnOnce(&dyn HubStore) -> Result<T, HubError> + Send + 'static,
) -> Result<T, Refusal> {
    let hub = hub.clone();
    tokio::task::spawn_blocking(move || f(hub.as_ref()))
        .await
        .map_err(|e| internal(&e))?
        .map_err(Refusal::from)
}

/// Reads a request whole — headers, and the body within [`MAX_BODY_BYTES`] (or why not) —
/// before anything is refused: a refusal sent while a laptop still writes a big push would reach
/// it as a broken pipe, a network error it retries, instead of the reason.
async fn read_whole<S: Send + Sync>(
    req: Request,
    state: &S,
) -> (HeaderMap, Result<Bytes, BytesRejection>) {
    let headers = req.headers().clone();
    (headers, Bytes::from_request(req, state).await)
}

/// A body read by [`read_whole`], decoded: zstd-compressed JSON of `T`, at most `max` bytes
/// once decompressed.
fn decode_body<T: for<'de> serde::Deserialize<'de>>(
    bytes: Result<Bytes, BytesRejection>,
    max: usize,
) -> Result<T, Refusal> {
    let bytes = bytes.map_err(|e| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            Refusal(
                StatusCode::PAYLOAD_TOO_LARGE,
                "too_large",
                "kiriman melebihi batas ukuran permintaan ini".into(),
            )
        } else {
            Refusal(
                StatusCode::BAD_REQUEST,
                "bad_request",
                format!("kiriman tidak terbaca: {e}"),
            )
        }
    })?;
    pelita_proto::decode_within(&bytes, max).map_err(|e| match e {
        pelita_proto::WireError::TooLarge(_) => Refusal(
            StatusCode::PAYLOAD_TOO_LARGE,
            "too_large",
            "isi kiriman melebihi batas ukuran permintaan ini".into(),
        ),
        e => Refusal(StatusCode::BAD_REQUEST, "bad_request", e.to_string()),
    })
}

/// The enrolled device a request's bearer token and database header name, as the store
/// authenticates it (recording when it was seen and the version it reports).
async fn authenticate(headers: &HeaderMap, hub: &Shared) -> Result<Device, Refusal> {
    let text = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    let token = text(header::AUTHORIZATION.as_str())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::to_string)
        .ok_or_else(|| Refusal::from(HubError::Unauthorized))?;
    let database = text(DATABASE_HEADER).unwrap_or_default().to_string();
    let app_version = text(APP_VERSION_HEADER)
        .filter(|v| v.len() <= 40)
        .map(str::to_string);
    with_store(hub, move |s| {
        s.authenticate(&token, &database, app_version.as_deref())
    })
    .await
}

/// A request from anyone (enrolment): read whole, the protocol checked, then the body decoded as
/// `T` — each refused with its reason.
pub struct Checked<T>(pub T);

impl<T, S> FromRequest<S> for Checked<T>
where
    T: for<'de> serde::Deserialize<'de>,
    S: Send + Sync,
{
    type Rejection = Refusal;

    async fn from_request(req: Request, state: &S) -> Result<Self, Refusal> {
        let (headers, bytes) = read_whole(req, state).await;
        check_protocol(&headers)?;
        // Anyone may send these (an enrolment): decompressed, no more than a small request needs.
        decode_body(bytes, pelita_proto::MAX_ENROLL_BYTES).map(Checked)
    }
}

/// A request from an enrolled device: read whole, the protocol checked, the device authenticated
/// (a revoked or unknown one refused before its body is looked at), then the body decoded as `T`.
pub struct FromDevice<T>(pub Device, pub T);

impl<T, S> FromRequest<S> for FromDevice<T>
where
    T: for<'de> serde::Deserialize<'de> + Send + 'static,
    Shared: FromRef<S>,
    S: Send + Sync,
{
    type Rejection = Refusal;

    async fn from_request(req: Request, state: &S) -> Result<Self, Refusal> {
        let (headers, bytes) = read_whole(req, state).await;
        check_protocol(&headers)?;
        let device = authenticate(&headers, &Shared::from_ref(state)).await?;
        // Decompressing and parsing a push is work for a blocking thread, not the async workers.
        let body = tokio::task::spawn_blocking(move || decode_body(bytes, MAX_DECODED_BYTES))
            .await
            .map_err(|e| internal(&e))??;
        Ok(FromDevice(device, body))
    }
}

/// A request from an enrolled device whose body is raw bytes (a chunk of an attachment's file):
/// read whole, the protocol checked, the device authenticated, the body within the limit.
pub struct RawFromDevice(pub Device, pub Bytes);

impl<S> FromRequest<S> for RawFromDevice
where
    Shared: FromRef<S>,
    S: Send + Sync,
{
    type Rejection = Refusal;

    async fn from_request(req: Request, state: &S) -> Result<Self, Refusal> {
        let (headers, bytes) = read_whole(req, state).await;
        check_protocol(&headers)?;
        let device = authenticate(&headers, &Shared::from_ref(state)).await?;
        let bytes = bytes.map_err(|e| {
            Refusal(
                e.status(),
                "bad_request",
                format!("kiriman tidak terbaca: {e}"),
            )
        })?;
        Ok(RawFromDevice(device, bytes))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_internal_error_reaches_the_laptop_without_its_detail() {
        let e = HubError::from(rusqlite::Error::SqliteFailure(
            rusqlite::ffi::Error::new(11),
            Some("database disk image is malformed: page 42 of row".into()),
        ));
        let Refusal(status, code, message) = Refusal::from(e);
        assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
        assert_eq!(code, "internal");
        assert!(
            !message.contains("malformed") && !message.contains("page 42"),
            "{message}"
        );
        assert!(message.contains("kesalahan di dalam hub"), "{message}");
    }

    #[test]
    fn a_busy_answer_says_when_to_come_back() {
        let response = busy().into_response();
        assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(
            response.headers()[header::RETRY_AFTER],
            RETRY_AFTER_SECONDS.to_string().as_str()
        );
    }

    #[tokio::test]
    async fn a_write_that_finds_no_place_is_told_busy_and_a_freed_place_lets_the_next_in() {
        let writes = Writes::default();
        let first = writes.admit().await.ok().unwrap();
        let _second = writes.admit().await.ok().unwrap();
        let started = std::time::Instant::now();
        let Err(refused) = writes.admit().await else {
            panic!("no place was left");
        };
        assert_eq!(refused.0, StatusCode::SERVICE_UNAVAILABLE);
        assert!(started.elapsed() >= WRITE_WAIT);
        drop(first);
        assert!(writes.admit().await.is_ok());
    }
}
