//! 报关单 — the declaration: its validated content, the record's life cycle, and the procedures
//! that move it from filing to release.

mod draft;
mod quarantine;
mod record;
mod reroute;
#[cfg(test)]
mod tests;
mod validate;

pub use draft::*;
pub use quarantine::*;
pub use record::*;
pub use reroute::{lane_zh, Reroute};
pub use validate::{validate, ValidationContext};

use crate::types::{CountryCode, CurrencyCode, CustomsCode, HsCode, OfficeCode, UnitCode};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use time::Date;

/// 进出口标志 — import or export.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum IeFlag {
    #[serde(rename = "I")]
    Import,
    #[serde(rename = "E")]
    Export,
}

impl IeFlag {
    pub fn as_str(self) -> &'static str {
        match self {
            IeFlag::Import => "I",
            IeFlag::Export => "E",
        }
    }
}

/// 申报模式 — how the declaration is filed (seed 002 case 05).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DeclarationMode {
    /// Filed after the goods arrived (imports) or reached the customs area (exports).
    Standard,
    /// 提前申报 — filed before arrival; released on arrival if not targeted.
    Advance,
    /// 两步申报 — step 1 summary releases the goods; the complete declaration is due within 14 days of arrival.
    TwoStep,
}

impl DeclarationMode {
    pub fn as_str(self) -> &'static str {
        match self {
            DeclarationMode::Standard => "standard",
            DeclarationMode::Advance => "advance",
            DeclarationMode::TwoStep => "two-step",
        }
    }
}

/// 表头 — the validated head.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Head {
    pub ie_flag: IeFlag,
    pub mode: DeclarationMode,
    pub customs_master: OfficeCode,
    pub ie_port: OfficeCode,
    /// Arrival (import) or departure (export) date; None for an advance import not yet arrived.
    pub ie_date: Option<Date>,
    pub trade_code: CustomsCode,
    pub owner_code: Option<CustomsCode>,
    pub agent_code: Option<CustomsCode>,
    pub traf_mode: String,
    pub traf_name: Option<String>,
    pub voyage_no: Option<String>,
    pub bill_no: String,
    pub manifest_no: Option<String>,
    pub trade_mode: String,
    pub trade_country: CountryCode,
    pub trans_mode: String,
    pub pack_no: u32,
    pub gross_wt: Decimal,
    pub net_wt: Decimal,
    pub site_code: Option<String>,
    pub note: Option<String>,
    /// 绿色通道 — priority handling asked for, with the reason.
    #[serde(default)]
    pub priority: Option<Priority>,
}

/// 表体 — one validated item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Item {
    pub g_no: u32,
    pub code_ts: HsCode,
    pub g_name: String,
    pub g_model: Option<String>,
    pub g_qty: Decimal,
    pub g_unit: UnitCode,
    pub decl_price: Decimal,
    pub decl_total: Decimal,
    pub trade_curr: CurrencyCode,
    pub origin_country: CountryCode,
    pub destination_country: CountryCode,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Container {
    pub container_id: String,
    pub container_md: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Licence {
    pub docu_code: String,
    pub cert_code: String,
}

/// A declaration's content once every field has been checked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeclarationContent {
    pub head: Head,
    pub items: Vec<Item>,
    pub containers: Vec<Container>,
    pub licences: Vec<Licence>,
}

impl DeclarationContent {
    /// Enterprises named on the declaration (consignee/consignor, owner, agent).
    pub fn parties(&self) -> Vec<&CustomsCode> {
        std::iter::once(&self.head.trade_code).chain(self.head.owner_code.as_ref()).chain(self.head.agent_code.as_ref()).collect()
    }
}

/// ISO 6346 container number check digit (owner code, category, serial, check digit).
pub fn container_number_valid(id: &str) -> bool {
    let b = id.as_bytes();
    if b.len() != 11 || !b[..4].iter().all(u8::is_ascii_uppercase) || !b[4..].iter().all(u8::is_ascii_digit) {
        return false;
    }
    let value = |c: u8| -> u32 {
        if c.is_ascii_digit() {
            return u32::from(c - b'0');
        }
        // Letters run from 10, skipping multiples of 11.
        let mut v = 10;
        let mut ch = b'A';
        while ch < c {
            v += 1;
            if v % 11 == 0 {
                v += 1;
            }
            ch += 1;
        }
        v
    };
    let sum: u32 = b[..10].iter().enumerate().map(|(i, &c)| value(c) << i).sum();
    (sum % 11) % 10 == u32::from(b[10] - b'0')
}
