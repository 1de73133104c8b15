//! 植物检疫证书 — phytosanitary certificates in the console. An exporter applies (the form of
//! `phyto_form.rs`) and follows its certificates: the one issued with what it says, its XML and
//! its public page. Officers work the applications waiting for them and issue, refuse, replace
//! (the form again, filled from the certificate) or withdraw. The forms build the same
//! `PhytoCommand`s the API builds, so a refusal shows the same field paths and rule codes.
//! Certificates are cards, so the pages read on a 390 px phone.

use super::phyto_form::{self, draft_of};
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
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use guomen_domain::party::Role;
use guomen_domain::phyto::draft::{LineDraft, PartyDraft};
use guomen_domain::phyto::{PhytoCertificate, PhytoDraft, PhytoStatus};
use guomen_domain::Refusal;
use guomen_store::phyto::{PhytoCommand, PhytoFilter};
use guomen_store::{Command, Outcome};
use std::collections::HashMap;

const VIEWERS: &[Role] = &[Role::Declarant, Role::Officer, Role::RiskAnalyst, Role::Admin];

fn status_name(l: Lang, s: PhytoStatus) -> &'static str {
    l.t(s.name_zh(), s.name_en())
}

fn tag(l: Lang, s: PhytoStatus) -> Html {
    html!("<span class=\"status status-phyto-{}\" data-status=\"{}\">{}</span>", s.as_str(), s.as_str(), status_name(l, s))
}

/// One certificate as a card in a list.
fn card(l: Lang, c: &PhytoCertificate) -> Html {
    let a = &c.application;
    let goods: Vec<String> = a.lines.iter().map(|x| format!("{} ({})", x.scientific_name, x.hs)).collect();
    html!(
        "<li class=\"certificate\" data-number=\"{}\" data-status=\"{}\"><div class=\"title-row\"><a class=\"mono\" href=\"/certificates/phyto/{}\">{}</a>{}</div>\
         <dl class=\"facts\"><dt>{}</dt><dd>{}</dd><dt>{}</dt><dd>{}</dd><dt>{}</dt><dd>{}</dd><dt>{}</dt><dd>{}</dd></dl></li>",
        c.number,
        c.status.as_str(),
        c.number,
        c.number,
        tag(l, c.status),
        l.t("类型", "Kind"),
        l.t(a.kind.name_zh(), a.kind.name_en()),
        l.t("出口商", "Exporter"),
        format!("{} {}", c.exporter, c.exporter_name),
        l.t("输入国家或地区", "Importing country"),
        a.import_country.clone(),
        l.t("货物", "Goods"),
        goods.join(l.t("；", "; "))
    )
}

fn cards(l: Lang, list: &[PhytoCertificate]) -> Html {
    if list.is_empty() {
        return html!("<p class=\"empty\" id=\"none\">{}</p>", l.t("暂无证书。", "No certificates."));
    }
    html!("<ul class=\"mandates certificates\" id=\"certificates\">{}</ul>", concat(list.iter().map(|c| card(l, c))))
}

fn flash(ctx: &Ctx, q: &HashMap<String, String>) -> Html {
    match q.get("msg").map(String::as_str) {
        Some("applied") => notice(ctx.t("申请已提交，待海关签发。", "The application is in; customs will issue the certificate.")),
        Some("issued") => notice(ctx.t("证书已签发并签名。", "The certificate is issued and signed.")),
        Some("refused") => notice(ctx.t("已不予签发。", "The application is refused.")),
        Some("withdrawn") => notice(ctx.t("证书已撤销。", "The certificate is withdrawn.")),
        Some("replaced") => {
            notice(ctx.t("已签发替换证书，原证书已标记为已替换。", "The replacement is issued; the certificate replaced is marked so."))
        }
        _ => Html::new(),
    }
}

