//! Receiving a message: replays, orders, payments and waybills, and guarantees. Inventory
//! lists, cancellations, returns and departures are in `inventories.rs`.

use super::inventories;
use super::state::fp;
use super::{Ceb, CebAnswer, CebDocuments, CebOutcome, Submission};
use crate::kernel::{Handled, Tx};
use guomen_domain::ceb::answer::{self, Admission, DocAnswer, DocState};
use guomen_domain::ceb::{guarantee, AppType, CebEvent, DocKind, GuaranteeKind, OrderDoc, PaymentDoc, WaybillDoc};
use guomen_domain::{Event, Refusal};
use rust_decimal::Decimal;
use time::OffsetDateTime;

pub(super) async fn submit(tx: &mut Tx<'_>, c: &mut Ceb<'_>, s: &Submission) -> Handled<CebOutcome> {
    let (at, now) = (tx.at, tx.now);
    let kind = s.documents.message_kind();
    let f = fp(&[kind, &s.guid]);
    if c.state.messages.contains(&f) {
        if let Some(answers) = stored_answers(tx, c, kind, &s.guid).await? {
            return Ok(Ok(CebOutcome::Answer(CebAnswer { replayed: true, answers })));
        }
    }
    if let Err(r) = crate::mandate::check_ceb(c.mandates, s, now) {
        return Ok(Err(r));
    }
    let mut answers = Vec::new();
    match &s.documents {
        CebDocuments::Orders(v) => {
            for o in v {
                answers.push(order(tx, c, s, o, now).await?);
            }
        }
        CebDocuments::Payments(v) => {
            for p in v {
                answers.push(payment(tx, c, s, p, now).await?);
            }
        }
        CebDocuments::Waybills(v) => {
            for w in v {
                answers.push(waybill(tx, c, s, w, now).await?);
            }
        }
        CebDocuments::Inventories(v) => {
            for (i, inv) in v.iter().enumerate() {
                answers.push(inventories::receive(tx, c, s, i, inv, now).await?);
            }
        }
        CebDocuments::Cancels(v) => {
            for req in v {
                answers.push(super::steps::cancel(tx, c, s, req).await?);
            }
        }
        CebDocuments::Refunds(v) => {
            for r in v {
                answers.push(super::steps::refund(tx, c, s, r).await?);
            }
        }
        CebDocuments::Departures(v) => {
            for d in v {
                answers.push(super::steps::depart(tx, c, s, d).await?);
            }
        }
    }
    c.state.messages.insert(f);
    let json = serde_json::to_string(&answers).expect("answers serialize");
    c.rows.answered.insert((kind.to_owned(), s.guid.clone()), json.clone());
    c.rows.message(kind, &s.guid, &s.sender, json, at);
    Ok(Ok(CebOutcome::Answer(CebAnswer { replayed: false, answers })))
}

async fn stored_answers(tx: &mut Tx<'_>, c: &Ceb<'_>, kind: &str, guid: &str) -> Result<Option<Vec<DocAnswer>>, sqlx::Error> {
    let json = match c.rows.answered.get(&(kind.to_owned(), guid.to_owned())) {
        Some(j) => Some(j.clone()),
        None => {
            sqlx::query_scalar::<_, String>("SELECT answer FROM ceb_messages WHERE kind = $1 AND guid = $2")
                .bind(kind.to_owned())
                .bind(guid.to_owned())
                .fetch_optional(&mut *tx.conn)
                .await?
        }
    };
    json.map(|j| super::state::decode(&j)).transpose()
}

/// Where a document's key stands, or None if it was never received.
pub(super) async fn doc_state(tx: &mut Tx<'_>, c: &mut Ceb<'_>, kind: DocKind, key: &str) -> Result<Option<DocState>, sqlx::Error> {
    let pending = match kind {
        DocKind::Order => c.state.orders.contains_key(key),
        DocKind::Payment => c.state.payments.contains_key(key),
        DocKind::Waybill => c.state.waybills.contains_key(key),
        DocKind::Inventory => false,
    };
    if pending {
        return Ok(Some(DocState::Pending));
    }
    if let Some(s) = c.rows.doc_state_in_batch(kind, key) {
        return Ok(Some(s));
    }
    if !c.state.documents.contains(&fp(&[kind.as_str(), key])) {
        return Ok(None);
    }
    super::journal_docs::state(tx.conn, kind, key).await
}

/// Loads where the key stands (and, for a pending one, the inventory list under review holding
/// it) for the domain's admission rule.
async fn admit(
    tx: &mut Tx<'_>,
    c: &mut Ceb<'_>,
    kind: DocKind,
    key: &str,
    app_type: AppType,
) -> Result<Result<Admission, DocAnswer>, sqlx::Error> {
    let state = doc_state(tx, c, kind, key).await?;
    let held = match state {
        Some(DocState::Pending) if app_type != AppType::New => inventories::held_inventory(tx, c, kind, key).await?,
        _ => None,
    };
    Ok(answer::admit(kind, key, app_type, state, held.as_deref(), tx.at))
}

