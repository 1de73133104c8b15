//! `guomen bench ceb`: cross-border e-commerce at national scale. Generates realistic traffic
//! (orders, payments, waybills and inventory lists, K documents per message, for millions of
//! distinct buyers, some of whom exhaust their quota), then drives the full customs path for
//! every message — read and check against the XSD rules, three-document check, quota
//! reservation, identity guard, tax and guarantee, targeting, durable group commit, receipt —
//! from C concurrent senders, and reports inventory lists per second with message latencies.
//! Beside it: raw appends of the same bytes, with the same durability and the same number of
//! rows per commit, into a fresh database of the same engine — how far the path is from what
//! the engine can write at all.
//!
//! The messages go through `guomen_service::ceb::process`, the use case behind `POST /api/v1/ceb`,
//! in-process (no HTTP framing); the per-buyer flood guard, an edge protection against abuse,
//! is off, since heavy buyers are part of the load.

mod raw;
pub(crate) mod traffic;

use super::target::{self, Databases};
use super::{rate, say};
use anyhow::{bail, Context};
use guomen_domain::ceb::GuaranteeKind;
use guomen_domain::party::{Actor, Role};
use guomen_messages::ceb::compose::{self, Transfer};
use guomen_service::ceb::{process, Sender};
use guomen_store::ceb::CebCommand;
use guomen_store::RiskCommand;
use guomen_store::{Command, Store};
use rust_decimal::Decimal;
use std::process::ExitCode;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use traffic::Traffic;

#[derive(clap::Args, Debug, Clone)]
pub struct CebBenchArgs {
    /// Parcels (one inventory list each) in the timed run; a warm-up of 2% more runs first.
    #[arg(long, default_value_t = 200_000)]
    pub parcels: u64,
    /// Documents per message (1–100, as the XSD allows).
    #[arg(long, default_value_t = 10)]
    pub per_message: u64,
    /// Concurrent senders; each sends a batch's order, payment and waybill messages at once,
    /// then its inventory message.
    #[arg(long, default_value_t = 128)]
    pub clients: usize,
    /// PostgreSQL URL to measure instead of a fresh SQLite database.
    #[arg(long)]
    pub database: Option<String>,
    /// Print the result as a Markdown table row.
    #[arg(long)]
    pub markdown: bool,
    /// Keep the databases afterwards (for inspection) instead of removing them.
    #[arg(long)]
    pub keep: bool,
}

fn actor() -> Actor {
    Actor { id: "bench".into(), role: Some(Role::Admin), enterprise: None }
}

/// One batch: the four messages of `per_message` parcels.
struct Batch {
    parcels: u64,
    orders: Vec<u8>,
    payments: Vec<u8>,
    waybills: Vec<u8>,
    inventories: Vec<u8>,
}

fn transfer(code: &str, name: &str) -> Transfer {
    Transfer { cop_code: code.into(), cop_name: name.into(), dxp_id: "DXPENT0000000001".into() }
}

