//! 植物检疫证书申请 — the exporter's application, as submitted (every value text) and as read.

use super::{alpha2, Equipment, Location, Party, PhytoKind, Transport};
use crate::error::{FieldError, Refusal, Rule};
use crate::types::{parse_decimal, HsCode, OfficeCode};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// Longest free text (names, addresses, descriptions, declarations).
pub const MAX_TEXT: usize = 500;
/// Most goods lines on one certificate.
pub const MAX_LINES: usize = 50;
/// Most additional declarations, containers or treatments of a line.
pub const MAX_REPEAT: usize = 20;

/// HS chapters a phytosanitary certificate is issued for: live plants (06), vegetables (07),
/// fruit and nuts (08), coffee, tea and spices (09), cereals (10), milling products (11), oil
/// seeds and seeds for sowing (12), lac, gums and resins (13), vegetable plaiting materials
/// (14), wood (44).
pub const PLANT_CHAPTERS: &[&str] = &["06", "07", "08", "09", "10", "11", "12", "13", "14", "44"];

/// UN/ECE Recommendation 19 modes of transport.
pub const TRANSPORT_MODES: &[(&str, &str, &str)] = &[
    ("1", "海运", "sea"),
    ("2", "铁路", "rail"),
    ("3", "公路", "road"),
    ("4", "航空", "air"),
    ("5", "邮递", "mail"),
    ("6", "多式联运", "multimodal"),
    ("8", "内河", "inland waterway"),
];

/// A party as submitted.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PartyDraft {
    pub name: Option<String>,
    pub address: Option<String>,
}

/// A container as submitted.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ContainerDraft {
    pub id: Option<String>,
    pub seals: Vec<String>,
}

/// A treatment as submitted.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct TreatmentDraft {
    /// What was done (`Methyl bromide fumigation`, `Hot water treatment`).
    pub description: Option<String>,
    /// Chemical and concentration, as printed.
    pub chemical: Option<String>,
    /// Degrees Celsius.
    pub temperature: Option<String>,
    pub duration_hours: Option<String>,
    /// `YYYY-MM-DD`.
    pub date: Option<String>,
}

/// A goods line as submitted.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LineDraft {
    pub hs: Option<String>,
    pub description: Option<String>,
    /// 学名
    pub scientific_name: Option<String>,
    pub common_name: Option<String>,
    /// `sowing`, `consumption`, `processing`, as printed.
    pub intended_use: Option<String>,
    /// Kilograms.
    pub net_weight: Option<String>,
    pub gross_weight: Option<String>,
    /// Number of packages.
    pub packages: Option<String>,
    /// UN/ECE Recommendation 21 package code (`BG` bag, `CT` carton, `BX` box…).
    pub package_kind: Option<String>,
    /// Country of origin, ISO 3166 alpha-2 or alpha-3.
    pub origin_country: Option<String>,
    pub origin_region: Option<String>,
    pub treatments: Vec<TreatmentDraft>,
}

/// The original certificate a re-export certificate names.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct OriginalDraft {
    pub number: Option<String>,
    /// The country that issued it (alpha-2 or alpha-3).
    pub country: Option<String>,
}

/// 植物检疫证书申请 — as the exporter submits it, every value text.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PhytoDraft {
    /// `export` (the default) or `re-export`.
    pub kind: Option<String>,
    /// The customs office asked to issue it.
    pub office: Option<String>,
    /// The export declaration of the consignment, whose inspection and laboratory results the
    /// certificate states.
    pub declaration: Option<String>,
    pub consignor: PartyDraft,
    pub consignee: PartyDraft,
    pub import_country: Option<String>,
    pub transit_countries: Vec<String>,
    /// UN/LOCODE and name of the port of loading.
    pub loading_port_code: Option<String>,
    pub loading_port: Option<String>,
    /// UN/LOCODE and name of the declared point of entry.
    pub unloading_port_code: Option<String>,
    pub unloading_port: Option<String>,
    /// UN/ECE Recommendation 19 mode: 1 sea, 2 rail, 3 road, 4 air, 5 mail, 6 multimodal, 8 inland waterway.
    pub transport_mode: Option<String>,
    /// Vessel or flight.
    pub transport_means: Option<String>,
    /// Voyage or flight number.
    pub voyage: Option<String>,
    pub containers: Vec<ContainerDraft>,
    /// Distinguishing marks.
    pub marks: Option<String>,
    /// The importing country's permit number, if it requires one.
    pub import_permit: Option<String>,
    pub additional_declarations: Vec<String>,
    /// A re-export certificate's original certificate.
    pub original: Option<OriginalDraft>,
    pub lines: Vec<LineDraft>,
}

