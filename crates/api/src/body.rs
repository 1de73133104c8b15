//! Request bodies: size-limited, read whole, parsed as JSON (with the path of the first bad
//! field) or as GACC XML.

use crate::problem::ApiError;
use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::header::CONTENT_TYPE;
use guomen_domain::RefusalKind;
use serde::de::DeserializeOwned;

/// Largest body accepted (a 50-item declaration is far below this).
pub const MAX_BODY: usize = 1024 * 1024;

/// The raw body and its media type.
pub struct RawBody {
    pub media: Media,
    pub bytes: Bytes,
    pub content_type: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Media {
    Json,
    Xml,
    Other,
}

impl<S: Send + Sync> FromRequest<S> for RawBody {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let content_type = req.headers().get(CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("").to_ascii_lowercase();
        let essence = content_type.split(';').next().unwrap_or("").trim().to_owned();
        let media = match essence.as_str() {
            "application/json" => Media::Json,
            "application/xml" | "text/xml" => Media::Xml,
            e if e.ends_with("+json") => Media::Json,
            e if e.ends_with("+xml") => Media::Xml,
            _ => Media::Other,
        };
        let bytes = Bytes::from_request(req, state).await.map_err(|e| {
            if e.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
                ApiError::kind(
                    RefusalKind::TooLarge,
                    "the body is larger than this endpoint accepts (1 MiB; 8 MiB for CEB messages)",
                    "请求内容超过该接口的上限（1 MiB；跨境电商报文 8 MiB）",
                )
            } else {
                ApiError::malformed("", format!("the body could not be read: {e}"), "请求内容无法读取")
            }
        })?;
        Ok(RawBody { media, bytes, content_type })
    }
}

impl RawBody {
    /// Parses a JSON body; only JSON is accepted.
    pub fn json<T: DeserializeOwned>(&self) -> Result<T, ApiError> {
        if self.media != Media::Json {
            return Err(ApiError::kind(
                RefusalKind::UnsupportedMedia,
                "send `Content-Type: application/json`",
                "请使用 `Content-Type: application/json`",
            ));
        }
        parse_json(&self.bytes)
    }
}

/// JSON with the path of the offending field when it does not fit the expected shape. The body
/// is one JSON value: anything after it but whitespace (a second object, stray text) is
/// refused, never silently dropped.
pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let value = deserialize_with_path(&mut de)?;
    de.end().map_err(|e| {
        ApiError::malformed(
            "",
            format!("unexpected data after the JSON value at line {} column {}: send exactly one JSON value", e.line(), e.column()),
            format!("JSON 值之后还有多余内容（第 {} 行第 {} 列）：请求体只能是一个 JSON 值", e.line(), e.column()),
        )
    })?;
    Ok(value)
}

fn deserialize_with_path<'de, T: DeserializeOwned>(
    de: &mut serde_json::Deserializer<serde_json::de::SliceRead<'de>>,
) -> Result<T, ApiError> {
    serde_path_to_error::deserialize(de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        let path = if path == "." { String::new() } else { path };
        // A self-checking value (a country, an enterprise code…) that refused itself is a
        // field error, answered like every other: 422 with its path and rule.
        if let Some(p) = guomen_domain::types::ParseError::from_serde_message(&inner.to_string()) {
            return ApiError::Refused(guomen_domain::Refusal::field(&path, p.rule, p.en, p.zh));
        }
        let (en, zh) = match inner.classify() {
            serde_json::error::Category::Syntax | serde_json::error::Category::Eof => (
                format!("malformed JSON at line {} column {}: {inner}", inner.line(), inner.column()),
                format!("JSON 格式错误：第 {} 行第 {} 列", inner.line(), inner.column()),
            ),
            _ => (format!("{inner}"), format!("字段类型或名称不符合要求：{inner}")),
        };
        ApiError::malformed(&path, en, zh)
    })
}

#[cfg(test)]
mod tests {
    use super::parse_json;
    use crate::problem::ApiError;

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
                Err(ApiError::Refused(r)) => {
                    assert_eq!(r.kind, guomen_domain::RefusalKind::Malformed, "{}", String::from_utf8_lossy(body));
                    assert!(r.detail_en.contains("after the JSON value"), "{}", r.detail_en);
                }
                other => panic!("{} was {other:?}", String::from_utf8_lossy(body)),
            }
        }
    }
}
