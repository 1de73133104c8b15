//! Inspection and quarantine (检验检疫): quarantine permits, sampling and the laboratory,
//! field monitoring of imported seed lots, appointments, and remote inspection evidence.
//!
//! Each module owns one kind of record: its state, its own event enum (tagged `event` inside the
//! journal's `type`), and pure procedures that return events or a refusal. The declaration's
//! own quarantine steps (pre-release on commitment, disposition orders, two-stage access) live
//! with the declaration record.

pub mod appointment;
pub mod evidence;
pub mod lab;
pub mod permit;
pub mod survey;
