//! The journal as Guomen's records use it: the domain's events are its entries; reads of one
//! record's timeline, of an event, the walk that checks every link of the chain, and the check
//! that every view is what the journal says (`replay/`).

use crate::kernel::{Engine, Entry};
use crate::replay::ViewsReport;
use crate::{Store, StoreError};
use guomen_domain::journal::{Break, EntryFields, Verifier};
use guomen_domain::Event;
use serde::Serialize;
use sqlx::{Connection, Executor, Row};

impl Entry for Event {
    fn stream(&self) -> String {
        Event::stream(self)
    }

    fn kind(&self) -> &'static str {
        Event::kind(self)
    }
}

/// One journal entry as a timeline shows it.
#[derive(Debug, Clone, Serialize)]
pub struct TimelineEntry {
    pub seq: i64,
    pub kind: String,
    pub actor: String,
    pub at_ms: i64,
    pub summary_en: String,
    pub summary_zh: String,
    pub hash: String,
}

/// What `verify` found.
#[derive(Debug, Clone)]
pub struct VerifyReport {
    pub checked: u64,
    pub first_break: Option<Break>,
}

impl Store {
    /// The journal entries of one record, oldest first.
    pub async fn timeline(&self, stream: &str) -> Result<Vec<TimelineEntry>, StoreError> {
        let rows = sqlx::query("SELECT seq, kind, actor, at_ms, payload, hash FROM journal WHERE stream = $1 ORDER BY seq")
            .bind(stream.to_owned())
            .fetch_all(&self.read)
            .await?;
        rows.iter()
            .map(|r| {
                let payload: String = r.try_get("payload")?;
                let event: guomen_domain::Event = serde_json::from_str(&payload).map_err(|e| StoreError::Database(e.to_string()))?;
                let (summary_en, summary_zh) = event.summary();
                Ok(TimelineEntry {
                    seq: r.try_get("seq")?,
                    kind: r.try_get("kind")?,
                    actor: r.try_get("actor")?,
                    at_ms: r.try_get("at_ms")?,
                    summary_en,
                    summary_zh,
                    hash: r.try_get("hash")?,
                })
            })
            .collect()
    }

    /// Walks the whole journal and checks every link of the chain.
    pub async fn verify(&self) -> Result<VerifyReport, StoreError> {
        self.walk_chain(|_| {}).await
    }

    /// Walks the whole journal, checking every link of the chain, and hands each entry's hash,
    /// as recomputed from its fields and found to match, to `visit`, in sequence order, until
    /// the first break.
    pub(crate) async fn walk_chain(&self, mut visit: impl FnMut(&str)) -> Result<VerifyReport, StoreError> {
        let mut v = Verifier::default();
        let mut after = 0i64;
        loop {
            let rows = sqlx::query(
                "SELECT seq, stream, kind, actor, at_ms, payload, prev_hash, hash FROM journal WHERE seq > $1 ORDER BY seq LIMIT 5000",
            )
            .bind(after)
            .fetch_all(&self.read)
            .await?;
            if rows.is_empty() {
                return Ok(VerifyReport { checked: v.checked, first_break: None });
            }
            for r in &rows {
                let seq: i64 = r.try_get("seq")?;
                let (stream, kind, actor, payload, prev, hash): (String, String, String, String, String, String) = (
                    r.try_get("stream")?,
                    r.try_get("kind")?,
                    r.try_get("actor")?,
                    r.try_get("payload")?,
                    r.try_get("prev_hash")?,
                    r.try_get("hash")?,
                );
                let at_ms: i64 = r.try_get("at_ms")?;
                let fields = EntryFields { seq, stream: &stream, kind: &kind, actor: &actor, at_ms, payload: &payload };
                if let Err(b) = v.check(&fields, &prev, &hash) {
                    return Ok(VerifyReport { checked: v.checked, first_break: Some(b) });
                }
                visit(&hash);
                after = seq;
            }
        }
    }

    /// Rebuilds every view from the journal and compares it with what is stored (`replay/`), in
    /// one read-only snapshot, so a commit meanwhile is not seen; keeps the first `limit`
    /// differences (and counts them all).
    pub async fn verify_views(&self, limit: usize) -> Result<ViewsReport, StoreError> {
        let mut conn = self.read.acquire().await?;
        let mut tx = conn.begin().await?;
        if self.engine == Engine::Postgres {
            tx.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY").await?;
        }
        let report = crate::replay::check(&mut tx, limit).await;
        // Read-only: nothing to keep.
        tx.rollback().await?;
        Ok(report?)
    }

    /// The first event of a kind in a record's journal stream.
    pub async fn first_event(&self, stream: &str, kind: &str) -> Result<Option<guomen_domain::Event>, StoreError> {
        let payload: Option<String> =
            sqlx::query_scalar("SELECT payload FROM journal WHERE stream = $1 AND kind = $2 ORDER BY seq LIMIT 1")
                .bind(stream.to_owned())
                .bind(kind.to_owned())
                .fetch_optional(&self.read)
                .await?;
        payload.map(|p| serde_json::from_str(&p).map_err(|e| StoreError::Database(e.to_string()))).transpose()
    }
}
