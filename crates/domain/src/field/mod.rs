//! Field work (现场): monitoring of imported seed lots in the field, appointments for
//! inspection and clearance outside office hours, and remote inspection with its evidence.
//!
//! Each module owns one kind of record: its state, its own event enum (tagged `event` inside the
//! journal's `type`), pure procedures that return events or a refusal, and the notices those
//! events send.

pub mod appointment;
pub mod evidence;
pub mod notice;
pub mod survey;
