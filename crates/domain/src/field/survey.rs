//! 田间疫情监测 — field monitoring of imported seed lots (DOMAIN §2.9, seed 000).
//!
//! Imported original seed (原种) is sown by the breeder and watched in the field: seed 000 has the
//! officers survey the plots "three times a season, at the seedling and growth stages" (每年在种子
//! 育苗期、生长期分3次开展田间病虫害监测). A seedling with curled, scorched leaves is sampled,
//! sealed and registered on the spot.
//!
//! ```text
//! plan ─► open ─┬─ record survey n (each once) ─┐
//!               │   └ quarantine pest found ─► actions opened: sampling, plot destruction, notification
//!               ├─ close action ◄───────────────┘
//!               └─ close (every survey done, every action closed) ─► closed
//! ```
//!
//! The default schedule is ours, since the seed gives the count and the stages but no days:
//! survey 1 at the seedling stage 20 days after sowing (seedlings up, first true leaves), surveys 2
//! and 3 at the growth stage 45 and 70 days after sowing. A plan may ask for 1 to 6 surveys; the
//! schedule then takes that many slots of [`SCHEDULE`], 25 days apart, the later ones before harvest.

use crate::error::{FieldError, Refusal, RefusalKind, Rule};
use crate::types::CustomsCode;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use time::{Date, Duration, OffsetDateTime};

/// 监测时期 — the crop stage a survey is made at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Stage {
    /// 苗期
    Seedling,
    /// 生长期
    Growth,
    /// 成熟前
    PreHarvest,
}

impl Stage {
    pub const ALL: [Stage; 3] = [Stage::Seedling, Stage::Growth, Stage::PreHarvest];

    pub fn as_str(self) -> &'static str {
        match self {
            Stage::Seedling => "seedling",
            Stage::Growth => "growth",
            Stage::PreHarvest => "pre-harvest",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Stage::ALL.into_iter().find(|x| x.as_str() == s)
    }

    pub fn name_zh(self) -> &'static str {
        match self {
            Stage::Seedling => "苗期",
            Stage::Growth => "生长期",
            Stage::PreHarvest => "成熟前",
        }
    }
}

/// The survey slots, in days after sowing: the first three are seed 000's season; a plan asking for
/// more surveys continues every 25 days up to harvest.
pub const SCHEDULE: [(Stage, i64); 6] = [
    (Stage::Seedling, 20),
    (Stage::Growth, 45),
    (Stage::Growth, 70),
    (Stage::PreHarvest, 95),
    (Stage::PreHarvest, 120),
    (Stage::PreHarvest, 145),
];

/// 每季监测次数 — three surveys a season unless the plan says otherwise (seed 000).
pub const DEFAULT_SURVEYS: u8 = 3;
/// The most surveys one season's plan may hold.
pub const MAX_SURVEYS: u8 = SCHEDULE.len() as u8;

/// 监测计划状态
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum PlanStatus {
    /// 监测中
    Open,
    /// 已结案
    Closed,
}

impl PlanStatus {
    pub const ALL: [PlanStatus; 2] = [PlanStatus::Open, PlanStatus::Closed];

    pub fn as_str(self) -> &'static str {
        match self {
            PlanStatus::Open => "open",
            PlanStatus::Closed => "closed",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        PlanStatus::ALL.into_iter().find(|x| x.as_str() == s)
    }

    pub fn name_zh(self) -> &'static str {
        match self {
            PlanStatus::Open => "监测中",
            PlanStatus::Closed => "已结案",
        }
    }
}

/// 处置措施类别 — what a quarantine-pest finding sets in motion.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ActionKind {
    /// 取样送检 — sample, seal, register and send to the laboratory.
    Sampling,
    /// 铲除销毁 — destroy the infested plants or plot.
    PlotDestruction,
    /// 疫情报告 — report the outbreak to the supervising authority.
    Notification,
}

impl ActionKind {
    /// The order in which a quarantine-pest finding opens them.
    pub const ALL: [ActionKind; 3] = [ActionKind::Sampling, ActionKind::PlotDestruction, ActionKind::Notification];

    pub fn as_str(self) -> &'static str {
        match self {
            ActionKind::Sampling => "sampling",
            ActionKind::PlotDestruction => "plot-destruction",
            ActionKind::Notification => "notification",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        ActionKind::ALL.into_iter().find(|x| x.as_str() == s)
    }

    pub fn name_zh(self) -> &'static str {
        match self {
            ActionKind::Sampling => "取样送检",
            ActionKind::PlotDestruction => "铲除销毁",
            ActionKind::Notification => "疫情报告",
        }
    }
}

/// 隔离试种地块 — the plot the imported seed is sown in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Plot {
    /// Where the plot is (village, field number, or coordinates).
    pub location: String,
    /// 面积（亩）
    pub area_mu: Decimal,
    pub crop: String,
}

/// 监测发现 — one thing seen in the field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    /// Scientific name, when a pest is identified.
    pub pest: Option<String>,
    /// 检疫性有害生物 — a quarantine pest is found or suspected: sampling, destruction and
    /// notification start at once, before the laboratory confirms.
    pub quarantine_pest: bool,
    pub description: String,
    /// 发生面积（亩）
    pub affected_area_mu: Option<Decimal>,
}

