//! The officer's pages: the work queue by lane and age, and the steps on a declaration —
//! inspection result, release, hold, re-routing — each the same command the API sends.

use super::detail::{self, render};
use super::{enterprise_name, param, step, Step};
use crate::form::Form;
use crate::html;
use crate::layout::{lane_tag, page, redirect, status_tag};
use crate::markup::{concat, Html};
use crate::session::{now_ms, Ctx, PageError};
use crate::WebState;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use guomen_domain::inspection::Outcome as InspectionOutcome;
use guomen_domain::party::Role;
use guomen_domain::{Refusal, Rule};
use guomen_store::console::reads::QueueFilter;
use guomen_store::DeclarationCommand;
use std::collections::HashMap;

const OFFICER: &[Role] = &[Role::Officer];

/// `GET /queue?lane=&priority=1&after=` — declarations waiting for customs, oldest first.
pub async fn queue(State(s): State<WebState>, ctx: Ctx, Query(q): Query<HashMap<String, String>>) -> Result<Response, PageError> {
    ctx.require(OFFICER)?;
    let l = ctx.lang;
    let lane = param(&q, "lane").filter(|x| ["red", "yellow", "blue", "green"].contains(&x.as_str()));
    let priority_only = param(&q, "priority").is_some();
    let after = param(&q, "after").and_then(|c| c.split_once('.').and_then(|(ms, id)| Some((ms.parse::<i64>().ok()?, id.to_owned()))));
    let limit = 50;
    let now = now_ms();
    let rows =
        s.store.officer_queue(&QueueFilter { lane: lane.clone(), priority_only, after, limit }).await.map_err(|e| ctx.internal(e))?;
    let load = s.store.queue_load(now - 24 * 3600 * 1000).await.map_err(|e| ctx.internal(e))?;
    let total: i64 = load.iter().map(|x| x.waiting).sum();
    let tab = |value: Option<&str>, label: Html, n: i64, old: i64| {
        let current = lane.as_deref() == value;
        let href = match value {
            Some(v) => format!("/queue?lane={v}"),
            None => "/queue".into(),
        };
        html!(
            "<a class=\"tab{}\" href=\"{}\" data-lane-tab=\"{}\">{} <b>{}</b>{}</a>",
            if current { " current" } else { "" },
            href,
            value.unwrap_or("all"),
            label,
            n,
            if old > 0 {
                html!(
                    " <span class=\"late\" title=\"{}\"><span class=\"sr-only\">{}</span>{}</span>",
                    l.t("等待超过 24 小时", "waiting over 24 hours"),
                    l.t("等待超过 24 小时：", "waiting over 24 hours: "),
                    old
                )
            } else {
                Html::new()
            }
        )
    };
    let mut tabs = vec![tab(None, html!("{}", l.t("全部", "All")), total, load.iter().map(|x| x.over_a_day).sum())];
    for x in &load {
        tabs.push(tab(Some(&x.lane), crate::layout::lane_tag(l, &x.lane), x.waiting, x.over_a_day));
    }
    let body_rows = concat(rows.iter().map(|r| {
        let age = now - r.filed_at_ms;
        html!(
            "<tr data-id=\"{}\" class=\"{}\"><td><a href=\"/declarations/{}\">{}</a></td><td>{}</td><td>{}</td><td>{}<br><small>{}</small></td><td>{}</td><td>{}</td><td>{}</td><td class=\"age\">{}</td></tr>",
            r.id,
            if age > 24 * 3600 * 1000 { "late" } else { "" },
            r.id,
            r.id,
            lane_tag(l, &r.lane),
            status_tag(l, &r.status),
            enterprise_name(&s, l, &r.trade_code),
            r.trade_code,
            r.bill_no,
            format!("{} · {}", r.customs_master, l.direction(&r.ie_flag)),
            r.priority.as_deref().map(|p| l.priority(p)).unwrap_or("—"),
            l.duration_ms(age)
        )
    }));
    let next = (rows.len() as i64 == limit).then(|| rows.last().map(|r| format!("{}.{}", r.filed_at_ms, r.id))).flatten();
    let more = match next {
        Some(c) => {
            let mut href = format!("/queue?after={c}");
            if let Some(x) = &lane {
                href.push_str(&format!("&lane={x}"));
            }
            if priority_only {
                href.push_str("&priority=1");
            }
            html!("<p><a class=\"button secondary\" href=\"{}\" id=\"queue-next\">{}</a></p>", href, l.t("下一页", "Next page"))
        }
        None => Html::new(),
    };
    let body = html!(
        "<div class=\"title-row\"><h1>{}</h1><a class=\"button secondary\" href=\"/queue?priority=1\">{}</a></div>\
         <nav class=\"tabs\" id=\"lane-tabs\">{}</nav>\
         <table class=\"list\" id=\"queue\"><thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>{}</tbody></table>{}{}",
        l.t("作业队列", "Work queue"),
        l.t("仅看优先通关", "Priority only"),
        tabs,
        l.t("报关单号", "Declaration"),
        l.t("通道", "Lane"),
        l.t("状态", "Status"),
        l.t("收发货人", "Trader"),
        l.t("提运单号", "Bill"),
        l.t("关区 · 进出口", "Office · direction"),
        l.t("优先", "Priority"),
        l.t("已等待", "Waiting"),
        body_rows,
        if rows.is_empty() { html!("<p class=\"empty\">{}</p>", l.t("队列中没有报关单。", "Nothing waiting.")) } else { Html::new() },
        more
    );
    Ok(page(&ctx, l.t("作业队列", "Work queue"), body))
}

