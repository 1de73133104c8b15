//! 个人年度交易限值 — the buyer's limits for cross-border e-commerce retail imports
//! (财关税〔2018〕49号, from 2019-01-01): at most 5,000 CNY per transaction and 26,000 CNY per
//! person per calendar year. Within them, duty is zero and import VAT and consumption tax are
//! charged at 70%. A single indivisible item above 5,000 CNY that still fits the annual limit
//! is accepted, taxed in full at the goods' rates, and counts toward the annual total. Anything
//! else beyond the limits is general trade, not a retail import, and is refused.
//!
//! A buyer's year is a ledger: accepting an inventory *reserves* its value, release turns the
//! reservation into *use*, and a cancellation, return or confirmed identity theft gives it back.
//! `reserved + used + left = 26,000` always holds and no amount is ever negative.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// 年度限值 — per person per calendar year.
pub const ANNUAL_LIMIT: Decimal = Decimal::from_parts(26_000, 0, 0, false, 0);
/// 单次限值 — per transaction.
pub const TRANSACTION_LIMIT: Decimal = Decimal::from_parts(5_000, 0, 0, false, 0);

/// How an accepted inventory is taxed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Regime {
    /// 限值以内 — duty 0; VAT and consumption tax at 70%.
    WithinLimits,
    /// 单件不可分割超限 — one indivisible item above 5,000 CNY: full duty, VAT and consumption tax.
    SingleItemFullRate,
}

/// Why an inventory does not fit the buyer's limits.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "limit", rename_all = "kebab-case")]
pub enum OverLimit {
    Transaction { value: Decimal },
    Annual { value: Decimal, left: Decimal },
}

impl OverLimit {
    pub fn en(&self) -> String {
        match self {
            OverLimit::Transaction { value } => format!(
                "the transaction value {value} CNY is above the {TRANSACTION_LIMIT} CNY limit per transaction for retail imports; declare it as general trade"
            ),
            OverLimit::Annual { value, left } => format!(
                "the transaction value {value} CNY is above what is left of the buyer's {ANNUAL_LIMIT} CNY annual limit ({left} CNY)"
            ),
        }
    }

    pub fn zh(&self) -> String {
        match self {
            OverLimit::Transaction { value } => {
                format!("交易金额 {value} 元超过跨境电商零售进口单次交易限值 {TRANSACTION_LIMIT} 元，应按一般贸易申报")
            }
            OverLimit::Annual { value, left } => {
                format!("交易金额 {value} 元超过订购人年度交易限值 {ANNUAL_LIMIT} 元的剩余额度（{left} 元）")
            }
        }
    }
}

/// One buyer's year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Ledger {
    /// Accepted, not yet released (under review or inspection).
    pub reserved: Decimal,
    /// Released.
    pub used: Decimal,
}

impl Ledger {
    pub fn left(&self) -> Decimal {
        (ANNUAL_LIMIT - self.reserved - self.used).max(Decimal::ZERO)
    }

    /// Whether an inventory of `value` fits, and how it is taxed if so.
    pub fn assess(&self, value: Decimal, single_indivisible: bool) -> Result<Regime, OverLimit> {
        let left = self.left();
        if value > left {
            return Err(OverLimit::Annual { value, left });
        }
        if value <= TRANSACTION_LIMIT {
            Ok(Regime::WithinLimits)
        } else if single_indivisible {
            Ok(Regime::SingleItemFullRate)
        } else {
            Err(OverLimit::Transaction { value })
        }
    }

    /// The pre-check platforms ask before an order is placed: an ordinary (divisible)
    /// transaction of `amount`.
    pub fn fits(&self, amount: Decimal) -> bool {
        amount >= Decimal::ZERO && amount <= TRANSACTION_LIMIT && amount <= self.left()
    }

    /// Reserves `value`; the caller has assessed it first.
    pub fn reserve(&mut self, value: Decimal) -> Result<(), OverLimit> {
        if value < Decimal::ZERO || value > self.left() {
            return Err(OverLimit::Annual { value, left: self.left() });
        }
        self.reserved += value;
        Ok(())
    }

    /// Release: the reservation becomes use.
    pub fn consume(&mut self, value: Decimal) {
        let v = value.min(self.reserved).max(Decimal::ZERO);
        self.reserved -= v;
        self.used += v;
    }

    /// Gives back a reservation (rejected after review, cancelled before release).
    pub fn release_reserved(&mut self, value: Decimal) {
        self.reserved -= value.min(self.reserved).max(Decimal::ZERO);
    }

    /// Gives back use (cancelled or returned after release).
    pub fn release_used(&mut self, value: Decimal) {
        self.used -= value.min(self.used).max(Decimal::ZERO);
    }
}

