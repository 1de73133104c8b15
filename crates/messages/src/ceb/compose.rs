//! Writing the messages themselves (CEB311, 411, 511, 621) from the documents customs keeps:
//! what a platform, payment firm or logistics firm sends. Used to generate traffic for the
//! benchmark and the tests, and to re-issue a document as it was received. The output follows
//! the element order of `import.xsd`; `appStatus` is 2 (declared) and `currency` 142. Messages
//! are not signed: CEB621 requires the sender's `ds:Signature`, made with the enterprise's own
//! key, which Guomen neither holds nor checks.

use super::common::escape;
use super::NAMESPACE;
use guomen_domain::ceb::{AppType, InventoryDoc, OrderDoc, PaymentDoc, WaybillDoc};
use rust_decimal::Decimal;
use std::fmt::Write as _;

/// `BaseTransfer`: the company transmitting the message.
#[derive(Debug, Clone)]
pub struct Transfer {
    pub cop_code: String,
    pub cop_name: String,
    pub dxp_id: String,
}

struct Xml(String);

impl Xml {
    fn new(root: &str, guid: &str) -> Xml {
        let mut s = String::with_capacity(2048);
        s.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        let _ = writeln!(s, "<ceb:{root} guid=\"{}\" version=\"1.0\" xmlns:ceb=\"{NAMESPACE}\">", escape(guid));
        Xml(s)
    }
    fn open(&mut self, name: &str) {
        let _ = writeln!(self.0, "<ceb:{name}>");
    }
    fn close(&mut self, name: &str) {
        let _ = writeln!(self.0, "</ceb:{name}>");
    }
    fn el(&mut self, name: &str, value: &str) {
        let _ = writeln!(self.0, "<ceb:{name}>{}</ceb:{name}>", escape(value));
    }
    fn opt(&mut self, name: &str, value: &Option<String>) {
        if let Some(v) = value {
            self.el(name, v);
        }
    }
    fn dec(&mut self, name: &str, value: Decimal) {
        self.el(name, &value.normalize().to_string());
    }
    fn finish(mut self, root: &str, t: &Transfer) -> String {
        self.open("BaseTransfer");
        self.el("copCode", &t.cop_code);
        self.el("copName", &t.cop_name);
        self.el("dxpMode", "DXP");
        self.el("dxpId", &t.dxp_id);
        self.close("BaseTransfer");
        let _ = writeln!(self.0, "</ceb:{root}>");
        self.0
    }
}

fn app_type(a: AppType) -> &'static str {
    match a {
        AppType::New => "1",
        AppType::Change => "2",
        AppType::Delete => "3",
    }
}

/// `CEB311Message` with one `Order` per document (at most 100).
pub fn ceb311(guid: &str, orders: &[OrderDoc], t: &Transfer) -> String {
    let mut x = Xml::new("CEB311Message", guid);
    for o in orders {
        x.open("Order");
        x.open("OrderHead");
        x.el("guid", &o.guid);
        x.el("appType", app_type(o.app_type));
        x.el("appTime", &o.app_time);
        x.el("appStatus", "2");
        x.el("orderType", "I");
        x.el("orderNo", &o.order_no);
        x.el("ebpCode", &o.ebp_code);
        x.el("ebpName", &o.ebp_name);
        x.el("ebcCode", &o.ebc_code);
        x.el("ebcName", &o.ebc_name);
        x.dec("goodsValue", o.goods_value);
        x.dec("freight", o.freight);
        x.dec("discount", o.discount);
        x.dec("taxTotal", o.tax_total);
        x.dec("acturalPaid", o.actural_paid);
        x.el("currency", "142");
        x.el("buyerRegNo", &o.buyer_reg_no);
        x.el("buyerName", &o.buyer_name);
        x.el("buyerTelephone", &o.buyer_telephone);
        x.el("buyerIdType", &o.buyer_id_type);
        x.el("buyerIdNumber", &o.buyer_id_number);
        x.opt("payCode", &o.pay_code);
        x.opt("payName", &o.pay_name);
        x.opt("payTransactionId", &o.pay_transaction_id);
        x.opt("batchNumbers", &o.batch_numbers);
        x.el("consignee", &o.consignee);
        x.el("consigneeTelephone", &o.consignee_telephone);
        x.el("consigneeAddress", &o.consignee_address);
        x.opt("consigneeDistrict", &o.consignee_district);
        x.opt("note", &o.note);
        x.close("OrderHead");
        for l in &o.items {
            x.open("OrderList");
            x.el("gnum", &l.gnum.to_string());
            x.opt("itemNo", &l.item_no);
            x.el("itemName", &l.item_name);
            x.el("gmodel", &l.gmodel);
            x.opt("itemDescribe", &l.item_describe);
            x.opt("barCode", &l.bar_code);
            x.el("unit", &l.unit);
            x.dec("qty", l.qty);
            x.dec("price", l.price);
            x.dec("totalPrice", l.total_price);
            x.el("currency", "142");
            x.el("country", &l.country);
            x.opt("note", &l.note);
            x.close("OrderList");
        }
        x.close("Order");
    }
    x.finish("CEB311Message", t)
}

