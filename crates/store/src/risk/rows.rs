//! The rows targeting writes: each published rule-set version, and one row per criterion that
//! hit a declaration or an inventory list. Each table is declared once with the function that
//! builds its row; the writer and `verify --views` (`replay/`) both use them.

use crate::kernel::{Table, Val};
use guomen_domain::risk::{Decision, RuleSet};
use sqlx::AnyConnection;

/// 布控规则版本 — every published version, its whole rule set as JSON in `doc`.
pub(crate) const RULESETS: Table =
    Table { name: "rulesets", columns: &["version", "doc", "changed", "reason", "published_by", "published_at_ms"], key: 1 };

/// A published version; `by` is the journal's actor of the publication.
pub(crate) fn ruleset_row(ruleset: &RuleSet, changed: &[String], reason: &str, by: &str, at_ms: i64) -> Vec<Val> {
    vec![
        Val::I(ruleset.version as i64),
        Val::T(serde_json::to_string(ruleset).expect("rules serialize")),
        Val::T(serde_json::to_string(changed).expect("strings serialize")),
        Val::T(reason.to_owned()),
        Val::T(by.to_owned()),
        Val::I(at_ms),
    ]
}

/// 布控命中 — the criteria that hit a declaration or an inventory list, one row each.
pub(crate) const RISK_HITS: Table = Table {
    name: "risk_hits",
    columns: &["declaration_id", "criterion", "revision", "ruleset_version", "lane", "selected", "at_ms"],
    key: 2,
};

/// The rows of the criteria that hit record `id` in a targeting decision taken at `at_ms`.
pub(crate) fn risk_hit_rows(id: &str, decision: &Decision, at_ms: i64) -> Vec<Vec<Val>> {
    decision
        .hits
        .iter()
        .map(|h| {
            vec![
                Val::T(id.to_owned()),
                Val::T(h.criterion.clone()),
                Val::I(h.revision.into()),
                Val::I(decision.ruleset_version as i64),
                Val::T(h.lane.as_str().into()),
                Val::I(h.selected.into()),
                Val::I(at_ms),
            ]
        })
        .collect()
}

/// The risk hits of one batch, and whether it published rules.
#[derive(Default)]
pub struct RiskRows {
    pub(super) hits: Vec<Vec<Val>>,
    pub(super) touched_rules: bool,
}

impl RiskRows {
    pub async fn flush(&mut self, conn: &mut AnyConnection) -> Result<(), sqlx::Error> {
        crate::kernel::insert(conn, &RISK_HITS.insert_head(), RISK_HITS.columns.len(), std::mem::take(&mut self.hits), "").await
    }
}
