//! Declaration tests: field validation, the record's state machine and notice fan-out.

use super::*;
use crate::error::{FieldError, Refusal, RefusalKind, Rule};
use crate::event::Event;
use crate::inspection::*;
use crate::notice::{self, Outgoing};
use crate::party::{CreditGrade, Enterprise};
use crate::risk::{CheckType, Conditions, Criterion, Lane, RuleSet};
use crate::types::{CreditCode, CustomsCode};
use rust_decimal::Decimal;
use std::str::FromStr;
use time::macros::{date, datetime};
use time::{Date, Duration, OffsetDateTime};

// ---------------------------------------------------------------------------------------------
// Fixtures
// ---------------------------------------------------------------------------------------------

const TODAY: Date = date!(2025 - 03 - 10);
const NOW: OffsetDateTime = datetime!(2025-03-10 09:30 UTC);

/// The consignee (收货人).
const TRADER: &str = "3502960001";
/// The customs broker filing for it (申报单位).
const AGENT: &str = "3502980002";
/// The consumer enterprise (消费使用单位).
const OWNER: &str = "3502960003";
/// The terminal operating supervision site YT01.
const TERMINAL: &str = "3502960009";
/// Another terminal.
const OTHER_TERMINAL: &str = "3502960010";
/// A registered enterprise with nothing to do with the declaration.
const STRANGER: &str = "3502960077";

const BOX_A: &str = "CSQU3054383";
const BOX_B: &str = "MSKU1234565";
/// A valid container number that is not on the declaration.
const BOX_ELSEWHERE: &str = "TGHU7654320";

fn cc(s: &str) -> CustomsCode {
    CustomsCode::parse(s).unwrap()
}

fn dec(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

fn enterprise(code: &str, credit17: &str, name_zh: &str, site: Option<&str>) -> Enterprise {
    Enterprise {
        code: cc(code),
        credit_code: CreditCode::complete(credit17).expect("17 valid characters"),
        name_zh: name_zh.into(),
        name_en: format!("{name_zh} Co., Ltd."),
        grade: CreditGrade::Registered,
        site_code: site.map(str::to_owned),
    }
}

fn trader() -> Enterprise {
    enterprise(TRADER, "91350200MA2XN1234", "厦门鹭江进出口有限公司", None)
}

fn registry(code: &CustomsCode) -> Option<Enterprise> {
    match code.as_str() {
        TRADER => Some(trader()),
        AGENT => Some(enterprise(AGENT, "91350200MA2XN5678", "厦门通关报关行", None)),
        OWNER => Some(enterprise(OWNER, "91350200MA2XN2468", "厦门果品贸易有限公司", None)),
        TERMINAL => Some(enterprise(TERMINAL, "91350200MA2XN9999", "海天码头", Some("YT01"))),
        OTHER_TERMINAL => Some(enterprise(OTHER_TERMINAL, "91350200MA2XN8888", "嵩屿码头", Some("SY02"))),
        STRANGER => Some(enterprise(STRANGER, "91350200MA2XN7777", "无关企业", None)),
        _ => None,
    }
}

fn check_on(draft: &DeclarationDraft, today: Date) -> Result<DeclarationContent, Vec<FieldError>> {
    let enterprise = registry;
    let site_known = |s: &str| s == "YT01";
    let ctx = ValidationContext { today, enterprise: &enterprise, site_known: &site_known };
    validate(draft, &ctx)
}

fn check(draft: &DeclarationDraft) -> Result<DeclarationContent, Vec<FieldError>> {
    check_on(draft, TODAY)
}

fn s(v: &str) -> Option<String> {
    Some(v.to_owned())
}

fn item(g_no: &str, code_ts: &str, qty: &str, price: &str, total: &str, origin: &str) -> ItemDraft {
    ItemDraft {
        g_no: s(g_no),
        code_ts: s(code_ts),
        g_name: s("鲜苹果"),
        g_model: s("一级 80-85mm"),
        g_qty: s(qty),
        g_unit: s("035"),
        decl_price: s(price),
        decl_total: s(total),
        trade_curr: s("USD"),
        origin_country: s(origin),
        destination_country: s("CHN"),
    }
}

/// A complete, valid standard import declaration filed by the broker for the consignee.
fn valid_draft() -> DeclarationDraft {
    DeclarationDraft {
        head: HeadDraft {
            ie_flag: s("I"),
            mode: None,
            customs_master: s("3702"),
            ie_port: s("3702"),
            ie_date: s("2025-03-08"),
            trade_code: s(TRADER),
            owner_code: None,
            agent_code: s(AGENT),
            traf_mode: s("2"),
            traf_name: s("COSCO ARIES"),
            voyage_no: s("045E"),
            bill_no: s("COSU6321458790"),
            manifest_no: s("3702MF20250308"),
            trade_mode: s("0110"),
            trade_country: s("USA"),
            trans_mode: s("1"),
            pack_no: s("120"),
            gross_wt: s("6400.5"),
            net_wt: s("6000"),
            site_code: s("YT01"),
            note: None,
            ..Default::default()
        },
        items: vec![item("1", "0808100000", "2000", "1.25", "2500.00", "USA"), item("2", "1209913000", "300", "12.5", "3750", "NLD")],
        containers: vec![
            ContainerDraft { container_id: s(BOX_A), container_md: s("45G1") },
            ContainerDraft { container_id: s(BOX_B), container_md: None },
        ],
        licences: vec![LicenceDraft { docu_code: s("A"), cert_code: s("CIQ2025000123") }],
    }
}

fn paths_rules(errors: &[FieldError]) -> Vec<(String, Rule)> {
    errors.iter().map(|e| (e.path.clone(), e.rule)).collect()
}

fn expect_errors(draft: &DeclarationDraft, today: Date) -> Vec<(String, Rule)> {
    match check_on(draft, today) {
        Ok(c) => panic!("expected validation errors, got content {c:?}"),
        Err(errors) => {
            for e in &errors {
                assert!(!e.en.is_empty() && !e.zh.is_empty(), "{e:?} explains itself in both languages");
            }
            paths_rules(&errors)
        }
    }
}

fn owned(v: &[(&str, Rule)]) -> Vec<(String, Rule)> {
    v.iter().map(|(p, r)| ((*p).to_owned(), *r)).collect()
}

// ---------------------------------------------------------------------------------------------
// (a) Validation
// ---------------------------------------------------------------------------------------------

#[test]
fn valid_import_draft_passes() {
    let c = check(&valid_draft()).expect("valid draft");
    let h = &c.head;
    assert_eq!(h.ie_flag, IeFlag::Import);
    assert_eq!(h.mode, DeclarationMode::Standard);
    assert_eq!(h.customs_master.as_str(), "3702");
    assert_eq!(h.ie_date, Some(date!(2025 - 03 - 08)));
    assert_eq!(h.trade_code, cc(TRADER));
    assert_eq!(h.agent_code, Some(cc(AGENT)));
    assert_eq!(h.owner_code, None);
    assert_eq!(h.bill_no, "COSU6321458790");
    assert_eq!(h.pack_no, 120);
    assert_eq!(h.gross_wt, dec("6400.5"));
    assert_eq!(h.net_wt, dec("6000"));
    assert_eq!(h.site_code.as_deref(), Some("YT01"));
    assert_eq!(h.trade_country.as_str(), "USA");
    assert_eq!(c.items.len(), 2);
    assert_eq!(c.items[0].g_no, 1);
    assert_eq!(c.items[0].code_ts.as_str(), "0808100000");
    assert_eq!(c.items[0].decl_total, dec("2500"));
    assert_eq!(c.items[1].origin_country.as_str(), "NLD");
    assert_eq!(c.items[1].destination_country.as_str(), "CHN");
    assert_eq!(
        c.containers,
        vec![
            Container { container_id: BOX_A.into(), container_md: Some("45G1".into()) },
            Container { container_id: BOX_B.into(), container_md: None },
        ]
    );
    assert_eq!(c.licences, vec![Licence { docu_code: "A".into(), cert_code: "CIQ2025000123".into() }]);
    assert_eq!(c.parties(), vec![&cc(TRADER), &cc(AGENT)]);
}

#[test]
fn valid_draft_is_trimmed_and_items_sorted_by_g_no() {
    let mut d = valid_draft();
    d.items.swap(0, 1);
    d.head.bill_no = s("  COSU6321458790 ");
    d.head.note = s("   ");
    let c = check(&d).expect("valid draft");
    assert_eq!(c.items.iter().map(|i| i.g_no).collect::<Vec<_>>(), vec![1, 2]);
    assert_eq!(c.head.bill_no, "COSU6321458790");
    assert_eq!(c.head.note, None, "a blank optional field is absent");
}

#[test]
fn other_valid_modes_pass() {
    // Advance import whose goods have not arrived: no date needed.
    let mut d = valid_draft();
    d.head.mode = s("advance");
    d.head.ie_date = None;
    let c = check(&d).expect("advance import without date");
    assert_eq!(c.head.mode, DeclarationMode::Advance);
    assert_eq!(c.head.ie_date, None);

    // Advance export exactly 3 days ahead is inside the window.
    let mut d = valid_draft();
    d.head.ie_flag = s("E");
    d.head.mode = s("advance");
    d.head.ie_date = Some((TODAY + Duration::days(3)).to_string());
    let c = check(&d).expect("advance export 3 days ahead");
    assert_eq!(c.head.ie_flag, IeFlag::Export);
    assert_eq!(c.head.ie_date, Some(date!(2025 - 03 - 13)));

    // Standard import dated today, two-step import.
    let mut d = valid_draft();
    d.head.ie_date = s("2025-03-10");
    assert!(check(&d).is_ok());
    let mut d = valid_draft();
    d.head.mode = s("two-step");
    assert_eq!(check(&d).unwrap().head.mode, DeclarationMode::TwoStep);

    // A total within one fen of quantity × price is accepted: 3 × 0.3333 = 0.9999 ≈ 1.00.
    let mut d = valid_draft();
    d.items[0] = item("1", "0808100000", "3", "0.3333", "1.00", "USA");
    assert!(check(&d).is_ok());
}

type Mutation = fn(&mut DeclarationDraft);
/// (case name, how the valid draft is broken, the (path, rule) errors expected in order)
type Case = (&'static str, Mutation, Vec<(&'static str, Rule)>);

