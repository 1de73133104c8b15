//! 原产地证书 — certificates of origin: the exporter's application, the intelligent review that
//! decides it at once (智能审核), and the officer's decision where the review refers it.
//!
//! ```text
//! apply ──► review ──► pass ───────────────────────────────► issued (签发)
//!              ├────► amend (退回修改) ──► amend ──► review … (same number)
//!              ├────► manual-review (人工审核) ─┬─ approve ──► issued
//!              └────► investigate (核查调查) ───┼─ return ───► amend
//!                                               └─ reject ───► rejected (不予签证)
//! ```
//! An application is first read ([`parse`]): an agreement, criterion, code or number that does
//! not exist is a refusal and nothing is stored. What can be read is reviewed ([`review`]) from
//! the agreements' product-specific rules (data, [`psr::PsrTable`]), the exporter's history and
//! credit grade, and the risk lists the rule set in force holds; the review is recorded with
//! the application (like a targeting decision) and lists the rules that decided it.

pub mod psr;
pub mod record;
pub mod review;
#[cfg(test)]
mod tests;

pub use psr::{Psr, PsrTable, Requirement};
pub use record::{Decision, DecisionAction, OriginCertificate, OriginEvent, OriginStatus};
pub use review::{review, Facts, Outcome, Reason, Review, ReviewRule};

use crate::error::{FieldError, Refusal, Rule};
use crate::types::{parse_decimal, CountryCode, CurrencyCode, HsCode, OfficeCode, UnitCode};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use time::Date;

/// The rule-set list of exporters (customs codes) whose certificates go to verification.
pub const WATCHED_EXPORTERS: &str = "origin-exporters";
/// The rule-set list of HS prefixes whose certificates an officer reviews.
pub const WATCHED_GOODS: &str = "origin-goods";

/// Longest free text (descriptions, names, addresses, reasons).
pub const MAX_TEXT: usize = 500;
/// Most goods lines on one certificate.
pub const MAX_LINES: usize = 20;
/// Most materials of one goods line.
pub const MAX_MATERIALS: usize = 30;

/// 协定 — the agreement a certificate is issued under.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Agreement {
    /// 区域全面经济伙伴关系协定
    Rcep,
    /// 中国—东盟自由贸易协定 (FORM E)
    ChinaAsean,
    /// 中国—韩国自由贸易协定
    ChinaKorea,
    /// 中国—澳大利亚自由贸易协定
    ChinaAustralia,
    /// 非优惠原产地证书 — the general certificate of origin (CO).
    NonPreferential,
}

impl Agreement {
    pub const ALL: [Agreement; 5] =
        [Agreement::Rcep, Agreement::ChinaAsean, Agreement::ChinaKorea, Agreement::ChinaAustralia, Agreement::NonPreferential];

