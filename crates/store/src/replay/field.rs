//! Field work rebuilt from its streams: survey plans, appointments and remote inspections, each
//! a row with its record as JSON, and appointment schedules (the last one set for a site and
//! kind of slot is in force).

use super::compare::{compare, record, Check, Fetch};
use super::{fold_rows, Entry, Run};
use crate::field::{appointment_row, plan_row, remote_row, schedule_row, APPOINTMENTS, REMOTE_INSPECTIONS, SCHEDULES, SURVEY_PLANS};
use guomen_domain::field::appointment::Appointment;
use guomen_domain::field::evidence::RemoteInspection;
use guomen_domain::field::survey::SurveyPlan;
use guomen_domain::Event;
use sqlx::AnyConnection;
use std::collections::BTreeMap;

static PLANS_CHECK: Check = Check {
    table: &SURVEY_PLANS,
    docs: &[("doc", record::<SurveyPlan>)],
    amounts: &[],
    keep: None,
    strays: Some(
        "SELECT CAST(id AS TEXT) FROM survey_plans t WHERE NOT EXISTS (SELECT 1 FROM journal j WHERE j.stream = 'survey:' || t.id)",
    ),
};

static SCHEDULES_CHECK: Check = Check {
    table: &SCHEDULES,
    docs: &[],
    amounts: &[],
    keep: None,
    strays: Some(
        "SELECT CAST(site_code AS TEXT), CAST(kind AS TEXT) FROM schedules t \
         WHERE NOT EXISTS (SELECT 1 FROM journal j WHERE j.stream = 'schedule:' || t.site_code || ':' || t.kind)",
    ),
};

static APPOINTMENTS_CHECK: Check = Check {
    table: &APPOINTMENTS,
    docs: &[("doc", record::<Appointment>)],
    amounts: &[],
    keep: None,
    strays: Some(
        "SELECT CAST(id AS TEXT) FROM appointments t WHERE NOT EXISTS (SELECT 1 FROM journal j WHERE j.stream = 'appointment:' || t.id)",
    ),
};

static REMOTE_CHECK: Check = Check {
    table: &REMOTE_INSPECTIONS,
    docs: &[("doc", record::<RemoteInspection>)],
    amounts: &[],
    keep: None,
    strays: Some(
        "SELECT CAST(id AS TEXT) FROM remote_inspections t WHERE NOT EXISTS (SELECT 1 FROM journal j WHERE j.stream = 'remote:' || t.id)",
    ),
};

pub(super) static CHECKS: &[&Check] = &[&PLANS_CHECK, &SCHEDULES_CHECK, &APPOINTMENTS_CHECK, &REMOTE_CHECK];

/// One page of the streams of one kind: `survey`, `appointment`, `remote` or `schedule`.
pub(super) async fn check(
    conn: &mut AnyConnection,
    run: &mut Run,
    kind: &str,
    streams: BTreeMap<String, Vec<Entry>>,
) -> Result<(), sqlx::Error> {
    let (check, (ids, derived)) = match kind {
        "survey" => (
            &PLANS_CHECK,
            fold_rows(
                run,
                SURVEY_PLANS.name,
                streams,
                |e| if let Event::Survey(e) = e { Some(e) } else { None },
                SurveyPlan::from_events,
                plan_row,
            ),
        ),
        "appointment" => (
            &APPOINTMENTS_CHECK,
            fold_rows(
                run,
                APPOINTMENTS.name,
                streams,
                |e| if let Event::Appointment(e) = e { Some(e) } else { None },
                Appointment::from_events,
                appointment_row,
            ),
        ),
        "remote" => (
            &REMOTE_CHECK,
            fold_rows(
                run,
                REMOTE_INSPECTIONS.name,
                streams,
                |e| if let Event::Remote(e) = e { Some(e) } else { None },
                RemoteInspection::from_events,
                remote_row,
            ),
        ),
        _ => {
            // schedule:SITE:KIND — the last one set is in force.
            let names: Vec<String> = streams.keys().map(|s| super::name_in(s).to_owned()).collect();
            let mut rows = Vec::new();
            for entries in streams.into_values() {
                let last = entries
                    .into_iter()
                    .filter_map(|e| if let Event::ScheduleSet { schedule } = e.event { Some(schedule) } else { None })
                    .next_back();
                rows.extend(last.as_ref().map(schedule_row));
            }
            let by = Fetch::In { column: "site_code || ':' || kind", values: &names, also: "" };
            return compare(conn, run, &SCHEDULES_CHECK, rows, by).await;
        }
    };
    compare(conn, run, check, derived, Fetch::In { column: "id", values: &ids, also: "" }).await
}