#[test]
fn each_broken_field_is_named_with_its_rule() {
    let cases: Vec<Case> = vec![
        ("missing ie_flag", |d| d.head.ie_flag = None, vec![("head.ie_flag", Rule::Required)]),
        ("blank ie_flag", |d| d.head.ie_flag = s("  "), vec![("head.ie_flag", Rule::Required)]),
        ("ie_flag neither I nor E", |d| d.head.ie_flag = s("X"), vec![("head.ie_flag", Rule::IeFlag)]),
        ("unknown mode", |d| d.head.mode = s("express"), vec![("head.mode", Rule::Mode)]),
        ("missing ie_date on a standard declaration", |d| d.head.ie_date = None, vec![("head.ie_date", Rule::Required)]),
        ("ie_date not a date", |d| d.head.ie_date = s("08/03/2025"), vec![("head.ie_date", Rule::DateFormat)]),
        ("customs office not 4 digits", |d| d.head.customs_master = s("37A2"), vec![("head.customs_master", Rule::OfficeFormat)]),
        ("HS code not in HS 2022", |d| d.items[0].code_ts = s("9999990000"), vec![("items[0].code_ts", Rule::HsUnknown)]),
        ("HS code malformed", |d| d.items[1].code_ts = s("12099"), vec![("items[1].code_ts", Rule::HsFormat)]),
        ("unknown currency", |d| d.items[0].trade_curr = s("QQQ"), vec![("items[0].trade_curr", Rule::CurrencyUnknown)]),
        ("unknown origin country", |d| d.items[1].origin_country = s("XXX"), vec![("items[1].origin_country", Rule::CountryUnknown)]),
        ("unknown trade country", |d| d.head.trade_country = s("XXX"), vec![("head.trade_country", Rule::CountryUnknown)]),
        ("unknown unit", |d| d.items[0].g_unit = s("999"), vec![("items[0].g_unit", Rule::UnitUnknown)]),
        ("total is not qty × price", |d| d.items[0].decl_total = s("2600.00"), vec![("items[0].decl_total", Rule::TotalMismatch)]),
        ("total two fen off", |d| d.items[0].decl_total = s("2500.02"), vec![("items[0].decl_total", Rule::TotalMismatch)]),
        ("duplicate item number", |d| d.items[1].g_no = s("1"), vec![("items[1].g_no", Rule::GNoDuplicate)]),
        ("item number out of range", |d| d.items[1].g_no = s("0"), vec![("items[1].g_no", Rule::IntegerRange)]),
        ("net weight over gross", |d| d.head.net_wt = s("6400.6"), vec![("head.net_wt", Rule::NetOverGross)]),
        ("unknown consignee", |d| d.head.trade_code = s("3502969999"), vec![("head.trade_code", Rule::EnterpriseUnknown)]),
        ("unknown agent", |d| d.head.agent_code = s("3502989999"), vec![("head.agent_code", Rule::EnterpriseUnknown)]),
        ("malformed customs code", |d| d.head.owner_code = s("35029"), vec![("head.owner_code", Rule::CustomsCodeFormat)]),
        ("unknown supervision site", |d| d.head.site_code = s("ZZ99"), vec![("head.site_code", Rule::SiteUnknown)]),
        (
            "bad container check digit",
            |d| d.containers[0].container_id = s("CSQU3054384"),
            vec![("containers[0].container_id", Rule::ContainerNumber)],
        ),
        (
            "container listed twice",
            |d| d.containers[1].container_id = s(BOX_A),
            vec![("containers[1].container_id", Rule::ContainerDuplicate)],
        ),
        (
            "advance export more than 3 days ahead",
            |d| {
                d.head.ie_flag = s("E");
                d.head.mode = s("advance");
                d.head.ie_date = s("2025-03-14");
            },
            vec![("head.ie_date", Rule::AdvanceExportWindow)],
        ),
        ("standard import dated in the future", |d| d.head.ie_date = s("2025-03-11"), vec![("head.ie_date", Rule::IeDateFuture)]),
        (
            "two-step import dated in the future",
            |d| {
                d.head.mode = s("two-step");
                d.head.ie_date = s("2025-04-01");
            },
            vec![("head.ie_date", Rule::IeDateFuture)],
        ),
        (
            "two-step export",
            |d| {
                d.head.ie_flag = s("E");
                d.head.mode = s("two-step");
            },
            vec![("head.mode", Rule::TwoStepImportOnly)],
        ),
        ("no items", |d| d.items.clear(), vec![("items", Rule::ItemsRequired)]),
        (
            "51 items",
            |d| {
                // Every number from 1 to 50 is used once; the 51st item can only repeat or exceed.
                d.items = (1..=51).map(|n| item(&n.to_string(), "0808100000", "1", "1", "1", "USA")).collect();
            },
            vec![("items", Rule::ItemsTooMany), ("items[50].g_no", Rule::IntegerRange)],
        ),
        (
            "import destination not CHN",
            |d| d.items[0].destination_country = s("USA"),
            vec![("items[0].destination_country", Rule::ImportDestination)],
        ),
        ("pack_no not a whole number", |d| d.head.pack_no = s("1.5"), vec![("head.pack_no", Rule::IntegerRange)]),
        ("trans_mode outside 1–7", |d| d.head.trans_mode = s("8"), vec![("head.trans_mode", Rule::TransMode)]),
        ("licence without number", |d| d.licences[0].cert_code = None, vec![("licences[0].cert_code", Rule::Required)]),
    ];
    for (name, mutate, expected) in cases {
        let mut d = valid_draft();
        mutate(&mut d);
        assert_eq!(expect_errors(&d, TODAY), owned(&expected), "{name}");
    }
}

