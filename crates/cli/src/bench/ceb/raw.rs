//! The baseline: the rows the run wrote, copied as text into a fresh database of the same
//! engine with the same durability, in commits of as many rows as the store's group commits
//! held on average, through the same multi-row statements. No parsing, checking, hashing or
//! deciding — only the bytes.

use anyhow::Context;
use guomen_store::{connect_writer, Location};
use sqlx::{AnyPool, Connection, Executor, Row};
use std::time::Instant;

/// Every table the write path touches, with its columns as one text expression.
const TABLES: &[(&str, &str)] = &[
    ("journal", "CAST(seq AS TEXT) || stream || kind || actor || CAST(at_ms AS TEXT) || payload || prev_hash || hash"),
    ("ceb_messages", "kind || guid || sender || answer || CAST(at_ms AS TEXT)"),
    ("ceb_documents", "kind || doc_key || CAST(seq AS TEXT) || CAST(at_ms AS TEXT)"),
    ("ceb_inventories", "id || ebp_code || order_no || logistics_code || logistics_no || buyer || sender || ebc_code || status || return_status || COALESCE(lane, '') || value || tax || CAST(received_at_ms AS TEXT) || CAST(updated_at_ms AS TEXT) || CAST(address_fp AS TEXT) || CAST(phone_fp AS TEXT) || tax_state || CAST(received_seq AS TEXT)"),
    ("ceb_quota", "buyer || CAST(year AS TEXT) || reserved || used || CAST(updated_at_ms AS TEXT)"),
    ("risk_hits", "declaration_id || criterion || CAST(revision AS TEXT) || CAST(ruleset_version AS TEXT) || lane || CAST(selected AS TEXT) || CAST(at_ms AS TEXT)"),
    ("outbox", "CAST(id AS TEXT) || CAST(event_seq AS TEXT) || stream || recipient || topic || body || CAST(created_at_ms AS TEXT)"),
];

/// How many rows and bytes the run left in the database.
pub struct Shape {
    pub rows: usize,
    pub bytes: usize,
}

impl Shape {
    pub async fn read(pool: &AnyPool) -> anyhow::Result<Shape> {
        let (mut rows, mut bytes) = (0usize, 0usize);
        for (table, expr) in TABLES {
            let r = sqlx::query(&format!("SELECT COUNT(*), COALESCE(SUM(LENGTH({expr})), 0) FROM {table}")).fetch_one(pool).await?;
            rows += r.try_get::<i64, _>(0)? as usize;
            bytes += r.try_get::<i64, _>(1)? as usize;
        }
        Ok(Shape { rows, bytes })
    }
}

pub struct Raw {
    pub rows_per_second: f64,
    pub rows_per_commit: usize,
    pub rows: usize,
    pub parcels_per_second: f64,
}

impl Raw {
    /// Expresses the row rate in parcels: the run wrote `rows` rows for `parcels` parcels.
    pub fn scaled(mut self, parcels: f64) -> Raw {
        self.parcels_per_second = self.rows_per_second * parcels / self.rows.max(1) as f64;
        self
    }
}

const CHUNK: usize = 64;

fn statement(rows: usize, sqlite: bool) -> String {
    let mut s = String::from("INSERT INTO raw_append (seq, body) VALUES ");
    for r in 0..rows {
        if r > 0 {
            s.push(',');
        }
        if sqlite {
            s.push_str("(?,?)");
        } else {
            s.push_str(&format!("(${},${})", 2 * r + 1, 2 * r + 2));
        }
    }
    s
}

/// Copies the rows of `from` into `to` and times only the appends.
pub async fn append(from: &Location, to: &Location, per_commit: usize) -> anyhow::Result<Raw> {
    let mut src = connect_writer(from).await.context("cannot open the run's database")?;
    let mut bodies: Vec<String> = Vec::new();
    for (table, expr) in TABLES {
        for r in sqlx::query(&format!("SELECT {expr} FROM {table}")).fetch_all(&mut src).await? {
            bodies.push(r.try_get::<String, _>(0)?);
        }
    }
    drop(src);
    let mut conn = connect_writer(to).await.context("cannot open the baseline database")?;
    conn.execute("CREATE TABLE raw_append (seq BIGINT PRIMARY KEY, body TEXT NOT NULL)").await?;
    let sqlite = to.engine == guomen_store::Engine::Sqlite;
    let full = statement(CHUNK, sqlite);
    let start = Instant::now();
    let mut seq = 0i64;
    for commit in bodies.chunks(per_commit.max(1)) {
        let mut tx = conn.begin().await?;
        for part in commit.chunks(CHUNK) {
            let sql = if part.len() == CHUNK { full.clone() } else { statement(part.len(), sqlite) };
            let mut q = sqlx::query(&sql);
            for b in part {
                seq += 1;
                q = q.bind(seq).bind(b.clone());
            }
            q.execute(&mut *tx).await?;
        }
        tx.commit().await?;
    }
    let wall = start.elapsed().as_secs_f64().max(f64::EPSILON);
    Ok(Raw { rows_per_second: bodies.len() as f64 / wall, rows_per_commit: per_commit, rows: bodies.len(), parcels_per_second: 0.0 })
}
