//! 植物检疫证书 — phytosanitary certificates: the exporter applies, an officer issues (signed),
//! refuses, replaces or withdraws; the certificate as UN/CEFACT `SPSCertificate` XML; incoming
//! certificates received and linked to their import declaration. A certificate an exporter may
//! not see does not exist for it (404).

use crate::auth::Caller;
use crate::body::{Media, RawBody};
use crate::problem::ApiError;
use crate::AppState;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use guomen_domain::party::Role;
use guomen_domain::phyto::{PhytoCertificate, PhytoDraft, PhytoStatus, ReceivedCertificate};
use guomen_domain::{Refusal, RefusalKind, Rule};
use guomen_service::phyto::{self, received_view, view, visible};
use guomen_store::phyto::{PhytoCommand, PhytoFilter};
use guomen_store::{Command, Outcome};
use serde::Deserialize;
use serde_json::{json, Value};

fn certificate_of(out: Outcome) -> Result<Box<PhytoCertificate>, ApiError> {
    match out {
        Outcome::Phyto(c) => Ok(c),
        other => Err(ApiError::Internal(format!("unexpected outcome {other:?}"))),
    }
}

fn with_location(status: StatusCode, body: Value, location: &str) -> Response {
    let mut res = (status, Json(body)).into_response();
    if let Ok(v) = HeaderValue::from_str(location) {
        res.headers_mut().insert(header::LOCATION, v);
    }
    res
}

