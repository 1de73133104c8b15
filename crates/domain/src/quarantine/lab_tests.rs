use super::*;
use time::macros::datetime;

fn dec(s: &str) -> Decimal {
    s.parse().expect("test decimal")
}

const T0: OffsetDateTime = datetime!(2024-04-08 09:00 UTC);

fn at(minutes: i64) -> OffsetDateTime {
    T0 + time::Duration::minutes(minutes)
}

fn lab() -> CustomsCode {
    CustomsCode::parse("6200960001").unwrap()
}

const VEGETABLE_SEED: &str = "1209913000";

/// The seven analytes of vegetable seed: five pests, germination ≥ 85 %, purity ≥ 98 %.
fn vegetable_order() -> Vec<SampleEvent> {
    order(
        "S2024000001",
        "620120241000000123",
        lab(),
        specification_for(VEGETABLE_SEED),
        SamplingReason::Targeting { criterion: "SEED-120991-LAB".into() },
        "officer:pan",
        T0,
    )
    .unwrap()
}

/// A sample with fewer analytes, for tests that are about the life cycle, not the table.
fn small_order(analytes: Vec<AnalyteSpec>) -> Sample {
    let events = order(
        "S2",
        "D2",
        lab(),
        analytes,
        SamplingReason::Officer { officer: "officer:pan".into(), note: "seedlings with curled, scorched leaves in the field".into() },
        "officer:pan",
        T0,
    )
    .unwrap();
    Sample::from_events(&events).unwrap()
}

fn spec(code: &str) -> AnalyteSpec {
    specification_for(VEGETABLE_SEED).into_iter().find(|a| a.code == code).unwrap()
}

/// Two analytes: one pest (TOBRFV) and germination (≥ 85 %).
fn two() -> Sample {
    small_order(vec![spec("TOBRFV"), spec("GERMINATION")])
}

/// Applies a procedure's events to a copy of the sample, checking they belong to its stream.
fn step(s: &Sample, events: Result<Vec<SampleEvent>, Refusal>) -> Sample {
    let events = events.unwrap();
    let mut next = s.clone();
    for e in &events {
        assert_eq!(e.stream(), format!("sample:{}", s.id));
        next.apply(e);
    }
    next
}

fn received(s: Sample) -> Sample {
    let s = step(&s, s.take("SEAL-0042", "2 kg", "officer:pan", at(10)));
    step(&s, s.receive("lab:li", at(60)))
}

/// `two()` brought to to-be-verified by lab:li with conforming results.
fn to_be_verified() -> Sample {
    let s = received(two());
    let s = step(&s, s.enter_result("TOBRFV", None, Some(false), "lab:li", at(100)));
    step(&s, s.enter_result("GERMINATION", Some(dec("91")), None, "lab:li", at(110)))
}

/// A sample of `two()` in the given state.
fn in_state(status: SampleStatus) -> Sample {
    let s = two();
    let s = match status {
        SampleStatus::Ordered => s,
        SampleStatus::Cancelled => step(&s, s.cancel("officer:pan", "declaration withdrawn", at(5))),
        SampleStatus::Registered => step(&s, s.take("SEAL-0042", "2 kg", "officer:pan", at(10))),
        SampleStatus::Received => received(s),
        SampleStatus::ToBeVerified => to_be_verified(),
        SampleStatus::Verified => {
            let s = to_be_verified();
            step(&s, s.verify("lab:wang", at(120)))
        }
        SampleStatus::Published => {
            let s = in_state(SampleStatus::Verified);
            step(&s, s.publish("lab:wang", None, at(130)))
        }
        SampleStatus::Retracted => {
            let s = in_state(SampleStatus::Published);
            step(&s, s.retract("lab:wang", "wrong lot tested", at(140)))
        }
    };
    assert_eq!(s.status, status);
    s
}

// ---------------------------------------------------------------------------------------------

