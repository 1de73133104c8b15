//! 单证验真 — documents anyone can verify: a number, a canonical content and a signature.
//!
//! Every document Guomen issues (a certificate of origin, a phytosanitary certificate; notices
//! and reports later) says what it says as a JSON value, its **content**. What is signed is the
//! canonical bytes of `{"kind", "number", "content"}` ([`canonical`]: keys sorted, no
//! whitespace), with the issuing office's key and the [`DOCUMENT`] purpose. The signature
//! therefore covers what the document says, not how one copy of it is laid out: the XML of a
//! phytosanitary certificate, the JSON the public endpoint serves and a printed PDF all carry
//! the same content and the same signature, and each is verified by reducing it to the
//! content again. A document whose content differs by one character fails.
//!
//! Whether a document is still valid (replaced, withdrawn) is not part of what was signed: it
//! changes after issue and is answered by the registry (`GET /api/v1/public/documents/{number}`).
//!
//! Pure: [`verify`] needs the public key set alone, so the command line, the public page and a
//! PDF reader all call the same function.

use crate::signing::{KeyPair, Owner, PublicKey, PublicKeySet, VerifyError, DOCUMENT};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

/// What kind of document a number names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DocumentKind {
    /// 原产地证书
    CertificateOfOrigin,
    /// 植物检疫证书 (or a re-export certificate)
    PhytosanitaryCertificate,
}

impl DocumentKind {
    pub const ALL: [DocumentKind; 2] = [DocumentKind::CertificateOfOrigin, DocumentKind::PhytosanitaryCertificate];

    pub fn as_str(self) -> &'static str {
        match self {
            DocumentKind::CertificateOfOrigin => "certificate-of-origin",
            DocumentKind::PhytosanitaryCertificate => "phytosanitary-certificate",
        }
    }

    pub fn parse(s: &str) -> Option<DocumentKind> {
        DocumentKind::ALL.into_iter().find(|k| k.as_str() == s.trim())
    }

    pub fn name_zh(self) -> &'static str {
        match self {
            DocumentKind::CertificateOfOrigin => "原产地证书",
            DocumentKind::PhytosanitaryCertificate => "植物检疫证书",
        }
    }

    pub fn name_en(self) -> &'static str {
        match self {
            DocumentKind::CertificateOfOrigin => "certificate of origin",
            DocumentKind::PhytosanitaryCertificate => "phytosanitary certificate",
        }
    }
}

/// The signature a document was issued with: the key that made it and the 64 bytes, base64.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DocumentSignature {
    pub key_id: String,
    pub signature: String,
}

/// The bytes signed for document `number` of `kind` saying `content`.
pub fn canonical(kind: DocumentKind, number: &str, content: &Value) -> Vec<u8> {
    crate::signing::canonical_json(&json!({ "kind": kind.as_str(), "number": number, "content": content }))
}

/// Signs the document with `key` (the issuing office's active key). Deterministic (RFC 8032).
pub fn sign(key: &KeyPair, kind: DocumentKind, number: &str, content: &Value) -> DocumentSignature {
    let sig = key.sign(DOCUMENT, &canonical(kind, number, content));
    DocumentSignature { key_id: sig.key_id.clone(), signature: sig.to_base64() }
}

/// A document as it travels: what the public endpoint serves and `guomen verify-document` reads
/// (other fields of that answer, such as its status, are ignored here).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SignedDocument {
    pub kind: DocumentKind,
    pub number: String,
    pub content: Value,
    pub key_id: String,
    pub signature: String,
}

/// Why a document is not what its issuer signed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DocumentError {
    #[error(transparent)]
    Signature(#[from] VerifyError),
    /// Signed by a key that is not an issuing office's (the journal's key signs checkpoints).
    #[error("key {0} is not an issuing office's key")]
    NotAnOffice(String),
    /// The key belongs to another office than the one the document names as its issuer.
    #[error("the document names office {office} as its issuer, but key {key_id} is office {owner}'s")]
    WrongOffice { office: String, key_id: String, owner: String },
}

impl DocumentError {
    /// The reason in Chinese.
    pub fn zh(&self) -> String {
        match self {
            DocumentError::Signature(VerifyError::UnknownKey(k)) => format!("公钥集中没有密钥 {k}"),
            DocumentError::Signature(VerifyError::Malformed(m)) => format!("签名或公钥格式不正确：{m}"),
            DocumentError::Signature(VerifyError::Mismatch(k)) => format!("签名与内容及密钥 {k} 不符：单证内容已被改动，或由其他密钥签名"),
            DocumentError::NotAnOffice(k) => format!("密钥 {k} 不是签证机构的密钥"),
            DocumentError::WrongOffice { office, key_id, owner } => {
                format!("单证载明的签证机构为 {office}，但密钥 {key_id} 属于 {owner}")
            }
        }
    }
}

