//! A busy hub answers 503 with `Retry-After`; the laptop waits as asked and sends the same
//! request again within the run, instead of failing it into the runner's long backoff.

mod support;

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use support::{Hub, Laptop};

/// Reads one HTTP request (headers and a `Content-Length` body) from `s`.
fn read_request(s: &mut TcpStream) {
    let mut buf = Vec::new();
    let mut byte = [0u8; 1];
    while !buf.ends_with(b"\r\n\r\n") {
        if s.read(&mut byte).unwrap_or(0) == 0 {
            return;
        }
        buf.push(byte[0]);
    }
    let head = String::from_utf8_lossy(&buf).to_lowercase();
    let length = head
        .lines()
        .find_map(|l| l.strip_prefix("content-length:"))
        .and_then(|v| v.trim().parse::<usize>().ok())
        .unwrap_or(0);
    let mut body = vec![0u8; length];
    let _ = s.read_exact(&mut body);
}

/// In front of the hub: the first `busy` connections are answered 503 with `Retry-After: 1`,
/// the rest are passed through. Returns its URL and how many were turned away.
fn busy_front(hub: &str, busy: u32) -> (String, Arc<AtomicU32>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let target = hub.trim_start_matches("http://").to_string();
    let turned_away = Arc::new(AtomicU32::new(0));
    let count = turned_away.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut client) = stream else { return };
            if count.load(Ordering::SeqCst) < busy {
                read_request(&mut client);
                count.fetch_add(1, Ordering::SeqCst);
                let _ = client.write_all(
                    b"HTTP/1.1 503 Service Unavailable\r\nretry-after: 1\r\ncontent-length: 0\r\nconnection: close\r\n\r\n",
                );
                continue;
            }
            let Ok(upstream) = TcpStream::connect(&target) else {
                return;
            };
            let (mut c2, mut u2) = (client.try_clone().unwrap(), upstream.try_clone().unwrap());
            let (mut c, mut u) = (client, upstream);
            std::thread::spawn(move || {
                let _ = std::io::copy(&mut c2, &mut u2);
                let _ = u2.shutdown(std::net::Shutdown::Write);
            });
            std::thread::spawn(move || {
                let _ = std::io::copy(&mut u, &mut c);
                let _ = c.shutdown(std::net::Shutdown::Write);
            });
        }
    });
    (url, turned_away)
}

#[test]
fn a_laptop_waits_for_a_busy_hub_and_sends_again_within_the_run() {
    let dir = tempfile::tempdir().unwrap();
    let hub = Hub::start(&dir.path().join("hub.sqlite")).unwrap();
    let (url, turned_away) = busy_front(&hub.url, 2);
    let mut laptop = Laptop::new(dir.path(), "terjun", "TERJUN");
    let started = Instant::now();
    laptop.enrol_through(&hub, &url);
    assert_eq!(turned_away.load(Ordering::SeqCst), 2);
    // Two waits of at least the second the hub asked for.
    assert!(started.elapsed() >= Duration::from_secs(2));
    laptop.add_employee(1, "Ahmad Lubis");
    let report = laptop.sync();
    assert_eq!(report.pushed, 1);
}
