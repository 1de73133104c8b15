//! The declaration's inspection-and-quarantine steps (seed 000, DOMAIN §2.7–2.9):
//!
//! ```text
//! inspected, sample pending ─► pending-laboratory ─┬─ commitment accepted ─► pre-released ─┐
//!                                                  └─ laboratory result ───────────────────┤
//!   satisfactory: pending-laboratory → inspected (officer releases); pre-released → released
//!   not satisfactory: → disposition-required ─ order ─► under-disposition ─ done ─► disposed
//! released as "permitted to enter" ─► permitted-to-enter ─ destination result ─► qualified-for-market
//!                                                                           └─► disposition-required
//! ```

use super::record::{Declaration, Status};
use crate::error::{FieldError, Refusal, RefusalKind, Rule};
use crate::event::Event;
use crate::inspection::{Conclusion, InspectionResult, Outcome, ReleaseKind};
use crate::types::CustomsCode;
use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};

/// 绿色通道 — why a declaration asks for priority handling.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum PriorityKind {
    /// 鲜活易腐 — perishables.
    Perishable,
    /// 活体动物 — live animals.
    LiveAnimals,
    /// 农时种子 — seeds needed for the sowing season.
    SeedsInSeason,
    /// 其他紧急情况 — another urgent reason, stated.
    Other,
}

impl PriorityKind {
    pub fn parse(s: &str) -> Option<Self> {
        match s.trim() {
            "perishable" => Some(PriorityKind::Perishable),
            "live-animals" => Some(PriorityKind::LiveAnimals),
            "seeds-in-season" => Some(PriorityKind::SeedsInSeason),
            "other" => Some(PriorityKind::Other),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            PriorityKind::Perishable => "perishable",
            PriorityKind::LiveAnimals => "live-animals",
            PriorityKind::SeedsInSeason => "seeds-in-season",
            PriorityKind::Other => "other",
        }
    }
}

/// A request for priority handling, shown in the officer's queue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Priority {
    pub kind: PriorityKind,
    pub reason: String,
}

/// Why samples must be taken.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "by", rename_all = "kebab-case")]
pub enum SamplingSource {
    /// The criteria whose laboratory flag selected the declaration.
    Targeting { criteria: Vec<String> },
    /// An officer's order.
    Officer { officer: String, note: String },
}

/// 取样送检 — the declaration's sampling requirement and where it stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sampling {
    pub source: SamplingSource,
    /// The sample taken for it (the latest, when a not-interpretable result forced a second one).
    pub sample_id: Option<String>,
    pub conclusion: Option<Conclusion>,
    #[serde(with = "time::serde::rfc3339::option", default)]
    pub concluded_at: Option<OffsetDateTime>,
}

impl Sampling {
    /// Waiting for a sample or for its published result.
    pub fn pending(&self) -> bool {
        !matches!(self.conclusion, Some(Conclusion::Satisfactory) | Some(Conclusion::NotSatisfactory))
    }
}

/// The promise every commitment letter carries, in both languages.
pub const COMMITMENT_PROMISE_ZH: &str = "本单位承诺：在海关检测结果出具并准予放行前，对上述货物妥善存放于所列地点，不播种、不销售、不调运；如检测不合格，无条件按海关要求召回、处理、退运或销毁，并承担全部费用。";
pub const COMMITMENT_PROMISE_EN: &str = "We undertake to keep the goods at the address given and not to sow, sell or move them until customs has published the laboratory result and cleared them; if the result is not satisfactory we will recall, treat, return or destroy them as customs orders, at our cost.";

/// 预提离承诺书 — the consignee's signed commitment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Commitment {
    /// The person who signs for the consignee.
    pub signed_by: String,
    /// Where the goods will be kept until cleared.
    pub storage_address: String,
    pub contact_phone: String,
    pub promise_zh: String,
    pub promise_en: String,
    pub submitted_by: CustomsCode,
    #[serde(with = "time::serde::rfc3339")]
    pub submitted_at: OffsetDateTime,
    pub accepted_by: Option<String>,
    #[serde(with = "time::serde::rfc3339::option", default)]
    pub accepted_at: Option<OffsetDateTime>,
}

/// 处置方式
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DispositionKind {
    /// 召回
    Recall,
    /// 除害处理 (e.g. fumigation)
    Treatment,
    /// 退运
    Return,
    /// 销毁
    Destruction,
}

impl DispositionKind {
    pub fn parse(s: &str) -> Option<Self> {
        match s.trim() {
            "recall" => Some(DispositionKind::Recall),
            "treatment" => Some(DispositionKind::Treatment),
            "return" => Some(DispositionKind::Return),
            "destruction" => Some(DispositionKind::Destruction),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            DispositionKind::Recall => "recall",
            DispositionKind::Treatment => "treatment",
            DispositionKind::Return => "return",
            DispositionKind::Destruction => "destruction",
        }
    }

