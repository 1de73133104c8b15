//! 跨境电商综合税 — the tax on a cross-border e-commerce retail import, per goods line and per
//! inventory. Within the limits: duty 0, and import VAT and consumption tax at 70% of what
//! general trade would pay (the composite tax, 综合税). A single indivisible item above the
//! per-transaction limit pays duty, consumption tax and VAT in full.
//!
//! The customs value of a line is its total price plus its share of the inventory's freight
//! and insurance, shared in proportion to line totals (the last line takes the rounding
//! remainder, so the shares add up exactly). Consumption tax is ad valorem on the
//! composite-price basis: `(value + duty) × c / (1 − c)`; VAT is `(value + duty + consumption)
//! × v`. Each amount is rounded to the fen, half away from zero.

use super::documents::InventoryDoc;
use super::quota::Regime;
use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};
use std::sync::OnceLock;

const EMBEDDED: &str = include_str!("../../../../data/tariff/ceb-retail.csv");

/// One row of the tariff: rates in percent for every code starting with `prefix`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TariffRow {
    pub prefix: String,
    pub name_zh: String,
    pub name_en: String,
    pub duty_percent: Decimal,
    pub vat_percent: Decimal,
    pub consumption_percent: Decimal,
}

/// 税则 — rates by HS prefix; the longest matching prefix wins.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tariff {
    rows: Vec<TariffRow>,
}

/// Rates for a commodity with no row: VAT 13%, nothing else.
fn default_row() -> TariffRow {
    TariffRow {
        prefix: String::new(),
        name_zh: "其他商品".into(),
        name_en: "Other goods".into(),
        duty_percent: Decimal::ZERO,
        vat_percent: Decimal::from(13),
        consumption_percent: Decimal::ZERO,
    }
}

impl Tariff {
    /// The table that ships with Guomen (`data/tariff/ceb-retail.csv`).
    pub fn embedded() -> &'static Tariff {
        static T: OnceLock<Tariff> = OnceLock::new();
        T.get_or_init(|| Tariff::parse(EMBEDDED).expect("the embedded tariff parses"))
    }

    /// Reads `hs_prefix,name_zh,name_en,duty_percent,vat_percent,consumption_percent` rows
    /// after a header line. Names may not contain commas.
    pub fn parse(csv: &str) -> Result<Tariff, String> {
        let mut rows = Vec::new();
        for (n, line) in csv.lines().enumerate().skip(1) {
            let line = line.trim();
            if line.is_empty() {
                continue;
            }
            let cols: Vec<&str> = line.split(',').map(str::trim).collect();
            let [prefix, zh, en, duty, vat, ct] = cols[..] else {
                return Err(format!("line {}: expected 6 columns, found {}", n + 1, cols.len()));
            };
            if !(2..=10).contains(&prefix.len()) || !prefix.bytes().all(|b| b.is_ascii_digit()) {
                return Err(format!("line {}: {prefix:?} is not an HS prefix of 2 to 10 digits", n + 1));
            }
            let pct = |s: &str| -> Result<Decimal, String> {
                let d: Decimal = s.parse().map_err(|_| format!("line {}: {s:?} is not a number", n + 1))?;
                if d < Decimal::ZERO || d >= Decimal::ONE_HUNDRED {
                    return Err(format!("line {}: rate {s} must be at least 0 and below 100", n + 1));
                }
                Ok(d)
            };
            rows.push(TariffRow {
                prefix: prefix.to_owned(),
                name_zh: zh.to_owned(),
                name_en: en.to_owned(),
                duty_percent: pct(duty)?,
                vat_percent: pct(vat)?,
                consumption_percent: pct(ct)?,
            });
        }
        rows.sort_by(|a, b| b.prefix.len().cmp(&a.prefix.len()).then(a.prefix.cmp(&b.prefix)));
        Ok(Tariff { rows })
    }

    /// The row for a commodity code.
    pub fn row(&self, gcode: &str) -> TariffRow {
        self.rows.iter().find(|r| gcode.starts_with(&r.prefix)).cloned().unwrap_or_else(default_row)
    }

    pub fn rows(&self) -> &[TariffRow] {
        &self.rows
    }
}

/// Tax on one goods line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LineTax {
    pub gnum: i32,
    pub gcode: String,
    /// Customs value: line total plus its share of freight and insurance.
    pub value: Decimal,
    pub duty_percent: Decimal,
    pub vat_percent: Decimal,
    pub consumption_percent: Decimal,
    pub duty: Decimal,
    pub consumption: Decimal,
    pub vat: Decimal,
}

/// 税单 — the tax of one inventory.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaxBill {
    pub regime: Regime,
    pub value: Decimal,
    pub duty: Decimal,
    pub consumption: Decimal,
    pub vat: Decimal,
    pub total: Decimal,
    pub lines: Vec<LineTax>,
}

fn fen(d: Decimal) -> Decimal {
    d.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
}

/// Share of 70% for the composite tax within the limits.
const COMPOSITE: Decimal = Decimal::from_parts(7, 0, 0, false, 1);

