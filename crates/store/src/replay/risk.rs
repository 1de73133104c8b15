//! Targeting rebuilt from the journal: every rule-set version from the `ruleset` stream. The
//! criteria that hit a record are rebuilt with the record (`declaration.rs`, `ceb.rs`) and
//! compared here.

use super::compare::{compare, record, Check, Fetch};
use super::{Entry, Run};
use crate::risk::{ruleset_row, RISK_HITS, RULESETS};
use guomen_domain::risk::RuleSet;
use guomen_domain::Event;
use sqlx::AnyConnection;
use std::collections::BTreeMap;

/// Every version is in the one `ruleset` stream, so the whole table is compared with it.
static RULESETS_CHECK: Check = Check { table: &RULESETS, docs: &[("doc", record::<RuleSet>)], amounts: &[], keep: None, strays: None };

/// Criteria that hit declarations and inventory lists share the table; a row of neither is a stray.
static RISK_HITS_CHECK: Check = Check {
    table: &RISK_HITS,
    docs: &[],
    amounts: &[],
    keep: None,
    strays: Some(
        "SELECT CAST(declaration_id AS TEXT), CAST(criterion AS TEXT) FROM risk_hits t \
         WHERE NOT EXISTS (SELECT 1 FROM journal j WHERE j.stream = 'declaration:' || t.declaration_id) \
         AND NOT EXISTS (SELECT 1 FROM ceb_inventories i JOIN journal j ON j.stream = 'ceb:' || i.ebp_code || '/' || i.order_no \
                         WHERE i.id = t.declaration_id)",
    ),
};

pub(super) static CHECKS: &[&Check] = &[&RULESETS_CHECK, &RISK_HITS_CHECK];

/// The `ruleset` stream: one row per version published, by the entry's actor.
pub(super) async fn check(conn: &mut AnyConnection, run: &mut Run, streams: BTreeMap<String, Vec<Entry>>) -> Result<(), sqlx::Error> {
    let mut rows = Vec::new();
    for e in streams.into_values().flatten() {
        if let Event::RuleSetPublished { ruleset, changed, reason } = e.event {
            rows.push(ruleset_row(&ruleset, &changed, &reason, &e.actor, e.at_ms));
        }
    }
    compare(conn, run, &RULESETS_CHECK, rows, Fetch::All).await
}

/// The criteria that hit records `ids` (declarations or inventory lists), as rebuilt with them.
pub(super) async fn hits(
    conn: &mut AnyConnection,
    run: &mut Run,
    rows: Vec<Vec<crate::kernel::Val>>,
    ids: &[String],
) -> Result<(), sqlx::Error> {
    compare(conn, run, &RISK_HITS_CHECK, rows, Fetch::In { column: "declaration_id", values: ids, also: "" }).await
}
