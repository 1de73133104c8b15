//! 植物检疫证书 on the write path: the exporter's applications, the officer's issue (signed
//! with the issuing office's key), refusal, replacement and withdrawal, and certificates
//! received for imports.
//!
//! What a certificate says is the domain's (`guomen_domain::phyto::compose`); this slice
//! gathers what it states — the export declaration (read through the spine), its samples, the
//! original certificate a re-export names (received earlier, from its own table) — signs with the
//! keyring, and writes its rows.

pub mod read;
mod rows;

pub(crate) use rows::{certificate_row, received_row, PHYTO_CERTIFICATES, PHYTO_RECEIVED};

pub use read::PhytoFilter;

use crate::admin::Parties;
use crate::declaration::Spine;
use crate::kernel::{bind_row, Handled, Tx};
use crate::keys::Keyring;
use guomen_domain::clearance::cst_day;
use guomen_domain::declaration::{Declaration, IeFlag};
use guomen_domain::phyto::{self, record, Facts, PhytoCertificate, PhytoDocument, PhytoDraft, PhytoEvent, ReceivedCertificate};
use guomen_domain::quarantine::lab::Sample;
use guomen_domain::signing::{KeyPair, Owner};
use guomen_domain::types::{CustomsCode, OfficeCode};
use guomen_domain::{Event, Refusal, RefusalKind, Rule};
use sqlx::Row;
use std::sync::Arc;

#[cfg(test)]
pub(crate) const WRITES: &[&str] = &["phyto_certificates", "phyto_received"];
#[cfg(test)]
pub(crate) const READS: &[&str] = &["declarations", "samples"];

/// A change to a phytosanitary certificate.
#[derive(Debug, Clone)]
pub enum PhytoCommand {
    /// 申请 — `exporter`'s declarant applies.
    Apply { exporter: CustomsCode, draft: Box<PhytoDraft> },
    /// 签发 — an officer issues an application.
    Issue { number: String },
    /// 不予签发
    Refuse { number: String, reason: String },
    /// 替换 — an officer replaces a certificate in force with a corrected one (a new number).
    Replace { number: String, draft: Box<PhytoDraft>, reason: String },
    /// 撤销
    Withdraw { number: String, reason: String },
    /// 接收 — a certificate received from an exporting country, read from its `SPSCertificate`
    /// (`status` its status code), linked to the import declaration named or found by its bill.
    Receive { document: Box<PhytoDocument>, status: String, declaration: Option<String>, bill: Option<String> },
}

/// What a phytosanitary command produced.
#[derive(Debug, Clone)]
pub enum PhytoOutcome {
    /// The certificate (after a replacement: the new one).
    Certificate(Box<PhytoCertificate>),
    /// A certificate received, and whether it is new (false: the same certificate sent again).
    Received(Box<ReceivedCertificate>, bool),
}

pub(crate) fn decode<T: serde::de::DeserializeOwned>(s: &str) -> Result<T, sqlx::Error> {
    serde_json::from_str(s).map_err(|e| sqlx::Error::Decode(Box::new(e)))
}

async fn load(tx: &mut Tx<'_>, number: &str) -> Result<Option<PhytoCertificate>, sqlx::Error> {
    let doc: Option<String> = sqlx::query_scalar("SELECT doc FROM phyto_certificates WHERE number = $1")
        .bind(number.trim().to_owned())
        .fetch_optional(&mut *tx.conn)
        .await?;
    doc.map(|d| decode(&d)).transpose()
}

async fn load_received(tx: &mut Tx<'_>, key: &str) -> Result<Option<ReceivedCertificate>, sqlx::Error> {
    let doc: Option<String> =
        sqlx::query_scalar("SELECT doc FROM phyto_received WHERE id = $1").bind(key.to_owned()).fetch_optional(&mut *tx.conn).await?;
    doc.map(|d| decode(&d)).transpose()
}

async fn samples_of(tx: &mut Tx<'_>, declaration: &str) -> Result<Vec<Sample>, sqlx::Error> {
    let rows = sqlx::query("SELECT doc FROM samples WHERE declaration_id = $1 ORDER BY ordered_at_ms, id")
        .bind(declaration.to_owned())
        .fetch_all(&mut *tx.conn)
        .await?;
    rows.iter().map(|r| decode(&r.try_get::<String, _>(0)?)).collect()
}

/// The issuing office's active key (made on its first signature).
fn signer(keys: &Keyring, office: &OfficeCode) -> Result<Arc<KeyPair>, sqlx::Error> {
    keys.signer(&Owner::Office(office.clone())).map_err(|e| sqlx::Error::Io(std::io::Error::other(e.to_string())))
}

fn not_found() -> Refusal {
    Refusal::not_found("phytosanitary certificate", "植物检疫证书")
}

/// A declaration the caller named that is not there for it: 404 with the field.
fn unknown_declaration(path: &str, en: String, zh: String) -> Refusal {
    Refusal {
        kind: RefusalKind::NotFound,
        detail_en: en.clone(),
        detail_zh: zh.clone(),
        errors: vec![guomen_domain::FieldError::new(path, Rule::DeclarationUnknown, en, zh)],
    }
}

