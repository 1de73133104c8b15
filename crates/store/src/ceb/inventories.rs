//! Inventory lists on the write path: receipt, the decision the moment the last document
//! arrives, officers' steps, cancellations (CEB623), returns (CEB625), departures (CEB711) and
//! tax payments. Every change is an event applied to the record, the buyer's ledger and the
//! guarantee together.

use super::state::fp;
use super::{sighting_of, Ceb, Submission};
use crate::kernel::Tx;
use crate::numbering::numbered;
use guomen_domain::ceb::answer::{self, DocAnswer, DocState};
use guomen_domain::ceb::identity::fingerprint;
use guomen_domain::ceb::inventory as proc;
use guomen_domain::ceb::quota::china_year;
use guomen_domain::ceb::{
    guarantee_change, notice, AppType, CebEvent, Checks, DocKind, InventoryDoc, InventoryRecord, InventoryStatus, QuotaChange, Sighting,
    Tariff,
};
use guomen_domain::party::CreditGrade;
use guomen_domain::Event;
use sqlx::Row;
use time::OffsetDateTime;

/// Mixes a message's seed with a document's position, so each inventory gets its own draw.
fn mix(seed: u64, i: usize) -> u64 {
    seed ^ (i as u64 + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15)
}

async fn next_counter(tx: &mut Tx<'_>, name: String) -> Result<i64, sqlx::Error> {
    let next = tx.counter(&name).await? + 1;
    tx.journal.set_counter(&name, next);
    Ok(next)
}

/// 清单编号: customs code (4) + year (4) + 1 (import) + a 9-digit sequence; 预录入编号: B + date
/// (8) + a 9-digit daily sequence. Both 18 characters.
async fn numbers(tx: &mut Tx<'_>, inv: &InventoryDoc, now: OffsetDateTime) -> Result<(String, String), sqlx::Error> {
    let china = now.to_offset(time::macros::offset!(+8));
    let prefix = format!("{}{}1", inv.customs_code, china.year());
    let n = next_counter(tx, format!("invt:{prefix}")).await?;
    let day = format!("{:04}{:02}{:02}", china.year(), u8::from(china.month()), china.day());
    let p = next_counter(tx, format!("pre:{day}")).await?;
    Ok((numbered(&prefix, n), format!("B{}", numbered(&day, p))))
}

/// Brings back into memory the documents of `inv` that were let go after waiting too long.
async fn recall_missing(tx: &mut Tx<'_>, c: &mut Ceb<'_>, inv: &InventoryDoc) -> Result<(), sqlx::Error> {
    use super::journal_docs::{recall, Recalled};
    let key = inv.key();
    let wanted = [
        (DocKind::Order, key.clone(), !c.state.orders.contains_key(&key)),
        (DocKind::Payment, key.clone(), !c.state.payments.contains_key(&key)),
        (DocKind::Waybill, inv.waybill_key(), !c.state.waybills.contains_key(&inv.waybill_key())),
    ];
    for (kind, k, missing) in wanted {
        if !missing || c.rows.doc_state_in_batch(kind, &k).is_some() || !c.state.documents.contains(&fp(&[kind.as_str(), &k])) {
            continue;
        }
        match recall(tx.conn, kind, &k).await? {
            Some(Recalled::Order(o, seq, at)) => c.state.keep_order(*o, seq, at),
            Some(Recalled::Payment(p, seq, at)) => c.state.keep_payment(*p, seq, at),
            Some(Recalled::Waybill(w, seq, at)) => c.state.keep_waybill(*w, seq, at),
            None => {}
        }
    }
    Ok(())
}

fn missing_docs(c: &Ceb<'_>, inv: &InventoryDoc) -> Vec<DocKind> {
    let key = inv.key();
    let mut out = Vec::new();
    if !c.state.orders.contains_key(&key) {
        out.push(DocKind::Order);
    }
    if !c.state.payments.contains_key(&key) {
        out.push(DocKind::Payment);
    }
    if !c.state.waybills.contains_key(&inv.waybill_key()) {
        out.push(DocKind::Waybill);
    }
    out
}

