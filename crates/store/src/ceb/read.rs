//! Reads of cross-border e-commerce: inventories, a parcel for its buyer, quota pre-checks,
//! guarantees. Reads go through the read pool and never block the writer.

use super::state::dec;
use crate::{Store, StoreError};
use guomen_domain::ceb::{Guarantee, GuaranteeKind, InventoryRecord, Ledger};
use rust_decimal::Decimal;
use serde::Serialize;
use sqlx::Row;

/// Which inventories to list.
#[derive(Debug, Clone, Default)]
pub struct InventoryFilter {
    /// Only those this enterprise sent or is named in as platform, e-commerce enterprise or agent.
    pub party: Option<String>,
    pub status: Option<String>,
    /// Keyset paging, newest first: received before this (ms, id).
    pub before: Option<(i64, String)>,
    /// Oldest first instead (the lists waiting for someone), received after `after` when set.
    pub oldest_first: bool,
    pub after: Option<(i64, String)>,
    pub limit: i64,
}

/// The statuses an inventory list is still open in: those the partial index
/// `ceb_inventories_open` holds, so they are listed and counted without reading the rest.
pub const OPEN_STATUSES: &[&str] = &["waiting", "manual-review", "inspection", "detained"];

/// The condition of `ceb_inventories_open`, written exactly as in the migrations: a query that
/// repeats it lets both engines use that index.
const OPEN: &str = "status IN ('waiting', 'manual-review', 'inspection', 'detained')";

/// How many inventory lists are in one status.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StatusCount {
    pub status: String,
    pub count: i64,
    /// The count stopped at the cap of [`Store::ceb_status_counts`]: there are at least this many.
    pub at_least: bool,
}

/// One line of an inventory list.
#[derive(Debug, Clone, Serialize)]
pub struct InventorySummary {
    pub id: String,
    pub ebp_code: String,
    pub order_no: String,
    pub logistics_no: String,
    pub ebc_code: String,
    pub sender: String,
    pub status: String,
    pub return_status: String,
    pub lane: Option<String>,
    pub value: String,
    pub tax: String,
    pub received_at_ms: i64,
    pub updated_at_ms: i64,
}

/// A quota pre-check: would an ordinary transaction of this amount fit, and what is left.
#[derive(Debug, Clone, Serialize)]
pub struct QuotaAnswer {
    pub fits: bool,
    pub remaining: Decimal,
    pub year: i32,
    pub reserved: Decimal,
    pub used: Decimal,
}

const COLS: &str =
    "id, ebp_code, order_no, logistics_no, ebc_code, sender, status, return_status, lane, value, tax, received_at_ms, updated_at_ms";

fn summary(r: &sqlx::any::AnyRow) -> Result<InventorySummary, sqlx::Error> {
    Ok(InventorySummary {
        id: r.try_get(0)?,
        ebp_code: r.try_get(1)?,
        order_no: r.try_get(2)?,
        logistics_no: r.try_get(3)?,
        ebc_code: r.try_get(4)?,
        sender: r.try_get(5)?,
        status: r.try_get(6)?,
        return_status: r.try_get(7)?,
        lane: r.try_get(8)?,
        value: r.try_get(9)?,
        tax: r.try_get(10)?,
        received_at_ms: r.try_get(11)?,
        updated_at_ms: r.try_get(12)?,
    })
}

impl Store {
    pub async fn ceb_inventory(&self, id: &str) -> Result<Option<InventoryRecord>, StoreError> {
        Ok(super::records::read(self.read_pool(), id).await?)
    }

