//! Field surveys, appointments and remote inspection: commands and how the writer carries them out.
//!
//! Each record lives in its view table (`survey_plans`, `schedules`, `appointments`,
//! `remote_inspections`) with its whole state as JSON in `doc`. A command loads the record from
//! the view (rows written earlier in the same batch are visible: the writer's transaction is
//! one connection), calls the pure procedure, and — only if it agreed — appends the wrapped
//! events to the journal and upserts the view row, with any notices, in the same transaction.

use crate::batch::{ms, Batch};
use crate::commands::{actor_str, load, Outcome, Result2};
use crate::writer::WriterState;
use crate::{Store, StoreError};
use guomen_domain::inspection::Outcome as InspectionOutcome;
use guomen_domain::party::Actor;
use guomen_domain::quarantine::appointment::{self, Appointment, AppointmentStatus, Schedule, ServiceHours, SlotKind, CHINA_TIME};
use guomen_domain::quarantine::evidence::{self, RemoteEvent, RemoteInspection};
use guomen_domain::quarantine::survey::{self, Finding, Plot, SurveyEvent, SurveyPlan};
use guomen_domain::types::CustomsCode;
use guomen_domain::{Event, FieldError, Refusal, RefusalKind};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{json, Value};
use sqlx::{AnyConnection, Row};
use time::{Date, OffsetDateTime, PrimitiveDateTime, Time};

/// Largest bookable capacity of one hour slot.
pub const MAX_CAPACITY_PER_HOUR: u32 = 1000;
/// Longest supervision-site code accepted in a schedule.
const MAX_SITE_CODE: usize = 32;

/// A change to a field survey, an appointment or a remote inspection.
#[derive(Debug, Clone)]
pub enum FieldCommand {
    /// 制定监测计划 (officer). The declaration's consignee (`trade_code`) is the holder.
    PlanSurvey { declaration_id: String, plot: Plot, season: String, sown_on: Date, surveys: Option<u8> },
    /// 录入监测结果 (officer); a quarantine-pest finding notifies the holder (`survey.actions`).
    RecordSurvey { plan_id: String, no: u8, findings: Vec<Finding> },
    /// 处置措施办结 (officer).
    CloseSurveyAction { plan_id: String, action_id: String, note: String },
    /// 结案 (officer).
    CloseSurveyPlan { plan_id: String },
    /// 预约排班 (admin): a site's capacity and hours for one kind of slot; replaces the previous one.
    SetSchedule(Schedule),
    /// 预约 (declarant of `enterprise`).
    BookAppointment {
        enterprise: CustomsCode,
        site_code: String,
        kind: SlotKind,
        start: OffsetDateTime,
        declaration_id: Option<String>,
        reason: String,
        priority: bool,
    },
    /// 取消预约 (declarant of the booking enterprise; any other gets NotFound).
    CancelAppointment { id: String, enterprise: CustomsCode, reason: String },
    /// 办结 (officer).
    CompleteAppointment { id: String },
    /// 启动远程监管 (officer); the declaration's filer is the enterprise that uploads.
    OpenRemote { declaration_id: String, instruction: String },
    /// 下达监管指令 (officer).
    InstructRemote { id: String, text: String },
    /// 上传影像资料 (declarant). The file is already stored by the caller under its SHA-256.
    /// `evidence_id` None takes the next number: `EV<remote id>-<n>`.
    RecordEvidence {
        id: String,
        uploader: CustomsCode,
        evidence_id: Option<String>,
        instruction_no: u32,
        file_name: String,
        media_type: String,
        size: u64,
        sha256: String,
    },
    /// 作出监管结论 (officer).
    ConcludeRemote { id: String, outcome: InspectionOutcome, findings: Vec<String> },
}

/// The evidence id the `n`th upload of remote inspection `remote_id` takes.
pub fn evidence_id(remote_id: &str, n: usize) -> String {
    format!("EV{remote_id}-{n}")
}