/// The export declaration an application names: the exporter's own export.
async fn export_declaration(
    tx: &mut Tx<'_>,
    spine: &Spine<'_>,
    c: &PhytoCertificate,
) -> Result<Result<Option<Declaration>, Refusal>, sqlx::Error> {
    let Some(id) = &c.application.declaration else { return Ok(Ok(None)) };
    let d = spine.load(tx, id).await?.filter(|d| d.content.head.ie_flag == IeFlag::Export && d.content.parties().contains(&&c.exporter));
    let Some(d) = d else {
        return Ok(Err(unknown_declaration(
            "declaration",
            format!("no export declaration {id} of {}", c.exporter),
            format!("{} 没有出口报关单 {id}", c.exporter),
        )));
    };
    Ok(Ok(Some(d)))
}

/// The original certificate of a re-export, as received.
async fn original_of(tx: &mut Tx<'_>, app: &phyto::Application) -> Result<Option<PhytoDocument>, sqlx::Error> {
    let Some(o) = &app.original else { return Ok(None) };
    Ok(load_received(tx, &format!("{}/{}", o.country, o.number)).await?.map(|r| r.document))
}

/// Journals a certificate's events and tells the exporter.
fn journal(tx: &mut Tx<'_>, c: &PhytoCertificate, events: &[PhytoEvent], topic: &str) {
    let mut seq = 0;
    for e in events {
        seq = tx.append(&Event::Phyto(e.clone()));
    }
    let body = serde_json::json!({ "number": c.number, "status": c.status.as_str(), "replaced_by": c.replaced_by, "replaces": c.replaces });
    tx.notify(seq, &format!("phyto:{}", c.number), c.exporter.as_str(), topic, body.to_string());
}

async fn write(tx: &mut Tx<'_>, c: &PhytoCertificate, new: bool) -> Result<(), sqlx::Error> {
    let sql = if new { PHYTO_CERTIFICATES.insert_sql(&[]) } else { PHYTO_CERTIFICATES.update_sql() };
    bind_row(sqlx::query(&sql), certificate_row(c)).execute(&mut *tx.conn).await?;
    Ok(())
}

/// Takes the next number of the application's office and year.
async fn next_number(tx: &mut Tx<'_>, app: &phyto::Application) -> Result<(String, String, i64), sqlx::Error> {
    let year = cst_day(tx.now).year();
    let counter = record::counter(app, year);
    let next = tx.counter(&counter).await? + 1;
    Ok((record::number(app, year, next), counter, next))
}

/// An officer as the certificate prints them: the username, without `user:`.
fn printed_name(actor_id: &str) -> String {
    actor_id.strip_prefix("user:").unwrap_or(actor_id).to_owned()
}

macro_rules! refused {
    ($e:expr) => {
        match $e {
            Ok(v) => v,
            Err(r) => return Ok(Err(r)),
        }
    };
}