    pub fn as_str(self) -> &'static str {
        match self {
            Agreement::Rcep => "rcep",
            Agreement::ChinaAsean => "china-asean",
            Agreement::ChinaKorea => "china-korea",
            Agreement::ChinaAustralia => "china-australia",
            Agreement::NonPreferential => "non-preferential",
        }
    }

    pub fn parse(s: &str) -> Option<Agreement> {
        let s = s.trim().to_ascii_lowercase();
        Agreement::ALL.into_iter().find(|a| a.as_str() == s)
    }

    pub fn name_zh(self) -> &'static str {
        match self {
            Agreement::Rcep => "区域全面经济伙伴关系协定（RCEP）",
            Agreement::ChinaAsean => "中国—东盟自由贸易协定",
            Agreement::ChinaKorea => "中国—韩国自由贸易协定",
            Agreement::ChinaAustralia => "中国—澳大利亚自由贸易协定",
            Agreement::NonPreferential => "非优惠原产地",
        }
    }

    pub fn name_en(self) -> &'static str {
        match self {
            Agreement::Rcep => "Regional Comprehensive Economic Partnership (RCEP)",
            Agreement::ChinaAsean => "ASEAN–China Free Trade Area",
            Agreement::ChinaKorea => "China–Korea Free Trade Agreement",
            Agreement::ChinaAustralia => "China–Australia Free Trade Agreement",
            Agreement::NonPreferential => "Non-preferential origin",
        }
    }

    /// The certificate's title as printed.
    pub fn form(self) -> (&'static str, &'static str) {
        match self {
            Agreement::Rcep => ("RCEP原产地证书", "RCEP Certificate of Origin"),
            Agreement::ChinaAsean => ("中国—东盟自贸协定原产地证书（FORM E）", "ASEAN-China FTA Certificate of Origin (Form E)"),
            Agreement::ChinaKorea => ("中韩自贸协定原产地证书", "China-Korea FTA Certificate of Origin"),
            Agreement::ChinaAustralia => ("中澳自贸协定原产地证书", "China-Australia FTA Certificate of Origin"),
            Agreement::NonPreferential => ("一般原产地证书", "Certificate of Origin (non-preferential)"),
        }
    }

    /// The first letter of its certificates' numbers.
    pub fn prefix(self) -> char {
        match self {
            Agreement::Rcep => 'R',
            Agreement::ChinaAsean => 'E',
            Agreement::ChinaKorea => 'K',
            Agreement::ChinaAustralia => 'A',
            Agreement::NonPreferential => 'C',
        }
    }

    /// The other parties (ISO 3166 alpha-3); `None` for a non-preferential certificate, which
    /// any country may receive.
    pub fn parties(self) -> Option<&'static [&'static str]> {
        const ASEAN: &[&str] = &["BRN", "IDN", "KHM", "LAO", "MMR", "MYS", "PHL", "SGP", "THA", "VNM"];
        match self {
            Agreement::Rcep => Some(&["AUS", "BRN", "IDN", "JPN", "KHM", "KOR", "LAO", "MMR", "MYS", "NZL", "PHL", "SGP", "THA", "VNM"]),
            Agreement::ChinaAsean => Some(ASEAN),
            Agreement::ChinaKorea => Some(&["KOR"]),
            Agreement::ChinaAustralia => Some(&["AUS"]),
            Agreement::NonPreferential => None,
        }
    }

    /// Whether a material of `country` counts as originating: China's and the other parties'
    /// (cumulation); for a non-preferential certificate China's alone.
    pub fn originating(self, country: &CountryCode) -> bool {
        country.as_str() == "CHN" || self.parties().is_some_and(|p| p.contains(&country.as_str()))
    }
}

/// 原产地标准 — the origin criterion the exporter claims for a goods line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Criterion {
    /// WO — wholly obtained or produced in China.
    Wo,
    /// PE — produced in China exclusively from originating materials.
    Pe,
    /// PSR — meets the product-specific rule of its heading (change of classification or
    /// regional value content).
    Psr,
}

impl Criterion {
    pub const ALL: [Criterion; 3] = [Criterion::Wo, Criterion::Pe, Criterion::Psr];

    pub fn as_str(self) -> &'static str {
        match self {
            Criterion::Wo => "WO",
            Criterion::Pe => "PE",
            Criterion::Psr => "PSR",
        }
    }

    pub fn parse(s: &str) -> Option<Criterion> {
        let s = s.trim().to_ascii_uppercase();
        Criterion::ALL.into_iter().find(|c| c.as_str() == s)
    }

    pub fn name_zh(self) -> &'static str {
        match self {
            Criterion::Wo => "完全获得",
            Criterion::Pe => "完全由原产材料生产",
            Criterion::Psr => "产品特定原产地规则",
        }
    }
}

/// 材料 — a material used to produce a goods line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Material {
    /// Its HS code, 2 to 10 digits (a change of classification compares as many as it needs).
    pub hs: String,
    pub description: String,
    /// Country of origin (ISO 3166 alpha-3).
    pub origin: CountryCode,
    /// Value in the line's currency (CIF value of a non-originating material).
    pub value: Decimal,
}

