//! One generic CEB message: the envelope every kind shares, read and written by one piece of
//! code from the kind's [`Spec`].
//!
//! Every import message is a root (`CEB311Message`, …) with `guid` and `version` attributes,
//! its documents and an optional `BaseTransfer`. A document is one wrapper element under the
//! root (`Order`, `Payment`, …, `Delivery`) holding a head group and, for some kinds, goods
//! lines; `InvtCancel` holds its fields itself. A kind is a type implementing [`Kind`]: it
//! names its head and line groups (declared with `group!`) and its [`Spec`] — element names,
//! whether the message holds one document or up to 100, how many lines, its receipt and the
//! receipt's echoed fields, and which enterprises a document names may send it.
//!
//! ```text
//!  CEB311Message guid version        Message<Ceb311> { guid, version, documents, base_transfer }
//!    Order (1..100)                    Doc<Ceb311> { head, items }
//!      OrderHead                         OrderHead   (group!)
//!      OrderList (1..99)                 OrderItem   (group!)
//!    BaseTransfer (accepted absent)    BaseTransfer  (group!)
//! ```

use super::fields::{len, s, Checker, Field};
use super::kind::MessageKind;
use super::receipt::{Answer, Fill, Receipt};
use super::schema::{group, Group, Writer};
use super::tree::{read_tree, Element};
use super::{CebError, NAMESPACE};
use guomen_domain::Rule;

/// `maxOccurs` of the wrapper element in a message and of goods lines in a wrapper.
pub(crate) const MAX_WRAPPERS: usize = 100;
pub(crate) const MAX_LINES: usize = 99;

/// A message kind as a type: its groups and its [`Spec`]. The seven kinds are listed once, in
/// `kind.rs`.
pub trait Kind: std::fmt::Debug + Clone + PartialEq + Eq + 'static {
    const KIND: MessageKind;
    const SPEC: Spec;
    /// The group holding a document's own fields.
    type Head: Group;
    /// The group of a goods line; [`NoLines`] for kinds without lines.
    type Line: Group;
    /// The rules the head is read with; another kind's group may be reused with a different
    /// code list (CEB625's head is CEB623's cancellation with appType 1/2/3).
    const HEAD_FIELDS: &'static [Field] = <Self::Head as Group>::FIELDS;
}

/// Declares a message kind: the type (`Ceb311`) with its groups and [`Spec`], the message type
/// (`Ceb311Message`) and its reader (`parse_ceb311`). A kind without goods lines names only its
/// head; `; rules TABLE` after the spec reads the head with another table than its group's.
macro_rules! kind {
    (
        $(#[$meta:meta])*
        $kind:ident => $message:ident, $parse:ident: $head:ty $(, $line:ty)?;
        $spec:expr $(; rules $rules:expr)?
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub struct $kind;

        impl $crate::ceb::message::Kind for $kind {
            const KIND: $crate::ceb::MessageKind = $crate::ceb::MessageKind::$kind;
            const SPEC: $crate::ceb::message::Spec = $spec;
            type Head = $head;
            type Line = $crate::ceb::message::kind!(@line $($line)?);
            $(const HEAD_FIELDS: &'static [$crate::ceb::fields::Field] = $rules;)?
        }

        #[doc = concat!("A whole `", stringify!($message), "`.")]
        pub type $message = $crate::ceb::message::Message<$kind>;

        #[doc = concat!("Reads and validates a `", stringify!($message), "`, returning every problem found ")]
        #[doc = "(malformed XML, a wrong root or namespace is a single error)."]
        pub fn $parse(xml: &[u8]) -> Result<$message, Vec<$crate::ceb::CebError>> {
            $crate::ceb::message::Message::read(xml)
        }
    };
    (@line) => { $crate::ceb::message::NoLines };
    (@line $line:ty) => { $line };
}

pub(crate) use kind;

/// Where a kind's elements are and what its receipt echoes. Built with `const` methods so that
/// each message module states its spec in a few lines.
#[derive(Debug, Clone, Copy)]
pub struct Spec {
    /// Root element, e.g. `CEB621Message`.
    pub root: &'static str,
    /// The repeated document element under the root, e.g. `Inventory`.
    pub wrapper: &'static str,
    /// The wrapper's head element (`None`: the fields sit in the wrapper, as in `InvtCancel`).
    pub head: Option<&'static str>,
    /// The wrapper's goods-line element, if any, and its `maxOccurs`.
    pub lines: Option<(&'static str, usize)>,
    /// Exactly one document (CEB711's one delivery list), named thus in English and Chinese;
    /// its paths carry no index (`Delivery/…`).
    pub one: Option<(&'static str, &'static str)>,
    /// Receipt root and return element, e.g. `CEB622Message` / `InventoryReturn`.
    pub receipt: &'static str,
    pub returns: &'static str,
    /// The return element's fields before `returnStatus`, in XSD order, and how each is filled.
    pub echo: &'static [(&'static str, Fill)],
    /// The enterprise codes in the head of which one must be the sender's (the first speaks for
    /// the message when an operator imports it).
    pub senders: &'static [&'static str],
}

