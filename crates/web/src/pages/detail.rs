//! One declaration, as each role sees it: the head and items, the inspection and release
//! notices, the timeline of every journal event (time, actor, what changed, the entry's hash),
//! the risk explanation (customs roles), and the forms of the steps the viewer may take now.

use super::{enterprise_name, param};
use crate::html;
use crate::i18n::Lang;
use crate::layout::{csrf, lane_tag, page_with, refusal, status_tag};
use crate::markup::{concat, Html};
use crate::session::{Ctx, Denied, PageError, Viewer};
use crate::WebState;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use guomen_domain::declaration::{Declaration, Status};
use guomen_domain::party::Role;
use guomen_domain::risk::{Decision, Lane};
use guomen_domain::Refusal;
use std::collections::HashMap;

/// Loads a declaration the viewer may see: a record it may not see is not found, as in the API.
pub async fn load(s: &WebState, ctx: &Ctx, v: &Viewer, id: &str) -> Result<Declaration, PageError> {
    if v.role() == Role::Laboratory {
        return Err(ctx.deny(Denied::Forbidden));
    }
    let d = s.store.declaration(id).await.map_err(|e| ctx.internal(e))?.ok_or_else(|| ctx.not_found())?;
    guomen_service::declaration::visible(v.actor(), &d).map_err(|_| ctx.not_found())?;
    Ok(d)
}

/// `GET /declarations/{id}`
pub async fn show(
    State(s): State<WebState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let v = ctx.signed_in()?;
    let d = load(&s, &ctx, v, &id).await?;
    let l = ctx.lang;
    let flash = match param(&q, "msg").as_deref() {
        Some("filed") => crate::layout::notice(l.t("申报已接受，通道见下。", "Declaration accepted; its lane is shown below.")),
        Some("position") => crate::layout::notice(l.t("集装箱到位已反馈。", "Container reported in position.")),
        Some("result") => crate::layout::notice(l.t("查验结果已录入。", "Inspection result recorded.")),
        Some("released") => crate::layout::notice(l.t("已放行，放行通知已推送。", "Released; the release notice was sent.")),
        Some("held") => crate::layout::notice(l.t("货物已扣留。", "Goods held.")),
        Some("rerouted") => crate::layout::notice(l.t("通道已改变。", "Lane changed.")),
        _ => Html::new(),
    };
    render(&s, &ctx, v, &d, flash, None, StatusCode::OK).await
}

/// Which form a refusal answers, to show it there.
pub type ActionError<'a> = Option<(&'a str, &'a Refusal)>;

/// The page, with `flash` on top and a refusal beside the form it answers.
pub async fn render(
    s: &WebState,
    ctx: &Ctx,
    v: &Viewer,
    d: &Declaration,
    flash: Html,
    err: ActionError<'_>,
    status: StatusCode,
) -> Result<Response, PageError> {
    let l = ctx.lang;
    let timeline = s.store.timeline(&format!("declaration:{}", d.id)).await.map_err(|e| ctx.internal(e))?;
    let h = &d.content.head;
    let customs = v.is_customs();
    let body = html!(
        "{}<div class=\"title-row\"><h1>{} <span class=\"mono\" id=\"declaration-id\">{}</span></h1><div>{} {}</div></div>\
         {}{}\
         <div class=\"cols\"><div>{}{}{}</div><div>{}{}{}</div></div>",
        flash,
        l.t("报关单", "Declaration"),
        d.id,
        lane_tag(l, d.lane().as_str()),
        status_tag(l, d.status.as_str()),
        actions(ctx, v, d, err),
        if customs { risk(l, d) } else { Html::new() },
        head_panel(s, l, d),
        items_panel(l, d),
        notices(l, d),
        if h.priority.is_some() || d.sampling.is_some() { quarantine_panel(l, d) } else { Html::new() },
        Html::new(),
        timeline_panel(l, &timeline)
    );
    Ok(page_with(ctx, status, &format!("{} {}", l.t("报关单", "Declaration"), d.id), body))
}

