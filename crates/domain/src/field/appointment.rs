//! 预约 — appointments for inspection (查验预约) and for clearance (预约通关), in particular
//! outside office hours: the "7×24" and "5+2" services of seed 000 ("‘7×24’预约通关和查验服务")
//! and seed 002.
//!
//! ```text
//! booked ─┬─ the enterprise cancels, before the slot starts ─► cancelled
//!         └─ the officer serves it ─────────────────────────► done
//! ```
//! Slots are whole hours. Each supervision site publishes a [`Schedule`] per kind of slot: how
//! many bookings an hour takes and the hours it serves. Service hours are judged in China
//! Standard Time (UTC+8) whatever the offset of the time given; times are stored in UTC.
//! Public holidays are not modelled: under [`ServiceHours::Office`] a holiday weekday counts as
//! a working day.

use crate::error::{FieldError, Refusal, RefusalKind, Rule};
use crate::types::CustomsCode;
use serde::{Deserialize, Serialize};
use time::macros::offset;
use time::{Duration, OffsetDateTime, UtcOffset, Weekday};

/// China Standard Time, in which service hours are read.
pub const CHINA_TIME: UtcOffset = offset!(+8);

/// A slot may be booked at most this many days ahead.
pub const BOOKING_HORIZON_DAYS: i64 = 60;

/// First local hour of the day served in office hours (09:00).
pub const OPENING_HOUR: u8 = 9;
/// Local hour at which the day's service ends (17:00): the last slot is 16:00–17:00.
pub const CLOSING_HOUR: u8 = 17;

/// 预约类型 — what the slot is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SlotKind {
    /// 查验预约 — the officer inspects the goods at the site.
    Inspection,
    /// 预约通关 — the declaration is handled (reviewed, released).
    Clearance,
}

impl SlotKind {
    pub const ALL: [SlotKind; 2] = [SlotKind::Inspection, SlotKind::Clearance];

    pub fn as_str(self) -> &'static str {
        match self {
            SlotKind::Inspection => "inspection",
            SlotKind::Clearance => "clearance",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        SlotKind::ALL.into_iter().find(|k| k.as_str() == s.trim())
    }

    pub fn name_zh(self) -> &'static str {
        match self {
            SlotKind::Inspection => "查验预约",
            SlotKind::Clearance => "预约通关",
        }
    }
}

/// 服务时间 — the hours a site serves a kind of slot.
///
/// Slots are whole hours. The hour `[h, h+1)` is inside the working day when
/// `OPENING_HOUR <= h < CLOSING_HOUR` local time, i.e. slots from 09:00 to 16:00 (the day ends
/// at 17:00). The published office hours are 08:30–17:30; a half-hour at either end does not
/// make a slot, so whole-hour slots sit inside them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ServiceHours {
    /// 正常办公时间 — Monday to Friday, working-day hours.
    Office,
    /// 5+2 — working-day hours every day of the week, weekends included.
    FivePlusTwo,
    /// 7×24 — every hour of every day.
    SevenByTwentyFour,
}

impl ServiceHours {
    pub const ALL: [ServiceHours; 3] = [ServiceHours::Office, ServiceHours::FivePlusTwo, ServiceHours::SevenByTwentyFour];

    pub fn as_str(self) -> &'static str {
        match self {
            ServiceHours::Office => "office",
            ServiceHours::FivePlusTwo => "five-plus-two",
            ServiceHours::SevenByTwentyFour => "seven-by-twenty-four",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        ServiceHours::ALL.into_iter().find(|h| h.as_str() == s.trim())
    }

