//! The panels of an inventory list's page: head, goods lines, tax bill, the buyer's quota, and
//! why it waits, was held or was rejected.

use super::detail::{dl, text};
use super::enterprise_name;
use crate::html;
use crate::i18n::Lang;
use crate::markup::{concat, Html};
use crate::WebState;
use guomen_domain::ceb::quota::Regime;
use guomen_domain::ceb::{DocKind, InventoryRecord, Ledger, TaxState};

/// Personal numbers as the console shows them: every character but the last four hidden.
pub fn mask(s: &str) -> String {
    let n = s.chars().count();
    s.chars().enumerate().map(|(i, c)| if i + 4 < n { '*' } else { c }).collect()
}

fn time(l: Lang, ms: Option<i64>) -> Html {
    text(ms.map(|ms| l.time_ms(ms)).unwrap_or_else(|| "—".into()))
}

fn country(l: Lang, code: &str) -> String {
    let name = match l {
        Lang::Zh => guomen_reference::gacc_country::name_zh(code),
        Lang::En => guomen_reference::gacc_country::name_en(code),
    };
    match name {
        Some(n) => format!("{n} ({code})"),
        None => code.to_owned(),
    }
}

pub fn head(s: &WebState, l: Lang, r: &InventoryRecord) -> Html {
    let i = &r.inventory;
    let party = |code: &str, declared: &str| {
        let known = enterprise_name(s, l, code);
        text(if known == code { format!("{code} {declared}") } else { format!("{code} {known}") })
    };
    let id_type = match i.buyer_id_type.as_str() {
        "1" => l.t("身份证", "resident identity card"),
        _ => l.t("其他证件", "other identity document"),
    };
    let rows = vec![
        (l.t("订单编号", "Order no."), text(i.order_no.clone())),
        (l.t("预录入编号", "Pre-entry no."), text(r.pre_no.clone())),
        (l.t("电商平台", "E-commerce platform"), party(&i.ebp_code, &i.ebp_name)),
        (l.t("电商企业", "E-commerce enterprise"), party(&i.ebc_code, &i.ebc_name)),
        (l.t("申报企业", "Agent"), party(&i.agent_code, &i.agent_name)),
        (l.t("物流企业", "Logistics firm"), party(&i.logistics_code, &i.logistics_name)),
        (l.t("物流运单编号", "Logistics (waybill) no."), text(i.logistics_no.clone())),
        (l.t("担保企业", "Guarantee of"), text(i.assure_code.clone())),
        (l.t("订购人", "Buyer"), text(i.buyer_name.clone())),
        (
            l.t("订购人证件", "Buyer's identity"),
            html!("{} <span class=\"mono\" id=\"buyer-id\">{}</span>", id_type, mask(&i.buyer_id_number)),
        ),
        (l.t("订购人电话", "Buyer's telephone"), html!("<span class=\"mono\">{}</span>", mask(&i.buyer_telephone))),
        (l.t("收件地址", "Consignee address"), html!("<span id=\"consignee-address\">{}</span>", i.consignee_address)),
        (l.t("监管方式", "Trade mode"), text(i.trade_mode.clone())),
        (l.t("申报海关 / 口岸海关", "Customs / port"), text(format!("{} / {}", i.customs_code, i.port_code))),
        (l.t("起运国", "Country of departure"), text(country(l, &i.country))),
        (l.t("运费 / 保费（元）", "Freight / insurance (CNY)"), text(format!("{} / {}", i.freight, i.insured_fee))),
        (l.t("完税价格（元）", "Transaction value (CNY)"), text(i.value().to_string())),
        (l.t("件数 / 毛重 / 净重", "Packages / gross / net"), text(format!("{} / {} kg / {} kg", i.pack_no, i.gross_weight, i.net_weight))),
        (l.t("发送企业", "Sent by"), text(r.sender.clone())),
        (l.t("接收时间", "Received"), time(l, Some(r.received_at_ms))),
        (l.t("审结时间", "Decided"), time(l, r.decided_at_ms)),
        (l.t("放行时间", "Released"), time(l, r.released_at_ms)),
    ];
    html!(
        "<section class=\"panel\" id=\"inventory-head\"><h2>{} <small>InventoryHead</small></h2>{}</section>",
        l.t("表头", "Head"),
        dl(rows)
    )
}

