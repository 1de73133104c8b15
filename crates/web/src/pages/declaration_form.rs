//! The declaration form: head, items, containers and licences of DOMAIN §2.2, with the
//! GACC element name beside each label. Every input is named by its path in the draft
//! (`head.bill_no`, `items[0].code_ts`), which is also the path validation names in its errors,
//! so an error always lands beside its field — on the server's answer and in live validation.

use crate::form::Form;
use crate::html;
use crate::i18n::Lang;
use crate::markup::{concat, Html};
use guomen_domain::declaration::DeclarationDraft;
use guomen_domain::{FieldError, Refusal};
use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// Values of the form's inputs by path.
pub type Values = BTreeMap<String, String>;
/// Error messages by path.
pub type Errors = BTreeMap<String, Vec<String>>;

enum Kind {
    Text,
    Date,
    Select(&'static [(&'static str, &'static str, &'static str)]),
    /// A text input offered the values of a datalist.
    Listed(&'static str),
}

struct Field {
    name: &'static str,
    /// GACC element name.
    gacc: &'static str,
    zh: &'static str,
    en: &'static str,
    kind: Kind,
    wide: bool,
}

const fn f(name: &'static str, gacc: &'static str, zh: &'static str, en: &'static str, kind: Kind) -> Field {
    Field { name, gacc, zh, en, kind, wide: false }
}

const IE: &[(&str, &str, &str)] = &[("I", "进口", "Import"), ("E", "出口", "Export")];
const MODES: &[(&str, &str, &str)] = &[
    ("standard", "一般申报", "Standard"),
    ("advance", "提前申报", "Advance (before arrival)"),
    ("two-step", "两步申报（概要）", "Two-step (summary)"),
];
const TRAF: &[(&str, &str, &str)] = &[
    ("2", "2 水路运输", "2 Waterway"),
    ("3", "3 铁路运输", "3 Rail"),
    ("4", "4 公路运输", "4 Road"),
    ("5", "5 航空运输", "5 Air"),
    ("6", "6 邮件运输", "6 Post"),
    ("9", "9 其他运输", "9 Other"),
];
const TRANS: &[(&str, &str, &str)] = &[
    ("1", "1 CIF", "1 CIF"),
    ("2", "2 C&F", "2 C&F"),
    ("3", "3 FOB", "3 FOB"),
    ("4", "4 C&I", "4 C&I"),
    ("5", "5 市场价", "5 Market price"),
    ("6", "6 垫仓", "6 Lump sum"),
    ("7", "7 EXW", "7 EXW"),
];
const PRIORITY: &[(&str, &str, &str)] = &[
    ("", "不需要", "None"),
    ("perishable", "鲜活易腐", "Perishable"),
    ("live-animals", "活体动物", "Live animals"),
    ("seeds-in-season", "农时种子", "Seeds in season"),
    ("other", "其他紧急情况", "Other urgent reason"),
];

const HEAD: &[Field] = &[
    f("ie_flag", "IEFlag", "进出口", "Import/export", Kind::Select(IE)),
    f("mode", "—", "申报方式", "Declaration mode", Kind::Select(MODES)),
    f("customs_master", "CustomMaster", "申报地海关", "Customs office", Kind::Text),
    f("ie_port", "IEPort", "进出境关别", "Port of entry/exit", Kind::Text),
    f("ie_date", "IEDate", "进出口日期", "Import/export date", Kind::Date),
    f("trade_code", "TradeCode", "境内收发货人", "Consignee/consignor", Kind::Text),
    f("owner_code", "OwnerCode", "消费使用/生产销售单位", "Owner", Kind::Text),
    f("agent_code", "AgentCode", "申报单位", "Declaring agent", Kind::Text),
    f("traf_mode", "TrafMode", "运输方式", "Transport mode", Kind::Select(TRAF)),
    f("traf_name", "TrafName", "运输工具名称", "Vessel / flight", Kind::Text),
    f("voyage_no", "VoyNo", "航次号", "Voyage", Kind::Text),
    f("bill_no", "BillNo", "提运单号", "Bill of lading", Kind::Text),
    f("manifest_no", "ManifestNo", "舱单号", "Manifest", Kind::Text),
    f("trade_mode", "TradeMode", "监管方式", "Supervision mode", Kind::Listed("trade-modes")),
    f("trade_country", "TradeCountry", "贸易国（地区）", "Trading country", Kind::Listed("countries")),
    f("trans_mode", "TransMode", "成交方式", "Terms of delivery", Kind::Select(TRANS)),
    f("pack_no", "PackNo", "件数", "Packages", Kind::Text),
    f("gross_wt", "GrossWet", "毛重（千克）", "Gross weight (kg)", Kind::Text),
    f("net_wt", "NetWt", "净重（千克）", "Net weight (kg)", Kind::Text),
    f("site_code", "CusFie", "监管场所", "Supervision site", Kind::Listed("sites")),
    f("priority", "—", "优先通关（绿色通道）", "Priority handling", Kind::Select(PRIORITY)),
    f("priority_reason", "—", "优先理由", "Reason for priority", Kind::Text),
    Field { wide: true, ..f("note", "NoteS", "备注", "Remark", Kind::Text) },
];

