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

use super::check::{three_documents, Disagreement};
use super::documents::{DocKind, InventoryDoc, OrderDoc, PaymentDoc, WaybillDoc};
use super::events::{Acceptance, CebEvent, QuotaChange, RefundLine};
use super::guarantee::Guarantee;
use super::identity::{IdentityGuard, Sightings, Suspicion};
use super::quota::{Ledger, OverLimit};
use super::tax::{compute, Tariff};
use crate::declaration::IeFlag;
use crate::party::CreditGrade;
use crate::risk::{assess, RuleSet, Subject, SubjectItem};
use crate::{Refusal, RefusalKind};
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
    /// `(seq, at_ms, event)` in order. Entries about other inventories are passed over.
    pub fn fold(id: &str, entries: impl IntoIterator<Item = (i64, i64, CebEvent)>) -> Option<InventoryRecord> {
        let mut rec: Option<InventoryRecord> = None;
        for (seq, at, e) in entries {
            match &e {
                CebEvent::InventoryReceived { id: i, .. } if i == id => {
                    let mut r = InventoryRecord::received(&e, at)?;
                    if let Some(old) = &rec {
                        r.received_at_ms = old.received_at_ms;
                    }
                    r.journal_seq = seq;
                    rec = Some(r);
                }
                _ if e.inventory_id() == Some(id) => {
                    if let Some(r) = rec.as_mut() {
                        r.apply(&e, at);
                    }
                }
                _ => {}
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
    fn give_back(&self, mut ledger: Ledger) -> Ledger {
        if self.quota_used {
            ledger.release_used(self.quota_value);
        } else {
            ledger.release_reserved(self.quota_value);
        }
        ledger
    }
}

/// What deciding an inventory needs besides the inventory itself.
pub struct Checks<'a> {
    pub order: &'a OrderDoc,
    pub payment: &'a PaymentDoc,
    pub waybill: &'a WaybillDoc,
    /// The buyer's ledger for `year`.
    pub ledger: Ledger,
    pub year: i32,
    /// The guarantee the inventory's `assureCode` names, if registered.
    pub guarantee: Option<&'a Guarantee>,
    pub sightings: &'a Sightings,
    pub guard: &'a IdentityGuard,
    pub rules: &'a RuleSet,
    /// The e-commerce enterprise's credit grade.
    pub grade: CreditGrade,
    pub seed: u64,
    pub tariff: &'a Tariff,
    /// The officer already cleared an identity hold.
    pub identity_cleared: bool,
    /// Converts a GACC country code to ISO 3166 alpha-3 for targeting.
    pub country: &'a dyn Fn(&str) -> String,
}

fn problem(path: &str, en: String, zh: String) -> Disagreement {
    Disagreement { path: path.into(), en, zh }
}

/// Rules of the retail-import procedure itself, before the documents are compared.
fn procedure_problems(inv: &InventoryDoc) -> Vec<Disagreement> {
    let mut out = Vec::new();
    if inv.ie_flag != "I" {
        out.push(problem(
            "InventoryHead/ieFlag",
            "only import inventories (ieFlag I) are handled here".into(),
            "此处仅受理进口清单（ieFlag 应为 I）".into(),
        ));
    }
    if !TRADE_MODES.contains(&inv.trade_mode.as_str()) {
        out.push(problem(
            "InventoryHead/tradeMode",
            format!("trade mode {} is not a cross-border e-commerce retail import mode (9610, 1210, 1239)", inv.trade_mode),
            format!("监管方式 {} 不是跨境电商零售进口方式（9610、1210、1239）", inv.trade_mode),
        ));
    }
    for (i, line) in inv.items.iter().enumerate() {
        let ok = line.gcode.len() == 10 && line.gcode.bytes().all(|b| b.is_ascii_digit()) && guomen_reference::hs::is_hs6(&line.gcode[..6]);
        if !ok {
            out.push(problem(
                &format!("InventoryList[{i}]/gcode"),
                format!("{} is not a commodity code of the HS 2022 nomenclature", line.gcode),
                format!("{} 不是 HS 2022 商品编码", line.gcode),
            ));
        }
    }
    out
}

/// What targeting sees of an inventory.
pub fn subject<'a>(inv: &'a InventoryDoc, country: &dyn Fn(&str) -> String, countries: &'a mut Vec<String>) -> Subject<'a> {
    countries.clear();
    countries.push(country(&inv.country));
    countries.extend(inv.items.iter().map(|l| country(&l.country)));
    let countries: &'a Vec<String> = countries;
    Subject {
        ie_flag: IeFlag::Import,
        trade_country: &countries[0],
        parties: vec![&inv.ebc_code, &inv.ebp_code, &inv.agent_code, &inv.logistics_code],
        trade_mode: &inv.trade_mode,
        bill_no: inv.bill_no.as_deref().unwrap_or(&inv.logistics_no),
        buyer: Some(&inv.buyer_id_number),
        items: inv
            .items
            .iter()
            .enumerate()
            .map(|(i, l)| SubjectItem {
                g_no: l.gnum.max(0) as u32,
                code: &l.gcode,
                origin: &countries[i + 1],
                currency: "CNY",
                unit: &l.unit,
                unit_price: l.price,
            })
            .collect(),
    }
}

/// 三单对碰, limits, identity guard, tax and targeting: the decision on an inventory whose four
/// documents are all here. Returns `InventoryRejected`, `InventoryHeld` or `InventoryAccepted`.
pub fn decide(rec: &InventoryRecord, c: &Checks<'_>, sighting: super::identity::Sighting) -> CebEvent {
    let inv = &rec.inventory;
    // A hold already reserved the quota; the ledger then still holds this inventory's value.
    let already = rec.quota_year.is_some() && rec.quota_value > Decimal::ZERO;
    let reject = |reasons: Vec<Disagreement>| CebEvent::InventoryRejected {
        id: rec.id.clone(),
        key: rec.key.clone(),
        reasons,
        quota: already.then(|| QuotaChange { year: rec.quota_year.unwrap_or(c.year), ledger: rec.give_back(c.ledger) }),
    };
    let mut reasons = procedure_problems(inv);
    reasons.extend(three_documents(inv, c.order, c.payment, c.waybill));
    if !reasons.is_empty() {
        return reject(reasons);
    }

    let value = inv.value();
    let probe = if already { rec.give_back(c.ledger) } else { c.ledger };
    let regime = match probe.assess(value, inv.single_indivisible()) {
        Ok(r) => r,
        Err(over) => {
            let path = if matches!(over, OverLimit::Transaction { .. }) { "InventoryList" } else { "InventoryHead/buyerIdNumber" };
            return reject(vec![problem(path, over.en(), over.zh())]);
        }
    };

    if !c.identity_cleared {
        if let Some(suspicion) = c.sightings.check(sighting, c.guard) {
            let mut ledger = c.ledger;
            ledger.reserve(value).expect("assessed above");
            return CebEvent::InventoryHeld {
                id: rec.id.clone(),
                key: rec.key.clone(),
                buyer: inv.buyer(),
                value,
                suspicion,
                quota: QuotaChange { year: c.year, ledger },
            };
        }
    }

    let tax = compute(inv, regime, c.tariff);
    let Some(guarantee) = c.guarantee else {
        return reject(vec![problem(
            "InventoryHead/assureCode",
            format!("no general guarantee is registered for {}; the tax ({} CNY) cannot be reserved", inv.assure_code, tax.total),
            format!("担保企业 {} 未备案总担保，税款（{} 元）无法担保", inv.assure_code, tax.total),
        )]);
    };
    if tax.total > guarantee.left() {
        return reject(vec![problem(
            "InventoryHead/assureCode",
            format!("the guarantee of {} has {} CNY left, less than the tax of {} CNY", guarantee.code, guarantee.left(), tax.total),
            format!("担保企业 {} 的担保余额 {} 元不足以担保税款 {} 元", guarantee.code, guarantee.left(), tax.total),
        )]);
    }

    let mut countries = Vec::new();
    let decision = assess(&subject(inv, c.country, &mut countries), c.grade, c.rules, c.seed);
    let released = !decision.lane.needs_inspection();
    let quota = if already {
        let mut ledger = c.ledger;
        if released {
            ledger.consume(value);
        }
        Some(QuotaChange { year: rec.quota_year.unwrap_or(c.year), ledger })
    } else {
        let mut ledger = c.ledger;
        ledger.reserve(value).expect("assessed above");
        if released {
            ledger.consume(value);
        }
        Some(QuotaChange { year: c.year, ledger })
    };
    let guarantee_left = guarantee.left() - tax.total;
    CebEvent::InventoryAccepted {
        id: rec.id.clone(),
        key: rec.key.clone(),
        buyer: inv.buyer(),
        acceptance: Box::new(Acceptance { regime, value, tax, guarantee: guarantee.code.clone(), decision }),
        quota,
        released,
        guarantee_left,
    }
}

fn wrong_state(rec: &InventoryRecord, action_en: &str, action_zh: &str) -> Refusal {
    Refusal::new(
        RefusalKind::Conflict,
        format!("inventory {} is {}; it cannot be {action_en}", rec.id, rec.status.as_str()),
        format!("清单 {} 当前状态为「{}」，不能{action_zh}", rec.id, rec.status.name_zh()),
    )
}

/// 放行 after inspection: the reservation becomes use.
pub fn release(rec: &InventoryRecord, officer: &str, note: &str, ledger: Ledger) -> Result<CebEvent, Refusal> {
    if rec.status != InventoryStatus::Inspection {
        return Err(wrong_state(rec, "released", "放行"));
    }
    let mut ledger = ledger;
    ledger.consume(rec.quota_value);
    Ok(CebEvent::InventoryReleased {
        id: rec.id.clone(),
        key: rec.key.clone(),
        officer: officer.into(),
        note: note.into(),
        quota: QuotaChange { year: rec.quota_year.unwrap_or_default(), ledger },
    })
}

/// 扣留 after inspection found a problem.
pub fn detain(rec: &InventoryRecord, officer: &str, code: u16, reason: &str) -> Result<CebEvent, Refusal> {
    if !(501..=599).contains(&code) {
        return Err(Refusal::field("code", "detention_code", "a detention code is 501 to 599", "扣留代码应为 501 至 599"));
    }
    if rec.status != InventoryStatus::Inspection {
        return Err(wrong_state(rec, "detained", "扣留"));
    }
    Ok(CebEvent::InventoryDetained { id: rec.id.clone(), key: rec.key.clone(), officer: officer.into(), code, reason: reason.into() })
}

/// 退运: the goods go back; quota and unpaid tax are given back.
pub fn order_return(rec: &InventoryRecord, officer: &str, reason: &str, ledger: Ledger) -> Result<CebEvent, Refusal> {
    if !matches!(rec.status, InventoryStatus::Inspection | InventoryStatus::Detained(_)) {
        return Err(wrong_state(rec, "returned", "退运"));
    }
    Ok(CebEvent::InventoryReturned {
        id: rec.id.clone(),
        key: rec.key.clone(),
        officer: officer.into(),
        reason: reason.into(),
        quota: QuotaChange { year: rec.quota_year.unwrap_or_default(), ledger: rec.give_back(ledger) },
        tax_cancelled: rec.tax_to_cancel(),
    })
}

/// The officer's verdict on a manual-review hold.
pub fn confirm_identity_theft(rec: &InventoryRecord, officer: &str, note: &str, ledger: Ledger) -> Result<CebEvent, Refusal> {
    if rec.status != InventoryStatus::ManualReview {
        return Err(wrong_state(rec, "judged for identity theft", "认定身份冒用"));
    }
    Ok(CebEvent::IdentityTheftConfirmed {
        id: rec.id.clone(),
        key: rec.key.clone(),
        officer: officer.into(),
        note: note.into(),
        quota: QuotaChange { year: rec.quota_year.unwrap_or_default(), ledger: rec.give_back(ledger) },
    })
}

pub fn clear_identity(rec: &InventoryRecord, officer: &str, note: &str) -> Result<CebEvent, Refusal> {
    if rec.status != InventoryStatus::ManualReview {
        return Err(wrong_state(rec, "cleared", "解除人工审核"));
    }
    Ok(CebEvent::IdentityCleared { id: rec.id.clone(), key: rec.key.clone(), officer: officer.into(), note: note.into() })
}

/// CEB623 撤销申请: before the parcel leaves the supervised site.
pub fn cancel(rec: &InventoryRecord, message: &str, reason: &str, ledger: Ledger) -> Result<CebEvent, Refusal> {
    let allowed = matches!(
        rec.status,
        InventoryStatus::Waiting | InventoryStatus::ManualReview | InventoryStatus::Inspection | InventoryStatus::Released
    );
    if !allowed {
        return Err(wrong_state(rec, "cancelled", "撤销"));
    }
    let quota = rec.quota_year.filter(|_| rec.quota_value > Decimal::ZERO).map(|year| QuotaChange { year, ledger: rec.give_back(ledger) });
    Ok(CebEvent::InventoryCancelled {
        id: rec.id.clone(),
        key: rec.key.clone(),
        message: message.into(),
        reason: reason.into(),
        quota,
        tax_cancelled: rec.tax_to_cancel(),
    })
}

/// CEB625 退货申请: goods returned within [`REFUND_DAYS`] of release, line by line.
pub fn refund(
    rec: &InventoryRecord,
    message: &str,
    reason: &str,
    lines: &[RefundLine],
    now_ms: i64,
    ledger: Ledger,
) -> Result<CebEvent, Refusal> {
    if !matches!(rec.status, InventoryStatus::Released | InventoryStatus::Closed) {
        return Err(wrong_state(rec, "returned by the buyer", "退货"));
    }
    let released = rec.released_at_ms.unwrap_or(rec.updated_at_ms);
    if now_ms - released > REFUND_DAYS * 86_400_000 {
        return Err(Refusal::new(
            RefusalKind::Conflict,
            format!("inventory {} was released more than {REFUND_DAYS} days ago; goods can no longer be returned", rec.id),
            format!("清单 {} 放行已超过 {REFUND_DAYS} 天，不能再申请退货", rec.id),
        ));
    }
    let Some(acceptance) = &rec.acceptance else { return Err(wrong_state(rec, "returned by the buyer", "退货")) };
    let mut value = Decimal::ZERO;
    let mut tax = Decimal::ZERO;
    for (i, l) in lines.iter().enumerate() {
        let Some(item) = rec.inventory.items.iter().find(|it| it.gnum == l.gnum) else {
            return Err(Refusal::field(
                &format!("InvtRefundList[{i}]/gnum"),
                "refund_line",
                format!("inventory {} has no goods line {}", rec.id, l.gnum),
                format!("清单 {} 没有第 {} 项商品", rec.id, l.gnum),
            ));
        };
        let before: Decimal = rec.refunds.iter().filter(|r| r.gnum == l.gnum).map(|r| r.qty).sum();
        if l.qty <= Decimal::ZERO || before + l.qty > item.qty {
            return Err(Refusal::field(
                &format!("InvtRefundList[{i}]/qty"),
                "refund_qty",
                format!("line {} had {} and {} were already returned; {} cannot be returned", l.gnum, item.qty, before, l.qty),
                format!("第 {} 项申报数量 {}，已退 {}，不能再退 {}", l.gnum, item.qty, before, l.qty),
            ));
        }
        let share = l.qty / item.qty;
        let line_tax = acceptance.tax.lines.iter().find(|t| t.gnum == l.gnum);
        value += line_tax.map(|t| t.value).unwrap_or(item.total_price) * share;
        tax += line_tax.map(|t| t.duty + t.consumption + t.vat).unwrap_or_default() * share;
    }
    let value = value.round_dp(2).min(rec.quota_value);
    let tax = tax.round_dp(2).min(rec.tax_due);
    let complete = rec.inventory.items.iter().all(|it| {
        let back: Decimal = rec.refunds.iter().chain(lines.iter()).filter(|r| r.gnum == it.gnum).map(|r| r.qty).sum();
        back >= it.qty
    });
    let value = if complete { rec.quota_value } else { value };
    let mut ledger = ledger;
    ledger.release_used(value);
    Ok(CebEvent::InventoryRefunded {
        id: rec.id.clone(),
        key: rec.key.clone(),
        message: message.into(),
        reason: reason.into(),
        lines: lines.to_vec(),
        value,
        tax: if complete { rec.tax_due } else { tax },
        complete,
        quota: QuotaChange { year: rec.quota_year.unwrap_or_default(), ledger },
    })
}

/// CEB711: a released parcel leaves the supervised site.
pub fn depart(rec: &InventoryRecord, message: &str, delivery: &str) -> Result<CebEvent, Refusal> {
    if rec.status != InventoryStatus::Released {
        return Err(wrong_state(rec, "taken out of the supervised site", "出区"));
    }
    Ok(CebEvent::InventoryDeparted { id: rec.id.clone(), key: rec.key.clone(), message: message.into(), delivery: delivery.into() })
}
