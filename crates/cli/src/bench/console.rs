//! `guomen bench console`: how long the console's busiest pages take on the server with a big
//! store. It fills a fresh database with N declarations (a year of them, default 1,000,000)
//! through the store's write path, serves the real API and console in-process, signs an officer
//! in, and requests the officer's queue and the dashboard many times, reading each answer's
//! `Server-Timing` (the console's own time for the page) as well as the client's latency.

use super::{console_fill, data, say, target};
use anyhow::{bail, Context};
use guomen_domain::party::Role;
use guomen_store::console::ConsoleCommand;
use guomen_store::AdminCommand;
use guomen_store::{secrets, Command};
use std::process::ExitCode;
use std::time::{Duration, Instant};

#[derive(clap::Args, Debug)]
pub struct ConsoleArgs {
    /// Declarations to store before measuring.
    #[arg(long, default_value_t = 1_000_000)]
    pub declarations: u64,
    /// Requests per page measured (after 20 warm-up requests each).
    #[arg(long, default_value_t = 300)]
    pub requests: usize,
    /// Filing tasks in flight while filling (group commit takes them in batches).
    #[arg(long, default_value_t = 1024)]
    pub concurrency: usize,
    /// PostgreSQL URL to measure instead of a fresh SQLite database; the bench works in a fresh
    /// schema it drops afterwards.
    #[arg(long)]
    pub database: Option<String>,
    /// Print the results as a Markdown table (for docs/PERFORMANCE.md).
    #[arg(long)]
    pub markdown: bool,
}

struct PageFigures {
    page: String,
    server: Vec<Duration>,
    client: Vec<Duration>,
    bytes: usize,
}

