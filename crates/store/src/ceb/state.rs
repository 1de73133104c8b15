//! What the writer keeps in memory of cross-border e-commerce, so that a message is decided
//! without reading the database on the serial path: the documents not yet used by an accepted
//! inventory, the inventories waiting for their documents, every buyer's ledger of this year and
//! last, the identity-guard sightings of the window, the guarantees, and fingerprints of every
//! message and document ever received (a fingerprint hit is confirmed in the database; a miss is
//! certain). Rebuilt from the database at start-up and after a failed batch.
//!
//! Pending documents are not a table: they are rebuilt from the tail of the journal, from the
//! oldest entry that brought a document still pending (a counter the writer keeps). Documents
//! left pending for [`PENDING_DAYS`] are let go from memory; if their inventory list comes
//! later they are read back from the journal.

use guomen_domain::ceb::{
    CebEvent, DocKind, Guarantee, GuaranteeKind, InventoryRecord, Ledger, OrderDoc, PaymentDoc, Sighting, Sightings, WaybillDoc,
};
use std::collections::BTreeMap;

/// How long a document waits in memory for its inventory list.
pub const PENDING_DAYS: i64 = 30;

/// The counter holding the first journal entry the pending documents are rebuilt from.
pub const PENDING_FROM: &str = "ceb:pending_from";
use guomen_domain::Event;
use rust_decimal::Decimal;
use sqlx::{AnyConnection, Row};
use std::collections::{HashMap, HashSet};

#[derive(Debug, Default)]
pub struct CebState {
    pub orders: HashMap<String, OrderDoc>,
    pub payments: HashMap<String, PaymentDoc>,
    pub waybills: HashMap<String, WaybillDoc>,
    /// Inventories waiting for documents, by order key.
    pub waiting: HashMap<String, InventoryRecord>,
    /// Waybill key → order key of the inventory waiting for that waybill.
    pub waiting_by_waybill: HashMap<String, String>,
    /// (buyer key, year) → ledger. Complete for the years loaded.
    pub ledgers: HashMap<(String, i32), Ledger>,
    pub years_loaded: HashSet<i32>,
    pub sightings: HashMap<String, Sightings>,
    pub guarantees: HashMap<String, Guarantee>,
    /// Fingerprints of (message kind, guid).
    pub messages: HashSet<u64>,
    /// Fingerprints of (document kind, key) for orders, payments, waybills and inventories.
    pub documents: HashSet<u64>,
    /// Journal entry of each pending document, and the pending documents by entry.
    seqs: HashMap<(DocKind, String), i64>,
    by_seq: BTreeMap<i64, (DocKind, String, i64)>,
    /// The value of [`PENDING_FROM`] as last written.
    pub pending_from_written: i64,
}

