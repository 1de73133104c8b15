//! GACC cross-border e-commerce messages (CEB, 海关跨境统一版系统企业对接报文规范,
//! Announcement 2018 No. 113 and its 2022-05 revision).
//!
//! Currently: reading the import inventory list `CEB621Message` ([`parse_ceb621`]) with
//! validation against the element rules of `import.xsd` (2018), and writing its receipt
//! `CEB622Message` ([`write_ceb622`]). The schemas and official samples are vendored in
//! `data/ceb/` and used as test fixtures.

mod fields;
pub mod inventory;
pub mod receipt;
mod tree;

#[cfg(test)]
mod tests;

pub use inventory::{parse_ceb621, BaseTransfer, Ceb621Message, Inventory, InventoryHead, InventoryItem};
pub use receipt::{write_ceb622, InventoryReturn};

/// Namespace of every CEB message element.
pub const NAMESPACE: &str = "http://www.chinaport.gov.cn/ceb";

/// Deepest element nesting accepted; the root element is depth 1.
pub const MAX_DEPTH: usize = 32;

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
