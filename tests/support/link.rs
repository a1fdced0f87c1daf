//! A bad mobile link between a laptop and the hub, in the test process: a TCP proxy on 127.0.0.1
//! that imposes a bandwidth (bytes are paced as a link of that rate serialises them), latency
//! each way with jitter, and cuts every connection at random byte offsets. (This kernel has no
//! `netem`; the proxy is the emulator.)

use std::io::{Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{mpsc, Arc, Mutex};
use std::time::{Duration, Instant};

#[derive(Debug, Clone)]
pub struct LinkSpec {
    /// Bits per second each way; 0 = unlimited.
    pub bits_per_second: u64,
    /// One-way latency.
    pub latency: Duration,
    /// Up to this much more latency, at random per chunk (order is kept).
    pub jitter: Duration,
    /// Cut the connection after a random number of bytes in this range (both ways counted).
    pub cut_between: Option<(u64, u64)>,
    pub seed: u64,
}

impl LinkSpec {
    pub fn clean() -> Self {
        Self {
            bits_per_second: 0,
            latency: Duration::ZERO,
            jitter: Duration::ZERO,
            cut_between: None,
            seed: 1,
        }
    }
}

/// What crossed the link.
#[derive(Debug, Default)]
pub struct LinkStats {
    pub bytes_up: AtomicU64,
    pub bytes_down: AtomicU64,
    pub connections: AtomicU64,
    pub cuts: AtomicU64,
}

pub struct Link {
    pub url: String,
    pub stats: Arc<LinkStats>,
    stop: Arc<AtomicBool>,
    target: Arc<Mutex<SocketAddr>>,
}

fn address(hub_url: &str) -> SocketAddr {
    hub_url.trim_start_matches("http://").parse().unwrap()
}

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 11
    }

    fn between(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.next() % (hi - lo).max(1)
    }
}

/// Shared by the two directions of one connection: when to cut, and whether it was cut.
struct Budget {
    left: Mutex<Option<u64>>,
    cut: AtomicBool,
}

impl Link {
    /// Starts the proxy in front of `hub_url` (`http://127.0.0.1:PORT`).
    pub fn start(hub_url: &str, spec: LinkSpec) -> Link {
        let target = Arc::new(Mutex::new(address(hub_url)));
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        listener.set_nonblocking(true).unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let stats = Arc::new(LinkStats::default());
        let stop = Arc::new(AtomicBool::new(false));
        let (stats2, stop2, target2) = (stats.clone(), stop.clone(), target.clone());
        std::thread::spawn(move || {
            let mut rng = Rng(spec.seed);
            while !stop2.load(Ordering::Relaxed) {
                match listener.accept() {
                    Ok((client, _)) => {
                        client.set_nonblocking(false).unwrap();
                        let to = *target2.lock().unwrap();
                        let Ok(hub) = TcpStream::connect(to) else {
                            continue;
                        };
                        stats2.connections.fetch_add(1, Ordering::Relaxed);
                        let budget = Arc::new(Budget {
                            left: Mutex::new(spec.cut_between.map(|(lo, hi)| rng.between(lo, hi))),
                            cut: AtomicBool::new(false),
                        });
                        for (from, to, up) in [
                            (client.try_clone().unwrap(), hub.try_clone().unwrap(), true),
                            (hub, client, false),
                        ] {
                            let (spec, stats, budget) =
                                (spec.clone(), stats2.clone(), budget.clone());
                            let seed = rng.next();
                            std::thread::spawn(move || {
                                pump(from, to, up, spec, stats, budget, seed)
                            });
                        }
                    }
                    Err(_) => std::thread::sleep(Duration::from_millis(2)),
                }
            }
        });
        Link {
            url,
            stats,
            stop,
            target,
        }
    }

    /// Points the link at a hub restarted on another port; the laptops keep the link's address.
    pub fn retarget(&self, hub_url: &str) {
        *self.target.lock().unwrap() = address(hub_url);
    }

    pub fn up(&self) -> u64 {
        self.stats.bytes_up.load(Ordering::Relaxed)
    }

    pub fn down(&self) -> u64 {
        self.stats.bytes_down.load(Ordering::Relaxed)
    }

    pub fn connections(&self) -> u64 {
        self.stats.connections.load(Ordering::Relaxed)
    }

    pub fn cuts(&self) -> u64 {
        self.stats.cuts.load(Ordering::Relaxed)
    }
}

impl Drop for Link {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}

/// Moves bytes one way: reads, then delivers each chunk after the latency, no faster than the
/// bandwidth allows, until either side closes or the connection's byte budget runs out.
fn pump(
    mut from: TcpStream,
    to: TcpStream,
    up: bool,
    spec: LinkSpec,
    stats: Arc<LinkStats>,
    budget: Arc<Budget>,
    seed: u64,
) {
    let (tx, rx) = mpsc::channel::<(Instant, Vec<u8>)>();
    let writer_budget = budget.clone();
    let mut writer_to = to.try_clone().unwrap();
    let writer = std::thread::spawn(move || {
        for (at, chunk) in rx {
            if let Some(wait) = at.checked_duration_since(Instant::now()) {
                std::thread::sleep(wait);
            }
            if writer_budget.cut.load(Ordering::Relaxed) || writer_to.write_all(&chunk).is_err() {
                break;
            }
        }
        let _ = writer_to.shutdown(Shutdown::Write);
    });
    let mut rng = Rng(seed);
    let mut next_free = Instant::now();
    let mut buf = [0u8; 1400];
    loop {
        let n = match from.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => n,
        };
        let mut n = n;
        let mut cut_here = false;
        {
            let mut left = budget.left.lock().unwrap();
            if let Some(l) = left.as_mut() {
                if (n as u64) >= *l && !budget.cut.load(Ordering::Relaxed) {
                    n = *l as usize;
                    budget.cut.store(true, Ordering::Relaxed);
                    cut_here = true;
                }
                *l = l.saturating_sub(n as u64);
            }
        }
        let counter = if up {
            &stats.bytes_up
        } else {
            &stats.bytes_down
        };
        counter.fetch_add(n as u64, Ordering::Relaxed);
        let jitter = if spec.jitter.is_zero() {
            Duration::ZERO
        } else {
            Duration::from_micros(rng.between(0, spec.jitter.as_micros() as u64))
        };
        let serialise = if spec.bits_per_second == 0 {
            Duration::ZERO
        } else {
            Duration::from_secs_f64(n as f64 * 8.0 / spec.bits_per_second as f64)
        };
        let now = Instant::now();
        next_free = next_free.max(now) + serialise;
        let _ = tx.send((next_free + spec.latency + jitter, buf[..n].to_vec()));
        if cut_here {
            stats.cuts.fetch_add(1, Ordering::Relaxed);
        }
        if budget.cut.load(Ordering::Relaxed) {
            break;
        }
    }
    drop(tx);
    if budget.cut.load(Ordering::Relaxed) {
        // A cut: both ends see the connection die, whatever was still in flight.
        let _ = from.shutdown(Shutdown::Both);
        let _ = to.shutdown(Shutdown::Both);
    }
    let _ = writer.join();
}