#[test]
fn export_destination_is_not_checked_against_chn() {
    let mut d = valid_draft();
    d.head.ie_flag = s("E");
    d.items[0].destination_country = s("USA");
    let c = check(&d).expect("an export may go anywhere");
    assert_eq!(c.items[0].destination_country.as_str(), "USA");
}

#[test]
fn a_draft_with_several_broken_fields_reports_all_of_them() {
    let mut d = valid_draft();
    d.head.ie_flag = None;
    d.head.trade_code = s("3502969999");
    d.head.net_wt = s("7000");
    d.head.site_code = s("ZZ99");
    d.items[0].code_ts = s("9999990000");
    d.items[0].trade_curr = s("QQQ");
    d.items[1].g_no = s("1");
    d.items[1].decl_total = s("1.00");
    d.containers[1].container_id = s("MSKU1234566");
    assert_eq!(
        expect_errors(&d, TODAY),
        owned(&[
            ("head.ie_flag", Rule::Required),
            ("head.trade_code", Rule::EnterpriseUnknown),
            ("head.net_wt", Rule::NetOverGross),
            ("head.site_code", Rule::SiteUnknown),
            ("items[0].code_ts", Rule::HsUnknown),
            ("items[0].trade_curr", Rule::CurrencyUnknown),
            ("items[1].g_no", Rule::GNoDuplicate),
            ("items[1].decl_total", Rule::TotalMismatch),
            ("containers[1].container_id", Rule::ContainerNumber),
        ])
    );
}

#[test]
fn the_date_rules_follow_today() {
    // The same draft is fine a day later: the rule compares with the office's date, not a clock.
    let mut d = valid_draft();
    d.head.ie_date = s("2025-03-11");
    assert_eq!(expect_errors(&d, TODAY), owned(&[("head.ie_date", Rule::IeDateFuture)]));
    assert!(check_on(&d, date!(2025 - 03 - 11)).is_ok());
}

#[test]
fn container_check_digits() {
    for ok in [BOX_A, BOX_B, BOX_ELSEWHERE, "MSCU0000012", "OOLU1000002"] {
        assert!(container_number_valid(ok), "{ok}");
    }
    for bad in ["CSQU3054384", "CSQU305438", "CSQU30543830", "csqu3054383", "CSQ13054383", "CSQU305438A", ""] {
        assert!(!container_number_valid(bad), "{bad}");
    }
}

// ---------------------------------------------------------------------------------------------
// (b) The record state machine
// ---------------------------------------------------------------------------------------------

const ID: &str = "370220251000004321";
const OFFICER: &str = "officer:lin";

/// A rule set whose single criterion selects every apple declaration for `lane`; green has none.
fn rules_for(lane: Lane) -> RuleSet {
    if lane == Lane::Green {
        return RuleSet::default();
    }
    RuleSet {
        version: 7,
        criteria: vec![Criterion {
            id: "APPLES".into(),
            description: "fresh apples".into(),
            active: true,
            revision: 1,
            when: Conditions { hs_prefixes: vec!["0808".into()], ..Default::default() },
            lane,
            rate_percent: Decimal::ONE_HUNDRED,
            lab_sampling: false,
            check_type: CheckType::Quarantine,
            weigh: lane == Lane::Red,
        }],
        ..RuleSet::default()
    }
}

fn content_with(mode: &str, ie_date: Option<&str>) -> DeclarationContent {
    let mut d = valid_draft();
    d.head.mode = s(mode);
    d.head.ie_date = ie_date.map(str::to_owned);
    check(&d).expect("valid content")
}

fn standard() -> DeclarationContent {
    content_with("standard", Some("2025-03-08"))
}

fn advance() -> DeclarationContent {
    content_with("advance", None)
}

fn two_step() -> DeclarationContent {
    content_with("two-step", Some("2025-03-08"))
}

/// The consignee's standing mandate to its broker for declarations, in force all of 2025.
fn mandates() -> &'static [crate::mandate::Mandate] {
    static M: std::sync::LazyLock<Vec<crate::mandate::Mandate>> = std::sync::LazyLock::new(|| {
        vec![crate::mandate::Mandate {
            id: "WT2025000001".into(),
            consignor: cc(TRADER),
            agent: cc(AGENT),
            scopes: vec![crate::mandate::Scope::Declarations],
            valid_from: date!(2025 - 01 - 01),
            valid_until: date!(2025 - 12 - 31),
            granted_by: "user:trader".into(),
            granted_at: datetime!(2025-01-01 01:00 UTC),
            revoked: None,
        }]
    });
    &M
}

fn filing<'a>(content: DeclarationContent, rules: &'a RuleSet, trader: &'a Enterprise, filed_by: &str) -> Filing<'a> {
    Filing {
        id: ID.into(),
        filed_by: cc(filed_by),
        content,
        trader,
        terminal: Some(cc(TERMINAL)),
        rules,
        mandates: mandates(),
        seed: 42,
        now: NOW,
    }
}

/// Files `content` in `lane` (by the agent) and returns the record and its events.
fn filed(content: DeclarationContent, lane: Lane) -> (Declaration, Vec<Event>) {
    let rules = rules_for(lane);
    let t = trader();
    let events = file(filing(content, &rules, &t, AGENT)).expect("filing accepted");
    let d = fold(&events);
    assert_eq!(d.lane(), lane);
    (d, events)
}

/// `from_events` on the filing pair, then `apply` for the rest — and the same as folding all at once.
fn fold(events: &[Event]) -> Declaration {
    let mut d = Declaration::from_events(&events[..2]).expect("filing events start a record");
    for e in &events[2..] {
        d.apply(e);
    }
    assert_eq!(Declaration::from_events(events).as_ref(), Some(&d), "incremental and whole folds agree");
    d
}

