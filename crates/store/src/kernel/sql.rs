//! Buffered rows and the multi-row statements they are written with. Statements come in a few
//! fixed shapes (64 rows, then powers of two) so they stay in the connection's prepared-statement
//! cache, with `?` placeholders on SQLite and `$n` on PostgreSQL.

use sqlx::any::{Any, AnyArguments};
use sqlx::query::Query;
use sqlx::AnyConnection;

/// A value bound into a buffered row.
#[derive(Debug, Clone)]
pub enum Val {
    I(i64),
    T(String),
    OI(Option<i64>),
    OT(Option<String>),
}

/// Milliseconds since the epoch, the only way times are stored.
pub fn ms(t: time::OffsetDateTime) -> i64 {
    (t.unix_timestamp_nanos() / 1_000_000) as i64
}

/// The clock, in milliseconds since the epoch.
pub fn now_ms() -> i64 {
    ms(time::OffsetDateTime::now_utc())
}

/// Rows per multi-row statement. Batches are written in chunks of this many rows, and the
/// remainder in power-of-two chunks, so only a handful of statement shapes exist per table and
/// they stay in the connection's prepared-statement cache.
const CHUNK_ROWS: usize = 64;

/// Splits `n` rows into chunk sizes: full chunks, then powers of two.
fn chunk_sizes(mut n: usize) -> Vec<usize> {
    let mut sizes = vec![CHUNK_ROWS; n / CHUNK_ROWS];
    n %= CHUNK_ROWS;
    let mut p = CHUNK_ROWS / 2;
    while n > 0 {
        if n >= p {
            sizes.push(p);
            n -= p;
        }
        p /= 2;
    }
    sizes
}

/// The statement for `rows` rows. SQLite gets anonymous `?` placeholders (its named-parameter
/// lookup is linear in the number of parameters); PostgreSQL gets `$1…$n`.
fn statement(head: &str, cols: usize, rows: usize, tail: &str, sqlite: bool) -> String {
    let mut sql = String::with_capacity(head.len() + rows * cols * 5 + tail.len());
    sql.push_str(head);
    let mut n = 0;
    for r in 0..rows {
        sql.push_str(if r > 0 { ",(" } else { "(" });
        for c in 0..cols {
            if c > 0 {
                sql.push(',');
            }
            n += 1;
            if sqlite {
                sql.push('?');
            } else {
                sql.push('$');
                sql.push_str(&n.to_string());
            }
        }
        sql.push(')');
    }
    sql.push_str(tail);
    sql
}

/// Writes `rows` as multi-row statements; the values move into the statements uncopied.
pub async fn insert(conn: &mut AnyConnection, head: &str, cols: usize, rows: Vec<Vec<Val>>, tail: &str) -> Result<(), sqlx::Error> {
    let sqlite = conn.backend_name() == "SQLite";
    let mut rows = rows.into_iter();
    for size in chunk_sizes(rows.len()) {
        let sql = statement(head, cols, size, tail, sqlite);
        let mut q = sqlx::query(&sql);
        for row in rows.by_ref().take(size) {
            debug_assert_eq!(row.len(), cols);
            q = bind_row(q, row);
        }
        q.execute(&mut *conn).await?;
    }
    Ok(())
}

/// Binds a row's values, in order.
pub fn bind_row<'q>(mut q: Query<'q, Any, AnyArguments<'q>>, row: Vec<Val>) -> Query<'q, Any, AnyArguments<'q>> {
    for v in row {
        q = match v {
            Val::I(i) => q.bind(i),
            Val::T(s) => q.bind(s),
            Val::OI(i) => q.bind(i),
            Val::OT(s) => q.bind(s),
        };
    }
    q
}

/// A table as the families fill it: its name, its columns in the order its row function gives
/// their values, and how many leading columns form its key. The statements that write it are
/// made from it, and `verify --views` reads the same columns back to compare them with the rows
/// the same row functions derive from the journal. Columns holding secrets (a password or token
/// hash, a webhook key) are not among them: their writer binds those after the row.
#[derive(Debug)]
pub struct Table {
    pub name: &'static str,
    pub columns: &'static [&'static str],
    /// The first `key` columns are the primary key.
    pub key: usize,
}

