//! The outbox dispatcher: delivers pending webhook deliveries at least once, in per-record
//! order, with exponential back-off.

use crate::reach::{check_literal, CheckedResolver, Reach};
use crate::signature;
use guomen_domain::party::Actor;
use guomen_store::DeliveryCommand;
use guomen_store::{DeliveryUpdate, PendingDelivery, Store, StoreError};
use std::collections::{HashMap, HashSet};
use std::time::Duration;
use tokio::sync::broadcast::error::{RecvError, TryRecvError};
use tokio::task::{JoinHandle, JoinSet};

/// How many pending deliveries one pass considers.
const PASS_LIMIT: i64 = 1000;
/// How many (subscription, record) queues are worked on at once.
const MAX_IN_FLIGHT: usize = 16;
/// The longest the background loop sleeps between passes.
const MAX_IDLE: Duration = Duration::from_secs(1);
/// The shortest the background loop waits between passes.
const MIN_IDLE: Duration = Duration::from_millis(10);
/// The longest error text kept on a delivery.
const MAX_ERROR_LEN: usize = 500;

/// When to try a failed delivery again.
///
/// There is deliberately no give-up: a delivery stays pending, retried with growing back-off
/// capped at `max`, until the receiver answers 2xx. Dropping a customs notice silently would be
/// worse than retrying it forever; an operator sees the stuck deliveries (pending count and
/// last error) in the admin subscription state and can fix the receiver or the subscription.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Wait after the first failure.
    pub base: Duration,
    /// Longest wait between attempts.
    pub max: Duration,
    /// Whole-request timeout of one attempt.
    pub timeout: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy { base: Duration::from_secs(1), max: Duration::from_secs(600), timeout: Duration::from_secs(10) }
    }
}

impl RetryPolicy {
    /// The wait after failed attempt `attempt` (1-based): `min(max, base * 2^(attempt-1))`.
    pub fn backoff(&self, attempt: i64) -> Duration {
        let exp = attempt.clamp(1, 32) - 1;
        self.base.saturating_mul(1u32 << exp.min(31)).min(self.max)
    }
}

/// What one pass did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PassReport {
    /// Requests sent.
    pub attempted: usize,
    /// Of those, answered 2xx.
    pub delivered: usize,
    /// Of those, failed (non-2xx status, timeout, connection error).
    pub failed: usize,
}

/// Delivers the outbox's pending webhook deliveries.
///
/// Each delivery is `POST url` with a JSON envelope
/// `{"event_id", "topic", "recipient", "record", "created_at", "body"}` and the headers
/// `Guomen-Event-Id` (the outbox id, the same on every retry, for receivers to de-duplicate on),
/// `Guomen-Topic`, `Guomen-Timestamp` (Unix seconds) and `Guomen-Signature` (see
/// [`crate::signature`]). A 2xx answer marks it delivered; anything else, including a redirect,
/// a timeout or a refused connection, is a failure retried after [`RetryPolicy::backoff`].
///
/// Delivery state lives only in the database: a delivery stays pending until its 2xx is
/// recorded, so after a crash or restart the dispatcher simply resumes. A crash between a
/// receiver's 2xx and the recording of it means that message is sent again (at least once).
///
/// Order: within one (subscription, record) pair messages go out strictly one at a time in
/// outbox order, and a message waits while an earlier one of the same pair is pending.
/// Different pairs proceed independently and concurrently.
///
/// Addresses: a webhook reaches only what its [`Reach`] permits. A name is resolved and every
/// address checked by the client's resolver, which hands the connector only checked addresses;
/// an IP literal is checked before sending. A refused address is a failed attempt like any
/// other, retried (the admin sees the error and fixes the subscription or the setting).
///
/// The default build speaks plain HTTP only; `https://` webhooks need this crate's `tls`
/// feature (rustls).
pub struct Dispatcher {
    store: Store,
    client: reqwest::Client,
    policy: RetryPolicy,
    reach: Reach,
}

/// The due deliveries of one (subscription, record) pair, oldest first.
type Queue = Vec<PendingDelivery>;

struct QueueResult {
    updates: Vec<DeliveryUpdate>,
    report: PassReport,
}

