//! Events: the only things the journal holds. Every state change is one of these, appended by the
//! store's single write path together with the views and outbox messages it implies.

use crate::ceb::CebEvent;
use crate::declaration::{Commitment, DeclarationContent, DispositionOrder};
use crate::field::appointment::{AppointmentEvent, Schedule};
use crate::field::evidence::RemoteEvent;
use crate::field::survey::SurveyEvent;
use crate::inspection::{Conclusion, Hold, InspectionNotice, InspectionResult, PositionReport, ReleaseNotice};
use crate::party::{CreditGrade, Enterprise, Role};
use crate::quarantine::lab::SampleEvent;
use crate::quarantine::permit::PermitEvent;
use crate::risk::{Decision, RuleSet};
use crate::types::CustomsCode;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

/// 订阅 — a webhook that receives the notices addressed to one enterprise (or all, for customs systems).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Subscription {
    pub id: String,
    /// Notices addressed to this enterprise; None receives every notice.
    pub enterprise: Option<CustomsCode>,
    pub url: String,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
}

/// Secrets (password hashes, token hashes, webhook signing keys) never enter the journal: it is
/// the record that gets exported and proven, so it carries who and what, never credentials.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Event {
    EnterpriseRegistered {
        enterprise: Enterprise,
    },
    EnterpriseGradeChanged {
        code: CustomsCode,
        grade: CreditGrade,
        reason: String,
    },
    UserCreated {
        username: String,
        role: Role,
        enterprise: Option<CustomsCode>,
    },
    TokenIssued {
        token_id: String,
        role: Role,
        enterprise: Option<CustomsCode>,
        label: Option<String>,
        /// When the token stops working (absent in entries written before tokens expired).
        #[serde(default, skip_serializing_if = "Option::is_none", with = "time::serde::rfc3339::option")]
        expires_at: Option<OffsetDateTime>,
    },
    /// 吊销 — the token stops working at once.
    TokenRevoked {
        token_id: String,
        enterprise: Option<CustomsCode>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        reason: Option<String>,
        #[serde(with = "time::serde::rfc3339")]
        at: OffsetDateTime,
    },
    RuleSetPublished {
        ruleset: RuleSet,
        changed: Vec<String>,
        reason: String,
    },
    SubscriptionCreated {
        subscription: Subscription,
    },
    DeclarationFiled {
        declaration_id: String,
        filed_by: CustomsCode,
        #[serde(with = "time::serde::rfc3339")]
        filed_at: OffsetDateTime,
        content: DeclarationContent,
        terminal: Option<CustomsCode>,
        #[serde(with = "time::serde::rfc3339::option")]
        arrived_at: Option<OffsetDateTime>,
    },
    RiskAssessed {
        declaration_id: String,
        decision: Decision,
    },
    InspectionNoticeIssued {
        notice: InspectionNotice,
    },
    GoodsArrived {
        declaration_id: String,
        #[serde(with = "time::serde::rfc3339")]
        at: OffsetDateTime,
    },
    ContainerInPosition {
        report: PositionReport,
    },
    InspectionResultRecorded {
        declaration_id: String,
        result: InspectionResult,
    },
    Released {
        notice: ReleaseNotice,
    },
    Held {
        declaration_id: String,
        hold: Hold,
    },
    DeclarationCompleted {
        declaration_id: String,
        content: DeclarationContent,
        #[serde(with = "time::serde::rfc3339")]
        at: OffsetDateTime,
    },
    /// 检疫审批 — permits and their write-offs.
    Permit(PermitEvent),
    /// 取样送检 — a laboratory sample's life cycle.
    Sample(SampleEvent),
    /// 田间监测 — field monitoring of an imported seed lot.
    Survey(SurveyEvent),
    /// 预约 — appointments for inspection and clearance.
    Appointment(AppointmentEvent),
    /// 预约时段 — a site's bookable capacity and service hours.
    ScheduleSet {
        schedule: Schedule,
    },
    /// 远程监管 — remote inspection and its evidence.
    Remote(RemoteEvent),
    /// 跨境电商 — cross-border e-commerce orders, payments, waybills, inventories, guarantees.
    Ceb(CebEvent),
    SamplingOrdered {
        declaration_id: String,
        officer: String,
        note: String,
        #[serde(with = "time::serde::rfc3339")]
        at: OffsetDateTime,
    },
    SampleTaken {
        declaration_id: String,
        sample_id: String,
        #[serde(with = "time::serde::rfc3339")]
        at: OffsetDateTime,
    },
    LaboratoryConcluded {
        declaration_id: String,
        sample_id: String,
        conclusion: Conclusion,
        #[serde(with = "time::serde::rfc3339")]
        at: OffsetDateTime,
    },
    CommitmentSubmitted {
        declaration_id: String,
        commitment: Commitment,
    },
    CommitmentAccepted {
        declaration_id: String,
        officer: String,
        #[serde(with = "time::serde::rfc3339")]
        at: OffsetDateTime,
    },
    CommitmentRejected {
        declaration_id: String,
        officer: String,
        reason: String,
        #[serde(with = "time::serde::rfc3339")]
        at: OffsetDateTime,
    },
    DispositionOrdered {
        declaration_id: String,
        order: DispositionOrder,
    },
    DispositionCompleted {
        declaration_id: String,
        officer: String,
        note: String,
        #[serde(with = "time::serde::rfc3339")]
        at: OffsetDateTime,
    },
    DestinationResultRecorded {
        declaration_id: String,
        result: InspectionResult,
    },
    /// 改变通道 — an officer re-routed the declaration to another lane.
    Rerouted {
        declaration_id: String,
        reroute: crate::declaration::Reroute,
    },
    /// 登录安全 — sign-in security events (a user locked out after repeated failures).
    SignIn(crate::signin::SignInEvent),
    /// 委托 — mandates an enterprise gives an agent, and their revocation.
    Mandate(crate::mandate::MandateEvent),
    /// 原产地证书 — certificates of origin: application, review, amendment, decision.
    Origin(crate::origin::OriginEvent),
    /// 植物检疫证书 — phytosanitary certificates issued: application, issue, replacement, withdrawal.
    Phyto(crate::phyto::PhytoEvent),
    /// 进境植物检疫证书 — a phytosanitary certificate received for an import.
    PhytoReceived(crate::phyto::ReceivedEvent),
}

