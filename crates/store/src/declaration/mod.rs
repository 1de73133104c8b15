//! 报关单 — the declaration spine on the write path: filing (with its number, the permits it
//! writes off and its risk decision), arrival, containers in position, inspection results,
//! release, holds, re-routing, two-step completion, and the declaration's own quarantine steps
//! (sampling order, commitment, disposition, destination result).
//!
//! Every change goes through [`Spine::persist`]: the events are journaled, the notices each
//! sends are queued, the view row is staged, and the console's views (`views.rs`: the officer's
//! queue and the daily rollups) are kept by difference in the same transaction.

pub mod read;
mod rows;
pub mod views;

use crate::admin::Parties;
use crate::kernel::{Handled, Tx};
use crate::mandate::MandateBook;
use crate::quarantine::Permits;
use crate::risk::Targeting;
use guomen_domain::declaration::{self, Declaration, DeclarationContent, DispositionKind, Filing};
use guomen_domain::inspection::{InspectionResult, Outcome as InspectionOutcome, PositionReport};
use guomen_domain::notice::outgoing;
use guomen_domain::risk::Lane;
use guomen_domain::types::CustomsCode;
use guomen_domain::{Event, Refusal, RefusalKind, Rule};
use std::collections::BTreeMap;
use time::OffsetDateTime;

pub use rows::DeclarationRows;
pub(crate) use rows::{declaration_row, DECLARATIONS};
pub(crate) use views::{queue_row, OFFICER_QUEUE, ROLLUP_CLEARANCE, ROLLUP_CRITERIA};

#[cfg(test)]
pub(crate) const WRITES: &[&str] = &["declarations", "officer_queue", "rollup_clearance", "rollup_criteria"];
#[cfg(test)]
pub(crate) const READS: &[&str] = &[];

/// An `Idempotency-Key` with the hash of the request it came with.
#[derive(Debug, Clone)]
pub struct IdempotencyKey {
    /// Whose key space: the filing enterprise.
    pub scope: String,
    pub key: String,
    pub request_hash: String,
}

/// A step in a declaration's life.
#[derive(Debug, Clone)]
pub enum DeclarationCommand {
    File {
        content: DeclarationContent,
        filed_by: CustomsCode,
        idempotency: Option<IdempotencyKey>,
        seed: u64,
    },
    /// 运抵报告 — the terminal reports the goods of a bill of lading arrived.
    RecordArrival {
        bill_no: String,
        at: OffsetDateTime,
        terminal: CustomsCode,
    },
    ReportPosition {
        declaration_id: String,
        record_no: String,
        container_no: String,
        site_name: String,
        slot_code: String,
        arrived_at: OffsetDateTime,
        terminal: CustomsCode,
    },
    RecordResult {
        declaration_id: String,
        outcome: InspectionOutcome,
        findings: Vec<String>,
        note: Option<String>,
    },
    /// With `permitted_to_enter_only`, the first stage of two-stage access.
    Release {
        declaration_id: String,
        note: Option<String>,
        permitted_to_enter_only: bool,
    },
    OrderSampling {
        declaration_id: String,
        note: String,
    },
    SubmitCommitment {
        declaration_id: String,
        enterprise: CustomsCode,
        signed_by: String,
        storage_address: String,
        contact_phone: String,
        promise_accepted: bool,
    },
    AcceptCommitment {
        declaration_id: String,
    },
    RejectCommitment {
        declaration_id: String,
        reason: String,
    },
    OrderDisposition {
        declaration_id: String,
        kind: DispositionKind,
        instructions: String,
        deadline: time::Date,
    },
    CompleteDisposition {
        declaration_id: String,
        note: String,
    },
    RecordDestinationResult {
        declaration_id: String,
        outcome: InspectionOutcome,
        findings: Vec<String>,
        note: Option<String>,
    },
    Hold {
        declaration_id: String,
        reason: String,
    },
    /// Step 2 of a two-step declaration.
    Complete {
        declaration_id: String,
        content: DeclarationContent,
        enterprise: CustomsCode,
    },
    /// 改变通道 — an officer moves a declaration to another lane, with a reason.
    Reroute {
        declaration_id: String,
        lane: Lane,
        reason: String,
    },
}

/// What a declaration step produced.
#[derive(Debug, Clone)]
pub enum DeclarationOutcome {
    /// The record as it now stands; `replayed` when an idempotency key found an earlier filing.
    Record { record: Box<Declaration>, replayed: bool },
    /// Every declaration an arrival report moved.
    Arrived(Vec<Declaration>),
}

