//! The risk analyst's pages: the criteria in force with each one's hits, selections and
//! detection rate (selections that found a non-conformity), the lane mix over time, the form
//! that adds or changes a criterion (each change publishes a new rule-set version), and the
//! version history.

use super::dashboard::{lane_mix, period};
use super::{step, Step};
use crate::form::Form;
use crate::html;
use crate::i18n::Lang;
use crate::layout::{csrf, lane_tag, page, page_with, redirect};
use crate::markup::{concat, Html};
use crate::session::{Ctx, PageError, Viewer};
use crate::WebState;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use guomen_domain::party::{CreditGrade, Role};
use guomen_domain::risk::Criterion;
use guomen_domain::{Refusal, Rule};
use guomen_store::console::reads::{FiguresFilter, GroupBy};
use guomen_store::RiskCommand;
use guomen_store::Store;
use serde_json::{json, Value};
use std::collections::{BTreeMap, HashMap};

const ANALYST: &[Role] = &[Role::RiskAnalyst];
const READERS: &[Role] = &[Role::RiskAnalyst, Role::Officer];

fn pct(n: i64, d: i64) -> String {
    if d == 0 {
        "—".into()
    } else {
        format!("{:.1}%", 100.0 * n as f64 / d as f64)
    }
}

/// `GET /criteria`
pub async fn criteria(State(s): State<WebState>, ctx: Ctx, Query(q): Query<HashMap<String, String>>) -> Result<Response, PageError> {
    let v = ctx.require(READERS)?;
    let l = ctx.lang;
    let rules = s.store.rules();
    let figures = s.store.criterion_figures(None).await.map_err(|e| ctx.internal(e))?;
    let fig = |id: &str| figures.iter().find(|f| f.criterion == id).cloned().unwrap_or_default();
    let rows = concat(rules.criteria.iter().map(|c| {
        let f = fig(&c.id);
        html!(
            "<tr data-criterion=\"{}\" class=\"{}\"><td class=\"mono\"><a href=\"/criteria/{}\">{}</a></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td data-figure=\"detection\">{}</td></tr>",
            c.id,
            if c.active { "" } else { "inactive" },
            c.id,
            c.id,
            c.description,
            lane_tag(l, c.lane.as_str()),
            format!("{}%", c.rate_percent),
            c.revision,
            f.hits,
            f.selections,
            f.detections,
            pct(f.detections, f.selections)
        )
    }));
    let random = fig(Store::random_selection_name());
    let today = guomen_domain::clearance::cst_day(time::OffsetDateTime::now_utc());
    let (from, to) = period(today, 30);
    let by_day = s
        .store
        .clearance_figures(&FiguresFilter { from: from.to_string(), to: to.to_string(), ..Default::default() }, GroupBy::Day)
        .await
        .map_err(|e| ctx.internal(e))?;
    let labels: Vec<String> = (0..30).map(|i| (from + time::Duration::days(i)).to_string()).collect();
    let per_day: Vec<_> = labels.iter().map(|d| by_day.iter().find(|(k, _)| k == d).map(|(_, f)| f.clone()).unwrap_or_default()).collect();
    let flash = match q.get("msg").map(String::as_str) {
        Some("saved") => crate::layout::notice(l.t("已发布新版本规则集。", "A new rule-set version was published.")),
        Some("retired") => crate::layout::notice(l.t("规则已停用并发布新版本。", "The criterion was retired in a new version.")),
        _ => Html::new(),
    };
    let new_button = if v.role() == Role::RiskAnalyst {
        html!("<a class=\"button\" href=\"/criteria/new\" id=\"new-criterion\">{}</a>", l.t("新增规则", "New criterion"))
    } else {
        Html::new()
    };
    let body = html!(
        "{}<div class=\"title-row\"><h1>{} <small>{}</small></h1>{}</div>\
         <section class=\"panel\"><table class=\"list\" id=\"criteria\"><thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>{}</tbody></table>\
         <p class=\"muted\">{}</p></section><section class=\"panel\">{}</section>",
        flash,
        l.t("布控规则", "Targeting criteria"),
        l.pick(format!("第 {} 版 · 随机抽查 {}%", rules.version, rules.min_random_percent), format!("version {} · random selection {}%", rules.version, rules.min_random_percent)),
        new_button,
        l.t("规则", "Criterion"),
        l.t("说明", "Description"),
        l.t("通道", "Lane"),
        l.t("布控比例", "Rate"),
        l.t("修订", "Revision"),
        l.t("命中", "Hits"),
        l.t("选中", "Selections"),
        l.t("查获", "Detections"),
        l.t("查获率", "Detection rate"),
        rows,
        l.pick(
            format!("随机抽查：选中 {}，查获 {}，查获率 {}。查获率 = 选中后查验发现不合格的占比（查验、实验室或目的地检验）。", random.selections, random.detections, pct(random.detections, random.selections)),
            format!("Random selection: {} selected, {} detections, detection rate {}. Detection rate = share of selections whose check found a non-conformity (inspection, laboratory or destination).", random.selections, random.detections, pct(random.detections, random.selections))
        ),
        lane_mix(l, &labels, &per_day)
    );
    Ok(page(&ctx, l.t("布控规则", "Targeting criteria"), body))
}