fn pct(v: &[Duration], p: f64) -> Duration {
    let mut v = v.to_vec();
    v.sort();
    v[((v.len() as f64 - 1.0) * p).round() as usize]
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

pub async fn run(args: ConsoleArgs) -> anyhow::Result<ExitCode> {
    if args.declarations == 0 || args.requests == 0 || args.concurrency == 0 {
        bail!("--declarations, --requests and --concurrency must be at least 1");
    }
    let mut databases = target::Databases::new(args.database.as_deref())?;
    let outcome = measure(&args, &mut databases).await;
    databases.remove_all().await;
    let (rows, fill_time, queue_len) = outcome?;
    let engine = databases.engine_name();
    if args.markdown {
        println!("| Engine | Declarations | Fill | Open in queue | Page | Server p50 | Server p99 | Server max | Client p50 | Client p99 | HTML |");
        println!("|---|--:|--:|--:|---|--:|--:|--:|--:|--:|--:|");
        for r in &rows {
            println!(
                "| {engine} | {} | {:.0} s | {queue_len} | `{}` | {} | {} | {} | {} | {} | {} KB |",
                args.declarations,
                fill_time.as_secs_f64(),
                r.page,
                ms(pct(&r.server, 0.5)),
                ms(pct(&r.server, 0.99)),
                ms(pct(&r.server, 1.0)),
                ms(pct(&r.client, 0.5)),
                ms(pct(&r.client, 0.99)),
                r.bytes / 1024
            );
        }
    } else {
        println!(
            "guomen bench console: {engine}, {} declarations (filled in {:.0} s), {queue_len} waiting in the officer queue",
            args.declarations,
            fill_time.as_secs_f64()
        );
        for r in &rows {
            println!(
                "  {:<28} server p50 {:>9}  p99 {:>9}  max {:>9}   client p50 {:>9}  p99 {:>9}   {} KB",
                r.page,
                ms(pct(&r.server, 0.5)),
                ms(pct(&r.server, 0.99)),
                ms(pct(&r.server, 1.0)),
                ms(pct(&r.client, 0.5)),
                ms(pct(&r.client, 0.99)),
                r.bytes / 1024
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

async fn measure(args: &ConsoleArgs, databases: &mut target::Databases) -> anyhow::Result<(Vec<PageFigures>, Duration, i64)> {
    let loc = databases.fresh().await?;
    let store = target::open_store(&loc).await?;
    let port = data::set_up(&store).await?;
    say(&format!("guomen bench console: filing {} declarations over the last year ({} in flight)", args.declarations, args.concurrency));
    let started = Instant::now();
    console_fill::fill(&store, &port, args.declarations, args.concurrency).await?;
    let fill_time = started.elapsed();
    // The pages are timed against a database as it stands after bulk work is folded in.
    store.checkpoint().await?;
    let stored = store.count("declarations").await?;
    if stored != args.declarations as i64 {
        bail!("{} declarations were filed but {stored} are stored", args.declarations);
    }
    let queue_len = store.count("officer_queue").await?;
    say(&format!("filled in {:.0} s; {queue_len} declarations wait in the officer queue", fill_time.as_secs_f64()));

    // An officer's session, opened the way the sign-in page opens one.
    let officer = "bench-officer";
    store
        .execute(
            crate::cli::cli_actor(),
            AdminCommand::CreateUser {
                username: officer.into(),
                password_hash: secrets::hash_password("bench-officer-pass"),
                role: Role::Officer,
                enterprise: None,
            },
        )
        .await?;
    let session = secrets::new_secret();
    let expires = (time::OffsetDateTime::now_utc().unix_timestamp() + 3600) * 1000;
    let cmd = ConsoleCommand::OpenSession {
        session_hash: guomen_web_session_hash(&session),
        csrf: secrets::new_secret(),
        username: officer.into(),
        client: "127.0.0.1".into(),
        expires_at_ms: expires,
    };
    store.execute(crate::cli::cli_actor(), Command::Console(cmd)).await?;

    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    let files = std::env::temp_dir().join(format!("guomen-bench-files-{}", std::process::id()));
    let app = guomen_api::router_with_files(store.clone(), files.clone()).merge(guomen_web::router(store.clone()));
    let server = tokio::spawn(async move { axum::serve(listener, app).await });
    let http = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build()?;
    let base = format!("http://{addr}");

    // The queue's tenth page: keyset paging must not slow down with depth.
    let mut deep = String::from("/queue");
    for _ in 0..9 {
        let page = store
            .officer_queue(&guomen_store::console::reads::QueueFilter {
                after: deep
                    .strip_prefix("/queue?after=")
                    .and_then(|c| c.split_once('.'))
                    .and_then(|(m, id)| Some((m.parse().ok()?, id.to_owned()))),
                limit: 50,
                ..Default::default()
            })
            .await?;
        if let Some(last) = page.last() {
            deep = format!("/queue?after={}.{}", last.filed_at_ms, last.id);
        }
    }
    let pages = ["/queue".to_owned(), "/queue?lane=red".to_owned(), deep, "/dashboard".to_owned(), "/dashboard?days=365".to_owned()];
    let mut rows = Vec::new();
    for page in pages {
        let mut server = Vec::with_capacity(args.requests);
        let mut client = Vec::with_capacity(args.requests);
        let mut bytes = 0;
        for i in 0..args.requests + 20 {
            let t = Instant::now();
            let res = http.get(format!("{base}{page}")).header("cookie", format!("gm_session={session}")).send().await?;
            let status = res.status();
            let timing = res.headers().get("server-timing").and_then(|v| v.to_str().ok()).map(str::to_owned);
            let body = res.bytes().await?;
            let elapsed = t.elapsed();
            if status != 200 {
                bail!("GET {page} answered {status}");
            }
            let dur =
                timing.as_deref().and_then(|t| t.split("dur=").nth(1)).and_then(|d| d.parse::<f64>().ok()).context("no Server-Timing")?;
            if i >= 20 {
                server.push(Duration::from_secs_f64(dur / 1000.0));
                client.push(elapsed);
                bytes = body.len();
            }
        }
        say(&format!("  {page}: server p50 {} p99 {}", ms(pct(&server, 0.5)), ms(pct(&server, 0.99))));
        rows.push(PageFigures { page, server, client, bytes });
    }
    server.abort();
    drop(store);
    Ok((rows, fill_time, queue_len))
}

/// The console keeps SHA-256 of the session id, hex, as it does for API tokens.
fn guomen_web_session_hash(id: &str) -> String {
    secrets::token_hash(id)
}
