//! Guomen's HTTP API: routes, bearer tokens and roles, request bodies, what each caller may see
//! of a record, the OpenAPI document. What the console and the command line do the same way —
//! the CEB node, checking a draft, building commands from typed fields, refusals as problem
//! documents — is in `guomen-service`, which this crate calls like the others.

pub mod auth;
pub mod body;
pub mod context;
mod openapi;
pub mod routes;
mod view;

pub use guomen_service::{ceb, flood, problem};

use axum::extract::DefaultBodyLimit;
use axum::Router;
use guomen_store::Store;

pub use openapi::document as openapi_document;
pub use view::{targeting_member, Sight};

/// Shared state of every handler.
#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    /// Where uploaded evidence files are kept, named by their SHA-256.
    pub files: std::path::PathBuf,
    /// Inventory lists per buyer per minute (cross-border e-commerce).
    pub buyer_flood: std::sync::Arc<flood::BuyerFlood>,
    /// Which addresses a webhook subscription may point at.
    pub webhooks: guomen_delivery::Reach,
    /// One journal verification at a time: each reads the whole journal.
    pub verifying: std::sync::Arc<tokio::sync::Semaphore>,
    /// Lookups of a buyer's parcel and quota per client address and per identity.
    pub lookups: std::sync::Arc<flood::Lookups>,
}

impl AppState {
    /// The state of a server keeping uploaded files under `files`, with the flood guard's and
    /// the lookups' limits and the webhooks' reach (`GUOMEN_WEBHOOK_ALLOW_PRIVATE`) from the
    /// environment.
    pub fn new(store: Store, files: std::path::PathBuf) -> AppState {
        AppState {
            store,
            files,
            buyer_flood: std::sync::Arc::new(flood::BuyerFlood::from_env()),
            webhooks: guomen_delivery::Reach::from_env(),
            verifying: std::sync::Arc::new(tokio::sync::Semaphore::new(1)),
            lookups: std::sync::Arc::new(flood::Lookups::from_env()),
        }
    }
}

/// The whole API, keeping uploaded files in a directory of the system's temporary space.
pub fn router(store: Store) -> Router {
    router_with_files(store, std::env::temp_dir().join(format!("guomen-files-{}", std::process::id())))
}

/// The whole API, keeping uploaded files (remote-inspection evidence) under `files`.
pub fn router_with_files(store: Store, files: std::path::PathBuf) -> Router {
    router_for(AppState::new(store, files))
}

/// The whole API on a state built by the caller (`guomen serve` sets the webhooks' reach).
pub fn router_for(state: AppState) -> Router {
    routes::routes()
        .fallback(problem::no_route)
        .layer(DefaultBodyLimit::max(body::MAX_BODY))
        .layer(axum::middleware::map_response(problem::harden))
        .layer(axum::middleware::from_fn_with_state(state.clone(), context::middleware))
        .with_state(state)
}
