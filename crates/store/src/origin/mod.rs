//! 原产地证书 on the write path: applications, amendments and officers' decisions.
//!
//! The review is the domain's (`guomen_domain::origin::review`); this slice gathers what it
//! reads besides the application — the exporter's credit grade (the directory), its history
//! (its own table: certificates issued, certificates refused after verification) and the risk
//! lists of the rule set in force — and records the outcome with the application.

pub mod read;
mod rows;

pub(crate) use rows::{certificate_row, ORIGIN_CERTIFICATES};

pub use read::OriginFilter;

use crate::admin::Parties;
use crate::kernel::{bind_row, Handled, Tx};
use crate::keys::Keyring;
use guomen_domain::clearance::cst_day;
use guomen_domain::origin::{self, record, DecisionAction, Facts, OriginCertificate, OriginDraft, OriginEvent, PsrTable};
use guomen_domain::risk::RuleSet;
use guomen_domain::signing::Owner;
use guomen_domain::types::CustomsCode;
use guomen_domain::{Event, Refusal, Rule};

#[cfg(test)]
pub(crate) const WRITES: &[&str] = &["origin_certificates"];
#[cfg(test)]
pub(crate) const READS: &[&str] = &[];

/// A change to a certificate of origin.
#[derive(Debug, Clone)]
pub enum OriginCommand {
    /// 申请 — `exporter`'s declarant applies; reviewed at once.
    Apply { exporter: CustomsCode, draft: Box<OriginDraft> },
    /// 修改 — the exporter amends an application returned to it.
    Amend { number: String, draft: Box<OriginDraft> },
    /// 人工审核/核查 — an officer decides an application referred to customs.
    Decide { number: String, action: DecisionAction, reason: String },
}

pub(crate) fn decode(s: &str) -> Result<OriginCertificate, sqlx::Error> {
    serde_json::from_str(s).map_err(|e| sqlx::Error::Decode(Box::new(e)))
}

/// What the review reads besides the application.
async fn facts(tx: &mut Tx<'_>, parties: &Parties<'_>, rules: &RuleSet, exporter: &CustomsCode) -> Result<Option<Facts>, sqlx::Error> {
    let Some(e) = parties.enterprise(exporter.as_str()) else { return Ok(None) };
    // COUNT(*) is BIGINT on both engines (a SUM is NUMERIC on PostgreSQL).
    let (issued, findings) = sqlx::query_as::<_, (i64, i64)>(
        "SELECT (SELECT COUNT(*) FROM origin_certificates WHERE exporter = $1 AND status = 'issued'), \
         (SELECT COUNT(*) FROM origin_certificates WHERE exporter = $2 AND finding = 1)",
    )
    .bind(exporter.to_string())
    .bind(exporter.to_string())
    .fetch_one(&mut *tx.conn)
    .await?;
    let list = |name: &str| rules.lists.get(name);
    Ok(Some(Facts {
        grade: e.grade,
        issued_before: u64::try_from(issued).unwrap_or(0),
        findings: u64::try_from(findings).unwrap_or(0),
        exporter_watched: list(origin::WATCHED_EXPORTERS).is_some_and(|l| l.contains(exporter.as_str())),
        watched_goods: list(origin::WATCHED_GOODS).map(|l| l.iter().cloned().collect()).unwrap_or_default(),
        ruleset_version: rules.version,
    }))
}

async fn load(tx: &mut Tx<'_>, number: &str) -> Result<Option<OriginCertificate>, sqlx::Error> {
    let doc: Option<String> = sqlx::query_scalar("SELECT doc FROM origin_certificates WHERE number = $1")
        .bind(number.trim().to_owned())
        .fetch_optional(&mut *tx.conn)
        .await?;
    doc.map(|d| decode(&d)).transpose()
}

/// Journals the events and tells the exporter the outcome.
fn journal(tx: &mut Tx<'_>, c: &OriginCertificate, events: &[OriginEvent], topic: &str) {
    let mut seq = 0;
    for e in events {
        seq = tx.append(&Event::Origin(e.clone()));
    }
    let body = serde_json::json!({
        "number": c.number,
        "status": c.status.as_str(),
        "outcome": c.review.outcome.as_str(),
        "reasons": c.review.for_trader(),
    });
    tx.notify(seq, &format!("origin:{}", c.number), c.exporter.as_str(), topic, body.to_string());
}

