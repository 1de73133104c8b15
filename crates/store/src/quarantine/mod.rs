//! Quarantine permits and laboratory samples on the write path. A permit named on a declaration
//! is checked and written off when the declaration is filed ([`Permits`]); a sample's published
//! conclusion is applied to its declaration in the same transaction.
//!
//! Each record lives in its table with its whole state as JSON in `doc`; a command loads it
//! inside the writer's transaction, calls the pure procedure, and journals and saves what it
//! decided.

pub mod figures;
pub mod read;
mod rows;

use crate::declaration::Spine;
use crate::kernel::{bind_row, Handled, Tx};
use crate::numbering;
use guomen_domain::declaration::Declaration;
use guomen_domain::quarantine::lab::{self, Sample, SampleEvent};
use guomen_domain::quarantine::permit::{self, Permit, PermitDraft, PermitEvent};
use guomen_domain::quarantine::sampling;
use guomen_domain::types::CustomsCode;
use guomen_domain::{Event, Refusal, RefusalKind, Rule};
use rust_decimal::Decimal;
use sqlx::AnyConnection;

pub(crate) use rows::{permit_row, sample_row, PERMITS, SAMPLES};

#[cfg(test)]
pub(crate) const WRITES: &[&str] = &["permits", "samples"];
#[cfg(test)]
pub(crate) const READS: &[&str] = &["declarations", "survey_plans"];

/// A laboratory step on a sample, by the laboratory that holds it.
#[derive(Debug, Clone)]
pub enum LabStep {
    Receive,
    EnterResult { analyte: String, value: Option<Decimal>, detected: Option<bool> },
    Verify,
    Publish { not_interpretable_note: Option<String> },
    Retract { reason: String },
    Invalidate { reason: String },
}

/// A change to a permit or a sample.
#[derive(Debug, Clone)]
pub enum QuarantineCommand {
    IssuePermit(PermitDraft),
    RevokePermit {
        id: String,
        reason: String,
    },
    /// 取样、封样、送检 — the officer takes the sample the declaration's sampling order calls for.
    TakeSample {
        declaration_id: String,
        lab: CustomsCode,
        seal_no: String,
        quantity: String,
        analytes: Option<Vec<String>>,
    },
    /// A laboratory step; `lab` is the acting laboratory's enterprise.
    Step {
        sample_id: String,
        lab: CustomsCode,
        step: LabStep,
    },
    CancelSample {
        sample_id: String,
        reason: String,
    },
}

/// What a quarantine command produced.
#[derive(Debug, Clone)]
pub enum QuarantineOutcome {
    Permit(Box<Permit>),
    /// A sample, and its declaration when the step changed it.
    Sample {
        sample: Box<Sample>,
        declaration: Option<Box<Declaration>>,
    },
}

fn json<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_string(v).expect("records serialize")
}

fn decode<T: serde::de::DeserializeOwned>(s: &str) -> Result<T, sqlx::Error> {
    serde_json::from_str(s).map_err(|e| sqlx::Error::Decode(Box::new(e)))
}

/// Permits as the declaration family sees them at filing: the ones a declaration names, and the
/// write-offs its filing decided.
#[derive(Clone, Copy)]
pub struct Permits;

impl Permits {
    /// The permits a declaration names (licences with docu_code QP), for the check at filing.
    pub async fn named(
        self,
        tx: &mut Tx<'_>,
        content: &guomen_domain::declaration::DeclarationContent,
    ) -> Result<Vec<Permit>, sqlx::Error> {
        let mut out = Vec::new();
        for l in content.licences.iter().filter(|l| l.docu_code == permit::PERMIT_DOCU_CODE) {
            if out.iter().any(|p: &Permit| p.id == l.cert_code) {
                continue;
            }
            if let Some(p) = load_permit(tx.conn, &l.cert_code).await? {
                out.push(p);
            }
        }
        Ok(out)
    }

    /// Journals permit write-offs decided at filing and updates the permits they touch.
    pub async fn write_off(self, tx: &mut Tx<'_>, events: Vec<PermitEvent>) -> Result<(), sqlx::Error> {
        for e in events {
            let Some(mut p) = load_permit(tx.conn, e.permit_id()).await? else { continue };
            tx.append(&Event::Permit(e.clone()));
            p.apply(&e);
            save_permit(tx.conn, &p, false).await?;
        }
        Ok(())
    }
}

