//! 报关单 — filing (JSON or DecMessage XML), lists, detail with timeline, two-step completion,
//! and replay of the risk decision.

use super::today;
use crate::auth::Caller;
use crate::body::{parse_json, Media, RawBody};
use crate::problem::ApiError;
use crate::{view, AppState};
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use guomen_domain::declaration::{Declaration, DeclarationContent, DeclarationDraft};
use guomen_domain::party::Role;
use guomen_domain::types::CustomsCode;
use guomen_domain::{Event, Refusal, RefusalKind, Rule};
use guomen_store::DeclarationCommand;
use guomen_store::{DeclarationFilter, IdempotencyKey, Outcome};
use serde::Deserialize;
use serde_json::json;
use sha2::{Digest, Sha256};

/// Reads a draft from JSON or DecMessage XML.
fn draft_from(body: &RawBody) -> Result<DeclarationDraft, ApiError> {
    match body.media {
        Media::Json => parse_json(&body.bytes),
        Media::Xml => {
            guomen_messages::parse_dec_message(&body.bytes).map_err(|e| ApiError::malformed(&e.path(), e.to_string(), e.message_zh()))
        }
        Media::Other => Err(ApiError::kind(
            RefusalKind::UnsupportedMedia,
            "send the declaration as application/json or as GACC DecMessage XML (application/xml)",
            "请以 application/json 或海关 DecMessage XML（application/xml）提交报关单",
        )),
    }
}

/// Validates a draft against the enterprise directory.
fn check(state: &AppState, draft: &DeclarationDraft) -> Result<DeclarationContent, ApiError> {
    Ok(guomen_service::declaration::check_draft(&state.store, draft)?)
}

fn idempotency(headers: &HeaderMap, scope: &CustomsCode, body: &RawBody) -> Result<Option<IdempotencyKey>, ApiError> {
    let Some(v) = headers.get("idempotency-key") else {
        return Ok(None);
    };
    let key = v.to_str().ok().map(str::trim).filter(|k| (1..=255).contains(&k.len())).ok_or_else(|| {
        ApiError::Refused(Refusal::field(
            "Idempotency-Key",
            Rule::IdempotencyKey,
            "the Idempotency-Key header must be 1–255 visible ASCII characters",
            "Idempotency-Key 请求头应为1至255个可见ASCII字符",
        ))
    })?;
    let mut h = Sha256::new();
    h.update(body.content_type.as_bytes());
    h.update([0]);
    h.update(&body.bytes);
    Ok(Some(IdempotencyKey { scope: scope.to_string(), key: key.to_owned(), request_hash: hex::encode(h.finalize()) }))
}

/// Whether `caller` may see `d`; a record the caller may not see does not exist for it.
fn visible(caller: &Caller, d: &Declaration) -> Result<(), ApiError> {
    Ok(guomen_service::declaration::visible(&caller.0, d)?)
}

fn created(caller: &Caller, record: &Declaration, replayed: bool) -> Response {
    let mut res = (StatusCode::CREATED, Json(view::declaration(record, today(), None, view::Sight::of(caller)))).into_response();
    if replayed {
        res.headers_mut().insert("idempotent-replayed", HeaderValue::from_static("true"));
    }
    res.headers_mut().insert(
        axum::http::header::LOCATION,
        HeaderValue::from_str(&format!("/api/v1/declarations/{}", record.id)).expect("ids are ASCII"),
    );
    res
}

