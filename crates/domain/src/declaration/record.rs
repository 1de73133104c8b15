//! The declaration record and its life cycle:
//!
//! ```text
//! filed ─┬─ green/blue, goods arrived ──────────────────────────────► released
//!        ├─ green/blue, advance, not arrived ─► awaiting-arrival ─ arrival ─► released
//!        └─ red/yellow ─► inspection-notified ─► in-position ─► inspected ─┬► released
//!                          └──── (yellow: result without position) ──┘      └► held ─► released
//! ```
//! Each procedure takes the record and the facts it needs and returns events, or a refusal that
//! changed nothing. [`Declaration::apply`] folds events into the record.

use super::{DeclarationContent, DeclarationMode};
use crate::error::{FieldError, Refusal, RefusalKind, Rule};
use crate::event::Event;
use crate::inspection::*;
use crate::party::Enterprise;
use crate::risk::{decide, Decision, Lane, RuleSet};
use crate::types::CustomsCode;
use serde::{Deserialize, Serialize};
use time::{Date, Duration, OffsetDateTime, Time};

/// 两步申报 — the complete declaration is due this many days after arrival.
pub const TWO_STEP_COMPLETION_DAYS: i64 = 14;

/// 报关单状态
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    /// 待运抵 — accepted in advance, waiting for the goods.
    AwaitingArrival,
    /// 已下达查验通知
    InspectionNotified,
    /// 集装箱已到位
    InPosition,
    /// 已查验 — result recorded, waiting for the officer to release or hold.
    Inspected,
    /// 已放行
    Released,
    /// 已扣留
    Held,
    /// 待检测结果 — inspected, held only for the laboratory result.
    PendingLaboratory,
    /// 预提离 — released on commitment, the laboratory result still pending.
    PreReleased,
    /// 准许入境 — released at the port; inspection at destination pending (two-stage access).
    PermittedToEnter,
    /// 合格入市 — qualified to be marketed after the destination inspection.
    QualifiedForMarket,
    /// 待处置 — not satisfactory; a disposition order is to be issued.
    DispositionRequired,
    /// 处置中
    UnderDisposition,
    /// 已处置 — the disposition order was carried out.
    Disposed,
}

impl Status {
    pub const ALL: [Status; 13] = [
        Status::AwaitingArrival,
        Status::InspectionNotified,
        Status::InPosition,
        Status::Inspected,
        Status::Released,
        Status::Held,
        Status::PendingLaboratory,
        Status::PreReleased,
        Status::PermittedToEnter,
        Status::QualifiedForMarket,
        Status::DispositionRequired,
        Status::UnderDisposition,
        Status::Disposed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::AwaitingArrival => "awaiting-arrival",
            Status::InspectionNotified => "inspection-notified",
            Status::InPosition => "in-position",
            Status::Inspected => "inspected",
            Status::Released => "released",
            Status::Held => "held",
            Status::PendingLaboratory => "pending-laboratory",
            Status::PreReleased => "pre-released",
            Status::PermittedToEnter => "permitted-to-enter",
            Status::QualifiedForMarket => "qualified-for-market",
            Status::DispositionRequired => "disposition-required",
            Status::UnderDisposition => "under-disposition",
            Status::Disposed => "disposed",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Status::ALL.into_iter().find(|x| x.as_str() == s)
    }

    pub fn name_zh(self) -> &'static str {
        match self {
            Status::AwaitingArrival => "待运抵",
            Status::InspectionNotified => "待查验",
            Status::InPosition => "已到位",
            Status::Inspected => "已查验",
            Status::Released => "已放行",
            Status::Held => "已扣留",
            Status::PendingLaboratory => "待检测结果",
            Status::PreReleased => "已预提离",
            Status::PermittedToEnter => "准许入境",
            Status::QualifiedForMarket => "合格入市",
            Status::DispositionRequired => "待处置",
            Status::UnderDisposition => "处置中",
            Status::Disposed => "已处置",
        }
    }
}

