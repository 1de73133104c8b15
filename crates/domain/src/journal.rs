//! The hash chain. Each entry's hash covers its position, record, kind, actor, time, payload and
//! the previous entry's hash, so altering, removing or reordering any entry breaks every hash after it.

use sha2::{Digest, Sha256};

/// The hash before the first entry.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// The fields of a journal entry that the chain covers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntryFields<'a> {
    pub seq: i64,
    pub stream: &'a str,
    pub kind: &'a str,
    pub actor: &'a str,
    /// Milliseconds since the Unix epoch.
    pub at_ms: i64,
    pub payload: &'a str,
}

/// Hex SHA-256 of the previous hash and this entry's fields, length-prefixed so no field can
/// bleed into the next.
pub fn entry_hash(prev: &str, e: &EntryFields<'_>) -> String {
    let mut h = Sha256::new();
    h.update(prev.as_bytes());
    h.update(e.seq.to_be_bytes());
    for part in [e.stream, e.kind, e.actor] {
        h.update((part.len() as u64).to_be_bytes());
        h.update(part.as_bytes());
    }
    h.update(e.at_ms.to_be_bytes());
    h.update((e.payload.len() as u64).to_be_bytes());
    h.update(e.payload.as_bytes());
    hex::encode(h.finalize())
}

/// What is wrong with a chain at its first bad entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Break {
    /// The entry's sequence number is not the one after its predecessor (removed or reordered).
    Gap { seq: i64, expected: i64 },
    /// The entry's stored previous hash is not its predecessor's hash.
    Link { seq: i64 },
    /// The entry's hash does not match its content (altered).
    Content { seq: i64 },
}

impl std::fmt::Display for Break {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Break::Gap { seq, expected } => write!(f, "entry {seq}: expected entry {expected} here; entries were removed or reordered"),
            Break::Link { seq } => {
                write!(f, "entry {seq}: its link to the previous entry is broken")
            }
            Break::Content { seq } => write!(f, "entry {seq}: its content does not match its hash; it was altered"),
        }
    }
}

/// Walks a chain entry by entry; feed entries in sequence order.
#[derive(Debug, Clone)]
pub struct Verifier {
    prev_hash: String,
    next_seq: i64,
    pub checked: u64,
}

impl Default for Verifier {
    fn default() -> Self {
        Verifier { prev_hash: GENESIS.to_owned(), next_seq: 1, checked: 0 }
    }
}

impl Verifier {
    pub fn check(&mut self, e: &EntryFields<'_>, stored_prev: &str, stored_hash: &str) -> Result<(), Break> {
        if e.seq != self.next_seq {
            return Err(Break::Gap { seq: e.seq, expected: self.next_seq });
        }
        if stored_prev != self.prev_hash {
            return Err(Break::Link { seq: e.seq });
        }
        if entry_hash(stored_prev, e) != stored_hash {
            return Err(Break::Content { seq: e.seq });
        }
        self.prev_hash = stored_hash.to_owned();
        self.next_seq += 1;
        self.checked += 1;
        Ok(())
    }
}
