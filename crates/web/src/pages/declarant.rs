//! The trader's pages: the list of its declarations, the declaration form with live validation
//! and HS look-up, filing from the form, and upload of a DecMessage XML file.

use super::declaration_form::{self as df, Errors, Values};
use super::{api_step, enterprise_name, param, step, Step};
use crate::form::{boundary, multipart, Form, MAX_FORM};
use crate::html;
use crate::layout::{csrf, lane_tag, page, page_with, redirect, refusal, status_tag};
use crate::markup::{concat, Html};
use crate::session::{same_secret, Ctx, Denied, PageError, Viewer};
use crate::WebState;
use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use guomen_domain::party::Role;
use guomen_domain::Refusal;
use guomen_store::DeclarationCommand;
use guomen_store::{DeclarationFilter, Outcome};
use serde_json::json;
use std::collections::HashMap;

const DECLARANT: &[Role] = &[Role::Declarant];

/// The supervision sites the form offers: (code, terminal name).
fn sites(s: &WebState, l: crate::Lang) -> Vec<(String, String)> {
    let codes: Vec<(String, String)> = {
        let dir = s.store.directory().read().expect("directory lock");
        dir.sites.iter().map(|(site, t)| (site.clone(), t.to_string())).collect()
    };
    let mut v: Vec<(String, String)> = codes.into_iter().map(|(site, t)| (site, enterprise_name(s, l, &t))).collect();
    v.sort();
    v
}

/// The search of a declaration list, from its query: number or bill, status, lane, filing
/// dates (China Standard Time) and, for officers, the consignee/consignor.
struct Search {
    q: Option<String>,
    status: Option<String>,
    lane: Option<String>,
    from: Option<time::Date>,
    to: Option<time::Date>,
    enterprise: Option<String>,
}

fn date(q: &HashMap<String, String>, k: &str) -> Option<time::Date> {
    param(q, k).and_then(|d| time::Date::parse(&d, time::macros::format_description!("[year]-[month]-[day]")).ok())
}

/// Midnight at the start of a customs day (CST), in milliseconds.
fn day_start_ms(d: time::Date) -> i64 {
    let t = time::PrimitiveDateTime::new(d, time::Time::MIDNIGHT).assume_offset(guomen_domain::clearance::CST);
    (t.unix_timestamp_nanos() / 1_000_000) as i64
}

impl Search {
    fn of(q: &HashMap<String, String>, officer: bool) -> Search {
        let statuses: Vec<&str> = guomen_domain::declaration::Status::ALL.iter().map(|s| s.as_str()).collect();
        Search {
            q: param(q, "q"),
            status: param(q, "status").filter(|s| statuses.contains(&s.as_str())),
            lane: param(q, "lane").filter(|x| ["red", "yellow", "blue", "green"].contains(&x.as_str())),
            from: date(q, "from"),
            to: date(q, "to"),
            enterprise: param(q, "enterprise").filter(|_| officer),
        }
    }

    fn any(&self) -> bool {
        self.q.is_some()
            || self.status.is_some()
            || self.lane.is_some()
            || self.from.is_some()
            || self.to.is_some()
            || self.enterprise.is_some()
    }

    fn filter(&self, party: Option<String>, before: Option<(i64, String)>, limit: i64) -> DeclarationFilter {
        let (id, bill_no) = match &self.q {
            Some(q) if q.len() == 18 && q.bytes().all(|b| b.is_ascii_digit()) => (Some(q.clone()), None),
            Some(q) => (None, Some(q.clone())),
            None => (None, None),
        };
        DeclarationFilter {
            party,
            status: self.status.clone(),
            lane: self.lane.clone(),
            id,
            bill_no,
            trade_code: self.enterprise.clone(),
            filed_from_ms: self.from.map(day_start_ms),
            filed_to_ms: self.to.map(|d| day_start_ms(d + time::Duration::days(1))),
            before,
            limit,
            ..Default::default()
        }
    }