/// The declarations as one command sees them: this batch's latest state over the stored one,
/// and the rows a change stages.
pub struct Spine<'a> {
    pub rows: &'a mut DeclarationRows,
}

impl Spine<'_> {
    /// The record as it stands, this batch's changes included.
    pub async fn load(&self, tx: &mut Tx<'_>, id: &str) -> Result<Option<Declaration>, sqlx::Error> {
        if let Some((d, _)) = self.rows.declarations.get(id) {
            return Ok(Some(d.clone()));
        }
        let doc: Option<String> =
            sqlx::query_scalar("SELECT doc FROM declarations WHERE id = $1").bind(id.to_owned()).fetch_optional(&mut *tx.conn).await?;
        doc.map(|s| serde_json::from_str(&s).map_err(|e| sqlx::Error::Decode(Box::new(e)))).transpose()
    }

    /// Journals a declaration's events, queues the messages each sends, and stages the view rows.
    /// `before` is None for a filing, whose first two events (filed, assessed) start the record.
    pub fn persist(&mut self, tx: &mut Tx<'_>, before: Option<Declaration>, events: &[Event]) -> Declaration {
        let prior = before.as_ref().map(views::Facts::of);
        let (mut record, rest) = match before {
            Some(d) => (d, events),
            None => {
                for e in &events[..2] {
                    tx.append(e);
                }
                let d = Declaration::from_events(&events[..2]).expect("filing starts with filed + assessed");
                let seq = tx.journal.last_seq();
                let stream = events[1].stream();
                for o in outgoing(&events[1], &d) {
                    tx.notify(seq, &stream, o.recipient.as_str(), o.topic, o.body.to_string());
                }
                (d, &events[2..])
            }
        };
        for e in rest {
            let seq = tx.append(e);
            record.apply(e);
            let stream = e.stream();
            for o in outgoing(e, &record) {
                tx.notify(seq, &stream, o.recipient.as_str(), o.topic, o.body.to_string());
            }
        }
        self.rows.views.record(prior, &record);
        if events.iter().any(|e| matches!(e, Event::DeclarationCompleted { .. })) {
            self.rows.completed.insert(record.id.clone());
        }
        self.rows.declarations.insert(record.id.clone(), (record.clone(), tx.at));
        record
    }

    /// Loads a declaration, runs one procedure on it and persists what it decided.
    pub async fn on(
        &mut self,
        tx: &mut Tx<'_>,
        id: &str,
        procedure: impl FnOnce(&Declaration) -> Result<Vec<Event>, Refusal>,
    ) -> Handled<DeclarationOutcome> {
        let Some(d) = self.load(tx, id).await? else {
            return Ok(Err(Refusal::not_found("declaration", "报关单")));
        };
        let events = procedure(&d);
        Ok(self.step(tx, d, events))
    }

    fn step(&mut self, tx: &mut Tx<'_>, d: Declaration, events: Result<Vec<Event>, Refusal>) -> Result<DeclarationOutcome, Refusal> {
        events.map(|events| DeclarationOutcome::Record { record: Box::new(self.persist(tx, Some(d), &events)), replayed: false })
    }
}

