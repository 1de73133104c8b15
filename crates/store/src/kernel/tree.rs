//! The journal's Merkle tree (RFC 6962) and its signed checkpoints, kept by the writer: the
//! tree's right edge lives in memory ([`Tree`]); each appended entry adds the subtrees it
//! completes to the batch's rows, and a checkpoint is signed into the batch when the policy says
//! one is due — in the same transaction as the entries they cover.
//!
//! `journal_tree (level, idx, hash)` holds every complete subtree above the leaves; a leaf is
//! made from `journal.hash`. So a proof at any size reads O(log n) rows ([`read_nodes`]).

use super::sql::{insert, Val};
use crate::keys::{KeyError, Keyring};
use guomen_domain::signing::Owner;
use guomen_domain::transparency::{leaf_of_entry, Checkpoint, Frontier, Hash, Node};
use sqlx::{AnyConnection, Connection, Row};
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};

/// The statement head that writes the tree's subtrees.
pub(super) const INSERT_NODES: &str = "INSERT INTO journal_tree (level, idx, hash) VALUES ";
/// The statement head that writes a checkpoint.
pub(super) const INSERT_CHECKPOINT: &str =
    "INSERT INTO journal_checkpoints (tree_size, root_hash, signed_at_ms, key_id, signature) VALUES ";

/// When the writer signs a checkpoint: once `entries` entries wait for one, or `seconds` after
/// the last when any waits. Shared with the store's handle, which may change it.
#[derive(Debug)]
pub struct CheckpointPolicy {
    entries: AtomicU64,
    ms: AtomicU64,
}

impl CheckpointPolicy {
    pub const DEFAULT_ENTRIES: u64 = 1000;
    pub const DEFAULT_SECONDS: u64 = 60;

    /// At least every `entries` entries (1 or more) or `seconds` seconds (1 or more).
    pub fn set(&self, entries: u64, seconds: u64) {
        self.entries.store(entries.max(1), Relaxed);
        self.ms.store(seconds.max(1).saturating_mul(1000), Relaxed);
    }

    /// (entries, seconds)
    pub fn get(&self) -> (u64, u64) {
        (self.entries.load(Relaxed), self.ms.load(Relaxed) / 1000)
    }
}

impl Default for CheckpointPolicy {
    fn default() -> Self {
        let p = CheckpointPolicy { entries: AtomicU64::new(0), ms: AtomicU64::new(0) };
        p.set(Self::DEFAULT_ENTRIES, Self::DEFAULT_SECONDS);
        p
    }
}

/// The tree as the writer keeps it between batches.
pub struct Tree {
    frontier: Frontier,
    /// Size and signing time (ms) of the last checkpoint committed; (0, 0) before the first.
    last: (u64, i64),
}

impl Tree {
    /// The tree of the journal as committed. Fails if stored subtrees are missing (the tree is
    /// built when the store opens: [`build_if_needed`]).
    pub async fn load(conn: &mut AnyConnection) -> Result<Tree, sqlx::Error> {
        let size = journal_size(conn).await?;
        let hashes = frontier_hashes(conn, size)
            .await?
            .ok_or_else(|| sqlx::Error::Protocol(format!("the journal's Merkle tree lacks subtrees of its {size} entries")))?;
        let frontier = Frontier::from_hashes(size, hashes).expect("one hash per position");
        let last = sqlx::query("SELECT tree_size, signed_at_ms FROM journal_checkpoints ORDER BY tree_size DESC LIMIT 1")
            .fetch_optional(&mut *conn)
            .await?
            .map(|r| Ok::<_, sqlx::Error>((r.try_get::<i64, _>(0)? as u64, r.try_get::<i64, _>(1)?)))
            .transpose()?
            .unwrap_or((0, 0));
        Ok(Tree { frontier, last })
    }

    /// Appends the leaf of the entry with hash `entry_hash`; the subtrees it completes go to
    /// `rows`.
    pub(super) fn push(&mut self, entry_hash: &str, rows: &mut Vec<Vec<Val>>) {
        let leaf = leaf_of_entry(entry_hash).expect("the chain's hashes are hex SHA-256");
        self.frontier.push(leaf, |node, hash| {
            if node.level > 0 {
                rows.push(node_row(node, hash));
            }
        });
    }

