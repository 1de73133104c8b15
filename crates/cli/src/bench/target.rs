//! Fresh databases for each phase, and their removal afterwards.
//!
//! SQLite: a new directory under the system's temporary directory, holding `guomen.db`.
//! PostgreSQL: a new schema `guomen_bench_<pid>_<n>` in the given database, reached by adding
//! `options=-c search_path=<schema>` to the URL so that every connection — the store's writer
//! and readers as well as the raw baseline's — works inside it.

use anyhow::{anyhow, Context};
use guomen_store::{connect_writer, Engine, Location, Store, StoreError};
use sqlx::Executor;
use std::path::PathBuf;
use std::time::{Duration, Instant};

enum Made {
    Directory(PathBuf),
    Schema(String),
}

pub struct Databases {
    /// The PostgreSQL database given with `--database`; None for SQLite.
    postgres: Option<Location>,
    made: Vec<Made>,
}

impl Databases {
    pub fn new(database: Option<&str>) -> anyhow::Result<Databases> {
        let postgres = match database {
            None => None,
            Some(url) => {
                let loc = Location::parse(url).map_err(|e| anyhow!(e))?;
                if loc.engine != Engine::Postgres {
                    anyhow::bail!("--database takes a postgres:// URL; without it the bench uses a fresh SQLite database");
                }
                Some(loc)
            }
        };
        Ok(Databases { postgres, made: Vec::new() })
    }

    pub fn engine_name(&self) -> &'static str {
        match self.postgres {
            None => "SQLite",
            Some(_) => "PostgreSQL",
        }
    }

    /// What "durably committed" means on this engine, as the engine itself reports it.
    pub async fn durability(&self) -> anyhow::Result<String> {
        match &self.postgres {
            Some(base) => {
                let mut conn = connect_writer(base).await.context("cannot connect")?;
                let mut settings = Vec::new();
                for name in ["server_version", "synchronous_commit", "fsync"] {
                    let value: String = sqlx::query_scalar(&format!("SHOW {name}")).fetch_one(&mut conn).await?;
                    if name == "server_version" {
                        let number = value.split_whitespace().next().unwrap_or("?");
                        settings.push(format!("version {number}"));
                    } else {
                        settings.push(format!("{name}={value}"));
                    }
                }
                Ok(settings.join(", "))
            }
            None => {
                let dir = self.fresh_directory()?;
                let loc = Location::sqlite_in(&dir)?;
                let probe = async {
                    let mut conn = connect_writer(&loc).await?;
                    let mode: String = sqlx::query_scalar("PRAGMA journal_mode").fetch_one(&mut conn).await?;
                    let sync: i64 = sqlx::query_scalar("PRAGMA synchronous").fetch_one(&mut conn).await?;
                    let version: String = sqlx::query_scalar("SELECT sqlite_version()").fetch_one(&mut conn).await?;
                    let sync = match sync {
                        0 => "OFF",
                        1 => "NORMAL",
                        2 => "FULL",
                        3 => "EXTRA",
                        _ => "?",
                    };
                    anyhow::Ok(format!("version {version}, journal_mode={mode}, synchronous={sync}"))
                };
                let out = probe.await;
                let _ = std::fs::remove_dir_all(&dir);
                out
            }
        }
    }

    fn fresh_directory(&self) -> anyhow::Result<PathBuf> {
        let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or(0);
        let dir = std::env::temp_dir().join(format!("guomen-bench-{}-{}-{nanos}", std::process::id(), self.made.len()));
        std::fs::create_dir(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
        Ok(dir)
    }

    /// A new, empty database, removed by [`Databases::remove_all`].
    pub async fn fresh(&mut self) -> anyhow::Result<Location> {
        match self.postgres.clone() {
            None => {
                let dir = self.fresh_directory()?;
                self.made.push(Made::Directory(dir.clone()));
                Ok(Location::sqlite_in(&dir)?)
            }
            Some(base) => {
                let schema = format!("guomen_bench_{}_{}", std::process::id(), self.made.len());
                let mut conn = connect_writer(&base).await.context("cannot connect")?;
                conn.execute(format!("DROP SCHEMA IF EXISTS {schema} CASCADE").as_str()).await?;
                conn.execute(format!("CREATE SCHEMA {schema}").as_str()).await.with_context(|| format!("cannot create schema {schema}"))?;
                self.made.push(Made::Schema(schema.clone()));
                let sep = if base.url.contains('?') { '&' } else { '?' };
                Ok(Location { engine: Engine::Postgres, url: format!("{}{sep}options=-c%20search_path%3D{schema}", base.url) })
            }
        }
    }

    /// Keeps every database this run made, and says where they are.
    pub fn keep_all(&mut self) -> Vec<String> {
        std::mem::take(&mut self.made)
            .into_iter()
            .map(|m| match m {
                Made::Directory(d) => d.display().to_string(),
                Made::Schema(s) => format!("schema {s}"),
            })
            .collect()
    }

    /// Removes every database this run made; problems are reported, not fatal.
    pub async fn remove_all(&mut self) {
        for made in std::mem::take(&mut self.made) {
            match made {
                Made::Directory(dir) => {
                    if let Err(e) = std::fs::remove_dir_all(&dir) {
                        eprintln!("warning: cannot remove {}: {e}", dir.display());
                    }
                }
                Made::Schema(schema) => {
                    let Some(base) = &self.postgres else { continue };
                    let dropped = async {
                        let mut conn = connect_writer(base).await?;
                        conn.execute(format!("DROP SCHEMA IF EXISTS {schema} CASCADE").as_str()).await?;
                        anyhow::Ok(())
                    };
                    if let Err(e) = dropped.await {
                        eprintln!("warning: cannot drop schema {schema}: {e}");
                    }
                }
            }
        }
    }
}

/// Opens a store. On PostgreSQL a store just closed may still hold the database's writer lock
/// for a moment (its connection closes in the background), so that refusal is retried briefly.
pub async fn open_store(loc: &Location) -> anyhow::Result<Store> {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        match Store::open(loc).await {
            Ok(store) => return Ok(store),
            Err(StoreError::Open(msg)) if msg.contains("another Guomen process") && Instant::now() < deadline => {
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            Err(e) => return Err(anyhow!("{e}")),
        }
    }
}

/// Creates the tables by opening a store once, then closes it.
pub async fn migrate(loc: &Location) -> anyhow::Result<()> {
    let store = open_store(loc).await?;
    drop(store);
    Ok(())
}
