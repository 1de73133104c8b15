//! 智能审核 — the intelligent review: an application decided at once, with one of four outcomes
//! and the rules that decided it.
//!
//! Every rule that applies adds a [`Reason`]; the outcome is the strongest rule's:
//! amend (the exporter must correct the application) before investigate (核查调查) before
//! manual review (人工审核) before pass. Data the exporter can correct is returned first: there
//! is no point verifying an application that does not hold together.
//!
//! What decides:
//! - the importing country is a party to the agreement;
//! - per goods line, the claimed criterion: WO only for natural products (chapters 1–15, 25–27)
//!   and without non-originating materials; PE without non-originating materials; PSR by the
//!   product-specific rule of its heading ([`PsrTable`]), any one alternative sufficing —
//!   change of chapter, heading or subheading by every non-originating material, or a regional
//!   value content `(FOB − non-originating materials) / FOB` of at least the threshold, in
//!   checked decimal arithmetic;
//! - the exporter: credit grade (失信 → investigate), earlier certificates refused after
//!   verification (→ investigate), on the rule set's list of watched exporters (→ investigate),
//!   no certificate issued to it before (→ manual review);
//! - the goods: on the rule set's list of watched HS prefixes (→ manual review); a value content
//!   that meets its threshold by less than [`RVC_MARGIN`] points (→ manual review); a heading
//!   for which no product-specific rule is held (→ manual review).
//!
//! Traders see the reasons of pass and amend; why an application went to an officer is for
//! customs ([`ReviewRule::customs_only`]), as targeting criteria are.

use super::{Agreement, Application, Criterion, PsrTable, Requirement};
use crate::party::CreditGrade;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// A value content this many points or fewer above its threshold goes to an officer.
pub const RVC_MARGIN: u32 = 5;

/// 审核结论 — the four outcomes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Outcome {
    /// 审核通过
    Pass,
    /// 人工审核
    ManualReview,
    /// 核查调查
    Investigate,
    /// 退回修改
    Amend,
}

impl Outcome {
    pub const ALL: [Outcome; 4] = [Outcome::Pass, Outcome::Amend, Outcome::ManualReview, Outcome::Investigate];

    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Pass => "pass",
            Outcome::Amend => "amend",
            Outcome::ManualReview => "manual-review",
            Outcome::Investigate => "investigate",
        }
    }

    pub fn name_zh(self) -> &'static str {
        match self {
            Outcome::Pass => "审核通过",
            Outcome::Amend => "退回修改",
            Outcome::ManualReview => "人工审核",
            Outcome::Investigate => "核查调查",
        }
    }

    pub fn name_en(self) -> &'static str {
        match self {
            Outcome::Pass => "passed",
            Outcome::Amend => "returned for amendment",
            Outcome::ManualReview => "manual review",
            Outcome::Investigate => "verification investigation",
        }
    }
}

macro_rules! review_rules {
    ($( $variant:ident = $code:literal, $outcome:ident, $customs_only:literal; )+) => {
        /// A rule of the review, with the outcome it leads to.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum ReviewRule { $( $variant, )+ }

        impl ReviewRule {
            pub const ALL: &'static [ReviewRule] = &[$( ReviewRule::$variant, )+];

            pub fn code(self) -> &'static str {
                match self { $( ReviewRule::$variant => $code, )+ }
            }

            pub fn outcome(self) -> Outcome {
                match self { $( ReviewRule::$variant => Outcome::$outcome, )+ }
            }

            /// Whether only customs may see that this rule applied.
            pub fn customs_only(self) -> bool {
                match self { $( ReviewRule::$variant => $customs_only, )+ }
            }
        }
    };
}

