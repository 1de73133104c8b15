//! `CEB311Message` — the import electronic order (进口电子订单) sent by the e-commerce
//! platform or company — and its receipt `CEB312Message` (`OrderReturn`).
//!
//! Element names, order, `minOccurs`, lengths and digits follow `OrderHead`, `OrderList`
//! and `OrderReturn` in `data/ceb/2018/xsd/import.xsd` (identical in the 2022-05 revision).
//! `currency` is `fixed="142"`; the documented code lists (appType 1/2/3, orderType I,
//! buyerIdType 1/2) are enforced as `enumeration`, and so are the customs parameter tables
//! for `OrderList/country` (海关国别（地区）代码) and `OrderList/unit` (计量单位代码), from
//! `guomen-reference`. Values are trimmed and an empty optional
//! element counts as absent. Not checked: the signature, `BaseSubscribe`, `ExtendMessage`;
//! `BaseTransfer` is accepted as absent.

use rust_decimal::Decimal;

use super::common::{base_transfer, parts, read_group, read_root, root_attrs, wrappers, write_returns};
use super::fields::{len, s, Field, Kind, Table, DEC};
use super::inventory::BaseTransfer;
use super::CebError;

const ROOT: &str = "CEB311Message";

/// A whole `CEB311Message`.
#[derive(Debug, Clone, PartialEq)]
pub struct Ceb311Message {
    pub guid: String,
    pub version: String,
    pub orders: Vec<Order>,
    pub base_transfer: Option<BaseTransfer>,
}

/// One `Order`: the head and its goods lines.
#[derive(Debug, Clone, PartialEq)]
pub struct Order {
    pub head: OrderHead,
    pub items: Vec<OrderItem>,
}

/// `OrderHead` (订单表头).
#[derive(Debug, Clone, PartialEq)]
pub struct OrderHead {
    pub guid: String,
    pub app_type: String,
    /// `YYYYMMDDhhmmss`.
    pub app_time: String,
    pub app_status: String,
    /// `I` (import).
    pub order_type: String,
    pub order_no: String,
    pub ebp_code: String,
    pub ebp_name: String,
    pub ebc_code: String,
    pub ebc_name: String,
    pub goods_value: Decimal,
    pub freight: Decimal,
    pub discount: Decimal,
    pub tax_total: Decimal,
    /// `acturalPaid` (sic in the XSD).
    pub actural_paid: Decimal,
    pub currency: String,
    pub buyer_reg_no: String,
    pub buyer_name: String,
    pub buyer_telephone: String,
    pub buyer_id_type: String,
    pub buyer_id_number: String,
    pub pay_code: Option<String>,
    pub pay_name: Option<String>,
    pub pay_transaction_id: Option<String>,
    pub batch_numbers: Option<String>,
    pub consignee: String,
    pub consignee_telephone: String,
    pub consignee_address: String,
    pub consignee_district: Option<String>,
    pub note: Option<String>,
}

/// `OrderList` (订单表体): one goods line.
#[derive(Debug, Clone, PartialEq)]
pub struct OrderItem {
    pub gnum: i32,
    pub item_no: Option<String>,
    pub item_name: String,
    pub gmodel: String,
    pub item_describe: Option<String>,
    pub bar_code: Option<String>,
    pub unit: String,
    pub qty: Decimal,
    pub price: Decimal,
    pub total_price: Decimal,
    pub currency: String,
    pub country: String,
    pub note: Option<String>,
}

const HEAD: &[Field] = &[
    Field::req("guid", len(36)),
    Field::req("appType", len(1)).one_of(&["1", "2", "3"]),
    Field::req("appTime", len(14)),
    Field::req("appStatus", s(1, 3)),
    Field::req("orderType", len(1)).one_of(&["I"]),
    Field::req("orderNo", s(1, 60)),
    Field::req("ebpCode", s(1, 18)),
    Field::req("ebpName", s(1, 100)),
    Field::req("ebcCode", s(1, 18)),
    Field::req("ebcName", s(1, 100)),
    Field::req("goodsValue", DEC),
    Field::req("freight", DEC),
    Field::req("discount", DEC),
    Field::req("taxTotal", DEC),
    Field::req("acturalPaid", DEC),
    Field::req("currency", len(3)).fixed("142"),
    Field::req("buyerRegNo", s(1, 60)),
    Field::req("buyerName", s(1, 60)),
    Field::req("buyerTelephone", s(1, 30)),
    Field::req("buyerIdType", len(1)).one_of(&["1", "2"]),
    Field::req("buyerIdNumber", s(1, 60)),
    Field::opt("payCode", s(0, 18)),
    Field::opt("payName", s(0, 100)),
    Field::opt("payTransactionId", s(0, 60)),
    Field::opt("batchNumbers", s(0, 100)),
    Field::req("consignee", s(1, 100)),
    Field::req("consigneeTelephone", s(1, 50)),
    Field::req("consigneeAddress", s(1, 200)),
    Field::opt("consigneeDistrict", len(6)),
    Field::opt("note", s(0, 1000)),
];

const ITEM: &[Field] = &[
    Field::req("gnum", Kind::Int { total: None }),
    Field::opt("itemNo", s(0, 30)),
    Field::req("itemName", s(1, 250)),
    Field::req("gmodel", s(1, 510)),
    Field::opt("itemDescribe", s(0, 1000)),
    Field::opt("barCode", s(0, 50)),
    Field::req("unit", len(3)).in_table(Table::Unit),
    Field::req("qty", DEC),
    Field::req("price", DEC),
    Field::req("totalPrice", DEC),
    Field::req("currency", len(3)).fixed("142"),
    Field::req("country", len(3)).in_table(Table::Country),
    Field::opt("note", s(0, 1000)),
];