/// 监测记录 — what the officer recorded at one survey.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SurveyRecord {
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
    pub by: String,
    /// Empty when the plot was clean.
    pub findings: Vec<Finding>,
}

/// 计划监测 — one scheduled survey.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlannedSurvey {
    /// 1-based, in schedule order.
    pub no: u8,
    pub stage: Stage,
    pub due: Date,
    pub done: Option<SurveyRecord>,
}

/// 处置措施办结
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActionClosure {
    pub by: String,
    pub note: String,
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
}

/// 处置措施 — follow-up to a quarantine-pest finding, tracked to closure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Action {
    /// `<plan id>-A<n>`, numbered in the order opened.
    pub id: String,
    pub kind: ActionKind,
    #[serde(with = "time::serde::rfc3339")]
    pub opened_at: OffsetDateTime,
    /// The finding that opened it, with the survey number.
    pub because: String,
    pub closed: Option<ActionClosure>,
}

impl Action {
    pub fn is_open(&self) -> bool {
        self.closed.is_none()
    }
}

/// 监测计划结案
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanClosure {
    pub by: String,
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
}

/// 田间监测计划 — one imported seed lot's field monitoring for one season.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SurveyPlan {
    pub id: String,
    /// The declaration the seed lot was imported under.
    pub declaration_id: String,
    /// The breeder (制种企业) holding and sowing the seed.
    pub holder: CustomsCode,
    pub plot: Plot,
    /// e.g. `2026-spring`.
    pub season: String,
    pub sown_on: Date,
    pub surveys: Vec<PlannedSurvey>,
    pub actions: Vec<Action>,
    pub status: PlanStatus,
    #[serde(with = "time::serde::rfc3339")]
    pub planned_at: OffsetDateTime,
    pub closed: Option<PlanClosure>,
}

/// The events of a survey plan; stream `survey:<id>`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum SurveyEvent {
    Planned {
        plan: SurveyPlan,
    },
    SurveyRecorded {
        plan_id: String,
        no: u8,
        record: SurveyRecord,
    },
    ActionOpened {
        plan_id: String,
        action: Action,
    },
    ActionClosed {
        plan_id: String,
        action_id: String,
        by: String,
        note: String,
        #[serde(with = "time::serde::rfc3339")]
        at: OffsetDateTime,
    },
    Closed {
        plan_id: String,
        by: String,
        #[serde(with = "time::serde::rfc3339")]
        at: OffsetDateTime,
    },
}

impl SurveyEvent {
    pub fn plan_id(&self) -> &str {
        match self {
            SurveyEvent::Planned { plan } => &plan.id,
            SurveyEvent::SurveyRecorded { plan_id, .. }
            | SurveyEvent::ActionOpened { plan_id, .. }
            | SurveyEvent::ActionClosed { plan_id, .. }
            | SurveyEvent::Closed { plan_id, .. } => plan_id,
        }
    }

    /// The record (journal stream) this event belongs to.
    pub fn stream(&self) -> String {
        format!("survey:{}", self.plan_id())
    }

    /// Short bilingual description for timelines.
    pub fn summary(&self) -> (String, String) {
        match self {
            SurveyEvent::Planned { plan } => (
                format!("field monitoring planned: {} surveys of {} at {}", plan.surveys.len(), plan.plot.crop, plan.plot.location),
                format!("制定田间监测计划：{}（{}）共 {} 次", plan.plot.crop, plan.plot.location, plan.surveys.len()),
            ),
            SurveyEvent::SurveyRecorded { no, record, .. } => (
                format!("survey {no} recorded ({} findings)", record.findings.len()),
                format!("第 {no} 次监测已记录（{} 项发现）", record.findings.len()),
            ),
            SurveyEvent::ActionOpened { action, .. } => (
                format!("action {} opened: {}", action.id, action.kind.as_str()),
                format!("启动处置措施 {}：{}", action.id, action.kind.name_zh()),
            ),
            SurveyEvent::ActionClosed { action_id, .. } => (format!("action {action_id} closed"), format!("处置措施 {action_id} 已办结")),
            SurveyEvent::Closed { .. } => ("field monitoring closed".into(), "田间监测结案".into()),
        }
    }
}

fn blank(s: &str) -> bool {
    s.trim().is_empty()
}

fn required(errors: &mut Vec<FieldError>, path: &str, value: &str, en: &str, zh: &str) {
    if blank(value) {
        errors.push(FieldError::new(path, Rule::Required, format!("{en} is required"), format!("{zh}为必填项")));
    }
}

/// The survey schedule for `count` surveys of a plot sown on `sown_on`.
pub fn schedule(sown_on: Date, count: u8) -> Vec<PlannedSurvey> {
    SCHEDULE
        .iter()
        .take(count as usize)
        .zip(1u8..)
        .map(|(&(stage, days), no)| PlannedSurvey { no, stage, due: sown_on + Duration::days(days), done: None })
        .collect()
}

