//! The kernel's own rate limit (DESIGN §5, where namespaces are permitted): `pelita-hub` runs in
//! one network namespace and `pelita sync run` in another, joined by a veth pair whose both ends
//! carry a `tbf` qdisc of 32 kbit/s. The sync completes exactly once, with equal checksums, and
//! takes at least as long as its bytes need at that rate — the link really was the kernel's.
//!
//! Needs root (`ip netns`). Without it the test says so and passes, unless
//! `PELITA_REQUIRE_NETNS=1` (set by `.ci/run`) demands it.

mod common;

use std::io::{BufRead, BufReader};
use std::process::Stdio;
use std::time::Instant;

use common::*;
use pelita_hub::{HubStore, SqliteHub};

const RATE_BITS: u64 = 32_000;
const HUB_ADDR: &str = "10.213.7.2";
const STAFF: u32 = 300;

fn ip(args: &[&str]) -> Result<(), String> {
    let out = Command::new("ip")
        .args(args)
        .output()
        .map_err(|e| format!("ip: {e}"))?;
    if out.status.success() {
        Ok(())
    } else {
        Err(format!("ip {}: {}", args.join(" "), stderr(&out)))
    }
}

/// Two namespaces joined by a shaped veth pair; removed (with the pair) when dropped.
struct Namespaces {
    hub: String,
    laptop: String,
}

impl Namespaces {
    fn create(tag: u32) -> Result<Namespaces, String> {
        let ns = Namespaces {
            hub: format!("pelita-hub-{tag}"),
            laptop: format!("pelita-lap-{tag}"),
        };
        ip(&["netns", "add", &ns.hub])?;
        ip(&["netns", "add", &ns.laptop])?;
        let (h, l) = (format!("pvh{tag}"), format!("pvl{tag}"));
        ip(&["link", "add", &l, "type", "veth", "peer", "name", &h])?;
        let rate = format!("{}kbit", RATE_BITS / 1000);
        for (dev, space, addr) in [
            (&h, &ns.hub, format!("{HUB_ADDR}/30")),
            (&l, &ns.laptop, "10.213.7.1/30".to_string()),
        ] {
            ip(&["link", "set", dev, "netns", space])?;
            ip(&["-n", space, "addr", "add", &addr, "dev", dev])?;
            ip(&["-n", space, "link", "set", dev, "up"])?;
            ip(&["-n", space, "link", "set", "lo", "up"])?;
            ip(&[
                "netns", "exec", space, "tc", "qdisc", "add", "dev", dev, "root", "tbf", "rate",
                &rate, "burst", "1600", "latency", "5s",
            ])?;
        }
        Ok(ns)
    }
}

impl Drop for Namespaces {
    fn drop(&mut self) {
        let _ = ip(&["netns", "del", &self.hub]);
        let _ = ip(&["netns", "del", &self.laptop]);
    }
}

/// `pelita` signed in as the first admin, inside namespace `ns`.
fn pelita_in(ns: &str, db: &Path, args: &[&str]) -> Output {
    Command::new("ip")
        .args(["netns", "exec", ns, env!("CARGO_BIN_EXE_pelita"), "--db"])
        .arg(db)
        .args(["--user", "camat"])
        .args(args)
        .env("PELITA_PASSWORD", ADMIN_PW)
        .output()
        .unwrap()
}

#[test]
fn a_sync_over_a_kernel_rate_limited_veth_completes_at_the_links_pace() {
    let ns = match Namespaces::create(std::process::id() % 100_000) {
        Ok(ns) => ns,
        Err(why) if std::env::var_os("PELITA_REQUIRE_NETNS").is_none() => {
            eprintln!("namespaces not permitted here ({why}); the tbf test did not run");
            return;
        }
        Err(why) => panic!("PELITA_REQUIRE_NETNS is set but: {why}"),
    };
    // `cargo test --workspace` builds the hub beside `pelita`.
    let hub_bin = Path::new(env!("CARGO_BIN_EXE_pelita")).with_file_name("pelita-hub");
    assert!(
        hub_bin.exists(),
        "{} missing: build the workspace (cargo test --workspace)",
        hub_bin.display()
    );
    let dir = tempfile::tempdir().unwrap();
    let hub_db = dir.path().join("hub.sqlite");
    let code = SqliteHub::open(&hub_db)
        .unwrap()
        .issue_code("TERJUN", chrono::Duration::hours(1))
        .unwrap()
        .0;
    let mut server = Command::new("ip")
        .args(["netns", "exec", &ns.hub])
        .arg(&hub_bin)
        .arg("--db")
        .arg(&hub_db)
        .args([
            "serve",
            "--listen",
            &format!("{HUB_ADDR}:8080"),
            // A test network of its own; without the flag the hub refuses plain HTTP there.
            "--insecure-http",
        ])
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(server.stderr.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    assert!(line.contains("mendengarkan"), "{line}");

    let db = dir.path().join("terjun.sqlite");
    assert!(init(&db, &["--office", "TERJUN"]).status.success());
    let staff = staff_file(dir.path(), 0, STAFF);
    let out = as_admin(&db, &["employee", "import", staff.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let url = format!("http://{HUB_ADDR}:8080");
    let out = pelita_in(
        &ns.laptop,
        &db,
        &["sync", "enroll", "--hub", &url, "--code", &code],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let started = Instant::now();
    let out = pelita_in(&ns.laptop, &db, &["sync", "run", "--json"]);
    let took = started.elapsed().as_secs_f64();
    server.kill().unwrap();
    let _ = server.wait();
    drop(ns);
    assert!(out.status.success(), "{}", stderr(&out));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();

    let hub = SqliteHub::open(&hub_db).unwrap();
    assert_eq!(report["pushed"], STAFF, "{report}");
    assert_eq!(hub.received_count().unwrap(), u64::from(STAFF));
    let (store, _) = pelita_store::Store::unlock(&db, "camat", ADMIN_PW).unwrap();
    assert_eq!(
        store.sync_checksum().unwrap(),
        hub.checksum_for("TERJUN").unwrap()
    );
    // What went up alone needs this long at the shaped rate.
    let sent = report["bytes_sent"].as_u64().unwrap();
    let floor = sent as f64 * 8.0 / RATE_BITS as f64;
    eprintln!(
        "{sent} B up, {} B down in {took:.2} s over a {} kbit/s tbf (floor {floor:.2} s)",
        report["bytes_received"],
        RATE_BITS / 1000
    );
    assert!(
        took >= floor,
        "{took:.2} s is faster than the link allows ({floor:.2} s): the tbf did not shape"
    );
}