/// Writes the messages of parcels `from..to` in batches of `k`, on every core.
fn generate(t: &Arc<Traffic>, from: u64, to: u64, k: u64) -> Vec<Batch> {
    let starts: Vec<u64> = (from..to).step_by(k as usize).collect();
    let threads = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(2);
    let chunk = starts.len().div_ceil(threads).max(1);
    std::thread::scope(|s| {
        let handles: Vec<_> = starts
            .chunks(chunk)
            .map(|part| {
                let t = t.clone();
                s.spawn(move || {
                    part.iter()
                        .map(|&a| {
                            let b = (a + k).min(to);
                            let ps: Vec<traffic::Parcel> = (a..b).map(|i| t.parcel(i)).collect();
                            let orders: Vec<_> = ps.iter().map(|p| p.order.clone()).collect();
                            let payments: Vec<_> = ps.iter().map(|p| p.payment.clone()).collect();
                            let waybills: Vec<_> = ps.iter().map(|p| p.waybill.clone()).collect();
                            let inventories: Vec<_> = ps.iter().map(|p| p.inventory.clone()).collect();
                            // Each message comes from one sender: batches mix firms only where
                            // the sender's role allows (the bench sends as an operator).
                            Batch {
                                parcels: b - a,
                                orders: compose::ceb311(
                                    &t.message_guid(311, a),
                                    &orders,
                                    &transfer(&orders[0].ebp_code, &orders[0].ebp_name),
                                )
                                .into_bytes(),
                                payments: compose::ceb411(
                                    &t.message_guid(411, a),
                                    &payments,
                                    &transfer(&payments[0].pay_code, &payments[0].pay_name),
                                )
                                .into_bytes(),
                                waybills: compose::ceb511(
                                    &t.message_guid(511, a),
                                    &waybills,
                                    &transfer(&waybills[0].logistics_code, &waybills[0].logistics_name),
                                )
                                .into_bytes(),
                                inventories: compose::ceb621(
                                    &t.message_guid(621, a),
                                    &inventories,
                                    &transfer(&inventories[0].agent_code, &inventories[0].agent_name),
                                )
                                .into_bytes(),
                            }
                        })
                        .collect::<Vec<Batch>>()
                })
            })
            .collect();
        handles.into_iter().flat_map(|h| h.join().expect("generator thread")).collect()
    })
}

/// The targeting of a cross-border e-commerce office: cosmetics examined at random, a
/// price band on watches, and 1% pure random selection.
fn rules() -> serde_json::Value {
    serde_json::json!({
        "min_random_percent": "1",
        "criteria": [
            {"id": "CBEC-COSMETICS", "description": "cross-border cosmetics: random examination for banned ingredients",
             "when": {"hs_prefixes": ["3303", "3304"], "trade_modes": ["9610", "1210"]}, "lane": "red", "rate_percent": "2"},
            {"id": "CBEC-WATCH-UNDERVALUE", "description": "watches declared below 1,000 CNY a piece",
             "when": {"hs_prefixes": ["9102"], "unit_price": {"currency": "CNY", "below": "1000"}}, "lane": "yellow", "rate_percent": "20"},
            {"id": "CBEC-FORMULA", "description": "infant formula: document check of registration",
             "when": {"hs_prefixes": ["190110"]}, "lane": "yellow", "rate_percent": "1"}
        ]
    })
}

async fn set_up(store: &Store) -> anyhow::Result<()> {
    let ruleset: guomen_domain::risk::RuleSet = serde_json::from_value(rules())?;
    store
        .execute(actor(), RiskCommand::PublishRules { ruleset, reason: "cross-border e-commerce benchmark targeting".into() })
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    for k in 0..20 {
        let (code, _) = traffic::ecommerce(k);
        let cmd =
            Command::Ceb(CebCommand::AddGuarantee { code, kind: GuaranteeKind::BankLetter, amount: Decimal::from(1_000_000_000_000i64) });
        store.execute(actor(), cmd).await.map_err(|e| anyhow::anyhow!("{e}"))?;
    }
    Ok(())
}

pub struct Run {
    pub parcels: u64,
    pub messages: usize,
    pub wall: Duration,
    /// CPU time (user + system) the process spent, all threads: what the path costs, whatever
    /// else the machine is doing.
    pub cpu: Duration,
    /// The writer's time: carrying out commands, writing rows, committing (µs).
    pub writer: (u64, u64, u64),
    pub commits: u64,
    /// Latency of every message, sorted.
    pub latencies: Vec<Duration>,
    /// Latency of the inventory messages (receipt carries the decision), sorted.
    pub inventory_latencies: Vec<Duration>,
}

/// User + system CPU time of this process so far, from /proc (Linux); zero elsewhere.
fn cpu_time() -> Duration {
    let Ok(stat) = std::fs::read_to_string("/proc/self/stat") else { return Duration::ZERO };
    // Fields after the command name (which may hold spaces) start after the last ')'.
    let rest = stat.rsplit_once(')').map(|(_, r)| r).unwrap_or("");
    let f: Vec<&str> = rest.split_whitespace().collect();
    let ticks = |i: usize| f.get(i).and_then(|v| v.parse::<u64>().ok()).unwrap_or(0);
    // utime and stime are fields 14 and 15 of the line, 12 and 13 after the name.
    let hz = 100; // USER_HZ on Linux
    Duration::from_millis((ticks(11) + ticks(12)) * 1000 / hz)
}

