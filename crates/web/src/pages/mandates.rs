//! 委托 — mandates. A trader sees the mandates its enterprise gave and those it holds, gives one
//! (agent, scopes, first and last day) and revokes one it gave; officers and risk analysts see
//! every mandate read-only, an administrator may also revoke. The forms build the same
//! `MandateCommand`s the API builds, so a refusal shows the same field paths and rule codes.
//! Mandates are cards, not table rows, so the page reads on a 390 px phone.

use super::{enterprise_name, param, step, Step};
use crate::form::Form;
use crate::html;
use crate::i18n::Lang;
use crate::layout::{csrf, notice, page_with, redirect, refusal};
use crate::markup::{concat, Html};
use crate::session::{Ctx, PageError, Viewer};
use crate::WebState;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use guomen_domain::clearance::cst_day;
use guomen_domain::mandate::{Mandate, MandateDraft, MandateStatus, Scope};
use guomen_domain::party::Role;
use guomen_store::mandate::{MandateCommand, MandateFilter};
use guomen_store::Command;
use std::collections::HashMap;

const VIEWERS: &[Role] = &[Role::Declarant, Role::Officer, Role::RiskAnalyst, Role::Admin];
/// Who may revoke: the consignor's declarant, or an administrator.
const REVOKERS: &[Role] = &[Role::Declarant, Role::Admin];

fn today() -> time::Date {
    cst_day(time::OffsetDateTime::now_utc())
}

fn scope_name(l: Lang, s: Scope) -> &'static str {
    match (s, l) {
        (Scope::Declarations, Lang::Zh) => "报关单申报及后续手续",
        (Scope::Declarations, Lang::En) => "declarations and their later steps",
        (Scope::CebInventories, Lang::Zh) => "跨境电商清单（含撤销、退货）",
        (Scope::CebInventories, Lang::En) => "cross-border inventory lists, cancellations, returns",
    }
}

fn status_name(l: Lang, s: MandateStatus) -> String {
    l.pick(s.name_zh().to_owned(), s.as_str().replace('-', " "))
}

fn party(s: &WebState, l: Lang, code: &str) -> Html {
    html!("<span class=\"mono\">{}</span> {}", code, enterprise_name(s, l, code))
}

/// One mandate as a card, with the revocation form when `revocable`.
fn card(s: &WebState, ctx: &Ctx, v: &Viewer, m: &Mandate, revocable: bool) -> Html {
    let l = ctx.lang;
    let st = m.status(today());
    let revoked =
        m.revoked.as_ref().map(|r| html!("<dt>{}</dt><dd>{} · {} · {}</dd>", l.t("撤销", "Revoked"), l.time(r.at), r.by, r.reason));
    let form = (revocable && st != MandateStatus::Revoked && st != MandateStatus::Expired).then(|| {
        html!(
            "<form method=\"post\" action=\"/mandates/{}/revoke\" class=\"inline-form revoke\">{}<label>{}<input name=\"reason\" required maxlength=\"200\"></label><button type=\"submit\" class=\"danger\" data-revoke=\"{}\">{}</button></form>",
            m.id,
            csrf(v),
            l.t("撤销原因", "Reason"),
            m.id,
            l.t("撤销委托", "Revoke")
        )
    });
    html!(
        "<li class=\"mandate\" data-id=\"{}\" data-status=\"{}\"><div class=\"title-row\"><span class=\"mono\">{}</span><span class=\"status status-mandate-{}\">{}</span></div>\
         <dl class=\"facts\"><dt>{}</dt><dd>{}</dd><dt>{}</dt><dd>{}</dd><dt>{}</dt><dd>{}</dd><dt>{}</dt><dd>{} – {}</dd><dt>{}</dt><dd>{} · {}</dd>{}</dl>{}</li>",
        m.id,
        st.as_str(),
        m.id,
        st.as_str(),
        status_name(l, st),
        l.t("委托方", "Consignor"),
        party(s, l, m.consignor.as_str()),
        l.t("被委托方", "Agent"),
        party(s, l, m.agent.as_str()),
        l.t("委托事项", "Scope"),
        m.scopes.iter().map(|x| scope_name(l, *x)).collect::<Vec<_>>().join(l.t("、", "; ")),
        l.t("有效期", "Valid"),
        m.valid_from.to_string(),
        m.valid_until.to_string(),
        l.t("出具", "Granted"),
        l.time(m.granted_at),
        m.granted_by,
        revoked,
        form
    )
}

