//! `guomen refusals` — the refusal catalogue: every refusal kind and rule code with the HTTP
//! status it is answered with and what it means. `--markdown` writes the page kept as
//! `docs/REFUSALS.md`.

use guomen_domain::{RefusalKind, Rule};
use std::fmt::Write;

/// The catalogue as text: the Markdown page, or one line per kind and per rule.
pub fn text(markdown: bool) -> String {
    if markdown {
        return guomen_domain::error::markdown();
    }
    let mut out = String::from("refusal kinds (the problem's `code`):\n");
    for k in RefusalKind::ALL {
        let _ = writeln!(out, "  {:<28} {}  {} / {}", k.code(), k.http_status(), k.title_en(), k.title_zh());
    }
    let _ = writeln!(out, "\nrule codes (`errors[].rule`), {}:", Rule::ALL.len());
    for r in Rule::ALL {
        let _ = writeln!(out, "  {:<28} {}  {} / {}", r.code(), r.status(), r.en(), r.zh());
    }
    out
}
