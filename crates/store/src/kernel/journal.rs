//! The journal, the outbox and the small bookkeeping every family shares: the hash chain's
//! head and its Merkle tree (`tree.rs`), webhook deliveries, idempotency keys and named
//! counters. A batch buffers their rows in [`Written`]; [`Journal`] is what one command sees of
//! them.

use super::sql::{insert, Val, COUNTERS};
use super::tree::{checkpoint_row, Tree, INSERT_CHECKPOINT, INSERT_NODES};
use guomen_domain::journal::{entry_hash, EntryFields, GENESIS};
use guomen_domain::transparency::Checkpoint;
use serde::Serialize;
use sqlx::{AnyConnection, Row};
use std::collections::{BTreeMap, HashMap};

/// Anything the journal can hold: it names its stream and kind and serializes as its payload.
pub trait Entry: Serialize {
    fn stream(&self) -> String;
    fn kind(&self) -> &'static str;
}

/// What the kernel keeps in memory between batches; reloaded from the database after a failure.
pub struct Head {
    last_seq: i64,
    last_hash: String,
    last_outbox: i64,
    /// (subscription id, enterprise filter): who gets a delivery of each outbox message.
    subscriptions: Vec<(String, Option<String>)>,
    /// Counters as last committed (read once, then kept).
    counters: HashMap<String, i64>,
    /// The Merkle tree over the entries, and when it was last checkpointed.
    pub(super) tree: Tree,
}

impl Head {
    pub async fn load(conn: &mut AnyConnection) -> Result<Head, sqlx::Error> {
        let last = sqlx::query("SELECT seq, hash FROM journal ORDER BY seq DESC LIMIT 1").fetch_optional(&mut *conn).await?;
        let (last_seq, last_hash) = match last {
            Some(r) => (r.try_get::<i64, _>(0)?, r.try_get::<String, _>(1)?),
            None => (0, GENESIS.to_owned()),
        };
        let last_outbox: Option<i64> = sqlx::query_scalar("SELECT MAX(id) FROM outbox").fetch_one(&mut *conn).await?;
        let subs = sqlx::query("SELECT id, enterprise FROM subscriptions ORDER BY created_at_ms, id").fetch_all(&mut *conn).await?;
        let subscriptions = subs
            .iter()
            .map(|r| Ok((r.try_get::<String, _>(0)?, r.try_get::<Option<String>, _>(1)?)))
            .collect::<Result<_, sqlx::Error>>()?;
        let tree = Tree::load(conn).await?;
        Ok(Head { last_seq, last_hash, last_outbox: last_outbox.unwrap_or(0), subscriptions, counters: HashMap::new(), tree })
    }

    /// Takes the counters a committed batch wrote.
    pub(super) fn committed(&mut self, written: &Written) {
        for (k, v) in &written.counters {
            self.counters.insert(k.clone(), *v);
        }
        if let Some(cp) = &written.checkpoint {
            self.tree.signed(cp);
        }
    }
}

/// The kernel's rows of one batch, flushed just before the commit.
#[derive(Default)]
pub struct Written {
    journal: Vec<Vec<Val>>,
    /// The tree's subtrees the batch's entries completed.
    tree: Vec<Vec<Val>>,
    /// The checkpoint signed into this batch, if one was due.
    pub(super) checkpoint: Option<Checkpoint>,
    outbox: Vec<Vec<Val>>,
    deliveries: Vec<Vec<Val>>,
    idempotency: Vec<Vec<Val>>,
    /// Idempotency keys written in this batch: (scope, key) → (request hash, record id).
    idem: HashMap<(String, String), (String, String)>,
    counters: BTreeMap<String, i64>,
    /// Highest outbox id written, for waking readers after the commit.
    pub(super) last_outbox: Option<i64>,
}

impl Written {
    /// Writes the journal entries, the tree's subtrees and the checkpoint; done first, before
    /// the families' rows.
    pub(super) async fn flush_journal(&mut self, conn: &mut AnyConnection) -> Result<(), sqlx::Error> {
        insert(
            conn,
            "INSERT INTO journal (seq, stream, kind, actor, at_ms, payload, prev_hash, hash) VALUES ",
            8,
            std::mem::take(&mut self.journal),
            "",
        )
        .await?;
        insert(conn, INSERT_NODES, 3, std::mem::take(&mut self.tree), "").await?;
        if let Some(cp) = &self.checkpoint {
            insert(conn, INSERT_CHECKPOINT, 5, vec![checkpoint_row(cp)], "").await?;
        }
        Ok(())
    }

    /// Writes outbox messages, their deliveries, idempotency keys and counters.
    pub(super) async fn flush_rest(&mut self, conn: &mut AnyConnection) -> Result<(), sqlx::Error> {
        insert(
            conn,
            "INSERT INTO outbox (id, event_seq, stream, recipient, topic, body, created_at_ms) VALUES ",
            7,
            std::mem::take(&mut self.outbox),
            "",
        )
        .await?;
        insert(
            conn,
            "INSERT INTO deliveries (outbox_id, subscription_id, stream, state, attempts, next_attempt_ms) VALUES ",
            6,
            std::mem::take(&mut self.deliveries),
            "",
        )
        .await?;
        insert(
            conn,
            "INSERT INTO idempotency (scope, key, request_hash, record_id, created_at_ms) VALUES ",
            5,
            std::mem::take(&mut self.idempotency),
            "",
        )
        .await?;
        let counters: Vec<Vec<Val>> = self.counters.iter().map(|(k, v)| vec![Val::T(k.clone()), Val::I(*v)]).collect();
        COUNTERS.upsert(conn, counters, &["value"]).await
    }
}

