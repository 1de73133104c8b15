//! The phytosanitary certificate Guomen issues, as a record: its events (journal stream
//! `phyto:NUMBER`), the fold, and the procedures of the exporter (apply) and the officer (issue,
//! refuse, replace, withdraw).

use super::compose::{check_original, compose, Facts};
use super::{Application, PhytoDocument};
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
pub enum PhytoStatus {
    /// 已申请 — waits for an officer.
    Applied,
    /// 已签发 — in force.
    Issued,
    /// 不予签发
    Refused,
    /// 已替换 — another certificate took its place.
    Replaced,
    /// 已撤销
    Withdrawn,
}

impl PhytoStatus {
    pub const ALL: [PhytoStatus; 5] =
        [PhytoStatus::Applied, PhytoStatus::Issued, PhytoStatus::Refused, PhytoStatus::Replaced, PhytoStatus::Withdrawn];

    pub fn as_str(self) -> &'static str {
        match self {
            PhytoStatus::Applied => "applied",
            PhytoStatus::Issued => "issued",
            PhytoStatus::Refused => "refused",
            PhytoStatus::Replaced => "replaced",
            PhytoStatus::Withdrawn => "withdrawn",
        }
    }

    pub fn parse(s: &str) -> Option<PhytoStatus> {
        PhytoStatus::ALL.into_iter().find(|x| x.as_str() == s.trim())
    }

    pub fn name_zh(self) -> &'static str {
        match self {
            PhytoStatus::Applied => "待签发",
            PhytoStatus::Issued => "已签发",
            PhytoStatus::Refused => "不予签发",
            PhytoStatus::Replaced => "已替换",
            PhytoStatus::Withdrawn => "已撤销",
        }
    }

    pub fn name_en(self) -> &'static str {
        match self {
            PhytoStatus::Applied => "applied for",
            PhytoStatus::Issued => "issued",
            PhytoStatus::Refused => "refused",
            PhytoStatus::Replaced => "replaced",
            PhytoStatus::Withdrawn => "withdrawn",
        }
    }
}

/// An officer's step that ended a certificate or an application: why, who, when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Closing {
    pub reason: String,
    pub by: String,
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
}

/// 植物检疫证书 — the application and, once issued, the certificate with its signature.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PhytoCertificate {
    /// 证书编号: `P` + year + office + seven digits, taken when applied for.
    pub number: String,
    pub exporter: CustomsCode,
    pub exporter_name: String,
    pub application: Application,
    pub status: PhytoStatus,
    /// What the certificate says (the signed content), once issued.
    #[serde(default)]
    pub document: Option<PhytoDocument>,
    #[serde(default)]
    pub signature: Option<DocumentSignature>,
    /// The certificate this one replaces.
    #[serde(default)]
    pub replaces: Option<String>,
    /// The certificate that replaced this one.
    #[serde(default)]
    pub replaced_by: Option<String>,
    /// Why it was refused, replaced or withdrawn.
    #[serde(default)]
    pub closing: Option<Closing>,
    pub applied_by: String,
    #[serde(with = "time::serde::rfc3339")]
    pub applied_at: OffsetDateTime,
    #[serde(default)]
    pub issued_by: Option<String>,
    #[serde(default, with = "time::serde::rfc3339::option")]
    pub issued_at: Option<OffsetDateTime>,
    #[serde(default, with = "time::serde::rfc3339::option")]
    pub updated_at: Option<OffsetDateTime>,
}

/// Events of one certificate; journal stream `phyto:NUMBER`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum PhytoEvent {
    /// 申请 — the exporter applied (or an officer replaced a certificate: the replacement's
    /// application, naming the one it replaces).
    Applied { certificate: Box<PhytoCertificate> },
    /// 签发 — issued: the document and its signature.
    Issued {
        number: String,
        document: Box<PhytoDocument>,
        signature: DocumentSignature,
        by: String,
        #[serde(with = "time::serde::rfc3339")]
        at: OffsetDateTime,
    },
    /// 不予签发
    Refused { number: String, closing: Closing },
    /// 替换 — another certificate, `by_number`, took its place.
    Replaced { number: String, by_number: String, closing: Closing },
    /// 撤销
    Withdrawn { number: String, closing: Closing },
}

impl PhytoEvent {
    pub fn number(&self) -> &str {
        match self {
            PhytoEvent::Applied { certificate } => &certificate.number,
            PhytoEvent::Issued { number, .. }
            | PhytoEvent::Refused { number, .. }
            | PhytoEvent::Replaced { number, .. }
            | PhytoEvent::Withdrawn { number, .. } => number,
        }
    }

    pub fn stream(&self) -> String {
        format!("phyto:{}", self.number())
    }

