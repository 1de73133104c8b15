//! The row of a certificate of origin: the columns lists, the officer's queue and the
//! exporter's history read, and the whole record as JSON in `doc`. Declared once with the
//! function that builds it; the handler and `verify --views` (`replay/`) both use them.

use crate::kernel::{ms, Table, Val};
use guomen_domain::origin::OriginCertificate;

/// 原产地证书 — one row per certificate (or application).
pub(crate) const ORIGIN_CERTIFICATES: Table = Table {
    name: "origin_certificates",
    columns: &[
        "number",
        "exporter",
        "agreement",
        "importing_country",
        "status",
        "outcome",
        "finding",
        "applied_at_ms",
        "updated_at_ms",
        "issued_at_ms",
        "doc",
    ],
    key: 1,
};

pub(crate) fn certificate_row(c: &OriginCertificate) -> Vec<Val> {
    vec![
        Val::T(c.number.clone()),
        Val::T(c.exporter.to_string()),
        Val::T(c.application.agreement.as_str().to_owned()),
        Val::T(c.application.importing_country.to_string()),
        Val::T(c.status.as_str().to_owned()),
        Val::T(c.review.outcome.as_str().to_owned()),
        Val::I(i64::from(c.is_finding())),
        Val::I(ms(c.applied_at)),
        Val::I(ms(c.updated_at.unwrap_or(c.applied_at))),
        Val::OI(c.issued_at.map(ms)),
        Val::T(serde_json::to_string(c).expect("certificates serialize")),
    ]
}
