//! Read queries. Reads go through a pool of their own and never change anything.

use crate::{Store, StoreError};
use guomen_domain::declaration::Declaration;
use guomen_domain::journal::{Break, EntryFields, Verifier};
use guomen_domain::party::{Actor, CreditGrade, Enterprise, Role};
use guomen_domain::risk::RuleSet;
use guomen_domain::types::{CreditCode, CustomsCode};
use serde::Serialize;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

pub(crate) async fn current_rules_on(conn: &mut AnyConnection) -> Result<RuleSet, sqlx::Error> {
    let doc: Option<String> =
        sqlx::query_scalar("SELECT doc FROM rulesets ORDER BY version DESC LIMIT 1").fetch_optional(&mut *conn).await?;
    Ok(match doc {
        Some(d) => serde_json::from_str(&d).map_err(|e| sqlx::Error::Decode(Box::new(e)))?,
        None => RuleSet::default(),
    })
}

pub(crate) fn enterprise_from_row(r: &AnyRow) -> Result<Enterprise, sqlx::Error> {
    let bad = |what: &str| sqlx::Error::Decode(format!("stored enterprise has a bad {what}").into());
    Ok(Enterprise {
        code: CustomsCode::parse(&r.try_get::<String, _>("code")?).map_err(|_| bad("code"))?,
        credit_code: CreditCode::parse(&r.try_get::<String, _>("credit_code")?).map_err(|_| bad("credit code"))?,
        name_zh: r.try_get("name_zh")?,
        name_en: r.try_get("name_en")?,
        grade: CreditGrade::parse(&r.try_get::<String, _>("grade")?).ok_or_else(|| bad("grade"))?,
        site_code: r.try_get("site_code")?,
    })
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
    /// Only those after this (filed_at_ms, id) in list order: the cursor of the previous page's
    /// last row. Filings committed together share a millisecond, so the id breaks ties.
    pub before: Option<(i64, String)>,
    pub limit: i64,
}

/// A message from the outbox.
#[derive(Debug, Clone, Serialize)]
pub struct OutboxMessage {
    pub id: i64,
    pub event_seq: i64,
    pub stream: String,
    pub recipient: String,
    pub topic: String,
    pub body: serde_json::Value,
    pub created_at_ms: i64,
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

/// A webhook subscription with its delivery counts.
#[derive(Debug, Clone, Serialize)]
pub struct SubscriptionState {
    pub id: String,
    pub enterprise: Option<String>,
    pub url: String,
    pub created_at_ms: i64,
    pub pending: i64,
    pub delivered: i64,
    pub last_error: Option<String>,
}

/// A delivery due for an attempt.
#[derive(Debug, Clone)]
pub struct PendingDelivery {
    pub outbox_id: i64,
    pub subscription_id: String,
    pub stream: String,
    pub attempts: i64,
    pub next_attempt_ms: i64,
    pub url: String,
    pub secret: String,
    pub recipient: String,
    pub topic: String,
    pub body: String,
    pub created_at_ms: i64,
}

/// What `verify` found.
#[derive(Debug, Clone)]
pub struct VerifyReport {
    pub checked: u64,
    pub first_break: Option<Break>,
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

impl Store {
    pub async fn enterprise(&self, code: &str) -> Result<Option<Enterprise>, StoreError> {
        let r = sqlx::query("SELECT code, credit_code, name_zh, name_en, grade, site_code FROM enterprises WHERE code = $1")
            .bind(code.to_owned())
            .fetch_optional(&self.read)
            .await?;
        Ok(r.map(|r| enterprise_from_row(&r)).transpose()?)
    }

    pub async fn enterprises(&self) -> Result<Vec<Enterprise>, StoreError> {
        let rows = sqlx::query("SELECT code, credit_code, name_zh, name_en, grade, site_code FROM enterprises ORDER BY code")
            .fetch_all(&self.read)
            .await?;
        Ok(rows.iter().map(enterprise_from_row).collect::<Result<_, _>>()?)
    }

    pub async fn declaration(&self, id: &str) -> Result<Option<Declaration>, StoreError> {
        let doc: Option<String> =
            sqlx::query_scalar("SELECT doc FROM declarations WHERE id = $1").bind(id.to_owned()).fetch_optional(&self.read).await?;
        doc.map(|d| serde_json::from_str(&d)).transpose().map_err(|e| StoreError::Database(e.to_string()))
    }

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

