//! `CEB622Message` — the receipt (进口清单回执) for a `CEB621Message`, one
//! `InventoryReturn` per inventory, as defined in `data/ceb/2018/xsd/import.xsd`.

use super::inventory::InventoryHead;

/// One `InventoryReturn`. Field limits from the XSD: `guid` 36 characters, `customsCode`
/// 4, `ebpCode`/`ebcCode`/`agentCode` 1–18, `copNo` 1–20, `preNo` and `invtNo` 18,
/// `returnStatus` 1–10, `returnTime` 17 (`YYYYMMDDhhmmssSSS`), `returnInfo` 1–1000.
/// The writer does not check them; optional fields that are `None` are omitted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InventoryReturn {
    pub guid: String,
    pub customs_code: Option<String>,
    pub ebp_code: Option<String>,
    pub ebc_code: Option<String>,
    pub agent_code: Option<String>,
    pub cop_no: String,
    pub pre_no: String,
    pub invt_no: Option<String>,
    /// e.g. 1 暂存 (stored), 2 申报中, 3 sent to customs, 100 rejected, 120 accepted, 800 released;
    /// negative numbers report a processing error.
    pub return_status: String,
    /// `YYYYMMDDhhmmssSSS`.
    pub return_time: String,
    pub return_info: String,
}

impl InventoryReturn {
    /// A receipt for an inventory head: copies the head's guid, customs, platform,
    /// company and agent codes, copNo (empty when the head had none) and invtNo.
    pub fn for_head(head: &InventoryHead, pre_no: String, return_status: String, return_time: String, return_info: String) -> Self {
        InventoryReturn {
            guid: head.guid.clone(),
            customs_code: Some(head.customs_code.clone()),
            ebp_code: Some(head.ebp_code.clone()),
            ebc_code: Some(head.ebc_code.clone()),
            agent_code: Some(head.agent_code.clone()),
            cop_no: head.cop_no.clone().unwrap_or_default(),
            pre_no,
            invt_no: head.invt_no.clone(),
            return_status,
            return_time,
            return_info,
        }
    }
}

/// Writes a `CEB622Message` (UTF-8, default CEB namespace, `version="1.0"`). The root
/// `guid` is the first receipt's guid, as in the official sample. The XSD requires 1 to
/// 100 receipts; callers must not pass an empty slice (the output would not validate).
/// Text is escaped; characters XML 1.0 cannot carry are written as U+FFFD.
pub fn write_ceb622(receipts: &[InventoryReturn]) -> String {
    let rows: Vec<Vec<(&str, Option<&str>)>> = receipts
        .iter()
        .map(|r| {
            vec![
                ("guid", Some(r.guid.as_str())),
                ("customsCode", r.customs_code.as_deref()),
                ("ebpCode", r.ebp_code.as_deref()),
                ("ebcCode", r.ebc_code.as_deref()),
                ("agentCode", r.agent_code.as_deref()),
                ("copNo", Some(r.cop_no.as_str())),
                ("preNo", Some(r.pre_no.as_str())),
                ("invtNo", r.invt_no.as_deref()),
                ("returnStatus", Some(r.return_status.as_str())),
                ("returnTime", Some(r.return_time.as_str())),
                ("returnInfo", Some(r.return_info.as_str())),
            ]
        })
        .collect();
    super::common::write_returns("CEB622Message", "InventoryReturn", &rows)
}
