//! 电子签名 — Ed25519 signatures anyone can check with the public keys alone.
//!
//! Each issuing office (关区) signs its documents with a key pair of its own, and the journal
//! signs its checkpoints with another. A key is named `OWNER-<first 8 bytes of the public key,
//! hex>`: `2201-9f3c…` for office 2201, `JOURNAL-5a1e…` for the journal. Keys are rotated, never
//! deleted: a retired key signs nothing new, but stays in the public key set so that what it
//! signed stays verifiable.
//!
//! What is signed is never the bare content: [`message`] prefixes it with a fixed tag and the
//! purpose (`journal-checkpoint`, `document`), so a signature made for one purpose cannot be
//! passed off for another.
//!
//! Pure: a key pair is made from a 32-byte seed the caller draws; signing is deterministic
//! (RFC 8032), so nothing here reads a clock or draws randomness.

use crate::types::OfficeCode;
use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine as _;
use ed25519_dalek::{Signer as _, Verifier as _};
use serde::{Deserialize, Serialize};
use std::fmt;

/// What a checkpoint of the journal's Merkle tree is signed as.
pub const CHECKPOINT: &str = "journal-checkpoint";
/// What a document (a certificate, a notice, a report) is signed as.
pub const DOCUMENT: &str = "document";

/// Bytes of the public key a key id shows (as hex).
const ID_BYTES: usize = 8;

/// Who a key signs for.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Owner {
    /// An issuing office, by its 4-digit customs code.
    Office(OfficeCode),
    /// The journal: its checkpoints.
    Journal,
}

impl Owner {
    /// `journal` or a 4-digit office code.
    pub fn parse(s: &str) -> Result<Owner, crate::types::ParseError> {
        if s.trim().eq_ignore_ascii_case("journal") {
            Ok(Owner::Journal)
        } else {
            OfficeCode::parse(s).map(Owner::Office)
        }
    }

    /// As the public key set names it: `journal` or the office code.
    pub fn as_str(&self) -> &str {
        match self {
            Owner::Office(code) => code.as_str(),
            Owner::Journal => "journal",
        }
    }

    /// The first part of its key ids: `JOURNAL` or the office code.
    fn id_prefix(&self) -> String {
        self.as_str().to_ascii_uppercase()
    }
}

impl fmt::Display for Owner {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Owner {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Owner {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Owner::parse(&s).map_err(|e| serde::de::Error::custom(e.en))
    }
}

/// The id of `owner`'s key with public key `public`: `OWNER-<hex of its first 8 bytes>`.
pub fn key_id(owner: &Owner, public: &[u8; 32]) -> String {
    format!("{}-{}", owner.id_prefix(), hex::encode(&public[..ID_BYTES]))
}

/// What is actually signed for `purpose`: a fixed tag, the purpose and the content, each
/// separated by a zero byte (neither tag nor purpose holds one).
pub fn message(purpose: &str, content: &[u8]) -> Vec<u8> {
    const TAG: &[u8] = b"guomen-signature-v1";
    let mut m = Vec::with_capacity(TAG.len() + purpose.len() + content.len() + 2);
    m.extend_from_slice(TAG);
    m.push(0);
    m.extend_from_slice(purpose.as_bytes());
    m.push(0);
    m.extend_from_slice(content);
    m
}

/// A JSON value as canonical bytes to sign: object keys sorted by their UTF-8 bytes, no
/// whitespace, strings escaped as `serde_json` writes them, numbers as written.
pub fn canonical_json(value: &serde_json::Value) -> Vec<u8> {
    fn write(v: &serde_json::Value, out: &mut Vec<u8>) {
        match v {
            serde_json::Value::Object(map) => {
                let mut keys: Vec<&String> = map.keys().collect();
                keys.sort();
                out.push(b'{');
                for (i, k) in keys.into_iter().enumerate() {
                    if i > 0 {
                        out.push(b',');
                    }
                    out.extend_from_slice(serde_json::to_string(k).expect("a string serializes").as_bytes());
                    out.push(b':');
                    write(&map[k], out);
                }
                out.push(b'}');
            }
            serde_json::Value::Array(items) => {
                out.push(b'[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(b',');
                    }
                    write(item, out);
                }
                out.push(b']');
            }
            scalar => out.extend_from_slice(serde_json::to_string(scalar).expect("a scalar serializes").as_bytes()),
        }
    }
    let mut out = Vec::new();
    write(value, &mut out);
    out
}

