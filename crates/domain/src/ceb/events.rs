//! What the journal records of cross-border e-commerce. A parcel's order, payment and inventory
//! events share the stream `ceb:{ebpCode}/{orderNo}`; its waybill has `ceb-waybill:{logisticsCode}/{logisticsNo}`;
//! a guarantee has `guarantee:{code}`.

use super::check::Disagreement;
use super::documents::{BuyerId, DocKind, InventoryDoc, OrderDoc, PaymentDoc, WaybillDoc};
use super::guarantee::GuaranteeKind;
use super::identity::{Sighting, Suspicion};
use super::quota::{Ledger, Regime};
use super::tax::TaxBill;
use crate::risk::Decision;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// Where the reservation of an inventory's quota stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuotaChange {
    pub year: i32,
    /// The buyer's ledger after the change.
    pub ledger: Ledger,
}

/// Acceptance: the inventory passed the checks, its quota is reserved, its tax reserved against
/// the guarantee, and targeting chose its lane.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Acceptance {
    pub regime: Regime,
    pub value: Decimal,
    pub tax: TaxBill,
    pub guarantee: String,
    pub decision: Decision,
}

/// One returned goods line (CEB625 `InvtRefundList`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RefundLine {
    pub gnum: i32,
    pub qty: Decimal,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum CebEvent {
    OrderReceived {
        message: String,
        sender: String,
        order: Box<OrderDoc>,
    },
    PaymentReceived {
        message: String,
        sender: String,
        payment: Box<PaymentDoc>,
    },
    WaybillReceived {
        message: String,
        sender: String,
        waybill: Box<WaybillDoc>,
    },
    /// appType 3 for an order, payment or waybill not yet used by an accepted inventory.
    DocumentWithdrawn {
        kind: DocKind,
        key: String,
        message: String,
        sender: String,
    },
    InventoryReceived {
        id: String,
        pre_no: String,
        message: String,
        sender: String,
        inventory: Box<InventoryDoc>,
        /// The documents not yet arrived; empty when it was decided at once.
        waiting_for: Vec<DocKind>,
        sighting: Sighting,
    },
    /// appType 3 for an inventory still waiting for its documents.
    InventoryWithdrawn {
        id: String,
        key: String,
        message: String,
    },
    InventoryRejected {
        id: String,
        key: String,
        reasons: Vec<Disagreement>,
        /// Quota given back (a held inventory whose identity theft was confirmed).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        quota: Option<QuotaChange>,
    },
    /// Held for manual review of possible identity theft (300); the quota is reserved.
    InventoryHeld {
        id: String,
        key: String,
        buyer: BuyerId,
        value: Decimal,
        suspicion: Suspicion,
        quota: QuotaChange,
    },
    /// The officer found no identity theft; the inventory goes on to acceptance.
    IdentityCleared {
        id: String,
        key: String,
        officer: String,
        note: String,
    },
    /// The officer confirmed the identity was stolen: the inventory is rejected and its quota
    /// given back.
    IdentityTheftConfirmed {
        id: String,
        key: String,
        officer: String,
        note: String,
        quota: QuotaChange,
    },
    /// Accepted and targeted: released at once (800) or held for inspection (500).
    InventoryAccepted {
        id: String,
        key: String,
        buyer: BuyerId,
        acceptance: Box<Acceptance>,
        /// Present when this acceptance reserved the quota (not already reserved by a hold).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        quota: Option<QuotaChange>,
        released: bool,
        guarantee_left: Decimal,
    },
    /// Released after inspection; the reservation becomes use.
    InventoryReleased {
        id: String,
        key: String,
        officer: String,
        note: String,
        quota: QuotaChange,
    },
    /// 扣留 (501 移送通关, 502 移送缉私, 503 移送法规, 599 其它).
    InventoryDetained {
        id: String,
        key: String,
        officer: String,
        code: u16,
        reason: String,
    },
    /// 退运 (700): sent back; the quota and tax are given back.
    InventoryReturned {
        id: String,
        key: String,
        officer: String,
        reason: String,
        quota: QuotaChange,
        tax_cancelled: Decimal,
    },
    /// CEB623: cancelled at the sender's request.
    InventoryCancelled {
        id: String,
        key: String,
        message: String,
        reason: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        quota: Option<QuotaChange>,
        tax_cancelled: Decimal,
    },
    /// CEB625: goods returned after release (退货).
    InventoryRefunded {
        id: String,
        key: String,
        message: String,
        reason: String,
        lines: Vec<RefundLine>,
        value: Decimal,
        tax: Decimal,
        complete: bool,
        quota: QuotaChange,
    },
    /// CEB711: the parcel left the supervised site (结关 899).
    InventoryDeparted {
        id: String,
        key: String,
        message: String,
        delivery: String,
    },
    GuaranteeAdded {
        code: String,
        kind: GuaranteeKind,
        added: Decimal,
        amount: Decimal,
    },
    TaxPaid {
        guarantee: String,
        inventories: Vec<String>,
        amount: Decimal,
        reserved: Decimal,
    },
}

