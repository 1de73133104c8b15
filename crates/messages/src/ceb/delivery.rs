//! `CEB711Message` — the delivery (entry) list (入库明细单) sent by the operator of the
//! customs-supervised site, listing the parcels (by waybill number) that arrived under one
//! bill of lading — and its receipt `CEB712Message` (`DeliveryReturn`).
//!
//! Element names, order, `minOccurs`, lengths follow `CEB711Message` (exactly one `Delivery`
//! with one `DeliveryHead` and any number of `DeliveryList`), `DeliveryHead`, `DeliveryList`
//! and `DeliveryReturn` in `data/ceb/2018/xsd/import.xsd` (identical in the 2022-05 revision).
//! The documented code lists appType 1/2/3 and ieFlag I/E are enforced as `enumeration`.
//! Values are trimmed and an empty optional element counts as absent. Not checked: the
//! signature, `BaseSubscribe`, `ExtendMessage`; `BaseTransfer` is accepted as absent.

use super::common::{base_transfer, parts_up_to, read_group, read_root, root_attrs, write_returns};
use super::fields::{len, s, Field, Kind};
use super::inventory::BaseTransfer;
use super::tree::Element;
use super::{CebError, NAMESPACE};

const ROOT: &str = "CEB711Message";
const DELIVERY: &str = "Delivery";

/// A whole `CEB711Message`: one delivery list.
#[derive(Debug, Clone, PartialEq)]
pub struct Ceb711Message {
    pub guid: String,
    pub version: String,
    pub head: DeliveryHead,
    pub items: Vec<DeliveryItem>,
    pub base_transfer: Option<BaseTransfer>,
}

/// `DeliveryHead` (入库明细单表头).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeliveryHead {
    pub guid: String,
    pub app_type: String,
    /// `YYYYMMDDhhmmss`.
    pub app_time: String,
    /// `1` stored (暂存), `2` declared.
    pub app_status: String,
    pub customs_code: String,
    pub cop_no: Option<String>,
    pub pre_no: Option<String>,
    /// Entry list number assigned by customs (入库单编号).
    pub rkd_no: Option<String>,
    /// Operator of the supervised site.
    pub operator_code: String,
    pub operator_name: String,
    /// `I` import, `E` export.
    pub ie_flag: String,
    pub traf_mode: String,
    pub traf_no: String,
    pub voyage_no: String,
    pub bill_no: String,
    pub logistics_code: String,
    pub logistics_name: String,
    pub unload_location: Option<String>,
    pub note: Option<String>,
}

/// `DeliveryList` (入库明细单表体): one parcel.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeliveryItem {
    pub gnum: i32,
    /// Waybill number of the parcel.
    pub logistics_no: String,
    pub note: Option<String>,
}

const HEAD: &[Field] = &[
    Field::req("guid", len(36)),
    Field::req("appType", len(1)).one_of(&["1", "2", "3"]),
    Field::req("appTime", len(14)),
    Field::req("appStatus", s(1, 3)),
    Field::req("customsCode", len(4)),
    Field::opt("copNo", s(0, 20)),
    Field::opt("preNo", s(0, 18)),
    Field::opt("rkdNo", s(0, 18)),
    Field::req("operatorCode", s(1, 18)),
    Field::req("operatorName", s(1, 100)),
    Field::req("ieFlag", len(1)).one_of(&["I", "E"]),
    Field::req("trafMode", len(1)),
    Field::req("trafNo", s(1, 100)),
    Field::req("voyageNo", s(1, 32)),
    Field::req("billNo", s(1, 37)),
    Field::req("logisticsCode", s(1, 18)),
    Field::req("logisticsName", s(1, 100)),
    Field::opt("unloadLocation", s(0, 100)),
    Field::opt("note", s(0, 1000)),
];

const ITEM: &[Field] =
    &[Field::req("gnum", Kind::Int { total: None }), Field::req("logisticsNo", s(1, 60)), Field::opt("note", s(0, 1000))];