/// `GET /certificates/phyto` — an exporter's own certificates; customs every one, those waiting first.
pub async fn list(State(s): State<WebState>, ctx: Ctx, Query(q): Query<HashMap<String, String>>) -> Result<Response, PageError> {
    let v = ctx.require(VIEWERS)?;
    let l = ctx.lang;
    let title = l.t("植物检疫证书", "Phytosanitary certificates");
    let status = param(&q, "status").filter(|x| PhytoStatus::parse(x).is_some());
    let mut f = PhytoFilter { status: status.clone(), limit: 200, ..Default::default() };
    let trader = v.role() == Role::Declarant;
    if trader {
        f.exporter = v.enterprise().map(|e| e.to_string());
    }
    let list = s.store.phyto_certificates(&f).await.map_err(|e| ctx.internal(e))?;
    let filters =
        concat(std::iter::once((None, l.t("全部", "All"))).chain(PhytoStatus::ALL.iter().map(|x| (Some(*x), status_name(l, *x)))).map(
            |(x, name)| {
                let href = match x {
                    Some(x) => format!("/certificates/phyto?status={}", x.as_str()),
                    None => "/certificates/phyto".into(),
                };
                let current = x.map(PhytoStatus::as_str) == status.as_deref();
                html!("<a href=\"{}\"{}>{}</a>", href, if current { Html::lit(" aria-current=\"page\"") } else { Html::new() }, name)
            },
        ));
    let new = if trader {
        html!(
            "<p><a class=\"button\" href=\"/certificates/phyto/new\" id=\"apply\">{}</a></p>",
            l.t("申请植物检疫证书", "Apply for a certificate")
        )
    } else {
        Html::new()
    };
    let body = html!(
        "<h1>{}</h1>{}{}<nav class=\"tabs\" aria-label=\"{}\">{}</nav><section class=\"panel\">{}</section>",
        title,
        flash(&ctx, &q),
        new,
        l.t("按状态", "By status"),
        filters,
        cards(l, &list)
    );
    Ok(page_with(&ctx, StatusCode::OK, title, body))
}

/// Which form a page shows: where it is sent, its title, what it says above the form, and
/// inputs of its own before the application's (the replacement's reason).
struct FormOf<'a> {
    action: &'a str,
    title: &'a str,
    intro: Html,
    extra: Html,
}

/// The application form, as a page (a new application, or a replacement).
fn form_page(ctx: &Ctx, v: &Viewer, f: FormOf<'_>, d: &PhytoDraft, refusal: Option<&Refusal>) -> Response {
    let FormOf { action, title, intro, extra } = f;
    let l = ctx.lang;
    let e = FieldErrors::of(l, refusal, phyto_form::input_of);
    let labels = phyto_form::labels(l, d);
    let refs: Vec<(&str, &str)> = labels.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
    let top = refusal
        .map(|r| formkit::summary(l, l.t("申请未被接受", "The application was not accepted"), r, &refs, phyto_form::input_of))
        .unwrap_or_default();
    let body = html!(
        "<h1>{}</h1>{}{}<form method=\"post\" action=\"{}\" id=\"phyto-form\" class=\"panel\">{}{}{}<button type=\"submit\" id=\"submit\">{}</button></form>",
        title,
        intro,
        top,
        action,
        csrf(v),
        extra,
        phyto_form::fields(l, d, &e),
        l.t("提交", "Submit")
    );
    let status = if refusal.is_some() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    page_with(ctx, status, title, body)
}

/// `GET /certificates/phyto/new` — the exporter's application form, its name as consignor.
pub async fn new_form(State(s): State<WebState>, ctx: Ctx) -> Result<Response, PageError> {
    let v = ctx.require(&[Role::Declarant])?;
    let l = ctx.lang;
    let me = v.enterprise().map(|e| super::enterprise_name(&s, Lang::Zh, e.as_str()));
    let d = PhytoDraft {
        kind: Some("export".into()),
        consignor: PartyDraft { name: me, address: None },
        lines: vec![LineDraft { origin_country: Some("CN".into()), ..Default::default() }],
        ..Default::default()
    };
    let intro = html!(
        "<p class=\"muted\">{}</p>",
        l.t(
            "植物、植物产品及种子（HS 第06–14章、第44章）出境，请填写本申请；注明出口报关单号的，证书将载明该批货物的检疫及实验室检测结果。海关签发后，证书以电子签名并可在“单证验真”页面核验。",
            "For plants, plant products and seeds (HS chapters 06–14, 44) leaving China. Name the export declaration and the certificate states the consignment's inspection and laboratory results. Once customs issues it, the certificate is signed and anyone can check it on the public verification page."
        )
    );
    Ok(form_page(
        &ctx,
        v,
        FormOf {
            action: "/certificates/phyto",
            title: l.t("申请植物检疫证书", "Apply for a phytosanitary certificate"),
            intro,
            extra: Html::new(),
        },
        &d,
        None,
    ))
}

