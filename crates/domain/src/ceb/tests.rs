//! The inventory's procedures, case by case.

use super::events::{CebEvent, RefundLine};
use super::identity::{fingerprint, IdentityGuard, Sighting, Sightings};
use super::inventory::*;
use super::samples::{inventory, order, payment, waybill};
use super::{DocKind, Guarantee, GuaranteeKind, Ledger, Regime, Tariff};
use crate::party::CreditGrade;
use crate::risk::{CheckType, Conditions, Criterion, Lane, RuleSet};
use rust_decimal::Decimal;

const NOW: i64 = 1_796_000_000_000;

fn d(s: &str) -> Decimal {
    s.parse().unwrap()
}

fn record() -> InventoryRecord {
    let e = CebEvent::InventoryReceived {
        id: "514120261000000001".into(),
        pre_no: "B20261130000000001".into(),
        message: "M".into(),
        sender: "1105910160".into(),
        inventory: Box::new(inventory()),
        waiting_for: vec![DocKind::Payment],
        sighting: sighting(),
    };
    InventoryRecord::received(&e, NOW).unwrap()
}

fn sighting() -> Sighting {
    Sighting { at_ms: NOW, address: fingerprint("北京市海淀区中关村大街1号"), phone: fingerprint("13800000000") }
}

fn guarantee(amount: &str) -> Guarantee {
    Guarantee { code: "1105910160".into(), kind: GuaranteeKind::BankLetter, amount: d(amount), reserved: Decimal::ZERO }
}

fn rules_selecting(prefix: &str) -> RuleSet {
    RuleSet {
        version: 3,
        criteria: vec![Criterion {
            id: "CBEC-COSMETICS".into(),
            description: "cosmetics sampling".into(),
            active: true,
            revision: 1,
            when: Conditions { hs_prefixes: vec![prefix.into()], trade_modes: vec!["9610".into()], ..Conditions::default() },
            lane: Lane::Red,
            rate_percent: d("100"),
            lab_sampling: false,
            check_type: CheckType::Examination,
            weigh: false,
        }],
        ..RuleSet::default()
    }
}

struct World {
    order: super::OrderDoc,
    payment: super::PaymentDoc,
    waybill: super::WaybillDoc,
    ledger: Ledger,
    guarantee: Option<Guarantee>,
    sightings: Sightings,
    guard: IdentityGuard,
    rules: RuleSet,
    cleared: bool,
}

impl World {
    fn new() -> World {
        World {
            order: order(),
            payment: payment(),
            waybill: waybill(),
            ledger: Ledger::default(),
            guarantee: Some(guarantee("10000")),
            sightings: Sightings::default(),
            guard: IdentityGuard::default(),
            rules: RuleSet::default(),
            cleared: false,
        }
    }

    fn decide(&self, rec: &InventoryRecord) -> CebEvent {
        let country = |c: &str| c.to_owned();
        let checks = Checks {
            order: &self.order,
            payment: &self.payment,
            waybill: &self.waybill,
            ledger: self.ledger,
            year: 2026,
            guarantee: self.guarantee.as_ref(),
            sightings: &self.sightings,
            guard: &self.guard,
            rules: &self.rules,
            grade: CreditGrade::Registered,
            seed: 42,
            tariff: Tariff::embedded(),
            identity_cleared: self.cleared,
            country: &country,
        };
        decide(rec, &checks, sighting())
    }
}

#[test]
fn agreeing_documents_within_limits_are_released_at_once() {
    let w = World::new();
    let mut rec = record();
    let e = w.decide(&rec);
    let CebEvent::InventoryAccepted { acceptance, quota, released, guarantee_left, .. } = &e else { panic!("{e:?}") };
    assert!(released);
    assert_eq!(acceptance.regime, Regime::WithinLimits);
    assert_eq!(acceptance.value, d("700"));
    let q = quota.unwrap();
    assert_eq!((q.year, q.ledger.reserved, q.ledger.used), (2026, d("0"), d("700")));
    assert_eq!(*guarantee_left, d("10000") - acceptance.tax.total);
    assert!(acceptance.tax.total > Decimal::ZERO);
    rec.apply(&e, NOW);
    assert_eq!(rec.status, InventoryStatus::Released);
    assert_eq!(rec.status.return_status(), "800");
    assert_eq!(rec.tax_state, TaxState::Reserved);
}

