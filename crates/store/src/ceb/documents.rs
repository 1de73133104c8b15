//! Receiving a message: replays, orders, payments and waybills, and guarantees. Inventory
//! lists, cancellations, returns and departures are in `inventories.rs`.

use super::inventories;
use super::state::fp;
use super::{answer, CebAnswer, CebDocuments, DocAnswer, Submission};
use crate::batch::{ms, Batch};
use crate::commands::{Outcome, Result2};
use crate::writer::WriterState;
use guomen_domain::ceb::AppType;
use guomen_domain::ceb::{CebEvent, DocKind, Guarantee, GuaranteeKind, OrderDoc, PaymentDoc, WaybillDoc};
use guomen_domain::{Event, Refusal};
use rust_decimal::Decimal;
use sqlx::AnyConnection;
use time::OffsetDateTime;

pub(super) async fn submit(
    conn: &mut AnyConnection,
    st: &mut WriterState,
    b: &mut Batch,
    who: &str,
    s: &Submission,
    now: OffsetDateTime,
) -> Result2<Outcome> {
    let at = ms(now);
    let kind = s.documents.message_kind();
    let f = fp(&[kind, &s.guid]);
    if st.ceb.messages.contains(&f) {
        if let Some(answers) = stored_answers(conn, b, kind, &s.guid).await? {
            return Ok(Ok(Outcome::Ceb(CebAnswer { replayed: true, answers })));
        }
    }
    if let Err(r) = crate::mandate::check_ceb(st, s, now) {
        return Ok(Err(r));
    }
    let mut answers = Vec::new();
    match &s.documents {
        CebDocuments::Orders(v) => {
            for o in v {
                answers.push(order(conn, st, b, who, s, o, now).await?);
            }
        }
        CebDocuments::Payments(v) => {
            for p in v {
                answers.push(payment(conn, st, b, who, s, p, now).await?);
            }
        }
        CebDocuments::Waybills(v) => {
            for w in v {
                answers.push(waybill(conn, st, b, who, s, w, now).await?);
            }
        }
        CebDocuments::Inventories(v) => {
            for (i, inv) in v.iter().enumerate() {
                answers.push(inventories::receive(conn, st, b, who, s, i, inv, now).await?);
            }
        }
        CebDocuments::Cancels(v) => {
            for c in v {
                answers.push(super::steps::cancel(conn, st, b, who, s, c, now).await?);
            }
        }
        CebDocuments::Refunds(v) => {
            for r in v {
                answers.push(super::steps::refund(conn, st, b, who, s, r, now).await?);
            }
        }
        CebDocuments::Departures(v) => {
            for d in v {
                answers.push(super::steps::depart(conn, st, b, who, s, d, now).await?);
            }
        }
    }
    st.ceb.messages.insert(f);
    let json = serde_json::to_string(&answers).expect("answers serialize");
    b.ceb.answered.insert((kind.to_owned(), s.guid.clone()), json.clone());
    b.ceb.message(kind, &s.guid, &s.sender, json, at);
    Ok(Ok(Outcome::Ceb(CebAnswer { replayed: false, answers })))
}

async fn stored_answers(conn: &mut AnyConnection, b: &Batch, kind: &str, guid: &str) -> Result<Option<Vec<DocAnswer>>, sqlx::Error> {
    let json = match b.ceb.answered.get(&(kind.to_owned(), guid.to_owned())) {
        Some(j) => Some(j.clone()),
        None => {
            sqlx::query_scalar::<_, String>("SELECT answer FROM ceb_messages WHERE kind = $1 AND guid = $2")
                .bind(kind.to_owned())
                .bind(guid.to_owned())
                .fetch_optional(&mut *conn)
                .await?
        }
    };
    json.map(|j| super::state::decode(&j)).transpose()
}

