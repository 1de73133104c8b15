//! 通知 — the notices of every role in the console, live. An enterprise (trader, terminal,
//! laboratory) reads the notices addressed to it; officers and administrators read every notice
//! customs sent. The header's bell shows how many arrived since the viewer last opened this
//! page, kept up to date by a Server-Sent Events stream (`/notices/stream`) that wakes on every
//! commit that queued a notice. What the viewer has seen is remembered per browser (a cookie
//! with the last notice id), so nothing is written for reading.

use super::param;
use crate::html;
use crate::i18n::Lang;
use crate::layout::page;
use crate::markup::{concat, Html};
use crate::session::{cookie, Ctx, Denied, PageError, Viewer};
use crate::WebState;
use axum::extract::{Query, State};
use axum::http::{header, HeaderValue};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::Response;
use futures_util::stream::{self, Stream};
use guomen_domain::party::Role;
use guomen_store::OutboxMessage;
use std::collections::HashMap;
use std::convert::Infallible;
use std::time::Duration;

/// The cookie holding the id of the newest notice the viewer has seen.
pub const SEEN_COOKIE: &str = "gm_seen";
/// Unread notices are counted up to this many ("99+").
const COUNT_CAP: i64 = 100;

/// Who has notices: every role but the risk analyst, who is sent none.
pub fn has_notices(role: Role) -> bool {
    role != Role::RiskAnalyst
}

/// Whose notices the viewer reads: its enterprise's, or (customs) every one.
fn scope(ctx: &Ctx, v: &Viewer) -> Result<Option<String>, PageError> {
    match v.role() {
        Role::Declarant | Role::Terminal | Role::Laboratory => {
            Ok(Some(v.enterprise().ok_or_else(|| ctx.deny(Denied::Forbidden))?.to_string()))
        }
        Role::Officer | Role::Admin => Ok(None),
        Role::RiskAnalyst => Err(ctx.deny(Denied::Forbidden)),
    }
}

fn seen(headers: &axum::http::HeaderMap) -> i64 {
    cookie(headers, SEEN_COOKIE).and_then(|v| v.parse().ok()).unwrap_or(0)
}

pub fn topic(l: Lang, t: &str) -> &'static str {
    match t {
        "inspection.notice" => l.t("查验通知", "Inspection notice"),
        "release.notice" => l.t("放行通知", "Release notice"),
        "disposition.order" => l.t("处置通知", "Disposition order"),
        "sample.sent" => l.t("送检样品", "Sample sent"),
        "mandate.granted" | "mandate.revoked" => l.t("委托", "Mandate"),
        t if t.starts_with("ceb.") => l.t("跨境电商回执", "Cross-border receipt"),
        _ => l.t("状态通知", "Status"),
    }
}

/// What a notice says, in a line.
fn what(l: Lang, n: &OutboxMessage) -> String {
    let b = &n.body;
    let text = |k: &str| b.get(k).and_then(|x| x.as_str()).unwrap_or("").to_owned();
    match n.topic.as_str() {
        "inspection.notice" => l.pick(format!("查验记录 {}", text("record_no")), format!("inspection record {}", text("record_no"))),
        "release.notice" => l.pick("货物可放行提离".to_owned(), "the goods may leave".to_owned()),
        _ => {
            let m = l.pick(text("message_zh"), text("message_en"));
            if m.is_empty() {
                text("status")
            } else {
                m
            }
        }
    }
}

/// Where a notice's record is shown.
fn link(n: &OutboxMessage) -> Option<String> {
    let b = &n.body;
    if let Some(id) = b.get("declaration_id").and_then(|x| x.as_str()) {
        return Some(format!("/declarations/{id}"));
    }
    n.stream.strip_prefix("sample:").map(|id| format!("/samples/{id}"))
}

fn row(l: Lang, n: &OutboxMessage, last_seen: i64, customs: bool) -> Html {
    let id = n.body.get("declaration_id").and_then(|x| x.as_str()).unwrap_or("").to_owned();
    html!(
        "<tr data-notice=\"{}\"{}><td>{}</td><td>{}</td><td>{}</td>{}<td>{}</td></tr>",
        n.id,
        if n.id > last_seen { Html::lit(" class=\"unread\"") } else { Html::new() },
        l.time_ms(n.created_at_ms),
        topic(l, &n.topic),
        match link(n) {
            Some(href) => html!("<a href=\"{}\" class=\"mono\">{}</a>", href, if id.is_empty() { n.stream.clone() } else { id }),
            None => html!("<span class=\"mono\">{}</span>", n.stream),
        },
        if customs { html!("<td class=\"mono\">{}</td>", n.recipient) } else { Html::new() },
        what(l, n)
    )
}