impl Event {
    /// The record (journal stream) this event belongs to.
    pub fn stream(&self) -> String {
        match self {
            Event::EnterpriseRegistered { enterprise } => format!("enterprise:{}", enterprise.code),
            Event::EnterpriseGradeChanged { code, .. } => format!("enterprise:{code}"),
            Event::UserCreated { username, .. } => format!("user:{username}"),
            Event::TokenIssued { token_id, .. } | Event::TokenRevoked { token_id, .. } => format!("token:{token_id}"),
            Event::RuleSetPublished { .. } => "ruleset".into(),
            Event::Permit(e) => e.stream(),
            Event::Sample(e) => e.stream(),
            Event::Survey(e) => e.stream(),
            Event::Appointment(e) => e.stream(),
            Event::ScheduleSet { schedule } => format!("schedule:{}:{}", schedule.site_code, schedule.kind.as_str()),
            Event::Remote(e) => e.stream(),
            Event::Ceb(e) => e.stream(),
            Event::SubscriptionCreated { subscription } => {
                format!("subscription:{}", subscription.id)
            }
            Event::DeclarationFiled { declaration_id, .. }
            | Event::RiskAssessed { declaration_id, .. }
            | Event::GoodsArrived { declaration_id, .. }
            | Event::InspectionResultRecorded { declaration_id, .. }
            | Event::Held { declaration_id, .. }
            | Event::DeclarationCompleted { declaration_id, .. }
            | Event::SamplingOrdered { declaration_id, .. }
            | Event::SampleTaken { declaration_id, .. }
            | Event::LaboratoryConcluded { declaration_id, .. }
            | Event::CommitmentSubmitted { declaration_id, .. }
            | Event::CommitmentAccepted { declaration_id, .. }
            | Event::CommitmentRejected { declaration_id, .. }
            | Event::DispositionOrdered { declaration_id, .. }
            | Event::DispositionCompleted { declaration_id, .. }
            | Event::DestinationResultRecorded { declaration_id, .. }
            | Event::Rerouted { declaration_id, .. } => {
                format!("declaration:{declaration_id}")
            }
            Event::InspectionNoticeIssued { notice } => {
                format!("declaration:{}", notice.declaration_id)
            }
            Event::ContainerInPosition { report } => {
                format!("declaration:{}", report.declaration_id)
            }
            Event::Released { notice } => format!("declaration:{}", notice.declaration_id),
            Event::SignIn(e) => e.stream(),
            Event::Mandate(e) => e.stream(),
            Event::Origin(e) => e.stream(),
            Event::Phyto(e) => e.stream(),
            Event::PhytoReceived(e) => e.stream(),
        }
    }

