//! The writer: the only task that changes the database. It takes queued commands in batches,
//! runs each through its family's handler inside one transaction, flushes the buffered rows,
//! commits once (one durable fsync for the whole batch), and only then answers every caller.
//! A batch that leaves a checkpoint of the journal's tree due signs it into the same
//! transaction; when no command comes, the writer signs a due checkpoint on its own.

use super::journal::{Head, Journal, Written};
use super::tree::{checkpoint_row, CheckpointPolicy, INSERT_CHECKPOINT};
use super::{actor_str, Families, StoreError, Tx};
use crate::keys::Keyring;
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

/// What the store asks of the writer itself, beside commands.
pub enum Request {
    /// Sign a checkpoint now if entries wait for one; answered once it is committed.
    Checkpoint(oneshot::Sender<Result<(), String>>),
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
    /// The journal's key signs the tree's checkpoints.
    pub keys: Arc<Keyring>,
    /// When a checkpoint is due.
    pub policy: Arc<CheckpointPolicy>,
}

type Outcomes<O> = Vec<Result<O, StoreError>>;

impl<F: Families> Writer<F> {
    pub async fn run(mut self, mut rx: mpsc::Receiver<Job<F::Command, F::Outcome>>, mut requests: mpsc::Receiver<Request>) {
        let mut jobs = Vec::with_capacity(MAX_BATCH);
        // After a checkpoint could not be written, the next try waits a little.
        let mut not_before = tokio::time::Instant::now();
        loop {
            let due = self.head.tree.due_in(super::now_ms(), &self.policy).map(|d| (tokio::time::Instant::now() + d).max(not_before));
            tokio::select! {
                biased;
                Some(request) = requests.recv() => match request {
                    Request::Checkpoint(reply) => {
                        let _ = reply.send(self.checkpoint_now().await);
                    }
                },
                n = rx.recv_many(&mut jobs, MAX_BATCH) => {
                    if n == 0 {
                        return;
                    }
                    let batch_jobs = std::mem::take(&mut jobs);
                    self.carry_out(batch_jobs).await;
                }
                _ = tokio::time::sleep_until(due.unwrap_or(not_before)), if due.is_some() => {
                    if let Err(e) = self.checkpoint_now().await {
                        tracing::warn!(error = %e, "cannot write the journal's checkpoint");
                        not_before = tokio::time::Instant::now() + std::time::Duration::from_secs(5);
                    }
                }
            }
        }
    }

    /// Signs and commits a checkpoint of the tree as committed, unless no entry waits for one.
    async fn checkpoint_now(&mut self) -> Result<(), String> {
        let Some(cp) = self.head.tree.sign(&self.keys, super::now_ms()).map_err(|e| e.to_string())? else { return Ok(()) };
        let written = async {
            let mut tx = self.conn.begin().await?;
            super::insert(&mut tx, INSERT_CHECKPOINT, 5, vec![checkpoint_row(&cp)], "").await?;
            tx.commit().await
        }
        .await;
        match written {
            Ok(()) => {
                self.head.tree.signed(&cp);
                Ok(())
            }
            Err(e) => {
                self.recover().await;
                Err(e.to_string())
            }
        }
    }

    /// Carries out a batch of jobs and answers each.
    async fn carry_out(&mut self, batch_jobs: Vec<Job<F::Command, F::Outcome>>) {
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
        let now_ms = super::now_ms();
        F::before_flush(&mut Journal::new(&mut self.head, &mut written), &mut self.state, now_ms);
        if self.head.tree.due(now_ms, &self.policy) {
            match self.head.tree.sign(&self.keys, now_ms) {
                Ok(cp) => written.checkpoint = cp,
                Err(e) => tracing::warn!(error = %e, "cannot sign the journal's checkpoint"),
            }
        }
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
