//! `guomen serve`: the API, the webhook dispatcher, and a clean shutdown.

use crate::cli::{CheckpointArgs, DataArgs, SecurityArgs};
use anyhow::{anyhow, Context};
use std::process::ExitCode;

pub async fn run(
    data: &DataArgs,
    listen: &str,
    demo: bool,
    webhook_allow_private: bool,
    security: &SecurityArgs,
    checkpoints: &CheckpointArgs,
) -> anyhow::Result<ExitCode> {
    let settings = security.settings(&data.data)?;
    let store = data.open().await?.with_security(settings);
    store.set_checkpoint_policy(checkpoints.checkpoint_entries, checkpoints.checkpoint_seconds);
    if demo && store.count("declarations").await.map_err(|e| anyhow!("{e}"))? == 0 {
        let summary = crate::demo::run(&store).await?;
        println!("{summary}");
    }
    // Webhooks reach public addresses only, unless the flag or GUOMEN_WEBHOOK_ALLOW_PRIVATE allows
    // internal ones (a single machine delivering to itself).
    let reach = if webhook_allow_private { guomen_delivery::Reach::ANY } else { guomen_delivery::Reach::from_env() };
    let dispatcher = guomen_delivery::spawn(store.clone(), guomen_delivery::RetryPolicy::default(), reach);
    let listener = tokio::net::TcpListener::bind(listen).await.with_context(|| format!("cannot listen on {listen}"))?;
    let addr = listener.local_addr()?;
    println!("Guomen is serving on http://{addr}/ (console at /, API under /api/v1, OpenAPI at /api/v1/openapi.json)");
    let files = data.data.join("files");
    let web = guomen_web::router_for(store.clone(), reach);
    let mut state = guomen_api::AppState::new(store.clone(), files);
    state.webhooks = reach;
    let app = guomen_api::router_for(state).merge(web);
    // The client's address comes from the socket (or a trusted proxy's X-Forwarded-For).
    axum::serve(listener, app.into_make_service_with_connect_info::<std::net::SocketAddr>()).with_graceful_shutdown(shutdown()).await?;
    dispatcher.abort();
    // The last entries written get their checkpoint before the server goes.
    if let Err(e) = store.sign_checkpoint().await {
        tracing::warn!(error = %e, "cannot sign the journal's last checkpoint");
    }
    Ok(ExitCode::SUCCESS)
}

async fn shutdown() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
}