    /// The event's type name as stored in the journal.
    pub fn kind(&self) -> &'static str {
        match self {
            Event::EnterpriseRegistered { .. } => "enterprise_registered",
            Event::EnterpriseGradeChanged { .. } => "enterprise_grade_changed",
            Event::UserCreated { .. } => "user_created",
            Event::TokenIssued { .. } => "token_issued",
            Event::TokenRevoked { .. } => "token_revoked",
            Event::RuleSetPublished { .. } => "rule_set_published",
            Event::Permit(_) => "permit",
            Event::Sample(e) => e.kind(),
            Event::Survey(_) => "field_survey",
            Event::Appointment(_) => "appointment",
            Event::ScheduleSet { .. } => "schedule_set",
            Event::Remote(_) => "remote_inspection",
            Event::Ceb(e) => e.kind(),
            Event::SubscriptionCreated { .. } => "subscription_created",
            Event::DeclarationFiled { .. } => "declaration_filed",
            Event::RiskAssessed { .. } => "risk_assessed",
            Event::InspectionNoticeIssued { .. } => "inspection_notice_issued",
            Event::GoodsArrived { .. } => "goods_arrived",
            Event::ContainerInPosition { .. } => "container_in_position",
            Event::InspectionResultRecorded { .. } => "inspection_result_recorded",
            Event::Released { .. } => "released",
            Event::Held { .. } => "held",
            Event::DeclarationCompleted { .. } => "declaration_completed",
            Event::SamplingOrdered { .. } => "sampling_ordered",
            Event::SampleTaken { .. } => "sample_taken",
            Event::LaboratoryConcluded { .. } => "laboratory_concluded",
            Event::CommitmentSubmitted { .. } => "commitment_submitted",
            Event::CommitmentAccepted { .. } => "commitment_accepted",
            Event::CommitmentRejected { .. } => "commitment_rejected",
            Event::DispositionOrdered { .. } => "disposition_ordered",
            Event::DispositionCompleted { .. } => "disposition_completed",
            Event::DestinationResultRecorded { .. } => "destination_result_recorded",
            Event::Rerouted { .. } => "rerouted",
            Event::SignIn(e) => e.kind(),
            Event::Mandate(e) => e.kind(),
            Event::Origin(e) => e.kind(),
            Event::Phyto(e) => e.kind(),
            Event::PhytoReceived(e) => e.kind(),
        }
    }

    /// Short bilingual description for timelines.
    pub fn summary(&self) -> (String, String) {
        match self {
            Event::EnterpriseRegistered { enterprise } => {
                (format!("enterprise {} registered", enterprise.code), format!("企业 {} 注册", enterprise.code))
            }
            Event::EnterpriseGradeChanged { code, grade, .. } => {
                (format!("{code} graded {}", grade.as_str()), format!("{code} 信用等级调整为{}", grade.name_zh()))
            }
            Event::UserCreated { username, role, .. } => {
                (format!("user {username} ({}) created", role.as_str()), format!("创建用户 {username}（{}）", role.as_str()))
            }
            Event::TokenIssued { role, .. } => {
                (format!("API token issued for role {}", role.as_str()), format!("签发 {} 角色的接口令牌", role.as_str()))
            }
            Event::TokenRevoked { token_id, reason, .. } => match reason {
                Some(r) => (format!("API token {token_id} revoked: {r}"), format!("接口令牌 {token_id} 已吊销：{r}")),
                None => (format!("API token {token_id} revoked"), format!("接口令牌 {token_id} 已吊销")),
            },
            Event::RuleSetPublished { ruleset, changed, .. } => (
                format!("rule set v{} published ({} criteria changed)", ruleset.version, changed.len()),
                format!("发布规则集第 {} 版（{} 条规则变更）", ruleset.version, changed.len()),
            ),
            Event::SubscriptionCreated { subscription } => {
                (format!("webhook {} subscribed", subscription.url), format!("订阅推送 {}", subscription.url))
            }
            Event::DeclarationFiled { .. } => ("declaration filed and accepted".into(), "申报已接受".into()),
            Event::Ceb(e) => e.summary(),
            // Timelines are shown to traders: the lane, never how many criteria hit.
            Event::RiskAssessed { decision, .. } => (
                format!("risk targeting: {} lane", decision.lane.as_str()),
                format!("风险布控：{}通道", crate::declaration::lane_zh(decision.lane)),
            ),
            Event::InspectionNoticeIssued { notice } => {
                (format!("inspection notice {} issued", notice.record_no), format!("下达查验通知 {}", notice.record_no))
            }
            Event::GoodsArrived { .. } => ("goods arrived".into(), "货物运抵".into()),
            Event::ContainerInPosition { report } => (
                format!("container {} in position at {} slot {}", report.container_no, report.site_name, report.slot_code),
                format!("集装箱 {} 已到位：{} 箱位 {}", report.container_no, report.site_name, report.slot_code),
            ),
            Event::InspectionResultRecorded { result, .. } => match result.outcome {
                crate::inspection::Outcome::Satisfactory => ("inspection result: satisfactory".into(), "查验结果：合格".into()),
                crate::inspection::Outcome::NotSatisfactory => ("inspection result: not satisfactory".into(), "查验结果：不合格".into()),
            },
            Event::Released { .. } => ("goods released".into(), "货物放行".into()),
            Event::Held { hold, .. } => (format!("goods held: {}", hold.reason), format!("货物扣留：{}", hold.reason)),
            Event::DeclarationCompleted { .. } => ("complete declaration filed (two-step)".into(), "完成两步申报的完整申报".into()),
            Event::Permit(e) => match e {
                PermitEvent::Issued { permit } => (
                    format!("quarantine permit {} issued to {}", permit.id, permit.holder),
                    format!("签发检疫许可证 {}（{}）", permit.id, permit.holder),
                ),
                PermitEvent::WrittenOff { permit_id, declaration_id, quantity, .. } => (
                    format!("{quantity} written off permit {permit_id} by declaration {declaration_id}"),
                    format!("报关单 {declaration_id} 核销许可证 {permit_id} 数量 {quantity}"),
                ),
                PermitEvent::Revoked { permit_id, reason, .. } => {
                    (format!("permit {permit_id} revoked: {reason}"), format!("许可证 {permit_id} 已撤销：{reason}"))
                }
            },
            Event::Sample(e) => e.summary(),
            Event::Survey(e) => e.summary(),
            Event::Appointment(e) => match e {
                AppointmentEvent::Booked { appointment } => (
                    format!("{} appointment booked at {} for {}", appointment.kind.as_str(), appointment.site_code, appointment.start),
                    format!("预约{}：{} {}", appointment.kind.name_zh(), appointment.site_code, appointment.start),
                ),
                AppointmentEvent::Cancelled { appointment_id, reason, .. } => {
                    (format!("appointment {appointment_id} cancelled: {reason}"), format!("预约 {appointment_id} 已取消：{reason}"))
                }
                AppointmentEvent::Completed { appointment_id, .. } => {
                    (format!("appointment {appointment_id} done"), format!("预约 {appointment_id} 已办结"))
                }
            },
            Event::ScheduleSet { schedule } => (
                format!(
                    "{} slots at {}: {} an hour, {}",
                    schedule.kind.as_str(),
                    schedule.site_code,
                    schedule.capacity_per_hour,
                    schedule.hours.as_str()
                ),
                format!(
                    "{} {} 预约时段：每小时 {} 个，{}",
                    schedule.site_code,
                    schedule.kind.name_zh(),
                    schedule.capacity_per_hour,
                    schedule.hours.name_zh()
                ),
            ),
            Event::Remote(e) => e.summary(),
            Event::SamplingOrdered { note, .. } => (format!("sampling ordered: {note}"), format!("下达取样指令：{note}")),
            Event::SampleTaken { sample_id, .. } => {
                (format!("sample {sample_id} taken, sealed and sent to the laboratory"), format!("样品 {sample_id} 已取样、封样并送检"))
            }
            Event::LaboratoryConcluded { sample_id, conclusion, .. } => (
                format!("laboratory result of {sample_id}: {}", conclusion.as_str()),
                format!("样品 {sample_id} 检测结论：{}", conclusion.name_zh()),
            ),
            Event::CommitmentSubmitted { commitment, .. } => {
                (format!("pre-release commitment signed by {}", commitment.signed_by), format!("{} 签署预提离承诺书", commitment.signed_by))
            }
            Event::CommitmentAccepted { .. } => {
                ("commitment accepted; pre-released pending laboratory".into(), "受理预提离承诺，先行提离".into())
            }
            Event::CommitmentRejected { reason, .. } => (format!("commitment refused: {reason}"), format!("预提离承诺不予受理：{reason}")),
            Event::DispositionOrdered { order, .. } => (
                format!("disposition ordered: {} by {}", order.kind.as_str(), order.deadline),
                format!("下达处置通知：{}，期限 {}", order.kind.name_zh(), order.deadline),
            ),
            Event::DispositionCompleted { .. } => ("disposition carried out".into(), "处置完毕".into()),
            Event::DestinationResultRecorded { result, .. } => match result.outcome {
                crate::inspection::Outcome::Satisfactory => {
                    ("destination inspection satisfactory: qualified to be marketed".into(), "目的地检验合格，准予入市".into())
                }
                crate::inspection::Outcome::NotSatisfactory => {
                    ("destination inspection not satisfactory".into(), "目的地检验不合格".into())
                }
            },
            Event::Rerouted { reroute, .. } => (
                format!(
                    "re-routed from the {} to the {} lane by {}: {}",
                    reroute.from.as_str(),
                    reroute.to.as_str(),
                    reroute.officer,
                    reroute.reason
                ),
                format!(
                    "{} 改变通道：{}→{}，原因：{}",
                    reroute.officer,
                    crate::declaration::lane_zh(reroute.from),
                    crate::declaration::lane_zh(reroute.to),
                    reroute.reason
                ),
            ),
            Event::SignIn(e) => e.summary(),
            Event::Mandate(e) => e.summary(),
            Event::Origin(e) => e.summary(),
            Event::Phyto(e) => e.summary(),
            Event::PhytoReceived(e) => e.summary(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::quarantine::permit::{issue, PermitDraft};

    /// Module events nest their own `event` tag inside the journal's `type` tag and read back whole.
    #[test]
    fn wrapped_module_events_round_trip_through_json() {
        let draft: PermitDraft = serde_json::from_value(serde_json::json!({
            "id": "P2026-0001", "holder": "6201960001", "hs_prefixes": ["1209"], "botanical_name": "Cucurbita moschata",
            "origin_countries": ["NLD"], "quantity": "500", "unit": "035", "valid_from": "2026-01-01", "valid_to": "2026-12-31"
        }))
        .unwrap();
        let now = time::macros::datetime!(2026-01-05 08:00 UTC);
        let events = issue(&draft, now).expect("valid permit");
        let e = Event::Permit(events[0].clone());
        let json = serde_json::to_value(&e).unwrap();
        assert_eq!(json["type"], "permit");
        assert_eq!(json["event"], "issued");
        assert_eq!(e.stream(), "permit:P2026-0001");
        let back: Event = serde_json::from_value(json).unwrap();
        assert_eq!(back, e);
    }
}
