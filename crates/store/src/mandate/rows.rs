//! The row of a mandate: the columns lists and the writer's start-up read, and the whole record
//! as JSON in `doc`. Declared once with the function that builds it; the handler and
//! `verify --views` (`replay/`) both use them.

use crate::kernel::{ms, Table, Val};
use guomen_domain::mandate::Mandate;

/// 委托书 — one row per mandate.
pub(crate) const MANDATES: Table = Table {
    name: "mandates",
    columns: &["id", "consignor", "agent", "scopes", "valid_from", "valid_until", "granted_at_ms", "revoked_at_ms", "doc"],
    key: 1,
};

pub(crate) fn mandate_row(m: &Mandate) -> Vec<Val> {
    vec![
        Val::T(m.id.clone()),
        Val::T(m.consignor.to_string()),
        Val::T(m.agent.to_string()),
        Val::T(m.scopes.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(",")),
        Val::T(m.valid_from.to_string()),
        Val::T(m.valid_until.to_string()),
        Val::I(ms(m.granted_at)),
        Val::OI(m.revoked.as_ref().map(|r| ms(r.at))),
        Val::T(serde_json::to_string(m).expect("mandates serialize")),
    ]
}
