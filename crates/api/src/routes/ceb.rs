//! 跨境电商 — the CEB message endpoint, quota pre-checks, the buyer's parcel query, inventory
//! lists for customs and enterprises, officers' steps, guarantees and tax payments.

use crate::auth::Caller;
use crate::body::{Media, RawBody};
use crate::context::Req;
use crate::flood::Flood;
use crate::problem::ApiError;
use crate::AppState;
use axum::extract::{Path, Query, State};
use axum::http::header::CONTENT_TYPE;
use axum::response::{IntoResponse, Response};
use axum::Json;
use guomen_domain::ceb::quota::china_year;
use guomen_domain::ceb::{BuyerId, InventoryRecord, InventoryStatus};
use guomen_domain::party::Role;
use guomen_domain::{FieldError, Refusal, RefusalKind, Rule};
use guomen_service::ceb::{officer_command, process, visible as may_see, Sender, StepBody};
use guomen_store::ceb::{CebCommand, InventoryFilter};
use guomen_store::security::{mask_identity, RequestContext, SecurityLog};
use guomen_store::{Command, Outcome};
use rust_decimal::Decimal;
use serde::Deserialize;
use serde_json::{json, Value};

/// Largest CEB message accepted: 100 inventory lists of 99 lines fit with room to spare.
pub const MAX_MESSAGE: usize = 8 * 1024 * 1024;

