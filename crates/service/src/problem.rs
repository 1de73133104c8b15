//! RFC 9457 problem details, in Chinese and English, for every refusal.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use guomen_domain::{FieldError, Refusal, RefusalKind, Rule};
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

impl From<crate::Failure> for ApiError {
    fn from(f: crate::Failure) -> Self {
        match f {
            crate::Failure::Refused(r) => ApiError::Refused(r),
            crate::Failure::RefusedWith(r, members) => ApiError::RefusedWith(r, members),
            crate::Failure::Internal(m) => ApiError::Internal(m),
            crate::Failure::Unavailable => ApiError::Unavailable,
        }
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
        ApiError::Refused(crate::json::malformed(path, en, zh))
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

/// What the security log keeps of a refusal (the edges' request middleware writes it).
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

/// The catalogued kind of a bare error status (an axum rejection, a 405 from routing).
fn kind_of(status: StatusCode) -> Option<RefusalKind> {
    Some(match status.as_u16() {
        400 => RefusalKind::Malformed,
        401 => RefusalKind::Unauthenticated,
        403 => RefusalKind::Forbidden,
        404 => RefusalKind::NotFound,
        405 => RefusalKind::MethodNotAllowed,
        409 => RefusalKind::Conflict,
        413 => RefusalKind::TooLarge,
        415 => RefusalKind::UnsupportedMedia,
        422 => RefusalKind::Validation,
        429 => RefusalKind::TooManyRequests,
        s if (400..500).contains(&s) => RefusalKind::Malformed,
        _ => return None,
    })
}

/// The refusal for a bare error answer whose body (if any) is `text`: the query or path
/// parameter it names becomes the field path.
fn refusal_for(kind: RefusalKind, text: &str) -> Refusal {
    let text = text.trim();
    let (en, zh) = match kind {
        RefusalKind::MethodNotAllowed => (
            "this route does not take this HTTP method (the `Allow` header lists those it takes)".to_owned(),
            "该接口不支持此请求方法（`Allow` 响应头列出可用的方法）".to_owned(),
        ),
        RefusalKind::NotFound if text.is_empty() => ("no such route or record".to_owned(), "接口或记录不存在".to_owned()),
        _ if text.is_empty() => (kind.title_en().to_owned(), kind.title_zh().to_owned()),
        _ => (text.to_owned(), format!("{}：{text}", kind.title_zh())),
    };
    // "Failed to deserialize query string: limit: invalid digit found in string"
    let field = ["Failed to deserialize query string: ", "Failed to deserialize path parameters: ", "Invalid URL: "]
        .iter()
        .find_map(|p| text.strip_prefix(p))
        .and_then(|rest| rest.split_once(": "))
        .map(|(name, _)| name)
        .filter(|name| !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'));
    let mut r = Refusal::new(kind, en.clone(), zh.clone());
    if let Some(name) = field {
        r.errors.push(FieldError::new(name, Rule::Malformed, en, zh));
    }
    r
}

/// Turns an error answer that is not yet a problem document — an axum rejection's plain text,
/// routing's empty 405 — into RFC 9457 problem+json with a catalogued code, keeping its status
/// and its `Allow` header. Problem documents and successful answers pass unchanged.
pub async fn as_problem(res: Response) -> Response {
    let status = res.status();
    if !(status.is_client_error() || status.is_server_error()) {
        return res;
    }
    let is_problem =
        res.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).is_some_and(|v| v.starts_with("application/problem+json"));
    if is_problem {
        return res;
    }
    let (parts, body) = res.into_parts();
    let text = axum::body::to_bytes(body, 64 * 1024).await.map(|b| String::from_utf8_lossy(&b).into_owned()).unwrap_or_default();
    let mut out = match kind_of(status) {
        Some(kind) => {
            let mut body = problem_body(&refusal_for(kind, &text));
            body["status"] = json!(status.as_u16());
            problem(status, body)
        }
        None => {
            let mut res = ApiError::Internal(format!("{status}: {text}")).into_response();
            *res.status_mut() = status;
            res
        }
    };
    for name in [header::ALLOW, header::WWW_AUTHENTICATE, header::RETRY_AFTER] {
        if let Some(v) = parts.headers.get(&name) {
            out.headers_mut().insert(name, v.clone());
        }
    }
    out
}

/// Headers every API answer carries: no MIME sniffing, and no caching of what may be a
/// customs record.
pub fn secure_headers(mut res: Response) -> Response {
    let h = res.headers_mut();
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res
}

/// Every API answer: errors as problem documents, then the security headers.
pub async fn harden(res: Response) -> Response {
    secure_headers(as_problem(res).await)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_bare_query_rejection_becomes_a_problem_naming_the_parameter() {
        let res = (StatusCode::BAD_REQUEST, "Failed to deserialize query string: limit: invalid digit found in string").into_response();
        let res = harden(res).await;
        assert_eq!(res.status(), 400);
        assert_eq!(res.headers()[header::CONTENT_TYPE], "application/problem+json");
        assert_eq!(res.headers()[header::CACHE_CONTROL], "no-store");
        assert_eq!(res.headers()[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
        let body: serde_json::Value = serde_json::from_slice(&axum::body::to_bytes(res.into_body(), 1 << 20).await.unwrap()).unwrap();
        assert_eq!(body["code"], "malformed_body");
        assert_eq!(body["errors"][0]["path"], "limit");
    }

    #[tokio::test]
    async fn an_empty_405_becomes_a_problem_and_keeps_allow() {
        let mut res = StatusCode::METHOD_NOT_ALLOWED.into_response();
        res.headers_mut().insert(header::ALLOW, HeaderValue::from_static("GET,HEAD"));
        let res = harden(res).await;
        assert_eq!(res.status(), 405);
        assert_eq!(res.headers()[header::ALLOW], "GET,HEAD");
        let body: serde_json::Value = serde_json::from_slice(&axum::body::to_bytes(res.into_body(), 1 << 20).await.unwrap()).unwrap();
        assert_eq!(body["code"], "method_not_allowed");
        assert_eq!(body["status"], 405);
    }
}
