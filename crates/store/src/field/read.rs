//! Reads of field work: survey plans, schedules, appointments by day, remote inspections.

use crate::kernel::ms;
use crate::{Store, StoreError};
use guomen_domain::field::appointment::{Appointment, Schedule, SlotKind, CHINA_TIME};
use guomen_domain::field::evidence::RemoteInspection;
use guomen_domain::field::survey::SurveyPlan;
use sqlx::Row;
use time::{Date, PrimitiveDateTime, Time};

use super::schedule_from;

fn decode_error(what: &str) -> sqlx::Error {
    sqlx::Error::Decode(what.to_owned().into())
}

/// Start and end (exclusive), in ms, of a calendar day in China Standard Time.
pub fn china_day_ms(date: Date) -> (i64, i64) {
    let start = PrimitiveDateTime::new(date, Time::MIDNIGHT).assume_offset(CHINA_TIME);
    (ms(start), ms(start + time::Duration::DAY))
}

fn db_err(e: serde_json::Error) -> StoreError {
    StoreError::Database(e.to_string())
}

impl Store {
    pub async fn survey_plan(&self, id: &str) -> Result<Option<SurveyPlan>, StoreError> {
        let doc: Option<String> =
            sqlx::query_scalar("SELECT doc FROM survey_plans WHERE id = $1").bind(id.to_owned()).fetch_optional(&self.read).await?;
        doc.map(|d| serde_json::from_str(&d).map_err(db_err)).transpose()
    }

    /// Survey plans, oldest first; only those held by `holder` when given.
    pub async fn survey_plans(&self, holder: Option<&str>) -> Result<Vec<SurveyPlan>, StoreError> {
        let docs: Vec<String> = match holder {
            Some(h) => {
                sqlx::query_scalar("SELECT doc FROM survey_plans WHERE holder = $1 ORDER BY created_at_ms, id")
                    .bind(h.to_owned())
                    .fetch_all(&self.read)
                    .await?
            }
            None => sqlx::query_scalar("SELECT doc FROM survey_plans ORDER BY created_at_ms, id").fetch_all(&self.read).await?,
        };
        docs.iter().map(|d| serde_json::from_str(d).map_err(db_err)).collect()
    }

    /// Every published schedule, by site and kind.
    pub async fn schedules(&self) -> Result<Vec<Schedule>, StoreError> {
        let rows =
            sqlx::query("SELECT site_code, kind, capacity, hours FROM schedules ORDER BY site_code, kind").fetch_all(&self.read).await?;
        rows.iter()
            .map(|r| {
                let kind: String = r.try_get("kind")?;
                let kind = SlotKind::parse(&kind).ok_or_else(|| decode_error("stored schedule has a bad kind"))?;
                Ok(schedule_from(&r.try_get::<String, _>("site_code")?, kind, r.try_get("capacity")?, &r.try_get::<String, _>("hours")?)?)
            })
            .collect()
    }

    /// The appointments of one calendar day in China Standard Time (the officer's day view),
    /// ordered by start; narrowed to a site and/or a booking enterprise when given.
    pub async fn appointments_on(&self, date: Date, site: Option<&str>, enterprise: Option<&str>) -> Result<Vec<Appointment>, StoreError> {
        let (from, to) = china_day_ms(date);
        let mut sql = String::from("SELECT doc FROM appointments WHERE start_ms >= $1 AND start_ms < $2");
        let mut binds = Vec::new();
        if let Some(s) = site {
            binds.push(s.to_owned());
            sql.push_str(&format!(" AND site_code = ${}", binds.len() + 2));
        }
        if let Some(e) = enterprise {
            binds.push(e.to_owned());
            sql.push_str(&format!(" AND enterprise = ${}", binds.len() + 2));
        }
        sql.push_str(" ORDER BY start_ms, id");
        let mut q = sqlx::query_scalar::<_, String>(&sql).bind(from).bind(to);
        for v in binds {
            q = q.bind(v);
        }
        let docs = q.fetch_all(&self.read).await?;
        let mut out: Vec<Appointment> = docs.iter().map(|d| serde_json::from_str(d).map_err(db_err)).collect::<Result<_, _>>()?;
        // Within an hour, priority bookings are served first.
        out.sort_by(|a, b| a.start.cmp(&b.start).then(b.priority.cmp(&a.priority)).then(a.id.cmp(&b.id)));
        Ok(out)
    }

    pub async fn appointment(&self, id: &str) -> Result<Option<Appointment>, StoreError> {
        let doc: Option<String> =
            sqlx::query_scalar("SELECT doc FROM appointments WHERE id = $1").bind(id.to_owned()).fetch_optional(&self.read).await?;
        doc.map(|d| serde_json::from_str(&d).map_err(db_err)).transpose()
    }

    pub async fn remote_inspection(&self, id: &str) -> Result<Option<RemoteInspection>, StoreError> {
        let doc: Option<String> =
            sqlx::query_scalar("SELECT doc FROM remote_inspections WHERE id = $1").bind(id.to_owned()).fetch_optional(&self.read).await?;
        doc.map(|d| serde_json::from_str(&d).map_err(db_err)).transpose()
    }

    /// The remote inspections of one declaration, in the order opened.
    pub async fn remote_inspections_for(&self, declaration_id: &str) -> Result<Vec<RemoteInspection>, StoreError> {
        let docs: Vec<String> = sqlx::query_scalar("SELECT doc FROM remote_inspections WHERE declaration_id = $1")
            .bind(declaration_id.to_owned())
            .fetch_all(&self.read)
            .await?;
        let mut out: Vec<RemoteInspection> = docs.iter().map(|d| serde_json::from_str(d).map_err(db_err)).collect::<Result<_, _>>()?;
        out.sort_by_key(|r| (r.instructions.first().map(|i| i.at), r.id.len(), r.id.clone()));
        Ok(out)
    }

    /// Whether any recorded evidence has this SHA-256 (files are stored by hash, so a file may
    /// only be removed when no record refers to it).
    pub async fn evidence_hash_in_use(&self, sha256: &str) -> Result<bool, StoreError> {
        if sha256.len() != 64 || !sha256.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Ok(false);
        }
        let pattern = format!("%\"sha256\":\"{sha256}\"%");
        let hit: Option<String> = sqlx::query_scalar("SELECT id FROM remote_inspections WHERE doc LIKE $1 LIMIT 1")
            .bind(pattern)
            .fetch_optional(&self.read)
            .await?;
        Ok(hit.is_some())
    }
}
