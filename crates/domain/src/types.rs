//! Self-checking values: each parses once at the edge and is trusted everywhere behind it.

use crate::Rule;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::fmt;

/// A self-checking string value. It is read from JSON (a request, a rule file, a stored record,
/// a journal entry) only through its `parse`, so no way in skips the check.
macro_rules! string_newtype {
    ($(#[$m:meta])* $name:ident) => {
        $(#[$m])*
        #[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
        #[serde(transparent)]
        pub struct $name(String);
        impl $name {
            pub fn as_str(&self) -> &str { &self.0 }
        }
        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = String::deserialize(d)?;
                $name::parse(&s).map_err(|e| serde::de::Error::custom(e.to_serde_message()))
            }
        }
        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result { f.write_str(&self.0) }
        }
        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str { &self.0 }
        }
    };
}

/// Why a value did not parse, in both languages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    pub rule: Rule,
    pub en: String,
    pub zh: String,
}

/// Marks a deserialization error that is a value's own refusal, so the edge can answer it as a
/// field error (422) rather than as an unreadable body.
const SERDE_MARK: &str = "\u{1}parse\u{1}";

impl ParseError {
    fn new(rule: Rule, en: impl Into<String>, zh: impl Into<String>) -> Self {
        ParseError { rule, en: en.into(), zh: zh.into() }
    }

    /// The message a deserializer carries for this error.
    pub fn to_serde_message(&self) -> String {
        format!("{SERDE_MARK}{}\u{1}{}\u{1}{}{SERDE_MARK}", self.rule, self.en, self.zh)
    }

    /// The error a deserializer's message carries, if it is one of these (the deserializer may
    /// have added its position around it).
    pub fn from_serde_message(msg: &str) -> Option<ParseError> {
        let start = msg.find(SERDE_MARK)? + SERDE_MARK.len();
        let end = start + msg[start..].find(SERDE_MARK)?;
        let mut parts = msg[start..end].split('\u{1}');
        let rule = Rule::from_code(parts.next()?)?;
        Some(ParseError { rule, en: parts.next()?.to_owned(), zh: parts.next()?.to_owned() })
    }
}

string_newtype!(
    /// 海关编码 — the 10-character customs registration code of an enterprise.
    CustomsCode
);
impl CustomsCode {
    pub fn parse(s: &str) -> Result<Self, ParseError> {
        let s = s.trim();
        if s.len() == 10 && s.bytes().all(|b| b.is_ascii_digit() || b.is_ascii_uppercase()) {
            Ok(CustomsCode(s.to_owned()))
        } else {
            Err(ParseError::new(
                Rule::CustomsCodeFormat,
                format!("customs code must be 10 digits or upper-case letters, got {s:?}"),
                format!("海关编码应为10位数字或大写字母，实际为 {s:?}"),
            ))
        }
    }
}

string_newtype!(
    /// 统一社会信用代码 — the 18-character unified social credit code (GB 32100-2015), check digit verified.
    CreditCode
);
const USCC_ALPHABET: &[u8] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";
const USCC_WEIGHTS: [u32; 17] = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
impl CreditCode {
    pub fn parse(s: &str) -> Result<Self, ParseError> {
        let s = s.trim();
        let bad = |why_en: &str, why_zh: &str| {
            ParseError::new(
                Rule::CreditCodeFormat,
                format!("unified social credit code {s:?}: {why_en}"),
                format!("统一社会信用代码 {s:?}：{why_zh}"),
            )
        };
        if s.len() != 18 {
            return Err(bad("must be 18 characters", "应为18位"));
        }
        let bytes = s.as_bytes();
        if bytes.iter().any(|b| !USCC_ALPHABET.contains(b)) {
            return Err(bad("contains a character outside the code alphabet", "含有不允许的字符"));
        }
        let expected = Self::check_char(&s[..17]).ok_or_else(|| bad("bad characters", "字符错误"))?;
        if bytes[17] as char != expected {
            return Err(bad("check character does not match", "校验码不正确"));
        }
        Ok(CreditCode(s.to_owned()))
    }

    /// The check character for the first 17 characters, or None if one is outside the alphabet.
    pub fn check_char(first17: &str) -> Option<char> {
        let mut sum = 0u32;
        for (i, b) in first17.bytes().enumerate().take(17) {
            let v = USCC_ALPHABET.iter().position(|&c| c == b)? as u32;
            sum += v * USCC_WEIGHTS[i];
        }
        let c = (31 - sum % 31) % 31;
        Some(USCC_ALPHABET[c as usize] as char)
    }

