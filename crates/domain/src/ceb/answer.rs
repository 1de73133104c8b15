//! What the sender of a CEB document is answered (the receipt's `returnStatus` and
//! `returnInfo`), for every way a document can be taken or turned away, and whether an order,
//! payment or waybill may be declared, changed or withdrawn where its key stands.

use super::documents::{AppType, DocKind};
use super::inventory::{InventoryRecord, InventoryStatus};
use super::notice::status_info;
use crate::Refusal;
use serde::{Deserialize, Serialize};

/// `returnStatus` of a document taken in (入库) or withdrawn.
pub const RECEIVED: &str = "120";
/// `returnStatus` of a document turned away (退单).
pub const REJECTED: &str = "100";
/// `returnStatus` of a cancellation, return or delivery list concluded (审结).
pub const CONCLUDED: &str = "399";

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

pub fn answer(status: &str, zh: &str, en: &str, at_ms: i64) -> DocAnswer {
    DocAnswer { status: status.into(), info: info(zh, en), at_ms, invt_no: None, pre_no: None }
}

fn rejected(zh: String, en: String, at_ms: i64) -> DocAnswer {
    answer(REJECTED, &zh, &en, at_ms)
}

/// An order, payment or waybill taken in.
pub fn accepted(kind: DocKind, key: &str, at_ms: i64) -> DocAnswer {
    answer(RECEIVED, &format!("海关入库：{} {key}", kind.name_zh()), &format!("accepted: {} {key}", kind.as_str()), at_ms)
}

/// An order, payment or waybill withdrawn by its sender.
pub fn withdrawn(kind: DocKind, key: &str, at_ms: i64) -> DocAnswer {
    answer(RECEIVED, &format!("{} {key} 已删除", kind.name_zh()), &format!("{} {key} withdrawn", kind.as_str()), at_ms)
}

/// A document whose appStatus is not 2: a draft the sender's own client keeps (暂存), which
/// customs does not process.
pub fn draft(at_ms: i64) -> DocAnswer {
    answer(
        REJECTED,
        "appStatus 不是 2（申报）：暂存的单证由企业端保存，海关不作处理；申报时请将 appStatus 置为 2",
        "appStatus is not 2 (declared): a stored draft stays with the sender's client and customs does not process it; send appStatus 2 to declare",
        at_ms,
    )
}

/// An inventory list as it stands: its status and numbers.
pub fn for_record(rec: &InventoryRecord, at_ms: i64) -> DocAnswer {
    let (zh, en) = status_info(rec);
    DocAnswer {
        status: rec.status.return_status(),
        info: info(&zh, &en),
        at_ms,
        invt_no: Some(rec.id.clone()),
        pre_no: Some(rec.pre_no.clone()),
    }
}

/// A refusal, with every field it names.
pub fn refused(r: &Refusal, at_ms: i64) -> DocAnswer {
    let mut zh = r.detail_zh.clone();
    let mut en = r.detail_en.clone();
    for e in &r.errors {
        zh.push_str(&format!("；[{}] {}", e.path, e.zh));
        en.push_str(&format!("; [{}] {}", e.path, e.en));
    }
    answer(REJECTED, &zh, &en, at_ms)
}

/// A new inventory list for an order that already has one waiting for its documents.
pub fn already_waiting(order_no: &str, waiting: &str, at_ms: i64) -> DocAnswer {
    rejected(
        format!("订单 {order_no} 已有清单 {waiting}，正在等待三单，变更请使用 appType 2"),
        format!("order {order_no} already has inventory list {waiting}, waiting for its documents; send appType 2 to change it"),
        at_ms,
    )
}

/// A new inventory list for an order that already has one decided and not over.
pub fn already_open(order_no: &str, id: &str, status: InventoryStatus, at_ms: i64) -> DocAnswer {
    rejected(
        format!("订单 {order_no} 已有清单 {id}（{}）", status.name_zh()),
        format!("order {order_no} already has inventory list {id} ({})", status.as_str()),
        at_ms,
    )
}

/// A change (appType 2) for an order with no inventory list waiting.
pub fn nothing_to_change(order_no: &str, at_ms: i64) -> DocAnswer {
    rejected(
        format!("订单 {order_no} 没有等待三单的清单，只有此类清单可以变更"),
        format!("order {order_no} has no inventory list waiting for its documents; only those can change"),
        at_ms,
    )
}

/// A withdrawal (appType 3) for an order with no inventory list waiting.
pub fn nothing_to_withdraw(order_no: &str, at_ms: i64) -> DocAnswer {
    rejected(
        format!("订单 {order_no} 没有等待三单的清单可以删除"),
        format!("order {order_no} has no inventory list waiting for its documents to withdraw"),
        at_ms,
    )
}

/// A cancellation or return naming no inventory list of this sender.
pub fn no_inventory(order_no: &str, invt_no: Option<&str>, at_ms: i64) -> DocAnswer {
    let n = invt_no.map(|n| format!(" {n}")).unwrap_or_default();
    rejected(format!("找不到订单 {order_no} 的清单{n}"), format!("no inventory list{n} of order {order_no} for this sender"), at_ms)
}

/// A cancellation (CEB623) concluded.
pub fn cancelled(rec: &InventoryRecord, at_ms: i64) -> DocAnswer {
    DocAnswer {
        invt_no: Some(rec.id.clone()),
        ..answer(CONCLUDED, &format!("清单 {} 已撤销", rec.id), &format!("inventory list {} cancelled", rec.id), at_ms)
    }
}