/// `POST /certificates/phyto` — the exporter applies.
pub async fn apply(State(s): State<WebState>, ctx: Ctx, form: Form) -> Result<Response, PageError> {
    let v = ctx.require_form(&[Role::Declarant], &form)?;
    let exporter = v.enterprise().ok_or_else(|| ctx.deny(crate::session::Denied::Forbidden))?.clone();
    let draft = draft_of(&form);
    let cmd = Command::Phyto(PhytoCommand::Apply { exporter, draft: Box::new(draft.clone()) });
    match step(&ctx, s.store.execute(v.actor().clone(), cmd).await)? {
        Step::Done(Outcome::Phyto(c)) => Ok(redirect(&format!("/certificates/phyto/{}?msg=applied", c.number))),
        Step::Done(_) => Err(ctx.internal("unexpected outcome")),
        Step::Refused(r) => {
            let l = ctx.lang;
            Ok(form_page(
                &ctx,
                v,
                FormOf {
                    action: "/certificates/phyto",
                    title: l.t("申请植物检疫证书", "Apply for a phytosanitary certificate"),
                    intro: Html::new(),
                    extra: Html::new(),
                },
                &draft,
                Some(&r),
            ))
        }
    }
}

async fn load(s: &WebState, ctx: &Ctx, v: &Viewer, number: &str) -> Result<PhytoCertificate, PageError> {
    let c = s.store.phyto_certificate(number).await.map_err(|e| ctx.internal(e))?.ok_or_else(|| ctx.not_found())?;
    if guomen_service::phyto::visible(v.actor(), &c).is_err() {
        return Err(ctx.not_found());
    }
    Ok(c)
}

/// The officer's forms for a certificate's status.
fn officer_steps(l: Lang, v: &Viewer, c: &PhytoCertificate) -> Html {
    let reason_form = |action: &str, label: &str, button: &str, question: String| {
        html!(
            "<form method=\"post\" action=\"/certificates/phyto/{}/{}\" class=\"inline-form\" id=\"{}-form\" data-confirm=\"{}\">{}<label>{}<input name=\"reason\" id=\"{}-reason\" required maxlength=\"500\"></label><button type=\"submit\" class=\"danger\" id=\"{}\">{}</button></form>",
            c.number,
            action,
            action,
            question,
            csrf(v),
            label,
            action,
            action,
            button
        )
    };
    let forms = match c.status {
        PhytoStatus::Applied => concat([
            html!(
                "<form method=\"post\" action=\"/certificates/phyto/{}/issue\" class=\"inline-form\" id=\"issue-form\" data-confirm=\"{}\">{}<button type=\"submit\" id=\"issue\">{}</button></form>",
                c.number,
                l.pick(format!("签发证书 {}？签发后即以电子签名生效。", c.number), format!("Issue certificate {}? Once issued it is signed and in force.", c.number)),
                csrf(v),
                l.t("签发（以本关区密钥签名）", "Issue (signed with the office's key)")
            ),
            reason_form(
                "refuse",
                l.t("不予签发的理由", "Why it is refused"),
                l.t("不予签发", "Refuse"),
                l.pick(format!("对 {} 不予签发？", c.number), format!("Refuse {}?", c.number)),
            ),
        ]),
        PhytoStatus::Issued => concat([
            html!("<p><a class=\"button secondary\" href=\"/certificates/phyto/{}/replace\" id=\"replace\">{}</a></p>", c.number, l.t("替换证书（更正内容，启用新编号）", "Replace (corrected, under a new number)")),
            reason_form(
                "withdraw",
                l.t("撤销理由", "Why it is withdrawn"),
                l.t("撤销证书", "Withdraw"),
                l.pick(format!("撤销证书 {}？撤销后公开核验页面显示为已撤销。", c.number), format!("Withdraw certificate {}? Its public record will say withdrawn.", c.number)),
            ),
        ]),
        _ => return Html::new(),
    };
    html!(
        "<section class=\"panel\" id=\"steps\"><h2>{}</h2><div class=\"action-row\">{}</div></section>",
        l.t("海关处理", "Customs"),
        forms
    )
}

