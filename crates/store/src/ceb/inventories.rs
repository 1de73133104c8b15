//! Inventory lists on the write path: receipt, the decision the moment the last document
//! arrives, officers' steps, cancellations (CEB623), returns (CEB625), departures (CEB711) and
//! tax payments. Every change is an event applied to the record, the buyer's ledger and the
//! guarantee together.

use super::state::fp;
use super::{answer, info, sighting_of, DocAnswer, Submission};
use crate::batch::{ms, Batch, Val};

use crate::writer::WriterState;
use guomen_domain::ceb::identity::fingerprint;
use guomen_domain::ceb::inventory as proc;
use guomen_domain::ceb::quota::china_year;
use guomen_domain::ceb::{
    notice, AppType, CebEvent, Checks, DocKind, InventoryDoc, InventoryRecord, InventoryStatus, QuotaChange, Sighting, Tariff,
};
use guomen_domain::party::CreditGrade;
use guomen_domain::{Event, Refusal};
use sqlx::{AnyConnection, Row};
use time::OffsetDateTime;

/// Mixes a message's seed with a document's position, so each inventory gets its own draw.
fn mix(seed: u64, i: usize) -> u64 {
    seed ^ (i as u64 + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15)
}

async fn next_counter(conn: &mut AnyConnection, st: &WriterState, b: &mut Batch, name: String) -> Result<i64, sqlx::Error> {
    let current = match b.counters_touched.get(&name).or_else(|| st.counters.get(&name)) {
        Some(v) => *v,
        None => sqlx::query_scalar::<_, i64>("SELECT value FROM counters WHERE name = $1")
            .bind(name.clone())
            .fetch_optional(&mut *conn)
            .await?
            .unwrap_or(0),
    };
    b.counters_touched.insert(name, current + 1);
    Ok(current + 1)
}

/// 清单编号: customs code (4) + year (4) + 1 (import) + a 9-digit sequence; 预录入编号: B + date
/// (8) + a 9-digit daily sequence. Both 18 characters.
async fn numbers(
    conn: &mut AnyConnection,
    st: &WriterState,
    b: &mut Batch,
    inv: &InventoryDoc,
    now: OffsetDateTime,
) -> Result<(String, String), sqlx::Error> {
    let china = now.to_offset(time::macros::offset!(+8));
    let prefix = format!("{}{}1", inv.customs_code, china.year());
    let n = next_counter(conn, st, b, format!("invt:{prefix}")).await?;
    let day = format!("{:04}{:02}{:02}", china.year(), u8::from(china.month()), china.day());
    let p = next_counter(conn, st, b, format!("pre:{day}")).await?;
    Ok((format!("{prefix}{n:09}"), format!("B{day}{p:09}")))
}

/// Brings back into memory the documents of `inv` that were let go after waiting too long.
async fn recall_missing(conn: &mut AnyConnection, st: &mut WriterState, b: &Batch, inv: &InventoryDoc) -> Result<(), sqlx::Error> {
    use super::journal_docs::{recall, Recalled};
    let key = inv.key();
    let wanted = [
        (DocKind::Order, key.clone(), !st.ceb.orders.contains_key(&key)),
        (DocKind::Payment, key.clone(), !st.ceb.payments.contains_key(&key)),
        (DocKind::Waybill, inv.waybill_key(), !st.ceb.waybills.contains_key(&inv.waybill_key())),
    ];
    for (kind, k, missing) in wanted {
        if !missing || b.ceb.doc_state_in_batch(kind, &k).is_some() || !st.ceb.documents.contains(&fp(&[kind.as_str(), &k])) {
            continue;
        }
        match recall(conn, kind, &k).await? {
            Some(Recalled::Order(o, seq, at)) => st.ceb.keep_order(*o, seq, at),
            Some(Recalled::Payment(p, seq, at)) => st.ceb.keep_payment(*p, seq, at),
            Some(Recalled::Waybill(w, seq, at)) => st.ceb.keep_waybill(*w, seq, at),
            None => {}
        }
    }
    Ok(())
}

