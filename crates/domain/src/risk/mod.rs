//! Risk targeting (布控), as ASYCUDA's selectivity module defines it: criteria with lanes and
//! selection rates, a minimum random rate, credit-grade modifiers, and a replayable decision.

mod criterion;
mod engine;
mod rng;

pub use criterion::*;
pub use engine::{assess, decide, Decision, Hit, RandomDraw, Reason, Subject, SubjectItem};
pub use rng::Draws;

#[cfg(test)]
mod tests;