    pub fn name_zh(self) -> &'static str {
        match self {
            DispositionKind::Recall => "召回",
            DispositionKind::Treatment => "除害处理",
            DispositionKind::Return => "退运",
            DispositionKind::Destruction => "销毁",
        }
    }
}

/// 处置通知书 — disposition order, tracked until an officer records it done.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DispositionOrder {
    pub kind: DispositionKind,
    pub instructions: String,
    pub deadline: Date,
    pub issued_by: String,
    #[serde(with = "time::serde::rfc3339")]
    pub issued_at: OffsetDateTime,
    pub done_by: Option<String>,
    pub done_note: Option<String>,
    #[serde(with = "time::serde::rfc3339::option", default)]
    pub done_at: Option<OffsetDateTime>,
}

impl DispositionOrder {
    pub fn overdue(&self, today: Date) -> bool {
        self.done_at.is_none() && today > self.deadline
    }
}

fn required(errors: &mut Vec<FieldError>, path: &str, v: &str, max: usize) -> String {
    let t = v.trim();
    if t.is_empty() {
        errors.push(FieldError::new(path, Rule::Required, "this field is required", "此字段为必填项"));
    } else if t.chars().count() > max {
        errors.push(FieldError::new(path, Rule::TooLong, format!("at most {max} characters"), format!("最多 {max} 个字符")));
    }
    t.to_owned()
}

fn done(errors: Vec<FieldError>) -> Result<(), Refusal> {
    if errors.is_empty() {
        Ok(())
    } else {
        Err(Refusal::validation(errors))
    }
}

impl Declaration {
    fn refuse_state(&self, en: &str, zh: &str) -> Refusal {
        Refusal::invalid_state(
            format!("declaration {} is {}; cannot {en}", self.id, self.status.as_str()),
            format!("报关单 {} 当前状态为{}，不能{zh}", self.id, self.status.name_zh()),
        )
    }

    /// 布控取样 / 关员下达取样 — an officer orders sampling of goods still under inspection.
    pub fn order_sampling(&self, officer: &str, note: &str, now: OffsetDateTime) -> Result<Vec<Event>, Refusal> {
        if !matches!(self.status, Status::InspectionNotified | Status::InPosition | Status::Inspected) {
            return Err(self.refuse_state("order sampling", "下达取样指令"));
        }
        if self.sampling.as_ref().is_some_and(|s| s.pending()) {
            return Err(Refusal::new(RefusalKind::Conflict, "sampling is already ordered for this declaration", "该报关单已下达取样指令"));
        }
        let mut errors = Vec::new();
        let note = required(&mut errors, "note", note, 500);
        done(errors)?;
        Ok(vec![Event::SamplingOrdered { declaration_id: self.id.clone(), officer: officer.to_owned(), note, at: now }])
    }

    /// Whether a sample may be taken now; the store then opens the laboratory record.
    pub fn take_sample(&self, sample_id: &str, now: OffsetDateTime) -> Result<Vec<Event>, Refusal> {
        let Some(s) = &self.sampling else {
            return Err(Refusal::invalid_state(
                format!("no sampling is ordered for declaration {}", self.id),
                format!("报关单 {} 未下达取样指令", self.id),
            ));
        };
        let awaiting_sample = s.sample_id.is_none() || s.conclusion == Some(Conclusion::NotInterpretable);
        if !awaiting_sample
            || !matches!(
                self.status,
                Status::InspectionNotified | Status::InPosition | Status::Inspected | Status::PendingLaboratory | Status::PreReleased
            )
        {
            return Err(self.refuse_state("take a sample", "取样"));
        }
        Ok(vec![Event::SampleTaken { declaration_id: self.id.clone(), sample_id: sample_id.to_owned(), at: now }])
    }

    /// The laboratory published (or a retraction withdrew) the result of this declaration's sample.
    pub fn laboratory_concluded(&self, sample_id: &str, conclusion: Conclusion, now: OffsetDateTime) -> Result<Vec<Event>, Refusal> {
        match &self.sampling {
            Some(s) if s.sample_id.as_deref() == Some(sample_id) => {}
            _ => {
                return Err(Refusal::invalid_state(
                    format!("sample {sample_id} is not this declaration's current sample"),
                    format!("样品 {sample_id} 不是该报关单当前的样品"),
                ))
            }
        }
        Ok(vec![Event::LaboratoryConcluded { declaration_id: self.id.clone(), sample_id: sample_id.to_owned(), conclusion, at: now }])
    }

