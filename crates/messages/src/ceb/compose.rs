//! Writing the messages themselves from the documents customs keeps: what a platform, payment
//! firm, logistics firm, agent or site operator sends. Used to generate traffic for the
//! benchmark, the demo and the tests, and to re-issue a document as it was received. The
//! documents are turned into messages ([`super::convert`]) and written by the one message
//! writer ([`Message::to_xml`]), in the element order of `import.xsd`; `appStatus` is 2
//! (declared) and `currency` 142. Messages are not signed: CEB621 requires the sender's
//! `ds:Signature`, made with the enterprise's own key, which Guomen neither holds nor checks.

use guomen_domain::ceb::{InventoryDoc, OrderDoc, PaymentDoc, WaybillDoc};
use rust_decimal::Decimal;

use super::convert::{inventory_of, order_of, payment_of, waybill_of};
use super::message::{BaseTransfer, Doc, Kind, Message};
use super::{DeliveryHead, DeliveryItem, InvtCancel, InvtRefundItem};

/// `BaseTransfer`: the company transmitting the message.
#[derive(Debug, Clone)]
pub struct Transfer {
    pub cop_code: String,
    pub cop_name: String,
    pub dxp_id: String,
}

fn compose<K: Kind>(guid: &str, documents: impl IntoIterator<Item = Doc<K>>, t: &Transfer) -> String {
    let base_transfer = BaseTransfer {
        cop_code: t.cop_code.clone(),
        cop_name: t.cop_name.clone(),
        dxp_mode: "DXP".into(),
        dxp_id: t.dxp_id.clone(),
        note: None,
    };
    Message { guid: guid.into(), version: "1.0".into(), documents: documents.into_iter().collect(), base_transfer: Some(base_transfer) }
        .to_xml()
}

/// `CEB311Message` with one `Order` per document (at most 100).
pub fn ceb311(guid: &str, orders: &[OrderDoc], t: &Transfer) -> String {
    compose(guid, orders.iter().map(order_of), t)
}

/// `CEB411Message` with one `Payment` per document.
pub fn ceb411(guid: &str, payments: &[PaymentDoc], t: &Transfer) -> String {
    compose(guid, payments.iter().map(payment_of), t)
}

/// `CEB511Message` with one `Logistics` per document.
pub fn ceb511(guid: &str, waybills: &[WaybillDoc], t: &Transfer) -> String {
    compose(guid, waybills.iter().map(waybill_of), t)
}

/// `CEB621Message` with one `Inventory` per document.
pub fn ceb621(guid: &str, inventories: &[InventoryDoc], t: &Transfer) -> String {
    compose(guid, inventories.iter().map(inventory_of), t)
}

/// The cancellation request of an inventory list, from the list as declared.
pub fn cancel_for(v: &InventoryDoc, invt_no: &str, guid: &str, app_time: &str, reason: &str) -> InvtCancel {
    InvtCancel {
        guid: guid.into(),
        app_type: "1".into(),
        app_time: app_time.into(),
        app_status: "2".into(),
        customs_code: v.customs_code.clone(),
        order_no: v.order_no.clone(),
        ebp_code: v.ebp_code.clone(),
        ebp_name: v.ebp_name.clone(),
        ebc_code: v.ebc_code.clone(),
        ebc_name: v.ebc_name.clone(),
        logistics_no: v.logistics_no.clone(),
        logistics_code: v.logistics_code.clone(),
        logistics_name: v.logistics_name.clone(),
        cop_no: v.cop_no.clone(),
        pre_no: None,
        invt_no: invt_no.into(),
        buyer_id_type: v.buyer_id_type.clone(),
        buyer_id_number: v.buyer_id_number.clone(),
        buyer_name: v.buyer_name.clone(),
        buyer_telephone: v.buyer_telephone.clone(),
        agent_code: v.agent_code.clone(),
        agent_name: v.agent_name.clone(),
        reason: reason.into(),
        note: None,
    }
}

/// `CEB623Message`.
pub fn ceb623(guid: &str, cancels: &[InvtCancel], t: &Transfer) -> String {
    compose(guid, cancels.iter().map(|c| Doc::<super::Ceb623> { head: c.clone(), items: Vec::new() }), t)
}

/// `CEB625Message`: goods of declared inventory lists returned, line by line (gnum, quantity);
/// a gnum the inventory list does not have is left out. The request is a new one (appType 1).
pub fn ceb625(guid: &str, refunds: &[(InvtCancel, Vec<(i32, Decimal)>)], inventories: &[&InventoryDoc], t: &Transfer) -> String {
    let documents = refunds.iter().zip(inventories).map(|((c, lines), v)| Doc::<super::Ceb625> {
        head: InvtCancel { app_type: "1".into(), ..c.clone() },
        items: lines
            .iter()
            .filter_map(|&(gnum, qty)| {
                let l = v.items.iter().find(|l| l.gnum == gnum)?;
                Some(InvtRefundItem { gnum, gcode: l.gcode.clone(), gname: l.gname.clone(), qty, unit: l.unit.clone(), note: None })
            })
            .collect(),
    });
    compose(guid, documents, t)
}

/// `CEB711Message`: parcels of one logistics firm leaving the supervised site.
#[allow(clippy::too_many_arguments)]
pub fn ceb711(
    guid: &str,
    customs_code: &str,
    cop_no: &str,
    operator: (&str, &str),
    logistics: (&str, &str),
    bill_no: &str,
    logistics_nos: &[&str],
    app_time: &str,
    t: &Transfer,
) -> String {
    let head = DeliveryHead {
        guid: guid.into(),
        app_type: "1".into(),
        app_time: app_time.into(),
        app_status: "2".into(),
        customs_code: customs_code.into(),
        cop_no: Some(cop_no.into()),
        pre_no: None,
        rkd_no: None,
        operator_code: operator.0.into(),
        operator_name: operator.1.into(),
        ie_flag: "I".into(),
        traf_mode: "5".into(),
        traf_no: "CA1046".into(),
        voyage_no: "20261130".into(),
        bill_no: bill_no.into(),
        logistics_code: logistics.0.into(),
        logistics_name: logistics.1.into(),
        unload_location: None,
        note: None,
    };
    let items = logistics_nos.iter().enumerate().map(|(i, no)| DeliveryItem { gnum: i as i32 + 1, logistics_no: (*no).into(), note: None });
    compose(guid, [Doc::<super::Ceb711> { head, items: items.collect() }], t)
}
