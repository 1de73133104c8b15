//! Guomen's store: the one write path and the reads beside it.
//!
//! Every change is a [`Command`] sent to the single writer task of the kernel (`kernel/`),
//! which runs it through its procedure family's handler and appends the resulting events to the
//! hash-chained journal in the same transaction as the views they update and the outbox messages
//! they send. Commands queued together share one transaction and one durable commit (group
//! commit). The families (`admin/`, `risk/`, `declaration/`, `quarantine/`, `field/`, `ceb/`,
//! `console/`, `delivery/`) are named together only in `families.rs`. SQLite is the embedded
//! default, PostgreSQL the production engine; both run the same SQL through sqlx `Any`.

pub mod admin;
pub mod ceb;
pub mod console;
pub mod declaration;
pub mod delivery;
mod families;
pub mod field;
mod journal;
mod kernel;
pub mod keys;
pub mod mandate;
mod migrations;
mod numbering;
pub mod origin;
pub mod phyto;
pub mod quarantine;
mod replay;
pub mod risk;
pub mod secrets;
pub mod security;
mod transparency;

pub use admin::read::SubscriptionState;
pub use admin::{tokens, AdminCommand, Directory};
pub use declaration::read::{DeclarationFilter, DeclarationSummary, EnterpriseDispositions};
pub use declaration::{DeclarationCommand, IdempotencyKey};
pub use delivery::read::{OutboxMessage, PendingDelivery};
pub use delivery::{DeliveryCommand, DeliveryUpdate};
pub use families::{Command, Outcome};
pub use journal::{TimelineEntry, VerifyReport};
pub use kernel::{connect_writer, CheckpointPolicy, Engine, Location, StoreError};
pub use mandate::read::MandateFilter;
pub use mandate::MandateCommand;
pub use origin::{OriginCommand, OriginFilter};
pub use phyto::{PhytoCommand, PhytoFilter};
pub use quarantine::figures::*;
pub use replay::{DiffKind, Difference, ViewsReport, NOT_CHECKED};
pub use risk::read::RulesVersion;
pub use risk::RiskCommand;
pub use transparency::{CheckpointCheck, CheckpointFinding, ConsistencyProof, InclusionProof};

use families::Registry;
use guomen_domain::party::Actor;
use guomen_domain::risk::RuleSet;
use kernel::{Families, Head, Job, Writer, WriterStats};
use sqlx::{AnyPool, Executor, Row};
use std::sync::{Arc, RwLock};
use tokio::sync::{broadcast, mpsc, oneshot, watch};

/// A handle to the store; cheap to clone.
#[derive(Clone)]
pub struct Store {
    jobs: mpsc::Sender<Job<Command, Outcome>>,
    read: AnyPool,
    engine: Engine,
    directory: Arc<RwLock<Directory>>,
    rules: watch::Receiver<Arc<RuleSet>>,
    outbox: broadcast::Sender<i64>,
    stats: Arc<WriterStats>,
    /// Token hash → actor, for a few seconds (see `admin/tokens.rs`).
    tokens: Arc<tokens::TokenCache>,
    /// The security log and how the edges learn who is asking.
    security: Arc<security::SecuritySettings>,
    /// Asks the SQLite checkpointer for a truncating checkpoint (None on PostgreSQL).
    truncate: Option<mpsc::Sender<kernel::TruncateRequest>>,
    /// The signing keys (`keys.rs`).
    keys: Arc<keys::Keyring>,
    /// Asks the writer for what is not a command (a checkpoint now).
    requests: mpsc::Sender<kernel::Request>,
    /// When the writer signs a checkpoint of the journal's tree (`transparency.rs`).
    checkpoints: Arc<kernel::CheckpointPolicy>,
}

/// Arbitrary constant naming the PostgreSQL advisory lock held by the one writing process; the
/// lock's second key is the schema, so one database can hold several Guomen schemas.
const WRITER_LOCK: i32 = 0x6775_6f6d;

impl Store {
    /// Opens (creating and migrating if needed) the store and starts its writer, with the
    /// keyring beside it ([`keys::Keyring::beside`]).
    pub async fn open(loc: &Location) -> Result<Store, StoreError> {
        let keys = keys::Keyring::beside(loc).map_err(|e| StoreError::Open(e.to_string()))?;
        Store::open_with(loc, keys).await
    }