/// `GET /notices?before=` — newest first; opening it marks every notice shown as seen.
pub async fn list(
    State(s): State<WebState>,
    ctx: Ctx,
    headers: axum::http::HeaderMap,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let v = ctx.signed_in()?;
    let recipient = scope(&ctx, v)?;
    let l = ctx.lang;
    let customs = recipient.is_none();
    let before = param(&q, "before").and_then(|b| b.parse::<i64>().ok());
    let limit = 50;
    let rows = s.store.recent_notices(recipient.as_deref(), before, limit).await.map_err(|e| ctx.internal(e))?;
    let last_seen = seen(&headers);
    let more = match (rows.len() as i64 == limit).then(|| rows.last()).flatten() {
        Some(n) => html!(
            "<p><a class=\"button secondary\" href=\"/notices?before={}\" id=\"older-notices\">{}</a></p>",
            n.id,
            l.t("更早的通知", "Older notices")
        ),
        None => Html::new(),
    };
    let body = html!(
        "<h1>{}</h1><p class=\"muted\">{}</p><section class=\"panel\"><table class=\"list\" id=\"notices\"><thead><tr><th>{}</th><th>{}</th><th>{}</th>{}<th>{}</th></tr></thead><tbody id=\"notice-rows\">{}</tbody></table>{}{}</section>",
        l.t("通知", "Notices"),
        if customs {
            l.t("海关发出的全部通知，最新的在前；有新通知时本页即时更新。", "Every notice customs sent, newest first; new ones appear here as they are sent.")
        } else {
            l.t("发给本企业的通知，最新的在前；有新通知时本页即时更新。", "Notices to your enterprise, newest first; new ones appear here as they are sent.")
        },
        l.t("时间", "Time"),
        l.t("类型", "Kind"),
        l.t("记录", "Record"),
        if customs { html!("<th>{}</th>", l.t("收件企业", "To")) } else { Html::new() },
        l.t("内容", "Content"),
        concat(rows.iter().map(|n| row(l, n, last_seen, customs))),
        if rows.is_empty() { html!("<p class=\"empty\" id=\"no-notices\">{}</p>", l.t("还没有通知。", "No notices yet.")) } else { Html::new() },
        more
    );
    let mut res = page(&ctx, l.t("通知", "Notices"), body);
    let newest = rows.first().map(|n| n.id).unwrap_or(0).max(last_seen);
    if before.is_none() {
        if let Ok(c) = HeaderValue::from_str(&format!("{SEEN_COOKIE}={newest}; Path=/; Max-Age=31536000; HttpOnly; SameSite=Strict")) {
            res.headers_mut().append(header::SET_COOKIE, c);
        }
    }
    Ok(res)
}

/// `GET /notices/stream` — Server-Sent Events: `unread` (the count since the viewer last opened
/// the notices, `99+` past the cap) at once and after every commit that queued a notice, and a
/// `notice` event (its row, as HTML) for each new notice.
pub async fn stream(
    State(s): State<WebState>,
    ctx: Ctx,
    headers: axum::http::HeaderMap,
) -> Result<Sse<impl Stream<Item = Result<Event, Infallible>>>, PageError> {
    let v = ctx.signed_in()?;
    let recipient = scope(&ctx, v)?;
    let l = ctx.lang;
    let last_seen = seen(&headers);
    let customs = recipient.is_none();
    // New notices are those after the newest there is now; the count starts from what was seen.
    let newest =
        s.store.recent_notices(recipient.as_deref(), None, 1).await.map_err(|e| ctx.internal(e))?.first().map(|n| n.id).unwrap_or(0);
    let wake = s.store.outbox_events();
    let state = (s, recipient, newest, wake, true);
    let events = stream::unfold(state, move |(s, recipient, mut after, mut wake, first)| async move {
        if !first {
            // Wait for a commit that queued messages (or look again after a while).
            let _ = tokio::time::timeout(Duration::from_secs(20), wake.recv()).await;
        }
        let fresh = s.store.notices(recipient.as_deref(), after, 50).await.unwrap_or_default();
        let mut out = String::new();
        for n in &fresh {
            after = n.id;
            out.push_str(row(l, n, last_seen, customs).as_str());
        }
        let unread = s.store.notices(recipient.as_deref(), last_seen, COUNT_CAP).await.map(|v| v.len() as i64).unwrap_or(0);
        let count = if unread >= COUNT_CAP { format!("{}+", COUNT_CAP - 1) } else { unread.to_string() };
        let mut batch = vec![Ok(Event::default().event("unread").data(count))];
        if !out.is_empty() {
            batch.push(Ok(Event::default().event("notice").data(out)));
        }
        Some((stream::iter(batch), (s, recipient, after, wake, false)))
    });
    use futures_util::StreamExt;
    Ok(Sse::new(events.flatten()).keep_alive(KeepAlive::new().interval(Duration::from_secs(15))))
}

/// The bell in the header: a link to the notices with the unread count, filled in by the stream.
pub fn bell(l: Lang) -> Html {
    html!(
        "<a href=\"/notices\" id=\"notices-link\" class=\"bell\">{}<span class=\"badge\" id=\"unread\" hidden></span></a>",
        l.t("通知", "Notices")
    )
}