/// A treatment as read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TreatmentApp {
    pub description: String,
    pub chemical: Option<String>,
    pub temperature: Option<Decimal>,
    pub duration_hours: Option<Decimal>,
    pub date: Option<time::Date>,
}

/// A goods line as read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LineApp {
    pub hs: HsCode,
    pub description: String,
    pub scientific_name: String,
    pub common_name: Option<String>,
    pub intended_use: Option<String>,
    pub net_weight: Decimal,
    pub gross_weight: Option<Decimal>,
    pub packages: Option<(Decimal, String)>,
    /// Alpha-2.
    pub origin_country: String,
    pub origin_region: Option<String>,
    pub treatments: Vec<TreatmentApp>,
}

/// The original certificate of a re-export, as read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Original {
    pub number: String,
    /// Alpha-2.
    pub country: String,
}

/// 植物检疫证书申请 — as read: every value checked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Application {
    pub kind: PhytoKind,
    pub office: OfficeCode,
    pub declaration: Option<String>,
    pub consignor: Party,
    pub consignee: Party,
    /// Alpha-2.
    pub import_country: String,
    pub transit_countries: Vec<String>,
    pub loading_port: Option<Location>,
    pub unloading_port: Option<Location>,
    pub transport: Option<Transport>,
    pub containers: Vec<Equipment>,
    pub marks: Option<String>,
    pub import_permit: Option<String>,
    pub additional_declarations: Vec<String>,
    pub original: Option<Original>,
    pub lines: Vec<LineApp>,
}

impl PhytoDraft {
    /// The draft an application was read from (to replace a certificate with a corrected one).
    pub fn of(a: &Application) -> PhytoDraft {
        let s = |v: &Option<String>| v.clone();
        PhytoDraft {
            kind: Some(a.kind.as_str().into()),
            office: Some(a.office.to_string()),
            declaration: a.declaration.clone(),
            consignor: PartyDraft { name: Some(a.consignor.name.clone()), address: a.consignor.address.first().cloned() },
            consignee: PartyDraft { name: Some(a.consignee.name.clone()), address: a.consignee.address.first().cloned() },
            import_country: Some(a.import_country.clone()),
            transit_countries: a.transit_countries.clone(),
            loading_port_code: a.loading_port.as_ref().and_then(|l| l.id.clone()),
            loading_port: a.loading_port.as_ref().and_then(|l| l.name.clone()),
            unloading_port_code: a.unloading_port.as_ref().and_then(|l| l.id.clone()),
            unloading_port: a.unloading_port.as_ref().and_then(|l| l.name.clone()),
            transport_mode: a.transport.as_ref().map(|t| t.mode.clone()),
            transport_means: a.transport.as_ref().and_then(|t| t.means.clone()),
            voyage: a.transport.as_ref().and_then(|t| t.id.clone()),
            containers: a.containers.iter().map(|c| ContainerDraft { id: c.id.clone(), seals: c.seals.clone() }).collect(),
            marks: s(&a.marks),
            import_permit: s(&a.import_permit),
            additional_declarations: a.additional_declarations.clone(),
            original: a.original.as_ref().map(|o| OriginalDraft { number: Some(o.number.clone()), country: Some(o.country.clone()) }),
            lines: a
                .lines
                .iter()
                .map(|l| LineDraft {
                    hs: Some(l.hs.to_string()),
                    description: Some(l.description.clone()),
                    scientific_name: Some(l.scientific_name.clone()),
                    common_name: l.common_name.clone(),
                    intended_use: l.intended_use.clone(),
                    net_weight: Some(l.net_weight.to_string()),
                    gross_weight: l.gross_weight.map(|d| d.to_string()),
                    packages: l.packages.as_ref().map(|(n, _)| n.to_string()),
                    package_kind: l.packages.as_ref().map(|(_, k)| k.clone()),
                    origin_country: Some(l.origin_country.clone()),
                    origin_region: l.origin_region.clone(),
                    treatments: l
                        .treatments
                        .iter()
                        .map(|t| TreatmentDraft {
                            description: Some(t.description.clone()),
                            chemical: t.chemical.clone(),
                            temperature: t.temperature.map(|d| d.to_string()),
                            duration_hours: t.duration_hours.map(|d| d.to_string()),
                            date: t.date.map(|d| d.to_string()),
                        })
                        .collect(),
                })
                .collect(),
        }
    }
}

