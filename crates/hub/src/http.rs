//! The hub's HTTP surface: enrol, push, pull. Handlers only wire the request to the store; the
//! rules live in [`crate::rules`] and the storage in [`crate::store`].

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Bytes;
use axum::error_handling::HandleErrorLayer;
use axum::extract::rejection::BytesRejection;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::Router;
use pelita_proto::{
    decode, encode, EnrollRequest, ErrorBody, PullRequest, PushRequest, PushResponse,
    APP_VERSION_HEADER, DATABASE_HEADER, MAX_BODY_BYTES, PROTOCOL_HEADER, PROTOCOL_VERSION,
};
use tower::ServiceBuilder;

use crate::rules::Device;
use crate::store::{HubError, HubStore};

pub type Shared = Arc<Mutex<Box<dyn HubStore>>>;

/// A refusal: status code, stable code, Indonesian message.
pub struct Refusal(StatusCode, &'static str, String);

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

fn ok<T: serde::Serialize>(value: &T) -> Response {
    ([(header::CONTENT_TYPE, "application/zstd")], encode(value)).into_response()
}

/// The protocol check every request passes first.
fn check_protocol(headers: &HeaderMap) -> Result<(), Refusal> {
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

fn body<T: for<'de> serde::Deserialize<'de>>(
    bytes: Result<Bytes, BytesRejection>,
) -> Result<T, Refusal> {
    let bytes = bytes.map_err(|e| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            Refusal(
                StatusCode::PAYLOAD_TOO_LARGE,
                "too_large",
                format!("kiriman melebihi batas {MAX_BODY_BYTES} byte"),
            )
        } else {
            Refusal(
                StatusCode::BAD_REQUEST,
                "bad_request",
                format!("kiriman tidak terbaca: {e}"),
            )
        }
    })?;
    decode(&bytes).map_err(|e| Refusal(StatusCode::BAD_REQUEST, "bad_request", e.to_string()))
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

async fn device(hub: &Shared, headers: &HeaderMap) -> Result<Device, Refusal> {
    check_protocol(headers)?;
    let token = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::to_string)
        .ok_or_else(|| Refusal::from(HubError::Unauthorized))?;
    let database = headers
        .get(DATABASE_HEADER)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    let app_version = headers
        .get(APP_VERSION_HEADER)
        .and_then(|v| v.to_str().ok())
        .filter(|v| v.len() <= 40)
        .map(str::to_string);
    with_store(hub, move |s| {
        s.authenticate(&token, &database, app_version.as_deref())
    })
    .await
}

async fn enroll(
    State(hub): State<Shared>,
    headers: HeaderMap,
    bytes: Result<Bytes, BytesRejection>,
) -> Result<Response, Refusal> {
    check_protocol(&headers)?;
    let req: EnrollRequest = body(bytes)?;
    let resp = with_store(&hub, move |s| s.enroll(&req)).await?;
    Ok(ok(&resp))
}

async fn push(
    State(hub): State<Shared>,
    headers: HeaderMap,
    bytes: Result<Bytes, BytesRejection>,
) -> Result<Response, Refusal> {
    let device = device(&hub, &headers).await?;
    let req: PushRequest = body(bytes)?;
    let acks = with_store(&hub, move |s| {
        s.push(&device, &req.mutations, &req.resolved_conflicts)
    })
    .await?;
    Ok(ok(&PushResponse {
        outcomes: acks.into_iter().map(|a| a.outcome).collect(),
    }))
}

async fn pull(
    State(hub): State<Shared>,
    headers: HeaderMap,
    bytes: Result<Bytes, BytesRejection>,
) -> Result<Response, Refusal> {
    let device = device(&hub, &headers).await?;
    let req: PullRequest = body(bytes)?;
    let page = with_store(&hub, move |s| s.pull(&device, &req)).await?;
    Ok(ok(&page))
}

async fn overloaded(e: tower::BoxError) -> Refusal {
    if e.is::<tower::timeout::error::Elapsed>() {
        Refusal(
            StatusCode::REQUEST_TIMEOUT,
            "busy",
            "hub terlalu lama menjawab; coba lagi".into(),
        )
    } else {
        Refusal(
            StatusCode::SERVICE_UNAVAILABLE,
            "busy",
            "hub sedang sibuk; coba lagi sebentar lagi".into(),
        )
    }
}

/// The hub's routes with their limits: body size, a timeout, and shedding load beyond what the
/// single database writer can take. `secure` marks the status page's cookie TLS-only.
pub fn router(hub: Shared, secure: bool) -> Router {
    let status = crate::status_routes::routes(crate::status_routes::PageState {
        hub: hub.clone(),
        secure,
    });
    Router::new()
        .route("/v1/enroll", post(enroll))
        .route("/v1/push", post(push))
        .route("/v1/pull", post(pull))
        .with_state(hub)
        .merge(status)
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(
            ServiceBuilder::new()
                .layer(HandleErrorLayer::new(overloaded))
                .load_shed()
                .concurrency_limit(64)
                .timeout(Duration::from_secs(120)),
        )
}
