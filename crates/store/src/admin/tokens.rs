//! API tokens: issued and revoked on the write path (both journaled), their use recorded as
//! bookkeeping (not journaled, like delivery state), listed without their secrets, and a
//! presented token resolved to its actor through a short-lived cache.
//!
//! The cache keeps token hash → actor for [`TOKEN_CACHE_MS`] at most, and never past the
//! token's expiry; a revocation through this store empties the token's entries at once. Another
//! process sharing the database (a second node, or `guomen token revoke`) is honoured when the
//! entry next expires, within seconds.
//!
//! Last use: when a token is used and its last recorded use is a minute old or more
//! ([`guomen_domain::token::TOUCH_EVERY_MS`]), a `Touch` is queued for the writer without
//! waiting for it, so no request waits for this bookkeeping.

use super::{token_row, AdminOutcome, TOKENS};
use crate::kernel::{bind_row, Handled, Tx};
use crate::{Store, StoreError};
use guomen_domain::party::{Actor, Role};
use guomen_domain::token::{self as policy, TokenFacts, TokenScope, TokenState};
use guomen_domain::types::CustomsCode;
use guomen_domain::{Event, Refusal};
use serde::Serialize;
use sqlx::{AnyConnection, Row};
use std::collections::HashMap;
use std::sync::{Mutex, RwLock};

/// How long a looked-up token is believed without asking the database again.
pub const TOKEN_CACHE_MS: i64 = 5_000;
/// Most tokens remembered at once; past this the cache starts afresh.
const TOKEN_CACHE: usize = 10_000;

/// A change to an API token other than issuing it (`AdminCommand::IssueToken`).
#[derive(Debug, Clone)]
pub enum TokenCommand {
    /// 吊销 — by the administrator, or by the token's own enterprise (the actor's scope is checked
    /// by `guomen_domain::token::revoke`). Journaled.
    Revoke { token_id: String, reason: Option<String> },
    /// The token was used at `at_ms`. Bookkeeping, not journaled: it changes no record.
    Touch { token_id: String, at_ms: i64 },
}

/// An API token as the administrator or its enterprise sees it: never its secret or hash.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct TokenRow {
    pub id: String,
    pub role: String,
    pub enterprise: Option<String>,
    pub label: Option<String>,
    pub created_at_ms: i64,
    pub expires_at_ms: i64,
    pub last_used_at_ms: Option<i64>,
    pub revoked_at_ms: Option<i64>,
    pub revoked_by: Option<String>,
}

impl TokenRow {
    pub fn state(&self, now_ms: i64) -> TokenState {
        policy::state_of(self.expires_at_ms, self.revoked_at_ms, now_ms)
    }
}

/// What a presented token turned out to be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TokenCheck {
    Valid(Actor),
    /// No token has this secret.
    Unknown,
    Expired {
        id: String,
    },
    Revoked {
        id: String,
    },
}

const COLUMNS: &str = "id, role, enterprise, label, created_at_ms, expires_at_ms, last_used_at_ms, revoked_at_ms, revoked_by";

fn row_of(r: &sqlx::any::AnyRow) -> Result<TokenRow, sqlx::Error> {
    Ok(TokenRow {
        id: r.try_get("id")?,
        role: r.try_get("role")?,
        enterprise: r.try_get("enterprise")?,
        label: r.try_get("label")?,
        created_at_ms: r.try_get("created_at_ms")?,
        expires_at_ms: r.try_get::<Option<i64>, _>("expires_at_ms")?.unwrap_or(i64::MAX),
        last_used_at_ms: r.try_get("last_used_at_ms")?,
        revoked_at_ms: r.try_get("revoked_at_ms")?,
        revoked_by: r.try_get("revoked_by")?,
    })
}

/// Issues a token whose hash was made at the edge, valid for `valid_days` from now. The role
/// and enterprise were checked by the caller.
pub(crate) async fn issue(
    tx: &mut Tx<'_>,
    token_id: &str,
    token_hash: &str,
    role: Role,
    enterprise: &Option<CustomsCode>,
    label: &Option<String>,
    valid_days: u32,
) -> Handled<AdminOutcome> {
    if let Err(e) = policy::check_days("expires_in_days", i64::from(valid_days)) {
        return Ok(Err(Refusal::validation(vec![e])));
    }
    let expires = policy::expires_at_ms(tx.at, valid_days);
    let expires_at = tx.now + time::Duration::days(i64::from(valid_days));
    tx.append(&Event::TokenIssued {
        token_id: token_id.to_owned(),
        role,
        enterprise: enterprise.clone(),
        label: label.clone(),
        expires_at: Some(expires_at),
    });
    let row = token_row(token_id, role, enterprise.as_ref(), label.as_deref(), tx.at, Some(expires), None);
    bind_row(sqlx::query(&TOKENS.insert_sql(&["hash"])), row).bind(token_hash.to_owned()).execute(&mut *tx.conn).await?;
    Ok(Ok(AdminOutcome::Token(read_on(tx.conn, token_id).await?.expect("just inserted"))))
}

