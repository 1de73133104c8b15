//! 接口令牌 — API tokens: the administrator issues them; the administrator (every token) and an
//! enterprise's own callers (their enterprise's tokens) list and revoke them. A list never shows
//! a secret or its hash. Who may do what is `guomen_domain::token`'s to say.

use crate::auth::Caller;
use crate::body::RawBody;
use crate::problem::ApiError;
use crate::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use guomen_domain::party::Role;
use guomen_domain::token::TokenScope;
use guomen_service::admin::{revoke_command, token_command};
use guomen_store::tokens::TokenRow;
use guomen_store::Outcome;
use serde::Deserialize;
use serde_json::{json, Value};

fn rfc3339(ms: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000)
        .unwrap_or(time::OffsetDateTime::UNIX_EPOCH)
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}

fn now_ms() -> i64 {
    (time::OffsetDateTime::now_utc().unix_timestamp_nanos() / 1_000_000) as i64
}

/// A token as listed: id, label, role, enterprise, created, expires, last used, revoked, and its
/// state now.
pub fn token_view(t: &TokenRow, now_ms: i64) -> Value {
    json!({
        "id": t.id,
        "label": t.label,
        "role": t.role,
        "enterprise": t.enterprise,
        "created_at": rfc3339(t.created_at_ms),
        "expires_at": rfc3339(t.expires_at_ms),
        "last_used_at": t.last_used_at_ms.map(rfc3339),
        "revoked_at": t.revoked_at_ms.map(rfc3339),
        "revoked_by": t.revoked_by,
        "state": t.state(now_ms).as_str(),
    })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TokenBody {
    role: String,
    enterprise: Option<String>,
    label: Option<String>,
    /// Days the token works; the server's default (`--token-days`, 90) when absent.
    expires_in_days: Option<i64>,
}

/// `POST /api/v1/tokens` — the token is in the answer once and never again.
pub async fn issue(State(s): State<AppState>, caller: Caller, body: RawBody) -> Result<(StatusCode, Json<Value>), ApiError> {
    caller.require(&[Role::Admin])?;
    let b: TokenBody = body.json()?;
    let (cmd, token) = token_command(&b.role, b.enterprise.as_deref(), b.label, b.expires_in_days, s.store.security().token_days)?;
    match s.store.execute(caller.0.clone(), cmd).await? {
        Outcome::Token(t) => {
            let mut v = token_view(&t, now_ms());
            v["token"] = json!(token);
            Ok((StatusCode::CREATED, Json(v)))
        }
        other => Err(ApiError::Internal(format!("unexpected outcome {other:?}"))),
    }
}

/// The caller's scope, or 403 for roles that manage no tokens.
fn scope(caller: &Caller) -> Result<TokenScope, ApiError> {
    TokenScope::of(&caller.0).ok_or_else(ApiError::forbidden)
}

/// `GET /api/v1/tokens` — every token for the administrator; an enterprise's own for its callers.
pub async fn list(State(s): State<AppState>, caller: Caller) -> Result<Json<Value>, ApiError> {
    let scope = scope(&caller)?;
    let now = now_ms();
    let tokens = s.store.tokens(&scope).await?;
    Ok(Json(json!({ "tokens": tokens.iter().map(|t| token_view(t, now)).collect::<Vec<_>>() })))
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct RevokeBody {
    reason: Option<String>,
}

/// `POST /api/v1/tokens/{id}/revoke` — the token stops working at once.
pub async fn revoke(State(s): State<AppState>, caller: Caller, Path(id): Path<String>, body: RawBody) -> Result<Json<Value>, ApiError> {
    scope(&caller)?;
    let b: RevokeBody = if body.bytes.is_empty() { RevokeBody::default() } else { body.json()? };
    let cmd = revoke_command(&id, b.reason.as_deref())?;
    match s.store.execute(caller.0.clone(), cmd).await? {
        Outcome::Token(t) => Ok(Json(token_view(&t, now_ms()))),
        other => Err(ApiError::Internal(format!("unexpected outcome {other:?}"))),
    }
}