/// Carries out a declaration step. Filing, completion and the declarant's steps need the
/// consignee's mandate when an agent acts (`mandates`). Filing reads the trader's credit grade
/// and the site's terminal from the parties, decides with the rules in force (recording their hits), and writes off the
/// quarantine permits it names.
pub(crate) async fn execute(
    tx: &mut Tx<'_>,
    spine: &mut Spine<'_>,
    parties: &Parties<'_>,
    mandates: &MandateBook,
    targeting: &mut Targeting<'_>,
    permits: Permits,
    cmd: &DeclarationCommand,
) -> Handled<DeclarationOutcome> {
    let (actor, now) = (tx.actor.id.clone(), tx.now);
    let actor = actor.as_str();
    match cmd {
        DeclarationCommand::File { content, filed_by, idempotency, seed } => {
            file(tx, spine, parties, mandates, targeting, permits, content, filed_by, idempotency.as_ref(), *seed).await
        }
        DeclarationCommand::RecordArrival { bill_no, at: arrived, terminal } => {
            let mut ids: Vec<String> =
                sqlx::query_scalar("SELECT id FROM declarations WHERE bill_no = $1 AND terminal = $2 AND arrived_at_ms IS NULL")
                    .bind(bill_no.clone())
                    .bind(terminal.to_string())
                    .fetch_all(&mut *tx.conn)
                    .await?;
            for (id, (d, _)) in &spine.rows.declarations {
                if d.content.head.bill_no == *bill_no && d.terminal.as_ref() == Some(terminal) && !ids.contains(id) {
                    ids.push(id.clone());
                }
            }
            let mut out = Vec::new();
            for id in ids {
                let Some(d) = spine.load(tx, &id).await? else {
                    continue;
                };
                if d.arrived_at.is_some() {
                    continue;
                }
                let name = parties.enterprise(d.content.head.trade_code.as_str()).map(|e| e.name_zh).unwrap_or_default();
                match d.arrive(*arrived, &name) {
                    Ok(events) => out.push(spine.persist(tx, Some(d), &events)),
                    Err(r) => return Ok(Err(r)),
                }
            }
            if out.is_empty() {
                return Ok(Err(Refusal::not_found(
                    "declaration awaiting arrival for this bill at your site",
                    "本场所该提运单下待运抵的报关单",
                )));
            }
            Ok(Ok(DeclarationOutcome::Arrived(out)))
        }
        DeclarationCommand::ReportPosition { declaration_id, record_no, container_no, site_name, slot_code, arrived_at, terminal } => {
            spine
                .on(tx, declaration_id, |d| {
                    d.report_position(PositionReport {
                        declaration_id: d.id.clone(),
                        bill_no: d.content.head.bill_no.clone(),
                        vessel: d.content.head.traf_name.clone(),
                        record_no: record_no.clone(),
                        container_no: container_no.clone(),
                        site_name: site_name.clone(),
                        site_code: d.content.head.site_code.clone().unwrap_or_default(),
                        slot_code: slot_code.clone(),
                        arrived_at: *arrived_at,
                        reported_by: terminal.clone(),
                    })
                })
                .await
        }
        DeclarationCommand::RecordResult { declaration_id, outcome, findings, note } => {
            let result = InspectionResult {
                outcome: *outcome,
                findings: findings.clone(),
                officer: actor.to_owned(),
                recorded_at: now,
                note: note.clone(),
            };
            spine.on(tx, declaration_id, |d| d.record_result(result)).await
        }
        DeclarationCommand::Release { declaration_id, note, permitted_to_enter_only } => {
            spine.on(tx, declaration_id, |d| d.release_stage(actor, note.clone(), *permitted_to_enter_only, now)).await
        }
        DeclarationCommand::OrderSampling { declaration_id, note } => {
            spine.on(tx, declaration_id, |d| d.order_sampling(actor, note, now)).await
        }
        DeclarationCommand::SubmitCommitment {
            declaration_id,
            enterprise,
            signed_by,
            storage_address,
            contact_phone,
            promise_accepted,
        } => {
            // A declaration the enterprise is not named on does not exist for it; a party
            // without the consignee's mandate is refused before anything else is looked at.
            let Some(d) =
                spine.load(tx, declaration_id).await?.filter(|d| &d.filed_by == enterprise || d.content.parties().contains(&enterprise))
            else {
                return Ok(Err(Refusal::not_found("declaration", "报关单")));
            };
            if let Err(r) = crate::mandate::check_step(mandates, enterprise, &d.content, now) {
                return Ok(Err(r));
            }
            let events = d.submit_commitment(enterprise, signed_by, storage_address, contact_phone, *promise_accepted, now);
            Ok(spine.step(tx, d, events))
        }
        DeclarationCommand::AcceptCommitment { declaration_id } => spine.on(tx, declaration_id, |d| d.accept_commitment(actor, now)).await,
        DeclarationCommand::RejectCommitment { declaration_id, reason } => {
            spine.on(tx, declaration_id, |d| d.reject_commitment(actor, reason, now)).await
        }
        DeclarationCommand::OrderDisposition { declaration_id, kind, instructions, deadline } => {
            spine.on(tx, declaration_id, |d| d.order_disposition(actor, *kind, instructions, *deadline, now.date(), now)).await
        }
        DeclarationCommand::CompleteDisposition { declaration_id, note } => {
            spine.on(tx, declaration_id, |d| d.complete_disposition(actor, note, now)).await
        }
        DeclarationCommand::RecordDestinationResult { declaration_id, outcome, findings, note } => {
            let result = InspectionResult {
                outcome: *outcome,
                findings: findings.clone(),
                officer: actor.to_owned(),
                recorded_at: now,
                note: note.clone(),
            };
            spine.on(tx, declaration_id, |d| d.record_destination_result(result)).await
        }
        DeclarationCommand::Hold { declaration_id, reason } => spine.on(tx, declaration_id, |d| d.hold(actor, reason, now)).await,
        DeclarationCommand::Reroute { declaration_id, lane, reason } => {
            spine.on(tx, declaration_id, |d| d.reroute(*lane, reason, actor, now)).await
        }
        DeclarationCommand::Complete { declaration_id, content, enterprise } => {
            let Some(d) =
                spine.load(tx, declaration_id).await?.filter(|d| &d.filed_by == enterprise || d.content.parties().contains(&enterprise))
            else {
                return Ok(Err(Refusal::not_found("declaration", "报关单")));
            };
            // Completing is declaring again: the completer is the consignee or the agent the
            // complete declaration names, under its mandate on the day of completion.
            let given = mandates.given_by(&d.content.head.trade_code);
            let day = guomen_domain::clearance::cst_day(now);
            if let Err(r) = crate::mandate::check_step(mandates, enterprise, &d.content, now)
                .and_then(|()| guomen_domain::mandate::check_declarant(enterprise, &content.head, given, day))
            {
                return Ok(Err(r));
            }
            let events = d.complete(content.clone(), now);
            Ok(spine.step(tx, d, events))
        }
    }
}

