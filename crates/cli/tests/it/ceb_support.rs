//! Cross-border e-commerce fixtures: the platform, e-commerce enterprise, payment firm and
//! logistics firm with their tokens and a guarantee, and parcels whose four messages agree.

use crate::helpers::{admin, enterprise, TestApp};
use guomen_domain::ceb::samples;
use guomen_domain::ceb::{InventoryDoc, OrderDoc, PaymentDoc, WaybillDoc};
use guomen_domain::party::{CreditGrade, Role};
use guomen_messages::ceb::compose::{self, Transfer};
use guomen_store::AdminCommand;
use guomen_store::Command;
use rust_decimal::Decimal;

pub const PLATFORM: &str = "1105910159";
pub const ECOMMERCE: &str = "1105910160";
pub const PAYER: &str = "3120966001";
pub const CARRIER: &str = "1101180326";

pub fn d(s: &str) -> Decimal {
    s.parse().unwrap()
}

/// Registers the four firms with a token each ("platform", "ecommerce", "payer", "carrier")
/// and a 100,000 CNY guarantee held by the e-commerce enterprise.
pub async fn set_up(app: &mut TestApp) {
    for (code, prefix, name) in [
        (PLATFORM, "91110108MA01ABC12", "示例跨境平台"),
        (ECOMMERCE, "91110108MA01ABC34", "示例电商企业"),
        (PAYER, "91310115MA1HAB567", "示例支付"),
        (CARRIER, "91110105MA00DEF89", "示例物流"),
    ] {
        app.store
            .execute(admin(), AdminCommand::RegisterEnterprise(enterprise(code, prefix, name, CreditGrade::Registered, None)))
            .await
            .unwrap();
    }
    for (name, code) in [("platform", PLATFORM), ("ecommerce", ECOMMERCE), ("payer", PAYER), ("carrier", CARRIER)] {
        let token = crate::helpers::issue_token(&app.store, Role::Declarant, Some(code)).await;
        app.tokens.insert(name, token);
    }
    guarantee(app, ECOMMERCE, "100000").await;
}

pub async fn guarantee(app: &TestApp, code: &str, amount: &str) {
    use guomen_store::ceb::CebCommand;
    app.store
        .execute(admin(), Command::Ceb(CebCommand::AddGuarantee { code: code.into(), kind: Default::default(), amount: d(amount) }))
        .await
        .unwrap();
}

/// A 36-character guid, unique per (kind, n).
pub fn guid(kind: u32, n: u64) -> String {
    format!("{kind:08X}-0000-4000-8000-{n:012X}")
}

/// One parcel's four documents, consistent with each other.
#[derive(Clone)]
pub struct Parcel {
    pub n: u64,
    pub order: OrderDoc,
    pub payment: PaymentDoc,
    pub waybill: WaybillDoc,
    pub inventory: InventoryDoc,
}

impl Parcel {
    /// Parcel `n` for buyer `buyer` (an 18-character identity number), worth 700 CNY.
    pub fn new(n: u64, buyer: &str) -> Parcel {
        let (mut order, mut payment, mut waybill, mut inventory) =
            (samples::order(), samples::payment(), samples::waybill(), samples::inventory());
        let order_no = format!("ORD{n:08}");
        let logistics_no = format!("LN{n:010}");
        order.order_no = order_no.clone();
        order.guid = guid(311, n);
        order.buyer_id_number = buyer.into();
        order.pay_transaction_id = Some(format!("PAY{n:08}"));
        payment.order_no = order_no.clone();
        payment.guid = guid(411, n);
        payment.payer_id_number = buyer.into();
        payment.pay_transaction_id = format!("PAY{n:08}");
        waybill.order_no = order_no.clone();
        waybill.logistics_no = logistics_no.clone();
        waybill.guid = guid(511, n);
        inventory.order_no = order_no;
        inventory.logistics_no = logistics_no;
        inventory.guid = guid(621, n);
        inventory.buyer_id_number = buyer.into();
        inventory.cop_no = Some(format!("COP{n:08}"));
        Parcel { n, order, payment, waybill, inventory }
    }

