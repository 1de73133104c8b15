//! Buffered rows and the multi-row statements they are written with. Statements come in a few
//! fixed shapes (64 rows, then powers of two) so they stay in the connection's prepared-statement
//! cache, with `?` placeholders on SQLite and `$n` on PostgreSQL.

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
            for v in row {
                q = match v {
                    Val::I(i) => q.bind(i),
                    Val::T(s) => q.bind(s),
                    Val::OI(i) => q.bind(i),
                    Val::OT(s) => q.bind(s),
                };
            }
        }
        q.execute(&mut *conn).await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

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
