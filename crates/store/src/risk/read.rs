//! Reads of rule sets and of the hits each criterion made.

use crate::{Store, StoreError};
use guomen_domain::risk::RuleSet;
use serde::Serialize;
use sqlx::{AnyConnection, Row};

pub(crate) async fn current_rules_on(conn: &mut AnyConnection) -> Result<RuleSet, sqlx::Error> {
    let doc: Option<String> =
        sqlx::query_scalar("SELECT doc FROM rulesets ORDER BY version DESC LIMIT 1").fetch_optional(&mut *conn).await?;
    Ok(match doc {
        Some(d) => serde_json::from_str(&d).map_err(|e| sqlx::Error::Decode(Box::new(e)))?,
        None => RuleSet::default(),
    })
}

/// A rule-set version as the history shows it.
#[derive(Debug, Clone, Serialize)]
pub struct RulesVersion {
    pub version: i64,
    pub changed: Vec<String>,
    pub reason: String,
    pub published_by: String,
    pub published_at_ms: i64,
}

impl Store {
    pub async fn rules_version(&self, version: i64) -> Result<Option<RuleSet>, StoreError> {
        let doc: Option<String> =
            sqlx::query_scalar("SELECT doc FROM rulesets WHERE version = $1").bind(version).fetch_optional(&self.read).await?;
        doc.map(|d| serde_json::from_str(&d)).transpose().map_err(|e| StoreError::Database(e.to_string()))
    }

    pub async fn rules_history(&self) -> Result<Vec<RulesVersion>, StoreError> {
        let rows = sqlx::query("SELECT version, changed, reason, published_by, published_at_ms FROM rulesets ORDER BY version DESC")
            .fetch_all(&self.read)
            .await?;
        rows.iter()
            .map(|r| {
                let changed: String = r.try_get("changed")?;
                Ok(RulesVersion {
                    version: r.try_get("version")?,
                    changed: serde_json::from_str(&changed).unwrap_or_default(),
                    reason: r.try_get("reason")?,
                    published_by: r.try_get("published_by")?,
                    published_at_ms: r.try_get("published_at_ms")?,
                })
            })
            .collect()
    }

    /// Counts for one criterion: (hits, selections).
    pub async fn criterion_counts(&self, criterion: &str) -> Result<(i64, i64), StoreError> {
        let r = sqlx::query(
            "SELECT COUNT(*) AS hits, CAST(COALESCE(SUM(selected), 0) AS BIGINT) AS selected FROM risk_hits WHERE criterion = $1",
        )
        .bind(criterion.to_owned())
        .fetch_one(&self.read)
        .await?;
        Ok((r.try_get("hits")?, r.try_get("selected")?))
    }
}