/// The journal as one command sees it.
pub struct Journal<'a> {
    head: &'a mut Head,
    written: &'a mut Written,
}

impl<'a> Journal<'a> {
    pub(super) fn new(head: &'a mut Head, written: &'a mut Written) -> Self {
        Journal { head, written }
    }

    /// Appends an entry, chaining its hash; returns its sequence number.
    pub fn append(&mut self, actor: &str, at_ms: i64, entry: &impl Entry) -> i64 {
        let payload = serde_json::to_string(entry).expect("journal entries serialize");
        let stream = entry.stream();
        let seq = self.head.last_seq + 1;
        let fields = EntryFields { seq, stream: &stream, kind: entry.kind(), actor, at_ms, payload: &payload };
        let hash = entry_hash(&self.head.last_hash, &fields);
        self.head.tree.push(&hash, &mut self.written.tree);
        self.written.journal.push(vec![
            Val::I(seq),
            Val::T(stream),
            Val::T(entry.kind().to_owned()),
            Val::T(actor.to_owned()),
            Val::I(at_ms),
            Val::T(payload),
            Val::T(std::mem::replace(&mut self.head.last_hash, hash.clone())),
            Val::T(hash),
        ]);
        self.head.last_seq = seq;
        seq
    }

    /// The sequence number of the last entry appended.
    pub fn last_seq(&self) -> i64 {
        self.head.last_seq
    }

    /// Queues a message for `recipient`, caused by entry `seq`, and one delivery per webhook
    /// subscription that takes it.
    #[allow(clippy::too_many_arguments)]
    pub fn notify(&mut self, seq: i64, stream: &str, recipient: &str, topic: &str, body: String, at_ms: i64) {
        self.head.last_outbox += 1;
        let id = self.head.last_outbox;
        self.written.outbox.push(vec![
            Val::I(id),
            Val::I(seq),
            Val::T(stream.to_owned()),
            Val::T(recipient.to_owned()),
            Val::T(topic.to_owned()),
            Val::T(body),
            Val::I(at_ms),
        ]);
        for (sub, enterprise) in &self.head.subscriptions {
            if enterprise.as_deref().is_none_or(|e| e == recipient) {
                self.written.deliveries.push(vec![
                    Val::I(id),
                    Val::T(sub.clone()),
                    Val::T(stream.to_owned()),
                    Val::T("pending".into()),
                    Val::I(0),
                    Val::I(at_ms),
                ]);
            }
        }
        self.written.last_outbox = Some(id);
    }

    /// From now on, messages for `enterprise` (every message, for None) are delivered to
    /// subscription `id` too.
    pub fn subscribe(&mut self, id: &str, enterprise: Option<String>) {
        self.head.subscriptions.push((id.to_owned(), enterprise));
    }

    /// The value of a named counter (0 if it was never set), this batch's writes first.
    pub async fn counter(&mut self, conn: &mut AnyConnection, name: &str) -> Result<i64, sqlx::Error> {
        if let Some(v) = self.written.counters.get(name).or_else(|| self.head.counters.get(name)) {
            return Ok(*v);
        }
        let v = sqlx::query_scalar::<_, i64>("SELECT value FROM counters WHERE name = $1")
            .bind(name.to_owned())
            .fetch_optional(&mut *conn)
            .await?
            .unwrap_or(0);
        self.head.counters.insert(name.to_owned(), v);
        Ok(v)
    }

    /// Sets a named counter; written with the batch.
    pub fn set_counter(&mut self, name: &str, value: i64) {
        self.written.counters.insert(name.to_owned(), value);
    }

    /// The request hash and record id an idempotency key was first used with, if it was.
    pub async fn idempotent(&self, conn: &mut AnyConnection, scope: &str, key: &str) -> Result<Option<(String, String)>, sqlx::Error> {
        if let Some(v) = self.written.idem.get(&(scope.to_owned(), key.to_owned())) {
            return Ok(Some(v.clone()));
        }
        let row = sqlx::query("SELECT request_hash, record_id FROM idempotency WHERE scope = $1 AND key = $2")
            .bind(scope.to_owned())
            .bind(key.to_owned())
            .fetch_optional(&mut *conn)
            .await?;
        row.map(|r| Ok((r.try_get(0)?, r.try_get(1)?))).transpose()
    }

    /// Records the first use of an idempotency key.
    pub fn remember_key(&mut self, scope: &str, key: &str, hash: &str, record: &str, at_ms: i64) {
        self.written.idem.insert((scope.to_owned(), key.to_owned()), (hash.to_owned(), record.to_owned()));
        self.written.idempotency.push(vec![
            Val::T(scope.into()),
            Val::T(key.into()),
            Val::T(hash.into()),
            Val::T(record.into()),
            Val::I(at_ms),
        ]);
    }
}
