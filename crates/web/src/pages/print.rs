//! Print-friendly documents: the inspection notice (查验通知书) and the release notice (放行通知书)
//! of a declaration, and a laboratory's test report (检测报告). Each is a page of its own, laid
//! out for A4 by the stylesheet's print rules (no menu, no buttons, black on white), with a
//! button that opens the browser's print dialogue (and so "save as PDF").

use super::detail::{self, dl, text};
use super::enterprise_name;
use crate::html;
use crate::i18n::Lang;
use crate::layout::page;
use crate::markup::{concat, Html};
use crate::session::{Ctx, PageError};
use crate::WebState;
use axum::extract::{Path, State};
use axum::response::Response;
use guomen_domain::declaration::Declaration;
use guomen_domain::party::Role;

fn document(l: Lang, title: &str, number: &str, facts: Html, extra: Html, back: &str) -> Html {
    html!(
        "<p class=\"no-print\"><a href=\"{}\">{}</a> <button type=\"button\" id=\"print\" data-print>{}</button></p>\
         <article class=\"print-doc\" id=\"print-doc\"><header class=\"doc-head\"><p class=\"issuer\">{}</p><h1>{}</h1><p class=\"doc-no\">{} <span class=\"mono\">{}</span></p></header>{}{}\
         <footer class=\"doc-foot\"><p>{}</p></footer></article>",
        back,
        l.t("返回", "Back"),
        l.t("打印", "Print"),
        l.t("中华人民共和国海关", "Customs of the People's Republic of China"),
        title,
        l.t("编号", "No."),
        number,
        facts,
        extra,
        l.t(
            "本文书由国门系统生成；其每一步均记入链式日志，可用 guomen verify 核验。",
            "Issued by Guomen; every step behind it is an entry of the hash-chained journal that guomen verify checks."
        )
    )
}

fn parties(s: &WebState, l: Lang, d: &Declaration) -> Vec<(&'static str, Html)> {
    let h = &d.content.head;
    vec![
        (l.t("报关单号", "Declaration no."), text(d.id.clone())),
        (l.t("境内收发货人", "Consignee/consignor"), text(format!("{} {}", h.trade_code, enterprise_name(s, l, h.trade_code.as_str())))),
        (l.t("提运单号", "Bill of lading"), text(h.bill_no.clone())),
        (l.t("申报地海关", "Customs office"), text(h.customs_master.to_string())),
        (l.t("监管场所", "Supervision site"), text(h.site_code.clone().unwrap_or_else(|| "—".into()))),
    ]
}

/// `GET /declarations/{id}/print/{inspection|release}`
pub async fn notice(State(s): State<WebState>, ctx: Ctx, Path((id, which)): Path<(String, String)>) -> Result<Response, PageError> {
    let v = ctx.signed_in()?;
    let d = detail::load(&s, &ctx, v, &id).await?;
    let l = ctx.lang;
    let back = format!("/declarations/{}", d.id);
    let body = match which.as_str() {
        "inspection" => {
            let n = d.notice.as_ref().ok_or_else(|| ctx.not_found())?;
            let mut rows = parties(&s, l, &d);
            rows.extend([
                (l.t("查验记录编号", "Inspection record no."), text(n.record_no.clone())),
                (l.t("卸货地", "Unloading point"), text(n.unloading_point.clone())),
                (l.t("集装箱", "Containers"), text(if n.containers.is_empty() { "—".to_owned() } else { n.containers.join(", ") })),
                (l.t("过磅", "Weigh"), text(if n.weigh { l.t("是", "yes") } else { l.t("否", "no") })),
                (l.t("下达时间", "Issued"), text(l.time(n.issued_at))),
            ]);
            let hints = concat(n.hints.iter().map(|h| html!("<li>{}</li>", l.pick(h.zh.clone(), h.en.clone()))));
            document(
                l,
                l.t("查验通知书", "Inspection notice"),
                &n.record_no,
                dl(rows),
                html!(
                    "<h2>{}</h2><ul>{}</ul><p class=\"sign\">{}</p>",
                    l.t("查验要求", "What to do"),
                    hints,
                    l.t(
                        "收货人或其代理人签收：＿＿＿＿＿＿　　日期：＿＿＿＿",
                        "Received for the consignee: ____________   Date: ________"
                    )
                ),
                &back,
            )
        }
        "release" => {
            let r = d.release.as_ref().ok_or_else(|| ctx.not_found())?;
            let mut rows = parties(&s, l, &d);
            rows.extend([
                (
                    l.t("集装箱", "Containers"),
                    text({
                        let c: Vec<String> = d.content.containers.iter().map(|c| c.container_id.clone()).collect();
                        if c.is_empty() {
                            "—".to_owned()
                        } else {
                            c.join(", ")
                        }
                    }),
                ),
                (l.t("放行时间", "Released at"), text(l.time(r.released_at))),
                (
                    l.t("放行关员", "Released by"),
                    text(
                        r.officer
                            .clone()
                            .map(|o| detail::actor_label(l, &o, false))
                            .unwrap_or_else(|| l.t("系统自动", "the system").to_owned()),
                    ),
                ),
                (l.t("备注", "Note"), text(r.note.clone().unwrap_or_else(|| "—".into()))),
            ]);
            document(
                l,
                l.t("放行通知书", "Release notice"),
                &d.id,
                dl(rows),
                html!(
                    "<p>{}</p>",
                    l.t(
                        "上列货物准予放行，请凭本通知书提离监管场所。",
                        "The goods above are released and may leave the supervision site on this notice."
                    )
                ),
                &back,
            )
        }
        _ => return Err(ctx.not_found()),
    };
    Ok(page(&ctx, l.t("打印", "Print"), body))
}