    pub fn name_zh(self) -> &'static str {
        match self {
            ServiceHours::Office => "正常办公时间",
            ServiceHours::FivePlusTwo => "5+2",
            ServiceHours::SevenByTwentyFour => "7×24",
        }
    }

    /// Whether the hour slot containing `start` is served, reading the hour and weekday in
    /// China Standard Time.
    pub fn open_at(&self, start: OffsetDateTime) -> bool {
        let local = start.to_offset(CHINA_TIME);
        let working_hour = (OPENING_HOUR..CLOSING_HOUR).contains(&local.hour());
        match self {
            ServiceHours::Office => working_hour && !matches!(local.weekday(), Weekday::Saturday | Weekday::Sunday),
            ServiceHours::FivePlusTwo => working_hour,
            ServiceHours::SevenByTwentyFour => true,
        }
    }
}

/// Whether a slot lies outside office hours: such a booking is an out-of-hours appointment, the
/// service "5+2" and "7×24" exist for.
pub fn out_of_hours(start: OffsetDateTime) -> bool {
    !ServiceHours::Office.open_at(start)
}

/// 预约排班 — what one supervision site offers for one kind of slot.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Schedule {
    /// 监管场所代码 of the site.
    pub site_code: String,
    pub kind: SlotKind,
    /// Bookings one hour slot takes.
    pub capacity_per_hour: u32,
    pub hours: ServiceHours,
}

impl Schedule {
    /// Whether a slot of this schedule is outside office hours (see [`out_of_hours`]).
    pub fn out_of_hours(&self, start: OffsetDateTime) -> bool {
        out_of_hours(start)
    }
}

/// 预约状态
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum AppointmentStatus {
    /// 已预约
    Booked,
    /// 已取消
    Cancelled,
    /// 已办结
    Done,
}

impl AppointmentStatus {
    pub const ALL: [AppointmentStatus; 3] = [AppointmentStatus::Booked, AppointmentStatus::Cancelled, AppointmentStatus::Done];

    pub fn as_str(self) -> &'static str {
        match self {
            AppointmentStatus::Booked => "booked",
            AppointmentStatus::Cancelled => "cancelled",
            AppointmentStatus::Done => "done",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        AppointmentStatus::ALL.into_iter().find(|x| x.as_str() == s.trim())
    }

    pub fn name_zh(self) -> &'static str {
        match self {
            AppointmentStatus::Booked => "已预约",
            AppointmentStatus::Cancelled => "已取消",
            AppointmentStatus::Done => "已办结",
        }
    }
}

/// 取消 — who cancelled, why and when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cancellation {
    pub by: CustomsCode,
    pub reason: String,
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
}

/// 办结 — the officer who served the appointment, and when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Completion {
    pub by: String,
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
}

/// 预约单 — one booking, as folded from its events.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Appointment {
    pub id: String,
    /// The enterprise that booked; only it may cancel.
    pub enterprise: CustomsCode,
    pub site_code: String,
    pub kind: SlotKind,
    /// Start of the hour slot, in UTC.
    #[serde(with = "time::serde::rfc3339")]
    pub start: OffsetDateTime,
    /// The declaration to be inspected or cleared, when already filed.
    pub declaration_id: Option<String>,
    /// Why the appointment is needed (required out of office hours).
    pub reason: String,
    /// 优先 — to be served first within its hour (live animals, fresh goods, seeds for sowing);
    /// it does not add capacity.
    pub priority: bool,
    /// Booked outside office hours (a "5+2" or "7×24" service).
    pub out_of_hours: bool,
    pub status: AppointmentStatus,
    #[serde(with = "time::serde::rfc3339")]
    pub booked_at: OffsetDateTime,
    pub cancelled: Option<Cancellation>,
    pub completed: Option<Completion>,
}

/// Events of one appointment; journal stream `appointment:ID`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum AppointmentEvent {
    /// 预约 — a slot is booked.
    Booked { appointment: Appointment },
    /// 取消预约 — the booking enterprise cancels.
    Cancelled {
        appointment_id: String,
        by: CustomsCode,
        reason: String,
        #[serde(with = "time::serde::rfc3339")]
        at: OffsetDateTime,
    },
    /// 办结 — the officer has served the appointment.
    Completed {
        appointment_id: String,
        by: String,
        #[serde(with = "time::serde::rfc3339")]
        at: OffsetDateTime,
    },
}