fn then(d: &Declaration, events: &[Event]) -> Declaration {
    let mut d = d.clone();
    for e in events {
        d.apply(e);
    }
    d
}

fn kinds(events: &[Event]) -> Vec<&'static str> {
    events.iter().map(Event::kind).collect()
}

fn refused(r: Result<Vec<Event>, Refusal>) -> Refusal {
    match r {
        Ok(events) => panic!("expected a refusal, got {:?}", kinds(&events)),
        Err(e) => e,
    }
}

fn assert_field_refusal(r: Result<Vec<Event>, Refusal>, path: &str, rule: Rule) {
    let e = refused(r);
    assert_eq!(e.kind, RefusalKind::Validation, "{e:?}");
    assert_eq!(e.errors.iter().map(|f| (f.path.as_str(), f.rule)).collect::<Vec<_>>(), vec![(path, rule)]);
}

fn assert_kind(r: Result<Vec<Event>, Refusal>, kind: RefusalKind) -> Refusal {
    let e = refused(r);
    assert_eq!(e.kind, kind, "{e:?}");
    e
}

fn position(d: &Declaration, container: &str, by: &str) -> PositionReport {
    PositionReport {
        declaration_id: d.id.clone(),
        bill_no: d.content.head.bill_no.clone(),
        vessel: d.content.head.traf_name.clone(),
        record_no: format!("CY{}", d.id),
        container_no: container.into(),
        site_name: "海天码头查验场".into(),
        site_code: "YT01".into(),
        slot_code: "C03-12".into(),
        arrived_at: datetime!(2025-03-10 14:00 UTC),
        reported_by: cc(by),
    }
}

fn result(outcome: Outcome, findings: &[&str]) -> InspectionResult {
    InspectionResult {
        outcome,
        findings: findings.iter().map(|f| (*f).to_owned()).collect(),
        officer: OFFICER.into(),
        recorded_at: datetime!(2025-03-11 10:00 UTC),
        note: None,
    }
}

fn satisfactory() -> InspectionResult {
    result(Outcome::Satisfactory, &[])
}

/// Red lane, one container in position.
fn red_in_position() -> Declaration {
    let (d, _) = filed(standard(), Lane::Red);
    let events = d.report_position(position(&d, BOX_A, TERMINAL)).unwrap();
    then(&d, &events)
}

fn red_inspected(r: InspectionResult) -> Declaration {
    let d = red_in_position();
    let events = d.record_result(r).unwrap();
    then(&d, &events)
}

fn red_held() -> Declaration {
    let d = red_in_position();
    let events = d.hold(OFFICER, "labels do not match the declared origin", NOW).unwrap();
    then(&d, &events)
}

fn released_notice(events: &[Event]) -> &ReleaseNotice {
    match events.last() {
        Some(Event::Released { notice }) => notice,
        other => panic!("expected Released, got {other:?}"),
    }
}

// --- file -------------------------------------------------------------------------------------

#[test]
fn file_green_standard_import_releases_at_once() {
    let (d, events) = filed(standard(), Lane::Green);
    assert_eq!(kinds(&events), vec!["declaration_filed", "risk_assessed", "released"]);
    let n = released_notice(&events);
    assert_eq!(n.kind, ReleaseKind::Automatic);
    assert_eq!(n.officer, None);
    assert_eq!(n.declaration_id, ID);
    assert_eq!(n.enterprise_code, cc(TRADER));
    assert_eq!(n.enterprise_name, "厦门鹭江进出口有限公司");
    assert_eq!(n.bill_no, "COSU6321458790");
    assert_eq!(n.terminal, Some(cc(TERMINAL)));
    assert_eq!(n.containers, vec![BOX_A.to_owned(), BOX_B.to_owned()]);
    assert_eq!(n.released_at, NOW);
    assert_eq!(d.status, Status::Released);
    assert_eq!(d.filed_by, cc(AGENT));
    assert_eq!(d.filed_at, NOW);
    assert_eq!(d.arrived_at, Some(datetime!(2025-03-08 00:00 UTC)), "arrival is the start of ie_date");
    assert_eq!(d.notice, None);
    assert_eq!(d.completion_due, None);
    assert_eq!(d.decision.seed, 42);
    assert!(d.decision.hits.is_empty());
}

#[test]
fn file_blue_lane_releases_for_post_clearance_audit() {
    let (d, events) = filed(standard(), Lane::Blue);
    assert_eq!(kinds(&events), vec!["declaration_filed", "risk_assessed", "released"]);
    assert_eq!(released_notice(&events).kind, ReleaseKind::PostClearanceAudit);
    assert_eq!(d.status, Status::Released);
    assert_eq!(d.decision.hits[0].criterion, "APPLES");
}

#[test]
fn file_red_lane_notifies_physical_inspection() {
    let (d, events) = filed(standard(), Lane::Red);
    assert_eq!(kinds(&events), vec!["declaration_filed", "risk_assessed", "inspection_notice_issued"]);
    assert_eq!(d.status, Status::InspectionNotified);
    let n = d.notice.as_ref().expect("notice kept on the record");
    assert_eq!(n.record_no, format!("CY{ID}"));
    assert_eq!(n.method, InspectionMethod::Physical);
    assert_eq!(n.check_types, vec![CheckType::Quarantine]);
    assert!(n.weigh && !n.lab_sampling, "the laboratory path is tested in quarantine_tests");
    assert_eq!(n.terminal, Some(cc(TERMINAL)));
    assert_eq!(n.containers, vec![BOX_A.to_owned(), BOX_B.to_owned()]);
    assert_eq!(n.enterprise_code, cc(TRADER));
    assert_eq!(n.enterprise_name, "厦门鹭江进出口有限公司");
    assert_eq!(n.customs_office, "3702");
    assert_eq!(n.unloading_point, "3702");
    assert_eq!(n.site_code.as_deref(), Some("YT01"));
    assert_eq!(n.issued_at, NOW);
    let hints: Vec<&str> = n.hints.iter().map(|h| h.en.as_str()).collect();
    assert_eq!(hints.len(), 2, "{hints:?}");
    assert!(hints[0].contains("weigh") && hints[1].contains("open them"), "{hints:?}");
    assert_eq!(d.release, None);
}

#[test]
fn file_yellow_lane_notifies_documentary_check() {
    let (d, events) = filed(standard(), Lane::Yellow);
    assert_eq!(kinds(&events), vec!["declaration_filed", "risk_assessed", "inspection_notice_issued"]);
    assert_eq!(d.status, Status::InspectionNotified);
    let n = d.notice.as_ref().unwrap();
    assert_eq!(n.method, InspectionMethod::Documentary);
    assert!(!n.weigh && !n.lab_sampling);
    assert_eq!(n.hints.len(), 1);
    assert!(n.hints[0].en.contains("documents"));
}