/// Text as it will be printed: trimmed, every run of white space one space (so the XML carries
/// it unchanged).
pub fn clean(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

struct Reader {
    errors: Vec<FieldError>,
}

impl Reader {
    fn err(&mut self, path: &str, rule: Rule, en: impl Into<String>, zh: impl Into<String>) {
        self.errors.push(FieldError::new(path, rule, en, zh));
    }

    /// Cleaned text, None if absent or blank; too long is an error.
    fn optional(&mut self, path: &str, v: &Option<String>) -> Option<String> {
        let s = clean(v.as_deref().unwrap_or_default());
        if s.is_empty() {
            return None;
        }
        if s.chars().count() > MAX_TEXT {
            self.err(path, Rule::TooLong, format!("at most {MAX_TEXT} characters"), format!("最多 {MAX_TEXT} 个字符"));
            return None;
        }
        Some(s)
    }

    fn required(&mut self, path: &str, v: &Option<String>, en: &str, zh: &str) -> Option<String> {
        let had = v.as_deref().is_some_and(|s| !s.trim().is_empty());
        let s = self.optional(path, v);
        if !had {
            self.err(path, Rule::Required, format!("give the {en}"), format!("请填写{zh}"));
        }
        s
    }

    fn country(&mut self, path: &str, v: &str) -> Option<String> {
        match alpha2(v) {
            Some(c) => Some(c.to_owned()),
            None => {
                self.err(
                    path,
                    Rule::CountryUnknown,
                    format!("{v:?} is not an ISO 3166 country code (alpha-2 or alpha-3)"),
                    format!("{v:?} 不是 ISO 3166 国别代码（两位或三位字母）"),
                );
                None
            }
        }
    }

    fn decimal(&mut self, path: &str, v: &Option<String>, positive: bool) -> Option<Decimal> {
        let s = v.as_deref().map(str::trim).filter(|s| !s.is_empty())?;
        match parse_decimal(s, 16, 3, positive) {
            Ok(d) => Some(d),
            Err(e) => {
                self.err(path, e.rule, e.en, e.zh);
                None
            }
        }
    }

    fn location(&mut self, path: &str, code: &Option<String>, name: &Option<String>) -> Option<Location> {
        let id = code.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_ascii_uppercase);
        if let Some(c) = &id {
            let b = c.as_bytes();
            if b.len() != 5 || !b[..2].iter().all(u8::is_ascii_uppercase) || !b[2..].iter().all(u8::is_ascii_alphanumeric) {
                self.err(
                    &format!("{path}_code"),
                    Rule::CodeFormat,
                    format!("a UN/LOCODE is a country's two letters and three letters or digits (CNSHA), got {c:?}"),
                    format!("UN/LOCODE 应为两位国家字母加三位字母或数字（如 CNSHA），实际为 {c:?}"),
                );
            }
        }
        let name = self.optional(path, name);
        (id.is_some() || name.is_some()).then_some(Location { id, name })
    }
}

