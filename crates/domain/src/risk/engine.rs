//! 风险布控 — the selectivity decision. Pure: the same declaration, grade, rule set and seed always
//! give the same decision, which is how any past decision is replayed.

use super::criterion::{percent_to_bp, CheckType, Criterion, Lane, ListField, RuleSet};
use super::index::Candidates;
use super::rng::Draws;
use crate::declaration::{DeclarationContent, IeFlag};
use crate::party::CreditGrade;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// One reason a criterion matched, in both languages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reason {
    pub en: String,
    pub zh: String,
}

fn reason(en: String, zh: String) -> Reason {
    Reason { en, zh }
}

/// A criterion that matched, whether or not its draw selected the declaration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Hit {
    pub criterion: String,
    pub revision: u32,
    pub lane: Lane,
    pub lab_sampling: bool,
    pub check_type: CheckType,
    pub weigh: bool,
    /// The criterion's own rate, in basis points.
    pub rate_bp: u32,
    /// After the credit-grade modifier (100% criteria are never modified).
    pub effective_rate_bp: u32,
    /// The draw in 0..10000; selected when below the effective rate.
    pub draw: u32,
    pub selected: bool,
    /// Item numbers (GNo) on which the item conditions held.
    pub items: Vec<u32>,
    pub reasons: Vec<Reason>,
}

/// The pure random quality-control draw.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RandomDraw {
    pub rate_bp: u32,
    pub draw: u32,
    /// True only when no criterion selected the declaration and the draw fell under the rate.
    pub selected: bool,
    pub lane: Lane,
}

/// 布控结果 — the lane and everything that led to it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Decision {
    pub ruleset_version: u64,
    pub seed: u64,
    pub grade: CreditGrade,
    pub grade_factor: Decimal,
    pub lane: Lane,
    pub lab_sampling: bool,
    pub check_types: Vec<CheckType>,
    pub weigh: bool,
    pub hits: Vec<Hit>,
    pub random: RandomDraw,
}

impl Decision {
    pub fn selected_hits(&self) -> impl Iterator<Item = &Hit> {
        self.hits.iter().filter(|h| h.selected)
    }
}

/// What targeting looks at, whatever the record: a declaration or a cross-border e-commerce
/// inventory list. Codes are compared as text: countries as ISO 3166 alpha-3, currencies as ISO
/// 4217, units as GACC unit codes.
#[derive(Debug, Clone)]
pub struct Subject<'a> {
    pub ie_flag: IeFlag,
    pub trade_country: &'a str,
    /// Consignee/consignor, owner, agent — every enterprise the record names.
    pub parties: Vec<&'a str>,
    pub trade_mode: &'a str,
    pub bill_no: &'a str,
    /// The buyer's identity number (cross-border e-commerce); None for declarations.
    pub buyer: Option<&'a str>,
    pub items: Vec<SubjectItem<'a>>,
}

/// One goods line of a [`Subject`].
#[derive(Debug, Clone)]
pub struct SubjectItem<'a> {
    pub g_no: u32,
    pub code: &'a str,
    pub origin: &'a str,
    pub currency: &'a str,
    pub unit: &'a str,
    pub unit_price: Decimal,
}

