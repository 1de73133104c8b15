//! Guomen's use cases: what the HTTP API, the web console, the command line, the demo and the
//! benchmarks all do the same way, written once. A use case takes what a person or a system
//! sent (already read off the wire), checks it, builds the store's command, and says what went
//! wrong as a [`Refusal`] (or a [`Failure`] where the write path can fail too) — never as an
//! HTTP answer: each edge renders refusals its own way (problem+json, a form with its fields
//! marked, a line on the terminal).
//!
//! - `ceb` — the cross-border e-commerce node: one CEB message in, its receipt out.
//! - `declaration` — a draft checked against the directory, the declaration steps' commands,
//!   who may see a declaration.
//! - `admin` — enterprises, users, API tokens and webhook subscriptions from what was typed.
//! - `mandate` — who may see a mandate.
//! - `origin` — who may see a certificate of origin and what of its review, officers' decisions.
//! - `phyto` — who may see a phytosanitary certificate, its `SPSCertificate` XML, an incoming
//!   one read into the command that receives it, officers' steps.
//! - `documents` — the public record of an issued document (what it says, whether it is valid,
//!   its signature), behind the public endpoint, the public page and `guomen verify-document`.
//! - `context` — a request's context for the security log (id, client address, HTTPS).
//! - `json` — a JSON body read with the path of the first field that does not fit.
//! - `flood` — how many inventory lists a minute one buyer may send, and lookups per client.
//! - `problem` — a refusal as an RFC 9457 problem answer (`ApiError`), which both HTTP edges
//!   give: the one place that knows HTTP, so the API and the console render refusals alike.

pub mod admin;
pub mod ceb;
pub mod context;
pub mod declaration;
pub mod documents;
pub mod fields;
pub mod flood;
pub mod json;
pub mod mandate;
pub mod origin;
pub mod phyto;
pub mod problem;

use guomen_domain::Refusal;
use guomen_store::StoreError;

/// Why a use case that writes did not succeed.
#[derive(Debug)]
pub enum Failure {
    /// Refused; nothing changed.
    Refused(Refusal),
    /// Refused, with members its problem document carries besides the usual ones (RFC 9457
    /// §3.2), such as the negative receipt of a CEB message that breaks the schema.
    RefusedWith(Refusal, serde_json::Map<String, serde_json::Value>),
    /// Something went wrong on our side; nothing was acknowledged.
    Internal(String),
    /// The store is shutting down.
    Unavailable,
}

impl From<Refusal> for Failure {
    fn from(r: Refusal) -> Self {
        Failure::Refused(r)
    }
}

impl From<StoreError> for Failure {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Refused(r) => Failure::Refused(r),
            StoreError::Closed => Failure::Unavailable,
            other => Failure::Internal(other.to_string()),
        }
    }
}

/// Refuses with every field error found, if there are any.
pub fn fail_if(errors: Vec<guomen_domain::FieldError>) -> Result<(), Refusal> {
    if errors.is_empty() {
        Ok(())
    } else {
        Err(Refusal::validation(errors))
    }
}
