//! GACC message formats: DecMessage converted to and from Guomen domain drafts, and the CEB
//! cross-border e-commerce messages read, checked and answered with receipts.
//!
//! - The general-trade customs declaration `DecMessage` (GACC Announcement 2018 No. 67).
//!   [`parse_dec_message`] reads it into a
//!   [`guomen_domain::declaration::DeclarationDraft`], the same struct a JSON body
//!   deserializes into, so both formats go through identical validation;
//!   [`write_dec_message`] produces the XML from a draft (used by tests and the demo).
//! - The cross-border e-commerce import messages ([`ceb`], Announcement 2018 No. 113 and its
//!   2022-05 revision), read and checked against the element rules of GACC's XSD, the
//!   documented code lists and the customs country (region) and unit tables: order
//!   `CEB311`, payment `CEB411`, waybill `CEB511`, inventory list `CEB621`, inventory
//!   cancellation `CEB623`, return request `CEB625` and delivery list `CEB711`, with their
//!   receipts `CEB312`, `CEB412`, `CEB512`, `CEB622`, `CEB624`, `CEB626` and `CEB712`.
//!   [`ceb::message_kind`] tells which message a document is from its root element.
//! - The IPPC ePhyto phytosanitary certificate, UN/CEFACT `SPSCertificate` ([`sps`]): read
//!   (UTF-8 or UTF-16) into the domain's certificate and written from it, with Guomen's
//!   signature.

pub mod ceb;
mod dec_message;
pub mod sps;
mod xml;

pub use dec_message::{parse_dec_message, write_dec_message, XmlError, MAX_DEPTH, NAMESPACE};
