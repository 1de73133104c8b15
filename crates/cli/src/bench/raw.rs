//! The baselines: the rows the end-to-end run wrote for its filings — journal entries, the
//! declaration row with its JSON document, risk hits, outbox messages — copied under new ids
//! and inserted straight into a fresh database of the same engine, through the store's own
//! writer connection settings (so with the same durability), with multi-row statements like the
//! store's group commit. No HTTP, no parsing, no validation, no targeting, no hashing.

use anyhow::{bail, Context};
use guomen_store::{connect_writer, Engine, Location, Store};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, AnyPool, Connection, Row};
use std::collections::HashMap;
use std::ops::Range;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Largest number of values bound in one statement, as in the store's batch flush.
const MAX_PARAMS: usize = 30_000;

/// Journal entries and outbox messages of copy `k` are numbered `k * STRIDE + j`: unique keys
/// without any coordination between inserting connections.
const STRIDE: i64 = 16;

/// How many filings are read back to be copied (cyclically).
const TEMPLATES: usize = 1000;

#[derive(Debug, Clone, Copy)]
enum Kind {
    Int,
    Text,
}

#[derive(Debug, Clone)]
enum Val {
    Int(Option<i64>),
    Text(Option<String>),
}

impl Val {
    fn bytes(&self) -> usize {
        match self {
            Val::Int(_) => 8,
            Val::Text(s) => s.as_ref().map_or(0, String::len),
        }
    }

    fn text(&self) -> Option<&str> {
        match self {
            Val::Text(Some(s)) => Some(s),
            _ => None,
        }
    }
}

type Rows = Vec<Vec<Val>>;

/// A table's columns as the database describes them, in order. Guomen's tables use only BIGINT
/// and TEXT; whatever columns the migrations have added, every one is copied.
struct Table {
    name: &'static str,
    columns: Vec<(String, Kind)>,
}

impl Table {
    async fn describe(pool: &AnyPool, engine: Engine, name: &'static str) -> anyhow::Result<Table> {
        let sql = match engine {
            Engine::Sqlite => "SELECT name, type FROM pragma_table_info($1) ORDER BY cid",
            Engine::Postgres => {
                "SELECT column_name::text, data_type::text FROM information_schema.columns \
                 WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position"
            }
        };
        let rows = sqlx::query(sql).bind(name).fetch_all(pool).await?;
        let columns = rows
            .iter()
            .map(|r| {
                let column: String = r.try_get(0)?;
                let ty: String = r.try_get(1)?;
                let kind = if ty.to_ascii_uppercase().contains("INT") { Kind::Int } else { Kind::Text };
                Ok((column, kind))
            })
            .collect::<Result<Vec<_>, sqlx::Error>>()?;
        if columns.is_empty() {
            bail!("table {name} has no columns");
        }
        Ok(Table { name, columns })
    }

    /// The position of `column`.
    fn at(&self, column: &str) -> anyhow::Result<usize> {
        self.columns.iter().position(|(c, _)| c == column).with_context(|| format!("table {} has no column {column}", self.name))
    }

    fn select(&self, rest: &str) -> String {
        let names: Vec<&str> = self.columns.iter().map(|(c, _)| c.as_str()).collect();
        format!("SELECT {} FROM {} {rest}", names.join(", "), self.name)
    }

    fn read(&self, row: &AnyRow) -> Result<Vec<Val>, sqlx::Error> {
        self.columns
            .iter()
            .enumerate()
            .map(|(i, (_, kind))| {
                Ok(match kind {
                    Kind::Int => Val::Int(row.try_get(i)?),
                    Kind::Text => Val::Text(row.try_get(i)?),
                })
            })
            .collect()
    }

