//! The declaration rows of one group commit: the latest state of every declaration it touched
//! (one upsert each, with the whole record as JSON in `doc`) and the console views' differences.

use super::views::ViewRows;
use super::Staged;
use crate::kernel::{insert, ms, Val};
use guomen_domain::declaration::Declaration;
use sqlx::AnyConnection;

#[derive(Default)]
pub struct DeclarationRows {
    /// Latest state of every declaration this batch touched, and when it changed.
    pub declarations: Staged,
    /// The officer's queue rows and rollup differences.
    pub views: ViewRows,
}

impl DeclarationRows {
    pub async fn flush(&mut self, conn: &mut AnyConnection) -> Result<(), sqlx::Error> {
        let decl_rows: Vec<Vec<Val>> = std::mem::take(&mut self.declarations).values().map(|(d, at)| declaration_row(d, *at)).collect();
        insert(
            conn,
            "INSERT INTO declarations (id, filed_by, trade_code, owner_code, agent_code, terminal, status, lane, ie_flag, mode, customs_master, bill_no, filed_at_ms, arrived_at_ms, released_at_ms, completion_due, completed_at_ms, updated_at_ms, doc, priority, quarantine, pre_released_at_ms, disposition_deadline, disposition_done_at_ms) VALUES ",
            24,
            decl_rows,
            " ON CONFLICT (id) DO UPDATE SET status = excluded.status, lane = excluded.lane, terminal = excluded.terminal, arrived_at_ms = excluded.arrived_at_ms, released_at_ms = excluded.released_at_ms, completion_due = excluded.completion_due, completed_at_ms = excluded.completed_at_ms, updated_at_ms = excluded.updated_at_ms, doc = excluded.doc, priority = excluded.priority, quarantine = excluded.quarantine, pre_released_at_ms = excluded.pre_released_at_ms, disposition_deadline = excluded.disposition_deadline, disposition_done_at_ms = excluded.disposition_done_at_ms",
        )
        .await?;
        self.views.flush(conn).await
    }
}

fn declaration_row(d: &Declaration, updated_ms: i64) -> Vec<Val> {
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
