//! A proxy for the crash tests: it stops a chosen push at a chosen point of its HTTP exchange and
//! says so, and the test kills the laptop or the hub right then — a kill that lands inside the
//! push by construction, not after a sleep that may land anywhere. Plain HTTP/1.1 between a
//! laptop and a hub on 127.0.0.1; a request is framed by its Content-Length, as the laptop sends
//! it. Standard library only: the crash tests of `pelita-cli` and `pelita-hub` include this file
//! by path.
#![allow(dead_code)] // each test binary uses a different part

use std::io::{Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Arc, Mutex};
use std::time::Duration;

/// Where a push stops.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cut {
    /// The request's head and `permille` ‰ of its body have reached the hub; the rest never does.
    InBody { permille: u64 },
    /// The whole request has reached the hub; nothing of the answer comes back.
    Delivered,
    /// The hub has begun to answer, so it has committed the batch; none of the answer reaches
    /// the laptop.
    Answered,
    /// The answer's status line and headers reach the laptop, its body does not.
    AnswerHead,
}

impl Cut {
    /// Whether the hub had answered, i.e. applied the batch, when the exchange stopped.
    pub fn after_the_answer(self) -> bool {
        matches!(self, Cut::Answered | Cut::AnswerHead)
    }
}

/// Which push of the next run stops (1 = its first), and where.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Plan {
    pub push: u32,
    pub cut: Cut,
}

/// A push stopped as planned: the moment to kill.
#[derive(Debug, Clone, Copy)]
pub struct Reached {
    pub plan: Plan,
    /// Bytes of the request body that reached the hub, and the body's length.
    pub body_sent: (usize, usize),
}

pub struct CutProxy {
    pub url: String,
    shared: Arc<Shared>,
    reached: mpsc::Receiver<Reached>,
}

struct Shared {
    target: SocketAddr,
    state: Mutex<State>,
    reached: Mutex<mpsc::Sender<Reached>>,
    stop: AtomicBool,
}

#[derive(Default)]
struct State {
    plan: Option<Plan>,
    pushes: u32,
    /// Connections stopped at a cut, kept open until `release`.
    held: Vec<Arc<Conn>>,
}

struct Conn {
    laptop: TcpStream,
    hub: TcpStream,
    /// Set once the exchange stopped here: nothing more is forwarded either way.
    held: AtomicBool,
    /// The cut that waits for the answer to the request just forwarded.
    answer_cut: Mutex<Option<(Plan, usize)>>,
}

impl CutProxy {
    /// Starts the proxy in front of `hub_url` (`http://127.0.0.1:PORT`); nothing is cut until
    /// `arm`.
    pub fn start(hub_url: &str) -> CutProxy {
        let target = hub_url.trim_start_matches("http://").parse().unwrap();
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        listener.set_nonblocking(true).unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let (tx, reached) = mpsc::channel();
        let shared = Arc::new(Shared {
            target,
            state: Mutex::default(),
            reached: Mutex::new(tx),
            stop: AtomicBool::new(false),
        });
        let accepting = shared.clone();
        std::thread::spawn(move || {
            while !accepting.stop.load(Ordering::Relaxed) {
                match listener.accept() {
                    Ok((laptop, _)) => {
                        laptop.set_nonblocking(false).unwrap();
                        // A hub that is down: the laptop sees its connection closed.
                        let Ok(hub) = TcpStream::connect(accepting.target) else {
                            continue;
                        };
                        let conn = Arc::new(Conn {
                            laptop,
                            hub,
                            held: AtomicBool::new(false),
                            answer_cut: Mutex::new(None),
                        });
                        let (s, c) = (accepting.clone(), conn.clone());
                        std::thread::spawn(move || requests(&s, &c));
                        let (s, c) = (accepting.clone(), conn);
                        std::thread::spawn(move || answers(&s, &c));
                    }
                    Err(_) => std::thread::sleep(Duration::from_millis(2)),
                }
            }
        });
        CutProxy {
            url,
            shared,
            reached,
        }
    }

    /// Counts pushes afresh: the `plan.push`-th push from now on stops at `plan.cut`.
    pub fn arm(&self, plan: Plan) {
        while self.reached.try_recv().is_ok() {}
        let mut state = self.shared.state.lock().unwrap();
        state.pushes = 0;
        state.plan = Some(plan);
    }

    /// The planned cut, once it is reached (None while it is not, after `timeout`).
    pub fn wait(&self, timeout: Duration) -> Option<Reached> {
        self.reached.recv_timeout(timeout).ok()
    }

    /// Closes the connections stopped at a cut: what was left of them dies with them.
    pub fn release(&self) {
        for conn in self.shared.state.lock().unwrap().held.drain(..) {
            let _ = conn.laptop.shutdown(Shutdown::Both);
            let _ = conn.hub.shutdown(Shutdown::Both);
        }
    }
}

