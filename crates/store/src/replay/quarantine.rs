//! Permits and laboratory samples rebuilt from their streams, each a row with its record as JSON.

use super::compare::{compare, record, Check, Fetch};
use super::{fold_rows, Entry, Run};
use crate::quarantine::{permit_row, sample_row, PERMITS, SAMPLES};
use guomen_domain::quarantine::lab::Sample;
use guomen_domain::quarantine::permit::Permit;
use guomen_domain::Event;
use sqlx::AnyConnection;
use std::collections::BTreeMap;

static PERMITS_CHECK: Check = Check {
    table: &PERMITS,
    docs: &[("doc", record::<Permit>)],
    amounts: &[],
    keep: None,
    strays: Some("SELECT CAST(id AS TEXT) FROM permits t WHERE NOT EXISTS (SELECT 1 FROM journal j WHERE j.stream = 'permit:' || t.id)"),
};

static SAMPLES_CHECK: Check = Check {
    table: &SAMPLES,
    docs: &[("doc", record::<Sample>)],
    amounts: &[],
    keep: None,
    strays: Some("SELECT CAST(id AS TEXT) FROM samples t WHERE NOT EXISTS (SELECT 1 FROM journal j WHERE j.stream = 'sample:' || t.id)"),
};

pub(super) static CHECKS: &[&Check] = &[&PERMITS_CHECK, &SAMPLES_CHECK];

/// One page of the streams of one kind: `permit` or `sample`.
pub(super) async fn check(
    conn: &mut AnyConnection,
    run: &mut Run,
    kind: &str,
    streams: BTreeMap<String, Vec<Entry>>,
) -> Result<(), sqlx::Error> {
    let (check, (ids, derived)) = match kind {
        "permit" => (
            &PERMITS_CHECK,
            fold_rows(
                run,
                PERMITS.name,
                streams,
                |e| if let Event::Permit(e) = e { Some(e) } else { None },
                Permit::from_events,
                permit_row,
            ),
        ),
        _ => (
            &SAMPLES_CHECK,
            fold_rows(
                run,
                SAMPLES.name,
                streams,
                |e| if let Event::Sample(e) = e { Some(e) } else { None },
                Sample::from_events,
                sample_row,
            ),
        ),
    };
    compare(conn, run, check, derived, Fetch::In { column: "id", values: &ids, also: "" }).await
}
