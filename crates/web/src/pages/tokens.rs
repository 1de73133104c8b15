//! API tokens in the console: the table the administrator (every token, `admin.rs`) and an
//! enterprise's people (their enterprise's tokens, `/tokens`) see — id, label, role,
//! enterprise, issued, expires, last used, revoked; never a secret — and revocation from it.
//! Who may revoke which token is the domain's rule (`guomen_domain::token`), applied by the store.

use super::{api_step, step, Step};
use crate::form::Form;
use crate::html;
use crate::layout::{csrf, notice, page_with, redirect};
use crate::markup::{concat, Html};
use crate::session::{now_ms, Ctx, PageError, Viewer};
use crate::WebState;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use guomen_domain::party::Role;
use guomen_domain::token::{TokenScope, TokenState};
use guomen_domain::RefusalKind;
use guomen_store::tokens::TokenRow;
use std::collections::HashMap;

/// The roles whose people manage their enterprise's tokens.
pub const ENTERPRISE: &[Role] = &[Role::Declarant, Role::Terminal, Role::Laboratory];
const MANAGERS: &[Role] = &[Role::Admin, Role::Declarant, Role::Terminal, Role::Laboratory];

fn state_tag(ctx: &Ctx, t: &TokenRow, now: i64) -> Html {
    let l = ctx.lang;
    match t.state(now) {
        TokenState::Active => html!("<span class=\"status status-released\" data-state=\"active\">{}</span>", l.t("有效", "active")),
        TokenState::Expired => html!("<span class=\"status status-held\" data-state=\"expired\">{}</span>", l.t("已过期", "expired")),
        TokenState::Revoked => html!(
            "<span class=\"status status-held\" data-state=\"revoked\">{}</span> <small>{} {}</small>",
            l.t("已吊销", "revoked"),
            t.revoked_at_ms.map(|ms| l.time_ms(ms)).unwrap_or_default(),
            t.revoked_by.clone().unwrap_or_default()
        ),
    }
}

/// The tokens table, with a revoke button on each token still active.
pub fn table(ctx: &Ctx, v: &Viewer, tokens: &[TokenRow]) -> Html {
    let l = ctx.lang;
    let now = now_ms();
    let rows = concat(tokens.iter().map(|t| {
        let action = if t.state(now) == TokenState::Active {
            html!(
                "<form method=\"post\" action=\"/tokens/{}/revoke\" class=\"inline\">{}<input name=\"reason\" placeholder=\"{}\" maxlength=\"500\"><button type=\"submit\" class=\"danger\" id=\"revoke-{}\">{}</button></form>",
                t.id,
                csrf(v),
                l.t("吊销原因（可选）", "reason (optional)"),
                t.id,
                l.t("吊销", "Revoke")
            )
        } else {
            Html::new()
        };
        html!(
            "<tr data-token=\"{}\"><td class=\"mono\">{}</td><td>{}</td><td>{}</td><td class=\"mono\">{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            t.id,
            t.id,
            t.label.clone().unwrap_or_default(),
            Role::parse(&t.role).map(|r| l.role(r)).unwrap_or("?"),
            t.enterprise.clone().unwrap_or_default(),
            l.time_ms(t.created_at_ms),
            l.time_ms(t.expires_at_ms),
            t.last_used_at_ms.map(|ms| l.time_ms(ms)).unwrap_or_else(|| "—".into()),
            state_tag(ctx, t, now),
            action
        )
    }));
    html!(
        "<table class=\"list\" id=\"tokens\"><thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th></th></tr></thead><tbody>{}</tbody></table>\
         <p class=\"muted\">{}</p>",
        l.t("编号", "Id"),
        l.t("用途", "Label"),
        l.t("角色", "Role"),
        l.t("企业", "Enterprise"),
        l.t("签发时间", "Issued"),
        l.t("到期时间", "Expires"),
        l.t("最近使用", "Last used"),
        l.t("状态", "State"),
        rows,
        l.t(
            "最近使用时间至多每分钟记录一次。吊销立即生效；令牌密文只在签发时显示一次，系统只保存其 SHA-256 哈希。",
            "Last use is recorded at most once a minute. A revocation takes effect at once; a token's secret is shown once, when issued, and only its SHA-256 hash is kept."
        )
    )
}

async fn enterprise_page(s: &WebState, ctx: &Ctx, v: &Viewer, top: Html, status: StatusCode) -> Result<Response, PageError> {
    let l = ctx.lang;
    let Some(scope) = TokenScope::of(v.actor()) else { return Err(ctx.deny(crate::session::Denied::Forbidden)) };
    let tokens = s.store.tokens(&scope).await.map_err(|e| ctx.internal(e))?;
    let title = l.t("本企业接口令牌", "Our API tokens");
    let body = html!(
        "<h1>{}</h1>{}<section class=\"panel\"><p>{}</p>{}</section>",
        title,
        top,
        l.t(
            "以下是签发给本企业的接口令牌。发现令牌泄露或不再使用时，请立即吊销；新令牌请向海关系统管理员申请。",
            "These are the API tokens issued to your enterprise. Revoke a token at once if it leaked or is no longer used; ask the customs administrator for a new one."
        ),
        table(ctx, v, &tokens)
    );
    Ok(page_with(ctx, status, title, body))
}

fn flash(ctx: &Ctx, q: &HashMap<String, String>) -> Html {
    match q.get("msg").map(String::as_str) {
        Some("revoked") => notice(ctx.t("令牌已吊销。", "The token is revoked.")),
        _ => Html::new(),
    }
}

/// `GET /tokens` — an enterprise's own tokens.
pub async fn list(State(s): State<WebState>, ctx: Ctx, Query(q): Query<HashMap<String, String>>) -> Result<Response, PageError> {
    let v = ctx.require(ENTERPRISE)?;
    enterprise_page(&s, &ctx, v, flash(&ctx, &q), StatusCode::OK).await
}

/// `POST /tokens/{id}/revoke` — from the administrator's page or an enterprise's.
pub async fn revoke(State(s): State<WebState>, ctx: Ctx, Path(id): Path<String>, form: Form) -> Result<Response, PageError> {
    let v = ctx.require_form(MANAGERS, &form)?;
    let back = if v.role() == Role::Admin { "/admin/tokens" } else { "/tokens" };
    let reason = form.text("reason");
    let refused = match api_step(&ctx, guomen_service::admin::revoke_command(&id, Some(&reason)))? {
        Step::Done(cmd) => match step(&ctx, s.store.execute(v.actor().clone(), cmd).await)? {
            Step::Done(_) => return Ok(redirect(&format!("{back}?msg=revoked"))),
            Step::Refused(r) => r,
        },
        Step::Refused(r) => r,
    };
    let status = match refused.kind {
        RefusalKind::NotFound => StatusCode::NOT_FOUND,
        RefusalKind::Forbidden => StatusCode::FORBIDDEN,
        RefusalKind::InvalidState => StatusCode::CONFLICT,
        _ => StatusCode::UNPROCESSABLE_ENTITY,
    };
    let labels = [("reason", ctx.t("吊销原因", "Reason"))];
    let top =
        crate::formkit::summary(ctx.lang, ctx.t("令牌未能吊销", "The token was not revoked"), &refused, &labels, crate::formkit::same);
    if v.role() == Role::Admin {
        super::admin::tokens_page(&s, &ctx, v, top, status).await
    } else {
        enterprise_page(&s, &ctx, v, top, status).await
    }
}
