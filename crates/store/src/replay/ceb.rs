//! Cross-border e-commerce rebuilt from the journal: every inventory list of an order's stream
//! folded by `InventoryRecord::fold_with` (with the payment of its tax, journaled on its
//! guarantee's stream), its row and the criteria that hit it; the order, payment and waybill keys
//! with the entry that first brought them; and, over every list, the buyers' ledgers and the
//! guarantees.

use super::compare::{compare, Check, Fetch};
use super::{event, name_in, risk, Entry, Run};
use crate::ceb::rows::{document_row, guarantee_row, inventory_row, quota_row, DOCUMENTS, GUARANTEES, INVENTORIES, QUOTA};
use crate::kernel::Val;
use crate::numbering::counter_of;
use crate::risk::risk_hit_rows;
use futures_util::StreamExt;
use guomen_domain::ceb::{guarantee_change, CebEvent, Guarantee, GuaranteeKind, InventoryRecord, Ledger};
use guomen_domain::Event;
use rust_decimal::Decimal;
use sqlx::{AnyConnection, Row};
use std::collections::{BTreeMap, HashMap};

static INVENTORIES_CHECK: Check = Check {
    table: &INVENTORIES,
    docs: &[],
    amounts: &[],
    keep: None,
    strays: Some(
        "SELECT CAST(id AS TEXT) FROM ceb_inventories t \
         WHERE NOT EXISTS (SELECT 1 FROM journal j WHERE j.stream = 'ceb:' || t.ebp_code || '/' || t.order_no)",
    ),
};

static DOCUMENTS_CHECK: Check = Check {
    table: &DOCUMENTS,
    docs: &[],
    amounts: &[],
    keep: None,
    strays: Some(
        "SELECT CAST(kind AS TEXT), CAST(doc_key AS TEXT) FROM ceb_documents t WHERE NOT EXISTS (SELECT 1 FROM journal j \
         WHERE j.stream = CASE WHEN t.kind = 'waybill' THEN 'ceb-waybill:' ELSE 'ceb:' END || t.doc_key)",
    ),
};

/// A buyer's ledger moves with events of many lists: the whole table is compared at the end.
static QUOTA_CHECK: Check = Check { table: &QUOTA, docs: &[], amounts: &[], keep: None, strays: None };

/// The reservation is summed from every list's tax (the writer's running sum may write `0` where
/// the sum reads `0.00`).
static GUARANTEES_CHECK: Check = Check { table: &GUARANTEES, docs: &[], amounts: &["amount", "reserved"], keep: None, strays: None };

pub(super) static CHECKS: &[&Check] = &[&INVENTORIES_CHECK, &DOCUMENTS_CHECK, &QUOTA_CHECK, &GUARANTEES_CHECK];

/// A guarantee as the journal makes it.
struct GuaranteeSum {
    /// The entry that registered it: what an inventory list did before is not on it.
    first_seq: i64,
    kind: GuaranteeKind,
    amount: Decimal,
    /// Tax reserved: every acceptance's tax, less what was given back and what was paid.
    reserved: Decimal,
    /// (seq, at) of the last entry that changed it.
    last: (i64, i64),
}

impl GuaranteeSum {
    fn touch(&mut self, seq: i64, at: i64) {
        if seq > self.last.0 {
            self.last = (seq, at);
        }
    }
}

/// What spans inventory lists, gathered as they are rebuilt.
#[derive(Default)]
pub(super) struct Sums {
    /// Inventory list → (seq, at, guarantee) of the payment of its tax.
    paid: HashMap<String, (i64, i64, String)>,
    guarantees: BTreeMap<String, GuaranteeSum>,
    /// (buyer, year) → (seq, at, ledger) of the last change.
    ledgers: HashMap<(String, i32), (i64, i64, Ledger)>,
}

/// The guarantees as registered and added to, and the tax paid against them: which list's tax
/// was paid, when, and how much each reservation went down.
pub(super) async fn payments(conn: &mut AnyConnection, run: &mut Run) -> Result<(), sqlx::Error> {
    let mut rows =
        sqlx::query("SELECT seq, at_ms, payload FROM journal WHERE kind IN ('guarantee_added', 'tax_paid') ORDER BY seq").fetch(&mut *conn);
    while let Some(r) = rows.next().await {
        let r = r?;
        let (seq, at): (i64, i64) = (r.try_get(0)?, r.try_get(1)?);
        let Event::Ceb(e) = event(seq, &r.try_get::<String, _>(2)?)? else { continue };
        match e {
            CebEvent::GuaranteeAdded { code, kind, amount, .. } => {
                let g = run.ceb.guarantees.entry(code).or_insert(GuaranteeSum {
                    first_seq: seq,
                    kind,
                    amount,
                    reserved: Decimal::ZERO,
                    last: (seq, at),
                });
                g.kind = kind;
                g.amount = amount;
                g.touch(seq, at);
            }
            CebEvent::TaxPaid { guarantee, inventories, amount, .. } => {
                if let Some(g) = run.ceb.guarantees.get_mut(&guarantee) {
                    g.reserved -= amount;
                    g.touch(seq, at);
                }
                for id in inventories {
                    run.ceb.paid.insert(id, (seq, at, guarantee.clone()));
                }
            }
            _ => {}
        }
    }
    Ok(())
}

