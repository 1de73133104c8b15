//! 原产地证书 — certificates of origin in the console. An exporter applies (agreement, goods
//! lines with their origin criterion and materials) and sees the intelligent review's outcome at
//! once with its reasons; one returned for amendment is amended in the same form, filled from
//! the application. Officers work the applications the review referred to them (manual review,
//! verification investigation), seeing every rule that applied, and approve, return or reject.
//! A trader sees the reasons of a pass or an amendment, and only that an officer has its
//! application otherwise (`Review::for_trader`). Cards and stacked fields fit a 390 px phone.

use super::{param, step, Step};
use crate::form::Form;
use crate::formkit::{self, FieldErrors};
use crate::html;
use crate::i18n::Lang;
use crate::layout::{csrf, notice, page_with, redirect};
use crate::markup::{concat, Html};
use crate::session::{Ctx, PageError, Viewer};
use crate::WebState;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use guomen_domain::origin::{Agreement, Criterion, GoodsDraft, MaterialDraft, OriginCertificate, OriginDraft, OriginStatus};
use guomen_domain::party::Role;
use guomen_domain::Refusal;
use guomen_store::origin::{OriginCommand, OriginFilter};
use guomen_store::{Command, Outcome};
use std::collections::HashMap;

const VIEWERS: &[Role] = &[Role::Declarant, Role::Officer, Role::RiskAnalyst, Role::Admin];
/// Material rows the form offers a goods line (the API takes up to 30).
const MATERIAL_ROWS: usize = 3;

fn tag(l: Lang, s: OriginStatus) -> Html {
    html!("<span class=\"status status-origin-{}\" data-status=\"{}\">{}</span>", s.as_str(), s.as_str(), l.t(s.name_zh(), s.name_en()))
}

fn card(l: Lang, c: &OriginCertificate) -> Html {
    let a = &c.application;
    html!(
        "<li class=\"certificate\" data-number=\"{}\" data-status=\"{}\"><div class=\"title-row\"><a class=\"mono\" href=\"/certificates/origin/{}\">{}</a>{}</div>\
         <dl class=\"facts\"><dt>{}</dt><dd>{}</dd><dt>{}</dt><dd>{} {}</dd><dt>{}</dt><dd>{}</dd></dl></li>",
        c.number,
        c.status.as_str(),
        c.number,
        c.number,
        tag(l, c.status),
        l.t("协定", "Agreement"),
        l.t(a.agreement.name_zh(), a.agreement.name_en()),
        l.t("出口商", "Exporter"),
        c.exporter.to_string(),
        c.exporter_name.clone(),
        l.t("进口国", "Importing country"),
        a.importing_country.to_string()
    )
}

fn flash(ctx: &Ctx, q: &HashMap<String, String>) -> Html {
    match q.get("msg").map(String::as_str) {
        Some("reviewed") => notice(ctx.t("申请已提交，智能审核结果如下。", "The application is in; the review's outcome is below.")),
        Some("decided") => notice(ctx.t("审核决定已作出。", "The decision is recorded.")),
        _ => Html::new(),
    }
}

