//! 跨境电商清单 — cross-border e-commerce inventory lists (CEB621) in the console. Officers see
//! every list by status, their work first: lists under inspection (查验) or held for manual review
//! of a suspected identity theft (人工审核), oldest first. An enterprise sees the lists it sent or
//! is named in (platform, e-commerce enterprise, agent) — the API's rule — and its general
//! guarantees. The page of one list and the officer's steps are in `ceb_detail.rs`.

use super::{enterprise_name, param};
use crate::html;
use crate::i18n::Lang;
use crate::layout::{lane_tag, page};
use crate::markup::{concat, Html};
use crate::session::{now_ms, Ctx, Denied, PageError};
use crate::WebState;
use axum::extract::{Query, State};
use axum::response::Response;
use guomen_domain::ceb::{Guarantee, GuaranteeKind};
use guomen_domain::party::Role;
use guomen_store::ceb::{InventoryFilter, StatusCount, OPEN_STATUSES};
use std::collections::HashMap;

/// Who opens these pages: officers see every list, declarants (enterprises) their own.
pub const ROLES: &[Role] = &[Role::Officer, Role::Declarant];
pub const OFFICER: &[Role] = &[Role::Officer];

/// The statuses in the order of the tabs: the officer's work first, then the open ones, then
/// the finished.
pub const STATUSES: &[&str] =
    &["inspection", "manual-review", "detained", "waiting", "released", "closed", "rejected", "returned", "cancelled", "withdrawn"];

/// Lists of finished statuses are counted from at most this many rows (see
/// `Store::ceb_status_counts`); open ones are always counted exactly.
const COUNT_CAP: i64 = 10_000;
const PAGE: i64 = 50;

pub fn status_name(l: Lang, status: &str) -> &'static str {
    match status {
        "waiting" => l.t("待三单齐全", "waiting for documents"),
        "manual-review" => l.t("人工审核", "manual review"),
        "inspection" => l.t("查验", "inspection"),
        "released" => l.t("放行", "released"),
        "rejected" => l.t("退单", "rejected"),
        "detained" => l.t("扣留", "detained"),
        "returned" => l.t("退运", "returned (sent back)"),
        "cancelled" => l.t("已撤销", "cancelled"),
        "closed" => l.t("结关", "closed (left the site)"),
        "withdrawn" => l.t("已删除", "withdrawn"),
        _ => "?",
    }
}

/// A status as a tag, with the CEB622 `returnStatus` it reports.
pub fn status_tag(l: Lang, status: &str, return_status: &str) -> Html {
    html!(
        "<span class=\"status status-{}\" data-status=\"{}\">{} <small>{}</small></span>",
        status,
        status,
        status_name(l, status),
        return_status
    )
}

pub fn guarantee_kind(l: Lang, k: GuaranteeKind) -> &'static str {
    match k {
        GuaranteeKind::Deposit => l.t("保证金", "deposit"),
        GuaranteeKind::BankLetter => l.t("银行保函", "bank letter of guarantee"),
        GuaranteeKind::TariffInsurance => l.t("关税保证保险", "tariff guarantee insurance"),
        GuaranteeKind::GroupFinance => l.t("企业集团财务公司担保", "group finance company guarantee"),
        GuaranteeKind::ThirdParty => l.t("第三方增信", "third-party credit enhancement"),
    }
}

/// A keyset cursor `ms.id`.
fn cursor(q: &HashMap<String, String>, key: &str) -> Option<(i64, String)> {
    param(q, key).and_then(|c| c.split_once('.').and_then(|(ms, id)| Some((ms.parse::<i64>().ok()?, id.to_owned()))))
}

fn shown_count(n: i64, at_least: bool) -> String {
    if at_least {
        format!("{n}+")
    } else {
        n.to_string()
    }
}

