//! Administration — enterprises, users and webhook subscriptions (API tokens: `tokens.rs`).

use crate::auth::Caller;
use crate::body::RawBody;
use crate::problem::ApiError;
use crate::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use guomen_domain::party::Role;
use guomen_domain::Refusal;
use guomen_service::admin::{parse_enterprise, subscription_command, user_command};
use guomen_store::AdminCommand;
use guomen_store::Outcome;
use serde::Deserialize;
use serde_json::{json, Value};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EnterpriseBody {
    code: String,
    credit_code: String,
    name_zh: String,
    #[serde(default)]
    name_en: String,
    grade: String,
    site_code: Option<String>,
}

/// `POST /api/v1/enterprises`
pub async fn add_enterprise(State(s): State<AppState>, caller: Caller, body: RawBody) -> Result<(StatusCode, Json<Value>), ApiError> {
    caller.require(&[Role::Admin])?;
    let b: EnterpriseBody = body.json()?;
    let e = parse_enterprise(&b.code, &b.credit_code, &b.name_zh, &b.name_en, &b.grade, b.site_code.as_deref())
        .map_err(|errs| ApiError::Refused(Refusal::validation(errs)))?;
    match s.store.execute(caller.0.clone(), AdminCommand::RegisterEnterprise(e)).await? {
        Outcome::Enterprise(e) => Ok((StatusCode::CREATED, Json(json!(e)))),
        other => Err(ApiError::Internal(format!("unexpected outcome {other:?}"))),
    }
}

/// `GET /api/v1/enterprises`
pub async fn enterprises(State(s): State<AppState>, caller: Caller) -> Result<Json<Value>, ApiError> {
    caller.require(&[Role::Admin, Role::Officer, Role::RiskAnalyst])?;
    Ok(Json(json!({ "enterprises": s.store.enterprises().await? })))
}

/// `GET /api/v1/enterprises/{code}` — customs roles, or the enterprise's own people.
pub async fn enterprise(State(s): State<AppState>, caller: Caller, Path(code): Path<String>) -> Result<Json<Value>, ApiError> {
    let own = caller.0.enterprise.as_ref().is_some_and(|e| e.as_str() == code);
    if !caller.is_customs() && !own {
        return Err(ApiError::Refused(Refusal::not_found("enterprise", "企业")));
    }
    let e = s.store.enterprise(&code).await?.ok_or_else(|| ApiError::Refused(Refusal::not_found("enterprise", "企业")))?;
    let mut v = json!(e);
    // 处置记录: open and overdue disposition orders show on the enterprise's record.
    v["dispositions"] = json!(s.store.enterprise_dispositions(&code, super::today()).await?);
    Ok(Json(v))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UserBody {
    username: String,
    password: String,
    role: String,
    enterprise: Option<String>,
}

/// `POST /api/v1/users`
pub async fn add_user(State(s): State<AppState>, caller: Caller, body: RawBody) -> Result<(StatusCode, Json<Value>), ApiError> {
    caller.require(&[Role::Admin])?;
    let b: UserBody = body.json()?;
    let cmd = user_command(&b.username, &b.password, &b.role, b.enterprise.as_deref()).await?;
    let AdminCommand::CreateUser { role, enterprise, .. } = &cmd else { unreachable!("user_command makes CreateUser") };
    let (role, enterprise) = (*role, enterprise.clone());
    s.store.execute(caller.0.clone(), cmd).await?;
    Ok((StatusCode::CREATED, Json(json!({ "username": b.username, "role": role, "enterprise": enterprise }))))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SubscriptionBody {
    enterprise: Option<String>,
    url: String,
}

/// `POST /api/v1/subscriptions` — a webhook for the notices addressed to an enterprise (or all).
pub async fn subscribe(State(s): State<AppState>, caller: Caller, body: RawBody) -> Result<(StatusCode, Json<Value>), ApiError> {
    caller.require(&[Role::Admin])?;
    let b: SubscriptionBody = body.json()?;
    let (cmd, secret) = subscription_command(s.webhooks, b.enterprise.as_deref(), &b.url).await?;
    match s.store.execute(caller.0.clone(), cmd).await? {
        Outcome::Subscription(sub) => {
            let mut v = json!(sub);
            v["secret"] = json!(secret);
            Ok((StatusCode::CREATED, Json(v)))
        }
        other => Err(ApiError::Internal(format!("unexpected outcome {other:?}"))),
    }
}

/// `GET /api/v1/subscriptions` — with delivery state.
pub async fn subscriptions(State(s): State<AppState>, caller: Caller) -> Result<Json<Value>, ApiError> {
    caller.require(&[Role::Admin])?;
    Ok(Json(json!({ "subscriptions": s.store.subscriptions().await? })))
}
