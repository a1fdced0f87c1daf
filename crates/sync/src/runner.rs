//! The background runner: syncs on an interval, at once when woken (someone pressed "Sinkronkan
//! sekarang" or enrolled the laptop), and again with growing pauses while the link is down. A
//! permanent error (revoked device, an app too old for the hub) pauses it until someone syncs by
//! hand, since retrying cannot help. The desktop app starts one; the CLI and tests can too.
//!
//! The runner decides only *when*; each attempt is the caller's (`attempt`), which opens the
//! database for as long as a request needs it and no longer.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{channel, RecvTimeoutError, Sender};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::SyncError;

/// When to sync.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Policy {
    /// Between successful runs.
    pub interval: Duration,
    /// After the first failure; doubled after each further one.
    pub first_retry: Duration,
    /// The longest pause between failed attempts.
    pub longest_retry: Duration,
}

impl Default for Policy {
    /// Every 5 minutes; after a failure 30 s, 1 min, 2 min … up to 30 min.
    fn default() -> Self {
        Policy {
            interval: Duration::from_secs(5 * 60),
            first_retry: Duration::from_secs(30),
            longest_retry: Duration::from_secs(30 * 60),
        }
    }
}

impl Policy {
    /// The pause before the next attempt after `failures` failures in a row, spread by `jitter`
    /// (0–1: ±25 %) so that offices whose link came back together do not all call at once.
    pub fn pause(&self, failures: u32, jitter: f64) -> Duration {
        if failures == 0 {
            return self.interval;
        }
        let base = self
            .first_retry
            .saturating_mul(1 << failures.min(10).saturating_sub(1));
        base.min(self.longest_retry)
            .mul_f64(0.75 + 0.5 * jitter.clamp(0.0, 1.0))
    }
}

/// What one attempt came to.
pub enum Attempt {
    /// The laptop is not enrolled at a hub (or syncs by USB bundle only): nothing to do.
    NotEnrolled,
    /// A run was made.
    Ran(Result<(), SyncError>),
}

/// The handle of a running runner.
pub struct Runner {
    wake: Mutex<Sender<()>>,
    running: AtomicBool,
    paused: AtomicBool,
}

/// The runner thread has stopped (the app is closing).
#[derive(Debug, thiserror::Error)]
#[error("sinkronisasi latar belakang berhenti; buka ulang aplikasi")]
pub struct Stopped;

impl Runner {
    /// Starts the runner on its own thread; it lives until the returned handle is dropped
    /// everywhere. `attempt` makes one sync attempt.
    pub fn start(
        policy: Policy,
        mut attempt: impl FnMut() -> Attempt + Send + 'static,
    ) -> Arc<Runner> {
        let (tx, rx) = channel::<()>();
        let runner = Arc::new(Runner {
            wake: Mutex::new(tx),
            running: AtomicBool::new(false),
            paused: AtomicBool::new(false),
        });
        let handle = Arc::downgrade(&runner);
        std::thread::spawn(move || {
            let mut failures = 0u32;
            loop {
                let Some(runner) = handle.upgrade() else {
                    return;
                };
                let wait = if runner.paused() {
                    Duration::from_secs(24 * 3600)
                } else {
                    policy.pause(failures, jitter())
                };
                drop(runner);
                let woken = match rx.recv_timeout(wait) {
                    Ok(()) => true,
                    Err(RecvTimeoutError::Timeout) => false,
                    Err(RecvTimeoutError::Disconnected) => return,
                };
                let Some(runner) = handle.upgrade() else {
                    return;
                };
                if woken {
                    // A person asked: that resumes a paused runner, even one paused by a run that
                    // ended after they pressed.
                    runner.paused.store(false, Ordering::Relaxed);
                } else if runner.paused() {
                    continue;
                }
                runner.running.store(true, Ordering::Relaxed);
                let outcome = attempt();
                runner.running.store(false, Ordering::Relaxed);
                match outcome {
                    Attempt::NotEnrolled | Attempt::Ran(Ok(())) => failures = 0,
                    Attempt::Ran(Err(e)) if e.is_permanent() => {
                        failures = 0;
                        runner.paused.store(true, Ordering::Relaxed);
                    }
                    Attempt::Ran(Err(_)) => failures = failures.saturating_add(1),
                }
            }
        });
        runner
    }