impl Dispatcher {
    /// A dispatcher on `store` reaching the addresses `reach` permits. Fails only if the HTTP
    /// client cannot be built.
    pub fn new(store: Store, policy: RetryPolicy, reach: Reach) -> Result<Dispatcher, reqwest::Error> {
        let client = reqwest::Client::builder()
            .timeout(policy.timeout)
            // A webhook URL is configured, not discovered: a redirect is an error to look at,
            // and following it would turn the POST into a GET (or to an unchecked address).
            .redirect(reqwest::redirect::Policy::none())
            // Names resolve through the check; a proxy would resolve them unchecked.
            .dns_resolver(std::sync::Arc::new(CheckedResolver(reach)))
            .no_proxy()
            .user_agent(concat!("guomen/", env!("CARGO_PKG_VERSION")))
            .build()?;
        Ok(Dispatcher { store, client, policy, reach })
    }

    pub fn policy(&self) -> &RetryPolicy {
        &self.policy
    }

    /// Attempts every delivery due at `now_ms` (milliseconds since the Unix epoch) that per-record
    /// order allows, and records all results in one store command.
    pub async fn pass(&self, now_ms: i64) -> Result<PassReport, StoreError> {
        self.pass_inner(now_ms).await.map(|(report, _)| report)
    }

    /// Like [`Dispatcher::pass`], also returning when the earliest delivery left pending becomes due.
    async fn pass_inner(&self, now_ms: i64) -> Result<(PassReport, Option<i64>), StoreError> {
        let pending = self.store.pending_deliveries(now_ms, PASS_LIMIT).await?;
        let full = pending.len() as i64 >= PASS_LIMIT;
        let (queues, mut wake) = plan(pending, now_ms);

        let mut report = PassReport::default();
        let mut updates = Vec::new();
        let mut tasks = JoinSet::new();
        for queue in queues {
            while tasks.len() >= MAX_IN_FLIGHT {
                if let Some(r) = tasks.join_next().await {
                    absorb(r, &mut report, &mut updates);
                }
            }
            let (client, policy, reach) = (self.client.clone(), self.policy, self.reach);
            tasks.spawn(async move { run_queue(&client, &policy, reach, queue, now_ms).await });
        }
        while let Some(r) = tasks.join_next().await {
            absorb(r, &mut report, &mut updates);
        }

        for u in &updates {
            if !u.delivered {
                wake = earliest(wake, u.next_attempt_ms);
            }
        }
        if full && report.delivered > 0 {
            // More may be waiting beyond this pass's window.
            wake = Some(now_ms);
        }
        if !updates.is_empty() {
            self.store.execute(Actor::system(), DeliveryCommand::Record(updates)).await?;
        }
        if report.attempted > 0 {
            tracing::debug!(attempted = report.attempted, delivered = report.delivered, failed = report.failed, "delivery pass");
        }
        Ok((report, wake))
    }

    /// Runs passes forever: after each, waits until new outbox messages are committed or the
    /// earliest retry falls due (at most a second). Ends only if the store shuts down.
    pub async fn run(self) {
        let mut events = self.store.outbox_events();
        loop {
            let now = now_ms();
            let wait = match self.pass_inner(now).await {
                Ok((_, Some(at))) => Duration::from_millis(at.saturating_sub(now).max(0) as u64).min(MAX_IDLE),
                Ok((_, None)) => MAX_IDLE,
                Err(StoreError::Closed) => {
                    tracing::info!("store closed; webhook dispatcher stops");
                    return;
                }
                Err(e) => {
                    tracing::warn!(error = %e, "delivery pass failed");
                    MAX_IDLE
                }
            };
            // A floor keeps a zero back-off from spinning against a failing receiver.
            let wait = wait.max(MIN_IDLE);
            tokio::select! {
                r = events.recv() => {
                    if let Err(RecvError::Closed) = r {
                        tracing::info!("store closed; webhook dispatcher stops");
                        return;
                    }
                    // Ok or Lagged: either way there is something new; one pass covers it all.
                    while let Ok(_) | Err(TryRecvError::Lagged(_)) = events.try_recv() {}
                }
                _ = tokio::time::sleep(wait) => {}
            }
        }
    }
}

