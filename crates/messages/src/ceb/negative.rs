//! The receipt answering a message that failed format validation. GACC's convention: a
//! negative `returnStatus` reports a processing error (若小于0数字表示处理异常回执), and the
//! `returnInfo` says what was wrong.
//!
//! The message broke the XSD rules, so it is not read with the checking parsers: the element
//! tree is read as it is and each wrapper's echo fields (guid, codes, numbers) are copied
//! into its receipt only when they satisfy the *receipt's* XSD constraint. An optional
//! receipt field that cannot be filled validly is left out; when a required one cannot be,
//! no receipt is written. For the required `copNo` and `preNo` of CEB622, CEB624 and CEB626
//! the fallbacks of the normal receipts apply.

use super::common::{write_returns, MAX_WRAPPERS};
use super::tree::{read_tree, Element};
use super::{message_kind, CebError, MessageKind, NAMESPACE};

/// Longest `returnInfo` the receipt schemas allow, in characters.
const INFO_MAX: usize = 1000;

/// `preNo` of a receipt when customs assigned no number: 18 zeros.
const NO_PRE_NO: &str = "000000000000000000";

/// How one receipt field is filled from the wrapper's element of the same name.
#[derive(Debug, Clone, Copy)]
enum Fill {
    /// Required: the value must have `min..=max` characters, otherwise there is no receipt.
    Req(usize, usize),
    /// Optional: echoed when it has `min..=max` characters, left out otherwise.
    Opt(usize, usize),
    /// Required `copNo` (1–20): the element's own copNo when valid, else the first 20
    /// characters of `orderNo` when that is valid (1–60 characters), else no receipt.
    CopNo,
    /// Required `preNo` (exactly 18): the element's own preNo when it has 18 characters,
    /// else 18 zeros ("no number assigned").
    PreNo,
}

use Fill::{CopNo, Opt, PreNo, Req};

/// What one message kind's receipt looks like and where its echo fields are.
struct Shape {
    /// Receipt root and item element, e.g. `CEB622Message` / `InventoryReturn`.
    root: &'static str,
    item: &'static str,
    /// The repeated element under the message root, e.g. `Inventory`.
    wrapper: &'static str,
    /// The child of the wrapper holding the fields (`None`: the wrapper itself, as `InvtCancel`).
    head: Option<&'static str>,
    /// Error paths name the wrapper with an index (`Inventory[2]/…`); CEB711 has one
    /// `Delivery` and paths without index (`Delivery/…`).
    indexed: bool,
    /// Receipt fields before `returnStatus`, in XSD order.
    fields: &'static [(&'static str, Fill)],
}

const GUID: (&str, Fill) = ("guid", Req(36, 36));

