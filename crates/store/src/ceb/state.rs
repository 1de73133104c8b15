//! What the writer keeps in memory of cross-border e-commerce, so that a message is decided
//! without reading the database on the serial path: the documents not yet used by an accepted
//! inventory, the inventories waiting for their documents, every buyer's ledger of this year and
//! last, the identity-guard sightings of the window, the guarantees, and fingerprints of every
//! message and document ever received (a fingerprint hit is confirmed in the database; a miss is
//! certain). Rebuilt from the database at start-up and after a failed batch.

use guomen_domain::ceb::{
    CebEvent, Guarantee, GuaranteeKind, InventoryRecord, Ledger, OrderDoc, PaymentDoc, Sighting, Sightings, WaybillDoc,
};
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
        // Pending documents: their contents are the journal entries that brought them.
        let pending = sqlx::query("SELECT j.payload FROM ceb_documents d JOIN journal j ON j.seq = d.seq WHERE d.state = 'pending'")
            .fetch_all(&mut *conn)
            .await?;
        for r in pending {
            match decode::<Event>(&r.try_get::<String, _>(0)?)? {
                Event::Ceb(CebEvent::OrderReceived { order, .. }) => {
                    st.orders.insert(order.key(), *order);
                }
                Event::Ceb(CebEvent::PaymentReceived { payment, .. }) => {
                    st.payments.insert(payment.key(), *payment);
                }
                Event::Ceb(CebEvent::WaybillReceived { waybill, .. }) => {
                    st.waybills.insert(waybill.key(), *waybill);
                }
                _ => {}
            }
        }
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
