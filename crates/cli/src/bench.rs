//! `guomen bench`: how many declarations per second Guomen files end to end — HTTP, parsing,
//! validation, targeting, journal, views and outbox, each answered only once durably committed
//! by group commit — set beside the raw insert rate of the same rows with the same durability on
//! the same engine. A benchmark, not a test: it prints figures and fails only if a request does.
//!
//! Every phase runs on a database of its own, created fresh and removed afterwards: a SQLite file
//! in a temporary directory, or a PostgreSQL schema `guomen_bench_<pid>_<n>`.

pub(crate) mod ceb;
mod console;
mod console_fill;
mod data;
mod e2e;
mod raw;
mod report;
mod target;
mod targeting;

use anyhow::{bail, Context};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

/// Requests (and raw declarations) run before each timed phase, to warm caches and connections.
const WARMUP: usize = 500;

#[derive(clap::Args, Debug)]
#[command(args_conflicts_with_subcommands = true)]
pub struct BenchArgs {
    #[command(subcommand)]
    pub which: Option<BenchCmd>,
    /// Declarations to file in the timed run (after a warm-up of 500).
    #[arg(long, default_value_t = 20_000)]
    pub declarations: usize,
    /// Concurrent HTTP clients (and store-only tasks); on PostgreSQL also the connections of the
    /// one-commit-per-declaration raw baseline.
    #[arg(long, default_value_t = 64)]
    pub concurrency: usize,
    /// PostgreSQL URL (postgres://…) to measure instead of a fresh SQLite database in a
    /// temporary directory. The bench works in fresh schemas it drops afterwards.
    #[arg(long)]
    pub database: Option<String>,
    /// Print the results as a Markdown table (for docs/PERFORMANCE.md).
    #[arg(long)]
    pub markdown: bool,
}

/// Benchmarks other than declaration filing.
#[derive(clap::Subcommand, Debug)]
pub enum BenchCmd {
    /// Cross-border e-commerce: CEB messages through the full customs path.
    Ceb(ceb::CebBenchArgs),
    /// Server time of the console's officer queue and dashboard with a big store (see docs/PERFORMANCE.md).
    Console(console::ConsoleArgs),
    /// Decisions per second of the targeting engine alone, with the criteria index and by scanning every criterion.
    Targeting(targeting::TargetingArgs),
}

pub async fn run(args: BenchArgs) -> anyhow::Result<ExitCode> {
    match args.which {
        Some(BenchCmd::Ceb(a)) => return ceb::run(a).await,
        Some(BenchCmd::Console(a)) => return console::run(a).await,
        Some(BenchCmd::Targeting(a)) => return targeting::run_bench(a),
        None => {}
    }
    if args.declarations == 0 || args.concurrency == 0 {
        bail!("--declarations and --concurrency must be at least 1");
    }
    let mut databases = target::Databases::new(args.database.as_deref())?;
    // Interrupted or not, the databases made for the run are removed.
    let outcome = tokio::select! {
        outcome = measure(&args, &mut databases) => outcome,
        signal = interrupted() => Err(anyhow::anyhow!("interrupted by {signal}")),
    };
    databases.remove_all().await;
    let report = outcome?;
    if args.markdown {
        print!("{}", report.markdown());
    } else {
        print!("{}", report.text());
    }
    Ok(ExitCode::SUCCESS)
}

async fn measure(args: &BenchArgs, databases: &mut target::Databases) -> anyhow::Result<report::Report> {
    let (n, c) = (args.declarations, args.concurrency);
    let durability = databases.durability().await?;
    say(&format!("guomen bench: {} ({durability}), {n} declarations, {c} concurrent clients", databases.engine_name()));

    // 1. End to end, through the real API.
    let loc = databases.fresh().await?;
    let store = target::open_store(&loc).await?;
    let port = data::set_up(&store).await?;
    let declarations = data::Declarations::new(&port)?;
    say(&format!("end to end: {WARMUP} warm-up requests, then {n} timed, over HTTP/1.1 keep-alive"));
    let e2e = e2e::http(&store, &port.token, &declarations, WARMUP, n, c).await?;
    check_filed(&store, WARMUP + n).await?;
    let lanes = e2e::lanes(&store).await?;
    say(&format!(
        "end to end: {:.0} declarations/s, p50 {}, p99 {}, {:.1} declarations per group commit",
        e2e.per_second(),
        report::ms(e2e.p50),
        report::ms(e2e.p99),
        e2e.per_commit()
    ));
    // The raw baselines insert copies of the rows these filings wrote.
    let templates = Arc::new(raw::Templates::read(&store).await.context("cannot read the filed rows to copy")?);
    drop(store);

    // 1b. Diagnostic: the same filings straight into Store::execute, without HTTP.
    let loc = databases.fresh().await?;
    let store = target::open_store(&loc).await?;
    let port = data::set_up(&store).await?;
    say(&format!("store only: {n} filings through Store::execute from {c} tasks"));
    let direct = e2e::direct(&store, &port.token, &declarations, WARMUP, n, c).await?;
    check_filed(&store, WARMUP + n).await?;
    say(&format!("store only: {:.0} declarations/s, {:.1} declarations per group commit", direct.per_second(), direct.per_commit()));
    drop(store);

    // 2. Raw inserts of the same rows, one durable commit per declaration.
    let per_commit_conns = match loc.engine {
        guomen_store::Engine::Sqlite => 1,
        guomen_store::Engine::Postgres => c,
    };
    let loc = databases.fresh().await?;
    target::migrate(&loc).await?;
    say(&format!("raw insert, one commit per declaration, {per_commit_conns} connection(s)"));
    let per_commit = raw::run(&loc, &templates, 1, per_commit_conns, WARMUP, n).await?;
    say(&format!("raw insert, one commit per declaration: {:.0} declarations/s", per_commit.per_second()));

    // 3. The same rows, 1000 declarations per commit on one connection: what group commit
    //    could at best reach.
    let loc = databases.fresh().await?;
    target::migrate(&loc).await?;
    say("raw insert, 1000 declarations per commit, 1 connection");
    let batched = raw::run(&loc, &templates, 1000, 1, WARMUP, n).await?;
    say(&format!("raw insert, 1000 per commit: {:.0} declarations/s", batched.per_second()));

    Ok(report::Report {
        engine: databases.engine_name(),
        durability,
        declarations: n,
        concurrency: c,
        e2e,
        direct,
        lanes,
        rows: templates.shape(),
        per_commit,
        batched,
    })
}

/// Resolves on Ctrl-C or SIGTERM, naming the signal.
pub(crate) async fn interrupted() -> &'static str {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        if let Ok(mut term) = signal(SignalKind::terminate()) {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => return "Ctrl-C",
                _ = term.recv() => return "SIGTERM",
            }
        }
    }
    let _ = tokio::signal::ctrl_c().await;
    "Ctrl-C"
}

/// Every filing answered as committed must be in the database.
async fn check_filed(store: &guomen_store::Store, expected: usize) -> anyhow::Result<()> {
    let stored = store.count("declarations").await?;
    if stored != expected as i64 {
        bail!("{expected} filings were acknowledged but {stored} declarations are stored");
    }
    Ok(())
}

/// Progress goes to standard error so that standard output holds only the results.
pub(crate) fn say(line: &str) {
    eprintln!("{line}");
}

/// `count` per second of `wall`.
pub(crate) fn rate(count: usize, wall: Duration) -> f64 {
    count as f64 / wall.as_secs_f64().max(f64::EPSILON)
}
