//! A document's standing read from its journal stream — for the rare document the writer does
//! not hold in memory: one already used or withdrawn (asked about by a duplicate), or one let go
//! after waiting too long for its inventory list.

use super::state::decode;
use guomen_domain::ceb::{CebEvent, DocKind, DocState, OrderDoc, PaymentDoc, WaybillDoc};
use guomen_domain::Event;
use sqlx::{AnyConnection, Row};

/// The latest version of a document, if it is still pending, with its entry's seq and time.
pub(crate) enum Recalled {
    Order(Box<OrderDoc>, i64, i64),
    Payment(Box<PaymentDoc>, i64, i64),
    Waybill(Box<WaybillDoc>, i64, i64),
}

fn stream(kind: DocKind, key: &str) -> String {
    match kind {
        DocKind::Waybill => format!("ceb-waybill:{key}"),
        _ => format!("ceb:{key}"),
    }
}

/// Folds the stream: (state, the latest version if pending).
async fn fold(conn: &mut AnyConnection, kind: DocKind, key: &str) -> Result<(Option<DocState>, Option<Recalled>), sqlx::Error> {
    let rows = sqlx::query("SELECT seq, at_ms, payload FROM journal WHERE stream = $1 ORDER BY seq")
        .bind(stream(kind, key))
        .fetch_all(&mut *conn)
        .await?;
    let mut state = None;
    let mut latest = None;
    for r in rows {
        let (seq, at): (i64, i64) = (r.try_get(0)?, r.try_get(1)?);
        let Event::Ceb(e) = decode::<Event>(&r.try_get::<String, _>(2)?)? else { continue };
        match (kind, e) {
            (DocKind::Order, CebEvent::OrderReceived { order, .. }) => {
                state = Some(DocState::Pending);
                latest = Some(Recalled::Order(order, seq, at));
            }
            (DocKind::Payment, CebEvent::PaymentReceived { payment, .. }) => {
                state = Some(DocState::Pending);
                latest = Some(Recalled::Payment(payment, seq, at));
            }
            (DocKind::Waybill, CebEvent::WaybillReceived { waybill, .. }) => {
                state = Some(DocState::Pending);
                latest = Some(Recalled::Waybill(waybill, seq, at));
            }
            (_, CebEvent::DocumentWithdrawn { kind: k, .. }) if k == kind => {
                state = Some(DocState::Withdrawn);
                latest = None;
            }
            (DocKind::Order | DocKind::Payment, CebEvent::InventoryAccepted { .. }) if state == Some(DocState::Pending) => {
                state = Some(DocState::Used);
                latest = None;
            }
            _ => {}
        }
    }
    if kind == DocKind::Waybill && state == Some(DocState::Pending) {
        // A waybill's use is recorded on its parcel's stream: an inventory list accepted with it.
        if let Some((code, no)) = key.split_once('/') {
            let used: Option<String> = sqlx::query_scalar(
                "SELECT id FROM ceb_inventories WHERE logistics_no = $1 AND logistics_code = $2 AND status NOT IN ('waiting', 'rejected', 'withdrawn', 'manual-review') LIMIT 1",
            )
            .bind(no.to_owned())
            .bind(code.to_owned())
            .fetch_optional(&mut *conn)
            .await?;
            if used.is_some() {
                return Ok((Some(DocState::Used), None));
            }
        }
    }
    Ok((state, latest))
}

pub(crate) async fn state(conn: &mut AnyConnection, kind: DocKind, key: &str) -> Result<Option<DocState>, sqlx::Error> {
    Ok(fold(conn, kind, key).await?.0)
}

pub(crate) async fn recall(conn: &mut AnyConnection, kind: DocKind, key: &str) -> Result<Option<Recalled>, sqlx::Error> {
    Ok(fold(conn, kind, key).await?.1)
}
