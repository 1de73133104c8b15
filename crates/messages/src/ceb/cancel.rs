//! `CEB623Message` — the inventory cancellation request (撤销申请单) sent by the e-commerce
//! company or its agent to withdraw an accepted inventory list — and its receipt
//! `CEB624Message` (`InvtCancelReturn`).
//!
//! Element names, order, `minOccurs`, lengths and the 1–100 `InvtCancel` elements follow
//! `CEB623Message`, `InvtCancel` and `InvtCancelReturn` in `data/ceb/2018/xsd/import.xsd`
//! (identical in the 2022-05 revision). `InvtCancel` has no head/list split: its fields sit
//! directly in it. They are the same elements as `InvtRefundHead` of the return request
//! (CEB625), so one group, [`InvtRequest`], serves both. The code lists written in the
//! documentation are enforced as `enumeration`: appType only 1 (新增; a cancellation is never
//! changed or deleted) and buyerIdType 1/2. Values are trimmed and an empty optional element
//! counts as absent. Not checked: the signature, `BaseSubscribe`, `ExtendMessage`;
//! `BaseTransfer` is accepted as absent.

use super::fields::{len, s, ID_TYPES};
use super::kind::MessageKind;
use super::message::{Kind, Message, NoLines, Spec};
use super::receipt::{Fill, GUID};
use super::schema::group;
use super::CebError;

/// `CEB623` as a type: one [`InvtCancel`] per element, no lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ceb623;

impl Kind for Ceb623 {
    const KIND: MessageKind = MessageKind::Ceb623;
    const SPEC: Spec = Spec::new("CEB623Message", "InvtCancel", None)
        .receipt("CEB624Message", "InvtCancelReturn", REQUEST_RETURN)
        .senders(&["agentCode", "ebcCode", "ebpCode"]);
    type Head = InvtRequest;
    type Line = NoLines;
}

/// `InvtCancelReturn` and `InvtRefundReturn`: `customsCode` 4, `agentCode`/`ebpCode`/`ebcCode`
/// 1–18, `copNo` 1–20, `preNo` and `invtNo` exactly 18 (the request's invtNo may have 1–18
/// characters and is echoed only when it has 18; the official CEB625 sample's has 17).
pub(crate) const REQUEST_RETURN: &[(&str, Fill)] = &[
    GUID,
    ("customsCode", Fill::Opt(4, 4)),
    ("agentCode", Fill::Opt(1, 18)),
    ("ebpCode", Fill::Opt(1, 18)),
    ("ebcCode", Fill::Opt(1, 18)),
    ("copNo", Fill::CopNo),
    ("preNo", Fill::PreNo),
    ("invtNo", Fill::InvtNo),
];

/// A whole `CEB623Message`; each document's `head` is its `InvtCancel`.
pub type Ceb623Message = Message<Ceb623>;
/// `InvtCancel` (撤销申请单): a request to cancel one inventory list.
pub type InvtCancel = InvtRequest;

/// Reads and validates a `CEB623Message`, returning every problem found (malformed XML,
/// a wrong root or namespace is a single error).
pub fn parse_ceb623(xml: &[u8]) -> Result<Ceb623Message, Vec<CebError>> {
    Message::read(xml)
}

group! {
    /// A request about an accepted inventory list: `InvtCancel` (撤销申请单, CEB623) or
    /// `InvtRefundHead` (退货申请单表头, CEB625), which have the same elements. The appType
    /// code list here is the cancellation's (1 only).
    pub struct InvtRequest {
        guid: String = "guid" len(36),
        app_type: String = "appType" len(1).one_of(&["1"]),
        /// `YYYYMMDDhhmmss`.
        app_time: String = "appTime" len(14),
        /// `1` stored (暂存), `2` declared.
        app_status: String = "appStatus" s(1, 3),
        customs_code: String = "customsCode" len(4),
        order_no: String = "orderNo" s(1, 60),
        ebp_code: String = "ebpCode" s(1, 18),
        ebp_name: String = "ebpName" s(1, 100),
        ebc_code: String = "ebcCode" s(1, 18),
        ebc_name: String = "ebcName" s(1, 100),
        logistics_no: String = "logisticsNo" s(1, 60),
        logistics_code: String = "logisticsCode" s(1, 18),
        logistics_name: String = "logisticsName" s(1, 100),
        cop_no: Option<String> = "copNo" s(0, 20),
        pre_no: Option<String> = "preNo" s(0, 18),
        /// Number of the inventory list the request concerns.
        invt_no: String = "invtNo" s(1, 18),
        buyer_id_type: String = "buyerIdType" len(1).one_of(ID_TYPES),
        buyer_id_number: String = "buyerIdNumber" s(1, 60),
        buyer_name: String = "buyerName" s(1, 60),
        buyer_telephone: String = "buyerTelephone" s(1, 30),
        agent_code: String = "agentCode" s(1, 18),
        agent_name: String = "agentName" s(1, 100),
        /// Why the list is cancelled or the goods returned.
        reason: String = "reason" s(1, 1000),
        note: Option<String> = "note" s(0, 1000),
    }
}
