//! The certificate of origin as a record: its events (journal stream `origin:NUMBER`), the fold,
//! and the procedures of the exporter (apply, amend) and the officer (decide).

use super::{review, Application, Facts, Outcome, PsrTable, Review};
use crate::document::{self, DocumentKind, DocumentSignature};
use crate::error::{Refusal, RefusalKind, Rule};
use crate::party::{Actor, Role};
use crate::signing::KeyPair;
use crate::types::CustomsCode;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

/// 证书状态
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum OriginStatus {
    /// 退回修改 — waits for the exporter's amendment.
    Amend,
    /// 人工审核 — waits for an officer.
    ManualReview,
    /// 核查调查 — waits for an officer's verification.
    Investigate,
    /// 已签发
    Issued,
    /// 不予签证
    Rejected,
}

impl OriginStatus {
    pub const ALL: [OriginStatus; 5] =
        [OriginStatus::Amend, OriginStatus::ManualReview, OriginStatus::Investigate, OriginStatus::Issued, OriginStatus::Rejected];

    pub fn as_str(self) -> &'static str {
        match self {
            OriginStatus::Amend => "amend",
            OriginStatus::ManualReview => "manual-review",
            OriginStatus::Investigate => "investigate",
            OriginStatus::Issued => "issued",
            OriginStatus::Rejected => "rejected",
        }
    }

    pub fn parse(s: &str) -> Option<OriginStatus> {
        OriginStatus::ALL.into_iter().find(|x| x.as_str() == s.trim())
    }

    pub fn name_zh(self) -> &'static str {
        match self {
            OriginStatus::Amend => "退回修改",
            OriginStatus::ManualReview => "人工审核",
            OriginStatus::Investigate => "核查调查",
            OriginStatus::Issued => "已签发",
            OriginStatus::Rejected => "不予签证",
        }
    }

    pub fn name_en(self) -> &'static str {
        match self {
            OriginStatus::Amend => "returned for amendment",
            OriginStatus::ManualReview => "manual review",
            OriginStatus::Investigate => "verification investigation",
            OriginStatus::Issued => "issued",
            OriginStatus::Rejected => "refused",
        }
    }

    fn after(outcome: Outcome) -> OriginStatus {
        match outcome {
            Outcome::Pass => OriginStatus::Issued,
            Outcome::Amend => OriginStatus::Amend,
            Outcome::ManualReview => OriginStatus::ManualReview,
            Outcome::Investigate => OriginStatus::Investigate,
        }
    }

    /// Whether an officer decides next.
    pub fn with_officer(self) -> bool {
        matches!(self, OriginStatus::ManualReview | OriginStatus::Investigate)
    }
}

/// What an officer decides on a referred application.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DecisionAction {
    /// 审核通过 — issue the certificate.
    Approve,
    /// 退回修改 — back to the exporter, with what to correct.
    Return,
    /// 不予签证 — refuse (after verification: the goods do not originate).
    Reject,
}

impl DecisionAction {
    pub const ALL: [DecisionAction; 3] = [DecisionAction::Approve, DecisionAction::Return, DecisionAction::Reject];

    pub fn as_str(self) -> &'static str {
        match self {
            DecisionAction::Approve => "approve",
            DecisionAction::Return => "return",
            DecisionAction::Reject => "reject",
        }
    }

    pub fn parse(s: &str) -> Option<DecisionAction> {
        DecisionAction::ALL.into_iter().find(|x| x.as_str() == s.trim())
    }

    pub fn name_zh(self) -> &'static str {
        match self {
            DecisionAction::Approve => "审核通过",
            DecisionAction::Return => "退回修改",
            DecisionAction::Reject => "不予签证",
        }
    }
}

/// 审核决定 — an officer's decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Decision {
    pub action: DecisionAction,
    /// Why (required to return or reject).
    pub reason: String,
    /// Whether the decision closed a verification investigation.
    pub after_investigation: bool,
    pub officer: String,
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
}

