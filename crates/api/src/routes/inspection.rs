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
use guomen_service::declaration::{parse_lane, position_command, result_command};
use guomen_service::fields::{instant, required};
use guomen_store::DeclarationCommand;
use guomen_store::Outcome;
use serde::Deserialize;
use serde_json::{json, Value};

pub(crate) fn one(caller: &Caller, out: Outcome) -> Result<Json<Value>, ApiError> {
    match out {
        Outcome::Declaration { record, .. } => Ok(Json(view::declaration(&record, today(), None, view::Sight::of(caller)))),
        other => Err(ApiError::Internal(format!("unexpected outcome {other:?}"))),
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
    guomen_service::fail_if(errors)?;
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

/// `POST /api/v1/declarations/{id}/reroute` — 改变通道.
pub async fn reroute(State(s): State<AppState>, caller: Caller, Path(id): Path<String>, body: RawBody) -> Result<Json<Value>, ApiError> {
    caller.require(&[Role::Officer])?;
    let b: RerouteBody = body.json()?;
    let lane = parse_lane("lane", &b.lane)?;
    one(&caller, s.store.execute(caller.0.clone(), DeclarationCommand::Reroute { declaration_id: id, lane, reason: b.reason }).await?)
}
