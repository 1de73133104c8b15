//! Webhook delivery bookkeeping: the dispatcher records each attempt (delivered, or the next
//! retry) through the writer like every change. Not journaled: attempts and retries are
//! transport state, not a change to any customs record. The outbox and the deliveries it queues
//! are the kernel's; this family only updates their state.

pub mod read;

use crate::kernel::{Handled, Tx};

#[cfg(test)]
pub(crate) const WRITES: &[&str] = &["deliveries"];
#[cfg(test)]
pub(crate) const READS: &[&str] = &["outbox", "subscriptions"];

/// The result of one webhook delivery attempt.
#[derive(Debug, Clone)]
pub struct DeliveryUpdate {
    pub outbox_id: i64,
    pub subscription_id: String,
    pub delivered: bool,
    pub attempts: i64,
    pub next_attempt_ms: i64,
    pub error: Option<String>,
}

/// Delivery bookkeeping from the dispatcher.
#[derive(Debug, Clone)]
pub enum DeliveryCommand {
    Record(Vec<DeliveryUpdate>),
}

pub(crate) async fn execute(tx: &mut Tx<'_>, cmd: &DeliveryCommand) -> Handled<()> {
    let DeliveryCommand::Record(updates) = cmd;
    for u in updates {
        sqlx::query("UPDATE deliveries SET state = $1, attempts = $2, next_attempt_ms = $3, last_error = $4, delivered_at_ms = $5 WHERE outbox_id = $6 AND subscription_id = $7")
            .bind(if u.delivered { "delivered" } else { "pending" })
            .bind(u.attempts)
            .bind(u.next_attempt_ms)
            .bind(u.error.clone())
            .bind(if u.delivered { Some(tx.at) } else { None })
            .bind(u.outbox_id)
            .bind(u.subscription_id.clone())
            .execute(&mut *tx.conn)
            .await?;
    }
    Ok(Ok(()))
}
