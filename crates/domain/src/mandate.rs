//! 委托 — the mandate an enterprise (委托方, the consignor) gives a customs broker or another
//! agent (被委托方) to declare in its name.
//!
//! ```text
//! granted (by the consignor) ──► in force from valid_from to valid_until (customs days, both included)
//!    └──────────────────────► revoked (by the consignor or an administrator, at any time)
//! ```
//! A mandate's status is not stored: it is derived for a customs day (China Standard Time) from
//! its dates and its revocation ([`Mandate::status`]). An agent acts for a consignor only within
//! the scopes the consignor named ([`Scope`]) and only on a day the mandate is in force; every
//! check goes through [`covers`], whose refusal ([`MandateMissing`]) says which enterprise has
//! not mandated whom for what, and why the nearest mandate between the two does not serve.
//!
//! What needs a mandate:
//! - a declaration naming an agent (`head.agent_code`) other than the consignee/consignor
//!   (`head.trade_code`): the agent needs the consignor's mandate for declarations, whoever files
//!   it; and only the consignor itself or that agent may file ([`check_declarant`]);
//! - a declarant's later steps on a declaration (two-step completion, pre-release commitment, an
//!   appointment for it, remote-inspection evidence): the consignor itself, or an enterprise
//!   holding its mandate on the day of the step ([`check_step`]);
//! - a cross-border inventory list, cancellation or return sent by anyone but the e-commerce
//!   enterprise or the platform: the sender needs the e-commerce enterprise's mandate
//!   ([`check_ceb_sender`]).
//!
//! The owner (`head.owner_code`, 消费使用单位/生产销售单位) gives no mandate: the agent declares in
//! the consignor's name, and the consignor answers for what it declares about the owner.

use crate::declaration::{DeclarationContent, Head};
use crate::error::{FieldError, Refusal, RefusalKind, Rule};
use crate::party::{Actor, Role};
use crate::types::CustomsCode;
use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};

/// Longest revocation reason.
pub const MAX_REASON: usize = 200;

/// 委托事项 — what an agent may do for the consignor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Scope {
    /// 进出口货物报关 — general-trade declarations in the consignor's name and every later step a
    /// declarant takes on them.
    Declarations,
    /// 跨境电商零售进口清单 — inventory lists (CEB621), their cancellations (CEB623) and returns
    /// (CEB625) for the consignor as e-commerce enterprise.
    CebInventories,
}

impl Scope {
    pub const ALL: [Scope; 2] = [Scope::Declarations, Scope::CebInventories];

    pub fn as_str(self) -> &'static str {
        match self {
            Scope::Declarations => "declarations",
            Scope::CebInventories => "ceb-inventories",
        }
    }

    pub fn parse(s: &str) -> Option<Scope> {
        Scope::ALL.into_iter().find(|x| x.as_str() == s.trim())
    }

    pub fn name_zh(self) -> &'static str {
        match self {
            Scope::Declarations => "进出口货物报关单申报及后续手续",
            Scope::CebInventories => "跨境电商零售进口清单申报（含撤销、退货）",
        }
    }

    pub fn name_en(self) -> &'static str {
        match self {
            Scope::Declarations => "customs declarations and their later steps",
            Scope::CebInventories => "cross-border e-commerce inventory lists, cancellations and returns",
        }
    }
}

/// 委托状态 — a mandate's status on a customs day (derived, never stored).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum MandateStatus {
    /// 有效
    Active,
    /// 未生效 — before its first day.
    NotYetValid,
    /// 已到期 — after its last day.
    Expired,
    /// 已撤销
    Revoked,
}

impl MandateStatus {
    pub const ALL: [MandateStatus; 4] = [MandateStatus::Active, MandateStatus::NotYetValid, MandateStatus::Expired, MandateStatus::Revoked];

    pub fn as_str(self) -> &'static str {
        match self {
            MandateStatus::Active => "active",
            MandateStatus::NotYetValid => "not-yet-valid",
            MandateStatus::Expired => "expired",
            MandateStatus::Revoked => "revoked",
        }
    }

    pub fn parse(s: &str) -> Option<MandateStatus> {
        MandateStatus::ALL.into_iter().find(|x| x.as_str() == s.trim())
    }

    pub fn name_zh(self) -> &'static str {
        match self {
            MandateStatus::Active => "有效",
            MandateStatus::NotYetValid => "未生效",
            MandateStatus::Expired => "已到期",
            MandateStatus::Revoked => "已撤销",
        }
    }
}

/// 撤销 — who revoked the mandate, when and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Revocation {
    pub reason: String,
    /// The actor (`user:NAME`, `token:ID`, `cli:…`).
    pub by: String,
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
}

