//! GACC message formats converted to and from Guomen domain drafts.
//!
//! Currently one format: the general-trade customs declaration `DecMessage`
//! (GACC Announcement 2018 No. 67). [`parse_dec_message`] reads it into a
//! [`guomen_domain::declaration::DeclarationDraft`], the same struct a JSON body
//! deserializes into, so both formats go through identical validation;
//! [`write_dec_message`] produces the XML from a draft (used by tests and the demo).

pub mod ceb;
mod dec_message;
mod xml;

pub use dec_message::{parse_dec_message, write_dec_message, XmlError, MAX_DEPTH, NAMESPACE};
