//! Who is looking: the session cookie resolved to a user, the page language, and the checks
//! every page makes (signed in, role, CSRF token).
//!
//! The session cookie `gm_session` holds 32 random bytes (hex); the store keeps only their
//! SHA-256, like API tokens. It is `HttpOnly` and `SameSite=Strict`, so scripts cannot read it
//! and other sites cannot send it; and `Secure` when the console is reached over HTTPS (the
//! middleware in `lib.rs` marks every cookie so). Every form carries the session's CSRF token, checked on every
//! POST; the sign-in form, which has no session yet, uses a double-submit cookie instead.

use crate::i18n::Lang;
use crate::WebState;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use guomen_domain::party::{Actor, Role};
use guomen_domain::types::CustomsCode;
use guomen_store::console::ConsoleSession;
use guomen_store::security::{RefusalNote, RequestContext};
use rand::RngCore;
use sha2::{Digest, Sha256};
use time::OffsetDateTime;

pub const SESSION_COOKIE: &str = "gm_session";
pub const LANG_COOKIE: &str = "gm_lang";
/// The sign-in form's double-submit token.
pub const LOGIN_COOKIE: &str = "gm_login";
/// Sessions last a working day and a half at most.
pub const SESSION_MS: i64 = 12 * 3600 * 1000;

/// A value of a request cookie.
pub fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers.get_all(header::COOKIE).iter().filter_map(|v| v.to_str().ok()).flat_map(|v| v.split(';')).find_map(|pair| {
        let (k, v) = pair.trim().split_once('=')?;
        (k == name).then_some(v)
    })
}

/// 32 random bytes, hex.
pub fn random_token() -> String {
    let mut b = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut b);
    hex::encode(b)
}

pub fn session_hash(id: &str) -> String {
    hex::encode(Sha256::digest(id.as_bytes()))
}

