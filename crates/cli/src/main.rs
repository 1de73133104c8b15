//! `guomen` — the one binary: serve the API, fill a demo port, verify the journal, and manage
//! enterprises, users, tokens and rules from the command line.

mod bench;
mod ceb_cmd;
mod cli;
mod demo;
mod document_cmd;
mod journal_cmd;
mod mandate_cmd;
mod refusals;
mod serve;

use clap::Parser;

/// mimalloc: the server allocates many short-lived strings from several threads at once, where
/// glibc's allocator spent a third of the time of the CEB benchmark.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    let args = cli::Cli::parse();
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::try_from_env("GUOMEN_LOG").unwrap_or_else(|_| "info,sqlx=warn".into()))
        .with_writer(std::io::stderr)
        .init();
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("tokio runtime");
    match rt.block_on(cli::run(args)) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("guomen: {e:#}");
            std::process::ExitCode::from(2)
        }
    }
}
