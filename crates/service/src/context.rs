//! The context of an HTTP request for the security log — its id, the client's address (the
//! socket's, or a trusted proxy's `X-Forwarded-For`), whether it came over HTTPS — as both HTTP
//! edges' middleware read it.

use axum::extract::{ConnectInfo, Request};
use axum::http::HeaderMap;
use guomen_store::security::{RequestContext, RequestHeaders, SecuritySettings};
use std::net::SocketAddr;

/// All values of a header, joined as one list (`X-Forwarded-For` may come several times).
fn joined(headers: &HeaderMap, name: &str) -> Option<String> {
    let values: Vec<&str> = headers.get_all(name).iter().filter_map(|v| v.to_str().ok()).collect();
    (!values.is_empty()).then(|| values.join(","))
}

/// The context of `req` under `settings`: what the API's and the console's middleware insert.
pub fn of(settings: &SecuritySettings, req: &Request) -> RequestContext {
    let peer = req.extensions().get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip());
    let h = req.headers();
    let (xff, xfp) = (joined(h, "x-forwarded-for"), joined(h, "x-forwarded-proto"));
    let headers = RequestHeaders {
        forwarded_for: xff.as_deref(),
        forwarded_proto: xfp.as_deref(),
        request_id: h.get("x-request-id").and_then(|v| v.to_str().ok()),
    };
    RequestContext::new(settings, peer, headers, format!("{} {}", req.method(), req.uri().path()))
}