/// A key pair that signs for its owner.
#[derive(Clone)]
pub struct KeyPair {
    owner: Owner,
    key_id: String,
    key: ed25519_dalek::SigningKey,
}

impl fmt::Debug for KeyPair {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Never the secret.
        f.debug_struct("KeyPair").field("owner", &self.owner).field("key_id", &self.key_id).finish()
    }
}

impl KeyPair {
    /// The key pair of `owner` made from a 32-byte secret seed (RFC 8032's private key).
    pub fn from_seed(owner: Owner, seed: &[u8; 32]) -> KeyPair {
        let key = ed25519_dalek::SigningKey::from_bytes(seed);
        let key_id = key_id(&owner, key.verifying_key().as_bytes());
        KeyPair { owner, key_id, key }
    }

    pub fn owner(&self) -> &Owner {
        &self.owner
    }

    pub fn key_id(&self) -> &str {
        &self.key_id
    }

    pub fn public_key(&self) -> [u8; 32] {
        self.key.verifying_key().to_bytes()
    }

    /// The secret seed, for the keyring file alone.
    pub fn seed(&self) -> [u8; 32] {
        self.key.to_bytes()
    }

    /// Signs `content` for `purpose`.
    pub fn sign(&self, purpose: &str, content: &[u8]) -> Signature {
        let sig = self.key.sign(&message(purpose, content));
        Signature { key_id: self.key_id.clone(), bytes: sig.to_bytes() }
    }
}

/// A signature and the key that made it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signature {
    pub key_id: String,
    pub bytes: [u8; 64],
}

impl Signature {
    /// The 64 signature bytes in base64 (RFC 4648 §4, padded).
    pub fn to_base64(&self) -> String {
        B64.encode(self.bytes)
    }
}

/// Decodes 64 signature bytes from base64.
pub fn decode_signature(text: &str) -> Result<[u8; 64], VerifyError> {
    let bytes = B64.decode(text.trim()).map_err(|_| VerifyError::Malformed("the signature is not base64".into()))?;
    bytes.try_into().map_err(|_| VerifyError::Malformed("a signature is 64 bytes".into()))
}

/// Encodes bytes (a public key) in base64.
pub fn to_base64(bytes: &[u8]) -> String {
    B64.encode(bytes)
}

/// Why a signature does not verify.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum VerifyError {
    /// No key of the set has this id.
    #[error("no public key {0} in the key set")]
    UnknownKey(String),
    /// The signature or a key is not what it should be (encoding, length).
    #[error("{0}")]
    Malformed(String),
    /// The signature is not the key's over this content: the content was altered, or another
    /// key signed it.
    #[error("the signature does not match the content and key {0}")]
    Mismatch(String),
}

/// One public key as `GET /api/v1/keys` serves it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PublicKey {
    pub key_id: String,
    /// `journal` or the issuing office's code.
    pub owner: Owner,
    /// The 32-byte Ed25519 public key, base64.
    pub public_key: String,
    /// When the key was made (RFC 3339, UTC).
    pub created: String,
    /// When it was retired, if it was: it signs nothing after, and what it signed before stays
    /// verifiable.
    pub retired: Option<String>,
}

impl PublicKey {
    /// The public key of `pair`, made at `created`.
    pub fn of(pair: &KeyPair, created: String, retired: Option<String>) -> PublicKey {
        PublicKey { key_id: pair.key_id.clone(), owner: pair.owner.clone(), public_key: B64.encode(pair.public_key()), created, retired }
    }

