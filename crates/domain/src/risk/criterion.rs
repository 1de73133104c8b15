//! 布控规则 — targeting criteria and the versioned rule set that holds them.

use crate::declaration::IeFlag;
use crate::error::{FieldError, Rule};
use crate::party::CreditGrade;
use crate::types::{CountryCode, CurrencyCode, CustomsCode, UnitCode};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// 通道 — ASYCUDA's lanes, ordered by severity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lane {
    /// 绿色通道 — release.
    Green,
    /// 蓝色通道 — release, then post-clearance audit.
    Blue,
    /// 黄色通道 — documentary check.
    Yellow,
    /// 红色通道 — physical examination.
    Red,
}

impl Lane {
    pub fn as_str(self) -> &'static str {
        match self {
            Lane::Green => "green",
            Lane::Blue => "blue",
            Lane::Yellow => "yellow",
            Lane::Red => "red",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [Lane::Green, Lane::Blue, Lane::Yellow, Lane::Red].into_iter().find(|l| l.as_str() == s)
    }

    /// The lane's Chinese name: 绿色通道, 蓝色通道, 黄色通道, 红色通道.
    pub fn name_zh(self) -> &'static str {
        match self {
            Lane::Green => "绿色通道",
            Lane::Blue => "蓝色通道",
            Lane::Yellow => "黄色通道",
            Lane::Red => "红色通道",
        }
    }

    /// Lanes that stop the goods for a check before release.
    pub fn needs_inspection(self) -> bool {
        matches!(self, Lane::Yellow | Lane::Red)
    }
}

/// 查验类型 — what kind of check a selection calls for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum CheckType {
    /// 查验 — customs examination.
    #[default]
    Examination,
    /// 检疫 — quarantine (plants, animals, their products).
    Quarantine,
    /// 检验 — commodity inspection.
    Inspection,
}

impl CheckType {
    pub fn name_zh(self) -> &'static str {
        match self {
            CheckType::Examination => "查验",
            CheckType::Quarantine => "检疫",
            CheckType::Inspection => "检验",
        }
    }
}

/// A field a named list can be checked against.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ListField {
    /// Item commodity code; list entries are prefixes.
    HsCode,
    OriginCountry,
    TradeCountry,
    /// Consignee/consignor, owner or agent.
    Enterprise,
    BillNo,
    /// 订购人 — the buyer's identity number (cross-border e-commerce inventories only).
    Buyer,
}

impl ListField {
    pub fn is_item_field(self) -> bool {
        matches!(self, ListField::HsCode | ListField::OriginCountry)
    }
}

/// "The value of FIELD is on list LIST."
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListCondition {
    pub list: String,
    pub field: ListField,
}

/// 价格区间 — a unit-price band in one currency (and optionally one unit of measure).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PriceBand {
    pub currency: CurrencyCode,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<UnitCode>,
    /// Hits when the unit price is strictly below this (under-valuation).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub below: Option<Decimal>,
    /// Hits when the unit price is strictly above this.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub above: Option<Decimal>,
}

/// The conditions of a criterion. Every condition given must hold; within one condition any
/// listed value will do. Item conditions must all hold on the same item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(default, deny_unknown_fields)]
pub struct Conditions {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ie_flag: Option<IeFlag>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub hs_prefixes: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub origin_countries: Vec<CountryCode>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub trade_countries: Vec<CountryCode>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub enterprises: Vec<CustomsCode>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub credit_grades: Vec<CreditGrade>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub trade_modes: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unit_price: Option<PriceBand>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub on_lists: Vec<ListCondition>,
}

fn default_true() -> bool {
    true
}

/// 布控指令 — one targeting criterion.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Criterion {
    /// The analyst's code for it: 1–32 of A–Z, 0–9, `-`, `_`.
    pub id: String,
    /// Why the criterion exists (shown to officers, never to traders).
    pub description: String,
    #[serde(default = "default_true")]
    pub active: bool,
    /// Incremented each time the criterion changes; set by the system.
    #[serde(default)]
    pub revision: u32,
    pub when: Conditions,
    pub lane: Lane,
    /// Share of hits selected, 0–100 with up to two decimals.
    pub rate_percent: Decimal,
    /// Selection also orders laboratory sampling.
    #[serde(default)]
    pub lab_sampling: bool,
    #[serde(default)]
    pub check_type: CheckType,
    /// The inspection should weigh the goods.
    #[serde(default)]
    pub weigh: bool,
}