static SHAPES: [(MessageKind, Shape); 7] = [
    (
        MessageKind::Ceb311,
        Shape {
            root: "CEB312Message",
            item: "OrderReturn",
            wrapper: "Order",
            head: Some("OrderHead"),
            indexed: true,
            fields: &[GUID, ("ebpCode", Req(1, 18)), ("ebcCode", Req(1, 18)), ("orderNo", Req(1, 60))],
        },
    ),
    (
        MessageKind::Ceb411,
        Shape {
            root: "CEB412Message",
            item: "PaymentReturn",
            wrapper: "Payment",
            head: Some("PaymentHead"),
            indexed: true,
            fields: &[GUID, ("payCode", Req(1, 18)), ("payTransactionId", Req(1, 60))],
        },
    ),
    (
        MessageKind::Ceb511,
        Shape {
            root: "CEB512Message",
            item: "LogisticsReturn",
            wrapper: "Logistics",
            head: Some("LogisticsHead"),
            indexed: true,
            fields: &[GUID, ("logisticsCode", Req(1, 18)), ("logisticsNo", Req(1, 60))],
        },
    ),
    (
        MessageKind::Ceb621,
        Shape {
            root: "CEB622Message",
            item: "InventoryReturn",
            wrapper: "Inventory",
            head: Some("InventoryHead"),
            indexed: true,
            fields: &[
                GUID,
                ("customsCode", Opt(4, 4)),
                ("ebpCode", Opt(1, 18)),
                ("ebcCode", Opt(1, 18)),
                ("agentCode", Opt(1, 18)),
                ("copNo", CopNo),
                ("preNo", PreNo),
                ("invtNo", Opt(18, 18)),
            ],
        },
    ),
    (
        MessageKind::Ceb623,
        Shape {
            root: "CEB624Message",
            item: "InvtCancelReturn",
            wrapper: "InvtCancel",
            head: None,
            indexed: true,
            fields: &[
                GUID,
                ("customsCode", Opt(4, 4)),
                ("agentCode", Opt(1, 18)),
                ("ebpCode", Opt(1, 18)),
                ("ebcCode", Opt(1, 18)),
                ("copNo", CopNo),
                ("preNo", PreNo),
                ("invtNo", Opt(18, 18)),
            ],
        },
    ),
    (
        MessageKind::Ceb625,
        Shape {
            root: "CEB626Message",
            item: "InvtRefundReturn",
            wrapper: "InvtRefund",
            head: Some("InvtRefundHead"),
            indexed: true,
            fields: &[
                GUID,
                ("customsCode", Opt(4, 4)),
                ("agentCode", Opt(1, 18)),
                ("ebpCode", Opt(1, 18)),
                ("ebcCode", Opt(1, 18)),
                ("copNo", CopNo),
                ("preNo", PreNo),
                ("invtNo", Opt(18, 18)),
            ],
        },
    ),
    (
        MessageKind::Ceb711,
        Shape {
            root: "CEB712Message",
            item: "DeliveryReturn",
            wrapper: "Delivery",
            head: Some("DeliveryHead"),
            indexed: false,
            fields: &[
                GUID,
                ("customsCode", Opt(4, 4)),
                ("operatorCode", Opt(1, 18)),
                // The XSD allows empty copNo, preNo and rkdNo; empty ones are left out.
                ("copNo", Opt(1, 20)),
                ("preNo", Opt(1, 18)),
                ("rkdNo", Opt(1, 18)),
            ],
        },
    ),
];

