//! The laboratory's pages: its samples, and one sample with the step it can take next —
//! receive, enter a result per analyte, verify (by someone who entered none of the results),
//! publish. The same laboratory commands the API sends.

use super::{step, Step};
use crate::form::Form;
use crate::html;
use crate::i18n::Lang;
use crate::layout::{csrf, notice, page, page_with, redirect, refusal};
use crate::markup::{concat, Html};
use crate::session::{Ctx, Denied, PageError, Viewer};
use crate::WebState;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use guomen_domain::party::Role;
use guomen_domain::quarantine::lab::{AnalyteKind, Sample, SampleStatus};
use guomen_domain::{Refusal, Rule};
use guomen_store::quarantine::{LabStep, QuarantineCommand};
use guomen_store::Command;
use std::collections::HashMap;

const LAB: &[Role] = &[Role::Laboratory];

fn status_name(l: Lang, s: SampleStatus) -> String {
    l.pick(s.name_zh().to_owned(), s.as_str().replace('-', " "))
}

/// `GET /samples`
pub async fn samples(State(s): State<WebState>, ctx: Ctx) -> Result<Response, PageError> {
    let v = ctx.require(LAB)?;
    let l = ctx.lang;
    let me = v.enterprise().ok_or_else(|| ctx.deny(Denied::Forbidden))?.to_string();
    let list = s.store.samples(Some(&me), None).await.map_err(|e| ctx.internal(e))?;
    let rows = concat(list.iter().map(|x| {
        html!(
            "<tr data-sample=\"{}\"><td class=\"mono\"><a href=\"/samples/{}\">{}</a></td><td class=\"mono\">{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            x.id,
            x.id,
            x.id,
            x.declaration_id,
            status_name(l, x.status),
            x.analytes.len(),
            l.time(x.ordered_at)
        )
    }));
    let body = html!(
        "<h1>{}</h1><section class=\"panel\"><table class=\"list\" id=\"samples\"><thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>{}</tbody></table></section>",
        l.t("样品", "Samples"),
        l.t("样品编号", "Sample"),
        l.t("报关单号", "Declaration"),
        l.t("状态", "Status"),
        l.t("检测项目", "Analytes"),
        l.t("下达时间", "Ordered"),
        rows
    );
    Ok(page(&ctx, l.t("样品", "Samples"), body))
}

async fn load(s: &WebState, ctx: &Ctx, v: &Viewer, id: &str) -> Result<Sample, PageError> {
    let sample = s.store.sample(id).await.map_err(|e| ctx.internal(e))?.ok_or_else(|| ctx.not_found())?;
    if Some(&sample.lab) != v.enterprise() {
        return Err(ctx.not_found());
    }
    Ok(sample)
}

