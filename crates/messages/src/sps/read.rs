//! Reading an `SPSCertificate` into a [`PhytoDocument`].

use super::{SIGNATURE_PI, STEM_CERTIFICATE, STEM_RAM, STEM_UDT};
use crate::xml::{self, Element, ReadError};
use guomen_domain::document::DocumentSignature;
use guomen_domain::phyto::{
    Attachment, Authentication, Characteristic, Classification, Clause, Equipment, Location, Measure, Note, OriginArea, Package, Party,
    PhytoDocument, PhytoKind, Reference, Text, TradeLine, Transport, Treatment,
};
use guomen_domain::{FieldError, Refusal, Rule};
use rust_decimal::Decimal;
use sha2::{Digest, Sha256};

const ROOT: &str = "SPSCertificate";
/// Most namespace errors reported (the rest of a foreign document says nothing new).
const MAX_NS_ERRORS: usize = 20;

/// A certificate as read: what it says, its status code (70 in force) and the Guomen signature
/// it carries, if any.
#[derive(Debug, Clone, PartialEq)]
pub struct SpsRead {
    pub document: PhytoDocument,
    pub status: String,
    pub signature: Option<DocumentSignature>,
}

/// The text of a document in UTF-8 or UTF-16 (by its byte-order mark, or by its first
/// character `<` when it has none).
fn decode(bytes: &[u8]) -> Result<String, Refusal> {
    let utf16 = |data: &[u8], le: bool| -> Result<String, Refusal> {
        if !data.len().is_multiple_of(2) {
            return Err(encoding("a UTF-16 document has an even number of bytes", "UTF-16 报文的字节数应为偶数"));
        }
        let units = data.chunks_exact(2).map(|c| if le { u16::from_le_bytes([c[0], c[1]]) } else { u16::from_be_bytes([c[0], c[1]]) });
        char::decode_utf16(units).collect::<Result<String, _>>().map_err(|_| {
            encoding("the document is not valid UTF-16 (an unpaired surrogate)", "报文不是有效的 UTF-16 编码（存在不成对的代理项）")
        })
    };
    match bytes {
        [0xFF, 0xFE, rest @ ..] => utf16(rest, true),
        [0xFE, 0xFF, rest @ ..] => utf16(rest, false),
        [b'<', 0, ..] => utf16(bytes, true),
        [0, b'<', ..] => utf16(bytes, false),
        _ => {
            let bytes = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(bytes);
            std::str::from_utf8(bytes).map(str::to_owned).map_err(|e| {
                encoding(
                    &format!("the document is neither UTF-8 nor UTF-16 (byte {} is not UTF-8)", e.valid_up_to()),
                    &format!("报文既不是 UTF-8 也不是 UTF-16 编码（第 {} 字节不是 UTF-8）", e.valid_up_to()),
                )
            })
        }
    }
}

fn encoding(en: &str, zh: &str) -> Refusal {
    Refusal::field(ROOT, Rule::SpsEncoding, en, zh)
}

/// The signature a `guomen-signature` processing instruction carries.
fn signature(pis: &[String]) -> Option<DocumentSignature> {
    let pi = pis.iter().find_map(|p| p.trim().strip_prefix(SIGNATURE_PI))?;
    let attr = |name: &str| {
        let at = pi.find(&format!("{name}=\""))? + name.len() + 2;
        let end = pi[at..].find('"')?;
        Some(pi[at..at + end].to_owned())
    };
    Some(DocumentSignature { key_id: attr("key-id")?, signature: attr("signature")? })
}

