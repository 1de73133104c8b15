//! Guomen's web console: server-rendered pages for every role, served by `guomen serve` beside
//! the API on the same port (`guomen_web::router` merged beside the API's router).
//!
//! The console is another edge, like the API: it reads through [`guomen_store::Store`]'s read
//! methods, changes nothing except through `Store::execute`, validates declarations with the
//! API's own check (so a form shows the same field-path errors as a `problem+json`), and answers
//! a record a viewer may not see with 404, as the API does. Pages are HTML built with the
//! escaping builder in [`markup`]; the few scripts (live validation, HS look-up, item rows) and
//! the stylesheet are embedded in the binary. Charts are server-rendered SVG.

pub mod markup;

mod assets;
mod chart;
mod export;
mod form;
mod formkit;
mod i18n;
mod layout;
mod pages;
mod session;

pub use i18n::Lang;

use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::{header, HeaderValue};
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;
use guomen_store::security::RefusalNote;
use guomen_store::Store;

/// Shared state of the console's handlers.
#[derive(Clone)]
pub struct WebState {
    pub store: Store,
    /// Which addresses a webhook subscription may point at.
    pub webhooks: guomen_delivery::Reach,
}

/// The console's routes, webhooks limited as the environment says
/// (`GUOMEN_WEBHOOK_ALLOW_PRIVATE`); merge beside the API's.
pub fn router(store: Store) -> Router {
    router_for(store, guomen_delivery::Reach::from_env())
}

/// The console's routes, webhook subscriptions reaching `webhooks`.
pub fn router_for(store: Store, webhooks: guomen_delivery::Reach) -> Router {
    let state = WebState { store, webhooks };
    use pages::*;
    Router::new()
        .route("/", get(public::about))
        .route("/login", get(public::login_form).post(public::login))
        .route("/logout", post(public::logout))
        .route("/home", get(public::home))
        .route("/static/{file}", get(assets::serve))
        .route("/hs", get(declarant::hs_lookup))
        .route("/declarations", get(declarant::list).post(declarant::file))
        .route("/declarations/new", get(declarant::new_form))
        .route("/declarations/check", post(declarant::check))
        .route("/declarations/upload", post(declarant::upload))
        .route("/declarations/{id}", get(detail::show))
        .route("/declarations/{id}/position", post(terminal::position))
        .route("/declarations/{id}/print/{which}", get(print::notice))
        .route("/declarations/{id}/result", post(officer::result))
        .route("/declarations/{id}/release", post(officer::release))
        .route("/declarations/{id}/hold", post(officer::hold))
        .route("/declarations/{id}/reroute", post(officer::reroute))
        .route("/inbox", get(terminal::inbox))
        .route("/notices", get(notices::list))
        .route("/notices/stream", get(notices::stream))
        .route("/queue", get(officer::queue))
        .route("/queue/next", get(officer::next))
        .route("/ceb/inventories", get(ceb::list))
        .route("/ceb/inventories/{id}", get(ceb_detail::show))
        .route("/ceb/inventories/{id}/{action}", post(ceb_detail::officer_step))
        .route("/dashboard", get(dashboard::show))
        .route("/criteria", get(analyst::criteria))
        .route("/criteria/new", get(analyst::new_criterion))
        .route("/criteria/{id}", get(analyst::edit_criterion).post(analyst::save_criterion))
        .route("/criteria/{id}/retire", post(analyst::retire_criterion))
        .route("/rules/history", get(analyst::history))
        .route("/admin/enterprises", get(admin::enterprises).post(admin::add_enterprise))
        .route("/admin/users", get(admin::users).post(admin::add_user))
        .route("/admin/tokens", get(admin::tokens).post(admin::issue_token))
        .route("/tokens", get(tokens::list))
        .route("/tokens/{id}/revoke", post(tokens::revoke))
        .route("/admin/subscriptions", get(admin::subscriptions).post(admin::subscribe))
        .route("/mandates", get(mandates::list).post(mandates::grant))
        .route("/mandates/{id}/revoke", post(mandates::revoke))
        .route("/samples", get(lab::samples))
        .route("/samples/{id}", get(lab::sample))
        .route("/samples/{id}/step", post(lab::step_post))
        .route("/samples/{id}/report", get(print::lab_report))
        .route("/certificates/origin", get(origin::list).post(origin::apply))
        .route("/certificates/origin/new", get(origin::new_form))
        .route("/certificates/origin/{number}", get(origin::show))
        .route("/certificates/origin/{number}/amend", post(origin::amend))
        .route("/certificates/origin/{number}/decision", post(origin::decide))
        .route("/certificates/phyto", get(phyto::list).post(phyto::apply))
        .route("/certificates/phyto/new", get(phyto::new_form))
        .route("/certificates/phyto/{number}", get(phyto::show))
        .route("/certificates/phyto/{number}/xml", get(phyto::xml))
        .route("/certificates/phyto/{number}/replace", get(phyto::replace_form).post(phyto::replace))
        .route("/certificates/phyto/{number}/{action}", post(phyto::officer_step))
        .route("/verify", get(verify::search))
        .route("/verify/{number}", get(verify::show))
        // Any other path: the console's 404 page (an unknown API path: the API's problem).
        .route("/{*path}", axum::routing::any(public::not_found))
        .layer(DefaultBodyLimit::max(form::MAX_FORM))
        .layer(middleware::from_fn_with_state(state.clone(), console_headers))
        .with_state(state)
}