/// `GET /certificates/origin` — a trader's own; customs every one, the referred ones first.
pub async fn list(State(s): State<WebState>, ctx: Ctx, Query(q): Query<HashMap<String, String>>) -> Result<Response, PageError> {
    let v = ctx.require(VIEWERS)?;
    let l = ctx.lang;
    let title = l.t("原产地证书", "Certificates of origin");
    let status = param(&q, "status").filter(|x| OriginStatus::parse(x).is_some());
    let mut f = OriginFilter { status: status.clone(), limit: 200, ..Default::default() };
    let trader = v.role() == Role::Declarant;
    if trader {
        f.exporter = v.enterprise().map(|e| e.to_string());
    }
    let list = s.store.origin_certificates(&f).await.map_err(|e| ctx.internal(e))?;
    let tabs = concat(
        std::iter::once((None, l.t("全部", "All"))).chain(OriginStatus::ALL.iter().map(|x| (Some(*x), l.t(x.name_zh(), x.name_en())))).map(
            |(x, name)| {
                let href =
                    x.map(|x| format!("/certificates/origin?status={}", x.as_str())).unwrap_or_else(|| "/certificates/origin".into());
                let current = x.map(OriginStatus::as_str) == status.as_deref();
                html!("<a href=\"{}\"{}>{}</a>", href, if current { Html::lit(" aria-current=\"page\"") } else { Html::new() }, name)
            },
        ),
    );
    let new = if trader {
        html!(
            "<p><a class=\"button\" href=\"/certificates/origin/new\" id=\"apply\">{}</a></p>",
            l.t("申请原产地证书", "Apply for a certificate")
        )
    } else {
        Html::new()
    };
    let cards = if list.is_empty() {
        html!("<p class=\"empty\" id=\"none\">{}</p>", l.t("暂无证书。", "No certificates."))
    } else {
        html!("<ul class=\"mandates certificates\" id=\"certificates\">{}</ul>", concat(list.iter().map(|c| card(l, c))))
    };
    let body = html!(
        "<h1>{}</h1>{}{}<nav class=\"tabs\" aria-label=\"{}\">{}</nav><section class=\"panel\">{}</section>",
        title,
        flash(&ctx, &q),
        new,
        l.t("按状态", "By status"),
        tabs,
        cards
    );
    Ok(page_with(&ctx, StatusCode::OK, title, body))
}

/// The input a refusal's path lands on: every input is named by its path.
fn input_of(path: &str) -> String {
    path.to_owned()
}

const FIELDS: &[(&str, &str, &str)] = &[
    ("agreement", "协定", "Agreement"),
    ("office", "签证机构（海关关区代码）", "Issuing office (customs code)"),
    ("importing_country", "进口国（三位字母代码）", "Importing country (alpha-3)"),
    ("consignee_name", "收货人名称", "Consignee's name"),
    ("consignee_address", "收货人地址", "Consignee's address"),
    ("transport", "运输方式及路线", "Means of transport and route"),
    ("invoice_no", "发票号", "Invoice number"),
    ("invoice_date", "发票日期", "Invoice date"),
];
const GOODS: &[(&str, &str, &str)] = &[
    ("hs", "商品编码", "HS code"),
    ("description", "货物描述", "Description"),
    ("quantity", "数量", "Quantity"),
    ("unit", "计量单位代码", "Unit (customs code)"),
    ("fob_value", "FOB 价值", "FOB value"),
    ("currency", "币制", "Currency"),
    ("criterion", "原产地标准", "Origin criterion"),
];
const MATERIAL: &[(&str, &str, &str)] = &[
    ("hs", "材料商品编码", "Material's HS code"),
    ("description", "材料名称", "Material"),
    ("origin", "材料原产国", "Material's origin"),
    ("value", "材料价值", "Material's value"),
];

fn labels(l: Lang) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = FIELDS.iter().map(|(n, zh, en)| ((*n).to_owned(), l.t(zh, en).to_owned())).collect();
    out.extend(GOODS.iter().map(|(f, zh, en)| (format!("goods[0].{f}"), l.t(zh, en).to_owned())));
    for k in 0..MATERIAL_ROWS {
        out.extend(MATERIAL.iter().map(|(f, zh, en)| (format!("goods[0].materials[{k}].{f}"), format!("{} {}", l.t(zh, en), k + 1))));
    }
    out
}

fn draft_of(form: &Form) -> OriginDraft {
    let t = |k: &str| Some(form.text(k)).filter(|s| !s.is_empty());
    let materials = (0..MATERIAL_ROWS)
        .map(|k| {
            let m = |f: &str| t(&format!("goods[0].materials[{k}].{f}"));
            MaterialDraft { hs: m("hs"), description: m("description"), origin: m("origin"), value: m("value") }
        })
        .filter(|m| *m != MaterialDraft::default())
        .collect();
    let g = |f: &str| t(&format!("goods[0].{f}"));
    OriginDraft {
        agreement: t("agreement"),
        office: t("office"),
        importing_country: t("importing_country"),
        consignee_name: t("consignee_name"),
        consignee_address: t("consignee_address"),
        transport: t("transport"),
        invoice_no: t("invoice_no"),
        invoice_date: t("invoice_date"),
        goods: vec![GoodsDraft {
            hs: g("hs"),
            description: g("description"),
            quantity: g("quantity"),
            unit: g("unit"),
            fob_value: g("fob_value"),
            currency: g("currency"),
            criterion: g("criterion"),
            materials,
        }],
    }
}