const ITEM: &[Field] = &[
    f("code_ts", "CodeTS", "商品编码", "Commodity code", Kind::Listed("hs-list")),
    Field { wide: true, ..f("g_name", "GName", "商品名称", "Goods name", Kind::Text) },
    Field { wide: true, ..f("g_model", "GModel", "规格型号", "Specification", Kind::Text) },
    f("g_qty", "GQty", "数量", "Quantity", Kind::Text),
    f("g_unit", "GUnit", "计量单位", "Unit", Kind::Listed("units")),
    f("decl_price", "DeclPrice", "单价", "Unit price", Kind::Text),
    f("decl_total", "DeclTotal", "总价", "Total price", Kind::Text),
    f("trade_curr", "TradeCurr", "币制", "Currency", Kind::Listed("currencies")),
    f("origin_country", "OriginCountry", "原产国（地区）", "Country of origin", Kind::Listed("countries")),
    f("destination_country", "DestinationCountry", "最终目的国（地区）", "Country of destination", Kind::Listed("countries")),
];

const CONTAINER: &[Field] = &[
    f("container_id", "ContainerId", "集装箱号", "Container number", Kind::Text),
    f("container_md", "ContainerMd", "箱型", "Size/type", Kind::Text),
];

const LICENCE: &[Field] = &[
    f("docu_code", "DocuCode", "单证代码", "Document code", Kind::Text),
    f("cert_code", "CertCode", "单证编号", "Document number", Kind::Text),
];

fn input(l: Lang, path: &str, field: &Field, values: &Values, errors: &Errors) -> Html {
    let value = values.get(path).map(String::as_str).unwrap_or("");
    let errs = errors.get(path).map(|v| v.join(" ")).unwrap_or_default();
    let invalid = if errs.is_empty() { Html::new() } else { Html::lit(" aria-invalid=\"true\"") };
    let control = match &field.kind {
        Kind::Text => html!("<input name=\"{}\" id=\"{}\" value=\"{}\"{}>", path, path, value, invalid),
        Kind::Date => html!("<input type=\"date\" name=\"{}\" id=\"{}\" value=\"{}\"{}>", path, path, value, invalid),
        Kind::Listed(list) => {
            let hs = if *list == "hs-list" { Html::lit(" data-hs=\"1\" autocomplete=\"off\"") } else { Html::new() };
            html!("<input name=\"{}\" id=\"{}\" value=\"{}\" list=\"{}\"{}{}>", path, path, value, list, hs, invalid)
        }
        Kind::Select(options) => {
            let opts = concat(options.iter().map(|(v, zh, en)| {
                let sel = if *v == value { Html::lit(" selected") } else { Html::new() };
                html!("<option value=\"{}\"{}>{}</option>", v, sel, l.t(zh, en))
            }));
            html!("<select name=\"{}\" id=\"{}\"{}>{}</select>", path, path, invalid, opts)
        }
    };
    let hs_hint = if matches!(field.kind, Kind::Listed("hs-list")) {
        html!("<span class=\"hint\" data-hs-for=\"{}\"></span>", path)
    } else {
        Html::new()
    };
    html!(
        "<div class=\"field{}\"><label for=\"{}\">{} <small>{}</small></label>{}{}<span class=\"err\" data-error-for=\"{}\">{}</span></div>",
        if field.wide { " wide" } else { "" },
        path,
        l.t(field.zh, field.en),
        field.gacc,
        control,
        hs_hint,
        path,
        errs
    )
}