    /// Inserts `rows` with multi-row `INSERT … VALUES (…), (…)` statements.
    ///
    /// Placeholders are `$1, $2, …` on PostgreSQL and anonymous `?` on SQLite. SQLite keeps
    /// named parameters (`$n`) in a list it searches linearly — when it prepares the statement,
    /// and again for each parameter sqlx binds — so a statement of P named parameters costs
    /// O(P²), far more than the insert itself at thousands of rows per statement.
    async fn insert(&self, conn: &mut AnyConnection, engine: Engine, rows: &[Vec<Val>]) -> Result<(), sqlx::Error> {
        let width = self.columns.len();
        let names: Vec<&str> = self.columns.iter().map(|(c, _)| c.as_str()).collect();
        for chunk in rows.chunks((MAX_PARAMS / width).max(1)) {
            let mut sql = format!("INSERT INTO {} ({}) VALUES ", self.name, names.join(", "));
            let mut n = 0;
            for r in 0..chunk.len() {
                sql.push_str(if r == 0 { "(" } else { ",(" });
                for c in 0..width {
                    n += 1;
                    if c > 0 {
                        sql.push(',');
                    }
                    match engine {
                        Engine::Sqlite => sql.push('?'),
                        Engine::Postgres => {
                            sql.push('$');
                            sql.push_str(&n.to_string());
                        }
                    }
                }
                sql.push(')');
            }
            let mut q = sqlx::query(&sql);
            for row in chunk {
                for v in row {
                    q = match v {
                        Val::Int(i) => q.bind(*i),
                        Val::Text(s) => q.bind(s.clone()),
                    };
                }
            }
            q.execute(&mut *conn).await?;
        }
        Ok(())
    }
}

/// The tables a filing writes to, and where in their rows the keys the copier rewrites are.
struct Tables {
    journal: Table,
    declarations: Table,
    risk_hits: Table,
    outbox: Table,
    journal_seq: usize,
    journal_stream: usize,
    declaration_id: usize,
    risk_hit_declaration: usize,
    outbox_id: usize,
    outbox_seq: usize,
    outbox_stream: usize,
}

impl Tables {
    async fn describe(pool: &AnyPool, engine: Engine) -> anyhow::Result<Tables> {
        let journal = Table::describe(pool, engine, "journal").await?;
        let declarations = Table::describe(pool, engine, "declarations").await?;
        let risk_hits = Table::describe(pool, engine, "risk_hits").await?;
        let outbox = Table::describe(pool, engine, "outbox").await?;
        Ok(Tables {
            journal_seq: journal.at("seq")?,
            journal_stream: journal.at("stream")?,
            declaration_id: declarations.at("id")?,
            risk_hit_declaration: risk_hits.at("declaration_id")?,
            outbox_id: outbox.at("id")?,
            outbox_seq: outbox.at("event_seq")?,
            outbox_stream: outbox.at("stream")?,
            journal,
            declarations,
            risk_hits,
            outbox,
        })
    }
}

/// The rows one filing wrote.
struct Filing {
    id: String,
    declaration: Vec<Val>,
    journal: Rows,
    risk_hits: Rows,
    outbox: Rows,
}

/// Average rows and bytes one filing writes, measured on the copied filings.
#[derive(Debug, Clone, Copy)]
pub struct Shape {
    pub journal: f64,
    pub risk_hits: f64,
    pub outbox: f64,
    /// All rows, the declaration row included.
    pub rows: f64,
    /// Bytes of column values (text length, 8 per integer).
    pub bytes: f64,
}

/// Filings read back from the end-to-end database, to be copied.
pub struct Templates {
    tables: Tables,
    filings: Vec<Filing>,
}