/// The timeline of a record: every journal entry with its time, what happened, who did it and
/// the entry's hash.
pub fn timeline_panel(l: Lang, timeline: &[guomen_store::TimelineEntry]) -> Html {
    let rows = concat(timeline.iter().map(|t| {
        html!(
            "<li data-kind=\"{}\"><time>{}</time><span class=\"what\">{}</span><span class=\"actor\">{}</span><code class=\"hash\" title=\"{}\">{}…</code></li>",
            t.kind,
            l.time_ms(t.at_ms),
            l.pick(t.summary_zh.clone(), t.summary_en.clone()),
            t.actor,
            t.hash,
            &t.hash[..12.min(t.hash.len())]
        )
    }));
    html!(
        "<section class=\"panel\"><h2>{}</h2><ol class=\"timeline\" id=\"timeline\">{}</ol><p class=\"muted\">{}</p></section>",
        l.t("时间线", "Timeline"),
        rows,
        l.t(
            "每一步都是链式日志中的一条记录；哈希值可用 guomen verify 核验。",
            "Every step is an entry of the hash-chained journal; `guomen verify` checks the hashes."
        )
    )
}

pub fn dl(rows: Vec<(&str, Html)>) -> Html {
    html!("<dl class=\"facts\">{}</dl>", concat(rows.into_iter().map(|(k, v)| html!("<dt>{}</dt><dd>{}</dd>", k, v))))
}

pub fn text(s: impl Into<String>) -> Html {
    html!("{}", s.into())
}

fn head_panel(s: &WebState, l: Lang, d: &Declaration) -> Html {
    let h = &d.content.head;
    let party = |c: &guomen_domain::types::CustomsCode| text(format!("{} {}", c, enterprise_name(s, l, c.as_str())));
    let mut rows = vec![
        (l.t("进出口", "Direction"), text(l.direction(h.ie_flag.as_str()))),
        (l.t("申报方式", "Mode"), text(l.mode(h.mode.as_str()))),
        (l.t("申报地海关", "Customs office"), text(h.customs_master.to_string())),
        (l.t("进出境关别", "Port"), text(h.ie_port.to_string())),
        (l.t("进出口日期", "Date"), text(h.ie_date.map(|x| x.to_string()).unwrap_or_else(|| "—".into()))),
        (l.t("境内收发货人", "Consignee/consignor"), party(&h.trade_code)),
    ];
    if let Some(a) = &h.agent_code {
        rows.push((l.t("申报单位", "Agent"), party(a)));
    }
    if let Some(o) = &h.owner_code {
        rows.push((l.t("消费使用单位", "Owner"), party(o)));
    }
    rows.extend([
        (l.t("提运单号", "Bill of lading"), text(h.bill_no.clone())),
        (
            l.t("运输工具 / 航次", "Vessel / voyage"),
            text(format!("{} / {}", h.traf_name.as_deref().unwrap_or("—"), h.voyage_no.as_deref().unwrap_or("—"))),
        ),
        (l.t("监管方式", "Supervision mode"), text(h.trade_mode.clone())),
        (l.t("贸易国", "Trading country"), text(h.trade_country.to_string())),
        (l.t("件数 / 毛重 / 净重", "Packages / gross / net"), text(format!("{} / {} kg / {} kg", h.pack_no, h.gross_wt, h.net_wt))),
        (l.t("监管场所", "Supervision site"), text(h.site_code.clone().unwrap_or_else(|| "—".into()))),
        (l.t("申报时间", "Filed"), text(l.time(d.filed_at))),
        (l.t("运抵时间", "Arrived"), text(d.arrived_at.map(|t| l.time(t)).unwrap_or_else(|| "—".into()))),
    ]);
    if let Some(p) = &h.priority {
        rows.push((l.t("优先通关", "Priority"), text(format!("{}：{}", l.priority(p.kind.as_str()), p.reason))));
    }
    if let Some(due) = d.completion_due {
        rows.push((l.t("完整申报期限", "Complete declaration due"), text(due.to_string())));
    }
    html!("<section class=\"panel\"><h2>{} <small>DecHead</small></h2>{}</section>", l.t("表头", "Head"), dl(rows))
}

