//! The index decides exactly as the scan of every criterion does: same lane, same hits in the
//! same order, same draws — on random rule sets and records over small alphabets, so that
//! criteria hit, miss, and share keys.

use super::super::*;
use crate::declaration::IeFlag;
use crate::party::CreditGrade;
use crate::types::{CountryCode, CurrencyCode, CustomsCode};
use proptest::prelude::*;
use proptest::sample::select;
use rust_decimal::Decimal;
use std::collections::{BTreeMap, BTreeSet};

const COUNTRIES: [&str; 3] = ["USA", "CHN", "NLD"];
const ENTERPRISES: [&str; 3] = ["6201960001", "1105910160", "44019600AB"];
const MODES: [&str; 2] = ["0110", "9610"];
const BILLS: [&str; 2] = ["B-1", "B-2"];
const BUYERS: [&str; 2] = ["110101199001011234", "310101198502023456"];
const LISTS: [&str; 4] = ["L0", "L1", "L2", "MISSING"];

/// Digit strings over 0–2, so prefixes of a few digits hit often.
fn digits(len: std::ops::RangeInclusive<usize>) -> impl Strategy<Value = String> {
    proptest::collection::vec(select(vec!['0', '1', '2']), len).prop_map(|v| v.into_iter().collect())
}

/// HS prefixes as analysts write them, and now and then what a list might hold.
fn prefix() -> impl Strategy<Value = String> {
    prop_oneof![8 => digits(2..=6), 1 => digits(0..=1), 1 => Just("0A".to_owned())]
}

fn list_field() -> impl Strategy<Value = ListField> {
    select(vec![
        ListField::HsCode,
        ListField::OriginCountry,
        ListField::TradeCountry,
        ListField::Enterprise,
        ListField::BillNo,
        ListField::Buyer,
    ])
}

fn some_of<T: Clone + std::fmt::Debug + 'static>(values: Vec<T>, max: usize) -> impl Strategy<Value = Vec<T>> {
    prop_oneof![2 => Just(Vec::new()), 1 => proptest::collection::vec(select(values), 1..=max)]
}

fn price_band() -> impl Strategy<Value = Option<PriceBand>> {
    proptest::option::weighted(
        0.3,
        (select(vec!["USD", "EUR"]), proptest::option::of(0u32..20), proptest::option::of(0u32..20)).prop_map(|(c, below, above)| {
            PriceBand {
                currency: CurrencyCode::parse(c).unwrap(),
                unit: None,
                below: below.map(Decimal::from),
                above: above.map(Decimal::from),
            }
        }),
    )
}

fn conditions() -> impl Strategy<Value = Conditions> {
    (
        proptest::option::weighted(0.2, select(vec![IeFlag::Import, IeFlag::Export])),
        some_of(vec![(); 1], 1).prop_flat_map(|v| {
            if v.is_empty() {
                Just(Vec::new()).boxed()
            } else {
                proptest::collection::vec(prefix(), 1..=3).boxed()
            }
        }),
        some_of(COUNTRIES.to_vec(), 2),
        some_of(COUNTRIES.to_vec(), 2),
        some_of(ENTERPRISES.to_vec(), 2),
        some_of(vec![CreditGrade::AdvancedCertified, CreditGrade::Registered, CreditGrade::Untrustworthy], 2),
        some_of(MODES.to_vec(), 1),
        price_band(),
        proptest::collection::vec((select(LISTS.to_vec()), list_field()), 0..=2),
    )
        .prop_map(|(ie_flag, hs_prefixes, origins, trade, enterprises, credit_grades, modes, unit_price, lists)| Conditions {
            ie_flag,
            hs_prefixes,
            origin_countries: origins.iter().map(|c| CountryCode::parse(c).unwrap()).collect(),
            trade_countries: trade.iter().map(|c| CountryCode::parse(c).unwrap()).collect(),
            enterprises: enterprises.iter().map(|c| CustomsCode::parse(c).unwrap()).collect(),
            credit_grades,
            trade_modes: modes.iter().map(|m| m.to_string()).collect(),
            unit_price,
            on_lists: lists.into_iter().map(|(l, field)| ListCondition { list: l.to_owned(), field }).collect(),
        })
}