impl Templates {
    /// Reads the rows of the first filings in the store.
    pub async fn read(store: &Store) -> anyhow::Result<Templates> {
        let pool = store.read_pool();
        let t = Tables::describe(pool, store.engine()).await?;
        let decls = sqlx::query(&t.declarations.select(&format!("ORDER BY id LIMIT {TEMPLATES}"))).fetch_all(pool).await?;
        let mut filings = Vec::with_capacity(decls.len());
        for r in &decls {
            let declaration = t.declarations.read(r)?;
            let id = declaration[t.declaration_id].text().context("a declaration without an id")?.to_owned();
            filings.push(Filing { id, declaration, journal: Vec::new(), risk_hits: Vec::new(), outbox: Vec::new() });
        }
        let last = filings.last().context("no filings to copy")?;
        // Filings are numbered, journaled and queued in the same order, so everything the
        // first filings wrote lies at or below the last one's last journal entry.
        let last_seq: Option<i64> = sqlx::query_scalar("SELECT MAX(seq) FROM journal WHERE stream = $1")
            .bind(format!("declaration:{}", last.id))
            .fetch_one(pool)
            .await?;
        let last_seq = last_seq.context("the last copied filing has no journal entries")?;
        let last_id = last.id.clone();
        let index: HashMap<String, usize> = filings.iter().enumerate().map(|(i, f)| (f.id.clone(), i)).collect();
        let owner = |v: &Val| {
            let s = v.text()?;
            index.get(s.strip_prefix("declaration:").unwrap_or(s)).copied()
        };

        let q = t.journal.select("WHERE seq <= $1 AND stream LIKE 'declaration:%' ORDER BY seq");
        for r in &sqlx::query(&q).bind(last_seq).fetch_all(pool).await? {
            let row = t.journal.read(r)?;
            if let Some(i) = owner(&row[t.journal_stream]) {
                filings[i].journal.push(row);
            }
        }
        let q = t.outbox.select("WHERE event_seq <= $1 ORDER BY id");
        for r in &sqlx::query(&q).bind(last_seq).fetch_all(pool).await? {
            let row = t.outbox.read(r)?;
            if let Some(i) = owner(&row[t.outbox_stream]) {
                filings[i].outbox.push(row);
            }
        }
        let q = t.risk_hits.select("WHERE declaration_id <= $1");
        for r in &sqlx::query(&q).bind(last_id).fetch_all(pool).await? {
            let row = t.risk_hits.read(r)?;
            if let Some(i) = owner(&row[t.risk_hit_declaration]) {
                filings[i].risk_hits.push(row);
            }
        }
        for f in &filings {
            let ok = |n: usize| (1..=STRIDE as usize).contains(&n);
            if !ok(f.journal.len()) || !ok(f.outbox.len()) {
                bail!(
                    "filing {} wrote {} journal entries and {} outbox messages; expected 1–{STRIDE} of each",
                    f.id,
                    f.journal.len(),
                    f.outbox.len()
                );
            }
        }
        Ok(Templates { tables: t, filings })
    }

    pub fn shape(&self) -> Shape {
        let n = self.filings.len() as f64;
        let mean = |f: &dyn Fn(&Filing) -> usize| self.filings.iter().map(f).sum::<usize>() as f64 / n;
        let size = |rows: &Rows| -> usize { rows.iter().flatten().map(Val::bytes).sum() };
        Shape {
            journal: mean(&|f| f.journal.len()),
            risk_hits: mean(&|f| f.risk_hits.len()),
            outbox: mean(&|f| f.outbox.len()),
            rows: mean(&|f| 1 + f.journal.len() + f.risk_hits.len() + f.outbox.len()),
            bytes: mean(&|f| f.declaration.iter().map(Val::bytes).sum::<usize>() + size(&f.journal) + size(&f.risk_hits) + size(&f.outbox)),
        }
    }

    /// Adds copy number `k` (of filing `k mod len`) to `out` under a new declaration id and new
    /// journal and outbox numbers; the id is replaced wherever it occurs (streams, payloads, the
    /// document, message bodies).
    fn copy_into(&self, k: usize, out: &mut Batch) {
        let t = &self.tables;
        let f = &self.filings[k % self.filings.len()];
        let prefix = &f.id[..f.id.len().saturating_sub(9)];
        let new_id = format!("{prefix}{:09}", k + 1);
        let rename = |row: &Vec<Val>| -> Vec<Val> {
            row.iter()
                .map(|v| match v {
                    Val::Text(Some(s)) => Val::Text(Some(s.replace(&f.id, &new_id))),
                    other => other.clone(),
                })
                .collect()
        };
        let base = k as i64 * STRIDE;
        let mut seqs = HashMap::new();
        for (j, row) in f.journal.iter().enumerate() {
            let mut row = rename(row);
            if let Val::Int(Some(old)) = row[t.journal_seq] {
                seqs.insert(old, base + j as i64);
            }
            row[t.journal_seq] = Val::Int(Some(base + j as i64));
            out.journal.push(row);
        }
        out.declarations.push(rename(&f.declaration));
        out.risk_hits.extend(f.risk_hits.iter().map(rename));
        for (j, row) in f.outbox.iter().enumerate() {
            let mut row = rename(row);
            row[t.outbox_id] = Val::Int(Some(base + j as i64));
            if let Val::Int(Some(old)) = row[t.outbox_seq] {
                row[t.outbox_seq] = Val::Int(Some(seqs.get(&old).copied().unwrap_or(base)));
            }
            out.outbox.push(row);
        }
    }
}