/// 委托书 — the mandate as folded from its events.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mandate {
    /// 委托书编号: `WT` + year + six-digit sequence.
    pub id: String,
    /// 委托方 — the enterprise in whose name the agent acts.
    pub consignor: CustomsCode,
    /// 被委托方 — the customs broker (or other enterprise) acting for it.
    pub agent: CustomsCode,
    /// What the agent may do, in [`Scope`] order, without repeats.
    pub scopes: Vec<Scope>,
    /// First and last customs day (China Standard Time, both included) the mandate is in force.
    pub valid_from: Date,
    pub valid_until: Date,
    /// The actor who recorded the grant (the consignor's declarant, or an operator).
    pub granted_by: String,
    #[serde(with = "time::serde::rfc3339")]
    pub granted_at: OffsetDateTime,
    #[serde(default)]
    pub revoked: Option<Revocation>,
}

/// Events of one mandate; journal stream `mandate:ID`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum MandateEvent {
    /// 委托 — the consignor gives the mandate.
    Granted { mandate: Box<Mandate> },
    /// 撤销委托
    Revoked {
        mandate_id: String,
        reason: String,
        by: String,
        #[serde(with = "time::serde::rfc3339")]
        at: OffsetDateTime,
    },
}

impl MandateEvent {
    pub fn mandate_id(&self) -> &str {
        match self {
            MandateEvent::Granted { mandate } => &mandate.id,
            MandateEvent::Revoked { mandate_id, .. } => mandate_id,
        }
    }

    /// The journal stream this event belongs to.
    pub fn stream(&self) -> String {
        format!("mandate:{}", self.mandate_id())
    }

    pub fn kind(&self) -> &'static str {
        match self {
            MandateEvent::Granted { .. } => "mandate_granted",
            MandateEvent::Revoked { .. } => "mandate_revoked",
        }
    }

    /// Short bilingual description for timelines: (English, Chinese).
    pub fn summary(&self) -> (String, String) {
        match self {
            MandateEvent::Granted { mandate: m } => (
                format!(
                    "{} mandated {} for {} from {} to {}",
                    m.consignor,
                    m.agent,
                    m.scopes.iter().map(|s| s.name_en()).collect::<Vec<_>>().join("; "),
                    m.valid_from,
                    m.valid_until
                ),
                format!(
                    "{} 委托 {} 办理{}，有效期 {} 至 {}",
                    m.consignor,
                    m.agent,
                    m.scopes.iter().map(|s| s.name_zh()).collect::<Vec<_>>().join("、"),
                    m.valid_from,
                    m.valid_until
                ),
            ),
            MandateEvent::Revoked { mandate_id, reason, .. } => {
                (format!("mandate {mandate_id} revoked: {reason}"), format!("委托书 {mandate_id} 已撤销：{reason}"))
            }
        }
    }
}

/// 委托申请 — a mandate as the consignor submits it, every value text.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct MandateDraft {
    /// Customs code of the agent (被委托方).
    pub agent: Option<String>,
    /// `declarations`, `ceb-inventories`.
    pub scopes: Vec<String>,
    /// `YYYY-MM-DD`, a customs day not before today; today when absent.
    pub valid_from: Option<String>,
    /// `YYYY-MM-DD`, not before `valid_from`.
    pub valid_until: Option<String>,
}

fn parse_date(path: &str, s: &str, errors: &mut Vec<FieldError>) -> Option<Date> {
    let fmt = time::macros::format_description!("[year]-[month]-[day]");
    match Date::parse(s.trim(), &fmt) {
        Ok(d) => Some(d),
        Err(_) => {
            errors.push(FieldError::new(
                path,
                Rule::DateFormat,
                format!("a date is YYYY-MM-DD, got {s:?}"),
                format!("日期格式应为 YYYY-MM-DD，实际为 {s:?}"),
            ));
            None
        }
    }
}

/// Whether `by` acts for the consignor: its declarant, or an administrator (an operator who
/// records a mandate given on paper, or revokes one).
fn speaks_for(by: &Actor, consignor: &CustomsCode) -> bool {
    by.is(Role::Admin) || (by.is(Role::Declarant) && by.enterprise.as_ref() == Some(consignor))
}