review_rules! {
    CriterionWo = "criterion_wo", Pass, false;
    CriterionPe = "criterion_pe", Pass, false;
    PsrMet = "psr_met", Pass, false;
    ExporterRecord = "exporter_record", Pass, true;
    CountryNotParty = "country_not_party", Amend, false;
    WoNotPlausible = "wo_not_plausible", Amend, false;
    NonOriginatingMaterial = "non_originating_material", Amend, false;
    PsrMaterialsMissing = "psr_materials_missing", Amend, false;
    MaterialCodeShort = "material_code_short", Amend, false;
    MaterialsExceedValue = "materials_exceed_value", Amend, false;
    PsrNotMet = "psr_not_met", Amend, false;
    ChangeNotMet = "change_not_met", Amend, false;
    RvcBelow = "rvc_below", Amend, false;
    ExporterUntrustworthy = "exporter_untrustworthy", Investigate, true;
    ExporterFindings = "exporter_findings", Investigate, true;
    ExporterWatched = "exporter_watched", Investigate, true;
    ExporterFirst = "exporter_first", ManualReview, true;
    GoodsWatched = "goods_watched", ManualReview, true;
    RvcMargin = "rvc_margin", ManualReview, true;
    PsrMissing = "psr_missing", ManualReview, true;
    Referred = "referred", ManualReview, false;
}

/// One rule that applied: where (a field path, when it concerns one) and what it found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reason {
    pub rule: ReviewRule,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    pub en: String,
    pub zh: String,
}

impl Reason {
    fn new(rule: ReviewRule, path: Option<String>, en: impl Into<String>, zh: impl Into<String>) -> Reason {
        Reason { rule, path, en: en.into(), zh: zh.into() }
    }

    pub fn outcome(&self) -> Outcome {
        self.rule.outcome()
    }
}

/// What the review found for one goods line: the criterion as printed (`WO`, `PE`, `CTH`,
/// `RVC 52.5%`), when the line qualifies.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LineOrigin {
    pub printed: Option<String>,
    /// The regional value content in per cent (two decimals), where the review computed it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rvc: Option<Decimal>,
}

/// 审核结果 — the outcome, every rule that applied, and the rule set it read its lists from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Review {
    pub outcome: Outcome,
    pub reasons: Vec<Reason>,
    pub lines: Vec<LineOrigin>,
    pub ruleset_version: u64,
}

impl Review {
    /// The reasons a trader may see: those customs keep to itself are replaced by one saying
    /// that an officer has the application.
    pub fn for_trader(&self) -> Vec<Reason> {
        let mut v: Vec<Reason> = self.reasons.iter().filter(|r| !r.rule.customs_only()).cloned().collect();
        match self.outcome {
            Outcome::ManualReview => {
                v.push(Reason::new(ReviewRule::Referred, None, "an officer reviews the application", "申请已转海关人工审核"))
            }
            Outcome::Investigate => v.push(Reason::new(
                ReviewRule::Referred,
                None,
                "customs verify the origin of the goods before deciding",
                "海关将对货物原产地开展核查后作出决定",
            )),
            Outcome::Pass | Outcome::Amend => {}
        }
        v
    }
}

/// What the review knows besides the application.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Facts {
    pub grade: CreditGrade,
    /// Certificates issued to the exporter before (under any agreement).
    pub issued_before: u64,
    /// Certificates of the exporter refused after verification.
    pub findings: u64,
    /// The exporter is on the rule set's [`super::WATCHED_EXPORTERS`] list.
    pub exporter_watched: bool,
    /// The HS prefixes of the rule set's [`super::WATCHED_GOODS`] list.
    pub watched_goods: Vec<String>,
    pub ruleset_version: u64,
}

/// Chapters whose goods can be wholly obtained (live animals and plants, their products,
/// minerals).
fn wholly_obtainable(hs: &str) -> bool {
    matches!(hs[..2].parse::<u8>(), Ok(1..=15 | 25..=27))
}

/// RVC in per cent, rounded to two decimals; `None` if the arithmetic cannot be done.
fn rvc(fob: Decimal, non_originating: Decimal) -> Option<Decimal> {
    let content = fob.checked_sub(non_originating)?;
    let share = content.checked_mul(Decimal::ONE_HUNDRED)?.checked_div(fob)?;
    let mut share = share.round_dp(2);
    share.rescale(2);
    Some(share)
}