/// 报关单 — the record as folded from its events.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Declaration {
    /// 报关单号 (EntryId): office (4) + year (4) + I/E digit + 9-digit sequence.
    pub id: String,
    /// The enterprise that filed it (the consignee/consignor or its agent).
    pub filed_by: CustomsCode,
    #[serde(with = "time::serde::rfc3339")]
    pub filed_at: OffsetDateTime,
    pub content: DeclarationContent,
    pub status: Status,
    pub decision: Decision,
    pub terminal: Option<CustomsCode>,
    #[serde(with = "time::serde::rfc3339::option")]
    pub arrived_at: Option<OffsetDateTime>,
    pub notice: Option<InspectionNotice>,
    pub positions: Vec<PositionReport>,
    pub result: Option<InspectionResult>,
    pub release: Option<ReleaseNotice>,
    pub hold: Option<Hold>,
    /// Two-step: date the complete declaration is due.
    pub completion_due: Option<Date>,
    #[serde(with = "time::serde::rfc3339::option")]
    pub completed_at: Option<OffsetDateTime>,
    /// 取样送检 — set when targeting or an officer requires laboratory testing.
    #[serde(default)]
    pub sampling: Option<super::quarantine::Sampling>,
    /// 预提离承诺书
    #[serde(default)]
    pub commitment: Option<super::quarantine::Commitment>,
    /// 处置通知书
    #[serde(default)]
    pub disposition: Option<super::quarantine::DispositionOrder>,
    /// 目的地检验结果 (two-stage access)
    #[serde(default)]
    pub destination_result: Option<InspectionResult>,
    /// 改变通道 — officers' re-routings, oldest first; the last one sets the lane.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub reroutes: Vec<super::reroute::Reroute>,
}

/// Everything filing needs; the store gathers it.
pub struct Filing<'a> {
    pub id: String,
    pub filed_by: CustomsCode,
    pub content: DeclarationContent,
    /// The consignee/consignor: its grade drives targeting, its name goes on notices.
    pub trader: &'a Enterprise,
    /// The terminal operating the declared supervision site, if any.
    pub terminal: Option<CustomsCode>,
    pub rules: &'a RuleSet,
    /// 委托 — the mandates the consignee/consignor gave (see [`crate::mandate::check_declarant`]).
    pub mandates: &'a [crate::mandate::Mandate],
    pub seed: u64,
    pub now: OffsetDateTime,
}

fn start_of(d: Date) -> OffsetDateTime {
    d.with_time(Time::MIDNIGHT).assume_utc()
}

/// 申报 — files a validated declaration: targets it and, by lane, notifies inspection or releases.
pub fn file(f: Filing<'_>) -> Result<Vec<Event>, Refusal> {
    if !f.content.parties().contains(&&f.filed_by) {
        return Err(Refusal {
            kind: RefusalKind::Forbidden,
            detail_en: format!(
                "enterprise {} is neither the consignee/consignor, the owner nor the agent named on the declaration",
                f.filed_by
            ),
            detail_zh: format!("企业 {} 不是报关单所列的收发货人、消费使用单位或申报单位", f.filed_by),
            errors: vec![FieldError::new(
                "head.trade_code",
                Rule::NotAParty,
                "you may file only for your own enterprise or as its named agent",
                "只能为本企业或作为所列代理申报",
            )],
        });
    }
    // An agent files only under the consignor's mandate: otherwise it could borrow another
    // enterprise's credit grade for targeting and write off its permits.
    crate::mandate::check_declarant(&f.filed_by, &f.content.head, f.mandates, crate::clearance::cst_day(f.now))?;
    let decision = decide(&f.content, f.trader.grade, f.rules, f.seed);
    let arrived_at = match f.content.head.mode {
        DeclarationMode::Advance => None,
        _ => f.content.head.ie_date.map(start_of),
    };
    let mut events = vec![
        Event::DeclarationFiled {
            declaration_id: f.id.clone(),
            filed_by: f.filed_by.clone(),
            filed_at: f.now,
            content: f.content.clone(),
            terminal: f.terminal.clone(),
            arrived_at,
        },
        Event::RiskAssessed { declaration_id: f.id.clone(), decision: decision.clone() },
    ];
    let record = Declaration::from_events(&events).expect("filing events start a record");
    if decision.lane.needs_inspection() {
        events.push(Event::InspectionNoticeIssued { notice: record.inspection_notice(&f.trader.name_zh, f.now) });
    } else if record.arrived_at.is_some() {
        events.push(Event::Released { notice: record.release_notice(&f.trader.name_zh, automatic_kind(decision.lane), f.now, None, None) });
    }
    Ok(events)
}