async fn load_permit(conn: &mut AnyConnection, id: &str) -> Result<Option<Permit>, sqlx::Error> {
    let doc: Option<String> =
        sqlx::query_scalar("SELECT doc FROM permits WHERE id = $1").bind(id.to_owned()).fetch_optional(&mut *conn).await?;
    doc.map(|d| decode(&d)).transpose()
}

async fn save_permit(conn: &mut AnyConnection, p: &Permit, insert: bool) -> Result<(), sqlx::Error> {
    let sql = if insert { PERMITS.insert_sql(&[]) } else { PERMITS.update_sql() };
    bind_row(sqlx::query(&sql), permit_row(p)).execute(&mut *conn).await?;
    Ok(())
}

async fn load_sample(conn: &mut AnyConnection, id: &str) -> Result<Option<Sample>, sqlx::Error> {
    let doc: Option<String> =
        sqlx::query_scalar("SELECT doc FROM samples WHERE id = $1").bind(id.to_owned()).fetch_optional(&mut *conn).await?;
    doc.map(|d| decode(&d)).transpose()
}

async fn save_sample(conn: &mut AnyConnection, s: &Sample, insert: bool) -> Result<(), sqlx::Error> {
    let sql = if insert { SAMPLES.insert_sql(&[]) } else { SAMPLES.update_sql() };
    bind_row(sqlx::query(&sql), sample_row(s)).execute(&mut *conn).await?;
    Ok(())
}

fn journal_sample(tx: &mut Tx<'_>, sample: &mut Sample, events: &[SampleEvent]) {
    for e in events {
        tx.append(&Event::Sample(e.clone()));
        sample.apply(e);
    }
}