/// A CEB621 inventory list.
#[allow(clippy::too_many_arguments)]
pub(super) async fn receive(
    tx: &mut Tx<'_>,
    c: &mut Ceb<'_>,
    s: &Submission,
    i: usize,
    inv: &InventoryDoc,
    now: OffsetDateTime,
) -> Result<DocAnswer, sqlx::Error> {
    let at = tx.at;
    let key = inv.key();
    match inv.app_type {
        AppType::New => {
            if let Some(w) = c.state.waiting.get(&key) {
                return Ok(answer::already_waiting(&inv.order_no, &w.id, at));
            }
            if let Some((id, status)) = open_inventory(tx, c, &inv.ebp_code, &inv.order_no).await? {
                return Ok(answer::already_open(&inv.order_no, &id, status, at));
            }
            let (id, pre_no) = numbers(tx, inv, now).await?;
            create(tx, c, s, id, pre_no, inv, mix(s.seed, i), now).await
        }
        AppType::Change => {
            let Some(old) = c.state.waiting.remove(&key) else {
                return Ok(answer::nothing_to_change(&inv.order_no, at));
            };
            c.state.waiting_by_waybill.remove(&old.inventory.waybill_key());
            create(tx, c, s, old.id, old.pre_no, inv, mix(s.seed, i), now).await
        }
        AppType::Delete => {
            let Some(mut rec) = c.state.waiting.remove(&key) else {
                return Ok(answer::nothing_to_withdraw(&inv.order_no, at));
            };
            c.state.waiting_by_waybill.remove(&rec.inventory.waybill_key());
            let e = CebEvent::InventoryWithdrawn { id: rec.id.clone(), key: key.clone(), message: s.guid.clone() };
            apply(tx, c, &mut rec, e, at, false);
            Ok(answer::for_record(&rec, at))
        }
    }
}

#[allow(clippy::too_many_arguments)]
async fn create(
    tx: &mut Tx<'_>,
    c: &mut Ceb<'_>,
    s: &Submission,
    id: String,
    pre_no: String,
    inv: &InventoryDoc,
    seed: u64,
    now: OffsetDateTime,
) -> Result<DocAnswer, sqlx::Error> {
    let at = tx.at;
    recall_missing(tx, c, inv).await?;
    let missing = missing_docs(c, inv);
    let sighting = Sighting { at_ms: at, address: fingerprint(&inv.consignee_address), phone: fingerprint(&inv.buyer_telephone) };
    let e = CebEvent::InventoryReceived {
        id,
        pre_no,
        message: s.guid.clone(),
        sender: s.sender.clone(),
        inventory: Box::new(inv.clone()),
        waiting_for: missing.clone(),
        sighting,
    };
    let event = Event::Ceb(e);
    let seq = tx.append(&event);
    let Event::Ceb(e) = event else { unreachable!("wrapped above") };
    let mut rec = InventoryRecord::received(&e, at).expect("a received event starts a record");
    rec.journal_seq = seq;
    c.state.documents.insert(fp(&["inventory", &rec.key]));
    let rec = if missing.is_empty() {
        decide(tx, c, rec, seed, now, false, false).await?
    } else {
        c.state.waiting_by_waybill.insert(inv.waybill_key(), rec.key.clone());
        c.state.waiting.insert(rec.key.clone(), rec.clone());
        c.rows.inventory(&rec);
        rec
    };
    Ok(answer::for_record(&rec, at))
}

/// Decides the inventory waiting on `order_key` if its last document just arrived; its sender
/// is told by a notice.
pub(super) async fn try_decide(
    tx: &mut Tx<'_>,
    c: &mut Ceb<'_>,
    order_key: &str,
    seed: u64,
    now: OffsetDateTime,
) -> Result<(), sqlx::Error> {
    let Some(inv) = c.state.waiting.get(order_key).map(|r| r.inventory.clone()) else { return Ok(()) };
    if !missing_docs(c, &inv).is_empty() {
        recall_missing(tx, c, &inv).await?;
    }
    let ready = missing_docs(c, &inv).is_empty();
    if !ready {
        return Ok(());
    }
    let rec = c.state.waiting.remove(order_key).expect("checked above");
    c.state.waiting_by_waybill.remove(&rec.inventory.waybill_key());
    decide(tx, c, rec, seed, now, false, true).await?;
    Ok(())
}

