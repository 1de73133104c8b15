//! Realistic cross-border e-commerce traffic for the benchmark: parcels of one to three lines
//! from a catalogue of what retail imports are made of (formula, cosmetics, supplements, wine,
//! watches, shoes, toys…), from five platforms, twenty e-commerce enterprises, three payment
//! firms and four logistics firms, for millions of distinct buyers. Two parcels in a hundred
//! come from a small set of heavy buyers, who run into their annual quota; the rest each come
//! from a buyer of their own. Every parcel is a function of its number: no state, no storage.

use guomen_domain::ceb::samples;
use guomen_domain::ceb::{InventoryDoc, InventoryLine, OrderDoc, OrderLine, PaymentDoc, WaybillDoc};
use rust_decimal::Decimal;

pub const PLATFORMS: [(&str, &str); 5] = [
    ("1105910159", "示例跨境平台"),
    ("3301960101", "杭州某跨境平台"),
    ("4401960102", "广州某跨境平台"),
    ("3502960103", "厦门某跨境平台"),
    ("3100960104", "上海某跨境平台"),
];
pub const PAYERS: [(&str, &str); 3] = [("3120966001", "示例支付"), ("3120966002", "某第三方支付"), ("3120966003", "某银行支付")];
pub const CARRIERS: [(&str, &str); 4] =
    [("1101180326", "示例物流"), ("3502180327", "某国际快递"), ("4401180328", "某跨境物流"), ("3100180329", "某邮政速递")];

/// The e-commerce enterprise (and agent, and guarantee holder) of parcel `i`'s enterprise index.
pub fn ecommerce(k: u64) -> (String, String) {
    (format!("11059102{:02}", k % 20), format!("示例电商企业{:02}", k % 20))
}

/// (HS code, name, unit, lowest price, highest price, GACC origin country)
const CATALOGUE: &[(&str, &str, &str, i64, i64, &str)] = &[
    ("1901101000", "婴儿配方奶粉 800g", "122", 150, 400, "601"),
    ("0402210000", "全脂奶粉 1kg", "122", 80, 200, "609"),
    ("3304990099", "保湿面霜 50ml", "142", 150, 1500, "116"),
    ("3304100000", "口红", "007", 150, 400, "305"),
    ("3303000000", "香水 100ml", "142", 400, 1500, "305"),
    ("2106909090", "维生素片 120粒", "142", 80, 400, "502"),
    ("2204210000", "红葡萄酒 750ml", "142", 100, 800, "305"),
    ("0409000000", "麦卢卡蜂蜜 500g", "142", 150, 600, "609"),
    ("9102110000", "石英手表", "007", 800, 4500, "331"),
    ("6403990000", "皮鞋", "025", 400, 2000, "307"),
    ("4202210000", "皮革手提包", "007", 800, 4800, "307"),
    ("9503008900", "积木玩具", "140", 100, 800, "309"),
    ("8509400000", "破壁料理机", "001", 500, 3000, "304"),
    ("9619001100", "婴儿纸尿裤", "120", 80, 250, "116"),
    ("3401300000", "洁面乳", "142", 60, 300, "133"),
];

