//! 检疫审批 — the entry quarantine permit (进境动植物检疫许可证) for seeds, plants, animals and
//! their products, and its write-off (核销) by declarations.
//!
//! ```text
//! issued ─► (written off by declarations, item by item) ─► used up
//!    └───────────────► revoked (by an officer, at any time)
//! ```
//! The permit's status is not stored: it is derived for a day from its validity dates, its
//! balance and its revocation ([`Permit::status`]). A declaration names its permit as an
//! accompanying document (`licences[].docu_code = "QP"`, `cert_code` = the permit number); at
//! filing, [`check_declaration`] matches every import item that needs a permit against the permits
//! named, checks holder, validity, origin, unit and balance, and returns the write-offs.
//! Seed 000 (L customs): original seeds for propagation are imported after "办理检疫审批手续".

use crate::declaration::{DeclarationContent, IeFlag};
use crate::error::{FieldError, Refusal, RefusalKind, Rule};
use crate::types::{parse_decimal, CountryCode, CustomsCode, ParseError, UnitCode};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use time::{Date, OffsetDateTime};

/// DecLicenseDocu code by which a declaration names its quarantine permit; the permit number
/// goes in `cert_code`.
pub const PERMIT_DOCU_CODE: &str = "QP";

/// Longest permit number.
pub const MAX_PERMIT_ID_LEN: usize = 32;

/// A class of goods that may be imported only under a quarantine permit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PermitRequirement {
    /// HS prefix (chapter, heading or subheading) the requirement covers.
    pub hs_prefix: &'static str,
    pub en: &'static str,
    pub zh: &'static str,
}

/// Goods that need a quarantine permit before import (进境动植物检疫审批名录, as far as
/// Guomen models it). An item needs a permit when its commodity code starts with one of these
/// prefixes. Plant products for consumption (fruit, grain) are left to the risk rules.
pub const PERMIT_REQUIRED: &[PermitRequirement] = &[
    PermitRequirement { hs_prefix: "01", en: "live animals", zh: "活动物" },
    PermitRequirement {
        hs_prefix: "0511",
        en: "animal products not elsewhere specified (semen, embryos, …)",
        zh: "其他动物产品（精液、胚胎等）",
    },
    PermitRequirement { hs_prefix: "0601", en: "bulbs, tubers, corms and rhizomes", zh: "鳞茎、块茎、球茎及根茎" },
    PermitRequirement { hs_prefix: "0602", en: "other live plants, cuttings and slips", zh: "其他活植物、插枝及接穗" },
    PermitRequirement { hs_prefix: "1209", en: "seeds, fruit and spores for sowing", zh: "种植用种子、果实及孢子" },
];

/// The requirement an item's commodity code falls under, if any.
pub fn permit_requirement(code_ts: &str) -> Option<&'static PermitRequirement> {
    let code = code_ts.trim();
    PERMIT_REQUIRED.iter().find(|r| code.starts_with(r.hs_prefix))
}

/// Whether goods of this commodity code need a quarantine permit to be imported.
pub fn permit_required(code_ts: &str) -> bool {
    permit_requirement(code_ts).is_some()
}

/// 许可证状态 — a permit's status on a given day (derived, never stored).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum PermitStatus {
    /// 有效 — may be written off.
    Active,
    /// 未生效 — before its first valid day.
    NotYetValid,
    /// 已过期 — after its last valid day.
    Expired,
    /// 已核销完毕 — the whole quantity is written off.
    Exhausted,
    /// 已撤销
    Revoked,
}

impl PermitStatus {
    pub const ALL: [PermitStatus; 5] =
        [PermitStatus::Active, PermitStatus::NotYetValid, PermitStatus::Expired, PermitStatus::Exhausted, PermitStatus::Revoked];

    pub fn as_str(self) -> &'static str {
        match self {
            PermitStatus::Active => "active",
            PermitStatus::NotYetValid => "not-yet-valid",
            PermitStatus::Expired => "expired",
            PermitStatus::Exhausted => "exhausted",
            PermitStatus::Revoked => "revoked",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        PermitStatus::ALL.into_iter().find(|x| x.as_str() == s)
    }

    pub fn name_zh(self) -> &'static str {
        match self {
            PermitStatus::Active => "有效",
            PermitStatus::NotYetValid => "未生效",
            PermitStatus::Expired => "已过期",
            PermitStatus::Exhausted => "已核销完毕",
            PermitStatus::Revoked => "已撤销",
        }
    }
}

/// 核销记录 — one declaration item written off against the permit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WriteOff {
    pub declaration_id: String,
    pub g_no: u32,
    pub quantity: Decimal,
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
}

/// 撤销 — who revoked the permit, when and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Revocation {
    pub reason: String,
    /// The officer.
    pub by: String,
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
}

/// 检疫许可证 — the permit as folded from its events.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Permit {
    /// 许可证编号: 1–32 characters of A–Z, 0–9, '-'.
    pub id: String,
    /// The importing enterprise the permit is issued to; it must be the declaration's consignee.
    pub holder: CustomsCode,
    /// HS prefixes (2–10 digits) of the goods the permit covers.
    pub hs_prefixes: Vec<String>,
    /// Scientific name of the species, e.g. "Cucurbita moschata".
    pub botanical_name: String,
    /// Countries the goods may originate from.
    pub origin_countries: Vec<CountryCode>,
    /// Quantity approved, in `unit`.
    pub quantity: Decimal,
    pub unit: UnitCode,
    /// Quantity written off so far.
    pub used: Decimal,
    /// First and last day (inclusive) on which the permit may be used.
    pub valid_from: Date,
    pub valid_to: Date,
    /// 检疫要求 — quarantine conditions printed on the permit.
    pub conditions: Vec<String>,
    pub write_offs: Vec<WriteOff>,
    pub revoked: Option<Revocation>,
    #[serde(with = "time::serde::rfc3339")]
    pub issued_at: OffsetDateTime,
}

/// Events of one permit; journal stream `permit:ID`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum PermitEvent {
    /// 签发 — the permit is issued.
    Issued { permit: Box<Permit> },
    /// 核销 — one declaration item is written off against the permit.
    WrittenOff {
        permit_id: String,
        declaration_id: String,
        g_no: u32,
        quantity: Decimal,
        #[serde(with = "time::serde::rfc3339")]
        at: OffsetDateTime,
    },
    /// 撤销 — an officer revokes the permit.
    Revoked {
        permit_id: String,
        reason: String,
        by: String,
        #[serde(with = "time::serde::rfc3339")]
        at: OffsetDateTime,
    },
}

impl PermitEvent {
    pub fn permit_id(&self) -> &str {
        match self {
            PermitEvent::Issued { permit } => &permit.id,
            PermitEvent::WrittenOff { permit_id, .. } | PermitEvent::Revoked { permit_id, .. } => permit_id,
        }
    }

    /// The journal stream this event belongs to.
    pub fn stream(&self) -> String {
        format!("permit:{}", self.permit_id())
    }
}

impl Permit {
    /// Folds a permit's events, the first of which must be its issue.
    pub fn from_events(events: &[PermitEvent]) -> Option<Permit> {
        let mut it = events.iter();
        let Some(PermitEvent::Issued { permit }) = it.next() else {
            return None;
        };
        let mut p = Permit::clone(permit);
        for e in it {
            p.apply(e);
        }
        Some(p)
    }

