//! UN/CEFACT `SPSCertificate` — the phytosanitary certificate as the IPPC ePhyto hub exchanges
//! it (namespace `urn:un:unece:uncefact:data:standard:SPSCertificate:17`, its aggregates in
//! `ReusableAggregateBusinessInformationEntity:21`, date-times in `UnqualifiedDataType:21`).
//!
//! [`read_sps`] reads a certificate into the domain's [`PhytoDocument`]: UTF-8 or UTF-16 (the
//! hub sends both; a byte-order mark or the first bytes tell which), through the hardened tree
//! reader (no DTD, so no entity declarations or external entities; depth limited). The order
//! of elements is not held to the schema's (senders differ); the namespaces are, and every part
//! a certificate cannot do without is required. Every problem is a field error whose path is
//! the element's (`SPSCertificate/SPSConsignment/IncludedSPSConsignmentItem/IncludedSPSTradeLineItem[2]/ScientificName`,
//! repeated elements counted from 1), and the whole is refused.
//!
//! [`write_sps`] writes a certificate Guomen issued, with its status code (70 in force, 40 no
//! longer) and its signature as a processing instruction after the XML declaration:
//! `<?guomen-signature key-id="2201-…" signature="…"?>`. The instruction is invisible to schema
//! validation; what is signed is the certificate's content ([`guomen_domain::document`]), which
//! reading the XML gives back exactly, so a reader that ignores the instruction still reads the
//! certificate, and `guomen verify-document` verifies it.

mod read;
#[cfg(test)]
mod tests;
mod write;

pub use read::{read_sps, SpsRead};
pub use write::write_sps;

/// The root element's namespace (version 17, as the hub exchanges it).
pub const NS_CERTIFICATE: &str = "urn:un:unece:uncefact:data:standard:SPSCertificate:17";
/// The reusable aggregates' namespace.
pub const NS_RAM: &str = "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:21";
/// The unqualified data types' namespace (`DateTimeString`).
pub const NS_UDT: &str = "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:21";

/// The processing instruction's target that carries a Guomen signature.
pub const SIGNATURE_PI: &str = "guomen-signature";

/// Namespaces accepted by their stem, whatever the version.
pub(crate) const STEM_CERTIFICATE: &str = "urn:un:unece:uncefact:data:standard:SPSCertificate:";
pub(crate) const STEM_RAM: &str = "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:";
pub(crate) const STEM_UDT: &str = "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:";

#[doc(inline)]
pub use guomen_domain::phyto::PhytoDocument;
