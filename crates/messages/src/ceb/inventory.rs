//! `CEB621Message` — the import inventory list (进口清单) sent by the e-commerce company
//! or its agent.
//!
//! Element names, order, `minOccurs`, lengths and digits follow `InventoryHead`,
//! `InventoryList` and `BaseTransfer` in `data/ceb/2018/xsd/import.xsd`. That XSD has no
//! `xs:pattern` or `xs:enumeration` on these elements; `currency` is `fixed="142"`, and the
//! code lists written in the documentation (appType 1/2/3, ieFlag I/E, buyerIdType 1/2) are
//! enforced as `enumeration`, as are the customs parameter tables from `guomen-reference` for
//! `country` and `tradeCountry` (海关国别（地区）代码) and `unit`, `unit1`, `unit2` (计量单位代码).
//! The 2022-05 revision only narrows `itemNo` to 20 characters and loosens `tradeCountry` to
//! 1–3; the 2018 limits are applied.
//!
//! Values are trimmed; an empty optional element counts as absent (the official samples use
//! `<preNo></preNo>`). Not checked: the signature (`ds:Signature`) and `BaseSubscribe` /
//! `ExtendMessage` content; `BaseTransfer`, required by the XSD, is accepted as absent.

use rust_decimal::Decimal;

use super::common;
use super::fields::{len, s, Field, Group, Kind, Table, DEC};
use super::tree::Element;
use super::{CebError, NAMESPACE};

const ROOT: &str = "CEB621Message";
/// `maxOccurs` of `Inventory` in a message and of `InventoryList` in an `Inventory`.
const MAX_ITEMS: usize = 99;

/// A whole `CEB621Message`.
#[derive(Debug, Clone, PartialEq)]
pub struct Ceb621Message {
    /// Root attribute `guid` (36 characters).
    pub guid: String,
    /// Root attribute `version` (1–10 characters, normally `1.0`).
    pub version: String,
    pub inventories: Vec<Inventory>,
    pub base_transfer: Option<BaseTransfer>,
}

/// One `Inventory`: the head and its goods lines.
#[derive(Debug, Clone, PartialEq)]
pub struct Inventory {
    pub head: InventoryHead,
    pub items: Vec<InventoryItem>,
}

/// `InventoryHead` (进口清单表头). Codes are CEB parameter codes (currency 142 = CNY,
/// 3-digit GACC country codes).
#[derive(Debug, Clone, PartialEq)]
pub struct InventoryHead {
    pub guid: String,
    pub app_type: String,
    /// `YYYYMMDDhhmmss`.
    pub app_time: String,
    pub app_status: String,
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
    pub assure_code: String,
    pub ems_no: Option<String>,
    pub invt_no: Option<String>,
    pub ie_flag: String,
    /// `YYYYMMDD`.
    pub decl_time: String,
    pub customs_code: String,
    pub port_code: String,
    /// `YYYYMMDD`.
    pub ie_date: Option<String>,
    pub buyer_id_type: String,
    pub buyer_id_number: String,
    pub buyer_name: String,
    pub buyer_telephone: String,
    pub consignee_address: String,
    pub agent_code: String,
    pub agent_name: String,
    pub area_code: Option<String>,
    pub area_name: Option<String>,
    pub trade_mode: String,
    pub traf_mode: String,
    pub traf_no: Option<String>,
    pub voyage_no: Option<String>,
    pub bill_no: Option<String>,
    pub loct_no: Option<String>,
    pub license_no: Option<String>,
    pub country: String,
    pub freight: Decimal,
    pub insured_fee: Decimal,
    pub currency: String,
    pub wrap_type: Option<String>,
    pub pack_no: i32,
    pub gross_weight: Decimal,
    pub net_weight: Decimal,
    pub note: Option<String>,
}

/// `InventoryList` (进口清单表体): one goods line.
#[derive(Debug, Clone, PartialEq)]
pub struct InventoryItem {
    pub gnum: i32,
    pub item_record_no: Option<String>,
    pub item_no: Option<String>,
    pub item_name: Option<String>,
    pub gcode: String,
    pub gname: String,
    pub gmodel: String,
    pub bar_code: Option<String>,
    pub country: String,
    pub trade_country: Option<String>,
    pub currency: String,
    pub qty: Decimal,
    pub unit: String,
    pub qty1: Decimal,
    pub unit1: String,
    pub qty2: Option<Decimal>,
    pub unit2: Option<String>,
    pub price: Decimal,
    pub total_price: Decimal,
    pub note: Option<String>,
}

/// `BaseTransfer`: the company transmitting the message.
#[derive(Debug, Clone, PartialEq)]
pub struct BaseTransfer {
    pub cop_code: String,
    pub cop_name: String,
    pub dxp_mode: String,
    pub dxp_id: String,
    pub note: Option<String>,
}