/// 货物 — one goods line of the certificate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GoodsLine {
    pub hs: HsCode,
    pub description: String,
    pub quantity: Decimal,
    pub unit: UnitCode,
    /// FOB value.
    pub fob_value: Decimal,
    pub currency: CurrencyCode,
    pub criterion: Criterion,
    #[serde(default)]
    pub materials: Vec<Material>,
}

/// 原产地证书申请 — an application as read: every value checked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Application {
    pub agreement: Agreement,
    /// 签证机构 — the customs office asked to issue the certificate.
    pub office: OfficeCode,
    /// Country of destination (the importing party).
    pub importing_country: CountryCode,
    pub consignee_name: String,
    pub consignee_address: String,
    /// Means of transport and route, as printed.
    pub transport: String,
    pub invoice_no: String,
    pub invoice_date: Date,
    pub goods: Vec<GoodsLine>,
}

/// A material as submitted, every value text.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct MaterialDraft {
    pub hs: Option<String>,
    pub description: Option<String>,
    pub origin: Option<String>,
    pub value: Option<String>,
}

/// A goods line as submitted, every value text.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct GoodsDraft {
    pub hs: Option<String>,
    pub description: Option<String>,
    pub quantity: Option<String>,
    pub unit: Option<String>,
    pub fob_value: Option<String>,
    pub currency: Option<String>,
    /// `WO`, `PE` or `PSR`.
    pub criterion: Option<String>,
    pub materials: Vec<MaterialDraft>,
}

/// 原产地证书申请 — as the exporter submits it, every value text.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct OriginDraft {
    /// `rcep`, `china-asean`, `china-korea`, `china-australia`, `non-preferential`.
    pub agreement: Option<String>,
    pub office: Option<String>,
    pub importing_country: Option<String>,
    pub consignee_name: Option<String>,
    pub consignee_address: Option<String>,
    pub transport: Option<String>,
    pub invoice_no: Option<String>,
    /// `YYYY-MM-DD`.
    pub invoice_date: Option<String>,
    pub goods: Vec<GoodsDraft>,
}

impl OriginDraft {
    /// The draft an application was read from (to amend it).
    pub fn of(a: &Application) -> OriginDraft {
        OriginDraft {
            agreement: Some(a.agreement.as_str().into()),
            office: Some(a.office.to_string()),
            importing_country: Some(a.importing_country.to_string()),
            consignee_name: Some(a.consignee_name.clone()),
            consignee_address: Some(a.consignee_address.clone()),
            transport: Some(a.transport.clone()),
            invoice_no: Some(a.invoice_no.clone()),
            invoice_date: Some(a.invoice_date.to_string()),
            goods: a
                .goods
                .iter()
                .map(|g| GoodsDraft {
                    hs: Some(g.hs.to_string()),
                    description: Some(g.description.clone()),
                    quantity: Some(g.quantity.to_string()),
                    unit: Some(g.unit.to_string()),
                    fob_value: Some(g.fob_value.to_string()),
                    currency: Some(g.currency.to_string()),
                    criterion: Some(g.criterion.as_str().into()),
                    materials: g
                        .materials
                        .iter()
                        .map(|m| MaterialDraft {
                            hs: Some(m.hs.clone()),
                            description: Some(m.description.clone()),
                            origin: Some(m.origin.to_string()),
                            value: Some(m.value.to_string()),
                        })
                        .collect(),
                })
                .collect(),
        }
    }
}

/// Collects the field errors of one reading.
struct Reader {
    errors: Vec<FieldError>,
}

