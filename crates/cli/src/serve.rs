//! `guomen serve`: the API, the webhook dispatcher, and a clean shutdown.

use crate::cli::{DataArgs, SecurityArgs};
use anyhow::{anyhow, Context};
use std::process::ExitCode;

pub async fn run(data: &DataArgs, listen: &str, demo: bool, security: &SecurityArgs) -> anyhow::Result<ExitCode> {
    let settings = security.settings(&data.data)?;
    let store = data.open().await?.with_security(settings);
    if demo && store.count("declarations").await.map_err(|e| anyhow!("{e}"))? == 0 {
        let summary = crate::demo::run(&store).await?;
        println!("{summary}");
    }
    let dispatcher = guomen_delivery::spawn(store.clone(), guomen_delivery::RetryPolicy::default());
    let listener = tokio::net::TcpListener::bind(listen).await.with_context(|| format!("cannot listen on {listen}"))?;
    let addr = listener.local_addr()?;
    println!("Guomen is serving on http://{addr}/ (console at /, API under /api/v1, OpenAPI at /api/v1/openapi.json)");
    let files = data.data.join("files");
    let app = guomen_api::router_with_files(store.clone(), files.clone()).merge(guomen_web::router(store, files));
    // The client's address comes from the socket (or a trusted proxy's X-Forwarded-For).
    axum::serve(listener, app.into_make_service_with_connect_info::<std::net::SocketAddr>()).with_graceful_shutdown(shutdown()).await?;
    dispatcher.abort();
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