fn criterion() -> impl Strategy<Value = Criterion> {
    (conditions(), any::<bool>(), select(vec![Lane::Blue, Lane::Yellow, Lane::Red]), 0u32..=100, proptest::bool::weighted(0.9)).prop_map(
        |(when, lab, lane, rate, active)| Criterion {
            id: String::new(),
            description: "generated".into(),
            active,
            revision: 1,
            when,
            lane,
            rate_percent: Decimal::from(rate),
            lab_sampling: lab,
            check_type: CheckType::Examination,
            weigh: false,
        },
    )
}

/// Every value any list might be asked about.
fn list_entry() -> impl Strategy<Value = String> {
    let pool: Vec<&str> = COUNTRIES.iter().chain(&ENTERPRISES).chain(&BILLS).chain(&BUYERS).copied().collect();
    prop_oneof![select(pool).prop_map(str::to_owned), prefix()]
}

fn rule_set() -> impl Strategy<Value = RuleSet> {
    (
        proptest::collection::vec(criterion(), 0..40),
        proptest::collection::vec(proptest::collection::btree_set(list_entry(), 0..6), 3),
        0u32..=10,
    )
        .prop_map(|(mut criteria, lists, random)| {
            for (i, c) in criteria.iter_mut().enumerate() {
                c.id = format!("C{i}");
            }
            let lists: BTreeMap<String, BTreeSet<String>> = LISTS[..3].iter().map(|l| l.to_string()).zip(lists).collect();
            RuleSet { version: 1, min_random_percent: Decimal::from(random), criteria, lists, ..RuleSet::default() }
        })
}

#[derive(Debug, Clone)]
struct Record {
    ie_flag: IeFlag,
    trade_country: &'static str,
    parties: Vec<&'static str>,
    trade_mode: &'static str,
    bill_no: &'static str,
    buyer: Option<&'static str>,
    /// (code, origin, currency, unit price)
    items: Vec<(String, &'static str, &'static str, u32)>,
}

impl Record {
    fn subject(&self) -> Subject<'_> {
        Subject {
            ie_flag: self.ie_flag,
            trade_country: self.trade_country,
            parties: self.parties.clone(),
            trade_mode: self.trade_mode,
            bill_no: self.bill_no,
            buyer: self.buyer,
            items: self
                .items
                .iter()
                .enumerate()
                .map(|(i, (code, origin, currency, price))| SubjectItem {
                    g_no: i as u32 + 1,
                    code,
                    origin,
                    currency,
                    unit: "035",
                    unit_price: Decimal::from(*price),
                })
                .collect(),
        }
    }
}

fn record() -> impl Strategy<Value = Record> {
    (
        select(vec![IeFlag::Import, IeFlag::Export]),
        select(COUNTRIES.to_vec()),
        proptest::collection::vec(select(ENTERPRISES.to_vec()), 1..=3),
        select(MODES.to_vec()),
        select(BILLS.to_vec()),
        proptest::option::of(select(BUYERS.to_vec())),
        proptest::collection::vec(
            (
                prop_oneof![9 => digits(10..=10), 1 => Just("0A12".to_owned())],
                select(COUNTRIES.to_vec()),
                select(vec!["USD", "EUR"]),
                0u32..25,
            ),
            0..4,
        ),
    )
        .prop_map(|(ie_flag, trade_country, parties, trade_mode, bill_no, buyer, items)| Record {
            ie_flag,
            trade_country,
            parties,
            trade_mode,
            bill_no,
            buyer,
            items,
        })
}