/// `CEB411Message` with one `Payment` per document.
pub fn ceb411(guid: &str, payments: &[PaymentDoc], t: &Transfer) -> String {
    let mut x = Xml::new("CEB411Message", guid);
    for p in payments {
        x.open("Payment");
        x.open("PaymentHead");
        x.el("guid", &p.guid);
        x.el("appType", app_type(p.app_type));
        x.el("appTime", &p.app_time);
        x.el("appStatus", "2");
        x.el("payCode", &p.pay_code);
        x.el("payName", &p.pay_name);
        x.el("payTransactionId", &p.pay_transaction_id);
        x.el("orderNo", &p.order_no);
        x.el("ebpCode", &p.ebp_code);
        x.el("ebpName", &p.ebp_name);
        x.el("payerIdType", &p.payer_id_type);
        x.el("payerIdNumber", &p.payer_id_number);
        x.el("payerName", &p.payer_name);
        x.opt("telephone", &p.telephone);
        x.dec("amountPaid", p.amount_paid);
        x.el("currency", "142");
        x.el("payTime", &p.pay_time);
        x.opt("note", &p.note);
        x.close("PaymentHead");
        x.close("Payment");
    }
    x.finish("CEB411Message", t)
}

/// `CEB511Message` with one `Logistics` per document.
pub fn ceb511(guid: &str, waybills: &[WaybillDoc], t: &Transfer) -> String {
    let mut x = Xml::new("CEB511Message", guid);
    for w in waybills {
        x.open("Logistics");
        x.open("LogisticsHead");
        x.el("guid", &w.guid);
        x.el("appType", app_type(w.app_type));
        x.el("appTime", &w.app_time);
        x.el("appStatus", "2");
        x.el("logisticsCode", &w.logistics_code);
        x.el("logisticsName", &w.logistics_name);
        x.el("logisticsNo", &w.logistics_no);
        x.opt("billNo", &w.bill_no);
        x.el("orderNo", &w.order_no);
        if let Some(f) = w.freight {
            x.dec("freight", f);
        }
        if let Some(f) = w.insured_fee {
            x.dec("insuredFee", f);
        }
        x.el("currency", "142");
        x.dec("weight", w.weight);
        x.el("packNo", &w.pack_no.to_string());
        x.opt("goodsInfo", &w.goods_info);
        x.el("consignee", &w.consignee);
        x.el("consigneeAddress", &w.consignee_address);
        x.el("consigneeTelephone", &w.consignee_telephone);
        x.opt("note", &w.note);
        x.close("LogisticsHead");
        x.close("Logistics");
    }
    x.finish("CEB511Message", t)
}

