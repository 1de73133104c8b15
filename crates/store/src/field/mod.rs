//! Field work on the write path: survey plans of imported seed lots, appointment schedules and
//! bookings, remote inspections and their evidence.
//!
//! Each record lives in its table (`survey_plans`, `schedules`, `appointments`,
//! `remote_inspections`) with its whole state as JSON in `doc`. A command loads the record inside
//! the writer's transaction, calls the pure procedure, and — only if it agreed — journals the
//! wrapped events, upserts the row and queues the notices the domain says the events send.

pub mod read;
mod rows;

use crate::admin::Parties;
use crate::declaration::Spine;
use crate::kernel::{ms, Handled, Tx};
use crate::mandate::MandateBook;
use crate::numbering;
use guomen_domain::field::appointment::{self, Appointment, AppointmentStatus, Schedule, ServiceHours, SlotKind};
use guomen_domain::field::evidence::{self, RemoteEvent, RemoteInspection};
use guomen_domain::field::notice;
use guomen_domain::field::survey::{self, Finding, Plot, SurveyEvent, SurveyPlan};
use guomen_domain::inspection::Outcome as InspectionOutcome;
use guomen_domain::notice::Outgoing;
use guomen_domain::types::CustomsCode;
use guomen_domain::{Event, FieldError, Refusal, RefusalKind, Rule};
use serde::de::DeserializeOwned;
use sqlx::{AnyConnection, Row};
use time::{Date, OffsetDateTime};

#[cfg(test)]
pub(crate) const WRITES: &[&str] = &["survey_plans", "schedules", "appointments", "remote_inspections"];
#[cfg(test)]
pub(crate) const READS: &[&str] = &[];

pub use guomen_domain::field::notice::{evidence_id, MAX_CAPACITY_PER_HOUR};
pub(crate) use rows::{appointment_row, plan_row, remote_row, schedule_row, APPOINTMENTS, REMOTE_INSPECTIONS, SCHEDULES, SURVEY_PLANS};

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

/// What a field command produced: the record as it now stands.
#[derive(Debug, Clone)]
pub enum FieldOutcome {
    Plan(Box<SurveyPlan>),
    Schedule(Schedule),
    Appointment(Box<Appointment>),
    Remote(Box<RemoteInspection>),
}

