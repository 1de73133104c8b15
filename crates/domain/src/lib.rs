//! Guomen's customs procedures as pure code.
//!
//! Nothing here does I/O, reads a clock or draws randomness: a procedure takes the record's
//! state, a command and the facts it needs (the time, a random seed, the rule set) and returns
//! events or a typed [`error::Refusal`]. The store applies the events; the web edge translates
//! wire formats into the drafts and commands defined here.

pub mod ceb;
pub mod clearance;
pub mod declaration;
pub mod document;
pub mod error;
pub mod event;
pub mod field;
pub mod inspection;
pub mod journal;
#[cfg(test)]
mod journal_tests;
pub mod mandate;
pub mod notice;
pub mod origin;
pub mod party;
pub mod phyto;
pub mod quarantine;
pub mod risk;
pub mod signin;
pub mod signing;
pub mod token;
pub mod transparency;
pub mod types;

pub use error::{FieldError, Refusal, RefusalKind, Rule};
pub use event::Event;
