//! Guomen's webhook delivery: the outbox dispatcher.
//!
//! The store writes every outgoing notice to the outbox, and one `deliveries` row per matching
//! webhook subscription, in the same transaction as the event that caused it. The
//! [`Dispatcher`] sends those deliveries at least once, in per-record order, retrying failures
//! with exponential back-off. All delivery state is in the database, so nothing is lost when
//! the process stops: a restarted dispatcher carries on where the last one left off.
//!
//! Receivers check requests with [`signature::verify`] and de-duplicate on `Guomen-Event-Id`.
//!
//! Without the `tls` feature only `http://` webhook URLs can be reached; enable `tls`
//! (reqwest with rustls) for `https://` receivers.

mod dispatcher;
pub mod reach;
pub mod signature;

pub use dispatcher::{envelope, spawn, Dispatcher, PassReport, RetryPolicy};
pub use reach::Reach;