/// The receipt GACC's convention gives a message that failed format validation: one return
/// element per wrapper (Order, PaymentHead, LogisticsHead, Inventory, InvtCancel, InvtRefund,
/// Delivery) with returnStatus `status` (negative, e.g. "-1"), returnTime `return_time`
/// (YYYYMMDDhhmmssSSS, 17 chars) and a returnInfo listing the errors that concern that wrapper
/// (path + Chinese + English message, at most 1000 characters, truncated with … if longer).
/// None when no XSD-valid receipt can be written (e.g. a required echo field such as guid or
/// copNo is missing or itself invalid, or the document is not well-formed or not a known kind).
///
/// The receipts are `CEB312`, `CEB412`, `CEB512`, `CEB622`, `CEB624`, `CEB626` and `CEB712`
/// for `CEB311` … `CEB711`. Echo fields are read leniently (trimmed text of the first
/// element of that name in the CEB namespace) and copied only when they satisfy the
/// receipt's XSD constraint; optional ones that do not are left out. Fallbacks for the
/// required `copNo` and `preNo` of `CEB622`, `CEB624` and `CEB626`, as for normal receipts:
/// `copNo` is the first 20 characters of `orderNo` when the message has no valid copNo (1–20)
/// and its orderNo is valid (1–60 characters); `preNo` is `000000000000000000` (18 zeros: no
/// number assigned) unless the message carries one of exactly 18 characters.
///
/// An error belongs to a wrapper by its path (`Inventory[2]/…` to the third `Inventory`,
/// `Delivery/…` to the one `Delivery`); errors elsewhere (`@guid`, `BaseTransfer/…`,
/// `Inventory` for too many) go to every receipt element. A wrapper no error concerns is
/// told that another document of the message failed. Only the first 100 wrappers get a
/// receipt (the XSD's `maxOccurs`). `status` must have 1–10 characters and `return_time`
/// exactly 17, as the XSD requires; otherwise the result is None.
pub fn negative_receipt(xml: &[u8], errors: &[CebError], status: &str, return_time: &str) -> Option<String> {
    let status_chars = status.chars().count();
    if !(1..=10).contains(&status_chars) || return_time.chars().count() != 17 {
        return None;
    }
    let kind = message_kind(xml).ok()?;
    let shape = &SHAPES.iter().find(|(k, _)| *k == kind)?.1;
    let root = read_tree(xml).ok()?;
    let wrappers: Vec<&Element> = root.children.iter().filter(|c| c.is(NAMESPACE, shape.wrapper)).take(MAX_WRAPPERS).collect();
    if wrappers.is_empty() {
        return None;
    }
    let mut rows: Vec<Vec<(&str, Option<String>)>> = Vec::with_capacity(wrappers.len());
    for (i, wrapper) in wrappers.iter().enumerate() {
        let fields = match shape.head {
            Some(head) => wrapper.children.iter().find(|c| c.is(NAMESPACE, head))?,
            None => wrapper,
        };
        let mut row = Vec::with_capacity(shape.fields.len() + 3);
        for &(name, fill) in shape.fields {
            row.push((name, echo(fields, name, fill)?));
        }
        let prefix = if shape.indexed { format!("{}[{i}]", shape.wrapper) } else { shape.wrapper.to_string() };
        let mine: Vec<&CebError> = errors.iter().filter(|e| concerns(e, shape, &prefix, i)).collect();
        row.push(("returnStatus", Some(status.to_string())));
        row.push(("returnTime", Some(return_time.to_string())));
        row.push(("returnInfo", Some(return_info(&mine, !errors.is_empty()))));
        rows.push(row);
    }
    let borrowed: Vec<Vec<(&str, Option<&str>)>> =
        rows.iter().map(|row| row.iter().map(|(name, value)| (*name, value.as_deref())).collect()).collect();
    Some(write_returns(shape.root, shape.item, &borrowed))
}

/// Trimmed text of the first child `name` in the CEB namespace, empty when absent.
fn text<'a>(el: &'a Element, name: &str) -> &'a str {
    el.children.iter().find(|c| c.is(NAMESPACE, name)).map_or("", |c| c.text.trim())
}

fn fits(value: &str, min: usize, max: usize) -> bool {
    (min..=max).contains(&value.chars().count())
}

/// The value of one receipt field: `Some(Some(v))` echoed, `Some(None)` left out, `None`
/// when a required field cannot be filled validly.
fn echo(el: &Element, name: &str, fill: Fill) -> Option<Option<String>> {
    let value = text(el, name);
    match fill {
        Req(min, max) => fits(value, min, max).then(|| Some(value.to_string())),
        Opt(min, max) => Some(fits(value, min, max).then(|| value.to_string())),
        CopNo if fits(value, 1, 20) => Some(Some(value.to_string())),
        CopNo => {
            let order_no = text(el, "orderNo");
            fits(order_no, 1, 60).then(|| Some(order_no.chars().take(20).collect()))
        }
        PreNo if fits(value, 18, 18) => Some(Some(value.to_string())),
        PreNo => Some(Some(NO_PRE_NO.to_string())),
    }
}

/// Whether `error` concerns wrapper `index`, whose paths start with `prefix`: its own paths,
/// and those that belong to no wrapper.
fn concerns(error: &CebError, shape: &Shape, prefix: &str, index: usize) -> bool {
    let path = error.path.as_str();
    let own = |p: &str| path.strip_prefix(p).is_some_and(|rest| rest.is_empty() || rest.starts_with('/'));
    if shape.indexed {
        own(prefix) || !path.starts_with(&format!("{}[", shape.wrapper))
    } else {
        // `Delivery/…` is the one delivery list the reader checks, the first; `Delivery`
        // itself (missing, repeated) concerns the message.
        if path.starts_with(&format!("{}/", shape.wrapper)) {
            index == 0
        } else {
            true
        }
    }
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
