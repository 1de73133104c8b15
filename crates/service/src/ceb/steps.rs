//! An officer's step on an inventory list, from the fields a person or system sent, and who may
//! see a list.

use guomen_domain::ceb::InventoryRecord;
use guomen_domain::party::Actor;
use guomen_domain::{FieldError, Refusal, Rule};
use guomen_store::ceb::{CebCommand, OfficerStep};
use serde::Deserialize;

/// The fields of an officer's step.
#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct StepBody {
    pub note: Option<String>,
    pub reason: Option<String>,
    pub code: Option<u16>,
}

fn text(errors: &mut Vec<FieldError>, path: &str, v: &Option<String>) -> String {
    let t = v.as_deref().unwrap_or("").trim().to_owned();
    if t.is_empty() {
        errors.push(FieldError::new(path, Rule::Required, "this field is required", "此字段为必填项"));
    } else if t.chars().count() > 500 {
        errors.push(FieldError::new(path, Rule::TooLong, "at most 500 characters", "最多500个字符"));
    }
    t
}

/// The officer's step `action` (`release`, `detain`, `return`, `clear-identity`,
/// `confirm-identity-theft`) on inventory list `id`, its fields checked: the command, a refusal
/// naming the fields (`note`, `reason`, `code`), or not found for another action. The console's
/// forms build their commands here too.
pub fn officer_command(id: String, action: &str, b: &StepBody) -> Result<CebCommand, Refusal> {
    let mut errors = Vec::new();
    let step = match action {
        "release" => OfficerStep::Release { note: text(&mut errors, "note", &b.note) },
        "detain" => {
            let code = b.code.unwrap_or(0);
            if !(501..=599).contains(&code) {
                errors.push(FieldError::new(
                    "code",
                    Rule::DetentionCode,
                    "501 to 599 (501 customs, 502 anti-smuggling, 503 legal affairs, 599 other)",
                    "应为501至599（501移送通关、502移送缉私、503移送法规、599其它）",
                ));
            }
            OfficerStep::Detain { code, reason: text(&mut errors, "reason", &b.reason) }
        }
        "return" => OfficerStep::Return { reason: text(&mut errors, "reason", &b.reason) },
        "clear-identity" => OfficerStep::ClearIdentity { note: text(&mut errors, "note", &b.note), seed: rand::random() },
        "confirm-identity-theft" => OfficerStep::ConfirmIdentityTheft { note: text(&mut errors, "note", &b.note) },
        _ => return Err(Refusal::not_found("route", "接口")),
    };
    crate::fail_if(errors)?;
    Ok(CebCommand::Officer { inventory: id, step })
}

/// Whether `actor` may see inventory list `r`: customs, or an enterprise the list names (or that
/// sent it); to anyone else the list does not exist.
pub fn visible(actor: &Actor, r: &InventoryRecord) -> Result<(), Refusal> {
    if actor.is_customs() {
        return Ok(());
    }
    let code = actor.enterprise.as_ref().map(|c| c.to_string()).unwrap_or_default();
    let i = &r.inventory;
    if [r.sender.as_str(), &i.ebp_code, &i.ebc_code, &i.agent_code].contains(&code.as_str()) {
        Ok(())
    } else {
        Err(Refusal::not_found("inventory list", "清单"))
    }
}