/// `GET /certificates/phyto/{number}`
pub async fn show(
    State(s): State<WebState>,
    ctx: Ctx,
    Path(number): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let v = ctx.require(VIEWERS)?;
    let l = ctx.lang;
    let c = load(&s, &ctx, v, &number).await?;
    let a = &c.application;
    let links = if c.document.is_some() {
        html!(
            "<p class=\"links\"><a href=\"/certificates/phyto/{}/xml\" id=\"xml\">{}</a> · <a href=\"/verify/{}\" id=\"public\">{}</a></p>",
            c.number,
            l.t("下载 SPSCertificate XML", "Download the SPSCertificate XML"),
            c.number,
            l.t("公开核验页面", "Public verification page")
        )
    } else {
        Html::new()
    };
    let closing = c.closing.as_ref().map(|x| {
        html!(
            "<dt>{}</dt><dd id=\"closing\">{} · {} · {}</dd>",
            l.t("原因", "Reason"),
            x.reason,
            x.by.trim_start_matches("user:"),
            l.time(x.at)
        )
    });
    let related = concat([
        c.replaces
            .as_ref()
            .map(|n| html!("<dt>{}</dt><dd><a class=\"mono\" href=\"/certificates/phyto/{}\">{}</a></dd>", l.t("替换了", "Replaces"), n, n))
            .unwrap_or_default(),
        c.replaced_by
            .as_ref()
            .map(|n| {
                html!(
                    "<dt>{}</dt><dd><a class=\"mono\" href=\"/certificates/phyto/{}\" id=\"replaced-by\">{}</a></dd>",
                    l.t("已由此证书替换", "Replaced by"),
                    n,
                    n
                )
            })
            .unwrap_or_default(),
    ]);
    let head = html!(
        "<section class=\"panel\"><div class=\"title-row\"><h2 class=\"mono\">{}</h2>{}</div>{}<dl class=\"facts\"><dt>{}</dt><dd>{}</dd><dt>{}</dt><dd>{} {}</dd><dt>{}</dt><dd>{}</dd><dt>{}</dt><dd>{}</dd><dt>{}</dt><dd>{}</dd>{}{}</dl></section>",
        c.number,
        tag(l, c.status),
        links,
        l.t("类型", "Kind"),
        l.t(a.kind.name_zh(), a.kind.name_en()),
        l.t("出口商", "Exporter"),
        c.exporter.to_string(),
        c.exporter_name.clone(),
        l.t("签证机构", "Issuing office"),
        a.office.to_string(),
        l.t("出口报关单", "Export declaration"),
        a.declaration.clone().unwrap_or_else(|| "—".into()),
        l.t("申请时间", "Applied"),
        l.time(c.applied_at),
        related,
        closing
    );
    let content = match &c.document {
        Some(d) => html!(
            "<section class=\"panel\" id=\"document\"><h2>{}</h2>{}</section>",
            l.t("证书内容", "What the certificate says"),
            super::verify::phyto_facts(l, d)
        ),
        None => {
            let goods = concat(a.lines.iter().map(|x| {
                html!(
                    "<li class=\"line\"><i>{}</i> · {} · {} {} · {}</li>",
                    x.scientific_name,
                    x.description,
                    x.net_weight.to_string(),
                    l.t("千克", "kg"),
                    x.hs.to_string()
                )
            }));
            html!(
                "<section class=\"panel\" id=\"application\"><h2>{}</h2><dl class=\"facts\"><dt>{}</dt><dd>{}</dd><dt>{}</dt><dd>{}</dd><dt>{}</dt><dd>{}</dd></dl><ul class=\"lines\">{}</ul></section>",
                l.t("申请内容", "The application"),
                l.t("发货人", "Consignor"),
                a.consignor.name.clone(),
                l.t("收货人", "Consignee"),
                a.consignee.name.clone(),
                l.t("输入国家或地区", "Importing country"),
                a.import_country.clone(),
                goods
            )
        }
    };
    let steps = if v.role() == Role::Officer { officer_steps(l, v, &c) } else { Html::new() };
    let timeline = s.store.timeline(&format!("phyto:{}", c.number)).await.map_err(|e| ctx.internal(e))?;
    let title = l.t("植物检疫证书", "Phytosanitary certificate");
    let body = html!(
        "<p><a href=\"/certificates/phyto\">{}</a></p><h1>{}</h1>{}{}{}{}{}",
        l.t("← 全部证书", "← All certificates"),
        title,
        flash(&ctx, &q),
        head,
        steps,
        content,
        super::detail::timeline_panel(l, &timeline)
    );
    Ok(page_with(&ctx, StatusCode::OK, title, body))
}

