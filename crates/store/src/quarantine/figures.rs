//! 检验检疫统计 — the quarantine figures of a period and (optionally) one customs office, computed
//! from the views the write path keeps: consignments, sampling, pre-release, laboratory results,
//! detections by pest, disposition orders and field surveys.

use crate::{Store, StoreError};
use guomen_domain::field::survey::SurveyPlan;
use guomen_domain::quarantine::lab::Sample;
use serde::Serialize;
use sqlx::Row;
use std::collections::BTreeMap;

#[derive(Debug, Clone, Serialize, Default, PartialEq, Eq)]
pub struct DispositionCounts {
    pub open: i64,
    pub closed: i64,
    pub overdue: i64,
}

#[derive(Debug, Clone, Serialize, Default, PartialEq, Eq)]
pub struct SurveyCounts {
    pub planned: i64,
    pub done: i64,
}

/// A detected pest, with how often it was found.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Detection {
    pub analyte: String,
    pub name_en: String,
    pub name_zh: String,
    pub count: i64,
}

#[derive(Debug, Clone, Serialize, Default, PartialEq, Eq)]
pub struct QuarantineFigures {
    pub from: String,
    pub to: String,
    pub office: Option<String>,
    /// Quarantine consignments declared in the period.
    pub consignments: i64,
    /// Of those, sampled for the laboratory.
    pub sampled: i64,
    /// Released on commitment (预提离) in the period.
    pub pre_released: i64,
    /// Laboratory conclusions published in the period, by conclusion.
    pub lab_results: BTreeMap<String, i64>,
    /// Pests detected in results published in the period.
    pub detections: Vec<Detection>,
    /// Disposition orders of the period's consignments.
    pub dispositions: DispositionCounts,
    /// Field surveys of plans made in the period.
    pub surveys: SurveyCounts,
}

impl Store {
    /// Figures for `[from, to]` (whole UTC days), optionally for one customs office.
    pub async fn quarantine_figures(
        &self,
        from: time::Date,
        to: time::Date,
        office: Option<&str>,
        today: time::Date,
    ) -> Result<QuarantineFigures, StoreError> {
        let start = from.midnight().assume_utc().unix_timestamp() * 1000;
        let end = (to.next_day().unwrap_or(to)).midnight().assume_utc().unix_timestamp() * 1000;
        let office_clause = |col: &str, n: usize| office.map(|_| format!(" AND {col} = ${n}")).unwrap_or_default();
        let pool = self.read_pool();

        let q = format!(
            "SELECT COUNT(*) FROM declarations WHERE quarantine = 1 AND filed_at_ms >= $1 AND filed_at_ms < $2{}",
            office_clause("customs_master", 3)
        );
        let mut query = sqlx::query_scalar::<_, i64>(&q).bind(start).bind(end);
        if let Some(o) = office {
            query = query.bind(o.to_owned());
        }
        let consignments = query.fetch_one(pool).await?;

        let q = format!(
            "SELECT COUNT(DISTINCT s.declaration_id) FROM samples s JOIN declarations d ON d.id = s.declaration_id \
             WHERE d.quarantine = 1 AND d.filed_at_ms >= $1 AND d.filed_at_ms < $2 AND s.status <> 'cancelled'{}",
            office_clause("d.customs_master", 3)
        );
        let mut query = sqlx::query_scalar::<_, i64>(&q).bind(start).bind(end);
        if let Some(o) = office {
            query = query.bind(o.to_owned());
        }
        let sampled = query.fetch_one(pool).await?;

        let q = format!(
            "SELECT COUNT(*) FROM declarations WHERE pre_released_at_ms >= $1 AND pre_released_at_ms < $2{}",
            office_clause("customs_master", 3)
        );
        let mut query = sqlx::query_scalar::<_, i64>(&q).bind(start).bind(end);
        if let Some(o) = office {
            query = query.bind(o.to_owned());
        }
        let pre_released = query.fetch_one(pool).await?;

        let q = format!(
            "SELECT s.doc FROM samples s JOIN declarations d ON d.id = s.declaration_id WHERE s.published_at_ms >= $1 AND s.published_at_ms < $2{}",
            office_clause("d.customs_master", 3)
        );
        let mut query = sqlx::query(&q).bind(start).bind(end);
        if let Some(o) = office {
            query = query.bind(o.to_owned());
        }
        let mut lab_results: BTreeMap<String, i64> =
            ["satisfactory", "not-satisfactory", "not-interpretable"].iter().map(|k| ((*k).to_owned(), 0)).collect();
        let mut detections: BTreeMap<String, Detection> = BTreeMap::new();
        for row in query.fetch_all(pool).await? {
            let sample: Sample = serde_json::from_str(&row.try_get::<String, _>(0)?).map_err(|e| StoreError::Database(e.to_string()))?;
            if let Some(c) = sample.conclusion() {
                *lab_results.entry(c.as_str().to_owned()).or_default() += 1;
            }
            for r in sample.detections() {
                let spec = sample.analyte(&r.analyte);
                let e = detections.entry(r.analyte.clone()).or_insert_with(|| Detection {
                    analyte: r.analyte.clone(),
                    name_en: spec.map(|s| s.name_en.clone()).unwrap_or_default(),
                    name_zh: spec.map(|s| s.name_zh.clone()).unwrap_or_default(),
                    count: 0,
                });
                e.count += 1;
            }
        }
        let mut detections: Vec<Detection> = detections.into_values().collect();
        detections.sort_by(|a, b| b.count.cmp(&a.count).then(a.analyte.cmp(&b.analyte)));

        let q = format!(
            "SELECT disposition_deadline, disposition_done_at_ms FROM declarations WHERE disposition_deadline IS NOT NULL AND filed_at_ms >= $1 AND filed_at_ms < $2{}",
            office_clause("customs_master", 3)
        );
        let mut query = sqlx::query(&q).bind(start).bind(end);
        if let Some(o) = office {
            query = query.bind(o.to_owned());
        }
        let mut dispositions = DispositionCounts::default();
        let today_s = today.to_string();
        for row in query.fetch_all(pool).await? {
            let deadline: String = row.try_get(0)?;
            let done: Option<i64> = row.try_get(1)?;
            if done.is_some() {
                dispositions.closed += 1;
            } else {
                dispositions.open += 1;
                if deadline < today_s {
                    dispositions.overdue += 1;
                }
            }
        }

        let q = format!(
            "SELECT p.doc FROM survey_plans p JOIN declarations d ON d.id = p.declaration_id WHERE p.created_at_ms >= $1 AND p.created_at_ms < $2{}",
            office_clause("d.customs_master", 3)
        );
        let mut query = sqlx::query(&q).bind(start).bind(end);
        if let Some(o) = office {
            query = query.bind(o.to_owned());
        }
        let mut surveys = SurveyCounts::default();
        for row in query.fetch_all(pool).await? {
            let plan: SurveyPlan = serde_json::from_str(&row.try_get::<String, _>(0)?).map_err(|e| StoreError::Database(e.to_string()))?;
            surveys.planned += plan.planned_count() as i64;
            surveys.done += plan.done_count() as i64;
        }

        Ok(QuarantineFigures {
            from: from.to_string(),
            to: to.to_string(),
            office: office.map(str::to_owned),
            consignments,
            sampled,
            pre_released,
            lab_results,
            detections,
            dispositions,
            surveys,
        })
    }
}
