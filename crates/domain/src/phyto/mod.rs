//! 植物检疫证书 — phytosanitary certificates (ePhyto), as the IPPC ePhyto hub exchanges them:
//! UN/CEFACT `SPSCertificate`.
//!
//! ```text
//! exporter applies ──► applied ──► issue (officer; signed) ──► issued ──► replace ──► replaced
//!                         │                                       │          (a new number, issued)
//!                         └──► refuse ──► refused                 └──► withdraw ──► withdrawn
//!
//! SPSCertificate from the hub ──► read, checked ──► received (linked to an import declaration)
//! ```
//!
//! [`PhytoDocument`] is what a certificate says, element for element as the UN/CEFACT
//! `SPSCertificate` carries it (`guomen-messages` reads and writes the XML): the exchanged
//! document (number, type 851 or 657, issue time, issuing authority, notes such as additional
//! declarations, the signatory's authentication, referenced documents) and the consignment
//! (consignor, consignee, countries, ports, transport, equipment, trade line items with their
//! HS and scientific names, quantities, packages, origins and treatments). A certificate Guomen
//! issues is composed from the exporter's application and what Guomen holds for its export
//! declaration — the inspection result and the laboratory's published conclusions
//! ([`compose`]); an incoming one is read from the hub's XML ([`received`]). Either way the
//! document is the content that is signed ([`crate::document`]).

pub mod compose;
pub mod draft;
pub mod received;
pub mod record;
pub mod samples;
#[cfg(test)]
mod tests;

pub use compose::{compose, Facts, LabFinding};
pub use draft::{parse, Application, PhytoDraft};
pub use received::{ReceivedCertificate, ReceivedEvent};
pub use record::{PhytoCertificate, PhytoEvent, PhytoStatus};

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// `SPSExchangedDocument/TypeCode` of a phytosanitary certificate for export.
pub const TYPE_EXPORT: &str = "851";
/// `SPSExchangedDocument/TypeCode` of a phytosanitary certificate for re-export.
pub const TYPE_REEXPORT: &str = "657";
/// `SPSExchangedDocument/StatusCode` of a certificate in force (issued).
pub const STATUS_ISSUED: &str = "70";
/// `SPSExchangedDocument/StatusCode` of a certificate no longer in force (withdrawn, or replaced
/// by another).
pub const STATUS_WITHDRAWN: &str = "40";

/// Note subjects (`IncludedSPSNote/Subject`) Guomen writes and reads by meaning, as the ePhyto
/// hub's harmonised terms name them.
pub mod subject {
    /// 附加声明 — an additional declaration.
    pub const ADDITIONAL_DECLARATION: &str = "ADEDL";
    /// The import permit the consignment travels under.
    pub const IMPORT_PERMIT: &str = "ADIPEDL";
    /// The date(s) of inspection.
    pub const INSPECTION_DATE: &str = "ADDIEDL";
    /// Additional official information (Guomen writes the laboratory's conclusions here).
    pub const OFFICIAL_INFORMATION: &str = "ADAOEDL";
    /// The number of the certificate this one replaces.
    pub const REPLACED_NUMBER: &str = "ADRPN";
    /// Why it was replaced.
    pub const REPLACEMENT_REASON: &str = "ADRPR";
    /// When it was replaced.
    pub const REPLACEMENT_DATE: &str = "ADRD";
    /// Distinguishing marks of the consignment.
    pub const MARKS: &str = "DMCL";
}

/// `ReferenceSPSReferencedDocument/RelationshipTypeCode` of the original certificate a re-export
/// certificate names (UN/EDIFACT 1153 `ACE`, related document number).
pub const RELATION_ORIGINAL: &str = "ACE";

/// 证书类型
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum PhytoKind {
    /// 出境植物检疫证书 (851)
    Export,
    /// 出境再出口植物检疫证书 (657): names the original certificate of the import.
    ReExport,
}

