//! 取样送检 — sampling and the laboratory, as a LIMS has it.
//!
//! An officer (or a targeting criterion) orders a sample with the analytes to test; the sample
//! is taken, sealed, registered and sent (取样、封样、登记, seed 000); the laboratory receives it,
//! enters one result per analyte, a second person verifies the set, and the laboratory publishes
//! the conclusion:
//!
//! ```text
//! ordered ─ take ─► registered ─ receive ─► received ─ results for every analyte ─► to-be-verified
//!    │                                        ▲  ▲                                      │
//!    │                                        │  └────────── invalidate ────────────────┤
//!    │                                        └── invalidate ── verified ◄─ verify ─────┘
//!    └─ cancel ─► cancelled                                      │
//!                                                                └─ publish ─► published ─ retract ─► retracted
//! ```
//!
//! - A result is entered while the sample is `received`; entering one again for the same analyte
//!   replaces it. Once every ordered analyte has a result the set goes to verification; from then
//!   on a result changes only by invalidating the set (which the record keeps) and re-testing.
//! - Four eyes: nobody who entered one of the current results may verify the set. Results that
//!   were invalidated are gone from the set, so the person who entered them may verify a re-test
//!   done by others.
//! - The published conclusion is named as EU TRACES names laboratory conclusions: satisfactory,
//!   not satisfactory, not interpretable. It is derived from the results; only "not
//!   interpretable" is the laboratory's own call, and it needs a note saying why.
//!
//! Actor names are passed in as they are recorded; whether the actor belongs to the laboratory
//! named on the sample (or is an officer, for ordering and cancelling) is checked at the edge,
//! which knows the credentials.

use crate::error::{FieldError, Refusal, RefusalKind, Rule};
use crate::types::CustomsCode;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::HashSet;
use time::OffsetDateTime;

#[cfg(test)]
#[path = "lab_tests.rs"]
mod tests;

// ---------------------------------------------------------------------------------------------
// Specifications
// ---------------------------------------------------------------------------------------------

/// 检测项目类型 — what kind of answer an analyte takes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum AnalyteKind {
    /// A measured value that conforms when within the bounds (inclusive), e.g. germination ≥ 85 %.
    Range { min: Option<Decimal>, max: Option<Decimal>, unit: String },
    /// A pest or pathogen: "not detected" conforms, "detected" does not.
    Presence,
}

impl AnalyteKind {
    /// Whether a result conforms; None when the result lacks what this kind needs.
    pub fn conforms(&self, value: Option<Decimal>, detected: Option<bool>) -> Option<bool> {
        match self {
            AnalyteKind::Range { min, max, .. } => {
                let v = value?;
                Some(min.is_none_or(|m| v >= m) && max.is_none_or(|m| v <= m))
            }
            AnalyteKind::Presence => detected.map(|d| !d),
        }
    }
}

/// 检测项目 — one thing the laboratory is asked to test for, with its limit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnalyteSpec {
    /// Pests carry their EPPO code; quality tests and general examinations a plain name.
    pub code: String,
    pub name_en: String,
    pub name_zh: String,
    pub kind: AnalyteKind,
    /// 检疫性有害生物 — a quarantine pest for China (a detection leads to disposition).
    pub quarantine_pest: bool,
}

/// A row of the built-in specification table (static, so it can be a `const`).
#[derive(Clone, Copy)]
struct Def {
    code: &'static str,
    name_en: &'static str,
    name_zh: &'static str,
    kind: DefKind,
    quarantine_pest: bool,
}

#[derive(Clone, Copy)]
enum DefKind {
    /// At least this many percent.
    PercentAtLeast(Decimal),
    Presence,
}

impl Def {
    fn spec(&self) -> AnalyteSpec {
        AnalyteSpec {
            code: self.code.to_owned(),
            name_en: self.name_en.to_owned(),
            name_zh: self.name_zh.to_owned(),
            kind: match self.kind {
                DefKind::PercentAtLeast(min) => AnalyteKind::Range { min: Some(min), max: None, unit: "%".to_owned() },
                DefKind::Presence => AnalyteKind::Presence,
            },
            quarantine_pest: self.quarantine_pest,
        }
    }
}

const fn pct(n: u32) -> Decimal {
    Decimal::from_parts(n, 0, 0, false, 0)
}

const fn pest(code: &'static str, name_en: &'static str, name_zh: &'static str) -> Def {
    Def { code, name_en, name_zh, kind: DefKind::Presence, quarantine_pest: true }
}

