use super::record::{apply, number};
use super::*;
use crate::document::{self, DocumentError};
use crate::error::{RefusalKind, Rule};
use crate::party::{Actor, Role};
use crate::signing::{KeyPair, Owner, PublicKey, PublicKeySet};
use crate::types::CustomsCode;
use time::macros::datetime;
use time::OffsetDateTime;

const NOW: OffsetDateTime = datetime!(2026-03-02 09:30 UTC);

fn exporter() -> CustomsCode {
    CustomsCode::parse("3101960001").unwrap()
}

fn declarant() -> Actor {
    Actor { id: "user:chen".into(), role: Some(Role::Declarant), enterprise: Some(exporter()) }
}

fn officer() -> Actor {
    Actor { id: "user:wang.li".into(), role: Some(Role::Officer), enterprise: None }
}

fn key(office: &str) -> KeyPair {
    KeyPair::from_seed(Owner::parse(office).unwrap(), &[9; 32])
}

fn facts<'a>(number: &'a str, now: OffsetDateTime) -> Facts<'a> {
    Facts { number, officer: "user:wang.li", now, declaration: None, samples: &[], original: None, replaces: None }
}

fn applied(draft: &PhytoDraft) -> PhytoCertificate {
    let app = parse(draft).unwrap();
    let n = number(&app, 2026, 1);
    PhytoCertificate::from_events(&apply(&n, &exporter(), "上海丰禾种业有限公司", app, &declarant(), NOW).unwrap()).unwrap()
}

fn errors(d: &PhytoDraft) -> Vec<(String, Rule)> {
    parse(d).unwrap_err().errors.into_iter().map(|e| (e.path, e.rule)).collect()
}

#[test]
fn the_sample_applications_read() {
    let a = parse(&samples::export_draft("2201")).unwrap();
    assert_eq!((a.kind, a.import_country.as_str(), a.lines.len()), (PhytoKind::Export, "JP", 1));
    assert_eq!(a.lines[0].hs.as_str(), "1006100000");
    let r = parse(&samples::reexport_draft("2201", "NL-2026-0042")).unwrap();
    assert_eq!(r.original.as_ref().map(|o| (o.number.as_str(), o.country.as_str())), Some(("NL-2026-0042", "NL")));
    // Alpha-3 is read as alpha-2; runs of white space become one space.
    let mut d = samples::export_draft("2201");
    d.import_country = Some("JPN".into());
    d.consignee.name = Some("  Tokyo\n   Shubyo  K.K. ".into());
    let a = parse(&d).unwrap();
    assert_eq!((a.import_country.as_str(), a.consignee.name.as_str()), ("JP", "Tokyo Shubyo K.K."));
    assert_eq!(parse(&PhytoDraft::of(&a)).unwrap(), a, "an application's draft reads back the same");
}

#[test]
fn each_broken_field_is_named_with_its_rule() {
    type Edit = fn(&mut PhytoDraft);
    let cases: &[(Edit, &str, Rule)] = &[
        (|d| d.office = None, "office", Rule::Required),
        (|d| d.office = Some("22".into()), "office", Rule::OfficeFormat),
        (|d| d.kind = Some("transit".into()), "kind", Rule::Enumeration),
        (|d| d.consignee.name = Some("  ".into()), "consignee.name", Rule::Required),
        (|d| d.import_country = Some("CN".into()), "import_country", Rule::PhytoImportCountry),
        (|d| d.import_country = Some("XX".into()), "import_country", Rule::CountryUnknown),
        (|d| d.transport_mode = Some("9".into()), "transport_mode", Rule::Enumeration),
        (|d| d.loading_port_code = Some("SHA".into()), "loading_port_code", Rule::CodeFormat),
        (|d| d.containers[0].id = Some("CSQU3054384".into()), "containers[0].id", Rule::ContainerNumber),
        (|d| d.lines[0].hs = Some("8471300000".into()), "lines[0].hs", Rule::PhytoHsScope),
        (|d| d.lines[0].hs = Some("9999990000".into()), "lines[0].hs", Rule::HsUnknown),
        (|d| d.lines[0].scientific_name = Some("rice".into()), "lines[0].scientific_name", Rule::PhytoScientificName),
        (|d| d.lines[0].scientific_name = None, "lines[0].scientific_name", Rule::Required),
        (|d| d.lines[0].net_weight = None, "lines[0].net_weight", Rule::Required),
        (|d| d.lines[0].net_weight = Some("-1".into()), "lines[0].net_weight", Rule::NumberRange),
        (|d| d.lines[0].gross_weight = Some("100".into()), "lines[0].gross_weight", Rule::NetOverGross),
        (|d| d.lines[0].package_kind = None, "lines[0].package_kind", Rule::Required),
        (|d| d.lines[0].origin_country = Some("ZZ".into()), "lines[0].origin_country", Rule::CountryUnknown),
        (|d| d.lines[0].treatments[0].date = Some("20.02.2026".into()), "lines[0].treatments[0].date", Rule::DateFormat),
        (|d| d.lines.clear(), "lines", Rule::Required),
        (|d| d.kind = Some("re-export".into()), "original", Rule::PhytoOriginal),
        (
            |d| d.original = Some(draft::OriginalDraft { number: Some("X1".into()), country: Some("NL".into()) }),
            "original",
            Rule::PhytoOriginal,
        ),
    ];
    for (edit, path, rule) in cases {
        let mut d = samples::export_draft("2201");
        edit(&mut d);
        let got = errors(&d);
        assert!(got.contains(&(path.to_string(), *rule)), "{path} {rule}: got {got:?}");
    }
    // Several at once, all reported.
    let mut d = samples::export_draft("2201");
    d.office = None;
    d.lines[0].hs = None;
    d.consignor.address = None;
    assert_eq!(errors(&d).len(), 3);
}

