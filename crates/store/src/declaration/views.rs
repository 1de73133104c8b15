//! The views the console reads instead of scanning declarations: the officer's work queue and
//! the daily rollups (per customs day × office × direction, and per customs day × criterion).
//!
//! They are kept by difference. Each time the writer persists a declaration it subtracts what
//! the record contributed before the change and adds what it contributes after, in the same
//! transaction, so the rollups are always exactly the sum over the declarations stored. What a
//! record contributes is defined in `guomen_domain::clearance`; the rows here only count it.
//! For declarations stored before these tables existed, [`rebuild`] computes everything once at
//! start-up.

use crate::kernel::{insert, Table, Val};
use guomen_domain::clearance;
use guomen_domain::declaration::{Declaration, Status};
use guomen_domain::risk::Lane;
use sqlx::{AnyConnection, Executor, Row};
use std::collections::BTreeMap;

/// Columns of `rollup_clearance` after its key, in order.
pub const CLEARANCE_COLUMNS: [&str; 17] = [
    "declared",
    "green",
    "blue",
    "yellow",
    "red",
    "inspected",
    "non_conforming",
    "released",
    "released_instantly",
    "pre_released",
    "timed",
    "arrival_ms",
    "decision_ms",
    "inspection_ms",
    "release_ms",
    "limits_due",
    "limits_met",
];
const N: usize = CLEARANCE_COLUMNS.len();

/// Index of each column in [`CLEARANCE_COLUMNS`].
mod col {
    pub const DECLARED: usize = 0;
    pub const GREEN: usize = 1;
    pub const INSPECTED: usize = 5;
    pub const NON_CONFORMING: usize = 6;
    pub const RELEASED: usize = 7;
    pub const RELEASED_INSTANTLY: usize = 8;
    pub const PRE_RELEASED: usize = 9;
    pub const TIMED: usize = 10;
    pub const ARRIVAL_MS: usize = 11;
    pub const DECISION_MS: usize = 12;
    pub const INSPECTION_MS: usize = 13;
    pub const RELEASE_MS: usize = 14;
    pub const LIMITS_DUE: usize = 15;
    pub const LIMITS_MET: usize = 16;
}

/// The criterion name under which pure random selections are counted.
pub const RANDOM: &str = "(random)";

/// Statuses in which a declaration waits for customs: the officer's work queue.
pub fn in_queue(s: Status) -> bool {
    matches!(
        s,
        Status::InspectionNotified
            | Status::InPosition
            | Status::Inspected
            | Status::Held
            | Status::PendingLaboratory
            | Status::PermittedToEnter
            | Status::DispositionRequired
            | Status::UnderDisposition
    )
}

/// (customs day, office, direction)
type ClearanceKey = (String, String, String);
/// (customs day, criterion)
type CriterionKey = (String, String);

/// A row of the officer's work queue.
#[derive(Debug, Clone, PartialEq)]
pub struct QueueRow {
    pub lane: String,
    pub status: String,
    pub filed_at_ms: i64,
    pub trade_code: String,
    pub bill_no: String,
    pub customs_master: String,
    pub ie_flag: String,
    pub priority: Option<String>,
    pub items: i64,
}

/// What one declaration contributes to the views.
#[derive(Debug, Clone, Default)]
pub struct Facts {
    clearance: Vec<(ClearanceKey, [i64; N])>,
    criteria: Vec<(CriterionKey, [i64; 3])>,
    queue: Option<QueueRow>,
}

fn ms(t: time::OffsetDateTime) -> i64 {
    (t.unix_timestamp_nanos() / 1_000_000) as i64
}

impl Facts {
    pub fn of(d: &Declaration) -> Facts {
        let h = &d.content.head;
        let office = h.customs_master.to_string();
        let ie = h.ie_flag.as_str().to_owned();
        let day = clearance::cst_day(d.filed_at).to_string();
        let mut c = [0i64; N];
        c[col::DECLARED] = 1;
        c[col::GREEN + lane_index(d.lane())] = 1;
        c[col::INSPECTED] = i64::from(d.result.is_some());
        let bad = clearance::non_conforming(d);
        c[col::NON_CONFORMING] = i64::from(bad);
        c[col::RELEASED] = i64::from(d.release.is_some());
        c[col::RELEASED_INSTANTLY] = i64::from(clearance::released_within_a_second(d));
        c[col::PRE_RELEASED] = i64::from(clearance::pre_released(d));
        if let Some(s) = clearance::segments(d) {
            c[col::TIMED] = 1;
            c[col::ARRIVAL_MS] = s.arrival_to_declaration;
            c[col::DECISION_MS] = s.declaration_to_decision;
            c[col::INSPECTION_MS] = s.decision_to_inspection;
            c[col::RELEASE_MS] = s.inspection_to_release;
        }
        let mut clearance_rows = vec![((day.clone(), office.clone(), ie.clone()), c)];
        for limit in clearance::time_limits(d) {
            let mut l = [0i64; N];
            l[col::LIMITS_DUE] = 1;
            l[col::LIMITS_MET] = i64::from(limit.met);
            clearance_rows.push(((limit.due.to_string(), office.clone(), ie.clone()), l));
        }
        let mut criteria = Vec::new();
        for hit in &d.decision.hits {
            let sel = i64::from(hit.selected);
            criteria.push(((day.clone(), hit.criterion.clone()), [1, sel, sel * i64::from(bad)]));
        }
        if d.decision.random.selected {
            criteria.push(((day, RANDOM.to_owned()), [1, 1, i64::from(bad)]));
        }
        let queue = in_queue(d.status).then(|| QueueRow {
            lane: d.lane().as_str().to_owned(),
            status: d.status.as_str().to_owned(),
            filed_at_ms: ms(d.filed_at),
            trade_code: h.trade_code.to_string(),
            bill_no: h.bill_no.clone(),
            customs_master: office,
            ie_flag: ie,
            priority: h.priority.as_ref().map(|p| p.kind.as_str().to_owned()),
            items: d.content.items.len() as i64,
        });
        Facts { clearance: clearance_rows, criteria, queue }
    }
}

