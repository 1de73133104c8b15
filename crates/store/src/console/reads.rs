//! Read queries over the console's views. None of them touches the declarations table: the
//! queue is its own small table, walked by index in (filed_at_ms, id) order with a keyset
//! cursor, and the figures sum daily rollups.

use crate::declaration::views::{CLEARANCE_COLUMNS, RANDOM};
use crate::{Store, StoreError};
use serde::Serialize;
use sqlx::Row;

/// A declaration waiting for customs.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct QueueEntry {
    pub id: String,
    pub lane: String,
    pub status: String,
    pub filed_at_ms: i64,
    pub trade_code: String,
    pub bill_no: String,
    pub customs_master: String,
    pub ie_flag: String,
    pub priority: Option<String>,
    pub items: i64,
}

/// Which part of the queue to read.
#[derive(Debug, Clone, Default)]
pub struct QueueFilter {
    pub lane: Option<String>,
    pub priority_only: bool,
    /// Rows after this (filed_at_ms, id): the last row of the previous page.
    pub after: Option<(i64, String)>,
    pub limit: i64,
}

/// How many declarations of a lane wait, and how many of them for over a day.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, Default)]
pub struct LaneLoad {
    pub lane: String,
    pub waiting: i64,
    pub over_a_day: i64,
}

/// Summed rollup columns; see [`CLEARANCE_COLUMNS`] for what each counts.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, Default)]
pub struct ClearanceFigures {
    pub declared: i64,
    pub green: i64,
    pub blue: i64,
    pub yellow: i64,
    pub red: i64,
    pub inspected: i64,
    pub non_conforming: i64,
    pub released: i64,
    pub released_instantly: i64,
    pub pre_released: i64,
    /// Released declarations whose segments are measured.
    pub timed: i64,
    pub arrival_ms: i64,
    pub decision_ms: i64,
    pub inspection_ms: i64,
    pub release_ms: i64,
    /// Time limits falling due.
    pub limits_due: i64,
    pub limits_met: i64,
}

impl ClearanceFigures {
    fn from_row(r: &sqlx::any::AnyRow) -> Result<Self, sqlx::Error> {
        let g = |c: &str| r.try_get::<i64, _>(c);
        Ok(ClearanceFigures {
            declared: g("declared")?,
            green: g("green")?,
            blue: g("blue")?,
            yellow: g("yellow")?,
            red: g("red")?,
            inspected: g("inspected")?,
            non_conforming: g("non_conforming")?,
            released: g("released")?,
            released_instantly: g("released_instantly")?,
            pre_released: g("pre_released")?,
            timed: g("timed")?,
            arrival_ms: g("arrival_ms")?,
            decision_ms: g("decision_ms")?,
            inspection_ms: g("inspection_ms")?,
            release_ms: g("release_ms")?,
            limits_due: g("limits_due")?,
            limits_met: g("limits_met")?,
        })
    }

    /// Adds another group's figures.
    pub fn add(&mut self, o: &ClearanceFigures) {
        self.declared += o.declared;
        self.green += o.green;
        self.blue += o.blue;
        self.yellow += o.yellow;
        self.red += o.red;
        self.inspected += o.inspected;
        self.non_conforming += o.non_conforming;
        self.released += o.released;
        self.released_instantly += o.released_instantly;
        self.pre_released += o.pre_released;
        self.timed += o.timed;
        self.arrival_ms += o.arrival_ms;
        self.decision_ms += o.decision_ms;
        self.inspection_ms += o.inspection_ms;
        self.release_ms += o.release_ms;
        self.limits_due += o.limits_due;
        self.limits_met += o.limits_met;
    }
}

/// How to group the clearance figures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GroupBy {
    Day,
    Office,
    Direction,
}

/// Which rollup rows to sum.
#[derive(Debug, Clone, Default)]
pub struct FiguresFilter {
    /// First and last customs day (YYYY-MM-DD), both included.
    pub from: String,
    pub to: String,
    pub office: Option<String>,
    /// `I` or `E`.
    pub ie_flag: Option<String>,
}

/// A criterion's counts over a period.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, Default)]
pub struct CriterionFigures {
    pub criterion: String,
    pub hits: i64,
    pub selections: i64,
    /// Selections that found a non-conformity.
    pub detections: i64,
}

/// A user as the administrator sees it.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct UserRow {
    pub username: String,
    pub role: String,
    pub enterprise: Option<String>,
    pub created_at_ms: i64,
    pub locked_until_ms: Option<i64>,
}

const QUEUE_COLUMNS: &str = "id, lane, status, filed_at_ms, trade_code, bill_no, customs_master, ie_flag, priority, items";

