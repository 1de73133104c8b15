//! How records look on the wire, and to whom.
//!
//! Targeting is for customs: a trader who could read the criteria that hit, their rates, the
//! random draw or the seed could route around them. Officers, risk analysts and administrators
//! see the full risk decision; everyone else (traders, terminals, laboratories) sees the lane
//! and the status only.

use crate::auth::Caller;
use guomen_domain::ceb::InventoryRecord;
use guomen_domain::declaration::Declaration;
use guomen_domain::quarantine::lab::Sample;
use guomen_store::TimelineEntry;
use serde_json::{json, Value};

/// What a caller may see of a record's targeting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sight {
    /// Officers, risk analysts, administrators: the risk explanation too.
    Customs,
    /// Traders, terminals, laboratories: lane and status only.
    Party,
}

impl Sight {
    pub fn of(caller: &Caller) -> Sight {
        if caller.is_customs() {
            Sight::Customs
        } else {
            Sight::Party
        }
    }
}

/// A declaration as the API returns it: the record, its lane up front, the overdue flag computed
/// for today and, for customs, the criteria that hit.
pub fn declaration(d: &Declaration, today: time::Date, timeline: Option<Vec<TimelineEntry>>, sight: Sight) -> Value {
    let mut v = serde_json::to_value(d).expect("declarations serialize");
    let obj = v.as_object_mut().expect("a declaration is an object");
    obj.insert("lane".into(), json!(d.lane()));
    match sight {
        Sight::Customs => {
            obj.insert("hits".into(), json!(d.decision.hits));
        }
        Sight::Party => {
            obj.remove("decision");
            // A laboratory order from targeting names the criteria that asked for it.
            if let Some(source) = obj.get_mut("sampling").and_then(|s| s.get_mut("source")).and_then(Value::as_object_mut) {
                source.remove("criteria");
            }
        }
    }
    obj.insert("overdue".into(), json!(d.completion_overdue(today)));
    if let Some(t) = timeline {
        obj.insert("timeline".into(), json!(t));
    }
    v
}

/// An inventory list's record as the API returns it; an enterprise sees the lane of the
/// decision, not the decision, and not the identity guard's figures of a held list.
pub fn inventory(r: &InventoryRecord, sight: Sight) -> Value {
    let mut v = serde_json::to_value(r).expect("inventory records serialize");
    let obj = v.as_object_mut().expect("records are objects");
    if let Some(a) = &r.acceptance {
        obj.insert("lane".into(), json!(a.decision.lane));
    }
    if sight == Sight::Party {
        obj.remove("suspicion");
        if let Some(acceptance) = obj.get_mut("acceptance").and_then(Value::as_object_mut) {
            acceptance.remove("decision");
        }
    }
    v
}

/// A laboratory sample as the API returns it: the laboratory is told that targeting asked for
/// it (or which officer did, and why), not which criterion.
pub fn sample(s: &Sample, sight: Sight) -> Value {
    let mut v = serde_json::to_value(s).expect("samples serialize");
    if sight == Sight::Party {
        if let Some(reason) = v.get_mut("reason").and_then(Value::as_object_mut) {
            reason.remove("criterion");
        }
    }
    v
}

/// Member names that carry targeting (criteria hit, rates, draws, seeds, random selection,
/// the identity guard's thresholds) and must never reach a trader, a terminal or a laboratory.
pub const TARGETING_MEMBERS: &[&str] = &[
    "hits",
    "decision",
    "draw",
    "seed",
    "random",
    "rate_bp",
    "effective_rate_bp",
    "grade_factor",
    "suspicion",
    "max_addresses",
    "max_phones",
    "window_days",
    "criteria",
    "criterion",
    "threshold",
    "thresholds",
];

/// The first member anywhere in `v` whose name carries targeting, with its path.
pub fn targeting_member(v: &Value) -> Option<String> {
    fn walk(v: &Value, path: &str) -> Option<String> {
        match v {
            Value::Object(m) => m.iter().find_map(|(k, x)| {
                let here = format!("{path}/{k}");
                let lower = k.to_ascii_lowercase();
                let bad = TARGETING_MEMBERS.contains(&lower.as_str())
                    || lower.contains("rate") && !lower.ends_with("_percent")
                    || lower.contains("draw")
                    || lower.contains("seed")
                    || lower.contains("random")
                    || lower.contains("threshold")
                    || lower.contains("criteri");
                if bad {
                    Some(here)
                } else {
                    walk(x, &here)
                }
            }),
            Value::Array(a) => a.iter().enumerate().find_map(|(i, x)| walk(x, &format!("{path}/{i}"))),
            _ => None,
        }
    }
    walk(v, "")
}

#[cfg(test)]
mod tests {
    /// Tidy: every record the API answers with goes through this module with the caller's
    /// sight, and no other file names the targeting members on the wire.
    #[test]
    fn every_record_answer_is_shaped_by_the_callers_sight() {
        let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut files = Vec::new();
        let mut dirs = vec![src.clone()];
        while let Some(d) = dirs.pop() {
            for e in std::fs::read_dir(&d).unwrap() {
                let p = e.unwrap().path();
                if p.is_dir() {
                    dirs.push(p);
                } else if p.extension().is_some_and(|x| x == "rs") {
                    files.push(p);
                }
            }
        }
        assert!(files.len() > 10, "the scan found the sources");
        let mut calls = 0;
        for f in files {
            let name = f.strip_prefix(&src).unwrap().to_string_lossy().into_owned();
            // The rule set and its hit counts are answered to risk analysts and officers only.
            if name == "view.rs" || name == "openapi.rs" || name == "routes/rules.rs" {
                continue;
            }
            let text = std::fs::read_to_string(&f).unwrap();
            for needle in ["view::declaration(", "view::inventory(", "view::sample("] {
                for (at, _) in text.match_indices(needle) {
                    calls += 1;
                    let call: String = text[at..].chars().take(200).collect();
                    let call = call.split(";\n").next().unwrap_or("");
                    assert!(call.contains("Sight::of("), "{name}: a record answered without the caller's sight: {call}");
                }
            }
            for member in ["\"hits\"", "\"decision\"", "\"suspicion\"", "\"seed\"", "\"draw\"", "\"criteria\"", "\"criterion\""] {
                assert!(!text.contains(member), "{name} puts {member} on the wire outside view.rs");
            }
            assert!(
                !text.contains("to_value(r)")
                    && !text.contains("to_value(d)")
                    && !text.contains("to_value(&record")
                    && !text.contains("\"sample\": sample")
                    && !text.contains("\"sample\": *sample")
                    && !text.contains("\"samples\": s.store"),
                "{name} serializes a record itself"
            );
        }
        assert!(calls >= 6, "found {calls} record answers");
    }
}