    /// Syncs now, and resumes a runner paused by a permanent error (someone acted).
    pub fn wake(&self) -> Result<(), Stopped> {
        self.paused.store(false, Ordering::Relaxed);
        let tx = self.wake.lock().unwrap_or_else(|p| p.into_inner());
        tx.send(()).map_err(|_| Stopped)
    }

    /// A run is under way now.
    pub fn running(&self) -> bool {
        self.running.load(Ordering::Relaxed)
    }

    /// Automatic retries stopped after a permanent error, until [`Runner::wake`].
    pub fn paused(&self) -> bool {
        self.paused.load(Ordering::Relaxed)
    }
}

fn jitter() -> f64 {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    f64::from(nanos % 1000) / 1000.0
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::AtomicU32;
    use std::time::Instant;

    #[test]
    fn retries_back_off_to_half_an_hour_with_jitter() {
        let p = Policy::default();
        assert_eq!(p.pause(0, 0.5), p.interval);
        assert_eq!(p.pause(1, 0.5), Duration::from_secs(30));
        assert_eq!(p.pause(2, 0.5), Duration::from_secs(60));
        assert_eq!(p.pause(20, 0.5), p.longest_retry);
        assert_eq!(p.pause(1, 0.0), Duration::from_millis(22_500));
        assert_eq!(p.pause(1, 1.0), Duration::from_millis(37_500));
    }

    fn wait_for(what: &str, mut done: impl FnMut() -> bool) {
        let start = Instant::now();
        while !done() {
            assert!(start.elapsed() < Duration::from_secs(10), "{what}");
            std::thread::sleep(Duration::from_millis(5));
        }
    }

    const FAST: Policy = Policy {
        interval: Duration::from_secs(3600),
        first_retry: Duration::from_millis(20),
        longest_retry: Duration::from_millis(40),
    };

    #[test]
    fn a_network_failure_is_retried_and_a_permanent_one_waits_for_a_person() {
        let calls = Arc::new(AtomicU32::new(0));
        let seen = calls.clone();
        // Two network failures, then the hub refuses for good.
        let runner = Runner::start(FAST, move || {
            let n = seen.fetch_add(1, Ordering::SeqCst);
            Attempt::Ran(Err(if n < 2 {
                SyncError::Network("putus".into())
            } else {
                SyncError::NotEnrolled
            }))
        });
        runner.wake().unwrap();
        // The retries come by themselves, within the short pauses; the permanent error pauses.
        wait_for("the runner pauses after a permanent error", || {
            runner.paused()
        });
        assert_eq!(calls.load(Ordering::SeqCst), 3);
        std::thread::sleep(Duration::from_millis(200));
        assert_eq!(calls.load(Ordering::SeqCst), 3, "no retries while paused");
        // Someone acts and syncs by hand: the runner tries again.
        runner.wake().unwrap();
        wait_for("woken by hand, it tries again", || {
            calls.load(Ordering::SeqCst) == 4
        });
    }

    #[test]
    fn after_a_success_it_waits_the_interval() {
        let calls = Arc::new(AtomicU32::new(0));
        let seen = calls.clone();
        let runner = Runner::start(FAST, move || {
            seen.fetch_add(1, Ordering::SeqCst);
            Attempt::Ran(Ok(()))
        });
        runner.wake().unwrap();
        wait_for("the woken run", || calls.load(Ordering::SeqCst) == 1);
        std::thread::sleep(Duration::from_millis(200));
        assert_eq!(
            calls.load(Ordering::SeqCst),
            1,
            "the next run waits an hour"
        );
        assert!(!runner.paused() && !runner.running());
    }

    #[test]
    fn pressed_during_a_run_that_ends_paused_it_still_runs_again() {
        let calls = Arc::new(AtomicU32::new(0));
        let seen = calls.clone();
        // Every run is slow and ends with a permanent error.
        let runner = Runner::start(FAST, move || {
            seen.fetch_add(1, Ordering::SeqCst);
            std::thread::sleep(Duration::from_millis(150));
            Attempt::Ran(Err(SyncError::NotEnrolled))
        });
        runner.wake().unwrap();
        wait_for("the first run starts", || runner.running());
        // Someone presses while it runs; the run then pauses the runner.
        runner.wake().unwrap();
        wait_for("the press is not lost", || {
            calls.load(Ordering::SeqCst) == 2
        });
    }
}