/// Reads a certificate; every problem is a field error with the element's path, and the whole
/// is refused.
pub fn read_sps(bytes: &[u8]) -> Result<SpsRead, Refusal> {
    let text = decode(bytes)?;
    let (root, pis) = xml::read_document(text.as_bytes()).map_err(|e| match e {
        ReadError::NotUtf8 { .. } => encoding("the document is not UTF-8", "报文不是 UTF-8 编码"),
        ReadError::Malformed { line, column, message } => Refusal::field(
            ROOT,
            Rule::SpsMalformed,
            format!("not well-formed XML at line {line}, column {column}: {message}"),
            format!("XML 格式错误（第 {line} 行，第 {column} 列）：{message}"),
        ),
    })?;
    if root.name != ROOT {
        return Err(Refusal::field(
            ROOT,
            Rule::WrongRoot,
            format!("the root element must be SPSCertificate, found {}", root.qname),
            format!("根元素必须是 SPSCertificate，实际为 {}", root.qname),
        ));
    }
    let mut r = R { errors: Vec::new() };
    r.namespaces(&root, ROOT, 0);
    if !r.errors.is_empty() {
        return Err(Refusal::validation(r.errors));
    }
    let doc_path = format!("{ROOT}/SPSExchangedDocument");
    let cons_path = format!("{ROOT}/SPSConsignment");
    let exchanged = r.child(&root, "SPSExchangedDocument", ROOT);
    let consignment = r.child(&root, "SPSConsignment", ROOT);
    let (Some(d), Some(c)) = (exchanged, consignment) else { return Err(Refusal::validation(r.errors)) };

    let number = r.req(d, "ID", &doc_path);
    let type_code = r.req(d, "TypeCode", &doc_path);
    let kind = type_code.as_deref().and_then(|t| {
        let k = PhytoKind::from_type_code(t);
        if k.is_none() {
            r.err(
                &format!("{doc_path}/TypeCode"),
                Rule::SpsType,
                format!("type code {t:?}: a phytosanitary certificate is 851, a re-export certificate 657"),
                format!("类型代码 {t:?}：植物检疫证书为 851，再出口植物检疫证书为 657"),
            );
        }
        k
    });
    let status = r.req(d, "StatusCode", &doc_path);
    let issued = r.date_time(d, "IssueDateTime", &doc_path, true);
    let issuer = match d.child("IssuerSPSParty") {
        Some(p) => r.req(p, "Name", &format!("{doc_path}/IssuerSPSParty")),
        None => r.missing(&format!("{doc_path}/IssuerSPSParty")),
    };
    let notes = r.notes(d, "IncludedSPSNote", &doc_path);
    let authentication =
        d.child("SignatorySPSAuthentication").map(|a| r.authentication(a, &format!("{doc_path}/SignatorySPSAuthentication")));
    let references = all(d, "ReferenceSPSReferencedDocument")
        .enumerate()
        .filter_map(|(i, e)| r.reference(e, &format!("{doc_path}/ReferenceSPSReferencedDocument[{}]", i + 1)))
        .collect();

    let consignor = r.party(c, "ConsignorSPSParty", &cons_path);
    let consignee = r.party(c, "ConsigneeSPSParty", &cons_path);
    let export_country = r.country_of(c, "ExportSPSCountry", &cons_path, true);
    let import_country = r.country_of(c, "ImportSPSCountry", &cons_path, true);
    let transit_countries = all(c, "TransitSPSCountry")
        .enumerate()
        .filter_map(|(i, e)| r.country(e, &format!("{cons_path}/TransitSPSCountry[{}]", i + 1), false))
        .collect();
    let loading_port = c.child("LoadingBaseportSPSLocation").and_then(location);
    let unloading_port = c.child("UnloadingBaseportSPSLocation").and_then(location);
    let examination_place = c.child("ExaminationSPSEvent").and_then(|e| e.child("OccurrenceSPSLocation")).and_then(|l| l.value("Name"));
    let transport = all(c, "MainCarriageSPSTransportMovement")
        .enumerate()
        .filter_map(|(i, e)| {
            let path = format!("{cons_path}/MainCarriageSPSTransportMovement[{}]", i + 1);
            let mode = r.req(e, "ModeCode", &path)?;
            Some(Transport { mode, means: e.child("UsedSPSTransportMeans").and_then(|m| m.value("Name")), id: e.value("ID") })
        })
        .collect();
    let equipment = all(c, "UtilizedSPSTransportEquipment")
        .map(|e| Equipment { id: e.value("ID"), seals: all(e, "AffixedSPSSeal").filter_map(|s| s.value("ID")).collect() })
        .filter(|e| e.id.is_some() || !e.seals.is_empty())
        .collect();
    let mut lines = Vec::new();
    let mut n = 0;
    for (ci, item) in all(c, "IncludedSPSConsignmentItem").enumerate() {
        let item_path = format!("{cons_path}/IncludedSPSConsignmentItem[{}]", ci + 1);
        for (li, l) in all(item, "IncludedSPSTradeLineItem").enumerate() {
            n += 1;
            lines.extend(r.line(l, &format!("{item_path}/IncludedSPSTradeLineItem[{}]", li + 1)));
        }
    }
    if n == 0 {
        r.err(
            &format!("{cons_path}/IncludedSPSConsignmentItem/IncludedSPSTradeLineItem"),
            Rule::Required,
            "a certificate describes at least one trade line item",
            "证书至少应列明一项货物",
        );
    }
    if !r.errors.is_empty() {
        return Err(Refusal::validation(r.errors));
    }
    let document = PhytoDocument {
        number: number.expect("checked"),
        kind: kind.expect("checked"),
        title: d.value("Name"),
        issued: issued.expect("checked"),
        issuer: issuer.expect("checked"),
        notes,
        authentication,
        references,
        consignor: consignor.expect("checked"),
        consignee: consignee.expect("checked"),
        export_country: export_country.expect("checked"),
        import_country: import_country.expect("checked"),
        transit_countries,
        loading_port,
        unloading_port,
        examination_place,
        transport,
        equipment,
        lines,
    };
    Ok(SpsRead { document, status: status.expect("checked"), signature: signature(&pis) })
}

