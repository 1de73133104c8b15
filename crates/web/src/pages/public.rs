//! Pages anyone may open: what the service is, sign-in and sign-out.

use super::{step, Step};
use crate::form::Form;
use crate::html;
use crate::layout::{self, page, page_with, redirect};
use crate::markup::Html;
use crate::session::{self, cookie, now_ms, random_token, same_secret, session_hash, Ctx, Denied};
use crate::WebState;
use axum::extract::{Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use guomen_domain::party::{Actor, Role};
use guomen_store::console::{ConsoleCommand, ConsoleOutcome};
use guomen_store::{Command, Outcome};
use serde_json::json;
use std::collections::HashMap;

/// Where each role starts.
pub fn home_of(role: Role) -> &'static str {
    match role {
        Role::Declarant => "/declarations",
        Role::Terminal => "/inbox",
        Role::Laboratory => "/samples",
        Role::Officer => "/queue",
        Role::RiskAnalyst => "/criteria",
        Role::Admin => "/admin/enterprises",
    }
}

/// `GET /home` — the signed-in user's start page. A trader that files no declarations but
/// sends cross-border inventory lists (a platform, an e-commerce enterprise) starts at its lists.
pub async fn home(State(s): State<WebState>, ctx: Ctx) -> Result<Response, session::PageError> {
    let Some(v) = &ctx.viewer else { return Ok(redirect("/login")) };
    if v.role() == Role::Declarant {
        if let Some(me) = v.enterprise().map(|e| e.to_string()) {
            let one = guomen_store::DeclarationFilter { party: Some(me.clone()), limit: 1, ..Default::default() };
            let declares = !s.store.declarations(&one).await.map_err(|e| ctx.internal(e))?.is_empty();
            if !declares {
                let lists = guomen_store::ceb::InventoryFilter { party: Some(me), limit: 1, ..Default::default() };
                if !s.store.ceb_inventories(&lists).await.map_err(|e| ctx.internal(e))?.is_empty() {
                    return Ok(redirect("/ceb/inventories"));
                }
            }
        }
    }
    Ok(redirect(home_of(v.role())))
}

/// `GET /` — the public page: what Guomen does, and the last 30 days' headline figures.
pub async fn about(State(s): State<WebState>, ctx: Ctx) -> Result<Response, session::PageError> {
    let l = ctx.lang;
    let today = guomen_domain::clearance::cst_day(time::OffsetDateTime::now_utc());
    let filter = guomen_store::console::reads::FiguresFilter {
        from: (today - time::Duration::days(29)).to_string(),
        to: today.to_string(),
        ..Default::default()
    };
    let by_dir = s.store.clearance_figures(&filter, guomen_store::console::reads::GroupBy::Direction).await.map_err(|e| ctx.internal(e))?;
    let figure = |ie: &str| {
        let f = by_dir.iter().find(|(k, _)| k == ie).map(|(_, f)| f.clone()).unwrap_or_default();
        let avg = if f.timed > 0 {
            l.duration_ms((f.arrival_ms + f.decision_ms + f.inspection_ms + f.release_ms) / f.timed)
        } else {
            "—".into()
        };
        html!(
            "<div class=\"kpi\"><span class=\"k\">{}</span><span class=\"v\" data-figure=\"clearance-{}\">{}</span><span class=\"n\">{} {}</span></div>",
            l.t(if ie == "I" { "进口整体通关时间" } else { "出口整体通关时间" }, if ie == "I" { "Import clearance time" } else { "Export clearance time" }),
            ie,
            avg,
            f.declared,
            l.t("份报关单", "declarations")
        )
    };
    let body = html!(
        "<section class=\"hero\"><h1>{}</h1><p class=\"lead\">{}</p><p><a class=\"button\" href=\"/login\" id=\"go-sign-in\">{}</a></p></section>\
         <section class=\"panel\"><h2>{}</h2><div class=\"kpis\">{}{}</div><p class=\"muted\">{}</p></section>\
         <section class=\"grid3\">\
           <div class=\"panel\"><h3>{}</h3><p>{}</p></div>\
           <div class=\"panel\"><h3>{}</h3><p>{}</p></div>\
           <div class=\"panel\"><h3>{}</h3><p>{}</p></div></section>\
         <section class=\"panel\" id=\"verify\"><h2>{}</h2><p>{}</p></section>",
        l.t("一次申报，一次查验，一次放行", "One declaration, one inspection, one release"),
        l.t(
            "国门是海关通关与检验检疫平台：企业在线申报，系统逐项校验并进行风险布控，查验与放行通知即时推送给企业和码头，每一步都记入防篡改的链式日志，可追溯、可核验。",
            "Guomen is a customs clearance and inspection-quarantine platform: traders declare online, every field is checked and risk-targeted, inspection and release notices reach the trader and the terminal at once, and every step is written to a hash-chained journal that can be traced and verified."
        ),
        l.t("登录工作台", "Sign in to the console"),
        l.t("近 30 天通关情况", "Clearance in the last 30 days"),
        figure("I"),
        figure("E"),
        l.t("整体通关时间：货物运抵至放行，按申报日统计。", "Overall clearance time: arrival of the goods to release, by the day of declaration."),
        l.t("企业", "Traders"),
        l.t("录入或上传报关单，实时校验，查看通道、查验通知和放行通知，以及每一步的时间线。", "File or upload declarations with live checks; follow the lane, the notices and the timeline of every step."),
        l.t("码头与实验室", "Terminals and laboratories"),
        l.t("接收查验与放行通知，反馈集装箱到位；登记样品并出具检测结果。", "Receive inspection and release notices and report containers in position; register samples and publish results."),
        l.t("海关", "Customs"),
        l.t("按通道和时长处理作业队列，录入查验结果，放行或扣留，改变通道；维护布控规则，查看通关时效数据。", "Work the queue by lane and age, record results, release or hold, re-route; tune criteria and watch clearance figures."),
        l.t("证书核验", "Certificate verification"),
html!(
            "{} <a href=\"/verify\" id=\"go-verify\">{}</a>",
            l.t("海关签发的原产地证书和植物检疫证书带有电子签名，任何人可凭证书编号或二维码核验其内容及是否有效，无需登录。", "Certificates of origin and phytosanitary certificates customs issues carry an electronic signature: anyone can check what one says and whether it is valid by its number or QR code, without signing in."),
            l.t("单证验真", "Verify a document")
        )
    );
    Ok(page(&ctx, l.t("服务介绍", "About Guomen"), body))
}