fn cards(s: &WebState, ctx: &Ctx, v: &Viewer, id: &str, list: &[Mandate], revocable: impl Fn(&Mandate) -> bool) -> Html {
    if list.is_empty() {
        return html!("<p class=\"empty\" id=\"{}\">{}</p>", id, ctx.t("暂无委托。", "No mandates."));
    }
    html!("<ul class=\"mandates\" id=\"{}\">{}</ul>", id, concat(list.iter().map(|m| card(s, ctx, v, m, revocable(m)))))
}

/// The grant form, filled with what was sent when it is shown again with its errors.
fn grant_form(s: &WebState, ctx: &Ctx, v: &Viewer, form: &Form) -> Html {
    let l = ctx.lang;
    let me = v.enterprise().map(|e| e.to_string()).unwrap_or_default();
    let options = {
        let dir = s.store.directory().read().expect("directory lock");
        let mut firms: Vec<(String, String)> = dir
            .enterprises
            .values()
            .filter(|e| e.code.as_str() != me && e.site_code.is_none())
            .map(|e| (e.code.to_string(), if l == Lang::En && !e.name_en.is_empty() { e.name_en.clone() } else { e.name_zh.clone() }))
            .collect();
        firms.sort();
        concat(firms.iter().map(|(c, n)| html!("<option value=\"{}\">{}</option>", c, n)))
    };
    let chosen: Vec<&str> = form.0.iter().filter(|(k, _)| k == "scopes").map(|(_, v)| v.as_str()).collect();
    let fresh = form.0.is_empty();
    let checks = concat(Scope::ALL.iter().map(|sc| {
        let on = if chosen.contains(&sc.as_str()) || (fresh && *sc == Scope::Declarations) { " checked" } else { "" };
        html!(
            "<label class=\"check\"><input type=\"checkbox\" name=\"scopes\" value=\"{}\"{}> {}</label>",
            sc.as_str(),
            Html::lit(on),
            scope_name(l, *sc)
        )
    }));
    let from = if fresh { today().to_string() } else { form.text("valid_from") };
    html!(
        "<section class=\"panel\"><h2>{}</h2><form method=\"post\" action=\"/mandates\" id=\"mandate-form\">{}\
         <label>{} <small>{}</small><input name=\"agent\" id=\"agent\" list=\"agents\" value=\"{}\" autocomplete=\"off\" required></label><datalist id=\"agents\">{}</datalist>\
         <fieldset class=\"row\"><legend>{}</legend>{}</fieldset>\
         <div class=\"inline-form\"><label>{}<input type=\"date\" name=\"valid_from\" id=\"valid_from\" value=\"{}\"></label><label>{}<input type=\"date\" name=\"valid_until\" id=\"valid_until\" value=\"{}\" required></label></div>\
         <p class=\"muted\">{}</p><button type=\"submit\" id=\"grant\">{}</button></form></section>",
        l.t("出具委托", "Give a mandate"),
        csrf(v),
        l.t("被委托企业海关编码", "Agent's customs code"),
        l.t("（报关企业）", "(the customs broker)"),
        form.text("agent"),
        options,
        l.t("委托事项", "Scope"),
        checks,
        l.t("生效日期", "From"),
        from,
        l.t("截止日期（含）", "Until (included)"),
        form.text("valid_until"),
        l.t(
            "日期为北京时间的海关工作日。委托期间，被委托企业以贵企业名义申报并办理后续手续；撤销后即不能再办理，但仍可查看其已申报的单证。",
            "Days are customs days in China Standard Time. While the mandate holds, the agent declares in your name and takes the later steps; once revoked it can no longer act, but it still sees what it filed."
        ),
        l.t("出具委托", "Give the mandate")
    )
}

