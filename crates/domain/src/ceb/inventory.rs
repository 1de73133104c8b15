//! 进口清单 — the inventory list's record and life cycle, from receipt to release, return or
//! departure, with the receipt status (`returnStatus`) each state reports in CEB622:
//!
//! ```text
//! waiting (120) ──last document──► rejected (100)
//!      │                         ├► manual-review (300) ──cleared──► (decided again)
//!      │                         │                      └─theft────► rejected (100)
//!      │                         ├► inspection (500) ──► released (800) ──CEB711──► closed (899)
//!      │                         │                   ├► detained (501–599) ──► returned (700)
//!      │                         │                   └► returned (700)
//!      │                         └► released (800)
//!      └─ appType 3 ─► withdrawn         CEB623: cancelled; CEB625: goods returned after release
//! ```

use super::check::Disagreement;
use super::documents::{DocKind, InventoryDoc};
use super::events::{Acceptance, CebEvent, RefundLine};
use super::identity::Suspicion;
use super::quota::Ledger;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// Trade modes of cross-border e-commerce retail imports: 9610 direct purchase, 1210 bonded,
/// 1239 bonded (pilot cities' variant).
pub const TRADE_MODES: &[&str] = &["9610", "1210", "1239"];

/// How long after release goods may be returned (退货), in days.
pub const REFUND_DAYS: i64 = 30;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", tag = "status", content = "code")]
pub enum InventoryStatus {
    /// 120 海关入库 — received, waiting for its order, payment or waybill.
    Waiting,
    /// 300 人工审核
    ManualReview,
    /// 500 查验
    Inspection,
    /// 800 放行
    Released,
    /// 100 海关退单
    Rejected,
    /// 501–599 扣留
    Detained(u16),
    /// 700 退运
    Returned,
    /// Cancelled on the sender's request (CEB623).
    Cancelled,
    /// 899 结关 — left the supervised site (CEB711).
    Closed,
    /// Withdrawn by the sender (appType 3) before it was decided.
    Withdrawn,
}

impl InventoryStatus {
    /// The CEB622 `returnStatus`.
    pub fn return_status(self) -> String {
        match self {
            InventoryStatus::Waiting => "120".into(),
            InventoryStatus::ManualReview => "300".into(),
            InventoryStatus::Inspection => "500".into(),
            InventoryStatus::Released => "800".into(),
            InventoryStatus::Rejected | InventoryStatus::Withdrawn => "100".into(),
            InventoryStatus::Detained(c) => c.to_string(),
            InventoryStatus::Returned => "700".into(),
            InventoryStatus::Cancelled => "399".into(),
            InventoryStatus::Closed => "899".into(),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            InventoryStatus::Waiting => "waiting",
            InventoryStatus::ManualReview => "manual-review",
            InventoryStatus::Inspection => "inspection",
            InventoryStatus::Released => "released",
            InventoryStatus::Rejected => "rejected",
            InventoryStatus::Detained(_) => "detained",
            InventoryStatus::Returned => "returned",
            InventoryStatus::Cancelled => "cancelled",
            InventoryStatus::Closed => "closed",
            InventoryStatus::Withdrawn => "withdrawn",
        }
    }

    pub fn name_zh(self) -> &'static str {
        match self {
            InventoryStatus::Waiting => "已入库，待三单齐全",
            InventoryStatus::ManualReview => "人工审核",
            InventoryStatus::Inspection => "查验",
            InventoryStatus::Released => "放行",
            InventoryStatus::Rejected => "退单",
            InventoryStatus::Detained(_) => "扣留",
            InventoryStatus::Returned => "退运",
            InventoryStatus::Cancelled => "已撤销",
            InventoryStatus::Closed => "结关",
            InventoryStatus::Withdrawn => "已删除",
        }
    }

    /// No further step can change it (a later inventory for the same order may follow).
    pub fn is_final(self) -> bool {
        matches!(self, InventoryStatus::Rejected | InventoryStatus::Cancelled | InventoryStatus::Withdrawn | InventoryStatus::Returned)
    }
}

/// Where the inventory's tax stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum TaxState {
    #[default]
    None,
    /// Reserved against the guarantee, not yet paid.
    Reserved,
    Paid,
    Cancelled,
}

impl TaxState {
    pub fn as_str(self) -> &'static str {
        match self {
            TaxState::None => "none",
            TaxState::Reserved => "reserved",
            TaxState::Paid => "paid",
            TaxState::Cancelled => "cancelled",
        }
    }

    pub fn parse(s: &str) -> Option<TaxState> {
        [TaxState::None, TaxState::Reserved, TaxState::Paid, TaxState::Cancelled].into_iter().find(|t| t.as_str() == s)
    }
}

