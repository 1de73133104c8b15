//! Health, the OpenAPI document and journal verification.

use crate::auth::Caller;
use crate::problem::ApiError;
use crate::AppState;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::Json;
use guomen_domain::party::Role;
use guomen_domain::{FieldError, Refusal, RefusalKind, Rule};
use serde::Deserialize;
use serde_json::{json, Value};

/// `GET /healthz`
pub async fn healthz() -> Json<Value> {
    Json(json!({ "status": "ok" }))
}

/// `GET /api/v1/openapi.json`
pub async fn openapi() -> Json<Value> {
    Json(crate::openapi::document())
}

/// `GET /api/v1/keys` — the public signing keys, current and retired (no sign-in): what anyone
/// needs to verify a document or a checkpoint offline.
pub async fn keys(State(s): State<AppState>) -> Result<Json<guomen_domain::signing::PublicKeySet>, ApiError> {
    s.store.keyring().public_keys().map(Json).map_err(|e| ApiError::Internal(e.to_string()))
}

/// Most differences one answer lists (the rest are counted).
const MAX_LIMIT: usize = 1000;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VerifyQuery {
    /// Also rebuild every view from the journal and compare it with what is stored.
    #[serde(default)]
    views: bool,
    /// How many differences to list (1–1000, default 100).
    limit: Option<usize>,
}

/// `GET /api/v1/journal/verify[?views=true&limit=N]` — walks the hash chain; with `views=true`
/// also rebuilds every view from the journal and lists the rows that differ. One verification
/// runs at a time on a server (a second is refused with 429): each reads the whole journal.
pub async fn verify(
    State(s): State<AppState>,
    caller: Caller,
    q: Result<Query<VerifyQuery>, QueryRejection>,
) -> Result<Json<Value>, ApiError> {
    caller.require(&[Role::Admin, Role::Officer])?;
    let Query(q) = q.map_err(|e| ApiError::malformed("", format!("{e}"), "查询参数格式错误：views 应为 true 或 false，limit 应为数字"))?;
    let limit = q.limit.unwrap_or(100);
    if !(1..=MAX_LIMIT).contains(&limit) {
        return Err(ApiError::Refused(Refusal::field(
            "limit",
            Rule::LimitRange,
            format!("limit is 1 to {MAX_LIMIT}, got {limit}"),
            format!("limit 应为 1 至 {MAX_LIMIT}，实际为 {limit}"),
        )));
    }
    let Ok(_running) = s.verifying.clone().try_acquire_owned() else {
        return Err(ApiError::Refused(Refusal {
            kind: RefusalKind::TooManyRequests,
            detail_en: "a verification of the journal is already running on this server; ask again when it has finished".into(),
            detail_zh: "本服务器正在进行一次日志核验，请待其完成后再试".into(),
            errors: vec![FieldError::new("", Rule::VerifyRunning, "one verification at a time", "同一时间只进行一次核验")],
        }));
    };
    let r = s.store.verify().await?;
    let views = if q.views { Some(s.store.verify_views(limit).await?) } else { None };
    let ok = r.first_break.is_none() && views.as_ref().is_none_or(|v| v.ok());
    let mut body = json!({
        "ok": ok,
        "checked": r.checked,
        "first_break": r.first_break.map(|b| b.to_string()),
    });
    if let Some(v) = views {
        body["views"] = json!({
            "ok": v.ok(),
            "rows": v.rows,
            "tables": v.tables,
            "differences": v.differences,
            "total": v.total,
            "truncated": v.total > v.differences.len() as u64,
            "not_checked": guomen_store::NOT_CHECKED
                .iter()
                .map(|(what, en, zh)| json!({ "what": what, "why": en, "why_zh": zh }))
                .collect::<Vec<_>>(),
        });
    }
    Ok(Json(body))
}
