//! What the web console needs from the store: sessions and sign-in lock-outs (commands carried
//! out by the writer, like every change), the views it reads (`views.rs`: the officer's queue and
//! the daily rollups the writer keeps), and the read queries over them (`reads.rs`).
//!
//! Sessions are credentials: like token hashes they live only in their table, never in the
//! journal. A lock-out is a security event and is journaled (`Event::SignIn`). Failures and
//! lock-outs are kept per username and client address, so someone elsewhere cannot lock a user
//! out by typing wrong passwords under their name.

pub mod reads;

use crate::kernel::{Handled, Tx};
use crate::{Store, StoreError};
use guomen_domain::party::{Actor, Role};
use guomen_domain::signin::{self, SignInEvent};
use guomen_domain::types::CustomsCode;
use guomen_domain::Event;
use sqlx::Row;
use time::OffsetDateTime;

pub use crate::declaration::views::{Facts, QueueRow};

#[cfg(test)]
pub(crate) const WRITES: &[&str] = &["console_sessions", "signin_failures", "signin_lockouts"];
#[cfg(test)]
pub(crate) const READS: &[&str] = &["users", "tokens", "officer_queue", "rollup_clearance", "rollup_criteria", "outbox"];

/// A change the console makes outside any customs record.
#[derive(Debug, Clone)]
pub enum ConsoleCommand {
    /// Opens a session for a user whose password was checked at the edge; clears the user's
    /// sign-in failures from `client` (the address signing in). Only the hash of the session id
    /// arrives here.
    OpenSession { session_hash: String, csrf: String, username: String, client: String, expires_at_ms: i64 },
    /// Signs out: the session stops working at once.
    CloseSession { session_hash: String },
    /// A failed sign-in from `client` (an address); the fifth within the window locks the
    /// username for that address (see `guomen_domain::signin`).
    RecordSignInFailure { username: String, client: String },
}

/// What a console command produced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConsoleOutcome {
    SessionOpened,
    SessionClosed,
    /// A failure recorded; `locked_until_ms` when it locked the username.
    FailureRecorded {
        locked_until_ms: Option<i64>,
    },
}

/// A signed-in session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConsoleSession {
    pub username: String,
    pub actor: Actor,
    /// The per-session token every form must send back.
    pub csrf: String,
    pub expires_at_ms: i64,
}