impl Spec {
    pub const fn new(root: &'static str, wrapper: &'static str, head: Option<&'static str>) -> Spec {
        Spec { root, wrapper, head, lines: None, one: None, receipt: "", returns: "", echo: &[], senders: &[] }
    }
    pub const fn lines(self, name: &'static str, max: usize) -> Spec {
        Spec { lines: Some((name, max)), ..self }
    }
    pub const fn one(self, en: &'static str, zh: &'static str) -> Spec {
        Spec { one: Some((en, zh)), ..self }
    }
    pub const fn receipt(self, root: &'static str, returns: &'static str, echo: &'static [(&'static str, Fill)]) -> Spec {
        Spec { receipt: root, returns, echo, ..self }
    }
    pub const fn senders(self, senders: &'static [&'static str]) -> Spec {
        Spec { senders, ..self }
    }

    /// Path of the `i`th wrapper: `Order[2]`, or `Delivery` for the one delivery list.
    pub(crate) fn wrapper_path(&self, i: usize) -> String {
        match self.one {
            Some(_) => self.wrapper.to_string(),
            None => format!("{}[{i}]", self.wrapper),
        }
    }

    /// Path of the element holding the `i`th document's fields: `Order[2]/OrderHead`, `InvtCancel[2]`.
    pub(crate) fn head_path(&self, i: usize) -> String {
        match self.head {
            Some(head) => format!("{}/{head}", self.wrapper_path(i)),
            None => self.wrapper_path(i),
        }
    }
}

/// A whole message of kind `K`, e.g. [`super::Ceb621Message`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message<K: Kind> {
    /// Root attribute `guid` (36 characters).
    pub guid: String,
    /// Root attribute `version` (1–10 characters, normally `1.0`).
    pub version: String,
    /// The documents, in message order (one for CEB711).
    pub documents: Vec<Doc<K>>,
    pub base_transfer: Option<BaseTransfer>,
}

/// One document: its head and its goods lines (none for kinds without lines).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Doc<K: Kind> {
    pub head: K::Head,
    pub items: Vec<K::Line>,
}

/// The line type of kinds whose documents have no goods lines (CEB411, 511, 623).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NoLines {}

impl Group for NoLines {
    const FIELDS: &'static [Field] = &[];
    fn read(_: &mut Checker<'_>) -> Self {
        unreachable!("a kind without lines reads none")
    }
    fn write(&self, _: &mut Writer) {
        match *self {}
    }
    fn text(&self, _: &str) -> Option<&str> {
        match *self {}
    }
}

group! {
    /// `BaseTransfer`: the company transmitting the message. Required by the XSD, accepted as
    /// absent.
    pub struct BaseTransfer {
        cop_code: String = "copCode" s(1, 18),
        cop_name: String = "copName" s(0, 100),
        dxp_mode: String = "dxpMode" len(3),
        dxp_id: String = "dxpId" s(0, 30),
        note: Option<String> = "note" s(0, 1000),
    }
}

/// One document as the node sees it before handing it on: where it is, whether it is
/// declared, and who may send it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outline<'a> {
    /// Path of the element holding its fields, e.g. `Order[0]/OrderHead`, `InvtCancel[2]`,
    /// `Delivery/DeliveryHead`.
    pub path: String,
    /// `appStatus`: 1 stored (暂存), 2 declared (申报).
    pub app_status: &'a str,
    /// The enterprise codes of [`Spec::senders`], as the document gives them.
    pub senders: Vec<&'a str>,
}