fn form_fields(l: Lang, d: &OriginDraft, e: &FieldErrors) -> Html {
    let v = |o: &Option<String>| o.clone().unwrap_or_default();
    let label = |n: &str| FIELDS.iter().find(|(f, _, _)| *f == n).map(|(_, zh, en)| l.t(zh, en)).unwrap_or("");
    let agreements: Vec<(String, String)> =
        Agreement::ALL.iter().map(|a| (a.as_str().to_owned(), l.t(a.name_zh(), a.name_en()).to_owned())).collect();
    let criteria: Vec<(String, String)> =
        Criterion::ALL.iter().map(|c| (c.as_str().to_owned(), format!("{} {}", c.as_str(), l.t(c.name_zh(), c.as_str())))).collect();
    let g = d.goods.first().cloned().unwrap_or_default();
    let gv = |f: &str| -> String {
        match f {
            "hs" => v(&g.hs),
            "description" => v(&g.description),
            "quantity" => v(&g.quantity),
            "unit" => v(&g.unit),
            "fob_value" => v(&g.fob_value),
            _ => v(&g.currency),
        }
    };
    let goods = concat(GOODS.iter().map(|(f, zh, en)| {
        let name = format!("goods[0].{f}");
        if *f == "criterion" {
            e.select(&name, l.t(zh, en), &criteria, g.criterion.as_deref().unwrap_or("WO"))
        } else {
            e.input(&name, l.t(zh, en), &gv(f))
        }
    }));
    let materials = concat((0..MATERIAL_ROWS).map(|k| {
        let m = g.materials.get(k).cloned().unwrap_or_default();
        let mv = |f: &str| -> String {
            match f {
                "hs" => v(&m.hs),
                "description" => v(&m.description),
                "origin" => v(&m.origin),
                _ => v(&m.value),
            }
        };
        html!(
            "<fieldset class=\"row\"><legend>{} {}</legend><div class=\"fields\">{}</div></fieldset>",
            l.t("材料", "Material"),
            k + 1,
            concat(MATERIAL.iter().map(|(f, zh, en)| e.input(&format!("goods[0].materials[{k}].{f}"), l.t(zh, en), &mv(f))))
        )
    }));
    html!(
        "<fieldset class=\"row\"><legend>{}</legend><div class=\"fields\">{}{}{}{}{}{}{}</div>{}</fieldset>\
         <fieldset class=\"row\"><legend>{}</legend><div class=\"fields\">{}</div><p class=\"muted\">{}</p>{}</fieldset>",
        l.t("证书", "Certificate"),
        e.select("agreement", label("agreement"), &agreements, d.agreement.as_deref().unwrap_or("rcep")),
        e.input("office", label("office"), &v(&d.office)),
        e.input("importing_country", label("importing_country"), &v(&d.importing_country)),
        e.input("consignee_name", label("consignee_name"), &v(&d.consignee_name)),
        e.input("consignee_address", label("consignee_address"), &v(&d.consignee_address)),
        e.input("invoice_no", label("invoice_no"), &v(&d.invoice_no)),
        e.input_typed("invoice_date", label("invoice_date"), &v(&d.invoice_date), "date", Html::new()),
        e.input("transport", label("transport"), &v(&d.transport)),
        l.t("货物", "Goods"),
        goods,
        l.t(
            "完全获得（WO）无需填写材料；产品特定原产地规则（PSR）请填写所用材料的商品编码、原产国和价值（与 FOB 同一币制）。",
            "Wholly obtained (WO) goods need no materials; for a product-specific rule (PSR) give each material's HS code, origin and value (in the FOB's currency)."
        ),
        materials
    )
}