/// Carries out a permit or sample command. Sampling and a published conclusion change the
/// declaration, through the spine.
pub(crate) async fn execute(
    tx: &mut Tx<'_>,
    spine: &mut Spine<'_>,
    labs: &crate::admin::Parties<'_>,
    cmd: &QuarantineCommand,
) -> Handled<QuarantineOutcome> {
    let (actor, now) = (tx.actor.id.clone(), tx.now);
    match cmd {
        QuarantineCommand::IssuePermit(draft) => {
            let events = match permit::issue(draft, now) {
                Ok(e) => e,
                Err(r) => return Ok(Err(r)),
            };
            let p = Permit::from_events(&events).expect("issue starts a permit");
            if !labs.exists(&p.holder) {
                return Ok(Err(Refusal::field(
                    "holder",
                    Rule::EnterpriseUnknown,
                    format!("no enterprise {}", p.holder),
                    format!("企业 {} 不存在", p.holder),
                )));
            }
            if load_permit(tx.conn, &p.id).await?.is_some() {
                return Ok(Err(Refusal::new(
                    RefusalKind::Conflict,
                    format!("permit {} already exists", p.id),
                    format!("检疫许可证 {} 已存在", p.id),
                )));
            }
            for e in &events {
                tx.append(&Event::Permit(e.clone()));
            }
            save_permit(tx.conn, &p, true).await?;
            Ok(Ok(QuarantineOutcome::Permit(Box::new(p))))
        }
        QuarantineCommand::RevokePermit { id, reason } => {
            let Some(mut p) = load_permit(tx.conn, id).await? else { return Ok(Err(Refusal::not_found("permit", "检疫许可证"))) };
            let events = match p.revoke(reason, &actor, now) {
                Ok(e) => e,
                Err(r) => return Ok(Err(r)),
            };
            for e in &events {
                tx.append(&Event::Permit(e.clone()));
                p.apply(e);
            }
            save_permit(tx.conn, &p, false).await?;
            Ok(Ok(QuarantineOutcome::Permit(Box::new(p))))
        }
        QuarantineCommand::TakeSample { declaration_id, lab: lab_code, seal_no, quantity, analytes } => {
            let Some(d) = spine.load(tx, declaration_id).await? else { return Ok(Err(Refusal::not_found("declaration", "报关单"))) };
            if !labs.exists(lab_code) {
                return Ok(Err(Refusal::field(
                    "lab",
                    Rule::EnterpriseUnknown,
                    format!("no laboratory {lab_code}"),
                    format!("实验室 {lab_code} 不存在"),
                )));
            }
            let counter = format!("sample:{declaration_id}");
            let n = numbering::peek(tx, &counter, "SELECT COUNT(*) FROM samples WHERE declaration_id = $1", Some(declaration_id)).await?;
            let sample_id = format!("S{declaration_id}-{n}");
            let decl_events = match d.take_sample(&sample_id, now) {
                Ok(e) => e,
                Err(r) => return Ok(Err(r)),
            };
            let specs = match sampling::analytes_for(&d, analytes.as_deref()) {
                Ok(s) => s,
                Err(r) => return Ok(Err(r)),
            };
            let reason = sampling::reason_for(&d).expect("take_sample refuses a declaration without a sampling order");
            let ordered = match lab::order(&sample_id, declaration_id, lab_code.clone(), specs, reason, &actor, now) {
                Ok(e) => e,
                Err(r) => return Ok(Err(r)),
            };
            let mut sample = Sample::from_events(&ordered).expect("order starts a sample");
            let taken = match sample.take(seal_no, quantity, &actor, now) {
                Ok(e) => e,
                Err(r) => return Ok(Err(r)),
            };
            numbering::take(tx, &counter, n);
            for e in &ordered {
                tx.append(&Event::Sample(e.clone()));
            }
            journal_sample(tx, &mut sample, &taken);
            save_sample(tx.conn, &sample, true).await?;
            let record = spine.persist(tx, Some(d), &decl_events);
            let seq = tx.journal.last_seq();
            let sent = sampling::sent_notice(&sample);
            tx.notify(seq, &format!("sample:{}", sample.id), sent.recipient.as_str(), sent.topic, sent.body.to_string());
            Ok(Ok(QuarantineOutcome::Sample { sample: Box::new(sample), declaration: Some(Box::new(record)) }))
        }
        QuarantineCommand::Step { sample_id, lab: acting_lab, step } => {
            let Some(mut sample) = load_sample(tx.conn, sample_id).await?.filter(|s| &s.lab == acting_lab) else {
                return Ok(Err(Refusal::not_found("sample", "样品")));
            };
            let by = actor.as_str();
            let events = match step {
                LabStep::Receive => sample.receive(by, now),
                LabStep::EnterResult { analyte, value, detected } => sample.enter_result(analyte, *value, *detected, by, now),
                LabStep::Verify => sample.verify(by, now),
                LabStep::Publish { not_interpretable_note } => sample.publish(by, not_interpretable_note.clone(), now),
                LabStep::Retract { reason } => sample.retract(by, reason, now),
                LabStep::Invalidate { reason } => sample.invalidate(by, reason, now),
            };
            let events = match events {
                Ok(e) => e,
                Err(r) => return Ok(Err(r)),
            };
            journal_sample(tx, &mut sample, &events);
            save_sample(tx.conn, &sample, false).await?;
            let mut declaration = None;
            if let (LabStep::Publish { .. }, Some(conclusion)) = (step, sample.conclusion()) {
                // The published conclusion drives the declaration, in the same transaction.
                if let Some(d) = spine.load(tx, &sample.declaration_id).await? {
                    match d.laboratory_concluded(&sample.id, conclusion, now) {
                        Ok(ev) => declaration = Some(Box::new(spine.persist(tx, Some(d), &ev))),
                        Err(r) => return Ok(Err(r)),
                    }
                }
            }
            Ok(Ok(QuarantineOutcome::Sample { sample: Box::new(sample), declaration }))
        }
        QuarantineCommand::CancelSample { sample_id, reason } => {
            let Some(mut sample) = load_sample(tx.conn, sample_id).await? else { return Ok(Err(Refusal::not_found("sample", "样品"))) };
            let events = match sample.cancel(&actor, reason, now) {
                Ok(e) => e,
                Err(r) => return Ok(Err(r)),
            };
            journal_sample(tx, &mut sample, &events);
            save_sample(tx.conn, &sample, false).await?;
            Ok(Ok(QuarantineOutcome::Sample { sample: Box::new(sample), declaration: None }))
        }
    }
}