/// Carries out a field command. Plans and remote inspections are opened on a declaration, read
/// through the spine; booking for a declaration and uploading evidence are a declarant's steps
/// on it (an agent needs the consignee's mandate); appointment notices also go to the terminal operating the site.
pub(crate) async fn execute(
    tx: &mut Tx<'_>,
    spine: &Spine<'_>,
    parties: &Parties<'_>,
    mandates: &MandateBook,
    cmd: &FieldCommand,
) -> Handled<FieldOutcome> {
    let (by, now) = (tx.actor.id.clone(), tx.now);
    let by = by.as_str();
    match cmd {
        FieldCommand::PlanSurvey { declaration_id, plot, season, sown_on, surveys } => {
            let Some(d) = spine.load(tx, declaration_id.trim()).await? else {
                return Ok(Err(Refusal::not_found("declaration", "报关单")));
            };
            let counter = format!("survey:{}", d.id);
            let n = numbering::peek(tx, &counter, "SELECT COUNT(*) FROM survey_plans WHERE declaration_id = $1", Some(&d.id)).await?;
            let id = format!("SV{}-{n}", d.id);
            let holder = d.content.head.trade_code.clone();
            let events = match survey::plan(&id, &d.id, holder, plot.clone(), season, *sown_on, *surveys, now) {
                Ok(e) => e,
                Err(r) => return Ok(Err(r)),
            };
            let Some(plan) = SurveyPlan::from_events(&events) else {
                return Err(decode_error("a survey plan's events start with its planning"));
            };
            numbering::take(tx, &counter, n);
            for e in &events {
                tx.append(&Event::Survey(e.clone()));
            }
            upsert_plan(tx.conn, &plan).await?;
            Ok(Ok(FieldOutcome::Plan(Box::new(plan))))
        }
        FieldCommand::RecordSurvey { plan_id, no, findings } => {
            on_plan(
                tx,
                plan_id,
                |plan| plan.record(*no, by, findings.clone(), now),
                |plan, events| notice::survey_actions(plan, *no, events),
            )
            .await
        }
        FieldCommand::CloseSurveyAction { plan_id, action_id, note } => {
            on_plan(tx, plan_id, |plan| plan.close_action(action_id, by, note, now), |_, _| None).await
        }
        FieldCommand::CloseSurveyPlan { plan_id } => on_plan(tx, plan_id, |plan| plan.close(by, now), |_, _| None).await,
        FieldCommand::SetSchedule(schedule) => {
            let schedule = match notice::check_schedule(schedule) {
                Ok(s) => s,
                Err(r) => return Ok(Err(r)),
            };
            tx.append(&Event::ScheduleSet { schedule: schedule.clone() });
            rows::upsert(tx.conn, &SCHEDULES, schedule_row(&schedule), &["capacity", "hours"]).await?;
            Ok(Ok(FieldOutcome::Schedule(schedule)))
        }
        FieldCommand::BookAppointment { enterprise, site_code, kind, start, declaration_id, reason, priority } => {
            let row = sqlx::query("SELECT capacity, hours FROM schedules WHERE site_code = $1 AND kind = $2")
                .bind(site_code.trim().to_owned())
                .bind(kind.as_str())
                .fetch_optional(&mut *tx.conn)
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
                let decl = spine.load(tx, did).await?.filter(|d| &d.filed_by == enterprise || d.content.parties().contains(&enterprise));
                // Booking for a declaration is a step on it: the consignee, or its mandated agent.
                if let Some(d) = &decl {
                    if let Err(r) = crate::mandate::check_step(mandates, enterprise, &d.content, now) {
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
                            Rule::DeclarationUnknown,
                            "no such declaration of yours",
                            "贵企业无此报关单",
                        )],
                    }));
                }
            }
            let booked: i64 = sqlx::query_scalar(
                "SELECT COUNT(*) FROM appointments WHERE site_code = $1 AND kind = $2 AND start_ms = $3 AND status = $4",
            )
            .bind(schedule.site_code.clone())
            .bind(kind.as_str())
            .bind(ms(*start))
            .bind(AppointmentStatus::Booked.as_str())
            .fetch_one(&mut *tx.conn)
            .await?;
            let n = numbering::peek(tx, "appointment", "SELECT COUNT(*) FROM appointments", None).await?;
            let id = format!("AP{n:010}");
            let booked = u32::try_from(booked).unwrap_or(u32::MAX);
            let events = match appointment::book(&schedule, booked, &id, enterprise, *start, declaration_id, reason, *priority, now) {
                Ok(e) => e,
                Err(r) => return Ok(Err(r)),
            };
            let Some(appt) = Appointment::from_events(&events) else {
                return Err(decode_error("an appointment's events start with its booking"));
            };
            numbering::take(tx, "appointment", n);
            let mut seq = 0;
            for e in &events {
                seq = tx.append(&Event::Appointment(e.clone()));
            }
            notify_both_sides(tx, parties, seq, &appt, notice::appointment_confirmed(&appt));
            upsert_appointment(tx.conn, &appt).await?;
            Ok(Ok(FieldOutcome::Appointment(Box::new(appt))))
        }
        FieldCommand::CancelAppointment { id, enterprise, reason } => {
            let Some(mut appt) = load_doc::<Appointment>(tx.conn, "appointments", id).await? else {
                return Ok(Err(Refusal::not_found("appointment", "预约")));
            };
            let events = match appt.cancel(enterprise, reason, now) {
                Ok(e) => e,
                Err(r) => return Ok(Err(r)),
            };
            let mut seq = 0;
            for e in &events {
                seq = tx.append(&Event::Appointment(e.clone()));
                appt.apply(e);
            }
            notify_both_sides(tx, parties, seq, &appt, notice::appointment_cancelled(&appt));
            upsert_appointment(tx.conn, &appt).await?;
            Ok(Ok(FieldOutcome::Appointment(Box::new(appt))))
        }
        FieldCommand::CompleteAppointment { id } => {
            let Some(mut appt) = load_doc::<Appointment>(tx.conn, "appointments", id).await? else {
                return Ok(Err(Refusal::not_found("appointment", "预约")));
            };
            let events = match appt.complete(by, now) {
                Ok(e) => e,
                Err(r) => return Ok(Err(r)),
            };
            for e in &events {
                tx.append(&Event::Appointment(e.clone()));
                appt.apply(e);
            }
            upsert_appointment(tx.conn, &appt).await?;
            Ok(Ok(FieldOutcome::Appointment(Box::new(appt))))
        }
        FieldCommand::OpenRemote { declaration_id, instruction } => {
            let Some(d) = spine.load(tx, declaration_id.trim()).await? else {
                return Ok(Err(Refusal::not_found("declaration", "报关单")));
            };
            let counter = format!("remote:{}", d.id);
            let n = numbering::peek(tx, &counter, "SELECT COUNT(*) FROM remote_inspections WHERE declaration_id = $1", Some(&d.id)).await?;
            let id = format!("RI{}-{n}", d.id);
            let events = match evidence::open(&id, &d.id, d.filed_by.clone(), instruction, by, now) {
                Ok(e) => e,
                Err(r) => return Ok(Err(r)),
            };
            let Some(mut remote) = RemoteInspection::from_events(&events[..1]) else {
                return Err(decode_error("a remote inspection's events start with its opening"));
            };
            numbering::take(tx, &counter, n);
            let seq = apply_remote(tx, &mut remote, &events);
            send(tx, seq, &format!("remote:{}", remote.id), notice::remote_instruction(&remote));
            upsert_remote(tx.conn, &remote).await?;
            Ok(Ok(FieldOutcome::Remote(Box::new(remote))))
        }
        FieldCommand::InstructRemote { id, text } => on_remote(tx, id, |r| r.instruct(text, by, now), true).await,
        FieldCommand::RecordEvidence { id, uploader, evidence_id: eid, instruction_no, file_name, media_type, size, sha256 } => {
            // Evidence is sent for the consignee: an agent sends it only under its mandate.
            if let Some(remote) = load_doc::<RemoteInspection>(tx.conn, "remote_inspections", id).await? {
                if remote.enterprise == *uploader {
                    if let Some(d) = spine.load(tx, &remote.declaration_id).await? {
                        if let Err(r) = crate::mandate::check_step(mandates, uploader, &d.content, now) {
                            return Ok(Err(r));
                        }
                    }
                }
            }
            on_remote(
                tx,
                id,
                |r| {
                    let eid = eid.clone().unwrap_or_else(|| evidence_id(&r.id, r.evidence.len() + 1));
                    r.upload(uploader, &eid, *instruction_no, file_name, media_type, *size, sha256, by, now)
                },
                false,
            )
            .await
        }
        FieldCommand::ConcludeRemote { id, outcome, findings } => {
            on_remote(tx, id, |r| r.conclude(*outcome, findings.clone(), by, now), false).await
        }
    }
}

