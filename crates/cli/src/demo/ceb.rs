//! The cross-border e-commerce side of the demo port: five platforms and twenty e-commerce
//! enterprises send orders, payments, waybills and inventory lists over the last ten days,
//! through the same path as `POST /api/v1/ceb`. Most parcels are released at once; targeting
//! picks some cosmetics and formula for inspection; one buyer's identity is used for parcels
//! to many addresses and is held for review; another buyer runs out of annual quota; a parcel
//! is cancelled, one returned, and the logistics firms report the released parcels out of
//! the supervised site each evening.

use crate::bench::ceb::traffic::{self, Parcel, Traffic, CARRIERS, PAYERS, PLATFORMS};
use anyhow::{anyhow, Context};
use guomen_domain::ceb::{GuaranteeKind, InventoryDoc};
use guomen_domain::party::{Actor, CreditGrade, Enterprise, Role};
use guomen_domain::risk::{Conditions, Criterion, Lane};
use guomen_domain::types::{CreditCode, CustomsCode};
use guomen_messages::ceb::compose::{self, Transfer};
use guomen_service::ceb::{process_at, Sender};
use guomen_store::ceb::CebCommand;
use guomen_store::{secrets, Command, Store};
use guomen_store::{AdminCommand, RiskCommand};
use rust_decimal::Decimal;
use time::{Duration, OffsetDateTime};

/// Parcels of ordinary traffic.
const PARCELS: u64 = 360;

/// What the summary reports.
pub struct CebDemo {
    /// The platform's API token (sends orders; may use `POST /api/v1/ceb`).
    pub platform_token: String,
    pub platform: &'static str,
}

/// The first 17 characters of a made-up unified social credit code for the firm.
fn credit17(code: &str) -> String {
    format!("91{code}MA0Q1")
}

fn enterprise(code: &str, name: &str) -> anyhow::Result<Enterprise> {
    Ok(Enterprise {
        code: CustomsCode::parse(code).map_err(|e| anyhow!("{code}: {}", e.en))?,
        credit_code: CreditCode::complete(&credit17(code)).ok_or_else(|| anyhow!("{code}: no credit code"))?,
        name_zh: name.into(),
        name_en: String::new(),
        grade: CreditGrade::Registered,
        site_code: None,
    })
}

fn transfer(code: &str, name: &str) -> Transfer {
    Transfer { cop_code: code.into(), cop_name: name.into(), dxp_id: "DXPENT0000000001".into() }
}

struct Sender2<'a> {
    store: &'a Store,
    actor: Actor,
    seed: u64,
}

impl Sender2<'_> {
    async fn send(&mut self, xml: String, at: OffsetDateTime) -> anyhow::Result<guomen_service::ceb::Processed> {
        self.seed = traffic::mix(self.seed);
        process_at(self.store, None, &self.actor, Sender::Operator, xml.as_bytes(), self.seed, Some(at)).await.map_err(|e| anyhow!("{e:?}"))
    }

    async fn parcel(&mut self, p: &Parcel, at: OffsetDateTime) -> anyhow::Result<guomen_store::ceb::DocAnswer> {
        self.send(compose::ceb311(&p.order.guid, std::slice::from_ref(&p.order), &transfer(&p.order.ebp_code, &p.order.ebp_name)), at)
            .await?;
        self.send(
            compose::ceb411(&p.payment.guid, std::slice::from_ref(&p.payment), &transfer(&p.payment.pay_code, &p.payment.pay_name)),
            at + Duration::minutes(1),
        )
        .await?;
        self.send(
            compose::ceb511(
                &p.waybill.guid,
                std::slice::from_ref(&p.waybill),
                &transfer(&p.waybill.logistics_code, &p.waybill.logistics_name),
            ),
            at + Duration::minutes(20),
        )
        .await?;
        let inv = &p.inventory;
        let r = self
            .send(
                compose::ceb621(&inv.guid, std::slice::from_ref(inv), &transfer(&inv.agent_code, &inv.agent_name)),
                at + Duration::hours(2),
            )
            .await?;
        r.answers.into_iter().next().ok_or_else(|| anyhow!("no answer"))
    }
}

