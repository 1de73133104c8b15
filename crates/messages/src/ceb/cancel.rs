//! `CEB623Message` — the inventory cancellation request (撤销申请单) sent by the e-commerce
//! company or its agent to withdraw an accepted inventory list — and its receipt
//! `CEB624Message` (`InvtCancelReturn`).
//!
//! Element names, order, `minOccurs`, lengths and the 1–100 `InvtCancel` elements follow
//! `CEB623Message`, `InvtCancel` and `InvtCancelReturn` in `data/ceb/2018/xsd/import.xsd`
//! (identical in the 2022-05 revision). `InvtCancel` has no head/list split: its fields sit
//! directly in it. The code lists written in the documentation are enforced as
//! `enumeration`: appType only 1 (新增; a cancellation is never changed or deleted) and
//! buyerIdType 1/2. Values are trimmed and an empty optional element counts as absent. Not
//! checked: the signature, `BaseSubscribe`, `ExtendMessage`; `BaseTransfer` is accepted as
//! absent.

use super::common::{base_transfer, read_group, read_root, root_attrs, wrappers, write_returns};
use super::fields::{len, s, Field};
use super::inventory::BaseTransfer;
use super::CebError;

const ROOT: &str = "CEB623Message";

/// A whole `CEB623Message`.
#[derive(Debug, Clone, PartialEq)]
pub struct Ceb623Message {
    pub guid: String,
    pub version: String,
    pub cancels: Vec<InvtCancel>,
    pub base_transfer: Option<BaseTransfer>,
}

/// `InvtCancel` (撤销申请单): a request to cancel one inventory list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvtCancel {
    pub guid: String,
    /// `1` (新增).
    pub app_type: String,
    /// `YYYYMMDDhhmmss`.
    pub app_time: String,
    /// `1` stored (暂存), `2` declared.
    pub app_status: String,
    pub customs_code: String,
    pub order_no: String,
    pub ebp_code: String,
    pub ebp_name: String,
    pub ebc_code: String,
    pub ebc_name: String,
    pub logistics_no: String,
    pub logistics_code: String,
    pub logistics_name: String,
    pub cop_no: Option<String>,
    pub pre_no: Option<String>,
    /// Number of the inventory list to cancel.
    pub invt_no: String,
    pub buyer_id_type: String,
    pub buyer_id_number: String,
    pub buyer_name: String,
    pub buyer_telephone: String,
    pub agent_code: String,
    pub agent_name: String,
    /// Why the inventory list is cancelled.
    pub reason: String,
    pub note: Option<String>,
}

const CANCEL: &[Field] = &[
    Field::req("guid", len(36)),
    Field::req("appType", len(1)).one_of(&["1"]),
    Field::req("appTime", len(14)),
    Field::req("appStatus", s(1, 3)),
    Field::req("customsCode", len(4)),
    Field::req("orderNo", s(1, 60)),
    Field::req("ebpCode", s(1, 18)),
    Field::req("ebpName", s(1, 100)),
    Field::req("ebcCode", s(1, 18)),
    Field::req("ebcName", s(1, 100)),
    Field::req("logisticsNo", s(1, 60)),
    Field::req("logisticsCode", s(1, 18)),
    Field::req("logisticsName", s(1, 100)),
    Field::opt("copNo", s(0, 20)),
    Field::opt("preNo", s(0, 18)),
    Field::req("invtNo", s(1, 18)),
    Field::req("buyerIdType", len(1)).one_of(&["1", "2"]),
    Field::req("buyerIdNumber", s(1, 60)),
    Field::req("buyerName", s(1, 60)),
    Field::req("buyerTelephone", s(1, 30)),
    Field::req("agentCode", s(1, 18)),
    Field::req("agentName", s(1, 100)),
    Field::req("reason", s(1, 1000)),
    Field::opt("note", s(0, 1000)),
];

