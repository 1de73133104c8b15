//! Re-routing by an officer, and what a declaration contributes to the clearance figures.

use super::*;
use crate::clearance;

#[test]
fn green_awaiting_arrival_rerouted_to_red_gets_an_inspection_notice() {
    let (d, _) = filed(advance(), Lane::Green);
    assert_eq!(d.status, Status::AwaitingArrival);
    let ev = d.reroute(Lane::Red, "intelligence on this consignor", OFFICER, NOW).unwrap();
    assert_eq!(kinds(&ev), vec!["rerouted", "inspection_notice_issued"]);
    let d = then(&d, &ev);
    assert_eq!(d.lane(), Lane::Red);
    assert_eq!(d.decision.lane, Lane::Green, "the risk decision itself stays as decided");
    assert_eq!(d.status, Status::InspectionNotified);
    assert_eq!(d.notice.as_ref().unwrap().method, InspectionMethod::Physical);
    assert_eq!(d.reroutes.len(), 1);
    assert_eq!(d.reroutes[0].from, Lane::Green);
    assert_eq!(d.reroutes[0].reason, "intelligence on this consignor");
    assert_eq!(clearance::decided_at(&d), NOW);
}

#[test]
fn red_rerouted_to_yellow_gets_a_documentary_notice() {
    let (d, _) = filed(standard(), Lane::Red);
    let ev = d.reroute(Lane::Yellow, "documents suffice for this lot", OFFICER, NOW).unwrap();
    assert_eq!(kinds(&ev), vec!["rerouted", "inspection_notice_issued"]);
    let d = then(&d, &ev);
    assert_eq!(d.notice.as_ref().unwrap().method, InspectionMethod::Documentary);
    // A yellow-lane result needs no container in position.
    assert!(d.record_result(satisfactory()).is_ok());
}

#[test]
fn in_position_rerouted_between_checks_keeps_its_position() {
    let d = red_in_position();
    let ev = d.reroute(Lane::Yellow, "documentary check is enough", OFFICER, NOW).unwrap();
    assert_eq!(kinds(&ev), vec!["rerouted"]);
    let d = then(&d, &ev);
    assert_eq!(d.status, Status::InPosition);
    assert_eq!(d.lane(), Lane::Yellow);
}

#[test]
fn red_rerouted_to_green_is_released_when_the_goods_are_here() {
    let (d, _) = filed(standard(), Lane::Red);
    let ev = d.reroute(Lane::Green, "selection was an error", OFFICER, NOW).unwrap();
    assert_eq!(kinds(&ev), vec!["rerouted", "released"]);
    let d = then(&d, &ev);
    assert_eq!(d.status, Status::Released);
    let r = d.release.as_ref().unwrap();
    assert_eq!(r.kind, ReleaseKind::Automatic);
    assert_eq!(r.officer.as_deref(), Some(OFFICER));
    assert_eq!(r.note.as_deref(), Some("selection was an error"));
}

#[test]
fn red_rerouted_to_blue_before_arrival_waits_for_the_goods() {
    let (d, _) = filed(advance(), Lane::Red);
    let ev = d.reroute(Lane::Blue, "audit after release instead", OFFICER, NOW).unwrap();
    assert_eq!(kinds(&ev), vec!["rerouted"]);
    let d = then(&d, &ev);
    assert_eq!(d.status, Status::AwaitingArrival);
    let ev = d.arrive(datetime!(2025-03-12 06:00 UTC), "厦门鹭江进出口有限公司").unwrap();
    assert_eq!(kinds(&ev), vec!["goods_arrived", "released"]);
    assert_eq!(released_notice(&ev).kind, ReleaseKind::PostClearanceAudit);
}