impl<'a> Subject<'a> {
    pub fn of_declaration(d: &'a DeclarationContent) -> Subject<'a> {
        let h = &d.head;
        Subject {
            ie_flag: h.ie_flag,
            trade_country: h.trade_country.as_str(),
            parties: std::iter::once(h.trade_code.as_str())
                .chain(h.owner_code.as_ref().map(|c| c.as_str()))
                .chain(h.agent_code.as_ref().map(|c| c.as_str()))
                .collect(),
            trade_mode: &h.trade_mode,
            bill_no: &h.bill_no,
            buyer: None,
            items: d
                .items
                .iter()
                .map(|i| SubjectItem {
                    g_no: i.g_no,
                    code: i.code_ts.as_str(),
                    origin: i.origin_country.as_str(),
                    currency: i.trade_curr.as_str(),
                    unit: i.g_unit.as_str(),
                    unit_price: i.decl_price,
                })
                .collect(),
        }
    }
}

/// Applies the rule set to a declaration.
pub fn decide(content: &DeclarationContent, grade: CreditGrade, rules: &RuleSet, seed: u64) -> Decision {
    assess(&Subject::of_declaration(content), grade, rules, seed)
}

/// Applies the rule set to any record seen as a [`Subject`]. The criteria that may hit come
/// from the rule set's index; each is then decided by its own conditions, in rule-set order, so
/// the decision (hits, their order and their draws) is the one a scan of every criterion makes.
pub fn assess(content: &Subject<'_>, grade: CreditGrade, rules: &RuleSet, seed: u64) -> Decision {
    let index = rules.index();
    let mut candidates = Candidates::default();
    index.candidates(content, &mut candidates);
    assess_over(content, grade, rules, seed, candidates.as_slice().iter().map(|&i| &rules.criteria[i as usize]))
}

/// [`assess`] by scanning every criterion, without the index: the reference the index is
/// tested and measured against.
#[doc(hidden)]
pub fn assess_linear(content: &Subject<'_>, grade: CreditGrade, rules: &RuleSet, seed: u64) -> Decision {
    assess_over(content, grade, rules, seed, rules.criteria.iter())
}

fn assess_over<'r>(
    content: &Subject<'_>,
    grade: CreditGrade,
    rules: &'r RuleSet,
    seed: u64,
    criteria: impl Iterator<Item = &'r Criterion>,
) -> Decision {
    let mut draws = Draws::new(seed);
    let factor = rules.grade_modifiers.factor(grade);
    let modify = |bp: u32| -> u32 {
        if bp >= 10_000 {
            return 10_000;
        }
        let v = Decimal::from(bp).checked_mul(factor).map_or(Decimal::from(10_000), |v| v.round());
        v.clamp(Decimal::ZERO, Decimal::from(10_000)).try_into().unwrap_or(bp)
    };

    let mut hits = Vec::new();
    for c in criteria.filter(|c| c.active) {
        if let Some((items, reasons)) = matches(c, content, grade, rules) {
            let rate_bp = percent_to_bp(c.rate_percent);
            let effective_rate_bp = modify(rate_bp);
            let draw = draws.basis_points();
            hits.push(Hit {
                criterion: c.id.clone(),
                revision: c.revision,
                lane: c.lane,
                lab_sampling: c.lab_sampling,
                check_type: c.check_type,
                weigh: c.weigh,
                rate_bp,
                effective_rate_bp,
                draw,
                selected: draw < effective_rate_bp,
                items,
                reasons,
            });
        }
    }

    let any_selected = hits.iter().any(|h| h.selected);
    let random_rate = modify(percent_to_bp(rules.min_random_percent));
    let random_draw = draws.basis_points();
    let random = RandomDraw {
        rate_bp: random_rate,
        draw: random_draw,
        selected: !any_selected && random_draw < random_rate,
        lane: rules.random_lane,
    };

    let mut lane = hits.iter().filter(|h| h.selected).map(|h| h.lane).max().unwrap_or(Lane::Green);
    if random.selected {
        lane = lane.max(random.lane);
    }
    let lab_sampling = hits.iter().any(|h| h.selected && h.lab_sampling);
    let mut check_types: Vec<CheckType> = hits.iter().filter(|h| h.selected).map(|h| h.check_type).collect();
    if random.selected {
        check_types.push(CheckType::Examination);
    }
    check_types.sort();
    check_types.dedup();
    let weigh = hits.iter().any(|h| h.selected && h.weigh);

    Decision { ruleset_version: rules.version, seed, grade, grade_factor: factor, lane, lab_sampling, check_types, weigh, hits, random }
}

fn on_list(rules: &RuleSet, list: &str, field: ListField, value: &str) -> bool {
    rules.lists.get(list).is_some_and(|set| match field {
        ListField::HsCode => set.iter().any(|p| value.starts_with(p.as_str())),
        _ => set.contains(value),
    })
}