#[test]
fn a_selecting_criterion_holds_for_inspection_and_release_consumes_the_reservation() {
    let mut w = World::new();
    w.rules = rules_selecting("3304");
    let mut rec = record();
    let e = w.decide(&rec);
    let CebEvent::InventoryAccepted { acceptance, quota, released: false, .. } = &e else { panic!("{e:?}") };
    assert_eq!(acceptance.decision.lane, Lane::Red);
    assert_eq!(acceptance.decision.hits[0].criterion, "CBEC-COSMETICS");
    assert!(acceptance.decision.hits[0].reasons.iter().any(|r| r.en.contains("3304990099")));
    let ledger = quota.unwrap().ledger;
    assert_eq!((ledger.reserved, ledger.used), (d("700"), d("0")));
    rec.apply(&e, NOW);
    assert_eq!(rec.status.return_status(), "500");

    let r = release(&rec, "officer1", "conforms", ledger).unwrap();
    let CebEvent::InventoryReleased { quota, .. } = &r else { panic!() };
    assert_eq!((quota.ledger.reserved, quota.ledger.used), (d("0"), d("700")));
    rec.apply(&r, NOW + 1);
    assert_eq!(rec.status, InventoryStatus::Released);
    assert!(release(&rec, "officer1", "again", quota.ledger).is_err(), "released twice");
}

#[test]
fn disagreeing_documents_are_rejected_with_the_field() {
    let mut w = World::new();
    w.payment.amount_paid = d("699");
    let e = w.decide(&record());
    let CebEvent::InventoryRejected { reasons, quota: None, .. } = &e else { panic!("{e:?}") };
    assert_eq!(reasons[0].path, "PaymentHead/amountPaid");
}

#[test]
fn procedure_rules_come_before_the_documents() {
    let w = World::new();
    let mut rec = record();
    rec.inventory.trade_mode = "0110".into();
    rec.inventory.items[0].gcode = "9999999999".into();
    let CebEvent::InventoryRejected { reasons, .. } = w.decide(&rec) else { panic!() };
    let paths: Vec<&str> = reasons.iter().map(|r| r.path.as_str()).collect();
    assert_eq!(paths, ["InventoryHead/tradeMode", "InventoryList[0]/gcode"]);
}

#[test]
fn limits_reject_or_tax_in_full() {
    let mut w = World::new();
    w.ledger = Ledger { reserved: d("0"), used: d("25500") };
    let CebEvent::InventoryRejected { reasons, .. } = w.decide(&record()) else { panic!() };
    assert_eq!(reasons[0].path, "InventoryHead/buyerIdNumber");
    assert!(reasons[0].en.contains("500"), "{}", reasons[0].en);

    // One watch of 8,000 CNY: a single indivisible item taxed in full.
    let mut w = World::new();
    let mut rec = record();
    rec.inventory.items.truncate(1);
    let l = &mut rec.inventory.items[0];
    (l.gcode, l.qty, l.price, l.total_price) = ("9102110000".into(), d("1"), d("7990"), d("7990"));
    w.order.items.truncate(1);
    let ol = &mut w.order.items[0];
    (ol.qty, ol.price, ol.total_price) = (d("1"), d("7990"), d("7990"));
    w.order.goods_value = d("7990");
    w.order.actural_paid = d("8000");
    w.payment.amount_paid = d("8000");
    let e = w.decide(&rec);
    let CebEvent::InventoryAccepted { acceptance, .. } = &e else { panic!("{e:?}") };
    assert_eq!(acceptance.regime, Regime::SingleItemFullRate);
    assert_eq!(acceptance.tax.duty, d("640"));

    // The same value in two items is general trade.
    let mut two = rec.clone();
    let mut second = two.inventory.items[0].clone();
    second.gnum = 2;
    (second.qty, second.total_price) = (d("1"), d("10"));
    two.inventory.items.push(second);
    let mut w2 = World::new();
    w2.order = w.order.clone();
    let mut ol2 = w2.order.items[0].clone();
    (ol2.gnum, ol2.total_price) = (2, d("10"));
    w2.order.items.push(ol2);
    w2.order.goods_value = d("8000");
    w2.order.actural_paid = d("8010");
    w2.payment.amount_paid = d("8010");
    let CebEvent::InventoryRejected { reasons, .. } = w2.decide(&two) else { panic!() };
    assert_eq!(reasons[0].path, "InventoryList");
}