fn criterion(id: &str, description: &str, when: Conditions, lane: Lane, rate: i64) -> Criterion {
    Criterion {
        id: id.into(),
        description: description.into(),
        active: true,
        revision: 0,
        when,
        lane,
        rate_percent: Decimal::from(rate),
        lab_sampling: false,
        check_type: Default::default(),
        weigh: false,
    }
}

/// Registers the firms, the platform's user and token, guarantees and targeting, then runs ten
/// days of traffic ending at `end`.
pub async fn run(store: &Store, end: OffsetDateTime) -> anyhow::Result<CebDemo> {
    let admin = crate::cli::cli_actor();
    let start = end - Duration::days(10);
    let mut firms: Vec<(String, String)> =
        PLATFORMS.iter().chain(PAYERS.iter()).chain(CARRIERS.iter()).map(|(c, n)| (c.to_string(), n.to_string())).collect();
    firms.extend((0..20).map(traffic::ecommerce));
    for (code, name) in &firms {
        store
            .execute_at(admin.clone(), AdminCommand::RegisterEnterprise(enterprise(code, name)?), start)
            .await
            .map_err(|e| anyhow!("{e}"))
            .with_context(|| format!("registering {code}"))?;
    }
    let (platform, platform_name) = PLATFORMS[0];
    let code = CustomsCode::parse(platform).map_err(|e| anyhow!(e.en))?;
    let password_hash = secrets::hash_password("Kuajing#2026");
    store
        .execute_at(
            admin.clone(),
            AdminCommand::CreateUser { username: "kuajing".into(), password_hash, role: Role::Declarant, enterprise: Some(code.clone()) },
            start,
        )
        .await
        .map_err(|e| anyhow!("{e}"))?;
    let (token_id, platform_token) = secrets::new_token();
    store
        .execute_at(
            admin.clone(),
            AdminCommand::IssueToken {
                token_id,
                token_hash: secrets::token_hash(&platform_token),
                role: Role::Declarant,
                enterprise: Some(code),
                label: Some(format!("{platform_name} CEB gateway")),
                valid_days: super::parties::valid_days_from(start),
            },
            start,
        )
        .await
        .map_err(|e| anyhow!("{e}"))?;
    for k in 0..20 {
        let (code, _) = traffic::ecommerce(k);
        let cmd = Command::Ceb(CebCommand::AddGuarantee { code, kind: GuaranteeKind::BankLetter, amount: Decimal::from(2_000_000) });
        store.execute_at(admin.clone(), cmd, start).await.map_err(|e| anyhow!("{e}"))?;
    }
    // Cross-border targeting beside the general-trade criteria.
    let mut rules = (*store.rules()).clone();
    rules.criteria.push(criterion(
        "CBEC-COSMETICS",
        "跨境零售进口化妆品：随机查验禁限用成分 / cross-border cosmetics: random examination for banned ingredients",
        Conditions {
            hs_prefixes: vec!["3303".into(), "3304".into()],
            trade_modes: vec!["9610".into(), "1210".into()],
            ..Default::default()
        },
        Lane::Red,
        8,
    ));
    rules.criteria.push(criterion(
        "CBEC-FORMULA",
        "婴幼儿配方乳粉：核对注册信息 / infant formula: document check of its registration",
        Conditions { hs_prefixes: vec!["190110".into()], ..Default::default() },
        Lane::Yellow,
        5,
    ));
    let analyst = Actor { id: "demo-analyst".into(), role: Some(Role::RiskAnalyst), enterprise: None };
    store
        .execute_at(
            analyst,
            RiskCommand::PublishRules {
                ruleset: rules,
                reason: "跨境电商零售进口布控 / cross-border e-commerce retail import targeting".into(),
            },
            start,
        )
        .await
        .map_err(|e| anyhow!("{e}"))?;

    let t = Traffic::new(PARCELS, 1, 20_260_000 + (end.unix_timestamp() as u64 / 86_400) % 1000);
    let mut s = Sender2 { store, actor: Actor { id: "ceb-gateway".into(), role: None, enterprise: None }, seed: 7 };
    let step = Duration::seconds((Duration::days(10).whole_seconds() - 7_200) / PARCELS as i64);
    let mut released: Vec<(InventoryDoc, OffsetDateTime)> = Vec::new();
    for i in 0..PARCELS {
        let at = start + Duration::minutes(30) + step * i as i32;
        let p = t.parcel(i);
        let a = s.parcel(&p, at).await.with_context(|| format!("parcel {i}"))?;
        if a.status == "800" {
            released.push((p.inventory.clone(), at));
        }
    }
    // One identity used for parcels to seven addresses in a week: held for review.
    for n in 0..7u64 {
        let mut p = t.parcel(PARCELS + n);
        let buyer = "330102198806061234";
        for doc in [&mut p.order.buyer_id_number, &mut p.payment.payer_id_number, &mut p.inventory.buyer_id_number] {
            *doc = buyer.into();
        }
        p.inventory.consignee_address = format!("浙江省杭州市某区某路{}号", 100 + n);
        s.parcel(&p, end - Duration::days(7) + Duration::days(n as i64)).await?;
    }
    // A buyer who runs out of quota: nine baskets of about 3,000 CNY.
    for n in 0..9u64 {
        let mut p = t.parcel(PARCELS + 100 + n);
        let buyer = "440104199201015678";
        for doc in [&mut p.order.buyer_id_number, &mut p.payment.payer_id_number, &mut p.inventory.buyer_id_number] {
            *doc = buyer.into();
        }
        // Always under the same name: the quota pre-check the summary suggests needs it.
        for name in [&mut p.order.buyer_name, &mut p.payment.payer_name, &mut p.inventory.buyer_name] {
            *name = "张伟".into();
        }
        scale(&mut p, Decimal::from(2_990));
        s.parcel(&p, end - Duration::days(6) + Duration::hours(n as i64 * 5)).await?;
    }
    // A cancellation and a return.
    if let Some((inv, at)) = released.first().cloned() {
        let invt = inventory_number(store, &inv).await?;
        let c = compose::cancel_for(
            &inv,
            &invt,
            &t.message_guid(623, 1),
            "20260101000000",
            "买家取消订单，包裹未出区 / order cancelled by the buyer; the parcel has not left",
        );
        s.send(compose::ceb623(&t.message_guid(623, 1), &[c], &transfer(&inv.agent_code, &inv.agent_name)), at + Duration::hours(4))
            .await?;
        released.remove(0);
    }
    if let Some((inv, at)) = released.get(1).cloned() {
        let invt = inventory_number(store, &inv).await?;
        let r = compose::cancel_for(&inv, &invt, &t.message_guid(625, 1), "20260101000000", "商品破损退货 / damaged goods returned");
        // Out of the site first, then returned by the buyer.
        depart(&mut s, &[&inv], at + Duration::hours(6), &t, 9_000).await?;
        let first = inv.items[0].gnum;
        s.send(
            compose::ceb625(
                &t.message_guid(625, 1),
                &[(r, vec![(first, inv.items[0].qty)])],
                &[&inv],
                &transfer(&inv.agent_code, &inv.agent_name),
            ),
            at + Duration::days(2),
        )
        .await?;
        released.remove(1);
    }
    // Each evening, each logistics firm reports the day's released parcels out of the site.
    let mut by_day: std::collections::BTreeMap<(i64, String), Vec<&InventoryDoc>> = Default::default();
    for (inv, at) in &released {
        if *at < end - Duration::days(1) {
            by_day.entry(((*at - start).whole_days(), inv.logistics_code.clone())).or_default().push(inv);
        }
    }
    for (n, ((day, _), invs)) in by_day.into_iter().enumerate() {
        let evening = start + Duration::days(day) + Duration::hours(12);
        for chunk in invs.chunks(100) {
            depart(&mut s, chunk, evening, &t, n as u64).await?;
        }
    }
    Ok(CebDemo { platform_token, platform })
}