    /// The query string of this search (without paging), `&`-joined, for links.
    fn query(&self) -> String {
        let mut ser = form_urlencoded::Serializer::new(String::new());
        for (k, v) in [
            ("q", self.q.clone()),
            ("status", self.status.clone()),
            ("lane", self.lane.clone()),
            ("from", self.from.map(|d| d.to_string())),
            ("to", self.to.map(|d| d.to_string())),
            ("enterprise", self.enterprise.clone()),
        ] {
            if let Some(v) = v {
                ser.append_pair(k, &v);
            }
        }
        ser.finish()
    }

    fn form(&self, l: crate::Lang, officer: bool) -> Html {
        let opt = |v: &str, label: &str, current: &Option<String>| {
            html!(
                "<option value=\"{}\"{}>{}</option>",
                v,
                if current.as_deref() == Some(v) { Html::lit(" selected") } else { Html::new() },
                label
            )
        };
        let statuses = concat(guomen_domain::declaration::Status::ALL.iter().map(|s| opt(s.as_str(), l.status(s.as_str()), &self.status)));
        let lanes = concat(["red", "yellow", "blue", "green"].iter().map(|x| opt(x, l.lane(x), &self.lane)));
        let enterprise = if officer {
            html!(
                "<label for=\"f-enterprise\">{}<input name=\"enterprise\" id=\"f-enterprise\" value=\"{}\" inputmode=\"numeric\" maxlength=\"10\"></label>",
                l.t("收发货人海关编码", "Consignee/consignor code"),
                self.enterprise.clone().unwrap_or_default()
            )
        } else {
            Html::new()
        };
        let q = self.query();
        let sep = if q.is_empty() { "" } else { "&" };
        html!(
            "<form method=\"get\" action=\"/declarations\" class=\"filters\" id=\"declaration-search\" role=\"search\">\
             <label for=\"f-q\">{}<input name=\"q\" id=\"f-q\" value=\"{}\"></label>{}\
             <label for=\"f-status\">{}<select name=\"status\" id=\"f-status\"><option value=\"\">{}</option>{}</select></label>\
             <label for=\"f-lane\">{}<select name=\"lane\" id=\"f-lane\"><option value=\"\">{}</option>{}</select></label>\
             <label for=\"f-from\">{}<input type=\"date\" name=\"from\" id=\"f-from\" value=\"{}\"></label>\
             <label for=\"f-to\">{}<input type=\"date\" name=\"to\" id=\"f-to\" value=\"{}\"></label>\
             <button type=\"submit\" id=\"search\">{}</button>\
             <span class=\"exports\"><a class=\"button secondary\" href=\"/declarations?{}{}format=csv\" id=\"export-csv\" download>{}</a> \
             <a class=\"button secondary\" href=\"/declarations?{}{}format=xlsx\" id=\"export-xlsx\" download>{}</a></span></form>",
            l.t("报关单号或提运单号", "Declaration or bill no."),
            self.q.clone().unwrap_or_default(),
            enterprise,
            l.t("状态", "Status"),
            l.t("全部", "All"),
            statuses,
            l.t("通道", "Lane"),
            l.t("全部", "All"),
            lanes,
            l.t("申报日期自", "Filed from"),
            self.from.map(|d| d.to_string()).unwrap_or_default(),
            l.t("至", "to"),
            self.to.map(|d| d.to_string()).unwrap_or_default(),
            l.t("查询", "Search"),
            q.clone(),
            sep,
            l.t("导出 CSV", "Export CSV"),
            q,
            sep,
            l.t("导出 Excel", "Export Excel")
        )
    }
}

/// What is overdue on a declaration of a list: its complete declaration (two-step) or its
/// disposition order, past the due date and not done.
pub fn overdue(l: crate::Lang, r: &guomen_store::DeclarationSummary, today: &str) -> Option<&'static str> {
    if r.completion_due.as_deref().is_some_and(|d| d < today) && r.completed_at_ms.is_none() {
        return Some(l.t("完整申报逾期", "complete declaration overdue"));
    }
    if r.disposition_deadline.as_deref().is_some_and(|d| d < today) {
        return Some(l.t("处置逾期", "disposition overdue"));
    }
    None
}

/// Who reads declaration lists: a trader its own, an officer every one.
const LIST_READERS: &[Role] = &[Role::Declarant, Role::Officer];

