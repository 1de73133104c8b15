//! The application for a phytosanitary certificate as a form. Every input is named by its path
//! in the application (`consignee.name`, `lines[0].scientific_name`), the path the reading
//! names in its errors, so an error lands beside its field. One form serves the exporter's
//! application and the officer's replacement (filled from the certificate replaced).

use crate::form::Form;
use crate::formkit::FieldErrors;
use crate::html;
use crate::i18n::Lang;
use crate::markup::{concat, Html};
use guomen_domain::phyto::draft::{ContainerDraft, LineDraft, OriginalDraft, PartyDraft, PhytoDraft, TreatmentDraft, TRANSPORT_MODES};

/// The input a refusal's path lands on.
pub fn input_of(path: &str) -> String {
    if path.starts_with("additional_declarations") {
        return "additional_declarations".into();
    }
    if path.starts_with("transit_countries") {
        return "transit_countries".into();
    }
    if let Some(i) = path.find(".seals") {
        return format!("{}.seals", &path[..i]);
    }
    path.to_owned()
}

/// (input, Chinese, English) of the fields outside the goods lines, for the refusal summary.
pub const LABELS: &[(&str, &str, &str)] = &[
    ("kind", "证书类型", "Kind of certificate"),
    ("office", "签证机构（海关关区代码）", "Issuing office (customs code)"),
    ("declaration", "出口报关单号", "Export declaration"),
    ("consignor.name", "发货人名称", "Consignor's name"),
    ("consignor.address", "发货人地址", "Consignor's address"),
    ("consignee.name", "收货人名称", "Consignee's name"),
    ("consignee.address", "收货人地址", "Consignee's address"),
    ("import_country", "输入国家或地区", "Importing country"),
    ("transit_countries", "途经国家或地区", "Transit countries"),
    ("loading_port_code", "启运口岸代码", "Port of loading (UN/LOCODE)"),
    ("loading_port", "启运口岸", "Port of loading"),
    ("unloading_port_code", "入境口岸代码", "Point of entry (UN/LOCODE)"),
    ("unloading_port", "入境口岸", "Point of entry"),
    ("transport_mode", "运输方式", "Mode of transport"),
    ("transport_means", "运输工具", "Means of conveyance"),
    ("voyage", "航次/航班号", "Voyage or flight"),
    ("marks", "标记及号码", "Distinguishing marks"),
    ("import_permit", "输入国许可证号", "Import permit"),
    ("additional_declarations", "附加声明（每行一条）", "Additional declarations (one a line)"),
    ("original.number", "原证书编号", "Original certificate number"),
    ("original.country", "原证书签发国家或地区", "Original certificate's country"),
];

/// (field of a goods line, Chinese, English).
const LINE: &[(&str, &str, &str)] = &[
    ("hs", "商品编码", "HS code"),
    ("description", "货物描述", "Description"),
    ("scientific_name", "学名", "Scientific name"),
    ("common_name", "通用名", "Common name"),
    ("intended_use", "用途", "Intended use"),
    ("net_weight", "净重（千克）", "Net weight (kg)"),
    ("gross_weight", "毛重（千克）", "Gross weight (kg)"),
    ("packages", "包装件数", "Packages"),
    ("package_kind", "包装种类（BG、CT、BX…）", "Kind of package (BG, CT, BX…)"),
    ("origin_country", "原产国家或地区", "Country of origin"),
    ("origin_region", "产地", "Region of origin"),
];

/// (field of a treatment, Chinese, English).
const TREATMENT: &[(&str, &str, &str)] = &[
    ("description", "处理方法", "Treatment"),
    ("chemical", "药剂及浓度", "Chemical and concentration"),
    ("temperature", "温度（℃）", "Temperature (°C)"),
    ("duration_hours", "持续时间（小时）", "Duration (hours)"),
    ("date", "处理日期", "Date"),
];

/// The labels of every input of `draft`'s form, goods lines included.
pub fn labels(l: Lang, draft: &PhytoDraft) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = LABELS.iter().map(|(n, zh, en)| ((*n).to_owned(), l.t(zh, en).to_owned())).collect();
    for i in 0..draft.lines.len().max(1) {
        for (f, zh, en) in LINE {
            out.push((format!("lines[{i}].{f}"), format!("{} {} · {}", l.t("货物", "Line"), i + 1, l.t(zh, en))));
        }
        for (f, zh, en) in TREATMENT {
            out.push((format!("lines[{i}].treatments[0].{f}"), format!("{} {} · {}", l.t("货物", "Line"), i + 1, l.t(zh, en))));
        }
    }
    out
}

fn opt(s: String) -> Option<String> {
    let t = s.trim().to_owned();
    (!t.is_empty()).then_some(t)
}