// Seed-borne quarantine pests of solanaceous and cucurbit seed for sowing.
const TOBRFV: Def = pest("TOBRFV", "Tomato brown rugose fruit virus (ToBRFV)", "番茄褐色皱果病毒");
// Also written 凤果花叶病毒 in Chinese literature.
const PEPMV: Def = pest("PEPMV0", "Pepino mosaic virus (PepMV)", "香瓜花叶病毒");
const CMM: Def = pest("CORBMI", "Clavibacter michiganensis subsp. michiganensis", "番茄细菌性溃疡病菌");
// Formerly Acidovorax avenae subsp. citrulli; also called 瓜类果斑病菌.
const ACIDOVORAX: Def = pest("PSDMAC", "Acidovorax citrulli", "西瓜细菌性果斑病菌");
const SQMV: Def = pest("SQMV00", "Squash mosaic virus (SqMV)", "南瓜花叶病毒");

// Quarantine weeds whose seeds contaminate forage, grass and other seed lots.
const AMBROSIA_ARTEMISIIFOLIA: Def = pest("AMBEL", "Ambrosia artemisiifolia (ragweed)", "豚草");
const AMBROSIA_TRIFIDA: Def = pest("AMBTR", "Ambrosia trifida (giant ragweed)", "三裂叶豚草");
const SORGHUM_HALEPENSE: Def = pest("SORHA", "Sorghum halepense (Johnson grass)", "假高粱");

// Pests of pome fruit (apples, pears, quinces).
const CYDIA_POMONELLA: Def = pest("CARPPO", "Cydia pomonella (codling moth)", "苹果蠹蛾");
const ERWINIA_AMYLOVORA: Def = pest("ERWIAM", "Erwinia amylovora (fire blight)", "梨火疫病菌");

/// Vegetable seed: the tomato floors of the GB 16715 vegetable-seed quality series.
const GERMINATION_VEGETABLE: Def = Def {
    code: "GERMINATION",
    name_en: "germination rate",
    name_zh: "发芽率",
    kind: DefKind::PercentAtLeast(pct(85)),
    quarantine_pest: false,
};
/// 净度 — physical purity: pure seed as a share of the working sample's weight.
const PURITY_VEGETABLE: Def = Def {
    code: "PURITY",
    name_en: "purity (pure seed by weight)",
    name_zh: "净度",
    kind: DefKind::PercentAtLeast(pct(98)),
    quarantine_pest: false,
};
/// Other seeds: a generic floor of Guomen's; the laboratory applies a species' own standard
/// where it is stricter by ordering that analyte instead.
const GERMINATION_OTHER: Def = Def {
    code: "GERMINATION",
    name_en: "germination rate",
    name_zh: "发芽率",
    kind: DefKind::PercentAtLeast(pct(80)),
    quarantine_pest: false,
};
/// 目检 — the fallback: a visual examination for live insects.
const LIVE_INSECTS: Def = Def {
    code: "LIVE-INSECTS",
    name_en: "live insects (visual examination)",
    name_zh: "活虫（目检）",
    kind: DefKind::Presence,
    quarantine_pest: false,
};

/// 检测方案 — what the laboratory tests, by the leading digits of the commodity code (CodeTS).
/// The longest matching prefix wins; a commodity matching none gets [`FALLBACK`].
///
/// | prefix | goods | analytes |
/// |---|---|---|
/// | 120991 | vegetable seeds for sowing | ToBRFV, PepMV, Cmm, A. citrulli, SqMV; germination ≥ 85 %, purity ≥ 98 % |
/// | 1209 | other seeds, fruit and spores for sowing | ragweed, giant ragweed, Johnson grass; germination ≥ 80 % |
/// | 0808 | apples, pears and quinces, fresh | codling moth, fire blight |
const SPECIFICATIONS: &[(&str, &[Def])] = &[
    ("120991", &[TOBRFV, PEPMV, CMM, ACIDOVORAX, SQMV, GERMINATION_VEGETABLE, PURITY_VEGETABLE]),
    ("1209", &[AMBROSIA_ARTEMISIIFOLIA, AMBROSIA_TRIFIDA, SORGHUM_HALEPENSE, GERMINATION_OTHER]),
    ("0808", &[CYDIA_POMONELLA, ERWINIA_AMYLOVORA]),
];