const HEAD: &[Field] = &[
    Field::req("guid", len(36)),
    Field::req("appType", len(1)).one_of(&["1", "2", "3"]),
    Field::req("appTime", len(14)),
    Field::req("appStatus", s(1, 3)),
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
    Field::req("assureCode", s(1, 30)),
    Field::opt("emsNo", s(0, 30)),
    Field::opt("invtNo", s(0, 18)),
    Field::req("ieFlag", len(1)).one_of(&["I", "E"]),
    Field::req("declTime", len(8)),
    Field::req("customsCode", len(4)),
    Field::req("portCode", len(4)),
    Field::opt("ieDate", len(8)),
    Field::req("buyerIdType", len(1)).one_of(&["1", "2"]),
    Field::req("buyerIdNumber", s(1, 60)),
    Field::req("buyerName", s(1, 60)),
    Field::req("buyerTelephone", s(1, 30)),
    Field::req("consigneeAddress", s(1, 200)),
    Field::req("agentCode", s(1, 18)),
    Field::req("agentName", s(1, 100)),
    Field::opt("areaCode", s(0, 18)),
    Field::opt("areaName", s(0, 100)),
    Field::req("tradeMode", len(4)),
    Field::req("trafMode", len(1)),
    Field::opt("trafNo", s(0, 100)),
    Field::opt("voyageNo", s(0, 32)),
    Field::opt("billNo", s(0, 37)),
    Field::opt("loctNo", s(0, 10)),
    Field::opt("licenseNo", s(0, 19)),
    Field::req("country", len(3)).in_table(Table::Country),
    Field::req("freight", DEC),
    Field::req("insuredFee", DEC),
    Field::req("currency", len(3)).fixed("142"),
    Field::opt("wrapType", len(1)),
    Field::req("packNo", Kind::Int { total: Some(9) }),
    Field::req("grossWeight", DEC),
    Field::req("netWeight", DEC),
    Field::opt("note", s(0, 1000)),
];

const ITEM: &[Field] = &[
    Field::req("gnum", Kind::Int { total: None }),
    Field::opt("itemRecordNo", s(0, 30)),
    Field::opt("itemNo", s(0, 30)),
    Field::opt("itemName", s(0, 250)),
    Field::req("gcode", len(10)),
    Field::req("gname", s(1, 250)),
    Field::req("gmodel", s(1, 510)),
    Field::opt("barCode", s(0, 50)),
    Field::req("country", len(3)).in_table(Table::Country),
    Field::opt("tradeCountry", len(3)).in_table(Table::Country),
    Field::req("currency", len(3)).fixed("142"),
    Field::req("qty", DEC),
    Field::req("unit", len(3)).in_table(Table::Unit),
    Field::req("qty1", DEC),
    Field::req("unit1", len(3)).in_table(Table::Unit),
    Field::opt("qty2", DEC),
    Field::opt("unit2", len(3)).in_table(Table::Unit),
    Field::req("price", DEC),
    Field::req("totalPrice", DEC),
    Field::opt("note", s(0, 1000)),
];

/// Reads and validates a `CEB621Message`. On failure every problem found is returned;
/// a document that is not well-formed XML, has another root element or is not in the
/// CEB namespace yields exactly one error.
pub fn parse_ceb621(xml: &[u8]) -> Result<Ceb621Message, Vec<CebError>> {
    let root = common::read_root(xml, ROOT)?;
    let mut errors = Vec::new();
    let (guid, version) = common::root_attrs(&root, &mut errors);
    let inventories = common::wrappers(&root, "Inventory", &mut errors)
        .iter()
        .enumerate()
        .map(|(i, el)| read_inventory(el, &format!("Inventory[{i}]"), &mut errors))
        .collect();
    let base_transfer = common::base_transfer(&root, &mut errors);
    if errors.is_empty() {
        Ok(Ceb621Message { guid, version, inventories, base_transfer })
    } else {
        Err(errors)
    }
}