/// The buyer's calendar year in China (UTC+8), which decides which ledger an acceptance uses.
pub fn china_year(t: time::OffsetDateTime) -> i32 {
    t.to_offset(time::macros::offset!(+8)).year()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(n: i64) -> Decimal {
        Decimal::from(n)
    }

    #[test]
    fn limits_table() {
        // (already used, value, single indivisible, expected)
        let cases: &[(i64, &str, bool, Result<Regime, &str>)] = &[
            (0, "5000", false, Ok(Regime::WithinLimits)),
            (0, "5000.01", false, Err("transaction")),
            (0, "5000.01", true, Ok(Regime::SingleItemFullRate)),
            (0, "26000", true, Ok(Regime::SingleItemFullRate)),
            (0, "26000.01", true, Err("annual")),
            (21_000, "5000", false, Ok(Regime::WithinLimits)),
            (21_000, "5000.01", false, Err("annual")),
            (25_999, "1", false, Ok(Regime::WithinLimits)),
            (26_000, "0.01", false, Err("annual")),
            (20_000, "6000", true, Ok(Regime::SingleItemFullRate)),
            (20_001, "6000", true, Err("annual")),
        ];
        for (used, value, single, expected) in cases {
            let l = Ledger { reserved: Decimal::ZERO, used: d(*used) };
            let got = l.assess(value.parse().unwrap(), *single);
            match (got, expected) {
                (Ok(a), Ok(b)) => assert_eq!(a, *b, "{used} {value} {single}"),
                (Err(OverLimit::Transaction { .. }), Err("transaction")) | (Err(OverLimit::Annual { .. }), Err("annual")) => {}
                (g, e) => panic!("{used} {value} {single}: got {g:?}, expected {e:?}"),
            }
        }
    }

    #[test]
    fn pre_check_answers_for_an_ordinary_transaction() {
        let l = Ledger { reserved: d(1000), used: d(20_000) };
        assert_eq!(l.left(), d(5000));
        assert!(l.fits(d(5000)));
        assert!(!l.fits("5000.01".parse().unwrap()));
        assert!(!Ledger { reserved: d(0), used: d(22_000) }.fits(d(4001)));
        assert!(!l.fits(d(-1)));
    }

    #[test]
    fn the_year_is_china_time() {
        use time::macros::datetime;
        assert_eq!(china_year(datetime!(2026-12-31 15:59:59 UTC)), 2026);
        assert_eq!(china_year(datetime!(2026-12-31 16:00:00 UTC)), 2027);
    }

    #[derive(Debug, Clone)]
    enum Step {
        Accept(i64, bool),
        Release(usize),
        GiveBack(usize),
    }

    fn step() -> impl Strategy<Value = Step> {
        prop_oneof![
            (1i64..800_000, any::<bool>()).prop_map(|(fen, single)| Step::Accept(fen, single)),
            (0usize..50).prop_map(Step::Release),
            (0usize..50).prop_map(Step::GiveBack),
        ]
    }

    proptest! {
        /// Whatever sequence of acceptances, releases, cancellations and returns: nothing is
        /// negative, reserved + used + left = 26,000, and what is reserved or used equals the
        /// sum of the live inventories.
        #[test]
        fn the_ledger_never_overspends(steps in proptest::collection::vec(step(), 1..200)) {
            let mut l = Ledger::default();
            // (value, released)
            let mut live: Vec<(Decimal, bool)> = Vec::new();
            for s in steps {
                match s {
                    Step::Accept(fen, single) => {
                        let v = Decimal::new(fen, 2);
                        if l.assess(v, single).is_ok() {
                            l.reserve(v).unwrap();
                            live.push((v, false));
                        }
                    }
                    Step::Release(i) => if let Some(x) = live.get_mut(i) {
                        if !x.1 { l.consume(x.0); x.1 = true; }
                    },
                    Step::GiveBack(i) => if i < live.len() {
                        let (v, released) = live.remove(i);
                        if released { l.release_used(v) } else { l.release_reserved(v) }
                    },
                }
                prop_assert!(l.reserved >= Decimal::ZERO && l.used >= Decimal::ZERO && l.left() >= Decimal::ZERO);
                prop_assert_eq!(l.reserved + l.used + l.left(), ANNUAL_LIMIT);
                let reserved: Decimal = live.iter().filter(|x| !x.1).map(|x| x.0).sum();
                let used: Decimal = live.iter().filter(|x| x.1).map(|x| x.0).sum();
                prop_assert_eq!(l.reserved, reserved);
                prop_assert_eq!(l.used, used);
            }
        }
    }
}