/// `CEB621Message` with one `Inventory` per document.
pub fn ceb621(guid: &str, inventories: &[InventoryDoc], t: &Transfer) -> String {
    let mut x = Xml::new("CEB621Message", guid);
    for v in inventories {
        x.open("Inventory");
        x.open("InventoryHead");
        x.el("guid", &v.guid);
        x.el("appType", app_type(v.app_type));
        x.el("appTime", &v.app_time);
        x.el("appStatus", "2");
        x.el("orderNo", &v.order_no);
        x.el("ebpCode", &v.ebp_code);
        x.el("ebpName", &v.ebp_name);
        x.el("ebcCode", &v.ebc_code);
        x.el("ebcName", &v.ebc_name);
        x.el("logisticsNo", &v.logistics_no);
        x.el("logisticsCode", &v.logistics_code);
        x.el("logisticsName", &v.logistics_name);
        x.opt("copNo", &v.cop_no);
        x.el("assureCode", &v.assure_code);
        x.opt("emsNo", &v.ems_no);
        x.el("ieFlag", &v.ie_flag);
        x.el("declTime", &v.decl_time);
        x.el("customsCode", &v.customs_code);
        x.el("portCode", &v.port_code);
        x.opt("ieDate", &v.ie_date);
        x.el("buyerIdType", &v.buyer_id_type);
        x.el("buyerIdNumber", &v.buyer_id_number);
        x.el("buyerName", &v.buyer_name);
        x.el("buyerTelephone", &v.buyer_telephone);
        x.el("consigneeAddress", &v.consignee_address);
        x.el("agentCode", &v.agent_code);
        x.el("agentName", &v.agent_name);
        x.opt("areaCode", &v.area_code);
        x.opt("areaName", &v.area_name);
        x.el("tradeMode", &v.trade_mode);
        x.el("trafMode", &v.traf_mode);
        x.opt("trafNo", &v.traf_no);
        x.opt("voyageNo", &v.voyage_no);
        x.opt("billNo", &v.bill_no);
        x.opt("loctNo", &v.loct_no);
        x.opt("licenseNo", &v.license_no);
        x.el("country", &v.country);
        x.dec("freight", v.freight);
        x.dec("insuredFee", v.insured_fee);
        x.el("currency", "142");
        x.opt("wrapType", &v.wrap_type);
        x.el("packNo", &v.pack_no.to_string());
        x.dec("grossWeight", v.gross_weight);
        x.dec("netWeight", v.net_weight);
        x.opt("note", &v.note);
        x.close("InventoryHead");
        for l in &v.items {
            x.open("InventoryList");
            x.el("gnum", &l.gnum.to_string());
            x.opt("itemRecordNo", &l.item_record_no);
            x.opt("itemNo", &l.item_no);
            x.opt("itemName", &l.item_name);
            x.el("gcode", &l.gcode);
            x.el("gname", &l.gname);
            x.el("gmodel", &l.gmodel);
            x.opt("barCode", &l.bar_code);
            x.el("country", &l.country);
            x.opt("tradeCountry", &l.trade_country);
            x.el("currency", "142");
            x.dec("qty", l.qty);
            x.el("unit", &l.unit);
            x.dec("qty1", l.qty1);
            x.el("unit1", &l.unit1);
            if let Some(q) = l.qty2 {
                x.dec("qty2", q);
            }
            x.opt("unit2", &l.unit2);
            x.dec("price", l.price);
            x.dec("totalPrice", l.total_price);
            x.opt("note", &l.note);
            x.close("InventoryList");
        }
        x.close("Inventory");
    }
    x.finish("CEB621Message", t)
}

