//! The four documents of a cross-border e-commerce retail import, as customs keeps them once
//! their message (CEB311/411/511/621) has been read and checked: 订单 order, 支付单 payment,
//! 运单 waybill and 清单 inventory list. Field names follow the CEB messages (camelCase in
//! JSON) so a journal entry reads like the message it came from. Codes are CEB parameter codes:
//! currency 142 (CNY), 3-digit GACC countries and units.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// 申报类型 — `appType`: a new document, a change to one, or its withdrawal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AppType {
    /// 1 新增
    New,
    /// 2 变更
    Change,
    /// 3 删除
    Delete,
}

impl AppType {
    /// From the message code (1, 2, 3).
    pub fn from_code(code: &str) -> Option<AppType> {
        match code {
            "1" => Some(AppType::New),
            "2" => Some(AppType::Change),
            "3" => Some(AppType::Delete),
            _ => None,
        }
    }
}

/// Which of the four documents.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DocKind {
    Order,
    Payment,
    Waybill,
    Inventory,
}

impl DocKind {
    pub fn as_str(self) -> &'static str {
        match self {
            DocKind::Order => "order",
            DocKind::Payment => "payment",
            DocKind::Waybill => "waybill",
            DocKind::Inventory => "inventory",
        }
    }

    pub fn parse(s: &str) -> Option<DocKind> {
        [DocKind::Order, DocKind::Payment, DocKind::Waybill, DocKind::Inventory].into_iter().find(|k| k.as_str() == s)
    }

    /// The message that carries it.
    pub fn message(self) -> &'static str {
        match self {
            DocKind::Order => "CEB311",
            DocKind::Payment => "CEB411",
            DocKind::Waybill => "CEB511",
            DocKind::Inventory => "CEB621",
        }
    }

    pub fn name_zh(self) -> &'static str {
        match self {
            DocKind::Order => "订单",
            DocKind::Payment => "支付单",
            DocKind::Waybill => "运单",
            DocKind::Inventory => "清单",
        }
    }
}

/// 订购人 — the buyer's identity: `buyerIdType` (1 resident identity card, 2 other) and number.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct BuyerId {
    #[serde(rename = "type")]
    pub id_type: String,
    pub number: String,
}

impl BuyerId {
    pub fn new(id_type: &str, number: &str) -> BuyerId {
        BuyerId { id_type: id_type.to_owned(), number: number.to_uppercase() }
    }

    /// The ledger key: `type:number`.
    pub fn key(&self) -> String {
        format!("{}:{}", self.id_type, self.number)
    }
}

/// An order or payment is known by its platform and order number.
pub fn order_key(ebp_code: &str, order_no: &str) -> String {
    format!("{ebp_code}/{order_no}")
}

/// A waybill is known by its logistics firm and logistics number.
pub fn waybill_key(logistics_code: &str, logistics_no: &str) -> String {
    format!("{logistics_code}/{logistics_no}")
}

/// 电子订单 — `OrderHead` and its `OrderList` lines.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OrderDoc {
    pub guid: String,
    pub app_type: AppType,
    pub app_time: String,
    pub order_no: String,
    pub ebp_code: String,
    pub ebp_name: String,
    pub ebc_code: String,
    pub ebc_name: String,
    pub goods_value: Decimal,
    pub freight: Decimal,
    pub discount: Decimal,
    pub tax_total: Decimal,
    pub actural_paid: Decimal,
    pub buyer_reg_no: String,
    pub buyer_name: String,
    pub buyer_telephone: String,
    pub buyer_id_type: String,
    pub buyer_id_number: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pay_code: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pay_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pay_transaction_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub batch_numbers: Option<String>,
    pub consignee: String,
    pub consignee_telephone: String,
    pub consignee_address: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub consignee_district: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    pub items: Vec<OrderLine>,
}

impl OrderDoc {
    pub fn key(&self) -> String {
        order_key(&self.ebp_code, &self.order_no)
    }

    pub fn buyer(&self) -> BuyerId {
        BuyerId::new(&self.buyer_id_type, &self.buyer_id_number)
    }
}