    /// 提交预提离承诺书 — by a trader named on the declaration, for goods held only for laboratory results.
    pub fn submit_commitment(
        &self,
        by: &CustomsCode,
        signed_by: &str,
        storage_address: &str,
        contact_phone: &str,
        promise_accepted: bool,
        now: OffsetDateTime,
    ) -> Result<Vec<Event>, Refusal> {
        if &self.filed_by != by && !self.content.parties().contains(&by) {
            return Err(Refusal::not_found("declaration", "报关单"));
        }
        if self.status != Status::PendingLaboratory {
            return Err(self.refuse_state(
                "accept a commitment: only goods held for laboratory results may be pre-released",
                "提交预提离承诺：仅待检测结果的货物可申请预提离",
            ));
        }
        if self.commitment.is_some() {
            return Err(Refusal::new(RefusalKind::Conflict, "a commitment is already submitted", "已提交预提离承诺书"));
        }
        let mut errors = Vec::new();
        let signed_by = required(&mut errors, "signed_by", signed_by, 50);
        let storage_address = required(&mut errors, "storage_address", storage_address, 200);
        let contact_phone = required(&mut errors, "contact_phone", contact_phone, 30);
        if !promise_accepted {
            errors.push(FieldError::new(
                "promise_accepted",
                Rule::PromiseRequired,
                "the commitment must accept the promise not to sow, sell or move the goods",
                "须承诺在检测合格前不播种、不销售、不调运",
            ));
        }
        done(errors)?;
        Ok(vec![Event::CommitmentSubmitted {
            declaration_id: self.id.clone(),
            commitment: Commitment {
                signed_by,
                storage_address,
                contact_phone,
                promise_zh: COMMITMENT_PROMISE_ZH.into(),
                promise_en: COMMITMENT_PROMISE_EN.into(),
                submitted_by: by.clone(),
                submitted_at: now,
                accepted_by: None,
                accepted_at: None,
            },
        }])
    }

    /// 受理承诺，预提离放行 — the officer accepts and the goods leave as "pending laboratory".
    pub fn accept_commitment(&self, officer: &str, now: OffsetDateTime) -> Result<Vec<Event>, Refusal> {
        match (&self.commitment, self.status) {
            (Some(c), Status::PendingLaboratory) if c.accepted_at.is_none() => {}
            _ => return Err(self.refuse_state("accept a commitment", "受理预提离承诺")),
        }
        let mut notice = self.release_notice(
            &self.enterprise_name(),
            ReleaseKind::PreReleaseOnCommitment,
            now,
            Some(officer.to_owned()),
            Some("预提离：待实验室检测结果 / pre-released pending laboratory results".into()),
        );
        notice.permitted_to_enter_only = false;
        Ok(vec![
            Event::CommitmentAccepted { declaration_id: self.id.clone(), officer: officer.to_owned(), at: now },
            Event::Released { notice },
        ])
    }

    /// 不予受理 — the officer refuses the commitment; the consignee may submit another.
    pub fn reject_commitment(&self, officer: &str, reason: &str, now: OffsetDateTime) -> Result<Vec<Event>, Refusal> {
        match (&self.commitment, self.status) {
            (Some(c), Status::PendingLaboratory) if c.accepted_at.is_none() => {}
            _ => return Err(self.refuse_state("refuse a commitment", "退回预提离承诺")),
        }
        let mut errors = Vec::new();
        let reason = required(&mut errors, "reason", reason, 500);
        done(errors)?;
        Ok(vec![Event::CommitmentRejected { declaration_id: self.id.clone(), officer: officer.to_owned(), reason, at: now }])
    }

    /// 下达处置通知 — after a not-satisfactory laboratory or destination result.
    pub fn order_disposition(
        &self,
        officer: &str,
        kind: DispositionKind,
        instructions: &str,
        deadline: Date,
        today: Date,
        now: OffsetDateTime,
    ) -> Result<Vec<Event>, Refusal> {
        if !matches!(self.status, Status::DispositionRequired | Status::Held) {
            return Err(self.refuse_state("order a disposition", "下达处置通知"));
        }
        let mut errors = Vec::new();
        let instructions = required(&mut errors, "instructions", instructions, 1000);
        if deadline < today {
            errors.push(FieldError::new("deadline", Rule::DeadlinePast, "the deadline is in the past", "处置期限早于今日"));
        }
        done(errors)?;
        Ok(vec![Event::DispositionOrdered {
            declaration_id: self.id.clone(),
            order: DispositionOrder {
                kind,
                instructions,
                deadline,
                issued_by: officer.to_owned(),
                issued_at: now,
                done_by: None,
                done_note: None,
                done_at: None,
            },
        }])
    }