/// 制定监测计划 — plans a season's surveys of an imported seed lot's plot.
#[allow(clippy::too_many_arguments)]
pub fn plan(
    id: &str,
    declaration_id: &str,
    holder: CustomsCode,
    plot: Plot,
    season: &str,
    sown_on: Date,
    surveys: Option<u8>,
    now: OffsetDateTime,
) -> Result<Vec<SurveyEvent>, Refusal> {
    let mut errors = Vec::new();
    required(&mut errors, "declaration_id", declaration_id, "the declaration of the seed lot", "进境种子报关单号");
    required(&mut errors, "plot.location", &plot.location, "the plot location", "地块位置");
    required(&mut errors, "plot.crop", &plot.crop, "the crop", "作物");
    if plot.area_mu <= Decimal::ZERO {
        errors.push(FieldError::new(
            "plot.area_mu",
            Rule::AreaPositive,
            format!("the plot area must be greater than zero mu, got {}", plot.area_mu),
            format!("地块面积应大于零亩，实际为 {}", plot.area_mu),
        ));
    }
    required(&mut errors, "season", season, "the season", "监测季节");
    let count = surveys.unwrap_or(DEFAULT_SURVEYS);
    if !(1..=MAX_SURVEYS).contains(&count) {
        errors.push(FieldError::new(
            "surveys",
            Rule::SurveyCount,
            format!("a season has 1 to {MAX_SURVEYS} surveys, got {count}"),
            format!("每季监测次数应为1至{MAX_SURVEYS}次，实际为 {count}"),
        ));
    }
    if !errors.is_empty() {
        return Err(Refusal::validation(errors));
    }
    let plot = Plot { location: plot.location.trim().to_owned(), area_mu: plot.area_mu, crop: plot.crop.trim().to_owned() };
    Ok(vec![SurveyEvent::Planned {
        plan: SurveyPlan {
            id: id.to_owned(),
            declaration_id: declaration_id.trim().to_owned(),
            holder,
            plot,
            season: season.trim().to_owned(),
            sown_on,
            surveys: schedule(sown_on, count),
            actions: Vec::new(),
            status: PlanStatus::Open,
            planned_at: now,
            closed: None,
        },
    }])
}

impl SurveyPlan {
    /// Folds a plan's events, the first of which must be its planning.
    pub fn from_events(events: &[SurveyEvent]) -> Option<SurveyPlan> {
        let (SurveyEvent::Planned { plan }, rest) = events.split_first()? else {
            return None;
        };
        let mut p = plan.clone();
        for e in rest {
            p.apply(e);
        }
        Some(p)
    }

    /// Applies one event of this plan.
    pub fn apply(&mut self, e: &SurveyEvent) {
        match e {
            SurveyEvent::Planned { plan } => *self = plan.clone(),
            SurveyEvent::SurveyRecorded { no, record, .. } => {
                if let Some(s) = self.surveys.iter_mut().find(|s| s.no == *no) {
                    s.done = Some(record.clone());
                }
            }
            SurveyEvent::ActionOpened { action, .. } => self.actions.push(action.clone()),
            SurveyEvent::ActionClosed { action_id, by, note, at, .. } => {
                if let Some(a) = self.actions.iter_mut().find(|a| &a.id == action_id) {
                    a.closed = Some(ActionClosure { by: by.clone(), note: note.clone(), at: *at });
                }
            }
            SurveyEvent::Closed { by, at, .. } => {
                self.status = PlanStatus::Closed;
                self.closed = Some(PlanClosure { by: by.clone(), at: *at });
            }
        }
    }

    fn wrong_state(&self, what_en: &str, what_zh: &str) -> Refusal {
        Refusal::invalid_state(
            format!("field monitoring plan {} is {}; cannot {what_en}", self.id, self.status.as_str()),
            format!("田间监测计划 {} 当前状态为{}，不能{what_zh}", self.id, self.status.name_zh()),
        )
    }

    /// Surveys recorded so far.
    pub fn done_count(&self) -> usize {
        self.surveys.iter().filter(|s| s.done.is_some()).count()
    }

    /// Surveys in the plan.
    pub fn planned_count(&self) -> usize {
        self.surveys.len()
    }

    /// Surveys not recorded and past their due date on `today` (the due day itself is not late).
    pub fn overdue_surveys(&self, today: Date) -> Vec<u8> {
        self.surveys.iter().filter(|s| s.done.is_none() && today > s.due).map(|s| s.no).collect()
    }

    /// Actions not yet closed.
    pub fn open_actions(&self) -> Vec<&Action> {
        self.actions.iter().filter(|a| a.is_open()).collect()
    }

