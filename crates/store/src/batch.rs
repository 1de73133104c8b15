//! One group commit's worth of writes. High-volume rows (journal, declarations, outbox,
//! deliveries, risk hits, idempotency keys, counters) are buffered and flushed as multi-row
//! statements just before the commit; an overlay lets later commands in the same batch see
//! what earlier ones wrote.

use crate::writer::WriterState;
use guomen_domain::declaration::Declaration;
use guomen_domain::journal::{entry_hash, EntryFields};
use guomen_domain::Event;
use sqlx::AnyConnection;
use std::collections::{BTreeMap, HashMap};

/// A value bound into a buffered row.
#[derive(Debug, Clone)]
pub enum Val {
    I(i64),
    T(String),
    OI(Option<i64>),
    OT(Option<String>),
}

#[derive(Default)]
pub struct Batch {
    journal: Vec<Vec<Val>>,
    outbox: Vec<Vec<Val>>,
    deliveries: Vec<Vec<Val>>,
    risk_hits: Vec<Vec<Val>>,
    idempotency: Vec<Vec<Val>>,
    /// Latest state of every declaration this batch touched.
    pub declarations: BTreeMap<String, (Declaration, i64)>,
    /// Idempotency keys written in this batch: (scope, key) → (request hash, record id).
    pub idem: HashMap<(String, String), (String, String)>,
    pub counters_touched: BTreeMap<String, i64>,
    /// Highest outbox id written, for waking subscribers after the commit.
    pub last_outbox: Option<i64>,
    /// Enterprises registered in this batch, added to the directory after the commit.
    pub registered: Vec<guomen_domain::party::Enterprise>,
    pub touched_rules: bool,
    /// Cross-border e-commerce rows.
    pub ceb: crate::ceb::rows::CebRows,
    /// The console's queue rows and rollup differences (see `console/views.rs`).
    pub console: crate::console::views::ConsoleRows,
}

pub fn ms(t: time::OffsetDateTime) -> i64 {
    (t.unix_timestamp_nanos() / 1_000_000) as i64
}

impl Batch {
    /// Appends an event to the journal, chaining its hash; returns its sequence number.
    pub fn append(&mut self, st: &mut WriterState, actor: &str, at_ms: i64, event: &Event) -> i64 {
        let payload = serde_json::to_string(event).expect("events serialize");
        let stream = event.stream();
        let seq = st.last_seq + 1;
        let fields = EntryFields { seq, stream: &stream, kind: event.kind(), actor, at_ms, payload: &payload };
        let hash = entry_hash(&st.last_hash, &fields);
        self.journal.push(vec![
            Val::I(seq),
            Val::T(stream),
            Val::T(event.kind().to_owned()),
            Val::T(actor.to_owned()),
            Val::I(at_ms),
            Val::T(payload),
            Val::T(std::mem::replace(&mut st.last_hash, hash.clone())),
            Val::T(hash),
        ]);
        st.last_seq = seq;
        seq
    }

    /// Queues a message for `recipient` and one delivery per matching webhook subscription.
    #[allow(clippy::too_many_arguments)]
    pub fn outbox(&mut self, st: &mut WriterState, seq: i64, stream: &str, recipient: &str, topic: &str, body: String, at_ms: i64) {
        st.last_outbox += 1;
        let id = st.last_outbox;
        self.outbox.push(vec![
            Val::I(id),
            Val::I(seq),
            Val::T(stream.to_owned()),
            Val::T(recipient.to_owned()),
            Val::T(topic.to_owned()),
            Val::T(body),
            Val::I(at_ms),
        ]);
        for (sub, enterprise) in &st.subscriptions {
            if enterprise.as_deref().is_none_or(|e| e == recipient) {
                self.deliveries.push(vec![
                    Val::I(id),
                    Val::T(sub.clone()),
                    Val::T(stream.to_owned()),
                    Val::T("pending".into()),
                    Val::I(0),
                    Val::I(at_ms),
                ]);
            }
        }
        self.last_outbox = Some(id);
    }

    pub fn risk_hit(&mut self, row: Vec<Val>) {
        self.risk_hits.push(row);
    }

