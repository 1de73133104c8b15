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

use quick_xml::events::Event;
use quick_xml::name::ResolveResult;
use quick_xml::NsReader;

pub mod cancel;
mod common;
pub mod compose;
pub mod convert;
pub mod delivery;
mod fields;
pub mod inventory;
pub mod logistics;
mod negative;
pub mod order;
pub mod payment;
pub mod receipt;
pub mod refund;
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
mod tests_negative;
#[cfg(test)]
mod tests_orders;
#[cfg(test)]
mod tests_refund;

pub use cancel::{parse_ceb623, write_ceb624, Ceb623Message, InvtCancel, InvtCancelReturn};
pub use delivery::{parse_ceb711, write_ceb712, Ceb711Message, DeliveryHead, DeliveryItem, DeliveryReturn};
pub use inventory::{parse_ceb621, BaseTransfer, Ceb621Message, Inventory, InventoryHead, InventoryItem};
pub use logistics::{parse_ceb511, write_ceb512, Ceb511Message, LogisticsHead, LogisticsReturn};
pub use negative::negative_receipt;
pub use order::{parse_ceb311, write_ceb312, Ceb311Message, Order, OrderHead, OrderItem, OrderReturn};
pub use payment::{parse_ceb411, write_ceb412, Ceb411Message, PaymentHead, PaymentReturn};
pub use receipt::{write_ceb622, InventoryReturn};
pub use refund::{parse_ceb625, write_ceb626, Ceb625Message, InvtRefund, InvtRefundHead, InvtRefundItem, InvtRefundReturn};

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
/// `rule` is one of: `malformed`, `encoding`, `wrong_root`, `wrong_namespace`, `required`,
/// `length`, `max_length`, `decimal`, `digits`, `integer`, `fixed`, `enumeration` (a
/// documented code list or a customs parameter table), `max_occurs`, `unexpected`, `order`,
/// `duplicate`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CebError {
    pub path: String,
    pub rule: &'static str,
    /// English message.
    pub en: String,
    /// Chinese message.
    pub zh: String,
}

impl CebError {
    pub(crate) fn new(path: impl Into<String>, rule: &'static str, en: String, zh: String) -> Self {
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

/// Which CEB message a document is, by its root element in the CEB namespace.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MessageKind {
    /// `CEB311Message`, import order ([`parse_ceb311`]).
    Ceb311,
    /// `CEB411Message`, payment voucher ([`parse_ceb411`]).
    Ceb411,
    /// `CEB511Message`, waybill ([`parse_ceb511`]).
    Ceb511,
    /// `CEB621Message`, import inventory list ([`parse_ceb621`]).
    Ceb621,
    /// `CEB623Message`, inventory cancellation request ([`parse_ceb623`]).
    Ceb623,
    /// `CEB625Message`, return request ([`parse_ceb625`]).
    Ceb625,
    /// `CEB711Message`, delivery list ([`parse_ceb711`]).
    Ceb711,
    /// Any other root element in the CEB namespace — a receipt such as `CEB312Message`, or
    /// a message Guomen does not read; holds the root's local name.
    Other(String),
}

const KINDS: [(MessageKind, &str); 7] = [
    (MessageKind::Ceb311, "CEB311Message"),
    (MessageKind::Ceb411, "CEB411Message"),
    (MessageKind::Ceb511, "CEB511Message"),
    (MessageKind::Ceb621, "CEB621Message"),
    (MessageKind::Ceb623, "CEB623Message"),
    (MessageKind::Ceb625, "CEB625Message"),
    (MessageKind::Ceb711, "CEB711Message"),
];

impl MessageKind {
    /// The root element's local name, e.g. `CEB621Message`.
    pub fn root_name(&self) -> &str {
        match self {
            MessageKind::Other(name) => name,
            kind => KINDS.iter().find(|(k, _)| k == kind).map_or("", |(_, name)| name),
        }
    }

    fn from_root(name: &str) -> MessageKind {
        KINDS.iter().find(|(_, n)| *n == name).map_or_else(|| MessageKind::Other(name.to_string()), |(k, _)| k.clone())
    }
}

/// Tells which CEB message `xml` is from its root element, reading nothing after the root's
/// start tag (the rest of the document is not checked). The prolog is held to the same
/// rules as the parsers: UTF-8 (a leading BOM is skipped), no DOCTYPE, only whitespace,
/// comments and processing instructions before the root. Errors: `malformed`, `encoding`,
/// and `wrong_namespace` (path: the root's local name) when the root is not in [`NAMESPACE`].
/// A root in the CEB namespace that Guomen does not read is [`MessageKind::Other`].
pub fn message_kind(xml: &[u8]) -> Result<MessageKind, CebError> {
    let bom = if xml.starts_with(b"\xEF\xBB\xBF") { 3 } else { 0 };
    let body = &xml[bom..];
    // An error up to `offset` is an encoding error if the bytes before it are not UTF-8.
    let fail = |offset: usize, message: &str| -> CebError {
        let prefix = &body[..offset.min(body.len())];
        match std::str::from_utf8(prefix) {
            Err(e) => tree::not_utf8(bom + e.valid_up_to()),
            Ok(text) => {
                let (line, column) = crate::xml::line_column(text, text.len());
                tree::malformed(line, column, message)
            }
        }
    };
    let mut reader = NsReader::from_reader(body);
    loop {
        let start = usize::try_from(reader.buffer_position()).unwrap_or(usize::MAX);
        let event = match reader.read_event() {
            Ok(event) => event,
            Err(err) => {
                let at = usize::try_from(reader.error_position()).unwrap_or(usize::MAX);
                return Err(fail(at, &crate::xml::describe_error(&err)));
            }
        };
        let e = match event {
            Event::Start(e) | Event::Empty(e) => e,
            Event::Decl(_) | Event::PI(_) | Event::Comment(_) => continue,
            Event::Text(t) if t.iter().all(u8::is_ascii_whitespace) => continue,
            Event::Text(_) | Event::CData(_) => return Err(fail(start, "text before the root element")),
            Event::DocType(_) => return Err(fail(start, "DOCTYPE declarations are not accepted (no DTDs or entity declarations)")),
            Event::End(_) => return Err(fail(start, "unexpected end tag")),
            Event::Eof => return Err(fail(body.len(), "no root element")),
        };
        let end = usize::try_from(reader.buffer_position()).unwrap_or(usize::MAX);
        if let Err(err) = std::str::from_utf8(&body[..end.min(body.len())]) {
            return Err(tree::not_utf8(bom + err.valid_up_to()));
        }
        for attr in e.attributes() {
            if let Err(err) = attr {
                let (pos, message) = crate::xml::describe_attr_error(&err);
                return Err(fail(start + 1 + pos, &message));
            }
        }
        let (resolved, local) = reader.resolve_element(e.name());
        let name = String::from_utf8_lossy(local.as_ref()).into_owned();
        let found = match resolved {
            ResolveResult::Bound(ns) if ns.as_ref() == NAMESPACE.as_bytes() => return Ok(MessageKind::from_root(&name)),
            ResolveResult::Bound(ns) => String::from_utf8_lossy(ns.as_ref()).into_owned(),
            ResolveResult::Unbound => "none".to_string(),
            ResolveResult::Unknown(prefix) => {
                return Err(fail(start, &format!("namespace prefix '{}' is not declared", String::from_utf8_lossy(&prefix))))
            }
        };
        return Err(CebError::new(
            &name,
            "wrong_namespace",
            format!("{name} must be in namespace {NAMESPACE}, found {found}"),
            format!("{name} 的命名空间必须是 {NAMESPACE}，实际为 {found}"),
        ));
    }
}
