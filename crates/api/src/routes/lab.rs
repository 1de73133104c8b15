//! 检疫审批 and 取样送检 — quarantine permits, samples and the laboratory's steps, and the
//! quarantine figures.

use super::today;
use super::ReasonBody;
use crate::auth::Caller;
use crate::body::RawBody;
use crate::problem::ApiError;
use crate::{view, AppState};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::Json;
use guomen_domain::party::Role;
use guomen_domain::quarantine::permit::PermitDraft;
use guomen_domain::types::CustomsCode;
use guomen_domain::{FieldError, Refusal, Rule};
use guomen_service::fail_if as done;
use guomen_service::fields::required;
use guomen_store::quarantine::{LabStep, QuarantineCommand};
use guomen_store::{Command, Outcome};
use rust_decimal::Decimal;
use serde::Deserialize;
use serde_json::{json, Value};

fn sample_out(caller: &Caller, out: Outcome) -> Result<Json<Value>, ApiError> {
    match out {
        Outcome::Sample { sample, declaration } => {
            let mut v = json!({ "sample": view::sample(&sample, view::Sight::of(caller)) });
            if let Some(d) = declaration {
                v["declaration"] = view::declaration(&d, today(), None, view::Sight::of(caller));
            }
            Ok(Json(v))
        }
        other => Err(ApiError::Internal(format!("unexpected outcome {other:?}"))),
    }
}

fn permit_out(out: Outcome) -> Result<Json<Value>, ApiError> {
    match out {
        Outcome::Permit(p) => {
            let mut v = json!(*p);
            v["status"] = json!(p.status(today()).as_str());
            v["remaining"] = json!(p.remaining());
            Ok(Json(v))
        }
        other => Err(ApiError::Internal(format!("unexpected outcome {other:?}"))),
    }
}

/// `POST /api/v1/permits` — 签发检疫许可证.
pub async fn issue_permit(State(s): State<AppState>, caller: Caller, body: RawBody) -> Result<(StatusCode, Json<Value>), ApiError> {
    caller.require(&[Role::Officer])?;
    let draft: PermitDraft = body.json()?;
    let out = permit_out(s.store.execute(caller.0.clone(), Command::Quarantine(QuarantineCommand::IssuePermit(draft))).await?)?;
    Ok((StatusCode::CREATED, out))
}

/// `GET /api/v1/permits` — officers see all; a trader sees its own.
pub async fn permits(State(s): State<AppState>, caller: Caller) -> Result<Json<Value>, ApiError> {
    let holder = match caller.role() {
        Role::Officer | Role::RiskAnalyst | Role::Admin => None,
        Role::Declarant => Some(caller.enterprise()?.to_string()),
        _ => return Err(ApiError::forbidden()),
    };
    let list: Vec<Value> = s
        .store
        .permits(holder.as_deref())
        .await?
        .into_iter()
        .map(|p| {
            let mut v = json!(p);
            v["status"] = json!(p.status(today()).as_str());
            v["remaining"] = json!(p.remaining());
            v
        })
        .collect();
    Ok(Json(json!({ "permits": list })))
}

/// `GET /api/v1/permits/{id}`
pub async fn permit(State(s): State<AppState>, caller: Caller, Path(id): Path<String>) -> Result<Json<Value>, ApiError> {
    let p = s.store.permit(&id).await?.ok_or_else(|| ApiError::Refused(Refusal::not_found("permit", "检疫许可证")))?;
    let own = caller.role() == Role::Declarant && caller.0.enterprise.as_ref() == Some(&p.holder);
    if !caller.is_customs() && !own {
        return Err(if caller.role() == Role::Declarant {
            ApiError::Refused(Refusal::not_found("permit", "检疫许可证"))
        } else {
            ApiError::forbidden()
        });
    }
    permit_out(Outcome::Permit(Box::new(p)))
}