/// 智能审核 — decides `app` at once.
pub fn review(app: &Application, facts: &Facts, psr: &PsrTable) -> Review {
    let mut reasons = Vec::new();
    let mut lines = Vec::new();
    let agreement = app.agreement;
    if let Some(parties) = agreement.parties() {
        if !parties.contains(&app.importing_country.as_str()) {
            reasons.push(Reason::new(
                ReviewRule::CountryNotParty,
                Some("importing_country".into()),
                format!(
                    "{} is not a party to the {}: apply under an agreement it is party to, or for a non-preferential certificate",
                    app.importing_country,
                    agreement.name_en()
                ),
                format!("{} 不是{}的缔约方：请按其适用的协定申请，或申请非优惠原产地证书", app.importing_country, agreement.name_zh()),
            ));
        }
    }
    for (i, g) in app.goods.iter().enumerate() {
        lines.push(line(i, g, agreement, psr, &mut reasons));
        if let Some(prefix) = facts.watched_goods.iter().find(|p| g.hs.as_str().starts_with(p.as_str())) {
            reasons.push(Reason::new(
                ReviewRule::GoodsWatched,
                Some(format!("goods[{i}].hs")),
                format!("commodity {} is on the watch list of origin risks ({prefix})", g.hs),
                format!("商品 {} 在原产地风险监控清单中（{prefix}）", g.hs),
            ));
        }
    }
    if facts.grade == CreditGrade::Untrustworthy {
        reasons.push(Reason::new(ReviewRule::ExporterUntrustworthy, None, "the exporter is graded untrustworthy", "出口企业为失信企业"));
    }
    if facts.findings > 0 {
        reasons.push(Reason::new(
            ReviewRule::ExporterFindings,
            None,
            format!("{} earlier certificate(s) of the exporter were refused after verification", facts.findings),
            format!("该企业已有 {} 份原产地证书经核查不予签证", facts.findings),
        ));
    }
    if facts.exporter_watched {
        reasons.push(Reason::new(
            ReviewRule::ExporterWatched,
            None,
            "the exporter is on the list of exporters whose origin is verified",
            "出口企业在原产地核查名单中",
        ));
    }
    if facts.issued_before == 0 {
        reasons.push(Reason::new(
            ReviewRule::ExporterFirst,
            None,
            "no certificate of origin was issued to the exporter before",
            "该企业此前未获签发原产地证书",
        ));
    } else if !reasons.iter().any(|r| r.rule.customs_only()) {
        reasons.push(Reason::new(
            ReviewRule::ExporterRecord,
            None,
            format!(
                "exporter graded {}, {} certificate(s) issued before, none refused after verification",
                facts.grade.as_str(),
                facts.issued_before
            ),
            format!("出口企业信用等级为{}，此前获签发 {} 份证书，无核查不予签证记录", facts.grade.name_zh(), facts.issued_before),
        ));
    }
    let outcome = reasons.iter().map(Reason::outcome).max().unwrap_or(Outcome::Pass);
    Review { outcome, reasons, lines, ruleset_version: facts.ruleset_version }
}

