//! One cross-border inventory list: its head (the buyer's identity masked), goods lines, the
//! decision, the tax bill, the buyer's quota, why it was held or rejected, its timeline, and the
//! officer's steps allowed in its status. The steps are the API's commands, checked by the API's
//! own use case (`guomen_service::ceb::officer_command`), so a form shows the API's field paths.

use super::ceb::{status_tag, OFFICER, ROLES};
use super::ceb_panels as panels;
use super::detail::{error_for, timeline_panel, ActionError};
use super::{api_step, param, step, Step};
use crate::form::Form;
use crate::html;
use crate::i18n::Lang;
use crate::layout::{csrf, lane_tag, page_with, redirect};
use crate::markup::Html;
use crate::session::{Ctx, PageError, Viewer};
use crate::WebState;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use guomen_domain::ceb::{InventoryRecord, InventoryStatus};
use guomen_domain::party::Role;
use std::collections::HashMap;

/// The officer's steps, as the API names them.
const ACTIONS: &[&str] = &["release", "detain", "return", "clear-identity", "confirm-identity-theft"];

/// Loads an inventory list the viewer may see: one it may not see is not found, as in the API.
pub async fn load(s: &WebState, ctx: &Ctx, v: &Viewer, id: &str) -> Result<InventoryRecord, PageError> {
    let r = s.store.ceb_inventory(id).await.map_err(|e| ctx.internal(e))?.ok_or_else(|| ctx.not_found())?;
    guomen_service::ceb::visible(v.actor(), &r).map_err(|_| ctx.not_found())?;
    Ok(r)
}

/// `GET /ceb/inventories/{id}`
pub async fn show(
    State(s): State<WebState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let v = ctx.require(ROLES)?;
    let r = load(&s, &ctx, v, &id).await?;
    let l = ctx.lang;
    let flash = match param(&q, "msg").as_deref() {
        Some("release") => l.t("清单已放行。", "Inventory list released."),
        Some("detain") => l.t("清单已扣留。", "Inventory list detained."),
        Some("return") => l.t("已责令退运，额度与未缴税款已退回。", "Goods sent back; the quota and unpaid tax were given back."),
        Some("clear-identity") => l.t("身份核验通过，清单已重新审结。", "Identity cleared; the list was decided again."),
        Some("confirm-identity-theft") => l.t(
            "已认定身份冒用，清单退单，额度已退回订购人。",
            "Identity theft confirmed; the list was rejected and the buyer's quota given back.",
        ),
        _ => "",
    };
    let flash = if flash.is_empty() { Html::new() } else { crate::layout::notice(flash) };
    render(&s, &ctx, v, &r, flash, None, StatusCode::OK).await
}

/// `POST /ceb/inventories/{id}/{release|detain|return|clear-identity|confirm-identity-theft}` —
/// the officer's step: a redirect with a message, or the page again with the refusal beside the
/// form it answers.
pub async fn officer_step(
    State(s): State<WebState>,
    ctx: Ctx,
    Path((id, action)): Path<(String, String)>,
    form: Form,
) -> Result<Response, PageError> {
    let v = ctx.require_form(OFFICER, &form)?;
    if !ACTIONS.contains(&action.as_str()) {
        return Err(ctx.not_found());
    }
    let r = load(&s, &ctx, v, &id).await?;
    let body = guomen_service::ceb::StepBody {
        note: form.get("note").map(str::to_owned),
        reason: form.get("reason").map(str::to_owned),
        code: form.get("code").and_then(|c| c.trim().parse().ok()),
    };
    let refused = match api_step(&ctx, guomen_service::ceb::officer_command(id.clone(), &action, &body))? {
        Step::Done(cmd) => match step(&ctx, s.store.execute(v.actor().clone(), cmd).await)? {
            Step::Done(_) => return Ok(redirect(&format!("/ceb/inventories/{id}?msg={action}"))),
            Step::Refused(r) => r,
        },
        Step::Refused(r) => r,
    };
    let status = StatusCode::from_u16(refused.kind.http_status()).unwrap_or(StatusCode::UNPROCESSABLE_ENTITY);
    render(&s, &ctx, v, &r, Html::new(), Some((action.as_str(), &refused)), status).await
}

