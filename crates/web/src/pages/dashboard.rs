//! 通关数据 — the figures the seeds report: overall clearance time for imports and exports split
//! into the Time Release Study segments, inspection and detection rates, the share released in
//! under a second, pre-releases and time-limit compliance, by day and by customs office. Read
//! from the daily rollups, never from the declarations.

use super::param;
use crate::chart::{lines, stacked_bars, Series};
use crate::html;
use crate::i18n::Lang;
use crate::layout::page;
use crate::markup::{concat, Html};
use crate::session::{Ctx, PageError};
use crate::WebState;
use axum::extract::{Query, State};
use axum::response::Response;
use guomen_domain::party::Role;
use guomen_store::console::reads::{ClearanceFigures, FiguresFilter, GroupBy};
use std::collections::HashMap;
use time::{Date, Duration, OffsetDateTime};

const READERS: &[Role] = &[Role::Officer, Role::RiskAnalyst, Role::Admin];

/// Days in the rolling window of the daily rates.
const WINDOW: usize = 7;

fn pct(n: i64, d: i64) -> Option<f64> {
    (d > 0).then(|| 100.0 * n as f64 / d as f64)
}

fn pct_text(v: Option<f64>) -> String {
    v.map(|x| format!("{x:.1}%")).unwrap_or_else(|| "—".into())
}

fn hours(ms: i64, n: i64) -> Option<f64> {
    (n > 0).then(|| ms as f64 / n as f64 / 3_600_000.0)
}

fn avg_clearance(l: Lang, f: &ClearanceFigures) -> String {
    if f.timed == 0 {
        return "—".into();
    }
    l.duration_ms((f.arrival_ms + f.decision_ms + f.inspection_ms + f.release_ms) / f.timed)
}

fn inspection_rate(f: &ClearanceFigures) -> Option<f64> {
    pct(f.red + f.yellow, f.declared)
}

fn detection_rate(f: &ClearanceFigures) -> Option<f64> {
    pct(f.non_conforming, f.inspected)
}

fn instant_share(f: &ClearanceFigures) -> Option<f64> {
    pct(f.released_instantly, f.released)
}

/// The dashboard's period: the last `days` customs days up to today.
pub fn period(today: Date, days: i64) -> (Date, Date) {
    (today - Duration::days(days - 1), today)
}