fn scale(p: &mut Parcel, goods: Decimal) {
    let old = p.order.goods_value;
    let n = p.order.items.len();
    let mut total = Decimal::ZERO;
    for (i, (ol, il)) in p.order.items.iter_mut().zip(p.inventory.items.iter_mut()).enumerate() {
        let t = if i + 1 == n { goods - total } else { (ol.total_price * goods / old).round_dp(2) };
        total += t;
        (ol.total_price, il.total_price) = (t, t);
        ol.price = (t / ol.qty).round_dp(2);
        il.price = ol.price;
    }
    p.order.goods_value = goods;
    p.order.actural_paid = goods + p.order.freight;
    p.payment.amount_paid = p.order.actural_paid;
}

async fn inventory_number(store: &Store, inv: &InventoryDoc) -> anyhow::Result<String> {
    let id: Option<String> = sqlx::query_scalar("SELECT id FROM ceb_inventories WHERE order_no = $1 AND ebp_code = $2")
        .bind(inv.order_no.clone())
        .bind(inv.ebp_code.clone())
        .fetch_optional(store.read_pool())
        .await?;
    id.ok_or_else(|| anyhow!("no inventory list for {}", inv.order_no))
}

async fn depart(s: &mut Sender2<'_>, invs: &[&InventoryDoc], at: OffsetDateTime, t: &Traffic, n: u64) -> anyhow::Result<()> {
    let Some(first) = invs.first() else { return Ok(()) };
    let guid = t.message_guid(711, n);
    let nos: Vec<&str> = invs.iter().map(|i| i.logistics_no.as_str()).collect();
    let carrier = (first.logistics_code.as_str(), first.logistics_name.as_str());
    let day = crate::demo::ids::compact_date(crate::demo::plan::cst_date(at));
    let xml = compose::ceb711(
        &guid,
        &first.customs_code,
        &format!("RKD{day}{n:04}"),
        carrier,
        carrier,
        &format!("BILL{day}"),
        &nos,
        &format!("{day}180000"),
        &transfer(carrier.0, carrier.1),
    );
    s.send(xml, at).await?;
    Ok(())
}

