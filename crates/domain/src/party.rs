//! Parties: enterprises with their credit grade, and the roles people and systems act in.

use crate::types::{CreditCode, CustomsCode};
use serde::{Deserialize, Serialize};

/// 企业信用等级 — credit grade; it moves inspection rates up or down.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum CreditGrade {
    /// 高级认证企业 (AEO)
    AdvancedCertified,
    /// 一般信用企业
    Registered,
    /// 失信企业
    Untrustworthy,
}

impl CreditGrade {
    pub const ALL: [CreditGrade; 3] = [CreditGrade::AdvancedCertified, CreditGrade::Registered, CreditGrade::Untrustworthy];

    /// Accepts `advanced` (the CLI spelling) as well as `advanced-certified`.
    pub fn parse(s: &str) -> Option<Self> {
        match s.trim() {
            "advanced" | "advanced-certified" => Some(CreditGrade::AdvancedCertified),
            "registered" => Some(CreditGrade::Registered),
            "untrustworthy" => Some(CreditGrade::Untrustworthy),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            CreditGrade::AdvancedCertified => "advanced-certified",
            CreditGrade::Registered => "registered",
            CreditGrade::Untrustworthy => "untrustworthy",
        }
    }

    pub fn name_zh(self) -> &'static str {
        match self {
            CreditGrade::AdvancedCertified => "高级认证企业",
            CreditGrade::Registered => "一般信用企业",
            CreditGrade::Untrustworthy => "失信企业",
        }
    }
}

/// 企业 — a registered enterprise. Terminals and yards carry the supervision-site code they operate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Enterprise {
    pub code: CustomsCode,
    pub credit_code: CreditCode,
    pub name_zh: String,
    pub name_en: String,
    pub grade: CreditGrade,
    /// 监管场所代码 — set for terminals, yards and cargo stations.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub site_code: Option<String>,
}

/// The role a user or API token acts in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Role {
    /// 申报人 — files and follows its enterprise's declarations.
    Declarant,
    /// 码头/场站 — receives notices addressed to its site, reports containers in position.
    Terminal,
    /// 实验室 — receives samples and records results.
    Laboratory,
    /// 关员 — reviews, inspects, releases.
    Officer,
    /// 风险分析 — manages targeting criteria.
    RiskAnalyst,
    /// 系统管理员 — manages enterprises, users, tokens, subscriptions.
    Admin,
}

impl Role {
    pub const ALL: [Role; 6] = [Role::Declarant, Role::Terminal, Role::Laboratory, Role::Officer, Role::RiskAnalyst, Role::Admin];

    pub fn parse(s: &str) -> Option<Self> {
        Role::ALL.into_iter().find(|r| r.as_str() == s.trim())
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Declarant => "declarant",
            Role::Terminal => "terminal",
            Role::Laboratory => "laboratory",
            Role::Officer => "officer",
            Role::RiskAnalyst => "risk-analyst",
            Role::Admin => "admin",
        }
    }

    /// Officers, risk analysts and administrators act for customs and see every record.
    pub fn is_customs(self) -> bool {
        matches!(self, Role::Officer | Role::RiskAnalyst | Role::Admin)
    }

    /// Declarants and terminals act for one enterprise; the others act for the customs office.
    pub fn needs_enterprise(self) -> bool {
        matches!(self, Role::Declarant | Role::Terminal | Role::Laboratory)
    }
}

/// Who is acting: recorded on every journal entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Actor {
    /// `user:NAME`, `token:ID` or `system`.
    pub id: String,
    pub role: Option<Role>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enterprise: Option<CustomsCode>,
}

impl Actor {
    pub fn system() -> Self {
        Actor { id: "system".into(), role: None, enterprise: None }
    }

    pub fn is(&self, role: Role) -> bool {
        self.role == Some(role)
    }

    /// Acts for customs (officer, risk analyst, administrator).
    pub fn is_customs(&self) -> bool {
        self.role.is_some_and(Role::is_customs)
    }
}
