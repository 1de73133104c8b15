//! 改变通道 — re-routing (ASYCUDA): an officer moves a declaration to another lane, with a
//! reason, before the goods are examined or released.
//!
//! ```text
//! awaiting-arrival (green/blue) ── to red/yellow ──► inspection-notified (a notice is issued)
//! inspection-notified (red/yellow) ── to yellow/red ──► inspection-notified (a new notice, new method)
//! in-position (red/yellow) ── to yellow/red ──► in-position (the goods are already there)
//! inspection-notified / in-position ── to green/blue ──► released if the goods arrived,
//!                                                        awaiting-arrival if not
//! ```
//! The risk decision itself is never changed (it stays replayable); the record keeps the
//! re-routings beside it and [`Declaration::lane`] answers with the last one.

use super::record::{automatic_kind, Declaration, Status};
use crate::error::{Refusal, Rule};
use crate::event::Event;
use crate::risk::Lane;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

/// One re-routing, as the record keeps it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reroute {
    pub from: Lane,
    pub to: Lane,
    pub reason: String,
    pub officer: String,
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
}

impl Declaration {
    /// 改变通道 — by an officer, with a reason, while the goods are neither examined nor released.
    pub fn reroute(&self, to: Lane, reason: &str, officer: &str, now: OffsetDateTime) -> Result<Vec<Event>, Refusal> {
        if !matches!(self.status, Status::AwaitingArrival | Status::InspectionNotified | Status::InPosition) {
            return Err(Refusal::invalid_state(
                format!(
                    "declaration {} is {}; only declarations not yet examined or released can be re-routed",
                    self.id,
                    self.status.as_str()
                ),
                format!("报关单 {} 当前状态为{}，只有尚未查验或放行的报关单可以改变通道", self.id, self.status.name_zh()),
            ));
        }
        let reason = reason.trim();
        let mut errors = Vec::new();
        if reason.is_empty() {
            errors.push(crate::FieldError::new("reason", Rule::Required, "a re-routing needs a reason", "改变通道须说明原因"));
        } else if reason.chars().count() > 500 {
            errors.push(crate::FieldError::new("reason", Rule::TooLong, "at most 500 characters", "最多 500 个字符"));
        }
        let from = self.lane();
        if to == from {
            errors.push(crate::FieldError::new(
                "lane",
                Rule::SameLane,
                format!("the declaration is already in the {} lane", from.as_str()),
                format!("报关单已在{}通道", lane_zh(from)),
            ));
        }
        if !to.needs_inspection() && self.sampling.as_ref().is_some_and(|s| s.pending()) {
            errors.push(crate::FieldError::new(
                "lane",
                Rule::SamplingPending,
                "laboratory sampling is ordered: the goods cannot go to a lane without a check",
                "已下达取样送检指令，不能改为免于查验的通道",
            ));
        }
        if !errors.is_empty() {
            return Err(Refusal::validation(errors));
        }
        let reroute = Reroute { from, to, reason: reason.to_owned(), officer: officer.to_owned(), at: now };
        let mut events = vec![Event::Rerouted { declaration_id: self.id.clone(), reroute }];
        let mut after = self.clone();
        after.apply(&events[0]);
        if to.needs_inspection() {
            if self.status != Status::InPosition {
                events.push(Event::InspectionNoticeIssued { notice: after.inspection_notice(&self.enterprise_name_or_code(), now) });
            }
        } else if after.arrived_at.is_some() {
            let notice = after.release_notice(
                &self.enterprise_name_or_code(),
                automatic_kind(to),
                now,
                Some(officer.to_owned()),
                Some(reason.to_owned()),
            );
            events.push(Event::Released { notice });
        }
        Ok(events)
    }

    fn enterprise_name_or_code(&self) -> String {
        let name = self.enterprise_name();
        if name.is_empty() {
            self.content.head.trade_code.to_string()
        } else {
            name
        }
    }

    /// Applies a re-routing; false for any other event.
    pub(super) fn apply_reroute(&mut self, e: &Event) -> bool {
        let Event::Rerouted { reroute, .. } = e else { return false };
        if !reroute.to.needs_inspection() && matches!(self.status, Status::InspectionNotified | Status::InPosition) {
            self.status = Status::AwaitingArrival;
        }
        self.reroutes.push(reroute.clone());
        true
    }
}

/// The lane's Chinese name.
pub fn lane_zh(l: Lane) -> &'static str {
    match l {
        Lane::Green => "绿色",
        Lane::Blue => "蓝色",
        Lane::Yellow => "黄色",
        Lane::Red => "红色",
    }
}