impl Reader {
    fn present<'a>(&mut self, path: &str, v: &'a Option<String>, what_en: &str, what_zh: &str) -> Option<&'a str> {
        match v.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            Some(s) => Some(s),
            None => {
                self.errors.push(FieldError::new(path, Rule::Required, format!("give the {what_en}"), format!("请填写{what_zh}")));
                None
            }
        }
    }

    fn text(&mut self, path: &str, v: &Option<String>, what_en: &str, what_zh: &str) -> Option<String> {
        let s = self.present(path, v, what_en, what_zh)?;
        if s.chars().count() > MAX_TEXT {
            self.errors.push(FieldError::new(
                path,
                Rule::TooLong,
                format!("at most {MAX_TEXT} characters"),
                format!("最多 {MAX_TEXT} 个字符"),
            ));
            return None;
        }
        Some(s.to_owned())
    }

    fn parsed<T, E: Into<(Rule, String, String)>>(
        &mut self,
        path: &str,
        v: &Option<String>,
        what_en: &str,
        what_zh: &str,
        f: impl Fn(&str) -> Result<T, E>,
    ) -> Option<T> {
        let s = self.present(path, v, what_en, what_zh)?;
        match f(s) {
            Ok(t) => Some(t),
            Err(e) => {
                let (rule, en, zh) = e.into();
                self.errors.push(FieldError::new(path, rule, en, zh));
                None
            }
        }
    }
}

impl From<crate::types::ParseError> for (Rule, String, String) {
    fn from(e: crate::types::ParseError) -> Self {
        (e.rule, e.en, e.zh)
    }
}

/// A material's HS code: 2, 4, 6, 8 or 10 digits whose first (up to) six are in HS 2022.
fn material_hs(s: &str) -> Result<String, (Rule, String, String)> {
    if !matches!(s.len(), 2 | 4 | 6 | 8 | 10) || !s.bytes().all(|b| b.is_ascii_digit()) {
        return Err((
            Rule::HsPrefixFormat,
            format!("a material's HS code is 2, 4, 6, 8 or 10 digits, got {s:?}"),
            format!("材料的商品编码应为2、4、6、8或10位数字，实际为 {s:?}"),
        ));
    }
    if guomen_reference::hs::lookup(&s[..s.len().min(6)]).is_none() {
        return Err((Rule::HsUnknown, format!("{s} is not in HS 2022"), format!("{s} 不在 HS 2022 中")));
    }
    Ok(s.to_owned())
}

fn amount(s: &str) -> Result<Decimal, crate::types::ParseError> {
    parse_decimal(s, 19, 2, true)
}

