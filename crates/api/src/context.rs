//! Every API request's context for the security log: its id (an incoming sane `X-Request-Id`
//! is kept, else one is made; either way it is sent back), the client address (the socket's,
//! or a trusted proxy's `X-Forwarded-For`), and the caller once known. After the answer, a
//! 401, 403 or 429 that no handler logged itself goes to the security log with the refusal's code.

use crate::AppState;
use axum::extract::{FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::HeaderValue;
use axum::middleware::Next;
use axum::response::Response;
use guomen_store::security::{RefusalNote, RequestContext};

/// The API's middleware.
pub async fn middleware(State(s): State<AppState>, mut req: Request, next: Next) -> Response {
    let ctx = guomen_service::context::of(s.store.security(), &req);
    req.extensions_mut().insert(ctx.clone());
    let mut res = next.run(req).await;
    ctx.log_refusal(&s.store.security().log, res.status().as_u16(), res.extensions().get::<RefusalNote>());
    if let Ok(v) = HeaderValue::from_str(ctx.id()) {
        res.headers_mut().insert("x-request-id", v);
    }
    res
}

/// The request's context, for handlers that log.
pub struct Req(pub RequestContext);

impl<S: Send + Sync> FromRequestParts<S> for Req {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(Req(of(parts)))
    }
}

/// The context the middleware left in `parts`.
pub fn of(parts: &Parts) -> RequestContext {
    parts
        .extensions
        .get::<RequestContext>()
        .cloned()
        .unwrap_or_else(|| RequestContext::unknown(format!("{} {}", parts.method, parts.uri.path())))
}