/// The cross-border lines of the demo's summary.
pub async fn summary(store: &Store, demo: &CebDemo) -> anyhow::Result<String> {
    use sqlx::Row;
    let rows =
        sqlx::query("SELECT status, COUNT(*) FROM ceb_inventories GROUP BY status ORDER BY 2 DESC").fetch_all(store.read_pool()).await?;
    let mut statuses = Vec::new();
    let mut total = 0i64;
    for r in rows {
        let n: i64 = r.try_get(1)?;
        total += n;
        statuses.push(format!("{} {n}", r.try_get::<String, _>(0)?));
    }
    let messages = store.count("ceb_messages").await.map_err(|e| anyhow!("{e}"))?;
    Ok(format!(
        "\nCross-border  {total} inventory lists from {messages} CEB messages: {}\n              platform {} (user kuajing / Kuajing#2026), CEB token: {}\n              try: curl -s -X POST -H 'Authorization: Bearer <token>' -H 'Content-Type: application/json' http://127.0.0.1:8080/api/v1/ceb/quota-check -d '{{\"buyerIdType\":\"1\",\"buyerIdNumber\":\"440104199201015678\",\"buyerName\":\"张伟\",\"amount\":\"100\"}}'\n",
        statuses.join(", "),
        demo.platform,
        demo.platform_token
    ))
}
