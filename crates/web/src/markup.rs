//! A small escaping HTML builder. Text is escaped on the way in; only [`Html`] values, built
//! from string literals and escaped text, pass through unchanged. Pages use the [`html!`] macro,
//! which is `format!` with every argument escaped (or passed as-is when it is already [`Html`]).
//! Arguments must be positional: a test checks that no `html!` literal captures a variable by
//! name, which would bypass the escaping.

use std::fmt::{self, Display, Write};

/// Markup that is safe to send: literal tags and escaped text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Html(String);

impl Html {
    pub fn new() -> Html {
        Html(String::new())
    }

    /// Only for the [`html!`] macro, whose literal is the trusted part and whose arguments were
    /// escaped by [`Esc`].
    #[doc(hidden)]
    pub fn trusted(s: String) -> Html {
        Html(s)
    }

    /// A literal piece of markup.
    pub fn lit(s: &'static str) -> Html {
        Html(s.to_owned())
    }

    pub fn push(&mut self, part: impl Render) {
        part.render_to(&mut self.0);
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_string(self) -> String {
        self.0
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// Something that can go into a page.
pub trait Render {
    fn render_to(&self, out: &mut String);
}

/// Escapes text for element content and quoted attribute values alike.
pub fn escape_into(s: &str, out: &mut String) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
}

pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    escape_into(s, &mut out);
    out
}

impl Render for str {
    fn render_to(&self, out: &mut String) {
        escape_into(self, out);
    }
}

impl Render for String {
    fn render_to(&self, out: &mut String) {
        escape_into(self, out);
    }
}

impl Render for Html {
    fn render_to(&self, out: &mut String) {
        out.push_str(&self.0);
    }
}

impl<T: Render + ?Sized> Render for &T {
    fn render_to(&self, out: &mut String) {
        (**self).render_to(out);
    }
}

impl<T: Render> Render for Option<T> {
    fn render_to(&self, out: &mut String) {
        if let Some(v) = self {
            v.render_to(out);
        }
    }
}

impl Render for Vec<Html> {
    fn render_to(&self, out: &mut String) {
        for h in self {
            out.push_str(&h.0);
        }
    }
}

macro_rules! numbers {
    ($($t:ty),*) => {$(
        impl Render for $t {
            fn render_to(&self, out: &mut String) {
                let _ = write!(out, "{self}");
            }
        }
    )*};
}
numbers!(i32, i64, u32, u64, usize, f64);

/// Formats a value through [`Render`], for `format!`.
pub struct Esc<'a, T: Render + ?Sized>(pub &'a T);

impl<T: Render + ?Sized> Display for Esc<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut s = String::new();
        self.0.render_to(&mut s);
        f.write_str(&s)
    }
}

/// `format!` for markup: the literal is trusted, every argument is escaped unless it is [`Html`].
#[macro_export]
macro_rules! html {
    ($fmt:literal $(, $arg:expr)* $(,)?) => {
        $crate::markup::Html::trusted(format!($fmt $(, $crate::markup::Esc(&$arg))*))
    };
}

/// Joins pieces of markup.
pub fn concat(parts: impl IntoIterator<Item = Html>) -> Html {
    let mut h = Html::new();
    for p in parts {
        h.push(p);
    }
    h
}

#[cfg(test)]
mod tests {

    #[test]
    fn text_is_escaped_markup_is_not() {
        let evil = "<script>alert('x')</script> & \"q\"";
        let inner = crate::html!("<b>{}</b>", "ok");
        let h = crate::html!("<p title=\"{}\">{}{}</p>", evil, evil, inner);
        assert_eq!(
            h.as_str(),
            "<p title=\"&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;\">&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;<b>ok</b></p>"
        );
        assert_eq!(crate::html!("{}", Some(3i64)).as_str(), "3");
        assert_eq!(crate::html!("{}", None::<String>).as_str(), "");
    }

    /// Every `html!` literal in the crate uses positional `{}` only: a named `{x}` would format
    /// a captured variable without escaping it.
    #[test]
    fn no_html_literal_captures_a_variable() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut bad = Vec::new();
        let mut stack = vec![dir];
        while let Some(d) = stack.pop() {
            for e in std::fs::read_dir(&d).unwrap() {
                let p = e.unwrap().path();
                if p.is_dir() {
                    stack.push(p);
                    continue;
                }
                if p.ends_with("markup.rs") {
                    continue; // this test's own source names the macro in strings
                }
                let src = std::fs::read_to_string(&p).unwrap();
                for (i, piece) in src.split("html!(").enumerate().skip(1) {
                    let Some(lit) = piece.trim_start().strip_prefix('"').or_else(|| piece.trim_start().strip_prefix("r#\"")) else {
                        continue;
                    };
                    let end = lit.find("\",").or_else(|| lit.find("\")")).or_else(|| lit.find("\"#")).unwrap_or(lit.len());
                    let lit = &lit[..end];
                    let b = lit.as_bytes();
                    for j in 0..b.len().saturating_sub(1) {
                        if b[j] == b'{' && b[j + 1] != b'}' && b[j + 1] != b'{' && (j == 0 || b[j - 1] != b'{') {
                            bad.push(format!("{}: html! #{i}: {}", p.display(), &lit[..lit.len().min(80)]));
                            break;
                        }
                    }
                }
            }
        }
        assert!(bad.is_empty(), "html! literals with named arguments:\n{}", bad.join("\n"));
    }
}
