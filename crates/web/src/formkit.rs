//! Form refusals as a person reads them: a title that names the form that was not accepted,
//! each error under its field's label (never a raw path such as `criteria[4].rate_percent`),
//! and the field itself marked — `aria-invalid`, a red border and the message beside it — as the
//! declaration form does. Pages describe their fields once, as `(input name, label)` pairs, and
//! say how a refusal's path maps onto an input name.

use crate::html;
use crate::i18n::Lang;
use crate::markup::{concat, Html};
use guomen_domain::Refusal;
use std::collections::BTreeMap;

/// The messages of a refusal by input name, in the viewer's language.
#[derive(Debug, Clone, Default)]
pub struct FieldErrors {
    by: BTreeMap<String, Vec<String>>,
    /// Put before every element id, where one page has several forms with the same inputs.
    prefix: String,
}

impl FieldErrors {
    pub fn none() -> FieldErrors {
        FieldErrors::default()
    }

    /// The refusal's field errors, each filed under the input `input_of` maps its path to.
    pub fn of(l: Lang, r: Option<&Refusal>, input_of: impl Fn(&str) -> String) -> FieldErrors {
        let mut by: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for e in r.map(|r| r.errors.as_slice()).unwrap_or_default() {
            by.entry(input_of(&e.path)).or_default().push(l.t(&e.zh, &e.en).to_owned());
        }
        FieldErrors { by, prefix: String::new() }
    }

    /// The same errors, the form's element ids starting with `prefix` (`release-` → `release-note`).
    pub fn prefixed(mut self, prefix: &str) -> FieldErrors {
        self.prefix = prefix.to_owned();
        self
    }

    /// The element id of an input.
    pub fn id(&self, name: &str) -> String {
        format!("{}{}", self.prefix, dom_id(name))
    }

    /// The messages for one input, joined.
    pub fn message(&self, name: &str) -> String {
        self.by.get(name).map(|m| m.join(" ")).unwrap_or_default()
    }

    /// `aria-invalid` and `aria-describedby` for a control whose input has an error.
    pub fn attrs(&self, name: &str) -> Html {
        if self.by.contains_key(name) {
            html!(" aria-invalid=\"true\" aria-describedby=\"err-{}\"", self.id(name))
        } else {
            Html::new()
        }
    }

    /// The message slot beside a control.
    pub fn slot(&self, name: &str) -> Html {
        html!("<span class=\"err\" id=\"err-{}\" data-error-for=\"{}\">{}</span>", self.id(name), name, self.message(name))
    }

    /// A labelled text input with its error: `<label>` text, the input, the message.
    pub fn input(&self, name: &str, label: &str, value: &str) -> Html {
        self.input_typed(name, label, value, "text", Html::new())
    }

    /// Like [`FieldErrors::input`], with an input type and extra attributes (literal markup).
    pub fn input_typed(&self, name: &str, label: &str, value: &str, kind: &str, extra: Html) -> Html {
        html!(
            "<label for=\"{}\">{}<input type=\"{}\" name=\"{}\" id=\"{}\" value=\"{}\"{}{}>{}</label>",
            self.id(name),
            label,
            kind,
            name,
            self.id(name),
            value,
            self.attrs(name),
            extra,
            self.slot(name)
        )
    }

    /// A labelled select with its error; `options` are (value, text).
    pub fn select(&self, name: &str, label: &str, options: &[(String, String)], chosen: &str) -> Html {
        let opts = concat(options.iter().map(|(v, t)| {
            html!("<option value=\"{}\"{}>{}</option>", v, if v == chosen { Html::lit(" selected") } else { Html::new() }, t)
        }));
        html!(
            "<label for=\"{}\">{}<select name=\"{}\" id=\"{}\"{}>{}</select>{}</label>",
            self.id(name),
            label,
            name,
            self.id(name),
            self.attrs(name),
            opts,
            self.slot(name)
        )
    }
}

/// An id attribute for an input name (`when.hs_prefixes` stays as it is; brackets go).
pub fn dom_id(name: &str) -> String {
    name.chars().map(|c| if c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.' { c } else { '-' }).collect()
}

/// The box at the top of a form that was not accepted: `title` says which form, then what was
/// wrong, each field error under its label (`labels`: input name → label; `input_of` maps a
/// refusal's path onto an input name). Errors of fields the form does not show keep their
/// message, without the path.
pub fn summary(l: Lang, title: &str, r: &Refusal, labels: &[(&str, &str)], input_of: impl Fn(&str) -> String) -> Html {
    let label_of = |name: &str| labels.iter().find(|(n, _)| *n == name).map(|(_, lab)| *lab);
    let items = concat(r.errors.iter().map(|e| {
        let name = input_of(&e.path);
        match label_of(&name) {
            Some(label) => html!("<li><b data-field=\"{}\">{}</b>{}{}</li>", name, label, l.t("：", ": "), l.t(&e.zh, &e.en)),
            None => html!("<li>{}</li>", l.t(&e.zh, &e.en)),
        }
    }));
    // A field-by-field refusal says how many fields; any other says why (a state, a rule).
    let detail = if r.errors.is_empty() || r.kind != guomen_domain::RefusalKind::Validation {
        html!(" {}", l.t(&r.detail_zh, &r.detail_en))
    } else {
        Html::new()
    };
    html!(
        "<div class=\"alert error\" role=\"alert\" id=\"refusal\"><strong>{}</strong>{}{}</div>",
        title,
        detail,
        if r.errors.is_empty() { Html::new() } else { html!("<ul>{}</ul>", items) }
    )
}

/// The input a path names when the form's inputs are named as the paths are.
pub fn same(path: &str) -> String {
    path.to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use guomen_domain::{FieldError, Rule};

    #[test]
    fn a_refusal_is_titled_by_its_form_and_speaks_of_labels_not_paths() {
        let r = Refusal::validation(vec![
            FieldError::new("site_name", Rule::Required, "required", "必填"),
            FieldError::new("elsewhere", Rule::Required, "missing", "缺少"),
        ]);
        let h = summary(Lang::Zh, "集装箱到位未能反馈", &r, &[("site_name", "查验场地名称")], same);
        let s = h.as_str();
        assert!(s.contains("集装箱到位未能反馈") && s.contains("查验场地名称") && s.contains("必填") && s.contains("缺少"), "{s}");
        assert!(!s.contains(">site_name<") && !s.contains("申报内容不符合规则"), "{s}");
        let e = FieldErrors::of(Lang::En, Some(&r), same);
        assert!(e.input("site_name", "Site", "").as_str().contains("aria-invalid=\"true\""));
        assert!(!e.input("slot_code", "Slot", "").as_str().contains("aria-invalid"));
    }
}