/// Every console answer: the language cookie when `?lang=` chose one, security headers, the
/// request id (`X-Request-Id`), no caching but for the embedded stylesheet and script, a bare
/// error (an axum rejection's plain text, routing's empty 405) as problem+json like the API's,
/// `Secure` on every cookie when the console is reached over HTTPS, and the server's own time
/// for the page (`Server-Timing`, read by `guomen bench console`). A 401, 403 or 429 no page
/// logged itself goes to the security log.
async fn console_headers(State(s): State<WebState>, mut req: Request, next: Next) -> Response {
    let started = std::time::Instant::now();
    let chosen =
        req.uri().query().and_then(|q| form_urlencoded::parse(q.as_bytes()).find(|(k, _)| k == "lang")).and_then(|(_, v)| Lang::parse(&v));
    let asset = req.uri().path().starts_with("/static/");
    let ctx = guomen_service::context::of(s.store.security(), &req);
    req.extensions_mut().insert(ctx.clone());
    let res = next.run(req).await;
    ctx.log_refusal(&s.store.security().log, res.status().as_u16(), res.extensions().get::<RefusalNote>());
    let html = res.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).is_some_and(|v| v.starts_with("text/html"));
    let mut res = if html { res } else { guomen_service::problem::as_problem(res).await };
    let cacheable = asset && res.status().is_success();
    let h = res.headers_mut();
    if !cacheable {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    if let Ok(v) = HeaderValue::from_str(ctx.id()) {
        h.insert("x-request-id", v);
    }
    if let Some(lang) = chosen {
        let c = format!("{}={}; Path=/; Max-Age=31536000; SameSite=Lax", session::LANG_COOKIE, lang.code());
        if let Ok(v) = HeaderValue::from_str(&c) {
            h.append(header::SET_COOKIE, v);
        }
    }
    h.insert("x-content-type-options", HeaderValue::from_static("nosniff"));
    h.insert("x-frame-options", HeaderValue::from_static("DENY"));
    h.insert("referrer-policy", HeaderValue::from_static("same-origin"));
    h.insert(
        "content-security-policy",
        HeaderValue::from_static("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'; form-action 'self'"),
    );
    if ctx.https() {
        secure_cookies(h);
    }
    let dur = started.elapsed().as_secs_f64() * 1000.0;
    if let Ok(v) = HeaderValue::from_str(&format!("app;dur={dur:.3}")) {
        h.insert("server-timing", v);
    }
    res
}

/// Marks every cookie the answer sets `Secure`, so a browser sends it back over HTTPS only.
fn secure_cookies(h: &mut axum::http::HeaderMap) {
    let cookies: Vec<HeaderValue> = h.get_all(header::SET_COOKIE).iter().cloned().collect();
    if cookies.is_empty() {
        return;
    }
    h.remove(header::SET_COOKIE);
    for c in cookies {
        let secure = match c.to_str() {
            Ok(t) if !t.split(';').any(|a| a.trim().eq_ignore_ascii_case("secure")) => {
                HeaderValue::from_str(&format!("{t}; Secure")).unwrap_or(c)
            }
            _ => c,
        };
        h.append(header::SET_COOKIE, secure);
    }
}
