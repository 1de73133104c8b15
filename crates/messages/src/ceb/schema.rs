//! How a CEB element group (`OrderHead`, `InventoryList`, `InvtCancel`, …) is declared once.
//!
//! ```text
//! group! {
//!     /// `PaymentHead` (支付凭证表头).
//!     pub struct PaymentHead {
//!         ..document,
//!         pay_code: String = "payCode" s(1, 18),
//!         …
//!         telephone: Option<String> = "telephone" s(0, 60),
//!         amount_paid: Decimal = "amountPaid" DEC,
//!         …
//!     }
//! }
//! ```
//!
//! Each line names the Rust field, its type, the XML element and the element's [`Rule`]
//! (simple type, fixed value, code list, parameter table), in XSD order; `..document` and the
//! like stand for runs of elements several heads share (see `group!`). From that one line the
//! macro makes:
//!
//! - the struct field (`pub telephone: Option<String>`);
//! - the entry of the rule table [`Group::FIELDS`], whose `minOccurs` comes from the type
//!   (`Option<_>` is optional) and whose simple type const evaluation checks against the type
//!   (a `Decimal` field with a string rule does not compile);
//! - the reader ([`Group::read`]: the checked value of the element, through [`Checker`]);
//! - the writer ([`Group::write`]: one element per field, optional ones when present);
//! - the look-up by element name ([`Group::text`]) that receipts and the sender check use to
//!   echo a document's codes and numbers.
//!
//! What a field's type means for each of these is [`Value`]: a [`Scalar`] (`String`, `Decimal`,
//! `i32`) is a required element, an `Option` of one an optional element.

use std::borrow::Cow;
use std::fmt::Write as _;

use rust_decimal::Decimal;

use super::fields::{Checker, Field, Shape};
use super::NAMESPACE;

/// A CEB element group: a struct whose fields are the elements of one `xs:sequence`. Made by
/// `group!`; see the module documentation.
pub trait Group: std::fmt::Debug + Clone + PartialEq + Eq {
    /// The XSD rules of the sequence, in order.
    const FIELDS: &'static [Field];
    /// Reads the checked values (placeholders where the checker recorded an error).
    fn read(g: &mut Checker<'_>) -> Self;
    /// Writes one element per field, in order; absent optional fields are left out.
    fn write(&self, x: &mut Writer);
    /// The text of a string element by its XML name; `None` when absent, not in the group or
    /// not a string.
    fn text(&self, name: &str) -> Option<&str>;
}

/// What a field's Rust type means: its shape and occurrence in the rule table, how it is read,
/// written and echoed. A [`Scalar`] is a required element, `Option` of one an optional element.
pub trait Value: Sized {
    const SHAPE: Shape;
    const REQUIRED: bool;
    fn read(g: &mut Checker<'_>, name: &str) -> Self;
    fn write(&self, name: &str, x: &mut Writer);
    fn text(&self) -> Option<&str>;
}

/// A value an element holds: text, a decimal or an integer.
pub trait Scalar: Default {
    const SHAPE: Shape;
    /// The value of the element's checked text (`None` after recording an error).
    fn parse(g: &mut Checker<'_>, name: &str, text: String) -> Option<Self>;
    /// The element text that carries it.
    fn show(&self) -> Cow<'_, str>;
    /// The text, for a string.
    fn text(&self) -> Option<&str>;
}

impl Scalar for String {
    const SHAPE: Shape = Shape::Text;
    fn parse(_: &mut Checker<'_>, _: &str, text: String) -> Option<Self> {
        Some(text)
    }
    fn show(&self) -> Cow<'_, str> {
        Cow::Borrowed(self)
    }
    fn text(&self) -> Option<&str> {
        Some(self)
    }
}

impl Scalar for Decimal {
    const SHAPE: Shape = Shape::Decimal;
    fn parse(g: &mut Checker<'_>, name: &str, text: String) -> Option<Self> {
        g.decimal(name, &text)
    }
    /// Without trailing zeros, as senders write amounts.
    fn show(&self) -> Cow<'_, str> {
        Cow::Owned(self.normalize().to_string())
    }
    fn text(&self) -> Option<&str> {
        None
    }
}

impl Scalar for i32 {
    const SHAPE: Shape = Shape::Int;
    fn parse(g: &mut Checker<'_>, name: &str, text: String) -> Option<Self> {
        g.integer(name, &text)
    }
    fn show(&self) -> Cow<'_, str> {
        Cow::Owned(self.to_string())
    }
    fn text(&self) -> Option<&str> {
        None
    }
}

