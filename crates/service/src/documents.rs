//! 单证验真 — the public record of an issued document, by its number: what it says, whether it
//! is still valid, and the signature anyone can check with the public keys alone. The public
//! API answer (`GET /api/v1/public/documents/{number}`), the public page (`/verify/{number}`,
//! the address printed copies carry) and `guomen verify-document` all read it from here.
//!
//! Only issued documents are public; an application, or a certificate refused, is no document
//! and is not found. What is shown is what the document itself prints, nothing of the review or
//! of who applied.

use guomen_domain::document::{self, DocumentKind, SignedDocument};
use guomen_domain::origin::OriginStatus;
use guomen_domain::phyto::PhytoStatus;
use guomen_store::{Store, StoreError};
use serde::Serialize;
use serde_json::Value;

/// Whether a document is in force.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Standing {
    Valid,
    Replaced,
    Withdrawn,
}

impl Standing {
    pub fn as_str(self) -> &'static str {
        match self {
            Standing::Valid => "valid",
            Standing::Replaced => "replaced",
            Standing::Withdrawn => "withdrawn",
        }
    }

    pub fn name_zh(self) -> &'static str {
        match self {
            Standing::Valid => "有效",
            Standing::Replaced => "已被替换",
            Standing::Withdrawn => "已撤销",
        }
    }

    pub fn name_en(self) -> &'static str {
        match self {
            Standing::Valid => "valid",
            Standing::Replaced => "replaced",
            Standing::Withdrawn => "withdrawn",
        }
    }
}

/// A document as the public sees it. Serialized, it is what `guomen verify-document` reads: its
/// `kind`, `number`, `content`, `key_id` and `signature` are the signed document.
#[derive(Debug, Clone, Serialize)]
pub struct PublicDocument {
    pub kind: DocumentKind,
    pub number: String,
    pub status: Standing,
    /// The document that replaced this one.
    pub replaced_by: Option<String>,
    /// Why it was replaced or withdrawn.
    pub reason: Option<String>,
    /// The issuing office.
    pub office: String,
    pub issued_at: Option<String>,
    pub content: Value,
    pub key_id: String,
    pub signature: String,
    /// Whether the signature verifies with the office's public key, as this server checked it.
    pub signature_valid: bool,
    /// Where anyone can see this record (what printed copies carry).
    pub verify_url: String,
}

impl PublicDocument {
    pub fn signed(&self) -> SignedDocument {
        SignedDocument {
            kind: self.kind,
            number: self.number.clone(),
            content: self.content.clone(),
            key_id: self.key_id.clone(),
            signature: self.signature.clone(),
        }
    }
}

/// The public address of a document's record.
pub fn verify_url(number: &str) -> String {
    format!("/verify/{number}")
}

fn time(t: Option<time::OffsetDateTime>) -> Option<String> {
    t.and_then(|t| t.format(&time::format_description::well_known::Rfc3339).ok())
}

/// The public record of document `number`, None when there is no issued document of that number.
pub async fn find(store: &Store, number: &str) -> Result<Option<PublicDocument>, StoreError> {
    let number = number.trim();
    if number.is_empty() || number.len() > 64 {
        return Ok(None);
    }
    let found = if let Some(c) = store.phyto_certificate(number).await? {
        let status = match c.status {
            PhytoStatus::Issued => Standing::Valid,
            PhytoStatus::Replaced => Standing::Replaced,
            PhytoStatus::Withdrawn => Standing::Withdrawn,
            PhytoStatus::Applied | PhytoStatus::Refused => return Ok(None),
        };
        let Some(signed) = c.signed() else { return Ok(None) };
        let reason = (status != Standing::Valid).then(|| c.closing.as_ref().map(|x| x.reason.clone())).flatten();
        Some((signed, status, c.replaced_by.clone(), reason, c.application.office.to_string(), time(c.issued_at)))
    } else if let Some(c) = store.origin_certificate(number).await? {
        if c.status != OriginStatus::Issued {
            return Ok(None);
        }
        let Some(signed) = c.signed() else { return Ok(None) };
        Some((signed, Standing::Valid, None, None, c.application.office.to_string(), time(c.issued_at)))
    } else {
        None
    };
    let Some((signed, status, replaced_by, reason, office, issued_at)) = found else { return Ok(None) };
    let signature_valid = store.keyring().public_keys().is_ok_and(|keys| document::verify(&keys, &signed, Some(&office)).is_ok());
    Ok(Some(PublicDocument {
        kind: signed.kind,
        number: signed.number.clone(),
        status,
        replaced_by,
        reason,
        office,
        issued_at,
        content: signed.content,
        key_id: signed.key_id,
        signature: signed.signature,
        signature_valid,
        verify_url: verify_url(number),
    }))
}