/// The form's values, by input name.
type Values = BTreeMap<String, String>;

fn values_of(c: &Criterion) -> Values {
    let w = &c.when;
    let join = |v: Vec<String>| v.join(" ");
    let mut m = Values::new();
    m.insert("id".into(), c.id.clone());
    m.insert("description".into(), c.description.clone());
    m.insert("active".into(), if c.active { "on".into() } else { String::new() });
    m.insert("lane".into(), c.lane.as_str().into());
    m.insert("rate_percent".into(), c.rate_percent.to_string());
    m.insert("lab_sampling".into(), if c.lab_sampling { "on".into() } else { String::new() });
    m.insert("weigh".into(), if c.weigh { "on".into() } else { String::new() });
    m.insert("check_type".into(), serde_json::to_value(c.check_type).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default());
    m.insert("when.ie_flag".into(), w.ie_flag.map(|f| f.as_str().to_owned()).unwrap_or_default());
    m.insert("when.hs_prefixes".into(), join(w.hs_prefixes.clone()));
    m.insert("when.origin_countries".into(), join(w.origin_countries.iter().map(|x| x.to_string()).collect()));
    m.insert("when.trade_countries".into(), join(w.trade_countries.iter().map(|x| x.to_string()).collect()));
    m.insert("when.enterprises".into(), join(w.enterprises.iter().map(|x| x.to_string()).collect()));
    m.insert("when.trade_modes".into(), join(w.trade_modes.clone()));
    for g in &w.credit_grades {
        m.insert(format!("when.credit_grades.{}", g.as_str()), "on".into());
    }
    if let Some(p) = &w.unit_price {
        m.insert("when.unit_price.currency".into(), p.currency.to_string());
        m.insert("when.unit_price.unit".into(), p.unit.as_ref().map(|u| u.to_string()).unwrap_or_default());
        m.insert("when.unit_price.below".into(), p.below.map(|x| x.to_string()).unwrap_or_default());
        m.insert("when.unit_price.above".into(), p.above.map(|x| x.to_string()).unwrap_or_default());
    }
    m.insert(
        "when.on_lists".into(),
        w.on_lists
            .iter()
            .map(|c| {
                format!("{}:{}", c.list, serde_json::to_value(c.field).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default())
            })
            .collect::<Vec<_>>()
            .join(" "),
    );
    m
}

fn words(v: &str) -> Vec<Value> {
    v.split(|c: char| c.is_whitespace() || c == ',' || c == '，').filter(|x| !x.is_empty()).map(|x| Value::String(x.to_owned())).collect()
}

