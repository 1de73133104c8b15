//! GACC cross-border e-commerce messages (CEB, 海关跨境统一版系统企业对接报文规范,
//! Announcement 2018 No. 113 and its 2022-05 revision).
//!
//! Reading the import messages with validation against the element rules of `import.xsd`
//! (2018) — order `CEB311`, payment `CEB411`, waybill `CEB511`, inventory list `CEB621` — and
//! writing their receipts (`CEB312`, `CEB412`, `CEB512`, `CEB622`). The schemas and official
//! samples are vendored in `data/ceb/` and used as test fixtures.

mod common;
pub mod convert;
mod fields;
pub mod inventory;
pub mod logistics;
pub mod order;
pub mod payment;
pub mod receipt;
mod tree;

#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_orders;

pub use inventory::{parse_ceb621, BaseTransfer, Ceb621Message, Inventory, InventoryHead, InventoryItem};
pub use logistics::{parse_ceb511, write_ceb512, Ceb511Message, LogisticsHead, LogisticsReturn};
pub use order::{parse_ceb311, write_ceb312, Ceb311Message, Order, OrderHead, OrderItem, OrderReturn};
pub use payment::{parse_ceb411, write_ceb412, Ceb411Message, PaymentHead, PaymentReturn};
pub use receipt::{write_ceb622, InventoryReturn};

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
/// `length`, `max_length`, `decimal`, `digits`, `integer`, `fixed`, `enumeration`,
/// `max_occurs`, `unexpected`, `order`, `duplicate`.
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
