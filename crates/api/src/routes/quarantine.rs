//! 检验检疫 on a declaration — sampling orders, pre-release on commitment, disposition orders
//! and the second stage of two-stage access.

use super::inspection::one;
use super::{NoteBody, ReasonBody};
use crate::auth::Caller;
use crate::body::RawBody;
use crate::problem::ApiError;
use crate::AppState;
use axum::extract::{Path, State};
use axum::Json;
use guomen_domain::declaration::DispositionKind;
use guomen_domain::inspection::Outcome as InspectionOutcome;
use guomen_domain::party::Role;
use guomen_domain::{FieldError, Rule};
use guomen_service::fail_if as done;
use guomen_service::fields::required;
use guomen_store::DeclarationCommand;
use serde::Deserialize;
use serde_json::Value;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SamplingBody {
    note: String,
}

/// `POST /api/v1/declarations/{id}/sampling` — an officer orders laboratory sampling.
pub async fn order_sampling(
    State(s): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    body: RawBody,
) -> Result<Json<Value>, ApiError> {
    caller.require(&[Role::Officer])?;
    let b: SamplingBody = body.json()?;
    one(&caller, s.store.execute(caller.0.clone(), DeclarationCommand::OrderSampling { declaration_id: id, note: b.note }).await?)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CommitmentBody {
    signed_by: String,
    storage_address: String,
    contact_phone: String,
    /// The signer accepts the promise not to sow, sell or move the goods until cleared.
    promise_accepted: bool,
}

/// `POST /api/v1/declarations/{id}/commitment` — 预提离承诺书, by the consignee or its agent.
pub async fn submit_commitment(
    State(s): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    body: RawBody,
) -> Result<Json<Value>, ApiError> {
    caller.require(&[Role::Declarant])?;
    let enterprise = caller.enterprise()?.clone();
    let b: CommitmentBody = body.json()?;
    one(
        &caller,
        s.store
            .execute(
                caller.0.clone(),
                DeclarationCommand::SubmitCommitment {
                    declaration_id: id,
                    enterprise,
                    signed_by: b.signed_by,
                    storage_address: b.storage_address,
                    contact_phone: b.contact_phone,
                    promise_accepted: b.promise_accepted,
                },
            )
            .await?,
    )
}

/// `POST /api/v1/declarations/{id}/commitment/accept` — the goods leave pending laboratory results.
pub async fn accept_commitment(State(s): State<AppState>, caller: Caller, Path(id): Path<String>) -> Result<Json<Value>, ApiError> {
    caller.require(&[Role::Officer])?;
    one(&caller, s.store.execute(caller.0.clone(), DeclarationCommand::AcceptCommitment { declaration_id: id }).await?)
}

/// `POST /api/v1/declarations/{id}/commitment/reject`
pub async fn reject_commitment(
    State(s): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    body: RawBody,
) -> Result<Json<Value>, ApiError> {
    caller.require(&[Role::Officer])?;
    let b: ReasonBody = body.json()?;
    one(&caller, s.store.execute(caller.0.clone(), DeclarationCommand::RejectCommitment { declaration_id: id, reason: b.reason }).await?)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DispositionBody {
    kind: String,
    instructions: String,
    /// YYYY-MM-DD
    deadline: String,
}

/// `POST /api/v1/declarations/{id}/disposition` — 处置通知: recall, treatment, return or destruction.
pub async fn order_disposition(
    State(s): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    body: RawBody,
) -> Result<Json<Value>, ApiError> {
    caller.require(&[Role::Officer])?;
    let b: DispositionBody = body.json()?;
    let mut errors = Vec::new();
    let kind = DispositionKind::parse(&b.kind);
    if kind.is_none() {
        errors.push(FieldError::new(
            "kind",
            Rule::DispositionKind,
            "kind is recall, treatment, return or destruction",
            "处置方式应为 recall、treatment、return 或 destruction",
        ));
    }
    let deadline = time::Date::parse(b.deadline.trim(), &time::macros::format_description!("[year]-[month]-[day]")).ok();
    if deadline.is_none() {
        errors.push(FieldError::new("deadline", Rule::DateFormat, "a date is YYYY-MM-DD", "日期格式应为 YYYY-MM-DD"));
    }
    done(errors)?;
    let (kind, deadline) = (kind.expect("checked"), deadline.expect("checked"));
    one(
        &caller,
        s.store
            .execute(
                caller.0.clone(),
                DeclarationCommand::OrderDisposition { declaration_id: id, kind, instructions: b.instructions, deadline },
            )
            .await?,
    )
}

/// `POST /api/v1/declarations/{id}/disposition/done`
pub async fn complete_disposition(
    State(s): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    body: RawBody,
) -> Result<Json<Value>, ApiError> {
    caller.require(&[Role::Officer])?;
    let b: NoteBody = body.json()?;
    one(&caller, s.store.execute(caller.0.clone(), DeclarationCommand::CompleteDisposition { declaration_id: id, note: b.note }).await?)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DestinationBody {
    outcome: InspectionOutcome,
    #[serde(default)]
    findings: Vec<String>,
    note: Option<String>,
}

/// `POST /api/v1/declarations/{id}/destination-result` — second stage of two-stage access.
pub async fn destination_result(
    State(s): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    body: RawBody,
) -> Result<Json<Value>, ApiError> {
    caller.require(&[Role::Officer])?;
    let b: DestinationBody = body.json()?;
    let mut errors = Vec::new();
    let findings: Vec<String> =
        b.findings.iter().enumerate().map(|(i, f)| required(&mut errors, &format!("findings[{i}]"), f, 500)).collect();
    done(errors)?;
    one(
        &caller,
        s.store
            .execute(
                caller.0.clone(),
                DeclarationCommand::RecordDestinationResult {
                    declaration_id: id,
                    outcome: b.outcome,
                    findings,
                    note: b.note.filter(|n| !n.trim().is_empty()),
                },
            )
            .await?,
    )
}
