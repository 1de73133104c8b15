//! Reads of declarations: one record, keyset pages of the list, an enterprise's disposition orders.

use crate::{Store, StoreError};
use guomen_domain::declaration::Declaration;
use serde::Serialize;
use sqlx::any::AnyRow;
use sqlx::Row;

/// A row of a declaration list.
#[derive(Debug, Clone, Serialize)]
pub struct DeclarationSummary {
    pub id: String,
    pub filed_by: String,
    pub trade_code: String,
    pub terminal: Option<String>,
    pub status: String,
    pub lane: String,
    pub ie_flag: String,
    pub mode: String,
    pub customs_master: String,
    pub bill_no: String,
    pub filed_at_ms: i64,
    pub released_at_ms: Option<i64>,
    pub completion_due: Option<String>,
    pub completed_at_ms: Option<i64>,
    /// 绿色通道: the kind of priority handling asked for.
    pub priority: Option<String>,
    /// Deadline of an open disposition order.
    pub disposition_deadline: Option<String>,
}

/// Which declarations a list shows.
#[derive(Debug, Clone, Default)]
pub struct DeclarationFilter {
    /// Only those naming this enterprise (as filer, consignee/consignor, owner or agent).
    pub party: Option<String>,
    /// Only those addressed to this terminal.
    pub terminal: Option<String>,
    pub status: Option<String>,
    pub lane: Option<String>,
    /// Only those asking for priority handling.
    pub priority_only: bool,
    /// Two-step declarations whose complete declaration is past due on this date (YYYY-MM-DD).
    pub overdue_on: Option<String>,
    /// Only this declaration (its number), or only those of this bill of lading.
    pub id: Option<String>,
    pub bill_no: Option<String>,
    /// Only those naming this enterprise as consignee/consignor.
    pub trade_code: Option<String>,
    /// Only those filed in `[from, to)` (milliseconds since the epoch).
    pub filed_from_ms: Option<i64>,
    pub filed_to_ms: Option<i64>,
    /// Only those after this (filed_at_ms, id) in list order: the cursor of the previous page's
    /// last row. Filings committed together share a millisecond, so the id breaks ties.
    pub before: Option<(i64, String)>,
    pub limit: i64,
}

fn summary(r: &AnyRow) -> Result<DeclarationSummary, sqlx::Error> {
    Ok(DeclarationSummary {
        id: r.try_get("id")?,
        filed_by: r.try_get("filed_by")?,
        trade_code: r.try_get("trade_code")?,
        terminal: r.try_get("terminal")?,
        status: r.try_get("status")?,
        lane: r.try_get("lane")?,
        ie_flag: r.try_get("ie_flag")?,
        mode: r.try_get("mode")?,
        customs_master: r.try_get("customs_master")?,
        bill_no: r.try_get("bill_no")?,
        filed_at_ms: r.try_get("filed_at_ms")?,
        released_at_ms: r.try_get("released_at_ms")?,
        completion_due: r.try_get("completion_due")?,
        completed_at_ms: r.try_get("completed_at_ms")?,
        priority: r.try_get("priority")?,
        disposition_deadline: r.try_get("disposition_deadline")?,
    })
}

/// An enterprise's disposition orders: how many are open and how many of those are overdue.
#[derive(Debug, Clone, Serialize, Default, PartialEq, Eq)]
pub struct EnterpriseDispositions {
    pub open: i64,
    pub overdue: i64,
    pub closed: i64,
}

impl Store {
    pub async fn declaration(&self, id: &str) -> Result<Option<Declaration>, StoreError> {
        let doc: Option<String> =
            sqlx::query_scalar("SELECT doc FROM declarations WHERE id = $1").bind(id.to_owned()).fetch_optional(&self.read).await?;
        doc.map(|d| serde_json::from_str(&d)).transpose().map_err(|e| StoreError::Database(e.to_string()))
    }