/// Starts the dispatcher as a background task that runs until the store shuts down.
pub fn spawn(store: Store, policy: RetryPolicy, reach: Reach) -> JoinHandle<()> {
    tokio::spawn(async move {
        match Dispatcher::new(store, policy, reach) {
            Ok(d) => d.run().await,
            Err(e) => {
                tracing::error!(error = %e, "cannot build the webhook HTTP client; webhooks will not be delivered")
            }
        }
    })
}

fn absorb(r: Result<QueueResult, tokio::task::JoinError>, report: &mut PassReport, updates: &mut Vec<DeliveryUpdate>) {
    match r {
        Ok(r) => {
            report.attempted += r.report.attempted;
            report.delivered += r.report.delivered;
            report.failed += r.report.failed;
            updates.extend(r.updates);
        }
        // The queue's results are lost, so its deliveries stay as they were: they will be sent
        // again (receivers de-duplicate on the event id).
        Err(e) => tracing::error!(error = %e, "a delivery task failed"),
    }
}

fn earliest(a: Option<i64>, b: i64) -> Option<i64> {
    Some(a.map_or(b, |a| a.min(b)))
}

/// Groups what may be attempted now into per-(subscription, record) queues, in outbox order,
/// and finds the earliest due time among deliveries held back because they are not due yet.
fn plan(pending: Vec<PendingDelivery>, now_ms: i64) -> (Vec<Queue>, Option<i64>) {
    let mut blocked: HashSet<(String, String)> = HashSet::new();
    let mut index: HashMap<(String, String), usize> = HashMap::new();
    let mut queues: Vec<Queue> = Vec::new();
    let mut wake = None;
    for d in pending {
        let pair = (d.subscription_id.clone(), d.stream.clone());
        if blocked.contains(&pair) {
            continue;
        }
        if d.next_attempt_ms > now_ms {
            wake = earliest(wake, d.next_attempt_ms);
            blocked.insert(pair);
            continue;
        }
        match index.get(&pair) {
            Some(&i) => queues[i].push(d),
            None => {
                index.insert(pair, queues.len());
                queues.push(vec![d]);
            }
        }
    }
    (queues, wake)
}

/// Sends one pair's deliveries in order, stopping at the first failure.
async fn run_queue(client: &reqwest::Client, policy: &RetryPolicy, reach: Reach, queue: Queue, now_ms: i64) -> QueueResult {
    let mut out = QueueResult { updates: Vec::with_capacity(queue.len()), report: PassReport::default() };
    for d in queue {
        out.report.attempted += 1;
        let attempts = d.attempts + 1;
        match send(client, reach, &d).await {
            Ok(()) => {
                out.report.delivered += 1;
                out.updates.push(DeliveryUpdate {
                    outbox_id: d.outbox_id,
                    subscription_id: d.subscription_id,
                    delivered: true,
                    attempts,
                    next_attempt_ms: now_ms,
                    error: None,
                });
            }
            Err(error) => {
                out.report.failed += 1;
                let wait = policy.backoff(attempts).as_millis().min(i64::MAX as u128) as i64;
                tracing::debug!(outbox_id = d.outbox_id, subscription = %d.subscription_id, attempts, %error, "webhook delivery failed");
                out.updates.push(DeliveryUpdate {
                    outbox_id: d.outbox_id,
                    subscription_id: d.subscription_id,
                    delivered: false,
                    attempts,
                    next_attempt_ms: now_ms.saturating_add(wait),
                    error: Some(error),
                });
                break;
            }
        }
    }
    out
}

/// The JSON envelope a webhook receives.
pub fn envelope(d: &PendingDelivery) -> serde_json::Value {
    let body = serde_json::from_str(&d.body).unwrap_or_else(|_| serde_json::Value::String(d.body.clone()));
    serde_json::json!({
        "event_id": d.outbox_id.to_string(),
        "topic": d.topic,
        "recipient": d.recipient,
        "record": d.stream,
        "created_at": rfc3339(d.created_at_ms),
        "body": body,
    })
}

fn rfc3339(ms: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp_nanos(ms as i128 * 1_000_000)
        .ok()
        .and_then(|t| t.format(&time::format_description::well_known::Rfc3339).ok())
        .unwrap_or_default()
}

fn now_ms() -> i64 {
    (time::OffsetDateTime::now_utc().unix_timestamp_nanos() / 1_000_000) as i64
}

