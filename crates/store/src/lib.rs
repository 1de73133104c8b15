//! Guomen's store: the one write path and the reads beside it.
//!
//! Every change is a [`Command`] sent to a single writer task. The writer loads what the pure
//! procedure needs, calls it, and appends the resulting events to the hash-chained journal in
//! the same transaction as the views they update and the outbox messages they send. Commands
//! queued together share one transaction and one durable commit (group commit). SQLite is the
//! embedded default, PostgreSQL the production engine; both run the same SQL through sqlx `Any`.

mod batch;
pub mod ceb;
mod commands;
pub mod console;
mod db;
pub mod field;
pub mod figures;
pub mod lab;
pub mod read;
pub mod secrets;
pub mod security;
pub mod tokens;
mod writer;

pub use commands::{Command, DeliveryUpdate, IdempotencyKey, Outcome};
pub use db::{connect_writer, Engine, Location};
pub use read::*;

use guomen_domain::party::{Actor, Enterprise};
use guomen_domain::risk::RuleSet;
use guomen_domain::types::CustomsCode;
use guomen_domain::Refusal;
use sqlx::{AnyPool, Executor, Row};
use std::collections::HashMap;
use std::sync::{Arc, RwLock};
use tokio::sync::{broadcast, mpsc, oneshot, watch};

/// Why a store call did not succeed.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The procedure refused; nothing changed.
    #[error("refused: {0}")]
    Refused(Refusal),
    #[error("database: {0}")]
    Database(String),
    /// The writer has stopped (the process is shutting down).
    #[error("the store is shutting down")]
    Closed,
    #[error("{0}")]
    Open(String),
}

impl From<sqlx::Error> for StoreError {
    fn from(e: sqlx::Error) -> Self {
        StoreError::Database(e.to_string())
    }
}

/// Enterprises and supervision sites, kept in memory for validation at the edge.
#[derive(Debug, Default)]
pub struct Directory {
    pub enterprises: HashMap<String, Enterprise>,
    /// site code → operating terminal
    pub sites: HashMap<String, CustomsCode>,
}

/// A handle to the store; cheap to clone.
#[derive(Clone)]
pub struct Store {
    jobs: mpsc::Sender<writer::Job>,
    read: AnyPool,
    engine: Engine,
    directory: Arc<RwLock<Directory>>,
    rules: watch::Receiver<Arc<RuleSet>>,
    outbox: broadcast::Sender<i64>,
    stats: Arc<writer::WriterStats>,
    /// Token hash → actor, for a few seconds (see `tokens.rs`).
    tokens: Arc<tokens::TokenCache>,
    /// The security log and how the edges learn who is asking.
    security: Arc<security::SecuritySettings>,
}

pub(crate) fn now_ms() -> i64 {
    batch::ms(time::OffsetDateTime::now_utc())
}

/// Arbitrary constant naming the PostgreSQL advisory lock held by the one writing process; the
/// lock's second key is the schema, so one database can hold several Guomen schemas.
const WRITER_LOCK: i32 = 0x6775_6f6d;

impl Store {
    /// Opens (creating and migrating if needed) the store and starts its writer.
    pub async fn open(loc: &Location) -> Result<Store, StoreError> {
        let mut conn = db::connect_writer(loc).await.map_err(|e| StoreError::Open(format!("cannot open {}: {e}", redact(&loc.url))))?;
        if loc.engine == Engine::Sqlite {
            conn.execute(db::SQLITE_WRITER_PRAGMAS).await?;
        }
        if loc.engine == Engine::Postgres {
            // A process that has just exited may hold the lock until its backend notices the
            // closed connection, a moment later: try for a few seconds before refusing.
            let mut tries = 0;
            loop {
                let got: i64 = sqlx::query_scalar(&format!(
                    "SELECT CASE WHEN pg_try_advisory_lock({WRITER_LOCK}, hashtext(current_schema())) THEN 1::bigint ELSE 0::bigint END"
                ))
                .fetch_one(&mut conn)
                .await?;
                if got == 1 {
                    break;
                }
                tries += 1;
                if tries >= 30 {
                    return Err(StoreError::Open("another Guomen process is writing to this database".into()));
                }
                tokio::time::sleep(std::time::Duration::from_millis(100)).await;
            }
        }
        db::migrate(&mut conn, loc.engine).await?;
        console::views::rebuild_if_needed(&mut conn).await?;
        ceb::backfill_buyer_names_if_needed(&mut conn).await?;
        let read = db::connect_readers(loc, 8).await?;
        let directory = Arc::new(RwLock::new(Directory::default()));
        {
            let rows =
                sqlx::query("SELECT code, credit_code, name_zh, name_en, grade, site_code FROM enterprises").fetch_all(&read).await?;
            for r in &rows {
                writer::remember(&directory, &read::enterprise_from_row(r)?);
            }
        }
        let state = writer::WriterState::load(&mut conn, directory.clone()).await?;
        let (rules_tx, rules) = watch::channel(state.rules.clone());
        let (outbox, _) = broadcast::channel(1024);
        let (jobs, rx) = mpsc::channel(writer::MAX_BATCH * 8);
        let stats = Arc::new(writer::WriterStats::default());
        let w = writer::Writer { stats: stats.clone(), conn, state, directory: directory.clone(), rules_tx, outbox_tx: outbox.clone() };
        tokio::spawn(w.run(rx));
        if loc.engine == Engine::Sqlite {
            tokio::spawn(db::checkpointer(loc.clone(), jobs.downgrade()));
        }
        Ok(Store {
            jobs,
            read,
            engine: loc.engine,
            directory,
            rules,
            outbox,
            stats,
            tokens: Arc::new(tokens::TokenCache::new(tokens::TOKEN_CACHE_MS)),
            security: Arc::new(security::SecuritySettings::default()),
        })
    }

