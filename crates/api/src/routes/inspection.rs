//! 查验与放行 — arrival, container position, inspection result, release and hold.

use super::today;
use crate::auth::Caller;
use crate::body::RawBody;
use crate::problem::ApiError;
use crate::{view, AppState};
use axum::extract::{Path, State};
use axum::Json;
use guomen_domain::inspection::Outcome as InspectionOutcome;
use guomen_domain::party::Role;
use guomen_domain::{FieldError, Refusal};
use guomen_store::DeclarationCommand;
use guomen_store::Outcome;
use serde::Deserialize;
use serde_json::{json, Value};
use time::OffsetDateTime;

pub(crate) fn one(caller: &Caller, out: Outcome) -> Result<Json<Value>, ApiError> {
    match out {
        Outcome::Declaration { record, .. } => Ok(Json(view::declaration(&record, today(), None, view::Sight::of(caller)))),
        other => Err(ApiError::Internal(format!("unexpected outcome {other:?}"))),
    }
}

pub(crate) fn required(errors: &mut Vec<FieldError>, path: &str, v: &str, max: usize) -> String {
    let t = v.trim();
    if t.is_empty() {
        errors.push(FieldError::new(path, "required", "this field is required", "此字段为必填项"));
    } else if t.chars().count() > max {
        errors.push(FieldError::new(path, "too_long", format!("at most {max} characters"), format!("最多 {max} 个字符")));
    }
    t.to_owned()
}

fn instant(errors: &mut Vec<FieldError>, path: &str, v: &Option<String>) -> OffsetDateTime {
    match v.as_deref() {
        None => OffsetDateTime::now_utc(),
        Some(s) => OffsetDateTime::parse(s, &time::format_description::well_known::Rfc3339).unwrap_or_else(|_| {
            errors.push(FieldError::new(
                path,
                "datetime_format",
                "an RFC 3339 date-time such as 2026-03-10T08:30:00+08:00",
                "应为 RFC 3339 时间，如 2026-03-10T08:30:00+08:00",
            ));
            OffsetDateTime::now_utc()
        }),
    }
}