fn pct(v: &[Duration], p: f64) -> Duration {
    if v.is_empty() {
        return Duration::ZERO;
    }
    v[((v.len() - 1) as f64 * p).round() as usize]
}

/// Sends the batches from `clients` tasks; times the whole.
async fn drive(store: &Store, batches: Arc<Vec<Batch>>, clients: usize) -> anyhow::Result<Run> {
    let next = Arc::new(AtomicUsize::new(0));
    let lat = Arc::new(Mutex::new((Vec::new(), Vec::new())));
    let (commits0, _) = store.writer_stats();
    let time0 = store.writer_time();
    let cpu0 = cpu_time();
    let start = Instant::now();
    let mut tasks = Vec::new();
    for c in 0..clients {
        let (store, batches, next, lat) = (store.clone(), batches.clone(), next.clone(), lat.clone());
        tasks.push(tokio::spawn(async move {
            let actor = actor();
            let mut mine = (Vec::new(), Vec::new());
            let mut seed = c as u64;
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(b) = batches.get(i) else { break };
                seed = traffic::mix(seed);
                let send = |xml: &[u8], seed: u64| {
                    let (store, actor) = (&store, &actor);
                    let xml = xml.to_vec();
                    async move {
                        let t = Instant::now();
                        let p = process(store, None, actor, Sender::Operator, &xml, seed).await.map_err(|e| anyhow::anyhow!("{e:?}"))?;
                        anyhow::Ok((t.elapsed(), p))
                    }
                };
                let (o, p, w) = tokio::join!(send(&b.orders, seed), send(&b.payments, seed ^ 1), send(&b.waybills, seed ^ 2));
                for r in [o?, p?, w?] {
                    if r.1.answers.iter().any(|a| a.status != "120") {
                        bail!("a document was refused: {:?}", r.1.answers.iter().find(|a| a.status != "120"));
                    }
                    mine.0.push(r.0);
                }
                let (t, inv) = send(&b.inventories, seed ^ 3).await?;
                if inv.answers.len() as u64 != b.parcels {
                    bail!("{} answers for {} inventory lists", inv.answers.len(), b.parcels);
                }
                mine.0.push(t);
                mine.1.push(t);
            }
            let mut l = lat.lock().expect("latencies");
            l.0.extend(mine.0);
            l.1.extend(mine.1);
            anyhow::Ok(())
        }));
    }
    for t in tasks {
        t.await.context("sender task")??;
    }
    let wall = start.elapsed();
    let cpu = cpu_time().saturating_sub(cpu0);
    let (commits1, _) = store.writer_stats();
    let time1 = store.writer_time();
    let writer = (time1.0 - time0.0, time1.1 - time0.1, time1.2 - time0.2);
    let (mut all, mut inv) = std::mem::take(&mut *lat.lock().expect("latencies"));
    all.sort();
    inv.sort();
    Ok(Run {
        parcels: batches.iter().map(|b| b.parcels).sum(),
        messages: all.len(),
        wall,
        cpu,
        writer,
        commits: commits1 - commits0,
        latencies: all,
        inventory_latencies: inv,
    })
}

pub async fn run(args: CebBenchArgs) -> anyhow::Result<ExitCode> {
    if args.parcels == 0 || args.clients == 0 || !(1..=100).contains(&args.per_message) {
        bail!("--parcels and --clients must be at least 1, --per-message 1 to 100");
    }
    let mut databases = Databases::new(args.database.as_deref())?;
    let outcome = tokio::select! {
        o = measure(&args, &mut databases) => o,
        s = super::interrupted() => Err(anyhow::anyhow!("interrupted by {s}")),
    };
    if args.keep {
        for place in databases.keep_all() {
            say(&format!("kept {place}"));
        }
    } else {
        databases.remove_all().await;
    }
    let report = outcome?;
    print!("{}", if args.markdown { report.markdown() } else { report.text() });
    Ok(ExitCode::SUCCESS)
}