pub(crate) async fn execute(
    conn: &mut AnyConnection,
    st: &mut WriterState,
    b: &mut Batch,
    actor: &Actor,
    cmd: &FieldCommand,
    now: OffsetDateTime,
) -> Result2<Outcome> {
    let who = actor_str(actor);
    let at = ms(now);
    let by = actor.id.as_str();
    match cmd {
        FieldCommand::PlanSurvey { declaration_id, plot, season, sown_on, surveys } => {
            let Some(d) = load(conn, b, declaration_id.trim()).await? else {
                return Ok(Err(Refusal::not_found("declaration", "报关单")));
            };
            let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM survey_plans WHERE declaration_id = $1")
                .bind(d.id.clone())
                .fetch_one(&mut *conn)
                .await?;
            let id = format!("SV{}-{}", d.id, n + 1);
            let holder = d.content.head.trade_code.clone();
            let events = match survey::plan(&id, &d.id, holder, plot.clone(), season, *sown_on, *surveys, now) {
                Ok(e) => e,
                Err(r) => return Ok(Err(r)),
            };
            let Some(plan) = SurveyPlan::from_events(&events) else {
                return Err(decode_error("a survey plan's events start with its planning"));
            };
            for e in &events {
                b.append(st, &who, at, &Event::Survey(e.clone()));
            }
            upsert_plan(conn, &plan).await?;
            Ok(Ok(Outcome::Field(to_json(&plan))))
        }
        FieldCommand::RecordSurvey { plan_id, no, findings } => {
            let Some(mut plan) = load_doc::<SurveyPlan>(conn, "survey_plans", plan_id).await? else {
                return Ok(Err(Refusal::not_found("field monitoring plan", "田间监测计划")));
            };
            let events = match plan.record(*no, by, findings.clone(), now) {
                Ok(e) => e,
                Err(r) => return Ok(Err(r)),
            };
            let seq = apply_survey(st, b, &who, at, &mut plan, &events);
            let opened: Vec<Value> = events
                .iter()
                .filter_map(|e| match e {
                    SurveyEvent::ActionOpened { action, .. } => {
                        Some(json!({ "id": action.id, "kind": action.kind, "kind_zh": action.kind.name_zh(), "because": action.because }))
                    }
                    _ => None,
                })
                .collect();
            if !opened.is_empty() {
                let body = json!({
                    "plan_id": plan.id,
                    "declaration_id": plan.declaration_id,
                    "survey": no,
                    "actions": opened,
                    "message_en": format!("quarantine pest found at survey {no} of plan {}: sampling, plot destruction and notification are under way", plan.id),
                    "message_zh": format!("田间监测计划 {} 第 {no} 次监测发现检疫性有害生物，已启动取样送检、铲除销毁和疫情报告", plan.id),
                });
                let stream = format!("survey:{}", plan.id);
                b.outbox(st, seq, &stream, plan.holder.as_str(), "survey.actions", body.to_string(), at);
            }
            upsert_plan(conn, &plan).await?;
            Ok(Ok(Outcome::Field(to_json(&plan))))
        }
        FieldCommand::CloseSurveyAction { plan_id, action_id, note } => {
            let Some(mut plan) = load_doc::<SurveyPlan>(conn, "survey_plans", plan_id).await? else {
                return Ok(Err(Refusal::not_found("field monitoring plan", "田间监测计划")));
            };
            let events = match plan.close_action(action_id, by, note, now) {
                Ok(e) => e,
                Err(r) => return Ok(Err(r)),
            };
            apply_survey(st, b, &who, at, &mut plan, &events);
            upsert_plan(conn, &plan).await?;
            Ok(Ok(Outcome::Field(to_json(&plan))))
        }
        FieldCommand::CloseSurveyPlan { plan_id } => {
            let Some(mut plan) = load_doc::<SurveyPlan>(conn, "survey_plans", plan_id).await? else {
                return Ok(Err(Refusal::not_found("field monitoring plan", "田间监测计划")));
            };
            let events = match plan.close(by, now) {
                Ok(e) => e,
                Err(r) => return Ok(Err(r)),
            };
            apply_survey(st, b, &who, at, &mut plan, &events);
            upsert_plan(conn, &plan).await?;
            Ok(Ok(Outcome::Field(to_json(&plan))))
        }
        FieldCommand::SetSchedule(schedule) => {
            let site = schedule.site_code.trim();
            let mut errors = Vec::new();
            if site.is_empty() {
                errors.push(FieldError::new("site_code", "required", "the supervision-site code is required", "监管场所代码为必填项"));
            } else if site.chars().count() > MAX_SITE_CODE || !site.chars().all(|c| c.is_ascii_alphanumeric()) {
                errors.push(FieldError::new(
                    "site_code",
                    "site_code_format",
                    format!("a site code is 1 to {MAX_SITE_CODE} letters or digits"),
                    format!("监管场所代码应为1至{MAX_SITE_CODE}位字母或数字"),
                ));
            }
            if !(1..=MAX_CAPACITY_PER_HOUR).contains(&schedule.capacity_per_hour) {
                errors.push(FieldError::new(
                    "capacity_per_hour",
                    "capacity_range",
                    format!("capacity per hour is 1 to {MAX_CAPACITY_PER_HOUR}, got {}", schedule.capacity_per_hour),
                    format!("每小时可预约数应为1至{MAX_CAPACITY_PER_HOUR}，实际为 {}", schedule.capacity_per_hour),
                ));
            }
            if !errors.is_empty() {
                return Ok(Err(Refusal::validation(errors)));
            }
            let schedule = Schedule { site_code: site.to_owned(), ..schedule.clone() };
            b.append(st, &who, at, &Event::ScheduleSet { schedule: schedule.clone() });
            sqlx::query(
                "INSERT INTO schedules (site_code, kind, capacity, hours) VALUES ($1, $2, $3, $4) \
                 ON CONFLICT (site_code, kind) DO UPDATE SET capacity = excluded.capacity, hours = excluded.hours",
            )
            .bind(schedule.site_code.clone())
            .bind(schedule.kind.as_str())
            .bind(i64::from(schedule.capacity_per_hour))
            .bind(schedule.hours.as_str())
            .execute(&mut *conn)
            .await?;
            Ok(Ok(Outcome::Field(to_json(&schedule))))
        }
        FieldCommand::BookAppointment { enterprise, site_code, kind, start, declaration_id, reason, priority } => {
            let row = sqlx::query("SELECT capacity, hours FROM schedules WHERE site_code = $1 AND kind = $2")
                .bind(site_code.trim().to_owned())
                .bind(kind.as_str())
                .fetch_optional(&mut *conn)
                .await?;
            let Some(row) = row else {
                return Ok(Err(Refusal::new(
                    RefusalKind::NotFound,
                    format!("no appointment schedule for this site ({} {})", site_code.trim(), kind.as_str()),
                    format!("该监管场所未开放{}（{}）", kind.name_zh(), site_code.trim()),
                )));
            };
            let schedule = schedule_from(site_code.trim(), *kind, row.try_get("capacity")?, &row.try_get::<String, _>("hours")?)?;
            let declaration_id = declaration_id.as_deref().map(str::trim).filter(|d| !d.is_empty());
            if let Some(did) = declaration_id {
                let decl = load(conn, b, did).await?.filter(|d| &d.filed_by == enterprise || d.content.parties().contains(&enterprise));
                // Booking for a declaration is a step on it: the consignee, or its mandated agent.
                if let Some(d) = &decl {
                    if let Err(r) = crate::mandate::check_step(st, enterprise, &d.content, now) {
                        return Ok(Err(r));
                    }
                }
                if decl.is_none() {
                    return Ok(Err(Refusal {
                        kind: RefusalKind::NotFound,
                        detail_en: format!("declaration {did} not found among your declarations"),
                        detail_zh: format!("在贵企业的报关单中未找到 {did}"),
                        errors: vec![FieldError::new(
                            "declaration_id",
                            "declaration_unknown",
                            "no such declaration of yours",
                            "贵企业无此报关单",
                        )],
                    }));
                }
            }
            let slot_ms = ms(*start);
            let booked: i64 = sqlx::query_scalar(
                "SELECT COUNT(*) FROM appointments WHERE site_code = $1 AND kind = $2 AND start_ms = $3 AND status = $4",
            )
            .bind(schedule.site_code.clone())
            .bind(kind.as_str())
            .bind(slot_ms)
            .bind(AppointmentStatus::Booked.as_str())
            .fetch_one(&mut *conn)
            .await?;
            let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM appointments").fetch_one(&mut *conn).await?;
            let id = format!("AP{:010}", count + 1);
            let booked = u32::try_from(booked).unwrap_or(u32::MAX);
            let events = match appointment::book(&schedule, booked, &id, enterprise, *start, declaration_id, reason, *priority, now) {
                Ok(e) => e,
                Err(r) => return Ok(Err(r)),
            };
            let Some(appt) = Appointment::from_events(&events) else {
                return Err(decode_error("an appointment's events start with its booking"));
            };
            let mut seq = 0;
            for e in &events {
                seq = b.append(st, &who, at, &Event::Appointment(e.clone()));
            }
            let body = appointment_notice(
                &appt,
                format!("{} appointment {} confirmed for {} at site {}", appt.kind.as_str(), appt.id, china_hm(appt.start), appt.site_code),
                format!("预约 {} 已确认：{} 北京时间 {}，监管场所 {}", appt.id, appt.kind.name_zh(), china_hm(appt.start), appt.site_code),
            );
            notify_both_sides(conn, st, b, seq, &appt, "appointment.confirmed", &body, at).await?;
            upsert_appointment(conn, &appt).await?;
            Ok(Ok(Outcome::Field(to_json(&appt))))
        }
        FieldCommand::CancelAppointment { id, enterprise, reason } => {
            let Some(mut appt) = load_doc::<Appointment>(conn, "appointments", id).await? else {
                return Ok(Err(Refusal::not_found("appointment", "预约")));
            };
            let events = match appt.cancel(enterprise, reason, now) {
                Ok(e) => e,
                Err(r) => return Ok(Err(r)),
            };
            let mut seq = 0;
            for e in &events {
                seq = b.append(st, &who, at, &Event::Appointment(e.clone()));
                appt.apply(e);
            }
            let why = appt.cancelled.as_ref().map(|c| c.reason.clone()).unwrap_or_default();
            let body = appointment_notice(
                &appt,
                format!(
                    "appointment {} for {} at site {} cancelled by {}: {why}",
                    appt.id,
                    china_hm(appt.start),
                    appt.site_code,
                    appt.enterprise
                ),
                format!(
                    "预约 {}（北京时间 {}，监管场所 {}）已由 {} 取消：{why}",
                    appt.id,
                    china_hm(appt.start),
                    appt.site_code,
                    appt.enterprise
                ),
            );
            notify_both_sides(conn, st, b, seq, &appt, "appointment.cancelled", &body, at).await?;
            upsert_appointment(conn, &appt).await?;
            Ok(Ok(Outcome::Field(to_json(&appt))))
        }
        FieldCommand::CompleteAppointment { id } => {
            let Some(mut appt) = load_doc::<Appointment>(conn, "appointments", id).await? else {
                return Ok(Err(Refusal::not_found("appointment", "预约")));
            };
            let events = match appt.complete(by, now) {
                Ok(e) => e,
                Err(r) => return Ok(Err(r)),
            };
            for e in &events {
                b.append(st, &who, at, &Event::Appointment(e.clone()));
                appt.apply(e);
            }
            upsert_appointment(conn, &appt).await?;
            Ok(Ok(Outcome::Field(to_json(&appt))))
        }
        FieldCommand::OpenRemote { declaration_id, instruction } => {
            let Some(d) = load(conn, b, declaration_id.trim()).await? else {
                return Ok(Err(Refusal::not_found("declaration", "报关单")));
            };
            let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM remote_inspections WHERE declaration_id = $1")
                .bind(d.id.clone())
                .fetch_one(&mut *conn)
                .await?;
            let id = format!("RI{}-{}", d.id, n + 1);
            let events = match evidence::open(&id, &d.id, d.filed_by.clone(), instruction, by, now) {
                Ok(e) => e,
                Err(r) => return Ok(Err(r)),
            };
            let Some(mut remote) = RemoteInspection::from_events(&events[..1]) else {
                return Err(decode_error("a remote inspection's events start with its opening"));
            };
            let seq = apply_remote(st, b, &who, at, &mut remote, &events);
            notify_instruction(st, b, seq, &remote, at);
            upsert_remote(conn, &remote).await?;
            Ok(Ok(Outcome::Field(to_json(&remote))))
        }
        FieldCommand::InstructRemote { id, text } => {
            let Some(mut remote) = load_doc::<RemoteInspection>(conn, "remote_inspections", id).await? else {
                return Ok(Err(Refusal::not_found("remote inspection", "远程监管任务")));
            };
            let events = match remote.instruct(text, by, now) {
                Ok(e) => e,
                Err(r) => return Ok(Err(r)),
            };
            let seq = apply_remote(st, b, &who, at, &mut remote, &events);
            notify_instruction(st, b, seq, &remote, at);
            upsert_remote(conn, &remote).await?;
            Ok(Ok(Outcome::Field(to_json(&remote))))
        }
        FieldCommand::RecordEvidence { id, uploader, evidence_id: eid, instruction_no, file_name, media_type, size, sha256 } => {
            let Some(mut remote) = load_doc::<RemoteInspection>(conn, "remote_inspections", id).await? else {
                return Ok(Err(Refusal::not_found("remote inspection", "远程监管任务")));
            };
            // Evidence is sent for the consignee: an agent sends it only under its mandate.
            if let Some(d) = load(conn, b, &remote.declaration_id).await? {
                if remote.enterprise == *uploader {
                    if let Err(r) = crate::mandate::check_step(st, uploader, &d.content, now) {
                        return Ok(Err(r));
                    }
                }
            }
            let eid = eid.clone().unwrap_or_else(|| evidence_id(&remote.id, remote.evidence.len() + 1));
            let events = match remote.upload(uploader, &eid, *instruction_no, file_name, media_type, *size, sha256, by, now) {
                Ok(e) => e,
                Err(r) => return Ok(Err(r)),
            };
            apply_remote(st, b, &who, at, &mut remote, &events);
            upsert_remote(conn, &remote).await?;
            Ok(Ok(Outcome::Field(to_json(&remote))))
        }
        FieldCommand::ConcludeRemote { id, outcome, findings } => {
            let Some(mut remote) = load_doc::<RemoteInspection>(conn, "remote_inspections", id).await? else {
                return Ok(Err(Refusal::not_found("remote inspection", "远程监管任务")));
            };
            let events = match remote.conclude(*outcome, findings.clone(), by, now) {
                Ok(e) => e,
                Err(r) => return Ok(Err(r)),
            };
            apply_remote(st, b, &who, at, &mut remote, &events);
            upsert_remote(conn, &remote).await?;
            Ok(Ok(Outcome::Field(to_json(&remote))))
        }
    }
}