/// `GET /dashboard?days=30&office=&ie=`
pub async fn show(State(s): State<WebState>, ctx: Ctx, Query(q): Query<HashMap<String, String>>) -> Result<Response, PageError> {
    ctx.require(READERS)?;
    let l = ctx.lang;
    let days: i64 = param(&q, "days").and_then(|d| d.parse().ok()).filter(|d| [7, 30, 90, 365].contains(d)).unwrap_or(30);
    let today = guomen_domain::clearance::cst_day(OffsetDateTime::now_utc());
    let (from, to) = period(today, days);
    let offices = s.store.figure_offices().await.map_err(|e| ctx.internal(e))?;
    let office = param(&q, "office").filter(|o| offices.contains(o));
    let ie = param(&q, "ie").filter(|x| x == "I" || x == "E");
    let filter = FiguresFilter { from: from.to_string(), to: to.to_string(), office: office.clone(), ie_flag: ie.clone() };
    let by_day = s.store.clearance_figures(&filter, GroupBy::Day).await.map_err(|e| ctx.internal(e))?;
    let by_office = s.store.clearance_figures(&filter, GroupBy::Office).await.map_err(|e| ctx.internal(e))?;
    let by_dir = s.store.clearance_figures(&filter, GroupBy::Direction).await.map_err(|e| ctx.internal(e))?;

    let labels: Vec<String> = (0..days).map(|i| (from + Duration::days(i)).to_string()).collect();
    let day = |d: &str| by_day.iter().find(|(k, _)| k == d).map(|(_, f)| f.clone()).unwrap_or_default();
    let per_day: Vec<ClearanceFigures> = labels.iter().map(|d| day(d)).collect();
    if let Some(format) = param(&q, "format").filter(|f| f == "csv" || f == "xlsx") {
        return Ok(export(l, &labels, &per_day, &format));
    }
    let mut total = ClearanceFigures::default();
    for (_, f) in &by_day {
        total.add(f);
    }
    // Time limits are counted on the day they fall due: only days already over are final.
    let past = |d: &str| d < today.to_string().as_str();
    let (due, met) = by_day.iter().filter(|(d, _)| past(d)).fold((0, 0), |(a, b), (_, f)| (a + f.limits_due, b + f.limits_met));
    let dir = |ie: &str| by_dir.iter().find(|(k, _)| k == ie).map(|(_, f)| f.clone()).unwrap_or_default();
    let (imp, exp) = (dir("I"), dir("E"));

    let kpi = |id: &str, label: &str, value: String, note: String| {
        html!(
            "<div class=\"kpi\"><span class=\"k\">{}</span><span class=\"v\" data-figure=\"{}\">{}</span><span class=\"n\">{}</span></div>",
            label,
            id,
            value,
            note
        )
    };
    let kpis = concat([
        kpi(
            "clearance-import",
            l.t("进口整体通关时间", "Import clearance time"),
            avg_clearance(l, &imp),
            format!("{} {}", imp.timed, l.t("票已放行", "released")),
        ),
        kpi(
            "clearance-export",
            l.t("出口整体通关时间", "Export clearance time"),
            avg_clearance(l, &exp),
            format!("{} {}", exp.timed, l.t("票已放行", "released")),
        ),
        kpi(
            "inspection-rate",
            l.t("布控查验率", "Inspection rate"),
            pct_text(inspection_rate(&total)),
            format!("{} / {}", total.red + total.yellow, total.declared),
        ),
        kpi(
            "detection-rate",
            l.t("查获率", "Detection rate"),
            pct_text(detection_rate(&total)),
            format!("{} / {}", total.non_conforming, total.inspected),
        ),
        kpi(
            "instant-release",
            l.t("秒级放行占比", "Released in under a second"),
            pct_text(instant_share(&total)),
            format!("{} / {}", total.released_instantly, total.released),
        ),
        kpi(
            "pre-released",
            l.t("预提离", "Pre-released"),
            total.pre_released.to_string(),
            l.t("凭承诺先行提离", "on commitment").to_owned(),
        ),
        kpi("time-limits", l.t("时限达标率", "Time-limit compliance"), pct_text(pct(met, due)), format!("{met} / {due}")),
    ]);

    let seg = |name: &str, colour: &'static str, f: fn(&ClearanceFigures) -> i64| {
        Series::new(name, colour, per_day.iter().map(|d| hours(f(d), d.timed)).collect())
    };
    let segments = stacked_bars(
        "chart-segments",
        l.t("整体通关时间分段（平均小时，WCO 通关时间研究）", "Overall clearance time by segment (average hours, WCO Time Release Study)"),
        &labels,
        &[
            seg(l.t("运抵→申报", "arrival → declaration"), "#8c6d46", |d| d.arrival_ms),
            seg(l.t("申报→决定", "declaration → decision"), "#d9a441", |d| d.decision_ms),
            seg(l.t("决定→查验", "decision → inspection"), "#c0392b", |d| d.inspection_ms),
            seg(l.t("查验→放行", "inspection → release"), "#2e7d5b", |d| d.release_ms),
        ],
        " h",
    );
    // Rates over the 7 days up to each day: one small day no longer swings a line between 0 %
    // and 100 %. Each point's tooltip gives the counts it is made of.
    let rolling: Vec<ClearanceFigures> = (0..per_day.len())
        .map(|i| {
            let mut w = ClearanceFigures::default();
            for d in &per_day[i.saturating_sub(WINDOW - 1)..=i] {
                w.add(d);
            }
            w
        })
        .collect();
    let rate = |name: &str, colour: &'static str, f: fn(&ClearanceFigures) -> Option<f64>, n: fn(&ClearanceFigures) -> (i64, i64)| {
        let mut s = Series::new(name, colour, rolling.iter().map(f).collect());
        s.notes = rolling.iter().map(n).map(|(a, b)| format!("{a} / {b}")).collect();
        s
    };
    let rates = lines(
        "chart-rates",
        l.t("查验率、查获率与秒级放行（%，近 7 天滚动）", "Inspection, detection and under-a-second release (%, rolling 7 days)"),
        &labels,
        &[
            rate(l.t("查验率", "inspection rate"), "#c0392b", inspection_rate, |w| (w.red + w.yellow, w.declared)),
            rate(l.t("查获率", "detection rate"), "#6c3483", detection_rate, |w| (w.non_conforming, w.inspected)),
            rate(l.t("秒级放行", "released < 1 s"), "#2e7d5b", instant_share, |w| (w.released_instantly, w.released)),
        ],
        "%",
        Some(100.0),
    );
    let lanes = lane_mix(l, &labels, &per_day);

    let office_rows = concat(by_office.iter().map(|(o, f)| {
        html!(
            "<tr data-office=\"{}\"><td><a href=\"/dashboard?days={}&office={}\">{}</a></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            o,
            days,
            o,
            o,
            f.declared,
            avg_clearance(l, f),
            pct_text(inspection_rate(f)),
            pct_text(detection_rate(f)),
            pct_text(instant_share(f)),
            f.pre_released,
            f.released
        )
    }));
    let query = {
        let mut ser = form_urlencoded::Serializer::new(String::new());
        ser.append_pair("days", &days.to_string());
        if let Some(o) = &office {
            ser.append_pair("office", o);
        }
        if let Some(x) = &ie {
            ser.append_pair("ie", x);
        }
        ser.finish()
    };
    let choice = |name: &str, value: &str, label: &str, current: bool| {
        html!(
            "<option value=\"{}\"{}>{}</option>",
            value,
            if current { Html::lit(" selected") } else { Html::new() },
            format!("{name}{label}")
        )
    };
    let filters = html!(
        "<form method=\"get\" action=\"/dashboard\" class=\"filters\" id=\"dashboard-filters\">\
         <label>{}<select name=\"days\">{}</select></label><label>{}<select name=\"office\"><option value=\"\">{}</option>{}</select></label>\
         <label>{}<select name=\"ie\"><option value=\"\">{}</option>{}{}</select></label><button type=\"submit\">{}</button>\
         <span class=\"exports\"><a class=\"button secondary\" id=\"export-csv\" download href=\"/dashboard?{}&amp;format=csv\">{}</a> \
         <a class=\"button secondary\" id=\"export-xlsx\" download href=\"/dashboard?{}&amp;format=xlsx\">{}</a></span></form>",
        l.t("期间", "Period"),
        concat([7, 30, 90, 365].iter().map(|d| choice("", &d.to_string(), &l.pick(format!("近 {d} 天"), format!("last {d} days")), *d == days))),
        l.t("关区", "Office"),
        l.t("全部关区", "All offices"),
        concat(offices.iter().map(|o| choice("", o, o, office.as_deref() == Some(o)))),
        l.t("进出口", "Direction"),
        l.t("进出口合计", "Both"),
        choice("", "I", l.t("进口", "Import"), ie.as_deref() == Some("I")),
        choice("", "E", l.t("出口", "Export"), ie.as_deref() == Some("E")),
        l.t("查看", "Show"),
        query.clone(),
        l.t("导出 CSV", "Export CSV"),
        query,
        l.t("导出 Excel", "Export Excel")
    );
    let body = html!(
        "<div class=\"title-row\"><h1>{}</h1><span class=\"muted\">{} {} — {}</span></div>{}<div class=\"kpis\" id=\"kpis\">{}</div>\
         <section class=\"panel\">{}</section><section class=\"panel\">{}</section><section class=\"panel\">{}</section>\
         <section class=\"panel\"><h2>{}</h2><table class=\"list\" id=\"by-office\"><thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>{}</tbody></table></section>\
         <p class=\"muted\">{}</p>",
        l.t("通关数据", "Clearance figures"),
        l.t("申报日（北京时间）", "Customs days (CST)"),
        from.to_string(),
        to.to_string(),
        filters,
        kpis,
        segments,
        rates,
        lanes,
        l.t("按关区", "By customs office"),
        l.t("关区", "Office"),
        l.t("报关单", "Declarations"),
        l.t("平均通关时间", "Average clearance"),
        l.t("查验率", "Inspection rate"),
        l.t("查获率", "Detection rate"),
        l.t("秒级放行", "Released < 1 s"),
        l.t("预提离", "Pre-released"),
        l.t("已放行", "Released"),
        office_rows,
        l.t(
            "按申报日统计；整体通关时间为货物运抵至放行；查验率为红、黄通道占比；查获率为已查验中发现不合格的占比；时限（两步申报完整申报 14 天、处置期限）按到期日统计，仅计已过去的日期。",
            "By day of declaration; overall clearance time runs from arrival to release; inspection rate is the share sent to the red or yellow lane; detection rate is the share of inspected declarations found non-conforming; time limits (two-step completion within 14 days, disposition deadlines) count on their due day, past days only."
        )
    );
    Ok(page(&ctx, l.t("通关数据", "Clearance figures"), body))
}

