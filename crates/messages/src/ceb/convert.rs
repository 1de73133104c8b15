//! Between checked CEB messages and the documents customs keeps (`guomen_domain::ceb`), both
//! ways. The readers have already enforced the XSD rules, so this is a plain mapping of the
//! fields both sides have, named once per document in a `mirror!` line-up that gives both
//! directions. Towards the domain the transport-only elements are dropped (`appStatus`,
//! `currency`, always 142, `orderType`, the numbers customs assigns); from the domain they are
//! composed as a sender declares a new document (`appStatus` 2, `currency` 142, no numbers).

use guomen_domain::ceb::{AppType, InventoryDoc, InventoryLine, OrderDoc, OrderLine, PaymentDoc, WaybillDoc};

use super::fields::CNY;
use super::message::Doc;
use super::{Inventory, InventoryHead, InventoryItem, Logistics, LogisticsHead, Order, OrderHead, OrderItem, Payment, PaymentHead};

/// `appStatus` of a document being declared (申报).
const DECLARED: &str = "2";

/// One field from one side to the other: the same type is cloned; `appType` is a code in the
/// message and an [`AppType`] in the domain.
trait Mirror<T> {
    fn mirror(&self) -> T;
}

impl<T: Clone> Mirror<T> for T {
    fn mirror(&self) -> T {
        self.clone()
    }
}

impl Mirror<AppType> for String {
    /// The readers admit only 1, 2 and 3.
    fn mirror(&self) -> AppType {
        AppType::from_code(self).unwrap_or(AppType::New)
    }
}

impl Mirror<String> for AppType {
    fn mirror(&self) -> String {
        match self {
            AppType::New => "1",
            AppType::Change => "2",
            AppType::Delete => "3",
        }
        .into()
    }
}

/// `to_doc, from_doc: Wrapper = Head <=> DomainDoc { shared fields } else { message-only
/// fields when composed }`, optionally followed by the same for the goods lines.
macro_rules! mirror {
    (
        $to:ident, $from:ident: $wrapper:ty = $head:ident <=> $doc:ident { $($f:ident),+ $(,)? }
        else { $($hf:ident: $hv:expr),* $(,)? }
    ) => {
        /// The domain's document from the message's.
        pub fn $to(d: &$wrapper) -> $doc {
            let h = &d.head;
            $doc { $($f: h.$f.mirror(),)+ }
        }

        /// The message's document declaring the domain's.
        pub fn $from(doc: &$doc) -> $wrapper {
            Doc { head: $head { $($f: doc.$f.mirror(),)+ $($hf: $hv,)* }, items: Vec::new() }
        }
    };
    (
        $to:ident, $from:ident: $wrapper:ty = $head:ident <=> $doc:ident { $($f:ident),+ $(,)? }
        else { $($hf:ident: $hv:expr),* $(,)? }
        lines $item:ident <=> $line:ident { $($lf:ident),+ $(,)? }
        else { $($lhf:ident: $lhv:expr),* $(,)? }
    ) => {
        /// The domain's document from the message's.
        pub fn $to(d: &$wrapper) -> $doc {
            let h = &d.head;
            $doc { $($f: h.$f.mirror(),)+ items: d.items.iter().map(|l| $line { $($lf: l.$lf.mirror(),)+ }).collect() }
        }

        /// The message's document declaring the domain's.
        pub fn $from(doc: &$doc) -> $wrapper {
            Doc {
                head: $head { $($f: doc.$f.mirror(),)+ $($hf: $hv,)* },
                items: doc.items.iter().map(|l| $item { $($lf: l.$lf.mirror(),)+ $($lhf: $lhv,)* }).collect(),
            }
        }
    };
}

mirror! {
    order_doc, order_of: Order = OrderHead <=> OrderDoc {
        guid, app_type, app_time, order_no, ebp_code, ebp_name, ebc_code, ebc_name, goods_value, freight, discount,
        tax_total, actural_paid, buyer_reg_no, buyer_name, buyer_telephone, buyer_id_type, buyer_id_number, pay_code,
        pay_name, pay_transaction_id, batch_numbers, consignee, consignee_telephone, consignee_address,
        consignee_district, note,
    } else { app_status: DECLARED.into(), order_type: "I".into(), currency: CNY.into() }
    lines OrderItem <=> OrderLine {
        gnum, item_no, item_name, gmodel, item_describe, bar_code, unit, qty, price, total_price, country, note,
    } else { currency: CNY.into() }
}

mirror! {
    payment_doc, payment_of: Payment = PaymentHead <=> PaymentDoc {
        guid, app_type, app_time, pay_code, pay_name, pay_transaction_id, order_no, ebp_code, ebp_name, payer_id_type,
        payer_id_number, payer_name, telephone, amount_paid, pay_time, note,
    } else { app_status: DECLARED.into(), currency: CNY.into() }
}

mirror! {
    waybill_doc, waybill_of: Logistics = LogisticsHead <=> WaybillDoc {
        guid, app_type, app_time, logistics_code, logistics_name, logistics_no, bill_no, order_no, freight, insured_fee,
        weight, pack_no, goods_info, consignee, consignee_address, consignee_telephone, note,
    } else { app_status: DECLARED.into(), currency: CNY.into() }
}

mirror! {
    inventory_doc, inventory_of: Inventory = InventoryHead <=> InventoryDoc {
        guid, app_type, app_time, order_no, ebp_code, ebp_name, ebc_code, ebc_name, logistics_no, logistics_code,
        logistics_name, cop_no, assure_code, ems_no, ie_flag, decl_time, customs_code, port_code, ie_date,
        buyer_id_type, buyer_id_number, buyer_name, buyer_telephone, consignee_address, agent_code, agent_name,
        area_code, area_name, trade_mode, traf_mode, traf_no, voyage_no, bill_no, loct_no, license_no, country,
        freight, insured_fee, wrap_type, pack_no, gross_weight, net_weight, note,
    } else { app_status: DECLARED.into(), pre_no: None, invt_no: None, currency: CNY.into() }
    lines InventoryItem <=> InventoryLine {
        gnum, item_record_no, item_no, item_name, gcode, gname, gmodel, bar_code, country, trade_country, qty, unit,
        qty1, unit1, qty2, unit2, price, total_price, note,
    } else { currency: CNY.into() }
}