/// Where a document stands: `pending`, `used`, `withdrawn`, or None if never received.
pub(super) async fn doc_state(
    conn: &mut AnyConnection,
    st: &WriterState,
    b: &Batch,
    kind: DocKind,
    key: &str,
) -> Result<Option<String>, sqlx::Error> {
    let pending = match kind {
        DocKind::Order => st.ceb.orders.contains_key(key),
        DocKind::Payment => st.ceb.payments.contains_key(key),
        DocKind::Waybill => st.ceb.waybills.contains_key(key),
        DocKind::Inventory => false,
    };
    if pending {
        return Ok(Some("pending".into()));
    }
    if let Some(s) = b.ceb.doc_state_in_batch(kind, key) {
        return Ok(Some(s.to_owned()));
    }
    if !st.ceb.documents.contains(&fp(&[kind.as_str(), key])) {
        return Ok(None);
    }
    Ok(super::journal_docs::state(conn, kind, key).await?.map(str::to_owned))
}

fn accepted(kind: DocKind, key: &str, at: i64) -> DocAnswer {
    answer("120", &format!("海关入库：{} {key}", kind.name_zh()), &format!("accepted: {} {key}", kind.as_str()), at)
}

/// Decides what an order, payment or waybill with `app_type` may do, given where its key stands.
/// Ok(true) to store it, Ok(false) to withdraw it, Err(answer) to refuse it.
async fn admit(
    conn: &mut AnyConnection,
    st: &WriterState,
    b: &Batch,
    kind: DocKind,
    key: &str,
    app_type: AppType,
    at: i64,
) -> Result<Result<bool, DocAnswer>, sqlx::Error> {
    let state = doc_state(conn, st, b, kind, key).await?;
    let (name_zh, name) = (kind.name_zh(), kind.as_str());
    let refuse = |zh: String, en: String| Ok(Err(answer("100", &zh, &en, at)));
    match (app_type, state.as_deref()) {
        (AppType::New, None | Some("withdrawn")) => Ok(Ok(true)),
        (AppType::New, Some(_)) => refuse(
            format!("{name_zh} {key} 已申报，变更请使用 appType 2"),
            format!("{name} {key} was already declared; send appType 2 to change it"),
        ),
        (_, Some("used")) => refuse(
            format!("{name_zh} {key} 已被审结的清单使用，不能变更或删除"),
            format!("{name} {key} is used by an accepted inventory list and can no longer change"),
        ),
        (_, Some("pending")) => {
            if let Some(id) = inventories::held_inventory(conn, st, b, kind, key).await? {
                return refuse(
                    format!("{name_zh} {key} 对应的清单 {id} 正在人工审核，不能变更或删除"),
                    format!("{name} {key} belongs to inventory list {id}, under manual review; it cannot change"),
                );
            }
            Ok(Ok(app_type == AppType::Change))
        }
        _ => refuse(format!("没有可变更或删除的{name_zh} {key}"), format!("there is no {name} {key} to change or delete")),
    }
}

async fn withdraw(st: &mut WriterState, b: &mut Batch, who: &str, s: &Submission, kind: DocKind, key: &str, at: i64) -> DocAnswer {
    let seq = b.append(
        st,
        who,
        at,
        &Event::Ceb(CebEvent::DocumentWithdrawn { kind, key: key.to_owned(), message: s.guid.clone(), sender: s.sender.clone() }),
    );
    let _ = seq;
    st.ceb.drop_doc(kind, key);
    b.ceb.doc_state(kind, key, "withdrawn");
    answer("120", &format!("{} {key} 已删除", kind.name_zh()), &format!("{} {key} withdrawn", kind.as_str()), at)
}

async fn order(
    conn: &mut AnyConnection,
    st: &mut WriterState,
    b: &mut Batch,
    who: &str,
    s: &Submission,
    o: &OrderDoc,
    now: OffsetDateTime,
) -> Result<DocAnswer, sqlx::Error> {
    let (at, key) = (ms(now), o.key());
    match admit(conn, st, b, DocKind::Order, &key, o.app_type, at).await? {
        Err(a) => Ok(a),
        Ok(false) => Ok(withdraw(st, b, who, s, DocKind::Order, &key, at).await),
        Ok(true) => {
            let event =
                Event::Ceb(CebEvent::OrderReceived { message: s.guid.clone(), sender: s.sender.clone(), order: Box::new(o.clone()) });
            let seq = b.append(st, who, at, &event);
            if let Event::Ceb(CebEvent::OrderReceived { order, .. }) = event {
                st.ceb.keep_order(*order, seq, at);
            }
            st.ceb.documents.insert(fp(&["order", &key]));
            b.ceb.document(DocKind::Order, &key, seq, at);
            inventories::try_decide(conn, st, b, who, &key, s.seed, now).await?;
            Ok(accepted(DocKind::Order, &key, at))
        }
    }
}

