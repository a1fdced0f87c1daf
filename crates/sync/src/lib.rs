//! The office side of sync (DESIGN §5): push the outbox before pulling, in batches sized in bytes
//! that grow on a good link and shrink on a bad one; every acknowledgement and every pulled page
//! is committed with what it describes, so a run cut at any point loses nothing and resends at
//! most one batch. Errors say in Indonesian what went wrong and whether retrying can help.
//! `runner` decides when to sync in the background; `bundle` carries a sync on a USB stick.
//!
//! Limits: the network and the timing only — what a row means and whether it may be written is
//! the store's (`pelita-store`) and the hub's; no Tauri.

mod blobs;
pub mod bundle;
pub mod runner;
pub mod tls;

pub use blobs::fetch_attachment;

use std::io::Read;
use std::time::{Duration, Instant};

use pelita_core::auth::Actor;
use pelita_proto::{
    decode, encode, Ack, EnrollRequest, EnrollResponse, ErrorBody, PullRequest, PullResponse,
    PushRequest, PushResponse, APP_VERSION_HEADER, DATABASE_HEADER, PROTOCOL_HEADER,
    PROTOCOL_VERSION,
};
use pelita_store::{Store, StoreError, SyncEnrolment, SyncReport};

/// Where the engine finds the laptop's database. A run touches it only between requests, so the
/// app can keep the database free for people while a slow request is on the wire.
pub trait Local {
    fn with<T>(
        &mut self,
        f: impl FnOnce(&mut Store) -> Result<T, StoreError>,
    ) -> Result<T, StoreError>;
}

impl Local for Store {
    fn with<T>(
        &mut self,
        f: impl FnOnce(&mut Store) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        f(self)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    #[error("laptop ini belum didaftarkan ke hub; daftarkan dulu dengan kode dari admin hub")]
    NotEnrolled,
    /// Enrolled by a request file, without a hub address: it syncs by USB bundle.
    #[error("laptop ini terdaftar lewat bundel USB dan tidak punya alamat hub; sinkronkan dengan bundel (pelita bundle export, lalu impor jawabannya), atau daftarkan ulang dengan alamat hub bila jaringan sudah ada")]
    NoLink,
    /// The link failed; trying again later can help.
    #[error("hub tidak dapat dihubungi (jaringan putus, lambat, atau hub mati); akan dicoba lagi. Rincian teknis: {0}")]
    Network(String),
    /// The hub refused; `permanent` says whether retrying can help.
    #[error("{message}")]
    Refused {
        status: u16,
        code: String,
        message: String,
        permanent: bool,
    },
    /// The hub certificate named by `PELITA_HUB_CA` cannot be used.
    #[error("sertifikat hub {0}")]
    Certificate(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<SyncError> for StoreError {
    fn from(e: SyncError) -> Self {
        match e {
            SyncError::Store(e) => e,
            other => StoreError::SyncFailed {
                permanent: other.is_permanent(),
                message: other.to_string(),
            },
        }
    }
}

impl SyncError {
    /// Retrying will not help until a person acts (re-enrol, update the app, ...).
    pub fn is_permanent(&self) -> bool {
        match self {
            SyncError::NotEnrolled | SyncError::NoLink => true,
            SyncError::Network(_) => false,
            SyncError::Refused { permanent, .. } => *permanent,
            // Nobody signed in: the next attempt, after someone has, can work.
            SyncError::Store(StoreError::NotOpen) => false,
            SyncError::Store(_) | SyncError::Certificate(_) => true,
        }
    }
}

/// How a run talks to the hub.
#[derive(Debug, Clone)]
pub struct Options {
    /// First push batch size (uncompressed payload bytes); adapts within the run.
    pub batch_bytes: usize,
    pub min_batch_bytes: usize,
    pub max_batch_bytes: usize,
    /// First pull page size asked of the hub (uncompressed row bytes); adapts like the batches.
    pub pull_bytes: u32,
    pub min_pull_bytes: u32,
    pub max_pull_bytes: u32,
    /// Whole-request timeout (a stalled link is given up on, then retried later).
    pub timeout: Duration,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            batch_bytes: 512 * 1024,
            min_batch_bytes: 8 * 1024,
            max_batch_bytes: 2 * 1024 * 1024,
            pull_bytes: 256 * 1024,
            min_pull_bytes: 8 * 1024,
            max_pull_bytes: 1024 * 1024,
            timeout: Duration::from_secs(60),
        }
    }
}

struct Link {
    agent: ureq::Agent,
    hub_url: String,
    token: Option<String>,
    database_id: String,
    report: SyncReport,
}

impl Link {
    fn new(
        hub_url: &str,
        token: Option<String>,
        database_id: String,
        timeout: Duration,
    ) -> Result<Self, SyncError> {
        let mut agent = ureq::AgentBuilder::new()
            .timeout_connect(Duration::from_secs(15))
            .timeout(timeout);
        if let Some(ca) = std::env::var_os(tls::CA_ENV) {
            agent = agent.tls_config(tls::trusting(std::path::Path::new(&ca))?);
        }
        Ok(Self {
            agent: agent.build(),
            hub_url: hub_url.trim_end_matches('/').to_string(),
            token,
            database_id,
            report: SyncReport::default(),
        })
    }

