//! 透明日志 — the journal as a transparency log, on the model of Certificate Transparency
//! (RFC 6962, RFC 9162): a Merkle tree over the journal's entries, signed checkpoints of it, and
//! the proofs an outsider checks against a checkpoint without trusting the server.
//!
//! ```text
//!            root (size 6) = H(01 ‖ n(2,0) ‖ n(1,2))
//!              /                        \
//!        n(2,0)                          n(1,2)          n(level, index): the complete subtree
//!       /      \                        /      \         over leaves [index·2^level,
//!   n(1,0)    n(1,1)                leaf 4   leaf 5      (index+1)·2^level)
//!   /   \     /   \
//!  l0   l1   l2   l3                 leaf i = H(00 ‖ hash of journal entry i+1)
//! ```
//!
//! - `merkle.rs` — the hashes (leaf, node, empty tree), [`Node`] positions and the
//!   [`Frontier`]: the complete subtrees along the right edge, which is all the writer keeps to
//!   append a leaf and know the root.
//! - `proof.rs` — which complete subtrees a proof needs ([`Plan`]), the proof assembled from
//!   their hashes, and the verification of inclusion and consistency proofs.
//! - `checkpoint.rs` — a signed checkpoint (tree size, root hash, time, key id, signature).
//!
//! Pure: the store reads the stored subtrees a plan names and hands their hashes back.

mod checkpoint;
mod merkle;
mod proof;

pub use checkpoint::{format_timestamp, parse_timestamp, Checkpoint};
pub use merkle::{empty_root, leaf_hash, leaf_of_entry, node_hash, Frontier, Hash, Node};
pub use proof::{
    consistency_plan, inclusion_plan, root_from_inclusion, roots_from_consistency, verify_consistency, verify_inclusion, Plan, ProofInvalid,
};

#[cfg(test)]
mod tests;
