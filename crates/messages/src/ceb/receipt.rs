//! The receipts (回执): `CEB312`, `CEB412`, `CEB512`, `CEB622`, `CEB624`, `CEB626` and
//! `CEB712`, one return element per document. They differ only in their names and in the
//! document fields they echo before `returnStatus`, `returnTime` and `returnInfo`, which each
//! kind's [`Spec`] lists with the way each is filled ([`Fill`]). One row type ([`Return`]) and
//! one writer ([`Receipt::to_xml`]) serve them all.
//!
//! A receipt answers either a message that was read ([`super::Message::receipt`], with the
//! answers of the write path) or one that broke the XSD rules ([`negative_receipt`], echoing
//! what the raw element tree allows). The echo rules are the same, so both write the same
//! fields for the same document; GACC's receipt schemas are stricter than the messages' in
//! places (a receipt's `copNo` is required, its `preNo` and `invtNo` have exactly 18
//! characters), which [`Fill`] bridges.

use std::fmt::Write as _;

use super::kind::{message_kind, MessageKind, Root};
use super::message::{Spec, MAX_WRAPPERS};
use super::schema::{escape, Group};
use super::tree::{read_tree, Element};
use super::{CebError, NAMESPACE};

/// Longest `returnInfo` the receipt schemas allow, in characters.
const INFO_MAX: usize = 1000;

/// `preNo` of a receipt when customs assigned no number: 18 zeros.
const NO_PRE_NO: &str = "000000000000000000";

/// How one echoed field of a return element is filled from the document's element of the
/// same name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fill {
    /// Required: the value must have `min..=max` characters (otherwise a negative receipt
    /// cannot be written).
    Req(usize, usize),
    /// Optional: echoed when it has `min..=max` characters, left out otherwise.
    Opt(usize, usize),
    /// Required `copNo` (1–20): the document's own copNo when valid, else the first 20
    /// characters of its `orderNo` when that is valid (1–60 characters).
    CopNo,
    /// Required `preNo` (exactly 18): the number customs assigned, else the document's own
    /// preNo when it has 18 characters, else 18 zeros ("no number assigned").
    PreNo,
    /// Optional `invtNo` (exactly 18): the number customs assigned, else the document's own
    /// when it has 18 characters (a request may carry 1–18), else left out.
    InvtNo,
}

/// The `guid` every return element starts with.
pub(crate) const GUID: (&str, Fill) = ("guid", Fill::Req(36, 36));

/// How customs answered one document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    /// e.g. 120 accepted, 100 rejected, 800 released; negative numbers report a processing
    /// error.
    pub return_status: String,
    /// `YYYYMMDDhhmmssSSS`.
    pub return_time: String,
    pub return_info: String,
    /// The numbers customs assigned (inventory lists, cancellations and returns).
    pub pre_no: Option<String>,
    pub invt_no: Option<String>,
}

/// One return element (`OrderReturn`, `PaymentReturn`, …, `DeliveryReturn`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Return {
    /// The echoed fields in XSD order; `None` ones are left out.
    pub fields: Vec<(&'static str, Option<String>)>,
    pub return_status: String,
    pub return_time: String,
    pub return_info: String,
}

impl Return {
    /// An echoed field's value.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.fields.iter().find(|(n, _)| *n == name).and_then(|(_, v)| v.as_deref())
    }

    /// Sets (or leaves out, with `None`) an echoed field. Panics when the return element has
    /// no such field.
    pub fn set(&mut self, name: &str, value: Option<String>) {
        let slot = self.fields.iter_mut().find(|(n, _)| *n == name).unwrap_or_else(|| panic!("a return element has no field {name}"));
        slot.1 = value;
    }
}

/// A receipt message: the kind it answers and its return elements.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Receipt {
    pub kind: MessageKind,
    pub returns: Vec<Return>,
}

