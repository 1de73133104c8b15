//! 总担保 — the general guarantee ("one guarantee, many uses", seed 002 case 07). The tax of an
//! accepted inventory is reserved against the guarantee its `assureCode` names; paying the tax
//! gives the balance back, so goods are released before the tax is paid.

use super::events::CebEvent;
use super::inventory::{InventoryRecord, TaxState};
use crate::{FieldError, Refusal, RefusalKind, Rule};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// The five kinds of guarantee the seeds name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum GuaranteeKind {
    /// 保证金
    Deposit,
    /// 银行保函
    #[default]
    BankLetter,
    /// 关税保证保险
    TariffInsurance,
    /// 企业集团财务公司担保
    GroupFinance,
    /// 第三方增信
    ThirdParty,
}

impl GuaranteeKind {
    pub fn as_str(self) -> &'static str {
        match self {
            GuaranteeKind::Deposit => "deposit",
            GuaranteeKind::BankLetter => "bank-letter",
            GuaranteeKind::TariffInsurance => "tariff-insurance",
            GuaranteeKind::GroupFinance => "group-finance",
            GuaranteeKind::ThirdParty => "third-party",
        }
    }

    pub fn parse(s: &str) -> Option<GuaranteeKind> {
        Some(match s {
            "deposit" => GuaranteeKind::Deposit,
            "bank-letter" => GuaranteeKind::BankLetter,
            "tariff-insurance" => GuaranteeKind::TariffInsurance,
            "group-finance" => GuaranteeKind::GroupFinance,
            "third-party" => GuaranteeKind::ThirdParty,
            _ => return None,
        })
    }
}

/// A guarantee's balance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Guarantee {
    /// The holder's customs code, as inventories name it in `assureCode`.
    pub code: String,
    pub kind: GuaranteeKind,
    pub amount: Decimal,
    /// Tax of accepted inventories not yet paid.
    pub reserved: Decimal,
}

impl Guarantee {
    pub fn left(&self) -> Decimal {
        (self.amount - self.reserved).max(Decimal::ZERO)
    }
}

/// `guomen guarantee add`: registers a general guarantee of `code`, or adds `amount` to it.
pub fn add(existing: Option<&Guarantee>, code: &str, kind: GuaranteeKind, amount: Decimal) -> Result<(Guarantee, CebEvent), Refusal> {
    if amount <= Decimal::ZERO || amount.scale() > 2 {
        return Err(Refusal::field(
            "amount",
            Rule::Amount,
            "the amount is a positive sum in CNY, to the fen",
            "担保金额应为正数，最多两位小数",
        ));
    }
    if code.is_empty() || code.chars().count() > 30 {
        return Err(Refusal::field(
            "enterprise",
            Rule::Required,
            "name the enterprise holding the guarantee (1–30 characters)",
            "请填写担保企业编号（1至30个字符）",
        ));
    }
    let mut g = existing.cloned().unwrap_or(Guarantee { code: code.to_owned(), kind, amount: Decimal::ZERO, reserved: Decimal::ZERO });
    let ceiling = crate::types::money_ceiling();
    g.amount = g.amount.checked_add(amount).filter(|t| *t < ceiling).ok_or_else(|| {
        Refusal::field(
            "amount",
            Rule::NumberRange,
            format!("the guarantee would reach {ceiling} CNY or more; at most 15 digits before the point"),
            format!("担保总额将达到或超过 {ceiling} 元；整数部分最多15位"),
        )
    })?;
    g.kind = kind;
    let e = CebEvent::GuaranteeAdded { code: code.to_owned(), kind, added: amount, amount: g.amount };
    Ok((g, e))
}

/// 缴税: the tax of inventory lists `ids` (each with its record, if one under this guarantee was
/// found) is paid, and the guarantee's reservation given back.
pub fn pay_tax(g: &Guarantee, ids: &[String], records: &[Option<InventoryRecord>]) -> Result<CebEvent, Refusal> {
    if ids.is_empty() {
        return Err(Refusal::field("inventories", Rule::Required, "name the inventory lists whose tax is paid", "请列出已缴税的清单"));
    }
    let mut amount = Decimal::ZERO;
    for (i, (id, rec)) in ids.iter().zip(records).enumerate() {
        let path = format!("inventories[{i}]");
        if ids[..i].contains(id) {
            return Err(Refusal::field(&path, Rule::Duplicate, format!("{id} is listed twice"), format!("{id} 重复")));
        }
        let Some(rec) = rec.as_ref().filter(|r| r.acceptance.as_ref().is_some_and(|a| a.guarantee == g.code)) else {
            return Err(Refusal::field(
                &path,
                Rule::InventoryUnknown,
                format!("no inventory list {id} under the guarantee of {}", g.code),
                format!("{} 担保下没有清单 {id}", g.code),
            ));
        };
        if rec.tax_state != TaxState::Reserved {
            return Err(Refusal {
                kind: RefusalKind::Conflict,
                detail_en: format!("the tax of {id} is not awaiting payment"),
                detail_zh: format!("清单 {id} 没有待缴税款"),
                errors: vec![FieldError::new(path, Rule::TaxState, "no tax awaiting payment", "没有待缴税款")],
            });
        }
        amount += rec.tax_due;
    }
    let reserved = (g.reserved - amount).max(Decimal::ZERO);
    Ok(CebEvent::TaxPaid { guarantee: g.code.clone(), inventories: ids.to_vec(), amount, reserved })
}

/// What an event about an inventory list does to the tax reserved on a general guarantee: the
/// guarantee and the amount added to its reservation (negative when tax is given back), or None.
/// `tax_before` is the record's tax state before the event, `rec` the record after it. Acceptance
/// reserves the tax bill (and counts as a change even when the bill is nil); a cancellation or a
/// return gives back the tax not yet paid; goods returned after release give back their tax only
/// while it is unpaid. The writer and `verify --views` both follow the guarantee by this.
pub fn guarantee_change(e: &CebEvent, tax_before: TaxState, rec: &InventoryRecord) -> Option<(String, Decimal)> {
    let back = match e {
        CebEvent::InventoryAccepted { acceptance, .. } => return Some((acceptance.guarantee.clone(), acceptance.tax.total)),
        CebEvent::InventoryCancelled { tax_cancelled, .. } | CebEvent::InventoryReturned { tax_cancelled, .. } => *tax_cancelled,
        CebEvent::InventoryRefunded { tax, .. } if tax_before == TaxState::Reserved => *tax,
        _ => return None,
    };
    if back.is_zero() {
        return None;
    }
    rec.acceptance.as_ref().map(|a| (a.guarantee.clone(), -back))
}