/// Runs the decision on an inventory whose documents are all here, and applies it.
#[allow(clippy::too_many_arguments)]
pub(super) async fn decide(
    tx: &mut Tx<'_>,
    c: &mut Ceb<'_>,
    mut rec: InventoryRecord,
    seed: u64,
    now: OffsetDateTime,
    identity_cleared: bool,
    notify: bool,
) -> Result<InventoryRecord, sqlx::Error> {
    let at = tx.at;
    let waybill_key = rec.inventory.waybill_key();
    let missing = missing_docs(c, &rec.inventory);
    if !missing.is_empty() {
        let e = guomen_domain::ceb::decision::documents_withdrawn(&rec, &missing);
        apply(tx, c, &mut rec, e, at, notify);
        return Ok(rec);
    }
    let buyer = rec.inventory.buyer().key();
    let year = rec.quota_year.unwrap_or_else(|| china_year(now));
    let ledger = c.state.ledger(tx.conn, &buyer, year).await?;
    let grade = { c.parties.enterprise(&rec.inventory.ebc_code).map(|e| e.grade).unwrap_or(CreditGrade::Registered) };
    let guard = c.targeting.rules.identity_guard;
    let rules = c.targeting.rules.clone();
    let country = |c: &str| guomen_reference::gacc_country::alpha3(c).map(str::to_owned).unwrap_or_else(|| c.to_owned());
    // The documents are read where they are kept: only the sightings of this buyer change.
    let ceb = &mut *c.state;
    let sightings = ceb.sightings.entry(buyer).or_default();
    sightings.trim(at, &guard);
    let checks = Checks {
        order: &ceb.orders[&rec.key],
        payment: &ceb.payments[&rec.key],
        waybill: &ceb.waybills[&waybill_key],
        ledger,
        year,
        guarantee: ceb.guarantees.get(&rec.inventory.assure_code),
        sightings,
        guard: &guard,
        rules: &rules,
        grade,
        seed,
        tariff: Tariff::embedded(),
        identity_cleared,
        country: &country,
    };
    let e = proc::decide(&rec, &checks, sighting_of(&rec));
    let notify = notify || notice::always_notified(&e);
    apply(tx, c, &mut rec, e, at, notify);
    Ok(rec)
}

/// A buyer's name as `ceb_buyer_names` keeps it: a fingerprint after removing spacing and
/// punctuation and folding case, like addresses for the identity guard.
pub fn buyer_name_fp(name: &str) -> i64 {
    guomen_domain::ceb::identity::fingerprint(name)
}

