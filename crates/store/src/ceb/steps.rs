//! After the decision: cancellations (CEB623), returns (CEB625) and departures (CEB711) sent by
//! the parties, officers' steps on an inventory list, and tax payments against a guarantee.

use super::inventories::{apply, decide, load_record, refused};
use super::{answer, CancelRequest, DepartureRequest, DocAnswer, OfficerStep, RefundRequest, Submission};
use crate::batch::{ms, Batch};
use crate::commands::{Outcome, Result2};
use crate::writer::WriterState;
use guomen_domain::ceb::inventory as proc;
use guomen_domain::ceb::{CebEvent, InventoryRecord};
use guomen_domain::{Event, Refusal, RefusalKind};
use sqlx::AnyConnection;
use time::OffsetDateTime;

/// The inventory a cancellation or return names: by its number, or else the latest of its order.
async fn find(
    conn: &mut AnyConnection,
    st: &WriterState,
    b: &Batch,
    invt_no: Option<&str>,
    ebp: &str,
    order_no: &str,
) -> Result<Option<InventoryRecord>, sqlx::Error> {
    let key = guomen_domain::ceb::documents::order_key(ebp, order_no);
    if let Some(id) = invt_no {
        return Ok(load_record(conn, st, b, id).await?.filter(|r| r.key == key));
    }
    if let Some(w) = st.ceb.waiting.get(&key) {
        return Ok(Some(w.clone()));
    }
    let id: Option<String> =
        sqlx::query_scalar("SELECT id FROM ceb_inventories WHERE order_no = $1 AND ebp_code = $2 ORDER BY received_at_ms DESC LIMIT 1")
            .bind(order_no.to_owned())
            .bind(ebp.to_owned())
            .fetch_optional(&mut *conn)
            .await?;
    let latest_in_batch = b.ceb.inventories.values().filter(|r| r.key == key).max_by_key(|r| r.received_at_ms).cloned();
    match (id, latest_in_batch) {
        (_, Some(r)) => Ok(Some(r)),
        (Some(id), None) => load_record(conn, st, b, &id).await,
        (None, None) => Ok(None),
    }
}

fn not_found(zh: String, en: String, at: i64) -> DocAnswer {
    answer("100", &zh, &en, at)
}

/// The sender must be a party the inventory names (or the one who sent it).
fn party_to(rec: &InventoryRecord, sender: &str) -> bool {
    let i = &rec.inventory;
    [rec.sender.as_str(), &i.ebp_code, &i.ebc_code, &i.agent_code, &i.logistics_code].contains(&sender)
}

async fn ledger_of(
    conn: &mut AnyConnection,
    st: &mut WriterState,
    rec: &InventoryRecord,
) -> Result<guomen_domain::ceb::Ledger, sqlx::Error> {
    match rec.quota_year {
        Some(y) => st.ceb.ledger(conn, &rec.inventory.buyer().key(), y).await,
        None => Ok(Default::default()),
    }
}

pub(super) async fn cancel(
    conn: &mut AnyConnection,
    st: &mut WriterState,
    b: &mut Batch,
    who: &str,
    s: &Submission,
    c: &CancelRequest,
    now: OffsetDateTime,
) -> Result<DocAnswer, sqlx::Error> {
    let at = ms(now);
    // The list must be the named e-commerce enterprise's: the sender's mandate was checked
    // against the enterprise the message names.
    let Some(mut rec) = find(conn, st, b, c.invt_no.as_deref(), &c.ebp_code, &c.order_no)
        .await?
        .filter(|r| party_to(r, &s.sender) && r.inventory.ebc_code == c.ebc_code)
    else {
        return Ok(not_found(
            format!("找不到订单 {} 的清单{}", c.order_no, c.invt_no.as_deref().map(|n| format!(" {n}")).unwrap_or_default()),
            format!(
                "no inventory list{} of order {} for this sender",
                c.invt_no.as_deref().map(|n| format!(" {n}")).unwrap_or_default(),
                c.order_no
            ),
            at,
        ));
    };
    let ledger = ledger_of(conn, st, &rec).await?;
    match proc::cancel(&rec, &s.guid, &c.reason, ledger) {
        Err(r) => Ok(refused(&r, at)),
        Ok(e) => {
            apply(st, b, who, &mut rec, e, at, false);
            Ok(DocAnswer {
                invt_no: Some(rec.id.clone()),
                ..answer("399", &format!("清单 {} 已撤销", rec.id), &format!("inventory list {} cancelled", rec.id), at)
            })
        }
    }
}