    /// The key's 32 bytes, checked against its id.
    pub fn bytes(&self) -> Result<[u8; 32], VerifyError> {
        let raw = B64.decode(self.public_key.trim()).map_err(|_| VerifyError::Malformed(format!("key {}: not base64", self.key_id)))?;
        let bytes: [u8; 32] =
            raw.try_into().map_err(|_| VerifyError::Malformed(format!("key {}: an Ed25519 public key is 32 bytes", self.key_id)))?;
        if key_id(&self.owner, &bytes) != self.key_id {
            return Err(VerifyError::Malformed(format!("key {}: its id does not match its owner and public key", self.key_id)));
        }
        Ok(bytes)
    }

    /// Checks that `signature` is this key's over `content` signed for `purpose`.
    pub fn verify(&self, purpose: &str, content: &[u8], signature: &[u8; 64]) -> Result<(), VerifyError> {
        let key = ed25519_dalek::VerifyingKey::from_bytes(&self.bytes()?)
            .map_err(|_| VerifyError::Malformed(format!("key {}: not an Ed25519 public key", self.key_id)))?;
        key.verify(&message(purpose, content), &ed25519_dalek::Signature::from_bytes(signature))
            .map_err(|_| VerifyError::Mismatch(self.key_id.clone()))
    }
}

/// The public keys, current and retired: what an outsider needs to verify any signature.
/// Serialized as `{"keys":[{"key_id","owner","public_key","created","retired"}]}`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PublicKeySet {
    pub keys: Vec<PublicKey>,
}

impl PublicKeySet {
    /// Reads a key set (as served by `GET /api/v1/keys`), checking every key against its id.
    pub fn parse(json: &str) -> Result<PublicKeySet, VerifyError> {
        let set: PublicKeySet = serde_json::from_str(json).map_err(|e| VerifyError::Malformed(format!("not a public key set: {e}")))?;
        for k in &set.keys {
            k.bytes()?;
        }
        Ok(set)
    }

    pub fn find(&self, key_id: &str) -> Option<&PublicKey> {
        self.keys.iter().find(|k| k.key_id == key_id)
    }

