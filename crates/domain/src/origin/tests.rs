//! The intelligent review, table-tested over realistic applications.

use super::*;
use crate::party::{Actor, CreditGrade, Role};
use crate::types::CustomsCode;
use crate::RefusalKind;

fn material(hs: &str, description: &str, origin: &str, value: &str) -> MaterialDraft {
    MaterialDraft { hs: Some(hs.into()), description: Some(description.into()), origin: Some(origin.into()), value: Some(value.into()) }
}

fn goods(hs: &str, description: &str, fob: &str, criterion: &str, materials: Vec<MaterialDraft>) -> GoodsDraft {
    GoodsDraft {
        hs: Some(hs.into()),
        description: Some(description.into()),
        quantity: Some("200".into()),
        unit: Some("001".into()),
        fob_value: Some(fob.into()),
        currency: Some("USD".into()),
        criterion: Some(criterion.into()),
        materials,
    }
}

fn draft(agreement: &str, country: &str, lines: Vec<GoodsDraft>) -> OriginDraft {
    OriginDraft {
        agreement: Some(agreement.into()),
        office: Some("5300".into()),
        importing_country: Some(country.into()),
        consignee_name: Some("Bangkok Machine Tools Co., Ltd.".into()),
        consignee_address: Some("88 Rama IV Road, Khlong Toei, Bangkok 10110, Thailand".into()),
        transport: Some("BY SEA FROM SHENZHEN TO LAEM CHABANG".into()),
        invoice_no: Some("SZML-2026-0311".into()),
        invoice_date: Some("2026-03-11".into()),
        goods: lines,
    }
}

/// A CNC lathe (8458.11) from Chinese castings and a Japanese controller (8537.10): the
/// controller is of another heading, so CTH is met.
fn lathe() -> GoodsDraft {
    goods(
        "8458110090",
        "数控卧式车床 CNC horizontal lathe",
        "84000",
        "PSR",
        vec![
            material("732599", "铸铁床身 cast-iron bed", "CHN", "9000"),
            material("853710", "数控系统 numerical control", "JPN", "12000"),
            material("848210", "滚珠轴承 ball bearings", "DEU", "3000"),
        ],
    )
}

fn record(issued: u64) -> Facts {
    Facts {
        grade: CreditGrade::Registered,
        issued_before: issued,
        findings: 0,
        exporter_watched: false,
        watched_goods: Vec::new(),
        ruleset_version: 3,
    }
}

fn decide(d: &OriginDraft, facts: &Facts) -> Review {
    review(&parse(d).expect("the application reads"), facts, PsrTable::embedded())
}

fn rules(r: &Review) -> Vec<&'static str> {
    r.reasons.iter().map(|x| x.rule.code()).collect()
}

#[test]
fn the_four_outcomes() {
    let watched = Facts { watched_goods: vec!["8542".into()], ..record(12) };
    let chip = goods(
        "8542319000",
        "处理器 processors",
        "50000",
        "PSR",
        vec![material("381800", "硅晶圆 silicon wafers", "USA", "20000"), material("8542", "裸片 dies", "MYS", "15000")],
    );
    #[rustfmt::skip]
    let table: Vec<(&str, OriginDraft, Facts, Outcome, &[&str])> = vec![
        ("an established exporter's lathe to Thailand under RCEP", draft("rcep", "THA", vec![lathe()]), record(12), Outcome::Pass, &["psr_met", "exporter_record"]),
        ("the same lathe to the United States under RCEP: not a party", draft("rcep", "USA", vec![lathe()]), record(12), Outcome::Amend, &["country_not_party", "psr_met", "exporter_record"]),
        ("the exporter's first certificate", draft("rcep", "THA", vec![lathe()]), record(0), Outcome::ManualReview, &["psr_met", "exporter_first"]),
        ("processors on the watch list of origin risks", draft("china-asean", "VNM", vec![chip]), watched, Outcome::ManualReview, &["psr_met", "goods_watched"]),
        ("an untrustworthy exporter", draft("china-korea", "KOR", vec![lathe()]), Facts { grade: CreditGrade::Untrustworthy, ..record(40) }, Outcome::Investigate, &["psr_met", "exporter_untrustworthy"]),
        ("an exporter with a certificate refused after verification", draft("rcep", "JPN", vec![lathe()]), Facts { findings: 1, ..record(40) }, Outcome::Investigate, &["psr_met", "exporter_findings"]),
        ("an exporter on the verification list, also new", draft("rcep", "JPN", vec![lathe()]), Facts { exporter_watched: true, ..record(0) }, Outcome::Investigate, &["psr_met", "exporter_watched", "exporter_first"]),
    ];
    for (name, d, facts, outcome, expected) in table {
        let r = decide(&d, &facts);
        assert_eq!(r.outcome, outcome, "{name}: {:#?}", r.reasons);
        assert_eq!(rules(&r), expected, "{name}");
        assert_eq!(r.ruleset_version, 3);
    }
}