#[test]
fn the_guarantee_must_exist_and_cover_the_tax() {
    let mut w = World::new();
    w.guarantee = None;
    let CebEvent::InventoryRejected { reasons, .. } = w.decide(&record()) else { panic!() };
    assert_eq!(reasons[0].path, "InventoryHead/assureCode");
    w.guarantee = Some(guarantee("1"));
    let CebEvent::InventoryRejected { reasons, .. } = w.decide(&record()) else { panic!() };
    assert!(reasons[0].en.contains("less than the tax"));
}

#[test]
fn identity_theft_hold_then_confirmation_gives_the_quota_back() {
    let mut w = World::new();
    w.guard = IdentityGuard { enabled: true, window_days: 30, max_addresses: 1, max_phones: 9 };
    w.sightings.push(Sighting { at_ms: NOW - 1000, address: fingerprint("别处"), phone: fingerprint("13800000000") });
    let mut rec = record();
    let e = w.decide(&rec);
    let CebEvent::InventoryHeld { quota, suspicion, .. } = &e else { panic!("{e:?}") };
    assert_eq!(suspicion.addresses, 2);
    assert_eq!(quota.ledger.reserved, d("700"));
    rec.apply(&e, NOW);
    assert_eq!(rec.status.return_status(), "300");

    let held_ledger = quota.ledger;
    let c = confirm_identity_theft(&rec, "officer1", "buyer reported theft", held_ledger).unwrap();
    let CebEvent::IdentityTheftConfirmed { quota, .. } = &c else { panic!() };
    assert_eq!(quota.ledger, Ledger::default());
    rec.apply(&c, NOW + 1);
    assert_eq!(rec.status, InventoryStatus::Rejected);
}

#[test]
fn a_cleared_hold_is_accepted_without_reserving_twice() {
    let mut w = World::new();
    w.guard = IdentityGuard { enabled: true, window_days: 30, max_addresses: 0, max_phones: 0 };
    let mut rec = record();
    let held = w.decide(&rec);
    rec.apply(&held, NOW);
    let CebEvent::InventoryHeld { quota, .. } = held else { panic!() };
    w.ledger = quota.ledger;
    rec.apply(&clear_identity(&rec, "officer1", "verified with the buyer").unwrap(), NOW + 1);
    w.cleared = true;
    let e = w.decide(&rec);
    let CebEvent::InventoryAccepted { quota, released: true, .. } = &e else { panic!("{e:?}") };
    let l = quota.unwrap().ledger;
    assert_eq!((l.reserved, l.used), (d("0"), d("700")));
}