pub(crate) fn done(errors: Vec<FieldError>) -> Result<(), ApiError> {
    if errors.is_empty() {
        Ok(())
    } else {
        Err(ApiError::Refused(Refusal::validation(errors)))
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ArrivalBody {
    bill_no: String,
    arrived_at: Option<String>,
}

/// `POST /api/v1/arrivals` — 运抵报告: the terminal reports the goods of a bill arrived.
pub async fn arrival(State(s): State<AppState>, caller: Caller, body: RawBody) -> Result<Json<Value>, ApiError> {
    caller.require(&[Role::Terminal])?;
    let terminal = caller.enterprise()?.clone();
    let b: ArrivalBody = body.json()?;
    let mut errors = Vec::new();
    let bill_no = required(&mut errors, "bill_no", &b.bill_no, 32);
    let at = instant(&mut errors, "arrived_at", &b.arrived_at);
    done(errors)?;
    match s.store.execute(caller.0.clone(), DeclarationCommand::RecordArrival { bill_no, at, terminal }).await? {
        Outcome::Declarations(ds) => Ok(Json(json!({
            "declarations": ds.iter().map(|d| json!({"id": d.id, "status": d.status, "lane": d.lane()})).collect::<Vec<_>>()
        }))),
        other => Err(ApiError::Internal(format!("unexpected outcome {other:?}"))),
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PositionBody {
    record_no: String,
    container_no: String,
    site_name: String,
    slot_code: String,
    arrived_at: Option<String>,
}

/// `POST /api/v1/declarations/{id}/position` — 集装箱到位反馈.
pub async fn position(State(s): State<AppState>, caller: Caller, Path(id): Path<String>, body: RawBody) -> Result<Json<Value>, ApiError> {
    caller.require(&[Role::Terminal])?;
    let terminal = caller.enterprise()?.clone();
    let b: PositionBody = body.json()?;
    let cmd = position_command(id, terminal, &b.record_no, &b.container_no, &b.site_name, &b.slot_code, &b.arrived_at)?;
    one(&caller, s.store.execute(caller.0.clone(), cmd).await?)
}

/// The command of a position report, its fields checked as the API checks them; shared with the console.
pub fn position_command(
    declaration_id: String,
    terminal: guomen_domain::types::CustomsCode,
    record_no: &str,
    container_no: &str,
    site_name: &str,
    slot_code: &str,
    arrived_at: &Option<String>,
) -> Result<DeclarationCommand, ApiError> {
    let mut errors = Vec::new();
    let record_no = required(&mut errors, "record_no", record_no, 32);
    let container_no = required(&mut errors, "container_no", container_no, 11);
    let site_name = required(&mut errors, "site_name", site_name, 100);
    let slot_code = required(&mut errors, "slot_code", slot_code, 32);
    let arrived_at = instant(&mut errors, "arrived_at", arrived_at);
    done(errors)?;
    Ok(DeclarationCommand::ReportPosition { declaration_id, record_no, container_no, site_name, slot_code, arrived_at, terminal })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResultBody {
    outcome: InspectionOutcome,
    #[serde(default)]
    findings: Vec<String>,
    note: Option<String>,
}

/// `POST /api/v1/declarations/{id}/inspection-result`
pub async fn result(State(s): State<AppState>, caller: Caller, Path(id): Path<String>, body: RawBody) -> Result<Json<Value>, ApiError> {
    caller.require(&[Role::Officer])?;
    let b: ResultBody = body.json()?;
    one(&caller, s.store.execute(caller.0.clone(), result_command(id, b.outcome, &b.findings, b.note)?).await?)
}

/// The command of an inspection result, its findings checked as the API checks them; shared with the console.
pub fn result_command(
    declaration_id: String,
    outcome: InspectionOutcome,
    findings: &[String],
    note: Option<String>,
) -> Result<DeclarationCommand, ApiError> {
    let mut errors = Vec::new();
    let findings: Vec<String> =
        findings.iter().enumerate().map(|(i, f)| required(&mut errors, &format!("findings[{i}]"), f, 500)).collect();
    done(errors)?;
    Ok(DeclarationCommand::RecordResult { declaration_id, outcome, findings, note: note.filter(|n| !n.trim().is_empty()) })
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct ReleaseBody {
    note: Option<String>,
    /// 两段准入: release as "permitted to enter" only, pending inspection at destination.
    #[serde(default)]
    permitted_to_enter_only: bool,
}

/// `POST /api/v1/declarations/{id}/release`
pub async fn release(State(s): State<AppState>, caller: Caller, Path(id): Path<String>, body: RawBody) -> Result<Json<Value>, ApiError> {
    caller.require(&[Role::Officer])?;
    let b: ReleaseBody = if body.bytes.is_empty() { ReleaseBody::default() } else { body.json()? };
    one(
        &caller,
        s.store
            .execute(
                caller.0.clone(),
                DeclarationCommand::Release { declaration_id: id, note: b.note, permitted_to_enter_only: b.permitted_to_enter_only },
            )
            .await?,
    )
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HoldBody {
    reason: String,
}

/// `POST /api/v1/declarations/{id}/hold`
pub async fn hold(State(s): State<AppState>, caller: Caller, Path(id): Path<String>, body: RawBody) -> Result<Json<Value>, ApiError> {
    caller.require(&[Role::Officer])?;
    let b: HoldBody = body.json()?;
    one(&caller, s.store.execute(caller.0.clone(), DeclarationCommand::Hold { declaration_id: id, reason: b.reason }).await?)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RerouteBody {
    lane: String,
    reason: String,
}

/// Reads a lane named in a request; shared with the console.
pub fn parse_lane(path: &str, v: &str) -> Result<guomen_domain::risk::Lane, ApiError> {
    guomen_domain::risk::Lane::parse(v.trim()).ok_or_else(|| {
        ApiError::Refused(Refusal::field(
            path,
            "lane_unknown",
            "the lane is green, blue, yellow or red",
            "通道应为 green、blue、yellow 或 red",
        ))
    })
}

/// `POST /api/v1/declarations/{id}/reroute` — 改变通道.
pub async fn reroute(State(s): State<AppState>, caller: Caller, Path(id): Path<String>, body: RawBody) -> Result<Json<Value>, ApiError> {
    caller.require(&[Role::Officer])?;
    let b: RerouteBody = body.json()?;
    let lane = parse_lane("lane", &b.lane)?;
    one(&caller, s.store.execute(caller.0.clone(), DeclarationCommand::Reroute { declaration_id: id, lane, reason: b.reason }).await?)
}
