//! The demo's targeting rules (DOMAIN §3 and seed 000), and the one change made after the spring
//! review so that rule-set versioning shows.

use guomen_domain::declaration::IeFlag;
use guomen_domain::party::CreditGrade;
use guomen_domain::risk::{CheckType, Conditions, Criterion, GradeModifiers, Lane, ListCondition, ListField, PriceBand, RuleSet};
use guomen_domain::types::{CountryCode, CurrencyCode};
use rust_decimal::Decimal;
use std::collections::{BTreeMap, BTreeSet};

/// Seed origins with quarantine-pest interceptions on seed lots last season (demo data).
pub const SEED_ALERT_LIST: &str = "SEED-PEST-ALERT-ORIGINS";
pub const SEED_ALERT_ORIGINS: &[&str] = &["USA", "ITA", "ISR", "THA"];

/// The criterion the spring review changes.
pub const REVISED: &str = "UNDERVALUE-8517";

fn country(c: &str) -> CountryCode {
    CountryCode::parse(c).expect("the demo's countries are ISO 3166")
}

fn pct(p: i64) -> Decimal {
    Decimal::from(p)
}

fn criterion(id: &str, description: &str, when: Conditions, lane: Lane, rate: i64) -> Criterion {
    Criterion {
        id: id.into(),
        description: description.into(),
        active: true,
        revision: 0,
        when,
        lane,
        rate_percent: pct(rate),
        lab_sampling: false,
        check_type: CheckType::Examination,
        weigh: false,
    }
}

fn seeds() -> Conditions {
    Conditions { ie_flag: Some(IeFlag::Import), hs_prefixes: vec!["1209".into()], ..Conditions::default() }
}

fn undervalued_8517(rate: i64) -> Criterion {
    criterion(
        REVISED,
        "通讯设备（8517）单价低于5美元，疑似低报价格 / telecom equipment (8517) declared below USD 5 a unit: suspected under-valuation",
        Conditions {
            ie_flag: Some(IeFlag::Import),
            hs_prefixes: vec!["8517".into()],
            unit_price: Some(PriceBand {
                currency: CurrencyCode::parse("USD").expect("ISO 4217"),
                unit: None,
                below: Some(Decimal::from(5)),
                above: None,
            }),
            ..Conditions::default()
        },
        Lane::Yellow,
        rate,
    )
}

/// Version 1, published before the season.
pub fn initial() -> RuleSet {
    let quarantine = |c: Criterion| Criterion { check_type: CheckType::Quarantine, ..c };
    let lab = |c: Criterion| Criterion { lab_sampling: true, ..quarantine(c) };
    let criteria = vec![
        quarantine(criterion(
            "SEED-QUARANTINE",
            "进境种子（HS 1209）逐批实施检疫查验（种子000：春季检疫监管进境种子113票）/ every imported seed consignment for sowing gets a quarantine check",
            seeds(),
            Lane::Red,
            100,
        )),
        lab(criterion(
            "SEED-LAB",
            "进境种子抽样送L海关技术中心实验室检测 / imported seeds: sample for laboratory testing",
            seeds(),
            Lane::Red,
            58,
        )),
        lab(criterion(
            "SEED-LAB-ALERT",
            "来自有害生物截获国别的进境种子逐批取样送检 / seeds from origins with pest interceptions last season: sample every consignment",
            Conditions {
                on_lists: vec![ListCondition {
                    list: SEED_ALERT_LIST.into(),
                    field: ListField::OriginCountry,
                }],
                ..seeds()
            },
            Lane::Red,
            100,
        )),
        quarantine(criterion(
            "APPLE-USA",
            "美国苹果逐批查验（苹果蠹蛾等检疫性有害生物）/ US apples: every consignment examined (codling moth and other quarantine pests)",
            Conditions {
                ie_flag: Some(IeFlag::Import),
                hs_prefixes: vec!["080810".into()],
                origin_countries: vec![country("USA")],
                ..Conditions::default()
            },
            Lane::Red,
            100,
        )),
        quarantine(criterion(
            "FRESH-FRUIT",
            "进境鲜果检疫查验 / imported fresh fruit: quarantine check",
            Conditions {
                ie_flag: Some(IeFlag::Import),
                hs_prefixes: ["0805", "0806", "0808", "0809", "0810"].map(String::from).to_vec(),
                ..Conditions::default()
            },
            Lane::Red,
            20,
        )),
        Criterion {
            check_type: CheckType::Inspection,
            weigh: true,
            ..criterion(
                "COLD-CHAIN",
                "进口冷链食品（冻肉、冻虾）抽查检验 / imported frozen meat and shrimp: spot inspection",
                Conditions {
                    ie_flag: Some(IeFlag::Import),
                    hs_prefixes: vec!["0202".into(), "0306".into()],
                    ..Conditions::default()
                },
                Lane::Red,
                10,
            )
        },
        undervalued_8517(30),
        criterion(
            "UNTRUSTWORTHY",
            "失信企业加强单证审核 / untrustworthy enterprises: documentary check",
            Conditions {
                credit_grades: vec![CreditGrade::Untrustworthy],
                ..Conditions::default()
            },
            Lane::Yellow,
            40,
        ),
        criterion(
            "TEXTILE-AUDIT",
            "纺织服装（61、62章）放行后稽查 / textiles and garments (chapters 61, 62): post-clearance audit",
            Conditions {
                hs_prefixes: vec!["61".into(), "62".into()],
                ..Conditions::default()
            },
            Lane::Blue,
            5,
        ),
        criterion(
            "PROCESSING-AUDIT",
            "进料加工（0615）放行后核查手册核销 / processing trade with imported materials (0615): post-clearance audit of the ledger",
            Conditions {
                trade_modes: vec!["0615".into()],
                ..Conditions::default()
            },
            Lane::Blue,
            30,
        ),
    ];
    let mut lists = BTreeMap::new();
    lists.insert(SEED_ALERT_LIST.to_owned(), SEED_ALERT_ORIGINS.iter().map(|c| c.to_string()).collect::<BTreeSet<_>>());
    RuleSet {
        version: 0,
        min_random_percent: pct(2),
        random_lane: Lane::Red,
        grade_modifiers: GradeModifiers::default(),
        lists,
        criteria,
        ..RuleSet::default()
    }
}

/// Why version 1 is published.
pub fn initial_reason(year: i32) -> String {
    format!("{year}年春季种子季前发布布控规则 / targeting rules for the {year} spring seed season")
}

/// The change made after the spring review, with its reason.
pub fn revision() -> (Criterion, String) {
    (
        undervalued_8517(50),
        "春季复盘：8517低价申报布控查获率高，选中率由30%提高至50% / spring review: under-valued 8517 filings often found irregular; selection rate raised from 30% to 50%".into(),
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_rules_check() {
        assert!(super::initial().check().is_empty());
    }
}
