//! Inspection and quarantine (检验检疫): quarantine permits and their write-offs, sampling and
//! the laboratory.
//!
//! Each module owns one kind of record: its state, its own event enum (tagged `event` inside the
//! journal's `type`), and pure procedures that return events or a refusal. The declaration's
//! own quarantine steps (pre-release on commitment, disposition orders, two-stage access) live
//! with the declaration record; field monitoring, appointments and remote inspection are the
//! field family (`crate::field`).

pub mod lab;
pub mod permit;
pub mod sampling;
