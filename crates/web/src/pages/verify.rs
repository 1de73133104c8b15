//! 单证验真 — the public page of an issued document, reached without signing in from the
//! address its printed copy carries (`/verify/{number}`, the QR code's): what the document
//! says, whether it is valid, replaced or withdrawn, and the key and signature anyone can
//! check offline with the public keys. Fits a 390 px phone: facts as a list, no tables.

use crate::html;
use crate::i18n::Lang;
use crate::layout::page_with;
use crate::markup::{concat, Html, Render};
use crate::session::{Ctx, PageError};
use crate::WebState;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use guomen_domain::document::DocumentKind;
use guomen_domain::phyto::PhytoDocument;
use guomen_service::documents::{self, PublicDocument, Standing};
use serde_json::Value;
use std::collections::HashMap;

fn country(l: Lang, code: &str) -> String {
    let a3 = if code.len() == 2 { guomen_reference::country_alpha2::alpha3(code) } else { Some(code) };
    let name = a3.and_then(|c| if l == Lang::En { guomen_reference::country::name_en(c) } else { guomen_reference::country::name_zh(c) });
    match name {
        Some(n) => format!("{n} ({code})"),
        None => code.to_owned(),
    }
}

fn search_form(ctx: &Ctx, number: &str) -> Html {
    let l = ctx.lang;
    html!(
        "<form method=\"get\" action=\"/verify\" class=\"filters\" id=\"verify-form\"><label>{}<input name=\"number\" id=\"number\" value=\"{}\" required maxlength=\"64\" autocomplete=\"off\"></label><button type=\"submit\" id=\"verify-go\">{}</button></form>",
        l.t("证书编号", "Document number"),
        number,
        l.t("核验", "Verify")
    )
}

fn fact(dt: &str, dd: impl Render) -> Html {
    html!("<dt>{}</dt><dd>{}</dd>", dt, dd)
}

fn opt_fact(dt: &str, dd: Option<String>) -> Html {
    dd.filter(|d| !d.trim().is_empty() && d.trim() != "·").map(|d| fact(dt, d)).unwrap_or_default()
}

/// What a phytosanitary certificate says.
pub(crate) fn phyto_facts(l: Lang, d: &PhytoDocument) -> Html {
    let lines = concat(d.lines.iter().map(|line| {
        let weight = line.net_weight.as_ref().map(|m| format!("{} {}", m.value, if m.unit == "KGM" { l.t("千克", "kg") } else { &m.unit }));
        let origins: Vec<String> = line.origins.iter().map(|o| country(l, &o.country)).collect();
        let treatments: Vec<String> = line
            .treatments
            .iter()
            .flat_map(|t| t.characteristics.iter().filter(|c| c.descriptions.first().is_some_and(|x| x.text == "TTFT")))
            .filter_map(|c| c.descriptions.get(1).map(|x| x.text.clone()))
            .collect();
        html!(
            "<li class=\"line\"><dl class=\"facts\">{}{}{}{}{}{}{}</dl></li>",
            fact(l.t("学名", "Scientific name"), html!("<i>{}</i>", line.scientific_name)),
            opt_fact(l.t("货物", "Goods"), line.description().map(str::to_owned)),
            opt_fact(l.t("商品编码", "HS code"), line.hs().map(str::to_owned)),
            opt_fact(l.t("用途", "Intended use"), line.intended_use.as_ref().map(|t| t.text.clone())),
            opt_fact(l.t("净重", "Net weight"), weight),
            opt_fact(l.t("原产地", "Origin"), Some(origins.join(l.t("、", ", ")))),
            opt_fact(l.t("处理", "Treatment"), Some(treatments.join(l.t("；", "; "))))
        )
    }));
    let declarations: Vec<String> = d
        .notes
        .iter()
        .filter(|n| n.subject.starts_with("AD") && n.subject != "ADRP")
        .flat_map(|n| {
            let zh = n.content.iter().find(|t| t.lang.as_deref() == Some("zh"));
            let en = n.content.iter().find(|t| t.lang.as_deref() != Some("zh"));
            match l {
                Lang::Zh => zh.or(en),
                Lang::En => en.or(zh),
            }
            .map(|t| t.text.clone())
        })
        .collect();
    let transport: Vec<String> = d
        .transport
        .iter()
        .map(|t| [t.means.clone(), t.id.clone()].into_iter().flatten().collect::<Vec<_>>().join(" "))
        .filter(|s| !s.is_empty())
        .collect();
    let port = |p: &Option<guomen_domain::phyto::Location>| {
        p.as_ref().map(|p| [p.name.clone(), p.id.clone().map(|i| format!("({i})"))].into_iter().flatten().collect::<Vec<_>>().join(" "))
    };
    html!(
        "<dl class=\"facts\">{}{}{}{}{}{}{}{}{}{}</dl><h3>{}</h3><ul class=\"lines\">{}</ul>{}",
        fact(l.t("签证机构", "Issued by"), d.issuer.clone()),
        fact(l.t("发货人", "Consignor"), format!("{} · {}", d.consignor.name, d.consignor.address.join(", "))),
        fact(l.t("收货人", "Consignee"), format!("{} · {}", d.consignee.name, d.consignee.address.join(", "))),
        fact(l.t("输出国家或地区", "Exporting country"), country(l, &d.export_country)),
        fact(l.t("输入国家或地区", "Importing country"), country(l, &d.import_country)),
        opt_fact(l.t("启运口岸", "Port of loading"), port(&d.loading_port)),
        opt_fact(l.t("入境口岸", "Point of entry"), port(&d.unloading_port)),
        opt_fact(l.t("运输工具", "Means of conveyance"), Some(transport.join("; "))),
        opt_fact(l.t("原证书", "Original certificate"), d.original().map(|r| r.id.clone())),
        opt_fact(l.t("替换证书", "Replaces"), d.replaces().map(str::to_owned)),
        l.t("货物", "Goods"),
        lines,
        if declarations.is_empty() {
            Html::new()
        } else {
            html!(
                "<h3>{}</h3><ul class=\"notes\">{}</ul>",
                l.t("附加声明", "Additional declarations"),
                concat(declarations.iter().map(|t| html!("<li>{}</li>", t)))
            )
        }
    )
}