/// Whether `c` matches; if so, the matching item numbers and the reasons.
fn matches(c: &Criterion, h: &Subject<'_>, grade: CreditGrade, rules: &RuleSet) -> Option<(Vec<u32>, Vec<Reason>)> {
    let w = &c.when;
    let mut reasons = Vec::new();

    if let Some(flag) = w.ie_flag {
        if h.ie_flag != flag {
            return None;
        }
        reasons.push(reason(format!("direction is {}", flag.as_str()), format!("进出口标志为 {}", flag.as_str())));
    }
    if !w.trade_countries.is_empty() {
        if !w.trade_countries.iter().any(|c| c.as_str() == h.trade_country) {
            return None;
        }
        reasons.push(reason(format!("trade country {} is targeted", h.trade_country), format!("贸易国 {} 在布控范围内", h.trade_country)));
    }
    let parties = &h.parties;
    if !w.enterprises.is_empty() {
        let hit = parties.iter().find(|p| w.enterprises.iter().any(|e| e.as_str() == **p))?;
        reasons.push(reason(format!("enterprise {hit} is targeted"), format!("企业 {hit} 在布控范围内")));
    }
    if !w.credit_grades.is_empty() {
        if !w.credit_grades.contains(&grade) {
            return None;
        }
        reasons.push(reason(format!("credit grade is {}", grade.as_str()), format!("企业信用等级为{}", grade.name_zh())));
    }
    if !w.trade_modes.is_empty() {
        if !w.trade_modes.iter().any(|m| m == h.trade_mode) {
            return None;
        }
        reasons.push(reason(format!("trade mode {}", h.trade_mode), format!("监管方式 {}", h.trade_mode)));
    }
    for lc in w.on_lists.iter().filter(|lc| !lc.field.is_item_field()) {
        let value: Option<&str> = match lc.field {
            ListField::TradeCountry => Some(h.trade_country),
            ListField::BillNo => Some(h.bill_no),
            ListField::Buyer => h.buyer,
            ListField::Enterprise => parties.iter().copied().find(|p| on_list(rules, &lc.list, lc.field, p)),
            _ => None,
        };
        let v = value.filter(|v| on_list(rules, &lc.list, lc.field, v))?;
        reasons.push(reason(format!("{v} is on list {}", lc.list), format!("{v} 在清单 {} 中", lc.list)));
    }

    let has_item_conditions = !w.hs_prefixes.is_empty()
        || !w.origin_countries.is_empty()
        || w.unit_price.is_some()
        || w.on_lists.iter().any(|lc| lc.field.is_item_field());
    if !has_item_conditions {
        return Some((Vec::new(), reasons));
    }
    let mut items = Vec::new();
    let mut item_reasons = Vec::new();
    for item in &h.items {
        if let Some(rs) = item_matches(c, item, rules) {
            items.push(item.g_no);
            item_reasons.extend(rs);
        }
    }
    if items.is_empty() {
        return None;
    }
    reasons.extend(item_reasons);
    Some((items, reasons))
}

fn item_matches(c: &Criterion, item: &SubjectItem<'_>, rules: &RuleSet) -> Option<Vec<Reason>> {
    let w = &c.when;
    let g = item.g_no;
    let mut reasons = Vec::new();
    if !w.hs_prefixes.is_empty() {
        let p = w.hs_prefixes.iter().find(|p| item.code.starts_with(p.as_str()))?;
        reasons.push(reason(
            format!("item {g}: commodity {} falls under {p}", item.code),
            format!("第{g}项：商品编码 {} 属于 {p}", item.code),
        ));
    }
    if !w.origin_countries.is_empty() {
        if !w.origin_countries.iter().any(|c| c.as_str() == item.origin) {
            return None;
        }
        reasons
            .push(reason(format!("item {g}: origin {} is targeted", item.origin), format!("第{g}项：原产国 {} 在布控范围内", item.origin)));
    }
    if let Some(band) = &w.unit_price {
        if band.currency.as_str() != item.currency || band.unit.as_ref().is_some_and(|u| u.as_str() != item.unit) {
            return None;
        }
        let p = item.unit_price;
        if let Some(below) = band.below.filter(|b| p < *b) {
            reasons.push(reason(
                format!("item {g}: unit price {p} {} is below {below}", item.currency),
                format!("第{g}项：单价 {p} {} 低于 {below}", item.currency),
            ));
        } else if let Some(above) = band.above.filter(|a| p > *a) {
            reasons.push(reason(
                format!("item {g}: unit price {p} {} is above {above}", item.currency),
                format!("第{g}项：单价 {p} {} 高于 {above}", item.currency),
            ));
        } else {
            return None;
        }
    }
    for lc in w.on_lists.iter().filter(|lc| lc.field.is_item_field()) {
        let v = match lc.field {
            ListField::HsCode => item.code,
            _ => item.origin,
        };
        if !on_list(rules, &lc.list, lc.field, v) {
            return None;
        }
        reasons.push(reason(format!("item {g}: {v} is on list {}", lc.list), format!("第{g}项：{v} 在清单 {} 中", lc.list)));
    }
    Some(reasons)
}