/// Reads an application: what does not exist or cannot be read is a field error, and the whole
/// is refused (nothing is stored).
pub fn parse(d: &PhytoDraft) -> Result<Application, Refusal> {
    let mut r = Reader { errors: Vec::new() };
    let kind = match d.kind.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => Some(PhytoKind::Export),
        Some(k) => PhytoKind::parse(k).or_else(|| {
            r.err(
                "kind",
                Rule::Enumeration,
                format!("{k:?} is not a kind of certificate; use export or re-export"),
                format!("{k:?} 不是证书类型，应为 export（出口）或 re-export（再出口）"),
            );
            None
        }),
    };
    let office = match d.office.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => {
            r.err("office", Rule::Required, "give the issuing customs office", "请填写签证机构");
            None
        }
        Some(o) => OfficeCode::parse(o).map_err(|e| r.err("office", e.rule, e.en, e.zh)).ok(),
    };
    let declaration = d.declaration.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned);
    let party = |r: &mut Reader, path: &str, p: &PartyDraft, en: &str, zh: &str| {
        let name = r.required(&format!("{path}.name"), &p.name, &format!("{en}'s name"), &format!("{zh}名称"));
        let address = r.required(&format!("{path}.address"), &p.address, &format!("{en}'s address"), &format!("{zh}地址"));
        Some(Party { name: name?, address: vec![address?], city: None, country: None })
    };
    let consignor = party(&mut r, "consignor", &d.consignor, "consignor", "发货人");
    let consignee = party(&mut r, "consignee", &d.consignee, "consignee", "收货人");
    let import_country = match d.import_country.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => {
            r.err("import_country", Rule::Required, "give the importing country", "请填写输入国家或地区");
            None
        }
        Some(c) => r.country("import_country", c).filter(|c| {
            let china = c == "CN";
            if china {
                r.err(
                    "import_country",
                    Rule::PhytoImportCountry,
                    "a phytosanitary certificate for export names the importing country, not China",
                    "出境植物检疫证书的输入国家或地区不能是中国",
                );
            }
            !china
        }),
    };
    let mut transit_countries = Vec::new();
    for (i, c) in d.transit_countries.iter().enumerate().take(MAX_REPEAT) {
        transit_countries.extend(r.country(&format!("transit_countries[{i}]"), c));
    }
    let loading_port = r.location("loading_port", &d.loading_port_code, &d.loading_port);
    let unloading_port = r.location("unloading_port", &d.unloading_port_code, &d.unloading_port);
    let transport = match d.transport_mode.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => None,
        Some(m) if TRANSPORT_MODES.iter().any(|(c, _, _)| *c == m) => Some(Transport {
            mode: m.to_owned(),
            means: r.optional("transport_means", &d.transport_means),
            id: r.optional("voyage", &d.voyage),
        }),
        Some(m) => {
            let all = TRANSPORT_MODES.iter().map(|(c, _, en)| format!("{c} {en}")).collect::<Vec<_>>().join(", ");
            r.err(
                "transport_mode",
                Rule::Enumeration,
                format!("{m:?} is not a UN/ECE mode of transport; use one of {all}"),
                format!("{m:?} 不是运输方式代码（UN/ECE 第19号建议书），应为 {all} 之一"),
            );
            None
        }
    };
    let mut containers = Vec::new();
    for (i, c) in d.containers.iter().enumerate() {
        if i >= MAX_REPEAT {
            r.err("containers", Rule::MaxOccurs, format!("at most {MAX_REPEAT} containers"), format!("最多 {MAX_REPEAT} 个集装箱"));
            break;
        }
        let id = c.id.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_ascii_uppercase);
        if let Some(id) = &id {
            if !crate::declaration::container_number_valid(id) {
                r.err(
                    &format!("containers[{i}].id"),
                    Rule::ContainerNumber,
                    format!("{id} is not an ISO 6346 container number (check digit)"),
                    format!("{id} 不是有效的 ISO 6346 集装箱号（校验位不符）"),
                );
            }
        }
        let seals: Vec<String> = c.seals.iter().map(|s| clean(s)).filter(|s| !s.is_empty()).collect();
        if id.is_some() || !seals.is_empty() {
            containers.push(Equipment { id, seals });
        }
    }
    let marks = r.optional("marks", &d.marks);
    let import_permit = r.optional("import_permit", &d.import_permit);
    let mut additional_declarations = Vec::new();
    for (i, a) in d.additional_declarations.iter().enumerate() {
        if i >= MAX_REPEAT {
            r.err(
                "additional_declarations",
                Rule::MaxOccurs,
                format!("at most {MAX_REPEAT} additional declarations"),
                format!("最多 {MAX_REPEAT} 条附加声明"),
            );
            break;
        }
        additional_declarations.extend(r.optional(&format!("additional_declarations[{i}]"), &Some(a.clone())));
    }
    let original = match (&d.original, kind) {
        (Some(o), Some(PhytoKind::ReExport)) => {
            let number = r.required("original.number", &o.number, "original certificate's number", "原证书编号");
            let country = match o.country.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
                None => {
                    r.err(
                        "original.country",
                        Rule::Required,
                        "give the country that issued the original certificate",
                        "请填写原证书签发国家或地区",
                    );
                    None
                }
                Some(c) => r.country("original.country", c),
            };
            number.zip(country).map(|(number, country)| Original { number, country })
        }
        (None, Some(PhytoKind::ReExport)) => {
            r.err(
                "original",
                Rule::PhytoOriginal,
                "a re-export certificate names the original certificate of the import (number and country)",
                "再出口植物检疫证书须注明进口时的原植物检疫证书（编号和签发国家或地区）",
            );
            None
        }
        (Some(o), Some(PhytoKind::Export)) if o.number.as_deref().is_some_and(|n| !n.trim().is_empty()) => {
            r.err(
                "original",
                Rule::PhytoOriginal,
                "only a re-export certificate names an original certificate",
                "只有再出口植物检疫证书注明原证书",
            );
            None
        }
        _ => None,
    };
    if d.lines.is_empty() {
        r.err("lines", Rule::Required, "give at least one goods line", "请至少填写一项货物");
    }
    if d.lines.len() > MAX_LINES {
        r.err("lines", Rule::MaxOccurs, format!("at most {MAX_LINES} goods lines"), format!("最多 {MAX_LINES} 项货物"));
    }
    let mut lines = Vec::new();
    for (i, l) in d.lines.iter().enumerate().take(MAX_LINES) {
        lines.extend(line(&mut r, &format!("lines[{i}]"), l));
    }
    if !r.errors.is_empty() {
        return Err(Refusal::validation(r.errors));
    }
    Ok(Application {
        kind: kind.expect("checked"),
        office: office.expect("checked"),
        declaration,
        consignor: consignor.expect("checked"),
        consignee: consignee.expect("checked"),
        import_country: import_country.expect("checked"),
        transit_countries,
        loading_port,
        unloading_port,
        transport,
        containers,
        marks,
        import_permit,
        additional_declarations,
        original,
        lines,
    })
}

