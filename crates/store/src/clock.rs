//! The device's wall clock: what stamps rows (`updated_at`, history) and what "today" is. Sync
//! never orders or decides by it (DESIGN §5) — the hub's sequence and row versions do — and
//! `tests/sync_clock.rs` proves it by running the same story with laptop clocks a year off.

use std::cell::Cell;

use chrono::{DateTime, Duration, NaiveDate, Utc};

thread_local! {
    static SKEW_SECONDS: Cell<i64> = const { Cell::new(0) };
}

pub fn utc_now() -> DateTime<Utc> {
    Utc::now() + Duration::seconds(SKEW_SECONDS.with(Cell::get))
}

/// Today in the device's time zone.
pub fn local_today() -> NaiveDate {
    (chrono::Local::now() + Duration::seconds(SKEW_SECONDS.with(Cell::get))).date_naive()
}

/// Makes this thread's clock run `skew` off the real one, as a laptop with a wrong date would
/// (tests only: every device in a test is one thread's sequence of calls).
#[doc(hidden)]
pub fn set_skew(skew: Duration) {
    SKEW_SECONDS.with(|s| s.set(skew.num_seconds()));
}