impl Receipt {
    /// Writes the receipt (UTF-8, default CEB namespace, `version="1.0"`). The root `guid` is
    /// the first return's guid, as in the official samples. The XSD requires 1 to 100 return
    /// elements; an empty receipt would not validate. Text is escaped; characters XML 1.0
    /// cannot carry are written as U+FFFD. The writer checks no limits.
    pub fn to_xml(&self) -> String {
        let spec = self.kind.spec();
        let (root, item) = (spec.receipt, spec.returns);
        let guid = self.returns.first().and_then(|r| r.get("guid")).unwrap_or("");
        let mut out = String::new();
        out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        let _ = writeln!(out, "<{root} guid=\"{}\" version=\"1.0\" xmlns=\"{NAMESPACE}\">", escape(guid));
        for r in &self.returns {
            let _ = writeln!(out, "  <{item}>");
            let answer = [("returnStatus", &r.return_status), ("returnTime", &r.return_time), ("returnInfo", &r.return_info)];
            let values = r.fields.iter().filter_map(|(n, v)| v.as_ref().map(|v| (*n, v))).chain(answer);
            for (name, value) in values {
                let _ = writeln!(out, "    <{name}>{}</{name}>", escape(value));
            }
            let _ = writeln!(out, "  </{item}>");
        }
        let _ = writeln!(out, "</{root}>");
        out
    }
}

fn fits(value: &str, min: usize, max: usize) -> bool {
    (min..=max).contains(&value.chars().count())
}

/// The value of one echoed field: `Some(Some(v))` echoed, `Some(None)` left out, `None` when a
/// required field cannot be filled validly. `text` gives an element's trimmed text, empty when
/// absent; `assigned` the answer whose numbers take precedence.
fn echo<'a>(text: impl Fn(&str) -> &'a str, name: &str, fill: Fill, assigned: Option<&Answer>) -> Option<Option<String>> {
    let value = text(name);
    let own = |min, max| fits(value, min, max).then(|| value.to_string());
    match fill {
        Fill::Req(min, max) => own(min, max).map(Some),
        Fill::Opt(min, max) => Some(own(min, max)),
        Fill::CopNo => match own(1, 20) {
            Some(v) => Some(Some(v)),
            None => {
                let order_no = text("orderNo");
                fits(order_no, 1, 60).then(|| Some(order_no.chars().take(20).collect()))
            }
        },
        Fill::PreNo => Some(assigned.and_then(|a| a.pre_no.clone()).or_else(|| own(18, 18)).or_else(|| Some(NO_PRE_NO.into()))),
        Fill::InvtNo => Some(assigned.and_then(|a| a.invt_no.clone()).or_else(|| own(18, 18))),
    }
}

/// The return element answering a document that was read. Its values satisfy the message's
/// rules, which always fill the receipt's required fields; were one not to, it is echoed as it
/// is.
pub(crate) fn answered(spec: &Spec, head: &impl Group, answer: &Answer) -> Return {
    let text = |name: &str| head.text(name).unwrap_or("");
    let fields = spec
        .echo
        .iter()
        .map(|&(name, fill)| (name, echo(text, name, fill, Some(answer)).unwrap_or_else(|| Some(text(name).to_string()))))
        .collect();
    Return {
        fields,
        return_status: answer.return_status.clone(),
        return_time: answer.return_time.clone(),
        return_info: answer.return_info.clone(),
    }
}

