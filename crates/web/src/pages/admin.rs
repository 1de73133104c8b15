//! The administrator's pages: enterprises with their credit grade, users (and who is locked
//! out, from which address), API tokens (issue, list, revoke: the table is `tokens.rs`'s),
//! webhook subscriptions with their delivery state. Each form builds the same
//! command the API builds, through the API's own helpers.

use super::{api_step, enterprise_name, step, Step};
use crate::form::Form;
use crate::formkit::FieldErrors;
use crate::html;
use crate::i18n::Lang;
use crate::layout::{csrf, notice, page_with, redirect};
use crate::markup::{concat, Html};
use crate::session::{now_ms, Ctx, PageError, Viewer};
use crate::WebState;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use guomen_domain::party::{CreditGrade, Role};
use guomen_domain::token::TokenScope;
use guomen_domain::Refusal;
use guomen_store::AdminCommand;
use guomen_store::Outcome;
use std::collections::HashMap;

const ADMIN: &[Role] = &[Role::Admin];

fn tabs(ctx: &Ctx, here: &str) -> Html {
    let items = [
        ("/admin/enterprises", ctx.t("企业", "Enterprises")),
        ("/admin/users", ctx.t("用户", "Users")),
        ("/admin/tokens", ctx.t("接口令牌", "API tokens")),
        ("/admin/subscriptions", ctx.t("推送订阅", "Webhooks")),
    ];
    html!(
        "<nav class=\"tabs\">{}</nav>",
        concat(items.iter().map(|(href, label)| html!(
            "<a class=\"tab{}\" href=\"{}\">{}</a>",
            if *href == here { " current" } else { "" },
            href,
            label
        )))
    )
}

fn roles(ctx: &Ctx) -> Vec<(String, String)> {
    Role::ALL.iter().map(|r| (r.as_str().to_owned(), format!("{} ({})", ctx.lang.role(*r), r.as_str()))).collect()
}

fn shell(ctx: &Ctx, status: StatusCode, here: &str, title: &str, body: Html) -> Response {
    page_with(ctx, status, title, html!("<h1>{}</h1>{}{}", title, tabs(ctx, here), body))
}

fn flash(ctx: &Ctx, q: &HashMap<String, String>) -> Html {
    match q.get("msg").map(String::as_str) {
        Some("added") => notice(ctx.t("已保存。", "Saved.")),
        _ => Html::new(),
    }
}

/// The labels of the administrator's forms, by input name.
fn labels(l: Lang) -> Vec<(&'static str, &'static str)> {
    vec![
        ("code", l.t("海关编码", "Customs code")),
        ("credit_code", l.t("统一社会信用代码", "Credit code")),
        ("name_zh", l.t("中文名称", "Name (Chinese)")),
        ("name_en", l.t("英文名称", "Name (English)")),
        ("grade", l.t("信用等级", "Credit grade")),
        ("site_code", l.t("监管场所代码", "Supervision site")),
        ("username", l.t("用户名", "Username")),
        ("password", l.t("初始密码", "Initial password")),
        ("role", l.t("角色", "Role")),
        ("enterprise", l.t("企业海关编码", "Enterprise code")),
        ("label", l.t("用途", "Label")),
        ("expires_in_days", l.t("有效天数", "Valid for (days)")),
        ("url", l.t("推送地址", "URL")),
    ]
}

/// A refused form: its title, the errors under their labels, and the fields marked.
fn refused(l: Lang, title: &str, r: &Refusal) -> (Html, FieldErrors) {
    (crate::formkit::summary(l, title, r, &labels(l), crate::formkit::same), FieldErrors::of(l, Some(r), crate::formkit::same))
}

async fn enterprises_page(s: &WebState, ctx: &Ctx, v: &Viewer, top: Html, form: &Form, status: StatusCode) -> Result<Response, PageError> {
    enterprises_page_with(s, ctx, v, top, &FieldErrors::none(), form, status).await
}