async fn render(
    s: &WebState,
    ctx: &Ctx,
    v: &Viewer,
    q: &HashMap<String, String>,
    top: Html,
    form: &Form,
    status: StatusCode,
) -> Result<Response, PageError> {
    let l = ctx.lang;
    let title = l.t("委托", "Mandates");
    let body = match v.enterprise().filter(|_| v.role() == Role::Declarant) {
        Some(me) => {
            let code = me.to_string();
            let given = s
                .store
                .mandates(&MandateFilter { consignor: Some(code.clone()), limit: 500, ..Default::default() })
                .await
                .map_err(|e| ctx.internal(e))?;
            let held = s
                .store
                .mandates(&MandateFilter { agent: Some(code.clone()), limit: 500, ..Default::default() })
                .await
                .map_err(|e| ctx.internal(e))?;
            html!(
                "<h1>{}</h1>{}{}<section class=\"panel\"><h2>{}</h2>{}</section><section class=\"panel\"><h2>{}</h2>{}</section>",
                title,
                top,
                grant_form(s, ctx, v, form),
                l.t("本企业出具的委托", "Mandates we gave"),
                cards(s, ctx, v, "given", &given, |_| true),
                l.t("本企业持有的委托", "Mandates we hold"),
                cards(s, ctx, v, "held", &held, |_| false)
            )
        }
        None => {
            let filter = param(q, "enterprise");
            let all = s
                .store
                .mandates(&MandateFilter { party: filter.clone(), limit: 500, ..Default::default() })
                .await
                .map_err(|e| ctx.internal(e))?;
            let admin = v.role() == Role::Admin;
            html!(
                "<h1>{}</h1>{}<form method=\"get\" action=\"/mandates\" class=\"filters\"><label>{}<input name=\"enterprise\" value=\"{}\"></label><button type=\"submit\" class=\"secondary\">{}</button></form>\
                 <section class=\"panel\"><h2>{}</h2>{}</section>",
                title,
                top,
                l.t("企业海关编码", "Enterprise code"),
                filter.unwrap_or_default(),
                l.t("筛选", "Filter"),
                l.t("全部委托", "All mandates"),
                cards(s, ctx, v, "all", &all, |_| admin)
            )
        }
    };
    Ok(page_with(ctx, status, title, body))
}

fn flash(ctx: &Ctx, q: &HashMap<String, String>) -> Html {
    match q.get("msg").map(String::as_str) {
        Some("granted") => notice(ctx.t("委托已出具。", "The mandate is given.")),
        Some("revoked") => notice(ctx.t("委托已撤销。", "The mandate is revoked.")),
        _ => Html::new(),
    }
}

/// `GET /mandates`
pub async fn list(State(s): State<WebState>, ctx: Ctx, Query(q): Query<HashMap<String, String>>) -> Result<Response, PageError> {
    let v = ctx.require(VIEWERS)?;
    render(&s, &ctx, v, &q, flash(&ctx, &q), &Form::default(), StatusCode::OK).await
}

/// `POST /mandates` — the trader's enterprise gives the mandate.
pub async fn grant(State(s): State<WebState>, ctx: Ctx, form: Form) -> Result<Response, PageError> {
    let v = ctx.require_form(&[Role::Declarant], &form)?;
    let consignor = v.enterprise().ok_or_else(|| ctx.deny(crate::session::Denied::Forbidden))?.clone();
    let draft = MandateDraft {
        agent: Some(form.text("agent")),
        scopes: form.0.iter().filter(|(k, _)| k == "scopes").map(|(_, v)| v.clone()).collect(),
        valid_from: Some(form.text("valid_from")),
        valid_until: Some(form.text("valid_until")),
    };
    match step(&ctx, s.store.execute(v.actor().clone(), Command::Mandate(MandateCommand::Grant { consignor, draft })).await)? {
        Step::Done(_) => Ok(redirect("/mandates?msg=granted")),
        Step::Refused(r) => render(&s, &ctx, v, &HashMap::new(), refusal(ctx.lang, &r), &form, StatusCode::UNPROCESSABLE_ENTITY).await,
    }
}

/// `POST /mandates/{id}/revoke` — by the consignor's declarant or an administrator; a mandate
/// the viewer may not see is not found.
pub async fn revoke(State(s): State<WebState>, ctx: Ctx, Path(id): Path<String>, form: Form) -> Result<Response, PageError> {
    let v = ctx.require_form(REVOKERS, &form)?;
    let m = s.store.mandate(&id).await.map_err(|e| ctx.internal(e))?.ok_or_else(|| ctx.not_found())?;
    if guomen_service::mandate::visible(v.actor(), &m).is_err() {
        return Err(ctx.not_found());
    }
    let cmd = Command::Mandate(MandateCommand::Revoke { id: m.id.clone(), reason: form.text("reason") });
    match step(&ctx, s.store.execute(v.actor().clone(), cmd).await)? {
        Step::Done(_) => Ok(redirect("/mandates?msg=revoked")),
        Step::Refused(r) => {
            let status = StatusCode::from_u16(r.kind.http_status()).unwrap_or(StatusCode::UNPROCESSABLE_ENTITY);
            render(&s, &ctx, v, &HashMap::new(), refusal(ctx.lang, &r), &Form::default(), status).await
        }
    }
}
