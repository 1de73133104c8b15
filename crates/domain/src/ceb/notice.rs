//! What an inventory's sender is told: the `returnInfo` of its receipt for each state, and the
//! notice body queued when the state changes after the message was answered. And what its buyer
//! is told ([`buyer_status`]).

use super::identity::Suspicion;
use super::inventory::{InventoryRecord, InventoryStatus};
use serde_json::json;

/// What the buyer is told of their parcel: (code, Chinese, English). Coarser than the
/// sender's status on purpose: whether a parcel was selected for inspection, held for review of
/// the buyer's identity or detained is targeting and enforcement, which a buyer's query must not
/// reveal (it is public, and anyone holding the buyer's details can make it); all of these are
/// "being cleared".
pub fn buyer_status(status: InventoryStatus) -> (&'static str, &'static str, &'static str) {
    match status {
        InventoryStatus::Waiting | InventoryStatus::ManualReview | InventoryStatus::Inspection | InventoryStatus::Detained(_) => {
            ("in-clearance", "海关通关处理中", "being cleared by customs")
        }
        InventoryStatus::Released => ("released", "海关已放行", "released by customs"),
        InventoryStatus::Closed => ("left-site", "已出监管场所，交付配送", "left the customs site for delivery"),
        InventoryStatus::Rejected => ("not-accepted", "申报未通过，请联系商家", "not accepted by customs; ask the seller"),
        InventoryStatus::Returned => ("returned", "已退运", "sent back"),
        InventoryStatus::Cancelled | InventoryStatus::Withdrawn => ("cancelled", "已撤销", "cancelled"),
    }
}

/// `returnInfo` for the inventory as it stands, in Chinese and English.
pub fn status_info(rec: &InventoryRecord) -> (String, String) {
    let id = &rec.id;
    match rec.status {
        InventoryStatus::Waiting => {
            let zh: Vec<&str> = rec.waiting_for.iter().map(|k| k.name_zh()).collect();
            let en: Vec<&str> = rec.waiting_for.iter().map(|k| k.message()).collect();
            (
                format!("清单 {id} 已入库，待{}到达后三单对碰", zh.join("、")),
                format!("inventory list {id} accepted for processing; waiting for {} before the three-document check", en.join(", ")),
            )
        }
        InventoryStatus::Rejected => {
            let zh: Vec<String> = rec.reasons.iter().map(|r| format!("[{}] {}", r.path, r.zh)).collect();
            let en: Vec<String> = rec.reasons.iter().map(|r| format!("[{}] {}", r.path, r.en)).collect();
            (format!("退单：{}", zh.join("；")), format!("rejected: {}", en.join("; ")))
        }
        InventoryStatus::ManualReview => {
            // The guard's figures are for customs (`InventoryRecord::suspicion`); the sender
            // only learns that the list is held.
            (format!("人工审核：{}", Suspicion::NOTICE_ZH), format!("manual review: {}", Suspicion::NOTICE_EN))
        }
        InventoryStatus::Inspection => {
            let lane = rec.acceptance.as_ref().map(|a| a.decision.lane).unwrap_or(crate::risk::Lane::Red);
            let (lane, lane_zh) = (lane.as_str(), lane.name_zh());
            (
                format!("清单 {id} 审结，布控查验（{lane_zh}）"),
                format!("inventory list {id} accepted and selected for inspection ({lane} lane)"),
            )
        }
        InventoryStatus::Released => {
            let tax = rec.acceptance.as_ref().map(|a| (a.tax.total, a.guarantee.as_str()));
            match tax {
                Some((t, g)) => (
                    format!("清单 {id} 放行；综合税 {t} 元已由 {g} 担保"),
                    format!("inventory list {id} released; tax of {t} CNY reserved against the guarantee of {g}"),
                ),
                None => (format!("清单 {id} 放行"), format!("inventory list {id} released")),
            }
        }
        InventoryStatus::Detained(code) => {
            let note = rec.note.clone().unwrap_or_default();
            (format!("清单 {id} 扣留（{code}）：{note}"), format!("inventory list {id} detained ({code}): {note}"))
        }
        InventoryStatus::Returned => (format!("清单 {id} 退运"), format!("inventory list {id} returned (sent back)")),
        InventoryStatus::Cancelled => (format!("清单 {id} 已撤销"), format!("inventory list {id} cancelled")),
        InventoryStatus::Closed => (format!("清单 {id} 结关"), format!("inventory list {id} closed: the parcel left the supervised site")),
        InventoryStatus::Withdrawn => (format!("清单 {id} 已删除"), format!("inventory list {id} withdrawn")),
    }
}

/// The notice queued for the inventory's sender when its state changes.
pub fn notice(rec: &InventoryRecord) -> (String, &'static str, serde_json::Value) {
    let (zh, en) = status_info(rec);
    let body = json!({
        "type": "ceb_inventory_status",
        "invtNo": rec.id,
        "preNo": rec.pre_no,
        "orderNo": rec.inventory.order_no,
        "ebpCode": rec.inventory.ebp_code,
        "ebcCode": rec.inventory.ebc_code,
        "logisticsNo": rec.inventory.logistics_no,
        "status": rec.status.as_str(),
        "returnStatus": rec.status.return_status(),
        "returnInfo": format!("{zh} / {en}"),
        "returnInfoZh": zh,
        "returnInfoEn": en,
    });
    (rec.sender.clone(), "ceb.inventory", body)
}

/// Whether `event` is told to the sender by a notice even when the message that caused it is
/// answered at once: a hold for suspected identity theft is, so the sender's systems and the
/// officers' notices show it, not only the receipt.
pub fn always_notified(event: &super::events::CebEvent) -> bool {
    matches!(event, super::events::CebEvent::InventoryHeld { .. })
}