/// 委托 — the consignor gives `draft`'s agent a mandate numbered `id`. `today` is the customs
/// day of `now` (China Standard Time).
pub fn grant(
    id: &str,
    consignor: &CustomsCode,
    draft: &MandateDraft,
    by: &Actor,
    now: OffsetDateTime,
) -> Result<Vec<MandateEvent>, Refusal> {
    if !speaks_for(by, consignor) {
        return Err(Refusal::new(
            RefusalKind::Forbidden,
            format!("only enterprise {consignor} itself (or an administrator) may give a mandate in its name"),
            format!("只有企业 {consignor} 本身（或系统管理员）可以以其名义出具委托"),
        ));
    }
    let today = crate::clearance::cst_day(now);
    let mut errors = Vec::new();
    let agent = match draft.agent.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => {
            errors.push(FieldError::new("agent", Rule::Required, "name the agent's customs code", "请填写被委托企业海关编码"));
            None
        }
        Some(s) => match CustomsCode::parse(s) {
            Ok(c) if &c == consignor => {
                errors.push(FieldError::new(
                    "agent",
                    Rule::MandateSelf,
                    "an enterprise declares for itself without a mandate; name another enterprise",
                    "企业自行申报无需委托，请填写其他企业",
                ));
                None
            }
            Ok(c) => Some(c),
            Err(e) => {
                errors.push(FieldError::new("agent", e.rule, e.en, e.zh));
                None
            }
        },
    };
    let mut scopes = Vec::new();
    if draft.scopes.iter().all(|s| s.trim().is_empty()) {
        errors.push(FieldError::new(
            "scopes",
            Rule::Required,
            format!("name at least one scope: {}", Scope::ALL.map(Scope::as_str).join(", ")),
            "请至少选择一项委托事项",
        ));
    }
    for (i, s) in draft.scopes.iter().enumerate().filter(|(_, s)| !s.trim().is_empty()) {
        match Scope::parse(s) {
            Some(x) => scopes.push(x),
            None => errors.push(FieldError::new(
                format!("scopes[{i}]"),
                Rule::ScopeUnknown,
                format!("{s:?} is not a scope; use {}", Scope::ALL.map(Scope::as_str).join(" or ")),
                format!("{s:?} 不是委托事项，应为 {}", Scope::ALL.map(Scope::as_str).join(" 或 ")),
            )),
        }
    }
    scopes.sort();
    scopes.dedup();
    let from = match draft.valid_from.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => Some(today),
        Some(s) => parse_date("valid_from", s, &mut errors),
    };
    if let Some(f) = from.filter(|f| *f < today) {
        errors.push(FieldError::new(
            "valid_from",
            Rule::MandateBackdated,
            format!("a mandate takes effect from today ({today}) or later, not from {f}"),
            format!("委托自今日（{today}）或以后生效，不能自 {f} 起"),
        ));
    }
    let until = match draft.valid_until.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => {
            errors.push(FieldError::new("valid_until", Rule::Required, "say until which day the mandate holds", "请填写委托截止日期"));
            None
        }
        Some(s) => parse_date("valid_until", s, &mut errors),
    };
    if let (Some(f), Some(u)) = (from, until) {
        if u < f {
            errors.push(FieldError::new(
                "valid_until",
                Rule::DateOrder,
                format!("the last day {u} is before the first day {f}"),
                format!("截止日期 {u} 早于生效日期 {f}"),
            ));
        }
    }
    if !errors.is_empty() {
        return Err(Refusal::validation(errors));
    }
    let (Some(agent), Some(valid_from), Some(valid_until)) = (agent, from, until) else {
        unreachable!("every missing value was reported");
    };
    let mandate = Mandate {
        id: id.to_owned(),
        consignor: consignor.clone(),
        agent,
        scopes,
        valid_from,
        valid_until,
        granted_by: by.id.clone(),
        granted_at: now,
        revoked: None,
    };
    Ok(vec![MandateEvent::Granted { mandate: Box::new(mandate) }])
}

impl Mandate {
    /// Folds a mandate's events, the first of which must be its grant.
    pub fn from_events(events: &[MandateEvent]) -> Option<Mandate> {
        let mut it = events.iter();
        let Some(MandateEvent::Granted { mandate }) = it.next() else {
            return None;
        };
        let mut m = Mandate::clone(mandate);
        for e in it {
            m.apply(e);
        }
        Some(m)
    }

    /// Applies one event of this mandate.
    pub fn apply(&mut self, e: &MandateEvent) {
        match e {
            MandateEvent::Granted { mandate } => *self = Mandate::clone(mandate),
            MandateEvent::Revoked { reason, by, at, .. } => {
                self.revoked = Some(Revocation { reason: reason.clone(), by: by.clone(), at: *at });
            }
        }
    }

    /// The status on customs day `day`. A revoked mandate is revoked whatever its dates.
    pub fn status(&self, day: Date) -> MandateStatus {
        if self.revoked.is_some() {
            MandateStatus::Revoked
        } else if day > self.valid_until {
            MandateStatus::Expired
        } else if day < self.valid_from {
            MandateStatus::NotYetValid
        } else {
            MandateStatus::Active
        }
    }

    /// Whether this mandate lets `agent` act for `consignor` in `scope` on customs day `day`.
    pub fn allows(&self, consignor: &CustomsCode, agent: &CustomsCode, scope: Scope, day: Date) -> bool {
        &self.consignor == consignor && &self.agent == agent && self.scopes.contains(&scope) && self.status(day) == MandateStatus::Active
    }