impl PhytoKind {
    pub fn as_str(self) -> &'static str {
        match self {
            PhytoKind::Export => "export",
            PhytoKind::ReExport => "re-export",
        }
    }

    pub fn parse(s: &str) -> Option<PhytoKind> {
        match s.trim() {
            "export" => Some(PhytoKind::Export),
            "re-export" => Some(PhytoKind::ReExport),
            _ => None,
        }
    }

    pub fn type_code(self) -> &'static str {
        match self {
            PhytoKind::Export => TYPE_EXPORT,
            PhytoKind::ReExport => TYPE_REEXPORT,
        }
    }

    pub fn from_type_code(code: &str) -> Option<PhytoKind> {
        match code.trim() {
            TYPE_EXPORT => Some(PhytoKind::Export),
            TYPE_REEXPORT => Some(PhytoKind::ReExport),
            _ => None,
        }
    }

    pub fn name_zh(self) -> &'static str {
        match self {
            PhytoKind::Export => "植物检疫证书",
            PhytoKind::ReExport => "再出口植物检疫证书",
        }
    }

    pub fn name_en(self) -> &'static str {
        match self {
            PhytoKind::Export => "Phytosanitary Certificate",
            PhytoKind::ReExport => "Phytosanitary Certificate for Re-export",
        }
    }
}

/// A text and the language it is in (`languageID`), when given.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Text {
    pub text: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lang: Option<String>,
}

impl Text {
    pub fn plain(text: impl Into<String>) -> Text {
        Text { text: text.into(), lang: None }
    }

    pub fn en(text: impl Into<String>) -> Text {
        Text { text: text.into(), lang: Some("en".into()) }
    }

    pub fn zh(text: impl Into<String>) -> Text {
        Text { text: text.into(), lang: Some("zh".into()) }
    }
}

/// `IncludedSPSNote` / `AdditionalInformationSPSNote`: a subject code and its content.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Note {
    pub subject: String,
    pub content: Vec<Text>,
}

impl Note {
    pub fn new(subject: &str, content: Text) -> Note {
        Note { subject: subject.to_owned(), content: vec![content] }
    }
}

/// A quantity with its UN/ECE Recommendation 20 unit (`KGM`, `MTQ`, `CEL`, `HUR`…).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Measure {
    pub value: Decimal,
    pub unit: String,
}

/// A party (`ConsignorSPSParty`, `ConsigneeSPSParty`): its name and address as printed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Party {
    pub name: String,
    /// `LineOne` … `LineFive`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub address: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub city: Option<String>,
    /// ISO 3166-1 alpha-2.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
}

/// A place: its UN/LOCODE and name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Location {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

/// `MainCarriageSPSTransportMovement`: the mode (UN/ECE Recommendation 19: 1 sea, 2 rail,
/// 3 road, 4 air…), the means (vessel, flight) and its voyage or flight number.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Transport {
    pub mode: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub means: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
}

/// `UtilizedSPSTransportEquipment`: a container and its seals.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Equipment {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub seals: Vec<String>,
}

/// `ApplicableSPSClassification`: `HS` with the commodity code, or an IPPC commodity class.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Classification {
    pub system: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<Text>,
}

/// `PhysicalSPSPackage`: packages of a type (UN/ECE Recommendation 21) and how many.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Package {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub level: Option<u8>,
    pub kind: String,
    pub quantity: Decimal,
}

/// `OriginSPSCountry`: the country (alpha-2) and, when given, the region of origin.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OriginArea {
    pub country: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
}

/// `ApplicableSPSProcessCharacteristic`: its code and texts (`Description`s: the first is the
/// code, `TTFT` type, `TTCH` chemical, `TTTM` temperature, `TTAI` additional information…) and
/// a measured value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Characteristic {
    pub descriptions: Vec<Text>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<Measure>,
}

/// `AppliedSPSProcess`: a treatment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Treatment {
    pub type_code: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub characteristics: Vec<Characteristic>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<Note>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration: Option<Measure>,
}

