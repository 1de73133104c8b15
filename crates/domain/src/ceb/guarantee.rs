//! 总担保 — the general guarantee ("one guarantee, many uses", seed 002 case 07). The tax of an
//! accepted inventory is reserved against the guarantee its `assureCode` names; paying the tax
//! gives the balance back, so goods are released before the tax is paid.

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