pub(super) async fn refund(
    conn: &mut AnyConnection,
    st: &mut WriterState,
    b: &mut Batch,
    who: &str,
    s: &Submission,
    r: &RefundRequest,
    now: OffsetDateTime,
) -> Result<DocAnswer, sqlx::Error> {
    let at = ms(now);
    let Some(mut rec) = find(conn, st, b, r.invt_no.as_deref(), &r.ebp_code, &r.order_no)
        .await?
        .filter(|x| party_to(x, &s.sender) && x.inventory.ebc_code == r.ebc_code)
    else {
        return Ok(not_found(
            format!("找不到订单 {} 的清单", r.order_no),
            format!("no inventory list of order {} for this sender", r.order_no),
            at,
        ));
    };
    let ledger = ledger_of(conn, st, &rec).await?;
    match proc::refund(&rec, &s.guid, &r.reason, &r.lines, at, ledger) {
        Err(x) => Ok(refused(&x, at)),
        Ok(e) => {
            let (value, complete) = match &e {
                CebEvent::InventoryRefunded { value, complete, .. } => (*value, *complete),
                _ => (rust_decimal::Decimal::ZERO, false),
            };
            apply(st, b, who, &mut rec, e, at, false);
            let (zh, en) = if complete { ("全部退货", "all goods returned") } else { ("部分退货", "goods partly returned") };
            Ok(DocAnswer {
                invt_no: Some(rec.id.clone()),
                ..answer(
                    "399",
                    &format!("清单 {} {zh}，退回额度 {value} 元", rec.id),
                    &format!("inventory list {}: {en}; {value} CNY of quota given back", rec.id),
                    at,
                )
            })
        }
    }
}

pub(super) async fn depart(
    conn: &mut AnyConnection,
    st: &mut WriterState,
    b: &mut Batch,
    who: &str,
    s: &Submission,
    d: &DepartureRequest,
    now: OffsetDateTime,
) -> Result<DocAnswer, sqlx::Error> {
    let at = ms(now);
    let mut records = Vec::new();
    let mut problems: Vec<(String, String)> = Vec::new();
    for no in &d.logistics_nos {
        let key = guomen_domain::ceb::documents::waybill_key(&d.logistics_code, no);
        let in_batch = b.ceb.inventories.values().filter(|r| r.inventory.waybill_key() == key).max_by_key(|r| r.received_at_ms).cloned();
        let rec = match in_batch {
            Some(r) => Some(r),
            None => {
                let id: Option<String> = sqlx::query_scalar(
                    "SELECT id FROM ceb_inventories WHERE logistics_no = $1 AND logistics_code = $2 ORDER BY received_at_ms DESC LIMIT 1",
                )
                .bind(no.clone())
                .bind(d.logistics_code.clone())
                .fetch_optional(&mut *conn)
                .await?;
                match id {
                    Some(id) => load_record(conn, st, b, &id).await?,
                    None => None,
                }
            }
        };
        match rec {
            None => problems.push((format!("运单 {no} 没有清单"), format!("waybill {no} has no inventory list"))),
            Some(r) if !party_to(&r, &s.sender) => {
                problems.push((format!("运单 {no} 不属于发送企业"), format!("waybill {no} does not belong to the sender")))
            }
            Some(r) => match proc::depart(&r, &s.guid, &d.delivery) {
                Ok(e) => records.push((r, e)),
                Err(x) => problems.push((format!("运单 {no}：{}", x.detail_zh), format!("waybill {no}: {}", x.detail_en))),
            },
        }
    }
    if !problems.is_empty() {
        let zh: Vec<&str> = problems.iter().map(|p| p.0.as_str()).collect();
        let en: Vec<&str> = problems.iter().map(|p| p.1.as_str()).collect();
        return Ok(answer(
            "100",
            &format!("入库明细单 {} 退单：{}", d.delivery, zh.join("；")),
            &format!("delivery {} rejected: {}", d.delivery, en.join("; ")),
            at,
        ));
    }
    let n = records.len();
    for (mut r, e) in records {
        apply(st, b, who, &mut r, e, at, false);
    }
    Ok(answer(
        "399",
        &format!("入库明细单 {} 审结，{n} 个包裹结关", d.delivery),
        &format!("delivery {}: {n} parcels closed", d.delivery),
        at,
    ))
}