/// Reads and validates a `CEB711Message`, returning every problem found (malformed XML,
/// a wrong root or namespace is a single error). Paths start at `Delivery`, which occurs once.
pub fn parse_ceb711(xml: &[u8]) -> Result<Ceb711Message, Vec<CebError>> {
    let root = read_root(xml, ROOT)?;
    let mut errors = Vec::new();
    let (guid, version) = root_attrs(&root, &mut errors);
    let deliveries: Vec<&Element> = root.children.iter().filter(|c| c.is(NAMESPACE, DELIVERY)).collect();
    match deliveries.len() {
        0 => {
            errors.push(CebError::new(DELIVERY, "required", "required element Delivery is missing".into(), "缺少必填元素 Delivery".into()))
        }
        1 => {}
        _ => errors.push(CebError::new(
            DELIVERY,
            "duplicate",
            "Delivery appears more than once; a CEB711Message holds one delivery list".into(),
            "Delivery 出现了多次；一个 CEB711Message 只能包含一个入库明细单".into(),
        )),
    }
    let (head_el, lines) = match deliveries.first() {
        Some(el) => parts_up_to(el, DELIVERY, "DeliveryHead", Some("DeliveryList"), usize::MAX, &mut errors),
        None => (None, Vec::new()),
    };
    let head = read_group(head_el, format!("{DELIVERY}/DeliveryHead"), HEAD, &mut errors, |g| DeliveryHead {
        guid: g.req("guid"),
        app_type: g.req("appType"),
        app_time: g.req("appTime"),
        app_status: g.req("appStatus"),
        customs_code: g.req("customsCode"),
        cop_no: g.opt("copNo"),
        pre_no: g.opt("preNo"),
        rkd_no: g.opt("rkdNo"),
        operator_code: g.req("operatorCode"),
        operator_name: g.req("operatorName"),
        ie_flag: g.req("ieFlag"),
        traf_mode: g.req("trafMode"),
        traf_no: g.req("trafNo"),
        voyage_no: g.req("voyageNo"),
        bill_no: g.req("billNo"),
        logistics_code: g.req("logisticsCode"),
        logistics_name: g.req("logisticsName"),
        unload_location: g.opt("unloadLocation"),
        note: g.opt("note"),
    });
    let items = lines
        .iter()
        .enumerate()
        .map(|(j, l)| {
            read_group(Some(l), format!("{DELIVERY}/DeliveryList[{j}]"), ITEM, &mut errors, |g| DeliveryItem {
                gnum: g.int("gnum"),
                logistics_no: g.req("logisticsNo"),
                note: g.opt("note"),
            })
        })
        .collect();
    let base_transfer = base_transfer(&root, &mut errors);
    if errors.is_empty() {
        Ok(Ceb711Message { guid, version, head, items, base_transfer })
    } else {
        Err(errors)
    }
}

/// One `DeliveryReturn` (入库明细单回执). XSD limits: `guid` 36 characters, `customsCode` 4,
/// `operatorCode` 1–18, `copNo` 0–20, `preNo` and `rkdNo` 0–18, `returnStatus` 1–10,
/// `returnTime` 17 (`YYYYMMDDhhmmssSSS`), `returnInfo` 1–1000. The writer does not check
/// them; optional fields that are `None` are omitted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeliveryReturn {
    pub guid: String,
    pub customs_code: Option<String>,
    pub operator_code: Option<String>,
    pub cop_no: Option<String>,
    pub pre_no: Option<String>,
    pub rkd_no: Option<String>,
    /// e.g. 1 暂存 (stored), 2 申报中, 3 sent to customs, 4 sending failed, 100 rejected,
    /// 120 accepted, 399 concluded; negative numbers report a processing error.
    pub return_status: String,
    /// `YYYYMMDDhhmmssSSS`.
    pub return_time: String,
    pub return_info: String,
}

impl DeliveryReturn {
    /// A receipt for a delivery list head: copies its guid, customs and operator codes,
    /// copNo, preNo and rkdNo. Set `pre_no` and `rkd_no` on the result when they are
    /// assigned on receipt.
    pub fn for_head(head: &DeliveryHead, return_status: String, return_time: String, return_info: String) -> Self {
        DeliveryReturn {
            guid: head.guid.clone(),
            customs_code: Some(head.customs_code.clone()),
            operator_code: Some(head.operator_code.clone()),
            cop_no: head.cop_no.clone(),
            pre_no: head.pre_no.clone(),
            rkd_no: head.rkd_no.clone(),
            return_status,
            return_time,
            return_info,
        }
    }
}

/// Writes a `CEB712Message` (UTF-8, default CEB namespace, `version="1.0"`, root `guid` from
/// the first receipt). The XSD requires 1 to 100 receipts. Text is escaped.
pub fn write_ceb712(receipts: &[DeliveryReturn]) -> String {
    let rows: Vec<Vec<(&str, Option<&str>)>> = receipts
        .iter()
        .map(|r| {
            vec![
                ("guid", Some(r.guid.as_str())),
                ("customsCode", r.customs_code.as_deref()),
                ("operatorCode", r.operator_code.as_deref()),
                ("copNo", r.cop_no.as_deref()),
                ("preNo", r.pre_no.as_deref()),
                ("rkdNo", r.rkd_no.as_deref()),
                ("returnStatus", Some(r.return_status.as_str())),
                ("returnTime", Some(r.return_time.as_str())),
                ("returnInfo", Some(r.return_info.as_str())),
            ]
        })
        .collect();
    write_returns("CEB712Message", "DeliveryReturn", &rows)
}