/// `IncludedSPSTradeLineItem`: one line of goods.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TradeLine {
    pub seq: u32,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub descriptions: Vec<Text>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub common_name: Option<String>,
    /// 学名 — the botanical name.
    pub scientific_name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub intended_use: Option<Text>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub net_weight: Option<Measure>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gross_weight: Option<Measure>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub net_volume: Option<Measure>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gross_volume: Option<Measure>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub classifications: Vec<Classification>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<Note>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub packages: Vec<Package>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub origins: Vec<OriginArea>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub treatments: Vec<Treatment>,
}

impl TradeLine {
    /// The HS code of the line, if it has one.
    pub fn hs(&self) -> Option<&str> {
        self.classifications.iter().find(|c| c.system.eq_ignore_ascii_case("HS")).and_then(|c| c.code.as_deref())
    }

    /// The first description (English when there is one).
    pub fn description(&self) -> Option<&str> {
        self.descriptions.iter().find(|d| d.lang.as_deref() == Some("en")).or_else(|| self.descriptions.first()).map(|d| d.text.as_str())
    }
}

/// `SignatorySPSAuthentication`: who signed, where and when, and the certifying clauses.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Authentication {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub place: Option<Location>,
    /// 授权签字官员 — the authorised officer, as printed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub officer: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub clauses: Vec<Clause>,
}

/// `IncludedSPSClause`: the certifying statement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Clause {
    pub id: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub content: Vec<Text>,
}

/// `ReferenceSPSReferencedDocument`: a document the certificate refers to (the original
/// certificate of a re-export, an import permit, an attached image). An attachment is kept as
/// its file name, size and SHA-256, not its bytes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reference {
    pub id: String,
    pub relationship: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub type_code: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issued: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub information: Option<Text>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attachment: Option<Attachment>,
}

/// An attachment as received: its file name, and the length and SHA-256 (hex) of its base64
/// text with white space removed (the bytes are not kept).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attachment {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filename: Option<String>,
    pub length: u64,
    pub sha256: String,
}

/// 证书内容 — what a phytosanitary certificate says: the content that is signed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PhytoDocument {
    /// 证书编号 (`SPSExchangedDocument/ID`).
    pub number: String,
    pub kind: PhytoKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// `IssueDateTime` as written (RFC 3339, or a date).
    pub issued: String,
    /// 签证机构 — the national plant protection organisation that issued it.
    pub issuer: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<Note>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authentication: Option<Authentication>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub references: Vec<Reference>,
    pub consignor: Party,
    pub consignee: Party,
    /// ISO 3166-1 alpha-2 of the exporting (or re-exporting) country.
    pub export_country: String,
    pub import_country: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub transit_countries: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub loading_port: Option<Location>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unloading_port: Option<Location>,
    /// 检疫地点 — where the consignment was examined.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub examination_place: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub transport: Vec<Transport>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub equipment: Vec<Equipment>,
    pub lines: Vec<TradeLine>,
}

impl PhytoDocument {
    /// The texts of every document-level note with `subject`.
    pub fn notes_of(&self, subject: &str) -> Vec<&str> {
        self.notes.iter().filter(|n| n.subject == subject).flat_map(|n| n.content.iter().map(|t| t.text.as_str())).collect()
    }

    /// The original certificate a re-export certificate names.
    pub fn original(&self) -> Option<&Reference> {
        self.references.iter().find(|r| r.relationship == RELATION_ORIGINAL)
    }

    /// The number of the certificate this one replaces.
    pub fn replaces(&self) -> Option<&str> {
        self.notes_of(subject::REPLACED_NUMBER).into_iter().next()
    }

    /// The content as signed (a JSON value; see [`crate::document`]).
    pub fn content(&self) -> serde_json::Value {
        serde_json::to_value(self).expect("a certificate serializes")
    }
}

/// ISO 3166-1 alpha-2 of a country given as alpha-2 or alpha-3 (upper case), if officially
/// assigned.
pub fn alpha2(code: &str) -> Option<&'static str> {
    let c = code.trim();
    match c.len() {
        2 => guomen_reference::country_alpha2::alpha3(c).and_then(guomen_reference::country_alpha2::alpha2),
        3 => guomen_reference::country_alpha2::alpha2(c),
        _ => None,
    }
}