impl<K: Kind> Message<K> {
    /// Reads and validates a message of kind `K`, returning every problem found (malformed
    /// XML, a wrong root or namespace is a single error).
    pub fn read(xml: &[u8]) -> Result<Self, Vec<CebError>> {
        let spec = &K::SPEC;
        let root = read_root(xml, spec.root)?;
        let mut errors = Vec::new();
        let (guid, version) = root_attrs(&root, &mut errors);
        let documents = wrappers(&root, spec, &mut errors)
            .into_iter()
            .enumerate()
            .map(|(i, el)| read_doc::<K>(el, &spec.wrapper_path(i), &mut errors))
            .collect();
        let base_transfer = root
            .children
            .iter()
            .find(|c| c.is(NAMESPACE, "BaseTransfer"))
            .map(|el| read_group(Some(el), "BaseTransfer".into(), BaseTransfer::FIELDS, &mut errors));
        if errors.is_empty() {
            Ok(Message { guid, version, documents, base_transfer })
        } else {
            Err(errors)
        }
    }

    /// The message as XML, in the element order of the XSD (the form `compose` sends).
    pub fn to_xml(&self) -> String {
        let spec = &K::SPEC;
        let mut x = Writer::new(spec.root, &self.guid, &self.version);
        for doc in &self.documents {
            x.open(spec.wrapper);
            match spec.head {
                Some(head) => x.group(head, &doc.head),
                None => doc.head.write(&mut x),
            }
            if let Some((list, _)) = spec.lines {
                for line in &doc.items {
                    x.group(list, line);
                }
            }
            x.close(spec.wrapper);
        }
        if let Some(t) = &self.base_transfer {
            x.group("BaseTransfer", t);
        }
        x.finish(spec.root)
    }

    /// Each document's path, appStatus and the enterprises that may send it.
    pub fn outlines(&self) -> Vec<Outline<'_>> {
        let spec = &K::SPEC;
        self.documents
            .iter()
            .enumerate()
            .map(|(i, d)| Outline {
                path: spec.head_path(i),
                app_status: d.head.text("appStatus").unwrap_or(""),
                senders: spec.senders.iter().filter_map(|name| d.head.text(name)).collect(),
            })
            .collect()
    }

    /// The receipt answering this message, one return element per document and answer.
    pub fn receipt(&self, answers: &[Answer]) -> Receipt {
        let returns = self.documents.iter().zip(answers).map(|(d, a)| super::receipt::answered(&K::SPEC, &d.head, a)).collect();
        Receipt { kind: K::KIND, returns }
    }
}

/// Reads the document and checks the root element name and namespace; these problems
/// (and malformed XML) are reported alone.
fn read_root(xml: &[u8], root_name: &str) -> Result<Element, Vec<CebError>> {
    let root = read_tree(xml).map_err(|e| vec![e])?;
    if root.name != root_name {
        return Err(vec![CebError::new(
            root_name,
            Rule::WrongRoot,
            format!("root element must be {root_name}, found {}", root.name),
            format!("根元素必须是 {root_name}，实际为 {}", root.name),
        )]);
    }
    if root.ns.as_deref() != Some(NAMESPACE) {
        let found = root.ns.as_deref().unwrap_or("none");
        return Err(vec![CebError::new(
            root_name,
            Rule::WrongNamespace,
            format!("{root_name} must be in namespace {NAMESPACE}, found {found}"),
            format!("{root_name} 的命名空间必须是 {NAMESPACE}，实际为 {found}"),
        )]);
    }
    Ok(root)
}

/// The root `guid` (exactly 36 characters) and `version` (1–10 characters) attributes.
fn root_attrs(root: &Element, errors: &mut Vec<CebError>) -> (String, String) {
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
            Rule::Required,
            format!("attribute {name} on {root_name} is required"),
            format!("{root_name} 缺少必填属性 {name}"),
        ));
    } else if let Some(n) = exact.filter(|&n| n != chars) {
        errors.push(CebError::new(
            path,
            Rule::Length,
            format!("attribute {name} must be exactly {n} characters long, found {chars}"),
            format!("属性 {name} 长度必须为 {n} 个字符，实际为 {chars} 个"),
        ));
    } else if chars > max {
        errors.push(CebError::new(
            path,
            Rule::MaxLength,
            format!("attribute {name} is {chars} characters long; at most {max} are allowed"),
            format!("属性 {name} 长度为 {chars} 个字符，最多允许 {max} 个"),
        ));
    }
    value.to_string()
}

fn max_occurs(path: &str, found: usize, max: usize) -> CebError {
    CebError::new(
        path,
        Rule::MaxOccurs,
        format!("{path} may appear at most {max} times, found {found}"),
        format!("{path} 最多允许出现 {max} 次，实际为 {found} 次"),
    )
}

