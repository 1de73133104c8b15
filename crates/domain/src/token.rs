//! 接口令牌 — API tokens: how long one lasts, who may see and revoke it, and how often its use is
//! worth recording.
//!
//! ```text
//!   issued ──(expires_at passes)──► expired
//!     │
//!     └──(revoked by the administrator or its own enterprise)──► revoked
//! ```
//!
//! Every token expires: 90 days after issue unless the issuer chose another span (1 to 3,650
//! days). A revoked or expired token authenticates nobody. The administrator sees and revokes
//! every token; an enterprise's own people (declarant, terminal, laboratory) see and revoke the
//! tokens of their enterprise, and a token of another enterprise is not found to them. Officers
//! and risk analysts manage no tokens.

use crate::error::{FieldError, Refusal, RefusalKind, Rule};
use crate::party::{Actor, Role};
use crate::types::CustomsCode;
use crate::Event;
use time::OffsetDateTime;

/// Days a token lasts unless the issuer says otherwise.
pub const DEFAULT_DAYS: u32 = 90;
/// The longest span a token may be issued for (ten years).
pub const MAX_DAYS: u32 = 3650;
pub const DAY_MS: i64 = 86_400_000;
/// A token's use is recorded at most this often: once a minute is precise enough to tell an
/// idle token from a busy one, and keeps the bookkeeping off nearly every request.
pub const TOUCH_EVERY_MS: i64 = 60_000;

/// What the procedures need to know of a token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenFacts {
    pub id: String,
    pub enterprise: Option<CustomsCode>,
    pub expires_at_ms: i64,
    pub revoked_at_ms: Option<i64>,
}

/// Where a token stands at a given moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenState {
    Active,
    Expired,
    Revoked,
}

impl TokenState {
    pub fn as_str(self) -> &'static str {
        match self {
            TokenState::Active => "active",
            TokenState::Expired => "expired",
            TokenState::Revoked => "revoked",
        }
    }
}

impl TokenFacts {
    /// Revocation wins over expiry: a token revoked before it expired is reported revoked.
    pub fn state(&self, now_ms: i64) -> TokenState {
        state_of(self.expires_at_ms, self.revoked_at_ms, now_ms)
    }
}

/// The state of a token that expires at `expires_at_ms` and was revoked at `revoked_at_ms`.
pub fn state_of(expires_at_ms: i64, revoked_at_ms: Option<i64>, now_ms: i64) -> TokenState {
    if revoked_at_ms.is_some() {
        TokenState::Revoked
    } else if now_ms >= expires_at_ms {
        TokenState::Expired
    } else {
        TokenState::Active
    }
}

/// Whose tokens a caller manages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TokenScope {
    /// The administrator: every token.
    All,
    /// An enterprise's people: their enterprise's tokens.
    Enterprise(CustomsCode),
}

impl TokenScope {
    /// The scope of `actor`, or None for roles that manage no tokens (officers, risk analysts,
    /// and enterprise roles without an enterprise).
    pub fn of(actor: &Actor) -> Option<TokenScope> {
        match actor.role? {
            Role::Admin => Some(TokenScope::All),
            Role::Declarant | Role::Terminal | Role::Laboratory => actor.enterprise.clone().map(TokenScope::Enterprise),
            Role::Officer | Role::RiskAnalyst => None,
        }
    }

    /// The enterprise whose tokens are in scope; None for all.
    pub fn enterprise(&self) -> Option<&CustomsCode> {
        match self {
            TokenScope::All => None,
            TokenScope::Enterprise(e) => Some(e),
        }
    }

    pub fn covers(&self, token_enterprise: Option<&CustomsCode>) -> bool {
        match self {
            TokenScope::All => true,
            TokenScope::Enterprise(e) => token_enterprise == Some(e),
        }
    }
}

/// Checks the span a token is issued for; `path` names the field it came in.
pub fn check_days(path: &str, days: i64) -> Result<u32, FieldError> {
    if (1..=i64::from(MAX_DAYS)).contains(&days) {
        Ok(days as u32)
    } else {
        Err(FieldError::new(
            path,
            Rule::TokenDays,
            format!("a token lasts 1 to {MAX_DAYS} days"),
            format!("令牌有效期应为 1 至 {MAX_DAYS} 天"),
        ))
    }
}

/// When a token issued at `issued_ms` for `days` days expires.
pub fn expires_at_ms(issued_ms: i64, days: u32) -> i64 {
    issued_ms + i64::from(days) * DAY_MS
}

/// Whether a use at `now_ms` is worth recording, the last one recorded being at `last_ms`.
pub fn worth_recording(last_ms: Option<i64>, now_ms: i64) -> bool {
    last_ms.is_none_or(|t| now_ms - t >= TOUCH_EVERY_MS)
}

