//! Rule sets and declarations generated the way real ones look, for measuring the targeting
//! engine (`guomen bench targeting`, the zen-engine comparison) and for tests.
//!
//! Trade is concentrated: a few hundred subheadings carry most declarations, most goods come
//! from a few dozen countries, unit prices spread over five orders of magnitude. Criteria are
//! written on the goods that are traded: an HS prefix of 4 to 8 digits (some 2-digit chapters),
//! mostly with origins, some with a unit-price band, so a declaration hits a few criteria as it
//! does under a real rule set. Everything is drawn from a seeded generator: the same seed gives
//! the same rule set and the same declarations.

use super::criterion::{CheckType, Conditions, Criterion, Lane, PriceBand, RuleSet};
use super::engine::{Subject, SubjectItem};
use super::rng::Draws;
use crate::declaration::IeFlag;
use crate::types::{CountryCode, CurrencyCode};
use rust_decimal::Decimal;

/// Origins with their share of declarations, most traded first.
const ORIGINS: [(&str, u32); 30] = [
    ("USA", 120),
    ("JPN", 100),
    ("KOR", 95),
    ("DEU", 90),
    ("AUS", 70),
    ("VNM", 60),
    ("BRA", 55),
    ("MYS", 45),
    ("THA", 40),
    ("RUS", 40),
    ("IDN", 35),
    ("FRA", 30),
    ("ITA", 25),
    ("CAN", 25),
    ("NZL", 20),
    ("CHL", 20),
    ("GBR", 20),
    ("IND", 18),
    ("SAU", 15),
    ("NLD", 15),
    ("CHE", 12),
    ("PER", 10),
    ("ZAF", 10),
    ("MEX", 8),
    ("ESP", 8),
    ("PHL", 8),
    ("ARG", 6),
    ("TUR", 5),
    ("EGY", 4),
    ("KEN", 3),
];

const CURRENCIES: [(&str, u32); 3] = [("USD", 80), ("EUR", 15), ("JPY", 5)];

/// National subdivisions after the six HS digits: the 8-digit tariff line and 2 statistical digits.
const SUBDIVISIONS: [&str; 6] = ["0000", "1000", "9000", "1100", "2000", "9900"];

fn weighted<'a>(d: &mut Draws, table: &[(&'a str, u32)]) -> &'a str {
    let total: u32 = table.iter().map(|(_, w)| w).sum();
    let mut r = (d.next_u64() % u64::from(total)) as u32;
    for (v, w) in table {
        if r < *w {
            return v;
        }
        r -= w;
    }
    table[0].0
}

fn below(d: &mut Draws, n: usize) -> usize {
    (d.next_u64() % n as u64) as usize
}

/// The HS subheadings in trade order: a fixed shuffle of the table, so that "popular" goods
/// are spread over every chapter.
fn subheadings() -> Vec<&'static str> {
    let mut codes: Vec<&'static str> = guomen_reference::hs::all().iter().filter(|e| e.level == 6).map(|e| e.code).collect();
    let mut d = Draws::new(0x4853_2022);
    for i in (1..codes.len()).rev() {
        codes.swap(i, below(&mut d, i + 1));
    }
    codes
}