fn to_json<T: Serialize>(v: &T) -> Value {
    serde_json::to_value(v).expect("records serialize")
}

fn decode_error(what: &str) -> sqlx::Error {
    sqlx::Error::Decode(what.to_owned().into())
}

fn from_doc<T: DeserializeOwned>(doc: &str) -> Result<T, sqlx::Error> {
    serde_json::from_str(doc).map_err(|e| sqlx::Error::Decode(Box::new(e)))
}

/// A record's state from its view row, inside the writer's transaction.
async fn load_doc<T: DeserializeOwned>(conn: &mut AnyConnection, table: &'static str, id: &str) -> Result<Option<T>, sqlx::Error> {
    let doc: Option<String> =
        sqlx::query_scalar(&format!("SELECT doc FROM {table} WHERE id = $1")).bind(id.trim().to_owned()).fetch_optional(&mut *conn).await?;
    doc.map(|d| from_doc(&d)).transpose()
}

fn schedule_from(site_code: &str, kind: SlotKind, capacity: i64, hours: &str) -> Result<Schedule, sqlx::Error> {
    Ok(Schedule {
        site_code: site_code.to_owned(),
        kind,
        capacity_per_hour: u32::try_from(capacity).map_err(|_| decode_error("stored schedule has a bad capacity"))?,
        hours: ServiceHours::parse(hours).ok_or_else(|| decode_error("stored schedule has bad hours"))?,
    })
}

