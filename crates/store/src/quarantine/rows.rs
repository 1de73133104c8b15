//! The rows of permits and samples, each its whole record as JSON in `doc` beside the columns
//! lists and figures read. Each table is declared once with the function that builds its row;
//! the handler and `verify --views` (`replay/`) both use them.

use super::json;
use crate::kernel::{ms, Table, Val};
use guomen_domain::quarantine::lab::Sample;
use guomen_domain::quarantine::permit::Permit;

/// 检疫许可证 — one row per permit.
pub(crate) const PERMITS: Table = Table { name: "permits", columns: &["id", "holder", "valid_to", "issued_at_ms", "doc"], key: 1 };

pub(crate) fn permit_row(p: &Permit) -> Vec<Val> {
    vec![Val::T(p.id.clone()), Val::T(p.holder.to_string()), Val::T(p.valid_to.to_string()), Val::I(ms(p.issued_at)), Val::T(json(p))]
}

/// 样品 — one row per laboratory sample.
pub(crate) const SAMPLES: Table = Table {
    name: "samples",
    columns: &["id", "declaration_id", "lab", "status", "conclusion", "ordered_at_ms", "published_at_ms", "doc"],
    key: 1,
};

pub(crate) fn sample_row(s: &Sample) -> Vec<Val> {
    vec![
        Val::T(s.id.clone()),
        Val::T(s.declaration_id.clone()),
        Val::T(s.lab.to_string()),
        Val::T(s.status.as_str().into()),
        Val::OT(s.conclusion().map(|c| c.as_str().to_owned())),
        Val::I(ms(s.ordered_at)),
        Val::OI(s.published.as_ref().map(|p| ms(p.at))),
        Val::T(json(s)),
    ]
}