/// `GET /declarations?q=&status=&lane=&from=&to=&enterprise=&before=&format=` — declarations,
/// newest first, a page at a time: a trader's own, or for an officer any; `format=csv|xlsx`
/// downloads every row of the search (up to 10,000).
pub async fn list(State(s): State<WebState>, ctx: Ctx, Query(q): Query<HashMap<String, String>>) -> Result<Response, PageError> {
    let v = ctx.require(LIST_READERS)?;
    let l = ctx.lang;
    let officer = v.role() == Role::Officer;
    let me = match officer {
        true => None,
        false => Some(v.enterprise().ok_or_else(|| ctx.deny(Denied::Forbidden))?.to_string()),
    };
    let search = Search::of(&q, officer);
    let today = guomen_domain::clearance::cst_day(time::OffsetDateTime::now_utc()).to_string();
    if let Some(format) = param(&q, "format").filter(|f| f == "csv" || f == "xlsx") {
        let mut rows = Vec::new();
        let mut before = None;
        loop {
            let page = s.store.declarations(&search.filter(me.clone(), before.clone(), 500)).await.map_err(|e| ctx.internal(e))?;
            let full = page.len() == 500;
            before = page.last().map(|r| (r.filed_at_ms, r.id.clone()));
            rows.extend(page);
            if !full || rows.len() >= 10_000 {
                break;
            }
        }
        let table = crate::export::Table {
            name: l.t("报关单", "Declarations").to_owned(),
            header: [
                l.t("报关单号", "Declaration no."),
                l.t("进出口", "Direction"),
                l.t("收发货人", "Consignee/consignor"),
                l.t("提运单号", "Bill of lading"),
                l.t("申报方式", "Mode"),
                l.t("关区", "Customs office"),
                l.t("通道", "Lane"),
                l.t("状态", "Status"),
                l.t("逾期", "Overdue"),
                l.t("申报时间", "Filed"),
            ]
            .iter()
            .map(|x| x.to_string())
            .collect(),
            rows: rows
                .iter()
                .map(|r| {
                    vec![
                        r.id.clone(),
                        l.direction(&r.ie_flag).to_owned(),
                        r.trade_code.clone(),
                        r.bill_no.clone(),
                        l.mode(&r.mode).to_owned(),
                        r.customs_master.clone(),
                        l.lane(&r.lane).to_owned(),
                        l.status(&r.status).to_owned(),
                        overdue(l, r, &today).unwrap_or("").to_owned(),
                        l.time_ms(r.filed_at_ms),
                    ]
                })
                .collect(),
        };
        return Ok(crate::export::download(&table, "declarations", &format));
    }
    let before = param(&q, "before").and_then(|c| c.split_once('.').and_then(|(ms, id)| Some((ms.parse::<i64>().ok()?, id.to_owned()))));
    let limit = 50;
    let rows = s.store.declarations(&search.filter(me.clone(), before, limit)).await.map_err(|e| ctx.internal(e))?;
    let next = (rows.len() as i64 == limit).then(|| rows.last().map(|r| format!("{}.{}", r.filed_at_ms, r.id))).flatten();
    let body_rows = concat(rows.iter().map(|r| {
        let late = overdue(l, r, &today);
        html!(
            "<tr data-id=\"{}\"{}><td><a href=\"/declarations/{}\">{}</a></td><td>{}</td>{}<td>{}</td><td>{}</td><td>{}</td><td>{} {}</td><td>{}</td></tr>",
            r.id,
            if late.is_some() { Html::lit(" class=\"overdue\"") } else { Html::new() },
            r.id,
            r.id,
            l.direction(&r.ie_flag),
            if officer { html!("<td>{}<br><small>{}</small></td>", enterprise_name(&s, l, &r.trade_code), r.trade_code) } else { Html::new() },
            r.bill_no,
            l.mode(&r.mode),
            lane_tag(l, &r.lane),
            status_tag(l, &r.status),
            late.map(|t| html!("<span class=\"status status-overdue\" data-overdue>{}</span>", t)),
            l.time_ms(r.filed_at_ms)
        )
    }));
    let more = match next {
        Some(c) => {
            let sq = search.query();
            html!(
                "<p><a class=\"button secondary\" href=\"/declarations?{}{}before={}\" id=\"next-page\">{}</a></p>",
                sq.clone(),
                if sq.is_empty() { "" } else { "&" },
                c,
                l.t("更早的报关单", "Older declarations")
            )
        }
        None => Html::new(),
    };
    let flash = match param(&q, "msg").as_deref() {
        Some("filed") => crate::layout::notice(l.t("申报已接受。", "Declaration accepted.")),
        _ => Html::new(),
    };
    let empty = match (rows.is_empty(), search.any()) {
        (false, _) => Html::new(),
        (true, true) => html!(
            "<p class=\"empty\" id=\"no-hits\">{} <a href=\"/declarations\">{}</a></p>",
            l.t("没有符合筛选条件的报关单。", "No declaration matches this search."),
            l.t("清除筛选", "Clear the search")
        ),
        (true, false) if officer => html!("<p class=\"empty\" id=\"none-yet\">{}</p>", l.t("还没有报关单。", "No declarations yet.")),
        (true, false) => html!(
            "<p class=\"empty\" id=\"none-yet\">{} <a href=\"/declarations/new\">{}</a></p>",
            l.t("还没有报关单。", "No declarations yet."),
            l.t("新建申报", "File one")
        ),
    };
    let (title, top) = match &me {
        Some(me) => (
            l.t("我的报关单", "My declarations"),
            html!(
                "<div class=\"title-row\"><h1>{}</h1><a class=\"button\" href=\"/declarations/new\" id=\"new-declaration\">{}</a></div><p class=\"muted\">{} {}</p>",
                l.t("我的报关单", "My declarations"),
                l.t("新建申报", "New declaration"),
                enterprise_name(&s, l, me),
                me.clone()
            ),
        ),
        None => (l.t("报关单查询", "Declarations"), html!("<h1>{}</h1>", l.t("报关单查询", "Declarations"))),
    };
    let body = html!(
        "{}{}{}\
         <table class=\"list\" id=\"declarations\"><thead><tr><th>{}</th><th>{}</th>{}<th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>{}</tbody></table>{}{}",
        flash,
        top,
        search.form(l, officer),
        l.t("报关单号", "Declaration no."),
        l.t("进出口", "Direction"),
        if officer { html!("<th>{}</th>", l.t("收发货人", "Consignee/consignor")) } else { Html::new() },
        l.t("提运单号", "Bill of lading"),
        l.t("申报方式", "Mode"),
        l.t("通道", "Lane"),
        l.t("状态", "Status"),
        l.t("申报时间", "Filed"),
        body_rows,
        empty,
        more
    );
    Ok(page(&ctx, title, body))
}