/// 吊销 — revokes `token` on behalf of `by`: the event to journal, or why not. A token outside
/// the caller's scope is not found to it; a token already revoked stays as it was (409).
pub fn revoke(token: &TokenFacts, by: &Actor, reason: Option<String>, now: OffsetDateTime) -> Result<Event, Refusal> {
    let Some(scope) = TokenScope::of(by) else { return Err(Refusal::forbidden()) };
    if !scope.covers(token.enterprise.as_ref()) {
        return Err(Refusal::not_found("API token", "接口令牌"));
    }
    if token.revoked_at_ms.is_some() {
        return Err(Refusal::new(
            RefusalKind::InvalidState,
            format!("API token {} is already revoked", token.id),
            format!("接口令牌 {} 已吊销", token.id),
        ));
    }
    Ok(Event::TokenRevoked { token_id: token.id.clone(), enterprise: token.enterprise.clone(), reason, at: now })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(c: &str) -> CustomsCode {
        CustomsCode::parse(c).unwrap()
    }

    fn actor(role: Role, enterprise: Option<&str>) -> Actor {
        Actor { id: "user:x".into(), role: Some(role), enterprise: enterprise.map(code) }
    }

    fn token(enterprise: Option<&str>) -> TokenFacts {
        TokenFacts { id: "abc".into(), enterprise: enterprise.map(code), expires_at_ms: 1_000, revoked_at_ms: None }
    }

    #[test]
    fn a_token_expires_and_revocation_wins() {
        let t = token(None);
        assert_eq!(t.state(999), TokenState::Active);
        assert_eq!(t.state(1_000), TokenState::Expired, "the expiry instant itself is past");
        let r = TokenFacts { revoked_at_ms: Some(500), ..t };
        assert_eq!(r.state(600), TokenState::Revoked);
        assert_eq!(r.state(2_000), TokenState::Revoked);
        assert_eq!(expires_at_ms(0, DEFAULT_DAYS), 90 * DAY_MS);
    }

    #[test]
    fn days_are_one_to_ten_years() {
        assert_eq!(check_days("days", 1), Ok(1));
        assert_eq!(check_days("days", 3650), Ok(3650));
        for bad in [0, -1, 3651] {
            assert_eq!(check_days("days", bad).unwrap_err().rule, Rule::TokenDays);
        }
    }

    #[test]
    fn who_may_revoke_which_token() {
        let now = time::macros::datetime!(2026-03-01 08:00 UTC);
        let ours = token(Some("6201960001"));
        let admin = actor(Role::Admin, None);
        assert!(matches!(revoke(&ours, &admin, None, now), Ok(Event::TokenRevoked { .. })));
        let own = actor(Role::Declarant, Some("6201960001"));
        assert!(revoke(&ours, &own, Some("leaked".into()), now).is_ok());
        assert!(revoke(&ours, &actor(Role::Terminal, Some("6201960001")), None, now).is_ok());
        let other = actor(Role::Declarant, Some("4401960003"));
        assert_eq!(revoke(&ours, &other, None, now).unwrap_err().kind, RefusalKind::NotFound);
        assert_eq!(revoke(&token(None), &own, None, now).unwrap_err().kind, RefusalKind::NotFound, "a customs token is not theirs");
        assert_eq!(revoke(&ours, &actor(Role::Officer, None), None, now).unwrap_err().kind, RefusalKind::Forbidden);
        assert_eq!(revoke(&ours, &actor(Role::Declarant, None), None, now).unwrap_err().kind, RefusalKind::Forbidden);
        let gone = TokenFacts { revoked_at_ms: Some(1), ..ours };
        assert_eq!(revoke(&gone, &admin, None, now).unwrap_err().kind, RefusalKind::InvalidState);
    }

    #[test]
    fn a_use_is_recorded_at_most_once_a_minute() {
        assert!(worth_recording(None, 0));
        assert!(!worth_recording(Some(1_000), 60_999));
        assert!(worth_recording(Some(1_000), 61_000));
    }

    #[test]
    fn the_revocation_event_names_the_token_stream() {
        let e = revoke(
            &token(Some("6201960001")),
            &actor(Role::Admin, None),
            Some("leaked".into()),
            time::macros::datetime!(2026-03-01 08:00 UTC),
        )
        .unwrap();
        assert_eq!(e.stream(), "token:abc");
        assert_eq!(e.kind(), "token_revoked");
        let json = serde_json::to_value(&e).unwrap();
        assert_eq!(json["type"], "token_revoked");
        assert_eq!(json["reason"], "leaked");
        assert!(e.summary().1.contains("吊销"));
    }
}