#[test]
fn an_officer_issues_a_signed_certificate_anyone_can_verify() {
    let c = applied(&samples::export_draft("2201"));
    assert_eq!((c.number.as_str(), c.status), ("P202622010000001", PhytoStatus::Applied));
    // Only an officer issues; the exporter cannot.
    let k = key("2201");
    assert_eq!(c.issue(&facts(&c.number, NOW), &k, &declarant()).unwrap_err().kind, RefusalKind::Forbidden);
    let later = NOW + time::Duration::hours(2);
    let mut c2 = c.clone();
    for e in c.issue(&facts(&c.number, later), &k, &officer()).unwrap() {
        c2.apply(&e);
    }
    let c = c2;
    assert_eq!((c.status, c.issued_at), (PhytoStatus::Issued, Some(later)));
    let doc = c.document.as_ref().unwrap();
    assert_eq!((doc.number.as_str(), doc.issued.as_str(), doc.export_country.as_str()), ("P202622010000001", "2026-03-02T11:30:00Z", "CN"));
    assert_eq!(doc.notes_of(subject::ADDITIONAL_DECLARATION), ["The seeds were produced in an area free from Tilletia barclayana."]);
    assert_eq!(doc.notes_of(subject::MARKS), ["FH-JP-2026-07"]);
    assert_eq!(doc.lines[0].hs(), Some("1006100000"));
    assert_eq!(doc.lines[0].treatments[0].start.as_deref(), Some("2026-02-20"));
    let clause = &doc.authentication.as_ref().unwrap().clauses[0];
    assert!(clause.content[0].text.starts_with("This is to certify"));
    // Verified with the public key alone.
    let keys = PublicKeySet { keys: vec![PublicKey::of(&k, "2026-01-01T00:00:00Z".into(), None)] };
    let signed = c.signed().unwrap();
    assert_eq!(document::verify(&keys, &signed, Some("2201")).unwrap().key_id, k.key_id());
    let mut altered = signed.clone();
    altered.content["lines"][0]["scientific_name"] = "Oryza glaberrima".into();
    assert!(matches!(document::verify(&keys, &altered, None), Err(DocumentError::Signature(_))));
    // Issued once.
    assert_eq!(c.issue(&facts(&c.number, later), &k, &officer()).unwrap_err().kind, RefusalKind::InvalidState);
}

#[test]
fn replacement_takes_a_new_number_and_marks_the_old() {
    let k = key("2201");
    let mut c = applied(&samples::export_draft("2201"));
    for e in c.clone().issue(&facts(&c.number, NOW), &k, &officer()).unwrap() {
        c.apply(&e);
    }
    let mut corrected = samples::export_draft("2201");
    corrected.consignee.name = Some("Tokyo Shubyo Co., Ltd.".into());
    let app = parse(&corrected).unwrap();
    let later = NOW + time::Duration::days(1);
    // A reason is required.
    let e = c.replace(app.clone(), " ", "P202622010000002", &facts("P202622010000002", later), &k, &officer()).unwrap_err();
    assert_eq!(e.errors[0].rule, Rule::Required);
    let (old, new) =
        c.replace(app, "consignee's name corrected", "P202622010000002", &facts("P202622010000002", later), &k, &officer()).unwrap();
    for e in &old {
        c.apply(e);
    }
    assert_eq!((c.status, c.replaced_by.as_deref()), (PhytoStatus::Replaced, Some("P202622010000002")));
    let n = PhytoCertificate::from_events(&new).unwrap();
    assert_eq!((n.status, n.replaces.as_deref()), (PhytoStatus::Issued, Some("P202622010000001")));
    let doc = n.document.as_ref().unwrap();
    assert_eq!(doc.replaces(), Some("P202622010000001"));
    assert_eq!(doc.notes_of(subject::REPLACEMENT_REASON), ["consignee's name corrected"]);
    assert_eq!(doc.consignee.name, "Tokyo Shubyo Co., Ltd.");
    // A replaced certificate is neither replaced nor withdrawn again.
    assert_eq!(c.withdraw("x", &officer(), later).unwrap_err().kind, RefusalKind::InvalidState);
    // Another office or kind is not a replacement.
    let mut n2 = n.clone();
    n2.status = PhytoStatus::Issued;
    let other = parse(&samples::export_draft("4201")).unwrap();
    let e = n2.replace(other, "x", "P202642010000001", &facts("P202642010000001", later), &key("4201"), &officer()).unwrap_err();
    assert_eq!(e.errors[0].rule, Rule::PhytoReplacementChanged);
}