    /// (transactions committed, commands carried out) since the store opened.
    pub fn writer_stats(&self) -> (u64, u64) {
        use std::sync::atomic::Ordering::Relaxed;
        (self.stats.commits.load(Relaxed), self.stats.commands.load(Relaxed))
    }

    /// Where the writer's time went since the store opened, in microseconds: (carrying out
    /// commands, writing their rows, committing).
    pub fn writer_time(&self) -> (u64, u64, u64) {
        use std::sync::atomic::Ordering::Relaxed;
        (self.stats.execute_us.load(Relaxed), self.stats.flush_us.load(Relaxed), self.stats.commit_us.load(Relaxed))
    }

    /// Opens an existing store for reading only: no writer, no writer lock, no migrations.
    /// `guomen verify` uses it, so it can check a database another process is writing to.
    pub async fn open_read_only(loc: &Location) -> Result<Store, StoreError> {
        let read = db::connect_readers(loc, 2).await.map_err(|e| StoreError::Open(format!("cannot open {}: {e}", redact(&loc.url))))?;
        let (jobs, _) = mpsc::channel(1);
        let (_, rules) = watch::channel(Arc::new(RuleSet::default()));
        let (outbox, _) = broadcast::channel(1);
        Ok(Store {
            jobs,
            read,
            engine: loc.engine,
            directory: Arc::new(RwLock::new(Directory::default())),
            rules,
            outbox,
            stats: Arc::new(writer::WriterStats::default()),
            tokens: Arc::new(tokens::TokenCache::new(tokens::TOKEN_CACHE_MS)),
            security: Arc::new(security::SecuritySettings::default()),
        })
    }

    /// This handle with `settings` for the edges that serve through it (set once, by `guomen
    /// serve` and the tests, before the handle is cloned into the routers).
    pub fn with_security(mut self, settings: security::SecuritySettings) -> Store {
        self.security = Arc::new(settings);
        self
    }

    /// The security log and how the edges learn who is asking.
    pub fn security(&self) -> &security::SecuritySettings {
        &self.security
    }

    /// This handle believing a looked-up token for `ms` milliseconds instead of
    /// [`tokens::TOKEN_CACHE_MS`] (0: ask the database every time).
    pub fn with_token_cache_ms(mut self, ms: i64) -> Store {
        self.tokens = Arc::new(tokens::TokenCache::new(ms));
        self
    }

    pub fn engine(&self) -> Engine {
        self.engine
    }

    /// Carries out a command through the writer; returns once it is durably committed.
    pub async fn execute(&self, actor: Actor, command: Command) -> Result<Outcome, StoreError> {
        self.submit(actor, command, None).await
    }

    /// Like [`Store::execute`], but records the command as happening at `at`. For simulations
    /// that replay a past season (the demo); the API never uses it.
    pub async fn execute_at(&self, actor: Actor, command: Command, at: time::OffsetDateTime) -> Result<Outcome, StoreError> {
        self.submit(actor, command, Some(at)).await
    }

    async fn submit(&self, actor: Actor, command: Command, at: Option<time::OffsetDateTime>) -> Result<Outcome, StoreError> {
        let revoked = match &command {
            Command::Token(tokens::TokenCommand::Revoke { token_id, .. }) => Some(token_id.clone()),
            _ => None,
        };
        let (reply, rx) = oneshot::channel();
        self.jobs.send(writer::Job { actor, command, at, reply }).await.map_err(|_| StoreError::Closed)?;
        let out = rx.await.map_err(|_| StoreError::Closed)?;
        if let (Some(id), Ok(_)) = (revoked, &out) {
            self.tokens.forget(&id);
        }
        out
    }

    /// The rule set now in force.
    pub fn rules(&self) -> Arc<RuleSet> {
        self.rules.borrow().clone()
    }

    pub fn directory(&self) -> &RwLock<Directory> {
        &self.directory
    }

    /// Wakes with the highest outbox id after each commit that queued messages.
    pub fn outbox_events(&self) -> broadcast::Receiver<i64> {
        self.outbox.subscribe()
    }

    /// Raw access for tools that must inspect or (in tests) tamper with the database.
    pub fn read_pool(&self) -> &AnyPool {
        &self.read
    }

    /// Counts rows of a table (for tests, demo summaries and benchmarks).
    pub async fn count(&self, table: &str) -> Result<i64, StoreError> {
        if !table.bytes().all(|b| b.is_ascii_lowercase() || b == b'_') {
            return Err(StoreError::Database("bad table name".into()));
        }
        let r = self.read.fetch_one(format!("SELECT COUNT(*) FROM {table}").as_str()).await?;
        Ok(r.try_get(0)?)
    }
}

fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => format!("{}://***{}", &url[..s], &url[at..]),
        _ => url.to_owned(),
    }
}