#[test]
fn cancellation_gives_back_quota_and_unpaid_tax() {
    let w = World::new();
    let mut rec = record();
    let e = w.decide(&rec);
    let CebEvent::InventoryAccepted { quota, acceptance, .. } = &e else { panic!() };
    let ledger = quota.unwrap().ledger;
    rec.apply(&e, NOW);
    let c = cancel(&rec, "M2", "buyer cancelled", ledger).unwrap();
    let CebEvent::InventoryCancelled { quota, tax_cancelled, .. } = &c else { panic!() };
    assert_eq!(quota.unwrap().ledger, Ledger::default());
    assert_eq!(*tax_cancelled, acceptance.tax.total);
    rec.apply(&c, NOW + 1);
    assert_eq!(rec.status, InventoryStatus::Cancelled);
    assert!(cancel(&rec, "M3", "again", Ledger::default()).is_err());

    // A waiting inventory holds no quota.
    let c = cancel(&record(), "M4", "never mind", Ledger::default()).unwrap();
    assert!(matches!(c, CebEvent::InventoryCancelled { quota: None, .. }));
}

#[test]
fn returns_after_release_line_by_line() {
    let w = World::new();
    let mut rec = record();
    let e = w.decide(&rec);
    let CebEvent::InventoryAccepted { quota, .. } = &e else { panic!() };
    let mut ledger = quota.unwrap().ledger;
    rec.apply(&e, NOW);

    let one = [RefundLine { gnum: 1, qty: d("1") }];
    let r = refund(&rec, "R1", "damaged", &one, NOW + 1000, ledger).unwrap();
    let CebEvent::InventoryRefunded { value, complete: false, quota, .. } = &r else { panic!("{r:?}") };
    assert!(*value > d("150") && *value < d("155"), "half of line 1 with its freight share: {value}");
    ledger = quota.ledger;
    rec.apply(&r, NOW + 1000);

    let too_many = [RefundLine { gnum: 1, qty: d("2") }];
    assert!(refund(&rec, "R2", "x", &too_many, NOW + 2000, ledger).is_err());
    let unknown = [RefundLine { gnum: 9, qty: d("1") }];
    assert!(refund(&rec, "R2", "x", &unknown, NOW + 2000, ledger).is_err());

    let rest = [RefundLine { gnum: 1, qty: d("1") }, RefundLine { gnum: 2, qty: d("1") }];
    let r = refund(&rec, "R3", "changed mind", &rest, NOW + 3000, ledger).unwrap();
    let CebEvent::InventoryRefunded { complete: true, quota, .. } = &r else { panic!("{r:?}") };
    assert_eq!(quota.ledger, Ledger::default(), "everything returned gives everything back");
    rec.apply(&r, NOW + 3000);
    assert_eq!(rec.tax_due, Decimal::ZERO);

    let late = refund(&rec, "R4", "late", &one, NOW + 31 * 86_400_000, ledger);
    assert!(late.is_err());
}

#[test]
fn detention_return_and_departure_follow_the_states() {
    let mut w = World::new();
    w.rules = rules_selecting("1901");
    let mut rec = record();
    let e = w.decide(&rec);
    let CebEvent::InventoryAccepted { quota, .. } = &e else { panic!() };
    let ledger = quota.unwrap().ledger;
    rec.apply(&e, NOW);
    assert!(depart(&rec, "D1", "RKD1").is_err(), "not released yet");
    assert!(detain(&rec, "officer1", 600, "x").is_err());
    let det = detain(&rec, "officer1", 502, "smuggling suspected").unwrap();
    rec.apply(&det, NOW + 1);
    assert_eq!(rec.status.return_status(), "502");
    let ret = order_return(&rec, "officer1", "sent back", ledger).unwrap();
    let CebEvent::InventoryReturned { quota, tax_cancelled, .. } = &ret else { panic!() };
    assert_eq!(quota.ledger, Ledger::default());
    assert!(*tax_cancelled > Decimal::ZERO);
    rec.apply(&ret, NOW + 2);
    assert_eq!(rec.status.return_status(), "700");

    let mut released = record();
    released.apply(&World::new().decide(&released), NOW);
    let dep = depart(&released, "D2", "RKD2").unwrap();
    released.apply(&dep, NOW + 1);
    assert_eq!(released.status.return_status(), "899");
}

