//! From checked CEB messages to the documents customs keeps (`guomen_domain::ceb`). The
//! readers have already enforced the XSD rules, so this is a plain mapping; the currency
//! (always 142) and the transport envelope are dropped.

use super::inventory::{Inventory, InventoryItem};
use super::logistics::LogisticsHead;
use super::order::{Order, OrderItem};
use super::payment::PaymentHead;
use guomen_domain::ceb::{AppType, InventoryDoc, InventoryLine, OrderDoc, OrderLine, PaymentDoc, WaybillDoc};

fn app_type(code: &str) -> AppType {
    AppType::from_code(code).unwrap_or(AppType::New)
}

pub fn order_doc(o: &Order) -> OrderDoc {
    let h = &o.head;
    OrderDoc {
        guid: h.guid.clone(),
        app_type: app_type(&h.app_type),
        app_time: h.app_time.clone(),
        order_no: h.order_no.clone(),
        ebp_code: h.ebp_code.clone(),
        ebp_name: h.ebp_name.clone(),
        ebc_code: h.ebc_code.clone(),
        ebc_name: h.ebc_name.clone(),
        goods_value: h.goods_value,
        freight: h.freight,
        discount: h.discount,
        tax_total: h.tax_total,
        actural_paid: h.actural_paid,
        buyer_reg_no: h.buyer_reg_no.clone(),
        buyer_name: h.buyer_name.clone(),
        buyer_telephone: h.buyer_telephone.clone(),
        buyer_id_type: h.buyer_id_type.clone(),
        buyer_id_number: h.buyer_id_number.clone(),
        pay_code: h.pay_code.clone(),
        pay_name: h.pay_name.clone(),
        pay_transaction_id: h.pay_transaction_id.clone(),
        batch_numbers: h.batch_numbers.clone(),
        consignee: h.consignee.clone(),
        consignee_telephone: h.consignee_telephone.clone(),
        consignee_address: h.consignee_address.clone(),
        consignee_district: h.consignee_district.clone(),
        note: h.note.clone(),
        items: o.items.iter().map(order_line).collect(),
    }
}

fn order_line(i: &OrderItem) -> OrderLine {
    OrderLine {
        gnum: i.gnum,
        item_no: i.item_no.clone(),
        item_name: i.item_name.clone(),
        gmodel: i.gmodel.clone(),
        item_describe: i.item_describe.clone(),
        bar_code: i.bar_code.clone(),
        unit: i.unit.clone(),
        qty: i.qty,
        price: i.price,
        total_price: i.total_price,
        country: i.country.clone(),
        note: i.note.clone(),
    }
}

pub fn payment_doc(h: &PaymentHead) -> PaymentDoc {
    PaymentDoc {
        guid: h.guid.clone(),
        app_type: app_type(&h.app_type),
        app_time: h.app_time.clone(),
        pay_code: h.pay_code.clone(),
        pay_name: h.pay_name.clone(),
        pay_transaction_id: h.pay_transaction_id.clone(),
        order_no: h.order_no.clone(),
        ebp_code: h.ebp_code.clone(),
        ebp_name: h.ebp_name.clone(),
        payer_id_type: h.payer_id_type.clone(),
        payer_id_number: h.payer_id_number.clone(),
        payer_name: h.payer_name.clone(),
        telephone: h.telephone.clone(),
        amount_paid: h.amount_paid,
        pay_time: h.pay_time.clone(),
        note: h.note.clone(),
    }
}

pub fn waybill_doc(h: &LogisticsHead) -> WaybillDoc {
    WaybillDoc {
        guid: h.guid.clone(),
        app_type: app_type(&h.app_type),
        app_time: h.app_time.clone(),
        logistics_code: h.logistics_code.clone(),
        logistics_name: h.logistics_name.clone(),
        logistics_no: h.logistics_no.clone(),
        bill_no: h.bill_no.clone(),
        order_no: h.order_no.clone(),
        freight: h.freight,
        insured_fee: h.insured_fee,
        weight: h.weight,
        pack_no: h.pack_no,
        goods_info: h.goods_info.clone(),
        consignee: h.consignee.clone(),
        consignee_address: h.consignee_address.clone(),
        consignee_telephone: h.consignee_telephone.clone(),
        note: h.note.clone(),
    }
}

pub fn inventory_doc(inv: &Inventory) -> InventoryDoc {
    let h = &inv.head;
    InventoryDoc {
        guid: h.guid.clone(),
        app_type: app_type(&h.app_type),
        app_time: h.app_time.clone(),
        order_no: h.order_no.clone(),
        ebp_code: h.ebp_code.clone(),
        ebp_name: h.ebp_name.clone(),
        ebc_code: h.ebc_code.clone(),
        ebc_name: h.ebc_name.clone(),
        logistics_no: h.logistics_no.clone(),
        logistics_code: h.logistics_code.clone(),
        logistics_name: h.logistics_name.clone(),
        cop_no: h.cop_no.clone(),
        assure_code: h.assure_code.clone(),
        ems_no: h.ems_no.clone(),
        ie_flag: h.ie_flag.clone(),
        decl_time: h.decl_time.clone(),
        customs_code: h.customs_code.clone(),
        port_code: h.port_code.clone(),
        ie_date: h.ie_date.clone(),
        buyer_id_type: h.buyer_id_type.clone(),
        buyer_id_number: h.buyer_id_number.clone(),
        buyer_name: h.buyer_name.clone(),
        buyer_telephone: h.buyer_telephone.clone(),
        consignee_address: h.consignee_address.clone(),
        agent_code: h.agent_code.clone(),
        agent_name: h.agent_name.clone(),
        area_code: h.area_code.clone(),
        area_name: h.area_name.clone(),
        trade_mode: h.trade_mode.clone(),
        traf_mode: h.traf_mode.clone(),
        traf_no: h.traf_no.clone(),
        voyage_no: h.voyage_no.clone(),
        bill_no: h.bill_no.clone(),
        loct_no: h.loct_no.clone(),
        license_no: h.license_no.clone(),
        country: h.country.clone(),
        freight: h.freight,
        insured_fee: h.insured_fee,
        wrap_type: h.wrap_type.clone(),
        pack_no: h.pack_no,
        gross_weight: h.gross_weight,
        net_weight: h.net_weight,
        note: h.note.clone(),
        items: inv.items.iter().map(inventory_line).collect(),
    }
}

fn inventory_line(i: &InventoryItem) -> InventoryLine {
    InventoryLine {
        gnum: i.gnum,
        item_record_no: i.item_record_no.clone(),
        item_no: i.item_no.clone(),
        item_name: i.item_name.clone(),
        gcode: i.gcode.clone(),
        gname: i.gname.clone(),
        gmodel: i.gmodel.clone(),
        bar_code: i.bar_code.clone(),
        country: i.country.clone(),
        trade_country: i.trade_country.clone(),
        qty: i.qty,
        unit: i.unit.clone(),
        qty1: i.qty1,
        unit1: i.unit1.clone(),
        qty2: i.qty2,
        unit2: i.unit2.clone(),
        price: i.price,
        total_price: i.total_price,
        note: i.note.clone(),
    }
}