pub fn goods(l: Lang, r: &InventoryRecord) -> Html {
    let rows = concat(r.inventory.items.iter().map(|g| {
        let unit = l.unit(&g.unit);
        html!(
            "<tr><td>{}</td><td class=\"mono\">{}</td><td>{}<br><small>{}</small></td><td>{}</td><td class=\"num\">{} {}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
            g.gnum.to_string(),
            g.gcode,
            g.gname,
            g.gmodel,
            country(l, &g.country),
            g.qty.to_string(),
            unit,
            g.price.to_string(),
            g.total_price.to_string()
        )
    }));
    let refunds = concat(r.refunds.iter().map(|x| html!("<li>{} {} · {}</li>", l.t("第", "line"), x.gnum.to_string(), x.qty.to_string())));
    html!(
        "<section class=\"panel\" id=\"goods\"><h2>{} <small>InventoryList</small></h2><table class=\"list\"><thead><tr><th>#</th><th>{}</th><th>{}</th><th>{}</th><th class=\"num\">{}</th><th class=\"num\">{}</th><th class=\"num\">{}</th></tr></thead><tbody>{}</tbody></table>{}</section>",
        l.t("商品", "Goods lines"),
        l.t("商品编码", "Code"),
        l.t("名称 / 规格", "Name / model"),
        l.t("原产国", "Origin"),
        l.t("数量", "Quantity"),
        l.t("单价（元）", "Price (CNY)"),
        l.t("总价（元）", "Total (CNY)"),
        rows,
        if r.refunds.is_empty() {
            Html::new()
        } else {
            html!("<h3>{}</h3><ul id=\"refunds\">{}</ul>", l.t("已退货（CEB625）", "Returned by the buyer (CEB625)"), refunds)
        }
    )
}

/// The tax's state: (code, label).
fn tax_state(l: Lang, t: TaxState) -> (&'static str, &'static str) {
    match t {
        TaxState::None => ("none", l.t("未计税", "no tax")),
        TaxState::Reserved => ("reserved", l.t("已从总担保预占，待缴纳", "reserved against the guarantee, not yet paid")),
        TaxState::Paid => ("paid", l.t("已缴纳", "paid")),
        TaxState::Cancelled => ("cancelled", l.t("已撤销，额度已退回担保", "cancelled; given back to the guarantee")),
    }
}

/// 税单 — the tax of each line and of the list, and where it stands.
pub fn tax(s: &WebState, l: Lang, r: &InventoryRecord) -> Html {
    let Some(a) = &r.acceptance else { return Html::new() };
    let t = &a.tax;
    let rate = |p: &rust_decimal::Decimal| format!("{}%", p.normalize());
    let state = tax_state(l, r.tax_state);
    let rows = concat(t.lines.iter().map(|x| {
        html!(
            "<tr><td>{}</td><td class=\"mono\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}<br><small>{}</small></td><td class=\"num\">{}<br><small>{}</small></td><td class=\"num\">{}<br><small>{}</small></td><td class=\"num\">{}</td></tr>",
            x.gnum.to_string(),
            x.gcode,
            x.value.to_string(),
            x.duty.to_string(),
            rate(&x.duty_percent),
            x.consumption.to_string(),
            rate(&x.consumption_percent),
            x.vat.to_string(),
            rate(&x.vat_percent),
            (x.duty + x.consumption + x.vat).to_string()
        )
    }));
    let regime = match t.regime {
        Regime::WithinLimits => l.t(
            "限值以内：关税为 0，进口环节增值税、消费税按法定应纳税额的 70% 征收",
            "within the limits: no duty; import VAT and consumption tax at 70%",
        ),
        Regime::SingleItemFullRate => l.t(
            "单件不可分割商品超过单次限值：按货物税率全额征收",
            "a single indivisible item above the transaction limit: full duty and taxes",
        ),
    };
    html!(
        "<section class=\"panel\" id=\"tax\"><h2>{}</h2><p>{}</p>\
         <table class=\"list\"><thead><tr><th>#</th><th>{}</th><th class=\"num\">{}</th><th class=\"num\">{}</th><th class=\"num\">{}</th><th class=\"num\">{}</th><th class=\"num\">{}</th></tr></thead>\
         <tbody>{}<tr class=\"total\"><td colspan=\"2\"><b>{}</b></td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\"><b id=\"tax-total\">{}</b></td></tr></tbody></table>{}</section>",
        l.t("税单（元）", "Tax bill (CNY)"),
        regime,
        l.t("商品编码", "Code"),
        l.t("完税价格", "Value"),
        l.t("关税", "Duty"),
        l.t("消费税", "Consumption tax"),
        l.t("增值税", "VAT"),
        l.t("小计", "Line tax"),
        rows,
        l.t("合计", "Total"),
        t.value.to_string(),
        t.duty.to_string(),
        t.consumption.to_string(),
        t.vat.to_string(),
        t.total.to_string(),
        dl(vec![
            (l.t("税款状态", "State"), html!("<span id=\"tax-state\" data-state=\"{}\">{}</span>", state.0, state.1)),
            (l.t("应缴税款", "Due"), text(r.tax_due.to_string())),
            (l.t("担保企业", "Guarantee of"), text(format!("{} {}", a.guarantee, enterprise_name(s, l, &a.guarantee)))),
        ])
    )
}

