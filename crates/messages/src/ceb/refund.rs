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
//! table (计量单位代码, `guomen-reference`). The head is CEB623's [`InvtRequest`]. Values are trimmed and an empty optional element
//! counts as absent. Not checked: the signature, `BaseSubscribe`, `ExtendMessage`;
//! `BaseTransfer` is accepted as absent.

use rust_decimal::Decimal;

use super::cancel::{InvtRequest, REQUEST_RETURN};
use super::fields::{len, s, Table, DEC, INT};
use super::message::{kind, Doc, Spec, MAX_LINES};
use super::schema::group;

kind! {
    /// `CEB625` as a type: the request head and the goods lines returned.
    Ceb625 => Ceb625Message, parse_ceb625: InvtRequest, InvtRefundItem;
    Spec::new("CEB625Message", "InvtRefund", Some("InvtRefundHead"))
        .lines("InvtRefundList", MAX_LINES)
        .receipt("CEB626Message", "InvtRefundReturn", REQUEST_RETURN)
        .senders(&["agentCode", "ebcCode", "ebpCode"])
}

/// One `InvtRefund`: the head and the goods lines being returned.
pub type InvtRefund = Doc<Ceb625>;
/// `InvtRefundHead` (退货申请单表头).
pub type InvtRefundHead = InvtRequest;

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