    /// 撤销委托 — the consignor (or an administrator) withdraws the mandate; from that moment
    /// the agent can no longer act under it.
    pub fn revoke(&self, reason: &str, by: &Actor, now: OffsetDateTime) -> Result<Vec<MandateEvent>, Refusal> {
        if !speaks_for(by, &self.consignor) {
            return Err(Refusal::new(
                RefusalKind::Forbidden,
                format!("only the consignor {} (or an administrator) may revoke mandate {}", self.consignor, self.id),
                format!("只有委托方 {}（或系统管理员）可以撤销委托书 {}", self.consignor, self.id),
            ));
        }
        if let Some(r) = &self.revoked {
            return Err(Refusal::invalid_state(
                format!("mandate {} was already revoked on {}", self.id, crate::clearance::cst_day(r.at)),
                format!("委托书 {} 已于 {} 撤销", self.id, crate::clearance::cst_day(r.at)),
            ));
        }
        let reason = reason.trim();
        if reason.is_empty() {
            return Err(Refusal::field("reason", Rule::Required, "a revocation needs a reason", "撤销委托须注明原因"));
        }
        if reason.chars().count() > MAX_REASON {
            return Err(Refusal::field(
                "reason",
                Rule::TooLong,
                format!("at most {MAX_REASON} characters"),
                format!("最多 {MAX_REASON} 个字符"),
            ));
        }
        Ok(vec![MandateEvent::Revoked { mandate_id: self.id.clone(), reason: reason.to_owned(), by: by.id.clone(), at: now }])
    }
}

/// Why the nearest mandate between two enterprises does not serve.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Lapse {
    /// There is none at all for this scope or any other.
    None,
    /// Mandates exist between the two, but for other scopes only.
    OtherScopes(Vec<Scope>),
    /// The mandate for this scope starts later.
    NotYetValid { id: String, from: Date },
    /// The mandate for this scope was revoked.
    Revoked { id: String, on: Date, reason: String },
    /// The mandate for this scope ended.
    Expired { id: String, on: Date },
}

/// 未获委托 — `consignor` has not mandated `agent` for `scope` on `day`: the typed refusal of
/// [`covers`]. As a [`Refusal`] it is a 403 with rule `mandate_missing`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MandateMissing {
    pub consignor: CustomsCode,
    pub agent: CustomsCode,
    pub scope: Scope,
    pub day: Date,
    pub lapse: Lapse,
}

impl MandateMissing {
    fn why(&self) -> (String, String) {
        match &self.lapse {
            Lapse::None => ("no mandate between them has been recorded".into(), "双方之间没有委托记录".into()),
            Lapse::OtherScopes(s) => (
                format!("its mandates cover only {}", s.iter().map(|x| x.name_en()).collect::<Vec<_>>().join("; ")),
                format!("现有委托仅限{}", s.iter().map(|x| x.name_zh()).collect::<Vec<_>>().join("、")),
            ),
            Lapse::NotYetValid { id, from } => {
                (format!("mandate {id} takes effect only on {from}"), format!("委托书 {id} 自 {from} 起才生效"))
            }
            Lapse::Revoked { id, on, reason } => {
                (format!("mandate {id} was revoked on {on}: {reason}"), format!("委托书 {id} 已于 {on} 撤销：{reason}"))
            }
            Lapse::Expired { id, on } => (format!("mandate {id} ended on {on}"), format!("委托书 {id} 已于 {on} 到期")),
        }
    }

    /// The refusal, with the error at `path` (the field that names the agent, or empty).
    pub fn refusal(&self, path: &str) -> Refusal {
        let (why_en, why_zh) = self.why();
        let en = format!(
            "enterprise {} has not mandated {} for {} on {} ({why_en})",
            self.consignor,
            self.agent,
            self.scope.name_en(),
            self.day
        );
        let zh = format!("企业 {} 未委托 {} 办理{}（{}；{why_zh}）", self.consignor, self.agent, self.scope.name_zh(), self.day);
        Refusal {
            kind: RefusalKind::Forbidden,
            detail_en: en.clone(),
            detail_zh: zh.clone(),
            errors: vec![FieldError::new(path, Rule::MandateMissing, en, zh)],
        }
    }
}

