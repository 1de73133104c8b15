//! The declaration's quarantine path: laboratory hold, pre-release on commitment, disposition
//! orders, two-stage access and priority handling.

use super::*;

/// Red lane with the laboratory flag, filed by the agent.
fn lab_red() -> Declaration {
    let mut rules = rules_for(Lane::Red);
    rules.criteria[0].lab_sampling = true;
    let t = trader();
    let events = file(filing(standard(), &rules, &t, AGENT)).expect("filing accepted");
    let d = fold(&events);
    assert_eq!(d.lane(), Lane::Red);
    d
}

/// Lab-flagged, container in position, sample taken, inspection satisfactory: held for the laboratory.
fn pending_laboratory() -> Declaration {
    let d = lab_red();
    let d = then(&d, &d.report_position(position(&d, BOX_A, TERMINAL)).unwrap());
    let d = then(&d, &d.take_sample("S1", NOW).unwrap());
    let d = then(&d, &d.record_result(result(Outcome::Satisfactory, &[])).unwrap());
    assert_eq!(d.status, Status::PendingLaboratory);
    d
}

fn commit(d: &Declaration) -> Declaration {
    let ev = d.submit_commitment(&cc(TRADER), "张明", "河西制种基地3号库", "0936-1234567", true, NOW).unwrap();
    assert_eq!(kinds(&ev), vec!["commitment_submitted"]);
    then(d, &ev)
}

#[test]
fn targeting_with_the_laboratory_flag_requires_sampling() {
    let d = lab_red();
    let s = d.sampling.as_ref().expect("sampling required");
    assert_eq!(s.source, SamplingSource::Targeting { criteria: vec!["APPLES".into()] });
    assert!(s.pending() && s.sample_id.is_none());
    assert_kind(d.order_sampling(OFFICER, "again", NOW), RefusalKind::Conflict);
}

#[test]
fn held_for_the_laboratory_cannot_be_released_but_can_be_pre_released_on_commitment() {
    let d = pending_laboratory();
    let e = assert_kind(d.release(OFFICER, None, NOW), RefusalKind::InvalidState);
    assert!(e.detail_en.contains("laboratory"), "{}", e.detail_en);

    // Only a trader named on the declaration may commit, and must accept the promise.
    assert_kind(d.submit_commitment(&cc(STRANGER), "x", "y", "z", true, NOW), RefusalKind::NotFound);
    assert_field_refusal(d.submit_commitment(&cc(TRADER), "张明", "库", "123", false, NOW), "promise_accepted", Rule::PromiseRequired);
    assert_field_refusal(d.submit_commitment(&cc(TRADER), "  ", "库", "123", true, NOW), "signed_by", Rule::Required);

    let d = commit(&d);
    assert_kind(d.submit_commitment(&cc(TRADER), "张明", "库", "123", true, NOW), RefusalKind::Conflict);
    let ev = d.accept_commitment(OFFICER, NOW).unwrap();
    assert_eq!(kinds(&ev), vec!["commitment_accepted", "released"]);
    let d = then(&d, &ev);
    assert_eq!(d.status, Status::PreReleased);
    assert_eq!(d.release.as_ref().unwrap().kind, ReleaseKind::PreReleaseOnCommitment);
    assert_eq!(d.commitment.as_ref().unwrap().accepted_by.as_deref(), Some(OFFICER));
    assert_kind(d.accept_commitment(OFFICER, NOW), RefusalKind::InvalidState);

    // A satisfactory laboratory result clears the goods.
    assert_kind(d.laboratory_concluded("S-OTHER", Conclusion::Satisfactory, NOW), RefusalKind::InvalidState);
    let d = then(&d, &d.laboratory_concluded("S1", Conclusion::Satisfactory, NOW).unwrap());
    assert_eq!(d.status, Status::Released);
    assert!(!d.sampling.as_ref().unwrap().pending());
}

#[test]
fn a_refused_commitment_can_be_submitted_again() {
    let d = commit(&pending_laboratory());
    assert_field_refusal(d.reject_commitment(OFFICER, " ", NOW), "reason", Rule::Required);
    let d = then(&d, &d.reject_commitment(OFFICER, "存放地点不符合隔离要求", NOW).unwrap());
    assert!(d.commitment.is_none());
    assert_eq!(d.status, Status::PendingLaboratory);
    let d = commit(&d);
    assert!(d.commitment.is_some());
}

#[test]
fn satisfactory_result_without_commitment_lets_the_officer_release() {
    let d = pending_laboratory();
    let d = then(&d, &d.laboratory_concluded("S1", Conclusion::Satisfactory, NOW).unwrap());
    assert_eq!(d.status, Status::Inspected);
    let d = then(&d, &d.release(OFFICER, None, NOW).unwrap());
    assert_eq!(d.status, Status::Released);
    assert_eq!(d.release.as_ref().unwrap().kind, ReleaseKind::AfterInspection);
}

#[test]
fn not_interpretable_result_calls_for_a_second_sample() {
    let d = pending_laboratory();
    assert_kind(d.take_sample("S2", NOW), RefusalKind::InvalidState);
    let d = then(&d, &d.laboratory_concluded("S1", Conclusion::NotInterpretable, NOW).unwrap());
    assert_eq!(d.status, Status::PendingLaboratory);
    assert!(d.sampling.as_ref().unwrap().pending());
    let d = then(&d, &d.take_sample("S2", NOW).unwrap());
    assert_eq!(d.sampling.as_ref().unwrap().sample_id.as_deref(), Some("S2"));
    assert_eq!(d.sampling.as_ref().unwrap().conclusion, None);
}