/// The buyer's annual quota: what this list holds, and for officers the buyer's whole year.
pub fn quota(l: Lang, r: &InventoryRecord, ledger: Option<Ledger>) -> Html {
    let Some(year) = r.quota_year else { return Html::new() };
    let held = if r.quota_value.is_zero() {
        l.t("已退回订购人", "given back to the buyer")
    } else if r.quota_used {
        l.t("已使用", "used")
    } else {
        l.t("已预占", "reserved")
    };
    let mut rows = vec![
        (l.t("年度", "Year"), text(year.to_string())),
        (l.t("本清单额度（元）", "This list (CNY)"), html!("<span id=\"quota-value\">{}</span> · {}", r.quota_value.to_string(), held)),
    ];
    if let Some(g) = ledger {
        rows.push((l.t("订购人全年已预占（元）", "Buyer's year, reserved (CNY)"), text(g.reserved.to_string())));
        rows.push((l.t("订购人全年已使用（元）", "Buyer's year, used (CNY)"), text(g.used.to_string())));
        rows.push((l.t("订购人剩余额度（元）", "Buyer's quota left (CNY)"), text(g.left().to_string())));
    }
    html!(
        "<section class=\"panel\" id=\"quota\"><h2>{}</h2>{}<p class=\"muted\">{}</p></section>",
        l.t("个人年度交易额度", "The buyer's annual quota"),
        dl(rows),
        l.t("单次交易限值 5000 元，年度交易限值 26000 元。", "Limits: 5,000 CNY a transaction, 26,000 CNY a calendar year.")
    )
}

/// Why the list waits, was held for review or was rejected, and the last note on it. The
/// identity guard's counts, window and limits are for customs; an enterprise reads only that
/// the list is held.
pub fn why(l: Lang, r: &InventoryRecord, missing: &[DocKind], customs: bool) -> Html {
    let mut out = Html::new();
    if !missing.is_empty() {
        let docs: Vec<String> = missing.iter().map(|k| format!("{} ({})", l.t(k.name_zh(), k.as_str()), k.message())).collect();
        out.push(html!(
            "<section class=\"panel notice\" id=\"waiting-for\"><h2>{}</h2><p>{}</p></section>",
            l.t("待到达的单证", "Waiting for"),
            docs.join(l.t("、", ", "))
        ));
    }
    if let (Some(_), false) = (&r.suspicion, customs) {
        out.push(html!(
            "<section class=\"panel notice\" id=\"suspicion\"><h2>{}</h2><p>{}</p></section>",
            l.t("疑似身份冒用", "Suspected identity theft"),
            l.t(guomen_domain::ceb::Suspicion::NOTICE_ZH, guomen_domain::ceb::Suspicion::NOTICE_EN)
        ));
    } else if let Some(h) = &r.suspicion {
        out.push(html!(
            "<section class=\"panel notice\" id=\"suspicion\"><h2>{}</h2><p>{}</p>{}</section>",
            l.t("疑似身份冒用", "Suspected identity theft"),
            l.pick(h.zh(), h.en()),
            dl(vec![
                (l.t("统计期（天）", "Window (days)"), text(h.window_days.to_string())),
                (l.t("不同收件地址", "Different addresses"), text(format!("{} / {}", h.addresses, h.max_addresses))),
                (l.t("不同电话号码", "Different telephone numbers"), text(format!("{} / {}", h.phones, h.max_phones))),
            ])
        ));
    }
    if !r.reasons.is_empty() {
        let items = concat(r.reasons.iter().map(|x| html!("<li><code>{}</code> {}</li>", x.path, l.pick(x.zh.clone(), x.en.clone()))));
        out.push(html!(
            "<section class=\"panel notice\" id=\"reasons\"><h2>{}</h2><ul>{}</ul></section>",
            l.t("退单原因", "Why it was rejected"),
            items
        ));
    }
    if let Some(n) = &r.note {
        out.push(html!("<section class=\"panel\" id=\"note\"><h2>{}</h2><p>{}</p></section>", l.t("最近说明", "Last note"), n));
    }
    out
}