/// Loads a survey plan, runs a procedure on it, journals and saves what it decided, and sends
/// the notice the events call for.
async fn on_plan(
    tx: &mut Tx<'_>,
    plan_id: &str,
    procedure: impl FnOnce(&SurveyPlan) -> Result<Vec<SurveyEvent>, Refusal>,
    notice: impl FnOnce(&SurveyPlan, &[SurveyEvent]) -> Option<Outgoing>,
) -> Handled<FieldOutcome> {
    let Some(mut plan) = load_doc::<SurveyPlan>(tx.conn, "survey_plans", plan_id).await? else {
        return Ok(Err(Refusal::not_found("field monitoring plan", "田间监测计划")));
    };
    let events = match procedure(&plan) {
        Ok(e) => e,
        Err(r) => return Ok(Err(r)),
    };
    let mut seq = 0;
    for e in &events {
        seq = tx.append(&Event::Survey(e.clone()));
        plan.apply(e);
    }
    send(tx, seq, &format!("survey:{}", plan.id), notice(&plan, &events));
    upsert_plan(tx.conn, &plan).await?;
    Ok(Ok(FieldOutcome::Plan(Box::new(plan))))
}

/// Loads a remote inspection, runs a procedure on it, journals and saves what it decided; with
/// `instruct`, tells the uploader the latest instruction.
async fn on_remote(
    tx: &mut Tx<'_>,
    id: &str,
    procedure: impl FnOnce(&RemoteInspection) -> Result<Vec<RemoteEvent>, Refusal>,
    instruct: bool,
) -> Handled<FieldOutcome> {
    let Some(mut remote) = load_doc::<RemoteInspection>(tx.conn, "remote_inspections", id).await? else {
        return Ok(Err(Refusal::not_found("remote inspection", "远程监管任务")));
    };
    let events = match procedure(&remote) {
        Ok(e) => e,
        Err(r) => return Ok(Err(r)),
    };
    let seq = apply_remote(tx, &mut remote, &events);
    if instruct {
        send(tx, seq, &format!("remote:{}", remote.id), notice::remote_instruction(&remote));
    }
    upsert_remote(tx.conn, &remote).await?;
    Ok(Ok(FieldOutcome::Remote(Box::new(remote))))
}

