//! 产品特定原产地规则 — the product-specific rules of the agreements, held as data
//! (`data/origin/psr.csv`, see its SOURCE.md), and the tests each rule makes of a good's
//! materials.

use super::Agreement;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::sync::OnceLock;

const EMBEDDED: &str = include_str!("../../../../data/origin/psr.csv");

/// One alternative of a product-specific rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Requirement {
    /// WO — wholly obtained, or produced exclusively from originating materials.
    Wo,
    /// CC — change of chapter (2 digits).
    Cc,
    /// CTH — change of tariff heading (4 digits).
    Cth,
    /// CTSH — change of tariff subheading (6 digits).
    Ctsh,
    /// RVCnn — regional value content of at least nn per cent of FOB.
    Rvc(u8),
}

impl Requirement {
    pub fn parse(s: &str) -> Option<Requirement> {
        match s.trim() {
            "WO" => Some(Requirement::Wo),
            "CC" => Some(Requirement::Cc),
            "CTH" => Some(Requirement::Cth),
            "CTSH" => Some(Requirement::Ctsh),
            t => t.strip_prefix("RVC").and_then(|n| n.parse::<u8>().ok()).filter(|n| (1..100).contains(n)).map(Requirement::Rvc),
        }
    }

    /// How many leading digits of the HS code a change of classification compares.
    pub fn digits(self) -> Option<usize> {
        match self {
            Requirement::Cc => Some(2),
            Requirement::Cth => Some(4),
            Requirement::Ctsh => Some(6),
            Requirement::Wo | Requirement::Rvc(_) => None,
        }
    }

    pub fn name_zh(self) -> String {
        match self {
            Requirement::Wo => "完全获得".into(),
            Requirement::Cc => "章改变".into(),
            Requirement::Cth => "品目改变".into(),
            Requirement::Ctsh => "子目改变".into(),
            Requirement::Rvc(n) => format!("区域价值成分不低于{n}%"),
        }
    }

    pub fn name_en(self) -> String {
        match self {
            Requirement::Wo => "wholly obtained".into(),
            Requirement::Cc => "change of chapter".into(),
            Requirement::Cth => "change of tariff heading".into(),
            Requirement::Ctsh => "change of tariff subheading".into(),
            Requirement::Rvc(n) => format!("regional value content of at least {n}%"),
        }
    }
}

impl fmt::Display for Requirement {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Requirement::Wo => f.write_str("WO"),
            Requirement::Cc => f.write_str("CC"),
            Requirement::Cth => f.write_str("CTH"),
            Requirement::Ctsh => f.write_str("CTSH"),
            Requirement::Rvc(n) => write!(f, "RVC{n}"),
        }
    }
}

/// One row: the rule for goods of `agreement` whose code starts with `prefix`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Psr {
    pub agreement: Agreement,
    pub prefix: String,
    /// The alternatives; meeting one suffices.
    pub alternatives: Vec<Requirement>,
    pub description: String,
}

impl Psr {
    /// `CTH or RVC40`.
    pub fn text(&self) -> String {
        self.alternatives.iter().map(ToString::to_string).collect::<Vec<_>>().join(" or ")
    }
}

/// 产品特定规则表 — every row; the longest prefix of the good's agreement wins.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PsrTable {
    rows: Vec<Psr>,
}

impl PsrTable {
    /// The table that ships with Guomen (`data/origin/psr.csv`).
    pub fn embedded() -> &'static PsrTable {
        static T: OnceLock<PsrTable> = OnceLock::new();
        T.get_or_init(|| PsrTable::parse(EMBEDDED).expect("the embedded product-specific rules parse"))
    }

    /// Reads `agreement,hs_prefix,rule,description` rows after a header line.
    pub fn parse(csv: &str) -> Result<PsrTable, String> {
        let mut rows = Vec::new();
        for (n, line) in csv.lines().enumerate().skip(1) {
            let line = line.trim();
            if line.is_empty() {
                continue;
            }
            let mut cols = line.splitn(4, ',').map(str::trim);
            let (Some(a), Some(prefix), Some(rule), Some(description)) = (cols.next(), cols.next(), cols.next(), cols.next()) else {
                return Err(format!("line {}: expected 4 columns", n + 1));
            };
            let agreement = Agreement::parse(a).ok_or_else(|| format!("line {}: {a:?} is not an agreement", n + 1))?;
            if prefix.len() > 10 || !prefix.bytes().all(|b| b.is_ascii_digit()) {
                return Err(format!("line {}: {prefix:?} is not an HS prefix", n + 1));
            }
            let alternatives = rule
                .split(" or ")
                .map(|r| Requirement::parse(r).ok_or_else(|| format!("line {}: {r:?} is not a rule (WO, CC, CTH, CTSH, RVCnn)", n + 1)))
                .collect::<Result<Vec<_>, _>>()?;
            if rows.iter().any(|r: &Psr| r.agreement == agreement && r.prefix == prefix) {
                return Err(format!("line {}: {a} {prefix} is given twice", n + 1));
            }
            rows.push(Psr { agreement, prefix: prefix.to_owned(), alternatives, description: description.to_owned() });
        }
        Ok(PsrTable { rows })
    }

    /// The rule for a good of `hs` traded under `agreement`, if the table holds one.
    pub fn rule(&self, agreement: Agreement, hs: &str) -> Option<&Psr> {
        self.rows.iter().filter(|r| r.agreement == agreement && hs.starts_with(&r.prefix)).max_by_key(|r| r.prefix.len())
    }

    pub fn rows(&self) -> &[Psr] {
        &self.rows
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_table_reads_and_the_longest_prefix_wins() {
        let t = PsrTable::embedded();
        assert_eq!(t.rule(Agreement::Rcep, "8517620000").unwrap().text(), "CTSH or RVC40");
        assert_eq!(t.rule(Agreement::Rcep, "8458110090").unwrap().text(), "CTH or RVC40");
        assert_eq!(t.rule(Agreement::Rcep, "6109100021").unwrap().text(), "CC");
        assert!(t.rule(Agreement::Rcep, "2204210000").is_none(), "wine is not covered");
        assert_eq!(t.rule(Agreement::NonPreferential, "2204210000").unwrap().text(), "CTH or RVC30");
        for r in t.rows() {
            assert!(r.prefix.is_empty() || guomen_reference::hs::lookup(&r.prefix).is_some(), "{} is not in HS 2022", r.prefix);
        }
    }

    #[test]
    fn bad_rows_are_refused() {
        assert!(PsrTable::parse("h\nrcep,84,CTH or RVX40,x").unwrap_err().contains("RVX40"));
        assert!(PsrTable::parse("h\nmars,84,CTH,x").unwrap_err().contains("mars"));
        assert!(PsrTable::parse("h\nrcep,84,CTH,x\nrcep,84,CC,y").unwrap_err().contains("twice"));
        assert_eq!(Requirement::parse("RVC40"), Some(Requirement::Rvc(40)));
        assert_eq!(Requirement::parse("RVC0"), None);
    }
}
