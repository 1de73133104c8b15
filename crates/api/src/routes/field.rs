//! Field surveys (田间监测), appointments (预约) and remote inspection (远程监管).
//!
//! Evidence files live outside the database, under `files/evidence/<sha256>`: content-addressed,
//! so the journal's hash names the file and proves it on every read.

use super::NoteBody;
use crate::auth::Caller;
use crate::body::RawBody;
use crate::problem::{problem_body, ApiError};
use crate::AppState;
use axum::body::Bytes;
use axum::extract::rejection::QueryRejection;
use axum::extract::{DefaultBodyLimit, FromRequest, Path, Query, Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use axum::{Json, Router};
use guomen_domain::field::appointment::{Appointment, Schedule, ServiceHours, SlotKind};
use guomen_domain::field::evidence::{self, RemoteInspection, ALLOWED_MEDIA_TYPES, MAX_EVIDENCE_BYTES};
use guomen_domain::field::survey::{Finding, Plot, SurveyPlan};
use guomen_domain::inspection::Outcome as InspectionOutcome;
use guomen_domain::party::Role;
use guomen_domain::{FieldError, Refusal, RefusalKind, Rule};
use guomen_service::fail_if as done;
use guomen_service::fields::required;
use guomen_store::field::FieldCommand;
use guomen_store::{Command, Outcome};
use rust_decimal::Decimal;
use serde::Deserialize;
use serde_json::{json, Value};
use std::path::PathBuf;
use std::str::FromStr;
use time::{Date, OffsetDateTime};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/surveys", post(plan_survey).get(list_surveys))
        .route("/api/v1/surveys/{id}", get(show_survey))
        .route("/api/v1/surveys/{id}/records", post(record_survey))
        .route("/api/v1/surveys/{id}/actions/{action_id}/close", post(close_action))
        .route("/api/v1/surveys/{id}/close", post(close_plan))
        .route("/api/v1/schedules", put(set_schedule).get(list_schedules))
        .route("/api/v1/appointments", post(book).get(day_view))
        .route("/api/v1/appointments/{id}", get(show_appointment))
        .route("/api/v1/appointments/{id}/cancel", post(cancel))
        .route("/api/v1/appointments/{id}/complete", post(complete))
        .route("/api/v1/declarations/{id}/remote", post(open_remote).get(list_remote))
        .route("/api/v1/remote/{id}", get(show_remote))
        .route("/api/v1/remote/{id}/instructions", post(instruct))
        .route("/api/v1/remote/{id}/evidence", post(upload).layer(DefaultBodyLimit::max(MAX_EVIDENCE_BYTES as usize + 1)))
        .route("/api/v1/remote/{id}/evidence/{evidence_id}", get(download))
        .route("/api/v1/remote/{id}/conclusion", post(conclude))
}

// ---------------------------------------------------------------------------------------------
// Shared helpers

fn record(out: Outcome) -> Result<Value, ApiError> {
    let v = match out {
        Outcome::SurveyPlan(plan) => serde_json::to_value(plan),
        Outcome::Schedule(schedule) => serde_json::to_value(schedule),
        Outcome::Appointment(appointment) => serde_json::to_value(appointment),
        Outcome::Remote(remote) => serde_json::to_value(remote),
        other => return Err(ApiError::Internal(format!("unexpected outcome {other:?}"))),
    };
    v.map_err(|e| ApiError::Internal(e.to_string()))
}

async fn run(s: &AppState, caller: &Caller, cmd: FieldCommand) -> Result<Value, ApiError> {
    record(s.store.execute(caller.0.clone(), Command::Field(cmd)).await?)
}

fn created(v: Value) -> Response {
    (StatusCode::CREATED, Json(v)).into_response()
}

fn query<T>(q: Result<Query<T>, QueryRejection>) -> Result<T, ApiError> {
    q.map(|Query(q)| q).map_err(|e| ApiError::malformed("query", e.body_text(), "查询参数不正确"))
}