/// Computes the tax of an accepted inventory.
pub fn compute(inv: &InventoryDoc, regime: Regime, tariff: &Tariff) -> TaxBill {
    let extra = inv.freight + inv.insured_fee;
    let goods = inv.goods_total();
    let n = inv.items.len();
    let mut shared = Decimal::ZERO;
    let mut lines = Vec::with_capacity(n);
    for (i, item) in inv.items.iter().enumerate() {
        let share = if i + 1 == n {
            extra - shared
        } else if goods.is_zero() {
            Decimal::ZERO
        } else {
            fen(extra * item.total_price / goods)
        };
        shared += share;
        let value = item.total_price + share;
        let row = tariff.row(&item.gcode);
        let pct = Decimal::ONE_HUNDRED;
        let (d, v, c) = (row.duty_percent / pct, row.vat_percent / pct, row.consumption_percent / pct);
        let (duty, consumption, vat) = match regime {
            Regime::WithinLimits => {
                let ct_base = value * c / (Decimal::ONE - c);
                (Decimal::ZERO, fen(ct_base * COMPOSITE), fen((value + ct_base) * v * COMPOSITE))
            }
            Regime::SingleItemFullRate => {
                let duty = value * d;
                let ct = (value + duty) * c / (Decimal::ONE - c);
                (fen(duty), fen(ct), fen((value + duty + ct) * v))
            }
        };
        lines.push(LineTax {
            gnum: item.gnum,
            gcode: item.gcode.clone(),
            value,
            duty_percent: row.duty_percent,
            vat_percent: row.vat_percent,
            consumption_percent: row.consumption_percent,
            duty,
            consumption,
            vat,
        });
    }
    let duty: Decimal = lines.iter().map(|l| l.duty).sum();
    let consumption: Decimal = lines.iter().map(|l| l.consumption).sum();
    let vat: Decimal = lines.iter().map(|l| l.vat).sum();
    TaxBill { regime, value: inv.value(), duty, consumption, vat, total: duty + consumption + vat, lines }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ceb::samples::inventory;

    fn dec(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    #[test]
    fn the_embedded_tariff_reads_and_the_longest_prefix_wins() {
        let t = Tariff::embedded();
        assert!(t.rows().len() >= 20);
        assert_eq!(t.row("1901101000").prefix, "190110");
        assert_eq!(t.row("3304990099").consumption_percent, dec("15"));
        assert_eq!(t.row("0402210000").vat_percent, dec("9"));
        assert_eq!(t.row("9999999999").vat_percent, dec("13"));
    }

    #[test]
    fn bad_tariff_rows_are_refused_with_their_line() {
        assert!(Tariff::parse("h\n04,a,b,10,9\n").unwrap_err().contains("line 2"));
        assert!(Tariff::parse("h\nXX,a,b,1,2,3\n").unwrap_err().contains("HS prefix"));
        assert!(Tariff::parse("h\n04,a,b,1,100,3\n").unwrap_err().contains("below 100"));
    }

    /// Worked cases, computed by hand.
    #[test]
    fn composite_and_full_rate_cases() {
        let t = Tariff::embedded();
        // Infant formula, value 300 (no freight): VAT 13% × 70% = 27.30.
        let mut inv = inventory();
        inv.freight = Decimal::ZERO;
        inv.insured_fee = Decimal::ZERO;
        inv.items.truncate(1);
        inv.items[0].gcode = "1901101000".into();
        inv.items[0].total_price = dec("300");
        let bill = compute(&inv, Regime::WithinLimits, t);
        assert_eq!((bill.duty, bill.consumption, bill.vat, bill.total), (dec("0"), dec("0"), dec("27.30"), dec("27.30")));

        // Cosmetics, value 1000: CT = 1000 × 0.15/0.85 × 0.7 = 123.53; VAT = (1000 + 176.4706) × 0.13 × 0.7 = 107.06.
        inv.items[0].gcode = "3304990099".into();
        inv.items[0].total_price = dec("1000");
        let bill = compute(&inv, Regime::WithinLimits, t);
        assert_eq!((bill.consumption, bill.vat, bill.total), (dec("123.53"), dec("107.06"), dec("230.59")));

        // A watch of 8,000 taxed in full: duty 640; CT = 8640 × 0.2/0.8 = 2160; VAT = (8640 + 2160) × 0.13 = 1404.
        inv.items[0].gcode = "9102110000".into();
        inv.items[0].total_price = dec("8000");
        let bill = compute(&inv, Regime::SingleItemFullRate, t);
        assert_eq!((bill.duty, bill.consumption, bill.vat, bill.total), (dec("640"), dec("2160"), dec("1404"), dec("4204")));
    }

    /// The largest amounts a CEB message can carry (N19,5) compute without overflow.
    #[test]
    fn the_largest_amounts_a_message_allows_do_not_overflow() {
        let max = dec("99999999999999.99999");
        let mut inv = inventory();
        inv.freight = max;
        inv.insured_fee = max;
        for it in &mut inv.items {
            it.total_price = max;
            it.price = max;
            it.qty = max;
        }
        for regime in [Regime::WithinLimits, Regime::SingleItemFullRate] {
            let bill = compute(&inv, regime, Tariff::embedded());
            assert!(bill.total > Decimal::ZERO);
        }
    }

    #[test]
    fn freight_is_shared_by_line_totals_and_adds_up() {
        let mut inv = inventory();
        inv.freight = dec("10");
        inv.insured_fee = dec("0.01");
        let bill = compute(&inv, Regime::WithinLimits, Tariff::embedded());
        let values: Decimal = bill.lines.iter().map(|l| l.value).sum();
        assert_eq!(values, inv.value());
        assert_eq!(bill.value, inv.value());
        assert_eq!(bill.total, bill.lines.iter().map(|l| l.duty + l.consumption + l.vat).sum::<Decimal>());
    }
}
