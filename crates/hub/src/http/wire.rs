//! What every route shares: the store behind a lock ([`Shared`]), run off the async threads
//! ([`with_store`]); a refusal as the wire carries it ([`Refusal`]: status, stable code,
//! Indonesian message); and the extractors a sync request passes through — [`Checked`] (the
//! protocol, a zstd JSON body) and [`FromDevice`] (the same, and the device its bearer token and
//! database header name). Both read the request whole before refusing anything.

use std::sync::{Arc, Mutex};

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

pub type Shared = Arc<Mutex<Box<dyn HubStore>>>;

/// What the routes hold: the store, and whether cookies must only travel over TLS.
#[derive(Clone)]
pub struct AppState {
    pub hub: Shared,
    pub secure: bool,
}

impl FromRef<AppState> for Shared {
    fn from_ref(state: &AppState) -> Shared {
        state.hub.clone()
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
        (self.0, [(header::CONTENT_TYPE, "application/zstd")], body).into_response()
    }
}

impl From<HubError> for Refusal {
    fn from(e: HubError) -> Self {
        let (status, code) = match &e {
            HubError::Unauthorized | HubError::BadCode | HubError::LoginFailed => {
                (StatusCode::UNAUTHORIZED, "unauthorized")
            }
            HubError::Revoked => (StatusCode::UNAUTHORIZED, "revoked"),
            HubError::Locked { .. } => (StatusCode::TOO_MANY_REQUESTS, "locked"),
            HubError::WrongDatabase => (StatusCode::CONFLICT, "wrong_database"),
            HubError::Cloned => (StatusCode::CONFLICT, "cloned"),
            HubError::Forbidden(_) => (StatusCode::FORBIDDEN, "forbidden"),
            HubError::BadRequest(_) | HubError::NotFound(_) => {
                (StatusCode::BAD_REQUEST, "bad_request")
            }
            HubError::Db(_) => (StatusCode::INTERNAL_SERVER_ERROR, "internal"),
        };
        Refusal(status, code, e.to_string())
    }
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
    f: impl FnOnce(&mut dyn HubStore) -> Result<T, HubError> + Send + 'static,
) -> Result<T, Refusal> {
    let hub = hub.clone();
    tokio::task::spawn_blocking(move || {
        let mut guard = hub.lock().unwrap_or_else(|p| p.into_inner());
        f(guard.as_mut())
    })
    .await
    .map_err(|e| Refusal(StatusCode::INTERNAL_SERVER_ERROR, "internal", e.to_string()))?
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
    T: for<'de> serde::Deserialize<'de>,
    Shared: FromRef<S>,
    S: Send + Sync,
{
    type Rejection = Refusal;

    async fn from_request(req: Request, state: &S) -> Result<Self, Refusal> {
        let (headers, bytes) = read_whole(req, state).await;
        check_protocol(&headers)?;
        let device = authenticate(&headers, &Shared::from_ref(state)).await?;
        Ok(FromDevice(device, decode_body(bytes, MAX_DECODED_BYTES)?))
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