    /// Messages addressed to `recipient` (or all, for None) after outbox id `after`.
    pub async fn notices(&self, recipient: Option<&str>, after: i64, limit: i64) -> Result<Vec<OutboxMessage>, StoreError> {
        let limit = limit.clamp(1, 1000);
        let rows = match recipient {
            Some(r) => sqlx::query(&format!("SELECT id, event_seq, stream, recipient, topic, body, created_at_ms FROM outbox WHERE recipient = $1 AND id > $2 ORDER BY id LIMIT {limit}")).bind(r.to_owned()).bind(after).fetch_all(&self.read).await?,
            None => sqlx::query(&format!("SELECT id, event_seq, stream, recipient, topic, body, created_at_ms FROM outbox WHERE id > $1 ORDER BY id LIMIT {limit}")).bind(after).fetch_all(&self.read).await?,
        };
        rows.iter()
            .map(|r| {
                let body: String = r.try_get("body")?;
                Ok(OutboxMessage {
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

    pub async fn subscriptions(&self) -> Result<Vec<SubscriptionState>, StoreError> {
        let rows = sqlx::query(
            "SELECT s.id, s.enterprise, s.url, s.created_at_ms, \
             (SELECT COUNT(*) FROM deliveries d WHERE d.subscription_id = s.id AND d.state = 'pending') AS pending, \
             (SELECT COUNT(*) FROM deliveries d WHERE d.subscription_id = s.id AND d.state = 'delivered') AS delivered, \
             (SELECT d.last_error FROM deliveries d WHERE d.subscription_id = s.id AND d.last_error IS NOT NULL ORDER BY d.outbox_id DESC LIMIT 1) AS last_error \
             FROM subscriptions s ORDER BY s.created_at_ms, s.id",
        )
        .fetch_all(&self.read)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(SubscriptionState {
                    id: r.try_get("id")?,
                    enterprise: r.try_get("enterprise")?,
                    url: r.try_get("url")?,
                    created_at_ms: r.try_get("created_at_ms")?,
                    pending: r.try_get("pending")?,
                    delivered: r.try_get("delivered")?,
                    last_error: r.try_get("last_error")?,
                })
            })
            .collect()
    }

    /// Undelivered deliveries that may be attempted at `now_ms`, oldest first: due ones, except
    /// those queued behind an earlier message of the same record to the same subscriber that is
    /// still waiting for its retry. A subscriber that stays down thus never fills the window and
    /// holds up the others; the dispatcher enforces per-record order over what this returns.
    pub async fn pending_deliveries(&self, now_ms: i64, limit: i64) -> Result<Vec<PendingDelivery>, StoreError> {
        let rows = sqlx::query(&format!(
            "SELECT d.outbox_id, d.subscription_id, d.stream, d.attempts, d.next_attempt_ms, s.url, s.secret, o.recipient, o.topic, o.body, o.created_at_ms \
             FROM deliveries d JOIN subscriptions s ON s.id = d.subscription_id JOIN outbox o ON o.id = d.outbox_id \
             WHERE d.state = 'pending' AND d.next_attempt_ms <= $1 \
             AND NOT EXISTS (SELECT 1 FROM deliveries e WHERE e.subscription_id = d.subscription_id AND e.stream = d.stream \
                             AND e.state = 'pending' AND e.outbox_id < d.outbox_id AND e.next_attempt_ms > $1) \
             ORDER BY d.outbox_id LIMIT {}",
            limit.clamp(1, 10_000)
        ))
        .bind(now_ms)
        .fetch_all(&self.read)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(PendingDelivery {
                    outbox_id: r.try_get("outbox_id")?,
                    subscription_id: r.try_get("subscription_id")?,
                    stream: r.try_get("stream")?,
                    attempts: r.try_get("attempts")?,
                    next_attempt_ms: r.try_get("next_attempt_ms")?,
                    url: r.try_get("url")?,
                    secret: r.try_get("secret")?,
                    recipient: r.try_get("recipient")?,
                    topic: r.try_get("topic")?,
                    body: r.try_get("body")?,
                    created_at_ms: r.try_get("created_at_ms")?,
                })
            })
            .collect()
    }

    /// The actor a username and password stand for, if they match.
    pub async fn actor_for_login(&self, username: &str, password: &str) -> Result<Option<Actor>, StoreError> {
        let row = sqlx::query("SELECT role, enterprise, password_hash FROM users WHERE username = $1")
            .bind(username.to_owned())
            .fetch_optional(&self.read)
            .await?;
        let Some(r) = row else { return Ok(None) };
        let hash: String = r.try_get("password_hash")?;
        let role = Role::parse(&r.try_get::<String, _>("role")?);
        let enterprise = r.try_get::<Option<String>, _>("enterprise")?.and_then(|e| CustomsCode::parse(&e).ok());
        let ok = tokio::task::spawn_blocking({
            let password = password.to_owned();
            move || crate::secrets::verify_password(&password, &hash)
        })
        .await
        .unwrap_or(false);
        Ok(if ok { role.map(|role| Actor { id: format!("user:{username}"), role: Some(role), enterprise }) } else { None })
    }

    /// Walks the whole journal and checks every link of the chain.
    pub async fn verify(&self) -> Result<VerifyReport, StoreError> {
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
                after = seq;
            }
        }
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

impl Store {
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

/// An enterprise's disposition orders: how many are open and how many of those are overdue.
#[derive(Debug, Clone, Serialize, Default, PartialEq, Eq)]
pub struct EnterpriseDispositions {
    pub open: i64,
    pub overdue: i64,
    pub closed: i64,
}

impl Store {
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
