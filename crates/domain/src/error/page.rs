//! The refusal catalogue as a Markdown page: `docs/REFUSALS.md` is this text, written by
//! `guomen refusals --markdown`, and a test fails when the page and the catalogue differ.

use super::{FieldError, Refusal, RefusalKind, Rule};
use std::fmt::Write;

/// Every refusal kind and every rule code with its status and meaning, in English and Chinese.
pub fn markdown() -> String {
    let mut out = String::new();
    out.push_str(
        "<!-- Generated from the refusal catalogue (crates/domain/src/error.rs, crates/domain/src/error/rules.rs)\n     \
         by `guomen refusals --markdown > docs/REFUSALS.md`. Do not edit by hand. -->\n\n",
    );
    out.push_str("# Refusals 拒绝\n\n");
    out.push_str(
        "Every refusal is an RFC 9457 problem document (`application/problem+json`) in English and\n\
         Chinese, and a refusal changes nothing. Its `code` is the refusal's kind; each entry of\n\
         `errors` names the field (`path`, empty when the refusal is about the whole request), the\n\
         rule it broke (`rule`) and what is wrong with it (`message`, `message_zh`). Kinds and rule\n\
         codes are stable: match on them, not on the messages.\n\n\
         每个拒绝都是中英文的 RFC 9457 问题文档（`application/problem+json`），拒绝不改变任何数据。\n\
         `code` 为拒绝类型；`errors` 的每一项给出字段路径（`path`，针对整个请求时为空）、违反的规则\n\
         （`rule`）及具体说明（`message`、`message_zh`）。类型和规则代码保持稳定，请据此判断，而不要依据说明文字。\n\n",
    );
    let _ = write!(out, "```json\n{}\n```\n\n", example());
    out.push_str("## Refusal kinds 拒绝类型\n\n");
    out.push_str("The problem's `code` and `status`. 问题文档的 `code` 与 `status`。\n\n");
    out.push_str("| code | status | meaning | 含义 |\n|---|---|---|---|\n");
    for k in RefusalKind::ALL {
        let _ = writeln!(out, "| `{}` | {} | {} | {} |", k.code(), k.http_status(), text(k.title_en()), text(k.title_zh()));
    }
    out.push_str(
        "\nAn answer that is not a refusal has `code` `internal` (500, nothing was acknowledged) or\n\
         `unavailable` (503, the server is stopping). The evidence download answers `evidence_missing`\n\
         (410) and `evidence_tampered` (409) with the rule as the problem's `code`.\n\n\
         不属于拒绝的应答，`code` 为 `internal`（500，未作任何受理）或 `unavailable`（503，服务正在停止）。\n\
         影像资料下载以规则代码作为 `code` 应答 `evidence_missing`（410）和 `evidence_tampered`（409）。\n\n",
    );
    out.push_str("## Rule codes 规则代码\n\n");
    let _ = writeln!(
        out,
        "The `rule` of each entry of `errors`: {} codes. The status is that of the refusal the rule is answered in.\n\
         `errors[].rule` 的取值，共 {} 个。状态码为含有该规则的拒绝所用的 HTTP 状态码。\n",
        Rule::ALL.len(),
        Rule::ALL.len()
    );
    let mut area = None;
    for r in Rule::ALL {
        if area != Some(r.area()) {
            area = Some(r.area());
            let _ = write!(out, "### {} {}\n\n| rule | status | meaning | 含义 |\n|---|---|---|---|\n", r.area().0, r.area().1);
        }
        let _ = writeln!(out, "| `{}` | {} | {} | {} |", r.code(), r.status(), text(r.en()), text(r.zh()));
        if Rule::ALL.iter().skip_while(|x| *x != r).nth(1).is_none_or(|next| next.area() != r.area()) {
            out.push('\n');
        }
    }
    out.truncate(out.trim_end().len());
    out.push('\n');
    out
}

/// The problem document of a real refusal: an unknown commodity code.
fn example() -> String {
    let e = crate::types::HsCode::parse("9999990000").err().map(|e| FieldError::new("items[0].code_ts", e.rule, e.en, e.zh));
    let r = Refusal::validation(e.into_iter().collect());
    let q = |s: &str| serde_json::to_string(s).unwrap_or_default();
    let errors: Vec<String> = r
        .errors
        .iter()
        .map(|e| {
            format!(
                "    {{\n      \"path\": {},\n      \"rule\": {},\n      \"message\": {},\n      \"message_zh\": {}\n    }}",
                q(&e.path),
                q(e.rule.code()),
                q(&e.en),
                q(&e.zh)
            )
        })
        .collect();
    format!(
        "{{\n  \"type\": {},\n  \"title\": {},\n  \"title_zh\": {},\n  \"status\": {},\n  \"code\": {},\n  \"detail\": {},\n  \"detail_zh\": {},\n  \"errors\": [\n{}\n  ]\n}}",
        q(&format!("https://guomen.dev/problems/{}", r.kind.code())),
        q(r.kind.title_en()),
        q(r.kind.title_zh()),
        r.kind.http_status(),
        q(r.kind.code()),
        q(&r.detail_en),
        q(&r.detail_zh),
        errors.join(",\n")
    )
}

/// A description as the text of a table cell: Markdown's special characters escaped.
fn text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(c, '\\' | '|' | '*' | '_' | '<' | '`') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The page in the repository is the catalogue written out: after a change to the list,
    /// `guomen refusals --markdown > docs/REFUSALS.md` brings it up to date.
    #[test]
    fn docs_refusals_md_is_the_catalogue() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/REFUSALS.md");
        let page = std::fs::read_to_string(&path).unwrap_or_default();
        let want = markdown();
        if page != want {
            let line = page.lines().zip(want.lines()).position(|(a, b)| a != b).unwrap_or(page.lines().count().min(want.lines().count()));
            panic!(
                "docs/REFUSALS.md differs from the refusal catalogue from line {}; run `cargo run -p guomen -- refusals --markdown > docs/REFUSALS.md`",
                line + 1
            );
        }
    }

    #[test]
    fn the_page_lists_every_kind_and_rule_once() {
        let page = markdown();
        for k in RefusalKind::ALL {
            assert_eq!(page.matches(&format!("| `{}` | {} |", k.code(), k.http_status())).count(), 1, "{k:?}");
        }
        for r in Rule::ALL {
            assert_eq!(page.matches(&format!("| `{}` | {} |", r.code(), r.status())).count(), 1, "{r}");
        }
        assert_eq!(text("'/', '\\' or a_b|c"), "'/', '\\\\' or a\\_b\\|c");
    }
}