/// `GET /certificates/phyto/{number}/xml` — the issued certificate as a file.
pub async fn xml(State(s): State<WebState>, ctx: Ctx, Path(number): Path<String>) -> Result<Response, PageError> {
    let v = ctx.require(VIEWERS)?;
    let c = load(&s, &ctx, v, &number).await?;
    let xml = guomen_service::phyto::xml(&c).ok_or_else(|| ctx.not_found())?;
    let mut res = xml.into_response();
    res.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/xml; charset=utf-8"));
    if let Ok(h) = HeaderValue::from_str(&format!("attachment; filename=\"{}.xml\"", c.number)) {
        res.headers_mut().insert(header::CONTENT_DISPOSITION, h);
    }
    Ok(res)
}

/// `GET /certificates/phyto/{number}/replace` — the officer's replacement form, filled from the
/// certificate.
pub async fn replace_form(State(s): State<WebState>, ctx: Ctx, Path(number): Path<String>) -> Result<Response, PageError> {
    let v = ctx.require(&[Role::Officer])?;
    let c = load(&s, &ctx, v, &number).await?;
    Ok(replace_page(&ctx, v, &c, &PhytoDraft::of(&c.application), "", None))
}

fn replace_page(ctx: &Ctx, v: &Viewer, c: &PhytoCertificate, d: &PhytoDraft, reason: &str, refusal: Option<&Refusal>) -> Response {
    let l = ctx.lang;
    let e = FieldErrors::of(l, refusal, phyto_form::input_of);
    let reason = e.input("reason", l.t("替换原因", "Why it is replaced"), reason);
    let intro = html!(
        "<p class=\"muted\">{}</p>",
        l.pick(
            format!("更正后的证书以新编号签发，并注明替换 {}；原证书标记为已替换。", c.number),
            format!(
                "The corrected certificate is issued under a new number naming {} as the one it replaces; that one is marked replaced.",
                c.number
            )
        )
    );
    form_page(
        ctx,
        v,
        FormOf {
            action: &format!("/certificates/phyto/{}/replace", c.number),
            title: l.t("替换植物检疫证书", "Replace a phytosanitary certificate"),
            intro,
            extra: reason,
        },
        d,
        refusal,
    )
}