/// How many rows of a repeated group the values hold (at least `min`).
fn rows(values: &Values, group: &str, min: usize) -> usize {
    let prefix = format!("{group}[");
    let n = values.keys().filter_map(|k| k.strip_prefix(&prefix)?.split(']').next()?.parse::<usize>().ok()).max().map_or(0, |m| m + 1);
    n.max(min)
}

fn group(l: Lang, group: &str, fields: &[Field], values: &Values, errors: &Errors, min: usize, titles: (&str, &str)) -> Html {
    let n = rows(values, group, min);
    let row = |i: usize| {
        let inputs = concat(fields.iter().map(|f| input(l, &format!("{group}[{i}].{}", f.name), f, values, errors)));
        html!(
            "<fieldset class=\"row\" data-row=\"{}\"><legend>{} <span class=\"row-no\">{}</span></legend><div class=\"fields\">{}</div><button type=\"button\" class=\"link remove-row\">{}</button></fieldset>",
            group,
            l.t(titles.0, titles.1),
            i + 1,
            inputs,
            l.t("删除", "Remove")
        )
    };
    // An empty row to clone when the user adds one (scripts renumber it).
    let template_inputs = concat(fields.iter().map(|f| input(l, &format!("{group}[__].{}", f.name), f, &Values::new(), &Errors::new())));
    let template = html!(
        "<template data-template=\"{}\"><fieldset class=\"row\" data-row=\"{}\"><legend>{} <span class=\"row-no\"></span></legend><div class=\"fields\">{}</div><button type=\"button\" class=\"link remove-row\">{}</button></fieldset></template>",
        group,
        group,
        l.t(titles.0, titles.1),
        template_inputs,
        l.t("删除", "Remove")
    );
    let group_errors = errors.get(group).map(|v| v.join(" ")).unwrap_or_default();
    html!(
        "<div class=\"group\" data-group=\"{}\">{}<span class=\"err\" data-error-for=\"{}\">{}</span>{}<button type=\"button\" class=\"add-row\" data-add=\"{}\" id=\"add-{}\">{}</button></div>",
        group,
        concat((0..n).map(row)),
        group,
        group_errors,
        template,
        group,
        group,
        l.t("＋ 添加", "+ Add")
    )
}

fn datalists(l: Lang, sites: &[(String, String)]) -> Html {
    let countries =
        concat(guomen_reference::country::all().iter().map(|c| html!("<option value=\"{}\">{}</option>", c.alpha3, l.t(c.zh, c.en))));
    let currencies =
        concat(guomen_reference::currency::all().iter().map(|c| html!("<option value=\"{}\">{}</option>", c.code, l.t(c.zh, c.en))));
    let units = concat(guomen_reference::unit::all().iter().map(|u| html!("<option value=\"{}\">{}</option>", u.code, l.t(u.zh, u.en))));
    let sites = concat(sites.iter().map(|(code, name)| html!("<option value=\"{}\">{}</option>", code, name)));
    let modes = concat(
        [
            ("0110", "一般贸易", "General trade"),
            ("0214", "来料加工", "Processing with supplied materials"),
            ("0615", "进料对口", "Processing with imported materials"),
            ("1210", "保税电商", "Bonded e-commerce"),
            ("2600", "暂时进出货物", "Temporary admission"),
            ("3010", "货样广告品", "Samples and advertising"),
        ]
        .iter()
        .map(|(c, zh, en)| html!("<option value=\"{}\">{}</option>", c, l.t(zh, en))),
    );
    html!(
        "<datalist id=\"countries\">{}</datalist><datalist id=\"currencies\">{}</datalist><datalist id=\"units\">{}</datalist><datalist id=\"sites\">{}</datalist><datalist id=\"trade-modes\">{}</datalist><datalist id=\"hs-list\"></datalist>",
        countries,
        currencies,
        units,
        sites,
        modes
    )
}

