//! The port the bench files into — a trader, a terminal, a realistic rule set, a declarant
//! token — and the declarations it files: distinct, valid JSON bodies of one to three items.

use crate::cli::cli_actor;
use anyhow::{anyhow, bail, Context};
use axum::body::Bytes;
use guomen_domain::declaration::{container_number_valid, IeFlag};
use guomen_domain::party::{Enterprise, Role};
use guomen_domain::risk::{CheckType, Conditions, Criterion, GradeModifiers, Lane, ListCondition, ListField, PriceBand, RuleSet};
use guomen_domain::types::{CountryCode, CreditCode, CurrencyCode};
use guomen_store::{secrets, Store};
use guomen_store::{AdminCommand, RiskCommand};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use rust_decimal::Decimal;
use serde_json::json;
use std::collections::{BTreeMap, BTreeSet};

const TRADER: &str = "3120960001";
const TERMINAL: &str = "3122980001";
const SITE: &str = "CNSHA2248";

/// What the bench set up.
pub struct Port {
    pub trader: Enterprise,
    pub terminal: Enterprise,
    /// Bearer token of a declarant acting for the trader.
    pub token: String,
}

fn enterprise(code: &str, credit17: &str, zh: &str, en: &str, site: Option<&str>) -> anyhow::Result<Enterprise> {
    let credit = CreditCode::complete(credit17).ok_or_else(|| anyhow!("bad credit code stem {credit17}"))?;
    guomen_service::admin::parse_enterprise(code, credit.as_str(), zh, en, "registered", site)
        .map_err(|errors| anyhow!("bench enterprise {code} is invalid: {errors:?}"))
}

fn dec(s: &str) -> Decimal {
    s.parse().expect("decimal literal")
}

fn criterion(id: &str, description: &str, when: Conditions, lane: Lane, rate: &str, check_type: CheckType) -> Criterion {
    Criterion {
        id: id.into(),
        description: description.into(),
        active: true,
        revision: 0,
        when,
        lane,
        rate_percent: dec(rate),
        lab_sampling: check_type == CheckType::Quarantine,
        check_type,
        weigh: false,
    }
}

fn countries(codes: &[&str]) -> Vec<CountryCode> {
    codes.iter().map(|c| CountryCode::parse(c).expect("reference country")).collect()
}

/// A small but realistic targeting configuration: an HS-prefix quarantine criterion at 10% red,
/// two origin/valuation criteria to the yellow lane, a watch-list criterion that never fires
/// here, and 2% random selection.
///
/// The goods are chosen among those that need no quarantine permit (seeds for sowing, HS 1209,
/// do): writing off a permit is a different workload, with its own growing record.
fn rules() -> RuleSet {
    RuleSet {
        version: 0,
        min_random_percent: dec("2"),
        random_lane: Lane::Red,
        grade_modifiers: GradeModifiers::default(),
        lists: BTreeMap::from([("watch-origins".to_owned(), BTreeSet::from(["PRK".to_owned(), "SYR".to_owned()]))]),
        criteria: vec![
            criterion(
                "KIWI-QUAR",
                "Fresh kiwifruit: quarantine examination for fruit flies and bacterial canker",
                Conditions { hs_prefixes: vec!["0810".into()], ..Conditions::default() },
                Lane::Red,
                "10",
                CheckType::Quarantine,
            ),
            criterion(
                "APPLE-ORIGIN",
                "Fresh apples from origins under fire-blight and codling-moth protocols",
                Conditions {
                    ie_flag: Some(IeFlag::Import),
                    hs_prefixes: vec!["080810".into()],
                    origin_countries: countries(&["USA", "NZL"]),
                    ..Conditions::default()
                },
                Lane::Yellow,
                "5",
                CheckType::Quarantine,
            ),
            criterion(
                "PHONE-UNDERVAL",
                "Smartphones declared below 60 USD a piece",
                Conditions {
                    hs_prefixes: vec!["851713".into()],
                    unit_price: Some(PriceBand {
                        currency: CurrencyCode::parse("USD").expect("USD"),
                        unit: None,
                        below: Some(dec("60")),
                        above: None,
                    }),
                    ..Conditions::default()
                },
                Lane::Yellow,
                "50",
                CheckType::Examination,
            ),
            criterion(
                "WATCH-ORIGIN",
                "Goods originating in a country on the watch list",
                Conditions {
                    on_lists: vec![ListCondition { list: "watch-origins".into(), field: ListField::OriginCountry }],
                    ..Conditions::default()
                },
                Lane::Red,
                "100",
                CheckType::Examination,
            ),
        ],
        ..RuleSet::default()
    }
}