/// The cancellation request of an inventory list, from the list as declared.
pub fn cancel_for(v: &InventoryDoc, invt_no: &str, guid: &str, app_time: &str, reason: &str) -> super::InvtCancel {
    super::InvtCancel {
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
pub fn ceb623(guid: &str, cancels: &[super::InvtCancel], t: &Transfer) -> String {
    let mut x = Xml::new("CEB623Message", guid);
    for c in cancels {
        x.open("InvtCancel");
        x.el("guid", &c.guid);
        x.el("appType", &c.app_type);
        x.el("appTime", &c.app_time);
        x.el("appStatus", &c.app_status);
        x.el("customsCode", &c.customs_code);
        x.el("orderNo", &c.order_no);
        x.el("ebpCode", &c.ebp_code);
        x.el("ebpName", &c.ebp_name);
        x.el("ebcCode", &c.ebc_code);
        x.el("ebcName", &c.ebc_name);
        x.el("logisticsNo", &c.logistics_no);
        x.el("logisticsCode", &c.logistics_code);
        x.el("logisticsName", &c.logistics_name);
        x.opt("copNo", &c.cop_no);
        x.opt("preNo", &c.pre_no);
        x.el("invtNo", &c.invt_no);
        x.el("buyerIdType", &c.buyer_id_type);
        x.el("buyerIdNumber", &c.buyer_id_number);
        x.el("buyerName", &c.buyer_name);
        x.el("buyerTelephone", &c.buyer_telephone);
        x.el("agentCode", &c.agent_code);
        x.el("agentName", &c.agent_name);
        x.el("reason", &c.reason);
        x.opt("note", &c.note);
        x.close("InvtCancel");
    }
    x.finish("CEB623Message", t)
}

/// `CEB625Message`: goods of declared inventory lists returned, line by line (gnum, quantity).
pub fn ceb625(guid: &str, refunds: &[(super::InvtCancel, Vec<(i32, Decimal)>)], inventories: &[&InventoryDoc], t: &Transfer) -> String {
    let mut x = Xml::new("CEB625Message", guid);
    for ((c, lines), v) in refunds.iter().zip(inventories) {
        x.open("InvtRefund");
        x.open("InvtRefundHead");
        x.el("guid", &c.guid);
        x.el("appType", "1");
        x.el("appTime", &c.app_time);
        x.el("appStatus", &c.app_status);
        x.el("customsCode", &c.customs_code);
        x.el("orderNo", &c.order_no);
        x.el("ebpCode", &c.ebp_code);
        x.el("ebpName", &c.ebp_name);
        x.el("ebcCode", &c.ebc_code);
        x.el("ebcName", &c.ebc_name);
        x.el("logisticsNo", &c.logistics_no);
        x.el("logisticsCode", &c.logistics_code);
        x.el("logisticsName", &c.logistics_name);
        x.opt("copNo", &c.cop_no);
        x.opt("preNo", &c.pre_no);
        x.el("invtNo", &c.invt_no);
        x.el("buyerIdType", &c.buyer_id_type);
        x.el("buyerIdNumber", &c.buyer_id_number);
        x.el("buyerName", &c.buyer_name);
        x.el("buyerTelephone", &c.buyer_telephone);
        x.el("agentCode", &c.agent_code);
        x.el("agentName", &c.agent_name);
        x.el("reason", &c.reason);
        x.opt("note", &c.note);
        x.close("InvtRefundHead");
        for (gnum, qty) in lines {
            let Some(l) = v.items.iter().find(|l| l.gnum == *gnum) else { continue };
            x.open("InvtRefundList");
            x.el("gnum", &gnum.to_string());
            x.el("gcode", &l.gcode);
            x.el("gname", &l.gname);
            x.dec("qty", *qty);
            x.el("unit", &l.unit);
            x.close("InvtRefundList");
        }
        x.close("InvtRefund");
    }
    x.finish("CEB625Message", t)
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
    let mut x = Xml::new("CEB711Message", guid);
    x.open("Delivery");
    x.open("DeliveryHead");
    x.el("guid", guid);
    x.el("appType", "1");
    x.el("appTime", app_time);
    x.el("appStatus", "2");
    x.el("customsCode", customs_code);
    x.el("copNo", cop_no);
    x.el("operatorCode", operator.0);
    x.el("operatorName", operator.1);
    x.el("ieFlag", "I");
    x.el("trafMode", "5");
    x.el("trafNo", "CA1046");
    x.el("voyageNo", "20261130");
    x.el("billNo", bill_no);
    x.el("logisticsCode", logistics.0);
    x.el("logisticsName", logistics.1);
    x.close("DeliveryHead");
    for (i, no) in logistics_nos.iter().enumerate() {
        x.open("DeliveryList");
        x.el("gnum", &(i + 1).to_string());
        x.el("logisticsNo", no);
        x.close("DeliveryList");
    }
    x.close("Delivery");
    x.finish("CEB711Message", t)
}