    fn post<Req: serde::Serialize, Resp: for<'de> serde::Deserialize<'de>>(
        &mut self,
        path: &str,
        body: &Req,
    ) -> Result<Resp, SyncError> {
        let body = self.send("POST", path, "application/zstd", &encode(body))?;
        decode(&body).map_err(|e| SyncError::Network(e.to_string()))
    }

    /// Sends raw bytes (a chunk of a file) and reads the zstd JSON answer.
    fn put_raw<Resp: for<'de> serde::Deserialize<'de>>(
        &mut self,
        path: &str,
        bytes: &[u8],
    ) -> Result<Resp, SyncError> {
        let body = self.send("PUT", path, "application/octet-stream", bytes)?;
        decode(&body).map_err(|e| SyncError::Network(e.to_string()))
    }

    /// Fetches raw bytes (a chunk of a file).
    fn get_raw(&mut self, path: &str) -> Result<Vec<u8>, SyncError> {
        self.send("GET", path, "application/octet-stream", &[])
    }

    /// One request: the answer's body when the hub says 200, its refusal otherwise.
    fn send(
        &mut self,
        method: &str,
        path: &str,
        content_type: &str,
        bytes: &[u8],
    ) -> Result<Vec<u8>, SyncError> {
        // A busy hub says when to come back (`Retry-After`): the request goes again then, a few
        // times, instead of failing the run into the runner's long backoff.
        const BUSY_RETRIES: u32 = 4;
        let mut busy = 0;
        let (status, response) = loop {
            let mut request = self
                .agent
                .request(method, &format!("{}{path}", self.hub_url))
                .set(PROTOCOL_HEADER, &PROTOCOL_VERSION.to_string())
                .set(DATABASE_HEADER, &self.database_id)
                .set(APP_VERSION_HEADER, env!("CARGO_PKG_VERSION"))
                .set("content-type", content_type);
            if let Some(token) = &self.token {
                request = request.set("authorization", &format!("Bearer {token}"));
            }
            self.report.requests += 1;
            self.report.bytes_sent += bytes.len() as u64;
            match request.send_bytes(bytes) {
                Ok(r) => break (200, r),
                Err(ureq::Error::Status(503, r)) if busy < BUSY_RETRIES => {
                    busy += 1;
                    std::thread::sleep(busy_wait(r.header("retry-after"), busy));
                }
                Err(ureq::Error::Status(code, r)) => break (code, r),
                Err(ureq::Error::Transport(t)) => return Err(tls::explain(t)),
            }
        };
        let mut body = Vec::new();
        response
            .into_reader()
            .take(pelita_proto::MAX_BODY_BYTES as u64 * 4)
            .read_to_end(&mut body)
            .map_err(|e| SyncError::Network(e.to_string()))?;
        self.report.bytes_received += body.len() as u64;
        if status == 200 {
            return Ok(body);
        }
        let error: ErrorBody = decode(&body).unwrap_or(ErrorBody {
            code: "unknown".into(),
            message: format!("hub menjawab dengan status {status}"),
        });
        Err(SyncError::Refused {
            status,
            permanent: matches!(status, 400 | 401 | 403 | 409 | 413 | 426),
            code: error.code,
            message: error.message,
        })
    }
}

/// How long to wait before sending again to a busy hub: what it asked (`Retry-After` in seconds,
/// 1–30, 2 when it did not say), spread by up to half again so laptops it turned away together do
/// not come back together.
fn busy_wait(retry_after: Option<&str>, attempt: u32) -> Duration {
    let asked = retry_after
        .and_then(|v| v.trim().parse::<u64>().ok())
        .unwrap_or(2)
        .clamp(1, 30);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos() as u64);
    let spread = (nanos ^ u64::from(attempt).wrapping_mul(0x9e37_79b9)) % (asked * 500 + 1);
    Duration::from_secs(asked) + Duration::from_millis(spread)
}