/// The whole form. `general` holds errors whose path has no input (shown at the top).
pub fn render(l: Lang, csrf: Html, values: &Values, errors: &Errors, top: Html, sites: &[(String, String)]) -> Html {
    let head = concat(HEAD.iter().map(|f| input(l, &format!("head.{}", f.name), f, values, errors)));
    let known = |p: &str| {
        p == "items"
            || p == "containers"
            || p == "licences"
            || values.contains_key(p)
            || p.starts_with("head.") && HEAD.iter().any(|f| p == format!("head.{}", f.name))
    };
    let general: Vec<Html> = errors
        .iter()
        .filter(|(p, _)| !known(p) && !p.starts_with("items[") && !p.starts_with("containers[") && !p.starts_with("licences["))
        .map(|(p, m)| html!("<li><code>{}</code> {}</li>", p, m.join(" ")))
        .collect();
    let general = if general.is_empty() { Html::new() } else { html!("<ul class=\"alert error\">{}</ul>", general) };
    html!(
        "{}<form method=\"post\" action=\"/declarations\" id=\"declaration-form\" class=\"declaration\" novalidate>{}\
         <div id=\"form-errors\">{}</div>\
         <section class=\"panel\"><h2>{} <small>DecHead</small></h2><div class=\"fields\">{}</div></section>\
         <section class=\"panel\"><h2>{} <small>DecList</small></h2><p class=\"muted\">{}</p>{}</section>\
         <section class=\"panel\"><h2>{} <small>DecContainer</small></h2>{}</section>\
         <section class=\"panel\"><h2>{} <small>DecLicenseDocu</small></h2><p class=\"muted\">{}</p>{}</section>\
         <div class=\"actions\"><button type=\"submit\" id=\"submit-declaration\">{}</button> <span class=\"muted\" id=\"live-status\" aria-live=\"polite\"></span></div>{}</form>",
        top,
        csrf,
        general,
        l.t("表头", "Head"),
        head,
        l.t("表体（商品）", "Items"),
        l.t("商品编码可输入数字或英文关键词查找（HS 2022）。总价须等于数量 × 单价。", "Find a commodity code by digits or English words (HS 2022). The total must equal quantity × unit price."),
        group(l, "items", ITEM, values, errors, 1, ("商品", "Item")),
        l.t("集装箱", "Containers"),
        group(l, "containers", CONTAINER, values, errors, 0, ("集装箱", "Container")),
        l.t("随附单证", "Licences and permits"),
        l.t("种子、活植物等须填写检疫许可证：单证代码 QP。", "Seeds, live plants and the like need their quarantine permit: document code QP."),
        group(l, "licences", LICENCE, values, errors, 0, ("单证", "Document")),
        l.t("提交申报", "Submit declaration"),
        datalists(l, sites)
    )
}

/// Field errors by path, in the viewer's language.
pub fn errors_of(l: Lang, errors: &[FieldError]) -> Errors {
    let mut m = Errors::new();
    for e in errors {
        m.entry(e.path.clone()).or_default().push(l.t(&e.zh, &e.en).to_owned());
    }
    m
}

/// A draft's values by input path (for showing an uploaded or refused declaration again).
pub fn values_of(draft: &DeclarationDraft) -> Values {
    fn walk(prefix: &str, v: &Value, out: &mut Values) {
        match v {
            Value::Object(m) => {
                for (k, v) in m {
                    let p = if prefix.is_empty() { k.clone() } else { format!("{prefix}.{k}") };
                    walk(&p, v, out);
                }
            }
            Value::Array(a) => {
                for (i, v) in a.iter().enumerate() {
                    walk(&format!("{prefix}[{i}]"), v, out);
                }
            }
            Value::String(s) => {
                out.insert(prefix.to_owned(), s.clone());
            }
            Value::Null => {}
            other => {
                out.insert(prefix.to_owned(), other.to_string());
            }
        }
    }
    let mut out = Values::new();
    walk("", &serde_json::to_value(draft).expect("drafts serialize"), &mut out);
    out.retain(|k, _| !k.ends_with(".g_no"));
    out
}

/// The submitted inputs by path (leaving out the CSRF token and other controls).
pub fn values_from(form: &Form) -> Values {
    form.0
        .iter()
        .filter(|(k, _)| k.starts_with("head.") || k.starts_with("items[") || k.starts_with("containers[") || k.starts_with("licences["))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect()
}