/// Compares secrets without stopping at the first difference.
pub fn same_secret(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

pub fn now_ms() -> i64 {
    (OffsetDateTime::now_utc().unix_timestamp_nanos() / 1_000_000) as i64
}

/// A signed-in user.
#[derive(Debug, Clone)]
pub struct Viewer {
    pub session: ConsoleSession,
    pub hash: String,
}

impl Viewer {
    pub fn role(&self) -> Role {
        self.session.actor.role.expect("sessions have a role")
    }

    pub fn actor(&self) -> &Actor {
        &self.session.actor
    }

    pub fn enterprise(&self) -> Option<&CustomsCode> {
        self.session.actor.enterprise.as_ref()
    }

    pub fn is_customs(&self) -> bool {
        self.role().is_customs()
    }
}

/// Everything a page needs to know about the request.
#[derive(Debug, Clone)]
pub struct Ctx {
    pub lang: Lang,
    pub viewer: Option<Viewer>,
    /// Path and query without `lang`, for links that switch the language.
    pub path: String,
    /// The request as the security log sees it (client address, request id).
    pub request: RequestContext,
}

/// Why a page is not shown.
#[derive(Debug)]
pub enum Denied {
    SignIn { next: String },
    Forbidden,
    NotFound,
    BadCsrf,
    Internal(String),
}

/// A page refused, rendered in the viewer's language.
#[derive(Debug)]
pub struct PageError {
    pub lang: Lang,
    pub signed_in: bool,
    pub why: Denied,
    /// The request, so the error page keeps the signed-in user's menu.
    pub ctx: Option<Box<Ctx>>,
}

impl Ctx {
    pub fn t<'a>(&self, zh: &'a str, en: &'a str) -> &'a str {
        self.lang.t(zh, en)
    }

    pub fn deny(&self, why: Denied) -> PageError {
        PageError { lang: self.lang, signed_in: self.viewer.is_some(), why, ctx: Some(Box::new(self.clone())) }
    }

    pub fn not_found(&self) -> PageError {
        self.deny(Denied::NotFound)
    }

    pub fn internal(&self, e: impl std::fmt::Display) -> PageError {
        self.deny(Denied::Internal(e.to_string()))
    }

    pub fn signed_in(&self) -> Result<&Viewer, PageError> {
        self.viewer.as_ref().ok_or_else(|| self.deny(Denied::SignIn { next: self.path.clone() }))
    }

    /// The viewer, if signed in with one of `roles`: otherwise a sign-in redirect or 403.
    pub fn require(&self, roles: &[Role]) -> Result<&Viewer, PageError> {
        let v = self.signed_in()?;
        if roles.contains(&v.role()) {
            Ok(v)
        } else {
            Err(self.deny(Denied::Forbidden))
        }
    }

    /// Like [`Ctx::require`], for a POST: the form must carry the session's CSRF token.
    pub fn require_form(&self, roles: &[Role], form: &crate::form::Form) -> Result<&Viewer, PageError> {
        let v = self.signed_in()?;
        if !same_secret(form.get("csrf").unwrap_or(""), &v.session.csrf) {
            return Err(self.deny(Denied::BadCsrf));
        }
        if roles.contains(&v.role()) {
            Ok(v)
        } else {
            Err(self.deny(Denied::Forbidden))
        }
    }
}

fn query_lang(query: Option<&str>) -> Option<Lang> {
    form_urlencoded::parse(query?.as_bytes()).find(|(k, _)| k == "lang").and_then(|(_, v)| Lang::parse(&v))
}

/// The path and query of a request without its `lang` parameter.
fn path_without_lang(parts: &Parts) -> String {
    let path = parts.uri.path();
    let rest: Vec<(String, String)> = parts
        .uri
        .query()
        .map(|q| form_urlencoded::parse(q.as_bytes()).filter(|(k, _)| k != "lang").map(|(k, v)| (k.into_owned(), v.into_owned())).collect())
        .unwrap_or_default();
    if rest.is_empty() {
        path.to_owned()
    } else {
        let q = form_urlencoded::Serializer::new(String::new()).extend_pairs(rest).finish();
        format!("{path}?{q}")
    }
}

impl FromRequestParts<WebState> for Ctx {
    type Rejection = PageError;

    async fn from_request_parts(parts: &mut Parts, state: &WebState) -> Result<Self, Self::Rejection> {
        let lang = query_lang(parts.uri.query()).or_else(|| cookie(&parts.headers, LANG_COOKIE).and_then(Lang::parse)).unwrap_or_default();
        let request = parts
            .extensions
            .get::<RequestContext>()
            .cloned()
            .unwrap_or_else(|| RequestContext::unknown(format!("{} {}", parts.method, parts.uri.path())));
        let mut ctx = Ctx { lang, viewer: None, path: path_without_lang(parts), request };
        if let Some(id) = cookie(&parts.headers, SESSION_COOKIE).filter(|id| id.len() == 64) {
            let hash = session_hash(id);
            match state.store.console_session(&hash, now_ms()).await {
                Ok(Some(session)) => {
                    ctx.request.set_actor(&session.actor);
                    ctx.viewer = Some(Viewer { session, hash });
                }
                Ok(None) => {}
                Err(e) => return Err(ctx.internal(e)),
            }
        }
        Ok(ctx)
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let l = self.lang;
        let (status, title, text) = match &self.why {
            Denied::SignIn { next } => {
                let to = format!("/login?next={}", form_urlencoded::byte_serialize(next.as_bytes()).collect::<String>());
                return (
                    StatusCode::SEE_OTHER,
                    [(header::LOCATION, HeaderValue::from_str(&to).unwrap_or(HeaderValue::from_static("/login")))],
                )
                    .into_response();
            }
            Denied::Forbidden => (
                StatusCode::FORBIDDEN,
                l.t("无权访问", "Not permitted"),
                l.t("您的角色无权打开此页面。", "Your role may not open this page."),
            ),
            Denied::NotFound => (
                StatusCode::NOT_FOUND,
                l.t("未找到", "Not found"),
                l.t("没有这条记录，或您无权查看。", "There is no such record, or it is not yours to see."),
            ),
            Denied::BadCsrf => (
                StatusCode::FORBIDDEN,
                l.t("表单已失效", "Form expired"),
                l.t(
                    "表单校验码不符，请返回刷新页面后重试。",
                    "The form's security token does not match; go back, reload the page and try again.",
                ),
            ),
            Denied::Internal(e) => {
                tracing::error!(error = %e, "console page failed");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    l.t("系统错误", "Internal error"),
                    l.t("请求未能完成，请稍后重试。", "The request could not be completed; try again shortly."),
                )
            }
        };
        let note = match &self.why {
            Denied::Forbidden => Some(("forbidden", "the role may not open this page")),
            Denied::BadCsrf => Some(("bad_csrf", "the form's CSRF token does not match the session")),
            _ => None,
        };
        let body = crate::html!(
            "<section class=\"panel error-page\"><h1>{}</h1><p>{}</p><p><a href=\"{}\">{}</a></p></section>",
            title,
            text,
            if self.signed_in { "/home" } else { "/" },
            l.t("返回首页", "Back to the start page")
        );
        // The signed-in user keeps the menu, the language switch and sign-out.
        let mut res = match self.ctx.as_deref() {
            Some(ctx) if ctx.viewer.is_some() => crate::layout::page_with(ctx, status, title, body),
            _ => (status, crate::layout::bare(l, title, body)).into_response(),
        };
        if let Some((code, detail)) = note {
            res.extensions_mut().insert(RefusalNote { code: code.into(), detail: detail.into() });
        }
        res
    }
}
