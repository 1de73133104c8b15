//! Risk targeting (布控), as ASYCUDA's selectivity module defines it: criteria with lanes and
//! selection rates, a minimum random rate, credit-grade modifiers, and a replayable decision.

mod criterion;
mod engine;
pub mod index;
mod rng;
pub mod samples;

pub use criterion::*;
pub use engine::{assess, assess_linear, decide, Decision, Hit, RandomDraw, Reason, Subject, SubjectItem};
pub use index::CriteriaIndex;
pub use rng::Draws;

#[cfg(test)]
mod tests;
