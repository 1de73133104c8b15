//! The write kernel: the one writer task, group commit, the hash-chained journal and its Merkle
//! tree with signed checkpoints, the outbox with its webhook deliveries, idempotency keys,
//! counters, connections and migrations.
//!
//! The kernel knows no procedure family. It is generic over [`Families`]: the store's registry
//! (`families.rs`) names the families, their commands, outcomes, in-memory state and buffered
//! rows, and dispatches each command to its family's handler. A handler is given a [`Tx`] —
//! the batch's transaction, the journal, who acts and when — plus exactly the family state and
//! rows it may touch, and answers with its outcome or a refusal (which changes nothing).
//!
//! ```text
//!  Store::execute ──► queue ──► Writer::run: drain ≤ 1024 jobs
//!                                 BEGIN
//!                                 for each job: Families::execute(Tx, state, rows, command)
//!                                 Families::before_flush   (once per batch)
//!                                 (a checkpoint of the tree, if one is due)
//!                                 journal rows, tree nodes, checkpoint → Families::flush
//!                                   → outbox, deliveries, keys, counters
//!                                 COMMIT (one fsync)
//!                                 Families::after_commit; wake outbox readers; answer every job
//! ```

mod db;
mod journal;
mod sql;
#[cfg(test)]
mod tidy;
mod tree;
mod writer;

pub use db::{checkpointer, connect_readers, connect_writer, migrate, Engine, Location, TruncateRequest, SQLITE_WRITER_PRAGMAS};
pub use journal::{Entry, Head, Journal};
pub use sql::{bind_row, insert, ms, now_ms, Table, Val, COUNTERS};
pub use tree::{build_if_needed, checkpoint_of, journal_size, read_nodes, CheckpointPolicy};
pub use writer::{Job, Request, Writer, WriterStats, MAX_BATCH};

use guomen_domain::party::Actor;
use guomen_domain::Refusal;
use sqlx::AnyConnection;
use std::future::Future;
use time::OffsetDateTime;

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

/// What a handler returns: a database error fails the batch (and the batch is retried command by
/// command); otherwise the outcome, or the refusal that changed nothing.
pub type Handled<T> = Result<Result<T, Refusal>, sqlx::Error>;

/// What every handler is given for one command.
pub struct Tx<'a> {
    /// The batch's transaction. A family loads its records here and writes its own tables (a
    /// tidy test holds each family to the tables it declares); what it wrote earlier in the
    /// batch is visible, the transaction being one connection.
    pub conn: &'a mut AnyConnection,
    pub journal: Journal<'a>,
    pub actor: &'a Actor,
    /// The actor as the journal records it: `ID/role@enterprise`.
    pub who: String,
    pub now: OffsetDateTime,
    /// `now` in milliseconds since the epoch.
    pub at: i64,
}

impl Tx<'_> {
    /// Appends an entry by this command's actor at this command's time; returns its sequence number.
    pub fn append(&mut self, entry: &impl Entry) -> i64 {
        self.journal.append(&self.who, self.at, entry)
    }

    /// Queues a message for `recipient`, caused by entry `seq`, at this command's time.
    pub fn notify(&mut self, seq: i64, stream: &str, recipient: &str, topic: &str, body: String) {
        self.journal.notify(seq, stream, recipient, topic, body, self.at)
    }

    /// The current value of a named counter (0 if never set).
    pub async fn counter(&mut self, name: &str) -> Result<i64, sqlx::Error> {
        self.journal.counter(self.conn, name).await
    }
}

/// The actor as the journal records it.
pub fn actor_str(a: &Actor) -> String {
    match (&a.role, &a.enterprise) {
        (Some(r), Some(e)) => format!("{}/{}@{}", a.id, r.as_str(), e),
        (Some(r), None) => format!("{}/{}", a.id, r.as_str()),
        _ => a.id.clone(),
    }
}

/// The procedure families the writer carries commands out for. Implemented once, by the
/// store's registry; the kernel calls nothing else of them.
pub trait Families: Send + 'static {
    type Command: Send + Sync + 'static;
    type Outcome: Send + 'static;
    /// What the families keep in the writer's memory between batches.
    type State: Send + 'static;
    /// What one batch buffers for the families, written just before the commit.
    type Rows: Default + Send + 'static;

    /// Loads the families' state at start-up, and again after a failed batch.
    fn load(conn: &mut AnyConnection) -> impl Future<Output = Result<Self::State, sqlx::Error>> + Send;

    /// After a failed batch, takes the state loaded afresh in place of `state`, keeping what
    /// readers outside the writer hold on to (shared handles, channels).
    fn reload(state: &mut Self::State, loaded: Self::State);

    /// Carries out one command.
    fn execute<'a>(
        tx: &'a mut Tx<'_>,
        state: &'a mut Self::State,
        rows: &'a mut Self::Rows,
        command: &'a Self::Command,
    ) -> impl Future<Output = Handled<Self::Outcome>> + Send + 'a;

    /// Once per batch, after its last command and before its rows are written.
    fn before_flush(journal: &mut Journal<'_>, state: &mut Self::State, now_ms: i64);

    /// Writes the batch's rows. The kernel commits.
    fn flush<'a>(rows: &'a mut Self::Rows, conn: &'a mut AnyConnection) -> impl Future<Output = Result<(), sqlx::Error>> + Send + 'a;

    /// After the commit, before anyone is answered: publish what readers outside the writer
    /// keep (the rule set in force, the enterprise directory).
    fn after_commit(state: &mut Self::State, rows: &Self::Rows);
}