#[test]
fn psr_change_of_heading_passes_and_fails() {
    // Bolts (7318.15) under China–Korea: CTH or RVC40. Wire rod (7213) is another heading: met.
    let bolts = |wire: &str, wire_value: &str| {
        goods(
            "7318158001",
            "六角头螺栓 hexagon bolts",
            "10000",
            "PSR",
            vec![material(wire, "盘条 wire rod", "RUS", wire_value), material("381900", "防锈油 oil", "CHN", "200")],
        )
    };
    let r = decide(&draft("china-korea", "KOR", vec![bolts("721391", "5000")]), &record(5));
    assert_eq!(r.outcome, Outcome::Pass, "{:#?}", r.reasons);
    assert_eq!(r.lines[0].printed.as_deref(), Some("CTH"));
    assert!(r.reasons[0].en.contains("CTH met"), "{}", r.reasons[0].en);

    // Bought-in Russian bolts (7318.15) only re-packed: same heading, and only 35% value added.
    let r = decide(&draft("china-korea", "KOR", vec![bolts("731815", "6500")]), &record(5));
    assert_eq!(r.outcome, Outcome::Amend, "{:#?}", r.reasons);
    assert_eq!(rules(&r), ["psr_not_met", "change_not_met", "rvc_below", "exporter_record"]);
    assert_eq!(r.reasons[1].path.as_deref(), Some("goods[0].materials[0].hs"));
    assert!(r.reasons[2].en.contains("35.00%"), "{}", r.reasons[2].en);
    assert_eq!(r.lines[0].printed, None);

    // The same bolts with 41% value content pass on RVC, but close to the threshold: an officer looks.
    let r = decide(&draft("china-korea", "KOR", vec![bolts("731815", "5900")]), &record(5));
    assert_eq!(r.outcome, Outcome::ManualReview, "{:#?}", r.reasons);
    assert_eq!(r.lines[0].printed.as_deref(), Some("RVC 41.00%"));
    assert!(rules(&r).contains(&"rvc_margin"));
}

