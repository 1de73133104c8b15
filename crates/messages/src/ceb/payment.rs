//! `CEB411Message` — the payment voucher (支付凭证) sent by the payment company — and its
//! receipt `CEB412Message` (`PaymentReturn`).
//!
//! Element names, order, `minOccurs`, lengths and digits follow `PaymentHead` and
//! `PaymentReturn` in `data/ceb/2018/xsd/import.xsd` (identical in the 2022-05 revision).
//! `currency` is `fixed="142"`; the documented code lists (appType 1/2/3, payerIdType 1/2)
//! are enforced as `enumeration`. Values are trimmed and an empty optional element counts
//! as absent. Not checked: the signature, `BaseSubscribe`, `ExtendMessage`; `BaseTransfer`
//! is accepted as absent.

use rust_decimal::Decimal;

use super::fields::{len, s, CNY, DEC, ID_TYPES};
use super::message::{kind, Doc, Spec};
use super::receipt::{Fill::Req, GUID};
use super::schema::group;

kind! {
    /// `CEB411` as a type: one `PaymentHead` per `Payment`, no lines.
    Ceb411 => Ceb411Message, parse_ceb411: PaymentHead;
    Spec::new("CEB411Message", "Payment", Some("PaymentHead"))
        .receipt("CEB412Message", "PaymentReturn", &[GUID, ("payCode", Req(1, 18)), ("payTransactionId", Req(1, 60))])
        .senders(&["payCode", "ebpCode"])
}

/// One `Payment`: its head.
pub type Payment = Doc<Ceb411>;

group! {
    /// `PaymentHead` (支付凭证表头).
    pub struct PaymentHead {
        ..document,
        pay_code: String = "payCode" s(1, 18),
        pay_name: String = "payName" s(1, 100),
        pay_transaction_id: String = "payTransactionId" s(1, 60),
        order_no: String = "orderNo" s(1, 60),
        ebp_code: String = "ebpCode" s(1, 18),
        ebp_name: String = "ebpName" s(1, 100),
        payer_id_type: String = "payerIdType" len(1).one_of(ID_TYPES),
        payer_id_number: String = "payerIdNumber" s(1, 60),
        payer_name: String = "payerName" s(1, 60),
        telephone: Option<String> = "telephone" s(0, 60),
        amount_paid: Decimal = "amountPaid" DEC,
        currency: String = "currency" len(3).fixed(CNY),
        /// `YYYYMMDDhhmmss`.
        pay_time: String = "payTime" len(14),
        note: Option<String> = "note" s(0, 1000),
    }
}
