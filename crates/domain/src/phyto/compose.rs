//! The certificate composed from the application and what Guomen holds: the export
//! declaration's inspection result, the laboratory's published conclusions, the original
//! certificate of a re-export, the certificate a replacement replaces.
//!
//! Issuing is refused when what Guomen holds does not support the certificate: an inspection
//! that was not satisfactory, a laboratory conclusion that was not, a sample not yet concluded.

use super::draft::{Application, LineApp};
use super::{
    subject, Authentication, Characteristic, Classification, Clause, Location, Measure, Note, OriginArea, Package, PhytoDocument,
    PhytoKind, Reference, Text, TradeLine, Treatment, RELATION_ORIGINAL,
};
use crate::declaration::Declaration;
use crate::error::{Refusal, Rule};
use crate::inspection::{Conclusion, Outcome};
use crate::quarantine::lab::{Sample, SampleStatus};
use rust_decimal::Decimal;
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

/// 签证机构 — the national plant protection organisation, as the certificate names it.
pub const ISSUER: &str = "General Administration of Customs of the People's Republic of China (中华人民共和国海关总署)";

/// The certifying statement of a certificate for export (ISPM 12, model certificate).
const CLAUSE_EXPORT_EN: &str = "This is to certify that the plants, plant products or other regulated articles described herein have been inspected and/or tested according to appropriate official procedures and are considered to be free from the quarantine pests specified by the importing contracting party and to conform with the current phytosanitary requirements of the importing contracting party, including those for regulated non-quarantine pests.";
const CLAUSE_EXPORT_ZH: &str = "兹证明上述植物、植物产品或其他检疫物已经按照规定程序进行检查和/或检验，被认为不带有输入国家或地区规定的检疫性有害生物，符合输入国家或地区现行的植物检疫要求，包括对限定的非检疫性有害生物的要求。";

/// What a laboratory concluded on one sample, as the certificate states it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LabFinding {
    pub sample: String,
    pub en: String,
    pub zh: String,
}

/// What composing needs besides the application.
pub struct Facts<'a> {
    pub number: &'a str,
    /// The officer who issues it (printed as the authorised officer).
    pub officer: &'a str,
    pub now: OffsetDateTime,
    /// The export declaration the application names, if any.
    pub declaration: Option<&'a Declaration>,
    /// The declaration's samples.
    pub samples: &'a [Sample],
    /// A re-export's original certificate, as Guomen received it.
    pub original: Option<&'a PhytoDocument>,
    /// A replacement: the certificate replaced and why.
    pub replaces: Option<(&'a str, &'a str)>,
}

fn rfc3339(t: OffsetDateTime) -> String {
    t.replace_nanosecond(0).unwrap_or(t).format(&Rfc3339).expect("a time formats")
}

/// What the laboratory concluded on each published sample; a refusal if a sample is not
/// concluded yet or did not conform.
pub fn lab_findings(samples: &[Sample]) -> Result<Vec<LabFinding>, Refusal> {
    let mut out = Vec::new();
    for s in samples {
        match s.status {
            SampleStatus::Cancelled => continue,
            SampleStatus::Published => {}
            _ => {
                return Err(Refusal::field(
                    "declaration",
                    Rule::PhytoLabPending,
                    format!("sample {} of the declaration has no published conclusion yet", s.id),
                    format!("报关单的样品 {} 尚未发布检测结论", s.id),
                ))
            }
        }
        let Some(p) = &s.published else { continue };
        if p.conclusion != Conclusion::Satisfactory {
            return Err(Refusal::field(
                "declaration",
                Rule::PhytoLabFailed,
                format!("the laboratory concluded sample {} {}: no certificate is issued for the consignment", s.id, p.conclusion.as_str()),
                format!("样品 {} 检测结论为{}，不能为该批货物签发证书", s.id, p.conclusion.name_zh()),
            ));
        }
        let names_en: Vec<&str> = s.analytes.iter().map(|a| a.name_en.as_str()).collect();
        let names_zh: Vec<&str> = s.analytes.iter().map(|a| a.name_zh.as_str()).collect();
        let day = p.at.date();
        out.push(LabFinding {
            sample: s.id.clone(),
            en: format!("Laboratory test of sample {} ({}), concluded {day}: {}; conforms.", s.id, s.lab, names_en.join(", ")),
            zh: format!("样品 {}（{}）实验室检测，{day} 结论：{}，合格。", s.id, s.lab, names_zh.join("、")),
        });
    }
    Ok(out)
}