fn upload_box(ctx: &Ctx, v: &Viewer) -> Html {
    html!(
        "<details class=\"panel upload\"><summary>{}</summary><form method=\"post\" action=\"/declarations/upload\" enctype=\"multipart/form-data\" id=\"upload-form\">{}\
         <label>{}<input type=\"file\" name=\"file\" accept=\".xml,application/xml,text/xml\" required></label> <button type=\"submit\">{}</button></form>\
         <p class=\"muted\">{}</p></details>",
        ctx.t("上传 DecMessage XML 报文", "Upload a DecMessage XML file"),
        csrf(v),
        ctx.t("报文文件", "Message file"),
        ctx.t("上传并申报", "Upload and file"),
        ctx.t("海关总署 2018 年第 67 号公告格式；报文与表单经过同样的校验，错误会显示在对应字段旁。", "GACC Announcement 2018 No. 67; the file is checked exactly as the form is, and errors show beside their fields.")
    )
}

fn form_page(s: &WebState, ctx: &Ctx, v: &Viewer, status: StatusCode, values: &Values, errors: &Errors, top: Html) -> Response {
    let l = ctx.lang;
    let form = df::render(l, csrf(v), values, errors, top, &sites(s, l));
    let body = html!("<h1>{}</h1>{}{}", l.t("新建申报", "New declaration"), upload_box(ctx, v), form);
    page_with(ctx, status, l.t("新建申报", "New declaration"), body)
}