/// A required element: after an error the placeholder is the default (empty, zero).
impl<T: Scalar> Value for T {
    const SHAPE: Shape = T::SHAPE;
    const REQUIRED: bool = true;
    fn read(g: &mut Checker<'_>, name: &str) -> Self {
        Option::<T>::read(g, name).unwrap_or_default()
    }
    fn write(&self, name: &str, x: &mut Writer) {
        x.el(name, &self.show());
    }
    fn text(&self) -> Option<&str> {
        Scalar::text(self)
    }
}

/// An optional element; empty counts as absent.
impl<T: Scalar> Value for Option<T> {
    const SHAPE: Shape = T::SHAPE;
    const REQUIRED: bool = false;
    fn read(g: &mut Checker<'_>, name: &str) -> Self {
        let text = g.text(name)?;
        T::parse(g, name, text)
    }
    fn write(&self, name: &str, x: &mut Writer) {
        if let Some(v) = self {
            v.write(name, x);
        }
    }
    fn text(&self) -> Option<&str> {
        self.as_ref().and_then(Scalar::text)
    }
}

/// Declares a CEB element group; see the module documentation. Every field ends with a comma.
/// A line `..name,` stands for a run of elements several CEB heads share in the same order and
/// with the same rules:
///
/// - `..document`: `guid`, `appType` (1/2/3), `appTime`, `appStatus`, which every head begins
///   with;
/// - `..parties`: the order and who sells it — `orderNo`, `ebpCode`, `ebpName` (the platform),
///   `ebcCode`, `ebcName` (the e-commerce enterprise);
/// - `..waybill`: `logisticsNo`, `logisticsCode`, `logisticsName`;
/// - `..buyer`: `buyerIdType` (1/2), `buyerIdNumber`, `buyerName`, `buyerTelephone`.
macro_rules! group {
    (@fields $decl:tt [$($done:tt)*] ..document, $($rest:tt)*) => {
        $crate::ceb::schema::group!(@fields $decl [$($done)*
            /// The document's own identifier (系统唯一序号), 36 characters.
            guid: String = "guid" $crate::ceb::fields::len(36),
            /// 1 new (新增), 2 change (变更), 3 withdrawal (删除).
            app_type: String = "appType" $crate::ceb::fields::len(1).one_of($crate::ceb::fields::APP_TYPES),
            /// `YYYYMMDDhhmmss`.
            app_time: String = "appTime" $crate::ceb::fields::len(14),
            /// `1` stored (暂存), `2` declared (申报).
            app_status: String = "appStatus" $crate::ceb::fields::s(1, 3),
        ] $($rest)*);
    };
    (@fields $decl:tt [$($done:tt)*] ..parties, $($rest:tt)*) => {
        $crate::ceb::schema::group!(@fields $decl [$($done)*
            order_no: String = "orderNo" $crate::ceb::fields::s(1, 60),
            /// The e-commerce platform (电商平台).
            ebp_code: String = "ebpCode" $crate::ceb::fields::s(1, 18),
            ebp_name: String = "ebpName" $crate::ceb::fields::s(1, 100),
            /// The e-commerce enterprise (电商企业).
            ebc_code: String = "ebcCode" $crate::ceb::fields::s(1, 18),
            ebc_name: String = "ebcName" $crate::ceb::fields::s(1, 100),
        ] $($rest)*);
    };
    (@fields $decl:tt [$($done:tt)*] ..waybill, $($rest:tt)*) => {
        $crate::ceb::schema::group!(@fields $decl [$($done)*
            /// The waybill number (物流运单编号).
            logistics_no: String = "logisticsNo" $crate::ceb::fields::s(1, 60),
            logistics_code: String = "logisticsCode" $crate::ceb::fields::s(1, 18),
            logistics_name: String = "logisticsName" $crate::ceb::fields::s(1, 100),
        ] $($rest)*);
    };
    (@fields $decl:tt [$($done:tt)*] ..buyer, $($rest:tt)*) => {
        $crate::ceb::schema::group!(@fields $decl [$($done)*
            /// 1 resident identity card (身份证), 2 other.
            buyer_id_type: String = "buyerIdType" $crate::ceb::fields::len(1).one_of($crate::ceb::fields::ID_TYPES),
            buyer_id_number: String = "buyerIdNumber" $crate::ceb::fields::s(1, 60),
            buyer_name: String = "buyerName" $crate::ceb::fields::s(1, 60),
            buyer_telephone: String = "buyerTelephone" $crate::ceb::fields::s(1, 30),
        ] $($rest)*);
    };
    (@fields $decl:tt [$($done:tt)*] $(#[$m:meta])* $f:ident: $t:ty = $x:literal $r:expr, $($rest:tt)*) => {
        $crate::ceb::schema::group!(@fields $decl [$($done)* $(#[$m])* $f: $t = $x $r,] $($rest)*);
    };
    (@fields [$($decl:tt)*] [$($done:tt)*]) => {
        $crate::ceb::schema::group!(@emit $($decl)* { $($done)* });
    };
    (
        @emit $(#[$meta:meta])* pub struct $name:ident {
            $( $(#[$fmeta:meta])* $field:ident: $ty:ty = $xml:literal $rule:expr, )+
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq)]
        pub struct $name {
            $( $(#[$fmeta])* pub $field: $ty, )+
        }

        impl $crate::ceb::schema::Group for $name {
            const FIELDS: &'static [$crate::ceb::fields::Field] = &[$(
                $crate::ceb::fields::Field::new(
                    $xml,
                    <$ty as $crate::ceb::schema::Value>::SHAPE,
                    <$ty as $crate::ceb::schema::Value>::REQUIRED,
                    $rule,
                ),
            )+];

            fn read(g: &mut $crate::ceb::fields::Checker<'_>) -> Self {
                $name { $( $field: $crate::ceb::schema::Value::read(g, $xml), )+ }
            }

            fn write(&self, x: &mut $crate::ceb::schema::Writer) {
                $( $crate::ceb::schema::Value::write(&self.$field, $xml, x); )+
            }

            fn text(&self, name: &str) -> Option<&str> {
                match name {
                    $( $xml => $crate::ceb::schema::Value::text(&self.$field), )+
                    _ => None,
                }
            }
        }
    };
    ($(#[$meta:meta])* pub struct $name:ident { $($body:tt)* }) => {
        $crate::ceb::schema::group!(@fields [$(#[$meta])* pub struct $name] [] $($body)*);
    };
}

pub(crate) use group;

/// Writes a CEB message the way senders' clients do: UTF-8, the `ceb:` prefix, one element a
/// line. Text is escaped ([`escape`]).
pub struct Writer(String);

impl Writer {
    pub(crate) fn new(root: &str, guid: &str, version: &str) -> Writer {
        let mut s = String::with_capacity(2048);
        s.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        let _ = writeln!(s, "<ceb:{root} guid=\"{}\" version=\"{}\" xmlns:ceb=\"{NAMESPACE}\">", escape(guid), escape(version));
        Writer(s)
    }

    pub(crate) fn open(&mut self, name: &str) {
        let _ = writeln!(self.0, "<ceb:{name}>");
    }

    pub(crate) fn close(&mut self, name: &str) {
        let _ = writeln!(self.0, "</ceb:{name}>");
    }

    /// `name` holding the group's elements.
    pub(crate) fn group(&mut self, name: &str, group: &impl Group) {
        self.open(name);
        group.write(self);
        self.close(name);
    }

    pub(crate) fn el(&mut self, name: &str, value: &str) {
        let _ = writeln!(self.0, "<ceb:{name}>{}</ceb:{name}>", escape(value));
    }

    pub(crate) fn finish(mut self, root: &str) -> String {
        self.close(root);
        self.0
    }
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
