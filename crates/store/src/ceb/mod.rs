//! Cross-border e-commerce on the one write path: the documents of CEB messages as they
//! arrive, the three-document check the moment an inventory's last document arrives, quota and
//! guarantee reservations, targeting, officers' steps, cancellations, returns and departures.
//!
//! The edge reads and checks each message (`guomen-messages`) and hands its documents here as
//! one [`CebCommand::Submit`]. Every document gets an answer (`returnStatus`, `returnInfo`);
//! the answers are kept with the message's kind and guid, so a message sent again is answered
//! the same way and changes nothing.

mod documents;
mod inventories;
mod journal_docs;
pub mod read;
mod records;
pub(crate) mod rows;
pub(crate) mod state;
mod steps;

use crate::admin::Parties;
use crate::kernel::{Handled, Journal, Tx};
use crate::risk::Targeting;
use guomen_domain::ceb::{Guarantee, GuaranteeKind, InventoryDoc, InventoryRecord, OrderDoc, PaymentDoc, RefundLine, Sighting, WaybillDoc};
use rows::CebRows;
use rust_decimal::Decimal;
use state::CebState;

#[cfg(test)]
pub(crate) const WRITES: &[&str] = &["ceb_messages", "ceb_documents", "ceb_inventories", "ceb_quota", "ceb_guarantees", "ceb_buyer_names"];
#[cfg(test)]
pub(crate) const READS: &[&str] = &["journal", "counters"];

pub(crate) use inventories::backfill_buyer_names_if_needed;
pub use read::{InventoryFilter, InventorySummary, QuotaAnswer, StatusCount, OPEN_STATUSES};

/// 撤销申请单 (CEB623 `InvtCancel`).
#[derive(Debug, Clone)]
pub struct CancelRequest {
    pub invt_no: Option<String>,
    pub ebp_code: String,
    /// The e-commerce enterprise the cancellation names; it must be the list's.
    pub ebc_code: String,
    pub order_no: String,
    pub reason: String,
}

/// 退货申请单 (CEB625 `InvtRefund`).
#[derive(Debug, Clone)]
pub struct RefundRequest {
    pub invt_no: Option<String>,
    pub ebp_code: String,
    /// The e-commerce enterprise the return names; it must be the list's.
    pub ebc_code: String,
    pub order_no: String,
    pub reason: String,
    pub lines: Vec<RefundLine>,
}

/// 入库明细单 (CEB711 `Delivery`): parcels that left the supervised site.
#[derive(Debug, Clone)]
pub struct DepartureRequest {
    /// The delivery's own number (copNo, or rkdNo when given).
    pub delivery: String,
    pub logistics_code: String,
    pub logistics_nos: Vec<String>,
}

/// The documents of one message.
#[derive(Debug, Clone)]
pub enum CebDocuments {
    Orders(Vec<OrderDoc>),
    Payments(Vec<PaymentDoc>),
    Waybills(Vec<WaybillDoc>),
    Inventories(Vec<InventoryDoc>),
    Cancels(Vec<CancelRequest>),
    Refunds(Vec<RefundRequest>),
    Departures(Vec<DepartureRequest>),
}

impl CebDocuments {
    /// No document at all (every one of the message was a draft).
    pub fn is_empty(&self) -> bool {
        match self {
            CebDocuments::Orders(v) => v.is_empty(),
            CebDocuments::Payments(v) => v.is_empty(),
            CebDocuments::Waybills(v) => v.is_empty(),
            CebDocuments::Inventories(v) => v.is_empty(),
            CebDocuments::Cancels(v) => v.is_empty(),
            CebDocuments::Refunds(v) => v.is_empty(),
            CebDocuments::Departures(v) => v.is_empty(),
        }
    }

    /// The message name, as kept with the answer.
    pub fn message_kind(&self) -> &'static str {
        match self {
            CebDocuments::Orders(_) => "CEB311",
            CebDocuments::Payments(_) => "CEB411",
            CebDocuments::Waybills(_) => "CEB511",
            CebDocuments::Inventories(_) => "CEB621",
            CebDocuments::Cancels(_) => "CEB623",
            CebDocuments::Refunds(_) => "CEB625",
            CebDocuments::Departures(_) => "CEB711",
        }
    }
}

