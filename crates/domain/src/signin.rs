//! 登录安全 — the sign-in lock-out policy and the security events the journal keeps.
//!
//! Five failed sign-ins for one username from one client address within fifteen minutes lock
//! that username *for that address* for fifteen minutes (OWASP's guidance: a short lock-out
//! slows guessing without letting anyone shut a user out for long). Counting per address means
//! someone elsewhere who types wrong passwords under a user's name locks only themselves out:
//! the user, signing in from their own address, is not affected. While locked, sign-in from that
//! address is refused without the password being checked. Only the lock-out is journaled:
//! failures themselves are noise, and session identifiers are credentials, which never enter the
//! journal. Every failure and lock-out goes to the security log with the address.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

/// Failures that lock a username.
pub const MAX_FAILURES: usize = 5;
/// The window those failures must fall in, in milliseconds (15 minutes).
pub const FAILURE_WINDOW_MS: i64 = 15 * 60 * 1000;
/// How long a lock-out lasts, in milliseconds (15 minutes).
pub const LOCKOUT_MS: i64 = 15 * 60 * 1000;

/// Given the times of a username's failures from one address (this one included) and now, the
/// end of the lock-out they cause for that address, if any.
pub fn lockout_after_failure(failures_ms: &[i64], now_ms: i64) -> Option<i64> {
    let recent = failures_ms.iter().filter(|&&t| t > now_ms - FAILURE_WINDOW_MS && t <= now_ms).count();
    (recent >= MAX_FAILURES).then_some(now_ms + LOCKOUT_MS)
}

/// A sign-in security event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum SignInEvent {
    /// 账号锁定 — too many failed sign-ins.
    LockedOut {
        username: String,
        failures: u32,
        #[serde(with = "time::serde::rfc3339")]
        until: OffsetDateTime,
    },
}

impl SignInEvent {
    pub fn stream(&self) -> String {
        match self {
            SignInEvent::LockedOut { username, .. } => format!("user:{username}"),
        }
    }

    pub fn kind(&self) -> &'static str {
        match self {
            SignInEvent::LockedOut { .. } => "user_locked_out",
        }
    }

    pub fn summary(&self) -> (String, String) {
        match self {
            SignInEvent::LockedOut { username, failures, until } => (
                format!("user {username} locked out after {failures} failed sign-ins, until {until}"),
                format!("用户 {username} 连续 {failures} 次登录失败，锁定至 {until}"),
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MIN: i64 = 60 * 1000;

    #[test]
    fn five_failures_in_fifteen_minutes_lock_for_fifteen() {
        let now = 100 * MIN;
        let four = [now - 14 * MIN, now - 10 * MIN, now - 5 * MIN, now];
        assert_eq!(lockout_after_failure(&four, now), None);
        let five = [now - 14 * MIN, now - 10 * MIN, now - 5 * MIN, now - MIN, now];
        assert_eq!(lockout_after_failure(&five, now), Some(now + 15 * MIN));
    }

    #[test]
    fn failures_older_than_the_window_do_not_count() {
        let now = 100 * MIN;
        let old = [now - 15 * MIN, now - 20 * MIN, now - 3 * MIN, now - 2 * MIN, now];
        assert_eq!(lockout_after_failure(&old, now), None);
        assert_eq!(lockout_after_failure(&[], now), None);
    }

    #[test]
    fn the_event_names_the_user_stream() {
        let e = SignInEvent::LockedOut { username: "dongfang".into(), failures: 5, until: time::macros::datetime!(2026-03-01 08:15 UTC) };
        assert_eq!(e.stream(), "user:dongfang");
        assert_eq!(e.kind(), "user_locked_out");
        let json = serde_json::to_value(crate::Event::SignIn(e.clone())).unwrap();
        assert_eq!(json["type"], "sign_in");
        assert_eq!(json["event"], "locked_out");
        assert!(e.summary().1.contains("锁定"));
    }
}
