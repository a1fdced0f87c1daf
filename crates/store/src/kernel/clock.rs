//! The device's wall clock: what stamps rows (`updated_at`, history) and what "today" is. Sync
//! never orders or decides by it (DESIGN §5) — the hub's sequence and row versions do — and
//! `tests/sync_clock.rs` proves it by running the same story with laptop clocks a year off.

use std::cell::Cell;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use rusqlite::Connection;

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

/// Wall-clock time for display and audit only; sync ordering never uses it (DESIGN §5).
pub(crate) fn now() -> String {
    crate::kernel::clock::utc_now()
        .format("%Y-%m-%dT%H:%M:%S%.3fZ")
        .to_string()
}

/// Today's local date; a test may pin it for its own connection (`Store::pin_today`).
pub(crate) fn today(conn: &Connection) -> NaiveDate {
    conn.query_row("SELECT today FROM temp.pinned_clock", [], |r| {
        r.get::<_, String>(0)
    })
    .ok()
    .and_then(|d| NaiveDate::parse_from_str(&d, "%Y-%m-%d").ok())
    .unwrap_or_else(crate::kernel::clock::local_today)
}
