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

/// `GET /declarations` — the trader's declarations, newest first, a page at a time.
pub async fn list(State(s): State<WebState>, ctx: Ctx, Query(q): Query<HashMap<String, String>>) -> Result<Response, PageError> {
    let v = ctx.require(DECLARANT)?;
    let l = ctx.lang;
    let me = v.enterprise().ok_or_else(|| ctx.deny(Denied::Forbidden))?.to_string();
    let before = param(&q, "before").and_then(|c| c.split_once('.').and_then(|(ms, id)| Some((ms.parse::<i64>().ok()?, id.to_owned()))));
    let limit = 50;
    let rows = s
        .store
        .declarations(&DeclarationFilter { party: Some(me.clone()), status: param(&q, "status"), before, limit, ..Default::default() })
        .await
        .map_err(|e| ctx.internal(e))?;
    let next = (rows.len() as i64 == limit).then(|| rows.last().map(|r| format!("{}.{}", r.filed_at_ms, r.id))).flatten();
    let body_rows = concat(rows.iter().map(|r| {
        html!(
            "<tr data-id=\"{}\"><td><a href=\"/declarations/{}\">{}</a></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            r.id,
            r.id,
            r.id,
            l.direction(&r.ie_flag),
            r.bill_no,
            l.mode(&r.mode),
            lane_tag(l, &r.lane),
            status_tag(l, &r.status),
            l.time_ms(r.filed_at_ms)
        )
    }));
    let more = match next {
        Some(c) => html!(
            "<p><a class=\"button secondary\" href=\"/declarations?before={}\">{}</a></p>",
            c,
            l.t("更早的报关单", "Older declarations")
        ),
        None => Html::new(),
    };
    let flash = match param(&q, "msg").as_deref() {
        Some("filed") => crate::layout::notice(l.t("申报已接受。", "Declaration accepted.")),
        _ => Html::new(),
    };
    let body = html!(
        "{}<div class=\"title-row\"><h1>{}</h1><a class=\"button\" href=\"/declarations/new\" id=\"new-declaration\">{}</a></div>\
         <p class=\"muted\">{} {}</p>\
         <table class=\"list\" id=\"declarations\"><thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>{}</tbody></table>{}{}",
        flash,
        l.t("我的报关单", "My declarations"),
        l.t("新建申报", "New declaration"),
        enterprise_name(&s, l, &me),
        me,
        l.t("报关单号", "Declaration no."),
        l.t("进出口", "Direction"),
        l.t("提运单号", "Bill of lading"),
        l.t("申报方式", "Mode"),
        l.t("通道", "Lane"),
        l.t("状态", "Status"),
        l.t("申报时间", "Filed"),
        body_rows,
        if rows.is_empty() { html!("<p class=\"empty\">{}</p>", l.t("还没有报关单。", "No declarations yet.")) } else { Html::new() },
        more
    );
    Ok(page(&ctx, l.t("我的报关单", "My declarations"), body))
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
