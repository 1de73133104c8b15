//! Who is calling: a bearer token resolved to an actor with a role (and, for traders and
//! terminals, an enterprise). Handlers state which roles they admit.

use crate::problem::ApiError;
use crate::AppState;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use guomen_domain::party::{Actor, Role};
use guomen_domain::RefusalKind;
use guomen_store::tokens::TokenCheck;
use serde_json::json;

/// The authenticated caller.
#[derive(Debug, Clone)]
pub struct Caller(pub Actor);

impl Caller {
    pub fn role(&self) -> Role {
        self.0.role.expect("callers always have a role")
    }

    /// Admits only the given roles; everyone else gets 403.
    pub fn require(&self, roles: &[Role]) -> Result<(), ApiError> {
        if roles.contains(&self.role()) {
            Ok(())
        } else {
            Err(ApiError::forbidden())
        }
    }

    /// The enterprise a trader, terminal or laboratory acts for.
    pub fn enterprise(&self) -> Result<&guomen_domain::types::CustomsCode, ApiError> {
        self.0.enterprise.as_ref().ok_or_else(ApiError::forbidden)
    }

    /// Customs roles see every record.
    pub fn is_customs(&self) -> bool {
        matches!(self.role(), Role::Officer | Role::RiskAnalyst | Role::Admin)
    }
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    /// A missing, unknown, expired or revoked token is refused with 401 and logged to the
    /// security log with the reason (and the token's id when it names one); a valid one names
    /// the caller in the request's context.
    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let req = crate::context::of(parts);
        let log = &state.store.security().log;
        let header = parts.headers.get(axum::http::header::AUTHORIZATION).and_then(|v| v.to_str().ok());
        let Some(token) = header.and_then(|h| h.strip_prefix("Bearer ")).map(str::trim).filter(|t| !t.is_empty()) else {
            req.log(log, "auth_failed", json!({ "reason": "missing" }));
            return Err(ApiError::kind(
                RefusalKind::Unauthenticated,
                "send an API token as `Authorization: Bearer …`",
                "请以 `Authorization: Bearer …` 方式提供接口令牌",
            ));
        };
        let (reason, id) = match state.store.check_token(token).await? {
            TokenCheck::Valid(actor) => {
                req.set_actor(&actor);
                return Ok(Caller(actor));
            }
            TokenCheck::Unknown => ("unknown", None),
            TokenCheck::Expired { id } => ("expired", Some(id)),
            TokenCheck::Revoked { id } => ("revoked", Some(id)),
        };
        req.log(log, "auth_failed", json!({ "reason": reason, "token": id }));
        Err(match reason {
            "expired" => ApiError::kind(RefusalKind::Unauthenticated, "the API token has expired", "接口令牌已过期"),
            "revoked" => ApiError::kind(RefusalKind::Unauthenticated, "the API token has been revoked", "接口令牌已吊销"),
            _ => ApiError::kind(RefusalKind::Unauthenticated, "the API token is not valid", "接口令牌无效"),
        })
    }
}