pub struct Report {
    engine: &'static str,
    durability: String,
    args: CebBenchArgs,
    run: Run,
    outcomes: Vec<(String, i64)>,
    distinct_buyers: i64,
    bytes_per_parcel: f64,
    rows_per_parcel: f64,
    raw: raw::Raw,
}

async fn measure(args: &CebBenchArgs, databases: &mut Databases) -> anyhow::Result<Report> {
    let durability = databases.durability().await?;
    let n = args.parcels;
    let warm = (n / 50).max(args.per_message * args.clients as u64);
    say(&format!(
        "guomen bench ceb: {} ({durability}), {n} parcels + {warm} warm-up, {} documents per message, {} senders",
        databases.engine_name(),
        args.per_message,
        args.clients
    ));
    let traffic = Arc::new(Traffic::new(n + warm, args.per_message, std::process::id() as u64));
    let t = Instant::now();
    let warm_batches = Arc::new(generate(&traffic, 0, warm, args.per_message));
    let batches = Arc::new(generate(&traffic, warm, warm + n, args.per_message));
    let bytes: usize = batches.iter().map(|b| b.orders.len() + b.payments.len() + b.waybills.len() + b.inventories.len()).sum();
    say(&format!(
        "generated {} messages ({:.0} MB) in {:.1} s; {} heavy buyers share 2% of the parcels",
        batches.len() * 4,
        bytes as f64 / 1e6,
        t.elapsed().as_secs_f64(),
        traffic.heavy_buyers()
    ));

    let loc = databases.fresh().await?;
    let store = target::open_store(&loc).await?;
    set_up(&store).await?;
    drive(&store, warm_batches, args.clients).await?;
    say("warm-up done; timing");
    let run = drive(&store, batches, args.clients).await?;
    say(&format!(
        "{:.0} inventory lists/s, message p50 {:.1} ms, p99 {:.1} ms, {:.0} inventory lists per commit",
        rate(run.parcels as usize, run.wall),
        pct(&run.latencies, 0.5).as_secs_f64() * 1e3,
        pct(&run.latencies, 0.99).as_secs_f64() * 1e3,
        run.parcels as f64 / run.commits.max(1) as f64
    ));
    let total = store.count("ceb_inventories").await.map_err(|e| anyhow::anyhow!("{e}"))?;
    if total as u64 != n + warm {
        bail!("{total} inventory lists stored, {} acknowledged", n + warm);
    }
    store.checkpoint().await.map_err(|e| anyhow::anyhow!("{e}"))?;
    let pool = store.read_pool();
    let outcomes: Vec<(String, i64)> = {
        use sqlx::Row;
        sqlx::query("SELECT status, COUNT(*) FROM ceb_inventories GROUP BY status ORDER BY 2 DESC")
            .fetch_all(pool)
            .await?
            .iter()
            .map(|r| Ok((r.try_get::<String, _>(0)?, r.try_get::<i64, _>(1)?)))
            .collect::<Result<_, sqlx::Error>>()?
    };
    let distinct_buyers: i64 = sqlx::query_scalar("SELECT COUNT(DISTINCT buyer) FROM ceb_inventories").fetch_one(pool).await?;
    let shape = raw::Shape::read(pool).await?;
    let per_commit_rows = (shape.rows as f64 / (run.commits.max(1) as f64)).ceil().max(1.0) as usize;
    drop(store);
    say(&format!("raw appends of the same {} rows ({:.0} MB), {per_commit_rows} rows per commit", shape.rows, shape.bytes as f64 / 1e6));
    let raw_loc = databases.fresh().await?;
    let raw = raw::append(&loc, &raw_loc, per_commit_rows).await?;
    let parcels = (n + warm) as f64;
    Ok(Report {
        engine: databases.engine_name(),
        durability,
        args: args.clone(),
        run,
        outcomes,
        distinct_buyers,
        bytes_per_parcel: shape.bytes as f64 / parcels,
        rows_per_parcel: shape.rows as f64 / parcels,
        raw: raw.scaled(parcels),
    })
}