async fn payment(
    conn: &mut AnyConnection,
    st: &mut WriterState,
    b: &mut Batch,
    who: &str,
    s: &Submission,
    p: &PaymentDoc,
    now: OffsetDateTime,
) -> Result<DocAnswer, sqlx::Error> {
    let (at, key) = (ms(now), p.key());
    match admit(conn, st, b, DocKind::Payment, &key, p.app_type, at).await? {
        Err(a) => Ok(a),
        Ok(false) => Ok(withdraw(st, b, who, s, DocKind::Payment, &key, at).await),
        Ok(true) => {
            let event =
                Event::Ceb(CebEvent::PaymentReceived { message: s.guid.clone(), sender: s.sender.clone(), payment: Box::new(p.clone()) });
            let seq = b.append(st, who, at, &event);
            if let Event::Ceb(CebEvent::PaymentReceived { payment, .. }) = event {
                st.ceb.keep_payment(*payment, seq, at);
            }
            st.ceb.documents.insert(fp(&["payment", &key]));
            b.ceb.document(DocKind::Payment, &key, seq, at);
            inventories::try_decide(conn, st, b, who, &key, s.seed, now).await?;
            Ok(accepted(DocKind::Payment, &key, at))
        }
    }
}

async fn waybill(
    conn: &mut AnyConnection,
    st: &mut WriterState,
    b: &mut Batch,
    who: &str,
    s: &Submission,
    w: &WaybillDoc,
    now: OffsetDateTime,
) -> Result<DocAnswer, sqlx::Error> {
    let (at, key) = (ms(now), w.key());
    match admit(conn, st, b, DocKind::Waybill, &key, w.app_type, at).await? {
        Err(a) => Ok(a),
        Ok(false) => Ok(withdraw(st, b, who, s, DocKind::Waybill, &key, at).await),
        Ok(true) => {
            let event =
                Event::Ceb(CebEvent::WaybillReceived { message: s.guid.clone(), sender: s.sender.clone(), waybill: Box::new(w.clone()) });
            let seq = b.append(st, who, at, &event);
            if let Event::Ceb(CebEvent::WaybillReceived { waybill, .. }) = event {
                st.ceb.keep_waybill(*waybill, seq, at);
            }
            st.ceb.documents.insert(fp(&["waybill", &key]));
            b.ceb.document(DocKind::Waybill, &key, seq, at);
            if let Some(order_key) = st.ceb.waiting_by_waybill.get(&key).cloned() {
                inventories::try_decide(conn, st, b, who, &order_key, s.seed, now).await?;
            }
            Ok(accepted(DocKind::Waybill, &key, at))
        }
    }
}

/// `guomen guarantee add`: registers a general guarantee, or adds to one.
pub(super) fn add_guarantee(
    st: &mut WriterState,
    b: &mut Batch,
    who: &str,
    code: &str,
    kind: GuaranteeKind,
    amount: Decimal,
    at: i64,
) -> Result2<Outcome> {
    if amount <= Decimal::ZERO || amount.scale() > 2 {
        return Ok(Err(Refusal::field(
            "amount",
            "amount",
            "the amount is a positive sum in CNY, to the fen",
            "担保金额应为正数，最多两位小数",
        )));
    }
    if code.is_empty() || code.chars().count() > 30 {
        return Ok(Err(Refusal::field(
            "enterprise",
            "required",
            "name the enterprise holding the guarantee (1–30 characters)",
            "请填写担保企业编号（1至30个字符）",
        )));
    }
    let mut g = st.ceb.guarantees.get(code).cloned().unwrap_or(Guarantee {
        code: code.to_owned(),
        kind,
        amount: Decimal::ZERO,
        reserved: Decimal::ZERO,
    });
    g.amount += amount;
    g.kind = kind;
    b.append(st, who, at, &Event::Ceb(CebEvent::GuaranteeAdded { code: code.to_owned(), kind, added: amount, amount: g.amount }));
    b.ceb.guarantee(&g, at);
    st.ceb.guarantees.insert(code.to_owned(), g.clone());
    Ok(Ok(Outcome::Guarantee(g)))
}
