//! `guomen bench targeting`: decisions per second of the targeting engine alone — `risk::assess`
//! on one core, no storage, no HTTP — over generated import declarations against generated rule
//! sets of growing size (see `risk::samples`), with the criteria index and, in the same run, by
//! the scan of every criterion the index replaced. Every declaration decided both ways must get
//! the same decision; the bench fails otherwise.

use super::say;
use anyhow::bail;
use guomen_domain::party::CreditGrade;
use guomen_domain::risk::{assess, assess_linear, index::Candidates, samples, Subject};
use std::fmt::Write;
use std::hint::black_box;
use std::process::ExitCode;
use std::time::{Duration, Instant};

#[derive(clap::Args, Debug)]
pub struct TargetingArgs {
    /// Declarations decided with the index at each rule-set size.
    #[arg(long, default_value_t = 100_000)]
    pub declarations: usize,
    /// Rule-set sizes (numbers of criteria), comma-separated.
    #[arg(long, value_delimiter = ',', default_values_t = vec![100, 1_000, 10_000])]
    pub criteria: Vec<usize>,
    /// How long the scan of every criterion runs at each size (it stops earlier when it has
    /// decided every declaration), in seconds.
    #[arg(long, default_value_t = 5.0)]
    pub linear_seconds: f64,
    /// Seed of the generated rule sets and declarations.
    #[arg(long, default_value_t = 2026)]
    pub seed: u64,
    /// Print the results as a Markdown table (for docs/PERFORMANCE.md).
    #[arg(long)]
    pub markdown: bool,
}

struct Row {
    criteria: usize,
    build: Duration,
    indexed: f64,
    linear: f64,
    linear_decided: usize,
    candidates: f64,
    hits: f64,
    selected: f64,
}

/// Decides `subjects` in order until `budget` has passed or the first `limit` are decided; the
/// count and the time taken.
fn run(subjects: &[Subject<'_>], limit: usize, budget: Duration, decide: impl Fn(&Subject<'_>, u64) -> usize) -> (usize, Duration) {
    let start = Instant::now();
    let mut n = 0;
    while n < limit {
        let end = (n + 1_000).min(limit);
        for (i, s) in subjects[n..end].iter().enumerate() {
            black_box(decide(black_box(s), (n + i) as u64));
        }
        n = end;
        if start.elapsed() >= budget {
            break;
        }
    }
    (n, start.elapsed())
}

pub fn run_bench(args: TargetingArgs) -> anyhow::Result<ExitCode> {
    if args.declarations == 0 || args.criteria.is_empty() || args.criteria.contains(&0) {
        bail!("--declarations and every --criteria size must be at least 1");
    }
    let declarations = samples::declarations(args.declarations, args.seed);
    let subjects: Vec<Subject<'_>> = declarations.iter().map(|d| d.subject()).collect();
    let lines: usize = declarations.iter().map(|d| d.items.len()).sum();
    say(&format!(
        "guomen bench targeting: {} generated import declarations ({:.2} goods lines each), one core",
        args.declarations,
        lines as f64 / args.declarations as f64
    ));
    let grade = CreditGrade::Registered;
    let mut rows = Vec::new();
    for &n in &args.criteria {
        let rules = samples::rule_set(n, args.seed ^ n as u64);
        let start = Instant::now();
        let index = guomen_domain::risk::CriteriaIndex::build(&rules);
        let build = start.elapsed();
        rules.index();

        // What the index hands the predicates, and what hits.
        let (mut candidates, mut hits, mut selected) = (0usize, 0usize, 0usize);
        let mut out = Candidates::default();
        for (i, s) in subjects.iter().enumerate() {
            index.candidates(s, &mut out);
            candidates += out.as_slice().len();
            let d = assess(s, grade, &rules, i as u64);
            hits += d.hits.len();
            selected += usize::from(d.lane != guomen_domain::risk::Lane::Green);
        }

        let (k, t) = run(&subjects, args.declarations, Duration::MAX, |s, seed| assess(s, grade, &rules, seed).hits.len());
        let indexed = super::rate(k, t);
        let budget = Duration::from_secs_f64(args.linear_seconds.max(0.1));
        let (linear_decided, t) = run(&subjects, args.declarations, budget, |s, seed| assess_linear(s, grade, &rules, seed).hits.len());
        let linear = super::rate(linear_decided, t);

        // The index must change nothing: every declaration the scan decided, decided both ways.
        for (i, s) in subjects.iter().enumerate().take(linear_decided) {
            if assess(s, grade, &rules, i as u64) != assess_linear(s, grade, &rules, i as u64) {
                bail!("{n} criteria: declaration {i} is decided differently with the index and by the scan");
            }
        }
        let d = args.declarations as f64;
        let row = Row {
            criteria: n,
            build,
            indexed,
            linear,
            linear_decided,
            candidates: candidates as f64 / d,
            hits: hits as f64 / d,
            selected: selected as f64 / d,
        };
        say(&format!(
            "{n} criteria: {:.0} decisions/s with the index, {:.0}/s by scanning ({:.1}×); {:.2} candidates, {:.2} hits per declaration",
            row.indexed,
            row.linear,
            row.indexed / row.linear,
            row.candidates,
            row.hits
        ));
        rows.push(row);
    }
    print!("{}", if args.markdown { markdown(&args, &rows) } else { text(&rows) });
    Ok(ExitCode::SUCCESS)
}

fn text(rows: &[Row]) -> String {
    let mut s = String::new();
    for r in rows {
        let _ = writeln!(
            s,
            "{:>6} criteria: indexed {:>10.0}/s  linear {:>9.0}/s ({} decided)  ×{:.1}  candidates {:.2}  hits {:.2}  not green {:.1}%  index built in {:.1} ms",
            r.criteria,
            r.indexed,
            r.linear,
            r.linear_decided,
            r.indexed / r.linear,
            r.candidates,
            r.hits,
            r.selected * 100.0,
            r.build.as_secs_f64() * 1000.0
        );
    }
    s
}

fn markdown(args: &TargetingArgs, rows: &[Row]) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "| criteria | with the index (decisions/s) | scanning every criterion (decisions/s) | index ÷ scan | candidates per declaration | hits per declaration | index built in |"
    );
    let _ = writeln!(s, "|---:|---:|---:|---:|---:|---:|---:|");
    for r in rows {
        let _ = writeln!(
            s,
            "| {} | {:.0} | {:.0} | {:.1}× | {:.2} | {:.2} | {:.1} ms |",
            r.criteria,
            r.indexed,
            r.linear,
            r.indexed / r.linear,
            r.candidates,
            r.hits,
            r.build.as_secs_f64() * 1000.0
        );
    }
    if let (Some(first), Some(last)) = (rows.first(), rows.last()) {
        if last.criteria > first.criteria {
            let grow = last.criteria as f64 / first.criteria as f64;
            let _ = writeln!(
                s,
                "\nFrom {} to {} criteria ({grow:.0}× as many) a decision costs {:.1}× as much with the index, {:.1}× as much by scanning.",
                first.criteria,
                last.criteria,
                first.indexed / last.indexed,
                first.linear / last.linear
            );
        }
    }
    let _ = writeln!(s, "\n{} declarations, seed {}.", args.declarations, args.seed);
    s
}