/// One attempt; `Err` carries the text recorded as the delivery's last error.
async fn send(client: &reqwest::Client, reach: Reach, d: &PendingDelivery) -> Result<(), String> {
    check_literal(&d.url, reach)?;
    let body = serde_json::to_vec(&envelope(d)).map_err(|e| e.to_string())?;
    // The signature's timestamp is the time of sending, which is what receivers compare with
    // their own clock.
    let timestamp = time::OffsetDateTime::now_utc().unix_timestamp();
    let signature = signature::sign(&d.secret, timestamp, &body);
    let response = client
        .post(&d.url)
        .header(reqwest::header::CONTENT_TYPE, "application/json")
        .header("Guomen-Event-Id", d.outbox_id.to_string())
        .header("Guomen-Topic", d.topic.as_str())
        .header("Guomen-Timestamp", timestamp.to_string())
        .header("Guomen-Signature", signature)
        .body(body)
        .send()
        .await
        .map_err(|e| error_text(&e))?;
    let status = response.status();
    if status.is_success() {
        Ok(())
    } else {
        Err(format!("HTTP {}", status.as_u16()))
    }
}

/// The error with its causes ("error sending request …: client error (Connect): … refused").
fn error_text(e: &reqwest::Error) -> String {
    let mut text = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        let s_text = s.to_string();
        if !text.contains(&s_text) {
            text.push_str(": ");
            text.push_str(&s_text);
        }
        source = s.source();
    }
    if text.len() > MAX_ERROR_LEN {
        let mut cut = MAX_ERROR_LEN;
        while !text.is_char_boundary(cut) {
            cut -= 1;
        }
        text.truncate(cut);
        text.push('…');
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pd(outbox_id: i64, sub: &str, stream: &str, next_attempt_ms: i64) -> PendingDelivery {
        PendingDelivery {
            outbox_id,
            subscription_id: sub.into(),
            stream: stream.into(),
            attempts: 0,
            next_attempt_ms,
            url: "http://127.0.0.1:9/".into(),
            secret: "s".into(),
            recipient: "3502960001".into(),
            topic: "declaration.status".into(),
            body: r#"{"a":1}"#.into(),
            created_at_ms: 1_741_599_000_123,
        }
    }

    #[test]
    fn backoff_doubles_up_to_the_cap() {
        let p = RetryPolicy::default();
        assert_eq!(p.backoff(1), Duration::from_secs(1));
        assert_eq!(p.backoff(2), Duration::from_secs(2));
        assert_eq!(p.backoff(5), Duration::from_secs(16));
        assert_eq!(p.backoff(10), Duration::from_secs(512));
        assert_eq!(p.backoff(11), Duration::from_secs(600));
        assert_eq!(p.backoff(1_000_000), Duration::from_secs(600));
        assert_eq!(p.backoff(0), Duration::from_secs(1), "attempts start at 1");
        assert_eq!(p.timeout, Duration::from_secs(10));
        let huge = RetryPolicy { base: Duration::from_secs(u64::MAX / 2), max: Duration::MAX, timeout: Duration::from_secs(1) };
        assert_eq!(huge.backoff(40), Duration::MAX, "saturates instead of overflowing");
    }

    #[test]
    fn plan_keeps_per_record_order() {
        let now = 1000;
        let pending = vec![
            pd(1, "s1", "r1", 0),
            pd(2, "s1", "r2", 5000), // not due: blocks s1/r2
            pd(3, "s1", "r1", 0),
            pd(4, "s1", "r2", 0), // behind 2
            pd(5, "s2", "r2", 0), // another subscriber is independent
            pd(6, "s1", "r3", 2000),
            pd(7, "s1", "r3", 0),
        ];
        let (queues, wake) = plan(pending, now);
        let ids: Vec<Vec<i64>> = queues.iter().map(|q| q.iter().map(|d| d.outbox_id).collect()).collect();
        assert_eq!(ids, vec![vec![1, 3], vec![5]]);
        assert_eq!(wake, Some(2000));
    }

    #[test]
    fn envelope_shape() {
        let v = envelope(&pd(42, "s1", "3702202510000000001", 0));
        assert_eq!(v["event_id"], "42");
        assert_eq!(v["record"], "3702202510000000001");
        assert_eq!(v["body"]["a"], 1);
        assert_eq!(v["created_at"], "2025-03-10T09:30:00.123Z");
    }
}