#[test]
fn file_by_the_consignee_or_its_mandated_agent_and_by_others_forbidden() {
    let rules = rules_for(Lane::Green);
    let t = trader();
    assert!(file(filing(standard(), &rules, &t, TRADER)).is_ok(), "the consignee");
    assert!(file(filing(standard(), &rules, &t, AGENT)).is_ok(), "its named agent, under its mandate");
    let mut without = filing(standard(), &rules, &t, AGENT);
    without.mandates = &[];
    let e = assert_kind(file(without), RefusalKind::Forbidden);
    assert_eq!(e.errors.iter().map(|f| (f.path.as_str(), f.rule)).collect::<Vec<_>>(), vec![("head.agent_code", Rule::MandateMissing)]);
    let mut with_owner = standard();
    with_owner.head.owner_code = Some(cc(OWNER));
    let e = assert_kind(file(filing(with_owner, &rules, &t, OWNER)), RefusalKind::Forbidden);
    assert_eq!(e.errors[0].rule, Rule::AgentNotNamed, "the named owner does not declare for the consignee");

    for outsider in [STRANGER, TERMINAL, OWNER] {
        let e = assert_kind(file(filing(standard(), &rules, &t, outsider)), RefusalKind::Forbidden);
        assert_eq!(
            e.errors.iter().map(|f| (f.path.as_str(), f.rule)).collect::<Vec<_>>(),
            vec![("head.trade_code", Rule::NotAParty)],
            "{outsider}"
        );
    }
}