async fn enterprises_page_with(
    s: &WebState,
    ctx: &Ctx,
    v: &Viewer,
    top: Html,
    e: &FieldErrors,
    form: &Form,
    status: StatusCode,
) -> Result<Response, PageError> {
    let l = ctx.lang;
    let list = s.store.enterprises().await.map_err(|e| ctx.internal(e))?;
    let rows = concat(list.iter().map(|e| {
        html!(
            "<tr data-code=\"{}\"><td class=\"mono\">{}</td><td class=\"mono\">{}</td><td>{}<br><small>{}</small></td><td>{}</td><td>{}</td></tr>",
            e.code.to_string(),
            e.code.to_string(),
            e.credit_code.to_string(),
            e.name_zh,
            e.name_en,
            l.grade(e.grade),
            e.site_code.clone().unwrap_or_default()
        )
    }));
    let grades: Vec<(String, String)> = CreditGrade::ALL.iter().map(|g| (g.as_str().to_owned(), l.grade(*g).to_owned())).collect();
    let body = html!(
        "{}<section class=\"panel\"><h2>{}</h2><form method=\"post\" action=\"/admin/enterprises\" class=\"inline-form\" id=\"enterprise-form\">{}{}{}{}{}{}{}<button type=\"submit\">{}</button></form></section>\
         <section class=\"panel\"><table class=\"list\" id=\"enterprises\"><thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>{}</tbody></table></section>",
        top,
        l.t("登记企业", "Register an enterprise"),
        csrf(v),
        e.input("code", l.t("海关编码", "Customs code"), &form.text("code")),
        e.input("credit_code", l.t("统一社会信用代码", "Credit code"), &form.text("credit_code")),
        e.input("name_zh", l.t("中文名称", "Name (Chinese)"), &form.text("name_zh")),
        e.input("name_en", l.t("英文名称", "Name (English)"), &form.text("name_en")),
        e.select("grade", l.t("信用等级", "Credit grade"), &grades, &form.text("grade")),
        e.input("site_code", l.t("监管场所代码（码头/场站）", "Supervision site (terminals)"), &form.text("site_code")),
        l.t("登记", "Register"),
        l.t("海关编码", "Customs code"),
        l.t("信用代码", "Credit code"),
        l.t("名称", "Name"),
        l.t("信用等级", "Credit grade"),
        l.t("监管场所", "Site"),
        rows
    );
    Ok(shell(ctx, status, "/admin/enterprises", l.t("企业", "Enterprises"), body))
}

/// `GET /admin/enterprises`
pub async fn enterprises(State(s): State<WebState>, ctx: Ctx, Query(q): Query<HashMap<String, String>>) -> Result<Response, PageError> {
    let v = ctx.require(ADMIN)?;
    enterprises_page(&s, &ctx, v, flash(&ctx, &q), &Form::default(), StatusCode::OK).await
}

/// `POST /admin/enterprises`
pub async fn add_enterprise(State(s): State<WebState>, ctx: Ctx, form: Form) -> Result<Response, PageError> {
    let v = ctx.require_form(ADMIN, &form)?;
    let site = form.text("site_code");
    let parsed = guomen_service::admin::parse_enterprise(
        &form.text("code"),
        &form.text("credit_code"),
        &form.text("name_zh"),
        &form.text("name_en"),
        &form.text("grade"),
        Some(site.as_str()),
    );
    let refused = match parsed {
        Ok(e) => match step(&ctx, s.store.execute(v.actor().clone(), AdminCommand::RegisterEnterprise(e)).await)? {
            Step::Done(_) => return Ok(redirect("/admin/enterprises?msg=added")),
            Step::Refused(r) => r,
        },
        Err(errors) => Refusal::validation(errors),
    };
    let (top, e) = self::refused(ctx.lang, ctx.t("企业未能登记", "The enterprise was not registered"), &refused);
    enterprises_page_with(&s, &ctx, v, top, &e, &form, StatusCode::UNPROCESSABLE_ENTITY).await
}