fn send(tx: &mut Tx<'_>, seq: i64, stream: &str, o: Option<Outgoing>) {
    if let Some(o) = o {
        tx.notify(seq, stream, o.recipient.as_str(), o.topic, o.body.to_string());
    }
}

fn decode_error(what: &str) -> sqlx::Error {
    sqlx::Error::Decode(what.to_owned().into())
}

fn from_doc<T: DeserializeOwned>(doc: &str) -> Result<T, sqlx::Error> {
    serde_json::from_str(doc).map_err(|e| sqlx::Error::Decode(Box::new(e)))
}

/// A record's state from its table, inside the writer's transaction.
async fn load_doc<T: DeserializeOwned>(conn: &mut AnyConnection, table: &'static str, id: &str) -> Result<Option<T>, sqlx::Error> {
    let doc: Option<String> =
        sqlx::query_scalar(&format!("SELECT doc FROM {table} WHERE id = $1")).bind(id.trim().to_owned()).fetch_optional(&mut *conn).await?;
    doc.map(|d| from_doc(&d)).transpose()
}

pub(crate) fn schedule_from(site_code: &str, kind: SlotKind, capacity: i64, hours: &str) -> Result<Schedule, sqlx::Error> {
    Ok(Schedule {
        site_code: site_code.to_owned(),
        kind,
        capacity_per_hour: u32::try_from(capacity).map_err(|_| decode_error("stored schedule has a bad capacity"))?,
        hours: ServiceHours::parse(hours).ok_or_else(|| decode_error("stored schedule has bad hours"))?,
    })
}

/// Journals an inspection's events and applies them (all of them: the opening too, which is a
/// no-op replacement); returns the last sequence number.
fn apply_remote(tx: &mut Tx<'_>, remote: &mut RemoteInspection, events: &[RemoteEvent]) -> i64 {
    let mut seq = 0;
    for e in events {
        seq = tx.append(&Event::Remote(e.clone()));
        remote.apply(e);
    }
    seq
}

/// Sends an appointment notice to the booking enterprise and to the terminal operating the site.
fn notify_both_sides(tx: &mut Tx<'_>, parties: &Parties<'_>, seq: i64, a: &Appointment, (topic, body): (&'static str, serde_json::Value)) {
    let stream = format!("appointment:{}", a.id);
    let body = body.to_string();
    tx.notify(seq, &stream, a.enterprise.as_str(), topic, body.clone());
    if let Some(op) = parties.site_operator(&a.site_code).filter(|op| op != &a.enterprise) {
        tx.notify(seq, &stream, op.as_str(), topic, body);
    }
}

async fn upsert_plan(conn: &mut AnyConnection, p: &SurveyPlan) -> Result<(), sqlx::Error> {
    rows::upsert(conn, &SURVEY_PLANS, plan_row(p), &["status", "doc"]).await
}

async fn upsert_appointment(conn: &mut AnyConnection, a: &Appointment) -> Result<(), sqlx::Error> {
    rows::upsert(conn, &APPOINTMENTS, appointment_row(a), &["status", "doc"]).await
}

async fn upsert_remote(conn: &mut AnyConnection, r: &RemoteInspection) -> Result<(), sqlx::Error> {
    rows::upsert(conn, &REMOTE_INSPECTIONS, remote_row(r), &["status", "doc"]).await
}