#[test]
fn failing_result_after_pre_release_orders_a_disposition_tracked_to_closure() {
    let d = commit(&pending_laboratory());
    let d = then(&d, &d.accept_commitment(OFFICER, NOW).unwrap());
    let d = then(&d, &d.laboratory_concluded("S1", Conclusion::NotSatisfactory, NOW).unwrap());
    assert_eq!(d.status, Status::DispositionRequired);
    assert_kind(d.complete_disposition(OFFICER, "done", NOW), RefusalKind::InvalidState);
    assert_field_refusal(
        d.order_disposition(OFFICER, DispositionKind::Return, "退运", TODAY - Duration::days(1), TODAY, NOW),
        "deadline",
        Rule::DeadlinePast,
    );
    assert_field_refusal(d.order_disposition(OFFICER, DispositionKind::Return, " ", TODAY, TODAY, NOW), "instructions", Rule::Required);
    let deadline = TODAY + Duration::days(10);
    let d = then(&d, &d.order_disposition(OFFICER, DispositionKind::Return, "原种退运至荷兰", deadline, TODAY, NOW).unwrap());
    assert_eq!(d.status, Status::UnderDisposition);
    assert!(!d.disposition_overdue(deadline));
    assert!(d.disposition_overdue(deadline + Duration::days(1)));
    assert_field_refusal(d.complete_disposition(OFFICER, "", NOW), "note", Rule::Required);
    let d = then(&d, &d.complete_disposition(OFFICER, "已退运，提单 MAEU99887766", NOW).unwrap());
    assert_eq!(d.status, Status::Disposed);
    assert!(!d.disposition_overdue(deadline + Duration::days(30)));
    assert_kind(d.order_disposition(OFFICER, DispositionKind::Destruction, "x", TODAY, TODAY, NOW), RefusalKind::InvalidState);
}

#[test]
fn officer_orders_sampling_of_goods_under_inspection() {
    let (d, _) = filed(standard(), Lane::Yellow);
    assert!(d.sampling.is_none());
    assert_kind(d.take_sample("S9", NOW), RefusalKind::InvalidState);
    assert_field_refusal(d.order_sampling(OFFICER, "", NOW), "note", Rule::Required);
    let d = then(&d, &d.order_sampling(OFFICER, "疑似携带检疫性有害生物", NOW).unwrap());
    assert!(matches!(d.sampling.as_ref().unwrap().source, SamplingSource::Officer { .. }));
    let d = then(&d, &d.take_sample("S9", NOW).unwrap());
    let d = then(&d, &d.record_result(result(Outcome::Satisfactory, &[])).unwrap());
    assert_eq!(d.status, Status::PendingLaboratory);
    let (released, _) = filed(standard(), Lane::Green);
    assert_kind(released.order_sampling(OFFICER, "late", NOW), RefusalKind::InvalidState);
}

#[test]
fn two_stage_access_ends_qualified_or_in_disposition() {
    let (d, _) = filed(standard(), Lane::Yellow);
    let d = then(&d, &d.record_result(result(Outcome::Satisfactory, &[])).unwrap());
    let d = then(&d, &d.release_stage(OFFICER, None, true, NOW).unwrap());
    assert_eq!(d.status, Status::PermittedToEnter);
    assert!(d.release.as_ref().unwrap().permitted_to_enter_only);
    assert_field_refusal(d.record_destination_result(result(Outcome::NotSatisfactory, &[])), "findings", Rule::FindingsRequired);
    let ok = then(&d, &d.record_destination_result(result(Outcome::Satisfactory, &[])).unwrap());
    assert_eq!(ok.status, Status::QualifiedForMarket);
    let bad = then(&d, &d.record_destination_result(result(Outcome::NotSatisfactory, &["标签不符"])).unwrap());
    assert_eq!(bad.status, Status::DispositionRequired);
    assert_kind(ok.record_destination_result(result(Outcome::Satisfactory, &[])), RefusalKind::InvalidState);
}

#[test]
fn priority_handling_needs_a_known_kind_and_a_reason() {
    let mut d = valid_draft();
    d.head.priority = s("seeds-in-season");
    d.head.priority_reason = s("春播在即，原种需尽快下地");
    let c = check(&d).expect("valid");
    assert_eq!(c.head.priority, Some(Priority { kind: PriorityKind::SeedsInSeason, reason: "春播在即，原种需尽快下地".into() }));
    d.head.priority_reason = None;
    assert_eq!(paths_rules(&check(&d).unwrap_err()), vec![("head.priority_reason".to_owned(), Rule::Required)]);
    d.head.priority = s("vip");
    d.head.priority_reason = s("x");
    assert_eq!(paths_rules(&check(&d).unwrap_err()), vec![("head.priority".to_owned(), Rule::PriorityKind)]);
}

#[test]
fn the_laboratory_flag_tells_the_inspectors_to_take_samples() {
    let d = lab_red();
    let hints: Vec<&str> = d.notice.as_ref().unwrap().hints.iter().map(|h| h.en.as_str()).collect();
    assert!(hints[0].contains("samples"), "{hints:?}");
    assert!(d.notice.as_ref().unwrap().lab_sampling);
}