pub(super) fn automatic_kind(lane: Lane) -> ReleaseKind {
    if lane == Lane::Blue {
        ReleaseKind::PostClearanceAudit
    } else {
        ReleaseKind::Automatic
    }
}

impl Declaration {
    /// Folds a record's events, the first of which must be its filing.
    pub fn from_events(events: &[Event]) -> Option<Declaration> {
        let mut it = events.iter();
        let Some(Event::DeclarationFiled { declaration_id, filed_by, filed_at, content, terminal, arrived_at }) = it.next() else {
            return None;
        };
        let Some(Event::RiskAssessed { decision, .. }) = it.next() else {
            return None;
        };
        let mut d = Declaration {
            id: declaration_id.clone(),
            filed_by: filed_by.clone(),
            filed_at: *filed_at,
            content: content.clone(),
            status: if decision.lane.needs_inspection() { Status::InspectionNotified } else { Status::AwaitingArrival },
            decision: decision.clone(),
            terminal: terminal.clone(),
            arrived_at: *arrived_at,
            notice: None,
            positions: Vec::new(),
            result: None,
            release: None,
            hold: None,
            completion_due: None,
            completed_at: None,
            sampling: None,
            commitment: None,
            disposition: None,
            destination_result: None,
            reroutes: Vec::new(),
        };
        if decision.lab_sampling {
            let criteria = decision.selected_hits().filter(|h| h.lab_sampling).map(|h| h.criterion.clone()).collect();
            d.sampling = Some(super::quarantine::Sampling {
                source: super::quarantine::SamplingSource::Targeting { criteria },
                sample_id: None,
                conclusion: None,
                concluded_at: None,
            });
        }
        d.set_completion_due();
        for e in it {
            d.apply(e);
        }
        Some(d)
    }

    fn set_completion_due(&mut self) {
        if self.content.head.mode == DeclarationMode::TwoStep {
            self.completion_due = self.arrived_at.map(|a| a.date() + Duration::days(TWO_STEP_COMPLETION_DAYS));
        }
    }

    /// Applies one event of this record.
    pub fn apply(&mut self, e: &Event) {
        match e {
            Event::InspectionNoticeIssued { notice } => {
                self.status = Status::InspectionNotified;
                self.notice = Some(notice.clone());
            }
            Event::GoodsArrived { at, .. } => {
                self.arrived_at = Some(*at);
                self.set_completion_due();
            }
            Event::ContainerInPosition { report } => {
                self.status = Status::InPosition;
                self.positions.push(report.clone());
            }
            Event::InspectionResultRecorded { result, .. } => {
                let waits_for_lab = result.outcome == Outcome::Satisfactory && self.sampling.as_ref().is_some_and(|s| s.pending());
                self.status = if waits_for_lab { Status::PendingLaboratory } else { Status::Inspected };
                self.result = Some(result.clone());
            }
            Event::Released { notice } => {
                self.status = if notice.kind == ReleaseKind::PreReleaseOnCommitment {
                    Status::PreReleased
                } else if notice.permitted_to_enter_only {
                    Status::PermittedToEnter
                } else {
                    Status::Released
                };
                self.release = Some(notice.clone());
            }
            Event::Held { hold, .. } => {
                self.status = Status::Held;
                self.hold = Some(hold.clone());
            }
            Event::DeclarationCompleted { content, at, .. } => {
                self.content = content.clone();
                self.completed_at = Some(*at);
            }
            other => {
                if !self.apply_quarantine(other) {
                    self.apply_reroute(other);
                }
            }
        }
    }

    /// Whether the two-step complete declaration is past due on `today`.
    pub fn completion_overdue(&self, today: Date) -> bool {
        self.completed_at.is_none() && self.completion_due.is_some_and(|due| today > due)
    }