/// `POST /certificates/phyto/{number}/replace`
pub async fn replace(State(s): State<WebState>, ctx: Ctx, Path(number): Path<String>, form: Form) -> Result<Response, PageError> {
    let v = ctx.require_form(&[Role::Officer], &form)?;
    let c = load(&s, &ctx, v, &number).await?;
    let draft = draft_of(&form);
    let reason = form.text("reason");
    let cmd = Command::Phyto(PhytoCommand::Replace { number: c.number.clone(), draft: Box::new(draft.clone()), reason: reason.clone() });
    match step(&ctx, s.store.execute(v.actor().clone(), cmd).await)? {
        Step::Done(Outcome::Phyto(n)) => Ok(redirect(&format!("/certificates/phyto/{}?msg=replaced", n.number))),
        Step::Done(_) => Err(ctx.internal("unexpected outcome")),
        Step::Refused(r) if r.errors.is_empty() => Ok(refused_page(&ctx, &c, &r)),
        Step::Refused(r) => Ok(replace_page(&ctx, v, &c, &draft, &reason, Some(&r))),
    }
}

fn refused_page(ctx: &Ctx, c: &PhytoCertificate, r: &Refusal) -> Response {
    let l = ctx.lang;
    let status = StatusCode::from_u16(r.kind.http_status()).unwrap_or(StatusCode::UNPROCESSABLE_ENTITY);
    let body = html!(
        "<h1>{}</h1>{}<p><a href=\"/certificates/phyto/{}\">{}</a></p>",
        l.t("植物检疫证书", "Phytosanitary certificate"),
        formkit::summary(l, l.t("未能办理", "Not done"), r, &[], formkit::same),
        c.number,
        l.t("返回证书", "Back to the certificate")
    );
    page_with(ctx, status, l.t("植物检疫证书", "Phytosanitary certificate"), body)
}

/// `POST /certificates/phyto/{number}/{action}` — issue, refuse, withdraw.
pub async fn officer_step(
    State(s): State<WebState>,
    ctx: Ctx,
    Path((number, action)): Path<(String, String)>,
    form: Form,
) -> Result<Response, PageError> {
    let v = ctx.require_form(&[Role::Officer], &form)?;
    let c = load(&s, &ctx, v, &number).await?;
    let cmd = match guomen_service::phyto::step(&c.number, &action, Some(&form.text("reason"))) {
        Ok(cmd) => cmd,
        Err(_) => return Err(ctx.not_found()),
    };
    match step(&ctx, s.store.execute(v.actor().clone(), Command::Phyto(cmd)).await)? {
        Step::Done(_) => {
            let msg = match action.as_str() {
                "issue" => "issued",
                "refuse" => "refused",
                _ => "withdrawn",
            };
            Ok(redirect(&format!("/certificates/phyto/{}?msg={msg}", c.number)))
        }
        Step::Refused(r) => Ok(refused_page(&ctx, &c, &r)),
    }
}

/// The certificates received for a declaration's consignment (from the exporting country,
/// through the ePhyto hub), with what their comparison with the declaration found: shown on the
/// declaration's page to whoever may see it.
pub fn received_panel(l: Lang, list: &[guomen_domain::phyto::ReceivedCertificate]) -> Html {
    if list.is_empty() {
        return Html::new();
    }
    let items = concat(list.iter().map(|r| {
        let checks = concat(r.checks.iter().map(|c| {
            html!(
                "<li data-check=\"{}\" data-holds=\"{}\">{} {}</li>",
                c.check,
                if c.holds { "true" } else { "false" },
                if c.holds { "✓" } else { "✗" },
                l.t(&c.zh, &c.en)
            )
        }));
        let d = &r.document;
        let goods: Vec<String> = d.lines.iter().map(|x| x.scientific_name.clone()).collect();
        html!(
            "<li class=\"certificate\" data-key=\"{}\"><div class=\"title-row\"><span class=\"mono\">{}</span><span class=\"muted\">{}</span></div><p>{} · {}</p><ul class=\"notes\">{}</ul></li>",
            r.key,
            r.key,
            d.issued.clone(),
            d.issuer.clone(),
            goods.join(", "),
            checks
        )
    }));
    html!(
        "<section class=\"panel\" id=\"phyto-received\"><h2>{}</h2><ul class=\"mandates certificates\">{}</ul></section>",
        l.t("输出国植物检疫证书", "Phytosanitary certificates of the exporting country"),
        items
    )
}