impl Store {
    /// A page of the officer's work queue, oldest first.
    pub async fn officer_queue(&self, f: &QueueFilter) -> Result<Vec<QueueEntry>, StoreError> {
        let mut sql = format!("SELECT {QUEUE_COLUMNS} FROM officer_queue WHERE 1 = 1");
        let mut n = 0;
        let mut next = || {
            n += 1;
            format!("${n}")
        };
        if f.lane.is_some() {
            sql.push_str(&format!(" AND lane = {}", next()));
        }
        if f.priority_only {
            sql.push_str(" AND priority IS NOT NULL");
        }
        if f.after.is_some() {
            let (a, b) = (next(), next());
            sql.push_str(&format!(" AND (filed_at_ms > {a} OR (filed_at_ms = {a} AND id > {b}))"));
        }
        sql.push_str(&format!(" ORDER BY filed_at_ms, id LIMIT {}", f.limit.clamp(1, 500)));
        let mut q = sqlx::query(&sql);
        if let Some(l) = &f.lane {
            q = q.bind(l.clone());
        }
        if let Some((ms, id)) = &f.after {
            q = q.bind(*ms).bind(id.clone());
        }
        let rows = q.fetch_all(self.read_pool()).await?;
        rows.iter()
            .map(|r| {
                Ok(QueueEntry {
                    id: r.try_get("id")?,
                    lane: r.try_get("lane")?,
                    status: r.try_get("status")?,
                    filed_at_ms: r.try_get("filed_at_ms")?,
                    trade_code: r.try_get("trade_code")?,
                    bill_no: r.try_get("bill_no")?,
                    customs_master: r.try_get("customs_master")?,
                    ie_flag: r.try_get("ie_flag")?,
                    priority: r.try_get("priority")?,
                    items: r.try_get("items")?,
                })
            })
            .collect::<Result<_, sqlx::Error>>()
            .map_err(Into::into)
    }

    /// The queue's load per lane (red, yellow, blue, green), counting those filed before
    /// `day_ago_ms` as waiting over a day.
    pub async fn queue_load(&self, day_ago_ms: i64) -> Result<Vec<LaneLoad>, StoreError> {
        let mut out: Vec<LaneLoad> =
            ["red", "yellow", "blue", "green"].iter().map(|l| LaneLoad { lane: (*l).to_owned(), ..Default::default() }).collect();
        let all = sqlx::query("SELECT lane, COUNT(*) AS n FROM officer_queue GROUP BY lane").fetch_all(self.read_pool()).await?;
        let old = sqlx::query("SELECT lane, COUNT(*) AS n FROM officer_queue WHERE filed_at_ms < $1 GROUP BY lane")
            .bind(day_ago_ms)
            .fetch_all(self.read_pool())
            .await?;
        for (rows, old) in [(all, false), (old, true)] {
            for r in rows {
                let lane: String = r.try_get("lane")?;
                let n: i64 = r.try_get("n")?;
                if let Some(l) = out.iter_mut().find(|l| l.lane == lane) {
                    if old {
                        l.over_a_day = n;
                    } else {
                        l.waiting = n;
                    }
                }
            }
        }
        Ok(out)
    }

    /// Clearance figures of the filter's days, grouped by day, office or direction (sorted by key).
    pub async fn clearance_figures(&self, f: &FiguresFilter, by: GroupBy) -> Result<Vec<(String, ClearanceFigures)>, StoreError> {
        let key = match by {
            GroupBy::Day => "day",
            GroupBy::Office => "office",
            GroupBy::Direction => "ie_flag",
        };
        let sums: Vec<String> = CLEARANCE_COLUMNS.iter().map(|c| format!("CAST(SUM({c}) AS BIGINT) AS {c}")).collect();
        let mut sql = format!("SELECT {key} AS k, {} FROM rollup_clearance WHERE day >= $1 AND day <= $2", sums.join(", "));
        let mut n = 2;
        if f.office.is_some() {
            n += 1;
            sql.push_str(&format!(" AND office = ${n}"));
        }
        if f.ie_flag.is_some() {
            n += 1;
            sql.push_str(&format!(" AND ie_flag = ${n}"));
        }
        sql.push_str(&format!(" GROUP BY {key} ORDER BY {key}"));
        let mut q = sqlx::query(&sql).bind(f.from.clone()).bind(f.to.clone());
        if let Some(o) = &f.office {
            q = q.bind(o.clone());
        }
        if let Some(i) = &f.ie_flag {
            q = q.bind(i.clone());
        }
        let rows = q.fetch_all(self.read_pool()).await?;
        rows.iter()
            .map(|r| Ok((r.try_get::<String, _>("k")?, ClearanceFigures::from_row(r)?)))
            .collect::<Result<_, sqlx::Error>>()
            .map_err(Into::into)
    }

    /// The offices that have any figures, for the dashboard's choice of office.
    pub async fn figure_offices(&self) -> Result<Vec<String>, StoreError> {
        Ok(sqlx::query_scalar("SELECT DISTINCT office FROM rollup_clearance ORDER BY office").fetch_all(self.read_pool()).await?)
    }