fn text(v: &Value, path: &[&str]) -> Option<String> {
    let mut v = v;
    for p in path {
        v = v.get(p)?;
    }
    v.as_str().map(str::to_owned)
}

/// What a certificate of origin says.
fn origin_facts(l: Lang, c: &Value) -> Html {
    let goods = c.get("goods").and_then(Value::as_array).cloned().unwrap_or_default();
    let lines = concat(goods.iter().map(|g| {
        html!(
            "<li class=\"line\"><dl class=\"facts\">{}{}{}{}</dl></li>",
            opt_fact(l.t("货物", "Goods"), text(g, &["description"])),
            opt_fact(l.t("商品编码", "HS code"), text(g, &["hs"])),
            opt_fact(
                l.t("数量", "Quantity"),
                Some(format!(
                    "{} {}",
                    text(g, &["quantity"]).unwrap_or_default(),
                    text(g, &["unit"])
                        .and_then(|u| if l == Lang::En { guomen_reference::unit::name_en(&u) } else { guomen_reference::unit::name_zh(&u) }
                            .map(str::to_owned))
                        .unwrap_or_default()
                ))
            ),
            opt_fact(l.t("原产地标准", "Origin criterion"), text(g, &["criterion"]))
        )
    }));
    html!(
        "<dl class=\"facts\">{}{}{}{}{}{}{}</dl><h3>{}</h3><ul class=\"lines\">{}</ul>",
        opt_fact(l.t("证书", "Form"), text(c, &[if l == Lang::En { "form" } else { "form_zh" }])),
        opt_fact(
            l.t("出口商", "Exporter"),
            Some(format!("{} {}", text(c, &["exporter", "name"]).unwrap_or_default(), text(c, &["exporter", "code"]).unwrap_or_default()))
        ),
        opt_fact(
            l.t("收货人", "Consignee"),
            Some(format!(
                "{} · {}",
                text(c, &["consignee", "name"]).unwrap_or_default(),
                text(c, &["consignee", "address"]).unwrap_or_default()
            ))
        ),
        opt_fact(l.t("进口国", "Importing country"), text(c, &["importing_country"]).map(|x| country(l, &x))),
        opt_fact(l.t("运输方式及路线", "Transport and route"), text(c, &["transport"])),
        opt_fact(
            l.t("发票", "Invoice"),
            Some(format!(
                "{} · {}",
                text(c, &["invoice", "number"]).unwrap_or_default(),
                text(c, &["invoice", "date"]).unwrap_or_default()
            ))
        ),
        opt_fact(l.t("签发日期", "Issued"), text(c, &["issued"])),
        l.t("货物", "Goods"),
        lines
    )
}

fn standing(l: Lang, d: &PublicDocument) -> Html {
    let (class, text) = match d.status {
        Standing::Valid => ("ok", l.t("该单证有效。", "This document is valid.").to_owned()),
        Standing::Replaced => (
            "error",
            l.pick(
                format!("该单证已被替换{}，不再有效。", d.replaced_by.as_deref().map(|n| format!("（新证书 {n}）")).unwrap_or_default()),
                format!(
                    "This document was replaced{} and is no longer valid.",
                    d.replaced_by.as_deref().map(|n| format!(" by {n}")).unwrap_or_default()
                ),
            ),
        ),
        Standing::Withdrawn => ("error", l.t("该单证已撤销，不再有效。", "This document was withdrawn and is no longer valid.").to_owned()),
    };
    let reason = d.reason.as_ref().map(|r| html!(" <span class=\"muted\">{}{}</span>", l.t("原因：", "Reason: "), r));
    let replacement = d
        .replaced_by
        .as_ref()
        .map(|n| html!(" <a href=\"/verify/{}\" id=\"replacement\">{}</a>", n, l.t("查看新证书", "See the replacement")));
    html!(
        "<div class=\"alert {}\" role=\"status\" id=\"standing\" data-status=\"{}\"><strong>{}</strong>{}{}</div>",
        class,
        d.status.as_str(),
        text,
        reason,
        replacement
    )
}

