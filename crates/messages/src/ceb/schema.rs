//! How a CEB element group (`OrderHead`, `InventoryList`, `InvtCancel`, …) is declared once.
//!
//! ```text
//! group! {
//!     /// `PaymentHead` (支付凭证表头).
//!     pub struct PaymentHead {
//!         guid: String = "guid" len(36),
//!         telephone: Option<String> = "telephone" s(0, 60),
//!         amount_paid: Decimal = "amountPaid" DEC,
//!         …
//!     }
//! }
//! ```
//!
//! Each line names the Rust field, its type, the XML element and the element's [`Rule`]
//! (simple type, fixed value, code list, parameter table), in XSD order. From that one line the
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
//! What a field's type means for each of these is [`Value`], implemented for the five types the
//! CEB messages need: `String`, `Option<String>`, `Decimal`, `Option<Decimal>` and `i32`.

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
/// written and echoed.
pub trait Value: Sized {
    const SHAPE: Shape;
    const REQUIRED: bool;
    fn read(g: &mut Checker<'_>, name: &str) -> Self;
    fn write(&self, name: &str, x: &mut Writer);
    fn text(&self) -> Option<&str>;
}

impl Value for String {
    const SHAPE: Shape = Shape::Text;
    const REQUIRED: bool = true;
    fn read(g: &mut Checker<'_>, name: &str) -> Self {
        g.req(name)
    }
    fn write(&self, name: &str, x: &mut Writer) {
        x.el(name, self);
    }
    fn text(&self) -> Option<&str> {
        Some(self)
    }
}

impl Value for Option<String> {
    const SHAPE: Shape = Shape::Text;
    const REQUIRED: bool = false;
    fn read(g: &mut Checker<'_>, name: &str) -> Self {
        g.opt(name)
    }
    fn write(&self, name: &str, x: &mut Writer) {
        if let Some(v) = self {
            x.el(name, v);
        }
    }
    fn text(&self) -> Option<&str> {
        self.as_deref()
    }
}

impl Value for Decimal {
    const SHAPE: Shape = Shape::Decimal;
    const REQUIRED: bool = true;
    fn read(g: &mut Checker<'_>, name: &str) -> Self {
        g.dec(name)
    }
    fn write(&self, name: &str, x: &mut Writer) {
        x.el(name, &self.normalize().to_string());
    }
    fn text(&self) -> Option<&str> {
        None
    }
}

impl Value for Option<Decimal> {
    const SHAPE: Shape = Shape::Decimal;
    const REQUIRED: bool = false;
    fn read(g: &mut Checker<'_>, name: &str) -> Self {
        g.opt_dec(name)
    }
    fn write(&self, name: &str, x: &mut Writer) {
        if let Some(v) = self {
            v.write(name, x);
        }
    }
    fn text(&self) -> Option<&str> {
        None
    }
}

impl Value for i32 {
    const SHAPE: Shape = Shape::Int;
    const REQUIRED: bool = true;
    fn read(g: &mut Checker<'_>, name: &str) -> Self {
        g.int(name)
    }
    fn write(&self, name: &str, x: &mut Writer) {
        x.el(name, &self.to_string());
    }
    fn text(&self) -> Option<&str> {
        None
    }
}

/// Declares a CEB element group; see the module documentation.
macro_rules! group {
    (
        $(#[$meta:meta])*
        pub struct $name:ident {
            $( $(#[$fmeta:meta])* $field:ident: $ty:ty = $xml:literal $rule:expr ),+ $(,)?
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
