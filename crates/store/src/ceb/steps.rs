//! After the decision: cancellations (CEB623), returns (CEB625) and departures (CEB711) sent by
//! the parties, officers' steps on an inventory list, and tax payments against a guarantee.

use super::inventories::{apply, decide, load_record};
use super::{CancelRequest, Ceb, CebOutcome, DepartureRequest, OfficerStep, RefundRequest, Submission};
use crate::kernel::{Handled, Tx};
use guomen_domain::ceb::answer::{self, DocAnswer};
use guomen_domain::ceb::inventory as proc;
use guomen_domain::ceb::{CebEvent, InventoryRecord};
use guomen_domain::{Event, Refusal, Rule};

/// The inventory a cancellation or return names: by its number, or else the latest of its order.
async fn find(
    tx: &mut Tx<'_>,
    c: &mut Ceb<'_>,
    invt_no: Option<&str>,
    ebp: &str,
    order_no: &str,
) -> Result<Option<InventoryRecord>, sqlx::Error> {
    let key = guomen_domain::ceb::documents::order_key(ebp, order_no);
    if let Some(id) = invt_no {
        return Ok(load_record(tx, c, id).await?.filter(|r| r.key == key));
    }
    if let Some(w) = c.state.waiting.get(&key) {
        return Ok(Some(w.clone()));
    }
    let id: Option<String> =
        sqlx::query_scalar("SELECT id FROM ceb_inventories WHERE order_no = $1 AND ebp_code = $2 ORDER BY received_at_ms DESC LIMIT 1")
            .bind(order_no.to_owned())
            .bind(ebp.to_owned())
            .fetch_optional(&mut *tx.conn)
            .await?;
    let latest_in_batch = c.rows.inventories.values().filter(|r| r.key == key).max_by_key(|r| r.received_at_ms).cloned();
    match (id, latest_in_batch) {
        (_, Some(r)) => Ok(Some(r)),
        (Some(id), None) => load_record(tx, c, &id).await,
        (None, None) => Ok(None),
    }
}

async fn ledger_of(tx: &mut Tx<'_>, c: &mut Ceb<'_>, rec: &InventoryRecord) -> Result<guomen_domain::ceb::Ledger, sqlx::Error> {
    match rec.quota_year {
        Some(y) => c.state.ledger(tx.conn, &rec.inventory.buyer().key(), y).await,
        None => Ok(Default::default()),
    }
}

pub(super) async fn cancel(tx: &mut Tx<'_>, c: &mut Ceb<'_>, s: &Submission, req: &CancelRequest) -> Result<DocAnswer, sqlx::Error> {
    let at = tx.at;
    // The list must be the named e-commerce enterprise's: the sender's mandate was checked
    // against the enterprise the message names.
    let Some(mut rec) = find(tx, c, req.invt_no.as_deref(), &req.ebp_code, &req.order_no)
        .await?
        .filter(|r| r.names(&s.sender) && r.inventory.ebc_code == req.ebc_code)
    else {
        return Ok(answer::no_inventory(&req.order_no, req.invt_no.as_deref(), at));
    };
    let ledger = ledger_of(tx, c, &rec).await?;
    match proc::cancel(&rec, &s.guid, &req.reason, ledger) {
        Err(r) => Ok(answer::refused(&r, at)),
        Ok(e) => {
            apply(tx, c, &mut rec, e, at, false);
            Ok(answer::cancelled(&rec, at))
        }
    }
}

pub(super) async fn refund(tx: &mut Tx<'_>, c: &mut Ceb<'_>, s: &Submission, r: &RefundRequest) -> Result<DocAnswer, sqlx::Error> {
    let at = tx.at;
    let Some(mut rec) = find(tx, c, r.invt_no.as_deref(), &r.ebp_code, &r.order_no)
        .await?
        .filter(|x| x.names(&s.sender) && x.inventory.ebc_code == r.ebc_code)
    else {
        return Ok(answer::no_inventory(&r.order_no, None, at));
    };
    let ledger = ledger_of(tx, c, &rec).await?;
    match proc::refund(&rec, &s.guid, &r.reason, &r.lines, at, ledger) {
        Err(x) => Ok(answer::refused(&x, at)),
        Ok(e) => {
            let (value, complete) = match &e {
                CebEvent::InventoryRefunded { value, complete, .. } => (*value, *complete),
                _ => (rust_decimal::Decimal::ZERO, false),
            };
            apply(tx, c, &mut rec, e, at, false);
            Ok(answer::refunded(&rec, value, complete, at))
        }
    }
}