    /// 录入监测结果 — records survey `no`; each quarantine-pest finding opens sampling, plot
    /// destruction and notification at once.
    pub fn record(&self, no: u8, by: &str, findings: Vec<Finding>, now: OffsetDateTime) -> Result<Vec<SurveyEvent>, Refusal> {
        if self.status != PlanStatus::Open {
            return Err(self.wrong_state("record a survey", "录入监测结果"));
        }
        let Some(survey) = self.surveys.iter().find(|s| s.no == no) else {
            return Err(Refusal::field(
                "no",
                Rule::SurveyUnknown,
                format!("the plan has surveys 1 to {}, not {no}", self.planned_count()),
                format!("该计划的监测次序为1至{}，没有第 {no} 次", self.planned_count()),
            ));
        };
        if let Some(done) = &survey.done {
            return Err(Refusal::new(
                RefusalKind::Conflict,
                format!("survey {no} of plan {} is already recorded by {}", self.id, done.by),
                format!("计划 {} 的第 {no} 次监测已由 {} 录入", self.id, done.by),
            ));
        }
        let mut errors = Vec::new();
        for (i, f) in findings.iter().enumerate() {
            required(&mut errors, &format!("findings[{i}].description"), &f.description, "a description of what was seen", "发现情况描述");
            if f.pest.as_deref().is_some_and(blank) {
                errors.push(FieldError::new(
                    format!("findings[{i}].pest"),
                    Rule::Required,
                    "give the pest's scientific name, or leave it out when not identified",
                    "请填写有害生物学名；未鉴定的请留空",
                ));
            }
            if let Some(a) = f.affected_area_mu {
                if a <= Decimal::ZERO {
                    errors.push(FieldError::new(
                        format!("findings[{i}].affected_area_mu"),
                        Rule::AreaPositive,
                        format!("the affected area must be greater than zero mu, got {a}"),
                        format!("发生面积应大于零亩，实际为 {a}"),
                    ));
                } else if a > self.plot.area_mu {
                    errors.push(FieldError::new(
                        format!("findings[{i}].affected_area_mu"),
                        Rule::AreaExceedsPlot,
                        format!("the affected area {a} mu exceeds the plot's {} mu", self.plot.area_mu),
                        format!("发生面积 {a} 亩超过地块面积 {} 亩", self.plot.area_mu),
                    ));
                }
            }
        }
        if !errors.is_empty() {
            return Err(Refusal::validation(errors));
        }
        let findings: Vec<Finding> = findings
            .into_iter()
            .map(|f| Finding {
                pest: f.pest.map(|p| p.trim().to_owned()),
                quarantine_pest: f.quarantine_pest,
                description: f.description.trim().to_owned(),
                affected_area_mu: f.affected_area_mu,
            })
            .collect();
        let mut next = self.actions.len() + 1;
        let mut opened = Vec::new();
        for f in findings.iter().filter(|f| f.quarantine_pest) {
            let because = match &f.pest {
                Some(p) => format!("survey {no}: {p}: {}", f.description),
                None => format!("survey {no}: {}", f.description),
            };
            for kind in ActionKind::ALL {
                opened.push(SurveyEvent::ActionOpened {
                    plan_id: self.id.clone(),
                    action: Action { id: format!("{}-A{next}", self.id), kind, opened_at: now, because: because.clone(), closed: None },
                });
                next += 1;
            }
        }
        let mut events = vec![SurveyEvent::SurveyRecorded {
            plan_id: self.id.clone(),
            no,
            record: SurveyRecord { at: now, by: by.to_owned(), findings },
        }];
        events.extend(opened);
        Ok(events)
    }

    /// 处置措施办结 — closes an open action with a note of what was done.
    pub fn close_action(&self, action_id: &str, by: &str, note: &str, now: OffsetDateTime) -> Result<Vec<SurveyEvent>, Refusal> {
        let Some(action) = self.actions.iter().find(|a| a.id == action_id) else {
            return Err(Refusal::not_found(&format!("action {action_id}"), &format!("处置措施 {action_id} ")));
        };
        if let Some(c) = &action.closed {
            return Err(Refusal::invalid_state(
                format!("action {action_id} was already closed by {}", c.by),
                format!("处置措施 {action_id} 已由 {} 办结", c.by),
            ));
        }
        if blank(note) {
            return Err(Refusal::field(
                "note",
                Rule::Required,
                "closing an action needs a note of what was done",
                "办结处置措施须注明处置情况",
            ));
        }
        Ok(vec![SurveyEvent::ActionClosed {
            plan_id: self.id.clone(),
            action_id: action_id.to_owned(),
            by: by.to_owned(),
            note: note.trim().to_owned(),
            at: now,
        }])
    }