fn read_inventory(el: &Element, path: &str, errors: &mut Vec<CebError>) -> Inventory {
    for child in &el.children {
        if !(child.is(NAMESPACE, "InventoryHead") || child.is(NAMESPACE, "InventoryList")) {
            errors.push(CebError::new(
                format!("{path}/{}", child.name),
                "unexpected",
                format!("element {} is not allowed in Inventory", child.name),
                format!("Inventory 中不允许出现元素 {}", child.name),
            ));
        }
    }
    let heads: Vec<&Element> = el.children.iter().filter(|c| c.is(NAMESPACE, "InventoryHead")).collect();
    let lists: Vec<&Element> = el.children.iter().filter(|c| c.is(NAMESPACE, "InventoryList")).collect();
    let head_path = format!("{path}/InventoryHead");
    if heads.is_empty() {
        errors.push(CebError::new(
            &head_path,
            "required",
            "required element InventoryHead is missing".into(),
            "缺少必填元素 InventoryHead".into(),
        ));
    } else if heads.len() > 1 {
        errors.push(CebError::new(
            &head_path,
            "duplicate",
            "InventoryHead appears more than once".into(),
            "InventoryHead 出现了多次".into(),
        ));
    }
    if lists.is_empty() {
        errors.push(CebError::new(
            format!("{path}/InventoryList"),
            "required",
            "at least one InventoryList element is required".into(),
            "至少需要一个 InventoryList 元素".into(),
        ));
    } else if lists.len() > MAX_ITEMS {
        errors.push(common::max_occurs(&format!("{path}/InventoryList"), lists.len(), MAX_ITEMS));
    }
    if let (Some(first_list), Some(head)) = (
        el.children.iter().position(|c| c.is(NAMESPACE, "InventoryList")),
        el.children.iter().position(|c| c.is(NAMESPACE, "InventoryHead")),
    ) {
        if first_list < head {
            errors.push(CebError::new(
                &head_path,
                "order",
                "InventoryHead must come before InventoryList".into(),
                "InventoryHead 必须位于 InventoryList 之前".into(),
            ));
        }
    }

    let empty = Element::default();
    let head = read_head(heads.first().copied().unwrap_or(&empty), head_path, errors);
    let items = lists.iter().enumerate().map(|(i, l)| read_item(l, format!("{path}/InventoryList[{i}]"), errors)).collect();
    Inventory { head, items }
}

fn read_head(el: &Element, path: String, errors: &mut Vec<CebError>) -> InventoryHead {
    // Without the element itself only its absence is reported, not each of its fields.
    let present = !el.name.is_empty();
    let mut g = Group::new(el, path, HEAD);
    let head = InventoryHead {
        guid: g.req("guid"),
        app_type: g.req("appType"),
        app_time: g.req("appTime"),
        app_status: g.req("appStatus"),
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
        assure_code: g.req("assureCode"),
        ems_no: g.opt("emsNo"),
        invt_no: g.opt("invtNo"),
        ie_flag: g.req("ieFlag"),
        decl_time: g.req("declTime"),
        customs_code: g.req("customsCode"),
        port_code: g.req("portCode"),
        ie_date: g.opt("ieDate"),
        buyer_id_type: g.req("buyerIdType"),
        buyer_id_number: g.req("buyerIdNumber"),
        buyer_name: g.req("buyerName"),
        buyer_telephone: g.req("buyerTelephone"),
        consignee_address: g.req("consigneeAddress"),
        agent_code: g.req("agentCode"),
        agent_name: g.req("agentName"),
        area_code: g.opt("areaCode"),
        area_name: g.opt("areaName"),
        trade_mode: g.req("tradeMode"),
        traf_mode: g.req("trafMode"),
        traf_no: g.opt("trafNo"),
        voyage_no: g.opt("voyageNo"),
        bill_no: g.opt("billNo"),
        loct_no: g.opt("loctNo"),
        license_no: g.opt("licenseNo"),
        country: g.req("country"),
        freight: g.dec("freight"),
        insured_fee: g.dec("insuredFee"),
        currency: g.req("currency"),
        wrap_type: g.opt("wrapType"),
        pack_no: g.int("packNo"),
        gross_weight: g.dec("grossWeight"),
        net_weight: g.dec("netWeight"),
        note: g.opt("note"),
    };
    if present {
        errors.append(&mut g.errors);
    }
    head
}

fn read_item(el: &Element, path: String, errors: &mut Vec<CebError>) -> InventoryItem {
    let mut g = Group::new(el, path, ITEM);
    let item = InventoryItem {
        gnum: g.int("gnum"),
        item_record_no: g.opt("itemRecordNo"),
        item_no: g.opt("itemNo"),
        item_name: g.opt("itemName"),
        gcode: g.req("gcode"),
        gname: g.req("gname"),
        gmodel: g.req("gmodel"),
        bar_code: g.opt("barCode"),
        country: g.req("country"),
        trade_country: g.opt("tradeCountry"),
        currency: g.req("currency"),
        qty: g.dec("qty"),
        unit: g.req("unit"),
        qty1: g.dec("qty1"),
        unit1: g.req("unit1"),
        qty2: g.opt_dec("qty2"),
        unit2: g.opt("unit2"),
        price: g.dec("price"),
        total_price: g.dec("totalPrice"),
        note: g.opt("note"),
    };
    errors.append(&mut g.errors);
    item
}
