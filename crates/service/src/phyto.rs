//! 植物检疫证书 — who may see a phytosanitary certificate, what each viewer sees, the XML it is
//! exchanged as, and the commands an officer's steps and an incoming `SPSCertificate` make.

use guomen_domain::party::{Actor, Role};
use guomen_domain::phyto::{PhytoCertificate, PhytoStatus, ReceivedCertificate, STATUS_ISSUED, STATUS_WITHDRAWN};
use guomen_domain::{Refusal, Rule};
use guomen_messages::sps;
use guomen_store::phyto::PhytoCommand;
use serde_json::{json, Value};
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

fn at(t: OffsetDateTime) -> String {
    t.format(&Rfc3339).unwrap_or_default()
}

/// Whether `actor` may see `c`: customs see every certificate, an exporter its own; terminals
/// and laboratories have no business with them. One an exporter may not see does not exist for
/// it.
pub fn visible(actor: &Actor, c: &PhytoCertificate) -> Result<(), Refusal> {
    let ok = match actor.role {
        Some(Role::Officer | Role::RiskAnalyst | Role::Admin) => true,
        Some(Role::Declarant) => actor.enterprise.as_ref() == Some(&c.exporter),
        Some(Role::Terminal | Role::Laboratory) | None => return Err(Refusal::forbidden()),
    };
    if ok {
        Ok(())
    } else {
        Err(Refusal::not_found("phytosanitary certificate", "植物检疫证书"))
    }
}

/// Whether `actor` may see a received certificate: customs (and the laboratory, which tests the
/// goods it covers) every one; an importer those linked to its declarations (`own`).
pub fn received_visible(actor: &Actor, own: bool) -> Result<(), Refusal> {
    match actor.role {
        Some(Role::Officer | Role::RiskAnalyst | Role::Admin | Role::Laboratory) => Ok(()),
        Some(Role::Declarant) if own => Ok(()),
        Some(Role::Declarant) => Err(Refusal::not_found("phytosanitary certificate", "植物检疫证书")),
        _ => Err(Refusal::forbidden()),
    }
}

/// The `SPSCertificate` status code of a certificate: 70 in force, 40 once replaced or withdrawn.
pub fn status_code(c: &PhytoCertificate) -> &'static str {
    match c.status {
        PhytoStatus::Replaced | PhytoStatus::Withdrawn => STATUS_WITHDRAWN,
        _ => STATUS_ISSUED,
    }
}

/// The issued certificate as `SPSCertificate` XML with its signature; None until issued.
pub fn xml(c: &PhytoCertificate) -> Option<String> {
    let doc = c.document.as_ref()?;
    Some(sps::write_sps(doc, status_code(c), c.signature.as_ref()))
}

/// The certificate as the API and the console show it.
pub fn view(c: &PhytoCertificate) -> Value {
    json!({
        "number": c.number,
        "kind": c.application.kind.as_str(),
        "status": c.status.as_str(),
        "exporter": c.exporter,
        "exporter_name": c.exporter_name,
        "office": c.application.office,
        "declaration": c.application.declaration,
        "application": c.application,
        "document": c.document,
        "signature": c.signature,
        "replaces": c.replaces,
        "replaced_by": c.replaced_by,
        "closing": c.closing,
        "applied_by": c.applied_by,
        "applied_at": at(c.applied_at),
        "issued_by": c.issued_by,
        "issued_at": c.issued_at.map(at),
        "updated_at": c.updated_at.map(at),
        "verify_url": format!("/verify/{}", c.number),
    })
}

/// A received certificate as the API shows it.
pub fn received_view(r: &ReceivedCertificate) -> Value {
    json!({
        "key": r.key,
        "number": r.document.number,
        "country": r.document.export_country,
        "declaration": r.declaration,
        "checks": r.checks,
        "document": r.document,
        "received_by": r.received_by,
        "received_at": at(r.received_at),
    })
}

/// Reads an incoming `SPSCertificate` into the command that receives it, linked to
/// `declaration` or to the import declaration of `bill`.
pub fn receive(xml: &[u8], declaration: Option<&str>, bill: Option<&str>) -> Result<PhytoCommand, Refusal> {
    let read = sps::read_sps(xml)?;
    let clean = |v: Option<&str>| v.map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned);
    Ok(PhytoCommand::Receive { document: Box::new(read.document), status: read.status, declaration: clean(declaration), bill: clean(bill) })
}

/// An officer's step on a certificate from what was typed: `issue`, `refuse`, `withdraw`.
pub fn step(number: &str, action: &str, reason: Option<&str>) -> Result<PhytoCommand, Refusal> {
    let number = number.to_owned();
    let reason = reason.unwrap_or_default().to_owned();
    match action.trim() {
        "issue" => Ok(PhytoCommand::Issue { number }),
        "refuse" => Ok(PhytoCommand::Refuse { number, reason }),
        "withdraw" => Ok(PhytoCommand::Withdraw { number, reason }),
        other => Err(Refusal::field(
            "action",
            Rule::Unknown,
            format!("{other:?} is not a step; use issue, refuse or withdraw"),
            format!("{other:?} 不是可执行的操作，应为 issue（签发）、refuse（不予签发）或 withdraw（撤销）"),
        )),
    }
}