fn unknown_exporter(code: &CustomsCode) -> Refusal {
    Refusal::field(
        "exporter",
        Rule::EnterpriseUnknown,
        format!("no enterprise is registered with customs code {code}"),
        format!("海关编码 {code} 未注册"),
    )
}

/// Signs a certificate just issued with its office's key (made on its first signature): the
/// event, applied to `c`, joins the command's events.
fn sign_if_issued(keys: &Keyring, c: &mut OriginCertificate, events: &mut Vec<OriginEvent>) -> Result<(), sqlx::Error> {
    if c.status != guomen_domain::origin::OriginStatus::Issued || c.signature.is_some() {
        return Ok(());
    }
    let key =
        keys.signer(&Owner::Office(c.application.office.clone())).map_err(|e| sqlx::Error::Io(std::io::Error::other(e.to_string())))?;
    if let Some(e) = c.sign(&key) {
        c.apply(&e);
        events.push(e);
    }
    Ok(())
}

pub(crate) async fn execute(
    tx: &mut Tx<'_>,
    parties: &Parties<'_>,
    rules: &RuleSet,
    keys: &Keyring,
    cmd: &OriginCommand,
) -> Handled<OriginCertificate> {
    let now = tx.now;
    let psr = PsrTable::embedded();
    match cmd {
        OriginCommand::Apply { exporter, draft } => {
            let app = match origin::parse(draft) {
                Ok(a) => a,
                Err(r) => return Ok(Err(r)),
            };
            let Some(facts) = facts(tx, parties, rules, exporter).await? else {
                return Ok(Err(unknown_exporter(exporter)));
            };
            let name = parties.enterprise(exporter.as_str()).map(|e| e.name_zh).unwrap_or_default();
            let year = cst_day(now).year();
            let counter = record::counter(&app, year);
            let next = tx.counter(&counter).await? + 1;
            let number = record::number(&app, year, next);
            let mut events = match record::apply(&number, exporter, &name, app, &facts, psr, tx.actor, now) {
                Ok(e) => e,
                Err(r) => return Ok(Err(r)),
            };
            let mut c = OriginCertificate::from_events(&events).expect("an application starts a certificate");
            sign_if_issued(keys, &mut c, &mut events)?;
            tx.journal.set_counter(&counter, next);
            bind_row(sqlx::query(&ORIGIN_CERTIFICATES.insert_sql(&[])), certificate_row(&c)).execute(&mut *tx.conn).await?;
            journal(tx, &c, &events, "origin.reviewed");
            Ok(Ok(c))
        }
        OriginCommand::Amend { number, draft } => {
            let Some(mut c) = load(tx, number).await? else {
                return Ok(Err(Refusal::not_found("certificate of origin", "原产地证书")));
            };
            let app = match origin::parse(draft) {
                Ok(a) => a,
                Err(r) => return Ok(Err(r)),
            };
            let Some(facts) = facts(tx, parties, rules, &c.exporter).await? else {
                return Ok(Err(unknown_exporter(&c.exporter)));
            };
            let mut events = match c.amend(app, &facts, psr, tx.actor, now) {
                Ok(e) => e,
                Err(r) => return Ok(Err(r)),
            };
            for e in &events {
                c.apply(e);
            }
            sign_if_issued(keys, &mut c, &mut events)?;
            bind_row(sqlx::query(&ORIGIN_CERTIFICATES.update_sql()), certificate_row(&c)).execute(&mut *tx.conn).await?;
            journal(tx, &c, &events, "origin.reviewed");
            Ok(Ok(c))
        }
        OriginCommand::Decide { number, action, reason } => {
            let Some(mut c) = load(tx, number).await? else {
                return Ok(Err(Refusal::not_found("certificate of origin", "原产地证书")));
            };
            let mut events = match c.decide(*action, reason, tx.actor, now) {
                Ok(e) => e,
                Err(r) => return Ok(Err(r)),
            };
            for e in &events {
                c.apply(e);
            }
            sign_if_issued(keys, &mut c, &mut events)?;
            bind_row(sqlx::query(&ORIGIN_CERTIFICATES.update_sql()), certificate_row(&c)).execute(&mut *tx.conn).await?;
            journal(tx, &c, &events, "origin.decided");
            Ok(Ok(c))
        }
    }
}
