//! Envelope checks and receipt writing shared by the CEB parsers and receipt writers: root
//! name and namespace, the `guid`/`version` root attributes, the repeated elements under the
//! root (`Order`, `Payment`, `Logistics`, `InvtCancel`, `InvtRefund`), a wrapper's one head and
//! optional list of lines, `BaseTransfer`, and a receipt writer.

use std::fmt::Write as _;

use super::fields::{len, s, Field, Group};
use super::inventory::BaseTransfer;
use super::tree::{read_tree, Element};
use super::{CebError, NAMESPACE};

/// `maxOccurs` of the wrapper element in a message and of goods lines in a wrapper.
pub(crate) const MAX_WRAPPERS: usize = 100;
pub(crate) const MAX_LINES: usize = 99;

const TRANSFER: &[Field] = &[
    Field::req("copCode", s(1, 18)),
    Field::req("copName", s(0, 100)),
    Field::req("dxpMode", len(3)),
    Field::req("dxpId", s(0, 30)),
    Field::opt("note", s(0, 1000)),
];

/// Reads the document and checks the root element name and namespace; these problems
/// (and malformed XML) are reported alone.
pub(crate) fn read_root(xml: &[u8], root_name: &str) -> Result<Element, Vec<CebError>> {
    let root = read_tree(xml).map_err(|e| vec![e])?;
    if root.name != root_name {
        return Err(vec![CebError::new(
            root_name,
            "wrong_root",
            format!("root element must be {root_name}, found {}", root.name),
            format!("根元素必须是 {root_name}，实际为 {}", root.name),
        )]);
    }
    if root.ns.as_deref() != Some(NAMESPACE) {
        let found = root.ns.as_deref().unwrap_or("none");
        return Err(vec![CebError::new(
            root_name,
            "wrong_namespace",
            format!("{root_name} must be in namespace {NAMESPACE}, found {found}"),
            format!("{root_name} 的命名空间必须是 {NAMESPACE}，实际为 {found}"),
        )]);
    }
    Ok(root)
}

/// The root `guid` (exactly 36 characters) and `version` (1–10 characters) attributes.
pub(crate) fn root_attrs(root: &Element, errors: &mut Vec<CebError>) -> (String, String) {
    (root_attr(root, "guid", Some(36), 36, errors), root_attr(root, "version", None, 10, errors))
}

fn root_attr(root: &Element, name: &str, exact: Option<usize>, max: usize, errors: &mut Vec<CebError>) -> String {
    let root_name = &root.name;
    let path = format!("@{name}");
    let value = root.attr(name).map(str::trim).unwrap_or("");
    let chars = value.chars().count();
    if value.is_empty() {
        errors.push(CebError::new(
            path,
            "required",
            format!("attribute {name} on {root_name} is required"),
            format!("{root_name} 缺少必填属性 {name}"),
        ));
    } else if let Some(n) = exact.filter(|&n| n != chars) {
        errors.push(CebError::new(
            path,
            "length",
            format!("attribute {name} must be exactly {n} characters long, found {chars}"),
            format!("属性 {name} 长度必须为 {n} 个字符，实际为 {chars} 个"),
        ));
    } else if chars > max {
        errors.push(CebError::new(
            path,
            "max_length",
            format!("attribute {name} is {chars} characters long; at most {max} are allowed"),
            format!("属性 {name} 长度为 {chars} 个字符，最多允许 {max} 个"),
        ));
    }
    value.to_string()
}

pub(crate) fn max_occurs(path: &str, found: usize, max: usize) -> CebError {
    CebError::new(
        path,
        "max_occurs",
        format!("{path} may appear at most {max} times, found {found}"),
        format!("{path} 最多允许出现 {max} 次，实际为 {found} 次"),
    )
}

/// The repeated wrapper elements under the root (1 to [`MAX_WRAPPERS`]).
pub(crate) fn wrappers<'a>(root: &'a Element, name: &str, errors: &mut Vec<CebError>) -> Vec<&'a Element> {
    let els: Vec<&Element> = root.children.iter().filter(|c| c.is(NAMESPACE, name)).collect();
    if els.is_empty() {
        errors.push(CebError::new(
            name,
            "required",
            format!("at least one {name} element is required"),
            format!("至少需要一个 {name} 元素"),
        ));
    } else if els.len() > MAX_WRAPPERS {
        errors.push(max_occurs(name, els.len(), MAX_WRAPPERS));
    }
    els
}

/// Checks a wrapper's structure: exactly one `head`, then (when `list` is given) 1 to
/// [`MAX_LINES`] `list` elements, nothing else. Returns the head (if present) and the lines.
pub(crate) fn parts<'a>(
    el: &'a Element,
    path: &str,
    head: &str,
    list: Option<&str>,
    errors: &mut Vec<CebError>,
) -> (Option<&'a Element>, Vec<&'a Element>) {
    parts_up_to(el, path, head, list, MAX_LINES, errors)
}

