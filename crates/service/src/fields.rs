//! Checks of fields typed by a person or sent by a system, each adding what is wrong to a list
//! so a form or a problem document can name every field at once.

use guomen_domain::{FieldError, Rule};
use time::OffsetDateTime;

/// A required text of at most `max` characters, trimmed.
pub fn required(errors: &mut Vec<FieldError>, path: &str, v: &str, max: usize) -> String {
    let t = v.trim();
    if t.is_empty() {
        errors.push(FieldError::new(path, Rule::Required, "this field is required", "此字段为必填项"));
    } else if t.chars().count() > max {
        errors.push(FieldError::new(path, Rule::TooLong, format!("at most {max} characters"), format!("最多 {max} 个字符")));
    }
    t.to_owned()
}

/// An RFC 3339 instant; now when absent.
pub fn instant(errors: &mut Vec<FieldError>, path: &str, v: &Option<String>) -> OffsetDateTime {
    match v.as_deref() {
        None => OffsetDateTime::now_utc(),
        Some(s) => OffsetDateTime::parse(s, &time::format_description::well_known::Rfc3339).unwrap_or_else(|_| {
            errors.push(FieldError::new(
                path,
                Rule::DatetimeFormat,
                "an RFC 3339 date-time such as 2026-03-10T08:30:00+08:00",
                "应为 RFC 3339 时间，如 2026-03-10T08:30:00+08:00",
            ));
            OffsetDateTime::now_utc()
        }),
    }
}