impl CebEvent {
    /// The inventory list this event is about, if it is about one.
    pub fn inventory_id(&self) -> Option<&str> {
        match self {
            CebEvent::InventoryReceived { id, .. }
            | CebEvent::InventoryWithdrawn { id, .. }
            | CebEvent::InventoryRejected { id, .. }
            | CebEvent::InventoryHeld { id, .. }
            | CebEvent::IdentityCleared { id, .. }
            | CebEvent::IdentityTheftConfirmed { id, .. }
            | CebEvent::InventoryAccepted { id, .. }
            | CebEvent::InventoryReleased { id, .. }
            | CebEvent::InventoryDetained { id, .. }
            | CebEvent::InventoryReturned { id, .. }
            | CebEvent::InventoryCancelled { id, .. }
            | CebEvent::InventoryRefunded { id, .. }
            | CebEvent::InventoryDeparted { id, .. } => Some(id),
            _ => None,
        }
    }

    /// The buyer's ledger after this event, when it changed it: reserved, used or given back.
    pub fn quota_change(&self) -> Option<&QuotaChange> {
        match self {
            CebEvent::InventoryAccepted { quota, .. }
            | CebEvent::InventoryRejected { quota, .. }
            | CebEvent::InventoryCancelled { quota, .. } => quota.as_ref(),
            CebEvent::InventoryHeld { quota, .. }
            | CebEvent::IdentityTheftConfirmed { quota, .. }
            | CebEvent::InventoryReleased { quota, .. }
            | CebEvent::InventoryReturned { quota, .. }
            | CebEvent::InventoryRefunded { quota, .. } => Some(quota),
            _ => None,
        }
    }

    pub fn stream(&self) -> String {
        match self {
            CebEvent::OrderReceived { order, .. } => format!("ceb:{}", order.key()),
            CebEvent::PaymentReceived { payment, .. } => format!("ceb:{}", payment.key()),
            CebEvent::WaybillReceived { waybill, .. } => format!("ceb-waybill:{}", waybill.key()),
            CebEvent::DocumentWithdrawn { kind: DocKind::Waybill, key, .. } => format!("ceb-waybill:{key}"),
            CebEvent::DocumentWithdrawn { key, .. } => format!("ceb:{key}"),
            CebEvent::InventoryReceived { inventory, .. } => format!("ceb:{}", inventory.key()),
            CebEvent::InventoryWithdrawn { key, .. }
            | CebEvent::InventoryRejected { key, .. }
            | CebEvent::InventoryHeld { key, .. }
            | CebEvent::IdentityCleared { key, .. }
            | CebEvent::IdentityTheftConfirmed { key, .. }
            | CebEvent::InventoryAccepted { key, .. }
            | CebEvent::InventoryReleased { key, .. }
            | CebEvent::InventoryDetained { key, .. }
            | CebEvent::InventoryReturned { key, .. }
            | CebEvent::InventoryCancelled { key, .. }
            | CebEvent::InventoryRefunded { key, .. }
            | CebEvent::InventoryDeparted { key, .. } => format!("ceb:{key}"),
            CebEvent::GuaranteeAdded { code, .. } => format!("guarantee:{code}"),
            CebEvent::TaxPaid { guarantee, .. } => format!("guarantee:{guarantee}"),
        }
    }