/// `GET /declarations/new`
pub async fn new_form(State(s): State<WebState>, ctx: Ctx) -> Result<Response, PageError> {
    let v = ctx.require(DECLARANT)?;
    let mut values = Values::new();
    values.insert("head.ie_flag".into(), "I".into());
    values.insert("head.trade_code".into(), v.enterprise().map(|e| e.to_string()).unwrap_or_default());
    values.insert("head.trans_mode".into(), "1".into());
    values.insert("head.trade_mode".into(), "0110".into());
    values.insert("items[0].destination_country".into(), "CHN".into());
    Ok(form_page(&s, &ctx, v, StatusCode::OK, &values, &Errors::new(), Html::new()))
}

/// Validates and files; the answer is the new record or the refusal to show beside the fields.
async fn file_draft(
    s: &WebState,
    ctx: &Ctx,
    v: &Viewer,
    draft: &guomen_domain::declaration::DeclarationDraft,
) -> Result<Step<String>, PageError> {
    let content = match api_step(ctx, guomen_service::declaration::check_draft(&s.store, draft))? {
        Step::Done(c) => c,
        Step::Refused(r) => return Ok(Step::Refused(r)),
    };
    let filer = v.enterprise().ok_or_else(|| ctx.deny(Denied::Forbidden))?.clone();
    let cmd = DeclarationCommand::File { content, filed_by: filer, idempotency: None, seed: rand::random() };
    match step(ctx, s.store.execute(v.actor().clone(), cmd).await)? {
        Step::Done(Outcome::Declaration { record, .. }) => Ok(Step::Done(record.id.clone())),
        Step::Done(other) => Err(ctx.internal(format!("unexpected outcome {other:?}"))),
        Step::Refused(r) => Ok(Step::Refused(r)),
    }
}

fn shown(l: crate::Lang, r: &Refusal) -> (Errors, Html) {
    let top = if r.errors.is_empty() || r.kind != guomen_domain::RefusalKind::Validation { refusal(l, r) } else { Html::new() };
    (df::errors_of(l, &r.errors), top)
}

/// `POST /declarations` — files the form.
pub async fn file(State(s): State<WebState>, ctx: Ctx, form: Form) -> Result<Response, PageError> {
    let v = ctx.require_form(DECLARANT, &form)?;
    let l = ctx.lang;
    let values = df::compact(&df::values_from(&form));
    let outcome = match df::draft_from(&values) {
        Ok(draft) => file_draft(&s, &ctx, v, &draft).await?,
        Err(r) => Step::Refused(r),
    };
    match outcome {
        Step::Done(id) => Ok(redirect(&format!("/declarations/{id}?msg=filed"))),
        Step::Refused(r) => {
            let (errors, top) = shown(l, &r);
            let summary = html!("<div class=\"alert error\" role=\"alert\" id=\"form-refused\">{}</div>", l.t(&r.detail_zh, &r.detail_en));
            Ok(form_page(&s, &ctx, v, StatusCode::UNPROCESSABLE_ENTITY, &values, &errors, concat([summary, top])))
        }
    }
}

/// `POST /declarations/check` — live validation: the same check as filing, without filing.
pub async fn check(State(s): State<WebState>, ctx: Ctx, headers: HeaderMap, body: Bytes) -> Result<Response, PageError> {
    let v = ctx.require(DECLARANT)?;
    let form = Form::parse(&body);
    let token = headers.get("x-csrf-token").and_then(|h| h.to_str().ok()).or(form.get("csrf")).unwrap_or("");
    if !same_secret(token, &v.session.csrf) {
        return Err(ctx.deny(Denied::BadCsrf));
    }
    let values = df::values_from(&form);
    let errors = match df::draft_from(&values) {
        Ok(draft) => match api_step(&ctx, guomen_service::declaration::check_draft(&s.store, &draft))? {
            Step::Done(_) => Vec::new(),
            Step::Refused(r) => r.errors,
        },
        Err(r) => r.errors,
    };
    // Paths of the kept rows map back to the inputs shown (blank rows in between are skipped).
    let rows_shown = |group: &str| -> Vec<usize> {
        let prefix = format!("{group}[");
        let mut idx: Vec<usize> = values
            .iter()
            .filter_map(|(k, val)| {
                let i = k.strip_prefix(&prefix)?.split(']').next()?.parse::<usize>().ok()?;
                (!val.trim().is_empty()).then_some(i)
            })
            .collect();
        idx.sort_unstable();
        idx.dedup();
        idx
    };
    let remap = |path: &str| -> String {
        for g in ["items", "containers", "licences"] {
            if let Some(rest) = path.strip_prefix(&format!("{g}[")) {
                if let Some((i, tail)) = rest.split_once(']') {
                    if let Some(orig) = i.parse::<usize>().ok().and_then(|i| rows_shown(g).get(i).copied()) {
                        return format!("{g}[{orig}]{tail}");
                    }
                }
            }
        }
        path.to_owned()
    };
    let list: Vec<_> =
        errors.iter().map(|e| json!({ "path": remap(&e.path), "rule": e.rule, "message": ctx.lang.t(&e.zh, &e.en) })).collect();
    Ok(Json(json!({ "ok": list.is_empty(), "errors": list })).into_response())
}

