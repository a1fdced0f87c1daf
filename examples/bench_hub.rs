//! `make bench-hub`: many simulated devices pushing their backlogs at once and then pulling until
//! up to date, against a real hub over loopback HTTP. Prints figures; asserts nothing but that
//! every mutation was applied exactly once (a bench that loses data has no figure worth printing).
//!
//! The backlogs come from one real office-month (the store's own operations, `generate_office_month`),
//! cut into shares that stand alone (a row comes with every row it names) and renamed per device
//! (every id a UUIDv5 under the device, the office that of the device), so each device pushes
//! what a laptop of its office would, and no two devices push the same row.
//!
//! The hub is `--hubs` real `pelita-hub` processes (release build, next to this bench's binary) on
//! one database: a SQLite file, or — with `PELITA_TEST_POSTGRES` naming a server — a new database
//! on that PostgreSQL server; devices are spread over the processes.
//!
//! `cargo run --release --example bench_hub -- [--devices 100,1000] [--offices 150] [--share 7]
//! [--hubs 1]` (after `cargo build --release -p pelita-hub`)

#[path = "../tests/support/mod.rs"]
mod support;

use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::time::{Duration, Instant};

use pelita_proto::{
    decode, encode, EnrollRequest, EnrollResponse, Mutation, Outcome, PullRequest, PullResponse,
    PushRequest, PushResponse, DATABASE_HEADER, PROTOCOL_HEADER, PROTOCOL_VERSION,
};
use serde_json::Value;
use support::Laptop;

/// What each push carries at most (uncompressed payload bytes): the sync client's first batch.
const BATCH_BYTES: usize = 512 * 1024;

struct Args {
    devices: Vec<usize>,
    offices: usize,
    share: usize,
    hubs: usize,
}

fn args() -> Args {
    let mut a = Args {
        devices: vec![100, 1000],
        offices: 150,
        share: 7,
        hubs: 1,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let value = it.next().unwrap_or_default();
        match flag.as_str() {
            "--devices" => {
                a.devices = value
                    .split(',')
                    .map(|n| n.trim().parse().expect("--devices 100,1000"))
                    .collect()
            }
            "--offices" => a.offices = value.parse().expect("--offices 150"),
            "--share" => a.share = value.parse().expect("--share 7"),
            "--hubs" => a.hubs = value.parse().expect("--hubs 2"),
            other => panic!("unknown flag {other}"),
        }
    }
    a
}

/// The hub processes under test, killed when dropped.
struct Hubs {
    children: Vec<std::process::Child>,
    urls: Vec<String>,
}

impl Hubs {
    /// `n` release `pelita-hub` processes serving the hub database kept at `db`.
    fn start(db: &std::path::Path, n: usize) -> Hubs {
        let exe = std::env::current_exe().unwrap();
        let bin = exe
            .parent()
            .and_then(|examples| examples.parent())
            .map(|release| release.join("pelita-hub"))
            .filter(|b| b.exists())
            .expect("pelita-hub next to this bench: cargo build --release -p pelita-hub");
        let mut hubs = Hubs {
            children: Vec::new(),
            urls: Vec::new(),
        };
        for _ in 0..n {
            let (child, url) = pelita_hub::local::spawn(&bin, db, "127.0.0.1:0");
            hubs.children.push(child);
            hubs.urls.push(url);
        }
        hubs
    }
}