async fn withdraw(tx: &mut Tx<'_>, c: &mut Ceb<'_>, s: &Submission, kind: DocKind, key: &str) -> DocAnswer {
    tx.append(&Event::Ceb(CebEvent::DocumentWithdrawn { kind, key: key.to_owned(), message: s.guid.clone(), sender: s.sender.clone() }));
    c.state.drop_doc(kind, key);
    c.rows.doc_state(kind, key, DocState::Withdrawn);
    answer::withdrawn(kind, key, tx.at)
}

async fn order(tx: &mut Tx<'_>, c: &mut Ceb<'_>, s: &Submission, o: &OrderDoc, now: OffsetDateTime) -> Result<DocAnswer, sqlx::Error> {
    let (at, key) = (tx.at, o.key());
    match admit(tx, c, DocKind::Order, &key, o.app_type).await? {
        Err(a) => Ok(a),
        Ok(Admission::Withdraw) => Ok(withdraw(tx, c, s, DocKind::Order, &key).await),
        Ok(Admission::Store) => {
            let event =
                Event::Ceb(CebEvent::OrderReceived { message: s.guid.clone(), sender: s.sender.clone(), order: Box::new(o.clone()) });
            let seq = tx.append(&event);
            if let Event::Ceb(CebEvent::OrderReceived { order, .. }) = event {
                c.state.keep_order(*order, seq, at);
            }
            c.state.documents.insert(fp(&["order", &key]));
            c.rows.document(DocKind::Order, &key, seq, at);
            inventories::try_decide(tx, c, &key, s.seed, now).await?;
            Ok(answer::accepted(DocKind::Order, &key, at))
        }
    }
}

async fn payment(tx: &mut Tx<'_>, c: &mut Ceb<'_>, s: &Submission, p: &PaymentDoc, now: OffsetDateTime) -> Result<DocAnswer, sqlx::Error> {
    let (at, key) = (tx.at, p.key());
    match admit(tx, c, DocKind::Payment, &key, p.app_type).await? {
        Err(a) => Ok(a),
        Ok(Admission::Withdraw) => Ok(withdraw(tx, c, s, DocKind::Payment, &key).await),
        Ok(Admission::Store) => {
            let event =
                Event::Ceb(CebEvent::PaymentReceived { message: s.guid.clone(), sender: s.sender.clone(), payment: Box::new(p.clone()) });
            let seq = tx.append(&event);
            if let Event::Ceb(CebEvent::PaymentReceived { payment, .. }) = event {
                c.state.keep_payment(*payment, seq, at);
            }
            c.state.documents.insert(fp(&["payment", &key]));
            c.rows.document(DocKind::Payment, &key, seq, at);
            inventories::try_decide(tx, c, &key, s.seed, now).await?;
            Ok(answer::accepted(DocKind::Payment, &key, at))
        }
    }
}

async fn waybill(tx: &mut Tx<'_>, c: &mut Ceb<'_>, s: &Submission, w: &WaybillDoc, now: OffsetDateTime) -> Result<DocAnswer, sqlx::Error> {
    let (at, key) = (tx.at, w.key());
    match admit(tx, c, DocKind::Waybill, &key, w.app_type).await? {
        Err(a) => Ok(a),
        Ok(Admission::Withdraw) => Ok(withdraw(tx, c, s, DocKind::Waybill, &key).await),
        Ok(Admission::Store) => {
            let event =
                Event::Ceb(CebEvent::WaybillReceived { message: s.guid.clone(), sender: s.sender.clone(), waybill: Box::new(w.clone()) });
            let seq = tx.append(&event);
            if let Event::Ceb(CebEvent::WaybillReceived { waybill, .. }) = event {
                c.state.keep_waybill(*waybill, seq, at);
            }
            c.state.documents.insert(fp(&["waybill", &key]));
            c.rows.document(DocKind::Waybill, &key, seq, at);
            if let Some(order_key) = c.state.waiting_by_waybill.get(&key).cloned() {
                inventories::try_decide(tx, c, &order_key, s.seed, now).await?;
            }
            Ok(answer::accepted(DocKind::Waybill, &key, at))
        }
    }
}

/// `guomen guarantee add`: registers a general guarantee, or adds to one.
pub(super) fn add_guarantee(
    tx: &mut Tx<'_>,
    c: &mut Ceb<'_>,
    code: &str,
    kind: GuaranteeKind,
    amount: Decimal,
) -> Result<CebOutcome, Refusal> {
    let (g, e) = guarantee::add(c.state.guarantees.get(code), code, kind, amount)?;
    tx.append(&Event::Ceb(e));
    c.rows.guarantee(&g, tx.at);
    c.state.guarantees.insert(code.to_owned(), g.clone());
    Ok(CebOutcome::Guarantee(g))
}