fn items_panel(l: Lang, d: &Declaration) -> Html {
    let rows = concat(d.content.items.iter().map(|i| {
        html!(
            "<tr><td>{}</td><td class=\"mono\">{}</td><td>{}<br><small>{}</small></td><td>{} {}</td><td>{} {}</td><td>{}</td></tr>",
            i.g_no,
            i.code_ts.to_string(),
            i.g_name,
            i.g_model.clone().unwrap_or_default(),
            i.g_qty.to_string(),
            guomen_reference::unit::name_zh(i.g_unit.as_str()).unwrap_or(i.g_unit.as_str()),
            i.decl_total.to_string(),
            i.trade_curr.to_string(),
            i.origin_country.to_string()
        )
    }));
    let containers = d.content.containers.iter().map(|c| c.container_id.clone()).collect::<Vec<_>>().join(", ");
    html!(
        "<section class=\"panel\"><h2>{} <small>DecList</small></h2><table class=\"list\"><thead><tr><th>#</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>{}</tbody></table><p>{} <span class=\"mono\">{}</span></p></section>",
        l.t("商品", "Items"),
        l.t("商品编码", "Code"),
        l.t("名称 / 规格", "Name / specification"),
        l.t("数量", "Quantity"),
        l.t("总价", "Total"),
        l.t("原产国", "Origin"),
        rows,
        l.t("集装箱：", "Containers:"),
        if containers.is_empty() { "—".to_owned() } else { containers }
    )
}

fn notices(l: Lang, d: &Declaration) -> Html {
    let mut out = Html::new();
    if let Some(n) = &d.notice {
        let method = match n.method {
            guomen_domain::inspection::InspectionMethod::Physical => l.t("人工查验", "physical examination"),
            guomen_domain::inspection::InspectionMethod::Documentary => l.t("单证审核", "documentary check"),
        };
        let checks: Vec<&str> = n
            .check_types
            .iter()
            .map(|c| match c {
                guomen_domain::risk::CheckType::Examination => l.t("查验", "examination"),
                guomen_domain::risk::CheckType::Quarantine => l.t("检疫", "quarantine"),
                guomen_domain::risk::CheckType::Inspection => l.t("检验", "inspection"),
            })
            .collect();
        let hints = concat(n.hints.iter().map(|h| html!("<li>{}</li>", l.pick(h.zh.clone(), h.en.clone()))));
        out.push(html!(
            "<section class=\"panel notice\" id=\"inspection-notice\"><h2>{}</h2>{}<ul>{}</ul></section>",
            l.t("查验通知", "Inspection notice"),
            dl(vec![
                (l.t("查验记录编号", "Inspection record no."), text(n.record_no.clone())),
                (l.t("查验方式", "Method"), text(method)),
                (l.t("查验类型", "Checks"), text(checks.join(" / "))),
                (l.t("过磅", "Weigh"), text(if n.weigh { l.t("是", "yes") } else { l.t("否", "no") })),
                (l.t("卸货地", "Unloading point"), text(n.unloading_point.clone())),
                (l.t("集装箱", "Containers"), text(n.containers.join(", "))),
                (l.t("下达时间", "Issued"), text(l.time(n.issued_at))),
            ]),
            hints
        ));
    }
    for p in &d.positions {
        out.push(html!(
            "<section class=\"panel\"><h2>{}</h2>{}</section>",
            l.t("集装箱到位", "Container in position"),
            dl(vec![
                (l.t("集装箱号", "Container"), text(p.container_no.clone())),
                (l.t("场地 / 箱位", "Site / slot"), text(format!("{} ({}) / {}", p.site_name, p.site_code, p.slot_code))),
                (l.t("到位时间", "In position at"), text(l.time(p.arrived_at))),
            ])
        ));
    }
    if let Some(r) = &d.result {
        let outcome = match r.outcome {
            guomen_domain::inspection::Outcome::Satisfactory => l.t("合格", "satisfactory"),
            guomen_domain::inspection::Outcome::NotSatisfactory => l.t("不合格", "not satisfactory"),
        };
        out.push(html!(
            "<section class=\"panel\" id=\"inspection-result\"><h2>{}</h2>{}</section>",
            l.t("查验结果", "Inspection result"),
            dl(vec![
                (l.t("结论", "Outcome"), text(outcome)),
                (l.t("查验发现", "Findings"), text(if r.findings.is_empty() { "—".to_owned() } else { r.findings.join("；") })),
                (l.t("关员", "Officer"), text(r.officer.clone())),
                (l.t("录入时间", "Recorded"), text(l.time(r.recorded_at))),
            ])
        ));
    }
    if let Some(h) = &d.hold {
        out.push(html!(
            "<section class=\"panel\"><h2>{}</h2><p>{}</p></section>",
            l.t("扣留", "Hold"),
            format!("{} — {} ({})", h.reason, h.officer, l.time(h.at))
        ));
    }
    if let Some(r) = &d.release {
        let kind = match r.kind {
            guomen_domain::inspection::ReleaseKind::Automatic => l.t("系统自动放行", "released by the system"),
            guomen_domain::inspection::ReleaseKind::PostClearanceAudit => l.t("放行，事后稽查", "released for post-clearance audit"),
            guomen_domain::inspection::ReleaseKind::AfterInspection => l.t("查验后放行", "released after inspection"),
            guomen_domain::inspection::ReleaseKind::HoldLifted => l.t("解除扣留放行", "released, hold lifted"),
            guomen_domain::inspection::ReleaseKind::PreReleaseOnCommitment => l.t("凭承诺预提离", "pre-released on commitment"),
        };
        out.push(html!(
            "<section class=\"panel notice ok\" id=\"release-notice\"><h2>{}</h2>{}</section>",
            l.t("放行通知", "Release notice"),
            dl(vec![
                (l.t("放行方式", "Release"), text(kind)),
                (l.t("放行时间", "Released at"), text(l.time(r.released_at))),
                (l.t("关员", "Officer"), text(r.officer.clone().unwrap_or_else(|| "—".into()))),
                (l.t("备注", "Note"), text(r.note.clone().unwrap_or_else(|| "—".into()))),
            ])
        ));
    }
    out
}