    /// Applies one event of this permit.
    pub fn apply(&mut self, e: &PermitEvent) {
        match e {
            PermitEvent::Issued { permit } => *self = Permit::clone(permit),
            PermitEvent::WrittenOff { declaration_id, g_no, quantity, at, .. } => {
                self.used += *quantity;
                self.write_offs.push(WriteOff { declaration_id: declaration_id.clone(), g_no: *g_no, quantity: *quantity, at: *at });
            }
            PermitEvent::Revoked { reason, by, at, .. } => {
                self.revoked = Some(Revocation { reason: reason.clone(), by: by.clone(), at: *at });
            }
        }
    }

    /// The status on `today`. A revoked permit is revoked whatever its dates; an expired one is
    /// expired even if it still has a balance; a permit used up inside its validity is exhausted.
    pub fn status(&self, today: Date) -> PermitStatus {
        if self.revoked.is_some() {
            PermitStatus::Revoked
        } else if today > self.valid_to {
            PermitStatus::Expired
        } else if today < self.valid_from {
            PermitStatus::NotYetValid
        } else if self.used >= self.quantity {
            PermitStatus::Exhausted
        } else {
            PermitStatus::Active
        }
    }

    /// Quantity still available (never negative).
    pub fn remaining(&self) -> Decimal {
        (self.quantity - self.used).max(Decimal::ZERO)
    }

    /// Whether goods of this commodity code fall under the permit (prefix match).
    pub fn covers(&self, code_ts: &str) -> bool {
        let code = code_ts.trim();
        self.hs_prefixes.iter().any(|p| code.starts_with(p.as_str()))
    }

    /// Whether an item of a declaration is already written off against this permit.
    pub fn has_written_off(&self, declaration_id: &str, g_no: u32) -> bool {
        self.write_offs.iter().any(|w| w.declaration_id == declaration_id && w.g_no == g_no)
    }

    /// Why the permit cannot be used on `today`, as (rule, en, zh); None when it is active.
    fn unusable(&self, today: Date) -> Option<(Rule, String, String)> {
        let id = &self.id;
        match self.status(today) {
            PermitStatus::Active => None,
            PermitStatus::Expired => Some((
                Rule::PermitExpired,
                format!("quarantine permit {id} expired on {}", self.valid_to),
                format!("检疫许可证 {id} 已于 {} 过期", self.valid_to),
            )),
            PermitStatus::NotYetValid => Some((
                Rule::PermitNotYetValid,
                format!("quarantine permit {id} is valid from {}", self.valid_from),
                format!("检疫许可证 {id} 自 {} 起生效", self.valid_from),
            )),
            PermitStatus::Exhausted => Some((
                Rule::PermitExhausted,
                format!("quarantine permit {id} is used up ({} of {} written off, unit {})", self.used, self.quantity, self.unit),
                format!("检疫许可证 {id} 已核销完毕（已核销 {}，批准 {}{}）", self.used, self.quantity, unit_zh(&self.unit)),
            )),
            PermitStatus::Revoked => {
                let reason = self.revoked.as_ref().map_or("", |r| r.reason.as_str());
                Some((
                    Rule::PermitRevoked,
                    format!("quarantine permit {id} was revoked: {reason}"),
                    format!("检疫许可证 {id} 已撤销：{reason}"),
                ))
            }
        }
    }

    fn wrong_state(&self, today: Date, what_en: &str, what_zh: &str) -> Refusal {
        let s = self.status(today);
        Refusal::invalid_state(
            format!("quarantine permit {} is {}; cannot {what_en}", self.id, s.as_str()),
            format!("检疫许可证 {} 当前状态为{}，不能{what_zh}", self.id, s.name_zh()),
        )
    }

    /// 核销 — writes one declaration item off against the permit. The permit must be active on
    /// `today`, the quantity positive and within the balance, and the item not written off before.
    pub fn write_off(
        &self,
        declaration_id: &str,
        g_no: u32,
        quantity: Decimal,
        today: Date,
        now: OffsetDateTime,
    ) -> Result<Vec<PermitEvent>, Refusal> {
        if self.status(today) != PermitStatus::Active {
            return Err(self.wrong_state(today, "write off", "核销"));
        }
        if self.has_written_off(declaration_id, g_no) {
            return Err(Refusal::new(
                RefusalKind::Conflict,
                format!("item {g_no} of declaration {declaration_id} is already written off against permit {}", self.id),
                format!("报关单 {declaration_id} 第 {g_no} 项已核销检疫许可证 {}", self.id),
            ));
        }
        if quantity <= Decimal::ZERO {
            return Err(Refusal::field(
                "quantity",
                Rule::NumberRange,
                format!("the quantity written off must be greater than zero, got {quantity}"),
                format!("核销数量应大于零，实际为 {quantity}"),
            ));
        }
        if quantity > self.remaining() {
            return Err(Refusal::validation(vec![self.over_balance("quantity", quantity, Decimal::ZERO)]));
        }
        Ok(vec![PermitEvent::WrittenOff { permit_id: self.id.clone(), declaration_id: declaration_id.to_owned(), g_no, quantity, at: now }])
    }

    fn over_balance(&self, path: &str, quantity: Decimal, drawn: Decimal) -> FieldError {
        let (id, rem, unit) = (&self.id, self.remaining(), &self.unit);
        let (earlier_en, earlier_zh) = if drawn.is_zero() {
            (String::new(), String::new())
        } else {
            (format!(" plus {drawn} drawn by earlier items"), format!("（本单前序商品已占用 {drawn}{}）", unit_zh(unit)))
        };
        FieldError::new(
            path,
            Rule::PermitQuantity,
            format!(
                "quantity {quantity} {}{earlier_en} exceeds the {rem} {} remaining on quarantine permit {id}",
                unit_en(unit),
                unit_en(unit)
            ),
            format!("数量 {quantity}{}{earlier_zh}超过检疫许可证 {id} 剩余可核销数量 {rem}{}", unit_zh(unit), unit_zh(unit)),
        )
    }

    /// 撤销 — an officer revokes the permit; it can no longer be written off.
    pub fn revoke(&self, reason: &str, by: &str, now: OffsetDateTime) -> Result<Vec<PermitEvent>, Refusal> {
        if self.revoked.is_some() {
            return Err(self.wrong_state(now.date(), "revoke", "撤销"));
        }
        if reason.trim().is_empty() {
            return Err(Refusal::field("reason", Rule::Required, "a revocation needs a reason", "撤销须注明原因"));
        }
        Ok(vec![PermitEvent::Revoked { permit_id: self.id.clone(), reason: reason.trim().to_owned(), by: by.to_owned(), at: now }])
    }
}

fn unit_en(unit: &UnitCode) -> &str {
    guomen_reference::unit::name_en(unit.as_str()).unwrap_or(unit.as_str())
}

fn unit_zh(unit: &UnitCode) -> &str {
    guomen_reference::unit::name_zh(unit.as_str()).unwrap_or(unit.as_str())
}

/// 检疫许可证申请内容 — a permit as submitted for issue, every value text.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PermitDraft {
    /// Permit number, 1–32 characters of A–Z, 0–9, '-'.
    pub id: Option<String>,
    /// Customs code of the importing enterprise.
    pub holder: Option<String>,
    /// HS prefixes (2–10 digits) the permit covers.
    pub hs_prefixes: Vec<String>,
    /// Scientific name, e.g. "Cucurbita moschata".
    pub botanical_name: Option<String>,
    /// ISO 3166 alpha-3 countries of origin.
    pub origin_countries: Vec<String>,
    /// Approved quantity, > 0, at most 5 decimal places.
    pub quantity: Option<String>,
    /// 3-digit GACC unit code.
    pub unit: Option<String>,
    /// `YYYY-MM-DD`.
    pub valid_from: Option<String>,
    /// `YYYY-MM-DD`, not before `valid_from`.
    pub valid_to: Option<String>,
    /// Quarantine conditions, one per entry.
    pub conditions: Vec<String>,
}