/// Any other goods: the sample is examined for live insects.
const FALLBACK: &[Def] = &[LIVE_INSECTS];

/// The analytes the laboratory tests for goods of this commodity code (see [`SPECIFICATIONS`]).
pub fn specification_for(code_ts: &str) -> Vec<AnalyteSpec> {
    let code = code_ts.trim();
    SPECIFICATIONS
        .iter()
        .filter(|(prefix, _)| code.starts_with(prefix))
        .max_by_key(|(prefix, _)| prefix.len())
        .map_or(FALLBACK, |(_, defs)| defs)
        .iter()
        .map(Def::spec)
        .collect()
}

// ---------------------------------------------------------------------------------------------
// The record
// ---------------------------------------------------------------------------------------------

/// 样品状态
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SampleStatus {
    /// 待取样 — ordered, not yet taken.
    Ordered,
    /// 已封样送检 — taken, sealed, registered and sent to the laboratory.
    Registered,
    /// 已收样 — the laboratory took it in; results are being entered.
    Received,
    /// 待审核 — every ordered analyte has a result.
    ToBeVerified,
    /// 已审核 — a second person checked the results.
    Verified,
    /// 已发布 — the conclusion is published.
    Published,
    /// 已撤回 — the publication was withdrawn.
    Retracted,
    /// 已取消 — the order was cancelled before the sample was taken.
    Cancelled,
}

impl SampleStatus {
    pub const ALL: [SampleStatus; 8] = [
        SampleStatus::Ordered,
        SampleStatus::Registered,
        SampleStatus::Received,
        SampleStatus::ToBeVerified,
        SampleStatus::Verified,
        SampleStatus::Published,
        SampleStatus::Retracted,
        SampleStatus::Cancelled,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            SampleStatus::Ordered => "ordered",
            SampleStatus::Registered => "registered",
            SampleStatus::Received => "received",
            SampleStatus::ToBeVerified => "to-be-verified",
            SampleStatus::Verified => "verified",
            SampleStatus::Published => "published",
            SampleStatus::Retracted => "retracted",
            SampleStatus::Cancelled => "cancelled",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        SampleStatus::ALL.into_iter().find(|x| x.as_str() == s)
    }

    pub fn name_zh(self) -> &'static str {
        match self {
            SampleStatus::Ordered => "待取样",
            SampleStatus::Registered => "已封样送检",
            SampleStatus::Received => "已收样",
            SampleStatus::ToBeVerified => "待审核",
            SampleStatus::Verified => "已审核",
            SampleStatus::Published => "已发布",
            SampleStatus::Retracted => "已撤回",
            SampleStatus::Cancelled => "已取消",
        }
    }
}

/// 检测结论 — the published conclusion; shared with the declaration it drives.
pub use crate::inspection::Conclusion;

/// 取样原因 — why the goods are sampled.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "source", rename_all = "kebab-case")]
pub enum SamplingReason {
    /// 系统布控 — a targeting criterion selected the goods for laboratory testing.
    Targeting { criterion: String },
    /// 关员决定 — an officer decided on the spot (e.g. symptoms seen in the field, seed 000).
    Officer { officer: String, note: String },
}

/// 取样、封样、登记 — the sample as taken: its seal number and quantity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Taken {
    /// 封条号
    pub seal_no: String,
    /// Amount and unit, e.g. `2 kg`.
    pub quantity: String,
    pub by: String,
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
}

/// Who took a step, and when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignOff {
    pub by: String,
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
}

/// A step taken back — an order cancelled, a result set invalidated, a publication retracted —
/// with the reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Withdrawal {
    pub by: String,
    pub reason: String,
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
}

/// 检测结果 — one analyte's result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnalysisResult {
    /// The analyte's code.
    pub analyte: String,
    /// The measured value (required for a range; optional for a presence test, e.g. a Ct value).
    pub value: Option<Decimal>,
    /// Whether the pest was detected (presence tests only).
    pub detected: Option<bool>,
    pub conforms: bool,
    pub entered_by: String,
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
}

/// 结果发布 — the published conclusion.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Publication {
    pub conclusion: Conclusion,
    pub note: Option<String>,
    pub by: String,
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
}

