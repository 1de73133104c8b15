//! 通关时效 — what one declaration contributes to the clearance figures (DOMAIN §4 row 29):
//! the WCO Time Release Study segments of its clearance, whether it was released "in a second"
//! (秒放), whether its checks found a non-conformity, and the time limits it had to meet.
//!
//! The segments follow the goods: arrival → declaration → decision → inspection → release.
//! Each stamp is clamped to be no earlier than the one before it, so an advance declaration
//! (filed before arrival) spends no time in "arrival → declaration", and the segments always add
//! up to the overall clearance time, release minus arrival. The decision is the risk decision
//! at filing, or the officer's last re-routing; the inspection stamp is when the result was
//! recorded (declarations without an inspection have none, and no time in that segment).

use crate::declaration::Declaration;
use crate::inspection::{Conclusion, Outcome, ReleaseKind};
use time::{Date, OffsetDateTime, UtcOffset};

/// China Standard Time: the customs day every office works by.
pub const CST: UtcOffset = match UtcOffset::from_hms(8, 0, 0) {
    Ok(o) => o,
    Err(_) => panic!("UTC+8 is a valid offset"),
};

/// The customs day (China Standard Time) of an instant.
pub fn cst_day(t: OffsetDateTime) -> Date {
    t.to_offset(CST).date()
}

/// Milliseconds spent in each Time Release Study segment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Segments {
    pub arrival_to_declaration: i64,
    pub declaration_to_decision: i64,
    pub decision_to_inspection: i64,
    pub inspection_to_release: i64,
}

impl Segments {
    /// Overall clearance time (整体通关时间): arrival to release.
    pub fn total(&self) -> i64 {
        self.arrival_to_declaration + self.declaration_to_decision + self.decision_to_inspection + self.inspection_to_release
    }
}

fn ms(t: OffsetDateTime) -> i64 {
    (t.unix_timestamp_nanos() / 1_000_000) as i64
}

/// When the lane in force was decided: at filing, or at the last re-routing.
pub fn decided_at(d: &Declaration) -> OffsetDateTime {
    d.reroutes.last().map_or(d.filed_at, |r| r.at)
}

/// The segments of a released declaration whose goods arrived; None before that.
pub fn segments(d: &Declaration) -> Option<Segments> {
    let arrived = ms(d.arrived_at?);
    let released = ms(d.release.as_ref()?.released_at);
    let declared = arrived.max(ms(d.filed_at));
    let decided = declared.max(ms(decided_at(d)));
    let inspected = match &d.result {
        Some(r) => decided.max(ms(r.recorded_at)),
        None => decided,
    };
    let released = inspected.max(released);
    Some(Segments {
        arrival_to_declaration: declared - arrived,
        declaration_to_decision: decided - declared,
        decision_to_inspection: inspected - decided,
        inspection_to_release: released - inspected,
    })
}

/// 秒放: released by the system, with no officer's hand, less than a second after it could
/// be — after both filing and arrival.
pub fn released_within_a_second(d: &Declaration) -> bool {
    match (&d.release, d.arrived_at) {
        (Some(r), Some(a)) => r.officer.is_none() && ms(r.released_at) - ms(a).max(ms(d.filed_at)) < 1000,
        _ => false,
    }
}

/// 预提离: released on a commitment before the laboratory result.
pub fn pre_released(d: &Declaration) -> bool {
    d.release.as_ref().is_some_and(|r| r.kind == ReleaseKind::PreReleaseOnCommitment)
}

/// Whether a check of this declaration found a non-conformity: an inspection result, a
/// laboratory conclusion or a destination result that was not satisfactory.
pub fn non_conforming(d: &Declaration) -> bool {
    d.result.as_ref().is_some_and(|r| r.outcome == Outcome::NotSatisfactory)
        || d.sampling.as_ref().is_some_and(|s| s.conclusion == Some(Conclusion::NotSatisfactory))
        || d.destination_result.as_ref().is_some_and(|r| r.outcome == Outcome::NotSatisfactory)
}

/// A statutory time limit the declaration is held to: the two-step complete declaration
/// (14 days after arrival) and the deadline of a disposition order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TimeLimit {
    pub due: Date,
    /// Met on or before the due date.
    pub met: bool,
}

/// The declaration's time limits, as they stand.
pub fn time_limits(d: &Declaration) -> Vec<TimeLimit> {
    let mut v = Vec::new();
    if let Some(due) = d.completion_due {
        v.push(TimeLimit { due, met: d.completed_at.is_some_and(|at| at.date() <= due) });
    }
    if let Some(o) = &d.disposition {
        v.push(TimeLimit { due: o.deadline, met: o.done_at.is_some_and(|at| at.date() <= o.deadline) });
    }
    v
}