    /// 处置完毕 — the officer records the order carried out.
    pub fn complete_disposition(&self, officer: &str, note: &str, now: OffsetDateTime) -> Result<Vec<Event>, Refusal> {
        if self.status != Status::UnderDisposition {
            return Err(self.refuse_state("record a disposition done", "登记处置完毕"));
        }
        let mut errors = Vec::new();
        let note = required(&mut errors, "note", note, 1000);
        done(errors)?;
        Ok(vec![Event::DispositionCompleted { declaration_id: self.id.clone(), officer: officer.to_owned(), note, at: now }])
    }

    /// 目的地检验 — second stage of two-stage access.
    pub fn record_destination_result(&self, result: InspectionResult) -> Result<Vec<Event>, Refusal> {
        if self.status != Status::PermittedToEnter {
            return Err(self.refuse_state("record a destination inspection", "录入目的地检验结果"));
        }
        if result.outcome == Outcome::NotSatisfactory && result.findings.iter().all(|f| f.trim().is_empty()) {
            return Err(Refusal::field(
                "findings",
                Rule::FindingsRequired,
                "a result that is not satisfactory must list the findings",
                "检验结果不合格时必须填写发现",
            ));
        }
        Ok(vec![Event::DestinationResultRecorded { declaration_id: self.id.clone(), result }])
    }

    /// Goods under inspection-and-quarantine supervision: animals, plants and their products
    /// (HS chapters 01–14) or anything a criterion sent for a quarantine check.
    pub fn quarantine_goods(&self) -> bool {
        self.decision.check_types.contains(&crate::risk::CheckType::Quarantine)
            || self.content.items.iter().any(|i| i.code_ts.as_str()[..2].parse::<u8>().is_ok_and(|ch| (1..=14).contains(&ch)))
    }

    /// Whether the open disposition order is past its deadline.
    pub fn disposition_overdue(&self, today: Date) -> bool {
        self.disposition.as_ref().is_some_and(|d| d.overdue(today))
    }

    /// Applies the quarantine events; returns false for events it does not handle.
    pub(super) fn apply_quarantine(&mut self, e: &Event) -> bool {
        match e {
            Event::SamplingOrdered { officer, note, .. } => {
                self.sampling = Some(Sampling {
                    source: SamplingSource::Officer { officer: officer.clone(), note: note.clone() },
                    sample_id: None,
                    conclusion: None,
                    concluded_at: None,
                });
            }
            Event::SampleTaken { sample_id, .. } => {
                if let Some(s) = &mut self.sampling {
                    s.sample_id = Some(sample_id.clone());
                    s.conclusion = None;
                    s.concluded_at = None;
                }
            }
            Event::LaboratoryConcluded { conclusion, at, .. } => {
                if let Some(s) = &mut self.sampling {
                    s.conclusion = Some(*conclusion);
                    s.concluded_at = Some(*at);
                }
                match (conclusion, self.status) {
                    (Conclusion::Satisfactory, Status::PendingLaboratory) => self.status = Status::Inspected,
                    (Conclusion::Satisfactory, Status::PreReleased) => self.status = Status::Released,
                    (
                        Conclusion::NotSatisfactory,
                        Status::PendingLaboratory
                        | Status::PreReleased
                        | Status::Inspected
                        | Status::InPosition
                        | Status::InspectionNotified,
                    ) => self.status = Status::DispositionRequired,
                    _ => {}
                }
            }
            Event::CommitmentSubmitted { commitment, .. } => self.commitment = Some(commitment.clone()),
            Event::CommitmentAccepted { officer, at, .. } => {
                if let Some(c) = &mut self.commitment {
                    c.accepted_by = Some(officer.clone());
                    c.accepted_at = Some(*at);
                }
            }
            Event::CommitmentRejected { .. } => self.commitment = None,
            Event::DispositionOrdered { order, .. } => {
                self.status = Status::UnderDisposition;
                self.disposition = Some(order.clone());
            }
            Event::DispositionCompleted { officer, note, at, .. } => {
                self.status = Status::Disposed;
                if let Some(d) = &mut self.disposition {
                    d.done_by = Some(officer.clone());
                    d.done_note = Some(note.clone());
                    d.done_at = Some(*at);
                }
            }
            Event::DestinationResultRecorded { result, .. } => {
                self.status =
                    if result.outcome == Outcome::Satisfactory { Status::QualifiedForMarket } else { Status::DispositionRequired };
                self.destination_result = Some(result.clone());
            }
            _ => return false,
        }
        true
    }
}