#[test]
fn withdrawal_and_refusal() {
    let k = key("2201");
    let mut c = applied(&samples::export_draft("2201"));
    let refused = c.refuse("the consignment was not presented for inspection", &officer(), NOW).unwrap();
    let mut r = c.clone();
    r.apply(&refused[0]);
    assert_eq!(r.status, PhytoStatus::Refused);
    assert_eq!(c.withdraw("x", &officer(), NOW).unwrap_err().kind, RefusalKind::InvalidState);
    for e in c.clone().issue(&facts(&c.number, NOW), &k, &officer()).unwrap() {
        c.apply(&e);
    }
    assert_eq!(c.withdraw("x", &declarant(), NOW).unwrap_err().kind, RefusalKind::Forbidden);
    for e in c.withdraw("shipment cancelled by the exporter", &officer(), NOW).unwrap() {
        c.apply(&e);
    }
    assert_eq!(c.status, PhytoStatus::Withdrawn);
    assert_eq!(c.closing.as_ref().unwrap().reason, "shipment cancelled by the exporter");
    // Its signature still verifies: what it said is unchanged; its status is the registry's.
    assert!(c.signed().is_some());
}

#[test]
fn a_reexport_names_the_original_guomen_received() {
    let k = key("2201");
    let c = applied(&samples::reexport_draft("2201", "NL-2026-0042"));
    // Not received: refused.
    let e = c.issue(&facts(&c.number, NOW), &k, &officer()).unwrap_err();
    assert_eq!(e.errors[0].rule, Rule::PhytoOriginalUnknown);
    // Received from the Netherlands for China: issued, naming it.
    let mut original = compose::compose(&parse(&samples::export_draft("2201")).unwrap(), &facts("NL-2026-0042", NOW)).unwrap();
    original.export_country = "NL".into();
    original.import_country = "CN".into();
    original.issuer = "Netherlands Food and Consumer Product Safety Authority (NVWA)".into();
    let f = Facts { original: Some(&original), ..facts(&c.number, NOW) };
    let events = c.issue(&f, &k, &officer()).unwrap();
    let PhytoEvent::Issued { document: doc, .. } = &events[0] else { panic!("issued") };
    assert_eq!(doc.kind, PhytoKind::ReExport);
    let r = doc.original().unwrap();
    assert_eq!((r.id.as_str(), r.relationship.as_str(), r.type_code.as_deref()), ("NL-2026-0042", RELATION_ORIGINAL, Some(TYPE_EXPORT)));
    assert!(doc.authentication.as_ref().unwrap().clauses[0].content[0].text.contains("imported into China from NL"));
    // An original destined elsewhere is not this import's.
    original.import_country = "DE".into();
    let f = Facts { original: Some(&original), ..facts(&c.number, NOW) };
    assert_eq!(c.issue(&f, &k, &officer()).unwrap_err().errors[0].rule, Rule::PhytoOriginalUnknown);
}

#[test]
fn a_received_certificate_is_checked_and_only_one_in_force_is_received() {
    let mut doc = compose::compose(&parse(&samples::export_draft("2201")).unwrap(), &facts("NL-2026-0042", NOW)).unwrap();
    doc.export_country = "NL".into();
    doc.import_country = "CN".into();
    let events = received::receive(doc.clone(), "70", None, &officer(), NOW).unwrap();
    let r = ReceivedCertificate::from_events(&events).unwrap();
    assert_eq!(r.key, "NL/NL-2026-0042");
    assert_eq!(events[0].stream(), "phyto-received:NL/NL-2026-0042");
    assert!(r.checks.iter().all(|c| c.holds));
    let e = received::receive(doc.clone(), "40", None, &officer(), NOW).unwrap_err();
    assert_eq!(e.errors[0].rule, Rule::SpsStatus);
    // An importer names its own declaration; without one it is refused.
    assert_eq!(received::receive(doc.clone(), "70", None, &declarant(), NOW).unwrap_err().kind, RefusalKind::Forbidden);
    doc.import_country = "EC".into();
    let r = ReceivedCertificate::from_events(&received::receive(doc, "70", None, &officer(), NOW).unwrap()).unwrap();
    assert!(!r.checks[0].holds, "{:?}", r.checks);
}

#[test]
fn events_round_trip_through_the_journal_format() {
    let c = applied(&samples::export_draft("2201"));
    let events = c.issue(&facts(&c.number, NOW), &key("2201"), &officer()).unwrap();
    let json = serde_json::to_value(crate::Event::Phyto(events[0].clone())).unwrap();
    assert_eq!((json["type"].as_str(), json["event"].as_str()), (Some("phyto"), Some("issued")));
    let back: crate::Event = serde_json::from_value(json).unwrap();
    assert_eq!(back.stream(), "phyto:P202622010000001");
    assert_eq!(back, crate::Event::Phyto(events[0].clone()));
}
