//! 透明日志 — the journal's Merkle tree as an outsider checks it: the latest signed checkpoint,
//! inclusion and consistency proofs read from the stored subtrees (O(log n) rows at any size),
//! and the check of the journal against a checkpoint kept elsewhere (`guomen verify
//! --checkpoint`). The tree and the checkpoints are written by the kernel (`kernel/tree.rs`).

use crate::kernel::{self, Request};
use crate::{Store, StoreError};
use guomen_domain::journal::Break;
use guomen_domain::transparency::{self as tlog, Checkpoint, Frontier, Hash, Plan};
use guomen_domain::{Refusal, Rule};
use tokio::sync::oneshot;

/// An inclusion proof: the audit path of leaf `leaf_index` (entry `leaf_index + 1`) in the
/// tree of `tree_size` entries, from the leaf's sibling up (RFC 6962's PATH).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InclusionProof {
    pub leaf_index: u64,
    pub tree_size: u64,
    pub audit_path: Vec<Hash>,
}

/// A consistency proof between the trees of `from` and `to` entries (RFC 6962's PROOF).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConsistencyProof {
    pub from: u64,
    pub to: u64,
    pub proof: Vec<Hash>,
}

/// What checking the journal against a checkpoint found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CheckpointFinding {
    /// The journal extends the checkpoint: its first entries hash to the checkpoint's root, and
    /// the stored tree proves the current tree consistent with it.
    Extends,
    /// An entry was altered, removed or reordered (the hash chain breaks there).
    Broken(Break),
    /// The journal holds fewer entries than the checkpoint covers.
    Truncated,
    /// The journal's first entries, as many as the checkpoint covers, do not hash to its root:
    /// they were rewritten (perhaps all of them, into a chain that holds together).
    Rewritten,
    /// The entries extend the checkpoint, but the consistency proof the stored tree gives does
    /// not hold: the stored tree was altered, so the proofs it serves are wrong.
    TreeAltered(String),
}

/// The journal checked against a checkpoint.
#[derive(Debug, Clone)]
pub struct CheckpointCheck {
    /// Entries whose hash was recomputed and found chained.
    pub entries: u64,
    /// The root of those entries' tree, recomputed from them.
    pub root: Hash,
    pub finding: CheckpointFinding,
}

impl CheckpointCheck {
    pub fn ok(&self) -> bool {
        self.finding == CheckpointFinding::Extends
    }
}

impl Store {
    /// Sign a checkpoint at least every `entries` entries or `seconds` seconds (each at least 1).
    pub fn set_checkpoint_policy(&self, entries: u64, seconds: u64) {
        self.checkpoints.set(entries, seconds);
    }

    /// (entries, seconds) of the checkpoint policy.
    pub fn checkpoint_policy(&self) -> (u64, u64) {
        self.checkpoints.get()
    }

    /// How many entries the journal's tree holds.
    pub async fn tree_size(&self) -> Result<u64, StoreError> {
        let mut conn = self.read.acquire().await?;
        Ok(kernel::journal_size(&mut conn).await?)
    }

    /// The latest signed checkpoint, if one was made.
    pub async fn latest_checkpoint(&self) -> Result<Option<Checkpoint>, StoreError> {
        let row = sqlx::query(
            "SELECT tree_size, root_hash, signed_at_ms, key_id, signature FROM journal_checkpoints ORDER BY tree_size DESC LIMIT 1",
        )
        .fetch_optional(&self.read)
        .await?;
        Ok(row.as_ref().map(kernel::checkpoint_of).transpose()?)
    }

    /// Has the writer sign a checkpoint of the journal as committed now (unless the latest
    /// already covers it); answers the latest checkpoint.
    pub async fn sign_checkpoint(&self) -> Result<Option<Checkpoint>, StoreError> {
        let (reply, answer) = oneshot::channel();
        self.requests.send(Request::Checkpoint(reply)).await.map_err(|_| StoreError::Closed)?;
        answer.await.map_err(|_| StoreError::Closed)?.map_err(StoreError::Database)?;
        self.latest_checkpoint().await
    }

    /// The size a proof is to when none is asked: the latest checkpoint's, or the tree's if
    /// there is none yet.
    async fn signed_size(&self) -> Result<u64, StoreError> {
        match self.latest_checkpoint().await? {
            Some(cp) => Ok(cp.tree_size),
            None => self.tree_size().await,
        }
    }

