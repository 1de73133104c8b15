//! Mandates rebuilt from their streams, each a row with its record as JSON.

use super::compare::{compare, record, Check, Fetch};
use super::{fold_rows, Entry, Run};
use crate::mandate::{mandate_row, MANDATES};
use guomen_domain::mandate::Mandate;
use guomen_domain::Event;
use sqlx::AnyConnection;
use std::collections::BTreeMap;

static MANDATES_CHECK: Check = Check {
    table: &MANDATES,
    docs: &[("doc", record::<Mandate>)],
    amounts: &[],
    keep: None,
    strays: Some("SELECT CAST(id AS TEXT) FROM mandates t WHERE NOT EXISTS (SELECT 1 FROM journal j WHERE j.stream = 'mandate:' || t.id)"),
};

pub(super) static CHECKS: &[&Check] = &[&MANDATES_CHECK];

/// One page of mandate streams.
pub(super) async fn check(conn: &mut AnyConnection, run: &mut Run, streams: BTreeMap<String, Vec<Entry>>) -> Result<(), sqlx::Error> {
    let (ids, derived) = fold_rows(
        run,
        MANDATES.name,
        streams,
        |e| if let Event::Mandate(e) = e { Some(e) } else { None },
        Mandate::from_events,
        mandate_row,
    );
    compare(conn, run, &MANDATES_CHECK, derived, Fetch::In { column: "id", values: &ids, also: "" }).await
}