fn required<'s>(errors: &mut Vec<FieldError>, path: &str, v: &'s Option<String>) -> Option<&'s str> {
    match v.as_deref().map(str::trim) {
        Some(s) if !s.is_empty() => Some(s),
        _ => {
            errors.push(FieldError::new(path, Rule::Required, "this field is required", "此字段为必填项"));
            None
        }
    }
}

fn parsed<T>(errors: &mut Vec<FieldError>, path: &str, v: &Option<String>, f: impl Fn(&str) -> Result<T, ParseError>) -> Option<T> {
    let s = required(errors, path, v)?;
    f(s).map_err(|e| errors.push(FieldError::new(path, e.rule, e.en, e.zh))).ok()
}

fn too_long(errors: &mut Vec<FieldError>, path: &str, s: &str, max: usize) -> bool {
    let n = s.chars().count();
    if n > max {
        errors.push(FieldError::new(
            path,
            Rule::TooLong,
            format!("at most {max} characters, got {n}"),
            format!("最多 {max} 个字符，实际 {n} 个"),
        ));
    }
    n > max
}

fn parse_date(s: &str) -> Result<Date, ParseError> {
    let fmt = time::macros::format_description!("[year]-[month]-[day]");
    Date::parse(s, &fmt).map_err(|_| ParseError {
        rule: Rule::DateFormat,
        en: format!("a date is YYYY-MM-DD, got {s:?}"),
        zh: format!("日期格式应为 YYYY-MM-DD，实际为 {s:?}"),
    })
}

fn permit_id_valid(s: &str) -> bool {
    (1..=MAX_PERMIT_ID_LEN).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit() || b.is_ascii_uppercase() || b == b'-')
}

/// Checks one HS prefix: 2–10 digits whose chapter/heading/subheading part is in HS 2022.
fn check_hs_prefix(s: &str) -> Result<(), ParseError> {
    if !(2..=10).contains(&s.len()) || !s.bytes().all(|b| b.is_ascii_digit()) {
        return Err(ParseError {
            rule: Rule::HsPrefixFormat,
            en: format!("an HS prefix is 2 to 10 digits, got {s:?}"),
            zh: format!("商品编码前缀应为2至10位数字，实际为 {s:?}"),
        });
    }
    let known = &s[..s.len().min(6) / 2 * 2];
    if guomen_reference::hs::lookup(known).is_none() {
        return Err(ParseError {
            rule: Rule::HsUnknown,
            en: format!("{known} is not an HS 2022 chapter, heading or subheading"),
            zh: format!("{known} 不是 HS 2022 的章、品目或子目"),
        });
    }
    Ok(())
}

/// 签发 — issues a permit from a draft, checking every field; all failing fields are reported at
/// once. Whether the holder is a registered enterprise and the number is unused is the store's
/// check. A permit whose last valid day is already past on `now` is refused.
pub fn issue(draft: &PermitDraft, now: OffsetDateTime) -> Result<Vec<PermitEvent>, Refusal> {
    let mut errors = Vec::new();
    let e = &mut errors;

    let id = required(e, "id", &draft.id).and_then(|s| {
        if permit_id_valid(s) {
            Some(s.to_owned())
        } else {
            e.push(FieldError::new(
                "id",
                Rule::CodeFormat,
                format!("a permit number is 1–{MAX_PERMIT_ID_LEN} characters of A–Z, 0–9, '-', got {s:?}"),
                format!("许可证编号应为1至{MAX_PERMIT_ID_LEN}位大写字母、数字或 '-'，实际为 {s:?}"),
            ));
            None
        }
    });
    let holder = parsed(e, "holder", &draft.holder, CustomsCode::parse);

    if draft.hs_prefixes.is_empty() {
        e.push(FieldError::new(
            "hs_prefixes",
            Rule::Required,
            "name at least one HS prefix the permit covers",
            "至少填写一个许可证适用的商品编码前缀",
        ));
    }
    let mut hs_prefixes = Vec::new();
    for (i, p) in draft.hs_prefixes.iter().enumerate() {
        let path = format!("hs_prefixes[{i}]");
        let p = p.trim();
        if let Err(err) = check_hs_prefix(p) {
            e.push(FieldError::new(path, err.rule, err.en, err.zh));
        } else if hs_prefixes.iter().any(|q: &String| q == p) {
            e.push(FieldError::new(path, Rule::Duplicate, format!("HS prefix {p} is listed twice"), format!("商品编码前缀 {p} 重复")));
        } else {
            hs_prefixes.push(p.to_owned());
        }
    }

    let botanical_name =
        required(e, "botanical_name", &draft.botanical_name).filter(|s| !too_long(e, "botanical_name", s, 100)).map(str::to_owned);

    if draft.origin_countries.is_empty() {
        e.push(FieldError::new("origin_countries", Rule::Required, "name at least one country of origin", "至少填写一个原产国"));
    }
    let mut origin_countries: Vec<CountryCode> = Vec::new();
    for (i, c) in draft.origin_countries.iter().enumerate() {
        let path = format!("origin_countries[{i}]");
        match CountryCode::parse(c) {
            Err(err) => e.push(FieldError::new(path, err.rule, err.en, err.zh)),
            Ok(c) if origin_countries.contains(&c) => {
                e.push(FieldError::new(path, Rule::Duplicate, format!("country {c} is listed twice"), format!("国别 {c} 重复")))
            }
            Ok(c) => origin_countries.push(c),
        }
    }

    let quantity = parsed(e, "quantity", &draft.quantity, |s| parse_decimal(s, 19, 5, true));
    let unit = parsed(e, "unit", &draft.unit, UnitCode::parse);
    let valid_from = parsed(e, "valid_from", &draft.valid_from, parse_date);
    let valid_to = parsed(e, "valid_to", &draft.valid_to, parse_date);
    if let (Some(from), Some(to)) = (valid_from, valid_to) {
        if to < from {
            e.push(FieldError::new(
                "valid_to",
                Rule::ValidToBeforeFrom,
                format!("the last valid day {to} is before the first {from}"),
                format!("有效期截止日 {to} 早于起始日 {from}"),
            ));
        }
    }
    if let Some(to) = valid_to {
        if to < now.date() {
            e.push(FieldError::new(
                "valid_to",
                Rule::ValidToPast,
                format!("the last valid day {to} is already past"),
                format!("有效期截止日 {to} 已过"),
            ));
        }
    }

    let mut conditions = Vec::new();
    for (i, c) in draft.conditions.iter().enumerate() {
        let path = format!("conditions[{i}]");
        let c = c.trim();
        if c.is_empty() {
            e.push(FieldError::new(path, Rule::Required, "a condition cannot be empty", "检疫要求不能为空"));
        } else if !too_long(e, &path, c, 500) {
            conditions.push(c.to_owned());
        }
    }

    if !errors.is_empty() {
        return Err(Refusal::validation(errors));
    }
    // Every field parsed; a None above pushed an error.
    let permit = Permit {
        id: id.expect("checked"),
        holder: holder.expect("checked"),
        hs_prefixes,
        botanical_name: botanical_name.expect("checked"),
        origin_countries,
        quantity: quantity.expect("checked"),
        unit: unit.expect("checked"),
        used: Decimal::ZERO,
        valid_from: valid_from.expect("checked"),
        valid_to: valid_to.expect("checked"),
        conditions,
        write_offs: Vec::new(),
        revoked: None,
        issued_at: now,
    };
    Ok(vec![PermitEvent::Issued { permit: Box::new(permit) }])
}