/// The pure check: does one of `mandates` let `agent` act for `consignor` in `scope` on customs
/// day `day`? The answer is the mandate that does, or why none does (the nearest lapse: one
/// starting later first, then the latest revoked or expired, then mandates of other scopes).
pub fn covers<'a>(
    mandates: impl IntoIterator<Item = &'a Mandate>,
    consignor: &CustomsCode,
    agent: &CustomsCode,
    scope: Scope,
    day: Date,
) -> Result<&'a Mandate, MandateMissing> {
    let between: Vec<&Mandate> = mandates.into_iter().filter(|m| &m.consignor == consignor && &m.agent == agent).collect();
    if let Some(m) = between.iter().find(|m| m.allows(consignor, agent, scope, day)) {
        return Ok(m);
    }
    let same: Vec<&&Mandate> = between.iter().filter(|m| m.scopes.contains(&scope)).collect();
    let later = same.iter().filter(|m| m.status(day) == MandateStatus::NotYetValid).min_by_key(|m| m.valid_from);
    let lapse = if let Some(m) = later {
        Lapse::NotYetValid { id: m.id.clone(), from: m.valid_from }
    } else if let Some(m) = same.iter().max_by_key(|m| match &m.revoked {
        Some(r) => crate::clearance::cst_day(r.at).min(m.valid_until),
        None => m.valid_until,
    }) {
        match &m.revoked {
            Some(r) => Lapse::Revoked { id: m.id.clone(), on: crate::clearance::cst_day(r.at), reason: r.reason.clone() },
            None => Lapse::Expired { id: m.id.clone(), on: m.valid_until },
        }
    } else if between.is_empty() {
        Lapse::None
    } else {
        let mut other: Vec<Scope> = between.iter().flat_map(|m| m.scopes.iter().copied()).collect();
        other.sort();
        other.dedup();
        Lapse::OtherScopes(other)
    };
    Err(MandateMissing { consignor: consignor.clone(), agent: agent.clone(), scope, day, lapse })
}

/// 申报资格 — who may file (or complete) a declaration with this head: the consignee/consignor
/// (`trade_code`) itself, or the agent named in `agent_code`; and an agent named on it must hold
/// the consignor's mandate for declarations on `day`, whoever files. `given` are the mandates
/// the consignor gave (others are ignored). A filer not named at all is refused before this
/// (`not_a_party`).
pub fn check_declarant(filer: &CustomsCode, head: &Head, given: &[Mandate], day: Date) -> Result<(), Refusal> {
    let trader = &head.trade_code;
    if let Some(agent) = head.agent_code.as_ref().filter(|a| *a != trader) {
        covers(given, trader, agent, Scope::Declarations, day).map_err(|m| m.refusal("head.agent_code"))?;
    }
    if filer == trader || head.agent_code.as_ref() == Some(filer) {
        return Ok(());
    }
    let en = format!(
        "enterprise {filer} files for {trader} but is not the agent named in head.agent_code: only the consignee/consignor or the agent it mandated files"
    );
    let zh =
        format!("企业 {filer} 为 {trader} 申报，但不是报关单所列申报单位（head.agent_code）：只有收发货人本身或其委托的申报单位可以申报");
    Err(Refusal {
        kind: RefusalKind::Forbidden,
        detail_en: en.clone(),
        detail_zh: zh.clone(),
        errors: vec![FieldError::new("head.agent_code", Rule::AgentNotNamed, en, zh)],
    })
}

/// A declarant's later step on a declaration (two-step completion, commitment, appointment,
/// evidence): the consignee/consignor itself, or an enterprise holding its mandate for
/// declarations on `day`. An agent whose mandate was revoked or ended can no longer act; it may
/// still read what it filed.
pub fn check_step(actor: &CustomsCode, content: &DeclarationContent, given: &[Mandate], day: Date) -> Result<(), Refusal> {
    let trader = &content.head.trade_code;
    if actor == trader {
        return Ok(());
    }
    covers(given, trader, actor, Scope::Declarations, day).map(|_| ()).map_err(|m| m.refusal(""))
}

