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

use super::common::{base_transfer, parts, read_group, read_root, root_attrs, wrappers, write_returns};
use super::fields::{len, s, Field, DEC};
use super::inventory::BaseTransfer;
use super::CebError;

const ROOT: &str = "CEB411Message";

/// A whole `CEB411Message`: one `PaymentHead` per `Payment` element.
#[derive(Debug, Clone, PartialEq)]
pub struct Ceb411Message {
    pub guid: String,
    pub version: String,
    pub payments: Vec<PaymentHead>,
    pub base_transfer: Option<BaseTransfer>,
}

/// `PaymentHead` (支付凭证表头).
#[derive(Debug, Clone, PartialEq)]
pub struct PaymentHead {
    pub guid: String,
    pub app_type: String,
    /// `YYYYMMDDhhmmss`.
    pub app_time: String,
    pub app_status: String,
    pub pay_code: String,
    pub pay_name: String,
    pub pay_transaction_id: String,
    pub order_no: String,
    pub ebp_code: String,
    pub ebp_name: String,
    pub payer_id_type: String,
    pub payer_id_number: String,
    pub payer_name: String,
    pub telephone: Option<String>,
    pub amount_paid: Decimal,
    pub currency: String,
    /// `YYYYMMDDhhmmss`.
    pub pay_time: String,
    pub note: Option<String>,
}

const HEAD: &[Field] = &[
    Field::req("guid", len(36)),
    Field::req("appType", len(1)).one_of(&["1", "2", "3"]),
    Field::req("appTime", len(14)),
    Field::req("appStatus", s(1, 3)),
    Field::req("payCode", s(1, 18)),
    Field::req("payName", s(1, 100)),
    Field::req("payTransactionId", s(1, 60)),
    Field::req("orderNo", s(1, 60)),
    Field::req("ebpCode", s(1, 18)),
    Field::req("ebpName", s(1, 100)),
    Field::req("payerIdType", len(1)).one_of(&["1", "2"]),
    Field::req("payerIdNumber", s(1, 60)),
    Field::req("payerName", s(1, 60)),
    Field::opt("telephone", s(0, 60)),
    Field::req("amountPaid", DEC),
    Field::req("currency", len(3)).fixed("142"),
    Field::req("payTime", len(14)),
    Field::opt("note", s(0, 1000)),
];

/// Reads and validates a `CEB411Message`, returning every problem found (malformed XML,
/// a wrong root or namespace is a single error).
pub fn parse_ceb411(xml: &[u8]) -> Result<Ceb411Message, Vec<CebError>> {
    let root = read_root(xml, ROOT)?;
    let mut errors = Vec::new();
    let (guid, version) = root_attrs(&root, &mut errors);
    let mut payments = Vec::new();
    for (i, el) in wrappers(&root, "Payment", &mut errors).into_iter().enumerate() {
        let path = format!("Payment[{i}]");
        let (head_el, _) = parts(el, &path, "PaymentHead", None, &mut errors);
        payments.push(read_group(head_el, format!("{path}/PaymentHead"), HEAD, &mut errors, |g| PaymentHead {
            guid: g.req("guid"),
            app_type: g.req("appType"),
            app_time: g.req("appTime"),
            app_status: g.req("appStatus"),
            pay_code: g.req("payCode"),
            pay_name: g.req("payName"),
            pay_transaction_id: g.req("payTransactionId"),
            order_no: g.req("orderNo"),
            ebp_code: g.req("ebpCode"),
            ebp_name: g.req("ebpName"),
            payer_id_type: g.req("payerIdType"),
            payer_id_number: g.req("payerIdNumber"),
            payer_name: g.req("payerName"),
            telephone: g.opt("telephone"),
            amount_paid: g.dec("amountPaid"),
            currency: g.req("currency"),
            pay_time: g.req("payTime"),
            note: g.opt("note"),
        }));
    }
    let base_transfer = base_transfer(&root, &mut errors);
    if errors.is_empty() {
        Ok(Ceb411Message { guid, version, payments, base_transfer })
    } else {
        Err(errors)
    }
}

/// One `PaymentReturn`. XSD limits: `guid` 36 characters, `payCode` 1–18,
/// `payTransactionId` 1–60, `returnStatus` 1–10, `returnTime` 17 (`YYYYMMDDhhmmssSSS`),
/// `returnInfo` 1–1000. The writer does not check them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaymentReturn {
    pub guid: String,
    pub pay_code: String,
    pub pay_transaction_id: String,
    /// e.g. 2 申报中, 3 sent to customs, 4 sending failed, 100 rejected, 120 accepted,
    /// 399 concluded; negative numbers report a processing error.
    pub return_status: String,
    /// `YYYYMMDDhhmmssSSS`.
    pub return_time: String,
    pub return_info: String,
}

impl PaymentReturn {
    /// A receipt for a payment head: copies its guid, payment company code and transaction id.
    pub fn for_head(head: &PaymentHead, return_status: String, return_time: String, return_info: String) -> Self {
        PaymentReturn {
            guid: head.guid.clone(),
            pay_code: head.pay_code.clone(),
            pay_transaction_id: head.pay_transaction_id.clone(),
            return_status,
            return_time,
            return_info,
        }
    }
}

/// Writes a `CEB412Message` (UTF-8, default CEB namespace, `version="1.0"`, root `guid`
/// from the first receipt). The XSD requires 1 to 100 receipts. Text is escaped.
pub fn write_ceb412(receipts: &[PaymentReturn]) -> String {
    let rows: Vec<Vec<(&str, Option<&str>)>> = receipts
        .iter()
        .map(|r| {
            vec![
                ("guid", Some(r.guid.as_str())),
                ("payCode", Some(&r.pay_code)),
                ("payTransactionId", Some(&r.pay_transaction_id)),
                ("returnStatus", Some(&r.return_status)),
                ("returnTime", Some(&r.return_time)),
                ("returnInfo", Some(&r.return_info)),
            ]
        })
        .collect();
    write_returns("CEB412Message", "PaymentReturn", &rows)
}
