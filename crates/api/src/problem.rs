//! RFC 9457 problem details, in Chinese and English, for every refusal.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use guomen_domain::{FieldError, Refusal, RefusalKind};
use guomen_store::StoreError;
use serde_json::json;

/// Everything a handler can answer with instead of success.
#[derive(Debug)]
pub enum ApiError {
    Refused(Refusal),
    /// A refusal whose problem document carries extension members (RFC 9457 §3.2).
    RefusedWith(Refusal, serde_json::Map<String, serde_json::Value>),
    Internal(String),
    Unavailable,
}

impl From<Refusal> for ApiError {
    fn from(r: Refusal) -> Self {
        ApiError::Refused(r)
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Refused(r) => ApiError::Refused(r),
            StoreError::Closed => ApiError::Unavailable,
            other => ApiError::Internal(other.to_string()),
        }
    }
}

impl ApiError {
    pub fn kind(kind: RefusalKind, en: impl Into<String>, zh: impl Into<String>) -> Self {
        ApiError::Refused(Refusal::new(kind, en, zh))
    }

    pub fn forbidden() -> Self {
        ApiError::Refused(Refusal::forbidden())
    }

    pub fn not_found() -> Self {
        ApiError::Refused(Refusal::not_found("record", "记录"))
    }

    pub fn malformed(path: &str, en: impl Into<String>, zh: impl Into<String>) -> Self {
        let (en, zh) = (en.into(), zh.into());
        ApiError::Refused(Refusal {
            kind: RefusalKind::Malformed,
            detail_en: en.clone(),
            detail_zh: zh.clone(),
            errors: vec![FieldError::new(path, "malformed", en, zh)],
        })
    }
}

/// The problem document for a refusal.
pub fn problem_body(r: &Refusal) -> serde_json::Value {
    json!({
        "type": format!("https://guomen.dev/problems/{}", r.kind.code()),
        "title": r.kind.title_en(),
        "title_zh": r.kind.title_zh(),
        "status": r.kind.http_status(),
        "code": r.kind.code(),
        "detail": r.detail_en,
        "detail_zh": r.detail_zh,
        "errors": r.errors.iter().map(|e| json!({
            "path": e.path,
            "rule": e.rule,
            "message": e.en,
            "message_zh": e.zh,
        })).collect::<Vec<_>>(),
    })
}

/// What the security log keeps of a refusal (see `crate::context`).
fn note(r: &Refusal) -> guomen_store::security::RefusalNote {
    guomen_store::security::RefusalNote { code: r.kind.code().to_owned(), detail: r.detail_en.clone() }
}

fn problem(status: StatusCode, body: serde_json::Value) -> Response {
    let mut res = (status, body.to_string()).into_response();
    res.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/problem+json"));
    res
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        match self {
            ApiError::RefusedWith(r, members) => {
                let status = StatusCode::from_u16(r.kind.http_status()).unwrap_or(StatusCode::BAD_REQUEST);
                let mut body = problem_body(&r);
                if let Some(obj) = body.as_object_mut() {
                    obj.extend(members);
                }
                let mut res = problem(status, body);
                res.extensions_mut().insert(note(&r));
                res
            }
            ApiError::Refused(r) => {
                let status = StatusCode::from_u16(r.kind.http_status()).unwrap_or(StatusCode::BAD_REQUEST);
                let mut res = problem(status, problem_body(&r));
                if r.kind == RefusalKind::Unauthenticated {
                    res.headers_mut().insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
                }
                if r.kind == RefusalKind::TooManyRequests {
                    res.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from_static("60"));
                }
                res.extensions_mut().insert(note(&r));
                res
            }
            ApiError::Internal(msg) => {
                tracing::error!(error = %msg, "internal error");
                problem(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    json!({"type": "about:blank", "title": "Internal error", "title_zh": "系统内部错误", "status": 500, "code": "internal", "detail": "the request could not be completed; nothing was acknowledged", "detail_zh": "请求未能完成，未作任何受理", "errors": []}),
                )
            }
            ApiError::Unavailable => problem(
                StatusCode::SERVICE_UNAVAILABLE,
                json!({"type": "about:blank", "title": "Shutting down", "title_zh": "服务正在停止", "status": 503, "code": "unavailable", "detail": "try again shortly", "detail_zh": "请稍后重试", "errors": []}),
            ),
        }
    }
}

/// Problem for routes that do not exist.
pub async fn no_route() -> ApiError {
    ApiError::Refused(Refusal::not_found("route", "接口"))
}