impl AppointmentEvent {
    pub fn appointment_id(&self) -> &str {
        match self {
            AppointmentEvent::Booked { appointment } => &appointment.id,
            AppointmentEvent::Cancelled { appointment_id, .. } | AppointmentEvent::Completed { appointment_id, .. } => appointment_id,
        }
    }

    /// The journal stream this event belongs to.
    pub fn stream(&self) -> String {
        format!("appointment:{}", self.appointment_id())
    }
}

/// Longest reason kept.
const MAX_REASON: usize = 255;

/// 预约 — books an hour slot of `schedule`. `booked_in_slot` is the number of live bookings
/// the store counts for the same site, kind and hour.
///
/// The start must be a whole hour (`slot_start`), after `now` (`slot_past`), at most
/// [`BOOKING_HORIZON_DAYS`] ahead (`slot_too_far`) and served by the schedule's hours
/// (`slot_closed`); every failing rule is named on `start`. An out-of-hours booking needs a
/// reason. A full slot is a Conflict (`slot_full`).
#[allow(clippy::too_many_arguments)]
pub fn book(
    schedule: &Schedule,
    booked_in_slot: u32,
    id: &str,
    enterprise: &CustomsCode,
    start: OffsetDateTime,
    declaration_id: Option<&str>,
    reason: &str,
    priority: bool,
    now: OffsetDateTime,
) -> Result<Vec<AppointmentEvent>, Refusal> {
    let start = start.to_offset(UtcOffset::UTC);
    let local = start.to_offset(CHINA_TIME);
    let mut errors = Vec::new();
    if start.minute() != 0 || start.second() != 0 || start.nanosecond() != 0 {
        errors.push(FieldError::new(
            "start",
            Rule::SlotStart,
            format!("slots start on the hour, got {}", hm(local)),
            format!("预约时段须为整点开始，实际为 {}", hm(local)),
        ));
    }
    if start <= now {
        errors.push(FieldError::new("start", Rule::SlotPast, "the slot has already started", "该时段已开始或已过"));
    } else if start > now + Duration::days(BOOKING_HORIZON_DAYS) {
        errors.push(FieldError::new(
            "start",
            Rule::SlotTooFar,
            format!("slots may be booked at most {BOOKING_HORIZON_DAYS} days ahead"),
            format!("最多可预约 {BOOKING_HORIZON_DAYS} 天内的时段"),
        ));
    }
    if !schedule.hours.open_at(start) {
        errors.push(FieldError::new(
            "start",
            Rule::SlotClosed,
            format!(
                "site {} does not serve {} at {} {} China time (service hours: {})",
                schedule.site_code,
                schedule.kind.as_str(),
                local.weekday(),
                hm(local),
                schedule.hours.as_str()
            ),
            format!(
                "监管场所 {} 在北京时间{} {} 不提供{}服务（服务时间：{}）",
                schedule.site_code,
                weekday_zh(local.weekday()),
                hm(local),
                schedule.kind.name_zh(),
                schedule.hours.name_zh()
            ),
        ));
    }
    let outside = schedule.out_of_hours(start);
    let reason = reason.trim();
    if outside && reason.is_empty() {
        errors.push(FieldError::new(
            "reason",
            Rule::Required,
            "an appointment outside office hours needs a reason",
            "非正常办公时间预约须填写申请理由",
        ));
    } else if reason.chars().count() > MAX_REASON {
        errors.push(FieldError::new(
            "reason",
            Rule::TooLong,
            format!("at most {MAX_REASON} characters"),
            format!("最多 {MAX_REASON} 个字符"),
        ));
    }
    if !errors.is_empty() {
        return Err(Refusal::validation(errors));
    }
    if booked_in_slot >= schedule.capacity_per_hour {
        let n = schedule.capacity_per_hour;
        return Err(Refusal {
            kind: RefusalKind::Conflict,
            detail_en: format!("the {} slot at {} is full ({n} of {n} booked)", schedule.kind.as_str(), hm(local)),
            detail_zh: format!("{} 时段 {} 已约满（{n}/{n}）", schedule.kind.name_zh(), hm(local)),
            errors: vec![FieldError::new("start", Rule::SlotFull, "this hour is fully booked; choose another", "该时段已约满，请另选时段")],
        });
    }
    let appointment = Appointment {
        id: id.to_owned(),
        enterprise: enterprise.clone(),
        site_code: schedule.site_code.clone(),
        kind: schedule.kind,
        start,
        declaration_id: declaration_id.map(str::trim).filter(|d| !d.is_empty()).map(str::to_owned),
        reason: reason.to_owned(),
        priority,
        out_of_hours: outside,
        status: AppointmentStatus::Booked,
        booked_at: now,
        cancelled: None,
        completed: None,
    };
    Ok(vec![AppointmentEvent::Booked { appointment }])
}

