//! `CEB711Message` — the delivery (entry) list (入库明细单) sent by the operator of the
//! customs-supervised site, listing the parcels (by waybill number) that arrived under one
//! bill of lading — and its receipt `CEB712Message` (`DeliveryReturn`).
//!
//! Element names, order, `minOccurs`, lengths follow `CEB711Message` (exactly one `Delivery`
//! with one `DeliveryHead` and any number of `DeliveryList`), `DeliveryHead`, `DeliveryList`
//! and `DeliveryReturn` in `data/ceb/2018/xsd/import.xsd` (identical in the 2022-05 revision).
//! The documented code lists appType 1/2/3 and ieFlag I/E are enforced as `enumeration`.
//! Values are trimmed and an empty optional element counts as absent. Not checked: the
//! signature, `BaseSubscribe`, `ExtendMessage`; `BaseTransfer` is accepted as absent.

use super::fields::{len, s, INT};
use super::message::{kind, Doc, Spec};
use super::receipt::{Fill, Fill::Opt, GUID};
use super::schema::group;

kind! {
    /// `CEB711` as a type: one `Delivery`, its head and any number of parcels. The message's
    /// `documents` hold the one delivery list; paths start at `Delivery`, which occurs once.
    Ceb711 => Ceb711Message, parse_ceb711: DeliveryHead, DeliveryItem;
    Spec::new("CEB711Message", "Delivery", Some("DeliveryHead"))
        .one("delivery list", "入库明细单")
        .lines("DeliveryList", usize::MAX)
        .receipt("CEB712Message", "DeliveryReturn", RETURN)
        .senders(&["operatorCode", "logisticsCode"])
}

/// `DeliveryReturn`: `customsCode` 4, `operatorCode` 1–18; the XSD allows empty `copNo`,
/// `preNo` and `rkdNo`, and empty ones are left out.
const RETURN: &[(&str, Fill)] =
    &[GUID, ("customsCode", Opt(4, 4)), ("operatorCode", Opt(1, 18)), ("copNo", Opt(1, 20)), ("preNo", Opt(1, 18)), ("rkdNo", Opt(1, 18))];

/// The one `Delivery`: its head and parcels.
pub type Delivery = Doc<Ceb711>;

group! {
    /// `DeliveryHead` (入库明细单表头).
    pub struct DeliveryHead {
        ..document,
        customs_code: String = "customsCode" len(4),
        cop_no: Option<String> = "copNo" s(0, 20),
        pre_no: Option<String> = "preNo" s(0, 18),
        /// Entry list number assigned by customs (入库单编号).
        rkd_no: Option<String> = "rkdNo" s(0, 18),
        /// Operator of the supervised site.
        operator_code: String = "operatorCode" s(1, 18),
        operator_name: String = "operatorName" s(1, 100),
        /// `I` import, `E` export.
        ie_flag: String = "ieFlag" len(1).one_of(&["I", "E"]),
        traf_mode: String = "trafMode" len(1),
        traf_no: String = "trafNo" s(1, 100),
        voyage_no: String = "voyageNo" s(1, 32),
        bill_no: String = "billNo" s(1, 37),
        logistics_code: String = "logisticsCode" s(1, 18),
        logistics_name: String = "logisticsName" s(1, 100),
        unload_location: Option<String> = "unloadLocation" s(0, 100),
        note: Option<String> = "note" s(0, 1000),
    }
}

group! {
    /// `DeliveryList` (入库明细单表体): one parcel.
    pub struct DeliveryItem {
        gnum: i32 = "gnum" INT,
        /// Waybill number of the parcel.
        logistics_no: String = "logisticsNo" s(1, 60),
        note: Option<String> = "note" s(0, 1000),
    }
}