/// 样品 — a sample of a declaration's goods, from the order to the published conclusion.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sample {
    pub id: String,
    pub declaration_id: String,
    /// The laboratory (an enterprise with a customs code) that tests it.
    pub lab: CustomsCode,
    pub analytes: Vec<AnalyteSpec>,
    pub reason: SamplingReason,
    pub ordered_by: String,
    #[serde(with = "time::serde::rfc3339")]
    pub ordered_at: OffsetDateTime,
    pub taken: Option<Taken>,
    pub received: Option<SignOff>,
    /// The current result set: at most one per analyte, the latest entered.
    pub results: Vec<AnalysisResult>,
    pub verified: Option<SignOff>,
    pub published: Option<Publication>,
    pub retracted: Option<Withdrawal>,
    /// Every result set thrown away for re-testing, oldest first.
    pub invalidations: Vec<Withdrawal>,
    pub cancelled: Option<Withdrawal>,
    pub status: SampleStatus,
}

/// The events of a sample; its journal stream is `sample:ID`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum SampleEvent {
    Ordered {
        sample: Box<Sample>,
    },
    Taken {
        sample_id: String,
        taken: Taken,
    },
    Received {
        sample_id: String,
        by: String,
        #[serde(with = "time::serde::rfc3339")]
        at: OffsetDateTime,
    },
    ResultEntered {
        sample_id: String,
        result: AnalysisResult,
    },
    Verified {
        sample_id: String,
        by: String,
        #[serde(with = "time::serde::rfc3339")]
        at: OffsetDateTime,
    },
    Published {
        sample_id: String,
        publication: Publication,
    },
    Retracted {
        sample_id: String,
        by: String,
        reason: String,
        #[serde(with = "time::serde::rfc3339")]
        at: OffsetDateTime,
    },
    Invalidated {
        sample_id: String,
        by: String,
        reason: String,
        #[serde(with = "time::serde::rfc3339")]
        at: OffsetDateTime,
    },
    Cancelled {
        sample_id: String,
        by: String,
        reason: String,
        #[serde(with = "time::serde::rfc3339")]
        at: OffsetDateTime,
    },
}

impl SampleEvent {
    pub fn sample_id(&self) -> &str {
        match self {
            SampleEvent::Ordered { sample } => &sample.id,
            SampleEvent::Taken { sample_id, .. }
            | SampleEvent::Received { sample_id, .. }
            | SampleEvent::ResultEntered { sample_id, .. }
            | SampleEvent::Verified { sample_id, .. }
            | SampleEvent::Published { sample_id, .. }
            | SampleEvent::Retracted { sample_id, .. }
            | SampleEvent::Invalidated { sample_id, .. }
            | SampleEvent::Cancelled { sample_id, .. } => sample_id,
        }
    }

    /// The record (journal stream) this event belongs to.
    pub fn stream(&self) -> String {
        format!("sample:{}", self.sample_id())
    }