/// One CEB message, read and checked at the edge.
#[derive(Debug, Clone)]
pub struct Submission {
    /// The message's root `guid`.
    pub guid: String,
    /// The enterprise whose token sent it (for an operator's import, the first party it names).
    pub sender: String,
    /// Whether an enterprise sent it with its own token: its mandates are then checked. An
    /// operator's import (`guomen ceb import`, the demo, the benchmark) takes messages as they
    /// come and speaks for the parties they name.
    pub by_token: bool,
    /// Random seed for targeting the inventories this message lets be decided.
    pub seed: u64,
    pub documents: CebDocuments,
}

/// An officer's step on an inventory.
#[derive(Debug, Clone)]
pub enum OfficerStep {
    Release { note: String },
    Detain { code: u16, reason: String },
    Return { reason: String },
    ClearIdentity { note: String, seed: u64 },
    ConfirmIdentityTheft { note: String },
}

#[derive(Debug, Clone)]
pub enum CebCommand {
    Submit(Submission),
    Officer {
        inventory: String,
        step: OfficerStep,
    },
    AddGuarantee {
        code: String,
        kind: GuaranteeKind,
        amount: Decimal,
    },
    /// The guarantee holder paid the tax of these inventories; the guarantee is restored.
    PayTax {
        guarantee: String,
        inventories: Vec<String>,
    },
}

pub use guomen_domain::ceb::answer::{info, DocAnswer};

/// What a [`CebCommand::Submit`] produced.
#[derive(Debug, Clone)]
pub struct CebAnswer {
    /// The message had been answered before; nothing was done this time.
    pub replayed: bool,
    pub answers: Vec<DocAnswer>,
}

/// The identity-guard sighting an inventory makes.
pub fn sighting_of(r: &InventoryRecord) -> Sighting {
    use guomen_domain::ceb::identity::fingerprint;
    Sighting {
        at_ms: r.received_at_ms,
        address: fingerprint(&r.inventory.consignee_address),
        phone: fingerprint(&r.inventory.buyer_telephone),
    }
}

/// What a cross-border command produced.
#[derive(Debug, Clone)]
pub enum CebOutcome {
    /// The answers to a message.
    Answer(CebAnswer),
    /// An inventory list after an officer's step.
    Inventory(Box<InventoryRecord>),
    /// A guarantee after it was added to or its tax paid.
    Guarantee(Guarantee),
}

/// Cross-border e-commerce as one command sees it: the family's memory and rows, targeting (the
/// rules in force and the hits to record), and the parties (e-commerce enterprises' grades).
pub(crate) struct Ceb<'a> {
    pub state: &'a mut CebState,
    pub rows: &'a mut CebRows,
    pub targeting: Targeting<'a>,
    pub parties: Parties<'a>,
    /// Mandates e-commerce enterprises gave agents, for inventory lists sent by an agent.
    pub mandates: &'a crate::mandate::MandateBook,
}

/// Once per batch, before its rows are written: documents that waited too long are let go, and
/// the journal entry pending documents are rebuilt from is recorded when it moved.
pub(crate) fn before_flush(journal: &mut Journal<'_>, state: &mut CebState, now_ms: i64) {
    state.expire(now_ms - state::PENDING_DAYS * 86_400_000);
    let from = state.pending_from(journal.last_seq());
    if from != state.pending_from_written {
        journal.set_counter(state::PENDING_FROM, from);
        state.pending_from_written = from;
    }
}

pub(crate) async fn execute(tx: &mut Tx<'_>, c: &mut Ceb<'_>, cmd: &CebCommand) -> Handled<CebOutcome> {
    match cmd {
        CebCommand::Submit(s) => documents::submit(tx, c, s).await,
        CebCommand::Officer { inventory, step } => steps::officer(tx, c, inventory, step).await,
        CebCommand::AddGuarantee { code, kind, amount } => Ok(documents::add_guarantee(tx, c, code, *kind, *amount)),
        CebCommand::PayTax { guarantee, inventories } => steps::pay_tax(tx, c, guarantee, inventories).await,
    }
}