/// `OrderList` — one goods line of an order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OrderLine {
    pub gnum: i32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub item_no: Option<String>,
    pub item_name: String,
    pub gmodel: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub item_describe: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bar_code: Option<String>,
    pub unit: String,
    pub qty: Decimal,
    pub price: Decimal,
    pub total_price: Decimal,
    pub country: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// 支付单 — `PaymentHead`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PaymentDoc {
    pub guid: String,
    pub app_type: AppType,
    pub app_time: String,
    pub pay_code: String,
    pub pay_name: String,
    pub pay_transaction_id: String,
    pub order_no: String,
    pub ebp_code: String,
    pub ebp_name: String,
    pub payer_id_type: String,
    pub payer_id_number: String,
    pub payer_name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub telephone: Option<String>,
    pub amount_paid: Decimal,
    pub pay_time: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl PaymentDoc {
    pub fn key(&self) -> String {
        order_key(&self.ebp_code, &self.order_no)
    }
}

/// 运单 — `LogisticsHead`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WaybillDoc {
    pub guid: String,
    pub app_type: AppType,
    pub app_time: String,
    pub logistics_code: String,
    pub logistics_name: String,
    pub logistics_no: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bill_no: Option<String>,
    pub order_no: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub freight: Option<Decimal>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub insured_fee: Option<Decimal>,
    pub weight: Decimal,
    pub pack_no: i32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub goods_info: Option<String>,
    pub consignee: String,
    pub consignee_address: String,
    pub consignee_telephone: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl WaybillDoc {
    pub fn key(&self) -> String {
        waybill_key(&self.logistics_code, &self.logistics_no)
    }
}

/// 进口清单 — `InventoryHead` and its `InventoryList` lines.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct InventoryDoc {
    pub guid: String,
    pub app_type: AppType,
    pub app_time: String,
    pub order_no: String,
    pub ebp_code: String,
    pub ebp_name: String,
    pub ebc_code: String,
    pub ebc_name: String,
    pub logistics_no: String,
    pub logistics_code: String,
    pub logistics_name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cop_no: Option<String>,
    /// 担保企业编号 — whose guarantee the tax is reserved against.
    pub assure_code: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ems_no: Option<String>,
    pub ie_flag: String,
    pub decl_time: String,
    pub customs_code: String,
    pub port_code: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ie_date: Option<String>,
    pub buyer_id_type: String,
    pub buyer_id_number: String,
    pub buyer_name: String,
    pub buyer_telephone: String,
    pub consignee_address: String,
    pub agent_code: String,
    pub agent_name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub area_code: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub area_name: Option<String>,
    /// 9610 direct purchase, 1210 bonded.
    pub trade_mode: String,
    pub traf_mode: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub traf_no: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub voyage_no: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bill_no: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub loct_no: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub license_no: Option<String>,
    /// 启运国 — GACC country code.
    pub country: String,
    pub freight: Decimal,
    pub insured_fee: Decimal,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wrap_type: Option<String>,
    pub pack_no: i32,
    pub gross_weight: Decimal,
    pub net_weight: Decimal,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    pub items: Vec<InventoryLine>,
}

impl InventoryDoc {
    pub fn key(&self) -> String {
        order_key(&self.ebp_code, &self.order_no)
    }

    pub fn waybill_key(&self) -> String {
        waybill_key(&self.logistics_code, &self.logistics_no)
    }

    pub fn buyer(&self) -> BuyerId {
        BuyerId::new(&self.buyer_id_type, &self.buyer_id_number)
    }

    /// 完税价格 — the transaction value the limits and the tax apply to: the goods, freight and
    /// insurance.
    pub fn value(&self) -> Decimal {
        self.goods_total() + self.freight + self.insured_fee
    }

    pub fn goods_total(&self) -> Decimal {
        self.items.iter().map(|i| i.total_price).sum()
    }

    /// 单件不可分割 — one goods line of quantity one.
    pub fn single_indivisible(&self) -> bool {
        self.items.len() == 1 && self.items[0].qty == Decimal::ONE
    }
}

/// `InventoryList` — one goods line of an inventory list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct InventoryLine {
    pub gnum: i32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub item_record_no: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub item_no: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub item_name: Option<String>,
    /// 商品编码 — 10-digit HS code.
    pub gcode: String,
    pub gname: String,
    pub gmodel: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bar_code: Option<String>,
    /// 原产国 — GACC country code.
    pub country: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trade_country: Option<String>,
    pub qty: Decimal,
    pub unit: String,
    pub qty1: Decimal,
    pub unit1: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub qty2: Option<Decimal>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit2: Option<String>,
    pub price: Decimal,
    pub total_price: Decimal,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}