#[test]
fn rerouting_is_refused_without_reason_to_the_same_lane_after_examination_or_with_sampling_pending() {
    let (d, _) = filed(standard(), Lane::Red);
    assert_field_refusal(d.reroute(Lane::Yellow, "  ", OFFICER, NOW), "reason", Rule::Required);
    assert_field_refusal(d.reroute(Lane::Red, "why not", OFFICER, NOW), "lane", Rule::SameLane);
    let d = red_inspected(satisfactory());
    assert_kind(d.reroute(Lane::Green, "too late", OFFICER, NOW), RefusalKind::InvalidState);

    let mut rules = rules_for(Lane::Red);
    rules.criteria[0].lab_sampling = true;
    let t = trader();
    let d = fold(&file(filing(standard(), &rules, &t, AGENT)).unwrap());
    assert_field_refusal(d.reroute(Lane::Green, "skip it", OFFICER, NOW), "lane", Rule::SamplingPending);
    assert!(d.reroute(Lane::Yellow, "documents first", OFFICER, NOW).is_ok(), "another checked lane is fine");
}

#[test]
fn a_rerouted_record_round_trips_through_json() {
    let (d, _) = filed(standard(), Lane::Red);
    let d = then(&d, &d.reroute(Lane::Yellow, "ok", OFFICER, NOW).unwrap());
    let back: Declaration = serde_json::from_value(serde_json::to_value(&d).unwrap()).unwrap();
    assert_eq!(back, d);
    // Records stored before re-routing existed read back with none.
    let mut v = serde_json::to_value(filed(standard(), Lane::Red).0).unwrap();
    v.as_object_mut().unwrap().remove("reroutes");
    let old: Declaration = serde_json::from_value(v).unwrap();
    assert!(old.reroutes.is_empty());
}

#[test]
fn segments_of_an_inspected_release_add_up_to_arrival_to_release() {
    // Arrived 2025-03-08 00:00 (the import date), filed 03-10 09:30, result 03-11 10:00, released 03-11 12:00.
    let d = red_inspected(satisfactory());
    let released_at = datetime!(2025-03-11 12:00 UTC);
    let d = then(&d, &d.release(OFFICER, None, released_at).unwrap());
    let s = clearance::segments(&d).expect("released");
    let h = 3_600_000;
    assert_eq!(s.arrival_to_declaration, 2 * 24 * h + 9 * h + h / 2);
    assert_eq!(s.declaration_to_decision, 0);
    assert_eq!(s.decision_to_inspection, 24 * h + h / 2);
    assert_eq!(s.inspection_to_release, 2 * h);
    assert_eq!(s.total(), (released_at - d.arrived_at.unwrap()).whole_milliseconds() as i64);
    assert!(!clearance::released_within_a_second(&d));
    assert!(!clearance::non_conforming(&d));
    // An officer's release is never "in a second", however quick.
    let (d, _) = filed(standard(), Lane::Red);
    let d = then(&d, &d.reroute(Lane::Green, "error", OFFICER, NOW).unwrap());
    assert_eq!(d.status, Status::Released);
    assert!(!clearance::released_within_a_second(&d));
}

#[test]
fn an_untargeted_advance_declaration_is_released_within_a_second_of_arrival() {
    let (d, _) = filed(advance(), Lane::Green);
    assert_eq!(clearance::segments(&d), None, "not released yet");
    let arrived = datetime!(2025-03-12 06:00 UTC);
    let d = then(&d, &d.arrive(arrived, "x").unwrap());
    let s = clearance::segments(&d).unwrap();
    assert_eq!(s, clearance::Segments::default(), "filed before arrival: no time in any segment");
    assert!(clearance::released_within_a_second(&d));
}

#[test]
fn non_conformity_and_time_limits() {
    let d = red_inspected(result(Outcome::NotSatisfactory, &["undeclared pests"]));
    assert!(clearance::non_conforming(&d));
    let (d, _) = filed(two_step(), Lane::Green);
    let limits = clearance::time_limits(&d);
    assert_eq!(limits, vec![clearance::TimeLimit { due: date!(2025 - 03 - 22), met: false }]);
    let d = then(&d, &d.complete(two_step(), datetime!(2025-03-20 08:00 UTC)).unwrap());
    assert!(clearance::time_limits(&d)[0].met);
    assert_eq!(clearance::cst_day(datetime!(2025-03-10 17:00 UTC)), date!(2025 - 03 - 11), "the customs day is China Standard Time");
}
