//! The Merkle tree's hashes and its right edge (RFC 6962 §2.1, RFC 9162 §2.1.1).

use sha2::{Digest, Sha256};

/// A SHA-256 hash.
pub type Hash = [u8; 32];

/// The hash of a leaf: SHA-256(0x00 ‖ data).
pub fn leaf_hash(data: &[u8]) -> Hash {
    let mut h = Sha256::new();
    h.update([0u8]);
    h.update(data);
    h.finalize().into()
}

/// The hash of an interior node: SHA-256(0x01 ‖ left ‖ right).
pub fn node_hash(left: &Hash, right: &Hash) -> Hash {
    let mut h = Sha256::new();
    h.update([1u8]);
    h.update(left);
    h.update(right);
    h.finalize().into()
}

/// The root of the empty tree: SHA-256 of nothing.
pub fn empty_root() -> Hash {
    Sha256::digest([]).into()
}

/// The leaf of a journal entry, from the entry's hash as the chain stores it (64 hex digits):
/// the leaf's data is the 32 bytes of that hash. None if it is not 64 hex digits.
pub fn leaf_of_entry(entry_hash_hex: &str) -> Option<Hash> {
    let mut raw = [0u8; 32];
    hex::decode_to_slice(entry_hash_hex, &mut raw).ok()?;
    Some(leaf_hash(&raw))
}

/// A complete subtree: the one over leaves `[index·2^level, (index+1)·2^level)`. Level 0 is a
/// leaf.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Node {
    pub level: u32,
    pub index: u64,
}

impl Node {
    /// The first leaf it covers.
    pub fn start(self) -> u64 {
        self.index << self.level
    }
}

/// The complete subtrees that together cover leaves `[start, end)`, largest first, where
/// `start` is a multiple of the largest power of two not above `end - start` (as every range
/// of RFC 6962's tree shape is).
pub(crate) fn cover(start: u64, end: u64) -> Vec<Node> {
    debug_assert!(start <= end);
    let mut nodes = Vec::with_capacity((end - start).count_ones() as usize);
    let mut at = start;
    let width = end - start;
    for level in (0..64u32).rev() {
        if width >> level & 1 == 1 {
            debug_assert_eq!(at % (1u64 << level), 0, "[{start}, {end}) is not aligned");
            nodes.push(Node { level, index: at >> level });
            at += 1 << level;
        }
    }
    nodes
}

/// The hash of the subtree over the range `cover` gives, from the hashes of its complete
/// subtrees (largest first): RFC 6962's MTH, whose left part is always the largest complete one.
pub(crate) fn fold(hashes: &[Hash]) -> Hash {
    let mut it = hashes.iter().rev();
    let Some(last) = it.next() else { return empty_root() };
    it.fold(*last, |right, left| node_hash(left, &right))
}

/// The right edge of a tree of `size` leaves: the hashes of the complete subtrees that cover
/// it, largest first (one per bit set in `size`). Enough to append a leaf and to know the root.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Frontier {
    size: u64,
    hashes: Vec<Hash>,
}

impl Frontier {
    /// The empty tree.
    pub fn new() -> Frontier {
        Frontier::default()
    }

    /// The subtrees whose hashes make the frontier of a tree of `size` leaves, largest first.
    pub fn positions(size: u64) -> Vec<Node> {
        cover(0, size)
    }

    /// The frontier of a tree of `size` leaves from the hashes of [`Frontier::positions`].
    /// None if there are not exactly as many hashes as positions.
    pub fn from_hashes(size: u64, hashes: Vec<Hash>) -> Option<Frontier> {
        (hashes.len() == size.count_ones() as usize).then_some(Frontier { size, hashes })
    }

    /// How many leaves the tree holds.
    pub fn size(&self) -> u64 {
        self.size
    }

    /// Appends a leaf; `closed` is told the leaf's node and every subtree it completes, lowest
    /// first, with its hash.
    pub fn push(&mut self, leaf: Hash, mut closed: impl FnMut(Node, &Hash)) {
        let mut node = Node { level: 0, index: self.size };
        let mut hash = leaf;
        closed(node, &hash);
        // Each trailing one of the old size is a complete subtree of the same size to the left.
        while self.size >> node.level & 1 == 1 {
            let left = self.hashes.pop().expect("one hash per bit of the size");
            hash = node_hash(&left, &hash);
            node = Node { level: node.level + 1, index: node.index >> 1 };
            closed(node, &hash);
        }
        self.hashes.push(hash);
        self.size += 1;
    }

    /// The root hash of the tree (the empty tree's for no leaf).
    pub fn root(&self) -> Hash {
        fold(&self.hashes)
    }
}