impl Drop for CutProxy {
    fn drop(&mut self) {
        self.shared.stop.store(true, Ordering::Relaxed);
        self.release();
    }
}

impl Shared {
    /// Counts a push; its plan if this is the push to stop.
    fn next_push(&self) -> Option<Plan> {
        let mut state = self.state.lock().unwrap();
        state.pushes += 1;
        match state.plan {
            Some(plan) if plan.push == state.pushes => state.plan.take(),
            _ => None,
        }
    }

    fn reach(&self, conn: &Arc<Conn>, plan: Plan, body_sent: (usize, usize)) {
        self.state.lock().unwrap().held.push(conn.clone());
        let _ = self
            .reached
            .lock()
            .unwrap()
            .send(Reached { plan, body_sent });
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// Reads more into `buf`; false at the end of the stream.
fn fill(from: &mut TcpStream, buf: &mut Vec<u8>) -> bool {
    let mut chunk = [0u8; 16 * 1024];
    match from.read(&mut chunk) {
        Ok(0) | Err(_) => false,
        Ok(n) => {
            buf.extend_from_slice(&chunk[..n]);
            true
        }
    }
}

fn content_length(head: &str) -> usize {
    let lower = head.to_ascii_lowercase();
    assert!(
        !lower.contains("transfer-encoding:"),
        "the proxy frames requests by their Content-Length: {head}"
    );
    lower
        .lines()
        .find_map(|l| l.strip_prefix("content-length:"))
        .map_or(0, |v| v.trim().parse().unwrap())
}

/// Laptop → hub, one request at a time: counts the pushes and stops the planned one.
fn requests(shared: &Shared, conn: &Arc<Conn>) {
    let (mut from, mut to) = (
        conn.laptop.try_clone().unwrap(),
        conn.hub.try_clone().unwrap(),
    );
    let mut buf = Vec::new();
    loop {
        let head_end = loop {
            if let Some(i) = find(&buf, b"\r\n\r\n") {
                break i + 4;
            }
            if !fill(&mut from, &mut buf) {
                if !conn.held.load(Ordering::SeqCst) {
                    let _ = conn.hub.shutdown(Shutdown::Write);
                }
                return;
            }
        };
        let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
        let length = content_length(&head);
        let plan = if head.starts_with("POST /v1/push ") {
            shared.next_push()
        } else {
            None
        };
        // How much of this request goes on; set before the last byte goes, so that nothing the
        // hub answers can slip through first.
        let body = match plan {
            Some(Plan {
                cut: Cut::InBody { permille },
                ..
            }) => {
                conn.held.store(true, Ordering::SeqCst);
                (length * permille as usize / 1000).min(length.saturating_sub(1))
            }
            Some(Plan {
                cut: Cut::Delivered,
                ..
            }) => {
                conn.held.store(true, Ordering::SeqCst);
                length
            }
            Some(answer) => {
                *conn.answer_cut.lock().unwrap() = Some((answer, length));
                length
            }
            None => length,
        };
        while buf.len() < head_end + body {
            if !fill(&mut from, &mut buf) {
                return; // the laptop went away mid-request
            }
        }
        if to.write_all(&buf[..head_end + body]).is_err() {
            return;
        }
        if let Some(
            plan @ Plan {
                cut: Cut::InBody { .. } | Cut::Delivered,
                ..
            },
        ) = plan
        {
            shared.reach(conn, plan, (body, length));
            return;
        }
        buf.drain(..head_end + body);
    }
}

/// Hub → laptop: passed on as it comes, until the planned cut of an answer.
fn answers(shared: &Shared, conn: &Arc<Conn>) {
    let (mut from, mut to) = (
        conn.hub.try_clone().unwrap(),
        conn.laptop.try_clone().unwrap(),
    );
    let mut buf = Vec::new();
    loop {
        let more = fill(&mut from, &mut buf);
        if conn.held.load(Ordering::SeqCst) {
            return; // stopped by the request side; `release` closes the laptop's end
        }
        if !more {
            let _ = conn.laptop.shutdown(Shutdown::Write);
            return;
        }
        let cut = *conn.answer_cut.lock().unwrap();
        match cut {
            None => {
                if to.write_all(&buf).is_err() {
                    return;
                }
                buf.clear();
            }
            Some((plan, length)) => {
                let passed = match plan.cut {
                    Cut::AnswerHead => match find(&buf, b"\r\n\r\n") {
                        Some(i) => i + 4,
                        None => continue, // the head is not complete yet
                    },
                    _ => 0,
                };
                conn.held.store(true, Ordering::SeqCst);
                if to.write_all(&buf[..passed]).is_err() {
                    return;
                }
                shared.reach(conn, plan, (length, length));
                return;
            }
        }
    }
}