fn lane_index(l: Lane) -> usize {
    match l {
        Lane::Green => 0,
        Lane::Blue => 1,
        Lane::Yellow => 2,
        Lane::Red => 3,
    }
}

/// The view changes of one group commit: rollup differences and queue rows to write.
#[derive(Debug, Default)]
pub struct ViewRows {
    clearance: BTreeMap<ClearanceKey, [i64; N]>,
    criteria: BTreeMap<CriterionKey, [i64; 3]>,
    /// Declaration id → its queue row, or None to take it off the queue.
    queue: BTreeMap<String, Option<QueueRow>>,
}

impl ViewRows {
    /// Records a declaration's change: `before` is what it contributed until now (None for a
    /// new filing), `after` the record as it now stands.
    pub fn record(&mut self, before: Option<Facts>, after: &Declaration) {
        if let Some(b) = before {
            self.add(&b, -1);
        }
        let f = Facts::of(after);
        self.add(&f, 1);
        self.queue.insert(after.id.clone(), f.queue);
    }

    fn add(&mut self, f: &Facts, sign: i64) {
        for (k, v) in &f.clearance {
            let e = self.clearance.entry(k.clone()).or_insert([0; N]);
            for i in 0..N {
                e[i] += sign * v[i];
            }
        }
        for (k, v) in &f.criteria {
            let e = self.criteria.entry(k.clone()).or_insert([0; 3]);
            for i in 0..3 {
                e[i] += sign * v[i];
            }
        }
    }

    pub fn is_empty(&self) -> bool {
        self.clearance.is_empty() && self.criteria.is_empty() && self.queue.is_empty()
    }

    /// The rollup differences gathered so far, as rows of `rollup_clearance` and
    /// `rollup_criteria` (all-zero differences left out); they are taken, not kept.
    pub(crate) fn take_rollups(&mut self) -> (Vec<Vec<Val>>, Vec<Vec<Val>>) {
        let clearance = std::mem::take(&mut self.clearance)
            .into_iter()
            .filter(|(_, v)| v.iter().any(|x| *x != 0))
            .map(|((day, office, ie), v)| {
                let mut row = vec![Val::T(day), Val::T(office), Val::T(ie)];
                row.extend(v.iter().map(|x| Val::I(*x)));
                row
            })
            .collect();
        let criteria = std::mem::take(&mut self.criteria)
            .into_iter()
            .filter(|(_, v)| v.iter().any(|x| *x != 0))
            .map(|((day, c), v)| vec![Val::T(day), Val::T(c), Val::I(v[0]), Val::I(v[1]), Val::I(v[2])])
            .collect();
        (clearance, criteria)
    }

    /// The queue rows gathered so far: declaration id → its row, or None when it is off the
    /// queue; they are taken, not kept.
    pub(crate) fn take_queue(&mut self) -> BTreeMap<String, Option<QueueRow>> {
        std::mem::take(&mut self.queue)
    }

