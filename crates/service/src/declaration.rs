//! 报关单 — a draft checked against the enterprise directory, the commands of the steps a terminal
//! or an officer types, and who may see a declaration.

use crate::fields::{instant, required};
use guomen_domain::declaration::{validate, Declaration, DeclarationContent, DeclarationDraft, ValidationContext};
use guomen_domain::inspection::Outcome as InspectionOutcome;
use guomen_domain::party::{Actor, Role};
use guomen_domain::risk::Lane;
use guomen_domain::types::CustomsCode;
use guomen_domain::{Refusal, Rule};
use guomen_store::{DeclarationCommand, Store};

/// Today at the edge (UTC), the day a draft's dates are checked against.
pub fn today() -> time::Date {
    time::OffsetDateTime::now_utc().date()
}

/// Validates a draft against the enterprise directory: the content to file, or every field
/// that breaks a rule.
pub fn check_draft(store: &Store, draft: &DeclarationDraft) -> Result<DeclarationContent, Refusal> {
    let dir = store.directory().read().expect("directory lock");
    let ctx = ValidationContext {
        today: today(),
        enterprise: &|c: &CustomsCode| dir.enterprises.get(c.as_str()).cloned(),
        site_known: &|s: &str| dir.sites.contains_key(s),
    };
    validate(draft, &ctx).map_err(Refusal::validation)
}

/// Whether `actor` may see `d`: customs, the enterprises it names (or that filed it), the
/// terminal it is addressed to. To anyone else it does not exist; a laboratory sees samples,
/// not declarations.
pub fn visible(actor: &Actor, d: &Declaration) -> Result<(), Refusal> {
    let ok = match actor.role {
        Some(Role::Declarant) => actor.enterprise.as_ref().is_some_and(|e| &d.filed_by == e || d.content.parties().contains(&e)),
        Some(Role::Terminal) => actor.enterprise.is_some() && d.terminal == actor.enterprise,
        Some(Role::Laboratory) | None => return Err(Refusal::forbidden()),
        Some(Role::Officer | Role::RiskAnalyst | Role::Admin) => true,
    };
    if ok {
        Ok(())
    } else {
        Err(Refusal::not_found("declaration", "报关单"))
    }
}

/// The command of a terminal's position report, its fields checked.
pub fn position_command(
    declaration_id: String,
    terminal: CustomsCode,
    record_no: &str,
    container_no: &str,
    site_name: &str,
    slot_code: &str,
    arrived_at: &Option<String>,
) -> Result<DeclarationCommand, Refusal> {
    let mut errors = Vec::new();
    let record_no = required(&mut errors, "record_no", record_no, 32);
    let container_no = required(&mut errors, "container_no", container_no, 11);
    let site_name = required(&mut errors, "site_name", site_name, 100);
    let slot_code = required(&mut errors, "slot_code", slot_code, 32);
    let arrived_at = instant(&mut errors, "arrived_at", arrived_at);
    crate::fail_if(errors)?;
    Ok(DeclarationCommand::ReportPosition { declaration_id, record_no, container_no, site_name, slot_code, arrived_at, terminal })
}

/// The command of an inspection result, its findings checked.
pub fn result_command(
    declaration_id: String,
    outcome: InspectionOutcome,
    findings: &[String],
    note: Option<String>,
) -> Result<DeclarationCommand, Refusal> {
    let mut errors = Vec::new();
    let findings: Vec<String> =
        findings.iter().enumerate().map(|(i, f)| required(&mut errors, &format!("findings[{i}]"), f, 500)).collect();
    crate::fail_if(errors)?;
    Ok(DeclarationCommand::RecordResult { declaration_id, outcome, findings, note: note.filter(|n| !n.trim().is_empty()) })
}

/// A lane named in a request.
pub fn parse_lane(path: &str, v: &str) -> Result<Lane, Refusal> {
    Lane::parse(v.trim()).ok_or_else(|| {
        Refusal::field(path, Rule::LaneUnknown, "the lane is green, blue, yellow or red", "通道应为 green、blue、yellow 或 red")
    })
}
