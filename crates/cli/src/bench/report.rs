//! The results, as text for a terminal or as a Markdown table for docs/PERFORMANCE.md.

use super::{e2e, raw, WARMUP};
use std::fmt::Write;
use std::time::Duration;

pub struct Report {
    pub engine: &'static str,
    /// The engine's version and durability settings, as it reports them.
    pub durability: String,
    pub declarations: usize,
    pub concurrency: usize,
    pub e2e: e2e::Measured,
    /// The same filings through `Store::execute`, without HTTP.
    pub direct: e2e::Measured,
    pub lanes: Vec<(String, i64)>,
    pub rows: raw::Shape,
    pub per_commit: raw::Measured,
    pub batched: raw::Measured,
}

/// Milliseconds with one decimal.
pub fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

/// A whole number with thousands separators.
fn thousands(x: f64) -> String {
    let digits = format!("{:.0}", x.max(0.0));
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn ratio(a: f64, b: f64) -> String {
    if b > 0.0 {
        format!("{:.2}", a / b)
    } else {
        "–".into()
    }
}

impl Report {
    fn connections(&self, m: &raw::Measured) -> String {
        match m.connections {
            1 if self.engine == "SQLite" && m.per_commit == 1 => "1 connection (SQLite has one writer)".into(),
            1 => "1 connection".into(),
            c => format!("{c} concurrent connections"),
        }
    }

    pub fn text(&self) -> String {
        let mut s = String::new();
        let (e, d, r) = (&self.e2e, &self.direct, &self.rows);
        let lanes: Vec<String> = self.lanes.iter().map(|(lane, n)| format!("{lane} {}", thousands(*n as f64))).collect();
        let _ = writeln!(s, "Guomen bench — {} ({})", self.engine, self.durability);
        let _ = writeln!(
            s,
            "{} declarations after {WARMUP} warm-up, {} concurrent clients; every filing acknowledged only once durably committed\n",
            self.declarations, self.concurrency
        );
        let _ = writeln!(s, "End to end: HTTP → parse → validate → target → journal + view + outbox, group commit");
        let _ = writeln!(s, "  throughput     {} declarations/s ({} in {:.2} s)", thousands(e.per_second()), e.count, e.wall.as_secs_f64());
        let _ = writeln!(s, "  latency        p50 {}   p99 {}   max {}", ms(e.p50), ms(e.p99), ms(e.max));
        let _ = writeln!(s, "  group commits  {} ({:.1} declarations each)", e.commits, e.per_commit());
        let _ = writeln!(s, "  lanes          {} (warm-up included)", lanes.join(" · "));
        let _ = writeln!(s, "Store only (Store::execute from {} tasks, no HTTP; diagnostic)", self.concurrency);
        let _ = writeln!(
            s,
            "  throughput     {} declarations/s, p50 {}, p99 {}, {:.1} declarations per commit\n",
            thousands(d.per_second()),
            ms(d.p50),
            ms(d.p99),
            d.per_commit()
        );
        let _ = writeln!(
            s,
            "Raw insert of the same rows — per filing {:.2} rows ({:.2} journal, 1 declaration, {:.2} risk hits, {:.2} outbox), {:.1} KB of values — same durability, no HTTP, validation or targeting",
            r.rows,
            r.journal,
            r.risk_hits,
            r.outbox,
            r.bytes / 1024.0
        );
        for m in [&self.per_commit, &self.batched] {
            let _ = writeln!(
                s,
                "  {:>4} per commit, {:<38} {:>7} declarations/s {:>9} rows/s",
                m.per_commit,
                self.connections(m) + ":",
                thousands(m.per_second()),
                thousands(m.rows_per_second())
            );
        }
        let _ = writeln!(s);
        let header = [
            "engine",
            "N",
            "clients",
            "e2e decl/s",
            "p50",
            "p99",
            "raw 1/commit decl/s",
            "raw 1000/commit decl/s",
            "e2e ÷ raw 1/commit",
            "e2e ÷ raw 1000/commit",
        ];
        let row = [
            self.engine.to_owned(),
            self.declarations.to_string(),
            self.concurrency.to_string(),
            thousands(e.per_second()),
            ms(e.p50),
            ms(e.p99),
            thousands(self.per_commit.per_second()),
            thousands(self.batched.per_second()),
            ratio(e.per_second(), self.per_commit.per_second()),
            ratio(e.per_second(), self.batched.per_second()),
        ];
        let widths: Vec<usize> = header.iter().zip(&row).map(|(h, v)| h.chars().count().max(v.chars().count())).collect();
        for line in [header.map(str::to_owned), row] {
            let cells: Vec<String> = line.iter().zip(&widths).map(|(c, w)| format!("{c}{}", " ".repeat(w - c.chars().count()))).collect();
            let _ = writeln!(s, "{}", cells.join("  ").trim_end());
        }
        s
    }

    pub fn markdown(&self) -> String {
        let mut s = String::new();
        let (e, d) = (&self.e2e, &self.direct);
        let conns = |m: &raw::Measured| match m.connections {
            1 => "1 conn".to_owned(),
            c => format!("{c} conns"),
        };
        s.push_str("| Engine | N | Clients | End-to-end decl/s | p50 | p99 | max | Decl. per group commit | Store only decl/s | Raw, 1 decl/commit: decl/s (rows/s) | Raw, 1000 decl/commit: decl/s (rows/s) | e2e ÷ raw 1/commit | e2e ÷ raw 1000/commit |\n");
        s.push_str("|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|\n");
        let _ = writeln!(
            s,
            "| {} ({}) | {} | {} | {} | {} | {} | {} | {:.1} | {} | {} ({}), {} | {} ({}), {} | {} | {} |",
            self.engine,
            self.durability,
            thousands(self.declarations as f64),
            self.concurrency,
            thousands(e.per_second()),
            ms(e.p50),
            ms(e.p99),
            ms(e.max),
            e.per_commit(),
            thousands(d.per_second()),
            thousands(self.per_commit.per_second()),
            thousands(self.per_commit.rows_per_second()),
            conns(&self.per_commit),
            thousands(self.batched.per_second()),
            thousands(self.batched.rows_per_second()),
            conns(&self.batched),
            ratio(e.per_second(), self.per_commit.per_second()),
            ratio(e.per_second(), self.batched.per_second()),
        );
        s
    }
}
