//! Inventory records are not stored twice: the `ceb_inventories` row holds what lists and
//! checks need, and the record itself is rebuilt from the journal entries of its stream, from
//! the one that received it (`received_seq`). Tax payments are journaled in the guarantee's
//! stream, so the row's `tax_state` has the last word on that.

use super::state::decode;
use guomen_domain::ceb::{InventoryRecord, TaxState};
use guomen_domain::Event;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, AnyPool, Row};

const ROW: &str = "SELECT ebp_code, order_no, received_seq, tax_state FROM ceb_inventories WHERE id = $1";
const ENTRIES: &str = "SELECT seq, at_ms, payload FROM journal WHERE stream = $1 AND seq >= $2 ORDER BY seq";

fn row_parts(r: &AnyRow) -> Result<(String, i64, String), sqlx::Error> {
    let stream = format!("ceb:{}/{}", r.try_get::<String, _>(0)?, r.try_get::<String, _>(1)?);
    Ok((stream, r.try_get(2)?, r.try_get(3)?))
}

/// Folds journal rows `(seq, at_ms, payload)` into the record `id`.
pub(crate) fn build(id: &str, tax_state: &str, entries: &[AnyRow]) -> Result<Option<InventoryRecord>, sqlx::Error> {
    let mut events = Vec::with_capacity(entries.len());
    for r in entries {
        if let Event::Ceb(e) = decode::<Event>(&r.try_get::<String, _>(2)?)? {
            events.push((r.try_get::<i64, _>(0)?, r.try_get::<i64, _>(1)?, e));
        }
    }
    let mut rec = InventoryRecord::fold(id, events);
    if let Some(r) = rec.as_mut() {
        if let Some(t) = TaxState::parse(tax_state) {
            r.tax_state = t;
        }
    }
    Ok(rec)
}

/// On the writer's connection.
pub(crate) async fn load(conn: &mut AnyConnection, id: &str) -> Result<Option<InventoryRecord>, sqlx::Error> {
    let Some(row) = sqlx::query(ROW).bind(id.to_owned()).fetch_optional(&mut *conn).await? else { return Ok(None) };
    let (stream, seq, tax) = row_parts(&row)?;
    let entries = sqlx::query(ENTRIES).bind(stream).bind(seq).fetch_all(&mut *conn).await?;
    build(id, &tax, &entries)
}

/// On the read pool.
pub(crate) async fn read(pool: &AnyPool, id: &str) -> Result<Option<InventoryRecord>, sqlx::Error> {
    let Some(row) = sqlx::query(ROW).bind(id.to_owned()).fetch_optional(pool).await? else { return Ok(None) };
    let (stream, seq, tax) = row_parts(&row)?;
    let entries = sqlx::query(ENTRIES).bind(stream).bind(seq).fetch_all(pool).await?;
    build(id, &tax, &entries)
}
