//! The element tree every GACC message format is read into, with the quick-xml pull reader.
//!
//! Hardening: input must be UTF-8 (a leading BOM is skipped), a DOCTYPE
//! is refused (so no entity declarations, only the five predefined entities and character
//! references), nesting is limited to [`MAX_DEPTH`], there is exactly one root element, and
//! an element or attribute prefix that is not declared is malformed.

use quick_xml::escape::EscapeError;
use quick_xml::events::attributes::AttrError;
use quick_xml::events::{BytesStart, Event};
use quick_xml::name::ResolveResult;
use quick_xml::NsReader;

/// Deepest element nesting accepted.
pub const MAX_DEPTH: usize = 32;

/// Why a document could not be read at all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum ReadError {
    /// Not UTF-8; the first invalid byte is at this offset.
    NotUtf8 { valid_up_to: usize },
    /// Not well-formed (or refused: DOCTYPE, too deep), at a 1-based line and character column.
    Malformed { line: usize, column: usize, message: String },
}

/// One element: namespace URI (None when unqualified), local name, unprefixed attributes,
/// its own character data and its child elements.
#[derive(Debug, Default)]
pub(crate) struct Element {
    /// Shared between elements: a document has one or two namespaces and many elements.
    pub ns: Option<std::sync::Arc<str>>,
    pub name: String,
    /// The name as written, prefix included (kept for the root only, which reports it).
    pub qname: String,
    pub attrs: Vec<(String, String)>,
    pub text: String,
    pub children: Vec<Element>,
}

impl Element {
    /// Whether this element is `name` in namespace `ns`.
    pub fn is(&self, ns: &str, name: &str) -> bool {
        self.ns.as_deref() == Some(ns) && self.name == name
    }

    /// First child element with this local name, in any namespace.
    pub fn child(&self, name: &str) -> Option<&Element> {
        self.children.iter().find(|c| c.name == name)
    }

    /// All `inner` children of all `outer` children, in document order.
    pub fn grandchildren<'s>(&'s self, outer: &'s str, inner: &'s str) -> impl Iterator<Item = &'s Element> + 's {
        self.children.iter().filter(move |c| c.name == outer).flat_map(move |c| c.children.iter().filter(move |g| g.name == inner))
    }

    /// Trimmed text of the first child with this name; `None` if absent, empty or blank.
    pub fn value(&self, name: &str) -> Option<String> {
        let text = self.child(name)?.text.trim();
        (!text.is_empty()).then(|| text.to_string())
    }

    /// Value of an unprefixed attribute.
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }
}

/// Reads the whole document; any well-formedness problem is one `malformed` error
/// (or `encoding` for non-UTF-8 input) whose text carries the line and column.
pub(crate) fn read_tree(xml: &[u8]) -> Result<Element, ReadError> {
    read_document(xml).map(|(root, _)| root)
}

/// Like [`read_tree`], with the document's processing instructions (their text between `<?`
/// and `?>`), in document order.
pub(crate) fn read_document(xml: &[u8]) -> Result<(Element, Vec<String>), ReadError> {
    let mut pis = Vec::new();
    let text = std::str::from_utf8(xml).map_err(|e| ReadError::NotUtf8 { valid_up_to: e.valid_up_to() })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let malformed = |offset: usize, message: String| {
        let (line, column) = line_column(text, offset);
        ReadError::Malformed { line, column, message }
    };

    let mut reader = NsReader::from_str(text);
    reader.config_mut().check_end_names = true;
    reader.config_mut().allow_unmatched_ends = false;
    reader.config_mut().expand_empty_elements = false;

    let mut stack: Vec<Element> = Vec::new();
    let mut root: Option<Element> = None;
    let mut namespaces: Vec<std::sync::Arc<str>> = Vec::new();
    loop {
        let start = to_usize(reader.buffer_position());
        let event = match reader.read_event() {
            Ok(event) => event,
            Err(err) => return Err(malformed(to_usize(reader.error_position()), describe_error(&err))),
        };
        match event {
            Event::Start(e) => {
                let el = open_element(&reader, &e, &stack, root.is_some(), start, &malformed, &mut namespaces)?;
                stack.push(el);
            }
            Event::Empty(e) => {
                let el = open_element(&reader, &e, &stack, root.is_some(), start, &malformed, &mut namespaces)?;
                close_element(el, &mut stack, &mut root);
            }
            Event::End(_) => match stack.pop() {
                Some(el) => close_element(el, &mut stack, &mut root),
                None => return Err(malformed(start, "unexpected end tag".into())),
            },
            Event::Text(t) => {
                let unescaped = t.unescape().map_err(|err| malformed(start + escape_offset(&err).unwrap_or(0), describe_error(&err)))?;
                append_text(&mut stack, &unescaped, start, &malformed)?;
            }
            Event::CData(c) => {
                let bytes = c.into_inner();
                append_text(&mut stack, &String::from_utf8_lossy(&bytes), start, &malformed)?;
            }
            Event::DocType(_) => {
                return Err(malformed(start, "DOCTYPE declarations are not accepted (no DTDs or entity declarations)".into()))
            }
            Event::PI(pi) => pis.push(String::from_utf8_lossy(&pi.into_inner()).into_owned()),
            Event::Decl(_) | Event::Comment(_) => {}
            Event::Eof => {
                if let Some(open) = stack.last() {
                    return Err(malformed(text.len(), format!("unexpected end of document: element <{}> is not closed", open.name)));
                }
                return root.map(|r| (r, pis)).ok_or_else(|| malformed(text.len(), "no root element".into()));
            }
        }
    }
}