    /// `size`, checked to be a tree the journal has grown through.
    async fn check_size(&self, field: &str, size: u64) -> Result<u64, StoreError> {
        let now = self.tree_size().await?;
        if size == 0 || size > now {
            return Err(StoreError::Refused(Refusal::field(
                field,
                Rule::TreeSize,
                format!("{field} is a tree size of 1 to {now} (the journal's entries now), got {size}"),
                format!("{field} 应为 1 至 {now}（日志当前的条数），实际为 {size}"),
            )));
        }
        Ok(size)
    }

    /// The proof `plan` names, from the stored subtrees.
    async fn assemble(&self, plan: &Plan) -> Result<Vec<Hash>, StoreError> {
        let nodes: Vec<_> = plan.nodes().collect();
        let mut conn = self.read.acquire().await?;
        let found = kernel::read_nodes(&mut conn, &nodes).await?;
        plan.assemble(|n| found.get(&n).copied()).ok_or_else(|| {
            let missing = nodes.iter().find(|n| !found.contains_key(n)).expect("one is missing");
            StoreError::Database(format!("the journal's tree lacks the subtree at level {} index {}", missing.level, missing.index))
        })
    }

    /// The inclusion proof of entry `entry` (numbered from 1) in the tree of `size` entries
    /// (the latest checkpoint's when None).
    pub async fn inclusion_proof(&self, entry: u64, size: Option<u64>) -> Result<InclusionProof, StoreError> {
        let size = match size {
            Some(s) => self.check_size("size", s).await?,
            None => self.signed_size().await?,
        };
        let Some(index) = entry.checked_sub(1) else {
            return Err(StoreError::Refused(Refusal::field(
                "entry",
                Rule::ProofEntry,
                "journal entries are numbered from 1",
                "日志条目从 1 开始编号",
            )));
        };
        let plan = tlog::inclusion_plan(index, size).map_err(StoreError::Refused)?;
        Ok(InclusionProof { leaf_index: index, tree_size: size, audit_path: self.assemble(&plan).await? })
    }

    /// The consistency proof from the tree of `from` entries to that of `to` (the latest
    /// checkpoint's when None).
    pub async fn consistency_proof(&self, from: u64, to: Option<u64>) -> Result<ConsistencyProof, StoreError> {
        let to = match to {
            Some(t) => self.check_size("to", t).await?,
            None => self.signed_size().await?,
        };
        let plan = tlog::consistency_plan(from, to).map_err(StoreError::Refused)?;
        Ok(ConsistencyProof { from, to, proof: self.assemble(&plan).await? })
    }

    /// Checks the journal against `cp` (whose signature the caller has checked): walks every
    /// entry, recomputing its hash and the tree from the entries themselves (nothing stored is
    /// believed), then checks the stored tree's consistency proof from the checkpoint to now.
    pub async fn check_checkpoint(&self, cp: &Checkpoint) -> Result<CheckpointCheck, StoreError> {
        let mut frontier = Frontier::new();
        let mut root_then = (cp.tree_size == 0).then(tlog::empty_root);
        let walk = self
            .walk_chain(|hash| {
                frontier.push(tlog::leaf_of_entry(hash).expect("a checked chain's hashes are hex SHA-256"), |_, _| {});
                if frontier.size() == cp.tree_size {
                    root_then = Some(frontier.root());
                }
            })
            .await?;
        let (entries, root) = (frontier.size(), frontier.root());
        let done = |finding| Ok(CheckpointCheck { entries, root, finding });
        if let Some(b) = walk.first_break {
            return done(CheckpointFinding::Broken(b));
        }
        let Some(root_then) = root_then else { return done(CheckpointFinding::Truncated) };
        if root_then != cp.root_hash {
            return done(CheckpointFinding::Rewritten);
        }
        if cp.tree_size == 0 {
            return done(CheckpointFinding::Extends);
        }
        let proof = self.consistency_proof(cp.tree_size, Some(entries)).await;
        let finding = match proof {
            Ok(p) => match tlog::verify_consistency(cp.tree_size, entries, &cp.root_hash, &root, &p.proof) {
                Ok(()) => CheckpointFinding::Extends,
                Err(e) => CheckpointFinding::TreeAltered(e.to_string()),
            },
            Err(StoreError::Database(e)) => CheckpointFinding::TreeAltered(e),
            Err(e) => return Err(e),
        };
        done(finding)
    }
}