/// The receipt GACC's convention gives a message that failed format validation: one return
/// element per wrapper (Order, Payment, Logistics, Inventory, InvtCancel, InvtRefund, Delivery)
/// with returnStatus `status` (negative, e.g. "-1"; 若小于0数字表示处理异常回执), returnTime
/// `return_time` (YYYYMMDDhhmmssSSS, 17 chars) and a returnInfo listing the errors that concern
/// that wrapper (path + Chinese + English message, at most 1000 characters, truncated with … if
/// longer). None when no XSD-valid receipt can be written (e.g. a required echo field such as
/// guid or copNo is missing or itself invalid, or the document is not well-formed or not a
/// known kind).
///
/// The message broke the XSD rules, so it is not read with the checking readers: the element
/// tree is read as it is and each wrapper's echo fields (trimmed text of the first element of
/// that name in the CEB namespace) are filled as for a normal receipt ([`Fill`]) but without
/// assigned numbers; an optional one that cannot be filled validly is left out.
///
/// An error belongs to a wrapper by its path (`Inventory[2]/…` to the third `Inventory`,
/// `Delivery/…` to the one `Delivery`); errors elsewhere (`@guid`, `BaseTransfer/…`,
/// `Inventory` for too many) go to every receipt element. A wrapper no error concerns is
/// told that another document of the message failed. Only the first 100 wrappers get a
/// receipt (the XSD's `maxOccurs`). `status` must have 1–10 characters and `return_time`
/// exactly 17, as the XSD requires; otherwise the result is None.
pub fn negative_receipt(xml: &[u8], errors: &[CebError], status: &str, return_time: &str) -> Option<String> {
    if !fits(status, 1, 10) || !fits(return_time, 17, 17) {
        return None;
    }
    let Ok(Root::Known(kind)) = message_kind(xml) else { return None };
    let spec = kind.spec();
    let root = read_tree(xml).ok()?;
    let wrappers: Vec<&Element> = root.children.iter().filter(|c| c.is(NAMESPACE, spec.wrapper)).take(MAX_WRAPPERS).collect();
    if wrappers.is_empty() {
        return None;
    }
    let mut returns = Vec::with_capacity(wrappers.len());
    for (i, wrapper) in wrappers.iter().enumerate() {
        let el = match spec.head {
            Some(head) => wrapper.children.iter().find(|c| c.is(NAMESPACE, head))?,
            None => wrapper,
        };
        let text = |name: &str| el.children.iter().find(|c| c.is(NAMESPACE, name)).map_or("", |c| c.text.trim());
        let mut fields = Vec::with_capacity(spec.echo.len());
        for &(name, fill) in spec.echo {
            fields.push((name, echo(text, name, fill, None)?));
        }
        let mine: Vec<&CebError> = errors.iter().filter(|e| concerns(e, spec, i)).collect();
        returns.push(Return {
            fields,
            return_status: status.to_string(),
            return_time: return_time.to_string(),
            return_info: return_info(&mine, !errors.is_empty()),
        });
    }
    Some(Receipt { kind, returns }.to_xml())
}

/// Whether `error` concerns wrapper `index`: its own paths, and those that belong to no
/// wrapper.
fn concerns(error: &CebError, spec: &Spec, index: usize) -> bool {
    let path = error.path.as_str();
    let wrapper = spec.wrapper;
    if spec.one.is_some() {
        // `Delivery/…` is the one delivery list the reader checks, the first; `Delivery`
        // itself (missing, repeated) concerns the message.
        return !path.starts_with(&format!("{wrapper}/")) || index == 0;
    }
    let prefix = spec.wrapper_path(index);
    let own = path.strip_prefix(&prefix).is_some_and(|rest| rest.is_empty() || rest.starts_with('/'));
    own || !path.starts_with(&format!("{wrapper}["))
}

/// `path: 中文 / English` for each error, joined with `; `, at most [`INFO_MAX`] characters.
fn return_info(errors: &[&CebError], any: bool) -> String {
    let info = if errors.is_empty() {
        if any {
            "报文中其他单证未通过格式校验，本单证未处理 / another document in this message failed format validation; this one was not processed".to_string()
        } else {
            "报文未通过格式校验 / the message failed format validation".to_string()
        }
    } else {
        errors
            .iter()
            .map(|e| if e.path.is_empty() { format!("{} / {}", e.zh, e.en) } else { format!("{}: {} / {}", e.path, e.zh, e.en) })
            .collect::<Vec<_>>()
            .join("; ")
    };
    if info.chars().count() <= INFO_MAX {
        info
    } else {
        let mut cut: String = info.chars().take(INFO_MAX - 1).collect();
        cut.push('…');
        cut
    }
}