    /// Newest first, or oldest first when the filter says so. A list of an open status is read
    /// through the partial index of open lists.
    pub async fn ceb_inventories(&self, f: &InventoryFilter) -> Result<Vec<InventorySummary>, StoreError> {
        let mut sql = format!("SELECT {COLS} FROM ceb_inventories WHERE 1 = 1");
        let mut binds: Vec<String> = Vec::new();
        let mut n = 0;
        let mut p = || {
            n += 1;
            format!("${n}")
        };
        if let Some(party) = &f.party {
            let (a, b2, c) = (p(), p(), p());
            sql.push_str(&format!(" AND (sender = {a} OR ebc_code = {b2} OR ebp_code = {c})"));
            binds.extend([party.clone(), party.clone(), party.clone()]);
        }
        if let Some(status) = &f.status {
            sql.push_str(&format!(" AND status = {}", p()));
            binds.push(status.clone());
            if OPEN_STATUSES.contains(&status.as_str()) {
                sql.push_str(&format!(" AND {OPEN}"));
            }
        }
        let (cursor, cmp, order) = match f.oldest_first {
            false => (f.before.clone(), '<', "DESC"),
            true => (f.after.clone(), '>', "ASC"),
        };
        if cursor.is_some() {
            let (a, b2, c) = (p(), p(), p());
            sql.push_str(&format!(
                " AND (received_at_ms {cmp} CAST({a} AS BIGINT) OR (received_at_ms = CAST({b2} AS BIGINT) AND id {cmp} {c}))"
            ));
        }
        sql.push_str(&format!(" ORDER BY received_at_ms {order}, id {order} LIMIT {}", f.limit.clamp(1, 500)));
        let mut q = sqlx::query(&sql);
        for v in binds {
            q = q.bind(v);
        }
        if let Some((ms, id)) = cursor {
            q = q.bind(ms.to_string()).bind(ms.to_string()).bind(id);
        }
        let rows = q.fetch_all(self.read_pool()).await?;
        Ok(rows.iter().map(summary).collect::<Result<_, _>>()?)
    }

    /// The e-commerce enterprises selling on a platform: those named in the platform's most
    /// recent inventory lists (at most the last 10,000), each once.
    pub async fn ceb_shops_of(&self, platform: &str) -> Result<Vec<String>, StoreError> {
        let rows: Vec<String> = sqlx::query_scalar(
            "SELECT DISTINCT ebc_code FROM (SELECT ebc_code FROM ceb_inventories WHERE ebp_code = $1 ORDER BY received_at_ms DESC LIMIT 10000) recent",
        )
        .bind(platform.to_owned())
        .fetch_all(self.read_pool())
        .await?;
        Ok(rows.into_iter().filter(|c| c != platform).collect())
    }

    /// How many inventory lists are in each status, for the console's tabs, optionally only those
    /// of one enterprise (as [`InventoryFilter::party`]). Open lists are counted exactly through
    /// their partial index; the others (released, rejected, …, the bulk of the table) from at most
    /// `cap` rows, so the count stays cheap on a large table: when the cap is reached, their counts
    /// are marked `at_least`.
    pub async fn ceb_status_counts(&self, party: Option<&str>, cap: i64) -> Result<Vec<StatusCount>, StoreError> {
        let (mine, binds) = match party {
            Some(p) => (" AND (sender = $1 OR ebc_code = $2 OR ebp_code = $3)", vec![p.to_owned(); 3]),
            None => ("", Vec::new()),
        };
        let open = format!("SELECT status, COUNT(*) FROM ceb_inventories WHERE {OPEN}{mine} GROUP BY status");
        let closed = format!(
            "SELECT status, COUNT(*) FROM (SELECT status FROM ceb_inventories WHERE NOT ({OPEN}){mine} LIMIT {}) c GROUP BY status",
            cap.max(1)
        );
        let mut out = Vec::new();
        for (sql, capped) in [(open, false), (closed, true)] {
            let mut q = sqlx::query(&sql);
            for v in &binds {
                q = q.bind(v.clone());
            }
            let mut part: Vec<StatusCount> = Vec::new();
            for r in q.fetch_all(self.read_pool()).await? {
                part.push(StatusCount { status: r.try_get(0)?, count: r.try_get(1)?, at_least: false });
            }
            if capped && part.iter().map(|c| c.count).sum::<i64>() >= cap.max(1) {
                part.iter_mut().for_each(|c| c.at_least = true);
            }
            out.extend(part);
        }
        Ok(out)
    }

