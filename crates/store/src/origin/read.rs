//! Reads of certificates of origin.

use super::decode;
use crate::{Store, StoreError};
use guomen_domain::origin::OriginCertificate;
use sqlx::Row;

/// Which certificates to list, newest change first.
#[derive(Debug, Clone, Default)]
pub struct OriginFilter {
    pub exporter: Option<String>,
    /// `amend`, `manual-review`, `investigate`, `issued`, `rejected`.
    pub status: Option<String>,
    /// At most this many (1–500).
    pub limit: i64,
}

impl Store {
    pub async fn origin_certificate(&self, number: &str) -> Result<Option<OriginCertificate>, StoreError> {
        let doc: Option<String> = sqlx::query_scalar("SELECT doc FROM origin_certificates WHERE number = $1")
            .bind(number.trim().to_owned())
            .fetch_optional(self.read_pool())
            .await?;
        Ok(doc.map(|d| decode(&d)).transpose()?)
    }

    pub async fn origin_certificates(&self, f: &OriginFilter) -> Result<Vec<OriginCertificate>, StoreError> {
        let mut sql = String::from("SELECT doc FROM origin_certificates WHERE 1 = 1");
        let mut binds: Vec<String> = Vec::new();
        if let Some(e) = &f.exporter {
            binds.push(e.clone());
            sql.push_str(&format!(" AND exporter = ${}", binds.len()));
        }
        if let Some(s) = &f.status {
            binds.push(s.clone());
            sql.push_str(&format!(" AND status = ${}", binds.len()));
        }
        sql.push_str(&format!(" ORDER BY updated_at_ms DESC, number DESC LIMIT {}", f.limit.clamp(1, 500)));
        let mut q = sqlx::query(&sql);
        for v in binds {
            q = q.bind(v);
        }
        let rows = q.fetch_all(self.read_pool()).await?;
        Ok(rows.iter().map(|r| decode(&r.try_get::<String, _>(0)?)).collect::<Result<_, sqlx::Error>>()?)
    }
}