/// The tabs: a status with its count, shown when it has lists (the officer's work always).
fn tabs(l: Lang, counts: &[StatusCount], current: Option<&str>) -> Html {
    let tab = |value: &str, label: &str, n: String, here: bool| {
        html!(
            "<a class=\"tab{}\" href=\"/ceb/inventories?status={}\" data-status-tab=\"{}\">{} <b data-count=\"{}\">{}</b></a>",
            if here { " current" } else { "" },
            value,
            value,
            label,
            value,
            n
        )
    };
    let mut out: Vec<Html> = STATUSES
        .iter()
        .filter_map(|st| {
            let c = counts.iter().find(|c| c.status == *st);
            let n = c.map_or(0, |c| c.count);
            let keep = n > 0 || current == Some(*st) || ["inspection", "manual-review"].contains(st);
            keep.then(|| tab(st, status_name(l, st), shown_count(n, c.is_some_and(|c| c.at_least)), current == Some(*st)))
        })
        .collect();
    let total: i64 = counts.iter().map(|c| c.count).sum();
    out.push(tab("all", l.t("全部", "All"), shown_count(total, counts.iter().any(|c| c.at_least)), current.is_none()));
    html!("<nav class=\"tabs\" id=\"status-tabs\">{}</nav>", out)
}

fn guarantees_panel(s: &WebState, l: Lang, me: &str, mine: &[Guarantee]) -> Html {
    let rows = concat(mine.iter().map(|g| {
        let whose = if g.code == me { l.t("本企业", "this enterprise").to_owned() } else { enterprise_name(s, l, &g.code) };
        html!(
            "<tr data-guarantee=\"{}\"><td><span class=\"mono\">{}</span><br><small>{}</small></td><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\" data-left>{}</td></tr>",
            g.code,
            g.code,
            whose,
            guarantee_kind(l, g.kind),
            g.amount.to_string(),
            g.reserved.to_string(),
            g.left().to_string()
        )
    }));
    html!(
        "<section class=\"panel\" id=\"guarantees\"><h2>{}</h2>{}<p class=\"muted\">{}</p></section>",
        l.t("总担保", "General guarantees"),
        if mine.is_empty() {
            html!(
                "<p class=\"empty\">{}</p>",
                l.t(
                    "本企业及在本平台销售的电商企业没有登记总担保。",
                    "No general guarantee is registered for this enterprise or the shops selling on it."
                )
            )
        } else {
            html!(
                "<table class=\"list\"><thead><tr><th>{}</th><th>{}</th><th class=\"num\">{}</th><th class=\"num\">{}</th><th class=\"num\">{}</th></tr></thead><tbody>{}</tbody></table>",
                l.t("担保企业", "Holder"),
                l.t("担保方式", "Kind"),
                l.t("担保额度（元）", "Amount (CNY)"),
                l.t("已占用税款（元）", "Tax reserved (CNY)"),
                l.t("可用额度（元）", "Left (CNY)"),
                rows
            )
        },
        l.t(
            "清单审结时税款从电商企业的总担保中预占，缴纳税款后恢复额度；平台可见在其上销售的电商企业的总担保。",
            "A list's tax is reserved against the e-commerce enterprise's guarantee when it is accepted; paying the tax restores the balance. A platform sees the guarantees of the shops selling on it."
        )
    )
}

