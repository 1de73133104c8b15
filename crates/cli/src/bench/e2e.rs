//! End to end: the real API served in-process on 127.0.0.1, and C clients filing declarations
//! over keep-alive HTTP/1.1 connections. A 201 means the declaration, its journal entries, its
//! view row and its outbox messages are durably committed.
//!
//! Beside it, as a diagnostic, the same filings handed straight to `Store::execute` by C tasks,
//! parsed and validated beforehand: the store's write path without HTTP.

use super::data::Declarations;
use anyhow::{bail, Context};
use axum::serve::ListenerExt;
use guomen_domain::declaration::{validate, DeclarationContent, DeclarationDraft, ValidationContext};
use guomen_domain::types::CustomsCode;
use guomen_store::DeclarationCommand;
use guomen_store::Store;
use sqlx::Row;
use std::future::{Future, IntoFuture};
use std::ops::Range;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

pub struct Measured {
    pub count: usize,
    pub wall: Duration,
    pub p50: Duration,
    pub p99: Duration,
    pub max: Duration,
    /// Writer transactions (group commits) during the timed part.
    pub commits: u64,
}

impl Measured {
    pub fn per_second(&self) -> f64 {
        super::rate(self.count, self.wall)
    }

    /// Declarations per group commit, on average.
    pub fn per_commit(&self) -> f64 {
        self.count as f64 / self.commits.max(1) as f64
    }
}

/// Files `warmup` then `n` declarations over HTTP with `clients` concurrent clients; times the
/// second part.
pub async fn http(
    store: &Store,
    token: &str,
    declarations: &Declarations,
    warmup: usize,
    n: usize,
    clients: usize,
) -> anyhow::Result<Measured> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    let listener = listener.tap_io(|tcp| {
        let _ = tcp.set_nodelay(true);
    });
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(
        axum::serve(listener, guomen_api::router(store.clone()))
            .with_graceful_shutdown(async {
                let _ = stopped.await;
            })
            .into_future(),
    );

    // Bodies are made before the clock starts: producing them is the client's work, not Guomen's.
    let bodies: Arc<Vec<axum::body::Bytes>> = Arc::new((0..warmup + n).map(|i| declarations.body(i as u64)).collect());
    let client = reqwest::Client::builder().pool_max_idle_per_host(clients).tcp_nodelay(true).build()?;
    let url = Arc::new(format!("http://{addr}/api/v1/declarations"));
    let authorization = Arc::new(format!("Bearer {token}"));
    let file = move |i: usize| {
        let (client, url, authorization, bodies) = (client.clone(), url.clone(), authorization.clone(), bodies.clone());
        async move {
            let res = client
                .post(url.as_str())
                .header(reqwest::header::AUTHORIZATION, authorization.as_str())
                .header(reqwest::header::CONTENT_TYPE, "application/json")
                .body(bodies[i].clone())
                .send()
                .await
                .map_err(|e| format!("{e:#}"))?;
            let status = res.status();
            let text = res.bytes().await.map_err(|e| format!("{e:#}"))?;
            if status == reqwest::StatusCode::CREATED {
                Ok(())
            } else {
                Err(format!("HTTP {status}: {}", String::from_utf8_lossy(&text)))
            }
        }
    };
    let outcome = measure(store, file, warmup, n, clients).await;
    let _ = stop.send(());
    server.await.context("the API server panicked")?.context("the API server failed")?;
    outcome
}

/// Files the same declarations by calling `Store::execute` from `tasks` concurrent tasks, as the
/// API handler does after authenticating, parsing and validating — all of which is done here
/// before the clock starts.
pub async fn direct(
    store: &Store,
    token: &str,
    declarations: &Declarations,
    warmup: usize,
    n: usize,
    tasks: usize,
) -> anyhow::Result<Measured> {
    let actor = store.actor_for_token(token).await?.context("the bench token is not valid")?;
    let filer = actor.enterprise.clone().context("the bench token has no enterprise")?;
    let contents = Arc::new(contents(store, declarations, warmup + n)?);
    let store2 = store.clone();
    let file = move |i: usize| {
        let (store, actor, filer, contents) = (store2.clone(), actor.clone(), filer.clone(), contents.clone());
        async move {
            let command =
                DeclarationCommand::File { content: contents[i].clone(), filed_by: filer, idempotency: None, seed: rand::random() };
            store.execute(actor, command).await.map(|_| ()).map_err(|e| e.to_string())
        }
    };
    measure(store, file, warmup, n, tasks).await
}

