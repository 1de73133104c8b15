//! 原产地证书 — certificates of origin: the exporter applies and amends, the intelligent review
//! decides at once, an officer decides what it refers. A certificate an exporter may not see
//! does not exist for it (404).

use crate::auth::Caller;
use crate::body::RawBody;
use crate::problem::ApiError;
use crate::AppState;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use guomen_domain::origin::{OriginCertificate, OriginDraft, OriginStatus};
use guomen_domain::party::Role;
use guomen_domain::{Refusal, Rule};
use guomen_service::origin::{decision, view, visible};
use guomen_store::origin::{OriginCommand, OriginFilter};
use guomen_store::{Command, Outcome};
use serde::Deserialize;
use serde_json::{json, Value};

fn certificate_of(out: Outcome) -> Result<Box<OriginCertificate>, ApiError> {
    match out {
        Outcome::Origin(c) => Ok(c),
        other => Err(ApiError::Internal(format!("unexpected outcome {other:?}"))),
    }
}

/// `POST /api/v1/certificates/origin` — the caller's enterprise applies; 201 with the number,
/// the outcome and its reasons.
pub async fn apply(State(s): State<AppState>, caller: Caller, body: RawBody) -> Result<Response, ApiError> {
    caller.require(&[Role::Declarant])?;
    let exporter = caller.enterprise()?.clone();
    let draft: OriginDraft = body.json()?;
    let out = s.store.execute(caller.0.clone(), Command::Origin(OriginCommand::Apply { exporter, draft: Box::new(draft) })).await?;
    let c = certificate_of(out)?;
    let mut res = (StatusCode::CREATED, Json(view(&caller.0, &c))).into_response();
    res.headers_mut().insert(
        header::LOCATION,
        HeaderValue::from_str(&format!("/api/v1/certificates/origin/{}", c.number)).expect("certificate numbers are ASCII"),
    );
    Ok(res)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ListQuery {
    status: Option<String>,
    exporter: Option<String>,
    limit: Option<i64>,
}

/// `GET /api/v1/certificates/origin` — an exporter sees its own; customs every one.
pub async fn list(
    State(s): State<AppState>,
    caller: Caller,
    q: Result<Query<ListQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<Value>, ApiError> {
    let Query(q) = q.map_err(|e| ApiError::malformed("query", e.body_text(), "查询参数不正确"))?;
    let status = q.status.map(|x| x.trim().to_owned()).filter(|x| !x.is_empty());
    if let Some(st) = &status {
        if OriginStatus::parse(st).is_none() {
            let all = OriginStatus::ALL.map(OriginStatus::as_str).join(", ");
            return Err(ApiError::Refused(Refusal::field(
                "status",
                Rule::Enumeration,
                format!("{st:?} is not a status; use one of {all}"),
                format!("{st:?} 不是证书状态，应为 {all} 之一"),
            )));
        }
    }
    let mut f = OriginFilter { status, exporter: q.exporter.filter(|x| !x.trim().is_empty()), limit: q.limit.unwrap_or(100) };
    match caller.role() {
        Role::Officer | Role::RiskAnalyst | Role::Admin => {}
        Role::Declarant => f.exporter = Some(caller.enterprise()?.to_string()),
        Role::Terminal | Role::Laboratory => return Err(ApiError::forbidden()),
    }
    let list: Vec<Value> = s.store.origin_certificates(&f).await?.iter().map(|c| view(&caller.0, c)).collect();
    Ok(Json(json!({ "certificates": list })))
}

async fn load_visible(s: &AppState, caller: &Caller, number: &str) -> Result<OriginCertificate, ApiError> {
    caller.require(&[Role::Declarant, Role::Officer, Role::RiskAnalyst, Role::Admin])?;
    let c = s
        .store
        .origin_certificate(number)
        .await?
        .ok_or_else(|| ApiError::Refused(Refusal::not_found("certificate of origin", "原产地证书")))?;
    visible(&caller.0, &c)?;
    Ok(c)
}

/// `GET /api/v1/certificates/origin/{number}` — with its timeline.
pub async fn show(State(s): State<AppState>, caller: Caller, Path(number): Path<String>) -> Result<Json<Value>, ApiError> {
    let c = load_visible(&s, &caller, &number).await?;
    let mut v = view(&caller.0, &c);
    v["timeline"] = json!(s.store.timeline(&format!("origin:{}", c.number)).await?);
    Ok(Json(v))
}

/// `POST /api/v1/certificates/origin/{number}/amend` — the exporter sends the whole application
/// again; reviewed at once.
pub async fn amend(State(s): State<AppState>, caller: Caller, Path(number): Path<String>, body: RawBody) -> Result<Json<Value>, ApiError> {
    caller.require(&[Role::Declarant])?;
    let c = load_visible(&s, &caller, &number).await?;
    let draft: OriginDraft = body.json()?;
    let out = s.store.execute(caller.0.clone(), Command::Origin(OriginCommand::Amend { number: c.number, draft: Box::new(draft) })).await?;
    Ok(Json(view(&caller.0, &*certificate_of(out)?)))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DecisionBody {
    action: String,
    reason: Option<String>,
}

/// `POST /api/v1/certificates/origin/{number}/decision` — an officer approves, returns or
/// rejects an application the review referred to customs.
pub async fn decide(State(s): State<AppState>, caller: Caller, Path(number): Path<String>, body: RawBody) -> Result<Json<Value>, ApiError> {
    caller.require(&[Role::Officer])?;
    let c = load_visible(&s, &caller, &number).await?;
    let b: DecisionBody = body.json()?;
    let cmd = decision(&c.number, &b.action, b.reason.as_deref())?;
    let out = s.store.execute(caller.0.clone(), Command::Origin(cmd)).await?;
    Ok(Json(view(&caller.0, &*certificate_of(out)?)))
}
