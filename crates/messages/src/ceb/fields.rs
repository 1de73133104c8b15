//! Element-level rules taken from the XSD (element order, minOccurs, string lengths,
//! decimal digits, fixed values), the documented code lists and customs parameter tables,
//! and a checker that collects every violation.
//!
//! A message module never builds a [`Field`] itself: it writes the [`Rule`] beside the field
//! in its `group!` declaration (`"appType" len(1).one_of(APP_TYPES)`), and the macro adds the
//! element name and whether it is required, which the field's Rust type says (`Option<_>` is
//! `minOccurs="0"`).

use std::str::FromStr;

use rust_decimal::Decimal;

use super::tree::Element;
use super::{CebError, NAMESPACE};

/// The XSD simple type of an element.
#[derive(Debug, Clone, Copy)]
pub enum Simple {
    /// `xs:string` with `minLength`/`maxLength` (characters); `min: 0` when the XSD has none.
    Str { min: usize, max: usize },
    /// `xs:string` with `length`.
    Len(usize),
    /// `xs:decimal` with `totalDigits` and `fractionDigits`.
    Decimal { total: u32, fraction: u32 },
    /// `xs:int`, optionally with `totalDigits`.
    Int { total: Option<u32> },
}

/// What Rust value an element is read into: text, a decimal or an integer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    Text,
    Decimal,
    Int,
}

impl Simple {
    const fn shape(self) -> Shape {
        match self {
            Simple::Str { .. } | Simple::Len(_) => Shape::Text,
            Simple::Decimal { .. } => Shape::Decimal,
            Simple::Int { .. } => Shape::Int,
        }
    }
}

/// The rules of one element besides its name and occurrence: its simple type, a fixed value,
/// a documented code list or a customs parameter table.
#[derive(Debug, Clone, Copy)]
pub struct Rule {
    pub simple: Simple,
    /// `fixed="…"` in the XSD.
    pub fixed: Option<&'static str>,
    /// Code lists stated in the element's `xs:documentation` (the XSD has no `xs:enumeration`).
    pub allowed: &'static [&'static str],
    /// Customs parameter table the code must be in (reported as `enumeration`).
    pub table: Option<Table>,
}

impl Rule {
    const fn of(simple: Simple) -> Rule {
        Rule { simple, fixed: None, allowed: &[], table: None }
    }
    pub const fn fixed(self, value: &'static str) -> Rule {
        Rule { fixed: Some(value), ..self }
    }
    pub const fn one_of(self, allowed: &'static [&'static str]) -> Rule {
        Rule { allowed, ..self }
    }
    pub const fn in_table(self, table: Table) -> Rule {
        Rule { table: Some(table), ..self }
    }
}

/// `xs:string` of `min` to `max` characters.
pub(crate) const fn s(min: usize, max: usize) -> Rule {
    Rule::of(Simple::Str { min, max })
}
/// `xs:string` of exactly `n` characters.
pub(crate) const fn len(n: usize) -> Rule {
    Rule::of(Simple::Len(n))
}
/// `xs:decimal` with totalDigits 19 and fractionDigits 5, the only decimal shape the CEB
/// import messages use.
pub(crate) const DEC: Rule = Rule::of(Simple::Decimal { total: 19, fraction: 5 });
/// `xs:int` without `totalDigits`.
pub(crate) const INT: Rule = Rule::of(Simple::Int { total: None });
/// `xs:int` with `totalDigits`.
pub(crate) const fn int(total: u32) -> Rule {
    Rule::of(Simple::Int { total: Some(total) })
}

/// `appType` 1 新增, 2 变更, 3 删除, as documented for most messages.
pub(crate) const APP_TYPES: &[&str] = &["1", "2", "3"];
/// `buyerIdType` / `payerIdType` 1 身份证, 2 其它.
pub(crate) const ID_TYPES: &[&str] = &["1", "2"];
/// `currency` is `fixed="142"` (人民币) wherever it occurs.
pub(crate) const CNY: &str = "142";

/// One element of an `xs:sequence`.
#[derive(Debug, Clone, Copy)]
pub struct Field {
    pub name: &'static str,
    /// `minOccurs` is 1 (the default).
    pub required: bool,
    pub simple: Simple,
    pub fixed: Option<&'static str>,
    pub allowed: &'static [&'static str],
    pub table: Option<Table>,
}

