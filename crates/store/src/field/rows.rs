//! The rows of field work: survey plans, appointment schedules, appointments and remote
//! inspections, each record's whole state as JSON in `doc` beside the columns lists read. Each
//! table is declared once with the function that builds its row; the handler and
//! `verify --views` (`replay/`) both use them.

use crate::kernel::{bind_row, ms, Table, Val};
use guomen_domain::field::appointment::{Appointment, Schedule};
use guomen_domain::field::evidence::RemoteInspection;
use guomen_domain::field::survey::SurveyPlan;
use sqlx::AnyConnection;

/// 田间监测计划 — one row per plan.
pub(crate) const SURVEY_PLANS: Table =
    Table { name: "survey_plans", columns: &["id", "declaration_id", "holder", "season", "status", "created_at_ms", "doc"], key: 1 };

pub(crate) fn plan_row(p: &SurveyPlan) -> Vec<Val> {
    vec![
        Val::T(p.id.clone()),
        Val::T(p.declaration_id.clone()),
        Val::T(p.holder.to_string()),
        Val::T(p.season.clone()),
        Val::T(p.status.as_str().into()),
        Val::I(ms(p.planned_at)),
        Val::T(serde_json::to_string(p).expect("plans serialize")),
    ]
}

/// 预约时段 — a site's capacity and hours for one kind of slot.
pub(crate) const SCHEDULES: Table = Table { name: "schedules", columns: &["site_code", "kind", "capacity", "hours"], key: 2 };

pub(crate) fn schedule_row(s: &Schedule) -> Vec<Val> {
    vec![
        Val::T(s.site_code.clone()),
        Val::T(s.kind.as_str().into()),
        Val::I(i64::from(s.capacity_per_hour)),
        Val::T(s.hours.as_str().to_string()),
    ]
}

/// 预约 — one row per appointment.
pub(crate) const APPOINTMENTS: Table =
    Table { name: "appointments", columns: &["id", "enterprise", "site_code", "kind", "start_ms", "status", "doc"], key: 1 };

pub(crate) fn appointment_row(a: &Appointment) -> Vec<Val> {
    vec![
        Val::T(a.id.clone()),
        Val::T(a.enterprise.to_string()),
        Val::T(a.site_code.clone()),
        Val::T(a.kind.as_str().into()),
        Val::I(ms(a.start)),
        Val::T(a.status.as_str().into()),
        Val::T(serde_json::to_string(a).expect("appointments serialize")),
    ]
}

/// 远程监管 — one row per remote inspection.
pub(crate) const REMOTE_INSPECTIONS: Table =
    Table { name: "remote_inspections", columns: &["id", "declaration_id", "enterprise", "status", "doc"], key: 1 };

pub(crate) fn remote_row(r: &RemoteInspection) -> Vec<Val> {
    vec![
        Val::T(r.id.clone()),
        Val::T(r.declaration_id.clone()),
        Val::T(r.enterprise.to_string()),
        Val::T(r.status.as_str().into()),
        Val::T(serde_json::to_string(r).expect("remote inspections serialize")),
    ]
}

/// Writes a record's row: inserted, or the columns named updated (the others never change once
/// a record exists).
pub(super) async fn upsert(conn: &mut AnyConnection, table: &Table, row: Vec<Val>, update: &[&str]) -> Result<(), sqlx::Error> {
    let sql = format!("{}{}", table.insert_sql(&[]), table.upsert_tail(update));
    bind_row(sqlx::query(&sql), row).execute(&mut *conn).await?;
    Ok(())
}
