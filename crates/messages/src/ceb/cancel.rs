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

use super::fields::{len, s, with_codes, Field};
use super::message::{kind, Spec};
use super::receipt::{Fill, GUID};
use super::schema::{group, Group};

kind! {
    /// `CEB623` as a type: one [`InvtCancel`] per element, no lines; appType may only be 1.
    Ceb623 => Ceb623Message, parse_ceb623: InvtRequest;
    Spec::new("CEB623Message", "InvtCancel", None)
        .receipt("CEB624Message", "InvtCancelReturn", REQUEST_RETURN)
        .senders(&["agentCode", "ebcCode", "ebpCode"]);
    rules &CANCEL
}

/// A cancellation is never changed or withdrawn: appType 1 (新增) only.
const CANCEL: [Field; InvtRequest::FIELDS.len()] = with_codes(InvtRequest::FIELDS, "appType", &["1"]);

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

/// `InvtCancel` (撤销申请单): a request to cancel one inventory list.
pub type InvtCancel = InvtRequest;

group! {
    /// A request about an accepted inventory list: `InvtCancel` (撤销申请单, CEB623) or
    /// `InvtRefundHead` (退货申请单表头, CEB625), which have the same elements. CEB623 reads it
    /// with appType 1 only.
    pub struct InvtRequest {
        ..document,
        customs_code: String = "customsCode" len(4),
        ..parties,
        ..waybill,
        cop_no: Option<String> = "copNo" s(0, 20),
        pre_no: Option<String> = "preNo" s(0, 18),
        /// Number of the inventory list the request concerns.
        invt_no: String = "invtNo" s(1, 18),
        ..buyer,
        agent_code: String = "agentCode" s(1, 18),
        agent_name: String = "agentName" s(1, 100),
        /// Why the list is cancelled or the goods returned.
        reason: String = "reason" s(1, 1000),
        note: Option<String> = "note" s(0, 1000),
    }
}