#[test]
fn criteria_wo_and_pe_and_the_subheading_and_chapter_rules() {
    // Dried onions under RCEP: wholly obtained.
    let onion = goods("0712909900", "脱水洋葱片 dried onion flakes", "8000", "WO", vec![]);
    let r = decide(&draft("rcep", "JPN", vec![onion]), &record(3));
    assert_eq!((r.outcome, r.lines[0].printed.as_deref()), (Outcome::Pass, Some("WO")));
    // A lathe cannot be wholly obtained; PE with a Japanese controller is not PE under the
    // non-preferential rules (only Chinese materials originate).
    let mut wo_lathe = lathe();
    wo_lathe.criterion = Some("WO".into());
    let r = decide(&draft("non-preferential", "USA", vec![wo_lathe]), &record(3));
    assert_eq!(r.outcome, Outcome::Amend);
    assert_eq!(&rules(&r)[..3], ["wo_not_plausible", "non_originating_material", "non_originating_material"]);
    // Under RCEP the Japanese controller originates (cumulation): the German bearings do not.
    let mut pe = lathe();
    pe.criterion = Some("PE".into());
    let r = decide(&draft("rcep", "THA", vec![pe]), &record(3));
    assert_eq!(rules(&r)[..1], ["non_originating_material"]);
    assert_eq!(r.reasons[0].path.as_deref(), Some("goods[0].materials[2].origin"));
    // A router (8517.62) under RCEP is CTSH: a Taiwanese-made board of 8517.79 is another subheading.
    let router =
        goods("8517620000", "无线路由器 wireless routers", "30000", "PSR", vec![material("851779", "主板 boards", "TWN", "21000")]);
    let r = decide(&draft("rcep", "AUS", vec![router]), &record(3));
    assert_eq!((r.outcome, r.lines[0].printed.as_deref()), (Outcome::Pass, Some("CTSH")), "{:#?}", r.reasons);
    // T-shirts (61.09) under China–Australia need a change of chapter: Indian knitted fabric (60.06) is one.
    let shirt = goods(
        "6109100021",
        "棉制针织T恤衫 cotton T-shirts",
        "12500",
        "PSR",
        vec![material("600622", "针织棉布 knitted cotton fabric", "IND", "7000")],
    );
    assert_eq!(decide(&draft("china-australia", "AUS", vec![shirt]), &record(3)).outcome, Outcome::Pass);
    // A code too short for the test is returned: CTSH needs six digits.
    let router = goods("8517620000", "无线路由器 wireless routers", "30000", "PSR", vec![material("8517", "主板 boards", "TWN", "29000")]);
    let r = decide(&draft("rcep", "AUS", vec![router]), &record(3));
    assert!(rules(&r).contains(&"material_code_short"), "{:#?}", r.reasons);
    // Wine is not a good the demo exports: no rule held, an officer decides.
    let wine = goods("2204210000", "红葡萄酒 red wine", "9000", "PSR", vec![material("2009", "葡萄汁 grape must", "CHL", "3000")]);
    let r = decide(&draft("rcep", "JPN", vec![wine]), &record(3));
    assert_eq!((r.outcome, rules(&r)[0]), (Outcome::ManualReview, "psr_missing"));
    // A PSR claim without its materials is returned.
    let bare = goods("8458110090", "数控车床", "84000", "PSR", vec![]);
    assert_eq!(rules(&decide(&draft("rcep", "THA", vec![bare]), &record(3)))[0], "psr_materials_missing");
    // Materials worth more than the good.
    let over = goods("8458110090", "数控车床", "1000", "PSR", vec![material("853710", "数控系统", "DEU", "1000.01")]);
    assert_eq!(rules(&decide(&draft("rcep", "THA", vec![over]), &record(3)))[0], "materials_exceed_value");
}

#[test]
fn a_trader_sees_why_it_must_amend_but_not_why_an_officer_looks() {
    let r = decide(&draft("rcep", "THA", vec![lathe()]), &Facts { exporter_watched: true, ..record(9) });
    assert_eq!(r.outcome, Outcome::Investigate);
    let seen = r.for_trader();
    assert!(seen.iter().all(|x| !x.rule.customs_only()), "{seen:#?}");
    assert_eq!(seen.last().map(|x| x.rule), Some(ReviewRule::Referred));
    assert!(!serde_json::to_string(&seen).unwrap().contains("list"), "{seen:#?}");
    let r = decide(&draft("rcep", "USA", vec![lathe()]), &record(9));
    assert_eq!(r.for_trader().iter().map(|x| x.rule.code()).collect::<Vec<_>>(), ["country_not_party", "psr_met"]);
}