/// Reads and validates a `CEB623Message`, returning every problem found (malformed XML,
/// a wrong root or namespace is a single error).
pub fn parse_ceb623(xml: &[u8]) -> Result<Ceb623Message, Vec<CebError>> {
    let root = read_root(xml, ROOT)?;
    let mut errors = Vec::new();
    let (guid, version) = root_attrs(&root, &mut errors);
    let mut cancels = Vec::new();
    for (i, el) in wrappers(&root, "InvtCancel", &mut errors).into_iter().enumerate() {
        cancels.push(read_group(Some(el), format!("InvtCancel[{i}]"), CANCEL, &mut errors, |g| InvtCancel {
            guid: g.req("guid"),
            app_type: g.req("appType"),
            app_time: g.req("appTime"),
            app_status: g.req("appStatus"),
            customs_code: g.req("customsCode"),
            order_no: g.req("orderNo"),
            ebp_code: g.req("ebpCode"),
            ebp_name: g.req("ebpName"),
            ebc_code: g.req("ebcCode"),
            ebc_name: g.req("ebcName"),
            logistics_no: g.req("logisticsNo"),
            logistics_code: g.req("logisticsCode"),
            logistics_name: g.req("logisticsName"),
            cop_no: g.opt("copNo"),
            pre_no: g.opt("preNo"),
            invt_no: g.req("invtNo"),
            buyer_id_type: g.req("buyerIdType"),
            buyer_id_number: g.req("buyerIdNumber"),
            buyer_name: g.req("buyerName"),
            buyer_telephone: g.req("buyerTelephone"),
            agent_code: g.req("agentCode"),
            agent_name: g.req("agentName"),
            reason: g.req("reason"),
            note: g.opt("note"),
        }));
    }
    let base_transfer = base_transfer(&root, &mut errors);
    if errors.is_empty() {
        Ok(Ceb623Message { guid, version, cancels, base_transfer })
    } else {
        Err(errors)
    }
}

/// One `InvtCancelReturn` (撤销申请单回执). XSD limits: `guid` 36 characters, `customsCode`
/// 4, `agentCode`/`ebpCode`/`ebcCode` 1–18, `copNo` 1–20, `preNo` and `invtNo` exactly 18,
/// `returnStatus` 1–10, `returnTime` 17 (`YYYYMMDDhhmmssSSS`), `returnInfo` 1–1000. The
/// writer does not check them; optional fields that are `None` are omitted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvtCancelReturn {
    pub guid: String,
    pub customs_code: Option<String>,
    pub agent_code: Option<String>,
    pub ebp_code: Option<String>,
    pub ebc_code: Option<String>,
    pub cop_no: String,
    pub pre_no: String,
    pub invt_no: Option<String>,
    /// e.g. 1 暂存 (stored), 2 申报中, 3 sent to customs, 4 sending failed, 100 rejected,
    /// 120 accepted, 399 concluded; negative numbers report a processing error.
    pub return_status: String,
    /// `YYYYMMDDhhmmssSSS`.
    pub return_time: String,
    pub return_info: String,
}

impl InvtCancelReturn {
    /// A receipt for a cancellation request: copies its guid, customs, agent, platform and
    /// company codes, copNo (empty when it had none) and invtNo. The request's invtNo may be
    /// 1–18 characters but the receipt's must be exactly 18, so it is copied only when it has
    /// 18 characters.
    pub fn for_cancel(cancel: &InvtCancel, pre_no: String, return_status: String, return_time: String, return_info: String) -> Self {
        InvtCancelReturn {
            guid: cancel.guid.clone(),
            customs_code: Some(cancel.customs_code.clone()),
            agent_code: Some(cancel.agent_code.clone()),
            ebp_code: Some(cancel.ebp_code.clone()),
            ebc_code: Some(cancel.ebc_code.clone()),
            cop_no: cancel.cop_no.clone().unwrap_or_default(),
            pre_no,
            invt_no: Some(cancel.invt_no.clone()).filter(|n| n.chars().count() == 18),
            return_status,
            return_time,
            return_info,
        }
    }
}

/// Writes a `CEB624Message` (UTF-8, default CEB namespace, `version="1.0"`, root `guid` from
/// the first receipt). The XSD requires 1 to 100 receipts. Text is escaped.
pub fn write_ceb624(receipts: &[InvtCancelReturn]) -> String {
    let rows: Vec<Vec<(&str, Option<&str>)>> = receipts
        .iter()
        .map(|r| {
            vec![
                ("guid", Some(r.guid.as_str())),
                ("customsCode", r.customs_code.as_deref()),
                ("agentCode", r.agent_code.as_deref()),
                ("ebpCode", r.ebp_code.as_deref()),
                ("ebcCode", r.ebc_code.as_deref()),
                ("copNo", Some(r.cop_no.as_str())),
                ("preNo", Some(r.pre_no.as_str())),
                ("invtNo", r.invt_no.as_deref()),
                ("returnStatus", Some(r.return_status.as_str())),
                ("returnTime", Some(r.return_time.as_str())),
                ("returnInfo", Some(r.return_info.as_str())),
            ]
        })
        .collect();
    write_returns("CEB624Message", "InvtCancelReturn", &rows)
}
