//! 委托 on the write path: granting and revoking mandates, the book of mandates the writer keeps
//! in memory, and the reads for lists.
//!
//! The check itself is the domain's (`guomen_domain::mandate`); this slice only keeps what it
//! needs at hand. Every mandate is in [`MandateBook`], loaded with the writer's state and updated
//! the moment a grant or revocation is carried out, so the check on a filing, a step or an
//! inventory list reads nothing from the database, and a mandate granted earlier in the same
//! batch already counts. If a batch fails, the writer reloads its state, the book with it.

use crate::batch::{ms, Batch};
use crate::commands::{actor_str, Outcome, Result2};
use crate::writer::WriterState;
use crate::{Store, StoreError};
use guomen_domain::clearance::cst_day;
use guomen_domain::declaration::DeclarationContent;
use guomen_domain::mandate::{self, Mandate, MandateDraft, MandateEvent};
use guomen_domain::party::{Actor, Role};
use guomen_domain::types::CustomsCode;
use guomen_domain::{Event, Refusal};
use sqlx::{AnyConnection, Row};
use std::collections::HashMap;
use time::OffsetDateTime;

/// A change to a mandate.
#[derive(Debug, Clone)]
pub enum MandateCommand {
    /// 委托 — `consignor` gives the mandate `draft` describes; by the consignor's declarant, or an
    /// administrator recording a mandate given on paper.
    Grant { consignor: CustomsCode, draft: MandateDraft },
    /// 撤销委托 — by the consignor's declarant or an administrator.
    Revoke { id: String, reason: String },
}

/// Every mandate, by consignor, as the writer holds it.
#[derive(Debug, Default)]
pub struct MandateBook {
    by_consignor: HashMap<String, Vec<Mandate>>,
    /// id → consignor
    ids: HashMap<String, String>,
}

impl MandateBook {
    pub async fn load(conn: &mut AnyConnection) -> Result<MandateBook, sqlx::Error> {
        let rows = sqlx::query("SELECT doc FROM mandates ORDER BY granted_at_ms, id").fetch_all(&mut *conn).await?;
        let mut book = MandateBook::default();
        for r in &rows {
            book.put(decode(&r.try_get::<String, _>(0)?)?);
        }
        Ok(book)
    }

    /// The mandates `consignor` gave, in force or not.
    pub fn given_by(&self, consignor: &CustomsCode) -> &[Mandate] {
        self.by_consignor.get(consignor.as_str()).map(Vec::as_slice).unwrap_or(&[])
    }

    pub fn get(&self, id: &str) -> Option<&Mandate> {
        let consignor = self.ids.get(id)?;
        self.by_consignor.get(consignor)?.iter().find(|m| m.id == id)
    }

    fn put(&mut self, m: Mandate) {
        let list = self.by_consignor.entry(m.consignor.to_string()).or_default();
        match list.iter_mut().find(|x| x.id == m.id) {
            Some(x) => *x = m,
            None => {
                self.ids.insert(m.id.clone(), m.consignor.to_string());
                list.push(m);
            }
        }
    }
}

fn decode(s: &str) -> Result<Mandate, sqlx::Error> {
    serde_json::from_str(s).map_err(|e| sqlx::Error::Decode(Box::new(e)))
}

/// A declarant's later step on a declaration: refused unless `enterprise` is its consignee/
/// consignor or holds its mandate today (see `guomen_domain::mandate::check_step`).
pub(crate) fn check_step(
    st: &WriterState,
    enterprise: &CustomsCode,
    content: &DeclarationContent,
    now: OffsetDateTime,
) -> Result<(), Refusal> {
    mandate::check_step(enterprise, content, st.mandates.given_by(&content.head.trade_code), cst_day(now))
}

/// Inventory lists (CEB621), cancellations (CEB623) and returns (CEB625) sent by anyone but the
/// e-commerce enterprise or the platform need the e-commerce enterprise's mandate: the whole
/// message is refused (403) before any document is taken. Paths count the declared documents.
/// An operator's import is not checked (see [`crate::ceb::Submission::by_token`]).
pub(crate) fn check_ceb(st: &WriterState, s: &crate::ceb::Submission, now: OffsetDateTime) -> Result<(), Refusal> {
    use crate::ceb::CebDocuments;
    if !s.by_token {
        return Ok(());
    }
    let day = cst_day(now);
    let check = |path: String, ebc: &str, ebp: &str| {
        let given = CustomsCode::parse(ebc).map(|c| st.mandates.given_by(&c)).unwrap_or(&[]);
        mandate::check_ceb_sender(&s.sender, ebc, ebp, given, day, &path)
    };
    match &s.documents {
        CebDocuments::Inventories(v) => {
            v.iter().enumerate().try_for_each(|(i, d)| check(format!("Inventory[{i}]/InventoryHead/agentCode"), &d.ebc_code, &d.ebp_code))
        }
        CebDocuments::Cancels(v) => {
            v.iter().enumerate().try_for_each(|(i, d)| check(format!("InvtCancel[{i}]/agentCode"), &d.ebc_code, &d.ebp_code))
        }
        CebDocuments::Refunds(v) => {
            v.iter().enumerate().try_for_each(|(i, d)| check(format!("InvtRefund[{i}]/InvtRefundHead/agentCode"), &d.ebc_code, &d.ebp_code))
        }
        CebDocuments::Orders(_) | CebDocuments::Payments(_) | CebDocuments::Waybills(_) | CebDocuments::Departures(_) => Ok(()),
    }
}

