//! `DecMessage` — the GACC general-trade declaration message (Announcement 2018 No. 67).
//!
//! Reading is done with the quick-xml pull reader into a small element tree (local names
//! only, so the default-namespace and prefixed forms read the same), which is then mapped
//! onto a [`DeclarationDraft`]. Real messages carry many more fields than Guomen uses;
//! unknown elements are kept in the tree and simply never looked at.
//!
//! Hardening: input must be UTF-8; a DOCTYPE is refused outright (so there are no entity
//! declarations and no entity expansion beyond the five predefined entities and character
//! references); element nesting is limited to [`MAX_DEPTH`]; exactly one root element.

use std::borrow::Cow;
use std::fmt::Write as _;

use crate::xml::{self, Element, ReadError};
use guomen_domain::declaration::{ContainerDraft, DeclarationDraft, HeadDraft, ItemDraft, LicenceDraft};

/// Namespace written on the root element (and accepted, like any other, when reading).
pub const NAMESPACE: &str = "http://www.chinaport.gov.cn/dec";

/// Deepest element nesting accepted; the root element is depth 1.
pub use crate::xml::MAX_DEPTH;

const ROOT: &str = "DecMessage";

/// Why a `DecMessage` could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum XmlError {
    /// The document is not well-formed XML (or uses a construct Guomen refuses, such as a DTD).
    /// `line` and `column` are 1-based; the column counts characters, not bytes.
    #[error("malformed XML at line {line}, column {column}: {message}")]
    Malformed { line: usize, column: usize, message: String },
    /// The root element is not `DecMessage`; `found` is its name as written.
    #[error("root element must be DecMessage, found {found}")]
    WrongRoot { found: String },
    /// A required element is absent; `path` is slash-separated, e.g. `DecMessage/DecHead`.
    #[error("required element {path} is missing")]
    Missing { path: String },
    /// The bytes are not valid UTF-8 (messages must be UTF-8 encoded).
    #[error("message is not valid UTF-8; DecMessage must be sent UTF-8 encoded")]
    NotUtf8,
}

impl XmlError {
    /// Field path for a problem report: empty for document-level problems,
    /// `DecMessage` for a wrong root, the element path for a missing element.
    pub fn path(&self) -> String {
        match self {
            XmlError::Malformed { .. } | XmlError::NotUtf8 => String::new(),
            XmlError::WrongRoot { .. } => ROOT.to_string(),
            XmlError::Missing { path } => path.clone(),
        }
    }

    /// The message in Chinese, for the Chinese half of a problem report.
    pub fn message_zh(&self) -> String {
        match self {
            XmlError::Malformed { line, column, message } => format!("XML 格式错误（第 {line} 行，第 {column} 列）：{message}"),
            XmlError::WrongRoot { found } => {
                format!("根元素必须是 DecMessage，实际为 {found}")
            }
            XmlError::Missing { path } => format!("缺少必填元素 {path}"),
            XmlError::NotUtf8 => "报文不是有效的 UTF-8 编码；DecMessage 必须使用 UTF-8 编码".into(),
        }
    }
}

// ---------------------------------------------------------------------------------------
// Reading
// ---------------------------------------------------------------------------------------