async fn read_on(conn: &mut AnyConnection, id: &str) -> Result<Option<TokenRow>, sqlx::Error> {
    let row = sqlx::query(&format!("SELECT {COLUMNS} FROM tokens WHERE id = $1")).bind(id.to_owned()).fetch_optional(&mut *conn).await?;
    row.as_ref().map(row_of).transpose()
}

pub(crate) async fn execute(tx: &mut Tx<'_>, cmd: &TokenCommand) -> Handled<AdminOutcome> {
    match cmd {
        TokenCommand::Revoke { token_id, reason } => {
            let Some(row) = read_on(tx.conn, token_id).await? else {
                return Ok(Err(Refusal::not_found("API token", "接口令牌")));
            };
            let facts = TokenFacts {
                id: row.id.clone(),
                enterprise: row.enterprise.as_deref().and_then(|e| CustomsCode::parse(e).ok()),
                expires_at_ms: row.expires_at_ms,
                revoked_at_ms: row.revoked_at_ms,
            };
            let event = match policy::revoke(&facts, tx.actor, reason.clone(), tx.now) {
                Ok(e) => e,
                Err(r) => return Ok(Err(r)),
            };
            tx.append(&event);
            sqlx::query("UPDATE tokens SET revoked_at_ms = $1, revoked_by = $2 WHERE id = $3")
                .bind(tx.at)
                .bind(tx.who.clone())
                .bind(token_id.clone())
                .execute(&mut *tx.conn)
                .await?;
            Ok(Ok(AdminOutcome::Token(read_on(tx.conn, token_id).await?.expect("read above"))))
        }
        TokenCommand::Touch { token_id, at_ms } => {
            sqlx::query("UPDATE tokens SET last_used_at_ms = $1 WHERE id = $2 AND (last_used_at_ms IS NULL OR last_used_at_ms < $3)")
                .bind(*at_ms)
                .bind(token_id.clone())
                .bind(*at_ms)
                .execute(&mut *tx.conn)
                .await?;
            Ok(Ok(AdminOutcome::Done))
        }
    }
}

/// A token looked up, as the cache keeps it.
#[derive(Clone)]
struct Cached {
    actor: Actor,
    id: String,
    expires_at_ms: i64,
    fetched_ms: i64,
}

/// Token hash → actor, believed for `ttl_ms` and never past the token's expiry; and token id →
/// the last use recorded (or queued to be) by this process, which outlives the entries so that
/// many requests at once, or a refreshed entry, do not record the same minute twice.
pub(crate) struct TokenCache {
    entries: RwLock<HashMap<String, Cached>>,
    ttl_ms: i64,
    touched: Mutex<HashMap<String, i64>>,
}

impl TokenCache {
    pub(crate) fn new(ttl_ms: i64) -> TokenCache {
        TokenCache { entries: RwLock::new(HashMap::new()), ttl_ms, touched: Mutex::new(HashMap::new()) }
    }

    /// Whether a use of token `id` at `now_ms` is to be recorded (the database last saw one at
    /// `stored_ms`); if so it counts as recorded from now on.
    fn claim_touch(&self, id: &str, stored_ms: Option<i64>, now_ms: i64) -> bool {
        let mut touched = self.touched.lock().expect("token use lock");
        let last = match (touched.get(id).copied(), stored_ms) {
            (Some(a), Some(b)) => Some(a.max(b)),
            (a, b) => a.or(b),
        };
        if !policy::worth_recording(last, now_ms) {
            return false;
        }
        if touched.len() >= TOKEN_CACHE {
            touched.clear();
        }
        touched.insert(id.to_owned(), now_ms);
        true
    }

    /// Lets the use claimed at `now_ms` be claimed again (it could not be queued).
    fn release_touch(&self, id: &str, now_ms: i64) {
        let mut touched = self.touched.lock().expect("token use lock");
        if touched.get(id) == Some(&now_ms) {
            touched.remove(id);
        }
    }

    fn get(&self, hash: &str, now_ms: i64) -> Option<Cached> {
        let entries = self.entries.read().expect("token cache lock");
        entries.get(hash).filter(|c| now_ms - c.fetched_ms < self.ttl_ms && now_ms < c.expires_at_ms).cloned()
    }

    fn put(&self, hash: String, entry: Cached) {
        if self.ttl_ms <= 0 {
            return;
        }
        let mut entries = self.entries.write().expect("token cache lock");
        if entries.len() >= TOKEN_CACHE {
            entries.clear();
        }
        entries.insert(hash, entry);
    }

    /// Forgets every entry of token `id` (it was just revoked).
    pub(crate) fn forget(&self, id: &str) {
        self.entries.write().expect("token cache lock").retain(|_, c| c.id != id);
    }
}