async fn users_page(
    s: &WebState,
    ctx: &Ctx,
    v: &Viewer,
    top: Html,
    e: &FieldErrors,
    form: &Form,
    status: StatusCode,
) -> Result<Response, PageError> {
    let l = ctx.lang;
    let users = s.store.users().await.map_err(|e| ctx.internal(e))?;
    let locked = s.store.lockouts(now_ms()).await.map_err(|e| ctx.internal(e))?;
    let rows = concat(users.iter().map(|u| {
        let lock = concat(locked.iter().filter(|(n, _, _)| n == &u.username).map(|(_, client, until)| {
            html!(
                "<span class=\"status status-held\">{} {} {} {}</span> ",
                l.t("在", "from"),
                client,
                l.t("锁定至", "locked until"),
                l.time_ms(*until)
            )
        }));
        html!(
            "<tr data-user=\"{}\"><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            u.username,
            u.username,
            Role::parse(&u.role).map(|r| l.role(r)).unwrap_or("?"),
            u.enterprise.as_deref().map(|e| format!("{e} {}", enterprise_name(s, l, e))).unwrap_or_default(),
            l.time_ms(u.created_at_ms),
            lock
        )
    }));
    let body = html!(
        "{}<section class=\"panel\"><h2>{}</h2><form method=\"post\" action=\"/admin/users\" class=\"inline-form\" id=\"user-form\">{}{}{}{}{}<button type=\"submit\">{}</button></form><p class=\"muted\">{}</p></section>\
         <section class=\"panel\"><table class=\"list\" id=\"users\"><thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th></th></tr></thead><tbody>{}</tbody></table></section>",
        top,
        l.t("新建用户", "Create a user"),
        csrf(v),
        e.input("username", l.t("用户名", "Username"), &form.text("username")),
        e.input_typed(
            "password",
            l.t("初始密码（至少 8 位）", "Initial password (8+ characters)"),
            "",
            "password",
            Html::lit(" autocomplete=\"new-password\"")
        ),
        e.select("role", l.t("角色", "Role"), &roles(ctx), &form.text("role")),
        e.input("enterprise", l.t("所属企业海关编码（企业角色）", "Enterprise code (enterprise roles)"), &form.text("enterprise")),
        l.t("创建", "Create"),
        l.t("密码以 Argon2id 哈希保存。", "Passwords are stored as Argon2id hashes."),
        l.t("用户名", "Username"),
        l.t("角色", "Role"),
        l.t("企业", "Enterprise"),
        l.t("创建时间", "Created"),
        rows
    );
    Ok(shell(ctx, status, "/admin/users", l.t("用户", "Users"), body))
}

/// `GET /admin/users`
pub async fn users(State(s): State<WebState>, ctx: Ctx, Query(q): Query<HashMap<String, String>>) -> Result<Response, PageError> {
    let v = ctx.require(ADMIN)?;
    users_page(&s, &ctx, v, flash(&ctx, &q), &FieldErrors::none(), &Form::default(), StatusCode::OK).await
}

/// `POST /admin/users`
pub async fn add_user(State(s): State<WebState>, ctx: Ctx, form: Form) -> Result<Response, PageError> {
    let v = ctx.require_form(ADMIN, &form)?;
    let cmd = guomen_service::admin::user_command(
        &form.text("username"),
        form.get("password").unwrap_or(""),
        &form.text("role"),
        Some(&form.text("enterprise")),
    )
    .await;
    let refused = match api_step(&ctx, cmd)? {
        Step::Done(cmd) => match step(&ctx, s.store.execute(v.actor().clone(), cmd).await)? {
            Step::Done(_) => return Ok(redirect("/admin/users?msg=added")),
            Step::Refused(r) => r,
        },
        Step::Refused(r) => r,
    };
    let (top, e) = self::refused(ctx.lang, ctx.t("用户未能创建", "The user was not created"), &refused);
    users_page(&s, &ctx, v, top, &e, &form, StatusCode::UNPROCESSABLE_ENTITY).await
}