/// The figures of each day of the period as a file.
fn export(l: Lang, labels: &[String], per_day: &[ClearanceFigures], format: &str) -> Response {
    let header = [
        l.t("申报日", "Day"),
        l.t("报关单", "Declarations"),
        l.t("绿色通道", "Green"),
        l.t("蓝色通道", "Blue"),
        l.t("黄色通道", "Yellow"),
        l.t("红色通道", "Red"),
        l.t("已查验", "Inspected"),
        l.t("不合格", "Non-conforming"),
        l.t("已放行", "Released"),
        l.t("秒级放行", "Released < 1 s"),
        l.t("预提离", "Pre-released"),
        l.t("平均通关时间（小时）", "Average clearance (hours)"),
    ];
    let rows = labels
        .iter()
        .zip(per_day)
        .map(|(d, f)| {
            let avg = hours(f.arrival_ms + f.decision_ms + f.inspection_ms + f.release_ms, f.timed)
                .map(|h| format!("{h:.2}"))
                .unwrap_or_default();
            let mut r = vec![d.clone()];
            r.extend(
                [
                    f.declared,
                    f.green,
                    f.blue,
                    f.yellow,
                    f.red,
                    f.inspected,
                    f.non_conforming,
                    f.released,
                    f.released_instantly,
                    f.pre_released,
                ]
                .map(|n| n.to_string()),
            );
            r.push(avg);
            r
        })
        .collect();
    let t = crate::export::Table {
        name: l.t("通关数据", "Clearance figures").to_owned(),
        header: header.iter().map(|x| x.to_string()).collect(),
        rows,
    };
    crate::export::download(&t, "clearance-figures", format)
}

/// 通道分布 — declarations per lane per day; the analyst's page shows it too.
pub fn lane_mix(l: Lang, labels: &[String], per_day: &[ClearanceFigures]) -> Html {
    let lane = |key: &str, colour: &'static str, f: fn(&ClearanceFigures) -> i64| {
        Series::new(l.lane(key), colour, per_day.iter().map(|d| Some(f(d) as f64)).collect())
    };
    stacked_bars(
        "chart-lanes",
        l.t("每日通道分布（票）", "Lane mix per day (declarations)"),
        labels,
        &[
            lane("green", "#2e7d5b", |d| d.green),
            lane("blue", "#2f6db5", |d| d.blue),
            lane("yellow", "#d9a441", |d| d.yellow),
            lane("red", "#c0392b", |d| d.red),
        ],
        "",
    )
}
