//! The laboratory's pages: its samples, and one sample with the step it can take next —
//! receive, enter a result per analyte, verify (by someone who entered none of the results),
//! publish. The same laboratory commands the API sends.

use super::{step, Step};
use crate::form::Form;
use crate::formkit::FieldErrors;
use crate::html;
use crate::i18n::Lang;
use crate::layout::{csrf, notice, page, page_with, redirect};
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

/// The labels of the laboratory's form, by input name.
fn labels(l: Lang) -> Vec<(&'static str, &'static str)> {
    vec![
        ("analyte", l.t("检测项目", "Analyte")),
        ("value", l.t("数值", "Value")),
        ("detected", l.t("有害生物", "Pest")),
        ("by", l.t("办理人", "Signed by")),
        ("step", l.t("步骤", "Step")),
    ]
}

/// A laboratory step's error path as the form's input (`results[0].value` → `value`).
fn lab_input(path: &str) -> String {
    let last = path.rsplit('.').next().unwrap_or(path);
    last.split('[').next().unwrap_or(last).to_owned()
}

/// What the step was called, for the title of its refusal.
fn step_title(l: Lang, step: &str) -> &'static str {
    match step {
        "receive" => l.t("未能收样", "The sample was not received"),
        "result" => l.t("检测结果未能录入", "The result was not entered"),
        "verify" => l.t("未能审核", "The results were not verified"),
        "publish" => l.t("结论未能发布", "The conclusion was not published"),
        _ => l.t("未能办理", "The step was not taken"),
    }
}

fn conclusion_name(l: Lang, c: guomen_domain::inspection::Conclusion) -> String {
    l.pick(c.name_zh().to_owned(), c.as_str().replace('-', " "))
}

fn render(ctx: &Ctx, v: &Viewer, x: &Sample, refused: Option<(&str, &Refusal)>, top: Html, status: StatusCode) -> Response {
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
            "<tr><td class=\"mono\">{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            a.code,
            l.pick(a.name_zh.clone(), a.name_en.clone()),
            expected,
            got.unwrap_or_else(|| "—".into()),
            r.map(|r| if r.conforms { l.t("符合", "conforms") } else { l.t("不符合", "does not conform") }).unwrap_or(""),
            r.map(|r| super::detail::actor_label(l, &r.entered_by, false)).unwrap_or_default()
        )
    }));
    let errs = |step: &str| match refused {
        Some((s, r)) if s == step => FieldErrors::of(l, Some(r), lab_input),
        _ => FieldErrors::none(),
    };
    // Above the steps: the form it answers may no longer be offered (a verification by whoever
    // entered a result).
    let summary = match refused {
        Some((step, r)) => crate::formkit::summary(l, step_title(l, step), r, &labels(l), lab_input),
        None => Html::new(),
    };
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
    // The four-eyes rule: whoever entered a result does not verify.
    let entered_one = x.results.iter().any(|r| r.entered_by == v.actor().id);
    let mut forms = Vec::new();
    match x.status {
        SampleStatus::Registered => forms.push(action("receive", l.t("收样", "Receive"), Html::new())),
        SampleStatus::Received | SampleStatus::ToBeVerified => {
            let e = errs("result");
            let options: Vec<(String, String)> = x
                .analytes
                .iter()
                .map(|a| (a.code.clone(), format!("{} {}", a.code, l.pick(a.name_zh.clone(), a.name_en.clone()))))
                .collect();
            let detected = vec![
                (String::new(), "—".to_owned()),
                ("false".to_owned(), l.t("未检出", "not detected").to_owned()),
                ("true".to_owned(), l.t("检出", "detected").to_owned()),
            ];
            forms.push(action(
                "result",
                l.t("录入结果", "Enter result"),
                concat([
                    e.select("analyte", l.t("检测项目", "Analyte"), &options, ""),
                    e.input("value", l.t("数值", "Value"), ""),
                    e.select("detected", l.t("有害生物", "Pest"), &detected, ""),
                ]),
            ));
            if x.status == SampleStatus::ToBeVerified {
                if entered_one {
                    forms.push(html!(
                        "<p class=\"muted action\" id=\"verify-by-another\">{}</p>",
                        l.t(
                            "您录入了本样品的检测结果，须由未录入结果的另一名检测人员审核。",
                            "You entered results of this sample: another analyst, who entered none, verifies them."
                        )
                    ));
                } else {
                    forms.push(action("verify", l.t("审核", "Verify"), Html::new()));
                }
            }
        }
        SampleStatus::Verified => forms.push(action("publish", l.t("发布结论", "Publish"), Html::new())),
        _ => {}
    }
    let conclusion = match &x.published {
        Some(p) => html!(
            "<section class=\"panel notice ok\" id=\"conclusion\"><h2>{}</h2>{}</section>",
            l.t("检测结论", "Conclusion"),
            super::detail::dl(vec![
                (l.t("结论", "Conclusion"), super::detail::text(conclusion_name(l, p.conclusion))),
                (l.t("说明", "Note"), super::detail::text(p.note.clone().unwrap_or_else(|| "—".into()))),
                (l.t("发布人", "Published by"), super::detail::text(super::detail::actor_label(l, &p.by, false))),
                (l.t("发布时间", "Published"), super::detail::text(l.time(p.at))),
            ])
        ),
        None => Html::new(),
    };
    let steps = if forms.is_empty() {
        Html::new()
    } else {
        html!(
            "<section class=\"panel\" id=\"lab-steps\"><h2>{}</h2><div class=\"action-row\">{}</div></section>",
            l.t("办理", "Take a step"),
            forms
        )
    };
    let body = html!(
        "{}{}<h1>{} <span class=\"mono\">{}</span></h1><p>{} <span class=\"mono\">{}</span> · {}</p>{}\
         <section class=\"panel\"><table class=\"list\"><thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>{}</tbody></table></section>{}",
        top,
        summary,
        l.t("样品", "Sample"),
        x.id,
        l.t("报关单", "Declaration"),
        x.declaration_id,
        status_name(l, x.status),
        conclusion,
        l.t("项目", "Code"),
        l.t("名称", "Name"),
        l.t("判定标准", "Limit"),
        l.t("结果", "Result"),
        l.t("判定", "Verdict"),
        l.t("录入人", "Entered by"),
        results,
        steps
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
    Ok(render(&ctx, v, &x, None, top, StatusCode::OK))
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
    Ok(render(ctx, v, &x, Some((form.get("step").unwrap_or(""), &refused)), Html::new(), status))
}

/// `POST /samples/{id}/step`
pub async fn step_post(State(s): State<WebState>, ctx: Ctx, Path(id): Path<String>, form: Form) -> Result<Response, PageError> {
    step_(&s, &ctx, id, &form).await
}
