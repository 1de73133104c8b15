//! The writer: the only task that changes the database. It takes queued commands in batches,
//! runs each through its family's handler inside one transaction, flushes the buffered rows,
//! commits once (one durable fsync for the whole batch), and only then answers every caller.

use super::journal::{Head, Journal, Written};
use super::{actor_str, Families, StoreError, Tx};
use guomen_domain::party::Actor;
use sqlx::{AnyConnection, Connection};
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
use std::sync::Arc;
use tokio::sync::{broadcast, mpsc, oneshot};

/// Largest number of commands committed together.
pub const MAX_BATCH: usize = 1024;

pub struct Job<C, O> {
    pub actor: Actor,
    pub command: C,
    /// The time to record; None for the clock. Only simulations (the demo) pass one.
    pub at: Option<time::OffsetDateTime>,
    pub reply: oneshot::Sender<Result<O, StoreError>>,
}

/// Counters of the writer's work, for tests, benchmarks and operators.
#[derive(Debug, Default)]
pub struct WriterStats {
    /// Transactions committed.
    pub commits: AtomicU64,
    /// Commands carried out (including refusals) in committed transactions.
    pub commands: AtomicU64,
    /// Time spent carrying out commands (procedures, events, rows), in microseconds.
    pub execute_us: AtomicU64,
    /// Time spent writing the buffered rows.
    pub flush_us: AtomicU64,
    /// Time spent in COMMIT (the durable sync).
    pub commit_us: AtomicU64,
}

pub struct Writer<F: Families> {
    pub stats: Arc<WriterStats>,
    pub conn: AnyConnection,
    pub head: Head,
    pub state: F::State,
    /// Wakes outbox readers (SSE streams, the webhook dispatcher) with the highest id committed.
    pub outbox_tx: broadcast::Sender<i64>,
}

type Outcomes<O> = Vec<Result<O, StoreError>>;

impl<F: Families> Writer<F> {
    pub async fn run(mut self, mut rx: mpsc::Receiver<Job<F::Command, F::Outcome>>) {
        let mut jobs = Vec::with_capacity(MAX_BATCH);
        while rx.recv_many(&mut jobs, MAX_BATCH).await > 0 {
            let batch_jobs = std::mem::take(&mut jobs);
            match self.commit_batch(&batch_jobs).await {
                Ok(outcomes) => {
                    for (job, out) in batch_jobs.into_iter().zip(outcomes) {
                        let _ = job.reply.send(out);
                    }
                }
                Err(e) => {
                    tracing::warn!(error = %e, jobs = batch_jobs.len(), "batch failed; retrying its commands one by one");
                    self.recover().await;
                    for job in batch_jobs {
                        let out = match self.commit_batch(std::slice::from_ref(&job)).await {
                            Ok(mut outs) => outs.pop().expect("one outcome per job"),
                            Err(e) => {
                                self.recover().await;
                                Err(StoreError::Database(e.to_string()))
                            }
                        };
                        let _ = job.reply.send(out);
                    }
                }
            }
        }
    }

    /// Reloads what the writer keeps in memory after a batch was rolled back.
    async fn recover(&mut self) {
        loop {
            let loaded = match Head::load(&mut self.conn).await {
                Ok(head) => F::load(&mut self.conn).await.map(|state| (head, state)),
                Err(e) => Err(e),
            };
            match loaded {
                Ok((head, state)) => {
                    self.head = head;
                    F::reload(&mut self.state, state);
                    return;
                }
                Err(e) => {
                    tracing::error!(error = %e, "cannot reload writer state; retrying");
                    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
                }
            }
        }
    }

    /// Runs a batch in one transaction. A refusal is an outcome like any other; only a database
    /// error fails the batch, and then nothing of it was committed.
    async fn commit_batch(&mut self, jobs: &[Job<F::Command, F::Outcome>]) -> Result<Outcomes<F::Outcome>, sqlx::Error> {
        let mut written = Written::default();
        let mut rows = F::Rows::default();
        let mut outcomes = Vec::with_capacity(jobs.len());
        let t0 = std::time::Instant::now();
        let mut conn = self.conn.begin().await?;
        for job in jobs {
            let now = job.at.unwrap_or_else(time::OffsetDateTime::now_utc);
            let mut tx = Tx {
                conn: &mut conn,
                journal: Journal::new(&mut self.head, &mut written),
                actor: &job.actor,
                who: actor_str(&job.actor),
                now,
                at: super::ms(now),
            };
            match F::execute(&mut tx, &mut self.state, &mut rows, &job.command).await? {
                Ok(out) => outcomes.push(Ok(out)),
                Err(refusal) => outcomes.push(Err(StoreError::Refused(refusal))),
            }
        }
        F::before_flush(&mut Journal::new(&mut self.head, &mut written), &mut self.state, super::now_ms());
        let t1 = std::time::Instant::now();
        written.flush_journal(&mut conn).await?;
        F::flush(&mut rows, &mut conn).await?;
        written.flush_rest(&mut conn).await?;
        let t2 = std::time::Instant::now();
        conn.commit().await?;
        let t3 = std::time::Instant::now();
        self.stats.execute_us.fetch_add((t1 - t0).as_micros() as u64, Relaxed);
        self.stats.flush_us.fetch_add((t2 - t1).as_micros() as u64, Relaxed);
        self.stats.commit_us.fetch_add((t3 - t2).as_micros() as u64, Relaxed);
        self.stats.commits.fetch_add(1, Relaxed);
        self.stats.commands.fetch_add(jobs.len() as u64, Relaxed);
        self.head.committed(&written);
        F::after_commit(&mut self.state, &rows);
        if let Some(id) = written.last_outbox {
            let _ = self.outbox_tx.send(id);
        }
        Ok(outcomes)
    }
}
