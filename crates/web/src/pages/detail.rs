//! One declaration, as each role sees it: the head and items, the inspection and release
//! notices, the timeline of every journal event (time, actor, what changed, the entry's hash),
//! the risk explanation (customs roles), and the forms of the steps the viewer may take now.

use super::{enterprise_name, param};
use crate::formkit::FieldErrors;
use crate::html;
use crate::i18n::Lang;
use crate::layout::{csrf, lane_tag, page_with, status_tag};
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
    // After an officer's step: straight on to the next declaration waiting in the same lane.
    let flash = if v.role() == Role::Officer && matches!(param(&q, "msg").as_deref(), Some("result" | "released" | "held" | "rerouted")) {
        crate::markup::concat([
            flash,
            html!(
                "<p class=\"next-in-queue\"><a class=\"button\" id=\"next-in-queue\" href=\"/queue/next?from={}&amp;lane={}\">{}</a> <a href=\"/queue\">{}</a></p>",
                d.id.clone(),
                d.lane().as_str(),
                l.t("下一票", "Next in queue"),
                l.t("返回作业队列", "Back to the queue")
            ),
        ])
    } else {
        flash
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
    let received = s.store.phyto_received_list(Some(&d.id), 20).await.map_err(|e| ctx.internal(e))?;
    let h = &d.content.head;
    let customs = v.is_customs();
    let body = html!(
        "{}<div class=\"title-row\"><h1>{} <span class=\"mono\" id=\"declaration-id\">{}</span></h1><div>{} {}{}</div></div>\
         {}{}\
         <div class=\"cols\"><div>{}{}{}</div><div>{}{}{}</div></div>",
        flash,
        l.t("报关单", "Declaration"),
        d.id,
        lane_tag(l, d.lane().as_str()),
        status_tag(l, d.status.as_str()),
        overdue_tag(l, d),
        actions(ctx, v, d, err, &site_name(s, l, v)),
        if customs { risk(l, d) } else { Html::new() },
        head_panel(s, l, d),
        items_panel(l, d),
        notices(l, d),
        if h.priority.is_some() || d.sampling.is_some() { quarantine_panel(l, d) } else { Html::new() },
        super::phyto::received_panel(l, &received),
        timeline_with(l, &timeline, &|t| system_made(d, &timeline, t))
    );
    Ok(page_with(ctx, status, &format!("{} {}", l.t("报关单", "Declaration"), d.id), body))
}

/// The terminal's own site, to fill in its container report: the name of its enterprise and its
/// supervision site code.
fn site_name(s: &WebState, l: Lang, v: &Viewer) -> String {
    if v.role() != Role::Terminal {
        return String::new();
    }
    let Some(code) = v.enterprise().map(|e| e.to_string()) else { return String::new() };
    let site = s.store.directory().read().expect("directory lock").enterprises.get(&code).and_then(|e| e.site_code.clone());
    let name = enterprise_name(s, l, &code);
    match site {
        Some(site) if !name.contains(&site) => format!("{name} ({site})"),
        _ => name,
    }
}

/// Steps the system took, though the journal records them under the command that caused them:
/// the risk decision and the inspection notice of a filing, and an automatic release, sampling
/// ordered by targeting or a laboratory conclusion recorded under the trader's filing.
fn system_made(d: &Declaration, timeline: &[guomen_store::TimelineEntry], t: &guomen_store::TimelineEntry) -> bool {
    let filer = timeline.iter().find(|e| e.kind == "declaration_filed").map(|e| e.actor.as_str());
    match t.kind.as_str() {
        "risk_assessed" => true,
        "released" => d.release.as_ref().is_some_and(|r| r.officer.is_none()) || Some(t.actor.as_str()) == filer,
        "inspection_notice_issued" | "sampling_ordered" | "laboratory_concluded" | "held" | "disposition_ordered" => {
            Some(t.actor.as_str()) == filer
        }
        _ => false,
    }
}

/// Who took a step, as people say it: the system, a user by name, or an API client.
pub fn actor_label(l: Lang, actor: &str, system: bool) -> String {
    if system {
        return l.t("系统自动", "the system").to_owned();
    }
    if let Some(name) = actor.strip_prefix("user:") {
        return name.to_owned();
    }
    if let Some(token) = actor.strip_prefix("token:") {
        let id = token.split('/').next().unwrap_or(token);
        return l.pick(format!("接口调用（令牌 {id}）"), format!("API client (token {id})"));
    }
    match actor {
        "system" | "console" | "" => l.t("系统自动", "the system").to_owned(),
        other => other.to_owned(),
    }
}

