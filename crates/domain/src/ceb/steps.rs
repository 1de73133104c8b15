//! An inventory list's steps after the decision: release, detention and return after
//! inspection, the verdict on an identity hold, cancellation (CEB623), goods returned after
//! release (CEB625) and departure from the supervised site (CEB711). Each returns the event or a
//! refusal; none changes anything itself.

use super::events::{CebEvent, QuotaChange, RefundLine};
use super::inventory::{InventoryRecord, InventoryStatus, REFUND_DAYS};
use super::quota::Ledger;
use crate::{Refusal, RefusalKind, Rule};
use rust_decimal::Decimal;

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
        return Err(Refusal::field("code", Rule::DetentionCode, "a detention code is 501 to 599", "扣留代码应为 501 至 599"));
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
                Rule::RefundLine,
                format!("inventory {} has no goods line {}", rec.id, l.gnum),
                format!("清单 {} 没有第 {} 项商品", rec.id, l.gnum),
            ));
        };
        let before: Decimal = rec.refunds.iter().filter(|r| r.gnum == l.gnum).map(|r| r.qty).sum();
        if l.qty <= Decimal::ZERO || before + l.qty > item.qty {
            return Err(Refusal::field(
                &format!("InvtRefundList[{i}]/qty"),
                Rule::RefundQty,
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