pub(super) async fn depart(tx: &mut Tx<'_>, c: &mut Ceb<'_>, s: &Submission, d: &DepartureRequest) -> Result<DocAnswer, sqlx::Error> {
    let at = tx.at;
    let mut records = Vec::new();
    let mut problems: Vec<(String, String)> = Vec::new();
    for no in &d.logistics_nos {
        let key = guomen_domain::ceb::documents::waybill_key(&d.logistics_code, no);
        let in_batch = c.rows.inventories.values().filter(|r| r.inventory.waybill_key() == key).max_by_key(|r| r.received_at_ms).cloned();
        let rec = match in_batch {
            Some(r) => Some(r),
            None => {
                let id: Option<String> = sqlx::query_scalar(
                    "SELECT id FROM ceb_inventories WHERE logistics_no = $1 AND logistics_code = $2 ORDER BY received_at_ms DESC LIMIT 1",
                )
                .bind(no.clone())
                .bind(d.logistics_code.clone())
                .fetch_optional(&mut *tx.conn)
                .await?;
                match id {
                    Some(id) => load_record(tx, c, &id).await?,
                    None => None,
                }
            }
        };
        match rec {
            None => problems.push(answer::waybill_without_inventory(no)),
            Some(r) if !r.names(&s.sender) => problems.push(answer::waybill_not_senders(no)),
            Some(r) => match proc::depart(&r, &s.guid, &d.delivery) {
                Ok(e) => records.push((r, e)),
                Err(x) => problems.push(answer::waybill_refused(no, &x)),
            },
        }
    }
    if !problems.is_empty() {
        return Ok(answer::delivery_refused(&d.delivery, &problems, at));
    }
    let n = records.len();
    for (mut r, e) in records {
        apply(tx, c, &mut r, e, at, false);
    }
    Ok(answer::delivered(&d.delivery, n, at))
}

pub(super) async fn officer(tx: &mut Tx<'_>, c: &mut Ceb<'_>, id: &str, step: &OfficerStep) -> Handled<CebOutcome> {
    let (at, now) = (tx.at, tx.now);
    let Some(mut rec) = load_record(tx, c, id).await? else {
        return Ok(Err(Refusal::not_found("inventory list", "清单")));
    };
    let ledger = ledger_of(tx, c, &rec).await?;
    let e = match step {
        OfficerStep::Release { note } => proc::release(&rec, &tx.who, note, ledger),
        OfficerStep::Detain { code, reason } => proc::detain(&rec, &tx.who, *code, reason),
        OfficerStep::Return { reason } => proc::order_return(&rec, &tx.who, reason, ledger),
        OfficerStep::ClearIdentity { note, .. } => proc::clear_identity(&rec, &tx.who, note),
        OfficerStep::ConfirmIdentityTheft { note } => proc::confirm_identity_theft(&rec, &tx.who, note, ledger),
    };
    let e = match e {
        Ok(e) => e,
        Err(r) => return Ok(Err(r)),
    };
    apply(tx, c, &mut rec, e, at, true);
    if let OfficerStep::ClearIdentity { seed, .. } = step {
        rec = decide(tx, c, rec, *seed, now, true, true).await?;
    }
    Ok(Ok(CebOutcome::Inventory(Box::new(rec))))
}

pub(super) async fn pay_tax(tx: &mut Tx<'_>, c: &mut Ceb<'_>, guarantee: &str, ids: &[String]) -> Handled<CebOutcome> {
    let Some(mut g) = c.state.guarantees.get(guarantee).cloned().filter(|_| !ids.is_empty()) else {
        return Ok(Err(if ids.is_empty() {
            Refusal::field("inventories", Rule::Required, "name the inventory lists whose tax is paid", "请列出已缴税的清单")
        } else {
            Refusal::not_found("guarantee", "担保")
        }));
    };
    let mut records = Vec::with_capacity(ids.len());
    for (i, id) in ids.iter().enumerate() {
        records.push(if ids[..i].contains(id) { None } else { load_record(tx, c, id).await? });
    }
    let e = match guomen_domain::ceb::guarantee::pay_tax(&g, ids, &records) {
        Ok(e) => e,
        Err(r) => return Ok(Err(r)),
    };
    let CebEvent::TaxPaid { reserved, .. } = &e else { unreachable!("pay_tax pays tax") };
    g.reserved = *reserved;
    tx.append(&Event::Ceb(e.clone()));
    for mut r in records.into_iter().flatten() {
        r.apply(&e, tx.at);
        c.rows.inventory(&r);
    }
    c.rows.guarantee(&g, tx.at);
    c.state.guarantees.insert(guarantee.to_owned(), g.clone());
    Ok(Ok(CebOutcome::Guarantee(g)))
}