#[test]
fn filing_events_fold_to_the_declared_content() {
    let (d, events) = filed(standard(), Lane::Red);
    match &events[0] {
        Event::DeclarationFiled { declaration_id, filed_by, content, terminal, arrived_at, .. } => {
            assert_eq!(declaration_id, ID);
            assert_eq!(filed_by, &cc(AGENT));
            assert_eq!(content, &standard());
            assert_eq!(terminal, &Some(cc(TERMINAL)));
            assert_eq!(arrived_at, &Some(datetime!(2025-03-08 00:00 UTC)));
        }
        other => panic!("{other:?}"),
    }
    match &events[1] {
        Event::RiskAssessed { declaration_id, decision } => {
            assert_eq!(declaration_id, ID);
            assert_eq!(decision, &d.decision);
            assert_eq!(decision.ruleset_version, 7);
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(d.content, standard());
    for e in &events {
        assert_eq!(e.stream(), format!("declaration:{ID}"));
    }
    assert!(Declaration::from_events(&events[1..]).is_none(), "a record starts with its filing");
    assert!(Declaration::from_events(&events[..1]).is_none(), "and needs its risk assessment");
}

#[test]
fn events_survive_a_json_round_trip() {
    // The journal stores events as JSON; folding what was read back must give the same record.
    let (d, mut events) = filed(standard(), Lane::Red);
    let pos = fold(&events).report_position(position(&d, BOX_A, TERMINAL)).unwrap();
    events.extend(pos);
    let res = fold(&events).record_result(result(Outcome::NotSatisfactory, &["origin labels say CHL"])).unwrap();
    events.extend(res);
    let rel = fold(&events).release(OFFICER, Some("relabelled under supervision".into()), NOW).unwrap();
    events.extend(rel);
    let json: Vec<String> = events.iter().map(|e| serde_json::to_string(e).unwrap()).collect();
    let back: Vec<Event> = json.iter().map(|j| serde_json::from_str(j).unwrap()).collect();
    assert_eq!(back, events);
    assert_eq!(fold(&back).status, Status::Released);
    assert!(json[0].contains("\"type\":\"declaration_filed\""), "{}", json[0]);
}

// --- arrive -----------------------------------------------------------------------------------

#[test]
fn advance_green_waits_for_arrival_then_releases_automatically() {
    let (d, events) = filed(advance(), Lane::Green);
    assert_eq!(kinds(&events), vec!["declaration_filed", "risk_assessed"], "no release before arrival");
    assert_eq!(d.status, Status::AwaitingArrival);
    assert_eq!(d.arrived_at, None);

    let at = datetime!(2025-03-12 06:15 UTC);
    let arrival = d.arrive(at, "厦门鹭江进出口有限公司").unwrap();
    assert_eq!(kinds(&arrival), vec!["goods_arrived", "released"]);
    let n = released_notice(&arrival);
    assert_eq!(n.kind, ReleaseKind::Automatic);
    assert_eq!(n.released_at, at);
    assert_eq!(n.officer, None);
    assert_eq!(n.enterprise_name, "厦门鹭江进出口有限公司");
    let d = then(&d, &arrival);
    assert_eq!(d.status, Status::Released);
    assert_eq!(d.arrived_at, Some(at));

    assert_kind(d.arrive(at, "x"), RefusalKind::Conflict);
}

#[test]
fn advance_blue_releases_on_arrival_for_audit() {
    let (d, events) = filed(advance(), Lane::Blue);
    assert_eq!(kinds(&events), vec!["declaration_filed", "risk_assessed"]);
    let arrival = d.arrive(NOW, "n").unwrap();
    assert_eq!(released_notice(&arrival).kind, ReleaseKind::PostClearanceAudit);
    assert_eq!(then(&d, &arrival).status, Status::Released);
}

#[test]
fn advance_red_arrival_records_arrival_but_does_not_release() {
    let (d, events) = filed(advance(), Lane::Red);
    assert_eq!(kinds(&events), vec!["declaration_filed", "risk_assessed", "inspection_notice_issued"]);
    assert_eq!(d.arrived_at, None);
    let arrival = d.arrive(NOW, "n").unwrap();
    assert_eq!(kinds(&arrival), vec!["goods_arrived"]);
    let d = then(&d, &arrival);
    assert_eq!(d.status, Status::InspectionNotified);
    assert_eq!(d.arrived_at, Some(NOW));
    assert_kind(d.arrive(NOW, "n"), RefusalKind::Conflict);
}

#[test]
fn arrival_of_goods_already_arrived_is_a_conflict() {
    for lane in [Lane::Green, Lane::Blue, Lane::Yellow, Lane::Red] {
        let (d, _) = filed(standard(), lane);
        assert_kind(d.arrive(NOW, "n"), RefusalKind::Conflict);
    }
}

// --- report_position --------------------------------------------------------------------------

#[test]
fn terminal_reports_containers_in_position() {
    let (d, _) = filed(standard(), Lane::Red);
    let report = position(&d, BOX_A, TERMINAL);
    let events = d.report_position(report.clone()).unwrap();
    assert_eq!(events, vec![Event::ContainerInPosition { report: report.clone() }], "goods already arrived");
    let d = then(&d, &events);
    assert_eq!(d.status, Status::InPosition);
    assert_eq!(d.positions, vec![report]);

    // The second container may follow; the first may not be reported again.
    let events = d.report_position(position(&d, BOX_B, TERMINAL)).unwrap();
    let d = then(&d, &events);
    assert_eq!(d.status, Status::InPosition);
    assert_eq!(d.positions.iter().map(|p| p.container_no.as_str()).collect::<Vec<_>>(), vec![BOX_A, BOX_B]);
    assert_field_refusal(d.report_position(position(&d, BOX_A, TERMINAL)), "container_no", Rule::ContainerReported);
}

#[test]
fn yellow_lane_also_accepts_position_reports() {
    let (d, _) = filed(standard(), Lane::Yellow);
    let d = then(&d, &d.report_position(position(&d, BOX_B, TERMINAL)).unwrap());
    assert_eq!(d.status, Status::InPosition);
}

#[test]
fn position_report_records_arrival_of_an_advance_declaration() {
    let (d, _) = filed(advance(), Lane::Red);
    let report = position(&d, BOX_A, TERMINAL);
    let events = d.report_position(report.clone()).unwrap();
    assert_eq!(kinds(&events), vec!["goods_arrived", "container_in_position"]);
    let d = then(&d, &events);
    assert_eq!(d.arrived_at, Some(report.arrived_at));
    assert_eq!(d.status, Status::InPosition);
}

#[test]
fn position_report_by_another_terminal_is_not_found() {
    let (d, _) = filed(standard(), Lane::Red);
    for by in [OTHER_TERMINAL, TRADER, AGENT] {
        assert_kind(d.report_position(position(&d, BOX_A, by)), RefusalKind::NotFound);
    }
    // A declaration with no terminal cannot take a report from anyone.
    let mut d2 = d.clone();
    d2.terminal = None;
    assert_kind(d2.report_position(position(&d2, BOX_A, TERMINAL)), RefusalKind::NotFound);
}

#[test]
fn position_report_field_checks() {
    let (d, _) = filed(standard(), Lane::Red);
    assert_field_refusal(d.report_position(position(&d, BOX_ELSEWHERE, TERMINAL)), "container_no", Rule::ContainerNotDeclared);
    assert_field_refusal(d.report_position(position(&d, "CSQU3054384", TERMINAL)), "container_no", Rule::ContainerNumber);
    let mut wrong_record = position(&d, BOX_A, TERMINAL);
    wrong_record.record_no = "CY999".into();
    assert_field_refusal(d.report_position(wrong_record), "record_no", Rule::RecordNoMismatch);

    // Both problems at once are both reported.
    let mut both = position(&d, BOX_ELSEWHERE, TERMINAL);
    both.record_no = "CY999".into();
    let e = assert_kind(d.report_position(both), RefusalKind::Validation);
    assert_eq!(e.errors.iter().map(|f| f.rule).collect::<Vec<_>>(), vec![Rule::RecordNoMismatch, Rule::ContainerNotDeclared]);
}

#[test]
fn position_report_in_the_wrong_state_is_refused() {
    let (green, _) = filed(standard(), Lane::Green);
    let (awaiting, _) = filed(advance(), Lane::Green);
    let inspected = red_inspected(satisfactory());
    let held = red_held();
    let released = then(&inspected, &inspected.release(OFFICER, None, NOW).unwrap());
    for (name, d) in [
        ("released green", green),
        ("awaiting arrival", awaiting),
        ("inspected", inspected),
        ("held", held),
        ("released after inspection", released),
    ] {
        let e = refused(d.report_position(position(&d, BOX_B, TERMINAL)));
        assert_eq!(e.kind, RefusalKind::InvalidState, "{name}: {e:?}");
    }
}

// --- record_result ----------------------------------------------------------------------------

#[test]
fn red_lane_result_needs_a_container_in_position() {
    let (d, _) = filed(standard(), Lane::Red);
    assert_kind(d.record_result(satisfactory()), RefusalKind::InvalidState);

    let d = red_in_position();
    let r = satisfactory();
    let events = d.record_result(r.clone()).unwrap();
    assert_eq!(events, vec![Event::InspectionResultRecorded { declaration_id: ID.into(), result: r.clone() }]);
    let d = then(&d, &events);
    assert_eq!(d.status, Status::Inspected);
    assert_eq!(d.result, Some(r));
}

#[test]
fn yellow_lane_result_needs_no_position() {
    let (d, _) = filed(standard(), Lane::Yellow);
    let d = then(&d, &d.record_result(satisfactory()).unwrap());
    assert_eq!(d.status, Status::Inspected);
    assert!(d.positions.is_empty());
}

#[test]
fn not_satisfactory_needs_findings() {
    let d = red_in_position();
    assert_field_refusal(d.record_result(result(Outcome::NotSatisfactory, &[])), "findings", Rule::FindingsRequired);
    assert_field_refusal(d.record_result(result(Outcome::NotSatisfactory, &["  ", ""])), "findings", Rule::FindingsRequired);
    let d = then(&d, &d.record_result(result(Outcome::NotSatisfactory, &["origin labels say CHL"])).unwrap());
    assert_eq!(d.status, Status::Inspected);
    assert_eq!(d.result.as_ref().unwrap().outcome, Outcome::NotSatisfactory);
}

#[test]
fn result_in_the_wrong_state_is_refused() {
    let (green, _) = filed(standard(), Lane::Green);
    let (awaiting, _) = filed(advance(), Lane::Green);
    let inspected = red_inspected(satisfactory());
    let held = red_held();
    for d in [green, awaiting, inspected, held] {
        let status = d.status;
        let e = assert_kind(d.record_result(satisfactory()), RefusalKind::InvalidState);
        assert!(e.detail_en.contains(status.as_str()), "{e:?}");
    }
}

// --- release ----------------------------------------------------------------------------------

#[test]
fn release_before_inspection_is_refused() {
    let (notified, _) = filed(standard(), Lane::Red);
    let e = assert_kind(notified.release(OFFICER, None, NOW), RefusalKind::InvalidState);
    assert!(e.detail_en.contains("inspection-notified"), "{}", e.detail_en);
    assert!(e.detail_zh.contains("待查验"), "{}", e.detail_zh);

    let (yellow, _) = filed(standard(), Lane::Yellow);
    let (awaiting, _) = filed(advance(), Lane::Green);
    let (released, _) = filed(standard(), Lane::Green);
    for d in [yellow, red_in_position(), awaiting, released] {
        assert_kind(d.release(OFFICER, Some("note".into()), NOW), RefusalKind::InvalidState);
    }
}

#[test]
fn release_after_satisfactory_inspection() {
    let d = red_inspected(satisfactory());
    let events = d.release(OFFICER, None, NOW).unwrap();
    let n = released_notice(&events);
    assert_eq!(n.kind, ReleaseKind::AfterInspection);
    assert_eq!(n.officer.as_deref(), Some(OFFICER));
    assert_eq!(n.note, None);
    assert_eq!(n.enterprise_name, "厦门鹭江进出口有限公司", "the name comes from the inspection notice");
    assert_eq!(n.terminal, Some(cc(TERMINAL)));
    let d = then(&d, &events);
    assert_eq!(d.status, Status::Released);
    assert_kind(d.release(OFFICER, None, NOW), RefusalKind::InvalidState);
}

#[test]
fn release_of_non_conforming_goods_needs_a_note() {
    let d = red_inspected(result(Outcome::NotSatisfactory, &["origin labels say CHL"]));
    assert_field_refusal(d.release(OFFICER, None, NOW), "note", Rule::ReleaseNoteRequired);
    assert_field_refusal(d.release(OFFICER, Some("   ".into()), NOW), "note", Rule::ReleaseNoteRequired);
    let events = d.release(OFFICER, Some("relabelled under supervision".into()), NOW).unwrap();
    let n = released_notice(&events);
    assert_eq!(n.kind, ReleaseKind::AfterInspection);
    assert_eq!(n.note.as_deref(), Some("relabelled under supervision"));
    assert_eq!(then(&d, &events).status, Status::Released);
}

#[test]
fn lifting_a_hold_needs_a_note() {
    let d = red_held();
    assert_field_refusal(d.release(OFFICER, None, NOW), "note", Rule::ReleaseNoteRequired);
    let events = d.release(OFFICER, Some("origin certificate produced".into()), NOW).unwrap();
    let n = released_notice(&events);
    assert_eq!(n.kind, ReleaseKind::HoldLifted);
    assert_eq!(n.note.as_deref(), Some("origin certificate produced"));
    let d = then(&d, &events);
    assert_eq!(d.status, Status::Released);
    assert!(d.hold.is_some(), "the hold stays on the record");
}

// --- hold -------------------------------------------------------------------------------------

#[test]
fn hold_at_any_point_of_the_inspection() {
    let (notified, _) = filed(standard(), Lane::Red);
    let (yellow, _) = filed(standard(), Lane::Yellow);
    for d in [notified, yellow, red_in_position(), red_inspected(satisfactory())] {
        let events = d.hold(OFFICER, "  suspected misdeclared origin ", NOW).unwrap();
        assert_eq!(
            events,
            vec![Event::Held {
                declaration_id: ID.into(),
                hold: Hold { reason: "suspected misdeclared origin".into(), officer: OFFICER.into(), at: NOW },
            }]
        );
        let d = then(&d, &events);
        assert_eq!(d.status, Status::Held);
        assert_eq!(d.hold.as_ref().unwrap().reason, "suspected misdeclared origin");
    }
}

#[test]
fn hold_needs_a_reason() {
    let d = red_in_position();
    assert_field_refusal(d.hold(OFFICER, "", NOW), "reason", Rule::Required);
    assert_field_refusal(d.hold(OFFICER, " \t ", NOW), "reason", Rule::Required);
}

#[test]
fn hold_outside_the_inspection_is_refused() {
    let (green, _) = filed(standard(), Lane::Green);
    let (awaiting, _) = filed(advance(), Lane::Green);
    let inspected = red_inspected(satisfactory());
    let released = then(&inspected, &inspected.release(OFFICER, None, NOW).unwrap());
    for d in [green, awaiting, released, red_held()] {
        assert_kind(d.hold(OFFICER, "reason", NOW), RefusalKind::InvalidState);
    }
}

// --- two-step / complete ----------------------------------------------------------------------

#[test]
fn two_step_completion_is_due_fourteen_days_after_arrival() {
    let (d, events) = filed(two_step(), Lane::Green);
    assert_eq!(kinds(&events), vec!["declaration_filed", "risk_assessed", "released"], "the summary releases the goods");
    assert_eq!(d.status, Status::Released);
    let arrival = date!(2025 - 03 - 08);
    assert_eq!(d.arrived_at.map(|a| a.date()), Some(arrival));
    assert_eq!(d.completion_due, Some(date!(2025 - 03 - 22)));
    assert_eq!(d.completion_due, Some(arrival + Duration::days(TWO_STEP_COMPLETION_DAYS)));
    assert!(!d.completion_overdue(arrival));
    assert!(!d.completion_overdue(date!(2025 - 03 - 22)), "day 14 is still in time");
    assert!(d.completion_overdue(date!(2025 - 03 - 23)), "day 15 is late");

    let mut full = two_step();
    full.items[0].g_model = Some("一级 80-85mm 纸箱 18kg".into());
    let at = datetime!(2025-03-20 08:00 UTC);
    let events = d.complete(full.clone(), at).unwrap();
    assert_eq!(events, vec![Event::DeclarationCompleted { declaration_id: ID.into(), content: full.clone(), at }]);
    let d = then(&d, &events);
    assert_eq!(d.content, full, "the complete content replaces the summary");
    assert_eq!(d.completed_at, Some(at));
    assert!(!d.completion_overdue(date!(2025 - 03 - 23)));
    assert!(!d.completion_overdue(date!(2026 - 01 - 01)));
    assert_eq!(d.status, Status::Released);

    assert_kind(d.complete(two_step(), at), RefusalKind::Conflict);
}

#[test]
fn late_completion_is_still_accepted_and_clears_the_overdue_flag() {
    let (d, _) = filed(two_step(), Lane::Green);
    assert!(d.completion_overdue(date!(2025 - 04 - 30)));
    let d = then(&d, &d.complete(two_step(), datetime!(2025-04-30 12:00 UTC)).unwrap());
    assert!(!d.completion_overdue(date!(2025 - 04 - 30)));
}

#[test]
fn two_step_on_the_red_lane_is_inspected_and_still_due() {
    let (d, _) = filed(two_step(), Lane::Red);
    assert_eq!(d.status, Status::InspectionNotified);
    assert_eq!(d.completion_due, Some(date!(2025 - 03 - 22)));
}

#[test]
fn completion_must_match_the_summary() {
    let (d, _) = filed(two_step(), Lane::Green);
    type HeadChange = fn(&mut Head);
    let cases: Vec<(&str, HeadChange)> = vec![
        ("head.bill_no", |h| h.bill_no = "COSU0000000001".into()),
        ("head.trade_code", |h| h.trade_code = cc(OWNER)),
        ("head.ie_flag", |h| h.ie_flag = IeFlag::Export),
        ("head.mode", |h| h.mode = DeclarationMode::Standard),
    ];
    for (path, change) in cases {
        let mut c = two_step();
        change(&mut c.head);
        assert_field_refusal(d.complete(c, NOW), path, Rule::SummaryMismatch);
    }
}

#[test]
fn completion_of_a_declaration_that_is_not_two_step_is_refused() {
    for content in [standard(), advance()] {
        let (d, _) = filed(content, Lane::Green);
        assert_eq!(d.completion_due, None);
        assert!(!d.completion_overdue(date!(2030 - 01 - 01)));
        let mut c = two_step();
        c.head.bill_no = d.content.head.bill_no.clone();
        assert_kind(d.complete(c, NOW), RefusalKind::InvalidState);
    }
}

#[test]
fn status_names_round_trip() {
    for st in Status::ALL {
        assert_eq!(Status::parse(st.as_str()), Some(st));
        assert!(!st.name_zh().is_empty());
    }
    assert_eq!(Status::parse("cleared"), None);
}

// ---------------------------------------------------------------------------------------------
// (c) Notice fan-out
// ---------------------------------------------------------------------------------------------

fn recipients(out: &[Outgoing]) -> Vec<&str> {
    out.iter().map(|o| o.recipient.as_str()).collect()
}

fn topics(out: &[Outgoing]) -> Vec<&'static str> {
    out.iter().map(|o| o.topic).collect()
}

#[test]
fn inspection_notice_goes_to_filer_consignee_and_terminal() {
    let (d, events) = filed(standard(), Lane::Red);
    let out = notice::outgoing(&events[2], &d);
    assert_eq!(recipients(&out), vec![AGENT, TRADER, TERMINAL]);
    assert_eq!(topics(&out), vec!["inspection.notice"; 3]);
    for o in &out {
        assert_eq!(o.body["record_no"], format!("CY{ID}"));
        assert_eq!(o.body["method"], "physical");
        assert_eq!(o.body, serde_json::to_value(d.notice.as_ref().unwrap()).unwrap());
    }
}

#[test]
fn inspection_notice_to_a_consignee_filing_for_itself_is_not_duplicated() {
    let rules = rules_for(Lane::Red);
    let t = trader();
    let mut c = standard();
    c.head.agent_code = None;
    let events = file(filing(c, &rules, &t, TRADER)).unwrap();
    let d = fold(&events);
    let out = notice::outgoing(&events[2], &d);
    assert_eq!(recipients(&out), vec![TRADER, TERMINAL]);

    // With an owner named too, the owner hears of it; with no terminal, no terminal message.
    let mut c = standard();
    c.head.owner_code = Some(cc(OWNER));
    let mut f = filing(c, &rules, &t, AGENT);
    f.terminal = None;
    let events = file(f).unwrap();
    let d = fold(&events);
    assert_eq!(recipients(&notice::outgoing(&events[2], &d)), vec![AGENT, TRADER, OWNER]);
}

#[test]
fn release_notice_goes_to_filer_consignee_and_terminal() {
    // Automatic release at filing.
    let (d, events) = filed(standard(), Lane::Green);
    let out = notice::outgoing(&events[2], &d);
    assert_eq!(recipients(&out), vec![AGENT, TRADER, TERMINAL]);
    assert_eq!(topics(&out), vec!["release.notice"; 3]);
    assert_eq!(out[0].body["kind"], "automatic");
    assert_eq!(out[2].body["declaration_id"], ID);

    // Release by an officer after inspection.
    let d = red_inspected(satisfactory());
    let events = d.release(OFFICER, None, NOW).unwrap();
    let d = then(&d, &events);
    let out = notice::outgoing(&events[0], &d);
    assert_eq!(recipients(&out), vec![AGENT, TRADER, TERMINAL]);
    assert_eq!(topics(&out), vec!["release.notice"; 3]);
    assert_eq!(out[1].body["kind"], "after-inspection");
    assert_eq!(out[1].body["officer"], OFFICER);
}

#[test]
fn risk_assessment_goes_to_traders_only() {
    let (d, events) = filed(standard(), Lane::Red);
    let out = notice::outgoing(&events[1], &d);
    assert_eq!(recipients(&out), vec![AGENT, TRADER]);
    assert_eq!(topics(&out), vec!["declaration.status"; 2]);
    assert_eq!(out[0].body["status"], "inspection-notified");
    assert_eq!(out[0].body["message_en"], "accepted");
    assert_eq!(out[0].body["bill_no"], "COSU6321458790");
    assert!(out[0].body.get("lane").is_none(), "traders are not told the lane");

    // An advance declaration is told it waits for the goods.
    let (d, events) = filed(advance(), Lane::Green);
    let out = notice::outgoing(&events[1], &d);
    assert_eq!(recipients(&out), vec![AGENT, TRADER]);
    assert_eq!(out[1].body["status"], "awaiting-arrival");
    assert_eq!(out[1].body["message_en"], "accepted; waiting for the goods to arrive");
}

#[test]
fn risk_assessment_of_goods_already_here_does_not_say_waiting_for_arrival() {
    // The store sends the RiskAssessed messages from the record folded from the filing pair only,
    // before the automatic release is applied.
    for (content, lane, waiting) in
        [(standard(), Lane::Green, false), (standard(), Lane::Blue, false), (advance(), Lane::Green, true), (advance(), Lane::Blue, true)]
    {
        let mode = content.head.mode;
        let (_, events) = filed(content, lane);
        let d = Declaration::from_events(&events[..2]).unwrap();
        let out = notice::outgoing(&events[1], &d);
        assert_eq!(recipients(&out), vec![AGENT, TRADER]);
        let expected = if waiting { "accepted; waiting for the goods to arrive" } else { "accepted" };
        assert_eq!(out[0].body["message_en"], expected, "{mode:?} {lane:?}");
    }
}

#[test]
fn other_events_fan_out_to_traders_or_nobody() {
    let (d, events) = filed(standard(), Lane::Red);
    assert!(notice::outgoing(&events[0], &d).is_empty(), "the filing itself sends nothing");

    let pos = d.report_position(position(&d, BOX_A, TERMINAL)).unwrap();
    let d = then(&d, &pos);
    let out = notice::outgoing(&pos[0], &d);
    assert_eq!(recipients(&out), vec![AGENT, TRADER]);
    assert_eq!(out[0].body["status"], "in-position");

    let held = d.hold(OFFICER, "seal broken", NOW).unwrap();
    let d = then(&d, &held);
    let out = notice::outgoing(&held[0], &d);
    assert_eq!(recipients(&out), vec![AGENT, TRADER]);
    assert_eq!(topics(&out), vec!["declaration.status"; 2]);
    assert_eq!(out[0].body["message_en"], "goods held: seal broken");

    let (d, _) = filed(advance(), Lane::Red);
    let arrival = d.arrive(NOW, "n").unwrap();
    assert!(notice::outgoing(&arrival[0], &then(&d, &arrival)).is_empty(), "arrival sends nothing");
}

#[test]
fn a_terminal_that_is_also_a_party_gets_one_message() {
    let rules = rules_for(Lane::Red);
    let t = trader();
    let mut f = filing(standard(), &rules, &t, AGENT);
    f.terminal = Some(cc(AGENT));
    let events = file(f).unwrap();
    let d = fold(&events);
    assert_eq!(recipients(&notice::outgoing(&events[2], &d)), vec![AGENT, TRADER]);
}

mod quarantine;
mod reroute;

/// Amounts beyond the GACC field lengths (N19,5 quantities, N19,4 unit prices, N17,2 totals,
/// N19,5 weights) are refused with their path, never multiplied; the largest allowed
/// quantity times the largest allowed price is refused too, not a panic.
#[test]
fn amounts_beyond_the_field_lengths_are_refused_not_overflowed() {
    type Set = fn(&mut DeclarationDraft, &str);
    let huge = "79228162514264337593543950335";
    let cases: Vec<(Set, &str)> = vec![
        (|d, v| d.items[0].decl_price = s(v), "items[0].decl_price"),
        (|d, v| d.items[0].g_qty = s(v), "items[0].g_qty"),
        (|d, v| d.items[0].decl_total = s(v), "items[0].decl_total"),
        (|d, v| d.head.gross_wt = s(v), "head.gross_wt"),
        (|d, v| d.head.net_wt = s(v), "head.net_wt"),
    ];
    for (set, path) in cases {
        let mut d = valid_draft();
        set(&mut d, huge);
        let errors = expect_errors(&d, TODAY);
        assert!(errors.contains(&(path.to_owned(), Rule::NumberDigits)), "{path}: {errors:?}");
    }
    let mut d = valid_draft();
    d.items[0].g_qty = s("99999999999999.99999");
    d.items[0].decl_price = s("999999999999999.9999");
    d.items[0].decl_total = s("999999999999999.99");
    let errors = expect_errors(&d, TODAY);
    assert!(errors.contains(&("items[0].decl_total".to_owned(), Rule::NumberRange)), "{errors:?}");
}