/// An inventory list and everything decided about it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InventoryRecord {
    /// 清单编号 (invtNo), assigned on receipt.
    pub id: String,
    /// 预录入编号 (preNo).
    pub pre_no: String,
    /// `ebpCode/orderNo`.
    pub key: String,
    /// The enterprise whose token sent it.
    pub sender: String,
    pub message: String,
    pub inventory: InventoryDoc,
    pub status: InventoryStatus,
    pub received_at_ms: i64,
    pub updated_at_ms: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decided_at_ms: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub released_at_ms: Option<i64>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub waiting_for: Vec<DocKind>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub reasons: Vec<Disagreement>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub suspicion: Option<Suspicion>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub acceptance: Option<Acceptance>,
    /// The calendar year whose ledger holds this inventory's value, once reserved.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quota_year: Option<i32>,
    /// The value still reserved or used in that ledger.
    #[serde(default)]
    pub quota_value: Decimal,
    /// True once the reservation became use (release).
    #[serde(default)]
    pub quota_used: bool,
    #[serde(default)]
    pub tax_state: TaxState,
    /// Tax still owed (reserved or paid), after returns and cancellations.
    #[serde(default)]
    pub tax_due: Decimal,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub refunds: Vec<RefundLine>,
    /// The last officer's or sender's note (detention reason, cancellation reason, …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// The journal entry that received it (set by the store; the record is rebuilt from there).
    #[serde(skip)]
    pub journal_seq: i64,
}

impl InventoryRecord {
    /// Whether `enterprise` is a party the list names (or the one who sent it): only they may
    /// cancel it, return its goods or report it out of the site.
    pub fn names(&self, enterprise: &str) -> bool {
        let i = &self.inventory;
        [self.sender.as_str(), &i.ebp_code, &i.ebc_code, &i.agent_code, &i.logistics_code].contains(&enterprise)
    }

    /// The record an `InventoryReceived` event starts.
    pub fn received(e: &CebEvent, at_ms: i64) -> Option<InventoryRecord> {
        let CebEvent::InventoryReceived { id, pre_no, message, sender, inventory, waiting_for, .. } = e else { return None };
        Some(InventoryRecord {
            id: id.clone(),
            pre_no: pre_no.clone(),
            key: inventory.key(),
            sender: sender.clone(),
            message: message.clone(),
            inventory: (**inventory).clone(),
            status: InventoryStatus::Waiting,
            received_at_ms: at_ms,
            updated_at_ms: at_ms,
            decided_at_ms: None,
            released_at_ms: None,
            waiting_for: waiting_for.clone(),
            reasons: Vec::new(),
            suspicion: None,
            acceptance: None,
            quota_year: None,
            quota_value: Decimal::ZERO,
            quota_used: false,
            tax_state: TaxState::None,
            tax_due: Decimal::ZERO,
            refunds: Vec::new(),
            note: None,
            journal_seq: 0,
        })
    }

    /// Rebuilds a record from the journal entries of its stream, from the one that received it:
    /// `(seq, at_ms, event)` in order. Entries about other inventories are passed over; a tax
    /// payment (journaled on the guarantee's stream) that names this inventory is applied.
    pub fn fold(id: &str, entries: impl IntoIterator<Item = (i64, i64, CebEvent)>) -> Option<InventoryRecord> {
        InventoryRecord::fold_with(id, entries, |_, _, _, _, _| {})
    }

    /// Like [`InventoryRecord::fold`], calling `each(tax_before, record, seq, at_ms, event)` after
    /// every entry applied to the record (its receipt included), with the tax state the record had
    /// before it: what each event did to the buyer's ledger and the guarantee follows from that.
    pub fn fold_with(
        id: &str,
        entries: impl IntoIterator<Item = (i64, i64, CebEvent)>,
        mut each: impl FnMut(TaxState, &InventoryRecord, i64, i64, &CebEvent),
    ) -> Option<InventoryRecord> {
        let mut rec: Option<InventoryRecord> = None;
        for (seq, at, e) in entries {
            if matches!(&e, CebEvent::InventoryReceived { id: i, .. } if i == id) {
                let mut r = InventoryRecord::received(&e, at)?;
                let before = rec.as_ref().map_or(TaxState::None, |old| old.tax_state);
                if let Some(old) = &rec {
                    r.received_at_ms = old.received_at_ms;
                }
                r.journal_seq = seq;
                each(before, &r, seq, at, &e);
                rec = Some(r);
                continue;
            }
            let about = match &e {
                CebEvent::TaxPaid { inventories, .. } => inventories.iter().any(|i| i == id),
                _ => e.inventory_id() == Some(id),
            };
            if let (true, Some(r)) = (about, rec.as_mut()) {
                let before = r.tax_state;
                r.apply(&e, at);
                each(before, r, seq, at, &e);
            }
        }
        rec
    }