/// `POST /api/v1/certificates/phyto` — the caller's enterprise applies; 201 with the number.
pub async fn apply(State(s): State<AppState>, caller: Caller, body: RawBody) -> Result<Response, ApiError> {
    caller.require(&[Role::Declarant])?;
    let exporter = caller.enterprise()?.clone();
    let draft: PhytoDraft = body.json()?;
    let out = s.store.execute(caller.0.clone(), Command::Phyto(PhytoCommand::Apply { exporter, draft: Box::new(draft) })).await?;
    let c = certificate_of(out)?;
    Ok(with_location(StatusCode::CREATED, view(&c), &format!("/api/v1/certificates/phyto/{}", c.number)))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ListQuery {
    status: Option<String>,
    exporter: Option<String>,
    limit: Option<i64>,
}

/// `GET /api/v1/certificates/phyto` — an exporter sees its own; customs every one.
pub async fn list(
    State(s): State<AppState>,
    caller: Caller,
    q: Result<Query<ListQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<Value>, ApiError> {
    let Query(q) = q.map_err(|e| ApiError::malformed("query", e.body_text(), "查询参数不正确"))?;
    let status = q.status.map(|x| x.trim().to_owned()).filter(|x| !x.is_empty());
    if let Some(st) = &status {
        if PhytoStatus::parse(st).is_none() {
            let all = PhytoStatus::ALL.map(PhytoStatus::as_str).join(", ");
            return Err(ApiError::Refused(Refusal::field(
                "status",
                Rule::Enumeration,
                format!("{st:?} is not a status; use one of {all}"),
                format!("{st:?} 不是证书状态，应为 {all} 之一"),
            )));
        }
    }
    let mut f = PhytoFilter { status, exporter: q.exporter.filter(|x| !x.trim().is_empty()), limit: q.limit.unwrap_or(100) };
    match caller.role() {
        Role::Officer | Role::RiskAnalyst | Role::Admin => {}
        Role::Declarant => f.exporter = Some(caller.enterprise()?.to_string()),
        Role::Terminal | Role::Laboratory => return Err(ApiError::forbidden()),
    }
    let list: Vec<Value> = s.store.phyto_certificates(&f).await?.iter().map(view).collect();
    Ok(Json(json!({ "certificates": list })))
}

async fn load_visible(s: &AppState, caller: &Caller, number: &str) -> Result<PhytoCertificate, ApiError> {
    caller.require(&[Role::Declarant, Role::Officer, Role::RiskAnalyst, Role::Admin])?;
    let c = s
        .store
        .phyto_certificate(number)
        .await?
        .ok_or_else(|| ApiError::Refused(Refusal::not_found("phytosanitary certificate", "植物检疫证书")))?;
    visible(&caller.0, &c)?;
    Ok(c)
}

/// `GET /api/v1/certificates/phyto/{number}` — with its timeline.
pub async fn show(State(s): State<AppState>, caller: Caller, Path(number): Path<String>) -> Result<Json<Value>, ApiError> {
    let c = load_visible(&s, &caller, &number).await?;
    let mut v = view(&c);
    v["timeline"] = json!(s.store.timeline(&format!("phyto:{}", c.number)).await?);
    Ok(Json(v))
}

/// `GET /api/v1/certificates/phyto/{number}/xml` — the issued certificate as `SPSCertificate`
/// XML, with its signature.
pub async fn xml(State(s): State<AppState>, caller: Caller, Path(number): Path<String>) -> Result<Response, ApiError> {
    let c = load_visible(&s, &caller, &number).await?;
    let Some(xml) = phyto::xml(&c) else {
        return Err(ApiError::Refused(Refusal::invalid_state(
            format!("certificate {} is {}: there is no certificate to send until it is issued", c.number, c.status.name_en()),
            format!("证书 {} 状态为{}，签发后才有证书报文", c.number, c.status.name_zh()),
        )));
    };
    let mut res = xml.into_response();
    res.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/xml; charset=utf-8"));
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{}.xml\"", c.number)) {
        res.headers_mut().insert(header::CONTENT_DISPOSITION, v);
    }
    Ok(res)
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct StepBody {
    reason: Option<String>,
}

async fn step(s: AppState, caller: Caller, number: String, action: &str, body: Option<RawBody>) -> Result<Json<Value>, ApiError> {
    caller.require(&[Role::Officer])?;
    let c = load_visible(&s, &caller, &number).await?;
    let b: StepBody = match body {
        Some(b) if !b.bytes.is_empty() => b.json()?,
        _ => StepBody::default(),
    };
    let cmd = phyto::step(&c.number, action, b.reason.as_deref())?;
    let out = s.store.execute(caller.0.clone(), Command::Phyto(cmd)).await?;
    Ok(Json(view(&*certificate_of(out)?)))
}

/// `POST /api/v1/certificates/phyto/{number}/issue` — an officer issues; signed with the office's key.
pub async fn issue(State(s): State<AppState>, caller: Caller, Path(number): Path<String>, body: RawBody) -> Result<Json<Value>, ApiError> {
    step(s, caller, number, "issue", Some(body)).await
}

/// `POST /api/v1/certificates/phyto/{number}/refuse` — `{reason}`.
pub async fn refuse(State(s): State<AppState>, caller: Caller, Path(number): Path<String>, body: RawBody) -> Result<Json<Value>, ApiError> {
    step(s, caller, number, "refuse", Some(body)).await
}

/// `POST /api/v1/certificates/phyto/{number}/withdraw` — `{reason}`.
pub async fn withdraw(
    State(s): State<AppState>,
    caller: Caller,
    Path(number): Path<String>,
    body: RawBody,
) -> Result<Json<Value>, ApiError> {
    step(s, caller, number, "withdraw", Some(body)).await
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReplaceBody {
    reason: String,
    application: PhytoDraft,
}

/// `POST /api/v1/certificates/phyto/{number}/replace` — `{reason, application}`: a corrected
/// certificate under a new number, issued at once; the old one is marked replaced. 201 with the
/// new certificate.
pub async fn replace(State(s): State<AppState>, caller: Caller, Path(number): Path<String>, body: RawBody) -> Result<Response, ApiError> {
    caller.require(&[Role::Officer])?;
    let c = load_visible(&s, &caller, &number).await?;
    let b: ReplaceBody = body.json()?;
    let cmd = PhytoCommand::Replace { number: c.number, draft: Box::new(b.application), reason: b.reason };
    let new = certificate_of(s.store.execute(caller.0.clone(), Command::Phyto(cmd)).await?)?;
    Ok(with_location(StatusCode::CREATED, view(&new), &format!("/api/v1/certificates/phyto/{}", new.number)))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ImportQuery {
    declaration: Option<String>,
    bill: Option<String>,
}

/// `POST /api/v1/certificates/phyto/import` — an incoming `SPSCertificate` (XML, UTF-8 or
/// UTF-16): read, checked, stored and linked to the import declaration named (`declaration`)
/// or found by its bill (`bill`). 201 with the certificate as read (200 when the same
/// certificate was received before); 422 with the paths of what is wrong, nothing stored.
pub async fn import(
    State(s): State<AppState>,
    caller: Caller,
    q: Result<Query<ImportQuery>, axum::extract::rejection::QueryRejection>,
    body: RawBody,
) -> Result<Response, ApiError> {
    caller.require(&[Role::Officer, Role::Declarant])?;
    let Query(q) = q.map_err(|e| ApiError::malformed("query", e.body_text(), "查询参数不正确"))?;
    if body.media != Media::Xml {
        return Err(ApiError::kind(
            RefusalKind::UnsupportedMedia,
            "send the UN/CEFACT SPSCertificate as application/xml",
            "请以 application/xml 提交 UN/CEFACT SPSCertificate 报文",
        ));
    }
    let cmd = phyto::receive(&body.bytes, q.declaration.as_deref(), q.bill.as_deref())?;
    let (c, new) = match s.store.execute(caller.0.clone(), Command::Phyto(cmd)).await? {
        Outcome::PhytoReceived { certificate, new } => (certificate, new),
        other => return Err(ApiError::Internal(format!("unexpected outcome {other:?}"))),
    };
    let status = if new { StatusCode::CREATED } else { StatusCode::OK };
    Ok(with_location(status, received_view(&c), &format!("/api/v1/certificates/phyto/received/{}", c.key)))
}

/// Whether an importer may see `r`: it is linked to one of its declarations.
async fn own_received(s: &AppState, caller: &Caller, r: &ReceivedCertificate) -> Result<bool, ApiError> {
    if caller.role() != Role::Declarant {
        return Ok(false);
    }
    let Some(d) = &r.declaration else { return Ok(false) };
    let Some(decl) = s.store.declaration(d).await? else { return Ok(false) };
    let me = caller.enterprise()?;
    Ok(decl.content.parties().contains(&me) || &decl.filed_by == me)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReceivedQuery {
    declaration: Option<String>,
    limit: Option<i64>,
}

/// `GET /api/v1/certificates/phyto/received` — certificates received (for one declaration).
pub async fn received_list(
    State(s): State<AppState>,
    caller: Caller,
    q: Result<Query<ReceivedQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<Value>, ApiError> {
    let Query(q) = q.map_err(|e| ApiError::malformed("query", e.body_text(), "查询参数不正确"))?;
    let declaration = q.declaration.as_deref().map(str::trim).filter(|d| !d.is_empty());
    if caller.role() == Role::Declarant && declaration.is_none() {
        return Err(ApiError::Refused(Refusal::field(
            "declaration",
            Rule::Required,
            "an importer lists the certificates of one of its declarations: name it",
            "进口企业须注明报关单",
        )));
    }
    let list = s.store.phyto_received_list(declaration, q.limit.unwrap_or(100)).await?;
    let mut out = Vec::new();
    for r in &list {
        let own = own_received(&s, &caller, r).await?;
        if phyto::received_visible(&caller.0, own).is_ok() {
            out.push(received_view(r));
        } else if caller.role() != Role::Declarant {
            return Err(ApiError::forbidden());
        }
    }
    Ok(Json(json!({ "certificates": out })))
}

/// `GET /api/v1/certificates/phyto/received/{country}/{number}`
pub async fn received_show(
    State(s): State<AppState>,
    caller: Caller,
    Path((country, number)): Path<(String, String)>,
) -> Result<Json<Value>, ApiError> {
    let r = s
        .store
        .phyto_received(&format!("{country}/{number}"))
        .await?
        .ok_or_else(|| ApiError::Refused(Refusal::not_found("phytosanitary certificate", "植物检疫证书")))?;
    let own = own_received(&s, &caller, &r).await?;
    phyto::received_visible(&caller.0, own)?;
    let mut v = received_view(&r);
    v["timeline"] = json!(s.store.timeline(&format!("phyto-received:{}", r.key)).await?);
    Ok(Json(v))
}