/// Whether an enterprise is registered, this batch's registrations included.
fn registered(st: &WriterState, b: &Batch, code: &CustomsCode) -> bool {
    b.registered.iter().any(|e| &e.code == code) || st.directory.read().expect("directory lock").enterprises.contains_key(code.as_str())
}

/// The next 委托书编号 (`WT` + year + six digits, per customs year) and its counter.
async fn next_id(conn: &mut AnyConnection, st: &WriterState, b: &Batch, now: OffsetDateTime) -> Result<(String, i64, String), sqlx::Error> {
    let year = cst_day(now).year();
    let name = format!("mandate:{year}");
    let current = match b.counters_touched.get(&name).or_else(|| st.counters.get(&name)) {
        Some(v) => *v,
        None => sqlx::query_scalar::<_, i64>("SELECT value FROM counters WHERE name = $1")
            .bind(name.clone())
            .fetch_optional(&mut *conn)
            .await?
            .unwrap_or(0),
    };
    let next = current + 1;
    Ok((name, next, format!("WT{year}{next:06}")))
}

fn json(m: &Mandate) -> String {
    serde_json::to_string(m).expect("mandates serialize")
}

fn scopes_text(m: &Mandate) -> String {
    m.scopes.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(",")
}

/// Journals the events, tells the agent (and the consignor, when someone else acted for it),
/// and keeps the book.
fn journal(st: &mut WriterState, b: &mut Batch, actor: &Actor, at: i64, m: &Mandate, events: &[MandateEvent], topic: &str) {
    let who = actor_str(actor);
    let mut seq = 0;
    for e in events {
        seq = b.append(st, &who, at, &Event::Mandate(e.clone()));
    }
    let stream = format!("mandate:{}", m.id);
    let body = json(m);
    b.outbox(st, seq, &stream, m.agent.as_str(), topic, body.clone(), at);
    let by_consignor = actor.is(Role::Declarant) && actor.enterprise.as_ref() == Some(&m.consignor);
    if !by_consignor {
        b.outbox(st, seq, &stream, m.consignor.as_str(), topic, body, at);
    }
    st.mandates.put(m.clone());
}

pub(crate) async fn execute(
    conn: &mut AnyConnection,
    st: &mut WriterState,
    b: &mut Batch,
    actor: &Actor,
    cmd: &MandateCommand,
    now: OffsetDateTime,
) -> Result2<Outcome> {
    let at = ms(now);
    match cmd {
        MandateCommand::Grant { consignor, draft } => {
            if !registered(st, b, consignor) {
                return Ok(Err(Refusal::field(
                    "consignor",
                    "enterprise_unknown",
                    format!("no enterprise is registered with customs code {consignor}"),
                    format!("海关编码 {consignor} 未注册"),
                )));
            }
            let (counter, next, id) = next_id(conn, st, b, now).await?;
            let events = match mandate::grant(&id, consignor, draft, actor, now) {
                Ok(e) => e,
                Err(r) => return Ok(Err(r)),
            };
            let m = Mandate::from_events(&events).expect("a grant starts a mandate");
            if !registered(st, b, &m.agent) {
                return Ok(Err(Refusal::field(
                    "agent",
                    "enterprise_unknown",
                    format!("no enterprise is registered with customs code {}", m.agent),
                    format!("海关编码 {} 未注册", m.agent),
                )));
            }
            b.counters_touched.insert(counter, next);
            sqlx::query(
                "INSERT INTO mandates (id, consignor, agent, scopes, valid_from, valid_until, granted_at_ms, revoked_at_ms, doc) VALUES ($1, $2, $3, $4, $5, $6, $7, NULL, $8)",
            )
            .bind(m.id.clone())
            .bind(m.consignor.to_string())
            .bind(m.agent.to_string())
            .bind(scopes_text(&m))
            .bind(m.valid_from.to_string())
            .bind(m.valid_until.to_string())
            .bind(at)
            .bind(json(&m))
            .execute(&mut *conn)
            .await?;
            journal(st, b, actor, at, &m, &events, "mandate.granted");
            Ok(Ok(Outcome::Mandate(Box::new(m))))
        }
        MandateCommand::Revoke { id, reason } => {
            let Some(mut m) = st.mandates.get(id.trim()).cloned() else {
                return Ok(Err(Refusal::not_found("mandate", "委托书")));
            };
            let events = match m.revoke(reason, actor, now) {
                Ok(e) => e,
                Err(r) => return Ok(Err(r)),
            };
            for e in &events {
                m.apply(e);
            }
            sqlx::query("UPDATE mandates SET revoked_at_ms = $1, doc = $2 WHERE id = $3")
                .bind(at)
                .bind(json(&m))
                .bind(m.id.clone())
                .execute(&mut *conn)
                .await?;
            journal(st, b, actor, at, &m, &events, "mandate.revoked");
            Ok(Ok(Outcome::Mandate(Box::new(m))))
        }
    }
}

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