/// A small, fast, deterministic mixer (SplitMix64).
pub fn mix(x: u64) -> u64 {
    let mut z = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

pub struct Traffic {
    /// Heavy buyers: 2% of parcels are spread over this many identities.
    heavy: u64,
    /// Parcels per message: the firms are chosen per message, since each message has one sender.
    per_message: u64,
    /// Shifts guids and numbers so runs on one database never collide.
    run: u64,
}

/// One parcel's documents.
pub struct Parcel {
    pub order: OrderDoc,
    pub payment: PaymentDoc,
    pub waybill: WaybillDoc,
    pub inventory: InventoryDoc,
}

fn guid(kind: u64, n: u64) -> String {
    format!("{:08X}-{:04X}-4{:03X}-8{:03X}-{:012X}", kind, (n >> 48) & 0xffff, (n >> 36) & 0xfff, (n >> 24) & 0xfff, n & 0xffff_ffff_ffff)
}

impl Traffic {
    pub fn new(parcels: u64, per_message: u64, run: u64) -> Traffic {
        Traffic { heavy: (parcels / 2000).max(5), per_message: per_message.max(1), run }
    }

    /// Buyers who send 2% of the parcels between them.
    pub fn heavy_buyers(&self) -> u64 {
        self.heavy
    }

    fn buyer(&self, i: u64) -> String {
        let h = mix(i ^ 0xB0B);
        if h % 100 < 2 {
            format!("9{:017}", h % self.heavy)
        } else {
            format!("1{:017}", self.run * 1_000_000_000 + i)
        }
    }

    /// A message guid of `kind` (311, 411, 511, 621) for message number `m`.
    pub fn message_guid(&self, kind: u64, m: u64) -> String {
        guid(kind * 1000 + 7, (self.run << 40) | m)
    }

    pub fn parcel(&self, i: u64) -> Parcel {
        let h = mix(i);
        let firms = mix(i / self.per_message);
        let (mut order, mut payment, mut waybill, mut inventory) =
            (samples::order(), samples::payment(), samples::waybill(), samples::inventory());
        let serial = (self.run << 40) | i;
        let order_no = format!("BO{serial:016}");
        let logistics_no = format!("LX{serial:016}");
        let buyer = self.buyer(i);
        let (ebp, ebp_name) = PLATFORMS[(firms % 5) as usize];
        let (payer, payer_name) = PAYERS[((firms >> 8) % 3) as usize];
        let (carrier, carrier_name) = CARRIERS[((firms >> 12) % 4) as usize];
        let (ebc, ebc_name) = ecommerce(firms >> 16);
        let lines = 1 + (h >> 24) % 3;
        let mut order_items = Vec::new();
        let mut inv_items = Vec::new();
        let mut goods = Decimal::ZERO;
        // Baskets stay within the 5,000 CNY transaction limit, as platforms keep them; a line
        // that would break it is left out (the first line alone may be a dear single item).
        let limit = Decimal::from(4_900);
        for g in 0..lines {
            let x = mix(h ^ (g + 1));
            let (code, name, unit, lo, hi, country) = CATALOGUE[(x % CATALOGUE.len() as u64) as usize];
            let price = Decimal::new(lo * 100 + ((x >> 16) % ((hi - lo) as u64 * 100)) as i64, 2);
            let qty = if price * Decimal::TWO > limit { Decimal::ONE } else { Decimal::from(1 + (x >> 8) % 2) };
            let total = price * qty;
            if g > 0 && goods + total > limit {
                continue;
            }
            goods += total;
            let g = order_items.len() as u64;
            order_items.push(OrderLine {
                gnum: g as i32 + 1,
                item_no: Some(format!("SKU{:05}", x % 99_999)),
                item_name: name.into(),
                gmodel: "零售包装".into(),
                item_describe: None,
                bar_code: None,
                unit: unit.into(),
                qty,
                price,
                total_price: total,
                country: country.into(),
                note: None,
            });
            inv_items.push(InventoryLine {
                gnum: g as i32 + 1,
                item_record_no: None,
                item_no: Some(format!("SKU{:05}", x % 99_999)),
                item_name: None,
                gcode: code.into(),
                gname: name.into(),
                gmodel: "零售包装".into(),
                bar_code: None,
                country: country.into(),
                trade_country: None,
                qty,
                unit: unit.into(),
                qty1: qty,
                unit1: unit.into(),
                qty2: None,
                unit2: None,
                price,
                total_price: total,
                note: None,
            });
        }
        let goods: Decimal = order_items.iter().map(|l| l.total_price).sum();
        let freight = Decimal::from(10 + (h >> 40) % 20);
        let address = format!(
            "{}省{}市某区某路{}号",
            ["广东", "浙江", "江苏", "北京", "上海"][((h >> 44) % 5) as usize],
            (h >> 48) % 90,
            (h >> 52) % 500
        );
        let phone = format!("13{:09}", mix(h) % 1_000_000_000);
        let buyer_name = ["张伟", "王芳", "李娜", "刘洋", "陈静", "杨帆"][((h >> 56) % 6) as usize];

        order.guid = guid(311, serial);
        order.order_no = order_no.clone();
        (order.ebp_code, order.ebp_name) = (ebp.into(), ebp_name.into());
        (order.ebc_code, order.ebc_name) = (ebc.clone(), ebc_name.clone());
        order.goods_value = goods;
        order.freight = freight;
        order.actural_paid = goods + freight;
        order.buyer_reg_no = format!("U{serial}");
        order.buyer_name = buyer_name.into();
        order.buyer_telephone = phone.clone();
        order.buyer_id_number = buyer.clone();
        (order.pay_code, order.pay_name) = (Some(payer.into()), Some(payer_name.into()));
        order.pay_transaction_id = Some(format!("PT{serial:016}"));
        order.consignee = buyer_name.into();
        order.consignee_telephone = phone.clone();
        order.consignee_address = address.clone();
        order.items = order_items;

        payment.guid = guid(411, serial);
        (payment.pay_code, payment.pay_name) = (payer.into(), payer_name.into());
        payment.pay_transaction_id = format!("PT{serial:016}");
        payment.order_no = order_no.clone();
        (payment.ebp_code, payment.ebp_name) = (ebp.into(), ebp_name.into());
        payment.payer_id_number = buyer.clone();
        payment.payer_name = buyer_name.into();
        payment.telephone = Some(phone.clone());
        payment.amount_paid = goods + freight;

        waybill.guid = guid(511, serial);
        (waybill.logistics_code, waybill.logistics_name) = (carrier.into(), carrier_name.into());
        waybill.logistics_no = logistics_no.clone();
        waybill.order_no = order_no.clone();
        waybill.freight = Some(freight);
        waybill.consignee = buyer_name.into();
        waybill.consignee_address = address.clone();
        waybill.consignee_telephone = phone.clone();

        inventory.guid = guid(621, serial);
        inventory.order_no = order_no;
        (inventory.ebp_code, inventory.ebp_name) = (ebp.into(), ebp_name.into());
        (inventory.ebc_code, inventory.ebc_name) = (ebc.clone(), ebc_name.clone());
        (inventory.agent_code, inventory.agent_name) = (ebc.clone(), ebc_name);
        inventory.assure_code = ebc;
        (inventory.logistics_code, inventory.logistics_name) = (carrier.into(), carrier_name.into());
        inventory.logistics_no = logistics_no;
        inventory.cop_no = Some(format!("C{serial:016}"));
        inventory.buyer_id_number = buyer;
        inventory.buyer_name = buyer_name.into();
        inventory.buyer_telephone = phone;
        inventory.consignee_address = address;
        inventory.freight = freight;
        inventory.items = inv_items;
        Parcel { order, payment, waybill, inventory }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use guomen_domain::ceb::three_documents;

    #[test]
    fn every_parcel_agrees_with_itself_and_some_buyers_are_heavy() {
        let t = Traffic::new(100_000, 10, 1);
        let mut heavy = 0;
        for i in 0..2_000 {
            let p = t.parcel(i);
            assert!(three_documents(&p.inventory, &p.order, &p.payment, &p.waybill).is_empty(), "parcel {i}");
            assert_eq!(p.inventory.buyer_id_number.len(), 18);
            if p.inventory.buyer_id_number.starts_with('9') {
                heavy += 1;
            }
        }
        assert!((20..=70).contains(&heavy), "about 2% heavy: {heavy}");
        assert_ne!(t.parcel(1).order.guid, Traffic::new(100_000, 10, 2).parcel(1).order.guid);
        assert_eq!(t.message_guid(621, 5).len(), 36);
    }
}