/// `GET /samples/{id}/report` — the laboratory's test report of a published sample.
pub async fn lab_report(State(s): State<WebState>, ctx: Ctx, Path(id): Path<String>) -> Result<Response, PageError> {
    let v = ctx.require(&[Role::Laboratory])?;
    let l = ctx.lang;
    let x = s.store.sample(&id).await.map_err(|e| ctx.internal(e))?.ok_or_else(|| ctx.not_found())?;
    if Some(&x.lab) != v.enterprise() {
        return Err(ctx.not_found());
    }
    let p = x.published.as_ref().ok_or_else(|| ctx.not_found())?;
    let results = concat(x.analytes.iter().map(|a| {
        let r = x.results.iter().find(|r| r.analyte == a.code);
        let got = r
            .map(|r| match (r.value, r.detected) {
                (_, Some(true)) => l.t("检出", "detected").to_owned(),
                (_, Some(false)) => l.t("未检出", "not detected").to_owned(),
                (Some(v), None) => v.to_string(),
                _ => "—".into(),
            })
            .unwrap_or_else(|| "—".into());
        html!(
            "<tr><td class=\"mono\">{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            a.code,
            l.pick(a.name_zh.clone(), a.name_en.clone()),
            got,
            r.map(|r| if r.conforms { l.t("符合", "conforms") } else { l.t("不符合", "does not conform") }).unwrap_or("—")
        )
    }));
    let facts = dl(vec![
        (l.t("样品编号", "Sample"), text(x.id.clone())),
        (l.t("报关单号", "Declaration"), text(x.declaration_id.clone())),
        (l.t("检测机构", "Laboratory"), text(format!("{} {}", x.lab, enterprise_name(&s, l, x.lab.as_str())))),
        (l.t("封条号", "Seal"), text(x.taken.as_ref().map(|t| t.seal_no.clone()).unwrap_or_else(|| "—".into()))),
        (l.t("结论", "Conclusion"), text(l.pick(p.conclusion.name_zh().to_owned(), p.conclusion.as_str().replace('-', " ")))),
        (l.t("审核", "Verified by"), text(x.verified.as_ref().map(|s| detail::actor_label(l, &s.by, false)).unwrap_or_else(|| "—".into()))),
        (l.t("发布", "Published"), text(format!("{} · {}", detail::actor_label(l, &p.by, false), l.time(p.at)))),
    ]);
    let table = html!(
        "<h2>{}</h2><table class=\"list print-table\"><thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>{}</tbody></table>",
        l.t("检测结果", "Results"),
        l.t("项目", "Code"),
        l.t("名称", "Name"),
        l.t("结果", "Result"),
        l.t("判定", "Verdict"),
        results
    );
    let body = document(l, l.t("检测报告", "Test report"), &x.id, facts, table, &format!("/samples/{}", x.id));
    Ok(page(&ctx, l.t("检测报告", "Test report"), body))
}