fn quarantine_panel(l: Lang, d: &Declaration) -> Html {
    let mut rows = Vec::new();
    if let Some(s) = &d.sampling {
        let state = match (&s.sample_id, s.conclusion) {
            (_, Some(c)) => l.t(c.name_zh(), c.as_str()).to_owned(),
            (Some(id), None) => format!("{} {}", l.t("已取样，待检测结果：", "sample taken, awaiting result:"), id),
            (None, None) => l.t("待取样", "to be sampled").to_owned(),
        };
        rows.push((l.t("取样送检", "Laboratory sampling"), text(state)));
    }
    if let Some(c) = &d.commitment {
        rows.push((l.t("预提离承诺", "Pre-release commitment"), text(format!("{} · {}", c.signed_by, c.storage_address))));
    }
    if let Some(o) = &d.disposition {
        rows.push((l.t("处置通知", "Disposition order"), text(format!("{} · {}", o.kind.name_zh(), o.deadline))));
    }
    if rows.is_empty() {
        return Html::new();
    }
    html!("<section class=\"panel\"><h2>{}</h2>{}</section>", l.t("检验检疫", "Inspection and quarantine"), dl(rows))
}

fn bp(v: u32) -> String {
    format!("{}.{:02}%", v / 100, v % 100)
}

/// 布控说明 — why the lane: every criterion that hit, its rate, the draw, and re-routings.
fn risk(l: Lang, d: &Declaration) -> Html {
    let reroutes = concat(d.reroutes.iter().map(|r| {
        html!("<li>{} {} → {} · {} · {}</li>", l.time(r.at), lane_tag(l, r.from.as_str()), lane_tag(l, r.to.as_str()), r.officer, r.reason)
    }));
    html!(
        "<section class=\"panel\" id=\"risk\"><h2>{}</h2>{}{}</section>",
        l.t("布控说明", "Risk explanation"),
        decision(l, &d.decision),
        if d.reroutes.is_empty() { Html::new() } else { html!("<h3>{}</h3><ul>{}</ul>", l.t("改变通道", "Re-routings"), reroutes) }
    )
}

