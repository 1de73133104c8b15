//! Reads of phytosanitary certificates, issued and received.

use super::decode;
use crate::{Store, StoreError};
use guomen_domain::phyto::{PhytoCertificate, ReceivedCertificate};
use sqlx::Row;

/// Which certificates to list, newest change first.
#[derive(Debug, Clone, Default)]
pub struct PhytoFilter {
    pub exporter: Option<String>,
    /// `applied`, `issued`, `refused`, `replaced`, `withdrawn`.
    pub status: Option<String>,
    /// At most this many (1–500).
    pub limit: i64,
}

impl Store {
    pub async fn phyto_certificate(&self, number: &str) -> Result<Option<PhytoCertificate>, StoreError> {
        let doc: Option<String> = sqlx::query_scalar("SELECT doc FROM phyto_certificates WHERE number = $1")
            .bind(number.trim().to_owned())
            .fetch_optional(self.read_pool())
            .await?;
        Ok(doc.map(|d| decode(&d)).transpose()?)
    }

    pub async fn phyto_certificates(&self, f: &PhytoFilter) -> Result<Vec<PhytoCertificate>, StoreError> {
        let mut sql = String::from("SELECT doc FROM phyto_certificates WHERE 1 = 1");
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

    /// A certificate received, by its key `COUNTRY/NUMBER`.
    pub async fn phyto_received(&self, key: &str) -> Result<Option<ReceivedCertificate>, StoreError> {
        let doc: Option<String> = sqlx::query_scalar("SELECT doc FROM phyto_received WHERE id = $1")
            .bind(key.trim().to_owned())
            .fetch_optional(self.read_pool())
            .await?;
        Ok(doc.map(|d| decode(&d)).transpose()?)
    }

    /// Certificates received, newest first: those linked to `declaration` when given.
    pub async fn phyto_received_list(&self, declaration: Option<&str>, limit: i64) -> Result<Vec<ReceivedCertificate>, StoreError> {
        let limit = limit.clamp(1, 500);
        let rows = match declaration {
            Some(d) => {
                sqlx::query(&format!(
                    "SELECT doc FROM phyto_received WHERE declaration_id = $1 ORDER BY received_at_ms DESC, id LIMIT {limit}"
                ))
                .bind(d.to_owned())
                .fetch_all(self.read_pool())
                .await?
            }
            None => {
                sqlx::query(&format!("SELECT doc FROM phyto_received ORDER BY received_at_ms DESC, id LIMIT {limit}"))
                    .fetch_all(self.read_pool())
                    .await?
            }
        };
        Ok(rows.iter().map(|r| decode(&r.try_get::<String, _>(0)?)).collect::<Result<_, sqlx::Error>>()?)
    }
}
