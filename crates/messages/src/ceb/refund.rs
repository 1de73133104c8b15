//! `CEB625Message` — the return request (退货申请单) for goods of an accepted inventory list,
//! sent by the e-commerce company or its agent — and its receipt `CEB626Message`
//! (`InvtRefundReturn`).
//!
//! Element names, order, `minOccurs`, lengths and digits follow `CEB625Message` (1–100
//! `InvtRefund`, each one `InvtRefundHead` and 1–99 `InvtRefundList`), `InvtRefundHead`,
//! `InvtRefundList` and `InvtRefundReturn` in `data/ceb/2018/xsd/import.xsd` (identical in the
//! 2022-05 revision). Enforced as `enumeration`: appType 1/2/3 (documented), buyerIdType 1/2
//! (documented for the same element of `InventoryHead` and `InvtCancel`; here the
//! documentation only names the field) and `InvtRefundList/unit` against the customs unit
//! table (计量单位代码, `guomen-reference`). The head is CEB623's [`InvtRequest`] read with this
//! appType list. Values are trimmed and an empty optional element
//! counts as absent. Not checked: the signature, `BaseSubscribe`, `ExtendMessage`;
//! `BaseTransfer` is accepted as absent.

use rust_decimal::Decimal;

use super::cancel::{InvtRequest, REQUEST_RETURN};
use super::fields::{len, s, with_codes, Field, Table, APP_TYPES, DEC, INT};
use super::kind::MessageKind;
use super::message::{Doc, Kind, Message, Spec, MAX_LINES};
use super::schema::{group, Group};
use super::CebError;

/// `CEB625` as a type: the request head and the goods lines returned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ceb625;

impl Kind for Ceb625 {
    const KIND: MessageKind = MessageKind::Ceb625;
    const SPEC: Spec = Spec::new("CEB625Message", "InvtRefund", Some("InvtRefundHead"))
        .lines("InvtRefundList", MAX_LINES)
        .receipt("CEB626Message", "InvtRefundReturn", REQUEST_RETURN)
        .senders(&["agentCode", "ebcCode", "ebpCode"]);
    type Head = InvtRequest;
    type Line = InvtRefundItem;
    const HEAD_FIELDS: &'static [Field] = &HEAD;
}

const HEAD: [Field; InvtRequest::FIELDS.len()] = with_codes(InvtRequest::FIELDS, "appType", APP_TYPES);

/// A whole `CEB625Message`.
pub type Ceb625Message = Message<Ceb625>;
/// One `InvtRefund`: the head and the goods lines being returned.
pub type InvtRefund = Doc<Ceb625>;
/// `InvtRefundHead` (退货申请单表头).
pub type InvtRefundHead = InvtRequest;

/// Reads and validates a `CEB625Message`, returning every problem found (malformed XML,
/// a wrong root or namespace is a single error).
pub fn parse_ceb625(xml: &[u8]) -> Result<Ceb625Message, Vec<CebError>> {
    Message::read(xml)
}

group! {
    /// `InvtRefundList` (退货申请单表体): one goods line being returned.
    pub struct InvtRefundItem {
        /// Line number (`gnum`) of the goods on the original inventory list.
        gnum: i32 = "gnum" INT,
        gcode: String = "gcode" len(10),
        gname: String = "gname" s(1, 250),
        /// Quantity returned, at most the declared quantity of the original line.
        qty: Decimal = "qty" DEC,
        unit: String = "unit" len(3).in_table(Table::Unit),
        note: Option<String> = "note" s(0, 1000),
    }
}