/// A risk decision, for customs: the rule set, credit grade and seed, every criterion that hit
/// with its rate, effective rate, draw and reasons, and the random draw. Declarations and
/// cross-border inventory lists are targeted by the same engine, so both show it so.
pub fn decision(l: Lang, dec: &Decision) -> Html {
    let hits = concat(dec.hits.iter().map(|h| {
        let reasons = h.reasons.iter().map(|r| l.pick(r.zh.clone(), r.en.clone())).collect::<Vec<_>>().join("；");
        html!(
            "<tr class=\"{}\" data-criterion=\"{}\"><td class=\"mono\">{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            if h.selected { "selected" } else { "" },
            h.criterion,
            h.criterion,
            lane_tag(l, h.lane.as_str()),
            bp(h.rate_bp),
            bp(h.effective_rate_bp),
            h.draw,
            if h.selected { l.t("选中", "selected") } else { l.t("未选中", "not selected") },
            reasons
        )
    }));
    html!(
        "<p>{}</p>\
         <table class=\"list\"><thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>{}</tbody></table>\
         <p id=\"random-draw\">{}</p>",
        l.pick(
            format!("规则集第 {} 版 · 信用等级：{}（系数 {}）· 随机种子 {} · 布控结果：{}", dec.ruleset_version, l.grade(dec.grade), dec.grade_factor, dec.seed, l.lane(dec.lane.as_str())),
            format!("Rule set v{} · credit grade: {} (factor {}) · seed {} · decision: {}", dec.ruleset_version, l.grade(dec.grade), dec.grade_factor, dec.seed, l.lane(dec.lane.as_str()))
        ),
        l.t("规则", "Criterion"),
        l.t("通道", "Lane"),
        l.t("布控比例", "Rate"),
        l.t("按信用调整后", "Effective rate"),
        l.t("随机数（0–9999）", "Draw (0–9999)"),
        l.t("结果", "Result"),
        l.t("命中原因", "Why it hit"),
        if dec.hits.is_empty() { html!("<tr><td colspan=\"7\">{}</td></tr>", l.t("没有规则命中。", "No criterion hit.")) } else { hits },
        l.pick(
            format!("随机抽查：比例 {}，随机数 {}，{}", bp(dec.random.rate_bp), dec.random.draw, if dec.random.selected { "被抽中" } else { "未抽中" }),
            format!("Random selection: rate {}, draw {}, {}", bp(dec.random.rate_bp), dec.random.draw, if dec.random.selected { "selected" } else { "not selected" })
        )
    )
}

pub fn error_for(l: Lang, err: ActionError<'_>, action: &str) -> Html {
    match err {
        Some((a, r)) if a == action => refusal(l, r),
        _ => Html::new(),
    }
}

fn lane_options(l: Lang, current: Lane) -> Html {
    concat(
        [Lane::Red, Lane::Yellow, Lane::Blue, Lane::Green]
            .into_iter()
            .filter(|x| *x != current)
            .map(|x| html!("<option value=\"{}\">{} — {}</option>", x.as_str(), l.lane(x.as_str()), l.lane_meaning(x.as_str()))),
    )
}

