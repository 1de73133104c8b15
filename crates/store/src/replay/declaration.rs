//! Declarations rebuilt from their streams: the `declarations` row (and its `doc`), the criteria
//! that hit at filing (`risk_hits`), the officer's queue, the numbers taken, and — summed over
//! every declaration — the daily rollups, through the same `ViewRows` the writer keeps them with.

use super::compare::{compare, record, Check, Fetch};
use super::{name_in, risk, Entry, Run};
use crate::declaration::views::ViewRows;
use crate::declaration::{declaration_row, queue_row, DECLARATIONS, OFFICER_QUEUE, ROLLUP_CLEARANCE, ROLLUP_CRITERIA};
use crate::numbering::counter_of;
use crate::risk::risk_hit_rows;
use guomen_domain::declaration::Declaration;
use guomen_domain::Event;
use sqlx::AnyConnection;
use std::collections::BTreeMap;

static DECLARATIONS_CHECK: Check = Check {
    table: &DECLARATIONS,
    docs: &[("doc", record::<Declaration>)],
    amounts: &[],
    keep: None,
    strays: Some(
        "SELECT CAST(id AS TEXT) FROM declarations t WHERE NOT EXISTS (SELECT 1 FROM journal j WHERE j.stream = 'declaration:' || t.id)",
    ),
};

static QUEUE_CHECK: Check = Check {
    table: &OFFICER_QUEUE,
    docs: &[],
    amounts: &[],
    keep: None,
    strays: Some(
        "SELECT CAST(id AS TEXT) FROM officer_queue t WHERE NOT EXISTS (SELECT 1 FROM journal j WHERE j.stream = 'declaration:' || t.id)",
    ),
};

/// A rollup row every count of which is zero counts nothing: the same as no row.
fn counts_something(row: &[Option<String>], key: usize) -> bool {
    row[key..].iter().any(|c| c.as_deref() != Some("0"))
}

static CLEARANCE_CHECK: Check =
    Check { table: &ROLLUP_CLEARANCE, docs: &[], amounts: &[], keep: Some(|row| counts_something(row, 3)), strays: None };

static CRITERIA_CHECK: Check =
    Check { table: &ROLLUP_CRITERIA, docs: &[], amounts: &[], keep: Some(|row| counts_something(row, 2)), strays: None };

pub(super) static CHECKS: &[&Check] = &[&DECLARATIONS_CHECK, &QUEUE_CHECK, &CLEARANCE_CHECK, &CRITERIA_CHECK];

/// What the declarations add up to: the rollups (and each page's queue rows, taken page by page).
#[derive(Default)]
pub(super) struct Sums {
    views: ViewRows,
}

/// One page of declaration streams.
pub(super) async fn check(conn: &mut AnyConnection, run: &mut Run, streams: BTreeMap<String, Vec<Entry>>) -> Result<(), sqlx::Error> {
    let mut ids = Vec::with_capacity(streams.len());
    let mut rows = Vec::with_capacity(streams.len());
    let mut hits = Vec::new();
    for (stream, entries) in streams {
        let id = name_in(&stream).to_owned();
        let Some(last) = entries.last().map(|e| e.at_ms) else { continue };
        let filed_at = entries.get(1).map(|e| e.at_ms);
        let events: Vec<Event> = entries.into_iter().map(|e| e.event).collect();
        let Some(d) = Declaration::from_events(&events) else {
            run.unreadable(
                DECLARATIONS.name,
                format!("id={id}"),
                "its journal stream does not begin with a filing and its risk decision".into(),
            );
            continue;
        };
        // The row was last written by the command that journaled the stream's last entry.
        rows.push(declaration_row(&d, last));
        if let (Some(Event::RiskAssessed { decision, .. }), Some(at)) = (events.get(1), filed_at) {
            hits.extend(risk_hit_rows(&d.id, decision, at));
        }
        run.declaration.views.record(None, &d);
        run.counters.took(counter_of("entry", &d.id));
        ids.push(id);
    }
    compare(conn, run, &DECLARATIONS_CHECK, rows, Fetch::In { column: "id", values: &ids, also: "" }).await?;
    risk::hits(conn, run, hits, &ids).await?;
    let queue: Vec<_> = run.declaration.views.take_queue().iter().filter_map(|(id, r)| Some(queue_row(id, r.as_ref()?))).collect();
    compare(conn, run, &QUEUE_CHECK, queue, Fetch::In { column: "id", values: &ids, also: "" }).await
}

/// The rollups, summed over every declaration.
pub(super) async fn finish(conn: &mut AnyConnection, run: &mut Run) -> Result<(), sqlx::Error> {
    let (clearance, criteria) = run.declaration.views.take_rollups();
    compare(conn, run, &CLEARANCE_CHECK, clearance, Fetch::All).await?;
    compare(conn, run, &CRITERIA_CHECK, criteria, Fetch::All).await
}