fn open_element(
    reader: &NsReader<&[u8]>,
    e: &BytesStart<'_>,
    stack: &[Element],
    have_root: bool,
    start: usize,
    malformed: &impl Fn(usize, String) -> ReadError,
    namespaces: &mut Vec<std::sync::Arc<str>>,
) -> Result<Element, ReadError> {
    if stack.is_empty() && have_root {
        return Err(malformed(start, "content after the root element: a document has exactly one root element".into()));
    }
    if stack.len() >= MAX_DEPTH {
        return Err(malformed(start, format!("elements are nested deeper than {MAX_DEPTH} levels")));
    }
    let (resolved, local) = reader.resolve_element(e.name());
    let ns = match resolved {
        ResolveResult::Bound(ns) => {
            let ns = String::from_utf8_lossy(ns.as_ref());
            match namespaces.iter().find(|n| ***n == *ns) {
                Some(n) => Some(n.clone()),
                None => {
                    let n: std::sync::Arc<str> = std::sync::Arc::from(ns.as_ref());
                    namespaces.push(n.clone());
                    Some(n)
                }
            }
        }
        ResolveResult::Unbound => None,
        ResolveResult::Unknown(prefix) => {
            return Err(malformed(start, format!("namespace prefix '{}' is not declared", String::from_utf8_lossy(&prefix))))
        }
    };
    let mut attrs = Vec::new();
    for attr in e.attributes() {
        let attr = attr.map_err(|err| {
            let (pos, message) = describe_attr_error(&err);
            malformed(start + 1 + pos, message)
        })?;
        let value = attr.unescape_value().map_err(|err| malformed(start, describe_error(&err)))?;
        let key = attr.key;
        if key.prefix().is_none() && key.as_ref() != b"xmlns" {
            attrs.push((String::from_utf8_lossy(key.as_ref()).into_owned(), value.into_owned()));
        }
    }
    Ok(Element {
        ns,
        name: String::from_utf8_lossy(local.as_ref()).into_owned(),
        qname: if stack.is_empty() { String::from_utf8_lossy(e.name().as_ref()).into_owned() } else { String::new() },
        attrs,
        ..Element::default()
    })
}

fn close_element(el: Element, stack: &mut [Element], root: &mut Option<Element>) {
    match stack.last_mut() {
        Some(parent) => parent.children.push(el),
        None => *root = Some(el),
    }
}

fn append_text(stack: &mut [Element], s: &str, start: usize, malformed: &impl Fn(usize, String) -> ReadError) -> Result<(), ReadError> {
    match stack.last_mut() {
        // Whitespace between child elements is layout, not content.
        Some(current) if !current.children.is_empty() && s.trim().is_empty() => Ok(()),
        Some(current) => {
            current.text.push_str(s);
            Ok(())
        }
        None if s.trim().is_empty() => Ok(()),
        None => Err(malformed(start + (s.len() - s.trim_start().len()), "text outside the root element".into())),
    }
}

fn to_usize(pos: u64) -> usize {
    usize::try_from(pos).unwrap_or(usize::MAX)
}

fn escape_offset(err: &quick_xml::Error) -> Option<usize> {
    match err {
        quick_xml::Error::Escape(EscapeError::UnrecognizedEntity(range, _)) => Some(range.start.saturating_sub(1)),
        quick_xml::Error::Escape(EscapeError::UnterminatedEntity(range)) => Some(range.start),
        _ => None,
    }
}

/// A readable description of a quick-xml error.
pub(crate) fn describe_error(err: &quick_xml::Error) -> String {
    match err {
        quick_xml::Error::Escape(EscapeError::UnrecognizedEntity(_, name)) => format!(
            "unknown entity &{name}; (only &lt; &gt; &amp; &apos; &quot; and character references are accepted; DTD entities are not)"
        ),
        quick_xml::Error::Escape(EscapeError::UnterminatedEntity(_)) => {
            "'&' must start an entity or character reference ending in ';' (write &amp; for a literal '&')".into()
        }
        other => other.to_string(),
    }
}

/// Offset within the tag and a readable description of an attribute error.
pub(crate) fn describe_attr_error(err: &AttrError) -> (usize, String) {
    match *err {
        AttrError::ExpectedEq(pos) => (pos, "attribute name must be followed by '=' and a quoted value".into()),
        AttrError::ExpectedValue(pos) => (pos, "'=' must be followed by an attribute value".into()),
        AttrError::UnquotedValue(pos) => (pos, "attribute value must be enclosed in double or single quotes".into()),
        AttrError::ExpectedQuote(pos, quote) => (pos, format!("attribute value is missing its closing {}", quote as char)),
        AttrError::Duplicated(pos, _) => (pos, "attribute appears twice in the same element".into()),
    }
}

/// 1-based line and character column of a byte offset into `text`.
pub(crate) fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let bytes = &text.as_bytes()[..offset.min(text.len())];
    let line_start = bytes.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
    let line = 1 + bytes.iter().filter(|&&b| b == b'\n').count();
    let column = 1 + bytes[line_start..].iter().filter(|&&b| b & 0xC0 != 0x80).count();
    (line, column)
}