/// Journals a plan's events and applies them; returns the last sequence number.
fn apply_survey(st: &mut WriterState, b: &mut Batch, who: &str, at: i64, plan: &mut SurveyPlan, events: &[SurveyEvent]) -> i64 {
    let mut seq = 0;
    for e in events {
        seq = b.append(st, who, at, &Event::Survey(e.clone()));
        plan.apply(e);
    }
    seq
}

/// Journals an inspection's events and applies them (all of them: the opening too, which is a
/// no-op replacement); returns the last sequence number.
fn apply_remote(st: &mut WriterState, b: &mut Batch, who: &str, at: i64, remote: &mut RemoteInspection, events: &[RemoteEvent]) -> i64 {
    let mut seq = 0;
    for e in events {
        seq = b.append(st, who, at, &Event::Remote(e.clone()));
        remote.apply(e);
    }
    seq
}

async fn upsert_plan(conn: &mut AnyConnection, p: &SurveyPlan) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO survey_plans (id, declaration_id, holder, season, status, created_at_ms, doc) VALUES ($1, $2, $3, $4, $5, $6, $7) \
         ON CONFLICT (id) DO UPDATE SET status = excluded.status, doc = excluded.doc",
    )
    .bind(p.id.clone())
    .bind(p.declaration_id.clone())
    .bind(p.holder.to_string())
    .bind(p.season.clone())
    .bind(p.status.as_str())
    .bind(ms(p.planned_at))
    .bind(serde_json::to_string(p).expect("plans serialize"))
    .execute(&mut *conn)
    .await?;
    Ok(())
}