    /// Applies an event about this inventory.
    pub fn apply(&mut self, e: &CebEvent, at_ms: i64) {
        self.updated_at_ms = at_ms;
        match e {
            CebEvent::InventoryWithdrawn { .. } => self.status = InventoryStatus::Withdrawn,
            CebEvent::InventoryRejected { reasons, quota, .. } => {
                self.status = InventoryStatus::Rejected;
                self.reasons = reasons.clone();
                self.decided_at_ms = Some(at_ms);
                self.waiting_for.clear();
                if quota.is_some() {
                    self.quota_value = Decimal::ZERO;
                }
            }
            CebEvent::InventoryHeld { value, suspicion, quota, .. } => {
                self.status = InventoryStatus::ManualReview;
                self.suspicion = Some(suspicion.clone());
                self.quota_year = Some(quota.year);
                self.quota_value = *value;
                self.decided_at_ms = Some(at_ms);
                self.waiting_for.clear();
            }
            CebEvent::IdentityCleared { note, .. } => self.note = Some(note.clone()),
            CebEvent::IdentityTheftConfirmed { note, .. } => {
                self.status = InventoryStatus::Rejected;
                self.note = Some(note.clone());
                self.quota_value = Decimal::ZERO;
                self.reasons = vec![Disagreement {
                    path: "InventoryHead/buyerIdNumber".into(),
                    en: "identity theft confirmed by customs; the buyer's quota was given back".into(),
                    zh: "经海关核实为身份冒用，已退回订购人额度".into(),
                }];
            }
            CebEvent::InventoryAccepted { acceptance, quota, released, .. } => {
                self.status = if *released { InventoryStatus::Released } else { InventoryStatus::Inspection };
                if let Some(q) = quota {
                    self.quota_year = Some(q.year);
                }
                self.quota_value = acceptance.value;
                self.quota_used = *released;
                self.tax_state = TaxState::Reserved;
                self.tax_due = acceptance.tax.total;
                self.acceptance = Some((**acceptance).clone());
                self.decided_at_ms = Some(at_ms);
                self.waiting_for.clear();
                if *released {
                    self.released_at_ms = Some(at_ms);
                }
            }
            CebEvent::InventoryReleased { note, .. } => {
                self.status = InventoryStatus::Released;
                self.quota_used = true;
                self.released_at_ms = Some(at_ms);
                self.note = Some(note.clone());
            }
            CebEvent::InventoryDetained { code, reason, .. } => {
                self.status = InventoryStatus::Detained(*code);
                self.note = Some(reason.clone());
            }
            CebEvent::InventoryReturned { reason, .. } => {
                self.status = InventoryStatus::Returned;
                self.note = Some(reason.clone());
                self.quota_value = Decimal::ZERO;
                self.cancel_tax();
            }
            CebEvent::InventoryCancelled { reason, .. } => {
                self.status = InventoryStatus::Cancelled;
                self.note = Some(reason.clone());
                self.quota_value = Decimal::ZERO;
                self.cancel_tax();
            }
            CebEvent::InventoryRefunded { lines, value, tax, reason, .. } => {
                self.refunds.extend(lines.iter().cloned());
                self.quota_value = (self.quota_value - value).max(Decimal::ZERO);
                self.tax_due = (self.tax_due - tax).max(Decimal::ZERO);
                self.note = Some(reason.clone());
            }
            CebEvent::InventoryDeparted { .. } => self.status = InventoryStatus::Closed,
            CebEvent::TaxPaid { .. } => self.tax_state = TaxState::Paid,
            _ => {}
        }
    }

    fn cancel_tax(&mut self) {
        if self.tax_state == TaxState::Reserved {
            self.tax_state = TaxState::Cancelled;
            self.tax_due = Decimal::ZERO;
        }
    }

    /// The tax a cancellation or return gives back to the guarantee: only tax not yet paid.
    pub fn tax_to_cancel(&self) -> Decimal {
        if self.tax_state == TaxState::Reserved {
            self.tax_due
        } else {
            Decimal::ZERO
        }
    }

    /// The ledger after giving back this inventory's quota.
    pub(crate) fn give_back(&self, mut ledger: Ledger) -> Ledger {
        if self.quota_used {
            ledger.release_used(self.quota_value);
        } else {
            ledger.release_reserved(self.quota_value);
        }
        ledger
    }
}

// The procedures on a record: the decision, then the steps after it.
pub use super::decision::{decide, subject, Checks};
pub use super::steps::{cancel, clear_identity, confirm_identity_theft, depart, detain, order_return, refund, release};
