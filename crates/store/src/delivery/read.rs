//! Reads of the outbox: notices by recipient, and deliveries due for an attempt.

use crate::{Store, StoreError};
use serde::Serialize;
use sqlx::Row;

/// A message from the outbox.
#[derive(Debug, Clone, Serialize)]
pub struct OutboxMessage {
    pub id: i64,
    pub event_seq: i64,
    pub stream: String,
    pub recipient: String,
    pub topic: String,
    pub body: serde_json::Value,
    pub created_at_ms: i64,
}

/// A delivery due for an attempt.
#[derive(Debug, Clone)]
pub struct PendingDelivery {
    pub outbox_id: i64,
    pub subscription_id: String,
    pub stream: String,
    pub attempts: i64,
    pub next_attempt_ms: i64,
    pub url: String,
    pub secret: String,
    pub recipient: String,
    pub topic: String,
    pub body: String,
    pub created_at_ms: i64,
}

impl Store {
    /// Messages addressed to `recipient` (or all, for None) after outbox id `after`.
    pub async fn notices(&self, recipient: Option<&str>, after: i64, limit: i64) -> Result<Vec<OutboxMessage>, StoreError> {
        let limit = limit.clamp(1, 1000);
        let rows = match recipient {
            Some(r) => sqlx::query(&format!("SELECT id, event_seq, stream, recipient, topic, body, created_at_ms FROM outbox WHERE recipient = $1 AND id > $2 ORDER BY id LIMIT {limit}")).bind(r.to_owned()).bind(after).fetch_all(&self.read).await?,
            None => sqlx::query(&format!("SELECT id, event_seq, stream, recipient, topic, body, created_at_ms FROM outbox WHERE id > $1 ORDER BY id LIMIT {limit}")).bind(after).fetch_all(&self.read).await?,
        };
        rows.iter()
            .map(|r| {
                let body: String = r.try_get("body")?;
                Ok(OutboxMessage {
                    id: r.try_get("id")?,
                    event_seq: r.try_get("event_seq")?,
                    stream: r.try_get("stream")?,
                    recipient: r.try_get("recipient")?,
                    topic: r.try_get("topic")?,
                    body: serde_json::from_str(&body).map_err(|e| StoreError::Database(e.to_string()))?,
                    created_at_ms: r.try_get("created_at_ms")?,
                })
            })
            .collect()
    }

    /// Undelivered deliveries that may be attempted at `now_ms`, oldest first: due ones, except
    /// those queued behind an earlier message of the same record to the same subscriber that is
    /// still waiting for its retry. A subscriber that stays down thus never fills the window and
    /// holds up the others; the dispatcher enforces per-record order over what this returns.
    pub async fn pending_deliveries(&self, now_ms: i64, limit: i64) -> Result<Vec<PendingDelivery>, StoreError> {
        let rows = sqlx::query(&format!(
            "SELECT d.outbox_id, d.subscription_id, d.stream, d.attempts, d.next_attempt_ms, s.url, s.secret, o.recipient, o.topic, o.body, o.created_at_ms \
             FROM deliveries d JOIN subscriptions s ON s.id = d.subscription_id JOIN outbox o ON o.id = d.outbox_id \
             WHERE d.state = 'pending' AND d.next_attempt_ms <= $1 \
             AND NOT EXISTS (SELECT 1 FROM deliveries e WHERE e.subscription_id = d.subscription_id AND e.stream = d.stream \
                             AND e.state = 'pending' AND e.outbox_id < d.outbox_id AND e.next_attempt_ms > $1) \
             ORDER BY d.outbox_id LIMIT {}",
            limit.clamp(1, 10_000)
        ))
        .bind(now_ms)
        .fetch_all(&self.read)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(PendingDelivery {
                    outbox_id: r.try_get("outbox_id")?,
                    subscription_id: r.try_get("subscription_id")?,
                    stream: r.try_get("stream")?,
                    attempts: r.try_get("attempts")?,
                    next_attempt_ms: r.try_get("next_attempt_ms")?,
                    url: r.try_get("url")?,
                    secret: r.try_get("secret")?,
                    recipient: r.try_get("recipient")?,
                    topic: r.try_get("topic")?,
                    body: r.try_get("body")?,
                    created_at_ms: r.try_get("created_at_ms")?,
                })
            })
            .collect()
    }
}
