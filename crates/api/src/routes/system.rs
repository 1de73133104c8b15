//! Health, the OpenAPI document and journal verification.

use crate::auth::Caller;
use crate::problem::ApiError;
use crate::AppState;
use axum::extract::State;
use axum::Json;
use guomen_domain::party::Role;
use serde_json::{json, Value};

/// `GET /healthz`
pub async fn healthz() -> Json<Value> {
    Json(json!({ "status": "ok" }))
}

/// `GET /api/v1/openapi.json`
pub async fn openapi() -> Json<Value> {
    Json(crate::openapi::document())
}

/// `GET /api/v1/journal/verify` — walks the hash chain.
pub async fn verify(State(s): State<AppState>, caller: Caller) -> Result<Json<Value>, ApiError> {
    caller.require(&[Role::Admin])?;
    let r = s.store.verify().await?;
    Ok(Json(json!({
        "ok": r.first_break.is_none(),
        "checked": r.checked,
        "first_break": r.first_break.map(|b| b.to_string()),
    })))
}