    pub fn size(&self) -> u64 {
        self.frontier.size()
    }

    /// Whether a checkpoint is due at `now_ms`: entries wait for one, and enough of them or for
    /// long enough.
    pub(super) fn due(&self, now_ms: i64, policy: &CheckpointPolicy) -> bool {
        let waiting = self.size().saturating_sub(self.last.0);
        waiting > 0 && (waiting >= policy.entries.load(Relaxed) || now_ms - self.last.1 >= policy.ms.load(Relaxed) as i64)
    }

    /// How long until a checkpoint is due by time alone, if entries wait for one.
    pub(super) fn due_in(&self, now_ms: i64, policy: &CheckpointPolicy) -> Option<std::time::Duration> {
        (self.size() > self.last.0).then(|| {
            let at = self.last.1 + policy.ms.load(Relaxed) as i64;
            std::time::Duration::from_millis(at.saturating_sub(now_ms).max(0) as u64)
        })
    }

    /// Signs a checkpoint of the tree as it now is with the journal's key, unless nothing was
    /// appended since the last.
    pub(super) fn sign(&self, keys: &Keyring, now_ms: i64) -> Result<Option<Checkpoint>, KeyError> {
        if self.size() <= self.last.0 {
            return Ok(None);
        }
        let key = keys.signer(&Owner::Journal)?;
        Ok(Some(Checkpoint::sign(&key, self.size(), self.frontier.root(), now_ms)))
    }

    /// A checkpoint was committed.
    pub(super) fn signed(&mut self, cp: &Checkpoint) {
        self.last = (cp.tree_size, cp.timestamp_ms);
    }
}

fn node_row(node: Node, hash: &Hash) -> Vec<Val> {
    vec![Val::I(i64::from(node.level)), Val::I(node.index as i64), Val::T(hex::encode(hash))]
}

/// A checkpoint as `journal_checkpoints` holds it.
pub(super) fn checkpoint_row(cp: &Checkpoint) -> Vec<Val> {
    vec![
        Val::I(cp.tree_size as i64),
        Val::T(hex::encode(cp.root_hash)),
        Val::I(cp.timestamp_ms),
        Val::T(cp.key_id.clone()),
        Val::T(guomen_domain::signing::to_base64(&cp.signature)),
    ]
}

/// The checkpoint of a `journal_checkpoints` row (tree_size, root_hash, signed_at_ms, key_id,
/// signature), or a decoding error if the row is not one.
pub fn checkpoint_of(row: &sqlx::any::AnyRow) -> Result<Checkpoint, sqlx::Error> {
    let bad = |what: &str| sqlx::Error::Decode(format!("journal_checkpoints: {what}").into());
    let mut root_hash = [0u8; 32];
    hex::decode_to_slice(row.try_get::<String, _>("root_hash")?, &mut root_hash).map_err(|_| bad("root_hash"))?;
    let signature = guomen_domain::signing::decode_signature(&row.try_get::<String, _>("signature")?).map_err(|_| bad("signature"))?;
    Ok(Checkpoint {
        tree_size: row.try_get::<i64, _>("tree_size")? as u64,
        root_hash,
        timestamp_ms: row.try_get("signed_at_ms")?,
        key_id: row.try_get("key_id")?,
        signature,
    })
}

/// How many entries the journal holds (its last sequence number).
pub async fn journal_size(conn: &mut AnyConnection) -> Result<u64, sqlx::Error> {
    let last: Option<i64> = sqlx::query_scalar("SELECT MAX(seq) FROM journal").fetch_one(&mut *conn).await?;
    Ok(last.unwrap_or(0).max(0) as u64)
}