/// `YYYY-MM-DD HH:MM` of a local time.
fn hm(t: OffsetDateTime) -> String {
    format!("{} {:02}:{:02}", t.date(), t.hour(), t.minute())
}

fn weekday_zh(d: Weekday) -> &'static str {
    match d {
        Weekday::Monday => "周一",
        Weekday::Tuesday => "周二",
        Weekday::Wednesday => "周三",
        Weekday::Thursday => "周四",
        Weekday::Friday => "周五",
        Weekday::Saturday => "周六",
        Weekday::Sunday => "周日",
    }
}

impl Appointment {
    /// Folds an appointment's events, the first of which must be its booking.
    pub fn from_events(events: &[AppointmentEvent]) -> Option<Appointment> {
        let mut it = events.iter();
        let Some(AppointmentEvent::Booked { appointment }) = it.next() else {
            return None;
        };
        let mut a = appointment.clone();
        for e in it {
            a.apply(e);
        }
        Some(a)
    }

    /// Applies one event of this appointment.
    pub fn apply(&mut self, e: &AppointmentEvent) {
        match e {
            AppointmentEvent::Booked { appointment } => *self = appointment.clone(),
            AppointmentEvent::Cancelled { by, reason, at, .. } => {
                self.status = AppointmentStatus::Cancelled;
                self.cancelled = Some(Cancellation { by: by.clone(), reason: reason.clone(), at: *at });
            }
            AppointmentEvent::Completed { by, at, .. } => {
                self.status = AppointmentStatus::Done;
                self.completed = Some(Completion { by: by.clone(), at: *at });
            }
        }
    }

    /// End of the hour slot.
    pub fn end(&self) -> OffsetDateTime {
        self.start + Duration::HOUR
    }

    fn wrong_state(&self, what_en: &str, what_zh: &str) -> Refusal {
        Refusal::invalid_state(
            format!("appointment {} is {}; cannot {what_en}", self.id, self.status.as_str()),
            format!("预约 {} 当前状态为{}，不能{what_zh}", self.id, self.status.name_zh()),
        )
    }

    /// 取消预约 — only by the enterprise that booked (any other gets NotFound: it may not know
    /// the appointment exists), only while booked and before the slot starts.
    pub fn cancel(&self, by: &CustomsCode, reason: &str, now: OffsetDateTime) -> Result<Vec<AppointmentEvent>, Refusal> {
        if by != &self.enterprise {
            return Err(Refusal::not_found("appointment", "预约"));
        }
        if self.status != AppointmentStatus::Booked {
            return Err(self.wrong_state("cancel", "取消"));
        }
        if now >= self.start {
            return Err(Refusal::invalid_state(
                format!("appointment {} started at {}; it can no longer be cancelled", self.id, hm(self.start.to_offset(CHINA_TIME))),
                format!("预约 {} 已于 {} 开始，不能再取消", self.id, hm(self.start.to_offset(CHINA_TIME))),
            ));
        }
        let reason = reason.trim();
        if reason.chars().count() > MAX_REASON {
            return Err(Refusal::field(
                "reason",
                Rule::TooLong,
                format!("at most {MAX_REASON} characters"),
                format!("最多 {MAX_REASON} 个字符"),
            ));
        }
        Ok(vec![AppointmentEvent::Cancelled { appointment_id: self.id.clone(), by: by.clone(), reason: reason.to_owned(), at: now }])
    }

