//! Certificates of origin rebuilt from their streams, each a row with its record as JSON.

use super::compare::{compare, record, Check, Fetch};
use super::{fold_rows, Entry, Run};
use crate::origin::{certificate_row, ORIGIN_CERTIFICATES};
use guomen_domain::origin::OriginCertificate;
use guomen_domain::Event;
use sqlx::AnyConnection;
use std::collections::BTreeMap;

static ORIGIN_CHECK: Check = Check {
    table: &ORIGIN_CERTIFICATES,
    docs: &[("doc", record::<OriginCertificate>)],
    amounts: &[],
    keep: None,
    strays: Some(
        "SELECT CAST(number AS TEXT) FROM origin_certificates t WHERE NOT EXISTS (SELECT 1 FROM journal j WHERE j.stream = 'origin:' || t.number)",
    ),
};

pub(super) static CHECKS: &[&Check] = &[&ORIGIN_CHECK];

/// One page of certificate streams.
pub(super) async fn check(conn: &mut AnyConnection, run: &mut Run, streams: BTreeMap<String, Vec<Entry>>) -> Result<(), sqlx::Error> {
    let (ids, derived) = fold_rows(
        run,
        ORIGIN_CERTIFICATES.name,
        streams,
        |e| if let Event::Origin(e) = e { Some(e) } else { None },
        OriginCertificate::from_events,
        certificate_row,
    );
    compare(conn, run, &ORIGIN_CHECK, derived, Fetch::In { column: "number", values: &ids, also: "" }).await
}