/// Registers the trader and the terminal, publishes the rules and issues a declarant token.
pub async fn set_up(store: &Store) -> anyhow::Result<Port> {
    let trader = enterprise(TRADER, "91310115MA1K40123", "上海浦江进出口贸易有限公司", "Shanghai Pujiang Import & Export Co., Ltd.", None)?;
    let terminal = enterprise(
        TERMINAL,
        "91310000132212001",
        "上海盛东国际集装箱码头有限公司",
        "Shanghai Shengdong International Container Terminal Co., Ltd.",
        Some(SITE),
    )?;
    let failed = |what: &str| format!("bench set-up: cannot {what}");
    for e in [&trader, &terminal] {
        store.execute(cli_actor(), AdminCommand::RegisterEnterprise(e.clone())).await.with_context(|| failed("register an enterprise"))?;
    }
    store
        .execute(cli_actor(), RiskCommand::PublishRules { ruleset: rules(), reason: "benchmark rule set".into() })
        .await
        .with_context(|| failed("publish the rules"))?;
    let (token_id, token) = secrets::new_token();
    store
        .execute(
            cli_actor(),
            AdminCommand::IssueToken {
                token_id,
                token_hash: secrets::token_hash(&token),
                role: Role::Declarant,
                enterprise: Some(trader.code.clone()),
                label: Some("guomen bench".into()),
                valid_days: guomen_domain::token::DEFAULT_DAYS,
            },
        )
        .await
        .with_context(|| failed("issue a token"))?;
    Ok(Port { trader, terminal, token })
}

/// A kind of goods the trader imports.
struct Product {
    code_ts: &'static str,
    name: &'static str,
    model: &'static str,
    unit: &'static str,
    /// Unit price range in USD cents.
    cents: (i64, i64),
    /// Quantity range, in `unit`.
    qty: (i64, i64),
    /// Net kilograms per unit, in grams.
    grams: i64,
    origins: &'static [&'static str],
}

const PRODUCTS: &[Product] = &[
    Product {
        code_ts: "0810500000",
        name: "鲜猕猴桃",
        model: "海沃德|绿肉|3.3千克/箱",
        unit: "035",
        cents: (180, 420),
        qty: (2_000, 18_000),
        grams: 1000,
        origins: &["NZL", "ITA", "CHL"],
    },
    Product {
        code_ts: "0808100000",
        name: "鲜苹果",
        model: "富士|一级|18千克/箱",
        unit: "035",
        cents: (110, 260),
        qty: (4_000, 24_000),
        grams: 1000,
        origins: &["USA", "NZL", "CHL", "FRA"],
    },
    Product {
        code_ts: "8517130000",
        name: "智能手机",
        model: "5G|8GB+256GB|品牌机",
        unit: "011",
        cents: (4_500, 42_000),
        qty: (50, 2_000),
        grams: 350,
        origins: &["VNM", "KOR", "IND"],
    },
    Product {
        code_ts: "8471300000",
        name: "笔记本电脑",
        model: "14英寸|16GB|512GB固态",
        unit: "001",
        cents: (32_000, 125_000),
        qty: (20, 800),
        grams: 1600,
        origins: &["VNM", "THA", "MYS"],
    },
    Product {
        code_ts: "6109100000",
        name: "棉制针织T恤衫",
        model: "男式|100%棉|针织",
        unit: "011",
        cents: (180, 950),
        qty: (1_000, 30_000),
        grams: 220,
        origins: &["BGD", "VNM", "KHM"],
    },
];