    /// Writes the differences (added to what is stored) and the queue rows. The caller commits.
    pub async fn flush(&mut self, conn: &mut AnyConnection) -> Result<(), sqlx::Error> {
        let add =
            |cols: &[&str], table: &str| cols.iter().map(|c| format!("{c} = {table}.{c} + excluded.{c}")).collect::<Vec<_>>().join(", ");
        let (clearance, criteria) = self.take_rollups();
        let tail = format!(" ON CONFLICT (day, office, ie_flag) DO UPDATE SET {}", add(&CLEARANCE_COLUMNS, "rollup_clearance"));
        insert(conn, &ROLLUP_CLEARANCE.insert_head(), ROLLUP_CLEARANCE.columns.len(), clearance, &tail).await?;
        let tail = format!(" ON CONFLICT (day, criterion) DO UPDATE SET {}", add(&ROLLUP_CRITERIA.columns[2..], "rollup_criteria"));
        insert(conn, &ROLLUP_CRITERIA.insert_head(), ROLLUP_CRITERIA.columns.len(), criteria, &tail).await?;

        let queue = self.take_queue();
        let gone: Vec<String> = queue.iter().filter(|(_, r)| r.is_none()).map(|(id, _)| id.clone()).collect();
        for chunk in gone.chunks(64) {
            let marks: Vec<String> = (1..=chunk.len()).map(|i| format!("${i}")).collect();
            let sql = format!("DELETE FROM officer_queue WHERE id IN ({})", marks.join(", "));
            let mut q = sqlx::query(&sql);
            for id in chunk {
                q = q.bind(id.clone());
            }
            q.execute(&mut *conn).await?;
        }
        let rows: Vec<Vec<Val>> = queue.iter().filter_map(|(id, r)| Some(queue_row(id, r.as_ref()?))).collect();
        OFFICER_QUEUE.upsert(conn, rows, &["lane", "status", "priority", "items", "customs_master"]).await
    }
}

/// 待办 — one row per declaration waiting for customs.
pub(crate) const OFFICER_QUEUE: Table = Table {
    name: "officer_queue",
    columns: &["id", "lane", "status", "filed_at_ms", "trade_code", "bill_no", "customs_master", "ie_flag", "priority", "items"],
    key: 1,
};

pub(crate) fn queue_row(id: &str, r: &QueueRow) -> Vec<Val> {
    vec![
        Val::T(id.to_owned()),
        Val::T(r.lane.clone()),
        Val::T(r.status.clone()),
        Val::I(r.filed_at_ms),
        Val::T(r.trade_code.clone()),
        Val::T(r.bill_no.clone()),
        Val::T(r.customs_master.clone()),
        Val::T(r.ie_flag.clone()),
        Val::OT(r.priority.clone()),
        Val::I(r.items),
    ]
}

/// Per customs day × office × direction, the counts and sums of [`CLEARANCE_COLUMNS`].
pub(crate) const ROLLUP_CLEARANCE: Table = Table {
    name: "rollup_clearance",
    columns: &[
        "day",
        "office",
        "ie_flag",
        "declared",
        "green",
        "blue",
        "yellow",
        "red",
        "inspected",
        "non_conforming",
        "released",
        "released_instantly",
        "pre_released",
        "timed",
        "arrival_ms",
        "decision_ms",
        "inspection_ms",
        "release_ms",
        "limits_due",
        "limits_met",
    ],
    key: 3,
};

/// Per customs day × criterion: hits, selections and detections.
pub(crate) const ROLLUP_CRITERIA: Table =
    Table { name: "rollup_criteria", columns: &["day", "criterion", "hits", "selections", "detections"], key: 2 };

/// Builds the queue and rollups from every stored declaration, unless done already. Runs at
/// start-up on the writer's connection, before the writer takes commands.
pub async fn rebuild_if_needed(conn: &mut AnyConnection) -> Result<(), sqlx::Error> {
    let done: Option<i64> = sqlx::query_scalar("SELECT value FROM console_state WHERE name = 'views'").fetch_optional(&mut *conn).await?;
    if done == Some(1) {
        return Ok(());
    }
    rebuild(conn).await
}

/// Recomputes the queue and rollups from the declarations table, in one transaction.
pub async fn rebuild(conn: &mut AnyConnection) -> Result<(), sqlx::Error> {
    use sqlx::Connection;
    let mut tx = conn.begin().await?;
    for table in ["officer_queue", "rollup_clearance", "rollup_criteria"] {
        tx.execute(format!("DELETE FROM {table}").as_str()).await?;
    }
    let mut after = String::new();
    loop {
        let rows = sqlx::query("SELECT id, doc FROM declarations WHERE id > $1 ORDER BY id LIMIT 2000")
            .bind(after.clone())
            .fetch_all(&mut *tx)
            .await?;
        let Some(last) = rows.last() else { break };
        after = last.try_get("id")?;
        let mut views = ViewRows::default();
        for r in &rows {
            let doc: String = r.try_get("doc")?;
            let d: Declaration = serde_json::from_str(&doc).map_err(|e| sqlx::Error::Decode(Box::new(e)))?;
            views.record(None, &d);
        }
        views.flush(&mut tx).await?;
    }
    sqlx::query("INSERT INTO console_state (name, value) VALUES ('views', 1) ON CONFLICT (name) DO UPDATE SET value = 1")
        .execute(&mut *tx)
        .await?;
    tx.commit().await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_rollup_table_counts_what_a_declaration_contributes() {
        assert_eq!(&ROLLUP_CLEARANCE.columns[ROLLUP_CLEARANCE.key..], &CLEARANCE_COLUMNS[..]);
    }
}
