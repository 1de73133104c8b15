//! CEB messages are read into the shared element tree; a document that cannot be read is one
//! `encoding` or `malformed` error whose text carries the line and column.

use super::CebError;
use crate::xml::{self, ReadError};
use guomen_domain::Rule;

pub(crate) use crate::xml::Element;

pub(crate) fn read_tree(bytes: &[u8]) -> Result<Element, CebError> {
    xml::read_tree(bytes).map_err(|e| match e {
        ReadError::NotUtf8 { valid_up_to } => not_utf8(valid_up_to),
        ReadError::Malformed { line, column, message } => malformed(line, column, &message),
    })
}

/// The `encoding` error: the first invalid byte is at `valid_up_to`.
pub(crate) fn not_utf8(valid_up_to: usize) -> CebError {
    CebError::new(
        "",
        Rule::Encoding,
        format!("message is not valid UTF-8 (invalid byte at offset {valid_up_to}); CEB messages must be UTF-8 encoded"),
        format!("报文不是有效的 UTF-8 编码（第 {valid_up_to} 字节处无效）；CEB 报文必须使用 UTF-8 编码"),
    )
}

/// The `malformed` error at a 1-based line and character column.
pub(crate) fn malformed(line: usize, column: usize, message: &str) -> CebError {
    CebError::new(
        "",
        Rule::Malformed,
        format!("malformed XML at line {line}, column {column}: {message}"),
        format!("XML 格式错误（第 {line} 行，第 {column} 列）：{message}"),
    )
}
