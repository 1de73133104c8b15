//! Inclusion and consistency proofs (RFC 6962 §2.1.1–2.1.2; RFC 9162 §2.1.3–2.1.4).
//!
//! Every hash a proof lists is the root of a subtree `[start, end)` of RFC 6962's shape, which
//! is a few complete subtrees side by side (`merkle::cover`). A [`Plan`] lists those subtrees;
//! the store reads their stored hashes (O(log n) of them, however large the tree) and
//! [`Plan::assemble`] folds them into the proof.

use super::merkle::{cover, fold, node_hash, Hash, Node};
use crate::{Refusal, Rule};

/// The subtrees a proof needs: one list of complete subtrees per hash of the proof.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    parts: Vec<Vec<Node>>,
}

impl Plan {
    /// Every complete subtree whose hash the proof needs.
    pub fn nodes(&self) -> impl Iterator<Item = Node> + '_ {
        self.parts.iter().flatten().copied()
    }

    /// The proof, from the hashes of [`Plan::nodes`]; None if `hash_of` lacks one.
    pub fn assemble(&self, hash_of: impl Fn(Node) -> Option<Hash>) -> Option<Vec<Hash>> {
        self.parts.iter().map(|part| part.iter().map(|n| hash_of(*n)).collect::<Option<Vec<_>>>().map(|h| fold(&h))).collect()
    }

    /// How many hashes the proof holds.
    pub fn len(&self) -> usize {
        self.parts.len()
    }

    pub fn is_empty(&self) -> bool {
        self.parts.is_empty()
    }
}

/// The largest power of two smaller than `n` (n > 1).
fn split(n: u64) -> u64 {
    debug_assert!(n > 1);
    1 << (63 - (n - 1).leading_zeros())
}

/// What an inclusion proof of leaf `index` in the tree of `size` leaves needs (RFC 6962's
/// PATH), from the leaf's sibling up. The leaf must be in the tree.
pub fn inclusion_plan(index: u64, size: u64) -> Result<Plan, Refusal> {
    if index >= size {
        return Err(Refusal::field(
            "entry",
            Rule::ProofEntry,
            format!("entry {} is not in the tree of {size} entries", index + 1),
            format!("第 {} 条日志不在 {size} 条日志的树中", index + 1),
        ));
    }
    let (mut lo, mut hi) = (0, size);
    let mut parts = Vec::new();
    while hi - lo > 1 {
        let k = split(hi - lo);
        if index < lo + k {
            parts.push(cover(lo + k, hi));
            hi = lo + k;
        } else {
            parts.push(cover(lo, lo + k));
            lo += k;
        }
    }
    parts.reverse();
    Ok(Plan { parts })
}

/// What a consistency proof from the tree of `from` leaves to the tree of `to` needs (RFC
/// 6962's PROOF); `0 < from <= to`.
pub fn consistency_plan(from: u64, to: u64) -> Result<Plan, Refusal> {
    if from == 0 || from > to {
        return Err(Refusal::field(
            "from",
            Rule::ConsistencyRange,
            format!("a consistency proof is from a size of 1 to `to` ({to}), got {from}"),
            format!("一致性证明的起始大小应为 1 至 to（{to}），实际为 {from}"),
        ));
    }
    // SUBPROOF(m, D[lo:hi], whole), unrolled: each step adds the hash of the part not descended
    // into; the last adds the old tree's subtree unless it is the whole old tree.
    let (mut m, mut lo, mut hi, mut whole) = (from, 0, to, true);
    let mut parts = Vec::new();
    while m != hi - lo {
        let k = split(hi - lo);
        if m <= k {
            parts.push(cover(lo + k, hi));
            hi = lo + k;
        } else {
            parts.push(cover(lo, lo + k));
            m -= k;
            lo += k;
            whole = false;
        }
    }
    if !whole {
        parts.push(cover(lo, hi));
    }
    parts.reverse();
    Ok(Plan { parts })
}

