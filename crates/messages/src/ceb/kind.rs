//! The seven message kinds, listed once: [`MessageKind`] with each kind's names, the parsed
//! message of any kind ([`CebMessage`]), and the one dispatch from a kind to its reader. Every
//! other operation on a message of unknown kind — its guid, its documents, its receipt — is
//! generic code reached through that dispatch; nothing else matches over the kinds.
//!
//! Also [`message_kind`], which tells a document's kind from its root element alone.

use guomen_domain::Rule;
use quick_xml::events::Event;
use quick_xml::name::ResolveResult;
use quick_xml::NsReader;

use super::message::{Kind, Message, Outline, Spec};
use super::receipt::{Answer, Receipt};
use super::tree::{malformed, not_utf8};
use super::{Ceb311, Ceb411, Ceb511, Ceb621, Ceb623, Ceb625, Ceb711};
use super::{CebError, NAMESPACE};

/// The list of kinds. For each: the `MessageKind` variant, the `CebMessage` variant and the
/// `Kind` type share the name (`Ceb621`), and the type's `Kind::SPEC` holds the rest.
macro_rules! kinds {
    ($($kind:ident: $doc:literal),+ $(,)?) => {
        /// Which CEB message a document is: the seven import messages Guomen reads.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum MessageKind {
            $( #[doc = $doc] $kind, )+
        }

        impl MessageKind {
            /// Every kind, in message-number order.
            pub const ALL: &'static [MessageKind] = &[$(MessageKind::$kind),+];

            /// Element names, receipt and echo rules of the kind.
            pub fn spec(self) -> &'static Spec {
                match self {
                    $( MessageKind::$kind => &<$kind as Kind>::SPEC, )+
                }
            }
        }

        /// A message read and checked, of any of the seven kinds.
        #[derive(Debug, Clone, PartialEq, Eq)]
        pub enum CebMessage {
            $( #[doc = $doc] $kind(Message<$kind>), )+
        }

        impl CebMessage {
            /// Reads and checks `xml` as a message of `kind` (see [`message_kind`]).
            pub fn read(kind: MessageKind, xml: &[u8]) -> Result<CebMessage, Vec<CebError>> {
                match kind {
                    $( MessageKind::$kind => Message::<$kind>::read(xml).map(CebMessage::$kind), )+
                }
            }

            fn any(&self) -> &dyn AnyMessage {
                match self {
                    $( CebMessage::$kind(m) => m, )+
                }
            }
        }
    };
}

kinds! {
    Ceb311: "`CEB311Message`, import order ([`super::parse_ceb311`]).",
    Ceb411: "`CEB411Message`, payment voucher ([`super::parse_ceb411`]).",
    Ceb511: "`CEB511Message`, waybill ([`super::parse_ceb511`]).",
    Ceb621: "`CEB621Message`, import inventory list ([`super::parse_ceb621`]).",
    Ceb623: "`CEB623Message`, inventory cancellation request ([`super::parse_ceb623`]).",
    Ceb625: "`CEB625Message`, return request ([`super::parse_ceb625`]).",
    Ceb711: "`CEB711Message`, delivery list ([`super::parse_ceb711`]).",
}

impl MessageKind {
    /// The root element's local name, e.g. `CEB621Message`.
    pub fn root_name(self) -> &'static str {
        self.spec().root
    }

    /// The receipt's root element, e.g. `CEB622Message`.
    pub fn receipt_name(self) -> &'static str {
        self.spec().receipt
    }

    /// The receipt's return element, e.g. `InventoryReturn`.
    pub fn return_name(self) -> &'static str {
        self.spec().returns
    }

    fn from_root(name: &str) -> Option<MessageKind> {
        MessageKind::ALL.iter().copied().find(|k| k.root_name() == name)
    }
}

/// What a message of a known kind can do without its type: the generic operations of
/// [`Message`], behind the one dispatch.
trait AnyMessage {
    fn guid(&self) -> &str;
    fn kind(&self) -> MessageKind;
    fn outlines(&self) -> Vec<Outline<'_>>;
    fn receipt(&self, answers: &[Answer]) -> Receipt;
}

impl<K: Kind> AnyMessage for Message<K> {
    fn guid(&self) -> &str {
        &self.guid
    }
    fn kind(&self) -> MessageKind {
        K::KIND
    }
    fn outlines(&self) -> Vec<Outline<'_>> {
        Message::outlines(self)
    }
    fn receipt(&self, answers: &[Answer]) -> Receipt {
        Message::receipt(self, answers)
    }
}

impl CebMessage {
    pub fn kind(&self) -> MessageKind {
        self.any().kind()
    }

