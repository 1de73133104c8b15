//! The page shell every page shares: header with the role's menu, the language switch and
//! sign-out, then the page's content. Also the small pieces most pages use.

use crate::html;
use crate::i18n::Lang;
use crate::markup::{concat, Html};
use crate::session::{Ctx, Viewer};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use guomen_domain::party::Role;
use guomen_domain::Refusal;

impl IntoResponse for Html {
    fn into_response(self) -> Response {
        let mut r = self.into_string().into_response();
        r.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8"));
        r
    }
}

/// The menu of each role: (path, Chinese, English).
fn menu(role: Option<Role>) -> &'static [(&'static str, &'static str, &'static str)] {
    match role {
        None => &[("/", "服务介绍", "About"), ("/verify", "单证验真", "Verify a document"), ("/login", "登录", "Sign in")],
        Some(Role::Declarant) => &[
            ("/declarations", "我的报关单", "My declarations"),
            ("/declarations/new", "新建申报", "New declaration"),
            ("/ceb/inventories", "跨境电商清单", "Cross-border inventory lists"),
            ("/certificates/origin", "原产地证书", "Certificates of origin"),
            ("/certificates/phyto", "植物检疫证书", "Phytosanitary certificates"),
            ("/mandates", "委托", "Mandates"),
            ("/tokens", "接口令牌", "API tokens"),
        ],
        Some(Role::Terminal) => &[("/inbox", "通知收件箱", "Notice inbox"), ("/tokens", "接口令牌", "API tokens")],
        Some(Role::Laboratory) => &[("/samples", "样品", "Samples"), ("/tokens", "接口令牌", "API tokens")],
        Some(Role::Officer) => &[
            ("/queue", "作业队列", "Work queue"),
            ("/declarations", "报关单查询", "Declarations"),
            ("/ceb/inventories", "跨境电商清单", "Cross-border inventory lists"),
            ("/certificates/origin", "原产地证书", "Certificates of origin"),
            ("/certificates/phyto", "植物检疫证书", "Phytosanitary certificates"),
            ("/mandates", "委托", "Mandates"),
            ("/dashboard", "通关数据", "Clearance figures"),
        ],
        Some(Role::RiskAnalyst) => &[
            ("/criteria", "布控规则", "Criteria"),
            ("/rules/history", "版本历史", "Version history"),
            ("/dashboard", "通关数据", "Clearance figures"),
        ],
        Some(Role::Admin) => &[
            ("/admin/enterprises", "企业", "Enterprises"),
            ("/admin/users", "用户", "Users"),
            ("/admin/tokens", "接口令牌", "API tokens"),
            ("/admin/subscriptions", "推送订阅", "Webhooks"),
            ("/mandates", "委托", "Mandates"),
            ("/dashboard", "通关数据", "Clearance figures"),
        ],
    }
}

/// The link that shows the current page in the other language.
fn lang_switch(ctx: &Ctx) -> Html {
    let other = ctx.lang.other();
    let sep = if ctx.path.contains('?') { '&' } else { '?' };
    let href = format!("{}{}lang={}", ctx.path, sep, other.code());
    html!("<a class=\"lang\" id=\"lang-switch\" href=\"{}\" lang=\"{}\">{}</a>", href, other.html_lang(), ctx.t("English", "中文"))
}

/// The hidden field every form of a signed-in page carries.
pub fn csrf(v: &Viewer) -> Html {
    html!("<input type=\"hidden\" name=\"csrf\" value=\"{}\">", v.session.csrf)
}