/// `POST /declarations/upload` — files a DecMessage XML file; a file that does not pass is shown
/// in the form with its errors beside the fields.
pub async fn upload(State(s): State<WebState>, ctx: Ctx, headers: HeaderMap, body: Bytes) -> Result<Response, PageError> {
    let v = ctx.require(DECLARANT)?;
    let l = ctx.lang;
    let ct = headers.get(header::CONTENT_TYPE).and_then(|h| h.to_str().ok()).unwrap_or("");
    let parts = boundary(ct).ok_or("expected multipart/form-data").and_then(|b| multipart(&body, &b));
    let parts = match parts {
        Ok(p) if body.len() <= MAX_FORM => p,
        _ => {
            let top = html!(
                "<div class=\"alert error\" role=\"alert\" id=\"upload-refused\">{}</div>",
                l.t(
                    "上传内容无法读取，请选择一个不超过 1 MiB 的 XML 文件。",
                    "The upload could not be read: choose one XML file of at most 1 MiB."
                )
            );
            return Ok(form_page(&s, &ctx, v, StatusCode::BAD_REQUEST, &Values::new(), &Errors::new(), top));
        }
    };
    let token = parts.iter().find(|p| p.name == "csrf").map(|p| String::from_utf8_lossy(&p.body).into_owned()).unwrap_or_default();
    if !same_secret(&token, &v.session.csrf) {
        return Err(ctx.deny(Denied::BadCsrf));
    }
    let file = parts.iter().find(|p| p.name == "file").map(|p| p.body.clone()).unwrap_or_default();
    let draft = match guomen_messages::parse_dec_message(&file) {
        Ok(d) => d,
        Err(e) => {
            let top = html!(
                "<div class=\"alert error\" role=\"alert\" id=\"upload-refused\">{} <code>{}</code> {}</div>",
                l.t("报文无法读取：", "The file could not be read:"),
                e.path(),
                l.pick(e.message_zh(), e.to_string())
            );
            return Ok(form_page(&s, &ctx, v, StatusCode::UNPROCESSABLE_ENTITY, &Values::new(), &Errors::new(), top));
        }
    };
    match file_draft(&s, &ctx, v, &draft).await? {
        Step::Done(id) => Ok(redirect(&format!("/declarations/{id}?msg=filed"))),
        Step::Refused(r) => {
            let (errors, top) = shown(l, &r);
            let summary = html!(
                "<div class=\"alert error\" role=\"alert\" id=\"upload-refused\">{} {}</div>",
                l.t("上传的报文未通过校验：", "The uploaded file did not pass:"),
                l.t(&r.detail_zh, &r.detail_en)
            );
            Ok(form_page(&s, &ctx, v, StatusCode::UNPROCESSABLE_ENTITY, &df::values_of(&draft), &errors, concat([summary, top])))
        }
    }
}

/// `GET /hs?q=` — HS 2022 subheadings by code prefix or English words.
pub async fn hs_lookup(Query(q): Query<HashMap<String, String>>) -> Response {
    let query = q.get("q").map(String::as_str).unwrap_or("").trim().to_owned();
    let hits: Vec<_> = guomen_reference::hs::search(&query, 60)
        .into_iter()
        .filter(|e| e.level == 6)
        .take(20)
        .map(|e| json!({ "code": e.code, "description": e.description }))
        .collect();
    Json(json!({ "query": query, "results": hits })).into_response()
}