pub(super) async fn officer(
    conn: &mut AnyConnection,
    st: &mut WriterState,
    b: &mut Batch,
    who: &str,
    id: &str,
    step: &OfficerStep,
    now: OffsetDateTime,
) -> Result2<Outcome> {
    let at = ms(now);
    let Some(mut rec) = load_record(conn, st, b, id).await? else {
        return Ok(Err(Refusal::not_found("inventory list", "清单")));
    };
    let ledger = ledger_of(conn, st, &rec).await?;
    let e = match step {
        OfficerStep::Release { note } => proc::release(&rec, who, note, ledger),
        OfficerStep::Detain { code, reason } => proc::detain(&rec, who, *code, reason),
        OfficerStep::Return { reason } => proc::order_return(&rec, who, reason, ledger),
        OfficerStep::ClearIdentity { note, .. } => proc::clear_identity(&rec, who, note),
        OfficerStep::ConfirmIdentityTheft { note } => proc::confirm_identity_theft(&rec, who, note, ledger),
    };
    let e = match e {
        Ok(e) => e,
        Err(r) => return Ok(Err(r)),
    };
    apply(st, b, who, &mut rec, e, at, true);
    if let OfficerStep::ClearIdentity { seed, .. } = step {
        rec = decide(conn, st, b, who, rec, *seed, now, true, true).await?;
    }
    Ok(Ok(Outcome::Inventory(Box::new(rec))))
}

pub(super) async fn pay_tax(
    conn: &mut AnyConnection,
    st: &mut WriterState,
    b: &mut Batch,
    who: &str,
    guarantee: &str,
    ids: &[String],
    at: i64,
) -> Result2<Outcome> {
    if ids.is_empty() {
        return Ok(Err(Refusal::field("inventories", "required", "name the inventory lists whose tax is paid", "请列出已缴税的清单")));
    }
    let Some(mut g) = st.ceb.guarantees.get(guarantee).cloned() else {
        return Ok(Err(Refusal::not_found("guarantee", "担保")));
    };
    let mut recs = Vec::new();
    let mut amount = rust_decimal::Decimal::ZERO;
    for (i, id) in ids.iter().enumerate() {
        let path = format!("inventories[{i}]");
        if ids[..i].contains(id) {
            return Ok(Err(Refusal::field(&path, "duplicate", format!("{id} is listed twice"), format!("{id} 重复"))));
        }
        let rec = load_record(conn, st, b, id).await?;
        let Some(rec) = rec.filter(|r| r.acceptance.as_ref().is_some_and(|a| a.guarantee == guarantee)) else {
            return Ok(Err(Refusal::field(
                &path,
                "inventory_unknown",
                format!("no inventory list {id} under the guarantee of {guarantee}"),
                format!("{guarantee} 担保下没有清单 {id}"),
            )));
        };
        if rec.tax_state != guomen_domain::ceb::TaxState::Reserved {
            return Ok(Err(Refusal {
                kind: RefusalKind::Conflict,
                detail_en: format!("the tax of {id} is not awaiting payment"),
                detail_zh: format!("清单 {id} 没有待缴税款"),
                errors: vec![guomen_domain::FieldError::new(path, "tax_state", "no tax awaiting payment", "没有待缴税款")],
            }));
        }
        amount += rec.tax_due;
        recs.push(rec);
    }
    g.reserved = (g.reserved - amount).max(rust_decimal::Decimal::ZERO);
    let e = CebEvent::TaxPaid { guarantee: guarantee.to_owned(), inventories: ids.to_vec(), amount, reserved: g.reserved };
    b.append(st, who, at, &Event::Ceb(e.clone()));
    for mut r in recs {
        r.apply(&e, at);
        b.ceb.inventory(&r);
    }
    b.ceb.guarantee(&g, at);
    st.ceb.guarantees.insert(guarantee.to_owned(), g.clone());
    Ok(Ok(Outcome::Guarantee(g)))
}