/// The application a submitted form describes (what was typed, unread: the domain reads it).
pub fn draft_of(form: &Form) -> PhytoDraft {
    let t = |k: &str| opt(form.text(k));
    let mut lines = Vec::new();
    let mut i = 0;
    while form.get(&format!("lines[{i}].hs")).is_some() {
        let p = |f: &str| t(&format!("lines[{i}].{f}"));
        let mut treatments = Vec::new();
        let mut j = 0;
        while form.get(&format!("lines[{i}].treatments[{j}].description")).is_some() {
            let q = |f: &str| t(&format!("lines[{i}].treatments[{j}].{f}"));
            let tr = TreatmentDraft {
                description: q("description"),
                chemical: q("chemical"),
                temperature: q("temperature"),
                duration_hours: q("duration_hours"),
                date: q("date"),
            };
            if tr != TreatmentDraft::default() {
                treatments.push(tr);
            }
            j += 1;
        }
        lines.push(LineDraft {
            hs: p("hs"),
            description: p("description"),
            scientific_name: p("scientific_name"),
            common_name: p("common_name"),
            intended_use: p("intended_use"),
            net_weight: p("net_weight"),
            gross_weight: p("gross_weight"),
            packages: p("packages"),
            package_kind: p("package_kind"),
            origin_country: p("origin_country"),
            origin_region: p("origin_region"),
            treatments,
        });
        i += 1;
    }
    let mut containers = Vec::new();
    let mut k = 0;
    while form.get(&format!("containers[{k}].id")).is_some() {
        let id = t(&format!("containers[{k}].id"));
        let seals: Vec<String> = form
            .text(&format!("containers[{k}].seals"))
            .split([',', '，', ' '])
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect();
        if id.is_some() || !seals.is_empty() {
            containers.push(ContainerDraft { id, seals });
        }
        k += 1;
    }
    let original = (t("original.number").is_some() || t("original.country").is_some())
        .then(|| OriginalDraft { number: t("original.number"), country: t("original.country") });
    PhytoDraft {
        kind: t("kind"),
        office: t("office"),
        declaration: t("declaration"),
        consignor: PartyDraft { name: t("consignor.name"), address: t("consignor.address") },
        consignee: PartyDraft { name: t("consignee.name"), address: t("consignee.address") },
        import_country: t("import_country"),
        transit_countries: form
            .text("transit_countries")
            .split([',', '，', ' '])
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect(),
        loading_port_code: t("loading_port_code"),
        loading_port: t("loading_port"),
        unloading_port_code: t("unloading_port_code"),
        unloading_port: t("unloading_port"),
        transport_mode: t("transport_mode"),
        transport_means: t("transport_means"),
        voyage: t("voyage"),
        containers,
        marks: t("marks"),
        import_permit: t("import_permit"),
        additional_declarations: form
            .text("additional_declarations")
            .lines()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect(),
        original,
        lines,
    }
}

fn label(l: Lang, name: &str) -> &'static str {
    LABELS.iter().find(|(n, _, _)| *n == name).map(|(_, zh, en)| l.t(zh, en)).unwrap_or("")
}