    /// A buyer's parcel by order or logistics number, only when the identity number and the
    /// buyer's name both match the list (the name compared after removing spacing and
    /// punctuation and folding case). Any mismatch is simply no parcel.
    pub async fn ceb_parcel(&self, number: &str, buyer_id_number: &str, buyer_name: &str) -> Result<Option<InventoryRecord>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, buyer FROM ceb_inventories WHERE order_no = $1 OR logistics_no = $2 ORDER BY received_at_ms DESC LIMIT 20",
        )
        .bind(number.to_owned())
        .bind(number.to_owned())
        .fetch_all(self.read_pool())
        .await?;
        let wanted = buyer_id_number.trim().to_uppercase();
        let name = super::inventories::buyer_name_fp(buyer_name);
        for r in rows {
            let buyer: String = r.try_get(1)?;
            if buyer.split_once(':').is_none_or(|(_, n)| n != wanted) {
                continue;
            }
            if let Some(rec) = super::records::read(self.read_pool(), &r.try_get::<String, _>(0)?).await? {
                if super::inventories::buyer_name_fp(&rec.inventory.buyer_name) == name {
                    return Ok(Some(rec));
                }
            }
        }
        Ok(None)
    }

    /// Whether a list of this buyer identity (`type:number`) under this name was accepted or
    /// held: whether the name belongs to the identity as far as customs knows.
    pub async fn ceb_buyer_named(&self, buyer_key: &str, buyer_name: &str) -> Result<bool, StoreError> {
        let hit: Option<i64> = sqlx::query_scalar("SELECT name_fp FROM ceb_buyer_names WHERE buyer = $1 AND name_fp = $2")
            .bind(buyer_key.to_owned())
            .bind(super::inventories::buyer_name_fp(buyer_name))
            .fetch_optional(self.read_pool())
            .await?;
        Ok(hit.is_some())
    }

    /// The buyer's ledger for a year, as committed.
    pub async fn ceb_ledger(&self, buyer_key: &str, year: i32) -> Result<Ledger, StoreError> {
        let row = sqlx::query("SELECT reserved, used FROM ceb_quota WHERE buyer = $1 AND year = $2")
            .bind(buyer_key.to_owned())
            .bind(i64::from(year))
            .fetch_optional(self.read_pool())
            .await?;
        Ok(match row {
            Some(r) => Ledger { reserved: dec(&r.try_get::<String, _>(0)?)?, used: dec(&r.try_get::<String, _>(1)?)? },
            None => Ledger::default(),
        })
    }

    /// 额度预检 — would an ordinary transaction of `amount` fit this year.
    pub async fn ceb_quota_check(&self, buyer_key: &str, year: i32, amount: Decimal) -> Result<QuotaAnswer, StoreError> {
        let l = self.ceb_ledger(buyer_key, year).await?;
        Ok(QuotaAnswer { fits: l.fits(amount), remaining: l.left(), year, reserved: l.reserved, used: l.used })
    }

    pub async fn ceb_guarantees(&self) -> Result<Vec<Guarantee>, StoreError> {
        let rows = sqlx::query("SELECT code, kind, amount, reserved FROM ceb_guarantees ORDER BY code").fetch_all(self.read_pool()).await?;
        let mut out = Vec::new();
        for r in rows {
            out.push(Guarantee {
                code: r.try_get(0)?,
                kind: GuaranteeKind::parse(&r.try_get::<String, _>(1)?).unwrap_or_default(),
                amount: dec(&r.try_get::<String, _>(2)?)?,
                reserved: dec(&r.try_get::<String, _>(3)?)?,
            });
        }
        Ok(out)
    }

    /// Which documents of a waiting inventory have not arrived, as of the last commit.
    pub async fn ceb_missing(&self, rec: &InventoryRecord) -> Result<Vec<guomen_domain::ceb::DocKind>, StoreError> {
        use guomen_domain::ceb::DocKind;
        let mut out = Vec::new();
        for (kind, key) in
            [(DocKind::Order, rec.key.clone()), (DocKind::Payment, rec.key.clone()), (DocKind::Waybill, rec.inventory.waybill_key())]
        {
            let seq: Option<i64> = sqlx::query_scalar("SELECT seq FROM ceb_documents WHERE kind = $1 AND doc_key = $2")
                .bind(kind.as_str())
                .bind(key)
                .fetch_optional(self.read_pool())
                .await?;
            if seq.is_none() {
                out.push(kind);
            }
        }
        Ok(out)
    }
}
