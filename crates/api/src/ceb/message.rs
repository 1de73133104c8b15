//! A CEB message as read at the edge: which documents it carries, who it names, which of them
//! are declared (appStatus 2) and go to the write path.

use guomen_domain::ceb::RefundLine;
use guomen_domain::{FieldError, Refusal, RefusalKind};
use guomen_messages::ceb::{
    self, convert, Ceb311Message, Ceb411Message, Ceb511Message, Ceb621Message, Ceb623Message, Ceb625Message, Ceb711Message, CebError,
    MessageKind,
};
use guomen_store::ceb::{CancelRequest, CebDocuments, DepartureRequest, RefundRequest};

/// A message read and checked against the XSD rules.
pub enum Parsed {
    Orders(Ceb311Message),
    Payments(Ceb411Message),
    Waybills(Ceb511Message),
    Inventories(Ceb621Message),
    Cancels(Ceb623Message),
    Refunds(Ceb625Message),
    Delivery(Box<Ceb711Message>),
}

fn field_errors(errors: Vec<CebError>) -> Vec<FieldError> {
    errors.into_iter().map(|e| FieldError::new(e.path, e.rule, e.en, e.zh)).collect()
}

/// Why a message was not read: malformed or foreign documents are 400, rule breaks 422.
pub fn refusal(errors: Vec<CebError>) -> Refusal {
    let unreadable = errors.iter().any(|e| matches!(e.rule, "malformed" | "encoding" | "wrong_namespace"));
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
        let kind = ceb::message_kind(xml).map_err(|e| with(vec![e]))?;
        let parsed = match kind {
            MessageKind::Ceb311 => ceb::parse_ceb311(xml).map(Parsed::Orders),
            MessageKind::Ceb411 => ceb::parse_ceb411(xml).map(Parsed::Payments),
            MessageKind::Ceb511 => ceb::parse_ceb511(xml).map(Parsed::Waybills),
            MessageKind::Ceb621 => ceb::parse_ceb621(xml).map(Parsed::Inventories),
            MessageKind::Ceb623 => ceb::parse_ceb623(xml).map(Parsed::Cancels),
            MessageKind::Ceb625 => ceb::parse_ceb625(xml).map(Parsed::Refunds),
            MessageKind::Ceb711 => ceb::parse_ceb711(xml).map(|m| Parsed::Delivery(Box::new(m))),
            MessageKind::Other(root) => {
                return Err((
                    Refusal {
                        kind: RefusalKind::Validation,
                        detail_en: format!("{root} is not a message customs accepts here (CEB311, 411, 511, 621, 623, 625, 711)"),
                        detail_zh: format!("此处不受理 {root}（受理 CEB311、411、511、621、623、625、711）"),
                        errors: vec![FieldError::new(&root, "wrong_root", format!("{root} is not accepted"), format!("不受理 {root}"))],
                    },
                    Vec::new(),
                ))
            }
        };
        parsed.map_err(with)
    }

    pub fn guid(&self) -> &str {
        match self {
            Parsed::Orders(m) => &m.guid,
            Parsed::Payments(m) => &m.guid,
            Parsed::Waybills(m) => &m.guid,
            Parsed::Inventories(m) => &m.guid,
            Parsed::Cancels(m) => &m.guid,
            Parsed::Refunds(m) => &m.guid,
            Parsed::Delivery(m) => &m.guid,
        }
    }

    /// Per document: its path, its appStatus, and the enterprises it names that may send it.
    pub fn documents(&self) -> Vec<(String, &str, Vec<&str>)> {
        match self {
            Parsed::Orders(m) => m
                .orders
                .iter()
                .enumerate()
                .map(|(i, o)| {
                    (format!("Order[{i}]/OrderHead"), o.head.app_status.as_str(), vec![o.head.ebp_code.as_str(), &o.head.ebc_code])
                })
                .collect(),
            Parsed::Payments(m) => m
                .payments
                .iter()
                .enumerate()
                .map(|(i, p)| (format!("Payment[{i}]/PaymentHead"), p.app_status.as_str(), vec![p.pay_code.as_str(), &p.ebp_code]))
                .collect(),
            Parsed::Waybills(m) => m
                .waybills
                .iter()
                .enumerate()
                .map(|(i, w)| (format!("Logistics[{i}]/LogisticsHead"), w.app_status.as_str(), vec![w.logistics_code.as_str()]))
                .collect(),
            Parsed::Inventories(m) => m
                .inventories
                .iter()
                .enumerate()
                .map(|(i, v)| {
                    let h = &v.head;
                    (format!("Inventory[{i}]/InventoryHead"), h.app_status.as_str(), vec![h.agent_code.as_str(), &h.ebc_code, &h.ebp_code])
                })
                .collect(),
            Parsed::Cancels(m) => m
                .cancels
                .iter()
                .enumerate()
                .map(|(i, c)| (format!("InvtCancel[{i}]"), c.app_status.as_str(), vec![c.agent_code.as_str(), &c.ebc_code, &c.ebp_code]))
                .collect(),
            Parsed::Refunds(m) => m
                .refunds
                .iter()
                .enumerate()
                .map(|(i, r)| {
                    let h = &r.head;
                    (
                        format!("InvtRefund[{i}]/InvtRefundHead"),
                        h.app_status.as_str(),
                        vec![h.agent_code.as_str(), &h.ebc_code, &h.ebp_code],
                    )
                })
                .collect(),
            Parsed::Delivery(m) => {
                vec![(
                    "Delivery/DeliveryHead".into(),
                    m.head.app_status.as_str(),
                    vec![m.head.operator_code.as_str(), &m.head.logistics_code],
                )]
            }
        }
    }

    /// The enterprise the message speaks for when no token says so (an operator's import):
    /// the first party the first document names.
    pub fn first_party(&self) -> String {
        self.documents().first().and_then(|d| d.2.first().map(|s| s.to_string())).unwrap_or_default()
    }

    /// Inventory lists' buyer identities (for the flood guard), with their paths.
    pub fn buyers(&self, declared: &[bool]) -> Vec<(String, String)> {
        match self {
            Parsed::Inventories(m) => m
                .inventories
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
        let keep = |i: usize| declared[i];
        match self {
            Parsed::Orders(m) => {
                CebDocuments::Orders(m.orders.iter().enumerate().filter(|(i, _)| keep(*i)).map(|(_, o)| convert::order_doc(o)).collect())
            }
            Parsed::Payments(m) => CebDocuments::Payments(
                m.payments.iter().enumerate().filter(|(i, _)| keep(*i)).map(|(_, p)| convert::payment_doc(p)).collect(),
            ),
            Parsed::Waybills(m) => CebDocuments::Waybills(
                m.waybills.iter().enumerate().filter(|(i, _)| keep(*i)).map(|(_, w)| convert::waybill_doc(w)).collect(),
            ),
            Parsed::Inventories(m) => CebDocuments::Inventories(
                m.inventories.iter().enumerate().filter(|(i, _)| keep(*i)).map(|(_, v)| convert::inventory_doc(v)).collect(),
            ),
            Parsed::Cancels(m) => CebDocuments::Cancels(
                m.cancels
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| keep(*i))
                    .map(|(_, c)| CancelRequest {
                        invt_no: Some(c.invt_no.clone()).filter(|n| !n.is_empty()),
                        ebp_code: c.ebp_code.clone(),
                        ebc_code: c.ebc_code.clone(),
                        order_no: c.order_no.clone(),
                        reason: c.reason.clone(),
                    })
                    .collect(),
            ),
            Parsed::Refunds(m) => CebDocuments::Refunds(
                m.refunds
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| keep(*i))
                    .map(|(_, r)| RefundRequest {
                        invt_no: Some(r.head.invt_no.clone()).filter(|n| !n.is_empty()),
                        ebp_code: r.head.ebp_code.clone(),
                        ebc_code: r.head.ebc_code.clone(),
                        order_no: r.head.order_no.clone(),
                        reason: r.head.reason.clone(),
                        lines: r.items.iter().map(|l| RefundLine { gnum: l.gnum, qty: l.qty }).collect(),
                    })
                    .collect(),
            ),
            Parsed::Delivery(m) => CebDocuments::Departures(if keep(0) {
                vec![DepartureRequest {
                    delivery: m.head.rkd_no.clone().or_else(|| m.head.cop_no.clone()).unwrap_or_else(|| m.guid.clone()),
                    logistics_code: m.head.logistics_code.clone(),
                    logistics_nos: m.items.iter().map(|l| l.logistics_no.clone()).collect(),
                }]
            } else {
                Vec::new()
            }),
        }
    }
}