/// One page of order streams (`ceb:{ebpCode}/{orderNo}`): the order's and payment's document
/// keys, and every inventory list declared for the order.
pub(super) async fn check(conn: &mut AnyConnection, run: &mut Run, streams: BTreeMap<String, Vec<Entry>>) -> Result<(), sqlx::Error> {
    let (mut keys, mut docs, mut ids, mut rows, mut hits) = (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for (stream, entries) in streams {
        let key = name_in(&stream).to_owned();
        let events: Vec<(i64, i64, CebEvent)> =
            entries.into_iter().filter_map(|e| if let Event::Ceb(c) = e.event { Some((e.seq, e.at_ms, c)) } else { None }).collect();
        let first = |kind: &str| {
            events.iter().find(|(_, _, e)| match e {
                CebEvent::OrderReceived { .. } => kind == "order",
                CebEvent::PaymentReceived { .. } => kind == "payment",
                _ => false,
            })
        };
        for kind in ["order", "payment"] {
            if let Some((seq, at, _)) = first(kind) {
                docs.push(document_row(kind, &key, *seq, *at));
            }
        }
        let mut lists: Vec<String> = Vec::new();
        for (_, _, e) in &events {
            if let CebEvent::InventoryReceived { id, .. } = e {
                if !lists.contains(id) {
                    lists.push(id.clone());
                }
            }
        }
        for id in lists {
            let mut entries = events.clone();
            if let Some((seq, at, guarantee)) = run.ceb.paid.get(&id) {
                let paid = CebEvent::TaxPaid {
                    guarantee: guarantee.clone(),
                    inventories: vec![id.clone()],
                    amount: Decimal::ZERO,
                    reserved: Decimal::ZERO,
                };
                let at_index = entries.partition_point(|(s, _, _)| s < seq);
                entries.insert(at_index, (*seq, *at, paid));
            }
            let (ledgers, guarantees) = (&mut run.ceb.ledgers, &mut run.ceb.guarantees);
            let rec = InventoryRecord::fold_with(&id, entries, |tax_before, rec, seq, at, e| {
                if let Some(q) = e.quota_change() {
                    let last = ledgers.entry((rec.inventory.buyer().key(), q.year)).or_insert((seq, at, q.ledger));
                    if seq >= last.0 {
                        *last = (seq, at, q.ledger);
                    }
                }
                if let Some((code, delta)) = guarantee_change(e, tax_before, rec) {
                    // Only what happened once the guarantee was registered is on it.
                    if let Some(g) = guarantees.get_mut(&code).filter(|g| seq > g.first_seq) {
                        g.reserved += delta;
                        g.touch(seq, at);
                    }
                }
                if let CebEvent::InventoryAccepted { acceptance, .. } = e {
                    hits.extend(risk_hit_rows(&id, &acceptance.decision, at));
                }
            });
            match rec {
                Some(rec) => {
                    rows.push(inventory_row(&rec));
                    run.counters.took(counter_of("invt", &rec.id));
                    run.counters.took(rec.pre_no.strip_prefix('B').and_then(|n| counter_of("pre", n)));
                }
                None => run.unreadable(INVENTORIES.name, format!("id={id}"), "its receipt in the journal cannot be read".into()),
            }
            ids.push(id);
        }
        keys.push(key);
    }
    let by_key = Fetch::In { column: "doc_key", values: &keys, also: "AND kind IN ('order', 'payment')" };
    compare(conn, run, &DOCUMENTS_CHECK, docs, by_key).await?;
    compare(conn, run, &INVENTORIES_CHECK, rows, Fetch::In { column: "id", values: &ids, also: "" }).await?;
    risk::hits(conn, run, hits, &ids).await
}

/// One page of waybill streams (`ceb-waybill:{logisticsCode}/{logisticsNo}`).
pub(super) async fn check_waybills(
    conn: &mut AnyConnection,
    run: &mut Run,
    streams: BTreeMap<String, Vec<Entry>>,
) -> Result<(), sqlx::Error> {
    let (mut keys, mut docs) = (Vec::new(), Vec::new());
    for (stream, entries) in streams {
        let key = name_in(&stream).to_owned();
        if let Some(e) = entries.iter().find(|e| matches!(e.event, Event::Ceb(CebEvent::WaybillReceived { .. }))) {
            docs.push(document_row("waybill", &key, e.seq, e.at_ms));
        }
        keys.push(key);
    }
    compare(conn, run, &DOCUMENTS_CHECK, docs, Fetch::In { column: "doc_key", values: &keys, also: "AND kind = 'waybill'" }).await
}

/// The buyers' ledgers and the guarantees, once every list is folded.
pub(super) async fn finish(conn: &mut AnyConnection, run: &mut Run) -> Result<(), sqlx::Error> {
    let quota: Vec<Vec<Val>> =
        std::mem::take(&mut run.ceb.ledgers).into_iter().map(|((buyer, year), (_, at, l))| quota_row(&buyer, year, &l, at)).collect();
    compare(conn, run, &QUOTA_CHECK, quota, Fetch::All).await?;
    let guarantees: Vec<Vec<Val>> = std::mem::take(&mut run.ceb.guarantees)
        .into_iter()
        .map(|(code, g)| {
            let reserved = g.reserved.max(Decimal::ZERO);
            guarantee_row(&Guarantee { code, kind: g.kind, amount: g.amount, reserved }, g.last.1)
        })
        .collect();
    compare(conn, run, &GUARANTEES_CHECK, guarantees, Fetch::All).await
}
