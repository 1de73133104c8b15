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

use super::fields::{len, s, Table, CNY, DEC, ID_TYPES, INT};
use super::message::{kind, Doc, Spec, MAX_LINES};
use super::receipt::{Fill::Req, GUID};
use super::schema::group;

kind! {
    /// `CEB311` as a type: its order head and goods lines.
    Ceb311 => Ceb311Message, parse_ceb311: OrderHead, OrderItem;
    Spec::new("CEB311Message", "Order", Some("OrderHead"))
        .lines("OrderList", MAX_LINES)
        .receipt("CEB312Message", "OrderReturn", &[GUID, ("ebpCode", Req(1, 18)), ("ebcCode", Req(1, 18)), ("orderNo", Req(1, 60))])
        .senders(&["ebpCode", "ebcCode"])
}

/// One `Order`: the head and its goods lines.
pub type Order = Doc<Ceb311>;

group! {
    /// `OrderHead` (订单表头).
    pub struct OrderHead {
        ..document,
        /// `I` (import).
        order_type: String = "orderType" len(1).one_of(&["I"]),
        ..parties,
        goods_value: Decimal = "goodsValue" DEC,
        freight: Decimal = "freight" DEC,
        discount: Decimal = "discount" DEC,
        tax_total: Decimal = "taxTotal" DEC,
        /// `acturalPaid` (sic in the XSD).
        actural_paid: Decimal = "acturalPaid" DEC,
        currency: String = "currency" len(3).fixed(CNY),
        buyer_reg_no: String = "buyerRegNo" s(1, 60),
        buyer_name: String = "buyerName" s(1, 60),
        buyer_telephone: String = "buyerTelephone" s(1, 30),
        buyer_id_type: String = "buyerIdType" len(1).one_of(ID_TYPES),
        buyer_id_number: String = "buyerIdNumber" s(1, 60),
        pay_code: Option<String> = "payCode" s(0, 18),
        pay_name: Option<String> = "payName" s(0, 100),
        pay_transaction_id: Option<String> = "payTransactionId" s(0, 60),
        batch_numbers: Option<String> = "batchNumbers" s(0, 100),
        consignee: String = "consignee" s(1, 100),
        consignee_telephone: String = "consigneeTelephone" s(1, 50),
        consignee_address: String = "consigneeAddress" s(1, 200),
        consignee_district: Option<String> = "consigneeDistrict" len(6),
        note: Option<String> = "note" s(0, 1000),
    }
}

group! {
    /// `OrderList` (订单表体): one goods line.
    pub struct OrderItem {
        gnum: i32 = "gnum" INT,
        item_no: Option<String> = "itemNo" s(0, 30),
        item_name: String = "itemName" s(1, 250),
        gmodel: String = "gmodel" s(1, 510),
        item_describe: Option<String> = "itemDescribe" s(0, 1000),
        bar_code: Option<String> = "barCode" s(0, 50),
        unit: String = "unit" len(3).in_table(Table::Unit),
        qty: Decimal = "qty" DEC,
        price: Decimal = "price" DEC,
        total_price: Decimal = "totalPrice" DEC,
        currency: String = "currency" len(3).fixed(CNY),
        country: String = "country" len(3).in_table(Table::Country),
        note: Option<String> = "note" s(0, 1000),
    }
}
