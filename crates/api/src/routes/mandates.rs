//! 委托 — mandates: the consignor's declarant grants one to an agent (a customs broker) and may
//! revoke it; a trader lists the mandates it gave or holds, customs roles see every one. A
//! mandate a trader is not party to does not exist for it (404).

use super::ReasonBody;
use crate::auth::Caller;
use crate::body::RawBody;
use crate::problem::ApiError;
use crate::AppState;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use guomen_domain::clearance::cst_day;
use guomen_domain::mandate::{Mandate, MandateDraft};
use guomen_domain::party::Role;
use guomen_domain::Refusal;
use guomen_store::mandate::{MandateCommand, MandateFilter};
use guomen_store::{Command, Outcome};
use serde::Deserialize;
use serde_json::{json, Value};

/// The mandate as the API shows it: the record, its status today (China Standard Time) and the
/// names of the two enterprises.
pub fn view(s: &AppState, m: &Mandate) -> Value {
    let today = cst_day(time::OffsetDateTime::now_utc());
    let name = |code: &str| {
        let dir = s.store.directory().read().expect("directory lock");
        dir.enterprises.get(code).map(|e| e.name_zh.clone()).unwrap_or_default()
    };
    let mut v = json!(m);
    v["status"] = json!(m.status(today).as_str());
    v["consignor_name"] = json!(name(m.consignor.as_str()));
    v["agent_name"] = json!(name(m.agent.as_str()));
    v
}

/// Whether `caller` may see `m`; one it may not does not exist for it.
fn visible(caller: &Caller, m: &Mandate) -> Result<(), ApiError> {
    Ok(guomen_service::mandate::visible(&caller.0, m)?)
}

fn mandate_of(out: Outcome) -> Result<Box<Mandate>, ApiError> {
    match out {
        Outcome::Mandate(m) => Ok(m),
        other => Err(ApiError::Internal(format!("unexpected outcome {other:?}"))),
    }
}

/// `POST /api/v1/mandates` — the caller's enterprise gives the mandate.
pub async fn grant(State(s): State<AppState>, caller: Caller, body: RawBody) -> Result<Response, ApiError> {
    caller.require(&[Role::Declarant])?;
    let consignor = caller.enterprise()?.clone();
    let draft: MandateDraft = body.json()?;
    let m = mandate_of(s.store.execute(caller.0.clone(), Command::Mandate(MandateCommand::Grant { consignor, draft })).await?)?;
    let mut res = (StatusCode::CREATED, Json(view(&s, &m))).into_response();
    res.headers_mut()
        .insert(header::LOCATION, HeaderValue::from_str(&format!("/api/v1/mandates/{}", m.id)).expect("mandate ids are ASCII"));
    Ok(res)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ListQuery {
    consignor: Option<String>,
    agent: Option<String>,
    limit: Option<i64>,
}

/// `GET /api/v1/mandates` — a trader sees the mandates it gave or holds; customs roles see all.
pub async fn list(
    State(s): State<AppState>,
    caller: Caller,
    q: Result<Query<ListQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<Value>, ApiError> {
    let Query(q) = q.map_err(|e| ApiError::malformed("query", e.body_text(), "查询参数不正确"))?;
    let clean = |v: Option<String>| v.map(|x| x.trim().to_owned()).filter(|x| !x.is_empty());
    let mut f = MandateFilter { consignor: clean(q.consignor), agent: clean(q.agent), limit: q.limit.unwrap_or(100), ..Default::default() };
    match caller.role() {
        Role::Officer | Role::RiskAnalyst | Role::Admin => {}
        Role::Declarant => f.party = Some(caller.enterprise()?.to_string()),
        Role::Terminal | Role::Laboratory => return Err(ApiError::forbidden()),
    }
    let list: Vec<Value> = s.store.mandates(&f).await?.iter().map(|m| view(&s, m)).collect();
    Ok(Json(json!({ "mandates": list })))
}

async fn load_visible(s: &AppState, caller: &Caller, id: &str) -> Result<Mandate, ApiError> {
    caller.require(&[Role::Declarant, Role::Officer, Role::RiskAnalyst, Role::Admin])?;
    let m = s.store.mandate(id).await?.ok_or_else(|| ApiError::Refused(Refusal::not_found("mandate", "委托书")))?;
    visible(caller, &m)?;
    Ok(m)
}

/// `GET /api/v1/mandates/{id}` — with its timeline.
pub async fn show(State(s): State<AppState>, caller: Caller, Path(id): Path<String>) -> Result<Json<Value>, ApiError> {
    let m = load_visible(&s, &caller, &id).await?;
    let mut v = view(&s, &m);
    v["timeline"] = json!(s.store.timeline(&format!("mandate:{}", m.id)).await?);
    Ok(Json(v))
}

/// `POST /api/v1/mandates/{id}/revoke` — by the consignor's declarant or an administrator.
pub async fn revoke(State(s): State<AppState>, caller: Caller, Path(id): Path<String>, body: RawBody) -> Result<Json<Value>, ApiError> {
    caller.require(&[Role::Declarant, Role::Admin])?;
    let m = load_visible(&s, &caller, &id).await?;
    let b: ReasonBody = body.json()?;
    let out = s.store.execute(caller.0.clone(), Command::Mandate(MandateCommand::Revoke { id: m.id, reason: b.reason })).await?;
    let m = mandate_of(out)?;
    Ok(Json(view(&s, &m)))
}
