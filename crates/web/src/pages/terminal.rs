//! The terminal's pages: the inbox of inspection and release notices addressed to it, the
//! declarations waiting for a container report, and the report itself.

use super::detail::{self, render};
use super::{param, step, Step};
use crate::form::Form;
use crate::html;
use crate::layout::{lane_tag, page, redirect, status_tag};
use crate::markup::{concat, Html};
use crate::session::{Ctx, Denied, PageError};
use crate::WebState;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use guomen_domain::party::Role;
use guomen_store::DeclarationFilter;
use std::collections::HashMap;

const TERMINAL: &[Role] = &[Role::Terminal];

fn topic(l: crate::Lang, t: &str) -> &'static str {
    match t {
        "inspection.notice" => l.t("查验通知", "Inspection notice"),
        "release.notice" => l.t("放行通知", "Release notice"),
        "disposition.order" => l.t("处置通知", "Disposition order"),
        _ => l.t("状态通知", "Status"),
    }
}

/// `GET /inbox?before=` — newest first.
pub async fn inbox(State(s): State<WebState>, ctx: Ctx, Query(q): Query<HashMap<String, String>>) -> Result<Response, PageError> {
    let v = ctx.require(TERMINAL)?;
    let l = ctx.lang;
    let me = v.enterprise().ok_or_else(|| ctx.deny(Denied::Forbidden))?.to_string();
    let before = param(&q, "before").and_then(|b| b.parse::<i64>().ok());
    let limit = 50;
    let notices = s.store.inbox(&me, before, limit).await.map_err(|e| ctx.internal(e))?;
    let waiting = s
        .store
        .declarations(&DeclarationFilter {
            terminal: Some(me.clone()),
            status: Some("inspection-notified".into()),
            limit: 100,
            ..Default::default()
        })
        .await
        .map_err(|e| ctx.internal(e))?;
    let waiting_rows = concat(waiting.iter().map(|r| {
        html!(
            "<tr data-id=\"{}\"><td><a href=\"/declarations/{}\">{}</a></td><td>{}</td><td>{}</td><td>{}</td></tr>",
            r.id,
            r.id,
            r.id,
            r.bill_no,
            lane_tag(l, &r.lane),
            status_tag(l, &r.status)
        )
    }));
    let rows = concat(notices.iter().map(|n| {
        let id = n.body.get("declaration_id").and_then(|x| x.as_str()).unwrap_or("").to_owned();
        let containers = n
            .body
            .get("containers")
            .and_then(|x| x.as_array())
            .map(|a| a.iter().filter_map(|c| c.as_str()).collect::<Vec<_>>().join(", "))
            .unwrap_or_default();
        // A notice that names no container says so, rather than ending in an empty list.
        let (boxes_zh, boxes_en) = if containers.is_empty() {
            ("无集装箱（散货或空运件）".to_owned(), "no containers (loose or air cargo)".to_owned())
        } else {
            (format!("集装箱 {containers}"), format!("containers {containers}"))
        };
        let detail = match n.topic.as_str() {
            "inspection.notice" => l.pick(
                format!("查验记录 {} · {}", n.body["record_no"].as_str().unwrap_or(""), boxes_zh),
                format!("record {} · {}", n.body["record_no"].as_str().unwrap_or(""), boxes_en),
            ),
            "release.notice" => l.pick(format!("可放行提离 · {boxes_zh}"), format!("goods may leave · {boxes_en}")),
            _ => l.pick(n.body["message_zh"].as_str().unwrap_or("").to_owned(), n.body["message_en"].as_str().unwrap_or("").to_owned()),
        };
        html!(
            "<tr class=\"topic-{}\"><td>{}</td><td>{}</td><td><a href=\"/declarations/{}\">{}</a></td><td>{}</td><td>{}</td></tr>",
            n.topic.replace('.', "-"),
            l.time_ms(n.created_at_ms),
            topic(l, &n.topic),
            id,
            id,
            n.body.get("bill_no").and_then(|x| x.as_str()).unwrap_or(""),
            detail
        )
    }));
    let more = if notices.len() as i64 == limit {
        html!(
            "<p><a class=\"button secondary\" href=\"/inbox?before={}\">{}</a></p>",
            notices.last().map(|n| n.id).unwrap_or(0),
            l.t("更早的通知", "Older notices")
        )
    } else {
        Html::new()
    };
    let body = html!(
        "<h1>{}</h1><section class=\"panel\"><h2>{} <b>{}</b></h2><table class=\"list\" id=\"waiting\"><thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>{}</tbody></table>{}</section>\
         <section class=\"panel\"><h2>{}</h2><table class=\"list\" id=\"inbox\"><thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>{}</tbody></table>{}</section>",
        l.t("通知收件箱", "Notice inbox"),
        l.t("待反馈到位", "Waiting for a container report"),
        waiting.len(),
        l.t("报关单号", "Declaration"),
        l.t("提运单号", "Bill"),
        l.t("通道", "Lane"),
        l.t("状态", "Status"),
        waiting_rows,
        if waiting.is_empty() { html!("<p class=\"empty\">{}</p>", l.t("没有待反馈的查验。", "No inspection waits for you.")) } else { Html::new() },
        l.t("收到的通知", "Notices received"),
        l.t("时间", "Time"),
        l.t("类型", "Kind"),
        l.t("报关单号", "Declaration"),
        l.t("提运单号", "Bill"),
        l.t("内容", "Content"),
        rows,
        more
    );
    Ok(page(&ctx, l.t("通知收件箱", "Notice inbox"), body))
}

/// `POST /declarations/{id}/position` — 集装箱到位反馈.
pub async fn position(State(s): State<WebState>, ctx: Ctx, Path(id): Path<String>, form: Form) -> Result<Response, PageError> {
    let v = ctx.require_form(TERMINAL, &form)?;
    let d = detail::load(&s, &ctx, v, &id).await?;
    let terminal = v.enterprise().ok_or_else(|| ctx.deny(Denied::Forbidden))?.clone();
    let cmd = guomen_service::declaration::position_command(
        id.clone(),
        terminal,
        &form.text("record_no"),
        &form.text("container_no"),
        &form.text("site_name"),
        &form.text("slot_code"),
        &None,
    );
    let refused = match cmd {
        Ok(cmd) => match step(&ctx, s.store.execute(v.actor().clone(), cmd).await)? {
            Step::Done(_) => return Ok(redirect(&format!("/declarations/{id}?msg=position"))),
            Step::Refused(r) => r,
        },
        Err(r) => r,
    };
    let status = StatusCode::from_u16(refused.kind.http_status()).unwrap_or(StatusCode::UNPROCESSABLE_ENTITY);
    render(&s, &ctx, v, &d, Html::new(), Some(("position", &refused)), status).await
}