#[test]
fn what_does_not_exist_is_refused_with_paths() {
    let mut d = draft("mercosur", "CHN", vec![lathe()]);
    d.goods[0].criterion = Some("XX".into());
    d.goods[0].materials[0].hs = Some("99".into());
    d.goods[0].materials[1].origin = Some("ZZZ".into());
    d.goods[0].fob_value = Some("-1".into());
    let e = parse(&d).unwrap_err();
    assert_eq!(e.kind, RefusalKind::Validation);
    let got: Vec<(&str, &str)> = e.errors.iter().map(|f| (f.path.as_str(), f.rule.code())).collect();
    assert_eq!(
        got,
        [
            ("agreement", "agreement_unknown"),
            ("importing_country", "origin_country_self"),
            ("goods[0].fob_value", "number_range"),
            ("goods[0].criterion", "criterion_unknown"),
            ("goods[0].materials[0].hs", "hs_unknown"),
            ("goods[0].materials[1].origin", "country_unknown"),
        ]
    );
    let e = parse(&OriginDraft::default()).unwrap_err();
    assert!(e.errors.iter().all(|f| f.rule == crate::Rule::Required), "{e:?}");
    assert!(e.errors.iter().any(|f| f.path == "goods"));
}

#[test]
fn the_record_through_amendment_and_decision() {
    let exporter = CustomsCode::parse("4403960123").unwrap();
    let declarant = Actor { id: "user:li".into(), role: Some(Role::Declarant), enterprise: Some(exporter.clone()) };
    let officer = Actor { id: "user:wang".into(), role: Some(Role::Officer), enterprise: None };
    let now = time::macros::datetime!(2026-03-12 02:00 UTC);
    let psr = PsrTable::embedded();
    let app = parse(&draft("rcep", "USA", vec![lathe()])).unwrap();
    assert_eq!(record::number(&app, 2026, 1), "R202653000000001");
    let other = Actor { enterprise: Some(CustomsCode::parse("4403960999").unwrap()), ..declarant.clone() };
    assert_eq!(
        record::apply("R1", &exporter, "深圳精机", app.clone(), &record(2), psr, &other, now).unwrap_err().kind,
        RefusalKind::Forbidden
    );

    let events = record::apply("R202653000000001", &exporter, "深圳精机", app, &record(2), psr, &declarant, now).unwrap();
    let mut c = OriginCertificate::from_events(&events).unwrap();
    assert_eq!(c.status, OriginStatus::Amend);
    assert_eq!(c.decide(DecisionAction::Approve, "", &officer, now).unwrap_err().kind, RefusalKind::InvalidState);

    let fixed = parse(&draft("rcep", "THA", vec![lathe()])).unwrap();
    let mut changed = fixed.clone();
    changed.agreement = Agreement::ChinaAsean;
    assert_eq!(c.amend(changed, &record(0), psr, &declarant, now).unwrap_err().errors[0].rule, crate::Rule::OriginAgreementChanged);
    for e in c.amend(fixed, &record(0), psr, &declarant, now).unwrap() {
        c.apply(&e);
    }
    assert_eq!((c.status, c.amendments), (OriginStatus::ManualReview, 1));
    assert_eq!(c.decide(DecisionAction::Reject, " ", &officer, now).unwrap_err().errors[0].path, "reason");
    assert_eq!(c.decide(DecisionAction::Approve, "", &declarant, now).unwrap_err().kind, RefusalKind::Forbidden);
    let later = now + time::Duration::hours(1);
    for e in c.decide(DecisionAction::Approve, "", &officer, later).unwrap() {
        c.apply(&e);
    }
    assert_eq!((c.status, c.issued_at), (OriginStatus::Issued, Some(later)));
    assert!(!c.is_finding());

    let json = serde_json::to_value(crate::Event::Origin(events[0].clone())).unwrap();
    assert_eq!((json["type"].as_str(), json["event"].as_str()), (Some("origin"), Some("applied")));
    let back: crate::Event = serde_json::from_value(json).unwrap();
    assert_eq!(back.stream(), "origin:R202653000000001");
}