    pub fn idempotency(&mut self, scope: &str, key: &str, hash: &str, record: &str, at_ms: i64) {
        self.idem.insert((scope.to_owned(), key.to_owned()), (hash.to_owned(), record.to_owned()));
        self.idempotency.push(vec![Val::T(scope.into()), Val::T(key.into()), Val::T(hash.into()), Val::T(record.into()), Val::I(at_ms)]);
    }

    /// Writes everything buffered. The caller commits.
    pub async fn flush(&mut self, conn: &mut AnyConnection) -> Result<(), sqlx::Error> {
        insert(
            conn,
            "INSERT INTO journal (seq, stream, kind, actor, at_ms, payload, prev_hash, hash) VALUES ",
            8,
            std::mem::take(&mut self.journal),
            "",
        )
        .await?;
        self.ceb.flush(conn).await?;
        let decl_rows: Vec<Vec<Val>> = self.declarations.values().map(|(d, at)| declaration_row(d, *at)).collect();
        insert(
            conn,
            "INSERT INTO declarations (id, filed_by, trade_code, owner_code, agent_code, terminal, status, lane, ie_flag, mode, customs_master, bill_no, filed_at_ms, arrived_at_ms, released_at_ms, completion_due, completed_at_ms, updated_at_ms, doc, priority, quarantine, pre_released_at_ms, disposition_deadline, disposition_done_at_ms) VALUES ",
            24,
            decl_rows,
            " ON CONFLICT (id) DO UPDATE SET status = excluded.status, lane = excluded.lane, terminal = excluded.terminal, arrived_at_ms = excluded.arrived_at_ms, released_at_ms = excluded.released_at_ms, completion_due = excluded.completion_due, completed_at_ms = excluded.completed_at_ms, updated_at_ms = excluded.updated_at_ms, doc = excluded.doc, priority = excluded.priority, quarantine = excluded.quarantine, pre_released_at_ms = excluded.pre_released_at_ms, disposition_deadline = excluded.disposition_deadline, disposition_done_at_ms = excluded.disposition_done_at_ms",
        )
        .await?;
        self.console.flush(conn).await?;
        insert(
            conn,
            "INSERT INTO risk_hits (declaration_id, criterion, revision, ruleset_version, lane, selected, at_ms) VALUES ",
            7,
            std::mem::take(&mut self.risk_hits),
            "",
        )
        .await?;
        insert(
            conn,
            "INSERT INTO outbox (id, event_seq, stream, recipient, topic, body, created_at_ms) VALUES ",
            7,
            std::mem::take(&mut self.outbox),
            "",
        )
        .await?;
        insert(
            conn,
            "INSERT INTO deliveries (outbox_id, subscription_id, stream, state, attempts, next_attempt_ms) VALUES ",
            6,
            std::mem::take(&mut self.deliveries),
            "",
        )
        .await?;
        insert(
            conn,
            "INSERT INTO idempotency (scope, key, request_hash, record_id, created_at_ms) VALUES ",
            5,
            std::mem::take(&mut self.idempotency),
            "",
        )
        .await?;
        let counters: Vec<Vec<Val>> = self.counters_touched.iter().map(|(k, v)| vec![Val::T(k.clone()), Val::I(*v)]).collect();
        insert(conn, "INSERT INTO counters (name, value) VALUES ", 2, counters, " ON CONFLICT (name) DO UPDATE SET value = excluded.value")
            .await?;
        Ok(())
    }
}

