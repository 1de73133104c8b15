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

use guomen_domain::declaration::{ContainerDraft, DeclarationDraft, HeadDraft, ItemDraft, LicenceDraft};
use quick_xml::escape::EscapeError;
use quick_xml::events::attributes::AttrError;
use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

/// Namespace written on the root element (and accepted, like any other, when reading).
pub const NAMESPACE: &str = "http://www.chinaport.gov.cn/dec";

/// Deepest element nesting accepted; the root element is depth 1.
pub const MAX_DEPTH: usize = 32;

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

/// One element of the parsed document: local name, its own character data, child elements.
#[derive(Debug, Default)]
struct Element {
    name: String,
    text: String,
    children: Vec<Element>,
}

impl Element {
    /// First child element with this local name.
    fn child(&self, name: &str) -> Option<&Element> {
        self.children.iter().find(|c| c.name == name)
    }

    /// All `inner` children of all `outer` children, in document order.
    fn grandchildren<'s>(&'s self, outer: &'s str, inner: &'s str) -> impl Iterator<Item = &'s Element> + 's {
        self.children.iter().filter(move |c| c.name == outer).flat_map(move |c| c.children.iter().filter(move |g| g.name == inner))
    }

    /// Trimmed text of the first child with this name; `None` if absent, empty or blank.
    fn value(&self, name: &str) -> Option<String> {
        let text = self.child(name)?.text.trim();
        (!text.is_empty()).then(|| text.to_string())
    }
}

/// Parses the whole document into an element tree, checking well-formedness, the root
/// name, the DOCTYPE ban and the depth limit on the way.
fn read_tree(xml: &[u8]) -> Result<Element, XmlError> {
    let text = std::str::from_utf8(xml).map_err(|_| XmlError::NotUtf8)?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let malformed = |offset: usize, message: String| {
        let (line, column) = line_column(text, offset);
        XmlError::Malformed { line, column, message }
    };

    let mut reader = Reader::from_str(text);
    // Defaults already check that end tags match and refuse unmatched end tags; say so
    // explicitly since the checks are part of this module's contract.
    reader.config_mut().check_end_names = true;
    reader.config_mut().allow_unmatched_ends = false;
    reader.config_mut().expand_empty_elements = false;

    let mut stack: Vec<Element> = Vec::new();
    let mut root: Option<Element> = None;
    loop {
        // With text trimming off every byte belongs to some event, so this is where the
        // next event starts.
        let start = to_usize(reader.buffer_position());
        let event = match reader.read_event() {
            Ok(event) => event,
            Err(err) => return Err(malformed(to_usize(reader.error_position()), describe_error(&err))),
        };
        match event {
            Event::Start(e) => {
                let el = open_element(&e, &stack, root.is_some(), start, &malformed)?;
                stack.push(el);
            }
            Event::Empty(e) => {
                let el = open_element(&e, &stack, root.is_some(), start, &malformed)?;
                close_element(el, &mut stack, &mut root);
            }
            Event::End(_) => match stack.pop() {
                Some(el) => close_element(el, &mut stack, &mut root),
                None => return Err(malformed(start, "unexpected end tag".into())),
            },
            Event::Text(t) => {
                let unescaped = t.unescape().map_err(|err| {
                    let offset = start + escape_offset(&err).unwrap_or(0);
                    malformed(offset, describe_error(&err))
                })?;
                append_text(&mut stack, &unescaped, start, &malformed)?;
            }
            Event::CData(c) => {
                let bytes = c.into_inner();
                // The input was validated as UTF-8 and CDATA is a sub-slice of it.
                let s = String::from_utf8_lossy(&bytes);
                append_text(&mut stack, &s, start, &malformed)?;
            }
            Event::DocType(_) => {
                return Err(malformed(start, "DOCTYPE declarations are not accepted (no DTDs or entity declarations)".into()))
            }
            Event::Decl(_) | Event::PI(_) | Event::Comment(_) => {}
            Event::Eof => {
                if let Some(open) = stack.last() {
                    return Err(malformed(text.len(), format!("unexpected end of document: element <{}> is not closed", open.name)));
                }
                return root.ok_or_else(|| malformed(text.len(), "no root element".into()));
            }
        }
    }
}

