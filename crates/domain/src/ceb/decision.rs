//! The decision on an inventory list whose four documents are all here: the procedure's own
//! rules, the three-document check, the buyer's limits, the identity guard, the tax against
//! the guarantee, and targeting.

use super::check::{three_documents, Disagreement};
use super::documents::{InventoryDoc, OrderDoc, PaymentDoc, WaybillDoc};
use super::events::{Acceptance, CebEvent, QuotaChange};
use super::guarantee::Guarantee;
use super::identity::{IdentityGuard, Sightings};
use super::inventory::{InventoryRecord, TRADE_MODES};
use super::quota::{Ledger, OverLimit};
use super::tax::{compute, Tariff};
use crate::declaration::IeFlag;
use crate::party::CreditGrade;
use crate::risk::{assess, RuleSet, Subject, SubjectItem};
use rust_decimal::Decimal;

/// What deciding an inventory needs besides the inventory itself.
pub struct Checks<'a> {
    pub order: &'a OrderDoc,
    pub payment: &'a PaymentDoc,
    pub waybill: &'a WaybillDoc,
    /// The buyer's ledger for `year`.
    pub ledger: Ledger,
    pub year: i32,
    /// The guarantee the inventory's `assureCode` names, if registered.
    pub guarantee: Option<&'a Guarantee>,
    pub sightings: &'a Sightings,
    pub guard: &'a IdentityGuard,
    pub rules: &'a RuleSet,
    /// The e-commerce enterprise's credit grade.
    pub grade: CreditGrade,
    pub seed: u64,
    pub tariff: &'a Tariff,
    /// The officer already cleared an identity hold.
    pub identity_cleared: bool,
    /// Converts a GACC country code to ISO 3166 alpha-3 for targeting.
    pub country: &'a dyn Fn(&str) -> String,
}

fn problem(path: &str, en: String, zh: String) -> Disagreement {
    Disagreement { path: path.into(), en, zh }
}

/// Rules of the retail-import procedure itself, before the documents are compared.
fn procedure_problems(inv: &InventoryDoc) -> Vec<Disagreement> {
    let mut out = Vec::new();
    if inv.ie_flag != "I" {
        out.push(problem(
            "InventoryHead/ieFlag",
            "only import inventories (ieFlag I) are handled here".into(),
            "此处仅受理进口清单（ieFlag 应为 I）".into(),
        ));
    }
    if !TRADE_MODES.contains(&inv.trade_mode.as_str()) {
        out.push(problem(
            "InventoryHead/tradeMode",
            format!("trade mode {} is not a cross-border e-commerce retail import mode (9610, 1210, 1239)", inv.trade_mode),
            format!("监管方式 {} 不是跨境电商零售进口方式（9610、1210、1239）", inv.trade_mode),
        ));
    }
    for (i, line) in inv.items.iter().enumerate() {
        let ok = line.gcode.len() == 10 && line.gcode.bytes().all(|b| b.is_ascii_digit()) && guomen_reference::hs::is_hs6(&line.gcode[..6]);
        if !ok {
            out.push(problem(
                &format!("InventoryList[{i}]/gcode"),
                format!("{} is not a commodity code of the HS 2022 nomenclature", line.gcode),
                format!("{} 不是 HS 2022 商品编码", line.gcode),
            ));
        }
    }
    out
}

/// What targeting sees of an inventory.
pub fn subject<'a>(inv: &'a InventoryDoc, country: &dyn Fn(&str) -> String, countries: &'a mut Vec<String>) -> Subject<'a> {
    countries.clear();
    countries.push(country(&inv.country));
    countries.extend(inv.items.iter().map(|l| country(&l.country)));
    let countries: &'a Vec<String> = countries;
    Subject {
        ie_flag: IeFlag::Import,
        trade_country: &countries[0],
        parties: vec![&inv.ebc_code, &inv.ebp_code, &inv.agent_code, &inv.logistics_code],
        trade_mode: &inv.trade_mode,
        bill_no: inv.bill_no.as_deref().unwrap_or(&inv.logistics_no),
        buyer: Some(&inv.buyer_id_number),
        items: inv
            .items
            .iter()
            .enumerate()
            .map(|(i, l)| SubjectItem {
                g_no: l.gnum.max(0) as u32,
                code: &l.gcode,
                origin: &countries[i + 1],
                currency: "CNY",
                unit: &l.unit,
                unit_price: l.price,
            })
            .collect(),
    }
}