async fn upsert_appointment(conn: &mut AnyConnection, a: &Appointment) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO appointments (id, enterprise, site_code, kind, start_ms, status, doc) VALUES ($1, $2, $3, $4, $5, $6, $7) \
         ON CONFLICT (id) DO UPDATE SET status = excluded.status, doc = excluded.doc",
    )
    .bind(a.id.clone())
    .bind(a.enterprise.to_string())
    .bind(a.site_code.clone())
    .bind(a.kind.as_str())
    .bind(ms(a.start))
    .bind(a.status.as_str())
    .bind(serde_json::to_string(a).expect("appointments serialize"))
    .execute(&mut *conn)
    .await?;
    Ok(())
}

async fn upsert_remote(conn: &mut AnyConnection, r: &RemoteInspection) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO remote_inspections (id, declaration_id, enterprise, status, doc) VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (id) DO UPDATE SET status = excluded.status, doc = excluded.doc",
    )
    .bind(r.id.clone())
    .bind(r.declaration_id.clone())
    .bind(r.enterprise.to_string())
    .bind(r.status.as_str())
    .bind(serde_json::to_string(r).expect("remote inspections serialize"))
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// `YYYY-MM-DD HH:MM` in China Standard Time.
fn china_hm(t: OffsetDateTime) -> String {
    let l = t.to_offset(CHINA_TIME);
    format!("{} {:02}:{:02}", l.date(), l.hour(), l.minute())
}