#[test]
fn targeting_sees_buyers_on_lists() {
    let mut w = World::new();
    let mut rules = RuleSet::default();
    rules.lists.insert("watch-buyers".into(), ["11010119900307123X".to_owned()].into_iter().collect());
    rules.criteria.push(Criterion {
        id: "BUYER-WATCH".into(),
        description: "buyers under watch".into(),
        active: true,
        revision: 1,
        when: Conditions {
            on_lists: vec![crate::risk::ListCondition { list: "watch-buyers".into(), field: crate::risk::ListField::Buyer }],
            ..Conditions::default()
        },
        lane: Lane::Yellow,
        rate_percent: d("100"),
        lab_sampling: false,
        check_type: CheckType::Examination,
        weigh: false,
    });
    w.rules = rules;
    let CebEvent::InventoryAccepted { acceptance, released: false, .. } = w.decide(&record()) else { panic!() };
    assert_eq!(acceptance.decision.lane, Lane::Yellow);
}

#[test]
fn a_fold_takes_the_tax_payment_naming_the_list_and_says_what_each_event_did() {
    let w = World::new();
    let rec = record();
    let received = CebEvent::InventoryReceived {
        id: rec.id.clone(),
        pre_no: rec.pre_no.clone(),
        message: "M".into(),
        sender: rec.sender.clone(),
        inventory: Box::new(rec.inventory.clone()),
        waiting_for: vec![],
        sighting: sighting(),
    };
    let accepted = w.decide(&rec);
    let paid = |ids: Vec<String>| CebEvent::TaxPaid { guarantee: "1105910160".into(), inventories: ids, amount: d("1"), reserved: d("0") };
    let entries = vec![
        (10, NOW, received),
        (11, NOW, accepted),
        (12, NOW + 1, paid(vec!["514120269999999999".into()])),
        (13, NOW + 2, paid(vec![rec.id.clone()])),
    ];
    let mut seen = Vec::new();
    let folded = InventoryRecord::fold_with(&rec.id, entries.clone(), |before, r, seq, _, e| {
        seen.push((seq, before, r.tax_state, e.quota_change().map(|q| q.ledger.used)));
    })
    .unwrap();
    assert_eq!(
        seen,
        vec![
            (10, TaxState::None, TaxState::None, None),
            (11, TaxState::None, TaxState::Reserved, Some(d("700"))),
            (13, TaxState::Reserved, TaxState::Paid, None),
        ],
        "another list's payment is passed over"
    );
    assert_eq!((folded.tax_state, folded.updated_at_ms, folded.journal_seq), (TaxState::Paid, NOW + 2, 10));
    assert_eq!(InventoryRecord::fold(&rec.id, entries), Some(folded));
}

#[test]
fn acceptance_reserves_the_tax_on_the_guarantee_and_a_cancellation_gives_it_back() {
    let w = World::new();
    let mut rec = record();
    let accepted = w.decide(&rec);
    let CebEvent::InventoryAccepted { acceptance, quota, .. } = &accepted else { panic!("{accepted:?}") };
    let tax = acceptance.tax.total;
    let before = rec.tax_state;
    rec.apply(&accepted, NOW);
    assert_eq!(super::guarantee_change(&accepted, before, &rec), Some(("1105910160".into(), tax)));
    let cancelled = cancel(&rec, "M2", "buyer changed mind", quota.unwrap().ledger).unwrap();
    let before = rec.tax_state;
    rec.apply(&cancelled, NOW + 1);
    assert_eq!(super::guarantee_change(&cancelled, before, &rec), Some(("1105910160".into(), -tax)));
    let other = CebEvent::GuaranteeAdded { code: "1105910160".into(), kind: GuaranteeKind::BankLetter, added: d("1"), amount: d("1") };
    assert_eq!(super::guarantee_change(&other, TaxState::Reserved, &rec), None);
}