impl Field {
    /// A field whose Rust value has `shape`; the simple type must give that shape, which
    /// const evaluation checks when the field table is built (a compile error otherwise).
    pub const fn new(name: &'static str, shape: Shape, required: bool, rule: Rule) -> Field {
        let fits = matches!(
            (shape, rule.simple.shape()),
            (Shape::Text, Shape::Text) | (Shape::Decimal, Shape::Decimal) | (Shape::Int, Shape::Int)
        );
        assert!(fits, "the Rust type of a field does not fit its XSD simple type");
        Field { name, required, simple: rule.simple, fixed: rule.fixed, allowed: rule.allowed, table: rule.table }
    }

    /// The same field with another code list.
    pub const fn one_of(self, allowed: &'static [&'static str]) -> Field {
        Field { allowed, ..self }
    }
}

/// `fields` with the code list of element `name` replaced: a message that shares another's
/// group (CEB625's head is CEB623's cancellation) but documents a different list.
pub(crate) const fn with_codes<const N: usize>(fields: &[Field], name: &str, allowed: &'static [&'static str]) -> [Field; N] {
    assert!(fields.len() == N);
    let mut out = [fields[0]; N];
    let mut i = 0;
    let mut found = false;
    while i < N {
        out[i] = fields[i];
        if same(fields[i].name, name) {
            out[i] = fields[i].one_of(allowed);
            found = true;
        }
        i += 1;
    }
    assert!(found, "no such element in the field table");
    out
}

const fn same(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

/// A customs parameter table from `guomen-reference`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Table {
    /// GACC country (region) codes (海关国别（地区）代码), e.g. 142 China, 502 United States.
    Country,
    /// GACC measurement unit codes (计量单位代码), e.g. 007 个, 035 千克.
    Unit,
}

impl Table {
    fn contains(self, code: &str) -> bool {
        match self {
            Table::Country => guomen_reference::gacc_country::is_gacc_country(code),
            Table::Unit => guomen_reference::unit::is_unit(code),
        }
    }

    /// English and Chinese name of the table.
    fn names(self) -> (&'static str, &'static str) {
        match self {
            Table::Country => ("GACC country (region) code", "海关国别（地区）代码"),
            Table::Unit => ("GACC measurement unit code", "海关计量单位代码"),
        }
    }
}

/// Checks the children of one element against a sequence and hands out validated values.
/// A value that breaks a rule is recorded as an error and read as absent; the reader then
/// uses a placeholder (empty string, zero) and the caller discards the result.
pub struct Checker<'a> {
    el: &'a Element,
    path: String,
    spec: &'static [Field],
    /// For each field of `spec`, the child element that holds it (its first occurrence).
    slots: Vec<Option<usize>>,
    pub errors: Vec<CebError>,
}

impl<'a> Checker<'a> {
    /// Checks that every child is a known element of the sequence, in order, at most once.
    pub(crate) fn new(el: &'a Element, path: String, spec: &'static [Field]) -> Self {
        let mut errors = Vec::new();
        let mut last: Option<usize> = None;
        let mut slots = vec![None; spec.len()];
        for (c, child) in el.children.iter().enumerate() {
            let index = if child.ns.as_deref() == Some(NAMESPACE) { spec.iter().position(|f| f.name == child.name) } else { None };
            if let Some(i) = index {
                slots[i].get_or_insert(c);
            }
            let child_path = || format!("{path}/{}", child.name);
            match (index, last) {
                (None, _) => errors.push(CebError::new(
                    child_path(),
                    guomen_domain::Rule::Unexpected,
                    format!("element {} (namespace {}) is not allowed here", child.name, child.ns.as_deref().unwrap_or("none")),
                    format!("此处不允许出现元素 {}（命名空间 {}）", child.name, child.ns.as_deref().unwrap_or("无")),
                )),
                (Some(i), Some(l)) if i == l => errors.push(CebError::new(
                    child_path(),
                    guomen_domain::Rule::Duplicate,
                    format!("element {} appears more than once", child.name),
                    format!("元素 {} 出现了多次", child.name),
                )),
                (Some(i), Some(l)) if i < l => errors.push(CebError::new(
                    child_path(),
                    guomen_domain::Rule::Order,
                    format!("element {} must come before {}", child.name, spec[l].name),
                    format!("元素 {} 必须位于 {} 之前", child.name, spec[l].name),
                )),
                (Some(i), _) => last = Some(i),
            }
        }
        Checker { el, path, spec, slots, errors }
    }