#[test]
fn happy_path_vegetable_seed() {
    let mut journal = vegetable_order();
    let s = Sample::from_events(&journal).unwrap();
    assert_eq!(s.status, SampleStatus::Ordered);
    assert_eq!(s.declaration_id(), "620120241000000123");
    assert_eq!(s.analytes.len(), 7);

    let mut run = |s: &Sample, r: Result<Vec<SampleEvent>, Refusal>| {
        let events = r.unwrap();
        journal.extend(events.iter().cloned());
        step(s, Ok(events))
    };

    let s = run(&s, s.take("GS-2024-0042", "2 kg", "officer:pan", at(10)));
    assert_eq!(s.status, SampleStatus::Registered);
    assert_eq!(s.taken.as_ref().unwrap().seal_no, "GS-2024-0042");
    assert_eq!(s.taken.as_ref().unwrap().quantity, "2 kg");

    let s = run(&s, s.receive("lab:li", at(60)));
    assert_eq!(s.status, SampleStatus::Received);
    assert_eq!(s.received.as_ref().unwrap().by, "lab:li");

    let mut s = s;
    let pests = ["TOBRFV", "PEPMV0", "CORBMI", "PSDMAC", "SQMV00"];
    for (i, code) in pests.iter().enumerate() {
        s = run(&s, s.enter_result(code, None, Some(false), "lab:li", at(100 + i as i64)));
        assert_eq!(s.status, SampleStatus::Received, "after {code}");
    }
    s = run(&s, s.enter_result("GERMINATION", Some(dec("92.5")), None, "lab:zhao", at(110)));
    assert_eq!(s.status, SampleStatus::Received);
    s = run(&s, s.enter_result("PURITY", Some(dec("99.1")), None, "lab:zhao", at(111)));
    assert_eq!(s.status, SampleStatus::ToBeVerified, "the last result completes the set");
    assert_eq!(s.results.len(), 7);
    assert!(s.results.iter().all(|r| r.conforms));
    assert_eq!(s.derived_conclusion(), Some(Conclusion::Satisfactory));
    assert_eq!(s.conclusion(), None, "nothing is published yet");

    let s = run(&s, s.verify("lab:wang", at(120)));
    assert_eq!(s.status, SampleStatus::Verified);
    assert_eq!(s.verified.as_ref().unwrap().by, "lab:wang");

    let s = run(&s, s.publish("lab:wang", None, at(130)));
    assert_eq!(s.status, SampleStatus::Published);
    let p = s.published.as_ref().unwrap();
    assert_eq!(p.conclusion, Conclusion::Satisfactory);
    assert_eq!(p.note, None);
    assert_eq!(p.at, at(130));
    assert_eq!(s.conclusion(), Some(Conclusion::Satisfactory));
    assert!(s.detections().is_empty());

    // The journal folds to the same record, and every event is on the sample's stream.
    assert_eq!(journal.len(), 1 + 1 + 1 + 7 + 1 + 1);
    assert_eq!(Sample::from_events(&journal).unwrap(), s);
    assert!(journal.iter().all(|e| e.stream() == "sample:S2024000001"));

    // Events survive the journal's JSON: tagged `event`, decimals as strings, RFC 3339 times.
    for e in &journal {
        let json = serde_json::to_value(e).unwrap();
        assert_eq!(json["event"], e.kind());
        let back: SampleEvent = serde_json::from_value(json).unwrap();
        assert_eq!(&back, e);
    }
    let germ = journal
        .iter()
        .find_map(|e| match e {
            SampleEvent::ResultEntered { result, .. } if result.analyte == "GERMINATION" => Some(serde_json::to_value(e).unwrap()),
            _ => None,
        })
        .unwrap();
    assert_eq!(germ["result"]["value"], "92.5");
    assert_eq!(germ["result"]["at"], "2024-04-08T10:50:00Z");
    let snapshot = serde_json::to_value(&s).unwrap();
    assert_eq!(snapshot["status"], "published");
    assert_eq!(snapshot["published"]["conclusion"], "satisfactory");
    assert_eq!(snapshot["reason"]["source"], "targeting");
    assert_eq!(snapshot["analytes"][5]["kind"]["type"], "range");
    assert_eq!(snapshot["analytes"][5]["kind"]["min"], "85");
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Proc {
    Take,
    Receive,
    EnterResult,
    Verify,
    Publish,
    Retract,
    Invalidate,
    Cancel,
}

fn run_proc(s: &Sample, p: Proc) -> Result<Vec<SampleEvent>, Refusal> {
    let now = at(500);
    match p {
        Proc::Take => s.take("SEAL-0099", "1 kg", "officer:pan", now),
        Proc::Receive => s.receive("lab:li", now),
        Proc::EnterResult => s.enter_result("TOBRFV", None, Some(false), "lab:li", now),
        Proc::Verify => s.verify("lab:wang", now),
        Proc::Publish => s.publish("lab:wang", None, now),
        Proc::Retract => s.retract("lab:wang", "reason", now),
        Proc::Invalidate => s.invalidate("lab:wang", "reason", now),
        Proc::Cancel => s.cancel("officer:pan", "reason", now),
    }
}

#[test]
fn every_procedure_from_every_state() {
    use Proc::*;
    use SampleStatus as S;
    // (procedure, the states it is allowed from, the state it leads to)
    let table: [(Proc, &[SampleStatus], SampleStatus); 8] = [
        (Take, &[S::Ordered], S::Registered),
        (Receive, &[S::Registered], S::Received),
        (EnterResult, &[S::Received], S::Received),
        (Verify, &[S::ToBeVerified], S::Verified),
        (Publish, &[S::Verified], S::Published),
        (Retract, &[S::Published], S::Retracted),
        (Invalidate, &[S::ToBeVerified, S::Verified], S::Received),
        (Cancel, &[S::Ordered], S::Cancelled),
    ];
    let mut allowed_count = 0;
    for (p, allowed, leads_to) in table {
        for state in SampleStatus::ALL {
            let s = in_state(state);
            let r = run_proc(&s, p);
            if allowed.contains(&state) {
                allowed_count += 1;
                let next = step(&s, r);
                assert_eq!(next.status, leads_to, "{p:?} from {state:?}");
            } else {
                let err = r.expect_err(&format!("{p:?} from {state:?} must be refused"));
                assert_eq!(err.kind, RefusalKind::InvalidState, "{p:?} from {state:?}");
                assert!(err.detail_en.contains(state.as_str()), "{p:?}: {}", err.detail_en);
                assert!(err.detail_zh.contains(state.name_zh()), "{p:?}: {}", err.detail_zh);
            }
        }
    }
    assert_eq!(allowed_count, 9);
}

#[test]
fn invalidate_from_received_needs_results() {
    let empty = in_state(SampleStatus::Received);
    let err = empty.invalidate("lab:wang", "contaminated", at(70)).unwrap_err();
    assert_eq!(err.kind, RefusalKind::InvalidState);
    assert!(err.detail_en.contains("no results"));

    let partial = step(&empty, empty.enter_result("TOBRFV", None, Some(true), "lab:li", at(80)));
    let after = step(&partial, partial.invalidate("lab:wang", "contaminated", at(90)));
    assert_eq!(after.status, SampleStatus::Received);
    assert!(after.results.is_empty());
}

#[test]
fn four_eyes() {
    let s = to_be_verified();
    let err = s.verify("lab:li", at(120)).unwrap_err();
    assert_eq!(err.kind, RefusalKind::Forbidden);
    assert_eq!(err.errors[0].rule, Rule::FourEyes);
    assert_eq!(err.errors[0].path, "by");
    assert!(err.detail_en.contains("lab:li"));

    // Anyone who entered even one of the results is excluded.
    let s = received(two());
    let s = step(&s, s.enter_result("TOBRFV", None, Some(false), "lab:li", at(100)));
    let s = step(&s, s.enter_result("GERMINATION", Some(dec("90")), None, "lab:zhao", at(101)));
    assert_eq!(s.verify("lab:li", at(120)).unwrap_err().errors[0].rule, Rule::FourEyes);
    assert_eq!(s.verify("lab:zhao", at(120)).unwrap_err().errors[0].rule, Rule::FourEyes);
    let v = step(&s, s.verify("lab:wang", at(120)));
    assert_eq!(v.status, SampleStatus::Verified);
    assert_eq!(v.verified.unwrap().by, "lab:wang");
}

#[test]
fn four_eyes_counts_the_current_results_only() {
    // lab:li's results are invalidated; lab:zhao re-tests; lab:li may verify the re-test.
    let s = to_be_verified();
    let s = step(&s, s.invalidate("lab:wang", "thermal cycler fault", at(115)));
    let s = step(&s, s.enter_result("TOBRFV", None, Some(false), "lab:zhao", at(200)));
    let s = step(&s, s.enter_result("GERMINATION", Some(dec("88")), None, "lab:zhao", at(201)));
    assert_eq!(s.status, SampleStatus::ToBeVerified);
    assert_eq!(s.verify("lab:zhao", at(210)).unwrap_err().kind, RefusalKind::Forbidden);
    assert_eq!(step(&s, s.verify("lab:li", at(210))).status, SampleStatus::Verified);
}

#[test]
fn analyte_not_ordered() {
    let s = received(two());
    let err = s.enter_result("ERWIAM", None, Some(false), "lab:li", at(100)).unwrap_err();
    assert_eq!(err.kind, RefusalKind::Validation);
    assert_eq!(err.errors.len(), 1);
    assert_eq!(err.errors[0].path, "analyte");
    assert_eq!(err.errors[0].rule, Rule::AnalyteNotOrdered);
    assert!(err.errors[0].en.contains("ERWIAM"));
}

/// (analyte, value, detected, expected rules — empty means accepted)
type EntryCase = (&'static str, Option<&'static str>, Option<bool>, &'static [Rule]);

#[test]
fn what_each_kind_of_analyte_needs() {
    let s = received(two());
    let cases: &[EntryCase] = &[
        ("GERMINATION", None, None, &[Rule::ValueRequired]),
        ("GERMINATION", None, Some(false), &[Rule::ValueRequired, Rule::DetectedNotApplicable]),
        ("GERMINATION", Some("90"), Some(true), &[Rule::DetectedNotApplicable]),
        ("GERMINATION", Some("90"), None, &[]),
        ("TOBRFV", None, None, &[Rule::DetectedRequired]),
        ("TOBRFV", Some("31.5"), None, &[Rule::DetectedRequired]),
        ("TOBRFV", None, Some(true), &[]),
        // A presence test may carry a value, e.g. the Ct of a positive RT-qPCR.
        ("TOBRFV", Some("24.8"), Some(true), &[]),
    ];
    for (code, value, detected, rules) in cases {
        let r = s.enter_result(code, value.map(dec), *detected, "lab:li", at(100));
        if rules.is_empty() {
            let events = r.unwrap_or_else(|e| panic!("{code} {value:?} {detected:?}: {e:?}"));
            let SampleEvent::ResultEntered { result, .. } = &events[0] else {
                panic!("expected a result");
            };
            assert_eq!(result.analyte, *code);
            assert_eq!(result.value, value.map(dec));
            assert_eq!(result.detected, *detected);
        } else {
            let err = r.unwrap_err();
            assert_eq!(err.kind, RefusalKind::Validation);
            let got: Vec<Rule> = err.errors.iter().map(|e| e.rule).collect();
            assert_eq!(&got, rules, "{code} {value:?} {detected:?}");
        }
    }
}

#[test]
fn conformity_per_result() {
    let s = received(small_order(vec![
        spec("TOBRFV"),
        spec("GERMINATION"),
        AnalyteSpec {
            code: "MOISTURE".into(),
            name_en: "moisture".into(),
            name_zh: "水分".into(),
            kind: AnalyteKind::Range { min: None, max: Some(dec("7.0")), unit: "%".into() },
            quarantine_pest: false,
        },
    ]));
    // (analyte, value, detected, conforms)
    let cases: &[(&str, Option<&str>, Option<bool>, bool)] = &[
        ("GERMINATION", Some("85"), None, true), // the minimum itself conforms
        ("GERMINATION", Some("84.9"), None, false),
        ("GERMINATION", Some("100"), None, true),
        ("MOISTURE", Some("7.0"), None, true),
        ("MOISTURE", Some("7.1"), None, false),
        ("TOBRFV", None, Some(false), true),
        ("TOBRFV", None, Some(true), false),
    ];
    for (code, value, detected, conforms) in cases {
        let events = s.enter_result(code, value.map(dec), *detected, "lab:li", at(100)).unwrap();
        let SampleEvent::ResultEntered { result, .. } = &events[0] else {
            panic!("expected a result");
        };
        assert_eq!(result.conforms, *conforms, "{code} {value:?} {detected:?}");
    }
}

#[test]
fn reentering_replaces_the_result() {
    let s = received(two());
    let s = step(&s, s.enter_result("GERMINATION", Some(dec("80")), None, "lab:li", at(100)));
    assert!(!s.result("GERMINATION").unwrap().conforms);
    let s = step(&s, s.enter_result("GERMINATION", Some(dec("90")), None, "lab:zhao", at(105)));
    assert_eq!(s.results.len(), 1);
    let r = s.result("GERMINATION").unwrap();
    assert_eq!(r.value, Some(dec("90")));
    assert!(r.conforms);
    assert_eq!(r.entered_by, "lab:zhao");
    assert_eq!(r.at, at(105));
    assert_eq!(s.status, SampleStatus::Received, "TOBRFV still has no result");
}

/// Brings `two()` to published with these results, entered by lab:li and verified by lab:wang.
fn publish_with(tobrfv_detected: bool, germination: &str) -> Sample {
    let s = received(two());
    let s = step(&s, s.enter_result("TOBRFV", None, Some(tobrfv_detected), "lab:li", at(100)));
    let s = step(&s, s.enter_result("GERMINATION", Some(dec(germination)), None, "lab:li", at(101)));
    let s = step(&s, s.verify("lab:wang", at(110)));
    step(&s, s.publish("lab:wang", None, at(120)))
}

#[test]
fn conclusion_is_derived() {
    // (TOBRFV detected, germination %, conclusion)
    let cases = [
        (false, "91", Conclusion::Satisfactory),
        (false, "84", Conclusion::NotSatisfactory), // one range below its minimum
        (true, "91", Conclusion::NotSatisfactory),  // one pest detected
        (true, "70", Conclusion::NotSatisfactory),
    ];
    for (detected, germination, expected) in cases {
        let s = publish_with(detected, germination);
        assert_eq!(s.published.as_ref().unwrap().conclusion, expected, "{detected} {germination}");
        assert_eq!(s.conclusion(), Some(expected));
    }
}

#[test]
fn not_interpretable_needs_a_note() {
    let s = in_state(SampleStatus::Verified);
    for blank in ["", "   "] {
        let err = s.publish("lab:wang", Some(blank.into()), at(130)).unwrap_err();
        assert_eq!(err.kind, RefusalKind::Validation);
        assert_eq!(err.errors[0].path, "note");
        assert_eq!(err.errors[0].rule, Rule::NoteRequired);
    }
    let p = step(&s, s.publish("lab:wang", Some(" sample degraded in transit ".into()), at(130)));
    let publication = p.published.unwrap();
    assert_eq!(publication.conclusion, Conclusion::NotInterpretable);
    assert_eq!(publication.note.as_deref(), Some("sample degraded in transit"));
    assert_eq!(publication.by, "lab:wang");
}

#[test]
fn retraction() {
    let s = in_state(SampleStatus::Published);
    assert_eq!(s.conclusion(), Some(Conclusion::Satisfactory));
    let err = s.retract("lab:wang", " ", at(140)).unwrap_err();
    assert_eq!(err.kind, RefusalKind::Validation);
    assert_eq!(err.errors[0].path, "reason");

    let r = step(&s, s.retract("lab:wang", "results of another lot", at(140)));
    assert_eq!(r.status, SampleStatus::Retracted);
    let w = r.retracted.as_ref().unwrap();
    assert_eq!(w.by, "lab:wang");
    assert_eq!(w.reason, "results of another lot");
    assert_eq!(w.at, at(140));
    // The publication stays on the record, but no longer counts.
    assert!(r.published.is_some());
    assert_eq!(r.conclusion(), None);
    assert_eq!(r.retract("lab:wang", "again", at(150)).unwrap_err().kind, RefusalKind::InvalidState);
}

#[test]
fn invalidation_clears_results_and_allows_reentry() {
    let s = in_state(SampleStatus::Verified);
    let err = s.invalidate("lab:wang", "", at(125)).unwrap_err();
    assert_eq!(err.errors[0].path, "reason");

    let s = step(&s, s.invalidate("lab:wang", "reference strain failed", at(125)));
    assert_eq!(s.status, SampleStatus::Received);
    assert!(s.results.is_empty());
    assert_eq!(s.verified, None, "the verification went with the results");
    assert_eq!(s.derived_conclusion(), None);
    assert_eq!(s.invalidations.len(), 1);
    assert_eq!(s.invalidations[0].reason, "reference strain failed");
    assert_eq!(s.invalidations[0].by, "lab:wang");

    let s = step(&s, s.enter_result("TOBRFV", None, Some(true), "lab:zhao", at(200)));
    let s = step(&s, s.enter_result("GERMINATION", Some(dec("90")), None, "lab:zhao", at(201)));
    assert_eq!(s.status, SampleStatus::ToBeVerified);
    assert_eq!(s.results.len(), 2);

    // A second round: invalidated from to-be-verified; the record keeps both.
    let s = step(&s, s.invalidate("lab:wang", "cross-contamination", at(210)));
    assert_eq!(s.invalidations.len(), 2);
    assert_eq!(s.invalidations[1].reason, "cross-contamination");
    assert!(s.results.is_empty());
}

#[test]
fn cancel_only_while_ordered() {
    let s = two();
    let err = s.cancel("officer:pan", "", at(5)).unwrap_err();
    assert_eq!(err.kind, RefusalKind::Validation);
    assert_eq!(err.errors[0].path, "reason");

    let c = step(&s, s.cancel("officer:pan", "declaration withdrawn", at(5)));
    assert_eq!(c.status, SampleStatus::Cancelled);
    let w = c.cancelled.as_ref().unwrap();
    assert_eq!((w.by.as_str(), w.reason.as_str()), ("officer:pan", "declaration withdrawn"));
    assert_eq!(c.take("SEAL-0042", "2 kg", "officer:pan", at(10)).unwrap_err().kind, RefusalKind::InvalidState);

    let registered = in_state(SampleStatus::Registered);
    let err = registered.cancel("officer:pan", "too late", at(20)).unwrap_err();
    assert_eq!(err.kind, RefusalKind::InvalidState);
    assert!(err.detail_en.contains("registered"));
}

#[test]
fn order_checks_its_fields() {
    let ok_reason = SamplingReason::Targeting { criterion: "C1".into() };
    let err = order("S9", "D9", lab(), vec![], ok_reason.clone(), "o", T0).unwrap_err();
    assert_eq!(err.errors[0].path, "analytes");
    assert_eq!(err.errors[0].rule, Rule::AnalytesRequired);

    let dup = vec![spec("TOBRFV"), spec("GERMINATION"), spec("TOBRFV")];
    let err = order("S9", "D9", lab(), dup, ok_reason.clone(), "o", T0).unwrap_err();
    assert_eq!(err.errors.len(), 1);
    assert_eq!(err.errors[0].path, "analytes[2].code");
    assert_eq!(err.errors[0].rule, Rule::AnalyteDuplicate);

    let mut inverted = spec("GERMINATION");
    inverted.kind = AnalyteKind::Range { min: Some(dec("90")), max: Some(dec("80")), unit: "%".into() };
    let mut unbounded = spec("PURITY");
    unbounded.kind = AnalyteKind::Range { min: None, max: None, unit: "%".into() };
    let err = order("S9", "D9", lab(), vec![inverted, unbounded], ok_reason, "o", T0).unwrap_err();
    let got: Vec<(&str, Rule)> = err.errors.iter().map(|e| (e.path.as_str(), e.rule)).collect();
    assert_eq!(got, [("analytes[0].kind", Rule::RangeInverted), ("analytes[1].kind", Rule::RangeUnbounded)]);

    let err = order(
        "S9",
        "D9",
        lab(),
        vec![spec("TOBRFV")],
        SamplingReason::Officer { officer: "officer:pan".into(), note: " ".into() },
        "officer:pan",
        T0,
    )
    .unwrap_err();
    assert_eq!(err.errors[0].path, "reason.note");

    let err = order("S9", "D9", lab(), vec![spec("TOBRFV")], SamplingReason::Targeting { criterion: "".into() }, "system", T0).unwrap_err();
    assert_eq!(err.errors[0].path, "reason.criterion");
}

#[test]
fn take_checks_seal_and_quantity() {
    let s = two();
    // (seal_no, quantity, expected rules)
    let cases: &[(&str, &str, &[Rule])] = &[
        ("SEAL-0042", "2 kg", &[]),
        ("AB12", "500 g", &[]),
        (" GS-2024-0042 ", "3 bags", &[]),
        ("ABCDEFGHIJKLMNOPQRSTUVWXYZ012345", "1kg", &[]), // 32 characters
        ("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456", "1 kg", &[Rule::SealNoFormat]), // 33
        ("AB1", "2 kg", &[Rule::SealNoFormat]),
        ("seal-0042", "2 kg", &[Rule::SealNoFormat]),
        ("SEAL 0042", "2 kg", &[Rule::SealNoFormat]),
        ("SEAL-0042", "", &[Rule::QuantityFormat]),
        ("SEAL-0042", "kg", &[Rule::QuantityFormat]),
        ("SEAL-0042", "0 kg", &[Rule::QuantityFormat]),
        ("SEAL-0042", "2", &[Rule::QuantityFormat]),
        ("", "", &[Rule::SealNoFormat, Rule::QuantityFormat]),
    ];
    for (seal, qty, rules) in cases {
        match s.take(seal, qty, "officer:pan", at(10)) {
            Ok(events) => {
                assert!(rules.is_empty(), "{seal:?} {qty:?} should be refused");
                let SampleEvent::Taken { taken, .. } = &events[0] else {
                    panic!("expected taken");
                };
                assert_eq!(taken.seal_no, seal.trim());
            }
            Err(err) => {
                let got: Vec<Rule> = err.errors.iter().map(|e| e.rule).collect();
                assert_eq!(&got, rules, "{seal:?} {qty:?}");
            }
        }
    }
}

#[test]
fn specification_table() {
    let codes = |code_ts: &str| -> Vec<String> { specification_for(code_ts).into_iter().map(|a| a.code).collect() };
    assert_eq!(codes("1209913000"), ["TOBRFV", "PEPMV0", "CORBMI", "PSDMAC", "SQMV00", "GERMINATION", "PURITY"]);
    // 120991 is more specific than 1209.
    assert_eq!(codes("1209999000"), ["AMBEL", "AMBTR", "SORHA", "GERMINATION"]);
    assert_eq!(codes("1209210000"), codes("1209999000"));
    assert_eq!(codes("0808100000"), ["CARPPO", "ERWIAM"]);
    assert_eq!(codes("0808301000"), ["CARPPO", "ERWIAM"]);
    assert_eq!(codes("0901111000"), ["LIVE-INSECTS"]);
    assert_eq!(codes(""), ["LIVE-INSECTS"]);

    let veg = specification_for("1209913000");
    let tobrfv = &veg[0];
    assert_eq!(tobrfv.name_zh, "番茄褐色皱果病毒");
    assert_eq!(tobrfv.kind, AnalyteKind::Presence);
    assert!(tobrfv.quarantine_pest);
    assert_eq!(veg[2].name_zh, "番茄细菌性溃疡病菌");
    assert_eq!(veg[3].name_zh, "西瓜细菌性果斑病菌");
    assert_eq!(veg[4].name_zh, "南瓜花叶病毒");
    assert_eq!(veg[5].kind, AnalyteKind::Range { min: Some(dec("85")), max: None, unit: "%".into() });
    assert!(!veg[5].quarantine_pest);
    assert_eq!(veg[6].kind, AnalyteKind::Range { min: Some(dec("98")), max: None, unit: "%".into() });
    let other = specification_for("1209100000");
    assert_eq!(other[0].name_zh, "豚草");
    assert!(other[0].quarantine_pest);
    let fruit = specification_for("0808");
    assert_eq!((fruit[0].name_zh.as_str(), fruit[1].name_zh.as_str()), ("苹果蠹蛾", "梨火疫病菌"));
    let fallback = specification_for("8471300000");
    assert_eq!(fallback[0].kind, AnalyteKind::Presence);
    assert!(!fallback[0].quarantine_pest);

    // Every table row can be ordered as it stands.
    for code_ts in ["1209913000", "1209999000", "0808100000", "0901111000"] {
        let analytes = specification_for(code_ts);
        let r = order("S", "D", lab(), analytes, SamplingReason::Targeting { criterion: "C".into() }, "system", T0);
        assert!(r.is_ok(), "{code_ts}");
    }
}

#[test]
fn detections_by_pest() {
    let s = received(small_order(vec![spec("TOBRFV"), spec("PEPMV0"), spec("PSDMAC"), spec("GERMINATION")]));
    let s = step(&s, s.enter_result("TOBRFV", Some(dec("22.1")), Some(true), "lab:li", at(100)));
    let s = step(&s, s.enter_result("PEPMV0", None, Some(false), "lab:li", at(101)));
    let s = step(&s, s.enter_result("PSDMAC", None, Some(true), "lab:li", at(102)));
    let s = step(&s, s.enter_result("GERMINATION", Some(dec("60")), None, "lab:li", at(103)));
    let found: Vec<&str> = s.detections().iter().map(|r| r.analyte.as_str()).collect();
    assert_eq!(found, ["TOBRFV", "PSDMAC"], "a failed germination is not a detection");
    assert_eq!(s.derived_conclusion(), Some(Conclusion::NotSatisfactory));
}

#[test]
fn statuses_and_conclusions_name_themselves() {
    for st in SampleStatus::ALL {
        assert_eq!(serde_json::to_value(st).unwrap(), serde_json::Value::String(st.as_str().into()));
        assert_eq!(SampleStatus::parse(st.as_str()), Some(st));
        assert!(!st.name_zh().is_empty());
    }
    let zh: HashSet<&str> = SampleStatus::ALL.iter().map(|s| s.name_zh()).collect();
    assert_eq!(zh.len(), SampleStatus::ALL.len());
    for c in [Conclusion::Satisfactory, Conclusion::NotSatisfactory, Conclusion::NotInterpretable] {
        assert_eq!(serde_json::to_value(c).unwrap(), serde_json::Value::String(c.as_str().into()));
    }
    assert_eq!(Conclusion::NotSatisfactory.name_zh(), "不合格");
}

#[test]
fn fold_ignores_other_samples_and_needs_an_order() {
    let s = in_state(SampleStatus::Registered);
    let mut other = s.clone();
    other.apply(&SampleEvent::Received { sample_id: "SOMEONE-ELSE".into(), by: "lab:li".into(), at: at(60) });
    assert_eq!(other, s);

    let received = SampleEvent::Received { sample_id: s.id.clone(), by: "lab:li".into(), at: at(60) };
    assert_eq!(Sample::from_events(&[received]), None);
    assert_eq!(Sample::from_events(&[]), None);
}

#[test]
fn summaries_speak_both_languages() {
    let s = in_state(SampleStatus::Verified);
    let events = s.publish("lab:wang", None, at(130)).unwrap();
    let (en, zh) = events[0].summary();
    assert_eq!(en, "laboratory conclusion published: satisfactory");
    assert_eq!(zh, "发布检测结论：合格");
    let (en, zh) = vegetable_order()[0].summary();
    assert_eq!(en, "sampling ordered: 7 analyte(s) for laboratory 6200960001");
    assert!(zh.contains("7 个检测项目"));
}