fn declaration_row(d: &Declaration, updated_ms: i64) -> Vec<Val> {
    let h = &d.content.head;
    vec![
        Val::T(d.id.clone()),
        Val::T(d.filed_by.to_string()),
        Val::T(h.trade_code.to_string()),
        Val::OT(h.owner_code.as_ref().map(|c| c.to_string())),
        Val::OT(h.agent_code.as_ref().map(|c| c.to_string())),
        Val::OT(d.terminal.as_ref().map(|c| c.to_string())),
        Val::T(d.status.as_str().into()),
        Val::T(d.lane().as_str().into()),
        Val::T(h.ie_flag.as_str().into()),
        Val::T(h.mode.as_str().into()),
        Val::T(h.customs_master.to_string()),
        Val::T(h.bill_no.clone()),
        Val::I(ms(d.filed_at)),
        Val::OI(d.arrived_at.map(ms)),
        Val::OI(d.release.as_ref().map(|r| ms(r.released_at))),
        Val::OT(d.completion_due.map(|x| x.to_string())),
        Val::OI(d.completed_at.map(ms)),
        Val::I(updated_ms),
        Val::T(serde_json::to_string(d).expect("declarations serialize")),
        Val::OT(h.priority.as_ref().map(|p| p.kind.as_str().to_owned())),
        Val::I(d.quarantine_goods().into()),
        Val::OI(
            d.release
                .as_ref()
                .filter(|r| r.kind == guomen_domain::inspection::ReleaseKind::PreReleaseOnCommitment)
                .map(|r| ms(r.released_at)),
        ),
        Val::OT(d.disposition.as_ref().map(|o| o.deadline.to_string())),
        Val::OI(d.disposition.as_ref().and_then(|o| o.done_at).map(ms)),
    ]
}

/// Rows per multi-row statement. Batches are written in chunks of this many rows, and the
/// remainder in power-of-two chunks, so only a handful of statement shapes exist per table and
/// they stay in the connection's prepared-statement cache.
const CHUNK_ROWS: usize = 64;

/// Splits `n` rows into chunk sizes: full chunks, then powers of two.
fn chunk_sizes(mut n: usize) -> Vec<usize> {
    let mut sizes = vec![CHUNK_ROWS; n / CHUNK_ROWS];
    n %= CHUNK_ROWS;
    let mut p = CHUNK_ROWS / 2;
    while n > 0 {
        if n >= p {
            sizes.push(p);
            n -= p;
        }
        p /= 2;
    }
    sizes
}

/// The statement for `rows` rows. SQLite gets anonymous `?` placeholders (its named-parameter
/// lookup is linear in the number of parameters); PostgreSQL gets `$1…$n`.
fn statement(head: &str, cols: usize, rows: usize, tail: &str, sqlite: bool) -> String {
    let mut sql = String::with_capacity(head.len() + rows * cols * 5 + tail.len());
    sql.push_str(head);
    let mut n = 0;
    for r in 0..rows {
        sql.push_str(if r > 0 { ",(" } else { "(" });
        for c in 0..cols {
            if c > 0 {
                sql.push(',');
            }
            n += 1;
            if sqlite {
                sql.push('?');
            } else {
                sql.push('$');
                sql.push_str(&n.to_string());
            }
        }
        sql.push(')');
    }
    sql.push_str(tail);
    sql
}

/// Writes `rows` as multi-row statements; the values move into the statements uncopied.
pub(crate) async fn insert(conn: &mut AnyConnection, head: &str, cols: usize, rows: Vec<Vec<Val>>, tail: &str) -> Result<(), sqlx::Error> {
    let sqlite = conn.backend_name() == "SQLite";
    let mut rows = rows.into_iter();
    for size in chunk_sizes(rows.len()) {
        let sql = statement(head, cols, size, tail, sqlite);
        let mut q = sqlx::query(&sql);
        for row in rows.by_ref().take(size) {
            debug_assert_eq!(row.len(), cols);
            for v in row {
                q = match v {
                    Val::I(i) => q.bind(i),
                    Val::T(s) => q.bind(s),
                    Val::OI(i) => q.bind(i),
                    Val::OT(s) => q.bind(s),
                };
            }
        }
        q.execute(&mut *conn).await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunks_cover_every_row_in_few_shapes() {
        for n in 0..300 {
            let sizes = chunk_sizes(n);
            assert_eq!(sizes.iter().sum::<usize>(), n);
            assert!(sizes.iter().all(|s| s.is_power_of_two() && *s <= CHUNK_ROWS));
        }
        assert_eq!(chunk_sizes(200), vec![64, 64, 64, 8]);
    }

    #[test]
    fn placeholders_per_engine() {
        assert_eq!(statement("INSERT INTO t (a, b) VALUES ", 2, 2, "", true), "INSERT INTO t (a, b) VALUES (?,?),(?,?)");
        assert_eq!(statement("INSERT INTO t (a, b) VALUES ", 2, 2, " X", false), "INSERT INTO t (a, b) VALUES ($1,$2),($3,$4) X");
    }
}