/// Whether `name` reads as a botanical name: a capitalised genus, then words of letters (species,
/// `subsp.`, `var.`, a cultivar in quotes, a hybrid's `×`, several genera of a mixed lot separated
/// by commas: `Petunia, Tagetes spp.`).
fn botanical(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_uppercase())
        && name.chars().all(|c| c.is_ascii_alphabetic() || " .,-'()×".contains(c))
        && name.chars().filter(char::is_ascii_alphabetic).count() >= 3
}

fn line(r: &mut Reader, path: &str, l: &LineDraft) -> Option<LineApp> {
    let hs = match l.hs.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => {
            r.err(&format!("{path}.hs"), Rule::Required, "give the HS code", "请填写商品编码");
            None
        }
        Some(h) => match HsCode::parse(h) {
            Err(e) => {
                r.err(&format!("{path}.hs"), e.rule, e.en, e.zh);
                None
            }
            Ok(hs) if !PLANT_CHAPTERS.contains(&&hs.as_str()[..2]) => {
                r.err(
                    &format!("{path}.hs"),
                    Rule::PhytoHsScope,
                    format!("{hs} is not a plant, plant product or seed (HS chapters 06–14, 44)"),
                    format!("{hs} 不是植物、植物产品或种子（HS 第06–14章、第44章）"),
                );
                None
            }
            Ok(hs) => Some(hs),
        },
    };
    let description = r.required(&format!("{path}.description"), &l.description, "description of the goods", "货物描述");
    let scientific_name = r.required(&format!("{path}.scientific_name"), &l.scientific_name, "scientific name", "学名").filter(|n| {
        let ok = botanical(n);
        if !ok {
            r.err(
                &format!("{path}.scientific_name"),
                Rule::PhytoScientificName,
                format!("{n:?} is not a botanical name (a capitalised genus in Latin letters, e.g. Oryza sativa)"),
                format!("{n:?} 不是植物学名（以大写字母开头的拉丁属名，如 Oryza sativa）"),
            );
        }
        ok
    });
    let common_name = r.optional(&format!("{path}.common_name"), &l.common_name);
    let intended_use = r.optional(&format!("{path}.intended_use"), &l.intended_use);
    let net_weight = match r.decimal(&format!("{path}.net_weight"), &l.net_weight, true) {
        Some(w) => Some(w),
        None if l.net_weight.as_deref().is_none_or(|s| s.trim().is_empty()) => {
            r.err(&format!("{path}.net_weight"), Rule::Required, "give the net weight (kg)", "请填写净重（千克）");
            None
        }
        None => None,
    };
    let gross_weight = r.decimal(&format!("{path}.gross_weight"), &l.gross_weight, true);
    if let (Some(n), Some(g)) = (net_weight, gross_weight) {
        if n > g {
            r.err(
                &format!("{path}.gross_weight"),
                Rule::NetOverGross,
                format!("net weight {n} kg exceeds gross weight {g} kg"),
                format!("净重 {n} 千克大于毛重 {g} 千克"),
            );
        }
    }
    let count = r.decimal(&format!("{path}.packages"), &l.packages, true);
    let kind = l.package_kind.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_ascii_uppercase);
    let packages = match (count, kind) {
        (Some(n), Some(k)) if k.len() == 2 && k.bytes().all(|b| b.is_ascii_alphanumeric()) => Some((n, k)),
        (Some(_), Some(k)) => {
            r.err(
                &format!("{path}.package_kind"),
                Rule::CodeFormat,
                format!("a package code is two letters or digits (UN/ECE Recommendation 21: BG, CT, BX…), got {k:?}"),
                format!("包装代码应为两位字母或数字（UN/ECE 第21号建议书：BG、CT、BX…），实际为 {k:?}"),
            );
            None
        }
        (Some(_), None) => {
            r.err(&format!("{path}.package_kind"), Rule::Required, "give the kind of package", "请填写包装种类");
            None
        }
        (None, _) => None,
    };
    let origin_country = match l.origin_country.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => {
            r.err(&format!("{path}.origin_country"), Rule::Required, "give the country of origin", "请填写原产国家或地区");
            None
        }
        Some(c) => r.country(&format!("{path}.origin_country"), c),
    };
    let origin_region = r.optional(&format!("{path}.origin_region"), &l.origin_region);
    let mut treatments = Vec::new();
    for (j, t) in l.treatments.iter().enumerate().take(MAX_REPEAT) {
        let tp = format!("{path}.treatments[{j}]");
        let description = r.required(&format!("{tp}.description"), &t.description, "treatment", "处理方法");
        let chemical = r.optional(&format!("{tp}.chemical"), &t.chemical);
        let temperature = t.temperature.as_deref().map(str::trim).filter(|s| !s.is_empty()).and_then(|s| {
            s.parse::<Decimal>()
                .map_err(|_| {
                    r.err(&format!("{tp}.temperature"), Rule::NumberFormat, format!("{s:?} is not a number"), format!("{s:?} 不是有效数字"))
                })
                .ok()
        });
        let duration_hours = r.decimal(&format!("{tp}.duration_hours"), &t.duration_hours, true);
        let date = t.date.as_deref().map(str::trim).filter(|s| !s.is_empty()).and_then(|s| {
            time::Date::parse(s, time::macros::format_description!("[year]-[month]-[day]"))
                .map_err(|_| {
                    r.err(
                        &format!("{tp}.date"),
                        Rule::DateFormat,
                        format!("{s:?} is not a date YYYY-MM-DD"),
                        format!("{s:?} 不是 YYYY-MM-DD 格式的日期"),
                    )
                })
                .ok()
        });
        if let Some(description) = description {
            treatments.push(TreatmentApp { description, chemical, temperature, duration_hours, date });
        }
    }
    Some(LineApp {
        hs: hs?,
        description: description?,
        scientific_name: scientific_name?,
        common_name,
        intended_use,
        net_weight: net_weight?,
        gross_weight,
        packages,
        origin_country: origin_country?,
        origin_region,
        treatments,
    })
}