/// Parses and validates the first `count` bodies as the API would.
fn contents(store: &Store, declarations: &Declarations, count: usize) -> anyhow::Result<Vec<DeclarationContent>> {
    let dir = store.directory().read().expect("directory lock");
    let ctx = ValidationContext {
        today: time::OffsetDateTime::now_utc().date(),
        enterprise: &|c: &CustomsCode| dir.enterprises.get(c.as_str()).cloned(),
        site_known: &|s: &str| dir.sites.contains_key(s),
    };
    (0..count)
        .map(|i| {
            let draft: DeclarationDraft = serde_json::from_slice(&declarations.body(i as u64))?;
            validate(&draft, &ctx).map_err(|e| anyhow::anyhow!("declaration {i} is invalid: {e:?}"))
        })
        .collect()
}

/// Runs `file` for `0..warmup`, then times it for `warmup..warmup + n`, counting group commits.
async fn measure<F, Fut>(store: &Store, file: F, warmup: usize, n: usize, clients: usize) -> anyhow::Result<Measured>
where
    F: Fn(usize) -> Fut + Clone + Send + Sync + 'static,
    Fut: Future<Output = Result<(), String>> + Send + 'static,
{
    drive(file.clone(), 0..warmup, clients).await?;
    let (commits_before, _) = store.writer_stats();
    let started = Instant::now();
    let mut latencies = drive(file, warmup..warmup + n, clients).await?;
    let wall = started.elapsed();
    let (commits_after, _) = store.writer_stats();
    let commits = commits_after - commits_before;
    latencies.sort_unstable();
    Ok(Measured {
        count: n,
        wall,
        p50: percentile(&latencies, 50.0),
        p99: percentile(&latencies, 99.0),
        max: *latencies.last().expect("n ≥ 1"),
        commits,
    })
}

/// Runs `file(i)` for every `i` in `range`, `clients` at a time; returns each call's latency.
/// Any failure stops the run and voids it.
async fn drive<F, Fut>(file: F, range: Range<usize>, clients: usize) -> anyhow::Result<Vec<Duration>>
where
    F: Fn(usize) -> Fut + Clone + Send + Sync + 'static,
    Fut: Future<Output = Result<(), String>> + Send + 'static,
{
    let next = Arc::new(AtomicUsize::new(range.start));
    let end = range.end;
    let failed = Arc::new(AtomicBool::new(false));
    let first_error: Arc<Mutex<Option<String>>> = Arc::new(Mutex::new(None));
    let mut tasks = Vec::with_capacity(clients);
    for _ in 0..clients {
        let (file, next, failed, first_error) = (file.clone(), next.clone(), failed.clone(), first_error.clone());
        tasks.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            while !failed.load(Ordering::Relaxed) {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= end {
                    break;
                }
                let started = Instant::now();
                match file(i).await {
                    Ok(()) => latencies.push(started.elapsed()),
                    Err(e) => {
                        failed.store(true, Ordering::Relaxed);
                        first_error.lock().expect("error slot").get_or_insert(format!("declaration {i}: {e}"));
                    }
                }
            }
            latencies
        }));
    }
    let mut all = Vec::with_capacity(range.len());
    for t in tasks {
        all.extend(t.await.context("a client task panicked")?);
    }
    if let Some(e) = first_error.lock().expect("error slot").take() {
        bail!("a filing failed, so the run is void: {e}");
    }
    if all.len() != range.len() {
        bail!("{} of {} filings succeeded", all.len(), range.len());
    }
    Ok(all)
}

/// The nearest-rank percentile of sorted values.
fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

/// How targeting routed the filings: (lane, count).
pub async fn lanes(store: &Store) -> anyhow::Result<Vec<(String, i64)>> {
    let rows = sqlx::query("SELECT lane, COUNT(*) FROM declarations GROUP BY lane ORDER BY lane").fetch_all(store.read_pool()).await?;
    rows.iter().map(|r| Ok((r.try_get::<String, _>(0)?, r.try_get::<i64, _>(1)?))).collect()
}
