//! The counters record numbers are taken from: each declaration, inventory-list and pre-entry
//! counter must stand at the highest number the journal's records took from it. The kernel's
//! table; the numbers are gathered from every record as it is rebuilt.

use super::compare::{compare, Cell, Check, Fetch};
use super::Run;
use crate::kernel::{Val, COUNTERS};
use sqlx::AnyConnection;
use std::collections::BTreeMap;

/// The counters of declaration, inventory-list and pre-entry numbers; the others count records
/// numbered within another (samples, surveys…) or are the writer's own bookkeeping.
fn numbering_counter(row: &[Cell]) -> bool {
    row[0].as_deref().is_some_and(|n| ["entry:", "invt:", "pre:"].iter().any(|p| n.starts_with(p)))
}

static COUNTERS_CHECK: Check = Check { table: &COUNTERS, docs: &[], amounts: &[], keep: Some(numbering_counter), strays: None };

pub(super) static CHECKS: &[&Check] = &[&COUNTERS_CHECK];

/// Counter → the highest number taken from it.
#[derive(Default)]
pub(super) struct Taken(BTreeMap<String, i64>);

impl Taken {
    /// Counter `name` gave `value` (see `crate::numbering::counter_of`).
    pub(super) fn took(&mut self, counted: Option<(String, i64)>) {
        if let Some((name, value)) = counted {
            let c = self.0.entry(name).or_insert(value);
            *c = (*c).max(value);
        }
    }
}

/// The counters, each the highest number taken from it.
pub(super) async fn finish(conn: &mut AnyConnection, run: &mut Run) -> Result<(), sqlx::Error> {
    let rows: Vec<Vec<Val>> =
        std::mem::take(&mut run.counters.0).into_iter().map(|(name, value)| vec![Val::T(name), Val::I(value)]).collect();
    compare(conn, run, &COUNTERS_CHECK, rows, Fetch::All).await
}
