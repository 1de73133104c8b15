//! 通知 — the outbox as each party sees it: a list, and a live Server-Sent Events stream that
//! resumes from `Last-Event-ID`, so a reconnecting client misses nothing.

use crate::auth::Caller;
use crate::problem::ApiError;
use crate::AppState;
use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::Json;
use futures_util::stream::{self, Stream};
use guomen_domain::party::Role;
use serde::Deserialize;
use serde_json::{json, Value};
use std::convert::Infallible;
use std::time::Duration;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NoticeQuery {
    after: Option<i64>,
    limit: Option<i64>,
    /// Customs roles may narrow to one recipient.
    recipient: Option<String>,
}

/// The recipient whose messages the caller may read, or None for all.
fn scope(caller: &Caller, asked: Option<String>) -> Result<Option<String>, ApiError> {
    match caller.role() {
        Role::Declarant | Role::Terminal | Role::Laboratory => Ok(Some(caller.enterprise()?.to_string())),
        Role::Officer | Role::Admin => Ok(asked),
        Role::RiskAnalyst => Err(ApiError::forbidden()),
    }
}

/// `GET /api/v1/notices`
pub async fn list(
    State(s): State<AppState>,
    caller: Caller,
    q: Result<Query<NoticeQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<Value>, ApiError> {
    let Query(q) = q.map_err(|e| ApiError::malformed("query", e.body_text(), "查询参数不正确"))?;
    let recipient = scope(&caller, q.recipient)?;
    let rows = s.store.notices(recipient.as_deref(), q.after.unwrap_or(0), q.limit.unwrap_or(100)).await?;
    Ok(Json(json!({ "notices": rows })))
}

/// `GET /api/v1/events` — Server-Sent Events; each event's id is the outbox id.
pub async fn stream(
    State(s): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    q: Result<Query<NoticeQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Sse<impl Stream<Item = Result<Event, Infallible>>>, ApiError> {
    let Query(q) = q.map_err(|e| ApiError::malformed("query", e.body_text(), "查询参数不正确"))?;
    let recipient = scope(&caller, q.recipient)?;
    let from_header = headers.get("last-event-id").and_then(|v| v.to_str().ok()).and_then(|v| v.trim().parse::<i64>().ok());
    let after = from_header.or(q.after).unwrap_or(0);
    let wake = s.store.outbox_events();
    let state = (s, recipient, after, wake, std::collections::VecDeque::<Event>::new());
    let events = stream::unfold(state, |(s, recipient, mut after, mut wake, mut queue)| async move {
        loop {
            if let Some(e) = queue.pop_front() {
                return Some((Ok(e), (s, recipient, after, wake, queue)));
            }
            match s.store.notices(recipient.as_deref(), after, 200).await {
                Ok(rows) if !rows.is_empty() => {
                    for m in rows {
                        after = m.id;
                        let data = serde_json::to_string(&m).expect("messages serialize");
                        queue.push_back(Event::default().id(m.id.to_string()).event(m.topic.clone()).data(data));
                    }
                    continue;
                }
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "notice stream read failed; retrying"),
            }
            // Wait for the next commit that queued messages (or poll again after a while).
            let _ = tokio::time::timeout(Duration::from_secs(5), wake.recv()).await;
        }
    });
    Ok(Sse::new(events).keep_alive(KeepAlive::new().interval(Duration::from_secs(15))))
}