/// Reads and validates a `CEB311Message`, returning every problem found (malformed XML,
/// a wrong root or namespace is a single error).
pub fn parse_ceb311(xml: &[u8]) -> Result<Ceb311Message, Vec<CebError>> {
    let root = read_root(xml, ROOT)?;
    let mut errors = Vec::new();
    let (guid, version) = root_attrs(&root, &mut errors);
    let mut orders = Vec::new();
    for (i, el) in wrappers(&root, "Order", &mut errors).into_iter().enumerate() {
        let path = format!("Order[{i}]");
        let (head_el, lines) = parts(el, &path, "OrderHead", Some("OrderList"), &mut errors);
        let head = read_group(head_el, format!("{path}/OrderHead"), HEAD, &mut errors, |g| OrderHead {
            guid: g.req("guid"),
            app_type: g.req("appType"),
            app_time: g.req("appTime"),
            app_status: g.req("appStatus"),
            order_type: g.req("orderType"),
            order_no: g.req("orderNo"),
            ebp_code: g.req("ebpCode"),
            ebp_name: g.req("ebpName"),
            ebc_code: g.req("ebcCode"),
            ebc_name: g.req("ebcName"),
            goods_value: g.dec("goodsValue"),
            freight: g.dec("freight"),
            discount: g.dec("discount"),
            tax_total: g.dec("taxTotal"),
            actural_paid: g.dec("acturalPaid"),
            currency: g.req("currency"),
            buyer_reg_no: g.req("buyerRegNo"),
            buyer_name: g.req("buyerName"),
            buyer_telephone: g.req("buyerTelephone"),
            buyer_id_type: g.req("buyerIdType"),
            buyer_id_number: g.req("buyerIdNumber"),
            pay_code: g.opt("payCode"),
            pay_name: g.opt("payName"),
            pay_transaction_id: g.opt("payTransactionId"),
            batch_numbers: g.opt("batchNumbers"),
            consignee: g.req("consignee"),
            consignee_telephone: g.req("consigneeTelephone"),
            consignee_address: g.req("consigneeAddress"),
            consignee_district: g.opt("consigneeDistrict"),
            note: g.opt("note"),
        });
        let items = lines
            .iter()
            .enumerate()
            .map(|(j, l)| {
                read_group(Some(l), format!("{path}/OrderList[{j}]"), ITEM, &mut errors, |g| OrderItem {
                    gnum: g.int("gnum"),
                    item_no: g.opt("itemNo"),
                    item_name: g.req("itemName"),
                    gmodel: g.req("gmodel"),
                    item_describe: g.opt("itemDescribe"),
                    bar_code: g.opt("barCode"),
                    unit: g.req("unit"),
                    qty: g.dec("qty"),
                    price: g.dec("price"),
                    total_price: g.dec("totalPrice"),
                    currency: g.req("currency"),
                    country: g.req("country"),
                    note: g.opt("note"),
                })
            })
            .collect();
        orders.push(Order { head, items });
    }
    let base_transfer = base_transfer(&root, &mut errors);
    if errors.is_empty() {
        Ok(Ceb311Message { guid, version, orders, base_transfer })
    } else {
        Err(errors)
    }
}

/// One `OrderReturn`. XSD limits: `guid` 36 characters, `ebpCode`/`ebcCode` 1–18,
/// `orderNo` 1–60, `returnStatus` 1–10, `returnTime` 17 (`YYYYMMDDhhmmssSSS`),
/// `returnInfo` 1–1000. The writer does not check them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderReturn {
    pub guid: String,
    pub ebp_code: String,
    pub ebc_code: String,
    pub order_no: String,
    /// e.g. 2 申报中, 3 sent to customs, 4 sending failed, 100 rejected, 120 accepted,
    /// 399 concluded; negative numbers report a processing error.
    pub return_status: String,
    /// `YYYYMMDDhhmmssSSS`.
    pub return_time: String,
    pub return_info: String,
}

impl OrderReturn {
    /// A receipt for an order head: copies its guid, platform and company codes and order number.
    pub fn for_head(head: &OrderHead, return_status: String, return_time: String, return_info: String) -> Self {
        OrderReturn {
            guid: head.guid.clone(),
            ebp_code: head.ebp_code.clone(),
            ebc_code: head.ebc_code.clone(),
            order_no: head.order_no.clone(),
            return_status,
            return_time,
            return_info,
        }
    }
}

/// Writes a `CEB312Message` (UTF-8, default CEB namespace, `version="1.0"`, root `guid`
/// from the first receipt). The XSD requires 1 to 100 receipts. Text is escaped.
pub fn write_ceb312(receipts: &[OrderReturn]) -> String {
    let rows: Vec<Vec<(&str, Option<&str>)>> = receipts
        .iter()
        .map(|r| {
            vec![
                ("guid", Some(r.guid.as_str())),
                ("ebpCode", Some(&r.ebp_code)),
                ("ebcCode", Some(&r.ebc_code)),
                ("orderNo", Some(&r.order_no)),
                ("returnStatus", Some(&r.return_status)),
                ("returnTime", Some(&r.return_time)),
                ("returnInfo", Some(&r.return_info)),
            ]
        })
        .collect();
    write_returns("CEB312Message", "OrderReturn", &rows)
}
