//! What field work tells the parties: pest findings to the lot's holder, appointments to the
//! booking enterprise and the site's terminal, remote-inspection instructions to the uploader.

use super::appointment::{Appointment, Schedule, CHINA_TIME};
use super::evidence::RemoteInspection;
use super::survey::{SurveyEvent, SurveyPlan};
use crate::notice::Outgoing;
use crate::{FieldError, Refusal, Rule};
use serde_json::{json, Value};
use time::OffsetDateTime;

/// Largest bookable capacity of one hour slot.
pub const MAX_CAPACITY_PER_HOUR: u32 = 1000;
/// Longest supervision-site code accepted in a schedule.
pub const MAX_SITE_CODE: usize = 32;

/// `YYYY-MM-DD HH:MM` in China Standard Time.
fn china_hm(t: OffsetDateTime) -> String {
    let l = t.to_offset(CHINA_TIME);
    format!("{} {:02}:{:02}", l.date(), l.hour(), l.minute())
}

/// A schedule as published (site code trimmed), or why it cannot be.
pub fn check_schedule(schedule: &Schedule) -> Result<Schedule, Refusal> {
    let site = schedule.site_code.trim();
    let mut errors = Vec::new();
    if site.is_empty() {
        errors.push(FieldError::new("site_code", Rule::Required, "the supervision-site code is required", "监管场所代码为必填项"));
    } else if site.chars().count() > MAX_SITE_CODE || !site.chars().all(|c| c.is_ascii_alphanumeric()) {
        errors.push(FieldError::new(
            "site_code",
            Rule::SiteCodeFormat,
            format!("a site code is 1 to {MAX_SITE_CODE} letters or digits"),
            format!("监管场所代码应为1至{MAX_SITE_CODE}位字母或数字"),
        ));
    }
    if !(1..=MAX_CAPACITY_PER_HOUR).contains(&schedule.capacity_per_hour) {
        errors.push(FieldError::new(
            "capacity_per_hour",
            Rule::CapacityRange,
            format!("capacity per hour is 1 to {MAX_CAPACITY_PER_HOUR}, got {}", schedule.capacity_per_hour),
            format!("每小时可预约数应为1至{MAX_CAPACITY_PER_HOUR}，实际为 {}", schedule.capacity_per_hour),
        ));
    }
    if errors.is_empty() {
        Ok(Schedule { site_code: site.to_owned(), ..schedule.clone() })
    } else {
        Err(Refusal::validation(errors))
    }
}

/// A quarantine pest found at survey `no` opens actions; the holder is told which.
pub fn survey_actions(plan: &SurveyPlan, no: u8, events: &[SurveyEvent]) -> Option<Outgoing> {
    let opened: Vec<Value> = events
        .iter()
        .filter_map(|e| match e {
            SurveyEvent::ActionOpened { action, .. } => {
                Some(json!({ "id": action.id, "kind": action.kind, "kind_zh": action.kind.name_zh(), "because": action.because }))
            }
            _ => None,
        })
        .collect();
    if opened.is_empty() {
        return None;
    }
    let body = json!({
        "plan_id": plan.id,
        "declaration_id": plan.declaration_id,
        "survey": no,
        "actions": opened,
        "message_en": format!("quarantine pest found at survey {no} of plan {}: sampling, plot destruction and notification are under way", plan.id),
        "message_zh": format!("田间监测计划 {} 第 {no} 次监测发现检疫性有害生物，已启动取样送检、铲除销毁和疫情报告", plan.id),
    });
    Some(Outgoing { recipient: plan.holder.clone(), topic: "survey.actions", body })
}

fn appointment_body(a: &Appointment, en: String, zh: String) -> Value {
    json!({
        "appointment_id": a.id,
        "enterprise": a.enterprise,
        "site_code": a.site_code,
        "kind": a.kind,
        "start": a.start.format(&time::format_description::well_known::Rfc3339).unwrap_or_default(),
        "declaration_id": a.declaration_id,
        "priority": a.priority,
        "out_of_hours": a.out_of_hours,
        "status": a.status,
        "message_en": en,
        "message_zh": zh,
    })
}

/// A booking confirmed: topic and body, for the booking enterprise and the site's terminal.
pub fn appointment_confirmed(a: &Appointment) -> (&'static str, Value) {
    let body = appointment_body(
        a,
        format!("{} appointment {} confirmed for {} at site {}", a.kind.as_str(), a.id, china_hm(a.start), a.site_code),
        format!("预约 {} 已确认：{} 北京时间 {}，监管场所 {}", a.id, a.kind.name_zh(), china_hm(a.start), a.site_code),
    );
    ("appointment.confirmed", body)
}

/// A booking cancelled: topic and body, for the booking enterprise and the site's terminal.
pub fn appointment_cancelled(a: &Appointment) -> (&'static str, Value) {
    let why = a.cancelled.as_ref().map(|c| c.reason.clone()).unwrap_or_default();
    let body = appointment_body(
        a,
        format!("appointment {} for {} at site {} cancelled by {}: {why}", a.id, china_hm(a.start), a.site_code, a.enterprise),
        format!("预约 {}（北京时间 {}，监管场所 {}）已由 {} 取消：{why}", a.id, china_hm(a.start), a.site_code, a.enterprise),
    );
    ("appointment.cancelled", body)
}

/// The uploading enterprise is told the latest instruction.
pub fn remote_instruction(r: &RemoteInspection) -> Option<Outgoing> {
    let i = r.instructions.last()?;
    let body = json!({
        "inspection_id": r.id,
        "declaration_id": r.declaration_id,
        "instruction_no": i.no,
        "text": i.text,
        "status": r.status,
        "message_en": format!("remote inspection {} of declaration {}: instruction {}: {}", r.id, r.declaration_id, i.no, i.text),
        "message_zh": format!("报关单 {} 远程监管 {} 第 {} 条指令：{}", r.declaration_id, r.id, i.no, i.text),
    });
    Some(Outgoing { recipient: r.enterprise.clone(), topic: "remote.instruction", body })
}

/// The number the `n`th upload of remote inspection `remote_id` takes.
pub fn evidence_id(remote_id: &str, n: usize) -> String {
    format!("EV{remote_id}-{n}")
}
