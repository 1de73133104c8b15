//! 检查点 — a signed checkpoint of the journal's tree: its size, its root hash, when it was
//! signed and by which of the journal's keys.
//!
//! As served and kept (JSON): `{"tree_size": 1234, "root_hash": "<64 hex digits>",
//! "timestamp": "2026-05-01T08:30:00.125Z", "key_id": "JOURNAL-…", "signature": "<base64>"}`.
//! What is signed, for the purpose `journal-checkpoint`, is the canonical JSON of the first
//! four fields (`signing::canonical_json`), so the signature covers exactly what is shown.

use super::merkle::Hash;
use crate::signing::{self, KeyPair, Owner, PublicKey, PublicKeySet, VerifyError};
use serde::{Deserialize, Serialize};
use serde_json::json;
use time::format_description::FormatItem;
use time::macros::format_description;

/// A checkpoint of the journal's Merkle tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checkpoint {
    pub tree_size: u64,
    pub root_hash: Hash,
    /// When it was signed, in milliseconds since the Unix epoch.
    pub timestamp_ms: i64,
    pub key_id: String,
    pub signature: [u8; 64],
}

/// The one way a checkpoint's time is written: RFC 3339, UTC, milliseconds, `Z`.
const TIMESTAMP: &[FormatItem<'static>] = format_description!("[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:3]Z");

/// `timestamp_ms` as a checkpoint writes it.
pub fn format_timestamp(ms: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000)
        .ok()
        .and_then(|t| t.format(TIMESTAMP).ok())
        .unwrap_or_else(|| "out-of-range".to_owned())
}

/// A checkpoint's time back in milliseconds; only the form [`format_timestamp`] writes.
pub fn parse_timestamp(text: &str) -> Option<i64> {
    let t = time::PrimitiveDateTime::parse(text, TIMESTAMP).ok()?.assume_utc();
    Some((t.unix_timestamp_nanos() / 1_000_000) as i64)
}

/// The wire form.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Wire {
    tree_size: u64,
    root_hash: String,
    timestamp: String,
    key_id: String,
    signature: String,
}

impl Checkpoint {
    /// The bytes signed for a checkpoint: the canonical JSON of its size, root, time and key.
    pub fn content(tree_size: u64, root_hash: &Hash, timestamp_ms: i64, key_id: &str) -> Vec<u8> {
        signing::canonical_json(&json!({
            "tree_size": tree_size,
            "root_hash": hex::encode(root_hash),
            "timestamp": format_timestamp(timestamp_ms),
            "key_id": key_id,
        }))
    }

    /// Signs the tree of `tree_size` leaves with `root_hash` at `timestamp_ms` with `key`.
    pub fn sign(key: &KeyPair, tree_size: u64, root_hash: Hash, timestamp_ms: i64) -> Checkpoint {
        let sig = key.sign(signing::CHECKPOINT, &Checkpoint::content(tree_size, &root_hash, timestamp_ms, key.key_id()));
        Checkpoint { tree_size, root_hash, timestamp_ms, key_id: sig.key_id, signature: sig.bytes }
    }

    /// The checkpoint as the API serves it.
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::to_value(self.wire()).expect("a checkpoint serializes")
    }

    fn wire(&self) -> Wire {
        Wire {
            tree_size: self.tree_size,
            root_hash: hex::encode(self.root_hash),
            timestamp: format_timestamp(self.timestamp_ms),
            key_id: self.key_id.clone(),
            signature: signing::to_base64(&self.signature),
        }
    }

    /// Reads a checkpoint as the API serves it (the signature is not checked here).
    pub fn parse(text: &str) -> Result<Checkpoint, VerifyError> {
        let bad = |why: String| VerifyError::Malformed(format!("not a checkpoint: {why}"));
        let w: Wire = serde_json::from_str(text).map_err(|e| bad(e.to_string()))?;
        let mut root_hash = [0u8; 32];
        hex::decode_to_slice(&w.root_hash, &mut root_hash).map_err(|_| bad("root_hash is not 64 hex digits".into()))?;
        let timestamp_ms = parse_timestamp(&w.timestamp)
            .filter(|ms| format_timestamp(*ms) == w.timestamp)
            .ok_or_else(|| bad(format!("timestamp {:?} is not written YYYY-MM-DDTHH:MM:SS.mmmZ", w.timestamp)))?;
        let signature = signing::decode_signature(&w.signature)?;
        Ok(Checkpoint { tree_size: w.tree_size, root_hash, timestamp_ms, key_id: w.key_id, signature })
    }

    /// Checks the signature with the public keys alone: the key must be the journal's, and the
    /// signature its over this size, root, time and key id. Answers the key.
    pub fn verify<'a>(&self, keys: &'a PublicKeySet) -> Result<&'a PublicKey, VerifyError> {
        let key = keys.find(&self.key_id).ok_or_else(|| VerifyError::UnknownKey(self.key_id.clone()))?;
        if key.owner != Owner::Journal {
            return Err(VerifyError::Malformed(format!("key {} signs for {}, not for the journal", key.key_id, key.owner)));
        }
        key.verify(
            signing::CHECKPOINT,
            &Checkpoint::content(self.tree_size, &self.root_hash, self.timestamp_ms, &self.key_id),
            &self.signature,
        )?;
        Ok(key)
    }
}

impl Serialize for Checkpoint {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.wire().serialize(s)
    }
}