/// Why a proof does not prove what it is said to.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProofInvalid {
    /// The sizes or index cannot have a proof (index beyond the size, from beyond to, 0).
    #[error("{0}")]
    Bounds(String),
    /// The proof has more or fewer hashes than the tree's shape calls for.
    #[error("the proof has {got} hashes; a proof for these sizes has {want}")]
    Length { got: usize, want: usize },
    /// The proof leads to another root than the one it was checked against.
    #[error("the proof leads to another root hash")]
    Root,
}

/// The root a leaf's inclusion proof leads to: the path is consumed from its top (the last
/// hash, a sibling of the whole left or right part) down to the leaf's sibling.
pub fn root_from_inclusion(index: u64, size: u64, leaf: &Hash, path: &[Hash]) -> Result<Hash, ProofInvalid> {
    if index >= size {
        return Err(ProofInvalid::Bounds(format!("leaf {index} is not in a tree of {size}")));
    }
    let want = inclusion_plan(index, size).map(|p| p.len()).unwrap_or(0);
    if path.len() != want {
        return Err(ProofInvalid::Length { got: path.len(), want });
    }
    fn up(m: u64, n: u64, leaf: &Hash, path: &[Hash]) -> Hash {
        match path.split_last() {
            None => *leaf,
            Some((sibling, below)) => {
                let k = split(n);
                if m < k {
                    node_hash(&up(m, k, leaf, below), sibling)
                } else {
                    node_hash(sibling, &up(m - k, n - k, leaf, below))
                }
            }
        }
    }
    Ok(up(index, size, leaf, path))
}

/// Checks that `path` proves leaf `index` (hash `leaf`) is in the tree of `size` with `root`.
pub fn verify_inclusion(index: u64, size: u64, leaf: &Hash, path: &[Hash], root: &Hash) -> Result<(), ProofInvalid> {
    if root_from_inclusion(index, size, leaf, path)? == *root {
        Ok(())
    } else {
        Err(ProofInvalid::Root)
    }
}

/// The roots of the old and the new tree a consistency proof leads to, given the old root
/// (which the proof leaves out when the old tree is a complete subtree on the new tree's left).
pub fn roots_from_consistency(from: u64, to: u64, from_root: &Hash, proof: &[Hash]) -> Result<(Hash, Hash), ProofInvalid> {
    if from == 0 || from > to {
        return Err(ProofInvalid::Bounds(format!("no consistency proof from {from} to {to}")));
    }
    let want = consistency_plan(from, to).map(|p| p.len()).unwrap_or(0);
    if proof.len() != want {
        return Err(ProofInvalid::Length { got: proof.len(), want });
    }
    /// (old subtree's root, new subtree's root) for SUBPROOF(m, D[n], whole).
    fn sub(m: u64, n: u64, whole: bool, from_root: &Hash, proof: &[Hash]) -> (Hash, Hash) {
        if m == n {
            return match proof {
                [] if whole => (*from_root, *from_root),
                [h] => (*h, *h),
                _ => unreachable!("the length was checked"),
            };
        }
        let (right_or_left, rest) = proof.split_last().expect("the length was checked");
        let k = split(n);
        if m <= k {
            let (old, new) = sub(m, k, whole, from_root, rest);
            (old, node_hash(&new, right_or_left))
        } else {
            let (old, new) = sub(m - k, n - k, false, from_root, rest);
            (node_hash(right_or_left, &old), node_hash(right_or_left, &new))
        }
    }
    Ok(sub(from, to, true, from_root, proof))
}

/// Checks that `proof` shows the tree of `to` leaves with `to_root` extends the tree of `from`
/// leaves with `from_root`.
pub fn verify_consistency(from: u64, to: u64, from_root: &Hash, to_root: &Hash, proof: &[Hash]) -> Result<(), ProofInvalid> {
    let (old, new) = roots_from_consistency(from, to, from_root, proof)?;
    if old == *from_root && new == *to_root {
        Ok(())
    } else {
        Err(ProofInvalid::Root)
    }
}