/// 原产地证书 — the certificate (or the application, until issued) as folded from its events.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OriginCertificate {
    /// 证书编号: agreement letter + year + office + seven digits, taken when applied for.
    pub number: String,
    pub exporter: CustomsCode,
    pub exporter_name: String,
    pub application: Application,
    /// The latest review.
    pub review: Review,
    pub status: OriginStatus,
    /// How many times the application was amended.
    #[serde(default)]
    pub amendments: u32,
    #[serde(default)]
    pub decisions: Vec<Decision>,
    pub applied_by: String,
    #[serde(with = "time::serde::rfc3339")]
    pub applied_at: OffsetDateTime,
    #[serde(default, with = "time::serde::rfc3339::option")]
    pub updated_at: Option<OffsetDateTime>,
    #[serde(default, with = "time::serde::rfc3339::option")]
    pub issued_at: Option<OffsetDateTime>,
    /// The issuing office's signature over what the certificate says ([`OriginCertificate::content`]),
    /// made when it was issued.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signature: Option<DocumentSignature>,
}

/// Events of one certificate; journal stream `origin:NUMBER`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum OriginEvent {
    /// 申请 — the application and its review.
    Applied { certificate: Box<OriginCertificate> },
    /// 修改 — the amended application and its new review.
    Amended {
        number: String,
        application: Box<Application>,
        review: Review,
        by: String,
        #[serde(with = "time::serde::rfc3339")]
        at: OffsetDateTime,
    },
    /// 人工审核/核查 — an officer decided.
    Decided { number: String, decision: Decision },
    /// 签名 — the issued certificate signed with the issuing office's key.
    Signed { number: String, signature: DocumentSignature },
}

impl OriginEvent {
    pub fn number(&self) -> &str {
        match self {
            OriginEvent::Applied { certificate } => &certificate.number,
            OriginEvent::Amended { number, .. } | OriginEvent::Decided { number, .. } | OriginEvent::Signed { number, .. } => number,
        }
    }

    pub fn stream(&self) -> String {
        format!("origin:{}", self.number())
    }

    pub fn kind(&self) -> &'static str {
        match self {
            OriginEvent::Applied { .. } => "origin_applied",
            OriginEvent::Amended { .. } => "origin_amended",
            OriginEvent::Decided { .. } => "origin_decided",
            OriginEvent::Signed { .. } => "origin_signed",
        }
    }

    /// Short bilingual description for timelines: (English, Chinese). The outcome, never the
    /// rules that referred an application to an officer.
    pub fn summary(&self) -> (String, String) {
        match self {
            OriginEvent::Applied { certificate: c } => (
                format!(
                    "certificate of origin {} applied for under {}: {}",
                    c.number,
                    c.application.agreement.as_str(),
                    c.review.outcome.name_en()
                ),
                format!("申请原产地证书 {}（{}）：{}", c.number, c.application.agreement.name_zh(), c.review.outcome.name_zh()),
            ),
            OriginEvent::Amended { number, review, .. } => (
                format!("application {number} amended: {}", review.outcome.name_en()),
                format!("原产地证书申请 {number} 已修改：{}", review.outcome.name_zh()),
            ),
            OriginEvent::Decided { number, decision } => (
                format!("officer {} decided {number}: {}", decision.officer, decision.action.as_str()),
                format!("{} 对 {number} 作出决定：{}", decision.officer, decision.action.name_zh()),
            ),
            OriginEvent::Signed { number, signature } => (
                format!("certificate of origin {number} signed with key {}", signature.key_id),
                format!("原产地证书 {number} 已签名，签名密钥 {}", signature.key_id),
            ),
        }
    }
}

impl OriginCertificate {
    pub fn from_events(events: &[OriginEvent]) -> Option<OriginCertificate> {
        let mut it = events.iter();
        let mut c = match it.next()? {
            OriginEvent::Applied { certificate } => (**certificate).clone(),
            _ => return None,
        };
        for e in it {
            c.apply(e);
        }
        Some(c)
    }