/// [`parts`] with at most `max_lines` lines (`usize::MAX` for `maxOccurs="unbounded"`).
pub(crate) fn parts_up_to<'a>(
    el: &'a Element,
    path: &str,
    head: &str,
    list: Option<&str>,
    max_lines: usize,
    errors: &mut Vec<CebError>,
) -> (Option<&'a Element>, Vec<&'a Element>) {
    for child in &el.children {
        if !(child.is(NAMESPACE, head) || list.is_some_and(|l| child.is(NAMESPACE, l))) {
            errors.push(CebError::new(
                format!("{path}/{}", child.name),
                "unexpected",
                format!("element {} is not allowed in {}", child.name, el.name),
                format!("{} 中不允许出现元素 {}", el.name, child.name),
            ));
        }
    }
    let heads: Vec<&Element> = el.children.iter().filter(|c| c.is(NAMESPACE, head)).collect();
    let head_path = format!("{path}/{head}");
    if heads.is_empty() {
        errors.push(CebError::new(&head_path, "required", format!("required element {head} is missing"), format!("缺少必填元素 {head}")));
    } else if heads.len() > 1 {
        errors.push(CebError::new(&head_path, "duplicate", format!("{head} appears more than once"), format!("{head} 出现了多次")));
    }
    let mut lines = Vec::new();
    if let Some(list) = list {
        lines = el.children.iter().filter(|c| c.is(NAMESPACE, list)).collect();
        let list_path = format!("{path}/{list}");
        if lines.is_empty() {
            errors.push(CebError::new(
                list_path,
                "required",
                format!("at least one {list} element is required"),
                format!("至少需要一个 {list} 元素"),
            ));
        } else if lines.len() > max_lines {
            errors.push(max_occurs(&list_path, lines.len(), max_lines));
        }
        let first_list = el.children.iter().position(|c| c.is(NAMESPACE, list));
        let first_head = el.children.iter().position(|c| c.is(NAMESPACE, head));
        if let (Some(l), Some(h)) = (first_list, first_head) {
            if l < h {
                errors.push(CebError::new(
                    &head_path,
                    "order",
                    format!("{head} must come before {list}"),
                    format!("{head} 必须位于 {list} 之前"),
                ));
            }
        }
    }
    (heads.first().copied(), lines)
}

/// Reads one element with `read`; when the element itself is absent (already reported)
/// its fields are read from an empty element and their errors are dropped.
pub(crate) fn read_group<T>(
    el: Option<&Element>,
    path: String,
    spec: &'static [Field],
    errors: &mut Vec<CebError>,
    read: impl FnOnce(&mut Group<'_>) -> T,
) -> T {
    let empty = Element::default();
    let mut g = Group::new(el.unwrap_or(&empty), path, spec);
    let value = read(&mut g);
    if el.is_some() {
        errors.append(&mut g.errors);
    }
    value
}

/// The optional `BaseTransfer` (required by the XSD, accepted as absent as for CEB621).
pub(crate) fn base_transfer(root: &Element, errors: &mut Vec<CebError>) -> Option<BaseTransfer> {
    let el = root.children.iter().find(|c| c.is(NAMESPACE, "BaseTransfer"))?;
    Some(read_group(Some(el), "BaseTransfer".into(), TRANSFER, errors, |g| BaseTransfer {
        cop_code: g.req("copCode"),
        cop_name: g.req("copName"),
        dxp_mode: g.req("dxpMode"),
        dxp_id: g.req("dxpId"),
        note: g.opt("note"),
    }))
}

/// Writes a receipt message: UTF-8, default CEB namespace, `version="1.0"`, root `guid`
/// from the first receipt. Each receipt is a list of (element, value) in XSD order; `None`
/// values are omitted.
pub(crate) fn write_returns(root: &str, item: &str, receipts: &[Vec<(&str, Option<&str>)>]) -> String {
    let guid = receipts.first().and_then(|r| r.iter().find(|(n, _)| *n == "guid")).and_then(|(_, v)| *v).unwrap_or("");
    let mut out = String::new();
    out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(out, "<{root} guid=\"{}\" version=\"1.0\" xmlns=\"{NAMESPACE}\">", escape(guid));
    for r in receipts {
        let _ = writeln!(out, "  <{item}>");
        for (name, value) in r {
            if let Some(value) = value {
                let _ = writeln!(out, "    <{name}>{}</{name}>", escape(value));
            }
        }
        let _ = writeln!(out, "  </{item}>");
    }
    let _ = writeln!(out, "</{root}>");
    out
}

/// Escapes markup characters and replaces characters outside the XML 1.0 `Char` production.
pub(crate) fn escape(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\r' => out.push_str("&#13;"),
            '\t' | '\n' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}
