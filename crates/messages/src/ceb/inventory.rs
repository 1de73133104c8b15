//! `CEB621Message` — the import inventory list (进口清单) sent by the e-commerce company
//! or its agent — and its receipt `CEB622Message` (`InventoryReturn`).
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

use super::fields::{int, len, s, Table, CNY, DEC, INT};
use super::message::{kind, Doc, Spec, MAX_LINES};
use super::receipt::{Fill, GUID};
use super::schema::group;

kind! {
    /// `CEB621` as a type: its inventory head and goods lines.
    Ceb621 => Ceb621Message, parse_ceb621: InventoryHead, InventoryItem;
    Spec::new("CEB621Message", "Inventory", Some("InventoryHead"))
        .lines("InventoryList", MAX_LINES)
        .receipt("CEB622Message", "InventoryReturn", RETURN)
        .senders(&["agentCode", "ebcCode", "ebpCode"])
}

/// `InventoryReturn`: `customsCode` 4, `ebpCode`/`ebcCode`/`agentCode` 1–18, `copNo` 1–20,
/// `preNo` and `invtNo` 18.
const RETURN: &[(&str, Fill)] = &[
    GUID,
    ("customsCode", Fill::Opt(4, 4)),
    ("ebpCode", Fill::Opt(1, 18)),
    ("ebcCode", Fill::Opt(1, 18)),
    ("agentCode", Fill::Opt(1, 18)),
    ("copNo", Fill::CopNo),
    ("preNo", Fill::PreNo),
    ("invtNo", Fill::InvtNo),
];

/// One `Inventory`: the head and its goods lines.
pub type Inventory = Doc<Ceb621>;

group! {
    /// `InventoryHead` (进口清单表头). Codes are CEB parameter codes (currency 142 = CNY,
    /// 3-digit GACC country codes).
    pub struct InventoryHead {
        ..document,
        ..parties,
        ..waybill,
        cop_no: Option<String> = "copNo" s(0, 20),
        pre_no: Option<String> = "preNo" s(0, 18),
        assure_code: String = "assureCode" s(1, 30),
        ems_no: Option<String> = "emsNo" s(0, 30),
        invt_no: Option<String> = "invtNo" s(0, 18),
        ie_flag: String = "ieFlag" len(1).one_of(&["I", "E"]),
        /// `YYYYMMDD`.
        decl_time: String = "declTime" len(8),
        customs_code: String = "customsCode" len(4),
        port_code: String = "portCode" len(4),
        /// `YYYYMMDD`.
        ie_date: Option<String> = "ieDate" len(8),
        ..buyer,
        consignee_address: String = "consigneeAddress" s(1, 200),
        agent_code: String = "agentCode" s(1, 18),
        agent_name: String = "agentName" s(1, 100),
        area_code: Option<String> = "areaCode" s(0, 18),
        area_name: Option<String> = "areaName" s(0, 100),
        trade_mode: String = "tradeMode" len(4),
        traf_mode: String = "trafMode" len(1),
        traf_no: Option<String> = "trafNo" s(0, 100),
        voyage_no: Option<String> = "voyageNo" s(0, 32),
        bill_no: Option<String> = "billNo" s(0, 37),
        loct_no: Option<String> = "loctNo" s(0, 10),
        license_no: Option<String> = "licenseNo" s(0, 19),
        country: String = "country" len(3).in_table(Table::Country),
        freight: Decimal = "freight" DEC,
        insured_fee: Decimal = "insuredFee" DEC,
        currency: String = "currency" len(3).fixed(CNY),
        wrap_type: Option<String> = "wrapType" len(1),
        pack_no: i32 = "packNo" int(9),
        gross_weight: Decimal = "grossWeight" DEC,
        net_weight: Decimal = "netWeight" DEC,
        note: Option<String> = "note" s(0, 1000),
    }
}

group! {
    /// `InventoryList` (进口清单表体): one goods line.
    pub struct InventoryItem {
        gnum: i32 = "gnum" INT,
        item_record_no: Option<String> = "itemRecordNo" s(0, 30),
        item_no: Option<String> = "itemNo" s(0, 30),
        item_name: Option<String> = "itemName" s(0, 250),
        gcode: String = "gcode" len(10),
        gname: String = "gname" s(1, 250),
        gmodel: String = "gmodel" s(1, 510),
        bar_code: Option<String> = "barCode" s(0, 50),
        country: String = "country" len(3).in_table(Table::Country),
        trade_country: Option<String> = "tradeCountry" len(3).in_table(Table::Country),
        currency: String = "currency" len(3).fixed(CNY),
        qty: Decimal = "qty" DEC,
        unit: String = "unit" len(3).in_table(Table::Unit),
        qty1: Decimal = "qty1" DEC,
        unit1: String = "unit1" len(3).in_table(Table::Unit),
        qty2: Option<Decimal> = "qty2" DEC,
        unit2: Option<String> = "unit2" len(3).in_table(Table::Unit),
        price: Decimal = "price" DEC,
        total_price: Decimal = "totalPrice" DEC,
        note: Option<String> = "note" s(0, 1000),
    }
}