    pub fn kind(&self) -> &'static str {
        match self {
            PhytoEvent::Applied { .. } => "phyto_applied",
            PhytoEvent::Issued { .. } => "phyto_issued",
            PhytoEvent::Refused { .. } => "phyto_refused",
            PhytoEvent::Replaced { .. } => "phyto_replaced",
            PhytoEvent::Withdrawn { .. } => "phyto_withdrawn",
        }
    }

    /// Short bilingual description for timelines: (English, Chinese).
    pub fn summary(&self) -> (String, String) {
        match self {
            PhytoEvent::Applied { certificate: c } => match &c.replaces {
                Some(old) => {
                    (format!("phytosanitary certificate {} replaces {old}", c.number), format!("植物检疫证书 {} 替换 {old}", c.number))
                }
                None => (
                    format!("{} {} applied for", c.application.kind.name_en(), c.number),
                    format!("申请{} {}", c.application.kind.name_zh(), c.number),
                ),
            },
            PhytoEvent::Issued { number, signature, .. } => (
                format!("phytosanitary certificate {number} issued, signed with key {}", signature.key_id),
                format!("植物检疫证书 {number} 已签发，签名密钥 {}", signature.key_id),
            ),
            PhytoEvent::Refused { number, closing } => {
                (format!("certificate {number} refused: {}", closing.reason), format!("证书 {number} 不予签发：{}", closing.reason))
            }
            PhytoEvent::Replaced { number, by_number, closing } => (
                format!("certificate {number} replaced by {by_number}: {}", closing.reason),
                format!("证书 {number} 已由 {by_number} 替换：{}", closing.reason),
            ),
            PhytoEvent::Withdrawn { number, closing } => {
                (format!("certificate {number} withdrawn: {}", closing.reason), format!("证书 {number} 已撤销：{}", closing.reason))
            }
        }
    }
}

impl PhytoCertificate {
    pub fn from_events(events: &[PhytoEvent]) -> Option<PhytoCertificate> {
        let mut it = events.iter();
        let mut c = match it.next()? {
            PhytoEvent::Applied { certificate } => (**certificate).clone(),
            _ => return None,
        };
        for e in it {
            c.apply(e);
        }
        Some(c)
    }

    pub fn apply(&mut self, e: &PhytoEvent) {
        match e {
            PhytoEvent::Applied { certificate } => *self = (**certificate).clone(),
            PhytoEvent::Issued { document, signature, by, at, .. } => {
                self.status = PhytoStatus::Issued;
                self.document = Some((**document).clone());
                self.signature = Some(signature.clone());
                self.issued_by = Some(by.clone());
                self.issued_at = Some(*at);
                self.updated_at = Some(*at);
            }
            PhytoEvent::Refused { closing, .. } => {
                self.status = PhytoStatus::Refused;
                self.updated_at = Some(closing.at);
                self.closing = Some(closing.clone());
            }
            PhytoEvent::Replaced { by_number, closing, .. } => {
                self.status = PhytoStatus::Replaced;
                self.replaced_by = Some(by_number.clone());
                self.updated_at = Some(closing.at);
                self.closing = Some(closing.clone());
            }
            PhytoEvent::Withdrawn { closing, .. } => {
                self.status = PhytoStatus::Withdrawn;
                self.updated_at = Some(closing.at);
                self.closing = Some(closing.clone());
            }
        }
    }

    /// The certificate's content as signed, with its signature (None until issued).
    pub fn signed(&self) -> Option<document::SignedDocument> {
        let (d, s) = (self.document.as_ref()?, self.signature.as_ref()?);
        Some(document::SignedDocument {
            kind: DocumentKind::PhytosanitaryCertificate,
            number: self.number.clone(),
            content: d.content(),
            key_id: s.key_id.clone(),
            signature: s.signature.clone(),
        })
    }

    /// 签发 — an officer issues the certificate applied for: composed from the application and
    /// what Guomen holds (`facts`, whose number must be this one's), signed with `key` (the
    /// issuing office's).
    pub fn issue(&self, facts: &Facts<'_>, key: &KeyPair, by: &Actor) -> Result<Vec<PhytoEvent>, Refusal> {
        officer(by)?;
        if self.status != PhytoStatus::Applied {
            return Err(Refusal::invalid_state(
                format!("certificate {} is {}: only an application is issued", self.number, self.status.name_en()),
                format!("证书 {} 状态为{}，只有待签发的申请可以签发", self.number, self.status.name_zh()),
            ));
        }
        check_original(&self.application, facts.original)?;
        let doc = compose(&self.application, facts)?;
        let signature = document::sign(key, DocumentKind::PhytosanitaryCertificate, &self.number, &doc.content());
        Ok(vec![PhytoEvent::Issued { number: self.number.clone(), document: Box::new(doc), signature, by: by.id.clone(), at: facts.now }])
    }

    /// 不予签发 — an officer refuses the application, saying why.
    pub fn refuse(&self, reason: &str, by: &Actor, now: OffsetDateTime) -> Result<Vec<PhytoEvent>, Refusal> {
        officer(by)?;
        if self.status != PhytoStatus::Applied {
            return Err(self.not_now("refused", "不予签发"));
        }
        Ok(vec![PhytoEvent::Refused { number: self.number.clone(), closing: closing(reason, by, now)? }])
    }