/// A step past its due date and not done: the complete declaration of a two-step declaration,
/// or a disposition order.
fn overdue_tag(l: Lang, d: &Declaration) -> Html {
    let today = guomen_domain::clearance::cst_day(time::OffsetDateTime::now_utc());
    let late = if d.completion_due.is_some_and(|due| due < today) && d.completed_at.is_none() {
        Some(l.pick(
            format!("完整申报逾期（应于 {} 前）", d.completion_due.map(|x| x.to_string()).unwrap_or_default()),
            format!("complete declaration overdue (due {})", d.completion_due.map(|x| x.to_string()).unwrap_or_default()),
        ))
    } else {
        match &d.disposition {
            Some(o) if o.deadline < today && matches!(d.status, Status::DispositionRequired | Status::UnderDisposition) => {
                Some(l.pick(format!("处置逾期（期限 {}）", o.deadline), format!("disposition overdue (deadline {})", o.deadline)))
            }
            _ => None,
        }
    };
    match late {
        Some(t) => html!(" <span class=\"status status-overdue\" id=\"overdue\">{}</span>", t),
        None => Html::new(),
    }
}

/// The timeline of a record: every journal entry with its time, what happened, who did it and
/// the entry's hash.
pub fn timeline_panel(l: Lang, timeline: &[guomen_store::TimelineEntry]) -> Html {
    timeline_with(l, timeline, &|_| false)
}