    pub fn apply(&mut self, e: &OriginEvent) {
        match e {
            OriginEvent::Applied { certificate } => *self = (**certificate).clone(),
            OriginEvent::Amended { application, review, at, .. } => {
                self.application = (**application).clone();
                self.review = review.clone();
                self.status = OriginStatus::after(review.outcome);
                self.amendments += 1;
                self.updated_at = Some(*at);
                if self.status == OriginStatus::Issued {
                    self.issued_at = Some(*at);
                }
            }
            OriginEvent::Decided { decision, .. } => {
                self.status = match decision.action {
                    DecisionAction::Approve => OriginStatus::Issued,
                    DecisionAction::Return => OriginStatus::Amend,
                    DecisionAction::Reject => OriginStatus::Rejected,
                };
                self.updated_at = Some(decision.at);
                if self.status == OriginStatus::Issued {
                    self.issued_at = Some(decision.at);
                }
                self.decisions.push(decision.clone());
            }
            OriginEvent::Signed { signature, .. } => self.signature = Some(signature.clone()),
        }
    }

    /// What the issued certificate says, as signed: its number, agreement and form, the issuing
    /// office, the exporter and consignee, the importing country, transport, invoice, each goods
    /// line with the origin criterion as printed, and the day of issue. Nothing of the review
    /// beyond the printed criterion.
    pub fn content(&self) -> serde_json::Value {
        let a = &self.application;
        let goods: Vec<serde_json::Value> = a
            .goods
            .iter()
            .enumerate()
            .map(|(i, g)| {
                serde_json::json!({
                    "hs": g.hs,
                    "description": g.description,
                    "quantity": g.quantity.to_string(),
                    "unit": g.unit,
                    "fob_value": g.fob_value.to_string(),
                    "currency": g.currency,
                    "criterion": self.review.lines.get(i).and_then(|l| l.printed.clone()).unwrap_or_else(|| g.criterion.as_str().to_owned()),
                })
            })
            .collect();
        serde_json::json!({
            "agreement": a.agreement.as_str(),
            "form": a.agreement.form().1,
            "form_zh": a.agreement.form().0,
            "office": a.office,
            "exporter": { "code": self.exporter, "name": self.exporter_name },
            "consignee": { "name": a.consignee_name, "address": a.consignee_address },
            "importing_country": a.importing_country,
            "transport": a.transport,
            "invoice": { "number": a.invoice_no, "date": a.invoice_date.to_string() },
            "goods": goods,
            "issued": self.issued_at.map(|t| t.date().to_string()),
        })
    }

    /// 签名 — signs a certificate just issued with `key` (its office's); nothing for one not
    /// issued or already signed.
    pub fn sign(&self, key: &KeyPair) -> Option<OriginEvent> {
        if self.status != OriginStatus::Issued || self.signature.is_some() {
            return None;
        }
        let signature = document::sign(key, DocumentKind::CertificateOfOrigin, &self.number, &self.content());
        Some(OriginEvent::Signed { number: self.number.clone(), signature })
    }

    /// The certificate's content as signed, with its signature (None until signed).
    pub fn signed(&self) -> Option<document::SignedDocument> {
        let s = self.signature.as_ref()?;
        Some(document::SignedDocument {
            kind: DocumentKind::CertificateOfOrigin,
            number: self.number.clone(),
            content: self.content(),
            key_id: s.key_id.clone(),
            signature: s.signature.clone(),
        })
    }

    /// Whether this certificate was refused after a verification investigation (a finding
    /// against its exporter).
    pub fn is_finding(&self) -> bool {
        self.status == OriginStatus::Rejected && self.decisions.last().is_some_and(|d| d.after_investigation)
    }