fn missing_docs(st: &WriterState, inv: &InventoryDoc) -> Vec<DocKind> {
    let key = inv.key();
    let mut out = Vec::new();
    if !st.ceb.orders.contains_key(&key) {
        out.push(DocKind::Order);
    }
    if !st.ceb.payments.contains_key(&key) {
        out.push(DocKind::Payment);
    }
    if !st.ceb.waybills.contains_key(&inv.waybill_key()) {
        out.push(DocKind::Waybill);
    }
    out
}

pub(super) fn record_answer(rec: &InventoryRecord, at: i64) -> DocAnswer {
    let (zh, en) = notice::status_info(rec);
    DocAnswer {
        status: rec.status.return_status(),
        info: info(&zh, &en),
        at_ms: at,
        invt_no: Some(rec.id.clone()),
        pre_no: Some(rec.pre_no.clone()),
    }
}

pub(super) fn refused(r: &Refusal, at: i64) -> DocAnswer {
    let mut zh = r.detail_zh.clone();
    let mut en = r.detail_en.clone();
    for e in &r.errors {
        zh.push_str(&format!("；[{}] {}", e.path, e.zh));
        en.push_str(&format!("; [{}] {}", e.path, e.en));
    }
    answer("100", &zh, &en, at)
}

/// A CEB621 inventory list.
#[allow(clippy::too_many_arguments)]
pub(super) async fn receive(
    conn: &mut AnyConnection,
    st: &mut WriterState,
    b: &mut Batch,
    who: &str,
    s: &Submission,
    i: usize,
    inv: &InventoryDoc,
    now: OffsetDateTime,
) -> Result<DocAnswer, sqlx::Error> {
    let at = ms(now);
    let key = inv.key();
    match inv.app_type {
        AppType::New => {
            if let Some(w) = st.ceb.waiting.get(&key) {
                return Ok(answer(
                    "100",
                    &format!("订单 {} 已有清单 {}，正在等待三单，变更请使用 appType 2", inv.order_no, w.id),
                    &format!(
                        "order {} already has inventory list {}, waiting for its documents; send appType 2 to change it",
                        inv.order_no, w.id
                    ),
                    at,
                ));
            }
            if let Some((id, status)) = open_inventory(conn, st, b, &inv.ebp_code, &inv.order_no).await? {
                return Ok(answer(
                    "100",
                    &format!("订单 {} 已有清单 {id}（{}）", inv.order_no, status.name_zh()),
                    &format!("order {} already has inventory list {id} ({})", inv.order_no, status.as_str()),
                    at,
                ));
            }
            let (id, pre_no) = numbers(conn, st, b, inv, now).await?;
            create(conn, st, b, who, s, id, pre_no, inv, mix(s.seed, i), now).await
        }
        AppType::Change => {
            let Some(old) = st.ceb.waiting.remove(&key) else {
                return Ok(answer(
                    "100",
                    &format!("订单 {} 没有等待三单的清单，只有此类清单可以变更", inv.order_no),
                    &format!("order {} has no inventory list waiting for its documents; only those can change", inv.order_no),
                    at,
                ));
            };
            st.ceb.waiting_by_waybill.remove(&old.inventory.waybill_key());
            create(conn, st, b, who, s, old.id, old.pre_no, inv, mix(s.seed, i), now).await
        }
        AppType::Delete => {
            let Some(mut rec) = st.ceb.waiting.remove(&key) else {
                return Ok(answer(
                    "100",
                    &format!("订单 {} 没有等待三单的清单可以删除", inv.order_no),
                    &format!("order {} has no inventory list waiting for its documents to withdraw", inv.order_no),
                    at,
                ));
            };
            st.ceb.waiting_by_waybill.remove(&rec.inventory.waybill_key());
            let e = CebEvent::InventoryWithdrawn { id: rec.id.clone(), key: key.clone(), message: s.guid.clone() };
            apply(st, b, who, &mut rec, e, at, false);
            Ok(record_answer(&rec, at))
        }
    }
}