pub(crate) async fn execute(tx: &mut Tx<'_>, cmd: &ConsoleCommand) -> Handled<ConsoleOutcome> {
    let (at, now) = (tx.at, tx.now);
    let conn = &mut *tx.conn;
    match cmd {
        ConsoleCommand::OpenSession { session_hash, csrf, username, client, expires_at_ms } => {
            let row = sqlx::query("SELECT role, enterprise FROM users WHERE username = $1")
                .bind(username.clone())
                .fetch_optional(&mut *conn)
                .await?;
            let Some(row) = row else {
                return Ok(Err(guomen_domain::Refusal::not_found("user", "用户")));
            };
            sqlx::query("DELETE FROM console_sessions WHERE expires_at_ms <= $1").bind(at).execute(&mut *conn).await?;
            sqlx::query("DELETE FROM signin_failures WHERE username = $1 AND client = $2")
                .bind(username.clone())
                .bind(client.clone())
                .execute(&mut *conn)
                .await?;
            sqlx::query(
                "INSERT INTO console_sessions (id_hash, username, role, enterprise, csrf, created_at_ms, expires_at_ms) VALUES ($1, $2, $3, $4, $5, $6, $7)",
            )
            .bind(session_hash.clone())
            .bind(username.clone())
            .bind(row.try_get::<String, _>("role")?)
            .bind(row.try_get::<Option<String>, _>("enterprise")?)
            .bind(csrf.clone())
            .bind(at)
            .bind(*expires_at_ms)
            .execute(&mut *conn)
            .await?;
            Ok(Ok(ConsoleOutcome::SessionOpened))
        }
        ConsoleCommand::CloseSession { session_hash } => {
            sqlx::query("DELETE FROM console_sessions WHERE id_hash = $1").bind(session_hash.clone()).execute(&mut *conn).await?;
            Ok(Ok(ConsoleOutcome::SessionClosed))
        }
        ConsoleCommand::RecordSignInFailure { username, client } => {
            sqlx::query("DELETE FROM signin_failures WHERE username = $1 AND client = $2 AND at_ms <= $3")
                .bind(username.clone())
                .bind(client.clone())
                .bind(at - signin::FAILURE_WINDOW_MS)
                .execute(&mut *conn)
                .await?;
            sqlx::query("INSERT INTO signin_failures (username, client, at_ms) VALUES ($1, $2, $3)")
                .bind(username.clone())
                .bind(client.clone())
                .bind(at)
                .execute(&mut *conn)
                .await?;
            let times: Vec<i64> = sqlx::query_scalar("SELECT at_ms FROM signin_failures WHERE username = $1 AND client = $2")
                .bind(username.clone())
                .bind(client.clone())
                .fetch_all(&mut *conn)
                .await?;
            let locked = signin::lockout_after_failure(&times, at);
            if let Some(until) = locked {
                sqlx::query(
                    "INSERT INTO signin_lockouts (username, client, until_ms) VALUES ($1, $2, $3) \
                     ON CONFLICT (username, client) DO UPDATE SET until_ms = excluded.until_ms",
                )
                .bind(username.clone())
                .bind(client.clone())
                .bind(until)
                .execute(&mut *conn)
                .await?;
                sqlx::query("DELETE FROM signin_failures WHERE username = $1 AND client = $2")
                    .bind(username.clone())
                    .bind(client.clone())
                    .execute(&mut *conn)
                    .await?;
                // Journaled for users that exist: a made-up name is not a record of anything.
                let exists: Option<String> = sqlx::query_scalar("SELECT username FROM users WHERE username = $1")
                    .bind(username.clone())
                    .fetch_optional(&mut *conn)
                    .await?;
                if exists.is_some() {
                    let until_t = OffsetDateTime::from_unix_timestamp_nanos(i128::from(until) * 1_000_000).unwrap_or(now);
                    let e = SignInEvent::LockedOut { username: username.clone(), failures: times.len() as u32, until: until_t };
                    tx.append(&Event::SignIn(e));
                }
            }
            Ok(Ok(ConsoleOutcome::FailureRecorded { locked_until_ms: locked }))
        }
    }
}

impl Store {
    /// The live session whose id hashes to `session_hash`, if it has not expired.
    pub async fn console_session(&self, session_hash: &str, now_ms: i64) -> Result<Option<ConsoleSession>, StoreError> {
        let row = sqlx::query(
            "SELECT username, role, enterprise, csrf, expires_at_ms FROM console_sessions WHERE id_hash = $1 AND expires_at_ms > $2",
        )
        .bind(session_hash.to_owned())
        .bind(now_ms)
        .fetch_optional(self.read_pool())
        .await?;
        let Some(r) = row else { return Ok(None) };
        let username: String = r.try_get("username")?;
        let Some(role) = Role::parse(&r.try_get::<String, _>("role")?) else { return Ok(None) };
        let enterprise = r.try_get::<Option<String>, _>("enterprise")?.and_then(|e| CustomsCode::parse(&e).ok());
        Ok(Some(ConsoleSession {
            actor: Actor { id: format!("user:{username}"), role: Some(role), enterprise },
            username,
            csrf: r.try_get("csrf")?,
            expires_at_ms: r.try_get("expires_at_ms")?,
        }))
    }

    /// Until when `username` is locked out for `client` (an address) at `now_ms`, if it is.
    pub async fn signin_locked_until(&self, username: &str, client: &str, now_ms: i64) -> Result<Option<i64>, StoreError> {
        Ok(sqlx::query_scalar("SELECT until_ms FROM signin_lockouts WHERE username = $1 AND client = $2 AND until_ms > $3")
            .bind(username.to_owned())
            .bind(client.to_owned())
            .bind(now_ms)
            .fetch_optional(self.read_pool())
            .await?)
    }
}