/// Checks that `doc` is what an issuing office signed: its signature verifies over its
/// canonical content with the key it names, from `keys` alone, and that key is an office's —
/// `office`'s when the caller knows which office the document names as its issuer. Answers the
/// key that signed it.
pub fn verify<'k>(keys: &'k PublicKeySet, doc: &SignedDocument, office: Option<&str>) -> Result<&'k PublicKey, DocumentError> {
    verify_bytes(keys, &canonical(doc.kind, &doc.number, &doc.content), &doc.key_id, &doc.signature, office)
}

/// Checks a signature over canonical bytes as [`canonical`] makes them (what a printed copy
/// carries).
pub fn verify_bytes<'k>(
    keys: &'k PublicKeySet,
    canonical: &[u8],
    key_id: &str,
    signature: &str,
    office: Option<&str>,
) -> Result<&'k PublicKey, DocumentError> {
    let key = keys.verify(key_id, DOCUMENT, canonical, signature)?;
    match &key.owner {
        Owner::Journal => Err(DocumentError::NotAnOffice(key.key_id.clone())),
        Owner::Office(o) => match office {
            Some(named) if named != o.as_str() => {
                Err(DocumentError::WrongOffice { office: named.to_owned(), key_id: key.key_id.clone(), owner: o.to_string() })
            }
            _ => Ok(key),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::signing::PublicKey;

    fn office(code: &str) -> Owner {
        Owner::parse(code).unwrap()
    }

    fn set(pairs: &[&KeyPair]) -> PublicKeySet {
        PublicKeySet { keys: pairs.iter().map(|p| PublicKey::of(p, "2026-03-01T00:00:00Z".into(), None)).collect() }
    }

    fn doc(pair: &KeyPair, content: Value) -> SignedDocument {
        let sig = sign(pair, DocumentKind::PhytosanitaryCertificate, "P202622010000001", &content);
        SignedDocument {
            kind: DocumentKind::PhytosanitaryCertificate,
            number: "P202622010000001".into(),
            content,
            key_id: sig.key_id,
            signature: sig.signature,
        }
    }

    #[test]
    fn a_document_verifies_with_the_public_keys_alone() {
        let pair = KeyPair::from_seed(office("2201"), &[5; 32]);
        let d = doc(&pair, json!({ "consignee": { "name": "株式会社 東京種苗" }, "lines": [{ "net_weight": "1000.00" }] }));
        let keys = set(&[&pair]);
        assert_eq!(verify(&keys, &d, Some("2201")).unwrap().key_id, pair.key_id());
        // Through JSON and back (as `guomen verify-document` reads it): still verifies.
        let text = serde_json::to_string_pretty(&d).unwrap();
        let read: SignedDocument = serde_json::from_str(&text).unwrap();
        verify(&keys, &read, None).unwrap();
    }

    #[test]
    fn one_character_altered_fails() {
        let pair = KeyPair::from_seed(office("2201"), &[5; 32]);
        let keys = set(&[&pair]);
        let mut d = doc(&pair, json!({ "lines": [{ "net_weight": "1000.00" }] }));
        d.content["lines"][0]["net_weight"] = json!("1000.01");
        assert!(matches!(verify(&keys, &d, None), Err(DocumentError::Signature(VerifyError::Mismatch(_)))));
        // The number and the kind are signed too.
        let mut d = doc(&pair, json!({}));
        d.number = "P202622010000002".into();
        assert!(verify(&keys, &d, None).is_err());
        let mut d = doc(&pair, json!({}));
        d.kind = DocumentKind::CertificateOfOrigin;
        assert!(verify(&keys, &d, None).is_err());
    }

    #[test]
    fn a_wrong_key_or_office_fails() {
        let signer = KeyPair::from_seed(office("2201"), &[5; 32]);
        let other = KeyPair::from_seed(office("2201"), &[6; 32]);
        let d = doc(&signer, json!({ "x": 1 }));
        // A key set without the signer's key.
        assert!(matches!(verify(&set(&[&other]), &d, None), Err(DocumentError::Signature(VerifyError::UnknownKey(_)))));
        // The signer's key, but the document names another office as its issuer.
        assert!(matches!(verify(&set(&[&signer]), &d, Some("4201")), Err(DocumentError::WrongOffice { .. })));
        // The journal's key never signs documents.
        let journal = KeyPair::from_seed(Owner::Journal, &[7; 32]);
        let d = doc(&journal, json!({ "x": 1 }));
        assert!(matches!(verify(&set(&[&journal]), &d, None), Err(DocumentError::NotAnOffice(_))));
        assert!(!DocumentError::NotAnOffice("k".into()).zh().is_empty());
    }

    #[test]
    fn the_canonical_bytes_do_not_depend_on_key_order() {
        let a = json!({ "b": "2", "a": ["x", { "d": null, "c": "货" }] });
        let b: Value = serde_json::from_str(r#"{"a":["x",{"c":"货","d":null}],"b":"2"}"#).unwrap();
        assert_eq!(canonical(DocumentKind::CertificateOfOrigin, "n", &a), canonical(DocumentKind::CertificateOfOrigin, "n", &b));
    }
}