/// Credit-grade multipliers applied to selection rates below 100%.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GradeModifiers {
    pub advanced_certified: Decimal,
    pub registered: Decimal,
    pub untrustworthy: Decimal,
}

impl Default for GradeModifiers {
    fn default() -> Self {
        GradeModifiers { advanced_certified: Decimal::new(5, 1), registered: Decimal::ONE, untrustworthy: Decimal::TWO }
    }
}

impl GradeModifiers {
    pub fn factor(&self, grade: CreditGrade) -> Decimal {
        match grade {
            CreditGrade::AdvancedCertified => self.advanced_certified,
            CreditGrade::Registered => self.registered,
            CreditGrade::Untrustworthy => self.untrustworthy,
        }
    }
}

fn default_random_lane() -> Lane {
    Lane::Red
}

/// 规则集 — the whole targeting configuration at one version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleSet {
    /// Set by the system on publication; 0 for the empty initial set.
    #[serde(default)]
    pub version: u64,
    /// 随机布控 — pure random selection for quality control, percent of declarations.
    pub min_random_percent: Decimal,
    #[serde(default = "default_random_lane")]
    pub random_lane: Lane,
    #[serde(default)]
    pub grade_modifiers: GradeModifiers,
    /// Named lists usable in criteria.
    #[serde(default)]
    pub lists: BTreeMap<String, BTreeSet<String>>,
    #[serde(default)]
    pub criteria: Vec<Criterion>,
    /// 身份冒用 — thresholds of the cross-border e-commerce identity-theft guard.
    #[serde(default)]
    pub identity_guard: crate::ceb::IdentityGuard,
    /// The criteria indexed for deciding, built on first use (see [`super::index`]).
    #[serde(skip)]
    pub index: super::index::IndexCell,
}

impl Default for RuleSet {
    fn default() -> Self {
        RuleSet {
            version: 0,
            min_random_percent: Decimal::ZERO,
            random_lane: Lane::Red,
            grade_modifiers: GradeModifiers::default(),
            lists: BTreeMap::new(),
            criteria: Vec::new(),
            identity_guard: crate::ceb::IdentityGuard::default(),
            index: Default::default(),
        }
    }
}

/// Converts a percentage with two decimals into basis points.
pub fn percent_to_bp(p: Decimal) -> u32 {
    // A rate beyond any percentage saturates at 100% rather than overflowing.
    let bp = p.checked_mul(Decimal::ONE_HUNDRED).map_or(Decimal::from(10_000), |v| v.round());
    bp.clamp(Decimal::ZERO, Decimal::from(10_000)).try_into().unwrap_or(0)
}

fn valid_id(id: &str) -> bool {
    (1..=32).contains(&id.len()) && id.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
}

fn check_percent(errors: &mut Vec<FieldError>, path: String, p: Decimal) {
    if p < Decimal::ZERO || p > Decimal::ONE_HUNDRED || p.normalize().scale() > 2 {
        errors.push(FieldError::new(
            path,
            Rule::PercentRange,
            format!("must be a percentage from 0 to 100 with at most two decimals, got {p}"),
            format!("应为0至100之间、最多两位小数的百分比，实际为 {p}"),
        ));
    }
}