fn header(ctx: &Ctx) -> Html {
    let role = ctx.viewer.as_ref().map(Viewer::role);
    let here = ctx.path.split('?').next().unwrap_or("");
    let links = concat(menu(role).iter().map(|(href, zh, en)| {
        let current = if here == *href { " aria-current=\"page\"" } else { "" };
        html!("<a href=\"{}\"{}>{}</a>", href, Html::lit(current), ctx.t(zh, en))
    }));
    let who = match &ctx.viewer {
        Some(v) => html!(
            "<span class=\"who\" id=\"who\">{} · {}{}</span><form method=\"post\" action=\"/logout\" class=\"inline\">{}<button type=\"submit\" class=\"link\" id=\"sign-out\">{}</button></form>",
            v.session.username,
            ctx.lang.role(v.role()),
            v.enterprise().map(|e| format!(" · {e}")),
            csrf(v),
            ctx.t("退出", "Sign out")
        ),
        None => Html::new(),
    };
    let bell = match &ctx.viewer {
        Some(v) if crate::pages::notices::has_notices(v.role()) => crate::pages::notices::bell(ctx.lang),
        _ => Html::new(),
    };
    let who = concat([bell, who]);
    html!(
        "<header class=\"top\"><a class=\"brand\" href=\"{}\"><span class=\"seal\">国</span>{}</a><nav>{}</nav><div class=\"right\">{}{}</div></header>",
        if ctx.viewer.is_some() { "/home" } else { "/" },
        ctx.t("国门 · 通关与检验检疫", "Guomen · Customs clearance"),
        links,
        who,
        lang_switch(ctx)
    )
}

fn document(lang: Lang, title: &str, header: Html, body: Html) -> Html {
    html!(
        "<!doctype html><html lang=\"{}\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>{} · {}</title><link rel=\"stylesheet\" href=\"/static/console.css\"><script src=\"/static/console.js\" defer></script></head><body>{}<main>{}</main><footer>{}</footer></body></html>",
        lang.html_lang(),
        title,
        lang.t("国门", "Guomen"),
        header,
        body,
        lang.t("国门 — 开源通关与检验检疫平台 · 时间均为北京时间", "Guomen — open-source customs clearance and inspection-quarantine platform · times in China Standard Time")
    )
}

/// A whole page.
pub fn page(ctx: &Ctx, title: &str, body: Html) -> Response {
    document(ctx.lang, title, header(ctx), body).into_response()
}

/// A whole page with another status (a form shown again with its errors: 422).
pub fn page_with(ctx: &Ctx, status: StatusCode, title: &str, body: Html) -> Response {
    (status, document(ctx.lang, title, header(ctx), body)).into_response()
}

/// A page without the menu, for errors.
pub fn bare(lang: Lang, title: &str, body: Html) -> Html {
    let header = html!(
        "<header class=\"top\"><a class=\"brand\" href=\"/\"><span class=\"seal\">国</span>{}</a></header>",
        lang.t("国门", "Guomen")
    );
    document(lang, title, header, body)
}

/// A refusal from a procedure, as a box at the top of the form it answers.
pub fn refusal(lang: Lang, r: &Refusal) -> Html {
    let items = concat(r.errors.iter().map(|e| {
        html!("<li><code>{}</code> {}</li>", if e.path.is_empty() { "—".to_owned() } else { e.path.clone() }, lang.t(&e.zh, &e.en))
    }));
    html!(
        "<div class=\"alert error\" role=\"alert\" id=\"refusal\"><strong>{}</strong> {}{}</div>",
        lang.t(r.kind.title_zh(), r.kind.title_en()),
        lang.t(&r.detail_zh, &r.detail_en),
        if r.errors.is_empty() { Html::new() } else { html!("<ul>{}</ul>", items) }
    )
}

/// A message after a successful step.
pub fn notice(text: &str) -> Html {
    html!("<div class=\"alert ok\" role=\"status\" id=\"flash\">{}</div>", text)
}

/// A lane as a coloured tag.
pub fn lane_tag(lang: Lang, lane: &str) -> Html {
    html!("<span class=\"lane lane-{}\" data-lane=\"{}\">{}</span>", lane, lane, lang.lane(lane))
}

/// A status as a tag.
pub fn status_tag(lang: Lang, status: &str) -> Html {
    html!("<span class=\"status status-{}\" data-status=\"{}\">{}</span>", status, status, lang.status(status))
}

/// A see-other redirect after a POST.
pub fn redirect(to: &str) -> Response {
    (StatusCode::SEE_OTHER, [(header::LOCATION, HeaderValue::from_str(to).unwrap_or(HeaderValue::from_static("/home")))]).into_response()
}