/// Reviews goods line `i`, adding its reasons; returns what it found.
fn line(i: usize, g: &super::GoodsLine, agreement: Agreement, psr: &PsrTable, reasons: &mut Vec<Reason>) -> LineOrigin {
    let at = |f: &str| Some(format!("goods[{i}].{f}"));
    let non_originating: Vec<(usize, &super::Material)> =
        g.materials.iter().enumerate().filter(|(_, m)| !agreement.originating(&m.origin)).collect();
    let whose =
        if agreement == Agreement::NonPreferential { ("China", "中国") } else { ("China or another party", "中国或其他缔约方") };
    let none = LineOrigin { printed: None, rvc: None };
    match g.criterion {
        Criterion::Wo | Criterion::Pe => {
            let mut ok = true;
            if g.criterion == Criterion::Wo && !wholly_obtainable(g.hs.as_str()) {
                ok = false;
                reasons.push(Reason::new(
                    ReviewRule::WoNotPlausible,
                    at("criterion"),
                    format!("goods of chapter {} are manufactured, not wholly obtained: claim PE or PSR", &g.hs.as_str()[..2]),
                    format!("第 {} 章货物为加工制成品，不属于完全获得：请申报 PE 或 PSR", &g.hs.as_str()[..2]),
                ));
            }
            for (j, m) in &non_originating {
                ok = false;
                reasons.push(Reason::new(
                    ReviewRule::NonOriginatingMaterial,
                    at(&format!("materials[{j}].origin")),
                    format!(
                        "{} claims {} but material {} ({}) originates in {}, not in {}: claim PSR",
                        format_args!("goods[{i}]"),
                        g.criterion.as_str(),
                        m.description,
                        m.hs,
                        m.origin,
                        whose.0
                    ),
                    format!(
                        "第 {} 项申报 {}，但材料 {}（{}）原产于 {}，不是{}：请申报 PSR",
                        i + 1,
                        g.criterion.as_str(),
                        m.description,
                        m.hs,
                        m.origin,
                        whose.1
                    ),
                ));
            }
            if !ok {
                return none;
            }
            let rule = if g.criterion == Criterion::Wo { ReviewRule::CriterionWo } else { ReviewRule::CriterionPe };
            reasons.push(Reason::new(
                rule,
                at("criterion"),
                format!("goods[{i}] ({}): {} — no non-originating material", g.hs, g.criterion.as_str()),
                format!("第 {} 项（{}）：{}，无非原产材料", i + 1, g.hs, g.criterion.name_zh()),
            ));
            LineOrigin { printed: Some(g.criterion.as_str().into()), rvc: None }
        }
        Criterion::Psr => {
            let Some(rule) = psr.rule(agreement, g.hs.as_str()) else {
                reasons.push(Reason::new(
                    ReviewRule::PsrMissing,
                    at("hs"),
                    format!("no product-specific rule of the {} is held for {}", agreement.name_en(), g.hs),
                    format!("未载有{}对 {} 的产品特定原产地规则", agreement.name_zh(), g.hs),
                ));
                return none;
            };
            if g.materials.is_empty() {
                reasons.push(Reason::new(
                    ReviewRule::PsrMaterialsMissing,
                    at("materials"),
                    "a good claimed under a product-specific rule lists the materials it is made of, with their origin and value",
                    "按产品特定原产地规则申报的货物须列明所用材料及其原产国和价值",
                ));
                return none;
            }
            let mut vnm = Decimal::ZERO;
            for (_, m) in &non_originating {
                // Each value has at most 17 digits: the sum of 30 cannot overflow, but say so.
                vnm = vnm.checked_add(m.value).unwrap_or(Decimal::MAX);
            }
            if vnm > g.fob_value {
                reasons.push(Reason::new(
                    ReviewRule::MaterialsExceedValue,
                    at("fob_value"),
                    format!(
                        "the non-originating materials ({vnm} {}) are worth more than the good's FOB value ({})",
                        g.currency, g.fob_value
                    ),
                    format!("非原产材料价值（{vnm} {}）高于货物离岸价格（{}）", g.currency, g.fob_value),
                ));
                return none;
            }
            let mut failures = Vec::new();
            for alt in &rule.alternatives {
                match alt {
                    Requirement::Wo => {
                        if non_originating.is_empty() {
                            return met(i, g, rule, *alt, "WO".into(), None, reasons);
                        }
                        failures.push(Reason::new(
                            ReviewRule::NonOriginatingMaterial,
                            at(&format!("materials[{}].origin", non_originating[0].0)),
                            format!("WO: material {} originates in {}", non_originating[0].1.description, non_originating[0].1.origin),
                            format!("完全获得：材料 {} 原产于 {}", non_originating[0].1.description, non_originating[0].1.origin),
                        ));
                    }
                    Requirement::Cc | Requirement::Cth | Requirement::Ctsh => {
                        let n = alt.digits().expect("a change of classification");
                        let own = &g.hs.as_str()[..n];
                        let mut ok = true;
                        for (j, m) in &non_originating {
                            if m.hs.len() < n {
                                ok = false;
                                failures.push(Reason::new(
                                    ReviewRule::MaterialCodeShort,
                                    at(&format!("materials[{j}].hs")),
                                    format!("{alt}: give material {}'s code to at least {n} digits, not {}", m.description, m.hs),
                                    format!("{}：材料 {} 的商品编码须至少 {n} 位，实际为 {}", alt.name_zh(), m.description, m.hs),
                                ));
                            } else if &m.hs[..n] == own {
                                ok = false;
                                failures.push(Reason::new(
                                    ReviewRule::ChangeNotMet,
                                    at(&format!("materials[{j}].hs")),
                                    format!(
                                        "{alt}: non-originating material {} ({}, from {}) is of the same {} as the good ({own})",
                                        m.description,
                                        m.hs,
                                        m.origin,
                                        ["chapter", "heading", "subheading"][n / 2 - 1]
                                    ),
                                    format!(
                                        "{}：非原产材料 {}（{}，原产于 {}）与货物同属{} {own}",
                                        alt.name_zh(),
                                        m.description,
                                        m.hs,
                                        m.origin,
                                        ["章", "品目", "子目"][n / 2 - 1]
                                    ),
                                ));
                            }
                        }
                        if ok {
                            return met(i, g, rule, *alt, alt.to_string(), None, reasons);
                        }
                    }
                    Requirement::Rvc(threshold) => {
                        let Some(content) = rvc(g.fob_value, vnm) else {
                            failures.push(Reason::new(
                                ReviewRule::MaterialsExceedValue,
                                at("fob_value"),
                                "the value content cannot be computed from these values",
                                "无法根据所填价值计算区域价值成分",
                            ));
                            continue;
                        };
                        let min = Decimal::from(*threshold);
                        if content >= min {
                            if content < min + Decimal::from(RVC_MARGIN) {
                                reasons.push(Reason::new(
                                    ReviewRule::RvcMargin,
                                    at("fob_value"),
                                    format!("regional value content {content}% meets {threshold}% by less than {RVC_MARGIN} points"),
                                    format!("区域价值成分 {content}% 高于 {threshold}% 不足 {RVC_MARGIN} 个百分点"),
                                ));
                            }
                            return met(i, g, rule, *alt, format!("RVC {content}%"), Some(content), reasons);
                        }
                        failures.push(Reason::new(
                            ReviewRule::RvcBelow,
                            at("fob_value"),
                            format!(
                                "RVC{threshold}: regional value content is {content}% ((FOB {} − non-originating {vnm}) / FOB), below {threshold}%",
                                g.fob_value
                            ),
                            format!("区域价值成分为 {content}%（（离岸价 {} − 非原产材料 {vnm}）/ 离岸价），低于 {threshold}%", g.fob_value),
                        ));
                    }
                }
            }
            reasons.push(Reason::new(
                ReviewRule::PsrNotMet,
                at("criterion"),
                format!("goods[{i}] ({}) meets none of the {} rule for it: {}", g.hs, agreement.name_en(), rule.text()),
                format!("第 {} 项（{}）不符合{}的产品特定规则：{}", i + 1, g.hs, agreement.name_zh(), rule.text()),
            ));
            reasons.extend(failures);
            none
        }
    }
}

fn met(
    i: usize,
    g: &super::GoodsLine,
    rule: &super::Psr,
    alt: Requirement,
    printed: String,
    rvc: Option<Decimal>,
    reasons: &mut Vec<Reason>,
) -> LineOrigin {
    reasons.push(Reason::new(
        ReviewRule::PsrMet,
        Some(format!("goods[{i}].criterion")),
        format!("goods[{i}] ({}): {} met ({}), of the rule {}", g.hs, alt, alt.name_en(), rule.text()),
        format!("第 {} 项（{}）：符合{}（{}），规则为 {}", i + 1, g.hs, alt, alt.name_zh(), rule.text()),
    ));
    LineOrigin { printed: Some(printed), rvc }
}
