//! Phytosanitary certificates, issued and received, rebuilt from their streams, each a row with
//! its record as JSON.

use super::compare::{compare, record, Check, Fetch};
use super::{fold_rows, Entry, Run};
use crate::phyto::{certificate_row, received_row, PHYTO_CERTIFICATES, PHYTO_RECEIVED};
use guomen_domain::phyto::{PhytoCertificate, ReceivedCertificate};
use guomen_domain::Event;
use sqlx::AnyConnection;
use std::collections::BTreeMap;

static CERTIFICATES_CHECK: Check = Check {
    table: &PHYTO_CERTIFICATES,
    docs: &[("doc", record::<PhytoCertificate>)],
    amounts: &[],
    keep: None,
    strays: Some(
        "SELECT CAST(number AS TEXT) FROM phyto_certificates t WHERE NOT EXISTS (SELECT 1 FROM journal j WHERE j.stream = 'phyto:' || t.number)",
    ),
};

static RECEIVED_CHECK: Check = Check {
    table: &PHYTO_RECEIVED,
    docs: &[("doc", record::<ReceivedCertificate>)],
    amounts: &[],
    keep: None,
    strays: Some(
        "SELECT CAST(id AS TEXT) FROM phyto_received t WHERE NOT EXISTS (SELECT 1 FROM journal j WHERE j.stream = 'phyto-received:' || t.id)",
    ),
};

pub(super) static CHECKS: &[&Check] = &[&CERTIFICATES_CHECK, &RECEIVED_CHECK];

/// One page of certificate streams of `kind` (`phyto` or `phyto-received`).
pub(super) async fn check(
    conn: &mut AnyConnection,
    run: &mut Run,
    kind: &str,
    streams: BTreeMap<String, Vec<Entry>>,
) -> Result<(), sqlx::Error> {
    if kind == "phyto" {
        let (ids, derived) = fold_rows(
            run,
            PHYTO_CERTIFICATES.name,
            streams,
            |e| if let Event::Phyto(e) = e { Some(e) } else { None },
            PhytoCertificate::from_events,
            certificate_row,
        );
        compare(conn, run, &CERTIFICATES_CHECK, derived, Fetch::In { column: "number", values: &ids, also: "" }).await
    } else {
        let (ids, derived) = fold_rows(
            run,
            PHYTO_RECEIVED.name,
            streams,
            |e| if let Event::PhytoReceived(e) = e { Some(e) } else { None },
            ReceivedCertificate::from_events,
            received_row,
        );
        compare(conn, run, &RECEIVED_CHECK, derived, Fetch::In { column: "id", values: &ids, also: "" }).await
    }
}