/// 许可证核验 — checks the quarantine permits of a declaration and returns the write-offs.
///
/// Only imports are checked (the permit is an entry permit). For each item whose commodity code
/// needs a permit ([`permit_required`]), the permits named in the declaration's licences with
/// docu code [`PERMIT_DOCU_CODE`] that cover the item's HS code are tried in licence order; the
/// first one that passes every check is written off. A usable permit must be held by the
/// consignee (`head.trade_code`), be active on `today`, list the item's origin country and use
/// the item's unit, and its balance must cover the items of this declaration written off against
/// it so far plus this one. When no named permit fits, the problems of the first candidate are
/// reported: permit-wide ones (`permit_holder`, `permit_expired`, `permit_not_yet_valid`,
/// `permit_exhausted`, `permit_revoked`) on `licences[j].cert_code`, item ones (`permit_origin`,
/// `permit_unit`, `permit_quantity`) on `items[i].…`, where `i` indexes `content.items`.
/// An item with no covering permit gets `items[i].code_ts` / `permit_required`; a QP licence whose
/// permit is not in `permits` gets `licences[j].cert_code` / `permit_unknown`.
///
/// An item already written off against a named permit under this `declaration_id` (a re-check,
/// e.g. of a two-step complete declaration) is passed without a new write-off.
/// On success: one `WrittenOff` event per item written off.
pub fn check_declaration(
    content: &DeclarationContent,
    permits: &[Permit],
    today: Date,
    declaration_id: &str,
    now: OffsetDateTime,
) -> Result<Vec<PermitEvent>, Vec<FieldError>> {
    if content.head.ie_flag != IeFlag::Import {
        return Ok(Vec::new());
    }
    let mut errors: Vec<FieldError> = Vec::new();

    // The permits the declaration names, with the index of the licence naming each.
    let mut named: Vec<(usize, &Permit)> = Vec::new();
    for (j, l) in content.licences.iter().enumerate() {
        if l.docu_code.trim() != PERMIT_DOCU_CODE {
            continue;
        }
        let cert = l.cert_code.trim();
        match permits.iter().find(|p| p.id == cert) {
            Some(p) if named.iter().any(|(_, q)| q.id == p.id) => {}
            Some(p) => named.push((j, p)),
            None => push(
                &mut errors,
                FieldError::new(
                    format!("licences[{j}].cert_code"),
                    Rule::PermitUnknown,
                    format!("no quarantine permit {cert:?} is on record"),
                    format!("检疫许可证 {cert:?} 不存在"),
                ),
            ),
        }
    }

    let trader = &content.head.trade_code;
    let mut drawn: BTreeMap<&str, Decimal> = BTreeMap::new();
    let mut events = Vec::new();
    for (i, item) in content.items.iter().enumerate() {
        let code = item.code_ts.as_str();
        let Some(req) = permit_requirement(code) else {
            continue;
        };
        if named.iter().any(|(_, p)| p.has_written_off(declaration_id, item.g_no)) {
            continue;
        }
        let candidates: Vec<(usize, &Permit)> = named.iter().copied().filter(|(_, p)| p.covers(code)).collect();
        if candidates.is_empty() {
            push(
                &mut errors,
                FieldError::new(
                    format!("items[{i}].code_ts"),
                    Rule::PermitRequired,
                    format!(
                        "{code} ({}) needs a quarantine permit covering it, named as a licence with docu code {PERMIT_DOCU_CODE}",
                        req.en
                    ),
                    format!("{code}（{}）须办理检疫审批，请以随附单证代码 {PERMIT_DOCU_CODE} 填报覆盖该商品的检疫许可证", req.zh),
                ),
            );
            continue;
        }
        let mut first_problems: Option<Vec<FieldError>> = None;
        let mut chosen: Option<&Permit> = None;
        for (j, p) in candidates {
            let problems = item_problems(p, j, i, item, trader, today, &drawn);
            if problems.is_empty() {
                chosen = Some(p);
                break;
            }
            first_problems.get_or_insert(problems);
        }
        match chosen {
            Some(p) => {
                *drawn.entry(p.id.as_str()).or_default() += item.g_qty;
                events.push(PermitEvent::WrittenOff {
                    permit_id: p.id.clone(),
                    declaration_id: declaration_id.to_owned(),
                    g_no: item.g_no,
                    quantity: item.g_qty,
                    at: now,
                });
            }
            None => {
                for e in first_problems.unwrap_or_default() {
                    push(&mut errors, e);
                }
            }
        }
    }
    if errors.is_empty() {
        Ok(events)
    } else {
        Err(errors)
    }
}

/// Adds an error unless the same path already has it (several items may share one permit).
fn push(errors: &mut Vec<FieldError>, e: FieldError) {
    if !errors.iter().any(|x| x.path == e.path && x.rule == e.rule) {
        errors.push(e);
    }
}