/// Enrols this laptop at the hub with a one-time code and keeps the token (Admin Kecamatan).
pub fn enroll(
    store: &mut Store,
    actor: &Actor,
    hub_url: &str,
    code: &str,
    device_name: &str,
) -> Result<EnrollResponse, SyncError> {
    let response = request_enrolment(hub_url, code, device_name, &store.database_id()?)?;
    store.save_enrolment(actor, hub_url, &response)?;
    Ok(response)
}

/// Asks the hub for a token for `database_id` with a one-time code.
fn request_enrolment(
    hub_url: &str,
    code: &str,
    device_name: &str,
    database_id: &str,
) -> Result<EnrollResponse, SyncError> {
    let mut link = Link::new(hub_url, None, database_id.into(), Duration::from_secs(30))?;
    link.post(
        "/v1/enroll",
        &EnrollRequest {
            code: code.trim().into(),
            device_name: device_name.into(),
            database_id: database_id.into(),
        },
    )
}

/// The name a laptop gives the hub unless someone types one: the computer's name.
pub fn device_name() -> String {
    std::env::var("HOSTNAME")
        .ok()
        .or_else(|| std::fs::read_to_string("/etc/hostname").ok())
        .map(|n| n.trim().to_string())
        .filter(|n| !n.is_empty())
        .unwrap_or_else(|| "laptop".into())
}

/// First run from the hub ("Sambungkan ke hub kecamatan"): enrols a database that does not exist
/// yet with a one-time code, creates it at `path` for the office the code was issued for, with
/// `setup`'s first admin (Admin Kantor, or Admin Kecamatan for the Kantor Camat), then syncs once
/// so the office's register, the district's staff and trainings arrive. What can be checked before
/// the code is used is checked first. A first sync that fails (a dropped link) leaves a laptop
/// set up and enrolled, which the next sync completes: the error is in the returned report's place.
pub fn set_up_from_hub(
    path: &std::path::Path,
    hub_url: &str,
    code: &str,
    device_name: &str,
    setup: &pelita_store::Setup,
) -> Result<(Store, Actor, Result<SyncReport, SyncError>), SyncError> {
    Store::check_setup(path, setup)?;
    let database_id = uuid::Uuid::new_v4().to_string();
    let response = request_enrolment(hub_url, code, device_name, &database_id)?;
    let hub = pelita_store::HubEnrolment {
        hub_url: hub_url.trim().into(),
        database_id,
        response,
    };
    let (mut store, actor) = Store::create_enrolled(path, setup, &hub)?;
    let first = run(&mut store, &Options::default());
    Ok((store, actor, first))
}

/// One sync run: push everything pending, then pull until up to date. The run is recorded in the
/// history with its figures, or with its error.
pub fn run(store: &mut impl Local, options: &Options) -> Result<SyncReport, SyncError> {
    let enrolment = store
        .with(|s| s.sync_enrolment())?
        .ok_or(SyncError::NotEnrolled)?;
    let started = pelita_store::clock::utc_now()
        .format("%Y-%m-%dT%H:%M:%S%.3fZ")
        .to_string();
    if enrolment.hub_url.trim().is_empty() {
        return Err(SyncError::NoLink);
    }
    let mut link = match Link::new(
        &enrolment.hub_url,
        Some(enrolment.token.clone()),
        enrolment.database_id.clone(),
        options.timeout,
    ) {
        Ok(link) => link,
        Err(e) => {
            let message = e.to_string();
            store.with(|s| s.record_sync_run(&started, &SyncReport::default(), Some(&message)))?;
            return Err(e);
        }
    };
    let result = exchange(store, &mut link, &enrolment, options);
    let report = link.report.clone();
    let error = result.as_ref().err().map(ToString::to_string);
    store.with(|s| s.record_sync_run(&started, &report, error.as_deref()))?;
    result.map(|()| report)
}

/// The sizes of the next push batch and pull page: doubled after a quick answer, halved after a
/// slow one or a failure, and remembered for the next run, so a bad link is not asked again for
/// what it just could not carry.
struct Sizes {
    push: usize,
    pull: u32,
}

impl Sizes {
    fn start(enrolment: &SyncEnrolment, o: &Options) -> Self {
        Sizes {
            push: enrolment
                .push_bytes
                .unwrap_or(o.batch_bytes)
                .clamp(o.min_batch_bytes, o.max_batch_bytes),
            pull: enrolment
                .pull_bytes
                .unwrap_or(o.pull_bytes)
                .clamp(o.min_pull_bytes, o.max_pull_bytes),
        }
    }