    /// The root `guid`.
    pub fn guid(&self) -> &str {
        self.any().guid()
    }

    /// Each document's path, appStatus and the enterprises that may send it.
    pub fn outlines(&self) -> Vec<Outline<'_>> {
        self.any().outlines()
    }

    /// The receipt answering the message, one return element per document and answer.
    pub fn receipt(&self, answers: &[Answer]) -> Receipt {
        self.any().receipt(answers)
    }
}

/// What a document's root element says it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Root {
    /// One of the seven messages Guomen reads.
    Known(MessageKind),
    /// Any other root element in the CEB namespace — a receipt such as `CEB312Message`, or a
    /// message Guomen does not read; holds the root's local name.
    Other(String),
}

impl Root {
    /// The root element's local name, e.g. `CEB621Message`.
    pub fn name(&self) -> &str {
        match self {
            Root::Known(kind) => kind.root_name(),
            Root::Other(name) => name,
        }
    }

    fn from_name(name: String) -> Root {
        MessageKind::from_root(&name).map_or(Root::Other(name), Root::Known)
    }
}

/// Tells which CEB message `xml` is from its root element, reading nothing after the root's
/// start tag (the rest of the document is not checked). The prolog is held to the same
/// rules as the parsers: UTF-8 (a leading BOM is skipped), no DOCTYPE, only whitespace,
/// comments and processing instructions before the root. Errors: `malformed`, `encoding`,
/// and `wrong_namespace` (path: the root's local name) when the root is not in [`NAMESPACE`].
/// A root in the CEB namespace that Guomen does not read is [`Root::Other`].
pub fn message_kind(xml: &[u8]) -> Result<Root, CebError> {
    let bom = if xml.starts_with(b"\xEF\xBB\xBF") { 3 } else { 0 };
    let body = &xml[bom..];
    // An error up to `offset` is an encoding error if the bytes before it are not UTF-8.
    let fail = |offset: usize, message: &str| -> CebError {
        let prefix = &body[..offset.min(body.len())];
        match std::str::from_utf8(prefix) {
            Err(e) => not_utf8(bom + e.valid_up_to()),
            Ok(text) => {
                let (line, column) = crate::xml::line_column(text, text.len());
                malformed(line, column, message)
            }
        }
    };
    let mut reader = NsReader::from_reader(body);
    loop {
        let start = usize::try_from(reader.buffer_position()).unwrap_or(usize::MAX);
        let event = match reader.read_event() {
            Ok(event) => event,
            Err(err) => {
                let at = usize::try_from(reader.error_position()).unwrap_or(usize::MAX);
                return Err(fail(at, &crate::xml::describe_error(&err)));
            }
        };
        let e = match event {
            Event::Start(e) | Event::Empty(e) => e,
            Event::Decl(_) | Event::PI(_) | Event::Comment(_) => continue,
            Event::Text(t) if t.iter().all(u8::is_ascii_whitespace) => continue,
            Event::Text(_) | Event::CData(_) => return Err(fail(start, "text before the root element")),
            Event::DocType(_) => return Err(fail(start, "DOCTYPE declarations are not accepted (no DTDs or entity declarations)")),
            Event::End(_) => return Err(fail(start, "unexpected end tag")),
            Event::Eof => return Err(fail(body.len(), "no root element")),
        };
        let end = usize::try_from(reader.buffer_position()).unwrap_or(usize::MAX);
        if let Err(err) = std::str::from_utf8(&body[..end.min(body.len())]) {
            return Err(not_utf8(bom + err.valid_up_to()));
        }
        for attr in e.attributes() {
            if let Err(err) = attr {
                let (pos, message) = crate::xml::describe_attr_error(&err);
                return Err(fail(start + 1 + pos, &message));
            }
        }
        let (resolved, local) = reader.resolve_element(e.name());
        let name = String::from_utf8_lossy(local.as_ref()).into_owned();
        let found = match resolved {
            ResolveResult::Bound(ns) if ns.as_ref() == NAMESPACE.as_bytes() => return Ok(Root::from_name(name)),
            ResolveResult::Bound(ns) => String::from_utf8_lossy(ns.as_ref()).into_owned(),
            ResolveResult::Unbound => "none".to_string(),
            ResolveResult::Unknown(prefix) => {
                return Err(fail(start, &format!("namespace prefix '{}' is not declared", String::from_utf8_lossy(&prefix))))
            }
        };
        return Err(CebError::new(
            &name,
            Rule::WrongNamespace,
            format!("{name} must be in namespace {NAMESPACE}, found {found}"),
            format!("{name} 的命名空间必须是 {NAMESPACE}，实际为 {found}"),
        ));
    }
}