    pub async fn declarations(&self, f: &DeclarationFilter) -> Result<Vec<DeclarationSummary>, StoreError> {
        let mut sql = String::from("SELECT id, filed_by, trade_code, terminal, status, lane, ie_flag, mode, customs_master, bill_no, filed_at_ms, released_at_ms, completion_due, completed_at_ms, priority, disposition_deadline FROM declarations WHERE 1 = 1");
        let mut binds: Vec<String> = Vec::new();
        let mut param = |sql: &mut String, clause: &str, v: String| {
            binds.push(v);
            sql.push_str(&clause.replace('?', &format!("${}", binds.len())));
        };
        if let Some(p) = &f.party {
            // One parameter per column keeps every branch on its index.
            for (i, col) in ["filed_by", "trade_code", "owner_code", "agent_code"].iter().enumerate() {
                let c = if i == 0 { format!(" AND ({col} = ?") } else { format!(" OR {col} = ?") };
                param(&mut sql, &c, p.clone());
            }
            sql.push(')');
        }
        if let Some(t) = &f.terminal {
            param(&mut sql, " AND terminal = ?", t.clone());
        }
        if let Some(s) = &f.status {
            param(&mut sql, " AND status = ?", s.clone());
        }
        if let Some(l) = &f.lane {
            param(&mut sql, " AND lane = ?", l.clone());
        }
        if f.priority_only {
            sql.push_str(" AND priority IS NOT NULL");
        }
        if let Some(d) = &f.overdue_on {
            param(&mut sql, " AND completion_due IS NOT NULL AND completed_at_ms IS NULL AND completion_due < ?", d.clone());
        }
        if let Some(id) = &f.id {
            param(&mut sql, " AND id = ?", id.clone());
        }
        if let Some(b) = &f.bill_no {
            param(&mut sql, " AND bill_no = ?", b.clone());
        }
        if let Some(t) = &f.trade_code {
            param(&mut sql, " AND trade_code = ?", t.clone());
        }
        // Numbers are bound as text (one bind type for the whole list) and cast back.
        if let Some(ms) = f.filed_from_ms {
            param(&mut sql, " AND filed_at_ms >= CAST(? AS BIGINT)", ms.to_string());
        }
        if let Some(ms) = f.filed_to_ms {
            param(&mut sql, " AND filed_at_ms < CAST(? AS BIGINT)", ms.to_string());
        }
        let mut q_sql = sql;
        if f.before.is_some() {
            let (m, i) = (binds.len() + 1, binds.len() + 2);
            q_sql.push_str(&format!(" AND (filed_at_ms < ${m} OR (filed_at_ms = ${m} AND id < ${i}))"));
        }
        q_sql.push_str(&format!(" ORDER BY filed_at_ms DESC, id DESC LIMIT {}", f.limit.clamp(1, 500)));
        let mut q = sqlx::query(&q_sql);
        for b in binds {
            q = q.bind(b);
        }
        if let Some((ms, id)) = &f.before {
            q = q.bind(*ms).bind(id.clone());
        }
        let rows = q.fetch_all(&self.read).await?;
        Ok(rows.iter().map(summary).collect::<Result<_, _>>()?)
    }

    /// The disposition orders of declarations naming `code` as consignee/consignor, for its record.
    pub async fn enterprise_dispositions(&self, code: &str, today: time::Date) -> Result<EnterpriseDispositions, StoreError> {
        let rows = sqlx::query("SELECT disposition_deadline, disposition_done_at_ms FROM declarations WHERE trade_code = $1 AND disposition_deadline IS NOT NULL")
            .bind(code.to_owned())
            .fetch_all(&self.read)
            .await?;
        let today = today.to_string();
        let mut d = EnterpriseDispositions::default();
        for r in rows {
            let deadline: String = r.try_get(0)?;
            if r.try_get::<Option<i64>, _>(1)?.is_some() {
                d.closed += 1;
            } else {
                d.open += 1;
                if deadline < today {
                    d.overdue += 1;
                }
            }
        }
        Ok(d)
    }
}
