//! 三单对碰 — the three-document check: an inventory list is accepted only when its order,
//! payment and waybill agree with it and with each other. Every disagreement is reported with
//! the path of the field that disagrees (relative to its message's wrapper element, e.g.
//! `InventoryHead/buyerName`, `InventoryList[1]/totalPrice`, `PaymentHead/amountPaid`).

use super::documents::{InventoryDoc, OrderDoc, PaymentDoc, WaybillDoc};
use serde::{Deserialize, Serialize};

/// One field that does not agree, in both languages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Disagreement {
    pub path: String,
    pub en: String,
    pub zh: String,
}

/// Records that `field` (English, Chinese) is `here` on this document and `there` on `other`.
fn differ(out: &mut Vec<Disagreement>, path: impl Into<String>, field: (&str, &str), here: &str, there: &str, other: (&str, &str)) {
    let ((what, what_zh), (doc, doc_zh)) = (field, other);
    out.push(Disagreement {
        path: path.into(),
        en: format!("{what} {here:?} does not match the {doc} ({there:?})"),
        zh: format!("{what_zh}「{here}」与{doc_zh}（「{there}」）不一致"),
    });
}

/// Everything on which the four documents disagree; empty when they agree.
pub fn three_documents(inv: &InventoryDoc, order: &OrderDoc, payment: &PaymentDoc, waybill: &WaybillDoc) -> Vec<Disagreement> {
    let mut out = Vec::new();
    let order_doc = ("order (CEB311)", "订单");
    let eq = |a: &str, b: &str| a.trim() == b.trim();

    // The keys brought the documents together: ebpCode + orderNo for the order and payment,
    // logisticsCode + logisticsNo for the waybill. The rest must agree.
    if !eq(&inv.ebc_code, &order.ebc_code) {
        differ(&mut out, "InventoryHead/ebcCode", ("e-commerce enterprise", "电商企业代码"), &inv.ebc_code, &order.ebc_code, order_doc);
    }
    if !eq(&inv.buyer_id_type, &order.buyer_id_type) {
        differ(
            &mut out,
            "InventoryHead/buyerIdType",
            ("buyer identity type", "订购人证件类型"),
            &inv.buyer_id_type,
            &order.buyer_id_type,
            order_doc,
        );
    }
    if !inv.buyer_id_number.trim().eq_ignore_ascii_case(order.buyer_id_number.trim()) {
        differ(
            &mut out,
            "InventoryHead/buyerIdNumber",
            ("buyer identity number", "订购人证件号码"),
            &inv.buyer_id_number,
            &order.buyer_id_number,
            order_doc,
        );
    }
    if !eq(&inv.buyer_name, &order.buyer_name) {
        differ(&mut out, "InventoryHead/buyerName", ("buyer name", "订购人姓名"), &inv.buyer_name, &order.buyer_name, order_doc);
    }
    if inv.freight != order.freight {
        differ(&mut out, "InventoryHead/freight", ("freight", "运费"), &inv.freight.to_string(), &order.freight.to_string(), order_doc);
    }

    // Goods: the same lines (by gnum), quantities and line totals; the sum equals goodsValue.
    if inv.items.len() != order.items.len() {
        out.push(Disagreement {
            path: "InventoryList".into(),
            en: format!("the inventory has {} goods lines, the order (CEB311) {}", inv.items.len(), order.items.len()),
            zh: format!("清单商品项数 {} 与订单商品项数 {} 不一致", inv.items.len(), order.items.len()),
        });
    }
    for (i, line) in inv.items.iter().enumerate() {
        let path = format!("InventoryList[{i}]");
        let Some(ol) = order.items.iter().find(|l| l.gnum == line.gnum) else {
            out.push(Disagreement {
                path: format!("{path}/gnum"),
                en: format!("goods line {} has no line with that gnum in the order (CEB311)", line.gnum),
                zh: format!("清单第 {} 项在订单中没有对应商品项", line.gnum),
            });
            continue;
        };
        if let (Some(a), Some(b)) = (&line.item_no, &ol.item_no) {
            if !eq(a, b) {
                differ(&mut out, format!("{path}/itemNo"), ("item number", "企业商品货号"), a, b, order_doc);
            }
        }
        if line.qty != ol.qty {
            differ(&mut out, format!("{path}/qty"), ("quantity", "数量"), &line.qty.to_string(), &ol.qty.to_string(), order_doc);
        }
        if line.total_price != ol.total_price {
            differ(
                &mut out,
                format!("{path}/totalPrice"),
                ("line total", "总价"),
                &line.total_price.to_string(),
                &ol.total_price.to_string(),
                order_doc,
            );
        }
    }
    let goods = inv.goods_total();
    if goods != order.goods_value {
        differ(
            &mut out,
            "InventoryList",
            ("goods total", "商品总价"),
            &goods.to_string(),
            &order.goods_value.to_string(),
            ("order's goodsValue (CEB311)", "订单商品价格"),
        );
    }

    // Payment: the amount actually paid, by the buyer.
    let payment_doc = ("payment (CEB411)", "支付单");
    if payment.amount_paid != order.actural_paid {
        differ(
            &mut out,
            "PaymentHead/amountPaid",
            ("amount paid", "支付金额"),
            &payment.amount_paid.to_string(),
            &order.actural_paid.to_string(),
            ("order's acturalPaid (CEB311)", "订单实际支付金额"),
        );
    }
    if !eq(&payment.payer_id_type, &inv.buyer_id_type) {
        differ(
            &mut out,
            "PaymentHead/payerIdType",
            ("payer identity type", "支付人证件类型"),
            &payment.payer_id_type,
            &inv.buyer_id_type,
            ("buyer on the inventory", "清单订购人"),
        );
    }
    if !payment.payer_id_number.trim().eq_ignore_ascii_case(inv.buyer_id_number.trim()) {
        differ(
            &mut out,
            "PaymentHead/payerIdNumber",
            ("payer identity number", "支付人证件号码"),
            &payment.payer_id_number,
            &inv.buyer_id_number,
            ("buyer on the inventory", "清单订购人"),
        );
    }
    if let Some(tx) = &order.pay_transaction_id {
        if !eq(tx, &payment.pay_transaction_id) {
            differ(
                &mut out,
                "OrderHead/payTransactionId",
                ("payment transaction", "支付交易编号"),
                tx,
                &payment.pay_transaction_id,
                payment_doc,
            );
        }
    }
    if let Some(code) = &order.pay_code {
        if !eq(code, &payment.pay_code) {
            differ(&mut out, "OrderHead/payCode", ("payment firm", "支付企业代码"), code, &payment.pay_code, payment_doc);
        }
    }

    // Waybill: the same order.
    if !eq(&waybill.order_no, &inv.order_no) {
        differ(
            &mut out,
            "LogisticsHead/orderNo",
            ("waybill's order number", "运单订单编号"),
            &waybill.order_no,
            &inv.order_no,
            ("inventory (CEB621)", "清单"),
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ceb::samples::{inventory, order, payment, waybill};
    use rust_decimal::Decimal;

    fn paths(inv: &InventoryDoc, o: &OrderDoc, p: &PaymentDoc, w: &WaybillDoc) -> Vec<String> {
        three_documents(inv, o, p, w).into_iter().map(|d| d.path).collect()
    }

    #[test]
    fn agreeing_documents_pass() {
        assert!(three_documents(&inventory(), &order(), &payment(), &waybill()).is_empty());
    }

    /// One row per kind of disagreement: (what to change, the path reported).
    #[test]
    fn each_disagreement_names_its_field() {
        type Change = fn(&mut InventoryDoc, &mut OrderDoc, &mut PaymentDoc, &mut WaybillDoc);
        let cases: Vec<(Change, &[&str])> = vec![
            (|i, _, _, _| i.ebc_code = "9999999999".into(), &["InventoryHead/ebcCode"]),
            (
                |i, _, p, _| {
                    i.buyer_id_number = "110101199001010099".into();
                    p.payer_id_number = i.buyer_id_number.clone()
                },
                &["InventoryHead/buyerIdNumber"],
            ),
            (|i, _, _, _| i.buyer_name = "王五".into(), &["InventoryHead/buyerName"]),
            (
                |_, o, p, _| {
                    o.buyer_id_type = "2".into();
                    p.payer_id_type = "1".into()
                },
                &["InventoryHead/buyerIdType"],
            ),
            (|i, _, _, _| i.freight = Decimal::new(1, 0), &["InventoryHead/freight"]),
            (|i, _, _, _| i.items[0].qty = Decimal::new(3, 0), &["InventoryList[0]/qty"]),
            (|i, _, _, _| i.items[1].total_price += Decimal::ONE, &["InventoryList[1]/totalPrice", "InventoryList"]),
            (|i, _, _, _| i.items[1].gnum = 7, &["InventoryList[1]/gnum"]),
            (
                |i, _, _, _| {
                    i.items.pop();
                },
                &["InventoryList", "InventoryList"],
            ),
            (|i, _, _, _| i.items[0].item_no = Some("X-1".into()), &["InventoryList[0]/itemNo"]),
            (|_, _, p, _| p.amount_paid -= Decimal::ONE, &["PaymentHead/amountPaid"]),
            (|_, _, p, _| p.payer_id_number = "110101199001010099".into(), &["PaymentHead/payerIdNumber"]),
            (|_, _, p, _| p.pay_transaction_id = "OTHER".into(), &["OrderHead/payTransactionId"]),
            (|_, _, p, _| p.pay_code = "1111111111".into(), &["OrderHead/payCode"]),
            (|_, _, _, w| w.order_no = "OTHER-ORDER".into(), &["LogisticsHead/orderNo"]),
        ];
        for (n, (change, expected)) in cases.into_iter().enumerate() {
            let (mut i, mut o, mut p, mut w) = (inventory(), order(), payment(), waybill());
            change(&mut i, &mut o, &mut p, &mut w);
            assert_eq!(paths(&i, &o, &p, &w), expected.to_vec(), "case {n}");
        }
    }

    #[test]
    fn identity_numbers_compare_without_case() {
        let (mut i, o, mut p, w) = (inventory(), order(), payment(), waybill());
        i.buyer_id_number = i.buyer_id_number.to_lowercase();
        p.payer_id_number = p.payer_id_number.to_lowercase();
        assert!(three_documents(&i, &o, &p, &w).is_empty());
    }

    #[test]
    fn messages_are_bilingual_and_name_both_values() {
        let (mut i, o, p, w) = (inventory(), order(), payment(), waybill());
        i.buyer_name = "王五".into();
        let d = &three_documents(&i, &o, &p, &w)[0];
        assert!(d.en.contains("王五") && d.en.contains("张三") && d.en.contains("CEB311"), "{}", d.en);
        assert!(d.zh.contains("订单"), "{}", d.zh);
    }
}
