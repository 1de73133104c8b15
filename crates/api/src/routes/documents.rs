//! 单证验真 — the public record of an issued document (no sign-in): what it says, whether it is
//! valid, replaced or withdrawn, and its key id and signature, which anyone can check offline
//! with the public keys (`GET /api/v1/keys`, `guomen verify-document`).

use crate::problem::ApiError;
use crate::AppState;
use axum::extract::{Path, State};
use axum::Json;
use guomen_domain::Refusal;
use guomen_service::documents::{self, PublicDocument};

/// `GET /api/v1/public/documents/{number}`
pub async fn show(State(s): State<AppState>, Path(number): Path<String>) -> Result<Json<PublicDocument>, ApiError> {
    documents::find(&s.store, &number).await?.map(Json).ok_or_else(|| ApiError::Refused(Refusal::not_found("document", "单证")))
}