    /// Scales every price so the goods are worth `goods` CNY (plus 10 CNY freight).
    pub fn worth(mut self, goods: &str) -> Parcel {
        let goods = d(goods);
        let old = self.order.goods_value;
        let mut total = Decimal::ZERO;
        let n = self.order.items.len();
        for (i, (ol, il)) in self.order.items.iter_mut().zip(self.inventory.items.iter_mut()).enumerate() {
            let t = if i + 1 == n { goods - total } else { (ol.total_price * goods / old).round_dp(2) };
            total += t;
            ol.total_price = t;
            ol.price = (t / ol.qty).round_dp(2);
            il.total_price = t;
            il.price = ol.price;
        }
        self.order.goods_value = goods;
        self.order.actural_paid = goods + self.order.freight;
        self.payment.amount_paid = self.order.actural_paid;
        self
    }

    fn transfer(code: &str) -> Transfer {
        Transfer { cop_code: code.into(), cop_name: "发送企业".into(), dxp_id: "DXPENT0000000001".into() }
    }

    pub fn order_xml(&self) -> String {
        compose::ceb311(&self.order.guid, std::slice::from_ref(&self.order), &Self::transfer(PLATFORM))
    }
    pub fn payment_xml(&self) -> String {
        compose::ceb411(&self.payment.guid, std::slice::from_ref(&self.payment), &Self::transfer(PAYER))
    }
    pub fn waybill_xml(&self) -> String {
        compose::ceb511(&self.waybill.guid, std::slice::from_ref(&self.waybill), &Self::transfer(CARRIER))
    }
    pub fn inventory_xml(&self) -> String {
        compose::ceb621(&self.inventory.guid, std::slice::from_ref(&self.inventory), &Self::transfer(ECOMMERCE))
    }

    /// (message XML, the token that sends it) in the order order, payment, waybill, inventory.
    pub fn messages(&self) -> [(String, &'static str); 4] {
        [
            (self.order_xml(), "platform"),
            (self.payment_xml(), "payer"),
            (self.waybill_xml(), "carrier"),
            (self.inventory_xml(), "ecommerce"),
        ]
    }
}

/// Posts one CEB message; returns the HTTP status, the body and whether it was a replay.
pub async fn post_xml(app: &TestApp, who: &str, xml: &str) -> (u16, String, bool) {
    let res = app
        .http
        .post(app.url("/api/v1/ceb"))
        .bearer_auth(&app.tokens[who])
        .header("content-type", "application/xml")
        .body(xml.to_owned())
        .send()
        .await
        .unwrap();
    let status = res.status().as_u16();
    let replayed = res.headers().get("guomen-replayed").is_some();
    let text = res.text().await.unwrap();
    if let Ok(problem) = serde_json::from_str(&text) {
        crate::helpers::assert_catalogued(status, &problem);
    }
    (status, text, replayed)
}

/// Sends a parcel's four messages, each by the firm that sends it; returns the inventory list's
/// number from the last receipt.
pub async fn send_parcel(app: &TestApp, p: &Parcel) -> String {
    let mut last = String::new();
    for (xml, who) in p.messages() {
        let (s, body, _) = post_xml(app, who, &xml).await;
        assert_eq!(s, 200, "{body}");
        last = body;
    }
    first(&last, "invtNo")
}

/// The text of every `<name>` element in a receipt.
pub fn all(xml: &str, name: &str) -> Vec<String> {
    let open = format!("<{name}>");
    let close = format!("</{name}>");
    xml.split(&open).skip(1).filter_map(|s| s.split(&close).next()).map(str::to_owned).collect()
}

pub fn first(xml: &str, name: &str) -> String {
    all(xml, name).into_iter().next().unwrap_or_else(|| panic!("no <{name}> in {xml}"))
}

/// Validates a receipt against a vendored XSD with xmllint.
pub fn xsd_valid(xml: &str, version: &str) -> Result<(), String> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("receipt.xml");
    std::fs::write(&path, xml).unwrap();
    let xsd = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(format!("../../data/ceb/{version}/xsd/import.xsd"));
    let out = std::process::Command::new("xmllint")
        .arg("--noout")
        .arg("--schema")
        .arg(&xsd)
        .arg(&path)
        .output()
        .expect("xmllint runs (apt-get install libxml2-utils; scripts/test installs it)");
    if out.status.success() {
        Ok(())
    } else {
        Err(String::from_utf8_lossy(&out.stderr).into_owned())
    }
}
