//! Reads of quarantine permits and laboratory samples.

use crate::{Store, StoreError};
use guomen_domain::quarantine::lab::Sample;
use guomen_domain::quarantine::permit::Permit;
use sqlx::Row;

fn decode<T: serde::de::DeserializeOwned>(s: &str) -> Result<T, sqlx::Error> {
    serde_json::from_str(s).map_err(|e| sqlx::Error::Decode(Box::new(e)))
}

impl Store {
    pub async fn permit(&self, id: &str) -> Result<Option<Permit>, StoreError> {
        let doc: Option<String> =
            sqlx::query_scalar("SELECT doc FROM permits WHERE id = $1").bind(id.to_owned()).fetch_optional(self.read_pool()).await?;
        Ok(doc.map(|d| decode(&d)).transpose()?)
    }

    /// Permits, optionally of one holder, newest first.
    pub async fn permits(&self, holder: Option<&str>) -> Result<Vec<Permit>, StoreError> {
        let rows = match holder {
            Some(h) => {
                sqlx::query("SELECT doc FROM permits WHERE holder = $1 ORDER BY issued_at_ms DESC, id")
                    .bind(h.to_owned())
                    .fetch_all(self.read_pool())
                    .await?
            }
            None => sqlx::query("SELECT doc FROM permits ORDER BY issued_at_ms DESC, id LIMIT 1000").fetch_all(self.read_pool()).await?,
        };
        Ok(rows.iter().map(|r| decode(&r.try_get::<String, _>(0)?)).collect::<Result<_, sqlx::Error>>()?)
    }

    pub async fn sample(&self, id: &str) -> Result<Option<Sample>, StoreError> {
        let doc: Option<String> =
            sqlx::query_scalar("SELECT doc FROM samples WHERE id = $1").bind(id.to_owned()).fetch_optional(self.read_pool()).await?;
        Ok(doc.map(|d| decode(&d)).transpose()?)
    }

    /// Samples, optionally held by one laboratory or of one declaration, newest first.
    pub async fn samples(&self, lab: Option<&str>, declaration: Option<&str>) -> Result<Vec<Sample>, StoreError> {
        let rows = match (lab, declaration) {
            (_, Some(d)) => {
                sqlx::query("SELECT doc FROM samples WHERE declaration_id = $1 ORDER BY ordered_at_ms DESC, id")
                    .bind(d.to_owned())
                    .fetch_all(self.read_pool())
                    .await?
            }
            (Some(l), None) => {
                sqlx::query("SELECT doc FROM samples WHERE lab = $1 ORDER BY ordered_at_ms DESC, id LIMIT 1000")
                    .bind(l.to_owned())
                    .fetch_all(self.read_pool())
                    .await?
            }
            (None, None) => {
                sqlx::query("SELECT doc FROM samples ORDER BY ordered_at_ms DESC, id LIMIT 1000").fetch_all(self.read_pool()).await?
            }
        };
        let mut out: Vec<Sample> = rows.iter().map(|r| decode(&r.try_get::<String, _>(0)?)).collect::<Result<_, sqlx::Error>>()?;
        if let (Some(l), Some(_)) = (lab, declaration) {
            out.retain(|s| s.lab.as_str() == l);
        }
        Ok(out)
    }
}