/// Runs an officer's step and answers with the declaration page: a redirect with a message, or
/// the page again with the refusal beside the form.
async fn act(
    s: &WebState,
    ctx: &Ctx,
    form: &Form,
    id: &str,
    action: &str,
    cmd: Result<DeclarationCommand, Refusal>,
    done: &str,
) -> Result<Response, PageError> {
    let v = ctx.require_form(OFFICER, form)?;
    let d = detail::load(s, ctx, v, id).await?;
    let refused = match cmd {
        Ok(cmd) => match step(ctx, s.store.execute(v.actor().clone(), cmd).await)? {
            Step::Done(_) => return Ok(redirect(&format!("/declarations/{id}?msg={done}"))),
            Step::Refused(r) => r,
        },
        Err(r) => r,
    };
    let status = StatusCode::from_u16(refused.kind.http_status()).unwrap_or(StatusCode::UNPROCESSABLE_ENTITY);
    render(s, ctx, v, &d, Html::new(), Some((action, &refused)), status).await
}

fn some(s: String) -> Option<String> {
    Some(s).filter(|x| !x.is_empty())
}

/// `POST /declarations/{id}/result`
pub async fn result(State(s): State<WebState>, ctx: Ctx, Path(id): Path<String>, form: Form) -> Result<Response, PageError> {
    let outcome = match form.get("outcome") {
        Some("satisfactory") => Ok(InspectionOutcome::Satisfactory),
        Some("not-satisfactory") => Ok(InspectionOutcome::NotSatisfactory),
        _ => Err(Refusal::field("outcome", Rule::Required, "choose satisfactory or not satisfactory", "请选择合格或不合格")),
    };
    let findings: Vec<String> = form.text("findings").lines().map(str::trim).filter(|x| !x.is_empty()).map(str::to_owned).collect();
    let cmd = outcome.and_then(|o| guomen_service::declaration::result_command(id.clone(), o, &findings, some(form.text("note"))));
    act(&s, &ctx, &form, &id, "result", cmd, "result").await
}

/// `POST /declarations/{id}/release`
pub async fn release(State(s): State<WebState>, ctx: Ctx, Path(id): Path<String>, form: Form) -> Result<Response, PageError> {
    let cmd = DeclarationCommand::Release {
        declaration_id: id.clone(),
        note: some(form.text("note")),
        permitted_to_enter_only: form.checked("permitted_to_enter_only"),
    };
    act(&s, &ctx, &form, &id, "release", Ok(cmd), "released").await
}

/// `POST /declarations/{id}/hold`
pub async fn hold(State(s): State<WebState>, ctx: Ctx, Path(id): Path<String>, form: Form) -> Result<Response, PageError> {
    let cmd = DeclarationCommand::Hold { declaration_id: id.clone(), reason: form.text("reason") };
    act(&s, &ctx, &form, &id, "hold", Ok(cmd), "held").await
}

/// `POST /declarations/{id}/reroute`
pub async fn reroute(State(s): State<WebState>, ctx: Ctx, Path(id): Path<String>, form: Form) -> Result<Response, PageError> {
    let cmd = guomen_service::declaration::parse_lane("lane", &form.text("lane")).map(|lane| DeclarationCommand::Reroute {
        declaration_id: id.clone(),
        lane,
        reason: form.text("reason"),
    });
    act(&s, &ctx, &form, &id, "reroute", cmd, "rerouted").await
}