fn open_element(
    e: &BytesStart<'_>,
    stack: &[Element],
    have_root: bool,
    start: usize,
    malformed: &impl Fn(usize, String) -> XmlError,
) -> Result<Element, XmlError> {
    if stack.is_empty() {
        if have_root {
            return Err(malformed(start, "content after the root element: a document has exactly one root element".into()));
        }
        if e.local_name().as_ref() != ROOT.as_bytes() {
            return Err(XmlError::WrongRoot { found: String::from_utf8_lossy(e.name().as_ref()).into_owned() });
        }
    }
    if stack.len() >= MAX_DEPTH {
        return Err(malformed(start, format!("elements are nested deeper than {MAX_DEPTH} levels")));
    }
    // Attributes are not used, but they must still be well-formed.
    for attr in e.attributes() {
        let attr = attr.map_err(|err| {
            let (pos, message) = describe_attr_error(&err);
            // Attribute positions count from just after the tag's '<'.
            malformed(start + 1 + pos, message)
        })?;
        attr.unescape_value().map_err(|err| malformed(start, describe_error(&err)))?;
    }
    Ok(Element { name: String::from_utf8_lossy(e.local_name().as_ref()).into_owned(), ..Element::default() })
}

fn close_element(el: Element, stack: &mut [Element], root: &mut Option<Element>) {
    match stack.last_mut() {
        Some(parent) => parent.children.push(el),
        None => *root = Some(el),
    }
}

fn append_text(stack: &mut [Element], s: &str, start: usize, malformed: &impl Fn(usize, String) -> XmlError) -> Result<(), XmlError> {
    match stack.last_mut() {
        Some(current) => {
            current.text.push_str(s);
            Ok(())
        }
        None if s.trim().is_empty() => Ok(()),
        None => {
            let skipped = s.len() - s.trim_start().len();
            Err(malformed(start + skipped, "text outside the root element".into()))
        }
    }
}

fn to_usize(pos: u64) -> usize {
    usize::try_from(pos).unwrap_or(usize::MAX)
}

/// Offset of an escape problem inside the text it was found in, when quick-xml tells us.
fn escape_offset(err: &quick_xml::Error) -> Option<usize> {
    match err {
        // The range of an unrecognised entity starts after its '&'.
        quick_xml::Error::Escape(EscapeError::UnrecognizedEntity(range, _)) => Some(range.start.saturating_sub(1)),
        quick_xml::Error::Escape(EscapeError::UnterminatedEntity(range)) => Some(range.start),
        _ => None,
    }
}

/// A sender-oriented description of a quick-xml error.
fn describe_error(err: &quick_xml::Error) -> String {
    match err {
        quick_xml::Error::Escape(EscapeError::UnrecognizedEntity(_, name)) => format!(
            "unknown entity &{name}; (only &lt; &gt; &amp; &apos; &quot; and character \
             references are accepted; DTD entities are not)"
        ),
        quick_xml::Error::Escape(EscapeError::UnterminatedEntity(_)) => {
            "'&' must start an entity or character reference ending in ';' (write &amp; for a literal '&')".into()
        }
        other => other.to_string(),
    }
}

/// Position (relative to the tag's name) and description of an attribute syntax error.
fn describe_attr_error(err: &AttrError) -> (usize, String) {
    match *err {
        AttrError::ExpectedEq(pos) => (pos, "attribute name must be followed by '=' and a quoted value".into()),
        AttrError::ExpectedValue(pos) => (pos, "'=' must be followed by an attribute value".into()),
        AttrError::UnquotedValue(pos) => (pos, "attribute value must be enclosed in double or single quotes".into()),
        AttrError::ExpectedQuote(pos, quote) => (pos, format!("attribute value is missing its closing {}", quote as char)),
        AttrError::Duplicated(pos, _) => (pos, "attribute appears twice in the same element".into()),
    }
}

/// 1-based line and character column of a byte offset into `text`.
fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let bytes = &text.as_bytes()[..offset.min(text.len())];
    let line_start = bytes.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
    let line = 1 + bytes.iter().filter(|&&b| b == b'\n').count();
    // Count characters, i.e. bytes that are not UTF-8 continuation bytes.
    let column = 1 + bytes[line_start..].iter().filter(|&&b| b & 0xC0 != 0x80).count();
    (line, column)
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