fn grade() -> impl Strategy<Value = CreditGrade> {
    select(vec![CreditGrade::AdvancedCertified, CreditGrade::Registered, CreditGrade::Untrustworthy])
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn the_index_decides_as_the_scan(rules in rule_set(), records in proptest::collection::vec((record(), grade(), any::<u64>()), 1..20)) {
        for (record, grade, seed) in &records {
            let s = record.subject();
            let indexed = assess(&s, *grade, &rules, *seed);
            let linear = assess_linear(&s, *grade, &rules, *seed);
            prop_assert_eq!(indexed, linear);
        }
    }
}

/// How often the generated cases hit at all: a comparison of decisions that never hit proves
/// nothing, so the generator must make hits common.
#[test]
fn generated_cases_hit() {
    use proptest::strategy::ValueTree;
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let (mut decisions, mut with_hits, mut hits) = (0, 0, 0);
    for _ in 0..200 {
        let rules = rule_set().new_tree(&mut runner).unwrap().current();
        let r = record().new_tree(&mut runner).unwrap().current();
        let d = assess(&r.subject(), CreditGrade::Registered, &rules, 7);
        decisions += 1;
        hits += d.hits.len();
        with_hits += usize::from(!d.hits.is_empty());
    }
    assert!(with_hits * 3 > decisions, "{with_hits} of {decisions} decisions hit");
    assert!(hits > decisions, "{hits} hits in {decisions} decisions");
}

#[test]
fn a_rule_set_changed_in_place_is_indexed_anew() {
    let c = |id: &str, prefix: &str| Criterion {
        id: id.into(),
        description: "t".into(),
        active: true,
        revision: 1,
        when: Conditions { hs_prefixes: vec![prefix.into()], ..Default::default() },
        lane: Lane::Red,
        rate_percent: Decimal::ONE_HUNDRED,
        lab_sampling: false,
        check_type: CheckType::Examination,
        weigh: false,
    };
    let mut rules = RuleSet { criteria: vec![c("A", "0808")], ..RuleSet::default() };
    let record = Record {
        ie_flag: IeFlag::Import,
        trade_country: "USA",
        parties: vec![ENTERPRISES[0]],
        trade_mode: "0110",
        bill_no: "B-1",
        buyer: None,
        items: vec![("1209100000".into(), "USA", "USD", 1)],
    };
    assert!(assess(&record.subject(), CreditGrade::Registered, &rules, 1).hits.is_empty());
    rules.criteria.push(c("B", "1209"));
    assert_eq!(assess(&record.subject(), CreditGrade::Registered, &rules, 1).hits.len(), 1);
    let copy = rules.clone();
    assert_eq!(copy, rules, "the index is not part of a rule set's value");
}

#[test]
fn candidates_are_few_and_in_order() {
    let mut criteria = Vec::new();
    for i in 0..1000u32 {
        criteria.push(Criterion {
            id: format!("C{i}"),
            description: "t".into(),
            active: true,
            revision: 1,
            when: Conditions { hs_prefixes: vec![format!("{:06}", i * 7)], ..Default::default() },
            lane: Lane::Red,
            rate_percent: Decimal::TEN,
            lab_sampling: false,
            check_type: CheckType::Examination,
            weigh: false,
        });
    }
    criteria.push(Criterion { id: "ANY".into(), when: Conditions::default(), ..criteria[0].clone() });
    let rules = RuleSet { criteria, ..RuleSet::default() };
    let record = Record {
        ie_flag: IeFlag::Import,
        trade_country: "USA",
        parties: vec![ENTERPRISES[0]],
        trade_mode: "0110",
        bill_no: "B-1",
        buyer: None,
        items: vec![("0007070000".into(), "USA", "USD", 1), ("0000000000".into(), "USA", "USD", 1)],
    };
    let mut out = index::Candidates::default();
    rules.index().candidates(&record.subject(), &mut out);
    assert_eq!(out.as_slice(), &[0, 101, 1000]);
}