/// The children of `el` called `name`, in document order.
fn all<'a>(el: &'a Element, name: &'a str) -> impl Iterator<Item = &'a Element> + 'a {
    el.children.iter().filter(move |c| c.name == name)
}

/// Trimmed text, None when blank.
fn own_text(el: &Element) -> Option<String> {
    let t = el.text.trim();
    (!t.is_empty()).then(|| t.to_owned())
}

fn text(el: &Element) -> Option<Text> {
    own_text(el).map(|t| Text { text: t, lang: el.attr("languageID").map(|l| l.trim().to_owned()).filter(|l| !l.is_empty()) })
}

fn texts(el: &Element, name: &str) -> Vec<Text> {
    all(el, name).filter_map(text).collect()
}

fn location(el: &Element) -> Option<Location> {
    let (id, name) = (el.value("ID"), el.value("Name"));
    (id.is_some() || name.is_some()).then_some(Location { id, name })
}

/// Collects the field errors of one reading.
struct R {
    errors: Vec<FieldError>,
}

impl R {
    fn err(&mut self, path: &str, rule: Rule, en: impl Into<String>, zh: impl Into<String>) {
        self.errors.push(FieldError::new(path, rule, en, zh));
    }

    fn missing<T>(&mut self, path: &str) -> Option<T> {
        self.err(path, Rule::Required, format!("{path} is required"), format!("缺少必填元素 {path}"));
        None
    }

