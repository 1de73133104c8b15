//! The writer: the only task that changes the database. It takes queued commands in batches,
//! runs each through its procedure inside one transaction, flushes the buffered rows, commits
//! once (one durable fsync for the whole batch), and only then answers every caller.

use crate::batch::Batch;
use crate::commands::{execute, Command, Outcome};
use crate::{Directory, StoreError};
use guomen_domain::journal::GENESIS;
use guomen_domain::party::{Actor, Enterprise};
use guomen_domain::risk::RuleSet;
use sqlx::{AnyConnection, Connection, Row};
use std::collections::HashMap;
use std::sync::{Arc, RwLock};
use tokio::sync::{broadcast, mpsc, oneshot, watch};

/// Largest number of commands committed together.
pub const MAX_BATCH: usize = 1024;

pub struct Job {
    pub actor: Actor,
    pub command: Command,
    /// The time to record; None for the clock. Only simulations (the demo) pass one.
    pub at: Option<time::OffsetDateTime>,
    pub reply: oneshot::Sender<Result<Outcome, StoreError>>,
}

/// What the writer keeps in memory between batches; reloaded from the database after a failure.
pub struct WriterState {
    pub last_seq: i64,
    pub last_hash: String,
    pub last_outbox: i64,
    pub counters: HashMap<String, i64>,
    pub rules: Arc<RuleSet>,
    /// (subscription id, enterprise filter)
    pub subscriptions: Vec<(String, Option<String>)>,
    /// Enterprises and sites as committed; filing reads the trader and terminal from here.
    pub directory: Arc<RwLock<Directory>>,
    /// Cross-border e-commerce documents, ledgers and guarantees (see `ceb/state.rs`).
    pub ceb: crate::ceb::state::CebState,
    /// Every mandate, so filings, steps and inventory lists are checked without a query.
    pub mandates: crate::mandate::MandateBook,
}

impl WriterState {
    pub async fn load(conn: &mut AnyConnection, directory: Arc<RwLock<Directory>>) -> Result<WriterState, sqlx::Error> {
        let last = sqlx::query("SELECT seq, hash FROM journal ORDER BY seq DESC LIMIT 1").fetch_optional(&mut *conn).await?;
        let (last_seq, last_hash) = match last {
            Some(r) => (r.try_get::<i64, _>(0)?, r.try_get::<String, _>(1)?),
            None => (0, GENESIS.to_owned()),
        };
        let last_outbox: Option<i64> = sqlx::query_scalar("SELECT MAX(id) FROM outbox").fetch_one(&mut *conn).await?;
        let rules = crate::read::current_rules_on(&mut *conn).await?;
        let subs = sqlx::query("SELECT id, enterprise FROM subscriptions ORDER BY created_at_ms, id").fetch_all(&mut *conn).await?;
        let subscriptions = subs
            .iter()
            .map(|r| Ok((r.try_get::<String, _>(0)?, r.try_get::<Option<String>, _>(1)?)))
            .collect::<Result<_, sqlx::Error>>()?;
        let ceb = crate::ceb::state::CebState::load(&mut *conn, crate::now_ms(), rules.identity_guard.window_ms()).await?;
        let mandates = crate::mandate::MandateBook::load(&mut *conn).await?;
        Ok(WriterState {
            ceb,
            mandates,
            last_seq,
            last_hash,
            last_outbox: last_outbox.unwrap_or(0),
            counters: HashMap::new(),
            rules: Arc::new(rules),
            subscriptions,
            directory,
        })
    }
}

/// Counters of the writer's work, for tests, benchmarks and operators.
#[derive(Debug, Default)]
pub struct WriterStats {
    /// Transactions committed.
    pub commits: std::sync::atomic::AtomicU64,
    /// Commands carried out (including refusals) in committed transactions.
    pub commands: std::sync::atomic::AtomicU64,
    /// Time spent carrying out commands (procedures, events, rows), in microseconds.
    pub execute_us: std::sync::atomic::AtomicU64,
    /// Time spent writing the buffered rows.
    pub flush_us: std::sync::atomic::AtomicU64,
    /// Time spent in COMMIT (the durable sync).
    pub commit_us: std::sync::atomic::AtomicU64,
}