/// The form's fields, filled from `d`, with `errors` beside them.
pub fn fields(l: Lang, d: &PhytoDraft, e: &FieldErrors) -> Html {
    let v = |o: &Option<String>| o.clone().unwrap_or_default();
    let input = |name: &str, value: String| e.input(name, label(l, name), &value);
    let kinds = [
        ("export".to_owned(), l.t("出境植物检疫证书", "Phytosanitary certificate (export)").to_owned()),
        ("re-export".to_owned(), l.t("再出口植物检疫证书", "Phytosanitary certificate for re-export").to_owned()),
    ];
    let mut modes = vec![(String::new(), l.t("（未定）", "(not given)").to_owned())];
    modes.extend(TRANSPORT_MODES.iter().map(|(c, zh, en)| ((*c).to_owned(), format!("{c} {}", l.t(zh, en)))));
    let line_fields = concat((0..d.lines.len().max(1)).map(|i| {
        let line = d.lines.get(i).cloned().unwrap_or_default();
        let value = |f: &str| -> String {
            match f {
                "hs" => v(&line.hs),
                "description" => v(&line.description),
                "scientific_name" => v(&line.scientific_name),
                "common_name" => v(&line.common_name),
                "intended_use" => v(&line.intended_use),
                "net_weight" => v(&line.net_weight),
                "gross_weight" => v(&line.gross_weight),
                "packages" => v(&line.packages),
                "package_kind" => v(&line.package_kind),
                "origin_country" => v(&line.origin_country),
                _ => v(&line.origin_region),
            }
        };
        let inputs = concat(LINE.iter().map(|(f, zh, en)| e.input(&format!("lines[{i}].{f}"), l.t(zh, en), &value(f))));
        let treatments = if line.treatments.is_empty() { vec![TreatmentDraft::default()] } else { line.treatments.clone() };
        let tr = concat(treatments.iter().enumerate().map(|(j, t)| {
            let tv = |f: &str| -> String {
                match f {
                    "description" => v(&t.description),
                    "chemical" => v(&t.chemical),
                    "temperature" => v(&t.temperature),
                    "duration_hours" => v(&t.duration_hours),
                    _ => v(&t.date),
                }
            };
            let inputs = concat(TREATMENT.iter().map(|(f, zh, en)| {
                let name = format!("lines[{i}].treatments[{j}].{f}");
                if *f == "date" {
                    e.input_typed(&name, l.t(zh, en), &tv(f), "date", Html::new())
                } else {
                    e.input(&name, l.t(zh, en), &tv(f))
                }
            }));
            html!(
                "<fieldset class=\"row\"><legend>{}</legend><div class=\"fields\">{}</div></fieldset>",
                l.t("除害处理（如有）", "Treatment (if any)"),
                inputs
            )
        }));
        html!(
            "<fieldset class=\"row line\" data-line=\"{}\"><legend>{} {}</legend><div class=\"fields\">{}</div>{}</fieldset>",
            i,
            l.t("货物", "Goods line"),
            i + 1,
            inputs,
            tr
        )
    }));
    let containers = if d.containers.is_empty() { vec![ContainerDraft::default()] } else { d.containers.clone() };
    let container_fields = concat(containers.iter().enumerate().map(|(k, c)| {
        concat([
            e.input(&format!("containers[{k}].id"), l.t("集装箱号", "Container"), &v(&c.id)),
            e.input(&format!("containers[{k}].seals"), l.t("封识号（逗号分隔）", "Seals (comma-separated)"), &c.seals.join(", ")),
        ])
    }));
    let original = d.original.clone().unwrap_or_default();
    html!(
        "<fieldset class=\"row\"><legend>{}</legend><div class=\"fields\">{}{}{}</div></fieldset>\
         <fieldset class=\"row\"><legend>{}</legend><div class=\"fields\">{}{}{}{}</div></fieldset>\
         <fieldset class=\"row\"><legend>{}</legend><div class=\"fields\">{}{}{}{}{}{}{}{}{}{}{}</div></fieldset>\
         {}\
         <fieldset class=\"row\"><legend>{}</legend><div class=\"fields\">{}{}</div>\
         <label for=\"{}\">{}<textarea name=\"additional_declarations\" id=\"{}\" rows=\"3\"{}>{}</textarea>{}</label></fieldset>\
         <fieldset class=\"row\"><legend>{}</legend><p class=\"muted\">{}</p><div class=\"fields\">{}{}</div></fieldset>",
        l.t("证书", "Certificate"),
        e.select("kind", label(l, "kind"), &kinds, d.kind.as_deref().unwrap_or("export")),
        input("office", v(&d.office)),
        input("declaration", v(&d.declaration)),
        l.t("发货人与收货人", "Consignor and consignee"),
        input("consignor.name", v(&d.consignor.name)),
        input("consignor.address", v(&d.consignor.address)),
        input("consignee.name", v(&d.consignee.name)),
        input("consignee.address", v(&d.consignee.address)),
        l.t("运输", "Transport"),
        input("import_country", v(&d.import_country)),
        input("transit_countries", d.transit_countries.join(", ")),
        input("loading_port_code", v(&d.loading_port_code)),
        input("loading_port", v(&d.loading_port)),
        input("unloading_port_code", v(&d.unloading_port_code)),
        input("unloading_port", v(&d.unloading_port)),
        e.select("transport_mode", label(l, "transport_mode"), &modes, d.transport_mode.as_deref().unwrap_or("")),
        input("transport_means", v(&d.transport_means)),
        input("voyage", v(&d.voyage)),
        input("marks", v(&d.marks)),
        container_fields,
        line_fields,
        l.t("声明", "Declarations"),
        input("import_permit", v(&d.import_permit)),
        Html::new(),
        e.id("additional_declarations"),
        label(l, "additional_declarations"),
        e.id("additional_declarations"),
        e.attrs("additional_declarations"),
        d.additional_declarations.join("\n"),
        e.slot("additional_declarations"),
        l.t("再出口：原证书", "Re-export: the original certificate"),
        l.t(
            "再出口证书须注明货物输入中国时所附、海关已接收的原植物检疫证书。",
            "A re-export certificate names the original certificate the goods came into China with, as customs received it."
        ),
        input("original.number", v(&original.number)),
        input("original.country", v(&original.country))
    )
}