pub(crate) async fn execute(
    tx: &mut Tx<'_>,
    spine: &Spine<'_>,
    parties: &Parties<'_>,
    keys: &Keyring,
    cmd: &PhytoCommand,
) -> Handled<PhytoOutcome> {
    let now = tx.now;
    match cmd {
        PhytoCommand::Apply { exporter, draft } => {
            let app = refused!(phyto::parse(draft));
            let Some(e) = parties.enterprise(exporter.as_str()) else {
                return Ok(Err(Refusal::field(
                    "exporter",
                    Rule::EnterpriseUnknown,
                    format!("no enterprise is registered with customs code {exporter}"),
                    format!("海关编码 {exporter} 未注册"),
                )));
            };
            let (number, counter, next) = next_number(tx, &app).await?;
            let events = refused!(record::apply(&number, exporter, &e.name_zh, app, tx.actor, now));
            let c = PhytoCertificate::from_events(&events).expect("an application starts a certificate");
            // The declaration it names must be the exporter's export.
            refused!(export_declaration(tx, spine, &c).await?);
            tx.journal.set_counter(&counter, next);
            write(tx, &c, true).await?;
            journal(tx, &c, &events, "phyto.applied");
            Ok(Ok(PhytoOutcome::Certificate(Box::new(c))))
        }
        PhytoCommand::Issue { number } => {
            let Some(mut c) = load(tx, number).await? else { return Ok(Err(not_found())) };
            let declaration = refused!(export_declaration(tx, spine, &c).await?);
            let samples = match &declaration {
                Some(d) => samples_of(tx, &d.id).await?,
                None => Vec::new(),
            };
            let original = original_of(tx, &c.application).await?;
            let key = signer(keys, &c.application.office)?;
            let officer = printed_name(&tx.actor.id);
            let facts = Facts {
                number: &c.number,
                officer: &officer,
                now,
                declaration: declaration.as_ref(),
                samples: &samples,
                original: original.as_ref(),
                replaces: None,
            };
            let events = refused!(c.issue(&facts, &key, tx.actor));
            for e in &events {
                c.apply(e);
            }
            write(tx, &c, false).await?;
            journal(tx, &c, &events, "phyto.issued");
            Ok(Ok(PhytoOutcome::Certificate(Box::new(c))))
        }
        PhytoCommand::Refuse { number, reason } => {
            let Some(mut c) = load(tx, number).await? else { return Ok(Err(not_found())) };
            let events = refused!(c.refuse(reason, tx.actor, now));
            for e in &events {
                c.apply(e);
            }
            write(tx, &c, false).await?;
            journal(tx, &c, &events, "phyto.refused");
            Ok(Ok(PhytoOutcome::Certificate(Box::new(c))))
        }
        PhytoCommand::Withdraw { number, reason } => {
            let Some(mut c) = load(tx, number).await? else { return Ok(Err(not_found())) };
            let events = refused!(c.withdraw(reason, tx.actor, now));
            for e in &events {
                c.apply(e);
            }
            write(tx, &c, false).await?;
            journal(tx, &c, &events, "phyto.withdrawn");
            Ok(Ok(PhytoOutcome::Certificate(Box::new(c))))
        }
        PhytoCommand::Replace { number, draft, reason } => {
            let Some(mut old) = load(tx, number).await? else { return Ok(Err(not_found())) };
            let app = refused!(phyto::parse(draft));
            let (new_number, counter, next) = next_number(tx, &app).await?;
            let mut probe = old.clone();
            probe.application = app.clone();
            let declaration = refused!(export_declaration(tx, spine, &probe).await?);
            let samples = match &declaration {
                Some(d) => samples_of(tx, &d.id).await?,
                None => Vec::new(),
            };
            let original = original_of(tx, &app).await?;
            let key = signer(keys, &app.office)?;
            let officer = printed_name(&tx.actor.id);
            let facts = Facts {
                number: &new_number,
                officer: &officer,
                now,
                declaration: declaration.as_ref(),
                samples: &samples,
                original: original.as_ref(),
                replaces: None,
            };
            let (old_events, new_events) = refused!(old.replace(app, reason, &new_number, &facts, &key, tx.actor));
            for e in &old_events {
                old.apply(e);
            }
            let new = PhytoCertificate::from_events(&new_events).expect("a replacement starts a certificate");
            tx.journal.set_counter(&counter, next);
            write(tx, &old, false).await?;
            write(tx, &new, true).await?;
            journal(tx, &old, &old_events, "phyto.replaced");
            journal(tx, &new, &new_events, "phyto.issued");
            Ok(Ok(PhytoOutcome::Certificate(Box::new(new))))
        }
        PhytoCommand::Receive { document, status, declaration, bill } => {
            let declaration = match (declaration, bill) {
                (Some(id), _) => match spine.load(tx, id).await? {
                    Some(d) => Some(d),
                    None => {
                        return Ok(Err(unknown_declaration("declaration", format!("no declaration {id}"), format!("报关单 {id} 不存在"))))
                    }
                },
                (None, Some(b)) => {
                    let id: Option<String> = sqlx::query_scalar(
                        "SELECT id FROM declarations WHERE bill_no = $1 AND ie_flag = 'I' ORDER BY filed_at_ms DESC, id DESC LIMIT 1",
                    )
                    .bind(b.trim().to_owned())
                    .fetch_optional(&mut *tx.conn)
                    .await?;
                    match id {
                        Some(id) => spine.load(tx, &id).await?,
                        None => {
                            return Ok(Err(unknown_declaration(
                                "bill",
                                format!("no import declaration for bill {b}"),
                                format!("提单 {b} 没有进口报关单"),
                            )))
                        }
                    }
                }
                (None, None) => None,
            };
            refused!(phyto::received::check_receiver(tx.actor, declaration.as_ref()));
            refused!(phyto::received::check_status(status));
            let key = phyto::received::key(document);
            if let Some(existing) = load_received(tx, &key).await? {
                // The same certificate sent again is the one received; another under its number is not.
                return Ok(if existing.document == **document {
                    Ok(PhytoOutcome::Received(Box::new(existing), false))
                } else {
                    Err(Refusal::new(
                        RefusalKind::Conflict,
                        format!("another certificate {} of {} was received already", document.number, document.export_country),
                        format!("已接收 {} 签发的另一份第 {} 号证书", document.export_country, document.number),
                    ))
                });
            }
            let events = refused!(phyto::received::receive((**document).clone(), status, declaration.as_ref(), tx.actor, now));
            let c = ReceivedCertificate::from_events(&events).expect("a receipt makes a certificate");
            bind_row(sqlx::query(&PHYTO_RECEIVED.insert_sql(&[])), received_row(&c)).execute(&mut *tx.conn).await?;
            for e in &events {
                tx.append(&Event::PhytoReceived(e.clone()));
            }
            Ok(Ok(PhytoOutcome::Received(Box::new(c), true)))
        }
    }
}