/// The timeline, `system` telling which entries the system made.
pub fn timeline_with(l: Lang, timeline: &[guomen_store::TimelineEntry], system: &dyn Fn(&guomen_store::TimelineEntry) -> bool) -> Html {
    let rows = concat(timeline.iter().map(|t| {
        let by_system = system(t);
        html!(
            "<li data-kind=\"{}\"><time>{}</time><span class=\"what\">{}</span><span class=\"actor\" data-actor=\"{}\">{}</span><code class=\"hash\" title=\"{}\">{}…</code></li>",
            t.kind,
            l.time_ms(t.at_ms),
            l.pick(t.summary_zh.clone(), t.summary_en.clone()),
            if by_system { "system" } else { "person" },
            actor_label(l, &t.actor, by_system),
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
            l.unit(i.g_unit.as_str()),
            i.decl_total.to_string(),
            i.trade_curr.to_string(),
            i.origin_country.to_string()
        )
    }));
    let containers = d.content.containers.iter().map(|c| c.container_id.clone()).collect::<Vec<_>>().join(", ");
    html!(
        "<section class=\"panel\" id=\"items\"><h2>{} <small>DecList</small></h2><table class=\"list\"><thead><tr><th>#</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>{}</tbody></table><p>{} <span class=\"mono\">{}</span></p></section>",
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
            "<section class=\"panel notice\" id=\"inspection-notice\"><h2>{} <a class=\"print-link\" href=\"/declarations/{}/print/inspection\" id=\"print-inspection\">{}</a></h2>{}<ul>{}</ul></section>",
            l.t("查验通知", "Inspection notice"),
            d.id,
            l.t("打印", "Print"),
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
                (l.t("关员", "Officer"), text(actor_label(l, &r.officer, false))),
                (l.t("录入时间", "Recorded"), text(l.time(r.recorded_at))),
            ])
        ));
    }
    if let Some(h) = &d.hold {
        out.push(html!(
            "<section class=\"panel\"><h2>{}</h2><p>{}</p></section>",
            l.t("扣留", "Hold"),
            format!("{} — {} ({})", h.reason, actor_label(l, &h.officer, false), l.time(h.at))
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
            "<section class=\"panel notice ok\" id=\"release-notice\"><h2>{} <a class=\"print-link\" href=\"/declarations/{}/print/release\" id=\"print-release\">{}</a></h2>{}</section>",
            l.t("放行通知", "Release notice"),
            d.id,
            l.t("打印", "Print"),
            dl(vec![
                (l.t("放行方式", "Release"), text(kind)),
                (l.t("放行时间", "Released at"), text(l.time(r.released_at))),
                (l.t("关员", "Officer"), text(r.officer.as_deref().map(|o| actor_label(l, o, false)).unwrap_or_else(|| l.t("系统自动", "the system").to_owned()))),
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

/// What a form of a step is called when it was not accepted, and its fields' labels.
fn action_form(l: Lang, action: &str) -> (&'static str, Vec<(&'static str, &'static str)>) {
    let title = match action {
        "result" => l.t("查验结果未能录入", "The inspection result was not recorded"),
        "release" => l.t("未能放行", "Not released"),
        "hold" => l.t("未能扣留", "Not held"),
        "reroute" => l.t("通道未能改变", "The lane was not changed"),
        "position" => l.t("集装箱到位未能反馈", "The container report was not accepted"),
        "detain" => l.t("未能扣留", "Not detained"),
        "return" => l.t("未能退运", "Not sent back"),
        _ => l.t("未能办理", "The step was not taken"),
    };
    let labels = vec![
        ("outcome", l.t("结论", "Outcome")),
        ("findings", l.t("查验发现", "Findings")),
        ("note", l.t("备注", "Note")),
        ("reason", l.t("原因", "Reason")),
        ("lane", l.t("改为通道", "New lane")),
        ("record_no", l.t("查验记录编号", "Inspection record no.")),
        ("container_no", l.t("集装箱号", "Container no.")),
        ("site_name", l.t("查验场地名称", "Inspection site")),
        ("slot_code", l.t("箱位", "Slot")),
        ("code", l.t("处置代码", "Code")),
    ];
    (title, labels)
}

/// The input a step's error path points at: `findings[2]` → `findings`.
fn step_input(path: &str) -> String {
    path.split('[').next().unwrap_or(path).to_owned()
}

/// The refusal of a step, shown in its form: titled by the form, errors under their labels.
pub fn error_for(l: Lang, err: ActionError<'_>, action: &str) -> Html {
    match err {
        Some((a, r)) if a == action => {
            let (title, labels) = action_form(l, action);
            crate::formkit::summary(l, title, r, &labels, step_input)
        }
        _ => Html::new(),
    }
}

/// The field errors of a step's form, to mark its inputs.
fn errors_for(l: Lang, err: ActionError<'_>, action: &str) -> FieldErrors {
    match err {
        Some((a, r)) if a == action => FieldErrors::of(l, Some(r), step_input),
        _ => FieldErrors::none(),
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
fn actions(ctx: &Ctx, v: &Viewer, d: &Declaration, err: ActionError<'_>, site: &str) -> Html {
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
                let e = errors_for(l, err, "result").prefixed("result-");
                forms.push(html!(
                    "<form method=\"post\" action=\"/declarations/{}/result\" class=\"action\" id=\"result-form\"><h3>{}</h3>{}{}\
                     <fieldset class=\"plain\"><legend>{}</legend>\
                     <label class=\"radio\"><input type=\"radio\" name=\"outcome\" value=\"satisfactory\" id=\"outcome-satisfactory\" checked> {}</label>\
                     <label class=\"radio\"><input type=\"radio\" name=\"outcome\" value=\"not-satisfactory\" id=\"outcome-not-satisfactory\"> {}</label>{}</fieldset>\
                     <label for=\"{}\">{}<textarea name=\"findings\" id=\"{}\" rows=\"2\"{}></textarea>{}</label>{}\
                     <button type=\"submit\" id=\"record-result\">{}</button></form>",
                    id,
                    l.t("录入查验结果", "Record the inspection result"),
                    error_for(l, err, "result"),
                    csrf(v),
                    l.t("结论", "Outcome"),
                    l.t("合格", "Satisfactory"),
                    l.t("不合格", "Not satisfactory"),
                    e.slot("outcome"),
                    e.id("findings"),
                    l.t("查验发现（每行一条；不合格时必填）", "Findings (one per line; required when not satisfactory)"),
                    e.id("findings"),
                    e.attrs("findings"),
                    e.slot("findings"),
                    e.input("note", l.t("备注", "Note"), ""),
                    l.t("提交结果", "Record result")
                ));
            }
            if matches!(d.status, Status::Inspected | Status::Held) {
                let e = errors_for(l, err, "release").prefixed("release-");
                forms.push(html!(
                    "<form method=\"post\" action=\"/declarations/{}/release\" class=\"action\" id=\"release-form\" data-confirm=\"{}\"><h3>{}</h3>{}{}\
                     {}\
                     <label class=\"check\"><input type=\"checkbox\" name=\"permitted_to_enter_only\"> {}</label>\
                     <button type=\"submit\" id=\"release\">{}</button></form>",
                    id,
                    l.pick(format!("放行报关单 {id}？放行通知将立即发出，不能撤回。"), format!("Release declaration {id}? The release notice goes out at once and cannot be withdrawn.")),
                    l.t("放行", "Release"),
                    error_for(l, err, "release"),
                    csrf(v),
                    e.input("note", l.t("备注（扣留或不合格货物放行时必填）", "Note (required for held or non-conforming goods)"), ""),
                    l.t("仅准许入境（两段准入，目的地再检验）", "Permitted to enter only (two-stage access)"),
                    l.t("放行", "Release")
                ));
            }
            if matches!(d.status, Status::InspectionNotified | Status::InPosition | Status::Inspected | Status::PendingLaboratory) {
                let e = errors_for(l, err, "hold").prefixed("hold-");
                forms.push(html!(
                    "<form method=\"post\" action=\"/declarations/{}/hold\" class=\"action\" id=\"hold-form\" data-confirm=\"{}\"><h3>{}</h3>{}{}\
                     {}<button type=\"submit\" class=\"danger\" id=\"hold\">{}</button></form>",
                    id,
                    l.pick(format!("扣留报关单 {id} 的货物？"), format!("Hold the goods of declaration {id}?")),
                    l.t("扣留", "Hold"),
                    error_for(l, err, "hold"),
                    csrf(v),
                    e.input("reason", l.t("原因", "Reason"), ""),
                    l.t("扣留", "Hold")
                ));
            }
            if matches!(d.status, Status::AwaitingArrival | Status::InspectionNotified | Status::InPosition) {
                let e = errors_for(l, err, "reroute").prefixed("reroute-");
                forms.push(html!(
                    "<form method=\"post\" action=\"/declarations/{}/reroute\" class=\"action\" id=\"reroute-form\" data-confirm=\"{}\"><h3>{}</h3>{}{}\
                     <label for=\"{}\">{}<select name=\"lane\" id=\"{}\"{}>{}</select>{}</label>{}\
                     <button type=\"submit\" class=\"secondary\" id=\"reroute\">{}</button></form>",
                    id,
                    l.pick(format!("改变报关单 {id} 的通道？"), format!("Re-route declaration {id}?")),
                    l.t("改变通道", "Re-route"),
                    error_for(l, err, "reroute"),
                    csrf(v),
                    e.id("lane"),
                    l.t("改为", "To"),
                    e.id("lane"),
                    e.attrs("lane"),
                    lane_options(l, d.lane()),
                    e.slot("lane"),
                    e.input("reason", l.t("原因", "Reason"), ""),
                    l.t("改变通道", "Re-route")
                ));
            }
        }
        Role::Terminal if matches!(d.status, Status::InspectionNotified | Status::InPosition) && d.lane().needs_inspection() => {
            let n = d.notice.as_ref();
            let reported: Vec<&str> = d.positions.iter().map(|p| p.container_no.as_str()).collect();
            let noticed: Vec<String> = n.map(|n| n.containers.clone()).unwrap_or_default();
            let open: Vec<String> = noticed.iter().filter(|c| !reported.contains(&c.as_str())).cloned().collect();
            // Every container the notice names is reported: nothing is left to report.
            if noticed.is_empty() || !open.is_empty() {
                let e = errors_for(l, err, "position");
                let container = if open.is_empty() {
                    e.input("container_no", l.t("集装箱号", "Container no."), "")
                } else {
                    let options: Vec<(String, String)> = open.iter().map(|c| (c.clone(), c.clone())).collect();
                    e.select("container_no", l.t("集装箱号", "Container no."), &options, "")
                };
                forms.push(html!(
                    "<form method=\"post\" action=\"/declarations/{}/position\" class=\"action\" id=\"position-form\"><h3>{}</h3>{}{}\
                     {}{}{}{}\
                     <button type=\"submit\" id=\"report-position\">{}</button></form>",
                    id,
                    l.t("反馈集装箱到位", "Report a container in position"),
                    error_for(l, err, "position"),
                    csrf(v),
                    e.input("record_no", l.t("查验记录编号", "Inspection record no."), &n.map(|n| n.record_no.clone()).unwrap_or_default()),
                    container,
                    e.input("site_name", l.t("查验场地名称", "Inspection site"), site),
                    e.input("slot_code", l.t("箱位", "Slot"), ""),
                    l.t("反馈到位", "Report in position")
                ));
            }
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
