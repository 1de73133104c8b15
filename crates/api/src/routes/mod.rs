//! Routes, one module per area of work.

pub mod admin;
pub(crate) mod ceb;
pub(crate) mod declarations;
mod documents;
mod field;
pub(crate) mod inspection;
mod lab;
pub(crate) mod mandates;
mod notices;
pub(crate) mod origin;
pub(crate) mod phyto;
mod quarantine;
mod rules;
mod system;
pub mod tokens;
mod transparency;

use crate::AppState;
use axum::routing::{get, post, put};
use axum::Router;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/healthz", get(system::healthz))
        .route("/api/v1/openapi.json", get(system::openapi))
        .route("/api/v1/journal/verify", get(system::verify))
        .route("/api/v1/keys", get(system::keys))
        .route("/api/v1/journal/checkpoint", get(transparency::checkpoint))
        .route("/api/v1/journal/proof/inclusion", get(transparency::inclusion))
        .route("/api/v1/journal/proof/consistency", get(transparency::consistency))
        .route("/api/v1/declarations", post(declarations::file).get(declarations::list))
        .route("/api/v1/declarations/{id}", get(declarations::show))
        .route("/api/v1/declarations/{id}/complete", post(declarations::complete))
        .route("/api/v1/declarations/{id}/replay", get(declarations::replay))
        .route("/api/v1/arrivals", post(inspection::arrival))
        .route("/api/v1/declarations/{id}/position", post(inspection::position))
        .route("/api/v1/declarations/{id}/inspection-result", post(inspection::result))
        .route("/api/v1/declarations/{id}/release", post(inspection::release))
        .route("/api/v1/declarations/{id}/hold", post(inspection::hold))
        .route("/api/v1/declarations/{id}/reroute", post(inspection::reroute))
        .route("/api/v1/declarations/{id}/sampling", post(quarantine::order_sampling))
        .route("/api/v1/declarations/{id}/commitment", post(quarantine::submit_commitment))
        .route("/api/v1/declarations/{id}/commitment/accept", post(quarantine::accept_commitment))
        .route("/api/v1/declarations/{id}/commitment/reject", post(quarantine::reject_commitment))
        .route("/api/v1/declarations/{id}/disposition", post(quarantine::order_disposition))
        .route("/api/v1/declarations/{id}/disposition/done", post(quarantine::complete_disposition))
        .route("/api/v1/declarations/{id}/destination-result", post(quarantine::destination_result))
        .route("/api/v1/notices", get(notices::list))
        .route("/api/v1/events", get(notices::stream))
        .route("/api/v1/rules", get(rules::current).put(rules::publish))
        .route("/api/v1/rules/history", get(rules::history))
        .route("/api/v1/rules/{version}", get(rules::version))
        .route("/api/v1/criteria", get(rules::criteria))
        .route("/api/v1/criteria/{id}", put(rules::put_criterion).delete(rules::retire_criterion))
        .route("/api/v1/enterprises", post(admin::add_enterprise).get(admin::enterprises))
        .route("/api/v1/enterprises/{code}", get(admin::enterprise))
        .route("/api/v1/users", post(admin::add_user))
        .route("/api/v1/tokens", post(tokens::issue).get(tokens::list))
        .route("/api/v1/tokens/{id}/revoke", post(tokens::revoke))
        .route("/api/v1/subscriptions", post(admin::subscribe).get(admin::subscriptions))
        .route("/api/v1/permits", post(lab::issue_permit).get(lab::permits))
        .route("/api/v1/permits/{id}", get(lab::permit))
        .route("/api/v1/permits/{id}/revoke", post(lab::revoke_permit))
        .route("/api/v1/declarations/{id}/samples", post(lab::take_sample))
        .route("/api/v1/samples", get(lab::samples))
        .route("/api/v1/samples/{id}", get(lab::sample))
        .route("/api/v1/samples/{id}/receive", post(lab::receive))
        .route("/api/v1/samples/{id}/results", post(lab::enter_result))
        .route("/api/v1/samples/{id}/verify", post(lab::verify))
        .route("/api/v1/samples/{id}/publish", post(lab::publish))
        .route("/api/v1/samples/{id}/retract", post(lab::retract))
        .route("/api/v1/samples/{id}/invalidate", post(lab::invalidate))
        .route("/api/v1/samples/{id}/cancel", post(lab::cancel))
        .route("/api/v1/figures/quarantine", get(lab::figures))
        .route("/api/v1/mandates", post(mandates::grant).get(mandates::list))
        .route("/api/v1/mandates/{id}", get(mandates::show))
        .route("/api/v1/mandates/{id}/revoke", post(mandates::revoke))
        .route("/api/v1/certificates/origin", post(origin::apply).get(origin::list))
        .route("/api/v1/certificates/origin/{number}", get(origin::show))
        .route("/api/v1/certificates/origin/{number}/amend", post(origin::amend))
        .route("/api/v1/certificates/origin/{number}/decision", post(origin::decide))
        .route("/api/v1/certificates/phyto", post(phyto::apply).get(phyto::list))
        .route("/api/v1/certificates/phyto/import", post(phyto::import))
        .route("/api/v1/certificates/phyto/received", get(phyto::received_list))
        .route("/api/v1/certificates/phyto/received/{country}/{number}", get(phyto::received_show))
        .route("/api/v1/certificates/phyto/{number}", get(phyto::show))
        .route("/api/v1/certificates/phyto/{number}/xml", get(phyto::xml))
        .route("/api/v1/certificates/phyto/{number}/issue", post(phyto::issue))
        .route("/api/v1/certificates/phyto/{number}/refuse", post(phyto::refuse))
        .route("/api/v1/certificates/phyto/{number}/replace", post(phyto::replace))
        .route("/api/v1/certificates/phyto/{number}/withdraw", post(phyto::withdraw))
        .route("/api/v1/public/documents/{number}", get(documents::show))
        .merge(field::routes())
        .route("/api/v1/ceb", post(ceb::submit).layer(axum::extract::DefaultBodyLimit::max(ceb::MAX_MESSAGE)))
        .route("/api/v1/ceb/quota-check", get(ceb::quota_get).post(ceb::quota_post))
        .route("/api/v1/ceb/parcels", get(ceb::parcel))
        .route("/api/v1/ceb/inventories", get(ceb::list))
        .route("/api/v1/ceb/inventories/{id}", get(ceb::show))
        .route("/api/v1/ceb/inventories/{id}/{action}", post(ceb::step))
        .route("/api/v1/ceb/guarantees", get(ceb::guarantees))
        .route("/api/v1/ceb/tax-payments", post(ceb::pay_tax))
}

/// A body that carries only a reason (refusals, retractions, cancellations).
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ReasonBody {
    pub reason: String,
}

/// A body that carries only a note.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct NoteBody {
    pub note: String,
}

/// Today's date at the edge (UTC).
pub(crate) fn today() -> time::Date {
    time::OffsetDateTime::now_utc().date()
}