/// `POST /api/v1/ceb` — one CEB message in, its receipt out.
pub async fn submit(State(s): State<AppState>, caller: Caller, body: RawBody) -> Result<Response, ApiError> {
    caller.require(&[Role::Declarant, Role::Terminal])?;
    let code = caller.enterprise()?.to_string();
    if body.media != Media::Xml {
        return Err(ApiError::kind(
            RefusalKind::UnsupportedMedia,
            "send the CEB message as application/xml",
            "请以 application/xml 发送跨境电商报文",
        ));
    }
    let seed: u64 = rand::random();
    let done = process(&s.store, Some(&s.buyer_flood), &caller.0, Sender::Enterprise(&code), &body.bytes, seed).await?;
    let mut res = ([(CONTENT_TYPE, "application/xml; charset=utf-8")], done.receipt).into_response();
    if done.replayed {
        res.headers_mut().insert("Guomen-Replayed", axum::http::HeaderValue::from_static("true"));
    }
    Ok(res)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct QuotaQuery {
    pub buyer_id_type: String,
    pub buyer_id_number: String,
    pub buyer_name: String,
    pub amount: String,
}

fn quota_errors(q: &QuotaQuery) -> Result<(BuyerId, Decimal), ApiError> {
    let mut errors = Vec::new();
    if !matches!(q.buyer_id_type.as_str(), "1" | "2") {
        errors.push(FieldError::new(
            "buyerIdType",
            Rule::Enumeration,
            "1 (resident identity card) or 2 (other)",
            "应为 1（身份证）或 2（其他）",
        ));
    }
    let n = q.buyer_id_number.trim();
    if n.is_empty() || n.chars().count() > 60 {
        errors.push(FieldError::new("buyerIdNumber", Rule::Length, "1 to 60 characters", "应为1至60个字符"));
    }
    let name = q.buyer_name.trim();
    if name.is_empty() || name.chars().count() > 60 {
        errors.push(FieldError::new("buyerName", Rule::Length, "1 to 60 characters", "应为1至60个字符"));
    }
    let amount = q
        .amount
        .trim()
        .parse::<Decimal>()
        .ok()
        .filter(|a| *a >= Decimal::ZERO && a.scale() <= 2 && *a < guomen_domain::types::money_ceiling());
    if amount.is_none() {
        errors.push(FieldError::new(
            "amount",
            Rule::Decimal,
            "a sum in CNY of 0 or more, to the fen, at most 15 digits before the point",
            "应为不小于0、最多两位小数、整数部分最多15位的人民币金额",
        ));
    }
    if errors.is_empty() {
        Ok((BuyerId::new(&q.buyer_id_type, n), amount.unwrap_or_default()))
    } else {
        Err(ApiError::Refused(Refusal::validation(errors)))
    }
}

/// Counts one lookup of `identity` from the request's address; a lookup over either limit is
/// refused with 429 and logged.
fn admit_lookup(
    req: &RequestContext,
    log: &SecurityLog,
    lookup: &str,
    (by_address, by_identity): (&Flood, &Flood),
    identity: &str,
) -> Result<(), ApiError> {
    let now = (time::OffsetDateTime::now_utc().unix_timestamp_nanos() / 1_000_000) as i64;
    let client = req.client_key();
    let over = if by_address.admit(&[client.as_str()], now).is_err() {
        Some(("address", by_address.per_minute()))
    } else if by_identity.admit(&[identity], now).is_err() {
        Some(("identity", by_identity.per_minute()))
    } else {
        None
    };
    let Some((limit, n)) = over else { return Ok(()) };
    req.log(log, "rate_limited", json!({ "lookup": lookup, "limit": limit, "per_minute": n, "identity": mask_identity(identity) }));
    let (en, zh, path) = match limit {
        "address" => (
            format!("more than {n} lookups a minute from this address; try again later"),
            format!("同一地址每分钟查询超过 {n} 次，请稍后再试"),
            "",
        ),
        _ => (
            format!("more than {n} lookups a minute of this identity; try again later"),
            format!("同一证件每分钟查询超过 {n} 次，请稍后再试"),
            "buyerIdNumber",
        ),
    };
    Err(ApiError::Refused(Refusal {
        kind: RefusalKind::TooManyRequests,
        detail_en: en,
        detail_zh: zh,
        errors: vec![FieldError::new(path, Rule::LookupRate, "too many lookups", "查询过于频繁")],
    }))
}

/// The quota pre-check. Platforms (declarant tokens) ask at checkout on behalf of a buyer, and
/// officers; the identity and the buyer's name must go together: the ledger is answered only
/// when a list of this identity under this name was accepted. Otherwise the answer is that of
/// a buyer with nothing recorded (`recorded: false`) — the same for an unknown identity and for
/// a wrong name, so it tells nothing about whose identity it is.
async fn quota(s: &AppState, caller: &Caller, req: &RequestContext, q: QuotaQuery) -> Result<Json<Value>, ApiError> {
    caller.require(&[Role::Declarant, Role::Officer])?;
    let (buyer, amount) = quota_errors(&q)?;
    let log = &s.store.security().log;
    admit_lookup(req, log, "quota_check", (&s.lookups.quota_by_address, &s.lookups.quota_by_identity), &buyer.key())?;
    let year = china_year(time::OffsetDateTime::now_utc());
    let recorded = s.store.ceb_buyer_named(&buyer.key(), q.buyer_name.trim()).await?;
    let (fits, remaining) = if recorded {
        let a = s.store.ceb_quota_check(&buyer.key(), year, amount).await?;
        (a.fits, a.remaining)
    } else {
        let nothing = guomen_domain::ceb::Ledger::default();
        (nothing.fits(amount), nothing.left())
    };
    req.log(
        log,
        "personal_data_lookup",
        json!({ "lookup": "quota_check", "identity": mask_identity(&buyer.number), "recorded": recorded }),
    );
    Ok(Json(json!({
        "fits": fits,
        "remaining": remaining.normalize().to_string(),
        "recorded": recorded,
        "year": year,
        "annualLimit": guomen_domain::ceb::ANNUAL_LIMIT.to_string(),
        "transactionLimit": guomen_domain::ceb::TRANSACTION_LIMIT.to_string(),
    })))
}

/// `GET /api/v1/ceb/quota-check?buyerIdType=…&buyerIdNumber=…&buyerName=…&amount=…`
pub async fn quota_get(
    State(s): State<AppState>,
    Req(req): Req,
    caller: Caller,
    q: Result<Query<QuotaQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<Value>, ApiError> {
    let Query(q) = q.map_err(|e| {
        ApiError::malformed("", format!("{e}"), "查询参数不完整或格式错误：需要 buyerIdType、buyerIdNumber、buyerName、amount")
    })?;
    quota(&s, &caller, &req, q).await
}

/// `POST /api/v1/ceb/quota-check` with the same fields as JSON.
pub async fn quota_post(State(s): State<AppState>, Req(req): Req, caller: Caller, body: RawBody) -> Result<Json<Value>, ApiError> {
    let q: QuotaQuery = body.json()?;
    quota(&s, &caller, &req, q).await
}

fn ms_rfc3339(ms: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000)
        .unwrap_or(time::OffsetDateTime::UNIX_EPOCH)
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}

/// What a buyer may see of their own parcel: where it stands (coarsely: see
/// `guomen_domain::ceb::notice::buyer_status`), its value and its tax. Not the lane, the
/// criteria, the reasons of a hold or detention, the guarantee, or any other parcel.
fn parcel_view(r: &InventoryRecord) -> Value {
    let (status, zh, en) = guomen_domain::ceb::notice::buyer_status(r.status);
    json!({
        "orderNo": r.inventory.order_no,
        "logisticsNo": r.inventory.logistics_no,
        "ebcName": r.inventory.ebc_name,
        "status": status,
        "statusZh": zh,
        "statusEn": en,
        "value": r.inventory.value().to_string(),
        "tax": r.acceptance.as_ref().map(|a| json!({
            "duty": a.tax.duty.to_string(),
            "consumption": a.tax.consumption.to_string(),
            "vat": a.tax.vat.to_string(),
            "total": a.tax.total.to_string(),
        })),
        "updatedAt": ms_rfc3339(r.updated_at_ms),
    })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ParcelQuery {
    /// Order number or logistics (waybill) number.
    pub number: String,
    pub buyer_id_number: String,
    pub buyer_name: String,
}

/// `GET /api/v1/ceb/parcels?number=…&buyerIdNumber=…&buyerName=…` — public: the buyer's own
/// parcel, when the order or waybill number, the identity number and the buyer's name all match.
/// Limited per client address and per identity; every lookup is logged, the identity masked.
pub async fn parcel(
    State(s): State<AppState>,
    Req(req): Req,
    q: Result<Query<ParcelQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<Value>, ApiError> {
    let Query(q) = q.map_err(|e| {
        ApiError::malformed("", format!("{e}"), "需要 number（订单号或运单号）、buyerIdNumber（证件号码）和 buyerName（订购人姓名）")
    })?;
    let (n, id, name) = (q.number.trim(), q.buyer_id_number.trim(), q.buyer_name.trim());
    let errors: Vec<FieldError> = [("number", n), ("buyerIdNumber", id), ("buyerName", name)]
        .into_iter()
        .filter(|(_, v)| v.is_empty() || v.chars().count() > 60)
        .map(|(path, _)| FieldError::new(path, Rule::Length, "1 to 60 characters", "应为1至60个字符"))
        .collect();
    if !errors.is_empty() {
        return Err(ApiError::Refused(Refusal::validation(errors)));
    }
    let log = &s.store.security().log;
    let identity = id.to_uppercase();
    admit_lookup(&req, log, "parcel", (&s.lookups.parcel_by_address, &s.lookups.parcel_by_identity), &identity)?;
    let found = s.store.ceb_parcel(n, id, name).await?;
    req.log(
        log,
        "personal_data_lookup",
        json!({ "lookup": "parcel", "number": n, "identity": mask_identity(&identity), "found": found.is_some() }),
    );
    match found {
        Some(r) => Ok(Json(parcel_view(&r))),
        None => Err(ApiError::Refused(Refusal::not_found("parcel", "包裹"))),
    }
}

async fn view(s: &AppState, caller: &Caller, r: &InventoryRecord, with_timeline: bool) -> Result<Value, ApiError> {
    let mut v = crate::view::inventory(r, crate::view::Sight::of(caller));
    let obj = v.as_object_mut().expect("records are objects");
    obj.insert("returnStatus".into(), json!(r.status.return_status()));
    let (zh, en) = guomen_domain::ceb::notice::status_info(r);
    obj.insert("info".into(), json!(en));
    obj.insert("infoZh".into(), json!(zh));
    if r.status == InventoryStatus::Waiting {
        obj.insert("waiting_for".into(), json!(s.store.ceb_missing(r).await?));
    }
    if with_timeline {
        let mut t = s.store.timeline(&format!("ceb:{}", r.key)).await?;
        t.extend(s.store.timeline(&format!("ceb-waybill:{}", r.inventory.waybill_key())).await?);
        t.sort_by_key(|e| e.seq);
        obj.insert("timeline".into(), json!(t));
    }
    Ok(v)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ListQuery {
    pub status: Option<String>,
    /// `received_at_ms:id` from the previous page's `next`.
    pub before: Option<String>,
    pub limit: Option<i64>,
}

/// `GET /api/v1/ceb/inventories` — customs see all; an enterprise sees those it sent or is named in.
pub async fn list(State(s): State<AppState>, caller: Caller, Query(q): Query<ListQuery>) -> Result<Json<Value>, ApiError> {
    if caller.role() == Role::Laboratory {
        return Err(ApiError::forbidden());
    }
    let before = match q.before.as_deref() {
        None => None,
        Some(c) => {
            Some(c.split_once(':').and_then(|(ms, id)| ms.parse::<i64>().ok().map(|ms| (ms, id.to_owned()))).ok_or_else(|| {
                ApiError::malformed("before", "a cursor from the `next` of a previous page", "应为上一页 next 给出的游标")
            })?)
        }
    };
    let limit = q.limit.unwrap_or(50).clamp(1, 500);
    let filter = InventoryFilter {
        party: if caller.is_customs() { None } else { Some(caller.enterprise()?.to_string()) },
        status: q.status.clone(),
        before,
        limit,
        ..Default::default()
    };
    let items = s.store.ceb_inventories(&filter).await?;
    let next = (items.len() as i64 == limit).then(|| items.last().map(|i| format!("{}:{}", i.received_at_ms, i.id))).flatten();
    Ok(Json(json!({ "items": items, "next": next })))
}

/// `GET /api/v1/ceb/inventories/{id}` with its timeline. The record carries the buyer's
/// identity as declared, so each read is in the security log.
pub async fn show(State(s): State<AppState>, Req(req): Req, caller: Caller, Path(id): Path<String>) -> Result<Json<Value>, ApiError> {
    let r = s.store.ceb_inventory(&id).await?.ok_or_else(|| ApiError::Refused(Refusal::not_found("inventory list", "清单")))?;
    may_see(&caller.0, &r)?;
    let identity = mask_identity(&r.inventory.buyer_id_number);
    req.log(&s.store.security().log, "personal_data_read", json!({ "inventory": r.id, "identity": identity }));
    Ok(Json(view(&s, &caller, &r, true).await?))
}

/// `POST /api/v1/ceb/inventories/{id}/{release|detain|return|clear-identity|confirm-identity-theft}` — officers.
pub async fn step(
    State(s): State<AppState>,
    caller: Caller,
    Path((id, action)): Path<(String, String)>,
    body: RawBody,
) -> Result<Json<Value>, ApiError> {
    caller.require(&[Role::Officer])?;
    let b: StepBody = if body.bytes.is_empty() { StepBody::default() } else { body.json()? };
    let cmd = officer_command(id, &action, &b)?;
    match s.store.execute(caller.0.clone(), cmd).await? {
        Outcome::Inventory(r) => Ok(Json(view(&s, &caller, &r, false).await?)),
        other => Err(ApiError::Internal(format!("unexpected outcome {other:?}"))),
    }
}

/// `GET /api/v1/ceb/guarantees` — customs see all, an enterprise its own.
pub async fn guarantees(State(s): State<AppState>, caller: Caller) -> Result<Json<Value>, ApiError> {
    if caller.role() == Role::Laboratory {
        return Err(ApiError::forbidden());
    }
    let mut all = s.store.ceb_guarantees().await?;
    if !caller.is_customs() {
        let code = caller.enterprise()?.to_string();
        all.retain(|g| g.code == code);
    }
    Ok(Json(json!(all.iter().map(|g| json!({"code": g.code, "kind": g.kind, "amount": g.amount.to_string(), "reserved": g.reserved.to_string(), "left": g.left().to_string()})).collect::<Vec<_>>())))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PaymentBody {
    /// The guarantee's holder; defaults to the calling enterprise.
    pub guarantee: Option<String>,
    pub inventories: Vec<String>,
}

/// `POST /api/v1/ceb/tax-payments` — the tax of these inventories is paid; the guarantee is restored.
pub async fn pay_tax(State(s): State<AppState>, caller: Caller, body: RawBody) -> Result<Json<Value>, ApiError> {
    caller.require(&[Role::Declarant, Role::Officer])?;
    let b: PaymentBody = body.json()?;
    let guarantee = match (caller.role(), b.guarantee) {
        (Role::Officer, Some(g)) => g,
        (Role::Officer, None) => {
            return Err(ApiError::Refused(Refusal::field("guarantee", Rule::Required, "name the guarantee", "请填写担保企业")))
        }
        (_, g) => {
            let own = caller.enterprise()?.to_string();
            if g.as_ref().is_some_and(|g| *g != own) {
                return Err(ApiError::forbidden());
            }
            own
        }
    };
    match s.store.execute(caller.0.clone(), Command::Ceb(CebCommand::PayTax { guarantee, inventories: b.inventories })).await? {
        Outcome::Guarantee(g) => Ok(Json(
            json!({"code": g.code, "amount": g.amount.to_string(), "reserved": g.reserved.to_string(), "left": g.left().to_string()}),
        )),
        other => Err(ApiError::Internal(format!("unexpected outcome {other:?}"))),
    }
}