    fn index(&self, name: &str) -> usize {
        self.spec.iter().position(|f| f.name == name).unwrap_or_else(|| panic!("{name} is not in the field table"))
    }

    fn field(&self, name: &str) -> Field {
        self.spec[self.index(name)]
    }

    fn path(&self, name: &str) -> String {
        format!("{}/{name}", self.path)
    }

    /// Trimmed text of the element, after the presence, length, fixed-value and code-list
    /// checks. `None` when absent, or empty and optional (or empty and allowed to be).
    pub fn text(&mut self, name: &str) -> Option<String> {
        let i = self.index(name);
        let field = self.spec[i];
        let el = self.slots[i].map(|c| &self.el.children[c]);
        let text = el.map(|e| e.text.trim());
        let min = match field.simple {
            Simple::Str { min, .. } => min,
            _ => 1,
        };
        let text = match text {
            None | Some("") if field.required && (min > 0 || text.is_none()) => {
                let (en, zh) = if text.is_none() {
                    (format!("required element {name} is missing"), format!("缺少必填元素 {name}"))
                } else {
                    (format!("required element {name} must not be empty"), format!("必填元素 {name} 不能为空"))
                };
                self.errors.push(CebError::new(self.path(name), guomen_domain::Rule::Required, en, zh));
                return None;
            }
            None => return None,
            Some("") if !field.required => return None,
            Some(t) => t.to_string(),
        };
        let chars = text.chars().count();
        match field.simple {
            Simple::Str { max, .. } if chars > max => self.errors.push(CebError::new(
                self.path(name),
                guomen_domain::Rule::MaxLength,
                format!("{name} is {chars} characters long; at most {max} are allowed"),
                format!("{name} 长度为 {chars} 个字符，最多允许 {max} 个"),
            )),
            Simple::Len(n) if chars != n => self.errors.push(CebError::new(
                self.path(name),
                guomen_domain::Rule::Length,
                format!("{name} must be exactly {n} characters long, found {chars}"),
                format!("{name} 长度必须为 {n} 个字符，实际为 {chars} 个"),
            )),
            _ => {}
        }
        if let Some(fixed) = field.fixed {
            if text != fixed {
                self.errors.push(CebError::new(
                    self.path(name),
                    guomen_domain::Rule::Fixed,
                    format!("{name} must be {fixed}, found {text:?}"),
                    format!("{name} 必须为 {fixed}，实际为 {text:?}"),
                ));
            }
        }
        if !field.allowed.is_empty() && !field.allowed.contains(&text.as_str()) {
            let list = field.allowed.join(", ");
            self.errors.push(CebError::new(
                self.path(name),
                guomen_domain::Rule::Enumeration,
                format!("{name} must be one of {list}, found {text:?}"),
                format!("{name} 必须为 {list} 之一，实际为 {text:?}"),
            ));
        }
        if let Some(table) = field.table.filter(|t| !t.contains(&text)) {
            let (en, zh) = table.names();
            self.errors.push(CebError::new(
                self.path(name),
                guomen_domain::Rule::Enumeration,
                format!("{name} must be a {en}, found {text:?}"),
                format!("{name} 必须是{zh}，实际为 {text:?}"),
            ));
        }
        Some(text)
    }