    pub fn kind(&self) -> &'static str {
        match self {
            CebEvent::OrderReceived { .. } => "ceb_order_received",
            CebEvent::PaymentReceived { .. } => "ceb_payment_received",
            CebEvent::WaybillReceived { .. } => "ceb_waybill_received",
            CebEvent::DocumentWithdrawn { .. } => "ceb_document_withdrawn",
            CebEvent::InventoryReceived { .. } => "ceb_inventory_received",
            CebEvent::InventoryWithdrawn { .. } => "ceb_inventory_withdrawn",
            CebEvent::InventoryRejected { .. } => "ceb_inventory_rejected",
            CebEvent::InventoryHeld { .. } => "ceb_inventory_held",
            CebEvent::IdentityCleared { .. } => "ceb_identity_cleared",
            CebEvent::IdentityTheftConfirmed { .. } => "ceb_identity_theft_confirmed",
            CebEvent::InventoryAccepted { .. } => "ceb_inventory_accepted",
            CebEvent::InventoryReleased { .. } => "ceb_inventory_released",
            CebEvent::InventoryDetained { .. } => "ceb_inventory_detained",
            CebEvent::InventoryReturned { .. } => "ceb_inventory_returned",
            CebEvent::InventoryCancelled { .. } => "ceb_inventory_cancelled",
            CebEvent::InventoryRefunded { .. } => "ceb_inventory_refunded",
            CebEvent::InventoryDeparted { .. } => "ceb_inventory_departed",
            CebEvent::GuaranteeAdded { .. } => "guarantee_added",
            CebEvent::TaxPaid { .. } => "tax_paid",
        }
    }

    /// Short bilingual description for timelines.
    pub fn summary(&self) -> (String, String) {
        match self {
            CebEvent::OrderReceived { order, .. } => {
                (format!("order {} received (CEB311)", order.order_no), format!("收到电子订单 {}（CEB311）", order.order_no))
            }
            CebEvent::PaymentReceived { payment, .. } => (
                format!("payment {} of {} CNY received (CEB411)", payment.pay_transaction_id, payment.amount_paid),
                format!("收到支付单 {}，金额 {} 元（CEB411）", payment.pay_transaction_id, payment.amount_paid),
            ),
            CebEvent::WaybillReceived { waybill, .. } => {
                (format!("waybill {} received (CEB511)", waybill.logistics_no), format!("收到运单 {}（CEB511）", waybill.logistics_no))
            }
            CebEvent::DocumentWithdrawn { kind, key, .. } => {
                (format!("{} {key} withdrawn", kind.as_str()), format!("{} {key} 已删除", kind.name_zh()))
            }
            CebEvent::InventoryReceived { id, waiting_for, .. } if waiting_for.is_empty() => {
                (format!("inventory list {id} received (CEB621)"), format!("收到进口清单 {id}（CEB621）"))
            }
            CebEvent::InventoryReceived { id, waiting_for, .. } => (
                format!(
                    "inventory list {id} received (CEB621); waiting for {}",
                    waiting_for.iter().map(|k| k.message()).collect::<Vec<_>>().join(", ")
                ),
                format!("收到进口清单 {id}（CEB621），待{}到达", waiting_for.iter().map(|k| k.name_zh()).collect::<Vec<_>>().join("、")),
            ),
            CebEvent::InventoryWithdrawn { id, .. } => (format!("inventory list {id} withdrawn"), format!("清单 {id} 已删除")),
            CebEvent::InventoryRejected { id, reasons, .. } => (
                format!("inventory list {id} rejected: {}", reasons.iter().map(|r| r.en.as_str()).collect::<Vec<_>>().join("; ")),
                format!("清单 {id} 退单：{}", reasons.iter().map(|r| r.zh.as_str()).collect::<Vec<_>>().join("；")),
            ),
            // Timelines are shown to the list's enterprises: the guard's figures stay out.
            CebEvent::InventoryHeld { id, .. } => {
                (format!("inventory list {id} held: {}", Suspicion::NOTICE_EN), format!("清单 {id} 转人工审核：{}", Suspicion::NOTICE_ZH))
            }
            CebEvent::IdentityCleared { id, .. } => (format!("identity check of {id} cleared"), format!("清单 {id} 身份核验通过")),
            CebEvent::IdentityTheftConfirmed { id, .. } => {
                (format!("identity theft confirmed for {id}; quota given back"), format!("清单 {id} 认定身份冒用，额度已退回"))
            }
            CebEvent::InventoryAccepted { id, acceptance, released, .. } => {
                let (lane, lane_zh) = (acceptance.decision.lane.as_str(), acceptance.decision.lane.name_zh());
                if *released {
                    (
                        format!("inventory list {id} accepted and released ({lane} lane); tax {} CNY reserved", acceptance.tax.total),
                        format!("清单 {id} 审结放行（{lane_zh}），担保税款 {} 元", acceptance.tax.total),
                    )
                } else {
                    (
                        format!("inventory list {id} accepted and selected for inspection ({lane} lane)"),
                        format!("清单 {id} 审结，布控查验（{lane_zh}）"),
                    )
                }
            }
            CebEvent::InventoryReleased { id, .. } => {
                (format!("inventory list {id} released after inspection"), format!("清单 {id} 查验后放行"))
            }
            CebEvent::InventoryDetained { id, code, reason, .. } => {
                (format!("inventory list {id} detained ({code}): {reason}"), format!("清单 {id} 扣留（{code}）：{reason}"))
            }
            CebEvent::InventoryReturned { id, reason, .. } => {
                (format!("inventory list {id} sent back: {reason}"), format!("清单 {id} 退运：{reason}"))
            }
            CebEvent::InventoryCancelled { id, reason, .. } => {
                (format!("inventory list {id} cancelled (CEB623): {reason}"), format!("清单 {id} 已撤销（CEB623）：{reason}"))
            }
            CebEvent::InventoryRefunded { id, value, complete, .. } => (
                format!("goods of {id} returned by the buyer (CEB625), {value} CNY{}", if *complete { ", all of them" } else { "" }),
                format!("清单 {id} 退货（CEB625），金额 {value} 元{}", if *complete { "，全部退货" } else { "" }),
            ),
            CebEvent::InventoryDeparted { id, .. } => {
                (format!("parcel of {id} left the supervised site (CEB711)"), format!("清单 {id} 包裹已出区（CEB711）"))
            }
            CebEvent::GuaranteeAdded { code, added, amount, .. } => (
                format!("guarantee of {code} increased by {added} to {amount} CNY"),
                format!("{code} 总担保增加 {added} 元，共 {amount} 元"),
            ),
            CebEvent::TaxPaid { guarantee, amount, inventories, .. } => (
                format!("tax of {} inventory lists paid, {amount} CNY; guarantee of {guarantee} restored", inventories.len()),
                format!("缴纳 {} 票清单税款 {amount} 元，恢复 {guarantee} 担保额度", inventories.len()),
            ),
        }
    }
}