/// `GET /ceb/inventories?status=&after=&before=` — inventory lists of one status (or all), a
/// page at a time: open lists oldest first (`after`), finished ones newest first (`before`).
pub async fn list(State(s): State<WebState>, ctx: Ctx, Query(q): Query<HashMap<String, String>>) -> Result<Response, PageError> {
    let v = ctx.require(ROLES)?;
    let l = ctx.lang;
    let officer = v.role() == Role::Officer;
    let party = match officer {
        true => None,
        false => Some(v.enterprise().ok_or_else(|| ctx.deny(Denied::Forbidden))?.to_string()),
    };
    let status = match param(&q, "status") {
        Some(x) if STATUSES.contains(&x.as_str()) => Some(x),
        Some(_) => None,
        None if officer => Some("inspection".to_owned()),
        None => None,
    };
    let oldest_first = status.as_deref().is_some_and(|x| OPEN_STATUSES.contains(&x));
    let filter = InventoryFilter {
        party: party.clone(),
        status: status.clone(),
        before: cursor(&q, "before"),
        oldest_first,
        after: cursor(&q, "after"),
        limit: PAGE,
    };
    let rows = s.store.ceb_inventories(&filter).await.map_err(|e| ctx.internal(e))?;
    let counts = s.store.ceb_status_counts(party.as_deref(), COUNT_CAP).await.map_err(|e| ctx.internal(e))?;
    let now = now_ms();
    let body_rows = concat(rows.iter().map(|r| {
        let open = OPEN_STATUSES.contains(&r.status.as_str());
        let age = now - r.received_at_ms;
        html!(
            "<tr data-id=\"{}\" class=\"{}\"><td><a href=\"/ceb/inventories/{}\" class=\"mono\">{}</a></td><td class=\"mono\">{}</td><td>{}<br><small>{}</small></td><td>{}<br><small>{}</small></td><td class=\"mono\">{}</td><td>{}</td><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td>{}</td><td class=\"age\">{}</td></tr>",
            r.id,
            if open && age > 24 * 3600 * 1000 { "overdue" } else { "" },
            r.id,
            r.id,
            r.order_no,
            enterprise_name(&s, l, &r.ebp_code),
            r.ebp_code,
            enterprise_name(&s, l, &r.ebc_code),
            r.ebc_code,
            r.logistics_no,
            status_tag(l, &r.status, &r.return_status),
            match &r.lane {
                Some(lane) => lane_tag(l, lane),
                None => html!("—"),
            },
            r.value,
            r.tax,
            l.time_ms(r.received_at_ms),
            if open { l.duration_ms(age) } else { "—".to_owned() }
        )
    }));
    let more = match (rows.len() as i64 == PAGE).then(|| rows.last()).flatten() {
        Some(last) => html!(
            "<p><a class=\"button secondary\" href=\"/ceb/inventories?status={}&amp;{}={}.{}\" id=\"next-page\">{}</a></p>",
            status.as_deref().unwrap_or("all"),
            if oldest_first { "after" } else { "before" },
            last.received_at_ms,
            last.id,
            l.t("下一页", "Next page")
        ),
        None => Html::new(),
    };
    // An enterprise's own guarantees, and for a platform those of the shops selling on it: the
    // tax of the lists it sends is reserved against them.
    let mine = match &party {
        Some(me) => {
            let shops = s.store.ceb_shops_of(me).await.map_err(|e| ctx.internal(e))?;
            let all = s.store.ceb_guarantees().await.map_err(|e| ctx.internal(e))?;
            let mine: Vec<Guarantee> = all.into_iter().filter(|g| &g.code == me || shops.contains(&g.code)).collect();
            guarantees_panel(&s, l, me, &mine)
        }
        None => Html::new(),
    };
    let who = match &party {
        Some(me) => html!("<p class=\"muted\">{} {}</p>", enterprise_name(&s, l, me), me),
        None => Html::new(),
    };
    let order_note = if oldest_first {
        l.t("按接收时间排列，最早的在前。", "Oldest first, by the time each list was received.")
    } else {
        l.t("按接收时间排列，最新的在前。", "Newest first, by the time each list was received.")
    };
    let body = html!(
        "<h1>{}</h1>{}{}<p class=\"muted\">{}</p>\
         <table class=\"list\" id=\"inventories\"><thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th class=\"num\">{}</th><th class=\"num\">{}</th><th>{}</th><th>{}</th></tr></thead><tbody>{}</tbody></table>{}{}{}",
        l.t("跨境电商清单", "Cross-border inventory lists"),
        who,
        tabs(l, &counts, status.as_deref()),
        order_note,
        l.t("清单编号", "Inventory list"),
        l.t("订单编号", "Order"),
        l.t("电商平台", "Platform"),
        l.t("电商企业", "E-commerce enterprise"),
        l.t("物流运单编号", "Logistics no."),
        l.t("状态", "Status"),
        l.t("通道", "Lane"),
        l.t("货值（元）", "Value (CNY)"),
        l.t("税款（元）", "Tax (CNY)"),
        l.t("接收时间", "Received"),
        l.t("已等待", "Waiting"),
        body_rows,
        if rows.is_empty() { html!("<p class=\"empty\">{}</p>", l.t("没有清单。", "No inventory lists.")) } else { Html::new() },
        more,
        mine
    );
    Ok(page(&ctx, l.t("跨境电商清单", "Cross-border inventory lists"), body))
}