pub struct Writer {
    pub stats: Arc<WriterStats>,
    pub conn: AnyConnection,
    pub state: WriterState,
    pub directory: Arc<RwLock<Directory>>,
    pub rules_tx: watch::Sender<Arc<RuleSet>>,
    pub outbox_tx: broadcast::Sender<i64>,
}

impl Writer {
    pub async fn run(mut self, mut rx: mpsc::Receiver<Job>) {
        let mut jobs: Vec<Job> = Vec::with_capacity(MAX_BATCH);
        while rx.recv_many(&mut jobs, MAX_BATCH).await > 0 {
            let batch_jobs = std::mem::take(&mut jobs);
            match self.commit_batch(&batch_jobs).await {
                Ok((outcomes, batch)) => {
                    self.after_commit(&batch);
                    for (job, out) in batch_jobs.into_iter().zip(outcomes) {
                        let _ = job.reply.send(out);
                    }
                }
                Err(e) => {
                    tracing::warn!(error = %e, jobs = batch_jobs.len(), "batch failed; retrying its commands one by one");
                    self.recover().await;
                    for job in batch_jobs {
                        let out = match self.commit_batch(std::slice::from_ref(&job)).await {
                            Ok((mut outs, batch)) => {
                                self.after_commit(&batch);
                                outs.pop().expect("one outcome per job")
                            }
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

    async fn recover(&mut self) {
        loop {
            match WriterState::load(&mut self.conn, self.directory.clone()).await {
                Ok(s) => {
                    self.state = s;
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
    async fn commit_batch(&mut self, jobs: &[Job]) -> Result<(Vec<Result<Outcome, StoreError>>, Batch), sqlx::Error> {
        let mut batch = Batch::default();
        let mut outcomes = Vec::with_capacity(jobs.len());
        let t0 = std::time::Instant::now();
        let mut tx = self.conn.begin().await?;
        for job in jobs {
            let now = job.at.unwrap_or_else(time::OffsetDateTime::now_utc);
            match execute(&mut tx, &mut self.state, &mut batch, &job.actor, &job.command, now).await {
                Ok(Ok(out)) => outcomes.push(Ok(out)),
                Ok(Err(refusal)) => outcomes.push(Err(StoreError::Refused(refusal))),
                Err(e) => return Err(e),
            }
        }
        crate::ceb::before_commit(&mut self.state, &mut batch);
        let t1 = std::time::Instant::now();
        batch.flush(&mut tx).await?;
        let t2 = std::time::Instant::now();
        tx.commit().await?;
        let t3 = std::time::Instant::now();
        use std::sync::atomic::Ordering::Relaxed;
        self.stats.execute_us.fetch_add((t1 - t0).as_micros() as u64, Relaxed);
        self.stats.flush_us.fetch_add((t2 - t1).as_micros() as u64, Relaxed);
        self.stats.commit_us.fetch_add((t3 - t2).as_micros() as u64, Relaxed);
        self.stats.commits.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        self.stats.commands.fetch_add(jobs.len() as u64, std::sync::atomic::Ordering::Relaxed);
        for (k, v) in &batch.counters_touched {
            self.state.counters.insert(k.clone(), *v);
        }
        Ok((outcomes, batch))
    }

    fn after_commit(&mut self, batch: &Batch) {
        if batch.touched_rules {
            let _ = self.rules_tx.send(self.state.rules.clone());
        }
        if let Some(id) = batch.last_outbox {
            let _ = self.outbox_tx.send(id);
        }
        for e in &batch.registered {
            remember(&self.directory, e);
        }
    }
}

/// Records an enterprise in the in-memory directory used for validation at the edge.
pub fn remember(directory: &RwLock<Directory>, e: &Enterprise) {
    let mut d = directory.write().expect("directory lock");
    if let Some(site) = &e.site_code {
        d.sites.insert(site.clone(), e.code.clone());
    }
    d.enterprises.insert(e.code.to_string(), e.clone());
}
