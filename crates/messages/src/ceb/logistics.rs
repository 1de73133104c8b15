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

use super::fields::{int, len, s, CNY, DEC};
use super::message::{kind, Doc, Spec};
use super::receipt::{Fill::Req, GUID};
use super::schema::group;

kind! {
    /// `CEB511` as a type: one `LogisticsHead` per `Logistics`, no lines.
    Ceb511 => Ceb511Message, parse_ceb511: LogisticsHead;
    Spec::new("CEB511Message", "Logistics", Some("LogisticsHead"))
        .receipt("CEB512Message", "LogisticsReturn", &[GUID, ("logisticsCode", Req(1, 18)), ("logisticsNo", Req(1, 60))])
        .senders(&["logisticsCode"])
}

/// One `Logistics`: its head.
pub type Logistics = Doc<Ceb511>;

group! {
    /// `LogisticsHead` (物流运单表头).
    pub struct LogisticsHead {
        ..document,
        logistics_code: String = "logisticsCode" s(1, 18),
        logistics_name: String = "logisticsName" s(1, 100),
        logistics_no: String = "logisticsNo" s(1, 60),
        bill_no: Option<String> = "billNo" s(0, 37),
        order_no: String = "orderNo" s(1, 60),
        freight: Option<Decimal> = "freight" DEC,
        insured_fee: Option<Decimal> = "insuredFee" DEC,
        currency: String = "currency" len(3).fixed(CNY),
        /// Gross weight in kilograms.
        weight: Decimal = "weight" DEC,
        pack_no: i32 = "packNo" int(9),
        goods_info: Option<String> = "goodsInfo" s(0, 200),
        consignee: String = "consignee" s(1, 100),
        consignee_address: String = "consigneeAddress" s(1, 200),
        consignee_telephone: String = "consigneeTelephone" s(1, 50),
        note: Option<String> = "note" s(0, 1000),
    }
}