    /// 结案 — closes the season's monitoring once every survey is done and every action closed.
    pub fn close(&self, by: &str, now: OffsetDateTime) -> Result<Vec<SurveyEvent>, Refusal> {
        if self.status != PlanStatus::Open {
            return Err(self.wrong_state("close", "结案"));
        }
        let pending: Vec<String> = self.surveys.iter().filter(|s| s.done.is_none()).map(|s| s.no.to_string()).collect();
        let open: Vec<String> = self.open_actions().iter().map(|a| a.id.clone()).collect();
        if !pending.is_empty() || !open.is_empty() {
            let mut en = Vec::new();
            let mut zh = Vec::new();
            if !pending.is_empty() {
                en.push(format!("surveys not recorded: {}", pending.join(", ")));
                zh.push(format!("未录入的监测：第 {} 次", pending.join("、")));
            }
            if !open.is_empty() {
                en.push(format!("actions still open: {}", open.join(", ")));
                zh.push(format!("未办结的处置措施：{}", open.join("、")));
            }
            return Err(Refusal::invalid_state(
                format!("field monitoring plan {} cannot be closed; {}", self.id, en.join("; ")),
                format!("田间监测计划 {} 不能结案；{}", self.id, zh.join("；")),
            ));
        }
        Ok(vec![SurveyEvent::Closed { plan_id: self.id.clone(), by: by.to_owned(), at: now }])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;
    use time::macros::{date, datetime};

    const SOWN: Date = date!(2026 - 03 - 01);
    const NOW: OffsetDateTime = datetime!(2026-02-20 10:00 UTC);
    const OFFICER: &str = "pan.xiao";

    fn dec(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    fn plot() -> Plot {
        Plot { location: "河西 第三村 12号田".into(), area_mu: dec("8.5"), crop: "南瓜 Cucurbita moschata".into() }
    }

    fn new_plan(surveys: Option<u8>) -> Result<Vec<SurveyEvent>, Refusal> {
        plan("SV2026001", "620120261000000123", CustomsCode::parse("6201960001").unwrap(), plot(), "2026-spring", SOWN, surveys, NOW)
    }

    fn planned() -> SurveyPlan {
        SurveyPlan::from_events(&new_plan(None).unwrap()).unwrap()
    }

    fn at(day: Date) -> OffsetDateTime {
        day.with_hms(9, 0, 0).unwrap().assume_utc()
    }

    fn apply_all(p: &mut SurveyPlan, events: &[SurveyEvent]) {
        for e in events {
            p.apply(e);
        }
    }

    fn clean() -> Vec<Finding> {
        Vec::new()
    }

    fn curled_leaves() -> Finding {
        Finding {
            pest: None,
            quarantine_pest: false,
            description: "叶子打卷、边缘焦黄 curled, scorched leaves".into(),
            affected_area_mu: Some(dec("0.2")),
        }
    }

    fn squash_virus() -> Finding {
        Finding {
            pest: Some("Squash mosaic virus".into()),
            quarantine_pest: true,
            description: "mosaic and leaf deformation on seedlings".into(),
            affected_area_mu: Some(dec("0.5")),
        }
    }

    fn record_all_clean(p: &mut SurveyPlan) {
        for no in 1..=p.planned_count() as u8 {
            let ev = p.record(no, OFFICER, clean(), at(SOWN)).unwrap();
            apply_all(p, &ev);
        }
    }

    fn paths(r: &Refusal) -> Vec<(&str, Rule)> {
        r.errors.iter().map(|e| (e.path.as_str(), e.rule)).collect()
    }

    #[test]
    fn default_schedule_is_three_surveys_at_seedling_and_growth() {
        let p = planned();
        let got: Vec<(u8, Stage, Date)> = p.surveys.iter().map(|s| (s.no, s.stage, s.due)).collect();
        assert_eq!(
            got,
            vec![
                (1, Stage::Seedling, date!(2026 - 03 - 21)),
                (2, Stage::Growth, date!(2026 - 04 - 15)),
                (3, Stage::Growth, date!(2026 - 05 - 10)),
            ]
        );
        assert_eq!(p.status, PlanStatus::Open);
        assert_eq!(p.planned_count(), 3);
        assert_eq!(p.done_count(), 0);
        assert_eq!(p.planned_at, NOW);
        assert!(p.actions.is_empty());
        assert_eq!(p.plot.area_mu, dec("8.5"));
    }

    #[test]
    fn survey_count_from_one_to_six() {
        let cases: &[(u8, &[(Stage, Date)])] = &[
            (1, &[(Stage::Seedling, date!(2026 - 03 - 21))]),
            (
                4,
                &[
                    (Stage::Seedling, date!(2026 - 03 - 21)),
                    (Stage::Growth, date!(2026 - 04 - 15)),
                    (Stage::Growth, date!(2026 - 05 - 10)),
                    (Stage::PreHarvest, date!(2026 - 06 - 04)),
                ],
            ),
            (
                6,
                &[
                    (Stage::Seedling, date!(2026 - 03 - 21)),
                    (Stage::Growth, date!(2026 - 04 - 15)),
                    (Stage::Growth, date!(2026 - 05 - 10)),
                    (Stage::PreHarvest, date!(2026 - 06 - 04)),
                    (Stage::PreHarvest, date!(2026 - 06 - 29)),
                    (Stage::PreHarvest, date!(2026 - 07 - 24)),
                ],
            ),
        ];
        for (n, want) in cases {
            let p = SurveyPlan::from_events(&new_plan(Some(*n)).unwrap()).unwrap();
            let got: Vec<(Stage, Date)> = p.surveys.iter().map(|s| (s.stage, s.due)).collect();
            assert_eq!(&got, want, "{n} surveys");
            let nos: Vec<u8> = p.surveys.iter().map(|s| s.no).collect();
            assert_eq!(nos, (1..=*n).collect::<Vec<_>>());
        }
        for n in [0u8, 7, 255] {
            let r = new_plan(Some(n)).unwrap_err();
            assert_eq!(r.kind, RefusalKind::Validation, "{n} surveys");
            assert_eq!(paths(&r), vec![("surveys", Rule::SurveyCount)]);
        }
    }

    /// (area, location, crop) and the (path, rule) pairs refused.
    type PlotCase<'a> = (&'a str, &'a str, &'a str, &'a [(&'a str, Rule)]);

    #[test]
    fn plan_validation_names_the_fields() {
        let cases: &[PlotCase] = &[
            ("0", "x", "y", &[("plot.area_mu", Rule::AreaPositive)]),
            ("-1", "x", "y", &[("plot.area_mu", Rule::AreaPositive)]),
            ("1", " ", "y", &[("plot.location", Rule::Required)]),
            ("1", "x", "", &[("plot.crop", Rule::Required)]),
            ("0", "", " ", &[("plot.location", Rule::Required), ("plot.crop", Rule::Required), ("plot.area_mu", Rule::AreaPositive)]),
        ];
        for (area, location, crop, want) in cases {
            let r = plan(
                "SV1",
                "620120261000000123",
                CustomsCode::parse("6201960001").unwrap(),
                Plot { location: (*location).into(), area_mu: dec(area), crop: (*crop).into() },
                "2026-spring",
                SOWN,
                None,
                NOW,
            )
            .unwrap_err();
            assert_eq!(r.kind, RefusalKind::Validation);
            assert_eq!(&paths(&r), want, "area {area} location {location:?} crop {crop:?}");
            assert!(r.errors.iter().all(|e| !e.en.is_empty() && !e.zh.is_empty()));
        }
        let r = plan("SV1", "", CustomsCode::parse("6201960001").unwrap(), plot(), " ", SOWN, None, NOW).unwrap_err();
        assert_eq!(paths(&r), vec![("declaration_id", Rule::Required), ("season", Rule::Required)]);
    }

    #[test]
    fn recording_each_survey() {
        let mut p = planned();
        let days = [date!(2026 - 03 - 20), date!(2026 - 04 - 16), date!(2026 - 05 - 10)];
        for (i, day) in days.into_iter().enumerate() {
            let no = i as u8 + 1;
            let findings = if no == 1 { vec![curled_leaves()] } else { clean() };
            let ev = p.record(no, OFFICER, findings.clone(), at(day)).unwrap();
            assert_eq!(
                ev,
                vec![SurveyEvent::SurveyRecorded {
                    plan_id: "SV2026001".into(),
                    no,
                    record: SurveyRecord { at: at(day), by: OFFICER.into(), findings },
                }]
            );
            apply_all(&mut p, &ev);
            assert_eq!(p.done_count(), no as usize);
            assert_eq!(p.surveys[i].done.as_ref().unwrap().at, at(day));
        }
        assert!(p.actions.is_empty(), "a non-quarantine finding opens nothing");
        assert_eq!(p.status, PlanStatus::Open);
    }

    #[test]
    fn out_of_order_recording_is_allowed() {
        let mut p = planned();
        let ev = p.record(3, OFFICER, clean(), at(SOWN)).unwrap();
        apply_all(&mut p, &ev);
        assert!(p.surveys[2].done.is_some());
        assert!(p.surveys[0].done.is_none());
    }

    #[test]
    fn double_record_is_a_conflict() {
        let mut p = planned();
        let ev = p.record(2, OFFICER, clean(), at(SOWN)).unwrap();
        apply_all(&mut p, &ev);
        let before = p.clone();
        let r = p.record(2, "someone.else", vec![curled_leaves()], at(SOWN)).unwrap_err();
        assert_eq!(r.kind, RefusalKind::Conflict);
        assert!(r.detail_en.contains("survey 2"), "{}", r.detail_en);
        assert!(r.detail_en.contains(OFFICER), "{}", r.detail_en);
        assert_eq!(p, before);
    }

    #[test]
    fn unknown_survey_number() {
        let p = planned();
        for no in [0u8, 4, 200] {
            let r = p.record(no, OFFICER, clean(), at(SOWN)).unwrap_err();
            assert_eq!(r.kind, RefusalKind::Validation, "survey {no}");
            assert_eq!(paths(&r), vec![("no", Rule::SurveyUnknown)]);
        }
    }

    #[test]
    fn finding_validation() {
        let p = planned();
        let findings = vec![
            Finding { description: " ".into(), ..curled_leaves() },
            Finding { affected_area_mu: Some(dec("9")), ..curled_leaves() },
            Finding { affected_area_mu: Some(Decimal::ZERO), ..curled_leaves() },
            Finding { pest: Some("".into()), ..squash_virus() },
            Finding { affected_area_mu: Some(dec("8.5")), ..squash_virus() },
        ];
        let r = p.record(1, OFFICER, findings, at(SOWN)).unwrap_err();
        assert_eq!(
            paths(&r),
            vec![
                ("findings[0].description", Rule::Required),
                ("findings[1].affected_area_mu", Rule::AreaExceedsPlot),
                ("findings[2].affected_area_mu", Rule::AreaPositive),
                ("findings[3].pest", Rule::Required),
            ]
        );
    }

    #[test]
    fn quarantine_pest_finding_opens_three_actions() {
        let p = planned();
        let now = at(date!(2026 - 03 - 21));
        let ev = p.record(1, OFFICER, vec![curled_leaves(), squash_virus()], now).unwrap();
        assert_eq!(ev.len(), 4);
        assert!(matches!(&ev[0], SurveyEvent::SurveyRecorded { no: 1, record, .. } if record.findings.len() == 2));
        let opened: Vec<(String, ActionKind, String)> = ev[1..]
            .iter()
            .map(|e| match e {
                SurveyEvent::ActionOpened { plan_id, action } => {
                    assert_eq!(plan_id, "SV2026001");
                    assert_eq!(action.opened_at, now);
                    assert!(action.is_open());
                    (action.id.clone(), action.kind, action.because.clone())
                }
                other => panic!("expected an action, got {other:?}"),
            })
            .collect();
        let because = "survey 1: Squash mosaic virus: mosaic and leaf deformation on seedlings".to_owned();
        assert_eq!(
            opened,
            vec![
                ("SV2026001-A1".into(), ActionKind::Sampling, because.clone()),
                ("SV2026001-A2".into(), ActionKind::PlotDestruction, because.clone()),
                ("SV2026001-A3".into(), ActionKind::Notification, because),
            ]
        );
        let mut p2 = p.clone();
        apply_all(&mut p2, &ev);
        assert_eq!(p2.open_actions().len(), 3);

        // A later survey with another quarantine pest numbers on from A4.
        let unnamed = Finding { pest: None, ..squash_virus() };
        let ev = p2.record(2, OFFICER, vec![unnamed], now).unwrap();
        let ids: Vec<&str> = ev
            .iter()
            .filter_map(|e| match e {
                SurveyEvent::ActionOpened { action, .. } => Some(action.id.as_str()),
                _ => None,
            })
            .collect();
        assert_eq!(ids, ["SV2026001-A4", "SV2026001-A5", "SV2026001-A6"]);
        assert!(matches!(&ev[1], SurveyEvent::ActionOpened { action, .. }
            if action.because == "survey 2: mosaic and leaf deformation on seedlings"));
    }

    #[test]
    fn closing_actions() {
        let mut p = planned();
        let ev = p.record(1, OFFICER, vec![squash_virus()], at(SOWN)).unwrap();
        apply_all(&mut p, &ev);
        let later = at(date!(2026 - 03 - 25));

        let r = p.close_action("SV2026001-A9", OFFICER, "done", later).unwrap_err();
        assert_eq!(r.kind, RefusalKind::NotFound);
        let r = p.close_action("SV2026001-A1", OFFICER, "  ", later).unwrap_err();
        assert_eq!(paths(&r), vec![("note", Rule::Required)]);

        let ev = p.close_action("SV2026001-A1", OFFICER, " sampled, sealed, registered, sent to lab ", later).unwrap();
        assert_eq!(
            ev,
            vec![SurveyEvent::ActionClosed {
                plan_id: "SV2026001".into(),
                action_id: "SV2026001-A1".into(),
                by: OFFICER.into(),
                note: "sampled, sealed, registered, sent to lab".into(),
                at: later,
            }]
        );
        apply_all(&mut p, &ev);
        assert_eq!(
            p.actions[0].closed,
            Some(ActionClosure { by: OFFICER.into(), note: "sampled, sealed, registered, sent to lab".into(), at: later })
        );
        let open: Vec<&str> = p.open_actions().iter().map(|a| a.id.as_str()).collect();
        assert_eq!(open, ["SV2026001-A2", "SV2026001-A3"]);

        let r = p.close_action("SV2026001-A1", "other", "again", later).unwrap_err();
        assert_eq!(r.kind, RefusalKind::InvalidState);
        assert!(r.detail_en.contains(OFFICER), "{}", r.detail_en);
    }

    #[test]
    fn close_waits_for_every_survey_and_action() {
        let mut p = planned();
        let r = p.close(OFFICER, NOW).unwrap_err();
        assert_eq!(r.kind, RefusalKind::InvalidState);
        assert!(r.detail_en.contains("surveys not recorded: 1, 2, 3"), "{}", r.detail_en);
        assert!(r.detail_zh.contains("第 1、2、3 次"), "{}", r.detail_zh);

        let ev = p.record(1, OFFICER, vec![squash_virus()], at(SOWN)).unwrap();
        apply_all(&mut p, &ev);
        let ev = p.record(2, OFFICER, clean(), at(SOWN)).unwrap();
        apply_all(&mut p, &ev);
        let r = p.close(OFFICER, NOW).unwrap_err();
        assert!(r.detail_en.contains("surveys not recorded: 3;"), "{}", r.detail_en);
        assert!(r.detail_en.contains("actions still open: SV2026001-A1, SV2026001-A2, SV2026001-A3"), "{}", r.detail_en);

        let ev = p.record(3, OFFICER, clean(), at(SOWN)).unwrap();
        apply_all(&mut p, &ev);
        for id in ["SV2026001-A1", "SV2026001-A2"] {
            let ev = p.close_action(id, OFFICER, "done", NOW).unwrap();
            apply_all(&mut p, &ev);
        }
        let r = p.close(OFFICER, NOW).unwrap_err();
        assert_eq!(r.kind, RefusalKind::InvalidState);
        assert!(!r.detail_en.contains("surveys"), "{}", r.detail_en);
        assert!(r.detail_en.ends_with("actions still open: SV2026001-A3"), "{}", r.detail_en);

        let ev = p.close_action("SV2026001-A3", OFFICER, "reported to the provincial office", NOW).unwrap();
        apply_all(&mut p, &ev);
        let closed_at = at(date!(2026 - 05 - 12));
        let ev = p.close("chief.li", closed_at).unwrap();
        assert_eq!(ev, vec![SurveyEvent::Closed { plan_id: "SV2026001".into(), by: "chief.li".into(), at: closed_at }]);
        apply_all(&mut p, &ev);
        assert_eq!(p.status, PlanStatus::Closed);
        assert_eq!(p.closed.as_ref().map(|c| c.by.as_str()), Some("chief.li"));

        // Closed is final.
        let r = p.close(OFFICER, NOW).unwrap_err();
        assert_eq!(r.kind, RefusalKind::InvalidState);
        assert!(r.detail_en.contains("is closed"), "{}", r.detail_en);
        assert!(r.detail_zh.contains("已结案"), "{}", r.detail_zh);
        let r = p.record(1, OFFICER, clean(), NOW).unwrap_err();
        assert_eq!(r.kind, RefusalKind::InvalidState);
    }

    #[test]
    fn clean_plan_closes_without_actions() {
        let mut p = planned();
        record_all_clean(&mut p);
        assert_eq!(p.done_count(), 3);
        assert!(p.close(OFFICER, NOW).is_ok());
    }

    #[test]
    fn overdue_surveys() {
        let mut p = planned();
        let cases: &[(Date, &[u8])] = &[
            (date!(2026 - 03 - 01), &[]),
            (date!(2026 - 03 - 21), &[]),
            (date!(2026 - 03 - 22), &[1]),
            (date!(2026 - 04 - 16), &[1, 2]),
            (date!(2026 - 05 - 11), &[1, 2, 3]),
        ];
        for (today, want) in cases {
            assert_eq!(&p.overdue_surveys(*today), want, "on {today}");
        }
        let ev = p.record(1, OFFICER, clean(), at(date!(2026 - 03 - 23))).unwrap();
        apply_all(&mut p, &ev);
        assert_eq!(p.overdue_surveys(date!(2026 - 05 - 11)), vec![2, 3]);
        record_all_clean_except_done(&mut p);
        assert!(p.overdue_surveys(date!(2026 - 12 - 31)).is_empty());
    }

    fn record_all_clean_except_done(p: &mut SurveyPlan) {
        let todo: Vec<u8> = p.surveys.iter().filter(|s| s.done.is_none()).map(|s| s.no).collect();
        for no in todo {
            let ev = p.record(no, OFFICER, clean(), at(SOWN)).unwrap();
            apply_all(p, &ev);
        }
    }

    #[test]
    fn events_fold_and_serialize() {
        let first = new_plan(None).unwrap();
        let p = SurveyPlan::from_events(&first).unwrap();
        let rec = p.record(1, OFFICER, vec![squash_virus()], at(SOWN)).unwrap();
        let mut all = first.clone();
        all.extend(rec.clone());
        let folded = SurveyPlan::from_events(&all).unwrap();
        assert_eq!(folded.actions.len(), 3);
        assert_eq!(folded.done_count(), 1);
        assert!(SurveyPlan::from_events(&rec).is_none());
        assert!(SurveyPlan::from_events(&[]).is_none());

        for e in &all {
            assert_eq!(e.stream(), "survey:SV2026001");
            let json = serde_json::to_value(e).unwrap();
            let back: SurveyEvent = serde_json::from_value(json).unwrap();
            assert_eq!(&back, e);
        }
        let json = serde_json::to_value(&all[0]).unwrap();
        assert_eq!(json["event"], "planned");
        assert_eq!(json["plan"]["sown_on"], "2026-03-01");
        assert_eq!(json["plan"]["surveys"][0]["stage"], "seedling");
        assert_eq!(json["plan"]["surveys"][0]["due"], "2026-03-21");
        assert_eq!(json["plan"]["plot"]["area_mu"], "8.5");
        assert_eq!(json["plan"]["planned_at"], "2026-02-20T10:00:00Z");
        let json = serde_json::to_value(&all[2]).unwrap();
        assert_eq!(json["event"], "action_opened");
        assert_eq!(json["action"]["kind"], "sampling");
        let json = serde_json::to_value(&all[3]).unwrap();
        assert_eq!(json["action"]["kind"], "plot-destruction");
    }

    #[test]
    fn names() {
        for s in Stage::ALL {
            assert_eq!(Stage::parse(s.as_str()), Some(s));
        }
        for s in PlanStatus::ALL {
            assert_eq!(PlanStatus::parse(s.as_str()), Some(s));
        }
        for k in ActionKind::ALL {
            assert_eq!(ActionKind::parse(k.as_str()), Some(k));
        }
        assert_eq!(Stage::Seedling.name_zh(), "苗期");
        assert_eq!(Stage::Growth.name_zh(), "生长期");
        assert_eq!(ActionKind::Sampling.name_zh(), "取样送检");
        assert_eq!(PlanStatus::Closed.name_zh(), "已结案");
    }
}
