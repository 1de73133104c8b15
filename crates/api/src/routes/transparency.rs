//! The journal's transparency log: the latest signed checkpoint, inclusion and consistency
//! proofs. No sign-in: they show only hashes and sizes, and are what anyone needs to check that
//! the journal they were shown is the one every other reader sees and that it only grows.
//! Hashes are lowercase hex; the signature is base64.

use crate::problem::ApiError;
use crate::AppState;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::Json;
use guomen_domain::transparency::Hash;
use guomen_domain::{FieldError, Refusal, Rule};
use serde_json::{json, Value};
use std::collections::BTreeMap;

/// `GET /api/v1/journal/checkpoint` — `{"tree_size","root_hash","timestamp","key_id","signature"}`.
pub async fn checkpoint(State(s): State<AppState>) -> Result<Json<Value>, ApiError> {
    match s.store.latest_checkpoint().await? {
        Some(cp) => Ok(Json(cp.to_json())),
        None => Err(ApiError::Refused(Refusal::not_found("checkpoint of the journal", "日志检查点"))),
    }
}

/// `GET /api/v1/journal/proof/inclusion?entry=N[&size=M]` — `{"leaf_index","tree_size","audit_path"}`.
pub async fn inclusion(
    State(s): State<AppState>,
    q: Result<Query<BTreeMap<String, String>>, QueryRejection>,
) -> Result<Json<Value>, ApiError> {
    let q = Params::read(q, &["entry", "size"])?;
    let entry = q.number("entry")?.ok_or_else(|| required("entry", "the entry's sequence number", "日志条目的序号"))?;
    let p = s.store.inclusion_proof(entry, q.number("size")?).await?;
    Ok(Json(json!({ "leaf_index": p.leaf_index, "tree_size": p.tree_size, "audit_path": hexes(&p.audit_path) })))
}

/// `GET /api/v1/journal/proof/consistency?from=M[&to=N]` — `{"from","to","proof"}`.
pub async fn consistency(
    State(s): State<AppState>,
    q: Result<Query<BTreeMap<String, String>>, QueryRejection>,
) -> Result<Json<Value>, ApiError> {
    let q = Params::read(q, &["from", "to"])?;
    let from = q.number("from")?.ok_or_else(|| required("from", "the older tree's size", "较早的树的大小"))?;
    let p = s.store.consistency_proof(from, q.number("to")?).await?;
    Ok(Json(json!({ "from": p.from, "to": p.to, "proof": hexes(&p.proof) })))
}

fn hexes(hashes: &[Hash]) -> Vec<String> {
    hashes.iter().map(hex::encode).collect()
}

fn required(name: &str, en: &str, zh: &str) -> ApiError {
    ApiError::Refused(Refusal::validation(vec![FieldError::new(
        name,
        Rule::Required,
        format!("{name}: {en} is required"),
        format!("{name}：{zh}为必填"),
    )]))
}

/// The query's parameters, none but those named.
struct Params(BTreeMap<String, String>);

impl Params {
    fn read(q: Result<Query<BTreeMap<String, String>>, QueryRejection>, known: &[&str]) -> Result<Params, ApiError> {
        let Query(q) = q.map_err(|e| ApiError::malformed("", format!("{e}"), "查询参数格式错误"))?;
        if let Some(other) = q.keys().find(|k| !known.contains(&k.as_str())) {
            return Err(ApiError::malformed(
                other,
                format!("unknown query parameter {other:?}; this one takes {}", known.join(", ")),
                format!("未知的查询参数 {other:?}；可用参数为 {}", known.join("、")),
            ));
        }
        Ok(Params(q))
    }

    /// A whole number, if given.
    fn number(&self, name: &str) -> Result<Option<u64>, ApiError> {
        self.0
            .get(name)
            .map(|v| {
                v.trim().parse::<u64>().map_err(|_| {
                    ApiError::malformed(name, format!("{name} is a whole number, got {v:?}"), format!("{name} 应为非负整数，实际为 {v:?}"))
                })
            })
            .transpose()
    }
}
