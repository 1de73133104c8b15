//! Form bodies: `application/x-www-form-urlencoded` pairs, and the one file field of a
//! `multipart/form-data` upload (the DecMessage XML), parsed here rather than with a multipart
//! crate: the console needs one text field (the CSRF token) and one file, at most 1 MiB.

use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};

/// Largest form or upload accepted.
pub const MAX_FORM: usize = 1024 * 1024;

/// The fields of a submitted form, in order.
#[derive(Debug, Clone, Default)]
pub struct Form(pub Vec<(String, String)>);

impl Form {
    pub fn parse(body: &[u8]) -> Form {
        Form(form_urlencoded::parse(body).map(|(k, v)| (k.into_owned(), v.into_owned())).collect())
    }

    pub fn get(&self, name: &str) -> Option<&str> {
        self.0.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }

    /// The field's value, trimmed; empty when absent.
    pub fn text(&self, name: &str) -> String {
        self.get(name).unwrap_or("").trim().to_owned()
    }

    pub fn checked(&self, name: &str) -> bool {
        matches!(self.get(name), Some("on" | "true" | "1"))
    }
}

/// Why a body could not be read as a form.
pub struct BadForm(&'static str);

impl IntoResponse for BadForm {
    fn into_response(self) -> Response {
        (StatusCode::BAD_REQUEST, self.0).into_response()
    }
}

impl<S: Send + Sync> FromRequest<S> for Form {
    type Rejection = BadForm;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let ct = req.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("").to_ascii_lowercase();
        if !ct.starts_with("application/x-www-form-urlencoded") {
            return Err(BadForm("expected a form (application/x-www-form-urlencoded)"));
        }
        let bytes = Bytes::from_request(req, state).await.map_err(|_| BadForm("the form is too large or could not be read"))?;
        Ok(Form::parse(&bytes))
    }
}

/// One part of a multipart body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part {
    pub name: String,
    pub filename: Option<String>,
    pub body: Vec<u8>,
}

/// The boundary of a `multipart/form-data` content type.
pub fn boundary(content_type: &str) -> Option<String> {
    let (essence, params) = content_type.split_once(';')?;
    if !essence.trim().eq_ignore_ascii_case("multipart/form-data") {
        return None;
    }
    params.split(';').find_map(|p| {
        let (k, v) = p.trim().split_once('=')?;
        k.trim().eq_ignore_ascii_case("boundary").then(|| v.trim().trim_matches('"').to_owned())
    })
}

fn find(hay: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    if needle.is_empty() || hay.len() < needle.len() {
        return None;
    }
    (from..=hay.len() - needle.len()).find(|&i| &hay[i..i + needle.len()] == needle)
}

fn disposition_param(line: &str, key: &str) -> Option<String> {
    line.split(';').skip(1).find_map(|p| {
        let (k, v) = p.trim().split_once('=')?;
        (k.trim() == key).then(|| v.trim().trim_matches('"').to_owned())
    })
}

/// Splits a multipart body (RFC 7578) into its parts.
pub fn multipart(body: &[u8], boundary: &str) -> Result<Vec<Part>, &'static str> {
    let delim = format!("--{boundary}").into_bytes();
    let mut pos = find(body, &delim, 0).ok_or("no multipart boundary found")? + delim.len();
    let mut parts = Vec::new();
    loop {
        if body[pos..].starts_with(b"--") {
            return Ok(parts);
        }
        if !body[pos..].starts_with(b"\r\n") {
            return Err("malformed multipart body");
        }
        pos += 2;
        let head_end = find(body, b"\r\n\r\n", pos).ok_or("a multipart part has no end of headers")?;
        let headers = std::str::from_utf8(&body[pos..head_end]).map_err(|_| "multipart headers are not UTF-8")?;
        let mut name = None;
        let mut filename = None;
        for line in headers.split("\r\n") {
            if let Some((k, v)) = line.split_once(':') {
                if k.trim().eq_ignore_ascii_case("content-disposition") {
                    name = disposition_param(v, "name");
                    filename = disposition_param(v, "filename");
                }
            }
        }
        let start = head_end + 4;
        let mut end_delim = b"\r\n".to_vec();
        end_delim.extend_from_slice(&delim);
        let end = find(body, &end_delim, start).ok_or("a multipart part is not closed")?;
        parts.push(Part { name: name.ok_or("a multipart part has no name")?, filename, body: body[start..end].to_vec() });
        pos = end + end_delim.len();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_and_a_field() {
        let b = "----x7";
        let body = "------x7\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\nabc\r\n------x7\r\nContent-Disposition: form-data; name=\"file\"; filename=\"dec.xml\"\r\nContent-Type: text/xml\r\n\r\n<a>\r\n--</a>\r\n------x7--\r\n";
        assert_eq!(boundary("multipart/form-data; boundary=----x7").as_deref(), Some(b));
        let parts = multipart(body.as_bytes(), b).unwrap();
        assert_eq!(parts.len(), 2);
        assert_eq!(parts[0], Part { name: "csrf".into(), filename: None, body: b"abc".to_vec() });
        assert_eq!(parts[1].filename.as_deref(), Some("dec.xml"));
        assert_eq!(parts[1].body, b"<a>\r\n--</a>".to_vec());
    }

    #[test]
    fn broken_bodies_are_refused() {
        assert!(multipart(b"nothing here", "b").is_err());
        assert!(multipart(b"--b\r\nContent-Disposition: form-data; name=\"x\"\r\n\r\nunterminated", "b").is_err());
        assert_eq!(boundary("application/json"), None);
    }

    #[test]
    fn form_fields() {
        let f = Form::parse(b"a=1&b=%E4%B8%AD+x&c=on&a=2");
        assert_eq!(f.get("a"), Some("1"));
        assert_eq!(f.text("b"), "中 x");
        assert!(f.checked("c") && !f.checked("d"));
    }
}