    /// Completes 17 characters with their check character.
    pub fn complete(first17: &str) -> Option<Self> {
        if first17.len() != 17 {
            return None;
        }
        let c = Self::check_char(first17)?;
        CreditCode::parse(&format!("{first17}{c}")).ok()
    }
}

string_newtype!(
    /// 商品编码 — the 10-digit commodity code (CodeTS); its first six digits are an HS 2022 subheading.
    HsCode
);
impl HsCode {
    pub fn parse(s: &str) -> Result<Self, ParseError> {
        let s = s.trim();
        if !(s.len() == 10 || s.len() == 8 || s.len() == 6) || !s.bytes().all(|b| b.is_ascii_digit()) {
            return Err(ParseError::new(
                Rule::HsFormat,
                format!("commodity code must be 10 digits (6 or 8 accepted), got {s:?}"),
                format!("商品编码应为10位数字（亦接受6或8位），实际为 {s:?}"),
            ));
        }
        if !guomen_reference::hs::is_hs6(&s[..6]) {
            return Err(ParseError::new(
                Rule::HsUnknown,
                format!("{} is not an HS 2022 subheading", &s[..6]),
                format!("{} 不是 HS 2022 子目", &s[..6]),
            ));
        }
        Ok(HsCode(s.to_owned()))
    }

    pub fn hs6(&self) -> &str {
        &self.0[..6]
    }
}

string_newtype!(
    /// 国别代码 — ISO 3166-1 alpha-3 country code.
    CountryCode
);
impl CountryCode {
    pub fn parse(s: &str) -> Result<Self, ParseError> {
        let s = s.trim();
        if guomen_reference::country::is_alpha3(s) {
            Ok(CountryCode(s.to_owned()))
        } else {
            Err(ParseError::new(
                Rule::CountryUnknown,
                format!("{s:?} is not an ISO 3166 alpha-3 country code"),
                format!("{s:?} 不是 ISO 3166 三字母国别代码"),
            ))
        }
    }
}

string_newtype!(
    /// 币制 — ISO 4217 currency code.
    CurrencyCode
);
impl CurrencyCode {
    pub fn parse(s: &str) -> Result<Self, ParseError> {
        let s = s.trim();
        if guomen_reference::currency::is_iso4217(s) {
            Ok(CurrencyCode(s.to_owned()))
        } else {
            Err(ParseError::new(
                Rule::CurrencyUnknown,
                format!("{s:?} is not an ISO 4217 currency code"),
                format!("{s:?} 不是 ISO 4217 币制代码"),
            ))
        }
    }
}

string_newtype!(
    /// 关区代码 — a 4-digit customs office or port code.
    OfficeCode
);
impl OfficeCode {
    pub fn parse(s: &str) -> Result<Self, ParseError> {
        let s = s.trim();
        if s.len() == 4 && s.bytes().all(|b| b.is_ascii_digit()) {
            Ok(OfficeCode(s.to_owned()))
        } else {
            Err(ParseError::new(
                Rule::OfficeFormat,
                format!("customs office/port code must be 4 digits, got {s:?}"),
                format!("关区/口岸代码应为4位数字，实际为 {s:?}"),
            ))
        }
    }
}

string_newtype!(
    /// 计量单位 — GACC 3-digit unit of measure.
    UnitCode
);
impl UnitCode {
    pub fn parse(s: &str) -> Result<Self, ParseError> {
        let s = s.trim();
        if guomen_reference::unit::is_unit(s) {
            Ok(UnitCode(s.to_owned()))
        } else {
            Err(ParseError::new(Rule::UnitUnknown, format!("{s:?} is not a GACC unit code"), format!("{s:?} 不是海关计量单位代码")))
        }
    }
}

/// The largest sum of money Guomen keeps (a guarantee, a quota amount asked about): fifteen
/// digits before the point, GACC's N17,2.
pub fn money_ceiling() -> Decimal {
    Decimal::from(1_000_000_000_000_000u64)
}