fn form_page(ctx: &Ctx, v: &Viewer, action: &str, title: &str, d: &OriginDraft, refusal: Option<&Refusal>) -> Response {
    let l = ctx.lang;
    let e = FieldErrors::of(l, refusal, input_of);
    let labels = labels(l);
    let refs: Vec<(&str, &str)> = labels.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
    let top = refusal
        .map(|r| formkit::summary(l, l.t("申请未被接受", "The application was not accepted"), r, &refs, input_of))
        .unwrap_or_default();
    let body = html!(
        "<h1>{}</h1>{}<form method=\"post\" action=\"{}\" id=\"origin-form\" class=\"panel\">{}{}<button type=\"submit\" id=\"submit\">{}</button></form>",
        title,
        top,
        action,
        csrf(v),
        form_fields(l, d, &e),
        l.t("提交审核", "Submit for review")
    );
    page_with(ctx, if refusal.is_some() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK }, title, body)
}

/// `GET /certificates/origin/new`
pub async fn new_form(ctx: Ctx) -> Result<Response, PageError> {
    let v = ctx.require(&[Role::Declarant])?;
    let d = OriginDraft {
        agreement: Some("rcep".into()),
        goods: vec![GoodsDraft { currency: Some("USD".into()), criterion: Some("WO".into()), ..Default::default() }],
        ..Default::default()
    };
    Ok(form_page(&ctx, v, "/certificates/origin", ctx.t("申请原产地证书", "Apply for a certificate of origin"), &d, None))
}

/// `POST /certificates/origin` — the exporter applies; reviewed at once.
pub async fn apply(State(s): State<WebState>, ctx: Ctx, form: Form) -> Result<Response, PageError> {
    let v = ctx.require_form(&[Role::Declarant], &form)?;
    let exporter = v.enterprise().ok_or_else(|| ctx.deny(crate::session::Denied::Forbidden))?.clone();
    let draft = draft_of(&form);
    let cmd = Command::Origin(OriginCommand::Apply { exporter, draft: Box::new(draft.clone()) });
    match step(&ctx, s.store.execute(v.actor().clone(), cmd).await)? {
        Step::Done(Outcome::Origin(c)) => Ok(redirect(&format!("/certificates/origin/{}?msg=reviewed", c.number))),
        Step::Done(_) => Err(ctx.internal("unexpected outcome")),
        Step::Refused(r) => {
            Ok(form_page(&ctx, v, "/certificates/origin", ctx.t("申请原产地证书", "Apply for a certificate of origin"), &draft, Some(&r)))
        }
    }
}

async fn load(s: &WebState, ctx: &Ctx, v: &Viewer, number: &str) -> Result<OriginCertificate, PageError> {
    let c = s.store.origin_certificate(number).await.map_err(|e| ctx.internal(e))?.ok_or_else(|| ctx.not_found())?;
    if guomen_service::origin::visible(v.actor(), &c).is_err() {
        return Err(ctx.not_found());
    }
    Ok(c)
}

/// The review's outcome with the reasons the viewer may see.
fn review_panel(l: Lang, v: &Viewer, c: &OriginCertificate) -> Html {
    let reasons = if guomen_service::origin::customs(v.actor()) { c.review.reasons.clone() } else { c.review.for_trader() };
    let items = concat(reasons.iter().map(|r| {
        html!(
            "<li data-rule=\"{}\" data-outcome=\"{}\"><b>{}</b>{} {}</li>",
            r.rule.code(),
            r.outcome().as_str(),
            l.t(r.outcome().name_zh(), r.outcome().name_en()),
            r.path.as_ref().map(|p| html!(" <code>{}</code>", p)),
            l.t(&r.zh, &r.en)
        )
    }));
    let printed: Vec<String> = c
        .application
        .goods
        .iter()
        .zip(&c.review.lines)
        .map(|(g, line)| format!("{} → {}", g.hs, line.printed.clone().unwrap_or_else(|| "—".into())))
        .collect();
    html!(
        "<section class=\"panel\" id=\"review\"><h2>{}</h2><p id=\"outcome\" data-outcome=\"{}\"><strong>{}</strong></p><ul class=\"notes\" id=\"reasons\">{}</ul><p class=\"muted\">{}{}</p></section>",
        l.t("智能审核", "Intelligent review"),
        c.review.outcome.as_str(),
        l.t(c.review.outcome.name_zh(), c.review.outcome.name_en()),
        items,
        l.t("原产地标准（打印）：", "Criterion as printed: "),
        printed.join(l.t("；", "; "))
    )
}