fn login_page(ctx: &Ctx, token: &str, next: &str, username: &str, message: Option<Html>) -> Html {
    let l = ctx.lang;
    html!(
        "<section class=\"panel narrow\"><h1>{}</h1>{}<form method=\"post\" action=\"/login\" id=\"login-form\">\
         <input type=\"hidden\" name=\"login_token\" value=\"{}\"><input type=\"hidden\" name=\"next\" value=\"{}\">\
         <label>{}<input name=\"username\" id=\"username\" autocomplete=\"username\" required value=\"{}\"></label>\
         <label>{}<input name=\"password\" id=\"password\" type=\"password\" autocomplete=\"current-password\" required></label>\
         <button type=\"submit\" id=\"sign-in\">{}</button></form>\
         <p class=\"muted\">{}</p></section>",
        l.t("登录", "Sign in"),
        message,
        token,
        next,
        l.t("用户名", "Username"),
        username,
        l.t("密码", "Password"),
        l.t("登录", "Sign in"),
        l.t(
            "同一地址 15 分钟内连续 5 次登录失败，将在该地址锁定此用户 15 分钟。演示环境的用户和密码见 guomen serve --demo 的输出。",
            "Five failed sign-ins from one address within 15 minutes lock the username at that address for 15 minutes. The demo users and passwords are printed by guomen serve --demo."
        )
    )
}

fn login_cookie(token: &str) -> HeaderValue {
    HeaderValue::from_str(&format!("{}={token}; Path=/login; Max-Age=3600; HttpOnly; SameSite=Strict", session::LOGIN_COOKIE))
        .expect("hex tokens are valid header values")
}

/// `GET /login`
pub async fn login_form(ctx: Ctx, Query(q): Query<HashMap<String, String>>) -> Response {
    if let Some(v) = &ctx.viewer {
        return redirect(home_of(v.role()));
    }
    let token = random_token();
    let next = q.get("next").cloned().unwrap_or_default();
    let mut res = page(&ctx, ctx.t("登录", "Sign in"), login_page(&ctx, &token, &next, "", None));
    res.headers_mut().append(header::SET_COOKIE, login_cookie(&token));
    res
}

/// Only paths on this site, so a crafted link cannot send a user elsewhere after sign-in.
fn safe_next(next: &str) -> Option<&str> {
    (next.starts_with('/') && !next.starts_with("//") && !next.starts_with("/\\")).then_some(next)
}

fn console_actor() -> Actor {
    Actor { id: "console".into(), role: None, enterprise: None }
}

