//! 布控规则 — risk analysts publish rule sets and criteria; every change is a new version.

use crate::auth::Caller;
use crate::body::RawBody;
use crate::problem::ApiError;
use crate::AppState;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::Json;
use guomen_domain::party::Role;
use guomen_domain::risk::{Criterion, RuleSet};
use guomen_domain::{Refusal, Rule};
use guomen_store::Outcome;
use guomen_store::RiskCommand;
use serde::Deserialize;
use serde_json::{json, Value};

const READERS: &[Role] = &[Role::RiskAnalyst, Role::Officer];

fn rules_out(out: Outcome) -> Result<(StatusCode, Json<Value>), ApiError> {
    match out {
        Outcome::Rules(r) => Ok((StatusCode::OK, Json(json!(*r)))),
        other => Err(ApiError::Internal(format!("unexpected outcome {other:?}"))),
    }
}

/// `GET /api/v1/rules` — the rule set in force.
pub async fn current(State(s): State<AppState>, caller: Caller) -> Result<Json<Value>, ApiError> {
    caller.require(READERS)?;
    Ok(Json(json!(*s.store.rules())))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PublishBody {
    reason: String,
    rules: RuleSet,
}

/// `PUT /api/v1/rules` — replaces the whole rule set (as `guomen rules load` does).
pub async fn publish(State(s): State<AppState>, caller: Caller, body: RawBody) -> Result<(StatusCode, Json<Value>), ApiError> {
    caller.require(&[Role::RiskAnalyst])?;
    let b: PublishBody = body.json()?;
    rules_out(s.store.execute(caller.0.clone(), RiskCommand::PublishRules { ruleset: b.rules, reason: b.reason }).await?)
}

/// `GET /api/v1/rules/history`
pub async fn history(State(s): State<AppState>, caller: Caller) -> Result<Json<Value>, ApiError> {
    caller.require(READERS)?;
    Ok(Json(json!({ "versions": s.store.rules_history().await? })))
}

/// `GET /api/v1/rules/{version}`
pub async fn version(State(s): State<AppState>, caller: Caller, Path(v): Path<String>) -> Result<Json<Value>, ApiError> {
    caller.require(READERS)?;
    let v: i64 = v.parse().map_err(|_| ApiError::malformed("version", "a rule-set version is a whole number", "规则集版本应为整数"))?;
    let r = s.store.rules_version(v).await?.ok_or_else(|| ApiError::Refused(Refusal::not_found("rule set version", "规则集版本")))?;
    Ok(Json(json!(r)))
}

/// `GET /api/v1/criteria` — criteria in force with their hit and selection counts.
pub async fn criteria(State(s): State<AppState>, caller: Caller) -> Result<Json<Value>, ApiError> {
    caller.require(READERS)?;
    let rules = s.store.rules();
    let mut out = Vec::new();
    for c in &rules.criteria {
        let (hits, selected) = s.store.criterion_counts(&c.id).await?;
        let mut v = json!(c);
        v["hits"] = json!(hits);
        v["selections"] = json!(selected);
        out.push(v);
    }
    Ok(Json(json!({ "version": rules.version, "criteria": out })))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PutCriterionBody {
    reason: String,
    criterion: Criterion,
}

/// `PUT /api/v1/criteria/{id}` — adds or changes one criterion.
pub async fn put_criterion(
    State(s): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    body: RawBody,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    caller.require(&[Role::RiskAnalyst])?;
    let b: PutCriterionBody = body.json()?;
    if b.criterion.id != id {
        return Err(ApiError::Refused(Refusal::field(
            "criterion.id",
            Rule::IdMismatch,
            "the criterion's id must match the URL",
            "规则编号须与请求路径一致",
        )));
    }
    rules_out(s.store.execute(caller.0.clone(), RiskCommand::PutCriterion { criterion: b.criterion, reason: b.reason }).await?)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RetireQuery {
    reason: Option<String>,
}

/// `DELETE /api/v1/criteria/{id}?reason=…`
pub async fn retire_criterion(
    State(s): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    q: Result<Query<RetireQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    caller.require(&[Role::RiskAnalyst])?;
    let Query(q) = q.map_err(|e| ApiError::malformed("query", e.body_text(), "查询参数不正确"))?;
    rules_out(s.store.execute(caller.0.clone(), RiskCommand::RetireCriterion { id, reason: q.reason.unwrap_or_default() }).await?)
}