/// Reads a `DecMessage` into a draft. No field is validated here beyond XML structure:
/// values are trimmed text (empty → `None`), and `IEDate` `YYYYMMDD` becomes `YYYY-MM-DD`.
pub fn parse_dec_message(xml: &[u8]) -> Result<DeclarationDraft, XmlError> {
    let root = read_tree(xml)?;
    let head_el = root.child("DecHead").ok_or_else(|| XmlError::Missing { path: format!("{ROOT}/DecHead") })?;
    let free_txt = root.child("DecFreeTxt");

    let head = HeadDraft {
        ie_flag: head_el.value("IEFlag"),
        mode: head_el.value("DeclareMode"),
        customs_master: head_el.value("CustomMaster"),
        ie_port: head_el.value("IEPort"),
        ie_date: head_el.value("IEDate").map(gacc_date_to_iso),
        trade_code: head_el.value("TradeCode"),
        owner_code: head_el.value("OwnerCode"),
        agent_code: head_el.value("AgentCode"),
        traf_mode: head_el.value("TrafMode"),
        traf_name: head_el.value("TrafName"),
        voyage_no: head_el.value("VoyNo").or_else(|| free_txt.and_then(|f| f.value("VoyNo"))),
        bill_no: head_el.value("BillNo"),
        manifest_no: head_el.value("ManifestNo"),
        trade_mode: head_el.value("TradeMode"),
        trade_country: head_el.value("TradeCountry"),
        trans_mode: head_el.value("TransMode"),
        pack_no: head_el.value("PackNo"),
        gross_wt: head_el.value("GrossWet"),
        net_wt: head_el.value("NetWt"),
        site_code: free_txt.and_then(|f| f.value("CusFie")),
        note: head_el.value("NoteS"),
        // Guomen extensions, like DeclareMode: priority handling (绿色通道) and its reason.
        priority: head_el.value("Priority"),
        priority_reason: head_el.value("PriorityReason"),
    };

    let items = root
        .grandchildren("DecLists", "DecList")
        .map(|l| ItemDraft {
            g_no: l.value("GNo"),
            code_ts: l.value("CodeTS"),
            g_name: l.value("GName"),
            g_model: l.value("GModel"),
            g_qty: l.value("GQty"),
            g_unit: l.value("GUnit"),
            decl_price: l.value("DeclPrice"),
            decl_total: l.value("DeclTotal"),
            trade_curr: l.value("TradeCurr"),
            origin_country: l.value("OriginCountry"),
            destination_country: l.value("DestinationCountry"),
        })
        .collect();

    let containers = root
        .grandchildren("DecContainers", "Container")
        .map(|c| ContainerDraft { container_id: c.value("ContainerId"), container_md: c.value("ContainerMd") })
        .collect();

    let licences = root
        .grandchildren("DecLicenseDocus", "LicenseDocu")
        .map(|d| LicenceDraft { docu_code: d.value("DocuCode"), cert_code: d.value("CertCode") })
        .collect();

    Ok(DeclarationDraft { head, items, containers, licences })
}

/// `20260310` → `2026-03-10`; anything that is not exactly eight ASCII digits is passed
/// through unchanged so that validation reports it against the field.
fn gacc_date_to_iso(value: String) -> String {
    let b = value.as_bytes();
    if b.len() == 8 && b.iter().all(u8::is_ascii_digit) {
        format!("{}-{}-{}", &value[0..4], &value[4..6], &value[6..8])
    } else {
        value
    }
}

/// `2026-03-10` → `20260310`; anything else is written unchanged.
fn iso_date_to_gacc(value: &str) -> Cow<'_, str> {
    let b = value.as_bytes();
    let shaped = b.len() == 10 && b[4] == b'-' && b[7] == b'-' && b.iter().enumerate().all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
    if shaped {
        Cow::Owned(format!("{}{}{}", &value[0..4], &value[5..7], &value[8..10]))
    } else {
        Cow::Borrowed(value)
    }
}

/// Reads the document into the shared element tree and checks the root element's name
/// (in any namespace, as senders use a default namespace, a prefix, or none).
fn read_tree(bytes: &[u8]) -> Result<Element, XmlError> {
    let root = xml::read_tree(bytes).map_err(|e| match e {
        ReadError::NotUtf8 { .. } => XmlError::NotUtf8,
        ReadError::Malformed { line, column, message } => XmlError::Malformed { line, column, message },
    })?;
    if root.name != ROOT {
        return Err(XmlError::WrongRoot { found: root.qname });
    }
    Ok(root)
}

// ---------------------------------------------------------------------------------------
// Writing
// ---------------------------------------------------------------------------------------

