//! Connections and migrations for both engines, through sqlx's `Any` driver so every query is
//! written once. Columns are only BIGINT and TEXT, which both engines treat alike.

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::{AnyConnection, AnyPool, ConnectOptions, Connection, Executor};
use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

/// Which engine a store runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    Sqlite,
    Postgres,
}

/// Where the data lives.
#[derive(Debug, Clone)]
pub struct Location {
    pub engine: Engine,
    pub url: String,
}

impl Location {
    /// The embedded default: `DIR/guomen.db`, the directory created if needed.
    pub fn sqlite_in(dir: &Path) -> std::io::Result<Location> {
        std::fs::create_dir_all(dir)?;
        let file = dir.join("guomen.db");
        Ok(Location { engine: Engine::Sqlite, url: format!("sqlite://{}?mode=rwc", file.display()) })
    }

    /// Parses `postgres://…` / `postgresql://…` or `sqlite://…`.
    pub fn parse(url: &str) -> Result<Location, String> {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Ok(Location { engine: Engine::Postgres, url: url.to_owned() })
        } else if url.starts_with("sqlite:") {
            Ok(Location { engine: Engine::Sqlite, url: url.to_owned() })
        } else {
            Err(format!("unsupported database URL {url:?}: use postgres://… or sqlite://…"))
        }
    }
}

const SQLITE_PRAGMAS: &str = "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA busy_timeout=10000; PRAGMA foreign_keys=ON;";

/// The writer does not checkpoint the WAL itself, so no commit waits for a checkpoint;
/// [`checkpointer`] does it from its own connection. It keeps a larger page cache (32 MiB; much larger makes every commit scan it) and
/// maps the file, so the pages it updates are not read back through system calls each batch.
pub const SQLITE_WRITER_PRAGMAS: &str = "PRAGMA wal_autocheckpoint=0; PRAGMA cache_size=-32768; PRAGMA mmap_size=1073741824;";

/// A migration's text for `engine`: its own dialect's parts uncommented, the other's left as
/// comments.
fn dialect(sql: &str, engine: Engine) -> String {
    let own = match engine {
        Engine::Sqlite => "/*sqlite:",
        Engine::Postgres => "/*postgres:",
    };
    let mut out = String::with_capacity(sql.len());
    let mut rest = sql;
    while let Some(i) = rest.find(own) {
        let Some(end) = rest[i..].find("*/") else { break };
        out.push_str(&rest[..i]);
        out.push_str(rest[i + own.len()..i + end].trim());
        rest = &rest[i + end + 2..];
    }
    out.push_str(rest);
    out
}

fn options(loc: &Location) -> Result<AnyConnectOptions, sqlx::Error> {
    sqlx::any::install_default_drivers();
    Ok(AnyConnectOptions::from_str(&loc.url)?.disable_statement_logging())
}

/// Opens the single connection the writer owns.
pub async fn connect_writer(loc: &Location) -> Result<AnyConnection, sqlx::Error> {
    let mut conn = AnyConnection::connect_with(&options(loc)?).await?;
    if loc.engine == Engine::Sqlite {
        conn.execute(SQLITE_PRAGMAS).await?;
    }
    Ok(conn)
}

/// A request for a truncating checkpoint, answered when it is done.
pub type TruncateRequest = tokio::sync::oneshot::Sender<Result<(), String>>;

/// Checkpoints the SQLite WAL every quarter second from a connection of its own (passive: it
/// never blocks the writer or readers), until `alive` says the store is gone. On request (after
/// bulk work) it checkpoints with TRUNCATE instead, which also shrinks the WAL file to nothing.
pub async fn checkpointer<T>(
    loc: Location,
    alive: tokio::sync::mpsc::WeakSender<T>,
    mut requests: tokio::sync::mpsc::Receiver<TruncateRequest>,
) {
    let Ok(mut conn) = connect_writer(&loc).await else { return };
    loop {
        tokio::select! {
            _ = tokio::time::sleep(std::time::Duration::from_millis(250)) => {
                if alive.upgrade().is_none() {
                    return;
                }
                if let Err(e) = conn.execute("PRAGMA wal_checkpoint(PASSIVE)").await {
                    tracing::warn!(error = %e, "WAL checkpoint failed");
                }
            }
            Some(reply) = requests.recv() => {
                let _ = reply.send(truncate(&mut conn).await);
            }
        }
    }
}

/// `wal_checkpoint(TRUNCATE)`: waits (busy timeout) for the writer and for readers of older
/// snapshots; a commit that slips in between is caught by trying again a few times.
async fn truncate(conn: &mut AnyConnection) -> Result<(), String> {
    use sqlx::Row;
    for _ in 0..20 {
        let row = sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)").fetch_one(&mut *conn).await.map_err(|e| e.to_string())?;
        let busy: i64 = row.try_get(0).map_err(|e| e.to_string())?;
        if busy == 0 {
            return Ok(());
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    Err("the WAL checkpoint stayed blocked by other connections; the WAL was not truncated".into())
}

/// Opens the pool that serves reads.
pub async fn connect_readers(loc: &Location, max: u32) -> Result<AnyPool, sqlx::Error> {
    let engine = loc.engine;
    AnyPoolOptions::new()
        .max_connections(max)
        .acquire_timeout(Duration::from_secs(30))
        .after_connect(move |conn, _| {
            Box::pin(async move {
                if engine == Engine::Sqlite {
                    conn.execute("PRAGMA busy_timeout=10000; PRAGMA query_only=ON;").await?;
                }
                Ok(())
            })
        })
        .connect_with(options(loc)?)
        .await
}

/// Applies the migrations this engine has not seen yet, each in its own transaction.
/// `migrations` are (version, SQL) in rising versions, one text for both engines: where the
/// engines differ, the text says so in place — `/*sqlite: …*/` is SQL only SQLite runs (for
/// PostgreSQL it stays a comment), `/*postgres: …*/` the other way round.
pub async fn migrate(conn: &mut AnyConnection, engine: Engine, migrations: &[(i64, &str)]) -> Result<(), sqlx::Error> {
    conn.execute("CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, applied_at_ms BIGINT NOT NULL)").await?;
    for (version, sql) in migrations {
        let done: Option<i64> = sqlx::query_scalar("SELECT version FROM schema_migrations WHERE version = $1")
            .bind(*version)
            .fetch_optional(&mut *conn)
            .await?;
        if done.is_some() {
            continue;
        }
        let mut tx = conn.begin().await?;
        tx.execute(dialect(sql, engine).as_str()).await?;
        sqlx::query("INSERT INTO schema_migrations (version, applied_at_ms) VALUES ($1, $2)")
            .bind(*version)
            .bind(super::now_ms())
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_engine_runs_its_own_dialect() {
        let sql = "CREATE TABLE t (a TEXT) /*sqlite: WITHOUT ROWID*/;\nCREATE INDEX i ON t (a) /*postgres: INCLUDE (b)*/;";
        assert_eq!(
            dialect(sql, Engine::Sqlite),
            "CREATE TABLE t (a TEXT) WITHOUT ROWID;\nCREATE INDEX i ON t (a) /*postgres: INCLUDE (b)*/;"
        );
        assert_eq!(
            dialect(sql, Engine::Postgres),
            "CREATE TABLE t (a TEXT) /*sqlite: WITHOUT ROWID*/;\nCREATE INDEX i ON t (a) INCLUDE (b);"
        );
    }
}