const CARRIERS: &[(&str, &str, &str)] = &[
    ("COSU", "COSCO SHIPPING ARIES", "045E"),
    ("MAEU", "MAERSK EUREKA", "213N"),
    ("OOLU", "OOCL HONG KONG", "088W"),
    ("MSCU", "MSC GULSUN", "FE231A"),
];

/// Makes the request bodies: declaration `i` is always the same, and differs from every other.
pub struct Declarations {
    trader: String,
    site: String,
    /// Yesterday (UTC), so that a standard import's goods have arrived.
    ie_date: String,
}

impl Declarations {
    pub fn new(port: &Port) -> anyhow::Result<Declarations> {
        for p in PRODUCTS {
            if !guomen_reference::hs::is_hs6(&p.code_ts[..6]) {
                bail!("{} is not an HS 2022 subheading", p.code_ts);
            }
        }
        let yesterday = time::OffsetDateTime::now_utc().date() - time::Duration::days(1);
        Ok(Declarations {
            trader: port.trader.code.to_string(),
            site: port.terminal.site_code.clone().ok_or_else(|| anyhow!("the terminal has no site code"))?,
            ie_date: yesterday.to_string(),
        })
    }

    /// The JSON body of declaration `i`.
    pub fn body(&self, i: u64) -> Bytes {
        let mut rng = StdRng::seed_from_u64(i);
        let (carrier, vessel, voyage) = CARRIERS[rng.gen_range(0..CARRIERS.len())];
        let lines = rng.gen_range(1..=3);
        let mut items = Vec::with_capacity(lines);
        let mut net_grams = 0i64;
        let mut first_origin = "";
        for g_no in 1..=lines {
            let p = &PRODUCTS[rng.gen_range(0..PRODUCTS.len())];
            let origin = p.origins[rng.gen_range(0..p.origins.len())];
            if g_no == 1 {
                first_origin = origin;
            }
            let qty = rng.gen_range(p.qty.0..=p.qty.1);
            let price = Decimal::new(rng.gen_range(p.cents.0..=p.cents.1), 2);
            // Whole quantities at two-decimal prices: the total is exact to the fen.
            let total = Decimal::from(qty) * price;
            net_grams += qty * p.grams;
            items.push(json!({
                "g_no": g_no.to_string(),
                "code_ts": p.code_ts,
                "g_name": p.name,
                "g_model": p.model,
                "g_qty": qty.to_string(),
                "g_unit": p.unit,
                "decl_price": price.to_string(),
                "decl_total": total.to_string(),
                "trade_curr": "USD",
                "origin_country": origin,
                "destination_country": "CHN",
            }));
        }
        let net = Decimal::new(net_grams, 3);
        let gross = (net * dec("1.06")).round_dp(3);
        let body = json!({
            "head": {
                "ie_flag": "I",
                "mode": "standard",
                "customs_master": "2248",
                "ie_port": "2248",
                "ie_date": self.ie_date,
                "trade_code": self.trader,
                "traf_mode": "2",
                "traf_name": vessel,
                "voyage_no": voyage,
                "bill_no": format!("{carrier}{:010}", 3_100_000_000u64 + i),
                "trade_mode": "0110",
                "trade_country": first_origin,
                "trans_mode": "1",
                "pack_no": rng.gen_range(1..=1200).to_string(),
                "gross_wt": gross.to_string(),
                "net_wt": net.to_string(),
                "site_code": self.site,
            },
            "items": items,
            "containers": [{
                "container_id": container_number(carrier, i),
                "container_md": "45G1",
            }],
        });
        Bytes::from(serde_json::to_vec(&body).expect("JSON serializes"))
    }
}

/// An ISO 6346 container number for the carrier's equipment, with its check digit.
fn container_number(carrier: &str, i: u64) -> String {
    let stem = format!("{}{:06}", &carrier[..4], i % 1_000_000);
    (0..=9).map(|d| format!("{stem}{d}")).find(|c| container_number_valid(c)).expect("one check digit fits")
}