fn appointment_notice(a: &Appointment, en: String, zh: String) -> Value {
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

/// Sends a notice to the booking enterprise and to the terminal operating the site, if any.
#[allow(clippy::too_many_arguments)]
async fn notify_both_sides(
    conn: &mut AnyConnection,
    st: &mut WriterState,
    b: &mut Batch,
    seq: i64,
    a: &Appointment,
    topic: &'static str,
    body: &Value,
    at: i64,
) -> Result<(), sqlx::Error> {
    let stream = format!("appointment:{}", a.id);
    let body = body.to_string();
    b.outbox(st, seq, &stream, a.enterprise.as_str(), topic, body.clone(), at);
    let operator: Option<String> = sqlx::query_scalar("SELECT code FROM enterprises WHERE site_code = $1")
        .bind(a.site_code.clone())
        .fetch_optional(&mut *conn)
        .await?;
    if let Some(op) = operator.filter(|op| op != a.enterprise.as_str()) {
        b.outbox(st, seq, &stream, &op, topic, body, at);
    }
    Ok(())
}

/// Tells the uploading enterprise about the latest instruction.
fn notify_instruction(st: &mut WriterState, b: &mut Batch, seq: i64, r: &RemoteInspection, at: i64) {
    let Some(i) = r.instructions.last() else { return };
    let body = json!({
        "inspection_id": r.id,
        "declaration_id": r.declaration_id,
        "instruction_no": i.no,
        "text": i.text,
        "status": r.status,
        "message_en": format!("remote inspection {} of declaration {}: instruction {}: {}", r.id, r.declaration_id, i.no, i.text),
        "message_zh": format!("报关单 {} 远程监管 {} 第 {} 条指令：{}", r.declaration_id, r.id, i.no, i.text),
    });
    let stream = format!("remote:{}", r.id);
    b.outbox(st, seq, &stream, r.enterprise.as_str(), "remote.instruction", body.to_string(), at);
}

/// Start and end (exclusive), in ms, of a calendar day in China Standard Time.
pub fn china_day_ms(date: Date) -> (i64, i64) {
    let start = PrimitiveDateTime::new(date, Time::MIDNIGHT).assume_offset(CHINA_TIME);
    (ms(start), ms(start + time::Duration::DAY))
}

fn db_err(e: serde_json::Error) -> StoreError {
    StoreError::Database(e.to_string())
}

impl Store {
    pub async fn survey_plan(&self, id: &str) -> Result<Option<SurveyPlan>, StoreError> {
        let doc: Option<String> =
            sqlx::query_scalar("SELECT doc FROM survey_plans WHERE id = $1").bind(id.to_owned()).fetch_optional(&self.read).await?;
        doc.map(|d| serde_json::from_str(&d).map_err(db_err)).transpose()
    }

    /// Survey plans, oldest first; only those held by `holder` when given.
    pub async fn survey_plans(&self, holder: Option<&str>) -> Result<Vec<SurveyPlan>, StoreError> {
        let docs: Vec<String> = match holder {
            Some(h) => {
                sqlx::query_scalar("SELECT doc FROM survey_plans WHERE holder = $1 ORDER BY created_at_ms, id")
                    .bind(h.to_owned())
                    .fetch_all(&self.read)
                    .await?
            }
            None => sqlx::query_scalar("SELECT doc FROM survey_plans ORDER BY created_at_ms, id").fetch_all(&self.read).await?,
        };
        docs.iter().map(|d| serde_json::from_str(d).map_err(db_err)).collect()
    }

    /// Every published schedule, by site and kind.
    pub async fn schedules(&self) -> Result<Vec<Schedule>, StoreError> {
        let rows =
            sqlx::query("SELECT site_code, kind, capacity, hours FROM schedules ORDER BY site_code, kind").fetch_all(&self.read).await?;
        rows.iter()
            .map(|r| {
                let kind: String = r.try_get("kind")?;
                let kind = SlotKind::parse(&kind).ok_or_else(|| decode_error("stored schedule has a bad kind"))?;
                Ok(schedule_from(&r.try_get::<String, _>("site_code")?, kind, r.try_get("capacity")?, &r.try_get::<String, _>("hours")?)?)
            })
            .collect()
    }

    /// The appointments of one calendar day in China Standard Time (the officer's day view),
    /// ordered by start; narrowed to a site and/or a booking enterprise when given.
    pub async fn appointments_on(&self, date: Date, site: Option<&str>, enterprise: Option<&str>) -> Result<Vec<Appointment>, StoreError> {
        let (from, to) = china_day_ms(date);
        let mut sql = String::from("SELECT doc FROM appointments WHERE start_ms >= $1 AND start_ms < $2");
        let mut binds = Vec::new();
        if let Some(s) = site {
            binds.push(s.to_owned());
            sql.push_str(&format!(" AND site_code = ${}", binds.len() + 2));
        }
        if let Some(e) = enterprise {
            binds.push(e.to_owned());
            sql.push_str(&format!(" AND enterprise = ${}", binds.len() + 2));
        }
        sql.push_str(" ORDER BY start_ms, id");
        let mut q = sqlx::query_scalar::<_, String>(&sql).bind(from).bind(to);
        for v in binds {
            q = q.bind(v);
        }
        let docs = q.fetch_all(&self.read).await?;
        let mut out: Vec<Appointment> = docs.iter().map(|d| serde_json::from_str(d).map_err(db_err)).collect::<Result<_, _>>()?;
        // Within an hour, priority bookings are served first.
        out.sort_by(|a, b| a.start.cmp(&b.start).then(b.priority.cmp(&a.priority)).then(a.id.cmp(&b.id)));
        Ok(out)
    }

    pub async fn appointment(&self, id: &str) -> Result<Option<Appointment>, StoreError> {
        let doc: Option<String> =
            sqlx::query_scalar("SELECT doc FROM appointments WHERE id = $1").bind(id.to_owned()).fetch_optional(&self.read).await?;
        doc.map(|d| serde_json::from_str(&d).map_err(db_err)).transpose()
    }

    pub async fn remote_inspection(&self, id: &str) -> Result<Option<RemoteInspection>, StoreError> {
        let doc: Option<String> =
            sqlx::query_scalar("SELECT doc FROM remote_inspections WHERE id = $1").bind(id.to_owned()).fetch_optional(&self.read).await?;
        doc.map(|d| serde_json::from_str(&d).map_err(db_err)).transpose()
    }

    /// The remote inspections of one declaration, in the order opened.
    pub async fn remote_inspections_for(&self, declaration_id: &str) -> Result<Vec<RemoteInspection>, StoreError> {
        let docs: Vec<String> = sqlx::query_scalar("SELECT doc FROM remote_inspections WHERE declaration_id = $1")
            .bind(declaration_id.to_owned())
            .fetch_all(&self.read)
            .await?;
        let mut out: Vec<RemoteInspection> = docs.iter().map(|d| serde_json::from_str(d).map_err(db_err)).collect::<Result<_, _>>()?;
        out.sort_by_key(|r| (r.instructions.first().map(|i| i.at), r.id.len(), r.id.clone()));
        Ok(out)
    }

    /// Whether any recorded evidence has this SHA-256 (files are stored by hash, so a file may
    /// only be removed when no record refers to it).
    pub async fn evidence_hash_in_use(&self, sha256: &str) -> Result<bool, StoreError> {
        if sha256.len() != 64 || !sha256.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Ok(false);
        }
        let pattern = format!("%\"sha256\":\"{sha256}\"%");
        let hit: Option<String> = sqlx::query_scalar("SELECT id FROM remote_inspections WHERE doc LIKE $1 LIMIT 1")
            .bind(pattern)
            .fetch_optional(&self.read)
            .await?;
        Ok(hit.is_some())
    }
}
