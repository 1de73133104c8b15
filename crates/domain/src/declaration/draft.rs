//! The declaration as it arrives, before validation: every field optional, every value text.
//!
//! JSON bodies deserialize straight into [`DeclarationDraft`]; the DecMessage XML reader in
//! `guomen-messages` fills the same struct. [`super::validate`] turns a draft into a
//! [`super::DeclarationContent`] or a list of field errors, so both formats get identical checks.

use serde::{Deserialize, Serialize};

/// 报关单草稿 — an unvalidated declaration (head + items).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DeclarationDraft {
    pub head: HeadDraft,
    pub items: Vec<ItemDraft>,
    pub containers: Vec<ContainerDraft>,
    pub licences: Vec<LicenceDraft>,
}

/// 表头 — DecHead. Field names follow the GACC element they come from.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct HeadDraft {
    /// IEFlag: `I` import, `E` export.
    pub ie_flag: Option<String>,
    /// Declaration mode: `standard` (default), `advance` (提前申报) or `two-step` (两步申报 summary).
    pub mode: Option<String>,
    /// CustomMaster: the 4-digit customs office (关区) receiving the declaration.
    pub customs_master: Option<String>,
    /// IEPort: 4-digit port of entry or exit.
    pub ie_port: Option<String>,
    /// IEDate: date of import/export (arrival of the means of transport), `YYYY-MM-DD`.
    /// Empty for an advance declaration whose goods have not arrived.
    pub ie_date: Option<String>,
    /// TradeCode: customs code of the consignee (import) or consignor (export).
    pub trade_code: Option<String>,
    /// OwnerCode: customs code of the consumer/producer enterprise, when it differs.
    pub owner_code: Option<String>,
    /// AgentCode: customs code of the declaring broker, when a broker files.
    pub agent_code: Option<String>,
    /// TrafMode: transport mode code (2 waterway, 3 rail, 4 road, 5 air, …).
    pub traf_mode: Option<String>,
    /// TrafName: vessel / flight name.
    pub traf_name: Option<String>,
    /// VoyNo: voyage number.
    pub voyage_no: Option<String>,
    /// BillNo: bill of lading / air waybill.
    pub bill_no: Option<String>,
    /// ManifestNo: manifest (舱单) number, when known.
    pub manifest_no: Option<String>,
    /// TradeMode: 4-digit supervision mode (监管方式), e.g. 0110 general trade.
    pub trade_mode: Option<String>,
    /// TradeCountry: trading country, ISO 3166 alpha-3.
    pub trade_country: Option<String>,
    /// TransMode: terms of delivery code (1 CIF, 2 C&F, 3 FOB, 4 C&I, 5 market price, 6 lump sum, 7 EXW).
    pub trans_mode: Option<String>,
    /// PackNo: number of packages.
    pub pack_no: Option<String>,
    /// GrossWet: gross weight in kg.
    pub gross_wt: Option<String>,
    /// NetWt: net weight in kg.
    pub net_wt: Option<String>,
    /// CusFie (DecFreeTxt): supervision site (监管场所) code of the terminal or yard holding the goods.
    pub site_code: Option<String>,
    /// Free-text remark (NoteS).
    pub note: Option<String>,
    /// Priority handling (绿色通道): `perishable`, `live-animals`, `seeds-in-season` or `other`.
    pub priority: Option<String>,
    /// Why priority handling is needed; required with `priority`.
    pub priority_reason: Option<String>,
}

/// 表体 — one DecList item.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ItemDraft {
    /// GNo: item number, 1-based, unique within the declaration.
    pub g_no: Option<String>,
    /// CodeTS: 10-digit commodity code; the first six digits are HS 2022.
    pub code_ts: Option<String>,
    /// GName: goods name.
    pub g_name: Option<String>,
    /// GModel: specification (规格型号).
    pub g_model: Option<String>,
    /// GQty: declared quantity.
    pub g_qty: Option<String>,
    /// GUnit: 3-digit GACC unit code (035 kg, 007 piece, …).
    pub g_unit: Option<String>,
    /// DeclPrice: unit price.
    pub decl_price: Option<String>,
    /// DeclTotal: total price; must equal quantity × unit price (to the fen).
    pub decl_total: Option<String>,
    /// TradeCurr: ISO 4217 currency.
    pub trade_curr: Option<String>,
    /// OriginCountry: ISO 3166 alpha-3.
    pub origin_country: Option<String>,
    /// DestinationCountry: ISO 3166 alpha-3.
    pub destination_country: Option<String>,
}

/// DecContainer — one container.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ContainerDraft {
    /// ContainerId: ISO 6346 container number.
    pub container_id: Option<String>,
    /// ContainerMd: size/type code.
    pub container_md: Option<String>,
}

/// DecLicenseDocu — one accompanying document (licence, permit, certificate).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LicenceDraft {
    /// DocuCode: document type code.
    pub docu_code: Option<String>,
    /// CertCode: document number.
    pub cert_code: Option<String>,
}