    /// Opens the store with the signing keys in `keys`; the journal's key is made now if the
    /// keyring has none, so a key file that cannot be written is found at start-up.
    pub async fn open_with(loc: &Location, keys: keys::Keyring) -> Result<Store, StoreError> {
        keys.signer(&guomen_domain::signing::Owner::Journal).map_err(|e| StoreError::Open(e.to_string()))?;
        let keys = Arc::new(keys);
        let mut conn = kernel::connect_writer(loc).await.map_err(|e| StoreError::Open(format!("cannot open {}: {e}", redact(&loc.url))))?;
        if loc.engine == Engine::Sqlite {
            conn.execute(kernel::SQLITE_WRITER_PRAGMAS).await?;
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
        kernel::migrate(&mut conn, loc.engine, migrations::MIGRATIONS).await?;
        kernel::build_if_needed(&mut conn).await?;
        declaration::views::rebuild_if_needed(&mut conn).await?;
        ceb::backfill_buyer_names_if_needed(&mut conn).await?;
        let read = kernel::connect_readers(loc, 8).await?;
        let head = Head::load(&mut conn).await?;
        let mut state = Registry::load(&mut conn).await?;
        state.keys = keys.clone();
        let directory = state.admin.directory.clone();
        let rules = state.risk.published.subscribe();
        let (outbox, _) = broadcast::channel(1024);
        let (jobs, rx) = mpsc::channel(kernel::MAX_BATCH * 8);
        let stats = Arc::new(WriterStats::default());
        let checkpoints = Arc::new(kernel::CheckpointPolicy::default());
        let (requests, requests_rx) = mpsc::channel(16);
        let w = Writer::<Registry> {
            stats: stats.clone(),
            conn,
            head,
            state,
            outbox_tx: outbox.clone(),
            keys: keys.clone(),
            policy: checkpoints.clone(),
        };
        tokio::spawn(w.run(rx, requests_rx));
        let truncate = if loc.engine == Engine::Sqlite {
            let (tx, rx) = mpsc::channel(4);
            tokio::spawn(kernel::checkpointer(loc.clone(), jobs.downgrade(), rx));
            Some(tx)
        } else {
            None
        };
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
            truncate,
            keys,
            requests,
            checkpoints,
        })
    }

    /// After bulk work (the demo, `guomen ceb import`, a benchmark's fill): folds the SQLite WAL
    /// into the database and truncates it to nothing, so the file does not stay at its peak
    /// size. The background checkpoints are passive and never shrink the file. Waits (up to the
    /// busy timeout) for readers in the way; does nothing on PostgreSQL.
    pub async fn checkpoint(&self) -> Result<(), StoreError> {
        let Some(tx) = &self.truncate else { return Ok(()) };
        // The checkpointer does it, so it never runs beside one of its own passive checkpoints.
        let (reply, answer) = oneshot::channel();
        tx.send(reply).await.map_err(|_| StoreError::Closed)?;
        answer.await.map_err(|_| StoreError::Closed)?.map_err(StoreError::Database)
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

    /// Opens an existing store for reading only: no writer, no writer lock, no migrations, and
    /// a keyring in memory. `guomen verify` uses it, so it can check a database another process
    /// is writing to.
    pub async fn open_read_only(loc: &Location) -> Result<Store, StoreError> {
        let read = kernel::connect_readers(loc, 2).await.map_err(|e| StoreError::Open(format!("cannot open {}: {e}", redact(&loc.url))))?;
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
            stats: Arc::new(WriterStats::default()),
            tokens: Arc::new(tokens::TokenCache::new(tokens::TOKEN_CACHE_MS)),
            security: Arc::new(security::SecuritySettings::default()),
            truncate: None,
            keys: Arc::new(keys::Keyring::ephemeral()),
            requests: mpsc::channel(1).0,
            checkpoints: Arc::new(kernel::CheckpointPolicy::default()),
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

    /// The signing keys: documents are signed with their office's key, checkpoints with the
    /// journal's.
    pub fn keyring(&self) -> &keys::Keyring {
        &self.keys
    }

    pub fn engine(&self) -> Engine {
        self.engine
    }

    /// Carries out a command through the writer; returns once it is durably committed.
    pub async fn execute(&self, actor: Actor, command: impl Into<Command>) -> Result<Outcome, StoreError> {
        self.submit(actor, command.into(), None).await
    }

    /// Like [`Store::execute`], but records the command as happening at `at`. For simulations
    /// that replay a past season (the demo); the API never uses it.
    pub async fn execute_at(&self, actor: Actor, command: impl Into<Command>, at: time::OffsetDateTime) -> Result<Outcome, StoreError> {
        self.submit(actor, command.into(), Some(at)).await
    }

    async fn submit(&self, actor: Actor, command: Command, at: Option<time::OffsetDateTime>) -> Result<Outcome, StoreError> {
        let revoked = match &command {
            Command::Admin(AdminCommand::Token(tokens::TokenCommand::Revoke { token_id, .. })) => Some(token_id.clone()),
            _ => None,
        };
        let (reply, rx) = oneshot::channel();
        self.jobs.send(Job { actor, command, at, reply }).await.map_err(|_| StoreError::Closed)?;
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