/// A return of goods (CEB625) concluded: how much quota went back.
pub fn refunded(rec: &InventoryRecord, value: rust_decimal::Decimal, complete: bool, at_ms: i64) -> DocAnswer {
    let (zh, en) = if complete { ("全部退货", "all goods returned") } else { ("部分退货", "goods partly returned") };
    DocAnswer {
        invt_no: Some(rec.id.clone()),
        ..answer(
            CONCLUDED,
            &format!("清单 {} {zh}，退回额度 {value} 元", rec.id),
            &format!("inventory list {}: {en}; {value} CNY of quota given back", rec.id),
            at_ms,
        )
    }
}

/// Why one waybill of a delivery list (CEB711) cannot be closed.
pub fn waybill_without_inventory(no: &str) -> (String, String) {
    (format!("运单 {no} 没有清单"), format!("waybill {no} has no inventory list"))
}

pub fn waybill_not_senders(no: &str) -> (String, String) {
    (format!("运单 {no} 不属于发送企业"), format!("waybill {no} does not belong to the sender"))
}

pub fn waybill_refused(no: &str, r: &Refusal) -> (String, String) {
    (format!("运单 {no}：{}", r.detail_zh), format!("waybill {no}: {}", r.detail_en))
}

/// A delivery list turned away, with why for each waybill (Chinese, English).
pub fn delivery_refused(delivery: &str, problems: &[(String, String)], at_ms: i64) -> DocAnswer {
    let zh: Vec<&str> = problems.iter().map(|p| p.0.as_str()).collect();
    let en: Vec<&str> = problems.iter().map(|p| p.1.as_str()).collect();
    rejected(format!("入库明细单 {delivery} 退单：{}", zh.join("；")), format!("delivery {delivery} rejected: {}", en.join("; ")), at_ms)
}

/// A delivery list concluded: its parcels closed.
pub fn delivered(delivery: &str, parcels: usize, at_ms: i64) -> DocAnswer {
    answer(
        CONCLUDED,
        &format!("入库明细单 {delivery} 审结，{parcels} 个包裹结关"),
        &format!("delivery {delivery}: {parcels} parcels closed"),
        at_ms,
    )
}

/// Where a document's key stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DocState {
    /// Received, not yet used by an accepted inventory list.
    Pending,
    /// Used by an accepted inventory list.
    Used,
    Withdrawn,
}

impl DocState {
    pub fn as_str(self) -> &'static str {
        match self {
            DocState::Pending => "pending",
            DocState::Used => "used",
            DocState::Withdrawn => "withdrawn",
        }
    }

    pub fn parse(s: &str) -> Option<DocState> {
        [DocState::Pending, DocState::Used, DocState::Withdrawn].into_iter().find(|d| d.as_str() == s)
    }
}

/// What a declared order, payment or waybill does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Admission {
    /// Keep it (new, or replacing the pending one).
    Store,
    /// Withdraw the pending one.
    Withdraw,
}

/// Whether an order, payment or waybill with `app_type` may be taken where its key stands
/// (`state`; None if never received). A pending document held by an inventory list under manual
/// review (`held_by`) cannot change. The refusal is the answer to send.
pub fn admit(
    kind: DocKind,
    key: &str,
    app_type: AppType,
    state: Option<DocState>,
    held_by: Option<&str>,
    at_ms: i64,
) -> Result<Admission, DocAnswer> {
    let (name_zh, name) = (kind.name_zh(), kind.as_str());
    match (app_type, state) {
        (AppType::New, None | Some(DocState::Withdrawn)) => Ok(Admission::Store),
        (AppType::New, Some(_)) => Err(rejected(
            format!("{name_zh} {key} 已申报，变更请使用 appType 2"),
            format!("{name} {key} was already declared; send appType 2 to change it"),
            at_ms,
        )),
        (_, Some(DocState::Used)) => Err(rejected(
            format!("{name_zh} {key} 已被审结的清单使用，不能变更或删除"),
            format!("{name} {key} is used by an accepted inventory list and can no longer change"),
            at_ms,
        )),
        (_, Some(DocState::Pending)) => match held_by {
            Some(id) => Err(rejected(
                format!("{name_zh} {key} 对应的清单 {id} 正在人工审核，不能变更或删除"),
                format!("{name} {key} belongs to inventory list {id}, under manual review; it cannot change"),
                at_ms,
            )),
            None if app_type == AppType::Change => Ok(Admission::Store),
            None => Ok(Admission::Withdraw),
        },
        _ => Err(rejected(format!("没有可变更或删除的{name_zh} {key}"), format!("there is no {name} {key} to change or delete"), at_ms)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn admission_by_app_type_and_state() {
        use AppType::*;
        use DocState::*;
        let a = |t, s, h| admit(DocKind::Order, "E/1", t, s, h, 0).map_err(|a| a.status);
        assert_eq!(a(New, None, None), Ok(Admission::Store));
        assert_eq!(a(New, Some(Withdrawn), None), Ok(Admission::Store));
        assert_eq!(a(New, Some(Pending), None), Err(REJECTED.to_owned()));
        assert_eq!(a(Change, Some(Pending), None), Ok(Admission::Store));
        assert_eq!(a(Delete, Some(Pending), None), Ok(Admission::Withdraw));
        assert_eq!(a(Change, Some(Pending), Some("I1")), Err(REJECTED.to_owned()));
        assert_eq!(a(Delete, Some(Used), None), Err(REJECTED.to_owned()));
        assert_eq!(a(Change, None, None), Err(REJECTED.to_owned()));
        assert_eq!(a(Delete, Some(Withdrawn), None), Err(REJECTED.to_owned()));
    }

    #[test]
    fn info_is_cut_to_the_schema_length() {
        let long = "字".repeat(2000);
        let i = info(&long, "x");
        assert_eq!(i.chars().count(), INFO_MAX);
        assert!(i.ends_with('…'));
    }
}