impl Drop for Hubs {
    fn drop(&mut self) {
        for c in &mut self.children {
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

/// The office-month, as its laptop's outbox holds it, with the office it belongs to.
fn template(dir: &std::path::Path) -> (Vec<Mutation>, String) {
    let mut laptop = Laptop::new(dir, "template", "TERJUN");
    let admin = laptop.admin.clone();
    laptop
        .store
        .generate_office_month(&admin, "TERJUN", 2026)
        .unwrap();
    let all = laptop.store.outbox_batch(usize::MAX).unwrap();
    let office = pelita_core::office::office_id("TERJUN");
    (all, office)
}

fn strings<'a>(v: &'a Value, out: &mut Vec<&'a str>) {
    match v {
        Value::String(s) => out.push(s),
        Value::Array(a) => a.iter().for_each(|x| strings(x, out)),
        Value::Object(o) => o.values().for_each(|x| strings(x, out)),
        _ => {}
    }
}

/// The template cut into `share` parts that stand alone: part `r` holds every mutation of the
/// rows whose place is `r` modulo `share`, and of every row those name (transitively).
fn shares(template: &[Mutation], share: usize) -> Vec<Vec<usize>> {
    let mut order: Vec<&str> = Vec::new();
    let mut seen = HashSet::new();
    for m in template {
        if seen.insert(m.row_id.as_str()) {
            order.push(&m.row_id);
        }
    }
    let mut names: HashMap<&str, HashSet<&str>> = HashMap::new();
    for m in template {
        let mut found = Vec::new();
        strings(&m.payload, &mut found);
        let entry = names.entry(m.row_id.as_str()).or_default();
        entry.extend(
            found
                .into_iter()
                .filter(|s| *s != m.row_id && seen.contains(s)),
        );
    }
    // Each row goes with the first training it leads to (a training, every district reads, is
    // pushed by one device of its office), or else with its own place.
    let place: HashMap<&str, usize> = order.iter().enumerate().map(|(i, id)| (*id, i)).collect();
    let trainings: HashSet<&str> = template
        .iter()
        .filter(|m| m.entity == "training")
        .map(|m| m.row_id.as_str())
        .collect();
    let anchor = |id: &str| -> usize {
        let mut seen = HashSet::new();
        let mut stack = vec![id];
        let mut first: Option<usize> = None;
        while let Some(x) = stack.pop() {
            if seen.insert(x) {
                if trainings.contains(x) {
                    first = Some(first.map_or(place[x], |f| f.min(place[x])));
                }
                stack.extend(names.get(x).into_iter().flatten().copied());
            }
        }
        first.unwrap_or(place[id])
    };
    let anchors: Vec<usize> = order.iter().map(|id| anchor(id)).collect();
    (0..share)
        .map(|r| {
            let mut take: HashSet<&str> = HashSet::new();
            let mut stack: Vec<&str> = order
                .iter()
                .zip(&anchors)
                .filter(|(_, a)| *a % share == r)
                .map(|(id, _)| *id)
                .collect();
            while let Some(id) = stack.pop() {
                if take.insert(id) {
                    stack.extend(names.get(id).into_iter().flatten().copied());
                }
            }
            (0..template.len())
                .filter(|i| take.contains(template[*i].row_id.as_str()))
                .collect()
        })
        .collect()
}

fn rename(v: &Value, ids: &HashMap<String, String>, from: &str, to: &str) -> Value {
    match v {
        Value::String(s) if s == from => Value::String(to.into()),
        Value::String(s) => Value::String(ids.get(s).cloned().unwrap_or_else(|| s.clone())),
        Value::Array(a) => Value::Array(a.iter().map(|x| rename(x, ids, from, to)).collect()),
        Value::Object(o) => Value::Object(
            o.iter()
                .map(|(k, x)| (k.clone(), rename(x, ids, from, to)))
                .collect(),
        ),
        other => other.clone(),
    }
}

/// One device's backlog: its share of the template, every id its own, in its office.
fn backlog(
    template: &[Mutation],
    part: &[usize],
    device: usize,
    office: (&str, &str),
) -> Vec<Mutation> {
    let ns = uuid::Uuid::new_v5(
        &uuid::Uuid::NAMESPACE_OID,
        format!("bench-{device}").as_bytes(),
    );
    let ids: HashMap<String, String> = part
        .iter()
        .map(|i| {
            let id = &template[*i].row_id;
            (
                id.clone(),
                uuid::Uuid::new_v5(&ns, id.as_bytes()).to_string(),
            )
        })
        .collect();
    part.iter()
        .enumerate()
        .map(|(n, i)| {
            let m = &template[*i];
            Mutation {
                mutation_id: format!("{ns}.{}", n + 1),
                entity: m.entity.clone(),
                row_id: ids[&m.row_id].clone(),
                base_version: m.base_version,
                version: m.version,
                owner_office_id: if m.owner_office_id == office.0 {
                    office.1.to_string()
                } else {
                    m.owner_office_id.clone()
                },
                payload: rename(&m.payload, &ids, office.0, office.1),
            }
        })
        .collect()
}

/// The backlog in pushes of at most [`BATCH_BYTES`], each already encoded.
fn batches(backlog: &[Mutation]) -> Vec<(usize, Vec<u8>)> {
    let mut out = Vec::new();
    let mut start = 0;
    while start < backlog.len() {
        let mut bytes = 0;
        let mut end = start;
        while end < backlog.len() && (end == start || bytes < BATCH_BYTES) {
            bytes += backlog[end].payload.to_string().len() + 100;
            end += 1;
        }
        let body = encode(&PushRequest {
            mutations: backlog[start..end].to_vec(),
            resolved_conflicts: vec![],
        });
        out.push((end - start, body));
        start = end;
    }
    out
}

struct Device {
    url: String,
    token: String,
    database_id: String,
    pushes: Vec<(usize, Vec<u8>)>,
}

#[derive(Default)]
struct Outcome_ {
    push_latencies: Vec<Duration>,
    pull_latencies: Vec<Duration>,
    pushed_done: Option<Instant>,
    pulled_done: Option<Instant>,
    applied: usize,
    not_applied: usize,
    busy: usize,
    /// Spreads this device's waits.
    seed: u64,
    errors: Vec<String>,
    rows_pulled: usize,
}

fn post(agent: &ureq::Agent, url: &str, d: &Device, body: &[u8]) -> Result<Vec<u8>, (u16, String)> {
    let r = agent
        .post(url)
        .set(PROTOCOL_HEADER, &PROTOCOL_VERSION.to_string())
        .set(DATABASE_HEADER, &d.database_id)
        .set("authorization", &format!("Bearer {}", d.token))
        .set("content-type", "application/zstd")
        .send_bytes(body);
    let resp = match r {
        Ok(r) => r,
        Err(ureq::Error::Status(code, r)) => {
            let body = r.into_string().unwrap_or_default();
            return Err((code, body));
        }
        Err(e) => return Err((0, e.to_string())),
    };
    let mut out = Vec::new();
    std::io::Read::read_to_end(&mut resp.into_reader(), &mut out)
        .map_err(|e| (0, e.to_string()))?;
    Ok(out)
}

/// One device: push every batch (waiting a moment and sending again when the hub is busy),
/// then pull until up to date.
fn run_device(url: &str, d: Device, go: Arc<std::sync::Barrier>) -> Outcome_ {
    let mut out = push_all(url, &d, &go);
    // Everyone pulls once every push is in: the push figures are the pushes' alone.
    go.wait();
    go.wait();
    pull_all(url, &d, &mut out);
    out
}

fn agent() -> ureq::Agent {
    ureq::AgentBuilder::new()
        .timeout(Duration::from_secs(300))
        .build()
}

/// Waits for a busy hub as it asks (`Retry-After`, 2 s, spread over 1–3 s so the devices it
/// turned away do not all come back at once) and says whether to go on; anything else is an error.
fn retry(code: u16, msg: String, out: &mut Outcome_) -> bool {
    if code == 503 || code == 408 || code == 0 {
        out.busy += 1;
        let spread = (out.seed + out.busy as u64 * 7919) % 2000;
        std::thread::sleep(Duration::from_millis(1000 + spread));
        out.busy < 10_000
    } else {
        out.errors.push(format!("{code}: {msg}"));
        false
    }
}

fn push_all(url: &str, d: &Device, go: &std::sync::Barrier) -> Outcome_ {
    let agent = agent();
    let mut out = Outcome_ {
        seed: d
            .token
            .bytes()
            .fold(0u64, |h, b| h.wrapping_mul(31).wrapping_add(b as u64)),
        ..Outcome_::default()
    };
    go.wait();
    for (n, body) in &d.pushes {
        loop {
            let started = Instant::now();
            match post(&agent, &format!("{url}/v1/push"), d, body) {
                Ok(bytes) => {
                    out.push_latencies.push(started.elapsed());
                    let resp: PushResponse = decode(&bytes).expect("a push answer");
                    for o in &resp.outcomes {
                        match o {
                            Outcome::Applied => out.applied += 1,
                            other => {
                                out.not_applied += 1;
                                if out.errors.len() < 3 {
                                    out.errors
                                        .push(format!("{other:?}").chars().take(300).collect());
                                }
                            }
                        }
                    }
                    if resp.outcomes.len() != *n {
                        out.errors
                            .push(format!("{} answers for {n}", resp.outcomes.len()));
                    }
                    break;
                }
                Err((code, msg)) => {
                    if !retry(code, msg, &mut out) {
                        return out;
                    }
                }
            }
        }
    }
    out.pushed_done = Some(Instant::now());
    out
}

fn pull_all(url: &str, d: &Device, out: &mut Outcome_) {
    let agent = agent();
    let mut cursor = 0;
    loop {
        let body = encode(&PullRequest {
            cursor,
            max_bytes: 1024 * 1024,
            include_own: false,
            writer: None,
        });
        let started = Instant::now();
        match post(&agent, &format!("{url}/v1/pull"), d, &body) {
            Ok(bytes) => {
                let page: PullResponse = decode(&bytes).expect("a pull answer");
                out.pull_latencies.push(started.elapsed());
                out.rows_pulled += page.changes.len();
                cursor = page.cursor;
                if !page.more {
                    break;
                }
            }
            Err((code, msg)) => {
                if !retry(code, msg, out) {
                    return;
                }
            }
        }
    }
    out.pulled_done = Some(Instant::now());
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i].as_secs_f64() * 1000.0
}

/// Runs `n` devices; returns the mutations applied per second.
fn bench(
    dir: &std::path::Path,
    template: &[Mutation],
    office: &str,
    a: &Args,
    n: usize,
    baseline: Option<(usize, f64)>,
) -> f64 {
    let hub_dir = dir.join(format!("hub-{n}"));
    std::fs::create_dir_all(&hub_dir).unwrap();
    let db = hub_dir.join("hub.sqlite");
    let admin = pelita_hub::local::open(&db).unwrap();
    let hubs = Hubs::start(&db, a.hubs);
    let mut offices: Vec<(String, String)> = admin
        .offices()
        .unwrap()
        .into_iter()
        .filter(|o| !o.hq)
        .map(|o| (o.code, o.id))
        .collect();
    for i in offices.len()..a.offices {
        let o = admin
            .add_office(&format!("BENCH{i:03}"), &format!("Kelurahan Uji {i}"))
            .unwrap();
        offices.push((o.code, o.id));
    }
    offices.truncate(a.offices);
    let parts = shares(template, a.share);
    let agent = ureq::agent();
    let setup = Instant::now();
    let mut devices = Vec::with_capacity(n);
    let mut total = 0;
    let mut largest = 0;
    for i in 0..n {
        let (code, id) = &offices[i % offices.len()];
        let part = &parts[(i / offices.len()) % parts.len()];
        let log = backlog(template, part, i, (office, id));
        total += log.len();
        let pushes = batches(&log);
        largest = largest.max(pushes.iter().map(|p| p.1.len()).max().unwrap_or(0));
        let database_id = uuid::Uuid::new_v4().to_string();
        let (enrol_code, _) = admin.issue_code(code, chrono::Duration::hours(1)).unwrap();
        let url = hubs.urls[i % hubs.urls.len()].clone();
        let resp = agent
            .post(&format!("{url}/v1/enroll"))
            .set(PROTOCOL_HEADER, &PROTOCOL_VERSION.to_string())
            .send_bytes(&encode(&EnrollRequest {
                code: enrol_code,
                device_name: format!("bench-{i}"),
                database_id: database_id.clone(),
            }))
            .unwrap();
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut resp.into_reader(), &mut bytes).unwrap();
        let enrolled: EnrollResponse = decode(&bytes).unwrap();
        devices.push(Device {
            url,
            token: enrolled.token,
            database_id,
            pushes,
        });
    }
    let setup = setup.elapsed();
    let go = Arc::new(std::sync::Barrier::new(n + 1));
    let threads: Vec<_> = devices
        .into_iter()
        .map(|d| {
            let url = d.url.clone();
            let go = go.clone();
            std::thread::Builder::new()
                .stack_size(256 * 1024)
                .spawn(move || run_device(&url, d, go))
                .unwrap()
        })
        .collect();
    go.wait();
    let started = Instant::now();
    go.wait();
    let pushes_done = Instant::now();
    go.wait();
    let results: Vec<Outcome_> = threads.into_iter().map(|t| t.join().unwrap()).collect();
    let mut latencies: Vec<Duration> = results
        .iter()
        .flat_map(|r| r.push_latencies.clone())
        .collect();
    latencies.sort();
    let mut finished: Vec<Duration> = results
        .iter()
        .filter_map(|r| r.pushed_done)
        .map(|t| t - started)
        .collect();
    finished.sort();
    let pushed = finished.last().map_or(0.0, Duration::as_secs_f64);
    let pulled = results
        .iter()
        .filter_map(|r| r.pulled_done)
        .max()
        .map_or(0.0, |t| (t - pushes_done).as_secs_f64());
    let mut pull_latencies: Vec<Duration> = results
        .iter()
        .flat_map(|r| r.pull_latencies.clone())
        .collect();
    pull_latencies.sort();
    let applied: usize = results.iter().map(|r| r.applied).sum();
    let not_applied: usize = results.iter().map(|r| r.not_applied).sum();
    let busy: usize = results.iter().map(|r| r.busy).sum();
    let rows_pulled: usize = results.iter().map(|r| r.rows_pulled).sum();
    let errors: Vec<&String> = results.iter().flat_map(|r| &r.errors).collect();
    drop(hubs);
    let received = admin.received_count().unwrap();
    println!(
        "{n:>5} devices, {} offices, {} hub process(es) on {}: {total} mutations in {} pushes (largest {:.0} KB compressed), enrolment {:.1} s",
        a.offices,
        a.hubs,
        if std::env::var(pelita_hub::local::TEST_POSTGRES_ENV).is_ok_and(|s| !s.is_empty()) {
            "PostgreSQL"
        } else {
            "SQLite"
        },
        latencies.len(),
        largest as f64 / 1024.0,
        setup.as_secs_f64()
    );
    println!(
        "       pushed in {pushed:.1} s = {:.0} mutations/s; push latency p50 {:.0} ms, p99 {:.0} ms, max {:.0} ms",
        total as f64 / pushed.max(1e-9),
        percentile(&latencies, 0.5),
        percentile(&latencies, 0.99),
        percentile(&latencies, 1.0)
    );
    println!(
        "       a device's whole backlog in: p50 {:.1} s, p99 {:.1} s (waits for a busy hub included)",
        percentile(&finished, 0.5) / 1000.0,
        percentile(&finished, 0.99) / 1000.0
    );
    println!(
        "       then all pulled at once: up to date in {pulled:.1} s, {rows_pulled} rows = {:.0} rows/s; pull latency p50 {:.0} ms, p99 {:.0} ms",
        rows_pulled as f64 / pulled.max(1e-9),
        percentile(&pull_latencies, 0.5),
        percentile(&pull_latencies, 0.99)
    );
    println!(
        "       busy answers (sent again later) {busy}; errors {}",
        errors.len()
    );
    let exactly_once = applied == total && not_applied == 0 && received as usize == total;
    println!(
        "       exactly once: {} (applied {applied}, not applied {not_applied}, hub received {received} of {total})",
        if exactly_once { "yes" } else { "NO" }
    );
    for e in errors.iter().take(5) {
        println!("       error: {e}");
    }
    assert!(exactly_once, "a mutation was lost or applied twice");
    let rate = total as f64 / pushed.max(1e-9);
    if let Some((first, base)) = baseline {
        println!(
            "       mutations/s against {first} devices in this run: {:.2}×",
            rate / base
        );
    }
    rate
}

fn main() {
    let a = args();
    let dir = tempfile::tempdir().unwrap();
    let (template, office) = template(dir.path());
    let parts = shares(&template, a.share);
    println!(
        "office-month: {} mutations; each device pushes a share of 1/{} ({}–{} mutations)",
        template.len(),
        a.share,
        parts.iter().map(Vec::len).min().unwrap_or(0),
        parts.iter().map(Vec::len).max().unwrap_or(0)
    );
    let mut baseline = None;
    for n in &a.devices {
        let rate = bench(dir.path(), &template, &office, &a, *n, baseline);
        baseline = baseline.or(Some((*n, rate)));
    }
}