    /// 撤销 — an officer withdraws a certificate in force, saying why.
    pub fn withdraw(&self, reason: &str, by: &Actor, now: OffsetDateTime) -> Result<Vec<PhytoEvent>, Refusal> {
        officer(by)?;
        if self.status != PhytoStatus::Issued {
            return Err(self.not_now("withdrawn", "撤销"));
        }
        Ok(vec![PhytoEvent::Withdrawn { number: self.number.clone(), closing: closing(reason, by, now)? }])
    }

    /// 替换 — an officer replaces a certificate in force with a corrected one under a new
    /// number: the old is marked replaced and the new is issued at once. Events of the old
    /// certificate, then the new one's.
    pub fn replace(
        &self,
        app: Application,
        reason: &str,
        new_number: &str,
        facts: &Facts<'_>,
        key: &KeyPair,
        by: &Actor,
    ) -> Result<(Vec<PhytoEvent>, Vec<PhytoEvent>), Refusal> {
        officer(by)?;
        if self.status != PhytoStatus::Issued {
            return Err(self.not_now("replaced", "替换"));
        }
        if app.kind != self.application.kind || app.office != self.application.office {
            return Err(Refusal::field(
                "kind",
                Rule::PhytoReplacementChanged,
                "a replacement keeps the kind of certificate and the issuing office",
                "替换证书不能变更证书类型和签证机构",
            ));
        }
        let closing = closing(reason, by, facts.now)?;
        let new = PhytoCertificate {
            number: new_number.to_owned(),
            exporter: self.exporter.clone(),
            exporter_name: self.exporter_name.clone(),
            application: app,
            status: PhytoStatus::Applied,
            document: None,
            signature: None,
            replaces: Some(self.number.clone()),
            replaced_by: None,
            closing: None,
            applied_by: by.id.clone(),
            applied_at: facts.now,
            issued_by: None,
            issued_at: None,
            updated_at: None,
        };
        let facts = Facts { replaces: Some((&self.number, &closing.reason)), ..*facts };
        let issued = new.issue(&facts, key, by)?;
        let old = vec![PhytoEvent::Replaced { number: self.number.clone(), by_number: new_number.to_owned(), closing }];
        let mut new_events = vec![PhytoEvent::Applied { certificate: Box::new(new) }];
        new_events.extend(issued);
        Ok((old, new_events))
    }

    fn not_now(&self, en: &str, zh: &str) -> Refusal {
        Refusal::invalid_state(
            format!("certificate {} is {}: it cannot be {en}", self.number, self.status.name_en()),
            format!("证书 {} 状态为{}，不能{zh}", self.number, self.status.name_zh()),
        )
    }
}

fn officer(by: &Actor) -> Result<(), Refusal> {
    if by.is(Role::Officer) {
        Ok(())
    } else {
        Err(Refusal::forbidden())
    }
}

fn closing(reason: &str, by: &Actor, now: OffsetDateTime) -> Result<Closing, Refusal> {
    let reason = super::draft::clean(reason);
    if reason.is_empty() {
        return Err(Refusal::field("reason", Rule::Required, "say why", "请填写理由"));
    }
    if reason.chars().count() > super::draft::MAX_TEXT {
        return Err(Refusal::field(
            "reason",
            Rule::TooLong,
            format!("at most {} characters", super::draft::MAX_TEXT),
            format!("最多 {} 个字符", super::draft::MAX_TEXT),
        ));
    }
    Ok(Closing { reason, by: by.id.clone(), at: now })
}

/// 申请 — exporter `exporter`'s declarant applies. `number` is the number the store reserved.
pub fn apply(
    number: &str,
    exporter: &CustomsCode,
    exporter_name: &str,
    app: Application,
    by: &Actor,
    now: OffsetDateTime,
) -> Result<Vec<PhytoEvent>, Refusal> {
    if !(by.is(Role::Declarant) && by.enterprise.as_ref() == Some(exporter)) {
        return Err(Refusal::new(
            RefusalKind::Forbidden,
            format!("only exporter {exporter}'s own declarants apply for its phytosanitary certificates"),
            format!("只有出口企业 {exporter} 本企业的申报人员可以申请其植物检疫证书"),
        ));
    }
    let c = PhytoCertificate {
        number: number.to_owned(),
        exporter: exporter.clone(),
        exporter_name: exporter_name.to_owned(),
        application: app,
        status: PhytoStatus::Applied,
        document: None,
        signature: None,
        replaces: None,
        replaced_by: None,
        closing: None,
        applied_by: by.id.clone(),
        applied_at: now,
        issued_by: None,
        issued_at: None,
        updated_at: None,
    };
    Ok(vec![PhytoEvent::Applied { certificate: Box::new(c) }])
}

/// 证书编号 — `P`, year, office and a seven-digit sequence.
pub fn number(app: &Application, year: i32, seq: i64) -> String {
    format!("P{year}{}{seq:07}", app.office)
}

/// The counter a certificate's sequence comes from.
pub fn counter(app: &Application, year: i32) -> String {
    format!("phyto:{year}:{}", app.office)
}