#[allow(clippy::too_many_arguments)]
async fn create(
    conn: &mut AnyConnection,
    st: &mut WriterState,
    b: &mut Batch,
    who: &str,
    s: &Submission,
    id: String,
    pre_no: String,
    inv: &InventoryDoc,
    seed: u64,
    now: OffsetDateTime,
) -> Result<DocAnswer, sqlx::Error> {
    let at = ms(now);
    recall_missing(conn, st, b, inv).await?;
    let missing = missing_docs(st, inv);
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
    let seq = b.append(st, who, at, &event);
    let Event::Ceb(e) = event else { unreachable!("wrapped above") };
    let mut rec = InventoryRecord::received(&e, at).expect("a received event starts a record");
    rec.journal_seq = seq;
    st.ceb.documents.insert(fp(&["inventory", &rec.key]));
    let rec = if missing.is_empty() {
        decide(conn, st, b, who, rec, seed, now, false, false).await?
    } else {
        st.ceb.waiting_by_waybill.insert(inv.waybill_key(), rec.key.clone());
        st.ceb.waiting.insert(rec.key.clone(), rec.clone());
        b.ceb.inventory(&rec);
        rec
    };
    Ok(record_answer(&rec, at))
}

/// Decides the inventory waiting on `order_key` if its last document just arrived; its sender
/// is told by a notice.
pub(super) async fn try_decide(
    conn: &mut AnyConnection,
    st: &mut WriterState,
    b: &mut Batch,
    who: &str,
    order_key: &str,
    seed: u64,
    now: OffsetDateTime,
) -> Result<(), sqlx::Error> {
    let Some(inv) = st.ceb.waiting.get(order_key).map(|r| r.inventory.clone()) else { return Ok(()) };
    if !missing_docs(st, &inv).is_empty() {
        recall_missing(conn, st, b, &inv).await?;
    }
    let ready = missing_docs(st, &inv).is_empty();
    if !ready {
        return Ok(());
    }
    let rec = st.ceb.waiting.remove(order_key).expect("checked above");
    st.ceb.waiting_by_waybill.remove(&rec.inventory.waybill_key());
    decide(conn, st, b, who, rec, seed, now, false, true).await?;
    Ok(())
}

