//! The rows of phytosanitary certificates, issued and received: the columns lists and look-ups
//! read, and the whole record as JSON in `doc`. Declared once with the functions that build them;
//! the handler and `verify --views` (`replay/`) both use them.

use crate::kernel::{ms, Table, Val};
use guomen_domain::phyto::{PhytoCertificate, ReceivedCertificate};

/// 植物检疫证书 — one row per certificate Guomen issues (or application for one).
pub(crate) const PHYTO_CERTIFICATES: Table = Table {
    name: "phyto_certificates",
    columns: &[
        "number",
        "kind",
        "office",
        "exporter",
        "declaration_id",
        "status",
        "replaces",
        "replaced_by",
        "applied_at_ms",
        "updated_at_ms",
        "issued_at_ms",
        "doc",
    ],
    key: 1,
};

pub(crate) fn certificate_row(c: &PhytoCertificate) -> Vec<Val> {
    vec![
        Val::T(c.number.clone()),
        Val::T(c.application.kind.as_str().to_owned()),
        Val::T(c.application.office.to_string()),
        Val::T(c.exporter.to_string()),
        Val::OT(c.application.declaration.clone()),
        Val::T(c.status.as_str().to_owned()),
        Val::OT(c.replaces.clone()),
        Val::OT(c.replaced_by.clone()),
        Val::I(ms(c.applied_at)),
        Val::I(ms(c.updated_at.unwrap_or(c.applied_at))),
        Val::OI(c.issued_at.map(ms)),
        Val::T(serde_json::to_string(c).expect("certificates serialize")),
    ]
}

/// 进境植物检疫证书 — one row per certificate received, keyed `COUNTRY/NUMBER`.
pub(crate) const PHYTO_RECEIVED: Table =
    Table { name: "phyto_received", columns: &["id", "number", "country", "declaration_id", "received_at_ms", "doc"], key: 1 };

pub(crate) fn received_row(c: &ReceivedCertificate) -> Vec<Val> {
    vec![
        Val::T(c.key.clone()),
        Val::T(c.document.number.clone()),
        Val::T(c.document.export_country.clone()),
        Val::OT(c.declaration.clone()),
        Val::I(ms(c.received_at)),
        Val::T(serde_json::to_string(c).expect("certificates serialize")),
    ]
}