impl Criterion {
    /// Checks one criterion against the lists it may refer to.
    pub fn check(&self, path: &str, lists: &BTreeMap<String, BTreeSet<String>>, errors: &mut Vec<FieldError>) {
        if !valid_id(&self.id) {
            errors.push(FieldError::new(
                format!("{path}.id"),
                Rule::CriterionIdFormat,
                "criterion id must be 1–32 characters of A–Z, 0–9, '-' or '_'",
                "规则编号应为1至32位大写字母、数字、'-' 或 '_'",
            ));
        }
        if self.description.trim().is_empty() {
            errors.push(FieldError::new(format!("{path}.description"), Rule::Required, "a description is required", "必须填写规则说明"));
        }
        check_percent(errors, format!("{path}.rate_percent"), self.rate_percent);
        if self.lane == Lane::Green {
            errors.push(FieldError::new(
                format!("{path}.lane"),
                Rule::LaneGreen,
                "a criterion selects for red, yellow or blue; green is what is left",
                "规则只能指定红、黄或蓝色通道；未命中即为绿色通道",
            ));
        }
        for (i, p) in self.when.hs_prefixes.iter().enumerate() {
            if !(2..=10).contains(&p.len()) || !p.bytes().all(|b| b.is_ascii_digit()) {
                errors.push(FieldError::new(
                    format!("{path}.when.hs_prefixes[{i}]"),
                    Rule::HsPrefixFormat,
                    format!("an HS prefix is 2 to 10 digits, got {p:?}"),
                    format!("商品编码前缀应为2至10位数字，实际为 {p:?}"),
                ));
            }
        }
        for (i, m) in self.when.trade_modes.iter().enumerate() {
            if m.len() != 4 || !m.bytes().all(|b| b.is_ascii_digit()) {
                errors.push(FieldError::new(
                    format!("{path}.when.trade_modes[{i}]"),
                    Rule::TradeModeFormat,
                    format!("a trade mode is 4 digits, got {m:?}"),
                    format!("监管方式应为4位数字，实际为 {m:?}"),
                ));
            }
        }
        if let Some(band) = &self.when.unit_price {
            if band.below.is_none() && band.above.is_none() {
                errors.push(FieldError::new(
                    format!("{path}.when.unit_price"),
                    Rule::PriceBandEmpty,
                    "a price band needs `below`, `above` or both",
                    "价格区间需设置 below 或 above",
                ));
            }
        }
        for (i, c) in self.when.on_lists.iter().enumerate() {
            if !lists.contains_key(&c.list) {
                errors.push(FieldError::new(
                    format!("{path}.when.on_lists[{i}].list"),
                    Rule::ListUnknown,
                    format!("no list named {:?} in the rule set", c.list),
                    format!("规则集中没有名为 {:?} 的清单", c.list),
                ));
            }
        }
    }
}

impl RuleSet {
    /// Every problem with the rule set, with paths into it.
    pub fn check(&self) -> Vec<FieldError> {
        let mut errors = Vec::new();
        check_percent(&mut errors, "min_random_percent".into(), self.min_random_percent);
        for (name, f) in [
            ("advanced_certified", self.grade_modifiers.advanced_certified),
            ("registered", self.grade_modifiers.registered),
            ("untrustworthy", self.grade_modifiers.untrustworthy),
        ] {
            if f < Decimal::ZERO || f > Decimal::TEN {
                errors.push(FieldError::new(
                    format!("grade_modifiers.{name}"),
                    Rule::FactorRange,
                    "a grade modifier is a factor from 0 to 10",
                    "信用等级系数应在0至10之间",
                ));
            }
        }
        let mut seen = BTreeSet::new();
        for (i, c) in self.criteria.iter().enumerate() {
            let path = format!("criteria[{i}]");
            c.check(&path, &self.lists, &mut errors);
            if !seen.insert(c.id.as_str()) {
                errors.push(FieldError::new(
                    format!("{path}.id"),
                    Rule::CriterionIdDuplicate,
                    format!("criterion id {:?} appears twice", c.id),
                    format!("规则编号 {:?} 重复", c.id),
                ));
            }
        }
        errors
    }

    /// The next version of this set with `criteria` replaced, revisions bumped where a criterion changed.
    pub fn successor(&self, mut next: RuleSet) -> (RuleSet, Vec<String>) {
        let mut changed = Vec::new();
        for c in &mut next.criteria {
            match self.criteria.iter().find(|old| old.id == c.id) {
                Some(old) => {
                    let mut probe = c.clone();
                    probe.revision = old.revision;
                    if probe != *old {
                        c.revision = old.revision + 1;
                        changed.push(c.id.clone());
                    } else {
                        c.revision = old.revision;
                    }
                }
                None => {
                    c.revision = 1;
                    changed.push(c.id.clone());
                }
            }
        }
        for old in &self.criteria {
            if !next.criteria.iter().any(|c| c.id == old.id) {
                changed.push(old.id.clone());
            }
        }
        next.version = self.version + 1;
        (next, changed)
    }
}