/// Runs the decision on an inventory whose documents are all here, and applies it.
#[allow(clippy::too_many_arguments)]
pub(super) async fn decide(
    conn: &mut AnyConnection,
    st: &mut WriterState,
    b: &mut Batch,
    who: &str,
    mut rec: InventoryRecord,
    seed: u64,
    now: OffsetDateTime,
    identity_cleared: bool,
    notify: bool,
) -> Result<InventoryRecord, sqlx::Error> {
    let at = ms(now);
    let waybill_key = rec.inventory.waybill_key();
    let have_all =
        st.ceb.orders.contains_key(&rec.key) && st.ceb.payments.contains_key(&rec.key) && st.ceb.waybills.contains_key(&waybill_key);
    if !have_all {
        let missing = missing_docs(st, &rec.inventory);
        let e = CebEvent::InventoryRejected {
            id: rec.id.clone(),
            key: rec.key.clone(),
            reasons: missing
                .iter()
                .map(|k| guomen_domain::ceb::Disagreement {
                    path: k.message().into(),
                    en: format!("the {} ({}) was withdrawn", k.as_str(), k.message()),
                    zh: format!("{}已删除", k.name_zh()),
                })
                .collect(),
            quota: None,
        };
        apply(st, b, who, &mut rec, e, at, notify);
        return Ok(rec);
    }
    let buyer = rec.inventory.buyer().key();
    let year = rec.quota_year.unwrap_or_else(|| china_year(now));
    let ledger = st.ceb.ledger(conn, &buyer, year).await?;
    let grade = {
        let dir = st.directory.read().expect("directory lock");
        dir.enterprises.get(&rec.inventory.ebc_code).map(|e| e.grade).unwrap_or(CreditGrade::Registered)
    };
    let guard = st.rules.identity_guard;
    let rules = st.rules.clone();
    let country = |c: &str| guomen_reference::gacc_country::alpha3(c).map(str::to_owned).unwrap_or_else(|| c.to_owned());
    // The documents are read where they are kept: only the sightings of this buyer change.
    let ceb = &mut st.ceb;
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
    // A hold for suspected identity theft is always notified, so the sender's systems and the
    // officers' notices show it, not only the receipt.
    let notify = notify || matches!(e, CebEvent::InventoryHeld { .. });
    apply(st, b, who, &mut rec, e, at, notify);
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
pub(crate) async fn backfill_buyer_names_if_needed(conn: &mut AnyConnection) -> Result<(), sqlx::Error> {
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
        let rows = names.into_iter().map(|(buyer, fp)| vec![Val::T(buyer), Val::I(fp)]).collect();
        crate::batch::insert(
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

fn set_ledger(st: &mut WriterState, b: &mut Batch, buyer: &str, q: &QuotaChange, at: i64) {
    st.ceb.ledgers.insert((buyer.to_owned(), q.year), q.ledger);
    b.ceb.ledger(buyer, q.year, q.ledger, at);
}

fn adjust_guarantee(st: &mut WriterState, b: &mut Batch, code: &str, delta: rust_decimal::Decimal, at: i64) {
    if let Some(g) = st.ceb.guarantees.get_mut(code) {
        g.reserved = (g.reserved + delta).max(rust_decimal::Decimal::ZERO);
        b.ceb.guarantee(g, at);
    }
}

/// Journals an event about an inventory and carries it into the record, the buyer's ledger,
/// the guarantee, the identity guard and the documents; optionally tells the sender.
pub(super) fn apply(st: &mut WriterState, b: &mut Batch, who: &str, rec: &mut InventoryRecord, e: CebEvent, at: i64, notify: bool) {
    let event = Event::Ceb(e);
    let seq = b.append(st, who, at, &event);
    let Event::Ceb(e) = event else { unreachable!("wrapped above") };
    let (before_status, before_tax) = (rec.status, rec.tax_state);
    rec.apply(&e, at);
    let buyer = rec.inventory.buyer().key();
    match &e {
        CebEvent::InventoryAccepted { acceptance, quota, .. } => {
            if let Some(q) = quota {
                set_ledger(st, b, &buyer, q, at);
            }
            b.ceb.buyer_name(&buyer, buyer_name_fp(&rec.inventory.buyer_name));
            adjust_guarantee(st, b, &acceptance.guarantee, acceptance.tax.total, at);
            if before_status != InventoryStatus::ManualReview {
                st.ceb.sightings.entry(buyer.clone()).or_default().push(sighting_of(rec));
            }
            for (kind, key) in
                [(DocKind::Order, rec.key.clone()), (DocKind::Payment, rec.key.clone()), (DocKind::Waybill, rec.inventory.waybill_key())]
            {
                st.ceb.drop_doc(kind, &key);
                b.ceb.doc_state(kind, &key, "used");
            }
            let d = &acceptance.decision;
            for h in &d.hits {
                b.risk_hit(vec![
                    Val::T(rec.id.clone()),
                    Val::T(h.criterion.clone()),
                    Val::I(h.revision.into()),
                    Val::I(d.ruleset_version as i64),
                    Val::T(h.lane.as_str().into()),
                    Val::I(h.selected.into()),
                    Val::I(at),
                ]);
            }
        }
        CebEvent::InventoryHeld { quota, .. } => {
            set_ledger(st, b, &buyer, quota, at);
            b.ceb.buyer_name(&buyer, buyer_name_fp(&rec.inventory.buyer_name));
            st.ceb.sightings.entry(buyer.clone()).or_default().push(sighting_of(rec));
        }
        CebEvent::InventoryRejected { quota: Some(q), .. }
        | CebEvent::IdentityTheftConfirmed { quota: q, .. }
        | CebEvent::InventoryReleased { quota: q, .. }
        | CebEvent::InventoryCancelled { quota: Some(q), .. }
        | CebEvent::InventoryReturned { quota: q, .. }
        | CebEvent::InventoryRefunded { quota: q, .. } => set_ledger(st, b, &buyer, q, at),
        _ => {}
    }
    let tax_back = match &e {
        CebEvent::InventoryCancelled { tax_cancelled, .. } | CebEvent::InventoryReturned { tax_cancelled, .. } => *tax_cancelled,
        CebEvent::InventoryRefunded { tax, .. } if before_tax == guomen_domain::ceb::TaxState::Reserved => *tax,
        _ => rust_decimal::Decimal::ZERO,
    };
    if !tax_back.is_zero() {
        if let Some(a) = &rec.acceptance {
            let code = a.guarantee.clone();
            adjust_guarantee(st, b, &code, -tax_back, at);
        }
    }
    if before_status == InventoryStatus::Waiting && rec.status != InventoryStatus::Waiting {
        st.ceb.waiting.remove(&rec.key);
        st.ceb.waiting_by_waybill.remove(&rec.inventory.waybill_key());
    }
    b.ceb.inventory(rec);
    if notify {
        let (to, topic, body) = notice::notice(rec);
        let stream = e.stream();
        b.outbox(st, seq, &stream, &to, topic, body.to_string(), at);
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
    conn: &mut AnyConnection,
    st: &WriterState,
    b: &Batch,
    ebp: &str,
    order_no: &str,
) -> Result<Option<(String, InventoryStatus)>, sqlx::Error> {
    let key = guomen_domain::ceb::documents::order_key(ebp, order_no);
    let mut found: Vec<(String, InventoryStatus)> = Vec::new();
    if st.ceb.documents.contains(&fp(&["inventory", &key])) {
        for r in sqlx::query("SELECT id, status FROM ceb_inventories WHERE order_no = $1 AND ebp_code = $2")
            .bind(order_no.to_owned())
            .bind(ebp.to_owned())
            .fetch_all(&mut *conn)
            .await?
        {
            found.push((r.try_get(0)?, parse_status(&r.try_get::<String, _>(1)?)));
        }
    }
    for rec in b.ceb.inventories.values().filter(|r| r.key == key) {
        found.retain(|(id, _)| *id != rec.id);
        found.push((rec.id.clone(), rec.status));
    }
    Ok(found.into_iter().find(|(_, s)| !s.is_final() && *s != InventoryStatus::Waiting))
}

/// The inventory under manual review that holds this order, payment or waybill, if any.
pub(super) async fn held_inventory(
    conn: &mut AnyConnection,
    st: &WriterState,
    b: &Batch,
    kind: DocKind,
    key: &str,
) -> Result<Option<String>, sqlx::Error> {
    let by_waybill = kind == DocKind::Waybill;
    if let Some(r) = b
        .ceb
        .inventories
        .values()
        .find(|r| r.status == InventoryStatus::ManualReview && if by_waybill { r.inventory.waybill_key() == key } else { r.key == key })
    {
        return Ok(Some(r.id.clone()));
    }
    if !by_waybill && !st.ceb.documents.contains(&fp(&["inventory", key])) {
        return Ok(None);
    }
    let Some((a, n)) = key.split_once('/') else { return Ok(None) };
    let sql = if by_waybill {
        "SELECT id FROM ceb_inventories WHERE logistics_code = $1 AND logistics_no = $2 AND status = 'manual-review'"
    } else {
        "SELECT id FROM ceb_inventories WHERE ebp_code = $1 AND order_no = $2 AND status = 'manual-review'"
    };
    let ids: Vec<String> = sqlx::query_scalar(sql).bind(a.to_owned()).bind(n.to_owned()).fetch_all(&mut *conn).await?;
    Ok(ids.into_iter().find(|id| b.ceb.inventories.get(id).is_none_or(|r| r.status == InventoryStatus::ManualReview)))
}

/// The latest state of an inventory: this batch's, the waiting list's, or the stored one.
pub(super) async fn load_record(
    conn: &mut AnyConnection,
    st: &WriterState,
    b: &Batch,
    id: &str,
) -> Result<Option<InventoryRecord>, sqlx::Error> {
    if let Some(r) = b.ceb.inventories.get(id) {
        return Ok(Some(r.clone()));
    }
    let rec = super::records::load(conn, id).await?;
    Ok(rec.map(|r| st.ceb.waiting.get(&r.key).filter(|w| w.id == r.id).cloned().unwrap_or(r)))
}
