//! A CEB message as read at the edge: which documents it carries, who it names, which of them
//! are declared (appStatus 2) and go to the write path.

use guomen_domain::ceb::RefundLine;
use guomen_domain::{FieldError, Refusal, RefusalKind, Rule};
use guomen_messages::ceb::{self, convert, CebError, CebMessage, Root};
use guomen_store::ceb::{CancelRequest, CebDocuments, DepartureRequest, RefundRequest};

/// A message read and checked against the XSD rules.
pub struct Parsed(CebMessage);

fn field_errors(errors: Vec<CebError>) -> Vec<FieldError> {
    errors.into_iter().map(|e| FieldError::new(e.path, e.rule, e.en, e.zh)).collect()
}

/// Why a message was not read: malformed or foreign documents are 400, rule breaks 422.
pub fn refusal(errors: Vec<CebError>) -> Refusal {
    // `malformed`, `encoding` and `wrong_namespace`: the catalogue answers them with 400.
    let unreadable = errors.iter().any(|e| e.rule.status() == RefusalKind::Malformed.http_status());
    let (kind, en, zh) = if unreadable {
        (RefusalKind::Malformed, "the message is not a well-formed CEB message", "报文不是格式正确的跨境电商报文")
    } else {
        (
            RefusalKind::Validation,
            "the message breaks the rules of the CEB schema; nothing was stored",
            "报文不符合跨境电商报文规范，未作任何处理",
        )
    };
    Refusal { kind, detail_en: en.into(), detail_zh: zh.into(), errors: field_errors(errors) }
}

/// A message that breaks the schema is refused; GACC's convention answers it with a receipt of
/// negative `returnStatus` (-1), which the problem document carries as `receipt` when one can be
/// written.
pub struct Unread {
    pub refusal: Refusal,
    pub receipt: Option<String>,
}

impl Parsed {
    pub fn read(xml: &[u8]) -> Result<Parsed, Unread> {
        Parsed::read_checked(xml).map_err(|(refusal, errors)| {
            let time = super::receipts::return_time((time::OffsetDateTime::now_utc().unix_timestamp_nanos() / 1_000_000) as i64);
            let receipt = if refusal.kind == RefusalKind::Validation { ceb::negative_receipt(xml, &errors, "-1", &time) } else { None };
            Unread { refusal, receipt }
        })
    }

    fn read_checked(xml: &[u8]) -> Result<Parsed, (Refusal, Vec<CebError>)> {
        let with = |errors: Vec<CebError>| (refusal(errors.clone()), errors);
        let kind = match ceb::message_kind(xml).map_err(|e| with(vec![e]))? {
            Root::Known(kind) => kind,
            Root::Other(root) => {
                return Err((
                    Refusal {
                        kind: RefusalKind::Validation,
                        detail_en: format!("{root} is not a message customs accepts here (CEB311, 411, 511, 621, 623, 625, 711)"),
                        detail_zh: format!("此处不受理 {root}（受理 CEB311、411、511、621、623、625、711）"),
                        errors: vec![FieldError::new(&root, Rule::WrongRoot, format!("{root} is not accepted"), format!("不受理 {root}"))],
                    },
                    Vec::new(),
                ))
            }
        };
        CebMessage::read(kind, xml).map(Parsed).map_err(with)
    }

    pub fn message(&self) -> &CebMessage {
        &self.0
    }

    pub fn guid(&self) -> &str {
        self.0.guid()
    }

    /// Per document: its path, its appStatus, and the enterprises it names that may send it.
    pub fn documents(&self) -> Vec<(String, &str, Vec<&str>)> {
        self.0.outlines().into_iter().map(|d| (d.path, d.app_status, d.senders)).collect()
    }

    /// The enterprise the message speaks for when no token says so (an operator's import):
    /// the first party the first document names.
    pub fn first_party(&self) -> String {
        self.documents().first().and_then(|d| d.2.first().map(|s| s.to_string())).unwrap_or_default()
    }

    /// Inventory lists' buyer identities (for the flood guard), with their paths.
    pub fn buyers(&self, declared: &[bool]) -> Vec<(String, String)> {
        match &self.0 {
            CebMessage::Ceb621(m) => m
                .documents
                .iter()
                .enumerate()
                .filter(|(i, _)| declared[*i])
                .map(|(i, v)| {
                    (
                        format!("Inventory[{i}]/InventoryHead/buyerIdNumber"),
                        format!("{}:{}", v.head.buyer_id_type, v.head.buyer_id_number.to_uppercase()),
                    )
                })
                .collect(),
            _ => Vec::new(),
        }
    }

    /// The declared documents, for the write path.
    pub fn to_store(&self, declared: &[bool]) -> CebDocuments {
        fn kept<'a, T>(documents: &'a [T], declared: &'a [bool]) -> impl Iterator<Item = &'a T> {
            documents.iter().zip(declared).filter(|(_, keep)| **keep).map(|(d, _)| d)
        }
        match &self.0 {
            CebMessage::Ceb311(m) => CebDocuments::Orders(kept(&m.documents, declared).map(convert::order_doc).collect()),
            CebMessage::Ceb411(m) => CebDocuments::Payments(kept(&m.documents, declared).map(convert::payment_doc).collect()),
            CebMessage::Ceb511(m) => CebDocuments::Waybills(kept(&m.documents, declared).map(convert::waybill_doc).collect()),
            CebMessage::Ceb621(m) => CebDocuments::Inventories(kept(&m.documents, declared).map(convert::inventory_doc).collect()),
            CebMessage::Ceb623(m) => CebDocuments::Cancels(
                kept(&m.documents, declared)
                    .map(|d| CancelRequest {
                        invt_no: Some(d.head.invt_no.clone()).filter(|n| !n.is_empty()),
                        ebp_code: d.head.ebp_code.clone(),
                        ebc_code: d.head.ebc_code.clone(),
                        order_no: d.head.order_no.clone(),
                        reason: d.head.reason.clone(),
                    })
                    .collect(),
            ),
            CebMessage::Ceb625(m) => CebDocuments::Refunds(
                kept(&m.documents, declared)
                    .map(|r| RefundRequest {
                        invt_no: Some(r.head.invt_no.clone()).filter(|n| !n.is_empty()),
                        ebp_code: r.head.ebp_code.clone(),
                        ebc_code: r.head.ebc_code.clone(),
                        order_no: r.head.order_no.clone(),
                        reason: r.head.reason.clone(),
                        lines: r.items.iter().map(|l| RefundLine { gnum: l.gnum, qty: l.qty }).collect(),
                    })
                    .collect(),
            ),
            CebMessage::Ceb711(m) => CebDocuments::Departures(
                kept(&m.documents, declared)
                    .map(|d| DepartureRequest {
                        delivery: d.head.rkd_no.clone().or_else(|| d.head.cop_no.clone()).unwrap_or_else(|| m.guid.clone()),
                        logistics_code: d.head.logistics_code.clone(),
                        logistics_nos: d.items.iter().map(|l| l.logistics_no.clone()).collect(),
                    })
                    .collect(),
            ),
        }
    }
}
