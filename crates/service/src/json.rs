//! A JSON body read whole: exactly one value, with the path of the first field that does not
//! fit (a self-checking value that refused itself is a field error with its rule).

use guomen_domain::{FieldError, Refusal, RefusalKind, Rule};
use serde::de::DeserializeOwned;

/// A body that could not be read (400), naming where.
pub fn malformed(path: &str, en: impl Into<String>, zh: impl Into<String>) -> Refusal {
    let (en, zh) = (en.into(), zh.into());
    Refusal {
        kind: RefusalKind::Malformed,
        detail_en: en.clone(),
        detail_zh: zh.clone(),
        errors: vec![FieldError::new(path, Rule::Malformed, en, zh)],
    }
}

/// JSON with the path of the offending field when it does not fit the expected shape. The body
/// is one JSON value: anything after it but whitespace (a second object, stray text) is
/// refused, never silently dropped.
pub fn parse<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, Refusal> {
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let value = deserialize_with_path(&mut de)?;
    de.end().map_err(|e| {
        malformed(
            "",
            format!("unexpected data after the JSON value at line {} column {}: send exactly one JSON value", e.line(), e.column()),
            format!("JSON 值之后还有多余内容（第 {} 行第 {} 列）：请求体只能是一个 JSON 值", e.line(), e.column()),
        )
    })?;
    Ok(value)
}

fn deserialize_with_path<'de, T: DeserializeOwned>(
    de: &mut serde_json::Deserializer<serde_json::de::SliceRead<'de>>,
) -> Result<T, Refusal> {
    serde_path_to_error::deserialize(de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        let path = if path == "." { String::new() } else { path };
        // A self-checking value (a country, an enterprise code…) that refused itself is a
        // field error, answered like every other: 422 with its path and rule.
        if let Some(p) = guomen_domain::types::ParseError::from_serde_message(&inner.to_string()) {
            return Refusal::field(&path, p.rule, p.en, p.zh);
        }
        let (en, zh) = match inner.classify() {
            serde_json::error::Category::Syntax | serde_json::error::Category::Eof => (
                format!("malformed JSON at line {} column {}: {inner}", inner.line(), inner.column()),
                format!("JSON 格式错误：第 {} 行第 {} 列", inner.line(), inner.column()),
            ),
            _ => (format!("{inner}"), format!("字段类型或名称不符合要求：{inner}")),
        };
        malformed(&path, en, zh)
    })
}

#[cfg(test)]
mod tests {
    use super::parse as parse_json;

    #[derive(serde::Deserialize, Debug)]
    struct One {
        #[allow(dead_code)]
        a: u32,
    }

    #[test]
    fn one_value_is_read_and_trailing_whitespace_allowed() {
        assert!(parse_json::<One>(b"{\"a\":1}\n  \r\n").is_ok());
    }

    #[test]
    fn data_after_the_value_is_refused() {
        for body in [&b"{\"a\":1}{\"a\":2}"[..], b"{\"a\":1} x", b"{\"a\":1}\n{}", b"{\"a\":1}]"] {
            match parse_json::<One>(body) {
                Err(r) => {
                    assert_eq!(r.kind, guomen_domain::RefusalKind::Malformed, "{}", String::from_utf8_lossy(body));
                    assert!(r.detail_en.contains("after the JSON value"), "{}", r.detail_en);
                }
                other => panic!("{} was {other:?}", String::from_utf8_lossy(body)),
            }
        }
    }
}