/// `POST /api/v1/permits/{id}/revoke`
pub async fn revoke_permit(
    State(s): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    body: RawBody,
) -> Result<Json<Value>, ApiError> {
    caller.require(&[Role::Officer])?;
    let b: ReasonBody = body.json()?;
    permit_out(s.store.execute(caller.0.clone(), Command::Quarantine(QuarantineCommand::RevokePermit { id, reason: b.reason })).await?)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TakeSampleBody {
    /// Customs code of the laboratory that will test it.
    lab: String,
    seal_no: String,
    /// e.g. "2 kg"
    quantity: String,
    /// Analyte codes to test; all of the commodity's specification when omitted.
    analytes: Option<Vec<String>>,
}

/// `POST /api/v1/declarations/{id}/samples` — 取样、封样、登记、送检.
pub async fn take_sample(
    State(s): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    body: RawBody,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    caller.require(&[Role::Officer])?;
    let b: TakeSampleBody = body.json()?;
    let lab =
        CustomsCode::parse(&b.lab).map_err(|e| ApiError::Refused(Refusal::validation(vec![FieldError::new("lab", e.rule, e.en, e.zh)])))?;
    let cmd = QuarantineCommand::TakeSample { declaration_id: id, lab, seal_no: b.seal_no, quantity: b.quantity, analytes: b.analytes };
    Ok((StatusCode::CREATED, sample_out(&caller, s.store.execute(caller.0.clone(), Command::Quarantine(cmd)).await?)?))
}

/// `GET /api/v1/samples` — a laboratory sees the samples sent to it; officers see all.
pub async fn samples(State(s): State<AppState>, caller: Caller) -> Result<Json<Value>, ApiError> {
    let lab = match caller.role() {
        Role::Laboratory => Some(caller.enterprise()?.to_string()),
        Role::Officer | Role::RiskAnalyst | Role::Admin => None,
        _ => return Err(ApiError::forbidden()),
    };
    let samples: Vec<Value> =
        s.store.samples(lab.as_deref(), None).await?.iter().map(|x| view::sample(x, view::Sight::of(&caller))).collect();
    Ok(Json(json!({ "samples": samples })))
}

/// `GET /api/v1/samples/{id}`
pub async fn sample(State(s): State<AppState>, caller: Caller, Path(id): Path<String>) -> Result<Json<Value>, ApiError> {
    caller.require(&[Role::Laboratory, Role::Officer, Role::RiskAnalyst, Role::Admin])?;
    let not_found = || ApiError::Refused(Refusal::not_found("sample", "样品"));
    let sample = s.store.sample(&id).await?.ok_or_else(not_found)?;
    match caller.role() {
        Role::Laboratory if caller.0.enterprise.as_ref() == Some(&sample.lab) => {}
        Role::Officer | Role::RiskAnalyst | Role::Admin => {}
        Role::Laboratory => return Err(not_found()),
        _ => return Err(ApiError::forbidden()),
    }
    Ok(Json(json!({ "sample": view::sample(&sample, view::Sight::of(&caller)) })))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResultBody {
    analyte: String,
    value: Option<Decimal>,
    detected: Option<bool>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct PublishBody {
    /// Publishes "not interpretable" with this note instead of the derived conclusion.
    not_interpretable: Option<String>,
}

async fn lab_step(s: &AppState, caller: &Caller, sample_id: String, step: LabStep) -> Result<Json<Value>, ApiError> {
    caller.require(&[Role::Laboratory])?;
    let lab = caller.enterprise()?.clone();
    sample_out(caller, s.store.execute(caller.0.clone(), Command::Quarantine(QuarantineCommand::Step { sample_id, lab, step })).await?)
}

/// `POST /api/v1/samples/{id}/receive`
pub async fn receive(State(s): State<AppState>, caller: Caller, Path(id): Path<String>) -> Result<Json<Value>, ApiError> {
    lab_step(&s, &caller, id, LabStep::Receive).await
}

/// `POST /api/v1/samples/{id}/results` — one analyte's result.
pub async fn enter_result(
    State(s): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    body: RawBody,
) -> Result<Json<Value>, ApiError> {
    caller.require(&[Role::Laboratory])?;
    let b: ResultBody = body.json()?;
    lab_step(&s, &caller, id, LabStep::EnterResult { analyte: b.analyte, value: b.value, detected: b.detected }).await
}

/// `POST /api/v1/samples/{id}/verify` — by someone other than who entered the results.
pub async fn verify(State(s): State<AppState>, caller: Caller, Path(id): Path<String>) -> Result<Json<Value>, ApiError> {
    lab_step(&s, &caller, id, LabStep::Verify).await
}

/// `POST /api/v1/samples/{id}/publish` — the conclusion then drives the declaration.
pub async fn publish(State(s): State<AppState>, caller: Caller, Path(id): Path<String>, body: RawBody) -> Result<Json<Value>, ApiError> {
    caller.require(&[Role::Laboratory])?;
    let b: PublishBody = if body.bytes.is_empty() { PublishBody::default() } else { body.json()? };
    lab_step(&s, &caller, id, LabStep::Publish { not_interpretable_note: b.not_interpretable }).await
}

/// `POST /api/v1/samples/{id}/retract`
pub async fn retract(State(s): State<AppState>, caller: Caller, Path(id): Path<String>, body: RawBody) -> Result<Json<Value>, ApiError> {
    caller.require(&[Role::Laboratory])?;
    let b: ReasonBody = body.json()?;
    lab_step(&s, &caller, id, LabStep::Retract { reason: b.reason }).await
}

/// `POST /api/v1/samples/{id}/invalidate`
pub async fn invalidate(State(s): State<AppState>, caller: Caller, Path(id): Path<String>, body: RawBody) -> Result<Json<Value>, ApiError> {
    caller.require(&[Role::Laboratory])?;
    let b: ReasonBody = body.json()?;
    lab_step(&s, &caller, id, LabStep::Invalidate { reason: b.reason }).await
}

/// `POST /api/v1/samples/{id}/cancel` — an officer withdraws a sampling order not yet taken.
pub async fn cancel(State(s): State<AppState>, caller: Caller, Path(id): Path<String>, body: RawBody) -> Result<Json<Value>, ApiError> {
    caller.require(&[Role::Officer])?;
    let b: ReasonBody = body.json()?;
    sample_out(
        &caller,
        s.store.execute(caller.0.clone(), Command::Quarantine(QuarantineCommand::CancelSample { sample_id: id, reason: b.reason })).await?,
    )
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FiguresQuery {
    from: String,
    to: String,
    office: Option<String>,
}

/// `GET /api/v1/figures/quarantine?from=YYYY-MM-DD&to=YYYY-MM-DD[&office=CODE]`
pub async fn figures(
    State(s): State<AppState>,
    caller: Caller,
    q: Result<Query<FiguresQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<Value>, ApiError> {
    caller.require(&[Role::Officer, Role::RiskAnalyst, Role::Admin])?;
    let Query(q) = q.map_err(|e| ApiError::malformed("query", e.body_text(), "查询参数不正确：需要 from 与 to"))?;
    let mut errors = Vec::new();
    let fmt = time::macros::format_description!("[year]-[month]-[day]");
    let mut date = |path: &str, v: &str| {
        time::Date::parse(v.trim(), &fmt)
            .map_err(|_| errors.push(FieldError::new(path, Rule::DateFormat, "a date is YYYY-MM-DD", "日期格式应为 YYYY-MM-DD")))
            .ok()
    };
    let (from, to) = (date("from", &q.from), date("to", &q.to));
    if let (Some(f), Some(t)) = (from, to) {
        if t < f {
            errors.push(FieldError::new("to", Rule::DateOrder, "`to` is before `from`", "截止日期早于开始日期"));
        }
    }
    let office = q.office.map(|o| required(&mut errors, "office", &o, 4));
    done(errors)?;
    let figures = s.store.quarantine_figures(from.expect("checked"), to.expect("checked"), office.as_deref(), today()).await?;
    Ok(Json(json!(figures)))
}