    /// The element's checked `text` as an `xs:decimal` within its digits.
    pub fn decimal(&mut self, name: &str, text: &str) -> Option<Decimal> {
        let Simple::Decimal { total, fraction } = self.field(name).simple else { panic!("{name} is not a decimal field") };
        match parse_decimal(text, total, fraction) {
            // Amounts, prices, quantities and weights: the XSD's xs:decimal allows a sign, but
            // none of them can be less than nothing.
            Ok(d) if d.is_sign_negative() && !d.is_zero() => {
                self.errors.push(CebError::new(
                    self.path(name),
                    guomen_domain::Rule::NumberRange,
                    format!("{name} cannot be negative, found {text}"),
                    format!("{name} 不能为负数，实际为 {text}"),
                ));
                None
            }
            Ok(d) => Some(d),
            Err(rule) => {
                let (en, zh) = if rule == guomen_domain::Rule::Decimal {
                    (format!("{name} must be a decimal number, found {text:?}"), format!("{name} 必须是十进制数字，实际为 {text:?}"))
                } else {
                    (
                        format!("{name} allows at most {total} digits of which {fraction} after the decimal point, found {text}"),
                        format!("{name} 最多允许 {total} 位数字，其中小数不超过 {fraction} 位，实际为 {text}"),
                    )
                };
                self.errors.push(CebError::new(self.path(name), rule, en, zh));
                None
            }
        }
    }

    /// The element's checked `text` as an `xs:int` within its digits.
    pub fn integer(&mut self, name: &str, text: &str) -> Option<i32> {
        let Simple::Int { total } = self.field(name).simple else { panic!("{name} is not an integer field") };
        match parse_int(text, total) {
            Ok(n) => Some(n),
            Err(rule) => {
                let (en, zh) = if rule == guomen_domain::Rule::Integer {
                    (
                        format!("{name} must be a whole number between -2147483648 and 2147483647, found {text:?}"),
                        format!("{name} 必须是 -2147483648 到 2147483647 之间的整数，实际为 {text:?}"),
                    )
                } else {
                    let t = total.unwrap_or(10);
                    (format!("{name} allows at most {t} digits, found {text}"), format!("{name} 最多允许 {t} 位数字，实际为 {text}"))
                };
                self.errors.push(CebError::new(self.path(name), rule, en, zh));
                None
            }
        }
    }
}

/// `xs:decimal` lexical form (no exponent), then `totalDigits`/`fractionDigits` on the
/// value (leading integer zeros and trailing fraction zeros do not count).
/// Errors are the rule names `decimal` and `digits`.
pub(crate) fn parse_decimal(text: &str, total: u32, fraction: u32) -> Result<Decimal, guomen_domain::Rule> {
    let unsigned = text.strip_prefix(['+', '-']).unwrap_or(text);
    let (int_part, frac_part) = unsigned.split_once('.').unwrap_or((unsigned, ""));
    let digits_only = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if int_part.len() + frac_part.len() == 0 || !digits_only(int_part) || !digits_only(frac_part) {
        return Err(guomen_domain::Rule::Decimal);
    }
    let int_sig = int_part.trim_start_matches('0').len();
    let frac_sig = frac_part.trim_end_matches('0').len();
    if frac_sig > fraction as usize || int_sig + frac_sig > total as usize {
        return Err(guomen_domain::Rule::Digits);
    }
    // At most 19 significant digits: rust_decimal (28 digits) represents it exactly.
    let normalised = format!(
        "{}{}{}{}",
        if text.starts_with('-') { "-" } else { "" },
        if int_sig == 0 { "0" } else { int_part.trim_start_matches('0') },
        if frac_sig == 0 { "" } else { "." },
        &frac_part[..frac_sig]
    );
    Decimal::from_str(&normalised).map_err(|_| guomen_domain::Rule::Decimal)
}

/// `xs:int` lexical form and range, then `totalDigits`. Errors: `integer`, `digits`.
pub(crate) fn parse_int(text: &str, total: Option<u32>) -> Result<i32, guomen_domain::Rule> {
    let unsigned = text.strip_prefix(['+', '-']).unwrap_or(text);
    if unsigned.is_empty() || !unsigned.bytes().all(|b| b.is_ascii_digit()) {
        return Err(guomen_domain::Rule::Integer);
    }
    let significant = unsigned.trim_start_matches('0');
    if significant.len() > 10 {
        return Err(guomen_domain::Rule::Integer);
    }
    let magnitude: i64 = if significant.is_empty() { 0 } else { significant.parse().map_err(|_| guomen_domain::Rule::Integer)? };
    let value = if text.starts_with('-') { -magnitude } else { magnitude };
    let value = i32::try_from(value).map_err(|_| guomen_domain::Rule::Integer)?;
    if total.is_some_and(|t| significant.len() > t as usize) {
        return Err(guomen_domain::Rule::Digits);
    }
    Ok(value)
}
