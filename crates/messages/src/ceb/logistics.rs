//! `CEB511Message` — the logistics waybill (物流运单) sent by the logistics company — and
//! its receipt `CEB512Message` (`LogisticsReturn`).
//!
//! Element names, order, `minOccurs`, lengths and digits follow `LogisticsHead` and
//! `LogisticsReturn` in `data/ceb/2018/xsd/import.xsd`. `currency` is `fixed="142"`; the
//! documented appType code list (1/2/3) is enforced as `enumeration`. `packNo` is
//! documented as "限定为1" but the official sample carries 6000, so only the XSD's
//! `xs:int` with totalDigits 9 is applied. Values are trimmed and an empty optional element
//! counts as absent. Not checked: the signature, `BaseSubscribe`, `ExtendMessage`;
//! `BaseTransfer` is accepted as absent.

use rust_decimal::Decimal;

use super::common::{base_transfer, parts, read_group, read_root, root_attrs, wrappers, write_returns};
use super::fields::{len, s, Field, Kind, DEC};
use super::inventory::BaseTransfer;
use super::CebError;

const ROOT: &str = "CEB511Message";

/// A whole `CEB511Message`: one `LogisticsHead` per `Logistics` element.
#[derive(Debug, Clone, PartialEq)]
pub struct Ceb511Message {
    pub guid: String,
    pub version: String,
    pub waybills: Vec<LogisticsHead>,
    pub base_transfer: Option<BaseTransfer>,
}

/// `LogisticsHead` (物流运单表头).
#[derive(Debug, Clone, PartialEq)]
pub struct LogisticsHead {
    pub guid: String,
    pub app_type: String,
    /// `YYYYMMDDhhmmss`.
    pub app_time: String,
    pub app_status: String,
    pub logistics_code: String,
    pub logistics_name: String,
    pub logistics_no: String,
    pub bill_no: Option<String>,
    pub order_no: String,
    pub freight: Option<Decimal>,
    pub insured_fee: Option<Decimal>,
    pub currency: String,
    /// Gross weight in kilograms.
    pub weight: Decimal,
    pub pack_no: i32,
    pub goods_info: Option<String>,
    pub consignee: String,
    pub consignee_address: String,
    pub consignee_telephone: String,
    pub note: Option<String>,
}

const HEAD: &[Field] = &[
    Field::req("guid", len(36)),
    Field::req("appType", len(1)).one_of(&["1", "2", "3"]),
    Field::req("appTime", len(14)),
    Field::req("appStatus", s(1, 3)),
    Field::req("logisticsCode", s(1, 18)),
    Field::req("logisticsName", s(1, 100)),
    Field::req("logisticsNo", s(1, 60)),
    Field::opt("billNo", s(0, 37)),
    Field::req("orderNo", s(1, 60)),
    Field::opt("freight", DEC),
    Field::opt("insuredFee", DEC),
    Field::req("currency", len(3)).fixed("142"),
    Field::req("weight", DEC),
    Field::req("packNo", Kind::Int { total: Some(9) }),
    Field::opt("goodsInfo", s(0, 200)),
    Field::req("consignee", s(1, 100)),
    Field::req("consigneeAddress", s(1, 200)),
    Field::req("consigneeTelephone", s(1, 50)),
    Field::opt("note", s(0, 1000)),
];

/// Reads and validates a `CEB511Message`, returning every problem found (malformed XML,
/// a wrong root or namespace is a single error).
pub fn parse_ceb511(xml: &[u8]) -> Result<Ceb511Message, Vec<CebError>> {
    let root = read_root(xml, ROOT)?;
    let mut errors = Vec::new();
    let (guid, version) = root_attrs(&root, &mut errors);
    let mut waybills = Vec::new();
    for (i, el) in wrappers(&root, "Logistics", &mut errors).into_iter().enumerate() {
        let path = format!("Logistics[{i}]");
        let (head_el, _) = parts(el, &path, "LogisticsHead", None, &mut errors);
        waybills.push(read_group(head_el, format!("{path}/LogisticsHead"), HEAD, &mut errors, |g| LogisticsHead {
            guid: g.req("guid"),
            app_type: g.req("appType"),
            app_time: g.req("appTime"),
            app_status: g.req("appStatus"),
            logistics_code: g.req("logisticsCode"),
            logistics_name: g.req("logisticsName"),
            logistics_no: g.req("logisticsNo"),
            bill_no: g.opt("billNo"),
            order_no: g.req("orderNo"),
            freight: g.opt_dec("freight"),
            insured_fee: g.opt_dec("insuredFee"),
            currency: g.req("currency"),
            weight: g.dec("weight"),
            pack_no: g.int("packNo"),
            goods_info: g.opt("goodsInfo"),
            consignee: g.req("consignee"),
            consignee_address: g.req("consigneeAddress"),
            consignee_telephone: g.req("consigneeTelephone"),
            note: g.opt("note"),
        }));
    }
    let base_transfer = base_transfer(&root, &mut errors);
    if errors.is_empty() {
        Ok(Ceb511Message { guid, version, waybills, base_transfer })
    } else {
        Err(errors)
    }
}

/// One `LogisticsReturn`. XSD limits: `guid` 36 characters, `logisticsCode` 1–18,
/// `logisticsNo` 1–60, `returnStatus` 1–10, `returnTime` 17 (`YYYYMMDDhhmmssSSS`),
/// `returnInfo` 1–1000. The writer does not check them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogisticsReturn {
    pub guid: String,
    pub logistics_code: String,
    pub logistics_no: String,
    /// e.g. 2 申报中, 3 sent to customs, 4 sending failed, 100 rejected, 120 accepted,
    /// 399 concluded; negative numbers report a processing error.
    pub return_status: String,
    /// `YYYYMMDDhhmmssSSS`.
    pub return_time: String,
    pub return_info: String,
}

impl LogisticsReturn {
    /// A receipt for a waybill head: copies its guid, logistics company code and waybill number.
    pub fn for_head(head: &LogisticsHead, return_status: String, return_time: String, return_info: String) -> Self {
        LogisticsReturn {
            guid: head.guid.clone(),
            logistics_code: head.logistics_code.clone(),
            logistics_no: head.logistics_no.clone(),
            return_status,
            return_time,
            return_info,
        }
    }
}

/// Writes a `CEB512Message` (UTF-8, default CEB namespace, `version="1.0"`, root `guid`
/// from the first receipt). The XSD requires 1 to 100 receipts. Text is escaped.
pub fn write_ceb512(receipts: &[LogisticsReturn]) -> String {
    let rows: Vec<Vec<(&str, Option<&str>)>> = receipts
        .iter()
        .map(|r| {
            vec![
                ("guid", Some(r.guid.as_str())),
                ("logisticsCode", Some(&r.logistics_code)),
                ("logisticsNo", Some(&r.logistics_no)),
                ("returnStatus", Some(&r.return_status)),
                ("returnTime", Some(&r.return_time)),
                ("returnInfo", Some(&r.return_info)),
            ]
        })
        .collect();
    write_returns("CEB512Message", "LogisticsReturn", &rows)
}