/// The criterion a form describes; a value of the wrong shape is refused with its field path.
fn criterion_from(form: &Form, id: &str) -> Result<Criterion, Refusal> {
    let t = |k: &str| form.text(k);
    let mut when = serde_json::Map::new();
    if !t("when.ie_flag").is_empty() {
        when.insert("ie_flag".into(), json!(t("when.ie_flag")));
    }
    for k in ["hs_prefixes", "origin_countries", "trade_countries", "enterprises", "trade_modes"] {
        let w = words(&t(&format!("when.{k}")));
        if !w.is_empty() {
            when.insert(k.into(), Value::Array(w));
        }
    }
    let grades: Vec<Value> =
        CreditGrade::ALL.iter().filter(|g| form.checked(&format!("when.credit_grades.{}", g.as_str()))).map(|g| json!(g)).collect();
    if !grades.is_empty() {
        when.insert("credit_grades".into(), Value::Array(grades));
    }
    if !t("when.unit_price.currency").is_empty() {
        let mut p = serde_json::Map::new();
        p.insert("currency".into(), json!(t("when.unit_price.currency")));
        for k in ["unit", "below", "above"] {
            let v = t(&format!("when.unit_price.{k}"));
            if !v.is_empty() {
                p.insert(k.into(), json!(v));
            }
        }
        when.insert("unit_price".into(), Value::Object(p));
    }
    let lists: Vec<Value> = words(&t("when.on_lists"))
        .iter()
        .filter_map(|w| w.as_str().and_then(|s| s.split_once(':')).map(|(list, field)| json!({ "list": list, "field": field })))
        .collect();
    if !lists.is_empty() {
        when.insert("on_lists".into(), Value::Array(lists));
    }
    let doc = json!({
        "id": id,
        "description": t("description"),
        "active": form.checked("active"),
        "when": when,
        "lane": t("lane"),
        "rate_percent": t("rate_percent"),
        "lab_sampling": form.checked("lab_sampling"),
        "check_type": if t("check_type").is_empty() { "examination".to_owned() } else { t("check_type") },
        "weigh": form.checked("weigh"),
    });
    guomen_service::json::parse::<Criterion>(&serde_json::to_vec(&doc).expect("json"))
}