/// Fills `ceb_buyer_names` from the inventory lists decided before migration 0006, once (the
/// migration leaves `console_state.ceb_buyer_names` at 0 when there were any): each list's
/// buyer name is read from the journal entry that received it.
pub(crate) async fn backfill_buyer_names_if_needed(conn: &mut sqlx::AnyConnection) -> Result<(), sqlx::Error> {
    use sqlx::{Connection, Row};
    let due: Option<i64> =
        sqlx::query_scalar("SELECT value FROM console_state WHERE name = 'ceb_buyer_names'").fetch_optional(&mut *conn).await?;
    if due != Some(0) {
        return Ok(());
    }
    let mut tx = conn.begin().await?;
    let mut after = String::new();
    loop {
        let rows = sqlx::query(
            "SELECT i.id, i.buyer, j.payload FROM ceb_inventories i JOIN journal j ON j.seq = i.received_seq \
             WHERE i.id > $1 AND i.status NOT IN ('waiting', 'rejected', 'withdrawn') ORDER BY i.id LIMIT 2000",
        )
        .bind(after.clone())
        .fetch_all(&mut *tx)
        .await?;
        let Some(last) = rows.last() else { break };
        after = last.try_get(0)?;
        let mut names = std::collections::BTreeSet::new();
        for r in &rows {
            if let Event::Ceb(CebEvent::InventoryReceived { inventory, .. }) = super::state::decode::<Event>(&r.try_get::<String, _>(2)?)? {
                names.insert((r.try_get::<String, _>(1)?, buyer_name_fp(&inventory.buyer_name)));
            }
        }
        let rows = names.into_iter().map(|(buyer, fp)| vec![crate::kernel::Val::T(buyer), crate::kernel::Val::I(fp)]).collect();
        crate::kernel::insert(
            &mut tx,
            "INSERT INTO ceb_buyer_names (buyer, name_fp) VALUES ",
            2,
            rows,
            " ON CONFLICT (buyer, name_fp) DO NOTHING",
        )
        .await?;
    }
    sqlx::query("UPDATE console_state SET value = 1 WHERE name = 'ceb_buyer_names'").execute(&mut *tx).await?;
    tx.commit().await
}

fn set_ledger(c: &mut Ceb<'_>, buyer: &str, q: &QuotaChange, at: i64) {
    c.state.ledgers.insert((buyer.to_owned(), q.year), q.ledger);
    c.rows.ledger(buyer, q.year, q.ledger, at);
}

fn adjust_guarantee(c: &mut Ceb<'_>, code: &str, delta: rust_decimal::Decimal, at: i64) {
    if let Some(g) = c.state.guarantees.get_mut(code) {
        g.reserved = (g.reserved + delta).max(rust_decimal::Decimal::ZERO);
        c.rows.guarantee(g, at);
    }
}

/// Journals an event about an inventory and carries it into the record, the buyer's ledger,
/// the guarantee, the identity guard and the documents; optionally tells the sender.
pub(super) fn apply(tx: &mut Tx<'_>, c: &mut Ceb<'_>, rec: &mut InventoryRecord, e: CebEvent, at: i64, notify: bool) {
    let event = Event::Ceb(e);
    let seq = tx.append(&event);
    let Event::Ceb(e) = event else { unreachable!("wrapped above") };
    let (before_status, before_tax) = (rec.status, rec.tax_state);
    rec.apply(&e, at);
    let buyer = rec.inventory.buyer().key();
    if let Some(q) = e.quota_change() {
        set_ledger(c, &buyer, q, at);
    }
    if let Some((code, delta)) = guarantee_change(&e, before_tax, rec) {
        adjust_guarantee(c, &code, delta, at);
    }
    match &e {
        CebEvent::InventoryAccepted { acceptance, .. } => {
            c.rows.buyer_name(&buyer, buyer_name_fp(&rec.inventory.buyer_name));
            if before_status != InventoryStatus::ManualReview {
                c.state.sightings.entry(buyer.clone()).or_default().push(sighting_of(rec));
            }
            for (kind, key) in
                [(DocKind::Order, rec.key.clone()), (DocKind::Payment, rec.key.clone()), (DocKind::Waybill, rec.inventory.waybill_key())]
            {
                c.state.drop_doc(kind, &key);
                c.rows.doc_state(kind, &key, DocState::Used);
            }
            c.targeting.record_hits(&rec.id, &acceptance.decision, at);
        }
        CebEvent::InventoryHeld { .. } => {
            c.state.sightings.entry(buyer.clone()).or_default().push(sighting_of(rec));
            c.rows.buyer_name(&buyer, buyer_name_fp(&rec.inventory.buyer_name));
        }
        _ => {}
    }
    if before_status == InventoryStatus::Waiting && rec.status != InventoryStatus::Waiting {
        c.state.waiting.remove(&rec.key);
        c.state.waiting_by_waybill.remove(&rec.inventory.waybill_key());
    }
    c.rows.inventory(rec);
    if notify {
        let (to, topic, body) = notice::notice(rec);
        let stream = e.stream();
        tx.notify(seq, &stream, &to, topic, body.to_string());
    }
}