/// The rows of one transaction.
#[derive(Default)]
struct Batch {
    journal: Rows,
    declarations: Rows,
    risk_hits: Rows,
    outbox: Rows,
}

impl Batch {
    fn rows(&self) -> usize {
        self.journal.len() + self.declarations.len() + self.risk_hits.len() + self.outbox.len()
    }

    /// Writes the batch in one transaction and commits it.
    async fn commit(&self, conn: &mut AnyConnection, engine: Engine, t: &Tables) -> Result<(), sqlx::Error> {
        let mut tx = conn.begin().await?;
        t.journal.insert(&mut tx, engine, &self.journal).await?;
        t.declarations.insert(&mut tx, engine, &self.declarations).await?;
        t.risk_hits.insert(&mut tx, engine, &self.risk_hits).await?;
        t.outbox.insert(&mut tx, engine, &self.outbox).await?;
        tx.commit().await
    }
}

pub struct Measured {
    /// Declarations per transaction.
    pub per_commit: usize,
    pub connections: usize,
    pub count: usize,
    pub rows: usize,
    pub wall: Duration,
}

impl Measured {
    pub fn per_second(&self) -> f64 {
        super::rate(self.count, self.wall)
    }

    pub fn rows_per_second(&self) -> f64 {
        super::rate(self.rows, self.wall)
    }
}

/// Inserts `warmup` then `n` copied filings into the (migrated, empty) database at `loc`,
/// `per_commit` filings per transaction, from `connections` connections working concurrently;
/// times the second part.
pub async fn run(
    loc: &Location,
    templates: &Arc<Templates>,
    per_commit: usize,
    connections: usize,
    warmup: usize,
    n: usize,
) -> anyhow::Result<Measured> {
    let mut conns = Vec::with_capacity(connections);
    for _ in 0..connections {
        conns.push(connect_writer(loc).await.context("cannot connect")?);
    }
    let engine = loc.engine;
    let (conns, _) = insert(conns, engine, templates, per_commit, 0..warmup).await?;
    let started = Instant::now();
    let (_, rows) = insert(conns, engine, templates, per_commit, warmup..warmup + n).await?;
    Ok(Measured { per_commit, connections, count: n, rows, wall: started.elapsed() })
}

/// Inserts copies `range`, each connection taking the next `per_commit` copies until none are
/// left. Returns the connections and the number of rows inserted.
async fn insert(
    conns: Vec<AnyConnection>,
    engine: Engine,
    templates: &Arc<Templates>,
    per_commit: usize,
    range: Range<usize>,
) -> anyhow::Result<(Vec<AnyConnection>, usize)> {
    let next = Arc::new(AtomicUsize::new(range.start));
    let end = range.end;
    let tasks: Vec<_> = conns
        .into_iter()
        .map(|mut conn| {
            let (next, templates) = (next.clone(), templates.clone());
            tokio::spawn(async move {
                let mut rows = 0;
                loop {
                    let first = next.fetch_add(per_commit, Ordering::Relaxed);
                    if first >= end {
                        break;
                    }
                    let mut batch = Batch::default();
                    for k in first..(first + per_commit).min(end) {
                        templates.copy_into(k, &mut batch);
                    }
                    batch.commit(&mut conn, engine, &templates.tables).await?;
                    rows += batch.rows();
                }
                anyhow::Ok((conn, rows))
            })
        })
        .collect();
    let mut conns = Vec::with_capacity(tasks.len());
    let mut rows = 0;
    for t in tasks {
        let (conn, r) = t.await.context("an insert task panicked")??;
        conns.push(conn);
        rows += r;
    }
    Ok((conns, rows))
}