/// `GET /certificates/origin/{number}`
pub async fn show(
    State(s): State<WebState>,
    ctx: Ctx,
    Path(number): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let v = ctx.require(VIEWERS)?;
    let c = load(&s, &ctx, v, &number).await?;
    detail(&s, &ctx, v, &c, &q, None, None).await
}

async fn detail(
    s: &WebState,
    ctx: &Ctx,
    v: &Viewer,
    c: &OriginCertificate,
    q: &HashMap<String, String>,
    amend: Option<(&OriginDraft, &Refusal)>,
    refused: Option<&Refusal>,
) -> Result<Response, PageError> {
    let l = ctx.lang;
    let a = &c.application;
    let public = if c.signature.is_some() {
        html!(
            "<p class=\"links\"><a href=\"/verify/{}\" id=\"public\">{}</a></p>",
            c.number,
            l.t("公开核验页面（证书二维码指向此处）", "Public verification page (what its QR code holds)")
        )
    } else {
        Html::new()
    };
    let decisions = concat(c.decisions.iter().map(|d| {
        html!(
            "<li>{} · {} · {}{}</li>",
            l.time(d.at),
            d.officer.trim_start_matches("user:"),
            l.t(d.action.name_zh(), d.action.as_str()),
            if d.reason.is_empty() { Html::new() } else { html!("：{}", d.reason) }
        )
    }));
    let head = html!(
        "<section class=\"panel\"><div class=\"title-row\"><h2 class=\"mono\">{}</h2>{}</div>{}<dl class=\"facts\"><dt>{}</dt><dd>{}</dd><dt>{}</dt><dd>{} {}</dd><dt>{}</dt><dd>{}</dd><dt>{}</dt><dd>{} · {}</dd><dt>{}</dt><dd>{}</dd></dl>{}</section>",
        c.number,
        tag(l, c.status),
        public,
        l.t("协定", "Agreement"),
        l.t(a.agreement.name_zh(), a.agreement.name_en()),
        l.t("出口商", "Exporter"),
        c.exporter.to_string(),
        c.exporter_name.clone(),
        l.t("进口国", "Importing country"),
        a.importing_country.to_string(),
        l.t("收货人", "Consignee"),
        a.consignee_name.clone(),
        a.consignee_address.clone(),
        l.t("货物", "Goods"),
        a.goods.iter().map(|g| format!("{} {}", g.hs, g.description)).collect::<Vec<_>>().join(l.t("；", "; ")),
        if c.decisions.is_empty() { Html::new() } else { html!("<h3>{}</h3><ul class=\"notes\" id=\"decisions\">{}</ul>", l.t("海关决定", "Customs' decisions"), decisions) }
    );
    let action = if v.role() == Role::Declarant && c.status == OriginStatus::Amend {
        let (d, r) = match amend {
            Some((d, r)) => (d.clone(), Some(r)),
            None => (OriginDraft::of(a), None),
        };
        let e = FieldErrors::of(l, r, input_of);
        let labels = labels(l);
        let refs: Vec<(&str, &str)> = labels.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
        let top =
            r.map(|r| formkit::summary(l, l.t("修改未被接受", "The amendment was not accepted"), r, &refs, input_of)).unwrap_or_default();
        html!(
            "<section class=\"panel\" id=\"amend\"><h2>{}</h2>{}<form method=\"post\" action=\"/certificates/origin/{}/amend\" id=\"origin-form\">{}{}<button type=\"submit\" id=\"submit\">{}</button></form></section>",
            l.t("修改申请", "Amend the application"),
            top,
            c.number,
            csrf(v),
            form_fields(l, &d, &e),
            l.t("提交修改", "Submit the amendment")
        )
    } else if v.role() == Role::Officer && c.status.with_officer() {
        html!(
            "<section class=\"panel\" id=\"decide\"><h2>{}</h2><form method=\"post\" action=\"/certificates/origin/{}/decision\" class=\"inline-form\" id=\"decision-form\" data-confirm=\"{}\">{}\
             <label>{}<select name=\"action\" id=\"action\"><option value=\"approve\">{}</option><option value=\"return\">{}</option><option value=\"reject\">{}</option></select></label>\
             <label>{}<input name=\"reason\" id=\"reason\" maxlength=\"500\"></label><button type=\"submit\" id=\"decide-submit\">{}</button></form></section>",
            l.t("审核决定", "Decision"),
            c.number,
            l.pick(format!("对 {} 作出审核决定？", c.number), format!("Decide {}?", c.number)),
            csrf(v),
            l.t("决定", "Decision"),
            l.t("审核通过（签发）", "Approve (issue)"),
            l.t("退回修改", "Return for amendment"),
            l.t("不予签证", "Reject"),
            l.t("理由（退回或不予签证时必填）", "Reason (required to return or reject)"),
            l.t("作出决定", "Decide")
        )
    } else {
        Html::new()
    };
    let refused = refused.map(|r| formkit::summary(l, l.t("未能办理", "Not done"), r, &[], formkit::same)).unwrap_or_default();
    let timeline = s.store.timeline(&format!("origin:{}", c.number)).await.map_err(|e| ctx.internal(e))?;
    let title = l.t("原产地证书", "Certificate of origin");
    let body = html!(
        "<p><a href=\"/certificates/origin\">{}</a></p><h1>{}</h1>{}{}{}{}{}{}",
        l.t("← 全部证书", "← All certificates"),
        title,
        flash(ctx, q),
        refused,
        head,
        review_panel(l, v, c),
        action,
        super::detail::timeline_panel(l, &timeline)
    );
    let status = match (amend, refused.is_empty()) {
        (Some(_), _) => StatusCode::UNPROCESSABLE_ENTITY,
        (None, false) => StatusCode::UNPROCESSABLE_ENTITY,
        _ => StatusCode::OK,
    };
    Ok(page_with(ctx, status, title, body))
}