fn date(errors: &mut Vec<FieldError>, path: &str, v: &str) -> Option<Date> {
    let d = Date::parse(v.trim(), &time::macros::format_description!("[year]-[month]-[day]")).ok();
    if d.is_none() {
        errors.push(FieldError::new(path, Rule::DateFormat, "a date is YYYY-MM-DD", "日期格式应为 YYYY-MM-DD"));
    }
    d
}

/// A decimal given as a string ("8.5") or a JSON number.
fn decimal(errors: &mut Vec<FieldError>, path: &str, v: &Value) -> Decimal {
    let parsed = match v {
        Value::String(s) => Decimal::from_str(s.trim()).ok(),
        Value::Number(n) => Decimal::from_str(&n.to_string()).or_else(|_| Decimal::from_scientific(&n.to_string())).ok(),
        _ => None,
    };
    // Bounded like GACC's N19,5, so nothing computed from it can overflow.
    let bound = Decimal::from(100_000_000_000_000u64);
    parsed.filter(|d| d.abs() < bound).unwrap_or_else(|| {
        errors.push(FieldError::new(
            path,
            Rule::DecimalFormat,
            "a decimal number such as \"8.5\", at most 14 digits before the point",
            "应为十进制数，如 \"8.5\"，整数部分最多14位",
        ));
        Decimal::ZERO
    })
}

/// A problem document whose code is the rule itself, answered with the rule's catalogued status
/// (for answers no refusal kind names).
fn custom_problem(rule: Rule, base: Refusal) -> Response {
    let status = StatusCode::from_u16(rule.status()).unwrap_or(StatusCode::BAD_REQUEST);
    let code = rule.code();
    let mut body = problem_body(&base);
    body["status"] = json!(status.as_u16());
    body["code"] = json!(code);
    body["type"] = json!(format!("https://guomen.dev/problems/{code}"));
    let mut res = (status, body.to_string()).into_response();
    res.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/problem+json"));
    res
}