/// The page, with `flash` on top and a refusal beside the form it answers.
async fn render(
    s: &WebState,
    ctx: &Ctx,
    v: &Viewer,
    r: &InventoryRecord,
    flash: Html,
    err: ActionError<'_>,
    status: StatusCode,
) -> Result<Response, PageError> {
    let l = ctx.lang;
    let officer = v.role() == Role::Officer;
    let internal = |e| ctx.internal(e);
    // The list's own stream (order, payment, the list and every step) and its waybill's.
    let mut timeline = s.store.timeline(&format!("ceb:{}", r.key)).await.map_err(internal)?;
    timeline.extend(s.store.timeline(&format!("ceb-waybill:{}", r.inventory.waybill_key())).await.map_err(internal)?);
    timeline.sort_by_key(|e| e.seq);
    let missing = match r.status {
        InventoryStatus::Waiting => s.store.ceb_missing(r).await.map_err(internal)?,
        _ => Vec::new(),
    };
    // Officers see the buyer's whole year; an enterprise sees only what this list holds.
    let ledger = match (officer, r.quota_year) {
        (true, Some(year)) => Some(s.store.ceb_ledger(&r.inventory.buyer().key(), year).await.map_err(internal)?),
        _ => None,
    };
    let (info_zh, info_en) = guomen_domain::ceb::notice::status_info(r);
    let lane = r.acceptance.as_ref().map(|a| lane_tag(l, a.decision.lane.as_str()));
    let decision = match (&r.acceptance, officer) {
        (Some(a), true) => html!(
            "<section class=\"panel\" id=\"risk\"><h2>{}</h2>{}</section>",
            l.t("布控说明", "Risk explanation"),
            super::detail::decision(l, &a.decision)
        ),
        _ => Html::new(),
    };
    let body = html!(
        "{}<div class=\"title-row\"><h1>{} <span class=\"mono\" id=\"inventory-id\">{}</span></h1><div>{} {}</div></div>\
         <p class=\"lead\" id=\"status-info\">{}</p>{}{}\
         <div class=\"cols\"><div>{}{}{}</div><div>{}{}{}</div></div>",
        flash,
        l.t("跨境电商清单", "Inventory list"),
        r.id,
        lane,
        status_tag(l, r.status.as_str(), &r.status.return_status()),
        l.pick(info_zh, info_en),
        if officer { actions(l, v, r, err) } else { Html::new() },
        decision,
        panels::head(s, l, r),
        panels::goods(l, r),
        panels::tax(s, l, r),
        panels::why(l, r, &missing, matches!(v.role(), Role::Officer | Role::RiskAnalyst | Role::Admin)),
        panels::quota(l, r, ledger),
        timeline_panel(l, &timeline)
    );
    Ok(page_with(ctx, status, &format!("{} {}", l.t("跨境电商清单", "Inventory list"), r.id), body))
}

fn note_form(l: Lang, v: &Viewer, r: &InventoryRecord, err: ActionError<'_>, action: &str, title: &str, field: (&str, &str)) -> Html {
    let (name, label) = field;
    html!(
        "<form method=\"post\" action=\"/ceb/inventories/{}/{}\" class=\"action\" id=\"{}-form\"><h3>{}</h3>{}{}\
         <label>{}<input name=\"{}\" id=\"{}-{}\" maxlength=\"500\"></label><button type=\"submit\" id=\"{}\"{}>{}</button></form>",
        r.id,
        action,
        action,
        title,
        error_for(l, err, action),
        csrf(v),
        label,
        name,
        action,
        name,
        action,
        if matches!(action, "return" | "confirm-identity-theft") { Html::lit(" class=\"danger\"") } else { Html::new() },
        title
    )
}

/// The officer's steps allowed in the list's status.
fn actions(l: Lang, v: &Viewer, r: &InventoryRecord, err: ActionError<'_>) -> Html {
    let note = ("note", l.t("说明（必填）", "Note (required)"));
    let reason = ("reason", l.t("原因（必填）", "Reason (required)"));
    let mut forms = Vec::new();
    match r.status {
        InventoryStatus::Inspection => {
            forms.push(note_form(l, v, r, err, "release", l.t("放行", "Release"), note));
            let codes = [
                ("501", l.t("501 移送通关", "501 referred to clearance")),
                ("502", l.t("502 移送缉私", "502 referred to anti-smuggling")),
                ("503", l.t("503 移送法规", "503 referred to legal affairs")),
                ("599", l.t("599 其他", "599 other")),
            ];
            let options = crate::markup::concat(codes.iter().map(|(c, t)| html!("<option value=\"{}\">{}</option>", c, t)));
            forms.push(html!(
                "<form method=\"post\" action=\"/ceb/inventories/{}/detain\" class=\"action\" id=\"detain-form\"><h3>{}</h3>{}{}\
                 <label>{}<select name=\"code\" id=\"detain-code\">{}</select></label>\
                 <label>{}<input name=\"reason\" id=\"detain-reason\" maxlength=\"500\"></label><button type=\"submit\" class=\"danger\" id=\"detain\">{}</button></form>",
                r.id,
                l.t("扣留", "Detain"),
                error_for(l, err, "detain"),
                csrf(v),
                l.t("扣留代码", "Detention code"),
                options,
                reason.1,
                l.t("扣留", "Detain")
            ));
            forms.push(note_form(l, v, r, err, "return", l.t("退运", "Send back"), reason));
        }
        InventoryStatus::Detained(_) => forms.push(note_form(l, v, r, err, "return", l.t("退运", "Send back"), reason)),
        InventoryStatus::ManualReview => {
            forms.push(note_form(l, v, r, err, "clear-identity", l.t("核验通过，重新审结", "Clear the identity and decide again"), note));
            forms.push(note_form(l, v, r, err, "confirm-identity-theft", l.t("认定身份冒用", "Confirm identity theft"), note));
        }
        _ => {}
    }
    if forms.is_empty() {
        return Html::new();
    }
    html!(
        "<section class=\"panel actions-panel\" id=\"actions\"><h2>{}</h2><div class=\"action-row\">{}</div></section>",
        l.t("办理", "Take a step"),
        forms
    )
}