/// `POST /certificates/origin/{number}/amend` — the exporter amends; reviewed at once.
pub async fn amend(State(s): State<WebState>, ctx: Ctx, Path(number): Path<String>, form: Form) -> Result<Response, PageError> {
    let v = ctx.require_form(&[Role::Declarant], &form)?;
    let c = load(&s, &ctx, v, &number).await?;
    let draft = draft_of(&form);
    let cmd = Command::Origin(OriginCommand::Amend { number: c.number.clone(), draft: Box::new(draft.clone()) });
    match step(&ctx, s.store.execute(v.actor().clone(), cmd).await)? {
        Step::Done(_) => Ok(redirect(&format!("/certificates/origin/{}?msg=reviewed", c.number))),
        Step::Refused(r) => detail(&s, &ctx, v, &c, &HashMap::new(), Some((&draft, &r)), None).await,
    }
}

/// `POST /certificates/origin/{number}/decision` — an officer decides a referred application.
pub async fn decide(State(s): State<WebState>, ctx: Ctx, Path(number): Path<String>, form: Form) -> Result<Response, PageError> {
    let v = ctx.require_form(&[Role::Officer], &form)?;
    let c = load(&s, &ctx, v, &number).await?;
    let cmd = match guomen_service::origin::decision(&c.number, &form.text("action"), Some(&form.text("reason"))) {
        Ok(cmd) => cmd,
        Err(r) => return detail(&s, &ctx, v, &c, &HashMap::new(), None, Some(&r)).await,
    };
    match step(&ctx, s.store.execute(v.actor().clone(), Command::Origin(cmd)).await)? {
        Step::Done(_) => Ok(redirect(&format!("/certificates/origin/{}?msg=decided", c.number))),
        Step::Refused(r) => detail(&s, &ctx, v, &c, &HashMap::new(), None, Some(&r)).await,
    }
}
