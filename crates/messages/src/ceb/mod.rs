//! GACC cross-border e-commerce messages (CEB, 海关跨境统一版系统企业对接报文规范,
//! Announcement 2018 No. 113 and its 2022-05 revision).
//!
//! Reading the import messages with validation against the element rules of `import.xsd`
//! (2018) — order `CEB311`, payment `CEB411`, waybill `CEB511`, inventory list `CEB621`,
//! inventory cancellation `CEB623`, return request `CEB625`, delivery list `CEB711` — and
//! writing their receipts (`CEB312`, `CEB412`, `CEB512`, `CEB622`, `CEB624`, `CEB626`,
//! `CEB712`). Country and unit codes are checked against the customs parameter tables of
//! `guomen-reference`. [`message_kind`] tells from the root element which message a document
//! is, without reading the rest. A message that breaks the XSD rules is answered by
//! [`negative_receipt`]: its receipt with a negative `returnStatus` (处理异常回执) and the
//! errors in `returnInfo`. The schemas and official samples are vendored in `data/ceb/` and
//! used as test fixtures.
//!
//! # How a message is described once
//!
//! Each message module (`order.rs` for CEB311, …, `delivery.rs` for CEB711) holds the whole
//! description of its message and nothing else:
//!
//! - its element groups, declared with `group!` ([`schema`]): one line per element gives the
//!   struct field, the XSD rule (order, `minOccurs` from the Rust type, length, digits, fixed
//!   value, code list, parameter table), the reader, the writer and the look-up by element
//!   name;
//! - a type for the kind (`Ceb311`) implementing [`Kind`]: its head and line groups and its
//!   [`Spec`] — wrapper, head and line element names, one document or up to 100, the receipt's
//!   names, the fields it echoes and how ([`Fill`]), and which enterprises a document names may
//!   send it.
//!
//! Everything else is generic over [`Kind`]: [`Message`] (root attributes, documents,
//! `BaseTransfer`) is read, checked and written by one piece of code (`message.rs`), and every
//! receipt, normal or negative, by another (`receipt.rs`, one row type [`Return`]). The seven
//! kinds are listed once (`kind.rs`): [`MessageKind`] and [`CebMessage`], with the one match
//! that turns a kind into its reader and a parsed message into the generic operations.
//! `convert.rs` maps the four documents customs keeps to and from the domain's, naming each
//! shared field once for both directions; `compose.rs` writes messages from them.

pub mod cancel;
pub mod compose;
pub mod convert;
pub mod delivery;
mod fields;
pub mod inventory;
mod kind;
pub mod logistics;
mod message;
pub mod order;
pub mod payment;
mod receipt;
pub mod refund;
pub mod schema;
mod tree;

#[cfg(test)]
mod test_support;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_cancel;
#[cfg(test)]
mod tests_codes;
#[cfg(test)]
mod tests_compose;
#[cfg(test)]
mod tests_delivery;
#[cfg(test)]
mod tests_golden;
#[cfg(test)]
mod tests_negative;
#[cfg(test)]
mod tests_orders;
#[cfg(test)]
mod tests_refund;

pub use cancel::{parse_ceb623, Ceb623, Ceb623Message, InvtCancel, InvtRequest};
pub use delivery::{parse_ceb711, Ceb711, Ceb711Message, Delivery, DeliveryHead, DeliveryItem};
pub use fields::{Field, Rule, Shape, Simple, Table};
pub use inventory::{parse_ceb621, Ceb621, Ceb621Message, Inventory, InventoryHead, InventoryItem};
pub use kind::{message_kind, CebMessage, MessageKind, Root};
pub use logistics::{parse_ceb511, Ceb511, Ceb511Message, Logistics, LogisticsHead};
pub use message::{BaseTransfer, Doc, Kind, Message, NoLines, Outline, Spec};
pub use order::{parse_ceb311, Ceb311, Ceb311Message, Order, OrderHead, OrderItem};
pub use payment::{parse_ceb411, Ceb411, Ceb411Message, Payment, PaymentHead};
pub use receipt::{negative_receipt, Answer, Fill, Receipt, Return};
pub use refund::{parse_ceb625, Ceb625, Ceb625Message, InvtRefund, InvtRefundHead, InvtRefundItem};

/// Namespace of every CEB message element.
pub const NAMESPACE: &str = "http://www.chinaport.gov.cn/ceb";

/// Deepest element nesting accepted; the root element is depth 1.
pub use crate::xml::MAX_DEPTH;

/// One problem found in a CEB message.
///
/// `path` is relative to the root element, slash-separated with 0-based indexes for
/// repeated elements, e.g. `Inventory[0]/InventoryHead/buyerIdNumber`, `@guid` for a root
/// attribute, the root name for a wrong root or namespace, and empty for document-level
/// problems (`malformed`, `encoding`).
///
/// `rule` is one of the refusal catalogue's (`guomen_domain::Rule`): `malformed`, `encoding`,
/// `wrong_root`, `wrong_namespace`, `required`, `length`, `max_length`, `decimal`, `digits`,
/// `integer`, `fixed`, `enumeration` (a documented code list or a customs parameter table),
/// `max_occurs`, `unexpected`, `order`, `duplicate`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CebError {
    pub path: String,
    pub rule: guomen_domain::Rule,
    /// English message.
    pub en: String,
    /// Chinese message.
    pub zh: String,
}

impl CebError {
    pub(crate) fn new(path: impl Into<String>, rule: guomen_domain::Rule, en: String, zh: String) -> Self {
        CebError { path: path.into(), rule, en, zh }
    }
}

impl std::fmt::Display for CebError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.path.is_empty() {
            write!(f, "{} ({})", self.en, self.rule)
        } else {
            write!(f, "{}: {} ({})", self.path, self.en, self.rule)
        }
    }
}

impl std::error::Error for CebError {}