    /// The lane in force: the risk decision's, or the last officer's re-routing.
    pub fn lane(&self) -> Lane {
        self.reroutes.last().map_or(self.decision.lane, |r| r.to)
    }

    pub fn inspection_notice(&self, enterprise_name: &str, now: OffsetDateTime) -> InspectionNotice {
        let h = &self.content.head;
        let mut hints = Vec::new();
        if self.decision.lab_sampling {
            hints.push(Hint { en: "take samples for laboratory testing".into(), zh: "需取样送实验室检测".into() });
        }
        if self.decision.weigh {
            hints.push(Hint { en: "weigh the goods".into(), zh: "需过磅".into() });
        }
        if self.lane() == Lane::Red {
            hints.push(Hint {
                en: "move the containers to the inspection area and open them for examination".into(),
                zh: "请将集装箱移至查验场地并开箱待检".into(),
            });
        } else {
            hints.push(Hint {
                en: "have the documents ready; the goods stay in place unless called for".into(),
                zh: "请备齐单证；如无通知货物无需移动".into(),
            });
        }
        InspectionNotice {
            record_no: format!("CY{}", self.id),
            declaration_id: self.id.clone(),
            enterprise_code: h.trade_code.clone(),
            enterprise_name: enterprise_name.to_owned(),
            manifest_no: h.manifest_no.clone(),
            bill_no: h.bill_no.clone(),
            voyage_no: h.voyage_no.clone(),
            vessel: h.traf_name.clone(),
            customs_office: h.customs_master.to_string(),
            method: InspectionMethod::for_lane(self.lane()),
            check_types: self.decision.check_types.clone(),
            weigh: self.decision.weigh,
            unloading_point: h.ie_port.to_string(),
            site_code: h.site_code.clone(),
            terminal: self.terminal.clone(),
            containers: self.content.containers.iter().map(|c| c.container_id.clone()).collect(),
            lab_sampling: self.decision.lab_sampling,
            issued_at: now,
            hints,
        }
    }

    pub fn release_notice(
        &self,
        enterprise_name: &str,
        kind: ReleaseKind,
        now: OffsetDateTime,
        officer: Option<String>,
        note: Option<String>,
    ) -> ReleaseNotice {
        let h = &self.content.head;
        ReleaseNotice {
            declaration_id: self.id.clone(),
            enterprise_code: h.trade_code.clone(),
            enterprise_name: enterprise_name.to_owned(),
            bill_no: h.bill_no.clone(),
            customs_office: h.customs_master.to_string(),
            terminal: self.terminal.clone(),
            containers: self.content.containers.iter().map(|c| c.container_id.clone()).collect(),
            kind,
            released_at: now,
            officer,
            note,
            permitted_to_enter_only: false,
        }
    }

    pub(crate) fn enterprise_name(&self) -> String {
        self.notice
            .as_ref()
            .map(|n| n.enterprise_name.clone())
            .or_else(|| self.release.as_ref().map(|r| r.enterprise_name.clone()))
            .unwrap_or_default()
    }

    fn wrong_state(&self, what_en: &str, what_zh: &str) -> Refusal {
        Refusal::invalid_state(
            format!("declaration {} is {}; cannot {what_en}", self.id, self.status.as_str()),
            format!("报关单 {} 当前状态为{}，不能{what_zh}", self.id, self.status.name_zh()),
        )
    }

    /// 运抵 — the goods arrived; an advance declaration not targeted is released at once (秒放).
    pub fn arrive(&self, at: OffsetDateTime, enterprise_name: &str) -> Result<Vec<Event>, Refusal> {
        if self.arrived_at.is_some() {
            return Err(Refusal::new(
                RefusalKind::Conflict,
                format!("arrival of the goods of {} is already recorded", self.id),
                format!("报关单 {} 已有运抵记录", self.id),
            ));
        }
        let mut events = vec![Event::GoodsArrived { declaration_id: self.id.clone(), at }];
        if self.status == Status::AwaitingArrival {
            let mut after = self.clone();
            after.arrived_at = Some(at);
            events.push(Event::Released { notice: after.release_notice(enterprise_name, automatic_kind(self.lane()), at, None, None) });
        }
        Ok(events)
    }