fn record(ctx: &Ctx, d: &PublicDocument) -> Html {
    let l = ctx.lang;
    let kind = l.t(d.kind.name_zh(), d.kind.name_en());
    let content = match d.kind {
        DocumentKind::PhytosanitaryCertificate => match serde_json::from_value::<PhytoDocument>(d.content.clone()) {
            Ok(p) => phyto_facts(l, &p),
            Err(_) => Html::new(),
        },
        DocumentKind::CertificateOfOrigin => origin_facts(l, &d.content),
    };
    let signature = if d.signature_valid {
        html!(
            "<p class=\"alert ok\" id=\"signature-check\" data-valid=\"true\">{}</p>",
            l.pick(
                format!("电子签名有效：内容与签证机构 {} 的密钥 {} 所签一致。", d.office, d.key_id),
                format!("The electronic signature is valid: the content is what office {} signed with key {}.", d.office, d.key_id)
            )
        )
    } else {
        html!(
            "<p class=\"alert error\" id=\"signature-check\" data-valid=\"false\">{}</p>",
            l.t("电子签名与内容不符，请勿采信。", "The electronic signature does not match the content: do not rely on it.")
        )
    };
    html!(
        "<section class=\"panel\" id=\"document\" data-number=\"{}\"><h2>{} <span class=\"mono\">{}</span></h2>{}{}{}</section>\
         <section class=\"panel\" id=\"signature\"><h2>{}</h2><dl class=\"facts sig\">{}{}{}</dl><p class=\"muted\">{}</p></section>",
        d.number,
        kind,
        d.number,
        standing(l, d),
        signature,
        content,
        l.t("电子签名", "Electronic signature"),
        fact(l.t("签证机构", "Issuing office"), d.office.clone()),
        fact(l.t("密钥", "Key"), html!("<span class=\"mono\" id=\"key-id\">{}</span>", d.key_id)),
        fact(l.t("签名", "Signature"), html!("<span class=\"mono\" id=\"signature-value\">{}</span>", d.signature)),
        html!(
            "{} <a href=\"/api/v1/keys\">/api/v1/keys</a> {} <a href=\"/api/v1/public/documents/{}\" id=\"record-json\">{}</a>{}",
            l.t("离线核验：下载公钥", "To verify offline: save the public keys from"),
            l.t("和本单证记录", "and this record from"),
            d.number,
            l.t("JSON", "JSON"),
            l.t(
                "，运行 guomen verify-document 单证.json --keys 公钥.json。",
                ", then run guomen verify-document DOCUMENT.json --keys KEYS.json."
            )
        )
    )
}

async fn render(s: &WebState, ctx: &Ctx, number: Option<String>) -> Result<Response, PageError> {
    let l = ctx.lang;
    let title = l.t("单证验真", "Verify a document");
    let intro = html!(
        "<p>{}</p>",
        l.t(
            "输入证书编号或扫描证书上的二维码，查看海关签发的原产地证书、植物检疫证书的内容、是否有效及其电子签名。无需登录。",
            "Enter a document number, or scan the QR code printed on it, to see what a certificate of origin or phytosanitary certificate customs issued says, whether it is valid, and its electronic signature. No sign-in."
        )
    );
    let Some(number) = number else {
        let body = html!("<h1>{}</h1><section class=\"panel\">{}{}</section>", title, intro, search_form(ctx, ""));
        return Ok(page_with(ctx, StatusCode::OK, title, body));
    };
    match documents::find(&s.store, &number).await.map_err(|e| ctx.internal(e))? {
        Some(d) => {
            let body = html!("<h1>{}</h1>{}<section class=\"panel\">{}</section>", title, record(ctx, &d), search_form(ctx, &number));
            Ok(page_with(ctx, StatusCode::OK, title, body))
        }
        None => {
            let body = html!(
                "<h1>{}</h1><div class=\"alert error\" role=\"alert\" id=\"not-found\">{}</div><section class=\"panel\">{}{}</section>",
                title,
                l.pick(format!("没有编号为 {number} 的已签发单证。"), format!("No issued document is numbered {number}.")),
                intro,
                search_form(ctx, &number)
            );
            Ok(page_with(ctx, StatusCode::NOT_FOUND, title, body))
        }
    }
}

/// `GET /verify` (`?number=`)
pub async fn search(State(s): State<WebState>, ctx: Ctx, Query(q): Query<HashMap<String, String>>) -> Result<Response, PageError> {
    render(&s, &ctx, super::param(&q, "number")).await
}

/// `GET /verify/{number}` — the address printed copies carry.
pub async fn show(State(s): State<WebState>, ctx: Ctx, Path(number): Path<String>) -> Result<Response, PageError> {
    render(&s, &ctx, Some(number.trim().to_owned()).filter(|n| !n.is_empty())).await
}