    /// The event's name, as its `event` tag.
    pub fn kind(&self) -> &'static str {
        match self {
            SampleEvent::Ordered { .. } => "ordered",
            SampleEvent::Taken { .. } => "taken",
            SampleEvent::Received { .. } => "received",
            SampleEvent::ResultEntered { .. } => "result_entered",
            SampleEvent::Verified { .. } => "verified",
            SampleEvent::Published { .. } => "published",
            SampleEvent::Retracted { .. } => "retracted",
            SampleEvent::Invalidated { .. } => "invalidated",
            SampleEvent::Cancelled { .. } => "cancelled",
        }
    }

    /// Short bilingual description for timelines.
    pub fn summary(&self) -> (String, String) {
        match self {
            SampleEvent::Ordered { sample } => (
                format!("sampling ordered: {} analyte(s) for laboratory {}", sample.analytes.len(), sample.lab),
                format!("下达取样送检指令：{} 个检测项目，送实验室 {}", sample.analytes.len(), sample.lab),
            ),
            SampleEvent::Taken { taken, .. } => (
                format!("sample taken ({}), sealed with seal {} and sent", taken.quantity, taken.seal_no),
                format!("已取样（{}），封条号 {}，登记送检", taken.quantity, taken.seal_no),
            ),
            SampleEvent::Received { .. } => ("sample received by the laboratory".into(), "实验室已收样".into()),
            SampleEvent::ResultEntered { result, .. } => {
                let (en, zh) = if result.conforms { ("conforms", "符合") } else { ("does not conform", "不符合") };
                (format!("result for {}: {en}", result.analyte), format!("录入 {} 检测结果：{zh}", result.analyte))
            }
            SampleEvent::Verified { .. } => ("results verified".into(), "检测结果已审核".into()),
            SampleEvent::Published { publication, .. } => (
                format!("laboratory conclusion published: {}", publication.conclusion.as_str()),
                format!("发布检测结论：{}", publication.conclusion.name_zh()),
            ),
            SampleEvent::Retracted { reason, .. } => (format!("conclusion retracted: {reason}"), format!("撤回检测结论：{reason}")),
            SampleEvent::Invalidated { reason, .. } => {
                (format!("results invalidated for re-testing: {reason}"), format!("检测结果作废重检：{reason}"))
            }
            SampleEvent::Cancelled { reason, .. } => (format!("sampling cancelled: {reason}"), format!("取消取样：{reason}")),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Procedures
// ---------------------------------------------------------------------------------------------

fn required(path: &str, en: &str, zh: &str) -> FieldError {
    FieldError::new(path, Rule::Required, en, zh)
}

fn reason_required(reason: &str, what_en: &str, what_zh: &str) -> Result<String, Refusal> {
    let r = reason.trim();
    if r.is_empty() {
        Err(Refusal::validation(vec![required("reason", &format!("{what_en} needs a reason"), &format!("{what_zh}须注明原因"))]))
    } else {
        Ok(r.to_owned())
    }
}

/// 封条号: 4–32 characters of A–Z, 0–9 and '-'.
fn seal_no_valid(s: &str) -> bool {
    (4..=32).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'-')
}

/// An amount greater than zero followed by a unit: `2 kg`, `500 g`, `3 bags`.
fn quantity_valid(s: &str) -> bool {
    let split = s.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(s.len());
    let (amount, unit) = s.split_at(split);
    let positive = amount.parse::<Decimal>().is_ok_and(|d| d > Decimal::ZERO);
    positive && !unit.trim().is_empty() && s.chars().count() <= 40
}

/// 下达取样送检指令 — orders a sample of a declaration's goods tested for these analytes.
pub fn order(
    id: &str,
    declaration_id: &str,
    lab: CustomsCode,
    analytes: Vec<AnalyteSpec>,
    reason: SamplingReason,
    ordered_by: &str,
    now: OffsetDateTime,
) -> Result<Vec<SampleEvent>, Refusal> {
    let mut errors = Vec::new();
    if id.trim().is_empty() {
        errors.push(required("id", "a sample needs an id", "样品编号不能为空"));
    }
    if declaration_id.trim().is_empty() {
        errors.push(required("declaration_id", "a sample belongs to a declaration", "样品须关联报关单"));
    }
    if analytes.is_empty() {
        errors.push(FieldError::new("analytes", Rule::AnalytesRequired, "order at least one analyte", "至少须指定一个检测项目"));
    }
    let mut seen = HashSet::new();
    for (i, a) in analytes.iter().enumerate() {
        if a.code.trim().is_empty() {
            errors.push(required(&format!("analytes[{i}].code"), "an analyte needs a code", "检测项目代码不能为空"));
        } else if !seen.insert(a.code.as_str()) {
            errors.push(FieldError::new(
                format!("analytes[{i}].code"),
                Rule::AnalyteDuplicate,
                format!("analyte {} is ordered twice", a.code),
                format!("检测项目 {} 重复", a.code),
            ));
        }
        if let AnalyteKind::Range { min, max, .. } = &a.kind {
            let path = format!("analytes[{i}].kind");
            match (min, max) {
                (None, None) => errors.push(FieldError::new(
                    path,
                    Rule::RangeUnbounded,
                    "a range needs a minimum, a maximum or both",
                    "限量范围须至少有下限或上限",
                )),
                (Some(lo), Some(hi)) if lo > hi => errors.push(FieldError::new(
                    path,
                    Rule::RangeInverted,
                    format!("the minimum {lo} is above the maximum {hi}"),
                    format!("下限 {lo} 高于上限 {hi}"),
                )),
                _ => {}
            }
        }
    }
    match &reason {
        SamplingReason::Targeting { criterion } if criterion.trim().is_empty() => {
            errors.push(required("reason.criterion", "name the targeting criterion that selected the goods", "须注明命中的布控规则"))
        }
        SamplingReason::Officer { officer, note } => {
            if officer.trim().is_empty() {
                errors.push(required("reason.officer", "name the officer who decided to sample", "须注明决定取样的关员"));
            }
            if note.trim().is_empty() {
                errors.push(required("reason.note", "an officer's sampling needs a note of why", "关员决定取样须注明原因"));
            }
        }
        _ => {}
    }
    if !errors.is_empty() {
        return Err(Refusal::validation(errors));
    }
    Ok(vec![SampleEvent::Ordered {
        sample: Box::new(Sample {
            id: id.trim().to_owned(),
            declaration_id: declaration_id.trim().to_owned(),
            lab,
            analytes,
            reason,
            ordered_by: ordered_by.to_owned(),
            ordered_at: now,
            taken: None,
            received: None,
            results: Vec::new(),
            verified: None,
            published: None,
            retracted: None,
            invalidations: Vec::new(),
            cancelled: None,
            status: SampleStatus::Ordered,
        }),
    }])
}

impl Sample {
    /// Folds a sample's events, the first of which must be its order.
    pub fn from_events(events: &[SampleEvent]) -> Option<Sample> {
        let (first, rest) = events.split_first()?;
        let SampleEvent::Ordered { sample } = first else {
            return None;
        };
        let mut s = (**sample).clone();
        for e in rest {
            s.apply(e);
        }
        Some(s)
    }

    /// Applies one event of this sample; events of other samples are ignored.
    pub fn apply(&mut self, e: &SampleEvent) {
        if e.sample_id() != self.id {
            return;
        }
        match e {
            SampleEvent::Ordered { .. } => {}
            SampleEvent::Taken { taken, .. } => {
                self.taken = Some(taken.clone());
                self.status = SampleStatus::Registered;
            }
            SampleEvent::Received { by, at, .. } => {
                self.received = Some(SignOff { by: by.clone(), at: *at });
                self.status = SampleStatus::Received;
            }
            SampleEvent::ResultEntered { result, .. } => {
                match self.results.iter_mut().find(|r| r.analyte == result.analyte) {
                    Some(r) => *r = result.clone(),
                    None => self.results.push(result.clone()),
                }
                // Derived, so the fold alone decides: the set goes to verification when complete.
                self.status = if self.complete() { SampleStatus::ToBeVerified } else { SampleStatus::Received };
            }
            SampleEvent::Verified { by, at, .. } => {
                self.verified = Some(SignOff { by: by.clone(), at: *at });
                self.status = SampleStatus::Verified;
            }
            SampleEvent::Published { publication, .. } => {
                self.published = Some(publication.clone());
                self.status = SampleStatus::Published;
            }
            SampleEvent::Retracted { by, reason, at, .. } => {
                self.retracted = Some(Withdrawal { by: by.clone(), reason: reason.clone(), at: *at });
                self.status = SampleStatus::Retracted;
            }
            SampleEvent::Invalidated { by, reason, at, .. } => {
                self.invalidations.push(Withdrawal { by: by.clone(), reason: reason.clone(), at: *at });
                self.results.clear();
                self.verified = None;
                self.status = SampleStatus::Received;
            }
            SampleEvent::Cancelled { by, reason, at, .. } => {
                self.cancelled = Some(Withdrawal { by: by.clone(), reason: reason.clone(), at: *at });
                self.status = SampleStatus::Cancelled;
            }
        }
    }

    /// The declaration whose goods were sampled.
    pub fn declaration_id(&self) -> &str {
        &self.declaration_id
    }

    /// The ordered analyte with this code.
    pub fn analyte(&self, code: &str) -> Option<&AnalyteSpec> {
        self.analytes.iter().find(|a| a.code == code)
    }

    /// The current result for this analyte.
    pub fn result(&self, code: &str) -> Option<&AnalysisResult> {
        self.results.iter().find(|r| r.analyte == code)
    }

    /// Whether every ordered analyte has a result.
    pub fn complete(&self) -> bool {
        self.analytes.iter().all(|a| self.result(&a.code).is_some())
    }

    /// The conclusion the results support, once every analyte has one.
    pub fn derived_conclusion(&self) -> Option<Conclusion> {
        if !self.complete() {
            return None;
        }
        Some(if self.results.iter().all(|r| r.conforms) { Conclusion::Satisfactory } else { Conclusion::NotSatisfactory })
    }

    /// The conclusion in force: published and not retracted.
    pub fn conclusion(&self) -> Option<Conclusion> {
        match (&self.published, self.status) {
            (Some(p), SampleStatus::Published) => Some(p.conclusion),
            _ => None,
        }
    }

    /// 检出 — the pests and pathogens detected, for the figures "detections by pest".
    pub fn detections(&self) -> Vec<&AnalysisResult> {
        self.results
            .iter()
            .filter(|r| r.detected == Some(true))
            .filter(|r| self.analyte(&r.analyte).is_some_and(|a| a.kind == AnalyteKind::Presence))
            .collect()
    }

    fn wrong_state(&self, what_en: &str, what_zh: &str) -> Refusal {
        Refusal::invalid_state(
            format!("sample {} is {}; cannot {what_en}", self.id, self.status.as_str()),
            format!("样品 {} 当前状态为{}，不能{what_zh}", self.id, self.status.name_zh()),
        )
    }

    /// 取样、封样、登记送检 — the sample is taken, sealed and sent; only while ordered.
    pub fn take(&self, seal_no: &str, quantity: &str, by: &str, now: OffsetDateTime) -> Result<Vec<SampleEvent>, Refusal> {
        if self.status != SampleStatus::Ordered {
            return Err(self.wrong_state("take the sample", "取样"));
        }
        let (seal_no, quantity) = (seal_no.trim(), quantity.trim());
        let mut errors = Vec::new();
        if !seal_no_valid(seal_no) {
            errors.push(FieldError::new(
                "seal_no",
                Rule::SealNoFormat,
                "the seal number is 4–32 characters of A–Z, 0–9 and '-'",
                "封条号应为4至32位大写字母、数字或 '-'",
            ));
        }
        if !quantity_valid(quantity) {
            errors.push(FieldError::new(
                "quantity",
                Rule::QuantityFormat,
                "the quantity is an amount above zero and a unit, e.g. 2 kg",
                "取样数量应为大于零的数量加单位，如 2 kg",
            ));
        }
        if !errors.is_empty() {
            return Err(Refusal::validation(errors));
        }
        Ok(vec![SampleEvent::Taken {
            sample_id: self.id.clone(),
            taken: Taken { seal_no: seal_no.to_owned(), quantity: quantity.to_owned(), by: by.to_owned(), at: now },
        }])
    }

    /// 收样 — the laboratory takes the sealed sample in.
    pub fn receive(&self, by: &str, now: OffsetDateTime) -> Result<Vec<SampleEvent>, Refusal> {
        if self.status != SampleStatus::Registered {
            return Err(self.wrong_state("receive the sample", "收样"));
        }
        Ok(vec![SampleEvent::Received { sample_id: self.id.clone(), by: by.to_owned(), at: now }])
    }

    /// 录入检测结果 — one analyte's result; a range needs a value, a presence test needs
    /// detected / not detected. Entering an analyte again replaces its result.
    pub fn enter_result(
        &self,
        analyte_code: &str,
        value: Option<Decimal>,
        detected: Option<bool>,
        by: &str,
        now: OffsetDateTime,
    ) -> Result<Vec<SampleEvent>, Refusal> {
        if self.status != SampleStatus::Received {
            return Err(self.wrong_state("enter a result", "录入检测结果"));
        }
        let code = analyte_code.trim();
        let Some(spec) = self.analyte(code) else {
            return Err(Refusal::field(
                "analyte",
                Rule::AnalyteNotOrdered,
                format!("{code} is not among the analytes ordered for this sample"),
                format!("{code} 不是本样品的检测项目"),
            ));
        };
        let mut errors = Vec::new();
        match spec.kind {
            AnalyteKind::Range { .. } => {
                if value.is_none() {
                    errors.push(FieldError::new(
                        "value",
                        Rule::ValueRequired,
                        format!("{code} is measured: enter the value"),
                        format!("{code} 为限量项目，须录入检测值"),
                    ));
                }
                if detected.is_some() {
                    errors.push(FieldError::new(
                        "detected",
                        Rule::DetectedNotApplicable,
                        format!("{code} is measured, not detected"),
                        format!("{code} 为限量项目，不适用检出/未检出"),
                    ));
                }
            }
            AnalyteKind::Presence => {
                if detected.is_none() {
                    errors.push(FieldError::new(
                        "detected",
                        Rule::DetectedRequired,
                        format!("{code} is a presence test: enter detected or not detected"),
                        format!("{code} 为检出项目，须录入检出或未检出"),
                    ));
                }
            }
        }
        let conforms = match spec.kind.conforms(value, detected) {
            Some(c) if errors.is_empty() => c,
            _ => return Err(Refusal::validation(errors)),
        };
        Ok(vec![SampleEvent::ResultEntered {
            sample_id: self.id.clone(),
            result: AnalysisResult { analyte: code.to_owned(), value, detected, conforms, entered_by: by.to_owned(), at: now },
        }])
    }

    /// 审核 — a second person checks the complete result set (four eyes).
    pub fn verify(&self, by: &str, now: OffsetDateTime) -> Result<Vec<SampleEvent>, Refusal> {
        if self.status != SampleStatus::ToBeVerified {
            return Err(self.wrong_state("verify the results", "审核检测结果"));
        }
        if self.results.iter().any(|r| r.entered_by == by) {
            return Err(Refusal {
                kind: RefusalKind::Forbidden,
                detail_en: format!("four eyes: {by} entered results of sample {} and may not verify them", self.id),
                detail_zh: format!("双人复核：{by} 录入了样品 {} 的检测结果，不能审核", self.id),
                errors: vec![FieldError::new(
                    "by",
                    Rule::FourEyes,
                    "results are verified by someone who entered none of them",
                    "检测结果须由未参与录入的人员审核",
                )],
            });
        }
        Ok(vec![SampleEvent::Verified { sample_id: self.id.clone(), by: by.to_owned(), at: now }])
    }

    /// 发布结论 — the conclusion the results support, or "not interpretable" with a note.
    pub fn publish(&self, by: &str, not_interpretable_note: Option<String>, now: OffsetDateTime) -> Result<Vec<SampleEvent>, Refusal> {
        if self.status != SampleStatus::Verified {
            return Err(self.wrong_state("publish the conclusion", "发布检测结论"));
        }
        let (conclusion, note) = match not_interpretable_note {
            Some(n) if n.trim().is_empty() => {
                return Err(Refusal::field(
                    "note",
                    Rule::NoteRequired,
                    "a conclusion of not interpretable needs a note of why",
                    "结论为无法判定时须注明原因",
                ))
            }
            Some(n) => (Conclusion::NotInterpretable, Some(n.trim().to_owned())),
            None => (self.derived_conclusion().expect("a verified sample has a result for every analyte"), None),
        };
        Ok(vec![SampleEvent::Published {
            sample_id: self.id.clone(),
            publication: Publication { conclusion, note, by: by.to_owned(), at: now },
        }])
    }

    /// 撤回 — withdraws a published conclusion.
    pub fn retract(&self, by: &str, reason: &str, now: OffsetDateTime) -> Result<Vec<SampleEvent>, Refusal> {
        if self.status != SampleStatus::Published {
            return Err(self.wrong_state("retract the conclusion", "撤回检测结论"));
        }
        let reason = reason_required(reason, "a retraction", "撤回")?;
        Ok(vec![SampleEvent::Retracted { sample_id: self.id.clone(), by: by.to_owned(), reason, at: now }])
    }

    /// 结果作废 — throws the current result set away so the sample is tested again.
    pub fn invalidate(&self, by: &str, reason: &str, now: OffsetDateTime) -> Result<Vec<SampleEvent>, Refusal> {
        match self.status {
            SampleStatus::Received if self.results.is_empty() => {
                return Err(Refusal::invalid_state(
                    format!("sample {} is received but has no results to invalidate", self.id),
                    format!("样品 {} 当前状态为已收样，尚无可作废的检测结果", self.id),
                ))
            }
            SampleStatus::Received | SampleStatus::ToBeVerified | SampleStatus::Verified => {}
            _ => return Err(self.wrong_state("invalidate results", "作废检测结果")),
        }
        let reason = reason_required(reason, "an invalidation", "作废检测结果")?;
        Ok(vec![SampleEvent::Invalidated { sample_id: self.id.clone(), by: by.to_owned(), reason, at: now }])
    }

    /// 取消取样 — an officer cancels the order before the sample is taken.
    pub fn cancel(&self, by: &str, reason: &str, now: OffsetDateTime) -> Result<Vec<SampleEvent>, Refusal> {
        if self.status != SampleStatus::Ordered {
            return Err(self.wrong_state("cancel the sampling", "取消取样"));
        }
        let reason = reason_required(reason, "a cancellation", "取消取样")?;
        Ok(vec![SampleEvent::Cancelled { sample_id: self.id.clone(), by: by.to_owned(), reason, at: now }])
    }
}