/// The input a rule-set error path points at: `criteria[3].when.hs_prefixes[0]` → `when.hs_prefixes`.
fn input_of(path: &str) -> String {
    let p = match path.strip_prefix("criteria[") {
        Some(rest) => rest.split_once("].").map(|(_, f)| f).unwrap_or(rest),
        None => path,
    };
    let mut out = String::new();
    let mut depth = 0;
    for c in p.chars() {
        match c {
            '[' => depth += 1,
            ']' => depth -= 1,
            c if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

/// The labels of the criterion form, by input name, for its refusals.
fn criterion_labels(l: Lang) -> Vec<(&'static str, &'static str)> {
    vec![
        ("id", l.t("规则编号", "Criterion id")),
        ("description", l.t("说明", "Description")),
        ("lane", l.t("通道", "Lane")),
        ("rate_percent", l.t("布控比例 %", "Selection rate %")),
        ("check_type", l.t("查验类型", "Check type")),
        ("when.ie_flag", l.t("进出口", "Direction")),
        ("when.hs_prefixes", l.t("商品编码前缀", "HS prefixes")),
        ("when.origin_countries", l.t("原产国", "Origin countries")),
        ("when.trade_countries", l.t("贸易国", "Trading countries")),
        ("when.enterprises", l.t("企业海关编码", "Enterprises")),
        ("when.trade_modes", l.t("监管方式", "Supervision modes")),
        ("when.credit_grades", l.t("信用等级", "Credit grades")),
        ("when.unit_price", l.t("价格区间", "Price band")),
        ("when.unit_price.currency", l.t("价格区间：币制", "Price band: currency")),
        ("when.unit_price.unit", l.t("计量单位", "Unit")),
        ("when.unit_price.below", l.t("单价低于", "Unit price below")),
        ("when.unit_price.above", l.t("单价高于", "Unit price above")),
        ("when.on_lists", l.t("名单", "Lists")),
        ("reason", l.t("变更原因", "Reason for the change")),
    ]
}

fn form_page(ctx: &Ctx, v: &Viewer, id: Option<&str>, values: &Values, err: Option<&Refusal>, status: StatusCode, extra: Html) -> Response {
    let l = ctx.lang;
    let errs: BTreeMap<String, String> = err
        .map(|r| {
            r.errors.iter().fold(BTreeMap::new(), |mut m, e| {
                m.entry(input_of(&e.path)).and_modify(|s: &mut String| s.push(' ')).or_default().push_str(l.t(&e.zh, &e.en));
                m
            })
        })
        .unwrap_or_default();
    let val = |k: &str| values.get(k).cloned().unwrap_or_default();
    let err_for = |k: &str| html!("<span class=\"err\" data-error-for=\"{}\">{}</span>", k, errs.get(k).cloned().unwrap_or_default());
    let invalid = |k: &str| if errs.contains_key(k) { Html::lit(" aria-invalid=\"true\"") } else { Html::new() };
    let text = |k: &str, zh: &str, en: &str, hint: &str| {
        html!(
            "<div class=\"field\"><label for=\"{}\">{} <small>{}</small></label><input name=\"{}\" id=\"{}\" value=\"{}\"{}>{}</div>",
            k,
            l.t(zh, en),
            hint,
            k,
            k,
            val(k),
            invalid(k),
            err_for(k)
        )
    };
    let check = |k: &str, zh: &str, en: &str| {
        html!(
            "<label class=\"check\"><input type=\"checkbox\" name=\"{}\" id=\"{}\"{}> {}</label>",
            k,
            k,
            if val(k) == "on" { Html::lit(" checked") } else { Html::new() },
            l.t(zh, en)
        )
    };
    let select = |k: &str, zh: &str, en: &str, opts: &[(&str, &str, &str)]| {
        let o = concat(opts.iter().map(|(v, z, e)| {
            html!("<option value=\"{}\"{}>{}</option>", v, if val(k) == *v { Html::lit(" selected") } else { Html::new() }, l.t(z, e))
        }));
        html!(
            "<div class=\"field\"><label for=\"{}\">{}</label><select name=\"{}\" id=\"{}\"{}>{}</select>{}</div>",
            k,
            l.t(zh, en),
            k,
            k,
            invalid(k),
            o,
            err_for(k)
        )
    };
    let id_field = match id {
        Some(id) => {
            html!("<div class=\"field\"><label>{}</label><span class=\"mono\">{}</span></div>", l.t("规则编号", "Criterion id"), id)
        }
        None => text("id", "规则编号", "Criterion id", "A–Z 0–9 - _"),
    };
    let grades = concat(CreditGrade::ALL.iter().map(|g| check(&format!("when.credit_grades.{}", g.as_str()), l.grade(*g), l.grade(*g))));
    let action = match id {
        Some(id) => format!("/criteria/{id}"),
        None => "/criteria/_new".into(),
    };
    let body = html!(
        "<h1>{}</h1>{}<form method=\"post\" action=\"{}\" id=\"criterion-form\" class=\"panel\">{}<div class=\"fields\">{}\
         <div class=\"field wide\"><label for=\"description\">{}</label><textarea name=\"description\" id=\"description\" rows=\"2\">{}</textarea>{}</div>\
         {}{}{}{}</div><div class=\"checks\">{}{}{}</div>\
         <h2>{}</h2><div class=\"fields\">{}{}{}{}{}{}</div><div class=\"checks\"><span>{}</span>{}</div>\
         <div class=\"fields\">{}{}{}{}{}</div>\
         <div class=\"fields\"><div class=\"field wide\"><label for=\"reason\">{}</label><input name=\"reason\" id=\"reason\" value=\"{}\">{}</div></div>\
         <button type=\"submit\" id=\"save-criterion\">{}</button></form>{}",
        match id {
            Some(id) => l.pick(format!("修改规则 {id}"), format!("Change criterion {id}")),
            None => l.t("新增规则", "New criterion").to_owned(),
        },
        err.map(|r| crate::formkit::summary(l, l.t("规则未能发布", "The criterion was not published"), r, &criterion_labels(l), input_of)),
        action,
        csrf(v),
        id_field,
        l.t("说明（仅海关可见）", "Description (customs only)"),
        val("description"),
        err_for("description"),
        select("lane", "通道", "Lane", &[("red", "红色：人工查验", "red: examination"), ("yellow", "黄色：单证审核", "yellow: documents"), ("blue", "蓝色：事后稽查", "blue: post-clearance audit"), ("green", "绿色", "green")]),
        text("rate_percent", "布控比例 %", "Selection rate %", "0–100"),
        select("check_type", "查验类型", "Check type", &[("examination", "查验", "examination"), ("quarantine", "检疫", "quarantine"), ("inspection", "检验", "inspection")]),
        Html::new(),
        check("active", "启用", "Active"),
        check("lab_sampling", "取样送检", "Laboratory sampling"),
        check("weigh", "过磅", "Weigh"),
        l.t("命中条件（均须满足）", "Conditions (all must hold)"),
        select("when.ie_flag", "进出口", "Direction", &[("", "不限", "any"), ("I", "进口", "import"), ("E", "出口", "export")]),
        text("when.hs_prefixes", "商品编码前缀", "HS prefixes", "0810 1209"),
        text("when.origin_countries", "原产国", "Origin countries", "USA NZL"),
        text("when.trade_countries", "贸易国", "Trading countries", "USA"),
        text("when.enterprises", "企业海关编码", "Enterprises", "4401960818"),
        text("when.trade_modes", "监管方式", "Supervision modes", "0110"),
        l.t("信用等级", "Credit grades"),
        grades,
        text("when.unit_price.currency", "价格区间：币制", "Price band: currency", "USD"),
        text("when.unit_price.unit", "计量单位", "Unit", "035"),
        text("when.unit_price.below", "单价低于", "Unit price below", ""),
        text("when.unit_price.above", "单价高于", "Unit price above", ""),
        text("when.on_lists", "名单", "Lists", "list:hs_code"),
        l.t("变更原因（记入版本历史）", "Reason for the change (kept in the history)"),
        val("reason"),
        err_for("reason"),
        l.t("发布新版本", "Publish a new version"),
        extra
    );
    page_with(ctx, status, l.t("布控规则", "Criterion"), body)
}

/// `GET /criteria/new`
pub async fn new_criterion(ctx: Ctx) -> Result<Response, PageError> {
    let v = ctx.require(ANALYST)?;
    let mut values = Values::new();
    values.insert("active".into(), "on".into());
    values.insert("lane".into(), "yellow".into());
    values.insert("check_type".into(), "examination".into());
    Ok(form_page(&ctx, v, None, &values, None, StatusCode::OK, Html::new()))
}

/// `GET /criteria/{id}`
pub async fn edit_criterion(State(s): State<WebState>, ctx: Ctx, Path(id): Path<String>) -> Result<Response, PageError> {
    let v = ctx.require(ANALYST)?;
    let rules = s.store.rules();
    let c = rules.criteria.iter().find(|c| c.id == id).ok_or_else(|| ctx.not_found())?;
    let retire = html!(
        "<form method=\"post\" action=\"/criteria/{}/retire\" class=\"panel\" id=\"retire-form\">{}<label>{}<input name=\"reason\" id=\"retire-reason\"></label><button type=\"submit\" class=\"danger\">{}</button></form>",
        id,
        csrf(v),
        ctx.t("停用原因", "Reason for retiring"),
        ctx.t("停用此规则", "Retire this criterion")
    );
    Ok(form_page(&ctx, v, Some(&id), &values_of(c), None, StatusCode::OK, retire))
}

/// `POST /criteria/{id}` (`_new` for a new one)
pub async fn save_criterion(State(s): State<WebState>, ctx: Ctx, Path(id): Path<String>, form: Form) -> Result<Response, PageError> {
    let v = ctx.require_form(ANALYST, &form)?;
    let is_new = id == "_new";
    let id = if is_new { form.text("id") } else { id };
    let values: Values = form.0.iter().filter(|(k, _)| k != "csrf").cloned().collect();
    let shown_id = (!is_new).then_some(id.as_str());
    let criterion = match criterion_from(&form, &id) {
        Ok(c) => c,
        Err(r) => return Ok(form_page(&ctx, v, shown_id, &values, Some(&r), StatusCode::UNPROCESSABLE_ENTITY, Html::new())),
    };
    if is_new && s.store.rules().criteria.iter().any(|c| c.id == id) {
        let r = Refusal::field("id", Rule::IdTaken, format!("criterion {id} already exists"), format!("规则 {id} 已存在"));
        return Ok(form_page(&ctx, v, shown_id, &values, Some(&r), StatusCode::CONFLICT, Html::new()));
    }
    match step(&ctx, s.store.execute(v.actor().clone(), RiskCommand::PutCriterion { criterion, reason: form.text("reason") }).await)? {
        Step::Done(_) => Ok(redirect("/criteria?msg=saved")),
        Step::Refused(r) => Ok(form_page(&ctx, v, shown_id, &values, Some(&r), StatusCode::UNPROCESSABLE_ENTITY, Html::new())),
    }
}

/// `POST /criteria/{id}/retire`
pub async fn retire_criterion(State(s): State<WebState>, ctx: Ctx, Path(id): Path<String>, form: Form) -> Result<Response, PageError> {
    let v = ctx.require_form(ANALYST, &form)?;
    match step(
        &ctx,
        s.store.execute(v.actor().clone(), RiskCommand::RetireCriterion { id: id.clone(), reason: form.text("reason") }).await,
    )? {
        Step::Done(_) => Ok(redirect("/criteria?msg=retired")),
        Step::Refused(r) => {
            let rules = s.store.rules();
            let c = rules.criteria.iter().find(|c| c.id == id).ok_or_else(|| ctx.not_found())?;
            Ok(form_page(&ctx, v, Some(&id), &values_of(c), Some(&r), StatusCode::UNPROCESSABLE_ENTITY, Html::new()))
        }
    }
}

/// `GET /rules/history`
pub async fn history(State(s): State<WebState>, ctx: Ctx) -> Result<Response, PageError> {
    ctx.require(READERS)?;
    let l: Lang = ctx.lang;
    let versions = s.store.rules_history().await.map_err(|e| ctx.internal(e))?;
    let rows = concat(versions.iter().map(|v| {
        html!(
            "<tr><td>{}</td><td>{}</td><td class=\"mono\">{}</td><td>{}</td><td>{}</td></tr>",
            v.version,
            l.time_ms(v.published_at_ms),
            v.changed.join(", "),
            v.reason,
            v.published_by
        )
    }));
    let body = html!(
        "<h1>{}</h1><section class=\"panel\"><table class=\"list\" id=\"history\"><thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>{}</tbody></table></section>",
        l.t("规则集版本历史", "Rule-set version history"),
        l.t("版本", "Version"),
        l.t("发布时间", "Published"),
        l.t("变更的规则", "Criteria changed"),
        l.t("原因", "Reason"),
        l.t("发布人", "By"),
        rows
    );
    Ok(page(&ctx, l.t("版本历史", "Version history"), body))
}