/// Builds the draft a form describes. Rows left wholly blank are dropped and the remaining
/// items numbered 1, 2, …; an input name that is no field of the draft is refused with its path.
pub fn draft_from(values: &Values) -> Result<DeclarationDraft, Refusal> {
    let mut head = Map::new();
    let mut groups: BTreeMap<&str, BTreeMap<usize, Map<String, Value>>> = BTreeMap::new();
    for (path, value) in values {
        let value = value.trim();
        if let Some(field) = path.strip_prefix("head.") {
            if !value.is_empty() {
                head.insert(field.to_owned(), Value::String(value.to_owned()));
            }
            continue;
        }
        let parsed = path.split_once('[').and_then(|(g, rest)| {
            let (i, field) = rest.split_once("].")?;
            Some((g, i.parse::<usize>().ok()?, field))
        });
        let Some((g, i, field)) = parsed else {
            return Err(guomen_service::json::malformed(
                path,
                format!("{path} is not a field of a declaration"),
                format!("{path} 不是报关单字段"),
            ));
        };
        let g = match g {
            "items" => "items",
            "containers" => "containers",
            "licences" => "licences",
            _ => {
                return Err(guomen_service::json::malformed(
                    path,
                    format!("{path} is not a field of a declaration"),
                    format!("{path} 不是报关单字段"),
                ))
            }
        };
        let row = groups.entry(g).or_default().entry(i).or_default();
        if !value.is_empty() {
            row.insert(field.to_owned(), Value::String(value.to_owned()));
        }
    }
    let mut doc = Map::new();
    doc.insert("head".into(), Value::Object(head));
    for g in ["items", "containers", "licences"] {
        let mut rows: Vec<Value> = Vec::new();
        for (_, mut row) in groups.remove(g).unwrap_or_default() {
            if row.is_empty() {
                continue;
            }
            if g == "items" {
                row.insert("g_no".into(), Value::String((rows.len() + 1).to_string()));
            }
            rows.push(Value::Object(row));
        }
        doc.insert(g.into(), Value::Array(rows));
    }
    let bytes = serde_json::to_vec(&Value::Object(doc)).expect("json");
    guomen_service::json::parse::<DeclarationDraft>(&bytes)
}

/// Renumbers the paths of the rows a draft kept, so errors about `items[1]` point at the second
/// non-blank row shown. Blank rows are dropped from the values.
pub fn compact(values: &Values) -> Values {
    let mut out = Values::new();
    for g in ["items", "containers", "licences"] {
        let prefix = format!("{g}[");
        let mut by_row: BTreeMap<usize, Vec<(String, String)>> = BTreeMap::new();
        for (k, v) in values {
            if let Some((i, field)) = k.strip_prefix(&prefix).and_then(|r| r.split_once("].")) {
                if let Ok(i) = i.parse::<usize>() {
                    by_row.entry(i).or_default().push((field.to_owned(), v.clone()));
                }
            }
        }
        let mut n = 0;
        for (_, fields) in by_row {
            if fields.iter().all(|(_, v)| v.trim().is_empty()) {
                continue;
            }
            for (field, v) in fields {
                out.insert(format!("{g}[{n}].{field}"), v);
            }
            n += 1;
        }
    }
    for (k, v) in values {
        if k.starts_with("head.") {
            out.insert(k.clone(), v.clone());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn form_values_become_a_draft_and_back() {
        let mut v = Values::new();
        v.insert("head.bill_no".into(), " BL1 ".into());
        v.insert("head.note".into(), "".into());
        v.insert("items[0].code_ts".into(), "0810500000".into());
        v.insert("items[3].g_name".into(), "kiwi".into());
        v.insert("items[2].g_name".into(), "  ".into());
        v.insert("containers[0].container_id".into(), "".into());
        let d = draft_from(&v).unwrap();
        assert_eq!(d.head.bill_no.as_deref(), Some("BL1"));
        assert_eq!(d.head.note, None);
        assert_eq!(d.items.len(), 2, "the blank row is dropped");
        assert_eq!(d.items[1].g_no.as_deref(), Some("2"));
        assert_eq!(d.items[1].g_name.as_deref(), Some("kiwi"));
        assert!(d.containers.is_empty());
        let back = values_of(&d);
        assert_eq!(back.get("items[1].g_name").map(String::as_str), Some("kiwi"));
        let c = compact(&v);
        assert_eq!(c.get("items[1].g_name").map(String::as_str), Some("kiwi"));
        assert!(!c.contains_key("items[2].g_name"));
    }

    #[test]
    fn unknown_inputs_are_refused_with_their_path() {
        use guomen_domain::{RefusalKind, Rule};
        for name in ["items[0].colour", "colour", "pallets[0].id"] {
            let mut v = Values::new();
            v.insert(name.into(), "red".into());
            let r = draft_from(&v).unwrap_err();
            assert_eq!((r.kind, r.errors[0].rule), (RefusalKind::Malformed, Rule::Malformed), "{name}");
            assert!(r.errors[0].path.contains("colour") || r.errors[0].path.contains("pallets"), "{:?}", r.errors);
        }
    }
}