impl Report {
    fn per_second(&self) -> f64 {
        rate(self.run.parcels as usize, self.run.wall)
    }

    pub fn text(&self) -> String {
        let r = &self.run;
        let mut s = String::new();
        s.push_str(&format!("guomen bench ceb — {} ({})\n", self.engine, self.durability));
        s.push_str(&format!(
            "  {} parcels ({} documents, {} messages of {} documents) from {} senders in {:.2} s\n",
            r.parcels,
            r.parcels * 4,
            r.messages,
            self.args.per_message,
            self.args.clients,
            r.wall.as_secs_f64()
        ));
        s.push_str(&format!("  inventory lists per second:   {:.0}\n", self.per_second()));
        s.push_str(&format!("  documents per second:         {:.0}\n", self.per_second() * 4.0));
        s.push_str(&format!(
            "  CPU time:                     {:.2} s over {:.2} s wall ({:.0} µs per parcel, {:.0} parcels per CPU-second)\n",
            r.cpu.as_secs_f64(),
            r.wall.as_secs_f64(),
            r.cpu.as_secs_f64() * 1e6 / r.parcels.max(1) as f64,
            r.parcels as f64 / r.cpu.as_secs_f64().max(f64::EPSILON)
        ));
        s.push_str(&format!(
            "  message latency:              p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms\n",
            pct(&r.latencies, 0.5).as_secs_f64() * 1e3,
            pct(&r.latencies, 0.99).as_secs_f64() * 1e3,
            r.latencies.last().copied().unwrap_or_default().as_secs_f64() * 1e3
        ));
        s.push_str(&format!(
            "  inventory message latency:    p50 {:.1} ms, p99 {:.1} ms\n",
            pct(&r.inventory_latencies, 0.5).as_secs_f64() * 1e3,
            pct(&r.inventory_latencies, 0.99).as_secs_f64() * 1e3
        ));
        let w = r.writer;
        let wall_us = r.wall.as_micros().max(1) as f64;
        s.push_str(&format!(
            "  writer busy:                  {:.0}% carrying out commands, {:.0}% writing rows, {:.0}% committing\n",
            w.0 as f64 * 100.0 / wall_us,
            w.1 as f64 * 100.0 / wall_us,
            w.2 as f64 * 100.0 / wall_us
        ));
        s.push_str(&format!("  inventory lists per commit:   {:.0} ({} commits)\n", r.parcels as f64 / r.commits.max(1) as f64, r.commits));
        s.push_str(&format!(
            "  outcomes: {}; {} distinct buyers\n",
            self.outcomes.iter().map(|(k, v)| format!("{k} {v}")).collect::<Vec<_>>().join(", "),
            self.distinct_buyers
        ));
        s.push_str(&format!("  written per parcel: {:.1} rows, {:.0} bytes\n", self.rows_per_parcel, self.bytes_per_parcel));
        s.push_str(&format!(
            "  raw appends of the same bytes: {:.0} parcels/s ({:.0} rows/s, {} rows per commit); end to end ÷ raw = {:.2}\n",
            self.raw.parcels_per_second,
            self.raw.rows_per_second,
            self.raw.rows_per_commit,
            self.per_second() / self.raw.parcels_per_second.max(f64::EPSILON)
        ));
        s
    }

    pub fn markdown(&self) -> String {
        let r = &self.run;
        format!(
            "| {} | {} | {} | {} | {:.0} | {:.1} ms | {:.1} ms | {:.0} | {:.1} / {:.0} B | {:.0} | {:.2} |\n",
            self.engine,
            r.parcels,
            self.args.per_message,
            self.args.clients,
            self.per_second(),
            pct(&r.latencies, 0.5).as_secs_f64() * 1e3,
            pct(&r.latencies, 0.99).as_secs_f64() * 1e3,
            r.parcels as f64 / r.commits.max(1) as f64,
            self.rows_per_parcel,
            self.bytes_per_parcel,
            self.raw.parcels_per_second,
            self.per_second() / self.raw.parcels_per_second.max(f64::EPSILON)
        )
    }
}