    /// 修改 — the exporter amends an application returned to it; the review runs again.
    pub fn amend(
        &self,
        app: Application,
        facts: &Facts,
        psr: &PsrTable,
        by: &Actor,
        now: OffsetDateTime,
    ) -> Result<Vec<OriginEvent>, Refusal> {
        exporter_acts(by, &self.exporter)?;
        if self.status != OriginStatus::Amend {
            return Err(Refusal::invalid_state(
                format!("certificate {} is {}: only an application returned for amendment is amended", self.number, self.status.name_en()),
                format!("证书 {} 状态为{}，只有退回修改的申请可以修改", self.number, self.status.name_zh()),
            ));
        }
        if app.agreement != self.application.agreement || app.office != self.application.office {
            return Err(Refusal::field(
                "agreement",
                Rule::OriginAgreementChanged,
                "an amendment keeps the agreement and the issuing office: apply anew for another",
                "修改不能变更协定和签证机构，如需变更请重新申请",
            ));
        }
        let review = review(&app, facts, psr);
        Ok(vec![OriginEvent::Amended { number: self.number.clone(), application: Box::new(app), review, by: by.id.clone(), at: now }])
    }

    /// 人工审核/核查 — an officer decides an application referred to customs.
    pub fn decide(&self, action: DecisionAction, reason: &str, by: &Actor, now: OffsetDateTime) -> Result<Vec<OriginEvent>, Refusal> {
        if !by.is(Role::Officer) {
            return Err(Refusal::forbidden());
        }
        if !self.status.with_officer() {
            return Err(Refusal::invalid_state(
                format!("certificate {} is {}: nothing for an officer to decide", self.number, self.status.name_en()),
                format!("证书 {} 状态为{}，无需海关审核", self.number, self.status.name_zh()),
            ));
        }
        let reason = reason.trim();
        if action != DecisionAction::Approve && reason.is_empty() {
            return Err(Refusal::field(
                "reason",
                Rule::Required,
                "say why the application is returned or refused",
                "请填写退回或不予签证的理由",
            ));
        }
        if reason.chars().count() > super::MAX_TEXT {
            return Err(Refusal::field(
                "reason",
                Rule::TooLong,
                format!("at most {} characters", super::MAX_TEXT),
                format!("最多 {} 个字符", super::MAX_TEXT),
            ));
        }
        let decision = Decision {
            action,
            reason: reason.to_owned(),
            after_investigation: self.status == OriginStatus::Investigate,
            officer: by.id.clone(),
            at: now,
        };
        Ok(vec![OriginEvent::Decided { number: self.number.clone(), decision }])
    }
}

fn exporter_acts(by: &Actor, exporter: &CustomsCode) -> Result<(), Refusal> {
    if by.is(Role::Declarant) && by.enterprise.as_ref() == Some(exporter) {
        Ok(())
    } else {
        Err(Refusal::new(
            RefusalKind::Forbidden,
            format!("only exporter {exporter}'s own declarants apply for and amend its certificates of origin"),
            format!("只有出口企业 {exporter} 本企业的申报人员可以申请和修改其原产地证书"),
        ))
    }
}

/// 申请 — exporter `exporter` applies; the review decides at once. `number` is the number the
/// store reserved.
#[allow(clippy::too_many_arguments)]
pub fn apply(
    number: &str,
    exporter: &CustomsCode,
    exporter_name: &str,
    app: Application,
    facts: &Facts,
    psr: &PsrTable,
    by: &Actor,
    now: OffsetDateTime,
) -> Result<Vec<OriginEvent>, Refusal> {
    exporter_acts(by, exporter)?;
    let review = review(&app, facts, psr);
    let status = OriginStatus::after(review.outcome);
    let certificate = OriginCertificate {
        number: number.to_owned(),
        exporter: exporter.clone(),
        exporter_name: exporter_name.to_owned(),
        application: app,
        review,
        status,
        amendments: 0,
        decisions: Vec::new(),
        applied_by: by.id.clone(),
        applied_at: now,
        updated_at: None,
        issued_at: (status == OriginStatus::Issued).then_some(now),
        signature: None,
    };
    Ok(vec![OriginEvent::Applied { certificate: Box::new(certificate) }])
}

/// 证书编号 — agreement letter, year, office and a seven-digit sequence.
pub fn number(app: &Application, year: i32, seq: i64) -> String {
    format!("{}{year}{}{seq:07}", app.agreement.prefix(), app.office)
}

/// The name of the counter a certificate's sequence comes from.
pub fn counter(app: &Application, year: i32) -> String {
    format!("origin:{}:{year}:{}", app.agreement.prefix(), app.office)
}