/// The hashes of the complete subtrees `nodes`: leaves from the journal's entries (leaf `i` is
/// entry `i + 1`), the others from `journal_tree`. A subtree not stored (or not readable) is
/// absent from the answer.
pub async fn read_nodes(conn: &mut AnyConnection, nodes: &[Node]) -> Result<HashMap<Node, Hash>, sqlx::Error> {
    let mut found = HashMap::with_capacity(nodes.len());
    let (leaves, inner): (Vec<Node>, Vec<Node>) = nodes.iter().partition(|n| n.level == 0);
    for chunk in leaves.chunks(64) {
        let marks: Vec<String> = (1..=chunk.len()).map(|i| format!("${i}")).collect();
        let sql = format!("SELECT seq, hash FROM journal WHERE seq IN ({})", marks.join(","));
        let mut q = sqlx::query(&sql);
        for n in chunk {
            q = q.bind(n.index as i64 + 1);
        }
        for r in q.fetch_all(&mut *conn).await? {
            let seq: i64 = r.try_get(0)?;
            if let Some(leaf) = leaf_of_entry(&r.try_get::<String, _>(1)?) {
                found.insert(Node { level: 0, index: seq as u64 - 1 }, leaf);
            }
        }
    }
    for chunk in inner.chunks(32) {
        let terms: Vec<String> = (0..chunk.len()).map(|i| format!("(level = ${} AND idx = ${})", 2 * i + 1, 2 * i + 2)).collect();
        let sql = format!("SELECT level, idx, hash FROM journal_tree WHERE {}", terms.join(" OR "));
        let mut q = sqlx::query(&sql);
        for n in chunk {
            q = q.bind(i64::from(n.level)).bind(n.index as i64);
        }
        for r in q.fetch_all(&mut *conn).await? {
            let mut hash = [0u8; 32];
            if hex::decode_to_slice(r.try_get::<String, _>(2)?, &mut hash).is_ok() {
                found.insert(Node { level: r.try_get::<i64, _>(0)? as u32, index: r.try_get::<i64, _>(1)? as u64 }, hash);
            }
        }
    }
    Ok(found)
}

/// The frontier's hashes of the tree of `size` leaves, or None if one is not stored.
async fn frontier_hashes(conn: &mut AnyConnection, size: u64) -> Result<Option<Vec<Hash>>, sqlx::Error> {
    let positions = Frontier::positions(size);
    let found = read_nodes(conn, &positions).await?;
    Ok(positions.iter().map(|p| found.get(p).copied()).collect())
}

/// Builds the tree over a journal whose tree is not stored (one written before the tree was
/// kept), in one transaction, from the entries' stored hashes. Answers how many entries it
/// was built over (0 when the tree was already there).
pub async fn build_if_needed(conn: &mut AnyConnection) -> Result<u64, sqlx::Error> {
    let size = journal_size(conn).await?;
    if frontier_hashes(conn, size).await?.is_some() {
        return Ok(0);
    }
    let mut tx = conn.begin().await?;
    sqlx::query("DELETE FROM journal_tree").execute(&mut *tx).await?;
    let mut frontier = Frontier::new();
    let mut after = 0i64;
    loop {
        let page =
            sqlx::query("SELECT seq, hash FROM journal WHERE seq > $1 ORDER BY seq LIMIT 10000").bind(after).fetch_all(&mut *tx).await?;
        if page.is_empty() {
            break;
        }
        let mut rows = Vec::with_capacity(page.len());
        for r in &page {
            let seq: i64 = r.try_get(0)?;
            if seq as u64 != frontier.size() + 1 {
                tracing::warn!(seq, expected = frontier.size() + 1, "the journal has a gap; `guomen verify` names it");
            }
            let hash: String = r.try_get(1)?;
            let leaf = leaf_of_entry(&hash)
                .ok_or_else(|| sqlx::Error::Decode(format!("journal entry {seq}: its hash is not hex SHA-256").into()))?;
            frontier.push(leaf, |node, h| {
                if node.level > 0 {
                    rows.push(node_row(node, h));
                }
            });
            after = seq;
        }
        insert(&mut tx, INSERT_NODES, 3, rows, "").await?;
    }
    tx.commit().await?;
    tracing::info!(entries = frontier.size(), "built the journal's Merkle tree");
    Ok(frontier.size())
}