/// The inspection the declaration records: its date, or a refusal if it was not satisfactory.
fn inspection(d: &Declaration) -> Result<Option<(time::Date, String)>, Refusal> {
    let Some(r) = &d.result else { return Ok(None) };
    if r.outcome != Outcome::Satisfactory {
        return Err(Refusal::field(
            "declaration",
            Rule::PhytoInspectionFailed,
            format!("the inspection of declaration {} was not satisfactory ({}): no certificate is issued", d.id, r.findings.join("; ")),
            format!("报关单 {} 查验结果不合格（{}），不能签发证书", d.id, r.findings.join("；")),
        ));
    }
    let place = d.positions.last().map(|p| p.site_name.clone()).unwrap_or_default();
    Ok(Some((r.recorded_at.date(), place)))
}

fn kg(v: Decimal) -> Measure {
    Measure { value: v, unit: "KGM".into() }
}

fn line(seq: u32, l: &LineApp) -> TradeLine {
    let treatments = l
        .treatments
        .iter()
        .map(|t| {
            let mut characteristics =
                vec![Characteristic { descriptions: vec![Text::plain("TTFT"), Text::en(t.description.clone())], value: None }];
            if let Some(c) = &t.chemical {
                characteristics.push(Characteristic { descriptions: vec![Text::plain("TTAI"), Text::en(c.clone())], value: None });
            }
            if let Some(c) = t.temperature {
                characteristics.push(Characteristic {
                    descriptions: vec![Text::plain("TTTM")],
                    value: Some(Measure { value: c, unit: "CEL".into() }),
                });
            }
            let date = t.date.map(|d| d.to_string());
            Treatment {
                type_code: "ZZZ".into(),
                characteristics,
                notes: Vec::new(),
                start: date.clone(),
                end: date,
                duration: t.duration_hours.map(|h| Measure { value: h, unit: "HUR".into() }),
            }
        })
        .collect();
    TradeLine {
        seq,
        descriptions: vec![Text::en(l.description.clone())],
        common_name: l.common_name.clone(),
        scientific_name: l.scientific_name.clone(),
        intended_use: l.intended_use.clone().map(Text::en),
        net_weight: Some(kg(l.net_weight)),
        gross_weight: l.gross_weight.map(kg),
        net_volume: None,
        gross_volume: None,
        classifications: vec![Classification { system: "HS".into(), code: Some(l.hs.to_string()), name: None }],
        notes: Vec::new(),
        packages: l.packages.iter().map(|(n, k)| Package { level: Some(1), kind: k.clone(), quantity: *n }).collect(),
        origins: vec![OriginArea { country: l.origin_country.clone(), region: l.origin_region.clone() }],
        treatments,
    }
}