/// The forms of the steps the viewer may take on the record as it stands.
fn actions(ctx: &Ctx, v: &Viewer, d: &Declaration, err: ActionError<'_>) -> Html {
    let l = ctx.lang;
    let id = &d.id;
    let mut forms = Vec::new();
    match v.role() {
        Role::Officer => {
            let can_result = match d.status {
                Status::InPosition => true,
                Status::InspectionNotified => d.lane() == Lane::Yellow || d.terminal.is_none(),
                _ => false,
            };
            if can_result {
                forms.push(html!(
                    "<form method=\"post\" action=\"/declarations/{}/result\" class=\"action\" id=\"result-form\"><h3>{}</h3>{}{}\
                     <label class=\"radio\"><input type=\"radio\" name=\"outcome\" value=\"satisfactory\" id=\"outcome-satisfactory\" checked> {}</label>\
                     <label class=\"radio\"><input type=\"radio\" name=\"outcome\" value=\"not-satisfactory\" id=\"outcome-not-satisfactory\"> {}</label>\
                     <label>{}<textarea name=\"findings\" id=\"findings\" rows=\"2\"></textarea></label><label>{}<input name=\"note\" id=\"result-note\"></label>\
                     <button type=\"submit\" id=\"record-result\">{}</button></form>",
                    id,
                    l.t("录入查验结果", "Record the inspection result"),
                    error_for(l, err, "result"),
                    csrf(v),
                    l.t("合格", "Satisfactory"),
                    l.t("不合格", "Not satisfactory"),
                    l.t("查验发现（每行一条；不合格时必填）", "Findings (one per line; required when not satisfactory)"),
                    l.t("备注", "Note")
                    ,
                    l.t("提交结果", "Record result")
                ));
            }
            if matches!(d.status, Status::Inspected | Status::Held) {
                forms.push(html!(
                    "<form method=\"post\" action=\"/declarations/{}/release\" class=\"action\" id=\"release-form\"><h3>{}</h3>{}{}\
                     <label>{}<input name=\"note\" id=\"release-note\"></label>\
                     <label class=\"check\"><input type=\"checkbox\" name=\"permitted_to_enter_only\"> {}</label>\
                     <button type=\"submit\" id=\"release\">{}</button></form>",
                    id,
                    l.t("放行", "Release"),
                    error_for(l, err, "release"),
                    csrf(v),
                    l.t("备注（扣留或不合格货物放行时必填）", "Note (required for held or non-conforming goods)"),
                    l.t("仅准许入境（两段准入，目的地再检验）", "Permitted to enter only (two-stage access)"),
                    l.t("放行", "Release")
                ));
            }
            if matches!(d.status, Status::InspectionNotified | Status::InPosition | Status::Inspected | Status::PendingLaboratory) {
                forms.push(html!(
                    "<form method=\"post\" action=\"/declarations/{}/hold\" class=\"action\" id=\"hold-form\"><h3>{}</h3>{}{}\
                     <label>{}<input name=\"reason\" id=\"hold-reason\"></label><button type=\"submit\" class=\"danger\" id=\"hold\">{}</button></form>",
                    id,
                    l.t("扣留", "Hold"),
                    error_for(l, err, "hold"),
                    csrf(v),
                    l.t("原因", "Reason"),
                    l.t("扣留", "Hold")
                ));
            }
            if matches!(d.status, Status::AwaitingArrival | Status::InspectionNotified | Status::InPosition) {
                forms.push(html!(
                    "<form method=\"post\" action=\"/declarations/{}/reroute\" class=\"action\" id=\"reroute-form\"><h3>{}</h3>{}{}\
                     <label>{}<select name=\"lane\" id=\"reroute-lane\">{}</select></label><label>{}<input name=\"reason\" id=\"reroute-reason\"></label>\
                     <button type=\"submit\" class=\"secondary\" id=\"reroute\">{}</button></form>",
                    id,
                    l.t("改变通道", "Re-route"),
                    error_for(l, err, "reroute"),
                    csrf(v),
                    l.t("改为", "To"),
                    lane_options(l, d.lane()),
                    l.t("原因", "Reason"),
                    l.t("改变通道", "Re-route")
                ));
            }
        }
        Role::Terminal if matches!(d.status, Status::InspectionNotified | Status::InPosition) && d.lane().needs_inspection() => {
            let n = d.notice.as_ref();
            let reported: Vec<&str> = d.positions.iter().map(|p| p.container_no.as_str()).collect();
            let open: Vec<String> =
                n.map(|n| n.containers.iter().filter(|c| !reported.contains(&c.as_str())).cloned().collect()).unwrap_or_default();
            let container = if open.is_empty() {
                html!("<input name=\"container_no\" id=\"container_no\">")
            } else {
                html!(
                    "<select name=\"container_no\" id=\"container_no\">{}</select>",
                    concat(open.iter().map(|c| html!("<option value=\"{}\">{}</option>", c, c)))
                )
            };
            forms.push(html!(
                "<form method=\"post\" action=\"/declarations/{}/position\" class=\"action\" id=\"position-form\"><h3>{}</h3>{}{}\
                 <label>{}<input name=\"record_no\" id=\"record_no\" value=\"{}\"></label><label>{}{}</label>\
                 <label>{}<input name=\"site_name\" id=\"site_name\"></label><label>{}<input name=\"slot_code\" id=\"slot_code\"></label>\
                 <button type=\"submit\" id=\"report-position\">{}</button></form>",
                id,
                l.t("反馈集装箱到位", "Report a container in position"),
                error_for(l, err, "position"),
                csrf(v),
                l.t("查验记录编号", "Inspection record no."),
                n.map(|n| n.record_no.clone()).unwrap_or_default(),
                l.t("集装箱号", "Container no."),
                container,
                l.t("查验场地名称", "Inspection site"),
                l.t("箱位", "Slot"),
                l.t("反馈到位", "Report in position")
            ));
        }
        _ => {}
    }
    if forms.is_empty() {
        return Html::new();
    }
    html!(
        "<section class=\"panel actions-panel\" id=\"actions\"><h2>{}</h2><div class=\"action-row\">{}</div></section>",
        l.t("办理", "Take a step"),
        forms
    )
}