#[allow(clippy::too_many_arguments)]
async fn file(
    tx: &mut Tx<'_>,
    spine: &mut Spine<'_>,
    parties: &Parties<'_>,
    mandates: &MandateBook,
    targeting: &mut Targeting<'_>,
    permits: Permits,
    content: &DeclarationContent,
    filed_by: &CustomsCode,
    idempotency: Option<&IdempotencyKey>,
    seed: u64,
) -> Handled<DeclarationOutcome> {
    if let Some(k) = idempotency {
        if let Some((hash, record)) = tx.journal.idempotent(tx.conn, &k.scope, &k.key).await? {
            if hash != k.request_hash {
                return Ok(Err(Refusal::new(
                    RefusalKind::Conflict,
                    "this Idempotency-Key was already used with a different request",
                    "该幂等键已用于另一份不同的请求",
                )));
            }
            return Ok(match spine.load(tx, &record).await? {
                Some(d) => Ok(DeclarationOutcome::Record { record: Box::new(d), replayed: true }),
                None => Err(Refusal::not_found("declaration", "报关单")),
            });
        }
    }
    // The trader and the site's terminal come from the directory (this batch's registrations
    // first): no query on the writer's serial path.
    let Some(trader) = parties.enterprise(content.head.trade_code.as_str()) else {
        return Ok(Err(Refusal::field("head.trade_code", Rule::EnterpriseUnknown, "no such enterprise", "企业不存在")));
    };
    let terminal = content.head.site_code.as_deref().and_then(|site| parties.site_operator(site));
    // The number is taken only once the filing is accepted, so refusals leave no gaps.
    let (counter, next, id) = next_entry_id(tx, content).await?;
    // 检疫审批: goods that need a quarantine permit must name a valid one, and write it off.
    let named = permits.named(tx, content).await?;
    let write_offs = match guomen_domain::quarantine::permit::check_declaration(content, &named, tx.now.date(), &id, tx.now) {
        Ok(w) => w,
        Err(errors) => return Ok(Err(Refusal::validation(errors))),
    };
    let events = match declaration::file(Filing {
        id: id.clone(),
        filed_by: filed_by.clone(),
        content: content.clone(),
        trader: &trader,
        terminal,
        rules: targeting.rules,
        mandates: mandates.given_by(&content.head.trade_code),
        seed,
        now: tx.now,
    }) {
        Ok(e) => e,
        Err(r) => return Ok(Err(r)),
    };
    tx.journal.set_counter(&counter, next);
    let record = spine.persist(tx, None, &events);
    permits.write_off(tx, write_offs).await?;
    targeting.record_hits(&id, &record.decision, tx.at);
    if let Some(k) = idempotency {
        tx.journal.remember_key(&k.scope, &k.key, &k.request_hash, &id, tx.at);
    }
    Ok(Ok(DeclarationOutcome::Record { record: Box::new(record), replayed: false }))
}

/// The next 报关单号 and the counter value to record once the filing is accepted:
/// office (4) + year (4) + 1 for import / 0 for export + a 9-digit sequence per office, year and direction.
async fn next_entry_id(tx: &mut Tx<'_>, content: &DeclarationContent) -> Result<(String, i64, String), sqlx::Error> {
    let flag = if content.head.ie_flag == declaration::IeFlag::Import { '1' } else { '0' };
    let prefix = format!("{}{}{}", content.head.customs_master, tx.now.year(), flag);
    let name = format!("entry:{prefix}");
    let next = tx.counter(&name).await? + 1;
    Ok((name, next, crate::numbering::numbered(&prefix, next)))
}

/// Declarations staged in a batch, keyed by id (latest state and the time of the change).
pub(crate) type Staged = BTreeMap<String, (Declaration, i64)>;