    /// 到位反馈 — the terminal the notice was addressed to reports a container in position.
    pub fn report_position(&self, report: PositionReport) -> Result<Vec<Event>, Refusal> {
        if self.terminal.as_ref() != Some(&report.reported_by) {
            return Err(Refusal::not_found("inspection notice", "查验通知"));
        }
        if !matches!(self.status, Status::InspectionNotified | Status::InPosition) {
            return Err(self.wrong_state("report a container in position", "反馈集装箱到位"));
        }
        let mut errors = Vec::new();
        let notice = self.notice.as_ref().expect("a notified declaration has its notice");
        if report.record_no != notice.record_no {
            errors.push(FieldError::new(
                "record_no",
                Rule::RecordNoMismatch,
                format!("the inspection record number is {}", notice.record_no),
                format!("查验记录编号应为 {}", notice.record_no),
            ));
        }
        // Sea containers carry ISO 6346 numbers; air cargo is reported by its unit load device or
        // package mark, so only a declaration that lists containers is held to ISO 6346.
        let unit = report.container_no.trim();
        if notice.containers.is_empty() {
            if unit.is_empty() || unit.len() > 20 || !unit.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'-') {
                errors.push(FieldError::new(
                    "container_no",
                    Rule::UnitMark,
                    "the container, ULD or package mark is 1–20 characters of A–Z, 0–9, '-'",
                    "集装箱号、集装器号或唛头应为1至20位大写字母、数字或 '-'",
                ));
            }
        } else if !super::container_number_valid(unit) {
            errors.push(FieldError::new(
                "container_no",
                Rule::ContainerNumber,
                "not an ISO 6346 container number with a correct check digit",
                "不是校验位正确的 ISO 6346 集装箱号",
            ));
        } else if !notice.containers.iter().any(|c| c == unit) {
            errors.push(FieldError::new(
                "container_no",
                Rule::ContainerNotDeclared,
                format!("container {unit} is not on the declaration"),
                format!("集装箱 {unit} 不在报关单中"),
            ));
        }
        if self.positions.iter().any(|p| p.container_no == report.container_no) {
            errors.push(FieldError::new(
                "container_no",
                Rule::ContainerReported,
                format!("{} is already reported in position", report.container_no),
                format!("{} 已反馈到位", report.container_no),
            ));
        }
        if !errors.is_empty() {
            return Err(Refusal::validation(errors));
        }
        let mut events = Vec::new();
        if self.arrived_at.is_none() {
            events.push(Event::GoodsArrived { declaration_id: self.id.clone(), at: report.arrived_at });
        }
        events.push(Event::ContainerInPosition { report });
        Ok(events)
    }

    /// 录入查验结果 — a red-lane result needs a container in position; a yellow (documentary) one does not.
    pub fn record_result(&self, result: InspectionResult) -> Result<Vec<Event>, Refusal> {
        // Red needs the container in position, unless no registered terminal holds the goods:
        // then the officer examines them where they are.
        let ok = match self.status {
            Status::InPosition => true,
            Status::InspectionNotified => self.lane() == Lane::Yellow || self.terminal.is_none(),
            _ => false,
        };
        if !ok {
            return Err(self.wrong_state("record an inspection result", "录入查验结果"));
        }
        if result.outcome == Outcome::NotSatisfactory && result.findings.iter().all(|f| f.trim().is_empty()) {
            return Err(Refusal::field(
                "findings",
                Rule::FindingsRequired,
                "a result that is not satisfactory must list the findings",
                "查验结果不合格时必须填写查验发现",
            ));
        }
        Ok(vec![Event::InspectionResultRecorded { declaration_id: self.id.clone(), result }])
    }

    /// 放行 — by an officer, after inspection or when lifting a hold.
    pub fn release(&self, officer: &str, note: Option<String>, now: OffsetDateTime) -> Result<Vec<Event>, Refusal> {
        self.release_stage(officer, note, false, now)
    }

    /// 放行 — with `permitted_to_enter_only`, the first stage of two-stage access (准许入境):
    /// the goods leave the port and are inspected again at destination.
    pub fn release_stage(
        &self,
        officer: &str,
        note: Option<String>,
        permitted_to_enter_only: bool,
        now: OffsetDateTime,
    ) -> Result<Vec<Event>, Refusal> {
        let kind = match self.status {
            Status::Inspected => ReleaseKind::AfterInspection,
            Status::Held => ReleaseKind::HoldLifted,
            Status::PendingLaboratory => {
                return Err(Refusal::invalid_state(
                    format!("declaration {} is held for laboratory results; it is released when they are satisfactory, or earlier on an accepted commitment (pre-release)", self.id),
                    format!("报关单 {} 待实验室检测结果；检测合格后放行，或受理预提离承诺后先行提离", self.id),
                ))
            }
            _ => return Err(self.wrong_state("release", "放行")),
        };
        if self.arrived_at.is_none() {
            return Err(Refusal::invalid_state(
                format!("the goods of declaration {} have not arrived; they are released on arrival", self.id),
                format!("报关单 {} 的货物尚未运抵，须运抵后放行", self.id),
            ));
        }
        let needs_note = kind == ReleaseKind::HoldLifted || self.result.as_ref().is_some_and(|r| r.outcome == Outcome::NotSatisfactory);
        if needs_note && note.as_deref().is_none_or(|n| n.trim().is_empty()) {
            return Err(Refusal::field(
                "note",
                Rule::ReleaseNoteRequired,
                "releasing held or non-conforming goods needs a note of the official intervention",
                "放行扣留或不合格货物须注明处置情况",
            ));
        }
        let mut notice = self.release_notice(&self.enterprise_name(), kind, now, Some(officer.to_owned()), note);
        notice.permitted_to_enter_only = permitted_to_enter_only;
        Ok(vec![Event::Released { notice }])
    }

    /// 扣留 — by an officer, at any point of the inspection.
    pub fn hold(&self, officer: &str, reason: &str, now: OffsetDateTime) -> Result<Vec<Event>, Refusal> {
        if !matches!(self.status, Status::InspectionNotified | Status::InPosition | Status::Inspected | Status::PendingLaboratory) {
            return Err(self.wrong_state("hold", "扣留"));
        }
        if reason.trim().is_empty() {
            return Err(Refusal::field("reason", Rule::Required, "a hold needs a reason", "扣留须注明原因"));
        }
        Ok(vec![Event::Held {
            declaration_id: self.id.clone(),
            hold: Hold { reason: reason.trim().to_owned(), officer: officer.to_owned(), at: now },
        }])
    }

    /// 完整申报 — step 2 of a two-step declaration: the complete content replaces the summary.
    pub fn complete(&self, content: DeclarationContent, now: OffsetDateTime) -> Result<Vec<Event>, Refusal> {
        if self.content.head.mode != DeclarationMode::TwoStep {
            return Err(Refusal::invalid_state(
                format!("declaration {} is not a two-step summary", self.id),
                format!("报关单 {} 不是两步申报的概要申报", self.id),
            ));
        }
        if self.completed_at.is_some() {
            return Err(Refusal::new(
                RefusalKind::Conflict,
                format!("declaration {} is already complete", self.id),
                format!("报关单 {} 已完成完整申报", self.id),
            ));
        }
        let (a, b) = (&self.content.head, &content.head);
        let mut errors = Vec::new();
        for (path, same) in [
            ("head.ie_flag", a.ie_flag == b.ie_flag),
            ("head.trade_code", a.trade_code == b.trade_code),
            ("head.bill_no", a.bill_no == b.bill_no),
            ("head.mode", b.mode == DeclarationMode::TwoStep),
        ] {
            if !same {
                errors.push(FieldError::new(
                    path,
                    Rule::SummaryMismatch,
                    "must be the same as in the summary declaration",
                    "须与概要申报一致",
                ));
            }
        }
        if !errors.is_empty() {
            return Err(Refusal::validation(errors));
        }
        Ok(vec![Event::DeclarationCompleted { declaration_id: self.id.clone(), content, at: now }])
    }
}
