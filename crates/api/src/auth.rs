//! Who is calling: a bearer token resolved to an actor with a role (and, for traders and
//! terminals, an enterprise). Handlers state which roles they admit.

use crate::problem::ApiError;
use crate::AppState;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use guomen_domain::party::{Actor, Role};
use guomen_domain::RefusalKind;

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

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let header = parts.headers.get(axum::http::header::AUTHORIZATION).and_then(|v| v.to_str().ok());
        let Some(token) = header.and_then(|h| h.strip_prefix("Bearer ")).map(str::trim).filter(|t| !t.is_empty()) else {
            return Err(ApiError::kind(
                RefusalKind::Unauthenticated,
                "send an API token as `Authorization: Bearer …`",
                "请以 `Authorization: Bearer …` 方式提供接口令牌",
            ));
        };
        match state.store.actor_for_token(token).await? {
            Some(actor) => Ok(Caller(actor)),
            None => Err(ApiError::kind(RefusalKind::Unauthenticated, "the API token is not valid", "接口令牌无效")),
        }
    }
}