    fn child<'a>(&mut self, el: &'a Element, name: &str, path: &str) -> Option<&'a Element> {
        let c = el.child(name);
        if c.is_none() {
            self.missing::<()>(&format!("{path}/{name}"));
        }
        c
    }

    fn req(&mut self, el: &Element, name: &str, path: &str) -> Option<String> {
        match el.value(name) {
            Some(v) => Some(v),
            None => self.missing(&format!("{path}/{name}")),
        }
    }

    /// Every element below the root in its namespace: the root's children in the
    /// certificate's, the rest in the reusable aggregates' (date-time strings in the
    /// unqualified data types').
    fn namespaces(&mut self, el: &Element, path: &str, depth: usize) {
        let (stem, what) = match depth {
            0 | 1 => (STEM_CERTIFICATE, "SPSCertificate"),
            _ if el.name == "DateTimeString" => (STEM_UDT, "UnqualifiedDataType"),
            _ => (STEM_RAM, "ReusableAggregateBusinessInformationEntity"),
        };
        if self.errors.len() >= MAX_NS_ERRORS {
            return;
        }
        let ns = el.ns.as_deref().unwrap_or("");
        if !ns.strip_prefix(stem).is_some_and(|v| !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit())) {
            let found = if ns.is_empty() { "no namespace".to_owned() } else { ns.to_owned() };
            self.err(
                path,
                Rule::SpsNamespace,
                format!("{} must be in the UN/CEFACT {what} namespace ({stem}…), found {found}", el.name),
                format!("{} 应在 UN/CEFACT {what} 命名空间（{stem}…）中，实际为 {found}", el.name),
            );
        }
        let mut seen: Vec<(&str, usize)> = Vec::new();
        for c in &el.children {
            let twins = el.children.iter().filter(|o| o.name == c.name).count();
            let n = match seen.iter_mut().find(|(name, _)| *name == c.name) {
                Some((_, n)) => {
                    *n += 1;
                    *n
                }
                None => {
                    seen.push((&c.name, 1));
                    1
                }
            };
            let at = if twins > 1 { format!("{path}/{}[{n}]", c.name) } else { format!("{path}/{}", c.name) };
            self.namespaces(c, &at, depth + 1);
        }
    }

    /// A `DateTimeString` (or an element's own text) that starts with a date `YYYY-MM-DD`.
    fn date_time(&mut self, el: &Element, name: &str, path: &str, required: bool) -> Option<String> {
        let Some(e) = el.child(name) else { return if required { self.missing(&format!("{path}/{name}")) } else { None } };
        let v = e.child("DateTimeString").and_then(own_text).or_else(|| own_text(e));
        match v {
            None if required => self.missing(&format!("{path}/{name}/DateTimeString")),
            None => None,
            Some(v) => {
                let b = v.as_bytes();
                let date = b.len() >= 10
                    && b[..10].iter().enumerate().all(|(i, c)| if i == 4 || i == 7 { *c == b'-' } else { c.is_ascii_digit() });
                if !date {
                    self.err(
                        &format!("{path}/{name}"),
                        Rule::DatetimeFormat,
                        format!("{v:?} is not a date-time (ISO 8601, e.g. 2026-03-01T10:00:00+08:00)"),
                        format!("{v:?} 不是日期时间（ISO 8601，如 2026-03-01T10:00:00+08:00）"),
                    );
                    return None;
                }
                Some(v)
            }
        }
    }

    fn country(&mut self, el: &Element, path: &str, required: bool) -> Option<String> {
        let Some(id) = el.value("ID") else { return if required { self.missing(&format!("{path}/ID")) } else { None } };
        if id.len() == 2 && guomen_reference::country_alpha2::alpha3(&id).is_some() {
            Some(id)
        } else {
            self.err(
                &format!("{path}/ID"),
                Rule::CountryUnknown,
                format!("{id:?} is not an ISO 3166-1 alpha-2 country code"),
                format!("{id:?} 不是 ISO 3166-1 两位字母国别代码"),
            );
            None
        }
    }

    fn country_of(&mut self, el: &Element, name: &str, path: &str, required: bool) -> Option<String> {
        match el.child(name) {
            Some(c) => self.country(c, &format!("{path}/{name}"), required),
            None if required => self.missing(&format!("{path}/{name}")),
            None => None,
        }
    }

    fn party(&mut self, el: &Element, name: &str, path: &str) -> Option<Party> {
        let path = format!("{path}/{name}");
        let Some(p) = el.child(name) else { return self.missing(&path) };
        let name = self.req(p, "Name", &path)?;
        let addr = p.child("SpecifiedSPSAddress");
        let address = addr
            .map(|a| ["LineOne", "LineTwo", "LineThree", "LineFour", "LineFive"].iter().filter_map(|l| a.value(l)).collect())
            .unwrap_or_default();
        let city = addr.and_then(|a| a.value("CityName"));
        let country = addr.and_then(|a| a.value("CountryID"));
        Some(Party { name, address, city, country })
    }

    fn notes(&mut self, el: &Element, name: &str, path: &str) -> Vec<Note> {
        let mut out = Vec::new();
        for (i, n) in all(el, name).enumerate() {
            match n.value("Subject") {
                Some(subject) => out.push(Note { subject, content: texts(n, "Content") }),
                None => {
                    self.missing::<()>(&format!("{path}/{name}[{}]/Subject", i + 1));
                }
            }
        }
        out
    }

    fn measure(&mut self, el: &Element, name: &str, path: &str) -> Option<Measure> {
        let e = el.child(name)?;
        let v = own_text(e)?;
        let path = format!("{path}/{name}");
        let value = match v.parse::<Decimal>() {
            Ok(d) => d,
            Err(_) => {
                self.err(&path, Rule::Decimal, format!("{v:?} is not a decimal number"), format!("{v:?} 不是有效数字"));
                return None;
            }
        };
        match e.attr("unitCode").map(str::trim).filter(|u| !u.is_empty()) {
            Some(unit) => Some(Measure { value, unit: unit.to_owned() }),
            None => self.missing(&format!("{path}/@unitCode")),
        }
    }

    fn authentication(&mut self, a: &Element, path: &str) -> Authentication {
        Authentication {
            at: self.date_time(a, "ActualDateTime", path, false),
            place: a.child("IssueSPSLocation").and_then(location),
            officer: a.child("ProviderSPSParty").and_then(|p| p.child("SpecifiedSPSPerson")).and_then(|p| p.value("Name")),
            clauses: all(a, "IncludedSPSClause")
                .filter_map(|c| Some(Clause { id: c.value("ID")?, content: texts(c, "Content") }))
                .collect(),
        }
    }

    fn reference(&mut self, e: &Element, path: &str) -> Option<Reference> {
        let id = self.req(e, "ID", path);
        let relationship = self.req(e, "RelationshipTypeCode", path);
        let attachment = e.child("AttachmentBinaryObject").and_then(|b| {
            let data: String = b.text.chars().filter(|c| !c.is_whitespace()).collect();
            (!data.is_empty()).then(|| Attachment {
                filename: b.attr("filename").map(str::to_owned),
                length: data.len() as u64,
                sha256: hex::encode(Sha256::digest(data.as_bytes())),
            })
        });
        Some(Reference {
            id: id?,
            relationship: relationship?,
            type_code: e.value("TypeCode"),
            issued: e.child("IssueDateTime").and_then(|t| t.child("DateTimeString").and_then(own_text).or_else(|| own_text(t))),
            information: e.child("Information").and_then(text),
            attachment,
        })
    }

    fn line(&mut self, l: &Element, path: &str) -> Option<TradeLine> {
        let seq = match l.value("SequenceNumeric") {
            None => 0,
            Some(s) => match s.parse::<u32>() {
                Ok(n) => n,
                Err(_) => {
                    self.err(
                        &format!("{path}/SequenceNumeric"),
                        Rule::Integer,
                        format!("{s:?} is not a whole number"),
                        format!("{s:?} 不是整数"),
                    );
                    0
                }
            },
        };
        let scientific_name = self.req(l, "ScientificName", path);
        let classifications = all(l, "ApplicableSPSClassification")
            .filter_map(|c| {
                Some(Classification {
                    system: c.value("SystemName")?,
                    code: c.value("ClassCode"),
                    name: c.child("ClassName").and_then(text),
                })
            })
            .collect();
        let packages = all(l, "PhysicalSPSPackage")
            .enumerate()
            .filter_map(|(i, p)| {
                let pp = format!("{path}/PhysicalSPSPackage[{}]", i + 1);
                let kind = self.req(p, "TypeCode", &pp)?;
                let q = self.req(p, "ItemQuantity", &pp)?;
                let quantity = q
                    .parse::<Decimal>()
                    .map_err(|_| {
                        self.err(
                            &format!("{pp}/ItemQuantity"),
                            Rule::Decimal,
                            format!("{q:?} is not a decimal number"),
                            format!("{q:?} 不是有效数字"),
                        )
                    })
                    .ok()?;
                Some(Package { level: p.value("LevelCode").and_then(|v| v.parse().ok()), kind, quantity })
            })
            .collect();
        let origins = all(l, "OriginSPSCountry")
            .enumerate()
            .filter_map(|(i, o)| {
                let country = self.country(o, &format!("{path}/OriginSPSCountry[{}]", i + 1), true)?;
                Some(OriginArea { country, region: o.child("SubordinateSPSCountrySubDivision").and_then(|s| s.value("Name")) })
            })
            .collect();
        let treatments = all(l, "AppliedSPSProcess")
            .enumerate()
            .map(|(i, p)| {
                let pp = format!("{path}/AppliedSPSProcess[{}]", i + 1);
                let period = p.child("CompletionSPSPeriod");
                Treatment {
                    type_code: p.value("TypeCode").unwrap_or_else(|| "ZZZ".into()),
                    characteristics: all(p, "ApplicableSPSProcessCharacteristic")
                        .enumerate()
                        .map(|(j, c)| Characteristic {
                            descriptions: texts(c, "Description"),
                            value: self.measure(c, "ValueMeasure", &format!("{pp}/ApplicableSPSProcessCharacteristic[{}]", j + 1)),
                        })
                        .collect(),
                    notes: self.notes(p, "AdditionalInformationSPSNote", &pp),
                    start: period.and_then(|e| self.date_time(e, "StartDateTime", &format!("{pp}/CompletionSPSPeriod"), false)),
                    end: period.and_then(|e| self.date_time(e, "EndDateTime", &format!("{pp}/CompletionSPSPeriod"), false)),
                    duration: period.and_then(|e| self.measure(e, "DurationMeasure", &format!("{pp}/CompletionSPSPeriod"))),
                }
            })
            .collect();
        let line = TradeLine {
            seq,
            descriptions: texts(l, "Description"),
            common_name: l.value("CommonName"),
            scientific_name: scientific_name?,
            intended_use: l.child("IntendedUse").and_then(text),
            net_weight: self.measure(l, "NetWeightMeasure", path),
            gross_weight: self.measure(l, "GrossWeightMeasure", path),
            net_volume: self.measure(l, "NetVolumeMeasure", path),
            gross_volume: self.measure(l, "GrossVolumeMeasure", path),
            classifications,
            notes: self.notes(l, "AdditionalInformationSPSNote", path),
            packages,
            origins,
            treatments,
        };
        Some(line)
    }
}
