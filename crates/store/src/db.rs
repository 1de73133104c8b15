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
pub(crate) const SQLITE_WRITER_PRAGMAS: &str = "PRAGMA wal_autocheckpoint=0; PRAGMA cache_size=-32768; PRAGMA mmap_size=1073741824;";

const MIGRATIONS_SQLITE: &[(i64, &str)] = &[
    (1, include_str!("../migrations/sqlite/0001_spine.sql")),
    (2, include_str!("../migrations/sqlite/0002_quarantine.sql")),
    (3, include_str!("../migrations/sqlite/0003_ceb.sql")),
    (4, include_str!("../migrations/sqlite/0004_console.sql")),
    (6, include_str!("../migrations/sqlite/0006_tokens.sql")),
];
const MIGRATIONS_POSTGRES: &[(i64, &str)] = &[
    (1, include_str!("../migrations/postgres/0001_spine.sql")),
    (2, include_str!("../migrations/postgres/0002_quarantine.sql")),
    (3, include_str!("../migrations/postgres/0003_ceb.sql")),
    (4, include_str!("../migrations/postgres/0004_console.sql")),
    (6, include_str!("../migrations/postgres/0006_tokens.sql")),
];

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

/// Checkpoints the SQLite WAL every quarter second from a connection of its own (passive: it
/// never blocks the writer or readers), until `alive` says the store is gone.
pub(crate) async fn checkpointer(loc: Location, alive: tokio::sync::mpsc::WeakSender<crate::writer::Job>) {
    let Ok(mut conn) = connect_writer(&loc).await else { return };
    loop {
        tokio::time::sleep(std::time::Duration::from_millis(250)).await;
        if alive.upgrade().is_none() {
            return;
        }
        if let Err(e) = conn.execute("PRAGMA wal_checkpoint(PASSIVE)").await {
            tracing::warn!(error = %e, "WAL checkpoint failed");
        }
    }
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
pub async fn migrate(conn: &mut AnyConnection, engine: Engine) -> Result<(), sqlx::Error> {
    conn.execute("CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, applied_at_ms BIGINT NOT NULL)").await?;
    let set = match engine {
        Engine::Sqlite => MIGRATIONS_SQLITE,
        Engine::Postgres => MIGRATIONS_POSTGRES,
    };
    for (version, sql) in set {
        let done: Option<i64> = sqlx::query_scalar("SELECT version FROM schema_migrations WHERE version = $1")
            .bind(*version)
            .fetch_optional(&mut *conn)
            .await?;
        if done.is_some() {
            continue;
        }
        let mut tx = conn.begin().await?;
        tx.execute(*sql).await?;
        sqlx::query("INSERT INTO schema_migrations (version, applied_at_ms) VALUES ($1, $2)")
            .bind(*version)
            .bind(crate::now_ms())
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
    }
    Ok(())
}
