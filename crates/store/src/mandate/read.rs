//! Reads of mandates.

use super::decode;
use crate::{Store, StoreError};
use guomen_domain::mandate::Mandate;
use sqlx::Row;

/// Which mandates to list, newest grant first.
#[derive(Debug, Clone, Default)]
pub struct MandateFilter {
    /// Mandates this enterprise gave or holds.
    pub party: Option<String>,
    pub consignor: Option<String>,
    pub agent: Option<String>,
    /// At most this many (1–500).
    pub limit: i64,
}

impl Store {
    pub async fn mandate(&self, id: &str) -> Result<Option<Mandate>, StoreError> {
        let doc: Option<String> = sqlx::query_scalar("SELECT doc FROM mandates WHERE id = $1")
            .bind(id.trim().to_owned())
            .fetch_optional(self.read_pool())
            .await?;
        Ok(doc.map(|d| decode(&d)).transpose()?)
    }

    pub async fn mandates(&self, f: &MandateFilter) -> Result<Vec<Mandate>, StoreError> {
        let mut sql = String::from("SELECT doc FROM mandates WHERE 1 = 1");
        let mut binds: Vec<String> = Vec::new();
        let mut param = |sql: &mut String, clause: &str, v: &str| {
            binds.push(v.to_owned());
            sql.push_str(&clause.replace('?', &format!("${}", binds.len())));
        };
        if let Some(p) = &f.party {
            param(&mut sql, " AND (consignor = ?", p);
            param(&mut sql, " OR agent = ?)", p);
        }
        if let Some(c) = &f.consignor {
            param(&mut sql, " AND consignor = ?", c);
        }
        if let Some(a) = &f.agent {
            param(&mut sql, " AND agent = ?", a);
        }
        sql.push_str(&format!(" ORDER BY granted_at_ms DESC, id DESC LIMIT {}", f.limit.clamp(1, 500)));
        let mut q = sqlx::query(&sql);
        for v in binds {
            q = q.bind(v);
        }
        let rows = q.fetch_all(self.read_pool()).await?;
        Ok(rows.iter().map(|r| decode(&r.try_get::<String, _>(0)?)).collect::<Result<_, sqlx::Error>>()?)
    }
}