    /// Each criterion's hits, selections and detections over the days `from..=to` (all days
    /// when None); the pure random selections are counted under `"(random)"`.
    pub async fn criterion_figures(&self, days: Option<(&str, &str)>) -> Result<Vec<CriterionFigures>, StoreError> {
        let sql = "SELECT criterion, CAST(SUM(hits) AS BIGINT) AS hits, CAST(SUM(selections) AS BIGINT) AS selections, \
                   CAST(SUM(detections) AS BIGINT) AS detections FROM rollup_criteria";
        let rows = match days {
            Some((from, to)) => {
                sqlx::query(&format!("{sql} WHERE day >= $1 AND day <= $2 GROUP BY criterion ORDER BY criterion"))
                    .bind(from.to_owned())
                    .bind(to.to_owned())
                    .fetch_all(self.read_pool())
                    .await?
            }
            None => sqlx::query(&format!("{sql} GROUP BY criterion ORDER BY criterion")).fetch_all(self.read_pool()).await?,
        };
        rows.iter()
            .map(|r| {
                Ok(CriterionFigures {
                    criterion: r.try_get("criterion")?,
                    hits: r.try_get("hits")?,
                    selections: r.try_get("selections")?,
                    detections: r.try_get("detections")?,
                })
            })
            .collect::<Result<_, sqlx::Error>>()
            .map_err(Into::into)
    }

    /// Messages addressed to `recipient`, newest first, before outbox id `before` (all when None).
    pub async fn inbox(&self, recipient: &str, before: Option<i64>, limit: i64) -> Result<Vec<crate::OutboxMessage>, StoreError> {
        self.recent_notices(Some(recipient), before, limit).await
    }

    /// Messages addressed to `recipient`, or to anyone when None (what customs sent), newest
    /// first, before outbox id `before`.
    pub async fn recent_notices(
        &self,
        recipient: Option<&str>,
        before: Option<i64>,
        limit: i64,
    ) -> Result<Vec<crate::OutboxMessage>, StoreError> {
        let cols = "SELECT id, event_seq, stream, recipient, topic, body, created_at_ms FROM outbox";
        let limit = limit.clamp(1, 500);
        let before = before.unwrap_or(i64::MAX);
        let rows = match recipient {
            Some(r) => {
                sqlx::query(&format!("{cols} WHERE recipient = $1 AND id < $2 ORDER BY id DESC LIMIT {limit}"))
                    .bind(r.to_owned())
                    .bind(before)
                    .fetch_all(self.read_pool())
                    .await?
            }
            None => {
                sqlx::query(&format!("{cols} WHERE id < $1 ORDER BY id DESC LIMIT {limit}"))
                    .bind(before)
                    .fetch_all(self.read_pool())
                    .await?
            }
        };
        rows.iter()
            .map(|r| {
                let body: String = r.try_get("body")?;
                Ok(crate::OutboxMessage {
                    id: r.try_get("id")?,
                    event_seq: r.try_get("event_seq")?,
                    stream: r.try_get("stream")?,
                    recipient: r.try_get("recipient")?,
                    topic: r.try_get("topic")?,
                    body: serde_json::from_str(&body).map_err(|e| StoreError::Database(e.to_string()))?,
                    created_at_ms: r.try_get("created_at_ms")?,
                })
            })
            .collect()
    }

    /// Every user (never their password hashes).
    pub async fn users(&self) -> Result<Vec<UserRow>, StoreError> {
        let rows = sqlx::query("SELECT username, role, enterprise, created_at_ms FROM users ORDER BY username")
            .fetch_all(self.read_pool())
            .await?;
        rows.iter()
            .map(|r| {
                Ok(UserRow {
                    username: r.try_get("username")?,
                    role: r.try_get("role")?,
                    enterprise: r.try_get("enterprise")?,
                    created_at_ms: r.try_get("created_at_ms")?,
                    locked_until_ms: None,
                })
            })
            .collect::<Result<_, sqlx::Error>>()
            .map_err(Into::into)
    }

    /// Lock-outs in force at `now_ms`: (username, client address, until).
    pub async fn lockouts(&self, now_ms: i64) -> Result<Vec<(String, String, i64)>, StoreError> {
        let rows = sqlx::query("SELECT username, client, until_ms FROM signin_lockouts WHERE until_ms > $1 ORDER BY username, client")
            .bind(now_ms)
            .fetch_all(self.read_pool())
            .await?;
        rows.iter()
            .map(|r| Ok((r.try_get("username")?, r.try_get("client")?, r.try_get("until_ms")?)))
            .collect::<Result<_, sqlx::Error>>()
            .map_err(Into::into)
    }

    /// The name pure random selections are counted under in [`Store::criterion_figures`].
    pub fn random_selection_name() -> &'static str {
        RANDOM
    }
}