/// 三单对碰, limits, identity guard, tax and targeting: the decision on an inventory whose four
/// documents are all here. Returns `InventoryRejected`, `InventoryHeld` or `InventoryAccepted`.
pub fn decide(rec: &InventoryRecord, c: &Checks<'_>, sighting: super::identity::Sighting) -> CebEvent {
    let inv = &rec.inventory;
    // A hold already reserved the quota; the ledger then still holds this inventory's value.
    let already = rec.quota_year.is_some() && rec.quota_value > Decimal::ZERO;
    let reject = |reasons: Vec<Disagreement>| CebEvent::InventoryRejected {
        id: rec.id.clone(),
        key: rec.key.clone(),
        reasons,
        quota: already.then(|| QuotaChange { year: rec.quota_year.unwrap_or(c.year), ledger: rec.give_back(c.ledger) }),
    };
    let mut reasons = procedure_problems(inv);
    reasons.extend(three_documents(inv, c.order, c.payment, c.waybill));
    if !reasons.is_empty() {
        return reject(reasons);
    }

    let value = inv.value();
    let probe = if already { rec.give_back(c.ledger) } else { c.ledger };
    let regime = match probe.assess(value, inv.single_indivisible()) {
        Ok(r) => r,
        Err(over) => {
            let path = if matches!(over, OverLimit::Transaction { .. }) { "InventoryList" } else { "InventoryHead/buyerIdNumber" };
            return reject(vec![problem(path, over.en(), over.zh())]);
        }
    };

    if !c.identity_cleared {
        if let Some(suspicion) = c.sightings.check(sighting, c.guard) {
            let mut ledger = c.ledger;
            ledger.reserve(value).expect("assessed above");
            return CebEvent::InventoryHeld {
                id: rec.id.clone(),
                key: rec.key.clone(),
                buyer: inv.buyer(),
                value,
                suspicion,
                quota: QuotaChange { year: c.year, ledger },
            };
        }
    }

    let tax = compute(inv, regime, c.tariff);
    let Some(guarantee) = c.guarantee else {
        return reject(vec![problem(
            "InventoryHead/assureCode",
            format!("no general guarantee is registered for {}; the tax ({} CNY) cannot be reserved", inv.assure_code, tax.total),
            format!("担保企业 {} 未备案总担保，税款（{} 元）无法担保", inv.assure_code, tax.total),
        )]);
    };
    if tax.total > guarantee.left() {
        return reject(vec![problem(
            "InventoryHead/assureCode",
            format!("the guarantee of {} has {} CNY left, less than the tax of {} CNY", guarantee.code, guarantee.left(), tax.total),
            format!("担保企业 {} 的担保余额 {} 元不足以担保税款 {} 元", guarantee.code, guarantee.left(), tax.total),
        )]);
    }

    let mut countries = Vec::new();
    let decision = assess(&subject(inv, c.country, &mut countries), c.grade, c.rules, c.seed);
    let released = !decision.lane.needs_inspection();
    let quota = if already {
        let mut ledger = c.ledger;
        if released {
            ledger.consume(value);
        }
        Some(QuotaChange { year: rec.quota_year.unwrap_or(c.year), ledger })
    } else {
        let mut ledger = c.ledger;
        ledger.reserve(value).expect("assessed above");
        if released {
            ledger.consume(value);
        }
        Some(QuotaChange { year: c.year, ledger })
    };
    let guarantee_left = guarantee.left() - tax.total;
    CebEvent::InventoryAccepted {
        id: rec.id.clone(),
        key: rec.key.clone(),
        buyer: inv.buyer(),
        acceptance: Box::new(Acceptance { regime, value, tax, guarantee: guarantee.code.clone(), decision }),
        quota,
        released,
        guarantee_left,
    }
}

/// An inventory whose order, payment or waybill was withdrawn while it waited (or under review)
/// is rejected, naming each document that is gone.
pub fn documents_withdrawn(rec: &InventoryRecord, missing: &[super::documents::DocKind]) -> CebEvent {
    CebEvent::InventoryRejected {
        id: rec.id.clone(),
        key: rec.key.clone(),
        reasons: missing
            .iter()
            .map(|k| Disagreement {
                path: k.message().into(),
                en: format!("the {} ({}) was withdrawn", k.as_str(), k.message()),
                zh: format!("{}已删除", k.name_zh()),
            })
            .collect(),
        quota: None,
    }
}
