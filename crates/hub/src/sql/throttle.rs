//! Failed attempts counted per network address and kind (`throttle`, migration 0010): a wrong
//! enrolment code, a wrong status-page password. A few are free; past them the address waits,
//! longer each time; a day without failures forgets them. Nothing here locks an account, so an
//! attacker's address waiting never keeps the admin out from another.

use crate::db::{args, Sql};
use crate::store::{HubError, Result};
use chrono::{DateTime, Duration, Utc};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// Enrolment codes: 80 bits, so a guess never lands; the limit keeps the log readable and
    /// the hub's work small.
    Enroll,
    /// The status page's sign-in, as an office account's (`pelita_core::auth::lock_seconds`).
    SignIn,
}

impl Kind {
    fn name(self) -> &'static str {
        match self {
            Kind::Enroll => "enroll",
            Kind::SignIn => "signin",
        }
    }

    /// How long an address waits after `failures` failures, if at all.
    fn lock_seconds(self, failures: u32) -> Option<i64> {
        match self {
            Kind::SignIn => pelita_core::auth::lock_seconds(failures),
            Kind::Enroll => (failures > ENROLL_FREE_ATTEMPTS).then(|| {
                let doublings = (failures - ENROLL_FREE_ATTEMPTS - 1).min(6);
                (15 * 60_i64) << doublings
            }),
        }
    }
}

/// Wrong codes an address may send before it waits (a mistyped code, tried again, is not an attack).
pub(crate) const ENROLL_FREE_ATTEMPTS: u32 = 10;

/// How long failures are remembered when no more follow.
const FORGET_AFTER_HOURS: i64 = 24;

/// Refuses an address that must still wait.
pub(crate) fn check(tx: &dyn Sql, kind: Kind, address: &str, at: DateTime<Utc>) -> Result<()> {
    let until: Option<Option<String>> = tx.opt(
        "SELECT locked_until FROM throttle WHERE kind = ?1 AND address = ?2",
        args![kind.name(), address],
        |mut r| r.get(0),
    )?;
    match until
        .flatten()
        .and_then(|t| DateTime::parse_from_rfc3339(&t).ok())
        .map(|t| t.with_timezone(&Utc))
        .filter(|t| *t > at)
    {
        Some(until) => Err(HubError::Throttled {
            minutes: ((until - at).num_seconds() + 59) / 60,
        }),
        None => Ok(()),
    }
}