impl Table {
    /// The key columns.
    pub fn key_columns(&self) -> &'static [&'static str] {
        &self.columns[..self.key]
    }

    /// `INSERT INTO t (columns…, extra…) VALUES ($1, …)`: one row, the row's values then `extra`'s.
    pub fn insert_sql(&self, extra: &[&str]) -> String {
        let cols: Vec<&str> = self.columns.iter().chain(extra).copied().collect();
        let marks: Vec<String> = (1..=cols.len()).map(|i| format!("${i}")).collect();
        format!("INSERT INTO {} ({}) VALUES ({})", self.name, cols.join(", "), marks.join(", "))
    }

    /// `INSERT INTO t (columns…) VALUES `, the head of a multi-row insert.
    pub fn insert_head(&self) -> String {
        format!("INSERT INTO {} ({}) VALUES ", self.name, self.columns.join(", "))
    }

    /// ` ON CONFLICT (key…) DO UPDATE SET c = excluded.c, …` for the columns named.
    pub fn upsert_tail(&self, update: &[&str]) -> String {
        debug_assert!(update.iter().all(|c| self.columns[self.key..].contains(c)), "{update:?} are not columns of {}", self.name);
        let set: Vec<String> = update.iter().map(|c| format!("{c} = excluded.{c}")).collect();
        format!(" ON CONFLICT ({}) DO UPDATE SET {}", self.key_columns().join(", "), set.join(", "))
    }

    /// `UPDATE t SET c = $n, … WHERE key = $k`, binding a whole row in column order.
    pub fn update_sql(&self) -> String {
        let set: Vec<String> = self.columns.iter().enumerate().skip(self.key).map(|(i, c)| format!("{c} = ${}", i + 1)).collect();
        let key: Vec<String> = self.key_columns().iter().enumerate().map(|(i, c)| format!("{c} = ${}", i + 1)).collect();
        format!("UPDATE {} SET {} WHERE {}", self.name, set.join(", "), key.join(" AND "))
    }

    /// Writes `rows` as multi-row upserts, updating the columns named when a key is already there.
    pub async fn upsert(&self, conn: &mut AnyConnection, rows: Vec<Vec<Val>>, update: &[&str]) -> Result<(), sqlx::Error> {
        insert(conn, &self.insert_head(), self.columns.len(), rows, &self.upsert_tail(update)).await
    }
}

/// The counters record numbers are taken from (`numbering.rs`), and the kernel's own.
pub const COUNTERS: Table = Table { name: "counters", columns: &["name", "value"], key: 1 };

#[cfg(test)]
mod tests {
    use super::*;

    const T: Table = Table { name: "t", columns: &["a", "b", "c"], key: 1 };

    #[test]
    fn statements_from_the_columns() {
        assert_eq!(T.insert_sql(&[]), "INSERT INTO t (a, b, c) VALUES ($1, $2, $3)");
        assert_eq!(T.insert_sql(&["secret"]), "INSERT INTO t (a, b, c, secret) VALUES ($1, $2, $3, $4)");
        assert_eq!(T.insert_head(), "INSERT INTO t (a, b, c) VALUES ");
        assert_eq!(T.upsert_tail(&["c"]), " ON CONFLICT (a) DO UPDATE SET c = excluded.c");
        assert_eq!(T.update_sql(), "UPDATE t SET b = $2, c = $3 WHERE a = $1");
    }

    #[test]
    fn chunks_cover_every_row_in_few_shapes() {
        for n in 0..300 {
            let sizes = chunk_sizes(n);
            assert_eq!(sizes.iter().sum::<usize>(), n);
            assert!(sizes.iter().all(|s| s.is_power_of_two() && *s <= CHUNK_ROWS));
        }
        assert_eq!(chunk_sizes(200), vec![64, 64, 64, 8]);
    }

    #[test]
    fn placeholders_per_engine() {
        assert_eq!(statement("INSERT INTO t (a, b) VALUES ", 2, 2, "", true), "INSERT INTO t (a, b) VALUES (?,?),(?,?)");
        assert_eq!(statement("INSERT INTO t (a, b) VALUES ", 2, 2, " X", false), "INSERT INTO t (a, b) VALUES ($1,$2),($3,$4) X");
    }
}
