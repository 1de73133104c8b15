//! How records look on the wire.

use guomen_domain::declaration::Declaration;
use guomen_store::TimelineEntry;
use serde_json::{json, Value};

/// A declaration as the API returns it: the record, its lane and hits up front, and the
/// overdue flag computed for today.
pub fn declaration(d: &Declaration, today: time::Date, timeline: Option<Vec<TimelineEntry>>) -> Value {
    let mut v = serde_json::to_value(d).expect("declarations serialize");
    let obj = v.as_object_mut().expect("a declaration is an object");
    obj.insert("lane".into(), json!(d.lane()));
    obj.insert("hits".into(), json!(d.decision.hits));
    obj.insert("overdue".into(), json!(d.completion_overdue(today)));
    if let Some(t) = timeline {
        obj.insert("timeline".into(), json!(t));
    }
    v
}