/// Composes the certificate an officer issues. Pure: the number, the time and what Guomen
/// holds are given.
pub fn compose(app: &Application, f: &Facts<'_>) -> Result<PhytoDocument, Refusal> {
    let mut notes = Vec::new();
    let mut examination_place = None;
    if let Some(d) = f.declaration {
        if let Some((day, place)) = inspection(d)? {
            notes.push(Note::new(subject::INSPECTION_DATE, Text::plain(day.to_string())));
            notes.push(Note {
                subject: subject::ADDITIONAL_DECLARATION.into(),
                content: vec![
                    Text::en(format!("The consignment was inspected on {day} (declaration {}) and found free of quarantine pests.", d.id)),
                    Text::zh(format!("该批货物于 {day} 经检疫（报关单 {}），未发现检疫性有害生物。", d.id)),
                ],
            });
            examination_place = (!place.is_empty()).then_some(place);
        }
        for lab in lab_findings(f.samples)? {
            notes.push(Note { subject: subject::OFFICIAL_INFORMATION.into(), content: vec![Text::en(lab.en), Text::zh(lab.zh)] });
        }
    }
    for a in &app.additional_declarations {
        notes.push(Note::new(subject::ADDITIONAL_DECLARATION, Text::plain(a.clone())));
    }
    if let Some(p) = &app.import_permit {
        notes.push(Note::new(subject::IMPORT_PERMIT, Text::plain(p.clone())));
    }
    if let Some(m) = &app.marks {
        notes.push(Note::new(subject::MARKS, Text::plain(m.clone())));
    }
    if let Some((number, reason)) = f.replaces {
        notes.push(Note::new(subject::REPLACED_NUMBER, Text::plain(number)));
        notes.push(Note::new(subject::REPLACEMENT_REASON, Text::plain(reason)));
        notes.push(Note::new(subject::REPLACEMENT_DATE, Text::plain(rfc3339(f.now))));
    }
    let mut references = Vec::new();
    let clause = match (&app.original, f.original) {
        (Some(o), Some(orig)) => {
            references.push(Reference {
                id: o.number.clone(),
                relationship: RELATION_ORIGINAL.into(),
                type_code: Some(orig.kind.type_code().into()),
                issued: Some(orig.issued.clone()),
                information: Some(Text::en(format!("Original phytosanitary certificate issued by {}", orig.issuer))),
                attachment: None,
            });
            vec![
                Text::en(format!(
                    "This is to certify that the plants, plant products or other regulated articles described herein were imported into China from {} covered by Phytosanitary Certificate No. {}, that based on the original phytosanitary certificate and additional inspection they are considered to conform with the current phytosanitary requirements of the importing contracting party, and that during storage in China the consignment has not been subjected to the risk of infestation or infection.",
                    o.country, o.number
                )),
                Text::zh(format!(
                    "兹证明上述植物、植物产品或其他检疫物系凭 {} 签发的第 {} 号植物检疫证书从该国家或地区输入中国，根据原植物检疫证书和补充检疫，被认为符合输入国家或地区现行的植物检疫要求，并且在中国存放期间未受到有害生物侵染或感染的风险。",
                    o.country, o.number
                )),
            ]
        }
        _ => vec![Text::en(CLAUSE_EXPORT_EN), Text::zh(CLAUSE_EXPORT_ZH)],
    };
    Ok(PhytoDocument {
        number: f.number.to_owned(),
        kind: app.kind,
        title: Some(app.kind.name_en().to_uppercase()),
        issued: rfc3339(f.now),
        issuer: ISSUER.into(),
        notes,
        authentication: Some(Authentication {
            at: Some(rfc3339(f.now)),
            place: Some(Location { id: None, name: Some(format!("Customs office {}", app.office)) }),
            officer: Some(f.officer.to_owned()),
            clauses: vec![Clause { id: "1".into(), content: clause }],
        }),
        references,
        consignor: app.consignor.clone(),
        consignee: app.consignee.clone(),
        export_country: "CN".into(),
        import_country: app.import_country.clone(),
        transit_countries: app.transit_countries.clone(),
        loading_port: app.loading_port.clone(),
        unloading_port: app.unloading_port.clone(),
        examination_place,
        transport: app.transport.iter().cloned().collect(),
        equipment: app.containers.clone(),
        lines: app.lines.iter().zip(1u32..).map(|(l, seq)| line(seq, l)).collect(),
    })
}

/// The kind a re-export's original certificate must be: issued by the country the application
/// names, for a consignment imported into China.
pub fn check_original(app: &Application, original: Option<&PhytoDocument>) -> Result<(), Refusal> {
    let (Some(o), PhytoKind::ReExport) = (&app.original, app.kind) else { return Ok(()) };
    match original {
        Some(doc) if doc.export_country == o.country && doc.import_country == "CN" => Ok(()),
        Some(doc) => Err(Refusal::field(
            "original",
            Rule::PhytoOriginalUnknown,
            format!(
                "certificate {} was issued by {} for a consignment to {}: a re-export names the certificate its import into China came with",
                o.number, doc.export_country, doc.import_country
            ),
            format!("证书 {} 由 {} 签发、输往 {}：再出口证书须注明货物输入中国时所附的证书", o.number, doc.export_country, doc.import_country),
        )),
        None => Err(Refusal::field(
            "original",
            Rule::PhytoOriginalUnknown,
            format!("Guomen has received no phytosanitary certificate {} from {}: the original must have come with the import", o.number, o.country),
            format!("未收到 {} 签发的第 {} 号植物检疫证书：原证书须在进口时已接收", o.country, o.number),
        )),
    }
}