/// `POST /api/v1/declarations`
pub async fn file(State(s): State<AppState>, caller: Caller, headers: HeaderMap, body: RawBody) -> Result<Response, ApiError> {
    caller.require(&[Role::Declarant])?;
    let filer = caller.enterprise()?.clone();
    let draft = draft_from(&body)?;
    let content = check(&s, &draft)?;
    let idem = idempotency(&headers, &filer, &body)?;
    let out = s
        .store
        .execute(caller.0.clone(), DeclarationCommand::File { content, filed_by: filer, idempotency: idem, seed: rand::random() })
        .await?;
    match out {
        Outcome::Declaration { record, replayed } => Ok(created(&caller, &record, replayed)),
        other => Err(ApiError::Internal(format!("unexpected outcome {other:?}"))),
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ListQuery {
    status: Option<String>,
    lane: Option<String>,
    overdue: Option<bool>,
    /// Only declarations asking for priority handling (the officer's green-channel queue).
    priority: Option<bool>,
    /// The `next` cursor of the previous page.
    before: Option<String>,
    limit: Option<i64>,
}

/// `GET /api/v1/declarations`
pub async fn list(
    State(s): State<AppState>,
    caller: Caller,
    q: Result<Query<ListQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let Query(q) = q.map_err(|e| ApiError::malformed("query", e.body_text(), "查询参数不正确"))?;
    let before = match q.before.as_deref() {
        None => None,
        Some(c) => Some(c.split_once('.').and_then(|(ms, id)| Some((ms.parse::<i64>().ok()?, id.to_owned()))).ok_or_else(|| {
            ApiError::malformed("before", "`before` is the `next` cursor of the previous page", "before 参数应为上一页返回的 next 游标")
        })?),
    };
    let limit = q.limit.unwrap_or(50).clamp(1, 500);
    let mut f =
        DeclarationFilter { status: q.status, lane: q.lane, before, limit, priority_only: q.priority == Some(true), ..Default::default() };
    if q.overdue == Some(true) {
        f.overdue_on = Some(today().to_string());
    }
    match caller.role() {
        Role::Declarant => f.party = Some(caller.enterprise()?.to_string()),
        Role::Terminal => f.terminal = Some(caller.enterprise()?.to_string()),
        Role::Laboratory => return Err(ApiError::forbidden()),
        _ => {}
    }
    let rows = s.store.declarations(&f).await?;
    let next = (rows.len() as i64 == limit).then(|| rows.last().map(|r| format!("{}.{}", r.filed_at_ms, r.id))).flatten();
    Ok(Json(json!({ "declarations": rows, "next": next })))
}

async fn load_visible(s: &AppState, caller: &Caller, id: &str) -> Result<Declaration, ApiError> {
    if caller.role() == Role::Laboratory {
        return Err(ApiError::forbidden());
    }
    let d = s.store.declaration(id).await?.ok_or_else(|| ApiError::Refused(Refusal::not_found("declaration", "报关单")))?;
    visible(caller, &d)?;
    Ok(d)
}

/// `GET /api/v1/declarations/{id}`
pub async fn show(State(s): State<AppState>, caller: Caller, Path(id): Path<String>) -> Result<Json<serde_json::Value>, ApiError> {
    let d = load_visible(&s, &caller, &id).await?;
    let timeline = s.store.timeline(&format!("declaration:{id}")).await?;
    Ok(Json(view::declaration(&d, today(), Some(timeline), view::Sight::of(&caller))))
}

/// `POST /api/v1/declarations/{id}/complete` — step 2 of a two-step declaration.
pub async fn complete(
    State(s): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    body: RawBody,
) -> Result<Json<serde_json::Value>, ApiError> {
    caller.require(&[Role::Declarant])?;
    let enterprise = caller.enterprise()?.clone();
    let draft = draft_from(&body)?;
    let content = check(&s, &draft)?;
    match s.store.execute(caller.0.clone(), DeclarationCommand::Complete { declaration_id: id, content, enterprise }).await? {
        Outcome::Declaration { record, .. } => Ok(Json(view::declaration(&record, today(), None, view::Sight::of(&caller)))),
        other => Err(ApiError::Internal(format!("unexpected outcome {other:?}"))),
    }
}

/// `GET /api/v1/declarations/{id}/replay` — recomputes the risk decision from the filed content,
/// the rule-set version and the seed it recorded, and says whether it comes out the same.
pub async fn replay(State(s): State<AppState>, caller: Caller, Path(id): Path<String>) -> Result<Json<serde_json::Value>, ApiError> {
    caller.require(&[Role::Officer, Role::RiskAnalyst, Role::Admin])?;
    let d = load_visible(&s, &caller, &id).await?;
    let filed = s.store.first_event(&format!("declaration:{id}"), "declaration_filed").await?;
    let Some(Event::DeclarationFiled { content, .. }) = filed else {
        return Err(ApiError::Internal(format!("declaration {id} has no filing event")));
    };
    let version = d.decision.ruleset_version as i64;
    let rules = if version == 0 { Some(Default::default()) } else { s.store.rules_version(version).await? };
    let rules = rules.ok_or_else(|| ApiError::Internal(format!("rule set version {version} is missing")))?;
    let again = guomen_domain::risk::decide(&content, d.decision.grade, &rules, d.decision.seed);
    Ok(Json(json!({
        "declaration_id": id,
        "identical": again == d.decision,
        "recorded": d.decision,
        "replayed": again,
    })))
}