/// A 64-bit FNV-1a fingerprint of the parts, separated.
pub fn fp(parts: &[&str]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for p in parts {
        for b in p.bytes().chain(std::iter::once(0xff)) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    h
}

pub(crate) fn dec(s: &str) -> Result<Decimal, sqlx::Error> {
    s.parse().map_err(|e| sqlx::Error::Decode(Box::new(e)))
}

pub(crate) fn decode<T: serde::de::DeserializeOwned>(s: &str) -> Result<T, sqlx::Error> {
    serde_json::from_str(s).map_err(|e| sqlx::Error::Decode(Box::new(e)))
}

impl CebState {
    pub async fn load(conn: &mut AnyConnection, now_ms: i64, window_ms: i64) -> Result<CebState, sqlx::Error> {
        let mut st = CebState::default();
        for r in sqlx::query("SELECT kind, guid FROM ceb_messages").fetch_all(&mut *conn).await? {
            st.messages.insert(fp(&[&r.try_get::<String, _>(0)?, &r.try_get::<String, _>(1)?]));
        }
        for r in sqlx::query("SELECT kind, doc_key FROM ceb_documents").fetch_all(&mut *conn).await? {
            st.documents.insert(fp(&[&r.try_get::<String, _>(0)?, &r.try_get::<String, _>(1)?]));
        }
        // Pending documents: replay the journal from the oldest entry that brought one.
        let from: i64 = sqlx::query_scalar("SELECT value FROM counters WHERE name = $1")
            .bind(PENDING_FROM)
            .fetch_optional(&mut *conn)
            .await?
            .unwrap_or(0);
        st.pending_from_written = from;
        let tail = sqlx::query(
            "SELECT seq, at_ms, payload FROM journal WHERE seq >= $1 AND kind IN ('ceb_order_received', 'ceb_payment_received', 'ceb_waybill_received', 'ceb_document_withdrawn', 'ceb_inventory_received', 'ceb_inventory_accepted') ORDER BY seq",
        )
        .bind(from)
        .fetch_all(&mut *conn)
        .await?;
        let mut waybill_of: HashMap<String, String> = HashMap::new();
        for r in tail {
            let (seq, at): (i64, i64) = (r.try_get(0)?, r.try_get(1)?);
            let Event::Ceb(e) = decode::<Event>(&r.try_get::<String, _>(2)?)? else { continue };
            match e {
                CebEvent::OrderReceived { order, .. } => st.keep_order(*order, seq, at),
                CebEvent::PaymentReceived { payment, .. } => st.keep_payment(*payment, seq, at),
                CebEvent::WaybillReceived { waybill, .. } => st.keep_waybill(*waybill, seq, at),
                CebEvent::DocumentWithdrawn { kind, key, .. } => st.drop_doc(kind, &key),
                CebEvent::InventoryReceived { id, inventory, .. } => {
                    waybill_of.insert(id, inventory.waybill_key());
                }
                CebEvent::InventoryAccepted { id, key, .. } => {
                    st.drop_doc(DocKind::Order, &key);
                    st.drop_doc(DocKind::Payment, &key);
                    if let Some(w) = waybill_of.get(&id) {
                        st.drop_doc(DocKind::Waybill, w);
                    }
                }
                _ => {}
            }
        }
        st.expire(now_ms - PENDING_DAYS * 86_400_000);
        let mut waiting = Vec::new();
        for r in sqlx::query("SELECT ebp_code, order_no, status, id, buyer, received_at_ms, address_fp, phone_fp FROM ceb_inventories WHERE status = 'waiting' OR received_at_ms >= $1")
            .bind(now_ms - window_ms)
            .fetch_all(&mut *conn)
            .await?
        {
            let status: String = r.try_get(2)?;
            if status == "waiting" {
                waiting.push(r.try_get::<String, _>(3)?);
            }
            let at_ms: i64 = r.try_get(5)?;
            if at_ms >= now_ms - window_ms && !matches!(status.as_str(), "waiting" | "rejected" | "withdrawn") {
                st.sightings.entry(r.try_get(4)?).or_default().push(Sighting {
                    at_ms,
                    address: r.try_get(6)?,
                    phone: r.try_get(7)?,
                });
            }
        }
        for id in waiting {
            if let Some(rec) = super::records::load(conn, &id).await? {
                st.waiting_by_waybill.insert(rec.inventory.waybill_key(), rec.key.clone());
                st.waiting.insert(rec.key.clone(), rec);
            }
        }
        for r in sqlx::query("SELECT ebp_code, order_no FROM ceb_inventories").fetch_all(&mut *conn).await? {
            st.documents.insert(fp(&["inventory", &format!("{}/{}", r.try_get::<String, _>(0)?, r.try_get::<String, _>(1)?)]));
        }
        let year = guomen_domain::ceb::quota::china_year(
            time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(now_ms) * 1_000_000).unwrap_or(time::OffsetDateTime::UNIX_EPOCH),
        );
        for y in [year - 1, year] {
            st.load_year(conn, y).await?;
        }
        for r in sqlx::query("SELECT code, kind, amount, reserved FROM ceb_guarantees").fetch_all(&mut *conn).await? {
            let kind: String = r.try_get(1)?;
            let g = Guarantee {
                code: r.try_get(0)?,
                kind: GuaranteeKind::parse(&kind).unwrap_or_default(),
                amount: dec(&r.try_get::<String, _>(2)?)?,
                reserved: dec(&r.try_get::<String, _>(3)?)?,
            };
            st.guarantees.insert(g.code.clone(), g);
        }
        Ok(st)
    }

    /// Keeps a pending document (replacing an earlier version of it).
    pub fn keep_order(&mut self, o: OrderDoc, seq: i64, at_ms: i64) {
        let key = o.key();
        self.index(DocKind::Order, &key, seq, at_ms);
        self.orders.insert(key, o);
    }

    pub fn keep_payment(&mut self, p: PaymentDoc, seq: i64, at_ms: i64) {
        let key = p.key();
        self.index(DocKind::Payment, &key, seq, at_ms);
        self.payments.insert(key, p);
    }

    pub fn keep_waybill(&mut self, w: WaybillDoc, seq: i64, at_ms: i64) {
        let key = w.key();
        self.index(DocKind::Waybill, &key, seq, at_ms);
        self.waybills.insert(key, w);
    }

    fn index(&mut self, kind: DocKind, key: &str, seq: i64, at_ms: i64) {
        if let Some(old) = self.seqs.insert((kind, key.to_owned()), seq) {
            self.by_seq.remove(&old);
        }
        self.by_seq.insert(seq, (kind, key.to_owned(), at_ms));
    }

    /// A document is no longer pending (used, withdrawn or let go).
    pub fn drop_doc(&mut self, kind: DocKind, key: &str) {
        if let Some(seq) = self.seqs.remove(&(kind, key.to_owned())) {
            self.by_seq.remove(&seq);
        }
        match kind {
            DocKind::Order => self.orders.remove(key).map(|_| ()),
            DocKind::Payment => self.payments.remove(key).map(|_| ()),
            DocKind::Waybill => self.waybills.remove(key).map(|_| ()),
            DocKind::Inventory => None,
        };
    }

    /// Lets go of documents received before `before_ms`.
    pub fn expire(&mut self, before_ms: i64) {
        let old: Vec<(DocKind, String)> =
            self.by_seq.values().take_while(|(_, _, at)| *at < before_ms).map(|(k, key, _)| (*k, key.clone())).collect();
        for (kind, key) in old {
            self.drop_doc(kind, &key);
        }
    }

    /// Where rebuilding the pending documents must start: the oldest one's entry, or past the
    /// last entry when none is pending.
    pub fn pending_from(&self, last_seq: i64) -> i64 {
        self.by_seq.keys().next().copied().unwrap_or(last_seq + 1)
    }

    /// Loads every ledger of `year` (once).
    pub async fn load_year(&mut self, conn: &mut AnyConnection, year: i32) -> Result<(), sqlx::Error> {
        if !self.years_loaded.insert(year) {
            return Ok(());
        }
        for r in
            sqlx::query("SELECT buyer, reserved, used FROM ceb_quota WHERE year = $1").bind(i64::from(year)).fetch_all(&mut *conn).await?
        {
            let ledger = Ledger { reserved: dec(&r.try_get::<String, _>(1)?)?, used: dec(&r.try_get::<String, _>(2)?)? };
            self.ledgers.insert((r.try_get(0)?, year), ledger);
        }
        Ok(())
    }

    pub async fn ledger(&mut self, conn: &mut AnyConnection, buyer: &str, year: i32) -> Result<Ledger, sqlx::Error> {
        self.load_year(conn, year).await?;
        Ok(self.ledgers.get(&(buyer.to_owned(), year)).copied().unwrap_or_default())
    }
}