/// A subheading, the first ones far more often than the last: half the draws fall on the
/// first eighth of the subheadings, a third on the first twentieth.
fn popular(d: &mut Draws, codes: &[&'static str]) -> &'static str {
    // u³ over [0, 1) crowds towards 0.
    let u = (d.next_u64() >> 11) as f64 / (1u64 << 53) as f64;
    codes[((u * u * u) * codes.len() as f64) as usize]
}

fn price(d: &mut Draws) -> Decimal {
    // Log-uniform from 0.10 to 10,000.00 in the declared currency.
    let u = (d.next_u64() >> 11) as f64 / (1u64 << 53) as f64;
    let cents = (10f64.powf(1.0 + 5.0 * u)).round() as i64;
    Decimal::new(cents, 2)
}

/// A rule set of `n` criteria.
pub fn rule_set(n: usize, seed: u64) -> RuleSet {
    let codes = subheadings();
    let mut d = Draws::new(seed);
    let mut criteria = Vec::with_capacity(n);
    for i in 0..n {
        // A national rule set covers the whole nomenclature.
        let hs6 = codes[below(&mut d, codes.len())];
        let shape = d.basis_points();
        let prefix = match shape {
            0..200 => hs6[..2].to_owned(),
            200..2200 => hs6[..4].to_owned(),
            2200..7200 => hs6.to_owned(),
            _ => format!("{hs6}{}", &SUBDIVISIONS[below(&mut d, 3)][..2]),
        };
        let mut when = Conditions { ie_flag: Some(IeFlag::Import), hs_prefixes: vec![prefix], ..Conditions::default() };
        // Chapters are targeted only for given origins and prices; narrower prefixes mostly for origins.
        let with_origins = shape < 200 || d.basis_points() < 7_000;
        if with_origins {
            let k = 1 + below(&mut d, 3);
            for _ in 0..k {
                let o = weighted(&mut d, &ORIGINS);
                if !when.origin_countries.iter().any(|c| c.as_str() == o) {
                    when.origin_countries.push(CountryCode::parse(o).unwrap_or_else(|_| unreachable!("listed country {o}")));
                }
            }
        }
        if shape < 200 || d.basis_points() < 3_000 {
            let currency = CurrencyCode::parse("USD").unwrap_or_else(|_| unreachable!("USD"));
            let band = if d.basis_points() < 7_000 {
                PriceBand { currency, unit: None, below: Some(Decimal::new(1 + below(&mut d, 200) as i64, 1)), above: None }
            } else {
                PriceBand { currency, unit: None, below: None, above: Some(Decimal::new(1_000 + below(&mut d, 9_000) as i64, 0)) }
            };
            when.unit_price = Some(band);
        }
        let lane = match d.basis_points() {
            0..3000 => Lane::Red,
            3000..8500 => Lane::Yellow,
            _ => Lane::Blue,
        };
        let rate = [1, 2, 5, 5, 10, 10, 20, 50, 100][below(&mut d, 9)];
        criteria.push(Criterion {
            id: format!("R{i:05}"),
            description: "generated".into(),
            active: true,
            revision: 1,
            when,
            lane,
            rate_percent: Decimal::from(rate),
            lab_sampling: d.basis_points() < 1_000,
            check_type: CheckType::Examination,
            weigh: false,
        });
    }
    RuleSet { version: 1, min_random_percent: Decimal::ONE, criteria, ..RuleSet::default() }
}

/// One goods line of a [`Declaration`].
#[derive(Debug, Clone)]
pub struct Item {
    pub code: String,
    pub origin: &'static str,
    pub currency: &'static str,
    pub unit_price: Decimal,
}

/// What targeting sees of one generated import declaration.
#[derive(Debug, Clone)]
pub struct Declaration {
    pub trade_country: &'static str,
    pub party: String,
    pub bill_no: String,
    pub items: Vec<Item>,
}

impl Declaration {
    pub fn subject(&self) -> Subject<'_> {
        Subject {
            ie_flag: IeFlag::Import,
            trade_country: self.trade_country,
            parties: vec![self.party.as_str()],
            trade_mode: "0110",
            bill_no: &self.bill_no,
            buyer: None,
            items: self
                .items
                .iter()
                .enumerate()
                .map(|(i, it)| SubjectItem {
                    g_no: i as u32 + 1,
                    code: &it.code,
                    origin: it.origin,
                    currency: it.currency,
                    unit: "035",
                    unit_price: it.unit_price,
                })
                .collect(),
        }
    }
}

/// `n` import declarations of 1 to 5 goods lines (two on average).
pub fn declarations(n: usize, seed: u64) -> Vec<Declaration> {
    let codes = subheadings();
    let mut d = Draws::new(seed);
    (0..n)
        .map(|i| {
            let lines = match d.basis_points() {
                0..4500 => 1,
                4500..7500 => 2,
                7500..9000 => 3,
                9000..9600 => 4,
                _ => 5,
            };
            let origin = weighted(&mut d, &ORIGINS);
            let currency = weighted(&mut d, &CURRENCIES);
            let items = (0..lines)
                .map(|_| Item {
                    code: format!("{}{}", popular(&mut d, &codes), SUBDIVISIONS[below(&mut d, SUBDIVISIONS.len())]),
                    // Most lines of a declaration share its origin.
                    origin: if d.basis_points() < 8_500 { origin } else { weighted(&mut d, &ORIGINS) },
                    currency,
                    unit_price: price(&mut d),
                })
                .collect();
            Declaration {
                trade_country: origin,
                party: format!("{:010}", 1_000_000 + below(&mut d, 50_000)),
                bill_no: format!("B{i:09}"),
                items,
            }
        })
        .collect()
}
