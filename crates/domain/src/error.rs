//! The refusal catalogue: every way a procedure can say no, with a stable code and words in
//! Chinese and English. The web edge renders these as RFC 9457 problem+json: the refusal's
//! [`RefusalKind`] is the problem's `code`, each [`FieldError`]'s [`Rule`] an `errors[].rule`.
//! `docs/REFUSALS.md` is [`markdown`] written out.

use serde::{Deserialize, Serialize};

mod page;
mod rules;
pub use page::markdown;
pub use rules::Rule;

/// One failing field: where, which rule, and what is wrong in both languages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldError {
    /// JSON-pointer-like path into the submitted document, e.g. `items[2].code_ts`.
    pub path: String,
    /// The catalogued rule clients match on, e.g. `hs_unknown`.
    pub rule: Rule,
    pub en: String,
    pub zh: String,
}

impl FieldError {
    pub fn new(path: impl Into<String>, rule: Rule, en: impl Into<String>, zh: impl Into<String>) -> Self {
        FieldError { path: path.into(), rule, en: en.into(), zh: zh.into() }
    }
}

/// The kind of refusal; each has a stable code and an HTTP status at the edge.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RefusalKind {
    /// The input is well-formed but breaks field rules (422).
    Validation,
    /// The body could not be read at all: malformed JSON or XML, wrong types (400).
    Malformed,
    /// The record does not exist, or the caller may not know it exists (404).
    NotFound,
    /// The caller's role or enterprise does not permit this (403).
    Forbidden,
    /// No or bad credentials (401).
    Unauthenticated,
    /// The record is not in a state that allows this step (409).
    InvalidState,
    /// A record with the same key already exists (409).
    Conflict,
    /// The body exceeds the size limit (413).
    TooLarge,
    /// The media type is not accepted (415).
    UnsupportedMedia,
    /// Too many requests for one key in a short time (429).
    TooManyRequests,
    /// The route exists but not with this HTTP method (405).
    MethodNotAllowed,
}

impl RefusalKind {
    /// Every kind, in the order of the catalogue.
    pub const ALL: &'static [RefusalKind] = &[
        RefusalKind::Validation,
        RefusalKind::Malformed,
        RefusalKind::NotFound,
        RefusalKind::Forbidden,
        RefusalKind::Unauthenticated,
        RefusalKind::InvalidState,
        RefusalKind::Conflict,
        RefusalKind::TooLarge,
        RefusalKind::UnsupportedMedia,
        RefusalKind::TooManyRequests,
        RefusalKind::MethodNotAllowed,
    ];

    pub fn code(self) -> &'static str {
        match self {
            RefusalKind::Validation => "validation_failed",
            RefusalKind::Malformed => "malformed_body",
            RefusalKind::NotFound => "not_found",
            RefusalKind::Forbidden => "forbidden",
            RefusalKind::Unauthenticated => "unauthenticated",
            RefusalKind::InvalidState => "invalid_state",
            RefusalKind::Conflict => "conflict",
            RefusalKind::TooLarge => "payload_too_large",
            RefusalKind::UnsupportedMedia => "unsupported_media_type",
            RefusalKind::TooManyRequests => "too_many_requests",
            RefusalKind::MethodNotAllowed => "method_not_allowed",
        }
    }

    pub fn http_status(self) -> u16 {
        match self {
            RefusalKind::Validation => 422,
            RefusalKind::Malformed => 400,
            RefusalKind::NotFound => 404,
            RefusalKind::Forbidden => 403,
            RefusalKind::Unauthenticated => 401,
            RefusalKind::InvalidState | RefusalKind::Conflict => 409,
            RefusalKind::TooLarge => 413,
            RefusalKind::UnsupportedMedia => 415,
            RefusalKind::TooManyRequests => 429,
            RefusalKind::MethodNotAllowed => 405,
        }
    }

    pub fn title_en(self) -> &'static str {
        match self {
            RefusalKind::Validation => "The submission breaks one or more rules",
            RefusalKind::Malformed => "The request body could not be read",
            RefusalKind::NotFound => "No such record",
            RefusalKind::Forbidden => "Not permitted for this role or enterprise",
            RefusalKind::Unauthenticated => "Authentication required",
            RefusalKind::InvalidState => "The record is not in a state that allows this",
            RefusalKind::Conflict => "A record with this key already exists",
            RefusalKind::TooLarge => "The request body is too large",
            RefusalKind::UnsupportedMedia => "Unsupported content type",
            RefusalKind::TooManyRequests => "Too many requests",
            RefusalKind::MethodNotAllowed => "Method not allowed on this route",
        }
    }

    pub fn title_zh(self) -> &'static str {
        match self {
            RefusalKind::Validation => "申报内容不符合规则",
            RefusalKind::Malformed => "请求内容无法解析",
            RefusalKind::NotFound => "记录不存在",
            RefusalKind::Forbidden => "当前角色或企业无权执行此操作",
            RefusalKind::Unauthenticated => "需要身份认证",
            RefusalKind::InvalidState => "记录当前状态不允许此操作",
            RefusalKind::Conflict => "相同编号的记录已存在",
            RefusalKind::TooLarge => "请求内容超过大小限制",
            RefusalKind::UnsupportedMedia => "不支持的内容类型",
            RefusalKind::TooManyRequests => "请求过于频繁",
            RefusalKind::MethodNotAllowed => "该接口不支持此请求方法",
        }
    }
}

/// A typed refusal: nothing was changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[error("{kind:?}: {detail_en}")]
pub struct Refusal {
    pub kind: RefusalKind,
    pub detail_en: String,
    pub detail_zh: String,
    pub errors: Vec<FieldError>,
}

impl Refusal {
    pub fn new(kind: RefusalKind, en: impl Into<String>, zh: impl Into<String>) -> Self {
        Refusal { kind, detail_en: en.into(), detail_zh: zh.into(), errors: Vec::new() }
    }

    pub fn validation(errors: Vec<FieldError>) -> Self {
        let n = errors.len();
        Refusal {
            kind: RefusalKind::Validation,
            detail_en: format!("{n} field(s) failed validation"),
            detail_zh: format!("{n} 个字段未通过校验"),
            errors,
        }
    }

    pub fn field(path: &str, rule: Rule, en: impl Into<String>, zh: impl Into<String>) -> Self {
        Refusal::validation(vec![FieldError::new(path, rule, en, zh)])
    }

    pub fn not_found(what_en: &str, what_zh: &str) -> Self {
        Refusal::new(RefusalKind::NotFound, format!("{what_en} not found"), format!("{what_zh}不存在"))
    }

    pub fn forbidden() -> Self {
        Refusal::new(RefusalKind::Forbidden, "your role or enterprise may not do this", "您的角色或所属企业无权执行此操作")
    }

    pub fn invalid_state(en: impl Into<String>, zh: impl Into<String>) -> Self {
        Refusal::new(RefusalKind::InvalidState, en, zh)
    }
}