    /// 办结 — the officer records the appointment as served.
    pub fn complete(&self, by: &str, now: OffsetDateTime) -> Result<Vec<AppointmentEvent>, Refusal> {
        if self.status != AppointmentStatus::Booked {
            return Err(self.wrong_state("complete", "办结"));
        }
        Ok(vec![AppointmentEvent::Completed { appointment_id: self.id.clone(), by: by.to_owned(), at: now }])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    /// Monday 2025-03-10, 09:30 China time.
    const NOW: OffsetDateTime = datetime!(2025-03-10 01:30 UTC);
    /// The seed company booking.
    const FIRM: &str = "6201960001";
    const OTHER_FIRM: &str = "6201960002";

    fn cc(s: &str) -> CustomsCode {
        CustomsCode::parse(s).unwrap()
    }

    fn schedule(hours: ServiceHours, capacity: u32) -> Schedule {
        Schedule { site_code: "LZ01".into(), kind: SlotKind::Inspection, capacity_per_hour: capacity, hours }
    }

    fn book_at(
        hours: ServiceHours,
        capacity: u32,
        booked: u32,
        start: OffsetDateTime,
        reason: &str,
    ) -> Result<Vec<AppointmentEvent>, Refusal> {
        book(&schedule(hours, capacity), booked, "YY0001", &cc(FIRM), start, Some("730120251000000001"), reason, true, NOW)
    }

    /// A booked inspection on Tuesday 10:00 China time.
    fn booked() -> Appointment {
        let ev = book_at(ServiceHours::Office, 3, 0, datetime!(2025-03-11 02:00 UTC), "").unwrap();
        Appointment::from_events(&ev).unwrap()
    }

    fn fold(a: &Appointment, events: &[AppointmentEvent]) -> Appointment {
        let mut a = a.clone();
        for e in events {
            a.apply(e);
        }
        a
    }

    #[derive(Debug)]
    enum Want {
        /// Booked, with this out-of-hours flag.
        Ok(bool),
        /// Refused with this kind and these rules.
        No(RefusalKind, &'static [Rule]),
    }

    #[test]
    fn booking_table() {
        use ServiceHours::*;
        use Want::*;
        const V: RefusalKind = RefusalKind::Validation;
        let cases: Vec<(&str, ServiceHours, u32, u32, OffsetDateTime, Want)> = vec![
            ("Tuesday 10:00 in office hours", Office, 3, 0, datetime!(2025-03-11 02:00 UTC), Ok(false)),
            ("first slot 09:00", Office, 3, 0, datetime!(2025-03-11 01:00 UTC), Ok(false)),
            ("last slot 16:00", Office, 3, 0, datetime!(2025-03-11 08:00 UTC), Ok(false)),
            ("08:00 local is before opening", Office, 3, 0, datetime!(2025-03-11 00:00 UTC), No(V, &[Rule::SlotClosed])),
            ("17:00 local is after closing", Office, 3, 0, datetime!(2025-03-11 09:00 UTC), No(V, &[Rule::SlotClosed])),
            ("20:00 local under Office", Office, 3, 0, datetime!(2025-03-11 12:00 UTC), No(V, &[Rule::SlotClosed])),
            ("Sunday 10:00 under Office", Office, 3, 0, datetime!(2025-03-16 02:00 UTC), No(V, &[Rule::SlotClosed])),
            // Sunday 17:00 UTC is Monday 01:00 in China: the local day and hour decide.
            ("Monday 01:00 local", Office, 3, 0, datetime!(2025-03-16 17:00 UTC), No(V, &[Rule::SlotClosed])),
            ("Monday 09:00 local, Sunday in UTC", Office, 3, 0, datetime!(2025-03-17 01:00 UTC), Ok(false)),
            ("this morning's 09:00 has started", Office, 3, 0, datetime!(2025-03-10 01:00 UTC), No(V, &[Rule::SlotPast])),
            ("a week ago", SevenByTwentyFour, 3, 0, datetime!(2025-03-03 01:00 UTC), No(V, &[Rule::SlotPast])),
            ("10:30 is not a whole hour", Office, 3, 0, datetime!(2025-03-11 02:30 UTC), No(V, &[Rule::SlotStart])),
            ("10:00:01 is not a whole hour", Office, 3, 0, datetime!(2025-03-11 02:00:01 UTC), No(V, &[Rule::SlotStart])),
            (
                "past, not whole, closed",
                Office,
                3,
                0,
                datetime!(2025-03-09 20:15 UTC),
                No(V, &[Rule::SlotStart, Rule::SlotPast, Rule::SlotClosed]),
            ),
            ("7×24 at 03:00 local", SevenByTwentyFour, 3, 0, datetime!(2025-03-11 19:00 UTC), Ok(true)),
            ("7×24 on Sunday 09:00", SevenByTwentyFour, 3, 0, datetime!(2025-03-16 01:00 UTC), Ok(true)),
            ("7×24 inside office hours", SevenByTwentyFour, 3, 0, datetime!(2025-03-11 02:00 UTC), Ok(false)),
            ("5+2 on Saturday 10:00", FivePlusTwo, 3, 0, datetime!(2025-03-15 02:00 UTC), Ok(true)),
            ("5+2 on Tuesday 10:00", FivePlusTwo, 3, 0, datetime!(2025-03-11 02:00 UTC), Ok(false)),
            ("5+2 at 20:00 local", FivePlusTwo, 3, 0, datetime!(2025-03-15 12:00 UTC), No(V, &[Rule::SlotClosed])),
            ("60 days ahead", Office, 3, 0, datetime!(2025-05-09 01:00 UTC), Ok(false)),
            ("beyond 60 days", Office, 3, 0, datetime!(2025-05-09 02:00 UTC), No(V, &[Rule::SlotTooFar])),
            ("last place", Office, 3, 2, datetime!(2025-03-11 02:00 UTC), Ok(false)),
            ("full", Office, 3, 3, datetime!(2025-03-11 02:00 UTC), No(RefusalKind::Conflict, &[Rule::SlotFull])),
            ("no capacity", SevenByTwentyFour, 0, 0, datetime!(2025-03-11 19:00 UTC), No(RefusalKind::Conflict, &[Rule::SlotFull])),
        ];
        for (name, hours, capacity, already, start, want) in cases {
            let got = book_at(hours, capacity, already, start, "鲜活种苗，需连夜查验 / live seedlings");
            match (got, want) {
                (Result::Ok(ev), Ok(flag)) => {
                    let a = Appointment::from_events(&ev).unwrap();
                    assert_eq!(a.out_of_hours, flag, "{name}");
                    assert_eq!(a.start, start, "{name}");
                    assert_eq!(a.status, AppointmentStatus::Booked, "{name}");
                }
                (Err(r), No(kind, want_rules)) => {
                    assert_eq!(r.kind, kind, "{name}");
                    let got: Vec<_> = r.errors.iter().map(|e| e.rule).collect();
                    assert_eq!(got, want_rules, "{name}");
                    assert!(r.errors.iter().all(|e| e.path == "start"), "{name}");
                }
                (got, want) => panic!("{name}: got {got:?}, wanted {want:?}"),
            }
        }
    }

    #[test]
    fn booking_records_the_appointment() {
        // Given in China time; stored in UTC.
        let start = datetime!(2025-03-15 10:00 +8);
        let ev = book(
            &Schedule { site_code: "LZ01".into(), kind: SlotKind::Clearance, capacity_per_hour: 2, hours: ServiceHours::FivePlusTwo },
            1,
            "YY0002",
            &cc(FIRM),
            start,
            Some("  "),
            "  周末种子到港，需预约通关  ",
            true,
            NOW,
        )
        .unwrap();
        assert_eq!(ev.len(), 1);
        assert_eq!(ev[0].stream(), "appointment:YY0002");
        let a = Appointment::from_events(&ev).unwrap();
        assert_eq!(
            a,
            Appointment {
                id: "YY0002".into(),
                enterprise: cc(FIRM),
                site_code: "LZ01".into(),
                kind: SlotKind::Clearance,
                start: datetime!(2025-03-15 02:00 UTC),
                declaration_id: None,
                reason: "周末种子到港，需预约通关".into(),
                priority: true,
                out_of_hours: true,
                status: AppointmentStatus::Booked,
                booked_at: NOW,
                cancelled: None,
                completed: None,
            }
        );
        assert_eq!(a.start.offset(), UtcOffset::UTC);
        assert_eq!(a.end(), datetime!(2025-03-15 03:00 UTC));
    }

    #[test]
    fn out_of_hours_booking_needs_a_reason() {
        let r = book_at(ServiceHours::SevenByTwentyFour, 3, 0, datetime!(2025-03-11 19:00 UTC), "  ").unwrap_err();
        assert_eq!(r.kind, RefusalKind::Validation);
        assert_eq!(r.errors.len(), 1);
        assert_eq!((r.errors[0].path.as_str(), r.errors[0].rule), ("reason", Rule::Required));
        // In office hours the reason may be left out.
        let a = booked();
        assert_eq!(a.reason, "");
        assert!(!a.out_of_hours);
        assert_eq!(a.declaration_id.as_deref(), Some("730120251000000001"));
    }

    #[test]
    fn service_hours_and_out_of_hours() {
        // Saturday 2025-03-15, local hours 08:00, 09:00, 16:00, 17:00, 23:00.
        let sat = |h: u8| datetime!(2025-03-15 00:00 +8).replace_hour(h).unwrap();
        let tue = |h: u8| datetime!(2025-03-11 00:00 +8).replace_hour(h).unwrap();
        for (t, office, five_two) in [
            (tue(8), false, false),
            (tue(9), true, true),
            (tue(16), true, true),
            (tue(17), false, false),
            (tue(23), false, false),
            (sat(8), false, false),
            (sat(9), false, true),
            (sat(16), false, true),
            (sat(17), false, false),
        ] {
            assert_eq!(ServiceHours::Office.open_at(t), office, "{t}");
            assert_eq!(ServiceHours::FivePlusTwo.open_at(t), five_two, "{t}");
            assert!(ServiceHours::SevenByTwentyFour.open_at(t), "{t}");
            assert_eq!(out_of_hours(t), !office, "{t}");
            assert_eq!(schedule(ServiceHours::SevenByTwentyFour, 1).out_of_hours(t), !office);
        }
        for h in ServiceHours::ALL {
            assert_eq!(ServiceHours::parse(h.as_str()), Some(h));
        }
        assert_eq!(ServiceHours::SevenByTwentyFour.name_zh(), "7×24");
        assert_eq!(serde_json::to_string(&ServiceHours::FivePlusTwo).unwrap(), r#""five-plus-two""#);
        for k in SlotKind::ALL {
            assert_eq!(SlotKind::parse(k.as_str()), Some(k));
        }
        for s in AppointmentStatus::ALL {
            assert_eq!(AppointmentStatus::parse(s.as_str()), Some(s));
            assert!(!s.name_zh().is_empty());
        }
    }

    #[test]
    fn cancel_by_the_booking_enterprise_before_the_slot() {
        let a = booked();
        let at = datetime!(2025-03-11 01:59:59 UTC);
        let ev = a.cancel(&cc(FIRM), " 货物延误 ", at).unwrap();
        assert_eq!(ev, vec![AppointmentEvent::Cancelled { appointment_id: "YY0001".into(), by: cc(FIRM), reason: "货物延误".into(), at }]);
        let a = fold(&a, &ev);
        assert_eq!(a.status, AppointmentStatus::Cancelled);
        assert_eq!(a.cancelled, Some(Cancellation { by: cc(FIRM), reason: "货物延误".into(), at }));
    }

    #[test]
    fn cancel_refusals() {
        let a = booked();
        let other = a.cancel(&cc(OTHER_FIRM), "", NOW).unwrap_err();
        assert_eq!(other.kind, RefusalKind::NotFound);

        for late in [datetime!(2025-03-11 02:00 UTC), datetime!(2025-03-11 05:00 UTC)] {
            let r = a.cancel(&cc(FIRM), "", late).unwrap_err();
            assert_eq!(r.kind, RefusalKind::InvalidState, "{late}");
            assert!(r.detail_zh.contains("不能再取消"), "{}", r.detail_zh);
        }

        let cancelled = fold(&a, &a.cancel(&cc(FIRM), "", NOW).unwrap());
        let twice = cancelled.cancel(&cc(FIRM), "", NOW).unwrap_err();
        assert_eq!(twice.kind, RefusalKind::InvalidState);
        assert!(twice.detail_en.contains("is cancelled"), "{}", twice.detail_en);
        // Another enterprise still learns nothing.
        assert_eq!(cancelled.cancel(&cc(OTHER_FIRM), "", NOW).unwrap_err().kind, RefusalKind::NotFound);
        let done = fold(&a, &a.complete("潘", NOW).unwrap());
        assert_eq!(done.cancel(&cc(FIRM), "", NOW).unwrap_err().kind, RefusalKind::InvalidState);
    }

    #[test]
    fn complete_and_its_refusals() {
        let a = booked();
        let at = datetime!(2025-03-11 02:40 UTC);
        let ev = a.complete("潘", at).unwrap();
        let done = fold(&a, &ev);
        assert_eq!(done.status, AppointmentStatus::Done);
        assert_eq!(done.completed, Some(Completion { by: "潘".into(), at }));
        let twice = done.complete("潘", at).unwrap_err();
        assert_eq!(twice.kind, RefusalKind::InvalidState);
        assert!(twice.detail_zh.contains("已办结"), "{}", twice.detail_zh);
        let cancelled = fold(&a, &a.cancel(&cc(FIRM), "", NOW).unwrap());
        assert_eq!(cancelled.complete("潘", at).unwrap_err().kind, RefusalKind::InvalidState);
    }

    #[test]
    fn events_serialize_under_the_event_tag_and_fold_back() {
        let a = booked();
        let mut events = book_at(ServiceHours::Office, 3, 0, datetime!(2025-03-11 02:00 UTC), "").unwrap();
        events.extend(a.cancel(&cc(FIRM), "改期", NOW).unwrap());
        let json = serde_json::to_value(&events).unwrap();
        assert_eq!(json[0]["event"], "booked");
        assert_eq!(json[0]["appointment"]["start"], "2025-03-11T02:00:00Z");
        assert_eq!(json[0]["appointment"]["kind"], "inspection");
        assert_eq!(json[0]["appointment"]["status"], "booked");
        assert_eq!(json[1]["event"], "cancelled");
        assert_eq!(json[1]["by"], FIRM);
        let back: Vec<AppointmentEvent> = serde_json::from_value(json).unwrap();
        assert_eq!(back, events);
        let folded = Appointment::from_events(&back).unwrap();
        assert_eq!(folded.status, AppointmentStatus::Cancelled);
        assert!(back.iter().all(|e| e.stream() == "appointment:YY0001"));
        assert_eq!(Appointment::from_events(&back[1..]), None);
        let done = a.complete("潘", NOW).unwrap();
        assert_eq!(serde_json::to_value(&done).unwrap()[0]["event"], "completed");
    }
}