    fn after(&mut self, push: bool, took: Option<Duration>, o: &Options) {
        // Requests of several seconds: large enough to compress well (every body starts zstd
        // afresh) and to amortise the round trip, small enough that a cut costs little.
        let factor = match took {
            Some(t) if t < Duration::from_secs(6) => 2.0,
            Some(t) if t <= Duration::from_secs(20) => 1.0,
            _ => 0.5, // slow, or failed
        };
        if push {
            self.push =
                ((self.push as f64 * factor) as usize).clamp(o.min_batch_bytes, o.max_batch_bytes);
        } else {
            self.pull =
                ((self.pull as f64 * factor) as u32).clamp(o.min_pull_bytes, o.max_pull_bytes);
        }
    }
}

fn exchange(
    store: &mut impl Local,
    link: &mut Link,
    enrolment: &SyncEnrolment,
    options: &Options,
) -> Result<(), SyncError> {
    let mut sizes = Sizes::start(enrolment, options);
    let result = push_then_pull(store, link, enrolment, options, &mut sizes);
    store.with(|s| s.save_link_sizes(sizes.push, sizes.pull))?;
    result
}

/// Pushes the rows, pulls, then uploads the files of attachments added here — pushing again, between
/// two chunks, any row written meanwhile, so a large file on a slow link delays no row.
fn push_then_pull(
    store: &mut impl Local,
    link: &mut Link,
    enrolment: &SyncEnrolment,
    options: &Options,
    sizes: &mut Sizes,
) -> Result<(), SyncError> {
    push_all(store, link, options, sizes)?;
    pull_all(store, link, enrolment, options, sizes)?;
    blobs::upload(store, link, &mut |store, link| {
        push_all(store, link, options, sizes)
    })
}

/// Pushes the outbox until it is empty.
fn push_all(
    store: &mut impl Local,
    link: &mut Link,
    options: &Options,
    sizes: &mut Sizes,
) -> Result<(), SyncError> {
    loop {
        let push_bytes = sizes.push;
        let (batch, resolved) =
            store.with(|s| Ok((s.outbox_batch(push_bytes)?, s.unreported_resolutions()?)))?;
        if batch.is_empty() && resolved.is_empty() {
            return Ok(());
        }
        let ids: Vec<String> = batch.iter().map(|m| m.mutation_id.clone()).collect();
        let sent = Instant::now();
        let response: PushResponse = link
            .post(
                "/v1/push",
                &PushRequest {
                    mutations: batch,
                    resolved_conflicts: resolved.clone(),
                },
            )
            .inspect_err(|_| sizes.after(true, None, options))?;
        store.with(|s| s.mark_resolutions_reported(&resolved))?;
        if response.outcomes.len() != ids.len() {
            return Err(SyncError::Network(format!(
                "hub menjawab {} hasil untuk {} perubahan",
                response.outcomes.len(),
                ids.len()
            )));
        }
        let acks: Vec<Ack> = ids
            .into_iter()
            .zip(response.outcomes)
            .map(|(mutation_id, outcome)| Ack {
                mutation_id,
                outcome,
            })
            .collect();
        let (conflicts, rejected) = store.with(|s| s.record_acks(&acks))?;
        link.report.pushed += acks.len() as u32;
        link.report.conflicts += conflicts;
        link.report.rejected += rejected;
        sizes.after(true, Some(sent.elapsed()), options);
    }
}

/// Pulls pages until the hub has nothing newer.
fn pull_all(
    store: &mut impl Local,
    link: &mut Link,
    enrolment: &SyncEnrolment,
    options: &Options,
    sizes: &mut Sizes,
) -> Result<(), SyncError> {
    let mut cursor = enrolment.cursor;
    loop {
        let sent = Instant::now();
        let page: PullResponse = link
            .post(
                "/v1/pull",
                &PullRequest {
                    cursor,
                    max_bytes: sizes.pull,
                    include_own: enrolment.rebaseline,
                    writer: Some(enrolment.writer.clone()),
                },
            )
            .inspect_err(|_| sizes.after(false, None, options))?;
        link.report.pulled += store.with(|s| s.apply_pull(&page))?;
        sizes.after(false, Some(sent.elapsed()), options);
        cursor = page.cursor;
        if !page.more {
            return Ok(());
        }
    }
}
