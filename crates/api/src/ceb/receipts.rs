//! The receipt each CEB message is answered with (CEB312, 412, 512, 622, 624, 626, 712), one
//! return element per document, from the answers the write path gave.

use super::message::Parsed;
use guomen_messages::ceb::{
    write_ceb312, write_ceb412, write_ceb512, write_ceb622, write_ceb624, write_ceb626, write_ceb712, DeliveryReturn, InventoryReturn,
    InvtCancelReturn, InvtRefundReturn, LogisticsReturn, OrderReturn, PaymentReturn,
};
use guomen_store::ceb::DocAnswer;

/// `returnTime`: `YYYYMMDDhhmmssSSS` in China time.
pub fn return_time(at_ms: i64) -> String {
    let t = time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(at_ms) * 1_000_000)
        .unwrap_or(time::OffsetDateTime::UNIX_EPOCH)
        .to_offset(time::macros::offset!(+8));
    format!(
        "{:04}{:02}{:02}{:02}{:02}{:02}{:03}",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second(),
        t.millisecond()
    )
}

/// 18 zeros: the receipt needs a preNo, and none was assigned to a document refused before
/// it was numbered.
const NO_NUMBER: &str = "000000000000000000";

fn eighteen(v: Option<&str>) -> Option<String> {
    v.filter(|s| s.chars().count() == 18).map(str::to_owned)
}

/// copNo is required in the receipts (1–20 characters); documents without one are named by
/// the start of their order number.
fn cop_no(cop: Option<&str>, order_no: &str) -> String {
    match cop.filter(|c| !c.is_empty()) {
        Some(c) => c.to_owned(),
        None => order_no.chars().take(20).collect(),
    }
}

pub fn write(parsed: &Parsed, answers: &[DocAnswer]) -> String {
    let t = |a: &DocAnswer| return_time(a.at_ms);
    match parsed {
        Parsed::Orders(m) => write_ceb312(
            &m.orders
                .iter()
                .zip(answers)
                .map(|(o, a)| OrderReturn::for_head(&o.head, a.status.clone(), t(a), a.info.clone()))
                .collect::<Vec<_>>(),
        ),
        Parsed::Payments(m) => write_ceb412(
            &m.payments
                .iter()
                .zip(answers)
                .map(|(p, a)| PaymentReturn::for_head(p, a.status.clone(), t(a), a.info.clone()))
                .collect::<Vec<_>>(),
        ),
        Parsed::Waybills(m) => write_ceb512(
            &m.waybills
                .iter()
                .zip(answers)
                .map(|(w, a)| LogisticsReturn::for_head(w, a.status.clone(), t(a), a.info.clone()))
                .collect::<Vec<_>>(),
        ),
        Parsed::Inventories(m) => write_ceb622(
            &m.inventories
                .iter()
                .zip(answers)
                .map(|(v, a)| {
                    let h = &v.head;
                    let pre = a.pre_no.clone().or_else(|| eighteen(h.pre_no.as_deref())).unwrap_or_else(|| NO_NUMBER.into());
                    let mut r = InventoryReturn::for_head(h, pre, a.status.clone(), t(a), a.info.clone());
                    r.cop_no = cop_no(h.cop_no.as_deref(), &h.order_no);
                    r.invt_no = a.invt_no.clone().or_else(|| eighteen(h.invt_no.as_deref()));
                    r
                })
                .collect::<Vec<_>>(),
        ),
        Parsed::Cancels(m) => write_ceb624(
            &m.cancels
                .iter()
                .zip(answers)
                .map(|(c, a)| {
                    let pre = a.pre_no.clone().or_else(|| eighteen(c.pre_no.as_deref())).unwrap_or_else(|| NO_NUMBER.into());
                    let mut r = InvtCancelReturn::for_cancel(c, pre, a.status.clone(), t(a), a.info.clone());
                    r.cop_no = cop_no(c.cop_no.as_deref(), &c.order_no);
                    if let Some(n) = &a.invt_no {
                        r.invt_no = Some(n.clone());
                    }
                    r
                })
                .collect::<Vec<_>>(),
        ),
        Parsed::Refunds(m) => write_ceb626(
            &m.refunds
                .iter()
                .zip(answers)
                .map(|(x, a)| {
                    let h = &x.head;
                    let pre = a.pre_no.clone().or_else(|| eighteen(h.pre_no.as_deref())).unwrap_or_else(|| NO_NUMBER.into());
                    let mut r = InvtRefundReturn::for_head(h, pre, a.status.clone(), t(a), a.info.clone());
                    r.cop_no = cop_no(h.cop_no.as_deref(), &h.order_no);
                    if let Some(n) = &a.invt_no {
                        r.invt_no = Some(n.clone());
                    }
                    r
                })
                .collect::<Vec<_>>(),
        ),
        Parsed::Delivery(m) => {
            let a = &answers[0];
            write_ceb712(&[DeliveryReturn::for_head(&m.head, a.status.clone(), t(a), a.info.clone())])
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn return_time_is_china_time_to_the_millisecond() {
        // 2026-11-30T16:00:00.123Z is 2026-12-01 00:00:00.123 in China.
        assert_eq!(super::return_time(1_796_054_400_123), "20261201000000123");
    }
}