impl Store {
    /// What the token whose secret is `secret` stands for now: its actor, or why not.
    pub async fn check_token(&self, secret: &str) -> Result<TokenCheck, StoreError> {
        let now = crate::kernel::now_ms();
        let hash = crate::secrets::token_hash(secret);
        if let Some(hit) = self.tokens.get(&hash, now) {
            self.record_use(&hit.id, None, now);
            return Ok(TokenCheck::Valid(hit.actor));
        }
        let row = sqlx::query(&format!("SELECT {COLUMNS} FROM tokens WHERE hash = $1"))
            .bind(hash.clone())
            .fetch_optional(self.read_pool())
            .await?;
        let Some(row) = row.as_ref().map(row_of).transpose()? else { return Ok(TokenCheck::Unknown) };
        match row.state(now) {
            TokenState::Revoked => return Ok(TokenCheck::Revoked { id: row.id }),
            TokenState::Expired => return Ok(TokenCheck::Expired { id: row.id }),
            TokenState::Active => {}
        }
        let Some(role) = Role::parse(&row.role) else { return Ok(TokenCheck::Unknown) };
        let enterprise = row.enterprise.as_deref().and_then(|e| CustomsCode::parse(e).ok());
        self.record_use(&row.id, row.last_used_at_ms, now);
        let entry = Cached {
            actor: Actor { id: format!("token:{}", row.id), role: Some(role), enterprise },
            id: row.id,
            expires_at_ms: row.expires_at_ms,
            fetched_ms: now,
        };
        let actor = entry.actor.clone();
        self.tokens.put(hash, entry);
        Ok(TokenCheck::Valid(actor))
    }

    /// The actor a token stands for, if it is known, unexpired and not revoked.
    pub async fn actor_for_token(&self, secret: &str) -> Result<Option<Actor>, StoreError> {
        Ok(match self.check_token(secret).await? {
            TokenCheck::Valid(a) => Some(a),
            _ => None,
        })
    }

    /// Queues a `Touch` when the token's last recorded use is a minute old; never waits.
    fn record_use(&self, id: &str, stored_ms: Option<i64>, now: i64) {
        if !self.tokens.claim_touch(id, stored_ms, now) {
            return;
        }
        let job = crate::kernel::Job {
            actor: Actor { id: "system".into(), role: None, enterprise: None },
            command: crate::Command::Admin(super::AdminCommand::Token(TokenCommand::Touch { token_id: id.to_owned(), at_ms: now })),
            at: None,
            reply: tokio::sync::oneshot::channel().0,
        };
        if self.jobs.try_send(job).is_err() {
            // The writer is saturated or gone: a later use will try again.
            self.tokens.release_touch(id, now);
        }
    }

    /// API tokens, newest first: every one, or those of one enterprise.
    pub async fn tokens(&self, scope: &TokenScope) -> Result<Vec<TokenRow>, StoreError> {
        let rows = match scope.enterprise() {
            None => {
                sqlx::query(&format!("SELECT {COLUMNS} FROM tokens ORDER BY created_at_ms DESC, id")).fetch_all(self.read_pool()).await?
            }
            Some(e) => {
                sqlx::query(&format!("SELECT {COLUMNS} FROM tokens WHERE enterprise = $1 ORDER BY created_at_ms DESC, id"))
                    .bind(e.to_string())
                    .fetch_all(self.read_pool())
                    .await?
            }
        };
        Ok(rows.iter().map(row_of).collect::<Result<_, _>>()?)
    }

    /// One API token, without its secret.
    pub async fn token(&self, id: &str) -> Result<Option<TokenRow>, StoreError> {
        let row = sqlx::query(&format!("SELECT {COLUMNS} FROM tokens WHERE id = $1"))
            .bind(id.to_owned())
            .fetch_optional(self.read_pool())
            .await?;
        Ok(row.as_ref().map(row_of).transpose()?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(id: &str, expires_at_ms: i64, fetched_ms: i64) -> Cached {
        Cached {
            actor: Actor { id: format!("token:{id}"), role: Some(Role::Officer), enterprise: None },
            id: id.into(),
            expires_at_ms,
            fetched_ms,
        }
    }

    #[test]
    fn the_cache_forgets_after_its_ttl_and_never_serves_an_expired_token() {
        let c = TokenCache::new(5_000);
        c.put("h".into(), entry("a", 100_000, 10_000));
        assert!(c.get("h", 14_999).is_some());
        assert!(c.get("h", 15_000).is_none(), "five seconds later the database is asked again");
        c.put("e".into(), entry("b", 12_000, 10_000));
        assert!(c.get("e", 11_999).is_some());
        assert!(c.get("e", 12_000).is_none(), "expired while cached");
        c.forget("a");
        assert!(c.get("h", 11_000).is_none(), "revoked here: forgotten at once");
        let off = TokenCache::new(0);
        off.put("h".into(), entry("a", 100_000, 10_000));
        assert!(off.get("h", 10_000).is_none());
    }

    #[test]
    fn a_use_is_claimed_once_a_minute_however_many_requests_race() {
        let c = TokenCache::new(5_000);
        assert!(c.claim_touch("a", None, 100_000), "never used");
        assert!(!c.claim_touch("a", None, 100_000), "a second request at once");
        assert!(!c.claim_touch("a", Some(90_000), 159_999), "refreshed from the database: still this minute");
        assert!(c.claim_touch("a", None, 160_000));
        assert!(!c.claim_touch("b", Some(150_000), 160_000), "another node recorded it lately");
        c.release_touch("a", 160_000);
        assert!(c.claim_touch("a", None, 160_001), "could not be queued: claimed again");
    }
}