    /// Checks `signature` (base64) by key `key_id` over `content` signed for `purpose`; answers
    /// the key that made it.
    pub fn verify(&self, key_id: &str, purpose: &str, content: &[u8], signature: &str) -> Result<&PublicKey, VerifyError> {
        let key = self.find(key_id).ok_or_else(|| VerifyError::UnknownKey(key_id.to_owned()))?;
        key.verify(purpose, content, &decode_signature(signature)?)?;
        Ok(key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn office() -> Owner {
        Owner::parse("2201").unwrap()
    }

    #[test]
    fn key_ids_name_the_owner_and_the_key() {
        let pair = KeyPair::from_seed(office(), &[7; 32]);
        let id = pair.key_id();
        assert!(id.starts_with("2201-"), "{id}");
        assert_eq!(id.len(), 5 + 16);
        assert_eq!(&id[5..], hex::encode(&pair.public_key()[..8]));
        let journal = KeyPair::from_seed(Owner::Journal, &[7; 32]);
        assert!(journal.key_id().starts_with("JOURNAL-"));
        assert_eq!(journal.public_key(), pair.public_key());
        assert_ne!(journal.key_id(), pair.key_id());
    }

    #[test]
    fn owners_parse() {
        assert_eq!(Owner::parse("journal").unwrap(), Owner::Journal);
        assert_eq!(Owner::parse("JOURNAL").unwrap(), Owner::Journal);
        assert_eq!(Owner::parse("4201").unwrap().as_str(), "4201");
        assert!(Owner::parse("42").is_err());
        assert!(Owner::parse("office").is_err());
    }

    #[test]
    fn a_signature_verifies_with_the_public_key_alone() {
        let pair = KeyPair::from_seed(office(), &[1; 32]);
        let sig = pair.sign(DOCUMENT, b"certificate of origin RCEP 2201-2026-000001");
        let set = PublicKeySet { keys: vec![PublicKey::of(&pair, "2026-12-05T00:00:00Z".into(), None)] };
        let text = serde_json::to_string(&set).unwrap();
        let read = PublicKeySet::parse(&text).unwrap();
        assert_eq!(read, set);
        let key = read.verify(&sig.key_id, DOCUMENT, b"certificate of origin RCEP 2201-2026-000001", &sig.to_base64()).unwrap();
        assert_eq!(key.owner, office());
    }

    #[test]
    fn one_character_changed_fails() {
        let pair = KeyPair::from_seed(office(), &[2; 32]);
        let sig = pair.sign(DOCUMENT, b"net weight 1000 kg");
        let set = PublicKeySet { keys: vec![PublicKey::of(&pair, "2026-12-05T00:00:00Z".into(), None)] };
        assert_eq!(
            set.verify(&sig.key_id, DOCUMENT, b"net weight 1001 kg", &sig.to_base64()),
            Err(VerifyError::Mismatch(sig.key_id.clone()))
        );
        // Signed for another purpose: refused too.
        assert!(matches!(set.verify(&sig.key_id, CHECKPOINT, b"net weight 1000 kg", &sig.to_base64()), Err(VerifyError::Mismatch(_))));
        // A signature bit flipped.
        let mut bytes = sig.bytes;
        bytes[10] ^= 1;
        assert!(matches!(set.verify(&sig.key_id, DOCUMENT, b"net weight 1000 kg", &to_base64(&bytes)), Err(VerifyError::Mismatch(_))));
    }

    #[test]
    fn a_wrong_key_fails() {
        let signer = KeyPair::from_seed(office(), &[3; 32]);
        let other = KeyPair::from_seed(office(), &[4; 32]);
        let sig = signer.sign(DOCUMENT, b"content");
        // The set holds another key under the signer's id: the id no longer matches the key.
        let mut forged = PublicKey::of(&other, "2026-12-05T00:00:00Z".into(), None);
        forged.key_id = signer.key_id().to_owned();
        let text = serde_json::to_string(&PublicKeySet { keys: vec![forged.clone()] }).unwrap();
        assert!(matches!(PublicKeySet::parse(&text), Err(VerifyError::Malformed(_))));
        assert!(matches!(forged.verify(DOCUMENT, b"content", &sig.bytes), Err(VerifyError::Malformed(_))));
        // A set without the signer's key.
        let set = PublicKeySet { keys: vec![PublicKey::of(&other, "2026-12-05T00:00:00Z".into(), None)] };
        assert_eq!(set.verify(&sig.key_id, DOCUMENT, b"content", &sig.to_base64()), Err(VerifyError::UnknownKey(sig.key_id.clone())));
        // The other key under its own id does not verify the signer's signature.
        assert!(matches!(set.keys[0].verify(DOCUMENT, b"content", &sig.bytes), Err(VerifyError::Mismatch(_))));
    }

    #[test]
    fn rfc_8032_test_vector_1() {
        // RFC 8032 §7.1, TEST 1: the empty message. Guomen signs `message(purpose, content)`,
        // so check the raw key first.
        let seed: [u8; 32] = hex::decode("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60").unwrap().try_into().unwrap();
        let pair = KeyPair::from_seed(Owner::Journal, &seed);
        assert_eq!(hex::encode(pair.public_key()), "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
        let raw = ed25519_dalek::SigningKey::from_bytes(&seed).sign(b"");
        assert_eq!(
            hex::encode(raw.to_bytes()),
            "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"
        );
    }

    #[test]
    fn canonical_json_sorts_keys_at_every_depth() {
        let v: serde_json::Value = serde_json::from_str(r#"{ "b": 1, "a": { "z": [3, {"y": "货物", "x": null}], "c": true } }"#).unwrap();
        assert_eq!(String::from_utf8(canonical_json(&v)).unwrap(), r#"{"a":{"c":true,"z":[3,{"x":null,"y":"货物"}]},"b":1}"#);
    }

    #[test]
    fn secrets_stay_out_of_debug() {
        let pair = KeyPair::from_seed(office(), &[9; 32]);
        let shown = format!("{pair:?}");
        assert!(!shown.contains(&hex::encode(pair.seed())));
        assert!(shown.contains(pair.key_id()));
    }
}