/// `POST /login`
pub async fn login(State(s): State<WebState>, ctx: Ctx, headers: HeaderMap, form: Form) -> Result<Response, session::PageError> {
    let l = ctx.lang;
    let token = form.text("login_token");
    if token.is_empty() || !same_secret(cookie(&headers, session::LOGIN_COOKIE).unwrap_or(""), &token) {
        return Err(ctx.deny(Denied::BadCsrf));
    }
    let username = form.text("username");
    let password = form.get("password").unwrap_or("").to_owned();
    let next = form.text("next");
    let again = |status: StatusCode, msg: Html| {
        let fresh = random_token();
        let mut res = page_with(&ctx, status, l.t("登录", "Sign in"), login_page(&ctx, &fresh, &next, &username, Some(msg)));
        res.headers_mut().append(header::SET_COOKIE, login_cookie(&fresh));
        res
    };
    let locked_msg = |until: i64| {
        html!(
            "<div class=\"alert error\" role=\"alert\" id=\"locked\">{} {}</div>",
            l.t("登录失败次数过多，该用户在此地址已被锁定至", "Too many failed sign-ins: this username is locked from this address until"),
            l.time_ms(until)
        )
    };
    if username.is_empty() || username.len() > 64 || password.is_empty() {
        return Ok(again(
            StatusCode::UNPROCESSABLE_ENTITY,
            html!("<div class=\"alert error\" role=\"alert\">{}</div>", l.t("请输入用户名和密码。", "Enter a username and a password.")),
        ));
    }
    let now = now_ms();
    let (req, log) = (&ctx.request, &s.store.security().log);
    let client = req.client_key();
    if let Some(until) = s.store.signin_locked_until(&username, &client, now).await.map_err(|e| ctx.internal(e))? {
        req.log(log, "signin_refused_locked", json!({ "username": username, "locked_until_ms": until }));
        return Ok(again(StatusCode::TOO_MANY_REQUESTS, locked_msg(until)));
    }
    let actor = s.store.actor_for_login(&username, &password).await.map_err(|e| ctx.internal(e))?;
    let Some(actor) = actor else {
        req.log(log, "signin_failed", json!({ "username": username }));
        let cmd = ConsoleCommand::RecordSignInFailure { username: username.clone(), client: client.clone() };
        let out = s.store.execute(console_actor(), Command::Console(cmd)).await;
        if let Ok(Outcome::Console(ConsoleOutcome::FailureRecorded { locked_until_ms: Some(until) })) = out {
            req.log(log, "signin_locked_out", json!({ "username": username, "locked_until_ms": until }));
            return Ok(again(StatusCode::TOO_MANY_REQUESTS, locked_msg(until)));
        }
        out.map_err(|e| ctx.internal(e))?;
        return Ok(again(
            StatusCode::UNAUTHORIZED,
            html!(
                "<div class=\"alert error\" role=\"alert\" id=\"bad-credentials\">{}</div>",
                l.t("用户名或密码不正确。", "Wrong username or password.")
            ),
        ));
    };
    req.set_actor(&actor);
    let id = random_token();
    let csrf = random_token();
    let cmd = ConsoleCommand::OpenSession {
        session_hash: session_hash(&id),
        csrf,
        username: username.clone(),
        client,
        expires_at_ms: now + session::SESSION_MS,
    };
    match step(&ctx, s.store.execute(console_actor(), Command::Console(cmd)).await)? {
        Step::Done(_) => {}
        Step::Refused(r) => return Ok(again(StatusCode::UNAUTHORIZED, layout::refusal(l, &r))),
    }
    let mut res = redirect(safe_next(&next).unwrap_or("/home"));
    let c = format!("{}={id}; Path=/; Max-Age={}; HttpOnly; SameSite=Strict", session::SESSION_COOKIE, session::SESSION_MS / 1000);
    res.headers_mut().append(header::SET_COOKIE, HeaderValue::from_str(&c).expect("hex"));
    res.headers_mut()
        .append(header::SET_COOKIE, HeaderValue::from_str(&format!("{}=; Path=/login; Max-Age=0", session::LOGIN_COOKIE)).expect("ascii"));
    Ok(res)
}

/// `POST /logout`
pub async fn logout(State(s): State<WebState>, ctx: Ctx, form: Form) -> Result<Response, session::PageError> {
    let v = ctx.signed_in()?;
    if !same_secret(form.get("csrf").unwrap_or(""), &v.session.csrf) {
        return Err(ctx.deny(Denied::BadCsrf));
    }
    s.store
        .execute(v.actor().clone(), Command::Console(ConsoleCommand::CloseSession { session_hash: v.hash.clone() }))
        .await
        .map_err(|e| ctx.internal(e))?;
    let mut res = redirect("/");
    res.headers_mut().append(
        header::SET_COOKIE,
        HeaderValue::from_str(&format!("{}=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict", session::SESSION_COOKIE)).expect("ascii"),
    );
    Ok(res.into_response())
}

/// Any path no page or API route answers: under `/api/` the API's problem document, elsewhere
/// the console's "not found" page (with the menu when signed in).
pub async fn not_found(ctx: Ctx, uri: axum::http::Uri) -> Response {
    if uri.path().starts_with("/api/") {
        return guomen_service::problem::no_route().await.into_response();
    }
    let l = ctx.lang;
    let body = html!(
        "<section class=\"panel error-page\" id=\"not-found\"><h1>{}</h1><p>{}</p><p><a href=\"{}\">{}</a></p></section>",
        l.t("页面不存在", "Page not found"),
        l.t("这个地址没有页面，请检查链接或从菜单进入。", "There is no page at this address: check the link, or use the menu."),
        if ctx.viewer.is_some() { "/home" } else { "/" },
        l.t("返回首页", "Back to the start page")
    );
    page_with(&ctx, StatusCode::NOT_FOUND, l.t("页面不存在", "Page not found"), body)
}