/// Reads an application: every value that does not exist or cannot be read is a field error,
/// and the whole is refused (nothing is stored). What the review decides is not checked here.
pub fn parse(d: &OriginDraft) -> Result<Application, Refusal> {
    let mut r = Reader { errors: Vec::new() };
    let agreement = r.parsed("agreement", &d.agreement, "agreement", "协定", |s| {
        Agreement::parse(s).ok_or_else(|| {
            let list = Agreement::ALL.map(Agreement::as_str).join(", ");
            (
                Rule::AgreementUnknown,
                format!("{s:?} is not an agreement Guomen issues certificates under; use one of {list}"),
                format!("{s:?} 不是可签发原产地证书的协定，应为 {list} 之一"),
            )
        })
    });
    let office = r.parsed("office", &d.office, "issuing customs office", "签证机构", OfficeCode::parse);
    let importing_country = r.parsed("importing_country", &d.importing_country, "importing country", "进口国", CountryCode::parse);
    if importing_country.as_ref().is_some_and(|c| c.as_str() == "CHN") {
        r.errors.push(FieldError::new(
            "importing_country",
            Rule::OriginCountrySelf,
            "a certificate of origin goes with an export: the importing country is not China",
            "原产地证书随出口货物签发，进口国不能是中国",
        ));
    }
    let consignee_name = r.text("consignee_name", &d.consignee_name, "consignee's name", "收货人名称");
    let consignee_address = r.text("consignee_address", &d.consignee_address, "consignee's address", "收货人地址");
    let transport = r.text("transport", &d.transport, "means of transport and route", "运输方式及路线");
    let invoice_no = r.text("invoice_no", &d.invoice_no, "invoice number", "发票号");
    let invoice_date = r.parsed("invoice_date", &d.invoice_date, "invoice date", "发票日期", |s| {
        Date::parse(s, &time::macros::format_description!("[year]-[month]-[day]"))
            .map_err(|_| (Rule::DateFormat, format!("a date is YYYY-MM-DD, got {s:?}"), format!("日期格式应为 YYYY-MM-DD，实际为 {s:?}")))
    });
    if d.goods.is_empty() {
        r.errors.push(FieldError::new("goods", Rule::Required, "list at least one goods line", "请至少填写一项货物"));
    }
    if d.goods.len() > MAX_LINES {
        r.errors.push(FieldError::new(
            "goods",
            Rule::TooLong,
            format!("at most {MAX_LINES} goods lines on one certificate"),
            format!("一份证书最多 {MAX_LINES} 项货物"),
        ));
    }
    let mut goods = Vec::new();
    for (i, g) in d.goods.iter().enumerate().take(MAX_LINES) {
        let p = |f: &str| format!("goods[{i}].{f}");
        let hs = r.parsed(&p("hs"), &g.hs, "commodity code", "商品编码", HsCode::parse);
        let description = r.text(&p("description"), &g.description, "description of the goods", "货物名称");
        let quantity = r.parsed(&p("quantity"), &g.quantity, "quantity", "数量", |s| parse_decimal(s, 19, 5, true));
        let unit = r.parsed(&p("unit"), &g.unit, "unit of measure", "计量单位", UnitCode::parse);
        let fob_value = r.parsed(&p("fob_value"), &g.fob_value, "FOB value", "离岸价格", amount);
        let currency = r.parsed(&p("currency"), &g.currency, "currency", "币制", CurrencyCode::parse);
        let criterion = r.parsed(&p("criterion"), &g.criterion, "origin criterion", "原产地标准", |s| {
            Criterion::parse(s).ok_or_else(|| {
                (
                    Rule::CriterionUnknown,
                    format!("{s:?} is not an origin criterion; use WO, PE or PSR"),
                    format!("{s:?} 不是原产地标准，应为 WO、PE 或 PSR"),
                )
            })
        });
        if g.materials.len() > MAX_MATERIALS {
            r.errors.push(FieldError::new(
                p("materials"),
                Rule::TooLong,
                format!("at most {MAX_MATERIALS} materials per goods line"),
                format!("每项货物最多 {MAX_MATERIALS} 种材料"),
            ));
        }
        let mut materials = Vec::new();
        for (j, m) in g.materials.iter().enumerate().take(MAX_MATERIALS) {
            let q = |f: &str| format!("goods[{i}].materials[{j}].{f}");
            let hs = r.parsed(&q("hs"), &m.hs, "material's commodity code", "材料商品编码", material_hs);
            let description = r.text(&q("description"), &m.description, "material's description", "材料名称");
            let origin = r.parsed(&q("origin"), &m.origin, "material's country of origin", "材料原产国", CountryCode::parse);
            let value = r.parsed(&q("value"), &m.value, "material's value", "材料价值", amount);
            if let (Some(hs), Some(description), Some(origin), Some(value)) = (hs, description, origin, value) {
                materials.push(Material { hs, description, origin, value });
            }
        }
        if let (Some(hs), Some(description), Some(quantity), Some(unit), Some(fob_value), Some(currency), Some(criterion)) =
            (hs, description, quantity, unit, fob_value, currency, criterion)
        {
            goods.push(GoodsLine { hs, description, quantity, unit, fob_value, currency, criterion, materials });
        }
    }
    if !r.errors.is_empty() {
        return Err(Refusal::validation(r.errors));
    }
    Ok(Application {
        agreement: agreement.expect("checked"),
        office: office.expect("checked"),
        importing_country: importing_country.expect("checked"),
        consignee_name: consignee_name.expect("checked"),
        consignee_address: consignee_address.expect("checked"),
        transport: transport.expect("checked"),
        invoice_no: invoice_no.expect("checked"),
        invoice_date: invoice_date.expect("checked"),
        goods,
    })
}