/// Writes a draft as a `DecMessage` (UTF-8, default namespace, `IEDate` as `YYYYMMDD`).
/// Fields that are `None` are omitted; empty lists omit their wrapper element.
///
/// `parse_dec_message(write_dec_message(d)) == d` for every draft whose values are already
/// in the form the parser produces (trimmed, non-empty) and whose `ie_date` is `None` or
/// `YYYY-MM-DD`. Leading/trailing whitespace is not preserved (the reader trims), and a
/// NUL character, which XML cannot carry, is written as U+FFFD.
pub fn write_dec_message(draft: &DeclarationDraft) -> String {
    let mut w = XmlOut::default();
    w.out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(w.out, "<{ROOT} version=\"1.0\" xmlns=\"{NAMESPACE}\">");

    let h = &draft.head;
    let ie_date = h.ie_date.as_deref().map(iso_date_to_gacc);
    w.group(
        1,
        "DecHead",
        &[
            ("IEFlag", h.ie_flag.as_deref()),
            ("CustomMaster", h.customs_master.as_deref()),
            ("IEPort", h.ie_port.as_deref()),
            ("IEDate", ie_date.as_deref()),
            ("TradeCode", h.trade_code.as_deref()),
            ("OwnerCode", h.owner_code.as_deref()),
            ("AgentCode", h.agent_code.as_deref()),
            ("TrafMode", h.traf_mode.as_deref()),
            ("TrafName", h.traf_name.as_deref()),
            ("VoyNo", h.voyage_no.as_deref()),
            ("BillNo", h.bill_no.as_deref()),
            ("ManifestNo", h.manifest_no.as_deref()),
            ("TradeMode", h.trade_mode.as_deref()),
            ("TradeCountry", h.trade_country.as_deref()),
            ("TransMode", h.trans_mode.as_deref()),
            ("PackNo", h.pack_no.as_deref()),
            ("GrossWet", h.gross_wt.as_deref()),
            ("NetWt", h.net_wt.as_deref()),
            ("NoteS", h.note.as_deref()),
            ("DeclareMode", h.mode.as_deref()),
            ("Priority", h.priority.as_deref()),
            ("PriorityReason", h.priority_reason.as_deref()),
        ],
    );

    if !draft.items.is_empty() {
        w.line(1, "<DecLists>");
        for i in &draft.items {
            w.group(
                2,
                "DecList",
                &[
                    ("GNo", i.g_no.as_deref()),
                    ("CodeTS", i.code_ts.as_deref()),
                    ("GName", i.g_name.as_deref()),
                    ("GModel", i.g_model.as_deref()),
                    ("GQty", i.g_qty.as_deref()),
                    ("GUnit", i.g_unit.as_deref()),
                    ("DeclPrice", i.decl_price.as_deref()),
                    ("DeclTotal", i.decl_total.as_deref()),
                    ("TradeCurr", i.trade_curr.as_deref()),
                    ("OriginCountry", i.origin_country.as_deref()),
                    ("DestinationCountry", i.destination_country.as_deref()),
                ],
            );
        }
        w.line(1, "</DecLists>");
    }

    if !draft.containers.is_empty() {
        w.line(1, "<DecContainers>");
        for c in &draft.containers {
            w.group(2, "Container", &[("ContainerId", c.container_id.as_deref()), ("ContainerMd", c.container_md.as_deref())]);
        }
        w.line(1, "</DecContainers>");
    }

    if !draft.licences.is_empty() {
        w.line(1, "<DecLicenseDocus>");
        for l in &draft.licences {
            w.group(2, "LicenseDocu", &[("DocuCode", l.docu_code.as_deref()), ("CertCode", l.cert_code.as_deref())]);
        }
        w.line(1, "</DecLicenseDocus>");
    }

    if h.site_code.is_some() {
        w.group(1, "DecFreeTxt", &[("CusFie", h.site_code.as_deref())]);
    }

    let _ = writeln!(w.out, "</{ROOT}>");
    w.out
}

#[derive(Default)]
struct XmlOut {
    out: String,
}

impl XmlOut {
    fn indent(&mut self, level: usize) {
        for _ in 0..level {
            self.out.push_str("  ");
        }
    }

    fn line(&mut self, level: usize, s: &str) {
        self.indent(level);
        self.out.push_str(s);
        self.out.push('\n');
    }

    /// `<name>` with one leaf child per present field, or `<name/>` when none is present.
    fn group(&mut self, level: usize, name: &str, fields: &[(&str, Option<&str>)]) {
        if fields.iter().all(|(_, v)| v.is_none()) {
            self.indent(level);
            let _ = writeln!(self.out, "<{name}/>");
            return;
        }
        self.indent(level);
        let _ = writeln!(self.out, "<{name}>");
        for (tag, value) in fields {
            if let Some(value) = value {
                self.indent(level + 1);
                let _ = write!(self.out, "<{tag}>");
                escape_into(&mut self.out, value);
                let _ = writeln!(self.out, "</{tag}>");
            }
        }
        self.indent(level);
        let _ = writeln!(self.out, "</{name}>");
    }
}

/// Escapes character data. Markup characters become entities; carriage returns and other
/// control characters become character references so they survive XML line-end
/// normalisation (tab and newline are written as they are).
fn escape_into(out: &mut String, value: &str) {
    for ch in value.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' => out.push(ch),
            '\0' => out.push('\u{fffd}'),
            c if c.is_control() && (c as u32) < 0x20 => {
                let _ = write!(out, "&#x{:X};", c as u32);
            }
            c => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests;
