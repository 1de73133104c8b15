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

use crate::batch::Batch;
use crate::commands::{actor_str, Outcome, Result2};
use crate::writer::WriterState;
use guomen_domain::ceb::{GuaranteeKind, InventoryDoc, InventoryRecord, OrderDoc, PaymentDoc, RefundLine, Sighting, WaybillDoc};
use guomen_domain::party::Actor;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use sqlx::AnyConnection;
use time::OffsetDateTime;

pub(crate) use inventories::backfill_buyer_names_if_needed;
pub use read::{InventoryFilter, InventorySummary, QuotaAnswer, StatusCount, OPEN_STATUSES};

/// 撤销申请单 (CEB623 `InvtCancel`).
#[derive(Debug, Clone)]
pub struct CancelRequest {
    pub invt_no: Option<String>,
    pub ebp_code: String,
    pub order_no: String,
    pub reason: String,
}

/// 退货申请单 (CEB625 `InvtRefund`).
#[derive(Debug, Clone)]
pub struct RefundRequest {
    pub invt_no: Option<String>,
    pub ebp_code: String,
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
    /// The enterprise whose token sent it.
    pub sender: String,
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

/// The answer to one document of a message, as its receipt reports it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocAnswer {
    /// `returnStatus`: 120 accepted, 100 rejected, 300, 399, 500, 5xx, 700, 800, 899.
    pub status: String,
    /// `returnInfo`, Chinese then English.
    pub info: String,
    pub at_ms: i64,
    /// For inventories: the numbers customs assigned.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invt_no: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pre_no: Option<String>,
}

/// What a [`CebCommand::Submit`] produced.
#[derive(Debug, Clone)]
pub struct CebAnswer {
    /// The message had been answered before; nothing was done this time.
    pub replayed: bool,
    pub answers: Vec<DocAnswer>,
}

/// Longest `returnInfo` the CEB schemas allow.
const INFO_MAX: usize = 1000;

/// A `returnInfo`: Chinese, then English, cut to the 1,000 characters the schemas allow.
pub fn info(zh: &str, en: &str) -> String {
    let s = if en.is_empty() { zh.to_owned() } else { format!("{zh} / {en}") };
    if s.chars().count() <= INFO_MAX {
        s
    } else {
        let mut t: String = s.chars().take(INFO_MAX - 1).collect();
        t.push('…');
        t
    }
}

pub(crate) fn answer(status: &str, zh: &str, en: &str, at_ms: i64) -> DocAnswer {
    DocAnswer { status: status.into(), info: info(zh, en), at_ms, invt_no: None, pre_no: None }
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

/// Once per batch, before its rows are written: documents that waited too long are let go, and
/// the journal entry pending documents are rebuilt from is recorded when it moved.
pub(crate) fn before_commit(st: &mut WriterState, b: &mut Batch) {
    st.ceb.expire(crate::now_ms() - state::PENDING_DAYS * 86_400_000);
    let from = st.ceb.pending_from(st.last_seq);
    if from != st.ceb.pending_from_written {
        b.counters_touched.insert(state::PENDING_FROM.to_owned(), from);
        st.ceb.pending_from_written = from;
    }
}

pub(crate) async fn execute(
    conn: &mut AnyConnection,
    st: &mut WriterState,
    b: &mut Batch,
    actor: &Actor,
    cmd: &CebCommand,
    now: OffsetDateTime,
) -> Result2<Outcome> {
    let who = actor_str(actor);
    let at = crate::batch::ms(now);
    match cmd {
        CebCommand::Submit(s) => documents::submit(conn, st, b, &who, s, now).await,
        CebCommand::Officer { inventory, step } => steps::officer(conn, st, b, &who, inventory, step, now).await,
        CebCommand::AddGuarantee { code, kind, amount } => documents::add_guarantee(st, b, &who, code, *kind, *amount, at),
        CebCommand::PayTax { guarantee, inventories } => steps::pay_tax(conn, st, b, &who, guarantee, inventories, at).await,
    }
}