fn render(ctx: &Ctx, v: &Viewer, x: &Sample, top: Html, status: StatusCode) -> Response {
    let l = ctx.lang;
    let results = concat(x.analytes.iter().map(|a| {
        let r = x.results.iter().find(|r| r.analyte == a.code);
        let expected = match &a.kind {
            AnalyteKind::Range { min, max, unit } => {
                format!("{}–{} {}", min.map(|m| m.to_string()).unwrap_or_default(), max.map(|m| m.to_string()).unwrap_or_default(), unit)
            }
            AnalyteKind::Presence => l.t("不得检出", "not detected").to_owned(),
        };
        let got = r.map(|r| match (r.value, r.detected) {
            (_, Some(true)) => l.t("检出", "detected").to_owned(),
            (_, Some(false)) => l.t("未检出", "not detected").to_owned(),
            (Some(v), None) => v.to_string(),
            _ => "—".into(),
        });
        html!(
            "<tr><td class=\"mono\">{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            a.code,
            l.pick(a.name_zh.clone(), a.name_en.clone()),
            expected,
            got.unwrap_or_else(|| "—".into()),
            r.map(|r| if r.conforms { l.t("符合", "conforms") } else { l.t("不符合", "does not conform") }).unwrap_or("")
        )
    }));
    let action = |step: &str, label: &str, extra: Html| {
        html!(
            "<form method=\"post\" action=\"/samples/{}/step\" class=\"action\">{}<input type=\"hidden\" name=\"step\" value=\"{}\">{}<button type=\"submit\" id=\"lab-{}\">{}</button></form>",
            x.id,
            csrf(v),
            step,
            extra,
            step,
            label
        )
    };
    let mut forms = Vec::new();
    match x.status {
        SampleStatus::Registered => forms.push(action("receive", l.t("收样", "Receive"), Html::new())),
        SampleStatus::Received | SampleStatus::ToBeVerified => {
            let options = concat(x.analytes.iter().map(|a| {
                html!("<option value=\"{}\">{}</option>", a.code, format!("{} {}", a.code, l.pick(a.name_zh.clone(), a.name_en.clone())))
            }));
            forms.push(action(
                "result",
                l.t("录入结果", "Enter result"),
                html!(
                    "<label>{}<select name=\"analyte\">{}</select></label><label>{}<input name=\"value\"></label><label>{}<select name=\"detected\"><option value=\"\">—</option><option value=\"false\">{}</option><option value=\"true\">{}</option></select></label>",
                    l.t("检测项目", "Analyte"),
                    options,
                    l.t("数值", "Value"),
                    l.t("有害生物", "Pest"),
                    l.t("未检出", "not detected"),
                    l.t("检出", "detected")
                ),
            ));
            if x.status == SampleStatus::ToBeVerified {
                forms.push(action("verify", l.t("审核（须非录入人）", "Verify (not by who entered)"), Html::new()));
            }
        }
        SampleStatus::Verified => forms.push(action("publish", l.t("发布结论", "Publish"), Html::new())),
        _ => {}
    }
    let body = html!(
        "{}<h1>{} <span class=\"mono\">{}</span></h1><p>{} <span class=\"mono\">{}</span> · {}</p>\
         <section class=\"panel\"><table class=\"list\"><thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th></th></tr></thead><tbody>{}</tbody></table></section>\
         <section class=\"panel\"><div class=\"action-row\">{}</div></section>",
        top,
        l.t("样品", "Sample"),
        x.id,
        l.t("报关单", "Declaration"),
        x.declaration_id,
        status_name(l, x.status),
        l.t("项目", "Code"),
        l.t("名称", "Name"),
        l.t("判定标准", "Limit"),
        l.t("结果", "Result"),
        results,
        forms
    );
    page_with(ctx, status, l.t("样品", "Sample"), body)
}

/// `GET /samples/{id}`
pub async fn sample(
    State(s): State<WebState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let v = ctx.require(LAB)?;
    let x = load(&s, &ctx, v, &id).await?;
    let top = if q.contains_key("msg") { notice(ctx.t("已办理。", "Done.")) } else { Html::new() };
    Ok(render(&ctx, v, &x, top, StatusCode::OK))
}

/// `POST /samples/{id}/step`
pub async fn step_(s: &WebState, ctx: &Ctx, id: String, form: &Form) -> Result<Response, PageError> {
    let v = ctx.require_form(LAB, form)?;
    let x = load(s, ctx, v, &id).await?;
    let lab = x.lab.clone();
    let parsed: Result<LabStep, Refusal> = match form.get("step") {
        Some("receive") => Ok(LabStep::Receive),
        Some("verify") => Ok(LabStep::Verify),
        Some("publish") => Ok(LabStep::Publish { not_interpretable_note: None }),
        Some("result") => {
            let value = form.text("value");
            let value = if value.is_empty() {
                Ok(None)
            } else {
                value.parse::<rust_decimal::Decimal>().map(Some).map_err(|_| Refusal::field("value", Rule::Decimal, "a number", "应为数字"))
            };
            value.map(|value| LabStep::EnterResult {
                analyte: form.text("analyte"),
                value,
                detected: match form.get("detected") {
                    Some("true") => Some(true),
                    Some("false") => Some(false),
                    _ => None,
                },
            })
        }
        _ => Err(Refusal::field("step", Rule::Unknown, "no such laboratory step", "没有这个检测步骤")),
    };
    let refused = match parsed {
        Ok(st) => match step(
            ctx,
            s.store.execute(v.actor().clone(), Command::Quarantine(QuarantineCommand::Step { sample_id: id.clone(), lab, step: st })).await,
        )? {
            Step::Done(_) => return Ok(redirect(&format!("/samples/{id}?msg=done"))),
            Step::Refused(r) => r,
        },
        Err(r) => r,
    };
    let status = StatusCode::from_u16(refused.kind.http_status()).unwrap_or(StatusCode::UNPROCESSABLE_ENTITY);
    Ok(render(ctx, v, &x, refusal(ctx.lang, &refused), status))
}

/// `POST /samples/{id}/step`
pub async fn step_post(State(s): State<WebState>, ctx: Ctx, Path(id): Path<String>, form: Form) -> Result<Response, PageError> {
    step_(&s, &ctx, id, &form).await
}