fn parse_status(s: &str) -> InventoryStatus {
    match s {
        "waiting" => InventoryStatus::Waiting,
        "manual-review" => InventoryStatus::ManualReview,
        "inspection" => InventoryStatus::Inspection,
        "released" => InventoryStatus::Released,
        "detained" => InventoryStatus::Detained(599),
        "returned" => InventoryStatus::Returned,
        "cancelled" => InventoryStatus::Cancelled,
        "closed" => InventoryStatus::Closed,
        "withdrawn" => InventoryStatus::Withdrawn,
        _ => InventoryStatus::Rejected,
    }
}

/// An inventory of this order that is neither waiting nor over (rejected, cancelled,
/// withdrawn, returned): a new one may not be declared beside it.
async fn open_inventory(
    tx: &mut Tx<'_>,
    c: &mut Ceb<'_>,
    ebp: &str,
    order_no: &str,
) -> Result<Option<(String, InventoryStatus)>, sqlx::Error> {
    let key = guomen_domain::ceb::documents::order_key(ebp, order_no);
    let mut found: Vec<(String, InventoryStatus)> = Vec::new();
    if c.state.documents.contains(&fp(&["inventory", &key])) {
        for r in sqlx::query("SELECT id, status FROM ceb_inventories WHERE order_no = $1 AND ebp_code = $2")
            .bind(order_no.to_owned())
            .bind(ebp.to_owned())
            .fetch_all(&mut *tx.conn)
            .await?
        {
            found.push((r.try_get(0)?, parse_status(&r.try_get::<String, _>(1)?)));
        }
    }
    for rec in c.rows.inventories.values().filter(|r| r.key == key) {
        found.retain(|(id, _)| *id != rec.id);
        found.push((rec.id.clone(), rec.status));
    }
    Ok(found.into_iter().find(|(_, s)| !s.is_final() && *s != InventoryStatus::Waiting))
}

/// The inventory under manual review that holds this order, payment or waybill, if any.
pub(super) async fn held_inventory(tx: &mut Tx<'_>, c: &mut Ceb<'_>, kind: DocKind, key: &str) -> Result<Option<String>, sqlx::Error> {
    let by_waybill = kind == DocKind::Waybill;
    if let Some(r) = c
        .rows
        .inventories
        .values()
        .find(|r| r.status == InventoryStatus::ManualReview && if by_waybill { r.inventory.waybill_key() == key } else { r.key == key })
    {
        return Ok(Some(r.id.clone()));
    }
    if !by_waybill && !c.state.documents.contains(&fp(&["inventory", key])) {
        return Ok(None);
    }
    let Some((a, n)) = key.split_once('/') else { return Ok(None) };
    let sql = if by_waybill {
        "SELECT id FROM ceb_inventories WHERE logistics_code = $1 AND logistics_no = $2 AND status = 'manual-review'"
    } else {
        "SELECT id FROM ceb_inventories WHERE ebp_code = $1 AND order_no = $2 AND status = 'manual-review'"
    };
    let ids: Vec<String> = sqlx::query_scalar(sql).bind(a.to_owned()).bind(n.to_owned()).fetch_all(&mut *tx.conn).await?;
    Ok(ids.into_iter().find(|id| c.rows.inventories.get(id).is_none_or(|r| r.status == InventoryStatus::ManualReview)))
}

/// The latest state of an inventory: this batch's, the waiting list's, or the stored one.
pub(super) async fn load_record(tx: &mut Tx<'_>, c: &mut Ceb<'_>, id: &str) -> Result<Option<InventoryRecord>, sqlx::Error> {
    if let Some(r) = c.rows.inventories.get(id) {
        return Ok(Some(r.clone()));
    }
    let rec = super::records::load(tx.conn, id).await?;
    Ok(rec.map(|r| c.state.waiting.get(&r.key).filter(|w| w.id == r.id).cloned().unwrap_or(r)))
}
