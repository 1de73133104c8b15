//! The declaration rows of one group commit: the latest state of every declaration it touched
//! (one upsert each, with the whole record as JSON in `doc`) and the console views' differences.
//! The table is declared once, with the function that builds a declaration's row; the writer
//! and `verify --views` (`replay/`) both use them.

use super::views::ViewRows;
use super::Staged;
use crate::kernel::{ms, Table, Val};
use guomen_domain::declaration::Declaration;
use sqlx::AnyConnection;
use std::collections::BTreeSet;

/// 报关单 — one row per declaration, its whole record as JSON in `doc`.
pub(crate) const DECLARATIONS: Table = Table {
    name: "declarations",
    columns: &[
        "id",
        "filed_by",
        "trade_code",
        "owner_code",
        "agent_code",
        "terminal",
        "status",
        "lane",
        "ie_flag",
        "mode",
        "customs_master",
        "bill_no",
        "filed_at_ms",
        "arrived_at_ms",
        "released_at_ms",
        "completion_due",
        "completed_at_ms",
        "updated_at_ms",
        "doc",
        "priority",
        "quarantine",
        "pre_released_at_ms",
        "disposition_deadline",
        "disposition_done_at_ms",
    ],
    key: 1,
};

/// The columns a later step can change (the parties and office of a completed two-step
/// declaration are updated apart: see [`DeclarationRows::completed`]).
const DECLARATION_CHANGES: &[&str] = &[
    "status",
    "lane",
    "terminal",
    "arrived_at_ms",
    "released_at_ms",
    "completion_due",
    "completed_at_ms",
    "updated_at_ms",
    "doc",
    "priority",
    "quarantine",
    "pre_released_at_ms",
    "disposition_deadline",
    "disposition_done_at_ms",
];

#[derive(Default)]
pub struct DeclarationRows {
    /// Latest state of every declaration this batch touched, and when it changed.
    pub declarations: Staged,
    /// Declarations whose complete declaration (two-step) was filed in this batch: the parties
    /// and office their row was first written with may have changed.
    pub completed: BTreeSet<String>,
    /// The officer's queue rows and rollup differences.
    pub views: ViewRows,
}

impl DeclarationRows {
    pub async fn flush(&mut self, conn: &mut AnyConnection) -> Result<(), sqlx::Error> {
        let staged = std::mem::take(&mut self.declarations);
        let rows: Vec<Vec<Val>> = staged.values().map(|(d, at)| declaration_row(d, *at)).collect();
        DECLARATIONS.upsert(conn, rows, DECLARATION_CHANGES).await?;
        // A complete declaration may name other parties or another office than its summary did;
        // rare enough to update on its own rather than widen every upsert.
        for id in std::mem::take(&mut self.completed) {
            let Some((d, _)) = staged.get(&id) else { continue };
            let h = &d.content.head;
            sqlx::query("UPDATE declarations SET owner_code = $2, agent_code = $3, customs_master = $4 WHERE id = $1")
                .bind(id)
                .bind(h.owner_code.as_ref().map(|c| c.to_string()))
                .bind(h.agent_code.as_ref().map(|c| c.to_string()))
                .bind(h.customs_master.to_string())
                .execute(&mut *conn)
                .await?;
        }
        self.views.flush(conn).await
    }
}

/// A declaration's row, as last changed at `updated_ms`.
pub(crate) fn declaration_row(d: &Declaration, updated_ms: i64) -> Vec<Val> {
    let h = &d.content.head;
    vec![
        Val::T(d.id.clone()),
        Val::T(d.filed_by.to_string()),
        Val::T(h.trade_code.to_string()),
        Val::OT(h.owner_code.as_ref().map(|c| c.to_string())),
        Val::OT(h.agent_code.as_ref().map(|c| c.to_string())),
        Val::OT(d.terminal.as_ref().map(|c| c.to_string())),
        Val::T(d.status.as_str().into()),
        Val::T(d.lane().as_str().into()),
        Val::T(h.ie_flag.as_str().into()),
        Val::T(h.mode.as_str().into()),
        Val::T(h.customs_master.to_string()),
        Val::T(h.bill_no.clone()),
        Val::I(ms(d.filed_at)),
        Val::OI(d.arrived_at.map(ms)),
        Val::OI(d.release.as_ref().map(|r| ms(r.released_at))),
        Val::OT(d.completion_due.map(|x| x.to_string())),
        Val::OI(d.completed_at.map(ms)),
        Val::I(updated_ms),
        Val::T(serde_json::to_string(d).expect("declarations serialize")),
        Val::OT(h.priority.as_ref().map(|p| p.kind.as_str().to_owned())),
        Val::I(d.quarantine_goods().into()),
        Val::OI(
            d.release
                .as_ref()
                .filter(|r| r.kind == guomen_domain::inspection::ReleaseKind::PreReleaseOnCommitment)
                .map(|r| ms(r.released_at)),
        ),
        Val::OT(d.disposition.as_ref().map(|o| o.deadline.to_string())),
        Val::OI(d.disposition.as_ref().and_then(|o| o.done_at).map(ms)),
    ]
}