// ---------------------------------------------------------------------------------------------
// 田间监测 — field surveys

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlotBody {
    location: String,
    area_mu: Value,
    crop: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlanBody {
    declaration_id: String,
    plot: PlotBody,
    season: String,
    /// YYYY-MM-DD
    sown_on: String,
    surveys: Option<u8>,
}

/// `POST /api/v1/surveys` — an officer plans a season's field monitoring of an imported seed lot.
pub async fn plan_survey(State(s): State<AppState>, caller: Caller, body: RawBody) -> Result<Response, ApiError> {
    caller.require(&[Role::Officer])?;
    let b: PlanBody = body.json()?;
    let mut errors = Vec::new();
    let area_mu = decimal(&mut errors, "plot.area_mu", &b.plot.area_mu);
    let sown_on = date(&mut errors, "sown_on", &b.sown_on);
    done(errors)?;
    let plot = Plot { location: b.plot.location, area_mu, crop: b.plot.crop };
    let cmd = FieldCommand::PlanSurvey {
        declaration_id: b.declaration_id,
        plot,
        season: b.season,
        sown_on: sown_on.expect("checked"),
        surveys: b.surveys,
    };
    Ok(created(run(&s, &caller, cmd).await?))
}

/// Whether the caller may see a plan: customs officers, and the holder.
fn sees_plan(caller: &Caller, p: &SurveyPlan) -> bool {
    match caller.role() {
        Role::Officer => true,
        Role::Declarant => caller.0.enterprise.as_ref() == Some(&p.holder),
        _ => false,
    }
}

/// `GET /api/v1/surveys` — officers see every plan; a declarant those its enterprise holds.
pub async fn list_surveys(State(s): State<AppState>, caller: Caller) -> Result<Json<Value>, ApiError> {
    caller.require(&[Role::Officer, Role::Declarant])?;
    let holder = match caller.role() {
        Role::Officer => None,
        _ => Some(caller.enterprise()?.to_string()),
    };
    let plans = s.store.survey_plans(holder.as_deref()).await?;
    Ok(Json(json!({ "surveys": plans })))
}

/// `GET /api/v1/surveys/{id}`
pub async fn show_survey(State(s): State<AppState>, caller: Caller, Path(id): Path<String>) -> Result<Json<Value>, ApiError> {
    caller.require(&[Role::Officer, Role::Declarant, Role::RiskAnalyst, Role::Admin])?;
    match s.store.survey_plan(&id).await? {
        Some(p) if sees_plan(&caller, &p) => Ok(Json(json!(p))),
        _ => Err(ApiError::Refused(Refusal::not_found("field monitoring plan", "田间监测计划"))),
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FindingBody {
    pest: Option<String>,
    quarantine_pest: bool,
    description: String,
    affected_area_mu: Option<Value>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RecordBody {
    no: u8,
    #[serde(default)]
    findings: Vec<FindingBody>,
}

/// `POST /api/v1/surveys/{id}/records` — the officer records survey `no`.
pub async fn record_survey(
    State(s): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    body: RawBody,
) -> Result<Json<Value>, ApiError> {
    caller.require(&[Role::Officer])?;
    let b: RecordBody = body.json()?;
    let mut errors = Vec::new();
    let findings: Vec<Finding> = b
        .findings
        .into_iter()
        .enumerate()
        .map(|(i, f)| Finding {
            pest: f.pest,
            quarantine_pest: f.quarantine_pest,
            description: f.description,
            affected_area_mu: f
                .affected_area_mu
                .filter(|v| !v.is_null())
                .map(|v| decimal(&mut errors, &format!("findings[{i}].affected_area_mu"), &v)),
        })
        .collect();
    done(errors)?;
    Ok(Json(run(&s, &caller, FieldCommand::RecordSurvey { plan_id: id, no: b.no, findings }).await?))
}

/// `POST /api/v1/surveys/{id}/actions/{action_id}/close`
pub async fn close_action(
    State(s): State<AppState>,
    caller: Caller,
    Path((id, action_id)): Path<(String, String)>,
    body: RawBody,
) -> Result<Json<Value>, ApiError> {
    caller.require(&[Role::Officer])?;
    let b: NoteBody = body.json()?;
    Ok(Json(run(&s, &caller, FieldCommand::CloseSurveyAction { plan_id: id, action_id, note: b.note }).await?))
}

/// `POST /api/v1/surveys/{id}/close` — 结案, once every survey is recorded and every action closed.
pub async fn close_plan(State(s): State<AppState>, caller: Caller, Path(id): Path<String>) -> Result<Json<Value>, ApiError> {
    caller.require(&[Role::Officer])?;
    Ok(Json(run(&s, &caller, FieldCommand::CloseSurveyPlan { plan_id: id }).await?))
}

// ---------------------------------------------------------------------------------------------
// 预约 — schedules and appointments

fn slot_kind(errors: &mut Vec<FieldError>, v: &str) -> Option<SlotKind> {
    let k = SlotKind::parse(v);
    if k.is_none() {
        errors.push(FieldError::new("kind", Rule::SlotKind, "kind is inspection or clearance", "预约类型应为 inspection 或 clearance"));
    }
    k
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScheduleBody {
    site_code: String,
    kind: String,
    capacity_per_hour: u32,
    hours: String,
}

/// `PUT /api/v1/schedules` — the admin publishes a site's bookable capacity and service hours.
pub async fn set_schedule(State(s): State<AppState>, caller: Caller, body: RawBody) -> Result<Json<Value>, ApiError> {
    caller.require(&[Role::Admin])?;
    let b: ScheduleBody = body.json()?;
    let mut errors = Vec::new();
    let site_code = required(&mut errors, "site_code", &b.site_code, 32);
    let kind = slot_kind(&mut errors, &b.kind);
    let hours = ServiceHours::parse(&b.hours);
    if hours.is_none() {
        errors.push(FieldError::new(
            "hours",
            Rule::ServiceHours,
            "hours are office, five-plus-two or seven-by-twenty-four",
            "服务时间应为 office、five-plus-two 或 seven-by-twenty-four",
        ));
    }
    done(errors)?;
    let schedule =
        Schedule { site_code, kind: kind.expect("checked"), capacity_per_hour: b.capacity_per_hour, hours: hours.expect("checked") };
    Ok(Json(run(&s, &caller, FieldCommand::SetSchedule(schedule)).await?))
}

/// `GET /api/v1/schedules` — every site's schedules, for any authenticated caller.
pub async fn list_schedules(State(s): State<AppState>, _caller: Caller) -> Result<Json<Value>, ApiError> {
    Ok(Json(json!({ "schedules": s.store.schedules().await? })))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BookBody {
    site_code: String,
    kind: String,
    /// RFC 3339, e.g. 2026-03-11T03:00:00+08:00
    start: String,
    declaration_id: Option<String>,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    priority: bool,
}

/// `POST /api/v1/appointments` — a declarant books an hour slot at a site.
pub async fn book(State(s): State<AppState>, caller: Caller, body: RawBody) -> Result<Response, ApiError> {
    caller.require(&[Role::Declarant])?;
    let enterprise = caller.enterprise()?.clone();
    let b: BookBody = body.json()?;
    let mut errors = Vec::new();
    let site_code = required(&mut errors, "site_code", &b.site_code, 32);
    let kind = slot_kind(&mut errors, &b.kind);
    let start = OffsetDateTime::parse(b.start.trim(), &time::format_description::well_known::Rfc3339).ok();
    if start.is_none() {
        errors.push(FieldError::new(
            "start",
            Rule::DatetimeFormat,
            "an RFC 3339 date-time such as 2026-03-11T03:00:00+08:00",
            "应为 RFC 3339 时间，如 2026-03-11T03:00:00+08:00",
        ));
    }
    done(errors)?;
    let cmd = FieldCommand::BookAppointment {
        enterprise,
        site_code,
        kind: kind.expect("checked"),
        start: start.expect("checked"),
        declaration_id: b.declaration_id,
        reason: b.reason,
        priority: b.priority,
    };
    Ok(created(run(&s, &caller, cmd).await?))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DayQuery {
    /// YYYY-MM-DD, a day in China Standard Time.
    date: Option<String>,
    site: Option<String>,
}

/// The site a terminal operates, if any.
async fn own_site(s: &AppState, caller: &Caller) -> Result<Option<String>, ApiError> {
    let code = caller.enterprise()?.to_string();
    Ok(s.store.enterprise(&code).await?.and_then(|e| e.site_code))
}

/// `GET /api/v1/appointments?date=YYYY-MM-DD[&site=CODE]` — one day's appointments, ordered by
/// start: every site's for officers (the day view), its own for a declarant, its site's for a
/// terminal.
pub async fn day_view(
    State(s): State<AppState>,
    caller: Caller,
    q: Result<Query<DayQuery>, QueryRejection>,
) -> Result<Json<Value>, ApiError> {
    caller.require(&[Role::Officer, Role::Declarant, Role::Terminal])?;
    let q = query(q)?;
    let mut errors = Vec::new();
    let day = match q.date.as_deref() {
        Some(d) => date(&mut errors, "date", d),
        None => {
            errors.push(FieldError::new("date", Rule::Required, "give the day as ?date=YYYY-MM-DD", "请以 ?date=YYYY-MM-DD 指定日期"));
            None
        }
    };
    done(errors)?;
    let day = day.expect("checked");
    let site = q.site.map(|s| s.trim().to_owned()).filter(|s| !s.is_empty());
    let list = match caller.role() {
        Role::Officer => s.store.appointments_on(day, site.as_deref(), None).await?,
        Role::Declarant => {
            let own = caller.enterprise()?.to_string();
            s.store.appointments_on(day, site.as_deref(), Some(&own)).await?
        }
        _ => match own_site(&s, &caller).await? {
            Some(mine) => {
                if site.as_ref().is_some_and(|asked| asked != &mine) {
                    return Err(ApiError::forbidden());
                }
                s.store.appointments_on(day, Some(&mine), None).await?
            }
            None => Vec::new(),
        },
    };
    Ok(Json(json!({ "date": day.to_string(), "appointments": list })))
}

/// Whether the caller may see an appointment: officers, the booking enterprise, the site's terminal.
async fn sees_appointment(s: &AppState, caller: &Caller, a: &Appointment) -> Result<bool, ApiError> {
    Ok(match caller.role() {
        Role::Officer => true,
        Role::Declarant => caller.0.enterprise.as_ref() == Some(&a.enterprise),
        Role::Terminal => own_site(s, caller).await?.as_deref() == Some(a.site_code.as_str()),
        _ => false,
    })
}

/// `GET /api/v1/appointments/{id}`
pub async fn show_appointment(State(s): State<AppState>, caller: Caller, Path(id): Path<String>) -> Result<Json<Value>, ApiError> {
    caller.require(&[Role::Officer, Role::Declarant, Role::Terminal])?;
    match s.store.appointment(&id).await? {
        Some(a) if sees_appointment(&s, &caller, &a).await? => Ok(Json(json!(a))),
        _ => Err(ApiError::Refused(Refusal::not_found("appointment", "预约"))),
    }
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct CancelBody {
    #[serde(default)]
    reason: String,
}

/// `POST /api/v1/appointments/{id}/cancel` — only the booking enterprise; others get 404.
pub async fn cancel(State(s): State<AppState>, caller: Caller, Path(id): Path<String>, body: RawBody) -> Result<Json<Value>, ApiError> {
    caller.require(&[Role::Declarant])?;
    let enterprise = caller.enterprise()?.clone();
    let b: CancelBody = if body.bytes.is_empty() { CancelBody::default() } else { body.json()? };
    Ok(Json(run(&s, &caller, FieldCommand::CancelAppointment { id, enterprise, reason: b.reason }).await?))
}

/// `POST /api/v1/appointments/{id}/complete` — the officer has served the appointment.
pub async fn complete(State(s): State<AppState>, caller: Caller, Path(id): Path<String>) -> Result<Json<Value>, ApiError> {
    caller.require(&[Role::Officer])?;
    Ok(Json(run(&s, &caller, FieldCommand::CompleteAppointment { id }).await?))
}

// ---------------------------------------------------------------------------------------------
// 远程监管 — remote inspection

/// Whether the caller may see a remote inspection: officers, and the enterprise that uploads.
fn sees_remote(caller: &Caller, r: &RemoteInspection) -> bool {
    match caller.role() {
        Role::Officer => true,
        Role::Declarant => caller.0.enterprise.as_ref() == Some(&r.enterprise),
        _ => false,
    }
}

fn remote_not_found() -> ApiError {
    ApiError::Refused(Refusal::not_found("remote inspection", "远程监管任务"))
}

/// The remote inspection `id` if the caller may see it; 404 otherwise.
async fn visible_remote(s: &AppState, caller: &Caller, id: &str) -> Result<RemoteInspection, ApiError> {
    match s.store.remote_inspection(id).await? {
        Some(r) if sees_remote(caller, &r) => Ok(r),
        _ => Err(remote_not_found()),
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OpenBody {
    instruction: String,
}

/// `POST /api/v1/declarations/{id}/remote` — the officer opens a remote inspection with its first
/// instruction; the declaration's filer is told and uploads.
pub async fn open_remote(State(s): State<AppState>, caller: Caller, Path(id): Path<String>, body: RawBody) -> Result<Response, ApiError> {
    caller.require(&[Role::Officer])?;
    let b: OpenBody = body.json()?;
    Ok(created(run(&s, &caller, FieldCommand::OpenRemote { declaration_id: id, instruction: b.instruction }).await?))
}

/// `GET /api/v1/declarations/{id}/remote` — the remote inspections of a declaration the caller may see.
pub async fn list_remote(State(s): State<AppState>, caller: Caller, Path(id): Path<String>) -> Result<Json<Value>, ApiError> {
    caller.require(&[Role::Officer, Role::Declarant])?;
    let list: Vec<RemoteInspection> = s.store.remote_inspections_for(&id).await?.into_iter().filter(|r| sees_remote(&caller, r)).collect();
    Ok(Json(json!({ "remote_inspections": list })))
}

/// `GET /api/v1/remote/{id}`
pub async fn show_remote(State(s): State<AppState>, caller: Caller, Path(id): Path<String>) -> Result<Json<Value>, ApiError> {
    caller.require(&[Role::Officer, Role::Declarant])?;
    Ok(Json(json!(visible_remote(&s, &caller, &id).await?)))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InstructBody {
    text: String,
}

/// `POST /api/v1/remote/{id}/instructions` — a further instruction.
pub async fn instruct(State(s): State<AppState>, caller: Caller, Path(id): Path<String>, body: RawBody) -> Result<Json<Value>, ApiError> {
    caller.require(&[Role::Officer])?;
    let b: InstructBody = body.json()?;
    Ok(Json(run(&s, &caller, FieldCommand::InstructRemote { id, text: b.text }).await?))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConcludeBody {
    outcome: InspectionOutcome,
    #[serde(default)]
    findings: Vec<String>,
}

/// `POST /api/v1/remote/{id}/conclusion`
pub async fn conclude(State(s): State<AppState>, caller: Caller, Path(id): Path<String>, body: RawBody) -> Result<Json<Value>, ApiError> {
    caller.require(&[Role::Officer])?;
    let b: ConcludeBody = body.json()?;
    let mut errors = Vec::new();
    let findings: Vec<String> =
        b.findings.iter().enumerate().map(|(i, f)| required(&mut errors, &format!("findings[{i}]"), f, 500)).collect();
    done(errors)?;
    Ok(Json(run(&s, &caller, FieldCommand::ConcludeRemote { id, outcome: b.outcome, findings }).await?))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UploadQuery {
    instruction: Option<u32>,
    file_name: Option<String>,
}

fn evidence_dir(s: &AppState) -> PathBuf {
    s.files.join("evidence")
}

/// Serialises storing, recording and (on refusal) removing evidence files, so a refused upload
/// never removes a file that a concurrent upload of the same content has just recorded.
static UPLOADS: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// Writes `bytes` to `dir/<sha256>` durably: a temporary file, fsync, then an atomic rename.
async fn store_file(dir: &std::path::Path, sha256: &str, bytes: &Bytes) -> std::io::Result<()> {
    use tokio::io::AsyncWriteExt;
    tokio::fs::create_dir_all(dir).await?;
    let tmp = dir.join(format!(".upload-{}-{:016x}", sha256, rand::random::<u64>()));
    let result = async {
        let mut f = tokio::fs::File::create(&tmp).await?;
        f.write_all(bytes).await?;
        f.sync_all().await?;
        drop(f);
        tokio::fs::rename(&tmp, dir.join(sha256)).await
    }
    .await;
    if result.is_err() {
        let _ = tokio::fs::remove_file(&tmp).await;
    }
    result
}

/// `POST /api/v1/remote/{id}/evidence?instruction=N&file_name=NAME` — the enterprise uploads a
/// photograph, video or PDF; the body is the file. Its media type is read from its signature
/// (the declared `Content-Type` is not trusted), and type and size are checked before anything
/// is stored; a refused upload leaves nothing behind.
pub async fn upload(
    State(s): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    q: Result<Query<UploadQuery>, QueryRejection>,
    req: Request,
) -> Result<Response, ApiError> {
    caller.require(&[Role::Declarant])?;
    let uploader = caller.enterprise()?.clone();
    let q = query(q)?;
    let mut errors = Vec::new();
    if q.instruction.is_none() {
        errors.push(FieldError::new(
            "instruction",
            Rule::Required,
            "give the instruction answered as ?instruction=N",
            "请以 ?instruction=N 指定所答复的监管指令",
        ));
    }
    let file_name = q.file_name.as_deref().map(str::trim).unwrap_or("").to_owned();
    if file_name.is_empty() {
        errors.push(FieldError::new(
            "file_name",
            Rule::Required,
            "give the file's name as ?file_name=NAME",
            "请以 ?file_name=文件名 指定文件名",
        ));
    }
    done(errors)?;
    let instruction_no = q.instruction.expect("checked");

    // What the client says the file is, only to word a refusal: the content decides.
    let declared = req.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    let declared = declared.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    let remote = visible_remote(&s, &caller, &id).await?;
    if remote.enterprise != uploader {
        return Err(remote_not_found());
    }

    // The body, at most MAX_EVIDENCE_BYTES (the route's limit is one byte more, to tell "too large").
    let bytes = Bytes::from_request(req, &s).await.map_err(|e| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            too_large()
        } else {
            ApiError::malformed("", format!("the body could not be read: {e}"), "请求内容无法读取")
        }
    })?;
    if bytes.len() as u64 > MAX_EVIDENCE_BYTES {
        return Err(too_large());
    }
    let size = bytes.len() as u64;
    if bytes.is_empty() {
        return Err(ApiError::Refused(Refusal::validation(vec![FieldError::new(
            "size",
            Rule::FileEmpty,
            "the file is empty",
            "文件为空",
        )])));
    }
    let Some(media_type) = evidence::sniff(&bytes).map(str::to_owned) else {
        return Err(ApiError::Refused(Refusal {
            kind: RefusalKind::UnsupportedMedia,
            detail_en: format!(
                "the file's content is not one of {} (declared as {declared:?}); the type is read from the content",
                ALLOWED_MEDIA_TYPES.join(", ")
            ),
            detail_zh: format!("文件内容不属于 {}（申报类型为 {declared:?}）；类型按文件内容识别", ALLOWED_MEDIA_TYPES.join("、")),
            errors: vec![FieldError::new(
                "media_type",
                Rule::MediaTypeNotAllowed,
                format!("the content is not an image, a video or a PDF of an accepted type; allowed: {}", ALLOWED_MEDIA_TYPES.join(", ")),
                format!("文件内容不是可接受的图片、视频或 PDF；允许的类型：{}", ALLOWED_MEDIA_TYPES.join("、")),
            )],
        }));
    };
    let sha256 = {
        let b = bytes.clone();
        tokio::task::spawn_blocking(move || evidence::sha256_hex(&b)).await.map_err(|e| ApiError::Internal(e.to_string()))?
    };

    // Everything the procedure checks, checked on the current record before the file is stored.
    let next_id = guomen_store::field::evidence_id(&remote.id, remote.evidence.len() + 1);
    remote.upload(&uploader, &next_id, instruction_no, &file_name, &media_type, size, &sha256, &caller.0.id, OffsetDateTime::now_utc())?;

    let dir = evidence_dir(&s);
    let _guard = UPLOADS.lock().await;
    store_file(&dir, &sha256, &bytes).await.map_err(|e| ApiError::Internal(format!("cannot store evidence: {e}")))?;
    let cmd = FieldCommand::RecordEvidence {
        id: remote.id.clone(),
        uploader,
        evidence_id: None,
        instruction_no,
        file_name,
        media_type,
        size,
        sha256: sha256.clone(),
    };
    let outcome = s.store.execute(caller.0.clone(), Command::Field(cmd)).await;
    let record = match outcome {
        Ok(out) => record(out)?,
        Err(e) => {
            // Nothing stored on refusal: the file goes unless another record holds the same content.
            match s.store.evidence_hash_in_use(&sha256).await {
                Ok(false) => {
                    let _ = tokio::fs::remove_file(dir.join(&sha256)).await;
                }
                Ok(true) => {}
                Err(check) => tracing::warn!(error = %check, sha256, "cannot tell whether refused evidence is in use; keeping the file"),
            }
            return Err(e.into());
        }
    };
    drop(_guard);
    let stored: RemoteInspection = serde_json::from_value(record).map_err(|e| ApiError::Internal(e.to_string()))?;
    let evidence = stored.evidence.iter().rev().find(|e| e.sha256 == sha256).cloned();
    Ok(created(json!({ "evidence": evidence, "inspection": stored })))
}

fn too_large() -> ApiError {
    ApiError::Refused(Refusal {
        kind: RefusalKind::TooLarge,
        detail_en: format!("evidence files are at most {MAX_EVIDENCE_BYTES} bytes"),
        detail_zh: format!("影像资料不得超过 {MAX_EVIDENCE_BYTES} 字节"),
        errors: vec![FieldError::new(
            "size",
            Rule::FileTooLarge,
            format!("the file is larger than {MAX_EVIDENCE_BYTES} bytes"),
            format!("文件超过 {MAX_EVIDENCE_BYTES} 字节"),
        )],
    })
}

/// `filename*` parameter value (RFC 8187): UTF-8, percent-encoded.
fn rfc8187(name: &str) -> String {
    let mut out = String::from("UTF-8''");
    for b in name.bytes() {
        if b.is_ascii_alphanumeric() || b"!#$&+-.^_`|~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// `GET /api/v1/remote/{id}/evidence/{evidence_id}` — the file, proven against the hash in the
/// journal; altered bytes are never served.
pub async fn download(
    State(s): State<AppState>,
    caller: Caller,
    Path((id, evidence_id)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    caller.require(&[Role::Officer, Role::Declarant])?;
    let remote = visible_remote(&s, &caller, &id).await?;
    let Some(ev) = remote.evidence.iter().find(|e| e.id == evidence_id) else {
        return Err(ApiError::Refused(Refusal::not_found("evidence", "影像资料")));
    };
    let path = evidence_dir(&s).join(&ev.sha256);
    let bytes = match tokio::fs::read(&path).await {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let r = Refusal {
                kind: RefusalKind::InvalidState,
                detail_en: format!("the file of evidence {} (sha256 {}) is no longer in storage", ev.id, ev.sha256),
                detail_zh: format!("影像资料 {}（SHA-256 {}）的文件已不在存储中", ev.id, ev.sha256),
                errors: vec![FieldError::new("evidence_id", Rule::EvidenceMissing, "the stored file is missing", "存储的文件已缺失")],
            };
            return Ok(custom_problem(Rule::EvidenceMissing, r));
        }
        Err(e) => return Err(ApiError::Internal(format!("cannot read evidence {}: {e}", ev.id))),
    };
    let (check, bytes) = {
        let ev = ev.clone();
        tokio::task::spawn_blocking(move || (evidence::check_file(&ev, &bytes), bytes))
            .await
            .map_err(|e| ApiError::Internal(e.to_string()))?
    };
    if let Err(t) = check {
        tracing::error!(evidence = %ev.id, expected = %t.expected, actual = %t.actual, "evidence file altered in storage");
        let r = Refusal {
            kind: RefusalKind::Conflict,
            detail_en: format!(
                "the stored file of evidence {} does not match the journal: sha256 {} recorded, {} read back; it is not served",
                ev.id, t.expected, t.actual
            ),
            detail_zh: format!(
                "影像资料 {} 的存储文件与日志记录不符：记录的 SHA-256 为 {}，读取的为 {}；不予提供",
                ev.id, t.expected, t.actual
            ),
            errors: vec![FieldError::new(
                "evidence_id",
                Rule::EvidenceTampered,
                "the stored file was altered after upload",
                "存储的文件在上传后被改动",
            )],
        };
        return Ok(custom_problem(Rule::EvidenceTampered, r));
    }
    let mut res = Response::new(axum::body::Body::from(bytes));
    let h = res.headers_mut();
    let media = HeaderValue::from_str(&ev.media_type).unwrap_or(HeaderValue::from_static("application/octet-stream"));
    h.insert(header::CONTENT_TYPE, media);
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    if let Ok(v) = HeaderValue::from_str(&format!("\"{}\"", ev.sha256)) {
        h.insert(header::ETAG, v);
    }
    if let Ok(v) = HeaderValue::from_str(&format!("inline; filename*={}", rfc8187(&ev.file_name))) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    Ok(res)
}
