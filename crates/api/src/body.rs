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

/// A JSON body; see [`guomen_service::json::parse`].
pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    Ok(guomen_service::json::parse(bytes)?)
}
