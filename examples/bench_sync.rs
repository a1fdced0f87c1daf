//! `make bench-sync`: the office-month dataset synced over an emulated 64 kbit/s link with 600 ms
//! round trips, against the physical limit of that link, plus the same sync over a clean link as a
//! baseline measured in the same run, and an idle sync. Prints figures; asserts nothing.

#[path = "../tests/support/mod.rs"]
mod support;

use std::time::{Duration, Instant};

use support::link::{Link, LinkSpec};
use support::{Hub, Laptop};

const BITS_PER_SECOND: u64 = 64_000;
const ONE_WAY: Duration = Duration::from_millis(300);

struct Run {
    seconds: f64,
    up: u64,
    down: u64,
    requests: u32,
}

fn sync_over(dir: &std::path::Path, name: &str, spec: LinkSpec) -> (Run, Run, Laptop, Hub) {
    let hub = Hub::start(&dir.join(format!("{name}-hub.sqlite"))).unwrap();
    let link = Link::start(&hub.url, spec);
    let mut laptop = Laptop::new(dir, name, "TERJUN");
    let admin = laptop.admin.clone();
    laptop
        .store
        .generate_office_month(&admin, "TERJUN", 2026)
        .unwrap();
    let code = hub.code_for("TERJUN");
    pelita_sync::enroll(&mut laptop.store, &admin, &link.url, &code, name).unwrap();
    let (up0, down0) = (link.up(), link.down());
    let started = Instant::now();
    let report = pelita_sync::run(&mut laptop.store, &Default::default()).unwrap();
    let full = Run {
        seconds: started.elapsed().as_secs_f64(),
        up: link.up() - up0,
        down: link.down() - down0,
        requests: report.requests,
    };
    let (up0, down0) = (link.up(), link.down());
    let started = Instant::now();
    let idle_report = pelita_sync::run(&mut laptop.store, &Default::default()).unwrap();
    let idle = Run {
        seconds: started.elapsed().as_secs_f64(),
        up: link.up() - up0,
        down: link.down() - down0,
        requests: idle_report.requests,
    };
    (full, idle, laptop, hub)
}

fn main() {
    let dir = tempfile::tempdir().unwrap();
    let started = Instant::now();
    let (clean, _, _, _) = sync_over(dir.path(), "clean", LinkSpec::clean());
    let setup = started.elapsed().as_secs_f64() - clean.seconds;
    let (shaped, idle, laptop, _hub) = sync_over(
        dir.path(),
        "shaped",
        LinkSpec {
            bits_per_second: BITS_PER_SECOND,
            latency: ONE_WAY,
            ..LinkSpec::clean()
        },
    );

    // The rows themselves: every outbox payload, raw and as one zstd stream at the wire's level.
    let rows = laptop.store.outbox_payloads().unwrap();
    let raw: Vec<u8> = rows.iter().flat_map(|p| p.bytes().chain(*b"\n")).collect();
    let compressed = zstd::bulk::compress(&raw, pelita_proto::ZSTD_LEVEL)
        .unwrap()
        .len() as u64;
    let wire = shaped.up + shaped.down;
    let rtt = 2.0 * ONE_WAY.as_secs_f64();
    let limit = wire as f64 * 8.0 / BITS_PER_SECOND as f64 + rtt * f64::from(shaped.requests);

    println!(
        "office-month dataset (seed 2026): {} rows, generated in {setup:.1} s",
        rows.len()
    );
    println!(
        "{:<44} {:>12}",
        "raw rows (JSON)",
        format!("{} B", raw.len())
    );
    println!(
        "{:<44} {:>12}",
        "raw rows, one zstd stream (wire level)",
        format!("{compressed} B")
    );
    println!(
        "{:<44} {:>12}",
        "bytes up (laptop → hub)",
        format!("{} B", shaped.up)
    );
    println!(
        "{:<44} {:>12}",
        "bytes down (hub → laptop)",
        format!("{} B", shaped.down)
    );
    println!("{:<44} {:>12}", "requests", shaped.requests);
    println!(
        "{:<44} {:>12}",
        "protocol overhead (wire vs zstd rows)",
        format!(
            "{:.1} %",
            100.0 * (wire as f64 - compressed as f64) / compressed as f64
        )
    );
    println!(
        "{:<44} {:>12}",
        "wall time, 64 kbit/s, 600 ms RTT",
        format!("{:.1} s", shaped.seconds)
    );
    println!(
        "{:<44} {:>12}",
        "physical limit (bytes/bandwidth + RTT×req)",
        format!("{limit:.1} s")
    );
    println!(
        "{:<44} {:>12}",
        "time / limit",
        format!("{:.2}×", shaped.seconds / limit)
    );
    println!(
        "{:<44} {:>12}",
        "baseline: same sync, clean loopback",
        format!("{:.2} s", clean.seconds)
    );
    println!(
        "{:<44} {:>12}",
        "idle sync: requests, bytes",
        format!("{}, {} B", idle.requests, idle.up + idle.down)
    );
    println!(
        "{:<44} {:>12}",
        "idle sync wall time",
        format!("{:.2} s", idle.seconds)
    );
}