/// Everything that keeps permit `p` (named by licence `j`) from covering item `i`.
fn item_problems(
    p: &Permit,
    j: usize,
    i: usize,
    item: &crate::declaration::Item,
    trader: &CustomsCode,
    today: Date,
    drawn: &BTreeMap<&str, Decimal>,
) -> Vec<FieldError> {
    let mut out = Vec::new();
    let licence = format!("licences[{j}].cert_code");
    if &p.holder != trader {
        out.push(FieldError::new(
            &licence,
            Rule::PermitHolder,
            format!("quarantine permit {} is held by {}, not by the consignee {trader}", p.id, p.holder),
            format!("检疫许可证 {} 的持证企业为 {}，不是收货人 {trader}", p.id, p.holder),
        ));
    }
    if let Some((rule, en, zh)) = p.unusable(today) {
        out.push(FieldError::new(&licence, rule, en, zh));
    }
    if !p.origin_countries.contains(&item.origin_country) {
        let list = p.origin_countries.iter().map(CountryCode::as_str).collect::<Vec<_>>().join(", ");
        out.push(FieldError::new(
            format!("items[{i}].origin_country"),
            Rule::PermitOrigin,
            format!("quarantine permit {} allows origins {list}, not {}", p.id, item.origin_country),
            format!("检疫许可证 {} 允许的原产国为 {list}，不含 {}", p.id, item.origin_country),
        ));
    }
    if p.unit != item.g_unit {
        out.push(FieldError::new(
            format!("items[{i}].g_unit"),
            Rule::PermitUnit,
            format!("quarantine permit {} is in unit {}, the item in {}", p.id, p.unit, item.g_unit),
            format!("检疫许可证 {} 的计量单位为{}，商品为{}", p.id, unit_zh(&p.unit), unit_zh(&item.g_unit)),
        ));
    }
    // The balance matters only for a permit that could otherwise be used.
    if out.is_empty() {
        let so_far = drawn.get(p.id.as_str()).copied().unwrap_or_default();
        if so_far + item.g_qty > p.remaining() {
            out.push(p.over_balance(&format!("items[{i}].g_qty"), item.g_qty, so_far));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::declaration::{
        validate, DeclarationContent, DeclarationDraft, HeadDraft, IeFlag, ItemDraft, LicenceDraft, ValidationContext,
    };
    use crate::party::{CreditGrade, Enterprise};
    use crate::types::CreditCode;
    use std::str::FromStr;
    use time::macros::{date, datetime};

    const TODAY: Date = date!(2025 - 03 - 10);
    const NOW: OffsetDateTime = datetime!(2025-03-10 09:30 UTC);
    /// The seed company holding the permit (the consignee).
    const HOLDER: &str = "6201960001";
    /// Another seed company.
    const OTHER: &str = "6201960002";
    const PERMIT_ID: &str = "LZ2025-00042";
    /// Vegetable seeds for sowing.
    const VEG_SEED: &str = "1209913000";
    /// Flower seeds for sowing.
    const FLOWER_SEED: &str = "1209300000";
    /// Fresh apples: no permit needed.
    const APPLES: &str = "0808100000";

    fn dec(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    fn cc(s: &str) -> CustomsCode {
        CustomsCode::parse(s).unwrap()
    }

    fn s(v: &str) -> Option<String> {
        Some(v.to_owned())
    }

    fn draft() -> PermitDraft {
        PermitDraft {
            id: s(PERMIT_ID),
            holder: s(HOLDER),
            hs_prefixes: vec!["120991".into()],
            botanical_name: s("Cucurbita moschata"),
            origin_countries: vec!["NLD".into(), "USA".into()],
            quantity: s("100"),
            unit: s("035"),
            valid_from: s("2025-03-01"),
            valid_to: s("2025-08-31"),
            conditions: vec!["种植用，不得转作他用 / for sowing only".into()],
        }
    }

    fn issued(d: &PermitDraft) -> Permit {
        Permit::from_events(&issue(d, NOW).expect("valid draft")).expect("issued")
    }

    fn permit() -> Permit {
        issued(&draft())
    }

    fn permit_with(id: &str, quantity: &str) -> Permit {
        let mut d = draft();
        d.id = s(id);
        d.quantity = s(quantity);
        issued(&d)
    }

    fn item(g_no: u32, code_ts: &str, qty: &str, unit: &str, origin: &str) -> ItemDraft {
        ItemDraft {
            g_no: s(&g_no.to_string()),
            code_ts: s(code_ts),
            g_name: s("南瓜种子"),
            g_model: s("种植用|亲本原种|Cucurbita moschata"),
            g_qty: s(qty),
            g_unit: s(unit),
            decl_price: s("10"),
            decl_total: s(&(dec(qty) * dec("10")).round_dp(2).to_string()),
            trade_curr: s("USD"),
            origin_country: s(origin),
            destination_country: s("CHN"),
        }
    }

    fn seed(g_no: u32, qty: &str) -> ItemDraft {
        item(g_no, VEG_SEED, qty, "035", "NLD")
    }

    fn licence(docu_code: &str, cert_code: &str) -> LicenceDraft {
        LicenceDraft { docu_code: s(docu_code), cert_code: s(cert_code) }
    }

    fn qp(cert_code: &str) -> LicenceDraft {
        licence(PERMIT_DOCU_CODE, cert_code)
    }

    fn registry(code: &CustomsCode) -> Option<Enterprise> {
        let (credit17, name) = match code.as_str() {
            HOLDER => ("91620700MA2XN1234", "东方种子有限公司"),
            OTHER => ("91620700MA2XN5678", "正红种子有限公司"),
            _ => return None,
        };
        Some(Enterprise {
            code: code.clone(),
            credit_code: CreditCode::complete(credit17).expect("17 valid characters"),
            name_zh: name.into(),
            name_en: "Seed Co., Ltd.".into(),
            grade: CreditGrade::Registered,
            site_code: None,
        })
    }

    /// An air import of seeds by the permit holder, validated as the store would.
    fn content(items: Vec<ItemDraft>, licences: Vec<LicenceDraft>) -> DeclarationContent {
        let draft = DeclarationDraft {
            head: HeadDraft {
                ie_flag: s("I"),
                customs_master: s("7301"),
                ie_port: s("7301"),
                ie_date: s("2025-03-09"),
                trade_code: s(HOLDER),
                traf_mode: s("5"),
                traf_name: s("CA1234"),
                bill_no: s("99912345678"),
                trade_mode: s("0110"),
                trade_country: s("NLD"),
                trans_mode: s("1"),
                pack_no: s("10"),
                gross_wt: s("600"),
                net_wt: s("500"),
                ..HeadDraft::default()
            },
            items,
            licences,
            ..DeclarationDraft::default()
        };
        let enterprise = registry;
        let site_known = |_: &str| false;
        let ctx = ValidationContext { today: TODAY, enterprise: &enterprise, site_known: &site_known };
        validate(&draft, &ctx).expect("a valid declaration")
    }

    /// (path, rule) of each error, for compact assertions.
    fn rules(errors: &[FieldError]) -> Vec<(String, Rule)> {
        errors.iter().map(|e| (e.path.clone(), e.rule)).collect()
    }

    fn check(c: &DeclarationContent, permits: &[Permit], today: Date) -> Result<Vec<PermitEvent>, Vec<FieldError>> {
        check_declaration(c, permits, today, "730120251000000001", NOW)
    }

    fn fold(p: &Permit, events: &[PermitEvent]) -> Permit {
        let mut p = p.clone();
        for e in events {
            p.apply(e);
        }
        p
    }

    // ---- issue ------------------------------------------------------------------------------

    #[test]
    fn issue_builds_the_permit_from_a_complete_draft() {
        let events = issue(&draft(), NOW).unwrap();
        assert_eq!(events.len(), 1);
        assert_eq!(events[0].stream(), "permit:LZ2025-00042");
        let p = Permit::from_events(&events).unwrap();
        assert_eq!(p.id, PERMIT_ID);
        assert_eq!(p.holder, cc(HOLDER));
        assert_eq!(p.hs_prefixes, vec!["120991".to_owned()]);
        assert_eq!(p.botanical_name, "Cucurbita moschata");
        assert_eq!(p.origin_countries.iter().map(|c| c.as_str()).collect::<Vec<_>>(), ["NLD", "USA"]);
        assert_eq!(p.quantity, dec("100"));
        assert_eq!(p.unit.as_str(), "035");
        assert_eq!(p.used, Decimal::ZERO);
        assert_eq!(p.remaining(), dec("100"));
        assert_eq!(p.valid_from, date!(2025 - 03 - 01));
        assert_eq!(p.valid_to, date!(2025 - 08 - 31));
        assert_eq!(p.conditions.len(), 1);
        assert!(p.write_offs.is_empty());
        assert_eq!(p.revoked, None);
        assert_eq!(p.issued_at, NOW);
        assert_eq!(p.status(TODAY), PermitStatus::Active);
    }

    #[test]
    fn issue_trims_and_accepts_single_day_validity() {
        let mut d = draft();
        d.id = Some("  QP-1 ".into());
        d.hs_prefixes = vec![" 01 ".into(), "0602".into(), "12099130".into()];
        d.valid_from = Some("2025-03-10".into());
        d.valid_to = Some("2025-03-10".into());
        d.quantity = Some("0.00001".into());
        let p = issued(&d);
        assert_eq!(p.id, "QP-1");
        assert_eq!(p.hs_prefixes, ["01", "0602", "12099130"]);
        assert_eq!(p.quantity, dec("0.00001"));
        assert_eq!(p.status(TODAY), PermitStatus::Active);
    }

    #[test]
    fn issue_validation_table() {
        type Edit = fn(&mut PermitDraft);
        let cases: Vec<(&str, Edit, &str, Rule)> = vec![
            ("id missing", |d| d.id = None, "id", Rule::Required),
            ("id blank", |d| d.id = Some("  ".into()), "id", Rule::Required),
            ("id lower case", |d| d.id = Some("lz2025-1".into()), "id", Rule::CodeFormat),
            ("id with space", |d| d.id = Some("LZ 2025".into()), "id", Rule::CodeFormat),
            ("id 33 characters", |d| d.id = Some("A".repeat(33)), "id", Rule::CodeFormat),
            ("holder short", |d| d.holder = Some("620196".into()), "holder", Rule::CustomsCodeFormat),
            ("holder missing", |d| d.holder = None, "holder", Rule::Required),
            ("no hs prefix", |d| d.hs_prefixes.clear(), "hs_prefixes", Rule::Required),
            ("hs prefix letter", |d| d.hs_prefixes = vec!["12a9".into()], "hs_prefixes[0]", Rule::HsPrefixFormat),
            ("hs prefix 1 digit", |d| d.hs_prefixes = vec!["1".into()], "hs_prefixes[0]", Rule::HsPrefixFormat),
            ("hs prefix 11 digits", |d| d.hs_prefixes = vec!["12099130001".into()], "hs_prefixes[0]", Rule::HsPrefixFormat),
            ("hs prefix not in HS", |d| d.hs_prefixes = vec!["1209".into(), "9999".into()], "hs_prefixes[1]", Rule::HsUnknown),
            ("hs prefix twice", |d| d.hs_prefixes = vec!["1209".into(), "1209".into()], "hs_prefixes[1]", Rule::Duplicate),
            ("botanical name missing", |d| d.botanical_name = None, "botanical_name", Rule::Required),
            ("botanical name too long", |d| d.botanical_name = Some("x".repeat(101)), "botanical_name", Rule::TooLong),
            ("no origin", |d| d.origin_countries.clear(), "origin_countries", Rule::Required),
            ("origin alpha-2", |d| d.origin_countries = vec!["NLD".into(), "NL".into()], "origin_countries[1]", Rule::CountryUnknown),
            ("origin twice", |d| d.origin_countries = vec!["NLD".into(), "NLD".into()], "origin_countries[1]", Rule::Duplicate),
            ("quantity missing", |d| d.quantity = None, "quantity", Rule::Required),
            ("quantity zero", |d| d.quantity = Some("0".into()), "quantity", Rule::NumberRange),
            ("quantity negative", |d| d.quantity = Some("-5".into()), "quantity", Rule::NumberRange),
            ("quantity 6 decimals", |d| d.quantity = Some("1.000001".into()), "quantity", Rule::NumberScale),
            ("quantity text", |d| d.quantity = Some("ten".into()), "quantity", Rule::NumberFormat),
            ("unit unknown", |d| d.unit = Some("999".into()), "unit", Rule::UnitUnknown),
            ("valid_from slashes", |d| d.valid_from = Some("2025/03/01".into()), "valid_from", Rule::DateFormat),
            ("valid_to impossible", |d| d.valid_to = Some("2025-02-30".into()), "valid_to", Rule::DateFormat),
            ("valid_to missing", |d| d.valid_to = None, "valid_to", Rule::Required),
            (
                "valid_to before from",
                |d| {
                    d.valid_from = Some("2025-06-01".into());
                    d.valid_to = Some("2025-05-31".into());
                },
                "valid_to",
                Rule::ValidToBeforeFrom,
            ),
            (
                "valid_to past",
                |d| {
                    d.valid_from = Some("2025-01-01".into());
                    d.valid_to = Some("2025-03-09".into());
                },
                "valid_to",
                Rule::ValidToPast,
            ),
            ("blank condition", |d| d.conditions.push(" ".into()), "conditions[1]", Rule::Required),
        ];
        for (name, edit, path, rule) in cases {
            let mut d = draft();
            edit(&mut d);
            let r = issue(&d, NOW).expect_err(name);
            assert_eq!(r.kind, RefusalKind::Validation, "{name}");
            assert_eq!(rules(&r.errors), vec![(path.to_owned(), rule)], "{name}: exactly one error expected");
            assert!(!r.errors[0].en.is_empty() && !r.errors[0].zh.is_empty(), "{name}");
        }
    }

    #[test]
    fn issue_reports_every_failing_field_at_once() {
        let r = issue(&PermitDraft::default(), NOW).unwrap_err();
        assert_eq!(
            rules(&r.errors),
            [
                ("id", Rule::Required),
                ("holder", Rule::Required),
                ("hs_prefixes", Rule::Required),
                ("botanical_name", Rule::Required),
                ("origin_countries", Rule::Required),
                ("quantity", Rule::Required),
                ("unit", Rule::Required),
                ("valid_from", Rule::Required),
                ("valid_to", Rule::Required),
            ]
            .map(|(p, r)| (p.to_owned(), r))
        );
        assert_eq!(r.detail_en, "9 field(s) failed validation");
    }

    #[test]
    fn draft_refuses_unknown_fields() {
        let ok: PermitDraft = serde_json::from_str(r#"{"id":"QP-1","hs_prefixes":["1209"]}"#).unwrap();
        assert_eq!(ok.id.as_deref(), Some("QP-1"));
        assert_eq!(ok.hs_prefixes, ["1209"]);
        assert!(serde_json::from_str::<PermitDraft>(r#"{"id":"QP-1","species":"x"}"#).is_err());
    }

    // ---- status -----------------------------------------------------------------------------

    #[test]
    fn status_over_dates() {
        let p = permit(); // 2025-03-01 ..= 2025-08-31
        for (day, want) in [
            (date!(2025 - 02 - 28), PermitStatus::NotYetValid),
            (date!(2025 - 03 - 01), PermitStatus::Active),
            (date!(2025 - 06 - 15), PermitStatus::Active),
            (date!(2025 - 08 - 31), PermitStatus::Active),
            (date!(2025 - 09 - 01), PermitStatus::Expired),
        ] {
            assert_eq!(p.status(day), want, "{day}");
        }
    }

    #[test]
    fn status_precedence_revoked_expired_exhausted() {
        let used_up = fold(&permit(), &permit().write_off("D1", 1, dec("100"), TODAY, NOW).unwrap());
        assert_eq!(used_up.status(TODAY), PermitStatus::Exhausted);
        assert_eq!(used_up.remaining(), Decimal::ZERO);
        assert_eq!(used_up.status(date!(2025 - 09 - 01)), PermitStatus::Expired);
        let revoked = fold(&used_up, &used_up.revoke("pest found", "潘", NOW).unwrap());
        for day in [date!(2025 - 02 - 01), TODAY, date!(2025 - 09 - 01)] {
            assert_eq!(revoked.status(day), PermitStatus::Revoked);
        }
        for s in PermitStatus::ALL {
            assert_eq!(PermitStatus::parse(s.as_str()), Some(s));
            assert!(!s.name_zh().is_empty());
        }
        assert_eq!(serde_json::to_string(&PermitStatus::NotYetValid).unwrap(), r#""not-yet-valid""#);
    }

    // ---- permit_required --------------------------------------------------------------------

    #[test]
    fn goods_needing_a_permit() {
        for (code, needs) in [
            ("0102291000", true),  // live cattle
            ("0106120000", true),  // live whales, dolphins
            ("0511100000", true),  // bovine semen
            ("0511991000", true),  // other animal products
            ("0601100000", true),  // dormant bulbs
            ("0602909100", true),  // live plants
            (VEG_SEED, true),      // vegetable seeds for sowing
            (FLOWER_SEED, true),   // flower seeds for sowing
            ("0201100000", false), // bovine meat: not live
            ("0603110000", false), // cut roses
            ("1001990000", false), // wheat for milling
            (APPLES, false),
        ] {
            assert_eq!(permit_required(code), needs, "{code}");
        }
        assert_eq!(permit_requirement(VEG_SEED).unwrap().hs_prefix, "1209");
        for r in PERMIT_REQUIRED {
            assert!(guomen_reference::hs::lookup(r.hs_prefix).is_some(), "{}", r.hs_prefix);
        }
    }

    // ---- check_declaration ------------------------------------------------------------------

    #[test]
    fn a_covered_item_is_written_off() {
        let p = permit();
        let c = content(vec![seed(1, "40")], vec![qp(PERMIT_ID)]);
        let events = check(&c, std::slice::from_ref(&p), TODAY).unwrap();
        assert_eq!(
            events,
            vec![PermitEvent::WrittenOff {
                permit_id: PERMIT_ID.into(),
                declaration_id: "730120251000000001".into(),
                g_no: 1,
                quantity: dec("40"),
                at: NOW,
            }]
        );
        let after = fold(&p, &events);
        assert_eq!(after.used, dec("40"));
        assert_eq!(after.remaining(), dec("60"));
        assert_eq!(after.write_offs.len(), 1);
        assert_eq!(after.write_offs[0].declaration_id, "730120251000000001");
    }

    #[test]
    fn exhaustion_across_declarations() {
        let p = permit(); // 100 kg
                          // First declaration: 70 kg.
        let first = content(vec![seed(1, "70")], vec![qp(PERMIT_ID)]);
        let ev = check_declaration(&first, std::slice::from_ref(&p), TODAY, "D1", NOW).unwrap();
        let p = fold(&p, &ev);
        assert_eq!(p.remaining(), dec("30"));

        // Second: 30.5 kg exceeds the 30 kg left → refused, nothing written off.
        let second = content(vec![seed(1, "30.5")], vec![qp(PERMIT_ID)]);
        let errs = check_declaration(&second, std::slice::from_ref(&p), TODAY, "D2", NOW).unwrap_err();
        assert_eq!(rules(&errs), [("items[0].g_qty".to_owned(), Rule::PermitQuantity)]);
        assert_eq!(errs[0].en, "quantity 30.5 kg exceeds the 30 kg remaining on quarantine permit LZ2025-00042");
        assert_eq!(errs[0].zh, "数量 30.5千克超过检疫许可证 LZ2025-00042 剩余可核销数量 30千克");
        assert_eq!(p.used, dec("70"));

        // Exactly the 30 kg left is allowed.
        let exact = content(vec![seed(1, "30")], vec![qp(PERMIT_ID)]);
        let ev = check_declaration(&exact, std::slice::from_ref(&p), TODAY, "D3", NOW).unwrap();
        assert_eq!(ev.len(), 1);
        let p = fold(&p, &ev);
        assert_eq!(p.remaining(), Decimal::ZERO);
        assert_eq!(p.status(TODAY), PermitStatus::Exhausted);

        // Any further use is refused, through a declaration or directly.
        let more = content(vec![seed(1, "0.001")], vec![qp(PERMIT_ID)]);
        let errs = check_declaration(&more, std::slice::from_ref(&p), TODAY, "D4", NOW).unwrap_err();
        assert_eq!(rules(&errs), [("licences[0].cert_code".to_owned(), Rule::PermitExhausted)]);
        let r = p.write_off("D4", 1, dec("0.001"), TODAY, NOW).unwrap_err();
        assert_eq!(r.kind, RefusalKind::InvalidState);
        assert!(r.detail_en.contains("exhausted"), "{}", r.detail_en);
        assert!(r.detail_zh.contains("已核销完毕"), "{}", r.detail_zh);
    }

    #[test]
    fn validity_dates_are_checked_on_the_day() {
        let c = content(vec![seed(1, "1")], vec![qp(PERMIT_ID)]);
        for (day, rule) in [(date!(2025 - 02 - 28), Rule::PermitNotYetValid), (date!(2025 - 09 - 01), Rule::PermitExpired)] {
            let errs = check(&c, &[permit()], day).unwrap_err();
            assert_eq!(rules(&errs), [("licences[0].cert_code".to_owned(), rule)], "{day}");
        }
        assert!(check(&c, &[permit()], date!(2025 - 08 - 31)).is_ok());
    }

    #[test]
    fn holder_origin_and_unit_must_match() {
        let other_holder = {
            let mut c = content(vec![seed(1, "1")], vec![qp(PERMIT_ID)]);
            c.head.trade_code = cc(OTHER);
            c
        };
        let cases = [
            ("held by another firm", other_holder, "licences[0].cert_code", Rule::PermitHolder),
            (
                "origin not on the permit",
                content(vec![item(1, VEG_SEED, "1", "035", "CHL")], vec![qp(PERMIT_ID)]),
                "items[0].origin_country",
                Rule::PermitOrigin,
            ),
            ("unit differs", content(vec![item(1, VEG_SEED, "1", "036", "NLD")], vec![qp(PERMIT_ID)]), "items[0].g_unit", Rule::PermitUnit),
        ];
        for (name, c, path, rule) in cases {
            let errs = check(&c, &[permit()], TODAY).unwrap_err();
            assert_eq!(rules(&errs), [(path.to_owned(), rule)], "{name}");
        }
    }

    #[test]
    fn every_problem_of_the_permit_is_named() {
        let mut c = content(vec![item(1, VEG_SEED, "500", "036", "CHL")], vec![qp(PERMIT_ID)]);
        c.head.trade_code = cc(OTHER);
        let errs = check(&c, &[permit()], date!(2025 - 09 - 01)).unwrap_err();
        assert_eq!(
            rules(&errs),
            [
                ("licences[0].cert_code", Rule::PermitHolder),
                ("licences[0].cert_code", Rule::PermitExpired),
                ("items[0].origin_country", Rule::PermitOrigin),
                ("items[0].g_unit", Rule::PermitUnit),
            ]
            .map(|(p, r)| (p.to_owned(), r))
        );
    }

    #[test]
    fn items_of_one_declaration_share_the_balance() {
        // 60 + 30 fit in 100; the third item (20) tips it over; the fourth (10) still fits.
        let c = content(
            vec![seed(1, "60"), item(2, APPLES, "500", "035", "USA"), seed(3, "30"), seed(4, "20"), seed(5, "10")],
            vec![qp(PERMIT_ID)],
        );
        let errs = check(&c, &[permit()], TODAY).unwrap_err();
        assert_eq!(rules(&errs), [("items[3].g_qty".to_owned(), Rule::PermitQuantity)]);
        assert_eq!(
            errs[0].en,
            "quantity 20 kg plus 90 drawn by earlier items exceeds the 100 kg remaining on quarantine permit LZ2025-00042"
        );

        let fits = content(vec![seed(1, "60"), seed(2, "40")], vec![qp(PERMIT_ID)]);
        let ev = check(&fits, &[permit()], TODAY).unwrap();
        assert_eq!(ev.len(), 2);
        assert_eq!(fold(&permit(), &ev).status(TODAY), PermitStatus::Exhausted);
    }

    #[test]
    fn unknown_permit_and_missing_permit() {
        let c = content(vec![seed(1, "1")], vec![licence("A", "ABC"), qp("LZ2025-99999")]);
        let errs = check(&c, &[permit()], TODAY).unwrap_err();
        assert_eq!(
            rules(&errs),
            [("licences[1].cert_code", Rule::PermitUnknown), ("items[0].code_ts", Rule::PermitRequired),].map(|(p, r)| (p.to_owned(), r))
        );
        // No licence at all: the item is named.
        let bare = content(vec![item(1, APPLES, "5", "035", "USA"), seed(2, "1")], vec![]);
        let errs = check(&bare, &[permit()], TODAY).unwrap_err();
        assert_eq!(rules(&errs), [("items[1].code_ts".to_owned(), Rule::PermitRequired)]);
        assert!(errs[0].zh.contains("QP"), "{}", errs[0].zh);
    }

    #[test]
    fn a_permit_covers_only_its_hs_prefixes() {
        // The permit covers 120991 (vegetable seeds), not flower seeds (120930).
        let c = content(vec![seed(1, "1"), item(2, FLOWER_SEED, "1", "035", "NLD")], vec![qp(PERMIT_ID)]);
        let errs = check(&c, &[permit()], TODAY).unwrap_err();
        assert_eq!(rules(&errs), [("items[1].code_ts".to_owned(), Rule::PermitRequired)]);
        assert!(permit().covers(VEG_SEED));
        assert!(!permit().covers(FLOWER_SEED));
    }

    #[test]
    fn goods_without_a_permit_requirement_pass() {
        let c = content(vec![item(1, APPLES, "5000", "035", "USA")], vec![]);
        assert_eq!(check(&c, &[], TODAY), Ok(vec![]));
        // An export of seeds is not an entry: no permit.
        let mut export = content(vec![seed(1, "5000")], vec![]);
        export.head.ie_flag = IeFlag::Export;
        assert_eq!(check(&export, &[], TODAY), Ok(vec![]));
    }

    #[test]
    fn a_second_named_permit_takes_over() {
        let used_up = {
            let p = permit_with("QP-A", "10");
            fold(&p, &p.write_off("D0", 1, dec("10"), TODAY, NOW).unwrap())
        };
        let fresh = permit_with("QP-B", "50");
        let c = content(vec![seed(1, "20")], vec![qp("QP-A"), qp("QP-B")]);
        let ev = check(&c, &[used_up.clone(), fresh.clone()], TODAY).unwrap();
        assert_eq!(ev.len(), 1);
        assert_eq!(ev[0].permit_id(), "QP-B");
        // With only the used-up one named, its problem is reported.
        let c = content(vec![seed(1, "20")], vec![qp("QP-A")]);
        let errs = check(&c, &[used_up, fresh], TODAY).unwrap_err();
        assert_eq!(rules(&errs), [("licences[0].cert_code".to_owned(), Rule::PermitExhausted)]);
    }

    #[test]
    fn a_recheck_does_not_write_off_twice() {
        let c = content(vec![seed(1, "40")], vec![qp(PERMIT_ID)]);
        let p = permit();
        let p = fold(&p, &check_declaration(&c, std::slice::from_ref(&p), TODAY, "D1", NOW).unwrap());
        assert_eq!(check_declaration(&c, std::slice::from_ref(&p), TODAY, "D1", NOW), Ok(vec![]));
        assert_eq!(check_declaration(&c, &[p], TODAY, "D2", NOW).unwrap().len(), 1);
    }

    // ---- write_off and revoke ---------------------------------------------------------------

    #[test]
    fn write_off_rules() {
        let p = permit();
        let ev = p.write_off("D1", 1, dec("25.5"), TODAY, NOW).unwrap();
        let p = fold(&p, &ev);
        assert_eq!(p.used, dec("25.5"));

        let dup = p.write_off("D1", 1, dec("1"), TODAY, NOW).unwrap_err();
        assert_eq!(dup.kind, RefusalKind::Conflict);
        let zero = p.write_off("D1", 2, Decimal::ZERO, TODAY, NOW).unwrap_err();
        assert_eq!(rules(&zero.errors), [("quantity".to_owned(), Rule::NumberRange)]);
        let over = p.write_off("D1", 2, dec("74.6"), TODAY, NOW).unwrap_err();
        assert_eq!(over.kind, RefusalKind::Validation);
        assert_eq!(rules(&over.errors), [("quantity".to_owned(), Rule::PermitQuantity)]);
        let late = p.write_off("D1", 2, dec("1"), date!(2025 - 09 - 01), NOW).unwrap_err();
        assert_eq!(late.kind, RefusalKind::InvalidState);
        assert!(late.detail_en.contains("is expired"), "{}", late.detail_en);
        let early = p.write_off("D1", 2, dec("1"), date!(2025 - 02 - 01), NOW).unwrap_err();
        assert_eq!(early.kind, RefusalKind::InvalidState);
        assert!(p.write_off("D1", 2, dec("74.5"), TODAY, NOW).is_ok());
    }

    #[test]
    fn revoke_stops_all_use() {
        let p = permit();
        assert_eq!(p.revoke("  ", "潘", NOW).unwrap_err().errors[0].rule, Rule::Required);
        let ev = p.revoke(" 原产国发生检疫性有害生物疫情 ", "潘", NOW).unwrap();
        assert_eq!(ev[0].stream(), "permit:LZ2025-00042");
        let p = fold(&p, &ev);
        assert_eq!(p.revoked, Some(Revocation { reason: "原产国发生检疫性有害生物疫情".into(), by: "潘".into(), at: NOW }));
        assert_eq!(p.status(TODAY), PermitStatus::Revoked);
        let again = p.revoke("again", "潘", NOW).unwrap_err();
        assert_eq!(again.kind, RefusalKind::InvalidState);
        assert!(again.detail_zh.contains("已撤销"), "{}", again.detail_zh);
        assert_eq!(p.write_off("D1", 1, dec("1"), TODAY, NOW).unwrap_err().kind, RefusalKind::InvalidState);
        let c = content(vec![seed(1, "1")], vec![qp(PERMIT_ID)]);
        let errs = check(&c, &[p], TODAY).unwrap_err();
        assert_eq!(rules(&errs), [("licences[0].cert_code".to_owned(), Rule::PermitRevoked)]);
        assert!(errs[0].en.contains("原产国"), "reason quoted: {}", errs[0].en);
    }

    #[test]
    fn events_serialize_under_the_event_tag_and_fold_back() {
        let p = permit();
        let mut events = issue(&draft(), NOW).unwrap();
        events.extend(p.write_off("D1", 2, dec("12.5"), TODAY, NOW).unwrap());
        events.extend(p.revoke("withdrawn", "潘", NOW).unwrap());
        let json = serde_json::to_value(&events).unwrap();
        assert_eq!(json[0]["event"], "issued");
        assert_eq!(json[0]["permit"]["valid_from"], "2025-03-01");
        assert_eq!(json[0]["permit"]["issued_at"], "2025-03-10T09:30:00Z");
        assert_eq!(json[1]["event"], "written_off");
        assert_eq!(json[1]["quantity"], "12.5");
        assert_eq!(json[1]["at"], "2025-03-10T09:30:00Z");
        assert_eq!(json[2]["event"], "revoked");
        let back: Vec<PermitEvent> = serde_json::from_value(json).unwrap();
        assert_eq!(back, events);
        let folded = Permit::from_events(&back).unwrap();
        assert_eq!(folded.used, dec("12.5"));
        assert_eq!(folded.status(TODAY), PermitStatus::Revoked);
        assert!(events.iter().all(|e| e.stream() == "permit:LZ2025-00042"));
        assert_eq!(Permit::from_events(&events[1..]), None);
    }
}