/// The administrator's tokens page: the form that issues one, and every token.
pub(crate) async fn tokens_page(s: &WebState, ctx: &Ctx, v: &Viewer, top: Html, status: StatusCode) -> Result<Response, PageError> {
    tokens_page_with(s, ctx, v, top, &FieldErrors::none(), &Form::default(), status).await
}

async fn tokens_page_with(
    s: &WebState,
    ctx: &Ctx,
    v: &Viewer,
    top: Html,
    e: &FieldErrors,
    form: &Form,
    status: StatusCode,
) -> Result<Response, PageError> {
    let l = ctx.lang;
    let tokens = s.store.tokens(&TokenScope::All).await.map_err(|e| ctx.internal(e))?;
    let days = s.store.security().token_days.to_string();
    let body = html!(
        "{}<section class=\"panel\"><h2>{}</h2><form method=\"post\" action=\"/admin/tokens\" class=\"inline-form\" id=\"token-form\">{}{}{}{}{}<button type=\"submit\">{}</button></form>\
         <p class=\"muted\">{}</p></section><section class=\"panel\">{}</section>",
        top,
        l.t("签发接口令牌", "Issue an API token"),
        csrf(v),
        e.select("role", l.t("角色", "Role"), &roles(ctx), &form.text("role")),
        e.input("enterprise", l.t("企业海关编码", "Enterprise code"), &form.text("enterprise")),
        e.input("label", l.t("用途", "Label"), &form.text("label")),
        e.input(
            "expires_in_days",
            l.t("有效天数（1–3650）", "Valid for (days, 1–3650)"),
            &Some(form.text("expires_in_days")).filter(|d| !d.is_empty()).unwrap_or(days)
        ),
        l.t("签发", "Issue"),
        l.t("令牌只在签发时显示一次，系统只保存其 SHA-256 哈希。", "A token is shown once, when issued; only its SHA-256 hash is kept."),
        super::tokens::table(ctx, v, &tokens)
    );
    Ok(shell(ctx, status, "/admin/tokens", l.t("接口令牌", "API tokens"), body))
}

/// `GET /admin/tokens`
pub async fn tokens(State(s): State<WebState>, ctx: Ctx, Query(q): Query<HashMap<String, String>>) -> Result<Response, PageError> {
    let v = ctx.require(ADMIN)?;
    let top = match q.get("msg").map(String::as_str) {
        Some("revoked") => notice(ctx.t("令牌已吊销。", "The token is revoked.")),
        _ => Html::new(),
    };
    tokens_page(&s, &ctx, v, top, StatusCode::OK).await
}

/// `POST /admin/tokens` — the page shows the new token once.
pub async fn issue_token(State(s): State<WebState>, ctx: Ctx, form: Form) -> Result<Response, PageError> {
    let v = ctx.require_form(ADMIN, &form)?;
    let l = ctx.lang;
    let label = Some(form.text("label")).filter(|x| !x.is_empty());
    let days = Some(form.text("expires_in_days")).filter(|d| !d.is_empty()).map(|d| d.parse::<i64>().unwrap_or(0));
    let cmd = guomen_service::admin::token_command(
        &form.text("role"),
        Some(&form.text("enterprise")),
        label,
        days,
        s.store.security().token_days,
    );
    let refused = match api_step(&ctx, cmd)? {
        Step::Done((cmd, token)) => match step(&ctx, s.store.execute(v.actor().clone(), cmd).await)? {
            Step::Done(_) => {
                let shown = html!(
                    "<div class=\"alert ok\" role=\"status\" id=\"new-token\">{} <code>{}</code></div>",
                    l.t("新令牌（只显示这一次，请立即保存）：", "The new token (shown only now; keep it safe):"),
                    token
                );
                return tokens_page(&s, &ctx, v, shown, StatusCode::CREATED).await;
            }
            Step::Refused(r) => r,
        },
        Step::Refused(r) => r,
    };
    let (top, e) = self::refused(l, l.t("令牌未能签发", "The token was not issued"), &refused);
    tokens_page_with(&s, &ctx, v, top, &e, &form, StatusCode::UNPROCESSABLE_ENTITY).await
}