/// Parses a non-negative decimal of GACC format N`precision`,`scale`: at most `scale`
/// fractional digits and `precision - scale` digits before the point. The bound keeps every
/// product and sum of such amounts far inside `Decimal`'s range.
pub fn parse_decimal(s: &str, precision: u32, scale: u32, positive: bool) -> Result<Decimal, ParseError> {
    let t = s.trim();
    let d: Decimal = t
        .parse()
        .map_err(|_| ParseError::new(Rule::NumberFormat, format!("{t:?} is not a decimal number"), format!("{t:?} 不是有效数字")))?;
    if d.is_sign_negative() || (positive && d.is_zero()) {
        let (en, zh) = if positive { ("greater than zero", "大于零") } else { ("zero or more", "不小于零") };
        return Err(ParseError::new(Rule::NumberRange, format!("must be {en}, got {t}"), format!("应{zh}，实际为 {t}")));
    }
    if d.normalize().scale() > scale {
        return Err(ParseError::new(
            Rule::NumberScale,
            format!("at most {scale} decimal places, got {t}"),
            format!("最多 {scale} 位小数，实际为 {t}"),
        ));
    }
    let whole = precision.saturating_sub(scale);
    if d.trunc() >= Decimal::from(10u64.pow(whole.min(18))) {
        return Err(ParseError::new(
            Rule::NumberDigits,
            format!("at most {whole} digits before the decimal point (N{precision},{scale}), got {t}"),
            format!("整数部分最多 {whole} 位（N{precision},{scale}），实际为 {t}"),
        ));
    }
    Ok(d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credit_code_check_character() {
        // A valid code is built from 17 characters plus its check character; one changed character breaks it.
        let full = CreditCode::complete("91350200MA2XN1234").expect("valid prefix");
        assert_eq!(full.as_str().len(), 18);
        assert!(CreditCode::parse(full.as_str()).is_ok());
        let mut tampered = full.as_str().to_owned();
        tampered.replace_range(5..6, if &full.as_str()[5..6] == "1" { "2" } else { "1" });
        assert_eq!(CreditCode::parse(&tampered).unwrap_err().rule, Rule::CreditCodeFormat);
        assert!(CreditCode::parse("91350200MA2XN1234I").is_err(), "I is not in the alphabet");
    }

    #[test]
    fn values_are_parsed_when_read_from_json() {
        let ok: Vec<CountryCode> = serde_json::from_str(r#"["CHN", "NZL"]"#).unwrap();
        assert_eq!(ok[1].as_str(), "NZL");
        let err = serde_json::from_str::<Vec<CountryCode>>(r#"["CHN", "XXX"]"#).unwrap_err().to_string();
        let p = ParseError::from_serde_message(&err).expect("the value's own refusal is recognisable");
        assert_eq!(p.rule, Rule::CountryUnknown);
        assert!(p.en.contains("XXX") && p.zh.contains("XXX"), "{p:?}");
        let err = serde_json::from_str::<CustomsCode>(r#""62019600""#).unwrap_err().to_string();
        assert_eq!(ParseError::from_serde_message(&err).map(|p| p.rule), Some(Rule::CustomsCodeFormat));
        assert_eq!(ParseError::from_serde_message("expected a string at line 1 column 2"), None);
        for &rule in Rule::ALL {
            let carried = ParseError::new(rule, "en", "中文").to_serde_message();
            assert_eq!(ParseError::from_serde_message(&format!("{carried} at line 1 column 9")), Some(ParseError::new(rule, "en", "中文")));
        }
    }

    #[test]
    fn customs_code_shape() {
        assert!(CustomsCode::parse("3502960001").is_ok());
        assert!(CustomsCode::parse("35029600").is_err());
        assert!(CustomsCode::parse("350296000a").is_err());
    }

    #[test]
    fn hs_code_checks_the_table() {
        assert_eq!(HsCode::parse("1209913000").unwrap().hs6(), "120991");
        assert_eq!(HsCode::parse("9999990000").unwrap_err().rule, Rule::HsUnknown);
        assert_eq!(HsCode::parse("12099").unwrap_err().rule, Rule::HsFormat);
    }

    #[test]
    fn decimals() {
        assert_eq!(parse_decimal("12.50", 19, 2, true).unwrap().to_string(), "12.50");
        assert_eq!(parse_decimal("0", 19, 2, true).unwrap_err().rule, Rule::NumberRange);
        assert_eq!(parse_decimal("-1", 19, 2, false).unwrap_err().rule, Rule::NumberRange);
        assert_eq!(parse_decimal("1.234", 19, 2, false).unwrap_err().rule, Rule::NumberScale);
        assert_eq!(parse_decimal("abc", 19, 2, false).unwrap_err().rule, Rule::NumberFormat);
        assert_eq!(parse_decimal("79228162514264337593543950335", 19, 4, true).unwrap_err().rule, Rule::NumberDigits);
        assert_eq!(parse_decimal("100000000000000", 19, 5, true).unwrap_err().rule, Rule::NumberDigits);
        assert!(parse_decimal("99999999999999.99999", 19, 5, true).is_ok());
    }
}
