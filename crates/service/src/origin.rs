//! 原产地证书 — who may see a certificate of origin, and what each viewer sees of its review.

use guomen_domain::origin::{DecisionAction, OriginCertificate};
use guomen_domain::party::{Actor, Role};
use guomen_domain::{Refusal, Rule};
use guomen_store::origin::OriginCommand;
use serde_json::{json, Value};

/// Whether `actor` may see `c`: customs see every certificate, an exporter its own; terminals
/// and laboratories have no business with them. One an exporter may not see does not exist
/// for it.
pub fn visible(actor: &Actor, c: &OriginCertificate) -> Result<(), Refusal> {
    let ok = match actor.role {
        Some(Role::Officer | Role::RiskAnalyst | Role::Admin) => true,
        Some(Role::Declarant) => actor.enterprise.as_ref() == Some(&c.exporter),
        Some(Role::Terminal | Role::Laboratory) | None => return Err(Refusal::forbidden()),
    };
    if ok {
        Ok(())
    } else {
        Err(Refusal::not_found("certificate of origin", "原产地证书"))
    }
}

/// Whether `actor` is customs (sees every reason of a review).
pub fn customs(actor: &Actor) -> bool {
    matches!(actor.role, Some(Role::Officer | Role::RiskAnalyst | Role::Admin))
}

/// The certificate as `actor` may see it: `number`, `status`, `outcome`, `reasons` (for a trader
/// without the rules that referred it to an officer), the application, what the review found
/// per line, the officers' decisions.
pub fn view(actor: &Actor, c: &OriginCertificate) -> Value {
    let reasons = if customs(actor) { c.review.reasons.clone() } else { c.review.for_trader() };
    let reasons: Vec<Value> = reasons
        .iter()
        .map(|r| json!({ "rule": r.rule.code(), "outcome": r.outcome().as_str(), "path": r.path, "message": r.en, "message_zh": r.zh }))
        .collect();
    let mut v = json!({
        "number": c.number,
        "status": c.status.as_str(),
        "outcome": c.review.outcome.as_str(),
        "reasons": reasons,
        "agreement": c.application.agreement.as_str(),
        "exporter": c.exporter,
        "exporter_name": c.exporter_name,
        "application": c.application,
        "lines": c.review.lines,
        "amendments": c.amendments,
        "decisions": c.decisions,
        "applied_by": c.applied_by,
        "applied_at": c.applied_at,
        "updated_at": c.updated_at,
        "issued_at": c.issued_at,
    });
    if customs(actor) {
        v["ruleset_version"] = json!(c.review.ruleset_version);
    }
    v
}

/// An officer's decision from what was typed.
pub fn decision(number: &str, action: &str, reason: Option<&str>) -> Result<OriginCommand, Refusal> {
    let Some(action) = DecisionAction::parse(action) else {
        return Err(Refusal::field(
            "action",
            Rule::Unknown,
            format!("{action:?} is not a decision; use approve, return or reject"),
            format!("{action:?} 不是审核决定，应为 approve（通过）、return（退回修改）或 reject（不予签证）"),
        ));
    };
    Ok(OriginCommand::Decide { number: number.to_owned(), action, reason: reason.unwrap_or_default().to_owned() })
}