async fn subscriptions_page(
    s: &WebState,
    ctx: &Ctx,
    v: &Viewer,
    top: Html,
    e: &FieldErrors,
    form: &Form,
    status: StatusCode,
) -> Result<Response, PageError> {
    let l = ctx.lang;
    let subs = s.store.subscriptions().await.map_err(|e| ctx.internal(e))?;
    let rows = concat(subs.iter().map(|x| {
        html!(
            "<tr><td class=\"mono\">{}</td><td>{}</td><td class=\"mono\">{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            x.id,
            x.enterprise.clone().unwrap_or_else(|| l.t("全部", "all").to_owned()),
            x.url,
            x.delivered,
            x.pending,
            x.last_error.clone().unwrap_or_default()
        )
    }));
    let body = html!(
        "{}<section class=\"panel\"><h2>{}</h2><form method=\"post\" action=\"/admin/subscriptions\" class=\"inline-form\" id=\"subscription-form\">{}{}{}<button type=\"submit\">{}</button></form></section>\
         <section class=\"panel\"><table class=\"list\" id=\"subscriptions\"><thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>{}</tbody></table></section>",
        top,
        l.t("新增推送订阅", "Add a webhook"),
        csrf(v),
        e.input("url", l.t("推送地址", "URL"), &form.text("url")),
        e.input("enterprise", l.t("仅推送给企业（海关编码，留空为全部）", "Only notices to (customs code; empty for all)"), &form.text("enterprise")),
        l.t("新增", "Add"),
        l.t("编号", "Id"),
        l.t("企业", "Enterprise"),
        l.t("地址", "URL"),
        l.t("已送达", "Delivered"),
        l.t("待送达", "Pending"),
        l.t("最近错误", "Last error"),
        rows
    );
    Ok(shell(ctx, status, "/admin/subscriptions", l.t("推送订阅", "Webhooks"), body))
}

/// `GET /admin/subscriptions`
pub async fn subscriptions(State(s): State<WebState>, ctx: Ctx) -> Result<Response, PageError> {
    let v = ctx.require(ADMIN)?;
    subscriptions_page(&s, &ctx, v, Html::new(), &FieldErrors::none(), &Form::default(), StatusCode::OK).await
}

/// `POST /admin/subscriptions` — the page shows the signing secret once.
pub async fn subscribe(State(s): State<WebState>, ctx: Ctx, form: Form) -> Result<Response, PageError> {
    let v = ctx.require_form(ADMIN, &form)?;
    let l = ctx.lang;
    let refused = match api_step(
        &ctx,
        guomen_service::admin::subscription_command(s.webhooks, Some(&form.text("enterprise")), &form.text("url")).await,
    )? {
        Step::Done((cmd, secret)) => match step(&ctx, s.store.execute(v.actor().clone(), cmd).await)? {
            Step::Done(Outcome::Subscription(sub)) => {
                let shown = html!(
                    "<div class=\"alert ok\" role=\"status\">{} <code>{}</code> · {} <code>{}</code></div>",
                    l.t("已订阅：", "Subscribed:"),
                    sub.id,
                    l.t("签名密钥（只显示这一次）：", "signing secret (shown only now):"),
                    secret
                );
                return subscriptions_page(&s, &ctx, v, shown, &FieldErrors::none(), &Form::default(), StatusCode::CREATED).await;
            }
            Step::Done(other) => return Err(ctx.internal(format!("unexpected outcome {other:?}"))),
            Step::Refused(r) => r,
        },
        Step::Refused(r) => r,
    };
    let (top, e) = self::refused(l, l.t("推送订阅未能新增", "The webhook was not added"), &refused);
    subscriptions_page(&s, &ctx, v, top, &e, &form, StatusCode::UNPROCESSABLE_ENTITY).await
}