/// The wrapper elements under the root: 1 to [`MAX_WRAPPERS`], or exactly one (then only the
/// first is read).
fn wrappers<'a>(root: &'a Element, spec: &Spec, errors: &mut Vec<CebError>) -> Vec<&'a Element> {
    let name = spec.wrapper;
    let mut els: Vec<&Element> = root.children.iter().filter(|c| c.is(NAMESPACE, name)).collect();
    if els.is_empty() {
        let (en, zh) = match spec.one {
            Some(_) => (format!("required element {name} is missing"), format!("缺少必填元素 {name}")),
            None => (format!("at least one {name} element is required"), format!("至少需要一个 {name} 元素")),
        };
        errors.push(CebError::new(name, Rule::Required, en, zh));
    } else if let Some((en, zh)) = spec.one.filter(|_| els.len() > 1) {
        let root = spec.root;
        errors.push(CebError::new(
            name,
            Rule::Duplicate,
            format!("{name} appears more than once; a {root} holds one {en}"),
            format!("{name} 出现了多次；一个 {root} 只能包含一个{zh}"),
        ));
        els.truncate(1);
    } else if spec.one.is_none() && els.len() > MAX_WRAPPERS {
        errors.push(max_occurs(name, els.len(), MAX_WRAPPERS));
    }
    els
}

fn read_doc<K: Kind>(el: &Element, path: &str, errors: &mut Vec<CebError>) -> Doc<K> {
    let spec = &K::SPEC;
    let Some(head) = spec.head else {
        return Doc { head: read_group(Some(el), path.to_string(), K::HEAD_FIELDS, errors), items: Vec::new() };
    };
    let (head_el, lines) = parts(el, path, head, spec.lines, errors);
    let head = read_group(head_el, format!("{path}/{head}"), K::HEAD_FIELDS, errors);
    let items = match spec.lines {
        Some((list, _)) => lines
            .iter()
            .enumerate()
            .map(|(j, l)| read_group(Some(l), format!("{path}/{list}[{j}]"), <K::Line as Group>::FIELDS, errors))
            .collect(),
        None => Vec::new(),
    };
    Doc { head, items }
}

/// Checks a wrapper's structure: exactly one `head`, then (when `list` is given) 1 to its
/// `maxOccurs` lines, nothing else. Returns the head (if present) and the lines.
fn parts<'a>(
    el: &'a Element,
    path: &str,
    head: &str,
    list: Option<(&str, usize)>,
    errors: &mut Vec<CebError>,
) -> (Option<&'a Element>, Vec<&'a Element>) {
    for child in &el.children {
        if !(child.is(NAMESPACE, head) || list.is_some_and(|(l, _)| child.is(NAMESPACE, l))) {
            errors.push(CebError::new(
                format!("{path}/{}", child.name),
                Rule::Unexpected,
                format!("element {} is not allowed in {}", child.name, el.name),
                format!("{} 中不允许出现元素 {}", el.name, child.name),
            ));
        }
    }
    let heads: Vec<&Element> = el.children.iter().filter(|c| c.is(NAMESPACE, head)).collect();
    let head_path = format!("{path}/{head}");
    if heads.is_empty() {
        errors.push(CebError::new(
            &head_path,
            Rule::Required,
            format!("required element {head} is missing"),
            format!("缺少必填元素 {head}"),
        ));
    } else if heads.len() > 1 {
        errors.push(CebError::new(&head_path, Rule::Duplicate, format!("{head} appears more than once"), format!("{head} 出现了多次")));
    }
    let mut lines = Vec::new();
    if let Some((list, max_lines)) = list {
        lines = el.children.iter().filter(|c| c.is(NAMESPACE, list)).collect();
        let list_path = format!("{path}/{list}");
        if lines.is_empty() {
            errors.push(CebError::new(
                list_path,
                Rule::Required,
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
                    Rule::Order,
                    format!("{head} must come before {list}"),
                    format!("{head} 必须位于 {list} 之前"),
                ));
            }
        }
    }
    (heads.first().copied(), lines)
}

/// Reads one group; when the element itself is absent (already reported) its fields are
/// read from an empty element and their errors are dropped.
fn read_group<G: Group>(el: Option<&Element>, path: String, fields: &'static [Field], errors: &mut Vec<CebError>) -> G {
    let empty = Element::default();
    let mut g = Checker::new(el.unwrap_or(&empty), path, fields);
    let value = G::read(&mut g);
    if el.is_some() {
        errors.append(&mut g.errors);
    }
    value
}