/// Counts a failure from `address`, and makes it wait once it has failed too often.
pub(crate) fn failed(tx: &dyn Sql, kind: Kind, address: &str, at: DateTime<Utc>) -> Result<()> {
    let before: Option<(u32, String)> = tx.opt(
        "SELECT failures, first_at FROM throttle WHERE kind = ?1 AND address = ?2",
        args![kind.name(), address],
        |mut r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    let (failures, first_at) = match before {
        Some((n, first))
            if DateTime::parse_from_rfc3339(&first).is_ok_and(|f| {
                at - f.with_timezone(&Utc) < Duration::hours(FORGET_AFTER_HOURS)
            }) =>
        {
            (n + 1, first)
        }
        _ => (1, at.to_rfc3339()),
    };
    // The window runs from the latest failure: an address that keeps failing is never forgotten.
    let first_at = at.to_rfc3339().max(first_at);
    let locked = kind
        .lock_seconds(failures)
        .map(|s| (at + Duration::seconds(s)).to_rfc3339());
    if locked.is_some() {
        tracing::warn!(
            address,
            failures,
            kind = kind.name(),
            "alamat ditahan karena terlalu banyak percobaan gagal"
        );
    }
    tx.execute(
        "INSERT INTO throttle (kind, address, failures, first_at, locked_until)
         VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT (kind, address) DO UPDATE SET failures = excluded.failures,
             first_at = excluded.first_at, locked_until = excluded.locked_until",
        args![kind.name(), address, failures, first_at, locked],
    )?;
    Ok(())
}

/// Forgets an address's failures (a sign-in that succeeded).
pub(crate) fn cleared(tx: &dyn Sql, kind: Kind, address: &str) -> Result<()> {
    tx.execute(
        "DELETE FROM throttle WHERE kind = ?1 AND address = ?2",
        args![kind.name(), address],
    )?;
    Ok(())
}

/// Forgets every address's failures of `kind` (the admin set a password at the hub's console).
pub(crate) fn clear_all(tx: &dyn Sql, kind: Kind) -> Result<()> {
    tx.execute("DELETE FROM throttle WHERE kind = ?1", args![kind.name()])?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use pelita_proto::EnrollRequest;

    use super::super::testing::{each_hub, TestHub};
    use super::ENROLL_FREE_ATTEMPTS;
    use crate::store::HubError;

    const PW: &str = "Sandi-Hub-Marelan-7";

    fn on_each_hub(test: impl Fn(&TestHub)) {
        let dir = tempfile::tempdir().unwrap();
        each_hub(dir.path(), test);
    }

    fn request(code: &str) -> EnrollRequest {
        EnrollRequest {
            code: code.into(),
            device_name: "laptop".into(),
            database_id: uuid::Uuid::new_v4().to_string(),
        }
    }

    #[test]
    fn an_address_that_guesses_codes_waits_and_its_guesses_spend_nothing() {
        on_each_hub(|test_hub| {
            let hub = test_hub.store();
            let (code, _) = hub
                .issue_code("TERJUN", chrono::Duration::hours(1))
                .unwrap();
            for _ in 0..ENROLL_FREE_ATTEMPTS {
                let e = hub
                    .enroll(&request("AAAA-AAAA-AAAA-AAAA"), "10.0.0.66")
                    .unwrap_err();
                assert!(matches!(e, HubError::BadCode), "{e}");
            }
            // One more wrong code: from now on this address waits, even with the right code…
            hub.enroll(&request("AAAA-AAAA-AAAA-AAAA"), "10.0.0.66")
                .unwrap_err();
            let e = hub.enroll(&request(&code), "10.0.0.66").unwrap_err();
            assert!(matches!(e, HubError::Throttled { minutes: 15 }), "{e}");
            assert!(e.to_string().contains("dari alamat ini"), "{e}");
            // …which it has not spent: the operator at another address enrols with it.
            let enrolled = hub.enroll(&request(&code), "10.0.0.5").unwrap();
            assert_eq!(enrolled.office_code, "TERJUN");
        });
    }

    #[test]
    fn a_code_lives_at_most_a_week() {
        on_each_hub(|test_hub| {
            let hub = test_hub.store();
            let e = hub
                .issue_code("TERJUN", chrono::Duration::hours(24 * 7 + 1))
                .unwrap_err();
            assert!(e.to_string().contains("7 hari"), "{e}");
            hub.issue_code("TERJUN", chrono::Duration::minutes(59))
                .unwrap_err();
            hub.issue_code("TERJUN", chrono::Duration::hours(24 * 7))
                .unwrap();
        });
    }

    #[test]
    fn an_address_that_guesses_the_admin_password_does_not_lock_the_admin_out() {
        on_each_hub(|test_hub| {
            let hub = test_hub.store();
            hub.set_admin_password("camat", PW).unwrap();
            let now = chrono::Utc::now();
            for _ in 0..=pelita_core::auth::FREE_ATTEMPTS {
                let e = hub
                    .admin_login("camat", "tebakan-salah", "10.0.0.66", now)
                    .unwrap_err();
                assert!(matches!(e, HubError::LoginFailed), "{e}");
            }
            // The guessing address waits, whatever it sends…
            let e = hub.admin_login("camat", PW, "10.0.0.66", now).unwrap_err();
            assert!(matches!(e, HubError::Throttled { .. }), "{e}");
            // …the admin, elsewhere, signs in; a sign-in that succeeds forgets its address's failures.
            hub.admin_login("camat", PW, "10.0.0.5", now).unwrap();
            hub.admin_login("camat", "salah-sekali", "10.0.0.5", now)
                .unwrap_err();
            hub.admin_login("camat", PW, "10.0.0.5", now).unwrap();
            // Later the guessing address may try again.
            let later = now + chrono::Duration::hours(2);
            hub.admin_login("camat", PW, "10.0.0.66", later).unwrap();
        });
    }

    #[test]
    fn an_address_that_keeps_failing_is_not_forgotten_a_day_after_its_first_failure() {
        on_each_hub(|test_hub| {
            let start = chrono::Utc::now();
            let kind = super::Kind::SignIn;
            // One failure every 20 hours: never a day without one, so they add up and it waits.
            for i in 0..=pelita_core::auth::FREE_ATTEMPTS {
                let at = start + chrono::Duration::hours(20 * i64::from(i));
                test_hub
                    .write(|tx| {
                        super::check(tx, kind, "10.0.0.66", at)?;
                        super::failed(tx, kind, "10.0.0.66", at)
                    })
                    .unwrap();
            }
            let last =
                start + chrono::Duration::hours(20 * i64::from(pelita_core::auth::FREE_ATTEMPTS));
            let e = test_hub
                .read(|tx| super::check(tx, kind, "10.0.0.66", last))
                .unwrap_err();
            assert!(matches!(e, HubError::Throttled { .. }), "{e}");
        });
    }

    #[test]
    fn an_unknown_name_takes_as_long_to_refuse_as_a_wrong_password() {
        on_each_hub(|test_hub| {
            let hub = test_hub.store();
            hub.set_admin_password("camat", PW).unwrap();
            let now = chrono::Utc::now();
            let time = |user: &str, address: &str| {
                (0..3)
                    .map(|_| {
                        let started = std::time::Instant::now();
                        hub.admin_login(user, "tebakan-salah", address, now)
                            .unwrap_err();
                        started.elapsed()
                    })
                    .min()
                    .unwrap()
            };
            let _warm = time("siapa", "10.0.0.1");
            let (unknown, known) = (time("siapa", "10.0.0.2"), time("camat", "10.0.0.3"));
            // Without the dummy hash an unknown name is refused after one SELECT, a thousand times
            // sooner; with it both run argon2id.
            assert!(
                unknown * 4 >= known,
                "unknown name {unknown:?}, wrong password {known:?}"
            );
        });
    }
}