/// A cross-border inventory list, cancellation or return: the e-commerce enterprise (`ebc`) and
/// the platform (`ebp`) send for themselves; any other sender (the declaring agent) needs the
/// e-commerce enterprise's mandate for inventory lists on `day`. `path` names the document's
/// agent field in the message.
pub fn check_ceb_sender(sender: &str, ebc: &str, ebp: &str, given: &[Mandate], day: Date, path: &str) -> Result<(), Refusal> {
    if sender == ebc || sender == ebp {
        return Ok(());
    }
    let (Ok(consignor), Ok(agent)) = (CustomsCode::parse(ebc), CustomsCode::parse(sender)) else {
        // Codes the schema admits but customs codes do not: no mandate can name them.
        let en = format!("enterprise {ebc} has not mandated {sender} for {} on {day}", Scope::CebInventories.name_en());
        let zh = format!("企业 {ebc} 未委托 {sender} 办理{}（{day}）", Scope::CebInventories.name_zh());
        return Err(Refusal {
            kind: RefusalKind::Forbidden,
            detail_en: en.clone(),
            detail_zh: zh.clone(),
            errors: vec![FieldError::new(path, Rule::MandateMissing, en, zh)],
        });
    };
    covers(given, &consignor, &agent, Scope::CebInventories, day).map(|_| ()).map_err(|m| m.refusal(path))
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::{date, datetime};

    const CONSIGNOR: &str = "6201960001";
    const AGENT: &str = "6201980002";
    const OTHER: &str = "4401960003";
    /// 10:00 in Beijing on 2026-03-10.
    const NOW: OffsetDateTime = datetime!(2026-03-10 02:00 UTC);

    fn cc(s: &str) -> CustomsCode {
        CustomsCode::parse(s).unwrap()
    }

    fn declarant(of: &str) -> Actor {
        Actor { id: format!("user:{of}"), role: Some(Role::Declarant), enterprise: Some(cc(of)) }
    }

    fn admin() -> Actor {
        Actor { id: "cli:op".into(), role: Some(Role::Admin), enterprise: None }
    }

    fn draft(agent: &str, scopes: &[&str], from: Option<&str>, until: &str) -> MandateDraft {
        MandateDraft {
            agent: Some(agent.into()),
            scopes: scopes.iter().map(|s| s.to_string()).collect(),
            valid_from: from.map(Into::into),
            valid_until: Some(until.into()),
        }
    }

    fn granted(scopes: &[&str], from: &str, until: &str) -> Mandate {
        let events = grant("WT2026000001", &cc(CONSIGNOR), &draft(AGENT, scopes, Some(from), until), &declarant(CONSIGNOR), NOW).unwrap();
        Mandate::from_events(&events).unwrap()
    }

    fn rules(r: &Refusal) -> Vec<(&str, Rule)> {
        r.errors.iter().map(|e| (e.path.as_str(), e.rule)).collect()
    }

    #[test]
    fn the_consignor_grants_and_the_mandate_is_in_force_on_its_days() {
        let m = granted(&["declarations", "ceb-inventories", "declarations"], "2026-03-10", "2026-12-31");
        assert_eq!(m.scopes, vec![Scope::Declarations, Scope::CebInventories], "sorted, without repeats");
        assert_eq!(m.granted_by, "user:6201960001");
        for (day, status) in [
            (date!(2026 - 03 - 09), MandateStatus::NotYetValid),
            (date!(2026 - 03 - 10), MandateStatus::Active),
            (date!(2026 - 12 - 31), MandateStatus::Active),
            (date!(2027 - 01 - 01), MandateStatus::Expired),
        ] {
            assert_eq!(m.status(day), status, "{day}");
        }
        assert!(m.allows(&cc(CONSIGNOR), &cc(AGENT), Scope::Declarations, date!(2026 - 06 - 01)));
        assert!(!m.allows(&cc(AGENT), &cc(CONSIGNOR), Scope::Declarations, date!(2026 - 06 - 01)), "a mandate runs one way");
    }

    #[test]
    fn valid_from_defaults_to_the_customs_day_of_the_grant() {
        // 17:00 UTC on 9 March is 01:00 on 10 March in Beijing.
        let late = datetime!(2026-03-09 17:00 UTC);
        let events =
            grant("WT1", &cc(CONSIGNOR), &draft(AGENT, &["declarations"], None, "2026-04-01"), &declarant(CONSIGNOR), late).unwrap();
        assert_eq!(Mandate::from_events(&events).unwrap().valid_from, date!(2026 - 03 - 10));
    }

    #[test]
    fn a_grant_names_every_broken_field() {
        let cases: Vec<(MandateDraft, Vec<(&str, Rule)>)> = vec![
            (MandateDraft::default(), vec![("agent", Rule::Required), ("scopes", Rule::Required), ("valid_until", Rule::Required)]),
            (draft(CONSIGNOR, &["declarations"], None, "2026-04-01"), vec![("agent", Rule::MandateSelf)]),
            (draft("62019", &["declarations"], None, "2026-04-01"), vec![("agent", Rule::CustomsCodeFormat)]),
            (draft(AGENT, &["declarations", "manifests"], None, "2026-04-01"), vec![("scopes[1]", Rule::ScopeUnknown)]),
            (draft(AGENT, &["declarations"], Some("2026-03-09"), "2026-04-01"), vec![("valid_from", Rule::MandateBackdated)]),
            (draft(AGENT, &["declarations"], Some("2026-05-01"), "2026-04-01"), vec![("valid_until", Rule::DateOrder)]),
            (draft(AGENT, &["declarations"], Some("10/03/2026"), "2026-04-01"), vec![("valid_from", Rule::DateFormat)]),
        ];
        for (d, expected) in cases {
            let r = grant("WT1", &cc(CONSIGNOR), &d, &declarant(CONSIGNOR), NOW).unwrap_err();
            assert_eq!(r.kind, RefusalKind::Validation);
            assert_eq!(rules(&r), expected, "{d:?}");
        }
    }

    #[test]
    fn only_the_consignor_or_an_administrator_grants_and_revokes() {
        let d = draft(AGENT, &["declarations"], None, "2026-04-01");
        // The agent cannot mandate itself in the consignor's name; an officer cannot either.
        let officer = Actor { id: "user:o".into(), role: Some(Role::Officer), enterprise: None };
        for by in [declarant(AGENT), declarant(OTHER), officer.clone()] {
            assert_eq!(grant("WT1", &cc(CONSIGNOR), &d, &by, NOW).unwrap_err().kind, RefusalKind::Forbidden, "{by:?}");
        }
        assert!(grant("WT1", &cc(CONSIGNOR), &d, &admin(), NOW).is_ok(), "an operator records a paper mandate");
        let m = granted(&["declarations"], "2026-03-10", "2026-04-01");
        for by in [declarant(AGENT), officer] {
            assert_eq!(m.revoke("no longer", &by, NOW).unwrap_err().kind, RefusalKind::Forbidden);
        }
        assert_eq!(rules(&m.revoke("  ", &declarant(CONSIGNOR), NOW).unwrap_err()), vec![("reason", Rule::Required)]);
        let events = m.revoke("contract ended", &admin(), NOW).unwrap();
        let mut revoked = m.clone();
        revoked.apply(&events[0]);
        assert_eq!(revoked.status(date!(2026 - 03 - 11)), MandateStatus::Revoked);
        assert_eq!(revoked.revoke("again", &declarant(CONSIGNOR), NOW).unwrap_err().kind, RefusalKind::InvalidState);
        assert_eq!(events[0].stream(), "mandate:WT2026000001");
    }

    #[test]
    fn covers_says_why_none_serves() {
        let (c, a) = (cc(CONSIGNOR), cc(AGENT));
        let day = date!(2026 - 06 - 01);
        let lapse = |ms: &[Mandate], scope: Scope| covers(ms, &c, &a, scope, day).unwrap_err().lapse;
        assert_eq!(lapse(&[], Scope::Declarations), Lapse::None);

        let ceb_only = granted(&["ceb-inventories"], "2026-03-10", "2026-12-31");
        assert_eq!(lapse(std::slice::from_ref(&ceb_only), Scope::Declarations), Lapse::OtherScopes(vec![Scope::CebInventories]));
        assert!(covers(std::slice::from_ref(&ceb_only), &c, &a, Scope::CebInventories, day).is_ok());

        let ended = granted(&["declarations"], "2026-03-10", "2026-03-31");
        assert_eq!(
            lapse(std::slice::from_ref(&ended), Scope::Declarations),
            Lapse::Expired { id: ended.id.clone(), on: date!(2026 - 03 - 31) }
        );

        let mut revoked = granted(&["declarations"], "2026-03-10", "2026-12-31");
        let at = datetime!(2026-04-02 03:00 UTC);
        let e = revoked.revoke("broker changed", &declarant(CONSIGNOR), at).unwrap();
        revoked.apply(&e[0]);
        // The latest lapse is told: the revocation after the other mandate ended.
        let l = lapse(&[ended.clone(), revoked.clone()], Scope::Declarations);
        assert_eq!(l, Lapse::Revoked { id: revoked.id.clone(), on: date!(2026 - 04 - 02), reason: "broker changed".into() });

        let later = granted(&["declarations"], "2026-06-02", "2026-12-31");
        assert!(matches!(lapse(&[revoked.clone(), later.clone()], Scope::Declarations), Lapse::NotYetValid { .. }));

        // Someone else's mandate to the same agent does not serve.
        let mut theirs = granted(&["declarations"], "2026-03-10", "2026-12-31");
        theirs.consignor = cc(OTHER);
        assert_eq!(lapse(std::slice::from_ref(&theirs), Scope::Declarations), Lapse::None);

        let r = covers(std::slice::from_ref(&revoked), &c, &a, Scope::Declarations, day).unwrap_err().refusal("head.agent_code");
        assert_eq!(r.kind.http_status(), 403);
        assert_eq!(rules(&r), vec![("head.agent_code", Rule::MandateMissing)]);
        assert!(r.detail_en.contains("6201960001 has not mandated 6201980002 for customs declarations"), "{}", r.detail_en);
        assert!(r.detail_zh.contains("企业 6201960001 未委托 6201980002 办理进出口货物报关单申报及后续手续"), "{}", r.detail_zh);
        assert!(r.detail_zh.contains("已于 2026-04-02 撤销：broker changed"), "{}", r.detail_zh);
    }

    fn head(trade: &str, owner: Option<&str>, agent: Option<&str>) -> Head {
        Head {
            ie_flag: crate::declaration::IeFlag::Import,
            mode: crate::declaration::DeclarationMode::Standard,
            customs_master: crate::types::OfficeCode::parse("9501").unwrap(),
            ie_port: crate::types::OfficeCode::parse("9501").unwrap(),
            ie_date: None,
            trade_code: cc(trade),
            owner_code: owner.map(cc),
            agent_code: agent.map(cc),
            traf_mode: "5".into(),
            traf_name: None,
            voyage_no: None,
            bill_no: "B1".into(),
            manifest_no: None,
            trade_mode: "0110".into(),
            trade_country: crate::types::CountryCode::parse("NLD").unwrap(),
            trans_mode: "1".into(),
            pack_no: 1,
            gross_wt: 1.into(),
            net_wt: 1.into(),
            site_code: None,
            note: None,
            priority: None,
        }
    }

    #[test]
    fn who_may_file() {
        let day = date!(2026 - 06 - 01);
        let given = [granted(&["declarations"], "2026-03-10", "2026-12-31")];
        let (c, a, o) = (cc(CONSIGNOR), cc(AGENT), cc(OTHER));
        // (filer, head, mandates, expected rule)
        let cases: Vec<(&CustomsCode, Head, &[Mandate], Option<Rule>)> = vec![
            (&c, head(CONSIGNOR, None, None), &[], None),
            (&c, head(CONSIGNOR, Some(OTHER), None), &[], None),
            (&a, head(CONSIGNOR, None, Some(AGENT)), &given, None),
            (&c, head(CONSIGNOR, None, Some(AGENT)), &given, None),
            (&a, head(CONSIGNOR, None, Some(AGENT)), &[], Some(Rule::MandateMissing)),
            // The consignor may not name an agent it has not mandated either.
            (&c, head(CONSIGNOR, None, Some(AGENT)), &[], Some(Rule::MandateMissing)),
            // The owner is not the declarant.
            (&o, head(CONSIGNOR, Some(OTHER), None), &given, Some(Rule::AgentNotNamed)),
            (&c, head(CONSIGNOR, None, Some(CONSIGNOR)), &[], None),
        ];
        for (filer, h, ms, expected) in cases {
            let got = check_declarant(filer, &h, ms, day);
            match expected {
                None => assert!(got.is_ok(), "{filer} {h:?}: {got:?}"),
                Some(rule) => {
                    let r = got.unwrap_err();
                    assert_eq!((r.kind, r.errors[0].rule, r.errors[0].path.as_str()), (RefusalKind::Forbidden, rule, "head.agent_code"));
                }
            }
        }
        // Expired on the day of filing: refused.
        assert!(check_declarant(&a, &head(CONSIGNOR, None, Some(AGENT)), &given, date!(2027 - 01 - 01)).is_err());
    }

    #[test]
    fn who_may_take_a_step_and_send_an_inventory_list() {
        let day = date!(2026 - 06 - 01);
        let given = [granted(&["declarations"], "2026-03-10", "2026-12-31")];
        let content =
            DeclarationContent { head: head(CONSIGNOR, Some(OTHER), Some(AGENT)), items: vec![], containers: vec![], licences: vec![] };
        assert!(check_step(&cc(CONSIGNOR), &content, &[], day).is_ok());
        assert!(check_step(&cc(AGENT), &content, &given, day).is_ok());
        assert_eq!(
            check_step(&cc(OTHER), &content, &given, day).unwrap_err().errors[0].rule,
            Rule::MandateMissing,
            "the owner holds no mandate"
        );
        assert!(check_step(&cc(AGENT), &content, &given, date!(2027 - 01 - 01)).is_err());

        // Cross-border: the e-commerce enterprise and the platform send for themselves.
        let path = "Inventory[0]/InventoryHead/agentCode";
        assert!(check_ceb_sender(CONSIGNOR, CONSIGNOR, OTHER, &[], day, path).is_ok());
        assert!(check_ceb_sender(OTHER, CONSIGNOR, OTHER, &[], day, path).is_ok());
        let r = check_ceb_sender(AGENT, CONSIGNOR, OTHER, &given, day, path).unwrap_err();
        assert_eq!((r.errors[0].path.as_str(), r.errors[0].rule), (path, Rule::MandateMissing));
        assert!(r.detail_en.contains("cross-border e-commerce inventory lists"), "{}", r.detail_en);
        let ceb = [granted(&["ceb-inventories"], "2026-03-10", "2026-12-31")];
        assert!(check_ceb_sender(AGENT, CONSIGNOR, OTHER, &ceb, day, path).is_ok());
    }

    #[test]
    fn events_round_trip_and_fold() {
        let m = granted(&["declarations"], "2026-03-10", "2026-12-31");
        let e = m.revoke("ended", &declarant(CONSIGNOR), NOW).unwrap().remove(0);
        let granted = MandateEvent::Granted { mandate: Box::new(m.clone()) };
        for ev in [&granted, &e] {
            let json = serde_json::to_string(ev).unwrap();
            assert_eq!(&serde_json::from_str::<MandateEvent>(&json).unwrap(), ev);
        }
        let folded = Mandate::from_events(&[granted, e]).unwrap();
        assert_eq!(folded.status(date!(2026 - 03 - 10)), MandateStatus::Revoked);
        assert_eq!(serde_json::to_value(Scope::CebInventories).unwrap(), "ceb-inventories");
    }
}
