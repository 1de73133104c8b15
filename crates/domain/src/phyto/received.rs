//! 进境植物检疫证书 — a phytosanitary certificate received from an exporting country's plant
//! protection organisation (through the ePhyto hub), linked to the import declaration of its
//! consignment so the officers, the permit check and the laboratory see it beside the goods.
//!
//! Its record is kept under the issuing country and number (`AR/123ABC`), journal stream
//! `phyto-received:AR/123ABC`. What the certificate says is checked against the declaration
//! it is linked to; a check that does not hold is shown to the officer, it does not stop the
//! certificate being received (the officer decides what it means for the goods).

use super::PhytoDocument;
use crate::declaration::{Declaration, IeFlag};
use crate::error::{Refusal, RefusalKind, Rule};
use crate::party::{Actor, Role};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

/// One comparison of the certificate with its declaration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Check {
    /// `import-country`, `declaration-import`, `hs`, `origin`.
    pub check: String,
    pub holds: bool,
    pub en: String,
    pub zh: String,
}

/// 进境植物检疫证书 — as received.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReceivedCertificate {
    /// The exporting country (alpha-2) and the certificate's number: `AR/123ABC`.
    pub key: String,
    pub document: PhytoDocument,
    /// The import declaration it is linked to.
    #[serde(default)]
    pub declaration: Option<String>,
    #[serde(default)]
    pub checks: Vec<Check>,
    pub received_by: String,
    #[serde(with = "time::serde::rfc3339")]
    pub received_at: OffsetDateTime,
}

/// Events of a received certificate; stream `phyto-received:KEY`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum ReceivedEvent {
    Received { certificate: Box<ReceivedCertificate> },
}

impl ReceivedEvent {
    pub fn stream(&self) -> String {
        match self {
            ReceivedEvent::Received { certificate } => format!("phyto-received:{}", certificate.key),
        }
    }

    pub fn kind(&self) -> &'static str {
        "phyto_received"
    }

    pub fn summary(&self) -> (String, String) {
        match self {
            ReceivedEvent::Received { certificate: c } => {
                let to = c.declaration.as_deref().map(|d| format!(", linked to declaration {d}")).unwrap_or_default();
                let to_zh = c.declaration.as_deref().map(|d| format!("，关联报关单 {d}")).unwrap_or_default();
                (
                    format!("phytosanitary certificate {} of {} received{to}", c.document.number, c.document.export_country),
                    format!("收到 {} 签发的植物检疫证书 {}{to_zh}", c.document.export_country, c.document.number),
                )
            }
        }
    }
}

impl ReceivedCertificate {
    pub fn from_events(events: &[ReceivedEvent]) -> Option<ReceivedCertificate> {
        events.iter().last().map(|ReceivedEvent::Received { certificate }| (**certificate).clone())
    }
}

/// The key a certificate is received under.
pub fn key(doc: &PhytoDocument) -> String {
    format!("{}/{}", doc.export_country, doc.number)
}

/// What the certificate says compared with the declaration it is linked to.
pub fn checks(doc: &PhytoDocument, declaration: Option<&Declaration>) -> Vec<Check> {
    let mut out = Vec::new();
    let check = |check: &str, holds: bool, en: String, zh: String| Check { check: check.into(), holds, en, zh };
    out.push(if doc.import_country == "CN" {
        check("import-country", true, "the certificate names China as the importing country".into(), "证书所列输入国家为中国".into())
    } else {
        check(
            "import-country",
            false,
            format!("the certificate names {} as the importing country, not China", doc.import_country),
            format!("证书所列输入国家或地区为 {}，不是中国", doc.import_country),
        )
    });
    let Some(d) = declaration else { return out };
    out.push(if d.content.head.ie_flag == IeFlag::Import {
        check("declaration-import", true, format!("declaration {} is an import", d.id), format!("报关单 {} 为进口报关单", d.id))
    } else {
        check("declaration-import", false, format!("declaration {} is not an import", d.id), format!("报关单 {} 不是进口报关单", d.id))
    });
    // Every declared item's HS subheading is on the certificate.
    let cert_hs: Vec<&str> = doc.lines.iter().filter_map(|l| l.hs()).filter(|h| h.len() >= 6).map(|h| &h[..6]).collect();
    let missing: Vec<String> =
        d.content.items.iter().map(|i| i.code_ts.hs6().to_owned()).filter(|h| !cert_hs.contains(&h.as_str())).collect();
    out.push(if missing.is_empty() {
        check("hs", true, "every declared HS subheading is on the certificate".into(), "申报的商品编码（前六位）均见于证书".into())
    } else {
        check(
            "hs",
            false,
            format!("declared HS subheadings not on the certificate: {}", missing.join(", ")),
            format!("以下申报商品编码（前六位）未见于证书：{}", missing.join("、")),
        )
    });
    // Every declared origin is an origin the certificate names.
    let cert_origins: Vec<&str> =
        doc.lines.iter().flat_map(|l| l.origins.iter()).filter_map(|o| guomen_reference::country_alpha2::alpha3(&o.country)).collect();
    let strange: Vec<String> =
        d.content.items.iter().map(|i| i.origin_country.to_string()).filter(|c| !cert_origins.contains(&c.as_str())).collect();
    out.push(if strange.is_empty() {
        check("origin", true, "every declared origin is named on the certificate".into(), "申报的原产国均见于证书".into())
    } else {
        check(
            "origin",
            false,
            format!("declared origins not named on the certificate: {}", strange.join(", ")),
            format!("以下申报原产国未见于证书：{}", strange.join("、")),
        )
    });
    out
}

/// Who may receive a certificate: customs, or an importer for one of its own declarations.
pub fn check_receiver(by: &Actor, declaration: Option<&Declaration>) -> Result<(), Refusal> {
    match by.role {
        Some(Role::Officer) => {}
        Some(Role::Declarant) => {
            let own = declaration.is_some_and(|d| d.content.parties().into_iter().any(|p| Some(p) == by.enterprise.as_ref()));
            if !own {
                return Err(Refusal::new(
                    RefusalKind::Forbidden,
                    "an importer receives a certificate for one of its own import declarations: name it",
                    "进口企业只能为本企业的进口报关单接收植物检疫证书，请注明报关单",
                ));
            }
        }
        _ => return Err(Refusal::forbidden()),
    }
    Ok(())
}

/// Only a certificate in force (status code 70) is received.
pub fn check_status(status: &str) -> Result<(), Refusal> {
    if status.trim() != super::STATUS_ISSUED {
        return Err(Refusal::field(
            "SPSCertificate/SPSExchangedDocument/StatusCode",
            Rule::SpsStatus,
            format!("status code {status:?}: only a certificate in force (70, issued) is received"),
            format!("状态代码 {status:?}：只接收有效（70，已签发）的证书"),
        ));
    }
    Ok(())
}

/// 接收 — customs (or the importer whose declaration it links to) receives a certificate in
/// force (`status` is its `StatusCode`, 70).
pub fn receive(
    doc: PhytoDocument,
    status: &str,
    declaration: Option<&Declaration>,
    by: &Actor,
    now: OffsetDateTime,
) -> Result<Vec<ReceivedEvent>, Refusal> {
    check_receiver(by, declaration)?;
    check_status(status)?;
    let checks = checks(&doc, declaration);
    let c = ReceivedCertificate {
        key: key(&doc),
        declaration: declaration.map(|d| d.id.clone()),
        document: doc,
        checks,
        received_by: by.id.clone(),
        received_at: now,
    };
    Ok(vec![ReceivedEvent::Received { certificate: Box::new(c) }])
}
