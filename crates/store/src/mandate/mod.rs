//! 委托 on the write path: granting and revoking mandates, the book of mandates the writer keeps
//! in memory, and the reads for lists.
//!
//! The check itself is the domain's (`guomen_domain::mandate`); this slice only keeps what it
//! needs at hand. Every mandate is in [`MandateBook`], loaded with the writer's state and updated
//! the moment a grant or revocation is carried out, so the check on a filing, a step or an
//! inventory list reads nothing from the database, and a mandate granted earlier in the same
//! batch already counts. If a batch fails, the writer reloads its state, the book with it.

pub mod read;
mod rows;

pub(crate) use rows::{mandate_row, MANDATES};

pub use read::MandateFilter;

use crate::admin::Parties;
use crate::kernel::{bind_row, Handled, Tx};
use guomen_domain::clearance::cst_day;
use guomen_domain::declaration::DeclarationContent;
use guomen_domain::mandate::{self, Mandate, MandateDraft, MandateEvent};
use guomen_domain::party::Role;
use guomen_domain::types::CustomsCode;
use guomen_domain::{Event, Refusal, Rule};
use sqlx::{AnyConnection, Row};

#[cfg(test)]
pub(crate) const WRITES: &[&str] = &["mandates"];
#[cfg(test)]
pub(crate) const READS: &[&str] = &[];
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

    pub(crate) fn put(&mut self, m: Mandate) {
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

pub(crate) fn decode(s: &str) -> Result<Mandate, sqlx::Error> {
    serde_json::from_str(s).map_err(|e| sqlx::Error::Decode(Box::new(e)))
}

/// A declarant's later step on a declaration: refused unless `enterprise` is its consignee/
/// consignor or holds its mandate today (see `guomen_domain::mandate::check_step`).
pub(crate) fn check_step(
    book: &MandateBook,
    enterprise: &CustomsCode,
    content: &DeclarationContent,
    now: OffsetDateTime,
) -> Result<(), Refusal> {
    mandate::check_step(enterprise, content, book.given_by(&content.head.trade_code), cst_day(now))
}

/// Inventory lists (CEB621), cancellations (CEB623) and returns (CEB625) sent by anyone but the
/// e-commerce enterprise or the platform need the e-commerce enterprise's mandate: the whole
/// message is refused (403) before any document is taken. Paths count the declared documents.
/// An operator's import is not checked (see [`crate::ceb::Submission::by_token`]).
pub(crate) fn check_ceb(book: &MandateBook, s: &crate::ceb::Submission, now: OffsetDateTime) -> Result<(), Refusal> {
    use crate::ceb::CebDocuments;
    if !s.by_token {
        return Ok(());
    }
    let day = cst_day(now);
    let check = |path: String, ebc: &str, ebp: &str| {
        let given = CustomsCode::parse(ebc).map(|c| book.given_by(&c)).unwrap_or(&[]);
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

/// The next 委托书编号 (`WT` + year + six digits, per customs year) and its counter.
async fn next_id(tx: &mut Tx<'_>) -> Result<(String, i64, String), sqlx::Error> {
    let year = cst_day(tx.now).year();
    let name = format!("mandate:{year}");
    let next = tx.counter(&name).await? + 1;
    Ok((name, next, format!("WT{year}{next:06}")))
}

fn json(m: &Mandate) -> String {
    serde_json::to_string(m).expect("mandates serialize")
}

/// Journals the events, tells the agent (and the consignor, when someone else acted for it),
/// and keeps the book.
fn journal(tx: &mut Tx<'_>, book: &mut MandateBook, m: &Mandate, events: &[MandateEvent], topic: &str) {
    let mut seq = 0;
    for e in events {
        seq = tx.append(&Event::Mandate(e.clone()));
    }
    let stream = format!("mandate:{}", m.id);
    let body = json(m);
    tx.notify(seq, &stream, m.agent.as_str(), topic, body.clone());
    let by_consignor = tx.actor.is(Role::Declarant) && tx.actor.enterprise.as_ref() == Some(&m.consignor);
    if !by_consignor {
        tx.notify(seq, &stream, m.consignor.as_str(), topic, body);
    }
    book.put(m.clone());
}

/// Grants or revokes a mandate. Both parties must be registered enterprises.
pub(crate) async fn execute(tx: &mut Tx<'_>, book: &mut MandateBook, parties: &Parties<'_>, cmd: &MandateCommand) -> Handled<Mandate> {
    let now = tx.now;
    match cmd {
        MandateCommand::Grant { consignor, draft } => {
            if !parties.exists(consignor) {
                return Ok(Err(Refusal::field(
                    "consignor",
                    Rule::EnterpriseUnknown,
                    format!("no enterprise is registered with customs code {consignor}"),
                    format!("海关编码 {consignor} 未注册"),
                )));
            }
            let (counter, next, id) = next_id(tx).await?;
            let events = match mandate::grant(&id, consignor, draft, tx.actor, now) {
                Ok(e) => e,
                Err(r) => return Ok(Err(r)),
            };
            let m = Mandate::from_events(&events).expect("a grant starts a mandate");
            if !parties.exists(&m.agent) {
                return Ok(Err(Refusal::field(
                    "agent",
                    Rule::EnterpriseUnknown,
                    format!("no enterprise is registered with customs code {}", m.agent),
                    format!("海关编码 {} 未注册", m.agent),
                )));
            }
            tx.journal.set_counter(&counter, next);
            bind_row(sqlx::query(&MANDATES.insert_sql(&[])), mandate_row(&m)).execute(&mut *tx.conn).await?;
            journal(tx, book, &m, &events, "mandate.granted");
            Ok(Ok(m))
        }
        MandateCommand::Revoke { id, reason } => {
            let Some(mut m) = book.get(id.trim()).cloned() else {
                return Ok(Err(Refusal::not_found("mandate", "委托书")));
            };
            let events = match m.revoke(reason, tx.actor, now) {
                Ok(e) => e,
                Err(r) => return Ok(Err(r)),
            };
            for e in &events {
                m.apply(e);
            }
            bind_row(sqlx::query(&MANDATES.update_sql()), mandate_row(&m)).execute(&mut *tx.conn).await?;
            journal(tx, book, &m, &events, "mandate.revoked");
            Ok(Ok(m))
        }
    }
}
